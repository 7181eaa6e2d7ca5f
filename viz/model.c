/* viz/model.c — see model.h. */
#include "model.h"

#include "../sim/faults.h"
#include "findings.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* Bound on stage and job ids mapped to batches; larger ids get no batch colour. */
#define ID_MAX (1 << 22)

static int is_frame(uint32_t type) {
    switch (type) {
    case ENG_EV_RECORD_ARRIVAL:
    case ENG_EV_MESSAGE_SEND:
    case ENG_EV_MESSAGE_DELIVER:
    case ENG_EV_HEARTBEAT:
    case ENG_EV_DRIVER_MEMORY:
    case ENG_EV_WINDOW_SLIDE:
    case ENG_EV_WINDOW_UPDATED:
    case ENG_EV_WINDOW_EVICTED:
        return 0;
    default:
        return 1;
    }
}

static int rec_is_fault(const sim_trace_rec *r) {
    switch (r->type) {
    case ENG_EV_FAULT_INJECTED: return r->arg[0] != SIM_FAULT_EV_RESTART && r->arg[0] != SIM_FAULT_EV_HEAL;
    case ENG_EV_NODE_DOWN: return r->arg[1] != ENG_CAUSE_STOP;
    case ENG_EV_TASK_FAILED: return r->arg[3] != ENG_CAUSE_KILLED;
    case ENG_EV_BLOCK_LOST:
    case ENG_EV_RECEIVER_FAILED:
    case ENG_EV_EXECUTOR_LOST: return 1;
    default: return 0;
    }
}

int viz_is_fault(const viz_model *m, uint32_t i) { return rec_is_fault(&m->trace->events[i]); }

int viz_is_recovery(const viz_model *m, uint32_t i) {
    const sim_trace_rec *r = &m->trace->events[i];
    return r->type == ENG_EV_RECOVERY_PHASE || (r->type == ENG_EV_NODE_UP && r->arg[0] > 1) ||
           (r->type == ENG_EV_FAULT_INJECTED && !rec_is_fault(r));
}

int viz_grow(void **p, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need) n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q) return -1;
    *p = q;
    *cap = n;
    return 0;
}

int viz_list_add(viz_list *l, int64_t t_us, int64_t a, int64_t b, int64_t c, uint32_t ev, int32_t batch) {
    if (viz_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v)) return -1;
    viz_mark *k = &l->v[l->n++];
    memset(k, 0, sizeof *k);
    k->t_us = t_us, k->a = a, k->b = b, k->c = c, k->ev = ev, k->batch = batch;
    return 0;
}

