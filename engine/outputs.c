/* engine/outputs.c — the output operations of a batch, one after another
 * (JobScheduler runs a batch's jobs in registration order):
 *   print(num)       a collect job, then Spark's console block (DStream.print):
 *                    43 dashes, "Time: <t> ms", 43 dashes, the first num
 *                    records, "..." when there are more, an empty line;
 *   saveAsTextFiles  a job whose tasks write <prefix>-<t>[.suffix]/part-NNNNN
 *                    into durable storage (StreamingContext.rddToFileName);
 *   foreachRDD(f)    the host's function on the driver; each action it runs
 *                    is a job, and the function waits for its result.
 * Every output also reports its records for the batch (results.jsonl):
 * print and saveAsTextFiles the RDD's records in partition order,
 * foreachRDD the records its actions collected. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"

#define DASHES "-------------------------------------------"

/* All partitions' rows of the finished job, in partition order, into one part. */
static void gather(const eng_job *job, eng_part *all) {
    eng_part_init(all);
    for (int p = 0; p < job->rdd->num_partitions; p++)
        for (size_t i = 0; i < job->results[p].count; i++) eng_part_push_copy(all, &job->results[p].rows[i]);
}

static void print_block(eng_driver *d, const eng_dstream *out, int64_t t_us, const eng_part *rows) {
    size_t cap = 256, len = 0;
    char *text = malloc(cap);
    if (!text) return;
#define APPEND(s, n)                                          \
    do {                                                      \
        size_t n_ = (n);                                      \
        while (len + n_ + 1 > cap) {                          \
            char *t_ = realloc(text, cap * 2);                \
            if (!t_) {                                        \
                free(text);                                   \
                return;                                       \
            }                                                 \
            text = t_;                                        \
            cap *= 2;                                         \
        }                                                     \
        memcpy(text + len, (s), n_);                          \
        len += n_;                                            \
    } while (0)
    char head[128];
    int n = snprintf(head, sizeof head, DASHES "\nTime: %lld ms\n" DASHES "\n", (long long)(t_us / 1000));
    APPEND(head, (size_t)n);
    size_t shown = rows->count < (size_t)out->print_num ? rows->count : (size_t)out->print_num;
    for (size_t i = 0; i < shown; i++) {
        char small[256];
        size_t need = eng_value_format(&rows->rows[i], small, sizeof small);
        if (need < sizeof small) {
            APPEND(small, need);
        } else {
            char *big = malloc(need + 1);
            if (!big) break;
            eng_value_format(&rows->rows[i], big, need + 1);
            APPEND(big, need);
            free(big);
        }
        APPEND("\n", 1);
    }
    if (rows->count > shown) APPEND("...\n", 4);
    APPEND("\n", 1);
#undef APPEND
    text[len] = '\0';
    d->env->ops->console(d->env->world, text);
    free(text);
}

/* The output's records for this batch go out (results.jsonl), and the trace
 * says so: sink_write(output, batch time in ms, rows). */
static void report(eng_driver *d, const eng_dstream *out, int64_t t_us, const eng_part *rows) {
    eng_emit(d->env, ENG_EV_SINK_WRITE, out->output_index, t_us / 1000, rows ? (int64_t)rows->count : 0, 0, NULL);
    d->env->ops->result(d->env->world, out->output_index, out->name, t_us, rows ? rows->rows : NULL,
                        rows ? rows->count : 0);
}

static void save_path(const eng_dstream *out, int64_t t_us, char *buf, size_t n) {
    long long ms = (long long)(t_us / 1000);
    if (out->prefix && out->prefix[0])
        snprintf(buf, n, "%s-%lld%s%s", out->prefix, ms, out->suffix && out->suffix[0] ? "." : "",
                 out->suffix ? out->suffix : "");
    else
        snprintf(buf, n, "%lld%s%s", ms, out->suffix && out->suffix[0] ? "." : "", out->suffix ? out->suffix : "");
}

/* Runs (or resumes) a foreachRDD function. Returns 1 when it waits for a
 * job, 0 when done, -1 when the run failed. What its actions collected
 * gathers in sj->collected. */
static int step_foreach(eng_driver *d, eng_batch *b, eng_stream_job *sj) {
    for (;;) {
        eng_output_call call = {.fn = &sj->output->fn, .driver = d, .rdd = sj->rdd, .time_us = b->time_us,
                                .host_state = sj->host_state};
        eng_part result;
        eng_part_init(&result);
        if (d->job) { /* resumed with the result of its action */
            gather(d->job, &result);
            call.rows = result.rows;
            call.nrows = result.count;
            call.count = d->job->action == ENG_ACT_COUNT ? d->job->count : (int64_t)result.count;
            for (size_t i = 0; i < result.count; i++) eng_part_push_copy(&sj->collected, &result.rows[i]);
            eng_dag_free_job(d);
        }
        char err[1024];
        d->rdd_home = b;
        int rc = d->env->ops->run_output(d->env->world, &call, err, sizeof err);
        d->rdd_home = NULL;
        eng_part_fini(&result);
        sj->host_state = rc == 1 ? call.host_state : NULL;
        if (rc < 0) {
            eng_driver_fail(d, err);
            return -1;
        }
        if (rc == 0) return 0;
        if (eng_dag_submit(d, call.action_rdd, call.action, NULL, err, sizeof err)) {
            eng_driver_fail(d, err);
            return -1;
        }
        if (!d->job->done) return 1; /* a job with no tasks is done at once: resume now */
    }
}

