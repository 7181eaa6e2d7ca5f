/* sim/run.c — see run.h. */
#include "faults.h"
#include "run.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "duration.h"
#include "lua_stream.h"
#include "scenario.h"
#include "../engine/ss.h"
#include "ss_expect.h"
#include "version.h"
#include "world.h"

static const char *fmt_time(int64_t us, char *buf, size_t n) {
    snprintf(buf, n, "%" PRId64 ".%03" PRId64 " s", us / 1000000, (us % 1000000) / 1000);
    return buf;
}

typedef struct console {
    const sim_world *world;
} console;

/* The live view on stdout: what a person watching the run wants to read. */
static void console_observe(void *ud, const sim_trace *t, const sim_trace_rec *r) {
    const console *c = ud;
    char when[32];
    fmt_time(r->t_us, when, sizeof when);
    switch (r->type) {
    case ENG_EV_BATCH_GENERATED:
        printf("[%10s] batch %" PRId64 " ms generated\n", when, r->arg[0] / 1000);
        break;
    case ENG_EV_EXECUTOR_REGISTERED:
        printf("[%10s] executor on %s registered (%" PRId64 " cores)\n", when,
               c->world->nodes[r->arg[0]].name, r->arg[1]);
        break;
    case ENG_EV_NODE_DOWN:
        printf("[%10s] %s down\n", when, sim_trace_text(t, r));
        break;
    case ENG_EV_NARRATION:
        printf("[%10s] >> %s\n", when, sim_trace_text(t, r));
        break;
    default:
        break;
    }
}

static int mkdir_p(const char *dir, char *err, size_t errlen) {
    char buf[4096];
    if (strlen(dir) >= sizeof buf) {
        snprintf(err, errlen, "%.200s...: path too long", dir);
        return -1;
    }
    snprintf(buf, sizeof buf, "%s", dir);
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, 0777) && errno != EEXIST) {
                snprintf(err, errlen, "cannot create output folder %.1000s: %s", buf, strerror(errno));
                return -1;
            }
            *p = c;
            if (c == '\0') break;
        }
    }
    return 0;
}

static FILE *open_out(const char *dir, const char *name, char *path, size_t pathlen) {
    snprintf(path, pathlen, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) fprintf(stderr, "streamlab: cannot write %s: %s\n", path, strerror(errno));
    return f;
}

static int cmp_values(const void *a, const void *b) { return eng_value_cmp(a, b); }

/* Whether two batches of records match: in order, or as multisets. */
static int same_records(const eng_part *want, const eng_part *got, int unordered) {
    if (want->count != got->count) return 0;
    eng_value *a = NULL, *b = NULL;
    const eng_value *x = want->rows, *y = got->rows;
    if (unordered && want->count > 1) {
        a = malloc(want->count * sizeof *a);
        b = malloc(got->count * sizeof *b);
        if (!a || !b) {
            free(a);
            free(b);
            return 0;
        }
        memcpy(a, want->rows, want->count * sizeof *a);
        memcpy(b, got->rows, got->count * sizeof *b);
        qsort(a, want->count, sizeof *a, cmp_values);
        qsort(b, got->count, sizeof *b, cmp_values);
        x = a;
        y = b;
    }
    int same = 1;
    for (size_t i = 0; i < want->count && same; i++) same = eng_value_equal(&x[i], &y[i]);
    free(a);
    free(b);
    return same;
}

static void records_text(const eng_part *p, char *buf, size_t n) {
    size_t len = 0;
    len += (size_t)snprintf(buf + len, n - len, "[");
    for (size_t i = 0; i < p->count && len < n; i++) {
        if (i) len += (size_t)snprintf(buf + len, n - len, ", ");
        if (len < n) len += eng_value_format(&p->rows[i], buf + len, n - len);
    }
    if (len < n) snprintf(buf + len, n - len, "]");
}

