/* engine/ss_exec.h — Structured Streaming on an executor (ss_exec.c): the
 * ops of a query's tasks and the state stores this executor holds. */
#ifndef ENG_SS_EXEC_H
#define ENG_SS_EXEC_H

#include "executor.h"
#include "ss.h"

/* Runs an ENG_OP_SS_* op of task t over in, appending to out; adds the
 * op's metrics to t->acc. A stateful op loads its state store (from memory,
 * or from the checkpoint) and commits the next version. Returns 0, or -1
 * with err set. */
int eng_ss_compute(eng_executor *e, run_task *t, const eng_op *op, int partition, const eng_part *in, eng_part *out,
                   char *err, size_t errlen);

/* Frees every state store held here (the executor's end). */
void eng_ss_stores_free(eng_executor *e);

#endif
