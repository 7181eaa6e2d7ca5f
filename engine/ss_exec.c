/* engine/ss_exec.c — Structured Streaming on an executor: the rows ops and
 * the state store of the stateful operators.
 *
 * The state store (HDFSBackedStateStoreProvider): one per (query, shuffle
 * partition), kept in this executor's memory at the version it last
 * committed. A task of batch N loads version N (from memory, or from the
 * checkpoint: the latest snapshot at or below N, then the deltas after it),
 * applies the batch, writes `<N+1>.delta` to durable storage (and a
 * `<N+1>.snapshot` every 10 versions), and keeps N+1 in memory. A crash
 * loses the memory copy; the next task of that partition, wherever it runs,
 * loads it back from the checkpoint. Source: HDFSBackedStateStoreProvider
 * (loadMap, commitUpdates, doSnapshot); StateStoreRDD; statefulOperators.scala.
 * streamlab writes the snapshot in the task rather than in a maintenance
 * thread every 60 s: same files, at a fixed cadence.
 */
#include "ss_exec.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "program.h"

#define SNAPSHOT_EVERY 10 /* spark.sql.streaming.stateStore.minDeltasForSnapshot */

struct ss_store {
    char dir[400];   /* <checkpoint>/state/0/<partition> */
    int64_t version; /* the version held */
    eng_part entries; /* (key, value) pairs sorted by key */
};

void eng_ss_stores_free(eng_executor *e) {
    for (int i = 0; i < e->nstores; i++) {
        eng_part_fini(&e->stores[i]->entries);
        free(e->stores[i]);
    }
    free(e->stores);
    e->stores = NULL;
    e->nstores = 0;
}

static ss_store *store_slot(eng_executor *e, const char *dir) {
    for (int i = 0; i < e->nstores; i++)
        if (strcmp(e->stores[i]->dir, dir) == 0) return e->stores[i];
    ss_store **p = realloc(e->stores, (size_t)(e->nstores + 1) * sizeof *p);
    if (!p) return NULL;
    e->stores = p;
    ss_store *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    snprintf(s->dir, sizeof s->dir, "%s", dir);
    s->version = -1;
    eng_part_init(&s->entries);
    e->stores[e->nstores++] = s;
    return s;
}

static int key_cmp(const void *a, const void *b) {
    const eng_value *x = *(const eng_value *const *)a, *y = *(const eng_value *const *)b;
    return eng_value_cmp(&x->as.items[0], &y->as.items[0]);
}

/* Applies an encoded delta (or snapshot) to the sorted entries. */
static int apply_file(eng_part *entries, const void *bytes, size_t len) {
    eng_rbuf r;
    eng_rbuf_init(&r, bytes, len);
    uint32_t n;
    if (eng_rbuf_get_u32(&r, &n)) return -1;
    eng_part upd;
    eng_part_init(&upd);
    for (uint32_t i = 0; i < n; i++) {
        uint8_t put;
        eng_value k, v = eng_nil();
        if (eng_rbuf_get_u8(&r, &put) || eng_rbuf_get_value(&r, &upd.arena, &k) ||
            (put && eng_rbuf_get_value(&r, &upd.arena, &v))) {
            eng_part_fini(&upd);
            return -1;
        }
        eng_value kv[2] = {k, put ? v : eng_nil()};
        eng_value row = eng_seq(&upd.arena, ENG_V_LIST, kv, 2); /* a list marks a put; len 1 a remove */
        if (!put) row.len = 1;
        eng_part_push(&upd, row);
    }
    /* merge: updates are sorted by key as written */
    eng_part next;
    eng_part_init(&next);
    size_t a = 0, b = 0;
    while (a < entries->count || b < upd.count) {
        int c = a == entries->count ? 1 : b == upd.count ? -1
                : eng_value_cmp(&entries->rows[a].as.items[0], &upd.rows[b].as.items[0]);
        if (c < 0) {
            eng_part_push_copy(&next, &entries->rows[a++]);
            continue;
        }
        if (c == 0) a++;
        const eng_value *u = &upd.rows[b++];
        if (u->len == 2) {
            eng_value kv = eng_pair(&next.arena, eng_value_copy(&next.arena, &u->as.items[0]),
                                    eng_value_copy(&next.arena, &u->as.items[1]));
            eng_part_push(&next, kv);
        }
    }
    eng_part_fini(&upd);
    eng_part_fini(entries);
    *entries = next;
    return 0;
}