/* Checks one output expectation; prints what differs. Returns 1 if it holds. */
static int check_output(const sim_expect *e, const sim_host *host, const char *path) {
    const sim_recorded *r = host->recorded ? &host->recorded[e->output] : NULL;
    size_t ran = r ? r->n : 0;
    if (ran < (size_t)e->count) {
        fprintf(stderr, "%s: expectation failed: output %d ran in %zu batches, %lld expected\n", e->where, e->output,
                ran, (long long)e->count);
        return 0;
    }
    for (int64_t k = 0; k < e->count; k++) {
        if (same_records(&e->batches[k], &r->batches[k], e->unordered)) continue;
        char want[600], got[600];
        records_text(&e->batches[k], want, sizeof want);
        records_text(&r->batches[k], got, sizeof got);
        fprintf(stderr, "%s: expectation failed: output %d, batch %lld%s:\n  expected %s\n  got      %s\n", e->where,
                e->output, (long long)k + 1, e->unordered ? " (in any order)" : "", want, got);
        return 0;
    }
    (void)path;
    return 1;
}

/* Checks every expect{}; prints each violation on stderr. Returns how many failed. */
/* One row per injected fault (a crash, a slowdown, a partition, a receiver
 * failure; restarts and heals belong to theirs), with its recovery time: from
 * the injection until the end of the first batch of a time at or after it
 * that finished within one batch interval of its time, the job keeping up
 * again (null if no batch did before the run ended). *worst_us: the longest
 * recovery, or -1 when a fault never recovered; 0 without faults. */
static json_t *fault_recoveries(const sim_trace *t, int64_t batch_interval_us, int64_t *worst_us) {
    static const char *const kinds[] = {"",     "crash",        "restart",      "slow",     "partition",
                                        "crash_receiver", "heal", "storage_slow", "storage_fail", "sink_fail"};
    json_t *rows = json_array();
    *worst_us = 0;
    for (size_t i = 0; i < t->count; i++) {
        const sim_trace_rec *f = &t->events[i];
        if (f->type != ENG_EV_FAULT_INJECTED || f->arg[0] == SIM_FAULT_EV_RESTART || f->arg[0] == SIM_FAULT_EV_HEAL)
            continue;
        int64_t recovered = -1;
        for (size_t k = i + 1; k < t->count && recovered < 0; k++) {
            const sim_trace_rec *b = &t->events[k];
            if (b->type == ENG_EV_BATCH_DONE && b->arg[0] >= f->t_us && b->arg[2] <= batch_interval_us)
                recovered = b->t_us;
        }
        const char *text = sim_trace_text(t, f);
        char target[48];
        if (f->arg[0] == SIM_FAULT_EV_CRASH_RECEIVER)
            snprintf(target, sizeof target, "receiver %lld", (long long)f->arg[1] + 1);
        else if (f->arg[0] == SIM_FAULT_EV_STORAGE_SLOW || f->arg[0] == SIM_FAULT_EV_STORAGE_FAIL)
            snprintf(target, sizeof target, "storage");
        else if (f->arg[0] == SIM_FAULT_EV_SINK_FAIL)
            snprintf(target, sizeof target, "sink");
        else if (f->arg[1] == 1)
            snprintf(target, sizeof target, "driver");
        else
            snprintf(target, sizeof target, "worker-%lld", (long long)f->arg[1] - 1);
        json_t *row = json_pack("{s:I,s:s,s:s,s:s}", "at_ms", (json_int_t)(f->t_us / 1000), "kind",
                                f->arg[0] > 0 && f->arg[0] <= 9 ? kinds[f->arg[0]] : "?", "target", target, "text",
                                text ? text : "");
        if (recovered < 0) {
            json_object_set_new(row, "recovered_ms", json_null());
            json_object_set_new(row, "recovery_ms", json_null());
            *worst_us = -1;
        } else {
            json_object_set_new(row, "recovered_ms", json_integer((json_int_t)(recovered / 1000)));
            json_object_set_new(row, "recovery_ms", json_integer((json_int_t)((recovered - f->t_us) / 1000)));
            if (*worst_us >= 0 && recovered - f->t_us > *worst_us) *worst_us = recovered - f->t_us;
        }
        json_array_append_new(rows, row);
    }
    return rows;
}

