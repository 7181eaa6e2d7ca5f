/* sim/fuzz.h — `streamlab fuzz` (see fuzz.c). */
#ifndef SIM_FUZZ_H
#define SIM_FUZZ_H

#include <stdint.h>

/* Runs scenario (whose faults.random{} draws a plan per seed) for the seeds
 * from..to of shard `shard` of `shards` (0-based), `jobs` seeds at a time
 * (each two processes); self is this program's path. Prints how many seeds
 * violated the expected delivery and, for the smallest, the shrunk plan and
 * the command that replays it; progress on stderr when it is a terminal.
 * Returns SIM_EXIT_OK (none), SIM_EXIT_EXPECTATIONS (a violation found) or
 * SIM_EXIT_USAGE (a run without faults failed). */
int sim_fuzz(const char *self, const char *scenario, uint64_t from, uint64_t to, int shard, int shards, int jobs);

#endif
