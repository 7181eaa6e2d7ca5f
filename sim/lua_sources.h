/* sim/lua_sources.h — the scenario's inputs from outside the cluster:
 * netcat{}, kafka{} and files{} (see lua_sources.c). */
#ifndef SIM_LUA_SOURCES_H
#define SIM_LUA_SOURCES_H

#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#include "source.h"

#define SIM_INPUT_FILES_MAX 4096

/* A file that appears in durable storage at a time (files{}). */
typedef struct sim_input_file {
    int64_t at_us;
    char path[512];
    char *bytes;
    size_t len;
} sim_input_file;

typedef struct sim_scenario_inputs {
    sim_sources sources;
    sim_input_file files[SIM_INPUT_FILES_MAX];
    int nfiles;
} sim_scenario_inputs;

/* Registers netcat{}, kafka{} and files{}, filling *in (which must outlive the state). */
void sim_sources_api_open(lua_State *L, sim_scenario_inputs *in);
/* The inputs registered in this state. */
sim_scenario_inputs *sim_sources_inputs(lua_State *L);
void sim_scenario_inputs_fini(sim_scenario_inputs *in);

/* Pushes the lines of `file` (relative to the scenario's folder, which it
 * may not leave) as a Lua list of strings; \n and \r\n end a line, a last
 * line without one counts. A missing, unreadable or oversized file raises a
 * Lua error "<call>: ..." naming it. */
void sim_lua_push_file_lines(lua_State *L, const char *file, const char *call);

#endif
