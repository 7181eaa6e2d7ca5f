/* tests/bench/bench_view.c — make bench: the visualiser's figures (issue 8).
 *
 *   1. frame time at 1920x1080 for the busiest frame (the most running tasks)
 *      of the main scenario: median and 99th percentile of 300 draws
 *      (target: p99 under 8 ms, half a 60 fps frame);
 *   2. time to jump to any frame of a one-hour run: the slowest of 2000
 *      seeded random seeks (target: under 50 ms);
 *   3. trace load time (reading the JSON Lines file and indexing it, with
 *      keyframes) per million events (target: under 1 s).
 * usage: bench-view MAIN_SCENARIO.lua HOUR_TRACE.jsonl
 * Wall time comes from CLOCK_MONOTONIC: a benchmark, never a simulation. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../sim/trace_read.h"
#include "../../viz/draw.h"
#include "../../viz/load.h"
#include "../../viz/model.h"

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int running_tasks(const viz_live *s) {
    int n = 0;
    for (int nd = 0; nd < VIZ_NODES_MAX; nd++)
        for (int c = 0; c < VIZ_CORES_MAX; c++) n += s->node[nd].core[c].active;
    return n;
}

static int frame_time(const char *scenario) {
    sim_trace t;
    viz_model m;
    char err[1024] = "";
    if (sim_trace_init(&t, 0) || viz_load(scenario, &t, err, sizeof err) || viz_model_init(&m, &t, err, sizeof err)) {
        fprintf(stderr, "bench-view: %s\n", err);
        return 1;
    }
    viz_view v = {.m = &m};
    viz_live s;
    size_t busiest = 0;
    int most = -1;
    viz_model_seek(&m, 0, &s);
    for (size_t f = 0; f < m.nframes; f++) {
        if (f) viz_model_step(&m, f - 1, &s);
        if (running_tasks(&s) > most) most = running_tasks(&s), busiest = f;
    }
    v.frame = busiest;
    viz_model_seek(&m, busiest, &v.live);
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1920, 1080);
    cairo_t *cr = cairo_create(surf);
    enum { N = 300 };
    double ms[N];
    for (int i = 0; i < N; i++) {
        double t0 = now_ms();
        viz_draw(cr, &v, 1920, 1080);
        cairo_surface_flush(surf);
        ms[i] = now_ms() - t0;
    }
    qsort(ms, N, sizeof *ms, cmp_double);
    printf("view: frame at 1920x1080, busiest frame of %s (%d tasks running): median %.2f ms, p99 %.2f ms (target p99 < 8 ms)\n",
           scenario, most, ms[N / 2], ms[N * 99 / 100]);
    cairo_destroy(cr);
    cairo_surface_destroy(surf);
    viz_model_fini(&m);
    sim_trace_fini(&t);
    return 0;
}

static int seek_and_load(const char *trace) {
    sim_trace t;
    viz_model m;
    char err[1024] = "";
    double t0 = now_ms();
    if (sim_trace_init(&t, 0) || sim_trace_read(trace, &t, err, sizeof err) || viz_model_init(&m, &t, err, sizeof err)) {
        fprintf(stderr, "bench-view: %s\n", err);
        return 1;
    }
    double load = now_ms() - t0;
    printf("view: load and index %s: %zu events in %.0f ms, %.2f s per million events (target < 1 s)\n", trace, t.count, load,
           load / 1e3 / ((double)t.count / 1e6));
    uint64_t x = 0x2545F4914F6CDD1Dull;
    double worst = 0, sum = 0;
    viz_live s;
    for (int i = 0; i < 2000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t f = (size_t)(x % m.nframes);
        double a = now_ms();
        viz_model_seek(&m, f, &s);
        double d = now_ms() - a;
        sum += d;
        if (d > worst) worst = d;
    }
    printf("view: jump to a random frame of the one-hour run (%zu frames): mean %.3f ms, worst %.3f ms (target < 50 ms)\n",
           m.nframes, sum / 2000, worst);
    viz_model_fini(&m);
    sim_trace_fini(&t);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: bench-view MAIN_SCENARIO.lua HOUR_TRACE.jsonl\n");
        return 2;
    }
    return frame_time(argv[1]) | seek_and_load(argv[2]);
}
