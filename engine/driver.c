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
    int64_t first_us = first_batch_time_us(eng_now_us(env), d->conf->batch_interval_us);
    d->zero_time_us = first_us - d->conf->batch_interval_us;
    eng_set_timer(env, first_us, ENG_DRIVER_TIMER_BATCH, 0);
    return d;
}

static void free_batch(eng_driver *d, eng_batch *b) {
    for (int i = 0; i < b->njobs; i++) {
        eng_part_fini(&b->jobs[i].collected);
        if (b->jobs[i].host_state) d->env->ops->abandon_output(d->env->world, b->jobs[i].host_state);
    }
    eng_rdd_pool_free(&b->pool);
    free(b->allocated);
    free(b->jobs);
    free(b->generated);
}

static void driver_destroy(void *node) {
    eng_driver *d = node;
    eng_dag_free_job(d);
    for (int i = 0; i < d->nbatches; i++) free_batch(d, &d->batches[i]);
    for (int i = 0; i < d->nshuffles; i++) {
        free(d->shuffles[i].map_nodes);
        free(d->shuffles[i].map_bytes);
    }
    free(d->shuffles);
    free(d->batches);
    free(d->running);
    free(d->queue_pos);
    eng_tracker_fini(d);
    free(d);
}

/* ---- JobGenerator: the RDDs of a batch -------------------------------------- */

typedef struct gen {
    eng_driver *d;
    eng_batch *b;
    char err[1024];
} gen;

static eng_rdd *make_rdd(gen *g, const eng_op *op, eng_rdd *const *parents, int n, const eng_collection *c) {
    eng_rdd *r = eng_rdd_new(&g->b->pool, &g->d->ids, op, parents, n, c, g->err, sizeof g->err);
    return r;
}

static eng_rdd *collection_rdd(gen *g, const eng_collection *c, uint32_t name) {
    eng_op op = {.kind = c ? ENG_OP_PARALLEL : ENG_OP_EMPTY, .name = name};
    if (c) g->b->records += c->records;
    return make_rdd(g, &op, NULL, 0, c);
}

/* queueStream: one queued RDD per batch, or all of them unioned; the
 * default RDD (or an empty one) when the queue is empty. Source:
 * QueueInputDStream.compute. */
static eng_rdd *queue_rdd(gen *g, const eng_dstream *ds) {
    int *pos = &g->d->queue_pos[ds->id];
    if (*pos >= ds->queue_len) return collection_rdd(g, ds->default_rdd, ENG_NAME_QUEUE_STREAM);
    if (ds->one_at_a_time) return collection_rdd(g, ds->queue[(*pos)++], ENG_NAME_QUEUE_STREAM);
    eng_rdd *parts[ENG_RDD_PARENTS_MAX];
    int n = 0;
    while (*pos < ds->queue_len && n < ENG_RDD_PARENTS_MAX) parts[n++] = collection_rdd(g, ds->queue[(*pos)++], ENG_NAME_QUEUE_STREAM);
    eng_op u = {.kind = ENG_OP_UNION, .name = ENG_NAME_UNION};
    return make_rdd(g, &u, parts, n, NULL);
}

static eng_rdd *get_or_compute(gen *g, int id);

/* The parents' RDDs at this time; returns the number missing. */
static int parent_rdds(gen *g, const eng_dstream *ds, eng_rdd **out) {
    int missing = 0;
    for (int i = 0; i < ds->nparents; i++) {
        out[i] = get_or_compute(g, ds->parents[i]);
        if (!out[i]) missing++;
    }
    return missing;
}

static int time_valid(const eng_driver *d, const eng_dstream *ds, int64_t t) {
    int64_t slide = ds->slide_us ? ds->slide_us : d->conf->batch_interval_us;
    return t > d->zero_time_us && (t - d->zero_time_us) % slide == 0;
}

