/* viz/panel_cluster.c — the cluster: the driver and each worker with its
 * cores, running tasks as chips coloured by batch, receivers, the blocks of
 * the current batch interval (a replica has a second outline), and a crashed
 * node hatched and struck through until it restarts. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"

/* Whether the frame's event concerns node nd (for the pulse outline). */
static int touches(const viz_gc *g, int nd) {
    const sim_trace_rec *r = &g->m->trace->events[g->v->live.event];
    switch (r->type) {
    case ENG_EV_TASK_START:
    case ENG_EV_TASK_SPECULATIVE: return r->arg[3] == nd;
    case ENG_EV_BLOCK_REPLICATED: return r->arg[2] == nd;
    case ENG_EV_RECEIVER_START:
    case ENG_EV_RECEIVER_FAILED: return r->arg[1] == nd;
    case ENG_EV_EXECUTOR_LOST: return r->arg[0] == nd;
    case ENG_EV_FAULT_INJECTED: return r->arg[1] == nd;
    case ENG_EV_NODE_UP:
    case ENG_EV_NODE_DOWN:
    case ENG_EV_BLOCK_CREATED: return (int)r->node == nd;
    default: return 0;
    }
}

static void draw_chip(viz_gc *g, const viz_task *k, double x, double y, double w, double h) {
    int colour = viz_batch_colour(g->m, k->batch_time_us);
    viz_round_rect(g->cr, x, y, w, h, 6);
    viz_set(g, viz_batch_rgb(g, colour), 1);
    cairo_fill_preserve(g->cr);
    viz_set(g, (viz_rgb){0, 0, 0}, 1);
    cairo_set_line_width(g->cr, 1.5 * g->th->stroke);
    if (k->speculative) {
        double dash[] = {6, 4};
        cairo_set_dash(g->cr, dash, 2, 0);
        cairo_set_line_width(g->cr, 3);
    }
    cairo_stroke(g->cr);
    cairo_set_dash(g->cr, NULL, 0, 0);
    char buf[48];
    snprintf(buf, sizeof buf, "%s%d.%d", k->speculative ? "spec " : "", k->stage, k->partition);
    double px = h >= 60 ? 22 : 18;
    /* black or white text, whichever contrasts more with the batch colour */
    viz_rgb bg = viz_batch_rgb(g, colour);
    double lum = 0.2126 * bg.r * bg.r + 0.7152 * bg.g * bg.g + 0.0722 * bg.b * bg.b; /* gamma 2 is close enough */
    viz_text(g, x + w / 2, y + h / 2 - px * 0.62, px, 1, lum > 0.18 ? (viz_rgb){0, 0, 0} : (viz_rgb){1, 1, 1}, VIZ_CENTER, w - 6,
             buf);
}

/* A core held by a receiver (a long-running task in Spark): filled in the
 * receiver blue, hatched, and labelled, so that it does not read as free. */
static void draw_receiver_core(viz_gc *g, int stream, double x, double y, double w, double h) {
    viz_round_rect(g->cr, x, y, w, h, 6);
    viz_set(g, g->th->recovery, 1);
    cairo_fill(g->cr);
    cairo_save(g->cr);
    viz_round_rect(g->cr, x, y, w, h, 6);
    cairo_clip(g->cr);
    viz_hatch(g, (viz_rect){x, y, w, h}, (viz_rgb){1, 1, 1}, 0.22, 14);
    cairo_restore(g->cr);
    char full[48], rcv[48];
    snprintf(full, sizeof full, "receiver %d", stream);
    snprintf(rcv, sizeof rcv, "rcv %d", stream);
    /* the longest label that fits, at the chip's size or one step smaller */
    const struct { const char *text; double px; } tries[] = {
        {full, h >= 60 ? 20 : 17}, {"receiver", h >= 60 ? 20 : 17}, {"receiver", 16}, {rcv, 16}};
    size_t k = 0;
    while (k + 1 < sizeof tries / sizeof *tries && viz_text_width(g, tries[k].px, 1, tries[k].text) > w - 8) k++;
    viz_text(g, x + w / 2, y + h / 2 - tries[k].px * 0.62, tries[k].px, 1, (viz_rgb){1, 1, 1}, VIZ_CENTER, w - 6,
             tries[k].text);
}

/* Whether the inspector shows the task on core k of node nd, or block b (any
 * of its copies): the element keeps its outline while its card is open. */
