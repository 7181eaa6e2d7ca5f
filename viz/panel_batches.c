/* viz/panel_batches.c — the batch timeline, as the Spark UI's streaming tab:
 * one bar per batch, scheduling delay (hatched) under processing time (the
 * batch's colour), against the batch interval line (a query's trigger when
 * the run has no DStream batch). Failed tasks are crosses over their batch;
 * attempts killed because another attempt won are not failures: no cross,
 * "2 killed" in muted words under the batch; a batch generated again after
 * recovery has a dashed blue border. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "draw.h"

#define SLOTS_DEFAULT 24 /* batches shown at once: the latest ones (the mouse wheel zooms) */

/* Where the bars go: shared by drawing and hit testing. */
typedef struct geom {
    size_t visible, first, slots;
    double plot_x, plot_w, plot_y, plot_h, sw, bw;
} geom;

/* For state s: live's, or while playing the state an ease began from. */
static geom layout_bars(const viz_view *v, const viz_live *s, viz_rect c) {
    const viz_model *m = v->m;
    geom q = {0};
    while (q.visible < m->nbatches && m->batches[q.visible].gen_ev <= s->event) q.visible++;
    size_t n = v->batch_slots > 0 ? (size_t)v->batch_slots : SLOTS_DEFAULT;
    size_t pan = v->batch_pan > 0 ? (size_t)v->batch_pan : 0;
    size_t last = q.visible > pan ? q.visible - pan : 0; /* one past the rightmost visible batch shown */
    if (last < n && q.visible >= n) last = n;
    q.first = m->nbatches > n ? (last > n ? last - n : 0) : 0;
    q.slots = m->nbatches - q.first < n ? m->nbatches - q.first : n;
    q.plot_x = c.x + 110, q.plot_w = c.w - 110, q.plot_y = c.y + 10, q.plot_h = c.h - 70;
    q.sw = q.slots ? q.plot_w / (double)q.slots : 0;
    q.bw = fmin(q.sw * 0.7, 90);
    return q;
}

int viz_batches_hit(const viz_view *v, viz_rect panel, double x, double y) {
    viz_rect c = viz_panel_content(panel);
    geom q = layout_bars(v, &v->live, c);
    if (!q.slots || x < q.plot_x || x >= q.plot_x + q.plot_w || y < c.y || y > q.plot_y + q.plot_h + 60) return -1;
    size_t i = q.first + (size_t)((x - q.plot_x) / q.sw);
    return i < q.visible && i < q.first + q.slots ? (int)i : -1;
}

static int64_t total_us(const viz_batch *b, int64_t now_us) {
    int64_t end = b->done_us >= 0 ? b->done_us : now_us;
    return end - b->gen_us;
}

/* Scaled to the longest batch seen so far (not to the interval) so that
 * short batches still show, in 1-2-5 steps so the scale moves seldom, at
 * most one gridline per 56 px so labels never touch. Sets *step_us. */
static int64_t y_scale(const viz_view *v, const viz_live *s, const geom *q, int64_t *step_us) {
    const viz_model *m = v->m;
    int64_t ymax = 20000;
    for (size_t i = 0; i < q->visible; i++) {
        const viz_batch *b = &m->batches[i];
        int64_t t = b->done_ev <= s->event ? total_us(b, 0) : s->t_us - b->gen_us;
        if (t > ymax) ymax = t;
    }
    ymax = ymax * 5 / 4;
    if (m->interval_kind != VIZ_INTERVAL_NONE && ymax > m->interval_us && ymax < m->interval_us * 5 / 4)
        ymax = m->interval_us * 5 / 4;
    int64_t lines_max = q->plot_h / 56 < 2 ? 2 : q->plot_h / 56 > 5 ? 5 : (int64_t)(q->plot_h / 56);
    static const int64_t steps[] = {1000,   2000,    5000,    10000,   20000,    50000,    100000,   200000,
                                    500000, 1000000, 2000000, 5000000, 10000000, 20000000, 50000000, 100000000};
    int64_t step = steps[sizeof steps / sizeof *steps - 1];
    for (size_t k = 0; k < sizeof steps / sizeof *steps; k++)
        if (ymax / steps[k] <= lines_max) {
            step = steps[k];
            break;
        }
    *step_us = step;
    return (ymax + step - 1) / step * step;
}

int64_t viz_batches_scale(const viz_view *v, const viz_live *s) {
    viz_rect p[VIZ_PANEL_COUNT_];
    viz_layout(v->m, p);
    geom q = layout_bars(v, s, viz_panel_content(p[VIZ_PANEL_BATCHES]));
    int64_t step;
    return y_scale(v, s, &q, &step);
}

/* Gridlines every step up to the scale; yd is the scale drawn (while an ease
 * runs, between the one it began from and ymax). */
