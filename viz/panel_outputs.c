/* viz/panel_outputs.c — the outputs: one row per output (up to 4, in order
 * of first write), each with its name (the query's, or "DStream output N"),
 * its latest write, and bars of rows for its latest 30 writes, scaled to
 * that output's own largest write over the run ("max 301" on the right): a
 * small output, say an alert, is not flattened by a big one, and the scale
 * does not move while stepping. The row of the frame's own sink write is
 * outlined in blue, with the rows written in large type where the maximum
 * goes.
 *
 * With the checker's findings (findings.h), a write that lost or duplicated
 * records against the run without faults is marked in the fault colour from
 * its own frame on: the records missing stacked on its bar as a hatched,
 * dashed box, the duplicated or unexpected ones hatched across the bar's
 * top, the bar outlined, and in words (`batch 5000 ms: 40 rows · 10
 * missing`); the row keeps the count so far, and the checker's verdict on
 * the last frame. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "findings.h"

#define BARS 30 /* writes drawn per output */

/* A bar's findings: the records missing stacked on it, hatched in a dashed
 * box; the duplicated or unexpected ones hatched across its top; the whole
 * outlined and underlined. Colour is not the only cue: hatching, dashes and
 * the words. */
static void mark_bar(viz_gc *g, const sim_finding *f, double x, double w, double top, double base, double h, double per_row) {
    viz_rgb fault = g->th->fault;
    int64_t extra = f->count[SIM_FINDING_DUPLICATED] + f->count[SIM_FINDING_UNEXPECTED];
    double gh = 0, y = base - h;
    if (f->count[SIM_FINDING_LOST]) { /* what should have been there */
        gh = per_row * (double)f->count[SIM_FINDING_LOST];
        if (gh < 8) gh = 8;
        if (gh > y - top) gh = y - top > 8 ? y - top : 8;
        viz_rect ghost = {x, y - gh, w, gh};
        viz_set(g, g->th->panel, 1);
        cairo_rectangle(g->cr, ghost.x, ghost.y, ghost.w, ghost.h);
        cairo_fill(g->cr);
        viz_hatch(g, ghost, fault, 0.9, 6);
        double dash[] = {4, 3};
        cairo_set_dash(g->cr, dash, 2, 0);
        viz_set(g, fault, 1);
        cairo_set_line_width(g->cr, 2 * g->th->stroke);
        cairo_rectangle(g->cr, ghost.x, ghost.y, ghost.w, ghost.h);
        cairo_stroke(g->cr);
        cairo_set_dash(g->cr, NULL, 0, 0);
    }
    if (extra) { /* the copies the reference does not have, across the top of the bar */
        double dh = per_row * (double)extra;
        if (dh < 8) dh = 8;
        if (dh > h) dh = h;
        viz_rect dup = {x, y, w, dh};
        viz_set(g, g->th->panel, 0.6);
        cairo_rectangle(g->cr, dup.x, dup.y, dup.w, dup.h);
        cairo_fill(g->cr);
        viz_hatch(g, dup, fault, 1, 5);
    }
    viz_set(g, fault, 1);
    cairo_set_line_width(g->cr, 3 * g->th->stroke);
    cairo_rectangle(g->cr, x - 1, y - gh - 1, w + 2, h + gh + 2);
    cairo_stroke(g->cr);
    cairo_rectangle(g->cr, x - 1, base + 3, w + 2, 4); /* underlined, apart from the bar: seen on a bar of the same colour */
    cairo_fill(g->cr);
}

/* The words for a row's latest write: "batch 5000 ms: 40 rows", and what the
 * checker found on it (" · 10 missing") into found (empty: nothing). */
static void latest_words(const viz_gc *g, size_t k, int dstream, char *buf, size_t n, char *found, size_t fn) {
    const viz_mark *latest = &g->m->sinks.v[k];
    snprintf(buf, n, "batch %" PRId64 "%s: %" PRId64 " %s", latest->b, dstream ? " ms" : "", latest->c,
             latest->c == 1 ? "row" : "rows");
    const viz_finding *f = viz_findings_of_sink(g->m->findings, k);
    char w[160];
    found[0] = 0;
    if (f && viz_findings_words(f->f->count, w, sizeof w)[0]) snprintf(found, fn, " \u00b7 %s", w);
}

