/* tests/viz/test_ease_inspect.c — easing while playing and the inspector's
 * task and block cards.
 *
 * Easing: a frame drawn with ease 1 (or with no state to ease from) is the
 * frame drawn without easing, to the byte; at ease 0.5 the batch timeline's
 * scale, a bar on it and the progress bar stand between where they were and
 * where they are; messages on the network lane start from their old column;
 * the player's policy (ease.h) begins, joins and ends an
 * ease on the clock it is given.
 *
 * Inspector: a click on a running task chip or a block square gives its card,
 * whose facts are the trace's up to the frame shown; a click on empty space
 * opens nothing. Checked on 09_worker_failure.lua at 4.5 s: worker-2 (the
 * receiver's worker) crashed at 4.29 s, map task 7.1 runs again on worker-1,
 * and worker-1 holds replicas of the blocks worker-2 received. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../viz/draw.h"
#include "../../viz/ease.h"
#include "../../viz/load.h"
#include "../../viz/model.h"
#include "../../viz/render.h"
#include "../support/proc.h"
#include "viz_test.h"

#define WORKER_FAILURE "scenarios/09_worker_failure.lua"


static cairo_surface_t *render(const viz_view *v) { return viz_render_image(v, 1920, 1080); }

static int same_pixels(cairo_surface_t *a, cairo_surface_t *b) {
    int h = cairo_image_surface_get_height(a), stride = cairo_image_surface_get_stride(a);
    return h == cairo_image_surface_get_height(b) && stride == cairo_image_surface_get_stride(b) &&
           memcmp(cairo_image_surface_get_data(a), cairo_image_surface_get_data(b), (size_t)h * (size_t)stride) == 0;
}

static int near(cairo_surface_t *s, int x, int y, viz_rgb c, int tol) {
    uint32_t v = *(const uint32_t *)(cairo_image_surface_get_data(s) + (size_t)y * (size_t)cairo_image_surface_get_stride(s) +
                                     4 * (size_t)x);
    return abs((int)(v >> 16 & 255) - (int)lround(c.r * 255)) <= tol &&
           abs((int)(v >> 8 & 255) - (int)lround(c.g * 255)) <= tol && abs((int)(v & 255) - (int)lround(c.b * 255)) <= tol;
}

static long count_in_surface(cairo_surface_t *s, viz_rect r, viz_rgb c, int tol) {
    long n = 0;
    for (int y = (int)r.y; y < (int)(r.y + r.h); y++)
        for (int x = (int)r.x; x < (int)(r.x + r.w); x++) n += near(s, x, y, c, tol);
    return n;
}

/* ---- easing ------------------------------------------------------------------- */

/* The first frame whose batch timeline scale differs from the frame before. */
static size_t scale_step(const viz_model *m, int64_t *before_us, int64_t *after_us) {
    viz_view v = {.m = m};
    viz_live s;
    viz_model_seek(m, 0, &s);
    int64_t prev = viz_batches_scale(&v, &s);
    for (size_t f = 1; f < m->nframes; f++) {
        viz_model_step(m, f - 1, &s);
        int64_t now = viz_batches_scale(&v, &s);
        if (now != prev && m->batches[0].done_ev <= s.event) {
            *before_us = prev, *after_us = now;
            return f;
        }
        prev = now;
    }
    cr_assert_fail("no frame changes the scale after the first batch is done");
    return 0;
}

/* The top of batch 0's bar (its first slot): the topmost pixel of its colour
 * in the column through its middle. */
static int bar0_top(cairo_surface_t *s, const viz_model *m, viz_rect c) {
    double plot_x = c.x + 110, plot_w = c.w - 110, sw = plot_w / 24, bw = fmin(sw * 0.7, 90);
    viz_gc g = {.th = viz_theme_get(VIZ_THEME_LIGHT)};
    viz_rgb col = viz_batch_rgb(&g, viz_batch_colour(m, m->batches[0].batch_time_us));
    int x = (int)(plot_x + (sw - bw) / 2 + bw / 2);
    for (int y = (int)c.y; y < (int)(c.y + c.h); y++)
        if (near(s, x, y, col, 8)) return y;
    return -1;
}

