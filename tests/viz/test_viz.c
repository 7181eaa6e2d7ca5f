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

#define EVENTTIME "tests/viz/eventtime.jsonl"

typedef struct loaded {
    sim_trace t;
    viz_model m;
} loaded;

static loaded *load(const char *path) {
    loaded *l = calloc(1, sizeof *l);
    char err[1024];
    cr_assert_eq(sim_trace_init(&l->t, 0), 0);
    cr_assert_eq(viz_load(path, &l->t, err, sizeof err), 0, "%s", err);
    cr_assert_eq(viz_model_init(&l->m, &l->t, err, sizeof err), 0, "%s", err);
    return l;
}

static void unload(loaded *l) {
    viz_model_fini(&l->m);
    sim_trace_fini(&l->t);
    free(l);
}

/* Forward from frame 0, then backward from the last frame by seeking: the
 * hash of the display state at every frame must agree. */
static void check_exact(const char *path) {
    loaded *l = load(path);
    const viz_model *m = &l->m;
    uint64_t *fwd = malloc(m->nframes * sizeof *fwd);
    viz_live s;
    viz_model_seek(m, 0, &s);
    fwd[0] = viz_model_hash(m, 0, &s);
    for (size_t f = 1; f < m->nframes; f++) {
        viz_model_step(m, f - 1, &s);
        fwd[f] = viz_model_hash(m, f, &s);
    }
    size_t differ = 0;
    for (size_t f = m->nframes; f-- > 0;) {
        viz_live b;
        viz_model_seek(m, f, &b);
        if (viz_model_hash(m, f, &b) != fwd[f]) differ++;
    }
    cr_expect_eq(differ, 0, "%s: %zu of %zu frames differ backwards", path, differ, m->nframes);
    uint64_t x = 88172645463325252ull; /* jumps in a seeded random order */
    for (int k = 0; k < 200; k++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t f = (size_t)(x % m->nframes);
        viz_live b;
        viz_model_seek(m, f, &b);
        cr_expect_eq(viz_model_hash(m, f, &b), fwd[f], "%s: jump to frame %zu", path, f);
    }
    cr_expect(m->nframes > VIZ_KEYFRAME_EVERY, "%s: the run spans several keyframes (%zu frames)", path, m->nframes);
    free(fwd);
    unload(l);
}

Test(viz_model, stepping_back_is_exact_worker_crash) { check_exact("scenarios/crash_replicated_receiver.lua"); }
Test(viz_model, stepping_back_is_exact_driver_recovery) { check_exact("scenarios/driver_recovery_state.lua"); }
Test(viz_model, stepping_back_is_exact_speculation) { check_exact("scenarios/straggler_speculation.lua"); }

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

typedef struct pixels {
    cairo_surface_t *s;
    const unsigned char *data;
    int stride;
} pixels;

static pixels render_frame(const viz_model *m, size_t f, int theme) {
    viz_view v = {.m = m, .frame = f, .theme = theme};
    viz_model_seek(m, f, &v.live);
    pixels p;
    p.s = viz_render_image(&v, 1920, 1080); /* 1:1 with the logical layout */
    p.data = cairo_image_surface_get_data(p.s);
    p.stride = cairo_image_surface_get_stride(p.s);
    return p;
}

static void rgb_at(const pixels *p, int x, int y, int *r, int *g, int *b) {
    uint32_t v = *(const uint32_t *)(p->data + (size_t)y * (size_t)p->stride + 4 * (size_t)x);
    *r = (int)(v >> 16 & 255), *g = (int)(v >> 8 & 255), *b = (int)(v & 255);
}

/* Pixels of rect r within `tol` of colour c. */
static long count_colour(const pixels *p, viz_rect r, viz_rgb c, int tol) {
    long n = 0;
    for (int y = (int)r.y; y < (int)(r.y + r.h); y++)
        for (int x = (int)r.x; x < (int)(r.x + r.w); x++) {
            int R, G, B;
            rgb_at(p, x, y, &R, &G, &B);
            n += abs(R - (int)lround(c.r * 255)) <= tol && abs(G - (int)lround(c.g * 255)) <= tol &&
                 abs(B - (int)lround(c.b * 255)) <= tol;
        }
    return n;
}

/* Share of r's pixels that are not the panel's background: ink. */
static double ink(const pixels *p, viz_rect r, viz_rgb bg) {
    double area = r.w * r.h;
    return area > 0 ? 1.0 - (double)count_colour(p, r, bg, 6) / area : 0;
}

Test(viz_golden, every_panel_has_ink_and_collapsed_ones_take_no_room) {
    loaded *l = load("scenarios/driver_recovery_state.lua");
    viz_rect lay[VIZ_PANEL_COUNT_];
    viz_layout(&l->m, lay);
    cr_expect_eq(lay[VIZ_PANEL_EVENTTIME].w, 0, "no watermark in a DStream job: the panel collapses");
    cr_expect(lay[VIZ_PANEL_STORAGE].w > 0 && lay[VIZ_PANEL_OUTPUTS].w > 0);
    pixels p = render_frame(&l->m, l->m.nframes - 1, VIZ_THEME_LIGHT);
    const viz_theme *th = viz_theme_get(VIZ_THEME_LIGHT);
    static const char *const names[] = {"cluster", "batches", "storage", "event time", "outputs", "caption"};
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
Test(viz_golden, every_scenario_draws, .timeout = 300) {
    static const char *const scenarios[] = {
        "hello", "crash_replicated_receiver", "crash_unreplicated_receiver", "driver_crash_no_checkpoint",
        "driver_recovery_outputs", "driver_recovery_pending", "driver_recovery_state", "driver_recovery_wal",
        "fuzz_unreplicated_receiver", "shuffle_output_lost", "sink_and_storage_faults", "straggler",
        "straggler_speculation", "wal_reliable_receiver", "wal_unreplicated_receiver"};
    const viz_theme *th = viz_theme_get(VIZ_THEME_LIGHT);
    for (size_t i = 0; i < sizeof scenarios / sizeof *scenarios; i++) {
        char path[256];
        snprintf(path, sizeof path, "scenarios/%s.lua", scenarios[i]);
        loaded *l = load(path);
        viz_rect lay[VIZ_PANEL_COUNT_];
        viz_layout(&l->m, lay);
        size_t frames[3] = {0, l->m.nframes / 2, l->m.nframes - 1};
        for (int k = 0; k < 3; k++) {
            pixels p = render_frame(&l->m, frames[k], VIZ_THEME_LIGHT);
            double c = ink(&p, lay[VIZ_PANEL_CLUSTER], th->panel), b = ink(&p, lay[VIZ_PANEL_BATCHES], th->panel);
            cr_expect(c > 0.02 && b > 0.02, "%s frame %zu: cluster %.3f, batches %.3f drawn", path, frames[k], c, b);
            cairo_surface_destroy(p.s);
        }
        unload(l);
    }
}

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
