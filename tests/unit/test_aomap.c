/* tests/unit/test_aomap.c — Spark's AppendOnlyMap iteration order.
 *
 * Golden orders from tests/golden/AppendOnlyMapOrder.java: a line-for-line
 * Java port of AppendOnlyMap.changeValue/growTable/iterator over real JVM keys
 * (String, Long, Double, null, Scala-2.12 tuples) with Guava's real
 * murmur3_32().hashInt as rehash. Keys are listed as that program prints
 * them: strings quoted, longs with an L, doubles and tuples by toString. */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../engine/aomap.h"
#include "../../engine/arena.h"
#include "../../engine/value.h"

static const char *const letters_order[] = {
    "\"d\"", "\"w\"", "\"s\"", "\"e\"", "\"p\"", "\"x\"", "\"z\"", "\"a\"", "\"t\"", "\"i\"", "\"b\"", "\"y\"",
    "\"k\"", "\"u\"", "\"h\"", "\"o\"", "\"n\"", "\"f\"", "\"q\"", "\"j\"", "\"v\"", "\"r\"", "\"g\"", "\"l\"",
    "\"m\"", "\"c\"",
};
static const int64_t letters_values[] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};
#define LETTERS_CAPACITY 64

static const char *const k100_order[] = {
    "\"k29\"", "\"k71\"", "\"k6\"", "\"k89\"", "\"k53\"", "\"k85\"", "\"k90\"", "\"k39\"", "\"k41\"", "\"k64\"",
    "\"k55\"", "\"k69\"", "\"k12\"", "\"k52\"", "\"k36\"", "\"k21\"", "\"k51\"", "\"k58\"", "\"k77\"", "\"k94\"",
    "\"k54\"", "\"k67\"", "\"k35\"", "\"k42\"", "\"k37\"", "\"k87\"", "\"k38\"", "\"k73\"", "\"k14\"", "\"k20\"",
    "\"k34\"", "\"k50\"", "\"k59\"", "\"k66\"", "\"k79\"", "\"k45\"", "\"k22\"", "\"k48\"", "\"k81\"", "\"k23\"",
    "\"k7\"", "\"k68\"", "\"k10\"", "\"k4\"", "\"k76\"", "\"k97\"", "\"k27\"", "\"k28\"", "\"k95\"", "\"k47\"",
    "\"k33\"", "\"k18\"", "\"k56\"", "\"k60\"", "\"k9\"", "\"k5\"", "\"k25\"", "\"k3\"", "\"k75\"", "\"k93\"",
    "\"k11\"", "\"k46\"", "\"k43\"", "\"k40\"", "\"k91\"", "\"k13\"", "\"k78\"", "\"k62\"", "\"k0\"", "\"k70\"",
    "\"k15\"", "\"k88\"", "\"k65\"", "\"k44\"", "\"k74\"", "\"k30\"", "\"k17\"", "\"k24\"", "\"k99\"", "\"k19\"",
    "\"k26\"", "\"k92\"", "\"k86\"", "\"k72\"", "\"k2\"", "\"k31\"", "\"k84\"", "\"k82\"", "\"k8\"", "\"k80\"",
    "\"k98\"", "\"k96\"", "\"k63\"", "\"k1\"", "\"k61\"", "\"k32\"", "\"k49\"", "\"k57\"", "\"k83\"", "\"k16\"",
};
static const int64_t k100_values[] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};
#define K100_CAPACITY 256

static const char *const longs_order[] = {
    "13L", "19L", "34L", "39L", "4L", "16L", "28L", "29L", "11L", "14L", "50L", "30L", "24L", "35L", "37L", "36L",
    "45L", "1L", "17L", "18L", "12L", "9L", "38L", "49L", "20L", "43L", "10L", "41L", "15L", "21L", "47L", "22L",
    "25L", "46L", "48L", "32L", "27L", "33L", "42L", "23L", "40L", "6L", "3L", "7L", "8L", "44L", "31L", "26L",
    "5L", "2L",
};
static const int64_t longs_values[] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};
#define LONGS_CAPACITY 128

