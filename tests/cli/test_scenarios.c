/* tests/cli/test_scenarios.c — the scenario library (issue 9): every
 * scenario in scenarios/ passes `streamlab check` (its faults against a run
 * without them, and its own expect{}); the course's 18 concepts each have
 * their scenario, narrated and with expectations; the main job on the NASA
 * log is exactly-once through its three faults, counts a line that does not
 * parse instead of failing, and `make run` without a display writes its key
 * frames. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../support/proc.h"

#define TIMEOUT_S 300

/* The course's concepts, in the order of scenarios/README.md. */
static const char *const LIBRARY[] = {
    "01_network_wordcount.lua",       "02_sliding_windows.lua",          "03_reduce_by_key_and_window.lua",
    "04_update_state_by_key.lua",     "05_transform_stopwords.lua",      "06_stream_stream_join.lua",
    "07_receivers_reliability.lua",   "08_checkpoint_interval.lua",      "09_worker_failure.lua",
    "10_driver_failure.lua",          "11_stragglers_speculation.lua",   "12_rate_spikes.lua",
    "13_unbounded_table_output_modes.lua", "14_event_vs_processing_time.lua", "15_watermarks.lua",
    "16_streaming_deduplication.lua", "17_end_to_end_exactly_once.lua",  "18_natural_lateness.lua",
};

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = 0;
    fclose(f);
    return s;
}

static void expect_has(const char *text, const char *part) {
    cr_expect(strstr(text, part) != NULL, "expected \"%s\" in:\n%s", part, text);
}

Test(scenarios, the_library_has_every_concept_narrated_and_checked) {
    for (size_t i = 0; i < sizeof LIBRARY / sizeof *LIBRARY; i++) {
        char path[256];
        snprintf(path, sizeof path, "scenarios/%s", LIBRARY[i]);
        char *s = slurp(path);
        cr_expect_not_null(s, "%s is missing", path);
        if (!s) continue;
        cr_expect(strstr(s, "narrate{") != NULL, "%s has no narrate{}", path);
        cr_expect(strstr(s, "expect{") != NULL, "%s has no expect{}", path);
        free(s);
        char readme_entry[300];
        snprintf(readme_entry, sizeof readme_entry, "(%s)", LIBRARY[i]);
        char *readme = slurp("scenarios/README.md");
        cr_assert_not_null(readme);
        cr_expect(strstr(readme, readme_entry) != NULL, "scenarios/README.md does not link %s", LIBRARY[i]);
        free(readme);
    }
}

/* Every .lua file of scenarios/, as a parameter (no pointers: Criterion copies it). */
typedef struct scenario_param {
    char path[200];
} scenario_param;

ParameterizedTestParameters(scenarios, check) {
    static scenario_param params[128];
    size_t n = 0;
    glob_t g;
    if (glob("scenarios/*.lua", 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc && n < 128; i++)
            snprintf(params[n++].path, sizeof params[0].path, "%s", g.gl_pathv[i]);
        globfree(&g);
    }
    return cr_make_param_array(scenario_param, params, n);
}

/* Unsanitised and optimised (the determinism build): the library is large,
 * and the asan build runs the same code in the other suites. */
ParameterizedTest(scenario_param *p, scenarios, check, .timeout = TIMEOUT_S) {
    proc_result r;
    const char *argv[] = {build_path("det/gcc-O2/streamlab"), "check", p->path, NULL};
    cr_assert_eq(proc_run(argv, TIMEOUT_S, &r), 0);
    cr_expect_eq(r.code, 0, "streamlab check %s: exit %d\n%s%s", p->path, r.code, r.out, r.err);
    proc_result_free(&r);
}

Test(scenarios, main_job_is_exactly_once_through_its_three_faults, .timeout = TIMEOUT_S) {
    proc_result r;
    const char *argv[] = {build_path("asan/streamlab"), "check", "scenarios/main.lua", NULL};
    cr_assert_eq(proc_run(argv, TIMEOUT_S, &r), 0);
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    expect_has(r.out, "output 0: exactly-once (90 records compared up to batch 180000 ms; lost 0, duplicated 0, "
                      "unexpected 0)");
    expect_has(r.out, "query 0 status (kv sink, update): exactly-once");
    expect_has(r.out, "query 1 alerts (console sink, update): exactly-once (3 rows compared; lost 0");
    expect_has(r.out, "query 2 parse_errors (kv sink, complete): exactly-once (0 rows compared");
    proc_result_free(&r);
}

/* Runs `script` (sh) beside a copy of the main job's data in a fresh
 * folder, $D, with $SL the streamlab under test; the folder goes after. */
