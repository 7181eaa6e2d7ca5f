/* viz/panel_eventtime.c — event time against processing time, as in
 * "Streaming 101/102" and the Dataflow Model paper: processing time on x,
 * event time on y, the ideal diagonal, each record a dot at (arrival, event
 * time), the watermark as a stepped line below, late rows dropped behind it
 * as crosses, and the focus query's event-time windows as the boxes its
 * state store held: a window opens at its first update and grows rightwards
 * while it is kept, closes when the watermark passes its end, and flashes
 * when the sink receives it (each batch it changed in update mode, once when
 * it closes in append mode, every batch in complete mode). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../engine/ss.h"
#include "draw.h"

/* The plot: its rectangle and its axes' ranges. */
typedef struct et_plot {
    double px, py, pw, ph;
    int64_t xmin, xmax, ymin, ymax;
    int absolute; /* event times are a dataset's own dates */
    int follow;   /* the axes follow the cursor (a part of the run), else they span it */
} et_plot;

static double et_x(const et_plot *p, int64_t t) {
    return p->px + p->pw * (double)(t - p->xmin) / (double)(p->xmax - p->xmin);
}
static double et_y(const et_plot *p, int64_t t) {
    return p->py + p->ph - p->ph * (double)(t - p->ymin) / (double)(p->ymax - p->ymin);
}

