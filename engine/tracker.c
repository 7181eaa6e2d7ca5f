/* engine/tracker.c — the driver's side of input streams.
 *
 *   ReceiverTracker: launches each receiver on an executor (spreading them:
 *     the registered executor with the fewest receivers, lowest id first),
 *     holding one of its cores for as long as it runs. A receiver whose
 *     executor is lost runs again as a new job on a live executor chosen as
 *     ReceiverSchedulingPolicy.rescheduleReceiver does, as soon as one of
 *     those has a free core (the next that frees up), after the tasks of
 *     the jobs submitted before it (FIFO).
 *   ReceivedBlockTracker: blocks reported by receivers wait, unallocated,
 *     until the next batch time t takes them all (allocateBlocksToBatch); the
 *     stream's RDD at t is a BlockRDD with one partition per block, preferring
 *     the executors that hold it.
 *   Direct streams (KafkaUtils.createDirectStream): at t, one partition per
 *     log partition with the range [current, until), until the latest offset
 *     capped by spark.streaming.kafka.maxRatePerPartition (or backpressure);
 *     current advances when the batch is generated (DirectKafkaInputDStream).
 *   textFileStream: the files of the folder not seen before, one partition
 *     each (FileInputDStream, without its modification-time window).
 *   Backpressure: after each batch, a PIDRateEstimator per stream
 *     (proportional 1, integral 0.2, derivative 0, minRate 100) sets the
 *     rate of its receivers, or of its direct stream's next batches.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "msg.h"

static eng_input_state *state_of(eng_driver *d, int ds) { return &d->inputs[ds]; }

int eng_tracker_init(eng_driver *d) {
    int n = d->program ? d->program->count : 0;
    d->inputs = calloc((size_t)(n ? n : 1), sizeof *d->inputs);
    if (!d->inputs) return -1;
    for (int i = 0; i < n; i++) d->inputs[i].pid_first_run = 1;
    return 0;
}

void eng_tracker_fini(eng_driver *d) {
    int n = d->program ? d->program->count : 0;
    for (int i = 0; d->inputs && i < n; i++) {
        eng_input_state *s = &d->inputs[i];
        free(s->blocks);
        for (int k = 0; k < s->nseen; k++) free(s->seen[k]);
        free(s->seen);
    }
    free(d->inputs);
    d->inputs = NULL;
}

/* ---- receivers ---------------------------------------------------------------------- */

/* Receivers launched (or being launched) on executor n. */
static int receivers_on(eng_driver *d, uint32_t n) {
    int load = 0;
    for (int k = 0; k < d->program->receiver_count; k++)
        if (state_of(d, d->program->receivers[k])->node == n) load++;
    return load;
}

/* A first launch: the registered executor with a free core and the fewest
 * receivers, lowest id first; 0 when none has a free core. */
static uint32_t first_placement(eng_driver *d) {
    uint32_t best = 0;
    int best_load = 1 << 30;
    for (uint32_t n = 2; n < ENG_DRIVER_EXECUTORS_MAX + 2; n++) {
        if (!d->executor_cores[n] || d->executor_free[n] == 0) continue;
        int load = receivers_on(d, n);
        if (load < best_load) {
            best = n;
            best_load = load;
        }
    }
    return best;
}

/* A relaunch (ReceiverSchedulingPolicy.rescheduleReceiver, no preferred
 * location): the live executors that run no receiver, or if every one runs
 * some, those that run the fewest (an active receiver weighs 1 on its
 * executor, an inactive one nothing). The receiver's task prefers them; one
 * that lands elsewhere is refused at registration
 * (ReceiverTrackerEndpoint.registerReceiver checks the same rule) and
 * scheduled again, so it runs on one of them: the lowest id with a free
 * core; 0 while none has one. */
static uint32_t relaunch_placement(eng_driver *d) {
    int min_load = 1 << 30;
    for (uint32_t n = 2; n < ENG_DRIVER_EXECUTORS_MAX + 2; n++) {
        if (!d->executor_cores[n]) continue;
        int load = receivers_on(d, n);
        if (load < min_load) min_load = load;
    }
    for (uint32_t n = 2; n < ENG_DRIVER_EXECUTORS_MAX + 2; n++)
        if (d->executor_cores[n] && d->executor_free[n] > 0 && receivers_on(d, n) == min_load) return n;
    return 0;
}

