/* viz/inspector.c — the card shown for a clicked batch, node, running task
 * or block: ids, times, records in and out, as of the current frame. Every
 * fact comes from the trace up to the cursor (the frame's event), never
 * after it, so stepping with the card open shows what was known then. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../engine/ss.h"
#include "draw.h"
#include "findings.h"

#define LINES_MAX 8
#define LINE_LEN 160

typedef struct card {
    char title[LINE_LEN];
    char line[LINES_MAX][LINE_LEN];
    int n;
} card;

static char *next_line(card *k) { return k->n < LINES_MAX ? k->line[k->n++] : k->line[LINES_MAX - 1]; }

static void batch_card(const viz_view *v, size_t i, card *k) {
    const viz_model *m = v->m;
    const viz_batch *b = &m->batches[i];
    uint32_t ev = v->live.event;
    char d1[32], d2[32], d3[32];
    if (b->batch_time_us < 0) /* a Structured Streaming query's batch */
        snprintf(k->title, sizeof k->title, "Query %lld, batch %lld%s", (long long)((-b->batch_time_us - 1) / 1000000),
                 (long long)((-b->batch_time_us - 1) % 1000000), b->rerun ? " (run again after recovery)" : "");
    else
        snprintf(k->title, sizeof k->title, "Batch Time: %" PRId64 " ms%s", b->batch_time_us / 1000,
                 b->rerun ? " (generated again after recovery)" : "");
    snprintf(next_line(k), LINE_LEN, "generated at %s with %" PRId64 " records", viz_fmt_dur(b->gen_us, d1, sizeof d1), b->records);
    if (b->done_ev <= ev)
        snprintf(next_line(k), LINE_LEN, "scheduling delay %s \u00B7 processing time %s \u00B7 total %s",
                 viz_fmt_dur(b->start_us - b->gen_us, d1, sizeof d1), viz_fmt_dur(b->done_us - b->start_us, d2, sizeof d2),
                 viz_fmt_dur(b->done_us - b->gen_us, d3, sizeof d3));
    else if (b->start_ev <= ev)
        snprintf(next_line(k), LINE_LEN, "scheduling delay %s \u00B7 running for %s", viz_fmt_dur(b->start_us - b->gen_us, d1, sizeof d1),
                 viz_fmt_dur(v->live.t_us - b->start_us, d2, sizeof d2));
    else
        snprintf(next_line(k), LINE_LEN, "waiting for %s", viz_fmt_dur(v->live.t_us - b->gen_us, d1, sizeof d1));
    int started = 0, failed = 0, killed = 0, done = 0;
    int64_t records = 0;
    uint32_t end = b->done_ev < ev ? b->done_ev : ev; /* bounded by the trace */
    for (uint32_t e = b->gen_ev; e <= end && e < m->trace->count; e++) {
        const sim_trace_rec *r = &m->trace->events[e];
        if (m->ev_batch[e] != b->batch_time_us) continue;
        started += r->type == ENG_EV_TASK_START || r->type == ENG_EV_TASK_SPECULATIVE;
        failed += r->type == ENG_EV_TASK_FAILED && r->arg[3] != ENG_CAUSE_KILLED;
        killed += r->type == ENG_EV_TASK_FAILED && r->arg[3] == ENG_CAUSE_KILLED;
        if (r->type == ENG_EV_TASK_END) done++, records += r->arg[3];
    }
    snprintf(next_line(k), LINE_LEN, "tasks: %d started, %d finished (%" PRId64 " records out), %d failed, %d killed", started, done,
             records, failed, killed);
    for (size_t s = 0; s < viz_list_visible(&m->sinks, ev); s++) {
        const viz_mark *w = &m->sinks.v[s];
        if (w->b * 1000 == b->batch_time_us && w->ev >= b->gen_ev)
            snprintf(next_line(k), LINE_LEN, "output %" PRId64 " wrote %" PRId64 " rows", w->a, w->c);
    }
}

