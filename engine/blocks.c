/* engine/blocks.c — the executor's block manager for receiver blocks.
 *
 * A receiver's block is stored here and, with a replicated storage level
 * (MEMORY_AND_DISK_SER_2, the default of socketTextStream), copied to one
 * other executor over the network before the driver hears of it. A task
 * reading a block (BlockRDD) takes it from memory here, or fetches it from
 * an executor that holds a copy, trying each location in turn; with no copy
 * left the task fails as Spark's BlockRDD does: "Could not compute split,
 * block input-... not found". Blocks are dropped when the driver says their
 * batch is done. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "executor.h"
#include "msg.h"

stored_block *eng_blocks_find(eng_executor *e, uint64_t block) {
    for (int i = 0; i < e->nblocks; i++)
        if (e->blocks[i].block == block) return &e->blocks[i];
    return NULL;
}

stored_block *eng_blocks_put(eng_executor *e, uint64_t block, int32_t stream, eng_part *rows) {
    stored_block *b = eng_blocks_find(e, block);
    if (b) {
        eng_part_fini(rows);
        return b;
    }
    if (e->nblocks == e->blocks_cap) {
        int n = e->blocks_cap ? e->blocks_cap * 2 : 32;
        stored_block *p = realloc(e->blocks, (size_t)n * sizeof *p);
        if (!p) return NULL;
        e->blocks = p;
        e->blocks_cap = n;
    }
    b = &e->blocks[e->nblocks++];
    b->block = block;
    b->stream = stream;
    b->rows = *rows; /* the block takes the rows over */
    eng_part_init(rows);
    return b;
}

void eng_blocks_drop(eng_executor *e, uint64_t block) {
    for (int i = 0; i < e->nblocks; i++)
        if (e->blocks[i].block == block) {
            eng_part_fini(&e->blocks[i].rows);
            e->blocks[i] = e->blocks[--e->nblocks];
            return;
        }
}

void eng_blocks_free_all(eng_executor *e) {
    for (int i = 0; i < e->nblocks; i++) eng_part_fini(&e->blocks[i].rows);
    free(e->blocks);
    e->blocks = NULL;
    e->nblocks = e->blocks_cap = 0;
}

/* Block ids read as Spark's: input-<stream>-<id>. */
static void block_name(uint64_t block, int32_t stream, char *buf, size_t n) {
    snprintf(buf, n, "input-%d-%" PRIu64, stream, (uint64_t)(block & 0xffffffffffULL));
}

/* No executor holds the block any more: read it from the receivers'
 * write-ahead log (WriteAheadLogBackedBlockRDD), taking the storage's time. */
static void read_write_ahead_log(eng_executor *e, int i) {
    run_task *t = e->tasks[i];
    const void *bytes;
    size_t len;
    int64_t latency;
    eng_storage_status st =
        e->env->ops->storage_get(e->env->world, e->env->node, t->plan.split.path, &bytes, &len, &latency);
    eng_rbuf r;
    if (st == ENG_STORAGE_OK) eng_rbuf_init(&r, bytes, len);
    if (st != ENG_STORAGE_OK || eng_rbuf_get_part(&r, &t->input)) {
        char msg[400];
        snprintf(msg, sizeof msg, "Could not read the write-ahead log %s (storage status %d)", t->plan.split.path, st);
        eng_executor_fail_task(e, i, ENG_TASK_ERROR, msg);
        return;
    }
    t->storage_us += latency;
    eng_executor_compute(e, i);
}

static void ask_next_location(eng_executor *e, int i) {
    run_task *t = e->tasks[i];
    const eng_input_split *s = &t->plan.split;
    while (t->fetch_loc < s->nlocs && s->locs[t->fetch_loc] == e->env->node) t->fetch_loc++;
    if (t->fetch_loc >= s->nlocs && s->path[0]) {
        read_write_ahead_log(e, i);
        return;
    }
    if (t->fetch_loc >= s->nlocs) {
        char name[64], msg[200];
        block_name(s->block, s->stream, name, sizeof name);
        snprintf(msg, sizeof msg, "Could not compute split, block %s of RDD not found", name);
        eng_executor_fail_task(e, i, ENG_TASK_ERROR, msg);
        return;
    }
    eng_wbuf w;
    eng_wbuf_init(&w);
    eng_wbuf_put_u64(&w, t->task_id);
    eng_wbuf_put_u64(&w, s->block);
    eng_send(e->env, s->locs[t->fetch_loc], ENG_MSG_FETCH_BLOCK, w.data, w.len);
    eng_wbuf_fini(&w);
    /* a holder that died never answers: try the next one after a while */
    t->fetch_deadline_us = eng_now_us(e->env) + 5000000;
    eng_set_timer(e->env, t->fetch_deadline_us, EXECUTOR_TIMER_FETCH_TIMEOUT, t->task_id);
}

