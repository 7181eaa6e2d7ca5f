/* sim/lua_sql.c — the Structured Streaming API of scenarios, Spark's names
 * verbatim (see lua_sql.h). A DataFrame is a plan being built: each method
 * returns a new DataFrame with one more step, its columns resolved against
 * the schema of the step before (Spark's analyzer), so a misspelt column is
 * an error at the line that names it. start() checks what Spark's
 * UnsupportedOperationChecker checks and adds the query to the program. */
#include "lua_sql.h"

#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/ss.h"
#include "duration.h"
#include "lua_args.h"
#include "lua_replay.h"
#include "lua_value.h"

/* Names are cut to their fields on purpose (Spark's are shorter than these). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif

#define COL_META "streamlab.Column"
#define DF_META "streamlab.DataFrame"
#define GROUPED_META "streamlab.GroupedData"
#define WRITER_META "streamlab.DataStreamWriter"
#define READER_META "streamlab.DataStreamReader"
#define QUERY_META "streamlab.StreamingQuery"
#define MEMSTREAM_META "streamlab.MemoryStream"
#define SESSION_META "streamlab.SparkSession"
#define SQL_KEY "streamlab.sql"
#define COL_NODES 32

/* ---- state ------------------------------------------------------------------------ */

typedef struct sql_api {
    sim_scenario *sc;
    int has_session;
    int shuffle_partitions;
    int no_data_batches;
    int nmemory;
} sql_api;

static sql_api *get_sql(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, SQL_KEY);
    sql_api *a = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return a;
}

static const char *keep(lua_State *L, const char *s) { return eng_program_keep(&get_sql(L)->sc->program, s); }

/* ---- Column: an unresolved expression tree ----------------------------------------- */

typedef struct cnode {
    uint32_t kind;
    int16_t a, b;
    uint32_t cast;
    int32_t fn_ref;
    char name[64];   /* ENG_X_COL; ENG_X_FIELD: the field */
    eng_value lit;   /* ENG_X_LIT (strings in the program arena) */
    int64_t w[3];
} cnode;

typedef struct ud_col {
    int n, root;
    char alias[64];
    uint32_t agg;    /* an aggregate function: count, sum, ... over root (-1: count(*)) */
    cnode nodes[COL_NODES];
} ud_col;

static ud_col *new_col(lua_State *L) {
    ud_col *c = lua_newuserdatauv(L, sizeof *c, 0);
    memset(c, 0, sizeof *c);
    c->root = -1;
    luaL_setmetatable(L, COL_META);
    return c;
}

static int add_node(lua_State *L, ud_col *c, const cnode *n) {
    if (c->n >= COL_NODES) sim_lua_error(L, "column expression too deep (more than %d parts)", COL_NODES);
    c->nodes[c->n] = *n;
    return c->n++;
}

/* Copies src's nodes into dst; returns where src's root landed. */
static int graft(lua_State *L, ud_col *dst, const ud_col *src) {
    int base = dst->n;
    if (dst->n + src->n > COL_NODES) sim_lua_error(L, "column expression too deep (more than %d parts)", COL_NODES);
    for (int i = 0; i < src->n; i++) {
        cnode x = src->nodes[i];
        if (x.a >= 0) x.a = (int16_t)(x.a + base);
        if (x.b >= 0) x.b = (int16_t)(x.b + base);
        dst->nodes[dst->n++] = x;
    }
    return src->root + base;
}

/* The Column at idx: a Column, a column name (string), or a literal. */
static ud_col *to_col(lua_State *L, int idx, int strings_are_names) {
    idx = lua_absindex(L, idx);
    ud_col *c = luaL_testudata(L, idx, COL_META);
    if (c) return c;
    ud_col *n = new_col(L);
    cnode x = {.a = -1, .b = -1};
    if (lua_type(L, idx) == LUA_TSTRING && strings_are_names) {
        x.kind = ENG_X_COL;
        snprintf(x.name, sizeof x.name, "%s", lua_tostring(L, idx));
    } else {
        x.kind = ENG_X_LIT;
        char err[256];
        if (lua_type(L, idx) == LUA_TSTRING) x.lit = eng_cstr(&get_sql(L)->sc->program.arena, lua_tostring(L, idx));
        else if (sim_lua_to_value(L, idx, &get_sql(L)->sc->program.arena, &x.lit, err, sizeof err))
            sim_lua_error(L, "lit: %s", err);
    }
    n->root = add_node(L, n, &x);
    lua_replace(L, idx);
    return n;
}

static int push_unary(lua_State *L, uint32_t kind, int arg, int names) {
    ud_col *a = to_col(L, arg, names);
    ud_col *c = new_col(L);
    cnode x = {.kind = kind, .a = (int16_t)graft(L, c, a), .b = -1};
    c->root = add_node(L, c, &x);
    return 1;
}

static int push_binary(lua_State *L, uint32_t kind) {
    ud_col *a = to_col(L, 1, 0), *b = to_col(L, 2, 0);
    ud_col *c = new_col(L);
    cnode x = {.kind = kind};
    x.a = (int16_t)graft(L, c, a);
    x.b = (int16_t)graft(L, c, b);
    c->root = add_node(L, c, &x);
    return 1;
}

static int col_add(lua_State *L) { return push_binary(L, ENG_X_ADD); }
static int col_sub(lua_State *L) { return push_binary(L, ENG_X_SUB); }
static int col_mul(lua_State *L) { return push_binary(L, ENG_X_MUL); }
static int col_div(lua_State *L) { return push_binary(L, ENG_X_DIV); }
static int col_mod(lua_State *L) { return push_binary(L, ENG_X_MOD); }
static int col_eq(lua_State *L) { return push_binary(L, ENG_X_EQ); }
static int col_ne(lua_State *L) { return push_binary(L, ENG_X_NE); }
static int col_lt(lua_State *L) { return push_binary(L, ENG_X_LT); }
static int col_le(lua_State *L) { return push_binary(L, ENG_X_LE); }
static int col_gt(lua_State *L) { return push_binary(L, ENG_X_GT); }
static int col_ge(lua_State *L) { return push_binary(L, ENG_X_GE); }
static int col_and(lua_State *L) { return push_binary(L, ENG_X_AND); }
static int col_or(lua_State *L) { return push_binary(L, ENG_X_OR); }
static int col_not(lua_State *L) { return push_unary(L, ENG_X_NOT, 1, 0); }
static int col_is_null(lua_State *L) { return push_unary(L, ENG_X_IS_NULL, 1, 0); }
static int col_is_not_null(lua_State *L) { return push_unary(L, ENG_X_IS_NOT_NULL, 1, 0); }

static int col_alias(lua_State *L) {
    ud_col *src = luaL_checkudata(L, 1, COL_META);
    const char *name = luaL_checkstring(L, 2);
    ud_col *c = new_col(L);
    *c = *src;
    snprintf(c->alias, sizeof c->alias, "%s", name);
    return 1;
}

static uint32_t type_by_name(lua_State *L, const char *t) {
    if (!strcmp(t, "long") || !strcmp(t, "bigint") || !strcmp(t, "int") || !strcmp(t, "integer")) return ENG_SQL_LONG;
    if (!strcmp(t, "double") || !strcmp(t, "float")) return ENG_SQL_DOUBLE;
    if (!strcmp(t, "string")) return ENG_SQL_STRING;
    if (!strcmp(t, "timestamp")) return ENG_SQL_TIMESTAMP;
    if (!strcmp(t, "boolean")) return ENG_SQL_BOOL;
    sim_lua_error(L, "cast: unknown type \"%s\" (long, double, string, timestamp, boolean)", t);
    return 0;
}

static int col_cast(lua_State *L) {
    uint32_t t = type_by_name(L, luaL_checkstring(L, 2));
    push_unary(L, ENG_X_CAST, 1, 0);
    ud_col *c = lua_touserdata(L, -1);
    c->nodes[c->root].cast = t;
    return 1;
}

static int col_get_field(lua_State *L) {
    const char *f = luaL_checkstring(L, 2);
    if (strcmp(f, "start") && strcmp(f, "end")) sim_lua_error(L, "getField: a window has the fields start and end");
    push_unary(L, ENG_X_FIELD, 1, 0);
    ud_col *c = lua_touserdata(L, -1);
    snprintf(c->nodes[c->root].name, sizeof c->nodes[c->root].name, "%s", f);
    return 1;
}

/* ---- functions (globals) ------------------------------------------------------------ */

static int fn_col(lua_State *L) {
    luaL_checkstring(L, 1);
    to_col(L, 1, 1);
    lua_settop(L, 1);
    return 1;
}

static int fn_lit(lua_State *L) {
    luaL_checkany(L, 1);
    to_col(L, 1, 0);
    lua_settop(L, 1);
    return 1;
}

static int64_t duration_arg(lua_State *L, int idx, const char *call) {
    const char *s = luaL_checkstring(L, idx);
    int64_t us;
    char err[256];
    if (sim_duration_parse(s, &us, err, sizeof err))
        sim_lua_error(L, "%s: The provided interval (%s) did not correspond to a valid interval string", call, s);
    return us;
}

