/* tests/cli/test_windows.c — windows and state over time: what the driver
 * holds stays bounded on a long run (RDDs forgotten once no window,
 * lineage or remember duration needs them; checkpoints cut lineage), and
 * data checkpoints appear in durable storage on their interval. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../support/proc.h"

static json_t *run_summary(const char *scenario, char *dir) {
    cr_assert_not_null(mkdtemp(dir));
    proc_result r;
    const char *argv[] = {build_path("asan/streamlab"), "run", scenario, "--quiet", "--out", dir, NULL};
    cr_assert_eq(proc_run(argv, 600, &r), 0);
    cr_assert_eq(r.code, 0, "exit %d: %s", r.code, r.err);
    proc_result_free(&r);
    char path[256];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    json_error_t e;
    json_t *s = json_load_file(path, 0, &e);
    cr_assert_not_null(s, "%s", e.text);
    return s;
}

static long metric(json_t *s, const char *name) {
    return (long)json_integer_value(json_object_get(json_object_get(s, "metrics"), name));
}

Test(windows, an_hour_of_windows_and_state_holds_bounded_memory, .timeout = 900) {
    char dir[] = "/tmp/streamlab-windows-XXXXXX";
    json_t *s = run_summary("tests/scenarios/windows/long_run.lua", dir);
    cr_expect_eq(metric(s, "batches_completed"), 3599);
    /* 3599 batches ran; the driver never held more than the windows (30 s + a
     * 10 s slide), the lineage since the last checkpoint (10 s) and the
     * batches in flight need */
    cr_expect_leq(metric(s, "max_batches_remembered"), 100, "%ld", metric(s, "max_batches_remembered"));
    cr_expect_leq(metric(s, "max_rdds_held"), 1000, "%ld", metric(s, "max_rdds_held"));
    cr_expect_leq(metric(s, "max_blocks_held"), 600, "%ld", metric(s, "max_blocks_held"));
    cr_expect_leq(metric(s, "max_shuffles_held"), 600, "%ld", metric(s, "max_shuffles_held"));
    cr_expect_gt(metric(s, "max_batches_remembered"), 30, "windows of 30 s keep at least 30 batches");
    json_decref(s);
}
