/* sim/net.h — the network model between nodes.
 *
 * A message from src to dst takes latency_us plus a uniform jitter in
 * [0, jitter_us] drawn from the network's own rng stream, plus its bytes
 * over the link's bandwidth (1 Gbit/s: 125 bytes per us), and is delivered
 * in send order per (src, dst) link (as over a TCP connection: a later
 * message never overtakes an earlier one on the same link). A node cut off
 * by a partition neither sends nor receives until the partition heals.
 */
#ifndef SIM_NET_H
#define SIM_NET_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

#define SIM_NET_NODES_MAX 256u

typedef struct sim_net {
    int64_t latency_us; /* >= 0 */
    int64_t jitter_us;  /* >= 0 */
    int64_t bytes_per_s; /* > 0 */
    sim_rng rng;
    int64_t partitioned_until_us[SIM_NET_NODES_MAX];          /* by node id; 0 = connected */
    int64_t last_delivery_us[SIM_NET_NODES_MAX][SIM_NET_NODES_MAX]; /* per link, for FIFO order */
} sim_net;

/* Defaults when latency_us and jitter_us are negative: 1 ms and 200 us,
 * a LAN round trip's order of magnitude. */
void sim_net_init(sim_net *n, uint64_t seed, int64_t latency_us, int64_t jitter_us);

/* Decides the fate of a message of `bytes` sent at now_us. Returns 0 and
 * sets *deliver_us, or returns ENG_CAUSE_PARTITION when either end is cut off. */
int sim_net_route(sim_net *n, uint32_t src, uint32_t dst, int64_t now_us, size_t bytes, int64_t *deliver_us);

/* Cuts `node` off until until_us. */
void sim_net_partition(sim_net *n, uint32_t node, int64_t until_us);

#endif
