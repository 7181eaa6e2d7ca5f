/* sim/world.c — see world.h. */
#include "world.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_sources.h"
#include "lua_stream.h"
#include "ss_host.h"

enum { SIM_EV_TIMER = 1, SIM_EV_MESSAGE = 2, SIM_EV_NARRATION = 3, SIM_EV_FILE = 4, SIM_EV_FAULT = 5, SIM_EV_FAULT_END = 6 };

#define DEFAULT_STORAGE_LATENCY_US 2000

/* ---- the env the engine sees ------------------------------------------ */

static int64_t env_now_us(void *world) { return ((sim_world *)world)->now_us; }

static void world_fail(sim_world *w, const char *why) {
    if (!w->failed) snprintf(w->error, sizeof w->error, "%s", why);
    w->failed = 1;
}

static uint64_t push_event(sim_world *w, int64_t at_us, const sim_event *ev) {
    uint64_t seq = sim_queue_push(&w->queue, at_us, ev);
    if (seq == UINT64_MAX) {
        char why[160];
        snprintf(why, sizeof why, "event queue full (%zu pending events): the run is too large for its bound",
                 w->queue.capacity);
        world_fail(w, why);
        free(ev->data);
    }
    return seq;
}

/* Pending timer ids are sequence numbers, so they arrive in ascending order
 * and append at the end; cancelling or firing removes one. The set holds
 * only live timers: it is bounded by the event queue. */
