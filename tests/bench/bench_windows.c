/* tests/bench/bench_windows.c — make bench: the cost of windows and state.
 *
 *   1. reduceByKeyAndWindow with and without the inverse function at
 *      window/slide = 2, 30 and 300 (slide = batch = 1 s, 1000 keys, 1000
 *      records per second): the inverse's cost per batch must stay flat as
 *      the window grows (it touches the previous window, the batch that
 *      left and the batch that came), the other grows with the window;
 *   2. updateStateByKey against mapWithState with 1e5 keys of state, of
 *      which 1% receive data each batch: updateStateByKey calls its
 *      function on every key, mapWithState only on the keys with data.
 * Cost per batch: the simulated processing time (the cost model counts
 * every record a task handles: 1 us each in the window runs, so that no
 * batch outlasts the interval and queues), and the wall time of the whole run divided
 * by its batches. Scenarios are written into DIR and run in this process.
 * Wall time comes from CLOCK_MONOTONIC: a benchmark, never a simulation. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../sim/run.h"

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct result {
    double sim_ms;  /* mean simulated processing time of the measured batches */
    double wall_ms; /* wall time per batch */
    long batches;
} result;

/* Runs path with --out dir; averages processing_delay_ms of batches at or after from_ms. */
static int run(const char *path, const char *dir, long from_ms, result *res) {
    sim_run_opts o = {.scenario_path = path, .quiet = 1, .out_dir = dir};
    fflush(stdout);
    int saved = dup(1);
    if (!freopen("/dev/null", "w", stdout)) return -1;
    double t0 = now_s();
    int code = sim_run(&o);
    double wall = now_s() - t0;
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    if (code != 0) {
        fprintf(stderr, "bench-windows: %s failed (exit %d)\n", path, code);
        return -1;
    }
    char summary[1024];
    snprintf(summary, sizeof summary, "%s/summary.json", dir);
    json_error_t e;
    json_t *s = json_load_file(summary, 0, &e);
    if (!s) return -1;
    json_t *batches = json_object_get(s, "batches");
    double sum = 0;
    long n = 0, all = 0;
    for (size_t i = 0; i < json_array_size(batches); i++) {
        json_t *b = json_array_get(batches, i);
        json_t *p = json_object_get(b, "processing_delay_ms");
        if (!p) continue;
        all++;
        if (json_integer_value(json_object_get(b, "time_ms")) < from_ms) continue;
        sum += (double)json_integer_value(p);
        n++;
    }
    json_decref(s);
    res->sim_ms = n ? sum / (double)n : 0;
    res->wall_ms = all ? wall * 1e3 / (double)all : 0;
    res->batches = all;
    return 0;
}

static int write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(text, f);
    return fclose(f);
}

static const char *window_scenario =
    "scenario{ name = \"bench: reduceByKeyAndWindow\", seed = 1, duration = \"%ds\" }\n"
    "local keys = {}\n"
    "for i = 1, 1000 do keys[i] = \"k\" .. i end\n"
    "netcat{ port = 9999, lines = keys, rate = 1000, loop = true }\n"
    "local ssc = StreamingContext{ batchDuration = \"1s\", workers = 2, cores = 2,\n"
    "                              cost = { perRecord = \"1us\", taskLaunch = \"1ms\" } }\n"
    "ssc:checkpoint(\"checkpoints\")\n"
    "ssc:socketTextStream(\"localhost\", 9999):map(pairWithOne)\n"
    "   :reduceByKeyAndWindow(add, %s, \"%ds\", \"1s\", 4):foreachRDD(function(rdd) rdd:count() end)\n"
    "ssc:start()\n";

static const char *state_scenario =
    "scenario{ name = \"bench: %s\", seed = 1, duration = \"40s\" }\n"
    "local keys = {}\n"
    "for i = 1, 1000 do keys[i] = \"k\" .. i end\n"
    "netcat{ port = 9999, lines = keys, rate = 1000, loop = true }\n"
    "local ssc = StreamingContext{ batchDuration = \"1s\", workers = 2, cores = 2,\n"
    "                              cost = { perRecord = \"10us\", taskLaunch = \"1ms\" } }\n"
    "ssc:checkpoint(\"checkpoints\")\n"
    "local sc = ssc.sparkContext\n"
    "local initial = {}\n"
    "for i = 1, 100000 do initial[i] = { \"k\" .. i, 0 } end\n"
    "local pairs_ = ssc:socketTextStream(\"localhost\", 9999):map(pairWithOne)\n"
    "%s\n"
    "ssc:start()\n";

