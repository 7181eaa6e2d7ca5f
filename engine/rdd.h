/* engine/rdd.h — the RDDs of a batch, in the driver's memory.
 *
 * An RDD is an op (engine/rddop.h) over parent RDDs, with a partition
 * count; its lineage is the chain of parents down to sources. RDDs of a
 * batch are made when the batch is generated (DStream.getOrCompute) and
 * freed with the batch. A wide RDD owns one shuffle id per parent: the
 * shuffle that its map stage writes and its tasks read.
 */
#ifndef ENG_RDD_H
#define ENG_RDD_H

#include <stdint.h>

#include "plan.h"
#include "program.h"
#include "rddop.h"

#define ENG_RDD_PARENTS_MAX 1024 /* a window of up to this many batches */

typedef struct eng_rdd {
    uint32_t id;
    eng_op op;
    struct eng_rdd **parents; /* nparents, owned */
    int nparents;
    int num_partitions;
    const eng_collection *collection;     /* ENG_OP_PARALLEL */
    eng_input_split *splits;              /* ENG_OP_INPUT: num_partitions of them, owned */
    int32_t *shuffle_ids;     /* wide ops: one shuffle per parent, owned */
    int lineage;                          /* RDDs on the longest path to a source, this one included */
    int partitioner;                      /* n when hash-partitioned by key into n (HashPartitioner); 0 none */
    int persist;                          /* cache its partitions on the executors */
    uint32_t *cached_on;                  /* persist: per partition, the executor holding it; 0 = none */
    int64_t time_us;                      /* the batch time it belongs to */
    int checkpoint;                       /* 1: to be written to durable storage; 2: written */
    struct eng_rdd_pool *pool;            /* the batch's pool it belongs to */
    uint32_t visited;                     /* the last reachability pass that visited it */
    struct eng_rdd *next_in_pool;
} eng_rdd;

/* The RDDs one batch made (and the transform functions made for it): freed
 * together. */
typedef struct eng_rdd_pool {
    eng_rdd *head;
    int count;
    uint32_t reached; /* the driver's last reachability pass that reached an RDD here */
} eng_rdd_pool;

/* Ids: the driver's counters, so every RDD and shuffle of a run has its own. */
typedef struct eng_rdd_ids {
    uint32_t next_rdd;
    int32_t next_shuffle;
} eng_rdd_ids;

/* Makes an RDD applying op to parents (n of them; sources take none).
 * Checks the shapes Spark checks (union needs at least one parent; wide ops
 * need a positive partition count). Returns NULL with a message in err.
 * The RDD belongs to pool. */
eng_rdd *eng_rdd_new(eng_rdd_pool *pool, eng_rdd_ids *ids, const eng_op *op, eng_rdd *const *parents, int n,
                     const eng_collection *collection, char *err, size_t errlen);

/* An input RDD over n splits (copied). */
eng_rdd *eng_rdd_input(eng_rdd_pool *pool, eng_rdd_ids *ids, uint32_t name, const eng_input_split *splits, int n);

/* The block id of a cached partition: the top bit marks a cache block. */
static inline uint64_t eng_cache_block_id(uint32_t rdd, int partition) {
    return (1ULL << 63) | ((uint64_t)rdd << 20) | (uint64_t)(uint32_t)partition;
}

/* Frees every RDD of the pool. */
void eng_rdd_pool_free(eng_rdd_pool *pool);

/* Cuts r's lineage (a data checkpoint): r reads its n splits from durable
 * storage from now on and has no parents. */
void eng_rdd_truncate(eng_rdd *r, const eng_input_split *splits, int n);

/* For a union: which parent holds partition p, and its index there. */
void eng_rdd_union_locate(const eng_rdd *u, int p, int *parent, int *local);

#endif
