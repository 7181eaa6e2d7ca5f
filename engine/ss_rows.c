/* engine/ss_rows.c — Structured Streaming's stateless work on rows: column
 * expressions, the steps of a query's plan (select, filter, explode,
 * withWatermark, a stream-static join, the partial aggregation with time
 * windows, dropDuplicates' keys), the sources' rows, and aggregation
 * buffers. See ss.h. */
#include "ss.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compute.h"

static const char *const type_names[] = {"any", "boolean", "bigint", "double", "string", "timestamp",
                                         "struct<start:timestamp,end:timestamp>", "array<string>"};

const char *eng_ss_mode_name(uint32_t mode) {
    static const char *const names[] = {"", "append", "update", "complete"};
    return names[mode <= ENG_MODE_COMPLETE ? mode : 0];
}

const char *eng_sql_type_name(uint32_t type) {
    return type < sizeof type_names / sizeof type_names[0] ? type_names[type] : "?";
}

int eng_sql_schema_find(const eng_sql_schema *s, const char *name) {
    for (int i = 0; i < s->ncols; i++)
        if (strcmp(s->names[i], name) == 0) return i;
    return -1;
}

void eng_ss_checkpoint_root(const eng_ss_query *q, int32_t run, char *buf, size_t n) {
    if (q->checkpoint[0])
        snprintf(buf, n, "%s", q->checkpoint);
    else
        snprintf(buf, n, "_temporary/streaming-query-%d-run-%d", q->index, (int)run);
}

void eng_acc_reset(int64_t acc[ENG_ACC_MAX]) {
    memset(acc, 0, ENG_ACC_MAX * sizeof *acc);
    acc[ENG_ACC_EVENT_MAX] = INT64_MIN;
    acc[ENG_ACC_EVENT_MIN] = INT64_MAX;
}

void eng_acc_merge(int64_t into[ENG_ACC_MAX], const int64_t from[ENG_ACC_MAX]) {
    if (from[ENG_ACC_EVENT_MAX] > into[ENG_ACC_EVENT_MAX]) into[ENG_ACC_EVENT_MAX] = from[ENG_ACC_EVENT_MAX];
    if (from[ENG_ACC_EVENT_MIN] < into[ENG_ACC_EVENT_MIN]) into[ENG_ACC_EVENT_MIN] = from[ENG_ACC_EVENT_MIN];
    for (int i = 2; i < ENG_ACC_MAX; i++) into[i] += from[i];
}

/* ---- time windows --------------------------------------------------------------- */

static int64_t pmod(int64_t a, int64_t m) {
    int64_t r = a % m;
    return r < 0 ? r + m : r;
}

int eng_sql_windows(int64_t ts, int64_t len_us, int64_t slide_us, int64_t start_us, int64_t *starts, int max) {
    int64_t last_start = ts - pmod(ts - start_us, slide_us);
    int64_t overlapping = (len_us + slide_us - 1) / slide_us;
    int n = 0;
    for (int64_t i = 0; i < overlapping && n < max; i++) {
        int64_t s = last_start - i * slide_us;
        if (s <= ts && ts < s + len_us) starts[n++] = s;
    }
    return n;
}

/* ---- expressions ---------------------------------------------------------------- */

static int is_num(const eng_value *v) { return v->type == ENG_V_INT || v->type == ENG_V_DOUBLE; }
static double as_double(const eng_value *v) { return v->type == ENG_V_INT ? (double)v->as.i : v->as.d; }

