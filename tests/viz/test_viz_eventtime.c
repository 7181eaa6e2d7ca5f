/* tests/viz/test_viz_eventtime.c — the event-time panel's windows: the
 * state store's event-time windows of each query, indexed from the trace's
 * window_updated / window_evicted events, the query the panel follows, what
 * a sink write emits by output mode, and the boxes drawn. Scenario 13 runs
 * one aggregation (10 s windows, a 5 s watermark) in the three output
 * modes: its windows and their batches are known exactly. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../../viz/draw.h"
#include "../../viz/render.h"
#include "viz_test.h"

#define MODES "scenarios/13_unbounded_table_output_modes.lua"

/* The frame of query q's sink write of batch b. */
static size_t sink_frame(const loaded *l, int64_t q, int64_t b) {
    for (size_t f = 0; f < l->m.nframes; f++) {
        const sim_trace_rec *r = &l->t.events[l->m.frames[f]];
        if (r->type == ENG_EV_SINK_WRITE && sim_trace_text(&l->t, r) && r->arg[0] == q && r->arg[1] == b) return f;
    }
    cr_assert_fail("no sink write of query %lld batch %lld", (long long)q, (long long)b);
    return 0;
}

/* The window [start_s, end_s) of w, or -1. */
static long window_index(const viz_ewins *w, int start_s, int end_s) {
    for (size_t k = 0; k < w->n; k++)
        if (w->v[k].start_us == start_s * 1000000LL && w->v[k].end_us == end_s * 1000000LL) return (long)k;
    return -1;
}

Test(viz_eventtime, windows_indexed_per_query_with_their_mode) {
    loaded *l = load(MODES);
    const viz_model *m = &l->m;
    cr_assert_eq(m->newin, 3, "complete, update, append: three queries with windows");
    static const int modes[] = {3, 2, 1};
    for (int q = 0; q < 3; q++) {
        const viz_ewins *w = &m->ewin[q];
        cr_expect_eq(w->query, q);
        cr_expect_eq(w->mode, modes[q], "query %d's output mode", q);
        cr_expect_eq(w->length_us, 10000000, "10 s windows");
        cr_expect_eq(w->slide_us, 10000000, "tumbling: the slide is the length");
        cr_expect_eq(w->n, 6, "windows [0,10) .. [50,60)");
        int closed = 0;
        for (size_t k = 0; k < w->n; k++) closed += w->v[k].close_ev != VIZ_NONE;
        cr_expect_eq(closed, q == 0 ? 0 : 3, "query %d: complete never evicts; the others evict 3 by 60 s", q);
    }
    /* [0,10) leaves update's and append's state in batch 3 (watermark 18 s), at 40 s */
    const viz_ewin *e = &m->ewin[2].v[window_index(&m->ewin[2], 0, 10)];
    cr_expect(e->close_us > 40000000 && e->close_us < 41000000, "evicted in the batch at 40 s (%lld)", (long long)e->close_us);
    cr_expect(e->open_us > 10000000 && e->open_us < 11000000, "first updated in the batch at 10 s (%lld)", (long long)e->open_us);
    unload(l);
}

/* Which windows the sink write of query q's batch b emits, as "[a,b) ..." in window order. */
static void emitted(const loaded *l, int64_t q, int64_t b, char *out, size_t n) {
    size_t f = sink_frame(l, q, b);
    const viz_ewins *w = viz_ewin_focus(&l->m, f);
    cr_assert_not_null(w);
    cr_assert_eq(w->query, q, "the panel follows the query whose sink writes");
    unsigned char *flash = calloc(w->n, 1);
    cr_assert_eq(viz_ewin_flashes(&l->m, w, f, flash), b);
    out[0] = '\0';
    for (size_t k = 0; k < w->n; k++)
        if (flash[k] == 2)
            snprintf(out + strlen(out), n - strlen(out), "%s[%lld,%lld)", out[0] ? " " : "",
                     (long long)(w->v[k].start_us / 1000000), (long long)(w->v[k].end_us / 1000000));
    free(flash);
}

