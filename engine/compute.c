/* engine/compute.c — see compute.h. */
#include "compute.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aomap.h"
#include "plan.h"
#include "ss.h"
#include "xorshift.h"

/* ---- built-in functions ------------------------------------------------------ */

static const char *const builtin_names[ENG_FN_COUNT_] = {
    [ENG_FN_IDENTITY] = "identity", [ENG_FN_ADD] = "add",   [ENG_FN_SUB] = "sub",
    [ENG_FN_MIN] = "min",           [ENG_FN_MAX] = "max",   [ENG_FN_WORDS] = "words",
    [ENG_FN_PAIR_ONE] = "pairWithOne", [ENG_FN_TO_STRING] = "toString",
};

const char *eng_builtin_name(uint32_t builtin) {
    return builtin < ENG_FN_COUNT_ ? builtin_names[builtin] : NULL;
}

int eng_builtin_by_name(const char *name) {
    for (int i = 1; i < ENG_FN_COUNT_; i++)
        if (builtin_names[i] && strcmp(builtin_names[i], name) == 0) return i;
    return -1;
}

static const char *const op_names[ENG_NAME_COUNT_] = {
#define ENG_OP_NAME_STR_(id, s) s,
    ENG_OP_NAMES(ENG_OP_NAME_STR_)
#undef ENG_OP_NAME_STR_
};

const char *eng_op_name_str(uint32_t name) { return name < ENG_NAME_COUNT_ ? op_names[name] : "?"; }

static const char *type_word(const eng_value *v) {
    static const char *const words[] = {"nil", "boolean", "integer", "double", "string", "tuple", "list"};
    return v->type <= ENG_V_LIST ? words[v->type] : "?";
}

static int arith(const char *what, int op, const eng_value *a, const eng_value *b, eng_value *out, char *err,
                 size_t errlen) {
    int ints = a->type == ENG_V_INT && b->type == ENG_V_INT;
    int nums = (a->type == ENG_V_INT || a->type == ENG_V_DOUBLE) && (b->type == ENG_V_INT || b->type == ENG_V_DOUBLE);
    if (!nums) {
        snprintf(err, errlen, "%s: needs two numbers, got %s and %s", what, type_word(a), type_word(b));
        return -1;
    }
    if (ints) {
        /* wraps like the JVM's Long arithmetic, without C's undefined overflow */
        uint64_t x = (uint64_t)a->as.i, y = (uint64_t)b->as.i;
        int64_t r;
        switch (op) {
        case '+':
            r = (int64_t)(x + y);
            break;
        case '-':
            r = (int64_t)(x - y);
            break;
        case '<':
            r = a->as.i <= b->as.i ? a->as.i : b->as.i;
            break;
        default:
            r = a->as.i >= b->as.i ? a->as.i : b->as.i;
        }
        *out = eng_int(r);
        return 0;
    }
    double x = a->type == ENG_V_INT ? (double)a->as.i : a->as.d;
    double y = b->type == ENG_V_INT ? (double)b->as.i : b->as.d;
    switch (op) {
    case '+':
        *out = eng_double(x + y);
        break;
    case '-':
        *out = eng_double(x - y);
        break;
    case '<':
        *out = x <= y ? *a : *b;
        break;
    default:
        *out = x >= y ? *a : *b;
    }
    return 0;
}

/* Java's String.split(" "): pieces between single spaces, trailing empty
 * pieces removed; a string without a space is itself. */
static int split_words(const eng_value *line, eng_arena *arena, eng_value *out, char *err, size_t errlen) {
    if (line->type != ENG_V_STR) {
        snprintf(err, errlen, "words: needs a string, got %s", type_word(line));
        return -1;
    }
    size_t n = 1;
    for (uint32_t i = 0; i < line->len; i++) n += line->as.s[i] == ' ';
    eng_value *items = eng_arena_alloc(arena, n * sizeof *items);
    if (!items) {
        snprintf(err, errlen, "words: out of memory");
        return -1;
    }
    size_t k = 0, start = 0;
    for (uint32_t i = 0; i <= line->len; i++) {
        if (i == line->len || line->as.s[i] == ' ') {
            items[k++] = eng_str(arena, line->as.s + start, i - start);
            start = i + 1;
        }
    }
    if (line->len > 0)
        while (k > 0 && items[k - 1].len == 0) k--;
    *out = (eng_value){.type = ENG_V_LIST, .len = (uint32_t)k, .as.items = items};
    return 0;
}