static eng_rdd *transform_rdd(gen *g, const eng_dstream *ds, eng_rdd **parents) {
    eng_transform_call call = {.fn = &ds->fn, .driver = g->d, .parents = (void *const *)parents,
                               .nparents = ds->nparents, .time_us = g->b->time_us};
    char err[1024];
    g->d->rdd_home = g->b;
    int rc = g->d->env->ops->transform(g->d->env->world, &call, err, sizeof err);
    g->d->rdd_home = NULL;
    if (rc) {
        snprintf(g->err, sizeof g->err, "%s", err);
        return NULL;
    }
    if (!call.result) {
        snprintf(g->err, sizeof g->err,
                 "%s: Transform function must not return null. Return SparkContext.emptyRDD() instead to represent "
                 "no element as the result of transformation.",
                 ds->where);
        return NULL;
    }
    return call.result;
}

/* DStream.getOrCompute: each DStream makes its RDD for a time once, shared
 * by every consumer. NULL with g->err empty means "no RDD at this time";
 * with g->err set, the batch cannot be generated. */
static eng_rdd *get_or_compute(gen *g, int id) {
    eng_batch *b = g->b;
    if (b->generated[id]) return b->generated[id];
    const eng_dstream *ds = &g->d->program->dstreams[id];
    if (g->err[0] || !time_valid(g->d, ds, b->time_us)) return NULL;
    eng_rdd *parents[ENG_DSTREAM_PARENTS_MAX];
    eng_rdd *r = NULL;
    switch (ds->kind) {
    case ENG_DS_QUEUE:
        r = queue_rdd(g, ds);
        break;
    case ENG_DS_CONST:
        r = collection_rdd(g, ds->default_rdd, ENG_NAME_PARALLELIZE);
        break;
    case ENG_DS_RECEIVER:
    case ENG_DS_DIRECT:
    case ENG_DS_FILES:
        r = eng_tracker_rdd(g->d, b, ds);
        break;
    case ENG_DS_OP:
        if (parent_rdds(g, ds, parents)) {
            if (ds->op.kind == ENG_OP_UNION && !g->err[0])
                snprintf(g->err, sizeof g->err, "%s: Could not generate RDD from a parent for unifying at time %lld ms",
                         ds->where, (long long)(b->time_us / 1000));
            return NULL;
        }
        r = make_rdd(g, &ds->op, parents, ds->nparents, NULL);
        break;
    case ENG_DS_TRANSFORM:
        if (parent_rdds(g, ds, parents)) {
            if (!g->err[0])
                snprintf(g->err, sizeof g->err, "%s: Couldn't generate RDD from parent at time %lld ms", ds->where,
                         (long long)(b->time_us / 1000));
            return NULL;
        }
        r = transform_rdd(g, ds, parents);
        break;
    default:
        return NULL;
    }
    if (!r && !g->err[0]) snprintf(g->err, sizeof g->err, "%s: could not make the RDD", ds->where);
    b->generated[id] = r;
    return r;
}

static eng_batch *push_batch(eng_driver *d, int64_t t) {
    if (d->nbatches >= ENG_DRIVER_BATCHES_MAX) return NULL;
    if (d->nbatches == d->batches_cap) {
        int n = d->batches_cap ? d->batches_cap * 2 : 16;
        eng_batch *p = realloc(d->batches, (size_t)n * sizeof *p);
        if (!p) return NULL;
        d->batches = p;
        d->batches_cap = n;
    }
    eng_batch *b = &d->batches[d->nbatches];
    *b = (eng_batch){.time_us = t, .submitted_us = eng_now_us(d->env)};
    return b;
}

static void start_next_batch(eng_driver *d);

/* JobGenerator.generateJobs: the jobs of time t, one per output operation
 * whose parent has an RDD at t, in registration order. */
