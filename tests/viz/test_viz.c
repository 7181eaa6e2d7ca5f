/* tests/viz/test_viz.c — the player in process: stepping back is exact over
 * whole runs, navigation lands where it says, and golden frames rendered
 * headless show what they must (checked by pixel statistics per panel: not
 * blank; the crash mark present at the crash and absent before; the
 * watermark line moving up). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../viz/draw.h"
#include "../../viz/load.h"
#include "../../viz/model.h"
#include "../../viz/render.h"
#include "viz_test.h"

#define EVENTTIME "tests/viz/eventtime.jsonl"

Test(viz_model, stepping_back_is_exact_worker_crash) { check_exact("scenarios/crash_replicated_receiver.lua"); }
Test(viz_model, stepping_back_is_exact_driver_recovery) { check_exact("scenarios/driver_recovery_state.lua"); }
Test(viz_model, stepping_back_is_exact_speculation) { check_exact("scenarios/straggler_speculation.lua"); }
Test(viz_model, stepping_back_is_exact_windows) { check_exact("scenarios/03_reduce_by_key_and_window.lua"); }

Test(viz_model, navigation_lands_on_batches_and_faults) {
    loaded *l = load("scenarios/crash_replicated_receiver.lua");
    const viz_model *m = &l->m;
    size_t f = viz_model_next_fault(m, 0, 1);
    const sim_trace_rec *r = &l->t.events[m->frames[f]];
    cr_expect_eq(r->type, ENG_EV_FAULT_INJECTED);
    cr_expect_eq(r->t_us, 4600000, "the crash of worker-2 at 4.6 s");
    cr_expect_eq(viz_model_next_fault(m, f, -1), f, "no fault before the first");
    size_t b = viz_model_next_batch(m, 0, 1);
    cr_expect_eq(l->t.events[m->frames[b]].type, ENG_EV_BATCH_GENERATED);
    cr_expect_eq(l->t.events[m->frames[b]].arg[0], 1000000);
    cr_expect_eq(l->t.events[m->frames[viz_model_next_batch(m, b, 1)]].arg[0], 2000000);
    size_t at = viz_model_frame_at_time(m, 4600000);
    cr_expect(l->t.events[m->frames[at]].t_us <= 4600000 && l->t.events[m->frames[at + 1]].t_us > 4600000);
    cr_expect_eq(m->nbatches, 10);
    unload(l);
}

Test(viz_model, rerun_batches_after_driver_recovery_are_marked) {
    loaded *l = load("scenarios/driver_recovery_state.lua");
    int reruns = 0;
    for (size_t i = 0; i < l->m.nbatches; i++) reruns += l->m.batches[i].rerun;
    cr_expect_eq(reruns, 2, "the recovery says: 2 batches to generate again");
    unload(l);
}

Test(viz_model, caption_says_the_event_in_words) {
    loaded *l = load("scenarios/crash_replicated_receiver.lua");
    char buf[256];
    size_t f = viz_model_next_fault(&l->m, 0, 1);
    viz_describe(&l->m, l->m.frames[f], buf, sizeof buf);
    cr_expect_str_eq(buf, "fault: worker-2 crashes (restart follows)");
    viz_describe(&l->m, l->m.frames[f + 1], buf, sizeof buf);
    cr_expect_str_eq(buf, "worker-2 crashes: its memory is gone");
    unload(l);
}

Test(viz_render, parse_at_takes_seconds_with_fractions) {
    int64_t us;
    char err[256];
    cr_assert_eq(viz_parse_at("12.5s", &us, err, sizeof err), 0);
    cr_expect_eq(us, 12500000);
    cr_assert_eq(viz_parse_at("500ms", &us, err, sizeof err), 0);
    cr_expect_eq(us, 500000);
    cr_assert_eq(viz_parse_at("12", &us, err, sizeof err), 0);
    cr_expect_eq(us, 12000000);
    cr_assert_eq(viz_parse_at("1 minute", &us, err, sizeof err), 0);
    cr_expect_eq(us, 60000000);
    cr_assert_eq(viz_parse_at("-1s", &us, err, sizeof err), -1);
    cr_expect_str_eq(err, "bad time \"-1s\" for --at (expected e.g. \"12.5s\", \"500ms\", \"12\")");
    cr_assert_eq(viz_parse_at("1.s", &us, err, sizeof err), -1);
}

/* ---- golden frames -------------------------------------------------------------- */