static int arith(int kind, const eng_value *a, const eng_value *b, eng_value *out, char *err, size_t errlen) {
    if (a->type == ENG_V_NIL || b->type == ENG_V_NIL) {
        *out = eng_nil();
        return 0;
    }
    if (!is_num(a) || !is_num(b)) {
        snprintf(err, errlen, "arithmetic on a non-number");
        return -1;
    }
    if (kind == ENG_X_DIV) { /* Spark's / is a double division; x / 0 is null */
        double d = as_double(b);
        *out = d == 0 ? eng_nil() : eng_double(as_double(a) / d);
        return 0;
    }
    if (a->type == ENG_V_INT && b->type == ENG_V_INT) {
        uint64_t x = (uint64_t)a->as.i, y = (uint64_t)b->as.i; /* wraps as the JVM's long does */
        switch (kind) {
        case ENG_X_ADD: *out = eng_int((int64_t)(x + y)); return 0;
        case ENG_X_SUB: *out = eng_int((int64_t)(x - y)); return 0;
        case ENG_X_MUL: *out = eng_int((int64_t)(x * y)); return 0;
        default: /* MOD: Java's remainder (sign of the dividend); x % 0 is null */
            if (b->as.i == 0 || (b->as.i == -1)) *out = b->as.i == 0 ? eng_nil() : eng_int(0);
            else *out = eng_int(a->as.i % b->as.i);
            return 0;
        }
    }
    double x = as_double(a), y = as_double(b);
    switch (kind) {
    case ENG_X_ADD: *out = eng_double(x + y); return 0;
    case ENG_X_SUB: *out = eng_double(x - y); return 0;
    case ENG_X_MUL: *out = eng_double(x * y); return 0;
    default: *out = y == 0 ? eng_nil() : eng_double(fmod(x, y)); return 0;
    }
}

static int compare(int kind, const eng_value *a, const eng_value *b, eng_value *out) {
    if (a->type == ENG_V_NIL || b->type == ENG_V_NIL) {
        *out = eng_nil();
        return 0;
    }
    int c;
    if (is_num(a) && is_num(b) && a->type != b->type) {
        double x = as_double(a), y = as_double(b);
        c = x < y ? -1 : x > y;
    } else {
        c = eng_value_cmp(a, b);
    }
    int r = 0;
    switch (kind) {
    case ENG_X_EQ: r = c == 0; break;
    case ENG_X_NE: r = c != 0; break;
    case ENG_X_LT: r = c < 0; break;
    case ENG_X_LE: r = c <= 0; break;
    case ENG_X_GT: r = c > 0; break;
    default: r = c >= 0; break;
    }
    *out = eng_bool(r);
    return 0;
}

