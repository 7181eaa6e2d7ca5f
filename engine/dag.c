/* engine/dag.c — the driver's DAGScheduler, TaskScheduler and
 * MapOutputTracker, for the one Spark job that runs at a time.
 *
 * A job's stages are cut at shuffle dependencies (DAGScheduler
 * .getOrCreateParentStages); a map stage whose shuffle output is already
 * complete is skipped. A stage is submitted when its parents are done, one
 * task per partition. Free cores are offered to pending tasks as
 * TaskSchedulerImpl.resourceOffers does: the offers shuffled (with the
 * driver's rng stream), then one task per offer per round. A task that fails
 * is retried until it has failed spark.task.maxFailures (4) times; then the
 * job fails and the run stops with the task's error.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "driver.h"
#include "ss.h"

/* ---- MapOutputTracker ------------------------------------------------------------ */

#define shuffle_find eng_dag_shuffle

eng_shuffle_status *eng_dag_shuffle(eng_driver *d, int32_t id) {
    for (int i = 0; i < d->nshuffles; i++)
        if (d->shuffles[i].shuffle_id == id) return &d->shuffles[i];
    return NULL;
}

static eng_shuffle_status *shuffle_register(eng_driver *d, int32_t id, int32_t num_maps, int64_t batch_time_us) {
    eng_shuffle_status *s = shuffle_find(d, id);
    if (s) return s;
    if (d->nshuffles == d->shuffles_cap) {
        int n = d->shuffles_cap ? d->shuffles_cap * 2 : 16;
        eng_shuffle_status *p = realloc(d->shuffles, (size_t)n * sizeof *p);
        if (!p) return NULL;
        d->shuffles = p;
        d->shuffles_cap = n;
    }
    s = &d->shuffles[d->nshuffles];
    *s = (eng_shuffle_status){.shuffle_id = id, .num_maps = num_maps, .batch_time_us = batch_time_us};
    s->map_nodes = calloc((size_t)(num_maps ? num_maps : 1), sizeof *s->map_nodes);
    s->map_bytes = calloc((size_t)(num_maps ? num_maps : 1), sizeof *s->map_bytes);
    s->map_registered_us = calloc((size_t)(num_maps ? num_maps : 1), sizeof *s->map_registered_us);
    if (!s->map_nodes || !s->map_bytes || !s->map_registered_us) {
        free(s->map_nodes);
        free(s->map_bytes);
        free(s->map_registered_us);
        return NULL;
    }
    d->nshuffles++;
    return s;
}

static int shuffle_complete(const eng_shuffle_status *s) {
    if (!s) return 0;
    for (int m = 0; m < s->num_maps; m++)
        if (!s->map_nodes[m]) return 0;
    return 1;
}

void eng_dag_cleanup_batch(eng_driver *d, int64_t batch_time_us) {
    int kept = 0;
    for (int i = 0; i < d->nshuffles; i++) {
        eng_shuffle_status *s = &d->shuffles[i];
        if (s->batch_time_us != batch_time_us) {
            d->shuffles[kept++] = *s;
            continue;
        }
        /* ContextCleaner: the executors that hold its outputs drop them. */
        uint32_t told[ENG_DRIVER_EXECUTORS_MAX + 2] = {0};
        for (int m = 0; m < s->num_maps; m++) {
            uint32_t n = s->map_nodes[m];
            if (n && n < ENG_DRIVER_EXECUTORS_MAX + 2 && !told[n]) {
                told[n] = 1;
                eng_send(d->env, n, ENG_MSG_REMOVE_SHUFFLE, &s->shuffle_id, sizeof s->shuffle_id);
            }
        }
        free(s->map_nodes);
        free(s->map_bytes);
        free(s->map_registered_us);
    }
    d->nshuffles = kept;
}

/* ---- stages ------------------------------------------------------------------------ */

static int current_batch_time(const eng_driver *d, int64_t *t) {
    if (d->job_owner) {
        *t = d->job_time_us;
        return 0;
    }
    if (d->nbatches == 0) return -1;
    *t = d->batches[0]->time_us;
    return 0;
}

int eng_dag_add_stage(eng_driver *d, eng_job *job, eng_rdd *rdd, int is_map, int32_t shuffle_id, const eng_op *reader,
                      char *err, size_t errlen);
#define add_stage eng_dag_add_stage

