/* engine/ss.h — Structured Streaming: a query as the program holds it.
 *
 * A streaming query is a DataFrame plan over one source, run as Spark's
 * micro-batch engine runs it (engine/ss_query.c): every trigger asks the
 * source for its latest offsets, writes the offset log, runs the batch as
 * a Spark job on the cluster, hands the result to the sink, and writes the
 * commit log. SEMANTICS.md section 8 lists the rules and their sources.
 *
 * The plan is code, like a DStream graph: built once by the scenario
 * (sim/lua_sql.c), read-only while the world runs, shared by every node and
 * surviving every crash. It is a line of steps over rows:
 *
 *   source rows -> steps[0 .. pre_end) -> [shuffle + stateful operator]
 *               -> steps[pre_end .. nsteps) -> sink
 *
 * With several stateful operators (dropDuplicates then an aggregation, as
 * Spark 3.4+ allows), each has its shuffle and state store: the steps up to
 * operator k's key step run before its shuffle, those after it before the
 * next operator's shuffle, and so on.
 *
 * A row is a tuple (ENG_V_TUPLE) with one item per column of the step's
 * schema. Column types are known when the plan is built. Timestamps are
 * int64 microseconds since the epoch (Spark's TimestampType is micros too);
 * a window is a 2-tuple (start_us, end_us), end exclusive. At the edges
 * (Lua rows, results.jsonl, expect{}) timestamps and window bounds are
 * milliseconds, as the scenario contract says.
 */
#ifndef ENG_SS_H
#define ENG_SS_H

#include <stddef.h>
#include <stdint.h>

#include "func.h"
#include "part.h"

#define ENG_SQL_COLS_MAX 32
#define ENG_SQL_NAME_MAX 64
#define ENG_SS_STEPS_MAX 32
#define ENG_SS_EXPRS_MAX 256
#define ENG_SS_AGGS_MAX 7      /* fit 4 bits each in an int32 (ENG_FN_SS_MERGE) */
#define ENG_SS_QUERIES_MAX 16
#define ENG_SS_PARTITIONS_MAX 256

typedef enum eng_sql_type {
    ENG_SQL_ANY = 0, /* a Lua function's result: whatever it returns */
    ENG_SQL_BOOL,
    ENG_SQL_LONG,
    ENG_SQL_DOUBLE,
    ENG_SQL_STRING,
    ENG_SQL_TIMESTAMP, /* int64 us */
    ENG_SQL_WINDOW,    /* (start_us, end_us) */
    ENG_SQL_ARRAY,     /* a list */
} eng_sql_type;

/* Spark's names of the types, for messages ("bigint", "timestamp", ...). */
const char *eng_sql_type_name(uint32_t type);

typedef struct eng_sql_schema {
    int ncols;
    char names[ENG_SQL_COLS_MAX][ENG_SQL_NAME_MAX];
    uint8_t types[ENG_SQL_COLS_MAX];
    uint8_t event[ENG_SQL_COLS_MAX]; /* carries the withWatermark mark (the event time, or a window of it) */
} eng_sql_schema;

/* The index of column `name` in s, or -1. */
int eng_sql_schema_find(const eng_sql_schema *s, const char *name);

typedef enum eng_sql_expr_kind {
    ENG_X_COL = 1, /* col: the column's index */
    ENG_X_LIT,     /* lit */
    ENG_X_FN,      /* fn(row as a table keyed by column name) */
    ENG_X_ADD, ENG_X_SUB, ENG_X_MUL, ENG_X_DIV, ENG_X_MOD,
    ENG_X_EQ, ENG_X_NE, ENG_X_LT, ENG_X_LE, ENG_X_GT, ENG_X_GE,
    ENG_X_AND, ENG_X_OR, ENG_X_NOT,
    ENG_X_IS_NULL, ENG_X_IS_NOT_NULL,
    ENG_X_CAST,              /* a cast to `type` (Spark's Cast: long -> timestamp is seconds) */
    ENG_X_TIMESTAMP_SECONDS, /* timestamp_seconds(a) */
    ENG_X_SPLIT,             /* split(a, lit): an array of strings (a literal separator, not a regex) */
    ENG_X_EXPLODE,           /* explode(a): one row per element (only at the top of a select) */
    ENG_X_WINDOW,            /* window(a, length, slide, start): one row per window (only as a grouping key) */
    ENG_X_FIELD,             /* a.start (col = 0) or a.end (col = 1) of a window */
    ENG_X_LOWER, ENG_X_UPPER, ENG_X_LENGTH,
    ENG_X_CONCAT, /* concat(a, b) of strings */
    ENG_X_KIND_COUNT_
} eng_sql_expr_kind;

