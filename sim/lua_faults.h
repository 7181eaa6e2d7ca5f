/* sim/lua_faults.h — the faults{} API of scenarios (faults.h). */
#ifndef SIM_LUA_FAULTS_H
#define SIM_LUA_FAULTS_H

#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#include "faults.h"

/* Registers faults{} and faults.random{}, filling *plan (which must outlive
 * the state); faults.random draws from *seed as it is when called. */
void sim_faults_api_open(lua_State *L, sim_fault_plan *plan, const uint64_t *seed);
/* Keeps only the faults whose 0-based indexes are in list ("0,2"), in their
 * order (what `--faults-only` and fuzz's shrinking run). Returns 0, or -1
 * with err set for an index out of range or a malformed list. */
int sim_faults_keep_only(sim_fault_plan *plan, const char *list, char *err, size_t errlen);
/* After the script: every node named exists. Returns 0, or -1 with err set. */
int sim_faults_check(const sim_fault_plan *plan, uint32_t workers, char *err, size_t errlen);

#endif
