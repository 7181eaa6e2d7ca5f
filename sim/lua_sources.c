/* sim/lua_sources.c — what a scenario says feeds its cluster.
 *
 *   netcat{ port = 9999, file = "data/lines.txt", rate = 50 }
 *       a socket feeder, as `nc -lk 9999` fed line by line: line i arrives at
 *       start + i / rate seconds; or at arrival(line, i) seconds when an
 *       arrival function is given; with loop = true the lines repeat forever
 *       (or for count records). Read by ssc:socketTextStream("localhost", 9999).
 *   kafka{ topic = "events", partitions = 3, lines = {...}, rate = 100 }
 *       a replayable log: record i goes to partition i mod partitions (or by
 *       its key, key = function(line) ... end, hashed as Kafka's murmur2).
 *       Read by KafkaUtils.createDirectStream / KafkaUtils.createStream.
 *   files{ dir = "incoming", name = "a.txt", at = "3s", lines = {...} }
 *       a file appearing in durable storage at a time (textFileStream).
 * Lines come from `lines` (a list of strings) or `file` (a text file,
 * relative to the scenario's folder and inside it).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "lua_args.h"
#include "lua_sandbox.h"
#include "lua_sources.h"
#include "lua_value.h"

#define SOURCES_KEY "streamlab.sources"
#define FILE_BYTES_MAX ((size_t)256 << 20)
#define LINES_MAX 10000000

static sim_scenario_inputs *inputs_of(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, SOURCES_KEY);
    sim_scenario_inputs *in = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return in;
}

/* The lines of `lines` or `file` of the table at 1, pushed as a Lua list. */
static void push_lines(lua_State *L, const char *call) {
    const char *file = NULL;
    sim_args_string(L, 1, call, "file", 0, &file);
    int has_lines = lua_getfield(L, 1, "lines") != LUA_TNIL;
    if (has_lines == (file != NULL)) sim_lua_error(L, "%s: give either lines = {...} or file = \"...\"", call);
    if (has_lines) {
        if (!lua_istable(L, -1)) sim_lua_error(L, "%s: lines must be a list of strings", call);
        return;
    }
    lua_pop(L, 1);
    sim_lua_push_file_lines(L, file, call);
}

void sim_lua_push_file_lines(lua_State *L, const char *file, const char *call) {
    sim_lua *sl = sim_lua_from(L);
    char path[4096], err[512];
    if (sim_lua_resolve_path(sl, file, path, sizeof path, err, sizeof err)) sim_lua_error(L, "%s: %s", call, err);
    FILE *f = fopen(path, "rb");
    if (!f) sim_lua_error(L, "%s: cannot read %s: %s", call, file, strerror(errno));
    lua_newtable(L);
    luaL_Buffer b;
    lua_Integer n = 0;
    size_t total = 0;
    luaL_buffinit(L, &b);
    int c, pending = 0;
    /* one line at a time; \r\n and \n both end a line; a last line without \n counts */
    while ((c = fgetc(f)) != EOF) {
        if (++total > FILE_BYTES_MAX) {
            fclose(f);
            sim_lua_error(L, "%s: %s is larger than %zu MiB", call, file, FILE_BYTES_MAX >> 20);
        }
        if (c == '\n') {
            luaL_pushresult(&b);
            size_t len;
            const char *s = lua_tolstring(L, -1, &len);
            if (len && s[len - 1] == '\r') {
                lua_pushlstring(L, s, len - 1);
                lua_remove(L, -2);
            }
            lua_rawseti(L, -2, ++n);
            if (n > LINES_MAX) {
                fclose(f);
                sim_lua_error(L, "%s: %s has more than %d lines", call, file, LINES_MAX);
            }
            luaL_buffinit(L, &b);
            pending = 0;
        } else {
            luaL_addchar(&b, (char)c);
            pending = 1;
        }
    }
    fclose(f);
    luaL_pushresult(&b);
    if (pending)
        lua_rawseti(L, -2, ++n);
    else
        lua_pop(L, 1);
}

/* Arrival time of item i (0-based) in us: start + i / rate, or the arrival
 * function's answer in seconds. The function, if any, is at index fn; its
 * optional second result is the item's event time in seconds since the
 * epoch, stored in *event_us (INT64_MIN when absent). */
