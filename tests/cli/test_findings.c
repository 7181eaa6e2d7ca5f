/* tests/cli/test_findings.c — `streamlab check` writes findings.jsonl
 * beside the trace of the run with faults: with --out DIR in DIR (DIR/<name>
 * for several scenarios), and in the folder a failing check keeps. Exact
 * contents for the losing scenarios: the records lost per batch on the
 * write they belong to, the duplicates of a query's batch run again on its
 * second write, the batches a crashed driver never wrote without a write. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "../support/proc.h"

#define TIMEOUT_S 120

static void expect_has(const char *text, const char *part) {
    cr_expect(strstr(text, part) != NULL, "expected \"%s\" in:\n%s", part, text);
}

/* `streamlab check` with its arguments (NULL-terminated, at most 6). */
static void check(proc_result *r, const char *a1, const char *a2, const char *a3, const char *a4) {
    const char *argv[] = {build_path("asan/streamlab"), "check", a1, a2, a3, a4, NULL};
    cr_assert_eq(proc_run(argv, TIMEOUT_S, r), 0);
}

/* The whole text of a file (owned), or NULL. */
static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) fwrite(chunk, 1, n, m);
    fclose(m);
    fclose(f);
    return buf;
}

static char *file_in(const char *dir, const char *name) {
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return slurp(path);
}

static void remove_dir(const char *dir) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* Line k (1-based) of text into buf, without its newline. */
static const char *line_of(const char *text, int k, char *buf, size_t n) {
    const char *p = text;
    for (int i = 1; i < k && p; i++) p = (p = strchr(p, '\n')) ? p + 1 : NULL;
    size_t len = p ? strcspn(p, "\n") : 0;
    snprintf(buf, n, "%.*s", (int)len, p ? p : "");
    return buf;
}