static int inspected_task(const viz_gc *g, int nd, const viz_task *k) {
    const viz_view *v = g->v;
    if (v->inspect != VIZ_INSPECT_TASK || v->inspect_id < 0 || (size_t)v->inspect_id >= g->m->trace->count) return 0;
    const sim_trace_rec *r = &g->m->trace->events[v->inspect_id];
    return r->type == ENG_EV_TASK_START && r->arg[0] == k->stage && r->arg[1] == k->partition && r->arg[2] == k->attempt &&
           r->arg[3] == nd && r->t_us == k->start_us;
}

static int inspected_block(const viz_gc *g, const viz_block *b) {
    const viz_view *v = g->v;
    if (v->inspect != VIZ_INSPECT_BLOCK || v->inspect_id < 0 || (size_t)v->inspect_id >= g->m->trace->count) return 0;
    const sim_trace_rec *r = &g->m->trace->events[v->inspect_id];
    return r->arg[0] == b->stream && r->arg[1] == b->block;
}

#define BLOCK_S 20.0    /* a block's square */
#define BLOCK_STEP 34.0 /* room for a replica's second outline */

static void draw_blocks(viz_gc *g, const viz_node *n, double x, double y, double max_w) {
    double s = BLOCK_S, step = BLOCK_STEP;
    for (int b = 0; b < n->npending && (b + 1) * step < max_w; b++) {
        const viz_block *k = &n->pending[b];
        double bx = x + b * step;
        viz_set(g, k->lost ? g->th->grid : g->th->fg, k->lost ? 1 : 0.75);
        cairo_rectangle(g->cr, bx, y, s, s);
        cairo_fill(g->cr);
        if (k->replica) { /* a replica: a second outline */
            viz_set(g, g->th->fg, 1);
            cairo_set_line_width(g->cr, 2);
            cairo_rectangle(g->cr, bx - 3.5, y - 3.5, s + 7, s + 7);
            cairo_stroke(g->cr);
        }
        if (k->lost) viz_cross(g, bx + s / 2, y + s / 2, s / 2, g->th->fault, 3);
        if (inspected_block(g, k)) {
            viz_round_rect(g->cr, bx - 8, y - 8, s + 16, s + 16, 4);
            viz_set(g, g->th->recovery, 1);
            cairo_set_line_width(g->cr, 3 * g->th->stroke);
            cairo_stroke(g->cr);
        }
    }
}

static void draw_driver(viz_gc *g, const viz_node *n, viz_rect row) {
    const viz_live *s = &g->v->live;
    char buf[200];
    if (s->last_batch_generated_us >= 0)
        snprintf(buf, sizeof buf, "JobGenerator: batch %" PRId64 " ms, %d running", s->last_batch_generated_us / 1000,
                 s->batches_running);
    else if (s->last_query_batch >= 0)
        snprintf(buf, sizeof buf, "MicroBatchExecution: query %d, batch %" PRId64, (int)s->last_query,
                 s->last_query_batch);
    else
        snprintf(buf, sizeof buf, "JobGenerator: waiting for the first batch");
    viz_text(g, row.x + 200, row.y + 8, 20, 0, n->up ? g->th->fg : g->th->muted, VIZ_LEFT, row.w - 210, buf);
    if (s->recovery != VIZ_NONE) {
        const char *text = sim_trace_text(g->m->trace, &g->m->trace->events[s->recovery]);
        snprintf(buf, sizeof buf, "recovered: %s", text ? text : "from checkpoint");
        viz_text(g, row.x + 200, row.y + 38, 18, 0, g->th->recovery, VIZ_LEFT, row.w - 210, buf);
    }
}

/* Where a worker's core boxes go in its row: shared by drawing and tests. */
typedef struct core_geom {
    int cores;
    double cx, cw, ch;
} core_geom;

static core_geom layout_cores(const viz_model *m, const viz_node *n, viz_rect row) {
    core_geom q;
    q.cores = n->cores > VIZ_CORES_MAX ? VIZ_CORES_MAX : n->cores;
    if (q.cores <= 0) q.cores = m->cores > 0 && m->cores <= VIZ_CORES_MAX ? m->cores : 2;
    double avail = row.w - 200 - 10;
    q.cx = row.x + 200;
    q.cw = (avail - 10.0 * (q.cores - 1)) / q.cores;
    if (q.cw > 150) q.cw = 150;
    q.ch = row.h - 48 < 84 ? row.h - 48 : 84;
    if (q.ch < 30) q.ch = 30;
    return q;
}