/* Walks the narrow lineage of rdd; for each shuffle it reads that is not
 * complete, makes (or finds) the map stage and records it as a parent. */
static int link_parents(eng_driver *d, eng_job *job, int si, eng_rdd *rdd, char *err, size_t errlen) {
    if (eng_op_is_wide(rdd->op.kind)) {
        for (int p = 0; p < rdd->nparents; p++) {
            int32_t sid = rdd->shuffle_ids[p];
            if (shuffle_complete(shuffle_find(d, sid))) continue;
            int found = -1;
            for (int k = 0; k < job->nstages; k++)
                if (job->stages[k].is_map && job->stages[k].shuffle_id == sid) found = k;
            if (found < 0) found = add_stage(d, job, rdd->parents[p], 1, sid, &rdd->op, err, errlen);
            if (found < 0) return -1;
            eng_stage *s = &job->stages[si];
            if (s->nparents >= (int)(sizeof s->parents / sizeof s->parents[0])) {
                snprintf(err, errlen, "a stage reads too many shuffles");
                return -1;
            }
            s->parents[s->nparents++] = found;
        }
        return 0;
    }
    for (int p = 0; p < rdd->nparents; p++)
        if (link_parents(d, job, si, rdd->parents[p], err, errlen)) return -1;
    return 0;
}

int eng_dag_add_stage(eng_driver *d, eng_job *job, eng_rdd *rdd, int is_map, int32_t shuffle_id, const eng_op *reader,
                      char *err, size_t errlen) {
    if (job->nstages >= ENG_JOB_STAGES_MAX) {
        snprintf(err, errlen, "a job with more than %d stages", ENG_JOB_STAGES_MAX);
        return -1;
    }
    int si = job->nstages++;
    eng_stage *s = &job->stages[si];
    *s = (eng_stage){.id = d->next_stage_id++, .rdd = rdd, .is_map = is_map, .shuffle_id = shuffle_id,
                     .reader = reader, .num_tasks = rdd->num_partitions};
    s->task_state = calloc((size_t)(s->num_tasks ? s->num_tasks : 1), 1);
    s->task_failures = calloc((size_t)(s->num_tasks ? s->num_tasks : 1), sizeof *s->task_failures);
    s->task_duration_us = calloc((size_t)(s->num_tasks ? s->num_tasks : 1), sizeof *s->task_duration_us);
    s->speculatable = calloc((size_t)(s->num_tasks ? s->num_tasks : 1), 1);
    if (!s->task_state || !s->task_failures || !s->task_duration_us || !s->speculatable) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (is_map) {
        int64_t t = 0;
        current_batch_time(d, &t);
        eng_shuffle_status *st = shuffle_register(d, shuffle_id, rdd->num_partitions, t);
        if (!st) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        st->map_rdd = rdd;
        st->reader = reader;
    }
    return link_parents(d, job, si, rdd, err, errlen) ? -1 : si;
}

static void free_stage(eng_stage *s) {
    free(s->task_state);
    free(s->task_failures);
    free(s->task_duration_us);
    free(s->speculatable);
}

void eng_dag_free_job(eng_driver *d) {
    eng_job *job = d->job;
    if (!job) return;
    for (int i = 0; i < job->nstages; i++) free_stage(&job->stages[i]);
    if (job->results)
        for (int p = 0; p < job->rdd->num_partitions; p++) eng_part_fini(&job->results[p]);
    free(job->results);
    free(job);
    d->job = NULL;
    d->nrunning = 0;
}

static void finish_stage(eng_driver *d, int si);
#define submit_ready eng_dag_submit_ready

/* Submits every waiting stage whose parents are all done. */
void eng_dag_submit_ready(eng_driver *d) {
    eng_job *job = d->job;
    if (!job) return;
    for (int si = 0; si < job->nstages; si++) {
        eng_stage *s = &job->stages[si];
        if (s->state != ENG_STAGE_WAITING) continue;
        int ready = 1;
        for (int k = 0; k < s->nparents; k++)
            if (job->stages[s->parents[k]].state != ENG_STAGE_DONE) ready = 0;
        if (!ready) continue;
        s->state = ENG_STAGE_RUNNING;
        s->submitted_us = eng_now_us(d->env);
        char text[600];
        eng_lineage_text(s, NULL, text, sizeof text);
        eng_emit(d->env, ENG_EV_STAGE_SUBMITTED, s->id, job->id, s->num_tasks, s->attempt, text);
        eng_set_timer(d->env, s->submitted_us + ENG_LOCALITY_WAIT_US, ENG_DRIVER_TIMER_SCHEDULE, 0);
        if (s->num_tasks == 0) finish_stage(d, si);
    }
}