typedef struct eng_sql_expr {
    uint32_t kind;
    uint32_t type; /* eng_sql_type of the result */
    int32_t a, b;  /* children: expression indices, -1 = none */
    int32_t col;   /* ENG_X_COL: column index; ENG_X_FIELD: 0 start, 1 end */
    eng_value lit; /* ENG_X_LIT, ENG_X_SPLIT's separator; in the program's arena */
    eng_fn fn;     /* ENG_X_FN */
    int64_t w_len_us, w_slide_us, w_start_us; /* ENG_X_WINDOW */
} eng_sql_expr;

typedef enum eng_sql_agg_kind {
    ENG_AGG_COUNT = 1, /* count(expr): non-null values; count("*") when the expr is -1 */
    ENG_AGG_SUM,
    ENG_AGG_AVG,
    ENG_AGG_MIN,
    ENG_AGG_MAX,
} eng_sql_agg_kind;

typedef enum eng_sql_step_kind {
    ENG_STEP_SELECT = 1,  /* exprs: one per output column; an ENG_X_EXPLODE makes one row per element */
    ENG_STEP_FILTER,      /* exprs[0]: keep rows where it is true */
    ENG_STEP_WATERMARK,   /* withWatermark(col, delay): records the max event time (EventTimeWatermarkExec) */
    ENG_STEP_JOIN_STATIC, /* a broadcast hash join with a static table */
    ENG_STEP_AGG_PARTIAL, /* exprs: grouping keys; emits (keys tuple, buffers tuple), one per window */
    ENG_STEP_KEY_BY,      /* dropDuplicates' keys: emits (keys tuple, row) */
    ENG_STEP_KIND_COUNT_
} eng_sql_step_kind;

typedef enum eng_join_type { ENG_JOIN_INNER = 1, ENG_JOIN_LEFT_OUTER, ENG_JOIN_LEFT_SEMI } eng_join_type;

typedef struct eng_sql_step {
    uint32_t kind;
    int nexprs;
    int32_t exprs[ENG_SQL_COLS_MAX];
    eng_sql_schema out; /* the rows after this step */
    /* ENG_STEP_WATERMARK */
    int32_t col;
    int64_t delay_us;
    /* ENG_STEP_JOIN_STATIC: stream column `col` = table column `table_col` */
    uint32_t join;
    int32_t table_col;
    const eng_value *table; /* ntable rows of the table's schema, in the program's arena */
    int64_t ntable;
    /* ENG_STEP_AGG_PARTIAL */
    int naggs;
    uint32_t agg_kind[ENG_SS_AGGS_MAX];
    int32_t agg_expr[ENG_SS_AGGS_MAX]; /* -1: count(*) */
} eng_sql_step;

typedef enum eng_ss_source_kind {
    ENG_SRC_MEMORY = 1, /* MemoryStream: rows added at arrival times (a world log, one partition) */
    ENG_SRC_RATE,       /* generated (timestamp, value) rows, by whole seconds */
    ENG_SRC_REPLAY,     /* a file's rows replayed at arrival times (a world log) */
    ENG_SRC_LOG,        /* a partitioned replayable log (kafka{}): one column `value` */
    ENG_SRC_SOCKET,     /* netcat{}: one column `value`, not replayable */
} eng_ss_source_kind;

typedef enum eng_ss_mode { ENG_MODE_APPEND = 1, ENG_MODE_UPDATE, ENG_MODE_COMPLETE } eng_ss_mode;
/* An output mode's name as Spark writes it ("append", "update", "complete"); "" for none. */
const char *eng_ss_mode_name(uint32_t mode);
typedef enum eng_ss_sink {
    ENG_SINK_CONSOLE = 1,
    ENG_SINK_MEMORY,
    ENG_SINK_FILE,
    ENG_SINK_KV,
    ENG_SINK_FOREACH_BATCH,
} eng_ss_sink;
typedef enum eng_ss_trigger {
    ENG_TRIGGER_DEFAULT = 0, /* ProcessingTime(0): back to back, polling every 10 ms when idle */
    ENG_TRIGGER_PROCESSING_TIME,
    ENG_TRIGGER_ONCE,
    ENG_TRIGGER_AVAILABLE_NOW,
} eng_ss_trigger;
typedef enum eng_ss_stateful { ENG_STATEFUL_NONE = 0, ENG_STATEFUL_AGG, ENG_STATEFUL_DEDUP } eng_ss_stateful;