static int expect_pair(const char *what, const eng_value *v, char *err, size_t errlen) {
    if (eng_is_seq(v) && v->len == 2) return 0;
    char text[120];
    eng_value_format(v, text, sizeof text);
    snprintf(err, errlen, "%s: record %s is not a (key, value) pair", what, text);
    return -1;
}

/* join variants over cogroup's two lists: Spark's PairRDDFunctions.join,
 * leftOuterJoin, rightOuterJoin, fullOuterJoin (flatMapValues over cogroup). */
static int join_lists(uint32_t which, const eng_value *lists, eng_arena *arena, eng_value *out) {
    const eng_value *l = &lists->as.items[0], *r = &lists->as.items[1];
    eng_value none = eng_nil();
    eng_value lone[1] = {none}, rone[1] = {none};
    const eng_value *ls = l->as.items, *rs = r->as.items;
    size_t ln = l->len, rn = r->len;
    if (ln == 0 && (which == ENG_FN_JOIN_RIGHT || which == ENG_FN_JOIN_FULL)) ls = lone, ln = 1;
    if (rn == 0 && (which == ENG_FN_JOIN_LEFT || which == ENG_FN_JOIN_FULL)) rs = rone, rn = 1;
    if (l->len == 0 && r->len == 0) ln = rn = 0;
    size_t n = ln * rn;
    eng_value *items = eng_arena_alloc(arena, (n ? n : 1) * sizeof *items);
    if (!items) return -1;
    for (size_t i = 0; i < ln; i++)
        for (size_t j = 0; j < rn; j++) items[i * rn + j] = eng_pair(arena, ls[i], rs[j]);
    *out = (eng_value){.type = ENG_V_LIST, .len = (uint32_t)n, .as.items = items};
    return 0;
}

int eng_call(const eng_env *env, const eng_fn *fn, const eng_value *args, int nargs, eng_arena *arena,
             eng_value *out, char *err, size_t errlen) {
    const char *name = eng_builtin_name(fn->builtin);
    switch (fn->builtin) {
    case ENG_FN_HOST:
        return env->ops->call(env->world, fn, args, nargs, arena, out, err, errlen);
    case ENG_FN_IDENTITY:
        *out = args[0];
        return 0;
    case ENG_FN_ADD:
        return arith(name, '+', &args[0], &args[1], out, err, errlen);
    case ENG_FN_SUB:
        return arith(name, '-', &args[0], &args[1], out, err, errlen);
    case ENG_FN_MIN:
        return arith(name, '<', &args[0], &args[1], out, err, errlen);
    case ENG_FN_MAX:
        return arith(name, '>', &args[0], &args[1], out, err, errlen);
    case ENG_FN_WORDS:
        return split_words(&args[0], arena, out, err, errlen);
    case ENG_FN_PAIR_ONE:
        *out = eng_pair(arena, args[0], eng_int(1));
        return 0;
    case ENG_FN_PAIR_NULL_ONE:
        *out = eng_pair(arena, eng_nil(), eng_int(1));
        return 0;
    case ENG_FN_PAIR_NULL:
        *out = eng_pair(arena, eng_nil(), args[0]);
        return 0;
    case ENG_FN_PAIR_ONE_ONE:
        *out = eng_pair(arena, eng_int(1), eng_int(1));
        return 0;
    case ENG_FN_PAIR_ONE_KEY:
        *out = eng_pair(arena, eng_int(1), args[0]);
        return 0;
    case ENG_FN_IS_STATE_ROW:
        *out = eng_bool(eng_is_seq(&args[0]) && args[0].len == 2);
        return 0;
    case ENG_FN_MAPPED_VALUES:
        *out = eng_seq(arena, ENG_V_LIST, args[0].as.items, eng_is_seq(&args[0]) && args[0].len == 1 ? 1 : 0);
        return 0;
    case ENG_FN_STATE_SNAPSHOT:
        if (eng_is_seq(&args[0]) && args[0].len == 2 && eng_is_seq(&args[0].as.items[1])) {
            eng_value kv = eng_pair(arena, args[0].as.items[0], args[0].as.items[1].as.items[0]);
            *out = eng_seq(arena, ENG_V_LIST, &kv, 1);
        } else {
            *out = eng_seq(arena, ENG_V_LIST, NULL, 0);
        }
        return 0;
    case ENG_FN_NONZERO_VALUE:
        if (expect_pair("countByValueAndWindow", &args[0], err, errlen)) return -1;
        *out = eng_bool(!(args[0].as.items[1].type == ENG_V_INT && args[0].as.items[1].as.i == 0));
        return 0;
    case ENG_FN_FIRST:
    case ENG_FN_SECOND:
        if (expect_pair(fn->builtin == ENG_FN_FIRST ? "keys" : "values", &args[0], err, errlen)) return -1;
        *out = args[0].as.items[fn->builtin == ENG_FN_FIRST ? 0 : 1];
        return 0;
    case ENG_FN_LIST_OF:
        *out = eng_seq(arena, ENG_V_LIST, &args[0], 1);
        return 0;
    case ENG_FN_APPEND: {
        const eng_value *l = &args[0];
        eng_value *items = eng_arena_alloc(arena, (l->len + 1) * sizeof *items);
        if (!items) break;
        memcpy(items, l->as.items, l->len * sizeof *items);
        items[l->len] = args[1];
        *out = (eng_value){.type = ENG_V_LIST, .len = l->len + 1, .as.items = items};
        return 0;
    }
    case ENG_FN_CONCAT: {
        const eng_value *a = &args[0], *b = &args[1];
        eng_value *items = eng_arena_alloc(arena, (a->len + b->len + 1) * sizeof *items);
        if (!items) break;
        memcpy(items, a->as.items, a->len * sizeof *items);
        memcpy(items + a->len, b->as.items, b->len * sizeof *items);
        *out = (eng_value){.type = ENG_V_LIST, .len = a->len + b->len, .as.items = items};
        return 0;
    }
    case ENG_FN_JOIN_INNER:
    case ENG_FN_JOIN_LEFT:
    case ENG_FN_JOIN_RIGHT:
    case ENG_FN_JOIN_FULL:
        if (join_lists(fn->builtin, &args[0], arena, out)) break;
        return 0;
    case ENG_FN_SS_MERGE:
        return eng_ss_merge_buffers(fn->ref, &args[0], &args[1], arena, out, err, errlen);
    case ENG_FN_TO_STRING: {
        char small[256];
        size_t n = eng_value_format(&args[0], small, sizeof small);
        if (n < sizeof small) {
            *out = eng_str(arena, small, n);
            return 0;
        }
        char *big = malloc(n + 1);
        if (!big) break;
        eng_value_format(&args[0], big, n + 1);
        *out = eng_str(arena, big, n);
        free(big);
        return 0;
    }
    default:
        snprintf(err, errlen, "unknown built-in function %u", fn->builtin);
        return -1;
    }
    snprintf(err, errlen, "%s: out of memory", name ? name : "function");
    return -1;
}