int eng_dag_submit(eng_driver *d, eng_rdd *rdd, uint32_t action, const char *save_path, char *err, size_t errlen) {
    eng_job *job = calloc(1, sizeof *job);
    if (!job) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    job->id = d->next_job_id++;
    job->rdd = rdd;
    job->action = action;
    job->start_us = eng_now_us(d->env);
    job->owner = d->job_owner;
    eng_acc_reset(job->acc);
    if (save_path) snprintf(job->save_path, sizeof job->save_path, "%s", save_path);
    job->results = calloc((size_t)(rdd->num_partitions ? rdd->num_partitions : 1), sizeof *job->results);
    d->job = job;
    if (!job->results) {
        snprintf(err, errlen, "out of memory");
        eng_dag_free_job(d);
        return -1;
    }
    int64_t t = 0;
    current_batch_time(d, &t);
    eng_emit(d->env, ENG_EV_JOB_START, job->id, t, action, 0, NULL);
    job->result_stage = add_stage(d, job, rdd, 0, -1, NULL, err, errlen);
    if (job->result_stage < 0) {
        eng_dag_free_job(d);
        return -1;
    }
    d->submitting = 1;
    submit_ready(d);
    d->submitting = 0;
    eng_dag_schedule(d);
    return 0;
}

/* ---- task plans --------------------------------------------------------------------- */

/* The line of work of partition p of stage s: see plan.h. */
static int build_plan(eng_driver *d, const eng_job *job, const eng_stage *s, int p, int attempt, eng_task_plan *plan,
                      char *err, size_t errlen) {
    memset(plan, 0, sizeof *plan);
    plan->task_id = d->next_task_id;
    plan->job_id = job->id;
    plan->stage_id = s->id;
    plan->stage_attempt = s->attempt;
    plan->partition = p;
    plan->attempt = attempt;
    current_batch_time(d, &plan->batch_time_us);
    eng_op chain[ENG_PLAN_OPS_MAX];
    int chain_index[ENG_PLAN_OPS_MAX];
    int n = 0;
    const eng_rdd *r = s->rdd;
    int idx = p;
    for (;;) {
        if (r->op.kind == ENG_OP_INPUT) {
            plan->input = r->splits[idx].kind;
            plan->split = r->splits[idx];
            break;
        }
        if (r->op.kind == ENG_OP_PARALLEL) {
            plan->input = ENG_IN_ROWS;
            eng_part_init(&plan->rows);
            const eng_part *src = &r->collection->slices[idx];
            for (size_t i = 0; i < src->count; i++) eng_part_push_copy(&plan->rows, &src->rows[i]);
            break;
        }
        if (eng_op_is_wide(r->op.kind)) {
            plan->input = ENG_IN_SHUFFLE;
            plan->reader = r->op;
            plan->ndeps = r->nparents;
            plan->deps = calloc((size_t)r->nparents, sizeof *plan->deps);
            if (!plan->deps) goto oom;
            for (int k = 0; k < r->nparents; k++) {
                const eng_shuffle_status *st = shuffle_find(d, r->shuffle_ids[k]);
                if (!st || st->num_maps > ENG_PLAN_MAPS_MAX) {
                    snprintf(err, errlen, "%s: a shuffle of more than %d map partitions",
                             eng_op_name_str(r->op.name), ENG_PLAN_MAPS_MAX);
                    return -1;
                }
                plan->deps[k].shuffle_id = st->shuffle_id;
                plan->deps[k].num_maps = st->num_maps;
                plan->deps[k].map_nodes = malloc((size_t)(st->num_maps ? st->num_maps : 1) * sizeof(uint32_t));
                if (!plan->deps[k].map_nodes) goto oom;
                memcpy(plan->deps[k].map_nodes, st->map_nodes, (size_t)st->num_maps * sizeof *st->map_nodes);
            }
            break;
        }
        if (n >= ENG_PLAN_OPS_MAX) {
            snprintf(err, errlen, "a stage of more than %d operations", ENG_PLAN_OPS_MAX);
            return -1;
        }
        if (r->op.kind == ENG_OP_UNION) {
            int parent, local;
            eng_rdd_union_locate(r, idx, &parent, &local);
            r = r->parents[parent];
            idx = local;
            continue;
        }
        chain_index[n] = idx;
        chain[n++] = r->op;
        r = r->parents[0];
    }
    plan->input_partition = idx;
    /* chain holds the ops from the stage's end down; the plan runs them up. */
    plan->nops = n;
    for (int i = 0; i < n; i++) {
        plan->ops[i] = chain[n - 1 - i];
        plan->op_partition[i] = chain_index[n - 1 - i];
    }
    plan->partition = p;
    if (s->is_map) {
        plan->output = ENG_OUT_SHUFFLE;
        plan->writer = *s->reader;
        plan->shuffle_id = s->shuffle_id;
    } else {
        plan->output = ENG_OUT_RESULT;
        plan->action = job->action;
        snprintf(plan->save_path, sizeof plan->save_path, "%s", job->save_path);
    }
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}

