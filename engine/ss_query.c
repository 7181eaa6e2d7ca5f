/* engine/ss_query.c — Structured Streaming's micro-batch loop on the driver
 * (MicroBatchExecution). For each query, each trigger:
 *   1. ask the source for its latest offsets; run a batch when there is new
 *      data, or when the watermark moved past what the last batch used and
 *      a stateful operator may emit or evict (a no-data batch);
 *   2. write offsets/<N> to the checkpoint and wait until it is durable;
 *   3. run the batch as one Spark job on the cluster: the source's offset
 *      range read by tasks, the steps, a shuffle to the stateful operator's
 *      partitions, the state store on the executors;
 *   4. hand the rows to the sink (addBatch), then write commits/<N>;
 *   5. advance the watermark and report progress.
 * A restarted driver reads both logs (8.4) and re-runs an uncommitted batch
 * with exactly its logged offsets and watermark. Everything here is the
 * driver's memory and dies with it; the logs and the state store files are
 * in durable storage. SEMANTICS.md 8.2-8.4, 8.6, 8.11, 8.13-8.18. */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "ss.h"
#include "ss_sink.h"

#define POLLING_DELAY_US 10000 /* spark.sql.streaming.pollingDelay */

enum { SS_IDLE = 0, SS_OFFSETS, SS_WAITING, SS_RUNNING, SS_COMMITTING, SS_STOPPED };

typedef struct eng_ss_run {
    const eng_ss_query *q;
    int index;
    int state;
    int32_t run_id;
    char root[300];
    int64_t batch_id; /* the batch being run, or the next one */
    int nparts;
    int64_t start[ENG_SS_PARTITIONS_MAX], end[ENG_SS_PARTITIONS_MAX];
    int64_t target[ENG_SS_PARTITIONS_MAX]; /* availableNow: where to stop */
    int64_t watermark_us;      /* the watermark after the last batch: the next batch evicts with it */
    int64_t late_wm_us;        /* the watermark the last batch evicted with: the next judges late rows by it */
    int64_t batch_wm_us, batch_late_us;
    int64_t last_evict_us;     /* the watermark the last executed batch used; -1 none ran */
    int64_t batch_timestamp_ms;
    int64_t trigger_start_us, prev_trigger_start_us;
    int64_t rate_start_us;
    int shuffle_partitions;
    int rerun;                 /* the batch is a restarted driver's re-run of its logged offsets */
    int64_t wal_us, latest_offset_us, add_batch_us, commit_us;
    int64_t out_rows; /* rows the sink took in this batch, for its progress report */
    eng_rdd_pool pool;
    int64_t input_rows;
    int64_t acc[ENG_ACC_MAX];
    uint32_t store_loc[ENG_SS_STATEFUL_MAX][ENG_SS_PARTITIONS_MAX]; /* per operator and partition: where its
                                                                      state store was last committed; 0 none */
    eng_part table;            /* the memory sink's table (driver memory) */
    int64_t table_last;        /* its last batch id; -1 */
} eng_ss_run;

static void say(eng_driver *d, const char *fmt, const char *a, const char *b) {
    char msg[1200];
    snprintf(msg, sizeof msg, fmt, a, b);
    eng_driver_fail(d, msg);
}

static eng_storage_status put(eng_driver *d, const char *path, const char *text, size_t len, int64_t *lat) {
    int64_t l = 0;
    eng_storage_status st = d->env->ops->storage_put(d->env->world, d->env->node, path, text, len, &l);
    *lat += l;
    return st;
}

/* ---- the logs ---------------------------------------------------------------------------- */

typedef struct log_lister {
    int64_t max;
    size_t prefix;
} log_lister;

static void each_log(void *ud, const char *path) {
    log_lister *l = ud;
    const char *name = path + l->prefix;
    char *end;
    long long n = strtoll(name, &end, 10);
    if (end != name && *end == 0 && n > l->max) l->max = n;
}

/* The latest entry of <root>/<dir>/, or -1. */
static int64_t latest_entry(eng_driver *d, const char *root, const char *dir) {
    char prefix[400];
    snprintf(prefix, sizeof prefix, "%s/%s/", root, dir);
    log_lister l = {-1, strlen(prefix)};
    d->env->ops->storage_list(d->env->world, prefix, each_log, &l);
    return l.max;
}

/* Reads <root>/<dir>/<n>: its JSON lines after "v1", into lines[] (owned by the caller). */
static int read_entry(eng_driver *d, const char *root, const char *dir, int64_t n, json_t **lines, int max) {
    char path[400];
    snprintf(path, sizeof path, "%s/%s/%" PRId64, root, dir, n);
    const void *bytes;
    size_t len;
    int64_t lat;
    if (d->env->ops->storage_get(d->env->world, d->env->node, path, &bytes, &len, &lat) != ENG_STORAGE_OK) return -1;
    char *text = malloc(len + 1);
    if (!text) return -1;
    memcpy(text, bytes, len);
    text[len] = 0;
    int k = 0;
    char *save = NULL;
    char *line = strtok_r(text, "\n", &save);
    if (!line || strcmp(line, "v1") != 0) {
        free(text);
        return -1;
    }
    while (k < max && (line = strtok_r(NULL, "\n", &save))) lines[k++] = json_loads(line, 0, NULL);
    free(text);
    for (int i = 0; i < k; i++)
        if (!lines[i]) return -1;
    return k;
}

