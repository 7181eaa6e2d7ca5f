/* engine/receiver.c — receivers running on an executor.
 *
 * A receiver is a long-running task holding one core (ReceiverSupervisor).
 * Its BlockGenerator cuts what arrived into a block every block interval,
 * on ticks aligned to the interval; an interval with nothing makes no block
 * (BlockGenerator.updateCurrentBuffer). A block is stored in this
 * executor's block manager, copied to one other executor when the storage
 * level is replicated, and only then reported to the driver's
 * ReceivedBlockTracker (ReceiverSupervisorImpl.pushAndReportBlock).
 *   - A socket receiver is unreliable: it reads what arrives while it runs,
 *     and what arrived since the last tick is in its memory only.
 *   - KafkaUtils.createStream's receiver is a consumer in a group, which
 *     starts from the group's committed offsets, or at the end of the log
 *     when the group has none (auto.offset.reset = largest, Kafka 0.8's
 *     default). Which receiver it is depends on the write-ahead log
 *     (KafkaInputDStream.getReceiver):
 *       with it, ReliableKafkaReceiver: auto-commit off, offsets committed
 *       only after the block is stored, so a restarted receiver resumes from
 *       the last stored block;
 *       without it, KafkaReceiver: the consumer auto-commits what it has
 *       consumed every auto.commit.interval.ms (60 s) and when it shuts down,
 *       whatever was stored; a new consumer after a crash resumes from the
 *       last commit, so what was only buffered is lost, and what came after
 *       a commit is read again.
 * spark.streaming.receiver.maxRate (and the backpressure rate) limits the
 * records a receiver takes per second, as its RateLimiter does; what it does
 * not take yet stays in the source. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "executor.h"
#include "msg.h"
#include "program.h"

/* How long a replication may take before the block is reported with one copy. */
#define REPLICATION_TIMEOUT_US 5000000

/* Kafka 0.8's auto.commit.interval.ms (ConsumerConfig.AutoCommitInterval),
 * which KafkaUtils.createStream's kafkaParams leave as it is. */
#define KAFKA_AUTO_COMMIT_INTERVAL_US 60000000

static int64_t next_tick(int64_t now_us, int64_t interval_us) { return (now_us / interval_us + 1) * interval_us; }

/* Whether stream d's receiver stores reliably: a Kafka receiver with the
 * receiver write-ahead log on. Source: KafkaUtils.createStream (walEnabled =
 * WriteAheadLogUtils.enableReceiverLog(ssc.conf)), KafkaInputDStream.getReceiver
 * (ReliableKafkaReceiver if useReliableReceiver, else KafkaReceiver). */
static int reliable(const eng_executor *e, const eng_dstream *d) { return d->kafka && e->conf->receiver_wal; }

/* KafkaReceiver: its consumer commits offsets by itself (auto.commit.enable). */
static int auto_commits(const eng_executor *e, const eng_dstream *d) { return d->kafka && !e->conf->receiver_wal; }

/* Where a receiver (re)starts reading partition p: a socket, at what
 * arrives from now; a Kafka consumer, at its group's committed offset, or
 * at the end of the log when the group has none (auto.offset.reset =
 * largest, ConsumerConfig.AutoOffsetReset in Kafka 0.8). */
static int64_t start_offset(const eng_executor *e, const eng_dstream *d, int p, int64_t now) {
    if (d->kafka) {
        int64_t committed = e->env->ops->source_committed(e->env->world, d->source, p);
        if (committed >= 0) return committed;
    }
    return e->env->ops->source_latest(e->env->world, d->source, p, now);
}

/* A KafkaReceiver's consumer commits what it has consumed (ZookeeperConsumerConnector.commitOffsets,
 * PartitionTopicInfo.getConsumeOffset): everything it has fetched and handed
 * to store(), into the BlockGenerator's buffer: what has arrived by now,
 * or, when a rate limiter holds store() back, what the limiter let through. */
static int64_t consumed(const eng_executor *e, const receiver *r, int p) {
    return r->rate > 0 ? r->offsets[p] : e->env->ops->source_latest(e->env->world, r->source, p, eng_now_us(e->env));
}

static void commit_consumed(eng_executor *e, const receiver *r) {
    for (int p = 0; p < r->partitions; p++) e->env->ops->source_commit(e->env->world, r->source, p, consumed(e, r, p));
}

