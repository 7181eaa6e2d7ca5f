/* tests/unit/test_trace_read.c — reading a trace file back: the events come
 * back as written, and a truncated, corrupt or foreign file gets a message
 * naming the file and line, never a crash (a seeded mutation fuzz over a real
 * trace; the sanitizer build turns any bad read into a failure). The reader
 * sends plain lines through yajl and the rest through jansson: the same
 * mutations, with every line made one jansson must read, must come back
 * alike, event for event and message for message. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../sim/run.h"
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

/* Writes content[0..n) to a fresh temporary file; its name goes to path (32 bytes). */
static void write_temp(char *path, const char *content, size_t n) {
    strcpy(path, "/tmp/streamlab-trace-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    write_file(path, content, n);
}

/* Reads content into t (fresh from sim_trace_init); returns the status, the message in err. */
static int read_text(const char *content, size_t n, sim_trace *t, char *err, size_t errlen) {
    char path[32];
    write_temp(path, content, n);
    err[0] = '\0';
    int rc = sim_trace_read(path, t, err, errlen);
    remove(path);
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

static void expect_error_n(const char *content, size_t n, const char *message) {
    char path[32], err[512], want[600];
    write_temp(path, content, n);
    cr_assert_eq(read_into(path, err, sizeof err, NULL), -1, "accepted: %.200s", content);
    snprintf(want, sizeof want, "%s%s", path, message);
    cr_expect_str_eq(err, want);
    remove(path);
}

static void expect_error(const char *content, const char *message) { expect_error_n(content, strlen(content), message); }

#define HEADER "{\"trace\":\"streamlab\",\"schema_version\":1}\n"

#define EVENT(t, rest) "{\"t_us\":" #t ",\"ev\":\"run_end\",\"node\":0" rest "}\n"

Test(trace_read, bad_files_get_a_message_with_file_and_line) {
    expect_error("", ": empty file (not a streamlab trace)");
    expect_error("\n", ":1: not a JSON object: '[' or '{' expected near end of file");
    expect_error("{\"trace\":\"streamlab\",\"schema_version\":99}\n", ":1: trace schema version 99, this build reads version 1");
    expect_error("{\"hello\":1}\n", ":1: not a streamlab trace (the first line must be {\"trace\":\"streamlab\",\"schema_version\":N})");
    expect_error("{\"trace\":\"streamlab\",\"schema_version\":\"1\"}\n",
                 ":1: not a streamlab trace (the first line must be {\"trace\":\"streamlab\",\"schema_version\":N})");
    expect_error(HEADER "{\"t_us\":5,\"ev\":\"run_start\",\"node\":0,\"se", ":2: not a JSON object: premature end of input near '\"se'");
    expect_error(HEADER "[1,2]\n", ":2: not a JSON object: another JSON value");
    expect_error(HEADER "5\n", ":2: not a JSON object: '[' or '{' expected near '5'");
    expect_error(HEADER "   \n", ":2: not a JSON object: '[' or '{' expected near end of file");
    expect_error(HEADER EVENT(1, "") "{\"t_us\":\"5\",\"ev\":\"run_end\",\"node\":0}\n",
                 ":3: not a trace event (needs integer \"t_us\", string \"ev\", integer \"node\")");
    expect_error(HEADER EVENT(5.0, ""), ":2: not a trace event (needs integer \"t_us\", string \"ev\", integer \"node\")");
    expect_error(HEADER EVENT(5, "") EVENT(4, ""), ":3: time goes back (events must be in order of t_us)");
    expect_error(HEADER "{\"t_us\":5,\"ev\":\"task_end\",\"node\":1,\"stage\":\"x\"}\n", ":2: \"stage\" of task_end must be an integer");
    expect_error(HEADER EVENT(-1, ""), ":2: t_us or node out of range");
    expect_error(HEADER "{\"t_us\":1,\"ev\":\"run_end\",\"node\":4294967296}\n", ":2: t_us or node out of range");
    expect_error(HEADER EVENT(99999999999999999999, ""), ":2: not a JSON object: too big integer near '99999999999999999999'");
    expect_error(HEADER EVENT(1, ",\"text\":5"), ":2: \"text\" must be a string");
    expect_error(HEADER EVENT(1, ",\"text\":[\"a\"]"), ":2: \"text\" must be a string");
    /* after the object: more JSON, garbage, an unfinished token (yajl would wait for the rest) */
    expect_error(HEADER "{\"t_us\":1,\"ev\":\"run_end\",\"node\":0}{}\n", ":2: not a JSON object: end of file expected near '{'");
    expect_error(HEADER "{\"t_us\":1,\"ev\":\"run_end\",\"node\":0} x\n", ":2: not a JSON object: end of file expected near 'x'");
    expect_error(HEADER "{\"t_us\":1,\"ev\":\"run_end\",\"node\":0}\"\n", ":2: not a JSON object: premature end of input near '\"'");
    /* what jansson refuses and yajl would take */
    expect_error(HEADER EVENT(1, ",\"text\":\"a\\u0000b\""),
                 ":2: not a JSON object: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"a\\u0000b\"'");
    expect_error(HEADER EVENT(1, ",\"text\":\"a\\ud800b\""), ":2: not a JSON object: invalid Unicode '\\uD800' near '\"a\\ud800b\"'");
    expect_error(HEADER EVENT(1, ",\"text\":\"a\xc0\x80z\""), ":2: not a JSON object: unable to decode byte 0xc0 near '\"a'");
    expect_error(HEADER "{\"t_us\":1,\v\"ev\":\"run_end\",\"node\":0}\n", ":2: not a JSON object: string or '}' expected near '\v'");
#define WITH_NUL HEADER "{\"t_us\":1,\"ev\":\"run_end\",\"node\":0,\"x\":\"\0\"}\n"
    expect_error_n(WITH_NUL, sizeof WITH_NUL - 1,
                   ":2: not a JSON object: control character 0x0 near '\"'");
}

/* A line of TRACE_LINE_MAX (1 MiB) plus one byte, with or without its '\n'. */
Test(trace_read, a_line_over_a_mebibyte_is_refused) {
    size_t text = (1u << 20) + 1;
    char *s = malloc(sizeof HEADER + text + 64);
    int n = sprintf(s, HEADER "{\"t_us\":1,\"ev\":\"narration\",\"node\":0,\"text\":\"");
    memset(s + n, 'a', text);
    strcpy(s + n + text, "\"}\n");
    expect_error(s, ":2: line too long for a trace event");
    s[strlen(s) - 1] = '\0';
    expect_error(s, ":2: line too long for a trace event");
    free(s);
}

Test(trace_read, more_events_than_the_bound_is_an_error) {
    const char *s = HEADER EVENT(1, "") EVENT(2, "") EVENT(3, "");
    sim_trace t;
    char err[512];
    cr_assert_eq(sim_trace_init(&t, 2), 0);
    cr_assert_eq(read_text(s, strlen(s), &t, err, sizeof err), -1);
    cr_expect(strstr(err, ":4: trace too large (more events than the bound)"), "%s", err);
    cr_expect_eq(t.count, 2);
    sim_trace_fini(&t);
}

/* Texts come back byte for byte: JSON escapes (through yajl), \u escapes
 * and surrogate pairs, raw UTF-8 (through jansson), an empty text, none. */
Test(trace_read, texts_come_back_exactly) {
    const char *s = HEADER "{\"t_us\":1,\"ev\":\"narration\",\"node\":0,\"text\":\"a \\\"quoted\\\" caption, back\\\\slash \\/ tab\\tnewline\\n\"}\n"
                           "{\"t_us\":2,\"ev\":\"narration\",\"node\":0,\"text\":\"caf\\u00e9 \\ud83d\\ude00 \\u001b.\"}\n"
                           "{\"t_us\":3,\"ev\":\"narration\",\"node\":0,\"text\":\"caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80\"}\n"
                           "{\"t_us\":4,\"ev\":\"narration\",\"node\":0,\"text\":\"\"}\n"
                           "{\"t_us\":5,\"ev\":\"narration\",\"node\":0}\n";
    const char *want[] = {"a \"quoted\" caption, back\\slash / tab\tnewline\n", "caf\xc3\xa9 \xf0\x9f\x98\x80 \x1b.",
                          "caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80", "", NULL};
    sim_trace t;
    char err[512];
    cr_assert_eq(sim_trace_init(&t, 0), 0);
    cr_assert_eq(read_text(s, strlen(s), &t, err, sizeof err), 0, "%s", err);
    cr_assert_eq(t.count, 5);
    for (size_t i = 0; i < 5; i++) {
        const char *text = sim_trace_text(&t, &t.events[i]);
        if (!want[i]) {
            cr_expect_null(text, "event %zu has no text", i);
            continue;
        }
        cr_assert_not_null(text, "event %zu", i);
        cr_expect_str_eq(text, want[i]);
        cr_expect_eq(t.events[i].text_len, strlen(want[i]));
    }
    sim_trace_fini(&t);
}

/* What the reader does not know is passed over, whatever it holds; the last
 * of two equal keys counts (as in jansson's objects); keys come in any order;
 * a blank line is skipped; lines only jansson reads (deep nesting, the
 * smallest int64, a CR before the newline) are read, and the lines after them. */
Test(trace_read, unknown_keys_and_values_are_passed_over) {
    const char *s = HEADER "{\"t_us\":1,\"extra\":{\"t_us\":\"x\",\"k\":[1,{\"stage\":\"x\"}]},\"ev\":\"task_end\",\"node\":2,"
                           "\"seed\":\"a run_start argument\",\"list\":[1,2,3],\"stage\":7,\"flag\":true,\"none\":null,\"r\":0.5}\n"
                           "{\"t_us\":2,\"ev\":\"task_end\",\"node\":2,\"stage\":\"x\",\"stage\":3}\n"
                           "{\"node\":1,\"records\":9,\"ev\":\"task_end\",\"t_us\":3}\n"
                           "\n"
                           "{\"t_us\":4,\"ev\":\"from_the_future\",\"node\":1,\"text\":5,\"stage\":\"x\"}\n"
                           "{\"t_us\":4,\"ev\":\"run_end\",\"node\":0,\"x\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                           "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}\n"
                           "{\"t_us\":5,\"ev\":\"run_end\",\"node\":0,\"x\":-9223372036854775808}\n"
                           "{\"t_us\":6,\"ev\":\"run_end\",\"node\":0}\r\n"
                           "{\"t_us\":7,\"ev\":\"run_end\",\"node\":0}\n"
                           "{\"t_us\":8,\"ev\":\"batch_started\",\"node\":1,\"schedulinX_delay_us\":\"x\",\"scheduling_delay_us\":42,"
                           "\"schedulingXdelay_us\":\"x\"}\n";
    sim_trace t;
    char err[512];
    cr_assert_eq(sim_trace_init(&t, 0), 0);
    cr_assert_eq(read_text(s, strlen(s), &t, err, sizeof err), 0, "%s", err);
    cr_assert_eq(t.count, 8);
    cr_assert_str_eq(sim_trace_arg_name(ENG_EV_TASK_END, 0), "stage");
    cr_assert_str_eq(sim_trace_arg_name(ENG_EV_TASK_END, 3), "records");
    cr_expect_eq(t.events[0].type, ENG_EV_TASK_END);
    cr_expect_eq(t.events[0].node, 2);
    cr_expect_eq(t.events[0].arg[0], 7);
    cr_expect_eq(t.events[1].arg[0], 3);
    cr_expect_eq(t.events[2].node, 1);
    cr_expect_eq(t.events[2].arg[3], 9);
    cr_expect_eq(t.events[2].t_us, 3);
    for (size_t i = 3; i < 7; i++) cr_expect_eq(t.events[i].type, ENG_EV_RUN_END, "event %zu", i);
    cr_expect_eq(t.events[6].t_us, 7);
    /* a long name, and unknown ones of its length with its first and last eight bytes */
    cr_assert_str_eq(sim_trace_arg_name(ENG_EV_BATCH_STARTED, 1), "scheduling_delay_us");
    cr_expect_eq(t.events[7].type, ENG_EV_BATCH_STARTED);
    cr_expect_eq(t.events[7].arg[1], 42);
    sim_trace_fini(&t);
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

/* Round `round` of a seeded mutation of orig[0..n) into buf (room for 2n + 16
 * bytes): a truncation, a byte changed, a span dropped or one repeated. *x is
 * the xorshift state. Returns the length. */
static size_t mutate(int round, uint64_t *x, const char *orig, size_t n, char *buf) {
    *x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
    size_t at = (size_t)(*x % n), len = n;
    memcpy(buf, orig, n);
    switch (round % 4) {
    case 0: len = at; break;                                  /* truncated */
    case 1: buf[at] = (char)(*x >> 32); break;                /* one byte changed */
    case 2: memmove(buf + at, buf + at + (n - at) / 2, (n - at) - (n - at) / 2), len = at + (n - at) - (n - at) / 2; break;
    case 3: memcpy(buf + n, orig, at), len = n + at; break;    /* a span repeated */
    }
    return len;
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
        size_t len = mutate(round, &x, orig, n, buf);
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

/* in[0..n) with "pad":"\u00e9", put first in each line that opens with {":
 * an unknown key whose \u escape makes the line one only jansson reads.
 * out has room for 6n bytes. Returns the new length. */
static size_t pad_lines(const char *in, size_t n, char *out) {
    static const char pad[] = "\"pad\":\"\\u00e9\",";
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        out[o++] = in[i];
        if ((i == 0 || in[i - 1] == '\n') && in[i] == '{' && i + 1 < n && in[i + 1] == '"') {
            memcpy(out + o, pad, sizeof pad - 1);
            o += sizeof pad - 1;
        }
    }
    return o;
}

typedef struct read_result {
    int rc;
    char err[512];
    size_t count;
    uint64_t digest;
} read_result;

static read_result read_file_at(const char *path, const char *data, size_t n) {
    read_result res = {0};
    sim_trace t;
    write_file(path, data, n);
    cr_assert_eq(sim_trace_init(&t, 0), 0);
    res.rc = sim_trace_read(path, &t, res.err, sizeof res.err);
    res.count = t.count;
    res.digest = sim_trace_digest(&t);
    sim_trace_fini(&t);
    return res;
}

/* The fixture's lines go through yajl; padded, through jansson. Whole or
 * mutated, both must give the same events (by digest) or the same message. */
Test(trace_read, yajl_and_jansson_lines_read_alike) {
    size_t n;
    char *orig = slurp_file(FIXTURE, &n);
    char *buf = malloc(n * 2 + 16), *padded = malloc(6 * (n * 2 + 16));
    char path[32];
    write_temp(path, "", 0);
    read_result plain = read_file_at(path, orig, n), jansson = read_file_at(path, padded, pad_lines(orig, n, padded));
    cr_assert_eq(plain.rc, 0, "%s", plain.err);
    cr_assert_eq(jansson.rc, 0, "%s", jansson.err);
    cr_assert_gt(plain.count, 300);
    cr_assert_eq(plain.count, jansson.count);
    cr_assert_eq(plain.digest, jansson.digest);
    uint64_t x = 0x2545F4914F6CDD1Dull;
    int accepted = 0;
    for (int round = 0; round < 400; round++) {
        size_t len = mutate(round, &x, orig, n, buf);
        plain = read_file_at(path, buf, len);
        jansson = read_file_at(path, padded, pad_lines(buf, len, padded));
        cr_assert_eq(plain.rc, jansson.rc, "round %d: [%s] vs [%s]", round, plain.err, jansson.err);
        cr_assert_str_eq(plain.err, jansson.err, "round %d", round);
        cr_assert_eq(plain.count, jansson.count, "round %d", round);
        cr_assert_eq(plain.digest, jansson.digest, "round %d", round);
        accepted += plain.rc == 0;
    }
    cr_expect(accepted > 20, "some mutations are read (%d of 400)", accepted);
    remove(path);
    free(padded);
    free(buf);
    free(orig);
}

/* A run's trace read back from its file is the run's trace: its digest is
 * the one the run printed (an argument the file does not carry is not kept
 * or digested by the run either). Runs with a driver restart of each kind
 * (recovery_phase 2 and 3) and the main job (every kind of event). */
static void digest_round_trip(const char *scenario) {
    char dir[] = "/tmp/streamlab-roundtrip-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    sim_run_opts o = {.scenario_path = scenario, .out_dir = dir, .quiet = 1};
    fflush(stdout);
    cr_assert_eq(sim_run(&o), SIM_EXIT_OK, "%s runs", scenario);
    char path[512], err[512], printed[17] = "", line[256];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    while (fgets(line, sizeof line, f)) {
        char *d = strstr(line, "\"digest\": \"");
        if (d && strlen(d) >= 27) memcpy(printed, d + 11, 16);
    }
    fclose(f);
    cr_assert_eq(strlen(printed), 16, "summary.json has the digest");
    sim_trace t;
    cr_assert_eq(sim_trace_init(&t, 0), 0);
    snprintf(path, sizeof path, "%s/trace.jsonl", dir);
    cr_assert_eq(sim_trace_read(path, &t, err, sizeof err), 0, "%s", err);
    char got[17];
    snprintf(got, sizeof got, "%016llx", (unsigned long long)sim_trace_digest(&t));
    cr_expect_str_eq(got, printed, "%s: the trace read back digests as the run", scenario);
    sim_trace_fini(&t);
    snprintf(line, sizeof line, "rm -rf %s", dir);
    cr_expect_eq(system(line), 0);
}

Test(trace_read, a_trace_read_back_has_the_runs_digest, .timeout = 120) {
    digest_round_trip("scenarios/driver_recovery_state.lua");
    digest_round_trip("scenarios/ss_file_sink_driver_crash.lua");
    digest_round_trip("scenarios/main.lua");
}
