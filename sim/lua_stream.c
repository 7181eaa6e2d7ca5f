/* sim/lua_stream.c — see lua_stream.h. The DStream and RDD methods of
 * scenarios, and the host side of the engine's calls into Lua. */
#include "lua_stream.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "../engine/api.h"
#include "../engine/compute.h"
#include "../engine/plan.h"
#include "lua_args.h"
#include "lua_sources.h"
#include "lua_sql.h"
#include "ss_host.h"
#include "lua_value.h"

#define DSTREAM_META "streamlab.DStream"
#define RDD_META "streamlab.RDD"
#define COLLECTION_META "streamlab.Collection"
#define BUILTIN_META "streamlab.Builtin"
#define SC_META "streamlab.SparkContext"
#define API_KEY "streamlab.api"
#define SPEC_META "streamlab.StateSpec"
#define STATE_META "streamlab.State"

/* StateSpec.function(f):initialState(...):numPartitions(n):timeout(d) */
typedef struct ud_spec {
    eng_fn fn;
    const eng_collection *initial;
    int partitions;
    int64_t timeout_us;
} ud_spec;

/* The State a mapWithState function gets, valid during the call only. */
typedef struct ud_state {
    eng_state *st;
    eng_arena *arena;
} ud_state;

/* What the API functions share, kept in the registry under API_KEY. */
typedef struct api {
    sim_lua *sl;
    eng_program *program;
    const eng_cluster_conf *conf;
    /* the driver call in progress (transform or foreachRDD), or none */
    void *driver;
    int64_t time_us;
    int in_transform;
    /* the action a foreachRDD function asked for */
    eng_rdd *pending_rdd;
    uint32_t pending_action;
    int pending_kind; /* ACT_* below */
    int64_t pending_take;
} api;

enum { ACT_COLLECT = 1, ACT_COUNT, ACT_TAKE, ACT_FIRST, ACT_IS_EMPTY };

typedef struct ud_dstream {
    int id;
} ud_dstream;

typedef struct ud_rdd {
    eng_rdd *rdd;
    void *driver;
    int64_t time_us;
} ud_rdd;

typedef struct ud_collection {
    const eng_collection *c;
} ud_collection;

static api *get_api(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, API_KEY);
    api *a = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return a;
}

/* A copy of s in the program (strings there live as long as the program). */
static const char *keep(api *a, const char *s) { return eng_program_keep(a->program, s); }

static const char *here(lua_State *L, api *a) {
    char where[512];
    sim_lua_where(L, where, sizeof where);
    return keep(a, where);
}

/* ---- functions and built-ins ----------------------------------------------------- */

static int builtin_call(lua_State *L) {
    int id = *(int *)luaL_checkudata(L, 1, BUILTIN_META);
    int n = lua_gettop(L) - 1;
    if ((id == ENG_FN_MIN || id == ENG_FN_MAX) && n == 1 && sim_sql_is_column(L, 2))
        return sim_sql_min_max(L, id == ENG_FN_MAX); /* Spark SQL's min(col) / max(col) */
    eng_arena arena;
    eng_arena_init(&arena);
    eng_value args[2];
    char err[512];
    for (int i = 0; i < n && i < 2; i++)
        if (sim_lua_to_value(L, i + 2, &arena, &args[i], err, sizeof err)) {
            eng_arena_fini(&arena);
            return sim_lua_error(L, "%s: %s", eng_builtin_name((uint32_t)id), err);
        }
    eng_fn fn = {.builtin = (uint32_t)id};
    eng_value out;
    /* built-ins never reach the env */
    if (eng_call(NULL, &fn, args, n, &arena, &out, err, sizeof err)) {
        eng_arena_fini(&arena);
        return sim_lua_error(L, "%s", err);
    }
    sim_lua_push_value(L, &out);
    eng_arena_fini(&arena);
    return 1;
}

static eng_fn check_fn(lua_State *L, int idx, const char *what) {
    api *a = get_api(L);
    eng_fn fn = {0};
    if (lua_isfunction(L, idx)) {
        lua_pushvalue(L, idx);
        fn.builtin = ENG_FN_HOST;
        fn.ref = luaL_ref(L, LUA_REGISTRYINDEX);
        fn.where = here(L, a);
        return fn;
    }
    int *b = luaL_testudata(L, idx, BUILTIN_META);
    if (b) {
        fn.builtin = (uint32_t)*b;
        fn.where = eng_builtin_name(fn.builtin);
        return fn;
    }
    sim_lua_error(L, "%s: expected a function (or a built-in such as add), got %s", what, luaL_typename(L, idx));
    return fn;
}

static eng_fn builtin(uint32_t id) { return (eng_fn){.builtin = id, .where = eng_builtin_name(id)}; }

/* ---- collections ------------------------------------------------------------------- */

static int default_parallelism(api *a) { return a->conf->default_parallelism; }

/* The rows of a Lua list as a collection of num_slices slices. */
static const eng_collection *collection_of(lua_State *L, int idx, int num_slices, const char *what) {
    api *a = get_api(L);
    if (!lua_istable(L, idx)) sim_lua_error(L, "%s: expected a list of records, got %s", what, luaL_typename(L, idx));
    if (num_slices < 1) sim_lua_error(L, "%s: numSlices must be positive, got %d", what, num_slices);
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
    eng_part tmp;
    eng_part_init(&tmp);
    char err[512];
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, idx, i);
        eng_value v;
        if (sim_lua_to_value(L, -1, &tmp.arena, &v, err, sizeof err)) {
            eng_part_fini(&tmp);
            sim_lua_error(L, "%s: element %lld: %s", what, (long long)i, err);
        }
        eng_part_push(&tmp, v);
        lua_pop(L, 1);
    }
    const eng_collection *c = eng_program_collection(a->program, tmp.rows, tmp.count, num_slices);
    eng_part_fini(&tmp);
    return c;
}

/* ---- RDDs (live during a driver call) ---------------------------------------------- */

static ud_rdd *check_live_rdd(lua_State *L, int idx, const char *what) {
    ud_rdd *u = luaL_testudata(L, idx, RDD_META);
    if (!u) sim_lua_error(L, "%s: expected an RDD, got %s", what, luaL_typename(L, idx));
    api *a = get_api(L);
    if (!a->driver || u->driver != a->driver || u->time_us != a->time_us)
        sim_lua_error(L, "%s: this RDD belongs to another batch; RDDs live only during the transform or "
                         "foreachRDD call that got them",
                      what);
    return u;
}

static void push_rdd(lua_State *L, api *a, eng_rdd *r) {
    ud_rdd *u = lua_newuserdatauv(L, sizeof *u, 0);
    *u = (ud_rdd){r, a->driver, a->time_us};
    luaL_setmetatable(L, RDD_META);
}

static eng_rdd *rdd_make(lua_State *L, const eng_op *op, eng_rdd **parents, int n, const eng_collection *c) {
    api *a = get_api(L);
    char err[512];
    eng_rdd *r = eng_driver_rdd(a->driver, op, parents, n, c, err, sizeof err);
    if (!r) sim_lua_error(L, "%s", err);
    return r;
}

/* ---- the operations, shared by DStreams and RDDs ------------------------------------- */

/* A stream or an RDD under construction: the same calls build either. */
typedef struct node {
    int is_rdd;
    int ds;       /* DStream id */
    eng_rdd *rdd; /* live RDD */
} node;

static node check_node(lua_State *L, int idx, const char *what) {
    ud_dstream *d = luaL_testudata(L, idx, DSTREAM_META);
    if (d) return (node){0, d->id, NULL};
    if (luaL_testudata(L, idx, RDD_META)) return (node){1, -1, check_live_rdd(L, idx, what)->rdd};
    sim_lua_error(L, "%s: expected a DStream or an RDD, got %s (call methods with ':')", what, luaL_typename(L, idx));
    return (node){0};
}

static int64_t slide_of(api *a, int ds) { return a->program->dstreams[ds].slide_us; }

/* Applies op to parents (all DStreams or all RDDs) and returns the new node. */
static node apply(lua_State *L, const eng_op *op, const node *parents, int n, uint32_t ds_kind, const eng_fn *fn) {
    api *a = get_api(L);
    const char *what = eng_op_name_str(op->name);
    for (int i = 1; i < n; i++)
        if (parents[i].is_rdd != parents[0].is_rdd)
            sim_lua_error(L, "%s: cannot mix DStreams and RDDs", what);
    if (parents[0].is_rdd) {
        eng_rdd *ps[ENG_RDD_PARENTS_MAX];
        for (int i = 0; i < n; i++) ps[i] = parents[i].rdd;
        /* no call site for RDDs made per batch: the program would grow with every batch */
        return (node){1, -1, rdd_make(L, op, ps, n, NULL)};
    }
    if (a->driver) sim_lua_error(L, "%s: DStreams cannot be changed once the context has started", what);
    int64_t slide = slide_of(a, parents[0].ds);
    for (int i = 1; i < n; i++)
        if (slide_of(a, parents[i].ds) != slide)
            sim_lua_error(L, "%s: Some of the DStreams have different slide durations", what);
    eng_dstream d = {.kind = ds_kind, .nparents = n, .slide_us = slide, .where = here(L, a), .op = *op};
    d.op.where = d.where;
    if (fn) d.fn = *fn;
    for (int i = 0; i < n; i++) d.parents[i] = parents[i].ds;
    int id = eng_program_add(a->program, &d);
    if (id < 0) sim_lua_error(L, "%s: more than %d DStreams", what, ENG_PROGRAM_DSTREAMS_MAX);
    return (node){0, id, NULL};
}

