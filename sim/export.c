/* sim/export.c — see export.h. */
#include "export.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Bounds: ids beyond these are not given a batch (the slice still shows). */
#define EXPORT_ID_MAX (1 << 24)
#define EXPORT_CORES_MAX 64

typedef struct open_task {
    int64_t stage, partition, attempt, start_us;
    uint32_t node;
    int core;
} open_task;

typedef struct open_batch {
    int64_t batch_time_us, start_us;
} open_batch;

typedef struct exporter {
    const sim_trace *t;
    json_t *events;
    int64_t *stage_job, *job_batch; /* -1 = unknown */
    size_t nstage, njob;
    open_task *tasks;
    size_t ntasks, cap_tasks;
    open_batch *batches;
    size_t nbatches, cap_batches;
    int oom;
} exporter;

static int set_id(int64_t **a, size_t *n, int64_t id, int64_t v) {
    if (id < 0 || id >= EXPORT_ID_MAX) return 0;
    if ((size_t)id >= *n) {
        size_t m = *n ? *n : 64;
        while (m <= (size_t)id) m *= 2;
        int64_t *p = realloc(*a, m * sizeof *p);
        if (!p) return -1;
        for (size_t i = *n; i < m; i++) p[i] = -1;
        *a = p;
        *n = m;
    }
    (*a)[id] = v;
    return 0;
}

static int64_t get_id(const int64_t *a, size_t n, int64_t id) { return id >= 0 && (size_t)id < n ? a[id] : -1; }

static void push(exporter *x, json_t *ev) {
    if (!ev || json_array_append_new(x->events, ev)) x->oom = 1;
}

static json_t *slice(const char *name, const char *cat, int64_t pid, int64_t tid, int64_t ts, int64_t dur) {
    return json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "name", name, "cat", cat, "ph", "X", "pid", (json_int_t)pid,
                     "tid", (json_int_t)tid, "ts", (json_int_t)ts, "dur", (json_int_t)(dur > 0 ? dur : 0));
}

static void meta(exporter *x, const char *what, int64_t pid, int64_t tid, const char *name) {
    push(x, json_pack("{s:s, s:s, s:I, s:I, s:{s:s}}", "name", what, "ph", "M", "pid", (json_int_t)pid, "tid",
                      (json_int_t)tid, "args", "name", name));
}

static void task_open(exporter *x, const sim_trace_rec *r, uint32_t node) {
    int core = 0;
    for (;; core++) { /* lowest free core; bounded by the open tasks on this node */
        int taken = 0;
        for (size_t i = 0; i < x->ntasks && !taken; i++) taken = x->tasks[i].node == node && x->tasks[i].core == core;
        if (!taken || core >= EXPORT_CORES_MAX) break;
    }
    if (x->ntasks == x->cap_tasks) {
        size_t m = x->cap_tasks ? 2 * x->cap_tasks : 64;
        open_task *p = realloc(x->tasks, m * sizeof *p);
        if (!p) {
            x->oom = 1;
            return;
        }
        x->tasks = p;
        x->cap_tasks = m;
    }
    x->tasks[x->ntasks++] = (open_task){r->arg[0], r->arg[1], r->arg[2], r->t_us, node, core};
}

static void task_close(exporter *x, size_t i, int64_t end_us, const char *status) {
    open_task *o = &x->tasks[i];
    int64_t job = get_id(x->stage_job, x->nstage, o->stage);
    int64_t batch = get_id(x->job_batch, x->njob, job);
    char name[96];
    snprintf(name, sizeof name, "task %" PRId64 ".%" PRId64 " (stage %" PRId64 ", attempt %" PRId64 ")", o->stage,
             o->partition, o->stage, o->attempt);
    json_t *s = slice(name, "task", o->node, 1 + o->core, o->start_us, end_us - o->start_us);
    if (s)
        json_object_set_new(s, "args", json_pack("{s:I, s:I, s:I, s:I, s:s}", "stage", (json_int_t)o->stage, "partition",
                                                 (json_int_t)o->partition, "attempt", (json_int_t)o->attempt,
                                                 "batch_time_ms", (json_int_t)(batch >= 0 ? batch / 1000 : -1), "status",
                                                 status));
    push(x, s);
    x->tasks[i] = x->tasks[--x->ntasks];
}

/* Finds the open task (stage, partition, attempt); returns its index or -1. */
static long task_find(const exporter *x, const sim_trace_rec *r) {
    for (size_t i = 0; i < x->ntasks; i++)
        if (x->tasks[i].stage == r->arg[0] && x->tasks[i].partition == r->arg[1] && x->tasks[i].attempt == r->arg[2])
            return (long)i;
    return -1;
}