static void free_lines(json_t **lines, int n) {
    for (int i = 0; i < n; i++) json_decref(lines[i]);
}

static int64_t json_int_at(json_t *o, const char *key, int64_t dflt) {
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : dflt;
}

/* The source's offsets in an entry's line: per partition, or the rate source's seconds. */
static void read_offsets(eng_ss_run *r, json_t *o, int64_t *offs) {
    if (r->q->source.kind == ENG_SRC_RATE) {
        offs[0] = json_int_at(o, "seconds", 0);
        return;
    }
    for (int p = 0; p < r->nparts; p++) {
        char key[16];
        snprintf(key, sizeof key, "%d", p);
        offs[p] = json_int_at(o, key, 0);
    }
}

static void offsets_json(const eng_ss_run *r, const int64_t *offs, eng_sbuf *b) {
    char item[96];
    if (r->q->source.kind == ENG_SRC_RATE) {
        snprintf(item, sizeof item, "{\"seconds\":%" PRId64 ",\"startTimeMs\":%" PRId64 "}", offs[0],
                 r->rate_start_us / 1000);
        eng_sbuf_str(b, item);
        return;
    }
    eng_sbuf_str(b, "{");
    for (int p = 0; p < r->nparts; p++) {
        snprintf(item, sizeof item, "%s\"%d\":%" PRId64, p ? "," : "", p, offs[p]);
        eng_sbuf_str(b, item);
    }
    eng_sbuf_str(b, "}");
}

static int write_offsets(eng_driver *d, eng_ss_run *r) {
    const eng_ss_query *q = r->q;
    eng_sbuf b = {0};
    char head[800];
    snprintf(head, sizeof head,
             "v1\n{\"batchWatermarkMs\":%" PRId64 ",\"batchTimestampMs\":%" PRId64
             ",\"conf\":{\"spark.sql.shuffle.partitions\":\"%d\","
             "\"spark.sql.streaming.stateStore.providerClass\":"
             "\"org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider\","
             "\"spark.sql.streaming.multipleWatermarkPolicy\":\"min\","
             "\"spark.sql.streaming.noDataMicroBatches.enabled\":\"%s\"}}\n",
             r->batch_wm_us / 1000, r->batch_timestamp_ms, r->shuffle_partitions,
             q->no_data_batches ? "true" : "false");
    eng_sbuf_str(&b, head);
    offsets_json(r, r->end, &b);
    eng_sbuf_str(&b, "\n");
    char path[400];
    snprintf(path, sizeof path, "%s/offsets/%" PRId64, r->root, r->batch_id);
    r->wal_us = 0;
    eng_storage_status st = put(d, path, b.data, b.len, &r->wal_us);
    eng_emit(d->env, ENG_EV_OFFSET_LOG, r->batch_id, (int64_t)b.len, r->index, 0, path);
    eng_sbuf_fini(&b);
    if (st != ENG_STORAGE_OK) {
        say(d, "%s: cannot write the offset log entry %s", q->where, path);
        return -1;
    }
    return 0;
}

/* Restores the run from its logs (8.4). */
static int restore(eng_driver *d, eng_ss_run *r) {
    int64_t last = latest_entry(d, r->root, "offsets");
    if (last < 0) return 0;
    int64_t committed = latest_entry(d, r->root, "commits");
    json_t *lines[4];
    int n = read_entry(d, r->root, "offsets", last, lines, 4);
    if (n < 2) {
        if (n > 0) free_lines(lines, n);
        say(d, "%s: the offset log entry %s is not readable", r->q->where, r->root);
        return -1;
    }
    int64_t wm_ms = json_int_at(lines[0], "batchWatermarkMs", 0);
    int64_t ts_ms = json_int_at(lines[0], "batchTimestampMs", 0);
    json_t *conf = json_object_get(lines[0], "conf");
    const char *parts = json_string_value(json_object_get(conf, "spark.sql.shuffle.partitions"));
    if (parts && atoi(parts) > 0) r->shuffle_partitions = atoi(parts); /* the checkpoint's, not the session's */
    if (r->q->source.kind == ENG_SRC_RATE) r->rate_start_us = json_int_at(lines[1], "startTimeMs", 0) * 1000;
    int64_t logged[ENG_SS_PARTITIONS_MAX] = {0};
    read_offsets(r, lines[1], logged);
    free_lines(lines, n);
    /* the previous entry: where the logged batch starts, and its watermark (late rows) */
    int64_t prev[ENG_SS_PARTITIONS_MAX] = {0}, prev_wm_ms = 0;
    if (last > 0 && (n = read_entry(d, r->root, "offsets", last - 1, lines, 4)) >= 2) {
        prev_wm_ms = json_int_at(lines[0], "batchWatermarkMs", 0);
        read_offsets(r, lines[1], prev);
    }
    if (n > 0 && last > 0) free_lines(lines, n);
    if (committed == last) { /* all done: go on after it */
        int64_t next_wm_ms = wm_ms;
        if ((n = read_entry(d, r->root, "commits", last, lines, 2)) >= 1) {
            int64_t c = json_int_at(lines[0], "nextBatchWatermarkMs", 0);
            if (c > next_wm_ms) next_wm_ms = c;
            free_lines(lines, n);
        }
        r->batch_id = last + 1;
        memcpy(r->start, logged, sizeof r->start);
        r->watermark_us = next_wm_ms * 1000;
        r->late_wm_us = wm_ms * 1000;
        r->last_evict_us = wm_ms * 1000;
    } else { /* re-run the logged batch with exactly its offsets, watermark and timestamp */
        r->batch_id = last;
        memcpy(r->start, prev, sizeof r->start);
        memcpy(r->end, logged, sizeof r->end);
        r->watermark_us = r->batch_wm_us = wm_ms * 1000;
        r->late_wm_us = r->batch_late_us = prev_wm_ms * 1000;
        r->batch_timestamp_ms = ts_ms;
        r->last_evict_us = last > 0 ? prev_wm_ms * 1000 : -1;
        r->rerun = 1;
    }
    char text[700];
    snprintf(text, sizeof text, "query %s resumed from %s: %s batch %" PRId64,
             r->q->name[0] ? r->q->name : "(unnamed)", r->root, r->rerun ? "runs again its uncommitted" : "goes on with",
             r->batch_id);
    eng_emit(d->env, ENG_EV_RECOVERY_PHASE, 3, eng_ss_job_time(r->index, r->batch_id), r->rerun, 0, text);
    return 0;
}

