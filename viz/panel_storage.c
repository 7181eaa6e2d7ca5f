/* viz/panel_storage.c — durable storage and outputs.
 * Storage: one row per kind of durable write (metadata and data checkpoints,
 * write-ahead log, offset and commit logs, recovery phases), each write a
 * tick on a strip of processing time; the newest visible tick is larger.
 * Outputs: the latest output per sink and its rows per batch. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"

static const char *const row_names[VIZ_DUR_COUNT_] = {"metadata ckpt", "data ckpt", "WAL",     "offset log",
                                                      "commit log",    "state store", "recovery"};

static double x_of(const viz_model *m, double x0, double w, int64_t t_us) {
    return x0 + w * (double)t_us / (double)(m->end_us > 0 ? m->end_us : 1);
}

void viz_panel_storage(viz_gc *g, viz_rect r) {
    const viz_model *m = g->m;
    uint32_t ev = g->v->live.event;
    viz_rect c = viz_panel(g, r, "DURABLE STORAGE", "survives every crash");
    int rows[VIZ_DUR_COUNT_], n = 0;
    for (int d = 0; d < VIZ_DUR_COUNT_; d++)
        if (m->durable[d].n) rows[n++] = d;
    double rh = (c.h - 40) / (n ? n : 1);
    if (rh > 52) rh = 52;
    double label_w = 190, count_w = 70, sx = c.x + label_w, sw = c.w - label_w - count_w;
    const sim_trace_rec *cur = &m->trace->events[ev];
    for (int i = 0; i < n; i++) {
        int d = rows[i];
        const viz_list *l = &m->durable[d];
        double y = c.y + i * rh;
        size_t vis = viz_list_visible(l, ev);
        viz_rgb col = d == VIZ_DUR_RECOVERY ? g->th->recovery : g->th->storage;
        viz_text(g, c.x, y + rh / 2 - 12, 19, 1, g->th->fg, VIZ_LEFT, label_w - 10, row_names[d]);
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

/* Outputs: one row per output (up to 4, in order of first write), each with
 * its name (the query's, or "DStream output N"), its latest write, and bars of
 * rows for its latest 30 writes, scaled to that output's own largest write
 * over the run ("max 301" on the right): a small output, say an alert, is
 * not flattened by a big one, and the scale does not move while stepping.
 * The row of the frame's own sink write is outlined in blue, with the rows
 * written in large type where the maximum goes. */