static const char *const special_order[] = {
    "2147483648L", "-9223372036854775808L", "9223372036854775807L", "0L", "-1L", "-1099511627776L", "42L", "-7L",
};
static const int64_t special_values[] = {
    1, 1, 1, 1, 1, 1, 1, 1,
};
#define SPECIAL_CAPACITY 64

static const char *const null_words_order[] = {
    "null", "\"z\"", "\"x\"", "\"y\"",
};
static const int64_t null_words_values[] = {
    2, 1, 2, 1,
};
#define NULL_WORDS_CAPACITY 64

static const char *const null_growth_order[] = {
    "null", "\"n2\"", "\"n21\"", "\"n5\"", "\"n8\"", "\"n31\"", "\"n35\"", "\"n4\"", "\"n28\"", "\"n22\"",
    "\"n29\"", "\"n41\"", "\"n33\"", "\"n16\"", "\"n7\"", "\"n26\"", "\"n36\"", "\"n6\"", "\"n1\"", "\"n43\"",
    "\"n18\"", "\"n30\"", "\"n13\"", "\"n32\"", "\"n3\"", "\"n42\"", "\"n19\"", "\"n14\"", "\"n9\"", "\"n40\"",
    "\"n15\"", "\"n12\"", "\"n20\"", "\"n39\"", "\"n23\"", "\"n17\"", "\"n24\"", "\"n0\"", "\"n34\"", "\"n10\"",
    "\"n38\"", "\"n25\"", "\"n37\"", "\"n27\"", "\"n11\"",
};
static const int64_t null_growth_values[] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1,
};
#define NULL_GROWTH_CAPACITY 128

static const char *const words_order[] = {
    "\"fox\"", "\"jumps\"", "\"quick\"", "\"lazy\"", "\"end\"", "\"dog\"", "\"over\"", "\"brown\"", "\"and\"",
    "\"the\"",
};
static const int64_t words_values[] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 3,
};
#define WORDS_CAPACITY 64

static const char *const tuples_order[] = {
    "(b,2)", "(a,2)", "(c,3)", "(a,1)", "(null,2)",
};
static const int64_t tuples_values[] = {
    1, 1, 1, 2, 1,
};
#define TUPLES_CAPACITY 64

static const char *const doubles_order[] = {
    "1.5", "-0.0", "2.0", "NaN", "0.0", "0.1",
};
static const int64_t doubles_values[] = {
    2, 1, 1, 1, 1, 1,
};
#define DOUBLES_CAPACITY 64

static const char *const mixed_order[] = {
    "false", "1L", "\"true\"", "true", "\"1\"", "1.0",
};
static const int64_t mixed_values[] = {
    1, 1, 1, 1, 1, 1,
};
#define MIXED_CAPACITY 64

/* The key as AppendOnlyMapOrder.java shows it. */
static void describe(const eng_value *k, char *buf, size_t n) {
    switch (k->type) {
    case ENG_V_STR:
        snprintf(buf, n, "\"%s\"", k->as.s);
        break;
    case ENG_V_INT:
        snprintf(buf, n, "%" PRId64 "L", k->as.i);
        break;
    default:
        eng_value_format(k, buf, n);
    }
}

/* changeValue with a count: 1 for a new key, +1 for a known one. */
static void count(eng_aomap *m, eng_value key) {
    int found;
    eng_value *slot = eng_aomap_slot(m, &key, &found);
    if (found) cr_assert_eq(slot->type, ENG_V_INT);
    *slot = eng_int(found ? slot->as.i + 1 : 1);
}