Test(viz_ease, eased_frame_at_ease_1_is_the_plain_frame) {
    loaded *l = load(WORKER_FAILURE);
    int64_t a, b;
    size_t f = scale_step(&l->m, &a, &b);
    viz_live from;
    viz_model_seek(&l->m, f - 1, &from);
    viz_view plain = {.m = &l->m, .frame = f};
    viz_model_seek(&l->m, f, &plain.live);
    viz_view eased = plain;
    eased.ease_from = &from, eased.ease_from_frame = f - 1, eased.ease = 1;
    viz_view no_from = plain;
    no_from.ease = 0.5; /* an ease without a state to ease from: nothing moves */
    cairo_surface_t *p = render(&plain), *e = render(&eased), *n = render(&no_from);
    cr_expect(same_pixels(p, e), "ease 1 draws the frame itself, to the byte");
    cr_expect(same_pixels(p, n), "no ease_from: the frame itself");
    eased.ease = 0.5;
    cairo_surface_t *h = render(&eased);
    cr_expect(!same_pixels(p, h), "at ease 0.5 something is between (scale %lld -> %lld us)", (long long)a, (long long)b);
    cairo_surface_destroy(p), cairo_surface_destroy(e), cairo_surface_destroy(n), cairo_surface_destroy(h);
    unload(l);
}

/* The scale grows from 500 to 600 ms (say) at frame f: at ease 0.5 the
 * first bar's top is between its tops at f - 1 and f, where the ease-out
 * cubic puts it (7/8 of the way). */
Test(viz_ease, half_eased_scale_puts_a_bar_between) {
    loaded *l = load(WORKER_FAILURE);
    const viz_model *m = &l->m;
    int64_t a, b;
    size_t f = scale_step(m, &a, &b);
    viz_rect lay[VIZ_PANEL_COUNT_];
    viz_layout(m, lay);
    viz_rect c = viz_panel_content(lay[VIZ_PANEL_BATCHES]);
    viz_view before = {.m = m, .frame = f - 1}, after = {.m = m, .frame = f};
    viz_model_seek(m, f - 1, &before.live);
    viz_model_seek(m, f, &after.live);
    viz_view mid = after;
    mid.ease_from = &before.live, mid.ease_from_frame = f - 1, mid.ease = 0.5;
    cairo_surface_t *sa = render(&before), *sb = render(&after), *sm = render(&mid);
    int ta = bar0_top(sa, m, c), tb = bar0_top(sb, m, c), tm = bar0_top(sm, m, c);
    cr_assert(ta > 0 && tb > 0 && tm > 0, "bar 0 found (%d, %d, %d)", ta, tb, tm);
    cr_expect(tb != ta, "the scale moves bar 0 (%d -> %d)", ta, tb);
    cr_expect((tm > ta && tm < tb) || (tm < ta && tm > tb), "half eased, bar 0's top %d is between %d and %d", tm, ta, tb);
    /* where the curve says: the scale 7/8 of the way, the bar's height over it */
    double y0 = c.y + 10 + (c.h - 70), dur = (double)(m->batches[0].done_us - m->batches[0].gen_us);
    double yd = (double)a + 0.875 * (double)(b - a), want = y0 - (c.h - 70) * dur / yd;
    cr_expect(fabs(tm - want) <= 2, "bar 0's top at %d, the curve says %.1f", tm, want);
    cairo_surface_destroy(sa), cairo_surface_destroy(sb), cairo_surface_destroy(sm);
    unload(l);
}

/* The progress bar under the header: the blue run's right end. */
static int progress_end(cairo_surface_t *s) {
    viz_rgb blue = viz_theme_get(VIZ_THEME_LIGHT)->recovery;
    int end = -1;
    for (int x = 0; x < 1920; x++)
        if (near(s, x, 73, blue, 10)) end = x;
    return end;
}

