/* tests/bench/bench_ss.c — make bench: Structured Streaming's windowed count
 * with a watermark on one worker (tests/bench/windowed_count.lua: the rate
 * source's 20,000 rows/s for 60 s, per 10-second window and value % 100,
 * 5-second watermark, append mode), beside the same aggregation as a plain C
 * loop over the same rows in the same run:
 *   1. rows per wall second of each, and the ratio;
 *   2. state rows: the most the state store held at once against the rows
 *      seen, which the watermark must keep bounded (about three windows of
 *      100 keys, whatever the length of the run).
 * Usage: bench-ss DIR (the folder with the bench scenarios). Wall time comes
 * from CLOCK_MONOTONIC: a benchmark, never part of a simulation. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <malloc.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../sim/run.h"

#define RPS 20000
#define SECONDS 60
#define KEYS 100
#define WINDOW_MS 10000
#define DELAY_MS 5000

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- plain C: the same rows, windows and watermark ------------------------------------- */

typedef struct cell {
    int64_t window; /* start ms; INT64_MIN = empty */
    int key;
    long count;
} cell;

/* One second's rows at a time, as the triggers read them: the rate
 * source's row v has time round(v * 1000 / RPS) ms; count per (window,
 * key) in an open-addressing table, then emit and evict the windows the
 * watermark (max time - 5 s, from the second before) has passed. */
static long plain(long *emitted, long *max_state) {
    size_t cap = 4096;
    cell *t = malloc(cap * sizeof *t), *kept = malloc(cap * sizeof *kept);
    for (size_t i = 0; i < cap; i++) t[i].window = INT64_MIN;
    int64_t watermark = 0, max_ms = 0;
    long rows = 0, held = 0;
    *emitted = *max_state = 0;
    for (int s = 0; s < SECONDS; s++) {
        for (int64_t v = (int64_t)s * RPS; v < (int64_t)(s + 1) * RPS; v++) {
            int64_t ms = (int64_t)llround((double)v * 1000.0 / RPS);
            int64_t w = ms - ms % WINDOW_MS;
            int key = (int)(v % KEYS);
            if (w + WINDOW_MS <= watermark) continue; /* late */
            size_t h = ((uint64_t)w * 31u + (uint64_t)key) * 0x9E3779B97F4A7C15ULL >> 52;
            while (t[h].window != INT64_MIN && (t[h].window != w || t[h].key != key)) h = (h + 1) & (cap - 1);
            if (t[h].window == INT64_MIN) {
                t[h].window = w;
                t[h].key = key;
                t[h].count = 0;
                held++;
            }
            t[h].count++;
            if (ms > max_ms) max_ms = ms;
            rows++;
        }
        if (held > *max_state) *max_state = held;
        /* evict (and emit, append mode) what the watermark passed: the kept
         * cells are inserted again, so that probe chains stay whole */
        int nkept = 0;
        for (size_t i = 0; i < cap; i++) {
            if (t[i].window == INT64_MIN) continue;
            if (t[i].window + WINDOW_MS <= watermark) {
                (*emitted)++;
                held--;
            } else {
                kept[nkept++] = t[i];
            }
            t[i].window = INT64_MIN;
        }
        for (int k = 0; k < nkept; k++) {
            size_t h = ((uint64_t)kept[k].window * 31u + (uint64_t)kept[k].key) * 0x9E3779B97F4A7C15ULL >> 52;
            while (t[h].window != INT64_MIN) h = (h + 1) & (cap - 1);
            t[h] = kept[k];
        }
        if (max_ms - DELAY_MS > watermark) watermark = max_ms - DELAY_MS;
    }
    free(t);
    free(kept);
    return rows;
}

int main(int argc, char **argv) {
    mallopt(M_MMAP_THRESHOLD, 32 << 20); /* as the streamlab command does */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    if (argc != 2) {
        fprintf(stderr, "usage: bench-ss DIR\n");
        return 2;
    }
    /* 1. plain C, best of 5 */
    long emitted = 0, max_state = 0, rows = 0;
    double best = 1e9;
    for (int k = 0; k < 5; k++) {
        double t0 = now_s();
        rows = plain(&emitted, &max_state);
        double t = now_s() - t0;
        if (t < best) best = t;
    }
    double plain_rps = (double)rows / best;
    /* 2. the engine: the whole run (rate source, tasks, shuffle, state store, sink) */
    char path[1024], out[1024];
    snprintf(path, sizeof path, "%s/windowed_count.lua", argv[1]);
    snprintf(out, sizeof out, "%s/windowed_count.out", argv[1]);
    sim_run_opts o = {.scenario_path = path, .quiet = 1, .out_dir = out};
    fflush(stdout);
    int saved = dup(1);
    if (!freopen("/dev/null", "w", stdout)) return 1;
    double t0 = now_s();
    int code = sim_run(&o);
    double wall = now_s() - t0;
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    if (code != 0) {
        fprintf(stderr, "bench-ss: %s failed (exit %d)\n", path, code);
        return 1;
    }
    char summary[1100];
    snprintf(summary, sizeof summary, "%s/summary.json", out);
    json_t *s = json_load_file(summary, 0, NULL);
    json_t *progress = json_object_get(json_array_get(json_object_get(s, "queries"), 0), "progress");
    long seen = 0, state_max = 0;
    size_t i;
    json_t *p;
    json_array_foreach(progress, i, p) {
        seen += (long)json_integer_value(json_object_get(p, "numInputRows"));
        long total = (long)json_integer_value(
            json_object_get(json_array_get(json_object_get(p, "stateOperators"), 0), "numRowsTotal"));
        if (total > state_max) state_max = total;
    }
    json_decref(s);
    double engine_rps = (double)seen / wall;
    printf("bench-ss: windowed count with a watermark, %d rows/s for %d s, %d keys, 10 s windows, 5 s watermark\n",
           RPS, SECONDS, KEYS);
    printf("  plain C loop:   %10.0f rows/s (%ld rows, %ld windows emitted, at most %ld state rows)\n", plain_rps,
           rows, emitted, max_state);
    printf("  streamlab:      %10.0f rows/s (%ld rows in %.2f s of wall time, one worker)\n", engine_rps, seen, wall);
    printf("  ratio:          %10.1f x slower than the plain loop\n", plain_rps / engine_rps);
    printf("  state rows:     at most %ld held at once, for %ld rows seen (%.5f per row)\n", state_max, seen,
           seen ? (double)state_max / (double)seen : 0);
    return 0;
}