/* ---- triggers ----------------------------------------------------------------------------- */

static void arm(eng_driver *d, eng_ss_run *r, int64_t at_us) {
    int64_t now = eng_now_us(d->env);
    eng_set_timer(d->env, at_us < now ? now : at_us, ENG_DRIVER_TIMER_SS_TRIGGER, (uint64_t)r->index);
}

/* The next trigger after a batch (or an idle poll) that started at trigger_start_us. */
static void arm_next(eng_driver *d, eng_ss_run *r, int ran) {
    const eng_ss_query *q = r->q;
    int64_t now = eng_now_us(d->env);
    if (q->trigger == ENG_TRIGGER_PROCESSING_TIME) {
        int64_t i = q->trigger_us;
        arm(d, r, (r->trigger_start_us / i + 1) * i); /* an overrun is followed at once */
    } else if (q->trigger == ENG_TRIGGER_DEFAULT || q->trigger == ENG_TRIGGER_AVAILABLE_NOW) {
        arm(d, r, ran ? now : now + POLLING_DELAY_US);
    }
}

static void latest_offsets(eng_driver *d, eng_ss_run *r, int64_t *latest) {
    const eng_ss_source *s = &r->q->source;
    int64_t now = eng_now_us(d->env);
    if (s->kind == ENG_SRC_RATE) {
        latest[0] = (now - r->rate_start_us) / 1000000;
        return;
    }
    for (int p = 0; p < r->nparts; p++) latest[p] = d->env->ops->source_latest(d->env->world, s->source, p, now);
}

static void submit(eng_driver *d, eng_ss_run *r);

/* Whether a stateful operator of q would evict with a watermark that moved
 * (Spark's shouldRunAnotherBatch): dropDuplicates always, an aggregation in
 * Append or Update mode only (StateStoreSaveExec: Complete keeps every
 * group, so a no-data batch would change nothing). */
static int wants_no_data_batch(const eng_ss_query *q) {
    if (!q->has_watermark) return 0;
    for (int i = 0; i < q->nops; i++)
        if (q->ops[i].kind == ENG_STATEFUL_DEDUP || q->mode != ENG_MODE_COMPLETE) return 1;
    return 0;
}

