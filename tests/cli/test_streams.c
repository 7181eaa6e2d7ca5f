/* tests/cli/test_streams.c — the DStream engine end to end: receivers and
 * blocks, direct Kafka streams, files, scheduling delay and backpressure,
 * and the errors a job can meet while it runs. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../support/proc.h"

#define TIMEOUT_S 120

static void run(proc_result *r, const char *scenario, const char *out_dir) {
    const char *argv[] = {build_path("asan/streamlab"), "run", scenario, "--quiet", out_dir ? "--out" : NULL, out_dir,
                          NULL};
    cr_assert_eq(proc_run(argv, TIMEOUT_S, r), 0);
}

static void expect_ok(const char *scenario) {
    proc_result r;
    run(&r, scenario, NULL);
    cr_expect_eq(r.code, 0, "%s: exit %d\n%s", scenario, r.code, r.err);
    cr_expect_str_eq(r.err, "", "%s", scenario);
    proc_result_free(&r);
}

#define STREAMS "tests/scenarios/streams/"

Test(streams, guide_network_word_count_counts_hello_world) { expect_ok(STREAMS "guide_network_word_count.lua"); }
Test(streams, kafka_direct_stream_caps_ranges_by_max_rate) { expect_ok(STREAMS "kafka_direct.lua"); }
Test(streams, reliable_receiver_feeds_batches) { expect_ok(STREAMS "reliable_receiver.lua"); }
Test(streams, text_file_stream_reads_new_files_once) { expect_ok(STREAMS "text_files.lua"); }
Test(streams, slice_gives_the_remembered_rdds_of_a_time_range) { expect_ok(STREAMS "slice.lua"); }

static char *slurp(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    b[fread(b, 1, (size_t)n, f)] = '\0';
    fclose(f);
    return b;
}

Test(streams, receiver_blocks_are_replicated_then_reported) {
    char dir[] = "/tmp/streamlab-streams-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    proc_result r;
    run(&r, STREAMS "guide_network_word_count.lua", dir);
    cr_assert_eq(r.code, 0, "%s", r.err);
    char path[256];
    snprintf(path, sizeof path, "%s/trace.jsonl", dir);
    char *t = slurp(path);
    cr_assert_not_null(t);
    /* the line arrives at 500 ms, is cut at the 600 ms tick on the receiver's
     * executor, copied to the other worker, then reported with 2 replicas */
    const char *created = strstr(t, "\"ev\":\"block_created\"");
    const char *replicated = strstr(t, "\"ev\":\"block_replicated\"");
    const char *reported = strstr(t, "\"ev\":\"block_reported\"");
    cr_assert(created && replicated && reported, "%s", t);
    cr_expect(created < replicated && replicated < reported);
    cr_expect(strstr(t, "{\"t_us\":600000,\"ev\":\"block_created\"") != NULL);
    cr_expect(strstr(reported, "\"records\":1,\"replicas\":2}") != NULL);
    cr_expect(strstr(t, "\"ev\":\"batch_generated\",\"node\":1,\"batch_time_us\":1000000,\"blocks\":1,\"records\":1,"
                        "\"jobs\":1}") != NULL);
    free(t);
    proc_result_free(&r);
}

Test(streams, text_file_stream_writes_part_files) {
    char dir[] = "/tmp/streamlab-streams-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    proc_result r;
    run(&r, STREAMS "text_files.lua", dir);
    cr_assert_eq(r.code, 0, "%s", r.err);
    char path[256];
    snprintf(path, sizeof path, "%s/trace.jsonl", dir);
    char *t = slurp(path);
    cr_assert_not_null(t);
    /* each task writes under _temporary and commits by renaming */
    cr_expect(strstr(t, "\"ev\":\"storage_rename\",\"node\":") != NULL);
    cr_expect(strstr(t, "\"text\":\"out/counts-2000.txt/part-00000\"}") != NULL, "part files of batch 2000");
    cr_expect(strstr(t, "_tmp.txt") != NULL, "the file appears in storage");
    free(t);
    proc_result_free(&r);
}

