/* sim/check.h — `streamlab check` (see check.c). */
#ifndef SIM_CHECK_H
#define SIM_CHECK_H

#include <stdio.h>
#include <sys/types.h>

#include "findings.h"

/* Checks each scenario (self: this program's path, to run it again in child
 * processes; seed: NULL for the scenarios' own; junit: NULL or a file for
 * JUnit XML). Prints the verdicts. Each run with faults gets findings.jsonl
 * beside its trace (findings.h). Runs go to out_dir when given (kept: out_dir
 * itself for one scenario, out_dir/<name> for several, the reference in
 * <that>/reference), else to /tmp/streamlab-check-*, kept only when a
 * scenario fails. Returns SIM_EXIT_OK, SIM_EXIT_EXPECTATIONS (an expected
 * delivery was not met) or SIM_EXIT_USAGE (a run failed). */
int sim_check(const char *self, const char *const *scenarios, int n, const char *seed, const char *junit,
              const char *out_dir);

/* Compares two finished runs of one scenario: ref and faulty are folders
 * holding results.jsonl and summary.json; faulty_exit is the faulty run's
 * exit status (a run that stopped with an error lost what it did not
 * output; one that missed an expectation fails the check). Prints the
 * verdict of each output to out, headed by label; appends one JUnit
 * <testcase> per output to xml (NULL: none) and counts them in *cases (NULL:
 * not counted). The expected delivery is the faulty run's summary
 * "expect_delivery" (or, missing there, the reference's; or, missing there
 * too, default_delivery, which may be NULL). Returns how many outputs
 * missed it, plus one for a missed expectation, or -1 when the reference's
 * results cannot be read (the reason printed to out). */
int sim_check_runs(const char *label, const char *ref, const char *faulty, int faulty_exit,
                   const char *default_delivery, FILE *out, FILE *xml, int *cases);
/* One output's verdict, as sim_check_runs_v collects them: DStream outputs
 * first ("output 0", ...), then queries ("query 0", ...). */
#define SIM_CHECK_VERDICTS_MAX 64
typedef struct sim_check_verdict {
    char what[32];
    char verdict[16]; /* exactly-once, at-least-once, at-most-once, broken */
    long records, lost, duplicated, unexpected;
} sim_check_verdict;
typedef struct sim_check_verdicts {
    sim_check_verdict v[SIM_CHECK_VERDICTS_MAX];
    int n;
} sim_check_verdicts;

/* sim_check_runs, also appending each output's verdict to *vs (NULL: not). */
int sim_check_runs_v(const char *label, const char *ref, const char *faulty, int faulty_exit,
                     const char *default_delivery, FILE *out, FILE *xml, int *cases, sim_check_verdicts *vs);

/* Compares the runs as sim_check_runs does, printing nothing, and adds what
 * it finds per output and batch to fs (fresh from sim_findings_init; the
 * caller sets its scenario and trace digest). Returns 0, or -1 when the
 * reference's results cannot be read or memory ran out. */
int sim_check_findings(const char *ref, const char *faulty, int faulty_exit, sim_findings *fs);

/* Whether a run's exit status says it did not finish: a usage or run error
 * (2), a signal (128 + n), or no start at all (-1). */
int sim_check_run_failed(int exit_status);
/* Removes a run's folder and what is in it. */
void sim_check_remove_tree(const char *dir);

/* Starts `self run scenario --quiet --out out_dir` in a child process
 * (with --no-faults when faults is 0; with --faults-only faults_only when
 * given; with --seed seed when given); its stdout goes to /dev/null. Returns
 * the child's pid, or -1. */
pid_t sim_check_spawn(const char *self, const char *scenario, const char *out_dir, int faults, const char *seed,
                      const char *faults_only);
/* Waits for a spawned run: its exit status, 128 + signal when it was
 * killed, -1 when it could not be started. */
int sim_check_wait(pid_t pid);
/* Whether spawned runs' stderr goes to /dev/null too (fuzz: many runs). */
void sim_check_quiet_children(int quiet);

#endif