size_t viz_list_visible(const viz_list *l, uint32_t ev) {
    size_t lo = 0, hi = l->n; /* entries are in trace order: binary search */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (l->v[mid].ev <= ev)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Id maps of the index pass: stage -> job, job -> batch time. */
typedef struct idmap {
    int64_t *v;
    size_t n;
} idmap;

static int idmap_set(idmap *m, int64_t id, int64_t v) {
    if (id < 0 || id >= ID_MAX) return 0;
    if ((size_t)id >= m->n) {
        size_t n = m->n ? m->n : 64;
        while (n <= (size_t)id) n *= 2;
        int64_t *p = realloc(m->v, n * sizeof *p);
        if (!p) return -1;
        for (size_t i = m->n; i < n; i++) p[i] = -1;
        m->v = p;
        m->n = n;
    }
    m->v[id] = v;
    return 0;
}

static int64_t idmap_get(const idmap *m, int64_t id) { return id >= 0 && (size_t)id < m->n ? m->v[id] : -1; }

/* The latest generation of batch time b, or -1. */
static long find_batch(const viz_model *m, int64_t b) {
    for (size_t i = m->nbatches; i-- > 0;)
        if (m->batches[i].batch_time_us == b) return (long)i;
    return -1;
}

static int index_batch(viz_model *m, const sim_trace_rec *r, uint32_t i, int recovered) {
    long k = find_batch(m, r->arg[0]);
    /* a batch without jobs (a window between its slides) never runs: Spark's
     * JobScheduler logs "No jobs added for time" and its UI lists no batch */
    if (r->type == ENG_EV_BATCH_GENERATED && r->arg[3] == 0) return 0;
    if (r->type == ENG_EV_BATCH_GENERATED) {
        if (viz_grow((void **)&m->batches, &m->cap_batches, m->nbatches + 1, sizeof *m->batches)) return -1;
        viz_batch *b = &m->batches[m->nbatches++];
        memset(b, 0, sizeof *b);
        b->batch_time_us = r->arg[0], b->gen_us = r->t_us, b->records = r->arg[2];
        b->start_us = b->done_us = -1;
        b->gen_ev = i, b->start_ev = b->done_ev = VIZ_NONE;
        b->rerun = k >= 0 || (recovered && r->arg[0] < r->t_us);
    } else if (k >= 0 && r->type == ENG_EV_BATCH_STARTED) {
        m->batches[k].start_us = r->t_us, m->batches[k].start_ev = i;
    } else if (k >= 0 && r->type == ENG_EV_BATCH_DONE) {
        m->batches[k].done_us = r->t_us, m->batches[k].done_ev = i;
    }
    return 0;
}

/* A Structured Streaming batch, as a bar like a DStream batch: from its
 * offset log entry (written when the trigger fired) to its commit log entry;
 * keyed by the batch key its job carries (-(query x 10^6 + batch + 1)), so
 * its tasks take its colour. A key seen before is a batch run again after a
 * driver restart. */
static int index_ss_batch(viz_model *m, const sim_trace_rec *r, uint32_t i) {
    int64_t key = -(r->arg[2] * 1000000 + r->arg[0] + 1);
    long k = find_batch(m, key);
    if (r->type == ENG_EV_OFFSET_LOG || (r->type == ENG_EV_RECOVERY_PHASE && k < 0)) {
        if (viz_grow((void **)&m->batches, &m->cap_batches, m->nbatches + 1, sizeof *m->batches)) return -1;
        viz_batch *b = &m->batches[m->nbatches++];
        memset(b, 0, sizeof *b);
        b->batch_time_us = key, b->gen_us = b->start_us = r->t_us;
        b->done_us = -1;
        b->gen_ev = b->start_ev = i, b->done_ev = VIZ_NONE;
        b->rerun = k >= 0 || r->type == ENG_EV_RECOVERY_PHASE;
    } else if (k >= 0 && r->type == ENG_EV_RECOVERY_PHASE) { /* the uncommitted batch runs again */
        if (viz_grow((void **)&m->batches, &m->cap_batches, m->nbatches + 1, sizeof *m->batches)) return -1;
        viz_batch *b = &m->batches[m->nbatches++];
        *b = m->batches[k];
        b->gen_us = b->start_us = r->t_us, b->done_us = -1;
        b->gen_ev = b->start_ev = i, b->done_ev = VIZ_NONE;
        b->rerun = 1;
    } else if (k >= 0 && r->type == ENG_EV_COMMIT_LOG) {
        m->batches[k].done_us = r->t_us, m->batches[k].done_ev = i;
    }
    return 0;
}

/* The durable-storage row of an event, or -1. */
static int durable_row(const viz_model *m, const sim_trace_rec *r) {
    const char *text = sim_trace_text(m->trace, r);
    switch (r->type) {
    case ENG_EV_STORAGE_PUT: /* metadata checkpoints are files checkpoint-<ms> */
        return text && strstr(text, "/checkpoint-") ? VIZ_DUR_METADATA : -1;
    case ENG_EV_CHECKPOINT_WRITE: return VIZ_DUR_DATA_CKPT;
    case ENG_EV_WAL_WRITE: return VIZ_DUR_WAL;
    case ENG_EV_OFFSET_LOG: return VIZ_DUR_OFFSETS;
    case ENG_EV_COMMIT_LOG: return VIZ_DUR_COMMITS;
    case ENG_EV_STATE_UPDATE: return VIZ_DUR_STATE;
    case ENG_EV_RECOVERY_PHASE: return VIZ_DUR_RECOVERY;
    default: return -1;
    }
}

int viz_window_row_of(const viz_model *m, int64_t stream) {
    for (int k = 0; k < m->nwin_streams; k++)
        if (m->win_stream[k] == stream) return m->win_stream_row[k];
    return -1;
}

/* A window_computed the panel can draw: positive length and slide, an end
 * that is a batch time (a damaged trace may say anything). */
static int window_ok(const sim_trace_rec *r) {
    const int64_t max = INT64_C(1) << 50; /* 35 years in us: no arithmetic on these overflows */
    return r->arg[1] >= 0 && r->arg[1] < max && r->arg[2] > 0 && r->arg[2] < max && r->arg[3] > 0 && r->arg[3] < max;
}

/* A windowed DStream's first window_computed: its row, a new one unless a
 * row has the same operation, length, slide and kind (incremental or not). */
static void index_window(viz_model *m, const sim_trace_rec *r, const char *text, int inverse) {
    if (!window_ok(r)) return;
    if (r->arg[2] + r->arg[3] > m->win_span_us) m->win_span_us = r->arg[2] + r->arg[3];
    for (int k = 0; k < m->nwin_streams; k++)
        if (m->win_stream[k] == r->arg[0]) return;
    if (m->nwin_streams >= VIZ_WINDOW_STREAMS) return;
    int row = -1;
    for (int k = 0; k < m->nwin_rows && row < 0; k++) {
        const viz_window_row *w = &m->win_rows[k];
        if (w->length_us == r->arg[2] && w->slide_us == r->arg[3] && w->inverse == inverse &&
            strncmp(w->name, text ? text : "", sizeof w->name - 1) == 0)
            row = k;
    }
    if (row < 0 && m->nwin_rows < VIZ_WINDOW_ROWS) {
        row = m->nwin_rows++;
        viz_window_row *w = &m->win_rows[row];
        snprintf(w->name, sizeof w->name, "%s", text ? text : "window");
        w->length_us = r->arg[2], w->slide_us = r->arg[3], w->inverse = inverse;
    }
    if (row >= 0) m->win_rows[row].nstreams++;
    m->win_stream[m->nwin_streams] = (int32_t)r->arg[0];
    m->win_stream_row[m->nwin_streams++] = row;
}

/* One pass over the trace: frames, batches, static lists, task batches. */
static int index_trace(viz_model *m, idmap *stage_job, idmap *job_batch) {
    const sim_trace *t = m->trace;
    int recovered = 0, rc = 0;
    for (uint32_t i = 0; i < t->count && rc == 0; i++) {
        const sim_trace_rec *r = &t->events[i];
        const char *text = sim_trace_text(t, r);
        m->ev_batch[i] = -1;
        if (is_frame(r->type)) m->frames[m->nframes++] = i;
        int64_t frame = (int64_t)m->nframes - 1;
        if (r->node < VIZ_NODES_MAX && r->type == ENG_EV_NODE_UP && text && !m->node_names[r->node][0])
            snprintf(m->node_names[r->node], sizeof m->node_names[r->node], "%s", text);
        int dr = durable_row(m, r);
        if (dr >= 0) rc |= viz_list_add(&m->durable[dr], r->t_us, r->arg[0], r->arg[1], r->arg[2], i, -1);
        if (rec_is_fault(r)) rc |= viz_list_add(&m->faults, r->t_us, frame, r->type, 0, i, -1);
        switch (r->type) {
        case ENG_EV_RUN_START:
            snprintf(m->name, sizeof m->name, "%s", text ? text : "streamlab run");
            m->workers = (int32_t)r->arg[2], m->cores = (int32_t)r->arg[3];
            break;
        case ENG_EV_NARRATION: rc |= viz_list_add(&m->narrations, r->t_us, frame, 0, 0, i, -1); break;
        case ENG_EV_RECOVERY_PHASE:
            recovered = 1;
            /* a query resumed with its uncommitted batch (phase 3, the text says "runs again") */
            if (r->arg[0] == 3 && r->arg[1] < 0 && text && strstr(text, "runs again")) {
                sim_trace_rec x = *r;
                int64_t key = -r->arg[1] - 1;
                x.arg[0] = key % 1000000, x.arg[2] = key / 1000000;
                rc |= index_ss_batch(m, &x, i);
            }
            break;
        case ENG_EV_OFFSET_LOG:
        case ENG_EV_COMMIT_LOG: rc |= index_ss_batch(m, r, i); break;
        case ENG_EV_BATCH_GENERATED:
        case ENG_EV_BATCH_STARTED:
        case ENG_EV_BATCH_DONE: rc |= index_batch(m, r, i, recovered); break;
        case ENG_EV_JOB_START: rc |= idmap_set(job_batch, r->arg[0], r->arg[1]); break;
        case ENG_EV_STAGE_SUBMITTED: rc |= idmap_set(stage_job, r->arg[0], r->arg[1]); break;
        case ENG_EV_TASK_START:
        case ENG_EV_TASK_SPECULATIVE:
        case ENG_EV_TASK_END:
        case ENG_EV_TASK_FAILED:
            m->ev_batch[i] = idmap_get(job_batch, idmap_get(stage_job, r->arg[0]));
            for (uint32_t k = i; r->type == ENG_EV_TASK_START && k-- > 0 && i - k <= 16;) { /* announced just before? */
                const sim_trace_rec *q = &t->events[k];
                if (q->type == ENG_EV_TASK_SPECULATIVE && q->arg[0] == r->arg[0] && q->arg[1] == r->arg[1] && q->arg[2] == r->arg[2]) {
                    m->ev_spec[i] = 1;
                    break;
                }
            }
            if (r->type == ENG_EV_TASK_FAILED) { /* a killed copy lost a race: not a failure, listed apart */
                long b = find_batch(m, m->ev_batch[i]);
                rc |= viz_list_add(r->arg[3] == ENG_CAUSE_KILLED ? &m->kills : &m->failures, r->t_us, r->arg[0], r->arg[1], r->arg[3],
                               i, (int32_t)b);
            }
            break;
        case ENG_EV_RECORD_ARRIVAL: rc |= viz_list_add(&m->arrivals, r->t_us, r->arg[1], r->arg[0], 0, i, -1); break;
        case ENG_EV_WATERMARK: rc |= viz_list_add(&m->watermarks, r->t_us, r->arg[1], r->arg[0], r->arg[2], i, -1); break;
        case ENG_EV_LATE_DROPPED: rc |= viz_list_add(&m->late, r->t_us, r->arg[1], r->arg[0], r->arg[2], i, -1); break;
        case ENG_EV_WINDOW_COMPUTED:
            index_window(m, r, text, i + 1 < t->count && t->events[i + 1].type == ENG_EV_WINDOW_SLIDE);
            break;
        case ENG_EV_SINK_WRITE: /* a query's sink names its query: a = VIZ_SS_OUTPUT + query index */
            rc |= viz_list_add(&m->sinks, r->t_us, r->arg[0] + (r->text ? VIZ_SS_OUTPUT : 0), r->arg[1], r->arg[2], i, -1);
            break;
        default: break;
        }
        rc |= viz_ewin_index(m, r, i, text);
    }
    return rc ? -1 : 0;
}

/* The last raw event of frame f. */
static uint32_t frame_last(const viz_model *m, size_t f) { return m->frame_end[f]; }

/* A frame is its event and the chatty events after it (a message sent with a
 * block is in flight on the frame that stores the block), except the ends of
 * messages just before the next frame: a delivery shows with what it caused. */
static void index_frame_ends(viz_model *m) {
    for (size_t f = 0; f < m->nframes; f++) {
        uint32_t end = f + 1 < m->nframes ? m->frames[f + 1] - 1 : (uint32_t)m->trace->count - 1;
        while (end > m->frames[f] && (m->trace->events[end].type == ENG_EV_MESSAGE_DELIVER ||
                                      m->trace->events[end].type == ENG_EV_MESSAGE_DROP))
            end--;
        m->frame_end[f] = end;
    }
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The processing-time trigger of the run's queries, from their offset log:
 * the most common gap between a query's consecutive batches, when it is a
 * whole number of milliseconds (a trigger fires on multiples of its
 * interval), covers at least half of the gaps, and every query that has
 * gaps agrees; 0 when there is none (one batch, availableNow or once
 * triggers running back to back, queries with different triggers). */
static int64_t query_trigger(const viz_model *m) {
    const viz_list *l = &m->durable[VIZ_DUR_OFFSETS];
    int64_t trigger = 0, done[64];
    size_t ndone = 0;
    int64_t *gaps = l->n ? malloc(l->n * sizeof *gaps) : NULL;
    if (!gaps) return 0;
    for (size_t q = 0; q < l->n; q++) { /* each query once, at its first entry */
        int seen = 0;
        for (size_t k = 0; k < ndone; k++) seen |= done[k] == l->v[q].c;
        if (seen) continue;
        if (ndone == sizeof done / sizeof *done) {
            trigger = 0;
            break;
        }
        done[ndone++] = l->v[q].c;
        size_t n = 0;
        int64_t prev = -1;
        for (size_t k = q; k < l->n; k++) {
            if (l->v[k].c != l->v[q].c) continue;
            if (prev >= 0 && l->v[k].t_us > prev) gaps[n++] = l->v[k].t_us - prev;
            prev = l->v[k].t_us;
        }
        if (!n) continue;
        qsort(gaps, n, sizeof *gaps, cmp_i64);
        int64_t best = 0;
        size_t best_n = 0;
        for (size_t i = 0, j; i < n; i = j) { /* the longest run of equal gaps; the shorter gap on ties */
            for (j = i; j < n && gaps[j] == gaps[i]; j++) {}
            if (j - i > best_n) best = gaps[i], best_n = j - i;
        }
        if (best % 1000 != 0 || 2 * best_n < n || (trigger && trigger != best)) {
            trigger = 0;
            break;
        }
        trigger = best;
    }
    free(gaps);
    return trigger;
}

int viz_model_init(viz_model *m, const sim_trace *t, char *err, size_t errlen) {
    memset(m, 0, sizeof *m);
    m->trace = t;
    viz_ewin_init(m);
    if (!t->count) {
        snprintf(err, errlen, "the trace has no events");
        return -1;
    }
    m->frames = malloc(t->count * sizeof *m->frames);
    m->frame_end = malloc(t->count * sizeof *m->frame_end);
    m->ev_batch = malloc(t->count * sizeof *m->ev_batch);
    m->ev_spec = calloc(t->count, 1);
    idmap stage_job = {0}, job_batch = {0};
    int rc = !m->frames || !m->frame_end || !m->ev_batch || !m->ev_spec ? -1 : index_trace(m, &stage_job, &job_batch);
    if (rc == 0) index_frame_ends(m);
    free(stage_job.v);
    free(job_batch.v);
    if (rc == 0 && m->nframes == 0) {
        snprintf(err, errlen, "the trace has no events to show");
        viz_model_fini(m);
        return -1;
    }
    m->end_us = t->events[t->count - 1].t_us;
    /* the batch interval: between the first two DStream batches generated,
     * with jobs or not (a window sliding every 10 s over 5 s batches runs
     * jobs every other batch; the interval is still 5 s) */
    int64_t first = -1;
    m->interval_us = 0;
    for (size_t i = 0; i < t->count && m->interval_us == 0; i++) {
        const sim_trace_rec *r = &t->events[i];
        if (r->type != ENG_EV_BATCH_GENERATED || r->arg[0] < 0) continue;
        if (first < 0) first = r->arg[0];
        else if (r->arg[0] > first) m->interval_us = r->arg[0] - first;
    }
    if (m->interval_us == 0 && first > 0) m->interval_us = first;
    m->interval_kind = VIZ_INTERVAL_BATCH;
    if (first < 0) { /* no DStream batch: the queries' trigger, if the offset log shows one */
        m->interval_us = query_trigger(m);
        m->interval_kind = m->interval_us > 0 ? VIZ_INTERVAL_TRIGGER : VIZ_INTERVAL_NONE;
    }
    if (m->interval_us <= 0) m->interval_us = 1000000;
    m->nkeys = rc ? 0 : (m->nframes + VIZ_KEYFRAME_EVERY - 1) / VIZ_KEYFRAME_EVERY;
    m->keys = rc ? NULL : malloc(m->nkeys * sizeof *m->keys);
    if (rc || !m->keys) {
        snprintf(err, errlen, "out of memory indexing the trace (%zu events)", t->count);
        viz_model_fini(m);
        return -1;
    }
    viz_live s;
    viz_live_reset(&s);
    uint32_t next = 0;
    for (size_t f = 0; f < m->nframes; f++) {
        while (next <= frame_last(m, f)) viz_live_apply(m, &s, next++);
        if (f % VIZ_KEYFRAME_EVERY == 0) m->keys[f / VIZ_KEYFRAME_EVERY] = s;
    }
    return 0;
}

void viz_model_fini(viz_model *m) {
    free(m->frames);
    free(m->frame_end);
    free(m->ev_batch);
    free(m->ev_spec);
    free(m->batches);
    for (int i = 0; i < VIZ_DUR_COUNT_; i++) free(m->durable[i].v);
    viz_list *lists[] = {&m->failures, &m->kills, &m->arrivals, &m->watermarks, &m->late, &m->sinks, &m->faults, &m->narrations};
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) free(lists[i]->v);
    viz_ewin_fini(m);
    free(m->keys);
    memset(m, 0, sizeof *m);
}

void viz_live_reset(viz_live *s) {
    memset(s, 0, sizeof *s);
    s->last_batch_generated_us = -1;
    s->last_query_batch = -1;
    s->narration = s->fault = s->recovery = VIZ_NONE;
    for (int k = 0; k < VIZ_WINDOW_ROWS; k++) {
        viz_window *w = &s->win[k];
        w->end_us = w->length_us = w->slide_us = -1;
        w->added_from_us = w->added_to_us = w->removed_from_us = w->removed_to_us = -1;
        w->ev = VIZ_NONE, w->stream = -1;
    }
}

static viz_node *node_of(viz_live *s, int64_t id) { return id >= 0 && id < VIZ_NODES_MAX ? &s->node[id] : NULL; }

/* Frees what a node held in memory: a crash or a stop loses it all. */
static void node_clear(viz_node *n) {
    memset(n->core, 0, sizeof n->core);
    memset(n->pending, 0, sizeof n->pending);
    memset(n->receiver_stream, 0, sizeof n->receiver_stream);
    n->npending = n->nreceivers = 0;
    n->blocks = n->replicas = 0;
}

/* Cores drawn for n: its own count, bounded by what is drawn. */
static int drawn_cores(const viz_node *n) {
    return n->cores > 0 && n->cores < VIZ_CORES_MAX ? n->cores : VIZ_CORES_MAX;
}

int viz_receiver_core(const viz_node *n, int k) {
    int c = drawn_cores(n) - 1 - k;
    return k >= 0 && k < n->nreceivers && c >= 0 ? c : -1;
}

static int held_by_receiver(const viz_node *n, int c) {
    for (int k = 0; k < n->nreceivers; k++)
        if (viz_receiver_core(n, k) == c) return 1;
    return 0;
}

/* The core slot for a new task: the first drawn core neither running a task
 * nor held by a receiver; else (the trace runs more than the drawing has
 * room for) a held one, then an undrawn one; -1 when all are taken. */
static int free_core(const viz_node *n) {
    int cores = drawn_cores(n);
    for (int c = 0; c < cores; c++)
        if (!n->core[c].active && !held_by_receiver(n, c)) return c;
    for (int c = 0; c < VIZ_CORES_MAX; c++)
        if (!n->core[c].active) return c;
    return -1;
}

/* A receiver has started on n: the cores it holds (the rightmost) hand any
 * task drawn there to a free core. */
static void receivers_take_cores(viz_node *n) {
    for (int k = 0; k < n->nreceivers; k++) {
        int c = viz_receiver_core(n, k);
        if (c < 0 || !n->core[c].active) continue;
        viz_task t = n->core[c];
        memset(&n->core[c], 0, sizeof n->core[c]);
        int to = free_core(n);
        n->core[to >= 0 ? to : c] = t;
    }
}

static void task_begin(const viz_model *m, viz_live *s, const sim_trace_rec *r, uint32_t i, int speculative) {
    viz_node *n = node_of(s, r->arg[3]);
    if (!n) return;
    int c = free_core(n);
    if (c < 0) return; /* more tasks than drawn cores: the task runs, undrawn (bounded display) */
    viz_task *k = &n->core[c];
    memset(k, 0, sizeof *k);
    k->batch_time_us = m->ev_batch[i], k->start_us = r->t_us;
    k->stage = (int32_t)r->arg[0], k->partition = (int32_t)r->arg[1], k->attempt = (int32_t)r->arg[2];
    k->active = 1, k->speculative = (uint8_t)speculative;
}

/* A task attempt ends: done, failed, or killed because another attempt of
 * it succeeded (a speculative race lost: counted apart, not as a failure). */
static void task_finish(viz_live *s, const sim_trace_rec *r) {
    for (int nd = 0; nd < VIZ_NODES_MAX; nd++)
        for (int c = 0; c < VIZ_CORES_MAX; c++) {
            viz_task *k = &s->node[nd].core[c];
            if (k->active && k->stage == r->arg[0] && k->partition == r->arg[1] && k->attempt == r->arg[2]) {
                memset(k, 0, sizeof *k);
                if (r->type == ENG_EV_TASK_END)
                    s->node[nd].tasks_done++;
                else if (r->arg[3] == ENG_CAUSE_KILLED)
                    s->node[nd].tasks_killed++;
                else
                    s->node[nd].tasks_failed++;
                return;
            }
        }
}

static void block_add(viz_node *n, const sim_trace_rec *r, int replica) {
    if (n->npending == VIZ_PENDING_MAX) { /* keep the newest */
        memmove(n->pending, n->pending + 1, (VIZ_PENDING_MAX - 1) * sizeof *n->pending);
        n->npending--;
    }
    viz_block *b = &n->pending[n->npending++];
    memset(b, 0, sizeof *b);
    b->block = r->arg[1], b->stream = (int32_t)r->arg[0], b->replica = (uint8_t)replica;
    if (replica)
        n->replicas++;
    else
        n->blocks++;
}

static void node_event(viz_live *s, const sim_trace_rec *r) {
    viz_node *n = node_of(s, r->node);
    if (!n) return;
    n->known = 1;
    n->since_us = r->t_us;
    n->incarnation = (int32_t)r->arg[0];
    node_clear(n);
    if (r->type == ENG_EV_NODE_UP) {
        n->up = 1, n->crashed = 0, n->down_cause = 0;
        n->cores = (int32_t)r->arg[1];
    } else {
        n->up = 0;
        n->down_cause = (int32_t)r->arg[1];
        n->crashed = r->arg[1] != ENG_CAUSE_STOP;
    }
}

static void msg_remove(viz_live *s, int k) {
    memmove(&s->msg[k], &s->msg[k + 1], (size_t)(s->nmsg - k - 1) * sizeof *s->msg);
    s->nmsg--;
    memset(&s->msg[s->nmsg], 0, sizeof *s->msg);
}

/* A message arrives or is dropped: the oldest in flight with its ends and kind goes. */
static void msg_end(viz_live *s, int64_t src, int64_t dst, int64_t kind) {
    for (int k = 0; k < s->nmsg; k++)
        if (s->msg[k].src == src && s->msg[k].dst == dst && s->msg[k].kind == kind) {
            msg_remove(s, k);
            return;
        }
}

static void msg_send(viz_live *s, const sim_trace_rec *r) {
    if (s->nmsg == VIZ_MESSAGES_MAX) msg_remove(s, 0);
    viz_message *g = &s->msg[s->nmsg++];
    memset(g, 0, sizeof *g);
    g->send_us = r->t_us, g->deliver_us = r->arg[3];
    g->src = (int32_t)r->node, g->dst = (int32_t)r->arg[0], g->kind = (int32_t)r->arg[1];
}

void viz_live_apply(const viz_model *m, viz_live *s, uint32_t i) {
    assert(i < m->trace->count);
    const sim_trace_rec *r = &m->trace->events[i];
    if (is_frame(r->type) || i == 0) { /* what the frame says: its own event and time */
        s->t_us = r->t_us;
        s->event = i;
    }
    viz_node *n;
    switch (r->type) {
    case ENG_EV_NODE_UP: node_event(s, r); break;
    case ENG_EV_NODE_DOWN:
        node_event(s, r);
        for (int k = s->nmsg; k-- > 0;) /* a crash drops what it had in flight */
            if (s->msg[k].src == (int32_t)r->node || s->msg[k].dst == (int32_t)r->node) msg_remove(s, k);
        break;
    case ENG_EV_NARRATION: s->narration = i; break;
    case ENG_EV_MESSAGE_SEND: msg_send(s, r); break;
    case ENG_EV_MESSAGE_DELIVER: msg_end(s, r->arg[0], r->node, r->arg[1]); break;
    case ENG_EV_MESSAGE_DROP: msg_end(s, r->node, r->arg[0], r->arg[1]); break;
    case ENG_EV_FAULT_INJECTED:
        if (rec_is_fault(r)) s->fault = i;
        if (r->arg[0] == SIM_FAULT_EV_SLOW && (n = node_of(s, r->arg[1]))) n->slow_until_us = r->t_us + r->arg[2];
        break;
    case ENG_EV_RECOVERY_PHASE: s->recovery = i; break;
    case ENG_EV_TASK_START: task_begin(m, s, r, i, m->ev_spec[i]); break;
    case ENG_EV_TASK_END:
    case ENG_EV_TASK_FAILED: task_finish(s, r); break;
    case ENG_EV_BLOCK_CREATED:
        if ((n = node_of(s, r->node))) block_add(n, r, 0);
        break;
    case ENG_EV_BLOCK_REPLICATED:
        if ((n = node_of(s, r->arg[2]))) block_add(n, r, 1);
        break;
    case ENG_EV_BLOCK_LOST:
        for (int nd = 0; nd < VIZ_NODES_MAX; nd++)
            for (int b = 0; b < s->node[nd].npending; b++)
                if (s->node[nd].pending[b].block == r->arg[1]) s->node[nd].pending[b].lost = 1;
        break;
    case ENG_EV_BATCH_GENERATED:
        s->last_batch_generated_us = r->arg[0];
        for (int nd = 0; nd < VIZ_NODES_MAX; nd++) { /* the interval's blocks now belong to the batch */
            memset(s->node[nd].pending, 0, sizeof s->node[nd].pending);
            s->node[nd].npending = 0;
        }
        break;
    case ENG_EV_OFFSET_LOG:
        s->last_query_batch = r->arg[0];
        s->last_query = (int32_t)r->arg[2];
        break;
    case ENG_EV_BATCH_STARTED: s->batches_running++; break;
    case ENG_EV_BATCH_DONE:
        if (s->batches_running > 0) s->batches_running--;
        break;
    case ENG_EV_WINDOW_COMPUTED: {
        int row = window_ok(r) ? viz_window_row_of(m, r->arg[0]) : -1;
        if (row >= 0)
            s->win[row] = (viz_window){.end_us = r->arg[1], .length_us = r->arg[2], .slide_us = r->arg[3],
                                       .added_from_us = -1, .added_to_us = -1, .removed_from_us = -1, .removed_to_us = -1,
                                       .ev = i, .stream = (int32_t)r->arg[0]};
        break;
    }
    case ENG_EV_WINDOW_SLIDE: { /* right after its window_computed */
        const sim_trace_rec *c = i > 0 ? &m->trace->events[i - 1] : NULL;
        int row = c && c->type == ENG_EV_WINDOW_COMPUTED && window_ok(c) ? viz_window_row_of(m, c->arg[0]) : -1;
        if (row >= 0 && s->win[row].ev == i - 1) {
            s->win[row].added_from_us = r->arg[0], s->win[row].added_to_us = r->arg[1];
            s->win[row].removed_from_us = r->arg[2], s->win[row].removed_to_us = r->arg[3];
        }
        break;
    }
    case ENG_EV_RECEIVER_START:
        if ((n = node_of(s, r->arg[1])) && n->nreceivers < VIZ_RECEIVERS_MAX) {
            n->receiver_stream[n->nreceivers++] = (int32_t)r->arg[0];
            receivers_take_cores(n);
        }
        break;
    case ENG_EV_RECEIVER_FAILED:
        if ((n = node_of(s, r->arg[1])))
            for (int k = 0; k < n->nreceivers; k++)
                if (n->receiver_stream[k] == r->arg[0]) {
                    n->receiver_stream[k] = n->receiver_stream[--n->nreceivers];
                    n->receiver_stream[n->nreceivers] = 0;
                    break;
                }
        break;
    default: break;
    }
}

void viz_model_seek(const viz_model *m, size_t f, viz_live *s) {
    assert(f < m->nframes);
    size_t k = f / VIZ_KEYFRAME_EVERY;
    memcpy(s, &m->keys[k], sizeof *s);
    for (uint32_t i = frame_last(m, k * VIZ_KEYFRAME_EVERY) + 1; i <= frame_last(m, f); i++) viz_live_apply(m, s, i);
}

void viz_model_step(const viz_model *m, size_t f, viz_live *s) {
    assert(f + 1 < m->nframes);
    for (uint32_t i = frame_last(m, f) + 1; i <= frame_last(m, f + 1); i++) viz_live_apply(m, s, i);
}

/* How many window changes of all queries have happened at raw event ev. */
static uint64_t ewin_visible(const viz_model *m, uint32_t ev) {
    uint64_t n = 0;
    for (int q = 0; q < m->newin; q++) n += viz_list_visible(&m->ewin[q].changes, ev);
    return n;
}

uint64_t viz_model_hash(const viz_model *m, size_t f, const viz_live *s) {
    XXH3_state_t *h = XXH3_createState();
    assert(h);
    XXH3_64bits_reset(h);
    XXH3_64bits_update(h, s, sizeof *s);
    uint32_t ev = m->frames[f];
    uint64_t visible[8 + VIZ_DUR_COUNT_] = {
        viz_list_visible(&m->failures, ev), viz_list_visible(&m->arrivals, ev), viz_list_visible(&m->watermarks, ev),
        viz_list_visible(&m->late, ev),     viz_list_visible(&m->sinks, ev),    f,
        viz_list_visible(&m->kills, ev),    ewin_visible(m, m->frame_end[f])};
    for (int d = 0; d < VIZ_DUR_COUNT_; d++) visible[8 + d] = viz_list_visible(&m->durable[d], ev);
    XXH3_64bits_update(h, visible, sizeof visible);
    uint64_t findings = viz_findings_visible(m->findings, ev); /* the checker's marks shown */
    XXH3_64bits_update(h, &findings, sizeof findings);
    uint64_t out = XXH3_64bits_digest(h);
    XXH3_freeState(h);
    return out;
}

size_t viz_model_frame_at_time(const viz_model *m, int64_t t_us) {
    size_t lo = 0, hi = m->nframes; /* first frame after t_us */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->trace->events[m->frames[mid]].t_us <= t_us)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? lo - 1 : 0;
}

