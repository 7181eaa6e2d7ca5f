/* engine/driver.h — the driver node's state, shared by the files that make
 * up the driver: driver.c (the node, executor registry, JobGenerator and
 * JobScheduler), dag.c (DAGScheduler, TaskScheduler, MapOutputTracker),
 * outputs.c (output operations). Everything here is the driver's memory:
 * a driver crash frees all of it.
 */
#ifndef ENG_DRIVER_H
#define ENG_DRIVER_H

#include <stdint.h>

#include "cluster.h"
#include "plan.h"
#include "program.h"
#include "rdd.h"

#define ENG_DRIVER_EXECUTORS_MAX 64
#define ENG_DRIVER_BATCHES_MAX 100000 /* batches queued behind a slow one */
#define ENG_JOB_STAGES_MAX 1024
#define ENG_TASK_MAX_FAILURES 4 /* spark.task.maxFailures */
#define ENG_LOCALITY_WAIT_US 3000000 /* spark.locality.wait */
enum { ENG_DRIVER_TIMER_BATCH = 1, ENG_DRIVER_TIMER_SCHEDULE = 2, ENG_DRIVER_TIMER_EXPIRE = 3,
       ENG_DRIVER_TIMER_SPECULATION = 4, ENG_DRIVER_TIMER_RECOVER = 5,
       /* Structured Streaming (arg: the query): a trigger; the offset log
        * entry is durable; the sink's output and the commit log are durable */
       ENG_DRIVER_TIMER_SS_TRIGGER = 6, ENG_DRIVER_TIMER_SS_OFFSETS = 7, ENG_DRIVER_TIMER_SS_COMMIT = 8 };
#define ENG_STAGE_MAX_ATTEMPTS 4 /* spark.stage.maxConsecutiveAttempts */

/* A shuffle's map outputs (MapOutputTracker): where each map's buckets are. */
typedef struct eng_shuffle_status {
    int32_t shuffle_id;
    int32_t num_maps;
    uint32_t *map_nodes; /* 0 = not (or no longer) available */
    int64_t *map_bytes;
    int64_t *map_registered_us; /* when each map output was registered */
    int64_t batch_time_us;
    eng_rdd *map_rdd;      /* the RDD its map stage computes */
    const eng_op *reader;  /* the wide op that reads it */
} eng_shuffle_status;

typedef enum { ENG_STAGE_WAITING = 0, ENG_STAGE_RUNNING = 1, ENG_STAGE_DONE = 2 } eng_stage_state;
typedef enum { ENG_TASK_PENDING = 0, ENG_TASK_RUNNING = 1, ENG_TASK_DONE = 2 } eng_task_state;

typedef struct eng_stage {
    int id;
    int attempt;
    eng_rdd *rdd;          /* the stage's last RDD */
    int is_map;            /* ShuffleMapStage: writes shuffle_id for `reader` */
    int32_t shuffle_id;
    const eng_op *reader;  /* the wide op that reads this stage's output */
    int parents[256];
    int nparents;
    int state;
    int64_t submitted_us; /* for spark.locality.wait */
    int num_tasks, tasks_done;
    uint8_t *task_state;
    int *task_failures;
    int64_t *task_duration_us; /* of each partition's successful attempt */
    uint8_t *speculatable;     /* 1: a copy may launch; 2: it has */
} eng_stage;

/* One Spark job: an action on an RDD, run stage by stage. */
typedef struct eng_job {
    int id;
    eng_rdd *rdd;
    uint32_t action;
    char save_path[512];
    eng_stage stages[ENG_JOB_STAGES_MAX];
    int nstages;
    int result_stage;
    eng_part *results; /* per partition, for collect */
    int64_t count;
    int failed;
    int done;
    int64_t start_us;
    int owner;       /* d->job_owner when submitted */
    int64_t acc[4 + 4 * 4]; /* Structured Streaming metrics of its tasks (engine/ss.h: ENG_ACC_MAX) */
} eng_job;

typedef struct eng_running_task {
    uint64_t task_id;
    int stage, partition, attempt;
    uint32_t node;
    int64_t start_us;
    int speculative; /* a copy launched by speculation */
} eng_running_task;

