/* sim/lua_faults.h — the faults{} API of scenarios (faults.h). */
#ifndef SIM_LUA_FAULTS_H
#define SIM_LUA_FAULTS_H

#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#include "faults.h"

/* Registers faults{}, filling *plan (which must outlive the state). */
void sim_faults_api_open(lua_State *L, sim_fault_plan *plan);
/* After the script: every node named exists. Returns 0, or -1 with err set. */
int sim_faults_check(const sim_fault_plan *plan, uint32_t workers, char *err, size_t errlen);

#endif
