/* sim/findings.c — the checker's findings per output and batch, and
 * findings.jsonl, the file that carries them from `streamlab check` to the
 * visualiser (see findings.h; the format in README.md). */
#define _XOPEN_SOURCE 700
#include "findings.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

static const char *const kind_names[SIM_FINDING_KINDS_] = {"lost", "duplicated", "unexpected"};

const char *sim_finding_kind_name(int kind) {
    return kind >= 0 && kind < SIM_FINDING_KINDS_ ? kind_names[kind] : "?";
}

void sim_findings_init(sim_findings *f) { memset(f, 0, sizeof *f); }

void sim_findings_fini(sim_findings *f) {
    for (size_t i = 0; i < f->nbatches; i++)
        for (int k = 0; k < SIM_FINDING_KINDS_; k++)
            for (int e = 0; e < f->batches[i].nexample[k]; e++) free(f->batches[i].example[k][e]);
    free(f->batches);
    free(f->outputs);
    memset(f, 0, sizeof *f);
}

int sim_findings_add_output(sim_findings *f, const sim_finding_output *o) {
    if (f->noutputs == f->cap_outputs) {
        size_t cap = f->cap_outputs ? 2 * f->cap_outputs : 8;
        sim_finding_output *p = realloc(f->outputs, cap * sizeof *p);
        if (!p) return -1;
        f->outputs = p, f->cap_outputs = cap;
    }
    f->outputs[f->noutputs++] = *o;
    return 0;
}

/* The entry of a batch and write, searched from the newest: check.c adds a
 * batch's records together or batch after batch, so it is near the end. */
static sim_finding *entry(sim_findings *f, int query, int index, int64_t batch, int64_t write) {
    for (size_t i = f->nbatches; i-- > 0;) {
        sim_finding *b = &f->batches[i];
        if (b->query == query && b->index == index && b->batch == batch && b->write == write) return b;
    }
    if (f->nbatches == f->cap_batches) {
        size_t cap = f->cap_batches ? 2 * f->cap_batches : 16;
        sim_finding *p = realloc(f->batches, cap * sizeof *p);
        if (!p) return NULL;
        f->batches = p, f->cap_batches = cap;
    }
    sim_finding *b = &f->batches[f->nbatches++];
    memset(b, 0, sizeof *b);
    b->query = query, b->index = index, b->batch = batch, b->write = write;
    return b;
}

/* Examples are distinct records: "%" lost ten times is one example. */
static int add_example(sim_finding *b, int kind, const char *example) {
    if (!example || b->nexample[kind] >= SIM_FINDING_EXAMPLES) return 0;
    for (int e = 0; e < b->nexample[kind]; e++)
        if (!strcmp(b->example[kind][e], example)) return 0;
    char *copy = strdup(example);
    if (!copy) return -1;
    b->example[kind][b->nexample[kind]++] = copy;
    return 0;
}

int sim_findings_add(sim_findings *f, int query, int index, int64_t batch, int64_t write, int kind, int64_t count,
                     const char *example) {
    assert(kind >= 0 && kind < SIM_FINDING_KINDS_ && count > 0);
    sim_finding *b = entry(f, query, index, batch, write);
    if (!b || (b->count[kind] += count, add_example(b, kind, example))) {
        f->failed = 1;
        return -1;
    }
    return 0;
}

static int by_batch(const void *x, const void *y) {
    const sim_finding *a = x, *b = y;
    if (a->query != b->query) return a->query - b->query;
    if (a->index != b->index) return a->index < b->index ? -1 : 1;
    uint64_t p = (uint64_t)a->write, q = (uint64_t)b->write; /* -1 (none) sorts last */
    if (p != q) return (p > q) - (p < q);
    p = (uint64_t)a->batch, q = (uint64_t)b->batch;
    return (p > q) - (p < q);
}

void sim_findings_sort(sim_findings *f) {
    if (f->nbatches) qsort(f->batches, f->nbatches, sizeof *f->batches, by_batch);
}

const sim_finding *sim_findings_find(const sim_findings *f, int query, int index, int64_t batch, int64_t write) {
    for (size_t i = 0; i < f->nbatches; i++) {
        const sim_finding *b = &f->batches[i];
        if (b->query == query && b->index == index && b->batch == batch && b->write == write) return b;
    }
    return NULL;
}

int sim_findings_file_hash(const char *path, char out[17]) {
    FILE *in = fopen(path, "rb");
    XXH3_state_t *h = in ? XXH3_createState() : NULL;
    if (!h) {
        if (in) fclose(in);
        return -1;
    }
    XXH3_64bits_reset(h);
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) XXH3_64bits_update(h, buf, n);
    int rc = ferror(in) ? -1 : 0;
    snprintf(out, 17, "%016" PRIx64, (uint64_t)XXH3_64bits_digest(h));
    XXH3_freeState(h);
    fclose(in);
    return rc;
}