Test(findings_cli, check_out_writes_the_records_lost_per_batch_beside_the_trace) {
    char dir[] = "/tmp/streamlab-findings-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    proc_result r;
    check(&r, "scenarios/crash_replicated_receiver.lua", "--out", dir, NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    /* what check prints is what it printed before, and where the runs are */
    expect_has(r.out, "output 0: at-most-once (440 records compared up to batch 9000 ms; lost 10, duplicated 0, unexpected 0)");
    char want[900];
    snprintf(want, sizeof want, "  runs in %s (the reference in %s/reference): streamlab view %s/trace.jsonl\n", dir, dir, dir);
    expect_has(r.out, want);
    proc_result_free(&r);
    char *trace = file_in(dir, "trace.jsonl"), *ref = file_in(dir, "reference/trace.jsonl"), *found = file_in(dir, "findings.jsonl");
    cr_assert(trace && ref && found, "the run, its reference and the findings are kept");
    char line[2000];
    snprintf(want, sizeof want,
             "{\"findings\":1,\"scenario\":\"scenarios/crash_replicated_receiver.lua\",\"trace_xxh3\":\"%016llx\"}",
             (unsigned long long)XXH3_64bits(trace, strlen(trace)));
    cr_expect_str_eq(line_of(found, 1, line, sizeof line), want, "the header names the trace by the hash of its bytes");
    cr_expect_str_eq(line_of(found, 2, line, sizeof line),
                     "{\"output\":0,\"verdict\":\"at-most-once\",\"compared\":440,\"upto_ms\":9000,\"lost\":10,\"duplicated\":0,"
                     "\"unexpected\":0,\"moved\":0}");
    cr_expect_str_eq(line_of(found, 3, line, sizeof line),
                     "{\"output\":0,\"time_ms\":5000,\"write\":4,\"lost\":10,\"duplicated\":0,\"unexpected\":0,\"examples\":"
                     "{\"lost\":[\"%\",\"Good day for overcoming obstacles.  Try a steeplechase.\",\"Good day to deal with "
                     "people in high places; particularly lonely stewardesses.\"]}}");
    cr_expect_str_eq(line_of(found, 4, line, sizeof line), "", "one batch lost records");
    free(trace), free(ref), free(found);
    remove_dir(dir);
}

/* foreachBatch appends whatever batch id it is given: the batch the driver
 * crash left uncommitted runs again after the restart, and its 20 rows are
 * duplicated by that second write (write 5, batch 4), not by the later
 * batches whose rows repeat ("%" lines). */
Test(findings_cli, a_querys_batch_run_again_duplicates_on_its_second_write) {
    char dir[] = "/tmp/streamlab-findings-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    proc_result r;
    check(&r, "scenarios/ss_foreach_batch_duplicates.lua", "--out", dir, NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    proc_result_free(&r);
    char *found = file_in(dir, "findings.jsonl"), line[2000];
    cr_assert_not_null(found);
    cr_expect_str_eq(line_of(found, 2, line, sizeof line),
                     "{\"query\":\"lines\",\"index\":0,\"verdict\":\"at-least-once\",\"compared\":280,\"lost\":0,"
                     "\"duplicated\":20,\"unexpected\":0}");
    cr_expect_str_eq(line_of(found, 3, line, sizeof line),
                     "{\"query\":\"lines\",\"index\":0,\"batch_id\":4,\"write\":5,\"lost\":0,\"duplicated\":20,\"unexpected\":0,"
                     "\"examples\":{\"duplicated\":[{\"value\":\"%\"},{\"value\":\"Beware of Bigfoot!\"},{\"value\":\"Beware of a "
                     "dark-haired man with a loud tie.\"}]}}");
    cr_expect_str_eq(line_of(found, 4, line, sizeof line), "");
    free(found);
    remove_dir(dir);
}

/* Without a checkpoint the restarted driver never generates the batches of
 * the time it was down: their records are lost without a write of theirs. */
Test(findings_cli, batches_a_crashed_driver_never_wrote_have_no_write) {
    char dir[] = "/tmp/streamlab-findings-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    proc_result r;
    check(&r, "scenarios/driver_crash_no_checkpoint.lua", "--out", dir, NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    proc_result_free(&r);
    char *found = file_in(dir, "findings.jsonl"), line[2000];
    cr_assert_not_null(found);
    const char *const want[] = {
        "{\"output\":0,\"verdict\":\"at-most-once\",\"compared\":540,\"upto_ms\":11000,\"lost\":190,\"duplicated\":0,"
        "\"unexpected\":0,\"moved\":0}",
        "{\"output\":0,\"time_ms\":8000,\"write\":4,\"lost\":40,",
        "{\"output\":0,\"time_ms\":5000,\"write\":null,\"lost\":50,",
        "{\"output\":0,\"time_ms\":6000,\"write\":null,\"lost\":50,",
        "{\"output\":0,\"time_ms\":7000,\"write\":null,\"lost\":50,",
    };
    for (int k = 0; k < 5; k++)
        cr_expect(!strncmp(line_of(found, k + 2, line, sizeof line), want[k], strlen(want[k])), "line %d: %s", k + 2, line);
    cr_expect_str_eq(line_of(found, 7, line, sizeof line), "");
    free(found);
    remove_dir(dir);
}

Test(findings_cli, several_scenarios_go_to_folders_named_after_them) {
    char dir[] = "/tmp/streamlab-findings-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    proc_result r;
    check(&r, "scenarios/hello.lua", "scenarios/crash_replicated_receiver.lua", "--out", dir);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    proc_result_free(&r);
    static const char *const files[] = {"hello/trace.jsonl", "hello/reference/results.jsonl",
                                        "crash_replicated_receiver/trace.jsonl", "crash_replicated_receiver/findings.jsonl"};
    for (int i = 0; i < 4; i++) {
        char *text = file_in(dir, files[i]);
        cr_expect_not_null(text, "%s/%s", dir, files[i]);
        free(text);
    }
    char *hello = file_in(dir, "hello/findings.jsonl"), line[2000];
    cr_assert_not_null(hello, "an exactly-once run has its findings too: its verdict, no batch");
    cr_expect(strstr(line_of(hello, 2, line, sizeof line), "\"verdict\":\"exactly-once\"") != NULL, "%s", line);
    cr_expect_str_eq(line_of(hello, 3, line, sizeof line), "");
    free(hello);
    remove_dir(dir);
}

/* CI keeps a failing check's runs: the student who opens the kept trace
 * finds the findings beside it. */
Test(findings_cli, a_failing_check_keeps_the_findings_with_its_runs) {
    proc_result r;
    check(&r, "tests/scenarios/faults/unreplicated_expects_exactly_once.lua", NULL, NULL, NULL);
    cr_expect_eq(r.code, 1, "%s%s", r.out, r.err);
    const char *kept = strstr(r.out, "  runs kept in ");
    cr_assert_not_null(kept, "%s", r.out);
    char dir[300], line[2000];
    snprintf(dir, sizeof dir, "%.*s", (int)strcspn(kept + 15, "\n"), kept + 15);
    proc_result_free(&r);
    char sub[400];
    snprintf(sub, sizeof sub, "%s/0-faulty", dir);
    char *found = file_in(sub, "findings.jsonl");
    cr_assert_not_null(found, "%s/findings.jsonl", sub);
    cr_expect(!strncmp(line_of(found, 2, line, sizeof line), "{\"output\":0,\"verdict\":\"at-most-once\",\"compared\":440,", 50),
              "%s", line);
    cr_expect(strstr(found, "\"time_ms\":5000,\"write\":4,\"lost\":40,") != NULL, "%s", found);
    free(found);
    remove_dir(dir);
}