Test(viz_golden, every_panel_has_ink_and_collapsed_ones_take_no_room) {
    loaded *l = load("scenarios/driver_recovery_state.lua");
    viz_rect lay[VIZ_PANEL_COUNT_];
    viz_layout(&l->m, lay);
    cr_expect_eq(lay[VIZ_PANEL_EVENTTIME].w, 0, "no watermark in a DStream job: the panel collapses");
    cr_expect(lay[VIZ_PANEL_STORAGE].w > 0 && lay[VIZ_PANEL_OUTPUTS].w > 0);
    pixels p = render_frame(&l->m, l->m.nframes - 1, VIZ_THEME_LIGHT);
    const viz_theme *th = viz_theme_get(VIZ_THEME_LIGHT);
    static const char *const names[] = {"cluster", "batches", "storage", "event time", "outputs", "caption", "windows"};
    for (int i = 0; i < VIZ_PANEL_COUNT_; i++) {
        if (lay[i].w == 0) continue;
        double k = ink(&p, lay[i], th->panel);
        cr_expect(k > 0.02 && k < 0.9, "%s panel: %.3f of its pixels drawn", names[i], k);
    }
    cairo_surface_destroy(p.s);
    unload(l);
}

Test(viz_golden, crash_mark_present_at_the_crash_and_absent_before) {
    loaded *l = load("scenarios/crash_replicated_receiver.lua");
    const viz_model *m = &l->m;
    size_t fault = viz_model_next_fault(m, 0, 1), down = fault + 1;
    cr_assert_eq(l->t.events[m->frames[down]].type, ENG_EV_NODE_DOWN);
    viz_rect lay[VIZ_PANEL_COUNT_];
    viz_layout(m, lay);
    /* the name column of the cluster panel: names, states, the strike-through, hatching; no task chips */
    viz_rect names = {lay[VIZ_PANEL_CLUSTER].x + 10, lay[VIZ_PANEL_CLUSTER].y + 46, 200, lay[VIZ_PANEL_CLUSTER].h - 60};
    viz_rgb fault_rgb = viz_theme_get(VIZ_THEME_LIGHT)->fault;
    pixels before = render_frame(m, fault - 1, VIZ_THEME_LIGHT), at = render_frame(m, down, VIZ_THEME_LIGHT);
    long n_before = count_colour(&before, names, fault_rgb, 12), n_at = count_colour(&at, names, fault_rgb, 12);
    cr_expect_eq(n_before, 0, "no crash mark before the crash (%ld pixels)", n_before);
    cr_expect(n_at > 800, "the crash mark at the crash (%ld pixels)", n_at);
    size_t up = down;
    while (up + 1 < m->nframes && !(l->t.events[m->frames[up]].type == ENG_EV_NODE_UP && l->t.events[m->frames[up]].node == 3)) up++;
    pixels after = render_frame(m, up, VIZ_THEME_LIGHT);
    cr_expect_eq(count_colour(&after, names, fault_rgb, 12), 0, "the mark goes when worker-2 restarts");
    cairo_surface_destroy(before.s), cairo_surface_destroy(at.s), cairo_surface_destroy(after.s);
    unload(l);
}

/* The topmost row of the event-time panel with watermark-green pixels. */
static int watermark_top(const pixels *p, viz_rect r, viz_rgb c) {
    for (int y = (int)r.y + 46; y < (int)(r.y + r.h); y++)
        if (count_colour(p, (viz_rect){r.x + 120, y, r.w - 130, 1}, c, 10) > 3) return y;
    return -1;
}

