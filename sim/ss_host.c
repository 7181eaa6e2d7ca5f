/* sim/ss_host.c — see ss_host.h. */
#include "ss_host.h"

#include <inttypes.h>
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/ss_sink.h"
#include "lua_value.h"

#include <jansson.h>
#include <stdio.h>

static void hold(sim_ss_record *r, const eng_ss_query *q, const eng_value *rows, size_t n, char **texts);
static void held_clear(sim_ss_record *r);

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
    if (d->rows) hold(r, q, rows, n, d->rows);
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
        held_clear(r);
        free(r->held);
        for (size_t i = 0; i < r->nsaved; i++) free(r->saved[i]);
        free(r->saved);
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

/* ---- what each sink holds --------------------------------------------------------------- */

static void held_clear(sim_ss_record *r) {
    for (size_t i = 0; i < r->nheld; i++) {
        free(r->held[i].key);
        free(r->held[i].row);
    }
    r->nheld = 0;
}

static void held_put(sim_ss_record *r, const char *key, const char *row, int upsert) {
    if (upsert)
        for (size_t i = 0; i < r->nheld; i++)
            if (!strcmp(r->held[i].key, key)) {
                free(r->held[i].row);
                r->held[i].row = dup_text(row);
                return;
            }
    if (r->nheld == r->heldcap) {
        size_t cap = r->heldcap ? r->heldcap * 2 : 64;
        sim_ss_held *p = realloc(r->held, cap * sizeof *p);
        if (!p) return;
        r->held = p;
        r->heldcap = cap;
    }
    r->held[r->nheld++] = (sim_ss_held){dup_text(key), dup_text(row)};
}

/* A batch a console or memory sink took: what an observer now holds. */
static void hold(sim_ss_record *r, const eng_ss_query *q, const eng_value *rows, size_t n, char **texts) {
    if (q->sink != ENG_SINK_CONSOLE && q->sink != ENG_SINK_MEMORY) return;
    if (q->mode == ENG_MODE_COMPLETE) held_clear(r);
    eng_sql_schema keys = q->out;
    if (q->out_keys > 0) keys.ncols = q->out_keys;
    for (size_t i = 0; i < n; i++) {
        eng_sbuf k = {0};
        eng_ss_row_json(&keys, &rows[i], &k);
        held_put(r, k.data ? k.data : "", texts[i], q->mode == ENG_MODE_UPDATE);
        eng_sbuf_fini(&k);
    }
}

void sim_host_ss_driver_lost(sim_host *h) {
    for (int i = 0; h->ss && i < h->program->nqueries; i++)
        if (h->program->queries[i]->sink == ENG_SINK_MEMORY) held_clear(&h->ss[i]);
}

typedef struct lister {
    char **paths;
    size_t n, cap;
} lister;

static void list_each(void *ud, const char *path) {
    lister *l = ud;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **p = realloc(l->paths, cap * sizeof *p);
        if (!p) return;
        l->paths = p;
        l->cap = cap;
    }
    l->paths[l->n++] = dup_text(path);
}

static void lister_free(lister *l) {
    for (size_t i = 0; i < l->n; i++) free(l->paths[i]);
    free(l->paths);
}

static void list(const sim_ss_env *env, const char *prefix, lister *l) {
    memset(l, 0, sizeof *l);
    env->ops->storage_list(env->world, prefix, list_each, l);
}

/* Appends the lines of the file at path (rows as JSON) to the JSON array. */
static void file_rows(const sim_ss_env *env, const char *path, FILE *f, int *first) {
    const void *bytes;
    size_t len;
    int64_t lat;
    if (env->ops->storage_get(env->world, 0 + 1, path, &bytes, &len, &lat) != ENG_STORAGE_OK) return;
    const char *p = bytes, *end = p + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        if (n) {
            fprintf(f, "%s%.*s", *first ? "" : ",", (int)n, p);
            *first = 0;
        }
        p = nl ? nl + 1 : end;
    }
}

/* The part files a file sink's _spark_metadata lists (its readers see only those). */
static void file_sink_rows(const sim_ss_env *env, const eng_ss_query *q, FILE *f, int *first) {
    char prefix[400];
    snprintf(prefix, sizeof prefix, "%s/_spark_metadata/", q->path);
    lister l;
    list(env, prefix, &l);
    for (size_t i = 0; i < l.n; i++) {
        const void *bytes;
        size_t len;
        int64_t lat;
        if (env->ops->storage_get(env->world, 1, l.paths[i], &bytes, &len, &lat) != ENG_STORAGE_OK) continue;
        char *text = malloc(len + 1);
        if (!text) continue;
        memcpy(text, bytes, len);
        text[len] = 0;
        char *save = NULL;
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            json_t *o = json_loads(line, 0, NULL);
            const char *path = o ? json_string_value(json_object_get(o, "path")) : NULL;
            if (path) file_rows(env, path, f, first);
            json_decref(o);
        }
        free(text);
    }
    lister_free(&l);
}

