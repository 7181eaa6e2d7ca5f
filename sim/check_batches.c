/* sim/check_batches.c — which batch of a query wrote a row (see
 * check_batches.h). */
#define _XOPEN_SOURCE 700
#include "check_batches.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUERIES_MAX 64 /* as the checker's sinks.jsonl reader */

/* One row as a query wrote it: its batch, the row and, keyed, its key. */
typedef struct wrow {
    int64_t batch, write; /* its batch id; which of the query's writes (0-based) */
    char *text; /* compact JSON, sorted keys: as the checker reads sinks.jsonl */
    char *key;  /* the key of a keyed query's row, else NULL */
} wrow;

typedef struct qwrites {
    char *name;  /* NULL: no name, or one another query has too: its writes are not told apart */
    json_t *keys;/* key columns, or NULL: rows compared whole */
    wrow *rows;  /* in the order written */
    size_t n, cap;
    int64_t *wbatch; /* the batch id of each write, in order (empty ones too) */
    size_t nw;
} qwrites;

struct sim_query_writes {
    qwrites q[QUERIES_MAX];
    int nq;
};

void sim_check_row_key(json_t *keys, json_t *row, char *buf, size_t n) {
    json_t *k = json_object();
    size_t i;
    json_t *name;
    json_array_foreach(keys, i, name) {
        json_t *v = json_object_get(row, json_string_value(name));
        json_object_set(k, json_string_value(name), v ? v : json_null());
    }
    char *s = json_dumps(k, JSON_COMPACT | JSON_SORT_KEYS);
    snprintf(buf, n, "%s", s ? s : "");
    free(s);
    json_decref(k);
}

void sim_query_writes_free(sim_query_writes *w) {
    if (!w) return;
    for (int i = 0; i < w->nq; i++) {
        for (size_t j = 0; j < w->q[i].n; j++) free(w->q[i].rows[j].text), free(w->q[i].rows[j].key);
        free(w->q[i].rows);
        free(w->q[i].wbatch);
        free(w->q[i].name);
        json_decref(w->q[i].keys);
    }
    free(w);
}