/* window(timeColumn, windowDuration [, slideDuration [, startTime]]): SEMANTICS.md 8.5. */
static int fn_window(lua_State *L) {
    int64_t len = duration_arg(L, 2, "window");
    int64_t slide = lua_isnoneornil(L, 3) ? len : duration_arg(L, 3, "window");
    int64_t start = lua_isnoneornil(L, 4) ? 0 : duration_arg(L, 4, "window");
    if (len <= 0) sim_lua_error(L, "window: The window duration (%lld us) must be greater than 0.", (long long)len);
    if (slide <= 0) sim_lua_error(L, "window: The slide duration (%lld us) must be greater than 0.", (long long)slide);
    if (slide > len)
        sim_lua_error(L, "window: The slide duration (%lld us) must be less than or equal to the windowDuration (%lld us).",
                      (long long)slide, (long long)len);
    if (llabs(start) >= slide)
        sim_lua_error(L, "window: The absolute value of start time (%lld us) must be less than the slideDuration (%lld us).",
                      (long long)start, (long long)slide);
    push_unary(L, ENG_X_WINDOW, 1, 1);
    ud_col *c = lua_touserdata(L, -1);
    c->nodes[c->root].w[0] = len;
    c->nodes[c->root].w[1] = slide;
    c->nodes[c->root].w[2] = start;
    return 1;
}

static int fn_timestamp_seconds(lua_State *L) { return push_unary(L, ENG_X_TIMESTAMP_SECONDS, 1, 1); }
static int fn_explode(lua_State *L) { return push_unary(L, ENG_X_EXPLODE, 1, 1); }
static int fn_lower(lua_State *L) { return push_unary(L, ENG_X_LOWER, 1, 1); }
static int fn_upper(lua_State *L) { return push_unary(L, ENG_X_UPPER, 1, 1); }
static int fn_length(lua_State *L) { return push_unary(L, ENG_X_LENGTH, 1, 1); }

static int fn_split(lua_State *L) {
    const char *sep = luaL_checkstring(L, 2);
    push_unary(L, ENG_X_SPLIT, 1, 1);
    ud_col *c = lua_touserdata(L, -1);
    c->nodes[c->root].lit = eng_cstr(&get_sql(L)->sc->program.arena, sep);
    return 1;
}

static int fn_concat(lua_State *L) {
    to_col(L, 1, 1);
    to_col(L, 2, 1);
    return push_binary(L, ENG_X_CONCAT);
}

/* udf(f): a column computed by a Lua function of the row (a table keyed by column name). */
static int fn_udf(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_pushvalue(L, 1);
    int ref = luaL_ref(L, LUA_REGISTRYINDEX);
    ud_col *c = new_col(L);
    cnode x = {.kind = ENG_X_FN, .a = -1, .b = -1, .fn_ref = ref};
    c->root = add_node(L, c, &x);
    return 1;
}

static int agg_fn(lua_State *L, uint32_t kind) {
    if (kind == ENG_AGG_COUNT && lua_type(L, 1) == LUA_TSTRING && strcmp(lua_tostring(L, 1), "*") == 0) {
        ud_col *c = new_col(L);
        c->agg = kind;
        c->root = -1;
        return 1;
    }
    ud_col *a = to_col(L, 1, 1);
    ud_col *c = new_col(L);
    c->root = graft(L, c, a);
    c->agg = kind;
    return 1;
}

static int fn_count(lua_State *L) { return agg_fn(L, ENG_AGG_COUNT); }
static int fn_sum(lua_State *L) { return agg_fn(L, ENG_AGG_SUM); }
static int fn_avg(lua_State *L) { return agg_fn(L, ENG_AGG_AVG); }

int sim_sql_min_max(lua_State *L, int is_max) {
    lua_remove(L, 1); /* the built-in itself */
    return agg_fn(L, is_max ? ENG_AGG_MAX : ENG_AGG_MIN);
}

int sim_sql_is_column(lua_State *L, int idx) {
    return lua_type(L, idx) == LUA_TSTRING || luaL_testudata(L, idx, COL_META) != NULL;
}

/* ---- resolving columns against a schema --------------------------------------------------- */

typedef struct ud_df {
    eng_ss_query *q;     /* the plan so far (owned); NULL for a static DataFrame */
    eng_sql_schema schema; /* the current rows */
    int is_static;
    const eng_value *rows; /* static: in the program arena */
    int64_t nrows;
} ud_df;

static void columns_list(const eng_sql_schema *s, char *buf, size_t n) {
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; i < s->ncols && k + 4 < n; i++)
        k += (size_t)snprintf(buf + k, n - k, "%s%s", i ? ", " : "", s->names[i]);
}

static int new_expr(lua_State *L, eng_ss_query *q, eng_sql_expr x) {
    if (q->nexprs >= ENG_SS_EXPRS_MAX) sim_lua_error(L, "the query has more than %d expressions", ENG_SS_EXPRS_MAX);
    q->exprs[q->nexprs] = x;
    return q->nexprs++;
}

static void expr_name(const ud_col *c, int n, char *buf, size_t len);

/* Compiles node n of c into q's expressions over schema s; *event says
 * whether it carries the event-time (watermark) mark. */
static int compile(lua_State *L, eng_ss_query *q, const eng_sql_schema *s, const ud_col *c, int n, int *event) {
    const cnode *x = &c->nodes[n];
    eng_sql_expr e = {.kind = x->kind, .a = -1, .b = -1, .col = 0};
    int ea = 0, eb = 0;
    if (x->kind == ENG_X_COL) {
        char name[64];
        snprintf(name, sizeof name, "%s", x->name);
        char *dot = strchr(name, '.');
        if (dot) *dot = 0;
        int i = eng_sql_schema_find(s, name);
        if (i < 0) {
            char cols[1024];
            columns_list(s, cols, sizeof cols);
            sim_lua_error(L, "cannot resolve '%s' given input columns: [%s]", x->name, cols);
        }
        e.col = i;
        e.type = s->types[i];
        *event = s->event[i];
        int idx = new_expr(L, q, e);
        if (!dot) return idx;
        if (s->types[i] != ENG_SQL_WINDOW || (strcmp(dot + 1, "start") && strcmp(dot + 1, "end")))
            sim_lua_error(L, "cannot resolve '%s': %s has no field %s", x->name, name, dot + 1);
        eng_sql_expr f = {.kind = ENG_X_FIELD, .type = ENG_SQL_TIMESTAMP, .a = idx, .b = -1,
                          .col = strcmp(dot + 1, "end") == 0};
        *event = 0;
        return new_expr(L, q, f);
    }
    if (x->a >= 0) e.a = compile(L, q, s, c, x->a, &ea);
    if (x->b >= 0) e.b = compile(L, q, s, c, x->b, &eb);
    uint32_t ta = e.a >= 0 ? q->exprs[e.a].type : 0, tb = e.b >= 0 ? q->exprs[e.b].type : 0;
    *event = 0;
    char name[256];
    switch (x->kind) {
    case ENG_X_LIT:
        e.lit = x->lit;
        e.type = x->lit.type == ENG_V_INT ? ENG_SQL_LONG : x->lit.type == ENG_V_DOUBLE ? ENG_SQL_DOUBLE
                 : x->lit.type == ENG_V_STR ? ENG_SQL_STRING : x->lit.type == ENG_V_BOOL ? ENG_SQL_BOOL : ENG_SQL_ANY;
        break;
    case ENG_X_FN: {
        e.fn = (eng_fn){.builtin = ENG_FN_HOST, .ref = x->fn_ref};
        /* the function gets the row as a table keyed by column name */
        lua_rawgeti(L, LUA_REGISTRYINDEX, x->fn_ref);
        sim_sql_push_row_adapter(L, s);
        e.fn.ref = luaL_ref(L, LUA_REGISTRYINDEX);
        e.fn.where = keep(L, "udf");
        e.type = ENG_SQL_ANY;
        break;
    }
    case ENG_X_ADD: case ENG_X_SUB: case ENG_X_MUL: case ENG_X_MOD:
        e.type = ta == ENG_SQL_LONG && tb == ENG_SQL_LONG ? ENG_SQL_LONG : ENG_SQL_DOUBLE;
        if (ta == ENG_SQL_ANY || tb == ENG_SQL_ANY) e.type = ENG_SQL_ANY;
        break;
    case ENG_X_DIV: e.type = ENG_SQL_DOUBLE; break;
    case ENG_X_EQ: case ENG_X_NE: case ENG_X_LT: case ENG_X_LE: case ENG_X_GT: case ENG_X_GE:
    case ENG_X_AND: case ENG_X_OR: case ENG_X_NOT: case ENG_X_IS_NULL: case ENG_X_IS_NOT_NULL:
        e.type = ENG_SQL_BOOL;
        break;
    case ENG_X_CAST:
        e.type = x->cast;
        if (x->cast == ENG_SQL_TIMESTAMP && ta == ENG_SQL_TIMESTAMP) *event = ea;
        break;
    case ENG_X_TIMESTAMP_SECONDS: e.type = ENG_SQL_TIMESTAMP; break;
    case ENG_X_SPLIT: e.type = ENG_SQL_ARRAY; e.lit = x->lit; break;
    case ENG_X_EXPLODE: e.type = ENG_SQL_STRING; break;
    case ENG_X_WINDOW:
        if (ta != ENG_SQL_TIMESTAMP) {
            expr_name(c, x->a, name, sizeof name);
            sim_lua_error(L, "cannot resolve 'window(%s)' due to data type mismatch: argument 1 requires timestamp type, "
                             "however, '%s' is of %s type.", name, name, eng_sql_type_name(ta));
        }
        e.type = ENG_SQL_WINDOW;
        e.w_len_us = x->w[0];
        e.w_slide_us = x->w[1];
        e.w_start_us = x->w[2];
        *event = ea;
        break;
    case ENG_X_FIELD:
        if (ta != ENG_SQL_WINDOW) sim_lua_error(L, "getField: only a window column has fields");
        e.type = ENG_SQL_TIMESTAMP;
        e.col = strcmp(x->name, "end") == 0;
        break;
    case ENG_X_LOWER: case ENG_X_UPPER: case ENG_X_CONCAT: e.type = ENG_SQL_STRING; break;
    case ENG_X_LENGTH: e.type = ENG_SQL_LONG; break;
    default: break;
    }
    return new_expr(L, q, e);
}