/* ---- narrow ops ------------------------------------------------------------------ */

/* "file:line: reduceByKey", or the bare name when the op has no call site. */
static const char *op_label(const eng_op *op, char *buf, size_t n) {
    if (op->where && op->where[0])
        snprintf(buf, n, "%s: %s", op->where, eng_op_name_str(op->name));
    else
        snprintf(buf, n, "%s", eng_op_name_str(op->name));
    return buf;
}

/* A function's error in an operation: a host function's message already
 * starts with its file:line, so the operation's name goes after it. */
static void fn_error(char *err, size_t errlen, const char *what, const eng_op *op, const eng_fn *fn,
                     const char *inner) {
    if (fn->builtin == ENG_FN_HOST)
        snprintf(err, errlen, "%s (in %s)", inner, eng_op_name_str(op->name));
    else
        snprintf(err, errlen, "%s: %s", what, inner);
}

static int truthy(const eng_value *v) { return !(v->type == ENG_V_NIL || (v->type == ENG_V_BOOL && !v->as.i)); }

static int expect_seq(const char *what, const eng_value *v, char *err, size_t errlen) {
    if (eng_is_seq(v)) return 0;
    snprintf(err, errlen, "%s: the function must return a sequence (a Lua list), got %s", what, type_word(v));
    return -1;
}

static int push_items(eng_part *out, const eng_value *seq) {
    for (uint32_t i = 0; i < seq->len; i++) eng_part_push(out, seq->as.items[i]);
    return 0;
}

/* Folds the first values of the non-empty lists lists[from, to) with f:
 * (a, b) -> f(a, b). Returns 0 with *out nil when all are empty. */
static int fold_firsts(const eng_env *env, const eng_op *op, const eng_fn *f, const eng_value *lists, int from, int to,
                       eng_arena *a, eng_value *out, char *err, size_t errlen) {
    int have = 0;
    char inner[512];
    for (int i = from; i < to; i++) {
        if (lists[i].len == 0) continue;
        eng_value v = lists[i].as.items[0];
        if (!have) {
            *out = v;
            have = 1;
            continue;
        }
        eng_value args[2] = {*out, v};
        if (eng_call(env, f, args, 2, a, out, inner, sizeof inner)) {
            char label[200];
            fn_error(err, errlen, op_label(op, label, sizeof label), op, f, inner);
            return -1;
        }
    }
    if (!have) *out = eng_nil();
    return have;
}

