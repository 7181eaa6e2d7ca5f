/* tests/support/proc.h — run a program as a test would: capture its stdout,
 * stderr and exit status, and never wait forever. */
#ifndef TEST_PROC_H
#define TEST_PROC_H

typedef struct proc_result {
    int code;  /* exit status; 128 + signal if killed (e.g. by the timeout) */
    char *out; /* whole stdout, NUL-terminated; owned */
    char *err; /* whole stderr; owned */
} proc_result;

/* Runs argv (argv[0] is a path) with a time limit in seconds. Returns 0 when
 * it ran (see r->code), -1 if it could not be started. */
int proc_run(const char *const argv[], int timeout_s, proc_result *r);
void proc_result_free(proc_result *r);

/* Path of a program in the build tree: $STREAMLAB_BUILD (default "build")
 * joined with rel, e.g. build_path("asan/streamlab"). Static buffer per call
 * slot (4 slots, round robin). */
const char *build_path(const char *rel);

/* Counts the lines of s that start with prefix. */
int count_lines_starting(const char *s, const char *prefix);

/* Copies the 16 hex digits after "trace digest: " into out (17 bytes). Returns 0, or -1. */
int digest_of(const char *out, char digest[17]);

#endif
