/* tests/unit/test_trace_read.c — reading a trace file back: the events come
 * back as written, and a truncated, corrupt or foreign file gets a message
 * naming the file and line, never a crash (a seeded mutation fuzz over a real
 * trace; the sanitizer build turns any bad read into a failure). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../sim/trace_read.h"

#define FIXTURE "tests/viz/eventtime.jsonl"

static char *slurp_file(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    rewind(f);
    char *buf = malloc(*n + 1);
    cr_assert_eq(fread(buf, 1, *n, f), *n);
    buf[*n] = '\0';
    fclose(f);
    return buf;
}

static void write_file(const char *path, const char *data, size_t n) {
    FILE *f = fopen(path, "wb");
    cr_assert(f);
    cr_assert_eq(fwrite(data, 1, n, f), n);
    fclose(f);
}

/* Reads path; returns the status, with the message in err. */
static int read_into(const char *path, char *err, size_t errlen, size_t *count) {
    sim_trace t;
    cr_assert_eq(sim_trace_init(&t, 0), 0);
    err[0] = '\0';
    int rc = sim_trace_read(path, &t, err, errlen);
    if (count) *count = t.count;
    sim_trace_fini(&t);
    return rc;
}

Test(trace_read, reads_back_what_the_writer_wrote) {
    sim_trace a, b;
    cr_assert_eq(sim_trace_init(&a, 0), 0);
    cr_assert_eq(sim_trace_init(&b, 0), 0);
    char path[] = "/tmp/streamlab-trace-read-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    sim_trace_write_to(&a, f);
    eng_trace_event e1 = {ENG_EV_NODE_UP, 2, {1, 2, 0, 0}, "worker-1"};
    eng_trace_event e2 = {ENG_EV_TASK_START, 1, {3, 1, 0, 2}, NULL};
    eng_trace_event e3 = {ENG_EV_NARRATION, 0, {0, 0, 0, 0}, "a caption, with \"quotes\""};
    sim_trace_append(&a, 0, &e1);
    sim_trace_append(&a, 1500, &e2);
    sim_trace_append(&a, 1500, &e3);
    fclose(f);
    char err[512];
    cr_assert_eq(sim_trace_read(path, &b, err, sizeof err), 0, "%s", err);
    cr_assert_eq(b.count, 3);
    cr_expect_eq(sim_trace_digest(&a), sim_trace_digest(&b), "the digest survives the round trip");
    cr_expect_eq(b.events[1].arg[3], 2);
    cr_expect_str_eq(sim_trace_text(&b, &b.events[2]), "a caption, with \"quotes\"");
    remove(path);
    sim_trace_fini(&a);
    sim_trace_fini(&b);
}

Test(trace_read, missing_file_is_named) {
    char err[512];
    cr_assert_eq(read_into("/nonexistent/trace.jsonl", err, sizeof err, NULL), -1);
    cr_expect_str_eq(err, "/nonexistent/trace.jsonl: cannot open: No such file or directory");
}

static void expect_error(const char *content, const char *message) {
    char path[] = "/tmp/streamlab-bad-trace-XXXXXX", err[512], want[600];
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    write_file(path, content, strlen(content));
    cr_assert_eq(read_into(path, err, sizeof err, NULL), -1, "accepted: %s", content);
    snprintf(want, sizeof want, "%s%s", path, message);
    cr_expect_str_eq(err, want);
    remove(path);
}

#define HEADER "{\"trace\":\"streamlab\",\"schema_version\":1}\n"

Test(trace_read, bad_files_get_a_message_with_file_and_line) {
    expect_error("", ": empty file (not a streamlab trace)");
    expect_error("{\"trace\":\"streamlab\",\"schema_version\":99}\n", ":1: trace schema version 99, this build reads version 1");
    expect_error("{\"hello\":1}\n", ":1: not a streamlab trace (the first line must be {\"trace\":\"streamlab\",\"schema_version\":N})");
    expect_error(HEADER "{\"t_us\":5,\"ev\":\"run_start\",\"node\":0,\"se", ":2: not a JSON object: premature end of input near '\"se'");
    expect_error(HEADER "[1,2]\n", ":2: not a JSON object: another JSON value");
    expect_error(HEADER "{\"t_us\":\"5\",\"ev\":\"run_end\",\"node\":0}\n",
                 ":2: not a trace event (needs integer \"t_us\", string \"ev\", integer \"node\")");
    expect_error(HEADER "{\"t_us\":5,\"ev\":\"run_end\",\"node\":0}\n{\"t_us\":4,\"ev\":\"run_end\",\"node\":0}\n",
                 ":3: time goes back (events must be in order of t_us)");
    expect_error(HEADER "{\"t_us\":5,\"ev\":\"task_end\",\"node\":1,\"stage\":\"x\"}\n", ":2: \"stage\" of task_end must be an integer");
}

Test(trace_read, unknown_event_types_are_skipped) {
    char path[] = "/tmp/streamlab-new-trace-XXXXXX", err[512];
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    const char *s = HEADER "{\"t_us\":1,\"ev\":\"from_the_future\",\"node\":1}\n{\"t_us\":2,\"ev\":\"run_end\",\"node\":0}\n";
    write_file(path, s, strlen(s));
    size_t n;
    cr_assert_eq(read_into(path, err, sizeof err, &n), 0, "%s", err);
    cr_expect_eq(n, 1);
    remove(path);
}

/* A seeded mutation fuzz: truncations, flipped bytes, repeated and dropped
 * spans of a real trace. Each must read or fail with a message naming the file. */
Test(trace_read, mutated_traces_never_crash) {
    size_t n;
    char *orig = slurp_file(FIXTURE, &n);
    char *buf = malloc(n * 2 + 16);
    char path[] = "/tmp/streamlab-fuzz-trace-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    uint64_t x = 0x9E3779B97F4A7C15ull;
    int failed = 0;
    for (int round = 0; round < 400; round++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t at = (size_t)(x % n), len = n;
        memcpy(buf, orig, n);
        switch (round % 4) {
        case 0: len = at; break;                                  /* truncated */
        case 1: buf[at] = (char)(x >> 32); break;                 /* one byte changed */
        case 2: memmove(buf + at, buf + at + (n - at) / 2, (n - at) - (n - at) / 2), len = at + (n - at) - (n - at) / 2; break;
        case 3: memcpy(buf + n, orig, at), len = n + at; break;    /* a span repeated */
        }
        write_file(path, buf, len);
        char err[512] = "";
        if (read_into(path, err, sizeof err, NULL)) {
            failed++;
            cr_assert(strncmp(err, path, strlen(path)) == 0, "the message names the file: %s", err);
        }
    }
    cr_expect(failed > 100, "most mutations are refused (%d of 400)", failed);
    remove(path);
    free(buf);
    free(orig);
}