static int check_expectations(const sim_scenario *sc, const sim_trace *t, const sim_host *host, int64_t worst_recovery_us,
                              json_t *out) {
    int failed = 0;
    for (size_t i = 0; i < sc->expect_count; i++) {
        const sim_expect *e = &sc->expects[i];
        if (e->kind == SIM_EXPECT_OUTPUT) {
            int ok = check_output(e, host, sc->path);
            failed += !ok;
            json_array_append_new(out, json_pack("{s:s,s:i,s:I,s:b}", "where", e->where, "output", e->output,
                                                 "batches", (json_int_t)e->count, "ok", ok));
            continue;
        }
        if (e->kind == SIM_EXPECT_QUERY) {
            int ok = sim_ss_check_expect(sc, e, host);
            failed += !ok;
            json_array_append_new(out, json_pack("{s:s,s:s,s:b}", "where", e->where, "query", e->query, "ok", ok));
            continue;
        }
        if (e->kind == SIM_EXPECT_RECOVERY) {
            int ok = worst_recovery_us >= 0 && worst_recovery_us <= e->count;
            failed += !ok;
            if (!ok && worst_recovery_us < 0)
                fprintf(stderr, "%s: expectation failed: a fault never recovered (recovery_max %" PRId64 " ms)\n",
                        e->where, e->count / 1000);
            else if (!ok)
                fprintf(stderr, "%s: expectation failed: a recovery took %" PRId64 " ms, more than recovery_max %" PRId64
                                " ms\n",
                        e->where, worst_recovery_us / 1000, e->count / 1000);
            json_array_append_new(out, json_pack("{s:s,s:I,s:o,s:b}", "where", e->where, "recovery_max_ms",
                                                 (json_int_t)(e->count / 1000), "worst_recovery_ms",
                                                 worst_recovery_us < 0 ? json_null()
                                                                       : json_integer((json_int_t)(worst_recovery_us / 1000)),
                                                 "ok", ok));
            continue;
        }
        uint64_t got = t->counts[e->event_type];
        int ok = got == (uint64_t)e->count;
        if (!ok) {
            failed++;
            fprintf(stderr, "%s: expectation failed: %" PRId64 " %s events expected, the run recorded %" PRIu64 "\n",
                    e->where, e->count, sim_trace_type_name((uint32_t)e->event_type), got);
        }
        json_array_append_new(out, json_pack("{s:s,s:s,s:I,s:I,s:b}", "where", e->where, "event",
                                             sim_trace_type_name((uint32_t)e->event_type), "expected",
                                             (json_int_t)e->count, "actual", (json_int_t)got, "ok", ok));
    }
    return failed;
}

/* Per batch, as the Spark UI's streaming tab shows them (BatchInfo):
 * records, scheduling delay, processing time, total delay; from the trace. */
static json_t *batch_metrics(const sim_trace *t, json_t **totals) {
    json_t *list = json_array();
    int64_t max_sched = 0, records = 0, done = 0, held[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < t->count; i++) {
        const sim_trace_rec *r = &t->events[i];
        if (r->type == ENG_EV_DRIVER_MEMORY) {
            for (int k = 0; k < 4; k++)
                if (r->arg[k] > held[k]) held[k] = r->arg[k];
            continue;
        }
        if (r->type == ENG_EV_BATCH_GENERATED) {
            records += r->arg[2];
            json_array_append_new(list, json_pack("{s:I,s:I,s:I,s:I}", "time_ms", (json_int_t)(r->arg[0] / 1000),
                                                  "blocks", (json_int_t)r->arg[1], "records", (json_int_t)r->arg[2],
                                                  "jobs", (json_int_t)r->arg[3]));
            continue;
        }
        if (r->type != ENG_EV_BATCH_STARTED && r->type != ENG_EV_BATCH_DONE) continue;
        for (size_t k = json_array_size(list); k-- > 0;) {
            json_t *b = json_array_get(list, k);
            if (json_integer_value(json_object_get(b, "time_ms")) != r->arg[0] / 1000) continue;
            if (r->type == ENG_EV_BATCH_STARTED) {
                json_object_set_new(b, "scheduling_delay_ms", json_integer(r->arg[1] / 1000));
                if (r->arg[1] > max_sched) max_sched = r->arg[1];
            } else {
                json_object_set_new(b, "processing_delay_ms", json_integer(r->arg[1] / 1000));
                json_object_set_new(b, "total_delay_ms", json_integer(r->arg[2] / 1000));
                done++;
            }
            break;
        }
    }
    *totals = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "records", (json_int_t)records, "batches_completed",
                        (json_int_t)done, "max_scheduling_delay_ms", (json_int_t)(max_sched / 1000),
                        "max_batches_remembered", (json_int_t)held[0], "max_rdds_held", (json_int_t)held[1],
                        "max_blocks_held", (json_int_t)held[2], "max_shuffles_held", (json_int_t)held[3]);
    return list;
}

