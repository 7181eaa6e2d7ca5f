/* tests/unit/test_world.c — the simulated world: clock, nodes, crashes, timers, network. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../engine/cluster.h"
#include "../../sim/world.h"

#define S 1000000LL
#define MS 1000LL

/* The executor's heartbeat timer tag (engine/executor.c, EXECUTOR_TIMER_HEARTBEAT). */
#define EXECUTOR_HEARTBEAT_TAG 1u
/* A message kind no node handles: delivered and ignored. */
#define TEST_KIND 99u

static sim_world_opts default_opts(uint64_t seed) {
    sim_world_opts o = {0};
    o.seed = seed;
    o.cluster = (eng_cluster_conf){
        .batch_interval_us = 1 * S,
        .block_interval_us = 200 * MS,
        .heartbeat_interval_us = 10 * S,
        .workers = 2,
        .cores = 2,
    };
    o.net_latency_us = -1; /* defaults: 1 ms + up to 200 us jitter */
    o.net_jitter_us = -1;
    return o;
}

static sim_world *new_world(const sim_world_opts *o) {
    char err[256] = "";
    sim_world *w = sim_world_new(o, err, sizeof err);
    cr_assert_not_null(w, "sim_world_new: %s", err);
    return w;
}

static void run_to(sim_world *w, int64_t t) {
    cr_assert_eq(sim_world_run(w, t), 0, "run to %lld failed: %s", (long long)t, w->error);
    cr_assert_eq(w->now_us, t);
}

/* Events of `type` with t in (from, to], on `node` (or any node if node < 0),
 * with arg0 == a0 (or any if a0 == INT64_MIN). Copies up to max into out. */
static size_t find(const sim_world *w, eng_trace_type type, int64_t from, int64_t to, int64_t node, int64_t a0,
                   const sim_trace_rec **out, size_t max) {
    size_t n = 0;
    for (size_t i = 0; i < w->trace.count; i++) {
        const sim_trace_rec *r = &w->trace.events[i];
        if (r->type != (uint32_t)type || r->t_us <= from || r->t_us > to) continue;
        if (node >= 0 && r->node != (uint32_t)node) continue;
        if (a0 != INT64_MIN && r->arg[0] != a0) continue;
        if (out && n < max) out[n] = r;
        n++;
    }
    return n;
}

#define ANY INT64_MIN
#define ALL_TIME (-1), INT64_MAX

Test(world, batches_on_the_grid_and_executors_register) {
    sim_world_opts o = default_opts(42);
    sim_world *w = new_world(&o);
    cr_assert_eq(w->node_count, 3);
    cr_assert_str_eq(w->nodes[1].name, "driver");
    cr_assert_str_eq(w->nodes[2].name, "worker-1");
    cr_assert_str_eq(w->nodes[3].name, "worker-2");
    sim_world_start(w);
    run_to(w, 5 * S);

    const sim_trace_rec *b[8];
    cr_assert_eq(find(w, ENG_EV_BATCH_GENERATED, ALL_TIME, -1, ANY, b, 8), 5);
    for (int k = 0; k < 5; k++) {
        cr_assert_eq(b[k]->t_us, (k + 1) * S, "batch %d at %lld", k, (long long)b[k]->t_us);
        cr_assert_eq(b[k]->arg[0], (k + 1) * S);
        cr_assert_eq(b[k]->node, ENG_NODE_DRIVER);
    }
    cr_assert_eq(w->trace.counts[ENG_EV_BATCH_GENERATED], 5);

    const sim_trace_rec *r[4];
    cr_assert_eq(find(w, ENG_EV_EXECUTOR_REGISTERED, ALL_TIME, -1, ANY, r, 4), 2);
    cr_assert_eq(r[0]->node, ENG_NODE_DRIVER);
    cr_assert_eq(r[0]->arg[1], 2, "cores");
    cr_assert_eq(r[1]->arg[1], 2);
    cr_assert_eq(r[0]->arg[0] + r[1]->arg[0], 2 + 3, "executors 2 and 3 registered");
    cr_assert_neq(r[0]->arg[0], r[1]->arg[0]);
    /* a register message takes 1 ms plus at most 200 us of jitter */
    for (int i = 0; i < 2; i++) {
        cr_assert_geq(r[i]->t_us, 1000);
        cr_assert_leq(r[i]->t_us, 1200);
    }

    const sim_trace_rec *up[4];
    cr_assert_eq(find(w, ENG_EV_NODE_UP, ALL_TIME, -1, ANY, up, 4), 3);
    for (uint32_t i = 0; i < 3; i++) {
        cr_assert_eq(up[i]->t_us, 0);
        cr_assert_eq(up[i]->node, i + 1, "driver first, then workers in id order");
        cr_assert_eq(up[i]->arg[0], 1, "incarnation 1");
        cr_assert_eq(up[i]->arg[1], i == 0 ? 0 : 2, "cores");
        cr_assert_str_eq(sim_trace_text(&w->trace, up[i]), w->nodes[i + 1].name);
    }
    /* no heartbeat before the first heartbeat interval */
    cr_assert_eq(find(w, ENG_EV_HEARTBEAT, ALL_TIME, -1, ANY, NULL, 0), 0);
    sim_world_free(w);
}

