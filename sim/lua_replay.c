/* sim/lua_replay.c — the replay source: a real dataset's rows arriving in
 * simulated time, with their own event time, so lateness is real.
 *
 *   spark.readStream:format("replay")
 *     :option("path", "data/usgs-earthquakes-2018/earthquakes.json")
 *     :option("format", "geojson")          -- csv (with a header), jsonl, geojson
 *     :option("columns", "time,updated,mag,net,type")
 *     :option("eventTime", "time")          -- a timestamp column (ms since the epoch, or text)
 *     :option("arrival", "updated")         -- arrive when this timestamp column says ...
 *     :option("speedup", 60)                -- ... compressed 60 times
 *     :load()
 *
 * Instead of an arrival column, an arrival model adds a delay to each row's
 * event time (in the data's own time, so "5 minutes" means rows up to about
 * 5 minutes late in event time; then compressed by the speedup):
 *     :option("delay", "exponential"):option("delayMean", "2 minutes")
 *     -- fixed (delayMean), uniform (0..delayMax), exponential (delayMean),
 *     -- lognormal (delayMedian, delaySigma); lateFraction: the share of rows
 *     -- delayed at all (default 1)
 * Row i arrives at start + (t_i - origin) / speedup, t_i its arrival column
 * (or event time + delay), origin the earliest event time of the file
 * (option "origin" in ms overrides it), start the option "start" (default
 * 0). The rows become a world log of one partition, in arrival order (ties
 * in file order), which the engine reads by offset: replayable, as Kafka.
 * The draws come from the scenario's seed and the file's path. */
#include "lua_replay.h"

#include <errno.h>
#include <jansson.h>
#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/ss.h"
#include "duration.h"
#include "lua_sources.h"
#include "lua_sandbox.h"
#include "rng.h"

#define REPLAY_BYTES_MAX ((size_t)256 << 20)

typedef struct replay_row {
    int64_t arrival_us;
    int64_t event_us; /* INT64_MIN: none */
    size_t order;
    eng_value row;
} replay_row;

static char *slurp(lua_State *L, const char *rel, size_t *len) {
    char path[4096], err[512];
    if (sim_lua_resolve_path(sim_lua_from(L), rel, path, sizeof path, err, sizeof err))
        sim_lua_error(L, "readStream:format(\"replay\"): %s", err);
    FILE *f = fopen(path, "rb");
    if (!f) sim_lua_error(L, "readStream:format(\"replay\"): cannot read %s: %s", rel, strerror(errno));
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 65536 + 1 > cap) {
            cap = cap ? cap * 2 : 1 << 20;
            if (cap > REPLAY_BYTES_MAX + 65536 + 1) {
                free(buf);
                fclose(f);
                sim_lua_error(L, "readStream:format(\"replay\"): %s is larger than %zu MiB", rel, REPLAY_BYTES_MAX >> 20);
            }
            char *p = realloc(buf, cap);
            if (!p) {
                free(buf);
                fclose(f);
                sim_lua_error(L, "out of memory");
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, 65536, f);
        n += got;
        if (got < 65536) break;
    }
    fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
}

/* ---- reading the records as JSON objects ------------------------------------------------- */

/* CSV with a header: each record as an object of strings. Quotes ("a,b", "a""b") are honoured. */
static json_t *csv_records(const char *text, size_t *bad) {
    json_t *out = json_array(), *header = NULL;
    const char *p = text;
    while (*p) {
        json_t *fields = json_array();
        char cell[4096];
        size_t k = 0;
        int quoted = 0, any = 0;
        while (*p && (quoted || (*p != '\n' && *p != '\r'))) {
            any = 1;
            if (*p == '"') {
                if (quoted && p[1] == '"') {
                    if (k + 1 < sizeof cell) cell[k++] = '"';
                    p += 2;
                    continue;
                }
                quoted = !quoted;
            } else if (*p == ',' && !quoted) {
                cell[k] = 0;
                json_array_append_new(fields, json_string(cell));
                k = 0;
            } else if (k + 1 < sizeof cell) {
                cell[k++] = *p;
            }
            p++;
        }
        cell[k] = 0;
        if (any) json_array_append_new(fields, json_string(cell));
        while (*p == '\r' || *p == '\n') p++;
        if (!any) {
            json_decref(fields);
            continue;
        }
        if (!header) {
            header = fields;
            continue;
        }
        if (json_array_size(fields) != json_array_size(header)) {
            (*bad)++;
            json_decref(fields);
            continue;
        }
        json_t *o = json_object();
        for (size_t i = 0; i < json_array_size(header); i++)
            json_object_set(o, json_string_value(json_array_get(header, i)), json_array_get(fields, i));
        json_array_append_new(out, o);
        json_decref(fields);
    }
    json_decref(header);
    return out;
}