static size_t next_matching(const viz_model *m, size_t f, int dir, int (*match)(const viz_model *, uint32_t)) {
    if (dir > 0) {
        for (size_t g = f + 1; g < m->nframes; g++)
            if (match(m, m->frames[g])) return g;
    } else {
        for (size_t g = f; g-- > 0;)
            if (match(m, m->frames[g])) return g;
    }
    return f;
}

static int is_batch_gen(const viz_model *m, uint32_t i) { return m->trace->events[i].type == ENG_EV_BATCH_GENERATED; }

/* A fault injected, a crash, or a write the checker found records lost or
 * duplicated in (what a fault did, seen at the sink). */
static int is_fault_frame(const viz_model *m, uint32_t i) {
    const sim_trace_rec *r = &m->trace->events[i];
    return (r->type == ENG_EV_FAULT_INJECTED && rec_is_fault(r)) || (r->type == ENG_EV_NODE_DOWN && r->arg[1] == ENG_CAUSE_CRASH) ||
           (m->findings && viz_findings_at(m->findings, i));
}

size_t viz_model_next_batch(const viz_model *m, size_t f, int dir) { return next_matching(m, f, dir, is_batch_gen); }
size_t viz_model_next_fault(const viz_model *m, size_t f, int dir) { return next_matching(m, f, dir, is_fault_frame); }

long viz_touched_batch(const viz_model *m, uint32_t i) {
    const sim_trace_rec *r = &m->trace->events[i];
    int64_t bt;
    switch (r->type) {
    case ENG_EV_BATCH_GENERATED:
    case ENG_EV_BATCH_STARTED:
    case ENG_EV_BATCH_DONE: bt = r->arg[0]; break;
    case ENG_EV_JOB_START:
    case ENG_EV_JOB_END: bt = r->arg[1]; break;
    default: bt = m->ev_batch[i]; break;
    }
    if (bt < 0) return -1;
    for (size_t k = m->nbatches; k-- > 0;) /* the latest generation at or before event i */
        if (m->batches[k].batch_time_us == bt && m->batches[k].gen_ev <= i) return (long)k;
    return -1;
}

int viz_batch_colour(const viz_model *m, int64_t batch_time_us) {
    if (batch_time_us < 0) return -1;
    return (int)((batch_time_us / m->interval_us) % 7);
}

const char *viz_node_name(const viz_model *m, uint32_t node, char *buf, size_t n) {
    if (node < VIZ_NODES_MAX && m->node_names[node][0]) return m->node_names[node];
    snprintf(buf, n, node == 0 ? "the world" : "node %u", node);
    return buf;
}
