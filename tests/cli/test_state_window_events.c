/* tests/cli/test_state_window_events.c — the trace's event-time window
 * events: a state store task of a windowed aggregation says which windows
 * it updated (window_updated) and which it evicted because the watermark
 * passed their end (window_evicted), with the query's output mode as text.
 * Scenario 13 runs one aggregation (10 s windows, a 5 s watermark, a
 * trigger every 10 s) in the three output modes; the batches at which
 * windows are updated and evicted follow from Spark's rules (SEMANTICS 8.7:
 * a batch evicts the windows whose end is at or before the watermark it
 * runs with; complete mode never evicts). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../support/proc.h"

/* Per query, "batch:u|e start-end" for each window event in trace order,
 * batches from the query's offset log. */
static void window_events(char seq[3][1024], char modes[3][16]) {
    char dir[] = "/tmp/streamlab-statewin-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char trace[256], outdir[256];
    snprintf(trace, sizeof trace, "%s/trace.jsonl", dir);
    snprintf(outdir, sizeof outdir, "%s/out", dir);
    proc_result r;
    const char *argv[] = {build_path("asan/streamlab"), "run", "scenarios/13_unbounded_table_output_modes.lua",
                          "--quiet", "--out", outdir, "--trace", trace, NULL};
    cr_assert_eq(proc_run(argv, 300, &r), 0);
    cr_assert_eq(r.code, 0, "exit %d: %s", r.code, r.err);
    proc_result_free(&r);
    FILE *f = fopen(trace, "r");
    cr_assert_not_null(f, "no trace at %s", trace);
    char line[4096];
    long long batch[3] = {-1, -1, -1};
    for (int q = 0; q < 3; q++) seq[q][0] = modes[q][0] = '\0';
    while (fgets(line, sizeof line, f)) {
        int offset = strstr(line, "\"ev\":\"offset_log\"") != NULL;
        if (!offset && !strstr(line, "\"ev\":\"window_")) continue;
        json_error_t e;
        json_t *o = json_loads(line, 0, &e);
        cr_assert_not_null(o, "%s", e.text);
        long long q = (long long)json_integer_value(json_object_get(o, "query"));
        cr_assert(q >= 0 && q < 3, "query %lld", q);
        if (offset) {
            batch[q] = (long long)json_integer_value(json_object_get(o, "batch_id"));
        } else {
            const char *ev = json_string_value(json_object_get(o, "ev")), *text = json_string_value(json_object_get(o, "text"));
            cr_assert_not_null(text, "a window event names the output mode");
            snprintf(modes[q], sizeof modes[q], "%s", text);
            long long s = (long long)json_integer_value(json_object_get(o, "window_start_us")),
                      en = (long long)json_integer_value(json_object_get(o, "window_end_us"));
            cr_expect_eq(json_integer_value(json_object_get(o, "keys")), 1, "one key per window (no other grouping column)");
            size_t len = strlen(seq[q]);
            snprintf(seq[q] + len, 1024 - len, "%s%lld:%c%lld-%lld", len ? " " : "", batch[q],
                     strcmp(ev, "window_evicted") == 0 ? 'e' : 'u', s / 1000000, en / 1000000);
        }
        json_decref(o);
    }
    fclose(f);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect_eq(system(cmd), 0);
}

Test(state_window_events, updates_and_evictions_per_output_mode) {
    char seq[3][1024], modes[3][16];
    window_events(seq, modes);
    cr_expect_str_eq(modes[0], "complete");
    cr_expect_str_eq(modes[1], "update");
    cr_expect_str_eq(modes[2], "append");
    /* rows 1,3 @4s; 8,11,12 @13s; 22,23 @24s; 19,31 @36s; 41 @44s; 52 @54s. Watermark per batch:
     * 0, 0, 7, 18, 26, 36 s: batch 3 evicts [0,10), batch 4 [10,20), batch 5 [20,30). */
    cr_expect_str_eq(seq[0], "0:u0-10 1:u0-10 1:u10-20 2:u20-30 3:u10-20 3:u30-40 4:u40-50 5:u50-60",
                     "complete mode keeps every window");
    cr_expect_str_eq(seq[1], "0:u0-10 1:u0-10 1:u10-20 2:u20-30 3:u10-20 3:u30-40 3:e0-10 4:u40-50 4:e10-20 5:u50-60 5:e20-30");
    /* the same changes; in batch 4 the partition holding [10,20) runs first */
    cr_expect_str_eq(seq[2], "0:u0-10 1:u0-10 1:u10-20 2:u20-30 3:u10-20 3:u30-40 3:e0-10 4:e10-20 4:u40-50 5:u50-60 5:e20-30");
}
