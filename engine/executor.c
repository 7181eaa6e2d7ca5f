/* engine/executor.c — an executor on a worker node.
 *
 * It registers with the driver and heartbeats (CoarseGrainedExecutorBackend,
 * Executor.reportHeartBeat), and runs the tasks the driver launches:
 *   1. fetch its input: rows in the task itself, or this partition's bucket
 *      from every map output of the shuffles it reads (its own from memory,
 *      others' over the network: ShuffleBlockFetcherIterator);
 *   2. compute for real, when the last input arrives (engine/compute.c);
 *   3. finish after the cost model's duration (launch overhead + records x
 *      per-record cost): only then are its map outputs visible to fetches
 *      and its result sent to the driver.
 * Map outputs stay in this executor's memory (no external shuffle service):
 * a crash loses them, as it loses the tasks running here.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "executor.h"
#include "msg.h"
#include "program.h"
#include "ss_exec.h"

/* ---- the shuffle store ---------------------------------------------------------- */

static map_output *find_output(eng_executor *e, int32_t shuffle_id, int32_t map_index) {
    for (int i = 0; i < e->noutputs; i++)
        if (e->outputs[i].shuffle_id == shuffle_id && e->outputs[i].map_index == map_index) return &e->outputs[i];
    return NULL;
}

static void free_output(map_output *o) {
    for (int b = 0; b < o->nbuckets; b++) eng_part_fini(&o->buckets[b]);
    free(o->buckets);
}

static void remove_shuffle(eng_executor *e, int32_t shuffle_id) {
    int kept = 0;
    for (int i = 0; i < e->noutputs; i++) {
        if (e->outputs[i].shuffle_id == shuffle_id)
            free_output(&e->outputs[i]);
        else
            e->outputs[kept++] = e->outputs[i];
    }
    e->noutputs = kept;
}

/* ---- tasks ------------------------------------------------------------------------- */

static void free_task(run_task *t) {
    if (t->got) {
        for (int d = 0; d < t->plan.ndeps; d++) free(t->got[d]);
        free(t->got);
    }
    if (t->inputs) {
        for (int d = 0; d < t->plan.ndeps; d++) {
            if (!t->inputs[d]) continue;
            for (int m = 0; m < t->plan.deps[d].num_maps; m++) eng_part_fini(&t->inputs[d][m]);
            free(t->inputs[d]);
        }
        free(t->inputs);
    }
    if (t->buckets) {
        for (int b = 0; b < t->plan.writer.num_partitions; b++) eng_part_fini(&t->buckets[b]);
        free(t->buckets);
    }
    eng_part_fini(&t->result);
    eng_part_fini(&t->input);
    eng_plan_fini(&t->plan);
    free(t);
}

int eng_executor_find_task(const eng_executor *e, uint64_t task_id) {
    for (int i = 0; i < e->ntasks; i++)
        if (e->tasks[i]->task_id == task_id) return i;
    return -1;
}

static void drop_task(eng_executor *e, int i) {
    free_task(e->tasks[i]);
    e->tasks[i] = e->tasks[--e->ntasks];
}

static void send_status(eng_executor *e, run_task *t, uint8_t state, const char *message) {
    eng_wbuf w;
    eng_wbuf_init(&w);
    eng_wbuf_put_u64(&w, t->task_id);
    eng_wbuf_put_u8(&w, state);
    eng_wbuf_put_i64(&w, t->records);
    if (state == ENG_TASK_FETCH_FAILED) {
        eng_wbuf_put_u32(&w, (uint32_t)t->failed_shuffle);
        eng_wbuf_put_u32(&w, (uint32_t)t->failed_map);
        eng_wbuf_put_u32(&w, t->failed_node);
        eng_put_cstr(&w, message);
    } else if (state != ENG_TASK_OK) {
        eng_put_cstr(&w, message);
    } else if (t->plan.output == ENG_OUT_SHUFFLE) {
        eng_wbuf_put_i64(&w, t->bytes_out);
    } else if (t->plan.action == ENG_ACT_COUNT) {
        eng_wbuf_put_i64(&w, (int64_t)t->result.count);
    } else {
        eng_wbuf_put_part(&w, &t->result);
    }
    if (state == ENG_TASK_OK && t->has_acc) /* a Structured Streaming task's metrics (engine/ss.h) */
        for (int k = 0; k < ENG_ACC_MAX; k++) eng_wbuf_put_i64(&w, t->acc[k]);
    eng_send(e->env, ENG_NODE_DRIVER, ENG_MSG_TASK_STATUS, w.data, w.len);
    eng_wbuf_fini(&w);
}

