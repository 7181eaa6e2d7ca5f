/* tests/cli/test_cli.c — the streamlab command as a user meets it: exit
 * codes, messages that name file:line, outputs, determinism across
 * processes, compilers and optimisation levels. Runs the sanitizer build
 * ($STREAMLAB_BUILD/asan/streamlab) and the four determinism builds. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../support/proc.h"

#define RUN_TIMEOUT_S 60

static const char *streamlab(void) { return build_path("asan/streamlab"); }

/* Runs `streamlab run <scenario> <extra...>`. */
static void run_scenario(proc_result *r, const char *scenario, const char *a1, const char *a2, const char *a3) {
    const char *argv[] = {streamlab(), "run", scenario, a1, a2, a3, NULL};
    cr_assert_eq(proc_run(argv, RUN_TIMEOUT_S, r), 0, "could not start %s", argv[0]);
}

/* ---- bad scenarios: exit 2, one clear message naming file:line --------------- */

static void expect_error(const char *scenario, const char *message) {
    proc_result r;
    run_scenario(&r, scenario, NULL, NULL, NULL);
    cr_expect_eq(r.code, 2, "%s: exit %d, stderr: %s", scenario, r.code, r.err);
    cr_expect_str_eq(r.err, message, "%s", scenario);
    cr_expect_str_eq(r.out, "", "%s printed on stdout: %s", scenario, r.out);
    proc_result_free(&r);
}

#define BAD "tests/scenarios/bad/"

Test(bad_scenario, syntax_error_names_file_and_line) {
    expect_error(BAD "syntax_error.lua", BAD "syntax_error.lua:3: '}' expected (to close '{' at line 2) near 'ssc'\n");
}

Test(bad_scenario, unknown_method_names_file_and_line) {
    expect_error(BAD "unknown_function.lua", BAD "unknown_function.lua:3: StreamingContext has no field or method \"startt\"\n");
}

Test(bad_scenario, unknown_global_function_names_file_and_line) {
    expect_error(BAD "unknown_global.lua", BAD "unknown_global.lua:2: attempt to call a nil value (global 'StreamingContxt')\n");
}

Test(bad_scenario, wrong_type_names_field) {
    expect_error(BAD "wrong_type.lua", BAD "wrong_type.lua:1: scenario{}: seed must be an integer, got string\n");
}

Test(bad_scenario, bad_duration_quotes_the_string) {
    expect_error(BAD "bad_duration.lua",
                 BAD "bad_duration.lua:2: StreamingContext{}: batchDuration: bad duration \"1 parsec\": unknown unit "
                     "\"parsec\" (expected e.g. \"200ms\", \"1s\", \"10 seconds\", \"10 minutes\", \"1 hour\", \"1 day\")\n");
}

Test(bad_scenario, unknown_option_lists_known_ones) {
    proc_result r;
    run_scenario(&r, BAD "unknown_option.lua", NULL, NULL, NULL);
    cr_expect_eq(r.code, 2);
    const char *head = BAD "unknown_option.lua:2: StreamingContext{}: unknown option \"batchDurations\" (known: "
                           "batchDuration, workers, cores, ";
    cr_expect(strncmp(r.err, head, strlen(head)) == 0, "%s", r.err);
    cr_expect(strstr(r.err, "spark.streaming.receiver.maxRate") != NULL, "%s", r.err);
    proc_result_free(&r);
}

Test(bad_scenario, missing_declaration) {
    expect_error(BAD "no_declaration.lua", BAD "no_declaration.lua:1: the scenario never declares its run: start it with "
                                               "scenario{ name = \"...\", duration = \"20s\" }\n");
}

Test(bad_scenario, declared_twice) {
    expect_error(BAD "twice.lua", BAD "twice.lua:2: scenario{}: declared twice; a scenario file declares one run\n");
}

Test(bad_scenario, error_with_a_table_value_still_names_the_line) {
    expect_error(BAD "error_value.lua", BAD "error_value.lua:2: error raised with a table value, not a message\n");
}

Test(bad_scenario, missing_file) {
    proc_result r;
    run_scenario(&r, "tests/scenarios/does-not-exist.lua", NULL, NULL, NULL);
    cr_expect_eq(r.code, 2);
    cr_expect(strstr(r.err, "tests/scenarios/does-not-exist.lua: cannot read the scenario: cannot open") != NULL, "%s", r.err);
    proc_result_free(&r);
}

