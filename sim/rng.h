/* sim/rng.h — seeded random streams, one per component.
 *
 * Generator: xoshiro256** 1.0 (Blackman and Vigna, 2018), seeded by
 * splitmix64. A stream is derived from (scenario seed, stable component name):
 * the splitmix64 state starts at seed XOR XXH3_64bits(name), and the first
 * four splitmix64 outputs are the xoshiro state. Streams therefore do not
 * depend on each other or on the order they are created in: adding a
 * component never changes another component's draws.
 */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdint.h>

typedef struct sim_rng {
    uint64_t s[4];
} sim_rng;

/* Seeds `r` for the component `name` (NUL-terminated, any length). */
void sim_rng_init(sim_rng *r, uint64_t seed, const char *name);

/* Next 64 random bits. */
uint64_t sim_rng_next(sim_rng *r);

/* Uniform double in [0, 1), from the top 53 bits. */
double sim_rng_double(sim_rng *r);

/* Uniform integer in [0, n), n >= 1, without modulo bias (Lemire 2019). */
uint64_t sim_rng_below(sim_rng *r, uint64_t n);

/* splitmix64 step: advances *state, returns the mixed output. */
uint64_t sim_splitmix64(uint64_t *state);

#endif