int sim_host_ss_write_sinks(sim_host *h, const sim_ss_env *env, const char *dir) {
    const eng_program *p = h->program;
    if (!p || p->nqueries == 0) return 0;
    char path[4300];
    snprintf(path, sizeof path, "%s/sinks.jsonl", dir);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    static const char *const sinks[] = {"", "console", "memory", "file", "kv", "foreachBatch"};
    for (int qi = 0; qi < p->nqueries; qi++) {
        const eng_ss_query *q = p->queries[qi];
        const sim_ss_record *r = h->ss ? &h->ss[qi] : NULL;
        fprintf(f, "{\"query\":%d,\"name\":", qi);
        if (q->name[0]) fprintf(f, "\"%s\"", q->name); else fputs("null", f);
        fprintf(f, ",\"sink\":\"%s\",\"mode\":\"%s\",\"keys\":[", sinks[q->sink], eng_ss_mode_name(q->mode));
        for (int k = 0; q->mode != ENG_MODE_APPEND && k < q->out_keys; k++)
            fprintf(f, "%s\"%s\"", k ? "," : "", q->out.names[k]);
        fputs("],\"rows\":[", f);
        int first = 1;
        if (q->sink == ENG_SINK_CONSOLE || q->sink == ENG_SINK_MEMORY) {
            for (size_t i = 0; r && i < r->nheld; i++) {
                fprintf(f, "%s%s", first ? "" : ",", r->held[i].row);
                first = 0;
            }
        } else if (q->sink == ENG_SINK_FILE) {
            file_sink_rows(env, q, f, &first);
        } else if (q->sink == ENG_SINK_KV) {
            char prefix[300];
            snprintf(prefix, sizeof prefix, "%s/", q->path);
            lister l;
            list(env, prefix, &l);
            for (size_t i = 0; i < l.n; i++) file_rows(env, l.paths[i], f, &first);
            lister_free(&l);
        } else if (r) { /* foreachBatch: every file under the folders it saved to */
            lister all = {0};
            for (size_t s = 0; s < r->nsaved; s++) {
                char prefix[600];
                snprintf(prefix, sizeof prefix, "%s/", r->saved[s]);
                env->ops->storage_list(env->world, prefix, list_each, &all);
            }
            /* a folder saved twice is listed once */
            for (size_t i = 0; i < all.n; i++) {
                int dup = 0;
                for (size_t k = 0; k < i && !dup; k++) dup = !strcmp(all.paths[k], all.paths[i]);
                if (!dup) file_rows(env, all.paths[i], f, &first);
            }
            lister_free(&all);
        }
        fputs("]}\n", f);
    }
    return fclose(f) ? -1 : 0;
}

/* ---- foreachBatch's writes: batch_df:write():mode("append" | "overwrite"):save(path) ------ */

typedef struct batch_writer {
    sim_host *h;
    const sim_ss_env *env;
    int query;
    const eng_value *rows;
    size_t n;
    int overwrite;
    int64_t *latency_us;
    int live;
} batch_writer;

#define WRITER_META "streamlab.BatchWriter"

static batch_writer *check_writer(lua_State *L) {
    batch_writer *w = luaL_checkudata(L, 1, WRITER_META);
    if (!w->live) luaL_error(L, "this batch's writer is gone: use it inside foreachBatch only");
    return w;
}

static int writer_mode(lua_State *L) {
    batch_writer *w = check_writer(L);
    const char *m = luaL_checkstring(L, 2);
    if (strcmp(m, "append") && strcmp(m, "overwrite"))
        return luaL_error(L, "write():mode: streamlab writes \"append\" or \"overwrite\", not \"%s\"", m);
    w->overwrite = !strcmp(m, "overwrite");
    lua_settop(L, 1);
    return 1;
}

static int writer_format(lua_State *L) {
    check_writer(L);
    lua_settop(L, 1);
    return 1;
}