static void trigger(eng_driver *d, eng_ss_run *r) {
    const eng_ss_query *q = r->q;
    if (r->state != SS_IDLE || d->stopped) return;
    int64_t now = eng_now_us(d->env);
    r->prev_trigger_start_us = r->trigger_start_us;
    r->trigger_start_us = now;
    if (r->rerun) { /* the logged batch, as it was */
        r->state = SS_OFFSETS;
        r->wal_us = 0;
        eng_set_timer(d->env, now, ENG_DRIVER_TIMER_SS_OFFSETS, (uint64_t)r->index);
        return;
    }
    int64_t latest[ENG_SS_PARTITIONS_MAX];
    latest_offsets(d, r, latest);
    int n = q->source.kind == ENG_SRC_RATE ? 1 : r->nparts;
    int has_data = 0, reached = 1;
    int64_t lag = 0, limit = q->trigger == ENG_TRIGGER_ONCE ? 0 : q->source.max_per_trigger; /* Once ignores it */
    for (int p = 0; p < n; p++) {
        if (q->trigger == ENG_TRIGGER_AVAILABLE_NOW && latest[p] > r->target[p]) latest[p] = r->target[p];
        if (latest[p] > r->start[p]) lag += latest[p] - r->start[p];
    }
    for (int p = 0; p < n; p++) {
        int64_t e = latest[p];
        /* maxOffsetsPerTrigger: shared by the partitions in proportion to their lag (KafkaSource.rateLimit) */
        if (limit > 0 && lag > limit && e > r->start[p])
            e = r->start[p] + (int64_t)((double)(e - r->start[p]) * (double)limit / (double)lag);
        r->end[p] = e;
        if (e > r->start[p]) has_data = 1;
        if (q->trigger == ENG_TRIGGER_AVAILABLE_NOW && e < r->target[p]) reached = 0;
    }
    int no_data_due = q->no_data_batches && wants_no_data_batch(q) && r->last_evict_us >= 0 &&
                      r->watermark_us > r->last_evict_us;
    if (!has_data && !no_data_due) {
        if (q->trigger == ENG_TRIGGER_ONCE || (q->trigger == ENG_TRIGGER_AVAILABLE_NOW && reached)) {
            r->state = SS_STOPPED;
            return;
        }
        arm_next(d, r, 0);
        return;
    }
    r->batch_late_us = r->late_wm_us;
    r->batch_wm_us = r->watermark_us;
    r->batch_timestamp_ms = now / 1000;
    if (write_offsets(d, r)) return;
    r->state = SS_OFFSETS;
    eng_set_timer(d->env, now + r->wal_us, ENG_DRIVER_TIMER_SS_OFFSETS, (uint64_t)r->index);
}

/* ---- the batch's job ------------------------------------------------------------------------ */

static int build(eng_driver *d, eng_ss_run *r, eng_rdd **out, char *err, size_t errlen) {
    const eng_ss_query *q = r->q;
    eng_input_split splits[ENG_SS_PARTITIONS_MAX];
    int n = 0;
    r->input_rows = 0;
    if (q->source.kind == ENG_SRC_RATE) {
        for (int p = 0; p < q->source.num_partitions && p < ENG_SS_PARTITIONS_MAX; p++, n++)
            splits[n] = (eng_input_split){.kind = ENG_IN_SOURCE, .source = ENG_SOURCE_RATE, .stream = r->index,
                                          .partition = p, .block = (uint64_t)r->rate_start_us,
                                          .from = r->start[0], .until = r->end[0]};
        r->input_rows = eng_ss_rate_value_at(&q->source, r->end[0]) - eng_ss_rate_value_at(&q->source, r->start[0]);
    } else {
        for (int p = 0; p < r->nparts; p++, n++) {
            splits[n] = (eng_input_split){.kind = ENG_IN_SOURCE, .source = q->source.source, .stream = r->index,
                                          .partition = p, .from = r->start[p], .until = r->end[p],
                                          .records = r->end[p] - r->start[p]};
            r->input_rows += r->end[p] - r->start[p];
        }
    }
    eng_rdd *rdd = eng_rdd_input(&r->pool, &d->ids, ENG_NAME_WRITE_STREAM, splits, n);
    if (!rdd) goto oom;
    /* the steps up to each stateful operator's shuffle, its state store, and so on */
    int from = -1;
    for (int k = 0; k <= q->nops; k++) {
        int to = k < q->nops ? q->ops[k].key_step + 1 : q->nsteps;
        if (from < 0 || from < to) {
            eng_op rows = {.kind = ENG_OP_SS_ROWS, .name = ENG_NAME_WRITE_STREAM, .query = r->index,
                           .step_from = from, .step_to = to, .param = r->run_id, .where = q->where};
            if (!(rdd = eng_rdd_new(&r->pool, &d->ids, &rows, &rdd, 1, NULL, err, errlen))) return -1;
        }
        if (k == q->nops) break;
        const eng_ss_stateful_op *so = &q->ops[k];
        eng_op shuffle = {.kind = ENG_OP_COMBINE, .num_partitions = r->shuffle_partitions, .where = q->where,
                          .name = so->kind == ENG_STATEFUL_AGG ? ENG_NAME_GROUP_BY : ENG_NAME_DROP_DUPLICATES};
        if (so->kind == ENG_STATEFUL_AGG) {
            eng_fn merge = {.builtin = ENG_FN_SS_MERGE, .ref = eng_ss_pack_aggs(so->agg_kind, so->naggs)};
            shuffle.agg = (eng_aggregator){.present = 1, .map_side_combine = 1,
                                           .create_combiner = {.builtin = ENG_FN_IDENTITY},
                                           .merge_value = merge, .merge_combiners = merge};
        }
        if (!(rdd = eng_rdd_new(&r->pool, &d->ids, &shuffle, &rdd, 1, NULL, err, errlen))) return -1;
        eng_op state = {.kind = so->kind == ENG_STATEFUL_AGG ? ENG_OP_SS_AGG : ENG_OP_SS_DEDUP,
                        .name = shuffle.name, .query = r->index, .step_from = k, .version = r->batch_id,
                        .watermark_us = r->batch_late_us, .evict_us = r->batch_wm_us, .param = r->run_id,
                        .where = q->where};
        if (!(rdd = eng_rdd_new(&r->pool, &d->ids, &state, &rdd, 1, NULL, err, errlen))) return -1;
        /* the tasks prefer the executor holding their store (StateStoreRDD.getPreferredLocations) */
        rdd->cached_on = calloc((size_t)rdd->num_partitions, sizeof *rdd->cached_on);
        if (!rdd->cached_on) goto oom;
        for (int p = 0; p < rdd->num_partitions && p < ENG_SS_PARTITIONS_MAX; p++) rdd->cached_on[p] = r->store_loc[k][p];
        from = to;
    }
    *out = rdd;
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}

