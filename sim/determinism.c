/* sim/determinism.c — `streamlab run --check-determinism`: two runs of the
 * same scenario and seed, each in its own process, must record the same
 * trace. Separate processes matter: address-space layout, allocator state
 * and Lua's per-process string hash seed differ between them, so any order
 * that leaks from an address or a hash shows up as a divergence. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"

/* Runs `self run SCENARIO --quiet --trace trace` with stdout to `out`. Returns the exit status. */
static int run_child(const char *self, const sim_run_opts *o, const char *trace, const char *out) {
    char seed[32];
    const char *argv[16];
    int n = 0;
    argv[n++] = self;
    argv[n++] = "run";
    argv[n++] = o->scenario_path;
    argv[n++] = "--quiet";
    argv[n++] = "--trace";
    argv[n++] = trace;
    if (o->seed_set) {
        snprintf(seed, sizeof seed, "%" PRIu64, o->seed);
        argv[n++] = "--seed";
        argv[n++] = seed;
    }
    if (o->trace_records) argv[n++] = "--trace-records";
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        if (!freopen(out, "w", stdout)) _exit(127);
        execv(self, (char *const *)argv);
        fprintf(stderr, "streamlab: cannot run %s: %s\n", self, strerror(errno));
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

static int read_digest(const char *out, char *digest, size_t n) {
    FILE *f = fopen(out, "r");
    if (!f) return -1;
    char line[512];
    int found = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "trace digest: ", 14) == 0 && sscanf(line + 14, "%16s", digest) == 1 && n > 16) found = 0;
    fclose(f);
    return found;
}

/* Reads one line of any length; returns NULL at end of file. The caller frees. */
static char *read_line(FILE *f) {
    char *line = NULL;
    size_t cap = 0;
    if (getline(&line, &cap, f) < 0) {
        free(line);
        return NULL;
    }
    return line;
}

long sim_trace_diff(const char *a, const char *b, FILE *out) {
    FILE *fa = fopen(a, "r"), *fb = fopen(b, "r");
    if (!fa || !fb) {
        if (fa) fclose(fa);
        if (fb) fclose(fb);
        return -1;
    }
    long diverged = 0;
    for (long line = 1; !diverged; line++) {
        char *la = read_line(fa), *lb = read_line(fb);
        if (!la && !lb) break;
        if (!la || !lb || strcmp(la, lb) != 0) {
            diverged = line;
            /* Line 1 is the header; event k (from 1) is on line k + 1. */
            fprintf(out, "first divergence at trace event %ld (line %ld of the trace):\n  run 1: %s%s  run 2: %s%s",
                    line - 1, line, la ? la : "(end of trace)\n", la && !strchr(la, '\n') ? "\n" : "",
                    lb ? lb : "(end of trace)\n", lb && !strchr(lb, '\n') ? "\n" : "");
        }
        free(la);
        free(lb);
    }
    fclose(fa);
    fclose(fb);
    return diverged;
}

int sim_check_determinism(const char *self, const sim_run_opts *o) {
    char dir_buf[4096];
    const char *dir = o->out_dir;
    if (!dir) {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir_buf, sizeof dir_buf, "%s/streamlab-determinism-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir_buf)) {
            fprintf(stderr, "streamlab: cannot make a temporary folder: %s\n", strerror(errno));
            return SIM_EXIT_USAGE;
        }
        dir = dir_buf;
    }
    char trace[2][4200], out[2][4200], digest[2][32];
    for (int i = 0; i < 2; i++) {
        snprintf(trace[i], sizeof trace[i], "%s/run-%d.trace.jsonl", dir, i + 1);
        snprintf(out[i], sizeof out[i], "%s/run-%d.stdout", dir, i + 1);
        int rc = run_child(self, o, trace[i], out[i]);
        if (rc != 0 && rc != 1) {
            fprintf(stderr, "streamlab: run %d of %s failed (exit %d); see above\n", i + 1, o->scenario_path, rc);
            return SIM_EXIT_USAGE;
        }
        if (read_digest(out[i], digest[i], sizeof digest[i])) {
            fprintf(stderr, "streamlab: run %d printed no digest\n", i + 1);
            return SIM_EXIT_USAGE;
        }
    }
    if (strcmp(digest[0], digest[1]) == 0) {
        printf("deterministic: two runs in separate processes gave trace digest %s\n", digest[0]);
        if (!o->out_dir)
            for (int i = 0; i < 2; i++) remove(trace[i]), remove(out[i]);
        if (!o->out_dir) rmdir(dir);
        return SIM_EXIT_OK;
    }
    printf("NOT deterministic: run 1 gave trace digest %s, run 2 gave %s\n", digest[0], digest[1]);
    if (sim_trace_diff(trace[0], trace[1], stdout) < 0) printf("(the traces could not be reopened)\n");
    printf("traces kept in %s\n", dir);
    return SIM_EXIT_EXPECTATIONS;
}
