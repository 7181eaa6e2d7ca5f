/* sim/queue.c — see queue.h. */
#include "queue.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define ARITY 4

static inline int key_less(const sim_queue_key *a, const sim_queue_key *b) {
    return a->time_us < b->time_us || (a->time_us == b->time_us && a->seq < b->seq);
}

/* Grows the room to n events (n <= capacity). The new slots join the free
 * list below the old ones, so slots are still handed out lowest first. */
static int grow_to(sim_queue *q, size_t n) {
    sim_queue_key *heap = realloc(q->heap, n * sizeof *heap);
    if (heap) q->heap = heap;
    sim_event *slots = realloc(q->slots, n * sizeof *slots);
    if (slots) q->slots = slots;
    uint32_t *free_slots = realloc(q->free_slots, n * sizeof *free_slots);
    if (free_slots) q->free_slots = free_slots;
    if (!heap || !slots || !free_slots) return -1;
    size_t added = n - q->allocated;
    memmove(q->free_slots + added, q->free_slots, q->free_count * sizeof *q->free_slots);
    for (size_t i = 0; i < added; i++) q->free_slots[i] = (uint32_t)(n - 1 - i);
    q->free_count += added;
    q->allocated = n;
    return 0;
}

int sim_queue_init(sim_queue *q, size_t capacity) {
    assert(capacity >= 1 && capacity < UINT32_MAX);
    *q = (sim_queue){0};
    q->capacity = capacity;
    if (grow_to(q, capacity < 1024 ? capacity : 1024)) {
        sim_queue_fini(q);
        return -1;
    }
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
    if (q->count == q->allocated) {
        size_t n = q->allocated * 2 < q->capacity ? q->allocated * 2 : q->capacity;
        if (grow_to(q, n)) return UINT64_MAX;
    }
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
