/* viz/panel_windows.c — windowed DStreams, as the lectures draw them:
 * batches as boxes on a time line, the current window as a bracket over
 * its batches, labelled with its length and slide. One row per kind of
 * window (operation, length, slide; incremental or not), in the order the
 * run first computes them. For an incremental window (reduceByKeyAndWindow
 * with an inverse function, countByWindow, ...), the batches its latest
 * slide added carry a blue "+", those it subtracted (now left of the
 * window) are hatched in vermillion with a "−". All rows share one strip of
 * batch times, labelled under the last row, so their brackets line up. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"

#define ROW_H 80.0   /* a row: bracket label, bracket, boxes */
#define LABEL_W 330.0
#define BOX_Y 36.0   /* the boxes' top in a row */
#define BOX_H 36.0

double viz_windows_height(const viz_model *m) { return m->nwin_rows ? 46 + ROW_H * m->nwin_rows + 30 + 14 : 0; }

void viz_windows_strip(const viz_view *v, viz_rect panel, viz_win_strip *s) {
    const viz_model *m = v->m;
    viz_rect c = viz_panel_content(panel);
    int64_t iv = m->interval_us > 0 ? m->interval_us : 1000000;
    int64_t n = m->win_span_us / iv + 2; /* the window, the batches its slide subtracted, one after */
    if (n < 8) n = 8;
    if (n > 24) n = 24;
    int64_t right = v->live.last_batch_generated_us;
    for (int k = 0; k < m->nwin_rows; k++)
        if (v->live.win[k].ev != VIZ_NONE && v->live.win[k].end_us > right) right = v->live.win[k].end_us;
    if (right < iv) right = iv;
    s->x0 = c.x + LABEL_W;
    s->nslots = (int)n;
    s->slot = (c.w - LABEL_W) / (double)n;
    s->right_us = right;
    s->interval_us = iv;
    s->offset = 0;
}

/* The left edge of the slot of batch time t (may be left of the strip). */
static double slot_x(const viz_win_strip *s, int64_t t) {
    return s->x0 + s->offset + s->slot * ((double)(s->nslots - 1) - ((double)s->right_us - (double)t) / (double)s->interval_us);
}

int viz_windows_bracket(const viz_view *v, viz_rect panel, int row, viz_rect *bracket, viz_rect *boxes) {
    const viz_model *m = v->m;
    if (row < 0 || row >= m->nwin_rows || v->live.win[row].ev == VIZ_NONE) return -1;
    const viz_window *w = &v->live.win[row];
    viz_win_strip s;
    viz_windows_strip(v, panel, &s);
    viz_rect c = viz_panel_content(panel);
    double y = c.y + ROW_H * row;
    double x1 = slot_x(&s, w->end_us - w->length_us + s.interval_us), x2 = slot_x(&s, w->end_us) + s.slot;
    if (x1 < s.x0) x1 = s.x0;
    *bracket = (viz_rect){x1, y + 26, x2 - x1, 10};
    *boxes = (viz_rect){s.x0, y + BOX_Y, s.slot * s.nslots, BOX_H};
    return 0;
}

int viz_windows_hit(const viz_view *v, viz_rect panel, double x, double y, int64_t *id) {
    const viz_model *m = v->m;
    if (panel.w <= 0) return VIZ_INSPECT_NONE;
    viz_win_strip s;
    viz_windows_strip(v, panel, &s);
    viz_rect c = viz_panel_content(panel);
    int row = (int)((y - c.y) / ROW_H);
    double by = c.y + ROW_H * row + BOX_Y;
    if (y < c.y || row < 0 || row >= m->nwin_rows || y < by || y > by + BOX_H || x < s.x0 || x >= s.x0 + s.slot * s.nslots)
        return VIZ_INSPECT_NONE;
    int k = (int)((x - s.x0) / s.slot);
    int64_t t = s.right_us - (int64_t)(s.nslots - 1 - k) * s.interval_us;
    for (size_t i = m->nbatches; i-- > 0;) /* the batch's latest generation at the frame */
        if (m->batches[i].batch_time_us == t && m->batches[i].gen_ev <= v->live.event) {
            *id = (int64_t)i;
            return VIZ_INSPECT_BATCH;
        }
    return VIZ_INSPECT_NONE;
}

