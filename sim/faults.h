/* sim/faults.h — the scenario's fault plan.
 *
 *   faults{
 *     { at = "12s", crash = "worker-2", restart_after = "5s" },
 *     { at = "5s",  slow = "worker-1", factor = 5, duration = "20s" },
 *     { at = "8s",  partition = { "worker-1" }, duration = "4s" },
 *     { at = "9s",  crash_receiver = 1 },
 *   }
 *
 * A crash kills the node's process: its memory is gone (blocks, shuffle
 * outputs, running tasks, receivers); the driver hears of it at once, as
 * Spark's driver hears "Remote RPC client disassociated". A restart brings
 * a fresh executor up on the same worker. A slow node runs its tasks
 * `factor` times longer. A partition cuts nodes off the network: the
 * driver loses them when their heartbeats stop for spark.network.timeout.
 * crash_receiver makes receiver i (1-based, in declaration order) fail;
 * it restarts after spark.streaming.receiverRestartDelay (2 s).
 */
#ifndef SIM_FAULTS_H
#define SIM_FAULTS_H

#include <stdint.h>

#define SIM_FAULTS_MAX 1024
#define SIM_FAULT_NODES_MAX 16

typedef enum {
    SIM_FAULT_CRASH = 1,
    SIM_FAULT_SLOW,
    SIM_FAULT_PARTITION,
    SIM_FAULT_CRASH_RECEIVER,
    SIM_FAULT_STORAGE_SLOW, /* durable storage answers factor x slower */
    SIM_FAULT_STORAGE_FAIL, /* durable storage fails every operation */
    SIM_FAULT_SINK_FAIL,    /* the next `count` output writes fail */
} sim_fault_kind;

typedef struct sim_fault {
    int kind;
    int64_t at_us;
    uint32_t nodes[SIM_FAULT_NODES_MAX]; /* node ids */
    int nnodes;
    int64_t duration_us;                 /* restart_after, slow and partition durations; 0 = none */
    double factor;                       /* SIM_FAULT_SLOW */
    int receiver;                        /* SIM_FAULT_CRASH_RECEIVER: 0-based */
    int count;                           /* SIM_FAULT_SINK_FAIL */
    char text[160];                      /* the fault in words, for the trace */
    char where[256];                     /* file:line of its declaration */
} sim_fault;

typedef struct sim_fault_plan {
    sim_fault items[SIM_FAULTS_MAX];
    int count;
} sim_fault_plan;

/* Fault kinds in fault_injected events (arg "kind"). */
enum { SIM_FAULT_EV_CRASH = 1, SIM_FAULT_EV_RESTART = 2, SIM_FAULT_EV_SLOW = 3, SIM_FAULT_EV_PARTITION = 4,
       SIM_FAULT_EV_CRASH_RECEIVER = 5, SIM_FAULT_EV_HEAL = 6, SIM_FAULT_EV_STORAGE_SLOW = 7,
       SIM_FAULT_EV_STORAGE_FAIL = 8, SIM_FAULT_EV_SINK_FAIL = 9 };

#endif
