/* sim/export.h — `streamlab export --perfetto`: a trace as Chrome / Perfetto
 * trace-event JSON, so a run opens in ui.perfetto.dev or chrome://tracing. */
#ifndef SIM_EXPORT_H
#define SIM_EXPORT_H

#include <stdio.h>

#include "trace.h"

/* Writes `t` to `f` as one JSON object {"traceEvents":[...],
 * "displayTimeUnit":"ms"}, with times in microseconds of simulated time:
 *   - each node is a process (pid = trace node id, named from node_up);
 *   - each task attempt is a complete slice ("ph":"X", "cat":"task") on the
 *     track of the executor core it ran on (tid = 1 + core; a task takes the
 *     lowest free core of its executor when it starts), from task_start (a
 *     speculative copy's too) to its task_end or task_failed, or to its node's
 *     node_down, or to the end of the trace;
 *   - each batch is a slice ("cat":"batch") on the driver's "batches" track
 *     (tid 0) from batch_generated to batch_done (or the end of the trace);
 *   - fault_injected, node_down and node_up are global instant events
 *     ("ph":"i", "cat":"fault").
 * Output is in a fixed order (trace order), so the same trace gives the same
 * bytes. Returns 0, or -1 on a write error or when out of memory. */
int sim_export_perfetto(const sim_trace *t, FILE *f);

#endif
