/* viz/model_eventtime.c — the event-time panel's index of Structured
 * Streaming windows: which event-time windows the focus query's state store
 * held, from when to when, and what each batch did to them. Built once from
 * the whole trace; what a frame shows is the part of it at or before the
 * frame's last event, so stepping back is exact. */
#include "model.h"

#include "../engine/ss.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void viz_ewin_init(viz_model *m) {
    memset(m->ewin, 0, sizeof m->ewin);
    m->newin = 0;
    for (int q = 0; q < VIZ_EWIN_QUERIES; q++) m->ewin_batch[q] = -1;
}

void viz_ewin_fini(viz_model *m) {
    for (int q = 0; q < m->newin; q++) {
        free(m->ewin[q].v);
        free(m->ewin[q].changes.v);
    }
    free(m->ss_events.v);
    memset(&m->ss_events, 0, sizeof m->ss_events);
    free(m->arrival_max);
    m->arrival_max = NULL;
    m->arrival_max_cap = 0;
    viz_ewin_init(m);
}

/* The query a Structured Streaming event names, or -1. */
static int64_t query_of(const sim_trace *t, const sim_trace_rec *r) {
    switch (r->type) {
    case ENG_EV_OFFSET_LOG:
    case ENG_EV_COMMIT_LOG:
    case ENG_EV_WATERMARK:
    case ENG_EV_LATE_DROPPED: return r->arg[2];
    case ENG_EV_QUERY_PROGRESS:
    case ENG_EV_STATE_LOAD:
    case ENG_EV_WINDOW_UPDATED:
    case ENG_EV_WINDOW_EVICTED: return r->arg[0];
    case ENG_EV_SINK_WRITE: return sim_trace_text(t, r) ? r->arg[0] : -1;
    default: return -1;
    }
}

/* The output mode a window event's text names (eng_ss_mode), or 0. */
static int mode_of(const char *text) {
    for (uint32_t k = ENG_MODE_APPEND; text && k <= ENG_MODE_COMPLETE; k++)
        if (strcmp(text, eng_ss_mode_name(k)) == 0) return (int)k;
    return 0;
}

/* The index of window [start, end), added when new. Windows are few (a
 * query's live windows, over a run): a backwards scan finds recent ones first. */
static long window_slot(viz_ewins *w, const sim_trace_rec *r, uint32_t i) {
    for (size_t k = w->n; k-- > 0;)
        if (w->v[k].start_us == r->arg[1] && w->v[k].end_us == r->arg[2]) return (long)k;
    if (viz_grow((void **)&w->v, &w->cap, w->n + 1, sizeof *w->v)) return -1;
    viz_ewin *e = &w->v[w->n];
    e->start_us = r->arg[1], e->end_us = r->arg[2];
    e->open_us = r->t_us, e->open_ev = i;
    e->close_us = -1, e->close_ev = VIZ_NONE;
    if (w->n) { /* the slide: the smallest gap between window starts */
        int64_t gap = e->start_us - w->v[w->n - 1].start_us;
        if (gap < 0) gap = -gap;
        if (gap > 0 && (w->slide_us == 0 || gap < w->slide_us)) w->slide_us = gap;
    }
    return (long)w->n++;
}

/* The windows of query q, a new entry for its first window; NULL when
 * VIZ_EWIN_MAX queries have windows already. */
static viz_ewins *query_windows(viz_model *m, int64_t q, const sim_trace_rec *r, const char *text) {
    for (int k = 0; k < m->newin; k++)
        if (m->ewin[k].query == q) return &m->ewin[k];
    if (m->newin == VIZ_EWIN_MAX) return NULL;
    viz_ewins *w = &m->ewin[m->newin++];
    w->query = (int32_t)q;
    w->mode = mode_of(text);
    w->length_us = r->arg[2] - r->arg[1];
    return w;
}

