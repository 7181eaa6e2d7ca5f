/* engine/recovery.c — metadata checkpoints, and a driver restarted from one
 * (StreamingContext.getOrCreate).
 *
 * With a checkpoint directory, the driver writes a metadata checkpoint to
 * durable storage after each batch is generated and after each batch is
 * done (JobGenerator.doCheckpoint; Checkpoint.scala): the batch grid (zero
 * time), the checkpoint time, the batches generated and not done (pending),
 * each stateful stream's latest data checkpoint (its RDD's files:
 * DStreamCheckpointData.currentCheckpointFiles), and the offset ranges of
 * the direct streams' RDDs the driver still remembers with their next
 * offsets (DirectKafkaInputDStreamCheckpointData). The program (the DStream
 * graph) is the scenario's code, which a restarted driver runs again, as
 * Spark deserializes the graph whose closures come from the same jar.
 *
 * A driver restarted with getOrCreate reads the latest checkpoint, and only
 * it: nothing of the dead driver's memory. It restores the grid, the direct
 * streams' RDDs and offsets, and each stateful stream's RDD from its files;
 * then (JobGenerator.restart) generates again the pending batches, with the
 * offset ranges they had, and the batches of the time it was down, and
 * resumes the timer. Receiver blocks: a pending batch's allocation is in
 * the checkpoint, and read from the write-ahead log; every other block in
 * the log, not in a done batch, goes back to the tracker for the next batch
 * (where Spark replays the ReceivedBlockTracker's own log). Without the
 * write-ahead log, the blocks the dead executors held are gone.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "msg.h"

#define CHECKPOINT_MAGIC 0x4b434c53u /* "SLCK" */

static void checkpoint_path(const eng_driver *d, int64_t time_us, char *buf, size_t n) {
    snprintf(buf, n, "%s/checkpoint-%013" PRId64, d->program->checkpoint_dir, time_us / 1000);
}

void eng_recovery_data_checkpointed(eng_driver *d, const eng_batch *b, const eng_rdd *r, const char *path) {
    if (!d->program || !d->ckpt) return;
    for (int i = 0; i < d->program->count; i++)
        if (b->generated && b->generated[i] == r) {
            d->ckpt[i].time_us = b->time_us;
            d->ckpt[i].partitions = r->num_partitions;
            snprintf(d->ckpt[i].path, sizeof d->ckpt[i].path, "%s", path);
        }
}

/* The RDD of a direct or file stream ds in batch b (its offset ranges or
 * its files: what makes it again), if b holds one. */
static const eng_rdd *direct_rdd_of(const eng_batch *b, int ds) {
    const eng_rdd *r = b->generated ? b->generated[ds] : NULL;
    if (!r || r->op.kind != ENG_OP_INPUT || !r->splits || r->num_partitions > 256) return NULL;
    for (int p = 0; p < r->num_partitions; p++)
        if (r->splits[p].kind != ENG_IN_SOURCE && r->splits[p].kind != ENG_IN_FILE) return NULL;
    return r;
}

static void put_ranges(eng_wbuf *w, const eng_driver *d, const eng_batch *b) {
    const eng_program *p = d->program;
    uint32_t n = 0;
    for (int i = 0; i < p->count; i++) n += direct_rdd_of(b, i) != NULL;
    eng_wbuf_put_i64(w, b->time_us);
    eng_wbuf_put_u32(w, n);
    for (int i = 0; i < p->count; i++) {
        const eng_rdd *r = direct_rdd_of(b, i);
        if (!r) continue;
        eng_wbuf_put_u32(w, (uint32_t)i);
        eng_wbuf_put_u32(w, (uint32_t)r->num_partitions);
        for (int k = 0; k < r->num_partitions; k++) {
            eng_wbuf_put_u32(w, r->splits[k].kind);
            eng_wbuf_put_i64(w, r->splits[k].from);
            eng_wbuf_put_i64(w, r->splits[k].until);
            eng_put_cstr(w, r->splits[k].path);
        }
    }
}