static void node_card(const viz_view *v, int nd, card *k) {
    const viz_model *m = v->m;
    const viz_node *n = &v->live.node[nd];
    char d[32];
    snprintf(k->title, sizeof k->title, "%s (trace node %d)", m->node_names[nd], nd);
    if (!n->known)
        snprintf(next_line(k), LINE_LEN, "not started yet");
    else if (n->up)
        snprintf(next_line(k), LINE_LEN, "up since %s, incarnation %d, %d cores", viz_fmt_time(n->since_us, d, sizeof d), n->incarnation,
                 n->cores);
    else
        snprintf(next_line(k), LINE_LEN, "%s at %s: its memory is gone", n->crashed ? "crashed" : "stopped",
                 viz_fmt_time(n->since_us, d, sizeof d));
    char *l = next_line(k);
    int len = snprintf(l, LINE_LEN, "running:");
    int running = 0;
    for (int c = 0; c < VIZ_CORES_MAX && len < LINE_LEN; c++)
        if (n->core[c].active) {
            running++;
            len += snprintf(l + len, (size_t)(LINE_LEN - len), "%s task %d.%d of batch %" PRId64 " ms%s", running > 1 ? "," : "",
                            n->core[c].stage, n->core[c].partition, n->core[c].batch_time_us / 1000,
                            n->core[c].speculative ? " (speculative)" : "");
        }
    if (!running) snprintf(l, LINE_LEN, "running: no task");
    snprintf(next_line(k), LINE_LEN, "tasks since it came up: %d done, %d failed, %d killed", n->tasks_done,
             n->tasks_failed, n->tasks_killed);
    snprintf(next_line(k), LINE_LEN, "blocks stored %d, replicas held %d", n->blocks, n->replicas);
    for (int r = 0; r < n->nreceivers; r++) snprintf(next_line(k), LINE_LEN, "runs the receiver of stream %d", n->receiver_stream[r]);
}

/* A batch as the trace keys it: a DStream batch time, or a query's batch. */
static const char *fmt_batch(int64_t batch_time_us, char *buf, size_t n) {
    if (batch_time_us < -1)
        snprintf(buf, n, "query %lld, batch %lld", (long long)((-batch_time_us - 1) / 1000000),
                 (long long)((-batch_time_us - 1) % 1000000));
    else if (batch_time_us >= 0)
        snprintf(buf, n, "batch %" PRId64 " ms", batch_time_us / 1000);
    else
        snprintf(buf, n, "no batch known");
    return buf;
}

static const char *action_name(int64_t action) {
    switch (action) {
    case 1: return "collect (print, take)";
    case 2: return "count";
    case 3: return "save (saveAsTextFiles, a sink)";
    case 4: return "data checkpoint";
    default: return "unknown";
    }
}

/* The latest event of `type` before raw index `before` whose arg[0] is a0,
 * searched back at most `limit` events; -1 if none. */
static int64_t find_back(const sim_trace *t, uint32_t before, uint32_t type, int64_t a0, uint32_t limit) {
    for (uint32_t i = before, n = 0; i-- > 0 && n < limit; n++)
        if (t->events[i].type == type && t->events[i].arg[0] == a0) return i;
    return -1;
}

/* Events searched back for where an element comes from: a task's stage and
 * job, a replica's original block, the batch before a block's. */
#define SEARCH_BACK_MAX 1000000u

/* A stage's lineage ("lineage: A <- B <- C", from its stage_submitted) on
 * at most three lines of the card, broken between RDDs. */
static void lineage_lines(card *k, const char *lineage) {
    enum { WIDTH = 74 }; /* characters a 21 px line of the card holds */
    const char *p = lineage;
    for (int line = 0; line < 3 && *p; line++) {
        size_t len = strlen(p);
        if (len > WIDTH) { /* break at the last " <- " that fits, else hard */
            size_t cut = 0;
            for (const char *q = strstr(p, " <- "); q && (size_t)(q - p) <= WIDTH; q = strstr(q + 1, " <- ")) cut = (size_t)(q - p);
            len = cut ? cut : WIDTH;
        }
        if (line == 2 && strlen(p) > len) {
            snprintf(next_line(k), LINE_LEN, "  %.*s ...", (int)len, p);
            return;
        }
        snprintf(next_line(k), LINE_LEN, "%s%.*s", line ? "  " : "", (int)len, p);
        p += len;
        if (*p == ' ') p++; /* the next line starts at its "<- " */
    }
}

