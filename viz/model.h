/* viz/model.h — what the player knows about a trace: a static index built
 * once from the whole trace (batches, durable writes, event time, outputs,
 * the frame list), and the live display state (nodes, cores, tasks, blocks,
 * receivers) folded from the events up to a cursor, with keyframes so that a
 * jump anywhere folds at most VIZ_KEYFRAME_EVERY frames.
 *
 * One frame is one trace event, except the chatty ones that a class does not
 * step through (per-record arrivals, network messages, heartbeats, driver
 * memory samples, a window's slide after its window_computed): those are folded into the frame before them (a message
 * sent with a block is in flight on the frame that stores the block), but
 * for message deliveries and drops, which go with the frame after them.
 *
 * The viz reads only the trace: nothing here calls the engine. */
#ifndef VIZ_MODEL_H
#define VIZ_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "../sim/trace.h"

#define VIZ_NODES_MAX 17 /* trace node ids 0..16: the world, the driver, 15 workers */
#define VIZ_CORES_MAX 8  /* cores drawn per worker */
#define VIZ_RECEIVERS_MAX 4
#define VIZ_PENDING_MAX 16 /* blocks of the current batch interval drawn per worker */
#define VIZ_MESSAGES_MAX 24 /* messages in flight drawn at once (the oldest go first) */
#define VIZ_KEYFRAME_EVERY 256
#define VIZ_NONE UINT32_MAX

/* A task attempt on a core. Field order keeps the struct free of padding,
 * so the live state hashes byte for byte. */
typedef struct viz_task {
    int64_t batch_time_us; /* -1: unknown */
    int64_t start_us;
    int32_t stage, partition, attempt;
    uint8_t active, speculative, pad_[2];
} viz_task;

typedef struct viz_block {
    int64_t block;
    int32_t stream;
    uint8_t replica, lost, pad_[2];
} viz_block;

typedef struct viz_node {
    int64_t since_us; /* time of the last node_up / node_down */
    int64_t slow_until_us; /* a straggler until then (a slow fault), else 0 */
    viz_task core[VIZ_CORES_MAX];
    viz_block pending[VIZ_PENDING_MAX]; /* blocks since the last batch was generated (newest last) */
    int32_t receiver_stream[VIZ_RECEIVERS_MAX];
    int32_t incarnation, cores, down_cause;
    int32_t npending, nreceivers;
    int32_t blocks, replicas; /* held since the node came up */
    int32_t tasks_done, tasks_failed; /* failed: errors, lost executors, fetch failures */
    int32_t tasks_killed, pad2_;      /* killed: another attempt succeeded (speculation), not a failure */
    uint8_t known, up, crashed, pad_;
} viz_node;

/* A message in flight between two nodes. */
typedef struct viz_message {
    int64_t send_us, deliver_us;
    int32_t src, dst, kind, pad_;
} viz_message;

/* Windowed DStreams: the windows panel draws one row per kind of window
 * (operation, length, slide, incremental or not: streams alike share a row). */
#define VIZ_WINDOW_ROWS 3
#define VIZ_WINDOW_STREAMS 16

/* The latest window of a row: its window_computed and, for an incremental
 * window (an inverse function), its window_slide. Times -1: none. */
typedef struct viz_window {
    int64_t end_us, length_us, slide_us;
    int64_t added_from_us, added_to_us, removed_from_us, removed_to_us;
    uint32_t ev;    /* raw index of the window_computed; VIZ_NONE: no window yet */
    int32_t stream;
} viz_window;

typedef struct viz_window_row {
    char name[40]; /* the operation, window_computed's text */
    int64_t length_us, slide_us;
    int32_t inverse, nstreams;
} viz_window_row;

