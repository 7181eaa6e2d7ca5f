/* engine/plan.h — a task, as the driver sends it to an executor.
 *
 * Inside a stage every dependency is narrow and maps a partition to exactly
 * one parent partition (one-to-one, or a union's range), so the work of one
 * task is a line: an input (rows shipped with the task, or this partition of
 * the shuffles the stage reads), the narrow ops in order, and an output
 * (the buckets of the next shuffle, or a result for the driver). This is
 * Spark's ShuffleMapTask / ResultTask with its serialized RDD chain.
 *
 * A plan travels as bytes (eng_plan_encode), never as pointers: an executor
 * computes from the message and its own memory alone.
 */
#ifndef ENG_PLAN_H
#define ENG_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "part.h"
#include "rddop.h"

#define ENG_PLAN_OPS_MAX 256
#define ENG_PLAN_DEPS_MAX 128 /* parents of a cogroup: a window's batches */

typedef enum eng_plan_input {
    ENG_IN_ROWS = 1,    /* rows shipped with the task (a parallelized collection) */
    ENG_IN_SHUFFLE = 2, /* this partition of the shuffles the stage reads */
    ENG_IN_BLOCK = 3,   /* a receiver's block, from this executor or one holding a copy (BlockRDD) */
    ENG_IN_SOURCE = 4,  /* an offset range of an external log (KafkaRDD) */
    ENG_IN_FILE = 5,    /* the lines of a file in durable storage */
    ENG_IN_CHECKPOINT = 6, /* a checkpointed partition, encoded, in durable storage */
} eng_plan_input;

#define ENG_BLOCK_LOCATIONS_MAX 4

/* One partition of a source RDD: where its records come from. */
typedef struct eng_input_split {
    uint32_t kind; /* ENG_IN_BLOCK, ENG_IN_SOURCE or ENG_IN_FILE */
    uint64_t block;
    int32_t stream;
    int32_t nlocs;
    uint32_t locs[ENG_BLOCK_LOCATIONS_MAX];
    int32_t source, partition;
    int64_t from, until;
    char path[256];
    int64_t records;
} eng_input_split;
typedef enum eng_plan_output { ENG_OUT_SHUFFLE = 1, ENG_OUT_RESULT = 2 } eng_plan_output;

/* What a result task gives back. */
typedef enum eng_action {
    ENG_ACT_COLLECT = 1, /* the partition's rows (collect, take, print) */
    ENG_ACT_COUNT = 2,   /* how many rows */
    ENG_ACT_SAVE = 3,    /* write the rows as text to <path>/part-NNNNN in durable storage */
    ENG_ACT_CHECKPOINT = 4, /* write the rows encoded (engine/codec.h) to <path>/part-NNNNN: a data checkpoint */
} eng_action;

typedef struct eng_plan_dep {
    int32_t shuffle_id;
    int32_t num_maps;
    uint32_t *map_nodes; /* num_maps of them, owned: where map m's output is; 0 = lost */
} eng_plan_dep;

#define ENG_PLAN_MAPS_MAX 1000000

typedef struct eng_task_plan {
    uint64_t task_id;
    int32_t job_id, stage_id, stage_attempt, partition, attempt; /* partition: of the stage (map index, part file) */
    int64_t batch_time_us;
    uint32_t input; /* eng_plan_input */
    eng_part rows;  /* ENG_IN_ROWS */
    eng_input_split split; /* ENG_IN_BLOCK, ENG_IN_SOURCE, ENG_IN_FILE */
    eng_op reader;  /* ENG_IN_SHUFFLE: the wide op */
    int32_t ndeps;
    eng_plan_dep *deps; /* ndeps */
    int32_t input_partition; /* the partition read at the input (a union below changes it) */
    int32_t nops;
    eng_op ops[ENG_PLAN_OPS_MAX];
    int32_t op_partition[ENG_PLAN_OPS_MAX]; /* the partition index each op computes */
    uint32_t output; /* eng_plan_output */
    eng_op writer;   /* ENG_OUT_SHUFFLE: the wide op that reads what we write */
    int32_t shuffle_id;
    uint32_t action; /* ENG_OUT_RESULT */
    char save_path[512];
    /* the ops' call sites, decoded (ops[i], then reader, then writer) */
    char wheres[ENG_PLAN_OPS_MAX + 2][96];
} eng_task_plan;

/* Encodes p into a new buffer (*bytes, *len; the caller frees *bytes). */
void eng_plan_encode(const eng_task_plan *p, unsigned char **bytes, size_t *len);
/* Decodes into *p (which the caller frees with eng_plan_fini). Returns 0,
 * or -1 for bytes that are not a plan. */
int eng_plan_decode(eng_task_plan *p, const void *bytes, size_t len);
void eng_plan_fini(eng_task_plan *p);

#endif