/* The task whose task_start is raw event ts: from the trace up to the cursor. */
static void task_card(const viz_view *v, uint32_t ts, card *k) {
    const viz_model *m = v->m;
    const sim_trace *t = m->trace;
    const sim_trace_rec *r = &t->events[ts];
    uint32_t ev = v->live.event;
    int nd = (int)r->arg[3];
    char d1[48], d2[48], nb[32];
    snprintf(k->title, sizeof k->title, "Task %" PRId64 ".%" PRId64 ", attempt %" PRId64 "%s", r->arg[0], r->arg[1], r->arg[2],
             m->ev_spec[ts] ? " (speculative copy)" : "");
    if (ts > ev) {
        snprintf(next_line(k), LINE_LEN, "not started yet at this frame (it starts at %s)", viz_fmt_time(r->t_us, d1, sizeof d1));
        return;
    }
    int64_t st = find_back(t, ts, ENG_EV_STAGE_SUBMITTED, r->arg[0], SEARCH_BACK_MAX);
    int64_t job = st >= 0 ? t->events[st].arg[1] : -1;
    int64_t js = st >= 0 ? find_back(t, (uint32_t)st, ENG_EV_JOB_START, job, SEARCH_BACK_MAX) : -1;
    snprintf(next_line(k), LINE_LEN, "%s \u00B7 job %" PRId64 ", action %s", fmt_batch(m->ev_batch[ts], d1, sizeof d1), job,
             js >= 0 ? action_name(t->events[js].arg[2]) : "unknown");
    if (st >= 0) {
        const sim_trace_rec *s = &t->events[st];
        const char *text = sim_trace_text(t, s), *lineage = text ? strstr(text, "lineage: ") : NULL;
        char why[64] = ""; /* what comes before the lineage: why the stage was submitted again */
        if (text) snprintf(why, sizeof why, "%.*s", (int)(lineage ? lineage - text : (long)strlen(text)), text);
        size_t wl = strlen(why);
        if (wl >= 2 && strcmp(why + wl - 2, "; ") == 0) why[wl - 2] = '\0';
        snprintf(next_line(k), LINE_LEN, "stage %" PRId64 " (attempt %" PRId64 ") of job %" PRId64 ": %" PRId64 " task%s%s%.60s",
                 s->arg[0], s->arg[3], s->arg[1], s->arg[2], s->arg[2] == 1 ? "" : "s", why[0] ? ", " : "", why);
        if (lineage) lineage_lines(k, lineage);
    }
    int core = -1; /* still on a core at this frame? */
    if (nd > 0 && nd < VIZ_NODES_MAX)
        for (int c = 0; c < VIZ_CORES_MAX && core < 0; c++) {
            const viz_task *x = &v->live.node[nd].core[c];
            if (x->active && x->stage == r->arg[0] && x->partition == r->arg[1] && x->attempt == r->arg[2] &&
                x->start_us == r->t_us)
                core = c;
        }
    const char *where = viz_node_name(m, (uint32_t)nd, nb, sizeof nb);
    if (core >= 0)
        snprintf(next_line(k), LINE_LEN, "started at %s on %s, core %d", viz_fmt_time(r->t_us, d1, sizeof d1), where, core);
    else
        snprintf(next_line(k), LINE_LEN, "started at %s on %s", viz_fmt_time(r->t_us, d1, sizeof d1), where);
    int64_t end = -1; /* its task_end or task_failed, up to the cursor */
    for (uint32_t e = ts + 1; e <= ev && e < t->count && end < 0; e++) {
        const sim_trace_rec *x = &t->events[e];
        if ((x->type == ENG_EV_TASK_END || x->type == ENG_EV_TASK_FAILED) && x->arg[0] == r->arg[0] && x->arg[1] == r->arg[1] &&
            x->arg[2] == r->arg[2])
            end = e;
    }
    if (end < 0) {
        snprintf(next_line(k), LINE_LEN, "running for %s", viz_fmt_dur(v->live.t_us - r->t_us, d1, sizeof d1));
    } else {
        const sim_trace_rec *x = &t->events[end];
        const char *text = sim_trace_text(t, x);
        viz_fmt_time(x->t_us, d1, sizeof d1), viz_fmt_dur(x->t_us - r->t_us, d2, sizeof d2);
        if (x->type == ENG_EV_TASK_END)
            snprintf(next_line(k), LINE_LEN, "finished at %s after %s: %" PRId64 " records out", d1, d2, x->arg[3]);
        else if (x->arg[3] == ENG_CAUSE_KILLED)
            snprintf(next_line(k), LINE_LEN, "killed at %s after %s: another attempt succeeded (not a failure)", d1, d2);
        else
            snprintf(next_line(k), LINE_LEN, "failed at %s after %s: %s", d1, d2,
                     text ? text : x->arg[3] == 3 ? "FetchFailed" : "error, or its executor was lost");
    }
    snprintf(next_line(k), LINE_LEN, "%s",
             m->ev_spec[ts] ? "speculative: a copy launched because the task ran slow (task_speculative)"
                            : "speculative: no, a regular attempt");
}