/* Brings the store to `version`, from memory or the checkpoint. */
static int load(eng_executor *e, run_task *t, ss_store *s, int64_t version, char *err, size_t errlen) {
    if (s->version == version) return 0;
    eng_part_fini(&s->entries);
    eng_part_init(&s->entries);
    s->version = -1;
    char path[512];
    const void *bytes;
    size_t len;
    int64_t latency;
    int64_t from = 0, files = 0;
    /* the latest snapshot at or below version: commit writes them only at
     * multiples of SNAPSHOT_EVERY, so only those are asked for */
    for (int64_t v = version / SNAPSHOT_EVERY * SNAPSHOT_EVERY; v > 0; v -= SNAPSHOT_EVERY) {
        snprintf(path, sizeof path, "%s/%" PRId64 ".snapshot", s->dir, v);
        eng_storage_status st = e->env->ops->storage_get(e->env->world, e->env->node, path, &bytes, &len, &latency);
        t->storage_us += latency;
        if (st == ENG_STORAGE_OK) {
            if (apply_file(&s->entries, bytes, len)) goto corrupt;
            from = v;
            files++;
            break;
        }
    }
    for (int64_t v = from + 1; v <= version; v++) {
        snprintf(path, sizeof path, "%s/%" PRId64 ".delta", s->dir, v);
        eng_storage_status st = e->env->ops->storage_get(e->env->world, e->env->node, path, &bytes, &len, &latency);
        t->storage_us += latency;
        if (st != ENG_STORAGE_OK) {
            snprintf(err, errlen, "Error reading delta file %s of HDFSStateStoreProvider: it does not exist", path);
            return -1;
        }
        if (apply_file(&s->entries, bytes, len)) goto corrupt;
        files++;
    }
    s->version = version;
    if (version > 0) eng_emit(e->env, ENG_EV_STATE_LOAD, t->plan.ops[0].query, t->plan.partition, version, files, s->dir);
    return 0;
corrupt:
    snprintf(err, errlen, "state store file %s is not readable", path);
    return -1;
}

/* Writes version+1's delta (the changes, sorted by key) and, every 10
 * versions, a snapshot; the store then holds version+1. */