static size_t pending_find(const sim_world *w, uint64_t id, int *found) {
    size_t lo = 0, hi = w->pending_timer_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->pending_timers[mid] == id) {
            *found = 1;
            return mid;
        }
        if (w->pending_timers[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = 0;
    return lo;
}

/* Removes id from the pending set; returns 1 if it was there. */
static int pending_take(sim_world *w, uint64_t id) {
    int found;
    size_t i = pending_find(w, id, &found);
    if (!found) return 0;
    memmove(&w->pending_timers[i], &w->pending_timers[i + 1],
            (w->pending_timer_count - i - 1) * sizeof *w->pending_timers);
    w->pending_timer_count--;
    return 1;
}

static uint64_t env_set_timer(void *world, eng_node_id node, int64_t at_us, uint32_t tag, uint64_t arg) {
    sim_world *w = world;
    assert(node >= 1 && node <= w->node_count);
    assert(at_us >= w->now_us);
    if (w->pending_timer_count == w->pending_timer_cap) {
        size_t n = w->pending_timer_cap ? w->pending_timer_cap * 2 : 64;
        uint64_t *p = realloc(w->pending_timers, n * sizeof *p);
        if (!p) {
            world_fail(w, "out of memory setting a timer");
            return UINT64_MAX;
        }
        w->pending_timers = p;
        w->pending_timer_cap = n;
    }
    sim_event ev = {.kind = SIM_EV_TIMER, .node = node, .epoch = w->nodes[node].epoch, .tag = tag, .arg = arg};
    uint64_t id = push_event(w, at_us, &ev);
    if (id != UINT64_MAX) {
        assert(w->pending_timer_count == 0 || w->pending_timers[w->pending_timer_count - 1] < id);
        w->pending_timers[w->pending_timer_count++] = id;
    }
    return id;
}

/* Cancelling a timer that already fired, or twice, changes nothing. */
static void env_cancel_timer(void *world, uint64_t timer_id) { pending_take(world, timer_id); }

static void env_trace(void *world, const eng_trace_event *ev) {
    sim_world *w = world;
    if (ev->type == ENG_EV_QUERY_PROGRESS && w->host && ev->text)
        sim_host_ss_progress(w->host, (int)ev->arg[0], w->now_us, ev->text);
    if (sim_trace_append(&w->trace, w->now_us, ev)) {
        char why[160];
        snprintf(why, sizeof why, "trace full (%zu events): the run is too large for its bound",
                 w->trace.max_events);
        world_fail(w, why);
    }
}

void sim_world_emit(sim_world *w, eng_trace_type type, int64_t a0, int64_t a1, int64_t a2, int64_t a3,
                    const char *text) {
    eng_trace_event ev = {type, ENG_NODE_WORLD, {a0, a1, a2, a3}, text};
    env_trace(w, &ev);
}

static int env_send(void *world, eng_node_id src, eng_node_id dst, uint32_t kind, const void *bytes, size_t len) {
    sim_world *w = world;
    assert(src >= 1 && src <= w->node_count && dst >= 1 && dst <= w->node_count);
    int64_t deliver_us;
    int cause = sim_net_route(w->net, src, dst, w->now_us, len, &deliver_us);
    if (!cause && !sim_world_node_up(w, dst)) cause = ENG_CAUSE_NODE_DOWN;
    if (cause) {
        eng_trace_event ev = {ENG_EV_MESSAGE_DROP, src, {dst, kind, cause, 0}, NULL};
        env_trace(w, &ev);
        return cause;
    }
    void *copy = NULL;
    if (len) {
        copy = malloc(len);
        if (!copy) {
            world_fail(w, "out of memory sending a message");
            return ENG_CAUSE_NODE_DOWN;
        }
        memcpy(copy, bytes, len);
    }
    eng_trace_event ev = {ENG_EV_MESSAGE_SEND, src, {dst, kind, (int64_t)len, deliver_us}, NULL};
    env_trace(w, &ev);
    sim_event qe = {.kind = SIM_EV_MESSAGE, .node = dst, .epoch = w->nodes[dst].epoch, .tag = kind,
                    .arg = src, .data = copy, .len = len};
    push_event(w, deliver_us, &qe);
    return 0;
}

static void trace_storage(sim_world *w, eng_trace_type type, eng_node_id node, int64_t a0, int64_t a1,
                          int64_t a2, const char *path) {
    eng_trace_event ev = {type, node, {a0, a1, a2, 0}, path};
    env_trace(w, &ev);
}

/* The latency of a storage operation now: slower under a storage="slow"
 * fault. */
static int64_t storage_latency(const sim_world *w) {
    return w->storage_factor > 1 ? (int64_t)((double)w->storage_latency_us * w->storage_factor) : w->storage_latency_us;
}

static eng_storage_status env_storage_put(void *world, eng_node_id node, const char *path, const void *bytes,
                                          size_t len, int64_t *latency_us) {
    sim_world *w = world;
    eng_storage_status st = w->storage_failing ? ENG_STORAGE_FAILED : sim_storage_put(&w->storage, path, bytes, len);
    *latency_us = storage_latency(w);
    trace_storage(w, ENG_EV_STORAGE_PUT, node, (int64_t)len, *latency_us, st, path);
    return st;
}

static eng_storage_status env_storage_get(void *world, eng_node_id node, const char *path, const void **bytes,
                                          size_t *len, int64_t *latency_us) {
    sim_world *w = world;
    (void)node;
    *latency_us = storage_latency(w);
    if (w->storage_failing) return ENG_STORAGE_FAILED;
    return sim_storage_get(&w->storage, path, bytes, len);
}

static eng_storage_status env_storage_delete(void *world, eng_node_id node, const char *path,
                                             int64_t *latency_us) {
    sim_world *w = world;
    eng_storage_status st = w->storage_failing ? ENG_STORAGE_FAILED : sim_storage_delete(&w->storage, path);
    *latency_us = storage_latency(w);
    trace_storage(w, ENG_EV_STORAGE_DELETE, node, *latency_us, st, 0, path);
    return st;
}

static eng_storage_status env_storage_rename(void *world, eng_node_id node, const char *from, const char *to,
                                             int64_t *latency_us) {
    sim_world *w = world;
    eng_storage_status st = w->storage_failing ? ENG_STORAGE_FAILED : sim_storage_rename(&w->storage, from, to);
    *latency_us = storage_latency(w);
    trace_storage(w, ENG_EV_STORAGE_RENAME, node, *latency_us, st, 0, to);
    return st;
}

static size_t env_storage_list(void *world, const char *prefix, void (*each)(void *ud, const char *path),
                               void *ud) {
    return sim_storage_list(&((sim_world *)world)->storage, prefix, each, ud);
}

static uint64_t env_rng_next(void *world, eng_node_id node) {
    sim_world *w = world;
    assert(node >= 1 && node <= w->node_count);
    return sim_rng_next(&w->nodes[node].rng);
}

/* ---- the host: the scenario's functions, the console, results ----------------- */

static int no_host(char *err, size_t errlen) {
    snprintf(err, errlen, "this world has no scenario to call into");
    return -1;
}

static int env_call(void *world, const eng_fn *fn, const eng_value *args, int nargs, eng_arena *arena,
                    eng_value *out, char *err, size_t errlen) {
    sim_world *w = world;
    return w->host ? sim_host_call(w->host, fn, args, nargs, arena, out, err, errlen) : no_host(err, errlen);
}

static int env_transform(void *world, eng_transform_call *call, char *err, size_t errlen) {
    sim_world *w = world;
    return w->host ? sim_host_transform(w->host, call, err, errlen) : no_host(err, errlen);
}

static int env_call_state(void *world, const eng_fn *fn, const eng_value *key, const eng_value *value, eng_state *st,
                          eng_arena *arena, eng_value *mapped, char *err, size_t errlen) {
    sim_world *w = world;
    return w->host ? sim_host_call_state(w->host, fn, key, value, st, arena, mapped, err, errlen) : no_host(err, errlen);
}

static int env_run_output(void *world, eng_output_call *call, char *err, size_t errlen) {
    sim_world *w = world;
    return w->host ? sim_host_run_output(w->host, call, err, errlen) : no_host(err, errlen);
}

static void env_abandon_output(void *world, void *host_state) {
    sim_world *w = world;
    if (w->host) sim_host_abandon_output(w->host, host_state);
}

static void env_console(void *world, const char *text) {
    sim_world *w = world;
    if (w->host) sim_host_console(w->host, text);
}

static void env_result(void *world, int output, const char *name, int64_t time_us, const eng_value *rows, size_t n) {
    sim_world *w = world;
    if (w->host) sim_host_result(w->host, output, name, time_us, rows, n);
}

static void env_ss_result(void *world, int query, int64_t batch_id, int64_t time_us, const eng_value *rows, size_t n) {
    sim_world *w = world;
    if (w->host) sim_host_ss_result(w->host, query, batch_id, time_us, rows, n);
}

static const eng_env_ops world_env_ops;

static int env_ss_foreach_batch(void *world, int query, const eng_fn *fn, int64_t batch_id, const eng_value *rows,
                                size_t n, int64_t *latency_us, char *err, size_t errlen) {
    sim_world *w = world;
    if (!w->host) return 0;
    sim_ss_env env = {&world_env_ops, w};
    return sim_host_ss_foreach_batch(w->host, &env, query, fn, batch_id, rows, n, latency_us, err, errlen);
}

static void env_fatal(void *world, const char *message) { world_fail(world, message); }

static int env_sink_write(void *world, eng_node_id node, const char *path) {
    sim_world *w = world;
    (void)node, (void)path;
    if (w->sink_failures_left <= 0) return 0;
    w->sink_failures_left--;
    return -1;
}

static double env_slowdown(void *world, eng_node_id node) {
    sim_world *w = world;
    return node <= SIM_WORLD_NODES_MAX && w->slow_factor[node] > 1 ? w->slow_factor[node] : 1.0;
}

/* ---- sources outside the cluster -------------------------------------------------- */

static sim_source *source_of(sim_world *w, int id) {
    if (!w->inputs || id < 0 || id >= w->inputs->sources.count) return NULL;
    return &w->inputs->sources.items[id];
}

static int env_source_partitions(void *world, int source) {
    sim_source *s = source_of(world, source);
    return s ? s->partitions : 0;
}

static int64_t env_source_latest(void *world, int source, int partition, int64_t at_us) {
    sim_world *w = world;
    return w->inputs ? sim_source_latest(&w->inputs->sources, source, partition, at_us) : 0;
}

static int64_t env_source_read(void *world, int source, int partition, int64_t from, int64_t until_us, int64_t max,
                               eng_part *out) {
    sim_world *w = world;
    if (!w->inputs) return from;
    size_t before = out->count;
    int64_t next = sim_source_read(&w->inputs->sources, source, partition, from, until_us, max, out);
    if (w->trace.record_arrivals) {
        /* one event per record whose event time the source knows: read now,
         * at that event time (the event-time panel's dots) */
        for (size_t i = before; i < out->count; i++) {
            int64_t offset = from + (int64_t)(i - before), event_us;
            if (sim_source_event(&w->inputs->sources, source, partition, offset, &event_us)) continue;
            eng_trace_event ev = {ENG_EV_RECORD_ARRIVAL, ENG_NODE_WORLD, {source, event_us, partition, offset}, NULL};
            env_trace(w, &ev);
        }
    }
    return next;
}

static void env_source_commit(void *world, int source, int partition, int64_t offset) {
    sim_source *s = source_of(world, source);
    if (!s || partition < 0 || partition >= s->partitions) return;
    sim_source_part *sp = &s->parts[partition];
    if (!sp->has_committed || offset > sp->committed) sp->committed = offset;
    sp->has_committed = 1;
}

/* -1 while the group has committed nothing for the partition. */
static int64_t env_source_committed(void *world, int source, int partition) {
    sim_source *s = source_of(world, source);
    if (!s || partition < 0 || partition >= s->partitions || !s->parts[partition].has_committed) return -1;
    return s->parts[partition].committed;
}

const eng_env_ops *sim_world_env_ops(void) { return &world_env_ops; }

static const eng_env_ops world_env_ops = {
    .now_us = env_now_us,
    .set_timer = env_set_timer,
    .cancel_timer = env_cancel_timer,
    .send = env_send,
    .storage_put = env_storage_put,
    .storage_get = env_storage_get,
    .storage_delete = env_storage_delete,
    .storage_rename = env_storage_rename,
    .storage_list = env_storage_list,
    .rng_next = env_rng_next,
    .trace = env_trace,
    .call = env_call,
    .console = env_console,
    .result = env_result,
    .fatal = env_fatal,
    .transform = env_transform,
    .call_state = env_call_state,
    .run_output = env_run_output,
    .abandon_output = env_abandon_output,
    .slowdown = env_slowdown,
    .sink_write = env_sink_write,
    .source_partitions = env_source_partitions,
    .source_latest = env_source_latest,
    .source_read = env_source_read,
    .source_commit = env_source_commit,
    .source_committed = env_source_committed,
    .ss_result = env_ss_result,
    .ss_foreach_batch = env_ss_foreach_batch,
};

/* ---- lifecycle ---------------------------------------------------------- */

static void init_node(sim_world *w, uint32_t id, const char *name, const eng_node_ops *ops) {
    sim_node *n = &w->nodes[id];
    snprintf(n->name, sizeof n->name, "%s", name);
    n->ops = ops;
    n->env = (eng_env){.world = w, .node = id, .ops = &world_env_ops};
    sim_rng_init(&n->rng, w->seed, n->name);
}

sim_world *sim_world_new(const sim_world_opts *opts, char *err, size_t errlen) {
    const eng_cluster_conf *c = &opts->cluster;
    if (c->workers < 1 || c->workers > SIM_WORLD_NODES_MAX - 1) {
        snprintf(err, errlen, "workers must be between 1 and %u, got %u", SIM_WORLD_NODES_MAX - 1, c->workers);
        return NULL;
    }
    if (c->cores < 1 || c->cores > 1024) {
        snprintf(err, errlen, "cores must be between 1 and 1024, got %u", c->cores);
        return NULL;
    }
    if (c->batch_interval_us <= 0 || c->block_interval_us <= 0 || c->heartbeat_interval_us <= 0) {
        snprintf(err, errlen, "batch, block and heartbeat intervals must be positive");
        return NULL;
    }
    sim_world *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    w->seed = opts->seed;
    w->cluster = *c;
    w->storage_latency_us = opts->storage_latency_us > 0 ? opts->storage_latency_us : DEFAULT_STORAGE_LATENCY_US;
    w->net = malloc(sizeof *w->net);
    size_t qcap = opts->queue_capacity ? opts->queue_capacity : SIM_WORLD_DEFAULT_QUEUE_CAPACITY;
    if (!w->net || sim_queue_init(&w->queue, qcap) || sim_trace_init(&w->trace, opts->trace_max_events)) {
        snprintf(err, errlen, "out of memory");
        sim_world_free(w);
        return NULL;
    }
    sim_net_init(w->net, w->seed, opts->net_latency_us, opts->net_jitter_us);
    sim_storage_init(&w->storage, 0, 0);
    w->node_count = 1 + c->workers;
    init_node(w, ENG_NODE_DRIVER, "driver", &eng_driver_ops);
    for (uint32_t i = 1; i <= c->workers; i++) {
        char name[32];
        snprintf(name, sizeof name, "worker-%u", i);
        init_node(w, ENG_NODE_DRIVER + i, name, &eng_executor_ops);
    }
    return w;
}

void sim_world_free(sim_world *w) {
    if (!w) return;
    for (uint32_t id = 1; id <= w->node_count; id++)
        if (w->nodes[id].state) w->nodes[id].ops->destroy(w->nodes[id].state);
    int64_t t;
    sim_event ev;
    if (w->queue.heap)
        while (sim_queue_pop(&w->queue, &t, &ev, NULL)) free(ev.data);
    sim_queue_fini(&w->queue);
    sim_trace_fini(&w->trace);
    sim_storage_fini(&w->storage);
    free(w->net);
    free(w->pending_timers);
    free(w);
}

static void node_boot(sim_world *w, uint32_t id) {
    sim_node *n = &w->nodes[id];
    n->epoch++;
    eng_trace_event up = {ENG_EV_NODE_UP, id, {n->epoch, id == ENG_NODE_DRIVER ? 0 : w->cluster.cores, 0, 0},
                          n->name};
    env_trace(w, &up);
    n->state = n->ops->create(&n->env, &w->cluster);
    if (!n->state) world_fail(w, "out of memory creating a node");
}

void sim_world_start(sim_world *w) {
    for (uint32_t id = 1; id <= w->node_count; id++) node_boot(w, id);
}

void sim_world_crash(sim_world *w, uint32_t id, int64_t cause) {
    assert(id >= 1 && id <= w->node_count);
    sim_node *n = &w->nodes[id];
    if (!n->state) return;
    n->ops->destroy(n->state);
    n->state = NULL;
    if (id == ENG_NODE_DRIVER && w->host) sim_host_ss_driver_lost(w->host); /* the memory sinks' tables */
    eng_trace_event down = {ENG_EV_NODE_DOWN, id, {n->epoch, cause, 0, 0}, n->name};
    env_trace(w, &down);
}

void sim_world_restart(sim_world *w, uint32_t id) {
    assert(id >= 1 && id <= w->node_count);
    if (w->nodes[id].state) return;
    node_boot(w, id);
}

/* ---- faults ------------------------------------------------------------------ */

/* A message from the world itself (src 0): what the cluster manager tells
 * the driver, or a fault injected into an executor. */
static void world_message(sim_world *w, uint32_t dst, uint32_t kind, uint32_t value) {
    if (!sim_world_node_up(w, dst)) return;
    uint32_t *copy = malloc(sizeof *copy);
    if (!copy) return;
    *copy = value;
    sim_event ev = {.kind = SIM_EV_MESSAGE, .node = dst, .epoch = w->nodes[dst].epoch, .tag = kind, .arg = 0,
                    .data = copy, .len = sizeof *copy};
    push_event(w, w->now_us + w->net->latency_us, &ev);
}

int sim_world_schedule_faults(sim_world *w) {
    for (int i = 0; w->faults && i < w->faults->count; i++) {
        const sim_fault *f = &w->faults->items[i];
        sim_event ev = {.kind = SIM_EV_FAULT, .arg = (uint64_t)i};
        if (push_event(w, f->at_us, &ev) == UINT64_MAX) return -1;
        if (f->duration_us > 0) {
            sim_event end = {.kind = SIM_EV_FAULT_END, .arg = (uint64_t)i};
            if (push_event(w, f->at_us + f->duration_us, &end) == UINT64_MAX) return -1;
        }
    }
    return 0;
}

static void fault_start(sim_world *w, const sim_fault *f) {
    static const int kinds[] = {[SIM_FAULT_CRASH] = SIM_FAULT_EV_CRASH, [SIM_FAULT_SLOW] = SIM_FAULT_EV_SLOW,
                                [SIM_FAULT_PARTITION] = SIM_FAULT_EV_PARTITION,
                                [SIM_FAULT_CRASH_RECEIVER] = SIM_FAULT_EV_CRASH_RECEIVER,
                                [SIM_FAULT_STORAGE_SLOW] = SIM_FAULT_EV_STORAGE_SLOW,
                                [SIM_FAULT_STORAGE_FAIL] = SIM_FAULT_EV_STORAGE_FAIL,
                                [SIM_FAULT_SINK_FAIL] = SIM_FAULT_EV_SINK_FAIL};
    sim_world_emit(w, ENG_EV_FAULT_INJECTED, kinds[f->kind], f->nnodes ? (int64_t)f->nodes[0] : (int64_t)f->receiver, f->duration_us, 0,
                   f->text);
    switch (f->kind) {
    case SIM_FAULT_CRASH:
        for (int k = 0; k < f->nnodes; k++) {
            if (!sim_world_node_up(w, f->nodes[k])) continue;
            if (f->nodes[k] == ENG_NODE_DRIVER) {
                /* the application dies: its executors exit with their
                 * driver, receivers and cached blocks with them */
                sim_world_crash(w, ENG_NODE_DRIVER, ENG_CAUSE_CRASH);
                for (uint32_t n = ENG_NODE_DRIVER + 1; n <= w->node_count; n++)
                    if (sim_world_node_up(w, n)) {
                        sim_world_crash(w, n, ENG_CAUSE_NODE_DOWN);
                        w->down_with_driver[n] = 1;
                    }
                continue;
            }
            sim_world_crash(w, f->nodes[k], ENG_CAUSE_CRASH);
            /* the executor's connections close: the driver hears at once
             * ("Remote RPC client disassociated") */
            world_message(w, ENG_NODE_DRIVER, ENG_MSG_EXECUTOR_LOST, f->nodes[k]);
        }
        break;
    case SIM_FAULT_SLOW:
        for (int k = 0; k < f->nnodes; k++) w->slow_factor[f->nodes[k]] = f->factor;
        break;
    case SIM_FAULT_PARTITION:
        for (int k = 0; k < f->nnodes; k++) sim_net_partition(w->net, f->nodes[k], f->at_us + f->duration_us);
        break;
    case SIM_FAULT_CRASH_RECEIVER:
        for (uint32_t n = ENG_NODE_DRIVER + 1; n <= w->node_count; n++)
            world_message(w, n, ENG_MSG_RECEIVER_FAILED, (uint32_t)f->receiver);
        break;
    case SIM_FAULT_STORAGE_SLOW:
        w->storage_factor = f->factor;
        break;
    case SIM_FAULT_STORAGE_FAIL:
        w->storage_failing = 1;
        break;
    case SIM_FAULT_SINK_FAIL:
        w->sink_failures_left += f->count;
        break;
    }
}

static void fault_end(sim_world *w, const sim_fault *f) {
    switch (f->kind) {
    case SIM_FAULT_CRASH:
        for (int k = 0; k < f->nnodes; k++) {
            sim_world_emit(w, ENG_EV_FAULT_INJECTED, SIM_FAULT_EV_RESTART, f->nodes[k], 0, 0, "restart");
            sim_world_restart(w, f->nodes[k]);
            if (f->nodes[k] != ENG_NODE_DRIVER) continue;
            /* the driver program runs again and gets new executors */
            for (uint32_t n = ENG_NODE_DRIVER + 1; n <= w->node_count; n++)
                if (w->down_with_driver[n]) {
                    w->down_with_driver[n] = 0;
                    sim_world_restart(w, n);
                }
        }
        break;
    case SIM_FAULT_SLOW:
        for (int k = 0; k < f->nnodes; k++) w->slow_factor[f->nodes[k]] = 1;
        break;
    case SIM_FAULT_PARTITION:
        sim_world_emit(w, ENG_EV_FAULT_INJECTED, SIM_FAULT_EV_HEAL, f->nodes[0], 0, 0, "the network heals");
        break;
    case SIM_FAULT_STORAGE_SLOW:
        w->storage_factor = 1;
        sim_world_emit(w, ENG_EV_FAULT_INJECTED, SIM_FAULT_EV_HEAL, 0, 0, 0, "storage is fast again");
        break;
    case SIM_FAULT_STORAGE_FAIL:
        w->storage_failing = 0;
        sim_world_emit(w, ENG_EV_FAULT_INJECTED, SIM_FAULT_EV_HEAL, 0, 0, 0, "storage works again");
        break;
    }
}

int sim_world_schedule_files(sim_world *w) {
    for (int i = 0; w->inputs && i < w->inputs->nfiles; i++) {
        sim_event ev = {.kind = SIM_EV_FILE, .arg = (uint64_t)i};
        if (push_event(w, w->inputs->files[i].at_us, &ev) == UINT64_MAX) return -1;
    }
    return 0;
}

int sim_world_narrate(sim_world *w, int64_t at_us, const char *text) {
    char *copy = strdup(text);
    if (!copy) return -1;
    sim_event ev = {.kind = SIM_EV_NARRATION, .data = copy, .len = strlen(copy)};
    return push_event(w, at_us, &ev) == UINT64_MAX ? -1 : 0;
}

/* ---- the loop ------------------------------------------------------------ */

static void dispatch(sim_world *w, const sim_event *ev, uint64_t seq) {
    switch (ev->kind) {
    case SIM_EV_TIMER: {
        if (!pending_take(w, seq)) return; /* cancelled */
        sim_node *n = &w->nodes[ev->node];
        if (!n->state || n->epoch != ev->epoch) return; /* the incarnation that set it is gone */
        n->ops->on_timer(n->state, ev->tag, ev->arg);
        return;
    }
    case SIM_EV_MESSAGE: {
        sim_node *n = &w->nodes[ev->node];
        uint32_t src = (uint32_t)ev->arg;
        if (!n->state || n->epoch != ev->epoch) {
            eng_trace_event drop = {ENG_EV_MESSAGE_DROP, src, {ev->node, ev->tag, ENG_CAUSE_NODE_DOWN, 0}, NULL};
            env_trace(w, &drop);
            return;
        }
        eng_trace_event del = {ENG_EV_MESSAGE_DELIVER, ev->node, {src, ev->tag, (int64_t)ev->len, 0}, NULL};
        env_trace(w, &del);
        n->ops->on_message(n->state, src, ev->tag, ev->data, ev->len);
        return;
    }
    case SIM_EV_NARRATION:
        sim_world_emit(w, ENG_EV_NARRATION, 0, 0, 0, 0, ev->data);
        return;
    case SIM_EV_FAULT:
        fault_start(w, &w->faults->items[ev->arg]);
        return;
    case SIM_EV_FAULT_END:
        fault_end(w, &w->faults->items[ev->arg]);
        return;
    case SIM_EV_FILE: {
        const sim_input_file *f = &w->inputs->files[ev->arg];
        eng_storage_status st = sim_storage_put(&w->storage, f->path, f->bytes, f->len);
        trace_storage(w, ENG_EV_STORAGE_PUT, ENG_NODE_WORLD, (int64_t)f->len, 0, st, f->path);
        return;
    }
    default:
        assert(0 && "unknown world event");
    }
}

int sim_world_run(sim_world *w, int64_t until_us) {
    while (!w->failed && sim_queue_size(&w->queue) > 0 && sim_queue_peek_time(&w->queue) <= until_us) {
        int64_t t;
        sim_event ev;
        uint64_t seq;
        sim_queue_pop(&w->queue, &t, &ev, &seq);
        assert(t >= w->now_us);
        w->now_us = t;
        w->events_dispatched++;
        dispatch(w, &ev, seq);
        free(ev.data);
    }
    if (w->failed) return -1;
    if (until_us > w->now_us) w->now_us = until_us;
    return 0;
}