/* ---- the sandbox ----------------------------------------------------------------- */

Test(sandbox, os_execute_is_absent) {
    unlink("/tmp/streamlab-sandbox-escaped");
    expect_error(BAD "os_execute.lua", BAD "os_execute.lua:2: attempt to index a nil value (global 'os')\n");
    cr_expect_neq(access("/tmp/streamlab-sandbox-escaped", F_OK), 0, "the scenario ran a shell command");
}

Test(sandbox, io_open_is_absent) {
    expect_error(BAD "io_open.lua", BAD "io_open.lua:2: attempt to index a nil value (global 'io')\n");
}

Test(sandbox, require_is_refused) {
    expect_error(BAD "require.lua", BAD "require.lua:2: require is not available in a scenario: scenarios are one file; "
                                        "the streamlab API is already loaded\n");
}

Test(sandbox, load_is_refused) {
    expect_error(BAD "load.lua", BAD "load.lua:2: load is not available in a scenario: scenarios cannot compile code at run time\n");
}

Test(sandbox, dofile_is_refused) {
    expect_error(BAD "dofile.lua", BAD "dofile.lua:2: dofile is not available in a scenario: scenarios cannot read or run "
                                       "files; data files are opened by the streamlab API\n");
}

Test(sandbox, randomseed_is_refused) {
    expect_error(BAD "randomseed.lua", BAD "randomseed.lua:2: math.randomseed is not available: the scenario's seed "
                                           "(scenario{seed=...} or --seed) seeds math.random\n");
}

Test(sandbox, pairs_refuses_keys_without_order) {
    expect_error(BAD "pairs_table_key.lua", BAD "pairs_table_key.lua:3: pairs/next: a table key of type table has no "
                                                "reproducible order; use numbers, strings or booleans as keys\n");
}

Test(sandbox, string_rep_bomb_is_stopped) {
    expect_error(BAD "string_rep_bomb.lua", BAD "string_rep_bomb.lua:2: string.rep would build a string of 1000000000000 "
                                                "bytes: over the memory limit of 256 MiB\n");
}

Test(sandbox, concatenation_bomb_hits_the_memory_cap) {
    expect_error(BAD "concat_bomb.lua", BAD "concat_bomb.lua:4: memory limit of 256 MiB exceeded\n");
}

Test(sandbox, memory_bomb_hits_the_memory_cap, .timeout = 120) {
    expect_error(BAD "memory_bomb.lua", BAD "memory_bomb.lua:4: memory limit of 256 MiB exceeded\n");
}

Test(sandbox, endless_loop_exhausts_the_instruction_budget, .timeout = 120) {
    expect_error(BAD "endless_loop.lua", BAD "endless_loop.lua:4: instruction budget of 1000000000 Lua instructions "
                                             "exhausted (an endless loop?)\n");
}

Test(sandbox, deep_recursion_is_a_stack_overflow_error) {
    expect_error(BAD "deep_recursion.lua", BAD "deep_recursion.lua:3: stack overflow\n");
}

Test(sandbox, smaller_limits_from_the_command_line) {
    proc_result r;
    run_scenario(&r, BAD "endless_loop.lua", "--lua-instructions", "100000", NULL);
    cr_expect_eq(r.code, 2);
    cr_expect_str_eq(r.err, BAD "endless_loop.lua:4: instruction budget of 100000 Lua instructions exhausted (an endless loop?)\n");
    proc_result_free(&r);
    run_scenario(&r, BAD "memory_bomb.lua", "--lua-memory", "8", NULL);
    cr_expect_eq(r.code, 2);
    cr_expect_str_eq(r.err, BAD "memory_bomb.lua:4: memory limit of 8 MiB exceeded\n");
    proc_result_free(&r);
}

/* ---- usage ------------------------------------------------------------------------ */

static void expect_usage_error(const char *const argv[], const char *first_line) {
    proc_result r;
    cr_assert_eq(proc_run(argv, RUN_TIMEOUT_S, &r), 0);
    cr_expect_eq(r.code, 2, "exit %d", r.code);
    cr_expect(strncmp(r.err, first_line, strlen(first_line)) == 0, "stderr: %s", r.err);
    cr_expect(strstr(r.err, "usage: streamlab run SCENARIO.lua") != NULL);
    proc_result_free(&r);
}