/* Days since 1970-01-01 -> civil date (Howard Hinnant's days_from_civil inverse). */
static void civil(int64_t days, int64_t *y, int *m, int *d) {
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

size_t eng_sql_format_timestamp(int64_t us, char *buf, size_t n) {
    int64_t secs = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
    int64_t frac = us - secs * 1000000;
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t rem = secs - days * 86400;
    int64_t y;
    int m, d;
    civil(days, &y, &m, &d);
    int len = snprintf(buf, n, "%04lld-%02d-%02d %02d:%02d:%02d", (long long)y, m, d, (int)(rem / 3600),
                       (int)(rem / 60 % 60), (int)(rem % 60));
    if (frac) { /* Spark prints the fraction without trailing zeros */
        char f[24];
        snprintf(f, sizeof f, "%06lld", (long long)frac);
        int k = 6;
        while (k > 0 && f[k - 1] == '0') k--;
        f[k] = 0;
        len += snprintf(n > (size_t)len ? buf + len : NULL, n > (size_t)len ? n - (size_t)len : 0, ".%s", f);
    }
    return (size_t)len;
}

int eng_sql_parse_timestamp(const char *s, int64_t *us) {
    int y, mo, d, h = 0, mi = 0, se = 0;
    char frac[16] = "";
    int n = sscanf(s, "%d-%d-%d%*[ T]%d:%d:%d.%15[0-9]", &y, &mo, &d, &h, &mi, &se, frac);
    if (n < 3 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return -1;
    int64_t f = 0;
    for (int i = 0; i < 6; i++) f = f * 10 + (frac[i] && i < (int)strlen(frac) ? frac[i] - '0' : 0);
    *us = ((days_from_civil(y, mo, d) * 86400) + h * 3600 + mi * 60 + se) * 1000000 + f;
    return 0;
}

static int cast(uint32_t to, const eng_value *v, eng_arena *arena, eng_value *out) {
    char buf[64];
    if (v->type == ENG_V_NIL) {
        *out = eng_nil();
        return 0;
    }
    switch (to) {
    case ENG_SQL_LONG:
        if (v->type == ENG_V_INT || v->type == ENG_V_BOOL) *out = eng_int(v->as.i);
        else if (v->type == ENG_V_DOUBLE) *out = isfinite(v->as.d) ? eng_int((int64_t)v->as.d) : eng_nil();
        else if (v->type == ENG_V_STR) {
            char *end;
            long long x = strtoll(v->as.s, &end, 10);
            *out = (end != v->as.s && *end == 0) ? eng_int(x) : eng_nil();
        } else *out = eng_nil();
        return 0;
    case ENG_SQL_DOUBLE:
        if (v->type == ENG_V_INT || v->type == ENG_V_BOOL) *out = eng_double((double)v->as.i);
        else if (v->type == ENG_V_DOUBLE) *out = *v;
        else if (v->type == ENG_V_STR) {
            char *end;
            double x = strtod(v->as.s, &end);
            *out = (end != v->as.s && *end == 0) ? eng_double(x) : eng_nil();
        } else *out = eng_nil();
        return 0;
    case ENG_SQL_TIMESTAMP:
        if (v->type == ENG_V_INT) *out = eng_int(v->as.i * 1000000); /* seconds, as Spark's cast */
        else if (v->type == ENG_V_DOUBLE) *out = eng_int((int64_t)floor(v->as.d * 1e6));
        else if (v->type == ENG_V_STR) {
            int64_t us;
            *out = eng_sql_parse_timestamp(v->as.s, &us) ? eng_nil() : eng_int(us);
        } else *out = eng_nil();
        return 0;
    case ENG_SQL_STRING:
        if (v->type == ENG_V_STR) *out = *v;
        else if (v->type == ENG_V_BOOL) *out = eng_cstr(arena, v->as.i ? "true" : "false");
        else {
            size_t n = eng_value_format(v, buf, sizeof buf);
            *out = eng_str(arena, buf, n < sizeof buf ? n : sizeof buf - 1);
        }
        return 0;
    case ENG_SQL_BOOL:
        if (v->type == ENG_V_BOOL) *out = *v;
        else if (is_num(v)) *out = eng_bool(as_double(v) != 0);
        else if (v->type == ENG_V_STR) *out = strcmp(v->as.s, "true") == 0 ? eng_bool(1)
                                          : strcmp(v->as.s, "false") == 0 ? eng_bool(0) : eng_nil();
        else *out = eng_nil();
        return 0;
    default:
        *out = *v;
        return 0;
    }
}

/* A timestamp column cast to a string or a long needs the source type. */
static int cast_from(uint32_t from, uint32_t to, const eng_value *v, eng_arena *arena, eng_value *out) {
    if (from == ENG_SQL_TIMESTAMP && v->type == ENG_V_INT) {
        if (to == ENG_SQL_LONG) { /* seconds, rounded down (Math.floorDiv) */
            *out = eng_int(v->as.i >= 0 ? v->as.i / 1000000 : -((-v->as.i + 999999) / 1000000));
            return 0;
        }
        if (to == ENG_SQL_DOUBLE) {
            *out = eng_double((double)v->as.i / 1e6);
            return 0;
        }
        if (to == ENG_SQL_STRING) {
            char buf[48];
            size_t n = eng_sql_format_timestamp(v->as.i, buf, sizeof buf);
            *out = eng_str(arena, buf, n);
            return 0;
        }
        if (to == ENG_SQL_TIMESTAMP) {
            *out = *v;
            return 0;
        }
    }
    return cast(to, v, arena, out);
}

static int split_string(const eng_value *s, const eng_value *sep, eng_arena *arena, eng_value *out) {
    if (s->type != ENG_V_STR || sep->type != ENG_V_STR) {
        *out = eng_nil();
        return 0;
    }
    size_t n = 1, sl = sep->len;
    const char *p = s->as.s;
    if (sl) for (const char *q = strstr(p, sep->as.s); q; q = strstr(q + sl, sep->as.s)) n++;
    eng_value *items = eng_arena_alloc(arena, n * sizeof *items);
    size_t k = 0;
    while (k + 1 < n) {
        const char *q = strstr(p, sep->as.s);
        items[k++] = eng_str(arena, p, (size_t)(q - p));
        p = q + sl;
    }
    items[k++] = eng_cstr(arena, p);
    *out = (eng_value){.type = ENG_V_LIST, .len = (uint32_t)k, .as.items = items};
    return 0;
}

int eng_sql_eval(const eng_env *env, const eng_ss_query *q, int e, const eng_value *row, eng_arena *arena,
                 eng_value *out, char *err, size_t errlen) {
    const eng_sql_expr *x = &q->exprs[e];
    eng_value a = eng_nil(), b = eng_nil();
    if (x->kind != ENG_X_FN && x->a >= 0 && eng_sql_eval(env, q, x->a, row, arena, &a, err, errlen)) return -1;
    if (x->b >= 0 && eng_sql_eval(env, q, x->b, row, arena, &b, err, errlen)) return -1;
    switch (x->kind) {
    case ENG_X_COL:
        *out = x->col < (int)row->len ? row->as.items[x->col] : eng_nil();
        return 0;
    case ENG_X_LIT:
        *out = x->lit;
        return 0;
    case ENG_X_FN:
        return eng_call(env, &x->fn, row, 1, arena, out, err, errlen);
    case ENG_X_ADD: case ENG_X_SUB: case ENG_X_MUL: case ENG_X_DIV: case ENG_X_MOD:
        return arith((int)x->kind, &a, &b, out, err, errlen);
    case ENG_X_EQ: case ENG_X_NE: case ENG_X_LT: case ENG_X_LE: case ENG_X_GT: case ENG_X_GE:
        return compare((int)x->kind, &a, &b, out);
    case ENG_X_AND: /* three-valued logic */
        if ((a.type == ENG_V_BOOL && !a.as.i) || (b.type == ENG_V_BOOL && !b.as.i)) *out = eng_bool(0);
        else if (a.type == ENG_V_NIL || b.type == ENG_V_NIL) *out = eng_nil();
        else *out = eng_bool(1);
        return 0;
    case ENG_X_OR:
        if ((a.type == ENG_V_BOOL && a.as.i) || (b.type == ENG_V_BOOL && b.as.i)) *out = eng_bool(1);
        else if (a.type == ENG_V_NIL || b.type == ENG_V_NIL) *out = eng_nil();
        else *out = eng_bool(0);
        return 0;
    case ENG_X_NOT:
        *out = a.type == ENG_V_BOOL ? eng_bool(!a.as.i) : eng_nil();
        return 0;
    case ENG_X_IS_NULL:
        *out = eng_bool(a.type == ENG_V_NIL);
        return 0;
    case ENG_X_IS_NOT_NULL:
        *out = eng_bool(a.type != ENG_V_NIL);
        return 0;
    case ENG_X_CAST:
        return cast_from(q->exprs[x->a].type, x->type, &a, arena, out);
    case ENG_X_TIMESTAMP_SECONDS:
        if (a.type == ENG_V_INT) *out = eng_int(a.as.i * 1000000);
        else if (a.type == ENG_V_DOUBLE) *out = eng_int((int64_t)floor(a.as.d * 1e6));
        else *out = eng_nil();
        return 0;
    case ENG_X_SPLIT:
        return split_string(&a, &x->lit, arena, out);
    case ENG_X_FIELD:
        *out = a.type == ENG_V_TUPLE && a.len == 2 ? a.as.items[x->col] : eng_nil();
        return 0;
    case ENG_X_LOWER:
    case ENG_X_UPPER: {
        if (a.type != ENG_V_STR) {
            *out = eng_nil();
            return 0;
        }
        *out = eng_str(arena, a.as.s, a.len);
        char *s = (char *)out->as.s;
        for (uint32_t i = 0; i < a.len; i++)
            if ((unsigned char)s[i] < 128) s[i] = (char)(x->kind == ENG_X_LOWER ? (s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i])
                                                                              : (s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]));
        return 0;
    }
    case ENG_X_LENGTH: /* characters, as Spark's length of a string */
        if (a.type != ENG_V_STR) *out = eng_nil();
        else {
            int64_t n = 0;
            for (uint32_t i = 0; i < a.len; i++) n += ((unsigned char)a.as.s[i] & 0xC0) != 0x80;
            *out = eng_int(n);
        }
        return 0;
    case ENG_X_CONCAT: {
        if (a.type != ENG_V_STR || b.type != ENG_V_STR) {
            *out = eng_nil();
            return 0;
        }
        char *s = eng_arena_alloc(arena, a.len + b.len + 1);
        memcpy(s, a.as.s, a.len);
        memcpy(s + a.len, b.as.s, b.len);
        s[a.len + b.len] = 0;
        *out = (eng_value){.type = ENG_V_STR, .len = a.len + b.len, .as.s = s};
        return 0;
    }
    default:
        snprintf(err, errlen, "%s can only be used %s", x->kind == ENG_X_EXPLODE ? "explode" : "window",
                 x->kind == ENG_X_EXPLODE ? "at the top of a select" : "as a grouping key");
        return -1;
    }
}