/* Data checkpoints: after the batch's output jobs, each RDD marked for a
 * checkpoint is written by a job of its own to <dir>/rdd-<id>/part-NNNNN,
 * and its lineage is cut: it reads those files from now on
 * (RDD.doCheckpoint, ReliableCheckpointRDD). Returns 1 while a checkpoint
 * job runs. */
static int step_checkpoints(eng_driver *d, eng_batch *b) {
    char err[1024], path[600];
    if (d->job) { /* a checkpoint job is done */
        eng_rdd *r = d->job->rdd;
        int64_t bytes = 0;
        eng_input_split *splits = calloc((size_t)(r->num_partitions ? r->num_partitions : 1), sizeof *splits);
        if (!splits) {
            eng_driver_fail(d, "out of memory");
            return 1;
        }
        for (int p = 0; p < r->num_partitions; p++) {
            splits[p].kind = ENG_IN_CHECKPOINT;
            snprintf(splits[p].path, sizeof splits[p].path, "%.200s/part-%05d", d->job->save_path, p);
            for (size_t i = 0; i < d->job->results[p].count; i++) bytes += (int64_t)eng_value_wire_size(&d->job->results[p].rows[i]);
        }
        eng_emit(d->env, ENG_EV_CHECKPOINT_WRITE, 2, b->time_us, r->lineage, bytes, d->job->save_path);
        eng_recovery_data_checkpointed(d, b, r, d->job->save_path);
        eng_rdd_truncate(r, splits, r->num_partitions);
        free(splits);
        eng_dag_free_job(d);
    }
    /* the oldest marked RDD first: the pool lists the newest first */
    eng_rdd *next = NULL;
    for (eng_rdd *r = b->pool.head; r; r = r->next_in_pool)
        if (r->checkpoint == 1) next = r;
    if (!next) return 0;
    next->checkpoint = 3; /* being written */
    snprintf(path, sizeof path, "%s/rdd-%u", d->program->checkpoint_dir ? d->program->checkpoint_dir : "checkpoint",
             next->id);
    if (eng_dag_submit(d, next, ENG_ACT_CHECKPOINT, path, err, sizeof err)) {
        eng_driver_fail(d, err);
        return 1;
    }
    if (d->job && d->job->done) return step_checkpoints(d, b);
    return 1;
}

static void advance(eng_driver *d) {
    while (!d->stopped && d->batch_running) {
        if (d->job && d->job->owner) return; /* a Structured Streaming query's job holds the slot */
        eng_batch *b = d->batches[0];
        if (b->next_job >= b->njobs) {
            if (d->job && !d->job->done) return;
            if (step_checkpoints(d, b)) return;
            eng_driver_batch_done(d);
            return;
        }
        eng_stream_job *sj = &b->jobs[b->next_job];
        const eng_dstream *out = sj->output;
        if (d->job && !d->job->done) return; /* waiting for the job */
        char err[1024], path[600];
        if (out->output_kind == ENG_OUT_FOREACH) {
            int rc = step_foreach(d, b, sj);
            if (rc != 0) return; /* waiting for its job, or failed */
            report(d, out, b->time_us, &sj->collected);
            eng_part_fini(&sj->collected);
            b->next_job++;
            continue;
        }
        if (!d->job) { /* start: one job over the output's RDD */
            uint32_t action = out->output_kind == ENG_OUT_SAVE ? ENG_ACT_SAVE : ENG_ACT_COLLECT;
            if (action == ENG_ACT_SAVE) save_path(out, b->time_us, path, sizeof path);
            if (eng_dag_submit(d, sj->rdd, action, action == ENG_ACT_SAVE ? path : NULL, err, sizeof err)) {
                eng_driver_fail(d, err);
                return;
            }
            if (d->job && !d->job->done) return;
        }
        eng_part all;
        gather(d->job, &all);
        if (out->output_kind == ENG_OUT_PRINT) print_block(d, out, b->time_us, &all);
        report(d, out, b->time_us, &all);
        eng_part_fini(&all);
        eng_dag_free_job(d);
        b->next_job++;
    }
}

void eng_outputs_advance(eng_driver *d) {
    advance(d);
    if (!d->job) eng_ss_kick(d); /* the slot is free: a query waiting for it goes */
}
