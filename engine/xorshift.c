/* engine/xorshift.c — see xorshift.h. */
#include "xorshift.h"

static uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

/* scala.util.hashing.MurmurHash3 */
static uint32_t mix_last(uint32_t h, uint32_t k) {
    k *= 0xcc9e2d51u;
    k = rotl32(k, 15);
    k *= 0x1b873593u;
    return h ^ k;
}

static uint32_t mix(uint32_t h, uint32_t k) { return rotl32(mix_last(h, k), 13) * 5 + 0xe6546b64u; }

static uint32_t finalize_hash(uint32_t h, uint32_t length) {
    h ^= length;
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

/* MurmurHash3.bytesHash(data, seed): 4-byte little-endian blocks, then the tail. */
static uint32_t bytes_hash(const uint8_t *data, uint32_t len, uint32_t seed) {
    uint32_t h = seed, i = 0;
    for (; len - i >= 4; i += 4)
        h = mix(h, (uint32_t)data[i] | (uint32_t)data[i + 1] << 8 | (uint32_t)data[i + 2] << 16 |
                       (uint32_t)data[i + 3] << 24);
    uint32_t rest = len - i, k = 0;
    if (rest == 3) k ^= (uint32_t)data[i + 2] << 16;
    if (rest >= 2) k ^= (uint32_t)data[i + 1] << 8;
    if (rest >= 1) {
        k ^= data[i];
        h = mix_last(h, k);
    }
    return finalize_hash(h, len);
}

#define ARRAY_SEED 0x3c074a61u /* MurmurHash3.arraySeed */

int64_t eng_xorshift_hash_seed(int64_t seed) {
    uint8_t bytes[8]; /* ByteBuffer.putLong: big-endian */
    uint64_t s = (uint64_t)seed;
    for (int i = 0; i < 8; i++) bytes[i] = (uint8_t)(s >> (56 - 8 * i));
    uint32_t low = bytes_hash(bytes, 8, ARRAY_SEED);
    uint32_t high = bytes_hash(bytes, 8, low);
    return (int64_t)((uint64_t)high << 32 | low);
}

void eng_xorshift_init(eng_xorshift *r, int64_t seed) { r->seed = eng_xorshift_hash_seed(seed); }

int32_t eng_xorshift_next_bits(eng_xorshift *r, int bits) {
    uint64_t s = (uint64_t)r->seed;
    s ^= s << 21;
    s ^= s >> 35; /* >>> on the unsigned bits */
    s ^= s << 4;
    r->seed = (int64_t)s;
    uint64_t mask = bits >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << bits) - 1;
    return (int32_t)(uint32_t)(s & mask);
}

int32_t eng_xorshift_next_int(eng_xorshift *r, int32_t bound) {
    if (bound <= 0) return -1;
    int32_t rnd = eng_xorshift_next_bits(r, 31);
    int32_t m = bound - 1;
    if ((bound & m) == 0) /* a power of two: the high bits */
        return (int32_t)(((int64_t)bound * rnd) >> 31);
    /* Reject the top partial range: u - (u % bound) + m overflows an int there
     * (Java's test `u - r + m < 0`, done in 32-bit wrap-around arithmetic). */
    for (int32_t u = rnd;; u = eng_xorshift_next_bits(r, 31)) {
        rnd = u % bound;
        if ((int32_t)((uint32_t)u - (uint32_t)rnd + (uint32_t)m) >= 0) return rnd;
    }
}