static int commit(eng_executor *e, run_task *t, ss_store *s, int64_t version, eng_part *next, const eng_part *changes,
                  char *err, size_t errlen) {
    char path[512];
    int64_t latency;
    eng_wbuf w;
    eng_wbuf_init(&w);
    eng_wbuf_put_u32(&w, (uint32_t)changes->count);
    for (size_t i = 0; i < changes->count; i++) {
        const eng_value *c = &changes->rows[i];
        eng_wbuf_put_u8(&w, c->len == 2);
        eng_wbuf_put_value(&w, &c->as.items[0]);
        if (c->len == 2) eng_wbuf_put_value(&w, &c->as.items[1]);
    }
    snprintf(path, sizeof path, "%s/%" PRId64 ".delta", s->dir, version + 1);
    eng_storage_status st = e->env->ops->storage_put(e->env->world, e->env->node, path, w.data, w.len, &latency);
    t->storage_us += latency;
    if (st == ENG_STORAGE_OK && (version + 1) % SNAPSHOT_EVERY == 0) {
        eng_wbuf_clear(&w);
        eng_wbuf_put_u32(&w, (uint32_t)next->count);
        for (size_t i = 0; i < next->count; i++) {
            eng_wbuf_put_u8(&w, 1);
            eng_wbuf_put_value(&w, &next->rows[i].as.items[0]);
            eng_wbuf_put_value(&w, &next->rows[i].as.items[1]);
        }
        snprintf(path, sizeof path, "%s/%" PRId64 ".snapshot", s->dir, version + 1);
        st = e->env->ops->storage_put(e->env->world, e->env->node, path, w.data, w.len, &latency);
        t->storage_us += latency;
    }
    eng_wbuf_fini(&w);
    if (st != ENG_STORAGE_OK) {
        snprintf(err, errlen, "state store: cannot write %s (storage status %d)", path, st);
        eng_part_fini(next);
        s->version = -1; /* what memory holds is no version at all now */
        eng_part_fini(&s->entries);
        eng_part_init(&s->entries);
        return -1;
    }
    eng_part_fini(&s->entries);
    s->entries = *next;
    s->version = version + 1;
    eng_emit(e->env, ENG_EV_STATE_UPDATE, t->plan.ops[0].query, t->plan.partition, version + 1,
             (int64_t)next->count, s->dir);
    return 0;
}

static void change(eng_part *changes, const eng_value *key, const eng_value *value) {
    eng_value kv[2] = {eng_value_copy(&changes->arena, key), value ? eng_value_copy(&changes->arena, value) : eng_nil()};
    eng_value c = eng_seq(&changes->arena, ENG_V_LIST, kv, 2);
    if (!value) c.len = 1;
    eng_part_push(changes, c);
}

/* The event time a key holds, in us: a window's end, or the timestamp. */
static int key_time(const eng_value *k, int64_t *us, int *is_window) {
    if (k->type == ENG_V_TUPLE && k->len == 2 && k->as.items[1].type == ENG_V_INT) {
        *us = k->as.items[1].as.i;
        *is_window = 1;
        return 1;
    }
    if (k->type == ENG_V_INT) {
        *us = k->as.i;
        *is_window = 0;
        return 1;
    }
    return 0;
}

static int late(const eng_value *k, int64_t wm_us) {
    int64_t t;
    int w;
    return key_time(k, &t, &w) && t <= wm_us;
}

/* <checkpoint>/state/<operator>/<partition>, as Spark lays out its state stores. */
static void store_dir(const eng_ss_query *q, const eng_op *op, int partition, char *buf, size_t n) {
    char root[300];
    eng_ss_checkpoint_root(q, op->param, root, sizeof root);
    snprintf(buf, n, "%s/state/%d/%d", root, op->step_from, partition);
}

/* Output row of an aggregation entry: keys then the finished aggregates. */
static eng_value agg_row(const eng_ss_stateful_op *so, const eng_value *entry, eng_arena *a) {
    eng_value items[ENG_SQL_COLS_MAX];
    const eng_value *keys = &entry->as.items[0];
    for (int i = 0; i < so->nkeys; i++) items[i] = eng_value_copy(a, &keys->as.items[i]);
    eng_value bufs = eng_value_copy(a, &entry->as.items[1]);
    eng_ss_finish_aggs(so, &bufs, items + so->nkeys);
    return eng_seq(a, ENG_V_TUPLE, items, (size_t)(so->nkeys + so->naggs));
}

/* Event-time windows a task touched: (start, end) in us, one per state key. */
typedef struct ss_wins {
    int64_t (*v)[2];
    size_t n, cap;
} ss_wins;

/* Adds the window of a state entry's key, when its event-time key is a
 * window (start, end). Returns -1 when out of memory. */
