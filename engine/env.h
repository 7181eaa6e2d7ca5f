/* engine/env.h — the engine's only door to the world.
 *
 * The engine (everything under engine/) is the system under simulation. It has
 * no clock, no I/O, no globals, and never includes a sim/ or viz/ header. It
 * reaches the world through an `eng_env`, handed to each node when the world
 * creates it:
 *   - now:      the simulated time, int64 microseconds;
 *   - timers:   "call me back at t" (delivered to the node's on_timer);
 *   - send:     a message of bytes to another node, delivered to its
 *               on_message after the network model's latency, or dropped
 *               (partition, destination down). Bytes, never pointers: nodes
 *               share nothing, so a crash loses exactly one node's memory;
 *   - storage:  durable storage (checkpoint files, WAL, offset and commit logs,
 *               sink output) that survives node crashes; put is atomic, rename
 *               is atomic, reads see the last completed write;
 *   - rng:      the node's own random stream (derived from the scenario seed
 *               and the node's stable name, so nodes do not perturb each other);
 *   - trace:    emit an event (engine/trace_events.h).
 *
 * Each node is a struct the engine owns (eng_node_ops.create allocates it,
 * destroy frees it). A crash calls destroy: whatever was only in that node's
 * memory is gone, its pending timers are dropped, messages to it are dropped
 * until it restarts, and a restart calls create again, which must recover
 * from durable storage alone.
 */
#ifndef ENG_ENV_H
#define ENG_ENV_H

#include <stddef.h>
#include <stdint.h>

#include "func.h"
#include "part.h"
#include "trace_events.h"

/* Node ids are stable for a run: 0 is the world (never a node), 1 the
 * driver, 2..workers+1 the workers, in order. */
typedef uint32_t eng_node_id;
#define ENG_NODE_WORLD 0u
#define ENG_NODE_DRIVER 1u

/* Status of a storage operation. */
typedef enum eng_storage_status {
    ENG_STORAGE_OK = 0,
    ENG_STORAGE_NOT_FOUND = 1, /* get / delete / rename of a missing path */
    ENG_STORAGE_FAILED = 2,    /* the storage itself failed (an injected fault) */
    ENG_STORAGE_FULL = 3,      /* over the world's storage bound */
} eng_storage_status;

/* The State object a mapWithState function gets (Spark's StateImpl): the
 * key's state going in, and what the function did to it. */
typedef struct eng_state {
    int exists;
    eng_value value;  /* when exists */
    int updated, removed, timing_out;
} eng_state;

/* The host's function of transform / transformWith / ssc:transform: called
 * on the driver when a batch is generated, with the parents' RDDs (opaque
 * eng_rdd pointers, valid during the call) and the batch time. It returns
 * an RDD made through eng_driver_rdd (engine/api.h), or NULL for nil. */
typedef struct eng_transform_call {
    const eng_fn *fn;
    void *driver;
    void *const *parents;
    int nparents;
    int64_t time_us;
    void *result; /* out */
} eng_transform_call;

/* The host's function of foreachRDD: runs on the driver for each batch and
 * may run actions on RDDs (collect, count, ...). An action is a Spark job
 * that takes simulated time, so the function is suspended while it runs:
 * run_output returns 1 with the action asked for, and is called again with
 * its result; 0 when the function has returned. */
typedef struct eng_output_call {
    const eng_fn *fn;
    void *driver;
    void *rdd; /* the batch's RDD */
    int64_t time_us;
    void *host_state; /* the host's, kept between calls; NULL at first */
    /* out, with return 1 */
    void *action_rdd;
    uint32_t action; /* eng_action (engine/plan.h) */
    int64_t take;    /* collect at most this many rows; < 0 = all */
    /* in, when resumed */
    const eng_value *rows;
    size_t nrows;
    int64_t count;
} eng_output_call;