int viz_ewin_index(viz_model *m, const sim_trace_rec *r, uint32_t i, const char *text) {
    if (r->type == ENG_EV_RECORD_ARRIVAL && m->arrivals.n) { /* model.c listed it: its prefix maximum */
        size_t n = m->arrivals.n;
        if (viz_grow((void **)&m->arrival_max, &m->arrival_max_cap, n, sizeof *m->arrival_max)) return -1;
        int64_t et = m->arrivals.v[n - 1].a;
        m->arrival_max[n - 1] = n > 1 && m->arrival_max[n - 2] > et ? m->arrival_max[n - 2] : et;
    }
    int64_t q = query_of(m->trace, r);
    if (q >= 0 && viz_list_add(&m->ss_events, r->t_us, q, 0, 0, i, -1)) return -1;
    if (r->type == ENG_EV_OFFSET_LOG && r->arg[2] >= 0 && r->arg[2] < VIZ_EWIN_QUERIES) {
        m->ewin_batch[r->arg[2]] = r->arg[0];
        return 0;
    }
    if (r->type != ENG_EV_WINDOW_UPDATED && r->type != ENG_EV_WINDOW_EVICTED) return 0;
    const int64_t max = INT64_C(1) << 62; /* a damaged trace may say anything: no arithmetic on it overflows */
    if (r->arg[0] < 0 || r->arg[0] > INT32_MAX || r->arg[1] >= r->arg[2] || r->arg[1] < -max || r->arg[2] > max) return 0;
    viz_ewins *w = query_windows(m, r->arg[0], r, text);
    if (!w) return 0;
    long k = window_slot(w, r, i);
    if (k < 0) return -1;
    int evicted = r->type == ENG_EV_WINDOW_EVICTED;
    if (evicted && w->v[k].close_ev == VIZ_NONE) w->v[k].close_us = r->t_us, w->v[k].close_ev = i;
    return viz_list_add(&w->changes, r->t_us, k, r->arg[0] < VIZ_EWIN_QUERIES ? m->ewin_batch[r->arg[0]] : -1, evicted, i, -1);
}

const viz_ewins *viz_ewin_focus(const viz_model *m, size_t f) {
    if (!m->newin) return NULL;
    /* queries with other windows would redraw the panel at every step from
     * one query to the next: it then keeps to the first */
    for (int k = 1; k < m->newin; k++)
        if (m->ewin[k].length_us != m->ewin[0].length_us || m->ewin[k].slide_us != m->ewin[0].slide_us) return &m->ewin[0];
    for (size_t e = viz_list_visible(&m->ss_events, m->frame_end[f]); e-- > 0;)
        for (int k = 0; k < m->newin; k++)
            if (m->ewin[k].query == m->ss_events.v[e].a) return &m->ewin[k];
    return &m->ewin[0];
}

/* The batch id of the query's sink write that raw event ev is, or -1. */
static int64_t emitted_batch(const viz_model *m, const viz_ewins *w, uint32_t ev) {
    const sim_trace_rec *r = &m->trace->events[ev];
    if (r->type != ENG_EV_SINK_WRITE || !sim_trace_text(m->trace, r) || r->arg[0] != w->query) return -1;
    return r->arg[1];
}

/* One pass over the changes seen so far. */
int64_t viz_ewin_flashes(const viz_model *m, const viz_ewins *w, size_t f, unsigned char *flash) {
    uint32_t last = m->frame_end[f];
    int64_t batch = emitted_batch(m, w, m->frames[f]);
    size_t n = viz_list_visible(&w->changes, last);
    for (size_t c = 0; c < n; c++) {
        const viz_mark *x = &w->changes.v[c];
        if (x->ev >= m->frames[f] && flash[x->a] < 1) flash[x->a] = 1;
        if (batch >= 0 && x->b == batch && ((w->mode == 1 && x->c == 1) || (w->mode == 2 && x->c == 0))) flash[x->a] = 2;
    }
    if (batch >= 0 && w->mode == 3)
        for (size_t k = 0; k < w->n; k++)
            if (w->v[k].open_ev <= last && (w->v[k].close_ev == VIZ_NONE || w->v[k].close_ev > last)) flash[k] = 2;
    return batch;
}

const char *viz_query_name(const viz_model *m, int64_t query, char *buf, size_t n) {
    for (size_t k = 0; k < m->sinks.n; k++) {
        const viz_mark *s = &m->sinks.v[k];
        if (s->a != VIZ_SS_OUTPUT + query) continue;
        const char *text = sim_trace_text(m->trace, &m->trace->events[s->ev]);
        if (text && *text) {
            snprintf(buf, n, "%s", text);
            return buf;
        }
    }
    snprintf(buf, n, "%lld", (long long)query);
    return buf;
}
