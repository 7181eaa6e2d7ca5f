/* engine/plan.c — see plan.h. The wire form, little-endian (engine/codec.h):
 *   u64 task_id, i32 job, stage, stage_attempt, partition, attempt,
 *   i64 batch_time_us,
 *   u32 input: ROWS  -> part
 *              BLOCK, SOURCE, FILE -> split (u64 block, i32 stream, u32 nlocs,
 *                         nlocs x u32, i32 source, i32 partition, i64 from,
 *                         i64 until, str path, i64 records)
 *              SHUFFLE -> op reader, u32 ndeps, per dep: i32 shuffle_id,
 *                         i32 num_maps, u32 node per map
 *   u32 input_partition, u32 nops, (op, u32 partition) per op,
 *   u32 output: SHUFFLE -> op writer, i32 shuffle_id
 *               RESULT  -> u32 action, str save_path
 * and an op is u32 kind, u32 name, fn, fn2, i32 param, i64 timeout_us, i64 time_us, u8 agg.present, u8
 * agg.map_side_combine, fn x3, i32 num_partitions, str where; a fn is u32 builtin,
 * i32 ref. */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"

static void put_fn(eng_wbuf *w, const eng_fn *f) {
    eng_wbuf_put_u32(w, f->builtin);
    eng_wbuf_put_u32(w, (uint32_t)f->ref);
}

static void put_op(eng_wbuf *w, const eng_op *op) {
    eng_wbuf_put_u32(w, op->kind);
    eng_wbuf_put_u32(w, op->name);
    put_fn(w, &op->fn);
    put_fn(w, &op->fn2);
    eng_wbuf_put_u32(w, (uint32_t)op->param);
    eng_wbuf_put_i64(w, op->timeout_us);
    eng_wbuf_put_i64(w, op->time_us);
    eng_wbuf_put_u8(w, (uint8_t)op->agg.present);
    eng_wbuf_put_u8(w, (uint8_t)op->agg.map_side_combine);
    put_fn(w, &op->agg.create_combiner);
    put_fn(w, &op->agg.merge_value);
    put_fn(w, &op->agg.merge_combiners);
    eng_wbuf_put_u32(w, (uint32_t)op->num_partitions);
    eng_wbuf_put_u32(w, (uint32_t)op->query);
    eng_wbuf_put_u32(w, (uint32_t)op->step_from);
    eng_wbuf_put_u32(w, (uint32_t)op->step_to);
    eng_wbuf_put_i64(w, op->version);
    eng_wbuf_put_i64(w, op->watermark_us);
    eng_wbuf_put_i64(w, op->evict_us);
    eng_put_cstr(w, op->where ? op->where : "");
}

static void get_fn(eng_rbuf *r, eng_fn *f) {
    f->builtin = eng_rd_u32(r);
    f->ref = (int32_t)eng_rd_u32(r);
    f->where = NULL;
    if (f->builtin >= ENG_FN_COUNT_) r->err = 1;
}

static void get_op(eng_rbuf *r, eng_op *op, char *where, size_t where_len) {
    op->kind = eng_rd_u32(r);
    op->name = eng_rd_u32(r);
    get_fn(r, &op->fn);
    get_fn(r, &op->fn2);
    op->param = (int32_t)eng_rd_u32(r);
    op->timeout_us = eng_rd_i64(r);
    op->time_us = eng_rd_i64(r);
    op->agg.present = eng_rd_u8(r);
    op->agg.map_side_combine = eng_rd_u8(r);
    get_fn(r, &op->agg.create_combiner);
    get_fn(r, &op->agg.merge_value);
    get_fn(r, &op->agg.merge_combiners);
    op->num_partitions = (int32_t)eng_rd_u32(r);
    op->query = (int32_t)eng_rd_u32(r);
    op->step_from = (int32_t)eng_rd_u32(r);
    op->step_to = (int32_t)eng_rd_u32(r);
    op->version = eng_rd_i64(r);
    op->watermark_us = eng_rd_i64(r);
    op->evict_us = eng_rd_i64(r);
    eng_rd_str(r, where, where_len);
    op->where = where[0] ? where : NULL;
    if (op->kind == 0 || op->kind >= ENG_OP_KIND_COUNT_ || op->name >= ENG_NAME_COUNT_) r->err = 1;
    if (eng_op_is_wide(op->kind) && op->num_partitions < 1) r->err = 1;
}

