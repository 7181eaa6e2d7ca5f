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

typedef struct sim_ss_record {
    sim_ss_delivery *deliveries;
    size_t n, cap;
    sim_ss_progress *progress;
    size_t np, pcap;
} sim_ss_record;

/* The engine's ss_result: a line of results.jsonl
 * {"query": name, "batch_id": n, "time_ms": t, "rows": [...]}, recorded. */
void sim_host_ss_result(sim_host *h, int query, int64_t batch_id, int64_t time_us, const eng_value *rows, size_t n);
/* A query_progress event's JSON, recorded. */
void sim_host_ss_progress(sim_host *h, int query, int64_t time_us, const char *json);
/* foreachBatch: calls f(batch_df, batch_id); batch_df has collect() (rows as
 * tables keyed by column name) and count(). */
int sim_host_ss_foreach_batch(sim_host *h, int query, const eng_fn *fn, int64_t batch_id, const eng_value *rows,
                              size_t n, char *err, size_t errlen);
void sim_host_ss_fini(sim_host *h);

#endif
