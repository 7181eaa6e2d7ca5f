/* engine/driver.c — the driver node: executor registry, JobGenerator (one
 * batch per batch interval, RDDs from the program) and JobScheduler
 * (batches one at a time, in order). See driver.h. */
#include "driver.h"

#include "api.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* First batch time strictly after now, on the batch grid (RecurringTimer.getStartTime). */
static int64_t first_batch_time_us(int64_t now_us, int64_t interval_us) {
    return (now_us / interval_us + 1) * interval_us;
}

void eng_driver_fail(eng_driver *d, const char *message) {
    if (d->stopped) return;
    d->stopped = 1;
    d->env->ops->fatal(d->env->world, message);
}

static void *driver_create(const eng_env *env, const void *config) {
    eng_driver *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->env = env;
    d->conf = config;
    d->program = d->conf->program;
    assert(d->conf->batch_interval_us > 0);
    if (d->program && d->program->count) {
        d->queue_pos = calloc((size_t)d->program->count, sizeof *d->queue_pos);
        if (!d->queue_pos) {
            free(d);
            return NULL;
        }
    }
    if (eng_tracker_init(d)) {
        free(d->queue_pos);
        free(d);
        return NULL;
    }
    d->remember_us = d->conf->batch_interval_us;
    if (d->program) d->remember_us = eng_program_remember((eng_program *)d->program, d->conf->batch_interval_us);
    int64_t first_us = first_batch_time_us(eng_now_us(env), d->conf->batch_interval_us);
    d->zero_time_us = first_us - d->conf->batch_interval_us;
    d->last_checkpoint_us = -1;
    if (d->program && d->program->count) d->ckpt = calloc((size_t)d->program->count, sizeof *d->ckpt);
    char err[1024];
    int restored = d->ckpt ? eng_recovery_restore(d, err, sizeof err) : 0;
    if (restored < 0) {
        eng_driver_fail(d, err);
    } else if (restored > 0) {
        /* the grid of the checkpoint; the batches to generate again now */
        int64_t step = d->conf->batch_interval_us, now = eng_now_us(env);
        first_us = d->zero_time_us + ((now - d->zero_time_us) / step + 1) * step;
        eng_set_timer(env, now, ENG_DRIVER_TIMER_RECOVER, 0);
    }
    /* a program of Structured Streaming queries alone has no batch timer */
    if (!d->program || d->program->output_count > 0 || d->program->nqueries == 0)
        eng_set_timer(env, first_us, ENG_DRIVER_TIMER_BATCH, 0);
    if (!d->stopped && eng_ss_start(d, err, sizeof err)) eng_driver_fail(d, err);
    if (d->conf->network_timeout_us > 0)
        eng_set_timer(env, eng_now_us(env) + d->conf->heartbeat_interval_us, ENG_DRIVER_TIMER_EXPIRE, 0);
    if (d->conf->speculation)
        eng_set_timer(env, eng_now_us(env) + ENG_SPECULATION_INTERVAL_US, ENG_DRIVER_TIMER_SPECULATION, 0);
    return d;
}

void eng_batch_free(eng_driver *d, eng_batch *b) {
    if (!b) return;
    for (int i = 0; i < b->njobs; i++) {
        eng_part_fini(&b->jobs[i].collected);
        if (b->jobs[i].host_state) d->env->ops->abandon_output(d->env->world, b->jobs[i].host_state);
    }
    eng_rdd_pool_free(&b->pool);
    free(b->allocated);
    free(b->jobs);
    free(b->generated);
    free(b);
}

static void driver_destroy(void *node) {
    eng_driver *d = node;
    eng_dag_free_job(d);
    eng_ss_fini(d);
    for (int i = 0; i < d->nbatches; i++) eng_batch_free(d, d->batches[i]);
    for (int i = 0; i < d->nhistory; i++) eng_batch_free(d, d->history[i]);
    free(d->history);
    for (int i = 0; i < d->nshuffles; i++) {
        free(d->shuffles[i].map_nodes);
        free(d->shuffles[i].map_bytes);
        free(d->shuffles[i].map_registered_us);
    }
    free(d->shuffles);
    free(d->batches);
    free(d->running);
    free(d->queue_pos);
    for (int i = 0; i < d->nrestored; i++) eng_batch_free(d, d->restored[i]);
    free(d->restored);
    free(d->regen);
    free(d->ckpt);
    eng_tracker_fini(d);
    free(d);
}

/* ---- JobScheduler: one batch at a time, in order ----------------------------- */

void eng_driver_start_next_batch(eng_driver *d) {
    if (d->nbatches == 0 || d->stopped || d->batch_running) return;
    eng_batch *b = d->batches[0];
    d->batch_running = 1;
    b->started_us = eng_now_us(d->env);
    eng_emit(d->env, ENG_EV_BATCH_STARTED, b->time_us, b->started_us - b->submitted_us, 0, 0, NULL);
    eng_outputs_advance(d);
}

