/* sim/grade_run.h — the runs `streamlab grade` makes (sim/grade.c): a
 * submission or a lab's solution copied with the lab's data into a folder
 * of its own, run as a child process under the sandbox's limits and a
 * wall-clock guard, and its results read back: batches compared with
 * another run's, event counts, and the whole run as a Lua table for lab.lua.
 */
#ifndef SIM_GRADE_RUN_H
#define SIM_GRADE_RUN_H

#include <jansson.h>
#include <lua.h>
#include <stddef.h>
#include <sys/types.h>

#include "check.h"

#define GRADE_TEXT_MAX 240 /* of a batch's records shown in a difference */

typedef struct grade_run {
    const char *what;  /* "submission" or "solution" */
    char dir[512];     /* the folder it runs in */
    char script[1024]; /* the scenario, in dir */
    const char *given;  /* the scenario as the command line named it (messages show it, not dir) */
    char out[600];     /* its run with faults */
    char ref[600];     /* its run without faults (for the delivery verdicts) */
    int exit, ref_exit;
    int with_ref;
    char error[2048]; /* why it did not run (its first stderr line), or "" */
    json_t *lines;   /* results.jsonl, one object per line */
    json_t *summary;
    sim_check_verdicts verdicts;
    int has_verdicts;
} grade_run;

typedef struct grade_opts {
    char seed[32]; /* "" = the scenario's own */
    long long instructions;
    long memory_mib;
    int timeout_s;
} grade_opts;


/* Copies src into dst (n bytes), cut if longer. */
void grade_set_str(char *dst, size_t n, const char *src);
int grade_is_file(const char *path);

/* Makes <tmp>/<what>/ with a copy of the scenario and of <lab_dir>/data,
 * and fills r's paths. Returns 0, or -1 (errno says why). */
int grade_prepare(grade_run *r, const char *tmp, const char *what, const char *script, const char *lab_dir);

/* Starts `self run script --quiet --out out [--no-faults] [--seed s]` with
 * o's limits, stdout to /dev/null and stderr to err_path. Returns the pid, or -1. */
pid_t grade_spawn(const char *self, const char *script, const char *out, int faults, const grade_opts *o,
                  const char *err_path);

/* Waits for the children (pid < 0: none) and sets each one's exit status,
 * killing those still running after timeout_s seconds of wall-clock time:
 * their status is then 128 + SIGKILL. */
void grade_wait_all(pid_t *pids, int *status, int n, int timeout_s);

/* Sets r->error from a failed run's exit status and the first line of its
 * stderr, naming the scenario as given, not its temporary copy. */
void grade_why_failed(grade_run *r, int status, const char *err_path, int timeout_s);

/* Reads r's results.jsonl and summary.json (missing files read as empty). */
void grade_load_run(grade_run *r);
void grade_run_free(grade_run *r);

/* Compares sub's batches of DStream output `output` (query NULL) or of the
 * query named `query` with sol's, records sorted when unordered; on the
 * first difference writes it (expected vs got) to detail and returns 0. */
int grade_compare_batches(const grade_run *sub, const grade_run *sol, int output, const char *query, int unordered,
                          char *detail, size_t n);

/* How many events of type `name` (engine/trace_events.h) the run recorded. */
long grade_event_count(const grade_run *r, const char *name);

/* Pushes the run as lab.lua's functions see it (labs/README.md): outputs,
 * queries, events, summary and, when collected, check. */
void grade_push_run(lua_State *L, const grade_run *r);

#endif
