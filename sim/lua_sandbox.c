/* sim/lua_sandbox.c — see lua_sandbox.h. */
#include "lua_sandbox.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

/* ---- where: file:line of the innermost Lua frame ------------------------ */

static const char *frame_source(const lua_Debug *ar) {
    /* "@path" for files; anything else is a chunk string we never load. */
    return ar->source[0] == '@' ? ar->source + 1 : ar->short_src;
}

const char *sim_lua_where(lua_State *L, char *buf, size_t buflen) {
    lua_Debug ar;
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "Sl", &ar)) break;
        if (ar.currentline > 0) {
            snprintf(buf, buflen, "%s:%d", frame_source(&ar), ar.currentline);
            return buf;
        }
    }
    snprintf(buf, buflen, "?");
    return buf;
}

int sim_lua_error(lua_State *L, const char *fmt, ...) {
    char where[512], msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sim_lua_where(L, where, sizeof where);
    lua_pushfstring(L, "%s: %s", where, msg);
    return lua_error(L);
}

sim_lua *sim_lua_from(lua_State *L) {
    void *ud;
    lua_getallocf(L, &ud);
    return ud;
}

/* ---- limits ---------------------------------------------------------------- */

static void *sandbox_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    sim_lua *sl = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        sl->memory_used -= old;
        return NULL;
    }
    if (nsize > old && sl->memory_used - old + nsize > sl->memory_max) {
        /* Remember which Lua line asked, now, while its frame still exists:
         * Lua unwinds the stack before reporting a memory error. Reading the
         * frame (lua_getinfo "Sl") allocates nothing. */
        if (!sl->memory_exceeded && sl->L) sim_lua_where(sl->L, sl->where, sizeof sl->where);
        sl->memory_exceeded = 1;
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (p) sl->memory_used = sl->memory_used - old + nsize;
    return p;
}

static void count_hook(lua_State *L, lua_Debug *ar) {
    sim_lua *sl = sim_lua_from(L);
    (void)ar;
    sl->instructions_used += SIM_LUA_HOOK_STEP;
    if (sl->instructions_used > sl->instructions_max) {
        /* Leave room for the error path itself to run Lua (message handler). */
        sl->instructions_used = sl->instructions_max - 10 * SIM_LUA_HOOK_STEP;
        sim_lua_error(L, "instruction budget of %lld Lua instructions exhausted (an endless loop?)",
                      (long long)sl->instructions_max);
    }
}

/* ---- deterministic order: pairs, next ----------------------------------- */

typedef struct key_ref {
    int type;  /* LUA_TNUMBER, LUA_TSTRING, LUA_TBOOLEAN */
    int is_int;
    lua_Integer i;
    lua_Number n;
    const char *s;
    size_t len;
    int b;
    int index; /* position in the key list on the stack */
} key_ref;

static int type_rank(int t) { return t == LUA_TNUMBER ? 0 : t == LUA_TSTRING ? 1 : 2; }

static int num_cmp(const key_ref *a, const key_ref *b) {
    if (a->is_int && b->is_int) return (a->i > b->i) - (a->i < b->i);
    lua_Number x = a->is_int ? (lua_Number)a->i : a->n, y = b->is_int ? (lua_Number)b->i : b->n;
    if (x != y) return (x > y) - (x < y);
    /* equal as doubles but distinct keys: an int and a float; int first */
    return b->is_int - a->is_int;
}

static int key_cmp(const void *pa, const void *pb) {
    const key_ref *a = pa, *b = pb;
    int ra = type_rank(a->type), rb = type_rank(b->type);
    if (ra != rb) return ra - rb;
    if (a->type == LUA_TNUMBER) return num_cmp(a, b);
    if (a->type == LUA_TSTRING) {
        size_t n = a->len < b->len ? a->len : b->len;
        int c = memcmp(a->s, b->s, n);
        return c ? c : (a->len > b->len) - (a->len < b->len);
    }
    return a->b - b->b;
}

static void key_ref_at(lua_State *L, int idx, key_ref *k) {
    k->type = lua_type(L, idx);
    if (k->type == LUA_TNUMBER) {
        k->is_int = lua_isinteger(L, idx);
        if (k->is_int)
            k->i = lua_tointeger(L, idx);
        else
            k->n = lua_tonumber(L, idx);
    } else if (k->type == LUA_TSTRING) {
        k->s = lua_tolstring(L, idx, &k->len);
    } else {
        k->b = lua_toboolean(L, idx);
    }
}