static void draw_y_axis(viz_gc *g, const geom *q, double yd, int64_t ymax, int64_t step) {
    char d[32];
    for (int64_t y = 0; y <= ymax || (double)y <= yd; y += step) {
        if ((double)y > yd) break; /* a growing scale: the upper lines come in as it eases */
        double py = q->plot_y + q->plot_h - q->plot_h * (double)y / yd;
        viz_set(g, g->th->grid, 1);
        cairo_rectangle(g->cr, q->plot_x, py, q->plot_w, 1.5);
        cairo_fill(g->cr);
        viz_text(g, q->plot_x - 12, py - 11, 18, 0, g->th->muted, VIZ_RIGHT, 0, viz_fmt_dur(y, d, sizeof d));
    }
}

/* The left edge of batch i's bar in geometry q. */
static double bar_x(const geom *q, size_t i) { return q->plot_x + q->sw * ((double)i - (double)q->first) + (q->sw - q->bw) / 2; }

/* Bar i: scheduling delay hatched under processing time, crosses for failed
 * tasks, its total in words, the outline of what this frame touched. Its
 * heights are live's on the scale yd; while an ease runs (qf: the geometry
 * it began from) it slides from its slot there to its slot now. */
static void draw_bar(viz_gc *g, const geom *q, const geom *qf, size_t i, double yd, long touched) {
    const viz_model *m = g->m;
    const viz_batch *b = &m->batches[i];
    uint32_t ev = g->v->live.event;
    int64_t now = g->v->live.t_us;
    char buf[32], d[32];
    double x = bar_x(q, i), bw = q->bw, y0 = q->plot_y + q->plot_h;
    if (qf) x = viz_eased(g, bar_x(qf, i), x); /* a new batch comes in from the right with the others */
    int started = b->start_ev <= ev, done = b->done_ev <= ev;
    int64_t end = done ? b->done_us : now;
    double hs = q->plot_h * (double)((started ? b->start_us : now) - b->gen_us) / yd;
    double hp = started ? q->plot_h * (double)(end - b->start_us) / yd : 0;
    viz_rgb col = viz_batch_rgb(g, viz_batch_colour(m, b->batch_time_us));
    if (hs > 0) {
        viz_rect hr = {x, y0 - hs, bw, hs};
        viz_set(g, col, 0.25);
        cairo_rectangle(g->cr, hr.x, hr.y, hr.w, hr.h);
        cairo_fill(g->cr);
        viz_hatch(g, hr, col, 1, 10);
    }
    if (hp > 0) {
        viz_set(g, col, 1);
        cairo_rectangle(g->cr, x, y0 - hs - hp, bw, hp);
        cairo_fill(g->cr);
    }
    double top = y0 - hs - hp;
    cairo_rectangle(g->cr, x, top, bw, hs + hp);
    viz_set(g, b->rerun ? g->th->recovery : g->th->fg, 1);
    cairo_set_line_width(g->cr, (b->rerun ? 4 : 1.5) * g->th->stroke);
    if (b->rerun || !done) cairo_set_dash(g->cr, (const double[]){8, 5}, 2, 0);
    cairo_stroke(g->cr);
    cairo_set_dash(g->cr, NULL, 0, 0);
    int fails = 0;
    for (size_t k = 0; k < m->failures.n && m->failures.v[k].ev <= ev; k++) fails += m->failures.v[k].batch == (int32_t)i;
    for (int k = 0; k < fails && k < 4; k++) viz_cross(g, x + bw / 2, top - 16 - 24 * k, 9, g->th->fault, 4);
    if (fails > 4) {
        snprintf(buf, sizeof buf, "%d", fails);
        viz_text(g, x + bw / 2, top - 120, 18, 1, g->th->fault, VIZ_CENTER, 0, buf);
    }
    if (b->rerun && (q->sw >= 70 || i == 0 || !m->batches[i - 1].rerun)) /* one label per run of narrow re-runs */
        viz_text(g, x + bw / 2, y0 + 38, 18, 1, g->th->recovery, VIZ_CENTER, 0, "re-run");
    int kills = 0; /* attempts killed because a copy won: not failures, no cross; in muted words where there is room */
    for (size_t k = 0; k < m->kills.n && m->kills.v[k].ev <= ev; k++) kills += m->kills.v[k].batch == (int32_t)i;
    if (kills && !b->rerun && q->sw >= 64) {
        snprintf(buf, sizeof buf, "%d killed", kills);
        viz_text(g, x + bw / 2, y0 + 40, 16, 0, g->th->muted, VIZ_CENTER, q->sw - 4, buf);
    }
    if ((q->sw >= 64 || i + 1 == q->visible) && started) /* the number itself, for the back of the room */
        viz_text(g, x + bw / 2, top - 26 - (fails ? 24.0 * (fails < 4 ? fails : 4) + 6 : 0), 18, 1, g->th->fg, VIZ_CENTER, 0,
                 viz_fmt_dur(end - b->gen_us, d, sizeof d));
    if ((long)i == touched || (g->v->inspect == VIZ_INSPECT_BATCH && g->v->inspect_id == (int64_t)i)) {
        viz_round_rect(g->cr, x - 6, top - 6, bw + 12, y0 - top + 12, 6);
        viz_set(g, g->th->recovery, 1);
        cairo_set_line_width(g->cr, 3 * g->th->stroke);
        cairo_stroke(g->cr);
    }
    if (i + 1 == q->visible) { /* the newest batch: a marker under it */
        viz_set(g, g->th->fg, 1);
        cairo_move_to(g->cr, x + bw / 2, y0 + 4);
        cairo_line_to(g->cr, x + bw / 2 - 8, y0 + 14);
        cairo_line_to(g->cr, x + bw / 2 + 8, y0 + 14);
        cairo_close_path(g->cr);
        cairo_fill(g->cr);
    }
}

