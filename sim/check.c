/* sim/check.c — `streamlab check`: did the run deliver exactly once?
 *
 * Each scenario runs twice, in separate processes: with its fault plan, and
 * without it (the reference: same data, same seed). For every output
 * operation, the records of the two runs are compared as multisets over the
 * batches both runs completed, Jepsen-style:
 *   lost        in the reference, missing from the faulty run;
 *   duplicated  in both, but more times in the faulty run;
 *   unexpected  in the faulty run only (a wrong value: a count that lost
 *               records reads as one lost and one unexpected record).
 * The verdict per output: exactly-once (none), at-least-once (duplicates
 * only), at-most-once (losses only), broken (anything else). A scenario's
 * expect{ delivery = "..." } is checked; a violation exits 1.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "check_batches.h"
#include "findings.h"
#include "run.h"

/* ---- one run in a child process ---------------------------------------------------- */

static int quiet_children;

void sim_check_quiet_children(int quiet) { quiet_children = quiet; }

pid_t sim_check_spawn(const char *self, const char *scenario, const char *out_dir, int faults, const char *seed,
                      const char *faults_only) {
    const char *argv[14];
    int n = 0;
    argv[n++] = self;
    argv[n++] = "run";
    argv[n++] = scenario;
    argv[n++] = "--quiet";
    argv[n++] = "--out";
    argv[n++] = out_dir;
    if (!faults) argv[n++] = "--no-faults";
    if (faults && faults_only) {
        argv[n++] = "--faults-only";
        argv[n++] = faults_only;
    }
    if (seed) {
        argv[n++] = "--seed";
        argv[n++] = seed;
    }
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout)) _exit(127);
        if (quiet_children && !freopen("/dev/null", "w", stderr)) _exit(127);
        execv(self, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

int sim_check_wait(pid_t pid) {
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) < 0) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---- the records of a run ------------------------------------------------------------- */

typedef struct rec {
    int output;
    long time_ms;
    char *text; /* the record, as compact JSON */
} rec;

typedef struct recs {
    rec *items;
    size_t n, cap;
    long last_time[64]; /* per output: the last batch time it ran */
    int outputs;
    long *writes[64];   /* per output: the batch time of each of its writes, in order (its sink_write events) */
    size_t nwrites[64];
} recs;

static void recs_free(recs *r) {
    for (size_t i = 0; i < r->n; i++) free(r->items[i].text);
    free(r->items);
    for (int o = 0; o < 64; o++) free(r->writes[o]);
}

/* Output o's last write of batch time t (0-based among its writes), or -1. */
static int64_t last_write_of(const recs *r, int o, long t) {
    for (size_t k = r->nwrites[o]; k-- > 0;)
        if (r->writes[o][k] == t) return (int64_t)k;
    return -1;
}