static void in_main_copy(proc_result *r, const char *script) {
    char dir[] = "/tmp/streamlab-main-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char cmd[2400];
    snprintf(cmd, sizeof cmd, "D='%s'; SL='%s'; mkdir -p \"$D/data\" && cp -r scenarios/data/nasa-http-1995 \"$D/data/\" && %s",
             dir, build_path("asan/streamlab"), script);
    const char *sh[] = {"/bin/sh", "-c", cmd, NULL};
    cr_assert_eq(proc_run(sh, TIMEOUT_S, r), 0);
    char rm[300];
    snprintf(rm, sizeof rm, "rm -rf %s", dir);
    cr_expect_eq(system(rm), 0);
}

/* The main job on a copy of the log with two lines that do not parse: they
 * are counted in the parse_errors sink, and the run goes on to its end. */
Test(scenarios, main_job_counts_lines_that_do_not_parse, .timeout = TIMEOUT_S) {
    proc_result r;
    in_main_copy(&r, "cp scenarios/main.lua \"$D/\" && f=scenarios/data/nasa-http-1995/NASA_access_log_Jul95.xal && "
                     "{ head -n 100 $f; echo 'garbage line: no timestamp here'; sed -n 101,200p $f; "
                     "echo 'host - - [32/Foo/1995:10:00:00 -0400] \"GET / HTTP/1.0\" 200 1'; tail -n +201 $f; } "
                     "> \"$D/data/nasa-http-1995/NASA_access_log_Jul95.xal\" && "
                     "\"$SL\" run \"$D/main.lua\" --quiet --no-faults --out \"$D/out\" >/dev/null 2>\"$D/err\"; echo rc=$?; "
                     "grep -o '\"unparsed lines\"[^}]*' \"$D/out/sinks.jsonl\" | head -n 1");
    expect_has(r.out, "\"unparsed lines\"");
    expect_has(r.out, "\"count\": 2");
    proc_result_free(&r);
}

/* make run without a display: the console outputs, then the key frames,
 * each named. */
Test(scenarios, make_run_without_a_display_writes_key_frames, .timeout = TIMEOUT_S) {
    const char *sh[] = {"/bin/sh", "-c",
                        "command -v pkg-config >/dev/null && pkg-config --exists sdl2 cairo pangocairo || "
                        "{ echo SKIP; exit 0; }; "
                        "env -u DISPLAY -u WAYLAND_DISPLAY tools/run-main \"$STREAMLAB_BUILD/asan\" scenarios/main.lua "
                        "'62100ms:2-worker-crash' && test -s \"$STREAMLAB_BUILD/asan/run/frames/2-worker-crash.png\" && "
                        "echo FRAME-OK",
                        NULL};
    if (!getenv("STREAMLAB_BUILD")) setenv("STREAMLAB_BUILD", "build", 1);
    proc_result r;
    cr_assert_eq(proc_run(sh, TIMEOUT_S, &r), 0);
    if (strstr(r.out, "SKIP")) {
        proc_result_free(&r);
        cr_skip_test("the visualiser is not built here (SDL2, cairo, pango)");
    }
    cr_expect_eq(r.code, 0, "%s%s", r.out, r.err);
    expect_has(r.out, "make run: no display (DISPLAY and WAYLAND_DISPLAY are not set): running scenarios/main.lua "
                      "headless, key frames to");
    expect_has(r.out, "Batch: 20");
    expect_has(r.out, "|1995-07-03 10:50:00|      18|");
    expect_has(r.out, "frames/2-worker-crash.png");
    expect_has(r.out, "FRAME-OK");
    proc_result_free(&r);
}

/* The main job with its very late records only 10 to 30 minutes late, about
 * its watermark delay plus a window: the crash moves batch boundaries, the
 * watermark judges some of them otherwise, and `check` says so and why. */
Test(scenarios, check_explains_counts_the_watermark_judged_otherwise, .timeout = TIMEOUT_S) {
    proc_result r;
    in_main_copy(&r, "sed 's/else delay = 60 + delay \\* 30 end/else delay = 10 + delay * 20 end/' scenarios/main.lua "
                     "> \"$D/main.lua\" && grep -q 'delay = 10 + delay' \"$D/main.lua\" && \"$SL\" check \"$D/main.lua\"");
    cr_expect_eq(r.code, 1, "%s%s", r.out, r.err);
    expect_has(r.out, "query 0 status (kv sink, update): at-least-once (150 rows compared; lost 0, duplicated 3");
    expect_has(r.out, "note: the watermark dropped 57 rows in the run with faults, 60 in the reference: a row later "
                      "than the watermark delay may or may not be counted");
    proc_result_free(&r);
}