static const char *const op_text[] = {[ENG_X_ADD] = "+", [ENG_X_SUB] = "-", [ENG_X_MUL] = "*", [ENG_X_DIV] = "/",
                                      [ENG_X_MOD] = "%", [ENG_X_EQ] = "=", [ENG_X_NE] = "!=", [ENG_X_LT] = "<",
                                      [ENG_X_LE] = "<=", [ENG_X_GT] = ">", [ENG_X_GE] = ">=", [ENG_X_AND] = "AND",
                                      [ENG_X_OR] = "OR"};

/* Spark's name of an expression column: "(value + 1)", "CAST(v AS BIGINT)", ... */
static void expr_name(const ud_col *c, int n, char *buf, size_t len) {
    char a[128] = "", b[128] = "";
    if (n < 0) {
        snprintf(buf, len, "1");
        return;
    }
    const cnode *x = &c->nodes[n];
    if (x->a >= 0) expr_name(c, x->a, a, sizeof a);
    if (x->b >= 0) expr_name(c, x->b, b, sizeof b);
    static const char *const casts[] = {"ANY", "BOOLEAN", "BIGINT", "DOUBLE", "STRING", "TIMESTAMP", "WINDOW", "ARRAY"};
    switch (x->kind) {
    case ENG_X_COL: {
        const char *dot = strrchr(x->name, '.');
        snprintf(buf, len, "%s", dot ? dot + 1 : x->name);
        break;
    }
    case ENG_X_LIT: {
        char v[96];
        size_t k = eng_value_format(&x->lit, v, sizeof v);
        (void)k;
        snprintf(buf, len, "%s", v);
        break;
    }
    case ENG_X_FN: snprintf(buf, len, "udf()"); break;
    case ENG_X_NOT: snprintf(buf, len, "(NOT %s)", a); break;
    case ENG_X_IS_NULL: snprintf(buf, len, "(%s IS NULL)", a); break;
    case ENG_X_IS_NOT_NULL: snprintf(buf, len, "(%s IS NOT NULL)", a); break;
    case ENG_X_CAST: snprintf(buf, len, "CAST(%s AS %s)", a, casts[x->cast]); break;
    case ENG_X_TIMESTAMP_SECONDS: snprintf(buf, len, "timestamp_seconds(%s)", a); break;
    case ENG_X_SPLIT: snprintf(buf, len, "split(%s, %s, -1)", a, x->lit.as.s); break;
    case ENG_X_EXPLODE: snprintf(buf, len, "col"); break;
    case ENG_X_WINDOW: snprintf(buf, len, "window"); break;
    case ENG_X_FIELD: snprintf(buf, len, "%s.%s", a, x->name); break;
    case ENG_X_LOWER: snprintf(buf, len, "lower(%s)", a); break;
    case ENG_X_UPPER: snprintf(buf, len, "upper(%s)", a); break;
    case ENG_X_LENGTH: snprintf(buf, len, "length(%s)", a); break;
    case ENG_X_CONCAT: snprintf(buf, len, "concat(%s, %s)", a, b); break;
    default:
        snprintf(buf, len, "(%s %s %s)", a, x->kind < sizeof op_text / sizeof *op_text && op_text[x->kind] ? op_text[x->kind] : "?", b);
    }
}

static void col_name(const ud_col *c, char *buf, size_t len) {
    if (c->alias[0]) {
        snprintf(buf, len, "%s", c->alias);
        return;
    }
    if (c->agg) {
        static const char *const names[] = {"", "count", "sum", "avg", "min", "max"};
        char inner[200];
        expr_name(c, c->root, inner, sizeof inner);
        snprintf(buf, len, "%s(%s)", names[c->agg], inner);
        return;
    }
    expr_name(c, c->root, buf, len);
}

/* ---- DataFrames ------------------------------------------------------------------------------ */

static ud_df *check_df(lua_State *L, int idx) { return luaL_checkudata(L, idx, DF_META); }

static int df_gc(lua_State *L) {
    ud_df *d = luaL_checkudata(L, 1, DF_META);
    free(d->q);
    d->q = NULL;
    return 0;
}

/* A new DataFrame: a copy of `from`'s plan (or a fresh one). */
static ud_df *push_df(lua_State *L, const ud_df *from) {
    ud_df *d = lua_newuserdatauv(L, sizeof *d, 0);
    memset(d, 0, sizeof *d);
    luaL_setmetatable(L, DF_META);
    if (from) {
        *d = *from;
        d->q = NULL;
        if (from->q) {
            d->q = malloc(sizeof *d->q);
            if (!d->q) sim_lua_error(L, "out of memory");
            memcpy(d->q, from->q, sizeof *d->q);
        }
    } else {
        d->q = calloc(1, sizeof *d->q);
        if (!d->q) sim_lua_error(L, "out of memory");
    }
    return d;
}

static ud_df *streaming_df(lua_State *L, int idx, const char *method) {
    ud_df *d = check_df(L, idx);
    if (d->is_static) sim_lua_error(L, "%s: this DataFrame is static; streamlab runs the streaming ones", method);
    return d;
}

static eng_sql_step *new_step(lua_State *L, ud_df *d, uint32_t kind, const char *method) {
    eng_ss_query *q = d->q;
    if (q->nsteps >= ENG_SS_STEPS_MAX) sim_lua_error(L, "%s: the query has more than %d steps", method, ENG_SS_STEPS_MAX);
    eng_sql_step *s = &q->steps[q->nsteps++];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    return s;
}

static void add_column(lua_State *L, eng_sql_schema *s, const char *name, uint32_t type, int event) {
    if (s->ncols >= ENG_SQL_COLS_MAX) sim_lua_error(L, "more than %d columns", ENG_SQL_COLS_MAX);
    snprintf(s->names[s->ncols], ENG_SQL_NAME_MAX, "%s", name);
    s->types[s->ncols] = (uint8_t)type;
    s->event[s->ncols] = (uint8_t)event;
    s->ncols++;
}

/* select(cols...) */
static void select_cols(lua_State *L, ud_df *d, int first, int last, const char *method) {
    eng_sql_schema in = d->schema;
    eng_sql_step *st = new_step(L, d, ENG_STEP_SELECT, method);
    int explodes = 0;
    for (int i = first; i <= last; i++) {
        if (lua_type(L, i) == LUA_TSTRING && strcmp(lua_tostring(L, i), "*") == 0) {
            for (int c = 0; c < in.ncols; c++) {
                eng_sql_expr e = {.kind = ENG_X_COL, .type = in.types[c], .a = -1, .b = -1, .col = c};
                st->exprs[st->nexprs++] = new_expr(L, d->q, e);
                add_column(L, &st->out, in.names[c], in.types[c], in.event[c]);
            }
            continue;
        }
        ud_col *c = to_col(L, i, 1);
        if (c->agg) sim_lua_error(L, "%s: an aggregate function needs groupBy(...):agg(...)", method);
        if (st->nexprs >= ENG_SQL_COLS_MAX) sim_lua_error(L, "%s: more than %d columns", method, ENG_SQL_COLS_MAX);
        int event = 0;
        int e = compile(L, d->q, &in, c, c->root, &event);
        /* explode and window make one row per element (a window: Spark's TimeWindowing expands the plan) */
        const eng_sql_expr *xe = &d->q->exprs[e];
        if ((xe->kind == ENG_X_EXPLODE || (xe->kind == ENG_X_WINDOW && xe->w_slide_us != xe->w_len_us)) && ++explodes > 1)
            sim_lua_error(L, "%s: Only one generator allowed per select clause but found 2", method);
        st->exprs[st->nexprs++] = e;
        char name[128];
        col_name(c, name, sizeof name);
        add_column(L, &st->out, name, d->q->exprs[e].type, event);
    }
    d->schema = st->out;
}

static int df_select(lua_State *L) {
    ud_df *d = push_df(L, streaming_df(L, 1, "select"));
    lua_insert(L, 2);
    select_cols(L, d, 3, lua_gettop(L), "select");
    lua_settop(L, 2);
    return 1;
}

static int df_with_column(lua_State *L) {
    ud_df *src = streaming_df(L, 1, "withColumn");
    const char *name = luaL_checkstring(L, 2);
    ud_col *c = to_col(L, 3, 0);
    ud_df *d = push_df(L, src);
    eng_sql_schema in = d->schema;
    eng_sql_step *st = new_step(L, d, ENG_STEP_SELECT, "withColumn");
    int event = 0, replaced = 0;
    int e = compile(L, d->q, &in, c, c->root, &event);
    for (int i = 0; i < in.ncols; i++) {
        int same = strcmp(in.names[i], name) == 0;
        eng_sql_expr x = {.kind = ENG_X_COL, .type = in.types[i], .a = -1, .b = -1, .col = i};
        st->exprs[st->nexprs++] = same ? e : new_expr(L, d->q, x);
        add_column(L, &st->out, in.names[i], same ? d->q->exprs[e].type : in.types[i], same ? event : in.event[i]);
        replaced |= same;
    }
    if (!replaced) {
        st->exprs[st->nexprs++] = e;
        add_column(L, &st->out, name, d->q->exprs[e].type, event);
    }
    d->schema = st->out;
    return 1;
}

