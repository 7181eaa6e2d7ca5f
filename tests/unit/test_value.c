/* tests/unit/test_value.c — records: JVM hashCodes, HashPartitioner, Java's
 * Double.toString, JSON, wire sizes, equality and order.
 *
 * JVM golden values come from tests/golden/JvmValues.java run on OpenJDK 17
 * (String/Long/Double/Boolean.hashCode, Double.toString, HashPartitioner's
 * nonNegativeMod) and, for tuples, from a port of Scala 2.12's productHash
 * there, checked against a real Scala library by tests/golden/TupleHashes.java. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "../../engine/arena.h"
#include "../../engine/value.h"

static eng_arena A; /* each test's records; freed in fini */
static void setup(void) { eng_arena_init(&A); }
static void teardown(void) { eng_arena_fini(&A); }
TestSuite(value, .init = setup, .fini = teardown);

static eng_value S(const char *s) { return eng_cstr(&A, s); }
static eng_value P(eng_value a, eng_value b) { return eng_pair(&A, a, b); }
static eng_value T3(eng_value a, eng_value b, eng_value c) {
    eng_value items[3] = {a, b, c};
    return eng_seq(&A, ENG_V_TUPLE, items, 3);
}
static int32_t H(eng_value v) { return eng_value_hash(&v); }

/* ---- hashCode ------------------------------------------------------------- */

Test(value, string_hash_is_java_string_hashcode_over_utf16) {
    cr_assert_eq(H(S("")), 0);
    cr_assert_eq(H(S("a")), 97);
    cr_assert_eq(H(S("hello")), 99162322);
    cr_assert_eq(H(S("na\xc3\xafve")), 104710475);              /* naïve */
    cr_assert_eq(H(S("\xe6\x97\xa5\xe6\x9c\xac")), 835047);      /* 日本 */
    cr_assert_eq(H(S("\xf0\x9f\x98\x80")), 1772899);             /* U+1F600, a surrogate pair */
    cr_assert_eq(H(S("a\xf0\x9f\x98\x80" "b")), 57849694);
}

Test(value, string_hash_of_malformed_utf8_decodes_as_java_does) {
    /* new String(bytes, UTF_8): one U+FFFD per maximal invalid prefix */
    cr_assert_eq(H(S("\xe6\x97" "a")), 2031620);       /* cut-short sequence: one U+FFFD, then a */
    cr_assert_eq(H(S("\xed\xa0\x80")), 65533);         /* encoded surrogate: one U+FFFD */
    cr_assert_eq(H(S("\xf0\x9f\x98")), 65533);         /* cut short at the end */
    cr_assert_eq(H(S("\xc0\x80")), 2097056);           /* overlong: two */
    cr_assert_eq(H(S("\xf4\x90\x80\x80")), 2017367872); /* above U+10FFFF: four */
    cr_assert_eq(H(S("\xe0\x80\x80")), 65074269);      /* overlong 3-byte: three */
    cr_assert_eq(H(S("a\xff" "b")), 2124838);
}

Test(value, long_hash_is_java_long_hashcode) {
    cr_assert_eq(H(eng_int(0)), 0);
    cr_assert_eq(H(eng_int(1)), 1);
    cr_assert_eq(H(eng_int(-1)), 0);
    cr_assert_eq(H(eng_int(INT64_C(1) << 31)), INT32_MIN);
    cr_assert_eq(H(eng_int(-(INT64_C(1) << 40))), -256);
    cr_assert_eq(H(eng_int(INT64_MIN)), INT32_MIN);
    cr_assert_eq(H(eng_int(INT64_MAX)), INT32_MIN);
    cr_assert_eq(H(eng_int(42)), 42);
    cr_assert_eq(H(eng_int(-7)), 6);
}

Test(value, double_hash_is_java_double_hashcode) {
    cr_assert_eq(H(eng_double(0.0)), 0);
    cr_assert_eq(H(eng_double(-0.0)), INT32_MIN);
    cr_assert_eq(H(eng_double(1.5)), 1073217536);
    cr_assert_eq(H(eng_double(NAN)), 2146959360);
    cr_assert_eq(H(eng_double(-NAN)), 2146959360, "every NaN hashes as the canonical NaN");
    cr_assert_eq(H(eng_double(1.0)), 1072693248);
    cr_assert_eq(H(eng_double(INFINITY)), 2146435072);
    cr_assert_eq(H(eng_double(0.1)), -1507852285);
}

Test(value, boolean_and_nil_hashes) {
    cr_assert_eq(H(eng_bool(1)), 1231);
    cr_assert_eq(H(eng_bool(0)), 1237);
    cr_assert_eq(H(eng_nil()), 0);
}

