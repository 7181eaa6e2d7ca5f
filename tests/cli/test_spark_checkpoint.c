/* tests/cli/test_spark_checkpoint.c — Apache Spark's CheckpointSuite
 * (streaming/src/test/scala/org/apache/spark/streaming/CheckpointSuite.scala),
 * its testCheckpointedOperation protocol for "recovery with map and
 * reduceByKey operations", "recovery with invertible reduceByKeyAndWindow
 * operation" and "recovery with updateStateByKey operation", ported as
 * scenarios in tests/spark/checkpoint/ with Spark's inputs and expected
 * outputs: the first 7 batches run, the driver stops (crashes) with batch
 * 7000 pending, restarts from the checkpoint (StreamingContext.getOrCreate)
 * and runs batch 7000 again and the rest. Each scenario states the whole
 * expected output in expect{}; a scenario that agrees with Spark exits 0
 * with nothing on stderr.
 *
 * Not ported: the suite's tests of checkpoint files themselves (their
 * serialization, Hadoop configuration, file names, the number of files
 * kept) and of input streams streamlab has not (file stream recovery with
 * a manual clock, the batch-time-unaware TestInputStream). */
#include <criterion/criterion.h>
#include <string.h>

#include "../support/proc.h"

#define TIMEOUT_S 120
#define CK "tests/spark/checkpoint/"

static void run(proc_result *r, const char *scenario) {
    const char *argv[] = {build_path("asan/streamlab"), "run", scenario, "--quiet", NULL};
    cr_assert_eq(proc_run(argv, TIMEOUT_S, r), 0);
}

static void agrees_with_spark(const char *scenario) {
    proc_result r;
    run(&r, scenario);
    cr_expect_eq(r.code, 0, "%s: exit %d\n%s", scenario, r.code, r.err);
    cr_expect_str_eq(r.err, "", "%s", scenario);
    proc_result_free(&r);
}

Test(checkpoint_suite, recovery_with_map_and_reduce_by_key_operations) { agrees_with_spark(CK "map_reduce_by_key.lua"); }

Test(checkpoint_suite, recovery_with_invertible_reduce_by_key_and_window_operation) {
    agrees_with_spark(CK "reduce_by_key_and_window_inverse.lua");
}

Test(checkpoint_suite, recovery_with_update_state_by_key_operation) { agrees_with_spark(CK "update_state_by_key.lua"); }

Test(checkpoint_suite, without_recovery_the_expected_output_is_missed) {
    proc_result r;
    run(&r, CK "update_state_by_key_without_recovery.lua");
    cr_expect_eq(r.code, 1, "%s", r.err);
    cr_expect_str_eq(r.err, CK "update_state_by_key_without_recovery.lua:25: expectation failed: output 0 ran in 9 "
                            "batches, 10 expected\n");
    proc_result_free(&r);
}
