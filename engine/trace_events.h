/* engine/trace_events.h — every trace event streamlab records, in one table.
 *
 * The trace is the single record of a run: the visualiser, the checker and the
 * determinism digest all read it and nothing else. Each event has
 *   - a type (the enum below; its JSON name is the second column),
 *   - the simulated time it happened, `t_us` (int64 microseconds),
 *   - the node it happened on (0 = the world itself, 1 = driver, 2.. = workers),
 *   - up to four int64 arguments whose JSON names are the next four columns
 *     (NULL = unused, never written),
 *   - an optional text (a node name, a storage path, a narration line).
 *
 * Events are sized by blocks, tasks and batches, never by records: the one
 * per-record event (record_arrival) is recorded only when asked (--trace-records).
 *
 * Changing a row's name, argument names or meaning, or removing a row, is a
 * schema change: bump ENG_TRACE_SCHEMA_VERSION. Appending a row at the end is
 * not (old readers skip unknown names), but still says so in the changelog of
 * this comment.
 *   v1 (2026-11): first schema; receiver_start, block_reported,
 *                 rate_update, driver_memory, executor_lost and
 *                 receiver_failed appended; query_progress appended, and
 *                 offset_log, commit_log, watermark and late_dropped given
 *                 the query index as their next free argument, sink_write
 *                 "skipped" (1: the sink had the batch already) (unnamed
 *                 before, so old readers are unaffected).
 *                 state_load (an executor read a state store back from
 *                 its checkpoint files; text: the store's folder) appended.
 *                 A Structured Streaming job's batch_time_us is negative:
 *                 -(query x 10^6 + batch id + 1). recovery_phase: phase 1
 *                 an executor lost, 2 a driver restarted from its metadata
 *                 checkpoint, 3 a Structured Streaming query resumed from
 *                 its offset and commit logs (batch_time_us: its first
 *                 batch's key, eng_ss_job_time; the text says whether that
 *                 batch is the uncommitted one logged before the crash).
 *                 window_computed (a windowed DStream made its RDD for the
 *                 window ending at window_end_us: the batches in
 *                 (end - length, end]; text: the operation, e.g. "window",
 *                 "countByWindow", "reduceByKeyAndWindow") and window_slide
 *                 (right after the window_computed of an incremental window,
 *                 one with an inverse function: the first and last batch
 *                 times whose RDDs it added, (end - slide, end], and
 *                 subtracted, (end - slide - length, end - length]; -1, -1
 *                 when none) appended; the driver emits them while it
 *                 generates the batch, before its batch_generated.
 *                 window_updated and window_evicted appended (Structured
 *                 Streaming, an aggregation by an event-time window: a
 *                 state store task of the query's batch updated keys of
 *                 the window [window_start_us, window_end_us), or removed
 *                 them because the watermark passed the window's end; one
 *                 event per window and partition, in window order, after
 *                 the task's state_update; text: the query's output mode,
 *                 "append", "update" or "complete", which says what is
 *                 emitted: append a window when it is evicted, update and
 *                 complete when it is updated). recovery_phase's third
 *                 argument named batches_again (unnamed, so never written,
 *                 before): phase 2 the batches the restarted driver
 *                 generates again, phase 3 1 when the query's uncommitted
 *                 batch runs again. An argument without a name is not kept:
 *                 the recorder stores and digests 0, as a reader sees it.
 *                 stage_submitted's text: the stage's lineage, "lineage: "
 *                 then its RDDs as RDD.toDebugString names them, last to
 *                 first ("ShuffledRDD[3] at reduceByKey at hello.lua:21
 *                 (reads shuffle 0)", " <- " between an RDD and its
 *                 parent), after "resubmitted: map outputs lost; " for a
 *                 stage submitted again (that text alone before).
 */
#ifndef ENG_TRACE_EVENTS_H
#define ENG_TRACE_EVENTS_H

