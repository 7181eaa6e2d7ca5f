/* tests/unit/test_findings.c — the checker's findings per batch on hand-made
 * runs (DStream records lost, duplicated, unexpected and moved; a batch
 * written again; queries' rows, written whole or by key), and
 * findings.jsonl: written and read back the same, and every broken file
 * refused with its file:line and the rule broken. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../sim/check.h"
#include "../support/files.h"
#include "../../sim/findings.h"


static void remove_dir(const char *dir) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* The findings of two hand-made runs: results.jsonl (and sinks.jsonl when
 * given) of each. */
static void find(sim_findings *f, const char *ref_results, const char *got_results, const char *ref_sinks,
                 const char *got_sinks) {
    char ref[] = "/tmp/streamlab-findings-ref-XXXXXX", got[] = "/tmp/streamlab-findings-got-XXXXXX";
    cr_assert_not_null(mkdtemp(ref));
    cr_assert_not_null(mkdtemp(got));
    write_file(ref, "results.jsonl", ref_results);
    write_file(got, "results.jsonl", got_results);
    if (ref_sinks) write_file(ref, "sinks.jsonl", ref_sinks);
    if (got_sinks) write_file(got, "sinks.jsonl", got_sinks);
    sim_findings_init(f);
    cr_assert_eq(sim_check_findings(ref, got, 0, f), 0);
    sim_findings_sort(f);
    remove_dir(ref);
    remove_dir(got);
}

static void expect_batch(const sim_findings *f, size_t i, int query, int64_t batch, int64_t write, int64_t lost,
                         int64_t dup, int64_t unexpected) {
    cr_assert(i < f->nbatches, "entry %zu of %zu", i, f->nbatches);
    const sim_finding *b = &f->batches[i];
    cr_expect(b->query == query && b->index == 0 && b->batch == batch && b->write == write,
              "entry %zu: query %d index %d batch %ld write %ld, expected batch %ld write %ld", i, b->query, b->index,
              (long)b->batch, (long)b->write, (long)batch, (long)write);
    cr_expect(b->count[SIM_FINDING_LOST] == lost && b->count[SIM_FINDING_DUPLICATED] == dup &&
                  b->count[SIM_FINDING_UNEXPECTED] == unexpected,
              "entry %zu: lost %ld duplicated %ld unexpected %ld", i, (long)b->count[0], (long)b->count[1],
              (long)b->count[2]);
}

Test(findings, dstream_records_are_found_in_their_batches_on_the_last_write) {
    sim_findings f;
    /* batch 2000: "b" lost; batch 3000 written twice (a restart): the
     * second write gives "c" twice (one duplicated) and "z" (unexpected);
     * "d" came in batch 4000 instead of 3000: moved, not a finding */
    find(&f,
         "{\"output\":0,\"name\":null,\"time_ms\":1000,\"records\":[\"a\"]}\n"
         "{\"output\":0,\"name\":null,\"time_ms\":2000,\"records\":[\"b\",\"b2\"]}\n"
         "{\"output\":0,\"name\":null,\"time_ms\":3000,\"records\":[\"c\",\"d\"]}\n"
         "{\"output\":0,\"name\":null,\"time_ms\":4000,\"records\":[]}\n",
         "{\"output\":0,\"name\":null,\"time_ms\":1000,\"records\":[\"a\"]}\n"
         "{\"output\":0,\"name\":null,\"time_ms\":2000,\"records\":[\"b2\"]}\n"
         "{\"output\":0,\"name\":null,\"time_ms\":3000,\"records\":[\"c\"]}\n"
         "{\"output\":0,\"name\":null,\"time_ms\":3000,\"records\":[\"c\",\"z\"]}\n"
         "{\"output\":0,\"name\":null,\"time_ms\":4000,\"records\":[\"d\"]}\n",
         NULL, NULL);
    cr_assert_eq(f.noutputs, 1);
    cr_expect_str_eq(f.outputs[0].verdict, "broken");
    cr_expect(f.outputs[0].count[0] == 1 && f.outputs[0].count[1] == 1 && f.outputs[0].count[2] == 1 && f.outputs[0].moved == 1);
    cr_assert_eq(f.nbatches, 2);
    expect_batch(&f, 0, 0, 2000, 1, 1, 0, 0);
    expect_batch(&f, 1, 0, 3000, 3, 0, 1, 1); /* the fourth write, the second of batch 3000 */
    cr_expect_str_eq(f.batches[0].example[SIM_FINDING_LOST][0], "\"b\"");
    cr_expect_str_eq(f.batches[1].example[SIM_FINDING_UNEXPECTED][0], "\"z\"");
    sim_findings_fini(&f);
}