static void generate_batch(eng_driver *d, int64_t t) {
    const eng_program *p = d->program;
    int njobs = 0;
    int64_t records = 0, blocks = 0;
    if (p && p->output_count > 0 && !d->stopped) {
        eng_batch *b = push_batch(d, t);
        if (!b) {
            eng_driver_fail(d, "out of memory, or too many batches waiting behind a slow one");
            return;
        }
        b->generated = calloc((size_t)p->count, sizeof *b->generated);
        b->jobs = calloc((size_t)p->output_count, sizeof *b->jobs);
        if (!b->generated || !b->jobs) {
            free_batch(d, b);
            eng_driver_fail(d, "out of memory generating a batch");
            return;
        }
        gen g = {.d = d, .b = b};
        /* allocateBlocksToBatch: every receiver's blocks go to this batch,
         * whether or not a job reads the stream now */
        for (int i = 0; i < p->receiver_count && !g.err[0]; i++) get_or_compute(&g, p->receivers[i]);
        for (int i = 0; i < p->output_count && !g.err[0]; i++) {
            const eng_dstream *out = &p->dstreams[p->outputs[i]];
            if (!time_valid(d, out, t)) continue;
            eng_rdd *r = get_or_compute(&g, out->parents[0]);
            if (r) b->jobs[b->njobs++] = (eng_stream_job){.output = out, .rdd = r};
        }
        if (g.err[0]) {
            free_batch(d, b);
            eng_driver_fail(d, g.err);
            return;
        }
        njobs = b->njobs;
        records = b->records;
        blocks = b->blocks;
        if (njobs > 0) {
            d->nbatches++; /* JobScheduler.submitJobSet */
        } else {
            eng_tracker_batch_done(d, b, 0, 0); /* its blocks are dropped at once */
            free_batch(d, b);
        }
    }
    d->batches_generated++;
    eng_emit(d->env, ENG_EV_BATCH_GENERATED, t, blocks, records, njobs, NULL);
    if (njobs > 0 && !d->batch_running) start_next_batch(d);
}

/* ---- JobScheduler: one batch at a time, in order ----------------------------- */

static void start_next_batch(eng_driver *d) {
    if (d->nbatches == 0 || d->stopped) return;
    eng_batch *b = &d->batches[0];
    d->batch_running = 1;
    b->started_us = eng_now_us(d->env);
    eng_emit(d->env, ENG_EV_BATCH_STARTED, b->time_us, b->started_us - b->submitted_us, 0, 0, NULL);
    eng_outputs_advance(d);
}

void eng_driver_batch_done(eng_driver *d) {
    eng_batch *b = &d->batches[0];
    int64_t now = eng_now_us(d->env);
    eng_emit(d->env, ENG_EV_BATCH_DONE, b->time_us, now - b->started_us, now - b->submitted_us, 0, NULL);
    eng_dag_cleanup_batch(d, b->time_us);
    eng_tracker_batch_done(d, b, now - b->started_us, b->started_us - b->submitted_us);
    free_batch(d, b);
    memmove(&d->batches[0], &d->batches[1], (size_t)(d->nbatches - 1) * sizeof *d->batches);
    d->nbatches--;
    d->batch_running = 0;
    start_next_batch(d);
}

static void driver_on_timer(void *node, uint32_t tag, uint64_t arg) {
    eng_driver *d = node;
    (void)arg;
    if (tag == ENG_DRIVER_TIMER_SCHEDULE) {
        eng_dag_schedule(d); /* a locality wait ran out */
        return;
    }
    if (tag != ENG_DRIVER_TIMER_BATCH) return;
    int64_t t = eng_now_us(d->env);
    assert((t - d->zero_time_us) % d->conf->batch_interval_us == 0);
    /* The next tick is scheduled from the grid, not from now: a late tick
     * never shifts the ones after it. */
    eng_set_timer(d->env, t + d->conf->batch_interval_us, ENG_DRIVER_TIMER_BATCH, 0);
    generate_batch(d, t);
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
            eng_emit(d->env, ENG_EV_EXECUTOR_REGISTERED, src, m.cores, 0, 0, NULL);
            eng_send(d->env, src, ENG_MSG_REGISTERED_EXECUTOR, NULL, 0);
            eng_tracker_launch_receivers(d);
            eng_dag_schedule(d);
        }
        break;
    case ENG_MSG_HEARTBEAT:
        if (len == sizeof(eng_msg_heartbeat)) eng_emit(d->env, ENG_EV_HEARTBEAT, src, 0, 0, 0, NULL);
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