Test(value, tuple_hash_is_scala_212_product_hash) {
    cr_assert_eq(H(P(S("a"), eng_int(1))), 128003929);        /* ("a",1) and ("a",1L) */
    cr_assert_eq(H(P(eng_double(1.0), S("x"))), 462847767);   /* (1.0,"x"): 1.0.## == 1 */
    cr_assert_eq(H(P(eng_nil(), eng_int(2))), 101249937);     /* (null,2) */
    cr_assert_eq(H(T3(S("a"), eng_int(1), eng_bool(1))), 884741089);
    cr_assert_eq(H(P(P(S("a"), eng_int(1)), eng_int(2))), -945171507);
}

Test(value, tuple_items_hash_with_scala_cooperative_rules) {
    /* Statics.longHash: outside the int range, Long.hashCode */
    cr_assert_eq(H(P(S("hello"), eng_int(INT64_C(0x180000000)))), -402618834);
    /* Statics.doubleHash: 1.5 and 0.1 ... */
    cr_assert_eq(H(P(S("k"), eng_double(1.5))), -1187115593); /* exact as a float: Float.hashCode(1.5f) */
    cr_assert_eq(H(P(S("k"), eng_double(0.1))), 1975792067);  /* not a float: Double.hashCode */
    cr_assert_eq(H(P(S("k"), eng_double(1099511627776.0))), 1612755108); /* 2^40: a long first */
    cr_assert_eq(H(P(S("k"), eng_double(9223372036854775808.0))), 562866940); /* 2^63: (long) saturates */
    cr_assert_eq(H(P(S("k"), eng_double(INFINITY))), -1044809004); /* Float.hashCode(Infinity) */
    cr_assert_eq(H(P(S("k"), eng_double(NAN))), -1408989435);      /* Double.hashCode(NaN) */
    cr_assert_eq(H(P(S("k"), eng_double(-0.0))), 536846169);       /* (int)-0.0 == -0.0: 0 */
}