/* The live state after a frame. Plain data: copied, compared and hashed as bytes. */
typedef struct viz_live {
    int64_t t_us;
    int64_t last_batch_generated_us; /* -1: none yet */
    int64_t last_query_batch;        /* Structured Streaming: the last batch a query logged; -1: none yet */
    int32_t last_query;              /* and its query */
    viz_node node[VIZ_NODES_MAX];
    viz_message msg[VIZ_MESSAGES_MAX]; /* in flight, oldest first */
    int32_t nmsg, pad2_;
    uint32_t event;          /* raw index of the frame's event */
    uint32_t narration;      /* raw index of the latest narration, VIZ_NONE */
    uint32_t fault;          /* raw index of the latest fault_injected, VIZ_NONE */
    uint32_t recovery;       /* raw index of the latest recovery_phase, VIZ_NONE */
    int32_t batches_running; /* started, not done */
    int32_t pad_;
    viz_window win[VIZ_WINDOW_ROWS]; /* per row of the windows panel, its latest window */
} viz_live;

/* One generation of a batch (a batch generated again after a driver restart
 * is a second entry with rerun = 1). Event indices are raw trace indices;
 * VIZ_NONE = never happened. */
typedef struct viz_batch {
    int64_t batch_time_us, gen_us, start_us, done_us;
    int64_t records;
    uint32_t gen_ev, start_ev, done_ev;
    int32_t rerun;
} viz_batch;

/* An event of a static list (durable writes, event time, outputs, failures). */
typedef struct viz_mark {
    int64_t t_us;
    int64_t a, b, c; /* the event's arguments, as the list says */
    uint32_t ev;     /* raw trace index */
    int32_t batch;   /* index into batches, or -1 */
} viz_mark;

/* What the batch timeline's interval line is: the DStream batch interval, a
 * Structured Streaming query's processing-time trigger (read off its offset
 * log times when the trace has no DStream batch), or nothing to draw. */
enum { VIZ_INTERVAL_BATCH, VIZ_INTERVAL_TRIGGER, VIZ_INTERVAL_NONE };

/* Sink marks of Structured Streaming queries are numbered from here, so that
 * DStream output 0 and query 0 stay apart. */
#define VIZ_SS_OUTPUT 1000000

typedef struct viz_list {
    viz_mark *v;
    size_t n, cap;
} viz_list;

/* Durable storage rows, in drawing order. */
enum { VIZ_DUR_METADATA, VIZ_DUR_DATA_CKPT, VIZ_DUR_WAL, VIZ_DUR_OFFSETS, VIZ_DUR_COMMITS, VIZ_DUR_STATE, VIZ_DUR_RECOVERY,
       VIZ_DUR_COUNT_ };

/* Structured Streaming's event-time windows (an aggregation by window()),
 * as the state store holds them: a window opens at the first task that
 * updated keys of it (window_updated) and closes when the watermark passed
 * its end and its keys were evicted (window_evicted). */
#define VIZ_EWIN_QUERIES 16 /* queries whose batches the index follows */
#define VIZ_EWIN_MAX 4       /* queries whose windows it keeps: the first four with windows */

typedef struct viz_ewin {
    int64_t start_us, end_us;   /* event time: [start, end) */
    int64_t open_us, close_us;  /* processing time of its first update and of its eviction; close_us -1: never */
    uint32_t open_ev, close_ev; /* raw indices of those events; close_ev VIZ_NONE: never */
} viz_ewin;

typedef struct viz_ewins {
    viz_ewin *v;      /* the query's windows, in order of first update */
    size_t n, cap;
    viz_list changes; /* each window_updated / window_evicted of the query: a = window index,
                       * b = the query's batch id (its latest offset log entry), c = 0 updated, 1 evicted */
    int32_t query;    /* the query */
    int32_t mode;     /* its output mode: 1 append, 2 update, 3 complete (the events' text) */
    int64_t length_us, slide_us; /* its windows' length and slide (the smallest gap between starts) */
} viz_ewins;