void eng_executor_fetch_failed(eng_executor *e, int i, int32_t shuffle, int32_t map, uint32_t node, const char *message) {
    run_task *t = e->tasks[i];
    t->failed_shuffle = shuffle;
    t->failed_map = map;
    t->failed_node = node;
    eng_executor_fail_task(e, i, ENG_TASK_FETCH_FAILED, message);
}

void eng_executor_fail_task(eng_executor *e, int i, uint8_t state, const char *message) {
    send_status(e, e->tasks[i], state, message);
    drop_task(e, i);
}

/* Text files: one record per line, as RDD.saveAsTextFile writes toString;
 * a data checkpoint: the partition encoded. */
static int write_text(eng_executor *e, run_task *t, char *err, size_t errlen) {
    eng_wbuf w;
    eng_wbuf_init(&w);
    if (t->plan.action == ENG_ACT_CHECKPOINT) eng_wbuf_put_part(&w, &t->result);
    for (size_t i = 0; t->plan.action == ENG_ACT_SAVE && i < t->result.count; i++) {
        char small[256];
        size_t n = eng_value_format(&t->result.rows[i], small, sizeof small);
        if (n < sizeof small) {
            eng_wbuf_put_bytes(&w, small, n);
        } else {
            char *big = malloc(n + 1);
            if (!big) break;
            eng_value_format(&t->result.rows[i], big, n + 1);
            eng_wbuf_put_bytes(&w, big, n);
            free(big);
        }
        eng_wbuf_put_bytes(&w, "\n", 1);
    }
    /* Written under _temporary, renamed into place when the task commits
     * (FileOutputCommitter): a task that dies leaves no part file. */
    snprintf(t->save_tmp, sizeof t->save_tmp, "%s/_temporary/attempt_%" PRIu64 "/part-%05d", t->plan.save_path,
             t->task_id, t->plan.partition);
    snprintf(t->save_final, sizeof t->save_final, "%s/part-%05d", t->plan.save_path, t->plan.partition);
    int64_t latency;
    if (t->plan.action == ENG_ACT_SAVE && e->env->ops->sink_write &&
        e->env->ops->sink_write(e->env->world, e->env->node, t->save_final)) {
        eng_wbuf_fini(&w);
        snprintf(err, errlen, "saveAsTextFiles: the output system refused the write of %s", t->save_final);
        return -1;
    }
    eng_storage_status st =
        e->env->ops->storage_put(e->env->world, e->env->node, t->save_tmp, w.data, w.len, &latency);
    /* the put, then the commit's rename, as long again */
    t->storage_us += 2 * latency;
    eng_wbuf_fini(&w);
    if (st != ENG_STORAGE_OK) {
        snprintf(err, errlen, "%s: cannot write %s (storage status %d)",
                 t->plan.action == ENG_ACT_SAVE ? "saveAsTextFiles" : "checkpoint", t->save_tmp, st);
        return -1;
    }
    return 0;
}

/* Computes the task once its inputs are here, then waits out its duration. */
/* Frees the intermediate partitions of a task's computation. */
static void free_parts(eng_part *parts, int n) {
    for (int k = 0; k < n; k++) eng_part_fini(&parts[k]);
}

/* Computes the task once its inputs are here, then waits out its duration.
 * Each op's output may share memory with its input (compute.h), so every
 * intermediate partition lives until the task's output is copied out. */
