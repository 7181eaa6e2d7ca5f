/* sim/scenario.c — see scenario.h. The API functions a script calls. */
#include "scenario.h"

#include "lua_sql.h"

#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "lua_args.h"
#include "lua_stream.h"
#include "lua_value.h"
#include "trace.h"

/* lua_stream.c's StreamingContext methods and SparkContext object */
int sim_ctx_queue_stream(lua_State *L);
int sim_ctx_union(lua_State *L);
int sim_ctx_transform(lua_State *L);
int sim_ctx_socket_text_stream(lua_State *L);
int sim_ctx_text_file_stream(lua_State *L);
void sim_stream_push_spark_context(lua_State *L);

#define CONTEXT_META "streamlab.StreamingContext"

static sim_scenario *scenario_of(lua_State *L) { return lua_touserdata(L, lua_upvalueindex(1)); }

/* scenario{ name = "...", seed = 7, duration = "20s" } */
static int api_scenario(lua_State *L) {
    sim_scenario *sc = scenario_of(L);
    static const char *const keys[] = {"name", "seed", "duration", NULL};
    const char *call = "scenario{}";
    if (sc->declared) sim_lua_error(L, "%s: declared twice; a scenario file declares one run", call);
    sim_args_check_keys(L, 1, call, keys);
    const char *name;
    sim_args_string(L, 1, call, "name", 1, &name);
    if (strlen(name) >= sizeof sc->name) sim_lua_error(L, "%s: name is longer than %zu bytes", call, sizeof sc->name - 1);
    snprintf(sc->name, sizeof sc->name, "%s", name);
    int64_t seed = 0;
    sim_args_integer(L, 1, call, "seed", 0, 0, INT64_MAX, &seed);
    if (!sc->seed_overridden) sc->seed = (uint64_t)seed;
    sim_args_duration(L, 1, call, "duration", 1, &sc->duration_us);
    if (sc->duration_us <= 0) sim_lua_error(L, "%s: duration must be longer than 0", call);
    sc->declared = 1;
    /* math.random follows the scenario's seed from here on. */
    sim_rng_init(&sim_lua_from(L)->rng, sc->seed, "lua/math.random");
    return 0;
}

static sim_scenario *check_context(lua_State *L, const char *method) {
    if (!luaL_testudata(L, 1, CONTEXT_META))
        sim_lua_error(L, "StreamingContext:%s: call it with ':' on a StreamingContext (ssc:%s(...))", method, method);
    return *(sim_scenario **)lua_touserdata(L, 1);
}

static void validate_checkpoints(lua_State *L, sim_scenario *sc);

/* StreamingContext.start: DStreamGraph.validate refuses a graph without
 * output operations. */
static int ctx_start(lua_State *L) {
    sim_scenario *sc = check_context(L, "start");
    if (sc->started) sim_lua_error(L, "StreamingContext:start: the context has already been started");
    if (sc->program.output_count == 0)
        sim_lua_error(L, "StreamingContext:start: No output operations registered, so nothing to execute");
    validate_checkpoints(L, sc);
    sc->started = 1;
    return 0;
}

/* ssc:checkpoint(directory): a folder in durable storage. */
static int ctx_checkpoint(lua_State *L) {
    sim_scenario *sc = check_context(L, "checkpoint");
    const char *dir = luaL_checkstring(L, 2);
    if (!dir[0] || dir[0] == '/' || strstr(dir, ".."))
        return sim_lua_error(L, "StreamingContext:checkpoint: the directory is a relative folder in durable storage");
    size_t n = strlen(dir);
    char *copy = eng_arena_alloc(&sc->program.arena, n + 1);
    if (!copy) return sim_lua_error(L, "StreamingContext:checkpoint: out of memory");
    memcpy(copy, dir, n + 1);
    sc->program.checkpoint_dir = copy;
    return 0;
}

/* ssc:remember(duration): keep every DStream's RDDs at least this long. */
static int ctx_remember(lua_State *L) {
    sim_scenario *sc = check_context(L, "remember");
    sc->program.remember_us = sim_args_check_duration(L, 2, "StreamingContext:remember");
    return 0;
}

/* DStream.validateAtStart and initialize: stateful streams need a
 * checkpoint directory; their interval defaults to slide x ceil(10 s / slide). */