const char *viz_fmt_event(int64_t us, int absolute, int short_form, char *buf, size_t n) {
    if (!absolute && us == 0) snprintf(buf, n, "0 s"); /* a window from 0 reads [0 s, 10 s), not [0 ms, 10 s) */
    if (!absolute) return us == 0 ? buf : viz_fmt_dur(us, buf, n);
    time_t secs = (time_t)(us / 1000000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    strftime(buf, n, short_form == 2 ? "%b %d" : short_form ? "%H:%M" : "%Y-%m-%d %H:%M", &tm);
    return buf;
}

/* A window's length or slide as Spark's strings write them: "10 minutes"
 * reads "10 min", whole hours "1 h", else seconds or milliseconds. */
static const char *fmt_len(int64_t us, char *buf, size_t n) {
    if (us > 0 && us % 3600000000 == 0) snprintf(buf, n, "%" PRId64 " h", us / 3600000000);
    else if (us > 0 && us % 60000000 == 0) snprintf(buf, n, "%" PRId64 " min", us / 60000000);
    else viz_fmt_dur(us, buf, n);
    return buf;
}

/* The axes' ranges from the whole run, so nothing moves while stepping. */
static void et_whole_run(const viz_model *m, et_plot *p) {
    int64_t xmax = m->end_us > 0 ? m->end_us : 1, ymax = 1;
    if (m->arrivals.n && m->arrival_max[m->arrivals.n - 1] > ymax) ymax = m->arrival_max[m->arrivals.n - 1]; /* the prefix maximum's last */
    for (size_t k = 0; k < m->watermarks.n; k++)
        if (m->watermarks.v[k].a > ymax) ymax = m->watermarks.v[k].a;
    /* a dataset's own event times (dates) are far from the run's clock: the
     * axis then spans the times seen, from the first watermark, and there
     * is no diagonal */
    int64_t lo = INT64_MAX;
    for (size_t k = 0; k < m->arrivals.n; k++) /* arrivals near the clock: event times the source did not know */
        if (m->arrivals.v[k].a > 100 * xmax && m->arrivals.v[k].a < lo) lo = m->arrivals.v[k].a;
    for (size_t k = 0; k < m->watermarks.n; k++)
        if (m->watermarks.v[k].a < lo) lo = m->watermarks.v[k].a;
    p->absolute = lo != INT64_MAX && lo > 100 * xmax;
    p->ymin = 0;
    if (p->absolute) {
        p->ymin = lo - (ymax - lo) / 20;
        ymax += (ymax - lo) / 20 + 1;
    } else if (xmax > ymax) {
        ymax = xmax;
    }
    p->xmin = 0;
    p->xmax = (xmax + 999999) / 1000000 * 1000000; /* whole seconds on the axes */
    p->ymax = p->absolute ? ymax : (ymax + 999999) / 1000000 * 1000000;
}

/* Boxes thinner than this on the whole run's axes: the axes follow the cursor. */
#define ET_WINDOW_MIN_PX 14.0
#define ET_ZOOM_MAX 16 /* the wheel zooms in to 1/2^16 of the run's event time at most */

/* The run's pace: event time read per second of processing time (a replay
 * of a dataset at 60x reads 60 s a second); 0 when unknown. */
static double et_pace(const viz_model *m) {
    if (m->arrivals.n > 1) {
        const viz_mark *a = &m->arrivals.v[0], *b = &m->arrivals.v[m->arrivals.n - 1];
        if (b->t_us > a->t_us) return (double)(m->arrival_max[m->arrivals.n - 1] - a->a) / (double)(b->t_us - a->t_us);
    } else if (m->watermarks.n > 1) {
        const viz_mark *a = &m->watermarks.v[0], *b = &m->watermarks.v[m->watermarks.n - 1];
        if (b->t_us > a->t_us) return (double)(b->a - a->a) / (double)(b->t_us - a->t_us);
    }
    return 0;
}

/* The watermark of query q at raw event ev: its latest entry's index + 1 in
 * the watermark list, 0 when none yet. */
static size_t watermark_at(const viz_model *m, int64_t q, uint32_t ev) {
    for (size_t k = viz_list_visible(&m->watermarks, ev); k-- > 0;)
        if (m->watermarks.v[k].c == q) return k + 1;
    return 0;
}

/* The event time the automatic view spans at raw event ev, or 0 for the
 * whole run: where the whole run would draw the followed query's windows
 * too thin to see (hours of a dataset's event time replayed in minutes), ten
 * slides (at least three windows), doubled as often as it takes to keep the
 * query's watermark in view under the newest event time (a watermark two
 * days behind is what lab 05 is about), so the span changes only when the
 * watermark's lag crosses a power of two. */
static int64_t et_auto_span(const viz_model *m, const viz_ewins *w, const et_plot *p, uint32_t ev) {
    if (!w || w->length_us <= 0 || !p->absolute) return 0;
    double px_per_window = p->ph * (double)w->length_us / (double)(p->ymax - p->ymin);
    if (px_per_window >= ET_WINDOW_MIN_PX) return 0;
    int64_t slide = w->slide_us > 0 ? w->slide_us : w->length_us;
    int64_t span = 10 * slide > 3 * w->length_us ? 10 * slide : 3 * w->length_us;
    size_t k = watermark_at(m, w->query, ev), na = viz_list_visible(&m->arrivals, ev);
    if (k && na) {
        int64_t lag = m->arrival_max[na - 1] - m->watermarks.v[k - 1].a;
        while (span < (p->ymax - p->ymin) && span < lag + lag / 4) span *= 2;
    }
    return span < (p->ymax - p->ymin) ? span : 0;
}

/* The event time the view spans at zoom level z (VIZ view's et_zoom): the
 * automatic span for 0, the whole run for -1 (0 returned), else 1/2^z of
 * the whole run's event time (at least a second). */
static int64_t et_span(const viz_model *m, const viz_ewins *w, const et_plot *p, int z, uint32_t ev) {
    if (z == 0) return et_auto_span(m, w, p, ev);
    if (z < 0) return 0;
    int64_t span = (p->ymax - p->ymin) >> (z < ET_ZOOM_MAX ? z : ET_ZOOM_MAX);
    return span > 1000000 ? span : 1000000;
}

/* Follows the cursor with yspan of event time (0: the whole run stays):
 * processing time as long as the run took, on average, to read that much
 * event time, and the view pages by a quarter of its size when the cursor
 * or the newest event time leaves it, so it stays calm while stepping (a
 * function of the frame alone: stepping back is exact). */
static void et_follow(const viz_model *m, int64_t yspan, uint32_t ev, int64_t t_us, et_plot *p) {
    double pace = et_pace(m);
    if (yspan <= 0 || pace <= 0) return;
    int64_t xspan = (int64_t)((double)yspan / pace);
    if (xspan < 4000000) xspan = 4000000;
    if (xspan >= p->xmax) return; /* the whole run is no wider: nothing to follow */
    /* the newest event time read so far, else the watermark */
    size_t na = viz_list_visible(&m->arrivals, ev), nw = viz_list_visible(&m->watermarks, ev);
    int64_t newest = na ? m->arrival_max[na - 1] : nw ? m->watermarks.v[nw - 1].a : p->ymin;
    int64_t xq = xspan / 4, yq = yspan / 4 > 0 ? yspan / 4 : 1;
    int64_t xr = (t_us / xq + 1) * xq + xq; /* a quarter ahead of the cursor */
    if (xr < xspan) xr = xspan;
    if (xr > p->xmax) xr = p->xmax;
    int64_t base = p->ymin; /* pages of event time counted from the axis' start */
    int64_t yt = base + ((newest - base) / yq + 1) * yq + yq / 2;
    p->xmin = xr - xspan, p->xmax = xr;
    p->ymin = yt - yspan, p->ymax = yt;
    p->follow = 1;
}

/* A tick step of 1-2-5 seconds, or of whole minutes and hours, giving
 * about four ticks over span_us. */
static int64_t tick_step(int64_t span_us) {
    static const int64_t steps_s[] = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600,
                                      43200, 86400, 172800, 604800};
    for (size_t k = 0; k < sizeof steps_s / sizeof *steps_s; k++)
        if (span_us / (steps_s[k] * 1000000) <= 5) return steps_s[k] * 1000000;
    return span_us / 4 > 0 ? span_us / 4 : 1;
}

