/* engine/compute.h — what a task does to records: apply functions, narrow
 * ops, the two sides of a shuffle. Pure computation over partitions; the
 * only door out is env->ops->call for the host's functions.
 *
 * Every function returns 0, or -1 with a message in err that names the
 * operation and what was wrong with which record, e.g.
 *   reduceByKey: record "a" is not a (key, value) pair
 */
#ifndef ENG_COMPUTE_H
#define ENG_COMPUTE_H

#include <stddef.h>

#include "env.h"
#include "part.h"
#include "rddop.h"

/* Calls fn (a built-in natively, a host function through the env). */
int eng_call(const eng_env *env, const eng_fn *fn, const eng_value *args, int nargs, eng_arena *arena,
             eng_value *out, char *err, size_t errlen);

/* Applies a narrow one-parent op (map ... distribute, and the merges of
 * windows and state) to partition `index`'s rows `in` of the batch at
 * time_us, appending to out. The rows of out may share memory
 * with the rows of in (a filter passes records on as they are; a map may
 * return a part of its input): keep in alive while out is used. */
int eng_compute_narrow(const eng_env *env, const eng_op *op, int index, int64_t time_us, const eng_part *in,
                       eng_part *out, char *err, size_t errlen);

/* Map side of the shuffle that `reader` (COMBINE or COGROUP) reads: splits
 * `in` into reader->num_partitions buckets by HashPartitioner of the key,
 * combining on the map side when the aggregator says so (in Spark's order:
 * PartitionedAppendOnlyMap, then a stable sort by partition; without
 * combining, input order). buckets must hold num_partitions initialised parts. */
int eng_shuffle_write(const eng_env *env, const eng_op *reader, const eng_part *in, eng_part *buckets, char *err,
                      size_t errlen);

/* Reduce side: inputs[d][m] is this partition's bucket from map m of the
 * shuffle of parent d (d < ndeps, m < num_maps[d]), in map order. COMBINE
 * aggregates through Spark's AppendOnlyMap and emits (k, combiner) in its
 * order; without an aggregator it concatenates; COGROUP emits
 * (k, (list_0, ..., list_{ndeps-1})). The rows of out may share memory with
 * the inputs: keep them alive while out is used. */
int eng_shuffle_read(const eng_env *env, const eng_op *reader, int ndeps, const eng_part *const *inputs,
                     const int *num_maps, eng_part *out, char *err, size_t errlen);

#endif