/* Whether node nd still holds what it stored at t_us, at this frame. */
static const char *copy_state(const viz_view *v, int nd, int64_t t_us, char *buf, size_t n) {
    const viz_node *x = nd > 0 && nd < VIZ_NODES_MAX ? &v->live.node[nd] : NULL;
    char d[32];
    if (!x || (x->up && x->since_us <= t_us)) return "";
    snprintf(buf, n, x->up ? " (gone: restarted at %s)" : " (gone: down since %s)", viz_fmt_time(x->since_us, d, sizeof d));
    return buf;
}

/* Which batch block's data goes to (Spark's allocateBlocksToBatch: the first
 * batch generated after the driver heard of it): reported and batch are raw
 * indices of its block_reported and of that batch_generated, -1 if not yet. */
static void block_batch_lines(const viz_view *v, int64_t reported, int64_t batch, card *k) {
    const viz_model *m = v->m;
    const sim_trace *t = m->trace;
    char d1[48], d2[48];
    if (reported < 0) {
        snprintf(next_line(k), LINE_LEN, "not yet reported to the driver");
    } else if (batch < 0 && m->interval_kind == VIZ_INTERVAL_BATCH && m->interval_us > 0) {
        /* the batch at the end of the interval it was reported in */
        int64_t at = t->events[reported].t_us, iv = m->interval_us, end = (at + iv - 1) / iv * iv;
        snprintf(next_line(k), LINE_LEN, "reported to the driver at %s", viz_fmt_time(at, d1, sizeof d1));
        snprintf(next_line(k), LINE_LEN, "batch interval (%" PRId64 " ms, %" PRId64 " ms]: not in a batch yet", (end - iv) / 1000,
                 end / 1000);
    } else if (batch < 0) {
        snprintf(next_line(k), LINE_LEN, "reported to the driver at %s: the next batch generated takes it",
                 viz_fmt_time(t->events[reported].t_us, d1, sizeof d1));
    } else {
        const sim_trace_rec *b = &t->events[batch];
        int64_t from = -1; /* the batch before: the interval's start */
        for (uint32_t i = (uint32_t)batch, n = 0; i-- > 0 && n < SEARCH_BACK_MAX && from < 0; n++)
            if (t->events[i].type == ENG_EV_BATCH_GENERATED) from = t->events[i].arg[0];
        if (from >= 0)
            snprintf(next_line(k), LINE_LEN, "in %s: the batch interval (%" PRId64 " ms, %" PRId64 " ms]",
                     fmt_batch(b->arg[0], d2, sizeof d2), from / 1000, b->arg[0] / 1000);
        else
            snprintf(next_line(k), LINE_LEN, "in %s, the first batch", fmt_batch(b->arg[0], d2, sizeof d2));
    }
}

