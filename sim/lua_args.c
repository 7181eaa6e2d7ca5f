/* sim/lua_args.c — see lua_args.h. */
#include "lua_args.h"

#include <string.h>

#include <lauxlib.h>

#include "duration.h"
#include "lua_sandbox.h"

void sim_args_check_keys(lua_State *L, int idx, const char *call, const char *const *allowed) {
    idx = lua_absindex(L, idx);
    if (!lua_istable(L, idx)) sim_lua_error(L, "%s: expected a table of options, got %s", call, luaL_typename(L, idx));
    sim_lua_push_sorted_keys(L, idx);
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        if (lua_type(L, -1) != LUA_TSTRING)
            sim_lua_error(L, "%s: options are named (key = value); found a positional value", call);
        const char *k = lua_tostring(L, -1);
        int ok = 0;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, k) == 0) ok = 1;
        if (!ok) {
            char known[512] = "";
            for (const char *const *a = allowed; *a; a++) {
                if (known[0]) strncat(known, ", ", sizeof known - strlen(known) - 1);
                strncat(known, *a, sizeof known - strlen(known) - 1);
            }
            sim_lua_error(L, "%s: unknown option \"%s\" (known: %s)", call, k, known);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* Pushes t[key]; returns its type, raising if required and nil. */
static int field(lua_State *L, int idx, const char *call, const char *key, int required) {
    int t = lua_getfield(L, idx, key);
    if (t == LUA_TNIL && required) sim_lua_error(L, "%s: \"%s\" is required", call, key);
    return t;
}

int sim_args_duration(lua_State *L, int idx, const char *call, const char *key, int required, int64_t *out_us) {
    idx = lua_absindex(L, idx);
    int t = field(L, idx, call, key, required);
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    if (t != LUA_TSTRING)
        sim_lua_error(L, "%s: %s must be a duration string such as \"1s\" or \"200ms\", got %s", call, key,
                      luaL_typename(L, -1));
    char err[512];
    if (sim_duration_parse(lua_tostring(L, -1), out_us, err, sizeof err))
        sim_lua_error(L, "%s: %s: %s", call, key, err);
    lua_pop(L, 1);
    return 1;
}

int sim_args_integer(lua_State *L, int idx, const char *call, const char *key, int required, int64_t min,
                     int64_t max, int64_t *out) {
    idx = lua_absindex(L, idx);
    int t = field(L, idx, call, key, required);
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    if (!lua_isinteger(L, -1))
        sim_lua_error(L, "%s: %s must be an integer, got %s", call, key,
                      t == LUA_TNUMBER ? "a fraction" : luaL_typename(L, -1));
    lua_Integer v = lua_tointeger(L, -1);
    if (v < min || v > max)
        sim_lua_error(L, "%s: %s must be between %lld and %lld, got %lld", call, key, (long long)min, (long long)max,
                      (long long)v);
    *out = v;
    lua_pop(L, 1);
    return 1;
}

int sim_args_string(lua_State *L, int idx, const char *call, const char *key, int required, const char **out) {
    idx = lua_absindex(L, idx);
    int t = field(L, idx, call, key, required);
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    if (t != LUA_TSTRING) sim_lua_error(L, "%s: %s must be a string, got %s", call, key, luaL_typename(L, -1));
    *out = lua_tostring(L, -1);
    lua_pop(L, 1); /* the table still holds the string */
    return 1;
}

int sim_args_number(lua_State *L, int idx, const char *call, const char *key, int required, double min, double max,
                    double *out) {
    idx = lua_absindex(L, idx);
    int t = field(L, idx, call, key, required);
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    double v = lua_tonumber(L, -1);
    if (!lua_isnumber(L, -1) || !(v >= min && v <= max))
        sim_lua_error(L, "%s: %s must be a number from %g to %g", call, key, min, max);
    *out = v;
    lua_pop(L, 1);
    return 1;
}

int sim_args_boolean(lua_State *L, int idx, const char *call, const char *key, int required, int *out) {
    idx = lua_absindex(L, idx);
    int t = field(L, idx, call, key, required);
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    if (t != LUA_TBOOLEAN) sim_lua_error(L, "%s: %s must be true or false", call, key);
    *out = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return 1;
}

int64_t sim_args_check_duration(lua_State *L, int arg, const char *call) {
    if (lua_type(L, arg) != LUA_TSTRING)
        sim_lua_error(L, "%s: expected a duration string such as \"10s\", got %s", call,
                      luaL_typename(L, arg));
    int64_t us;
    char err[512];
    if (sim_duration_parse(lua_tostring(L, arg), &us, err, sizeof err)) sim_lua_error(L, "%s: %s", call, err);
    return us;
}