static json_t *jsonl_records(const char *text, size_t *bad) {
    json_t *out = json_array();
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n) {
            json_t *o = json_loadb(p, n, 0, NULL);
            if (json_is_object(o))
                json_array_append_new(out, o);
            else {
                json_decref(o);
                (*bad)++;
            }
        }
        p += n + (nl != NULL);
    }
    return out;
}

/* GeoJSON: each feature's properties, its id, and longitude, latitude, depth. */
static json_t *geojson_records(const char *text, size_t *bad) {
    json_t *doc = json_loads(text, 0, NULL), *out = json_array();
    json_t *features = json_object_get(doc, "features");
    size_t i;
    json_t *f;
    json_array_foreach(features, i, f) {
        json_t *props = json_object_get(f, "properties");
        if (!json_is_object(props)) {
            (*bad)++;
            continue;
        }
        json_t *o = json_deep_copy(props);
        json_object_set(o, "id", json_object_get(f, "id"));
        json_t *c = json_object_get(json_object_get(f, "geometry"), "coordinates");
        json_object_set(o, "longitude", json_array_get(c, 0));
        json_object_set(o, "latitude", json_array_get(c, 1));
        json_object_set(o, "depth", json_array_get(c, 2));
        json_array_append_new(out, o);
    }
    if (!doc) (*bad)++;
    json_decref(doc);
    return out;
}

/* ---- typing the columns ------------------------------------------------------------------- */

/* A timestamp from a JSON value: a number is ms since the epoch; text is parsed. */
static int to_time_us(json_t *v, int64_t *us) {
    if (json_is_integer(v)) {
        *us = (int64_t)json_integer_value(v) * 1000;
        return 1;
    }
    if (json_is_real(v)) {
        *us = (int64_t)llround(json_real_value(v) * 1000.0);
        return 1;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        char *end;
        long long ms = strtoll(s, &end, 10);
        if (end != s && *end == 0) {
            *us = (int64_t)ms * 1000;
            return 1;
        }
        return eng_sql_parse_timestamp(s, us) == 0;
    }
    return 0;
}

static int is_int_text(const char *s) {
    char *end;
    errno = 0;
    strtoll(s, &end, 10);
    return end != s && *end == 0 && errno == 0;
}

static int is_num_text(const char *s) {
    char *end;
    strtod(s, &end);
    return end != s && *end == 0;
}

/* The type of a column over all records: long if every non-null value is an
 * integer, double if a number, else string. */
static uint32_t infer(json_t *records, const char *col) {
    int ints = 1, nums = 1, any = 0;
    size_t i;
    json_t *o;
    json_array_foreach(records, i, o) {
        json_t *v = json_object_get(o, col);
        if (!v || json_is_null(v) || (json_is_string(v) && !json_string_value(v)[0])) continue;
        any = 1;
        if (json_is_integer(v)) continue;
        if (json_is_real(v)) {
            ints = 0;
            continue;
        }
        if (json_is_string(v)) {
            const char *s = json_string_value(v);
            if (!is_int_text(s)) ints = 0;
            if (!is_num_text(s)) nums = 0;
            continue;
        }
        ints = nums = 0;
    }
    if (!any) return ENG_SQL_STRING;
    return ints ? ENG_SQL_LONG : nums ? ENG_SQL_DOUBLE : ENG_SQL_STRING;
}

static eng_value cell(eng_arena *a, json_t *v, uint32_t type) {
    if (!v || json_is_null(v)) return eng_nil();
    if (type == ENG_SQL_TIMESTAMP) {
        int64_t us;
        return to_time_us(v, &us) ? eng_int(us) : eng_nil();
    }
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    if (s && !s[0] && type != ENG_SQL_STRING) return eng_nil();
    switch (type) {
    case ENG_SQL_LONG:
        return json_is_integer(v) ? eng_int((int64_t)json_integer_value(v)) : s ? eng_int(strtoll(s, NULL, 10)) : eng_nil();
    case ENG_SQL_DOUBLE:
        return json_is_number(v) ? eng_double(json_number_value(v)) : s ? eng_double(strtod(s, NULL)) : eng_nil();
    default:
        if (s) return eng_cstr(a, s);
        if (json_is_boolean(v)) return eng_cstr(a, json_is_true(v) ? "true" : "false");
        char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        eng_value r = eng_cstr(a, t ? t : "");
        free(t);
        return r;
    }
}

/* ---- the arrival model --------------------------------------------------------------------- */