Test(viz_ease, half_eased_progress_is_between) {
    loaded *l = load(WORKER_FAILURE);
    const viz_model *m = &l->m;
    size_t f0 = m->nframes / 4, f1 = m->nframes / 2;
    viz_view v0 = {.m = m, .frame = f0}, v1 = {.m = m, .frame = f1};
    viz_model_seek(m, f0, &v0.live);
    viz_model_seek(m, f1, &v1.live);
    viz_view mid = v1;
    mid.ease_from = &v0.live, mid.ease_from_frame = f0, mid.ease = 0.5;
    cairo_surface_t *s0 = render(&v0), *s1 = render(&v1), *sm = render(&mid);
    int e0 = progress_end(s0), e1 = progress_end(s1), em = progress_end(sm);
    cr_expect(e0 < em && em < e1, "progress %d < %d < %d", e0, em, e1);
    double want = e0 + 0.875 * (e1 - e0);
    cr_expect(fabs(em - want) <= 3, "progress at %d, the curve says %.0f", em, want);
    cairo_surface_destroy(s0), cairo_surface_destroy(s1), cairo_surface_destroy(sm);
    unload(l);
}

/* The player's policy on a given clock: a step begins an ease from the state
 * drawn before it; a step during it joins it; it ends after VIZ_EASE_MS;
 * stopping (a key) ends it at once; no step, no ease. */
Test(viz_ease, a_step_begins_an_ease_that_ends_after_150_ms) {
    loaded *l = load(WORKER_FAILURE);
    const viz_model *m = &l->m;
    viz_ease *e = calloc(1, sizeof *e);
    viz_view v = {.m = m, .frame = 10};
    viz_model_seek(m, 10, &v.live);
    viz_live before = v.live;
    viz_ease_tick(e, &v, &before, 10, 1000);
    cr_expect(v.ease_from == NULL && !e->running, "nothing moved: no ease");
    viz_model_step(m, 10, &v.live), v.frame = 11;
    viz_ease_tick(e, &v, &before, 10, 1000);
    cr_assert(v.ease_from == &e->from && e->running, "a step begins an ease");
    cr_expect_eq(v.ease_from_frame, 10);
    cr_expect(v.ease == 0);
    cr_expect(memcmp(&e->from, &before, sizeof before) == 0, "from the state drawn before the step");
    viz_live mid = v.live;
    viz_model_step(m, 11, &v.live), v.frame = 12;
    viz_ease_tick(e, &v, &mid, 11, 1075);
    cr_expect_eq(v.ease_from_frame, 10, "a step during the ease joins it: same anchor");
    cr_expect(fabs(v.ease - 0.5) < 1e-9, "half way at 75 ms (%.3f)", v.ease);
    viz_ease_tick(e, &v, &v.live, 12, 1149);
    cr_expect(v.ease_from != NULL);
    viz_ease_tick(e, &v, &v.live, 12, 1150);
    cr_expect(v.ease_from == NULL && !e->running, "ended after 150 ms: live alone");
    viz_model_step(m, 12, &v.live), v.frame = 13;
    viz_ease_tick(e, &v, &mid, 12, 2000);
    cr_expect(e->running);
    viz_ease_stop(e, &v);
    cr_expect(v.ease_from == NULL && !e->running && v.ease == 1, "a key stops it at once");
    free(e);
    unload(l);
}

/* ---- inspector ------------------------------------------------------------------ */

typedef struct at45 {
    loaded *l;
    viz_view v;
    viz_rect lay[VIZ_PANEL_COUNT_];
    int w1, w2;
} at45;

static int node_named(const viz_model *m, const char *name) {
    for (int nd = 0; nd < VIZ_NODES_MAX; nd++)
        if (strcmp(m->node_names[nd], name) == 0) return nd;
    return -1;
}