void eng_executor_compute(eng_executor *e, int i) {
    run_task *t = e->tasks[i];
    eng_task_plan *p = &t->plan;
    char err[1200];
    eng_part parts[ENG_PLAN_OPS_MAX + 1];
    int nparts = 1;
    eng_part_init(&parts[0]);
    if (p->input != ENG_IN_SHUFFLE) {
        const eng_part *src = p->input == ENG_IN_ROWS ? &p->rows : &t->input;
        for (size_t k = 0; k < src->count; k++) eng_part_push(&parts[0], src->rows[k]);
        /* the rows stay in the plan's (or the task's input) arena; parts[0] only points at them */
    } else {
        const eng_part *inputs[ENG_PLAN_DEPS_MAX];
        int maps[ENG_PLAN_DEPS_MAX];
        for (int d = 0; d < p->ndeps; d++) {
            inputs[d] = t->inputs[d];
            maps[d] = p->deps[d].num_maps;
            for (int m = 0; m < maps[d]; m++) t->records += (int64_t)t->inputs[d][m].count;
        }
        if (eng_shuffle_read(e->env, &p->reader, p->ndeps, inputs, maps, &parts[0], err, sizeof err)) {
            free_parts(parts, nparts);
            eng_executor_fail_task(e, i, ENG_TASK_ERROR, err);
            return;
        }
    }
    for (int k = 0; k < p->nops; k++) {
        eng_part *cur = &parts[nparts - 1], *next = &parts[nparts];
        t->records += (int64_t)cur->count;
        eng_part_init(next);
        nparts++;
        int rc = p->ops[k].kind >= ENG_OP_SS_ROWS
                     ? eng_ss_compute(e, t, &p->ops[k], p->op_partition[k], cur, next, err, sizeof err)
                     : eng_compute_narrow(e->env, &p->ops[k], p->op_partition[k], p->batch_time_us, cur, next, err,
                                          sizeof err);
        if (rc) {
            free_parts(parts, nparts);
            eng_executor_fail_task(e, i, ENG_TASK_ERROR, err);
            return;
        }
    }
    eng_part *cur = &parts[nparts - 1];
    t->records += (int64_t)cur->count;
    if (p->output == ENG_OUT_SHUFFLE) {
        int n = p->writer.num_partitions;
        t->buckets = calloc((size_t)n, sizeof *t->buckets);
        int rc = t->buckets ? eng_shuffle_write(e->env, &p->writer, cur, t->buckets, err, sizeof err) : -1;
        free_parts(parts, nparts);
        if (rc) {
            if (!t->buckets) snprintf(err, sizeof err, "out of memory");
            eng_executor_fail_task(e, i, ENG_TASK_ERROR, err);
            return;
        }
        for (int b = 0; b < n; b++)
            for (size_t k = 0; k < t->buckets[b].count; k++)
                t->bytes_out += (int64_t)eng_value_wire_size(&t->buckets[b].rows[k]);
    } else {
        for (size_t k = 0; k < cur->count; k++) eng_part_push_copy(&t->result, &cur->rows[k]);
        free_parts(parts, nparts);
        if ((p->action == ENG_ACT_SAVE || p->action == ENG_ACT_CHECKPOINT) && write_text(e, t, err, sizeof err)) {
            eng_executor_fail_task(e, i, ENG_TASK_ERROR, err);
            return;
        }
    }
    t->computed = 1;
    int64_t duration = e->conf->task_launch_us + t->records * e->conf->record_cost_ns / 1000 + t->storage_us;
    double slow = e->env->ops->slowdown ? e->env->ops->slowdown(e->env->world, e->env->node) : 1.0;
    if (slow > 1) duration = (int64_t)((double)duration * slow); /* a straggler */
    eng_set_timer(e->env, eng_now_us(e->env) + duration, EXECUTOR_TIMER_FINISH, t->task_id);
}

/* The task's time is up: commit its output and report. */
static void finish_task(eng_executor *e, int i) {
    run_task *t = e->tasks[i];
    eng_task_plan *p = &t->plan;
    if (p->output == ENG_OUT_SHUFFLE) {
        if (e->noutputs == e->outputs_cap) {
            int n = e->outputs_cap ? e->outputs_cap * 2 : 16;
            map_output *o = realloc(e->outputs, (size_t)n * sizeof *o);
            if (!o) {
                eng_executor_fail_task(e, i, ENG_TASK_ERROR, "out of memory storing a map output");
                return;
            }
            e->outputs = o;
            e->outputs_cap = n;
        }
        e->outputs[e->noutputs++] =
            (map_output){p->shuffle_id, p->partition, p->writer.num_partitions, t->buckets};
        t->buckets = NULL;
        eng_emit(e->env, ENG_EV_SHUFFLE_WRITE, p->shuffle_id, p->partition, t->bytes_out, 0, NULL);
    } else if (p->action == ENG_ACT_SAVE || p->action == ENG_ACT_CHECKPOINT) {
        /* the task commit: a rename that fails fails the task, which runs
         * again (FileOutputCommitter.commitTask) */
        int64_t latency;
        eng_storage_status st =
            e->env->ops->storage_rename(e->env->world, e->env->node, t->save_tmp, t->save_final, &latency);
        if (st != ENG_STORAGE_OK) {
            char msg[1200];
            snprintf(msg, sizeof msg, "cannot commit %s (storage status %d)", t->save_final, st);
            eng_executor_fail_task(e, i, ENG_TASK_ERROR, msg);
            return;
        }
    }
    send_status(e, t, ENG_TASK_OK, NULL);
    drop_task(e, i);
}

