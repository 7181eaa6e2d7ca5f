/* sim/main.c — the `streamlab` command. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../engine/trace_events.h"
#include "check.h"
#include "export.h"
#include "fuzz.h"
#include "grade.h"
#include "run.h"
#include "trace_read.h"
#include "version.h"

static const char usage[] =
    "usage: streamlab run SCENARIO.lua [options]\n"
    "       streamlab check SCENARIO.lua... [--seed N] [--junit FILE] [--out DIR]\n"
    "       streamlab fuzz SCENARIO.lua --seeds A..B [--shard I/N] [--jobs N]\n"
    "       streamlab grade LAB SUBMISSION.lua [--answers FILE] [--junit FILE]\n"
    "       streamlab export --perfetto TRACE.jsonl OUT.json\n"
    "       streamlab view SCENARIO.lua|TRACE.jsonl      (the visualiser, streamlab-view)\n"
    "       streamlab render SCENARIO.lua|TRACE.jsonl --at 12.5s --out frame.png\n"
    "       streamlab --help | --version\n"
    "\n"
    "run options:\n"
    "  --seed N               use seed N instead of the scenario's own\n"
    "  --out DIR              write DIR/trace.jsonl, DIR/results.jsonl and DIR/summary.json\n"
    "  --trace FILE           write the trace as JSON Lines to FILE\n"
    "  --trace-records        also record one event per input record (large)\n"
    "  --quiet                print only the trace digest\n"
    "  --check-determinism    run twice in separate processes; compare the traces\n"
    "  --lua-instructions N   instruction budget of the scenario's Lua code (default 1e9)\n"
    "  --lua-memory MIB       memory cap of the scenario's Lua state in MiB (default 256)\n"
    "  --trace-max-events N   bound on the trace (default 20000000)\n"
    "  --no-faults            run without the scenario's faults{} plan\n"
    "  --faults-only I,J      run only faults I, J of the plan (0-based; what fuzz prints)\n"
    "\n"
    "check runs each scenario with its faults and without them (the reference),\n"
    "compares every output's records, and says exactly-once, at-least-once,\n"
    "at-most-once or broken; it exits 1 when a scenario's expect{ delivery } fails.\n"
    "--out DIR keeps the runs in DIR (DIR/<scenario> for several), with\n"
    "findings.jsonl, what was lost or duplicated per batch, beside the trace.\n"
    "\n"
    "fuzz checks the scenario with each seed of A..B (its faults.random{} draws\n"
    "another plan from each), N seeds at a time; --shard I/N takes every Nth seed\n"
    "from the Ith (0-based). It shrinks the smallest violating seed's plan and\n"
    "prints the command that replays it; exit 1 when a seed violates.\n"
    "\n"
    "grade runs a student's scenario and the lab's solution (LAB is a folder of\n"
    "labs/) with the same seed, in the sandbox, applies the lab's checks and\n"
    "questions, prints each as PASS or FAIL with the first difference and a hint,\n"
    "and the score; exit 0 only when all pass (labs/README.md).\n"
    "\n"
    "exit status: 0 ok, 1 expectations violated (or runs not deterministic),\n"
    "             2 usage, scenario or data error\n";

static int bad_usage(const char *fmt, const char *arg) {
    fprintf(stderr, "streamlab: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage);
    return 2;
}

/* Parses a non-negative integer (also "1e9" style for budgets). */
static int parse_count(const char *s, uint64_t *out) {
    char *end;
    errno = 0;
    if (!*s || *s == '-') return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end == 'e' && end[1] >= '0' && end[1] <= '9' && !end[2]) {
        for (int i = 0; i < end[1] - '0'; i++) {
            if (v > UINT64_MAX / 10) return -1;
            v *= 10;
        }
        end += 2;
    }
    if (errno || *end) return -1;
    *out = v;
    return 0;
}

/* This program's own path, so --check-determinism can run it again. */
static const char *self_path(const char *argv0, char *buf, size_t n) {
    ssize_t len = readlink("/proc/self/exe", buf, n - 1);
    if (len > 0) {
        buf[len] = '\0';
        return buf;
    }
    return argv0;
}

/* `streamlab export --perfetto TRACE OUT`: Chrome / Perfetto trace JSON. */
static int export_main(int argc, char **argv) {
    if (argc != 5 || strcmp(argv[2], "--perfetto") != 0)
        return bad_usage("%s", "export needs --perfetto TRACE.jsonl OUT.json");
    sim_trace t;
    char err[1024];
    if (sim_trace_init(&t, 0)) return bad_usage("%s", "out of memory");
    int rc = sim_trace_read(argv[3], &t, err, sizeof err);
    if (rc) fprintf(stderr, "streamlab: %s\n", err);
    FILE *f = rc ? NULL : fopen(argv[4], "w");
    if (!rc && !f) {
        fprintf(stderr, "streamlab: cannot write %s: %s\n", argv[4], strerror(errno));
        rc = -1;
    }
    if (f && (sim_export_perfetto(&t, f) | fclose(f))) {
        fprintf(stderr, "streamlab: %s: write error\n", argv[4]);
        rc = -1;
    }
    sim_trace_fini(&t);
    return rc ? 2 : 0;
}