static void forget(eng_driver *d, eng_batch *b) {
    eng_dag_cleanup_batch(d, b->time_us);
    eng_tracker_forget(d, b);
    eng_batch_free(d, b);
}

/* Marks the pools of every RDD in r's lineage as reached in this pass. */
static void reach(eng_rdd *r, uint32_t pass) {
    /* bounded by the RDDs held; an explicit stack keeps deep lineages off the C stack */
    eng_rdd *stack[4096];
    int top = 0;
    stack[top++] = r;
    while (top > 0) {
        eng_rdd *x = stack[--top];
        if (!x || x->visited == pass) continue;
        x->visited = pass;
        if (x->pool) x->pool->reached = pass;
        for (int i = 0; i < x->nparents; i++) {
            if (top < (int)(sizeof stack / sizeof stack[0]))
                stack[top++] = x->parents[i];
            else
                reach(x->parents[i], pass); /* rare: recurse with a fresh stack */
        }
    }
}

/* Reaches from a batch's DStream RDDs and the RDDs of its jobs. */
static void reach_batch(eng_driver *d, eng_batch *b, uint32_t pass) {
    for (int k = 0; d->program && k < d->program->count; k++)
        if (b->generated && b->generated[k]) reach(b->generated[k], pass);
    for (int k = 0; k < b->njobs; k++) reach(b->jobs[k].rdd, pass);
}

/* Room for one more batch in the history: 0, or -1 out of memory. */
static int history_room(eng_driver *d) {
    if (d->nhistory < d->history_cap) return 0;
    int n = d->history_cap ? d->history_cap * 2 : 16;
    eng_batch **p = realloc(d->history, (size_t)n * sizeof *p);
    if (!p) return -1;
    d->history = p;
    d->history_cap = n;
    return 0;
}

void eng_driver_remember(eng_driver *d, eng_batch *b) {
    if (history_room(d)) {
        forget(d, b);
        return;
    }
    /* keep time order: a batch with no jobs arrives while older ones still run */
    int i = d->nhistory;
    while (i > 0 && d->history[i - 1]->time_us > b->time_us) {
        d->history[i] = d->history[i - 1];
        i--;
    }
    d->history[i] = b;
    d->nhistory++;
    /* forget what no window or remember duration needs: older than the
     * newest done batch by more than the remember duration, not older than
     * a batch still queued (whose RDDs may reach back), and holding no RDD
     * that a kept batch's lineage still reaches (a checkpoint cuts it) */
    int64_t newest = d->history[d->nhistory - 1]->time_us;
    int64_t oldest_queued = d->nbatches ? d->batches[0]->time_us : INT64_MAX;
    int old = 0;
    while (old < d->nhistory && d->history[old]->time_us <= newest - d->remember_us &&
           d->history[old]->time_us + d->remember_us < oldest_queued)
        old++;
    if (old == 0) return;
    uint32_t pass = ++d->reach_pass;
    for (int i = old; i < d->nhistory; i++) reach_batch(d, d->history[i], pass);
    for (int i = 0; i < d->nbatches; i++) reach_batch(d, d->batches[i], pass);
    int drop = 0;
    while (drop < old && d->history[drop]->pool.reached != pass) drop++;
    for (int k = 0; k < drop; k++) forget(d, d->history[k]);
    memmove(&d->history[0], &d->history[drop], (size_t)(d->nhistory - drop) * sizeof *d->history);
    d->nhistory -= drop;
}

void eng_driver_remember_restored(eng_driver *d, eng_batch *b) {
    if (history_room(d)) {
        eng_batch_free(d, b);
        return;
    }
    d->history[d->nhistory++] = b;
}

void eng_driver_batch_done(eng_driver *d) {
    eng_batch *b = d->batches[0];
    int64_t now = eng_now_us(d->env);
    eng_emit(d->env, ENG_EV_BATCH_DONE, b->time_us, now - b->started_us, now - b->submitted_us, 0, NULL);
    eng_tracker_batch_done(d, b, now - b->started_us, b->started_us - b->submitted_us);
    memmove(&d->batches[0], &d->batches[1], (size_t)(d->nbatches - 1) * sizeof *d->batches);
    d->nbatches--;
    d->batch_running = 0;
    int64_t done_time = b->time_us;
    eng_driver_remember(d, b);
    eng_recovery_write(d, done_time);
    /* what the driver holds after forgetting: bounded on long runs */
    int64_t rdds = 0, blocks = 0;
    for (int i = 0; i < d->nhistory; i++) {
        rdds += d->history[i]->pool.count;
        blocks += d->history[i]->nallocated;
    }
    for (int i = 0; i < d->nbatches; i++) rdds += d->batches[i]->pool.count;
    eng_emit(d->env, ENG_EV_DRIVER_MEMORY, d->nhistory + d->nbatches, rdds, blocks, d->nshuffles, NULL);
    eng_driver_start_next_batch(d);
}

