/* viz/load.c — see load.h. */
#include "load.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../sim/run.h"
#include "../sim/trace_read.h"

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Runs the scenario into a temporary trace file; the run's console output
 * (the scenario's print() blocks) is not the player's: it goes to /dev/null. */
static int run_scenario(const char *path, char *tmp, char *err, size_t errlen) {
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create a temporary trace file %s", tmp);
        return -1;
    }
    close(fd);
    sim_run_opts o = {.scenario_path = path, .trace_path = tmp, .quiet = 1, .trace_records = 1};
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
    return 0; /* an expectation that failed still leaves a trace worth seeing */
}

int viz_load(const char *path, sim_trace *t, char *err, size_t errlen) {
    if (!ends_with(path, ".lua")) return sim_trace_read(path, t, err, errlen);
    char tmp[] = "/tmp/streamlab-view-XXXXXX";
    int rc = run_scenario(path, tmp, err, errlen);
    if (rc == 0) rc = sim_trace_read(tmp, t, err, errlen);
    unlink(tmp);
    return rc;
}