Test(viz_golden, watermark_line_moves_up) {
    loaded *l = load(EVENTTIME);
    viz_rect lay[VIZ_PANEL_COUNT_];
    viz_layout(&l->m, lay);
    cr_assert(lay[VIZ_PANEL_EVENTTIME].w > 0, "a trace with a watermark has the event-time panel");
    viz_rgb green = viz_theme_get(VIZ_THEME_LIGHT)->watermark;
    pixels a = render_frame(&l->m, viz_model_frame_at_time(&l->m, 9000000), VIZ_THEME_LIGHT);
    pixels b = render_frame(&l->m, viz_model_frame_at_time(&l->m, 17000000), VIZ_THEME_LIGHT);
    int ya = watermark_top(&a, lay[VIZ_PANEL_EVENTTIME], green), yb = watermark_top(&b, lay[VIZ_PANEL_EVENTTIME], green);
    cr_assert(ya > 0 && yb > 0, "watermark drawn at both frames (%d, %d)", ya, yb);
    cr_expect(yb < ya - 20, "the watermark rises from y=%d to y=%d", ya, yb);
    cairo_surface_destroy(a.s), cairo_surface_destroy(b.s);
    unload(l);
}

Test(viz_golden, themes_change_the_background) {
    loaded *l = load(EVENTTIME);
    pixels a = render_frame(&l->m, 10, VIZ_THEME_LIGHT), b = render_frame(&l->m, 10, VIZ_THEME_DARK);
    int r1, g1, b1, r2, g2, b2;
    rgb_at(&a, 5, 40, &r1, &g1, &b1);
    rgb_at(&b, 5, 40, &r2, &g2, &b2);
    cr_expect(r1 > 240 && r2 < 40, "light is light (%d), dark is dark (%d)", r1, r2);
    cairo_surface_destroy(a.s), cairo_surface_destroy(b.s);
    unload(l);
}

Test(viz_render, files_by_extension) {
    loaded *l = load(EVENTTIME);
    viz_view v = {.m = &l->m, .frame = 5};
    viz_model_seek(&l->m, 5, &v.live);
    char err[512];
    static const char *const paths[] = {"/tmp/streamlab-viz-test.png", "/tmp/streamlab-viz-test.svg", "/tmp/streamlab-viz-test.pdf"};
    static const char *const magic[] = {"\x89PNG", "<?xm", "%PDF"};
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(viz_render_file(&v, paths[i], 960, 540, err, sizeof err), 0, "%s", err);
        FILE *f = fopen(paths[i], "rb");
        char head[4] = {0};
        cr_assert(f && fread(head, 1, 4, f) == 4);
        fclose(f);
        cr_expect(memcmp(head, magic[i], 4) == 0, "%s starts with its format's magic", paths[i]);
        remove(paths[i]);
    }
    cr_assert_eq(viz_render_file(&v, "/tmp/x.gif", 960, 540, err, sizeof err), -1);
    cr_expect_str_eq(err, "/tmp/x.gif: unknown image format (use .png, .svg or .pdf)");
    unload(l);
}

/* Every scenario in scenarios/ loads and draws at its first, middle and last
 * frames with every panel it has drawn (the sanitizer build checks the rest). */
Test(viz_render, click_inspects_a_batch_or_a_node) {
    loaded *l = load("scenarios/shuffle_output_lost.lua");
    viz_view v = {.m = &l->m, .frame = viz_model_frame_at_time(&l->m, 6000000)};
    viz_model_seek(&l->m, v.frame, &v.live);
    viz_rect lay[VIZ_PANEL_COUNT_];
    viz_layout(&l->m, lay);
    int kind;
    int64_t id;
    /* the 24 slots of the timeline's plot (110 px of axis labels on its left); batch 4000 ms is the fourth */
    viz_rect c = viz_panel_content(lay[VIZ_PANEL_BATCHES]);
    double sw = (c.w - 110) / 24;
    cr_assert_eq(viz_hit(&v, c.x + 110 + sw * 3.5, c.y + c.h / 2, &kind, &id), 0);
    cr_expect_eq(kind, VIZ_INSPECT_BATCH);
    cr_expect_eq(l->m.batches[id].batch_time_us, 4000000);
    cr_assert_eq(viz_hit(&v, c.x + 110 + sw * 20.5, c.y + c.h / 2, &kind, &id), -1, "no batch there yet at 6 s");
    cr_assert_eq(viz_hit(&v, lay[VIZ_PANEL_CLUSTER].x + 60, lay[VIZ_PANEL_CLUSTER].y + 46 + 96 + 10, &kind, &id), 0);
    cr_expect_eq(kind, VIZ_INSPECT_NODE);
    cr_expect_str_eq(l->m.node_names[id], "worker-1");
    cr_expect_eq(viz_hit(&v, 100, 1040, &kind, &id), -1, "the caption is not inspectable");
    /* the card is drawn: the lower right (over the outputs panel) changes */
    const viz_theme *th = viz_theme_get(VIZ_THEME_LIGHT);
    viz_rect card = {1300, 800, 500, 100};
    cairo_surface_t *a = viz_render_image(&v, 1920, 1080);
    v.inspect = VIZ_INSPECT_BATCH, v.inspect_id = 3;
    cairo_surface_t *b = viz_render_image(&v, 1920, 1080);
    pixels pa = {a, cairo_image_surface_get_data(a), cairo_image_surface_get_stride(a)};
    pixels pb = {b, cairo_image_surface_get_data(b), cairo_image_surface_get_stride(b)};
    cr_expect(count_colour(&pb, card, th->bg, 4) > count_colour(&pa, card, th->bg, 4) + 20000, "the card's white background");
    cairo_surface_destroy(a), cairo_surface_destroy(b);
    unload(l);
}