/* ---- steps ---------------------------------------------------------------------- */

static eng_value tuple_of(eng_arena *a, const eng_value *items, int n) {
    return eng_seq(a, ENG_V_TUPLE, items, (size_t)n);
}

static int step_select(const eng_env *env, const eng_ss_query *q, const eng_sql_step *st, const eng_value *row,
                       eng_part *out, char *err, size_t errlen) {
    eng_value items[ENG_SQL_COLS_MAX];
    int explode = -1;
    eng_value array = eng_nil();
    for (int i = 0; i < st->nexprs; i++) {
        const eng_sql_expr *x = &q->exprs[st->exprs[i]];
        if (x->kind == ENG_X_EXPLODE) {
            explode = i;
            if (eng_sql_eval(env, q, x->a, row, &out->arena, &array, err, errlen)) return -1;
            continue;
        }
        if (x->kind == ENG_X_WINDOW) { /* one row per window of the time (TimeWindowing's Expand) */
            eng_value ts;
            if (eng_sql_eval(env, q, x->a, row, &out->arena, &ts, err, errlen)) return -1;
            if (ts.type != ENG_V_INT) return 0; /* a null time: in no window, no row */
            if (x->w_len_us == x->w_slide_us) { /* tumbling: one window, no expansion */
                int64_t start;
                eng_sql_windows(ts.as.i, x->w_len_us, x->w_slide_us, x->w_start_us, &start, 1);
                eng_value se[2] = {eng_int(start), eng_int(start + x->w_len_us)};
                items[i] = tuple_of(&out->arena, se, 2);
                continue;
            }
            explode = i;
            int64_t starts[64];
            int n = eng_sql_windows(ts.as.i, x->w_len_us, x->w_slide_us, x->w_start_us, starts, 64);
            eng_value *ws = eng_arena_alloc(&out->arena, (size_t)(n ? n : 1) * sizeof *ws);
            for (int k = 0; k < n; k++) {
                eng_value se[2] = {eng_int(starts[k]), eng_int(starts[k] + x->w_len_us)};
                ws[k] = tuple_of(&out->arena, se, 2);
            }
            array = (eng_value){.type = ENG_V_LIST, .len = (uint32_t)n, .as.items = ws};
            continue;
        }
        if (eng_sql_eval(env, q, st->exprs[i], row, &out->arena, &items[i], err, errlen)) return -1;
    }
    if (explode < 0) {
        eng_part_push_copy(out, &(eng_value){.type = ENG_V_TUPLE, .len = (uint32_t)st->nexprs, .as.items = items});
        return 0;
    }
    if (!eng_is_seq(&array)) return 0; /* explode(null) gives no rows */
    for (uint32_t k = 0; k < array.len; k++) {
        items[explode] = array.as.items[k];
        eng_part_push_copy(out, &(eng_value){.type = ENG_V_TUPLE, .len = (uint32_t)st->nexprs, .as.items = items});
    }
    return 0;
}