void eng_tracker_launch_receivers(eng_driver *d, int before_job) {
    const eng_program *p = d->program;
    if (!p || d->stopped) return;
    for (int i = 0; i < p->receiver_count; i++) {
        int ds = p->receivers[i];
        eng_input_state *s = state_of(d, ds);
        if (s->node && d->executor_cores[s->node]) continue;
        if (s->wait_job > before_job) continue; /* that job's tasks come first */
        uint32_t best = s->launched ? relaunch_placement(d) : first_placement(d);
        if (!best) continue; /* no free core where it may run: it takes the next that frees up */
        s->node = best;
        s->launched = 1;
        d->executor_free[best]--; /* the receiver holds a core */
        uint32_t id = (uint32_t)ds;
        eng_send(d->env, best, ENG_MSG_START_RECEIVER, &id, sizeof id);
    }
}

void eng_tracker_receivers_lost(eng_driver *d, uint32_t node) {
    for (int i = 0; d->program && i < d->program->receiver_count; i++) {
        eng_input_state *s = state_of(d, d->program->receivers[i]);
        if (s->node != node) continue;
        s->node = 0;
        s->wait_job = d->next_job_id;
    }
}

void eng_tracker_on_add_block(eng_driver *d, uint32_t src, const void *bytes, size_t len) {
    eng_rbuf r;
    eng_rbuf_init(&r, bytes, len);
    uint32_t ds = eng_rd_u32(&r);
    eng_block_info b = {0};
    b.block = eng_rd_u64(&r);
    b.records = eng_rd_i64(&r);
    uint32_t n = eng_rd_u32(&r);
    if (r.err || !d->program || ds >= (uint32_t)d->program->count || n == 0 || n > ENG_BLOCK_LOCATIONS_MAX) return;
    b.nlocs = (int)n;
    for (uint32_t i = 0; i < n; i++) b.locs[i] = eng_rd_u32(&r);
    b.wal = eng_rd_u8(&r);
    if (r.err) return;
    eng_input_state *s = state_of(d, (int)ds);
    if (s->nblocks == s->blocks_cap) {
        int c = s->blocks_cap ? s->blocks_cap * 2 : 16;
        eng_block_info *p = realloc(s->blocks, (size_t)c * sizeof *p);
        if (!p) return;
        s->blocks = p;
        s->blocks_cap = c;
    }
    s->blocks[s->nblocks++] = b;
    eng_emit(d->env, ENG_EV_BLOCK_REPORTED, ds, (int64_t)(b.block & 0xffffffffffULL), b.records, b.nlocs, NULL);
    (void)src;
}

/* ---- an executor lost ------------------------------------------------------------------ */

/* Drops node from the locations; returns 1 when the block has no copy left. */
static int drop_location(uint32_t *locs, int32_t *nlocs, uint32_t node) {
    int k = 0, had = *nlocs > 0;
    for (int i = 0; i < *nlocs; i++)
        if (locs[i] != node) locs[k++] = locs[i];
    *nlocs = k;
    return had && k == 0;
}

int eng_tracker_node_lost(eng_driver *d, uint32_t node) {
    int lost = 0;
    int nb = d->nhistory + d->nbatches;
    for (int i = 0; d->program && i < d->program->count; i++) {
        eng_input_state *s = state_of(d, i);
        for (int k = 0; k < s->nblocks; k++) {
            int32_t n = s->blocks[k].nlocs;
            if (drop_location(s->blocks[k].locs, &n, node) && !s->blocks[k].wal) {
                lost++;
                eng_emit(d->env, ENG_EV_BLOCK_LOST, i, (int64_t)(s->blocks[k].block & 0xffffffffffULL),
                         s->blocks[k].records, 0, NULL);
            }
            s->blocks[k].nlocs = n;
        }
    }
    /* the blocks allocated to batches: those queued or running, and those of
     * done batches still remembered (their BlockRDDs are removed only when
     * DStream.clearMetadata forgets them, rememberDuration after their time;
     * eng_tracker_forget drops them then) */
    for (int b = 0; b < nb; b++) {
        eng_batch *batch = b < d->nhistory ? d->history[b] : d->batches[b - d->nhistory];
        for (int k = 0; k < batch->nallocated; k++) {
            int32_t n = batch->allocated[k].nlocs;
            if (drop_location(batch->allocated[k].locs, &n, node) && !batch->allocated[k].wal) {
                lost++;
                eng_emit(d->env, ENG_EV_BLOCK_LOST, eng_block_stream(batch->allocated[k].block),
                         (int64_t)(batch->allocated[k].block & 0xffffffffffULL), batch->allocated[k].records, 0, NULL);
            }
            batch->allocated[k].nlocs = n;
        }
        /* the BlockRDDs' splits, so that tasks ask only live holders */
        for (eng_rdd *r = batch->pool.head; r; r = r->next_in_pool) {
            if (r->op.kind != ENG_OP_INPUT || !r->splits) continue;
            for (int p = 0; p < r->num_partitions; p++)
                if (r->splits[p].kind == ENG_IN_BLOCK) drop_location(r->splits[p].locs, &r->splits[p].nlocs, node);
        }
    }
    return lost;
}