static int push_node(lua_State *L, node nd) {
    if (nd.is_rdd) {
        push_rdd(L, get_api(L), nd.rdd);
    } else {
        ud_dstream *u = lua_newuserdatauv(L, sizeof *u, 0);
        u->id = nd.ds;
        luaL_setmetatable(L, DSTREAM_META);
    }
    return 1;
}

static node one(lua_State *L, node parent, uint32_t kind, uint32_t name, eng_fn fn) {
    eng_op op = {.kind = kind, .name = name, .fn = fn};
    return apply(L, &op, &parent, 1, ENG_DS_OP, NULL);
}

static int opt_partitions(lua_State *L, int idx, const char *what) {
    if (lua_isnoneornil(L, idx)) return default_parallelism(get_api(L));
    if (!lua_isinteger(L, idx)) sim_lua_error(L, "%s: numPartitions must be an integer, got %s", what, luaL_typename(L, idx));
    lua_Integer n = lua_tointeger(L, idx);
    if (n < 1 || n > 100000) sim_lua_error(L, "%s: numPartitions must be between 1 and 100000, got %lld", what, (long long)n);
    return (int)n;
}

static node combine(lua_State *L, node parent, uint32_t name, eng_aggregator agg, int partitions) {
    eng_op op = {.kind = ENG_OP_COMBINE, .name = name, .agg = agg, .num_partitions = partitions};
    return apply(L, &op, &parent, 1, ENG_DS_OP, NULL);
}

static eng_aggregator reduce_agg(eng_fn f) {
    return (eng_aggregator){.present = 1, .map_side_combine = 1, .create_combiner = builtin(ENG_FN_IDENTITY),
                            .merge_value = f, .merge_combiners = f};
}

#define SELF(what) node self = check_node(L, 1, what)

/* The narrow operations that apply one function per record (or per
 * partition): one C closure serves them all, its upvalues naming the op. */
typedef struct narrow_op {
    const char *method;
    uint32_t kind, name;
    int takes_fn;
} narrow_op;

static const narrow_op narrow_ops[] = {
    {"map", ENG_OP_MAP, ENG_NAME_MAP, 1},
    {"flatMap", ENG_OP_FLAT_MAP, ENG_NAME_FLAT_MAP, 1},
    {"filter", ENG_OP_FILTER, ENG_NAME_FILTER, 1},
    {"mapPartitions", ENG_OP_MAP_PARTITIONS, ENG_NAME_MAP_PARTITIONS, 1},
    {"glom", ENG_OP_GLOM, ENG_NAME_GLOM, 0},
    {"mapValues", ENG_OP_MAP_VALUES, ENG_NAME_MAP_VALUES, 1},
    {"flatMapValues", ENG_OP_FLAT_MAP_VALUES, ENG_NAME_FLAT_MAP_VALUES, 1},
};

static int m_narrow(lua_State *L) {
    const narrow_op *op = &narrow_ops[lua_tointeger(L, lua_upvalueindex(1))];
    node self = check_node(L, 1, op->method);
    eng_fn fn = op->takes_fn ? check_fn(L, 2, op->method) : (eng_fn){0};
    return push_node(L, one(L, self, op->kind, op->name, fn));
}

static int m_keys(lua_State *L) {
    SELF("keys");
    return push_node(L, one(L, self, ENG_OP_MAP, ENG_NAME_KEYS, builtin(ENG_FN_FIRST)));
}
static int m_values(lua_State *L) {
    SELF("values");
    return push_node(L, one(L, self, ENG_OP_MAP, ENG_NAME_VALUES, builtin(ENG_FN_SECOND)));
}

/* repartition(n) = coalesce(n, shuffle = true): key each record by a
 * position from XORShiftRandom(partition index), shuffle by
 * HashPartitioner(n), drop the keys. Source: RDD.coalesce. */
static int m_repartition(lua_State *L) {
    SELF("repartition");
    if (!lua_isinteger(L, 2)) sim_lua_error(L, "repartition: numPartitions must be an integer");
    int n = opt_partitions(L, 2, "repartition");
    eng_op dist = {.kind = ENG_OP_DISTRIBUTE, .name = ENG_NAME_REPARTITION, .num_partitions = n};
    node keyed = apply(L, &dist, &self, 1, ENG_DS_OP, NULL);
    node shuffled = combine(L, keyed, ENG_NAME_REPARTITION, (eng_aggregator){0}, n);
    return push_node(L, one(L, shuffled, ENG_OP_MAP, ENG_NAME_REPARTITION, builtin(ENG_FN_SECOND)));
}

static int m_union(lua_State *L) {
    node ps[2] = {check_node(L, 1, "union"), check_node(L, 2, "union")};
    eng_op op = {.kind = ENG_OP_UNION, .name = ENG_NAME_UNION};
    return push_node(L, apply(L, &op, ps, 2, ENG_DS_OP, NULL));
}

static int m_reduce_by_key(lua_State *L) {
    SELF("reduceByKey");
    eng_fn f = check_fn(L, 2, "reduceByKey");
    return push_node(L, combine(L, self, ENG_NAME_REDUCE_BY_KEY, reduce_agg(f), opt_partitions(L, 3, "reduceByKey")));
}

static int m_group_by_key(lua_State *L) {
    SELF("groupByKey");
    eng_aggregator agg = {.present = 1, .create_combiner = builtin(ENG_FN_LIST_OF), .merge_value = builtin(ENG_FN_APPEND),
                          .merge_combiners = builtin(ENG_FN_CONCAT)};
    return push_node(L, combine(L, self, ENG_NAME_GROUP_BY_KEY, agg, opt_partitions(L, 2, "groupByKey")));
}

static int m_combine_by_key(lua_State *L) {
    SELF("combineByKey");
    eng_aggregator agg = {.present = 1, .map_side_combine = 1, .create_combiner = check_fn(L, 2, "combineByKey"),
                          .merge_value = check_fn(L, 3, "combineByKey"), .merge_combiners = check_fn(L, 4, "combineByKey")};
    return push_node(L, combine(L, self, ENG_NAME_COMBINE_BY_KEY, agg, opt_partitions(L, 5, "combineByKey")));
}

/* count() = map(_ => (null, 1L)), union a one-partition RDD of (null, 0L),
 * reduceByKey(_ + _, 1), values: one record every batch, 0 when empty.
 * Source: DStream.count. */
static int m_count(lua_State *L) {
    SELF("count");
    api *a = get_api(L);
    node pairs = one(L, self, ENG_OP_MAP, ENG_NAME_COUNT, builtin(ENG_FN_PAIR_NULL_ONE));
    eng_value zero_items[2] = {eng_nil(), eng_int(0)};
    eng_arena tmp;
    eng_arena_init(&tmp);
    eng_value zero = eng_seq(&tmp, ENG_V_TUPLE, zero_items, 2);
    const eng_collection *c = eng_program_collection(a->program, &zero, 1, 1);
    eng_arena_fini(&tmp);
    node zeros;
    if (self.is_rdd) {
        eng_op par = {.kind = ENG_OP_PARALLEL, .name = ENG_NAME_COUNT};
        zeros = (node){1, -1, rdd_make(L, &par, NULL, 0, c)};
    } else {
        eng_dstream d = {.kind = ENG_DS_CONST, .slide_us = slide_of(a, self.ds), .where = here(L, a), .default_rdd = c};
        zeros = (node){0, eng_program_add(a->program, &d), NULL};
    }
    node both[2] = {pairs, zeros};
    eng_op u = {.kind = ENG_OP_UNION, .name = ENG_NAME_COUNT};
    node all = apply(L, &u, both, 2, ENG_DS_OP, NULL);
    node counted = combine(L, all, ENG_NAME_COUNT, reduce_agg(builtin(ENG_FN_ADD)), 1);
    return push_node(L, one(L, counted, ENG_OP_MAP, ENG_NAME_COUNT, builtin(ENG_FN_SECOND)));
}

/* reduce(f) = map((null, _)).reduceByKey(f, 1).map(_._2). Source: DStream.reduce. */
static int m_reduce(lua_State *L) {
    SELF("reduce");
    eng_fn f = check_fn(L, 2, "reduce");
    node pairs = one(L, self, ENG_OP_MAP, ENG_NAME_REDUCE, builtin(ENG_FN_PAIR_NULL));
    node reduced = combine(L, pairs, ENG_NAME_REDUCE, reduce_agg(f), 1);
    return push_node(L, one(L, reduced, ENG_OP_MAP, ENG_NAME_REDUCE, builtin(ENG_FN_SECOND)));
}

/* countByValue(n) = map((_, 1L)).reduceByKey(_ + _, n). Source: DStream.countByValue. */
static int m_count_by_value(lua_State *L) {
    SELF("countByValue");
    node pairs = one(L, self, ENG_OP_MAP, ENG_NAME_COUNT_BY_VALUE, builtin(ENG_FN_PAIR_ONE));
    return push_node(L, combine(L, pairs, ENG_NAME_COUNT_BY_VALUE, reduce_agg(builtin(ENG_FN_ADD)),
                                opt_partitions(L, 2, "countByValue")));
}

static node cogroup(lua_State *L, node a, node b, uint32_t name, int partitions) {
    node ps[2] = {a, b};
    eng_op op = {.kind = ENG_OP_COGROUP, .name = name, .num_partitions = partitions};
    return apply(L, &op, ps, 2, ENG_DS_OP, NULL);
}

static int m_cogroup(lua_State *L) {
    node a = check_node(L, 1, "cogroup"), b = check_node(L, 2, "cogroup");
    return push_node(L, cogroup(L, a, b, ENG_NAME_COGROUP, opt_partitions(L, 3, "cogroup")));
}