Test(viz_eventtime, a_sink_write_emits_by_output_mode) {
    loaded *l = load(MODES);
    char buf[256];
    /* batch 1 (8 came late into [0,10), 11 and 12 opened [10,20)) */
    emitted(l, 0, 1, buf, sizeof buf);
    cr_expect_str_eq(buf, "[0,10) [10,20)", "complete writes every window it holds");
    emitted(l, 1, 1, buf, sizeof buf);
    cr_expect_str_eq(buf, "[0,10) [10,20)", "update writes the windows the batch changed");
    emitted(l, 2, 1, buf, sizeof buf);
    cr_expect_str_eq(buf, "", "append waits for the watermark");
    /* batch 3 runs with watermark 18 s: [0,10) is final */
    emitted(l, 0, 3, buf, sizeof buf);
    cr_expect_str_eq(buf, "[0,10) [10,20) [20,30) [30,40)");
    emitted(l, 1, 3, buf, sizeof buf);
    cr_expect_str_eq(buf, "[10,20) [30,40)", "update: 19 into [10,20), 31 opens [30,40); [0,10) leaves silently");
    emitted(l, 2, 3, buf, sizeof buf);
    cr_expect_str_eq(buf, "[0,10)", "append writes [0,10) once, when the watermark passes its end");
    unload(l);
}

Test(viz_eventtime, stepping_back_is_exact) { check_exact(MODES); }

/* Pixels of the recovery blue (emissions) in the plot of the event-time panel. */
static long blue_in_plot(const loaded *l, size_t f) {
    viz_rect lay[VIZ_PANEL_COUNT_];
    viz_layout(&l->m, lay);
    viz_rect r = lay[VIZ_PANEL_EVENTTIME];
    cr_assert(r.w > 0, "the event-time panel is drawn");
    pixels p = render_frame(&l->m, f, VIZ_THEME_LIGHT);
    viz_rect plot = {r.x + 130, r.y + 110, r.w - 150, r.h - 150}; /* under the labels, above the axis ticks */
    long n = count_colour(&p, plot, viz_theme_get(VIZ_THEME_LIGHT)->recovery, 10);
    cairo_surface_destroy(p.s);
    return n;
}

Test(viz_eventtime, the_window_append_writes_flashes_on_its_frame_only) {
    loaded *l = load(MODES);
    size_t f = sink_frame(l, 2, 3);
    long at = blue_in_plot(l, f), before = blue_in_plot(l, f - 1), after = blue_in_plot(l, f + 1);
    cr_expect(at > 1000, "the [0,10) box outlined in blue when append writes it (%ld pixels)", at);
    cr_expect(before < 100, "not before (%ld pixels)", before);
    cr_expect(after < 100, "nor after: closed, grey, with its emission mark (%ld pixels)", after);
    unload(l);
}

Test(viz_eventtime, caption_counts_the_windows_a_state_store_task_changed) {
    loaded *l = load(MODES);
    const viz_model *m = &l->m;
    char buf[256] = "";
    for (size_t f = 0; f + 1 < m->nframes; f++) { /* append's task of batch 3 (version 4) that evicts [0,10) */
        uint32_t i = m->frames[f];
        const sim_trace_rec *r = &l->t.events[i], *x = &l->t.events[i + 1];
        if (r->type == ENG_EV_STATE_UPDATE && r->arg[0] == 2 && r->arg[2] == 4 && x->type != ENG_EV_STATE_UPDATE) {
            int evicts = 0;
            for (uint32_t k = i + 1; k <= m->frame_end[f]; k++) evicts += l->t.events[k].type == ENG_EV_WINDOW_EVICTED;
            if (evicts) viz_describe(m, i, buf, sizeof buf);
        }
    }
    cr_expect_str_eq(buf, "state store: operator 2 partition 1 version 4 (2 keys): 2 windows updated, 1 evicted "
                          "(the watermark passed their end)");
    unload(l);
}

/* Scenario 18 replays five days of earthquake reports in two minutes: on
 * the whole run's axes an hour window would be 2 px tall. The axes follow
 * the cursor instead, and the hours batch 60 writes are boxes a class can see. */
