/* sim/lua_faults.c — faults{ ... }: the scenario's fault plan (faults.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "faults.h"
#include "lua_args.h"
#include "lua_faults.h"
#include "lua_sandbox.h"

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

static uint32_t check_node(lua_State *L, int idx, const char *call) {
    const char *name = lua_tostring(L, idx);
    uint32_t id = name ? node_of(name) : 0;
    if (!id) sim_lua_error(L, "%s: \"%s\" is not a node (\"driver\" or \"worker-1\", \"worker-2\", ...)", call,
                           name ? name : luaL_typename(L, idx));
    if (id == 1)
        sim_lua_error(L, "%s: faults of the driver are not simulated yet (driver recovery comes with checkpoint "
                         "recovery); crash, slow or cut off a worker",
                      call);
    return id;
}

static void one_fault(lua_State *L, int t, sim_fault_plan *plan, int index) {
    char call[64];
    snprintf(call, sizeof call, "faults{}[%d]", index);
    static const char *const keys[] = {"at", "crash", "restart_after", "slow", "factor", "duration", "partition",
                                       "crash_receiver", NULL};
    sim_args_check_keys(L, t, call, keys);
    if (plan->count >= SIM_FAULTS_MAX) sim_lua_error(L, "%s: more than %d faults", call, SIM_FAULTS_MAX);
    sim_fault *f = &plan->items[plan->count];
    memset(f, 0, sizeof *f);
    sim_lua_where(L, f->where, sizeof f->where);
    sim_args_duration(L, t, call, "at", 1, &f->at_us);
    int kinds = 0;
    if (lua_getfield(L, t, "crash") != LUA_TNIL) {
        f->kind = SIM_FAULT_CRASH;
        f->nodes[f->nnodes++] = check_node(L, -1, call);
        sim_args_duration(L, t, call, "restart_after", 0, &f->duration_us);
        snprintf(f->text, sizeof f->text, "%s crashes%s", lua_tostring(L, -1), f->duration_us ? " (restart follows)" : "");
        kinds++;
    }
    lua_pop(L, 1);
    if (lua_getfield(L, t, "slow") != LUA_TNIL) {
        f->kind = SIM_FAULT_SLOW;
        f->nodes[f->nnodes++] = check_node(L, -1, call);
        lua_getfield(L, t, "factor");
        f->factor = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : 0;
        lua_pop(L, 1);
        if (!(f->factor >= 1 && f->factor <= 1000)) sim_lua_error(L, "%s: factor must be a number from 1 to 1000", call);
        sim_args_duration(L, t, call, "duration", 1, &f->duration_us);
        snprintf(f->text, sizeof f->text, "%s slows down %gx", lua_tostring(L, -1), f->factor);
        kinds++;
    }
    lua_pop(L, 1);
    if (lua_getfield(L, t, "partition") != LUA_TNIL) {
        f->kind = SIM_FAULT_PARTITION;
        if (!lua_istable(L, -1)) sim_lua_error(L, "%s: partition is a list of nodes, e.g. { \"worker-1\" }", call);
        int list = lua_gettop(L);
        for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, list) && f->nnodes < SIM_FAULT_NODES_MAX; i++) {
            lua_rawgeti(L, list, i);
            f->nodes[f->nnodes++] = check_node(L, -1, call);
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
        snprintf(f->text, sizeof f->text, "receiver %d fails", f->receiver + 1);
        kinds++;
    }
    lua_pop(L, 1);
    if (kinds != 1) sim_lua_error(L, "%s: give exactly one of crash, slow, partition, crash_receiver", call);
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

void sim_faults_api_open(lua_State *L, sim_fault_plan *plan) {
    lua_pushlightuserdata(L, plan);
    lua_setfield(L, LUA_REGISTRYINDEX, FAULTS_KEY);
    lua_register(L, "faults", api_faults);
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