static void start_fetches(eng_executor *e, int i) {
    run_task *t = e->tasks[i];
    eng_task_plan *p = &t->plan;
    t->inputs = calloc((size_t)p->ndeps, sizeof *t->inputs);
    t->got = calloc((size_t)p->ndeps, sizeof *t->got);
    if (!t->inputs || !t->got) {
        eng_executor_fail_task(e, i, ENG_TASK_ERROR, "out of memory");
        return;
    }
    for (int d = 0; d < p->ndeps; d++) {
        t->inputs[d] = calloc((size_t)(p->deps[d].num_maps ? p->deps[d].num_maps : 1), sizeof **t->inputs);
        t->got[d] = calloc((size_t)(p->deps[d].num_maps ? p->deps[d].num_maps : 1), 1);
        if (!t->inputs[d] || !t->got[d]) {
            eng_executor_fail_task(e, i, ENG_TASK_ERROR, "out of memory");
            return;
        }
        for (int m = 0; m < p->deps[d].num_maps; m++) {
            uint32_t node = p->deps[d].map_nodes[m];
            char msg[200];
            if (node == e->env->node) {
                map_output *o = find_output(e, p->deps[d].shuffle_id, m);
                if (!o) {
                    snprintf(msg, sizeof msg, "FetchFailed: shuffle %d map %d is gone from executor %u",
                             p->deps[d].shuffle_id, m, node);
                    eng_executor_fetch_failed(e, i, p->deps[d].shuffle_id, m, node, msg);
                    return;
                }
                t->got[d][m] = 1;
                /* read in place: map outputs outlive the tasks of their batch */
                if (p->input_partition < 0 || p->input_partition >= o->nbuckets) {
                    eng_executor_fail_task(e, i, ENG_TASK_ERROR, "a shuffle read past its buckets");
                    return;
                }
                const eng_part *b = &o->buckets[p->input_partition];
                for (size_t k = 0; k < b->count; k++) eng_part_push(&t->inputs[d][m], b->rows[k]);
                continue;
            }
            if (node == 0) {
                snprintf(msg, sizeof msg, "FetchFailed: shuffle %d map %d has no location", p->deps[d].shuffle_id, m);
                eng_executor_fetch_failed(e, i, p->deps[d].shuffle_id, m, 0, msg);
                return;
            }
            eng_wbuf w;
            eng_wbuf_init(&w);
            eng_wbuf_put_u64(&w, t->task_id);
            eng_wbuf_put_u32(&w, (uint32_t)d);
            eng_wbuf_put_u32(&w, (uint32_t)p->deps[d].shuffle_id);
            eng_wbuf_put_u32(&w, (uint32_t)m);
            eng_wbuf_put_u32(&w, (uint32_t)p->input_partition);
            eng_send(e->env, node, ENG_MSG_FETCH, w.data, w.len);
            eng_wbuf_fini(&w);
            t->pending_fetches++;
        }
    }
    if (t->pending_fetches == 0)
        eng_executor_compute(e, i);
    else
        eng_set_timer(e->env, eng_now_us(e->env) + FETCH_TIMEOUT_US, EXECUTOR_TIMER_FETCH_TIMEOUT, t->task_id);
}

/* A KafkaRDD partition: its offset range, read from the log (the log is
 * outside the cluster and replayable, so a re-run reads the same records). */