/* ---- TaskScheduler ------------------------------------------------------------------- */

static eng_running_task *add_running(eng_driver *d) {
    if (d->nrunning == d->running_cap) {
        int n = d->running_cap ? d->running_cap * 2 : 64;
        eng_running_task *p = realloc(d->running, (size_t)n * sizeof *p);
        if (!p) return NULL;
        d->running = p;
        d->running_cap = n;
    }
    return &d->running[d->nrunning++];
}

/* Launches partition p of stage si on node; a speculative copy runs beside
 * the attempt that is late, with the next attempt number. */
static int launch(eng_driver *d, int si, int p, uint32_t node, int speculative) {
    eng_job *job = d->job;
    eng_stage *s = &job->stages[si];
    eng_task_plan plan;
    char err[512];
    int attempt = s->task_failures[p] + (speculative ? 1 : 0);
    if (build_plan(d, job, s, p, attempt, &plan, err, sizeof err)) {
        eng_plan_fini(&plan);
        eng_driver_fail(d, err);
        return -1;
    }
    unsigned char *bytes;
    size_t len;
    eng_plan_encode(&plan, &bytes, &len);
    eng_plan_fini(&plan);
    eng_running_task *rt = add_running(d);
    if (!rt) {
        free(bytes);
        eng_driver_fail(d, "out of memory launching a task");
        return -1;
    }
    *rt = (eng_running_task){.task_id = d->next_task_id++, .stage = si, .partition = p, .attempt = attempt,
                             .node = node, .start_us = eng_now_us(d->env), .speculative = speculative};
    s->task_state[p] = ENG_TASK_RUNNING;
    d->executor_free[node]--;
    if (speculative) {
        s->speculatable[p] = 2;
        eng_emit(d->env, ENG_EV_TASK_SPECULATIVE, s->id, p, attempt, node, NULL);
    }
    eng_emit(d->env, ENG_EV_TASK_START, s->id, p, attempt, node, NULL);
    eng_send(d->env, node, ENG_MSG_LAUNCH_TASK, bytes, len);
    free(bytes);
    return 0;
}

/* The executors holding partition p's input block, if its input is a
 * receiver's block (BlockRDD.getPreferredLocations); 0 when none. */
static int preferred(const eng_stage *s, int p, const uint32_t **locs) {
    const eng_rdd *r = s->rdd;
    int idx = p;
    for (;;) {
        if (r->op.kind == ENG_OP_INPUT) {
            if (r->splits[idx].kind != ENG_IN_BLOCK) return 0;
            *locs = r->splits[idx].locs;
            return r->splits[idx].nlocs;
        }
        if ((r->op.kind == ENG_OP_SS_AGG || r->op.kind == ENG_OP_SS_DEDUP) && r->cached_on) {
            /* a state store: where it was last committed (StateStoreCoordinator) */
            if (!r->cached_on[idx]) return 0;
            *locs = &r->cached_on[idx];
            return 1;
        }
        if (r->op.kind == ENG_OP_PARALLEL || eng_op_is_wide(r->op.kind) || r->nparents == 0) return 0;
        if (r->op.kind == ENG_OP_UNION) {
            int parent, local;
            eng_rdd_union_locate(r, idx, &parent, &local);
            r = r->parents[parent];
            idx = local;
        } else {
            r = r->parents[0];
        }
    }
}