static void at_4_5s(at45 *a) {
    a->l = load(WORKER_FAILURE);
    memset(&a->v, 0, sizeof a->v);
    a->v.m = &a->l->m;
    a->v.frame = viz_model_frame_at_time(&a->l->m, 4500000);
    viz_model_seek(&a->l->m, a->v.frame, &a->v.live);
    viz_layout(&a->l->m, a->lay);
    a->w1 = node_named(&a->l->m, "worker-1"), a->w2 = node_named(&a->l->m, "worker-2");
    cr_assert(a->w1 > 0 && a->w2 > 0);
}

static int running_core(const viz_node *n, int stage, int partition) {
    for (int c = 0; c < VIZ_CORES_MAX; c++)
        if (n->core[c].active && n->core[c].stage == stage && n->core[c].partition == partition) return c;
    return -1;
}

static void card_text(const viz_view *v, char *buf, size_t n) {
    viz_inspector_text(v, buf, n);
    cr_log_info("%s", buf);
}

Test(viz_inspect, click_on_a_task_chip_shows_the_task) {
    at45 a;
    at_4_5s(&a);
    const viz_model *m = &a.l->m;
    int core = running_core(&a.v.live.node[a.w1], 7, 1);
    cr_assert(core >= 0, "map task 7.1 runs again on worker-1 at 4.5 s");
    viz_rect box;
    cr_assert_eq(viz_cluster_core_rect(&a.v, a.lay[VIZ_PANEL_CLUSTER], a.w1, core, &box), 0);
    int kind;
    int64_t id;
    cr_assert_eq(viz_hit(&a.v, box.x + box.w / 2, box.y + box.h / 2, &kind, &id), 0);
    cr_assert_eq(kind, VIZ_INSPECT_TASK);
    const sim_trace_rec *r = &a.l->t.events[id];
    cr_expect_eq(r->type, ENG_EV_TASK_START);
    cr_expect(r->arg[0] == 7 && r->arg[1] == 1 && r->arg[3] == a.w1, "the task_start of 7.1 on worker-1");
    a.v.inspect = kind, a.v.inspect_id = id;
    char buf[2048], want[256];
    card_text(&a.v, buf, sizeof buf);
    cr_expect(strncmp(buf, "Task 7.1, attempt ", 18) == 0, "%s", buf);
    cr_expect(strstr(buf, "batch 4000 ms \u00B7 job ") != NULL, "its batch and job: %s", buf);
    cr_expect(strstr(buf, "action collect") != NULL, "the job's action: %s", buf);
    cr_expect(strstr(buf, "stage 7 (attempt 1) of job ") && strstr(buf, ": 1 task, resubmitted: map outputs lost"),
              "the stage, resubmitted for the lost map output only: %s", buf);
    cr_expect(strstr(buf, "lineage: MapPartitionsRDD[14] at map at 09_worker_failure.lua:67\n"
                          "  <- MapPartitionsRDD[13] at flatMap at 09_worker_failure.lua:67\n"
                          "  <- BlockRDD[12]\n") != NULL,
              "the stage's lineage, broken between RDDs: %s", buf);
    char at[32];
    snprintf(want, sizeof want, "started at %s on worker-1, core %d", viz_fmt_time(r->t_us, at, sizeof at), core);
    cr_expect(strstr(buf, want) != NULL, "want \"%s\" in %s", want, buf);
    cr_expect(strstr(buf, "running for ") != NULL, "%s", buf);
    cr_expect(strstr(buf, "speculative: no") != NULL, "%s", buf);
    /* the card is drawn and the chip outlined in blue */
    const viz_theme *th = viz_theme_get(VIZ_THEME_LIGHT);
    viz_view closed = a.v;
    closed.inspect = VIZ_INSPECT_NONE;
    cairo_surface_t *s0 = render(&closed), *s1 = render(&a.v);
    viz_rect card = {1300, 800, 500, 100};
    cr_expect(count_in_surface(s1, card, th->bg, 4) > count_in_surface(s0, card, th->bg, 4) + 20000, "the card's white background");
    viz_rect ring = {box.x - 6, box.y - 6, box.w + 12, box.h + 12};
    long b0 = count_in_surface(s0, ring, th->recovery, 10), b1 = count_in_surface(s1, ring, th->recovery, 10);
    cr_expect(b1 > b0 + 300, "the chip outlined (%ld vs %ld blue pixels)", b1, b0);
    cairo_surface_destroy(s0), cairo_surface_destroy(s1);

    /* exact at every frame: running before its end, its records after; not started before its start */
    uint32_t end = 0;
    for (uint32_t i = (uint32_t)id + 1; i < a.l->t.count && !end; i++) {
        const sim_trace_rec *x = &a.l->t.events[i];
        if (x->type == ENG_EV_TASK_END && x->arg[0] == 7 && x->arg[1] == 1 && x->arg[2] == r->arg[2]) end = i;
    }
    cr_assert(end > 0, "7.1 finishes");
    size_t fe = 0;
    while (fe < m->nframes && m->frames[fe] != end) fe++;
    cr_assert(fe < m->nframes);
    viz_view v = a.v;
    v.frame = fe - 1;
    viz_model_seek(m, fe - 1, &v.live);
    card_text(&v, buf, sizeof buf);
    cr_expect(strstr(buf, "running for ") && !strstr(buf, "finished"), "before its task_end: running (%s)", buf);
    v.frame = fe;
    viz_model_seek(m, fe, &v.live);
    card_text(&v, buf, sizeof buf);
    char rec[64];
    snprintf(rec, sizeof rec, ": %lld records out", (long long)a.l->t.events[end].arg[3]);
    cr_expect(strstr(buf, "finished at ") && strstr(buf, rec), "at its task_end: %s (want \"%s\")", buf, rec);
    cr_expect(strstr(buf, ", core ") == NULL, "off its core once it ended: %s", buf);
    size_t fs = 0;
    while (fs < m->nframes && m->frames[fs] != (uint32_t)id) fs++;
    v.frame = fs - 1;
    viz_model_seek(m, fs - 1, &v.live);
    card_text(&v, buf, sizeof buf);
    cr_expect(strstr(buf, "not started yet at this frame") != NULL, "before its start: %s", buf);
    unload(a.l);
}