static void read_source(eng_executor *e, int i) {
    run_task *t = e->tasks[i];
    const eng_input_split *s = &t->plan.split;
    if (s->source == ENG_SOURCE_RATE) { /* generated here: (timestamp, value) rows of seconds [from, until) */
        const eng_program *prog = e->conf->program;
        if (prog && s->stream >= 0 && s->stream < prog->nqueries)
            eng_ss_rate_rows(&prog->queries[s->stream]->source, (int64_t)s->block, s->from, s->until, s->partition,
                             &t->input);
        eng_executor_compute(e, i);
        return;
    }
    e->env->ops->source_read(e->env->world, s->source, s->partition, s->from, INT64_MAX, s->until - s->from,
                             &t->input);
    eng_executor_compute(e, i);
}

/* A checkpointed partition: the encoded rows, read back from storage. */
static void read_checkpoint(eng_executor *e, int i) {
    run_task *t = e->tasks[i];
    const void *bytes;
    size_t len;
    int64_t latency;
    eng_rbuf r;
    if (e->env->ops->storage_get(e->env->world, e->env->node, t->plan.split.path, &bytes, &len, &latency) !=
            ENG_STORAGE_OK ||
        (eng_rbuf_init(&r, bytes, len), eng_rbuf_get_part(&r, &t->input))) {
        char msg[400];
        snprintf(msg, sizeof msg, "Checkpoint file %s is missing or unreadable", t->plan.split.path);
        eng_executor_fail_task(e, i, ENG_TASK_ERROR, msg);
        return;
    }
    eng_executor_compute(e, i);
}

/* A file's lines, as Hadoop's LineRecordReader cuts them: a final newline
 * does not make an empty last line. */
static void read_file(eng_executor *e, int i) {
    run_task *t = e->tasks[i];
    const void *bytes;
    size_t len;
    int64_t latency;
    if (e->env->ops->storage_get(e->env->world, e->env->node, t->plan.split.path, &bytes, &len, &latency) !=
        ENG_STORAGE_OK) {
        char msg[400];
        snprintf(msg, sizeof msg, "textFileStream: Input path does not exist: %s", t->plan.split.path);
        eng_executor_fail_task(e, i, ENG_TASK_ERROR, msg);
        return;
    }
    const char *p = bytes, *end = p + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        size_t n = (size_t)(stop - p);
        if (n && p[n - 1] == '\r') n--;
        eng_part_push(&t->input, eng_str(&t->input.arena, p, n));
        p = nl ? nl + 1 : end;
    }
    eng_executor_compute(e, i);
}

static void on_launch(eng_executor *e, const void *bytes, size_t len) {
    run_task *t = calloc(1, sizeof *t);
    if (!t) return;
    eng_part_init(&t->result);
    eng_acc_reset(t->acc);
    if (eng_plan_decode(&t->plan, bytes, len)) {
        /* the driver never sends one; say so rather than run garbage */
        free_task(t);
        return;
    }
    t->task_id = t->plan.task_id;
    if (e->ntasks == e->tasks_cap) {
        int n = e->tasks_cap ? e->tasks_cap * 2 : 8;
        run_task **p = realloc(e->tasks, (size_t)n * sizeof *p);
        if (!p) {
            free_task(t);
            return;
        }
        e->tasks = p;
        e->tasks_cap = n;
    }
    e->tasks[e->ntasks++] = t;
    eng_part_init(&t->input);
    int i = e->ntasks - 1;
    switch (t->plan.input) {
    case ENG_IN_SHUFFLE:
        start_fetches(e, i);
        break;
    case ENG_IN_BLOCK:
        eng_blocks_read_for_task(e, i);
        break;
    case ENG_IN_SOURCE:
        read_source(e, i);
        break;
    case ENG_IN_FILE:
        read_file(e, i);
        break;
    case ENG_IN_CHECKPOINT:
        read_checkpoint(e, i);
        break;
    default:
        eng_executor_compute(e, i);
    }
}

static void on_fetch(eng_executor *e, eng_node_id src, const void *bytes, size_t len) {
    eng_rbuf r;
    eng_rbuf_init(&r, bytes, len);
    uint64_t task_id = eng_rd_u64(&r);
    uint32_t dep = eng_rd_u32(&r);
    int32_t shuffle_id = (int32_t)eng_rd_u32(&r);
    int32_t map_index = (int32_t)eng_rd_u32(&r);
    int32_t reduce = (int32_t)eng_rd_u32(&r);
    if (r.err) return;
    map_output *o = find_output(e, shuffle_id, map_index);
    int ok = o && reduce >= 0 && reduce < o->nbuckets;
    eng_wbuf w;
    eng_wbuf_init(&w);
    eng_wbuf_put_u64(&w, task_id);
    eng_wbuf_put_u32(&w, dep);
    eng_wbuf_put_u32(&w, (uint32_t)map_index);
    eng_wbuf_put_u8(&w, (uint8_t)ok);
    if (ok) eng_wbuf_put_part(&w, &o->buckets[reduce]);
    eng_send(e->env, src, ENG_MSG_FETCH_REPLY, w.data, w.len);
    eng_wbuf_fini(&w);
}

