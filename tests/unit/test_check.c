/* tests/unit/test_check.c — the checker's classification on hand-made runs:
 * per batch matching, records moved to another batch, lost, duplicated and
 * unexpected records, a faulty run that died, and the expected delivery. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../sim/check.h"
#include "../support/files.h"


/* Two runs in fresh folders; returns what sim_check_runs printed and its
 * result in *bad. */
static char *check(const char *ref_results, const char *faulty_results, const char *expect, int faulty_failed,
                   int *bad) {
    char ref[] = "/tmp/streamlab-check-ref-XXXXXX", got[] = "/tmp/streamlab-check-got-XXXXXX";
    cr_assert_not_null(mkdtemp(ref));
    cr_assert_not_null(mkdtemp(got));
    write_file(ref, "results.jsonl", ref_results);
    write_file(got, "results.jsonl", faulty_results);
    char summary[200];
    snprintf(summary, sizeof summary, "{\"expect_delivery\": \"%s\"}\n", expect);
    write_file(got, "summary.json", summary);
    write_file(got, "trace.jsonl",
               "{\"t_us\":1500000,\"ev\":\"fault_injected\",\"node\":0,\"kind\":1,\"target\":2,\"duration_us\":0,"
               "\"text\":\"worker-1 crashes\"}\n");
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    *bad = sim_check_runs("case", ref, got, faulty_failed ? 2 : 0, NULL, out, NULL, NULL);
    fclose(out);
    return text;
}

#define LINE(t, recs) "{\"output\":0,\"name\":\"print\",\"time_ms\":" #t ",\"records\":" recs "}\n"

static const char *REF = LINE(1000, "[\"a\",\"b\"]") LINE(2000, "[\"c\",\"d\"]") LINE(3000, "[\"e\"]");

Test(check, identical_runs_are_exactly_once) {
    int bad;
    char *out = check(REF, REF, "exactly-once", 0, &bad);
    cr_expect_eq(bad, 0);
    cr_expect(strstr(out, "output 0: exactly-once (5 records compared up to batch 3000 ms; lost 0, duplicated 0, "
                          "unexpected 0)"),
              "%s", out);
    free(out);
}

Test(check, a_record_in_a_later_batch_is_moved_not_lost) {
    int bad;
    char *out = check(REF, LINE(1000, "[\"a\"]") LINE(2000, "[\"b\",\"c\",\"d\"]") LINE(3000, "[\"e\"]"),
                      "exactly-once", 0, &bad);
    cr_expect_eq(bad, 0, "%s", out);
    cr_expect(strstr(out, "1 records came in another batch than in the reference, e.g. \"b\" (batch 2000 ms)"), "%s",
              out);
    free(out);
}

Test(check, a_missing_record_is_lost_and_names_the_fault_before_it) {
    int bad;
    char *out = check(REF, LINE(1000, "[\"a\",\"b\"]") LINE(2000, "[\"d\"]") LINE(3000, "[\"e\"]"), "exactly-once", 0,
                      &bad);
    cr_expect_eq(bad, 1);
    cr_expect(strstr(out, "output 0: at-most-once (5 records compared up to batch 3000 ms; lost 1, duplicated 0, "
                          "unexpected 0)"),
              "%s", out);
    cr_expect(strstr(out, "first difference in batch 2000 ms; the fault before it: worker-1 crashes at 1500 ms"), "%s",
              out);
    cr_expect(strstr(out, "lost, e.g.       \"c\" (batch 2000 ms)"), "%s", out);
    cr_expect(strstr(out, "expected exactly-once"), "%s", out);
    free(out);
}

Test(check, a_record_twice_is_duplicated) {
    int bad;
    char *out = check(REF, LINE(1000, "[\"a\",\"b\"]") LINE(2000, "[\"c\",\"d\",\"a\"]") LINE(3000, "[\"e\"]"),
                      "at-least-once", 0, &bad);
    cr_expect_eq(bad, 0, "%s", out);
    cr_expect(strstr(out, "output 0: at-least-once (5 records compared up to batch 3000 ms; lost 0, duplicated 1, "
                          "unexpected 0)"),
              "%s", out);
    cr_expect(strstr(out, "duplicated, e.g. \"a\" (batch 2000 ms)"), "%s", out);
    free(out);
}

Test(check, a_wrong_value_is_lost_and_unexpected_so_broken) {
    int bad;
    char *out = check(LINE(1000, "[[\"a\",10]]"), LINE(1000, "[[\"a\",9]]"), "", 0, &bad);
    cr_expect_eq(bad, 0, "no expectation, nothing violated");
    cr_expect(strstr(out, "output 0: broken (1 records compared up to batch 1000 ms; lost 1, duplicated 0, "
                          "unexpected 1)"),
              "%s", out);
    free(out);
}

Test(check, batches_only_the_reference_completed_are_not_compared) {
    int bad;
    char *out = check(REF, LINE(1000, "[\"a\",\"b\"]") LINE(2000, "[\"c\",\"d\"]"), "exactly-once", 0, &bad);
    cr_expect_eq(bad, 0, "%s", out);
    cr_expect(strstr(out, "4 records compared up to batch 2000 ms"), "%s", out);
    free(out);
}

Test(check, a_faulty_run_that_died_lost_the_rest) {
    int bad;
    char *out = check(REF, LINE(1000, "[\"a\",\"b\"]"), "exactly-once", 1, &bad);
    cr_expect_eq(bad, 1);
    cr_expect(strstr(out, "at-most-once (5 records compared up to batch 3000 ms; lost 3,"), "%s", out);
    free(out);
}

Test(check, unreadable_reference_is_an_error) {
    char ref[] = "/tmp/streamlab-check-ref-XXXXXX";
    cr_assert_not_null(mkdtemp(ref));
    write_file(ref, "results.jsonl", "{\"output\":0,\"time_ms\":1000}\n");
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    int r = sim_check_runs("case", ref, ref, 0, NULL, out, NULL, NULL);
    fclose(out);
    cr_expect_eq(r, -1);
    cr_expect(strstr(text, "results.jsonl:1: not a results line"), "%s", text);
    free(text);
}

#define OUT1(t, recs) "{\"output\":1,\"name\":\"print\",\"time_ms\":" #t ",\"records\":" recs "}\n"

Test(check, a_delivery_per_output) {
    int bad;
    /* output 0 the same, output 1 a record twice: as expected, each its own */
    char *out = check(LINE(1000, "[\"a\"]") OUT1(1000, "[\"x\"]"), LINE(1000, "[\"a\"]") OUT1(1000, "[\"x\",\"x\"]"),
                      "exactly-once,at-least-once", 0, &bad);
    cr_expect_eq(bad, 0, "%s", out);
    cr_expect(strstr(out, "output 1: at-least-once (1 records compared up to batch 1000 ms; lost 0, duplicated 1,"), "%s",
              out);
    free(out);
    /* the same runs, output 1 expected exactly-once: one output misses it */
    out = check(LINE(1000, "[\"a\"]") OUT1(1000, "[\"x\"]"), LINE(1000, "[\"a\"]") OUT1(1000, "[\"x\",\"x\"]"),
                "exactly-once,exactly-once", 0, &bad);
    cr_expect_eq(bad, 1, "%s", out);
    free(out);
}
