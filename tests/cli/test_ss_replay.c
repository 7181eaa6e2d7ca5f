/* tests/cli/test_ss_replay.c — a real dataset with its own lateness
 * (issue 7): scenarios/18_natural_lateness.lua replays a week of USGS
 * earthquake reports in the order of their `updated` field; the per-hour
 * counts it ends with, and the rows it drops as late, must equal an
 * independent sqlite3 computation over the same file
 * (tests/scripts/earthquakes_vs_sqlite.sh says how). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../support/proc.h"

Test(ss_replay, earthquake_counts_and_late_rows_agree_with_sqlite) {
    char dir[] = "/tmp/streamlab-quakes-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    const char *argv[] = {"tests/scripts/earthquakes_vs_sqlite.sh", build_path("asan/streamlab"), dir, NULL};
    proc_result r;
    cr_assert_eq(proc_run(argv, 300, &r), 0);
    cr_expect_eq(r.code, 0, "exit %d: %s", r.code, r.err);
    cr_expect_str_eq(r.out, "agrees: 166 hour windows, 885 late rows dropped of 1707, 121 batches\n");
    proc_result_free(&r);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    const char *rm[] = {"/bin/sh", "-c", cmd, NULL};
    proc_run(rm, 60, &r);
    proc_result_free(&r);
}

/* State stays bounded by the watermark: hours behind it leave the store,
 * so at most a few hours are held whatever the run's length. */
Test(ss_replay, state_rows_stay_bounded_by_the_watermark) {
    char dir[] = "/tmp/streamlab-quakes-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    const char *argv[] = {build_path("asan/streamlab"), "run", "scenarios/18_natural_lateness.lua", "--quiet",
                          "--out", dir, NULL};
    proc_result r;
    cr_assert_eq(proc_run(argv, 300, &r), 0);
    cr_assert_eq(r.code, 0, "%s", r.err);
    proc_result_free(&r);
    char cmd[400];
    snprintf(cmd, sizeof cmd,
             "jq -r '[.queries[0].progress[].stateOperators[0].numRowsTotal] | max' '%s/summary.json'; rm -rf '%s'", dir,
             dir);
    const char *sh[] = {"/bin/sh", "-c", cmd, NULL};
    cr_assert_eq(proc_run(sh, 60, &r), 0);
    cr_expect_str_eq(r.out, "5\n", "the most state rows held at once");
    proc_result_free(&r);
}