/* A new consumer's auto-commit schedule (ZookeeperConsumerConnector: the
 * "kafka-consumer-autocommit" task, first after one interval, then every
 * interval). */
static void schedule_auto_commit(eng_executor *e, receiver *r, int slot) {
    const eng_dstream *d = &e->conf->program->dstreams[r->ds];
    if (!auto_commits(e, d)) return;
    r->commit_at_us = eng_now_us(e->env) + KAFKA_AUTO_COMMIT_INTERVAL_US;
    eng_set_timer(e->env, r->commit_at_us, EXECUTOR_TIMER_AUTO_COMMIT, (uint64_t)slot);
}

void eng_receiver_auto_commit(eng_executor *e, int slot) {
    if (slot < 0 || slot >= e->nreceivers) return;
    receiver *r = &e->receivers[slot];
    /* a timer of a consumer shut down since (a receiver restarted) is stale */
    if (!r->active || eng_now_us(e->env) != r->commit_at_us) return;
    commit_consumed(e, r);
    schedule_auto_commit(e, r, slot);
}

void eng_receiver_start(eng_executor *e, int ds) {
    const eng_program *prog = e->conf->program;
    if (!prog || ds < 0 || ds >= prog->count || prog->dstreams[ds].kind != ENG_DS_RECEIVER) return;
    for (int i = 0; i < e->nreceivers; i++)
        if (e->receivers[i].ds == ds && e->receivers[i].active) return;
    if (e->nreceivers >= (int)(sizeof e->receivers / sizeof e->receivers[0])) return;
    const eng_dstream *d = &prog->dstreams[ds];
    int slot = e->nreceivers++;
    receiver *r = &e->receivers[slot];
    memset(r, 0, sizeof *r);
    r->ds = ds;
    r->source = d->source;
    r->partitions = e->env->ops->source_partitions(e->env->world, d->source);
    if (r->partitions > 256) r->partitions = 256;
    int64_t now = eng_now_us(e->env);
    for (int p = 0; p < r->partitions; p++) r->offsets[p] = start_offset(e, d, p, now);
    r->rate = e->conf->receiver_max_rate;
    if (e->conf->backpressure && e->conf->backpressure_initial_rate > 0 &&
        (r->rate == 0 || e->conf->backpressure_initial_rate < r->rate))
        r->rate = e->conf->backpressure_initial_rate;
    r->active = 1;
    eng_emit(e->env, ENG_EV_RECEIVER_START, ds, e->env->node, 0, 0, NULL);
    eng_set_timer(e->env, next_tick(now, e->conf->block_interval_us), EXECUTOR_TIMER_BLOCK_TICK, (uint64_t)slot);
    schedule_auto_commit(e, r, slot);
}

void eng_receiver_set_rate(eng_executor *e, int ds, int64_t rate) {
    for (int i = 0; i < e->nreceivers; i++)
        if (e->receivers[i].ds == ds) {
            int64_t max = e->conf->receiver_max_rate;
            e->receivers[i].rate = max > 0 && (rate <= 0 || rate > max) ? max : rate;
        }
}

void eng_receiver_free_all(eng_executor *e) {
    free(e->pending);
    e->pending = NULL;
    e->npending = e->pending_cap = 0;
    e->nreceivers = 0;
}

static void report(eng_executor *e, uint64_t block, int ds, int64_t records, const uint32_t *locs, int nlocs,
                   const int64_t *commit, int partitions) {
    eng_wbuf w;
    eng_wbuf_init(&w);
    eng_wbuf_put_u32(&w, (uint32_t)ds);
    eng_wbuf_put_u64(&w, block);
    eng_wbuf_put_i64(&w, records);
    eng_wbuf_put_u32(&w, (uint32_t)nlocs);
    for (int i = 0; i < nlocs; i++) eng_wbuf_put_u32(&w, locs[i]);
    eng_wbuf_put_u8(&w, e->conf->receiver_wal ? 1 : 0); /* in the write-ahead log too */
    eng_send(e->env, ENG_NODE_DRIVER, ENG_MSG_ADD_BLOCK, w.data, w.len);
    eng_wbuf_fini(&w);
    /* ReliableKafkaReceiver.storeBlockAndCommitOffset: the block is stored, commit its offsets */
    const eng_dstream *d = &e->conf->program->dstreams[ds];
    if (reliable(e, d) && commit)
        for (int p = 0; p < partitions; p++) e->env->ops->source_commit(e->env->world, d->source, p, commit[p]);
}