static void put_split(eng_wbuf *w, const eng_input_split *s) {
    eng_wbuf_put_u64(w, s->block);
    eng_wbuf_put_u32(w, (uint32_t)s->stream);
    eng_wbuf_put_u32(w, (uint32_t)s->nlocs);
    for (int i = 0; i < s->nlocs; i++) eng_wbuf_put_u32(w, s->locs[i]);
    eng_wbuf_put_u32(w, (uint32_t)s->source);
    eng_wbuf_put_u32(w, (uint32_t)s->partition);
    eng_wbuf_put_i64(w, s->from);
    eng_wbuf_put_i64(w, s->until);
    eng_put_cstr(w, s->path);
    eng_wbuf_put_i64(w, s->records);
}

static void get_split(eng_rbuf *r, eng_input_split *s) {
    s->block = eng_rd_u64(r);
    s->stream = (int32_t)eng_rd_u32(r);
    uint32_t n = eng_rd_u32(r);
    if (n > ENG_BLOCK_LOCATIONS_MAX) {
        r->err = 1;
        return;
    }
    s->nlocs = (int32_t)n;
    for (uint32_t i = 0; i < n; i++) s->locs[i] = eng_rd_u32(r);
    s->source = (int32_t)eng_rd_u32(r);
    s->partition = (int32_t)eng_rd_u32(r);
    s->from = eng_rd_i64(r);
    s->until = eng_rd_i64(r);
    eng_rd_str(r, s->path, sizeof s->path);
    s->records = eng_rd_i64(r);
}

void eng_plan_encode(const eng_task_plan *p, unsigned char **bytes, size_t *len) {
    eng_wbuf w;
    eng_wbuf_init(&w);
    eng_wbuf_put_u64(&w, p->task_id);
    int32_t ints[5] = {p->job_id, p->stage_id, p->stage_attempt, p->partition, p->attempt};
    for (int i = 0; i < 5; i++) eng_wbuf_put_u32(&w, (uint32_t)ints[i]);
    eng_wbuf_put_i64(&w, p->batch_time_us);
    eng_wbuf_put_u32(&w, p->input);
    if (p->input == ENG_IN_ROWS) {
        eng_wbuf_put_part(&w, &p->rows);
    } else if (p->input != ENG_IN_SHUFFLE) {
        put_split(&w, &p->split);
    } else {
        put_op(&w, &p->reader);
        eng_wbuf_put_u32(&w, (uint32_t)p->ndeps);
        for (int d = 0; d < p->ndeps; d++) {
            eng_wbuf_put_u32(&w, (uint32_t)p->deps[d].shuffle_id);
            eng_wbuf_put_u32(&w, (uint32_t)p->deps[d].num_maps);
            for (int m = 0; m < p->deps[d].num_maps; m++) eng_wbuf_put_u32(&w, p->deps[d].map_nodes[m]);
        }
    }
    eng_wbuf_put_u32(&w, (uint32_t)p->input_partition);
    eng_wbuf_put_u32(&w, (uint32_t)p->nops);
    for (int i = 0; i < p->nops; i++) {
        put_op(&w, &p->ops[i]);
        eng_wbuf_put_u32(&w, (uint32_t)p->op_partition[i]);
    }
    eng_wbuf_put_u32(&w, p->output);
    if (p->output == ENG_OUT_SHUFFLE) {
        put_op(&w, &p->writer);
        eng_wbuf_put_u32(&w, (uint32_t)p->shuffle_id);
    } else {
        eng_wbuf_put_u32(&w, p->action);
        eng_put_cstr(&w, p->save_path);
    }
    *bytes = w.data;
    *len = w.len;
}

