/* sim/scenario.h — loading a scenario: run its Lua script in the sandbox
 * and collect what it declares.
 *
 * The contract (../ARCHITECTURE.md, "The shape every scenario has"):
 *   scenario{ name = "...", seed = 7, duration = "20s" }   -- exactly once, first
 *   local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
 *   ... the streaming job ...
 *   narrate{ at = "5s", text = "..." }                       -- any number
 *   expect{ events = { batch_generated = 10 } }              -- any number
 *   ssc:start()
 *   ssc:awaitTerminationOrTimeout("10s")
 *
 * The script runs to its end first (declaring the job, as a Spark driver
 * program does before ssc.start() blocks); the world then runs for the
 * scenario's duration, or until the awaitTermination timeout if sooner.
 */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <stdint.h>

#include "../engine/cluster.h"
#include "../engine/program.h"
#include "lua_sandbox.h"
#include "lua_faults.h"
#include "lua_sources.h"

#define SIM_SCENARIO_NARRATIONS_MAX 4096
#define SIM_SCENARIO_EXPECTS_MAX 1024

typedef struct sim_narration {
    int64_t at_us;
    char *text; /* owned */
} sim_narration;

/* expect{ events = { <event name> = <count> } }: the run must record exactly
 * that many events of that type.
 * expect{ output = i, batches = { {...}, {...} }, unordered = true }: output
 * operation i (0-based, in registration order) must give, in the k-th batch
 * it ran in, exactly the records of batches[k] (in order, or as a multiset
 * when unordered). */
/* EVENTS: event_type happens count times; OUTPUT: output's batches;
 * RECOVERY: every fault recovers within count microseconds (recovery_max). */
/* QUERY: a Structured Streaming query's sink rows or progress (ss_expect.c):
 * expect{ query = "q", new_rows | last_batch | progress = { {by = "2s", ...}, ... } }. */
typedef enum { SIM_EXPECT_EVENTS = 1, SIM_EXPECT_OUTPUT = 2, SIM_EXPECT_RECOVERY = 3, SIM_EXPECT_QUERY = 4 } sim_expect_kind;

typedef struct sim_expect {
    int kind;
    int event_type;
    int64_t count;
    int output;
    int unordered;
    eng_part *batches; /* count of them, rows in the scenario's expect arena */
    char where[256];   /* file:line of the expect{} */
    char query[64];    /* QUERY: the query's name */
    int ref;           /* QUERY: the expect{} table, in the Lua registry */
} sim_expect;

typedef struct sim_scenario {
    char path[4096];
    /* scenario{} */
    int declared;
    char name[256];
    uint64_t seed;
    int seed_overridden; /* --seed given: scenario{seed=} is ignored */
    int64_t duration_us;
    /* StreamingContext{} */
    int has_context;
    char context_where[256];
    eng_cluster_conf cluster;
    int started;              /* ssc:start() called */
    int64_t await_timeout_us; /* awaitTerminationOrTimeout, -1 = none */
    sim_narration *narrations;
    size_t narration_count;
    sim_expect *expects;
    size_t expect_count;
    eng_arena expect_arena;
    eng_program program; /* the DStream graph the script declared */
    sim_scenario_inputs *inputs; /* what feeds the cluster: netcat{}, kafka{}, files{} */
    sim_fault_plan *faults;      /* faults{} */
    char expect_error[512];      /* expect{ error = "..." }: the script must fail with this message */
    char expect_delivery[300];   /* expect{ delivery = "exactly-once" | ... }, one per output comma-separated, or "" */
    sim_lua *lua; /* kept for the run: jobs call back into the script */
} sim_scenario;

typedef struct sim_scenario_opts {
    int seed_override; /* use `seed` instead of the scenario's own */
    uint64_t seed;
    int64_t lua_instructions_max; /* 0 = default */
    size_t lua_memory_max;        /* 0 = default */
} sim_scenario_opts;

/* Runs the script at path and fills *sc. Returns 0, or -1 with a message of
 * the form "file:line: message" in err (and *sc freed). Free with
 * sim_scenario_fini. */
int sim_scenario_load(sim_scenario *sc, const char *path, const sim_scenario_opts *opts, char *err, size_t errlen);
void sim_scenario_fini(sim_scenario *sc);

/* When the run ends: the duration, or the awaitTermination timeout if sooner. */
int64_t sim_scenario_end_us(const sim_scenario *sc);

#endif