/* ---- the input RDDs of a batch -------------------------------------------------------- */

static int add_allocated(eng_batch *b, const eng_block_info *blk) {
    if (b->nallocated == b->allocated_cap) {
        int c = b->allocated_cap ? b->allocated_cap * 2 : 16;
        eng_block_info *p = realloc(b->allocated, (size_t)c * sizeof *p);
        if (!p) return -1;
        b->allocated = p;
        b->allocated_cap = c;
    }
    b->allocated[b->nallocated++] = *blk;
    return 0;
}

static eng_rdd *receiver_rdd(eng_driver *d, eng_batch *b, const eng_dstream *ds, int64_t *records) {
    eng_input_state *s = state_of(d, ds->id);
    int n = 0;
    eng_input_split *splits = calloc((size_t)(s->nblocks ? s->nblocks : 1), sizeof *splits);
    if (!splits) return NULL;
    for (int k = 0; k < s->nblocks; k++) {
        eng_block_info *blk = &s->blocks[k];
        /* a block the block manager master no longer knows is left out
         * (ReceiverInputDStream.createBlockRDD: "Some blocks could not be
         * recovered as they were not found in memory"): its block_lost was
         * recorded when its last copy went */
        if (blk->nlocs == 0 && !blk->wal) continue;
        int i = n++;
        splits[i] = (eng_input_split){.kind = ENG_IN_BLOCK, .block = blk->block, .stream = ds->id, .nlocs = blk->nlocs,
                                      .records = blk->records};
        memcpy(splits[i].locs, blk->locs, sizeof blk->locs);
        /* WriteAheadLogBackedBlockRDD: with no copy in memory, read the log */
        if (blk->wal)
            eng_program_wal_path(d->program, ds->id, blk->block, splits[i].path, sizeof splits[i].path);
        *records += blk->records;
        add_allocated(b, blk);
    }
    s->nblocks = 0;
    b->blocks += n;
    eng_rdd *r = eng_rdd_input(&b->pool, &d->ids, ds->op.name, splits, n);
    free(splits);
    return r;
}

static eng_rdd *direct_rdd(eng_driver *d, eng_batch *b, const eng_dstream *ds, int64_t *records) {
    eng_input_state *s = state_of(d, ds->id);
    int parts = d->env->ops->source_partitions(d->env->world, ds->source);
    if (parts > 256) parts = 256;
    if (!s->offsets_init) {
        for (int p = 0; p < parts; p++)
            s->offsets[p] = ds->start_latest ? d->env->ops->source_latest(d->env->world, ds->source, p, b->time_us - d->conf->batch_interval_us) : 0;
        s->offsets_init = 1;
    }
    /* per-partition cap: maxRatePerPartition, or the backpressure rate shared by the partitions */
    int64_t rate = d->conf->kafka_max_rate_per_partition;
    if (d->conf->backpressure && s->rate > 0) {
        int64_t per = (int64_t)ceil((double)s->rate / (parts ? parts : 1));
        if (rate == 0 || per < rate) rate = per;
    }
    eng_input_split splits[256];
    for (int p = 0; p < parts; p++) {
        int64_t until = d->env->ops->source_latest(d->env->world, ds->source, p, b->time_us);
        if (rate > 0) {
            int64_t cap = rate * d->conf->batch_interval_us / 1000000;
            if (cap < 1) cap = 1; /* spark.streaming.kafka.minRatePerPartition */
            if (until > s->offsets[p] + cap) until = s->offsets[p] + cap;
        }
        if (until < s->offsets[p]) until = s->offsets[p];
        splits[p] = (eng_input_split){.kind = ENG_IN_SOURCE, .stream = ds->id, .source = ds->source, .partition = p,
                                      .from = s->offsets[p], .until = until, .records = until - s->offsets[p]};
        *records += until - s->offsets[p];
        s->offsets[p] = until;
    }
    return eng_rdd_input(&b->pool, &d->ids, ds->op.name, splits, parts);
}