/* ---- writing ----------------------------------------------------------------------------- */

/* "output": i for a DStream output; "query": name (or null), "index": i for a query. */
static void set_output(json_t *o, int query, int index, const char *name) {
    if (!query) {
        json_object_set_new(o, "output", json_integer(index));
        return;
    }
    json_object_set_new(o, "query", name && name[0] ? json_string(name) : json_null());
    json_object_set_new(o, "index", json_integer(index));
}

static void set_counts(json_t *o, const int64_t count[SIM_FINDING_KINDS_]) {
    for (int k = 0; k < SIM_FINDING_KINDS_; k++) json_object_set_new(o, kind_names[k], json_integer(count[k]));
}

static const char *name_of(const sim_findings *f, int query, int index) {
    for (size_t i = 0; i < f->noutputs; i++)
        if (f->outputs[i].query == query && f->outputs[i].index == index) return f->outputs[i].name;
    return "";
}

static int put_line(FILE *out, json_t *o) {
    int rc = json_dumpf(o, out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII) || fputc('\n', out) == EOF;
    json_decref(o);
    return rc ? -1 : 0;
}

static json_t *batch_line(const sim_findings *f, const sim_finding *b) {
    json_t *o = json_object();
    set_output(o, b->query, b->index, name_of(f, b->query, b->index));
    if (!b->query)
        json_object_set_new(o, "time_ms", json_integer(b->batch));
    else
        json_object_set_new(o, "batch_id", b->batch >= 0 ? json_integer(b->batch) : json_null());
    json_object_set_new(o, "write", b->write >= 0 ? json_integer(b->write) : json_null());
    set_counts(o, b->count);
    json_t *ex = json_object();
    for (int k = 0; k < SIM_FINDING_KINDS_; k++) {
        if (!b->nexample[k]) continue;
        json_t *list = json_array();
        for (int e = 0; e < b->nexample[k]; e++) {
            json_t *v = json_loads(b->example[k][e], JSON_DECODE_ANY, NULL);
            json_array_append_new(list, v ? v : json_string(b->example[k][e]));
        }
        json_object_set_new(ex, kind_names[k], list);
    }
    json_object_set_new(o, "examples", ex);
    return o;
}

/* Header, then each output's verdict line followed by its batches in order. */
int sim_findings_write(sim_findings *f, const char *path, char *err, size_t errlen) {
    if (f->failed) {
        snprintf(err, errlen, "%s not written: out of memory while comparing the runs", path);
        return -1;
    }
    sim_findings_sort(f);
    FILE *out = fopen(path, "w");
    if (!out) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    json_t *h = json_object();
    json_object_set_new(h, "findings", json_integer(SIM_FINDINGS_VERSION));
    json_object_set_new(h, "scenario", json_string(f->scenario));
    json_object_set_new(h, "trace_xxh3", f->trace_hash[0] ? json_string(f->trace_hash) : json_null());
    int rc = put_line(out, h);
    for (size_t i = 0; i < f->noutputs && !rc; i++) {
        const sim_finding_output *o = &f->outputs[i];
        json_t *l = json_object();
        set_output(l, o->query, o->index, o->name);
        json_object_set_new(l, "verdict", json_string(o->verdict));
        json_object_set_new(l, "compared", json_integer(o->compared));
        if (!o->query) json_object_set_new(l, "upto_ms", json_integer(o->upto_ms));
        set_counts(l, o->count);
        if (!o->query) json_object_set_new(l, "moved", json_integer(o->moved));
        rc |= put_line(out, l);
        for (size_t j = 0; j < f->nbatches && !rc; j++)
            if (f->batches[j].query == o->query && f->batches[j].index == o->index) rc |= put_line(out, batch_line(f, &f->batches[j]));
    }
    if (fclose(out) || rc) {
        snprintf(err, errlen, "cannot write %s: write error", path);
        return -1;
    }
    return 0;
}

/* ---- reading ----------------------------------------------------------------------------- */

static int fail(char *err, size_t errlen, const char *path, long line, const char *fmt, ...) {
    int n = snprintf(err, errlen, "%s:%ld: ", path, line);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < errlen) vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

/* A count: a non-negative integer under key k of o. */
static int get_count(json_t *o, const char *k, int64_t *out) {
    json_t *v = json_object_get(o, k);
    if (!json_is_integer(v) || json_integer_value(v) < 0) return -1;
    *out = (int64_t)json_integer_value(v);
    return 0;
}

