/* sim/grade.h — `streamlab grade LAB SUBMISSION.lua [--answers FILE] [--junit FILE]`.
 *
 * Grades a student's scenario against a lab (labs/NN-name/: lab.lua, the
 * solution, data/): runs the submission and the solution with the same seed
 * in child processes, under the sandbox's instruction and memory limits and
 * a wall-clock guard, then applies lab.lua's checks (an output or a query's
 * rows batch by batch against the solution's, the delivery verdicts of
 * `streamlab check`, the fault plan, bounds on trace event counts, Lua
 * functions of both runs) and its questions (answers the engine computes
 * from the solution's run, against the student's answers file). The format
 * of lab.lua: labs/README.md.
 */
#ifndef SIM_GRADE_H
#define SIM_GRADE_H

/* self: this program's path (to run scenarios in child processes). answers
 * and junit may be NULL. Prints each check as PASS / FAIL with the first
 * difference and the hint, then the score. Returns SIM_EXIT_OK when every
 * check and question passes, SIM_EXIT_EXPECTATIONS when one fails,
 * SIM_EXIT_USAGE for a missing file, a broken lab.lua or a solution that
 * does not run (the lab's fault, not the student's). */
int sim_grade(const char *self, const char *lab_dir, const char *submission, const char *answers, const char *junit);

#endif