static void on_fetch_reply(eng_executor *e, eng_node_id src, const void *bytes, size_t len) {
    eng_rbuf r;
    eng_rbuf_init(&r, bytes, len);
    uint64_t task_id = eng_rd_u64(&r);
    uint32_t dep = eng_rd_u32(&r);
    uint32_t map_index = eng_rd_u32(&r);
    uint8_t ok = eng_rd_u8(&r);
    int i = eng_executor_find_task(e, task_id);
    if (r.err || i < 0) return;
    run_task *t = e->tasks[i];
    eng_task_plan *p = &t->plan;
    if (t->computed || (int)dep >= p->ndeps || (int)map_index >= p->deps[dep].num_maps) return;
    eng_part *slot = &t->inputs[dep][map_index];
    if (!ok || eng_rbuf_get_part(&r, slot)) {
        eng_emit(e->env, ENG_EV_SHUFFLE_FETCH, p->deps[dep].shuffle_id, p->input_partition, 0, 1, NULL);
        char msg[200];
        snprintf(msg, sizeof msg, "FetchFailed: shuffle %d map %u is not on executor %u", p->deps[dep].shuffle_id,
                 map_index, src);
        eng_executor_fetch_failed(e, i, p->deps[dep].shuffle_id, (int32_t)map_index, src, msg);
        return;
    }
    if (t->got[dep][map_index]) return; /* a duplicate reply */
    t->got[dep][map_index] = 1;
    eng_emit(e->env, ENG_EV_SHUFFLE_FETCH, p->deps[dep].shuffle_id, p->input_partition, (int64_t)len, 0, NULL);
    if (--t->pending_fetches == 0) eng_executor_compute(e, i);
}

/* ---- the node --------------------------------------------------------------------- */

static void *executor_create(const eng_env *env, const void *config) {
    eng_executor *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->env = env;
    e->conf = config;
    eng_msg_register m = {.cores = e->conf->cores};
    eng_send(env, ENG_NODE_DRIVER, ENG_MSG_REGISTER_EXECUTOR, &m, sizeof m);
    return e;
}

static void executor_destroy(void *node) {
    eng_executor *e = node;
    eng_blocks_free_all(e);
    eng_receiver_free_all(e);
    eng_ss_stores_free(e);
    for (int i = 0; i < e->ntasks; i++) free_task(e->tasks[i]);
    for (int i = 0; i < e->noutputs; i++) free_output(&e->outputs[i]);
    free(e->tasks);
    free(e->outputs);
    free(e);
}

static void executor_on_timer(void *node, uint32_t tag, uint64_t arg) {
    eng_executor *e = node;
    if (tag == EXECUTOR_TIMER_HEARTBEAT) {
        eng_msg_heartbeat m = {.sequence = ++e->heartbeats_sent};
        eng_send(e->env, ENG_NODE_DRIVER, ENG_MSG_HEARTBEAT, &m, sizeof m);
        eng_set_timer(e->env, eng_now_us(e->env) + e->conf->heartbeat_interval_us, EXECUTOR_TIMER_HEARTBEAT, 0);
        return;
    }
    if (tag == EXECUTOR_TIMER_BLOCK_TICK) {
        eng_receiver_on_tick(e, (int)arg);
        return;
    }
    if (tag == EXECUTOR_TIMER_REPLICATION) {
        eng_receiver_on_replicated(e, arg, 0);
        return;
    }
    if (tag == EXECUTOR_TIMER_RECEIVER_RESTART) {
        eng_receiver_restart(e, (int)arg);
        return;
    }
    if (tag == EXECUTOR_TIMER_AUTO_COMMIT) {
        eng_receiver_auto_commit(e, (int)arg);
        return;
    }
    int i = eng_executor_find_task(e, arg);
    if (i < 0) return;
    if (tag == EXECUTOR_TIMER_FINISH && e->tasks[i]->computed) {
        finish_task(e, i);
    } else if (tag == EXECUTOR_TIMER_FETCH_TIMEOUT && !e->tasks[i]->computed) {
        run_task *t = e->tasks[i];
        if (t->plan.input == ENG_IN_BLOCK) {
            eng_blocks_retry(e, i);
            return;
        }
        if (t->pending_fetches == 0) return;
        /* the first map output that never came names the fetch failure */
        for (int d = 0; d < t->plan.ndeps; d++)
            for (int m = 0; m < t->plan.deps[d].num_maps; m++)
                if (!t->got[d][m]) {
                    char msg[200];
                    snprintf(msg, sizeof msg, "FetchFailed: shuffle %d map %d did not arrive from executor %u within 15 s",
                             t->plan.deps[d].shuffle_id, m, t->plan.deps[d].map_nodes[m]);
                    eng_executor_fetch_failed(e, i, t->plan.deps[d].shuffle_id, m, t->plan.deps[d].map_nodes[m], msg);
                    return;
                }
    }
}