Test(findings, a_batch_the_run_with_faults_never_wrote_has_no_write) {
    sim_findings f;
    find(&f,
         "{\"output\":0,\"name\":null,\"time_ms\":1000,\"records\":[\"a\"]}\n"
         "{\"output\":0,\"name\":null,\"time_ms\":2000,\"records\":[\"b\",\"b\"]}\n"
         "{\"output\":0,\"name\":null,\"time_ms\":3000,\"records\":[\"c\"]}\n",
         "{\"output\":0,\"name\":null,\"time_ms\":1000,\"records\":[\"a\"]}\n"
         "{\"output\":0,\"name\":null,\"time_ms\":3000,\"records\":[\"c\"]}\n",
         NULL, NULL);
    cr_assert_eq(f.nbatches, 1);
    expect_batch(&f, 0, 0, 2000, -1, 2, 0, 0);
    cr_expect_eq(f.batches[0].nexample[SIM_FINDING_LOST], 1, "examples are distinct records");
    sim_findings_fini(&f);
}

static const char *const append_sinks = "{\"query\":0,\"name\":\"q\",\"sink\":\"foreachBatch\",\"mode\":\"append\",\"keys\":[],\"rows\":[%s]}\n";

static char *sinks_of(const char *fmt, const char *rows) {
    static char buf[2][600];
    static int k;
    char *b = buf[k++ % 2];
    snprintf(b, sizeof buf[0], fmt, rows);
    return b;
}

/* A batch run again (same id, same rows) gives the duplicates: they go on
 * its second write, not on a later batch whose rows happen to repeat. */
Test(findings, a_querys_rows_written_again_go_on_the_second_write_of_their_batch) {
    sim_findings f;
    find(&f,
         "{\"query\":\"q\",\"batch_id\":0,\"time_ms\":1000,\"rows\":[{\"v\":\"%\"},{\"v\":\"a\"}]}\n"
         "{\"query\":\"q\",\"batch_id\":1,\"time_ms\":2000,\"rows\":[{\"v\":\"%\"},{\"v\":\"b\"}]}\n",
         "{\"query\":\"q\",\"batch_id\":0,\"time_ms\":1000,\"rows\":[{\"v\":\"%\"},{\"v\":\"a\"}]}\n"
         "{\"query\":\"q\",\"batch_id\":0,\"time_ms\":3000,\"rows\":[{\"v\":\"%\"},{\"v\":\"a\"}]}\n"
         "{\"query\":\"q\",\"batch_id\":1,\"time_ms\":4000,\"rows\":[{\"v\":\"%\"},{\"v\":\"b\"}]}\n",
         sinks_of(append_sinks, "{\"v\":\"%\"},{\"v\":\"a\"},{\"v\":\"%\"},{\"v\":\"b\"}"),
         sinks_of(append_sinks, "{\"v\":\"%\"},{\"v\":\"a\"},{\"v\":\"%\"},{\"v\":\"a\"},{\"v\":\"%\"},{\"v\":\"b\"}"));
    cr_assert_eq(f.noutputs, 1);
    cr_expect_str_eq(f.outputs[0].name, "q");
    cr_expect_str_eq(f.outputs[0].verdict, "at-least-once");
    cr_assert_eq(f.nbatches, 1);
    expect_batch(&f, 0, 1, 0, 1, 0, 2, 0);
    sim_findings_fini(&f);
}

/* A memory sink loses what was written to it with its driver: the row goes
 * on the write that wrote it; one never written on its batch in the
 * reference, without a write. */