static void validate_checkpoints(lua_State *L, sim_scenario *sc) {
    eng_program *p = &sc->program;
    if (sc->cluster.receiver_wal && !p->checkpoint_dir && p->receiver_count > 0)
        sim_lua_error(L, "StreamingContext:start: Cannot enable receiver write-ahead log without checkpoint directory "
                         "set. Please use streamingContext.checkpoint() to set the checkpoint directory.");
    for (int i = 0; i < p->count; i++) {
        eng_dstream *d = &p->dstreams[i];
        if (d->kind == ENG_DS_QUEUE && p->checkpoint_dir)
            fprintf(stderr, "%s: warning: queueStream doesn't support checkpointing\n", d->where);
        if (!d->must_checkpoint) continue;
        if (!p->checkpoint_dir)
            sim_lua_error(L, "StreamingContext:start: requirement failed: The checkpoint directory has not been set. "
                             "Please set it by StreamingContext.checkpoint() (needed by the stream made at %s)",
                          d->where);
        if (!d->checkpoint_interval_us) {
            int64_t s = d->slide_us, ten = 10000000;
            d->checkpoint_interval_us = s * ((ten + s - 1) / s);
        }
    }
}

static int ctx_await_timeout(lua_State *L) {
    sim_scenario *sc = check_context(L, "awaitTerminationOrTimeout");
    int64_t us = sim_args_check_duration(L, 2, "StreamingContext:awaitTerminationOrTimeout");
    if (!sc->started) sim_lua_error(L, "StreamingContext:awaitTerminationOrTimeout: call ssc:start() first");
    if (sc->await_timeout_us < 0 || us < sc->await_timeout_us) sc->await_timeout_us = us;
    lua_pushboolean(L, 0);
    return 1;
}

static int ctx_await(lua_State *L) {
    sim_scenario *sc = check_context(L, "awaitTermination");
    if (!sc->started) sim_lua_error(L, "StreamingContext:awaitTermination: call ssc:start() first");
    return 0;
}

static int ctx_stop(lua_State *L) {
    check_context(L, "stop");
    return 0;
}

static int ctx_index(lua_State *L) {
    sim_scenario *sc = *(sim_scenario **)luaL_checkudata(L, 1, CONTEXT_META);
    const char *k = luaL_checkstring(L, 2);
    if (strcmp(k, "sparkContext") == 0) {
        lua_getiuservalue(L, 1, 1);
        return 1;
    }
    if (luaL_getmetafield(L, 1, "methods") != LUA_TNIL) {
        if (lua_getfield(L, -1, k) != LUA_TNIL) return 1;
    }
    (void)sc;
    return sim_lua_error(L, "StreamingContext has no field or method \"%s\"", k);
}

