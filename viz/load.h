/* viz/load.h — where the player's trace comes from: a trace file written by
 * `streamlab run --trace`, or a scenario run here (through sim/run.c, with
 * per-record events) whose trace is then read back. Either way the player
 * only ever sees the trace. */
#ifndef VIZ_LOAD_H
#define VIZ_LOAD_H

#include <stddef.h>

#include "../sim/trace.h"

/* Fills t (fresh from sim_trace_init) from `path`: a scenario when it ends in
 * ".lua", else a JSONL trace. Returns 0, or -1 with a message naming the file
 * (and line) in err; a scenario that does not run prints its own message
 * (file:line) on stderr and leaves err empty. */
int viz_load(const char *path, sim_trace *t, char *err, size_t errlen);

#endif