Test(viz_inspect, click_on_a_block_shows_the_block_and_its_copies) {
    at45 a;
    at_4_5s(&a);
    const viz_model *m = &a.l->m;
    const viz_node *n = &a.v.live.node[a.w1];
    cr_assert(n->npending > 0 && n->pending[0].replica, "worker-1 holds replicas of worker-2's blocks");
    viz_rect sq;
    cr_assert_eq(viz_cluster_block_rect(&a.v, a.lay[VIZ_PANEL_CLUSTER], a.w1, 0, &sq), 0);
    int kind;
    int64_t id;
    cr_assert_eq(viz_hit(&a.v, sq.x + sq.w / 2, sq.y + sq.h / 2, &kind, &id), 0);
    cr_assert_eq(kind, VIZ_INSPECT_BLOCK);
    const sim_trace_rec *r = &a.l->t.events[id];
    cr_expect_eq(r->type, ENG_EV_BLOCK_REPLICATED);
    cr_expect(r->arg[1] == n->pending[0].block && r->arg[2] == a.w1);
    a.v.inspect = kind, a.v.inspect_id = id;
    char buf[2048], want[256];
    card_text(&a.v, buf, sizeof buf);
    snprintf(want, sizeof want, "Block #%04llx of stream 0 (input-0-%lld)", (unsigned long long)(r->arg[1] & 0xffff),
             (long long)r->arg[1]);
    cr_expect(strncmp(buf, want, strlen(want)) == 0, "want \"%s\": %s", want, buf);
    cr_expect(strstr(buf, "received by worker-2 at ") && strstr(buf, " records"), "%s", buf);
    cr_expect(strstr(buf, "copies: worker-2 (gone: down since 4.29 s), replica on worker-1") != NULL,
              "the original went with worker-2, the replica is on worker-1: %s", buf);
    cr_expect(strstr(buf, "\nnot lost") != NULL, "%s", buf);
    cr_expect(strstr(buf, "\nreported to the driver at 4.003 s\nbatch interval (4000 ms, 5000 ms]: not in a batch yet") != NULL,
              "the interval it was reported in: %s", buf);
    /* the next batch takes it: with the card open after batch 5000 ms is generated */
    size_t f = viz_model_next_batch(m, a.v.frame, 1);
    viz_view v = a.v;
    v.frame = f;
    viz_model_seek(m, f, &v.live);
    cr_assert_eq(a.l->t.events[m->frames[f]].arg[0], 5000000);
    card_text(&v, buf, sizeof buf);
    cr_expect(strstr(buf, "in batch 5000 ms: the batch interval (4000 ms, 5000 ms]") != NULL, "%s", buf);
    /* the square outlined */
    const viz_theme *th = viz_theme_get(VIZ_THEME_LIGHT);
    viz_view closed = a.v;
    closed.inspect = VIZ_INSPECT_NONE;
    cairo_surface_t *s0 = render(&closed), *s1 = render(&a.v);
    viz_rect ring = {sq.x - 10, sq.y - 10, sq.w + 20, sq.h + 20};
    long b0 = count_in_surface(s0, ring, th->recovery, 10), b1 = count_in_surface(s1, ring, th->recovery, 10);
    cr_expect(b1 > b0 + 150, "the block outlined (%ld vs %ld blue pixels)", b1, b0);
    cairo_surface_destroy(s0), cairo_surface_destroy(s1);
    unload(a.l);
}