/* A "+" or "−" in a round badge, so it reads on any batch colour. */
static void badge(viz_gc *g, double x, double y, viz_rgb c, const char *sign) {
    cairo_arc(g->cr, x, y, 14, 0, 2 * M_PI);
    viz_set(g, g->th->panel, 1);
    cairo_fill_preserve(g->cr);
    viz_set(g, c, 1);
    cairo_set_line_width(g->cr, 2.5 * g->th->stroke);
    cairo_stroke(g->cr);
    viz_text(g, x, y - 16, 26, 1, c, VIZ_CENTER, 0, sign);
}

static int in(int64_t t, int64_t from, int64_t to) { return from >= 0 && t >= from && t <= to; }

static void draw_row(viz_gc *g, viz_rect c, const viz_win_strip *s, int row) {
    const viz_model *m = g->m;
    const viz_window_row *wr = &m->win_rows[row];
    const viz_window *w = &g->v->live.win[row];
    double y = c.y + ROW_H * row;
    char buf[160], l[32], sl[32];
    int now = w->ev != VIZ_NONE && w->ev == g->v->live.event;
    if (now) { /* this frame computes the window: the row outlined, as an event's element */
        viz_round_rect(g->cr, c.x - 10, y - 2, c.w + 20, ROW_H - 4, 8);
        viz_set(g, g->th->recovery, 0.08);
        cairo_fill_preserve(g->cr);
        viz_set(g, g->th->recovery, 1);
        cairo_set_line_width(g->cr, 3 * g->th->stroke);
        cairo_stroke(g->cr);
    }
    viz_text(g, c.x, y + 8, 20, 1, g->th->fg, VIZ_LEFT, LABEL_W - 16, wr->name);
    if (wr->nstreams > 1)
        snprintf(buf, sizeof buf, "%s \u00B7 %d streams", wr->inverse ? "incremental" : "all batches again", (int)wr->nstreams);
    else
        snprintf(buf, sizeof buf, "%s", wr->inverse ? "incremental: + new, \u2212 old" : "all its batches again");
    viz_text(g, c.x, y + 40, 18, 0, g->th->muted, VIZ_LEFT, LABEL_W - 16, buf);
    double by = y + BOX_Y;
    if (w->ev == VIZ_NONE) {
        viz_text(g, s->x0, by + 6, 18, 0, g->th->muted, VIZ_LEFT, 0, "no window yet");
        return;
    }
    int64_t lo = w->end_us - w->length_us; /* the window is (lo, end] */
    int before = s->offset > 0 ? (int)ceil(s->offset / s->slot) : 0; /* sliding in: older slots fill the left */
    if (before) { /* and what slides stays in the strip */
        cairo_save(g->cr);
        cairo_rectangle(g->cr, s->x0, by - 20, s->slot * s->nslots, BOX_H + 40);
        cairo_clip(g->cr);
    }
    for (int k = -before; k < s->nslots; k++) {
        int64_t t = s->right_us - (int64_t)(s->nslots - 1 - k) * s->interval_us;
        if (t <= 0) continue;
        double x = s->x0 + s->offset + s->slot * k + 3, bw = s->slot - 6;
        int inside = t > lo && t <= w->end_us, removed = in(t, w->removed_from_us, w->removed_to_us);
        viz_round_rect(g->cr, x, by, bw, BOX_H, 5);
        if (inside) {
            viz_set(g, viz_batch_rgb(g, viz_batch_colour(m, t)), 1);
            cairo_fill_preserve(g->cr);
            viz_set(g, g->th->fg, 1);
            cairo_set_line_width(g->cr, 1.5 * g->th->stroke);
        } else if (removed) {
            viz_set(g, g->th->fault, 0.10);
            cairo_fill_preserve(g->cr);
            viz_set(g, g->th->fault, 1);
            cairo_set_line_width(g->cr, 2.5 * g->th->stroke);
        } else {
            viz_set(g, g->th->grid, 1);
            cairo_set_line_width(g->cr, 1.5 * g->th->stroke);
        }
        cairo_stroke(g->cr);
        if (removed) {
            viz_hatch(g, (viz_rect){x, by, bw, BOX_H}, g->th->fault, 0.7, 9);
            badge(g, x + bw / 2, by + BOX_H / 2, g->th->fault, "\u2212");
        } else if (inside && in(t, w->added_from_us, w->added_to_us)) {
            badge(g, x + bw / 2, by + BOX_H / 2, g->th->recovery, "+");
        }
    }
    if (before) cairo_restore(g->cr);
    /* the bracket over the window's batches, its length and slide above it */
    double x1 = slot_x(s, lo + s->interval_us) + 2, x2 = slot_x(s, w->end_us) + s->slot - 2;
    int clipped = x1 < s->x0;
    if (clipped) x1 = s->x0;
    double ly = y + 28;
    viz_set(g, g->th->fg, 1);
    cairo_set_line_width(g->cr, 3 * g->th->stroke);
    cairo_move_to(g->cr, x1, clipped ? ly : ly + 7);
    cairo_line_to(g->cr, x1, ly);
    cairo_line_to(g->cr, x2, ly);
    cairo_line_to(g->cr, x2, ly + 7);
    cairo_stroke(g->cr);
    snprintf(buf, sizeof buf, "window %s, slide %s%s", viz_fmt_dur(w->length_us, l, sizeof l),
             viz_fmt_dur(w->slide_us, sl, sizeof sl), w->end_us < w->length_us ? " (partial)" : "");
    double tw = viz_text_width(g, 18, 1, buf), cx = (x1 + x2) / 2;
    if (cx - tw / 2 < s->x0) cx = s->x0 + tw / 2;
    if (cx + tw / 2 > c.x + c.w) cx = c.x + c.w - tw / 2;
    viz_set(g, g->th->panel, 1); /* the label sits on the bracket line */
    cairo_rectangle(g->cr, cx - tw / 2 - 6, y + 4, tw + 12, 24);
    cairo_fill_preserve(g->cr);
    viz_set(g, g->th->recovery, now ? 0.08 : 0); /* as the outlined row's fill */
    cairo_fill(g->cr);
    viz_text(g, cx, y + 4, 18, 1, g->th->fg, VIZ_CENTER, 0, buf);
}

