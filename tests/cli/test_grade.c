/* tests/cli/test_grade.c — `streamlab grade` on a test lab
 * (tests/labs/wordcount): the solution passes every check, a wrong inverse
 * function fails with the first differing batch and its hint, a submission
 * without the lab's fault plan fails the delivery check, hostile code (an
 * endless loop, a memory bomb, os.execute) is contained with a message and a
 * zero, answers are graded against the engine's, JUnit XML is written, and a
 * broken lab.lua is the lab's error (exit 2). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/proc.h"

#define TIMEOUT_S 300
#define LAB "tests/labs/wordcount"

static void grade(proc_result *r, const char *submission, const char *answers, const char *junit) {
    const char *argv[10] = {build_path("asan/streamlab"), "grade", LAB, submission};
    int n = 4;
    if (answers) argv[n++] = "--answers", argv[n++] = answers;
    if (junit) argv[n++] = "--junit", argv[n++] = junit;
    argv[n] = NULL;
    cr_assert_eq(proc_run(argv, TIMEOUT_S, r), 0);
}

static void expect_has(const char *text, const char *part) {
    cr_expect(strstr(text, part) != NULL, "expected \"%s\" in:\n%s", part, text);
}

Test(grade, the_solution_passes_every_check_and_right_answers_score_full) {
    proc_result r;
    grade(&r, LAB "/submissions/good.lua", LAB "/answers_right.lua", NULL);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    expect_has(r.out, "streamlab grade: lab \"grade test\" (" LAB "), submission " LAB "/submissions/good.lua, seed 7\n");
    expect_has(r.out, "  PASS  counts per batch                                     1/1\n");
    expect_has(r.out, "  PASS  windowed counts                                      2/2\n");
    expect_has(r.out, "  PASS  exactly-once under the lab's fault plan              2/2\n");
    expect_has(r.out, "  PASS  cost                                                 1/1\n");
    expect_has(r.out, "  PASS  question batches                                     1/1\n"
                      "        How many batches does output 0 print?\n        9\n");
    expect_has(r.out, "  PASS  question verdict                                     1/1\n");
    expect_has(r.out, "score: 9/9\n");
    proc_result_free(&r);
}

Test(grade, an_inverse_that_does_not_undo_the_reduce_fails_with_the_batch_and_the_hint) {
    proc_result r;
    grade(&r, LAB "/submissions/wrong_inverse.lua", LAB "/answers_right.lua", NULL);
    cr_expect_eq(r.code, 1, "%s%s", r.out, r.err);
    expect_has(r.out, "  PASS  counts per batch");
    expect_has(r.out, "  FAIL  windowed counts                                      0/2\n"
                      "        output 1, batch 6000 ms (in any order):\n"
                      "          expected [[\"\",11], [\"$200.\",1], [\"%\",39],");
    expect_has(r.out, "          got      [[\"\",17], [\"$200.\",1], [\"%\",73],");
    expect_has(r.out, "        hint: the inverse function must undo the reduce: sub for add\n");
    expect_has(r.out, "score: 7/9 (1 of 7 failed)\n");
    proc_result_free(&r);
}

Test(grade, a_submission_without_the_labs_faults_fails_the_delivery_check) {
    proc_result r;
    grade(&r, LAB "/submissions/no_faults.lua", NULL, NULL);
    cr_expect_eq(r.code, 1);
    expect_has(r.out, "  FAIL  exactly-once under the lab's fault plan              0/2\n"
                      "        the fault plan is not the lab's:\n"
                      "          expected [{\"at_ms\":5000,\"text\":\"worker-1 crashes (restart follows)\"}]\n"
                      "          got      []\n"
                      "        hint: keep the faults{} line of the starter\n");
    expect_has(r.out, "  FAIL  question batches                                     0/1\n"
                      "        How many batches does output 0 print?\n"
                      "        no answers given (--answers FILE)\n");
    proc_result_free(&r);
}

/* Hostile code: every check gets zero, the reason is said once, nothing
 * escapes. */