static void et_axes(viz_gc *g, const et_plot *p) {
    char d[32];
    viz_set(g, g->th->grid, 1);
    cairo_rectangle(g->cr, p->px, p->py, 1.5, p->ph);
    cairo_rectangle(g->cr, p->px, p->py + p->ph, p->pw, 1.5);
    cairo_fill(g->cr);
    /* event-time ticks: faint lines across, labels in the gutter (times of
     * day for dates; the full date of the top of the axis inside the plot) */
    int64_t step = tick_step(p->ymax - p->ymin);
    int64_t first = (p->ymin + step - 1) / step * step;
    if (p->ymin < 0) first = p->ymin / step * step;
    for (int64_t t = first; t < p->ymax; t += step) {
        double y = et_y(p, t);
        if (y < p->py + 24 || y > p->py + p->ph - 28) continue; /* clear of the top and bottom labels */
        viz_set(g, g->th->grid, 0.6);
        cairo_rectangle(g->cr, p->px, y, p->pw, 1);
        cairo_fill(g->cr);
        viz_text(g, p->px - 12, y - 11, 16, 0, g->th->muted, VIZ_RIGHT, 0,
                 viz_fmt_event(t, p->absolute, step >= 86400000000 ? 2 : 1, d, sizeof d));
    }
    if (p->absolute)
        viz_text(g, p->px + 8, p->py - 4, 16, 0, g->th->muted, VIZ_LEFT, 0, viz_fmt_event(p->ymax, 1, 0, d, sizeof d));
    else
        viz_text(g, p->px - 12, p->py - 4, 16, 0, g->th->muted, VIZ_RIGHT, 0, viz_fmt_dur(p->ymax, d, sizeof d));
    viz_text(g, p->px - 12, p->py + p->ph - 20, 16, 0, g->th->muted, VIZ_RIGHT, 0,
             p->absolute ? viz_fmt_event(p->ymin, 1, 1, d, sizeof d) : "0");
    viz_text(g, p->px + p->pw, p->py + p->ph + 4, 16, 0, g->th->muted, VIZ_RIGHT, 0, viz_fmt_dur(p->xmax, d, sizeof d));
    if (p->xmin > 0) viz_text(g, p->px, p->py + p->ph + 4, 16, 0, g->th->muted, VIZ_LEFT, 0, viz_fmt_dur(p->xmin, d, sizeof d));
    viz_text(g, p->px + p->pw / 2, p->py + p->ph + 4, 16, 0, g->th->muted, VIZ_CENTER, 0,
             p->follow ? "processing time \u2192 (the view follows the cursor; wheel: zoom)" : "processing time \u2192");
    if (!p->absolute) { /* the ideal: event time = processing time */
        double dash[] = {6, 6};
        cairo_set_dash(g->cr, dash, 2, 0);
        viz_set(g, g->th->muted, 1);
        cairo_set_line_width(g->cr, 1.5);
        cairo_move_to(g->cr, et_x(p, 0), et_y(p, 0));
        cairo_line_to(g->cr, et_x(p, p->xmax), et_y(p, p->xmax < p->ymax ? p->xmax : p->ymax));
        cairo_stroke(g->cr);
        cairo_set_dash(g->cr, NULL, 0, 0);
    }
}

