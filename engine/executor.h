/* engine/executor.h — an executor's state, shared by the files that make up
 * the executor: executor.c (the node, tasks, shuffle outputs), blocks.c (the
 * block manager: receiver blocks and their replicas), receiver.c (receivers
 * running here). All of it is the executor's memory: a crash frees it. */
#ifndef ENG_EXECUTOR_H
#define ENG_EXECUTOR_H

#include <stdint.h>

#include "cluster.h"
#include "compute.h"
#include "plan.h"
#include "ss.h"

typedef struct ss_store ss_store;

enum {
    EXECUTOR_TIMER_HEARTBEAT = 1,
    EXECUTOR_TIMER_FINISH = 2,
    EXECUTOR_TIMER_FETCH_TIMEOUT = 3,
    EXECUTOR_TIMER_BLOCK_TICK = 4,      /* arg: receiver slot */
    EXECUTOR_TIMER_REPLICATION = 5,     /* arg: block id */
    EXECUTOR_TIMER_RECEIVER_RESTART = 6, /* arg: receiver slot */
    EXECUTOR_TIMER_AUTO_COMMIT = 7,     /* arg: receiver slot (a KafkaReceiver's consumer) */
};

/* Spark gives up on a shuffle block after spark.shuffle.io.maxRetries (3)
 * waits of spark.shuffle.io.retryWait (5 s). */
#define FETCH_TIMEOUT_US 15000000

typedef struct map_output {
    int32_t shuffle_id, map_index, nbuckets;
    eng_part *buckets;
} map_output;

typedef struct run_task {
    uint64_t task_id;
    eng_task_plan plan;
    eng_part **inputs; /* [dep][map] */
    int pending_fetches;
    int computed;
    eng_part result;      /* ENG_OUT_RESULT */
    eng_part *buckets;    /* ENG_OUT_SHUFFLE: writer.num_partitions */
    int64_t records, bytes_out;
    int64_t storage_us; /* time its writes to durable storage take (put, and the commit's rename) */
    char save_tmp[700], save_final[700];
    eng_part input; /* ENG_IN_BLOCK, ENG_IN_SOURCE, ENG_IN_FILE: the rows read */
    int fetch_loc;  /* ENG_IN_BLOCK: the location being asked */
    int64_t fetch_deadline_us; /* ENG_IN_BLOCK: when to give up on that location */
    uint8_t **got;  /* ENG_IN_SHUFFLE: [dep][map] arrived */
    /* a FetchFailed: which map output could not be read, and from where */
    int32_t failed_shuffle, failed_map;
    uint32_t failed_node;
    /* Structured Streaming: metrics sent back with the status (engine/ss.h) */
    int has_acc;
    int64_t acc[ENG_ACC_MAX];
} run_task;

/* A block in this executor's block manager (a receiver's, or a replica). */
typedef struct stored_block {
    uint64_t block;
    int32_t stream;
    eng_part rows;
} stored_block;

/* A receiver running here (ReceiverSupervisor + BlockGenerator). */
typedef struct receiver {
    int ds;            /* the receiver DStream's id */
    int source;
    int partitions;
    int64_t offsets[256]; /* next offset per source partition */
    int64_t rate;      /* records/s; 0 = unlimited */
    double allowance;  /* records the rate limiter lets through now */
    uint32_t next_block;
    int active;
    int64_t commit_at_us; /* KafkaReceiver: its consumer's next auto-commit */
} receiver;

/* A block stored here and being replicated before it is reported. */
typedef struct pending_block {
    uint64_t block;
    int ds;
    int64_t records;
    uint32_t peer;
    int64_t commit[256]; /* offsets to commit once stored (ReliableKafkaReceiver) */
    int partitions;
} pending_block;

typedef struct eng_executor {
    const eng_env *env;
    const eng_cluster_conf *conf;
    int registered;
    uint64_t heartbeats_sent;
    run_task **tasks;
    int ntasks, tasks_cap;
    map_output *outputs;
    int noutputs, outputs_cap;
    stored_block *blocks;
    int nblocks, blocks_cap;
    receiver receivers[16];
    int nreceivers;
    pending_block *pending;
    int npending, pending_cap;
    struct ss_store **stores; /* Structured Streaming state stores (ss_exec.c) */
    int nstores;
} eng_executor;


/* executor.c */
int eng_executor_find_task(const eng_executor *e, uint64_t task_id);
void eng_executor_fail_task(eng_executor *e, int i, uint8_t state, const char *message);
/* A FetchFailed for map output (shuffle, map) expected on node. */
void eng_executor_fetch_failed(eng_executor *e, int i, int32_t shuffle, int32_t map, uint32_t node, const char *message);
/* The task's input is here: compute it. */
void eng_executor_compute(eng_executor *e, int i);

/* blocks.c */
stored_block *eng_blocks_find(eng_executor *e, uint64_t block);
/* Stores rows as block, taking them over (*rows is left empty); returns
 * the block, or NULL when out of memory. */
stored_block *eng_blocks_put(eng_executor *e, uint64_t block, int32_t stream, eng_part *rows);
void eng_blocks_free_all(eng_executor *e);
/* Forgets a block held here (its batch is done, or it was given up). */
void eng_blocks_drop(eng_executor *e, uint64_t block);
/* Starts reading a task's block input: local, or fetched from a holder. */
void eng_blocks_read_for_task(eng_executor *e, int i);
/* The holder asked did not answer in time: ask the next one. */
void eng_blocks_retry(eng_executor *e, int i);
void eng_blocks_on_message(eng_executor *e, eng_node_id src, uint32_t kind, const void *bytes, size_t len);

/* receiver.c */
void eng_receiver_start(eng_executor *e, int ds);
void eng_receiver_on_tick(eng_executor *e, int slot);
void eng_receiver_on_replicated(eng_executor *e, uint64_t block, int ok);
void eng_receiver_set_rate(eng_executor *e, int ds, int64_t rate);
/* Receiver `index` (of the program's receivers) fails if it runs here; it
 * restarts after spark.streaming.receiverRestartDelay. */
void eng_receiver_fail(eng_executor *e, int index);
void eng_receiver_restart(eng_executor *e, int slot);
/* A KafkaReceiver's consumer commits what it has consumed, every
 * auto.commit.interval.ms (ZookeeperConsumerConnector.autoCommit). */
void eng_receiver_auto_commit(eng_executor *e, int slot);
void eng_receiver_free_all(eng_executor *e);

#endif
