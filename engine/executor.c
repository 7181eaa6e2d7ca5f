/* engine/executor.c — an executor on a worker node: registration and heartbeats. */
#include <stdlib.h>
#include <string.h>

#include "cluster.h"

enum { EXECUTOR_TIMER_HEARTBEAT = 1 };

typedef struct eng_executor {
    const eng_env *env;
    const eng_cluster_conf *conf;
    int registered;
    uint64_t heartbeats_sent;
} eng_executor;

static void *executor_create(const eng_env *env, const void *config) {
    eng_executor *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->env = env;
    e->conf = config;
    eng_msg_register m = {.cores = e->conf->cores};
    eng_send(env, ENG_NODE_DRIVER, ENG_MSG_REGISTER_EXECUTOR, &m, sizeof m);
    return e;
}

static void executor_destroy(void *node) { free(node); }

static void executor_on_timer(void *node, uint32_t tag, uint64_t arg) {
    eng_executor *e = node;
    (void)arg;
    if (tag != EXECUTOR_TIMER_HEARTBEAT) return;
    eng_msg_heartbeat m = {.sequence = ++e->heartbeats_sent};
    eng_send(e->env, ENG_NODE_DRIVER, ENG_MSG_HEARTBEAT, &m, sizeof m);
    eng_set_timer(e->env, eng_now_us(e->env) + e->conf->heartbeat_interval_us, EXECUTOR_TIMER_HEARTBEAT, 0);
}

static void executor_on_message(void *node, eng_node_id src, uint32_t kind, const void *bytes, size_t len) {
    eng_executor *e = node;
    (void)bytes;
    (void)len;
    if (src == ENG_NODE_DRIVER && kind == ENG_MSG_REGISTERED_EXECUTOR && !e->registered) {
        e->registered = 1;
        eng_set_timer(e->env, eng_now_us(e->env) + e->conf->heartbeat_interval_us, EXECUTOR_TIMER_HEARTBEAT,
                      0);
    }
}

const eng_node_ops eng_executor_ops = {
    .role = "executor",
    .create = executor_create,
    .destroy = executor_destroy,
    .on_timer = executor_on_timer,
    .on_message = executor_on_message,
};