void eng_recovery_write(eng_driver *d, int64_t time_us) {
    const eng_program *p = d->program;
    if (!p || !p->checkpoint_dir || !d->ckpt || d->stopped) return;
    eng_wbuf w;
    eng_wbuf_init(&w);
    eng_wbuf_put_u32(&w, CHECKPOINT_MAGIC);
    eng_wbuf_put_i64(&w, d->zero_time_us);
    eng_wbuf_put_i64(&w, time_us);
    /* ids go on after a restart: a new RDD's checkpoint files never land on
     * a restored one's (Spark puts each context's under its own folder) */
    eng_wbuf_put_u32(&w, d->ids.next_rdd);
    eng_wbuf_put_u32(&w, (uint32_t)d->ids.next_shuffle);
    /* pending: generated, not done */
    eng_wbuf_put_u32(&w, (uint32_t)d->nbatches);
    for (int i = 0; i < d->nbatches; i++) eng_wbuf_put_i64(&w, d->batches[i]->time_us);
    /* data checkpoints */
    uint32_t n = 0;
    for (int i = 0; i < p->count; i++) n += d->ckpt[i].path[0] != 0;
    eng_wbuf_put_u32(&w, n);
    for (int i = 0; i < p->count; i++) {
        if (!d->ckpt[i].path[0]) continue;
        eng_wbuf_put_u32(&w, (uint32_t)i);
        eng_wbuf_put_i64(&w, d->ckpt[i].time_us);
        eng_wbuf_put_u32(&w, (uint32_t)d->ckpt[i].partitions);
        eng_put_cstr(&w, d->ckpt[i].path);
    }
    /* the direct streams' remembered RDDs, oldest first */
    eng_wbuf_put_u32(&w, (uint32_t)(d->nhistory + d->nbatches));
    for (int i = 0; i < d->nhistory; i++) put_ranges(&w, d, d->history[i]);
    for (int i = 0; i < d->nbatches; i++) put_ranges(&w, d, d->batches[i]);
    /* and where they go on */
    uint32_t nd = 0;
    for (int i = 0; i < p->count; i++) nd += p->dstreams[i].kind == ENG_DS_DIRECT && d->inputs[i].offsets_init;
    eng_wbuf_put_u32(&w, nd);
    for (int i = 0; i < p->count; i++) {
        if (p->dstreams[i].kind != ENG_DS_DIRECT || !d->inputs[i].offsets_init) continue;
        eng_wbuf_put_u32(&w, (uint32_t)i);
        for (int k = 0; k < 256; k++) eng_wbuf_put_i64(&w, d->inputs[i].offsets[k]);
    }
    /* the files the file streams have taken (FileInputDStream's
     * batchTimeToSelectedFiles, as one list) */
    uint32_t nf = 0;
    for (int i = 0; i < p->count; i++) nf += p->dstreams[i].kind == ENG_DS_FILES;
    eng_wbuf_put_u32(&w, nf);
    for (int i = 0; i < p->count; i++) {
        if (p->dstreams[i].kind != ENG_DS_FILES) continue;
        eng_wbuf_put_u32(&w, (uint32_t)i);
        eng_wbuf_put_u32(&w, (uint32_t)d->inputs[i].nseen);
        for (int k = 0; k < d->inputs[i].nseen; k++) eng_put_cstr(&w, d->inputs[i].seen[k]);
    }
    /* receiver blocks (ReceivedBlockTracker): those allocated to pending
     * batches, and the ids of those of done batches still remembered (their
     * write-ahead log files are still there but must not run again) */
    for (int i = 0; i < d->nbatches; i++) {
        const eng_batch *b = d->batches[i];
        eng_wbuf_put_u32(&w, (uint32_t)b->nallocated);
        for (int k = 0; k < b->nallocated; k++) {
            eng_wbuf_put_u64(&w, b->allocated[k].block);
            eng_wbuf_put_i64(&w, b->allocated[k].records);
            eng_wbuf_put_u8(&w, (uint8_t)b->allocated[k].wal);
        }
    }
    uint32_t ndone = 0;
    for (int i = 0; i < d->nhistory; i++) ndone += (uint32_t)d->history[i]->nallocated;
    eng_wbuf_put_u32(&w, ndone);
    for (int i = 0; i < d->nhistory; i++)
        for (int k = 0; k < d->history[i]->nallocated; k++) eng_wbuf_put_u64(&w, d->history[i]->allocated[k].block);
    char path[700];
    checkpoint_path(d, time_us, path, sizeof path);
    int64_t latency;
    eng_storage_status st = d->env->ops->storage_put(d->env->world, d->env->node, path, w.data, w.len, &latency);
    eng_wbuf_fini(&w);
    if (st == ENG_STORAGE_OK) {
        /* the one before it is no longer needed (Spark keeps the last 10) */
        if (d->last_checkpoint_us >= 0 && d->last_checkpoint_us != time_us) {
            checkpoint_path(d, d->last_checkpoint_us, path, sizeof path);
            d->env->ops->storage_delete(d->env->world, d->env->node, path, &latency);
        }
        d->last_checkpoint_us = time_us;
    }
}

