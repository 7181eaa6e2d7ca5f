/* tests/cli/test_check.c — `streamlab check` on the fault scenarios of
 * scenarios/ (issue 6's acceptance scenarios 1, 2 and 6): each gives its
 * stated verdict, and a scenario whose expectation is wrong fails the check
 * with exit 1, the lost records listed and JUnit XML written. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../support/proc.h"

#define TIMEOUT_S 120

static void check(proc_result *r, const char *scenario, const char *junit) {
    const char *argv[] = {build_path("asan/streamlab"), "check", scenario, junit ? "--junit" : NULL, junit, NULL};
    cr_assert_eq(proc_run(argv, TIMEOUT_S, r), 0);
}

static void expect_has(const char *text, const char *part) {
    cr_expect(strstr(text, part) != NULL, "expected \"%s\" in:\n%s", part, text);
}

/* `streamlab run scenario --out dir`, dir made from its template
 * ("/tmp/...-XXXXXX"); the run must succeed. */
static void run_out(const char *scenario, char *dir) {
    cr_assert_not_null(mkdtemp(dir));
    proc_result r;
    const char *argv[] = {build_path("asan/streamlab"), "run", scenario, "--quiet", "--out", dir, NULL};
    cr_assert_eq(proc_run(argv, TIMEOUT_S, &r), 0);
    cr_expect_eq(r.code, 0, "%s: %s", scenario, r.err);
    proc_result_free(&r);
}

/* A shell command run in folder dir (to read a run's files). */
static void shell_in(proc_result *r, const char *dir, const char *command) {
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "cd '%s' && %s", dir, command);
    const char *sh[] = {"/bin/sh", "-c", cmd, NULL};
    cr_assert_eq(proc_run(sh, TIMEOUT_S, r), 0);
}

/* Without the receiver write-ahead log KafkaUtils.createStream runs Spark's
 * KafkaReceiver (KafkaInputDStream.getReceiver), whose consumer auto-commits
 * every 60 s whatever was stored: replicated blocks survive a worker crash,
 * the receiver's buffer does not (its group has committed nothing yet, the
 * relaunched receiver starts at the end of the log). */