/* ReducedWindowedDStream's mergeValues over (key, (previous window, old
 * batches..., new batches...)): the previous value, minus the old batches
 * (fInv), plus the new ones (f); with no previous value, the new ones
 * alone. Source: ReducedWindowedDStream.compute. */
static int window_merge(const eng_env *env, const eng_op *op, const eng_value *row, eng_arena *a, eng_part *out,
                        const char *what, char *err, size_t errlen) {
    if (expect_pair(what, row, err, errlen)) return -1;
    const eng_value *sides = &row->as.items[1];
    int n_old = op->param, n = (int)sides->len;
    const eng_value *lists = sides->as.items;
    eng_value olds, news, value;
    int has_old = fold_firsts(env, op, &op->fn, lists, 1, 1 + n_old, a, &olds, err, errlen);
    if (has_old < 0) return -1;
    int has_new = fold_firsts(env, op, &op->fn, lists, 1 + n_old, n, a, &news, err, errlen);
    if (has_new < 0) return -1;
    char inner[512];
    if (lists[0].len == 0) {
        if (!has_new) {
            snprintf(err, errlen,
                     "%s: Neither previous window has value for key, nor new values found. Are you sure your key class "
                     "hashes consistently?",
                     what);
            return -1;
        }
        value = news;
    } else {
        value = lists[0].as.items[0];
        if (has_old) {
            eng_value args[2] = {value, olds};
            if (eng_call(env, &op->fn2, args, 2, a, &value, inner, sizeof inner)) {
                fn_error(err, errlen, what, op, &op->fn2, inner);
                return -1;
            }
        }
        if (has_new) {
            eng_value args[2] = {value, news};
            if (eng_call(env, &op->fn, args, 2, a, &value, inner, sizeof inner)) {
                fn_error(err, errlen, what, op, &op->fn, inner);
                return -1;
            }
        }
    }
    eng_part_push(out, eng_pair(a, row->as.items[0], value));
    return 0;
}

/* updateStateByKey's function over (key, (new values, previous state)):
 * f(values, state) or, in the time form, f(time_ms, key, values, state),
 * with state nil when the key had none; nil removes the key. IDLE runs over
 * (key, state) rows with no values. Source: StateDStream.compute. */
static int update_state(const eng_env *env, const eng_op *op, int64_t time_us, const eng_value *row, eng_arena *a,
                        eng_part *out, const char *what, char *err, size_t errlen) {
    if (expect_pair(what, row, err, errlen)) return -1;
    eng_value values, state = eng_nil();
    if (op->kind == ENG_OP_UPDATE_STATE_IDLE) {
        values = eng_seq(a, ENG_V_LIST, NULL, 0);
        state = row->as.items[1];
    } else {
        const eng_value *sides = &row->as.items[1];
        values = sides->as.items[0];
        if (sides->len > 1 && sides->as.items[1].len > 0) state = sides->as.items[1].as.items[0];
    }
    eng_value args[4], r;
    int n = 0;
    if (op->param) {
        /* the RDD's own batch time (a re-run of an older state keeps its time); Lua gets ms */
        args[n++] = eng_int((op->time_us ? op->time_us : time_us) / 1000);
        args[n++] = row->as.items[0];
    }
    args[n++] = values;
    args[n++] = state;
    char inner[512];
    if (eng_call(env, &op->fn, args, n, a, &r, inner, sizeof inner)) {
        fn_error(err, errlen, what, op, &op->fn, inner);
        return -1;
    }
    if (r.type != ENG_V_NIL) eng_part_push(out, eng_pair(a, row->as.items[0], r));
    return 0;
}

