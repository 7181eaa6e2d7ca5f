/* sim/queue.h — the event queue of the simulation kernel.
 *
 * A bounded priority queue of events ordered by (time_us, insertion sequence):
 * two events at the same simulated time come out in the order they were
 * pushed, on every run, with every compiler. The sequence is assigned by the
 * queue, never taken from an address.
 *
 * Implementation: an implicit 4-ary min-heap of 24-byte keys (time, sequence,
 * slot), with payloads kept apart in a slot array and a free list, so sifting
 * moves small keys only and fills holes instead of swapping. 4-ary halves the
 * heap's depth against a binary heap at the cost of more comparisons per
 * level, which the cache rewards (make bench measures the ratio).
 */
#ifndef SIM_QUEUE_H
#define SIM_QUEUE_H

#include <stddef.h>
#include <stdint.h>

/* What an event carries. Interpreted by sim/world.c; opaque to the queue. */
typedef struct sim_event {
    uint32_t kind;   /* SIM_EVENT_* of the world */
    uint32_t node;   /* target node, or 0 */
    uint32_t epoch;  /* node incarnation the event belongs to */
    uint32_t tag;    /* timer tag or message kind */
    uint64_t arg;    /* timer argument or message id */
    void *data;      /* owned payload (message bytes), or NULL */
    size_t len;
} sim_event;

typedef struct sim_queue_key {
    int64_t time_us;
    uint64_t seq;
    uint32_t slot;
} sim_queue_key;

typedef struct sim_queue {
    sim_queue_key *heap; /* heap[0 .. count) */
    sim_event *slots;    /* payload by slot */
    uint32_t *free_slots;
    size_t count, capacity, free_count;
    size_t allocated; /* room held now: grows by doubling up to capacity */
    uint64_t next_seq;
} sim_queue;

/* Bounds the queue at `capacity` pending events (>= 1); room is allocated
 * as the queue grows. Returns 0, or -1 when out of memory. */
int sim_queue_init(sim_queue *q, size_t capacity);
/* Frees the queue's arrays. Payloads still pending are the caller's to free
 * first (see sim_queue_pop). */
void sim_queue_fini(sim_queue *q);

/* Pushes ev at time_us. Returns its sequence number, or UINT64_MAX when the
 * queue is full (nothing pushed). */
uint64_t sim_queue_push(sim_queue *q, int64_t time_us, const sim_event *ev);

/* Pops the earliest event into *ev, its time into *time_us and its sequence
 * number into *seq (seq may be NULL). Returns 1, or 0 when empty. */
int sim_queue_pop(sim_queue *q, int64_t *time_us, sim_event *ev, uint64_t *seq);

/* Time of the earliest event; the queue must not be empty. */
int64_t sim_queue_peek_time(const sim_queue *q);

static inline size_t sim_queue_size(const sim_queue *q) { return q->count; }

#endif
