/* sim/lua_faults.c — faults{ ... }: the scenario's fault plan (faults.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "faults.h"
#include "lua_args.h"
#include "lua_faults.h"
#include "lua_sandbox.h"
#include "rng.h"

#define FAULTS_KEY "streamlab.faults"

/* "worker-3" -> node 4; "driver" -> 1; 0 when not a node name. */
static uint32_t node_of(const char *name) {
    if (strcmp(name, "driver") == 0) return 1;
    if (strncmp(name, "worker-", 7) != 0) return 0;
    char *end;
    long n = strtol(name + 7, &end, 10);
    if (*end || n < 1 || n > 1000) return 0;
    return (uint32_t)n + 1;
}

/* The node named at idx; the driver only where allow_driver (a crash). */
/* The fault in words, for the trace, from its fields (a partition's words
 * are its caller's: how many nodes, or which worker). */
static void describe(sim_fault *f) {
    char node[32] = "";
    if (f->nnodes && f->nodes[0] == 1)
        snprintf(node, sizeof node, "driver");
    else if (f->nnodes)
        snprintf(node, sizeof node, "worker-%u", f->nodes[0] - 1);
    switch (f->kind) {
    case SIM_FAULT_CRASH:
        snprintf(f->text, sizeof f->text, "%s crashes%s", node, f->duration_us ? " (restart follows)" : "");
        break;
    case SIM_FAULT_SLOW:
        snprintf(f->text, sizeof f->text, "%s slows down %gx", node, f->factor);
        break;
    case SIM_FAULT_CRASH_RECEIVER:
        snprintf(f->text, sizeof f->text, "receiver %d fails", f->receiver + 1);
        break;
    case SIM_FAULT_STORAGE_SLOW:
        snprintf(f->text, sizeof f->text, "durable storage slows down %gx", f->factor);
        break;
    case SIM_FAULT_STORAGE_FAIL:
        snprintf(f->text, sizeof f->text, "durable storage fails");
        break;
    case SIM_FAULT_SINK_FAIL:
        snprintf(f->text, sizeof f->text, "the output system refuses the next %d write(s)", f->count);
        break;
    default:
        break;
    }
}

/* A slowdown's factor, 1 to 1000 (the same message when it is missing). */
static double required_factor(lua_State *L, int t, const char *call) {
    double factor = 0;
    if (!sim_args_number(L, t, call, "factor", 0, 1, 1000, &factor))
        sim_lua_error(L, "%s: factor must be a number from 1 to 1000", call);
    return factor;
}

static uint32_t check_node(lua_State *L, int idx, const char *call, int allow_driver) {
    const char *name = lua_tostring(L, idx);
    uint32_t id = name ? node_of(name) : 0;
    if (!id) sim_lua_error(L, "%s: \"%s\" is not a node (\"driver\" or \"worker-1\", \"worker-2\", ...)", call,
                           name ? name : luaL_typename(L, idx));
    if (id == 1 && !allow_driver)
        sim_lua_error(L, "%s: the driver can crash, but not be slowed down or cut off; slow or cut off a worker", call);
    return id;
}