/* What the checker found on output `out` so far ("10 missing so far"), or on
 * the last frame its verdict ("at-most-once: 10 missing"); "" when nothing
 * is to be said yet. Too long for one line of max_w at px, and with two
 * lines to fill, it breaks after the verdict ("so far:" for the count so
 * far). */
static const char *verdict_words(viz_gc *g, int64_t out, uint32_t ev, double px, double max_w, int lines, char *buf, size_t n) {
    const viz_findings *vf = g->m->findings;
    const sim_finding_output *o = viz_findings_output(vf, out);
    int64_t count[SIM_FINDING_KINDS_];
    char w[160];
    buf[0] = 0;
    if (!o) return buf;
    viz_findings_sum(vf, out, ev, 0, count);
    int end = (int64_t)ev == vf->last_ev;
    if (end)
        snprintf(buf, n, "%s%s%s", o->verdict, viz_findings_words(o->count, w, sizeof w)[0] ? ": " : "", w);
    else if (viz_findings_words(count, w, sizeof w)[0])
        snprintf(buf, n, "%s so far", w);
    if (buf[0] && w[0] && lines > 1 && viz_text_width(g, px, 1, buf) > max_w)
        snprintf(buf, n, "%s:\n%s", end ? o->verdict : "so far", w);
    return buf;
}

/* A slot of the strip: a write (index into m->sinks), or a batch the run
 * with faults never wrote, drawn where it should have been. */
typedef struct slot {
    size_t sink;            /* SIZE_MAX: a batch never written */
    const viz_finding *gone;/* that batch's finding */
} slot;

/* Pushes (newest first) output out's batches never written that show first
 * at raw event at, while there is room. */
static void push_gone(const viz_findings *vf, int64_t out, uint32_t at, slot *sl, int *ns) {
    for (size_t i = viz_findings_visible(vf, at); i-- > 0 && vf->v[i].ev == at && *ns < BARS;)
        if (vf->v[i].out == out && vf->v[i].sink < 0) sl[(*ns)++] = (slot){SIZE_MAX, &vf->v[i]};
}

/* Output out's strip: its latest writes (and batches never written), each
 * a bar of its rows to the output's maximum rmax, with the checker's marks. */
static void draw_strip(viz_gc *g, int64_t out, int dstream, int64_t rmax, size_t vis, viz_rect r) {
    const viz_model *m = g->m;
    const viz_findings *vf = m->findings;
    uint32_t ev = g->v->live.event;
    const sim_trace_rec *cur = &m->trace->events[ev];
    slot sl[BARS];
    int ns = 0;
    if (vf && (int64_t)ev == vf->last_ev && !(cur->type == ENG_EV_SINK_WRITE && cur->arg[0] + (cur->text ? VIZ_SS_OUTPUT : 0) == out))
        push_gone(vf, out, ev, sl, &ns); /* batches never written and no write after them: shown at the end */
    for (size_t k = vis; k-- > 0 && ns < BARS;) {
        if (m->sinks.v[k].a != out) continue;
        sl[ns++] = (slot){k, NULL};
        if (vf) push_gone(vf, out, m->sinks.v[k].ev, sl, &ns); /* shown with the write after them, before it */
    }
    double slot_w = r.w / BARS, per_row = rmax > 0 ? r.h / (double)rmax : 0, base = r.y + r.h;
    viz_set(g, g->th->grid, 1); /* the maximum, a faint line over the bars */
    cairo_rectangle(g->cr, r.x, r.y, r.w, 1.5);
    cairo_fill(g->cr);
    /* while playing, the bars slide left into place as new writes come in
     * (viz/ease.h): from where they stood when the ease began */
    const viz_live *from = viz_ease_from(g);
    double shift = 0;
    if (from) {
        int fresh = 0;
        for (size_t k = viz_list_visible(&m->sinks, from->event); k < vis; k++) fresh += m->sinks.v[k].a == out;
        shift = viz_eased(g, slot_w * (ns < BARS ? 0 : fresh), 0);
    }
    cairo_save(g->cr);
    cairo_rectangle(g->cr, r.x, r.y - 4, r.w, r.h + 8);
    cairo_clip(g->cr);
    for (int j = 0; j < ns; j++) {
        const slot *s = &sl[ns - 1 - j];
        double x = r.x + slot_w * j + shift;
        const viz_finding *f = s->gone ? s->gone : viz_findings_of_sink(vf, s->sink);
        if (f) { /* the batch's column tinted, to be seen from the back of the room whatever the bar's colour */
            viz_set(g, g->th->fault, 0.16);
            cairo_rectangle(g->cr, x, r.y, slot_w, r.h);
            cairo_fill(g->cr);
        }
        if (s->gone) {
            mark_bar(g, f->f, x + 2, slot_w - 4, r.y, base, 0, per_row);
            continue;
        }
        const viz_mark *k = &m->sinks.v[s->sink];
        double h = per_row * (double)k->c;
        if (h < 3) h = 3;
        viz_set(g, viz_batch_rgb(g, dstream ? viz_batch_colour(m, k->b * 1000) : (int)(k->b % 7)), 1);
        cairo_rectangle(g->cr, x + 2, base - h, slot_w - 4, h);
        cairo_fill_preserve(g->cr);
        viz_set(g, k->ev == ev ? g->th->recovery : g->th->fg, 1);
        cairo_set_line_width(g->cr, k->ev == ev ? 4 : 1.5);
        cairo_stroke(g->cr);
        if (f) mark_bar(g, f->f, x + 2, slot_w - 4, r.y, base, h, per_row);
    }
    cairo_restore(g->cr);
}