/* WriteAheadLogBasedBlockHandler: the block goes to the write-ahead log in
 * durable storage (in parallel with its replication, as Spark does; the
 * report waits for the copy). A log that cannot be written stops the
 * receiver, which restarts after spark.streaming.receiverRestartDelay: a
 * reliable one reads again from its committed offsets. Returns 0, or -1
 * when the block is given up. */
static int write_ahead(eng_executor *e, receiver *r, uint64_t block, const eng_part *rows) {
    char path[512];
    eng_program_wal_path(e->conf->program, r->ds, block, path, sizeof path);
    eng_wbuf w;
    eng_wbuf_init(&w);
    eng_wbuf_put_part(&w, rows);
    int64_t latency;
    eng_storage_status st = e->env->ops->storage_put(e->env->world, e->env->node, path, w.data, w.len, &latency);
    int64_t bytes = (int64_t)w.len;
    eng_wbuf_fini(&w);
    if (st == ENG_STORAGE_OK) {
        eng_emit(e->env, ENG_EV_WAL_WRITE, r->ds, (int64_t)(block & 0xffffffffffULL), bytes, 0, path);
        return 0;
    }
    const eng_dstream *d = &e->conf->program->dstreams[r->ds];
    eng_blocks_drop(e, block);
    eng_receiver_fail(e, d->receiver_index);
    return -1;
}

/* The other workers in a random order (BlockManager's replication policy
 * picks peers at random); returns how many. */
static int shuffled_peers(eng_executor *e, uint32_t *peers) {
    int n = 0;
    for (uint32_t node = ENG_NODE_DRIVER + 1; node <= ENG_NODE_DRIVER + e->conf->workers; node++)
        if (node != e->env->node) peers[n++] = node;
    for (int i = n - 1; i > 0; i--) {
        int j = (int)(eng_rng_next(e->env) % (uint64_t)(i + 1));
        uint32_t t = peers[i];
        peers[i] = peers[j];
        peers[j] = t;
    }
    return n;
}

void eng_receiver_on_tick(eng_executor *e, int slot) {
    if (slot < 0 || slot >= e->nreceivers || !e->receivers[slot].active) return;
    receiver *r = &e->receivers[slot];
    const eng_dstream *d = &e->conf->program->dstreams[r->ds];
    int64_t now = eng_now_us(e->env), interval = e->conf->block_interval_us;
    int64_t max = -1;
    if (r->rate > 0) {
        /* a smooth limiter that stores at most one second of permits */
        r->allowance += (double)r->rate * (double)interval / 1e6;
        if (r->allowance > (double)r->rate) r->allowance = (double)r->rate;
        max = (int64_t)floor(r->allowance);
    }
    eng_part rows;
    eng_part_init(&rows);
    for (int p = 0; p < r->partitions; p++) {
        int64_t left = max < 0 ? -1 : max - (int64_t)rows.count;
        if (left == 0) break;
        r->offsets[p] = e->env->ops->source_read(e->env->world, r->source, p, r->offsets[p], now, left, &rows);
    }
    if (r->rate > 0) r->allowance -= (double)rows.count;
    if (rows.count > 0) {
        uint64_t block = ((uint64_t)(uint32_t)r->ds << 48) | (eng_rng_next(e->env) & 0xffffffffffffULL);
        size_t count = rows.count;
        stored_block *sb = eng_blocks_put(e, block, r->ds, &rows);
        if (!sb) {
            eng_part_fini(&rows);
            return;
        }
        eng_emit(e->env, ENG_EV_BLOCK_CREATED, r->ds, (int64_t)(block & 0xffffffffffULL), (int64_t)count, 0, NULL);
        if (e->conf->receiver_wal && write_ahead(e, r, block, &sb->rows)) {
            eng_part_fini(&rows);
            return;
        }
        /* the first peer that takes the copy; a dead one refuses at once */
        uint32_t peer = 0;
        if (d->replication >= 2) {
            uint32_t peers[1100];
            int np = shuffled_peers(e, peers);
            eng_wbuf w;
            eng_wbuf_init(&w);
            eng_wbuf_put_u64(&w, block);
            eng_wbuf_put_u32(&w, (uint32_t)r->ds);
            eng_wbuf_put_part(&w, &sb->rows);
            for (int k = 0; k < np && !peer; k++)
                if (eng_send(e->env, peers[k], ENG_MSG_REPLICATE_BLOCK, w.data, w.len) == 0) peer = peers[k];
            eng_wbuf_fini(&w);
        }
        if (peer) {
            if (e->npending == e->pending_cap) {
                int n = e->pending_cap ? e->pending_cap * 2 : 16;
                pending_block *pb = realloc(e->pending, (size_t)n * sizeof *pb);
                if (!pb) {
                    eng_part_fini(&rows);
                    return;
                }
                e->pending = pb;
                e->pending_cap = n;
            }
            pending_block *pb = &e->pending[e->npending++];
            *pb = (pending_block){.block = block, .ds = r->ds, .records = (int64_t)count, .peer = peer,
                                  .partitions = r->partitions};
            memcpy(pb->commit, r->offsets, sizeof pb->commit);
            eng_set_timer(e->env, now + REPLICATION_TIMEOUT_US, EXECUTOR_TIMER_REPLICATION, block);
        } else {
            uint32_t self = e->env->node;
            report(e, block, r->ds, (int64_t)count, &self, 1, r->offsets, r->partitions);
        }
    }
    eng_part_fini(&rows);
    eng_set_timer(e->env, now + interval, EXECUTOR_TIMER_BLOCK_TICK, (uint64_t)slot);
}