/* join and the outer joins: cogroup, then flatMapValues over the two sides.
 * Source: PairRDDFunctions.join / leftOuterJoin / rightOuterJoin / fullOuterJoin. */
static int join_kind(lua_State *L, uint32_t name, uint32_t fn, const char *what) {
    node a = check_node(L, 1, what), b = check_node(L, 2, what);
    node g = cogroup(L, a, b, name, opt_partitions(L, 3, what));
    return push_node(L, one(L, g, ENG_OP_FLAT_MAP_VALUES, name, builtin(fn)));
}
static int m_join(lua_State *L) { return join_kind(L, ENG_NAME_JOIN, ENG_FN_JOIN_INNER, "join"); }
static int m_left_outer_join(lua_State *L) { return join_kind(L, ENG_NAME_LEFT_OUTER_JOIN, ENG_FN_JOIN_LEFT, "leftOuterJoin"); }
static int m_right_outer_join(lua_State *L) {
    return join_kind(L, ENG_NAME_RIGHT_OUTER_JOIN, ENG_FN_JOIN_RIGHT, "rightOuterJoin");
}
static int m_full_outer_join(lua_State *L) { return join_kind(L, ENG_NAME_FULL_OUTER_JOIN, ENG_FN_JOIN_FULL, "fullOuterJoin"); }

/* ---- windows and state (DStreams only) ------------------------------------------------- */

static const eng_collection *queued(lua_State *L, int idx, const char *what);
static int fn_location(lua_State *L, char *buf, size_t n);
static ud_dstream *check_ds(lua_State *L, int idx, const char *what);

static char *ms_text(int64_t us, char *buf, size_t n) {
    snprintf(buf, n, "%lld ms", (long long)(us / 1000));
    return buf;
}

static int64_t window_arg(lua_State *L, int idx, const char *what, const char *name, int64_t dflt) {
    if (lua_isnoneornil(L, idx)) {
        if (dflt < 0) sim_lua_error(L, "%s: %s is required", what, name);
        return dflt;
    }
    int64_t us = sim_args_check_duration(L, idx, what);
    if (us <= 0) sim_lua_error(L, "%s: %s must be longer than 0", what, name);
    return us;
}

/* WindowedDStream's checks: window and slide are multiples of the parent's
 * slide. Source: WindowedDStream.scala (its messages, Duration.toString). */
static void check_window(lua_State *L, int64_t w, int64_t s, int64_t parent, int reduced) {
    char a[32], b[32];
    const char *who = reduced ? "ReducedWindowedDStream" : "windowed DStream";
    /* Spark words them "must be a multiple" (WindowedDStream) and "must be multiple" (ReducedWindowedDStream) */
    const char *must = reduced ? "must be multiple" : "must be a multiple";
    if (w % parent)
        sim_lua_error(L, "%sThe window duration of %s (%s) %s of the slide duration of parent DStream (%s)",
                      reduced ? "requirement failed: " : "", who, ms_text(w, a, sizeof a), must, ms_text(parent, b, sizeof b));
    if (s % parent)
        sim_lua_error(L, "%sThe slide duration of %s (%s) %s of the slide duration of parent DStream (%s)",
                      reduced ? "requirement failed: " : "", who, ms_text(s, a, sizeof a), must, ms_text(parent, b, sizeof b));
}

static void mark_persist(api *a, int ds) { a->program->dstreams[ds].persist = 1; }

/* window(W, S): WindowedDStream. */
static node window_of(lua_State *L, node self, int64_t w, int64_t s, uint32_t name) {
    api *a = get_api(L);
    if (self.is_rdd) sim_lua_error(L, "%s: windows are for DStreams", eng_op_name_str(name));
    int64_t parent = slide_of(a, self.ds);
    check_window(L, w, s, parent, 0);
    mark_persist(a, self.ds);
    eng_dstream d = {.kind = ENG_DS_WINDOW, .nparents = 1, .parents = {self.ds}, .slide_us = s, .window_us = w,
                     .where = here(L, a), .op = {.name = name}};
    int id = eng_program_add(a->program, &d);
    if (id < 0) sim_lua_error(L, "window: more than %d DStreams", ENG_PROGRAM_DSTREAMS_MAX);
    return (node){0, id, NULL};
}

static int m_window(lua_State *L) {
    node self = check_node(L, 1, "window");
    api *a = get_api(L);
    int64_t w = window_arg(L, 2, "window", "windowDuration", -1);
    int64_t s = window_arg(L, 3, "window", "slideDuration", self.is_rdd ? 0 : slide_of(a, self.ds));
    return push_node(L, window_of(L, self, w, s, ENG_NAME_WINDOW));
}

/* reduceByKeyAndWindow with an inverse: ReducedWindowedDStream over the
 * per-batch reduceByKey, itself persisted and checkpointed. */
static node reduced_window(lua_State *L, node self, eng_fn f, eng_fn inv, int64_t w, int64_t s, int partitions,
                           eng_fn filter, uint32_t name) {
    api *a = get_api(L);
    int64_t parent = slide_of(a, self.ds);
    check_window(L, w, s, parent, 1);
    node reduced = combine(L, self, name, reduce_agg(f), partitions);
    mark_persist(a, reduced.ds);
    eng_dstream d = {.kind = ENG_DS_REDUCED_WINDOW, .nparents = 1, .parents = {reduced.ds}, .slide_us = s,
                     .window_us = w, .fn = f, .inverse = inv, .filter = filter, .num_partitions = partitions,
                     .persist = 1, .must_checkpoint = 1, .where = here(L, a), .op = {.name = name}};
    int id = eng_program_add(a->program, &d);
    if (id < 0) sim_lua_error(L, "reduceByKeyAndWindow: more than %d DStreams", ENG_PROGRAM_DSTREAMS_MAX);
    return (node){0, id, NULL};
}

/* The arguments windowed operations share: the DStream, then (with_fns)
 * func and invFunc (which may be nil), then windowDuration and
 * slideDuration (default: the parent's slide); next = the index after them. */
typedef struct window_args {
    node self;
    eng_fn f, inv;
    int has_inv;
    int64_t w, s;
    int next;
} window_args;

static window_args window_call(lua_State *L, const char *what, int with_fns) {
    window_args wa = {.self = check_node(L, 1, what)};
    if (wa.self.is_rdd) sim_lua_error(L, "%s: windows are for DStreams", what);
    int at = 2;
    if (with_fns) {
        wa.f = check_fn(L, 2, what);
        wa.has_inv = !lua_isnoneornil(L, 3);
        if (wa.has_inv) wa.inv = check_fn(L, 3, what);
        at = 4;
    }
    wa.w = window_arg(L, at, what, "windowDuration", -1);
    wa.s = window_arg(L, at + 1, what, "slideDuration", slide_of(get_api(L), wa.self.ds));
    wa.next = at + 2;
    return wa;
}

/* reduceByKeyAndWindow(func, invFunc, windowDuration, slideDuration,
 * numPartitions, filterFunc), PySpark's order; invFunc may be nil. */
static int m_reduce_by_key_and_window(lua_State *L) {
    const char *what = "reduceByKeyAndWindow";
    window_args wa = window_call(L, what, 1);
    node self = wa.self;
    eng_fn f = wa.f;
    int64_t w = wa.w, s = wa.s;
    int n = opt_partitions(L, wa.next, what);
    eng_fn filter = lua_isnoneornil(L, wa.next + 1) ? (eng_fn){0} : check_fn(L, wa.next + 1, what);
    if (wa.has_inv)
        return push_node(L, reduced_window(L, self, f, wa.inv, w, s, n, filter, ENG_NAME_REDUCE_BY_KEY_AND_WINDOW));
    /* without the inverse: reduceByKey, window, reduceByKey (PairDStreamFunctions) */
    node per_batch = combine(L, self, ENG_NAME_REDUCE_BY_KEY_AND_WINDOW, reduce_agg(f), n);
    node windowed = window_of(L, per_batch, w, s, ENG_NAME_REDUCE_BY_KEY_AND_WINDOW);
    return push_node(L, combine(L, windowed, ENG_NAME_REDUCE_BY_KEY_AND_WINDOW, reduce_agg(f), n));
}

/* reduceByWindow(func, invFunc, W, S): with the inverse, map((1, x)) and
 * reduceByKeyAndWindow(func, invFunc, W, S, 1), values; without it,
 * reduce, window, reduce. Source: DStream.reduceByWindow. */
static int m_reduce_by_window(lua_State *L) {
    window_args wa = window_call(L, "reduceByWindow", 1);
    node self = wa.self;
    eng_fn f = wa.f;
    int64_t w = wa.w, s = wa.s;
    if (wa.has_inv) {
        node keyed = one(L, self, ENG_OP_MAP, ENG_NAME_REDUCE_BY_WINDOW, builtin(ENG_FN_PAIR_ONE_KEY));
        node red = reduced_window(L, keyed, f, wa.inv, w, s, 1, (eng_fn){0}, ENG_NAME_REDUCE_BY_WINDOW);
        return push_node(L, one(L, red, ENG_OP_MAP, ENG_NAME_REDUCE_BY_WINDOW, builtin(ENG_FN_SECOND)));
    }
    node pairs = one(L, self, ENG_OP_MAP, ENG_NAME_REDUCE_BY_WINDOW, builtin(ENG_FN_PAIR_NULL));
    node per_batch = one(L, combine(L, pairs, ENG_NAME_REDUCE_BY_WINDOW, reduce_agg(f), 1), ENG_OP_MAP,
                         ENG_NAME_REDUCE_BY_WINDOW, builtin(ENG_FN_SECOND));
    node windowed = window_of(L, per_batch, w, s, ENG_NAME_REDUCE_BY_WINDOW);
    node again = one(L, windowed, ENG_OP_MAP, ENG_NAME_REDUCE_BY_WINDOW, builtin(ENG_FN_PAIR_NULL));
    return push_node(L, one(L, combine(L, again, ENG_NAME_REDUCE_BY_WINDOW, reduce_agg(f), 1), ENG_OP_MAP,
                            ENG_NAME_REDUCE_BY_WINDOW, builtin(ENG_FN_SECOND)));
}