/* Where a worker's block squares go: under its cores, after a tag for each
 * receiver without a drawn core; n of them fit. Shared by drawing and hit testing. */
typedef struct block_geom {
    double x, y, max_w;
    int n;
} block_geom;

static int receiver_in_core(const viz_node *n, int k, int cores) {
    int c = viz_receiver_core(n, k);
    return c >= 0 && c < cores && !n->core[c].active;
}

static block_geom layout_blocks(const viz_model *m, const viz_node *n, viz_rect row) {
    core_geom q = layout_cores(m, n, row);
    block_geom b = {.x = q.cx, .y = row.y + q.ch + 12 + 3};
    for (int k = 0; k < n->nreceivers; k++) b.x += receiver_in_core(n, k, q.cores) ? 0 : 160;
    b.max_w = row.x + row.w - b.x - 180;
    b.x += 6;
    while (b.n < n->npending && (b.n + 1) * BLOCK_STEP < b.max_w) b.n++;
    return b;
}

static void draw_worker(viz_gc *g, const viz_node *n, int nd, viz_rect row) {
    core_geom q = layout_cores(g->m, n, row);
    int cores = q.cores;
    double cx = q.cx, cw = q.cw, ch = q.ch;
    int in_core[VIZ_RECEIVERS_MAX] = {0}; /* receivers drawn in the core they hold */
    for (int c = 0; c < cores; c++) {
        double x = cx + c * (cw + 10);
        viz_round_rect(g->cr, x, row.y + 4, cw, ch, 6);
        viz_set(g, g->th->bg, 1);
        cairo_fill_preserve(g->cr);
        viz_set(g, g->th->grid, 1);
        cairo_set_line_width(g->cr, 1.5 * g->th->stroke);
        cairo_stroke(g->cr);
        if (n->core[c].active) {
            draw_chip(g, &n->core[c], x + 4, row.y + 8, cw - 8, ch - 8);
            if (inspected_task(g, nd, &n->core[c])) {
                viz_round_rect(g->cr, x - 3, row.y + 1, cw + 6, ch + 6, 8);
                viz_set(g, g->th->recovery, 1);
                cairo_set_line_width(g->cr, 4 * g->th->stroke);
                cairo_stroke(g->cr);
            }
            continue;
        }
        for (int k = 0; k < n->nreceivers; k++)
            if (viz_receiver_core(n, k) == c) {
                draw_receiver_core(g, n->receiver_stream[k], x + 4, row.y + 8, cw - 8, ch - 8);
                in_core[k] = 1;
            }
    }
    double ry = row.y + ch + 12;
    double x = cx;
    char buf[64];
    for (int k = 0; k < n->nreceivers; k++) { /* receivers without a drawn core: a tag each */
        if (in_core[k]) continue;
        snprintf(buf, sizeof buf, "receiver %d", n->receiver_stream[k]);
        viz_round_rect(g->cr, x, ry, 150, 26, 13);
        viz_set(g, g->th->recovery, 1);
        cairo_fill(g->cr);
        viz_text(g, x + 75, ry + 2, 17, 1, (viz_rgb){1, 1, 1}, VIZ_CENTER, 140, buf);
        x += 160;
    }
    if (n->npending) draw_blocks(g, n, x + 6, ry + 3, row.x + row.w - x - 180);
    if (n->up && (n->blocks || n->replicas)) {
        snprintf(buf, sizeof buf, "%d blocks, %d replicas", n->blocks, n->replicas);
        viz_text(g, row.x + row.w, ry + 2, 16, 0, g->th->muted, VIZ_RIGHT, 0, buf);
    }
}

#define LANE_W 76.0 /* the network lane at the panel's right edge */

/* Messages in flight: each a short arrow on the lane between its two nodes'
 * rows, placed by how far it has travelled (send to deliver time). */
