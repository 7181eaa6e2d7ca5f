/* tests/cli/test_export.c — `streamlab export --perfetto`: Chrome / Perfetto
 * trace-event JSON with one slice per task attempt and per batch, faults as
 * instant events; the same trace gives the same bytes; bad input is named. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/proc.h"

static const char *streamlab(void) { return build_path("asan/streamlab"); }

static void run_ok(const char *const argv[]) {
    proc_result r;
    cr_assert_eq(proc_run(argv, 60, &r), 0);
    cr_assert_eq(r.code, 0, "%s exited %d: %s", argv[1], r.code, r.err);
    proc_result_free(&r);
}

/* Counts the trace's events of type ev (its JSON name). */
static int count_events(const char *trace, const char *ev) {
    FILE *f = fopen(trace, "r");
    cr_assert(f);
    char line[8192], needle[64];
    snprintf(needle, sizeof needle, "\"ev\":\"%s\"", ev);
    int n = 0;
    while (fgets(line, sizeof line, f)) n += strstr(line, needle) != NULL;
    fclose(f);
    return n;
}

static int count_ph(json_t *events, const char *ph, const char *cat) {
    size_t i;
    json_t *e;
    int n = 0;
    json_array_foreach(events, i, e) {
        const char *p = json_string_value(json_object_get(e, "ph"));
        const char *c = json_string_value(json_object_get(e, "cat"));
        n += p && !strcmp(p, ph) && (!cat || (c && !strcmp(c, cat)));
    }
    return n;
}

Test(export, perfetto_has_a_slice_per_task_and_batch_and_faults_as_instants) {
    const char *trace = "/tmp/streamlab-export-test.jsonl", *out = "/tmp/streamlab-export-test.json";
    const char *run[] = {streamlab(), "run", "scenarios/crash_replicated_receiver.lua", "--quiet", "--trace", trace, NULL};
    run_ok(run);
    const char *exp[] = {streamlab(), "export", "--perfetto", trace, out, NULL};
    run_ok(exp);
    json_error_t je;
    json_t *doc = json_load_file(out, 0, &je);
    cr_assert(doc, "not JSON: %s at line %d", je.text, je.line);
    json_t *events = json_object_get(doc, "traceEvents");
    cr_assert(json_is_array(events));
    int tasks = count_events(trace, "task_start"); /* a speculative copy has its own task_start */
    cr_expect_eq(count_ph(events, "X", "task"), tasks, "one slice per task attempt");
    cr_expect_eq(count_ph(events, "X", "batch"), count_events(trace, "batch_generated"), "one slice per batch");
    cr_expect_eq(count_ph(events, "i", "fault"), 4, "the crash, its node_down, the restart and its node_up");
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e) { /* every event has the fields the trace-event format requires */
        cr_assert(json_is_string(json_object_get(e, "ph")) && json_is_string(json_object_get(e, "name")));
        cr_assert(json_is_integer(json_object_get(e, "pid")) && json_is_integer(json_object_get(e, "tid")));
        const char *ph = json_string_value(json_object_get(e, "ph"));
        if (strcmp(ph, "M")) cr_assert(json_is_integer(json_object_get(e, "ts")));
        if (!strcmp(ph, "X")) cr_assert(json_integer_value(json_object_get(e, "dur")) >= 0);
    }
    json_decref(doc);
    /* the same trace, the same bytes */
    const char *out2 = "/tmp/streamlab-export-test-2.json";
    const char *exp2[] = {streamlab(), "export", "--perfetto", trace, out2, NULL};
    run_ok(exp2);
    proc_result r;
    const char *cmp[] = {"/usr/bin/cmp", out, out2, NULL};
    cr_assert_eq(proc_run(cmp, 10, &r), 0);
    cr_expect_eq(r.code, 0, "two exports of one trace differ");
    proc_result_free(&r);
    remove(trace), remove(out), remove(out2);
}

Test(export, bad_trace_is_named_with_its_line) {
    const char *bad = "/tmp/streamlab-export-bad.jsonl";
    FILE *f = fopen(bad, "w");
    fputs("{\"trace\":\"streamlab\",\"schema_version\":1}\n{\"t_us\":0,\"ev\":\"run_st", f);
    fclose(f);
    proc_result r;
    const char *argv[] = {streamlab(), "export", "--perfetto", bad, "/tmp/streamlab-export-bad.json", NULL};
    cr_assert_eq(proc_run(argv, 30, &r), 0);
    cr_expect_eq(r.code, 2);
    cr_expect_str_eq(r.err, "streamlab: /tmp/streamlab-export-bad.jsonl:2: not a JSON object: premature end of input near '\"run_st'\n");
    proc_result_free(&r);
    const char *usage[] = {streamlab(), "export", bad, NULL};
    cr_assert_eq(proc_run(usage, 30, &r), 0);
    cr_expect_eq(r.code, 2);
    cr_expect(strstr(r.err, "export needs --perfetto TRACE.jsonl OUT.json") != NULL, "%s", r.err);
    proc_result_free(&r);
    remove(bad);
}