static int load(const char *dir, recs *r, char *err, size_t errlen) {
    char path[4300];
    snprintf(path, sizeof path, "%s/results.jsonl", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    memset(r, 0, sizeof *r);
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    while (getline(&line, &cap, f) > 0) {
        lineno++;
        json_error_t je;
        json_t *o = json_loads(line, 0, &je);
        if (o && json_object_get(o, "query") && json_is_array(json_object_get(o, "rows"))) {
            json_decref(o); /* a Structured Streaming sink's batch: compared through sinks.jsonl */
            continue;
        }
        json_t *records = o ? json_object_get(o, "records") : NULL;
        if (!o || !json_is_array(records)) {
            snprintf(err, errlen, "%s:%ld: not a results line", path, lineno);
            json_decref(o);
            free(line);
            fclose(f);
            return -1;
        }
        int output = (int)json_integer_value(json_object_get(o, "output"));
        long t = (long)json_integer_value(json_object_get(o, "time_ms"));
        const char *name = json_string_value(json_object_get(o, "name"));
        if (name && !strcmp(name, "saveAsTextFiles") && output >= 0 && output < r->outputs && t <= r->last_time[output]) {
            /* a batch saved again (batch times only grow, but for a batch
             * generated again) replaces its folder, as Spark Streaming's jobs
             * run with output spec validation off (JobScheduler: a recovered
             * batch overwrites prefix-TIME): the last write is what is there */
            size_t kept = 0;
            for (size_t k = 0; k < r->n; k++) {
                if (r->items[k].output == output && r->items[k].time_ms == t) free(r->items[k].text);
                else r->items[kept++] = r->items[k];
            }
            r->n = kept;
        }
        if (output >= 0 && output < 64) {
            if (output + 1 > r->outputs) r->outputs = output + 1;
            if (t > r->last_time[output]) r->last_time[output] = t;
            long *w = realloc(r->writes[output], (r->nwrites[output] + 1) * sizeof *w);
            if (w) w[r->nwrites[output]++] = t, r->writes[output] = w;
        }
        size_t i;
        json_t *v;
        json_array_foreach(records, i, v) {
            if (r->n == r->cap) {
                r->cap = r->cap ? r->cap * 2 : 256;
                r->items = realloc(r->items, r->cap * sizeof *r->items);
            }
            r->items[r->n++] = (rec){output, t, json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)};
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    return 0;
}

static int by_text(const void *a, const void *b) {
    const rec *x = a, *y = b;
    if (x->output != y->output) return x->output - y->output;
    return strcmp(x->text, y->text);
}

/* Per output verdict over the batches up to `upto` ms. */
typedef struct verdict {
    long lost, duplicated, unexpected, moved, records;
    char example_lost[640], example_dup[640], example_unexpected[640], example_moved[640];
    long first_time; /* the first batch time where the runs differ, or -1 */
} verdict;

static const char *verdict_name(const verdict *v) {
    if (!v->lost && !v->duplicated && !v->unexpected) return "exactly-once";
    if (!v->lost && !v->unexpected) return "at-least-once";
    if (!v->duplicated && !v->unexpected) return "at-most-once";
    return "broken";
}

/* Sorted copies of the records of output o up to time upto. */
static rec *select_sorted(const recs *r, int o, long upto, size_t *n) {
    rec *out = malloc((r->n ? r->n : 1) * sizeof *out);
    *n = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->items[i].output == o && r->items[i].time_ms <= upto) out[(*n)++] = r->items[i];
    qsort(out, *n, sizeof *out, by_text);
    return out;
}

/* Append x to a list of up to three examples. */
static void note(char *dst, size_t n, const rec *x) {
    int have = 0;
    for (const char *p = dst; (p = strstr(p, " ms)")); p++) have++;
    if (have >= 3) return;
    size_t len = strlen(dst);
    snprintf(dst + len, n - len, "%s%.160s (batch %ld ms)", len ? "\n                     " : "", x->text, x->time_ms);
}

static int by_text_time(const void *a, const void *b) {
    const rec *x = a, *y = b;
    int c = strcmp(x->text, y->text);
    if (c) return c;
    return (x->time_ms > y->time_ms) - (x->time_ms < y->time_ms);
}

static void first_at(verdict *v, long t) {
    if (v->first_time < 0 || t < v->first_time) v->first_time = t;
}

/* The findings of one text of output o: left-over copies ia[moved..] of
 * the reference are lost in their batches; ib[moved..] of the run with faults
 * are duplicated (the reference has the text) or unexpected, in theirs. */
static void find_batches(sim_findings *fs, const recs *got, int o, const rec *a, const size_t *ia, size_t left_a,
                         const rec *b, const size_t *ib, size_t left_b, size_t moved, int ref_has_it) {
    /* on the last write of the batch time in the run with faults: a batch
     * written again (a driver restart) holds what the second write gave */
    for (size_t k = moved; k < left_a; k++) {
        const rec *x = &a[ia[k]];
        sim_findings_add(fs, 0, o, x->time_ms, last_write_of(got, o, x->time_ms), SIM_FINDING_LOST, 1, x->text);
    }
    for (size_t k = moved; k < left_b; k++) {
        const rec *x = &b[ib[k]];
        sim_findings_add(fs, 0, o, x->time_ms, last_write_of(got, o, x->time_ms),
                         ref_has_it ? SIM_FINDING_DUPLICATED : SIM_FINDING_UNEXPECTED, 1, x->text);
    }
}

/* Compare output o of the two runs up to batch time upto. Records are first
 * matched within the same batch time; what is left over on both sides with
 * the same text is a record delivered in another batch than the reference
 * (a receiver restarted late: "moved", not lost). Of the rest, a faulty-run
 * record whose text the reference has is duplicated, otherwise unexpected; a
 * reference record left over is lost. */
static void compare(const recs *ref, const recs *got, int o, long upto, verdict *v, sim_findings *fs) {
    memset(v, 0, sizeof *v);
    v->first_time = -1;
    size_t na, nb;
    rec *a = select_sorted(ref, o, upto, &na), *b = select_sorted(got, o, upto, &nb);
    /* the left-over records of a text, for the findings per batch */
    size_t *ia = fs ? malloc((na + 1) * sizeof *ia) : NULL, *ib = fs ? malloc((nb + 1) * sizeof *ib) : NULL;
    if (fs && (!ia || !ib)) fs->failed = 1, fs = NULL;
    qsort(a, na, sizeof *a, by_text_time);
    qsort(b, nb, sizeof *b, by_text_time);
    v->records = (long)na;
    size_t i = 0, j = 0;
    while (i < na || j < nb) {
        /* the group of one text on each side */
        const char *t = i < na && (j >= nb || strcmp(a[i].text, b[j].text) <= 0) ? a[i].text : b[j].text;
        size_t i0 = i, j0 = j;
        while (i < na && strcmp(a[i].text, t) == 0) i++;
        while (j < nb && strcmp(b[j].text, t) == 0) j++;
        /* match within batch times (both sorted by time) */
        size_t x = i0, y = j0, left_a = 0, left_b = 0;
        rec *la = NULL, *lb = NULL;
        while (x < i || y < j) {
            if (x < i && y < j && a[x].time_ms == b[y].time_ms) {
                x++, y++;
            } else if (y >= j || (x < i && a[x].time_ms < b[y].time_ms)) {
                if (fs) ia[left_a] = x;
                left_a++;
                if (!la) la = &a[x];
                first_at(v, a[x].time_ms);
                x++;
            } else {
                if (fs) ib[left_b] = y;
                left_b++;
                if (!lb) lb = &b[y];
                first_at(v, b[y].time_ms);
                y++;
            }
        }
        size_t moved = left_a < left_b ? left_a : left_b;
        if (fs) /* a moved record pairs the earliest left-over copies of each run; the later ones are the findings */
            find_batches(fs, got, o, a, ia, left_a, b, ib, left_b, moved, i > i0);
        v->moved += (long)moved;
        if (moved) note(v->example_moved, sizeof v->example_moved, lb);
        if (left_a > moved) {
            v->lost += (long)(left_a - moved);
            note(v->example_lost, sizeof v->example_lost, la);
        }
        if (left_b > moved) {
            if (i > i0) {
                v->duplicated += (long)(left_b - moved);
                note(v->example_dup, sizeof v->example_dup, lb);
            } else {
                v->unexpected += (long)(left_b - moved);
                note(v->example_unexpected, sizeof v->example_unexpected, lb);
            }
        }
    }
    free(a);
    free(b);
    free(ia);
    free(ib);
}

/* The fault behind a difference in the batch of time_ms, into out, found by
 * following the run's trace:
 *   - a driver restart that generated that batch again (its recovery_phase
 *     came after the batch's time and names the first batch it generated
 *     again, at or before it): the driver crash before that restart;
 *   - blocks lost (block_lost) before that batch ran or while it did: the
 *     fault injected last before them;
 *   - else the last fault injected at or before the batch's time, or the
 *     first one during it.
 * Empty when the run had no fault. */
static void fault_before(const char *dir, long time_ms, char *out, size_t n) {
    out[0] = 0;
    char path[4300];
    snprintf(path, sizeof path, "%s/trace.jsonl", dir);
    FILE *f = fopen(path, "r");
    if (!f) return;
    char *line = NULL;
    size_t cap = 0;
    long long t_batch = (long long)time_ms * 1000;
    char last_fault[300] = "", before[300] = "", during[300] = "", restart[400] = "", lost_by[300] = "";
    while (getline(&line, &cap, f) > 0) {
        int is_fault = strstr(line, "\"ev\":\"fault_injected\"") != NULL;
        int is_restart = strstr(line, "\"ev\":\"recovery_phase\"") != NULL && strstr(line, "\"phase\":2");
        int is_lost = strstr(line, "\"ev\":\"block_lost\"") != NULL;
        if (!is_fault && !is_restart && !is_lost) continue;
        json_t *e = json_loads(line, 0, NULL);
        long long t = (long long)json_integer_value(json_object_get(e, "t_us"));
        if (is_fault) {
            const char *text = json_string_value(json_object_get(e, "text"));
            long long kind = (long long)json_integer_value(json_object_get(e, "kind"));
            /* restarts and heals end a fault; they are not one */
            if (text && kind != 2 && kind != 6) {
                snprintf(last_fault, sizeof last_fault, "%s at %lld ms", text, t / 1000);
                if (t <= t_batch) snprintf(before, sizeof before, "%s", last_fault);
                else if (!during[0]) snprintf(during, sizeof during, "%s", last_fault);
            }
        } else if (is_restart) {
            long long from = (long long)json_integer_value(json_object_get(e, "batch_time_us"));
            if (!restart[0] && from <= t_batch && t_batch <= t && last_fault[0])
                snprintf(restart, sizeof restart, "%s (the restart at %lld ms generated batch %ld ms again)", last_fault,
                         t / 1000, time_ms);
        } else if (t <= t_batch + 1000000 && last_fault[0] && !lost_by[0]) {
            /* a block lost before the batch ran (or while it did) */
            snprintf(lost_by, sizeof lost_by, "%s", last_fault);
        }
        json_decref(e);
    }
    free(line);
    fclose(f);
    if (restart[0])
        snprintf(out, n, "the fault: %s", restart);
    else if (lost_by[0])
        snprintf(out, n, "the fault: %s (it lost blocks that only its node held)", lost_by);
    else if (before[0])
        snprintf(out, n, "the fault before it: %s", before);
    else if (during[0])
        snprintf(out, n, "the fault during it: %s", during);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

void sim_check_remove_tree(const char *dir) { nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

int sim_check_run_failed(int exit_status) {
    return exit_status == SIM_EXIT_USAGE || exit_status < 0 || exit_status >= 128;
}

/* The delivery the scenario expects (summary.json's expect_delivery), or "":
 * one for every output, or one per output separated by commas. */
static void expected_delivery(const char *dir, char *out, size_t n) {
    char path[4300];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    json_error_t e;
    json_t *s = json_load_file(path, 0, &e);
    const char *d = s ? json_string_value(json_object_get(s, "expect_delivery")) : NULL;
    snprintf(out, n, "%s", d ? d : "");
    json_decref(s);
}

static void xml_escape(FILE *f, const char *s) {
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else if (*s == '"')
            fputs("&quot;", f);
        else
            fputc(*s, f);
    }
}

/* Rows query q's stateful operators dropped behind the watermark over the
 * run in dir (summary.json's progress reports; a batch run twice counts
 * twice), or -1 when it reports none. */
static long dropped_by_watermark(const char *dir, int q) {
    char path[600];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    json_t *s = json_load_file(path, 0, NULL);
    json_t *progress = json_object_get(json_array_get(json_object_get(s, "queries"), (size_t)q), "progress");
    long total = -1;
    size_t i, j;
    json_t *p, *op;
    json_array_foreach(progress, i, p) {
        json_array_foreach(json_object_get(p, "stateOperators"), j, op) {
            json_t *d = json_object_get(op, "numRowsDroppedByWatermark");
            if (json_is_integer(d)) total = (total < 0 ? 0 : total) + (long)json_integer_value(d);
        }
    }
    json_decref(s);
    return total;
}

/* ---- Structured Streaming: what each query's sink holds at the end (sinks.jsonl) ---- */

typedef struct held {
    int n;
    char *keyed[64]; /* the key columns, as a JSON array, or NULL: rows are compared whole */
    char *name[64];
    char *qname[64]; /* the query's own name, or NULL */
    char **rows[64];
    size_t nrows[64];
} held;

static int by_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void held_free(held *h) {
    for (int q = 0; q < h->n; q++) {
        for (size_t i = 0; i < h->nrows[q]; i++) free(h->rows[q][i]);
        free(h->rows[q]);
        free(h->name[q]);
        free(h->qname[q]);
        free(h->keyed[q]);
    }
    memset(h, 0, sizeof *h);
}

/* Reads dir/sinks.jsonl; a run without queries (or that died) holds nothing. */
static void held_load(const char *dir, held *h) {
    memset(h, 0, sizeof *h);
    char path[4300];
    snprintf(path, sizeof path, "%s/sinks.jsonl", dir);
    FILE *f = fopen(path, "r");
    if (!f) return;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_t *o = json_loads(line, 0, NULL);
        json_t *rows = o ? json_object_get(o, "rows") : NULL;
        int q = o ? (int)json_integer_value(json_object_get(o, "query")) : -1;
        if (json_is_array(rows) && q >= 0 && q < 64) {
            if (q + 1 > h->n) h->n = q + 1;
            const char *name = json_string_value(json_object_get(o, "name"));
            char label[96];
            snprintf(label, sizeof label, "query %d%s%s (%s sink, %s)", q, name ? " " : "", name ? name : "",
                     json_string_value(json_object_get(o, "sink")), json_string_value(json_object_get(o, "mode")));
            h->name[q] = strdup(label);
            h->qname[q] = name ? strdup(name) : NULL;
            json_t *keys = json_object_get(o, "keys");
            if (json_is_array(keys) && json_array_size(keys) > 0) h->keyed[q] = json_dumps(keys, JSON_COMPACT);
            h->nrows[q] = json_array_size(rows);
            h->rows[q] = calloc(h->nrows[q] + 1, sizeof *h->rows[q]);
            size_t i;
            json_t *v;
            json_array_foreach(rows, i, v) h->rows[q][i] = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
            qsort(h->rows[q], h->nrows[q], sizeof *h->rows[q], by_str);
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
}

/* Where a query's findings go: f (NULL: nowhere), for query q, with the
 * batches each run wrote its rows in. */
typedef struct attrib {
    sim_findings *f;
    int q;
    const sim_query_writes *ref, *got;
} attrib;

static void attrib_whole(const attrib *at, int kind, const char *text, size_t n) {
    if (at->f) sim_check_batches_whole(at->f, at->q, at->ref, at->got, kind, text, (int64_t)n);
}

static void attrib_keyed(const attrib *at, int kind, const char *key, const char *example) {
    if (at->f) sim_check_batches_keyed(at->f, at->q, at->ref, at->got, kind, key, example);
}

/* Multiset difference of the sorted rows: lost (in ref only), duplicated
 * (more copies than ref has), unexpected (rows ref never had). */
static void compare_held(char **a, size_t na, char **b, size_t nb, verdict *v, const attrib *at) {
    memset(v, 0, sizeof *v);
    v->first_time = -1;
    v->records = (long)na;
    size_t i = 0, j = 0;
    while (i < na || j < nb) {
        int c = i == na ? 1 : j == nb ? -1 : strcmp(a[i], b[j]);
        const char *t = c <= 0 ? a[i] : b[j];
        size_t ca = 0, cb = 0;
        while (i < na && !strcmp(a[i], t)) i++, ca++;
        while (j < nb && !strcmp(b[j], t)) j++, cb++;
        if (ca > cb) {
            v->lost += (long)(ca - cb);
            if (!v->example_lost[0]) snprintf(v->example_lost, sizeof v->example_lost, "%.300s", t);
            attrib_whole(at, SIM_FINDING_LOST, t, ca - cb);
        } else if (cb > ca && ca > 0) {
            v->duplicated += (long)(cb - ca);
            if (!v->example_dup[0]) snprintf(v->example_dup, sizeof v->example_dup, "%.300s", t);
            attrib_whole(at, SIM_FINDING_DUPLICATED, t, cb - ca);
        } else if (cb > ca) {
            v->unexpected += (long)cb;
            if (!v->example_unexpected[0]) snprintf(v->example_unexpected, sizeof v->example_unexpected, "%.300s", t);
            attrib_whole(at, SIM_FINDING_UNEXPECTED, t, cb);
        }
    }
}

/* A keyed result (update, complete): rows are matched by key. A key the
 * faulty run lacks is lost, one it has extra unexpected; a key with other
 * values is lost when its numbers are all at most the reference's (a count
 * that missed rows), duplicated when all at least (one that counted rows
 * twice), else unexpected. */
static int compare_values(json_t *keys, json_t *a, json_t *b) {
    int less = 0, more = 0, other = 0;
    const char *col;
    json_t *va;
    json_object_foreach(a, col, va) {
        int is_key = 0;
        size_t i;
        json_t *name;
        json_array_foreach(keys, i, name) is_key |= !strcmp(json_string_value(name), col);
        if (is_key) continue;
        json_t *vb = json_object_get(b, col);
        if (json_equal(va, vb)) continue;
        if (json_is_number(va) && json_is_number(vb)) {
            double x = json_number_value(va), y = json_number_value(vb);
            less |= y < x;
            more |= y > x;
        } else {
            other = 1;
        }
    }
    return other || (less && more) ? 2 : less ? -1 : more ? 1 : 0;
}

static void compare_keyed(const char *keys_json, char **a, size_t na, char **b, size_t nb, verdict *v, const attrib *at) {
    memset(v, 0, sizeof *v);
    v->first_time = -1;
    v->records = (long)na;
    json_t *keys = json_loads(keys_json, 0, NULL);
    for (int side = 0; side < 2; side++) {
        char **x = side ? b : a, **y = side ? a : b;
        size_t nx = side ? nb : na, ny = side ? na : nb;
        for (size_t i = 0; i < nx; i++) {
            json_t *rx = json_loads(x[i], 0, NULL);
            char kx[1024];
            sim_check_row_key(keys, rx, kx, sizeof kx);
            json_t *match = NULL;
            for (size_t j = 0; j < ny && !match; j++) {
                json_t *ry = json_loads(y[j], 0, NULL);
                char ky[1024];
                sim_check_row_key(keys, ry, ky, sizeof ky);
                if (!strcmp(kx, ky)) match = ry;
                else json_decref(ry);
            }
            if (!match) {
                if (side == 0) {
                    v->lost++;
                    if (!v->example_lost[0]) snprintf(v->example_lost, sizeof v->example_lost, "%.300s", x[i]);
                    attrib_keyed(at, SIM_FINDING_LOST, kx, x[i]);
                } else {
                    v->unexpected++;
                    if (!v->example_unexpected[0]) snprintf(v->example_unexpected, sizeof v->example_unexpected, "%.300s", x[i]);
                    attrib_keyed(at, SIM_FINDING_UNEXPECTED, kx, x[i]);
                }
            } else if (side == 0) {
                int c = compare_values(keys, rx, match);
                char *got = json_dumps(match, JSON_COMPACT | JSON_SORT_KEYS);
                if (c == -1) {
                    attrib_keyed(at, SIM_FINDING_LOST, kx, x[i]);
                    v->lost++;
                    if (!v->example_lost[0])
                        snprintf(v->example_lost, sizeof v->example_lost, "%.300s (the run with faults has %.200s)", x[i], got);
                } else if (c == 1) {
                    attrib_keyed(at, SIM_FINDING_DUPLICATED, kx, got);
                    v->duplicated++;
                    if (!v->example_dup[0])
                        snprintf(v->example_dup, sizeof v->example_dup, "%.300s (the run with faults has %.200s)", x[i], got);
                } else if (c == 2) {
                    attrib_keyed(at, SIM_FINDING_UNEXPECTED, kx, got);
                    v->unexpected++;
                    if (!v->example_unexpected[0])
                        snprintf(v->example_unexpected, sizeof v->example_unexpected, "%.300s (the run with faults has %.200s)", x[i], got);
                }
                free(got);
            }
            json_decref(match);
            json_decref(rx);
        }
    }
    json_decref(keys);
}

/* The examples of a verdict, then whether it is the delivery expected of
 * the index-th output or query (the only one in `wants`, or its index-th);
 * one JUnit <testcase> named `what`. Returns 1 when it missed it, else 0. */
static int judge(const verdict *v, const char *wants, int index, const char *label, const char *what, FILE *out,
                 FILE *xml, int *cases, sim_check_verdicts *vs) {
    const char *name = verdict_name(v);
    if (vs && vs->n < SIM_CHECK_VERDICTS_MAX) {
        sim_check_verdict *c = &vs->v[vs->n++];
        snprintf(c->what, sizeof c->what, "%s", what);
        snprintf(c->verdict, sizeof c->verdict, "%s", name);
        c->records = v->records, c->lost = v->lost, c->duplicated = v->duplicated, c->unexpected = v->unexpected;
    }
    if (v->example_lost[0]) fprintf(out, "    lost, e.g.       %s\n", v->example_lost);
    if (v->example_dup[0]) fprintf(out, "    duplicated, e.g. %s\n", v->example_dup);
    if (v->example_unexpected[0]) fprintf(out, "    unexpected, e.g. %s\n", v->example_unexpected);
    char want[64] = "";
    const char *w = wants;
    if (strchr(wants, ','))
        for (int k = 0; k < index && w; k++) w = (w = strchr(w, ',')) ? w + 1 : NULL;
    if (w) snprintf(want, sizeof want, "%.*s", (int)strcspn(w, ","), w);
    int ok = !want[0] || strcmp(want, name) == 0;
    if (!ok) fprintf(out, "    expected %s\n", want);
    if (xml) {
        fprintf(xml, "  <testcase classname=\"");
        xml_escape(xml, label);
        fprintf(xml, "\" name=\"%s\">", what);
        if (!ok) fprintf(xml, "<failure message=\"expected %s, got %s\"/>", want, name);
        fprintf(xml, "</testcase>\n");
    }
    if (cases) ++*cases;
    return !ok;
}

/* An output's verdict line of the findings. */
static void find_output(sim_findings *fs, int query, int index, const char *name, const verdict *v, long upto) {
    if (!fs) return;
    sim_finding_output o = {.query = query, .index = index, .compared = v->records, .upto_ms = query ? -1 : upto,
                            .count = {v->lost, v->duplicated, v->unexpected}, .moved = query ? 0 : v->moved};
    snprintf(o.name, sizeof o.name, "%s", name ? name : "");
    snprintf(o.verdict, sizeof o.verdict, "%s", verdict_name(v));
    fs->failed |= sim_findings_add_output(fs, &o) != 0;
}

static int check_runs(const char *label, const char *ref, const char *faulty, int faulty_exit, const char *default_delivery,
                      FILE *out, FILE *xml, int *cases, sim_check_verdicts *vs, sim_findings *fs);

/* The verdicts of one scenario's pair of runs (see check.h). */
int sim_check_runs(const char *label, const char *ref, const char *faulty, int faulty_exit,
                   const char *default_delivery, FILE *out, FILE *xml, int *cases) {
    return check_runs(label, ref, faulty, faulty_exit, default_delivery, out, xml, cases, NULL, NULL);
}

int sim_check_runs_v(const char *label, const char *ref, const char *faulty, int faulty_exit,
                     const char *default_delivery, FILE *out, FILE *xml, int *cases, sim_check_verdicts *vs) {
    return check_runs(label, ref, faulty, faulty_exit, default_delivery, out, xml, cases, vs, NULL);
}

int sim_check_findings(const char *ref, const char *faulty, int faulty_exit, sim_findings *fs) {
    FILE *null = fopen("/dev/null", "w");
    if (!null) return -1;
    int rc = check_runs("", ref, faulty, faulty_exit, NULL, null, NULL, NULL, NULL, fs);
    fclose(null);
    return rc < 0 || fs->failed ? -1 : 0;
}

/* The comparison: prints to out, and fills vs and fs when given. */
static int check_runs(const char *label, const char *ref, const char *faulty, int faulty_exit, const char *default_delivery,
                      FILE *out, FILE *xml, int *cases, sim_check_verdicts *vs, sim_findings *fs) {
    int faulty_failed = sim_check_run_failed(faulty_exit);
    char err[4400];
    recs a = {0}, b = {0};
    if (load(ref, &a, err, sizeof err)) {
        fprintf(out, "%s: the reference run left no results: %s\n", label, err);
        return -1;
    }
    if (load(faulty, &b, err, sizeof err)) memset(&b, 0, sizeof b); /* it died before any output */
    char wants[300];
    expected_delivery(faulty, wants, sizeof wants);
    if (!wants[0]) expected_delivery(ref, wants, sizeof wants);
    if (!wants[0] && default_delivery) snprintf(wants, sizeof wants, "%s", default_delivery);
    int bad = 0;
    fprintf(out, "%s\n", label);
    for (int o = 0; o < a.outputs; o++) {
        /* compared over the batches both runs completed; a run that died
         * under its faults lost everything after */
        long upto = faulty_failed || a.last_time[o] < b.last_time[o] ? a.last_time[o] : b.last_time[o];
        verdict v;
        compare(&a, &b, o, upto, &v, fs);
        find_output(fs, 0, o, NULL, &v, upto);
        const char *name = verdict_name(&v);
        fprintf(out, "  output %d: %s (%ld records compared up to batch %ld ms; lost %ld, duplicated %ld, unexpected %ld)\n",
                o, name, v.records, upto, v.lost, v.duplicated, v.unexpected);
        if (v.moved)
            fprintf(out, "    %ld records came in another batch than in the reference, e.g. %s\n", v.moved,
                    v.example_moved);
        if (v.first_time >= 0) {
            char cause[1200];
            fault_before(faulty, v.first_time, cause, sizeof cause);
            fprintf(out, "    first difference in batch %ld ms%s%s\n", v.first_time, cause[0] ? "; " : "", cause);
        }
        char what[32];
        snprintf(what, sizeof what, "output %d", o);
        bad += judge(&v, wants, o, label, what, out, xml, cases, vs);
    }
    /* Structured Streaming queries: what their sinks hold at the end */
    held ha, hb;
    held_load(ref, &ha);
    held_load(faulty, &hb);
    sim_query_writes *wa = fs && ha.n ? sim_query_writes_load(ref) : NULL, *wb = fs && ha.n ? sim_query_writes_load(faulty) : NULL;
    for (int q = 0; q < ha.n; q++) {
        verdict v;
        attrib at = {fs, q, wa, wb};
        if (ha.keyed[q])
            compare_keyed(ha.keyed[q], ha.rows[q], ha.nrows[q], q < hb.n ? hb.rows[q] : NULL, q < hb.n ? hb.nrows[q] : 0, &v, &at);
        else
            compare_held(ha.rows[q], ha.nrows[q], q < hb.n ? hb.rows[q] : NULL, q < hb.n ? hb.nrows[q] : 0, &v, &at);
        find_output(fs, 1, q, ha.qname[q], &v, -1);
        const char *name = verdict_name(&v);
        fprintf(out, "  %s: %s (%ld rows compared; lost %ld, duplicated %ld, unexpected %ld)\n",
                ha.name[q] ? ha.name[q] : "query", name, v.records, v.lost, v.duplicated, v.unexpected);
        long dropped_ref = -1, dropped = -1; /* read only for a query that differs */
        if (strcmp(name, "exactly-once")) dropped_ref = dropped_by_watermark(ref, q), dropped = dropped_by_watermark(faulty, q);
        if (dropped_ref != dropped && dropped_ref >= 0 && dropped >= 0)
            /* the programming guide: data later than the watermark delay "may or may not" be aggregated */
            fprintf(out,
                    "    note: the watermark dropped %ld rows in the run with faults, %ld in the reference: a row later "
                    "than the watermark delay may or may not be counted, by where batch boundaries fall, and faults "
                    "move them (programming guide, \"Handling Late Data and Watermarking\")\n",
                    dropped, dropped_ref);
        char what[32];
        snprintf(what, sizeof what, "query %d", q);
        /* its expected delivery comes after the DStream outputs' in the list */
        bad += judge(&v, wants, a.outputs + q, label, what, out, xml, cases, vs);
    }
    held_free(&ha);
    held_free(&hb);
    sim_query_writes_free(wa);
    sim_query_writes_free(wb);
    if (faulty_exit == SIM_EXIT_EXPECTATIONS) {
        /* e.g. expect{ recovery_max = ... }: the run with faults says which */
        fprintf(out, "  the run with faults missed an expectation: see the \"expectations\" of %s/summary.json\n",
                faulty);
        bad++;
    }
    recs_free(&a);
    recs_free(&b);
    return bad;
}

/* Where scenario s's runs go under --out DIR: DIR itself for one scenario,
 * else DIR/<its file name without .lua> (-2, -3, ... for a name met again);
 * the reference in <that>/reference. Files an earlier check left there go
 * first, so that nothing in the folder is from another run. */
static void out_dirs(const char *dir, const char *const *scenarios, int n, int s, char *faulty, char *ref, size_t len) {
    if (n == 1) {
        snprintf(faulty, len, "%s", dir);
    } else {
        char stem[256], other[256];
        const char *base = strrchr(scenarios[s], '/');
        snprintf(stem, sizeof stem, "%s", base ? base + 1 : scenarios[s]);
        size_t k = strlen(stem);
        if (k > 4 && !strcmp(stem + k - 4, ".lua")) stem[k - 4] = 0;
        int seen = 0;
        for (int i = 0; i < s; i++) {
            base = strrchr(scenarios[i], '/');
            snprintf(other, sizeof other, "%s", base ? base + 1 : scenarios[i]);
            k = strlen(other);
            if (k > 4 && !strcmp(other + k - 4, ".lua")) other[k - 4] = 0;
            seen += !strcmp(other, stem);
        }
        if (seen)
            snprintf(faulty, len, "%s/%s-%d", dir, stem, seen + 1);
        else
            snprintf(faulty, len, "%s/%s", dir, stem);
    }
    snprintf(ref, len, "%.4000s/reference", faulty);
    static const char *const files[] = {"trace.jsonl", "results.jsonl", "summary.json", "sinks.jsonl", "findings.jsonl"};
    char path[4400];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", faulty, files[i]);
        remove(path);
        snprintf(path, sizeof path, "%s/%s", ref, files[i]);
        remove(path);
    }
}

/* Writes faulty/findings.jsonl: what the comparison found, per batch. */
static void write_findings(sim_findings *fs, const char *scenario, const char *faulty) {
    char path[4300], err[4400];
    snprintf(fs->scenario, sizeof fs->scenario, "%s", scenario);
    snprintf(path, sizeof path, "%s/trace.jsonl", faulty);
    if (sim_findings_file_hash(path, fs->trace_hash)) fs->trace_hash[0] = 0; /* the run left no trace */
    snprintf(path, sizeof path, "%s/findings.jsonl", faulty);
    if (sim_findings_write(fs, path, err, sizeof err)) fprintf(stderr, "streamlab: %s\n", err);
}

int sim_check(const char *self, const char *const *scenarios, int n, const char *seed, const char *junit,
              const char *out_dir) {
    char base[] = "/tmp/streamlab-check-XXXXXX";
    if (!out_dir && !mkdtemp(base)) {
        fprintf(stderr, "streamlab: cannot make a temporary folder: %s\n", strerror(errno));
        return SIM_EXIT_USAGE;
    }
    int failed = 0, errors = 0, cases = 0;
    char *xml_buf = NULL;
    size_t xml_len = 0;
    FILE *xml = junit ? open_memstream(&xml_buf, &xml_len) : NULL;
    for (int s = 0; s < n; s++) {
        char faulty[4200], ref[4200];
        if (out_dir) {
            out_dirs(out_dir, scenarios, n, s, faulty, ref, sizeof faulty);
        } else {
            snprintf(faulty, sizeof faulty, "%s/%d-faulty", base, s);
            snprintf(ref, sizeof ref, "%s/%d-reference", base, s);
        }
        /* the two runs side by side: a check costs about one run's time
         * on two cores */
        pid_t pf = sim_check_spawn(self, scenarios[s], faulty, 1, seed, NULL);
        pid_t pr = sim_check_spawn(self, scenarios[s], ref, 0, seed, NULL);
        int rf = sim_check_wait(pf), rr = sim_check_wait(pr);
        if (sim_check_run_failed(rr)) {
            fprintf(stderr, "%s: the reference run failed (exit %d); run it alone to see why\n", scenarios[s], rr);
            errors++;
            continue;
        }
        if (sim_check_run_failed(rf))
            printf("%s: the run with faults stopped with an error (exit %d): see %s/summary.json\n", scenarios[s], rf,
                   faulty);
        sim_findings fs;
        sim_findings_init(&fs);
        int bad = check_runs(scenarios[s], ref, faulty, rf, NULL, stdout, xml, &cases, NULL, &fs);
        if (bad >= 0) write_findings(&fs, scenarios[s], faulty);
        sim_findings_fini(&fs);
        if (bad < 0) {
            errors++;
            continue;
        }
        printf("  replay: %s run %s%s%s\n", self, scenarios[s], seed ? " --seed " : "", seed ? seed : "");
        failed += bad;
        if (out_dir) {
            printf("  runs in %s (the reference in %s): streamlab view %s/trace.jsonl\n", faulty, ref, faulty);
        } else if (!bad) {
            sim_check_remove_tree(faulty);
            sim_check_remove_tree(ref);
        } else {
            printf("  runs kept in %s\n", base);
        }
    }
    if (xml) {
        fclose(xml);
        FILE *f = fopen(junit, "w");
        if (!f) {
            fprintf(stderr, "streamlab: cannot write %s: %s\n", junit, strerror(errno));
            free(xml_buf);
            return SIM_EXIT_USAGE;
        }
        fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<testsuite name=\"streamlab check\" tests=\"%d\" failures=\"%d\" errors=\"%d\">\n%s</testsuite>\n",
                cases, failed, errors, xml_buf ? xml_buf : "");
        fclose(f);
        free(xml_buf);
    }
    if (!out_dir && !failed && !errors) rmdir(base);
    if (errors) return SIM_EXIT_USAGE;
    return failed ? SIM_EXIT_EXPECTATIONS : SIM_EXIT_OK;
}
