/* tests/unit/test_queue.c — the kernel's event queue: (time, insertion) order, bound, sequences. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../sim/queue.h"
#include "../../sim/rng.h"

static sim_event ev_with_arg(uint64_t arg) { return (sim_event){.kind = 1, .node = 2, .tag = 3, .arg = arg}; }

Test(queue, pops_in_time_order) {
    sim_queue q;
    cr_assert_eq(sim_queue_init(&q, 16), 0);
    const int64_t times[] = {50, 10, 40, 30, 20, 60, 5};
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        sim_event ev = ev_with_arg((uint64_t)times[i]);
        cr_assert_neq(sim_queue_push(&q, times[i], &ev), UINT64_MAX);
    }
    cr_assert_eq(sim_queue_size(&q), 7);
    cr_assert_eq(sim_queue_peek_time(&q), 5);
    const int64_t expect[] = {5, 10, 20, 30, 40, 50, 60};
    for (size_t i = 0; i < 7; i++) {
        int64_t t;
        sim_event ev;
        cr_assert_eq(sim_queue_pop(&q, &t, &ev, NULL), 1);
        cr_assert_eq(t, expect[i]);
        cr_assert_eq(ev.arg, (uint64_t)expect[i], "payload travels with its key");
        cr_assert_eq(ev.kind, 1);
        cr_assert_eq(ev.node, 2);
        cr_assert_eq(ev.tag, 3);
    }
    cr_assert_eq(sim_queue_size(&q), 0);
    sim_queue_fini(&q);
}

Test(queue, ties_pop_in_insertion_order) {
    sim_queue q;
    cr_assert_eq(sim_queue_init(&q, 64), 0);
    /* 40 events at the same time, interleaved with earlier and later ones, so
     * the heap must reorder around the ties. */
    for (uint64_t i = 0; i < 40; i++) {
        sim_event ev = ev_with_arg(i);
        cr_assert_neq(sim_queue_push(&q, 100, &ev), UINT64_MAX);
        if (i % 10 == 0) {
            sim_event e2 = ev_with_arg(1000 + i);
            cr_assert_neq(sim_queue_push(&q, (i / 10) % 2 ? 200 : 1, &e2), UINT64_MAX);
        }
    }
    int64_t t;
    sim_event ev;
    /* time 1: args 1000 and 1020, in push order */
    cr_assert_eq(sim_queue_pop(&q, &t, &ev, NULL), 1);
    cr_assert_eq(t, 1);
    cr_assert_eq(ev.arg, 1000);
    cr_assert_eq(sim_queue_pop(&q, &t, &ev, NULL), 1);
    cr_assert_eq(t, 1);
    cr_assert_eq(ev.arg, 1020);
    for (uint64_t i = 0; i < 40; i++) {
        cr_assert_eq(sim_queue_pop(&q, &t, &ev, NULL), 1);
        cr_assert_eq(t, 100);
        cr_assert_eq(ev.arg, i, "tie at t=100: expected arg %llu, got %llu", (unsigned long long)i,
                     (unsigned long long)ev.arg);
    }
    cr_assert_eq(sim_queue_pop(&q, &t, &ev, NULL), 1);
    cr_assert_eq(t, 200);
    cr_assert_eq(ev.arg, 1010);
    cr_assert_eq(sim_queue_pop(&q, &t, &ev, NULL), 1);
    cr_assert_eq(t, 200);
    cr_assert_eq(ev.arg, 1030);
    cr_assert_eq(sim_queue_pop(&q, &t, &ev, NULL), 0);
    sim_queue_fini(&q);
}