static void check_order(const eng_aomap *m, const char *const *order, const int64_t *values, size_t n,
                        size_t capacity) {
    size_t it = 0, i = 0;
    eng_value key, val;
    char got[128];
    while (eng_aomap_next(m, &it, &key, &val)) {
        cr_assert_lt(i, n, "more keys than Spark's %zu", n);
        describe(&key, got, sizeof got);
        cr_assert_str_eq(got, order[i], "key %zu: expected %s, got %s", i, order[i], got);
        cr_assert_eq(val.type, ENG_V_INT);
        cr_assert_eq(val.as.i, values[i], "value of %s", order[i]);
        i++;
    }
    cr_assert_eq(i, n, "expected %zu keys, iterated %zu", n, i);
    cr_assert_eq(m->capacity, capacity, "capacity: expected %zu, got %zu", capacity, m->capacity);
    cr_assert_eq(m->size, n);
    cr_assert_eq(eng_aomap_next(m, &it, &key, &val), 0, "the end stays the end");
}

#define CHECK_ORDER(m, name, CAP) check_order(m, name##_order, name##_values, sizeof name##_values / sizeof(int64_t), CAP)

Test(aomap, murmur3_hash_int_matches_guava) {
    cr_assert_eq(eng_murmur3_hash_int(0), 593689054);
    cr_assert_eq(eng_murmur3_hash_int(1), -68075478);
    cr_assert_eq(eng_murmur3_hash_int(-1), 1982413648);
    cr_assert_eq(eng_murmur3_hash_int(97), 1455541201); /* "a".hashCode */
    cr_assert_eq(eng_murmur3_hash_int(99162322), 1715862179); /* "hello".hashCode */
    cr_assert_eq(eng_murmur3_hash_int(INT32_MIN), -1718298732);
    cr_assert_eq(eng_murmur3_hash_int(INT32_MAX), -1653689534);
}

Test(aomap, letters_iterate_in_spark_order) {
    eng_arena a = {0};
    eng_aomap m;
    eng_aomap_init(&m);
    for (char c = 'a'; c <= 'z'; c++) count(&m, eng_str(&a, &c, 1));
    CHECK_ORDER(&m, letters, LETTERS_CAPACITY);
    eng_aomap_fini(&m);
    eng_arena_fini(&a);
}

Test(aomap, hundred_keys_grow_twice_and_keep_spark_order) {
    eng_arena a = {0};
    eng_aomap m;
    eng_aomap_init(&m);
    char k[16];
    for (int i = 0; i < 100; i++) {
        snprintf(k, sizeof k, "k%d", i);
        count(&m, eng_cstr(&a, k));
        /* 64 slots hold 44 keys, 128 hold 89 */
        cr_assert_eq(m.capacity, i + 1 <= 44 ? 64u : i + 1 <= 89 ? 128u : 256u, "after %d keys", i + 1);
    }
    CHECK_ORDER(&m, k100, K100_CAPACITY);
    eng_aomap_fini(&m);
    eng_arena_fini(&a);
}

Test(aomap, integer_keys_iterate_in_spark_order) {
    eng_aomap m;
    eng_aomap_init(&m);
    for (int64_t i = 1; i <= 50; i++) count(&m, eng_int(i));
    CHECK_ORDER(&m, longs, LONGS_CAPACITY);
    eng_aomap_fini(&m);

    eng_aomap_init(&m);
    const int64_t keys[] = {0, -1, INT64_C(1) << 31, -(INT64_C(1) << 40), INT64_MIN, INT64_MAX, 42, -7};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) count(&m, eng_int(keys[i]));
    CHECK_ORDER(&m, special, SPECIAL_CAPACITY);
    eng_aomap_fini(&m);
}

Test(aomap, null_key_comes_first) {
    eng_arena a = {0};
    eng_aomap m;
    eng_aomap_init(&m);
    const char *keys[] = {"x", NULL, "y", "x", NULL, "z"};
    for (size_t i = 0; i < 6; i++) count(&m, keys[i] ? eng_cstr(&a, keys[i]) : eng_nil());
    CHECK_ORDER(&m, null_words, NULL_WORDS_CAPACITY);
    eng_aomap_fini(&m);
    eng_arena_fini(&a);
}