static int wins_add(ss_wins *w, const eng_ss_stateful_op *so, const eng_value *entry) {
    const eng_value *k = &entry->as.items[0].as.items[so->event_key];
    if (k->type != ENG_V_TUPLE || k->len != 2 || k->as.items[0].type != ENG_V_INT || k->as.items[1].type != ENG_V_INT)
        return 0;
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 16;
        void *v = realloc(w->v, cap * sizeof *w->v);
        if (!v) return -1;
        w->v = v;
        w->cap = cap;
    }
    w->v[w->n][0] = k->as.items[0].as.i;
    w->v[w->n][1] = k->as.items[1].as.i;
    w->n++;
    return 0;
}

static int win_cmp(const void *a, const void *b) {
    const int64_t *x = a, *y = b;
    if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* One window_updated / window_evicted per distinct window, in window
 * order, with the number of keys it had here (w is sorted; the caller frees it). */
static void wins_emit(eng_executor *e, const eng_ss_query *q, int query, ss_wins *w, eng_trace_type type) {
    if (w->n) qsort(w->v, w->n, sizeof *w->v, win_cmp);
    for (size_t i = 0, j; i < w->n; i = j) {
        for (j = i + 1; j < w->n && w->v[j][0] == w->v[i][0] && w->v[j][1] == w->v[i][1];) j++;
        eng_emit(e->env, type, query, w->v[i][0], w->v[i][1], (int64_t)(j - i), eng_ss_mode_name(q->mode));
    }
}

/* StateStoreRestoreExec + StateStoreSaveExec over this partition's merged
 * (keys, buffers) rows. SEMANTICS.md 8.7, 8.9. */
static int aggregate(eng_executor *e, run_task *t, const eng_ss_query *q, const eng_op *op, ss_store *s,
                     const eng_part *in, eng_part *out, char *err, size_t errlen) {
    const eng_ss_stateful_op *so = &q->ops[op->step_from];
    int64_t *acc = t->acc + ENG_ACC_OP(op->step_from);
    int filter = q->has_watermark && so->event_key >= 0 && q->mode != ENG_MODE_COMPLETE;
    const eng_value **rows = malloc((in->count + 1) * sizeof *rows);
    if (!rows) return -1;
    size_t n = 0;
    for (size_t i = 0; i < in->count; i++) {
        const eng_value *r = &in->rows[i];
        if (filter && late(&r->as.items[0].as.items[so->event_key], op->watermark_us)) {
            acc[ENG_ACC_STATE_DROPPED]++;
            continue;
        }
        rows[n++] = r;
    }
    qsort(rows, n, sizeof *rows, key_cmp);
    eng_part next, changes, updated;
    eng_part_init(&next);
    eng_part_init(&changes);
    eng_part_init(&updated);
    ss_wins wupdated = {0}, wevicted = {0}; /* for the trace: windows updated and evicted */
    size_t a = 0, b = 0;
    int rc = 0;
    while (rc == 0 && (a < s->entries.count || b < n)) {
        int c = a == s->entries.count ? 1 : b == n ? -1
                : eng_value_cmp(&s->entries.rows[a].as.items[0], &rows[b]->as.items[0]);
        if (c < 0) {
            eng_part_push_copy(&next, &s->entries.rows[a++]);
            continue;
        }
        eng_value merged;
        if (c == 0) {
            rc = eng_ss_merge_buffers(eng_ss_pack_aggs(so->agg_kind, so->naggs), &s->entries.rows[a].as.items[1],
                                      &rows[b]->as.items[1], &next.arena, &merged, err, errlen);
            a++;
        } else {
            merged = eng_value_copy(&next.arena, &rows[b]->as.items[1]);
        }
        if (rc) break;
        eng_value entry = eng_pair(&next.arena, eng_value_copy(&next.arena, &rows[b]->as.items[0]), merged);
        eng_part_push(&next, entry);
        change(&changes, &entry.as.items[0], &entry.as.items[1]);
        eng_part_push(&updated, eng_value_copy(&updated.arena, &entry));
        if (so->event_key >= 0 && wins_add(&wupdated, so, &entry)) rc = -1;
        acc[ENG_ACC_STATE_UPDATED]++;
        b++;
    }
    free(rows);
    if (rc) goto done;
    if (q->mode == ENG_MODE_UPDATE)
        for (size_t i = 0; i < updated.count; i++) eng_part_push(out, agg_row(so, &updated.rows[i], &out->arena));
    if (q->mode == ENG_MODE_COMPLETE)
        for (size_t i = 0; i < next.count; i++) eng_part_push(out, agg_row(so, &next.rows[i], &out->arena));
    if (q->mode != ENG_MODE_COMPLETE && q->has_watermark && so->event_key >= 0) {
        /* evict what the watermark passed; Append emits it now, once */
        eng_part kept;
        eng_part_init(&kept);
        for (size_t i = 0; i < next.count; i++) {
            const eng_value *entry = &next.rows[i];
            if (late(&entry->as.items[0].as.items[so->event_key], op->evict_us)) {
                if (q->mode == ENG_MODE_APPEND) eng_part_push(out, agg_row(so, entry, &out->arena));
                change(&changes, &entry->as.items[0], NULL);
                if (wins_add(&wevicted, so, entry)) rc = -1;
                acc[ENG_ACC_STATE_REMOVED]++;
            } else {
                eng_part_push_copy(&kept, entry);
            }
        }
        eng_part_fini(&next);
        next = kept;
        /* the changes are sorted by key again for the delta */
        const eng_value **cs = malloc((changes.count + 1) * sizeof *cs);
        if (cs) {
            for (size_t i = 0; i < changes.count; i++) cs[i] = &changes.rows[i];
            qsort(cs, changes.count, sizeof *cs, key_cmp);
            eng_part sorted;
            eng_part_init(&sorted);
            for (size_t i = 0; i < changes.count; i++) {
                /* a key updated then evicted: the removal wins (it comes later in the list) */
                if (i + 1 < changes.count && eng_value_cmp(&cs[i]->as.items[0], &cs[i + 1]->as.items[0]) == 0) continue;
                eng_part_push_copy(&sorted, cs[i]);
            }
            free(cs);
            eng_part_fini(&changes);
            changes = sorted;
        }
    }
    acc[ENG_ACC_STATE_TOTAL] += (int64_t)next.count;
    if (rc) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    rc = commit(e, t, s, op->version, &next, &changes, err, errlen);
    if (rc == 0) { /* what the state store now holds, per window */
        wins_emit(e, q, op->query, &wupdated, ENG_EV_WINDOW_UPDATED);
        wins_emit(e, q, op->query, &wevicted, ENG_EV_WINDOW_EVICTED);
    }
done:
    if (rc) eng_part_fini(&next);
    free(wupdated.v);
    free(wevicted.v);
    eng_part_fini(&changes);
    eng_part_fini(&updated);
    return rc;
}

/* StreamingDeduplicateExec over this partition's (keys, row) pairs, in
 * arrival order. SEMANTICS.md 8.10. */
static int deduplicate(eng_executor *e, run_task *t, const eng_ss_query *q, const eng_op *op, ss_store *s,
                       const eng_part *in, eng_part *out, char *err, size_t errlen) {
    const eng_ss_stateful_op *so = &q->ops[op->step_from];
    int64_t *acc = t->acc + ENG_ACC_OP(op->step_from);
    eng_part added;
    eng_part_init(&added);
    for (size_t i = 0; i < in->count; i++) {
        const eng_value *key = &in->rows[i].as.items[0], *row = &in->rows[i].as.items[1];
        if (q->has_watermark && so->event_col >= 0) {
            const eng_value *ts = &row->as.items[so->event_col];
            if (ts->type == ENG_V_INT && ts->as.i <= op->watermark_us) {
                acc[ENG_ACC_STATE_DROPPED]++;
                continue;
            }
        }
        /* in the store, or already added this batch? */
        size_t lo = 0, hi = s->entries.count;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int c = eng_value_cmp(&s->entries.rows[mid].as.items[0], key);
            if (c == 0) { lo = hi = SIZE_MAX; break; }
            if (c < 0) lo = mid + 1; else hi = mid;
        }
        if (lo == SIZE_MAX) continue;
        int dup = 0;
        for (size_t k = 0; k < added.count && !dup; k++) dup = eng_value_equal(&added.rows[k].as.items[0], key);
        if (dup) continue;
        eng_value ev = so->event_col >= 0 ? row->as.items[so->event_col] : eng_nil();
        eng_part_push(&added, eng_pair(&added.arena, eng_value_copy(&added.arena, key), eng_value_copy(&added.arena, &ev)));
        eng_part_push_copy(out, row);
        acc[ENG_ACC_STATE_UPDATED]++;
    }
    /* the new entries, sorted, merged into the store; then eviction */
    const eng_value **rows = malloc((added.count + 1) * sizeof *rows);
    if (!rows) {
        eng_part_fini(&added);
        return -1;
    }
    for (size_t i = 0; i < added.count; i++) rows[i] = &added.rows[i];
    qsort(rows, added.count, sizeof *rows, key_cmp);
    eng_part next, changes;
    eng_part_init(&next);
    eng_part_init(&changes);
    size_t a = 0, b = 0;
    int evict = q->has_watermark && so->event_key >= 0;
    while (a < s->entries.count || b < added.count) {
        int c = a == s->entries.count ? 1 : b == added.count ? -1
                : eng_value_cmp(&s->entries.rows[a].as.items[0], &rows[b]->as.items[0]);
        const eng_value *entry = c < 0 ? &s->entries.rows[a++] : rows[b++];
        if (evict && late(&entry->as.items[0].as.items[so->event_key], op->evict_us)) {
            if (c < 0) change(&changes, &entry->as.items[0], NULL);
            if (c < 0) acc[ENG_ACC_STATE_REMOVED]++;
            continue;
        }
        eng_part_push_copy(&next, entry);
        if (c >= 0) change(&changes, &entry->as.items[0], &entry->as.items[1]);
    }
    free(rows);
    eng_part_fini(&added);
    acc[ENG_ACC_STATE_TOTAL] += (int64_t)next.count;
    int rc = commit(e, t, s, op->version, &next, &changes, err, errlen);
    eng_part_fini(&changes);
    return rc;
}