static void join_static(const eng_sql_step *st, int in_cols, const eng_value *row, eng_part *out) {
    const eng_value *key = &row->as.items[st->col];
    int tcols = st->out.ncols - in_cols;
    int matched = 0;
    eng_value items[ENG_SQL_COLS_MAX];
    for (int i = 0; i < in_cols; i++) items[i] = row->as.items[i];
    for (int64_t r = 0; key->type != ENG_V_NIL && r < st->ntable; r++) {
        const eng_value *t = &st->table[r];
        if (!eng_value_equal(&t->as.items[st->table_col], key)) continue;
        matched = 1;
        if (st->join == ENG_JOIN_LEFT_SEMI) break;
        for (int c = 0, k = in_cols; c < (int)t->len && k < st->out.ncols; c++)
            if (c != st->table_col) items[k++] = eng_value_copy(&out->arena, &t->as.items[c]);
        eng_part_push_copy(out, &(eng_value){.type = ENG_V_TUPLE, .len = (uint32_t)st->out.ncols, .as.items = items});
    }
    if (st->join == ENG_JOIN_LEFT_SEMI && matched) eng_part_push_copy(out, row);
    if (st->join == ENG_JOIN_LEFT_OUTER && !matched) {
        for (int k = 0; k < tcols; k++) items[in_cols + k] = eng_nil();
        eng_part_push_copy(out, &(eng_value){.type = ENG_V_TUPLE, .len = (uint32_t)st->out.ncols, .as.items = items});
    }
}

