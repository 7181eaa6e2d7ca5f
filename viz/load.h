/* viz/load.h — where the player's trace comes from: a trace file written by
 * `streamlab run --trace`, or a scenario run here (through sim/run.c, with
 * per-record events) whose trace is then read back. Either way the player
 * only ever sees the trace, and the checker's findings as a file would give
 * them. */
#ifndef VIZ_LOAD_H
#define VIZ_LOAD_H

#include <stddef.h>

#include "../sim/trace.h"
#include "findings.h"

/* Fills t (fresh from sim_trace_init) from `path`: a scenario when it ends in
 * ".lua", else a JSONL trace. Returns 0, or -1 with a message naming the file
 * (and line) in err; a scenario that does not run prints its own message
 * (file:line) on stderr and leaves err empty. */
int viz_load(const char *path, sim_trace *t, char *err, size_t errlen);

/* viz_load, and what `streamlab check` finds in it into vf (fresh from
 * viz_findings_init; NULL: not wanted), still to be placed on the model
 * (viz_findings_place):
 *   - a trace: findings.jsonl beside it, when there is one;
 *   - a scenario that injects faults: its run without them (the reference),
 *     by the streamlab program beside this one (build/streamlab beside
 *     build/streamlab-view), compared as `streamlab check` compares.
 * When findings were expected but cannot be had (a corrupt file, one
 * written for another trace, no streamlab program, a failed reference), one
 * line on stderr says why, vf->note too, and the trace loads without them:
 * the trace is what the player is for. Returns as viz_load. */
int viz_load_checked(const char *path, sim_trace *t, viz_findings *vf, char *err, size_t errlen);

#endif
