/* sim/ss_host.h — the host side of Structured Streaming (ss_host.c): what
 * each query's sink took, batch by batch (results.jsonl and expect{}), its
 * progress reports, and foreachBatch's Lua call. */
#ifndef SIM_SS_HOST_H
#define SIM_SS_HOST_H

#include <stdint.h>

#include "lua_stream.h"

/* One batch a sink took: its rows as JSON objects (eng_ss_row_json). */
typedef struct sim_ss_delivery {
    int64_t batch_id, time_us;
    char **rows;
    size_t n;
} sim_ss_delivery;

typedef struct sim_ss_progress {
    int64_t time_us;
    char *json;
} sim_ss_progress;

/* A row the sink holds: its key (the result key's JSON, or the row) and the row. */
typedef struct sim_ss_held {
    char *key, *row;
} sim_ss_held;

typedef struct sim_ss_record {
    sim_ss_held *held; /* console, memory: what an observer of the sink holds now */
    size_t nheld, heldcap;
    char **saved; /* foreachBatch: the folders its batches were saved to */
    size_t nsaved, savedcap;
    sim_ss_delivery *deliveries;
    size_t n, cap;
    sim_ss_progress *progress;
    size_t np, pcap;
} sim_ss_record;

/* The world's storage, for foreachBatch's writes. */
typedef struct sim_ss_env {
    const eng_env_ops *ops;
    void *world;
} sim_ss_env;

/* The engine's ss_result: a line of results.jsonl
 * {"query": name, "batch_id": n, "time_ms": t, "rows": [...]}, recorded. */
void sim_host_ss_result(sim_host *h, int query, int64_t batch_id, int64_t time_us, const eng_value *rows, size_t n);
/* A query_progress event's JSON, recorded. */
void sim_host_ss_progress(sim_host *h, int query, int64_t time_us, const char *json);
/* foreachBatch: calls f(batch_df, batch_id); batch_df has collect() (rows as
 * tables keyed by column name) and count(). */
int sim_host_ss_foreach_batch(sim_host *h, const sim_ss_env *env, int query, const eng_fn *fn, int64_t batch_id,
                              const eng_value *rows, size_t n, int64_t *latency_us, char *err, size_t errlen);
/* The driver crashed: the memory sinks' tables (driver memory) are gone. */
void sim_host_ss_driver_lost(sim_host *h);
/* Writes <dir>/sinks.jsonl: per query, what its sink holds at the end of the
 * run, as the world outside sees it (`streamlab check` compares these):
 *   {"query": i, "name": ..., "sink": ..., "mode": ..., "keys": [...], "rows": [...]}
 * (keys: the columns that key a row of an update or complete result, whose
 * other columns are its value)
 * console and memory: the rows shown / in the table (append: all; update:
 * the last row per key; complete: the last batch); file: the files its
 * _spark_metadata log lists; kv: the stored keys; foreachBatch: the files
 * its batches saved. Returns 0, or -1 when the file cannot be written. */
int sim_host_ss_write_sinks(sim_host *h, const sim_ss_env *env, const char *dir);
void sim_host_ss_fini(sim_host *h);

#endif