static void draw_messages(viz_gc *g, const double *row_y, double lane_x, double top) {
    const viz_live *s = &g->v->live, *from = viz_ease_from(g);
    viz_text(g, lane_x + LANE_W / 2, top - 2, 16, 0, g->th->muted, VIZ_CENTER, 0, "network");
    for (int k = 0; k < s->nmsg; k++) {
        const viz_message *msg = &s->msg[k];
        if (msg->src < 0 || msg->src >= VIZ_NODES_MAX || msg->dst < 0 || msg->dst >= VIZ_NODES_MAX) continue;
        double y0 = row_y[msg->src], y1 = row_y[msg->dst];
        if (y0 < 0 || y1 < 0 || y0 == y1) continue;
        double x = lane_x + 10 + (k % 5) * 13;
        for (int j = 0; from && j < from->nmsg; j++) /* while playing: to its new column when older ones went */
            if (from->msg[j].send_us == msg->send_us && from->msg[j].src == msg->src && from->msg[j].dst == msg->dst &&
                from->msg[j].kind == msg->kind) {
                x = viz_eased(g, lane_x + 10 + (j % 5) * 13, x);
                break;
            }
        double span = (double)(msg->deliver_us - msg->send_us);
        double p = span > 0 ? (double)(s->t_us - msg->send_us) / span : 1;
        if (p < 0) p = 0;
        if (p > 1) p = 1;
        viz_set(g, g->th->fg, 0.18);
        cairo_set_line_width(g->cr, 2);
        cairo_move_to(g->cr, x, y0);
        cairo_line_to(g->cr, x, y1);
        cairo_stroke(g->cr);
        double dir = y1 > y0 ? 1 : -1, y = y0 + (y1 - y0) * p, len = 26;
        double ya = y - dir * len / 2, yb = y + dir * len / 2;
        viz_set(g, g->th->fg, 1);
        cairo_set_line_width(g->cr, 3 * g->th->stroke);
        cairo_move_to(g->cr, x, ya);
        cairo_line_to(g->cr, x, yb);
        cairo_stroke(g->cr);
        cairo_move_to(g->cr, x, yb + dir * 4);
        cairo_line_to(g->cr, x - 6, yb - dir * 6);
        cairo_line_to(g->cr, x + 6, yb - dir * 6);
        cairo_close_path(g->cr);
        cairo_fill(g->cr);
    }
}

/* The rows: one per node the trace names, the driver's shorter (it has no
 * cores to draw). Fills ids and rows; returns how many. Shared by drawing
 * and hit testing. */
static int layout_rows(const viz_model *m, viz_rect c, int ids[VIZ_NODES_MAX], viz_rect rows[VIZ_NODES_MAX]) {
    int n = 0;
    for (int nd = 1; nd < VIZ_NODES_MAX; nd++)
        if (m->node_names[nd][0]) ids[n++] = nd;
    if (!n) return 0;
    double driver_h = ids[0] == 1 ? 96 : 0;
    double rh = n > 1 ? (c.h - driver_h) / (n - (driver_h > 0)) : c.h;
    if (rh > 180) rh = 180;
    double y = c.y;
    for (int i = 0; i < n; i++) {
        double h = ids[i] == 1 ? driver_h : rh;
        rows[i] = (viz_rect){c.x, y, c.w - LANE_W - 8, h - 12};
        y += h;
    }
    return n;
}

int viz_cluster_hit(const viz_view *v, viz_rect panel, double x, double y) {
    int ids[VIZ_NODES_MAX];
    viz_rect rows[VIZ_NODES_MAX];
    int n = layout_rows(v->m, viz_panel_content(panel), ids, rows);
    for (int i = 0; i < n; i++)
        if (x >= rows[i].x && x < rows[i].x + rows[i].w && y >= rows[i].y && y < rows[i].y + rows[i].h) return ids[i];
    return -1;
}

int viz_cluster_core_rect(const viz_view *v, viz_rect panel, int node, int core, viz_rect *out) {
    int ids[VIZ_NODES_MAX];
    viz_rect rows[VIZ_NODES_MAX];
    int n = layout_rows(v->m, viz_panel_content(panel), ids, rows);
    for (int i = 0; i < n; i++) {
        if (ids[i] != node || node == 1) continue;
        core_geom q = layout_cores(v->m, &v->live.node[node], rows[i]);
        if (core < 0 || core >= q.cores) return -1;
        *out = (viz_rect){q.cx + core * (q.cw + 10), rows[i].y + 4, q.cw, q.ch};
        return 0;
    }
    return -1;
}

/* The raw index of the task_start that put task k on node nd, searched
 * back from the cursor to the task's start time; -1 if none. */
