/* tests/cli/test_ss_check.c — issue 7's recovery matrix: `streamlab check`
 * on the Structured Streaming fault scenarios of scenarios/ss_*.lua. Each
 * gives the verdict Spark's guarantees predict (SEMANTICS.md 8.16, 8.17,
 * 9.4): replayable source + logs + idempotent sink exactly-once under a
 * driver or worker crash; a foreachBatch that appends regardless of
 * batch_id at-least-once; a socket source, or a memory sink without a
 * checkpoint, at-most-once. The traces show how: the uncommitted batch run
 * again, the file sink skipping a batch it has, state stores reloaded from
 * the checkpoint on another executor. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../support/proc.h"

#define TIMEOUT_S 120

static void check_says(const char *scenario, const char *verdict) {
    proc_result r;
    const char *argv[] = {build_path("asan/streamlab"), "check", scenario, NULL};
    cr_assert_eq(proc_run(argv, TIMEOUT_S, &r), 0);
    cr_expect_eq(r.code, 0, "%s: exit %d\n%s%s", scenario, r.code, r.out, r.err);
    cr_expect(strstr(r.out, verdict) != NULL, "expected \"%s\" in:\n%s", verdict, r.out);
    proc_result_free(&r);
}

/* The trace of a run with faults, for grepping. */
static void trace_has(const char *scenario, const char *part) {
    char dir[] = "/tmp/streamlab-ss-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char trace[64];
    snprintf(trace, sizeof trace, "%s/trace.jsonl", dir);
    proc_result r;
    const char *argv[] = {build_path("asan/streamlab"), "run", scenario, "--quiet", "--trace", trace, NULL};
    cr_assert_eq(proc_run(argv, TIMEOUT_S, &r), 0);
    proc_result_free(&r);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "cat '%s'; rm -rf '%s'", trace, dir);
    const char *sh[] = {"/bin/sh", "-c", cmd, NULL};
    cr_assert_eq(proc_run(sh, TIMEOUT_S, &r), 0);
    cr_expect(strstr(r.out, part) != NULL, "expected \"%s\" in the trace of %s", part, scenario);
    proc_result_free(&r);
}

Test(ss_check, log_source_and_kv_sink_under_a_driver_crash_is_exactly_once) {
    check_says("scenarios/ss_exactly_once_kv.lua",
               "query 0 wordcounts (kv sink, update): exactly-once (1183 rows compared; lost 0, duplicated 0, "
               "unexpected 0)");
    trace_has("scenarios/ss_exactly_once_kv.lua",
              "\"ev\":\"recovery_phase\",\"node\":1,\"phase\":3,\"batch_time_us\":-7,\"batches_again\":1,"
              "\"text\":\"query wordcounts resumed from checkpoints/wordcounts: runs again its uncommitted batch 6\"");
}

Test(ss_check, file_sink_skips_the_batch_it_has_after_a_driver_crash) {
    check_says("scenarios/ss_file_sink_driver_crash.lua",
               "query 0 lines (file sink, append): exactly-once (280 rows compared; lost 0, duplicated 0, unexpected 0)");
    trace_has("scenarios/ss_file_sink_driver_crash.lua",
              "\"ev\":\"sink_write\",\"node\":1,\"output\":0,\"batch_id\":5,\"rows\":20,\"skipped\":1");
}

Test(ss_check, worker_crash_reloads_state_stores_from_the_checkpoint) {
    check_says("scenarios/ss_worker_crash_state.lua",
               "query 0 counts (file sink, append): exactly-once (24 rows compared; lost 0, duplicated 0, unexpected 0)");
    trace_has("scenarios/ss_worker_crash_state.lua",
              "{\"t_us\":7017925,\"ev\":\"state_load\",\"node\":3,\"query\":0,\"partition\":0,\"version\":6,\"files\":6,"
              "\"text\":\"checkpoints/counts/state/0/0\"}");
}

Test(ss_check, foreach_batch_keyed_by_batch_id_is_exactly_once) {
    check_says("scenarios/ss_foreach_batch_idempotent.lua",
               "query 0 lines (foreachBatch sink, append): exactly-once (280 rows compared; lost 0, duplicated 0, "
               "unexpected 0)");
}

Test(ss_check, foreach_batch_ignoring_batch_id_duplicates_the_rerun_batch) {
    check_says("scenarios/ss_foreach_batch_duplicates.lua",
               "query 0 lines (foreachBatch sink, append): at-least-once (280 rows compared; lost 0, duplicated 20, "
               "unexpected 0)");
}

Test(ss_check, socket_source_loses_what_arrives_while_the_driver_is_down) {
    check_says("scenarios/ss_socket_loss.lua",
               "query 0 wordcounts (kv sink, update): at-most-once (633 rows compared; lost 144, duplicated 0, "
               "unexpected 0)");
}

Test(ss_check, memory_sink_without_checkpoint_loses_its_table) {
    check_says("scenarios/ss_memory_sink_no_checkpoint.lua",
               "query 0 long_lines (memory sink, append): at-most-once (91 rows compared; lost 51, duplicated 0, "
               "unexpected 0)");
}

/* The checker can fail: a scenario that claims exactly-once for the
 * appending foreachBatch misses it, with exit 1. */
Test(ss_check, a_wrong_claim_fails_the_check) {
    char dir[] = "/tmp/streamlab-ss-claim-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char cmd[900], path[128];
    snprintf(path, sizeof path, "%s/claim.lua", dir);
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/data/fortunes && cp scenarios/data/fortunes/fortunes %s/data/fortunes/ && "
             "sed 's/delivery = \"at-least-once\"/delivery = \"exactly-once\"/' "
             "scenarios/ss_foreach_batch_duplicates.lua > %s", dir, dir, path);
    proc_result r;
    const char *sh[] = {"/bin/sh", "-c", cmd, NULL};
    cr_assert_eq(proc_run(sh, TIMEOUT_S, &r), 0);
    cr_assert_eq(r.code, 0, "%s", r.err);
    proc_result_free(&r);
    const char *argv[] = {build_path("asan/streamlab"), "check", path, NULL};
    cr_assert_eq(proc_run(argv, TIMEOUT_S, &r), 0);
    cr_expect_eq(r.code, 1, "exit %d\n%s%s", r.code, r.out, r.err);
    cr_expect(strstr(r.out, "at-least-once (280 rows compared; lost 0, duplicated 20") != NULL, "%s%s", r.out, r.err);
    cr_expect(strstr(r.out, "expected exactly-once") != NULL, "%s%s", r.out, r.err);
    proc_result_free(&r);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    const char *rm[] = {"/bin/sh", "-c", cmd, NULL};
    proc_run(rm, TIMEOUT_S, &r);
    proc_result_free(&r);
}