/* Whether the task may run on node now: on a node holding its block, or
 * anywhere once spark.locality.wait has passed since its stage was
 * submitted, or when no holder is alive (TaskSetManager's delay scheduling,
 * with the two levels PROCESS_LOCAL and ANY). */
static int allowed(const eng_driver *d, const eng_stage *s, int p, uint32_t node, int local_only) {
    const uint32_t *locs;
    int n = preferred(s, p, &locs);
    if (n == 0) return !local_only;
    int live = 0;
    for (int i = 0; i < n; i++) {
        if (locs[i] == node) return 1;
        if (locs[i] < ENG_DRIVER_EXECUTORS_MAX + 2 && d->executor_cores[locs[i]]) live = 1;
    }
    if (local_only) return 0;
    return !live || eng_now_us(d->env) - s->submitted_us >= ENG_LOCALITY_WAIT_US;
}

int eng_dag_other_copy_runs(const eng_driver *d, int stage, int partition, uint64_t task_id) {
    for (int i = 0; i < d->nrunning; i++)
        if (d->running[i].stage == stage && d->running[i].partition == partition && d->running[i].task_id != task_id)
            return 1;
    return 0;
}

static int runs_on(const eng_driver *d, int stage, int partition, uint32_t node) {
    for (int i = 0; i < d->nrunning; i++)
        if (d->running[i].stage == stage && d->running[i].partition == partition && d->running[i].node == node)
            return 1;
    return 0;
}

/* The next task node may run: pending ones, local ones first; then a
 * speculative copy of a late task, on another host than the late one
 * (TaskSetManager.dequeueSpeculativeTask). *speculative says which. */
static int next_task(eng_driver *d, uint32_t node, int *stage, int *part, int *speculative) {
    eng_job *job = d->job;
    *speculative = 0;
    for (int si = 0; si < job->nstages && d->conf->speculation; si++) {
        eng_stage *s = &job->stages[si];
        if (s->state != ENG_STAGE_RUNNING) continue;
        for (int p = 0; p < s->num_tasks; p++)
            if (s->speculatable[p] == 1 && s->task_state[p] == ENG_TASK_RUNNING && !runs_on(d, si, p, node)) {
                *stage = si;
                *part = p;
                *speculative = 1;
                return 1;
            }
    }
    for (int pass = 0; pass < 2; pass++)
        for (int si = 0; si < job->nstages; si++) {
            eng_stage *s = &job->stages[si];
            if (s->state != ENG_STAGE_RUNNING) continue;
            for (int p = 0; p < s->num_tasks; p++)
                if (s->task_state[p] == ENG_TASK_PENDING && allowed(d, s, p, node, pass == 0)) {
                    *stage = si;
                    *part = p;
                    return 1;
                }
        }
    return 0;
}

/* Offers the free cores, in a random order, to the running job's pending
 * tasks (TaskSchedulerImpl.resourceOffers, with TaskSetManager's delay
 * scheduling) and speculative copies. */
static void schedule_tasks(eng_driver *d) {
    eng_job *job = d->job;
    if (!job || d->stopped) return;
    uint32_t offers[ENG_DRIVER_EXECUTORS_MAX];
    int noffers = 0;
    for (uint32_t n = 2; n < ENG_DRIVER_EXECUTORS_MAX + 2; n++)
        if (d->executor_cores[n] && d->executor_free[n] > 0) offers[noffers++] = n;
    if (noffers == 0) return;
    /* Random.shuffle(offers), on the driver's own stream */
    for (int i = noffers - 1; i > 0; i--) {
        int j = (int)(eng_rng_next(d->env) % (uint64_t)(i + 1));
        uint32_t t = offers[i];
        offers[i] = offers[j];
        offers[j] = t;
    }
    int launched = 1;
    while (launched) {
        launched = 0;
        for (int o = 0; o < noffers; o++) {
            uint32_t node = offers[o];
            int si, p, speculative;
            if (d->executor_free[node] == 0 || !next_task(d, node, &si, &p, &speculative)) continue;
            if (launch(d, si, p, node, speculative)) return;
            launched = 1;
        }
    }
}

void eng_dag_schedule(eng_driver *d) {
    if (d->stopped) return;
    /* receivers whose (re)start job came before the running job first, then
     * its tasks, then the receivers restarted after it was submitted */
    eng_tracker_launch_receivers(d, d->job ? d->job->id : INT_MAX);
    schedule_tasks(d);
    eng_tracker_launch_receivers(d, INT_MAX);
}