/* One row's aggregation buffers: count 1 or 0, sum the value, avg (sum, count), min/max the value. */
static void init_buffers(const eng_env *env, const eng_ss_query *q, const eng_sql_step *st, const eng_value *row,
                         eng_arena *a, eng_value *bufs, char *err, size_t errlen, int *rc) {
    for (int i = 0; i < st->naggs; i++) {
        eng_value v = eng_int(1);
        if (st->agg_expr[i] >= 0 && eng_sql_eval(env, q, st->agg_expr[i], row, a, &v, err, errlen)) {
            *rc = -1;
            return;
        }
        switch (st->agg_kind[i]) {
        case ENG_AGG_COUNT: bufs[i] = eng_int(v.type != ENG_V_NIL); break;
        case ENG_AGG_AVG: {
            eng_value p[2] = {v.type == ENG_V_NIL ? eng_double(0) : eng_double(is_num(&v) ? as_double(&v) : 0),
                              eng_int(v.type != ENG_V_NIL && is_num(&v))};
            bufs[i] = tuple_of(a, p, 2);
            break;
        }
        default: bufs[i] = v; break;
        }
    }
}

static int step_agg(const eng_env *env, const eng_ss_query *q, const eng_sql_step *st, const eng_value *row,
                    eng_part *out, char *err, size_t errlen) {
    eng_value keys[ENG_SQL_COLS_MAX], bufs[ENG_SS_AGGS_MAX];
    int window_at = -1;
    int64_t starts[64];
    int nwin = 1;
    const eng_sql_expr *w = NULL;
    for (int i = 0; i < st->nexprs; i++) {
        const eng_sql_expr *x = &q->exprs[st->exprs[i]];
        if (x->kind == ENG_X_WINDOW) {
            eng_value ts;
            if (eng_sql_eval(env, q, x->a, row, &out->arena, &ts, err, errlen)) return -1;
            if (ts.type != ENG_V_INT) return 0; /* a null time is in no window */
            window_at = i;
            w = x;
            nwin = eng_sql_windows(ts.as.i, x->w_len_us, x->w_slide_us, x->w_start_us, starts, 64);
            continue;
        }
        if (eng_sql_eval(env, q, st->exprs[i], row, &out->arena, &keys[i], err, errlen)) return -1;
    }
    int rc = 0;
    init_buffers(env, q, st, row, &out->arena, bufs, err, errlen, &rc);
    if (rc) return -1;
    eng_value b = tuple_of(&out->arena, bufs, st->naggs);
    for (int k = 0; k < nwin; k++) {
        if (window_at >= 0) {
            eng_value se[2] = {eng_int(starts[k]), eng_int(starts[k] + w->w_len_us)};
            keys[window_at] = tuple_of(&out->arena, se, 2);
        }
        eng_value pair[2] = {{.type = ENG_V_TUPLE, .len = (uint32_t)st->nexprs, .as.items = keys}, b};
        eng_part_push_copy(out, &(eng_value){.type = ENG_V_TUPLE, .len = 2, .as.items = pair});
    }
    return 0;
}