Test(usage, no_arguments) {
    const char *argv[] = {streamlab(), NULL};
    expect_usage_error(argv, "usage: streamlab run");
}

Test(usage, unknown_command) {
    const char *argv[] = {streamlab(), "walk", NULL};
    expect_usage_error(argv, "streamlab: unknown command \"walk\"\n");
}

Test(usage, unknown_option) {
    const char *argv[] = {streamlab(), "run", "scenarios/hello.lua", "--sed", "3", NULL};
    expect_usage_error(argv, "streamlab: unknown option \"--sed\"\n");
}

Test(usage, bad_seed) {
    const char *argv[] = {streamlab(), "run", "scenarios/hello.lua", "--seed", "seven", NULL};
    expect_usage_error(argv, "streamlab: bad number \"seven\"\n");
}

Test(usage, missing_scenario) {
    const char *argv[] = {streamlab(), "run", "--quiet", NULL};
    expect_usage_error(argv, "streamlab: run needs a scenario file\n");
}

Test(usage, help_and_version) {
    proc_result r;
    const char *help[] = {streamlab(), "--help", NULL};
    cr_assert_eq(proc_run(help, RUN_TIMEOUT_S, &r), 0);
    cr_expect_eq(r.code, 0);
    cr_expect(strncmp(r.out, "usage: streamlab run SCENARIO.lua", 33) == 0, "%s", r.out);
    proc_result_free(&r);
    const char *version[] = {streamlab(), "--version", NULL};
    cr_assert_eq(proc_run(version, RUN_TIMEOUT_S, &r), 0);
    cr_expect_eq(r.code, 0);
    cr_expect_str_eq(r.out, "streamlab 0.1.0 (trace schema 1)\n");
    proc_result_free(&r);
}

/* ---- a good run ---------------------------------------------------------------- */

Test(run, hello_prints_its_batches_and_a_digest) {
    proc_result r;
    run_scenario(&r, "scenarios/hello.lua", NULL, NULL, NULL);
    cr_assert_eq(r.code, 0, "exit %d: %s", r.code, r.err);
    cr_expect_eq(count_lines_starting(r.out, "["), 15, "%s", r.out); /* 10 batches, 2 registrations, 3 narrations */
    /* print() of the first batch: Spark's block, records in partition order */
    cr_expect(strstr(r.out, "-------------------------------------------\nTime: 1000 ms\n"
                            "-------------------------------------------\n(the,1)\n(is,1)\n(question,1)\n(not,1)\n"
                            "(that,1)\n(or,1)\n(be,2)\n(to,2)\n\n") != NULL,
              "%s", r.out);
    /* an empty batch still prints its header */
    cr_expect(strstr(r.out, "Time: 4000 ms\n-------------------------------------------\n\n") != NULL, "%s", r.out);
    for (int s = 1; s <= 10; s++) {
        char line[64];
        snprintf(line, sizeof line, "[%4d.000 s] batch %d ms generated\n", s, s * 1000);
        cr_expect(strstr(r.out, line) != NULL, "missing \"%s\" in\n%s", line, r.out);
    }
    char digest[17];
    cr_expect_eq(digest_of(r.out, digest), 0, "%s", r.out);
    cr_expect(strstr(r.err, "scenario \"hello\", seed 7") != NULL, "%s", r.err);
    proc_result_free(&r);
}

Test(run, quiet_prints_only_the_digest) {
    proc_result r;
    run_scenario(&r, "scenarios/hello.lua", "--quiet", NULL, NULL);
    cr_assert_eq(r.code, 0);
    char digest[17];
    cr_expect_eq(digest_of(r.out, digest), 0, "%s", r.out);
    cr_expect_eq(count_lines_starting(r.out, ""), 1, "one line: %s", r.out);
    cr_expect(strstr(r.out, " events)\n") != NULL, "%s", r.out);
    cr_expect_str_eq(r.err, "");
    proc_result_free(&r);
}