/* ---- task status ------------------------------------------------------------------------ */

static void finish_job(eng_driver *d) {
    eng_job *job = d->job;
    int64_t t = 0;
    current_batch_time(d, &t);
    eng_emit(d->env, ENG_EV_JOB_END, job->id, t, job->failed ? 1 : 0, 0, NULL);
    job->done = 1;
    /* A job can end inside eng_dag_submit (no tasks at all): its caller
     * sees job->done and goes on; advancing from here would free the job
     * under the caller's feet. */
    if (d->submitting) return;
    if (job->owner)
        eng_ss_job_done(d);
    else
        eng_outputs_advance(d);
}

static void finish_stage(eng_driver *d, int si) {
    eng_job *job = d->job;
    eng_stage *s = &job->stages[si];
    s->state = ENG_STAGE_DONE;
    eng_emit(d->env, ENG_EV_STAGE_COMPLETED, s->id, job->id, 0, s->attempt, NULL);
    if (si == job->result_stage) {
        finish_job(d);
        return;
    }
    submit_ready(d);
}

/* The first attempt of a partition to succeed wins; the others are killed
 * ("another attempt succeeded"). Their cores are free at once: the kill
 * reaches the executor a network hop later, and a status it sent meanwhile
 * is ignored. */
static void kill_other_copies(eng_driver *d, const eng_running_task *winner) {
    for (int i = 0; i < d->nrunning;) {
        eng_running_task *rt = &d->running[i];
        if (rt->stage != winner->stage || rt->partition != winner->partition || rt->task_id == winner->task_id) {
            i++;
            continue;
        }
        eng_emit(d->env, ENG_EV_TASK_FAILED, d->job->stages[rt->stage].id, rt->partition, rt->attempt,
                 ENG_CAUSE_KILLED, "killed: another attempt succeeded");
        eng_send(d->env, rt->node, ENG_MSG_KILL_TASK, &rt->task_id, sizeof rt->task_id);
        if (d->executor_cores[rt->node]) d->executor_free[rt->node]++;
        d->running[i] = d->running[--d->nrunning];
    }
}