int eng_compute_narrow(const eng_env *env, const eng_op *op, int index, int64_t time_us, const eng_part *in,
                       eng_part *out, char *err, size_t errlen) {
    char label[200];
    const char *what = op_label(op, label, sizeof label);
    eng_arena *a = &out->arena;
    char inner[512];
    eng_value r;
    switch (op->kind) {
    case ENG_OP_GLOM: {
        eng_part_push(out, eng_seq(a, ENG_V_LIST, in->rows, in->count));
        return 0;
    }
    case ENG_OP_MAP_PARTITIONS: {
        eng_value list = eng_seq(a, ENG_V_LIST, in->rows, in->count);
        if (eng_call(env, &op->fn, &list, 1, a, &r, inner, sizeof inner)) goto fail;
        if (expect_seq(what, &r, err, errlen)) return -1;
        return push_items(out, &r);
    }
    case ENG_OP_DISTRIBUTE: {
        eng_xorshift rnd;
        eng_xorshift_init(&rnd, index);
        int64_t position = eng_xorshift_next_int(&rnd, op->num_partitions);
        for (size_t i = 0; i < in->count; i++) {
            position++;
            eng_part_push(out, eng_pair(a, eng_int(position), in->rows[i]));
        }
        return 0;
    }
    default:
        break;
    }
    for (size_t i = 0; i < in->count; i++) {
        const eng_value *row = &in->rows[i];
        switch (op->kind) {
        case ENG_OP_MAP:
            if (eng_call(env, &op->fn, row, 1, a, &r, inner, sizeof inner)) goto fail;
            eng_part_push(out, r);
            break;
        case ENG_OP_FILTER:
            if (eng_call(env, &op->fn, row, 1, a, &r, inner, sizeof inner)) goto fail;
            if (truthy(&r)) eng_part_push(out, *row);
            break;
        case ENG_OP_FLAT_MAP:
            if (eng_call(env, &op->fn, row, 1, a, &r, inner, sizeof inner)) goto fail;
            if (expect_seq(what, &r, err, errlen)) return -1;
            push_items(out, &r);
            break;
        case ENG_OP_MAP_VALUES:
        case ENG_OP_FLAT_MAP_VALUES: {
            if (expect_pair(what, row, err, errlen)) return -1;
            if (eng_call(env, &op->fn, &row->as.items[1], 1, a, &r, inner, sizeof inner)) goto fail;
            eng_value key = row->as.items[0];
            if (op->kind == ENG_OP_MAP_VALUES) {
                eng_part_push(out, eng_pair(a, key, r));
            } else {
                if (expect_seq(what, &r, err, errlen)) return -1;
                for (uint32_t k = 0; k < r.len; k++) eng_part_push(out, eng_pair(a, key, r.as.items[k]));
            }
            break;
        }
        case ENG_OP_WINDOW_MERGE:
            if (window_merge(env, op, row, a, out, what, err, errlen)) return -1;
            break;
        case ENG_OP_UPDATE_STATE:
        case ENG_OP_UPDATE_STATE_IDLE:
            if (update_state(env, op, time_us, row, a, out, what, err, errlen)) return -1;
            break;
        default:
            snprintf(err, errlen, "%s: not a narrow operation", what);
            return -1;
        }
    }
    return 0;
fail:
    fn_error(err, errlen, what, op, &op->fn, inner);
    return -1;
}

/* ---- shuffles ------------------------------------------------------------------ */

typedef struct pid_row {
    int pid;
    size_t seq; /* position in the map's iteration, for a stable sort */
    eng_value key, val;
} pid_row;