/* ---- restart ---------------------------------------------------------------------------- */

typedef struct latest {
    const char *prefix;
    size_t prefix_len;
    char best[700];
} latest;

static void each_checkpoint(void *ud, const char *path) {
    latest *l = ud;
    /* checkpoint-<13 digits>: names sort as their times */
    if (strncmp(path, l->prefix, l->prefix_len) != 0 || strlen(path + l->prefix_len) != 13) return;
    if (strcmp(path, l->best) > 0) snprintf(l->best, sizeof l->best, "%s", path);
}

/* The batch at time t among the restored ones, made if new. */
static eng_batch *restored_batch(eng_driver *d, int64_t t) {
    for (int i = 0; i < d->nrestored; i++)
        if (d->restored[i]->time_us == t) return d->restored[i];
    if (d->nrestored == d->restored_cap) {
        int n = d->restored_cap ? d->restored_cap * 2 : 16;
        eng_batch **p = realloc(d->restored, (size_t)n * sizeof *p);
        if (!p) return NULL;
        d->restored = p;
        d->restored_cap = n;
    }
    eng_batch *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->time_us = t;
    b->generated = calloc((size_t)d->program->count, sizeof *b->generated);
    if (!b->generated) {
        free(b);
        return NULL;
    }
    /* kept in time order */
    int at = d->nrestored;
    while (at > 0 && d->restored[at - 1]->time_us > t) at--;
    memmove(&d->restored[at + 1], &d->restored[at], (size_t)(d->nrestored - at) * sizeof *d->restored);
    d->restored[at] = b;
    d->nrestored++;
    return b;
}

/* Puts a logged block into a restored batch: the stream's RDD reads it
 * from the log (no executor holds it). */
static void restore_block(eng_driver *d, eng_batch *b, int ds, const eng_block_info *blk) {
    eng_block_info *a = realloc(b->allocated, (size_t)(b->nallocated + 1) * sizeof *a);
    if (!a) return;
    b->allocated = a;
    b->allocated[b->nallocated] = *blk;
    b->allocated[b->nallocated].nlocs = 0;
    b->nallocated++;
    b->allocated_cap = b->nallocated;
    b->records += blk->records;
    b->blocks++;
    /* the stream's RDD at this time: all its blocks, each from the log */
    int n = 0;
    for (int k = 0; k < b->nallocated; k++) n += eng_block_stream(b->allocated[k].block) == ds;
    eng_input_split *splits = calloc((size_t)n, sizeof *splits);
    if (!splits) return;
    int i = 0;
    for (int k = 0; k < b->nallocated; k++) {
        const eng_block_info *x = &b->allocated[k];
        if (eng_block_stream(x->block) != ds) continue;
        splits[i] = (eng_input_split){.kind = ENG_IN_BLOCK, .block = x->block, .stream = ds, .records = x->records};
        eng_program_wal_path(d->program, ds, x->block, splits[i].path, sizeof splits[i].path);
        i++;
    }
    b->generated[ds] = eng_rdd_input(&b->pool, &d->ids, d->program->dstreams[ds].op.name, splits, n);
    if (b->generated[ds]) b->generated[ds]->time_us = b->time_us;
    free(splits);
}