Test(run, await_timeout_ends_the_run_first) {
    proc_result r;
    run_scenario(&r, "tests/scenarios/late_ticks.lua", NULL, NULL, NULL);
    cr_expect_eq(r.code, 0, "exit %d: %s%s", r.code, r.out, r.err);
    cr_expect(strstr(r.out, "batch 2500 ms generated\n") && strstr(r.out, "batch 5000 ms generated\n"), "%s", r.out);
    cr_expect(!strstr(r.out, "batch 7500 ms"), "%s", r.out);
    proc_result_free(&r);
}

Test(run, violated_expectation_exits_1_naming_file_and_line) {
    proc_result r;
    run_scenario(&r, "tests/scenarios/expect_fail.lua", "--quiet", NULL, NULL);
    cr_expect_eq(r.code, 1);
    cr_expect_str_eq(r.err, "tests/scenarios/expect_fail.lua:5: expectation failed: 6 batch_generated events expected, "
                            "the run recorded 5\n");
    char digest[17];
    cr_expect_eq(digest_of(r.out, digest), 0, "the digest is printed even when expectations fail");
    proc_result_free(&r);
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    size_t got = fread(b, 1, (size_t)n, f);
    b[got] = '\0';
    fclose(f);
    return b;
}

Test(run, out_dir_holds_trace_results_and_summary) {
    char dir[] = "/tmp/streamlab-cli-out-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char out[256];
    snprintf(out, sizeof out, "%s/nested/run", dir);
    proc_result r;
    run_scenario(&r, "scenarios/hello.lua", "--out", out, "--quiet");
    cr_assert_eq(r.code, 0, "%s", r.err);
    char digest[17], path[512];
    cr_assert_eq(digest_of(r.out, digest), 0);

    snprintf(path, sizeof path, "%s/trace.jsonl", out);
    char *trace = read_file(path);
    cr_assert_not_null(trace);
    cr_expect(strncmp(trace, "{\"trace\":\"streamlab\",\"schema_version\":1}\n", 41) == 0, "%.80s", trace);
    int events = count_lines_starting(trace, "{\"t_us\":");
    cr_expect_eq(count_lines_starting(trace, "{\"t_us\":1000000,\"ev\":\"batch_generated\",\"node\":1,"
                                             "\"batch_time_us\":1000000,\"blocks\":0,\"records\":2,\"jobs\":1}"),
                 1);
    free(trace);

    snprintf(path, sizeof path, "%s/summary.json", out);
    json_error_t jerr;
    json_t *s = json_load_file(path, 0, &jerr);
    cr_assert_not_null(s, "%s: %s", path, jerr.text);
    cr_expect_str_eq(json_string_value(json_object_get(s, "scenario")), "hello");
    cr_expect_eq(json_integer_value(json_object_get(s, "seed")), 7);
    cr_expect_eq(json_integer_value(json_object_get(s, "simulated_us")), 10000000);
    cr_expect_str_eq(json_string_value(json_object_get(s, "digest")), digest);
    cr_expect_str_eq(json_string_value(json_object_get(s, "verdict")), "ok");
    cr_expect_eq(json_integer_value(json_object_get(json_object_get(s, "event_counts"), "batch_generated")), 10);
    cr_expect_eq(json_array_size(json_object_get(s, "expectations")), 2);
    cr_expect_eq(json_integer_value(json_object_get(s, "trace_events")), events, "every event is in trace.jsonl");
    json_decref(s);

    snprintf(path, sizeof path, "%s/results.jsonl", out);
    char *results = read_file(path);
    cr_assert_not_null(results, "results.jsonl is written");
    cr_expect_eq(count_lines_starting(results, "{\"output\":0,\"name\":\"print\",\"time_ms\":"), 9,
                 "one line per batch that ran (the 10th ends with the run): %s", results);
    const char *first = "{\"output\":0,\"name\":\"print\",\"time_ms\":1000,\"records\":[[\"the\",1],[\"is\",1],"
                        "[\"question\",1],[\"not\",1],[\"that\",1],[\"or\",1],[\"be\",2],[\"to\",2]]}\n";
    cr_expect(strncmp(results, first, strlen(first)) == 0, "%s", results);
    free(results);
    proc_result_free(&r);
}

/* ---- determinism ---------------------------------------------------------------- */