static int write_summary(const char *dir, const sim_scenario *sc, const sim_world *w, int64_t end_us,
                         const char *verdict, json_t *expects, json_t *faults) {
    char path[4200], hex[32];
    FILE *f = open_out(dir, "summary.json", path, sizeof path);
    if (!f) return -1;
    json_t *counts = json_object();
    for (uint32_t i = 0; i < ENG_EV_COUNT_; i++)
        if (w->trace.counts[i]) json_object_set_new(counts, sim_trace_type_name(i), json_integer((json_int_t)w->trace.counts[i]));
    snprintf(hex, sizeof hex, "%016" PRIx64, sim_trace_digest(&w->trace));
    json_t *s = json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:i,s:I,s:o,s:s,s:s,s:O}", "streamlab", STREAMLAB_VERSION,
                          "scenario", sc->name, "file", sc->path, "seed", (json_int_t)sc->seed, "duration_us",
                          (json_int_t)sc->duration_us, "simulated_us", (json_int_t)end_us, "trace_schema_version",
                          ENG_TRACE_SCHEMA_VERSION, "trace_events", (json_int_t)w->trace.count, "event_counts",
                          counts, "digest", hex, "verdict", verdict, "expectations", expects);
    json_t *totals = NULL;
    json_t *batches = batch_metrics(&w->trace, &totals);
    if (s && sc->expect_delivery[0]) json_object_set_new(s, "expect_delivery", json_string(sc->expect_delivery));
    if (s) {
        json_object_set_new(s, "metrics", totals);
        json_object_set_new(s, "batches", batches);
        json_object_set(s, "faults", faults);
        /* the plan as run: its faults in order, what --faults-only indexes */
        json_t *plan = json_array();
        for (int i = 0; w->faults && i < w->faults->count; i++)
            json_array_append_new(plan, json_pack("{s:I,s:s,s:s}", "at_ms", (json_int_t)(w->faults->items[i].at_us / 1000),
                                                  "text", w->faults->items[i].text, "where", w->faults->items[i].where));
        json_object_set_new(s, "fault_plan", plan);
        /* Structured Streaming: each query's progress reports (StreamingQueryProgress), in order */
        if (sc->program.nqueries) {
            json_t *queries = json_array();
            for (int q = 0; q < sc->program.nqueries; q++) {
                const eng_ss_query *qq = sc->program.queries[q];
                json_t *list = json_array();
                const sim_ss_record *r = w->host && w->host->ss ? &w->host->ss[q] : NULL;
                for (size_t i = 0; r && i < r->np; i++) {
                    json_t *p = json_loads(r->progress[i].json, 0, NULL);
                    if (p) json_array_append_new(list, p);
                }
                json_t *qo = json_pack("{s:i,s:s,s:o}", "query", q, "name", qq->name, "progress", list);
                if (qq->source.kind == ENG_SRC_REPLAY)
                    json_object_set_new(qo, "source", json_pack("{s:s,s:I,s:I}", "description", qq->source.name,
                                                                "records", (json_int_t)qq->source.records, "malformed",
                                                                (json_int_t)qq->source.malformed));
                json_array_append_new(queries, qo);
            }
            json_object_set_new(s, "queries", queries);
        }
    } else {
        json_decref(totals);
        json_decref(batches);
    }
    int rc = s ? json_dumpf(s, f, JSON_INDENT(2)) : -1;
    json_decref(s);
    if (rc == 0 && fputc('\n', f) == EOF) rc = -1;
    if (fclose(f) || rc) {
        fprintf(stderr, "streamlab: cannot write %s\n", path);
        return -1;
    }
    return 0;
}

