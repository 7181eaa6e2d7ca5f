/* engine/value.h — the records that flow through streams.
 *
 * A record is a value of the scenario contract: nil, a boolean, a 64-bit
 * integer, a double, a string, or a tuple (a Lua sequence {k, v}). Lists
 * are what the engine itself groups (groupByKey's values, cogroup's sides,
 * glom's arrays): in Lua and in JSON they are sequences like tuples, but
 * they print as Spark prints its CompactBuffer.
 *
 * Values are 16-byte handles. Strings and tuple items live in an eng_arena
 * (the partition's); a value is valid while its arena is. Out of memory in
 * an arena aborts the process with a message, as Redis's zmalloc does: the
 * simulator has no sensible way to go on.
 */
#ifndef ENG_VALUE_H
#define ENG_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef enum eng_vtype {
    ENG_V_NIL = 0,
    ENG_V_BOOL = 1,
    ENG_V_INT = 2,
    ENG_V_DOUBLE = 3,
    ENG_V_STR = 4,
    ENG_V_TUPLE = 5,
    ENG_V_LIST = 6,
} eng_vtype;

typedef struct eng_value {
    uint32_t type; /* eng_vtype */
    uint32_t len;  /* bytes of a string (NUL not counted), items of a tuple or list */
    union {
        int64_t i; /* INT; BOOL: 0 or 1 */
        double d;
        const char *s; /* NUL-terminated */
        const struct eng_value *items;
    } as;
} eng_value;

static inline eng_value eng_nil(void) { return (eng_value){.type = ENG_V_NIL}; }
static inline eng_value eng_bool(int b) { return (eng_value){.type = ENG_V_BOOL, .as.i = b != 0}; }
static inline eng_value eng_int(int64_t i) { return (eng_value){.type = ENG_V_INT, .as.i = i}; }
static inline eng_value eng_double(double d) { return (eng_value){.type = ENG_V_DOUBLE, .as.d = d}; }
static inline int eng_is_seq(const eng_value *v) { return v->type == ENG_V_TUPLE || v->type == ENG_V_LIST; }

/* Copies len bytes of s into a. */
eng_value eng_str(eng_arena *a, const char *s, size_t len);
eng_value eng_cstr(eng_arena *a, const char *s);
/* A tuple (or list) of n items copied shallowly into a: the items' own
 * strings and tuples must already live in a, or be copied there first. */
eng_value eng_seq(eng_arena *a, eng_vtype type, const eng_value *items, size_t n);
eng_value eng_pair(eng_arena *a, eng_value k, eng_value v);
/* Deep copy of v into a. */
eng_value eng_value_copy(eng_arena *a, const eng_value *v);

/* Key equality as the JVM's equals: types must match (1 and 1.0 are
 * different keys, as java.lang.Long(1) and Double(1.0) are); doubles compare
 * bitwise after canonicalising NaN, as Double.equals does. */
int eng_value_equal(const eng_value *a, const eng_value *b);

/* A total order for sorting: nil < booleans < numbers (ints and doubles by
 * value; an int before an equal double) < strings (bytewise) < tuples and
 * lists (item by item, then shorter first). */
int eng_value_cmp(const eng_value *a, const eng_value *b);

/* The JVM hashCode of the object Spark would hold for this value:
 * nil 0; Boolean 1231/1237; Long.hashCode(v) = (int)(v ^ v >>> 32);
 * Double.hashCode; String.hashCode over the UTF-16 code units of the UTF-8
 * text (s[0]*31^(n-1) + ... , 32-bit); a tuple or list as Scala 2.12's
 * MurmurHash3.productHash with each item's cooperative hash (##).
 * Sources: java.lang.{Long,Double,String,Boolean}.hashCode;
 * scala.util.hashing.MurmurHash3 (productHash, mix, finalizeHash);
 * scala.runtime.Statics (longHash, doubleHash). */
int32_t eng_value_hash(const eng_value *v);

/* Scala's ## of v (cooperative: integral doubles hash as integers), the
 * hash a tuple mixes for each item. */
int32_t eng_value_coop_hash(const eng_value *v);
/* The hashCode of a 2-tuple whose items' ## are h0 and h1 (productHash). */
int32_t eng_pair_hash(int32_t h0, int32_t h1);

/* HashPartitioner.getPartition: 0 for nil, else nonNegativeMod(hashCode, n).
 * Source: Partitioner.scala (HashPartitioner), Utils.scala (nonNegativeMod). */
int eng_value_partition(const eng_value *key, int num_partitions);

/* Writes v as Spark's toString would (Scala tuples "(a,1)", CompactBuffer
 * "CompactBuffer(1, 2)", Java's Double.toString "1.0", "1.0E10", null as
 * "null") into buf like snprintf: returns the length it needed. */
size_t eng_value_format(const eng_value *v, char *buf, size_t n);

/* Writes v as JSON (tuples and lists as arrays, doubles with the shortest
 * decimal that reads back to the same double, non-finite doubles as null,
 * strings escaped) like snprintf. */
size_t eng_value_json(const eng_value *v, char *buf, size_t n);

/* Bytes v takes when serialized (eng_codec), for the network and cost model. */
size_t eng_value_wire_size(const eng_value *v);

#endif
