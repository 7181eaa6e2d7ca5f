/* engine/lost.c — what the driver does when an executor is gone, or a
 * task cannot fetch its shuffle input.
 *
 * Executor lost (CoarseGrainedSchedulerBackend.removeExecutor,
 * DAGScheduler.handleExecutorLost, TaskSetManager.executorLost):
 *   - its running tasks fail, and run again elsewhere (such a failure does
 *     not count towards spark.task.maxFailures: ExecutorLostFailure);
 *   - its map outputs are gone (no external shuffle service): the map stages
 *     that made them run those partitions again before their readers go on;
 *   - its blocks are gone from the block manager master: a block with no
 *     copy left is lost (block_lost), and a batch generated afterwards
 *     leaves it out, as ReceiverInputDStream.createBlockRDD does;
 *   - its receivers are launched again on a live executor, as soon as one
 *     they may run on has a free core (tracker.c).
 * FetchFailed (DAGScheduler.handleTaskCompletion): the map output is
 * unregistered, the map stage runs that partition again and the reading
 * stage retries; after spark.stage.maxConsecutiveAttempts (4) the job fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"

/* A map stage of the job that lost partitions runs them again; the stages
 * that read it wait for it. Returns how many of its partitions were lost. */
static int rerun_lost_maps(eng_driver *d, int si) {
    eng_job *job = d->job;
    eng_stage *s = &job->stages[si];
    eng_shuffle_status *st = eng_dag_shuffle(d, s->shuffle_id);
    if (!st) return 0;
    int lost = 0;
    for (int p = 0; p < s->num_tasks; p++)
        if (!st->map_nodes[p] && s->task_state[p] == ENG_TASK_DONE) {
            s->task_state[p] = ENG_TASK_PENDING;
            s->tasks_done--;
            lost++;
        }
    if (!lost) return 0;
    if (s->state == ENG_STAGE_DONE) {
        s->state = ENG_STAGE_RUNNING;
        s->attempt++;
        s->submitted_us = eng_now_us(d->env);
        char text[600];
        eng_lineage_text(s, "resubmitted: map outputs lost", text, sizeof text);
        eng_emit(d->env, ENG_EV_STAGE_SUBMITTED, s->id, job->id, lost, s->attempt, text);
    }
    /* its readers wait until it is whole again */
    for (int k = 0; k < job->nstages; k++)
        for (int q = 0; q < job->stages[k].nparents; q++)
            if (job->stages[k].parents[q] == si && job->stages[k].state == ENG_STAGE_RUNNING)
                job->stages[k].state = ENG_STAGE_WAITING;
    return lost;
}

void eng_driver_executor_lost(eng_driver *d, uint32_t node, const char *why) {
    if (node < 2 || node >= ENG_DRIVER_EXECUTORS_MAX + 2 || !d->executor_cores[node]) return;
    d->executor_cores[node] = 0;
    d->executor_free[node] = 0;
    /* its running tasks */
    int tasks = 0;
    for (int i = 0; i < d->nrunning;) {
        eng_running_task *rt = &d->running[i];
        if (rt->node != node) {
            i++;
            continue;
        }
        if (d->job) {
            eng_stage *s = &d->job->stages[rt->stage];
            if (!eng_dag_other_copy_runs(d, rt->stage, rt->partition, rt->task_id))
                s->task_state[rt->partition] = ENG_TASK_PENDING;
            eng_emit(d->env, ENG_EV_TASK_FAILED, s->id, rt->partition, rt->attempt, ENG_CAUSE_NODE_DOWN, why);
        }
        d->running[i] = d->running[--d->nrunning];
        tasks++;
    }
    /* its map outputs */
    int outputs = 0;
    for (int k = 0; k < d->nshuffles; k++)
        for (int m = 0; m < d->shuffles[k].num_maps; m++)
            if (d->shuffles[k].map_nodes[m] == node) {
                d->shuffles[k].map_nodes[m] = 0;
                outputs++;
            }
    if (d->job)
        for (int si = 0; si < d->job->nstages; si++)
            if (d->job->stages[si].is_map) rerun_lost_maps(d, si);
    /* its blocks, and its receivers */
    int blocks = eng_tracker_node_lost(d, node);
    eng_emit(d->env, ENG_EV_EXECUTOR_LOST, node, tasks, outputs, blocks, why);
    eng_tracker_receivers_lost(d, node);
    eng_dag_submit_ready(d);
    eng_dag_schedule(d); /* the relaunched receivers take free cores, in FIFO order with the tasks */
}