void eng_receiver_on_replicated(eng_executor *e, uint64_t block, int ok) {
    for (int i = 0; i < e->npending; i++) {
        if (e->pending[i].block != block) continue;
        pending_block pb = e->pending[i];
        e->pending[i] = e->pending[--e->npending];
        uint32_t locs[2] = {e->env->node, pb.peer};
        report(e, pb.block, pb.ds, pb.records, locs, ok ? 2 : 1, pb.commit, pb.partitions);
        return;
    }
}

void eng_receiver_fail(eng_executor *e, int index) {
    const eng_program *prog = e->conf->program;
    for (int i = 0; i < e->nreceivers; i++) {
        receiver *r = &e->receivers[i];
        if (!r->active || prog->dstreams[r->ds].receiver_index != index) continue;
        r->active = 0;
        /* what arrived since the last block was in the receiver's buffer
         * only; a KafkaReceiver's consumer, shut down by onStop, commits what
         * it had consumed (ZookeeperConsumerConnector.shutdown with
         * auto.commit.enable), the buffer included; what it had not taken
         * yet stays in the log */
        int64_t lost = 0;
        const eng_dstream *d = &prog->dstreams[r->ds];
        if (auto_commits(e, d)) {
            for (int p = 0; p < r->partitions; p++) lost += consumed(e, r, p) - r->offsets[p];
            commit_consumed(e, r);
        } else if (!reliable(e, d)) {
            for (int p = 0; p < r->partitions; p++)
                lost += e->env->ops->source_latest(e->env->world, r->source, p, eng_now_us(e->env)) - r->offsets[p];
        }
        eng_emit(e->env, ENG_EV_RECEIVER_FAILED, r->ds, e->env->node, lost, 0, NULL);
        eng_set_timer(e->env, eng_now_us(e->env) + e->conf->receiver_restart_delay_us, EXECUTOR_TIMER_RECEIVER_RESTART,
                      (uint64_t)i);
    }
}

/* Receiver.restart: onStart again on the same executor; a socket receiver
 * connects anew (what came meanwhile is gone), a Kafka one resumes from
 * its group's committed offsets. */
void eng_receiver_restart(eng_executor *e, int slot) {
    if (slot < 0 || slot >= e->nreceivers || e->receivers[slot].active) return;
    receiver *r = &e->receivers[slot];
    const eng_dstream *d = &e->conf->program->dstreams[r->ds];
    int64_t now = eng_now_us(e->env);
    for (int p = 0; p < r->partitions; p++) r->offsets[p] = start_offset(e, d, p, now);
    r->allowance = 0;
    r->active = 1;
    eng_emit(e->env, ENG_EV_RECEIVER_START, r->ds, e->env->node, 0, 0, NULL);
    eng_set_timer(e->env, next_tick(now, e->conf->block_interval_us), EXECUTOR_TIMER_BLOCK_TICK, (uint64_t)slot);
    schedule_auto_commit(e, r, slot);
}
