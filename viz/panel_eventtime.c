/* viz/panel_eventtime.c — event time against processing time, as in
 * "Streaming 101/102": processing time on x, event time on y, the ideal
 * diagonal, each record a dot at (arrival, event time), the watermark as a
 * stepped line below, late rows dropped behind it as crosses. */
#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <time.h>

#include "draw.h"

/* An event time on the axis: a duration from 0 for times near the run's own
 * clock, a UTC date and time for a dataset's real ones. */
static const char *fmt_event(int64_t us, int absolute, char *buf, size_t n) {
    if (!absolute) return viz_fmt_dur(us, buf, n);
    time_t secs = (time_t)(us / 1000000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    strftime(buf, n, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

void viz_panel_eventtime(viz_gc *g, viz_rect r) {
    const viz_model *m = g->m;
    uint32_t ev = g->v->live.event;
    viz_rect c = viz_panel(g, r, "EVENT TIME vs PROCESSING TIME", "dots: records \u00B7 green: watermark \u00B7 \u00D7: dropped late \u00B7 ticks: emissions");
    double axis_w = 110, px = c.x + axis_w, pw = c.w - axis_w - 10, py = c.y + 6, ph = c.h - 44;
    int64_t xmax = m->end_us > 0 ? m->end_us : 1, ymin = 0, ymax = 1;
    for (size_t k = 0; k < m->arrivals.n; k++)
        if (m->arrivals.v[k].a > ymax) ymax = m->arrivals.v[k].a;
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
    int absolute = lo != INT64_MAX && lo > 100 * xmax;
    if (absolute) {
        ymin = lo - (ymax - lo) / 20;
        ymax += (ymax - lo) / 20 + 1;
    } else if (xmax > ymax) {
        ymax = xmax;
    }
    xmax = (xmax + 999999) / 1000000 * 1000000; /* whole seconds on the axes */
    if (!absolute) ymax = (ymax + 999999) / 1000000 * 1000000;
    char d[32];
    viz_set(g, g->th->grid, 1);
    cairo_rectangle(g->cr, px, py, 1.5, ph);
    cairo_rectangle(g->cr, px, py + ph, pw, 1.5);
    cairo_fill(g->cr);
    if (absolute) { /* dates: written inside the plot, the axis gutter is narrow */
        viz_text(g, px + 8, py - 4, 16, 0, g->th->muted, VIZ_LEFT, 0, fmt_event(ymax, 1, d, sizeof d));
        viz_text(g, px - 12, py + ph - 20, 16, 0, g->th->muted, VIZ_RIGHT, 0, fmt_event(ymin, 1, d, sizeof d) + 11);
    } else {
        viz_text(g, px - 12, py - 4, 18, 0, g->th->muted, VIZ_RIGHT, 0, viz_fmt_dur(ymax, d, sizeof d));
        viz_text(g, px - 12, py + ph - 20, 18, 0, g->th->muted, VIZ_RIGHT, 0, "0");
    }
    viz_text(g, px + pw, py + ph + 8, 18, 0, g->th->muted, VIZ_RIGHT, 0, viz_fmt_dur(xmax, d, sizeof d));
    viz_text(g, px + pw / 2, py + ph + 8, 18, 0, g->th->muted, VIZ_CENTER, 0, "processing time \u2192");
#define X(t) (px + pw * (double)(t) / (double)xmax)
#define Y(t) (py + ph - ph * (double)((t) - ymin) / (double)(ymax - ymin))
    /* the ideal: event time = processing time */
    double dash[] = {6, 6};
    if (!absolute) {
        cairo_set_dash(g->cr, dash, 2, 0);
        viz_set(g, g->th->muted, 1);
        cairo_set_line_width(g->cr, 1.5);
        cairo_move_to(g->cr, X(0), Y(0));
        cairo_line_to(g->cr, X(xmax), Y(xmax < ymax ? xmax : ymax));
        cairo_stroke(g->cr);
        cairo_set_dash(g->cr, NULL, 0, 0);
    }
    size_t na = viz_list_visible(&m->arrivals, ev);
    viz_set(g, g->th->fg, 0.7);
    /* one path for all dots, and one dot per 2-pixel cell: records read by
     * several queries, or close in time, land on the same spot (tens of
     * thousands of dots would otherwise cost a frame its budget) */
    int gw = (int)(pw / 2) + 2, gh = (int)(ph / 2) + 2;
    unsigned char *seen = calloc((size_t)gw * (size_t)gh, 1);
    for (size_t k = 0; k < na; k++) {
        if (m->arrivals.v[k].a < ymin || m->arrivals.v[k].a > ymax) continue;
        double x = X(m->arrivals.v[k].t_us), y = Y(m->arrivals.v[k].a);
        int cx = (int)((x - px) / 2), cy = (int)((y - py) / 2);
        if (seen && cx >= 0 && cy >= 0 && cx < gw && cy < gh) {
            if (seen[(size_t)cy * (size_t)gw + (size_t)cx]) continue;
            seen[(size_t)cy * (size_t)gw + (size_t)cx] = 1;
        }
        cairo_new_sub_path(g->cr);
        cairo_arc(g->cr, x, y, 4, 0, 6.2832);
    }
    cairo_fill(g->cr);
    free(seen);
    size_t nw = viz_list_visible(&m->watermarks, ev);
    if (nw) { /* stepped: the watermark holds until the next batch moves it */
        viz_set(g, g->th->watermark, 1);
        cairo_set_line_width(g->cr, 4 * g->th->stroke);
        cairo_move_to(g->cr, X(m->watermarks.v[0].t_us), Y(m->watermarks.v[0].a));
        for (size_t k = 1; k < nw; k++) {
            cairo_line_to(g->cr, X(m->watermarks.v[k].t_us), Y(m->watermarks.v[k - 1].a));
            cairo_line_to(g->cr, X(m->watermarks.v[k].t_us), Y(m->watermarks.v[k].a));
        }
        cairo_line_to(g->cr, X(g->v->live.t_us), Y(m->watermarks.v[nw - 1].a));
        cairo_stroke(g->cr);
        char buf[64];
        snprintf(buf, sizeof buf, "watermark %s", fmt_event(m->watermarks.v[nw - 1].a, absolute, d, sizeof d));
        double lx = X(g->v->live.t_us), ly = Y(m->watermarks.v[nw - 1].a);
        if (lx > px + pw * 0.7) /* near the right edge: the label goes above the line, ending at it */
            viz_text(g, lx, ly - 40, 18, 1, g->th->watermark, VIZ_RIGHT, 0, buf);
        else
            viz_text(g, lx + 8, ly - 12, 18, 1, g->th->watermark, VIZ_LEFT, 0, buf);
    }
    size_t nl = viz_list_visible(&m->late, ev);
    for (size_t k = 0; k < nl; k++) { /* under the watermark that dropped them */
        size_t w = viz_list_visible(&m->watermarks, m->late.v[k].ev);
        double x = X(m->late.v[k].t_us), y = w ? Y(m->watermarks.v[w - 1].a) + 18 : py + ph - 18;
        viz_cross(g, x, y, 8, g->th->fault, 3.5);
        char buf[32];
        snprintf(buf, sizeof buf, "%" PRId64, m->late.v[k].a);
        viz_text(g, x + 12, y - 10, 16, 1, g->th->fault, VIZ_LEFT, 0, buf);
    }
    size_t ns = viz_list_visible(&m->sinks, ev); /* emissions: a tick on the time axis per sink write */
    for (size_t k = 0; k < ns; k++) {
        double x = X(m->sinks.v[k].t_us);
        int now = m->sinks.v[k].ev == ev;
        viz_set(g, now ? g->th->recovery : g->th->muted, 1);
        cairo_rectangle(g->cr, x - (now ? 3 : 1.5), py + ph - (now ? 22 : 12), now ? 6 : 3, now ? 22 : 12);
        cairo_fill(g->cr);
    }
    if (!m->arrivals.n)
        viz_text(g, px + 16, py + (absolute ? 28 : 8), 18, 0, g->th->muted, VIZ_LEFT, pw - 32, /* under the top date */
                 "no record dots: they need --trace-records and a source that knows event times "
                 "(replay, or an arrival function's second result)");
#undef X
#undef Y
}
