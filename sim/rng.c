/* sim/rng.c — see rng.h. */
#include "rng.h"

#include <string.h>
#include <xxhash.h>

uint64_t sim_splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void sim_rng_init(sim_rng *r, uint64_t seed, const char *name) {
    uint64_t sm = seed ^ XXH3_64bits(name, strlen(name));
    for (int i = 0; i < 4; i++) r->s[i] = sim_splitmix64(&sm);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t sim_rng_next(sim_rng *r) {
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double sim_rng_double(sim_rng *r) { return (double)(sim_rng_next(r) >> 11) * 0x1.0p-53; }

uint64_t sim_rng_below(sim_rng *r, uint64_t n) {
    /* Lemire's nearly-divisionless method on the 128-bit product. */
    unsigned __int128 m = (unsigned __int128)sim_rng_next(r) * n;
    uint64_t low = (uint64_t)m;
    if (low < n) {
        uint64_t threshold = (0 - n) % n;
        while (low < threshold) {
            m = (unsigned __int128)sim_rng_next(r) * n;
            low = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}