static void one_fault(lua_State *L, int t, sim_fault_plan *plan, int index) {
    char call[64];
    snprintf(call, sizeof call, "faults{}[%d]", index);
    static const char *const keys[] = {"at",        "crash",          "restart_after", "slow", "factor",
                                       "duration",  "partition",      "crash_receiver", "storage", "sink",
                                       "count",     NULL};
    sim_args_check_keys(L, t, call, keys);
    if (plan->count >= SIM_FAULTS_MAX) sim_lua_error(L, "%s: more than %d faults", call, SIM_FAULTS_MAX);
    sim_fault *f = &plan->items[plan->count];
    memset(f, 0, sizeof *f);
    sim_lua_where(L, f->where, sizeof f->where);
    sim_args_duration(L, t, call, "at", 1, &f->at_us);
    int kinds = 0;
    if (lua_getfield(L, t, "crash") != LUA_TNIL) {
        f->kind = SIM_FAULT_CRASH;
        f->nodes[f->nnodes++] = check_node(L, -1, call, 1);
        sim_args_duration(L, t, call, "restart_after", 0, &f->duration_us);
        kinds++;
    }
    lua_pop(L, 1);
    if (lua_getfield(L, t, "slow") != LUA_TNIL) {
        f->kind = SIM_FAULT_SLOW;
        f->nodes[f->nnodes++] = check_node(L, -1, call, 0);
        f->factor = required_factor(L, t, call);
        sim_args_duration(L, t, call, "duration", 1, &f->duration_us);
        kinds++;
    }
    lua_pop(L, 1);
    if (lua_getfield(L, t, "partition") != LUA_TNIL) {
        f->kind = SIM_FAULT_PARTITION;
        if (!lua_istable(L, -1)) sim_lua_error(L, "%s: partition is a list of nodes, e.g. { \"worker-1\" }", call);
        int list = lua_gettop(L);
        for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, list) && f->nnodes < SIM_FAULT_NODES_MAX; i++) {
            lua_rawgeti(L, list, i);
            f->nodes[f->nnodes++] = check_node(L, -1, call, 0);
            lua_pop(L, 1);
        }
        if (!f->nnodes) sim_lua_error(L, "%s: partition names no node", call);
        sim_args_duration(L, t, call, "duration", 1, &f->duration_us);
        snprintf(f->text, sizeof f->text, "%d node(s) cut off the network", f->nnodes);
        kinds++;
    }
    lua_pop(L, 1);
    if (lua_getfield(L, t, "crash_receiver") != LUA_TNIL) {
        f->kind = SIM_FAULT_CRASH_RECEIVER;
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 || lua_tointeger(L, -1) > 64)
            sim_lua_error(L, "%s: crash_receiver is the receiver's number, from 1", call);
        f->receiver = (int)lua_tointeger(L, -1) - 1;
        kinds++;
    }
    lua_pop(L, 1);
    if (lua_getfield(L, t, "storage") != LUA_TNIL) {
        const char *what = lua_tostring(L, -1);
        if (what && strcmp(what, "slow") == 0) {
            f->kind = SIM_FAULT_STORAGE_SLOW;
            f->factor = required_factor(L, t, call);
        } else if (what && strcmp(what, "fail") == 0) {
            f->kind = SIM_FAULT_STORAGE_FAIL;
        } else {
            sim_lua_error(L, "%s: storage is \"slow\" or \"fail\"", call);
        }
        sim_args_duration(L, t, call, "duration", 1, &f->duration_us);
        kinds++;
    }
    lua_pop(L, 1);
    if (lua_getfield(L, t, "sink") != LUA_TNIL) {
        const char *what = lua_tostring(L, -1);
        if (!what || strcmp(what, "fail") != 0) sim_lua_error(L, "%s: sink is \"fail\"", call);
        f->kind = SIM_FAULT_SINK_FAIL;
        int64_t count = 1;
        sim_args_integer(L, t, call, "count", 0, 1, 1000000, &count);
        f->count = (int)count;
        kinds++;
    }
    lua_pop(L, 1);
    if (kinds != 1)
        sim_lua_error(L, "%s: give exactly one of crash, slow, partition, crash_receiver, storage, sink", call);
    if (f->kind != SIM_FAULT_PARTITION) describe(f);
    plan->count++;
}

static int api_faults(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, FAULTS_KEY);
    sim_fault_plan *plan = lua_touserdata(L, -1);
    lua_pop(L, 1);
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
    for (lua_Integer i = 1; i <= n; i++) {
        if (lua_rawgeti(L, 1, i) != LUA_TTABLE) sim_lua_error(L, "faults{}: item %lld is not a table", (long long)i);
        one_fault(L, lua_gettop(L), plan, (int)i);
        lua_pop(L, 1);
    }
    return 0;
}

/* faults{ ... } is faults's __call: the table itself comes first. */
static int api_faults_call(lua_State *L) {
    lua_remove(L, 1);
    return api_faults(L);
}