static int df_with_column_renamed(lua_State *L) {
    ud_df *d = push_df(L, streaming_df(L, 1, "withColumnRenamed"));
    const char *from = luaL_checkstring(L, 2), *to = luaL_checkstring(L, 3);
    int i = eng_sql_schema_find(&d->schema, from);
    if (i >= 0) {
        eng_sql_step *st = new_step(L, d, ENG_STEP_SELECT, "withColumnRenamed");
        eng_sql_schema in = d->schema;
        for (int c = 0; c < in.ncols; c++) {
            eng_sql_expr x = {.kind = ENG_X_COL, .type = in.types[c], .a = -1, .b = -1, .col = c};
            st->exprs[st->nexprs++] = new_expr(L, d->q, x);
            add_column(L, &st->out, c == i ? to : in.names[c], in.types[c], in.event[c]);
        }
        d->schema = st->out;
    }
    return 1;
}

static int df_where(lua_State *L) {
    ud_df *src = streaming_df(L, 1, "where");
    ud_df *d;
    int e, event;
    if (lua_isfunction(L, 2)) {
        lua_pushvalue(L, 2);
        int ref = luaL_ref(L, LUA_REGISTRYINDEX);
        d = push_df(L, src);
        lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
        sim_sql_push_row_adapter(L, &d->schema);
        eng_sql_expr x = {.kind = ENG_X_FN, .type = ENG_SQL_BOOL, .a = -1, .b = -1,
                          .fn = {.builtin = ENG_FN_HOST, .ref = luaL_ref(L, LUA_REGISTRYINDEX)}};
        char where[300];
        sim_lua_where(L, where, sizeof where);
        x.fn.where = keep(L, where);
        e = new_expr(L, d->q, x);
    } else {
        ud_col *c = to_col(L, 2, 0);
        d = push_df(L, src);
        e = compile(L, d->q, &d->schema, c, c->root, &event);
    }
    eng_sql_step *st = new_step(L, d, ENG_STEP_FILTER, "where");
    st->exprs[0] = e;
    st->nexprs = 1;
    st->out = d->schema;
    return 1;
}

static int df_with_watermark(lua_State *L) {
    ud_df *src = streaming_df(L, 1, "withWatermark");
    const char *name = luaL_checkstring(L, 2);
    const char *delay = luaL_checkstring(L, 3);
    int64_t us;
    char err[256];
    int neg = delay[0] == '-';
    if (sim_duration_parse(neg ? delay + 1 : delay, &us, err, sizeof err))
        sim_lua_error(L, "withWatermark: The provided interval (%s) did not correspond to a valid interval string", delay);
    if (neg && us > 0)
        sim_lua_error(L, "requirement failed: delay threshold (%s) should not be negative.", delay);
    ud_df *d = push_df(L, src);
    int i = eng_sql_schema_find(&d->schema, name);
    if (i < 0) {
        char cols[1024];
        columns_list(&d->schema, cols, sizeof cols);
        sim_lua_error(L, "cannot resolve '%s' given input columns: [%s]", name, cols);
    }
    if (d->schema.types[i] != ENG_SQL_TIMESTAMP)
        sim_lua_error(L, "withWatermark: Event time must be defined on a window or a timestamp, but %s is of type %s",
                      name, eng_sql_type_name(d->schema.types[i]));
    if (d->q->has_watermark) sim_lua_error(L, "withWatermark: streamlab supports one watermark per query");
    eng_sql_step *st = new_step(L, d, ENG_STEP_WATERMARK, "withWatermark");
    st->col = i;
    st->delay_us = us;
    memset(d->schema.event, 0, sizeof d->schema.event);
    d->schema.event[i] = 1;
    st->out = d->schema;
    d->q->has_watermark = 1;
    d->q->delay_us = us;
    return 1;
}

/* A new stateful operator after the query's others (Spark 3.4+ chains them). */
static eng_ss_stateful_op *new_stateful(lua_State *L, ud_df *d, uint32_t kind, const char *method) {
    eng_ss_query *q = d->q;
    if (q->nops >= ENG_SS_STATEFUL_MAX)
        sim_lua_error(L, "%s: streamlab runs at most %d stateful operators in a query", method, ENG_SS_STATEFUL_MAX);
    for (int k = 0; k < q->nops; k++)
        if (q->ops[k].kind == ENG_STATEFUL_AGG && kind == ENG_STATEFUL_DEDUP)
            sim_lua_error(L, "%s: dropDuplicates after an aggregation is not supported on a streaming DataFrame "
                             "(deduplicate before aggregating)", method);
    eng_ss_stateful_op *so = &q->ops[q->nops++];
    memset(so, 0, sizeof *so);
    so->kind = kind;
    so->event_key = so->event_col = -1;
    return so;
}