Test(aomap, null_key_counts_toward_growth) {
    /* null + 44 keys = 45 > 0.7 x 64: Spark's incrementSize grows to 128 slots. */
    eng_arena a = {0};
    eng_aomap m;
    eng_aomap_init(&m);
    count(&m, eng_nil());
    char k[16];
    for (int i = 0; i < 44; i++) {
        snprintf(k, sizeof k, "n%d", i);
        count(&m, eng_cstr(&a, k));
    }
    CHECK_ORDER(&m, null_growth, NULL_GROWTH_CAPACITY);
    eng_aomap_fini(&m);
    eng_arena_fini(&a);
}

Test(aomap, word_count_repeats_keep_first_slot) {
    eng_arena a = {0};
    eng_aomap m;
    eng_aomap_init(&m);
    const char *words[] = {"the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", "and", "the", "end"};
    for (size_t i = 0; i < 12; i++) count(&m, eng_cstr(&a, words[i]));
    CHECK_ORDER(&m, words, WORDS_CAPACITY);
    eng_aomap_fini(&m);
    eng_arena_fini(&a);
}

Test(aomap, tuple_keys_hash_as_scala_tuples) {
    eng_arena a = {0};
    eng_aomap m;
    eng_aomap_init(&m);
    const char *k1[] = {"a", "b", "a", "a", "c", NULL};
    const int64_t k2[] = {1, 2, 2, 1, 3, 2};
    for (size_t i = 0; i < 6; i++)
        count(&m, eng_pair(&a, k1[i] ? eng_cstr(&a, k1[i]) : eng_nil(), eng_int(k2[i])));
    CHECK_ORDER(&m, tuples, TUPLES_CAPACITY);
    eng_aomap_fini(&m);
    eng_arena_fini(&a);
}

Test(aomap, double_keys_compare_as_double_equals) {
    /* -0.0 and 0.0 are two keys, NaN one key, as java.lang.Double.equals has it */
    eng_aomap m;
    eng_aomap_init(&m);
    const double keys[] = {1.5, 0.1, -0.0, 0.0, NAN, 2.0, 1.5};
    for (size_t i = 0; i < 7; i++) count(&m, eng_double(keys[i]));
    CHECK_ORDER(&m, doubles, DOUBLES_CAPACITY);
    eng_aomap_fini(&m);
}

Test(aomap, keys_of_different_types_stay_apart) {
    eng_arena a = {0};
    eng_aomap m;
    eng_aomap_init(&m);
    count(&m, eng_cstr(&a, "1"));
    count(&m, eng_int(1));
    count(&m, eng_double(1.0));
    count(&m, eng_bool(1));
    count(&m, eng_bool(0));
    count(&m, eng_cstr(&a, "true"));
    CHECK_ORDER(&m, mixed, MIXED_CAPACITY);
    eng_aomap_fini(&m);
    eng_arena_fini(&a);
}

Test(aomap, slot_reports_found_and_keeps_values_across_growth) {
    eng_aomap m;
    eng_aomap_init(&m);
    for (int64_t i = 0; i < 1000; i++) {
        int found;
        eng_value key = eng_int(i * 7919);
        eng_value *slot = eng_aomap_slot(&m, &key, &found);
        cr_assert_eq(found, 0);
        cr_assert_eq(slot->type, ENG_V_NIL, "a new slot's value is nil");
        *slot = eng_int(i);
    }
    cr_assert_eq(m.size, 1000);
    cr_assert_eq(m.capacity, 2048); /* 1000 > 0.7 x 1024 */
    for (int64_t i = 0; i < 1000; i++) {
        int found;
        eng_value key = eng_int(i * 7919);
        eng_value *slot = eng_aomap_slot(&m, &key, &found);
        cr_assert_eq(found, 1);
        cr_assert_eq(slot->as.i, i);
    }
    eng_aomap_fini(&m);
}
