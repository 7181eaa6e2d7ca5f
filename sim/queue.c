/* sim/queue.c — see queue.h. */
#include "queue.h"

#include <assert.h>
#include <stdlib.h>

#define ARITY 4

static inline int key_less(const sim_queue_key *a, const sim_queue_key *b) {
    return a->time_us < b->time_us || (a->time_us == b->time_us && a->seq < b->seq);
}

int sim_queue_init(sim_queue *q, size_t capacity) {
    assert(capacity >= 1 && capacity < UINT32_MAX);
    *q = (sim_queue){0};
    q->heap = malloc(capacity * sizeof *q->heap);
    q->slots = malloc(capacity * sizeof *q->slots);
    q->free_slots = malloc(capacity * sizeof *q->free_slots);
    if (!q->heap || !q->slots || !q->free_slots) {
        sim_queue_fini(q);
        return -1;
    }
    q->capacity = capacity;
    /* Free list handed out lowest slot first. */
    for (size_t i = 0; i < capacity; i++) q->free_slots[i] = (uint32_t)(capacity - 1 - i);
    q->free_count = capacity;
    return 0;
}

void sim_queue_fini(sim_queue *q) {
    free(q->heap);
    free(q->slots);
    free(q->free_slots);
    *q = (sim_queue){0};
}

uint64_t sim_queue_push(sim_queue *q, int64_t time_us, const sim_event *ev) {
    if (q->count == q->capacity) return UINT64_MAX;
    assert(q->free_count > 0);
    uint32_t slot = q->free_slots[--q->free_count];
    q->slots[slot] = *ev;
    sim_queue_key key = {time_us, q->next_seq++, slot};
    /* Sift up: move parents down into the hole until key fits. */
    size_t i = q->count++;
    while (i > 0) {
        size_t parent = (i - 1) / ARITY;
        if (!key_less(&key, &q->heap[parent])) break;
        q->heap[i] = q->heap[parent];
        i = parent;
    }
    q->heap[i] = key;
    return key.seq;
}

int sim_queue_pop(sim_queue *q, int64_t *time_us, sim_event *ev, uint64_t *seq) {
    if (q->count == 0) return 0;
    sim_queue_key top = q->heap[0];
    *time_us = top.time_us;
    if (seq) *seq = top.seq;
    *ev = q->slots[top.slot];
    q->free_slots[q->free_count++] = top.slot;
    sim_queue_key last = q->heap[--q->count];
    size_t n = q->count;
    if (n == 0) return 1;
    /* Sift down the last key from the root: move the smallest child up. */
    size_t i = 0;
    for (;;) {
        size_t first = i * ARITY + 1;
        if (first >= n) break;
        size_t best = first;
        size_t end = first + ARITY < n ? first + ARITY : n;
        for (size_t c = first + 1; c < end; c++)
            if (key_less(&q->heap[c], &q->heap[best])) best = c;
        if (!key_less(&q->heap[best], &last)) break;
        q->heap[i] = q->heap[best];
        i = best;
    }
    q->heap[i] = last;
    return 1;
}

int64_t sim_queue_peek_time(const sim_queue *q) {
    assert(q->count > 0);
    return q->heap[0].time_us;
}
