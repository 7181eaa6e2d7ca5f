/* viz/load.c — see load.h. */
#define _XOPEN_SOURCE 700
#include "load.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../sim/check.h"
#include "../sim/run.h"
#include "../sim/trace_read.h"

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Runs the scenario (into out_dir, with its results, when given; else into
 * the temporary trace file tmp); the run's console output (the scenario's
 * print() blocks) is not the player's: it goes to /dev/null. Returns the
 * run's exit code, or -1 (err says why; empty when the run has said it). */
static int run_scenario(const char *path, char *tmp, const char *out_dir, char *err, size_t errlen) {
    if (!out_dir) {
        int fd = mkstemp(tmp);
        if (fd < 0) {
            snprintf(err, errlen, "cannot create a temporary trace file %s", tmp);
            return -1;
        }
        close(fd);
    }
    sim_run_opts o = {.scenario_path = path, .trace_path = out_dir ? NULL : tmp, .out_dir = out_dir, .quiet = 1,
                      .trace_records = 1};
    fflush(stdout);
    int saved = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY);
    if (saved >= 0 && null >= 0) dup2(null, STDOUT_FILENO);
    int rc = sim_run(&o);
    fflush(stdout);
    if (saved >= 0) {
        dup2(saved, STDOUT_FILENO);
        close(saved);
    }
    if (null >= 0) close(null);
    if (rc == SIM_EXIT_USAGE) { /* the run has said why, naming file:line: nothing to add */
        if (errlen) err[0] = '\0';
        return -1;
    }
    return rc; /* an expectation that failed still leaves a trace worth seeing */
}

/* No findings after all: why, on stderr (one line) and in the panel. */
static void no_findings(viz_findings *vf, const char *why) {
    fprintf(stderr, "streamlab-view: %s; the outputs are shown without the checker's findings\n", why);
    snprintf(vf->note, sizeof vf->note, "%.310s", why);
    sim_findings_fini(&vf->file);
    sim_findings_init(&vf->file);
}

/* findings.jsonl beside the trace at path, if there is one, and only if it
 * was written for this very file (the hash of its bytes). */
static void findings_beside(const char *path, viz_findings *vf) {
    const char *slash = strrchr(path, '/');
    char file[PATH_MAX], err[PATH_MAX + 200];
    snprintf(file, sizeof file, "%.*sfindings.jsonl", slash ? (int)(slash - path + 1) : 0, path);
    int rc = sim_findings_read(file, &vf->file, err, sizeof err);
    if (rc == 1) return; /* none: the outputs as they are */
    snprintf(vf->source, sizeof vf->source, "%.310s", file);
    if (rc < 0) {
        no_findings(vf, err);
        return;
    }
    char hash[17] = "";
    if (vf->file.trace_hash[0] && (sim_findings_file_hash(path, hash) || strcmp(vf->file.trace_hash, hash))) {
        snprintf(err, sizeof err, "%s:1: written for another trace (trace_xxh3 %s; %s has %s)", file, vf->file.trace_hash, path,
                 hash[0] ? hash : "none");
        no_findings(vf, err);
    }
}

/* The streamlab program beside this one (build/streamlab beside
 * build/streamlab-view), into buf; -1 when it is not there. */
static int streamlab_beside(char *buf, size_t n) {
    char self[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0) return -1;
    self[len] = 0;
    char *slash = strrchr(self, '/');
    if (!slash) return -1;
    *slash = 0;
    snprintf(buf, n, "%.4000s/streamlab", self);
    return access(buf, X_OK);
}

/* The scenario's findings: its run without faults (the reference, by the
 * streamlab program, as `streamlab check` runs it) compared with the run in
 * dir/run. */
static void findings_of_scenario(const char *path, const char *dir, int faulty_exit, viz_findings *vf) {
    char prog[PATH_MAX], faulty[PATH_MAX], ref[PATH_MAX], why[PATH_MAX + 200];
    snprintf(faulty, sizeof faulty, "%.4000s/run", dir);
    snprintf(ref, sizeof ref, "%.4000s/reference", dir);
    snprintf(vf->source, sizeof vf->source, "the run of %.280s without its faults", path);
    if (streamlab_beside(prog, sizeof prog)) {
        snprintf(why, sizeof why, "no reference run: %s is not built (make headless)", prog);
        no_findings(vf, why);
        return;
    }
    int rc = sim_check_wait(sim_check_spawn(prog, path, ref, 0, NULL, NULL));
    if (sim_check_run_failed(rc)) {
        snprintf(why, sizeof why, "the reference run of %s (without faults) failed (exit %d)", path, rc);
        no_findings(vf, why);
    } else if (sim_check_findings(ref, faulty, faulty_exit, &vf->file)) {
        snprintf(why, sizeof why, "the runs of %s could not be compared", path);
        no_findings(vf, why);
    }
}

int viz_load_checked(const char *path, sim_trace *t, viz_findings *vf, char *err, size_t errlen) {
    if (!ends_with(path, ".lua")) {
        int rc = sim_trace_read(path, t, err, errlen);
        if (!rc && vf) findings_beside(path, vf);
        return rc;
    }
    if (!vf) {
        char tmp[] = "/tmp/streamlab-view-XXXXXX";
        int rc = run_scenario(path, tmp, NULL, err, errlen);
        if (rc >= 0) rc = sim_trace_read(tmp, t, err, errlen);
        unlink(tmp);
        return rc < 0 ? -1 : 0;
    }
    char dir[] = "/tmp/streamlab-view-XXXXXX", run[64], trace[96];
    if (!mkdtemp(dir)) {
        snprintf(err, errlen, "cannot create a temporary folder %s", dir);
        return -1;
    }
    snprintf(run, sizeof run, "%s/run", dir);
    snprintf(trace, sizeof trace, "%s/trace.jsonl", run);
    int exit = run_scenario(path, NULL, run, err, errlen), rc = exit < 0 ? -1 : sim_trace_read(trace, t, err, errlen);
    /* a run without faults is its own reference: nothing to find */
    if (!rc && t->counts[ENG_EV_FAULT_INJECTED]) findings_of_scenario(path, dir, exit, vf);
    sim_check_remove_tree(dir);
    return rc;
}

int viz_load(const char *path, sim_trace *t, char *err, size_t errlen) { return viz_load_checked(path, t, NULL, err, errlen); }