int eng_plan_decode(eng_task_plan *p, const void *bytes, size_t len) {
    memset(p, 0, sizeof *p);
    eng_part_init(&p->rows);
    eng_rbuf r;
    eng_rbuf_init(&r, bytes, len);
    p->task_id = eng_rd_u64(&r);
    int32_t *ints[5] = {&p->job_id, &p->stage_id, &p->stage_attempt, &p->partition, &p->attempt};
    for (int i = 0; i < 5; i++) *ints[i] = (int32_t)eng_rd_u32(&r);
    p->batch_time_us = eng_rd_i64(&r);
    p->input = eng_rd_u32(&r);
    if (p->input == ENG_IN_ROWS) {
        eng_rbuf_get_part(&r, &p->rows);
    } else if (p->input == ENG_IN_BLOCK || p->input == ENG_IN_SOURCE || p->input == ENG_IN_FILE ||
               p->input == ENG_IN_CHECKPOINT) {
        get_split(&r, &p->split);
    } else if (p->input == ENG_IN_SHUFFLE) {
        get_op(&r, &p->reader, p->wheres[ENG_PLAN_OPS_MAX], sizeof p->wheres[0]);
        uint32_t ndeps = eng_rd_u32(&r);
        if (r.err || ndeps == 0 || ndeps > ENG_PLAN_DEPS_MAX) return -1;
        p->deps = calloc(ndeps, sizeof *p->deps);
        if (!p->deps) return -1;
        p->ndeps = (int32_t)ndeps;
        for (uint32_t d = 0; d < ndeps; d++) {
            p->deps[d].shuffle_id = (int32_t)eng_rd_u32(&r);
            uint32_t maps = eng_rd_u32(&r);
            if (maps > ENG_PLAN_MAPS_MAX) return -1;
            if (maps > eng_rbuf_remaining(&r) / 4) return -1;
            p->deps[d].num_maps = (int32_t)maps;
            p->deps[d].map_nodes = malloc((size_t)(maps ? maps : 1) * sizeof(uint32_t));
            if (!p->deps[d].map_nodes) return -1;
            for (uint32_t m = 0; m < maps; m++) p->deps[d].map_nodes[m] = eng_rd_u32(&r);
        }
    } else {
        return -1;
    }
    p->input_partition = (int32_t)eng_rd_u32(&r);
    uint32_t nops = eng_rd_u32(&r);
    if (r.err || nops > ENG_PLAN_OPS_MAX) return -1;
    p->nops = (int32_t)nops;
    for (uint32_t i = 0; i < nops; i++) {
        get_op(&r, &p->ops[i], p->wheres[i], sizeof p->wheres[0]);
        p->op_partition[i] = (int32_t)eng_rd_u32(&r);
    }
    p->output = eng_rd_u32(&r);
    if (p->output == ENG_OUT_SHUFFLE) {
        get_op(&r, &p->writer, p->wheres[ENG_PLAN_OPS_MAX + 1], sizeof p->wheres[0]);
        p->shuffle_id = (int32_t)eng_rd_u32(&r);
    } else if (p->output == ENG_OUT_RESULT) {
        p->action = eng_rd_u32(&r);
        eng_rd_str(&r, p->save_path, sizeof p->save_path);
    } else {
        return -1;
    }
    return r.err || eng_rbuf_remaining(&r) != 0 ? -1 : 0;
}

void eng_plan_fini(eng_task_plan *p) {
    eng_part_fini(&p->rows);
    for (int d = 0; p->deps && d < p->ndeps; d++) free(p->deps[d].map_nodes);
    free(p->deps);
    p->deps = NULL;
    p->ndeps = 0;
}