static void driver_on_timer(void *node, uint32_t tag, uint64_t arg) {
    eng_driver *d = node;
    (void)arg;
    if (tag == ENG_DRIVER_TIMER_SCHEDULE) {
        eng_dag_schedule(d); /* a locality wait ran out */
        return;
    }
    if (tag >= ENG_DRIVER_TIMER_SS_TRIGGER && tag <= ENG_DRIVER_TIMER_SS_COMMIT) {
        eng_ss_on_timer(d, tag, (int)arg);
        return;
    }
    if (tag == ENG_DRIVER_TIMER_RECOVER) {
        eng_recovery_regenerate(d);
        return;
    }
    if (tag == ENG_DRIVER_TIMER_SPECULATION) {
        eng_dag_check_speculatable(d);
        eng_set_timer(d->env, eng_now_us(d->env) + ENG_SPECULATION_INTERVAL_US, ENG_DRIVER_TIMER_SPECULATION, 0);
        return;
    }
    if (tag == ENG_DRIVER_TIMER_EXPIRE) {
        eng_driver_expire_dead_executors(d);
        eng_set_timer(d->env, eng_now_us(d->env) + d->conf->heartbeat_interval_us, ENG_DRIVER_TIMER_EXPIRE, 0);
        return;
    }
    if (tag != ENG_DRIVER_TIMER_BATCH) return;
    int64_t t = eng_now_us(d->env);
    assert((t - d->zero_time_us) % d->conf->batch_interval_us == 0);
    /* The next tick is scheduled from the grid, not from now: a late tick
     * never shifts the ones after it. */
    eng_set_timer(d->env, t + d->conf->batch_interval_us, ENG_DRIVER_TIMER_BATCH, 0);
    eng_jobgen_generate(d, t);
}

static void driver_on_message(void *node, eng_node_id src, uint32_t kind, const void *bytes, size_t len) {
    eng_driver *d = node;
    if (src > ENG_DRIVER_EXECUTORS_MAX + 1) return;
    switch (kind) {
    case ENG_MSG_REGISTER_EXECUTOR:
        if (len == sizeof(eng_msg_register)) {
            eng_msg_register m;
            memcpy(&m, bytes, sizeof m);
            d->executor_cores[src] = m.cores;
            d->executor_free[src] = m.cores;
            d->last_heartbeat_us[src] = eng_now_us(d->env);
            eng_emit(d->env, ENG_EV_EXECUTOR_REGISTERED, src, m.cores, 0, 0, NULL);
            eng_send(d->env, src, ENG_MSG_REGISTERED_EXECUTOR, NULL, 0);
            eng_dag_schedule(d); /* the receivers waiting for a core, and pending tasks */
        }
        break;
    case ENG_MSG_HEARTBEAT:
        if (len == sizeof(eng_msg_heartbeat)) {
            d->last_heartbeat_us[src] = eng_now_us(d->env);
            eng_emit(d->env, ENG_EV_HEARTBEAT, src, 0, 0, 0, NULL);
        }
        break;
    case ENG_MSG_EXECUTOR_LOST:
        if (src == ENG_NODE_WORLD && len == sizeof(uint32_t)) {
            uint32_t node;
            memcpy(&node, bytes, sizeof node);
            eng_driver_executor_lost(d, node, "Remote RPC client disassociated");
        }
        break;
    case ENG_MSG_TASK_STATUS:
        eng_dag_on_status(d, src, bytes, len);
        break;
    case ENG_MSG_ADD_BLOCK:
        eng_tracker_on_add_block(d, src, bytes, len);
        break;
    default:
        break;
    }
}

const eng_node_ops eng_driver_ops = {
    .role = "driver",
    .create = driver_create,
    .destroy = driver_destroy,
    .on_timer = driver_on_timer,
    .on_message = driver_on_message,
};

/* ---- the API the host uses inside transform and foreachRDD -------------------- */

eng_rdd *eng_driver_rdd(void *driver, const eng_op *op, eng_rdd *const *parents, int n, const eng_collection *c,
                        char *err, size_t errlen) {
    eng_driver *d = driver;
    if (!d->rdd_home) {
        snprintf(err, errlen, "%s: RDDs can be made only inside transform and foreachRDD", eng_op_name_str(op->name));
        return NULL;
    }
    return eng_rdd_new(&d->rdd_home->pool, &d->ids, op, parents, n, c, err, errlen);
}

int eng_driver_default_parallelism(const void *driver) {
    const eng_driver *d = driver;
    return d->conf->default_parallelism;
}