static int random_count(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, FAULTS_KEY ".random");
    int n = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_pushinteger(L, n + 1);
    lua_setfield(L, LUA_REGISTRYINDEX, FAULTS_KEY ".random");
    return n;
}

/* faults.random{ count = 3, workers = 3, from = "2s", to = "8s",
 *                kinds = { "crash", "slow", "partition" },
 *                restart_after = "3s", factor = 10, duration = "3s" }
 * draws count faults from the scenario's seed (its own rng stream, so the
 * data and the engine draw the same as without it): a kind from kinds, a
 * time in [from, to) to the millisecond, a worker from worker-1..workers. */
static int api_faults_random(lua_State *L) {
    const char *call = "faults.random{}";
    luaL_checktype(L, 1, LUA_TTABLE);
    static const char *const keys[] = {"count", "workers", "from", "to", "kinds", "restart_after", "factor",
                                       "duration", NULL};
    sim_args_check_keys(L, 1, call, keys);
    lua_getfield(L, LUA_REGISTRYINDEX, FAULTS_KEY);
    sim_fault_plan *plan = lua_touserdata(L, -1);
    lua_getfield(L, LUA_REGISTRYINDEX, FAULTS_KEY ".seed");
    const uint64_t *seed = lua_touserdata(L, -1);
    lua_pop(L, 2);
    int64_t count, workers, from_us, to_us, restart_us = 3000000, duration_us = 3000000;
    sim_args_integer(L, 1, call, "count", 1, 1, 100, &count);
    sim_args_integer(L, 1, call, "workers", 1, 1, 1000, &workers);
    sim_args_duration(L, 1, call, "from", 1, &from_us);
    sim_args_duration(L, 1, call, "to", 1, &to_us);
    sim_args_duration(L, 1, call, "restart_after", 0, &restart_us);
    sim_args_duration(L, 1, call, "duration", 0, &duration_us);
    if (to_us <= from_us) sim_lua_error(L, "%s: to must be later than from", call);
    double factor = 10;
    sim_args_number(L, 1, call, "factor", 0, 1, 1000, &factor);
    /* the kinds a plan draws from: a worker's (crash, slow, partition), or
     * the driver's crash, receiver 1's failure, storage's and the sink's */
    static const char *const names[] = {"crash",       "slow",         "partition",    "driver_crash",
                                        "crash_receiver", "storage_slow", "storage_fail", "sink_fail", NULL};
    int kinds[8], nkinds = 0;
    if (lua_getfield(L, 1, "kinds") == LUA_TNIL) {
        kinds[nkinds++] = 0;
    } else {
        if (!lua_istable(L, -1)) sim_lua_error(L, "%s: kinds is a list, e.g. { \"crash\", \"slow\" }", call);
        for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1) && nkinds < 8; i++) {
            lua_rawgeti(L, -1, i);
            const char *k = lua_tostring(L, -1);
            int found = -1;
            for (int j = 0; names[j]; j++)
                if (k && strcmp(k, names[j]) == 0) found = j;
            if (found < 0)
                sim_lua_error(L, "%s: kinds: \"%s\" is not \"crash\", \"slow\", \"partition\", \"driver_crash\", "
                                 "\"crash_receiver\", \"storage_slow\", \"storage_fail\" or \"sink_fail\"",
                              call, k ? k : "?");
            kinds[nkinds++] = found;
            lua_pop(L, 1);
        }
        if (!nkinds) sim_lua_error(L, "%s: kinds names no kind", call);
    }
    lua_pop(L, 1);
    char stream[64];
    snprintf(stream, sizeof stream, "faults.random#%d", random_count(L));
    sim_rng rng;
    sim_rng_init(&rng, seed ? *seed : 0, stream);
    char where[200];
    sim_lua_where(L, where, sizeof where);
    for (int64_t i = 0; i < count; i++) {
        if (plan->count >= SIM_FAULTS_MAX) sim_lua_error(L, "%s: more than %d faults", call, SIM_FAULTS_MAX);
        sim_fault *f = &plan->items[plan->count++];
        memset(f, 0, sizeof *f);
        int drawn = kinds[sim_rng_below(&rng, (uint64_t)nkinds)];
        f->at_us = from_us + (int64_t)sim_rng_below(&rng, (uint64_t)((to_us - from_us) / 1000)) * 1000;
        int worker = 1 + (int)sim_rng_below(&rng, (uint64_t)workers);
        snprintf(f->where, sizeof f->where, "%.200s (drawn fault %d)", where, (int)i + 1);
        static const int kind_of[] = {SIM_FAULT_CRASH,          SIM_FAULT_SLOW,         SIM_FAULT_PARTITION,
                                      SIM_FAULT_CRASH,          SIM_FAULT_CRASH_RECEIVER, SIM_FAULT_STORAGE_SLOW,
                                      SIM_FAULT_STORAGE_FAIL,   SIM_FAULT_SINK_FAIL};
        f->kind = kind_of[drawn];
        if (drawn <= 2) f->nodes[f->nnodes++] = (uint32_t)worker + 1;
        if (drawn == 3) f->nodes[f->nnodes++] = 1; /* the driver */
        if (f->kind == SIM_FAULT_CRASH) f->duration_us = restart_us;
        if (f->kind == SIM_FAULT_SLOW || f->kind == SIM_FAULT_STORAGE_SLOW) f->factor = factor;
        if (f->kind == SIM_FAULT_SLOW || f->kind == SIM_FAULT_PARTITION || f->kind == SIM_FAULT_STORAGE_SLOW ||
            f->kind == SIM_FAULT_STORAGE_FAIL)
            f->duration_us = duration_us;
        if (f->kind == SIM_FAULT_SINK_FAIL) f->count = 1;
        if (f->kind == SIM_FAULT_PARTITION)
            snprintf(f->text, sizeof f->text, "worker-%d cut off the network", worker);
        else
            describe(f);
    }
    return 0;
}