Test(viz_inspect, click_on_empty_space_opens_nothing) {
    at45 a;
    at_4_5s(&a);
    int kind = -1;
    int64_t id = -1;
    viz_rect cl = a.lay[VIZ_PANEL_CLUSTER];
    const double empty[][2] = {{cl.x + cl.w + 7, 500}, /* the gap between the columns */
                               {cl.x + 30, cl.y + 20}, /* the cluster panel's title */
                               {100, 1040}};           /* the caption */
    for (size_t i = 0; i < sizeof empty / sizeof *empty; i++) {
        cr_expect_eq(viz_hit(&a.v, empty[i][0], empty[i][1], &kind, &id), -1, "nothing at %.0f,%.0f", empty[i][0], empty[i][1]);
        cr_expect_eq(kind, VIZ_INSPECT_NONE);
        cr_expect_eq(viz_cluster_hit_element(&a.v, cl, empty[i][0], empty[i][1], &id), VIZ_INSPECT_NONE);
    }
    /* a free core is not a task: the click there is the worker's row */
    int free_core = -1;
    for (int c = 0; c < 4 && free_core < 0; c++)
        if (!a.v.live.node[a.w1].core[c].active) free_core = c;
    viz_rect box;
    cr_assert(free_core >= 0 && viz_cluster_core_rect(&a.v, cl, a.w1, free_core, &box) == 0);
    cr_expect_eq(viz_hit(&a.v, box.x + box.w / 2, box.y + box.h / 2, &kind, &id), 0);
    cr_expect(kind == VIZ_INSPECT_NODE && id == a.w1, "a free core belongs to its node's row (%d)", kind);
    /* nothing inspected: no card, the frame as without a click */
    char buf[64];
    cr_expect_eq(viz_inspector_text(&a.v, buf, sizeof buf), 0);
    cr_expect_str_eq(buf, "");
    unload(a.l);
}

/* As a user runs it: `render --click` on a task chip draws its card; on
 * empty space it says there is nothing there. */