static int64_t arrival_of(lua_State *L, int lines, lua_Integer i, int fn, double rate, int64_t start_us,
                          const char *call, int64_t *event_us) {
    *event_us = INT64_MIN;
    if (!fn) return start_us + (int64_t)floor((double)i * 1e6 / rate);
    lua_pushvalue(L, fn);
    lua_rawgeti(L, lines, i + 1);
    lua_pushinteger(L, i + 1);
    lua_call(L, 2, 2);
    if (!lua_isnumber(L, -2)) sim_lua_error(L, "%s: arrival must return seconds (a number), got %s", call, luaL_typename(L, -2));
    double sec = lua_tonumber(L, -2);
    if (!(sec >= 0 && sec < 1e9)) sim_lua_error(L, "%s: arrival returned %g seconds; it must be from 0 to 1e9", call, sec);
    if (!lua_isnil(L, -1)) {
        double ev = lua_tonumber(L, -1);
        if (!lua_isnumber(L, -1) || !(ev > -1e11 && ev < 1e11))
            sim_lua_error(L, "%s: arrival's second result is the record's event time in seconds since 1970; got %s",
                          call, luaL_tolstring(L, -1, NULL));
        *event_us = (int64_t)llround(ev * 1e6);
    }
    lua_pop(L, 2);
    return start_us + (int64_t)llround(sec * 1e6);
}

typedef struct timed {
    int64_t at;
    int64_t event_us; /* INT64_MIN: not given */
    lua_Integer index;
    int partition;
} timed;

static int by_time(const void *a, const void *b) {
    const timed *x = a, *y = b;
    if (x->at != y->at) return x->at < y->at ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Kafka's DefaultPartitioner: murmur2 of the key bytes, positive, mod n. */
static int kafka_partition(const char *key, size_t len, int n) {
    const uint32_t m = 0x5bd1e995;
    uint32_t h = 0x9747b28c ^ (uint32_t)len;
    size_t i = 0;
    for (; i + 4 <= len; i += 4) {
        uint32_t k = (uint32_t)(unsigned char)key[i] | (uint32_t)(unsigned char)key[i + 1] << 8 |
                     (uint32_t)(unsigned char)key[i + 2] << 16 | (uint32_t)(unsigned char)key[i + 3] << 24;
        k *= m;
        k ^= k >> 24;
        k *= m;
        h *= m;
        h ^= k;
    }
    switch (len - i) {
    case 3:
        h ^= (uint32_t)(unsigned char)key[i + 2] << 16;
        /* fall through */
    case 2:
        h ^= (uint32_t)(unsigned char)key[i + 1] << 8;
        /* fall through */
    case 1:
        h ^= (uint32_t)(unsigned char)key[i];
        h *= m;
    }
    h ^= h >> 13;
    h *= m;
    h ^= h >> 15;
    return (int)((h & 0x7fffffff) % (uint32_t)n);
}

/* Fills source src from the lines at index `lines`; records are the lines
 * (socket) or (key, line) pairs (log). */
static void fill(lua_State *L, sim_source *src, int lines, const char *call, int is_log) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, lines);
    if (n > LINES_MAX) sim_lua_error(L, "%s: more than %d records", call, LINES_MAX);
    double rate = 10;
    lua_getfield(L, 1, "rate");
    if (!lua_isnil(L, -1)) {
        if (!lua_isnumber(L, -1) || lua_tonumber(L, -1) <= 0 || lua_tonumber(L, -1) > 1e9)
            sim_lua_error(L, "%s: rate must be a number of records per second, from 0 to 1e9", call);
        rate = lua_tonumber(L, -1);
    }
    lua_pop(L, 1);
    int64_t start = 0;
    sim_args_duration(L, 1, call, "start", 0, &start);
    int fn = 0, keyfn = 0;
    if (lua_getfield(L, 1, "arrival") != LUA_TNIL) {
        if (!lua_isfunction(L, -1)) sim_lua_error(L, "%s: arrival must be a function(line, i) returning seconds", call);
        fn = lua_gettop(L);
    } else {
        lua_pop(L, 1);
    }
    if (is_log) {
        if (lua_getfield(L, 1, "key") != LUA_TNIL) {
            if (!lua_isfunction(L, -1)) sim_lua_error(L, "%s: key must be a function(line) returning the key", call);
            keyfn = lua_gettop(L);
        } else {
            lua_pop(L, 1);
        }
    }
    timed *order = malloc((size_t)(n ? n : 1) * sizeof *order);
    eng_value *keys = calloc((size_t)(n ? n : 1), sizeof *keys);
    eng_arena tmp;
    eng_arena_init(&tmp);
    if (!order || !keys) sim_lua_error(L, "%s: out of memory", call);
    char err[512];
    int has_event = 0;
    for (lua_Integer i = 0; i < n; i++) {
        int64_t event_us;
        order[i] = (timed){arrival_of(L, lines, i, fn, rate, start, call, &event_us), event_us, i, 0};
        has_event |= event_us != INT64_MIN;
        if (is_log) {
            if (keyfn) {
                lua_pushvalue(L, keyfn);
                lua_rawgeti(L, lines, i + 1);
                lua_call(L, 1, 1);
                if (sim_lua_to_value(L, -1, &tmp, &keys[i], err, sizeof err)) sim_lua_error(L, "%s: key: %s", call, err);
                lua_pop(L, 1);
            }
            if (keys[i].type == ENG_V_NIL) {
                order[i].partition = (int)(i % src->partitions);
            } else {
                char text[512];
                size_t len = eng_value_format(&keys[i], text, sizeof text);
                order[i].partition = kafka_partition(text, len < sizeof text ? len : sizeof text - 1, src->partitions);
            }
        }
    }
    qsort(order, (size_t)n, sizeof *order, by_time);
    /* each partition's arrival (and event) times, sized once for its records */
    for (int p = 0; p < src->partitions; p++) {
        sim_source_part *sp = &src->parts[p];
        size_t want = sp->rows.count + 1;
        for (lua_Integer k = 0; k < n; k++) want += order[k].partition == p;
        int64_t *t = realloc(sp->arrival_us, want * sizeof *t);
        if (!t) sim_lua_error(L, "%s: out of memory", call);
        sp->arrival_us = t;
        if (!has_event) continue;
        int64_t *e = realloc(sp->event_us, want * sizeof *e);
        if (!e) sim_lua_error(L, "%s: out of memory", call);
        sp->event_us = e;
    }
    for (lua_Integer k = 0; k < n; k++) {
        sim_source_part *sp = &src->parts[order[k].partition];
        lua_rawgeti(L, lines, order[k].index + 1);
        eng_value line;
        if (sim_lua_to_value(L, -1, &sp->rows.arena, &line, err, sizeof err))
            sim_lua_error(L, "%s: record %lld: %s", call, (long long)order[k].index + 1, err);
        lua_pop(L, 1);
        if (is_log) line = eng_pair(&sp->rows.arena, eng_value_copy(&sp->rows.arena, &keys[order[k].index]), line);
        size_t at = sp->rows.count;
        eng_part_push(&sp->rows, line);
        sp->arrival_us[at] = order[k].at;
        if (has_event) sp->event_us[at] = order[k].event_us;
    }
    free(order);
    free(keys);
    eng_arena_fini(&tmp);
}