static void executor_on_message(void *node, eng_node_id src, uint32_t kind, const void *bytes, size_t len) {
    eng_executor *e = node;
    switch (kind) {
    case ENG_MSG_REGISTERED_EXECUTOR:
        if (src == ENG_NODE_DRIVER && !e->registered) {
            e->registered = 1;
            eng_set_timer(e->env, eng_now_us(e->env) + e->conf->heartbeat_interval_us, EXECUTOR_TIMER_HEARTBEAT, 0);
        }
        break;
    case ENG_MSG_LAUNCH_TASK:
        if (src == ENG_NODE_DRIVER) on_launch(e, bytes, len);
        break;
    case ENG_MSG_KILL_TASK:
        /* its timers and fetch replies find no task and are ignored */
        if (src == ENG_NODE_DRIVER && len == sizeof(uint64_t)) {
            uint64_t id;
            memcpy(&id, bytes, sizeof id);
            int i = eng_executor_find_task(e, id);
            if (i >= 0) drop_task(e, i);
        }
        break;
    case ENG_MSG_FETCH:
        on_fetch(e, src, bytes, len);
        break;
    case ENG_MSG_FETCH_REPLY:
        on_fetch_reply(e, src, bytes, len);
        break;
    case ENG_MSG_START_RECEIVER:
        if (src == ENG_NODE_DRIVER && len == sizeof(uint32_t)) {
            uint32_t ds;
            memcpy(&ds, bytes, sizeof ds);
            eng_receiver_start(e, (int)ds);
        }
        break;
    case ENG_MSG_RECEIVER_FAILED:
        if (src == ENG_NODE_WORLD && len == sizeof(uint32_t)) {
            uint32_t index;
            memcpy(&index, bytes, sizeof index);
            eng_receiver_fail(e, (int)index);
        }
        break;
    case ENG_MSG_RECEIVER_RATE:
        if (src == ENG_NODE_DRIVER && len == sizeof(uint32_t) + sizeof(int64_t)) {
            uint32_t ds;
            int64_t rate;
            memcpy(&ds, bytes, sizeof ds);
            memcpy(&rate, (const char *)bytes + sizeof ds, sizeof rate);
            eng_receiver_set_rate(e, (int)ds, rate);
        }
        break;
    case ENG_MSG_REPLICATE_BLOCK:
    case ENG_MSG_REPLICATE_ACK:
    case ENG_MSG_FETCH_BLOCK:
    case ENG_MSG_FETCH_BLOCK_REPLY:
    case ENG_MSG_REMOVE_BLOCKS:
        eng_blocks_on_message(e, src, kind, bytes, len);
        break;
    case ENG_MSG_REMOVE_SHUFFLE:
        if (len == sizeof(int32_t)) {
            int32_t id;
            memcpy(&id, bytes, sizeof id);
            remove_shuffle(e, id);
        }
        break;
    default:
        break;
    }
}

const eng_node_ops eng_executor_ops = {
    .role = "executor",
    .create = executor_create,
    .destroy = executor_destroy,
    .on_timer = executor_on_timer,
    .on_message = executor_on_message,
};