static sim_world *make_world(const sim_scenario *sc, const sim_run_opts *o) {
    char err[512];
    sim_world_opts wo = {.seed = sc->seed,
                         .cluster = sc->cluster,
                         .trace_max_events = o->trace_max_events,
                         .net_latency_us = -1,
                         .net_jitter_us = -1};
    sim_world *w = sim_world_new(&wo, err, sizeof err);
    if (!w) fprintf(stderr, "%s: %s\n", sc->context_where, err);
    return w;
}

/* Runs the loaded scenario in w. Returns 0, or -1 when the world stopped. */
static int run_world(sim_world *w, const sim_scenario *sc, int64_t end_us) {
    sim_world_emit(w, ENG_EV_RUN_START, (int64_t)sc->seed, end_us, sc->cluster.workers, sc->cluster.cores, sc->name);
    for (size_t i = 0; i < sc->narration_count; i++)
        if (sc->narrations[i].at_us <= end_us && sim_world_narrate(w, sc->narrations[i].at_us, sc->narrations[i].text))
            return -1;
    if (sim_world_schedule_files(w) || sim_world_schedule_faults(w)) return -1;
    if (sc->started)
        sim_world_start(w);
    else
        fprintf(stderr, "%s: warning: ssc:start() is never called, so no batch runs\n", sc->context_where);
    if (sim_world_run(w, end_us)) return -1;
    sim_world_emit(w, ENG_EV_RUN_END, (int64_t)w->trace.count + 1,
                   (int64_t)w->trace.counts[ENG_EV_BATCH_GENERATED], 0, 0, NULL);
    return w->failed ? -1 : 0;
}

