/* engine/cluster.h — the engine's nodes: the driver and the executors.
 *
 * The world creates one driver node (ENG_NODE_DRIVER) and `workers` executor
 * nodes, each through the eng_node_ops below, and hands every one the same
 * read-only eng_cluster_conf.
 *
 * What runs today: executors register with the driver and send heartbeats;
 * the driver's JobGenerator fires the batch timer and emits batch_generated
 * for every batch time. Receivers, blocks, jobs and tasks build on these.
 */
#ifndef ENG_CLUSTER_H
#define ENG_CLUSTER_H

#include <stdint.h>

#include "env.h"

struct eng_program;

typedef struct eng_cluster_conf {
    int64_t batch_interval_us;     /* > 0; the StreamingContext's batchDuration */
    int64_t block_interval_us;     /* > 0; spark.streaming.blockInterval, default 200 ms */
    int64_t heartbeat_interval_us; /* > 0; spark.executor.heartbeatInterval, default 10 s */
    uint32_t workers;              /* >= 1 */
    uint32_t cores;                /* per worker, >= 1 */
    int32_t default_parallelism;   /* spark.default.parallelism: workers x cores unless set */
    /* The cost model of a task: launch overhead + records x per-record cost. */
    int64_t task_launch_us;        /* default 2 ms */
    int64_t record_cost_ns;        /* per record through a task's ops, default 2000 ns */
    const struct eng_program *program; /* the streaming program; NULL = none (timer only) */
    /* rate control (0 = off / unlimited) */
    int64_t receiver_max_rate;        /* spark.streaming.receiver.maxRate, records/s per receiver */
    int64_t kafka_max_rate_per_partition; /* spark.streaming.kafka.maxRatePerPartition, records/s */
    int backpressure;                 /* spark.streaming.backpressure.enabled */
    int64_t backpressure_initial_rate;/* spark.streaming.backpressure.initialRate, records/s; 0 = none */
    int64_t network_timeout_us;       /* spark.network.timeout: an executor silent this long is lost (120 s) */
    int64_t receiver_restart_delay_us;/* spark.streaming.receiverRestartDelay (2 s) */
    int speculation;                  /* spark.speculation (off) */
    int receiver_wal;                 /* spark.streaming.receiver.writeAheadLog.enable (off) */
    double speculation_multiplier;    /* spark.speculation.multiplier (1.5) */
    double speculation_quantile;      /* spark.speculation.quantile (0.75) */
} eng_cluster_conf;

#define ENG_DEFAULT_TASK_LAUNCH_US 2000
#define ENG_DEFAULT_NETWORK_TIMEOUT_US 120000000
#define ENG_DEFAULT_RECEIVER_RESTART_DELAY_US 2000000
#define ENG_DEFAULT_RECORD_COST_NS 2000
#define ENG_DEFAULT_SPECULATION_MULTIPLIER 1.5
#define ENG_DEFAULT_SPECULATION_QUANTILE 0.75
#define ENG_SPECULATION_INTERVAL_US 100000 /* spark.speculation.interval */
#define ENG_SPECULATION_MIN_US 100000      /* spark.speculation.minTaskRuntime */

#define ENG_DEFAULT_BLOCK_INTERVAL_US 200000
#define ENG_DEFAULT_HEARTBEAT_INTERVAL_US 10000000

/* Message kinds between nodes (payloads are the packed structs below). */
enum {
    ENG_MSG_REGISTER_EXECUTOR = 1,   /* executor -> driver: eng_msg_register */
    ENG_MSG_REGISTERED_EXECUTOR = 2, /* driver -> executor: no payload */
    ENG_MSG_HEARTBEAT = 3,           /* executor -> driver: eng_msg_heartbeat */
    ENG_MSG_LAUNCH_TASK = 4,         /* driver -> executor: an encoded eng_task_plan */
    ENG_MSG_TASK_STATUS = 5,         /* executor -> driver: see dag.c (task id, state, payload) */
    ENG_MSG_FETCH = 6,               /* executor -> executor: a shuffle block request */
    ENG_MSG_FETCH_REPLY = 7,         /* executor -> executor: the block, or "missing" */
    ENG_MSG_REMOVE_SHUFFLE = 8,      /* driver -> executor: drop a finished batch's shuffle outputs */
    ENG_MSG_START_RECEIVER = 9,      /* driver -> executor: u32 dstream id */
    ENG_MSG_REPLICATE_BLOCK = 10,    /* executor -> executor: u64 block, u32 stream, part */
    ENG_MSG_REPLICATE_ACK = 11,      /* executor -> executor: u64 block */
    ENG_MSG_ADD_BLOCK = 12,          /* executor -> driver: u32 stream, u64 block, i64 records, u32 n, n x u32 node */
    ENG_MSG_FETCH_BLOCK = 13,        /* executor -> executor: u64 task, u64 block */
    ENG_MSG_FETCH_BLOCK_REPLY = 14,  /* executor -> executor: u64 task, u64 block, u8 ok, part */
    ENG_MSG_REMOVE_BLOCKS = 15,      /* driver -> executor: u32 n, n x u64 block */
    ENG_MSG_RECEIVER_RATE = 16,      /* driver -> executor: u32 dstream id, i64 records/s (0 = unlimited) */
    /* from the world (src 0): what the cluster manager or a fault tells a node */
    ENG_MSG_EXECUTOR_LOST = 17,      /* world -> driver: u32 node (its process died) */
    ENG_MSG_RECEIVER_FAILED = 18,    /* world -> executor: u32 receiver index (the receiver threw) */
    ENG_MSG_KILL_TASK = 19,          /* driver -> executor: u64 task id (another attempt succeeded) */
};

/* Task states in ENG_MSG_TASK_STATUS. */
enum { ENG_TASK_OK = 1, ENG_TASK_ERROR = 2, ENG_TASK_FETCH_FAILED = 3 };

typedef struct eng_msg_register {
    uint32_t cores;
} eng_msg_register;

typedef struct eng_msg_heartbeat {
    uint64_t sequence;
} eng_msg_heartbeat;

/* The driver: its JobGenerator fires at every batch time t = k x batch
 * interval, k >= 1, on a fresh start (zeroTime = 0), once per interval even
 * when late (Spark's RecurringTimer never skips or merges ticks:
 * RecurringTimer.scala, JobGenerator.scala startFirstTime). */
extern const eng_node_ops eng_driver_ops;

/* An executor on a worker: registers with the driver at start (as
 * CoarseGrainedExecutorBackend's RegisterExecutor), then heartbeats every
 * heartbeat interval (Executor.scala, reportHeartBeat). */
extern const eng_node_ops eng_executor_ops;

#endif
