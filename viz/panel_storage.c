/* viz/panel_storage.c — durable storage: one row per kind of durable write
 * (metadata and data checkpoints, write-ahead log, offset and commit logs,
 * recovery phases), each write a tick on a strip of processing time; the
 * newest visible tick is larger. (The outputs: panel_outputs.c.) */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"

static const char *const row_names[VIZ_DUR_COUNT_] = {"metadata ckpt", "data ckpt", "WAL",     "offset log",
                                                      "commit log",    "state store", "recovery"};

static double x_of(const viz_model *m, double x0, double w, int64_t t_us) {
    return x0 + w * (double)t_us / (double)(m->end_us > 0 ? m->end_us : 1);
}

/* Where the rows and strips go in content rect c: shared by drawing and hit testing. */
typedef struct storage_geom {
    int rows[VIZ_DUR_COUNT_], n;
    double rh, sx, sw;
} storage_geom;

static storage_geom storage_layout(const viz_model *m, viz_rect c) {
    storage_geom q = {.n = 0};
    for (int d = 0; d < VIZ_DUR_COUNT_; d++)
        if (m->durable[d].n) q.rows[q.n++] = d;
    q.rh = (c.h - 40) / (q.n ? q.n : 1);
    if (q.rh > 52) q.rh = 52;
    double label_w = 190, count_w = 70;
    q.sx = c.x + label_w, q.sw = c.w - label_w - count_w;
    return q;
}

int viz_storage_hit(const viz_view *v, viz_rect panel, double x, double y, int64_t *id) {
    const viz_model *m = v->m;
    if (panel.w <= 0) return VIZ_INSPECT_NONE;
    viz_rect c = viz_panel_content(panel);
    storage_geom q = storage_layout(m, c);
    int i = (int)((y - c.y) / q.rh);
    if (y < c.y || i < 0 || i >= q.n || x < q.sx - 8 || x > q.sx + q.sw + 8) return VIZ_INSPECT_NONE;
    const viz_list *l = &m->durable[q.rows[i]];
    double best = 9;
    for (size_t k = viz_list_visible(l, v->live.event); k-- > 0;) { /* the newest of the nearest */
        double dx = fabs(x_of(m, q.sx, q.sw, l->v[k].t_us) - x);
        if (dx < best) best = dx, *id = l->v[k].ev;
    }
    return best < 9 ? VIZ_INSPECT_WRITE : VIZ_INSPECT_NONE;
}

void viz_panel_storage(viz_gc *g, viz_rect r) {
    const viz_model *m = g->m;
    uint32_t ev = g->v->live.event;
    viz_rect c = viz_panel(g, r, "DURABLE STORAGE", "survives every crash");
    storage_geom q = storage_layout(m, c);
    const int *rows = q.rows, n = q.n;
    double rh = q.rh, sx = q.sx, sw = q.sw;
    const sim_trace_rec *cur = &m->trace->events[ev];
    for (int i = 0; i < n; i++) {
        int d = rows[i];
        const viz_list *l = &m->durable[d];
        double y = c.y + i * rh;
        size_t vis = viz_list_visible(l, ev);
        viz_rgb col = d == VIZ_DUR_RECOVERY ? g->th->recovery : g->th->storage;
        viz_text(g, c.x, y + rh / 2 - 12, 19, 1, g->th->fg, VIZ_LEFT, sx - c.x - 10, row_names[d]);
        viz_set(g, g->th->grid, 1);
        cairo_rectangle(g->cr, sx, y + rh / 2 - 1, sw, 2);
        cairo_fill(g->cr);
        for (size_t k = 0; k < vis; k++) {
            double x = x_of(m, sx, sw, l->v[k].t_us);
            int newest = k + 1 == vis, now = l->v[k].ev == ev;
            double hh = now ? rh * 0.45 : newest ? rh * 0.38 : rh * 0.26;
            viz_set(g, col, 1);
            cairo_rectangle(g->cr, x - (now ? 4 : 2.5), y + rh / 2 - hh, now ? 8 : 5, 2 * hh);
            cairo_fill(g->cr);
            if (now) {
                viz_set(g, g->th->fg, 1);
                cairo_set_line_width(g->cr, 2);
                cairo_rectangle(g->cr, x - 7, y + rh / 2 - hh - 3, 14, 2 * hh + 6);
                cairo_stroke(g->cr);
            }
        }
        char buf[32];
        snprintf(buf, sizeof buf, "%zu", vis);
        viz_text(g, c.x + c.w, y + rh / 2 - 12, 20, 1, vis ? g->th->fg : g->th->muted, VIZ_RIGHT, 0, buf);
    }
    /* the cursor over all strips */
    double cx = x_of(m, sx, sw, g->v->live.t_us);
    viz_set(g, g->th->fg, 0.6);
    cairo_rectangle(g->cr, cx - 1, c.y, 2, n * rh);
    cairo_fill(g->cr);
    /* the latest durable write, in words */
    uint32_t last = VIZ_NONE;
    for (int i = 0; i < n; i++) {
        size_t vis = viz_list_visible(&m->durable[rows[i]], ev);
        if (vis && (last == VIZ_NONE || m->durable[rows[i]].v[vis - 1].ev > last)) last = m->durable[rows[i]].v[vis - 1].ev;
    }
    if (last != VIZ_NONE) {
        char words[300];
        viz_describe(m, last, words, sizeof words);
        viz_text(g, c.x, c.y + c.h - 26, 18, 0, last == ev ? g->th->fg : g->th->muted, VIZ_LEFT, c.w, words);
    }
    (void)cur;
}

/* Event time is worth a panel with a watermark (Structured Streaming); a
 * DStream job's records are stamped by arrival, so the panel collapses. */
int viz_has_eventtime(const viz_model *m) { return m->watermarks.n || m->late.n || m->newin; }