static double normal(sim_rng *r) { /* Box-Muller */
    double u1 = sim_rng_double(r), u2 = sim_rng_double(r);
    if (u1 < 1e-300) u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(2.0 * 3.14159265358979323846 * u2);
}

static int64_t opt_duration(lua_State *L, const char *v, const char *key) {
    int64_t us;
    char err[256];
    if (!v) return 0;
    if (sim_duration_parse(v, &us, err, sizeof err) || us < 0)
        sim_lua_error(L, "readStream:format(\"replay\"): option %s: %s", key, err);
    return us;
}

static int by_arrival(const void *a, const void *b) {
    const replay_row *x = a, *y = b;
    if (x->arrival_us != y->arrival_us) return x->arrival_us < y->arrival_us ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

int sim_replay_load(lua_State *L, const char *(*opt)(const void *ud, const char *key), const void *ud,
                    eng_ss_source *src, uint64_t seed) {
    const char *call = "readStream:format(\"replay\")";
    const char *rel = opt(ud, "path"), *format = opt(ud, "format"), *columns = opt(ud, "columns");
    const char *event = opt(ud, "eventTime"), *arrival = opt(ud, "arrival"), *delay = opt(ud, "delay");
    if (!rel) sim_lua_error(L, "%s: option path is missing", call);
    if (!event) sim_lua_error(L, "%s: option eventTime (the event-time column) is missing", call);
    if (arrival && delay) sim_lua_error(L, "%s: give either arrival (a column) or delay (a model), not both", call);
    if (!format) format = strstr(rel, ".csv") ? "csv" : strstr(rel, ".geojson") || strstr(rel, "earthquakes.json") ? "geojson" : "jsonl";
    double speedup = opt(ud, "speedup") ? strtod(opt(ud, "speedup"), NULL) : 1.0;
    if (!(speedup > 0) || speedup > 1e9) sim_lua_error(L, "%s: speedup must be a positive number", call);
    size_t len, bad = 0;
    char *text = slurp(L, rel, &len);
    json_t *records = !strcmp(format, "csv") ? csv_records(text, &bad)
                      : !strcmp(format, "geojson") ? geojson_records(text, &bad)
                      : !strcmp(format, "jsonl") ? jsonl_records(text, &bad) : NULL;
    free(text);
    if (!records) sim_lua_error(L, "%s: format is csv, jsonl or geojson, not \"%s\"", call, format);
    /* the columns: those named, or the first record's */
    eng_sql_schema *s = &src->schema;
    memset(s, 0, sizeof *s);
    char names[ENG_SQL_COLS_MAX][ENG_SQL_NAME_MAX];
    int n = 0;
    if (columns) {
        const char *p = columns;
        while (*p && n < ENG_SQL_COLS_MAX) {
            size_t k = strcspn(p, ",");
            snprintf(names[n++], ENG_SQL_NAME_MAX, "%.*s", (int)k, p);
            p += k + (p[k] == ',');
        }
    } else {
        const char *key;
        json_t *v;
        json_object_foreach(json_array_get(records, 0), key, v) if (n < ENG_SQL_COLS_MAX) snprintf(names[n++], ENG_SQL_NAME_MAX, "%s", key);
    }
    int ev_col = -1, arr_col = -1;
    const char *stamps = opt(ud, "timestamps"); /* other timestamp columns, comma-separated */
    for (int c = 0; c < n; c++) {
        uint32_t t;
        char needle[80];
        snprintf(needle, sizeof needle, ",%s,", names[c]);
        char hay[1100];
        snprintf(hay, sizeof hay, ",%s,", stamps ? stamps : "");
        int is_time = !strcmp(names[c], event) || (arrival && !strcmp(names[c], arrival)) || strstr(hay, needle);
        t = is_time ? ENG_SQL_TIMESTAMP : infer(records, names[c]);
        snprintf(s->names[c], ENG_SQL_NAME_MAX, "%s", names[c]);
        s->types[c] = (uint8_t)t;
        if (!strcmp(names[c], event)) ev_col = c;
        if (arrival && !strcmp(names[c], arrival)) arr_col = c;
    }
    s->ncols = n;
    if (ev_col < 0) sim_lua_error(L, "%s: the eventTime column %s is not among the columns", call, event);
    if (arrival && arr_col < 0) sim_lua_error(L, "%s: the arrival column %s is not among the columns", call, arrival);
    /* the world's log */
    sim_sources *ss = &sim_sources_inputs(L)->sources;
    if (ss->count >= SIM_SOURCES_MAX) sim_lua_error(L, "%s: too many sources", call);
    sim_source *ws = &ss->items[ss->count];
    memset(ws, 0, sizeof *ws);
    ws->kind = SIM_SOURCE_LOG;
    snprintf(ws->topic, sizeof ws->topic, "replay-%d", ss->count);
    ws->partitions = 1;
    ws->parts = calloc(1, sizeof *ws->parts);
    if (!ws->parts) sim_lua_error(L, "out of memory");
    eng_part_init(&ws->parts[0].rows);
    size_t nrec = json_array_size(records);
    replay_row *rows = calloc(nrec ? nrec : 1, sizeof *rows);
    if (!rows) sim_lua_error(L, "out of memory");
    /* origin: the earliest event time (or the option) */
    int64_t origin = INT64_MAX;
    if (opt(ud, "origin")) origin = strtoll(opt(ud, "origin"), NULL, 10) * 1000;
    for (size_t i = 0; i < nrec && !opt(ud, "origin"); i++) {
        int64_t us;
        if (to_time_us(json_object_get(json_array_get(records, i), event), &us) && us < origin) origin = us;
    }
    if (origin == INT64_MAX) origin = 0;
    int64_t start = opt_duration(L, opt(ud, "start"), "start");
    sim_rng rng;
    char stream[600];
    snprintf(stream, sizeof stream, "replay:%s", rel);
    sim_rng_init(&rng, seed, stream);
    double late_fraction = opt(ud, "lateFraction") ? strtod(opt(ud, "lateFraction"), NULL) : 1.0;
    int64_t dmean = opt_duration(L, opt(ud, "delayMean"), "delayMean");
    int64_t dmax = opt_duration(L, opt(ud, "delayMax"), "delayMax");
    int64_t dmedian = opt_duration(L, opt(ud, "delayMedian"), "delayMedian");
    double dsigma = opt(ud, "delaySigma") ? strtod(opt(ud, "delaySigma"), NULL) : 1.0;
    if (delay && strcmp(delay, "fixed") && strcmp(delay, "uniform") && strcmp(delay, "exponential") &&
        strcmp(delay, "lognormal") && strcmp(delay, "none"))
        sim_lua_error(L, "%s: delay is none, fixed, uniform, exponential or lognormal, not \"%s\"", call, delay);
    size_t kept = 0;
    for (size_t i = 0; i < nrec; i++) {
        json_t *o = json_array_get(records, i);
        eng_value items[ENG_SQL_COLS_MAX];
        for (int c = 0; c < n; c++) items[c] = cell(&ws->parts[0].rows.arena, json_object_get(o, names[c]), s->types[c]);
        int64_t t = items[ev_col].type == ENG_V_INT ? items[ev_col].as.i : origin;
        if (arr_col >= 0 && items[arr_col].type == ENG_V_INT) t = items[arr_col].as.i;
        if (delay && strcmp(delay, "none") && sim_rng_double(&rng) < late_fraction) {
            double d = 0;
            if (!strcmp(delay, "fixed")) d = (double)dmean;
            else if (!strcmp(delay, "uniform")) d = sim_rng_double(&rng) * (double)dmax;
            else if (!strcmp(delay, "exponential")) d = -log(1.0 - sim_rng_double(&rng)) * (double)dmean;
            else d = (double)dmedian * exp(dsigma * normal(&rng));
            t += (int64_t)d;
        }
        int64_t rel_us = t - origin;
        if (rel_us < 0) rel_us = 0;
        rows[kept].arrival_us = start + (int64_t)floor((double)rel_us / speedup);
        rows[kept].event_us = items[ev_col].type == ENG_V_INT ? items[ev_col].as.i : INT64_MIN;
        rows[kept].order = i;
        rows[kept].row = eng_seq(&ws->parts[0].rows.arena, ENG_V_TUPLE, items, (size_t)n);
        kept++;
    }
    json_decref(records);
    qsort(rows, kept, sizeof *rows, by_arrival);
    ws->parts[0].arrival_us = malloc((kept ? kept : 1) * sizeof *ws->parts[0].arrival_us);
    ws->parts[0].event_us = malloc((kept ? kept : 1) * sizeof *ws->parts[0].event_us);
    if (!ws->parts[0].arrival_us || !ws->parts[0].event_us) sim_lua_error(L, "out of memory");
    for (size_t i = 0; i < kept; i++) {
        eng_part_push(&ws->parts[0].rows, rows[i].row);
        ws->parts[0].arrival_us[i] = rows[i].arrival_us;
        ws->parts[0].event_us[i] = rows[i].event_us;
    }
    free(rows);
    src->kind = ENG_SRC_REPLAY;
    src->source = ss->count++;
    src->partitions = 1;
    snprintf(src->name, sizeof src->name, "Replay[%s]", rel);
    src->malformed = (int64_t)bad;
    src->records = (int64_t)kept;
    return 0;
}