Test(queue, push_on_full_queue_fails_and_changes_nothing) {
    sim_queue q;
    cr_assert_eq(sim_queue_init(&q, 3), 0);
    sim_event a = ev_with_arg(1), b = ev_with_arg(2), c = ev_with_arg(3), d = ev_with_arg(4);
    cr_assert_eq(sim_queue_push(&q, 30, &a), 0);
    cr_assert_eq(sim_queue_push(&q, 10, &b), 1);
    cr_assert_eq(sim_queue_push(&q, 20, &c), 2);
    cr_assert_eq(sim_queue_size(&q), 3);
    /* full: an earlier event must not displace anything */
    cr_assert_eq(sim_queue_push(&q, 5, &d), UINT64_MAX);
    cr_assert_eq(sim_queue_size(&q), 3);
    cr_assert_eq(sim_queue_peek_time(&q), 10);

    int64_t t;
    sim_event ev;
    uint64_t seq;
    cr_assert_eq(sim_queue_pop(&q, &t, &ev, &seq), 1);
    cr_assert_eq(t, 10);
    cr_assert_eq(ev.arg, 2);
    cr_assert_eq(seq, 1);
    /* the failed push consumed no sequence number */
    cr_assert_eq(sim_queue_push(&q, 15, &d), 3);
    cr_assert_eq(sim_queue_push(&q, 1, &d), UINT64_MAX);
    cr_assert_eq(sim_queue_pop(&q, &t, &ev, &seq), 1);
    cr_assert_eq(t, 15);
    cr_assert_eq(ev.arg, 4);
    cr_assert_eq(seq, 3);
    cr_assert_eq(sim_queue_pop(&q, &t, &ev, &seq), 1);
    cr_assert_eq(t, 20);
    cr_assert_eq(seq, 2);
    cr_assert_eq(sim_queue_pop(&q, &t, &ev, &seq), 1);
    cr_assert_eq(t, 30);
    cr_assert_eq(seq, 0);
    cr_assert_eq(sim_queue_size(&q), 0);
    sim_queue_fini(&q);
}

Test(queue, capacity_one_queue_refills_after_pop) {
    sim_queue q;
    cr_assert_eq(sim_queue_init(&q, 1), 0);
    sim_event a = ev_with_arg(7);
    for (uint64_t i = 0; i < 5; i++) {
        cr_assert_eq(sim_queue_push(&q, (int64_t)i, &a), i);
        cr_assert_eq(sim_queue_push(&q, 0, &a), UINT64_MAX);
        int64_t t;
        sim_event ev;
        uint64_t seq;
        cr_assert_eq(sim_queue_pop(&q, &t, &ev, &seq), 1);
        cr_assert_eq(t, (int64_t)i);
        cr_assert_eq(seq, i);
    }
    sim_queue_fini(&q);
}

Test(queue, pop_on_empty_returns_zero_and_leaves_outputs) {
    sim_queue q;
    cr_assert_eq(sim_queue_init(&q, 4), 0);
    int64_t t = -77;
    sim_event ev = ev_with_arg(99);
    uint64_t seq = 12345;
    cr_assert_eq(sim_queue_pop(&q, &t, &ev, &seq), 0);
    cr_assert_eq(t, -77);
    cr_assert_eq(ev.arg, 99);
    cr_assert_eq(seq, 12345);
    /* and again after the queue was used and drained */
    sim_event a = ev_with_arg(1);
    cr_assert_eq(sim_queue_push(&q, 3, &a), 0);
    cr_assert_eq(sim_queue_pop(&q, &t, &ev, NULL), 1);
    cr_assert_eq(sim_queue_pop(&q, &t, &ev, NULL), 0);
    cr_assert_eq(sim_queue_size(&q), 0);
    sim_queue_fini(&q);
}

