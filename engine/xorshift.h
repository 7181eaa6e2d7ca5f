/* engine/xorshift.h — Spark's XORShiftRandom, for Spark's record placement.
 *
 * RDD.repartition and coalesce(shuffle = true) deal a partition's records
 * round-robin over the output partitions, starting at
 * `new XORShiftRandom(index).nextInt(numPartitions)` (index = the input
 * partition's index). This reproduces that generator bit for bit:
 *
 *   hashSeed(seed): bytes = the 8 big-endian bytes of seed;
 *     lowBits  = MurmurHash3.bytesHash(bytes, arraySeed = 0x3c074a61);
 *     highBits = MurmurHash3.bytesHash(bytes, lowBits);
 *     state    = (highBits << 32) | (lowBits & 0xFFFFFFFF)
 *   next(bits): s ^= s << 21; s ^= s >>> 35; s ^= s << 4; low `bits` bits of s
 *   nextInt(bound): java.util.Random.nextInt(int bound) on top of next(31)
 *
 * Sources: apache/spark core/src/main/scala/org/apache/spark/util/random/
 * XORShiftRandom.scala (class XORShiftRandom, object XORShiftRandom.hashSeed);
 * scala/scala src/library/scala/util/hashing/MurmurHash3.scala (bytesHash,
 * mix, mixLast, finalizeHash); java.util.Random.nextInt(int).
 * Golden values: tests/golden/XORShiftRandomGolden.java.
 */
#ifndef ENG_XORSHIFT_H
#define ENG_XORSHIFT_H

#include <stdint.h>

typedef struct eng_xorshift {
    int64_t seed; /* the generator's state: hashSeed(init), then each next() */
} eng_xorshift;

/* new XORShiftRandom(seed). */
void eng_xorshift_init(eng_xorshift *r, int64_t seed);

/* nextInt(bound): uniform in [0, bound). bound must be > 0 (Java throws
 * IllegalArgumentException); for bound <= 0 this returns -1 and draws nothing. */
int32_t eng_xorshift_next_int(eng_xorshift *r, int32_t bound);

/* next(bits), 1 <= bits <= 32: the low `bits` bits of the next state, as an
 * int (next(32) may be negative). */
int32_t eng_xorshift_next_bits(eng_xorshift *r, int bits);

/* XORShiftRandom.hashSeed(seed). */
int64_t eng_xorshift_hash_seed(int64_t seed);

#endif