/* countByWindow(W, S) = map((1, 1L)).reduceByKeyAndWindow(+, -, W, S, 1).values. */
static int m_count_by_window(lua_State *L) {
    window_args wa = window_call(L, "countByWindow", 0);
    int64_t w = wa.w, s = wa.s;
    node ones = one(L, wa.self, ENG_OP_MAP, ENG_NAME_COUNT_BY_WINDOW, builtin(ENG_FN_PAIR_ONE_ONE));
    node red = reduced_window(L, ones, builtin(ENG_FN_ADD), builtin(ENG_FN_SUB), w, s, 1, (eng_fn){0},
                              ENG_NAME_COUNT_BY_WINDOW);
    return push_node(L, one(L, red, ENG_OP_MAP, ENG_NAME_COUNT_BY_WINDOW, builtin(ENG_FN_SECOND)));
}

/* countByValueAndWindow(W, S, n) = map((x, 1L)).reduceByKeyAndWindow(+, -, W, S, n, count != 0). */
static int m_count_by_value_and_window(lua_State *L) {
    const char *what = "countByValueAndWindow";
    window_args wa = window_call(L, what, 0);
    int64_t w = wa.w, s = wa.s;
    int n = opt_partitions(L, wa.next, what);
    node pairs = one(L, wa.self, ENG_OP_MAP, ENG_NAME_COUNT_BY_VALUE_AND_WINDOW, builtin(ENG_FN_PAIR_ONE));
    return push_node(L, reduced_window(L, pairs, builtin(ENG_FN_ADD), builtin(ENG_FN_SUB), w, s, n,
                                       builtin(ENG_FN_NONZERO_VALUE), ENG_NAME_COUNT_BY_VALUE_AND_WINDOW));
}

/* groupByKeyAndWindow(W, S, n) = groupByKey(n), window(W, S), then
 * combineByKey(buffer copy, ++=, ++=, n). Source: PairDStreamFunctions. */
static int m_group_by_key_and_window(lua_State *L) {
    const char *what = "groupByKeyAndWindow";
    window_args wa = window_call(L, what, 0);
    node self = wa.self;
    int64_t w = wa.w, s = wa.s;
    int n = opt_partitions(L, wa.next, what);
    eng_aggregator group = {.present = 1, .create_combiner = builtin(ENG_FN_LIST_OF),
                            .merge_value = builtin(ENG_FN_APPEND), .merge_combiners = builtin(ENG_FN_CONCAT)};
    node grouped = combine(L, self, ENG_NAME_GROUP_BY_KEY_AND_WINDOW, group, n);
    node windowed = window_of(L, grouped, w, s, ENG_NAME_GROUP_BY_KEY_AND_WINDOW);
    eng_aggregator flatten = {.present = 1, .map_side_combine = 1, .create_combiner = builtin(ENG_FN_IDENTITY),
                              .merge_value = builtin(ENG_FN_CONCAT), .merge_combiners = builtin(ENG_FN_CONCAT)};
    return push_node(L, combine(L, windowed, ENG_NAME_GROUP_BY_KEY_AND_WINDOW, flatten, n));
}

/* updateStateByKey(updateFunc, numPartitions, initialRDD): f(values, state)
 * or, when f takes four arguments, f(time_ms, key, values, state). */
static int m_update_state_by_key(lua_State *L) {
    const char *what = "updateStateByKey";
    node self = check_node(L, 1, what);
    if (self.is_rdd) return sim_lua_error(L, "%s: state is for DStreams", what);
    api *a = get_api(L);
    eng_fn f = check_fn(L, 2, what);
    int with_time = 0;
    if (f.builtin == ENG_FN_HOST) {
        lua_Debug ar;
        lua_pushvalue(L, 2);
        lua_getinfo(L, ">u", &ar);
        with_time = ar.nparams >= 4;
    }
    int n = opt_partitions(L, 3, what);
    const eng_collection *initial = NULL;
    if (!lua_isnoneornil(L, 4)) initial = queued(L, 4, what);
    eng_dstream d = {.kind = ENG_DS_STATE, .nparents = 1, .parents = {self.ds}, .slide_us = slide_of(a, self.ds),
                     .fn = f, .with_time = with_time, .num_partitions = n, .initial = initial, .persist = 1,
                     .must_checkpoint = 1, .where = here(L, a), .op = {.name = ENG_NAME_UPDATE_STATE_BY_KEY}};
    int id = eng_program_add(a->program, &d);
    if (id < 0) return sim_lua_error(L, "%s: more than %d DStreams", what, ENG_PROGRAM_DSTREAMS_MAX);
    return push_node(L, (node){0, id, NULL});
}

/* ---- mapWithState --------------------------------------------------------------------- */

static int spec_function(lua_State *L) {
    eng_fn fn = check_fn(L, 1, "StateSpec.function");
    ud_spec *u = lua_newuserdatauv(L, sizeof *u, 0);
    *u = (ud_spec){.fn = fn};
    luaL_setmetatable(L, SPEC_META);
    return 1;
}

static ud_spec *check_spec(lua_State *L, const char *what) {
    ud_spec *u = luaL_testudata(L, 1, SPEC_META);
    if (!u) sim_lua_error(L, "%s: call it on a StateSpec with ':'", what);
    return u;
}

/* initialState: (key, state) pairs, stored as state rows (key, {state, 0}). */
static int spec_initial_state(lua_State *L) {
    ud_spec *u = check_spec(L, "StateSpec:initialState");
    api *a = get_api(L);
    const eng_collection *pairs = queued(L, 2, "StateSpec:initialState");
    eng_part rows;
    eng_part_init(&rows);
    for (int sl = 0; sl < pairs->num_slices; sl++)
        for (size_t i = 0; i < pairs->slices[sl].count; i++) {
            const eng_value *kv = &pairs->slices[sl].rows[i];
            if (!eng_is_seq(kv) || kv->len != 2) {
                eng_part_fini(&rows);
                return sim_lua_error(L, "StateSpec:initialState: records must be {key, state} pairs");
            }
            eng_value st[2] = {kv->as.items[1], eng_int(0)};
            eng_part_push(&rows, eng_pair(&rows.arena, kv->as.items[0], eng_seq(&rows.arena, ENG_V_TUPLE, st, 2)));
        }
    u->initial = eng_program_collection(a->program, rows.rows, rows.count, pairs->num_slices);
    eng_part_fini(&rows);
    lua_pushvalue(L, 1);
    return 1;
}

static int spec_num_partitions(lua_State *L) {
    ud_spec *u = check_spec(L, "StateSpec:numPartitions");
    u->partitions = opt_partitions(L, 2, "StateSpec:numPartitions");
    lua_pushvalue(L, 1);
    return 1;
}

static int spec_timeout(lua_State *L) {
    ud_spec *u = check_spec(L, "StateSpec:timeout");
    u->timeout_us = sim_args_check_duration(L, 2, "StateSpec:timeout");
    lua_pushvalue(L, 1);
    return 1;
}

/* dstream:mapWithState(spec): the mapped stream; its stateSnapshots() gives
 * every (key, state). The function is f(key, value, state); state has
 * exists(), get(), update(v), remove(), isTimingOut(), as Spark's State.
 * Checkpointed every 10 slides by default (MapWithStateDStream). */
static int m_map_with_state(lua_State *L) {
    const char *what = "mapWithState";
    node self = check_node(L, 1, what);
    if (self.is_rdd) return sim_lua_error(L, "%s: state is for DStreams", what);
    ud_spec *spec = luaL_testudata(L, 2, SPEC_META);
    if (!spec) return sim_lua_error(L, "%s: expected a StateSpec (StateSpec.function(f))", what);
    api *a = get_api(L);
    int64_t slide = slide_of(a, self.ds);
    eng_dstream d = {.kind = ENG_DS_MAP_WITH_STATE, .nparents = 1, .parents = {self.ds}, .slide_us = slide,
                     .fn = spec->fn, .num_partitions = spec->partitions ? spec->partitions : default_parallelism(a),
                     .timeout_us = spec->timeout_us, .initial = spec->initial, .persist = 1, .must_checkpoint = 1,
                     .checkpoint_interval_us = 10 * slide, .where = here(L, a), .op = {.name = ENG_NAME_MAP_WITH_STATE}};
    int internal = eng_program_add(a->program, &d);
    if (internal < 0) return sim_lua_error(L, "%s: more than %d DStreams", what, ENG_PROGRAM_DSTREAMS_MAX);
    return push_node(L, one(L, (node){0, internal, NULL}, ENG_OP_FLAT_MAP, ENG_NAME_MAP_WITH_STATE,
                            builtin(ENG_FN_MAPPED_VALUES)));
}

static int m_state_snapshots(lua_State *L) {
    ud_dstream *u = check_ds(L, 1, "stateSnapshots");
    api *a = get_api(L);
    const eng_dstream *mapped = &a->program->dstreams[u->id];
    if (mapped->nparents != 1 || a->program->dstreams[mapped->parents[0]].kind != ENG_DS_MAP_WITH_STATE)
        return sim_lua_error(L, "stateSnapshots: call it on the stream mapWithState returned");
    return push_node(L, one(L, (node){0, mapped->parents[0], NULL}, ENG_OP_FLAT_MAP, ENG_NAME_STATE_SNAPSHOTS,
                            builtin(ENG_FN_STATE_SNAPSHOT)));
}