/* One output operation's work at one batch time (Spark's streaming Job). */
typedef struct eng_stream_job {
    const eng_dstream *output;
    eng_rdd *rdd;     /* the RDD of the output's parent at this time */
    void *host_state; /* the host's (foreachRDD's suspended function), NULL when none */
    eng_part collected; /* foreachRDD: the records its actions collected */
} eng_stream_job;

/* The receiver DStream a block belongs to: receiver.c puts its id in the
 * top 16 bits of the block's id (as Spark's StreamBlockId names its stream). */
static inline int eng_block_stream(uint64_t block) { return (int)(block >> 48); }

/* A receiver's block as the driver knows it. */
typedef struct eng_block_info {
    uint64_t block;
    int64_t records;
    int32_t nlocs;
    uint32_t locs[ENG_BLOCK_LOCATIONS_MAX];
    int wal; /* also in the receivers' write-ahead log (durable) */
} eng_block_info;

/* The driver's state of one input stream (tracker.c). */
typedef struct eng_input_state {
    uint32_t node;           /* RECEIVER: where its receiver runs; 0 = not launched */
    int launched;            /* RECEIVER: launched once: a new launch is a relaunch */
    int wait_job;            /* RECEIVER, waiting for a core: its (re)start job comes after the
                                jobs with a lower id (FIFO); 0 at the start, before every job */
    eng_block_info *blocks;  /* RECEIVER: reported, not yet allocated */
    int nblocks, blocks_cap;
    int64_t offsets[256];    /* DIRECT: the next offset per partition */
    int offsets_init;
    char **seen;             /* FILES: paths already read */
    int nseen, seen_cap;
    int64_t rate;            /* backpressure: records/s; 0 = none yet */
    int64_t batch_records;   /* records of the last batch generated */
    int pid_first_run;
    int64_t pid_latest_time;
    double pid_latest_rate, pid_latest_error;
} eng_input_state;

typedef struct eng_batch {
    int64_t time_us;
    int64_t submitted_us, started_us;
    int64_t records;
    eng_stream_job *jobs;
    int njobs, next_job;
    eng_rdd_pool pool;
    eng_rdd **generated; /* per DStream id: its RDD at this time, or NULL */
    int64_t blocks;
    eng_block_info *allocated; /* receiver blocks allocated to this batch */
    int nallocated, allocated_cap;
} eng_batch;

typedef struct eng_driver {
    const eng_env *env;
    const eng_cluster_conf *conf;
    const eng_program *program;
    int64_t zero_time_us;
    int64_t batches_generated;
    uint32_t executor_cores[ENG_DRIVER_EXECUTORS_MAX + 2]; /* by node id; 0 = not registered */
    uint32_t executor_free[ENG_DRIVER_EXECUTORS_MAX + 2];
    int64_t last_heartbeat_us[ENG_DRIVER_EXECUTORS_MAX + 2]; /* HeartbeatReceiver */
    int *queue_pos; /* per DStream id: how many queued RDDs a queueStream has handed out */
    eng_rdd_ids ids;
    /* JobScheduler: batches in time order; the first is running */
    eng_batch **batches;
    int nbatches, batches_cap;
    int batch_running;
    /* done batches, oldest first, kept while a window or a remember duration
     * may still need their RDDs (DStream.clearMetadata) */
    eng_batch **history;
    int nhistory, history_cap;
    int64_t remember_us;
    /* the one Spark job running (spark.streaming.concurrentJobs = 1) */
    eng_job *job;
    int next_job_id, next_stage_id;
    uint64_t next_task_id;
    eng_running_task *running;
    int nrunning, running_cap;
    eng_shuffle_status *shuffles;
    int nshuffles, shuffles_cap;
    int stopped; /* a job failed for good: nothing more runs */
    eng_batch *rdd_home; /* the batch that RDDs made by the host now belong to */
    eng_input_state *inputs; /* per DStream id */
    int submitting;          /* inside eng_dag_submit */
    uint32_t reach_pass;     /* the last reachability pass over remembered RDDs */
    /* recovery.c: per DStream id, its latest data checkpoint (files) */
    struct eng_ckpt_info {
        int64_t time_us;
        int partitions;
        char path[600]; /* "" = none yet */
    } *ckpt;
    int64_t last_checkpoint_us; /* the latest metadata checkpoint written; -1 = none */
    eng_batch **restored;       /* a restarted driver's batches from its checkpoint, to generate again */
    int nrestored, restored_cap;
    int64_t *regen;             /* the batch times to generate again, in order */
    int nregen;
    /* Structured Streaming (ss_query.c): each query's run; the job's owner
     * (0: the DStream batch, 1 + q: query q) and its batch's key for shuffles */
    struct eng_ss_run *ss;
    int nss;
    int job_owner;
    int64_t job_time_us;
    int ss_kicking;
} eng_driver;

