/* engine/jobgen.c — the driver's JobGenerator: at each batch time t, the
 * RDD of every DStream an output needs, made once and shared by every
 * consumer (DStream.getOrCompute), then one job per output operation
 * (DStreamGraph.generateJobs).
 *
 * A DStream's RDD for a time lives in that time's batch, which stays in the
 * driver's history while a window or a remember duration may ask for it
 * (clearMetadata), so a window at t finds the RDDs of (t - window, t].
 *
 * Windows and state, as Spark builds them:
 *   window(W, S)           the union of the parent's RDDs in (t - W, t]
 *                          (WindowedDStream.compute; the parent is persisted);
 *   reduceByKeyAndWindow(f, fInv, W, S)
 *                          a cogroup of (the window at t - S, the batches that
 *                          left, the batches that entered), merged per key
 *                          (ReducedWindowedDStream.compute);
 *   updateStateByKey(f)    a cogroup of (the batch, the state at t - S), f per
 *                          key; f over the state alone when the parent has no
 *                          RDD (StateDStream.compute).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"

typedef struct gen {
    eng_driver *d;
    char err[1024];
} gen;

eng_batch *eng_driver_batch_at(eng_driver *d, int64_t t) {
    for (int i = d->nbatches - 1; i >= 0; i--)
        if (d->batches[i]->time_us == t) return d->batches[i];
    for (int i = d->nhistory - 1; i >= 0; i--)
        if (d->history[i]->time_us == t) return d->history[i];
    return NULL;
}

static eng_rdd *make_rdd(gen *g, eng_batch *b, const eng_op *op, eng_rdd *const *parents, int n,
                         const eng_collection *c) {
    eng_rdd *r = eng_rdd_new(&b->pool, &g->d->ids, op, parents, n, c, g->err, sizeof g->err);
    if (r) r->time_us = b->time_us;
    return r;
}

static eng_rdd *collection_rdd(gen *g, eng_batch *b, const eng_collection *c, uint32_t name) {
    eng_op op = {.kind = c ? ENG_OP_PARALLEL : ENG_OP_EMPTY, .name = name};
    if (c) b->records += c->records;
    return make_rdd(g, b, &op, NULL, 0, c);
}

/* queueStream: one queued RDD per batch, or all of them unioned; the
 * default RDD (or an empty one) when the queue is empty. Source:
 * QueueInputDStream.compute. */
static eng_rdd *queue_rdd(gen *g, eng_batch *b, const eng_dstream *ds) {
    int *pos = &g->d->queue_pos[ds->id];
    if (*pos >= ds->queue_len) return collection_rdd(g, b, ds->default_rdd, ENG_NAME_QUEUE_STREAM);
    if (ds->one_at_a_time) return collection_rdd(g, b, ds->queue[(*pos)++], ENG_NAME_QUEUE_STREAM);
    eng_rdd *parts[ENG_RDD_PARENTS_MAX];
    int n = 0;
    while (*pos < ds->queue_len && n < ENG_RDD_PARENTS_MAX)
        parts[n++] = collection_rdd(g, b, ds->queue[(*pos)++], ENG_NAME_QUEUE_STREAM);
    eng_op u = {.kind = ENG_OP_UNION, .name = ENG_NAME_UNION};
    return make_rdd(g, b, &u, parts, n, NULL);
}

static eng_rdd *get_or_compute(gen *g, int id, int64_t t);

static int64_t slide_of(const eng_driver *d, const eng_dstream *ds) {
    return ds->slide_us ? ds->slide_us : d->conf->batch_interval_us;
}

static int time_valid(const eng_driver *d, const eng_dstream *ds, int64_t t) {
    return t > d->zero_time_us && (t - d->zero_time_us) % slide_of(d, ds) == 0;
}

/* The parents' RDDs at t; returns the number missing. */
static int parent_rdds(gen *g, const eng_dstream *ds, int64_t t, eng_rdd **out) {
    int missing = 0;
    for (int i = 0; i < ds->nparents; i++) {
        out[i] = get_or_compute(g, ds->parents[i], t);
        if (!out[i]) missing++;
    }
    return missing;
}

