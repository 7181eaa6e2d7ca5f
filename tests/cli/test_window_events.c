/* tests/cli/test_window_events.c — the trace's window events: a windowed
 * DStream says when it makes its RDD for a window (window_computed: stream,
 * window end, length, slide; text: the operation), and an incremental one
 * (with an inverse function) which batches that slide added and subtracted
 * (window_slide, right after its window_computed). Exact values for a 4 s
 * window sliding 2 s on 1 s batches. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../support/proc.h"

static const char scenario[] =
    "scenario{ name = \"window events\", seed = 1, duration = \"8500ms\" }\n"
    "netcat{ port = 9999, lines = { \"a b\", \"b c\" }, rate = 10, loop = true }\n"
    "local ssc = StreamingContext{ batchDuration = \"1s\", workers = 2, cores = 2 }\n"
    "ssc:checkpoint(\"checkpoint\")\n"
    "local p = ssc:socketTextStream(\"localhost\", 9999):flatMap(words):map(pairWithOne)\n"
    "p:reduceByKeyAndWindow(add, sub, \"4s\", \"2s\"):print()   -- output 0: incremental\n"
    "p:window(\"4s\", \"2s\"):count():print()                  -- output 1: the union\n"
    "ssc:start()\n"
    "ssc:awaitTerminationOrTimeout(\"8500ms\")\n";

typedef struct wev {
    int slide;        /* 0 window_computed, 1 window_slide */
    long long a[4];   /* the four arguments */
    char text[64];
} wev;

static long long arg(json_t *o, const char *name) { return (long long)json_integer_value(json_object_get(o, name)); }

/* Runs the scenario with a trace; returns the window events in trace order. */
static int window_events(wev *out, int max) {
    char dir[] = "/tmp/streamlab-winev-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char lua[256], trace[256], outdir[256];
    snprintf(lua, sizeof lua, "%s/w.lua", dir);
    snprintf(trace, sizeof trace, "%s/trace.jsonl", dir);
    snprintf(outdir, sizeof outdir, "%s/out", dir);
    FILE *f = fopen(lua, "w");
    cr_assert_not_null(f);
    fputs(scenario, f);
    fclose(f);
    proc_result r;
    const char *argv[] = {build_path("asan/streamlab"), "run", lua, "--quiet", "--out", outdir, "--trace", trace, NULL};
    cr_assert_eq(proc_run(argv, 300, &r), 0);
    cr_assert_eq(r.code, 0, "exit %d: %s", r.code, r.err);
    proc_result_free(&r);
    f = fopen(trace, "r");
    cr_assert_not_null(f, "no trace at %s", trace);
    char line[4096];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        if (!strstr(line, "\"window_")) continue;
        json_error_t e;
        json_t *o = json_loads(line, 0, &e);
        cr_assert_not_null(o, "%s", e.text);
        const char *ev = json_string_value(json_object_get(o, "ev"));
        cr_assert_not_null(ev);
        cr_assert_lt(n, max);
        wev *w = &out[n];
        memset(w, 0, sizeof *w);
        if (strcmp(ev, "window_computed") == 0) {
            w->a[0] = arg(o, "stream"), w->a[1] = arg(o, "window_end_us"), w->a[2] = arg(o, "length_us");
            w->a[3] = arg(o, "slide_us");
            const char *t = json_string_value(json_object_get(o, "text"));
            snprintf(w->text, sizeof w->text, "%s", t ? t : "");
            n++;
        } else if (strcmp(ev, "window_slide") == 0) {
            w->slide = 1;
            w->a[0] = arg(o, "added_from_us"), w->a[1] = arg(o, "added_to_us"), w->a[2] = arg(o, "removed_from_us");
            w->a[3] = arg(o, "removed_to_us");
            cr_assert_null(json_object_get(o, "text"), "window_slide has no text");
            n++;
        }
        json_decref(o);
    }
    fclose(f);
    return n;
}

Test(window_events, reduce_by_key_and_window_with_inverse_4s_over_2s, .timeout = 300) {
    wev ev[64];
    int n = window_events(ev, 64);
    /* per slide (2, 4, 6, 8 s): the incremental window (output 0) with its
     * slide, then the plain window (output 1) */
    cr_assert_eq(n, 12, "4 slides x (window_computed + window_slide + window_computed): %d events", n);
    long long inv_stream = ev[0].a[0], plain_stream = ev[2].a[0];
    cr_expect_neq(inv_stream, plain_stream);
    static const long long added[4][2] = {{1000000, 2000000}, {3000000, 4000000}, {5000000, 6000000}, {7000000, 8000000}};
    static const long long removed[4][2] = {{-1, -1}, {-1, -1}, {1000000, 2000000}, {3000000, 4000000}};
    for (int k = 0; k < 4; k++) {
        const wev *c = &ev[3 * k], *s = &ev[3 * k + 1], *p = &ev[3 * k + 2];
        long long end = 2000000LL * (k + 1);
        cr_assert_eq(c->slide, 0, "slide %d: window_computed first", k);
        cr_expect_eq(c->a[0], inv_stream);
        cr_expect_eq(c->a[1], end, "window end %lld", c->a[1]);
        cr_expect_eq(c->a[2], 4000000, "length %lld", c->a[2]);
        cr_expect_eq(c->a[3], 2000000, "slide %lld", c->a[3]);
        cr_expect_str_eq(c->text, "reduceByKeyAndWindow");
        cr_assert_eq(s->slide, 1, "slide %d: the incremental window's window_slide right after", k);
        cr_expect_eq(s->a[0], added[k][0], "end %lld: added from %lld", end, s->a[0]);
        cr_expect_eq(s->a[1], added[k][1], "end %lld: added to %lld", end, s->a[1]);
        cr_expect_eq(s->a[2], removed[k][0], "end %lld: removed from %lld", end, s->a[2]);
        cr_expect_eq(s->a[3], removed[k][1], "end %lld: removed to %lld", end, s->a[3]);
        cr_assert_eq(p->slide, 0, "slide %d: the plain window has no window_slide", k);
        cr_expect_eq(p->a[0], plain_stream);
        cr_expect_eq(p->a[1], end);
        cr_expect_eq(p->a[2], 4000000);
        cr_expect_eq(p->a[3], 2000000);
        cr_expect_str_eq(p->text, "window");
    }
}