Test(viz_inspect, render_click_on_a_chip_and_on_nothing) {
    at45 a;
    at_4_5s(&a);
    int core = running_core(&a.v.live.node[a.w1], 7, 1);
    viz_rect box;
    cr_assert(core >= 0 && viz_cluster_core_rect(&a.v, a.lay[VIZ_PANEL_CLUSTER], a.w1, core, &box) == 0);
    char at[64], gap[64], out[128];
    snprintf(at, sizeof at, "%.0f,%.0f", box.x + box.w / 2, box.y + box.h / 2);
    snprintf(gap, sizeof gap, "%.0f,500", a.lay[VIZ_PANEL_CLUSTER].x + a.lay[VIZ_PANEL_CLUSTER].w + 7);
    snprintf(out, sizeof out, "/tmp/streamlab-inspect-%d.png", (int)getpid());
    const char *view = build_path("asan/streamlab-view");
    const char *argv[] = {view, "render", WORKER_FAILURE, "--at", "4.5s", "--click", at, "--out", out, NULL};
    proc_result r;
    cr_assert_eq(proc_run(argv, 120, &r), 0);
    cr_expect_eq(r.code, 0, "%s", r.err);
    cairo_surface_t *png = cairo_image_surface_create_from_png(out);
    cr_assert_eq(cairo_surface_status(png), CAIRO_STATUS_SUCCESS);
    a.v.inspect = VIZ_INSPECT_NONE;
    cairo_surface_t *plain = render(&a.v);
    const viz_theme *th = viz_theme_get(VIZ_THEME_LIGHT);
    viz_rect card = {1300, 800, 500, 100};
    cr_expect(count_in_surface(png, card, th->bg, 4) > count_in_surface(plain, card, th->bg, 4) + 20000, "the card is in the PNG");
    cairo_surface_destroy(png), cairo_surface_destroy(plain);
    remove(out);
    proc_result_free(&r);
    argv[6] = gap;
    cr_assert_eq(proc_run(argv, 120, &r), 0);
    cr_expect_eq(r.code, 2);
    cr_expect(strstr(r.err, "nothing there to inspect") != NULL, "%s", r.err);
    proc_result_free(&r);
    unload(a.l);
}

/* Messages on the network lane: when older ones arrive, those still in
 * flight take new columns; eased, they move there. A from-state that differs
 * from live only in its messages' order moves the lane and nothing else. */
Test(viz_ease, messages_move_to_their_new_column_and_nothing_else_moves) {
    loaded *l = load(WORKER_FAILURE);
    const viz_model *m = &l->m;
    viz_view v = {.m = m};
    size_t f = 0;
    for (f = 1; f < m->nframes; f++) { /* a frame with 3 messages between drawn rows */
        viz_model_seek(m, f, &v.live);
        int ok = 0;
        for (int k = 0; k < v.live.nmsg; k++) {
            const viz_message *g = &v.live.msg[k];
            ok += g->src > 0 && g->dst > 0 && g->src < VIZ_NODES_MAX && g->dst < VIZ_NODES_MAX && g->src != g->dst &&
                  m->node_names[g->src][0] && m->node_names[g->dst][0];
        }
        if (ok >= 3 && ok == v.live.nmsg) break;
    }
    cr_assert(f < m->nframes, "a frame with messages in flight");
    v.frame = f;
    viz_live *from = malloc(sizeof *from);
    *from = v.live; /* the same state, the messages one column to the right: one went before them */
    memmove(&from->msg[1], &from->msg[0], (size_t)(VIZ_MESSAGES_MAX - 1) * sizeof from->msg[0]);
    from->msg[0] = (viz_message){.src = -1, .dst = -1};
    from->nmsg = v.live.nmsg + 1;
    viz_view eased = v;
    eased.ease_from = from, eased.ease_from_frame = f, eased.ease = 0;
    cairo_surface_t *plain = render(&v), *start = render(&eased);
    viz_rect lay[VIZ_PANEL_COUNT_];
    viz_layout(m, lay);
    viz_rect c = viz_panel_content(lay[VIZ_PANEL_CLUSTER]);
    viz_rect lane = {c.x + c.w - 76, c.y - 40, 76, c.h + 40};
    int h = 1080, stride = cairo_image_surface_get_stride(plain);
    long lane_diff = 0, other_diff = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < 1920; x++) {
            int in = x >= lane.x && x < lane.x + lane.w && y >= lane.y && y < lane.y + lane.h;
            int d = memcmp(cairo_image_surface_get_data(plain) + (size_t)y * (size_t)stride + 4 * (size_t)x,
                           cairo_image_surface_get_data(start) + (size_t)y * (size_t)stride + 4 * (size_t)x, 4) != 0;
            lane_diff += in && d, other_diff += !in && d;
        }
    cr_expect(lane_diff > 100, "the messages start from their old columns (%ld pixels differ on the lane)", lane_diff);
    cr_expect_eq(other_diff, 0, "nothing else moves (%ld pixels)", other_diff);
    eased.ease = 1;
    cairo_surface_t *end = render(&eased);
    cr_expect(same_pixels(plain, end), "and land on their new ones");
    cairo_surface_destroy(plain), cairo_surface_destroy(start), cairo_surface_destroy(end);
    free(from);
    unload(l);
}

