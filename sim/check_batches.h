/* sim/check_batches.h — which batch of a Structured Streaming query wrote a
 * row, so that the checker's findings (findings.h) name a batch for a query
 * too. The checker compares what each query's sink holds at the end of the
 * runs (sinks.jsonl); the batches come from the writes each run made,
 * results.jsonl's {"query": name, "batch_id": n, "rows": [...]} lines, in
 * order. A query is known by its name: queries without one, or sharing one,
 * get batch -1 (not known). */
#ifndef SIM_CHECK_BATCHES_H
#define SIM_CHECK_BATCHES_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "findings.h"

/* Every row each query of a run wrote, with its batch id. */
typedef struct sim_query_writes sim_query_writes;

/* Reads dir/sinks.jsonl (the queries' names and key columns) and
 * dir/results.jsonl. Returns the writes (sim_query_writes_free), or NULL when
 * the run left none (its findings then have batch -1). */
sim_query_writes *sim_query_writes_load(const char *dir);
void sim_query_writes_free(sim_query_writes *w);

/* The key of a row as the checker matches keyed rows: a compact JSON object
 * of the key columns (keys, a JSON array of names), sorted by name. */
void sim_check_row_key(json_t *keys, json_t *row, char *buf, size_t n);

/* n copies of row `text` (compact JSON, sorted keys) of query q compared
 * whole (append mode) counted as `kind`, added to f. A lost copy goes to a
 * batch id where the reference wrote the row (first those where the run with
 * faults did not), placed on the run with faults' write of that id (the one
 * that wrote the row, if any: its sink lost it later, as a memory sink does
 * with its driver). A duplicated or unexpected copy goes to the write of the
 * run with faults that delivered it, latest first: a write of a batch id
 * that an earlier write already gave the row (the batch run again), then
 * one whose id the reference never wrote the row in, then the others. A
 * copy no write accounts for (ref or got NULL) gets batch and write -1.
 * Returns 0, or -1 out of memory. */
int sim_check_batches_whole(sim_findings *f, int q, const sim_query_writes *ref, const sim_query_writes *got, int kind,
                            const char *text, int64_t n);

/* One row of a keyed result (update, complete) of query q counted as kind:
 * a lost one (a key the run with faults lacks, or holds a smaller count of)
 * on the batch id where the reference last wrote the key, placed on the run
 * with faults' last write of that id; a duplicated or unexpected one on the
 * run with faults' last write of the key, which left the row in the sink.
 * example: the row shown (compact JSON). Returns 0, or -1 out of memory. */
int sim_check_batches_keyed(sim_findings *f, int q, const sim_query_writes *ref, const sim_query_writes *got, int kind,
                            const char *key, const char *example);

#endif