Test(world, run_stops_at_until_inclusive_and_is_resumable) {
    sim_world_opts o = default_opts(1);
    sim_world *w = new_world(&o);
    sim_world_start(w);
    run_to(w, 2 * S - 1);
    cr_assert_eq(w->trace.counts[ENG_EV_BATCH_GENERATED], 1);
    run_to(w, 2 * S);
    cr_assert_eq(w->trace.counts[ENG_EV_BATCH_GENERATED], 2);
    run_to(w, 2 * S); /* no time passes: nothing new */
    cr_assert_eq(w->trace.counts[ENG_EV_BATCH_GENERATED], 2);
    run_to(w, 10 * S);
    cr_assert_eq(w->trace.counts[ENG_EV_BATCH_GENERATED], 10);
    sim_world_free(w);
}

Test(world, heartbeats_every_interval) {
    sim_world_opts o = default_opts(42);
    sim_world *w = new_world(&o);
    sim_world_start(w);
    run_to(w, 31 * S);
    const sim_trace_rec *h[8];
    cr_assert_eq(find(w, ENG_EV_HEARTBEAT, ALL_TIME, -1, 2, h, 8), 3);
    /* registered at ~2 ms, then every 10 s, each heartbeat ~1 ms on the wire */
    for (int k = 0; k < 3; k++) {
        cr_assert_gt(h[k]->t_us, (k + 1) * 10 * S);
        cr_assert_lt(h[k]->t_us, (k + 1) * 10 * S + 5 * MS);
        cr_assert_eq(h[k]->node, ENG_NODE_DRIVER);
    }
    cr_assert_eq(find(w, ENG_EV_HEARTBEAT, ALL_TIME, -1, 3, NULL, 0), 3);
    sim_world_free(w);
}