static sim_source *new_source(lua_State *L, sim_scenario_inputs *in, const char *call, int partitions) {
    if (in->sources.count >= SIM_SOURCES_MAX) sim_lua_error(L, "%s: more than %d sources", call, SIM_SOURCES_MAX);
    sim_source *src = &in->sources.items[in->sources.count];
    memset(src, 0, sizeof *src);
    src->partitions = partitions;
    src->parts = calloc((size_t)partitions, sizeof *src->parts);
    if (!src->parts) sim_lua_error(L, "%s: out of memory", call);
    in->sources.count++;
    return src;
}

/* netcat{ ..., loop = true [, count = N] }: the lines over and over at the rate. */
static void fill_loop(lua_State *L, sim_source *src, int lines, const char *call) {
    lua_getfield(L, 1, "arrival");
    if (!lua_isnil(L, -1)) sim_lua_error(L, "%s: loop replays at a fixed rate; it takes no arrival function", call);
    lua_pop(L, 1);
    double rate = 10;
    lua_getfield(L, 1, "rate");
    if (!lua_isnil(L, -1)) {
        if (!lua_isnumber(L, -1) || lua_tonumber(L, -1) <= 0 || lua_tonumber(L, -1) > 1e9)
            sim_lua_error(L, "%s: rate must be a number of records per second, from 0 to 1e9", call);
        rate = lua_tonumber(L, -1);
    }
    lua_pop(L, 1);
    int64_t count = -1;
    sim_args_integer(L, 1, call, "count", 0, 0, INT64_MAX / 2, &count);
    src->loop = (sim_source_loop){.on = 1, .rate = rate, .count = count};
    sim_args_duration(L, 1, call, "start", 0, &src->loop.start_us);
    lua_Integer n = (lua_Integer)lua_rawlen(L, lines);
    if (n == 0) sim_lua_error(L, "%s: loop needs at least one line", call);
    char err[512];
    sim_source_part *sp = &src->parts[0];
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, lines, i);
        eng_value v;
        if (sim_lua_to_value(L, -1, &sp->rows.arena, &v, err, sizeof err))
            sim_lua_error(L, "%s: record %lld: %s", call, (long long)i, err);
        eng_part_push(&sp->rows, v);
        lua_pop(L, 1);
    }
}