void eng_driver_expire_dead_executors(eng_driver *d) {
    int64_t now = eng_now_us(d->env);
    for (uint32_t n = 2; n < ENG_DRIVER_EXECUTORS_MAX + 2; n++)
        if (d->executor_cores[n] && now - d->last_heartbeat_us[n] > d->conf->network_timeout_us) {
            char why[160];
            snprintf(why, sizeof why, "Executor heartbeat timed out after %lld ms",
                     (long long)((now - d->last_heartbeat_us[n]) / 1000));
            eng_driver_executor_lost(d, n, why);
        }
}

/* A fetch failure of a current stage attempt: the attempt fails (the job
 * too, after spark.stage.maxConsecutiveAttempts), and the map stage that
 * writes the shuffle (in this job, or made anew) runs its lost partitions
 * again. Returns -1 when the job failed. */
static int fail_reader_attempt(eng_driver *d, eng_stage *reader, eng_shuffle_status *st, int32_t shuffle,
                               const char *message) {
    eng_job *job = d->job;
    if (++reader->attempt >= ENG_STAGE_MAX_ATTEMPTS) {
        char full[1400];
        snprintf(full, sizeof full, "%s (stage %d failed %d times in a row on fetch failures)", message, reader->id,
                 ENG_STAGE_MAX_ATTEMPTS);
        job->failed = 1;
        eng_driver_fail(d, full);
        return -1;
    }
    int si = -1;
    for (int k = 0; k < job->nstages; k++)
        if (job->stages[k].is_map && job->stages[k].shuffle_id == shuffle) si = k;
    if (si < 0 && st && st->map_rdd) {
        char err[512];
        si = eng_dag_add_stage(d, job, st->map_rdd, 1, shuffle, st->reader, err, sizeof err);
        if (si < 0) {
            eng_driver_fail(d, err);
            return -1;
        }
        /* none of its partitions counts as done but those still registered */
        eng_stage *m = &job->stages[si];
        for (int p = 0; p < m->num_tasks; p++)
            if (st->map_nodes[p]) {
                m->task_state[p] = ENG_TASK_DONE;
                m->tasks_done++;
            }
        m->state = m->tasks_done == m->num_tasks ? ENG_STAGE_DONE : ENG_STAGE_WAITING;
        if (reader->nparents < (int)(sizeof reader->parents / sizeof reader->parents[0]))
            reader->parents[reader->nparents++] = si;
    } else if (si >= 0) {
        rerun_lost_maps(d, si);
    }
    return 0;
}

void eng_dag_fetch_failed(eng_driver *d, int stage, int64_t task_start_us, int32_t shuffle, int32_t map, uint32_t node,
                          const char *message) {
    eng_stage *reader = &d->job->stages[stage];
    eng_shuffle_status *st = eng_dag_shuffle(d, shuffle);
    /* unregistered only where the failed fetch looked for it: a map output
     * computed again meanwhile, elsewhere or on a restarted executor of the
     * same worker, stays (MapOutputTracker.unregisterMapOutput compares the
     * block manager address, which a new executor changes) */
    if (st && map >= 0 && map < st->num_maps && st->map_nodes[map] == node &&
        st->map_registered_us[map] <= task_start_us)
        st->map_nodes[map] = 0;
    /* the other tasks of a stage attempt that already failed on a fetch do
     * not fail it again (DAGScheduler ignores a fetch failure from an older
     * stage attempt): they wait with it for the map stage */
    int stale = reader->state == ENG_STAGE_WAITING || task_start_us < reader->submitted_us;
    if (!stale && fail_reader_attempt(d, reader, st, shuffle, message)) return;
    eng_emit(d->env, ENG_EV_RECOVERY_PHASE, 1, 0, 0, 0, message);
    if (!stale) reader->state = ENG_STAGE_WAITING;
    eng_dag_submit_ready(d);
    eng_dag_schedule(d);
}