Test(world, crashed_worker_is_silent_and_rejoins_on_restart) {
    sim_world_opts o = default_opts(42);
    sim_world *w = new_world(&o);
    sim_world_start(w);
    run_to(w, 15 * S);
    cr_assert_eq(find(w, ENG_EV_HEARTBEAT, ALL_TIME, -1, 2, NULL, 0), 1, "one heartbeat at ~10 s before the crash");

    sim_world_crash(w, 2, ENG_CAUSE_CRASH);
    cr_assert_eq(sim_world_node_up(w, 2), 0);
    cr_assert_eq(sim_world_node_up(w, 3), 1);
    const sim_trace_rec *down[2];
    cr_assert_eq(find(w, ENG_EV_NODE_DOWN, ALL_TIME, ANY, ANY, down, 2), 1);
    cr_assert_eq(down[0]->t_us, 15 * S);
    cr_assert_eq(down[0]->node, 2);
    cr_assert_eq(down[0]->arg[0], 1, "incarnation that died");
    cr_assert_eq(down[0]->arg[1], ENG_CAUSE_CRASH);
    cr_assert_str_eq(sim_trace_text(&w->trace, down[0]), "worker-1");
    /* crashing a node that is down is a no-op */
    sim_world_crash(w, 2, ENG_CAUSE_CRASH);
    cr_assert_eq(w->trace.counts[ENG_EV_NODE_DOWN], 1);

    /* a message sent to the down node is dropped at once */
    size_t before = w->trace.count;
    w->nodes[1].env.ops->send(w, 1, 2, TEST_KIND, "x", 1);
    cr_assert_eq(w->trace.count, before + 1);
    const sim_trace_rec *d = &w->trace.events[before];
    cr_assert_eq(d->type, ENG_EV_MESSAGE_DROP);
    cr_assert_eq(d->t_us, 15 * S);
    cr_assert_eq(d->node, 1, "the drop is recorded on the sender");
    cr_assert_eq(d->arg[0], 2, "dst");
    cr_assert_eq(d->arg[1], TEST_KIND);
    cr_assert_eq(d->arg[2], ENG_CAUSE_NODE_DOWN);

    run_to(w, 35 * S);
    cr_assert_eq(find(w, ENG_EV_HEARTBEAT, 15 * S, 35 * S, -1, 2, NULL, 0), 0, "no heartbeat from a down node");
    cr_assert_eq(find(w, ENG_EV_HEARTBEAT, 15 * S, 35 * S, -1, 3, NULL, 0), 2, "worker-2 goes on (~20 s, ~30 s)");
    cr_assert_eq(find(w, ENG_EV_MESSAGE_DELIVER, 15 * S, 35 * S, 2, ANY, NULL, 0), 0);

    sim_world_restart(w, 2);
    cr_assert_eq(sim_world_node_up(w, 2), 1);
    cr_assert_eq(w->nodes[2].epoch, 2);
    const sim_trace_rec *up[2];
    cr_assert_eq(find(w, ENG_EV_NODE_UP, 15 * S, 35 * S, 2, ANY, up, 2), 1);
    cr_assert_eq(up[0]->t_us, 35 * S);
    cr_assert_eq(up[0]->arg[0], 2, "incarnation 2");
    cr_assert_eq(up[0]->arg[1], 2, "cores");
    /* restarting a node that is up is a no-op */
    sim_world_restart(w, 2);
    cr_assert_eq(w->nodes[2].epoch, 2);
    cr_assert_eq(w->trace.counts[ENG_EV_NODE_UP], 4);

    run_to(w, 36 * S);
    const sim_trace_rec *reg[2];
    cr_assert_eq(find(w, ENG_EV_EXECUTOR_REGISTERED, 35 * S, 36 * S, 1, 2, reg, 2), 1, "registers again");
    cr_assert_geq(reg[0]->t_us, 35 * S + 1000);
    cr_assert_leq(reg[0]->t_us, 35 * S + 1200);
    cr_assert_eq(w->trace.counts[ENG_EV_EXECUTOR_REGISTERED], 3);

    run_to(w, 46 * S);
    const sim_trace_rec *hb[2];
    cr_assert_eq(find(w, ENG_EV_HEARTBEAT, 36 * S, 46 * S, 1, 2, hb, 2), 1, "heartbeats resume");
    cr_assert_gt(hb[0]->t_us, 45 * S);
    cr_assert_lt(hb[0]->t_us, 45 * S + 5 * MS);
    sim_world_free(w);
}

Test(world, message_in_flight_to_a_node_that_crashes_is_dropped) {
    sim_world_opts o = default_opts(42);
    sim_world *w = new_world(&o);
    sim_world_start(w);
    run_to(w, 3 * S);
    w->nodes[1].env.ops->send(w, 1, 2, TEST_KIND, "abc", 3);
    cr_assert_eq(find(w, ENG_EV_MESSAGE_SEND, ALL_TIME, 1, 2, NULL, 0), 2, "registered + this one");
    sim_world_crash(w, 2, ENG_CAUSE_CRASH);
    run_to(w, 4 * S);
    const sim_trace_rec *d[2];
    cr_assert_eq(find(w, ENG_EV_MESSAGE_DROP, ALL_TIME, 1, 2, d, 2), 1);
    cr_assert_geq(d[0]->t_us, 3 * S + 1000, "dropped when it arrives");
    cr_assert_leq(d[0]->t_us, 3 * S + 1200);
    cr_assert_eq(d[0]->arg[1], TEST_KIND);
    cr_assert_eq(d[0]->arg[2], ENG_CAUSE_NODE_DOWN);
    cr_assert_eq(find(w, ENG_EV_MESSAGE_DELIVER, 3 * S, 4 * S, 2, ANY, NULL, 0), 0);
    sim_world_free(w);
}

