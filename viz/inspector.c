/* viz/inspector.c — the card shown for a clicked batch or node: ids, times,
 * records in and out, as of the current frame. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"

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

void viz_draw_inspector(viz_gc *g, viz_rect anchor) {
    const viz_view *v = g->v;
    card k;
    memset(&k, 0, sizeof k);
    if (v->inspect == VIZ_INSPECT_BATCH && v->inspect_id >= 0 && (size_t)v->inspect_id < v->m->nbatches)
        batch_card(v, (size_t)v->inspect_id, &k);
    else if (v->inspect == VIZ_INSPECT_NODE && v->inspect_id > 0 && v->inspect_id < VIZ_NODES_MAX)
        node_card(v, (int)v->inspect_id, &k);
    else
        return;
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
