/* engine/driver.c — the driver node: executor registry and JobGenerator timer. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"

enum { DRIVER_TIMER_BATCH = 1 };

/* Bound on executors a driver tracks: node ids are small and dense. */
#define DRIVER_EXECUTORS_MAX 1024

typedef struct eng_driver {
    const eng_env *env;
    const eng_cluster_conf *conf;
    int64_t zero_time_us;
    int64_t batches_generated;
    uint32_t executor_cores[DRIVER_EXECUTORS_MAX]; /* by node id; 0 = not registered */
} eng_driver;

/* First batch time strictly after now, on the batch grid (RecurringTimer.getStartTime). */
static int64_t first_batch_time_us(int64_t now_us, int64_t interval_us) {
    return (now_us / interval_us + 1) * interval_us;
}

static void *driver_create(const eng_env *env, const void *config) {
    eng_driver *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->env = env;
    d->conf = config;
    assert(d->conf->batch_interval_us > 0);
    int64_t first_us = first_batch_time_us(eng_now_us(env), d->conf->batch_interval_us);
    d->zero_time_us = first_us - d->conf->batch_interval_us;
    eng_set_timer(env, first_us, DRIVER_TIMER_BATCH, 0);
    return d;
}

static void driver_destroy(void *node) { free(node); }

static void driver_generate_batch(eng_driver *d, int64_t batch_time_us) {
    assert((batch_time_us - d->zero_time_us) % d->conf->batch_interval_us == 0);
    d->batches_generated++;
    eng_emit(d->env, ENG_EV_BATCH_GENERATED, batch_time_us, 0, 0, 0, NULL);
    /* The next tick is scheduled from the grid, not from now: a late tick
     * never shifts the ones after it. */
    eng_set_timer(d->env, batch_time_us + d->conf->batch_interval_us, DRIVER_TIMER_BATCH, 0);
}

static void driver_on_timer(void *node, uint32_t tag, uint64_t arg) {
    eng_driver *d = node;
    (void)arg;
    if (tag == DRIVER_TIMER_BATCH) driver_generate_batch(d, eng_now_us(d->env));
}

static void driver_on_message(void *node, eng_node_id src, uint32_t kind, const void *bytes, size_t len) {
    eng_driver *d = node;
    if (src >= DRIVER_EXECUTORS_MAX) return;
    if (kind == ENG_MSG_REGISTER_EXECUTOR && len == sizeof(eng_msg_register)) {
        eng_msg_register m;
        memcpy(&m, bytes, sizeof m);
        d->executor_cores[src] = m.cores;
        eng_emit(d->env, ENG_EV_EXECUTOR_REGISTERED, src, m.cores, 0, 0, NULL);
        eng_send(d->env, src, ENG_MSG_REGISTERED_EXECUTOR, NULL, 0);
    } else if (kind == ENG_MSG_HEARTBEAT && len == sizeof(eng_msg_heartbeat)) {
        eng_emit(d->env, ENG_EV_HEARTBEAT, src, 0, 0, 0, NULL);
    }
}

const eng_node_ops eng_driver_ops = {
    .role = "driver",
    .create = driver_create,
    .destroy = driver_destroy,
    .on_timer = driver_on_timer,
    .on_message = driver_on_message,
};
