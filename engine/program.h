/* engine/program.h — the streaming program: the DStream graph a scenario
 * declares before ssc:start().
 *
 * The program is code, like the application jar: built once when the
 * scenario loads, read-only while the world runs, shared by every node and
 * surviving every crash. What changes while the job runs (the RDDs of each
 * batch, how far a queueStream has been read) is the driver's state.
 *
 * Each DStream yields one RDD per batch time t where (t - zeroTime) is a
 * multiple of its slide (DStream.isTimeValid); a stateless DStream applies
 * one RDD op to its parents' RDDs of the same t (MappedDStream,
 * ShuffledDStream, UnionDStream, ... in Spark).
 */
#ifndef ENG_PROGRAM_H
#define ENG_PROGRAM_H

#include <stdint.h>

#include "part.h"
#include "rddop.h"

#define ENG_DSTREAM_PARENTS_MAX 16
#define ENG_PROGRAM_DSTREAMS_MAX 4096

/* A parallelized collection, sliced as ParallelCollectionRDD.slice does:
 * slice i holds positions [i*n/s, (i+1)*n/s). */
typedef struct eng_collection {
    int num_slices;
    eng_part *slices; /* num_slices parts */
    int64_t records;
} eng_collection;

typedef enum eng_ds_kind {
    ENG_DS_QUEUE = 1, /* queueStream: one collection per batch (or all at once) */
    ENG_DS_RECEIVER,  /* a receiver on an executor cuts blocks (socketTextStream, KafkaUtils.createStream) */
    ENG_DS_DIRECT,    /* offset ranges of a log per batch, no receiver (KafkaUtils.createDirectStream) */
    ENG_DS_FILES,     /* new files of a folder in durable storage (textFileStream) */
    ENG_DS_CONST,     /* the same collection every batch (count()'s (null, 0)) */
    ENG_DS_OP,        /* op applied to the parents' RDDs of the same time */
    ENG_DS_TRANSFORM, /* the host's function of the parents' RDDs and the time */
    ENG_DS_WINDOW,    /* the union of the parent's RDDs in (t - window, t] (WindowedDStream) */
    ENG_DS_REDUCED_WINDOW, /* reduceByKeyAndWindow with an inverse (ReducedWindowedDStream) */
    ENG_DS_STATE,     /* updateStateByKey (StateDStream) */
    ENG_DS_MAP_WITH_STATE, /* mapWithState's internal stream of mapped values and state rows */
    ENG_DS_OUTPUT,    /* an output operation */
} eng_ds_kind;

typedef enum eng_output_kind {
    ENG_OUT_PRINT = 1, /* print(num): Spark's console block */
    ENG_OUT_FOREACH,   /* foreachRDD(f): the host's function on the driver */
    ENG_OUT_SAVE,      /* saveAsTextFiles(prefix, suffix) into durable storage */
} eng_output_kind;