static void contained(const char *submission, const char *reason) {
    proc_result r;
    remove("/tmp/streamlab-pwned");
    grade(&r, submission, LAB "/answers_right.lua", NULL);
    cr_expect_eq(r.code, 1, "%s%s", r.out, r.err);
    char line[600];
    snprintf(line, sizeof line, "  the submission did not run: %s:12: %s\n"
                                "  FAIL  counts per batch                                     0/1\n"
                                "  FAIL  windowed counts                                      0/2\n", submission, reason);
    expect_has(r.out, line);
    cr_expect(strstr(r.out, "hint: ") == NULL, "no check's hint applies to a submission that did not run:\n%s", r.out);
    expect_has(r.out, "score: 2/9 (5 of 7 failed)\n");
    FILE *f = fopen("/tmp/streamlab-pwned", "r");
    cr_expect_null(f, "the submission ran a command");
    if (f) fclose(f);
    proc_result_free(&r);
}

Test(grade, an_endless_loop_is_stopped_by_the_instruction_budget) {
    contained(LAB "/submissions/endless_loop.lua",
              "instruction budget of 100000000 Lua instructions exhausted (an endless loop?)");
}

Test(grade, a_memory_bomb_is_stopped_by_the_memory_cap) {
    contained(LAB "/submissions/memory_bomb.lua", "memory limit of 128 MiB exceeded");
}

Test(grade, os_execute_does_not_exist_in_the_sandbox) {
    contained(LAB "/submissions/os_execute.lua", "attempt to index a nil value (global 'os')");
}

Test(grade, wrong_answers_are_told_the_engines_answer_and_junit_is_written) {
    char xml[] = "/tmp/streamlab-grade-junit-XXXXXX";
    int fd = mkstemp(xml);
    cr_assert(fd >= 0);
    proc_result r;
    grade(&r, LAB "/submissions/good.lua", LAB "/answers_wrong.lua", xml);
    cr_expect_eq(r.code, 1);
    expect_has(r.out, "        answered 10, the engine says 9\n");
    expect_has(r.out, "        answered nothing, the engine says \"exactly-once\"\n");
    expect_has(r.out, "score: 7/9 (2 of 7 failed)\n");
    FILE *f = fdopen(fd, "r");
    char buf[4096] = "";
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    remove(xml);
    expect_has(buf, "<testsuite name=\"grade test\" tests=\"7\" failures=\"2\">");
    expect_has(buf, "<testcase classname=\"grade test\" name=\"question batches\"><failure message=\"answered 10, "
                    "the engine says 9 (hint: How many batches does output 0 print?)\"/></testcase>");
    proc_result_free(&r);
}

Test(grade, a_broken_lab_is_the_labs_error) {
    const char *argv[] = {build_path("asan/streamlab"), "grade", "tests/labs/broken", LAB "/submissions/good.lua", NULL};
    proc_result r;
    cr_assert_eq(proc_run(argv, TIMEOUT_S, &r), 0);
    cr_expect_eq(r.code, 2);
    expect_has(r.err, "tests/labs/broken/lab.lua:2: check{}: unknown key \"outptu\" (known: name, points, hint, output, "
                      "query, unordered, delivery, faults_as_solution, max_events, min_events, test)\n");
    proc_result_free(&r);
    const char *argv2[] = {build_path("asan/streamlab"), "grade", "tests/labs/none", LAB "/submissions/good.lua", NULL};
    cr_assert_eq(proc_run(argv2, TIMEOUT_S, &r), 0);
    cr_expect_eq(r.code, 2);
    expect_has(r.err, "streamlab grade: tests/labs/none/lab.lua: no such file (is LAB a lab's folder?)\n");
    proc_result_free(&r);
}

/* A run that stops with an error at 6 s is graded on what it did until then. */
Test(grade, a_submission_that_stops_early_is_graded_on_what_it_did) {
    proc_result r;
    grade(&r, LAB "/submissions/stops_at_6s.lua", LAB "/answers_right.lua", NULL);
    cr_expect_eq(r.code, 1, "%s%s", r.out, r.err);
    expect_has(r.out, "  the submission stopped early: " LAB "/submissions/stops_at_6s.lua:9: boom at 6000\n");
    expect_has(r.out, "  FAIL  counts per batch                                     0/1\n"
                      "        output 0: the solution wrote 9 batches, the submission 6; batch 7000 ms is missing\n");
    expect_has(r.out, "  PASS  cost                                                 1/1\n");
    proc_result_free(&r);
}