/* ---- killed attempts, crash times, receiver cores, outputs, triggers, captions ---- */

static int node_named(const viz_model *m, const char *name) {
    for (int nd = 0; nd < VIZ_NODES_MAX; nd++)
        if (strcmp(m->node_names[nd], name) == 0) return nd;
    return -1;
}

/* Speculation: the straggler's attempts killed because a copy won are not
 * failures: counted apart on the worker, no cross on the batch timeline. */
Test(viz_golden, killed_attempts_are_not_failures) {
    loaded *l = load("scenarios/11_stragglers_speculation.lua");
    const viz_model *m = &l->m;
    cr_assert(m->kills.n > 0, "the scenario kills the straggler's attempts");
    cr_expect_eq(m->failures.n, 0, "no task fails in it (%zu listed)", m->failures.n);
    size_t f = viz_model_frame_at_time(m, 5400000);
    viz_live s;
    viz_model_seek(m, f, &s);
    int w3 = node_named(m, "worker-3");
    cr_assert(w3 > 0);
    cr_expect(s.node[w3].tasks_killed > 0, "worker-3 counts its killed attempts (%d)", s.node[w3].tasks_killed);
    cr_expect_eq(s.node[w3].tasks_failed, 0, "and no failure (%d)", s.node[w3].tasks_failed);
    for (size_t k = 0; k < m->kills.n; k++) cr_expect(!viz_is_fault(m, m->kills.v[k].ev), "a kill is not a fault");
    viz_rect lay[VIZ_PANEL_COUNT_];
    viz_layout(m, lay);
    /* the plot before batch 5000 ms (vermillion in the palette) exists, after kills in
     * batches 1000, 3000 and 4000 ms: no vermillion cross over any batch */
    pixels p = render_frame(m, viz_model_frame_at_time(m, 4900000), VIZ_THEME_LIGHT);
    long crosses = count_colour(&p, viz_panel_content(lay[VIZ_PANEL_BATCHES]), viz_theme_get(VIZ_THEME_LIGHT)->fault, 12);
    cr_expect_eq(crosses, 0, "no failure cross on the timeline (%ld vermillion pixels)", crosses);
    cairo_surface_destroy(p.s);
    unload(l);
}

Test(viz_render, times_to_the_millisecond) {
    char d[32];
    cr_expect_str_eq(viz_fmt_time(4290000, d, sizeof d), "4.29 s", "a crash at 4.29 s is not 4.2 s");
    cr_expect_str_eq(viz_fmt_time(4307000, d, sizeof d), "4.307 s");
    cr_expect_str_eq(viz_fmt_time(4300000, d, sizeof d), "4.3 s");
    cr_expect_str_eq(viz_fmt_time(4000000, d, sizeof d), "4 s");
    cr_expect_str_eq(viz_fmt_time(800000, d, sizeof d), "800 ms");
    cr_expect_str_eq(viz_fmt_time(136050000, d, sizeof d), "136.05 s");
}

/* A receiver holds a core: drawn filled in the receiver blue, never as a
 * free core; tasks are never drawn in it. */