typedef struct unallocated {
    eng_driver *d;
    int ds;
    const uint64_t *done;
    uint32_t ndone;
    const int64_t *pending;
    uint32_t npending;
    char prefix[600];
} unallocated;

static void each_logged_block(void *ud, const char *path) {
    unallocated *u = ud;
    size_t n = strlen(u->prefix);
    if (strncmp(path, u->prefix, n) != 0) return;
    char *end;
    uint64_t id = strtoull(path + n, &end, 10);
    if (*end) return;
    for (uint32_t i = 0; i < u->ndone; i++)
        if (u->done[i] == id) return; /* its batch is done */
    /* allocated to a pending batch already restored */
    for (int i = 0; i < u->d->nrestored; i++) {
        const eng_batch *b = u->d->restored[i];
        for (int k = 0; k < b->nallocated; k++)
            if ((b->allocated[k].block & 0xffffffffffULL) == id) return;
    }
    const void *bytes;
    size_t len;
    int64_t latency;
    if (u->d->env->ops->storage_get(u->d->env->world, u->d->env->node, path, &bytes, &len, &latency) != ENG_STORAGE_OK)
        return;
    eng_part rows;
    eng_part_init(&rows);
    eng_rbuf r;
    eng_rbuf_init(&r, bytes, len);
    int ok = eng_rbuf_get_part(&r, &rows) == 0;
    int64_t records = (int64_t)rows.count;
    eng_part_fini(&rows);
    if (!ok) return;
    eng_input_state *s = &u->d->inputs[u->ds];
    eng_block_info *a = realloc(s->blocks, (size_t)(s->nblocks + 1) * sizeof *a);
    if (!a) return;
    s->blocks = a;
    s->blocks_cap = s->nblocks + 1;
    s->blocks[s->nblocks++] = (eng_block_info){.block = ((uint64_t)(uint32_t)u->ds << 48) | id, .records = records,
                                               .nlocs = 0, .wal = 1};
}