int eng_ss_steps(const eng_env *env, const eng_ss_query *q, int from, int to, const eng_part *in, eng_part *out,
                 int64_t acc[ENG_ACC_MAX], char *err, size_t errlen) {
    eng_part bufs[2];
    eng_part_init(&bufs[0]);
    eng_part_init(&bufs[1]);
    const eng_part *cur = in;
    int which = 0, rc = 0;
    for (int s = from; s < to && rc == 0; s++) {
        const eng_sql_step *st = &q->steps[s];
        eng_part *next = s + 1 == to ? out : &bufs[which];
        int in_cols = s > 0 ? q->steps[s - 1].out.ncols : q->source.schema.ncols;
        for (size_t r = 0; r < cur->count && rc == 0; r++) {
            const eng_value *row = &cur->rows[r];
            switch (st->kind) {
            case ENG_STEP_SELECT:
                rc = step_select(env, q, st, row, next, err, errlen);
                break;
            case ENG_STEP_FILTER: {
                eng_value v;
                rc = eng_sql_eval(env, q, st->exprs[0], row, &next->arena, &v, err, errlen);
                if (rc == 0 && v.type == ENG_V_BOOL && v.as.i) eng_part_push_copy(next, row);
                break;
            }
            case ENG_STEP_WATERMARK: {
                const eng_value *t = &row->as.items[st->col];
                if (t->type == ENG_V_INT) {
                    if (t->as.i > acc[ENG_ACC_EVENT_MAX]) acc[ENG_ACC_EVENT_MAX] = t->as.i;
                    if (t->as.i < acc[ENG_ACC_EVENT_MIN]) acc[ENG_ACC_EVENT_MIN] = t->as.i;
                    acc[ENG_ACC_EVENT_SUM] += t->as.i / 1000;
                    acc[ENG_ACC_EVENT_COUNT]++;
                }
                eng_part_push_copy(next, row);
                break;
            }
            case ENG_STEP_JOIN_STATIC:
                join_static(st, in_cols, row, next);
                break;
            case ENG_STEP_AGG_PARTIAL:
                rc = step_agg(env, q, st, row, next, err, errlen);
                break;
            case ENG_STEP_KEY_BY: {
                eng_value keys[ENG_SQL_COLS_MAX];
                for (int i = 0; i < st->nexprs; i++) keys[i] = row->as.items[q->exprs[st->exprs[i]].col];
                eng_value r2 = eng_value_copy(&next->arena, row);
                eng_value k = eng_value_copy(&next->arena, &(eng_value){.type = ENG_V_TUPLE, .len = (uint32_t)st->nexprs,
                                                                        .as.items = keys});
                eng_part_push(next, eng_pair(&next->arena, k, r2));
                break;
            }
            default:
                snprintf(err, errlen, "unknown step %u", st->kind);
                rc = -1;
            }
        }
        if (cur != in && cur != out) eng_part_fini((eng_part *)cur);
        if (rc == 0 && s + 1 < to) {
            cur = next;
            which ^= 1;
            eng_part_fini(&bufs[which]);
            eng_part_init(&bufs[which]);
        }
    }
    if (from >= to)
        for (size_t r = 0; r < in->count; r++) eng_part_push_copy(out, &in->rows[r]);
    eng_part_fini(&bufs[0]);
    eng_part_fini(&bufs[1]);
    return rc;
}

int eng_ss_source_rows(const eng_ss_query *q, const eng_part *in, eng_part *out) {
    for (size_t r = 0; r < in->count; r++) {
        const eng_value *v = &in->rows[r];
        if (q->source.kind == ENG_SRC_LOG && v->type == ENG_V_TUPLE && v->len == 2) v = &v->as.items[1]; /* (key, value) */
        if (q->source.lines || v->type != ENG_V_TUPLE) {
            eng_value c = eng_value_copy(&out->arena, v);
            eng_part_push(out, tuple_of(&out->arena, &c, 1));
        } else {
            eng_part_push_copy(out, v);
        }
    }
    return 0;
}

/* ---- the rate source -------------------------------------------------------------- */

int64_t eng_ss_rate_value_at(const eng_ss_source *src, int64_t s) {
    int64_t rps = src->rows_per_second, r = src->ramp_up_s;
    if (s <= 0) return 0;
    if (r > 0) {
        int64_t speed = rps / (r + 1);
        if (s <= r) return speed * s * (s + 1) / 2;
        return speed * r * (r + 1) / 2 + (s - r) * rps;
    }
    return s * rps;
}

