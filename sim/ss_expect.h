/* sim/ss_expect.h — checking expect{ query = ... } (ss_expect.c). */
#ifndef SIM_SS_EXPECT_H
#define SIM_SS_EXPECT_H

#include "scenario.h"
#include "ss_host.h"

/* Whether the run met expectation e (SIM_EXPECT_QUERY); prints why not. */
int sim_ss_check_expect(const sim_scenario *sc, const sim_expect *e, const sim_host *h);

#endif