int sim_run(const sim_run_opts *o) {
    char err[2048], path[4200];
    sim_scenario sc;
    sim_scenario_opts so = {.seed_override = o->seed_set,
                            .seed = o->seed,
                            .lua_instructions_max = o->lua_instructions_max,
                            .lua_memory_max = o->lua_memory_max};
    if (o->out_dir && mkdir_p(o->out_dir, err, sizeof err)) {
        fprintf(stderr, "streamlab: %s\n", err);
        return SIM_EXIT_USAGE;
    }
    int loaded = sim_scenario_load(&sc, o->scenario_path, &so, err, sizeof err);
    if (loaded == -2) { /* the scenario expected exactly this error */
        printf("%s\n", err);
        return SIM_EXIT_OK;
    }
    if (loaded) {
        fprintf(stderr, "%s\n", err);
        return SIM_EXIT_USAGE;
    }
    if (o->faults_only && !o->no_faults && sim_faults_keep_only(sc.faults, o->faults_only, err, sizeof err)) {
        fprintf(stderr, "streamlab: %s: %s\n", o->scenario_path, err);
        sim_scenario_fini(&sc);
        return SIM_EXIT_USAGE;
    }
    int64_t end_us = sim_scenario_end_us(&sc);
    sim_world *w = make_world(&sc, o);
    if (!w) {
        sim_scenario_fini(&sc);
        return SIM_EXIT_USAGE;
    }
    w->trace.record_arrivals = o->trace_records;
    FILE *files[2] = {NULL, NULL}; /* the --trace file, out/trace.jsonl */
    int code = SIM_EXIT_OK;
    if (o->trace_path && !(files[0] = fopen(o->trace_path, "w"))) {
        fprintf(stderr, "streamlab: cannot write %s: %s\n", o->trace_path, strerror(errno));
        code = SIM_EXIT_USAGE;
    }
    if (o->out_dir && !o->trace_path && !(files[1] = open_out(o->out_dir, "trace.jsonl", path, sizeof path)))
        code = SIM_EXIT_USAGE;
    sim_host host = {.lua = sc.lua, .program = &sc.program, .console = o->quiet ? NULL : stdout};
    if (o->out_dir && !(host.results = open_out(o->out_dir, "results.jsonl", path, sizeof path))) code = SIM_EXIT_USAGE;
    w->host = &host;
    w->inputs = sc.inputs;
    w->faults = o->no_faults ? NULL : sc.faults;
    host.recorded = calloc((size_t)(sc.program.output_count ? sc.program.output_count : 1), sizeof *host.recorded);
    for (size_t i = 0; host.recorded && i < sc.expect_count; i++) {
        const sim_expect *e = &sc.expects[i];
        if (e->kind != SIM_EXPECT_OUTPUT) continue;
        if (e->output >= sc.program.output_count) {
            fprintf(stderr, "%s: expect{}: output %d does not exist (the scenario has %d output operations)\n", e->where,
                    e->output, sc.program.output_count);
            code = SIM_EXIT_USAGE;
        } else {
            host.recorded[e->output].wanted = 1;
        }
    }
    int ran = 0;
    char stopped[2200] = ""; /* the verdict of a run that stopped with an error */
    if (code == SIM_EXIT_OK) {
        ran = 1;
        sim_trace_write_to(&w->trace, files[0] ? files[0] : files[1]);
        console con = {w};
        if (!o->quiet) {
            char d[64];
            fprintf(stderr, "streamlab %s: scenario \"%s\", seed %" PRIu64 ", %s of simulated time\n", STREAMLAB_VERSION,
                    sc.name, sc.seed, sim_duration_format(end_us, d, sizeof d));
            w->trace.observer = console_observe;
            w->trace.observer_ud = &con;
        }
        if (run_world(w, &sc, end_us)) {
            char when[32];
            fprintf(stderr, "%s\n(the run stopped at %s of simulated time)\n", w->error,
                    fmt_time(w->now_us, when, sizeof when));
            code = SIM_EXIT_USAGE;
            snprintf(stopped, sizeof stopped, "stopped at %s: %s", when, w->error);
        }
        w->trace.observer = NULL;
    }
    if (ran) {
        /* a run that stopped is still told up to then (the checker reads
         * it), without its expectations or digest */
        json_t *expects = json_array();
        int64_t worst_recovery;
        json_t *faults = fault_recoveries(&w->trace, sc.cluster.batch_interval_us, &worst_recovery);
        int failed = 0;
        /* a scenario's expectations describe the run with its faults: the
         * reference run of `check` (--no-faults) leaves them unchecked */
        int unchecked = o->no_faults && sc.faults && sc.faults->count > 0;
        if (!stopped[0]) {
            if (!unchecked) failed = check_expectations(&sc, &w->trace, &host, worst_recovery, expects);
            if (failed) code = SIM_EXIT_EXPECTATIONS;
            printf("trace digest: %016" PRIx64 " (%zu events)\n", sim_trace_digest(&w->trace), w->trace.count);
        }
        const char *verdict = stopped[0]  ? stopped
                              : failed    ? "expectations violated"
                              : unchecked ? "ok (expectations not checked: --no-faults)"
                                          : "ok";
        if (o->out_dir && write_summary(o->out_dir, &sc, w, stopped[0] ? w->now_us : end_us, verdict, expects, faults))
            code = SIM_EXIT_USAGE;
        sim_ss_env ssenv = {sim_world_env_ops(), w};
        if (o->out_dir && sim_host_ss_write_sinks(&host, &ssenv, o->out_dir)) {
            fprintf(stderr, "streamlab: writing %s/sinks.jsonl failed\n", o->out_dir);
            code = SIM_EXIT_USAGE;
        }
        json_decref(expects);
        json_decref(faults);
    }
    if (host.results && (fclose(host.results) || host.results_error)) {
        fprintf(stderr, "streamlab: writing results.jsonl failed\n");
        code = SIM_EXIT_USAGE;
    }
    for (int i = 0; i < 2; i++)
        if (files[i] && (fclose(files[i]) || w->trace.jsonl_error)) {
            fprintf(stderr, "streamlab: writing the trace failed\n");
            code = SIM_EXIT_USAGE;
        }
    fflush(stdout);
    sim_world_free(w);
    sim_host_fini(&host);
    sim_scenario_fini(&sc);
    return code;
}