void sim_lua_push_sorted_keys(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_Integer n = 0;
    lua_newtable(L); /* keys, unsorted */
    int keys = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        int t = lua_type(L, -1);
        if (t != LUA_TNUMBER && t != LUA_TSTRING && t != LUA_TBOOLEAN)
            sim_lua_error(L, "pairs/next: a table key of type %s has no reproducible order; "
                             "use numbers, strings or booleans as keys",
                          lua_typename(L, t));
        lua_pushvalue(L, -1);
        lua_rawseti(L, keys, ++n);
    }
    key_ref *refs = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *refs, 0);
    for (lua_Integer i = 0; i < n; i++) {
        lua_rawgeti(L, keys, i + 1); /* the string stays alive in `keys` */
        key_ref_at(L, -1, &refs[i]);
        refs[i].index = (int)(i + 1);
        lua_pop(L, 1);
    }
    qsort(refs, (size_t)n, sizeof *refs, key_cmp);
    lua_createtable(L, (int)n, 0);
    for (lua_Integer i = 0; i < n; i++) {
        lua_rawgeti(L, keys, refs[i].index);
        lua_rawseti(L, -2, i + 1);
    }
    lua_replace(L, keys); /* sorted keys where the unsorted were */
    lua_pop(L, 1);        /* refs */
}

/* Iterator of pairs: upvalue 1 = sorted keys, 2 = next position. */
static int pairs_iter(lua_State *L) {
    lua_Integer pos = lua_tointeger(L, lua_upvalueindex(2));
    for (;;) {
        if (lua_rawgeti(L, lua_upvalueindex(1), pos) == LUA_TNIL) return 0;
        pos++;
        lua_pushinteger(L, pos);
        lua_replace(L, lua_upvalueindex(2));
        lua_pushvalue(L, -1);
        if (lua_rawget(L, 1) != LUA_TNIL) return 2; /* key, value */
        lua_pop(L, 2); /* the key was removed during the loop: skip it */
    }
}