static int api_netcat(lua_State *L) {
    static const char *const keys[] = {"port", "file", "lines", "rate", "start", "arrival", "loop", "count", NULL};
    const char *call = "netcat{}";
    sim_args_check_keys(L, 1, call, keys);
    sim_scenario_inputs *in = inputs_of(L);
    int64_t port;
    sim_args_integer(L, 1, call, "port", 1, 1, 65535, &port);
    if (sim_source_by_port(&in->sources, (int)port) >= 0) sim_lua_error(L, "%s: port %lld is taken", call, (long long)port);
    push_lines(L, call);
    int lines = lua_gettop(L);
    sim_source *src = new_source(L, in, call, 1);
    src->kind = SIM_SOURCE_SOCKET;
    src->port = (int)port;
    lua_getfield(L, 1, "loop");
    int loop = lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (loop)
        fill_loop(L, src, lines, call);
    else
        fill(L, src, lines, call, 0);
    return 0;
}

static int api_kafka(lua_State *L) {
    static const char *const keys[] = {"topic", "partitions", "file", "lines", "rate", "start", "arrival", "key", NULL};
    const char *call = "kafka{}";
    sim_args_check_keys(L, 1, call, keys);
    sim_scenario_inputs *in = inputs_of(L);
    const char *topic;
    sim_args_string(L, 1, call, "topic", 1, &topic);
    if (strlen(topic) >= sizeof in->sources.items[0].topic || !topic[0])
        sim_lua_error(L, "%s: topic must be 1 to 63 characters", call);
    if (sim_source_by_topic(&in->sources, topic) >= 0) sim_lua_error(L, "%s: topic \"%s\" is declared twice", call, topic);
    int64_t partitions = 1;
    sim_args_integer(L, 1, call, "partitions", 0, 1, SIM_SOURCE_PARTITIONS_MAX, &partitions);
    push_lines(L, call);
    int lines = lua_gettop(L);
    sim_source *src = new_source(L, in, call, (int)partitions);
    src->kind = SIM_SOURCE_LOG;
    snprintf(src->topic, sizeof src->topic, "%s", topic);
    fill(L, src, lines, call, 1);
    return 0;
}

static int api_files(lua_State *L) {
    static const char *const keys[] = {"dir", "name", "at", "file", "lines", NULL};
    const char *call = "files{}";
    sim_args_check_keys(L, 1, call, keys);
    sim_scenario_inputs *in = inputs_of(L);
    const char *dir, *name;
    int64_t at;
    sim_args_string(L, 1, call, "dir", 1, &dir);
    sim_args_string(L, 1, call, "name", 1, &name);
    sim_args_duration(L, 1, call, "at", 1, &at);
    if (strstr(dir, "..") || dir[0] == '/' || strchr(name, '/') || !name[0])
        sim_lua_error(L, "%s: dir is a relative folder in durable storage, name a file name", call);
    push_lines(L, call);
    if (in->nfiles >= SIM_INPUT_FILES_MAX) sim_lua_error(L, "%s: more than %d files", call, SIM_INPUT_FILES_MAX);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    lua_Integer n = (lua_Integer)lua_rawlen(L, -2);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, -2, i);
        if (!lua_isstring(L, -1)) sim_lua_error(L, "%s: lines[%lld] is not a string", call, (long long)i);
        luaL_addvalue(&b);
        luaL_addchar(&b, '\n');
    }
    luaL_pushresult(&b);
    size_t len;
    const char *text = lua_tolstring(L, -1, &len);
    sim_input_file *f = &in->files[in->nfiles];
    f->at_us = at;
    snprintf(f->path, sizeof f->path, "%s/%s", dir, name);
    f->bytes = malloc(len ? len : 1);
    if (!f->bytes) sim_lua_error(L, "%s: out of memory", call);
    memcpy(f->bytes, text, len);
    f->len = len;
    in->nfiles++;
    return 0;
}

void sim_sources_api_open(lua_State *L, sim_scenario_inputs *in) {
    lua_pushlightuserdata(L, in);
    lua_setfield(L, LUA_REGISTRYINDEX, SOURCES_KEY);
    lua_register(L, "netcat", api_netcat);
    lua_register(L, "kafka", api_kafka);
    lua_register(L, "files", api_files);
}

sim_scenario_inputs *sim_sources_inputs(lua_State *L) { return inputs_of(L); }

void sim_scenario_inputs_fini(sim_scenario_inputs *in) {
    sim_sources_fini(&in->sources);
    for (int i = 0; i < in->nfiles; i++) free(in->files[i].bytes);
    in->nfiles = 0;
}