int eng_ss_compute(eng_executor *e, run_task *t, const eng_op *op, int partition, const eng_part *in, eng_part *out,
                   char *err, size_t errlen) {
    const eng_program *prog = e->conf->program;
    if (!prog || op->query < 0 || op->query >= prog->nqueries) {
        snprintf(err, errlen, "no such streaming query %d", op->query);
        return -1;
    }
    const eng_ss_query *q = prog->queries[op->query];
    t->has_acc = 1;
    if (op->kind == ENG_OP_SS_ROWS) {
        if (op->step_from >= 0) return eng_ss_steps(e->env, q, op->step_from, op->step_to, in, out, t->acc, err, errlen);
        eng_part rows;
        eng_part_init(&rows);
        eng_ss_source_rows(q, in, &rows);
        int rc = eng_ss_steps(e->env, q, 0, op->step_to, &rows, out, t->acc, err, errlen);
        eng_part_fini(&rows);
        return rc;
    }
    char dir[400];
    store_dir(q, op, partition, dir, sizeof dir);
    ss_store *s = store_slot(e, dir);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (op->step_from < 0 || op->step_from >= q->nops) {
        snprintf(err, errlen, "no stateful operator %d in query %d", op->step_from, op->query);
        return -1;
    }
    if (load(e, t, s, op->version, err, errlen)) return -1;
    if (op->kind == ENG_OP_SS_AGG) return aggregate(e, t, q, op, s, in, out, err, errlen);
    return deduplicate(e, t, q, op, s, in, out, err, errlen);
}