typedef struct eng_env_ops {
    int64_t (*now_us)(void *world);
    /* Schedules on_timer(tag, arg) for `node` at at_us (>= now). Returns an id
     * for cancel_timer. Timers of a node that crashes are dropped. */
    uint64_t (*set_timer)(void *world, eng_node_id node, int64_t at_us, uint32_t tag, uint64_t arg);
    void (*cancel_timer)(void *world, uint64_t timer_id);
    /* Copies len bytes; the world owns the copy until delivery. Returns 0, or
     * the cause (ENG_CAUSE_NODE_DOWN, ENG_CAUSE_PARTITION) when the message
     * cannot leave: a connection to a dead process is refused at once. A
     * message in flight can still be lost later, without a word. */
    int (*send)(void *world, eng_node_id src, eng_node_id dst, uint32_t kind, const void *bytes, size_t len);
    /* Storage ops take effect at once (atomically) and report in *latency_us
     * how long the operation takes in the storage model: a node that needs the
     * write to be durable before it goes on waits that long (a timer). */
    eng_storage_status (*storage_put)(void *world, eng_node_id node, const char *path,
                                      const void *bytes, size_t len, int64_t *latency_us);
    /* *bytes is borrowed: valid until the next storage call. */
    eng_storage_status (*storage_get)(void *world, eng_node_id node, const char *path,
                                      const void **bytes, size_t *len, int64_t *latency_us);
    eng_storage_status (*storage_delete)(void *world, eng_node_id node, const char *path,
                                         int64_t *latency_us);
    eng_storage_status (*storage_rename)(void *world, eng_node_id node, const char *from,
                                         const char *to, int64_t *latency_us);
    /* Calls each(ud, path) for every stored path starting with prefix, in
     * byte-wise lexicographic order. Returns the number of paths. */
    size_t (*storage_list)(void *world, const char *prefix, void (*each)(void *ud, const char *path),
                           void *ud);
    uint64_t (*rng_next)(void *world, eng_node_id node);
    void (*trace)(void *world, const eng_trace_event *ev);
    /* Calls the host's function fn->ref with nargs arguments; the result is
     * built in `arena`. Returns 0, or -1 with "file:line: message" in err.
     * Host functions are code shared by every node, like a job's jar. */
    int (*call)(void *world, const eng_fn *fn, const eng_value *args, int nargs, eng_arena *arena, eng_value *out,
                char *err, size_t errlen);
    /* Text for the console (print() output): the driver's stdout. */
    void (*console)(void *world, const char *text);
    /* One output operation's records for one batch (results.jsonl). */
    void (*result)(void *world, int output, const char *name, int64_t time_us, const eng_value *rows, size_t n);
    /* The job failed for good: the run stops with this message. */
    void (*fatal)(void *world, const char *message);
    /* Host functions that run on the driver (see the call structs above).
     * Each returns -1 with "file:line: message" in err on failure. */
    int (*transform)(void *world, eng_transform_call *call, char *err, size_t errlen);
    /* mapWithState's function f(key, value, state) (value nil when the key is
     * timing out), the state read and changed through *st; the mapped value in
     * *mapped (built in arena, as are updated state values). */
    int (*call_state)(void *world, const eng_fn *fn, const eng_value *key, const eng_value *value, eng_state *st,
                      eng_arena *arena, eng_value *mapped, char *err, size_t errlen);
    int (*run_output)(void *world, eng_output_call *call, char *err, size_t errlen);
    /* The driver gives up a suspended output function (crash, stop). */
    void (*abandon_output)(void *world, void *host_state);
    /* How many times slower this node runs its tasks now (1 = normal): a straggler. */
    double (*slowdown)(void *world, eng_node_id node);
    /* Asks the external system an output writes to (saveAsTextFiles' files)
     * to take a write at path: 0, or -1 when it refuses (an injected sink
     * fault). NULL: it always takes it. */
    int (*sink_write)(void *world, eng_node_id node, const char *path);
    /* External sources, outside the cluster (a socket feeder, a Kafka topic):
     * records by partition and offset (from 0), each with an arrival time.
     * latest: the offset one past the last record arrived by at_us.
     * read: appends to out the records from `from` that arrived by until_us,
     * at most max (< 0: all); returns the next offset.
     * commit / committed: the consumer group's offsets, kept by the source
     * (committed: -1 while the group has committed none for the partition). */
    int (*source_partitions)(void *world, int source);
    int64_t (*source_latest)(void *world, int source, int partition, int64_t at_us);
    int64_t (*source_read)(void *world, int source, int partition, int64_t from, int64_t until_us, int64_t max,
                           eng_part *out);
    void (*source_commit)(void *world, int source, int partition, int64_t offset);
    int64_t (*source_committed)(void *world, int source, int partition);
    /* Structured Streaming (engine/ss_query.c). A sink took batch batch_id of
     * query `query` (rows of the query's output schema, in the sink's order):
     * results.jsonl, and the world's record of what the sink holds. */
    void (*ss_result)(void *world, int query, int64_t batch_id, int64_t time_us, const eng_value *rows, size_t n);
    /* foreachBatch's function f(batch_df, batch_id), on the driver; the
     * time its writes to durable storage take goes into *latency_us.
     * Returns 0, or -1 with "file:line: message" in err. */
    int (*ss_foreach_batch)(void *world, int query, const eng_fn *fn, int64_t batch_id, const eng_value *rows,
                            size_t n, int64_t *latency_us, char *err, size_t errlen);
} eng_env_ops;

/* What a node holds: its world, its own id, the world's operations. The
 * world owns the env; it outlives every incarnation of the node. */
typedef struct eng_env {
    void *world;
    eng_node_id node;
    const eng_env_ops *ops;
} eng_env;

/* What the world calls on a node. create allocates a node (its config is
 * borrowed from the world and outlives the node); destroy frees everything
 * it allocated (crash or end of run). */
typedef struct eng_node_ops {
    const char *role; /* "driver", "executor" */
    void *(*create)(const eng_env *env, const void *config);
    void (*destroy)(void *node);
    void (*on_timer)(void *node, uint32_t tag, uint64_t arg);
    void (*on_message)(void *node, eng_node_id src, uint32_t kind, const void *bytes, size_t len);
} eng_node_ops;

/* Convenience wrappers: the engine calls these, never ops directly. */
static inline int64_t eng_now_us(const eng_env *env) { return env->ops->now_us(env->world); }

static inline uint64_t eng_set_timer(const eng_env *env, int64_t at_us, uint32_t tag, uint64_t arg) {
    return env->ops->set_timer(env->world, env->node, at_us, tag, arg);
}

static inline int eng_send(const eng_env *env, eng_node_id dst, uint32_t kind, const void *bytes, size_t len) {
    return env->ops->send(env->world, env->node, dst, kind, bytes, len);
}

static inline uint64_t eng_rng_next(const eng_env *env) { return env->ops->rng_next(env->world, env->node); }

static inline void eng_emit(const eng_env *env, eng_trace_type type, int64_t a0, int64_t a1, int64_t a2,
                            int64_t a3, const char *text) {
    eng_trace_event ev = {type, env->node, {a0, a1, a2, a3}, text};
    env->ops->trace(env->world, &ev);
}

#endif