/* Which output a line is about: 0 for a DStream output, 1 for a query, -1 neither. */
static int output_of(json_t *o, int *index, const char **name) {
    json_t *out = json_object_get(o, "output"), *q = json_object_get(o, "query"), *ix = json_object_get(o, "index");
    *name = NULL;
    if (json_is_integer(out) && !q && json_integer_value(out) >= 0 && json_integer_value(out) < INT32_MAX) {
        *index = (int)json_integer_value(out);
        return 0;
    }
    if (!out && (json_is_string(q) || json_is_null(q)) && json_is_integer(ix) && json_integer_value(ix) >= 0 &&
        json_integer_value(ix) < INT32_MAX) {
        *index = (int)json_integer_value(ix);
        *name = json_string_value(q);
        return 1;
    }
    return -1;
}

static int read_header(json_t *o, sim_findings *f, const char *path, char *err, size_t errlen) {
    json_t *ver = json_object_get(o, "findings"), *sc = json_object_get(o, "scenario"), *dg = json_object_get(o, "trace_xxh3");
    if (!json_is_integer(ver)) return fail(err, errlen, path, 1, "not a findings file (the first line is {\"findings\":%d,...})", SIM_FINDINGS_VERSION);
    if (json_integer_value(ver) != SIM_FINDINGS_VERSION)
        return fail(err, errlen, path, 1, "findings version %" PRId64 ", this build reads version %d", (int64_t)json_integer_value(ver),
                    SIM_FINDINGS_VERSION);
    if (json_is_string(sc)) snprintf(f->scenario, sizeof f->scenario, "%s", json_string_value(sc));
    if (json_is_string(dg)) {
        const char *d = json_string_value(dg);
        if (strlen(d) != 16 || strspn(d, "0123456789abcdef") != 16)
            return fail(err, errlen, path, 1, "trace_xxh3 is 16 hex digits, got \"%.40s\"", d);
        memcpy(f->trace_hash, d, 17);
    } else if (dg && !json_is_null(dg)) {
        return fail(err, errlen, path, 1, "trace_xxh3 is a string of 16 hex digits or null");
    }
    return 0;
}

static int read_output(json_t *o, int query, int index, const char *name, sim_findings *f, const char *path, long line,
                       char *err, size_t errlen) {
    sim_finding_output out = {.query = query, .index = index, .upto_ms = -1};
    const char *v = json_string_value(json_object_get(o, "verdict"));
    static const char *const verdicts[] = {"exactly-once", "at-least-once", "at-most-once", "broken"};
    int known = 0;
    for (int i = 0; i < 4 && v; i++) known |= !strcmp(v, verdicts[i]);
    if (!known) return fail(err, errlen, path, line, "verdict is exactly-once, at-least-once, at-most-once or broken");
    snprintf(out.verdict, sizeof out.verdict, "%s", v);
    snprintf(out.name, sizeof out.name, "%s", name ? name : "");
    if (get_count(o, "compared", &out.compared)) return fail(err, errlen, path, line, "\"compared\" is a count (an integer, 0 or more)");
    for (int k = 0; k < SIM_FINDING_KINDS_; k++)
        if (get_count(o, kind_names[k], &out.count[k]))
            return fail(err, errlen, path, line, "\"%s\" is a count (an integer, 0 or more)", kind_names[k]);
    if (!query && (get_count(o, "upto_ms", &out.upto_ms) || get_count(o, "moved", &out.moved)))
        return fail(err, errlen, path, line, "a DStream output's verdict has \"upto_ms\" and \"moved\" (integers, 0 or more)");
    if (f->noutputs >= SIM_FINDINGS_MAX) return fail(err, errlen, path, line, "more than %d outputs", SIM_FINDINGS_MAX);
    for (size_t i = 0; i < f->noutputs; i++)
        if (f->outputs[i].query == query && f->outputs[i].index == index)
            return fail(err, errlen, path, line, "a second verdict for %s %d", query ? "query" : "output", index);
    return sim_findings_add_output(f, &out) ? fail(err, errlen, path, line, "out of memory") : 0;
}