static eng_rdd *transform_rdd(gen *g, eng_batch *b, const eng_dstream *ds, eng_rdd **parents) {
    eng_transform_call call = {.fn = &ds->fn, .driver = g->d, .parents = (void *const *)parents,
                               .nparents = ds->nparents, .time_us = b->time_us};
    char err[1024];
    g->d->rdd_home = b;
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

/* The parent's RDDs at its valid times in (from, to], oldest first
 * (DStream.slice); returns how many. */
static int slice(gen *g, int parent, int64_t from, int64_t to, eng_rdd **out, int max) {
    const eng_dstream *p = &g->d->program->dstreams[parent];
    int64_t step = slide_of(g->d, p);
    int n = 0;
    for (int64_t t = from + step; t <= to && !g->err[0]; t += step) {
        if (!time_valid(g->d, p, t)) continue;
        eng_rdd *r = get_or_compute(g, parent, t);
        if (!r) continue;
        if (n >= max) {
            snprintf(g->err, sizeof g->err, "a window of more than %d batches", max);
            return n;
        }
        out[n++] = r;
    }
    return n;
}

/* WindowedDStream.compute: the union of the parent's RDDs in (t - W, t]. */
static eng_rdd *window_rdd(gen *g, eng_batch *b, const eng_dstream *ds, int64_t t) {
    eng_rdd *in[ENG_RDD_PARENTS_MAX];
    int n = slice(g, ds->parents[0], t - ds->window_us, t, in, ENG_RDD_PARENTS_MAX);
    if (g->err[0]) return NULL;
    eng_rdd *r;
    if (n == 0) {
        r = collection_rdd(g, b, NULL, ENG_NAME_WINDOW);
    } else {
        eng_op u = {.kind = ENG_OP_UNION, .name = ENG_NAME_WINDOW, .where = ds->where};
        r = make_rdd(g, b, &u, in, n, NULL);
    }
    if (r) eng_emit(g->d->env, ENG_EV_WINDOW_COMPUTED, ds->id, t, ds->window_us, ds->slide_us, eng_op_name_str(ds->op.name));
    return r;
}

/* The first and last batch times of rdds[0..n), or -1, -1. */
static void time_range(eng_rdd *const *rdds, int n, int64_t *from, int64_t *to) {
    *from = *to = -1;
    for (int i = 0; i < n; i++) {
        if (*from < 0 || rdds[i]->time_us < *from) *from = rdds[i]->time_us;
        if (rdds[i]->time_us > *to) *to = rdds[i]->time_us;
    }
}

/* ReducedWindowedDStream.compute: cogroup (previous window, old batches,
 * new batches) by the stream's partitioner, then merge per key. */
static eng_rdd *reduced_window_rdd(gen *g, eng_batch *b, const eng_dstream *ds, int64_t t) {
    int64_t w = ds->window_us, s = ds->slide_us;
    eng_rdd *all[ENG_RDD_PARENTS_MAX];
    int n = 1;
    eng_rdd *prev = t - s > g->d->zero_time_us ? get_or_compute(g, ds->id, t - s) : NULL;
    if (g->err[0]) return NULL;
    if (!prev) {
        eng_op empty = {.kind = ENG_OP_EMPTY, .name = ENG_NAME_REDUCE_BY_KEY_AND_WINDOW};
        prev = make_rdd(g, b, &empty, NULL, 0, NULL);
        if (!prev) return NULL;
    }
    all[0] = prev;
    int old = slice(g, ds->parents[0], t - s - w, t - w, all + n, ENG_RDD_PARENTS_MAX - n);
    n += old;
    int added = slice(g, ds->parents[0], t - s, t, all + n, ENG_RDD_PARENTS_MAX - n);
    n += added;
    if (g->err[0]) return NULL;
    /* what this slide adds and subtracts, for the trace (the visualiser's windows panel) */
    int64_t add_from, add_to, rm_from, rm_to;
    time_range(all + 1 + old, added, &add_from, &add_to);
    time_range(all + 1, old, &rm_from, &rm_to);
    eng_emit(g->d->env, ENG_EV_WINDOW_COMPUTED, ds->id, t, w, s, eng_op_name_str(ds->op.name));
    eng_emit(g->d->env, ENG_EV_WINDOW_SLIDE, add_from, add_to, rm_from, rm_to, NULL);
    eng_op cg = {.kind = ENG_OP_COGROUP, .name = ENG_NAME_REDUCE_BY_KEY_AND_WINDOW, .num_partitions = ds->num_partitions,
                 .where = ds->where};
    eng_rdd *grouped = make_rdd(g, b, &cg, all, n, NULL);
    if (!grouped) return NULL;
    eng_op merge = {.kind = ENG_OP_WINDOW_MERGE, .name = ENG_NAME_REDUCE_BY_KEY_AND_WINDOW, .fn = ds->fn,
                    .fn2 = ds->inverse, .param = old, .where = ds->where};
    eng_rdd *merged = make_rdd(g, b, &merge, &grouped, 1, NULL);
    if (!merged || !eng_fn_present(&ds->filter)) return merged;
    eng_op keep = {.kind = ENG_OP_FILTER, .name = ENG_NAME_REDUCE_BY_KEY_AND_WINDOW, .fn = ds->filter, .where = ds->where};
    return make_rdd(g, b, &keep, &merged, 1, NULL);
}

/* StateDStream.compute. */
static eng_rdd *state_rdd(gen *g, eng_batch *b, const eng_dstream *ds, int64_t t) {
    eng_rdd *prev = t - ds->slide_us > g->d->zero_time_us ? get_or_compute(g, ds->id, t - ds->slide_us) : NULL;
    if (g->err[0]) return NULL;
    eng_rdd *data = get_or_compute(g, ds->parents[0], t);
    if (g->err[0]) return NULL;
    if (!prev && ds->initial) prev = collection_rdd(g, b, ds->initial, ENG_NAME_UPDATE_STATE_BY_KEY);
    if (!data && !prev) return NULL;
    if (!data) { /* no new data: f over every state with no values */
        eng_op idle = {.kind = ENG_OP_UPDATE_STATE_IDLE, .name = ENG_NAME_UPDATE_STATE_BY_KEY, .fn = ds->fn,
                       .param = ds->with_time, .time_us = t, .where = ds->where};
        return make_rdd(g, b, &idle, &prev, 1, NULL);
    }
    eng_rdd *sides[2] = {data, prev};
    eng_op cg = {.kind = ENG_OP_COGROUP, .name = ENG_NAME_UPDATE_STATE_BY_KEY, .num_partitions = ds->num_partitions,
                 .where = ds->where};
    eng_rdd *grouped = make_rdd(g, b, &cg, sides, prev ? 2 : 1, NULL);
    if (!grouped) return NULL;
    eng_op update = {.kind = ENG_OP_UPDATE_STATE, .name = ENG_NAME_UPDATE_STATE_BY_KEY, .fn = ds->fn,
                     .param = ds->with_time, .time_us = t, .where = ds->where};
    return make_rdd(g, b, &update, &grouped, 1, NULL);
}

/* MapWithStateDStream's internal stream: the previous state rows (or the
 * initial state) and this batch's data, by the spec's partitioner. */
static eng_rdd *map_with_state_rdd(gen *g, eng_batch *b, const eng_dstream *ds, int64_t t) {
    eng_rdd *prev = t - ds->slide_us > g->d->zero_time_us ? get_or_compute(g, ds->id, t - ds->slide_us) : NULL;
    if (g->err[0]) return NULL;
    eng_rdd *data = get_or_compute(g, ds->parents[0], t);
    if (g->err[0]) return NULL;
    eng_op empty = {.kind = ENG_OP_EMPTY, .name = ENG_NAME_MAP_WITH_STATE};
    if (!data && !(data = make_rdd(g, b, &empty, NULL, 0, NULL))) return NULL;
    eng_rdd *state;
    if (prev) {
        eng_op only = {.kind = ENG_OP_FILTER, .name = ENG_NAME_MAP_WITH_STATE, .fn = {.builtin = ENG_FN_IS_STATE_ROW}};
        state = make_rdd(g, b, &only, &prev, 1, NULL);
    } else if (ds->initial) {
        state = collection_rdd(g, b, ds->initial, ENG_NAME_MAP_WITH_STATE); /* rows made (k, {s, 0}) by the API */
    } else {
        state = make_rdd(g, b, &empty, NULL, 0, NULL);
    }
    if (!state) return NULL;
    eng_rdd *sides[2] = {data, state};
    int full_scan = ds->checkpoint_interval_us && (t - g->d->zero_time_us) % ds->checkpoint_interval_us == 0;
    int initial = !prev && ds->initial;
    eng_op op = {.kind = ENG_OP_MAP_WITH_STATE, .name = ENG_NAME_MAP_WITH_STATE, .fn = ds->fn,
                 .num_partitions = ds->num_partitions, .param = full_scan | (initial ? 2 : 0),
                 .timeout_us = ds->timeout_us, .time_us = t, .where = ds->where};
    return make_rdd(g, b, &op, sides, 2, NULL);
}

/* DStream.getOrCompute: each DStream makes its RDD for a time once, shared
 * by every consumer. NULL with g->err empty means "no RDD at this time";
 * with g->err set, the batch cannot be generated. */
static eng_rdd *get_or_compute(gen *g, int id, int64_t t) {
    eng_batch *b = eng_driver_batch_at(g->d, t);
    if (!b) return NULL; /* forgotten: older than every remember duration */
    if (b->generated[id]) return b->generated[id];
    const eng_dstream *ds = &g->d->program->dstreams[id];
    if (g->err[0] || !time_valid(g->d, ds, t)) return NULL;
    eng_rdd *parents[ENG_DSTREAM_PARENTS_MAX];
    eng_rdd *r = NULL;
    switch (ds->kind) {
    case ENG_DS_QUEUE:
        r = queue_rdd(g, b, ds);
        break;
    case ENG_DS_CONST:
        r = collection_rdd(g, b, ds->default_rdd, ENG_NAME_PARALLELIZE);
        break;
    case ENG_DS_RECEIVER:
    case ENG_DS_DIRECT:
    case ENG_DS_FILES:
        r = eng_tracker_rdd(g->d, b, ds);
        if (r) r->time_us = t;
        break;
    case ENG_DS_OP:
        if (parent_rdds(g, ds, t, parents)) {
            if (ds->op.kind == ENG_OP_UNION && !g->err[0])
                snprintf(g->err, sizeof g->err, "%s: Could not generate RDD from a parent for unifying at time %lld ms",
                         ds->where, (long long)(t / 1000));
            return NULL;
        }
        r = make_rdd(g, b, &ds->op, parents, ds->nparents, NULL);
        break;
    case ENG_DS_TRANSFORM:
        if (parent_rdds(g, ds, t, parents)) {
            if (!g->err[0])
                snprintf(g->err, sizeof g->err, "%s: Couldn't generate RDD from parent at time %lld ms", ds->where,
                         (long long)(t / 1000));
            return NULL;
        }
        r = transform_rdd(g, b, ds, parents);
        break;
    case ENG_DS_WINDOW:
        r = window_rdd(g, b, ds, t);
        break;
    case ENG_DS_REDUCED_WINDOW:
        r = reduced_window_rdd(g, b, ds, t);
        break;
    case ENG_DS_STATE:
        r = state_rdd(g, b, ds, t);
        if (!r && !g->err[0]) return NULL; /* no data and no state yet */
        break;
    case ENG_DS_MAP_WITH_STATE:
        r = map_with_state_rdd(g, b, ds, t);
        break;
    default:
        return NULL;
    }
    if (!r && !g->err[0]) snprintf(g->err, sizeof g->err, "%s: could not make the RDD", ds->where);
    if (r) {
        r->persist |= ds->persist;
        /* a data checkpoint every interval (DStream.getOrCompute: checkpointDuration) */
        if (ds->checkpoint_interval_us && (t - g->d->zero_time_us) % ds->checkpoint_interval_us == 0 && !r->checkpoint) {
            r->checkpoint = 1;
            r->persist = 1;
        }
    }
    b->generated[id] = r;
    return r;
}

static eng_batch *push_batch(eng_driver *d, int64_t t) {
    if (d->nbatches >= ENG_DRIVER_BATCHES_MAX) return NULL;
    if (d->nbatches == d->batches_cap) {
        int n = d->batches_cap ? d->batches_cap * 2 : 16;
        eng_batch **p = realloc(d->batches, (size_t)n * sizeof *p);
        if (!p) return NULL;
        d->batches = p;
        d->batches_cap = n;
    }
    /* a restarted driver's pending batch comes back with its RDDs */
    eng_batch *b = eng_recovery_take(d, t);
    if (!b) b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->time_us = t;
    b->submitted_us = eng_now_us(d->env);
    d->batches[d->nbatches++] = b;
    return b;
}

/* Takes the batch being generated (the last queued) off the queue. */
static eng_batch *pop_last(eng_driver *d) { return d->batches[--d->nbatches]; }

void eng_jobgen_generate(eng_driver *d, int64_t t) {
    const eng_program *p = d->program;
    int njobs = 0;
    int64_t records = 0, blocks = 0;
    if (p && p->output_count > 0 && !d->stopped) {
        eng_batch *b = push_batch(d, t);
        if (!b) {
            eng_driver_fail(d, "out of memory, or too many batches waiting behind a slow one");
            return;
        }
        if (!b->generated) b->generated = calloc((size_t)p->count, sizeof *b->generated);
        b->jobs = calloc((size_t)p->output_count, sizeof *b->jobs);
        if (!b->generated || !b->jobs) {
            eng_batch_free(d, pop_last(d));
            eng_driver_fail(d, "out of memory generating a batch");
            return;
        }
        gen g = {.d = d};
        /* allocateBlocksToBatch: every receiver's blocks go to this batch,
         * whether or not a job reads the stream now */
        for (int i = 0; i < p->receiver_count && !g.err[0]; i++) get_or_compute(&g, p->receivers[i], t);
        for (int i = 0; i < p->output_count && !g.err[0]; i++) {
            const eng_dstream *out = &p->dstreams[p->outputs[i]];
            if (!time_valid(d, out, t)) continue;
            eng_rdd *r = get_or_compute(&g, out->parents[0], t);
            if (r) b->jobs[b->njobs++] = (eng_stream_job){.output = out, .rdd = r};
        }
        if (g.err[0]) {
            eng_batch_free(d, pop_last(d));
            eng_driver_fail(d, g.err);
            return;
        }
        njobs = b->njobs;
        records = b->records;
        blocks = b->blocks;
        if (njobs == 0) {
            /* nothing to run now; its RDDs (and blocks) stay for later windows */
            pop_last(d);
            eng_driver_remember(d, b);
        }
    }
    d->batches_generated++;
    eng_emit(d->env, ENG_EV_BATCH_GENERATED, t, blocks, records, njobs, NULL);
    eng_recovery_write(d, t);
    if (njobs > 0) eng_driver_start_next_batch(d);
}

int eng_driver_slice(void *driver, int ds, int64_t from_us, int64_t to_us, eng_rdd **out, int max, char *err,
                     size_t errlen) {
    eng_driver *d = driver;
    if (!d->program || ds < 0 || ds >= d->program->count) {
        snprintf(err, errlen, "slice: not a stream of this program");
        return -1;
    }
    const eng_dstream *s = &d->program->dstreams[ds];
    int64_t step = slide_of(d, s);
    /* times aligned to the stream's slide, both ends included (DStream.slice) */
    int64_t first = d->zero_time_us + ((from_us - d->zero_time_us + step - 1) / step) * step;
    gen g = {.d = d};
    int n = 0;
    for (int64_t t = first; t <= to_us && n < max; t += step) {
        if (t <= d->zero_time_us) continue;
        eng_rdd *r = get_or_compute(&g, ds, t);
        if (g.err[0]) {
            snprintf(err, errlen, "%s", g.err);
            return -1;
        }
        if (r) out[n++] = r;
    }
    return n;
}