static void et_dots(viz_gc *g, const et_plot *p, uint32_t ev) {
    const viz_model *m = g->m;
    size_t na = viz_list_visible(&m->arrivals, ev);
    viz_set(g, g->th->fg, 0.7);
    /* one path for all dots, and one dot per 2-pixel cell: records read by
     * several queries, or close in time, land on the same spot (tens of
     * thousands of dots would otherwise cost a frame its budget) */
    int gw = (int)(p->pw / 2) + 2, gh = (int)(p->ph / 2) + 2;
    unsigned char *seen = calloc((size_t)gw * (size_t)gh, 1);
    for (size_t k = 0; k < na; k++) {
        if (m->arrivals.v[k].a < p->ymin || m->arrivals.v[k].a > p->ymax) continue;
        double x = et_x(p, m->arrivals.v[k].t_us), y = et_y(p, m->arrivals.v[k].a);
        int cx = (int)((x - p->px) / 2), cy = (int)((y - p->py) / 2);
        if (seen && cx >= 0 && cy >= 0 && cx < gw && cy < gh) {
            if (seen[(size_t)cy * (size_t)gw + (size_t)cx]) continue;
            seen[(size_t)cy * (size_t)gw + (size_t)cx] = 1;
        }
        cairo_new_sub_path(g->cr);
        cairo_arc(g->cr, x, y, 4, 0, 6.2832);
    }
    cairo_fill(g->cr);
    free(seen);
}

/* The query the panel follows: the one whose windows it shows, else the
 * first with a watermark; -1 when none. */
static int64_t focus_query(const viz_model *m, const viz_ewins *w) {
    if (w) return w->query;
    return m->watermarks.n ? m->watermarks.v[0].c : -1;
}

/* The cursor's processing time as drawn: while playing, eased from where
 * the ease began (viz/ease.h), so what grows with it grows smoothly. */
static int64_t et_now(const viz_gc *g) {
    const viz_live *from = viz_ease_from(g);
    return from ? (int64_t)viz_eased(g, (double)from->t_us, (double)g->v->live.t_us) : g->v->live.t_us;
}

/* Each query's watermark as a stepped line (it holds until the next batch
 * moves it): the focus query's bold and labelled, the others thin and dashed
 * (Flink shows every operator's watermark at once; so do we, quietly). */
static void et_watermarks(viz_gc *g, const et_plot *p, uint32_t ev, int64_t focus) {
    const viz_model *m = g->m;
    size_t nw = viz_list_visible(&m->watermarks, ev);
    int64_t done[8];
    int ndone = 0;
    for (size_t first = 0; first < nw && ndone < 8; first++) {
        int64_t q = m->watermarks.v[first].c;
        int seen = 0;
        for (int k = 0; k < ndone; k++) seen |= done[k] == q;
        if (seen) continue;
        done[ndone++] = q;
        int main_line = q == focus;
        double dash[] = {10, 6};
        cairo_set_dash(g->cr, dash, main_line ? 0 : 2, 0);
        viz_set(g, g->th->watermark, main_line ? 1 : 0.8);
        cairo_set_line_width(g->cr, (main_line ? 4 : 2) * g->th->stroke);
        /* while playing, a step made since the ease began rises into place (viz/ease.h) */
        const viz_live *from = viz_ease_from(g);
        int64_t last = m->watermarks.v[first].a, level = last;
        cairo_move_to(g->cr, et_x(p, m->watermarks.v[first].t_us), et_y(p, last));
        for (size_t k = first + 1; k < nw; k++) {
            if (m->watermarks.v[k].c != q) continue;
            cairo_line_to(g->cr, et_x(p, m->watermarks.v[k].t_us), et_y(p, level));
            int64_t prev = last;
            last = m->watermarks.v[k].a;
            level = from && m->watermarks.v[k].ev > from->event ? (int64_t)viz_eased(g, (double)prev, (double)last) : last;
            cairo_line_to(g->cr, et_x(p, m->watermarks.v[k].t_us), et_y(p, level));
        }
        cairo_line_to(g->cr, et_x(p, et_now(g)), et_y(p, level));
        cairo_stroke(g->cr);
        cairo_set_dash(g->cr, NULL, 0, 0);
        if (!main_line) continue;
        char buf[80], d[32];
        snprintf(buf, sizeof buf, "watermark %s", viz_fmt_event(last, p->absolute, 0, d, sizeof d));
        double lx = et_x(p, et_now(g)), ly = et_y(p, level);
        if (lx > p->px + p->pw * 0.7) /* near the right edge: the label goes above the line, ending at it */
            viz_text(g, lx, ly - 40, 18, 1, g->th->watermark, VIZ_RIGHT, 0, buf);
        else
            viz_text(g, lx + 8, ly - 12, 18, 1, g->th->watermark, VIZ_LEFT, 0, buf);
    }
}