void eng_ss_rate_rows(const eng_ss_source *src, int64_t start_us, int64_t s1, int64_t s2, int p, eng_part *out) {
    int64_t v1 = eng_ss_rate_value_at(src, s1), v2 = eng_ss_rate_value_at(src, s2);
    if (v2 <= v1) return;
    int64_t span_ms = 1000 * (s2 - s1);
    for (int64_t v = v1 + p; v < v2; v += src->num_partitions) {
        /* Math.round of (v - v1) * span / (v2 - v1) */
        double rel = (double)(v - v1) * (double)span_ms / (double)(v2 - v1);
        int64_t ms = start_us / 1000 + 1000 * s1 + (int64_t)floor(rel + 0.5);
        eng_value items[2] = {eng_int(ms * 1000), eng_int(v)};
        eng_part_push(out, tuple_of(&out->arena, items, 2));
    }
}

/* ---- aggregation buffers ------------------------------------------------------------ */

int32_t eng_ss_pack_aggs(const uint32_t *kinds, int n) {
    int32_t packed = n;
    for (int i = 0; i < n && i < ENG_SS_AGGS_MAX; i++) packed |= (int32_t)(kinds[i] << (4 * (i + 1)));
    return packed;
}

static int add_nullable(const eng_value *a, const eng_value *b, eng_value *out, char *err, size_t errlen) {
    if (a->type == ENG_V_NIL) *out = *b;
    else if (b->type == ENG_V_NIL) *out = *a;
    else return arith(ENG_X_ADD, a, b, out, err, errlen);
    return 0;
}

int eng_ss_merge_buffers(int32_t packed, const eng_value *a, const eng_value *b, eng_arena *arena, eng_value *out,
                         char *err, size_t errlen) {
    int n = packed & 15;
    if (a->type != ENG_V_TUPLE || b->type != ENG_V_TUPLE || (int)a->len != n || (int)b->len != n) {
        snprintf(err, errlen, "aggregation buffers of the wrong shape");
        return -1;
    }
    eng_value items[ENG_SS_AGGS_MAX];
    for (int i = 0; i < n; i++) {
        uint32_t kind = (uint32_t)(packed >> (4 * (i + 1))) & 15;
        const eng_value *x = &a->as.items[i], *y = &b->as.items[i];
        switch (kind) {
        case ENG_AGG_COUNT:
        case ENG_AGG_SUM:
            if (add_nullable(x, y, &items[i], err, errlen)) return -1;
            break;
        case ENG_AGG_AVG: {
            eng_value p[2];
            if (arith(ENG_X_ADD, &x->as.items[0], &y->as.items[0], &p[0], err, errlen) ||
                arith(ENG_X_ADD, &x->as.items[1], &y->as.items[1], &p[1], err, errlen))
                return -1;
            items[i] = tuple_of(arena, p, 2);
            break;
        }
        default: { /* MIN, MAX: null is the identity */
            int c = x->type == ENG_V_NIL ? 1 : y->type == ENG_V_NIL ? -1 : eng_value_cmp(x, y);
            if (is_num(x) && is_num(y) && x->type != y->type) c = as_double(x) < as_double(y) ? -1 : as_double(x) > as_double(y);
            items[i] = (kind == ENG_AGG_MIN) == (c <= 0) ? *x : *y;
            if (x->type == ENG_V_NIL) items[i] = *y;
            if (y->type == ENG_V_NIL) items[i] = *x;
            break;
        }
        }
    }
    *out = tuple_of(arena, items, n);
    return 0;
}

void eng_ss_finish_aggs(const eng_ss_stateful_op *so, const eng_value *buffers, eng_value *out_items) {
    for (int i = 0; i < so->naggs; i++) {
        const eng_value *b = &buffers->as.items[i];
        if (so->agg_kind[i] == ENG_AGG_AVG) {
            int64_t c = b->as.items[1].as.i;
            out_items[i] = c ? eng_double(as_double(&b->as.items[0]) / (double)c) : eng_nil();
        } else {
            out_items[i] = *b;
        }
    }
}