static int64_t task_start_event(const viz_view *v, int nd, const viz_task *k) {
    const sim_trace *t = v->m->trace;
    for (uint32_t i = v->live.event + 1; i-- > 0;) {
        const sim_trace_rec *r = &t->events[i];
        if (r->t_us < k->start_us) break;
        if (r->type == ENG_EV_TASK_START && r->arg[0] == k->stage && r->arg[1] == k->partition && r->arg[2] == k->attempt &&
            r->arg[3] == nd && r->t_us == k->start_us)
            return i;
    }
    return -1;
}

/* The raw index of the block_created (or, for a replica, block_replicated)
 * that put block b on node nd, searched back to the batch that cleared the
 * node's blocks; -1 if none. */
static int64_t block_event(const viz_view *v, int nd, const viz_block *b) {
    const sim_trace *t = v->m->trace;
    for (uint32_t i = v->live.event + 1; i-- > 0;) {
        const sim_trace_rec *r = &t->events[i];
        if (r->type == ENG_EV_BATCH_GENERATED) break;
        if (r->arg[0] != b->stream || r->arg[1] != b->block) continue;
        if (b->replica ? r->type == ENG_EV_BLOCK_REPLICATED && r->arg[2] == nd
                       : r->type == ENG_EV_BLOCK_CREATED && (int)r->node == nd)
            return i;
    }
    return -1;
}

static int inside(viz_rect r, double x, double y) { return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h; }

int viz_cluster_block_rect(const viz_view *v, viz_rect panel, int node, int k, viz_rect *out) {
    int ids[VIZ_NODES_MAX];
    viz_rect rows[VIZ_NODES_MAX];
    int n = layout_rows(v->m, viz_panel_content(panel), ids, rows);
    for (int i = 0; i < n; i++) {
        if (ids[i] != node || node == 1) continue;
        block_geom b = layout_blocks(v->m, &v->live.node[node], rows[i]);
        if (k < 0 || k >= b.n) return -1;
        *out = (viz_rect){b.x + k * BLOCK_STEP, b.y, BLOCK_S, BLOCK_S};
        return 0;
    }
    return -1;
}

int viz_cluster_hit_element(const viz_view *v, viz_rect panel, double x, double y, int64_t *id) {
    int ids[VIZ_NODES_MAX];
    viz_rect rows[VIZ_NODES_MAX];
    int n = layout_rows(v->m, viz_panel_content(panel), ids, rows);
    for (int i = 0; i < n; i++) {
        int nd = ids[i];
        const viz_node *node = &v->live.node[nd];
        if (nd == 1 || !inside(rows[i], x, y)) continue;
        core_geom q = layout_cores(v->m, node, rows[i]);
        for (int c = 0; c < q.cores; c++) {
            viz_rect box = {q.cx + c * (q.cw + 10), rows[i].y + 4, q.cw, q.ch};
            if (node->core[c].active && inside(box, x, y) && (*id = task_start_event(v, nd, &node->core[c])) >= 0)
                return VIZ_INSPECT_TASK;
        }
        block_geom b = layout_blocks(v->m, node, rows[i]);
        for (int k = 0; k < b.n; k++) { /* the square and its replica outline, a few pixels more to aim at */
            viz_rect sq = {b.x + k * BLOCK_STEP - 6, b.y - 6, BLOCK_S + 12, BLOCK_S + 12};
            if (inside(sq, x, y) && (*id = block_event(v, nd, &node->pending[k])) >= 0) return VIZ_INSPECT_BLOCK;
        }
    }
    *id = 0;
    return VIZ_INSPECT_NONE;
}