/* Rows dropped late: a cross with their count under the watermark (of
 * their own query) that dropped them. */
static void et_late(viz_gc *g, const et_plot *p, uint32_t ev) {
    const viz_model *m = g->m;
    size_t nl = viz_list_visible(&m->late, ev);
    for (size_t k = 0; k < nl; k++) {
        size_t w = watermark_at(m, m->late.v[k].c, m->late.v[k].ev);
        double x = et_x(p, m->late.v[k].t_us), y = w ? et_y(p, m->watermarks.v[w - 1].a) + 18 : p->py + p->ph - 18;
        viz_cross(g, x, y, 8, g->th->fault, 3.5);
        char buf[32];
        snprintf(buf, sizeof buf, "%" PRId64, m->late.v[k].a);
        viz_text(g, x + 12, y - 10, 16, 1, g->th->fault, VIZ_LEFT, 0, buf);
    }
}

/* Window e's box at raw event last (the frame's last) and time t_us:
 * x0, y0 (top), x1, y1; 0 when it is not drawn (not open yet, or off the
 * event-time axis). Sets *closed. Shared by drawing and hit testing. */
static int window_box(const et_plot *p, const viz_ewin *e, uint32_t last, int64_t t_us, double b[4], int *closed) {
    if (e->open_ev > last || e->end_us < p->ymin || e->start_us > p->ymax) return 0;
    *closed = e->close_ev <= last && e->close_ev != VIZ_NONE;
    int64_t top = e->end_us < p->ymax ? e->end_us : p->ymax, bottom = e->start_us > p->ymin ? e->start_us : p->ymin;
    b[0] = et_x(p, e->open_us), b[2] = et_x(p, *closed ? e->close_us : t_us);
    b[1] = et_y(p, top), b[3] = et_y(p, bottom);
    if (b[2] < b[0] + 3) b[2] = b[0] + 3;
    return 1;
}

/* A 16 px label over the plot, on a veil of the panel's colour so boxes
 * and dots under it do not cross its letters. */
static void label_on_panel(viz_gc *g, double x, double y, int bold, viz_rgb c, double max_w, const char *text) {
    double tw = viz_text_width(g, 16, bold, text);
    viz_set(g, g->th->panel, 0.85);
    cairo_rectangle(g->cr, x - 4, y, (tw < max_w ? tw : max_w) + 8, 21);
    cairo_fill(g->cr);
    viz_text(g, x, y, 16, bold, c, VIZ_LEFT, max_w, text);
}