static void batch_close(exporter *x, size_t i, int64_t end_us, const char *status) {
    char name[64];
    snprintf(name, sizeof name, "batch %" PRId64 " ms", x->batches[i].batch_time_us / 1000);
    json_t *s = slice(name, "batch", 1, 0, x->batches[i].start_us, end_us - x->batches[i].start_us);
    if (s) json_object_set_new(s, "args", json_pack("{s:I, s:s}", "batch_time_ms", (json_int_t)(x->batches[i].batch_time_us / 1000), "status", status));
    push(x, s);
    x->batches[i] = x->batches[--x->nbatches];
}

static void instant(exporter *x, const sim_trace_rec *r, const char *name) {
    push(x, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I}", "name", name, "cat", "fault", "ph", "i", "s", "g", "pid",
                      (json_int_t)r->node, "tid", (json_int_t)0, "ts", (json_int_t)r->t_us));
}

static void on_event(exporter *x, const sim_trace_rec *r) {
    const char *text = sim_trace_text(x->t, r);
    char name[160];
    switch (r->type) {
    case ENG_EV_NODE_UP:
        if (r->arg[0] == 1) {
            meta(x, "process_name", r->node, 0, text ? text : "node");
            if (r->node == 1) meta(x, "thread_name", 1, 0, "batches");
            for (int64_t c = 0; c < r->arg[1] && c < EXPORT_CORES_MAX; c++) {
                snprintf(name, sizeof name, "core %" PRId64, c);
                meta(x, "thread_name", r->node, 1 + c, name);
            }
        } else {
            snprintf(name, sizeof name, "%s up (incarnation %" PRId64 ")", text ? text : "node", r->arg[0]);
            instant(x, r, name);
        }
        break;
    case ENG_EV_NODE_DOWN:
        for (size_t i = x->ntasks; i-- > 0;)
            if (x->tasks[i].node == r->node) task_close(x, i, r->t_us, "lost with its executor");
        snprintf(name, sizeof name, "%s down", text ? text : "node");
        instant(x, r, name);
        break;
    case ENG_EV_FAULT_INJECTED:
        snprintf(name, sizeof name, "fault: %s", text ? text : "fault");
        instant(x, r, name);
        break;
    case ENG_EV_JOB_START:
        if (set_id(&x->job_batch, &x->njob, r->arg[0], r->arg[1])) x->oom = 1;
        break;
    case ENG_EV_STAGE_SUBMITTED:
        if (set_id(&x->stage_job, &x->nstage, r->arg[0], r->arg[1])) x->oom = 1;
        break;
    case ENG_EV_TASK_START: /* a speculative copy is announced (task_speculative), then starts like any task */
        task_open(x, r, (uint32_t)r->arg[3]);
        break;
    case ENG_EV_TASK_END:
    case ENG_EV_TASK_FAILED: {
        long i = task_find(x, r);
        if (i >= 0) task_close(x, (size_t)i, r->t_us, r->type == ENG_EV_TASK_END ? "success" : (text ? text : "failed"));
        break;
    }
    case ENG_EV_BATCH_GENERATED:
        if (x->nbatches == x->cap_batches) {
            size_t m = x->cap_batches ? 2 * x->cap_batches : 16;
            open_batch *p = realloc(x->batches, m * sizeof *p);
            if (!p) {
                x->oom = 1;
                break;
            }
            x->batches = p;
            x->cap_batches = m;
        }
        x->batches[x->nbatches++] = (open_batch){r->arg[0], r->t_us};
        break;
    case ENG_EV_BATCH_DONE:
        for (size_t i = 0; i < x->nbatches; i++)
            if (x->batches[i].batch_time_us == r->arg[0]) {
                batch_close(x, i, r->t_us, "done");
                break;
            }
        break;
    default:
        break;
    }
}

int sim_export_perfetto(const sim_trace *t, FILE *f) {
    exporter x = {.t = t, .events = json_array()};
    if (!x.events) return -1;
    for (size_t i = 0; i < t->count && !x.oom; i++) on_event(&x, &t->events[i]);
    int64_t end_us = t->count ? t->events[t->count - 1].t_us : 0;
    /* What is still open at the end, in a fixed order (trace order decides it). */
    while (x.ntasks && !x.oom) task_close(&x, 0, end_us, "running at the end of the trace");
    while (x.nbatches && !x.oom) batch_close(&x, 0, end_us, "not done at the end of the trace");
    int rc = -1;
    json_t *doc = x.oom ? NULL : json_pack("{s:o, s:s}", "traceEvents", x.events, "displayTimeUnit", "ms");
    if (doc) {
        rc = json_dumpf(doc, f, JSON_COMPACT) == 0 && fputc('\n', f) != EOF ? 0 : -1;
        json_decref(doc);
    } else {
        json_decref(x.events);
    }
    free(x.stage_job);
    free(x.job_batch);
    free(x.tasks);
    free(x.batches);
    return rc;
}