Test(viz_golden, receiver_core_drawn_held) {
    loaded *l = load("scenarios/01_network_wordcount.lua");
    const viz_model *m = &l->m;
    viz_live s;
    long held_with_task = 0;
    viz_model_seek(m, 0, &s);
    for (size_t f = 0; f < m->nframes; f++) {
        if (f) viz_model_step(m, f - 1, &s);
        for (int nd = 0; nd < VIZ_NODES_MAX; nd++)
            for (int k = 0; k < s.node[nd].nreceivers; k++) {
                int c = viz_receiver_core(&s.node[nd], k);
                held_with_task += c >= 0 && s.node[nd].core[c].active;
            }
    }
    cr_expect_eq(held_with_task, 0, "no task drawn in a receiver's core (%ld frames)", held_with_task);
    viz_view v = {.m = m, .frame = viz_model_frame_at_time(m, 2015000)};
    viz_model_seek(m, v.frame, &v.live);
    int rn = -1;
    for (int nd = 2; nd < VIZ_NODES_MAX && rn < 0; nd++)
        if (v.live.node[nd].nreceivers) rn = nd;
    cr_assert(rn > 0, "a worker runs the receiver at 2 s");
    int held = viz_receiver_core(&v.live.node[rn], 0);
    cr_assert(held >= 0);
    viz_rect lay[VIZ_PANEL_COUNT_], box;
    viz_layout(m, lay);
    cr_assert_eq(viz_cluster_core_rect(&v, lay[VIZ_PANEL_CLUSTER], rn, held, &box), 0);
    pixels p = render_frame(m, v.frame, VIZ_THEME_LIGHT);
    viz_rgb blue = viz_theme_get(VIZ_THEME_LIGHT)->recovery;
    double share = (double)count_colour(&p, box, blue, 12) / (box.w * box.h);
    cr_expect(share > 0.4, "the held core is filled blue (%.2f of it)", share);
    int other = held == 0 ? 1 : 0;
    if (!v.live.node[rn].core[other].active) {
        cr_assert_eq(viz_cluster_core_rect(&v, lay[VIZ_PANEL_CLUSTER], rn, other, &box), 0);
        cr_expect(count_colour(&p, box, blue, 12) < 50, "a free core is not");
    }
    cairo_surface_destroy(p.s);
    unload(l);
}

/* Each output row to its own maximum: the small output's largest bar
 * reaches the top of its row as the big one's does. */
Test(viz_golden, outputs_scaled_per_row_and_the_write_highlighted) {
    loaded *l = load("scenarios/05_transform_stopwords.lua");
    const viz_model *m = &l->m;
    viz_rect lay[VIZ_PANEL_COUNT_];
    viz_layout(m, lay);
    viz_rect c = viz_panel_content(lay[VIZ_PANEL_OUTPUTS]);
    double rh = c.h / 2; /* two DStream outputs: two-line rows, bars from 370 px */
    size_t f = m->nframes - 1;
    while (f > 0 && l->t.events[m->frames[f]].type == ENG_EV_SINK_WRITE) f--;
    pixels p = render_frame(m, f, VIZ_THEME_LIGHT);
    for (int row = 0; row < 2; row++) {
        int top = -1;
        for (int y = (int)(c.y + row * rh); y < (int)(c.y + (row + 1) * rh) && top < 0; y++)
            for (int k = 0; k < 7 && top < 0; k++) {
                viz_gc g = {.th = viz_theme_get(VIZ_THEME_LIGHT)};
                if (count_colour(&p, (viz_rect){c.x + 372, y, c.w - 372 - 170, 1}, viz_batch_rgb(&g, k), 8) > 2) top = y;
            }
        cr_expect(top >= 0 && top < c.y + row * rh + 14, "output row %d: its largest bar reaches the top (y %d, row at %.0f)", row,
                  top, c.y + row * rh);
    }
    cairo_surface_destroy(p.s);
    size_t w = 0; /* a frame writing output 1: its row outlined in blue, not output 0's */
    for (size_t g = 0; g < m->nframes && !w; g++) {
        const sim_trace_rec *r = &l->t.events[m->frames[g]];
        if (r->type == ENG_EV_SINK_WRITE && r->arg[0] == 1) w = g;
    }
    cr_assert(w > 0);
    pixels q = render_frame(m, w, VIZ_THEME_LIGHT);
    viz_rgb blue = viz_theme_get(VIZ_THEME_LIGHT)->recovery;
    long r0 = count_colour(&q, (viz_rect){c.x - 12, c.y - 4, c.w + 24, rh - 2}, blue, 10);
    long r1 = count_colour(&q, (viz_rect){c.x - 12, c.y + rh - 4, c.w + 24, rh}, blue, 10);
    cr_expect(r1 > 2500 && r0 < 300, "the written row outlined, with its rows in large type (%ld vs %ld blue pixels)", r1, r0);
    cairo_surface_destroy(q.s);
    char buf[256];
    viz_describe(m, m->frames[w], buf, sizeof buf);
    cr_expect(strncmp(buf, "DStream output 1 writes batch ", 30) == 0, "%s", buf);
    unload(l);
}

