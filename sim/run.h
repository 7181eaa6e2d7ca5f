/* sim/run.h — `streamlab run`: load a scenario, run its world, write what
 * the run produced (console, trace, summary), and judge its expectations. */
#ifndef SIM_RUN_H
#define SIM_RUN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes of the streamlab command. */
enum { SIM_EXIT_OK = 0, SIM_EXIT_EXPECTATIONS = 1, SIM_EXIT_USAGE = 2 };

typedef struct sim_run_opts {
    const char *scenario_path;
    int seed_set;
    uint64_t seed;
    const char *out_dir;    /* NULL: no files */
    const char *trace_path; /* NULL: none besides out_dir/trace.jsonl */
    int quiet;              /* only the digest line on stdout */
    int trace_records;      /* keep per-record events */
    int64_t lua_instructions_max;
    size_t lua_memory_max;
    size_t trace_max_events;
    int no_faults;          /* run without the fault plan (check's reference) */
    const char *faults_only;/* NULL, or the fault indexes to keep, "0,2" (fuzz's shrinking) */
} sim_run_opts;

/* Runs one scenario. Returns an exit code: SIM_EXIT_OK, SIM_EXIT_EXPECTATIONS
 * (an expect{} did not hold), or SIM_EXIT_USAGE (the scenario, its data or
 * an output file is bad; the message is on stderr). Results go to stdout. */
int sim_run(const sim_run_opts *opts);

/* `--check-determinism`: runs the scenario twice, each in its own process
 * (`self` is this program's path), and compares the digests; where they
 * differ, names the first trace event at which the runs diverge. Returns
 * SIM_EXIT_OK when equal, SIM_EXIT_EXPECTATIONS when they differ, or
 * SIM_EXIT_USAGE when a run fails. */
int sim_check_determinism(const char *self, const sim_run_opts *opts);

/* Compares two trace files line by line. Returns 0 when equal, the 1-based
 * line of the first difference (after printing both lines to out), or -1
 * when a file cannot be read. */
long sim_trace_diff(const char *a, const char *b, FILE *out);

#endif