typedef struct eng_ss_source {
    uint32_t kind;           /* eng_ss_source_kind */
    int source;              /* the world's source (env source_*), MEMORY, REPLAY, LOG, SOCKET */
    int partitions;          /* of the source */
    int lines;               /* records are strings, read as one column `value` */
    int64_t rows_per_second; /* RATE (1) */
    int64_t ramp_up_s;       /* RATE (0) */
    int num_partitions;      /* RATE: partitions of each batch */
    int64_t max_per_trigger; /* LOG, REPLAY: maxOffsetsPerTrigger (0 = none) */
    int starting_latest;     /* LOG, REPLAY: startingOffsets = "latest" (Kafka's default): a query that starts
                                without a checkpoint reads what arrives from then on */
    eng_sql_schema schema;   /* the rows it gives */
    int64_t records, malformed; /* REPLAY: rows in the dataset, and records that could not be read */
    char name[64];           /* for the offset log and messages: "MemoryStream[value]", ... */
} eng_ss_source;

#define ENG_SS_STATEFUL_MAX 4

/* One stateful operator of a query: an aggregation or dropDuplicates. */
typedef struct eng_ss_stateful_op {
    uint32_t kind;      /* ENG_STATEFUL_AGG or ENG_STATEFUL_DEDUP */
    int key_step;       /* its ENG_STEP_AGG_PARTIAL / ENG_STEP_KEY_BY step: the last before its shuffle */
    eng_sql_schema state_out; /* its output rows (keys + aggregates, or the rows) */
    int nkeys;          /* AGG: grouping keys; DEDUP: key columns */
    int naggs;
    uint32_t agg_kind[ENG_SS_AGGS_MAX];
    int32_t event_key;  /* AGG: the key that is the event-time column or a window of it; DEDUP: key column of it; -1 */
    int32_t event_col;  /* DEDUP: the event-time column of the rows; -1 */
} eng_ss_stateful_op;

typedef struct eng_ss_query {
    int index;          /* 0-based, in start() order */
    char name[64];      /* queryName, or "" */
    const char *where;  /* file:line of start() */
    eng_ss_source source;
    eng_sql_expr exprs[ENG_SS_EXPRS_MAX];
    int nexprs;
    eng_sql_step steps[ENG_SS_STEPS_MAX];
    int nsteps;
    eng_ss_stateful_op ops[ENG_SS_STATEFUL_MAX]; /* its stateful operators, in plan order */
    int nops;
    int has_watermark;
    int64_t delay_us;   /* withWatermark's delay */
    uint32_t mode;      /* eng_ss_mode */
    uint32_t sink;      /* eng_ss_sink */
    uint32_t trigger;   /* eng_ss_trigger */
    int64_t trigger_us; /* PROCESSING_TIME */
    char checkpoint[256]; /* checkpointLocation, or "" (then a temporary one: a restart starts afresh) */
    char path[256];       /* FILE, KV: where the sink writes */
    eng_fn foreach_fn;    /* FOREACH_BATCH */
    int shuffle_partitions;  /* spark.sql.shuffle.partitions */
    int no_data_batches;     /* spark.sql.streaming.noDataMicroBatches.enabled */
    int console_rows;        /* console: numRows (20) */
    int console_truncate;    /* console: truncate (true) */
    eng_sql_schema out;      /* what the sink gets */
    int out_keys;            /* the first out_keys columns of `out` key a row (kv upserts, update tables); 0 = the whole row */
} eng_ss_query;

/* The checkpoint location of a run of q: its checkpointLocation, or, when
 * it has none, a temporary one of this driver's run (`run`), so that a
 * restarted driver starts such a query afresh, as Spark does. */
void eng_ss_checkpoint_root(const eng_ss_query *q, int32_t run, char *buf, size_t n);

