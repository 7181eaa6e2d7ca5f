/* engine/aomap.h — Spark's AppendOnlyMap, for Spark's record order.
 *
 * Spark aggregates by key (reduceByKey, groupByKey, combineByKey, cogroup)
 * in an AppendOnlyMap: open addressing over 2^k slots (64 at first, doubled
 * when more than 0.7 of them are used), slot = murmur3_32(key.hashCode) &
 * mask, quadratic probing (pos += 1, 2, 3, ...). Its iterator yields the null
 * key first, then the slots in order: that is the order in which a reduced
 * partition's records come out, so print() shows what Spark shows.
 * Source: AppendOnlyMap.scala (changeValue, growTable, iterator, rehash =
 * Guava Hashing.murmur3_32().hashInt).
 *
 * Keys and values are eng_values whose storage the caller keeps alive (the
 * map copies no records). Bounded by memory only; aborts when out of it.
 */
#ifndef ENG_AOMAP_H
#define ENG_AOMAP_H

#include <stddef.h>
#include <stdint.h>

#include "value.h"

typedef struct eng_aomap {
    eng_value *keys, *vals; /* capacity slots; key type ENG_V_NIL + !used = empty */
    int32_t *hashes;        /* each used slot's key.hashCode, so growing and probing skip rehashing */
    uint8_t *used;
    size_t capacity, size;
    int have_null;
    eng_value null_val;
} eng_aomap;

void eng_aomap_init(eng_aomap *m);
void eng_aomap_fini(eng_aomap *m);

/* The value slot for key: *found tells whether it was there. A new slot's
 * value is nil until the caller sets it. The pointer is valid until the next
 * insert. */
eng_value *eng_aomap_slot(eng_aomap *m, const eng_value *key, int *found);

/* The same, for a caller that has key's hashCode already (eng_value_hash).
 * When the key is new, *stored points at the map's copy of the key handle,
 * which the caller may replace with an equal key that lives longer (the
 * probe key can then live on the stack). */
eng_value *eng_aomap_slot_h(eng_aomap *m, const eng_value *key, int32_t hash, int *found, eng_value **stored);

/* Iteration in Spark's order: it = 0 to start; returns 0 at the end. */
int eng_aomap_next(const eng_aomap *m, size_t *it, eng_value *key, eng_value *val);

/* Guava's Hashing.murmur3_32().hashInt(h) (seed 0). */
int32_t eng_murmur3_hash_int(int32_t h);

#endif