static void et_windows(viz_gc *g, const et_plot *p, const viz_ewins *w, size_t f) {
    const viz_model *m = g->m;
    uint32_t last = m->frame_end[f];
    unsigned char *flashes = calloc(w->n ? w->n : 1, 1);
    int64_t batch = flashes ? viz_ewin_flashes(m, w, f, flashes) : -1;
    int nflash = 0, nlabels = 0;
    double lw = g->th->stroke, labels[16][3]; /* the range labels drawn: x, y, width */
    for (size_t k = 0; k < w->n; k++) {
        const viz_ewin *e = &w->v[k];
        double b[4];
        int closed;
        if (!window_box(p, e, last, et_now(g), b, &closed)) continue;
        double x0 = b[0], y0 = b[1], x1 = b[2], y1 = b[3];
        int flash = flashes ? flashes[k] : 0;
        cairo_rectangle(g->cr, x0, y0 + 1, x1 - x0, y1 - y0 - 2);
        /* open: a light box still growing, its right edge dashed; closed: a
         * darker box with a solid edge */
        if (flash == 2)
            viz_set(g, g->th->recovery, 0.30);
        else
            viz_set(g, closed ? g->th->muted : g->th->fg, closed ? 0.22 : 0.05);
        cairo_fill(g->cr);
        viz_set(g, flash ? g->th->recovery : g->th->fg, flash ? 1 : closed ? 0.6 : 0.5);
        cairo_set_line_width(g->cr, (flash ? 3 : closed ? 1.5 : 1.5) * lw);
        cairo_move_to(g->cr, x1, y0 + 1);
        cairo_line_to(g->cr, x0, y0 + 1);
        cairo_line_to(g->cr, x0, y1 - 1);
        cairo_line_to(g->cr, x1, y1 - 1);
        if (closed) cairo_close_path(g->cr);
        cairo_stroke(g->cr);
        if (!closed) { /* still kept: the edge moves with processing time */
            double dash[] = {4, 4};
            cairo_set_dash(g->cr, dash, 2, 0);
            cairo_move_to(g->cr, x1, y0 + 1);
            cairo_line_to(g->cr, x1, y1 - 1);
            cairo_stroke(g->cr);
            cairo_set_dash(g->cr, NULL, 0, 0);
        }
        if (g->v->inspect == VIZ_INSPECT_WINDOW && g->v->inspect_id == ((int64_t)(w - m->ewin) << 32 | (int64_t)k)) {
            viz_set(g, g->th->recovery, 1); /* the window the card is about */
            cairo_set_line_width(g->cr, 5 * lw);
            cairo_rectangle(g->cr, x0 - 3, y0 - 2, x1 - x0 + 6, y1 - y0 + 4);
            cairo_stroke(g->cr);
        }
        if (closed && w->mode == 1) { /* append: the final result left when it closed */
            viz_set(g, g->th->recovery, 0.9);
            cairo_rectangle(g->cr, x1 - 3, y0 + 1, 3, y1 - y0 - 2);
            cairo_fill(g->cr);
        }
        if (flash == 2 && y1 - y0 >= 20) { /* which window: its range, inside the box (else left of it) */
            char a[32], b[32], range[80];
            viz_fmt_event(e->start_us, p->absolute, 1, a, sizeof a);
            viz_fmt_event(e->end_us, p->absolute, 1, b, sizeof b);
            snprintf(range, sizeof range, "[%s, %s)", a, b);
            double tw = viz_text_width(g, 16, 1, range), ty = (y0 + y1) / 2 - 11;
            double tx = x1 - x0 >= tw + 12 ? x0 + 6 : x0 - 6 - tw;
            int clear = 1; /* sliding windows overlap: a label never covers another */
            for (int q = 0; q < nlabels; q++)
                clear &= tx + tw < labels[q][0] || tx > labels[q][0] + labels[q][2] || ty + 22 < labels[q][1] || ty > labels[q][1] + 22;
            if (clear && nlabels < 16) {
                labels[nlabels][0] = tx, labels[nlabels][1] = ty, labels[nlabels][2] = tw;
                nlabels++;
                viz_text(g, tx, ty, 16, 1, g->th->recovery, VIZ_LEFT, 0, range);
            }
        }
        nflash += flash == 2;
    }
    free(flashes);
    char buf[160], name[64], len[32], slide[32];
    const char *mode = eng_ss_mode_name((uint32_t)w->mode);
    viz_query_name(m, w->query, name, sizeof name);
    fmt_len(w->length_us, len, sizeof len);
    if (w->slide_us && w->slide_us != w->length_us)
        snprintf(buf, sizeof buf, "boxes: the state store's windows of %s, every %s (query %s, %s mode)", len,
                 fmt_len(w->slide_us, slide, sizeof slide), name, mode);
    else
        snprintf(buf, sizeof buf, "boxes: the state store's windows of %s (query %s, %s mode)", len, name, mode);
    double ty = p->py + (p->absolute ? 20 : 0);
    label_on_panel(g, p->px + 10, ty, 0, g->th->muted, p->pw - 20, buf);
    if (batch >= 0) {
        snprintf(buf, sizeof buf, "batch %" PRId64 " emits %d %s", batch, nflash, nflash == 1 ? "window" : "windows");
        label_on_panel(g, p->px + 10, ty + 22, 1, g->th->recovery, p->pw * 0.6, buf);
    }
}

/* The plot of the panel in rect r (the layout's). */
static et_plot et_plot_of(viz_rect r) {
    viz_rect c = viz_panel_content(r);
    return (et_plot){.px = c.x + 110, .pw = c.w - 120, .py = c.y + 6, .ph = c.h - 32};
}

int viz_eventtime_zoom(const viz_view *v) {
    if (v->et_zoom) return v->et_zoom < 0 ? 0 : v->et_zoom;
    viz_rect lay[VIZ_PANEL_COUNT_];
    viz_layout(v->m, lay);
    et_plot p = et_plot_of(lay[VIZ_PANEL_EVENTTIME]);
    et_whole_run(v->m, &p);
    int64_t span = et_auto_span(v->m, viz_ewin_focus(v->m, v->frame), &p, v->live.event);
    int z = 0;
    while (span > 0 && z < ET_ZOOM_MAX && ((p.ymax - p.ymin) >> (z + 1)) >= span) z++;
    return z;
}

