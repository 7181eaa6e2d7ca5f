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

typedef struct eng_cluster_conf {
    int64_t batch_interval_us;     /* > 0; the StreamingContext's batchDuration */
    int64_t block_interval_us;     /* > 0; spark.streaming.blockInterval, default 200 ms */
    int64_t heartbeat_interval_us; /* > 0; spark.executor.heartbeatInterval, default 10 s */
    uint32_t workers;              /* >= 1 */
    uint32_t cores;                /* per worker, >= 1 */
} eng_cluster_conf;

#define ENG_DEFAULT_BLOCK_INTERVAL_US 200000
#define ENG_DEFAULT_HEARTBEAT_INTERVAL_US 10000000

/* Message kinds between nodes (payloads are the packed structs below). */
enum {
    ENG_MSG_REGISTER_EXECUTOR = 1,   /* executor -> driver: eng_msg_register */
    ENG_MSG_REGISTERED_EXECUTOR = 2, /* driver -> executor: no payload */
    ENG_MSG_HEARTBEAT = 3,           /* executor -> driver: eng_msg_heartbeat */
};

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