typedef struct viz_model {
    const sim_trace *trace; /* borrowed; outlives the model */
    char name[160];         /* the scenario's name (run_start's text) */
    int64_t end_us, interval_us;
    int32_t interval_kind; /* VIZ_INTERVAL_*: what interval_us is, for the batch timeline's line */
    int32_t pad_;
    int32_t workers, cores;
    char node_names[VIZ_NODES_MAX][32]; /* from node_up texts; "" = none */
    uint32_t *frames;    /* raw index of each frame's event */
    uint32_t *frame_end; /* raw index of the last event folded into each frame */
    size_t nframes;
    int64_t *ev_batch; /* per raw event: the batch time of a task event, else -1 */
    uint8_t *ev_spec;  /* per raw event: 1 for the task_start of a copy announced by task_speculative */
    viz_batch *batches;
    size_t nbatches, cap_batches;
    viz_list durable[VIZ_DUR_COUNT_];
    viz_list failures;  /* task_failed but killed ones: a=stage b=partition c=cause; batch */
    viz_list kills;     /* task_failed killed because another attempt succeeded: a=stage b=partition; batch */
    viz_list arrivals;  /* record_arrival: a=event_time_us b=stream */
    viz_list watermarks;/* watermark: a=watermark_us b=batch_id c=query */
    viz_list late;      /* late_dropped: a=rows b=batch_id c=query */
    viz_list sinks;     /* sink_write: a=DStream output, or VIZ_SS_OUTPUT + query; b=batch_id c=rows */
    viz_list faults;    /* fault_injected, node_down, block_lost, receiver_failed, task_failed: frame indices in a */
    viz_list narrations;/* narration: frame index in a */
    viz_window_row win_rows[VIZ_WINDOW_ROWS]; /* in order of first window_computed */
    int32_t nwin_rows, nwin_streams;
    int32_t win_stream[VIZ_WINDOW_STREAMS], win_stream_row[VIZ_WINDOW_STREAMS]; /* stream -> row, -1: not drawn */
    int64_t win_span_us; /* the longest window + slide over the run: the strip covers it */
    viz_ewins ewin[VIZ_EWIN_MAX]; /* event-time windows, per query, in order of their first window */
    int32_t newin, pad3_;
    viz_list ss_events; /* Structured Streaming events that name their query: a = the query */
    int64_t *arrival_max; /* per entry of arrivals: the largest event time up to it (a prefix maximum) */
    size_t arrival_max_cap;
    int64_t ewin_batch[VIZ_EWIN_QUERIES]; /* while indexing: each query's latest offset log batch id, -1 */
    viz_live *keys;     /* keyframe k = live state after frame k * VIZ_KEYFRAME_EVERY */
    size_t nkeys;
    const struct viz_findings *findings; /* the checker's, placed on the frames (viz/findings.h); NULL: none */
} viz_model;

/* For the index builders (model.c, model_eventtime.c): grows the array *p
 * of *cap elements of elem bytes to hold need (doubling), and appends a
 * mark to l. Each returns 0, or -1 when out of memory (nothing changed). */
int viz_grow(void **p, size_t *cap, size_t need, size_t elem);
int viz_list_add(viz_list *l, int64_t t_us, int64_t a, int64_t b, int64_t c, uint32_t ev, int32_t batch);

/* Indexes raw event i for the event-time panel (model_eventtime.c): a
 * window_updated / window_evicted, and the offset log entries that say
 * which batch it belongs to. Returns -1 when out of memory. init before the
 * first event; fini frees. */
void viz_ewin_init(viz_model *m);
int viz_ewin_index(viz_model *m, const sim_trace_rec *r, uint32_t i, const char *text);
void viz_ewin_fini(viz_model *m);

/* The windows the event-time panel shows at frame f: when every query with
 * windows has the same window length and slide (one aggregation in several
 * output modes), those of the query of the latest Structured Streaming
 * event (offset or commit log, sink write, progress, watermark, state) that
 * has windows; otherwise, and before any, the first query's with windows,
 * so the panel does not change its boxes at every step; NULL when the trace
 * has none. */