static ud_state *check_state(lua_State *L, const char *what) {
    ud_state *u = luaL_testudata(L, 1, STATE_META);
    if (!u || !u->st) sim_lua_error(L, "State:%s: use the state only inside the mapWithState function, with ':'", what);
    return u;
}

static int state_exists(lua_State *L) {
    ud_state *u = check_state(L, "exists");
    lua_pushboolean(L, u->st->exists && !u->st->removed);
    return 1;
}

static int state_get(lua_State *L) {
    ud_state *u = check_state(L, "get");
    if (!u->st->exists || u->st->removed) return sim_lua_error(L, "State is not set");
    sim_lua_push_value(L, &u->st->value);
    return 1;
}

/* StateImpl.update / remove: Spark's requirements, with its messages. */
static int state_update(lua_State *L) {
    ud_state *u = check_state(L, "update");
    if (u->st->removed) return sim_lua_error(L, "requirement failed: Cannot update the state after it has been removed");
    if (u->st->timing_out) return sim_lua_error(L, "requirement failed: Cannot update the state that is timing out");
    char err[512];
    eng_value v;
    if (sim_lua_to_value(L, 2, u->arena, &v, err, sizeof err)) return sim_lua_error(L, "State:update: %s", err);
    u->st->value = v;
    u->st->exists = 1;
    u->st->updated = 1;
    return 0;
}

static int state_remove(lua_State *L) {
    ud_state *u = check_state(L, "remove");
    if (u->st->timing_out) return sim_lua_error(L, "requirement failed: Cannot remove the state that is timing out");
    if (u->st->removed)
        return sim_lua_error(L, "requirement failed: Cannot remove the state that has already been removed");
    u->st->removed = 1;
    u->st->updated = 0;
    return 0;
}

static int state_is_timing_out(lua_State *L) {
    lua_pushboolean(L, check_state(L, "isTimingOut")->st->timing_out);
    return 1;
}

int sim_host_call_state(void *ud, const eng_fn *fn, const eng_value *key, const eng_value *value, eng_state *st,
                        eng_arena *arena, eng_value *mapped, char *err, size_t errlen) {
    sim_host *h = ud;
    lua_State *L = h->lua->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, fn->ref);
    char where[512];
    fn_location(L, where, sizeof where);
    sim_lua_push_value(L, key);
    sim_lua_push_value(L, value);
    ud_state *u = lua_newuserdatauv(L, sizeof *u, 0);
    *u = (ud_state){st, arena};
    luaL_setmetatable(L, STATE_META);
    lua_pushvalue(L, -1);
    int state_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    int rc = sim_lua_pcall(h->lua, 3, 1, err, errlen);
    /* the State dies with the call, even if the function kept it */
    lua_rawgeti(L, LUA_REGISTRYINDEX, state_ref);
    ((ud_state *)lua_touserdata(L, -1))->st = NULL;
    lua_pop(L, 1);
    luaL_unref(L, LUA_REGISTRYINDEX, state_ref);
    if (rc) return -1;
    char inner[512];
    rc = sim_lua_to_value(L, -1, arena, mapped, inner, sizeof inner);
    lua_pop(L, 1);
    if (rc) snprintf(err, errlen, "%s: the function returned %s", where, inner);
    return rc;
}

/* dstream:slice(from_ms, to_ms): inside transform or foreachRDD, the
 * stream's RDDs at its batch times in [from, to] that are still remembered
 * (see ssc:remember), as a list. */
static int m_slice(lua_State *L) {
    int id = check_ds(L, 1, "slice")->id;
    api *a = get_api(L);
    lua_Integer from = luaL_checkinteger(L, 2), to = luaL_checkinteger(L, 3);
    if (!a->driver) return sim_lua_error(L, "slice: call it inside transform or foreachRDD, once batches exist");
    eng_rdd *rdds[ENG_RDD_PARENTS_MAX];
    char err[512];
    int n = eng_driver_slice(a->driver, id, (int64_t)from * 1000, (int64_t)to * 1000, rdds, ENG_RDD_PARENTS_MAX, err,
                             sizeof err);
    if (n < 0) return sim_lua_error(L, "%s", err);
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        push_rdd(L, a, rdds[i]);
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* dstream:checkpoint(interval): a multiple of the slide. */
static int m_checkpoint(lua_State *L) {
    ud_dstream *u = luaL_testudata(L, 1, DSTREAM_META);
    if (!u) return sim_lua_error(L, "checkpoint: call it on a DStream with ':'");
    api *a = get_api(L);
    int64_t us = sim_args_check_duration(L, 2, "checkpoint");
    int64_t slide = slide_of(a, u->id);
    char x[32], y[32];
    if (us <= 0 || us % slide)
        return sim_lua_error(L, "checkpoint: the checkpoint interval (%s) must be a multiple of the slide duration (%s)",
                             ms_text(us, x, sizeof x), ms_text(slide, y, sizeof y));
    eng_dstream *d = &a->program->dstreams[u->id];
    /* on mapWithState's mapped stream, as in Spark, the interval is its internal state stream's */
    if (d->nparents == 1 && a->program->dstreams[d->parents[0]].kind == ENG_DS_MAP_WITH_STATE)
        d = &a->program->dstreams[d->parents[0]];
    d->checkpoint_interval_us = us;
    d->persist = 1;
    lua_pushvalue(L, 1);
    return 1;
}

static int m_persist(lua_State *L) {
    ud_dstream *u = luaL_testudata(L, 1, DSTREAM_META);
    if (!u) return sim_lua_error(L, "persist: call it on a DStream with ':'");
    mark_persist(get_api(L), u->id);
    lua_pushvalue(L, 1);
    return 1;
}

/* ---- DStream-only: transform, outputs ------------------------------------------------ */

static ud_dstream *check_ds(lua_State *L, int idx, const char *what) {
    ud_dstream *d = luaL_testudata(L, idx, DSTREAM_META);
    if (!d) sim_lua_error(L, "%s: expected a DStream, got %s (call methods with ':')", what, luaL_typename(L, idx));
    return d;
}

static int transform_of(lua_State *L, const int *ids, int n, eng_fn fn) {
    node ps[ENG_DSTREAM_PARENTS_MAX];
    for (int i = 0; i < n; i++) ps[i] = (node){0, ids[i], NULL};
    eng_op op = {.kind = ENG_OP_MAP, .name = ENG_NAME_TRANSFORM};
    return push_node(L, apply(L, &op, ps, n, ENG_DS_TRANSFORM, &fn));
}

static int m_transform(lua_State *L) {
    int id = check_ds(L, 1, "transform")->id;
    return transform_of(L, &id, 1, check_fn(L, 2, "transform"));
}

static int m_transform_with(lua_State *L) {
    int ids[2] = {check_ds(L, 1, "transformWith")->id, check_ds(L, 2, "transformWith")->id};
    return transform_of(L, ids, 2, check_fn(L, 3, "transformWith"));
}

static int add_output(lua_State *L, int parent, eng_dstream d) {
    api *a = get_api(L);
    if (a->driver) sim_lua_error(L, "output operations cannot be added once the context has started");
    d.kind = ENG_DS_OUTPUT;
    d.nparents = 1;
    d.parents[0] = parent;
    d.slide_us = slide_of(a, parent);
    d.where = here(L, a);
    if (eng_program_add(a->program, &d) < 0) sim_lua_error(L, "more than %d DStreams", ENG_PROGRAM_DSTREAMS_MAX);
    return 0;
}

static int m_print(lua_State *L) {
    int id = check_ds(L, 1, "print")->id;
    lua_Integer num = 10;
    if (!lua_isnoneornil(L, 2)) {
        if (!lua_isinteger(L, 2) || lua_tointeger(L, 2) < 0 || lua_tointeger(L, 2) > 1000000)
            sim_lua_error(L, "print: num must be an integer from 0 to 1000000");
        num = lua_tointeger(L, 2);
    }
    return add_output(L, id, (eng_dstream){.output_kind = ENG_OUT_PRINT, .print_num = (int)num, .name = "print"});
}

static int m_foreach_rdd(lua_State *L) {
    int id = check_ds(L, 1, "foreachRDD")->id;
    return add_output(L, id, (eng_dstream){.output_kind = ENG_OUT_FOREACH, .fn = check_fn(L, 2, "foreachRDD"),
                                           .name = "foreachRDD"});
}

static int m_save_as_text_files(lua_State *L) {
    int id = check_ds(L, 1, "saveAsTextFiles")->id;
    api *a = get_api(L);
    const char *prefix = luaL_optstring(L, 2, "");
    const char *suffix = luaL_optstring(L, 3, "");
    if (strstr(prefix, "..") || prefix[0] == '/')
        sim_lua_error(L, "saveAsTextFiles: the prefix is a path in durable storage, relative and without \"..\"");
    return add_output(L, id, (eng_dstream){.output_kind = ENG_OUT_SAVE, .prefix = keep(a, prefix),
                                           .suffix = keep(a, suffix), .name = "saveAsTextFiles"});
}

/* ---- RDD actions (inside foreachRDD only) ------------------------------------------- */

static int action(lua_State *L, int kind, const char *what) {
    ud_rdd *u = check_live_rdd(L, 1, what);
    api *a = get_api(L);
    if (a->in_transform || !lua_isyieldable(L))
        return sim_lua_error(L, "%s: actions run only inside foreachRDD", what);
    a->pending_rdd = u->rdd;
    a->pending_kind = kind;
    a->pending_action = kind == ACT_COUNT ? ENG_ACT_COUNT : ENG_ACT_COLLECT;
    a->pending_take = -1;
    if (kind == ACT_TAKE) {
        lua_Integer n = luaL_checkinteger(L, 2);
        if (n < 0) return sim_lua_error(L, "take: n must not be negative");
        a->pending_take = n;
    }
    if (kind == ACT_FIRST || kind == ACT_IS_EMPTY) a->pending_take = 1;
    return lua_yield(L, 0);
}

static int r_collect(lua_State *L) { return action(L, ACT_COLLECT, "collect"); }
static int r_count(lua_State *L) {
    if (luaL_testudata(L, 1, DSTREAM_META)) return m_count(L);
    return action(L, ACT_COUNT, "count");
}
static int r_take(lua_State *L) { return action(L, ACT_TAKE, "take"); }
static int r_first(lua_State *L) { return action(L, ACT_FIRST, "first"); }
static int r_is_empty(lua_State *L) { return action(L, ACT_IS_EMPTY, "isEmpty"); }

static int r_num_partitions(lua_State *L) {
    lua_pushinteger(L, check_live_rdd(L, 1, "getNumPartitions")->rdd->num_partitions);
    return 1;
}

/* ---- SparkContext and StreamingContext methods --------------------------------------- */

static int sc_parallelize(lua_State *L) {
    api *a = get_api(L);
    int slices = lua_isnoneornil(L, 3) ? default_parallelism(a) : (int)luaL_checkinteger(L, 3);
    const eng_collection *c = collection_of(L, 2, slices, "parallelize");
    if (a->driver) {
        eng_op op = {.kind = ENG_OP_PARALLEL, .name = ENG_NAME_PARALLELIZE};
        push_rdd(L, a, rdd_make(L, &op, NULL, 0, c));
        return 1;
    }
    ud_collection *u = lua_newuserdatauv(L, sizeof *u, 0);
    u->c = c;
    luaL_setmetatable(L, COLLECTION_META);
    return 1;
}

/* sc:textFile(path[, minPartitions]): the lines of a data file of the
 * scenario's folder as an RDD, in min(defaultParallelism, 2) partitions by
 * default (SparkContext.defaultMinPartitions). Spark cuts the file into
 * byte ranges; here the lines are sliced as parallelize slices a list, so
 * partitions may hold other lines than Spark's, never other records. */
static int sc_text_file(lua_State *L) {
    api *a = get_api(L);
    const char *file = luaL_checkstring(L, 2);
    int dp = default_parallelism(a);
    int slices = lua_isnoneornil(L, 3) ? (dp < 2 ? dp : 2) : (int)luaL_checkinteger(L, 3);
    if (slices < 1) return sim_lua_error(L, "textFile: minPartitions must be at least 1, got %d", slices);
    sim_lua_push_file_lines(L, file, "textFile");
    lua_replace(L, 2);
    lua_settop(L, 2);
    lua_pushinteger(L, slices);
    return sc_parallelize(L);
}

static int sc_empty_rdd(lua_State *L) {
    api *a = get_api(L);
    if (!a->driver) return sim_lua_error(L, "emptyRDD: RDDs can be made only inside transform and foreachRDD");
    eng_op op = {.kind = ENG_OP_EMPTY, .name = ENG_NAME_EMPTY_RDD};
    push_rdd(L, a, rdd_make(L, &op, NULL, 0, NULL));
    return 1;
}

static int sc_index(lua_State *L) {
    const char *k = luaL_checkstring(L, 2);
    if (strcmp(k, "defaultParallelism") == 0) {
        lua_pushinteger(L, default_parallelism(get_api(L)));
        return 1;
    }
    if (strcmp(k, "parallelize") == 0) {
        lua_pushcfunction(L, sc_parallelize);
        return 1;
    }
    if (strcmp(k, "textFile") == 0) {
        lua_pushcfunction(L, sc_text_file);
        return 1;
    }
    if (strcmp(k, "emptyRDD") == 0) {
        lua_pushcfunction(L, sc_empty_rdd);
        return 1;
    }
    return sim_lua_error(L, "SparkContext has no field or method \"%s\"", k);
}

/* A queued RDD: a collection from sc:parallelize, or a plain Lua list
 * (parallelized with the default parallelism). */
static const eng_collection *queued(lua_State *L, int idx, const char *what) {
    ud_collection *u = luaL_testudata(L, idx, COLLECTION_META);
    if (u) return u->c;
    return collection_of(L, idx, default_parallelism(get_api(L)), what);
}

int sim_ctx_queue_stream(lua_State *L) {
    api *a = get_api(L);
    if (a->driver) return sim_lua_error(L, "queueStream: the context has already started");
    luaL_checktype(L, 2, LUA_TTABLE);
    int one_at_a_time = lua_isnoneornil(L, 3) ? 1 : lua_toboolean(L, 3);
    lua_Integer n = (lua_Integer)lua_rawlen(L, 2);
    if (n > 1000000) return sim_lua_error(L, "queueStream: more than 1000000 queued RDDs");
    const eng_collection **q = eng_arena_alloc(&a->program->arena, (size_t)(n ? n : 1) * sizeof *q);
    if (!q) return sim_lua_error(L, "queueStream: out of memory");
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, 2, i);
        q[i - 1] = queued(L, lua_gettop(L), "queueStream");
        lua_pop(L, 1);
    }
    eng_dstream d = {.kind = ENG_DS_QUEUE, .slide_us = a->conf->batch_interval_us, .where = here(L, a),
                     .queue = q, .queue_len = (int)n, .one_at_a_time = one_at_a_time};
    if (!lua_isnoneornil(L, 4)) d.default_rdd = queued(L, 4, "queueStream");
    int id = eng_program_add(a->program, &d);
    if (id < 0) return sim_lua_error(L, "queueStream: more than %d DStreams", ENG_PROGRAM_DSTREAMS_MAX);
    return push_node(L, (node){0, id, NULL});
}