/* The outputs drawn, in order of first write over the run (at most 4): their keys. */
static int outputs_drawn(const viz_model *m, int64_t outs[4]) {
    int nout = 0;
    for (size_t k = 0; k < m->sinks.n && nout < 4; k++) {
        int seen = 0;
        for (int i = 0; i < nout; i++) seen |= outs[i] == m->sinks.v[k].a;
        if (!seen) outs[nout++] = m->sinks.v[k].a;
    }
    return nout;
}

int viz_outputs_hit(const viz_view *v, viz_rect panel, double x, double y, int64_t *id) {
    if (panel.w <= 0) return VIZ_INSPECT_NONE;
    viz_rect c = viz_panel_content(panel);
    int64_t outs[4];
    int nout = outputs_drawn(v->m, outs);
    if (!nout || x < c.x || x > c.x + c.w || y < c.y || y >= c.y + c.h) return VIZ_INSPECT_NONE;
    int i = (int)((y - c.y) / (c.h / nout));
    if (i < 0 || i >= nout) return VIZ_INSPECT_NONE;
    *id = outs[i];
    return VIZ_INSPECT_OUTPUT;
}

void viz_panel_outputs(viz_gc *g, viz_rect r) {
    const viz_model *m = g->m;
    uint32_t ev = g->v->live.event;
    const viz_findings *vf = m->findings;
    const char *note = vf && vf->note[0] ? "no checker's findings: see the line on stderr"
                       : vf && vf->file.noutputs ? "rows per batch, each to its own max; red: the checker's findings vs the run without faults"
                                                 : "rows written per batch, latest on the right, each to its own max";
    viz_rect c = viz_panel(g, r, "OUTPUTS", note);
    size_t vis = viz_list_visible(&m->sinks, ev);
    int64_t outs[4], rmax[4];
    int nout = outputs_drawn(m, outs);
    for (int i = 0; i < nout; i++) {
        rmax[i] = 0;
        for (size_t k = 0; k < m->sinks.n; k++)
            if (m->sinks.v[k].a == outs[i] && m->sinks.v[k].c > rmax[i]) rmax[i] = m->sinks.v[k].c;
    }
    const sim_trace_rec *cur = &m->trace->events[ev];
    int64_t cur_out = cur->type == ENG_EV_SINK_WRITE ? cur->arg[0] + (cur->text ? VIZ_SS_OUTPUT : 0) : -1;
    double rh = c.h / (nout ? nout : 1);
    int tight = rh < 64; /* three or four outputs: name and latest write on one line */
    /* right column: "max 301", or the current write's rows; the label column
     * wider with findings, for "batch 5000 ms: 40 rows · 10 missing" */
    double label_w = tight ? 500 : vf && vf->n ? 460 : 370, max_w = 150;
    for (int i = 0; i < nout; i++) {
        double y = c.y + i * rh;
        char buf[160], found[200], verdict[200];
        int now = outs[i] == cur_out;
        if (now) { /* this frame writes here: the row outlined, as the element an event touches */
            viz_round_rect(g->cr, c.x - 10, y - (tight ? 1 : 4), c.w + 20, rh - (tight ? 2 : 4), 8);
            viz_set(g, g->th->recovery, 0.10);
            cairo_fill_preserve(g->cr);
            viz_set(g, g->th->recovery, 1);
            cairo_set_line_width(g->cr, 3 * g->th->stroke);
            cairo_stroke(g->cr);
        }
        size_t latest = SIZE_MAX;
        for (size_t k = 0; k < vis; k++)
            if (m->sinks.v[k].a == outs[i]) latest = k;
        int dstream = outs[i] < VIZ_SS_OUTPUT; /* DStream batch ids are batch times in ms */
        char name[64];
        if (dstream)
            snprintf(buf, sizeof buf, "DStream output %" PRId64, outs[i]);
        else
            snprintf(buf, sizeof buf, "query %s", viz_query_name(m, outs[i] - VIZ_SS_OUTPUT, name, sizeof name));
        verdict_words(g, outs[i], ev, tight ? 17 : 18, label_w - 20, rh >= 120 ? 2 : 1, verdict, sizeof verdict);
        /* tight rows: name and latest write centred on one line, or with the
         * checker's words, on the upper half, the words under them */
        double ty = tight ? (verdict[0] ? y + (rh - 2) / 2 - 24 : y + (rh - 2) / 2 - 13) : y + 4;
        double nw = viz_text(g, c.x, ty, tight ? 19 : 22, 1, g->th->fg, VIZ_LEFT, tight ? 250 : label_w - 20, buf);
        found[0] = 0;
        if (latest != SIZE_MAX)
            latest_words(g, latest, dstream, buf, sizeof buf, found, sizeof found);
        else
            snprintf(buf, sizeof buf, "nothing written yet");
        double lx = tight ? c.x + nw + 14 : c.x, ly = tight ? ty + 1 : y + 34, lpx = tight ? 18 : 20;
        double lw = tight ? label_w - nw - 34 : label_w - 20;
        double tw = viz_text(g, lx, ly, lpx, now, now ? g->th->recovery : g->th->muted, VIZ_LEFT, lw, buf);
        if (found[0]) viz_text(g, lx + tw, ly, lpx, 1, g->th->fault, VIZ_LEFT, lw - tw, found);
        if (verdict[0]) /* the checker on this output: so far, or its verdict at the end (red only for a fault) */
            viz_text_wrap(g, c.x, tight ? ty + 25 : y + 60, tight ? 17 : 18, 1,
                          strcmp(verdict, "exactly-once") ? g->th->fault : g->th->muted, label_w - 20, rh >= 120 ? 2 : 1,
                          verdict);
        double bx = c.x + label_w, bw = c.w - label_w - max_w - 10;
        double top = y + (tight ? 5 : 8), bh = rh - (tight ? 12 : 16);
        draw_strip(g, outs[i], dstream, rmax[i], vis, (viz_rect){bx, top, bw, bh});
        if (now) { /* the rows just written, large enough for the back of the room */
            snprintf(buf, sizeof buf, "%" PRId64 " %s", cur->arg[2], cur->arg[2] == 1 ? "row" : "rows");
            double px = tight ? 30 : 40;
            while (px > 20 && viz_text_width(g, px, 1, buf) > max_w) px -= 4; /* smaller rather than cut */
            double py = y + (rh - (tight ? 2 : 4)) / 2 - px * 0.62 - (tight ? 1 : 4);
            if (found[0] && !tight) { /* and what the checker found in them, in its colour, under them */
                py -= 14;
                viz_text(g, bx + bw + 14, py + px * 1.25, 20, 1, g->th->fault, VIZ_LEFT, max_w, found + strlen(" \u00b7 "));
            }
            viz_text(g, bx + bw + 14, py, px, 1, g->th->recovery, VIZ_LEFT, max_w, buf);
        } else { /* the scale, at the end of its line */
            snprintf(buf, sizeof buf, "max %" PRId64, rmax[i]);
            viz_text(g, bx + bw + 14, top - 10, 17, 0, g->th->muted, VIZ_LEFT, max_w, buf);
        }
    }
}