static int cmp_time(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int eng_recovery_restore(eng_driver *d, char *err, size_t errlen) {
    const eng_program *p = d->program;
    if (!p || !p->get_or_create || !p->checkpoint_dir) return 0;
    char prefix[600];
    snprintf(prefix, sizeof prefix, "%s/checkpoint-", p->checkpoint_dir);
    latest l = {prefix, strlen(prefix), ""};
    d->env->ops->storage_list(d->env->world, prefix, each_checkpoint, &l);
    if (!l.best[0]) return 0; /* none yet: createFn's context starts anew */
    const void *bytes;
    size_t len;
    int64_t latency;
    if (d->env->ops->storage_get(d->env->world, d->env->node, l.best, &bytes, &len, &latency) != ENG_STORAGE_OK) {
        snprintf(err, errlen, "getOrCreate: cannot read the checkpoint %s", l.best);
        return -1;
    }
    eng_rbuf r;
    eng_rbuf_init(&r, bytes, len);
    if (eng_rd_u32(&r) != CHECKPOINT_MAGIC) {
        snprintf(err, errlen, "getOrCreate: %s is not a checkpoint", l.best);
        return -1;
    }
    d->zero_time_us = eng_rd_i64(&r);
    int64_t time_us = eng_rd_i64(&r);
    uint32_t next_rdd = eng_rd_u32(&r);
    int32_t next_shuffle = (int32_t)eng_rd_u32(&r);
    if (next_rdd > d->ids.next_rdd) d->ids.next_rdd = next_rdd;
    if (next_shuffle > d->ids.next_shuffle) d->ids.next_shuffle = next_shuffle;
    uint32_t npending = eng_rd_u32(&r);
    if (r.err || npending > 100000) goto corrupt;
    int64_t *pending = calloc(npending ? npending : 1, sizeof *pending);
    if (!pending) goto corrupt;
    for (uint32_t i = 0; i < npending; i++) pending[i] = eng_rd_i64(&r);
    uint32_t nckpt = eng_rd_u32(&r);
    for (uint32_t i = 0; i < nckpt && !r.err; i++) {
        uint32_t ds = eng_rd_u32(&r);
        int64_t t = eng_rd_i64(&r);
        uint32_t parts = eng_rd_u32(&r);
        char path[600];
        eng_rd_str(&r, path, sizeof path);
        if (r.err || ds >= (uint32_t)p->count || parts > 100000) break;
        eng_batch *b = restored_batch(d, t);
        eng_input_split *splits = calloc(parts ? parts : 1, sizeof *splits);
        if (!b || !splits) {
            free(splits);
            break;
        }
        for (uint32_t k = 0; k < parts; k++) {
            splits[k].kind = ENG_IN_CHECKPOINT;
            snprintf(splits[k].path, sizeof splits[k].path, "%.200s/part-%05u", path, k);
        }
        b->generated[ds] = eng_rdd_input(&b->pool, &d->ids, p->dstreams[ds].op.name, splits, (int)parts);
        if (b->generated[ds]) b->generated[ds]->time_us = t;
        free(splits);
        d->ckpt[ds].time_us = t;
        d->ckpt[ds].partitions = (int)parts;
        snprintf(d->ckpt[ds].path, sizeof d->ckpt[ds].path, "%s", path);
    }
    uint32_t nbatches = eng_rd_u32(&r);
    for (uint32_t i = 0; i < nbatches && !r.err; i++) {
        int64_t t = eng_rd_i64(&r);
        uint32_t n = eng_rd_u32(&r);
        for (uint32_t k = 0; k < n && !r.err; k++) {
            uint32_t ds = eng_rd_u32(&r), parts = eng_rd_u32(&r);
            if (r.err || ds >= (uint32_t)p->count || parts > 256) {
                r.err = 1;
                break;
            }
            eng_input_split splits[256];
            for (uint32_t q = 0; q < parts; q++) {
                uint32_t kind = eng_rd_u32(&r);
                int64_t from = eng_rd_i64(&r), until = eng_rd_i64(&r);
                splits[q] = (eng_input_split){.kind = kind, .stream = (int32_t)ds};
                eng_rd_str(&r, splits[q].path, sizeof splits[q].path);
                if (kind == ENG_IN_SOURCE)
                    splits[q] = (eng_input_split){.kind = ENG_IN_SOURCE, .stream = (int32_t)ds,
                                                  .source = p->dstreams[ds].source, .partition = (int32_t)q,
                                                  .from = from, .until = until, .records = until - from};
                else if (kind != ENG_IN_FILE)
                    r.err = 1;
            }
            eng_batch *b = restored_batch(d, t);
            if (!b || r.err) break;
            b->generated[ds] = eng_rdd_input(&b->pool, &d->ids, p->dstreams[ds].op.name, splits, (int)parts);
            if (b->generated[ds]) b->generated[ds]->time_us = t;
            for (uint32_t q = 0; q < parts; q++) b->records += splits[q].records;
        }
    }
    uint32_t nd = eng_rd_u32(&r);
    for (uint32_t i = 0; i < nd && !r.err; i++) {
        uint32_t ds = eng_rd_u32(&r);
        if (ds >= (uint32_t)p->count) {
            r.err = 1;
            break;
        }
        for (int k = 0; k < 256; k++) d->inputs[ds].offsets[k] = eng_rd_i64(&r);
        d->inputs[ds].offsets_init = 1;
    }
    uint32_t nf = eng_rd_u32(&r);
    for (uint32_t i = 0; i < nf && !r.err; i++) {
        uint32_t ds = eng_rd_u32(&r), n = eng_rd_u32(&r);
        if (r.err || ds >= (uint32_t)p->count || n > 1000000) {
            r.err = 1;
            break;
        }
        for (uint32_t k = 0; k < n && !r.err; k++) {
            char path[256];
            eng_rd_str(&r, path, sizeof path);
            if (eng_tracker_file_taken(&d->inputs[ds], path)) break;
        }
    }
    /* receiver blocks: a pending batch's, read from the write-ahead log
     * (WriteAheadLogBackedBlockRDD); without the log they are gone */
    for (uint32_t i = 0; i < npending && !r.err; i++) {
        uint32_t n = eng_rd_u32(&r);
        if (n > 1000000) {
            r.err = 1;
            break;
        }
        eng_batch *b = NULL;
        for (uint32_t k = 0; k < n && !r.err; k++) {
            eng_block_info blk = {0};
            blk.block = eng_rd_u64(&r);
            blk.records = eng_rd_i64(&r);
            blk.wal = eng_rd_u8(&r);
            int ds = eng_block_stream(blk.block);
            if (r.err || ds >= p->count) break;
            if (!blk.wal) continue;
            if (!b && !(b = restored_batch(d, pending[i]))) break;
            restore_block(d, b, ds, &blk);
        }
    }
    uint32_t ndone = eng_rd_u32(&r);
    uint64_t *done = calloc(ndone ? ndone : 1, sizeof *done);
    for (uint32_t i = 0; done && i < ndone && !r.err; i++) done[i] = eng_rd_u64(&r) & 0xffffffffffULL;
    if (r.err || !done) {
        free(done);
        free(pending);
        goto corrupt;
    }
    /* every other block in the log was reported and not yet allocated:
     * back to the tracker, for the next batch generated */
    for (int ds = 0; ds < p->count; ds++) {
        if (p->dstreams[ds].kind != ENG_DS_RECEIVER) continue;
        unallocated u = {d, ds, done, ndone, pending, npending, ""};
        snprintf(u.prefix, sizeof u.prefix, "%s/receivedData/%d/log-", p->checkpoint_dir, ds);
        d->env->ops->storage_list(d->env->world, u.prefix, each_logged_block, &u);
    }
    free(done);
    /* the batches to generate again: the pending ones and those of the
     * time the driver was down, in time order */
    int64_t now = eng_now_us(d->env), step = d->conf->batch_interval_us;
    int64_t last = d->zero_time_us + ((now - d->zero_time_us) / step) * step;
    size_t cap = npending + (size_t)(last > time_us ? (last - time_us) / step : 0) + 1;
    d->regen = calloc(cap, sizeof *d->regen);
    if (!d->regen) {
        free(pending);
        goto corrupt;
    }
    for (uint32_t i = 0; i < npending; i++) d->regen[d->nregen++] = pending[i];
    for (int64_t t = time_us + step; t <= last; t += step) {
        int dup = 0;
        for (uint32_t i = 0; i < npending; i++) dup |= pending[i] == t;
        if (!dup) d->regen[d->nregen++] = t;
    }
    free(pending);
    qsort(d->regen, (size_t)d->nregen, sizeof *d->regen, cmp_time);
    /* the restored batches older than the first to generate are history */
    int64_t first = d->nregen ? d->regen[0] : last + step;
    int keep = 0;
    for (int i = 0; i < d->nrestored; i++) {
        eng_batch *b = d->restored[i];
        if (b->time_us < first)
            eng_driver_remember_restored(d, b);
        else
            d->restored[keep++] = b;
    }
    d->nrestored = keep;
    d->last_checkpoint_us = time_us;
    char text[800];
    snprintf(text, sizeof text, "restarted from %s: %d batches to generate again", l.best, d->nregen);
    /* batch_time_us: the first batch generated again; batches_again: how many */
    eng_emit(d->env, ENG_EV_RECOVERY_PHASE, 2, d->nregen ? d->regen[0] : time_us, d->nregen, 0, text);
    return 1;
corrupt:
    snprintf(err, errlen, "getOrCreate: the checkpoint %s is corrupt", l.best);
    return -1;
}

eng_batch *eng_recovery_take(eng_driver *d, int64_t t) {
    for (int i = 0; i < d->nrestored; i++)
        if (d->restored[i]->time_us == t) {
            eng_batch *b = d->restored[i];
            memmove(&d->restored[i], &d->restored[i + 1], (size_t)(d->nrestored - i - 1) * sizeof *d->restored);
            d->nrestored--;
            return b;
        }
    return NULL;
}

void eng_recovery_regenerate(eng_driver *d) {
    for (int i = 0; i < d->nregen && !d->stopped; i++) eng_jobgen_generate(d, d->regen[i]);
    free(d->regen);
    d->regen = NULL;
    d->nregen = 0;
}
