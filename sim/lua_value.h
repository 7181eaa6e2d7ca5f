/* sim/lua_value.h — records between Lua and the engine.
 *
 * Lua to engine: nil, booleans, integers (int64), floats (double), strings,
 * and sequences (tables with keys 1..n, or with a field n as table.pack
 * makes, so a trailing nil such as {1, nil} keeps its place) become tuples.
 * Anything else (a function, a table with other keys) is an error naming
 * what was found. Nesting is bounded (SIM_LUA_VALUE_DEPTH).
 * Engine to Lua: the reverse; tuples and lists become sequences with n set
 * when they end in nil.
 */
#ifndef SIM_LUA_VALUE_H
#define SIM_LUA_VALUE_H

#include <stddef.h>

#include <lua.h>

#include "../engine/value.h"

#define SIM_LUA_VALUE_DEPTH 32

/* Converts the Lua value at idx into *out (allocated in a). Returns 0, or
 * -1 with a message in err. */
int sim_lua_to_value(lua_State *L, int idx, eng_arena *a, eng_value *out, char *err, size_t errlen);

/* Pushes v. */
void sim_lua_push_value(lua_State *L, const eng_value *v);

#endif