/* A Structured-Streaming-only run's line is its query's trigger, read off
 * the offset log; with DStreams it stays the batch interval, counting
 * batches without jobs. */
Test(viz_model, trigger_interval_without_dstream_batches) {
    static const struct {
        const char *path;
        int kind;
        int64_t us;
    } runs[] = {{"scenarios/15_watermarks.lua", VIZ_INTERVAL_TRIGGER, 5000000},
                {"scenarios/13_unbounded_table_output_modes.lua", VIZ_INTERVAL_TRIGGER, 10000000},
                {"scenarios/14_event_vs_processing_time.lua", VIZ_INTERVAL_BATCH, 5000000},
                {"scenarios/01_network_wordcount.lua", VIZ_INTERVAL_BATCH, 1000000}};
    for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
        loaded *l = load(runs[i].path);
        cr_expect_eq(l->m.interval_kind, runs[i].kind, "%s: kind %d", runs[i].path, l->m.interval_kind);
        cr_expect_eq(l->m.interval_us, runs[i].us, "%s: %lld us", runs[i].path, (long long)l->m.interval_us);
        unload(l);
    }
}

/* Rows of r holding at least one pixel of colour c, as runs of consecutive rows: text lines. */
static int text_lines(const pixels *p, viz_rect r, viz_rgb c) {
    int lines = 0, in = 0;
    for (int y = (int)r.y; y < (int)(r.y + r.h); y++) {
        int ink_row = count_colour(p, (viz_rect){r.x, y, r.w, 1}, c, 10) > 0;
        lines += ink_row && !in;
        in = ink_row;
    }
    return lines;
}

/* A narration longer than a line at 28 px wraps to two lines, not cut; a
 * typical one (up to about 120 characters) stays on one. */
Test(viz_golden, long_narrations_wrap_in_the_caption) {
    loaded *l = load("scenarios/03_reduce_by_key_and_window.lua"); /* at 10 s: 170 characters */
    viz_rect lay[VIZ_PANEL_COUNT_];
    viz_layout(&l->m, lay);
    viz_rect cap = lay[VIZ_PANEL_CAPTION];
    viz_rect text = {24, cap.y + 4, 1650, 70}; /* the narration's band, left of the frame counter */
    viz_rgb muted = viz_theme_get(VIZ_THEME_LIGHT)->muted;
    pixels a = render_frame(&l->m, viz_model_frame_at_time(&l->m, 10500000), VIZ_THEME_LIGHT);
    cr_expect_eq(text_lines(&a, text, muted), 2, "the long narration on two lines");
    pixels b = render_frame(&l->m, viz_model_frame_at_time(&l->m, 4500000), VIZ_THEME_LIGHT);
    cr_expect_eq(text_lines(&b, text, muted), 1, "a shorter one on one line");
    cairo_surface_destroy(a.s), cairo_surface_destroy(b.s);
    unload(l);
}

/* The windows panel (scenarios/03: reduceByKeyAndWindow over 10 s sliding
 * 2 s on 1 s batches, without and with the inverse function): at 20.4 s each
 * row's bracket spans the 10 batch slots of the window (10 s, 20 s]; the
 * incremental row marks the 2 batches its slide subtracted (9 s, 10 s:
 * vermillion, hatched, "−") left of the bracket and the 2 it added (19 s,
 * 20 s: a blue "+"); the row without the inverse has neither. */
