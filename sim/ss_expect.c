/* sim/ss_expect.c — expect{ query = ... }: a Structured Streaming query's
 * sink rows and progress against the scenario's expectations.
 *   new_rows   = { {by = "2900ms", rows = {...}}, ... }: the rows of the
 *                batches the sink took in (previous by, by], as a multiset
 *                (Spark's CheckNewAnswer);
 *   last_batch = { {by = ..., rows = {...}}, ... }: the rows of the last
 *                batch taken by then (CheckLastBatch);
 *   progress   = { {by = ..., numRowsTotal = 2, watermark = 5000, ...}, ... }:
 *                fields of the last progress report by then. */
#include "ss_expect.h"

#include <inttypes.h>
#include <jansson.h>
#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/ss_sink.h"
#include "duration.h"

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The expected row (a Lua table at the top of L) as the sink's JSON. */
static char *expected_row(lua_State *L, const eng_ss_query *q) {
    eng_value items[ENG_SQL_COLS_MAX], windows[ENG_SQL_COLS_MAX][2];
    for (int c = 0; c < q->out.ncols; c++) {
        lua_getfield(L, -1, q->out.names[c]);
        eng_value v = eng_nil();
        uint32_t t = q->out.types[c];
        if (t == ENG_SQL_WINDOW && lua_istable(L, -1)) {
            lua_getfield(L, -1, "start");
            lua_getfield(L, -2, "end");
            windows[c][0] = eng_int((int64_t)lua_tointeger(L, -2) * 1000);
            windows[c][1] = eng_int((int64_t)lua_tointeger(L, -1) * 1000);
            lua_pop(L, 2);
            v = (eng_value){.type = ENG_V_TUPLE, .len = 2, .as.items = windows[c]};
        } else if (lua_isinteger(L, -1)) {
            int64_t i = (int64_t)lua_tointeger(L, -1);
            v = t == ENG_SQL_TIMESTAMP ? eng_int(i * 1000) : t == ENG_SQL_DOUBLE ? eng_double((double)i) : eng_int(i);
        } else if (lua_isnumber(L, -1)) {
            double d = lua_tonumber(L, -1);
            v = t == ENG_SQL_LONG && d == floor(d) ? eng_int((int64_t)d) : eng_double(d);
        } else if (lua_type(L, -1) == LUA_TSTRING) {
            size_t len;
            const char *s = lua_tolstring(L, -1, &len);
            v = (eng_value){.type = ENG_V_STR, .len = (uint32_t)len, .as.s = s};
        } else if (lua_isboolean(L, -1)) {
            v = eng_bool(lua_toboolean(L, -1));
        }
        items[c] = v;
        lua_pop(L, 1);
    }
    eng_value row = {.type = ENG_V_TUPLE, .len = (uint32_t)q->out.ncols, .as.items = items};
    eng_sbuf b = {0};
    eng_ss_row_json(&q->out, &row, &b);
    return b.data;
}

static void print_rows(FILE *f, char **rows, size_t n) {
    fputc('[', f);
    for (size_t i = 0; i < n; i++) fprintf(f, "%s%s", i ? ", " : "", rows[i]);
    fputc(']', f);
}

static int compare_rows(const sim_expect *e, const char *by, char **got, size_t ngot, char **want, size_t nwant) {
    if (ngot) qsort(got, ngot, sizeof *got, cmp_str);
    if (nwant) qsort(want, nwant, sizeof *want, cmp_str);
    int ok = ngot == nwant;
    for (size_t i = 0; ok && i < ngot; i++) ok = strcmp(got[i], want[i]) == 0;
    if (!ok) {
        fprintf(stderr, "%s: expectation failed: query %s by %s: expected ", e->where, e->query, by);
        print_rows(stderr, want, nwant);
        fputs(", got ", stderr);
        print_rows(stderr, got, ngot);
        fputc('\n', stderr);
    }
    return ok;
}

