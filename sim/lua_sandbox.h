/* sim/lua_sandbox.h — the Lua 5.4 state that scenarios and student code run in.
 *
 * What a scenario can reach: the base library without dofile, loadfile,
 * load, require or any file access; table; string (plus string.split, without
 * string.dump); math (math.random draws from the scenario's seeded stream
 * "lua/math.random"; math.randomseed is refused). No io, os, debug, package,
 * coroutine or utf8.
 *
 * Determinism: Lua seeds its string hash from the clock and addresses, so
 * the raw iteration order of a table's hash part changes from run to run.
 * The sandbox's `pairs` and `next` therefore visit keys in a fixed order
 * (numbers ascending, then strings byte-wise, then false, true; keys of other
 * types are refused with an error), and `tostring`, `print` and
 * `string.format` never show an address ("table", not "table: 0x55...").
 * `pairs` costs O(n log n) per loop; `next(t, k)` costs O(n log n) per call.
 *
 * Limits: an instruction budget for all the Lua code of a run (counted in
 * steps of SIM_LUA_HOOK_STEP instructions) and a memory cap on everything the
 * state allocates. Exceeding either raises a Lua error naming file:line,
 * which the caller reports; the state stays usable for cleanup.
 */
#ifndef SIM_LUA_SANDBOX_H
#define SIM_LUA_SANDBOX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <lua.h>

#include "rng.h"

#define SIM_LUA_DEFAULT_INSTRUCTIONS 1000000000LL /* 1e9 VM instructions */
#define SIM_LUA_DEFAULT_MEMORY ((size_t)256 << 20)  /* 256 MiB */
#define SIM_LUA_HOOK_STEP 1000

typedef struct sim_lua_opts {
    uint64_t seed;
    int64_t instructions_max; /* 0 = default */
    size_t memory_max;        /* bytes; 0 = default */
    const char *script_path;  /* the scenario file: data paths resolve against its folder */
    FILE *out;                /* where print() writes; NULL = stdout */
} sim_lua_opts;

typedef struct sim_lua {
    lua_State *L;
    size_t memory_used, memory_max;
    int memory_exceeded;
    int64_t instructions_used, instructions_max;
    sim_rng rng;
    FILE *out;
    char script_path[4096];
    char script_dir[4096]; /* realpath of the scenario's folder */
    char where[512];       /* "file:line" of the Lua code running when the memory cap was hit */
} sim_lua;

/* Creates a sandboxed state. Returns NULL (with err set) when the script's
 * folder cannot be resolved or memory is short. Free with sim_lua_free. */
sim_lua *sim_lua_new(const sim_lua_opts *opts, char *err, size_t errlen);
void sim_lua_free(sim_lua *sl);

/* The sim_lua that owns L (from any C function called by Lua). */
sim_lua *sim_lua_from(lua_State *L);

/* Loads and runs the script file. Returns 0, or -1 with a message in err of
 * the form "file:line: message" (syntax error, runtime error, instruction
 * budget, memory cap). */
int sim_lua_run_file(sim_lua *sl, char *err, size_t errlen);

/* Calls the function on the stack below nargs arguments as lua_pcall does,
 * under the sandbox's limits; on error returns -1 with "file:line: message". */
int sim_lua_pcall(sim_lua *sl, int nargs, int nresults, char *err, size_t errlen);

/* Raises a Lua error prefixed with the file:line of the innermost Lua code
 * on the stack (C API functions use it so errors point at the scenario). */
int sim_lua_error(lua_State *L, const char *fmt, ...);

/* Pushes a new sequence of the keys of the table at idx in the sandbox's
 * fixed order (numbers, strings, booleans); raises an error for other keys. */
void sim_lua_push_sorted_keys(lua_State *L, int idx);

/* Writes "file:line" of the innermost Lua code running into buf ("?" if none). */
const char *sim_lua_where(lua_State *L, char *buf, size_t buflen);

/* Resolves a data path named by a scenario: relative to the scenario's
 * folder, never absolute, never leaving that folder (no "..", no symlink out).
 * Returns 0 with the real path in out, or -1 with the rule broken in err. */
int sim_lua_resolve_path(const sim_lua *sl, const char *rel, char *out, size_t outlen, char *err, size_t errlen);

#endif