typedef struct file_list {
    eng_input_state *s;
    eng_input_split *splits;
    int n, cap;
    size_t dir_len;
} file_list;

static int seen(const eng_input_state *s, const char *path) {
    for (int i = 0; i < s->nseen; i++)
        if (strcmp(s->seen[i], path) == 0) return 1;
    return 0;
}

static void each_file(void *ud, const char *path) {
    file_list *fl = ud;
    const char *name = path + fl->dir_len;
    /* FileInputDStream's default filter: no hidden files, no temporary ones, not in subfolders */
    if (name[0] == '.' || name[0] == '_' || strchr(name, '/') || seen(fl->s, path) || strlen(path) >= 256) return;
    if (fl->n == fl->cap) {
        int c = fl->cap ? fl->cap * 2 : 8;
        eng_input_split *p = realloc(fl->splits, (size_t)c * sizeof *p);
        if (!p) return;
        fl->splits = p;
        fl->cap = c;
    }
    eng_input_split *sp = &fl->splits[fl->n++];
    memset(sp, 0, sizeof *sp);
    sp->kind = ENG_IN_FILE;
    snprintf(sp->path, sizeof sp->path, "%s", path);
}

int eng_tracker_file_taken(eng_input_state *s, const char *path) {
    if (s->nseen == s->seen_cap) {
        int c = s->seen_cap ? s->seen_cap * 2 : 16;
        char **p = realloc(s->seen, (size_t)c * sizeof *p);
        if (!p) return -1;
        s->seen = p;
        s->seen_cap = c;
    }
    if (!(s->seen[s->nseen] = strdup(path))) return -1;
    s->nseen++;
    return 0;
}

static eng_rdd *files_rdd(eng_driver *d, eng_batch *b, const eng_dstream *ds) {
    eng_input_state *s = state_of(d, ds->id);
    char prefix[300];
    snprintf(prefix, sizeof prefix, "%s/", ds->directory);
    file_list fl = {.s = s, .dir_len = strlen(prefix)};
    d->env->ops->storage_list(d->env->world, prefix, each_file, &fl);
    for (int i = 0; i < fl.n; i++)
        if (eng_tracker_file_taken(s, fl.splits[i].path)) break;
    eng_rdd *r = eng_rdd_input(&b->pool, &d->ids, ds->op.name, fl.splits, fl.n);
    free(fl.splits);
    return r;
}

eng_rdd *eng_tracker_rdd(eng_driver *d, eng_batch *b, const eng_dstream *ds) {
    int64_t records = 0;
    eng_rdd *r = NULL;
    switch (ds->kind) {
    case ENG_DS_RECEIVER:
        r = receiver_rdd(d, b, ds, &records);
        break;
    case ENG_DS_DIRECT:
        r = direct_rdd(d, b, ds, &records);
        break;
    case ENG_DS_FILES:
        r = files_rdd(d, b, ds);
        break;
    default:
        return NULL;
    }
    b->records += records;
    state_of(d, ds->id)->batch_records = records;
    return r;
}

/* ---- after a batch ----------------------------------------------------------------- */

/* PIDRateEstimator.compute; returns the new rate, or -1 for none.
 * Source: PIDRateEstimator.scala. */
static double pid_compute(eng_input_state *s, int64_t time_ms, int64_t elements, int64_t processing_ms,
                          int64_t scheduling_ms, int64_t batch_ms) {
    const double proportional = 1.0, integral = 0.2, derivative = 0.0, min_rate = 100.0;
    if (!(time_ms > s->pid_latest_time && elements > 0 && processing_ms > 0)) return -1;
    double delay_since_update = (double)(time_ms - s->pid_latest_time) / 1000.0;
    double processing_rate = (double)elements / (double)processing_ms * 1000.0;
    double error = s->pid_latest_rate - processing_rate;
    double historical_error = (double)scheduling_ms * processing_rate / (double)batch_ms;
    double d_error = (error - s->pid_latest_error) / delay_since_update;
    double new_rate = s->pid_latest_rate - proportional * error - integral * historical_error - derivative * d_error;
    if (new_rate < min_rate) new_rate = min_rate;
    s->pid_latest_time = time_ms;
    if (s->pid_first_run) {
        s->pid_latest_rate = processing_rate;
        s->pid_latest_error = 0;
        s->pid_first_run = 0;
        return -1;
    }
    s->pid_latest_rate = new_rate;
    s->pid_latest_error = error;
    return new_rate;
}