void viz_panel_windows(viz_gc *g, viz_rect r) {
    const viz_model *m = g->m;
    viz_rect c = viz_panel(g, r, "WINDOWS", "the current window bracketed; incremental: + added, \u2212 subtracted");
    viz_win_strip s;
    viz_windows_strip(g->v, r, &s);
    const viz_live *from = viz_ease_from(g);
    if (from) { /* while playing, a new batch slides the strip left into place (viz/ease.h) */
        viz_view was = *g->v;
        was.live = *from;
        viz_win_strip f;
        viz_windows_strip(&was, r, &f);
        if (f.right_us < s.right_us)
            s.offset = viz_eased(g, s.slot * (double)((s.right_us - f.right_us) / s.interval_us), 0);
    }
    for (int row = 0; row < m->nwin_rows; row++) draw_row(g, c, &s, row);
    /* batch times under the strip, as many as fit */
    double ay = c.y + ROW_H * m->nwin_rows + 2;
    char buf[32];
    int step = 1;
    double need = viz_text_width(g, 18, 0, s.interval_us % 1000000 ? "00000 ms" : "000 s") + 10;
    while (step * s.slot < need && step < s.nslots) step++;
    for (int k = s.nslots - 1; k >= 0; k -= step) {
        int64_t t = s.right_us - (int64_t)(s.nslots - 1 - k) * s.interval_us;
        double x = s.x0 + s.offset + s.slot * (k + 0.5);
        if (t <= 0) break;
        if (x - s.slot / 2 < s.x0 - 1) continue; /* sliding in: not over "batch time" */
        viz_text(g, x, ay, 18, 0, g->th->muted, VIZ_CENTER, 0, viz_fmt_time(t, buf, sizeof buf));
    }
    viz_text(g, c.x, ay, 18, 0, g->th->muted, VIZ_LEFT, LABEL_W - 16, "batch time");
}
