/* sim/lua_replay.h — the replay source (lua_replay.c): a dataset's rows
 * with their event time, arriving in simulated time as their own arrival
 * column or an arrival model says. */
#ifndef SIM_LUA_REPLAY_H
#define SIM_LUA_REPLAY_H

#include <lua.h>
#include <stdint.h>

#include "../engine/ss.h"

/* Reads the dataset the options name (opt(ud, key) gives an option or
 * NULL), makes it a world log of one partition in arrival order, and fills
 * src (kind, source, schema, name, records, malformed). Raises a Lua error
 * naming the option or file on bad input. */
int sim_replay_load(lua_State *L, const char *(*opt)(const void *ud, const char *key), const void *ud,
                    eng_ss_source *src, uint64_t seed);

#endif