void eng_blocks_retry(eng_executor *e, int i) {
    if (eng_now_us(e->env) < e->tasks[i]->fetch_deadline_us) return; /* an older deadline */
    e->tasks[i]->fetch_loc++;
    ask_next_location(e, i);
}

void eng_blocks_read_for_task(eng_executor *e, int i) {
    run_task *t = e->tasks[i];
    stored_block *b = eng_blocks_find(e, t->plan.split.block);
    if (b) {
        /* read in place: a block outlives the tasks of its batch (the driver
         * drops it only when the batch is done) */
        for (size_t k = 0; k < b->rows.count; k++) eng_part_push(&t->input, b->rows.rows[k]);
        eng_executor_compute(e, i);
        return;
    }
    t->fetch_loc = 0;
    ask_next_location(e, i);
}

static void on_fetch_block(eng_executor *e, eng_node_id src, eng_rbuf *r) {
    uint64_t task = eng_rd_u64(r), block = eng_rd_u64(r);
    if (r->err) return;
    stored_block *b = eng_blocks_find(e, block);
    eng_wbuf w;
    eng_wbuf_init(&w);
    eng_wbuf_put_u64(&w, task);
    eng_wbuf_put_u64(&w, block);
    eng_wbuf_put_u8(&w, b != NULL);
    if (b) eng_wbuf_put_part(&w, &b->rows);
    eng_send(e->env, src, ENG_MSG_FETCH_BLOCK_REPLY, w.data, w.len);
    eng_wbuf_fini(&w);
}

static void on_fetch_block_reply(eng_executor *e, eng_rbuf *r, size_t len) {
    uint64_t task = eng_rd_u64(r), block = eng_rd_u64(r);
    uint8_t ok = eng_rd_u8(r);
    int i = eng_executor_find_task(e, task);
    if (r->err || i < 0) return;
    run_task *t = e->tasks[i];
    if (t->computed || t->plan.split.block != block) return;
    if (!ok || eng_rbuf_get_part(r, &t->input)) {
        t->fetch_loc++;
        ask_next_location(e, i);
        return;
    }
    eng_emit(e->env, ENG_EV_SHUFFLE_FETCH, -1, t->plan.partition, (int64_t)len, 0, NULL);
    eng_executor_compute(e, i);
}

static void on_replicate(eng_executor *e, eng_node_id src, eng_rbuf *r) {
    uint64_t block = eng_rd_u64(r);
    int32_t stream = (int32_t)eng_rd_u32(r);
    eng_part rows;
    eng_part_init(&rows);
    if (r->err || eng_rbuf_get_part(r, &rows)) {
        eng_part_fini(&rows);
        return;
    }
    /* the replica is kept as sent: no copy of a copy */
    stored_block *b = eng_blocks_find(e, block);
    if (!b) {
        if (e->nblocks == e->blocks_cap) {
            int n = e->blocks_cap ? e->blocks_cap * 2 : 32;
            stored_block *p = realloc(e->blocks, (size_t)n * sizeof *p);
            if (!p) {
                eng_part_fini(&rows);
                return;
            }
            e->blocks = p;
            e->blocks_cap = n;
        }
        e->blocks[e->nblocks++] = (stored_block){block, stream, rows};
    } else {
        eng_part_fini(&rows);
    }
    eng_emit(e->env, ENG_EV_BLOCK_REPLICATED, stream, (int64_t)(block & 0xffffffffffULL), e->env->node, 0, NULL);
    eng_wbuf w;
    eng_wbuf_init(&w);
    eng_wbuf_put_u64(&w, block);
    eng_send(e->env, src, ENG_MSG_REPLICATE_ACK, w.data, w.len);
    eng_wbuf_fini(&w);
}

void eng_blocks_on_message(eng_executor *e, eng_node_id src, uint32_t kind, const void *bytes, size_t len) {
    eng_rbuf r;
    eng_rbuf_init(&r, bytes, len);
    switch (kind) {
    case ENG_MSG_REPLICATE_BLOCK:
        on_replicate(e, src, &r);
        break;
    case ENG_MSG_REPLICATE_ACK: {
        uint64_t block = eng_rd_u64(&r);
        if (!r.err) eng_receiver_on_replicated(e, block, 1);
        break;
    }
    case ENG_MSG_FETCH_BLOCK:
        on_fetch_block(e, src, &r);
        break;
    case ENG_MSG_FETCH_BLOCK_REPLY:
        on_fetch_block_reply(e, &r, len);
        break;
    case ENG_MSG_REMOVE_BLOCKS: {
        uint32_t n = eng_rd_u32(&r);
        for (uint32_t k = 0; k < n && !r.err; k++) {
            uint64_t block = eng_rd_u64(&r);
            if (!r.err) eng_blocks_drop(e, block);
        }
        break;
    }
    default:
        break;
    }
}