void check_ds_context(lua_State *L, int idx, const char *what);

static int input_stream(lua_State *L, eng_dstream d) {
    api *a = get_api(L);
    if (a->driver) return sim_lua_error(L, "%s: the context has already started", eng_op_name_str(d.op.name));
    d.slide_us = a->conf->batch_interval_us;
    d.where = here(L, a);
    int id = eng_program_add(a->program, &d);
    if (id < 0) return sim_lua_error(L, "%s: too many DStreams or receivers", eng_op_name_str(d.op.name));
    return push_node(L, (node){0, id, NULL});
}

/* Spark's storage levels (StorageLevel.scala); a receiver's blocks are
 * replicated to a second worker when the name ends in _2. Memory and disk are
 * the same to a simulated executor: both die with it. */
static const char *const STORAGE_LEVELS[] = {
    "MEMORY_ONLY",        "MEMORY_ONLY_2",        "MEMORY_ONLY_SER", "MEMORY_ONLY_SER_2", "MEMORY_AND_DISK",
    "MEMORY_AND_DISK_2",  "MEMORY_AND_DISK_SER",  "MEMORY_AND_DISK_SER_2", "DISK_ONLY", "DISK_ONLY_2", NULL};

/* The replication of the storage level at idx (a StorageLevel name; absent:
 * MEMORY_AND_DISK_SER_2, a receiver's default): 1 or 2. */
static int storage_replication(lua_State *L, int idx, const char *what) {
    if (lua_isnoneornil(L, idx)) return 2;
    const char *level = luaL_checkstring(L, idx);
    size_t i = 0;
    while (STORAGE_LEVELS[i] && strcmp(STORAGE_LEVELS[i], level) != 0) i++;
    if (!STORAGE_LEVELS[i])
        return sim_lua_error(L, "%s: storage level \"%s\" is not one of Spark's (StorageLevel.MEMORY_ONLY, "
                                "StorageLevel.MEMORY_AND_DISK_SER_2, ...)", what, level);
    return strstr(level, "_2") ? 2 : 1;
}

/* ssc:socketTextStream(host, port [, storageLevel]): an unreliable receiver
 * reading lines from the netcat{} on that port; storage level
 * MEMORY_AND_DISK_SER_2 unless given (a StorageLevel name). */
int sim_ctx_socket_text_stream(lua_State *L) {
    luaL_checkstring(L, 2);
    lua_Integer port = luaL_checkinteger(L, 3);
    int src = sim_source_by_port(&sim_sources_inputs(L)->sources, (int)port);
    if (src < 0)
        return sim_lua_error(L, "socketTextStream: nothing listens on port %lld (declare netcat{ port = %lld, ... } "
                                "before the stream)",
                             (long long)port, (long long)port);
    int replication = storage_replication(L, 4, "socketTextStream");
    return input_stream(L, (eng_dstream){.kind = ENG_DS_RECEIVER, .source = src, .replication = replication,
                                         .op = {.name = ENG_NAME_SOCKET_TEXT_STREAM}});
}

/* ssc:textFileStream(directory): new files of a folder in durable storage. */
int sim_ctx_text_file_stream(lua_State *L) {
    const char *dir = luaL_checkstring(L, 2);
    if (!dir[0] || dir[0] == '/' || strstr(dir, ".."))
        return sim_lua_error(L, "textFileStream: the folder is a relative path in durable storage, without \"..\"");
    return input_stream(L, (eng_dstream){.kind = ENG_DS_FILES, .directory = keep(get_api(L), dir),
                                         .op = {.name = ENG_NAME_TEXT_FILE_STREAM}});
}

/* The topic of a Kafka call: the first of a list, or the keys of a table
 * {topic = threads}; it must be a declared kafka{}. */