/* StreamingContext{ batchDuration = "1s", workers = 2, cores = 2, ... } */
static int api_streaming_context(lua_State *L) {
    sim_scenario *sc = scenario_of(L);
    static const char *const keys[] = {"batchDuration", "workers", "cores", "spark.streaming.blockInterval",
                                       "spark.executor.heartbeatInterval", "spark.default.parallelism", "cost",
                                       "spark.streaming.receiver.maxRate", "spark.streaming.kafka.maxRatePerPartition",
                                       "spark.streaming.backpressure.enabled",
                                       "spark.streaming.backpressure.initialRate", "spark.network.timeout",
                                       "spark.speculation", "spark.speculation.multiplier", "spark.speculation.quantile",
                                       "spark.streaming.receiver.writeAheadLog.enable",
                                       "spark.streaming.receiverRestartDelay", NULL};
    const char *call = "StreamingContext{}";
    if (!sc->declared) sim_lua_error(L, "%s: declare the run with scenario{ name=..., duration=... } first", call);
    if (sc->has_context)
        sim_lua_error(L, "%s: only one StreamingContext per scenario (the first is at %s)", call, sc->context_where);
    sim_args_check_keys(L, 1, call, keys);
    eng_cluster_conf *c = &sc->cluster;
    int64_t workers = 2, cores = 2;
    sim_args_duration(L, 1, call, "batchDuration", 1, &c->batch_interval_us);
    if (c->batch_interval_us <= 0) sim_lua_error(L, "%s: batchDuration must be longer than 0", call);
    sim_args_integer(L, 1, call, "workers", 0, 1, 63, &workers);
    sim_args_integer(L, 1, call, "cores", 0, 1, 1024, &cores);
    c->workers = (uint32_t)workers;
    c->cores = (uint32_t)cores;
    c->block_interval_us = ENG_DEFAULT_BLOCK_INTERVAL_US;
    sim_args_duration(L, 1, call, "spark.streaming.blockInterval", 0, &c->block_interval_us);
    if (c->block_interval_us <= 0) sim_lua_error(L, "%s: spark.streaming.blockInterval must be positive", call);
    c->heartbeat_interval_us = ENG_DEFAULT_HEARTBEAT_INTERVAL_US;
    sim_args_duration(L, 1, call, "spark.executor.heartbeatInterval", 0, &c->heartbeat_interval_us);
    if (c->heartbeat_interval_us <= 0)
        sim_lua_error(L, "%s: spark.executor.heartbeatInterval must be positive", call);
    /* spark.default.parallelism: max(total executor cores, 2) unless set
     * (CoarseGrainedSchedulerBackend.defaultParallelism). */
    int64_t parallelism = workers * cores > 2 ? workers * cores : 2;
    sim_args_integer(L, 1, call, "spark.default.parallelism", 0, 1, 100000, &parallelism);
    c->default_parallelism = (int32_t)parallelism;
    /* the simulator's cost model: cost = { taskLaunch = "2ms", perRecord = "2us" } */
    c->task_launch_us = ENG_DEFAULT_TASK_LAUNCH_US;
    c->record_cost_ns = ENG_DEFAULT_RECORD_COST_NS;
    if (lua_getfield(L, 1, "cost") != LUA_TNIL) {
        static const char *const cost_keys[] = {"taskLaunch", "perRecord", NULL};
        const char *cost_call = "StreamingContext{}: cost";
        sim_args_check_keys(L, -1, cost_call, cost_keys);
        sim_args_duration(L, -1, cost_call, "taskLaunch", 0, &c->task_launch_us);
        int64_t per_record_us;
        if (sim_args_duration(L, -1, cost_call, "perRecord", 0, &per_record_us)) c->record_cost_ns = per_record_us * 1000;
    }
    lua_pop(L, 1);
    sim_args_integer(L, 1, call, "spark.streaming.receiver.maxRate", 0, 0, INT64_MAX / 1000000, &c->receiver_max_rate);
    sim_args_integer(L, 1, call, "spark.streaming.kafka.maxRatePerPartition", 0, 0, INT64_MAX / 1000000,
                     &c->kafka_max_rate_per_partition);
    sim_args_integer(L, 1, call, "spark.streaming.backpressure.initialRate", 0, 0, INT64_MAX / 1000000,
                     &c->backpressure_initial_rate);
    sim_args_boolean(L, 1, call, "spark.streaming.backpressure.enabled", 0, &c->backpressure);
    c->network_timeout_us = ENG_DEFAULT_NETWORK_TIMEOUT_US;
    sim_args_duration(L, 1, call, "spark.network.timeout", 0, &c->network_timeout_us);
    c->receiver_restart_delay_us = ENG_DEFAULT_RECEIVER_RESTART_DELAY_US;
    sim_args_duration(L, 1, call, "spark.streaming.receiverRestartDelay", 0, &c->receiver_restart_delay_us);
    sim_args_boolean(L, 1, call, "spark.speculation", 0, &c->speculation);
    sim_args_boolean(L, 1, call, "spark.streaming.receiver.writeAheadLog.enable", 0, &c->receiver_wal);
    c->speculation_multiplier = ENG_DEFAULT_SPECULATION_MULTIPLIER;
    c->speculation_quantile = ENG_DEFAULT_SPECULATION_QUANTILE;
    sim_args_number(L, 1, call, "spark.speculation.multiplier", 0, 1, 100, &c->speculation_multiplier);
    sim_args_number(L, 1, call, "spark.speculation.quantile", 0, 0, 1, &c->speculation_quantile);
    c->program = &sc->program;
    sc->has_context = 1;
    sim_lua_where(L, sc->context_where, sizeof sc->context_where);

    sim_scenario **ud = lua_newuserdatauv(L, sizeof *ud, 1);
    *ud = sc;
    sim_stream_push_spark_context(L);
    lua_setiuservalue(L, -2, 1);
    luaL_setmetatable(L, CONTEXT_META);
    return 1;
}