int viz_eventtime_hit(const viz_view *v, viz_rect panel, double x, double y, int64_t *id) {
    const viz_model *m = v->m;
    const viz_ewins *w = viz_ewin_focus(m, v->frame);
    if (!w || panel.w <= 0) return VIZ_INSPECT_NONE;
    et_plot p = et_plot_of(panel);
    if (x < p.px || x > p.px + p.pw || y < p.py || y > p.py + p.ph) return VIZ_INSPECT_NONE;
    et_whole_run(m, &p);
    et_follow(m, et_span(m, w, &p, v->et_zoom, v->live.event), v->live.event, v->live.t_us, &p);
    uint32_t last = m->frame_end[v->frame];
    for (size_t k = w->n; k-- > 0;) { /* the newest first: drawn last, on top */
        double b[4];
        int closed;
        if (window_box(&p, &w->v[k], last, v->live.t_us, b, &closed) && x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3]) {
            *id = (int64_t)(w - m->ewin) << 32 | (int64_t)k;
            return VIZ_INSPECT_WINDOW;
        }
    }
    return VIZ_INSPECT_NONE;
}

void viz_panel_eventtime(viz_gc *g, viz_rect r) {
    const viz_model *m = g->m;
    uint32_t ev = g->v->live.event;
    const viz_ewins *w = viz_ewin_focus(m, g->v->frame);
    viz_panel(g, r, "EVENT TIME vs PROCESSING TIME", /* its content is et_plot_of(r)'s frame */
                           w ? "dots: records \u00B7 boxes: windows \u00B7 green: watermark \u00B7 \u00D7: late"
                                     : "dots: records \u00B7 green: watermark \u00B7 \u00D7: dropped late \u00B7 ticks: emissions");
    et_plot p = et_plot_of(r);
    et_whole_run(m, &p);
    et_follow(m, et_span(m, w, &p, g->v->et_zoom, ev), ev, g->v->live.t_us, &p);
    const viz_live *from = viz_ease_from(g);
    if (from && p.follow) { /* while playing, a page turn of the followed axes eases (viz/ease.h) */
        et_plot q = p;
        et_whole_run(m, &q);
        et_follow(m, et_span(m, viz_ewin_focus(m, g->v->ease_from_frame), &q, g->v->et_zoom, from->event), from->event, from->t_us,
                  &q);
        if (q.follow) {
            p.xmin = (int64_t)viz_eased(g, (double)q.xmin, (double)p.xmin);
            p.xmax = (int64_t)viz_eased(g, (double)q.xmax, (double)p.xmax);
            p.ymin = (int64_t)viz_eased(g, (double)q.ymin, (double)p.ymin);
            p.ymax = (int64_t)viz_eased(g, (double)q.ymax, (double)p.ymax);
        }
    }
    et_axes(g, &p);
    cairo_save(g->cr); /* what is drawn in data coordinates stays in the plot */
    cairo_rectangle(g->cr, p.px, p.py - 2, p.pw + 2, p.ph + 4);
    cairo_clip(g->cr);
    if (w) et_windows(g, &p, w, g->v->frame);
    et_dots(g, &p, ev);
    et_watermarks(g, &p, ev, focus_query(m, w));
    et_late(g, &p, ev);
    size_t ns = viz_list_visible(&m->sinks, ev); /* emissions: a tick on the time axis per sink write */
    for (size_t k = 0; k < ns; k++) {
        double x = et_x(&p, m->sinks.v[k].t_us);
        int now = m->sinks.v[k].ev == ev;
        viz_set(g, now ? g->th->recovery : g->th->muted, 1);
        cairo_rectangle(g->cr, x - (now ? 3 : 1.5), p.py + p.ph - (now ? 22 : 12), now ? 6 : 3, now ? 22 : 12);
        cairo_fill(g->cr);
    }
    cairo_restore(g->cr);
    if (!m->arrivals.n) /* under the top date, the windows' label and what a batch emits */
        viz_text(g, p.px + 10, p.py + (p.absolute ? 20 : 0) + (w ? 44 : 0), 16, 0, g->th->muted, VIZ_LEFT, p.pw - 20,
                 "no record dots: they need --trace-records and a source that knows event times");
}
