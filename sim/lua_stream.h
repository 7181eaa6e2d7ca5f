/* sim/lua_stream.h — the DStream API of scenarios, Spark's names verbatim,
 * and the host side of the engine's calls into Lua.
 *
 *   local lines = ssc:queueStream({ sc:parallelize({"a b", "b"}, 2), {"c a"} }, true)
 *   lines:flatMap(function(l) return l:split(" ") end)
 *        :map(function(w) return {w, 1} end)
 *        :reduceByKey(add)          -- or function(a, b) return a + b end
 *        :print()
 *
 * Functions are Lua functions or built-ins (the globals add, sub, min, max,
 * words, pairWithOne, toString), which run natively. Inside transform and
 * foreachRDD an RDD has the same transformations plus the actions collect,
 * count, take, first, isEmpty.
 */
#ifndef SIM_LUA_STREAM_H
#define SIM_LUA_STREAM_H

#include <stdint.h>
#include <stdio.h>

#include "../engine/cluster.h"
#include "../engine/env.h"
#include "../engine/program.h"
#include "lua_sandbox.h"

/* What the host does for the engine: the Lua calls, the console and the
 * results of output operations. */
/* The records one output gave, batch by batch, kept for expect{}. */
typedef struct sim_recorded {
    int wanted;
    eng_part *batches;
    size_t n, cap;
} sim_recorded;

typedef struct sim_host {
    sim_lua *lua;
    const eng_program *program;
    FILE *console; /* print() blocks; NULL = silent */
    FILE *results; /* results.jsonl; NULL = none */
    int results_error;
    sim_recorded *recorded; /* per output index (program->output_count), or NULL */
    struct sim_ss_record *ss; /* per Structured Streaming query (ss_host.c), or NULL */
    int64_t ss_saves;         /* foreachBatch's saved files so far (their names) */
} sim_host;

/* Frees what the host recorded. */
void sim_host_fini(sim_host *h);

/* Registers the DStream API (globals and metatables) in the sandbox, for a
 * program the scenario fills while its script runs. */
void sim_stream_api_open(sim_lua *sl, eng_program *program, const eng_cluster_conf *conf);

/* The engine's host operations, backed by a sim_host (ud). */
int sim_host_call(void *ud, const eng_fn *fn, const eng_value *args, int nargs, eng_arena *arena, eng_value *out,
                  char *err, size_t errlen);
int sim_host_transform(void *ud, eng_transform_call *call, char *err, size_t errlen);
int sim_host_call_state(void *ud, const eng_fn *fn, const eng_value *key, const eng_value *value, eng_state *st,
                        eng_arena *arena, eng_value *mapped, char *err, size_t errlen);
int sim_host_run_output(void *ud, eng_output_call *call, char *err, size_t errlen);
void sim_host_abandon_output(void *ud, void *host_state);
void sim_host_console(void *ud, const char *text);
void sim_host_result(void *ud, int output, const char *name, int64_t time_us, const eng_value *rows, size_t n);

#endif
