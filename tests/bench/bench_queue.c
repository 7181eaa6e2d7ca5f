/* tests/bench/bench_queue.c — event-queue throughput: streamlab's sim_queue
 * (implicit 4-ary heap of small keys, payloads in a slot array) against a
 * textbook binary heap of whole events, measured in the same run on the same
 * operation sequence.
 *
 * Workload, per pending count N: the hold model. Prefill N events at random
 * times, then M = max(2e6, 4N) hold operations, each popping the earliest
 * event and pushing one new event at (popped time + random increment), so the
 * queue stays at N pending. Prefill times and increments are exponential
 * (mean 1 s, truncated to whole microseconds, so equal times happen and the
 * (time, sequence) tie-break is exercised), drawn from sim_rng with a fixed
 * seed and precomputed, so drawing them is not measured. Only the M hold
 * operations are timed (CLOCK_MONOTONIC: a benchmark, never the simulator).
 *
 * Each measurement is repeated 5 times, the two queues alternating, and the
 * median is reported. Both queues fold every popped (time, sequence, payload)
 * into an order-sensitive checksum, hold phase and final drain, and the
 * checksums must agree on every repetition: the exit status is 1 if not.
 *
 * Fairness: the sim_queue calls go into libstreamlab.a (not inlined, as in the
 * simulator); the textbook heap's push and pop are kept out of line too, so
 * both sides pay one call per operation. Both carry the same 40-byte
 * sim_event payload and are sized for N + 1 events up front.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../sim/queue.h"
#include "../../sim/rng.h"

#if defined(__GNUC__) || defined(__clang__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

#define REPEATS 5
#define SEED 20240611u
#define MEAN_US 1000000.0 /* mean of prefill times and increments: 1 s */

/* ---- the textbook binary heap ------------------------------------------------------
 * 0-based array of whole entries, children of i at 2i+1 and 2i+2, sift-up and
 * sift-down by swapping, ordered by (time, seq); seq assigned at push from 0,
 * as sim_queue does. */

typedef struct tb_entry {
    int64_t time;
    uint64_t seq;
    sim_event ev;
} tb_entry;

typedef struct tb_heap {
    tb_entry *a;
    size_t n, cap;
    uint64_t next_seq;
} tb_heap;

static int tb_init(tb_heap *h, size_t cap) {
    h->a = malloc(cap * sizeof *h->a);
    h->n = 0;
    h->cap = cap;
    h->next_seq = 0;
    return h->a ? 0 : -1;
}

static void tb_fini(tb_heap *h) {
    free(h->a);
    h->a = NULL;
}

static inline int tb_less(const tb_entry *x, const tb_entry *y) {
    return x->time < y->time || (x->time == y->time && x->seq < y->seq);
}

static inline void tb_swap(tb_entry *x, tb_entry *y) {
    tb_entry t = *x;
    *x = *y;
    *y = t;
}

static NOINLINE int tb_push(tb_heap *h, int64_t time, const sim_event *ev) {
    if (h->n == h->cap) return -1;
    size_t i = h->n++;
    h->a[i].time = time;
    h->a[i].seq = h->next_seq++;
    h->a[i].ev = *ev;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!tb_less(&h->a[i], &h->a[p])) break;
        tb_swap(&h->a[i], &h->a[p]);
        i = p;
    }
    return 0;
}

static NOINLINE int tb_pop(tb_heap *h, int64_t *time, sim_event *ev, uint64_t *seq) {
    if (h->n == 0) return 0;
    *time = h->a[0].time;
    *seq = h->a[0].seq;
    *ev = h->a[0].ev;
    h->a[0] = h->a[--h->n];
    size_t n = h->n, i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && tb_less(&h->a[l], &h->a[m])) m = l;
        if (r < n && tb_less(&h->a[r], &h->a[m])) m = r;
        if (m == i) break;
        tb_swap(&h->a[i], &h->a[m]);
        i = m;
    }
    return 1;
}

/* ---- shared workload ---------------------------------------------------------------- */

typedef struct workload {
    size_t n, m;
    int64_t *prefill; /* n prefill times */
    int64_t *inc;     /* m increments */
} workload;

static int64_t draw_exp_us(sim_rng *r) {
    double u = sim_rng_double(r); /* [0, 1) */
    return (int64_t)(-log1p(-u) * MEAN_US);
}

static int workload_make(workload *w, size_t n) {
    w->n = n;
    w->m = 4 * n > 2000000 ? 4 * n : 2000000;
    w->prefill = malloc(n * sizeof *w->prefill);
    w->inc = malloc(w->m * sizeof *w->inc);
    if (!w->prefill || !w->inc) return -1;
    sim_rng r;
    sim_rng_init(&r, SEED, "bench.queue.hold");
    for (size_t i = 0; i < n; i++) w->prefill[i] = draw_exp_us(&r);
    for (size_t i = 0; i < w->m; i++) w->inc[i] = draw_exp_us(&r);
    return 0;
}

static void workload_free(workload *w) {
    free(w->prefill);
    free(w->inc);
}

