/* viz/draw.c — the frame: layout of the panels, header, caption, help
 * overlay, and the helpers the panels share. */
#include "draw.h"
#include "findings.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const unsigned okabe_ito[7] = {0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442, 0x0072B2, 0xD55E00, 0xCC79A7};

#define HEADER_H 76.0
#define CAPTION_H 132.0
#define GAP 14.0
#define NARRATION_W 1870.0 /* the narration line, over the whole width */
#define EVENT_W 1700.0     /* the event line, left of the frame counter */

void viz_set(viz_gc *g, viz_rgb c, double alpha) { cairo_set_source_rgba(g->cr, c.r, c.g, c.b, alpha); }

viz_rgb viz_batch_rgb(const viz_gc *g, int k) {
    if (k < 0) return g->th->muted;
    unsigned h = okabe_ito[k % 7];
    return (viz_rgb){(h >> 16 & 255) / 255.0, (h >> 8 & 255) / 255.0, (h & 255) / 255.0};
}

const viz_live *viz_ease_from(const viz_gc *g) { return g->v->ease_from && g->v->ease < 1 ? g->v->ease_from : NULL; }

double viz_eased(const viz_gc *g, double from, double to) {
    if (!viz_ease_from(g)) return to;
    double e = g->v->ease > 0 ? g->v->ease : 0, r = 1 - e;
    return from + (to - from) * (1 - r * r * r); /* ease-out cubic: quick to start, gentle to land */
}

const char *viz_fmt_dur(int64_t us, char *buf, size_t n) {
    if (us < 0) us = 0;
    if (us < 1000000)
        snprintf(buf, n, "%" PRId64 " ms", us / 1000);
    else if (us % 1000000 == 0)
        snprintf(buf, n, "%" PRId64 " s", us / 1000000);
    else
        snprintf(buf, n, "%" PRId64 ".%" PRId64 " s", us / 1000000, us % 1000000 / 100000);
    return buf;
}

const char *viz_fmt_time(int64_t us, char *buf, size_t n) {
    if (us < 0) us = 0;
    int64_t ms = us / 1000;
    if (ms < 1000) {
        snprintf(buf, n, "%" PRId64 " ms", ms);
    } else if (ms % 1000 == 0) {
        snprintf(buf, n, "%" PRId64 " s", ms / 1000);
    } else { /* milliseconds, without trailing zeros: 4.29 s, 4.307 s, 4.3 s */
        int frac = (int)(ms % 1000), digits = 3;
        while (frac % 10 == 0) frac /= 10, digits--;
        snprintf(buf, n, "%" PRId64 ".%0*d s", ms / 1000, digits, frac);
    }
    return buf;
}

/* Sets the reused layout to text in DejaVu Sans px high, at most max_lines
 * lines of max_w (wrapped at words, the last one ellipsized); max_w <= 0:
 * one line, unbounded. */