/* dag.c */
eng_shuffle_status *eng_dag_shuffle(eng_driver *d, int32_t id);
int eng_dag_add_stage(eng_driver *d, eng_job *job, eng_rdd *rdd, int is_map, int32_t shuffle_id, const eng_op *reader,
                      char *err, size_t errlen);
/* Submits every waiting stage of the job whose parents are all done. */
void eng_dag_submit_ready(eng_driver *d);
/* lineage.c: the text of a stage's stage_submitted event, into buf (n bytes, always
 * NUL-terminated, cut at n): why it is submitted again, when why is not NULL,
 * then "lineage: " and the stage's RDDs from its last back to its sources or
 * the shuffles it reads, as Spark's RDD.toDebugString lists them on one line
 * ("ShuffledRDD[13] at reduceByKey at main.lua:9 (reads shuffle 4)",
 * " <- " between an RDD and its parent, {a; b} for several parents), at most
 * 12 RDDs. */
void eng_lineage_text(const eng_stage *s, const char *why, char *buf, size_t n);
/* Submits an action on rdd as the driver's job. Returns 0, or -1 (err set). */
int eng_dag_submit(eng_driver *d, eng_rdd *rdd, uint32_t action, const char *save_path, char *err, size_t errlen);
/* Offers free cores to the receivers waiting for one and the pending tasks,
 * in FIFO order of their jobs (TaskSchedulerImpl.resourceOffers over the
 * FIFO pool: a receiver's restart job comes after the jobs submitted before
 * it, and before the later ones). */
void eng_dag_schedule(eng_driver *d);
void eng_dag_on_status(eng_driver *d, uint32_t src, const void *bytes, size_t len);
void eng_dag_free_job(eng_driver *d);
/* Forgets the shuffles of a finished batch and tells executors to drop them. */
void eng_dag_cleanup_batch(eng_driver *d, int64_t batch_time_us);

/* outputs.c */
/* Advances the running batch's stream jobs until one waits for a Spark job
 * or all are done. Called when a batch starts and when a job finishes. */
void eng_outputs_advance(eng_driver *d);

/* dag.c: speculation (TaskSetManager.checkSpeculatableTasks), every
 * spark.speculation.interval when spark.speculation is on. */
void eng_dag_check_speculatable(eng_driver *d);
/* Whether a task of (stage, partition) other than task_id still runs. */
int eng_dag_other_copy_runs(const eng_driver *d, int stage, int partition, uint64_t task_id);

/* recovery.c: metadata checkpoints and getOrCreate (see recovery.c). */
/* Writes the metadata checkpoint of time_us (after a batch is generated, or
 * done), when the program has a checkpoint directory. */
void eng_recovery_write(eng_driver *d, int64_t time_us);
/* The data checkpoint of r (of batch b) is in storage under path. */
void eng_recovery_data_checkpointed(eng_driver *d, const eng_batch *b, const eng_rdd *r, const char *path);
/* At a restarted driver's creation, with getOrCreate: restores from the
 * latest metadata checkpoint. Returns 1 restored (eng_recovery_regenerate
 * to run next), 0 nothing to restore, -1 with err set. */
int eng_recovery_restore(eng_driver *d, char *err, size_t errlen);
/* The restored batch of time t (taken over by the caller), or NULL. */
eng_batch *eng_recovery_take(eng_driver *d, int64_t t);
/* Generates again the pending batches and those of the downtime. */
void eng_recovery_regenerate(eng_driver *d);
/* Puts a restored batch into the history as it is (no forgetting). */
void eng_driver_remember_restored(eng_driver *d, eng_batch *b);

/* lost.c */
/* An executor is gone (its process died, or it fell silent for
 * spark.network.timeout): its tasks, map outputs, blocks and receivers. */
void eng_driver_executor_lost(eng_driver *d, uint32_t node, const char *why);
/* HeartbeatReceiver's sweep: executors silent for too long are lost. */
void eng_driver_expire_dead_executors(eng_driver *d);
/* A task of stage, launched at task_start_us, could not fetch map output
 * (shuffle, map) from node. */