void viz_panel_outputs(viz_gc *g, viz_rect r) {
    const viz_model *m = g->m;
    uint32_t ev = g->v->live.event;
    viz_rect c = viz_panel(g, r, "OUTPUTS", "rows written per batch, latest on the right, each to its own max");
    size_t vis = viz_list_visible(&m->sinks, ev);
    int64_t outs[4], rmax[4];
    int nout = 0;
    for (size_t k = 0; k < m->sinks.n && nout < 4; k++) { /* sinks in order of first write over the run */
        int seen = 0;
        for (int i = 0; i < nout; i++) seen |= outs[i] == m->sinks.v[k].a;
        if (!seen) outs[nout++] = m->sinks.v[k].a;
    }
    for (int i = 0; i < nout; i++) {
        rmax[i] = 0;
        for (size_t k = 0; k < m->sinks.n; k++)
            if (m->sinks.v[k].a == outs[i] && m->sinks.v[k].c > rmax[i]) rmax[i] = m->sinks.v[k].c;
    }
    const sim_trace_rec *cur = &m->trace->events[ev];
    int64_t cur_out = cur->type == ENG_EV_SINK_WRITE ? cur->arg[0] + (cur->text ? VIZ_SS_OUTPUT : 0) : -1;
    double rh = c.h / (nout ? nout : 1);
    int tight = rh < 64; /* three or four outputs: name and latest write on one line */
    double label_w = tight ? 500 : 370, max_w = 150; /* right column: "max 301", or the current write's rows */
    for (int i = 0; i < nout; i++) {
        double y = c.y + i * rh;
        char buf[160];
        int now = outs[i] == cur_out;
        if (now) { /* this frame writes here: the row outlined, as the element an event touches */
            viz_round_rect(g->cr, c.x - 10, y - (tight ? 1 : 4), c.w + 20, rh - (tight ? 2 : 4), 8);
            viz_set(g, g->th->recovery, 0.10);
            cairo_fill_preserve(g->cr);
            viz_set(g, g->th->recovery, 1);
            cairo_set_line_width(g->cr, 3 * g->th->stroke);
            cairo_stroke(g->cr);
        }
        const viz_mark *latest = NULL;
        for (size_t k = 0; k < vis; k++)
            if (m->sinks.v[k].a == outs[i]) latest = &m->sinks.v[k];
        int dstream = outs[i] < VIZ_SS_OUTPUT; /* DStream batch ids are batch times in ms */
        const char *query = NULL;
        for (size_t k = 0; k < m->sinks.n && !dstream && !query; k++)
            if (m->sinks.v[k].a == outs[i]) query = sim_trace_text(m->trace, &m->trace->events[m->sinks.v[k].ev]);
        if (dstream)
            snprintf(buf, sizeof buf, "DStream output %" PRId64, outs[i]);
        else
            snprintf(buf, sizeof buf, "query %s", query ? query : "?");
        double ty = tight ? y + (rh - 2) / 2 - 13 : y + 4;
        double nw = viz_text(g, c.x, ty, tight ? 19 : 22, 1, g->th->fg, VIZ_LEFT, tight ? 250 : label_w - 20, buf);
        if (latest)
            snprintf(buf, sizeof buf, "batch %" PRId64 "%s: %" PRId64 " rows", latest->b, dstream ? " ms" : "", latest->c);
        else
            snprintf(buf, sizeof buf, "nothing written yet");
        if (tight)
            viz_text(g, c.x + nw + 14, ty + 1, 18, now, now ? g->th->recovery : g->th->muted, VIZ_LEFT, label_w - nw - 34, buf);
        else
            viz_text(g, c.x, y + 36, 20, now, now ? g->th->recovery : g->th->muted, VIZ_LEFT, label_w - 20, buf);
        /* bars: the last 30 writes of this output, to its own maximum */
        double bx = c.x + label_w, bw = c.w - label_w - max_w - 10;
        double top = y + (tight ? 5 : 8), bh = rh - (tight ? 12 : 16);
        const viz_mark *sel[30];
        int ns = 0;
        for (size_t k = vis; k-- > 0 && ns < 30;)
            if (m->sinks.v[k].a == outs[i]) sel[ns++] = &m->sinks.v[k];
        double slot = bw / 30;
        viz_set(g, g->th->grid, 1); /* the maximum, a faint line over the bars */
        cairo_rectangle(g->cr, bx, top, bw, 1.5);
        cairo_fill(g->cr);
        for (int j = 0; j < ns; j++) {
            const viz_mark *k = sel[ns - 1 - j];
            double h = rmax[i] > 0 ? bh * (double)k->c / (double)rmax[i] : 0;
            if (h < 3) h = 3;
            double x = bx + slot * j;
            viz_set(g, viz_batch_rgb(g, dstream ? viz_batch_colour(m, k->b * 1000) : (int)(k->b % 7)), 1);
            cairo_rectangle(g->cr, x + 2, top + bh - h, slot - 4, h);
            cairo_fill_preserve(g->cr);
            viz_set(g, k->ev == ev ? g->th->recovery : g->th->fg, 1);
            cairo_set_line_width(g->cr, k->ev == ev ? 4 : 1.5);
            cairo_stroke(g->cr);
        }
        if (now) { /* the rows just written, large enough for the back of the room */
            snprintf(buf, sizeof buf, "%" PRId64 " %s", cur->arg[2], cur->arg[2] == 1 ? "row" : "rows");
            double px = tight ? 30 : 40;
            while (px > 20 && viz_text_width(g, px, 1, buf) > max_w) px -= 4; /* smaller rather than cut */
            viz_text(g, bx + bw + 14, y + (rh - (tight ? 2 : 4)) / 2 - px * 0.62 - (tight ? 1 : 4), px, 1, g->th->recovery,
                     VIZ_LEFT, max_w, buf);
        } else { /* the scale, at the end of its line */
            snprintf(buf, sizeof buf, "max %" PRId64, rmax[i]);
            viz_text(g, bx + bw + 14, top - 10, 17, 0, g->th->muted, VIZ_LEFT, max_w, buf);
        }
    }
}

/* Event time is worth a panel with a watermark (Structured Streaming); a
 * DStream job's records are stamped by arrival, so the panel collapses. */
int viz_has_eventtime(const viz_model *m) { return m->watermarks.n || m->late.n || m->newin; }