Test(check, worker_crash_with_replicated_blocks_loses_the_kafka_receivers_buffer_without_the_log) {
    proc_result r;
    check(&r, "scenarios/crash_replicated_receiver.lua", NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    expect_has(r.out, "output 0: at-most-once (440 records compared up to batch 9000 ms; lost 10, duplicated 0, "
                      "unexpected 0)");
    proc_result_free(&r);
}

/* After its consumer's first auto-commit (60 s after it started, at 2 ms),
 * a KafkaReceiver relaunched by a crash at 65.1 s reads again all that came
 * since the commit: the 250 records of 60.0-65.0 s, whose blocks kept their
 * replica, come twice. The ReliableKafkaReceiver would commit each block
 * (wal_reliable_receiver.lua: exactly-once). */
Test(check, a_kafka_receiver_without_the_log_reads_again_what_came_after_its_last_auto_commit) {
    proc_result r;
    check(&r, "tests/scenarios/faults/kafka_receiver_auto_commit.lua", NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    expect_has(r.out, "output 0: at-least-once (3440 records compared up to batch 69000 ms; lost 0, duplicated 250, "
                      "unexpected 0)");
    expect_has(r.out, "duplicated, e.g. \"record 3002\" (batch 66000 ms)");
    proc_result_free(&r);
}

/* A receiver whose executor is lost takes the next core that frees up on a
 * live executor (ReceiverTracker's RestartReceiver job), after the tasks of
 * the batch job submitted before it, not the next executor to register. */
Test(check, a_lost_receiver_is_relaunched_on_the_next_free_core) {
    char dir[] = "/tmp/streamlab-relaunch-XXXXXX";
    run_out("tests/scenarios/faults/receiver_relaunch_takes_the_next_free_core.lua", dir);
    proc_result r;
    shell_in(&r, dir,
             "grep -E '\"ev\":\"(receiver_start|executor_lost)\"|\"stage\":3,.*\"attempt\":0,\"executor\"' "
             "trace.jsonl");
    cr_expect_str_eq(r.out,
                     "{\"t_us\":2129,\"ev\":\"receiver_start\",\"node\":3,\"stream\":0,\"executor\":3}\n"
                     "{\"t_us\":4000000,\"ev\":\"task_start\",\"node\":1,\"stage\":3,\"partition\":0,\"attempt\":0,"
                     "\"executor\":2}\n"
                     "{\"t_us\":4000000,\"ev\":\"task_start\",\"node\":1,\"stage\":3,\"partition\":1,\"attempt\":0,"
                     "\"executor\":3}\n"
                     "{\"t_us\":4000000,\"ev\":\"task_start\",\"node\":1,\"stage\":3,\"partition\":2,\"attempt\":0,"
                     "\"executor\":2}\n"
                     "{\"t_us\":4101000,\"ev\":\"executor_lost\",\"node\":1,\"executor\":3,\"tasks\":1,\"map_outputs\":0,"
                     "\"blocks\":0,\"text\":\"Remote RPC client disassociated\"}\n"
                     "{\"t_us\":4304131,\"ev\":\"task_start\",\"node\":1,\"stage\":3,\"partition\":1,\"attempt\":0,"
                     "\"executor\":2}\n"
                     "{\"t_us\":4304286,\"ev\":\"task_start\",\"node\":1,\"stage\":3,\"partition\":3,\"attempt\":0,"
                     "\"executor\":2}\n"
                     "{\"t_us\":4608283,\"ev\":\"task_start\",\"node\":1,\"stage\":3,\"partition\":4,\"attempt\":0,"
                     "\"executor\":2}\n"
                     "{\"t_us\":4609406,\"ev\":\"receiver_start\",\"node\":2,\"stream\":0,\"executor\":2}\n");
    proc_result_free(&r);
}

/* Every block_lost names its stream, also a block of a batch already done
 * but still remembered (batch 4000's, kept until batch 5000 is done, as
 * DStream.clearMetadata keeps an RDD rememberDuration after its time). */
Test(check, a_lost_block_names_its_stream_also_when_its_batch_is_done) {
    char dir[] = "/tmp/streamlab-lost-XXXXXX";
    run_out("scenarios/crash_unreplicated_receiver.lua", dir);
    proc_result r;
    shell_in(&r, dir, "grep -c '\"ev\":\"block_lost\",\"node\":1,\"stream\":0,' trace.jsonl; "
                      "grep -c '\"stream\":-1' trace.jsonl");
    cr_expect_str_eq(r.out, "8\n0\n");
    proc_result_free(&r);
}

Test(check, unreplicated_unreliable_receiver_crash_is_at_most_once_with_the_lost_records) {
    proc_result r;
    check(&r, "scenarios/crash_unreplicated_receiver.lua", NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    expect_has(r.out, "output 0: at-most-once (440 records compared up to batch 9000 ms; lost 40, duplicated 0, "
                      "unexpected 0)");
    expect_has(r.out, "first difference in batch 5000 ms; the fault: worker-2 crashes (restart follows) at 4600 ms (it "
                      "lost blocks that only its node held)");
    expect_has(r.out, "\"Expect a letter from a friend who will ask a favor of you.\" (batch 5000 ms)");
    expect_has(r.out, "replay: ");
    proc_result_free(&r);
}

Test(check, lost_shuffle_output_resubmits_the_map_stage_and_changes_nothing) {
    proc_result r;
    check(&r, "scenarios/shuffle_output_lost.lua", NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    expect_has(r.out, "output 0: exactly-once (2597 records compared up to batch 29000 ms; lost 0, duplicated 0, "
                      "unexpected 0)");
    proc_result_free(&r);
    /* and the trace shows the recovery: the map stage again, the reduce
     * tasks' fetch failures, the batch done late */
    char dir[] = "/tmp/streamlab-shuffle-XXXXXX";
    run_out("scenarios/shuffle_output_lost.lua", dir);
    shell_in(&r, dir, "cat trace.jsonl");
    expect_has(r.out, "{\"t_us\":4007000,\"ev\":\"stage_submitted\",\"node\":1,\"stage\":7,\"job\":3,\"tasks\":1,"
                      "\"attempt\":1,\"text\":\"resubmitted: map outputs lost; lineage: MapPartitionsRDD[14] at map at "
                      "shuffle_output_lost.lua:13 <- MapPartitionsRDD[13] at flatMap at shuffle_output_lost.lua:13 <- BlockRDD[12]\"}");
    expect_has(r.out, "\"ev\":\"task_failed\",\"node\":1,\"stage\":6,\"partition\":1,\"attempt\":0,\"cause\":3,"
                      "\"text\":\"FetchFailed: shuffle 3 map 2 did not arrive from executor 2 within 15 s\"}");
    expect_has(r.out, "\"ev\":\"batch_done\",\"node\":1,\"batch_time_us\":4000000,\"processing_delay_us\":15013");
    proc_result_free(&r);
}

Test(check, a_violated_expectation_fails_with_exit_1_and_junit) {
    char junit[] = "/tmp/streamlab-junit-XXXXXX";
    int fd = mkstemp(junit);
    cr_assert(fd >= 0);
    close(fd);
    proc_result r;
    check(&r, "tests/scenarios/faults/unreplicated_expects_exactly_once.lua", junit);
    cr_expect_eq(r.code, 1, "%s%s", r.out, r.err);
    expect_has(r.out, "output 0: at-most-once (440 records compared up to batch 9000 ms; lost 40, duplicated 0, "
                      "unexpected 0)");
    expect_has(r.out, "lost, e.g.       \"record 192\" (batch 5000 ms)");
    expect_has(r.out, "    expected exactly-once\n");
    proc_result_free(&r);
    char cat[300];
    snprintf(cat, sizeof cat, "cat '%s'", junit);
    shell_in(&r, "/", cat);
    expect_has(r.out, "<testsuite name=\"streamlab check\" tests=\"1\" failures=\"1\" errors=\"0\">");
    expect_has(r.out, "name=\"output 0\"><failure message=\"expected exactly-once, got at-most-once\"/>");
    proc_result_free(&r);
    unlink(junit);
}

Test(check, a_missing_scenario_is_a_usage_error) {
    proc_result r;
    check(&r, "scenarios/no_such.lua", NULL);
    cr_expect_eq(r.code, 2, "%s%s", r.out, r.err);
    expect_has(r.err, "no_such.lua");
    proc_result_free(&r);
}

Test(check, summary_rows_give_each_fault_its_recovery_time) {
    char dir[] = "/tmp/streamlab-recovery-XXXXXX";
    run_out("scenarios/shuffle_output_lost.lua", dir);
    proc_result r;
    shell_in(&r, dir, "tr -d ' \\n' < summary.json");
    /* the crash at 4006 ms; batch 4000's reduce tasks wait 15 s for their
     * fetches; the first batch back within its interval ends at 19181 ms */
    expect_has(r.out, "\"faults\":[{\"at_ms\":4006,\"kind\":\"crash\",\"target\":\"worker-1\",\"text\":\"worker-1crashes"
                      "(restartfollows)\",\"recovered_ms\":19181,\"recovery_ms\":15175}]");
    expect_has(r.out, "\"recovery_max_ms\":20000,\"worst_recovery_ms\":15175,\"ok\":true");
    proc_result_free(&r);
}

Test(check, a_recovery_slower_than_recovery_max_fails_the_check) {
    proc_result r;
    check(&r, "tests/scenarios/faults/recovery_too_slow.lua", NULL);
    cr_expect_eq(r.code, 1, "%s%s", r.out, r.err);
    expect_has(r.out, "output 0: exactly-once");
    expect_has(r.out, "the run with faults missed an expectation");
    expect_has(r.err, "recovery_too_slow.lua:9: expectation failed: a recovery took 15172 ms, more than recovery_max "
                      "10000 ms");
    proc_result_free(&r);
}

/* The batch processing times of a run's summary.json, as "t:ms t:ms ...". */
static void processing_times(const char *scenario, char *out, size_t n, char *trace_out, size_t tn) {
    char dir[] = "/tmp/streamlab-straggler-XXXXXX";
    run_out(scenario, dir);
    proc_result r;
    shell_in(&r, dir,
             "tr -d ' \\n' < summary.json | grep -o '\"time_ms\":[0-9]*,[^}]*\"processing_delay_ms\":[0-9]*' | "
             "sed -E 's/\"time_ms\":([0-9]*),.*\"processing_delay_ms\":([0-9]*)/\\1:\\2/' | tr '\\n' ' '");
    snprintf(out, n, "%s", r.out);
    proc_result_free(&r);
    shell_in(&r, dir, "grep -E 'task_speculative|killed' trace.jsonl | head -n 3");
    snprintf(trace_out, tn, "%s", r.out);
    proc_result_free(&r);
}

Test(check, a_straggler_delays_batches_without_speculation_and_not_with_it) {
    char off[2000], on[2000], trace_off[2000], trace_on[2000];
    processing_times("scenarios/straggler.lua", off, sizeof off, trace_off, sizeof trace_off);
    processing_times("scenarios/straggler_speculation.lua", on, sizeof on, trace_on, sizeof trace_on);
    /* worker-1 is 30x slower from 3 s to 13 s: without speculation batch
     * 3000 waits for its tasks there (3.9 s); with it, copies launch on the
     * next 100 ms check after 6 of 8 tasks are done and win */
    cr_expect_str_eq(off, "1000:139 2000:137 3000:3936 4000:3666 5000:3095 6000:137 7000:137 8000:138 9000:138 "
                          "10000:138 11000:137 12000:137 13000:137 14000:138 15000:137 16000:138 17000:137 "
                          "18000:137 19000:138 ");
    cr_expect_str_eq(on, "1000:139 2000:137 3000:533 4000:533 5000:533 6000:524 7000:524 8000:533 9000:524 "
                         "10000:524 11000:524 12000:524 13000:137 14000:137 15000:137 16000:137 17000:137 "
                         "18000:137 19000:137 ");
    cr_expect_str_eq(trace_off, "");
    cr_expect_str_eq(trace_on,
                     "{\"t_us\":3200000,\"ev\":\"task_speculative\",\"node\":1,\"stage\":5,\"partition\":3,\"attempt\":1,"
                     "\"executor\":5}\n"
                     "{\"t_us\":3200000,\"ev\":\"task_speculative\",\"node\":1,\"stage\":5,\"partition\":7,\"attempt\":1,"
                     "\"executor\":4}\n"
                     "{\"t_us\":3304141,\"ev\":\"task_failed\",\"node\":1,\"stage\":5,\"partition\":7,\"attempt\":0,"
                     "\"cause\":5,\"text\":\"killed: another attempt succeeded\"}\n");
}

Test(check, speculative_copies_change_no_record) {
    proc_result r;
    check(&r, "scenarios/straggler_speculation.lua", NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    expect_has(r.out, "output 0: exactly-once (323 records compared up to batch 19000 ms; lost 0, duplicated 0, "
                      "unexpected 0)");
    proc_result_free(&r);
}

/* The fault scenarios replay byte for byte: every build (gcc and clang, -O0
 * and -O2, and the sanitizer build) gives the same trace digest. */
Test(check, fault_scenarios_give_one_digest_with_every_compiler) {
    static const char *scenarios[] = {"scenarios/crash_replicated_receiver.lua", "scenarios/crash_unreplicated_receiver.lua",
                                      "scenarios/shuffle_output_lost.lua", "scenarios/straggler_speculation.lua",
                                      "scenarios/driver_recovery_pending.lua"};
    static const char *builds[] = {"asan/streamlab", "det/gcc-O0/streamlab", "det/gcc-O2/streamlab",
                                   "det/clang-O0/streamlab", "det/clang-O2/streamlab"};
    for (int s = 0; s < 5; s++) {
        char first[17] = "";
        for (int b = 0; b < 5; b++) {
            proc_result r;
            const char *argv[] = {build_path(builds[b]), "run", scenarios[s], "--quiet", NULL};
            cr_assert_eq(proc_run(argv, TIMEOUT_S, &r), 0);
            cr_assert_eq(r.code, 0, "%s %s: %s", builds[b], scenarios[s], r.err);
            char d[17];
            cr_assert_eq(digest_of(r.out, d), 0, "%s", r.out);
            if (b == 0)
                memcpy(first, d, sizeof d);
            else
                cr_expect_str_eq(d, first, "%s on %s", builds[b], scenarios[s]);
            proc_result_free(&r);
        }
    }
}

static void fuzz(proc_result *r, const char *seeds, const char *extra1, const char *extra2) {
    const char *argv[] = {build_path("asan/streamlab"), "fuzz", "scenarios/fuzz_unreplicated_receiver.lua", "--seeds",
                          seeds, extra1, extra2, NULL};
    cr_assert_eq(proc_run(argv, TIMEOUT_S, r), 0);
}

/* Drops the line naming the temporary folder, which differs per run. */
static void drop_kept_line(char *out) {
    char *k = strstr(out, "  runs kept in ");
    if (k) *k = 0;
}

Test(fuzz, finds_the_loss_of_an_unreplicated_receiver_and_shrinks_its_plan) {
    proc_result r;
    fuzz(&r, "1..20", NULL, NULL);
    cr_expect_eq(r.code, 1, "%s%s", r.out, r.err);
    drop_kept_line(r.out);
    char want[3000];
    snprintf(want, sizeof want,
             "fuzz: scenarios/fuzz_unreplicated_receiver.lua, seeds 1..20 (shard 0/1): 20 runs, 14 violating\n"
             "smallest violating seed 3: its plan of 2 faults shrinks to 1 (1 runs):\n"
             "scenarios/fuzz_unreplicated_receiver.lua\n"
             "  output 0: at-most-once (440 records compared up to batch 9000 ms; lost 200, duplicated 0, unexpected 0)\n"
             "    first difference in batch 6000 ms; the fault: worker-1 crashes (restart follows) at 6001 ms (it lost "
             "blocks that only its node held)\n"
             "    lost, e.g.       \"\" (batch 7000 ms)\n"
             "                     \"%%\" (batch 6000 ms)\n"
             "                     \"365 useless things.\" (batch 6000 ms)\n"
             "    expected exactly-once\n"
             "  fault: worker-1 crashes (restart follows) at 6001 ms (scenarios/fuzz_unreplicated_receiver.lua:11 (drawn "
             "fault 2))\n"
             "  replay: ");
    expect_has(r.out, "/streamlab run scenarios/fuzz_unreplicated_receiver.lua --seed 3 --faults-only 1\n");
    char *replay = strstr(r.out, "  replay: ");
    cr_assert_not_null(replay, "%s", r.out);
    replay[strlen("  replay: ")] = 0;
    cr_expect_str_eq(r.out, want);
    proc_result_free(&r);
}

Test(fuzz, two_jobs_report_what_one_does) {
    proc_result one, two;
    fuzz(&one, "1..12", "--jobs", "1");
    fuzz(&two, "1..12", "--jobs", "2");
    cr_expect_eq(two.code, one.code);
    drop_kept_line(one.out);
    drop_kept_line(two.out);
    cr_expect_str_eq(two.out, one.out);
    proc_result_free(&one);
    proc_result_free(&two);
}

Test(fuzz, shards_split_the_seeds) {
    proc_result a, b;
    fuzz(&a, "1..8", "--shard", "0/2");
    fuzz(&b, "1..8", "--shard", "1/2");
    expect_has(a.out, "seeds 1..8 (shard 0/2): 4 runs,");
    expect_has(b.out, "seeds 1..8 (shard 1/2): 4 runs,");
    /* seeds 1, 3, 5, 7 and 2, 4, 6, 8: seed 3 is the first to lose records */
    expect_has(a.out, "smallest violating seed 3:");
    proc_result_free(&a);
    proc_result_free(&b);
}

Test(fuzz, a_plan_without_violation_exits_0) {
    proc_result r;
    fuzz(&r, "1..2", NULL, NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    cr_expect_str_eq(r.out, "fuzz: scenarios/fuzz_unreplicated_receiver.lua, seeds 1..2 (shard 0/1): 2 runs, 0 violating\n");
    proc_result_free(&r);
}

Test(fuzz, bad_arguments_are_usage_errors) {
    proc_result r;
    fuzz(&r, "5..2", NULL, NULL);
    cr_expect_eq(r.code, 2);
    expect_has(r.err, "streamlab: --seeds A..B needs A <= B, at most 1e6 seeds; got \"5..2\"");
    proc_result_free(&r);
    fuzz(&r, "1..4", "--shard", "2/2");
    cr_expect_eq(r.code, 2);
    expect_has(r.err, "streamlab: --shard I/N needs 0 <= I < N; got \"2/2\"");
    proc_result_free(&r);
    fuzz(&r, "1..4", "--jobs", "0");
    cr_expect_eq(r.code, 2);
    expect_has(r.err, "streamlab: --jobs is 1 to 64, got \"0\"");
    proc_result_free(&r);
}

Test(check, refused_writes_and_slow_storage_change_nothing_saved) {
    proc_result r;
    check(&r, "scenarios/sink_and_storage_faults.lua", NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    expect_has(r.out, "output 0: exactly-once (1021 records compared up to batch 9000 ms; lost 0, duplicated 0, "
                      "unexpected 0)");
    proc_result_free(&r);
    char dir[] = "/tmp/streamlab-sink-XXXXXX";
    run_out("scenarios/sink_and_storage_faults.lua", dir);
    shell_in(&r, dir, "grep -c 'the output system refused the write' trace.jsonl; tr -d ' \\n' < summary.json");
    cr_expect(strncmp(r.out, "2\n", 2) == 0, "%s", r.out);
    /* the slow storage: batches 5000 and 6000 take 91 ms instead of 15 */
    expect_has(r.out, "{\"time_ms\":5000,\"blocks\":0,\"records\":");
    expect_has(r.out, "\"processing_delay_ms\":91,");
    expect_has(r.out, "\"kind\":\"storage_slow\",\"target\":\"storage\",\"text\":\"durablestorageslowsdown20x\","
                      "\"recovered_ms\":5091,\"recovery_ms\":91}");
    proc_result_free(&r);
}

Test(check, a_storage_outage_longer_than_the_retries_stops_the_job_and_loses_the_rest) {
    proc_result r;
    check(&r, "tests/scenarios/faults/storage_outage.lua", NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    expect_has(r.out, "the run with faults stopped with an error (exit 2)");
    expect_has(r.out, "output 0: at-most-once (281 records compared up to batch 7000 ms; lost 200, duplicated 0, "
                      "unexpected 0)");
    expect_has(r.out, "first difference in batch 3000 ms; the fault before it: durable storage fails at 3000 ms");
    expect_has(r.err, "(task 1 in stage 2 failed 4 times; batch 3000 ms)");
    proc_result_free(&r);
}

Test(check, a_driver_crash_without_checkpoint_loses_what_its_executors_held) {
    proc_result r;
    check(&r, "scenarios/driver_crash_no_checkpoint.lua", NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    expect_has(r.out, "output 0: at-most-once (540 records compared up to batch 11000 ms; lost 190, duplicated 0, "
                      "unexpected 0)");
    expect_has(r.out, "first difference in batch 5000 ms; the fault before it: driver crashes (restart follows) at "
                      "4600 ms");
    proc_result_free(&r);
    /* the executors went down with the driver and came back with it */
    char dir[] = "/tmp/streamlab-driver-XXXXXX";
    run_out("scenarios/driver_crash_no_checkpoint.lua", dir);
    shell_in(&r, dir, "grep -E '\"ev\":\"(node_down|node_up|receiver_start)\"' trace.jsonl | tail -n 9");
    cr_expect_str_eq(r.out,
                     "{\"t_us\":4600000,\"ev\":\"node_down\",\"node\":1,\"incarnation\":1,\"cause\":1,\"text\":\"driver\"}\n"
                     "{\"t_us\":4600000,\"ev\":\"node_down\",\"node\":2,\"incarnation\":1,\"cause\":2,\"text\":\"worker-1\"}\n"
                     "{\"t_us\":4600000,\"ev\":\"node_down\",\"node\":3,\"incarnation\":1,\"cause\":2,\"text\":\"worker-2\"}\n"
                     "{\"t_us\":4600000,\"ev\":\"node_down\",\"node\":4,\"incarnation\":1,\"cause\":2,\"text\":\"worker-3\"}\n"
                     "{\"t_us\":7600000,\"ev\":\"node_up\",\"node\":1,\"incarnation\":2,\"cores\":0,\"text\":\"driver\"}\n"
                     "{\"t_us\":7600000,\"ev\":\"node_up\",\"node\":2,\"incarnation\":2,\"cores\":2,\"text\":\"worker-1\"}\n"
                     "{\"t_us\":7600000,\"ev\":\"node_up\",\"node\":3,\"incarnation\":2,\"cores\":2,\"text\":\"worker-2\"}\n"
                     "{\"t_us\":7600000,\"ev\":\"node_up\",\"node\":4,\"incarnation\":2,\"cores\":2,\"text\":\"worker-3\"}\n"
                     "{\"t_us\":7602343,\"ev\":\"receiver_start\",\"node\":4,\"stream\":0,\"executor\":4}\n");
    proc_result_free(&r);
}

Test(check, the_write_ahead_log_keeps_the_blocks_a_crash_takes) {
    proc_result r;
    check(&r, "scenarios/wal_unreplicated_receiver.lua", NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    /* 40 records lost without the log (crash_unreplicated_receiver.lua):
     * only the receiver's buffer and what came while none listened */
    expect_has(r.out, "output 0: at-most-once (440 records compared up to batch 9000 ms; lost 10, duplicated 0, "
                      "unexpected 0)");
    proc_result_free(&r);
    check(&r, "scenarios/wal_reliable_receiver.lua", NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    expect_has(r.out, "output 0: exactly-once (440 records compared up to batch 9000 ms; lost 0, duplicated 0, "
                      "unexpected 0)");
    proc_result_free(&r);
    char dir[] = "/tmp/streamlab-wal-XXXXXX";
    run_out("scenarios/wal_unreplicated_receiver.lua", dir);
    shell_in(&r, dir, "grep -c block_lost trace.jsonl; grep -m1 storage_put trace.jsonl; "
                      "grep -m1 'storage_delete.*receivedData' trace.jsonl");
    cr_expect(strncmp(r.out, "0\n", 2) == 0, "no block is lost: %s", r.out);
    expect_has(r.out, "{\"t_us\":200000,\"ev\":\"storage_put\",\"node\":3,\"bytes\":277,\"latency_us\":2000,\"status\":0,"
                      "\"text\":\"checkpoints/receivedData/0/log-946319496735\"}");
    expect_has(r.out, "\"ev\":\"storage_delete\"");
    proc_result_free(&r);
    /* each block written to the log is a wal_write (the visualiser's WAL row) */
    shell_in(&r, dir, "grep -c '\"ev\":\"wal_write\"' trace.jsonl; grep -c 'storage_put.*receivedData' trace.jsonl; "
                      "grep -m1 wal_write trace.jsonl");
    cr_expect_str_eq(r.out, "49\n49\n"
                            "{\"t_us\":200000,\"ev\":\"wal_write\",\"node\":3,\"stream\":0,\"block\":946319496735,"
                            "\"bytes\":277,\"text\":\"checkpoints/receivedData/0/log-946319496735\"}\n");
    proc_result_free(&r);
}

Test(check, a_driver_restarted_with_get_or_create_recovers_the_state) {
    proc_result r;
    check(&r, "scenarios/driver_recovery_state.lua", NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    expect_has(r.out, "output 0: exactly-once (1182 records compared up to batch 11000 ms; lost 0, duplicated 0, "
                      "unexpected 0)");
    proc_result_free(&r);
    check(&r, "scenarios/driver_recovery_pending.lua", NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    expect_has(r.out, "output 0: exactly-once (1182 records compared up to batch 11000 ms; lost 0, duplicated 0, "
                      "unexpected 0)");
    proc_result_free(&r);
    /* the restart: the latest metadata checkpoint, the pending batch 5000
     * with its 30 records, then the downtime's 6000 and 7000 */
    char dir[] = "/tmp/streamlab-recovery-XXXXXX";
    run_out("scenarios/driver_recovery_pending.lua", dir);
    shell_in(&r, dir, "grep -E '\"ev\":\"(recovery_phase|batch_generated)\"' trace.jsonl | sed -n 6,9p");
    cr_expect_str_eq(r.out,
                     "{\"t_us\":7010000,\"ev\":\"recovery_phase\",\"node\":1,\"phase\":2,\"batch_time_us\":5000000,\"batches_again\":3,"
                     "\"text\":\"restarted from checkpoints/checkpoint-0000000005000: 3 batches to generate again\"}\n"
                     "{\"t_us\":7010000,\"ev\":\"batch_generated\",\"node\":1,\"batch_time_us\":5000000,\"blocks\":0,"
                     "\"records\":30,\"jobs\":1}\n"
                     "{\"t_us\":7010000,\"ev\":\"batch_generated\",\"node\":1,\"batch_time_us\":6000000,\"blocks\":0,"
                     "\"records\":30,\"jobs\":1}\n"
                     "{\"t_us\":7010000,\"ev\":\"batch_generated\",\"node\":1,\"batch_time_us\":7000000,\"blocks\":0,"
                     "\"records\":30,\"jobs\":1}\n");
    proc_result_free(&r);
}

Test(check, a_restarted_driver_reads_a_reliable_receivers_blocks_from_the_log) {
    proc_result r;
    check(&r, "scenarios/driver_recovery_wal.lua", NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    expect_has(r.out, "output 0: exactly-once (432 records compared up to batch 11000 ms; lost 0, duplicated 0, "
                      "unexpected 0)");
    /* what came while no receiver ran is read from Kafka after the restart */
    expect_has(r.out, "56 records came in another batch than in the reference");
    proc_result_free(&r);
    check(&r, "tests/scenarios/faults/driver_recovery_no_wal.lua", NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    /* without the log the receiver is a KafkaReceiver whose group never
     * committed: the blocks the executors held, and all that came while the
     * driver was down (the new receiver starts at the end of the log) */
    expect_has(r.out, "output 0: at-most-once (432 records compared up to batch 11000 ms; lost 112, duplicated 0, "
                      "unexpected 0)");
    proc_result_free(&r);
}

Test(check, a_batch_run_again_repeats_a_side_effect_but_not_a_save) {
    proc_result r;
    check(&r, "scenarios/driver_recovery_outputs.lua", NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    expect_has(r.out, "output 0: at-least-once (321 records compared up to batch 8000 ms; lost 0, duplicated 40, "
                      "unexpected 0)");
    expect_has(r.out, "output 1: exactly-once (321 records compared up to batch 8000 ms; lost 0, duplicated 0, "
                      "unexpected 0)");
    expect_has(r.out, "first difference in batch 5000 ms; the fault: driver crashes (restart follows) at 5600 ms (the "
                      "restart at 6600 ms generated batch 5000 ms again)");
    proc_result_free(&r);
}

Test(check, a_random_plan_draws_from_every_kind_the_same_for_a_seed) {
    char dir[] = "/tmp/streamlab-random-XXXXXX";
    run_out("tests/scenarios/faults/random_all_kinds.lua", dir);
    proc_result r;
    shell_in(&r, dir, "tr -d '\\n' < summary.json | grep -o '\"fault_plan\": \\[[^]]*' | grep -o '\"text\": \"[^\"]*\"'");
    cr_expect_str_eq(r.out, "\"text\": \"durable storage slows down 10x\"\n"
                            "\"text\": \"durable storage fails\"\n"
                            "\"text\": \"worker-2 cut off the network\"\n"
                            "\"text\": \"durable storage slows down 10x\"\n"
                            "\"text\": \"receiver 1 fails\"\n"
                            "\"text\": \"worker-2 cut off the network\"\n"
                            "\"text\": \"worker-2 crashes (restart follows)\"\n"
                            "\"text\": \"the output system refuses the next 1 write(s)\"\n");
    proc_result_free(&r);
}

/* saveAsTextFiles run again for a batch after a driver restart writes the
 * same folder again: the checker reads the last write, not two copies. */
Test(check, a_save_run_again_after_a_restart_replaces_its_folder) {
    proc_result r;
    check(&r, "tests/scenarios/faults/save_runs_again.lua", NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    expect_has(r.out, "output 0: exactly-once (321 records compared up to batch 8000 ms; lost 0, duplicated 0, "
                      "unexpected 0)");
    proc_result_free(&r);
}