void eng_dag_fetch_failed(eng_driver *d, int stage, int64_t task_start_us, int32_t shuffle, int32_t map, uint32_t node,
                          const char *message);

/* tracker.c */
/* Drops node from every block location the driver knows; returns how many
 * blocks were left with no copy (lost, with a block_lost event each). */
int eng_tracker_node_lost(eng_driver *d, uint32_t node);
int eng_tracker_init(eng_driver *d);
void eng_tracker_fini(eng_driver *d);
/* ReceiverTracker: launches the receivers that wait for a core and whose
 * (re)start job was submitted before job before_job (INT_MAX: all), on the
 * free cores (ReceiverTracker.startReceiver, ReceiverSchedulingPolicy). Called
 * by eng_dag_schedule whenever cores may be offered.
 * Source: ReceiverTracker.scala (ReceiverTrackerEndpoint: RestartReceiver,
 * registerReceiver), ReceiverSchedulingPolicy.scala (rescheduleReceiver). */
void eng_tracker_launch_receivers(eng_driver *d, int before_job);
/* node's executor is lost: its receivers wait to be launched again, their
 * restart job after the jobs submitted so far (the receiver's task fails
 * with the executor, its job ends, and ReceiverTrackerEndpoint's
 * RestartReceiver submits a new one). Source: ReceiverTracker.scala
 * (startReceiver's future.onComplete, RestartReceiver). */
void eng_tracker_receivers_lost(eng_driver *d, uint32_t node);
void eng_tracker_on_add_block(eng_driver *d, uint32_t src, const void *bytes, size_t len);
/* The RDD of an input stream (receiver, direct, files) at the batch being generated. */
eng_rdd *eng_tracker_rdd(eng_driver *d, eng_batch *b, const eng_dstream *ds);
/* A file stream has taken path (FileInputDStream: never read twice).
 * Returns 0, or -1 out of memory. */
int eng_tracker_file_taken(eng_input_state *s, const char *path);
/* After a batch: backpressure's rate update. */
void eng_tracker_batch_done(eng_driver *d, eng_batch *b, int64_t processing_us, int64_t scheduling_us);
/* A batch is forgotten: its receiver blocks and cached partitions are dropped. */
void eng_tracker_forget(eng_driver *d, eng_batch *b);

/* jobgen.c */
/* JobGenerator.generateJobs for time t: a new batch with the RDDs of every
 * output's parent; queued when it has jobs, kept in the history either way. */
void eng_jobgen_generate(eng_driver *d, int64_t t);
/* The batch of time t, queued, running or remembered; NULL when forgotten. */
eng_batch *eng_driver_batch_at(eng_driver *d, int64_t t);
void eng_batch_free(eng_driver *d, eng_batch *b);
/* Moves a batch into the history and forgets what is older than the remember duration. */
void eng_driver_remember(eng_driver *d, eng_batch *b);

/* ss_query.c: Structured Streaming's micro-batch loop (see ss_query.c) */
/* At the driver's creation: each query's run, restored from its offset and
 * commit logs; the first triggers. Returns 0, or -1 with err set. */
int eng_ss_start(eng_driver *d, char *err, size_t errlen);
void eng_ss_on_timer(eng_driver *d, uint32_t tag, int query);
/* A query's job is done (or failed). */
void eng_ss_job_done(eng_driver *d);
/* The job slot is free: a query waiting for it submits its batch. */
void eng_ss_kick(eng_driver *d);
/* A task of a query's job ran partition p of stage rdd on node: where that
 * partition's state store now is (the next batch prefers it). */
void eng_ss_task_done(eng_driver *d, const struct eng_rdd *rdd, int p, uint32_t node);
void eng_ss_fini(eng_driver *d);
/* The time key of query q's batch b for its job and shuffles: negative, so
 * it never meets a DStream batch time: -(q x 10^6 + b + 1). */
static inline int64_t eng_ss_job_time(int q, int64_t b) { return -((int64_t)q * 1000000 + b + 1); }

/* driver.c */
void eng_driver_start_next_batch(eng_driver *d);
/* Called by outputs.c when the running batch's last job is done. */
void eng_driver_batch_done(eng_driver *d);
/* Stops the job for good with a message (a job failed after its retries). */
void eng_driver_fail(eng_driver *d, const char *message);

#endif