/* While playing, a new batch slides the windows panel's strip left into
 * place: at ease 0.5 it is between its places; at ease 1 it is the frame. */
Test(viz_ease, the_windows_strip_slides_when_a_batch_comes) {
    loaded *l = load("scenarios/03_reduce_by_key_and_window.lua");
    const viz_model *m = &l->m;
    size_t f1 = viz_model_next_batch(m, viz_model_frame_at_time(m, 20000000), -1), f2 = viz_model_next_batch(m, f1, 1);
    cr_assert(f2 > f1, "two batches one after the other");
    viz_live from;
    viz_model_seek(m, f1, &from);
    viz_view plain = {.m = m, .frame = f2};
    viz_model_seek(m, f2, &plain.live);
    viz_view eased = plain;
    eased.ease_from = &from, eased.ease_from_frame = f1, eased.ease = 1;
    uint64_t p = panel_pixels(&plain, VIZ_PANEL_WINDOWS);
    cr_expect_eq(panel_pixels(&eased, VIZ_PANEL_WINDOWS), p, "ease 1: the frame itself");
    eased.ease = 0.5;
    cr_expect_neq(panel_pixels(&eased, VIZ_PANEL_WINDOWS), p, "ease 0.5: the strip between its places");
    unload(l);
}

/* A click on a batch's box in the windows panel opens that batch's card:
 * the rightmost box of scenario 03's strip at 20 s is the newest batch. */
Test(viz_inspect, click_on_a_windows_box_shows_its_batch) {
    loaded *l = load("scenarios/03_reduce_by_key_and_window.lua");
    const viz_model *m = &l->m;
    viz_view v = {.m = m, .frame = viz_model_frame_at_time(m, 20500000)};
    viz_model_seek(m, v.frame, &v.live);
    viz_rect lay[VIZ_PANEL_COUNT_], bracket, boxes;
    viz_layout(m, lay);
    cr_assert_eq(viz_windows_bracket(&v, lay[VIZ_PANEL_WINDOWS], 0, &bracket, &boxes), 0);
    viz_win_strip s;
    viz_windows_strip(&v, lay[VIZ_PANEL_WINDOWS], &s);
    int kind;
    int64_t id;
    cr_assert_eq(viz_hit(&v, boxes.x + boxes.w - s.slot / 2, boxes.y + boxes.h / 2, &kind, &id), 0);
    cr_expect_eq(kind, VIZ_INSPECT_BATCH);
    cr_expect_eq(m->batches[id].batch_time_us, s.right_us, "the newest box is batch %lld ms", (long long)(s.right_us / 1000));
    cr_expect_neq(viz_hit(&v, boxes.x + boxes.w - s.slot / 2, boxes.y - 30, &kind, &id), 0, "above the boxes: nothing");
    unload(l);
}