static void digest_with(const char *bin, const char *seed, char digest[17]) {
    proc_result r;
    const char *argv[] = {bin, "run", "scenarios/hello.lua", "--quiet", "--seed", seed, NULL};
    cr_assert_eq(proc_run(argv, RUN_TIMEOUT_S, &r), 0, "cannot run %s", bin);
    cr_assert_eq(r.code, 0, "%s: exit %d: %s", bin, r.code, r.err);
    cr_assert_eq(digest_of(r.out, digest), 0, "%s", r.out);
    proc_result_free(&r);
}

Test(determinism, same_seed_same_digest_in_two_processes) {
    char a[17], b[17];
    digest_with(streamlab(), "7", a);
    digest_with(streamlab(), "7", b);
    cr_expect_str_eq(a, b);
}

Test(determinism, another_seed_gives_another_digest) {
    char a[17], b[17];
    digest_with(streamlab(), "7", a);
    digest_with(streamlab(), "8", b);
    cr_expect_str_neq(a, b);
}

Test(determinism, gcc_and_clang_at_O0_and_O2_agree) {
    static const char *variants[] = {"det/gcc-O0/streamlab", "det/gcc-O2/streamlab", "det/clang-O0/streamlab",
                                     "det/clang-O2/streamlab"};
    const char *seeds[] = {"7", "12345"};
    for (int s = 0; s < 2; s++) {
        char first[17];
        digest_with(streamlab(), seeds[s], first); /* the sanitizer build too */
        for (int v = 0; v < 4; v++) {
            char d[17];
            digest_with(build_path(variants[v]), seeds[s], d);
            cr_expect_str_eq(d, first, "%s with seed %s", variants[v], seeds[s]);
        }
    }
}

Test(determinism, check_determinism_runs_twice_and_agrees) {
    proc_result r;
    run_scenario(&r, "scenarios/hello.lua", "--check-determinism", NULL, NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    cr_expect(strncmp(r.out, "deterministic: two runs in separate processes gave trace digest ", 64) == 0, "%s", r.out);
    proc_result_free(&r);
}

Test(bad_scenario, random_fault_of_an_unknown_kind) {
    expect_error(BAD "faults_random_kind.lua",
                 BAD "faults_random_kind.lua:2: faults.random{}: kinds: \"meteor\" is not \"crash\", \"slow\", "
                     "\"partition\", \"driver_crash\", \"crash_receiver\", \"storage_slow\", \"storage_fail\" or "
                     "\"sink_fail\"\n");
}

Test(bad_scenario, random_fault_of_a_worker_the_cluster_has_not) {
    expect_error(BAD "faults_random_worker.lua", BAD "faults_random_worker.lua:2 (drawn fault 2): faults{}: worker-4 does "
                                                 "not exist (the cluster has 2 workers)\n");
}

Test(bad_scenario, storage_level_spark_does_not_have) {
    expect_error(BAD "bad_storage_level.lua",
                 BAD "bad_storage_level.lua:4: socketTextStream: storage level \"MEMORY_TWICE\" is not one of Spark's "
                     "(StorageLevel.MEMORY_ONLY, StorageLevel.MEMORY_AND_DISK_SER_2, ...)\n");
}

Test(bad_scenario, storage_fault_of_no_known_kind) {
    expect_error(BAD "faults_storage_kind.lua",
                 BAD "faults_storage_kind.lua:2: faults{}[1]: storage is \"slow\" or \"fail\"\n");
}

Test(bad_scenario, write_ahead_log_without_checkpoint_directory) {
    expect_error(BAD "wal_without_checkpoint.lua",
                 BAD "wal_without_checkpoint.lua:16: StreamingContext:start: Cannot enable receiver write-ahead log "
                     "without checkpoint directory set. Please use streamingContext.checkpoint() to set the checkpoint "
                     "directory.\n");
}

Test(bad_scenario, get_or_create_whose_context_checkpoints_nowhere) {
    expect_error(BAD "get_or_create_without_checkpoint.lua",
                 BAD "get_or_create_without_checkpoint.lua:2: StreamingContext.getOrCreate: createFn's context must call "
                     "ssc:checkpoint(\"checkpoints\") (it sets no checkpoint directory)\n");
}