#include <stdint.h>

#define ENG_TRACE_SCHEMA_VERSION 1

/* X(ENUM, "json name", arg0, arg1, arg2, arg3) */
#define ENG_TRACE_EVENTS(X)                                                              \
    /* the run */                                                                        \
    X(RUN_START, "run_start", "seed", "duration_us", "workers", "cores")                 \
    X(RUN_END, "run_end", "events", "batches", NULL, NULL)                               \
    X(NARRATION, "narration", NULL, NULL, NULL, NULL)                                    \
    /* nodes and the network (text: node name) */                                       \
    X(NODE_UP, "node_up", "incarnation", "cores", NULL, NULL)                            \
    X(NODE_DOWN, "node_down", "incarnation", "cause", NULL, NULL)                        \
    X(MESSAGE_SEND, "message_send", "dst", "kind", "bytes", "deliver_us")                \
    X(MESSAGE_DELIVER, "message_deliver", "src", "kind", "bytes", NULL)                  \
    X(MESSAGE_DROP, "message_drop", "dst", "kind", "cause", NULL)                        \
    X(EXECUTOR_REGISTERED, "executor_registered", "executor", "cores", NULL, NULL)       \
    X(HEARTBEAT, "heartbeat", "executor", NULL, NULL, NULL)                              \
    /* durable storage (text: path) */                                                   \
    X(STORAGE_PUT, "storage_put", "bytes", "latency_us", "status", NULL)                 \
    X(STORAGE_DELETE, "storage_delete", "latency_us", "status", NULL, NULL)              \
    X(STORAGE_RENAME, "storage_rename", "latency_us", "status", NULL, NULL)              \
    /* receivers and blocks */                                                           \
    X(RECORD_ARRIVAL, "record_arrival", "stream", "event_time_us", NULL, NULL)           \
    X(BLOCK_CREATED, "block_created", "stream", "block", "records", NULL)                \
    X(BLOCK_REPLICATED, "block_replicated", "stream", "block", "replica_node", NULL)     \
    X(BLOCK_LOST, "block_lost", "stream", "block", "records", NULL)                      \
    /* batches, jobs, stages, tasks (batch times in us; a job's action is              \
     * ENG_ACT_*: 1 collect (print, take), 2 count, 3 save, 4 data checkpoint) */       \
    X(BATCH_GENERATED, "batch_generated", "batch_time_us", "blocks", "records", "jobs")  \
    X(BATCH_STARTED, "batch_started", "batch_time_us", "scheduling_delay_us", NULL, NULL) \
    X(BATCH_DONE, "batch_done", "batch_time_us", "processing_delay_us", "total_delay_us", NULL) \
    X(JOB_START, "job_start", "job", "batch_time_us", "action", NULL)                    \
    X(JOB_END, "job_end", "job", "batch_time_us", "status", NULL)                        \
    X(STAGE_SUBMITTED, "stage_submitted", "stage", "job", "tasks", "attempt")            \
    X(STAGE_COMPLETED, "stage_completed", "stage", "job", "status", "attempt")           \
    X(TASK_START, "task_start", "stage", "partition", "attempt", "executor")             \
    X(TASK_END, "task_end", "stage", "partition", "attempt", "records")                  \
    X(TASK_FAILED, "task_failed", "stage", "partition", "attempt", "cause")              \
    X(TASK_SPECULATIVE, "task_speculative", "stage", "partition", "attempt", "executor") \
    X(SHUFFLE_WRITE, "shuffle_write", "shuffle", "map_partition", "bytes", NULL)         \
    X(SHUFFLE_FETCH, "shuffle_fetch", "shuffle", "reduce_partition", "bytes", "status")  \
    /* durability: checkpoints, logs (text: path) */                                     \
    X(CHECKPOINT_WRITE, "checkpoint_write", "kind", "batch_time_us", "lineage", "bytes") \
    X(WAL_WRITE, "wal_write", "stream", "block", "bytes", NULL)                          \
    X(OFFSET_LOG, "offset_log", "batch_id", "bytes", "query", NULL)                      \
    X(COMMIT_LOG, "commit_log", "batch_id", "bytes", "query", NULL)                      \
    /* event time and state */                                                           \
    X(WATERMARK, "watermark", "batch_id", "watermark_us", "query", NULL)                 \
    X(LATE_DROPPED, "late_dropped", "batch_id", "rows", "query", NULL)                   \
    X(STATE_UPDATE, "state_update", "operator", "partition", "version", "keys")          \
    X(SINK_WRITE, "sink_write", "output", "batch_id", "rows", "skipped")                      \
    X(SINK_COMMIT, "sink_commit", "output", "batch_id", NULL, NULL)                      \
    /* faults and recovery (text: the fault, in words) */                                \
    X(FAULT_INJECTED, "fault_injected", "kind", "target", "duration_us", NULL)           \
    X(RECOVERY_PHASE, "recovery_phase", "phase", "batch_time_us", "batches_again", NULL)      \
    /* appended in v1: receivers and rate control */                                      \
    X(RECEIVER_START, "receiver_start", "stream", "executor", NULL, NULL)                   \
    X(BLOCK_REPORTED, "block_reported", "stream", "block", "records", "replicas")           \
    X(RATE_UPDATE, "rate_update", "stream", "rate", NULL, NULL)                             \
    X(DRIVER_MEMORY, "driver_memory", "batches", "rdds", "blocks", "shuffles")              \
    X(EXECUTOR_LOST, "executor_lost", "executor", "tasks", "map_outputs", "blocks")         \
    X(RECEIVER_FAILED, "receiver_failed", "stream", "executor", "records_lost", NULL)     \
    /* appended in v1: Structured Streaming (text: the StreamingQueryProgress JSON) */     \
    X(QUERY_PROGRESS, "query_progress", "query", "batch_id", "input_rows", "duration_us")   \
    X(STATE_LOAD, "state_load", "query", "partition", "version", "files")                \
    /* appended in v1: windowed DStreams (text: the operation, "reduceByKeyAndWindow") */ \
    X(WINDOW_COMPUTED, "window_computed", "stream", "window_end_us", "length_us", "slide_us") \
    X(WINDOW_SLIDE, "window_slide", "added_from_us", "added_to_us", "removed_from_us", "removed_to_us") \
    /* appended in v1: event-time windows in a state store (text: the output mode) */     \
    X(WINDOW_UPDATED, "window_updated", "query", "window_start_us", "window_end_us", "keys") \
    X(WINDOW_EVICTED, "window_evicted", "query", "window_start_us", "window_end_us", "keys")

typedef enum eng_trace_type {
#define ENG_TRACE_ENUM_(id, name, a0, a1, a2, a3) ENG_EV_##id,
    ENG_TRACE_EVENTS(ENG_TRACE_ENUM_)
#undef ENG_TRACE_ENUM_
    ENG_EV_COUNT_
} eng_trace_type;

/* One event as the engine emits it. `text` is borrowed for the duration of
 * the emit call; the recorder copies it. */
typedef struct eng_trace_event {
    eng_trace_type type;
    uint32_t node;
    int64_t arg[4];
    const char *text; /* may be NULL */
} eng_trace_event;

/* Causes carried in *_DOWN / *_DROP "cause" arguments. task_failed's cause
 * is the task state (2 error, 3 FetchFailed), ENG_CAUSE_NODE_DOWN (its
 * executor was lost) or ENG_CAUSE_KILLED (another attempt succeeded). */
enum { ENG_CAUSE_CRASH = 1, ENG_CAUSE_NODE_DOWN = 2, ENG_CAUSE_PARTITION = 3, ENG_CAUSE_STOP = 4, ENG_CAUSE_KILLED = 5 };

#endif
