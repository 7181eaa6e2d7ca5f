/* sim/findings.h — what `streamlab check` found, output by output and batch
 * by batch: the records the run with faults is missing (lost), has more
 * copies of (duplicated) or has that the reference never had (unexpected),
 * against the run without faults. check.c fills it as it decides each
 * record; it is written beside the run's trace as findings.jsonl (the
 * format: README.md, "The checker's findings") and read back by the
 * visualiser, which marks the batches in its Outputs panel.
 *
 * Per-batch counts add up to the output's totals, which are the checker's
 * own (the numbers its verdict line prints). */
#ifndef SIM_FINDINGS_H
#define SIM_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

#define SIM_FINDINGS_VERSION 1
#define SIM_FINDING_EXAMPLES 3 /* example records kept per batch and kind */
#define SIM_FINDINGS_MAX 100000 /* outputs, and batch entries, read from a file: a bound on what a reader accepts */

enum { SIM_FINDING_LOST, SIM_FINDING_DUPLICATED, SIM_FINDING_UNEXPECTED, SIM_FINDING_KINDS_ };

/* What one write of an output holds that the reference does not, or lacks.
 * A finding is placed on the write that explains it, counted among the
 * output's sink_write events in the run with faults' trace (0-based; they
 * come in the order of its results.jsonl lines): a duplicated or unexpected
 * record on the write that delivered the extra copy; a lost one on the write
 * of its batch in the run with faults (the one that wrote the record, if
 * any: a sink can lose what was written to it), else none (write = -1: the
 * run with faults never wrote that batch). batch: a DStream output's batch
 * time (ms), a query's batch id (-1: not known). check_batches.c says how a
 * query's row is placed. */
typedef struct sim_finding {
    int32_t query; /* 0: DStream output `index`; 1: Structured Streaming query `index` */
    int32_t index;
    int64_t batch;
    int64_t write;
    int64_t count[SIM_FINDING_KINDS_];
    int32_t nexample[SIM_FINDING_KINDS_];
    char *example[SIM_FINDING_KINDS_][SIM_FINDING_EXAMPLES]; /* records as compact JSON; owned */
} sim_finding;

/* One output's verdict and totals, as the checker prints them. */
typedef struct sim_finding_output {
    int32_t query, index;
    char name[64];    /* a query's name; "" for a DStream output or a query without one */
    char verdict[16]; /* exactly-once, at-least-once, at-most-once, broken */
    int64_t compared; /* records (rows) of the reference compared */
    int64_t upto_ms;  /* DStream outputs: batches compared up to this time; -1 for queries */
    int64_t count[SIM_FINDING_KINDS_];
    int64_t moved;    /* DStream outputs: records that came in another batch than in the reference */
} sim_finding_output;

typedef struct sim_findings {
    char scenario[512];   /* as given to check */
    char trace_hash[17];  /* XXH3-64 of the bytes of the trace file the findings are for (16 hex digits), "" if unknown */
    sim_finding_output *outputs;
    size_t noutputs, cap_outputs;
    sim_finding *batches;  /* after sim_findings_sort: by (query, index, write, batch) */
    size_t nbatches, cap_batches;
    int failed;            /* ran out of memory while adding: incomplete, not written */
} sim_findings;

void sim_findings_init(sim_findings *f);
void sim_findings_fini(sim_findings *f);

/* Appends an output's verdict line. Returns 0, or -1 out of memory. */
int sim_findings_add_output(sim_findings *f, const sim_finding_output *o);

/* Counts `count` records of `kind` on a write of an output (creating its
 * entry: one per batch and write), keeping `example` (compact JSON, copied; NULL: none) among the
 * first SIM_FINDING_EXAMPLES. Returns 0, or -1 out of memory (f->failed set). */
int sim_findings_add(sim_findings *f, int query, int index, int64_t batch, int64_t write, int kind, int64_t count,
                     const char *example);

/* Orders the entries by (query, index, write, batch); write -1 last, then batch -1 last. */
void sim_findings_sort(sim_findings *f);

/* The entry of a batch and write, or NULL. */
const sim_finding *sim_findings_find(const sim_findings *f, int query, int index, int64_t batch, int64_t write);

/* Writes f (sorted first) as JSON Lines to path. Returns 0, or -1 with a
 * message naming the file in err (also when f->failed: it is incomplete). */
int sim_findings_write(sim_findings *f, const char *path, char *err, size_t errlen);

/* Reads path into f (fresh from sim_findings_init). Returns 0; 1 when the
 * file does not exist (f stays empty, err untouched); -1 with a message
 * "path:line: the rule broken" in err (not JSON, another version, a line
 * that is neither a verdict nor a batch, a count that is not a
 * non-negative integer, batches that do not add up to their output's
 * totals, more than SIM_FINDINGS_MAX outputs or entries). */
int sim_findings_read(const char *path, sim_findings *f, char *err, size_t errlen);

/* XXH3-64 of the bytes of the file at path, as 16 hex digits into out (17
 * bytes): which trace file findings belong to. (Not the run's trace digest:
 * a trace file does not carry every argument, recovery_phase's third for
 * one, so a trace read back can have another digest than its run printed.)
 * Returns 0, or -1 when the file cannot be read. */
int sim_findings_file_hash(const char *path, char out[17]);

/* A kind's word in the file ("lost", "duplicated", "unexpected"). */
const char *sim_finding_kind_name(int kind);

#endif