static void saved_folder(sim_ss_record *r, const char *path) {
    for (size_t i = 0; i < r->nsaved; i++)
        if (!strcmp(r->saved[i], path)) return;
    if (r->nsaved == r->savedcap) {
        size_t cap = r->savedcap ? r->savedcap * 2 : 16;
        char **p = realloc(r->saved, cap * sizeof *p);
        if (!p) return;
        r->saved = p;
        r->savedcap = cap;
    }
    r->saved[r->nsaved++] = dup_text(path);
}

static void delete_each(void *ud, const char *path) { list_each(ud, path); }

static int writer_save(lua_State *L) {
    batch_writer *w = check_writer(L);
    const char *path = luaL_checkstring(L, 2);
    if (!path[0] || strstr(path, "..")) return luaL_error(L, "write():save: \"%s\" is not a folder name", path);
    const eng_ss_query *q = w->h->program->queries[w->query];
    int64_t lat = 0;
    char prefix[600], file[700];
    snprintf(prefix, sizeof prefix, "%s/", path);
    if (w->overwrite) { /* the folder's old files go first */
        lister l = {0};
        w->env->ops->storage_list(w->env->world, prefix, delete_each, &l);
        for (size_t i = 0; i < l.n; i++) w->env->ops->storage_delete(w->env->world, ENG_NODE_DRIVER, l.paths[i], &lat);
        lister_free(&l);
        *w->latency_us += lat;
    }
    eng_sbuf b = {0};
    for (size_t i = 0; i < w->n; i++) {
        eng_ss_row_json(&q->out, &w->rows[i], &b);
        eng_sbuf_str(&b, "\n");
    }
    snprintf(file, sizeof file, "%s/part-%05lld.json", path, (long long)(++w->h->ss_saves));
    eng_storage_status st = w->env->ops->storage_put(w->env->world, ENG_NODE_DRIVER, file, b.data ? b.data : "", b.len, &lat);
    *w->latency_us += lat;
    eng_sbuf_fini(&b);
    if (st != ENG_STORAGE_OK) return luaL_error(L, "write():save: cannot write %s (storage status %d)", file, (int)st);
    saved_folder(&w->h->ss[w->query], path);
    return 0;
}

static int batch_write(lua_State *L) {
    batch_df *b = check_batch(L);
    lua_getiuservalue(L, 1, 1);
    return 1; /* the writer made with the batch */
    (void)b;
}

int sim_host_ss_foreach_batch(sim_host *h, const sim_ss_env *env, int query, const eng_fn *fn, int64_t batch_id,
                              const eng_value *rows, size_t n, int64_t *latency_us, char *err, size_t errlen) {
    lua_State *L = h->lua->L;
    if (!record_of(h, query)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (luaL_newmetatable(L, BATCH_META)) {
        static const luaL_Reg methods[] = {{"collect", batch_collect}, {"count", batch_count}, {"write", batch_write},
                                           {NULL, NULL}};
        lua_newtable(L);
        luaL_setfuncs(L, methods, 0);
        lua_setfield(L, -2, "__index");
    }
    lua_pop(L, 1);
    if (luaL_newmetatable(L, WRITER_META)) {
        static const luaL_Reg methods[] = {{"mode", writer_mode}, {"format", writer_format}, {"save", writer_save},
                                           {NULL, NULL}};
        lua_newtable(L);
        luaL_setfuncs(L, methods, 0);
        lua_setfield(L, -2, "__index");
    }
    lua_pop(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, fn->ref);
    batch_df *b = lua_newuserdatauv(L, sizeof *b, 1);
    *b = (batch_df){h->program->queries[query], rows, n, 1};
    luaL_setmetatable(L, BATCH_META);
    batch_writer *wr = lua_newuserdatauv(L, sizeof *wr, 0);
    *wr = (batch_writer){h, env, query, rows, n, 0, latency_us, 1};
    luaL_setmetatable(L, WRITER_META);
    lua_pushvalue(L, -1);
    int wref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_setiuservalue(L, -2, 1);
    lua_pushvalue(L, -1);
    int bref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushinteger(L, batch_id);
    int rc = sim_lua_pcall(h->lua, 2, 0, err, errlen);
    lua_rawgeti(L, LUA_REGISTRYINDEX, bref);
    ((batch_df *)lua_touserdata(L, -1))->live = 0;
    lua_pop(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, wref);
    ((batch_writer *)lua_touserdata(L, -1))->live = 0;
    lua_pop(L, 1);
    luaL_unref(L, LUA_REGISTRYINDEX, bref);
    luaL_unref(L, LUA_REGISTRYINDEX, wref);
    return rc;
}