Test(world, message_to_an_older_incarnation_is_dropped) {
    sim_world_opts o = default_opts(42);
    sim_world *w = new_world(&o);
    sim_world_start(w);
    run_to(w, 3 * S);
    w->nodes[1].env.ops->send(w, 1, 2, TEST_KIND, "abc", 3);
    sim_world_crash(w, 2, ENG_CAUSE_CRASH);
    sim_world_restart(w, 2); /* same instant: the message is for incarnation 1 */
    run_to(w, 4 * S);
    const sim_trace_rec *d[2];
    cr_assert_eq(find(w, ENG_EV_MESSAGE_DROP, ALL_TIME, 1, 2, d, 2), 1);
    cr_assert_eq(d[0]->arg[1], TEST_KIND);
    cr_assert_eq(d[0]->arg[2], ENG_CAUSE_NODE_DOWN);
    /* the new incarnation did get its own registration reply */
    const sim_trace_rec *del[4];
    cr_assert_eq(find(w, ENG_EV_MESSAGE_DELIVER, 3 * S, 4 * S, 2, ANY, del, 4), 1);
    cr_assert_eq(del[0]->arg[0], 1);
    cr_assert_eq(del[0]->arg[1], ENG_MSG_REGISTERED_EXECUTOR);
    sim_world_free(w);
}

Test(world, crashed_driver_generates_no_batches_and_resumes_on_the_grid) {
    sim_world_opts o = default_opts(42);
    sim_world *w = new_world(&o);
    sim_world_start(w);
    run_to(w, 2500 * MS);
    sim_world_crash(w, ENG_NODE_DRIVER, ENG_CAUSE_CRASH);
    run_to(w, 6300 * MS);
    cr_assert_eq(w->trace.counts[ENG_EV_BATCH_GENERATED], 2, "only the batches at 1 s and 2 s");
    cr_assert_eq(find(w, ENG_EV_BATCH_GENERATED, 2500 * MS, 6300 * MS, ANY, ANY, NULL, 0), 0);

    sim_world_restart(w, ENG_NODE_DRIVER);
    const sim_trace_rec *up[2];
    cr_assert_eq(find(w, ENG_EV_NODE_UP, 6 * S, 7 * S, 1, ANY, up, 2), 1);
    cr_assert_eq(up[0]->arg[0], 2, "driver incarnation 2");
    run_to(w, 9 * S);
    const sim_trace_rec *b[8];
    cr_assert_eq(find(w, ENG_EV_BATCH_GENERATED, 6300 * MS, 9 * S, 1, ANY, b, 8), 3);
    for (int k = 0; k < 3; k++) {
        cr_assert_eq(b[k]->t_us, (7 + k) * S);
        cr_assert_eq(b[k]->arg[0], (7 + k) * S);
    }
    /* every batch ever generated is on the 1 s grid */
    for (size_t i = 0; i < w->trace.count; i++) {
        const sim_trace_rec *r = &w->trace.events[i];
        if (r->type != ENG_EV_BATCH_GENERATED) continue;
        cr_assert_eq(r->t_us % S, 0);
        cr_assert_eq(r->arg[0], r->t_us);
    }
    sim_world_free(w);
}