/* narrate{ at = "12s", text = "..." } */
static int api_narrate(lua_State *L) {
    sim_scenario *sc = scenario_of(L);
    static const char *const keys[] = {"at", "text", NULL};
    const char *call = "narrate{}";
    sim_args_check_keys(L, 1, call, keys);
    int64_t at = 0;
    const char *text;
    sim_args_duration(L, 1, call, "at", 1, &at);
    sim_args_string(L, 1, call, "text", 1, &text);
    if (sc->narration_count >= SIM_SCENARIO_NARRATIONS_MAX)
        sim_lua_error(L, "%s: more than %d narrations", call, SIM_SCENARIO_NARRATIONS_MAX);
    if (!sc->narrations) sc->narrations = calloc(SIM_SCENARIO_NARRATIONS_MAX, sizeof *sc->narrations);
    char *copy = strdup(text);
    if (!sc->narrations || !copy) {
        free(copy);
        sim_lua_error(L, "%s: out of memory", call);
    }
    sc->narrations[sc->narration_count++] = (sim_narration){at, copy};
    return 0;
}

static sim_expect *new_expect(lua_State *L, sim_scenario *sc, const char *call) {
    if (sc->expect_count >= SIM_SCENARIO_EXPECTS_MAX)
        sim_lua_error(L, "%s: more than %d expectations", call, SIM_SCENARIO_EXPECTS_MAX);
    if (!sc->expects) sc->expects = calloc(SIM_SCENARIO_EXPECTS_MAX, sizeof *sc->expects);
    if (!sc->expects) sim_lua_error(L, "%s: out of memory", call);
    sim_expect *e = &sc->expects[sc->expect_count++];
    memset(e, 0, sizeof *e);
    sim_lua_where(L, e->where, sizeof e->where);
    return e;
}

/* expect{ recovery_max = "10s" }: every injected fault recovers within it. */
static void add_recovery_expect(lua_State *L, sim_scenario *sc, int64_t max_us) {
    sim_expect *e = new_expect(L, sc, "expect{}");
    e->kind = SIM_EXPECT_RECOVERY;
    e->count = max_us;
}

