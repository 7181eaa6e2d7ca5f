/* engine/func.h — the functions a job applies to records.
 *
 * A function is either built in (runs natively: add, sub, min, max, words,
 * pairs with 1, ...) or the host's (a Lua function of the scenario, called
 * through the env). Built-ins exist for speed and for the operations Spark
 * defines in terms of functions (count = map to (null, 1) + reduceByKey(+)).
 *
 * A host function is code, not state: the program keeps a reference that
 * stays valid for the whole run (through driver crashes), as Spark ships a
 * closure with every task.
 */
#ifndef ENG_FUNC_H
#define ENG_FUNC_H

#include <stdint.h>

#include "value.h"

typedef enum eng_builtin {
    ENG_FN_HOST = 0,        /* the host's function `ref` */
    ENG_FN_IDENTITY,        /* x -> x */
    ENG_FN_ADD,             /* (a, b) -> a + b (ints stay ints; a double makes a double) */
    ENG_FN_SUB,             /* (a, b) -> a - b */
    ENG_FN_MIN,             /* (a, b) -> the smaller */
    ENG_FN_MAX,             /* (a, b) -> the larger */
    ENG_FN_WORDS,           /* line -> its words split on " " (Spark's line.split(" ")) */
    ENG_FN_PAIR_ONE,        /* x -> (x, 1) */
    ENG_FN_PAIR_NULL_ONE,   /* x -> (null, 1): count() */
    ENG_FN_PAIR_NULL,       /* x -> (null, x): reduce() */
    ENG_FN_SECOND,          /* (k, v) -> v: values() */
    ENG_FN_FIRST,           /* (k, v) -> k: keys() */
    ENG_FN_LIST_OF,         /* v -> [v]: groupByKey's createCombiner */
    ENG_FN_APPEND,          /* ([..], v) -> [.., v]: groupByKey's mergeValue */
    ENG_FN_CONCAT,          /* ([..], [..]) -> [.., ..]: groupByKey's mergeCombiners */
    ENG_FN_JOIN_INNER,      /* (l, r) lists -> [(v, w) for v in l for w in r]: join */
    ENG_FN_JOIN_LEFT,       /* leftOuterJoin: w is nil (None) when r is empty */
    ENG_FN_JOIN_RIGHT,      /* rightOuterJoin */
    ENG_FN_JOIN_FULL,       /* fullOuterJoin */
    ENG_FN_TO_STRING,       /* x -> its Spark toString */
    ENG_FN_NONZERO_VALUE,   /* (k, v) -> v != 0: countByValueAndWindow's filter */
    ENG_FN_PAIR_ONE_ONE,    /* x -> (1, 1): countByWindow */
    ENG_FN_PAIR_ONE_KEY,    /* x -> (1, x): reduceByWindow with an inverse */
    ENG_FN_IS_STATE_ROW,    /* mapWithState's rows: (k, {state, time}) is a state row, {mapped} is not */
    ENG_FN_MAPPED_VALUES,   /* {mapped} -> {mapped}; a state row -> {} */
    ENG_FN_STATE_SNAPSHOT,  /* (k, {state, time}) -> {(k, state)}; {mapped} -> {} */
    ENG_FN_SS_MERGE,        /* (buffers, buffers) -> merged: Structured Streaming aggregation (ref: packed agg kinds) */
    ENG_FN_COUNT_
} eng_builtin;

typedef struct eng_fn {
    uint32_t builtin;  /* eng_builtin */
    int32_t ref;       /* the host's handle when builtin == ENG_FN_HOST */
    const char *where; /* "file:line" where the scenario passed it, or the op's name; program-owned */
} eng_fn;

/* Whether fn names a function (a zero eng_fn means "none"). */
static inline int eng_fn_present(const eng_fn *fn) { return fn->builtin != ENG_FN_HOST || fn->ref != 0; }

/* The Lua name of a built-in ("add", "words", ...), or NULL. */
const char *eng_builtin_name(uint32_t builtin);
/* The built-in of a Lua name, or -1. Only those meant for scenarios are named. */
int eng_builtin_by_name(const char *name);

#endif
