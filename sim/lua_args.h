/* sim/lua_args.h — reading the option tables scenarios pass to the API.
 *
 * Every API call that takes a table (scenario{...}, StreamingContext{...})
 * checks it with these: a missing required field, a field of the wrong type,
 * a bad duration or an unknown key (a typo) raises a Lua error that names the
 * scenario's file:line, the call and the field, e.g.
 *   hello.lua:2: StreamingContext{}: batchDuration: bad duration "1x": ...
 */
#ifndef SIM_LUA_ARGS_H
#define SIM_LUA_ARGS_H

#include <stdint.h>

#include <lua.h>

/* Raises an error if the table at idx has a key not in `allowed` (a
 * NULL-terminated list). Keys are checked in sorted order, so the error is
 * the same on every run. */
void sim_args_check_keys(lua_State *L, int idx, const char *call, const char *const *allowed);

/* Each reads t[key] of the table at idx. Returns 1 if present (value in
 * *out), 0 if absent (and not required); raises an error if required and
 * absent, or of the wrong type. */
int sim_args_duration(lua_State *L, int idx, const char *call, const char *key, int required, int64_t *out_us);
int sim_args_integer(lua_State *L, int idx, const char *call, const char *key, int required, int64_t min,
                     int64_t max, int64_t *out);
/* A number within [min, max]; else "<call>: <key> must be a number from min to max". */
int sim_args_number(lua_State *L, int idx, const char *call, const char *key, int required, double min, double max,
                    double *out);
/* true or false, as 1 or 0; else "<call>: <key> must be true or false". */
int sim_args_boolean(lua_State *L, int idx, const char *call, const char *key, int required, int *out);
/* *out is borrowed from the table: valid while the table is. */
int sim_args_string(lua_State *L, int idx, const char *call, const char *key, int required, const char **out);

/* The duration at stack index arg of a function call (for ssc:awaitTerminationOrTimeout("10s")). */
int64_t sim_args_check_duration(lua_State *L, int arg, const char *call);

#endif