static int by_duration(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* TaskSetManager.checkSpeculatableTasks: once spark.speculation.quantile of
 * a stage's tasks have succeeded, a task running longer than
 * spark.speculation.multiplier x their median duration (and at least
 * 100 ms) may get a copy on another executor. */
void eng_dag_check_speculatable(eng_driver *d) {
    eng_job *job = d->job;
    if (!job || d->stopped || !d->conf->speculation) return;
    int64_t now = eng_now_us(d->env);
    int found = 0;
    for (int si = 0; si < job->nstages; si++) {
        eng_stage *s = &job->stages[si];
        if (s->state != ENG_STAGE_RUNNING) continue;
        int min_finished = (int)(d->conf->speculation_quantile * s->num_tasks);
        if (min_finished < 1) min_finished = 1;
        if (s->tasks_done < min_finished) continue;
        int64_t *done = malloc((size_t)s->num_tasks * sizeof *done);
        if (!done) return;
        int n = 0;
        for (int p = 0; p < s->num_tasks; p++)
            if (s->task_state[p] == ENG_TASK_DONE) done[n++] = s->task_duration_us[p];
        qsort(done, (size_t)n, sizeof *done, by_duration);
        /* MedianHeap.median: the middle one, or the mean of the two middle */
        double median = n % 2 ? (double)done[n / 2] : ((double)done[n / 2 - 1] + (double)done[n / 2]) / 2;
        free(done);
        double threshold = d->conf->speculation_multiplier * median;
        if (threshold < ENG_SPECULATION_MIN_US) threshold = ENG_SPECULATION_MIN_US;
        for (int i = 0; i < d->nrunning; i++) {
            eng_running_task *rt = &d->running[i];
            if (rt->stage != si || s->speculatable[rt->partition] || s->task_state[rt->partition] != ENG_TASK_RUNNING)
                continue;
            if ((double)(now - rt->start_us) > threshold) {
                s->speculatable[rt->partition] = 1;
                found = 1;
            }
        }
    }
    if (found) eng_dag_schedule(d);
}

static int find_running(const eng_driver *d, uint64_t task_id) {
    for (int i = 0; i < d->nrunning; i++)
        if (d->running[i].task_id == task_id) return i;
    return -1;
}

void eng_dag_on_status(eng_driver *d, uint32_t src, const void *bytes, size_t len) {
    eng_rbuf r;
    eng_rbuf_init(&r, bytes, len);
    uint64_t task_id = eng_rd_u64(&r);
    uint8_t state = eng_rd_u8(&r);
    int64_t records = eng_rd_i64(&r);
    int ri = find_running(d, task_id);
    if (r.err || ri < 0 || !d->job) return; /* a task of a job that is gone */
    eng_running_task rt = d->running[ri];
    d->running[ri] = d->running[--d->nrunning];
    if (d->executor_cores[src]) d->executor_free[src]++;
    eng_job *job = d->job;
    eng_stage *s = &job->stages[rt.stage];
    if (s->task_state[rt.partition] == ENG_TASK_DONE) {
        /* a copy that finished after the winner, before its kill arrived */
        eng_dag_schedule(d);
        return;
    }
    if (state == ENG_TASK_OK) {
        eng_emit(d->env, ENG_EV_TASK_END, s->id, rt.partition, rt.attempt, records, NULL);
        s->task_duration_us[rt.partition] = eng_now_us(d->env) - rt.start_us;
        kill_other_copies(d, &rt);
        if (s->is_map) {
            eng_shuffle_status *st = shuffle_find(d, s->shuffle_id);
            int64_t bytes_out = eng_rd_i64(&r);
            if (st) {
                st->map_nodes[rt.partition] = src;
                st->map_bytes[rt.partition] = bytes_out;
                st->map_registered_us[rt.partition] = eng_now_us(d->env);
            }
        } else if (job->action == ENG_ACT_COUNT) {
            job->count += eng_rd_i64(&r);
        } else {
            if (eng_rbuf_get_part(&r, &job->results[rt.partition])) {
                eng_driver_fail(d, "a task's result could not be read");
                return;
            }
        }
        if (eng_rbuf_remaining(&r) >= ENG_ACC_MAX * sizeof(int64_t)) { /* a Structured Streaming task's metrics */
            int64_t acc[ENG_ACC_MAX];
            for (int k = 0; k < ENG_ACC_MAX; k++) acc[k] = eng_rd_i64(&r);
            eng_acc_merge(job->acc, acc);
        }
        if (job->owner) eng_ss_task_done(d, s->rdd, rt.partition, src);
        s->task_state[rt.partition] = ENG_TASK_DONE;
        if (++s->tasks_done == s->num_tasks) finish_stage(d, rt.stage);
    } else if (state == ENG_TASK_FETCH_FAILED) {
        int32_t shuffle = (int32_t)eng_rd_u32(&r), map = (int32_t)eng_rd_u32(&r);
        uint32_t node = eng_rd_u32(&r);
        char msg[1024];
        eng_rd_str(&r, msg, sizeof msg);
        eng_emit(d->env, ENG_EV_TASK_FAILED, s->id, rt.partition, rt.attempt, state, msg);
        s->task_state[rt.partition] = ENG_TASK_PENDING; /* FetchFailed does not count as the task's failure */
        eng_dag_fetch_failed(d, rt.stage, rt.start_us, shuffle, map, node, msg);
        return;
    } else {
        char msg[1024];
        eng_rd_str(&r, msg, sizeof msg);
        eng_emit(d->env, ENG_EV_TASK_FAILED, s->id, rt.partition, rt.attempt, state, msg);
        s->task_failures[rt.partition]++;
        if (s->task_failures[rt.partition] >= ENG_TASK_MAX_FAILURES) {
            char full[1400];
            int64_t t = 0;
            current_batch_time(d, &t);
            snprintf(full, sizeof full, "%s (task %d in stage %d failed %d times; batch %lld ms)", msg, rt.partition,
                     s->id, ENG_TASK_MAX_FAILURES, (long long)(t / 1000));
            job->failed = 1;
            eng_driver_fail(d, full);
            return;
        }
        /* with a copy still running, that copy carries on */
        if (!eng_dag_other_copy_runs(d, rt.stage, rt.partition, rt.task_id))
            s->task_state[rt.partition] = ENG_TASK_PENDING;
    }
    eng_dag_schedule(d);
}