Test(viz_golden, windows_panel_brackets_the_window_and_marks_the_slide) {
    loaded *l = load("scenarios/03_reduce_by_key_and_window.lua");
    const viz_model *m = &l->m;
    viz_rect lay[VIZ_PANEL_COUNT_];
    viz_layout(m, lay);
    cr_assert(lay[VIZ_PANEL_WINDOWS].w > 0 && lay[VIZ_PANEL_WINDOWS].h > 0, "a windowed run has the panel");
    cr_assert_eq(m->nwin_rows, 2, "rows: the plain window and the incremental one (%d)", m->nwin_rows);
    cr_expect_eq(m->win_rows[0].inverse, 0);
    cr_expect_eq(m->win_rows[1].inverse, 1);
    cr_expect_eq(m->win_rows[1].nstreams, 2, "outputs 2 and 3 share the incremental row");
    cr_expect_str_eq(m->win_rows[0].name, "reduceByKeyAndWindow");
    for (int k = 0; k < 2; k++) cr_expect(m->win_rows[k].length_us == 10000000 && m->win_rows[k].slide_us == 2000000);
    viz_view early = {.m = m, .frame = viz_model_frame_at_time(m, 1500000)};
    viz_model_seek(m, early.frame, &early.live);
    viz_rect br, bx;
    cr_expect_eq(viz_windows_bracket(&early, lay[VIZ_PANEL_WINDOWS], 0, &br, &bx), -1, "no window before 2 s");

    viz_view v = {.m = m, .frame = viz_model_frame_at_time(m, 20400000)};
    viz_model_seek(m, v.frame, &v.live);
    cr_expect_eq(v.live.win[1].end_us, 20000000);
    cr_expect_eq(v.live.win[1].added_from_us, 19000000);
    cr_expect_eq(v.live.win[1].added_to_us, 20000000);
    cr_expect_eq(v.live.win[1].removed_from_us, 9000000);
    cr_expect_eq(v.live.win[1].removed_to_us, 10000000);
    cr_expect_eq(v.live.win[0].removed_from_us, -1, "the plain window subtracts nothing");
    pixels p = render_frame(m, v.frame, VIZ_THEME_LIGHT);
    const viz_theme *th = viz_theme_get(VIZ_THEME_LIGHT);
    double k = ink(&p, lay[VIZ_PANEL_WINDOWS], th->panel);
    cr_expect(k > 0.05 && k < 0.9, "windows panel: %.3f of its pixels drawn", k);
    viz_win_strip s;
    viz_windows_strip(&v, lay[VIZ_PANEL_WINDOWS], &s);
    cr_expect_eq(s.right_us, 20000000, "the strip ends at the latest batch");
    long minus[2], plus[2];
    for (int row = 0; row < 2; row++) {
        cr_assert_eq(viz_windows_bracket(&v, lay[VIZ_PANEL_WINDOWS], row, &br, &bx), 0);
        double slots = br.w / s.slot;
        cr_expect(fabs(slots - 10) < 0.01, "row %d: the bracket spans 10 batch slots (%.2f)", row, slots);
        cr_expect(fabs(br.x + br.w - (s.x0 + s.slot * s.nslots)) < 0.5, "row %d: the window ends at the newest slot", row);
        long line = count_colour(&p, (viz_rect){br.x, br.y, br.w, br.h}, th->fg, 40);
        cr_expect(line > br.w, "row %d: the bracket is drawn (%ld pixels)", row, line);
        /* the two slots left of the bracket: what the slide subtracted */
        minus[row] = count_colour(&p, (viz_rect){br.x - 2 * s.slot, bx.y, 2 * s.slot, bx.h}, th->fault, 12);
        /* the two newest slots: what it added */
        plus[row] = count_colour(&p, (viz_rect){br.x + br.w - 2 * s.slot, bx.y, 2 * s.slot, bx.h}, th->recovery, 12);
    }
    cr_expect(minus[1] > 300 && minus[0] < 20, "subtracted batches in vermillion in the incremental row only (%ld vs %ld)",
              minus[1], minus[0]);
    cr_expect(plus[1] > 150 && plus[0] < 20, "added batches marked blue in the incremental row only (%ld vs %ld)", plus[1],
              plus[0]);
    cairo_surface_destroy(p.s);
    /* a trace without windows: no panel */
    loaded *c = load("scenarios/crash_replicated_receiver.lua");
    viz_layout(&c->m, lay);
    cr_expect_eq(lay[VIZ_PANEL_WINDOWS].w, 0, "no windowed DStream: the panel collapses");
    unload(c);
    unload(l);
}