/* The batch interval as a dashed line (a bar above it is falling behind), or
 * where it is when it is above the scale. */
static void draw_interval(viz_gc *g, const geom *q, viz_rect c, double yd) {
    char buf[64], d[32];
    if (g->m->interval_kind == VIZ_INTERVAL_NONE) return; /* queries without a fixed trigger */
    const char *what = g->m->interval_kind == VIZ_INTERVAL_TRIGGER ? "trigger interval" : "batch interval";
    if ((double)g->m->interval_us > yd) {
        snprintf(buf, sizeof buf, "%s %s \u2191", what, viz_fmt_dur(g->m->interval_us, d, sizeof d));
        viz_text(g, c.x + c.w, c.y - 34, 18, 1, g->th->fault, VIZ_RIGHT, 0, buf);
        return;
    }
    double iy = q->plot_y + q->plot_h - q->plot_h * (double)g->m->interval_us / yd;
    cairo_set_dash(g->cr, (const double[]){12, 8}, 2, 0);
    viz_set(g, g->th->fault, 1);
    cairo_set_line_width(g->cr, 2.5 * g->th->stroke);
    cairo_move_to(g->cr, q->plot_x, iy);
    cairo_line_to(g->cr, q->plot_x + q->plot_w, iy);
    cairo_stroke(g->cr);
    cairo_set_dash(g->cr, NULL, 0, 0);
    snprintf(buf, sizeof buf, "%s %s", what, viz_fmt_dur(g->m->interval_us, d, sizeof d));
    viz_text(g, q->plot_x + q->plot_w - 4, iy - 26, 18, 1, g->th->fault, VIZ_RIGHT, 0, buf);
}

/* While playing, an ease (draw.h) moves the scale from the one drawn when
 * it began (at that state's own clock: a running batch's growth also moves
 * it) and slides the bars by their slots when a new batch pushes the oldest
 * out; bar heights are live's, the playback clock's, which runs smoothly. */
void viz_panel_batches(viz_gc *g, viz_rect r) {
    viz_rect c = viz_panel(g, r, "BATCH TIMELINE", "hatched: scheduling delay \u00B7 solid: processing time");
    geom q = layout_bars(g->v, &g->v->live, c), qf_ = {0}, *qf = NULL;
    int64_t step, ymax = y_scale(g->v, &g->v->live, &q, &step);
    double yd = (double)ymax;
    const viz_live *from = viz_ease_from(g);
    if (from) {
        int64_t step_f;
        qf_ = layout_bars(g->v, from, c), qf = &qf_;
        yd = viz_eased(g, (double)y_scale(g->v, from, qf, &step_f), yd);
    }
    draw_y_axis(g, &q, yd, ymax, step);
    if (q.slots == 0) {
        viz_text(g, c.x + c.w / 2, c.y + c.h / 2 - 14, 22, 0, g->th->muted, VIZ_CENTER, 0, "no batch yet");
        return;
    }
    long touched = viz_touched_batch(g->m, g->v->live.event);
    size_t first = q.first;
    if (qf) { /* bars slide: the one leaving on the left slides out under a clip */
        if (qf->first < first && qf->visible > qf->first) first = qf->first;
        cairo_save(g->cr);
        cairo_rectangle(g->cr, q.plot_x - 2, c.y - 46, q.plot_w + 2 + 16, c.h + 46 + 12); /* to the panel's edge */
        cairo_clip(g->cr);
    }
    for (size_t i = first; i < q.first + q.slots && i < q.visible; i++) draw_bar(g, &q, qf, i, yd, touched);
    size_t every = (size_t)ceil(80.0 / q.sw); /* x labels: batch times, thinned to fit */
    if (every < 1) every = 1;
    char d[32];
    for (size_t i = q.first; i < q.first + q.slots; i += every) {
        double lx = q.plot_x + q.sw * ((double)(i - q.first) + 0.5);
        if (qf) lx = viz_eased(g, qf->plot_x + qf->sw * ((double)i - (double)qf->first + 0.5), lx);
        viz_text(g, lx, q.plot_y + q.plot_h + 14, 18, 0, g->th->muted, VIZ_CENTER, 0,
                 g->m->batches[i].batch_time_us < 0 /* a query's batch: its id */
                     ? (snprintf(d, sizeof d, "#%lld", (long long)((-g->m->batches[i].batch_time_us - 1) % 1000000)), d)
                     : viz_fmt_dur(g->m->batches[i].batch_time_us, d, sizeof d));
    }
    if (qf) cairo_restore(g->cr);
    draw_interval(g, &q, c, yd);
}