/* `streamlab view|render ...`: hands over to streamlab-view, built beside this
 * program (it needs SDL2, cairo and pango; the headless build does not). */
static int view_main(int argc, char **argv, const char *self) {
    char path[PATH_MAX];
    const char *slash = strrchr(self, '/');
    int dir = slash ? (int)(slash - self) : 1;
    snprintf(path, sizeof path, "%.*s/streamlab-view", dir, slash ? self : ".");
    if (access(path, X_OK) != 0) {
        fprintf(stderr, "streamlab: %s is not built (it needs SDL2, cairo and pango: make deps && make)\n", path);
        return 2;
    }
    char **args = calloc((size_t)argc + 1, sizeof *args);
    if (!args) return 2;
    args[0] = path;
    int n = 1;
    if (!strcmp(argv[1], "render")) args[n++] = argv[1];
    for (int i = 2; i < argc; i++) args[n++] = argv[i];
    execv(path, args);
    fprintf(stderr, "streamlab: cannot run %s: %s\n", path, strerror(errno));
    free(args);
    return 2;
}

int main(int argc, char **argv) {
    /* Partitions come and go by the megabyte: keep freed memory in the heap
     * for the next task instead of returning it to the kernel and faulting
     * it back in (glibc otherwise maps blocks over 128 KiB one by one). */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("streamlab %s (trace schema %d)\n", STREAMLAB_VERSION, ENG_TRACE_SCHEMA_VERSION);
        return 0;
    }
    if (!strcmp(argv[1], "export")) return export_main(argc, argv);
    if (!strcmp(argv[1], "view") || !strcmp(argv[1], "render")) {
        char self[PATH_MAX];
        return view_main(argc, argv, self_path(argv[0], self, sizeof self));
    }
    if (!strcmp(argv[1], "fuzz")) {
        const char *scenario = NULL;
        uint64_t from = 0, to = 0, shard = 0, shards = 1, jobs = 1;
        int have_seeds = 0;
        for (int i = 2; i < argc; i++) {
            const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
            if (!strcmp(a, "--seeds") || !strcmp(a, "--shard") || !strcmp(a, "--jobs")) {
                if (!v) return bad_usage("%s needs a value", a);
                char left[32], right[32];
                const char *sep = !strcmp(a, "--seeds") ? ".." : "/";
                const char *at = strstr(v, sep);
                if (!strcmp(a, "--jobs")) {
                    if (parse_count(v, &jobs) || jobs < 1 || jobs > 64) return bad_usage("--jobs is 1 to 64, got \"%s\"", v);
                } else if (!at || (size_t)(at - v) >= sizeof left || strlen(at + strlen(sep)) >= sizeof right) {
                    return bad_usage(!strcmp(a, "--seeds") ? "--seeds is A..B, got \"%s\"" : "--shard is I/N, got \"%s\"", v);
                } else {
                    snprintf(left, sizeof left, "%.*s", (int)(at - v), v);
                    snprintf(right, sizeof right, "%s", at + strlen(sep));
                    uint64_t x, y;
                    if (parse_count(left, &x) || parse_count(right, &y))
                        return bad_usage("%s: not two numbers", v);
                    if (!strcmp(a, "--seeds")) {
                        if (y < x || y - x >= 1000000) return bad_usage("--seeds A..B needs A <= B, at most 1e6 seeds; got \"%s\"", v);
                        from = x, to = y, have_seeds = 1;
                    } else {
                        if (y < 1 || x >= y || y > 100000) return bad_usage("--shard I/N needs 0 <= I < N; got \"%s\"", v);
                        shard = x, shards = y;
                    }
                }
                i++;
            } else if (a[0] == '-') {
                return bad_usage("unknown option \"%s\"", a);
            } else if (scenario) {
                return bad_usage("fuzz takes one scenario; \"%s\" is a second", a);
            } else {
                scenario = a;
            }
        }
        if (!scenario) return bad_usage("%s", "fuzz needs a scenario");
        if (!have_seeds) return bad_usage("%s", "fuzz needs --seeds A..B");
        char self[PATH_MAX];
        return sim_fuzz(self_path(argv[0], self, sizeof self), scenario, from, to, (int)shard, (int)shards, (int)jobs);
    }
    if (!strcmp(argv[1], "check")) {
        const char *scenarios[256];
        int n = 0;
        const char *seed = NULL, *junit = NULL, *out = NULL;
        for (int i = 2; i < argc; i++) {
            if (!strcmp(argv[i], "--seed") || !strcmp(argv[i], "--junit") || !strcmp(argv[i], "--out")) {
                if (i + 1 >= argc) return bad_usage("%s needs a value", argv[i]);
                uint64_t x;
                if (!strcmp(argv[i], "--seed") && parse_count(argv[i + 1], &x))
                    return bad_usage("bad number \"%s\"", argv[i + 1]);
                *(!strcmp(argv[i], "--seed") ? &seed : !strcmp(argv[i], "--junit") ? &junit : &out) = argv[i + 1];
                i++;
            } else if (argv[i][0] == '-') {
                return bad_usage("unknown option \"%s\"", argv[i]);
            } else if (n < 256) {
                scenarios[n++] = argv[i];
            }
        }
        if (!n) return bad_usage("%s", "check needs at least one scenario");
        char self[PATH_MAX];
        return sim_check(self_path(argv[0], self, sizeof self), scenarios, n, seed, junit, out);
    }
    if (!strcmp(argv[1], "grade")) {
        const char *pos[2] = {NULL, NULL}, *answers = NULL, *junit = NULL;
        int npos = 0;
        for (int i = 2; i < argc; i++) {
            if (!strcmp(argv[i], "--answers") || !strcmp(argv[i], "--junit")) {
                if (i + 1 >= argc) return bad_usage("%s needs a value", argv[i]);
                *(!strcmp(argv[i], "--answers") ? &answers : &junit) = argv[i + 1];
                i++;
            } else if (argv[i][0] == '-') {
                return bad_usage("unknown option \"%s\"", argv[i]);
            } else if (npos < 2) {
                pos[npos++] = argv[i];
            } else {
                return bad_usage("grade takes one lab and one submission; extra \"%s\"", argv[i]);
            }
        }
        if (npos < 2) return bad_usage("%s", "grade needs a lab folder and a submission: grade LAB SUBMISSION.lua");
        char self[PATH_MAX];
        return sim_grade(self_path(argv[0], self, sizeof self), pos[0], pos[1], answers, junit);
    }
    if (strcmp(argv[1], "run") != 0) return bad_usage("unknown command \"%s\"", argv[1]);

    sim_run_opts o = {0};
    int check = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t n;
        if (!strcmp(a, "--quiet")) {
            o.quiet = 1;
        } else if (!strcmp(a, "--trace-records")) {
            o.trace_records = 1;
        } else if (!strcmp(a, "--no-faults")) {
            o.no_faults = 1;
        } else if (!strcmp(a, "--faults-only")) {
            if (!v) return bad_usage("%s needs a list of fault indexes, e.g. 0,2", a);
            o.faults_only = v;
            i++;
        } else if (!strcmp(a, "--check-determinism")) {
            check = 1;
        } else if (!strcmp(a, "--seed") || !strcmp(a, "--lua-instructions") || !strcmp(a, "--lua-memory") ||
                   !strcmp(a, "--trace-max-events")) {
            if (!v) return bad_usage("%s needs a number", a);
            if (parse_count(v, &n)) return bad_usage("bad number \"%s\"", v);
            if (!strcmp(a, "--seed")) {
                o.seed_set = 1;
                o.seed = n;
            } else if (!strcmp(a, "--lua-instructions")) {
                if (n < 1000 || n > INT64_MAX) return bad_usage("--lua-instructions must be at least 1000, got %s", v);
                o.lua_instructions_max = (int64_t)n;
            } else if (!strcmp(a, "--lua-memory")) {
                if (n < 1 || n > 65536) return bad_usage("--lua-memory is in MiB, from 1 to 65536; got %s", v);
                o.lua_memory_max = (size_t)n << 20;
            } else {
                if (n < 1) return bad_usage("--trace-max-events must be at least 1, got %s", v);
                o.trace_max_events = (size_t)n;
            }
            i++;
        } else if (!strcmp(a, "--out") || !strcmp(a, "--trace")) {
            if (!v) return bad_usage("%s needs a path", a);
            if (!strcmp(a, "--out"))
                o.out_dir = v;
            else
                o.trace_path = v;
            i++;
        } else if (a[0] == '-') {
            return bad_usage("unknown option \"%s\"", a);
        } else if (!o.scenario_path) {
            o.scenario_path = a;
        } else {
            return bad_usage("one scenario at a time; \"%s\" is a second one", a);
        }
    }
    if (!o.scenario_path) return bad_usage("%s", "run needs a scenario file");
    if (check) {
        char self[PATH_MAX];
        return sim_check_determinism(self_path(argv[0], self, sizeof self), &o);
    }
    return sim_run(&o);
}
