/* sim/net.c — see net.h. */
#include "net.h"

#include <assert.h>
#include <string.h>

#include "../engine/trace_events.h"

void sim_net_init(sim_net *n, uint64_t seed, int64_t latency_us, int64_t jitter_us) {
    memset(n, 0, sizeof *n);
    n->latency_us = latency_us >= 0 ? latency_us : 1000;
    n->jitter_us = jitter_us >= 0 ? jitter_us : 200;
    n->bytes_per_s = 125000000; /* 1 Gbit/s */
    sim_rng_init(&n->rng, seed, "network");
}

int sim_net_route(sim_net *n, uint32_t src, uint32_t dst, int64_t now_us, size_t bytes, int64_t *deliver_us) {
    assert(src < SIM_NET_NODES_MAX && dst < SIM_NET_NODES_MAX);
    if (n->partitioned_until_us[src] > now_us || n->partitioned_until_us[dst] > now_us)
        return ENG_CAUSE_PARTITION;
    int64_t jitter = n->jitter_us ? (int64_t)sim_rng_below(&n->rng, (uint64_t)n->jitter_us + 1) : 0;
    int64_t transfer = (int64_t)((double)bytes * 1e6 / (double)n->bytes_per_s);
    int64_t at = now_us + n->latency_us + jitter + transfer;
    if (at < n->last_delivery_us[src][dst]) at = n->last_delivery_us[src][dst];
    n->last_delivery_us[src][dst] = at;
    *deliver_us = at;
    return 0;
}

void sim_net_partition(sim_net *n, uint32_t node, int64_t until_us) {
    assert(node < SIM_NET_NODES_MAX);
    n->partitioned_until_us[node] = until_us;
}
