/* tests/bench/bench_wordcount.c — make bench: how fast the engine counts
 * words, beside a plain C count of the same words measured in the same run.
 *
 *   1. plain C: split the same lines on ' ' (as Java's split(" ")) and
 *      count in an open-addressing hash table: the floor any engine pays;
 *   2. the word count scenario with built-in functions (one worker): the
 *      whole run, receiver, blocks, tasks, shuffle and all;
 *   3. the same with Lua functions;
 *   4. one hour of simulated time at 1000 records/s: simulated seconds per
 *      wall second.
 * Usage: bench-wordcount DIR (the folder with the bench scenarios and the
 * fortunes file; make bench prepares it). Wall time comes from
 * CLOCK_MONOTONIC: this is a benchmark, never part of a simulation. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <malloc.h>
#include <unistd.h>

#include "../../sim/run.h"

#define LINES 100000 /* as the scenarios' netcat{ count = 100000 } */

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- plain C ------------------------------------------------------------------- */

typedef struct slot {
    const char *word;
    size_t len;
    long count;
} slot;

static uint64_t fnv(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

/* Counts the words of lines into a table of `cap` slots; returns distinct words. */
static long plain_count(char **lines, int n, slot *table, size_t cap, long *words) {
    memset(table, 0, cap * sizeof *table);
    long distinct = 0;
    *words = 0;
    for (int i = 0; i < n; i++) {
        const char *s = lines[i];
        size_t len = strlen(s), start = 0, end = len;
        /* Java's split drops trailing empty pieces */
        while (end > 0 && s[end - 1] == ' ') end--;
        for (size_t k = 0; k <= end; k++) {
            if (k < end && s[k] != ' ') continue;
            size_t wl = k - start;
            const char *w = s + start;
            size_t h = (size_t)fnv(w, wl) & (cap - 1);
            while (table[h].word && !(table[h].len == wl && memcmp(table[h].word, w, wl) == 0)) h = (h + 1) & (cap - 1);
            if (!table[h].word) {
                table[h].word = w;
                table[h].len = wl;
                distinct++;
            }
            table[h].count++;
            (*words)++;
            start = k + 1;
        }
    }
    return distinct;
}

static char **load_lines(const char *path, int *nlines) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    char **file = NULL;
    int n = 0, cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) >= 0) {
        if (len && line[len - 1] == '\n') line[--len] = '\0';
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            file = realloc(file, (size_t)cap * sizeof *file);
        }
        file[n++] = strdup(line);
    }
    free(line);
    fclose(f);
    /* the scenarios loop the file: line k is file[k mod n] */
    char **lines = malloc(LINES * sizeof *lines);
    for (int k = 0; k < LINES; k++) lines[k] = file[k % n];
    *nlines = n;
    free(file); /* the strings stay, owned through lines */
    return lines;
}

/* ---- the engine ----------------------------------------------------------------------- */

static double time_run(const char *dir, const char *name) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    sim_run_opts o = {.scenario_path = path, .quiet = 1};
    FILE *saved = stdout;
    (void)saved;
    fflush(stdout);
    /* the run prints its digest; keep the table readable */
    int devnull = dup(1);
    if (!freopen("/dev/null", "w", stdout)) return -1;
    double t0 = now_s();
    int code = sim_run(&o);
    double t = now_s() - t0;
    fflush(stdout);
    dup2(devnull, 1);
    close(devnull);
    if (code != 0) {
        fprintf(stderr, "bench-wordcount: %s failed (exit %d)\n", path, code);
        return -1;
    }
    return t;
}

int main(int argc, char **argv) {
    mallopt(M_MMAP_THRESHOLD, 32 << 20); /* as the streamlab command does */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    if (argc != 2) {
        fprintf(stderr, "usage: bench-wordcount DIR\n");
        return 2;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/fortunes", argv[1]);
    int file_lines;
    char **lines = load_lines(path, &file_lines);
    if (!lines) {
        fprintf(stderr, "bench-wordcount: cannot read %s\n", path);
        return 2;
    }
    size_t cap = 1 << 16;
    slot *table = malloc(cap * sizeof *table);
    double t[9];
    long words = 0, distinct = 0;
    for (int r = 0; r < 9; r++) {
        double t0 = now_s();
        distinct = plain_count(lines, LINES, table, cap, &words);
        t[r] = now_s() - t0;
    }
    double plain = median(t, 9);
    double eng[2];
    const char *names[2] = {"wordcount_builtin.lua", "wordcount_lua.lua"};
    for (int s = 0; s < 2; s++) {
        double v[5];
        for (int r = 0; r < 5; r++)
            if ((v[r] = time_run(argv[1], names[s])) < 0) return 1;
        eng[s] = median(v, 5);
    }
    double hour = time_run(argv[1], "hour.lua");
    if (hour < 0) return 1;
    printf("word count: %d lines (%d-line fortunes file, looped), %ld words, %ld distinct\n", LINES, file_lines, words,
           distinct);
    printf("%-44s %12s %14s %10s\n", "", "wall (median)", "words/s", "vs plain C");
    printf("%-44s %10.1f ms %12.2fM %10s\n", "plain C hash-table count", plain * 1e3, words / plain / 1e6, "1");
    printf("%-44s %10.1f ms %12.2fM %9.2fx\n", "streamlab, built-in functions (whole run)", eng[0] * 1e3,
           words / eng[0] / 1e6, plain / eng[0]);
    printf("%-44s %10.1f ms %12.2fM %9.2fx\n", "streamlab, Lua functions (whole run)", eng[1] * 1e3, words / eng[1] / 1e6,
           plain / eng[1]);
    printf("(ratio = plain time / streamlab time; the target for built-ins is at least 0.33x)\n");
    printf("one hour at 1000 records/s: %.2f s wall, %.0f simulated seconds per wall second\n", hour, 3600.0 / hour);
    free(table);
    return 0;
}