/* The block that raw event be (its block_created or block_replicated) put on a node. */
static void block_card(const viz_view *v, uint32_t be, card *k) {
    const viz_model *m = v->m;
    const sim_trace *t = m->trace;
    const sim_trace_rec *r = &t->events[be];
    uint32_t ev = v->live.event;
    int64_t stream = r->arg[0], block = r->arg[1];
    char d1[48], nb[32], st[64];
    snprintf(k->title, sizeof k->title, "Block #%04" PRIx64 " of stream %" PRId64 " (input-%" PRId64 "-%" PRId64 ")",
             (uint64_t)block & 0xffff, stream, stream, block);
    int64_t created = r->type == ENG_EV_BLOCK_CREATED ? (int64_t)be : -1;
    for (uint32_t i = be, n = 0; created < 0 && i-- > 0 && n < SEARCH_BACK_MAX; n++) /* a replica's original */
        if (t->events[i].type == ENG_EV_BLOCK_CREATED && t->events[i].arg[0] == stream && t->events[i].arg[1] == block)
            created = i;
    if (be > ev) {
        snprintf(next_line(k), LINE_LEN, "not stored yet at this frame (at %s)", viz_fmt_time(r->t_us, d1, sizeof d1));
        return;
    }
    const sim_trace_rec *c = created >= 0 ? &t->events[created] : r;
    uint32_t ci = created >= 0 ? (uint32_t)created : be;
    if (created >= 0)
        snprintf(next_line(k), LINE_LEN, "received by %s at %s: %" PRId64 " records", viz_node_name(m, c->node, nb, sizeof nb),
                 viz_fmt_time(c->t_us, d1, sizeof d1), c->arg[2]);
    char copies[LINE_LEN];
    int len = snprintf(copies, sizeof copies, "copies: %s%s", viz_node_name(m, c->node, nb, sizeof nb),
                       copy_state(v, (int)c->node, c->t_us, st, sizeof st));
    int replicas = 0;
    int64_t reported = -1, lost = -1, wal = -1, batch = -1;
    for (uint32_t e = ci + 1; e <= ev && e < t->count; e++) { /* facts up to the cursor */
        const sim_trace_rec *x = &t->events[e];
        if (x->type == ENG_EV_BATCH_GENERATED && reported >= 0 && batch < 0) batch = e; /* allocateBlocksToBatch */
        if (x->arg[0] != stream || x->arg[1] != block) continue;
        if (x->type == ENG_EV_BLOCK_REPLICATED && len < (int)sizeof copies) {
            replicas++;
            len += snprintf(copies + len, sizeof copies - (size_t)len, ", replica on %s%s",
                            viz_node_name(m, (uint32_t)x->arg[2], nb, sizeof nb),
                            copy_state(v, (int)x->arg[2], x->t_us, st, sizeof st));
        }
        if (x->type == ENG_EV_BLOCK_REPORTED && reported < 0) reported = e;
        if (x->type == ENG_EV_BLOCK_LOST && lost < 0) lost = e;
        if (x->type == ENG_EV_WAL_WRITE && wal < 0) wal = e;
    }
    if (!replicas && len < (int)sizeof copies) snprintf(copies + len, sizeof copies - (size_t)len, " only, no replica");
    snprintf(next_line(k), LINE_LEN, "%s", copies);
    if (lost >= 0)
        snprintf(next_line(k), LINE_LEN, "LOST at %s: no copy left, %" PRId64 " records gone",
                 viz_fmt_time(t->events[lost].t_us, d1, sizeof d1), t->events[lost].arg[2]);
    else
        snprintf(next_line(k), LINE_LEN, "not lost%s", wal >= 0 ? "; also in the write-ahead log" : "");
    block_batch_lines(v, reported, batch, k);
}

/* A text over up to two lines of the card, cut at a space where it can be. */
static void long_lines(card *k, const char *prefix, const char *text) {
    enum { WIDTH = 74 };
    char buf[2 * LINE_LEN];
    snprintf(buf, sizeof buf, "%s%s", prefix, text);
    size_t len = strlen(buf), cut = len;
    if (len > WIDTH) {
        cut = WIDTH;
        while (cut > WIDTH / 2 && buf[cut] != ' ' && buf[cut] != '/') cut--;
    }
    snprintf(next_line(k), LINE_LEN, "%.*s", (int)cut, buf);
    if (cut < len) snprintf(next_line(k), LINE_LEN, "  %.*s%s", WIDTH, buf + cut + (buf[cut] == ' '), len - cut > WIDTH ? " ..." : "");
}

