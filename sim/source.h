/* sim/source.h — what feeds the cluster from outside it.
 *
 * A source holds records with their arrival times (simulated us), in
 * partitions, and lives outside every node: crashes never touch it.
 *   - a socket (netcat{ port = 9999, ... }): one partition, not replayable.
 *     A receiver reads what arrives while it is connected; what arrives while
 *     no receiver is connected is gone (nc -lk hands it to nobody).
 *   - a log (kafka{ topic = "t", partitions = 3, ... }): partitioned and
 *     replayable by offset, with committed offsets per topic (the broker's
 *     consumer-group offsets), so a consumer can resume after a failure.
 * The engine reaches sources through the env (engine/env.h, source_*).
 */
#ifndef SIM_SOURCE_H
#define SIM_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "../engine/part.h"

#define SIM_SOURCES_MAX 64
#define SIM_SOURCE_PARTITIONS_MAX 256

typedef enum { SIM_SOURCE_SOCKET = 1, SIM_SOURCE_LOG = 2 } sim_source_kind;

typedef struct sim_source_part {
    eng_part rows;
    int64_t *arrival_us; /* ascending, one per row */
    int64_t *event_us;   /* the row's event time (us since the epoch) where the
                            source knows it: a replay's event-time column, or the
                            second result of a kafka{}/netcat{} arrival function;
                            INT64_MIN for a row without one; NULL when the
                            source knows none. Only the trace uses it. */
    int64_t committed;   /* LOG: the consumer group's committed offset */
    int has_committed;   /* LOG: the group has committed one (ZooKeeper holds an offset) */
} sim_source_part;

/* A looping source replays its rows forever at a fixed rate: record k is
 * rows[k mod n], arriving at start + k / rate. Nothing is materialised per
 * record, so an hour-long run at any rate costs no memory. */
typedef struct sim_source_loop {
    int on;
    int64_t start_us;
    double rate; /* records per second */
    int64_t count; /* records in all; < 0 = no end */
} sim_source_loop;

typedef struct sim_source {
    int kind;
    int port;       /* SOCKET */
    char topic[64]; /* LOG */
    int partitions;
    sim_source_part *parts;
    sim_source_loop loop; /* SOCKET only */
} sim_source;

typedef struct sim_sources {
    sim_source items[SIM_SOURCES_MAX];
    int count;
} sim_sources;

void sim_sources_fini(sim_sources *s);

/* The source listening on port, or -1. */
int sim_source_by_port(const sim_sources *s, int port);
/* The log of topic, or -1. */
int sim_source_by_topic(const sim_sources *s, const char *topic);

/* The offset one past the last record of partition p arrived by at_us. */
int64_t sim_source_latest(const sim_sources *s, int id, int p, int64_t at_us);


/* The event time of the record at offset in partition p, in *event_us;
 * 0 when the source knows it, -1 when it does not. */
int sim_source_event(const sim_sources *s, int id, int p, int64_t offset, int64_t *event_us);

/* Appends to out the records of partition p from offset `from` that arrived
 * by until_us, at most max (< 0: no limit). Returns the next offset. */
int64_t sim_source_read(const sim_sources *s, int id, int p, int64_t from, int64_t until_us, int64_t max,
                        eng_part *out);

#endif