const viz_ewins *viz_ewin_focus(const viz_model *m, size_t f);

/* What frame f does to each of w's windows, into flash[k] (w->n entries,
 * zeroed by the caller): 1 when the frame's own events updated or evicted
 * it; 2 when the frame is the query's sink write and the window is in what
 * it wrote, by output mode (append writes a window when its batch evicts
 * it, update when its batch updates it, complete every window the state
 * store holds; Spark's StateStoreSaveExec). Returns the written batch id, or
 * -1 when frame f is not the query's sink write. */
int64_t viz_ewin_flashes(const viz_model *m, const viz_ewins *w, size_t f, unsigned char *flash);

/* A query's name as its sink writes give it ("status"), or its index ("2")
 * when it has none: callers write "query %s". */
const char *viz_query_name(const viz_model *m, int64_t query, char *buf, size_t n);

/* The windows panel row of a windowed DStream, or -1. */
int viz_window_row_of(const viz_model *m, int64_t stream);

/* Builds the index of `t` (borrowed) and its keyframes. Returns 0, or -1 with
 * a message in err (out of memory; a trace without events). */
int viz_model_init(viz_model *m, const sim_trace *t, char *err, size_t errlen);
void viz_model_fini(viz_model *m);

/* Folds raw event i into the live state (i must be the next raw event). */
void viz_live_apply(const viz_model *m, viz_live *s, uint32_t i);

/* The state before any event. */
void viz_live_reset(viz_live *s);

/* Sets s to the state after frame f (0 <= f < nframes) from the nearest
 * keyframe at or before f: at most VIZ_KEYFRAME_EVERY frames are folded. */
void viz_model_seek(const viz_model *m, size_t f, viz_live *s);

/* Advances s, the state after frame f, to the state after frame f + 1. */
void viz_model_step(const viz_model *m, size_t f, viz_live *s);

/* 64-bit hash of everything drawn at frame f from state s: the live state
 * and the parts of the static lists visible at f. */
uint64_t viz_model_hash(const viz_model *m, size_t f, const viz_live *s);

/* The core slot (0..) that receiver k of node n holds, drawn as the
 * receiver's: the rightmost cores, one per receiver; -1 when it has none
 * drawn. Tasks go to the other cores. */
int viz_receiver_core(const viz_node *n, int k);

/* Frame navigation; each returns f itself when there is no such frame. */
size_t viz_model_frame_at_time(const viz_model *m, int64_t t_us); /* last frame at or before t_us (0 if none) */
size_t viz_model_next_batch(const viz_model *m, size_t f, int dir); /* next/previous batch_generated */
size_t viz_model_next_fault(const viz_model *m, size_t f, int dir);

/* Whether raw event i is a fault (an injected fault other than a restart or a
 * heal, a crash, a lost block, a failed receiver or task) or a recovery
 * (a restart, a heal, a node coming back, a recovery phase). */
int viz_is_fault(const viz_model *m, uint32_t i);
int viz_is_recovery(const viz_model *m, uint32_t i);

/* How many entries of list l have happened at raw event index ev. */
size_t viz_list_visible(const viz_list *l, uint32_t ev);

/* The batch generation (index into batches) raw event i is about (a batch,
 * job or task event), or -1. */
long viz_touched_batch(const viz_model *m, uint32_t i);

/* Batch colour index (0..6) of a batch time: consecutive batches differ. */
int viz_batch_colour(const viz_model *m, int64_t batch_time_us);

/* Raw event i in words, Spark's words: "task 3.1 of batch 12000 ms lost
 * with worker-2". Writes at most n bytes (NUL-terminated) into buf. */
void viz_describe(const viz_model *m, uint32_t i, char *buf, size_t n);

/* A node's name as the trace gave it ("driver", "worker-2"), or "node N". */
const char *viz_node_name(const viz_model *m, uint32_t node, char *buf, size_t n);

#endif