/* A durable write (a tick of the storage panel): the event in words, when
 * and where, its fields as the trace names them, and its file. */
static void write_card(const viz_view *v, uint32_t i, card *k) {
    const viz_model *m = v->m;
    const sim_trace_rec *r = &m->trace->events[i];
    static const char *const kinds[VIZ_DUR_COUNT_] = {"Metadata checkpoint", "Data checkpoint", "Write-ahead log",
                                                       "Offset log",          "Commit log",      "State store",
                                                       "Recovery"};
    int row = -1;
    for (int d = 0; d < VIZ_DUR_COUNT_ && row < 0; d++)
        if (viz_list_visible(&m->durable[d], i) > 0 && m->durable[d].v[viz_list_visible(&m->durable[d], i) - 1].ev == i) row = d;
    char words[300], nb[32], d1[48], q[64];
    const char *text = sim_trace_text(m->trace, r);
    int64_t query = r->type == ENG_EV_OFFSET_LOG || r->type == ENG_EV_COMMIT_LOG ? r->arg[2]
                    : r->type == ENG_EV_STATE_UPDATE                               ? r->arg[0]
                                                                                   : -1;
    if (query >= 0)
        snprintf(k->title, sizeof k->title, "%s of query %s", row >= 0 ? kinds[row] : "Durable write",
                 viz_query_name(m, query, q, sizeof q));
    else
        snprintf(k->title, sizeof k->title, "%s", row >= 0 ? kinds[row] : "Durable write");
    viz_describe(m, i, words, sizeof words);
    long_lines(k, "", words);
    snprintf(next_line(k), LINE_LEN, "at %s by %s; it survives every crash", viz_fmt_time(r->t_us, d1, sizeof d1),
             viz_node_name(m, r->node, nb, sizeof nb));
    char fields[LINE_LEN] = "";
    size_t len = 0;
    for (int a = 0; a < 4; a++) {
        const char *name = sim_trace_arg_name(r->type, a);
        if (!name || len >= sizeof fields) continue;
        int w = snprintf(fields + len, sizeof fields - len, "%s%s %" PRId64, len ? " \u00B7 " : "", name, r->arg[a]);
        len += w > 0 ? (size_t)w : 0;
    }
    if (fields[0]) snprintf(next_line(k), LINE_LEN, "%s", fields);
    if (text && r->type != ENG_EV_RECOVERY_PHASE) long_lines(k, "file: ", text);
}

/* An output's row: its writes up to the frame, the latest one, and what the
 * checker found in them (its verdict on the last frame). */