Test(viz_eventtime, the_axes_follow_the_cursor_when_windows_would_be_too_thin) {
    loaded *l = load("scenarios/18_natural_lateness.lua");
    const viz_ewins *w = &l->m.ewin[0];
    cr_assert_eq(l->m.newin, 1);
    cr_expect_eq(w->length_us, 3600000000LL, "hour windows");
    cr_expect_eq(w->mode, 2, "update mode");
    size_t f = sink_frame(l, 0, 60);
    unsigned char *flash = calloc(w->n, 1);
    cr_assert_eq(viz_ewin_flashes(&l->m, w, f, flash), 60);
    int emitted = 0;
    for (size_t k = 0; k < w->n; k++) emitted += flash[k] == 2;
    free(flash);
    cr_expect_eq(emitted, 3, "batch 60 writes 3 rows: 3 hour windows");
    long at = blue_in_plot(l, f), before = blue_in_plot(l, f - 1);
    cr_expect(at > 1500, "three hour boxes outlined in blue (%ld pixels)", at);
    cr_expect(before < 300, "none on the frame before (%ld pixels)", before);
    unload(l);
}

/* Scenario 18 played from query 0's write of batch from_batch to its write
 * of batch to_batch: panel's pixels drawn plain, and eased at 1 and 0.5
 * from the earlier write's state. At ease 1, as in a headless render, the
 * frame is drawn as it is; at 0.5 what moves is between. */
static void eased_panel(int64_t from_batch, int64_t to_batch, int panel, uint64_t px[3]) {
    loaded *l = load("scenarios/18_natural_lateness.lua");
    size_t f1 = sink_frame(l, 0, from_batch), f2 = sink_frame(l, 0, to_batch);
    viz_live from;
    viz_model_seek(&l->m, f1, &from);
    viz_view plain = {.m = &l->m, .frame = f2};
    viz_model_seek(&l->m, f2, &plain.live);
    viz_view eased = plain;
    eased.ease_from = &from, eased.ease_from_frame = f1, eased.ease = 1;
    px[0] = panel_pixels(&plain, panel), px[1] = panel_pixels(&eased, panel);
    eased.ease = 0.5;
    px[2] = panel_pixels(&eased, panel);
    unload(l);
}

/* While playing, the followed axes turn their page by easing (viz/ease.h). */
Test(viz_eventtime, the_followed_axes_ease_while_playing) {
    uint64_t px[3];
    eased_panel(40, 60, VIZ_PANEL_EVENTTIME, px);
    cr_expect_eq(px[1], px[0], "ease 1: the frame itself");
    cr_expect_neq(px[2], px[0], "ease 0.5: the axes between batch 40's page and batch 60's");
}

/* The wheel's levels: the automatic view of scenario 18 spans ten hour
 * windows; the axis of the whole run spans 184 h (the reports' event times
 * and a twentieth more each side), 1/16 of it 11.5 h and 1/32 5.8 h: level
 * 4. Level -1 is the whole run, drawn as the automatic view is not. */
Test(viz_eventtime, zoom_levels_step_from_the_automatic_view) {
    loaded *l = load("scenarios/18_natural_lateness.lua");
    size_t f = sink_frame(l, 0, 60);
    viz_view v = {.m = &l->m, .frame = f};
    viz_model_seek(&l->m, f, &v.live);
    cr_expect_eq(viz_eventtime_zoom(&v), 4, "the automatic view is at level 4 (%d)", viz_eventtime_zoom(&v));
    uint64_t auto_view = panel_pixels(&v, VIZ_PANEL_EVENTTIME);
    v.et_zoom = -1;
    cr_expect_eq(viz_eventtime_zoom(&v), 0, "the whole run is level 0");
    uint64_t whole = panel_pixels(&v, VIZ_PANEL_EVENTTIME);
    v.et_zoom = 4;
    uint64_t closer = panel_pixels(&v, VIZ_PANEL_EVENTTIME);
    cr_expect(whole != auto_view && closer != auto_view && closer != whole, "three zoom levels, three pictures");
    unload(l);
}

