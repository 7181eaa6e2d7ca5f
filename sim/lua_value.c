/* sim/lua_value.c — see lua_value.h. */
#include "lua_value.h"

#include <stdio.h>
#include <stdlib.h>

#include <lauxlib.h>

static int to_value(lua_State *L, int idx, eng_arena *a, eng_value *out, int depth, char *err, size_t errlen) {
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        *out = eng_nil();
        return 0;
    case LUA_TBOOLEAN:
        *out = eng_bool(lua_toboolean(L, idx));
        return 0;
    case LUA_TNUMBER:
        *out = lua_isinteger(L, idx) ? eng_int(lua_tointeger(L, idx)) : eng_double(lua_tonumber(L, idx));
        return 0;
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        *out = eng_str(a, s, len);
        return 0;
    }
    case LUA_TTABLE:
        break;
    default:
        snprintf(err, errlen, "a %s (a record is nil, a boolean, a number, a string or a list of these)",
                 luaL_typename(L, idx));
        return -1;
    }
    if (depth >= SIM_LUA_VALUE_DEPTH) {
        snprintf(err, errlen, "a record nested more than %d deep", SIM_LUA_VALUE_DEPTH);
        return -1;
    }
    idx = lua_absindex(L, idx);
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
    if (lua_getfield(L, idx, "n") == LUA_TNUMBER && lua_isinteger(L, -1) && lua_tointeger(L, -1) >= n)
        n = lua_tointeger(L, -1);
    lua_pop(L, 1);
    /* a table with keys other than 1..n (and n) is not a sequence */
    lua_Integer keys = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING && lua_rawlen(L, -1) == 1 && lua_tostring(L, -1)[0] == 'n') continue;
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 || lua_tointeger(L, -1) > n) {
            lua_pop(L, 1);
            snprintf(err, errlen, "a table with named fields (a record is a value or a list such as {key, value})");
            return -1;
        }
        keys++;
    }
    if (n > 1 << 24) {
        snprintf(err, errlen, "a record of more than %d items", 1 << 24);
        return -1;
    }
    eng_value *items = malloc((size_t)(n ? n : 1) * sizeof *items);
    if (!items) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, idx, i);
        int rc = to_value(L, -1, a, &items[i - 1], depth + 1, err, errlen);
        lua_pop(L, 1);
        if (rc) {
            free(items);
            return -1;
        }
    }
    *out = eng_seq(a, ENG_V_TUPLE, items, (size_t)n);
    free(items);
    (void)keys;
    return 0;
}

int sim_lua_to_value(lua_State *L, int idx, eng_arena *a, eng_value *out, char *err, size_t errlen) {
    return to_value(L, idx, a, out, 0, err, errlen);
}

void sim_lua_push_value(lua_State *L, const eng_value *v) {
    switch (v->type) {
    case ENG_V_NIL:
        lua_pushnil(L);
        break;
    case ENG_V_BOOL:
        lua_pushboolean(L, (int)v->as.i);
        break;
    case ENG_V_INT:
        lua_pushinteger(L, v->as.i);
        break;
    case ENG_V_DOUBLE:
        lua_pushnumber(L, v->as.d);
        break;
    case ENG_V_STR:
        lua_pushlstring(L, v->as.s, v->len);
        break;
    default:
        luaL_checkstack(L, 4, "record too deep");
        lua_createtable(L, (int)v->len, 0);
        for (uint32_t i = 0; i < v->len; i++) {
            sim_lua_push_value(L, &v->as.items[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        if (v->len && v->as.items[v->len - 1].type == ENG_V_NIL) {
            lua_pushinteger(L, (lua_Integer)v->len);
            lua_setfield(L, -2, "n");
        }
    }
}