/* Accumulators a task sends back with its status (Spark's SQLMetrics and
 * EventTimeStatsAccum): slot 0 merges by max, slot 1 by min, the others
 * add up. The driver merges those of each partition's successful attempt. */
enum {
    ENG_ACC_EVENT_MAX = 0, /* max event time seen by withWatermark, us */
    ENG_ACC_EVENT_MIN = 1,
    ENG_ACC_EVENT_SUM = 2, /* sum of event times, ms */
    ENG_ACC_EVENT_COUNT = 3,
    /* then per stateful operator k, at ENG_ACC_OP(k) + one of: */
    ENG_ACC_STATE_TOTAL = 0,   /* numRowsTotal: keys in the state store after commit */
    ENG_ACC_STATE_UPDATED = 1, /* numRowsUpdated */
    ENG_ACC_STATE_DROPPED = 2, /* numRowsDroppedByWatermark */
    ENG_ACC_STATE_REMOVED = 3, /* numRowsRemoved (evicted) */
    ENG_ACC_MAX = 4 + 4 * ENG_SS_STATEFUL_MAX
};
#define ENG_ACC_OP(k) (4 + 4 * (k))
void eng_acc_reset(int64_t acc[ENG_ACC_MAX]);
void eng_acc_merge(int64_t into[ENG_ACC_MAX], const int64_t from[ENG_ACC_MAX]);

/* Time windows of ts (SEMANTICS.md 8.5): writes up to max (start, end)
 * pairs into starts/ends, latest start first, and returns how many.
 * Source: ResolveTimeWindows (TimeWindowing). */
int eng_sql_windows(int64_t ts, int64_t len_us, int64_t slide_us, int64_t start_us, int64_t *starts, int max);

/* Writes a timestamp (us since the epoch, UTC) as Spark shows one:
 * "2018-01-01 10:00:00", with a fraction only when not zero. Returns the
 * length, as snprintf. */
size_t eng_sql_format_timestamp(int64_t us, char *buf, size_t n);
/* Parses "yyyy-MM-dd[ HH:mm:ss[.ffffff]]" (UTC; 'T' also separates) into
 * us since the epoch. Returns 0, or -1 for text that is not a timestamp. */
int eng_sql_parse_timestamp(const char *s, int64_t *us);

/* Evaluates expression e of q over row (a tuple of the step's input
 * schema) into *out, built in arena. ENG_X_EXPLODE and ENG_X_WINDOW are
 * evaluated by their step, not here. Returns 0, or -1 with err set. */
struct eng_env;
int eng_sql_eval(const struct eng_env *env, const eng_ss_query *q, int e, const eng_value *row, eng_arena *arena,
                 eng_value *out, char *err, size_t errlen);

/* Runs steps [from, to) of q over the rows of in, appending to out. For
 * ENG_STEP_WATERMARK the event times seen go into acc. Returns 0, or -1
 * with err set (a Lua function failed, a type error). */
int eng_ss_steps(const struct eng_env *env, const eng_ss_query *q, int from, int to, const eng_part *in, eng_part *out,
                 int64_t acc[ENG_ACC_MAX], char *err, size_t errlen);

/* Source records -> rows of the source's schema (a line becomes (value)). */
int eng_ss_source_rows(const eng_ss_query *q, const eng_part *in, eng_part *out);

/* The rate source (SEMANTICS.md 8.20): rows of partition p for the offsets
 * [s1, s2) (whole seconds since start_us). Source: RateStreamProvider
 * (valueAtSecond), RateStreamMicroBatchStream. */
void eng_ss_rate_rows(const eng_ss_source *src, int64_t start_us, int64_t s1, int64_t s2, int p, eng_part *out);
int64_t eng_ss_rate_value_at(const eng_ss_source *src, int64_t s);

/* Aggregation buffers: the initial buffer of one row (ENG_STEP_AGG_PARTIAL),
 * the merge of two (ENG_FN_SS_MERGE), and the final values. The agg kinds
 * are packed 4 bits each into fn->ref by eng_ss_pack_aggs. */
int32_t eng_ss_pack_aggs(const uint32_t *kinds, int n);
int eng_ss_merge_buffers(int32_t packed, const eng_value *a, const eng_value *b, eng_arena *arena, eng_value *out,
                         char *err, size_t errlen);
void eng_ss_finish_aggs(const eng_ss_stateful_op *so, const eng_value *buffers, eng_value *out_items);

#endif