static void output_card(const viz_view *v, int64_t out, card *k) {
    const viz_model *m = v->m;
    uint32_t ev = v->live.event;
    int dstream = out < VIZ_SS_OUTPUT;
    size_t n = 0, latest = SIZE_MAX, largest = SIZE_MAX;
    int64_t rows = 0;
    for (size_t s = 0; s < viz_list_visible(&m->sinks, ev); s++) {
        const viz_mark *x = &m->sinks.v[s];
        if (x->a != out) continue;
        n++, rows += x->c, latest = s;
        if (largest == SIZE_MAX || x->c > m->sinks.v[largest].c) largest = s;
    }
    char q[64], d1[48];
    if (dstream)
        snprintf(k->title, sizeof k->title, "DStream output %" PRId64, out);
    else
        snprintf(k->title, sizeof k->title, "Query %s's sink", viz_query_name(m, out - VIZ_SS_OUTPUT, q, sizeof q));
    if (latest == SIZE_MAX) {
        snprintf(next_line(k), LINE_LEN, "nothing written yet at this frame");
        return;
    }
    const viz_mark *l = &m->sinks.v[latest], *b = &m->sinks.v[largest];
    snprintf(next_line(k), LINE_LEN, "%zu %s so far, %" PRId64 " %s in all", n, n == 1 ? "write" : "writes", rows,
             rows == 1 ? "row" : "rows");
    snprintf(next_line(k), LINE_LEN, "latest: batch %" PRId64 "%s at %s, %" PRId64 " %s", l->b, dstream ? " ms" : "",
             viz_fmt_time(l->t_us, d1, sizeof d1), l->c, l->c == 1 ? "row" : "rows");
    snprintf(next_line(k), LINE_LEN, "largest: batch %" PRId64 "%s, %" PRId64 " %s", b->b, dstream ? " ms" : "", b->c,
             b->c == 1 ? "row" : "rows");
    const viz_findings *vf = m->findings;
    const sim_finding_output *o = vf ? viz_findings_output(vf, out) : NULL;
    if (!o) {
        snprintf(next_line(k), LINE_LEN, "the checker: no findings loaded (streamlab check writes them)");
        return;
    }
    int64_t count[SIM_FINDING_KINDS_];
    char w[160];
    size_t nf = viz_findings_sum(vf, out, ev, 0, count);
    viz_findings_words(count, w, sizeof w);
    if (w[0])
        snprintf(next_line(k), LINE_LEN, "the checker so far: %.100s, in %zu %s", w, nf, nf == 1 ? "batch" : "batches");
    else
        snprintf(next_line(k), LINE_LEN, "the checker so far: nothing lost or duplicated");
    if ((int64_t)ev == vf->last_ev)
        snprintf(next_line(k), LINE_LEN, "verdict: %.20s (%.100s)", o->verdict, viz_findings_words(o->count, w, sizeof w)[0] ? w : "as the reference");
}

/* An event-time window of a query's state store: its range, when it opened
 * and closed, the batches that changed it and what the sink got of it, up
 * to the frame. */
static void window_card(const viz_view *v, int64_t id, card *k) {
    const viz_model *m = v->m;
    int q = (int)(id >> 32);
    size_t i = (size_t)(id & 0xffffffff);
    const viz_ewins *w = &m->ewin[q];
    const viz_ewin *e = &w->v[i];
    uint32_t last = m->frame_end[v->frame];
    char a[48], b[48], nm[64], d1[48];
    int dates = e->start_us > 100 * (m->end_us > 0 ? m->end_us : 1); /* a dataset's dates, as the panel tells them */
    snprintf(k->title, sizeof k->title, "Window [%.20s, %.20s) of query %.40s", viz_fmt_event(e->start_us, dates, 0, a, sizeof a),
             viz_fmt_event(e->end_us, dates, 1, b, sizeof b), viz_query_name(m, w->query, nm, sizeof nm));
    if (e->open_ev > last) {
        snprintf(next_line(k), LINE_LEN, "not in the state store yet at this frame");
        return;
    }
    /* the batches that changed it, up to the frame */
    char ups[LINE_LEN] = "", evicted[64] = "";
    size_t len = 0;
    int nup = 0;
    for (size_t c = 0; c < viz_list_visible(&w->changes, last); c++) {
        const viz_mark *x = &w->changes.v[c];
        if ((size_t)x->a != i) continue;
        if (x->c == 1) {
            snprintf(evicted, sizeof evicted, "%" PRId64, x->b);
            continue;
        }
        char one[24];
        snprintf(one, sizeof one, "%" PRId64, x->b);
        if (len && strstr(ups, one) && strcmp(ups + len - strlen(one), one) == 0) continue; /* several partitions, one batch */
        if (len < sizeof ups - 24) len += (size_t)snprintf(ups + len, sizeof ups - len, "%s%s", len ? ", " : "", one);
        nup++;
    }
    snprintf(next_line(k), LINE_LEN, "%s mode; opened at %s (its first update)", eng_ss_mode_name((uint32_t)w->mode),
             viz_fmt_time(e->open_us, d1, sizeof d1));
    snprintf(next_line(k), LINE_LEN, "updated by batch%s %.130s", nup == 1 ? "" : "es", ups);
    int closed = e->close_ev != VIZ_NONE && e->close_ev <= last;
    if (closed)
        snprintf(next_line(k), LINE_LEN, "evicted by batch %s at %s: the watermark passed its end", evicted,
                 viz_fmt_time(e->close_us, d1, sizeof d1));
    else
        snprintf(next_line(k), LINE_LEN, "still in the state store: the watermark has not passed its end");
    if (w->mode == 1)
        snprintf(next_line(k), LINE_LEN, closed ? "append: its one final row went to the sink with batch %s"
                                                : "append: nothing written yet; its row goes out once, when it closes", evicted);
    else if (w->mode == 2)
        snprintf(next_line(k), LINE_LEN, "update: the sink got its row with each batch that updated it");
    else
        snprintf(next_line(k), LINE_LEN, "complete: the sink gets its row with every batch");
}