static int kafka_topic(lua_State *L, int idx, const char *what) {
    luaL_checktype(L, idx, LUA_TTABLE);
    const char *topic = NULL;
    if (lua_rawgeti(L, idx, 1) == LUA_TSTRING) topic = lua_tostring(L, -1);
    lua_pop(L, 1);
    if (!topic) {
        sim_lua_push_sorted_keys(L, idx);
        if (lua_rawgeti(L, -1, 1) == LUA_TSTRING) topic = lua_tostring(L, -1);
        lua_pop(L, 2);
    }
    if (!topic) return sim_lua_error(L, "%s: name one topic", what), -1;
    int src = sim_source_by_topic(&sim_sources_inputs(L)->sources, topic);
    if (src < 0) sim_lua_error(L, "%s: no topic \"%s\" (declare kafka{ topic = \"%s\", ... })", what, topic, topic);
    return src;
}

/* KafkaUtils.createDirectStream(ssc, {"topic"}, kafkaParams): no receiver;
 * offset ranges per batch. Records are (key, value). */
static int kafka_direct(lua_State *L) {
    check_ds_context(L, 1, "KafkaUtils.createDirectStream");
    int src = kafka_topic(L, 2, "KafkaUtils.createDirectStream");
    int latest = 0;
    if (lua_istable(L, 3)) {
        lua_getfield(L, 3, "auto.offset.reset");
        const char *reset = lua_tostring(L, -1);
        latest = reset && (strcmp(reset, "largest") == 0 || strcmp(reset, "latest") == 0);
        lua_pop(L, 1);
    }
    return input_stream(L, (eng_dstream){.kind = ENG_DS_DIRECT, .source = src, .start_latest = latest,
                                         .op = {.name = ENG_NAME_CREATE_DIRECT_STREAM}});
}

/* KafkaUtils.createStream(ssc, zkQuorum, groupId, {topic = threads}
 * [, storageLevel]): a receiver in a consumer group. As KafkaUtils.createStream
 * passes WriteAheadLogUtils.enableReceiverLog(conf) to KafkaInputDStream,
 * whose getReceiver picks the receiver, it is a ReliableKafkaReceiver
 * (offsets committed once a block is stored) only with
 * spark.streaming.receiver.writeAheadLog.enable, else a KafkaReceiver whose
 * consumer auto-commits (engine/receiver.c). Source: external/kafka-0-8
 * KafkaUtils.scala, KafkaInputDStream.scala. */
static int kafka_receiver(lua_State *L) {
    check_ds_context(L, 1, "KafkaUtils.createStream");
    luaL_checkstring(L, 2);
    luaL_checkstring(L, 3);
    int src = kafka_topic(L, 4, "KafkaUtils.createStream");
    int replication = storage_replication(L, 5, "KafkaUtils.createStream");
    return input_stream(L, (eng_dstream){.kind = ENG_DS_RECEIVER, .source = src, .kafka = 1, .replication = replication,
                                         .op = {.name = ENG_NAME_CREATE_STREAM}});
}

static int list_of_streams(lua_State *L, int idx, int *ids, const char *what) {
    luaL_checktype(L, idx, LUA_TTABLE);
    int n = (int)lua_rawlen(L, idx);
    if (n < 1 || n > ENG_DSTREAM_PARENTS_MAX) sim_lua_error(L, "%s: give from 1 to %d DStreams", what, ENG_DSTREAM_PARENTS_MAX);
    for (int i = 0; i < n; i++) {
        lua_rawgeti(L, idx, i + 1);
        ids[i] = check_ds(L, -1, what)->id;
        lua_pop(L, 1);
    }
    return n;
}

int sim_ctx_union(lua_State *L) {
    int ids[ENG_DSTREAM_PARENTS_MAX];
    int n = list_of_streams(L, 2, ids, "union");
    node ps[ENG_DSTREAM_PARENTS_MAX];
    for (int i = 0; i < n; i++) ps[i] = (node){0, ids[i], NULL};
    eng_op op = {.kind = ENG_OP_UNION, .name = ENG_NAME_UNION};
    return push_node(L, apply(L, &op, ps, n, ENG_DS_OP, NULL));
}

int sim_ctx_transform(lua_State *L) {
    int ids[ENG_DSTREAM_PARENTS_MAX];
    int n = list_of_streams(L, 2, ids, "transform");
    return transform_of(L, ids, n, check_fn(L, 3, "transform"));
}

/* ---- registration --------------------------------------------------------------------- */

static const luaL_Reg common_methods[] = {
    {"keys", m_keys},
    {"values", m_values},
    {"repartition", m_repartition},
    {"union", m_union},
    {"reduceByKey", m_reduce_by_key},
    {"groupByKey", m_group_by_key},
    {"combineByKey", m_combine_by_key},
    {"count", r_count},
    {"reduce", m_reduce},
    {"countByValue", m_count_by_value},
    {"cogroup", m_cogroup},
    {"join", m_join},
    {"leftOuterJoin", m_left_outer_join},
    {"rightOuterJoin", m_right_outer_join},
    {"fullOuterJoin", m_full_outer_join},
    {NULL, NULL},
};

static const luaL_Reg dstream_methods[] = {
    {"window", m_window},
    {"reduceByKeyAndWindow", m_reduce_by_key_and_window},
    {"reduceByWindow", m_reduce_by_window},
    {"countByWindow", m_count_by_window},
    {"countByValueAndWindow", m_count_by_value_and_window},
    {"groupByKeyAndWindow", m_group_by_key_and_window},
    {"updateStateByKey", m_update_state_by_key},
    {"mapWithState", m_map_with_state},
    {"stateSnapshots", m_state_snapshots},
    {"checkpoint", m_checkpoint},
    {"slice", m_slice},
    {"persist", m_persist},
    {"cache", m_persist},
    {"transform", m_transform},
    {"transformWith", m_transform_with},
    {"print", m_print},
    {"pprint", m_print},
    {"foreachRDD", m_foreach_rdd},
    {"saveAsTextFiles", m_save_as_text_files},
    {NULL, NULL},
};

static const luaL_Reg rdd_methods[] = {
    {"collect", r_collect},
    {"take", r_take},
    {"first", r_first},
    {"isEmpty", r_is_empty},
    {"getNumPartitions", r_num_partitions},
    {NULL, NULL},
};

/* A metatable whose __index is a method table, and a __name for messages. */
static void new_class(lua_State *L, const char *meta, const luaL_Reg *a, const luaL_Reg *b) {
    luaL_newmetatable(L, meta);
    lua_newtable(L);
    luaL_setfuncs(L, common_methods, 0);
    for (size_t i = 0; i < sizeof narrow_ops / sizeof narrow_ops[0]; i++) {
        lua_pushinteger(L, (lua_Integer)i);
        lua_pushcclosure(L, m_narrow, 1);
        lua_setfield(L, -2, narrow_ops[i].method);
    }
    if (a) luaL_setfuncs(L, a, 0);
    if (b) luaL_setfuncs(L, b, 0);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
}

/* KafkaUtils.* take the StreamingContext first. */
void check_ds_context(lua_State *L, int idx, const char *what) {
    if (!luaL_testudata(L, idx, "streamlab.StreamingContext"))
        sim_lua_error(L, "%s: the first argument must be the StreamingContext", what);
}