static void set_layout(viz_gc *g, double px, int bold, double max_w, int max_lines, const char *text) {
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, "DejaVu Sans");
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(fd, px * PANGO_SCALE);
    pango_layout_set_font_description(g->layout, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(g->layout, text, -1);
    pango_layout_set_width(g->layout, max_w > 0 ? (int)(max_w * PANGO_SCALE) : -1);
    pango_layout_set_wrap(g->layout, PANGO_WRAP_WORD);
    pango_layout_set_height(g->layout, -(max_lines > 1 ? max_lines : 1));
    pango_layout_set_ellipsize(g->layout, max_w > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
}

double viz_text_width(viz_gc *g, double px, int bold, const char *text) {
    set_layout(g, px, bold, 0, 1, text);
    int w, h;
    pango_layout_get_pixel_size(g->layout, &w, &h);
    return w;
}

double viz_text_wrap(viz_gc *g, double x, double y, double px, int bold, viz_rgb c, double max_w, int max_lines,
                     const char *text) {
    set_layout(g, px, bold, max_w, max_lines, text);
    int w, h;
    pango_layout_get_pixel_size(g->layout, &w, &h);
    viz_set(g, c, 1);
    cairo_move_to(g->cr, x, y);
    pango_cairo_show_layout(g->cr, g->layout);
    return h;
}

double viz_text(viz_gc *g, double x, double y, double px, int bold, viz_rgb c, int align, double max_w, const char *text) {
    set_layout(g, px, bold, max_w, 1, text);
    int w, h;
    pango_layout_get_pixel_size(g->layout, &w, &h);
    double dx = align == VIZ_CENTER ? -w / 2.0 : align == VIZ_RIGHT ? -w : 0;
    viz_set(g, c, 1);
    cairo_move_to(g->cr, x + dx, y);
    pango_cairo_show_layout(g->cr, g->layout);
    return w;
}

void viz_round_rect(cairo_t *cr, double x, double y, double w, double h, double r) {
    if (r > w / 2) r = w / 2;
    if (r > h / 2) r = h / 2;
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

void viz_hatch(viz_gc *g, viz_rect r, viz_rgb c, double alpha, double gap) {
    cairo_save(g->cr);
    cairo_rectangle(g->cr, r.x, r.y, r.w, r.h);
    cairo_clip(g->cr);
    viz_set(g, c, alpha);
    cairo_set_line_width(g->cr, 2 * g->th->stroke);
    for (double d = -r.h; d < r.w; d += gap) {
        cairo_move_to(g->cr, r.x + d, r.y + r.h);
        cairo_line_to(g->cr, r.x + d + r.h, r.y);
    }
    cairo_stroke(g->cr);
    cairo_restore(g->cr);
}

void viz_cross(viz_gc *g, double x, double y, double s, viz_rgb c, double width) {
    viz_set(g, c, 1);
    cairo_set_line_width(g->cr, width);
    cairo_move_to(g->cr, x - s, y - s);
    cairo_line_to(g->cr, x + s, y + s);
    cairo_move_to(g->cr, x + s, y - s);
    cairo_line_to(g->cr, x - s, y + s);
    cairo_stroke(g->cr);
}

viz_rect viz_panel_content(viz_rect r) { return (viz_rect){r.x + 18, r.y + 46, r.w - 36, r.h - 58}; }

viz_rect viz_panel(viz_gc *g, viz_rect r, const char *title, const char *note) {
    viz_round_rect(g->cr, r.x, r.y, r.w, r.h, 10);
    viz_set(g, g->th->panel, 1);
    cairo_fill_preserve(g->cr);
    viz_set(g, g->th->grid, 1);
    cairo_set_line_width(g->cr, 1.5 * g->th->stroke);
    cairo_stroke(g->cr);
    double tw = viz_text(g, r.x + 18, r.y + 10, 22, 1, g->th->muted, VIZ_LEFT, 0, title);
    if (note) viz_text(g, r.x + 18 + tw + 18, r.y + 12, 18, 0, g->th->muted, VIZ_LEFT, r.w - tw - 60, note);
    return viz_panel_content(r);
}

static void draw_header(viz_gc *g) {
    const viz_view *v = g->v;
    char buf[256], t[32];
    int64_t us = v->live.t_us;
    viz_text(g, 24, 16, 30, 1, g->th->fg, VIZ_LEFT, 820, g->m->name);
    snprintf(buf, sizeof buf, "t = %02" PRId64 ":%02" PRId64 ".%03" PRId64, us / 60000000, us / 1000000 % 60, us / 1000 % 1000);
    viz_text(g, 880, 16, 30, 1, g->th->fg, VIZ_LEFT, 0, buf);
    if (v->live.last_batch_generated_us >= 0)
        snprintf(buf, sizeof buf, "batch %" PRId64 " ms", v->live.last_batch_generated_us / 1000);
    else if (v->live.last_query_batch >= 0)
        snprintf(buf, sizeof buf, "query %d batch %" PRId64, (int)v->live.last_query, v->live.last_query_batch);
    else
        snprintf(buf, sizeof buf, "no batch yet");
    viz_text(g, 1170, 20, 24, 0, g->th->fg, VIZ_LEFT, 0, buf);
    int s = v->speed_log2;
    if (s >= 0)
        snprintf(t, sizeof t, "x%d", 1 << s);
    else
        snprintf(t, sizeof t, "x1/%d", 1 << -s);
    snprintf(buf, sizeof buf, "%s %s%s", v->playing ? "\u25B6 playing" : "\u275A\u275A paused", t, v->lecture ? "  lecture" : "");
    viz_text(g, 1420, 20, 24, 0, v->playing ? g->th->recovery : g->th->muted, VIZ_LEFT, 0, buf);
    viz_text(g, 1896, 20, 24, 0, g->th->muted, VIZ_RIGHT, 0, "[H] help");
    /* progress: frame n of N as a thin bar under the header */
    double p = g->m->nframes > 1 ? (double)v->frame / (double)(g->m->nframes - 1) : 1;
    if (viz_ease_from(g) && g->m->nframes > 1) p = viz_eased(g, (double)v->ease_from_frame / (double)(g->m->nframes - 1), p);
    viz_set(g, g->th->grid, 1);
    cairo_rectangle(g->cr, 0, HEADER_H - 6, VIZ_W, 6);
    cairo_fill(g->cr);
    viz_set(g, g->th->recovery, 1);
    cairo_rectangle(g->cr, 0, HEADER_H - 6, VIZ_W * p, 6);
    cairo_fill(g->cr);
    for (size_t i = 0; i < g->m->faults.n; i++) { /* injected faults as ticks on the progress bar */
        const viz_mark *k = &g->m->faults.v[i];
        if (k->b != ENG_EV_FAULT_INJECTED) continue;
        double x = g->m->nframes > 1 ? VIZ_W * (double)k->a / (double)(g->m->nframes - 1) : 0;
        viz_set(g, g->th->fault, 1);
        cairo_rectangle(g->cr, x - 3, HEADER_H - 14, 6, 14);
        cairo_fill(g->cr);
    }
}

/* The event line at 28 px, or a step or two smaller rather than cut (a
 * sink write with the checker's findings says a lot). */
static double event_px(viz_gc *g, const char *ev) {
    double px = 28;
    while (px > 22 && viz_text_width(g, px, 1, ev) > EVENT_W) px -= 2;
    return px;
}

static void draw_caption(viz_gc *g) {
    const viz_view *v = g->v;
    double y = VIZ_H - CAPTION_H;
    viz_set(g, g->th->panel, 1);
    cairo_rectangle(g->cr, 0, y, VIZ_W, CAPTION_H);
    cairo_fill(g->cr);
    viz_set(g, g->th->grid, 1);
    cairo_rectangle(g->cr, 0, y, VIZ_W, 2);
    cairo_fill(g->cr);
    char buf[512], ev[400];
    const sim_trace_rec *r = &g->m->trace->events[v->live.event];
    viz_describe(g->m, v->live.event, ev, sizeof ev);
    int64_t own[SIM_FINDING_KINDS_], skipped[SIM_FINDING_KINDS_];
    int nskipped, found = viz_findings_here(g->m->findings, v->live.event, own, skipped, &nskipped); /* a write the checker faults */
    int fault = found || viz_is_fault(g->m, v->live.event), recovery = viz_is_recovery(g->m, v->live.event);
    (void)r;
    snprintf(buf, sizeof buf, "%zu/%zu", v->frame + 1, g->m->nframes);
    viz_text(g, 1896, y + 78, 18, 0, g->th->muted, VIZ_RIGHT, 0, buf);
    viz_rgb evc = fault ? g->th->fault : recovery ? g->th->recovery : g->th->fg;
    const char *text = v->live.narration != VIZ_NONE ? sim_trace_text(g->m->trace, &g->m->trace->events[v->live.narration]) : NULL;
    if (v->live.narration != VIZ_NONE)
        snprintf(buf, sizeof buf, "\u201C%s\u201D", text ? text : "");
    if (v->live.narration != VIZ_NONE && v->live.narration == v->live.event) {
        /* the narration's own frame: it is the event, said once, in full (two lines if need be) */
        int two = viz_text_width(g, 28, 1, buf) > EVENT_W;
        viz_text_wrap(g, 24, y + (two ? 30 : 48), 28, 1, g->th->fg, EVENT_W, 2, buf);
    } else if (v->live.narration != VIZ_NONE && viz_text_width(g, 28, 0, buf) > NARRATION_W) {
        /* the latest narration above the event: longer than a line of 28 px
         * (typical ones are 100-120 characters), two lines one step smaller */
        viz_text_wrap(g, 24, y + 8, 24, 0, g->th->muted, NARRATION_W, 2, buf);
        viz_text(g, 24, y + 82, event_px(g, ev), 1, evc, VIZ_LEFT, EVENT_W, ev);
    } else {
        if (v->live.narration != VIZ_NONE) {
            viz_text(g, 24, y + 20, 28, 0, g->th->muted, VIZ_LEFT, NARRATION_W, buf);
        } else if (v->live.fault != VIZ_NONE) {
            const char *f = sim_trace_text(g->m->trace, &g->m->trace->events[v->live.fault]);
            snprintf(buf, sizeof buf, "last fault: %s", f ? f : "");
            viz_text(g, 24, y + 20, 28, 0, g->th->fault, VIZ_LEFT, NARRATION_W, buf);
        }
        viz_text(g, 24, y + 72, event_px(g, ev), 1, evc, VIZ_LEFT, EVENT_W, ev);
    }
}

static void draw_help(viz_gc *g) {
    static const char *const keys[][2] = {
        {"Space", "play / pause"},          {"Right / Left", "one event forward / back"},
        {"Shift+Right / Left", "next / previous batch"}, {"F / Shift+F", "next / previous fault"},
        {"Home / End", "first / last event"}, {"+ / -", "faster / slower"},
        {"L", "lecture mode: pause at narrations and faults"}, {"T", "theme: light, dark, high contrast"},
        {"F11", "fullscreen"},              {"H", "this help"},
        {"click", "inspect a batch, node, task, block, durable write, output or window"},
        {"Q / Esc", "quit"},
    };
    size_t n = sizeof keys / sizeof *keys;
    double w = 1100, h = 120 + 48.0 * (double)n, x = (VIZ_W - w) / 2, y = (VIZ_H - h) / 2;
    cairo_set_source_rgba(g->cr, 0, 0, 0, 0.55);
    cairo_rectangle(g->cr, 0, 0, VIZ_W, VIZ_H);
    cairo_fill(g->cr);
    viz_round_rect(g->cr, x, y, w, h, 16);
    viz_set(g, g->th->bg, 1);
    cairo_fill_preserve(g->cr);
    viz_set(g, g->th->fg, 1);
    cairo_set_line_width(g->cr, 3);
    cairo_stroke(g->cr);
    viz_text(g, x + 40, y + 30, 32, 1, g->th->fg, VIZ_LEFT, 0, "Keys");
    for (size_t i = 0; i < n; i++) {
        viz_text(g, x + 40, y + 90 + 48.0 * (double)i, 26, 1, g->th->fg, VIZ_LEFT, 0, keys[i][0]);
        viz_text(g, x + 400, y + 90 + 48.0 * (double)i, 26, 0, g->th->fg, VIZ_LEFT, 660, keys[i][1]);
    }
}

/* The outputs panel's height: 230 px, or with the checker's findings and
 * three or four outputs, room for each row's verdict under its name. */
static double outputs_height(const viz_model *m) {
    int64_t outs[4];
    int n = 0;
    for (size_t k = 0; k < m->sinks.n && n < 4; k++) {
        int seen = 0;
        for (int i = 0; i < n; i++) seen |= outs[i] == m->sinks.v[k].a;
        if (!seen) outs[n++] = m->sinks.v[k].a;
    }
    return m->findings && m->findings->n && n >= 3 ? 300 : 230;
}

void viz_layout(const viz_model *m, viz_rect p[VIZ_PANEL_COUNT_]) {
    double top = HEADER_H + GAP, bottom = VIZ_H - CAPTION_H - GAP, left_w = 780;
    double right_x = GAP + left_w + GAP, right_w = VIZ_W - right_x - GAP;
    int storage_rows = 0;
    for (int d = 0; d < VIZ_DUR_COUNT_; d++) storage_rows += m->durable[d].n > 0;
    double storage_h = storage_rows ? 46 + 12 + 52.0 * storage_rows + 44 : 0; /* as tall as its rows */
    double outputs_h = m->sinks.n ? outputs_height(m) : 0, et_h = viz_has_eventtime(m) ? 360 : 0;
    double win_h = viz_windows_height(m);
    /* the right column: the batch timeline keeps at least BATCHES_MIN_H;
     * when four panels share the column, event time gives way first (to
     * 250), then the outputs (to 180), then the windows panel is left out */
    enum { BATCHES_MIN_H = 200 };
    double col = bottom - top, batches_h = 0;
    for (int pass = 0; pass < 4; pass++) {
        batches_h = col - (outputs_h ? outputs_h + GAP : 0) - (et_h ? et_h + GAP : 0) - (win_h ? win_h + GAP : 0);
        double short_by = BATCHES_MIN_H - batches_h;
        if (short_by <= 0) break;
        if (pass == 0 && et_h > 250) et_h = et_h - short_by < 250 ? 250 : et_h - short_by;
        else if (pass <= 1 && outputs_h > 180) outputs_h = outputs_h - short_by < 180 ? 180 : outputs_h - short_by;
        else if (pass <= 2 && win_h) win_h = 0;
    }
    memset(p, 0, VIZ_PANEL_COUNT_ * sizeof *p);
    p[VIZ_PANEL_CLUSTER] = (viz_rect){GAP, top, left_w, bottom - top - (storage_h ? storage_h + GAP : 0)};
    if (storage_h) p[VIZ_PANEL_STORAGE] = (viz_rect){GAP, bottom - storage_h, left_w, storage_h};
    p[VIZ_PANEL_BATCHES] = (viz_rect){right_x, top, right_w, batches_h};
    if (win_h) p[VIZ_PANEL_WINDOWS] = (viz_rect){right_x, top + batches_h + GAP, right_w, win_h};
    if (et_h) p[VIZ_PANEL_EVENTTIME] = (viz_rect){right_x, top + batches_h + GAP + (win_h ? win_h + GAP : 0), right_w, et_h};
    if (outputs_h) p[VIZ_PANEL_OUTPUTS] = (viz_rect){right_x, bottom - outputs_h, right_w, outputs_h};
    p[VIZ_PANEL_CAPTION] = (viz_rect){0, VIZ_H - CAPTION_H, VIZ_W, CAPTION_H};
}

void viz_to_logical(double w, double h, double px, double py, double *x, double *y) {
    double s = fmin(w / VIZ_W, h / VIZ_H);
    *x = (px - (w - VIZ_W * s) / 2) / s;
    *y = (py - (h - VIZ_H * s) / 2) / s;
}

int viz_hit(const viz_view *v, double x, double y, int *kind, int64_t *id) {
    viz_rect p[VIZ_PANEL_COUNT_];
    viz_layout(v->m, p);
    int k = viz_batches_hit(v, p[VIZ_PANEL_BATCHES], x, y);
    if (k >= 0) {
        *kind = VIZ_INSPECT_BATCH, *id = k;
        return 0;
    }
    *kind = viz_cluster_hit_element(v, p[VIZ_PANEL_CLUSTER], x, y, id); /* a task chip or a block square */
    if (*kind != VIZ_INSPECT_NONE) return 0;
    k = viz_cluster_hit(v, p[VIZ_PANEL_CLUSTER], x, y);
    if (k >= 0) {
        *kind = VIZ_INSPECT_NODE, *id = k;
        return 0;
    }
    if ((*kind = viz_storage_hit(v, p[VIZ_PANEL_STORAGE], x, y, id)) != VIZ_INSPECT_NONE) return 0;
    if ((*kind = viz_outputs_hit(v, p[VIZ_PANEL_OUTPUTS], x, y, id)) != VIZ_INSPECT_NONE) return 0;
    if ((*kind = viz_eventtime_hit(v, p[VIZ_PANEL_EVENTTIME], x, y, id)) != VIZ_INSPECT_NONE) return 0;
    if ((*kind = viz_windows_hit(v, p[VIZ_PANEL_WINDOWS], x, y, id)) != VIZ_INSPECT_NONE) return 0;
    *kind = VIZ_INSPECT_NONE, *id = 0;
    return -1;
}

void viz_draw(cairo_t *cr, const viz_view *v, double w, double h) {
    viz_gc g = {.cr = cr, .th = viz_theme_get(v->theme), .v = v, .m = v->m};
    cairo_save(cr);
    viz_set(&g, g.th->bg, 1);
    cairo_paint(cr);
    double s = fmin(w / VIZ_W, h / VIZ_H);
    cairo_translate(cr, (w - VIZ_W * s) / 2, (h - VIZ_H * s) / 2);
    cairo_scale(cr, s, s);
    g.layout = pango_cairo_create_layout(cr);
    PangoAttrList *attrs = pango_attr_list_new(); /* tabular figures: numbers do not dance */
    pango_attr_list_insert(attrs, pango_attr_font_features_new("tnum=1"));
    pango_layout_set_attributes(g.layout, attrs);
    pango_attr_list_unref(attrs);

    draw_header(&g);
    viz_rect p[VIZ_PANEL_COUNT_];
    viz_layout(v->m, p);
    viz_panel_cluster(&g, p[VIZ_PANEL_CLUSTER]);
    if (p[VIZ_PANEL_STORAGE].w > 0) viz_panel_storage(&g, p[VIZ_PANEL_STORAGE]);
    viz_panel_batches(&g, p[VIZ_PANEL_BATCHES]);
    if (p[VIZ_PANEL_WINDOWS].w > 0) viz_panel_windows(&g, p[VIZ_PANEL_WINDOWS]);
    if (p[VIZ_PANEL_EVENTTIME].w > 0) viz_panel_eventtime(&g, p[VIZ_PANEL_EVENTTIME]);
    if (p[VIZ_PANEL_OUTPUTS].w > 0) viz_panel_outputs(&g, p[VIZ_PANEL_OUTPUTS]);
    draw_caption(&g);
    if (v->inspect != VIZ_INSPECT_NONE) viz_draw_inspector(&g, p[VIZ_PANEL_BATCHES]);
    if (v->help) draw_help(&g);
    g_object_unref(g.layout);
    cairo_restore(cr);
}
