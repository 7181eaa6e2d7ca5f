/* sim/world.h — the simulated world: clock, event queue, nodes, network,
 * durable storage, rng streams and the trace, behind the engine's env.
 *
 * One thread, one queue: sim_world_run pops the earliest (time, sequence)
 * event, advances the clock to it and dispatches it to a node of the engine
 * through its eng_node_ops. Nothing here reads the wall clock or orders by
 * address.
 *
 * Nodes: id 1 is the driver, 2..workers+1 the workers ("worker-1", ...).
 * Each has an incarnation number (epoch); a crash destroys the node's memory
 * and bumps the epoch, so its pending timers and messages in flight to it are
 * dropped when they come due.
 */
#ifndef SIM_WORLD_H
#define SIM_WORLD_H

#include <stdint.h>

#include "../engine/cluster.h"
#include "faults.h"
#include "net.h"
#include "queue.h"
#include "rng.h"
#include "storage.h"
#include "trace.h"

#define SIM_WORLD_NODES_MAX 64u
#define SIM_WORLD_DEFAULT_QUEUE_CAPACITY (1u << 20)

typedef struct sim_node {
    char name[32];        /* "driver", "worker-1", ...: also its rng stream's name */
    const eng_node_ops *ops;
    eng_env env;          /* stable for the run; handed to every incarnation */
    void *state;          /* the engine's node, NULL while down */
    uint32_t epoch;       /* incarnation, from 1 */
    sim_rng rng;
} sim_node;

/* Options, zero = default. */
typedef struct sim_world_opts {
    uint64_t seed;
    eng_cluster_conf cluster;
    size_t queue_capacity;   /* pending events bound */
    size_t trace_max_events; /* trace store bound */
    int64_t net_latency_us;  /* < 0: default (see net.h); set -1 for default */
    int64_t net_jitter_us;
    int64_t storage_latency_us; /* per storage operation; default 2 ms */
} sim_world_opts;

typedef struct sim_world {
    int64_t now_us;
    uint64_t seed;
    eng_cluster_conf cluster;
    sim_queue queue;
    sim_trace trace;
    sim_storage storage;
    sim_net *net;
    int64_t storage_latency_us;
    sim_node nodes[SIM_WORLD_NODES_MAX + 1]; /* index = node id; [0] unused */
    uint32_t node_count;                     /* driver + workers */
    uint64_t *pending_timers;                /* ids of timers set and not yet due nor cancelled, ascending */
    size_t pending_timer_count, pending_timer_cap;
    struct sim_host *host;                   /* the scenario's Lua side; NULL in kernel-only tests */
    struct sim_scenario_inputs *inputs;      /* sources and files from outside; NULL = none */
    const sim_fault_plan *faults;            /* NULL = none */
    double slow_factor[SIM_WORLD_NODES_MAX + 1];
    double storage_factor;   /* a storage="slow" fault: latency x factor (0 or 1: none) */
    int storage_failing;     /* a storage="fail" fault is on */
    int sink_failures_left;  /* a sink="fail" fault: output writes still to fail */
    uint8_t down_with_driver[SIM_WORLD_NODES_MAX + 1]; /* executors a driver crash took down */
    char error[2048];                        /* set when the run had to stop */
    int failed;
    uint64_t events_dispatched;
} sim_world;

/* Creates the world and its nodes (not yet started). Returns NULL with a
 * message in err when the options are out of bounds or memory is short.
 * The caller frees with sim_world_free. */
sim_world *sim_world_new(const sim_world_opts *opts, char *err, size_t errlen);
void sim_world_free(sim_world *w);

/* Starts every node at the current time: the driver first, then the
 * workers in id order (each node's create runs once). */
void sim_world_start(sim_world *w);

/* Runs events with time <= until_us, then sets the clock to until_us.
 * Returns 0, or -1 when the run had to stop (w->error says why: event queue
 * or trace full). */
int sim_world_run(sim_world *w, int64_t until_us);

/* Schedules the fault plan's faults (w->faults) at their times. */
int sim_world_schedule_faults(sim_world *w);

/* Schedules the inputs' files to appear in durable storage at their times. */
int sim_world_schedule_files(sim_world *w);

/* Schedules a narration line (trace event at at_us, node 0). text is copied. */
int sim_world_narrate(sim_world *w, int64_t at_us, const char *text);

/* Crashes node `id` now: its memory is freed, pending timers and messages to
 * it are dropped. No-op if down. */
void sim_world_crash(sim_world *w, uint32_t id, int64_t cause);
/* Restarts a crashed node now as a new incarnation. No-op if up. */
void sim_world_restart(sim_world *w, uint32_t id);

static inline int sim_world_node_up(const sim_world *w, uint32_t id) { return w->nodes[id].state != NULL; }

/* Emits a world-level event (node 0) at the current time. */
/* The env operations the world gives its nodes (for the host's own use of
 * storage: foreachBatch's writes, what the sinks hold at the end). */
const eng_env_ops *sim_world_env_ops(void);
void sim_world_emit(sim_world *w, eng_trace_type type, int64_t a0, int64_t a1, int64_t a2, int64_t a3,
                    const char *text);

#endif
