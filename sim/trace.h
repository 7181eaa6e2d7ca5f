/* sim/trace.h — the trace recorder: an in-memory store of typed events, an
 * optional JSON Lines writer, and the run's 64-bit digest.
 *
 * Events are the rows of engine/trace_events.h. The store keeps them in order
 * of emission (which is simulated-time order: the kernel never goes back), so
 * the visualiser can fold them at any cursor. The digest is XXH3-64 over a
 * canonical binary encoding of every event, independent of the JSON text:
 *   t_us (i64) type (u32) node (u32) arg0..arg3 (i64 each) text_len (u32) text
 * with every integer little-endian, and text_len = 0xFFFFFFFF for an event
 * without text (so no text and "" differ). Same scenario + seed => same
 * digest.
 */
#ifndef SIM_TRACE_H
#define SIM_TRACE_H

#include <stdint.h>
#include <stdio.h>

#include <xxhash.h>

#include "../engine/trace_events.h"

typedef struct sim_trace_rec {
    int64_t t_us;
    uint32_t type; /* eng_trace_type */
    uint32_t node;
    int64_t arg[4];
    uint32_t text; /* 1 + offset into the text arena; 0 = no text (the arena is < 4 GiB) */
    uint32_t text_len;
} sim_trace_rec;

typedef struct sim_trace {
    sim_trace_rec *events;
    size_t count, capacity, max_events;
    char *text;
    size_t text_len, text_cap;
    XXH3_state_t *digest;
    FILE *jsonl; /* borrowed; NULL = no file */
    int jsonl_error;
    uint64_t counts[ENG_EV_COUNT_];
    int record_arrivals; /* keep per-record events (--trace-records) */
    int overflow;        /* set when max_events was reached: later events are refused */
    /* Called after each event is stored (e.g. the console's live view). */
    void (*observer)(void *ud, const struct sim_trace *t, const sim_trace_rec *r);
    void *observer_ud;
} sim_trace;

#define SIM_TRACE_DEFAULT_MAX_EVENTS 20000000u

/* max_events bounds the store (0 = the default). Returns 0, or -1 when out of memory. */
int sim_trace_init(sim_trace *t, size_t max_events);
void sim_trace_fini(sim_trace *t);

/* Mirrors every event appended from now on to `f` as one JSON object per
 * line, after a header line {"trace":"streamlab","schema_version":N}. */
void sim_trace_write_to(sim_trace *t, FILE *f);

/* Appends one event at t_us. Returns 0; -1 if the store is full (t->overflow
 * set; the caller stops the run with an error). Per-record events are
 * dropped silently unless record_arrivals is set. */
int sim_trace_append(sim_trace *t, int64_t t_us, const eng_trace_event *ev);

uint64_t sim_trace_digest(const sim_trace *t);

/* Text of event i, or NULL. */
const char *sim_trace_text(const sim_trace *t, const sim_trace_rec *r);

/* Names from engine/trace_events.h: the event's JSON name, the name of its
 * argument i (NULL if unused), and the type for a name (-1 if unknown). */
const char *sim_trace_type_name(uint32_t type);
const char *sim_trace_arg_name(uint32_t type, int i);
int sim_trace_type_from_name(const char *name);

/* Writes event r as one JSON line (with '\n') to f. Returns 0, or -1 on a write error. */
int sim_trace_write_json(const sim_trace *t, const sim_trace_rec *r, FILE *f);

#endif
