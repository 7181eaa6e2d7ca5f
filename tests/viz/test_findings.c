/* tests/viz/test_findings.c — the checker's findings in the player: read
 * from findings.jsonl beside a trace (as `streamlab check --out` leaves it)
 * or found for a scenario by its reference run, the same either way; placed
 * on the write of their batch; shown from that frame on and never before
 * (stepping back exact, the hash sees them); in vermillion in the outputs
 * panel and in words in the caption; a broken or foreign file said and
 * ignored, never a crash. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../viz/draw.h"
#include "../../viz/findings.h"
#include "../../viz/load.h"
#include "../../viz/model.h"
#include "../../viz/render.h"
#include "../support/proc.h"
#include "viz_test.h"

#define CRASH "scenarios/crash_replicated_receiver.lua"

typedef struct checked {
    sim_trace t;
    viz_model m;
    viz_findings f;
} checked;

/* A trace or scenario with its findings placed; the load must say nothing wrong. */
static checked *load_checked(const char *path) {
    checked *l = calloc(1, sizeof *l);
    char err[1024] = "";
    cr_assert_eq(sim_trace_init(&l->t, 0), 0);
    viz_findings_init(&l->f);
    cr_assert_eq(viz_load_checked(path, &l->t, &l->f, err, sizeof err), 0, "%s", err);
    cr_assert_eq(viz_model_init(&l->m, &l->t, err, sizeof err), 0, "%s", err);
    cr_assert_eq(viz_findings_place(&l->f, &l->m, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(l->f.note, "", "%s: findings without a complaint", path);
    return l;
}

static void unload_checked(checked *l) {
    viz_model_fini(&l->m);
    viz_findings_fini(&l->f);
    sim_trace_fini(&l->t);
    free(l);
}

/* `streamlab check scenario --out dir` (dir from its template). */
static void check_out(const char *scenario, char *dir) {
    cr_assert_not_null(mkdtemp(dir));
    const char *argv[] = {build_path("asan/streamlab"), "check", scenario, "--out", dir, NULL};
    proc_result r;
    cr_assert_eq(proc_run(argv, 120, &r), 0);
    cr_assert_eq(r.code, 0, "%s%s", r.out, r.err);
    proc_result_free(&r);
}

static void remove_dir(const char *dir) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* The frame of output 0's write of batch time batch_ms. */
static size_t write_frame(const viz_model *m, int64_t batch_ms) {
    for (size_t f = 0; f < m->nframes; f++) {
        const sim_trace_rec *r = &m->trace->events[m->frames[f]];
        if (r->type == ENG_EV_SINK_WRITE && !r->text && r->arg[0] == 0 && r->arg[1] == batch_ms) return f;
    }
    cr_assert_fail("no write of batch %lld ms", (long long)batch_ms);
    return 0;
}

Test(viz_findings, checks_findings_go_on_the_write_of_their_batch) {
    char dir[] = "/tmp/streamlab-viz-findings-XXXXXX", trace[128];
    check_out(CRASH, dir);
    snprintf(trace, sizeof trace, "%s/trace.jsonl", dir);
    checked *l = load_checked(trace);
    const viz_model *m = &l->m;
    cr_assert_eq(l->f.n, 1, "one batch lost records");
    const viz_finding *f = &l->f.v[0];
    cr_assert(f->sink >= 0);
    cr_expect_eq(m->sinks.v[f->sink].b, 5000, "on batch 5000 ms's write");
    cr_expect_eq(f->ev, m->sinks.v[f->sink].ev);
    cr_expect_eq(f->f->count[SIM_FINDING_LOST], 10);
    cr_expect_eq(viz_findings_of_sink(&l->f, (size_t)f->sink), f);
    size_t w = write_frame(m, 5000);
    cr_expect_eq(viz_findings_visible(&l->f, m->frames[w - 1]), 0, "not before the write");
    cr_expect_eq(viz_findings_visible(&l->f, m->frames[w]), 1, "from the write on");
    char buf[400];
    viz_describe(m, m->frames[w], buf, sizeof buf);
    cr_expect_str_eq(buf, "DStream output 0 writes batch 5000 ms: 40 rows \u00b7 the checker: 10 missing vs the reference");
    viz_describe(m, m->frames[write_frame(m, 4000)], buf, sizeof buf);
    cr_expect_str_eq(buf, "DStream output 0 writes batch 4000 ms: 50 rows", "a write without findings says nothing more");
    const sim_finding_output *o = viz_findings_output(&l->f, 0);
    cr_assert_not_null(o);
    cr_expect_str_eq(o->verdict, "at-most-once");
    unload_checked(l);
    remove_dir(dir);
}

/* The player finds for a scenario what check writes for it. */
static void expect_same_findings(const char *scenario) {
    char dir[] = "/tmp/streamlab-viz-findings-XXXXXX", trace[128];
    check_out(scenario, dir);
    snprintf(trace, sizeof trace, "%s/trace.jsonl", dir);
    checked *a = load_checked(scenario), *b = load_checked(trace);
    const sim_findings *x = &a->f.file, *y = &b->f.file;
    cr_assert_eq(x->noutputs, y->noutputs, "%s", scenario);
    for (size_t i = 0; i < x->noutputs; i++)
        cr_expect(!memcmp(&x->outputs[i], &y->outputs[i], sizeof x->outputs[i]), "%s: output line %zu", scenario, i);
    cr_assert_eq(x->nbatches, y->nbatches, "%s", scenario);
    cr_assert(x->nbatches > 0);
    for (size_t i = 0; i < x->nbatches; i++) {
        const sim_finding *p = &x->batches[i], *q = &y->batches[i];
        cr_expect(p->query == q->query && p->index == q->index && p->batch == q->batch && p->write == q->write &&
                      !memcmp(p->count, q->count, sizeof p->count),
                  "%s: batch %zu", scenario, i);
        for (int k = 0; k < SIM_FINDING_KINDS_; k++)
            for (int e = 0; e < p->nexample[k] && e < q->nexample[k]; e++)
                cr_expect_str_eq(p->example[k][e], q->example[k][e]);
    }
    cr_expect_eq(a->f.n, b->f.n, "placed alike");
    for (size_t i = 0; i < a->f.n && i < b->f.n; i++) cr_expect_eq(a->f.v[i].sink, b->f.v[i].sink);
    unload_checked(a);
    unload_checked(b);
    remove_dir(dir);
}

Test(viz_findings, a_scenario_gets_the_findings_check_writes) {
    expect_same_findings(CRASH);
    expect_same_findings("scenarios/ss_foreach_batch_duplicates.lua");
}

Test(viz_findings, a_scenario_without_faults_needs_no_reference) {
    checked *l = load_checked("scenarios/hello.lua");
    cr_expect_eq(l->f.file.noutputs, 0, "no fault, no comparison");
    cr_expect_eq(l->f.n, 0);
    unload_checked(l);
}

/* Forward from frame 0, backward by seeking: the same hash at every frame,
 * with the findings; and the hash sees them (it differs without them once
 * the marked write is reached, not before). */
Test(viz_findings, stepping_back_is_exact_with_findings) {
    checked *l = load_checked(CRASH);
    viz_model *m = &l->m;
    cr_assert_eq(l->f.n, 1);
    uint64_t *fwd = forward_hashes(m);
    size_t differ = backward_differences(m, fwd);
    cr_expect_eq(differ, 0, "%zu of %zu frames differ backwards", differ, m->nframes);
    size_t w = write_frame(m, 5000), seen_before = 0, seen_after = 0;
    const struct viz_findings *keep = m->findings;
    m->findings = NULL;
    for (size_t f = 0; f < m->nframes; f++) {
        viz_live b;
        viz_model_seek(m, f, &b);
        int same = viz_model_hash(m, f, &b) == fwd[f];
        if (f < w) seen_before += !same;
        else seen_after += same;
    }
    m->findings = keep;
    cr_expect_eq(seen_before, 0, "before the write the findings change nothing drawn");
    cr_expect_eq(seen_after, 0, "from the write on the hash sees them");
    free(fwd);
    unload_checked(l);
}

/* ---- drawn ------------------------------------------------------------------------------ */

/* Vermillion in a panel at frame f, with the findings and without them. */
static void vermillion(viz_model *m, size_t f, viz_rect r, long *with, long *without) {
    viz_rgb fault = viz_theme_get(VIZ_THEME_LIGHT)->fault;
    pixels a = render_frame(m, f, VIZ_THEME_LIGHT);
    *with = count_colour(&a, r, fault, 12);
    const struct viz_findings *keep = m->findings;
    m->findings = NULL;
    pixels b = render_frame(m, f, VIZ_THEME_LIGHT);
    *without = count_colour(&b, r, fault, 12);
    m->findings = keep;
    cairo_surface_destroy(a.s), cairo_surface_destroy(b.s);
}

/* Batch 5000 ms's bar is itself vermillion (the palette's sixth colour):
 * what counts is the vermillion the findings add. */
Test(viz_findings, vermillion_marks_the_write_from_its_frame_on_and_not_before) {
    char dir[] = "/tmp/streamlab-viz-findings-XXXXXX", trace[128];
    check_out(CRASH, dir);
    snprintf(trace, sizeof trace, "%s/trace.jsonl", dir);
    checked *l = load_checked(trace);
    viz_model *m = &l->m;
    viz_rect lay[VIZ_PANEL_COUNT_];
    viz_layout(m, lay);
    size_t w = write_frame(m, 5000);
    long with, without;
    vermillion(m, w - 1, lay[VIZ_PANEL_OUTPUTS], &with, &without);
    cr_expect_eq(with, without, "nothing marked before the write (%ld vs %ld vermillion pixels)", with, without);
    vermillion(m, w, lay[VIZ_PANEL_OUTPUTS], &with, &without);
    cr_expect(with > without + 800, "the write marked: bar, words, count (%ld vs %ld vermillion pixels)", with, without);
    vermillion(m, m->nframes - 1, lay[VIZ_PANEL_OUTPUTS], &with, &without);
    cr_expect(with > without + 800, "still marked at the end, with the verdict (%ld vs %ld)", with, without);
    vermillion(m, w, lay[VIZ_PANEL_CAPTION], &with, &without);
    cr_expect(with > without + 2000, "the caption says it in the fault colour (%ld vs %ld)", with, without);
    /* the bar's own slot: the strip's fifth write */
    viz_rect c = viz_panel_content(lay[VIZ_PANEL_OUTPUTS]);
    double bx = c.x + 460, slot = (c.w - 460 - 150 - 10) / 30;
    viz_rect bar = {bx + 4 * slot, c.y, slot, c.h};
    vermillion(m, w, bar, &with, &without);
    cr_expect(with > without + 150, "the bar outlined, its missing records hatched (%ld vs %ld)", with, without);
    vermillion(m, w, (viz_rect){bx + 3 * slot, c.y, slot, c.h}, &with, &without);
    cr_expect_eq(with, without, "batch 4000 ms unmarked");
    unload_checked(l);
    remove_dir(dir);
}

/* Batches the driver never wrote while it was down show at the output's
 * next write, as hatched boxes where their bars would be. */
Test(viz_findings, batches_never_written_show_at_the_next_write) {
    char dir[] = "/tmp/streamlab-viz-findings-XXXXXX", trace[128];
    check_out("scenarios/driver_crash_no_checkpoint.lua", dir);
    snprintf(trace, sizeof trace, "%s/trace.jsonl", dir);
    checked *l = load_checked(trace);
    viz_model *m = &l->m;
    size_t w = write_frame(m, 8000), gone = 0;
    for (size_t i = 0; i < l->f.n; i++) {
        if (l->f.v[i].sink >= 0) continue;
        gone++;
        cr_expect_eq(l->f.v[i].ev, m->frames[w], "batch %lld shows with 8000 ms's write", (long long)l->f.v[i].f->batch);
    }
    cr_expect_eq(gone, 3);
    char buf[400];
    viz_describe(m, m->frames[w], buf, sizeof buf);
    cr_expect_str_eq(buf, "DStream output 0 writes batch 8000 ms: 10 rows \u00b7 the checker: 40 missing, and 150 in 3 batches "
                          "never written");
    int64_t count[SIM_FINDING_KINDS_];
    cr_expect_eq(viz_findings_sum(&l->f, 0, m->frames[w], 1, count), 3);
    cr_expect_eq(count[SIM_FINDING_LOST], 150);
    viz_rect lay[VIZ_PANEL_COUNT_];
    viz_layout(m, lay);
    viz_rect c = viz_panel_content(lay[VIZ_PANEL_OUTPUTS]);
    double bx = c.x + 460, slot = (c.w - 460 - 150 - 10) / 30;
    long with, without; /* slots 5 to 7 (after batches 1000-4000 ms): the three boxes */
    vermillion(m, w, (viz_rect){bx + 4 * slot, c.y, 3 * slot, c.h}, &with, &without);
    cr_expect(with > without + 600, "three hatched boxes (%ld vs %ld)", with, without);
    vermillion(m, w - 1, (viz_rect){bx + 4 * slot, c.y, 3 * slot, c.h}, &with, &without);
    cr_expect_eq(with, without, "not before that write");
    unload_checked(l);
    remove_dir(dir);
}

/* ---- broken findings: said, and the trace shown without them ------------------------------ */

/* A copy of check's run folder with findings.jsonl replaced by text. */
static void with_findings(const char *from, char *to, const char *text) {
    cr_assert_not_null(mkdtemp(to));
    char cmd[600], path[300];
    snprintf(cmd, sizeof cmd, "cp '%s/trace.jsonl' '%s/'", from, to);
    cr_assert_eq(system(cmd), 0);
    snprintf(path, sizeof path, "%s/findings.jsonl", to);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

/* Loads dir/trace.jsonl; the trace loads whatever the findings; returns what
 * the player noted (in note) and placing's message (in err, "" if placed). */
static void load_noting(const char *dir, char *note, size_t nn, char *err, size_t en) {
    char trace[300];
    snprintf(trace, sizeof trace, "%s/trace.jsonl", dir);
    sim_trace t;
    viz_model m;
    viz_findings f;
    cr_assert_eq(sim_trace_init(&t, 0), 0);
    viz_findings_init(&f);
    cr_assert_eq(viz_load_checked(trace, &t, &f, err, en), 0, "the trace loads");
    cr_assert_eq(viz_model_init(&m, &t, err, en), 0);
    err[0] = 0;
    if (viz_findings_place(&f, &m, err, en)) cr_expect_eq(f.n, 0, "none placed");
    snprintf(note, nn, "%s", f.note);
    pixels p = render_frame(&m, m.nframes - 1, VIZ_THEME_LIGHT); /* and draws */
    cairo_surface_destroy(p.s);
    viz_model_fini(&m);
    viz_findings_fini(&f);
    sim_trace_fini(&t);
}

Test(viz_findings, a_broken_or_foreign_findings_file_is_said_and_ignored) {
    char dir[] = "/tmp/streamlab-viz-findings-XXXXXX", bad[] = "/tmp/streamlab-viz-bad-XXXXXX", note[400], err[400], want[400];
    check_out(CRASH, dir);
    with_findings(dir, bad,
                  "{\"findings\":1,\"scenario\":\"x\",\"trace_xxh3\":null}\n"
                  "{\"output\":0,\"verdict\":\"at-most-once\",\"compared\":9,\"upto_ms\":9000,\"lost\":1,\"duplicated\":0,"
                  "\"unexpected\":0,\"moved\":0}\n"
                  "{\"output\":0,\"time_ms\":5000,\"write\":4,\"lost\":\"ten\"}\n");
    load_noting(bad, note, sizeof note, err, sizeof err);
    snprintf(want, sizeof want, "%s/findings.jsonl:3: \"lost\" is a count (an integer, 0 or more)", bad);
    cr_expect_str_eq(note, want);
    remove_dir(bad);

    char other[] = "/tmp/streamlab-viz-bad-XXXXXX";
    with_findings(dir, other, "{\"findings\":1,\"scenario\":\"x\",\"trace_xxh3\":\"0123456789abcdef\"}\n");
    load_noting(other, note, sizeof note, err, sizeof err);
    cr_expect(strstr(note, "findings.jsonl:1: written for another trace (trace_xxh3 0123456789abcdef;") != NULL, "%s", note);
    remove_dir(other);

    char late[] = "/tmp/streamlab-viz-bad-XXXXXX";
    with_findings(dir, late,
                  "{\"findings\":1,\"scenario\":\"x\",\"trace_xxh3\":null}\n"
                  "{\"output\":0,\"verdict\":\"at-most-once\",\"compared\":9,\"upto_ms\":9000,\"lost\":1,\"duplicated\":0,"
                  "\"unexpected\":0,\"moved\":0}\n"
                  "{\"output\":0,\"time_ms\":5000,\"write\":99,\"lost\":1,\"duplicated\":0,\"unexpected\":0}\n");
    load_noting(late, note, sizeof note, err, sizeof err);
    cr_expect_str_eq(err, "output 0's write 99 is not in the trace (it has 9 writes of it)");
    remove_dir(late);

    char shifted[] = "/tmp/streamlab-viz-bad-XXXXXX";
    with_findings(dir, shifted,
                  "{\"findings\":1,\"scenario\":\"x\",\"trace_xxh3\":null}\n"
                  "{\"output\":0,\"verdict\":\"at-most-once\",\"compared\":9,\"upto_ms\":9000,\"lost\":1,\"duplicated\":0,"
                  "\"unexpected\":0,\"moved\":0}\n"
                  "{\"output\":0,\"time_ms\":6000,\"write\":4,\"lost\":1,\"duplicated\":0,\"unexpected\":0}\n");
    load_noting(shifted, note, sizeof note, err, sizeof err);
    cr_expect_str_eq(err, "output 0's write 4 is batch 5000 ms in the trace, batch 6000 ms in the findings");
    remove_dir(shifted);
    remove_dir(dir);
}

/* As a user runs it: the frame is rendered, and one line on stderr says why
 * the findings are not shown. */
Test(viz_findings, the_viewer_says_so_in_one_line_and_renders) {
    char dir[] = "/tmp/streamlab-viz-findings-XXXXXX", bad[] = "/tmp/streamlab-viz-bad-XXXXXX", trace[128], out[128], want[400];
    check_out(CRASH, dir);
    with_findings(dir, bad, "{\"findings\":1}\nnot json\n");
    snprintf(trace, sizeof trace, "%s/trace.jsonl", bad);
    snprintf(out, sizeof out, "%s/frame.png", bad);
    const char *argv[] = {build_path("asan/streamlab-view"), "render", trace, "--at", "6s", "--out", out, NULL};
    proc_result r;
    cr_assert_eq(proc_run(argv, 120, &r), 0);
    cr_expect_eq(r.code, 0, "%s", r.err);
    snprintf(want, sizeof want,
             "streamlab-view: %s/findings.jsonl:2: not a JSON object; the outputs are shown without the checker's findings\n", bad);
    cr_expect_str_eq(r.err, want);
    cr_expect_eq(access(out, F_OK), 0, "the frame is written");
    proc_result_free(&r);
    snprintf(trace, sizeof trace, "%s/trace.jsonl", dir);
    const char *good[] = {build_path("asan/streamlab-view"), "render", trace, "--at", "6s", "--out", out, NULL};
    cr_assert_eq(proc_run(good, 120, &r), 0);
    cr_expect_eq(r.code, 0, "%s", r.err);
    cr_expect_str_eq(r.err, "", "check's own findings load without a word");
    proc_result_free(&r);
    remove_dir(bad);
    remove_dir(dir);
}

/* Whether pressing F from the first frame on stops at frame want. */
static int f_stops_at(const viz_model *m, size_t want) {
    for (size_t f = 0, next; (next = viz_model_next_fault(m, f, 1)) != f; f = next)
        if (next == want) return 1;
    return 0;
}

/* F stops at the write the checker found records lost in, as at a fault
 * (lecture mode uses the same test); without the findings it does not. */
Test(viz_findings, f_stops_at_a_write_with_findings) {
    checked *l = load_checked(CRASH);
    viz_model *m = &l->m;
    size_t w = write_frame(m, 5000);
    cr_expect(f_stops_at(m, w), "F stops at the write of batch 5000 ms, which lost records");
    cr_expect_eq(viz_model_next_fault(m, w, -1) < w, 1, "Shift+F goes back from it to the crash");
    const struct viz_findings *keep = m->findings;
    m->findings = NULL;
    cr_expect(!f_stops_at(m, w), "without findings, the write is not a stop");
    m->findings = keep;
    unload_checked(l);
}