/* The card for what v inspects; 0 when there is none. */
static int fill(const viz_view *v, card *k) {
    memset(k, 0, sizeof *k);
    int64_t id = v->inspect_id;
    const sim_trace *t = v->m->trace;
    if (v->inspect == VIZ_INSPECT_BATCH && id >= 0 && (size_t)id < v->m->nbatches)
        batch_card(v, (size_t)id, k);
    else if (v->inspect == VIZ_INSPECT_NODE && id > 0 && id < VIZ_NODES_MAX)
        node_card(v, (int)id, k);
    else if (v->inspect == VIZ_INSPECT_TASK && id >= 0 && (size_t)id < t->count && t->events[id].type == ENG_EV_TASK_START)
        task_card(v, (uint32_t)id, k);
    else if (v->inspect == VIZ_INSPECT_BLOCK && id >= 0 && (size_t)id < t->count &&
             (t->events[id].type == ENG_EV_BLOCK_CREATED || t->events[id].type == ENG_EV_BLOCK_REPLICATED))
        block_card(v, (uint32_t)id, k);
    else if (v->inspect == VIZ_INSPECT_WRITE && id >= 0 && (size_t)id < t->count)
        write_card(v, (uint32_t)id, k);
    else if (v->inspect == VIZ_INSPECT_OUTPUT)
        output_card(v, id, k);
    else if (v->inspect == VIZ_INSPECT_WINDOW && id >= 0 && (id >> 32) < v->m->newin &&
             (size_t)(id & 0xffffffff) < v->m->ewin[id >> 32].n)
        window_card(v, id, k);
    else
        return 0;
    return 1;
}

size_t viz_inspector_text(const viz_view *v, char *buf, size_t n) {
    card k;
    size_t len = 0;
    if (n) buf[0] = '\0';
    if (!fill(v, &k)) return 0;
    int w = snprintf(buf, n, "%s", k.title);
    len = w > 0 ? (size_t)w : 0;
    for (int i = 0; i < k.n && len < n; i++) {
        w = snprintf(buf + len, n - len, "\n%s", k.line[i]);
        len += w > 0 ? (size_t)w : 0;
    }
    return len < n ? len : n ? n - 1 : 0;
}

void viz_draw_inspector(viz_gc *g, viz_rect anchor) {
    card k;
    if (!fill(g->v, &k)) return;
    double w = 860, h = 70 + 34.0 * k.n + 40, x = anchor.x + anchor.w - w, y = VIZ_H - 132 - 14 - h;
    viz_round_rect(g->cr, x, y, w, h, 12);
    viz_set(g, g->th->bg, 0.97);
    cairo_fill_preserve(g->cr);
    viz_set(g, g->th->recovery, 1);
    cairo_set_line_width(g->cr, 3 * g->th->stroke);
    cairo_stroke(g->cr);
    viz_text(g, x + 24, y + 18, 26, 1, g->th->fg, VIZ_LEFT, w - 48, k.title);
    for (int i = 0; i < k.n; i++) viz_text(g, x + 24, y + 64 + 34.0 * i, 21, 0, g->th->fg, VIZ_LEFT, w - 48, k.line[i]);
    viz_text(g, x + w - 24, y + h - 32, 16, 0, g->th->muted, VIZ_RIGHT, 0, "click elsewhere or Esc to close");
}