static int read_batch(json_t *o, int query, int index, sim_findings *f, const char *path, long line, char *err, size_t errlen) {
    int declared = 0;
    for (size_t i = 0; i < f->noutputs; i++) declared |= f->outputs[i].query == query && f->outputs[i].index == index;
    if (!declared) return fail(err, errlen, path, line, "a batch of %s %d before its verdict line", query ? "query" : "output", index);
    int64_t batch = -1;
    json_t *bv = json_object_get(o, query ? "batch_id" : "time_ms");
    if (!(query && json_is_null(bv)) && get_count(o, query ? "batch_id" : "time_ms", &batch))
        return fail(err, errlen, path, line, query ? "\"batch_id\" is an integer, 0 or more, or null" : "\"time_ms\" is an integer, 0 or more");
    int64_t write = -1;
    if (!json_is_null(json_object_get(o, "write")) && get_count(o, "write", &write))
        return fail(err, errlen, path, line, "\"write\" is an integer, 0 or more, or null");
    if (f->nbatches >= SIM_FINDINGS_MAX) return fail(err, errlen, path, line, "more than %d batches", SIM_FINDINGS_MAX);
    if (sim_findings_find(f, query, index, batch, write)) return fail(err, errlen, path, line, "the same batch and write twice");
    int64_t count[SIM_FINDING_KINDS_];
    for (int k = 0; k < SIM_FINDING_KINDS_; k++)
        if (get_count(o, kind_names[k], &count[k]))
            return fail(err, errlen, path, line, "\"%s\" is a count (an integer, 0 or more)", kind_names[k]);
    json_t *ex = json_object_get(o, "examples");
    if (ex && !json_is_object(ex)) return fail(err, errlen, path, line, "\"examples\" is an object of lists");
    sim_finding *b = entry(f, query, index, batch, write);
    if (!b) return fail(err, errlen, path, line, "out of memory");
    memcpy(b->count, count, sizeof count);
    for (int k = 0; k < SIM_FINDING_KINDS_; k++) {
        json_t *list = json_object_get(ex, kind_names[k]), *v;
        size_t i;
        if (list && !json_is_array(list)) return fail(err, errlen, path, line, "examples.%s is a list", kind_names[k]);
        json_array_foreach(list, i, v) {
            char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            int rc = text ? add_example(b, k, text) : -1;
            free(text);
            if (rc) return fail(err, errlen, path, line, "out of memory");
        }
    }
    return 0;
}

/* Each output's batches must add up to its totals: a file cut short or
 * edited by hand says so rather than showing less than the checker found. */
static int check_sums(const sim_findings *f, const long *lines, const char *path, char *err, size_t errlen) {
    for (size_t i = 0; i < f->noutputs; i++) {
        const sim_finding_output *o = &f->outputs[i];
        int64_t sum[SIM_FINDING_KINDS_] = {0};
        for (size_t j = 0; j < f->nbatches; j++)
            if (f->batches[j].query == o->query && f->batches[j].index == o->index)
                for (int k = 0; k < SIM_FINDING_KINDS_; k++) sum[k] += f->batches[j].count[k];
        for (int k = 0; k < SIM_FINDING_KINDS_; k++)
            if (sum[k] != o->count[k])
                return fail(err, errlen, path, lines[i], "%s %d has %" PRId64 " %s, its batches add up to %" PRId64,
                            o->query ? "query" : "output", o->index, o->count[k], kind_names[k], sum[k]);
    }
    return 0;
}

int sim_findings_read(const char *path, sim_findings *f, char *err, size_t errlen) {
    FILE *in = fopen(path, "r");
    if (!in && errno == ENOENT) return 1;
    if (!in) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    char *buf = NULL;
    size_t cap = 0;
    long line = 0, *lines = NULL; /* the line of each verdict, for check_sums */
    int rc = 0;
    while (!rc && getline(&buf, &cap, in) > 0) {
        line++;
        json_error_t je;
        json_t *o = json_loads(buf, 0, &je);
        int index;
        const char *name;
        if (!json_is_object(o))
            rc = fail(err, errlen, path, line, "not a JSON object");
        else if (line == 1)
            rc = read_header(o, f, path, err, errlen);
        else {
            int query = output_of(o, &index, &name);
            if (query < 0)
                rc = fail(err, errlen, path, line, "neither a DStream output's line ({\"output\":i,...}) nor a query's ({\"query\":name,\"index\":i,...})");
            else if (json_object_get(o, "verdict")) {
                long *l = realloc(lines, (f->noutputs + 1) * sizeof *l);
                if (l) l[f->noutputs] = line, lines = l;
                rc = l ? read_output(o, query, index, name, f, path, line, err, errlen) : fail(err, errlen, path, line, "out of memory");
            } else
                rc = read_batch(o, query, index, f, path, line, err, errlen);
        }
        json_decref(o);
    }
    if (!rc && line == 0) rc = fail(err, errlen, path, 1, "empty: not a findings file");
    if (!rc) rc = check_sums(f, lines, path, err, errlen);
    free(lines);
    free(buf);
    fclose(in);
    if (rc) sim_findings_fini(f);
    return rc ? -1 : 0;
}