/* Order-sensitive fold of one popped event. */
static inline uint64_t fold(uint64_t h, int64_t time, uint64_t seq, uint64_t arg) {
    h = (h ^ (uint64_t)time) * 0x100000001b3ULL;
    h = (h ^ seq) * 0x100000001b3ULL;
    h = (h ^ arg) * 0x100000001b3ULL;
    return h ^ (h >> 29);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The payload of the k-th pushed event: arg = k, so the checksum also proves
 * payloads travel with their keys. */
static inline sim_event payload(uint64_t k) {
    sim_event ev = {0};
    ev.kind = 1;
    ev.arg = k;
    return ev;
}

/* One measurement: hold-phase pairs per second; *sum gets the checksum. */
static double run_streamlab(const workload *w, uint64_t *sum) {
    sim_queue q;
    if (sim_queue_init(&q, w->n + 1) != 0) {
        fprintf(stderr, "bench-queue: out of memory\n");
        exit(2);
    }
    uint64_t k = 0, h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < w->n; i++) {
        sim_event ev = payload(k++);
        if (sim_queue_push(&q, w->prefill[i], &ev) == UINT64_MAX) goto full;
    }
    double t0 = now_s();
    for (size_t i = 0; i < w->m; i++) {
        int64_t t;
        uint64_t seq;
        sim_event ev;
        sim_queue_pop(&q, &t, &ev, &seq);
        h = fold(h, t, seq, ev.arg);
        ev = payload(k++);
        if (sim_queue_push(&q, t + w->inc[i], &ev) == UINT64_MAX) goto full;
    }
    double t1 = now_s();
    {
        int64_t t;
        uint64_t seq;
        sim_event ev;
        while (sim_queue_pop(&q, &t, &ev, &seq)) h = fold(h, t, seq, ev.arg);
    }
    sim_queue_fini(&q);
    *sum = h;
    return (double)w->m / (t1 - t0);
full:
    fprintf(stderr, "bench-queue: sim_queue full at N = %zu\n", w->n);
    exit(1);
}

static double run_textbook(const workload *w, uint64_t *sum) {
    tb_heap q;
    if (tb_init(&q, w->n + 1) != 0) {
        fprintf(stderr, "bench-queue: out of memory\n");
        exit(2);
    }
    uint64_t k = 0, h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < w->n; i++) {
        sim_event ev = payload(k++);
        if (tb_push(&q, w->prefill[i], &ev) != 0) goto full;
    }
    double t0 = now_s();
    for (size_t i = 0; i < w->m; i++) {
        int64_t t;
        uint64_t seq;
        sim_event ev;
        tb_pop(&q, &t, &ev, &seq);
        h = fold(h, t, seq, ev.arg);
        ev = payload(k++);
        if (tb_push(&q, t + w->inc[i], &ev) != 0) goto full;
    }
    double t1 = now_s();
    {
        int64_t t;
        uint64_t seq;
        sim_event ev;
        while (tb_pop(&q, &t, &ev, &seq)) h = fold(h, t, seq, ev.arg);
    }
    tb_fini(&q);
    *sum = h;
    return (double)w->m / (t1 - t0);
full:
    fprintf(stderr, "bench-queue: textbook heap full at N = %zu\n", w->n);
    exit(1);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n) {
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(void) {
    static const size_t sizes[] = {1000, 100000, 1000000};
    int ok = 1;

    printf("event queue: hold model, push+pop pairs per second (median of %d)\n", REPEATS);
    printf("%-12s%-24s%-24s%s\n", "pending", "streamlab 4-ary heap", "textbook binary heap", "ratio");
    fflush(stdout);

    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        workload w;
        if (workload_make(&w, sizes[s]) != 0) {
            fprintf(stderr, "bench-queue: out of memory\n");
            return 2;
        }
        double a[REPEATS], b[REPEATS];
        uint64_t ref = 0;
        for (int r = 0; r < REPEATS; r++) {
            uint64_t sa, sb;
            /* Alternate which queue goes first, so drift hits both alike. */
            if (r % 2 == 0) {
                a[r] = run_streamlab(&w, &sa);
                b[r] = run_textbook(&w, &sb);
            } else {
                b[r] = run_textbook(&w, &sb);
                a[r] = run_streamlab(&w, &sa);
            }
            if (r == 0) ref = sa;
            if (sa != sb || sa != ref) {
                fprintf(stderr,
                        "bench-queue: N = %zu, repetition %d: pop sequences differ "
                        "(streamlab %016llx, textbook %016llx, first %016llx)\n",
                        w.n, r + 1, (unsigned long long)sa, (unsigned long long)sb, (unsigned long long)ref);
                ok = 0;
            }
        }
        double ma = median(a, REPEATS), mb = median(b, REPEATS);
        char ca[32], cb[32];
        snprintf(ca, sizeof ca, "%.1fM/s", ma / 1e6);
        snprintf(cb, sizeof cb, "%.1fM/s", mb / 1e6);
        printf("%-12zu%-24s%-24s%.2fx\n", w.n, ca, cb, ma / mb);
        fflush(stdout);
        workload_free(&w);
    }
    printf("(M = max(2e6, 4N) pop+push pairs per measurement, exponential increments of mean 1 s; "
           "ratio = streamlab / textbook, above 1 means streamlab is faster; pop sequences %s)\n",
           ok ? "identical" : "DIFFER");
    if (!ok) {
        fprintf(stderr, "bench-queue: FAILED: the two queues popped different sequences\n");
        return 1;
    }
    return 0;
}