void sim_faults_api_open(lua_State *L, sim_fault_plan *plan, const uint64_t *seed) {
    lua_pushlightuserdata(L, plan);
    lua_setfield(L, LUA_REGISTRYINDEX, FAULTS_KEY);
    lua_pushlightuserdata(L, (void *)seed);
    lua_setfield(L, LUA_REGISTRYINDEX, FAULTS_KEY ".seed");
    lua_newtable(L);
    lua_pushcfunction(L, api_faults_random);
    lua_setfield(L, -2, "random");
    lua_newtable(L);
    lua_pushcfunction(L, api_faults_call);
    lua_setfield(L, -2, "__call");
    lua_setmetatable(L, -2);
    lua_setglobal(L, "faults");
}

int sim_faults_keep_only(sim_fault_plan *plan, const char *list, char *err, size_t errlen) {
    int keep[SIM_FAULTS_MAX] = {0};
    if (plan->count == 0) {
        snprintf(err, errlen, "--faults-only %s: the scenario has no faults{}", list);
        return -1;
    }
    const char *p = list;
    while (*p) {
        char *end;
        long i = strtol(p, &end, 10);
        if (end == p || i < 0 || i >= plan->count) {
            snprintf(err, errlen, "--faults-only %s: \"%s\" is not a fault index (0 to %d, comma separated)", list, p,
                     plan->count - 1);
            return -1;
        }
        keep[i] = 1;
        p = *end == ',' ? end + 1 : end;
        if (*end && *end != ',') {
            snprintf(err, errlen, "--faults-only %s: indexes are separated by commas", list);
            return -1;
        }
    }
    int n = 0;
    for (int i = 0; i < plan->count; i++)
        if (keep[i]) plan->items[n++] = plan->items[i];
    plan->count = n;
    return 0;
}

int sim_faults_check(const sim_fault_plan *plan, uint32_t workers, char *err, size_t errlen) {
    for (int i = 0; i < plan->count; i++)
        for (int k = 0; k < plan->items[i].nnodes; k++)
            if (plan->items[i].nodes[k] > workers + 1) {
                snprintf(err, errlen, "%s: faults{}: worker-%u does not exist (the cluster has %u workers)",
                         plan->items[i].where, plan->items[i].nodes[k] - 1, workers);
                return -1;
            }
    return 0;
}