void sim_stream_api_open(sim_lua *sl, eng_program *program, const eng_cluster_conf *conf) {
    lua_State *L = sl->L;
    api *a = lua_newuserdatauv(L, sizeof *a, 0);
    *a = (api){.sl = sl, .program = program, .conf = conf};
    lua_setfield(L, LUA_REGISTRYINDEX, API_KEY);
    new_class(L, DSTREAM_META, dstream_methods, NULL);
    new_class(L, RDD_META, rdd_methods, NULL);
    luaL_newmetatable(L, COLLECTION_META);
    lua_pop(L, 1);
    luaL_newmetatable(L, SC_META);
    lua_pushcfunction(L, sc_index);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    luaL_newmetatable(L, BUILTIN_META);
    lua_pushcfunction(L, builtin_call);
    lua_setfield(L, -2, "__call");
    lua_pop(L, 1);
    /* built-ins as globals: add, sub, min, max (over math's? no: globals), words, ... */
    static const uint32_t globals[] = {ENG_FN_ADD, ENG_FN_SUB, ENG_FN_WORDS, ENG_FN_PAIR_ONE, ENG_FN_TO_STRING};
    for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++) {
        int *b = lua_newuserdatauv(L, sizeof *b, 0);
        *b = (int)globals[i];
        luaL_setmetatable(L, BUILTIN_META);
        lua_setglobal(L, eng_builtin_name(globals[i]));
    }
    static const luaL_Reg spec_methods[] = {{"initialState", spec_initial_state},
                                            {"numPartitions", spec_num_partitions},
                                            {"timeout", spec_timeout},
                                            {NULL, NULL}};
    luaL_newmetatable(L, SPEC_META);
    lua_newtable(L);
    luaL_setfuncs(L, spec_methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    static const luaL_Reg state_methods[] = {{"exists", state_exists},     {"get", state_get},
                                             {"update", state_update},     {"remove", state_remove},
                                             {"isTimingOut", state_is_timing_out}, {NULL, NULL}};
    luaL_newmetatable(L, STATE_META);
    lua_newtable(L);
    luaL_setfuncs(L, state_methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    lua_newtable(L);
    /* StateSpec.function(f) is Spark's name, but `function` is a Lua keyword:
     * StateSpec["function"](f) works, and StateSpec.func(f) reads better */
    lua_pushcfunction(L, spec_function);
    lua_setfield(L, -2, "function");
    lua_pushcfunction(L, spec_function);
    lua_setfield(L, -2, "func");
    lua_setglobal(L, "StateSpec");
    lua_newtable(L);
    for (size_t i = 0; STORAGE_LEVELS[i]; i++) {
        lua_pushstring(L, STORAGE_LEVELS[i]);
        lua_setfield(L, -2, STORAGE_LEVELS[i]);
    }
    lua_setglobal(L, "StorageLevel");
    static const luaL_Reg kafka_utils[] = {{"createDirectStream", kafka_direct}, {"createStream", kafka_receiver},
                                           {NULL, NULL}};
    luaL_newlib(L, kafka_utils);
    lua_setglobal(L, "KafkaUtils");
    /* min and max would hide nothing of Lua's (math.min stays); as globals
     * they are the built-ins, usable in reduceByKey(max). */
    static const uint32_t minmax[] = {ENG_FN_MIN, ENG_FN_MAX};
    for (size_t i = 0; i < 2; i++) {
        int *b = lua_newuserdatauv(L, sizeof *b, 0);
        *b = (int)minmax[i];
        luaL_setmetatable(L, BUILTIN_META);
        lua_setglobal(L, eng_builtin_name(minmax[i]));
    }
}

/* Pushes the SparkContext object (ssc.sparkContext). */
void sim_stream_push_spark_context(lua_State *L) {
    lua_newuserdatauv(L, 1, 0);
    luaL_setmetatable(L, SC_META);
}

/* ---- the host side of the engine's calls ---------------------------------------------- */

static int fn_location(lua_State *L, char *buf, size_t n) {
    lua_Debug ar;
    lua_pushvalue(L, -1);
    if (lua_getinfo(L, ">S", &ar) && ar.linedefined > 0) {
        snprintf(buf, n, "%s:%d", ar.source[0] == '@' ? ar.source + 1 : ar.short_src, ar.linedefined);
        return 0;
    }
    snprintf(buf, n, "?");
    return 0;
}

int sim_host_call(void *ud, const eng_fn *fn, const eng_value *args, int nargs, eng_arena *arena, eng_value *out,
                  char *err, size_t errlen) {
    sim_host *h = ud;
    lua_State *L = h->lua->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, fn->ref);
    char where[512];
    fn_location(L, where, sizeof where);
    for (int i = 0; i < nargs; i++) sim_lua_push_value(L, &args[i]);
    if (sim_lua_pcall(h->lua, nargs, 1, err, errlen)) return -1;
    char inner[512];
    int rc = sim_lua_to_value(L, -1, arena, out, inner, sizeof inner);
    lua_pop(L, 1);
    if (rc) snprintf(err, errlen, "%s: the function returned %s", where, inner);
    return rc;
}

static void begin_driver_call(api *a, void *driver, int64_t time_us, int in_transform) {
    a->driver = driver;
    a->time_us = time_us;
    a->in_transform = in_transform;
}

static void end_driver_call(api *a) {
    a->driver = NULL;
    a->in_transform = 0;
}

int sim_host_transform(void *ud, eng_transform_call *call, char *err, size_t errlen) {
    sim_host *h = ud;
    lua_State *L = h->lua->L;
    api *a = get_api(L);
    begin_driver_call(a, call->driver, call->time_us, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, call->fn->ref);
    for (int i = 0; i < call->nparents; i++) push_rdd(L, a, call->parents[i]);
    lua_pushinteger(L, call->time_us / 1000);
    int rc = sim_lua_pcall(h->lua, call->nparents + 1, 1, err, errlen);
    if (rc == 0) {
        call->result = NULL;
        if (!lua_isnil(L, -1)) {
            ud_rdd *u = luaL_testudata(L, -1, RDD_META);
            if (!u || u->driver != a->driver || u->time_us != a->time_us) {
                snprintf(err, errlen, "%s: the transform function must return an RDD of this batch, got %s",
                         call->fn->where ? call->fn->where : "?", luaL_typename(L, -1));
                rc = -1;
            } else {
                call->result = u->rdd;
            }
        }
        lua_pop(L, 1);
    }
    end_driver_call(a);
    return rc;
}

typedef struct out_state {
    int thread_ref;
    lua_State *co;
    int kind; /* the action it waits for */
} out_state;

void sim_host_abandon_output(void *ud, void *host_state) {
    sim_host *h = ud;
    out_state *st = host_state;
    if (!st) return;
    luaL_unref(h->lua->L, LUA_REGISTRYINDEX, st->thread_ref);
    free(st);
}

/* Pushes on co the value the suspended action returns. */
static int push_action_result(lua_State *co, const out_state *st, const eng_output_call *call) {
    switch (st->kind) {
    case ACT_COUNT:
        lua_pushinteger(co, call->count);
        return 1;
    case ACT_FIRST:
        if (call->nrows == 0) {
            lua_pushnil(co);
            return 1;
        }
        sim_lua_push_value(co, &call->rows[0]);
        return 1;
    case ACT_IS_EMPTY:
        lua_pushboolean(co, call->nrows == 0);
        return 1;
    default: {
        size_t n = call->nrows;
        if (st->kind == ACT_TAKE && call->take >= 0 && (size_t)call->take < n) n = (size_t)call->take;
        lua_createtable(co, (int)n, 0);
        for (size_t i = 0; i < n; i++) {
            sim_lua_push_value(co, &call->rows[i]);
            lua_rawseti(co, -2, (lua_Integer)i + 1);
        }
        return 1;
    }
    }
}

int sim_host_run_output(void *ud, eng_output_call *call, char *err, size_t errlen) {
    sim_host *h = ud;
    lua_State *L = h->lua->L;
    api *a = get_api(L);
    out_state *st = call->host_state;
    int nargs;
    begin_driver_call(a, call->driver, call->time_us, 0);
    if (!st) {
        st = calloc(1, sizeof *st);
        if (!st) {
            end_driver_call(a);
            snprintf(err, errlen, "foreachRDD: out of memory");
            return -1;
        }
        st->co = lua_newthread(L);
        st->thread_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        lua_rawgeti(st->co, LUA_REGISTRYINDEX, call->fn->ref);
        push_rdd(st->co, a, call->rdd);
        lua_pushinteger(st->co, call->time_us / 1000);
        nargs = 2;
    } else {
        call->take = a->pending_take;
        nargs = push_action_result(st->co, st, call);
    }
    int nres = 0;
    h->lua->memory_exceeded = 0;
    int status = lua_resume(st->co, L, nargs, &nres);
    int rc;
    if (status == LUA_YIELD) {
        lua_pop(st->co, nres);
        st->kind = a->pending_kind;
        call->action_rdd = a->pending_rdd;
        call->action = a->pending_action;
        call->take = a->pending_take;
        call->host_state = st;
        rc = 1;
    } else {
        if (status == LUA_OK) {
            rc = 0;
        } else {
            if (status == LUA_ERRMEM || h->lua->memory_exceeded)
                snprintf(err, errlen, "%s: memory limit of %zu MiB exceeded", h->lua->where, h->lua->memory_max >> 20);
            else
                snprintf(err, errlen, "%s", lua_type(st->co, -1) == LUA_TSTRING ? lua_tostring(st->co, -1)
                                                                                : "foreachRDD: error raised with a non-string value");
            rc = -1;
        }
        sim_host_abandon_output(h, st);
        call->host_state = NULL;
    }
    end_driver_call(a);
    return rc;
}

void sim_host_console(void *ud, const char *text) {
    sim_host *h = ud;
    if (h->console) fputs(text, h->console);
}

/* results.jsonl: {"output": i, "name": ..., "time_ms": t, "records": [...]} */
static void record(sim_host *h, int output, const eng_value *rows, size_t n) {
    if (!h->recorded || output < 0 || output >= h->program->output_count) return;
    sim_recorded *r = &h->recorded[output];
    if (!r->wanted) return;
    if (r->n == r->cap) {
        size_t c = r->cap ? r->cap * 2 : 16;
        eng_part *p = realloc(r->batches, c * sizeof *p);
        if (!p) return;
        r->batches = p;
        r->cap = c;
    }
    eng_part *p = &r->batches[r->n++];
    eng_part_init(p);
    for (size_t i = 0; i < n; i++) eng_part_push_copy(p, &rows[i]);
}

void sim_host_fini(sim_host *h) {
    sim_host_ss_fini(h);
    if (!h->recorded) return;
    for (int o = 0; o < h->program->output_count; o++) {
        for (size_t k = 0; k < h->recorded[o].n; k++) eng_part_fini(&h->recorded[o].batches[k]);
        free(h->recorded[o].batches);
    }
    free(h->recorded);
    h->recorded = NULL;
}

void sim_host_result(void *ud, int output, const char *name, int64_t time_us, const eng_value *rows, size_t n) {
    sim_host *h = ud;
    record(h, output, rows, n);
    if (!h->results || h->results_error) return;
    FILE *f = h->results;
    fprintf(f, "{\"output\":%d,\"name\":", output);
    if (name)
        fprintf(f, "\"%s\"", name);
    else
        fputs("null", f);
    fprintf(f, ",\"time_ms\":%" PRId64 ",\"records\":[", time_us / 1000);
    char small[512];
    for (size_t i = 0; i < n; i++) {
        if (i) fputc(',', f);
        size_t need = eng_value_json(&rows[i], small, sizeof small);
        if (need < sizeof small) {
            fwrite(small, 1, need, f);
        } else {
            char *big = malloc(need + 1);
            if (!big) {
                h->results_error = 1;
                return;
            }
            eng_value_json(&rows[i], big, need + 1);
            fwrite(big, 1, need, f);
            free(big);
        }
    }
    if (fputs("]}\n", f) == EOF) h->results_error = 1;
}