/* Names and key columns from dir/sinks.jsonl; a name two queries share is dropped. */
static int load_queries(const char *dir, sim_query_writes *w) {
    char path[4300];
    snprintf(path, sizeof path, "%s/sinks.jsonl", dir);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_t *o = json_loads(line, 0, NULL);
        json_t *keys = json_object_get(o, "keys");
        int q = o ? (int)json_integer_value(json_object_get(o, "query")) : -1;
        const char *name = json_string_value(json_object_get(o, "name"));
        if (q >= 0 && q < QUERIES_MAX) {
            if (q + 1 > w->nq) w->nq = q + 1;
            w->q[q].name = name ? strdup(name) : NULL;
            if (json_is_array(keys) && json_array_size(keys) > 0) w->q[q].keys = json_incref(keys);
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    for (int a = 0; a < w->nq; a++)
        for (int b = a + 1; b < w->nq; b++)
            if (w->q[a].name && w->q[b].name && !strcmp(w->q[a].name, w->q[b].name)) {
                free(w->q[a].name), free(w->q[b].name);
                w->q[a].name = w->q[b].name = NULL;
            }
    return 0;
}

static int query_named(const sim_query_writes *w, const char *name) {
    for (int q = 0; name && q < w->nq; q++)
        if (w->q[q].name && !strcmp(w->q[q].name, name)) return q;
    return -1;
}

static int add_row(qwrites *qw, int64_t batch, int64_t write, json_t *row) {
    if (qw->n == qw->cap) {
        size_t cap = qw->cap ? 2 * qw->cap : 64;
        wrow *p = realloc(qw->rows, cap * sizeof *p);
        if (!p) return -1;
        qw->rows = p, qw->cap = cap;
    }
    wrow *r = &qw->rows[qw->n];
    r->batch = batch;
    r->write = write;
    r->text = json_dumps(row, JSON_COMPACT | JSON_SORT_KEYS);
    r->key = NULL;
    if (qw->keys) {
        char key[1024];
        sim_check_row_key(qw->keys, row, key, sizeof key);
        r->key = strdup(key);
    }
    if (!r->text || (qw->keys && !r->key)) return free(r->text), free(r->key), -1;
    qw->n++;
    return 0;
}

sim_query_writes *sim_query_writes_load(const char *dir) {
    sim_query_writes *w = calloc(1, sizeof *w);
    if (!w || load_queries(dir, w)) return sim_query_writes_free(w), NULL;
    char path[4300];
    snprintf(path, sizeof path, "%s/results.jsonl", dir);
    FILE *f = fopen(path, "r");
    if (!f) return sim_query_writes_free(w), NULL;
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    while (!rc && getline(&line, &cap, f) > 0) {
        if (!strstr(line, "\"query\"")) continue; /* a DStream output's line */
        json_t *o = json_loads(line, 0, NULL);
        json_t *rows = json_object_get(o, "rows"), *v;
        int q = query_named(w, json_string_value(json_object_get(o, "query")));
        int64_t batch = (int64_t)json_integer_value(json_object_get(o, "batch_id"));
        size_t i;
        if (q >= 0 && json_is_array(rows)) {
            qwrites *qw = &w->q[q];
            int64_t *wb = realloc(qw->wbatch, (qw->nw + 1) * sizeof *wb);
            if (!wb) rc = -1;
            else qw->wbatch = wb, wb[qw->nw++] = batch;
            json_array_foreach(rows, i, v) rc |= add_row(qw, batch, (int64_t)qw->nw - 1, v);
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    if (rc) return sim_query_writes_free(w), NULL;
    return w;
}

/* The rows of query q that run w wrote (none when w or q is unknown). */
static const qwrites *writes_of(const sim_query_writes *w, int q) {
    return w && q >= 0 && q < w->nq && w->q[q].name ? &w->q[q] : NULL;
}

/* How many times w wrote text in batch b. */
static size_t copies_in(const qwrites *w, const char *text, int64_t b) {
    size_t have = 0;
    for (size_t j = 0; w && j < w->n; j++) have += w->rows[j].batch == b && !strcmp(w->rows[j].text, text);
    return have;
}

/* The last of w's writes of batch id b, preferring one that holds text
 * (NULL: any), or -1. */
static int64_t last_write_of(const qwrites *w, int64_t b, const char *text) {
    for (size_t j = w && text ? w->n : 0; j-- > 0;)
        if (w->rows[j].batch == b && !strcmp(w->rows[j].text, text)) return w->rows[j].write;
    for (size_t k = w ? w->nw : 0; k-- > 0;)
        if (w->wbatch[k] == b) return (int64_t)k;
    return -1;
}

/* A lost copy: the reference's copies of text, earliest first, those whose
 * batch id the run with faults never wrote the text in before the others;
 * each placed on the write of its batch id in the run with faults (the one
 * that wrote the text, if any: the sink lost it after). */
static int place_lost(sim_findings *f, int q, const qwrites *ref, const qwrites *got, const char *text, int64_t n) {
    size_t nc = 0, *copy = malloc(((ref ? ref->n : 0) + 1) * sizeof *copy);
    if (!copy) return -1;
    for (size_t j = 0; ref && j < ref->n; j++)
        if (!strcmp(ref->rows[j].text, text)) copy[nc++] = j;
    int rc = 0;
    int64_t c = 0;
    for (int pass = 0; pass < 2 && !rc; pass++)
        for (size_t x = 0; x < nc && c < n && !rc; x++) {
            int64_t b = ref->rows[copy[x]].batch;
            size_t before = 0;
            for (size_t y = 0; y < x; y++) before += ref->rows[copy[y]].batch == b;
            int paired = before < copies_in(got, text, b);
            if (paired != pass) continue;
            rc = sim_findings_add(f, 1, q, b, last_write_of(got, b, text), SIM_FINDING_LOST, 1, text), c++;
        }
    if (!rc && c < n) rc = sim_findings_add(f, 1, q, -1, -1, SIM_FINDING_LOST, n - c, text); /* no write accounts for them */
    free(copy);
    return rc;
}

/* An extra copy: the run with faults' copies of text, latest first: a copy
 * its batch id already wrote (the batch run again), then one whose batch id
 * the reference never wrote the text in, then the others. */
static int place_extra(sim_findings *f, int q, const qwrites *ref, const qwrites *got, int kind, const char *text, int64_t n) {
    size_t nc = 0, *copy = malloc(((got ? got->n : 0) + 1) * sizeof *copy);
    unsigned char *cls = calloc((got ? got->n : 0) + 1, 1);
    if (!copy || !cls) return free(copy), free(cls), -1;
    for (size_t j = got ? got->n : 0; j-- > 0;)
        if (!strcmp(got->rows[j].text, text)) copy[nc++] = j;
    for (size_t x = 0; x < nc; x++) {
        const wrow *r = &got->rows[copy[x]];
        int again = 0; /* an earlier write of the same batch id wrote the text too */
        size_t before = 0; /* copies of the text in this batch id before this one */
        for (size_t y = 0; y < nc; y++) {
            const wrow *o = &got->rows[copy[y]];
            if (o->batch != r->batch) continue;
            again |= o->write < r->write;
            before += copy[y] < copy[x];
        }
        cls[x] = again ? 0 : before >= copies_in(ref, text, r->batch) ? 1 : 2;
    }
    int rc = 0;
    int64_t c = 0;
    for (unsigned char pass = 0; pass < 3 && !rc; pass++)
        for (size_t x = 0; x < nc && c < n && !rc; x++)
            if (cls[x] == pass)
                rc = sim_findings_add(f, 1, q, got->rows[copy[x]].batch, got->rows[copy[x]].write, kind, 1, text), c++;
    if (!rc && c < n) rc = sim_findings_add(f, 1, q, -1, -1, kind, n - c, text);
    free(copy);
    free(cls);
    return rc;
}

int sim_check_batches_whole(sim_findings *f, int q, const sim_query_writes *ref, const sim_query_writes *got, int kind,
                            const char *text, int64_t n) {
    if (kind == SIM_FINDING_LOST) return place_lost(f, q, writes_of(ref, q), writes_of(got, q), text, n);
    return place_extra(f, q, writes_of(ref, q), writes_of(got, q), kind, text, n);
}

/* The last row of key written by w, or NULL. */
static const wrow *last_row_of(const qwrites *w, const char *key) {
    for (size_t j = w ? w->n : 0; j-- > 0;)
        if (w->rows[j].key && !strcmp(w->rows[j].key, key)) return &w->rows[j];
    return NULL;
}

int sim_check_batches_keyed(sim_findings *f, int q, const sim_query_writes *ref, const sim_query_writes *got, int kind,
                            const char *key, const char *example) {
    const qwrites *wr = writes_of(ref, q), *wg = writes_of(got, q);
    const wrow *r = kind == SIM_FINDING_LOST ? NULL : last_row_of(wg, key);
    if (r) return sim_findings_add(f, 1, q, r->batch, r->write, kind, 1, example);
    /* a key the run with faults lacks or holds less of: where the reference
     * last wrote it, which the run with faults should have written too */
    r = last_row_of(wr, key);
    int64_t b = r ? r->batch : -1;
    return sim_findings_add(f, 1, q, b, r ? last_write_of(wg, b, NULL) : -1, kind, 1, example);
}