Test(value, hash_partitioner_matches_spark) {
    struct {
        eng_value key;
        int p2, p3, p4;
    } cases[] = {
        {S("a"), 1, 1, 1},
        {S("b"), 0, 2, 2},
        {S("hello"), 0, 1, 2},
        {S("na\xc3\xafve"), 1, 2, 3},
        {S("\xf0\x9f\x98\x80"), 1, 1, 3},
        {eng_int(42), 0, 0, 2},
        {eng_int(-7), 0, 0, 2},
        {eng_int(INT64_MIN), 0, 1, 0}, /* hashCode INT32_MIN: nonNegativeMod */
        {eng_double(1.5), 0, 2, 0},
        {eng_double(-0.0), 0, 1, 0},
        {eng_bool(1), 1, 1, 3},
        {eng_bool(0), 1, 1, 1},
        {P(S("a"), eng_int(1)), 1, 1, 1},
        {eng_nil(), 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_assert_eq(eng_value_partition(&cases[i].key, 2), cases[i].p2, "case %zu of 2", i);
        cr_assert_eq(eng_value_partition(&cases[i].key, 3), cases[i].p3, "case %zu of 3", i);
        cr_assert_eq(eng_value_partition(&cases[i].key, 4), cases[i].p4, "case %zu of 4", i);
    }
}

/* ---- text ------------------------------------------------------------------- */

static const char *fmt(eng_value v) {
    static char buf[256];
    size_t n = eng_value_format(&v, buf, sizeof buf);
    cr_assert_eq(n, strlen(buf));
    return buf;
}

static const char *json(eng_value v) {
    static char buf[256];
    size_t n = eng_value_json(&v, buf, sizeof buf);
    cr_assert_eq(n, strlen(buf));
    return buf;
}

Test(value, double_format_is_java_double_tostring) {
    struct {
        double d;
        const char *java;
    } cases[] = {
        {1.0, "1.0"},
        {0.1, "0.1"},
        {100.0, "100.0"},
        {1e7, "1.0E7"},
        {1.0E-4, "1.0E-4"},
        {123456.789, "123456.789"},
        {-2.5, "-2.5"},
        {1e21, "1.0E21"},
        {5e-324, "4.9E-324"}, /* at least two digits: the closest, not 5.0 */
        {NAN, "NaN"},
        {INFINITY, "Infinity"},
        {-INFINITY, "-Infinity"},
        {-0.0, "-0.0"},
        {0.0, "0.0"},
        {0.001, "0.001"},
        {9999999.0, "9999999.0"},
        {1e-3 * 0.999, "9.99E-4"},
        {0.001 - 0x1p-62, "9.999999999999998E-4"}, /* the double just below 0.001 */
        {1.0 / 3, "0.3333333333333333"},
        {1e100, "1.0E100"},
        {1.7976931348623157e308, "1.7976931348623157E308"},
        {4.35, "4.35"},
        {12345678.9, "1.23456789E7"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_assert_str_eq(fmt(eng_double(cases[i].d)), cases[i].java, "case %zu", i);
}

Test(value, large_integral_doubles_print_as_jdk17_does) {
    /* JDK 17 prints integral doubles below 2^63 from their exact value, with
     * 0 to 2 low digits rounded off: more digits than the shortest form. */
    cr_assert_str_eq(fmt(eng_double(9007199254740994.0)), "9.007199254740994E15");   /* 2^53 + 2 */
    cr_assert_str_eq(fmt(eng_double(-9007199254740994.0)), "-9.007199254740994E15");
    cr_assert_str_eq(fmt(eng_double(1152921504606847232.0)), "1.15292150460684723E18"); /* 2^60 + 2^8 */
    cr_assert_str_eq(fmt(eng_double(1.2867339994152361E18)), "1.2867339994152361E18");
    cr_assert_str_eq(fmt(eng_double(4611686018427387904.0)), "4.6116860184273879E18"); /* 2^62 */
    cr_assert_str_eq(fmt(eng_double(1e18)), "1.0E18");
    cr_assert_str_eq(fmt(eng_double(123456789012345678.0)), "1.2345678901234568E17");
}

Test(value, format_prints_as_spark_tostring) {
    eng_value items[3] = {eng_int(1), eng_int(2), eng_int(3)};
    cr_assert_str_eq(fmt(P(S("a"), eng_int(1))), "(a,1)");
    cr_assert_str_eq(fmt(P(S("k"), P(eng_double(1.5), eng_nil()))), "(k,(1.5,null))");
    cr_assert_str_eq(fmt(eng_seq(&A, ENG_V_LIST, items, 3)), "CompactBuffer(1, 2, 3)");
    cr_assert_str_eq(fmt(P(S("w"), eng_seq(&A, ENG_V_LIST, items, 0))), "(w,CompactBuffer())");
    cr_assert_str_eq(fmt(eng_bool(1)), "true");
    cr_assert_str_eq(fmt(eng_int(INT64_MIN)), "-9223372036854775808");
}

Test(value, format_truncates_like_snprintf) {
    char buf[5];
    eng_value v = P(S("abc"), eng_int(12345));
    cr_assert_eq(eng_value_format(&v, buf, sizeof buf), 11); /* "(abc,12345)" */
    cr_assert_str_eq(buf, "(abc");
    cr_assert_eq(eng_value_format(&v, NULL, 0), 11);
}

Test(value, json_doubles_are_shortest_and_stay_doubles) {
    /* shortest digits, laid out as ECMAScript's Number::toString */
    cr_assert_str_eq(json(eng_double(0.1)), "0.1");
    cr_assert_str_eq(json(eng_double(1.0)), "1.0");
    cr_assert_str_eq(json(eng_double(1e21)), "1e+21");
    cr_assert_str_eq(json(eng_double(1e20)), "100000000000000000000.0");
    cr_assert_str_eq(json(eng_double(100.0)), "100.0");
    cr_assert_str_eq(json(eng_double(-2.5)), "-2.5");
    cr_assert_str_eq(json(eng_double(123456.789)), "123456.789");
    cr_assert_str_eq(json(eng_double(1.5e-6)), "0.0000015");
    cr_assert_str_eq(json(eng_double(1e-7)), "1e-7");
    cr_assert_str_eq(json(eng_double(-1.25e-9)), "-1.25e-9");
    cr_assert_str_eq(json(eng_double(5e-324)), "5e-324");
    cr_assert_str_eq(json(eng_double(1.7976931348623157e308)), "1.7976931348623157e+308");
    cr_assert_str_eq(json(eng_double(1.0 / 3)), "0.3333333333333333");
    cr_assert_str_eq(json(eng_double(-0.0)), "-0.0");
    cr_assert_str_eq(json(eng_double(NAN)), "null");
    cr_assert_str_eq(json(eng_double(-INFINITY)), "null");
    cr_assert_str_eq(json(eng_int(-42)), "-42");
}

Test(value, json_strings_are_escaped) {
    cr_assert_str_eq(json(S("say \"hi\"\n")), "\"say \\\"hi\\\"\\n\"");
    cr_assert_str_eq(json(S("back\\slash\ttab\rcr")), "\"back\\\\slash\\ttab\\rcr\"");
    cr_assert_str_eq(json(S("\x01\x1f\x7f")), "\"\\u0001\\u001f\x7f\"");
    cr_assert_str_eq(json(eng_str(&A, "a\0b", 3)), "\"a\\u0000b\"");
    /* UTF-8 passes through as it is */
    cr_assert_str_eq(json(S("na\xc3\xafve \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80")),
                     "\"na\xc3\xafve \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80\"");
    cr_assert_str_eq(json(S("\xef\xbf\xbd")), "\"\xef\xbf\xbd\"", "a real U+FFFD is text");
}

Test(value, json_replaces_malformed_utf8) {
    cr_assert_str_eq(json(S("a\xff" "b")), "\"a\\ufffdb\"");
    cr_assert_str_eq(json(S("\xe6\x97" "a")), "\"\\ufffda\"");
    cr_assert_str_eq(json(S("\xed\xa0\x80")), "\"\\ufffd\"");
    cr_assert_str_eq(json(S("\xc0\x80")), "\"\\ufffd\\ufffd\"");
    cr_assert_str_eq(json(S("x\xf0\x9f\x98")), "\"x\\ufffd\"");
}

Test(value, json_sequences_are_arrays) {
    eng_value items[2] = {eng_bool(1), eng_nil()};
    cr_assert_str_eq(json(T3(S("a"), eng_int(1), eng_seq(&A, ENG_V_LIST, items, 2))), "[\"a\",1,[true,null]]");
    cr_assert_str_eq(json(eng_seq(&A, ENG_V_TUPLE, NULL, 0)), "[]");
}

/* ---- wire size ----------------------------------------------------------------- */

Test(value, wire_size_counts_tag_and_payload) {
    cr_assert_eq(eng_value_wire_size(&(eng_value){.type = ENG_V_NIL}), 1);
    cr_assert_eq(eng_value_wire_size(&(eng_value){.type = ENG_V_BOOL, .as.i = 1}), 2);
    cr_assert_eq(eng_value_wire_size(&(eng_value){.type = ENG_V_INT}), 9);
    cr_assert_eq(eng_value_wire_size(&(eng_value){.type = ENG_V_DOUBLE}), 9);
    eng_value e = S(""), abc = S("abc");
    cr_assert_eq(eng_value_wire_size(&e), 5);
    cr_assert_eq(eng_value_wire_size(&abc), 8);
    eng_value t = P(S("a"), P(eng_bool(0), eng_double(2)));
    cr_assert_eq(eng_value_wire_size(&t), 5 + 6 + (5 + 2 + 9));
}

/* ---- equality and order ------------------------------------------------------------ */

Test(value, equality_is_jvm_equals) {
    eng_value one = eng_int(1), onef = eng_double(1.0), nan1 = eng_double(NAN), nan2 = eng_double(-NAN);
    eng_value pz = eng_double(0.0), nz = eng_double(-0.0);
    cr_assert_not(eng_value_equal(&one, &onef), "Long(1) != Double(1.0)");
    cr_assert(eng_value_equal(&nan1, &nan2), "Double.equals: NaN == NaN");
    cr_assert_not(eng_value_equal(&pz, &nz), "Double.equals: 0.0 != -0.0");
    eng_value a = P(S("k"), eng_int(1)), b = P(S("k"), eng_int(1)), c = P(S("k"), eng_int(2));
    cr_assert(eng_value_equal(&a, &b));
    cr_assert_not(eng_value_equal(&a, &c));
    eng_value s1 = eng_str(&A, "a\0b", 3), s2 = eng_str(&A, "a\0c", 3);
    cr_assert_not(eng_value_equal(&s1, &s2), "strings compare all their bytes");
}

Test(value, order_is_nil_bool_number_string_sequence) {
    eng_value v[] = {eng_nil(), eng_bool(0), eng_bool(1), eng_int(-5), eng_double(-4.5), eng_int(1),
                     eng_double(1.0), eng_double(2.5), eng_double(NAN), S(""), S("a"), S("ab"), S("b"),
                     P(S("a"), eng_int(1)), P(S("a"), eng_int(2)), T3(S("a"), eng_int(2), eng_nil())};
    size_t n = sizeof v / sizeof v[0];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            int c = eng_value_cmp(&v[i], &v[j]);
            int want = (i > j) - (i < j);
            cr_assert_eq((c > 0) - (c < 0), want, "cmp(v[%zu], v[%zu]) = %d", i, j, c);
        }
}

Test(value, copy_is_deep) {
    eng_arena other;
    eng_arena_init(&other);
    eng_value v = P(S("key"), P(eng_int(7), S("x")));
    eng_value c = eng_value_copy(&other, &v);
    cr_assert(eng_value_equal(&v, &c));
    cr_assert_neq(c.as.items, v.as.items);
    cr_assert_neq(c.as.items[0].as.s, v.as.items[0].as.s);
    cr_assert_neq(c.as.items[1].as.items[1].as.s, v.as.items[1].as.items[1].as.s);
    eng_arena_fini(&other);
}