Test(findings, a_row_written_then_lost_goes_on_its_write) {
    sim_findings f;
    find(&f,
         "{\"query\":\"q\",\"batch_id\":0,\"time_ms\":1000,\"rows\":[{\"v\":\"a\"}]}\n"
         "{\"query\":\"q\",\"batch_id\":1,\"time_ms\":2000,\"rows\":[{\"v\":\"b\"}]}\n",
         "{\"query\":\"q\",\"batch_id\":0,\"time_ms\":1000,\"rows\":[{\"v\":\"a\"}]}\n",
         sinks_of(append_sinks, "{\"v\":\"a\"},{\"v\":\"b\"}"), sinks_of(append_sinks, ""));
    cr_assert_eq(f.nbatches, 2);
    expect_batch(&f, 0, 1, 0, 0, 1, 0, 0);
    expect_batch(&f, 1, 1, 1, -1, 1, 0, 0);
    sim_findings_fini(&f);
}

/* Keyed: a count that is short goes where the reference last wrote the
 * key (the write the run with faults should have made); one counted twice
 * on the run with faults' last write of it. */
Test(findings, a_keyed_row_goes_where_its_key_was_last_written) {
    static const char *const kv = "{\"query\":0,\"name\":\"q\",\"sink\":\"kv\",\"mode\":\"update\",\"keys\":[\"w\"],\"rows\":[%s]}\n";
    sim_findings f;
    find(&f,
         "{\"query\":\"q\",\"batch_id\":0,\"time_ms\":1000,\"rows\":[{\"w\":\"a\",\"n\":1},{\"w\":\"b\",\"n\":1}]}\n"
         "{\"query\":\"q\",\"batch_id\":1,\"time_ms\":2000,\"rows\":[{\"w\":\"a\",\"n\":2}]}\n"
         "{\"query\":\"q\",\"batch_id\":2,\"time_ms\":3000,\"rows\":[]}\n",
         "{\"query\":\"q\",\"batch_id\":0,\"time_ms\":1000,\"rows\":[{\"w\":\"a\",\"n\":1},{\"w\":\"b\",\"n\":1}]}\n"
         "{\"query\":\"q\",\"batch_id\":1,\"time_ms\":2000,\"rows\":[]}\n"
         "{\"query\":\"q\",\"batch_id\":2,\"time_ms\":3000,\"rows\":[{\"w\":\"b\",\"n\":2}]}\n",
         sinks_of(kv, "{\"w\":\"a\",\"n\":2},{\"w\":\"b\",\"n\":1}"), sinks_of(kv, "{\"w\":\"a\",\"n\":1},{\"w\":\"b\",\"n\":2}"));
    cr_expect_str_eq(f.outputs[0].verdict, "broken");
    cr_assert_eq(f.nbatches, 2);
    expect_batch(&f, 0, 1, 1, 1, 1, 0, 0); /* a: 2 in the reference's batch 1, which the run with faults wrote empty */
    expect_batch(&f, 1, 1, 2, 2, 0, 1, 0); /* b: counted twice by the run with faults' batch 2 */
    cr_expect_str_eq(f.batches[0].example[SIM_FINDING_LOST][0], "{\"n\":2,\"w\":\"a\"}");
    sim_findings_fini(&f);
}

/* ---- the file ---------------------------------------------------------------------------- */

static char *tmp_file(const char *text) {
    static char path[4][64];
    static int k;
    char *p = path[k++ % 4];
    snprintf(p, sizeof path[0], "/tmp/streamlab-findings-XXXXXX");
    int fd = mkstemp(p);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return p;
}