Test(queue, push_returns_the_sequence_pop_gives_back) {
    sim_queue q;
    cr_assert_eq(sim_queue_init(&q, 32), 0);
    uint64_t seq_of_arg[20];
    for (uint64_t i = 0; i < 20; i++) {
        sim_event ev = ev_with_arg(i);
        /* times descending in pairs: pop order differs from push order */
        seq_of_arg[i] = sim_queue_push(&q, (int64_t)(100 - (i / 2) * 5), &ev);
        cr_assert_eq(seq_of_arg[i], i, "sequences count up from 0");
    }
    for (int k = 0; k < 20; k++) {
        int64_t t;
        sim_event ev;
        uint64_t seq = UINT64_MAX;
        cr_assert_eq(sim_queue_pop(&q, &t, &ev, &seq), 1);
        cr_assert_lt(ev.arg, 20);
        cr_assert_eq(seq, seq_of_arg[ev.arg]);
    }
    sim_queue_fini(&q);
}

/* ---- randomized interleaving against a reference ---------------------------------- */

typedef struct ref_item {
    int64_t t;
    uint64_t seq;
    uint64_t arg;
} ref_item;

static int ref_cmp(const void *a, const void *b) {
    const ref_item *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    if (x->seq != y->seq) return x->seq < y->seq ? -1 : 1;
    return 0;
}

Test(queue, random_interleaving_matches_sorted_reference) {
    enum { CAP = 300, STEPS = 20000 };
    sim_queue q;
    cr_assert_eq(sim_queue_init(&q, CAP), 0);
    ref_item *ref = malloc(CAP * sizeof *ref);
    cr_assert_not_null(ref);
    size_t ref_n = 0;
    sim_rng rng;
    sim_rng_init(&rng, 20240611, "test-queue");
    uint64_t expect_seq = 0;
    uint64_t pops = 0, fulls = 0, empties = 0;
    int64_t now = 0; /* like the kernel: pushes at or after the last popped time */
    for (int step = 0; step < STEPS; step++) {
        /* push-biased phases then pop-biased phases, so the queue fills and drains */
        int push_bias = (step / 2000) % 2 == 0 ? 6 : 3;
        if (sim_rng_below(&rng, 10) < (uint64_t)push_bias) {
            /* few distinct times: many ties */
            int64_t t = now + (int64_t)sim_rng_below(&rng, 8);
            sim_event ev = ev_with_arg((uint64_t)step);
            uint64_t seq = sim_queue_push(&q, t, &ev);
            if (ref_n == CAP) {
                cr_assert_eq(seq, UINT64_MAX);
                fulls++;
            } else {
                cr_assert_eq(seq, expect_seq);
                expect_seq++;
                ref[ref_n++] = (ref_item){t, seq, (uint64_t)step};
                qsort(ref, ref_n, sizeof *ref, ref_cmp);
            }
        } else {
            int64_t t;
            sim_event ev;
            uint64_t seq;
            int got = sim_queue_pop(&q, &t, &ev, &seq);
            if (ref_n == 0) {
                cr_assert_eq(got, 0);
                empties++;
            } else {
                cr_assert_eq(got, 1);
                cr_assert_eq(t, ref[0].t, "step %d: time", step);
                cr_assert_eq(seq, ref[0].seq, "step %d: seq", step);
                cr_assert_eq(ev.arg, ref[0].arg, "step %d: payload", step);
                memmove(ref, ref + 1, (ref_n - 1) * sizeof *ref);
                ref_n--;
                now = t;
                pops++;
            }
        }
        cr_assert_eq(sim_queue_size(&q), ref_n);
        if (ref_n) cr_assert_eq(sim_queue_peek_time(&q), ref[0].t);
    }
    /* the run exercised every path */
    cr_assert_gt(pops, 1000);
    cr_assert_gt(fulls, 0);
    cr_assert_gt(empties, 0);
    /* drain */
    while (ref_n) {
        int64_t t;
        sim_event ev;
        uint64_t seq;
        cr_assert_eq(sim_queue_pop(&q, &t, &ev, &seq), 1);
        cr_assert_eq(t, ref[0].t);
        cr_assert_eq(seq, ref[0].seq);
        memmove(ref, ref + 1, (ref_n - 1) * sizeof *ref);
        ref_n--;
    }
    free(ref);
    sim_queue_fini(&q);
}
