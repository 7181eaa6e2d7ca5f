/* sim/trace_read.h — reads a trace file written by `streamlab run --trace`
 * (JSON Lines, engine/trace_events.h) back into an in-memory sim_trace, for
 * `streamlab export` and the visualiser. */
#ifndef SIM_TRACE_READ_H
#define SIM_TRACE_READ_H

#include <stddef.h>
#include <stdio.h>

#include "trace.h"

/* Reads `path` into `t`, which must be fresh from sim_trace_init (per-record
 * events are kept). The first line must be the header
 * {"trace":"streamlab","schema_version":N} with N = ENG_TRACE_SCHEMA_VERSION;
 * each further line one event object with "t_us", "ev" and "node". Events of
 * a type this build does not know are skipped (the schema's rule for rows
 * appended later), and so are keys it does not know; of two equal keys the
 * last counts; a missing argument reads as 0; blank lines after the header
 * are skipped. The file is read 1 MiB at a time (2 MiB of buffer besides t).
 * Returns 0, or -1 with a message naming the file and line in err (the file
 * cannot be opened or read, is empty, has another schema, a line is longer
 * than 1 MiB, is not a JSON object (jansson's message) or not an event, time
 * goes back, or the trace exceeds t->max_events). */
int sim_trace_read(const char *path, sim_trace *t, char *err, size_t errlen);

/* The same from an open stream (borrowed; not closed); `path` names it in messages. */
int sim_trace_read_file(FILE *f, const char *path, sim_trace *t, char *err, size_t errlen);

#endif