/* The card of what a click at (x, y) hits at frame f ("" when nothing). */
static void click_card(const loaded *l, size_t f, double x, double y, int want_kind, char *buf, size_t n) {
    viz_view v = {.m = &l->m, .frame = f};
    viz_model_seek(&l->m, f, &v.live);
    int kind;
    int64_t id;
    buf[0] = '\0';
    if (viz_hit(&v, x, y, &kind, &id) != 0) return;
    cr_expect_eq(kind, want_kind, "the click hits what it aims at");
    v.inspect = kind, v.inspect_id = id;
    viz_inspector_text(&v, buf, n);
}

/* A click on append's [0 s, 10 s) box at its write of batch 3: the card
 * says when it opened, the batches that updated it, its eviction and its
 * one row; the same click on the storage panel's newest offset log tick
 * and on the append query's output row gives their cards. */
Test(viz_eventtime, clicks_on_a_window_a_durable_write_and_an_output) {
    loaded *l = load(MODES);
    const viz_model *m = &l->m;
    size_t f = sink_frame(l, 2, 3);
    viz_rect lay[VIZ_PANEL_COUNT_];
    viz_layout(m, lay);
    /* [0 s, 10 s) spans 10 s to 40 s of processing time on a 65 s axis, event time 0 to 10 s on a 65 s one */
    viz_rect r = viz_panel_content(lay[VIZ_PANEL_EVENTTIME]);
    double px = r.x + 110, pw = r.w - 120, py = r.y + 6, ph = r.h - 32;
    char buf[2048];
    click_card(l, f, px + pw * 25.0 / 65.0, py + ph - ph * 5.0 / 65.0, VIZ_INSPECT_WINDOW, buf, sizeof buf);
    cr_expect_str_eq(buf, "Window [0 s, 10 s) of query append\n"
                          "append mode; opened at 10.033 s (its first update)\n"
                          "updated by batches 0, 1\n"
                          "evicted by batch 3 at 40.035 s: the watermark passed its end\n"
                          "append: its one final row went to the sink with batch 3");
    /* the offset log's newest tick: batch 3 of the append query, at 40 s */
    viz_rect s = viz_panel_content(lay[VIZ_PANEL_STORAGE]);
    double sx = s.x + 190, sw = s.w - 190 - 70, rh = (s.h - 40) / 3 > 52 ? 52 : (s.h - 40) / 3;
    click_card(l, f, sx + sw * 40.0 / (double)m->end_us * 1e6, s.y + rh / 2, VIZ_INSPECT_WRITE, buf, sizeof buf);
    cr_expect(strncmp(buf, "Offset log of query append\noffset log: batch 3 written before it runs\nat 40 s by driver", 82) == 0,
              "%s", buf);
    cr_expect(strstr(buf, "batch_id 3 \u00B7 bytes ") && strstr(buf, " \u00B7 query 2\nfile: "), "%s", buf);
    /* the append query's row (the third): one write with a row so far */
    viz_rect o = viz_panel_content(lay[VIZ_PANEL_OUTPUTS]);
    click_card(l, f, o.x + 40, o.y + o.h * 5.0 / 6.0, VIZ_INSPECT_OUTPUT, buf, sizeof buf);
    cr_expect_str_eq(buf, "Query append's sink\n4 writes so far, 1 row in all\nlatest: batch 3 at 40.04 s, 1 row\n"
                          "largest: batch 3, 1 row\nthe checker: no findings loaded (streamlab check writes them)");
    unload(l);
}

/* While playing, the outputs' bars slide left into place when a write
 * pushes the oldest out (scenario 18 writes a batch a second, more than the
 * strip's 30 slots). */
Test(viz_eventtime, bars_slide_while_playing) {
    uint64_t px[3];
    eased_panel(59, 60, VIZ_PANEL_OUTPUTS, px);
    cr_expect_eq(px[1], px[0], "ease 1: the frame itself");
    cr_expect_neq(px[2], px[0], "ease 0.5: the bars between their slots");
}