static const char *update_state =
    "pairs_:updateStateByKey(function(values, state)\n"
    "  local n = state or 0\n"
    "  for _, v in ipairs(values) do n = n + v end\n"
    "  return n\n"
    "end, 4, sc:parallelize(initial, 4)):foreachRDD(function(rdd) rdd:count() end)";

static const char *map_with_state =
    "local spec = StateSpec.func(function(key, value, state)\n"
    "  local n = (state:exists() and state:get() or 0) + value\n"
    "  state:update(n)\n"
    "  return n\n"
    "end):initialState(sc:parallelize(initial, 4)):numPartitions(4)\n"
    "pairs_:mapWithState(spec):foreachRDD(function(rdd) rdd:count() end)";

int main(int argc, char **argv) {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    if (argc != 2) {
        fprintf(stderr, "usage: bench-windows DIR\n");
        return 2;
    }
    const char *dir = argv[1];
    char path[1024], out[1024], text[4096];
    static const int ratios[] = {2, 30, 300};
    result res[2][3];
    for (int inv = 0; inv < 2; inv++)
        for (int k = 0; k < 3; k++) {
            int w = ratios[k];
            /* without the inverse a long window outlasts the interval, batches queue:
             * run long enough for the batches just after the first full window to finish */
            snprintf(text, sizeof text, window_scenario, inv ? w + 30 : 2 * w + 60, inv ? "sub" : "nil", w);
            snprintf(path, sizeof path, "%s/window_%d_%s.lua", dir, w, inv ? "inverse" : "plain");
            snprintf(out, sizeof out, "%s/out-window_%d_%s", dir, w, inv ? "inverse" : "plain");
            if (write_file(path, text) || run(path, out, (long)(w + 2) * 1000, &res[inv][k])) return 1;
        }
    printf("reduceByKeyAndWindow, 1000 keys at 1000 records/s, slide = batch = 1 s; per batch, after the first window:\n");
    printf("%-14s %26s %26s\n", "window/slide", "without inverse", "with inverse");
    printf("%-14s %12s %13s %12s %13s\n", "", "simulated", "wall", "simulated", "wall");
    for (int k = 0; k < 3; k++)
        printf("%-14d %9.1f ms %10.3f ms %9.1f ms %10.3f ms\n", ratios[k], res[0][k].sim_ms, res[0][k].wall_ms,
               res[1][k].sim_ms, res[1][k].wall_ms);
    printf("growth from window/slide 2 to 300: without inverse %.1fx, with inverse %.2fx (flat is 1x)\n",
           res[0][2].sim_ms / res[0][0].sim_ms, res[1][2].sim_ms / res[1][0].sim_ms);

    result st[2];
    const char *names[2] = {"updateStateByKey", "mapWithState"};
    const char *bodies[2] = {update_state, map_with_state};
    for (int i = 0; i < 2; i++) {
        snprintf(text, sizeof text, state_scenario, names[i], bodies[i]);
        snprintf(path, sizeof path, "%s/state_%s.lua", dir, names[i]);
        snprintf(out, sizeof out, "%s/out-state_%s", dir, names[i]);
        if (write_file(path, text) || run(path, out, 5000, &st[i])) return 1;
    }
    printf("state: 1e5 keys, 1%% of them with data each batch; per batch:\n");
    for (int i = 0; i < 2; i++) printf("%-18s %9.1f ms simulated %10.3f ms wall\n", names[i], st[i].sim_ms, st[i].wall_ms);
    printf("updateStateByKey / mapWithState: %.1fx simulated, %.1fx wall\n", st[0].sim_ms / st[1].sim_ms,
           st[0].wall_ms / st[1].wall_ms);
    return 0;
}