static int by_pid(const void *x, const void *y) {
    const pid_row *a = x, *b = y;
    if (a->pid != b->pid) return a->pid < b->pid ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

int eng_shuffle_write(const eng_env *env, const eng_op *reader, const eng_part *in, eng_part *buckets, char *err,
                      size_t errlen) {
    char label[200];
    const char *what = op_label(reader, label, sizeof label);
    int n = reader->num_partitions;
    const eng_aggregator *agg = &reader->agg;
    if (!(reader->kind == ENG_OP_COMBINE && agg->present && agg->map_side_combine)) {
        for (size_t i = 0; i < in->count; i++) {
            if (expect_pair(what, &in->rows[i], err, errlen)) return -1;
            int p = eng_value_partition(&in->rows[i].as.items[0], n);
            eng_part_push_copy(&buckets[p], &in->rows[i]);
        }
        return 0;
    }
    /* Map-side combine in a PartitionedAppendOnlyMap keyed by (partition, key). */
    eng_aomap map;
    eng_aomap_init(&map);
    eng_arena scratch;
    eng_arena_init(&scratch);
    int rc = 0;
    char inner[512];
    for (size_t i = 0; i < in->count && rc == 0; i++) {
        const eng_value *row = &in->rows[i];
        if (expect_pair(what, row, err, errlen)) {
            rc = -1;
            break;
        }
        /* the map's key is (partition, key); its hash comes from the key's
         * hash, computed once for both the partition and the map */
        const eng_value *key = &row->as.items[0];
        int32_t kh = key->type == ENG_V_NIL ? 0 : eng_value_hash(key);
        int pid = key->type == ENG_V_NIL ? 0 : (int)(kh % n < 0 ? kh % n + n : kh % n);
        int32_t coop = key->type == ENG_V_INT || key->type == ENG_V_DOUBLE ? eng_value_coop_hash(key) : kh;
        eng_value probe_items[2] = {eng_int(pid), *key};
        eng_value probe = {.type = ENG_V_TUPLE, .len = 2, .as.items = probe_items};
        int found;
        eng_value *stored;
        eng_value *slot = eng_aomap_slot_h(&map, &probe, eng_pair_hash(pid, coop), &found, &stored);
        if (!found) *stored = eng_pair(&scratch, probe_items[0], probe_items[1]); /* outlives the probe */
        eng_value args[2] = {*slot, row->as.items[1]};
        eng_value r;
        if (found)
            rc = eng_call(env, &agg->merge_value, args, 2, &scratch, &r, inner, sizeof inner);
        else
            rc = eng_call(env, &agg->create_combiner, &row->as.items[1], 1, &scratch, &r, inner, sizeof inner);
        if (rc) {
            fn_error(err, errlen, what, reader, found ? &agg->merge_value : &agg->create_combiner, inner);
            break;
        }
        /* the call may have run Lua, but never this map: the slot stays put */
        *slot = r;
    }
    if (rc == 0) {
        pid_row *rows = malloc((map.size + 1) * sizeof *rows);
        size_t k = 0, it = 0;
        eng_value key, val;
        while (rows && eng_aomap_next(&map, &it, &key, &val)) {
            rows[k] = (pid_row){(int)key.as.items[0].as.i, k, key.as.items[1], val};
            k++;
        }
        if (rows) {
            qsort(rows, k, sizeof *rows, by_pid);
            for (size_t i = 0; i < k; i++) {
                eng_part *b = &buckets[rows[i].pid];
                eng_part_push(b, eng_pair(&b->arena, eng_value_copy(&b->arena, &rows[i].key),
                                          eng_value_copy(&b->arena, &rows[i].val)));
            }
        } else {
            snprintf(err, errlen, "%s: out of memory", what);
            rc = -1;
        }
        free(rows);
    }
    eng_aomap_fini(&map);
    eng_arena_fini(&scratch);
    return rc;
}

/* Growable lists for groupByKey and cogroup: appending to an arena list one
 * value at a time would copy it each time. */
typedef struct vec {
    eng_value *items;
    size_t n, cap;
} vec;

static void vec_push(vec *v, eng_value x) {
    if (v->n == v->cap) {
        size_t c = v->cap ? v->cap * 2 : 4;
        eng_value *p = realloc(v->items, c * sizeof *p);
        if (!p) {
            fputs("streamlab: out of memory grouping records\n", stderr);
            abort();
        }
        v->items = p;
        v->cap = c;
    }
    v->items[v->n++] = x;
}

typedef struct groups {
    vec *lists; /* count x width */
    size_t count, cap;
    int width;
} groups;

static size_t groups_new(groups *g) {
    if (g->count == g->cap) {
        size_t c = g->cap ? g->cap * 2 : 64;
        vec *p = realloc(g->lists, c * (size_t)g->width * sizeof *p);
        if (!p) {
            fputs("streamlab: out of memory grouping records\n", stderr);
            abort();
        }
        memset(p + g->cap * (size_t)g->width, 0, (c - g->cap) * (size_t)g->width * sizeof *p);
        g->lists = p;
        g->cap = c;
    }
    return g->count++;
}

static void groups_free(groups *g) {
    for (size_t i = 0; i < g->count * (size_t)g->width; i++) free(g->lists[i].items);
    free(g->lists);
}

/* Groups values by key (groupByKey without map-side combine, cogroup):
 * the map's value for a key is the index of its lists. */
static int read_grouped(const eng_op *reader, int ndeps, const eng_part *const *inputs, const int *num_maps,
                        eng_part *out, char *err, size_t errlen) {
    char label[200];
    const char *what = op_label(reader, label, sizeof label);
    eng_aomap map;
    eng_aomap_init(&map);
    groups g = {.width = ndeps};
    for (int d = 0; d < ndeps; d++)
        for (int m = 0; m < num_maps[d]; m++) {
            const eng_part *b = &inputs[d][m];
            for (size_t i = 0; i < b->count; i++) {
                if (expect_pair(what, &b->rows[i], err, errlen)) {
                    eng_aomap_fini(&map);
                    groups_free(&g);
                    return -1;
                }
                int found;
                eng_value *slot = eng_aomap_slot(&map, &b->rows[i].as.items[0], &found);
                if (!found) *slot = eng_int((int64_t)groups_new(&g));
                vec_push(&g.lists[(size_t)slot->as.i * (size_t)ndeps + (size_t)d], b->rows[i].as.items[1]);
            }
        }
    size_t it = 0;
    eng_value key, idx;
    eng_arena *a = &out->arena;
    while (eng_aomap_next(&map, &it, &key, &idx)) {
        eng_value sides[ENG_PLAN_DEPS_MAX];
        for (int d = 0; d < ndeps; d++) {
            vec *v = &g.lists[(size_t)idx.as.i * (size_t)ndeps + (size_t)d];
            eng_value list = eng_seq(a, ENG_V_LIST, v->items, v->n);
            sides[d] = list;
        }
        eng_value k = key;
        eng_value v = reader->kind == ENG_OP_COGROUP ? eng_seq(a, ENG_V_TUPLE, sides, (size_t)ndeps) : sides[0];
        eng_part_push(out, eng_pair(a, k, v));
    }
    eng_aomap_fini(&map);
    groups_free(&g);
    return 0;
}

static int is_group_by_key(const eng_aggregator *agg) {
    return agg->create_combiner.builtin == ENG_FN_LIST_OF && agg->merge_value.builtin == ENG_FN_APPEND &&
           !agg->map_side_combine;
}

/* MapWithStateRDD's compute over (new data, previous state rows): the
 * function once per record, in the data's order, each seeing the updates
 * of the ones before; then, in a full-scan batch, one last call for every
 * key idle longer than the timeout. Out: the mapped values as {value}, then
 * the state rows (k, {state, last update ms}) in AppendOnlyMap order.
 * Source: MapWithStateRDD.scala (updateRecordWithData), State.scala. */
static int map_with_state(const eng_env *env, const eng_op *op, const eng_part *data, int data_maps,
                          const eng_part *prev, int prev_maps, eng_part *out, const char *what, char *err,
                          size_t errlen) {
    eng_aomap map;
    eng_aomap_init(&map);
    eng_arena *a = &out->arena;
    int64_t now_ms = op->time_us / 1000;
    /* the previous state: (k, {state, time}) */
    for (int m = 0; m < prev_maps; m++)
        for (size_t i = 0; i < prev[m].count; i++) {
            const eng_value *row = &prev[m].rows[i];
            int found;
            eng_value *slot = eng_aomap_slot(&map, &row->as.items[0], &found);
            *slot = row->as.items[1];
            if (op->param & 2) { /* the initial state: stamped with the first batch's time (createFromPairRDD) */
                eng_value items[2] = {row->as.items[1].as.items[0], eng_int(now_ms)};
                *slot = eng_seq(a, ENG_V_TUPLE, items, 2);
            }
        }
    char inner[512];
    int rc = 0;
    for (int m = 0; m < data_maps && !rc; m++)
        for (size_t i = 0; i < data[m].count && !rc; i++) {
            const eng_value *row = &data[m].rows[i];
            if (expect_pair(what, row, err, errlen)) {
                rc = -1;
                break;
            }
            int found;
            eng_value *slot = eng_aomap_slot(&map, &row->as.items[0], &found);
            eng_state st = {.exists = found && slot->type != ENG_V_NIL};
            if (st.exists) st.value = slot->as.items[0];
            eng_value mapped;
            if (env->ops->call_state(env->world, &op->fn, &row->as.items[0], &row->as.items[1], &st, a, &mapped, inner,
                                     sizeof inner)) {
                fn_error(err, errlen, what, op, &op->fn, inner);
                rc = -1;
                break;
            }
            slot = eng_aomap_slot(&map, &row->as.items[0], &found);
            if (st.removed) {
                *slot = eng_nil();
            } else if (st.updated || (st.exists && op->timeout_us > 0)) {
                /* an updated state, or an existing one with a timeout, is stamped
                 * with this batch's time (MapWithStateRDDRecord.updateRecordWithData) */
                eng_value items[2] = {st.value, eng_int(now_ms)};
                *slot = eng_seq(a, ENG_V_TUPLE, items, 2);
            } else if (!found) {
                *slot = eng_nil(); /* a new key the function left alone: no state */
            }
            /* nil is Spark's None: nothing mapped */
            if (mapped.type != ENG_V_NIL) eng_part_push(out, eng_seq(a, ENG_V_TUPLE, &mapped, 1));
        }
    if (!rc && (op->param & 1) && op->timeout_us > 0) {
        size_t it = 0;
        eng_value key, val;
        int64_t cutoff = now_ms - op->timeout_us / 1000;
        while (!rc && eng_aomap_next(&map, &it, &key, &val)) {
            if (val.type == ENG_V_NIL || val.as.items[1].as.i >= cutoff) continue;
            eng_state st = {.exists = 1, .value = val.as.items[0], .timing_out = 1};
            eng_value mapped, none = eng_nil();
            if (env->ops->call_state(env->world, &op->fn, &key, &none, &st, a, &mapped, inner, sizeof inner)) {
                fn_error(err, errlen, what, op, &op->fn, inner);
                rc = -1;
                break;
            }
            int found;
            *eng_aomap_slot(&map, &key, &found) = eng_nil(); /* removed after its last call */
            if (mapped.type != ENG_V_NIL) eng_part_push(out, eng_seq(a, ENG_V_TUPLE, &mapped, 1));
        }
    }
    if (!rc) {
        size_t it = 0;
        eng_value key, val;
        while (eng_aomap_next(&map, &it, &key, &val))
            if (val.type != ENG_V_NIL) eng_part_push(out, eng_pair(a, key, val));
    }
    eng_aomap_fini(&map);
    return rc;
}

int eng_shuffle_read(const eng_env *env, const eng_op *reader, int ndeps, const eng_part *const *inputs,
                     const int *num_maps, eng_part *out, char *err, size_t errlen) {
    if (reader->kind == ENG_OP_MAP_WITH_STATE) {
        char label[200];
        return map_with_state(env, reader, inputs[0], num_maps[0], ndeps > 1 ? inputs[1] : NULL, ndeps > 1 ? num_maps[1] : 0,
                              out, op_label(reader, label, sizeof label), err, errlen);
    }
    char label[200];
    const char *what = op_label(reader, label, sizeof label);
    const eng_aggregator *agg = &reader->agg;
    if (reader->kind == ENG_OP_COGROUP) {
        if (ndeps > ENG_PLAN_DEPS_MAX) {
            snprintf(err, errlen, "%s: at most %d parents", what, ENG_PLAN_DEPS_MAX);
            return -1;
        }
        return read_grouped(reader, ndeps, inputs, num_maps, out, err, errlen);
    }
    if (!agg->present) { /* partitionBy: the records as they come, map by map */
        for (int m = 0; m < num_maps[0]; m++)
            for (size_t i = 0; i < inputs[0][m].count; i++) eng_part_push(out, inputs[0][m].rows[i]);
        return 0;
    }
    if (is_group_by_key(agg)) return read_grouped(reader, 1, inputs, num_maps, out, err, errlen);
    eng_aomap map;
    eng_aomap_init(&map);
    eng_arena scratch;
    eng_arena_init(&scratch);
    char inner[512];
    int rc = 0;
    for (int m = 0; m < num_maps[0] && rc == 0; m++) {
        const eng_part *b = &inputs[0][m];
        for (size_t i = 0; i < b->count && rc == 0; i++) {
            const eng_value *row = &b->rows[i];
            if (expect_pair(what, row, err, errlen)) {
                rc = -1;
                break;
            }
            int found;
            eng_value *slot = eng_aomap_slot(&map, &row->as.items[0], &found);
            eng_value args[2] = {*slot, row->as.items[1]};
            eng_value r;
            if (!found && agg->map_side_combine)
                r = row->as.items[1];
            else if (!found)
                rc = eng_call(env, &agg->create_combiner, &row->as.items[1], 1, &scratch, &r, inner, sizeof inner);
            else
                rc = eng_call(env, agg->map_side_combine ? &agg->merge_combiners : &agg->merge_value, args, 2,
                              &scratch, &r, inner, sizeof inner);
            if (rc) {
                fn_error(err, errlen, what, reader,
                         !found ? &agg->create_combiner : agg->map_side_combine ? &agg->merge_combiners : &agg->merge_value,
                         inner);
                break;
            }
            slot = eng_aomap_slot(&map, &row->as.items[0], &found);
            *slot = r;
        }
    }
    if (rc == 0) {
        size_t it = 0;
        eng_value key, val;
        while (eng_aomap_next(&map, &it, &key, &val))
            eng_part_push(out, eng_pair(&out->arena, key, eng_value_copy(&out->arena, &val)));
    }
    eng_aomap_fini(&map);
    eng_arena_fini(&scratch);
    return rc;
}