/* Sends each executor the ids it holds among blocks[0..n) (per block,
 * nlocs locations), as one REMOVE_BLOCKS message. */
static void drop_blocks(eng_driver *d, const uint64_t *ids, const uint32_t *const *locs, const int *nlocs, int n) {
    for (uint32_t node = 2; node < ENG_DRIVER_EXECUTORS_MAX + 2; node++) {
        uint32_t count = 0;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < nlocs[i]; k++) count += locs[i][k] == node;
        if (!count) continue;
        eng_wbuf w;
        eng_wbuf_init(&w);
        eng_wbuf_put_u32(&w, count);
        for (int i = 0; i < n; i++)
            for (int k = 0; k < nlocs[i]; k++)
                if (locs[i][k] == node) eng_wbuf_put_u64(&w, ids[i]);
        eng_send(d->env, node, ENG_MSG_REMOVE_BLOCKS, w.data, w.len);
        eng_wbuf_fini(&w);
    }
}

void eng_tracker_forget(eng_driver *d, eng_batch *b) {
    /* the batch's receiver blocks */
    int n = b->nallocated;
    uint64_t *ids = calloc((size_t)(n ? n : 1), sizeof *ids);
    const uint32_t **locs = calloc((size_t)(n ? n : 1), sizeof *locs);
    int *nlocs = calloc((size_t)(n ? n : 1), sizeof *nlocs);
    if (ids && locs && nlocs) {
        for (int i = 0; i < n; i++) {
            ids[i] = b->allocated[i].block;
            locs[i] = b->allocated[i].locs;
            nlocs[i] = b->allocated[i].nlocs;
        }
        drop_blocks(d, ids, locs, nlocs, n);
    }
    /* and their write-ahead log files (ReceivedBlockHandler.cleanupOldBlocks;
     * a block id carries its stream in its top 16 bits) */
    for (int i = 0; i < n; i++) {
        if (!b->allocated[i].wal) continue;
        char path[512];
        int64_t latency;
        eng_program_wal_path(d->program, eng_block_stream(b->allocated[i].block), b->allocated[i].block, path, sizeof path);
        d->env->ops->storage_delete(d->env->world, d->env->node, path, &latency);
    }
    free(ids);
    free(locs);
    free(nlocs);
    /* cached partitions of its RDDs */
    for (eng_rdd *r = b->pool.head; r; r = r->next_in_pool) {
        if (!r->cached_on) continue;
        for (int p = 0; p < r->num_partitions; p++) {
            if (!r->cached_on[p]) continue;
            uint64_t id = eng_cache_block_id(r->id, p);
            const uint32_t *loc = &r->cached_on[p];
            int one = 1;
            drop_blocks(d, &id, &loc, &one, 1);
        }
    }
}

void eng_tracker_batch_done(eng_driver *d, eng_batch *b, int64_t processing_us, int64_t scheduling_us) {
    if (!d->conf->backpressure || !d->program) return;
    for (int i = 0; i < d->program->count; i++) {
        const eng_dstream *ds = &d->program->dstreams[i];
        if (ds->kind != ENG_DS_RECEIVER && ds->kind != ENG_DS_DIRECT) continue;
        eng_input_state *s = state_of(d, i);
        double rate = pid_compute(s, b->time_us / 1000, s->batch_records, processing_us / 1000, scheduling_us / 1000,
                                  d->conf->batch_interval_us / 1000);
        if (rate < 0) continue;
        s->rate = (int64_t)rate;
        eng_emit(d->env, ENG_EV_RATE_UPDATE, i, s->rate, 0, 0, NULL);
        if (ds->kind == ENG_DS_RECEIVER && s->node) {
            unsigned char msg[sizeof(uint32_t) + sizeof(int64_t)];
            uint32_t id = (uint32_t)i;
            memcpy(msg, &id, sizeof id);
            memcpy(msg + sizeof id, &s->rate, sizeof s->rate);
            eng_send(d->env, s->node, ENG_MSG_RECEIVER_RATE, msg, sizeof msg);
        }
    }
}