Test(findings, written_and_read_back_the_same) {
    sim_findings f, g;
    sim_findings_init(&f);
    snprintf(f.scenario, sizeof f.scenario, "scenarios/x.lua");
    snprintf(f.trace_hash, sizeof f.trace_hash, "0123456789abcdef");
    sim_finding_output o = {.query = 0, .index = 0, .verdict = "at-most-once", .compared = 9, .upto_ms = 3000,
                            .count = {3, 0, 0}};
    sim_finding_output q = {.query = 1, .index = 0, .name = "alerts", .verdict = "at-least-once", .compared = 4, .upto_ms = -1,
                            .count = {0, 1, 0}};
    cr_assert_eq(sim_findings_add_output(&f, &o), 0);
    cr_assert_eq(sim_findings_add_output(&f, &q), 0);
    cr_assert_eq(sim_findings_add(&f, 0, 0, 3000, 2, SIM_FINDING_LOST, 1, "[\"a\",1]"), 0);
    cr_assert_eq(sim_findings_add(&f, 0, 0, 2000, -1, SIM_FINDING_LOST, 2, "\"b\""), 0);
    cr_assert_eq(sim_findings_add(&f, 1, 0, 7, 8, SIM_FINDING_DUPLICATED, 1, "{\"count\":2}"), 0);
    char *path = tmp_file("");
    char err[600];
    cr_assert_eq(sim_findings_write(&f, path, err, sizeof err), 0, "%s", err);
    FILE *in = fopen(path, "r");
    char text[2000] = "";
    size_t n = fread(text, 1, sizeof text - 1, in);
    text[n] = 0;
    fclose(in);
    cr_expect_str_eq(text,
                     "{\"findings\":1,\"scenario\":\"scenarios/x.lua\",\"trace_xxh3\":\"0123456789abcdef\"}\n"
                     "{\"output\":0,\"verdict\":\"at-most-once\",\"compared\":9,\"upto_ms\":3000,\"lost\":3,\"duplicated\":0,"
                     "\"unexpected\":0,\"moved\":0}\n"
                     "{\"output\":0,\"time_ms\":3000,\"write\":2,\"lost\":1,\"duplicated\":0,\"unexpected\":0,"
                     "\"examples\":{\"lost\":[[\"a\",1]]}}\n"
                     "{\"output\":0,\"time_ms\":2000,\"write\":null,\"lost\":2,\"duplicated\":0,\"unexpected\":0,"
                     "\"examples\":{\"lost\":[\"b\"]}}\n"
                     "{\"query\":\"alerts\",\"index\":0,\"verdict\":\"at-least-once\",\"compared\":4,\"lost\":0,"
                     "\"duplicated\":1,\"unexpected\":0}\n"
                     "{\"query\":\"alerts\",\"index\":0,\"batch_id\":7,\"write\":8,\"lost\":0,\"duplicated\":1,\"unexpected\":0,"
                     "\"examples\":{\"duplicated\":[{\"count\":2}]}}\n");
    sim_findings_init(&g);
    cr_assert_eq(sim_findings_read(path, &g, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(g.scenario, "scenarios/x.lua");
    cr_expect_str_eq(g.trace_hash, "0123456789abcdef");
    cr_assert_eq(g.noutputs, 2);
    cr_expect_str_eq(g.outputs[1].name, "alerts");
    cr_assert_eq(g.nbatches, 3);
    cr_expect(g.batches[1].batch == 2000 && g.batches[1].write == -1 && g.batches[1].count[0] == 2);
    cr_expect_str_eq(g.batches[2].example[SIM_FINDING_DUPLICATED][0], "{\"count\":2}");
    sim_findings_fini(&f);
    sim_findings_fini(&g);
    unlink(path);
}

static void expect_refused(const char *text, const char *message) {
    char *path = tmp_file(text), err[600], want[700];
    sim_findings f;
    sim_findings_init(&f);
    cr_expect_eq(sim_findings_read(path, &f, err, sizeof err), -1, "%s read", text);
    snprintf(want, sizeof want, "%s:%s", path, message);
    cr_expect_str_eq(err, want);
    cr_expect_eq(f.noutputs + f.nbatches, 0, "nothing kept from a refused file");
    unlink(path);
}

#define HEAD "{\"findings\":1,\"scenario\":\"s.lua\",\"trace_xxh3\":null}\n"
#define OUT0 "{\"output\":0,\"verdict\":\"at-most-once\",\"compared\":9,\"upto_ms\":3000,\"lost\":3,\"duplicated\":0,\"unexpected\":0,\"moved\":0}\n"

Test(findings, a_broken_file_is_refused_with_its_line) {
    expect_refused("", "1: empty: not a findings file");
    expect_refused("{\"trace\":\"streamlab\"}\n", "1: not a findings file (the first line is {\"findings\":1,...})");
    expect_refused("{\"findings\":2}\n", "1: findings version 2, this build reads version 1");
    expect_refused("{\"findings\":1,\"trace_xxh3\":\"xyz\"}\n", "1: trace_xxh3 is 16 hex digits, got \"xyz\"");
    expect_refused(HEAD "not json\n", "2: not a JSON object");
    expect_refused(HEAD "{\"stream\":0}\n",
                   "2: neither a DStream output's line ({\"output\":i,...}) nor a query's ({\"query\":name,\"index\":i,...})");
    expect_refused(HEAD "{\"output\":0,\"verdict\":\"maybe\"}\n",
                   "2: verdict is exactly-once, at-least-once, at-most-once or broken");
    expect_refused(HEAD OUT0 "{\"output\":1,\"time_ms\":1000,\"write\":0,\"lost\":3,\"duplicated\":0,\"unexpected\":0}\n",
                   "3: a batch of output 1 before its verdict line");
    expect_refused(HEAD OUT0 "{\"output\":0,\"time_ms\":1000,\"write\":\"x\",\"lost\":3,\"duplicated\":0,\"unexpected\":0}\n",
                   "3: \"write\" is an integer, 0 or more, or null");
    expect_refused(HEAD OUT0 "{\"output\":0,\"time_ms\":1000,\"write\":0,\"lost\":-3,\"duplicated\":0,\"unexpected\":0}\n",
                   "3: \"lost\" is a count (an integer, 0 or more)");
    expect_refused(HEAD OUT0 "{\"output\":0,\"time_ms\":1000,\"write\":0,\"lost\":2,\"duplicated\":0,\"unexpected\":0}\n",
                   "2: output 0 has 3 lost, its batches add up to 2");
    expect_refused(HEAD OUT0 OUT0, "3: a second verdict for output 0");
}

Test(findings, a_missing_file_is_no_findings) {
    sim_findings f;
    sim_findings_init(&f);
    char err[100] = "untouched";
    cr_expect_eq(sim_findings_read("/nonexistent/findings.jsonl", &f, err, sizeof err), 1);
    cr_expect_str_eq(err, "untouched");
}

/* A findings file damaged anywhere is read or refused, never a crash (the
 * sanitizers watch): 400 seeded mutations of a real one. */
Test(findings, damaged_files_are_read_or_refused) {
    static const char good[] =
        "{\"findings\":1,\"scenario\":\"scenarios/x.lua\",\"trace_xxh3\":\"0123456789abcdef\"}\n"
        "{\"output\":0,\"verdict\":\"at-most-once\",\"compared\":9,\"upto_ms\":3000,\"lost\":3,\"duplicated\":0,\"unexpected\":0,"
        "\"moved\":0}\n"
        "{\"output\":0,\"time_ms\":3000,\"write\":2,\"lost\":1,\"duplicated\":0,\"unexpected\":0,\"examples\":{\"lost\":[[\"a\",1]]}}\n"
        "{\"output\":0,\"time_ms\":2000,\"write\":null,\"lost\":2,\"duplicated\":0,\"unexpected\":0,\"examples\":{\"lost\":[\"b\"]}}\n"
        "{\"query\":\"alerts\",\"index\":0,\"verdict\":\"at-least-once\",\"compared\":4,\"lost\":0,\"duplicated\":1,\"unexpected\":0}\n"
        "{\"query\":\"alerts\",\"index\":0,\"batch_id\":7,\"write\":8,\"lost\":0,\"duplicated\":1,\"unexpected\":0,"
        "\"examples\":{\"duplicated\":[{\"count\":2}]}}\n";
    static const char bytes[] = "{}[]\",:0123456789-enul\n \x01\xff";
    uint64_t x = 0x9E3779B97F4A7C15ull;
    int read = 0, refused = 0;
    for (int k = 0; k < 400; k++) {
        char text[sizeof good];
        memcpy(text, good, sizeof good);
        for (int m = 0; m < 1 + k % 4; m++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            text[x % (sizeof good - 1)] = bytes[(x >> 32) % (sizeof bytes - 1)];
        }
        char *path = tmp_file(text), err[600];
        sim_findings f;
        sim_findings_init(&f);
        int rc = sim_findings_read(path, &f, err, sizeof err);
        cr_assert(rc == 0 || rc == -1, "mutation %d: rc %d", k, rc);
        if (rc == 0) {
            read++;
        } else {
            refused++;
            cr_expect(!strncmp(err, path, strlen(path)), "mutation %d: the message names the file: %s", k, err);
        }
        sim_findings_fini(&f);
        unlink(path);
    }
    cr_expect(refused > 200 && read > 0, "%d read, %d refused", read, refused);
}