Test(world, cancelled_timers_do_not_fire) {
    sim_world_opts o = default_opts(42);
    sim_world *w = new_world(&o);
    sim_world_start(w);
    run_to(w, 2 * S);
    const eng_env *e2 = &w->nodes[2].env, *e3 = &w->nodes[3].env;
    /* a heartbeat timer makes the executor send a heartbeat, which the driver records */
    uint64_t keep = e2->ops->set_timer(e2->world, 2, 3 * S, EXECUTOR_HEARTBEAT_TAG, 0);
    uint64_t gone = e2->ops->set_timer(e2->world, 2, 4 * S, EXECUTOR_HEARTBEAT_TAG, 0);
    uint64_t gone3 = e3->ops->set_timer(e3->world, 3, 3500 * MS, EXECUTOR_HEARTBEAT_TAG, 0);
    uint64_t gone_same_time = e3->ops->set_timer(e3->world, 3, 3 * S, EXECUTOR_HEARTBEAT_TAG, 0);
    cr_assert_neq(keep, gone);
    e2->ops->cancel_timer(e2->world, gone);
    e3->ops->cancel_timer(e3->world, gone3);
    e3->ops->cancel_timer(e3->world, gone3); /* twice: still one cancellation */
    e3->ops->cancel_timer(e3->world, gone_same_time);
    run_to(w, 5 * S);
    const sim_trace_rec *h[4];
    cr_assert_eq(find(w, ENG_EV_HEARTBEAT, 2 * S, 5 * S, 1, ANY, h, 4), 1, "only the kept timer fired");
    cr_assert_eq(h[0]->arg[0], 2);
    cr_assert_geq(h[0]->t_us, 3 * S + 1000);
    cr_assert_leq(h[0]->t_us, 3 * S + 1200);
    /* The pending set holds live timers only: the driver's batch timer, one
     * heartbeat timer per executor, and the one the kept timer's heartbeat
     * set for 13 s; cancelling a fired timer adds nothing. */
    cr_assert_eq(w->pending_timer_count, 4);
    e2->ops->cancel_timer(e2->world, keep);
    cr_assert_eq(w->pending_timer_count, 4, "cancelling a timer that already fired is a no-op");
    /* the regular heartbeat timers were not disturbed */
    run_to(w, 11 * S);
    cr_assert_eq(find(w, ENG_EV_HEARTBEAT, 10 * S, 11 * S, 1, 2, NULL, 0), 1);
    cr_assert_eq(find(w, ENG_EV_HEARTBEAT, 10 * S, 11 * S, 1, 3, NULL, 0), 1);
    sim_world_free(w);
}

Test(world, timers_of_a_crashed_incarnation_do_not_fire) {
    sim_world_opts o = default_opts(42);
    sim_world *w = new_world(&o);
    sim_world_start(w);
    run_to(w, 2 * S);
    const eng_env *e2 = &w->nodes[2].env;
    e2->ops->set_timer(e2->world, 2, 3 * S, EXECUTOR_HEARTBEAT_TAG, 0);
    sim_world_crash(w, 2, ENG_CAUSE_CRASH);
    sim_world_restart(w, 2);
    run_to(w, 5 * S);
    cr_assert_eq(find(w, ENG_EV_HEARTBEAT, 2 * S, 5 * S, 1, 2, NULL, 0), 0);
    sim_world_free(w);
}

static uint64_t digest_after(uint64_t seed, int64_t until, size_t *count) {
    sim_world_opts o = default_opts(seed);
    sim_world *w = new_world(&o);
    sim_world_start(w);
    run_to(w, until);
    sim_world_crash(w, 3, ENG_CAUSE_CRASH);
    run_to(w, until + 5 * S);
    sim_world_restart(w, 3);
    run_to(w, until + 25 * S);
    uint64_t d = sim_trace_digest(&w->trace);
    if (count) *count = w->trace.count;
    sim_world_free(w);
    return d;
}

Test(world, same_seed_same_digest_different_seed_different_digest) {
    size_t n1, n2, n3;
    uint64_t d1 = digest_after(42, 12 * S, &n1);
    uint64_t d2 = digest_after(42, 12 * S, &n2);
    uint64_t d3 = digest_after(43, 12 * S, &n3);
    cr_assert_eq(d1, d2);
    cr_assert_eq(n1, n2);
    cr_assert_neq(d1, d3, "the network jitter is drawn from the seed");
    cr_assert_eq(n1, n3, "same events, different times");
}