void viz_panel_cluster(viz_gc *g, viz_rect r) {
    const viz_live *s = &g->v->live;
    viz_rect c = viz_panel(g, r, "CLUSTER", "chips: running tasks (stage.partition), coloured by batch");
    int ids[VIZ_NODES_MAX];
    viz_rect rows[VIZ_NODES_MAX];
    int n = layout_rows(g->m, c, ids, rows);
    if (!n) return;
    char buf[96], d[32];
    double row_y[VIZ_NODES_MAX];
    for (int k = 0; k < VIZ_NODES_MAX; k++) row_y[k] = -1;
    double lane_x = c.x + c.w - LANE_W;
    c.w -= LANE_W + 8;
    for (int i = 0; i < n; i++) {
        int nd = ids[i];
        const viz_node *node = &s->node[nd];
        viz_rect row = rows[i];
        row_y[nd] = row.y + 20;
        if (i) {
            viz_set(g, g->th->grid, 1);
            cairo_rectangle(g->cr, c.x, row.y - 6, c.w, 1.5);
            cairo_fill(g->cr);
        }
        int down = node->known && !node->up;
        viz_text(g, row.x, row.y + 4, 26, 1, down ? g->th->muted : g->th->fg, VIZ_LEFT, 190, g->m->node_names[nd]);
        if (!node->known)
            snprintf(buf, sizeof buf, "not started");
        else if (node->up)
            snprintf(buf, sizeof buf, nd == 1 ? "up" : "up \u00B7 %d cores", node->cores);
        else
            snprintf(buf, sizeof buf, "%s at %s", node->crashed ? "CRASHED" : "stopped", viz_fmt_time(node->since_us, d, sizeof d));
        double spx = 18; /* the crash time to the millisecond: one step smaller rather than cut */
        if (down && viz_text_width(g, spx, 1, buf) > 190) spx = 16;
        if (down && viz_text_width(g, spx, 1, buf) > 190) /* long times: without "at" */
            snprintf(buf, sizeof buf, "%s %s", node->crashed ? "CRASHED" : "stopped", viz_fmt_time(node->since_us, d, sizeof d));
        int slow = node->up && node->slow_until_us > s->t_us;
        double ly = row.y + 64 + (node->up && node->incarnation > 1 ? 22 : 0);
        int pill_over_state = slow && ly + 26 > row.y + row.h; /* a short row: the pill takes the state's line */
        if (!pill_over_state) viz_text(g, row.x, row.y + 40, spx, down, down ? g->th->fault : g->th->muted, VIZ_LEFT, 190, buf);
        ly = row.y + 64;
        if (node->up && node->incarnation > 1) {
            snprintf(buf, sizeof buf, "restarted (#%d)", node->incarnation);
            viz_text(g, row.x, ly, 16, 0, g->th->recovery, VIZ_LEFT, 190, buf);
            ly += 22;
        }
        if (slow) {
            if (pill_over_state) ly = row.y + 36;
            viz_round_rect(g->cr, row.x, ly, 120, 26, 13);
            viz_set(g, g->th->fault, 1);
            cairo_fill(g->cr);
            viz_text(g, row.x + 60, ly + 2, 17, 1, (viz_rgb){1, 1, 1}, VIZ_CENTER, 0, "straggler");
            ly += 32;
        }
        if (nd != 1 && (node->tasks_done || node->tasks_failed || node->tasks_killed) && ly + 20 < row.y + row.h) {
            if (node->tasks_failed)
                snprintf(buf, sizeof buf, "%d tasks, %d failed", node->tasks_done, node->tasks_failed);
            else
                snprintf(buf, sizeof buf, "%d tasks done", node->tasks_done);
            viz_text(g, row.x, ly, 16, 0, node->tasks_failed ? g->th->fault : g->th->muted, VIZ_LEFT, 190, buf);
            ly += 20;
        }
        if (nd != 1 && node->tasks_killed && ly + 20 < row.y + row.h) { /* lost a speculative race: not a failure */
            snprintf(buf, sizeof buf, "%d killed (copy won)", node->tasks_killed);
            viz_text(g, row.x, ly, 16, 0, g->th->muted, VIZ_LEFT, 190, buf);
        }
        if (nd == 1)
            draw_driver(g, node, row);
        else
            draw_worker(g, node, nd, row);
        if (down && node->crashed) { /* hatched and struck through until it restarts */
            viz_hatch(g, row, g->th->fault, 0.35, 16);
            viz_set(g, g->th->fault, 1);
            cairo_set_line_width(g->cr, 5);
            cairo_move_to(g->cr, row.x - 4, row.y + 20);
            cairo_line_to(g->cr, row.x + 180, row.y + 20);
            cairo_stroke(g->cr);
        }
        if (touches(g, nd) || (g->v->inspect == VIZ_INSPECT_NODE && g->v->inspect_id == nd)) { /* what this frame changed */
            viz_round_rect(g->cr, row.x - 10, row.y - 4, row.w + 20, row.h + 4, 8);
            viz_set(g, g->th->recovery, 1);
            cairo_set_line_width(g->cr, 3 * g->th->stroke);
            cairo_stroke(g->cr);
        }
    }
    draw_messages(g, row_y, lane_x, c.y - 40);
}