static int sandbox_pairs(lua_State *L) {
    if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
        lua_pushvalue(L, 1);
        lua_call(L, 1, 3);
        return 3;
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    sim_lua_push_sorted_keys(L, 1);
    lua_pushinteger(L, 1);
    lua_pushcclosure(L, pairs_iter, 2);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

static int sandbox_next(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    sim_lua_push_sorted_keys(L, 1);
    lua_Integer n = (lua_Integer)lua_rawlen(L, 3), start = 1;
    if (!lua_isnil(L, 2)) {
        key_ref want, k;
        int t = lua_type(L, 2);
        if (t != LUA_TNUMBER && t != LUA_TSTRING && t != LUA_TBOOLEAN) return luaL_error(L, "invalid key to 'next'");
        key_ref_at(L, 2, &want);
        lua_Integer lo = 1, hi = n + 1;
        while (lo < hi) { /* first position whose key is > want */
            lua_Integer mid = lo + (hi - lo) / 2;
            lua_rawgeti(L, 3, mid);
            key_ref_at(L, -1, &k);
            int c = key_cmp(&k, &want);
            lua_pop(L, 1);
            if (c <= 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        start = lo;
    }
    for (lua_Integer i = start; i <= n; i++) {
        lua_rawgeti(L, 3, i);
        lua_pushvalue(L, -1);
        if (lua_rawget(L, 1) != LUA_TNIL) return 2;
        lua_pop(L, 2);
    }
    lua_pushnil(L);
    return 1;
}

/* ---- no addresses in text ----------------------------------------------- */

/* Pushes the text of the value at idx: __tostring / __name as Lua does, but
 * a table, function, userdata or thread without them is named by its type
 * alone, never by its address. */
static const char *safe_tolstring(lua_State *L, int idx, size_t *len) {
    int t = lua_type(L, idx);
    if (t == LUA_TTABLE || t == LUA_TFUNCTION || t == LUA_TUSERDATA || t == LUA_TTHREAD ||
        t == LUA_TLIGHTUSERDATA) {
        if (luaL_getmetafield(L, idx, "__tostring") == LUA_TNIL) {
            int name_type = luaL_getmetafield(L, idx, "__name");
            if (name_type != LUA_TSTRING) {
                if (name_type != LUA_TNIL) lua_pop(L, 1);
                lua_pushstring(L, lua_typename(L, t));
            }
            return lua_tolstring(L, -1, len);
        }
        lua_pop(L, 1); /* luaL_tolstring calls __tostring itself */
    }
    return luaL_tolstring(L, idx, len);
}

static int sandbox_tostring(lua_State *L) {
    luaL_checkany(L, 1);
    safe_tolstring(L, 1, NULL);
    return 1;
}

static int sandbox_print(lua_State *L) {
    sim_lua *sl = sim_lua_from(L);
    int n = lua_gettop(L);
    for (int i = 1; i <= n; i++) {
        size_t len;
        const char *s = safe_tolstring(L, i, &len);
        if (i > 1) fputc('\t', sl->out);
        fwrite(s, 1, len, sl->out);
        lua_pop(L, 1);
    }
    fputc('\n', sl->out);
    return 0;
}

static int sandbox_format(lua_State *L) {
    const char *fmt = luaL_checkstring(L, 1);
    for (const char *p = fmt; (p = strchr(p, '%')) != NULL; p++) {
        p++;
        if (*p == '%') continue;
        while (*p && strchr("-+ #0123456789.", *p)) p++;
        if (!*p) break;
        if (*p == 'p') return sim_lua_error(L, "string.format: '%%p' would print an address; it is not available");
    }
    int n = lua_gettop(L);
    for (int i = 2; i <= n; i++) {
        int t = lua_type(L, i);
        if (t == LUA_TTABLE || t == LUA_TFUNCTION || t == LUA_TUSERDATA || t == LUA_TTHREAD) {
            safe_tolstring(L, i, NULL);
            lua_replace(L, i);
        }
    }
    lua_pushvalue(L, lua_upvalueindex(1)); /* the real string.format */
    lua_insert(L, 1);
    lua_call(L, n, 1);
    return 1;
}

/* ---- string.rep, string.split, math.random, collectgarbage -------------- */

static int sandbox_rep(lua_State *L) {
    sim_lua *sl = sim_lua_from(L);
    size_t len, seplen = 0;
    luaL_checklstring(L, 1, &len);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &seplen);
    if (n > 0) {
        double total = (double)len * (double)n + (double)seplen * (double)(n - 1);
        double room = (double)(sl->memory_max - sl->memory_used);
        if (total > room)
            return sim_lua_error(L, "string.rep would build a string of %.0f bytes: over the memory limit of %zu MiB",
                                 total, sl->memory_max >> 20);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* string.split(s, sep): the pieces of s between occurrences of the plain
 * (not pattern) separator sep, as Java's String.split with a literal
 * separator but keeping empty pieces: ("a,,b", ",") -> {"a", "", "b"}.
 * With sep = "" it splits into single bytes. */
static int sandbox_split(lua_State *L) {
    size_t len, seplen;
    const char *s = luaL_checklstring(L, 1, &len);
    const char *sep = luaL_optlstring(L, 2, " ", &seplen);
    lua_newtable(L);
    lua_Integer k = 0;
    if (seplen == 0) {
        for (size_t i = 0; i < len; i++) {
            lua_pushlstring(L, s + i, 1);
            lua_rawseti(L, -2, ++k);
        }
        return 1;
    }
    const char *p = s, *end = s + len;
    for (;;) {
        const char *hit = NULL;
        for (const char *q = p; q + seplen <= end; q++)
            if (memcmp(q, sep, seplen) == 0) {
                hit = q;
                break;
            }
        if (!hit) break;
        lua_pushlstring(L, p, (size_t)(hit - p));
        lua_rawseti(L, -2, ++k);
        p = hit + seplen;
    }
    lua_pushlstring(L, p, (size_t)(end - p));
    lua_rawseti(L, -2, ++k);
    return 1;
}

/* math.random with Lua 5.4's contract, on the scenario's stream. */
static int sandbox_random(lua_State *L) {
    sim_lua *sl = sim_lua_from(L);
    lua_Integer lo, hi;
    switch (lua_gettop(L)) {
    case 0:
        lua_pushnumber(L, (lua_Number)sim_rng_double(&sl->rng));
        return 1;
    case 1:
        lo = 1;
        hi = luaL_checkinteger(L, 1);
        if (hi == 0) { /* math.random(0): a whole random integer */
            lua_pushinteger(L, (lua_Integer)sim_rng_next(&sl->rng));
            return 1;
        }
        break;
    case 2:
        lo = luaL_checkinteger(L, 1);
        hi = luaL_checkinteger(L, 2);
        break;
    default:
        return sim_lua_error(L, "math.random: wrong number of arguments");
    }
    if (lo > hi) return sim_lua_error(L, "math.random: interval is empty");
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    uint64_t r = span == UINT64_MAX ? sim_rng_next(&sl->rng) : sim_rng_below(&sl->rng, span + 1);
    lua_pushinteger(L, (lua_Integer)((uint64_t)lo + r));
    return 1;
}

static int sandbox_randomseed(lua_State *L) {
    return sim_lua_error(L, "math.randomseed is not available: the scenario's seed (scenario{seed=...} or "
                            "--seed) seeds math.random");
}

static int sandbox_collectgarbage(lua_State *L) {
    const char *opt = luaL_optstring(L, 1, "collect");
    if (strcmp(opt, "collect") == 0 || strcmp(opt, "step") == 0) {
        lua_gc(L, strcmp(opt, "collect") == 0 ? LUA_GCCOLLECT : LUA_GCSTEP, 0);
        lua_pushinteger(L, 0);
        return 1;
    }
    return sim_lua_error(L, "collectgarbage(\"%s\") is not available in a scenario (only \"collect\" and \"step\")",
                         opt);
}

static int refuse(lua_State *L) {
    return sim_lua_error(L, "%s is not available in a scenario: %s", lua_tostring(L, lua_upvalueindex(1)),
                         lua_tostring(L, lua_upvalueindex(2)));
}

static void set_refused(lua_State *L, int table, const char *name, const char *why) {
    lua_pushstring(L, name);
    lua_pushstring(L, why);
    lua_pushcclosure(L, refuse, 2);
    lua_setfield(L, table, strrchr(name, '.') ? strrchr(name, '.') + 1 : name);
}

/* Replaces t[name] by a C closure of f over the original value. */
static void wrap_field(lua_State *L, int t, const char *name, lua_CFunction f) {
    lua_getfield(L, t, name);
    lua_pushcclosure(L, f, 1);
    lua_setfield(L, t, name);
}

static void open_sandbox_libs(lua_State *L) {
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    lua_pop(L, 4);

    lua_pushglobaltable(L);
    int g = lua_gettop(L);
    const char *file_why = "scenarios cannot read or run files; data files are opened by the streamlab API";
    set_refused(L, g, "dofile", file_why);
    set_refused(L, g, "loadfile", file_why);
    set_refused(L, g, "load", "scenarios cannot compile code at run time");
    set_refused(L, g, "require", "scenarios are one file; the streamlab API is already loaded");
    lua_pushcfunction(L, sandbox_pairs);
    lua_setfield(L, g, "pairs");
    lua_pushcfunction(L, sandbox_next);
    lua_setfield(L, g, "next");
    lua_pushcfunction(L, sandbox_tostring);
    lua_setfield(L, g, "tostring");
    lua_pushcfunction(L, sandbox_print);
    lua_setfield(L, g, "print");
    lua_pushcfunction(L, sandbox_collectgarbage);
    lua_setfield(L, g, "collectgarbage");

    lua_getfield(L, g, LUA_STRLIBNAME);
    int s = lua_gettop(L);
    set_refused(L, s, "string.dump", "scenarios cannot dump or load bytecode");
    wrap_field(L, s, "format", sandbox_format);
    wrap_field(L, s, "rep", sandbox_rep);
    lua_pushcfunction(L, sandbox_split);
    lua_setfield(L, s, "split");
    lua_pop(L, 1);

    lua_getfield(L, g, LUA_MATHLIBNAME);
    lua_pushcfunction(L, sandbox_random);
    lua_setfield(L, -2, "random");
    lua_pushcfunction(L, sandbox_randomseed);
    lua_setfield(L, -2, "randomseed");
    lua_pop(L, 1);
    lua_pop(L, 1); /* globals */
}

/* ---- life cycle and running ---------------------------------------------- */

sim_lua *sim_lua_new(const sim_lua_opts *opts, char *err, size_t errlen) {
    sim_lua *sl = calloc(1, sizeof *sl);
    if (!sl) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    sl->memory_max = opts->memory_max ? opts->memory_max : SIM_LUA_DEFAULT_MEMORY;
    sl->instructions_max = opts->instructions_max ? opts->instructions_max : SIM_LUA_DEFAULT_INSTRUCTIONS;
    sl->out = opts->out ? opts->out : stdout;
    sim_rng_init(&sl->rng, opts->seed, "lua/math.random");
    if (opts->script_path) {
        if (strlen(opts->script_path) >= sizeof sl->script_path) {
            snprintf(err, errlen, "%.200s...: path too long", opts->script_path);
            free(sl);
            return NULL;
        }
        snprintf(sl->script_path, sizeof sl->script_path, "%s", opts->script_path);
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", opts->script_path);
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        else
            snprintf(dir, sizeof dir, ".");
        if (!realpath(dir[0] ? dir : "/", sl->script_dir)) {
            snprintf(err, errlen, "%s: cannot resolve the scenario's folder: %s", opts->script_path, strerror(errno));
            free(sl);
            return NULL;
        }
    }
    sl->L = lua_newstate(sandbox_alloc, sl);
    if (!sl->L) {
        snprintf(err, errlen, "out of memory creating the Lua state");
        free(sl);
        return NULL;
    }
    lua_gc(sl->L, LUA_GCGEN, 0, 0);
    open_sandbox_libs(sl->L);
    lua_sethook(sl->L, count_hook, LUA_MASKCOUNT, SIM_LUA_HOOK_STEP);
    return sl;
}

void sim_lua_free(sim_lua *sl) {
    if (!sl) return;
    if (sl->L) lua_close(sl->L);
    free(sl);
}

/* Turns the error on top of the stack into "file:line: message" in err. */
static void take_error(sim_lua *sl, int status, char *err, size_t errlen) {
    lua_State *L = sl->L;
    if (status == LUA_ERRMEM || sl->memory_exceeded) {
        snprintf(err, errlen, "%s: memory limit of %zu MiB exceeded", sl->where[0] ? sl->where : sl->script_path,
                 sl->memory_max >> 20);
    } else if (lua_type(L, -1) == LUA_TSTRING) {
        snprintf(err, errlen, "%s", lua_tostring(L, -1));
    } else {
        snprintf(err, errlen, "%s: error raised with a %s value, not a message", sl->script_path,
                 luaL_typename(L, -1));
    }
    lua_pop(L, 1);
}

/* Message handler: runs where the error was raised, with the stack intact,
 * so an error raised with a non-string value still gets its file:line. */
static int message_handler(lua_State *L) {
    if (lua_type(L, 1) == LUA_TSTRING) return 1;
    char where[512];
    sim_lua_where(L, where, sizeof where);
    if (luaL_getmetafield(L, 1, "__tostring") != LUA_TNIL) {
        lua_pop(L, 1);
        lua_pushfstring(L, "%s: %s", where, luaL_tolstring(L, 1, NULL));
        return 1;
    }
    lua_pushfstring(L, "%s: error raised with a %s value, not a message", where, luaL_typename(L, 1));
    return 1;
}

int sim_lua_pcall(sim_lua *sl, int nargs, int nresults, char *err, size_t errlen) {
    sl->memory_exceeded = 0;
    sl->where[0] = '\0';
    int base = lua_gettop(sl->L) - nargs; /* the function's slot */
    lua_pushcfunction(sl->L, message_handler);
    lua_insert(sl->L, base);
    int status = lua_pcall(sl->L, nargs, nresults, base);
    lua_remove(sl->L, base);
    if (status == LUA_OK) return 0;
    take_error(sl, status, err, errlen);
    return -1;
}

int sim_lua_run_file(sim_lua *sl, char *err, size_t errlen) {
    int status = luaL_loadfilex(sl->L, sl->script_path, "t");
    if (status != LUA_OK) {
        if (status == LUA_ERRFILE)
            snprintf(err, errlen, "%s: cannot read the scenario: %s", sl->script_path, lua_tostring(sl->L, -1));
        else
            take_error(sl, status, err, errlen);
        if (status == LUA_ERRFILE) lua_pop(sl->L, 1);
        return -1;
    }
    return sim_lua_pcall(sl, 0, 0, err, errlen);
}

/* ---- data paths ------------------------------------------------------------- */

int sim_lua_resolve_path(const sim_lua *sl, const char *rel, char *out, size_t outlen, char *err, size_t errlen) {
    if (rel[0] == '\0') {
        snprintf(err, errlen, "data path is empty");
        return -1;
    }
    if (rel[0] == '/') {
        snprintf(err, errlen, "data path \"%s\" is absolute: name it relative to the scenario's folder", rel);
        return -1;
    }
    for (const char *p = rel; *p;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            snprintf(err, errlen, "data path \"%s\" leaves the scenario's folder (\"..\" is not allowed)", rel);
            return -1;
        }
        p += n + (e ? 1 : 0);
    }
    char joined[8192], real[PATH_MAX];
    snprintf(joined, sizeof joined, "%s/%s", sl->script_dir, rel);
    if (!realpath(joined, real)) {
        snprintf(err, errlen, "data path \"%s\": %s (looked in %s)", rel, strerror(errno), sl->script_dir);
        return -1;
    }
    size_t dl = strlen(sl->script_dir);
    if (strncmp(real, sl->script_dir, dl) != 0 || (real[dl] != '/' && real[dl] != '\0')) {
        snprintf(err, errlen, "data path \"%s\" resolves outside the scenario's folder (a symbolic link?)", rel);
        return -1;
    }
    if (strlen(real) >= outlen) {
        snprintf(err, errlen, "data path \"%s\" is too long", rel);
        return -1;
    }
    snprintf(out, outlen, "%s", real);
    return 0;
}