static void submit(eng_driver *d, eng_ss_run *r) {
    if (d->job) { /* one Spark job at a time: wait for the slot */
        r->state = SS_WAITING;
        return;
    }
    char err[1200];
    eng_rdd *rdd;
    if (build(d, r, &rdd, err, sizeof err)) {
        eng_driver_fail(d, err);
        return;
    }
    r->state = SS_RUNNING;
    r->add_batch_us = eng_now_us(d->env);
    d->job_owner = 1 + r->index;
    d->job_time_us = eng_ss_job_time(r->index, r->batch_id);
    if (eng_dag_submit(d, rdd, ENG_ACT_COLLECT, NULL, err, sizeof err)) {
        d->job_owner = 0;
        eng_driver_fail(d, err);
        return;
    }
    if (d->job && d->job->done) eng_ss_job_done(d);
}

/* ---- sinks ------------------------------------------------------------------------------------ */

static uint64_t fnv(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

/* Returns 0 written, 1 skipped (a batch the sink committed before), -1 refused. */
static int sink_file(eng_driver *d, eng_ss_run *r, const eng_part *rows, int64_t *lat) {
    const eng_ss_query *q = r->q;
    char path[700];
    snprintf(path, sizeof path, "%s/_spark_metadata", q->path);
    char dir[400];
    snprintf(dir, sizeof dir, "%s", q->path);
    if (latest_entry(d, dir, "_spark_metadata") >= r->batch_id) return 1; /* committed before: skipped */
    eng_sbuf b = {0};
    for (size_t i = 0; i < rows->count; i++) {
        eng_ss_row_json(&q->out, &rows->rows[i], &b);
        eng_sbuf_str(&b, "\n");
    }
    uint64_t u1 = eng_rng_next(d->env), u2 = eng_rng_next(d->env);
    snprintf(path, sizeof path, "%s/part-00000-%08x-%04x-%04x-%04x-%012llx.json", q->path, (unsigned)(u1 >> 32),
             (unsigned)(u1 >> 16) & 0xffff, (unsigned)u1 & 0xffff, (unsigned)(u2 >> 48),
             (unsigned long long)(u2 & 0xffffffffffffULL));
    if (d->env->ops->sink_write && d->env->ops->sink_write(d->env->world, d->env->node, path)) {
        eng_sbuf_fini(&b);
        return -1;
    }
    eng_storage_status st = put(d, path, b.data ? b.data : "", b.len, lat);
    char meta[900], mpath[700];
    snprintf(meta, sizeof meta, "v1\n{\"path\":\"%s\",\"size\":%zu,\"isDir\":false,\"action\":\"add\"}\n", path, b.len);
    snprintf(mpath, sizeof mpath, "%s/_spark_metadata/%" PRId64, q->path, r->batch_id);
    if (st == ENG_STORAGE_OK) st = put(d, mpath, meta, strlen(meta), lat);
    eng_sbuf_fini(&b);
    return st == ENG_STORAGE_OK ? 0 : -1;
}

static int sink_kv(eng_driver *d, eng_ss_run *r, const eng_part *rows, int64_t *lat) {
    const eng_ss_query *q = r->q;
    eng_sql_schema keys = q->out;
    if (q->out_keys > 0) keys.ncols = q->out_keys;
    for (size_t i = 0; i < rows->count; i++) {
        eng_sbuf k = {0}, v = {0};
        eng_ss_row_json(&keys, &rows->rows[i], &k);
        eng_ss_row_json(&q->out, &rows->rows[i], &v);
        char path[700];
        snprintf(path, sizeof path, "%s/%016llx", q->path, (unsigned long long)fnv(k.data, k.len));
        int rc = d->env->ops->sink_write && d->env->ops->sink_write(d->env->world, d->env->node, path);
        if (!rc) rc = put(d, path, v.data, v.len, lat) != ENG_STORAGE_OK;
        eng_sbuf_fini(&k);
        eng_sbuf_fini(&v);
        if (rc) return -1;
    }
    return 0;
}

/* Sink.addBatch(N, rows). Returns 0, or -1 when the sink refused. */
static int add_batch(eng_driver *d, eng_ss_run *r, const eng_part *rows, int64_t *lat) {
    const eng_ss_query *q = r->q;
    int64_t t = eng_now_us(d->env);
    int skipped = 0;
    switch (q->sink) {
    case ENG_SINK_CONSOLE: {
        eng_sbuf b = {0};
        char head[200];
        snprintf(head, sizeof head, "-------------------------------------------\nBatch: %" PRId64
                                    "\n-------------------------------------------\n", r->batch_id);
        eng_sbuf_str(&b, head);
        eng_ss_show(&q->out, rows->rows, rows->count, q->console_rows, q->console_truncate, &b);
        d->env->ops->console(d->env->world, b.data);
        eng_sbuf_fini(&b);
        break;
    }
    case ENG_SINK_MEMORY:
        if (r->batch_id <= r->table_last) { /* MemorySink skips a batch it has */
            skipped = 1;
            break;
        }
        if (q->mode == ENG_MODE_COMPLETE) {
            eng_part_fini(&r->table);
            eng_part_init(&r->table);
        }
        for (size_t i = 0; i < rows->count; i++) eng_part_push_copy(&r->table, &rows->rows[i]);
        r->table_last = r->batch_id;
        break;
    case ENG_SINK_FILE:
        skipped = sink_file(d, r, rows, lat);
        if (skipped < 0) return -1;
        break;
    case ENG_SINK_KV:
        if (sink_kv(d, r, rows, lat)) return -1;
        break;
    case ENG_SINK_FOREACH_BATCH: {
        char err[1200];
        if (d->env->ops->ss_foreach_batch(d->env->world, r->index, &q->foreach_fn, r->batch_id, rows->rows,
                                          rows->count, lat, err, sizeof err)) {
            eng_driver_fail(d, err);
            return -2;
        }
        break;
    }
    default:
        break;
    }
    d->env->ops->ss_result(d->env->world, r->index, r->batch_id, t, rows->rows, rows->count);
    eng_emit(d->env, ENG_EV_SINK_WRITE, r->index, r->batch_id, (int64_t)rows->count, skipped, q->name);
    return 0;
}

/* ---- progress ---------------------------------------------------------------------------------- */

/* ISO-8601 UTC with milliseconds, as the progress JSON shows times. */
static void iso(int64_t us, char *buf, size_t n) {
    int64_t ms = us >= 0 ? us / 1000 : -((-us + 999) / 1000);
    int64_t ms_part = ms % 1000 < 0 ? ms % 1000 + 1000 : ms % 1000;
    char t[48];
    eng_sql_format_timestamp((ms - ms_part) * 1000, t, sizeof t);
    t[10] = 'T';
    snprintf(buf, n, "%s.%03dZ", t, (int)ms_part);
}

static void progress(eng_driver *d, eng_ss_run *r, int64_t rows_out) {
    const eng_ss_query *q = r->q;
    int64_t now = eng_now_us(d->env);
    int64_t dur_ms = (now - r->trigger_start_us) / 1000;
    double since_prev = r->prev_trigger_start_us > 0 || r->batch_id > 0
                            ? (double)(r->trigger_start_us - r->prev_trigger_start_us) / 1e6 : 0;
    double in_rate = since_prev > 0 ? (double)r->input_rows / since_prev : 0;
    double proc_rate = (double)r->input_rows / ((double)(dur_ms > 0 ? dur_ms : 1) / 1000.0);
    char buf[4096], ts[64], wm[64];
    iso(r->trigger_start_us, ts, sizeof ts);
    iso(r->batch_wm_us, wm, sizeof wm);
    eng_sbuf b = {0};
    snprintf(buf, sizeof buf,
             "{\"id\":\"%s\",\"batchId\":%" PRId64 ",\"timestamp\":\"%s\",\"numInputRows\":%" PRId64
             ",\"inputRowsPerSecond\":%.1f,\"processedRowsPerSecond\":%.1f,\"durationMs\":{\"triggerExecution\":%" PRId64
             ",\"latestOffset\":0,\"walCommit\":%" PRId64 ",\"addBatch\":%" PRId64 ",\"commitOffsets\":%" PRId64 "}",
             q->name, r->batch_id, ts, r->input_rows, in_rate, proc_rate, dur_ms, r->wal_us / 1000,
             r->add_batch_us / 1000, r->commit_us / 1000);
    eng_sbuf_str(&b, buf);
    if (q->has_watermark) {
        if (r->acc[ENG_ACC_EVENT_COUNT] > 0) {
            char mx[64], mn[64];
            iso(r->acc[ENG_ACC_EVENT_MAX], mx, sizeof mx);
            iso(r->acc[ENG_ACC_EVENT_MIN], mn, sizeof mn);
            int64_t avg_ms = r->acc[ENG_ACC_EVENT_SUM] / r->acc[ENG_ACC_EVENT_COUNT];
            char av[64];
            iso(avg_ms * 1000, av, sizeof av);
            snprintf(buf, sizeof buf, ",\"eventTime\":{\"avg\":\"%s\",\"max\":\"%s\",\"min\":\"%s\",\"watermark\":\"%s\"}",
                     av, mx, mn, wm);
        } else {
            snprintf(buf, sizeof buf, ",\"eventTime\":{\"watermark\":\"%s\"}", wm);
        }
        eng_sbuf_str(&b, buf);
    }
    snprintf(buf, sizeof buf, ",\"watermarkMs\":%" PRId64, r->batch_wm_us / 1000);
    eng_sbuf_str(&b, buf);
    /* stateOperators: the last operator first, as Spark lists them (from the sink down) */
    for (int k = q->nops - 1; k >= 0; k--) {
        const int64_t *a = r->acc + ENG_ACC_OP(k);
        snprintf(buf, sizeof buf,
                 "%s{\"operatorName\":\"%s\",\"numRowsTotal\":%" PRId64 ",\"numRowsUpdated\":%" PRId64
                 ",\"numRowsRemoved\":%" PRId64 ",\"numRowsDroppedByWatermark\":%" PRId64
                 ",\"numShufflePartitions\":%d}%s",
                 k == q->nops - 1 ? ",\"stateOperators\":[" : ",",
                 q->ops[k].kind == ENG_STATEFUL_AGG ? "stateStoreSave" : "dedupe", a[ENG_ACC_STATE_TOTAL],
                 a[ENG_ACC_STATE_UPDATED], a[ENG_ACC_STATE_REMOVED], a[ENG_ACC_STATE_DROPPED], r->shuffle_partitions,
                 k == 0 ? "]" : "");
        eng_sbuf_str(&b, buf);
    }
    eng_sbuf_str(&b, ",\"sources\":[{\"description\":\"");
    eng_sbuf_str(&b, q->source.name);
    eng_sbuf_str(&b, "\",\"startOffset\":");
    offsets_json(r, r->start, &b);
    eng_sbuf_str(&b, ",\"endOffset\":");
    offsets_json(r, r->end, &b);
    snprintf(buf, sizeof buf, ",\"numInputRows\":%" PRId64 "}],\"sink\":{\"numOutputRows\":%" PRId64 "}}",
             r->input_rows, rows_out);
    eng_sbuf_str(&b, buf);
    eng_emit(d->env, ENG_EV_QUERY_PROGRESS, r->index, r->batch_id, r->input_rows, now - r->trigger_start_us, b.data);
    int64_t dropped = 0;
    for (int k = 0; k < q->nops; k++) dropped += r->acc[ENG_ACC_OP(k) + ENG_ACC_STATE_DROPPED];
    if (dropped > 0) eng_emit(d->env, ENG_EV_LATE_DROPPED, r->batch_id, dropped, r->index, 0, NULL);
    eng_sbuf_fini(&b);
}

/* ---- the batch's end ------------------------------------------------------------------------------ */

static void release_job(eng_driver *d) {
    int64_t t = d->job_time_us;
    eng_dag_free_job(d);
    d->job_owner = 0;
    eng_dag_cleanup_batch(d, t);
}

void eng_ss_job_done(eng_driver *d) {
    eng_job *job = d->job;
    if (!job || !job->owner || job->owner > d->nss) return;
    eng_ss_run *r = &d->ss[job->owner - 1];
    const eng_ss_query *q = r->q;
    eng_part rows;
    eng_part_init(&rows);
    for (int p = 0; p < job->rdd->num_partitions; p++)
        for (size_t k = 0; k < job->results[p].count; k++) eng_part_push_copy(&rows, &job->results[p].rows[k]);
    memcpy(r->acc, job->acc, sizeof r->acc);
    release_job(d);
    eng_rdd_pool_free(&r->pool);
    r->pool = (eng_rdd_pool){0};
    int64_t now = eng_now_us(d->env);
    r->add_batch_us = now - r->add_batch_us;
    int64_t lat = 0;
    int rc = add_batch(d, r, &rows, &lat);
    int64_t out_rows = (int64_t)rows.count;
    eng_part_fini(&rows);
    if (rc == -2) return;
    if (rc) {
        char msg[600];
        snprintf(msg, sizeof msg, "%s: the sink refused batch %" PRId64 " of query %s", q->where, r->batch_id,
                 q->name[0] ? q->name : "(unnamed)");
        eng_driver_fail(d, msg);
        return;
    }
    /* the watermark the next batch uses (8.6) */
    if (q->has_watermark && r->acc[ENG_ACC_EVENT_COUNT] > 0) {
        int64_t max_ms = r->acc[ENG_ACC_EVENT_MAX] / 1000 - (r->acc[ENG_ACC_EVENT_MAX] % 1000 < 0);
        int64_t cand = max_ms * 1000 - q->delay_us;
        if (cand > r->watermark_us) {
            r->watermark_us = cand;
            eng_emit(d->env, ENG_EV_WATERMARK, r->batch_id, cand, r->index, 0, q->name);
        }
    }
    r->state = SS_COMMITTING;
    r->commit_us = lat;
    r->out_rows = out_rows;
    eng_set_timer(d->env, now + lat, ENG_DRIVER_TIMER_SS_COMMIT, (uint64_t)r->index);
    eng_ss_kick(d);
    if (d->batch_running && !d->job) eng_outputs_advance(d);
}

static void committed(eng_driver *d, eng_ss_run *r) {
    char path[400], text[128];
    snprintf(path, sizeof path, "%s/commits/%" PRId64, r->root, r->batch_id);
    int len = snprintf(text, sizeof text, "v1\n{\"nextBatchWatermarkMs\":%" PRId64 "}\n", r->watermark_us / 1000);
    int64_t lat = 0;
    if (put(d, path, text, (size_t)len, &lat) != ENG_STORAGE_OK) {
        say(d, "%s: cannot write the commit log entry %s", r->q->where, path);
        return;
    }
    eng_emit(d->env, ENG_EV_COMMIT_LOG, r->batch_id, len, r->index, 0, path);
    /* the progress report follows the commit (MicroBatchExecution: commitLog.add, then finishTrigger) */
    progress(d, r, r->out_rows);
    r->last_evict_us = r->batch_wm_us;
    r->late_wm_us = r->batch_wm_us;
    memcpy(r->start, r->end, sizeof r->start);
    r->batch_id++;
    r->rerun = 0;
    r->state = SS_IDLE;
    if (r->q->trigger == ENG_TRIGGER_ONCE) {
        r->state = SS_STOPPED;
        return;
    }
    arm_next(d, r, 1);
}

/* ---- the driver's hooks ----------------------------------------------------------------------------- */

int eng_ss_start(eng_driver *d, char *err, size_t errlen) {
    const eng_program *p = d->program;
    if (!p || p->nqueries == 0) return 0;
    d->ss = calloc((size_t)p->nqueries, sizeof *d->ss);
    if (!d->ss) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    d->nss = p->nqueries;
    int64_t now = eng_now_us(d->env);
    for (int i = 0; i < p->nqueries; i++) {
        eng_ss_run *r = &d->ss[i];
        r->q = p->queries[i];
        r->index = i;
        r->run_id = (int32_t)(now / 1000);
        eng_ss_checkpoint_root(r->q, r->run_id, r->root, sizeof r->root);
        r->nparts = r->q->source.kind == ENG_SRC_RATE ? 1 : r->q->source.partitions;
        if (r->nparts > ENG_SS_PARTITIONS_MAX) r->nparts = ENG_SS_PARTITIONS_MAX;
        r->shuffle_partitions = r->q->shuffle_partitions;
        r->rate_start_us = now - now % 1000;
        r->last_evict_us = -1;
        r->table_last = -1;
        eng_part_init(&r->table);
        if (r->q->checkpoint[0] && restore(d, r)) return -1;
        if (r->q->source.kind == ENG_SRC_SOCKET) {
            /* not replayable: a new connection sees only what arrives from now on */
            int64_t latest[ENG_SS_PARTITIONS_MAX];
            latest_offsets(d, r, latest);
            memcpy(r->start, latest, sizeof r->start);
            if (r->rerun) memcpy(r->end, latest, sizeof r->end);
        } else if (r->batch_id == 0 && !r->rerun && r->q->source.kind != ENG_SRC_RATE) {
            /* a query that starts afresh: startingOffsets */
            memset(r->start, 0, sizeof r->start);
            if (r->q->source.starting_latest) latest_offsets(d, r, r->start);
        }
        if (r->q->trigger == ENG_TRIGGER_AVAILABLE_NOW) latest_offsets(d, r, r->target);
        arm(d, r, now);
    }
    return 0;
}

void eng_ss_on_timer(eng_driver *d, uint32_t tag, int query) {
    if (query < 0 || query >= d->nss || d->stopped) return;
    eng_ss_run *r = &d->ss[query];
    if (tag == ENG_DRIVER_TIMER_SS_TRIGGER) {
        trigger(d, r);
    } else if (tag == ENG_DRIVER_TIMER_SS_OFFSETS && r->state == SS_OFFSETS) {
        submit(d, r);
    } else if (tag == ENG_DRIVER_TIMER_SS_COMMIT && r->state == SS_COMMITTING) {
        committed(d, r);
    }
}

void eng_ss_task_done(eng_driver *d, const eng_rdd *rdd, int p, uint32_t node) {
    if (!d->job || d->job->owner < 1 || d->job->owner > d->nss) return;
    eng_ss_run *r = &d->ss[d->job->owner - 1];
    for (const eng_rdd *x = rdd; x && p < ENG_SS_PARTITIONS_MAX; x = x->nparents ? x->parents[0] : NULL) {
        if (x->op.kind == ENG_OP_SS_AGG || x->op.kind == ENG_OP_SS_DEDUP) {
            if (x->op.step_from >= 0 && x->op.step_from < ENG_SS_STATEFUL_MAX) r->store_loc[x->op.step_from][p] = node;
            return;
        }
        if (eng_op_is_wide(x->op.kind)) return;
    }
}

void eng_ss_kick(eng_driver *d) {
    if (d->ss_kicking) return;
    d->ss_kicking = 1;
    for (int i = 0; i < d->nss && !d->job && !d->stopped; i++)
        if (d->ss[i].state == SS_WAITING) submit(d, &d->ss[i]);
    d->ss_kicking = 0;
}

void eng_ss_fini(eng_driver *d) {
    for (int i = 0; i < d->nss; i++) {
        eng_rdd_pool_free(&d->ss[i].pool);
        eng_part_fini(&d->ss[i].table);
    }
    free(d->ss);
    d->ss = NULL;
    d->nss = 0;
}