Test(world, messages_on_a_link_arrive_in_send_order_despite_jitter) {
    sim_world_opts o = default_opts(7);
    o.net_latency_us = 1000;
    o.net_jitter_us = 5000; /* far more than the gap between sends */
    sim_world *w = new_world(&o);
    sim_world_start(w);
    run_to(w, 1 * S);
    enum { N = 60 };
    unsigned char payload[N];
    memset(payload, 0xab, sizeof payload);
    const eng_env *e2 = &w->nodes[2].env;
    int64_t t = 1 * S;
    for (int i = 0; i < N; i++) {
        /* a few at the same instant, then 100 us apart */
        if (i % 3 == 0) {
            t += 100;
            run_to(w, t);
        }
        e2->ops->send(e2->world, 2, 1, TEST_KIND, payload, (size_t)i + 1); /* the length numbers the message */
    }
    run_to(w, 2 * S);

    const sim_trace_rec *sends[N], *dels[N];
    size_t ns = 0, nd = 0;
    for (size_t i = 0; i < w->trace.count; i++) {
        const sim_trace_rec *r = &w->trace.events[i];
        if (r->type == ENG_EV_MESSAGE_SEND && r->node == 2 && r->arg[1] == TEST_KIND) {
            cr_assert_lt(ns, N);
            sends[ns++] = r;
        }
        if (r->type == ENG_EV_MESSAGE_DELIVER && r->node == 1 && r->arg[0] == 2 && r->arg[1] == TEST_KIND) {
            cr_assert_lt(nd, N);
            dels[nd++] = r;
        }
    }
    cr_assert_eq(ns, N);
    cr_assert_eq(nd, N);
    int held_back = 0;
    for (int i = 0; i < N; i++) {
        cr_assert_eq(dels[i]->arg[2], i + 1, "delivery %d is message %lld", i, (long long)dels[i]->arg[2]);
        cr_assert_eq(dels[i]->t_us, sends[i]->arg[3], "delivered when the send said");
        cr_assert_geq(sends[i]->arg[3], sends[i]->t_us + 1000);
        if (i > 0) {
            cr_assert_geq(dels[i]->t_us, dels[i - 1]->t_us);
            /* a message that would have overtaken waits for the one before */
            if (sends[i]->arg[3] == sends[i - 1]->arg[3]) held_back++;
        }
        cr_assert_leq(sends[i]->arg[3], sends[i]->t_us + 1000 + 5000 + (int64_t)N * 100);
    }
    cr_assert_gt(held_back, 0, "the jitter never tried to reorder: the test proves nothing");
    sim_world_free(w);
}

Test(world, narration_is_recorded_at_its_time) {
    sim_world_opts o = default_opts(42);
    sim_world *w = new_world(&o);
    sim_world_start(w);
    cr_assert_eq(sim_world_narrate(w, 1500 * MS, "worker-1 is about to fail"), 0);
    run_to(w, 2 * S);
    const sim_trace_rec *n[2];
    cr_assert_eq(find(w, ENG_EV_NARRATION, ALL_TIME, 0, ANY, n, 2), 1);
    cr_assert_eq(n[0]->t_us, 1500 * MS);
    cr_assert_str_eq(sim_trace_text(&w->trace, n[0]), "worker-1 is about to fail");
    sim_world_free(w);
}

Test(world, queue_bound_stops_the_run_with_an_error) {
    sim_world_opts o = default_opts(42);
    o.queue_capacity = 2; /* start needs 3: the batch timer and two register messages */
    sim_world *w = new_world(&o);
    sim_world_start(w);
    cr_assert_eq(sim_world_run(w, 5 * S), -1);
    cr_assert_eq(w->failed, 1);
    cr_assert_not_null(strstr(w->error, "event queue full (2 pending events)"), "%s", w->error);
    sim_world_free(w);
}

Test(world, trace_bound_stops_the_run_with_an_error) {
    sim_world_opts o = default_opts(42);
    o.trace_max_events = 5; /* start records 3 node_up and 2 message_send */
    sim_world *w = new_world(&o);
    sim_world_start(w);
    cr_assert_eq(w->trace.count, 5);
    cr_assert_eq(w->failed, 0);
    cr_assert_eq(sim_world_run(w, 5 * S), -1);
    cr_assert_not_null(strstr(w->error, "trace full (5 events)"), "%s", w->error);
    cr_assert_eq(w->trace.counts[ENG_EV_BATCH_GENERATED], 0);
    sim_world_free(w);
}

Test(world, rejects_out_of_bounds_options) {
    char err[256];
    sim_world_opts o = default_opts(1);
    o.cluster.workers = 0;
    cr_assert_null(sim_world_new(&o, err, sizeof err));
    cr_assert_str_eq(err, "workers must be between 1 and 63, got 0");
    o = default_opts(1);
    o.cluster.cores = 0;
    cr_assert_null(sim_world_new(&o, err, sizeof err));
    cr_assert_str_eq(err, "cores must be between 1 and 1024, got 0");
    o = default_opts(1);
    o.cluster.batch_interval_us = 0;
    cr_assert_null(sim_world_new(&o, err, sizeof err));
    cr_assert_str_eq(err, "batch, block and heartbeat intervals must be positive");
}