typedef struct eng_dstream {
    int id;
    uint32_t kind; /* eng_ds_kind */
    int parents[ENG_DSTREAM_PARENTS_MAX];
    int nparents;
    int64_t slide_us;
    const char *where; /* file:line of the call that made it */
    eng_op op;         /* ENG_DS_OP */
    /* ENG_DS_QUEUE */
    const eng_collection *const *queue;
    int queue_len;
    int one_at_a_time;
    const eng_collection *default_rdd; /* NULL: an empty RDD; also ENG_DS_CONST's collection */
    /* ENG_DS_RECEIVER, ENG_DS_DIRECT: the source (env source_*), ENG_DS_FILES: the folder */
    int source;
    int kafka;         /* RECEIVER: KafkaUtils.createStream, a consumer group on a replayable log
                        (KafkaInputDStream): its receiver is reliable only with the receiver
                        write-ahead log on (receiver.c) */
    int replication;   /* RECEIVER: copies of each block (storage level _2: 2) */
    int start_latest;  /* DIRECT: auto.offset.reset = largest (start at the end of the log) */
    int receiver_index;/* RECEIVER: 0-based among the program's receivers */
    const char *directory;
    /* ENG_DS_TRANSFORM, ENG_OUT_FOREACH; ENG_DS_REDUCED_WINDOW: reduce; ENG_DS_STATE: update */
    eng_fn fn;
    eng_fn inverse;     /* ENG_DS_REDUCED_WINDOW */
    eng_fn filter;      /* ENG_DS_REDUCED_WINDOW: keep a (key, value) only if true; builtin 0 = none */
    int64_t window_us;  /* ENG_DS_WINDOW, ENG_DS_REDUCED_WINDOW */
    int num_partitions; /* ENG_DS_REDUCED_WINDOW, ENG_DS_STATE */
    int with_time;      /* ENG_DS_STATE: the function takes (time, key, values, state) */
    int64_t timeout_us; /* ENG_DS_MAP_WITH_STATE: StateSpec.timeout, 0 = none */
    const eng_collection *initial; /* ENG_DS_STATE: initial state (key, state) pairs, or NULL */
    int persist;        /* its RDDs are cached on the executors (MEMORY_ONLY_SER) */
    int must_checkpoint; /* stateful: needs a checkpoint directory (DStream.mustCheckpoint) */
    int64_t checkpoint_interval_us; /* 0: not checkpointed */
    int64_t remember_us; /* how long its RDDs stay after their time (rememberDuration) */
    /* ENG_DS_OUTPUT */
    uint32_t output_kind; /* eng_output_kind */
    int output_index;     /* 0-based, in registration order */
    int print_num;
    const char *prefix, *suffix, *name;
} eng_dstream;

typedef struct eng_program {
    eng_dstream *dstreams;
    int count, capacity;
    int outputs[ENG_PROGRAM_DSTREAMS_MAX]; /* dstream ids of the outputs, in registration order */
    int output_count;
    int receivers[64]; /* dstream ids of the receiver streams, in registration order */
    int receiver_count;
    const char *checkpoint_dir; /* ssc:checkpoint(dir), or NULL */
    int get_or_create;          /* made by StreamingContext.getOrCreate: a restarted driver recovers */
    int64_t remember_us;         /* ssc:remember(d): at least this long; 0 = none */
    struct eng_ss_query *queries[16]; /* Structured Streaming queries, in start() order (owned) */
    int nqueries;
    eng_arena arena; /* collections, strings */
} eng_program;

void eng_program_init(eng_program *p);
void eng_program_fini(eng_program *p);

/* Adds a DStream (copied; its id is set) and returns its id, or -1 when the
 * program is full. Outputs are numbered in the order they are added. */
int eng_program_add(eng_program *p, const eng_dstream *d);

/* Sets each DStream's remember duration as Spark's DStream.initialize and
 * rememberDuration do: its slide (twice that when checkpointed), longer
 * for a parent of a window by the window length, at least ssc:remember's;
 * and returns the longest, the driver's bound on how long batches stay. */
int64_t eng_program_remember(eng_program *p, int64_t batch_us);
/* The write-ahead log file of receiver stream ds's block, in the checkpoint
 * directory as Spark's receivedData/<stream>/... (snprintf into buf). */
void eng_program_wal_path(const eng_program *p, int ds, uint64_t block, char *buf, size_t n);

/* A copy of s in the program's arena, living as long as the program (call
 * sites, names); "?" when out of memory. */
const char *eng_program_keep(eng_program *p, const char *s);

/* Slices rows[0..n) into num_slices parts as ParallelCollectionRDD does,
 * copying them into the program. Source: ParallelCollectionRDD.slice
 * (positions: start = i*n/s, end = (i+1)*n/s, in 64-bit arithmetic). */
const eng_collection *eng_program_collection(eng_program *p, const eng_value *rows, size_t n, int num_slices);

#endif