/* Scheduling delay of every completed batch, from summary.json. */
static int delays(const char *dir, long *out, int max) {
    char path[256];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    json_error_t e;
    json_t *s = json_load_file(path, 0, &e);
    cr_assert_not_null(s, "%s", e.text);
    json_t *batches = json_object_get(s, "batches");
    int n = 0;
    for (size_t i = 0; i < json_array_size(batches) && n < max; i++) {
        json_t *d = json_object_get(json_array_get(batches, i), "scheduling_delay_ms");
        if (d) out[n++] = (long)json_integer_value(d);
    }
    json_decref(s);
    return n;
}

Test(streams, scheduling_delay_grows_when_batches_are_slow, .timeout = 240) {
    char dir[] = "/tmp/streamlab-streams-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    proc_result r;
    run(&r, STREAMS "slow_batches.lua", dir);
    cr_assert_eq(r.code, 0, "%s", r.err);
    long d[64];
    int n = delays(dir, d, 64);
    cr_assert_geq(n, 10);
    for (int i = 2; i < n; i++) cr_expect_gt(d[i], d[i - 1], "batch %d: %ld ms after %ld ms", i, d[i], d[i - 1]);
    cr_expect_gt(d[n - 1], 2000, "more than two intervals behind after %d batches", n);
    proc_result_free(&r);
}

Test(streams, backpressure_holds_the_scheduling_delay, .timeout = 240) {
    char dir[] = "/tmp/streamlab-streams-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    proc_result r;
    run(&r, STREAMS "slow_batches_backpressure.lua", dir);
    cr_assert_eq(r.code, 0, "%s", r.err);
    long d[64];
    int n = delays(dir, d, 64);
    cr_assert_geq(n, 15);
    for (int i = 10; i < n; i++) cr_expect_lt(d[i], 200, "batch %d: %ld ms", i, d[i]);
    proc_result_free(&r);
}

/* ---- errors while a job runs -------------------------------------------------------- */

static void expect_error(const char *scenario, const char *message) {
    proc_result r;
    run(&r, scenario, NULL);
    cr_expect_eq(r.code, 2, "%s: exit %d", scenario, r.code);
    cr_expect_str_eq(r.err, message);
    proc_result_free(&r);
}

#define BAD "tests/scenarios/bad/"

Test(job_errors, lua_error_in_a_task_names_line_operation_and_batch) {
    expect_error(BAD "task_lua_error.lua",
                 BAD "task_lua_error.lua:4: attempt to perform arithmetic on a nil value (in map) (task 0 in stage 0 "
                     "failed 4 times; batch 1000 ms)\n(the run stopped at 1.008 s of simulated time)\n");
}

Test(job_errors, record_of_the_wrong_shape_names_the_operation) {
    expect_error(BAD "not_a_pair.lua", BAD "not_a_pair.lua:3: reduceByKey: record a is not a (key, value) pair (task 0 "
                                           "in stage 1 failed 4 times; batch 1000 ms)\n(the run stopped at 1.008 s of "
                                           "simulated time)\n");
}

Test(job_errors, function_returning_a_non_record) {
    expect_error(BAD "bad_record.lua",
                 BAD "bad_record.lua:3: the function returned a table with named fields (a record is a value or a list "
                     "such as {key, value}) (in map) (task 1 in stage 0 failed 4 times; batch 1000 ms)\n(the run "
                     "stopped at 1.013 s of simulated time)\n");
}

Test(job_errors, zero_batch_interval) {
    expect_error(BAD "zero_batch.lua", BAD "zero_batch.lua:2: StreamingContext{}: batchDuration must be longer than 0\n");
}

Test(job_errors, start_without_outputs) {
    expect_error(BAD "no_outputs.lua",
                 BAD "no_outputs.lua:4: StreamingContext:start: No output operations registered, so nothing to execute\n");
}
