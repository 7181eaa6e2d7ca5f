/* engine/rddop.h — what an RDD does to its parents' partitions.
 *
 * Every RDD of a batch is one op applied to its parents: a source (data
 * shipped with the task, nothing), a narrow op (partition i from parent
 * partition i: map, filter, ...; union concatenates its parents'
 * partitions), or a wide op that reads a shuffle (combineByKey and the
 * operations Spark builds on it; cogroup, on which Spark builds join).
 *
 * Ops are plain data (kind, functions, partition count): they travel inside
 * task descriptions to the executors.
 */
#ifndef ENG_RDDOP_H
#define ENG_RDDOP_H

#include <stdint.h>

#include "func.h"

typedef enum eng_op_kind {
    /* sources */
    ENG_OP_PARALLEL = 1, /* a parallelized collection: rows shipped with each task */
    ENG_OP_EMPTY,        /* no partitions (SparkContext.emptyRDD) */
    ENG_OP_INPUT,        /* one partition per input split: blocks, log ranges, files */
    /* narrow */
    ENG_OP_MAP,
    ENG_OP_FLAT_MAP,
    ENG_OP_FILTER,
    ENG_OP_MAP_PARTITIONS, /* f(list of the partition's rows) -> sequence */
    ENG_OP_GLOM,           /* the partition's rows as one list */
    ENG_OP_MAP_VALUES,
    ENG_OP_FLAT_MAP_VALUES,
    ENG_OP_DISTRIBUTE, /* repartition's keying: (position, x), start from XORShiftRandom(index) */
    ENG_OP_UNION,      /* parents' partitions one after the other */
    ENG_OP_WINDOW_MERGE, /* after a cogroup of (previous window, old..., new...): ReducedWindowedDStream's mergeValues */
    ENG_OP_UPDATE_STATE, /* after a cogroup of (new values, previous state): updateStateByKey's function */
    ENG_OP_UPDATE_STATE_IDLE, /* over the previous state alone, when no data came: f(key, {}, state) */
    /* wide: the first op of a stage, reading shuffles */
    ENG_OP_COMBINE, /* combineByKey with an aggregator, or a plain partitionBy (no aggregator) */
    ENG_OP_COGROUP, /* (k, (list from parent 0, list from parent 1, ...)) */
    ENG_OP_MAP_WITH_STATE, /* (new data, previous state rows) -> mapped values and state rows (MapWithStateRDD) */
    /* Structured Streaming (engine/ss_exec.c): query `query`'s steps and stateful operators */
    ENG_OP_SS_ROWS,  /* source records -> rows (step_from < 0), then steps [step_from, step_to) */
    ENG_OP_SS_AGG,   /* after a COMBINE of (keys, buffers): the state store of the aggregation */
    ENG_OP_SS_DEDUP, /* after a partitionBy of (keys, row): dropDuplicates' state store */
    ENG_OP_KIND_COUNT_
} eng_op_kind;

/* Spark's Aggregator: createCombiner, mergeValue, mergeCombiners.
 * Source: Aggregator.scala; PairRDDFunctions.combineByKeyWithClassTag. */
typedef struct eng_aggregator {
    int present; /* 0: no aggregation (partitionBy, repartition) */
    int map_side_combine;
    eng_fn create_combiner, merge_value, merge_combiners;
} eng_aggregator;

typedef struct eng_op {
    uint32_t kind;      /* eng_op_kind */
    uint32_t name;      /* eng_op_name: the operation the scenario called, for messages */
    eng_fn fn;          /* narrow ops */
    eng_fn fn2;         /* ENG_OP_WINDOW_MERGE: the inverse function */
    int32_t param;      /* ENG_OP_WINDOW_MERGE: how many old batches; ENG_OP_UPDATE_STATE*: 1 = f takes the time;
                           ENG_OP_MAP_WITH_STATE: 1 = a full scan for timeouts (a checkpoint batch) */
    int64_t timeout_us; /* ENG_OP_MAP_WITH_STATE: StateSpec.timeout; 0 = none */
    int64_t time_us;    /* ENG_OP_MAP_WITH_STATE: the batch time */
    eng_aggregator agg; /* ENG_OP_COMBINE */
    int32_t num_partitions; /* wide ops: HashPartitioner(n); ENG_OP_DISTRIBUTE: n */
    /* Structured Streaming ops: the query, its steps, the state store version
     * the batch reads (its batch id), the watermark for late rows and for eviction */
    int32_t query, step_from, step_to;
    int64_t version, watermark_us, evict_us;
    const char *where;      /* file:line of the scenario's call, for messages; borrowed, may be NULL */
} eng_op;

/* The names an op can carry: Spark's method names. */
#define ENG_OP_NAMES(X)                                                                             \
    X(PARALLELIZE, "parallelize") X(EMPTY_RDD, "emptyRDD") X(MAP, "map") X(FLAT_MAP, "flatMap")       \
    X(FILTER, "filter") X(MAP_PARTITIONS, "mapPartitions") X(GLOM, "glom") X(MAP_VALUES, "mapValues") \
    X(FLAT_MAP_VALUES, "flatMapValues") X(REPARTITION, "repartition") X(UNION, "union")              \
    X(REDUCE_BY_KEY, "reduceByKey") X(GROUP_BY_KEY, "groupByKey") X(COMBINE_BY_KEY, "combineByKey")    \
    X(PARTITION_BY, "partitionBy") X(COGROUP, "cogroup") X(JOIN, "join")                              \
    X(LEFT_OUTER_JOIN, "leftOuterJoin") X(RIGHT_OUTER_JOIN, "rightOuterJoin")                        \
    X(FULL_OUTER_JOIN, "fullOuterJoin") X(COUNT, "count") X(REDUCE, "reduce")                        \
    X(COUNT_BY_VALUE, "countByValue") X(KEYS, "keys") X(VALUES, "values") X(TRANSFORM, "transform")   \
    X(QUEUE_STREAM, "queueStream") X(SOCKET_TEXT_STREAM, "socketTextStream")                         \
    X(CREATE_STREAM, "KafkaUtils.createStream") X(CREATE_DIRECT_STREAM, "KafkaUtils.createDirectStream") \
    X(TEXT_FILE_STREAM, "textFileStream") X(WINDOW, "window")                                          \
    X(REDUCE_BY_KEY_AND_WINDOW, "reduceByKeyAndWindow") X(UPDATE_STATE_BY_KEY, "updateStateByKey")     \
    X(COUNT_BY_WINDOW, "countByWindow") X(REDUCE_BY_WINDOW, "reduceByWindow")                          \
    X(COUNT_BY_VALUE_AND_WINDOW, "countByValueAndWindow") X(GROUP_BY_KEY_AND_WINDOW, "groupByKeyAndWindow")   \
    X(MAP_WITH_STATE, "mapWithState") X(STATE_SNAPSHOTS, "stateSnapshots")  \
    X(WRITE_STREAM, "writeStream") X(GROUP_BY, "groupBy") X(DROP_DUPLICATES, "dropDuplicates")

typedef enum eng_op_name {
#define ENG_OP_NAME_ENUM_(id, s) ENG_NAME_##id,
    ENG_OP_NAMES(ENG_OP_NAME_ENUM_)
#undef ENG_OP_NAME_ENUM_
    ENG_NAME_COUNT_
} eng_op_name;

const char *eng_op_name_str(uint32_t name);

static inline int eng_op_is_wide(uint32_t kind) {
    return kind == ENG_OP_COMBINE || kind == ENG_OP_COGROUP || kind == ENG_OP_MAP_WITH_STATE;
}

#endif
