/* sim/ss_host.c — see ss_host.h. */
#include "ss_host.h"

#include <inttypes.h>
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/ss_sink.h"
#include "lua_value.h"

static sim_ss_record *record_of(sim_host *h, int query) {
    const eng_program *p = h->program;
    if (!p || query < 0 || query >= p->nqueries) return NULL;
    if (!h->ss) {
        h->ss = calloc((size_t)p->nqueries, sizeof *h->ss);
        if (!h->ss) return NULL;
    }
    return &h->ss[query];
}

static char *dup_text(const char *s) {
    size_t n = strlen(s);
    char *p = malloc(n + 1);
    if (p) memcpy(p, s, n + 1);
    return p;
}

void sim_host_ss_result(sim_host *h, int query, int64_t batch_id, int64_t time_us, const eng_value *rows, size_t n) {
    sim_ss_record *r = record_of(h, query);
    if (!r) return;
    const eng_ss_query *q = h->program->queries[query];
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        sim_ss_delivery *d = realloc(r->deliveries, cap * sizeof *d);
        if (!d) return;
        r->deliveries = d;
        r->cap = cap;
    }
    sim_ss_delivery *d = &r->deliveries[r->n++];
    d->batch_id = batch_id;
    d->time_us = time_us;
    d->n = n;
    d->rows = calloc(n ? n : 1, sizeof *d->rows);
    for (size_t i = 0; d->rows && i < n; i++) {
        eng_sbuf b = {0};
        eng_ss_row_json(&q->out, &rows[i], &b);
        d->rows[i] = b.data ? b.data : dup_text("{}");
    }
    if (!h->results || h->results_error || !d->rows) return;
    FILE *f = h->results;
    fputs("{\"query\":", f);
    if (q->name[0])
        fprintf(f, "\"%s\"", q->name);
    else
        fputs("null", f);
    fprintf(f, ",\"batch_id\":%" PRId64 ",\"time_ms\":%" PRId64 ",\"rows\":[", batch_id, time_us / 1000);
    for (size_t i = 0; i < n; i++) fprintf(f, "%s%s", i ? "," : "", d->rows[i]);
    if (fputs("]}\n", f) == EOF) h->results_error = 1;
}

void sim_host_ss_progress(sim_host *h, int query, int64_t time_us, const char *json) {
    sim_ss_record *r = record_of(h, query);
    if (!r) return;
    if (r->np == r->pcap) {
        size_t cap = r->pcap ? r->pcap * 2 : 16;
        sim_ss_progress *p = realloc(r->progress, cap * sizeof *p);
        if (!p) return;
        r->progress = p;
        r->pcap = cap;
    }
    r->progress[r->np].time_us = time_us;
    r->progress[r->np].json = dup_text(json);
    r->np++;
}

void sim_host_ss_fini(sim_host *h) {
    if (!h->ss) return;
    for (int q = 0; q < h->program->nqueries; q++) {
        sim_ss_record *r = &h->ss[q];
        for (size_t i = 0; i < r->n; i++) {
            for (size_t k = 0; r->deliveries[i].rows && k < r->deliveries[i].n; k++) free(r->deliveries[i].rows[k]);
            free(r->deliveries[i].rows);
        }
        free(r->deliveries);
        for (size_t i = 0; i < r->np; i++) free(r->progress[i].json);
        free(r->progress);
    }
    free(h->ss);
    h->ss = NULL;
}

/* ---- foreachBatch ------------------------------------------------------------------------ */

typedef struct batch_df {
    const eng_ss_query *q;
    const eng_value *rows;
    size_t n;
    int live; /* only during the call */
} batch_df;

#define BATCH_META "streamlab.BatchDataFrame"

static void push_row(lua_State *L, const eng_sql_schema *s, const eng_value *row) {
    lua_createtable(L, 0, s->ncols);
    for (int c = 0; c < s->ncols && c < (int)row->len; c++) {
        const eng_value *v = &row->as.items[c];
        if (s->types[c] == ENG_SQL_TIMESTAMP && v->type == ENG_V_INT) {
            lua_pushinteger(L, v->as.i / 1000);
        } else if (s->types[c] == ENG_SQL_WINDOW && v->type == ENG_V_TUPLE && v->len == 2) {
            lua_createtable(L, 0, 2);
            lua_pushinteger(L, v->as.items[0].as.i / 1000);
            lua_setfield(L, -2, "start");
            lua_pushinteger(L, v->as.items[1].as.i / 1000);
            lua_setfield(L, -2, "end");
        } else {
            sim_lua_push_value(L, v);
        }
        lua_setfield(L, -2, s->names[c]);
    }
}

static batch_df *check_batch(lua_State *L) {
    batch_df *b = luaL_checkudata(L, 1, BATCH_META);
    if (!b->live) luaL_error(L, "this batch's DataFrame is gone: use it inside foreachBatch only");
    return b;
}

static int batch_collect(lua_State *L) {
    batch_df *b = check_batch(L);
    lua_createtable(L, (int)b->n, 0);
    for (size_t i = 0; i < b->n; i++) {
        push_row(L, &b->q->out, &b->rows[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int batch_count(lua_State *L) {
    batch_df *b = check_batch(L);
    lua_pushinteger(L, (lua_Integer)b->n);
    return 1;
}

int sim_host_ss_foreach_batch(sim_host *h, int query, const eng_fn *fn, int64_t batch_id, const eng_value *rows,
                              size_t n, char *err, size_t errlen) {
    lua_State *L = h->lua->L;
    if (luaL_newmetatable(L, BATCH_META)) {
        static const luaL_Reg methods[] = {{"collect", batch_collect}, {"count", batch_count}, {NULL, NULL}};
        lua_newtable(L);
        luaL_setfuncs(L, methods, 0);
        lua_setfield(L, -2, "__index");
    }
    lua_pop(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, fn->ref);
    batch_df *b = lua_newuserdatauv(L, sizeof *b, 0);
    *b = (batch_df){h->program->queries[query], rows, n, 1};
    luaL_setmetatable(L, BATCH_META);
    lua_pushvalue(L, -1);
    int bref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushinteger(L, batch_id);
    int rc = sim_lua_pcall(h->lua, 2, 0, err, errlen);
    lua_rawgeti(L, LUA_REGISTRYINDEX, bref);
    ((batch_df *)lua_touserdata(L, -1))->live = 0;
    lua_pop(L, 1);
    luaL_unref(L, LUA_REGISTRYINDEX, bref);
    return rc;
}
