/* engine/api.h — what the host (the scenario's Lua) may ask of the driver
 * while one of its functions runs there (transform, foreachRDD). */
#ifndef ENG_API_H
#define ENG_API_H

#include <stddef.h>

#include "program.h"
#include "rdd.h"

/* Makes an RDD in the batch being generated or run (valid only during a
 * transform or foreachRDD call). NULL with err set when the shapes are wrong. */
eng_rdd *eng_driver_rdd(void *driver, const eng_op *op, eng_rdd *const *parents, int n, const eng_collection *c,
                        char *err, size_t errlen);

/* DStream.slice: the RDDs of stream ds at its valid times in [from, to]
 * that the driver still remembers, oldest first (at most max). Returns how
 * many, or -1 with err set. Valid only during a transform or foreachRDD call. */
int eng_driver_slice(void *driver, int ds, int64_t from_us, int64_t to_us, eng_rdd **out, int max, char *err,
                     size_t errlen);

/* spark.default.parallelism of the run. */
int eng_driver_default_parallelism(const void *driver);

#endif