static void expect_events(lua_State *L, sim_scenario *sc, int events, const char *call) {
    sim_lua_push_sorted_keys(L, events);
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        const char *name = lua_tostring(L, -1);
        int type = lua_type(L, -1) == LUA_TSTRING ? sim_trace_type_from_name(name) : -1;
        if (type < 0) sim_lua_error(L, "%s: events: \"%s\" is not a trace event name", call, name ? name : "?");
        int64_t count;
        sim_args_integer(L, events, call, name, 1, 0, INT64_MAX, &count);
        sim_expect *e = new_expect(L, sc, call);
        e->kind = SIM_EXPECT_EVENTS;
        e->event_type = type;
        e->count = count;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static void expect_output(lua_State *L, sim_scenario *sc, const char *call) {
    int64_t output;
    sim_args_integer(L, 1, call, "output", 1, 0, ENG_PROGRAM_DSTREAMS_MAX, &output);
    if (lua_getfield(L, 1, "batches") != LUA_TTABLE)
        sim_lua_error(L, "%s: batches must be a list of lists of records, one list per batch", call);
    int batches = lua_gettop(L);
    lua_Integer n = (lua_Integer)lua_rawlen(L, batches);
    if (n > 100000) sim_lua_error(L, "%s: more than 100000 batches", call);
    sim_expect *e = new_expect(L, sc, call);
    e->kind = SIM_EXPECT_OUTPUT;
    e->output = (int)output;
    e->count = n;
    lua_getfield(L, 1, "unordered");
    e->unordered = lua_toboolean(L, -1);
    lua_pop(L, 1);
    e->batches = eng_arena_alloc(&sc->expect_arena, (size_t)(n ? n : 1) * sizeof *e->batches);
    if (!e->batches) sim_lua_error(L, "%s: out of memory", call);
    char err[512];
    for (lua_Integer k = 1; k <= n; k++) {
        eng_part *p = &e->batches[k - 1];
        eng_part_init(p);
        if (lua_rawgeti(L, batches, k) != LUA_TTABLE) sim_lua_error(L, "%s: batches[%lld] must be a list", call, (long long)k);
        lua_Integer m = (lua_Integer)lua_rawlen(L, -1);
        for (lua_Integer i = 1; i <= m; i++) {
            lua_rawgeti(L, -1, i);
            eng_value v;
            if (sim_lua_to_value(L, -1, &sc->expect_arena, &v, err, sizeof err))
                sim_lua_error(L, "%s: batches[%lld][%lld]: %s", call, (long long)k, (long long)i, err);
            eng_part_push(p, v);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* expect{ events = {...} } or expect{ output = i, batches = {...}, unordered = b } */
static int api_expect(lua_State *L) {
    sim_scenario *sc = scenario_of(L);
    static const char *const keys[] = {"events", "output", "batches", "unordered", "delivery", "recovery_max",
                                       "query", "new_rows", "last_batch", "progress", "error", NULL};
    const char *call = "expect{}";
    sim_args_check_keys(L, 1, call, keys);
    const char *error = NULL;
    if (sim_args_string(L, 1, call, "error", 0, &error)) {
        snprintf(sc->expect_error, sizeof sc->expect_error, "%s", error);
        return 0;
    }
    const char *query = NULL;
    if (sim_args_string(L, 1, call, "query", 0, &query)) {
        sim_expect *e = new_expect(L, sc, call);
        e->kind = SIM_EXPECT_QUERY;
        snprintf(e->query, sizeof e->query, "%s", query);
        int n = 0;
        static const char *const lists[] = {"new_rows", "last_batch", "progress"};
        for (int k = 0; k < 3; k++) {
            int t = lua_getfield(L, 1, lists[k]);
            if (t != LUA_TNIL && t != LUA_TTABLE) sim_lua_error(L, "%s: %s must be a list of { by = \"2s\", ... }", call, lists[k]);
            for (lua_Integer i = 1; t == LUA_TTABLE && lua_rawgeti(L, -1, i) != LUA_TNIL; i++) {
                if (!lua_istable(L, -1)) sim_lua_error(L, "%s: %s[%d] must be a table", call, lists[k], (int)i);
                int64_t by;
                sim_args_duration(L, lua_gettop(L), call, "by", 1, &by);
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
            n += t == LUA_TTABLE;
        }
        if (n != 1) sim_lua_error(L, "%s: with query = ..., give one of new_rows, last_batch or progress", call);
        lua_pushvalue(L, 1);
        e->ref = luaL_ref(L, LUA_REGISTRYINDEX);
        return 0;
    }
    int has_events = lua_getfield(L, 1, "events") != LUA_TNIL;
    if (has_events) {
        if (!lua_istable(L, -1)) sim_lua_error(L, "%s: events must be a table { name = count }", call);
        expect_events(L, sc, lua_gettop(L), call);
    }
    lua_pop(L, 1);
    lua_getfield(L, 1, "output");
    int has_output = !lua_isnil(L, -1);
    lua_pop(L, 1);
    if (has_output) expect_output(L, sc, call);
    /* delivery = "..." for every output, or { "...", "..." } one per output */
    int delivery = lua_getfield(L, 1, "delivery") != LUA_TNIL;
    if (delivery) {
        int list = lua_istable(L, -1);
        int n = list ? (int)lua_rawlen(L, -1) : 1;
        if (list && (n < 1 || n > 16)) sim_lua_error(L, "%s: delivery lists 1 to 16 outputs' deliveries", call);
        sc->expect_delivery[0] = 0;
        for (int k = 1; k <= n; k++) {
            if (list) lua_rawgeti(L, -1, k);
            const char *d = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
            static const char *const kinds[] = {"exactly-once", "at-least-once", "at-most-once", "broken"};
            int ok = 0;
            for (int i = 0; d && i < 4; i++) ok |= strcmp(d, kinds[i]) == 0;
            if (!ok)
                sim_lua_error(L, "%s: delivery is \"exactly-once\", \"at-least-once\", \"at-most-once\" or \"broken\", "
                                 "or a list of them, one per output", call);
            size_t len = strlen(sc->expect_delivery);
            snprintf(sc->expect_delivery + len, sizeof sc->expect_delivery - len, "%s%s", len ? "," : "", d);
            if (list) lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    int64_t recovery_max = -1;
    sim_args_duration(L, 1, call, "recovery_max", 0, &recovery_max);
    if (recovery_max >= 0) add_recovery_expect(L, sc, recovery_max);
    if (!has_events && !has_output && !delivery && recovery_max < 0)
        sim_lua_error(L, "%s: give events = {...}, output = i with batches = {...}, delivery = \"...\" or "
                         "recovery_max = \"10s\"", call);
    return 0;
}

/* StreamingContext{ ... } is StreamingContext's __call: the table comes first. */
static int api_streaming_context_call(lua_State *L) {
    lua_remove(L, 1);
    return api_streaming_context(L);
}

/* StreamingContext.getOrCreate(checkpointPath, createFn): createFn makes the
 * context and its DStream graph (the scenario's code, which a restarted
 * driver runs again); a driver started after a crash then restores from the
 * latest checkpoint under checkpointPath instead of starting anew (see
 * engine/recovery.c). createFn must set that directory with
 * ssc:checkpoint(checkpointPath), or nothing is ever checkpointed there. */
static int api_get_or_create(lua_State *L) {
    sim_scenario *sc = scenario_of(L);
    const char *call = "StreamingContext.getOrCreate";
    const char *dir = luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_call(L, 0, 1);
    if (!luaL_testudata(L, -1, CONTEXT_META))
        return sim_lua_error(L, "%s: createFn must return the StreamingContext it made", call);
    if (!sc->program.checkpoint_dir || strcmp(sc->program.checkpoint_dir, dir) != 0)
        return sim_lua_error(L, "%s: createFn's context must call ssc:checkpoint(\"%s\") (it %s%s%s)", call, dir,
                             sc->program.checkpoint_dir ? "uses \"" : "sets no checkpoint directory",
                             sc->program.checkpoint_dir ? sc->program.checkpoint_dir : "",
                             sc->program.checkpoint_dir ? "\"" : "");
    sc->program.get_or_create = 1;
    return 1;
}

static void register_api(lua_State *L, sim_scenario *sc) {
    static const luaL_Reg globals[] = {{"scenario", api_scenario},
                                       {"StreamingContext", api_streaming_context},
                                       {"narrate", api_narrate},
                                       {"expect", api_expect},
                                       {NULL, NULL}};
    lua_pushglobaltable(L);
    lua_pushlightuserdata(L, sc);
    luaL_setfuncs(L, globals, 1);
    lua_pop(L, 1);
    /* StreamingContext is a table: called, it makes a context; its
     * getOrCreate recovers one */
    lua_newtable(L);
    lua_pushlightuserdata(L, sc);
    lua_pushcclosure(L, api_get_or_create, 1);
    lua_setfield(L, -2, "getOrCreate");
    lua_newtable(L);
    lua_pushlightuserdata(L, sc);
    lua_pushcclosure(L, api_streaming_context_call, 1);
    lua_setfield(L, -2, "__call");
    lua_setmetatable(L, -2);
    lua_setglobal(L, "StreamingContext");

    static const luaL_Reg methods[] = {{"start", ctx_start},
                                       {"stop", ctx_stop},
                                       {"awaitTermination", ctx_await},
                                       {"awaitTerminationOrTimeout", ctx_await_timeout},
                                       {"queueStream", sim_ctx_queue_stream},
                                       {"union", sim_ctx_union},
                                       {"transform", sim_ctx_transform},
                                       {"socketTextStream", sim_ctx_socket_text_stream},
                                       {"checkpoint", ctx_checkpoint},
                                       {"remember", ctx_remember},
                                       {"textFileStream", sim_ctx_text_file_stream},
                                       {NULL, NULL}};
    luaL_newmetatable(L, CONTEXT_META);
    lua_pushcfunction(L, ctx_index);
    lua_setfield(L, -2, "__index");
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_setfield(L, -2, "methods");
    lua_pop(L, 1);
}

int sim_scenario_load(sim_scenario *sc, const char *path, const sim_scenario_opts *opts, char *err, size_t errlen) {
    memset(sc, 0, sizeof *sc);
    sc->await_timeout_us = -1;
    if (strlen(path) >= sizeof sc->path) {
        snprintf(err, errlen, "%.200s...: path too long", path);
        return -1;
    }
    snprintf(sc->path, sizeof sc->path, "%s", path);
    if (opts->seed_override) {
        sc->seed = opts->seed;
        sc->seed_overridden = 1;
    }
    sim_lua_opts lo = {.seed = sc->seed,
                       .instructions_max = opts->lua_instructions_max,
                       .memory_max = opts->lua_memory_max,
                       .script_path = path};
    sc->lua = sim_lua_new(&lo, err, errlen);
    if (!sc->lua) return -1;
    eng_program_init(&sc->program);
    sc->inputs = calloc(1, sizeof *sc->inputs);
    if (!sc->inputs) {
        snprintf(err, errlen, "out of memory");
        sim_scenario_fini(sc);
        return -1;
    }
    sim_sources_api_open(sc->lua->L, sc->inputs);
    sc->faults = calloc(1, sizeof *sc->faults);
    if (!sc->faults) {
        snprintf(err, errlen, "out of memory");
        sim_scenario_fini(sc);
        return -1;
    }
    sim_faults_api_open(sc->lua->L, sc->faults, &sc->seed);
    register_api(sc->lua->L, sc);
    sim_stream_api_open(sc->lua, &sc->program, &sc->cluster);
    sim_sql_api_open(sc->lua->L, sc);
    if (sim_lua_run_file(sc->lua, err, errlen)) {
        /* expect{ error = "..." }: the message after "file:line: " */
        const char *msg = err;
        for (int colons = 0; *msg && colons < 2; msg++) colons += *msg == ':';
        while (*msg == ' ') msg++;
        int expected = sc->expect_error[0] && strcmp(msg, sc->expect_error) == 0;
        if (expected) {
            char got[1200];
            snprintf(got, sizeof got, "expected error: %s", msg);
            snprintf(err, errlen, "%s", got);
        }
        sim_scenario_fini(sc);
        return expected ? -2 : -1;
    }
    if (sc->expect_error[0]) {
        snprintf(err, errlen, "%s: expectation failed: the script ran without the error it expects: %s", path,
                 sc->expect_error);
        sim_scenario_fini(sc);
        return -1;
    }
    if (!sc->declared) {
        snprintf(err, errlen, "%s:1: the scenario never declares its run: start it with scenario{ name = \"...\", "
                              "duration = \"20s\" }",
                 path);
        sim_scenario_fini(sc);
        return -1;
    }
    if (!sc->has_context) {
        snprintf(err, errlen, "%s: no StreamingContext{...} declared: nothing to run", path);
        sim_scenario_fini(sc);
        return -1;
    }
    if (sim_faults_check(sc->faults, sc->cluster.workers, err, errlen)) {
        sim_scenario_fini(sc);
        return -1;
    }
    return 0;
}

void sim_scenario_fini(sim_scenario *sc) {
    for (size_t i = 0; i < sc->narration_count; i++) free(sc->narrations[i].text);
    for (size_t i = 0; i < sc->expect_count; i++)
        for (int64_t k = 0; sc->expects[i].kind == SIM_EXPECT_OUTPUT && k < sc->expects[i].count; k++)
            free(sc->expects[i].batches[k].rows);
    eng_arena_fini(&sc->expect_arena);
    free(sc->narrations);
    free(sc->expects);
    sim_lua_free(sc->lua);
    eng_program_fini(&sc->program);
    if (sc->inputs) sim_scenario_inputs_fini(sc->inputs);
    free(sc->inputs);
    sc->inputs = NULL;
    free(sc->faults);
    sc->faults = NULL;
    sc->narrations = NULL;
    sc->expects = NULL;
    sc->lua = NULL;
    sc->narration_count = sc->expect_count = 0;
}

int64_t sim_scenario_end_us(const sim_scenario *sc) {
    if (sc->await_timeout_us >= 0 && sc->await_timeout_us < sc->duration_us) return sc->await_timeout_us;
    return sc->duration_us;
}