static int df_drop_duplicates(lua_State *L) {
    ud_df *src = streaming_df(L, 1, "dropDuplicates");
    ud_df *d = push_df(L, src);
    eng_ss_stateful_op *so = new_stateful(L, d, ENG_STATEFUL_DEDUP, "dropDuplicates");
    eng_sql_schema in = d->schema;
    eng_sql_step *st = new_step(L, d, ENG_STEP_KEY_BY, "dropDuplicates");
    eng_ss_query *q = d->q;
    so->key_step = q->nsteps - 1;
    for (int c = 0; c < in.ncols; c++)
        if (in.event[c]) so->event_col = c;
    if (lua_istable(L, 2)) {
        for (lua_Integer k = 1; lua_rawgeti(L, 2, k) != LUA_TNIL; k++) {
            const char *name = luaL_checkstring(L, -1);
            int i = eng_sql_schema_find(&in, name);
            if (i < 0) {
                char cols[1024];
                columns_list(&in, cols, sizeof cols);
                sim_lua_error(L, "Cannot resolve column name \"%s\" among (%s)", name, cols);
            }
            eng_sql_expr x = {.kind = ENG_X_COL, .type = in.types[i], .a = -1, .b = -1, .col = i};
            if (in.event[i]) so->event_key = st->nexprs;
            st->exprs[st->nexprs++] = new_expr(L, q, x);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    } else {
        for (int i = 0; i < in.ncols; i++) {
            eng_sql_expr x = {.kind = ENG_X_COL, .type = in.types[i], .a = -1, .b = -1, .col = i};
            if (in.event[i]) so->event_key = st->nexprs;
            st->exprs[st->nexprs++] = new_expr(L, q, x);
        }
    }
    st->out = in;
    so->nkeys = st->nexprs;
    so->state_out = in;
    lua_settop(L, lua_gettop(L));
    return 1;
}

/* join(static, on, how): a stream-static join (SEMANTICS.md 8.12). */
static int df_join(lua_State *L) {
    ud_df *src = streaming_df(L, 1, "join");
    ud_df *t = check_df(L, 2);
    const char *on = luaL_checkstring(L, 3);
    const char *how = luaL_optstring(L, 4, "inner");
    if (!t->is_static) sim_lua_error(L, "join: streamlab joins a stream with a static DataFrame only");
    uint32_t join = !strcmp(how, "inner") ? ENG_JOIN_INNER
                    : (!strcmp(how, "left") || !strcmp(how, "left_outer") || !strcmp(how, "leftouter")) ? ENG_JOIN_LEFT_OUTER
                    : (!strcmp(how, "left_semi") || !strcmp(how, "leftsemi") || !strcmp(how, "semi")) ? ENG_JOIN_LEFT_SEMI : 0;
    if (!join)
        sim_lua_error(L, "join: %s join with a streaming DataFrame on the left and a static one on the right is not "
                         "supported (inner, left_outer, left_semi are)", how);
    ud_df *d = push_df(L, src);
    int sc = eng_sql_schema_find(&d->schema, on), tc = eng_sql_schema_find(&t->schema, on);
    if (sc < 0 || tc < 0) sim_lua_error(L, "join: USING column `%s` cannot be resolved on both sides", on);
    eng_sql_schema in = d->schema;
    eng_sql_step *st = new_step(L, d, ENG_STEP_JOIN_STATIC, "join");
    st->join = join;
    st->col = sc;
    st->table_col = tc;
    st->table = t->rows;
    st->ntable = t->nrows;
    st->out = in;
    if (join != ENG_JOIN_LEFT_SEMI)
        for (int c = 0; c < t->schema.ncols; c++)
            if (c != tc) add_column(L, &st->out, t->schema.names[c], t->schema.types[c], 0);
    d->schema = st->out;
    return 1;
}

/* ---- groupBy / agg ------------------------------------------------------------------------------ */

typedef struct ud_grouped {
    int df_ref; /* the DataFrame (a registry ref) */
    int nkeys;
    int key_exprs[ENG_SQL_COLS_MAX];
    int key_event[ENG_SQL_COLS_MAX];
    char key_names[ENG_SQL_COLS_MAX][64];
} ud_grouped;

static int df_group_by(lua_State *L) {
    ud_df *src = streaming_df(L, 1, "groupBy");
    ud_df *d = push_df(L, src);
    int dfi = lua_gettop(L);
    ud_grouped *g = lua_newuserdatauv(L, sizeof *g, 1);
    memset(g, 0, sizeof *g);
    luaL_setmetatable(L, GROUPED_META);
    lua_pushvalue(L, dfi);
    lua_setiuservalue(L, -2, 1);
    int n = dfi - 1;
    for (int i = 2; i <= n; i++) {
        ud_col *c = to_col(L, i, 1);
        if (g->nkeys >= ENG_SQL_COLS_MAX) sim_lua_error(L, "groupBy: too many keys");
        int event = 0;
        g->key_exprs[g->nkeys] = compile(L, d->q, &d->schema, c, c->root, &event);
        g->key_event[g->nkeys] = event;
        col_name(c, g->key_names[g->nkeys], sizeof g->key_names[0]);
        g->nkeys++;
    }
    return 1;
}

static int grouped_agg_cols(lua_State *L, int first, int last, const char *method) {
    ud_grouped *g = luaL_checkudata(L, 1, GROUPED_META);
    lua_getiuservalue(L, 1, 1);
    ud_df *src = check_df(L, -1);
    ud_df *d = push_df(L, src);
    int out = lua_gettop(L);
    eng_ss_query *q = d->q;
    eng_ss_stateful_op *op = new_stateful(L, d, ENG_STATEFUL_AGG, method);
    eng_sql_step *st = new_step(L, d, ENG_STEP_AGG_PARTIAL, method);
    op->key_step = q->nsteps - 1;
    eng_sql_schema so = {0};
    for (int k = 0; k < g->nkeys; k++) {
        st->exprs[st->nexprs++] = g->key_exprs[k];
        uint32_t t = q->exprs[g->key_exprs[k]].type;
        add_column(L, &so, g->key_names[k], t, g->key_event[k]);
        if (g->key_event[k]) op->event_key = k;
    }
    for (int i = first; i <= last; i++) {
        ud_col *c = luaL_testudata(L, i, COL_META);
        if (!c || !c->agg) sim_lua_error(L, "%s: expected aggregate functions (count, sum, avg, min, max)", method);
        if (st->naggs >= ENG_SS_AGGS_MAX) sim_lua_error(L, "%s: more than %d aggregates", method, ENG_SS_AGGS_MAX);
        int event = 0;
        int e = c->root >= 0 ? compile(L, q, &src->schema, c, c->root, &event) : -1;
        uint32_t in_t = e >= 0 ? q->exprs[e].type : ENG_SQL_LONG;
        st->agg_kind[st->naggs] = c->agg;
        st->agg_expr[st->naggs] = e;
        st->naggs++;
        uint32_t t = c->agg == ENG_AGG_COUNT ? ENG_SQL_LONG : c->agg == ENG_AGG_AVG ? ENG_SQL_DOUBLE
                     : c->agg == ENG_AGG_SUM ? (in_t == ENG_SQL_LONG || in_t == ENG_SQL_ANY ? in_t : ENG_SQL_DOUBLE)
                                             : in_t; /* a sum of untyped values is typed by its values */
        char name[128];
        col_name(c, name, sizeof name);
        if (!strcmp(method, "count")) snprintf(name, sizeof name, "count");
        add_column(L, &so, name, t, 0);
    }
    st->out = so;
    op->naggs = st->naggs;
    memcpy(op->agg_kind, st->agg_kind, sizeof op->agg_kind);
    op->nkeys = g->nkeys;
    op->state_out = so;
    d->schema = so;
    lua_settop(L, out);
    return 1;
}

static int grouped_agg(lua_State *L) { return grouped_agg_cols(L, 2, lua_gettop(L), "agg"); }

static int grouped_simple(lua_State *L, uint32_t kind, const char *method) {
    int n = lua_gettop(L);
    if (kind == ENG_AGG_COUNT) {
        ud_col *c = new_col(L);
        c->agg = kind;
        c->root = -1;
    } else {
        for (int i = 2; i <= n; i++) {
            ud_col *a = to_col(L, i, 1);
            ud_col *c = new_col(L);
            c->root = graft(L, c, a);
            c->agg = kind;
        }
    }
    return grouped_agg_cols(L, n + 1, lua_gettop(L), method);
}

static int grouped_count(lua_State *L) { return grouped_simple(L, ENG_AGG_COUNT, "count"); }
static int grouped_sum(lua_State *L) { return grouped_simple(L, ENG_AGG_SUM, "sum"); }
static int grouped_avg(lua_State *L) { return grouped_simple(L, ENG_AGG_AVG, "avg"); }
static int grouped_min(lua_State *L) { return grouped_simple(L, ENG_AGG_MIN, "min"); }
static int grouped_max(lua_State *L) { return grouped_simple(L, ENG_AGG_MAX, "max"); }

/* ---- writeStream ------------------------------------------------------------------------------- */

typedef struct ud_writer {
    int df_ref;
    char mode[16], format[32], name[64], checkpoint[256], path[256];
    int foreach_ref;
    uint32_t trigger;
    int64_t trigger_us;
    int num_rows, truncate;
} ud_writer;

static int df_write_stream(lua_State *L) {
    streaming_df(L, 1, "writeStream");
    ud_writer *w = lua_newuserdatauv(L, sizeof *w, 1);
    memset(w, 0, sizeof *w);
    snprintf(w->mode, sizeof w->mode, "append");
    snprintf(w->format, sizeof w->format, "console");
    w->num_rows = 20;
    w->truncate = 1;
    luaL_setmetatable(L, WRITER_META);
    lua_pushvalue(L, 1);
    lua_setiuservalue(L, -2, 1);
    return 1;
}

static int writer_output_mode(lua_State *L) {
    ud_writer *w = luaL_checkudata(L, 1, WRITER_META);
    const char *m = luaL_checkstring(L, 2);
    if (strcmp(m, "append") && strcmp(m, "update") && strcmp(m, "complete"))
        sim_lua_error(L, "Unknown output mode %s. Accepted output modes are 'append', 'complete', 'update'", m);
    snprintf(w->mode, sizeof w->mode, "%s", m);
    lua_settop(L, 1);
    return 1;
}

static int writer_format(lua_State *L) {
    ud_writer *w = luaL_checkudata(L, 1, WRITER_META);
    const char *f = luaL_checkstring(L, 2);
    if (strcmp(f, "console") && strcmp(f, "memory") && strcmp(f, "file") && strcmp(f, "json") && strcmp(f, "kv"))
        sim_lua_error(L, "writeStream: unknown sink format \"%s\" (console, memory, file, json, kv; or foreachBatch)", f);
    snprintf(w->format, sizeof w->format, "%s", f);
    lua_settop(L, 1);
    return 1;
}

static int writer_option(lua_State *L) {
    ud_writer *w = luaL_checkudata(L, 1, WRITER_META);
    const char *k = luaL_checkstring(L, 2);
    const char *v = lua_isboolean(L, 3) ? (lua_toboolean(L, 3) ? "true" : "false") : luaL_checkstring(L, 3);
    if (!strcmp(k, "checkpointLocation")) snprintf(w->checkpoint, sizeof w->checkpoint, "%s", v);
    else if (!strcmp(k, "path")) snprintf(w->path, sizeof w->path, "%s", v);
    else if (!strcmp(k, "numRows")) w->num_rows = atoi(v) > 0 ? atoi(v) : 20;
    else if (!strcmp(k, "truncate")) w->truncate = strcmp(v, "false") != 0;
    else sim_lua_error(L, "writeStream:option: unknown option \"%s\" (checkpointLocation, path, numRows, truncate)", k);
    lua_settop(L, 1);
    return 1;
}

static int writer_query_name(lua_State *L) {
    ud_writer *w = luaL_checkudata(L, 1, WRITER_META);
    snprintf(w->name, sizeof w->name, "%s", luaL_checkstring(L, 2));
    lua_settop(L, 1);
    return 1;
}

static int writer_trigger(lua_State *L) {
    ud_writer *w = luaL_checkudata(L, 1, WRITER_META);
    luaL_checktype(L, 2, LUA_TTABLE);
    static const char *const keys[] = {"processingTime", "once", "availableNow", NULL};
    sim_args_check_keys(L, 2, "trigger{}", keys);
    int once = 0, now = 0;
    if (sim_args_duration(L, 2, "trigger{}", "processingTime", 0, &w->trigger_us)) {
        w->trigger = w->trigger_us > 0 ? ENG_TRIGGER_PROCESSING_TIME : ENG_TRIGGER_DEFAULT;
    } else if (sim_args_boolean(L, 2, "trigger{}", "once", 0, &once) && once) {
        w->trigger = ENG_TRIGGER_ONCE;
    } else if (sim_args_boolean(L, 2, "trigger{}", "availableNow", 0, &now) && now) {
        w->trigger = ENG_TRIGGER_AVAILABLE_NOW;
    } else {
        sim_lua_error(L, "trigger{}: give processingTime = \"1s\", once = true or availableNow = true");
    }
    lua_settop(L, 1);
    return 1;
}

static int writer_foreach_batch(lua_State *L) {
    ud_writer *w = luaL_checkudata(L, 1, WRITER_META);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    w->foreach_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    snprintf(w->format, sizeof w->format, "foreachBatch");
    lua_settop(L, 1);
    return 1;
}

/* UnsupportedOperationChecker's rules for the query (SEMANTICS.md 8.8). */
static void check_query(lua_State *L, const eng_ss_query *q) {
    int aggs = 0, unwatermarked = 0;
    for (int k = 0; k < q->nops; k++)
        if (q->ops[k].kind == ENG_STATEFUL_AGG) {
            aggs++;
            unwatermarked |= !q->has_watermark || q->ops[k].event_key < 0;
        }
    if (aggs > 1 && q->mode != ENG_MODE_APPEND) /* Spark 3.4+ chains aggregations in Append mode only */
        sim_lua_error(L, "Multiple streaming aggregations are not supported with streaming DataFrames/Datasets");
    if (q->mode == ENG_MODE_COMPLETE && aggs == 0)
        sim_lua_error(L, "Complete output mode not supported when there are no streaming aggregations on streaming "
                         "DataFrames/Datasets");
    if (q->mode == ENG_MODE_APPEND && aggs && unwatermarked)
        sim_lua_error(L, "Append output mode not supported when there are streaming aggregations on streaming "
                         "DataFrames/DataSets without watermark");
    if (q->sink == ENG_SINK_FILE && q->mode != ENG_MODE_APPEND)
        sim_lua_error(L, "Data source json does not support %s output mode",
                      q->mode == ENG_MODE_UPDATE ? "Update" : "Complete");
}

static int writer_start(lua_State *L) {
    ud_writer *w = luaL_checkudata(L, 1, WRITER_META);
    sql_api *a = get_sql(L);
    sim_scenario *sc = a->sc;
    lua_getiuservalue(L, 1, 1);
    ud_df *d = check_df(L, -1);
    eng_program *p = &sc->program;
    if (p->nqueries >= ENG_SS_QUERIES_MAX) sim_lua_error(L, "start: more than %d streaming queries", ENG_SS_QUERIES_MAX);
    int file = !strcmp(w->format, "file") || !strcmp(w->format, "json");
    if (!strcmp(w->format, "memory") && !w->name[0]) sim_lua_error(L, "start: queryName must be specified for memory sink");
    if ((file || !strcmp(w->format, "kv")) && !w->path[0])
        sim_lua_error(L, "start: 'path' is not specified (option(\"path\", ...))");
    if (file && !w->checkpoint[0])
        sim_lua_error(L, "start: checkpointLocation must be specified either through option(\"checkpointLocation\", ...) "
                         "or SparkSession.conf.set(\"spark.sql.streaming.checkpointLocation\", ...).");
    for (int i = 0; i < p->nqueries; i++)
        if (w->name[0] && !strcmp(p->queries[i]->name, w->name))
            sim_lua_error(L, "start: Cannot start query with name %s as a query with that name is already active",
                          w->name);
    eng_ss_query *q = malloc(sizeof *q);
    if (!q) sim_lua_error(L, "out of memory");
    memcpy(q, d->q, sizeof *q);
    q->index = p->nqueries;
    snprintf(q->name, sizeof q->name, "%s", w->name);
    char where[300];
    sim_lua_where(L, where, sizeof where);
    q->where = keep(L, where);
    q->mode = !strcmp(w->mode, "update") ? ENG_MODE_UPDATE : !strcmp(w->mode, "complete") ? ENG_MODE_COMPLETE
                                                                                            : ENG_MODE_APPEND;
    q->sink = !strcmp(w->format, "memory") ? ENG_SINK_MEMORY : !strcmp(w->format, "kv") ? ENG_SINK_KV
              : (!strcmp(w->format, "file") || !strcmp(w->format, "json")) ? ENG_SINK_FILE
              : !strcmp(w->format, "foreachBatch") ? ENG_SINK_FOREACH_BATCH : ENG_SINK_CONSOLE;
    q->trigger = w->trigger;
    q->trigger_us = w->trigger_us;
    q->foreach_fn = (eng_fn){.builtin = ENG_FN_HOST, .ref = w->foreach_ref, .where = q->where};
    snprintf(q->checkpoint, sizeof q->checkpoint, "%s", w->checkpoint);
    snprintf(q->path, sizeof q->path, "%s", w->path);
    q->shuffle_partitions = a->shuffle_partitions;
    q->no_data_batches = a->no_data_batches;
    q->console_rows = w->num_rows;
    q->console_truncate = w->truncate;
    q->out = d->schema;
    const eng_ss_stateful_op *last = q->nops ? &q->ops[q->nops - 1] : NULL;
    q->out_keys = last && last->kind == ENG_STATEFUL_AGG && last->key_step == q->nsteps - 1 ? last->nkeys : 0;
    p->queries[p->nqueries] = q; /* owned by the program from here, even if the check below fails */
    p->nqueries++;
    check_query(L, q);
    sc->started = 1;
    sc->cluster.program = p;
    /* the query handle */
    int *idx = lua_newuserdatauv(L, sizeof *idx, 0);
    *idx = q->index;
    luaL_setmetatable(L, QUERY_META);
    return 1;
}

static int query_await(lua_State *L) {
    luaL_checkudata(L, 1, QUERY_META);
    sim_scenario *sc = get_sql(L)->sc;
    if (!lua_isnoneornil(L, 2)) {
        int64_t us = sim_args_check_duration(L, 2, "StreamingQuery:awaitTermination");
        if (sc->await_timeout_us < 0 || us < sc->await_timeout_us) sc->await_timeout_us = us;
    }
    return 0;
}

static int query_index(lua_State *L) {
    int *idx = luaL_checkudata(L, 1, QUERY_META);
    const char *k = luaL_checkstring(L, 2);
    if (!strcmp(k, "name")) {
        lua_pushstring(L, get_sql(L)->sc->program.queries[*idx]->name);
        return 1;
    }
    if (!strcmp(k, "awaitTermination") || !strcmp(k, "processAllAvailable")) {
        lua_pushcfunction(L, query_await);
        return 1;
    }
    return sim_lua_error(L, "StreamingQuery has no member %s", k);
}

static int streams_await_any(lua_State *L) {
    sim_scenario *sc = get_sql(L)->sc;
    int arg = lua_type(L, 1) == LUA_TTABLE ? 2 : 1;
    if (!lua_isnoneornil(L, arg)) {
        int64_t us = sim_args_check_duration(L, arg, "spark.streams:awaitAnyTermination");
        if (sc->await_timeout_us < 0 || us < sc->await_timeout_us) sc->await_timeout_us = us;
    }
    return 0;
}

/* ---- sources ---------------------------------------------------------------------------------- */

static ud_df *source_df(lua_State *L, uint32_t kind, const char *name) {
    ud_df *d = push_df(L, NULL);
    d->q->source.kind = kind;
    d->q->source.partitions = 1;
    snprintf(d->q->source.name, sizeof d->q->source.name, "%s", name);
    return d;
}

typedef struct ud_memstream {
    int source; /* the world source */
    int typed;
    int tuples; /* rows are tuples (columns named when made) */
    eng_sql_schema schema;
} ud_memstream;

static int api_memory_stream(lua_State *L) {
    luaL_checkudata(L, 1, SESSION_META);
    sql_api *a = get_sql(L);
    sim_sources *s = &sim_sources_inputs(L)->sources;
    if (s->count >= SIM_SOURCES_MAX) sim_lua_error(L, "MemoryStream: too many sources");
    sim_source *src = &s->items[s->count];
    memset(src, 0, sizeof *src);
    src->kind = SIM_SOURCE_LOG;
    snprintf(src->topic, sizeof src->topic, "MemoryStream-%d", a->nmemory++);
    src->partitions = 1;
    src->parts = calloc(1, sizeof *src->parts);
    if (!src->parts) sim_lua_error(L, "out of memory");
    eng_part_init(&src->parts[0].rows);
    ud_memstream *m = lua_newuserdatauv(L, sizeof *m, 0);
    memset(m, 0, sizeof *m);
    m->source = s->count++;
    luaL_setmetatable(L, MEMSTREAM_META);
    if (lua_istable(L, 2)) { /* MemoryStream(spark, {"_1", "_2"}): rows of these columns */
        for (lua_Integer k = 1; lua_rawgeti(L, 2, k) != LUA_TNIL; k++) {
            add_column(L, &m->schema, luaL_checkstring(L, -1), ENG_SQL_ANY, 0);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        m->typed = m->schema.ncols > 0;
        m->tuples = 1;
    }
    return 1;
}

static uint32_t value_type(const eng_value *v) {
    switch (v->type) {
    case ENG_V_INT: return ENG_SQL_LONG;
    case ENG_V_DOUBLE: return ENG_SQL_DOUBLE;
    case ENG_V_STR: return ENG_SQL_STRING;
    case ENG_V_BOOL: return ENG_SQL_BOOL;
    default: return ENG_SQL_ANY;
    }
}

/* addData(at, v1, v2, ...): rows arriving at `at` (one addData is one offset in Spark; rows here). */
static int memstream_add(lua_State *L) {
    ud_memstream *m = luaL_checkudata(L, 1, MEMSTREAM_META);
    int64_t at = sim_args_check_duration(L, 2, "MemoryStream:addData");
    sim_source *src = &sim_sources_inputs(L)->sources.items[m->source];
    sim_source_part *sp = &src->parts[0];
    int n = lua_gettop(L);
    for (int i = 3; i <= n; i++) {
        eng_value v;
        char err[256];
        int idx = i;
        if (lua_istable(L, i) && lua_rawlen(L, i) == 1) { /* addData("1s", {5}) in the style of Seq(5) */
            lua_rawgeti(L, i, 1);
            idx = lua_gettop(L);
        }
        if (sim_lua_to_value(L, idx, &sp->rows.arena, &v, err, sizeof err)) sim_lua_error(L, "MemoryStream:addData: %s", err);
        if (idx != i) lua_pop(L, 1);
        if (m->typed && !m->tuples && eng_is_seq(&v))
            sim_lua_error(L, "MemoryStream:addData: this stream's rows have one column (value); make it with "
                             "MemoryStream(spark, {\"_1\", \"_2\"}) for rows of several");
        if (m->typed && m->tuples && !eng_is_seq(&v))
            sim_lua_error(L, "MemoryStream:addData: this stream's rows are tuples of %d columns", m->schema.ncols);
        if (!m->typed) {
            m->tuples = eng_is_seq(&v);
            if (v.type == ENG_V_TUPLE || v.type == ENG_V_LIST) {
                for (uint32_t k = 0; k < v.len; k++) {
                    char name[16];
                    snprintf(name, sizeof name, "_%u", k + 1);
                    add_column(L, &m->schema, name, value_type(&v.as.items[k]), 0);
                }
            } else {
                add_column(L, &m->schema, "value", value_type(&v), 0);
            }
            m->typed = 1;
        }
        if (eng_is_seq(&v)) {
            if ((int)v.len != m->schema.ncols)
                sim_lua_error(L, "MemoryStream:addData: rows have %d columns, this one has %u", m->schema.ncols, v.len);
            v.type = ENG_V_TUPLE;
        }
        /* keep arrival order: insert after every row arriving at or before `at` */
        size_t pos = sp->rows.count;
        while (pos > 0 && sp->arrival_us[pos - 1] > at) pos--;
        eng_part_push(&sp->rows, v);
        int64_t *arr = realloc(sp->arrival_us, sp->rows.count * sizeof *arr);
        if (!arr) sim_lua_error(L, "out of memory");
        sp->arrival_us = arr;
        memmove(&sp->rows.rows[pos + 1], &sp->rows.rows[pos], (sp->rows.count - 1 - pos) * sizeof *sp->rows.rows);
        memmove(&arr[pos + 1], &arr[pos], (sp->rows.count - 1 - pos) * sizeof *arr);
        sp->rows.rows[pos] = v;
        arr[pos] = at;
    }
    return 0;
}

static int memstream_to_df(lua_State *L) {
    ud_memstream *m = luaL_checkudata(L, 1, MEMSTREAM_META);
    if (!m->typed) { /* Spark's MemoryStream[T] is typed when made; here the rows' type is learnt as they come */
        add_column(L, &m->schema, "value", ENG_SQL_ANY, 0);
        m->typed = 1;
    }
    ud_df *d = source_df(L, ENG_SRC_MEMORY, "MemoryStream");
    d->q->source.source = m->source;
    d->q->source.schema = m->schema;
    char name[64];
    snprintf(name, sizeof name, "MemoryStream[%s]", m->schema.names[0]);
    snprintf(d->q->source.name, sizeof d->q->source.name, "%s", name);
    d->schema = m->schema;
    return 1;
}

typedef struct ud_reader {
    char format[32];
    char opts[16][2][128];
    int nopts;
} ud_reader;

static int reader_format(lua_State *L) {
    ud_reader *r = luaL_checkudata(L, 1, READER_META);
    snprintf(r->format, sizeof r->format, "%s", luaL_checkstring(L, 2));
    lua_settop(L, 1);
    return 1;
}

static int reader_option(lua_State *L) {
    ud_reader *r = luaL_checkudata(L, 1, READER_META);
    if (r->nopts >= 16) sim_lua_error(L, "readStream: too many options");
    snprintf(r->opts[r->nopts][0], 128, "%s", luaL_checkstring(L, 2));
    lua_pushvalue(L, 3);
    snprintf(r->opts[r->nopts][1], 128, "%s", luaL_tolstring(L, -1, NULL));
    r->nopts++;
    lua_settop(L, 1);
    return 1;
}

static const char *opt(const ud_reader *r, const char *k) {
    for (int i = r->nopts - 1; i >= 0; i--)
        if (!strcmp(r->opts[i][0], k)) return r->opts[i][1];
    return NULL;
}

static const char *opt_of(const void *ud, const char *k) { return opt(ud, k); }

static int64_t opt_int(lua_State *L, const ud_reader *r, const char *k, int64_t dflt, int64_t min) {
    const char *v = opt(r, k);
    if (!v) return dflt;
    char *end;
    long long x = strtoll(v, &end, 10);
    if (end == v || *end || x < min) sim_lua_error(L, "readStream: option %s must be an integer >= %lld, got %s", k,
                                                    (long long)min, v);
    return x;
}

/* startingOffsets: "latest" (Kafka's default for a streaming query) or "earliest". */
static int starting_offsets(lua_State *L, const ud_reader *r) {
    const char *v = opt(r, "startingOffsets");
    if (!v || !strcmp(v, "latest")) return 1;
    if (!strcmp(v, "earliest")) return 0;
    return sim_lua_error(L, "readStream: startingOffsets is \"earliest\" or \"latest\", not \"%s\"", v);
}

static int reader_load(lua_State *L) {
    ud_reader *r = luaL_checkudata(L, 1, READER_META);
    sim_sources *s = &sim_sources_inputs(L)->sources;
    if (!strcmp(r->format, "rate")) {
        ud_df *d = source_df(L, ENG_SRC_RATE, "RateStreamV2");
        eng_ss_source *src = &d->q->source;
        src->rows_per_second = opt_int(L, r, "rowsPerSecond", 1, 1);
        const char *ramp = opt(r, "rampUpTime");
        if (ramp) {
            int64_t us;
            char err[128];
            if (sim_duration_parse(ramp, &us, err, sizeof err)) sim_lua_error(L, "readStream: rampUpTime: %s", err);
            src->ramp_up_s = us / 1000000;
        }
        int64_t cores = (int64_t)get_sql(L)->sc->cluster.workers * get_sql(L)->sc->cluster.cores;
        src->num_partitions = (int)opt_int(L, r, "numPartitions", cores > 0 ? cores : 2, 1);
        snprintf(src->name, sizeof src->name, "RateStreamV2[rowsPerSecond=%lld, rampUpTimeSeconds=%lld, numPartitions=%d",
                 (long long)src->rows_per_second, (long long)src->ramp_up_s, src->num_partitions);
        add_column(L, &src->schema, "timestamp", ENG_SQL_TIMESTAMP, 0);
        add_column(L, &src->schema, "value", ENG_SQL_LONG, 0);
        d->schema = src->schema;
        return 1;
    }
    if (!strcmp(r->format, "replay")) {
        ud_df *d = source_df(L, ENG_SRC_REPLAY, "Replay");
        sim_replay_load(L, opt_of, r, &d->q->source, get_sql(L)->sc->seed);
        d->q->source.max_per_trigger = opt_int(L, r, "maxOffsetsPerTrigger", 0, 1);
        d->q->source.starting_latest = opt(r, "startingOffsets") && starting_offsets(L, r);
        d->schema = d->q->source.schema;
        return 1;
    }
    if (!strcmp(r->format, "socket")) {
        int port = (int)opt_int(L, r, "port", -1, 0);
        int id = sim_source_by_port(s, port);
        if (id < 0) sim_lua_error(L, "readStream:format(\"socket\"): nothing listens on port %d (declare netcat{ port = %d })",
                                  port, port);
        ud_df *d = source_df(L, ENG_SRC_SOCKET, "TextSocketV2");
        d->q->source.source = id;
        d->q->source.lines = 1;
        add_column(L, &d->q->source.schema, "value", ENG_SQL_STRING, 0);
        d->schema = d->q->source.schema;
        return 1;
    }
    if (!strcmp(r->format, "log") || !strcmp(r->format, "kafka")) {
        const char *topic = opt(r, "subscribe") ? opt(r, "subscribe") : opt(r, "topic");
        int id = topic ? sim_source_by_topic(s, topic) : -1;
        if (id < 0) sim_lua_error(L, "readStream:format(\"%s\"): no topic \"%s\" (declare kafka{ topic = ... })",
                                  r->format, topic ? topic : "(option \"subscribe\" missing)");
        ud_df *d = source_df(L, ENG_SRC_LOG, "KafkaV2");
        d->q->source.source = id;
        d->q->source.partitions = s->items[id].partitions;
        d->q->source.lines = 1;
        d->q->source.max_per_trigger = opt_int(L, r, "maxOffsetsPerTrigger", 0, 1);
        d->q->source.starting_latest = starting_offsets(L, r);
        snprintf(d->q->source.name, sizeof d->q->source.name, "KafkaV2[Subscribe[%s]]", topic);
        add_column(L, &d->q->source.schema, "value", ENG_SQL_STRING, 0);
        d->schema = d->q->source.schema;
        return 1;
    }
    return sim_lua_error(L, "readStream: unknown format \"%s\" (rate, replay, socket, log; MemoryStream(spark) for memory)",
                         r->format);
}

/* ---- the session -------------------------------------------------------------------------------- */

static int session_index(lua_State *L) {
    const char *k = luaL_checkstring(L, 2);
    if (!strcmp(k, "readStream")) {
        ud_reader *r = lua_newuserdatauv(L, sizeof *r, 0);
        memset(r, 0, sizeof *r);
        luaL_setmetatable(L, READER_META);
        return 1;
    }
    if (!strcmp(k, "streams")) {
        lua_newtable(L);
        lua_pushcfunction(L, streams_await_any);
        lua_setfield(L, -2, "awaitAnyTermination");
        return 1;
    }
    if (!strcmp(k, "createDataFrame")) {
        lua_pushcfunction(L, sim_sql_create_df);
        return 1;
    }
    return sim_lua_error(L, "SparkSession has no member %s", k);
}

/* spark:createDataFrame(rows, {"col1", "col2"}): a static DataFrame (for a stream-static join). */
int sim_sql_create_df(lua_State *L) {
    luaL_checkudata(L, 1, SESSION_META);
    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_checktype(L, 3, LUA_TTABLE);
    ud_df *d = lua_newuserdatauv(L, sizeof *d, 0);
    memset(d, 0, sizeof *d);
    luaL_setmetatable(L, DF_META);
    d->is_static = 1;
    int ncols = (int)lua_rawlen(L, 3);
    for (int c = 1; c <= ncols; c++) {
        lua_rawgeti(L, 3, c);
        add_column(L, &d->schema, luaL_checkstring(L, -1), ENG_SQL_ANY, 0);
        lua_pop(L, 1);
    }
    int64_t n = (int64_t)lua_rawlen(L, 2);
    eng_arena *arena = &get_sql(L)->sc->program.arena;
    eng_value *rows = eng_arena_alloc(arena, (size_t)(n ? n : 1) * sizeof *rows);
    for (int64_t i = 0; i < n; i++) {
        lua_rawgeti(L, 2, i + 1);
        char err[256];
        if (sim_lua_to_value(L, -1, arena, &rows[i], err, sizeof err)) sim_lua_error(L, "createDataFrame: %s", err);
        if (!eng_is_seq(&rows[i]) || (int)rows[i].len != ncols)
            sim_lua_error(L, "createDataFrame: row %lld does not have %d columns", (long long)(i + 1), ncols);
        rows[i].type = ENG_V_TUPLE;
        for (int c = 0; c < ncols && i == 0; c++) d->schema.types[c] = (uint8_t)value_type(&rows[i].as.items[c]);
        lua_pop(L, 1);
    }
    d->rows = rows;
    d->nrows = n;
    return 1;
}

static int api_spark_session(lua_State *L) {
    sql_api *a = get_sql(L);
    sim_scenario *sc = a->sc;
    static const char *const keys[] = {"workers", "cores", "spark.sql.shuffle.partitions",
                                       "spark.sql.streaming.noDataMicroBatches.enabled", "cost", NULL};
    const char *call = "SparkSession{}";
    if (!sc->declared) sim_lua_error(L, "%s: declare the run with scenario{ name=..., duration=... } first", call);
    if (lua_isnoneornil(L, 1)) lua_newtable(L);
    sim_args_check_keys(L, 1, call, keys);
    int64_t parts = 200;
    sim_args_integer(L, 1, call, "spark.sql.shuffle.partitions", 0, 1, ENG_SS_PARTITIONS_MAX, &parts);
    a->shuffle_partitions = (int)parts;
    a->no_data_batches = 1;
    sim_args_boolean(L, 1, call, "spark.sql.streaming.noDataMicroBatches.enabled", 0, &a->no_data_batches);
    if (!sc->has_context) {
        eng_cluster_conf *c = &sc->cluster;
        int64_t workers = 2, cores = 2;
        sim_args_integer(L, 1, call, "workers", 0, 1, 63, &workers);
        sim_args_integer(L, 1, call, "cores", 0, 1, 1024, &cores);
        c->workers = (uint32_t)workers;
        c->cores = (uint32_t)cores;
        c->batch_interval_us = 1000000;
        c->block_interval_us = ENG_DEFAULT_BLOCK_INTERVAL_US;
        c->heartbeat_interval_us = ENG_DEFAULT_HEARTBEAT_INTERVAL_US;
        c->default_parallelism = (int32_t)(workers * cores > 2 ? workers * cores : 2);
        c->task_launch_us = ENG_DEFAULT_TASK_LAUNCH_US;
        c->record_cost_ns = ENG_DEFAULT_RECORD_COST_NS;
        if (lua_getfield(L, 1, "cost") != LUA_TNIL) {
            static const char *const cost_keys[] = {"taskLaunch", "perRecord", NULL};
            sim_args_check_keys(L, -1, "SparkSession{}: cost", cost_keys);
            sim_args_duration(L, -1, "SparkSession{}: cost", "taskLaunch", 0, &c->task_launch_us);
            int64_t per;
            if (sim_args_duration(L, -1, "SparkSession{}: cost", "perRecord", 0, &per)) c->record_cost_ns = per * 1000;
        }
        lua_pop(L, 1);
        c->network_timeout_us = ENG_DEFAULT_NETWORK_TIMEOUT_US;
        c->receiver_restart_delay_us = ENG_DEFAULT_RECEIVER_RESTART_DELAY_US;
        c->speculation_multiplier = ENG_DEFAULT_SPECULATION_MULTIPLIER;
        c->speculation_quantile = ENG_DEFAULT_SPECULATION_QUANTILE;
        c->program = &sc->program;
        sc->has_context = 1;
        sim_lua_where(L, sc->context_where, sizeof sc->context_where);
    }
    a->has_session = 1;
    lua_newuserdatauv(L, 1, 0);
    luaL_setmetatable(L, SESSION_META);
    return 1;
}

/* ---- registration ------------------------------------------------------------------------------- */

static void meta(lua_State *L, const char *name, const luaL_Reg *methods, const luaL_Reg *metamethods) {
    luaL_newmetatable(L, name);
    if (metamethods) luaL_setfuncs(L, metamethods, 0);
    if (methods) {
        lua_newtable(L);
        luaL_setfuncs(L, methods, 0);
        lua_setfield(L, -2, "__index");
    }
    lua_pop(L, 1);
}

void sim_sql_api_open(lua_State *L, sim_scenario *sc) {
    sql_api *a = lua_newuserdatauv(L, sizeof *a, 0);
    memset(a, 0, sizeof *a);
    a->sc = sc;
    a->shuffle_partitions = 200;
    a->no_data_batches = 1;
    lua_setfield(L, LUA_REGISTRYINDEX, SQL_KEY);
    static const luaL_Reg col_methods[] = {
        {"alias", col_alias}, {"name", col_alias}, {"cast", col_cast}, {"getField", col_get_field},
        {"eq", col_eq}, {"equalTo", col_eq}, {"neq", col_ne}, {"ne", col_ne}, {"notEqual", col_ne},
        {"lt", col_lt}, {"leq", col_le}, {"le", col_le}, {"gt", col_gt}, {"geq", col_ge}, {"ge", col_ge},
        {"isNull", col_is_null}, {"isNotNull", col_is_not_null}, {NULL, NULL}};
    static const luaL_Reg col_meta[] = {{"__add", col_add}, {"__sub", col_sub}, {"__mul", col_mul},
                                        {"__div", col_div}, {"__mod", col_mod}, {"__band", col_and},
                                        {"__bor", col_or}, {"__bnot", col_not}, {NULL, NULL}};
    meta(L, COL_META, col_methods, col_meta);
    static const luaL_Reg df_methods[] = {
        {"select", df_select}, {"where", df_where}, {"filter", df_where}, {"withColumn", df_with_column},
        {"withColumnRenamed", df_with_column_renamed}, {"withWatermark", df_with_watermark},
        {"groupBy", df_group_by}, {"dropDuplicates", df_drop_duplicates}, {"join", df_join},
        {"writeStream", df_write_stream}, {NULL, NULL}};
    static const luaL_Reg df_meta[] = {{"__gc", df_gc}, {NULL, NULL}};
    meta(L, DF_META, df_methods, df_meta);
    static const luaL_Reg grouped_methods[] = {{"agg", grouped_agg}, {"count", grouped_count}, {"sum", grouped_sum},
                                               {"avg", grouped_avg}, {"mean", grouped_avg}, {"min", grouped_min},
                                               {"max", grouped_max}, {NULL, NULL}};
    meta(L, GROUPED_META, grouped_methods, NULL);
    static const luaL_Reg writer_methods[] = {
        {"outputMode", writer_output_mode}, {"format", writer_format}, {"option", writer_option},
        {"queryName", writer_query_name}, {"trigger", writer_trigger}, {"foreachBatch", writer_foreach_batch},
        {"start", writer_start}, {NULL, NULL}};
    meta(L, WRITER_META, writer_methods, NULL);
    static const luaL_Reg reader_methods[] = {{"format", reader_format}, {"option", reader_option},
                                              {"load", reader_load}, {NULL, NULL}};
    meta(L, READER_META, reader_methods, NULL);
    static const luaL_Reg query_meta[] = {{"__index", query_index}, {NULL, NULL}};
    meta(L, QUERY_META, NULL, query_meta);
    static const luaL_Reg mem_methods[] = {{"addData", memstream_add}, {"toDF", memstream_to_df}, {NULL, NULL}};
    meta(L, MEMSTREAM_META, mem_methods, NULL);
    static const luaL_Reg session_meta[] = {{"__index", session_index}, {NULL, NULL}};
    meta(L, SESSION_META, NULL, session_meta);
    static const luaL_Reg globals[] = {
        {"SparkSession", api_spark_session}, {"MemoryStream", api_memory_stream}, {"col", fn_col},
        {"column", fn_col}, {"lit", fn_lit}, {"window", fn_window}, {"timestamp_seconds", fn_timestamp_seconds},
        {"explode", fn_explode}, {"split", fn_split}, {"lower", fn_lower}, {"upper", fn_upper},
        {"length", fn_length}, {"concat", fn_concat}, {"udf", fn_udf}, {"count", fn_count}, {"sum", fn_sum},
        {"avg", fn_avg}, {"mean", fn_avg}, {NULL, NULL}};
    lua_pushglobaltable(L);
    luaL_setfuncs(L, globals, 0);
    lua_pop(L, 1);
}

/* ---- the row adapter: a Lua function of a row table, called with a tuple -------------------------- */

static int row_adapter(lua_State *L) {
    /* upvalue 1: the function; 2: the column names; 3: the column types */
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_newtable(L);
    int t = lua_gettop(L);
    if (n >= 1 && lua_istable(L, 1)) {
        lua_Integer cols = (lua_Integer)lua_rawlen(L, lua_upvalueindex(2));
        for (lua_Integer c = 1; c <= cols; c++) {
            lua_rawgeti(L, lua_upvalueindex(2), c);
            lua_rawgeti(L, 1, c);
            lua_rawgeti(L, lua_upvalueindex(3), c);
            lua_Integer type = lua_tointeger(L, -1);
            lua_pop(L, 1);
            if (type == ENG_SQL_TIMESTAMP && lua_isinteger(L, -1)) { /* ms at the edge */
                lua_Integer us = lua_tointeger(L, -1);
                lua_pop(L, 1);
                lua_pushinteger(L, us >= 0 ? us / 1000 : -((-us + 999) / 1000));
            }
            lua_settable(L, t);
        }
    }
    lua_call(L, 1, 1);
    return 1;
}

void sim_sql_push_row_adapter(lua_State *L, const eng_sql_schema *s) {
    /* the function is on top of the stack */
    lua_createtable(L, s->ncols, 0);
    lua_createtable(L, s->ncols, 0);
    for (int c = 0; c < s->ncols; c++) {
        lua_pushstring(L, s->names[c]);
        lua_rawseti(L, -3, c + 1);
        lua_pushinteger(L, s->types[c]);
        lua_rawseti(L, -2, c + 1);
    }
    lua_pushcclosure(L, row_adapter, 3);
}