static int check_progress(lua_State *L, const sim_expect *e, const char *by, const char *json) {
    json_t *p = json ? json_loads(json, 0, NULL) : NULL;
    json_t *st = p ? json_array_get(json_object_get(p, "stateOperators"), 0) : NULL;
    static const char *const fields[] = {"numRowsTotal", "numRowsUpdated", "numRowsDroppedByWatermark",
                                         "numRowsRemoved", "numInputRows", "watermark", "batchId", NULL};
    int ok = 1;
    for (int i = 0; fields[i]; i++) {
        if (lua_getfield(L, -1, fields[i]) == LUA_TNIL) {
            lua_pop(L, 1);
            continue;
        }
        int64_t want = (int64_t)lua_tointeger(L, -1);
        lua_pop(L, 1);
        json_t *v = !strcmp(fields[i], "watermark") ? json_object_get(p, "watermarkMs")
                    : (!strcmp(fields[i], "numInputRows") || !strcmp(fields[i], "batchId")) ? json_object_get(p, fields[i])
                                                                                             : json_object_get(st, fields[i]);
        if (!json_is_integer(v) || json_integer_value(v) != want) {
            ok = 0;
            char got[32] = "no report";
            if (json_is_integer(v)) snprintf(got, sizeof got, "%lld", (long long)json_integer_value(v));
            fprintf(stderr, "%s: expectation failed: query %s by %s: %s expected %" PRId64 ", got %s\n", e->where,
                    e->query, by, fields[i], want, got);
        }
    }
    json_decref(p);
    return ok;
}

int sim_ss_check_expect(const sim_scenario *sc, const sim_expect *e, const sim_host *h) {
    int qi = -1;
    for (int i = 0; i < sc->program.nqueries; i++)
        if (!strcmp(sc->program.queries[i]->name, e->query)) qi = i;
    if (qi < 0) {
        fprintf(stderr, "%s: expectation failed: no query named %s was started\n", e->where, e->query);
        return 0;
    }
    const eng_ss_query *q = sc->program.queries[qi];
    const sim_ss_record *r = h->ss ? &h->ss[qi] : NULL;
    lua_State *L = sc->lua->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->ref);
    const char *mode = lua_getfield(L, -1, "new_rows") != LUA_TNIL ? "new_rows" : NULL;
    if (!mode) {
        lua_pop(L, 1);
        mode = lua_getfield(L, -1, "last_batch") != LUA_TNIL ? "last_batch" : "progress";
        if (!strcmp(mode, "progress")) {
            lua_pop(L, 1);
            lua_getfield(L, -1, "progress");
        }
    }
    int ok = 1;
    int64_t prev_by = -1;
    for (lua_Integer k = 1; lua_rawgeti(L, -1, k) != LUA_TNIL; k++) {
        lua_getfield(L, -1, "by");
        const char *by = lua_tostring(L, -1);
        int64_t by_us = 0;
        char err[200];
        sim_duration_parse(by ? by : "0s", &by_us, err, sizeof err);
        char by_text[64];
        snprintf(by_text, sizeof by_text, "%s", by ? by : "?");
        lua_pop(L, 1);
        if (!strcmp(mode, "progress")) {
            const char *json = NULL;
            for (size_t i = 0; r && i < r->np; i++)
                if (r->progress[i].time_us <= by_us) json = r->progress[i].json;
            ok &= check_progress(L, e, by_text, json);
        } else {
            size_t ngot = 0, cap = 0;
            char **got = NULL;
            long last = -1;
            for (size_t i = 0; r && i < r->n; i++)
                if (r->deliveries[i].time_us <= by_us) last = (long)i;
            for (size_t i = 0; r && i < r->n; i++) {
                const sim_ss_delivery *d = &r->deliveries[i];
                int take = !strcmp(mode, "new_rows") ? (d->time_us > prev_by && d->time_us <= by_us) : (long)i == last;
                for (size_t j = 0; take && j < d->n; j++) {
                    if (ngot == cap) {
                        cap = cap ? cap * 2 : 16;
                        char **g = realloc(got, cap * sizeof *g);
                        if (!g) break;
                        got = g;
                    }
                    got[ngot++] = d->rows[j];
                }
            }
            lua_getfield(L, -1, "rows");
            size_t nwant = lua_istable(L, -1) ? lua_rawlen(L, -1) : 0;
            char **want = calloc(nwant + 1, sizeof *want);
            for (size_t i = 0; want && i < nwant; i++) {
                lua_rawgeti(L, -1, (lua_Integer)i + 1);
                want[i] = lua_istable(L, -1) ? expected_row(L, q) : NULL;
                if (!want[i]) {
                    eng_sbuf b = {0};
                    eng_sbuf_str(&b, "(not a row)");
                    want[i] = b.data;
                }
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
            ok &= compare_rows(e, by_text, got, ngot, want, nwant);
            for (size_t i = 0; want && i < nwant; i++) free(want[i]);
            free(want);
            free(got);
        }
        prev_by = by_us;
        lua_pop(L, 1);
    }
    lua_pop(L, 3);
    return ok;
}
