/* tests/unit/test_codec.c — the binary form of records: exact bytes, round
 * trips, sizes, and refusal of truncated, corrupted and hostile input. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "../../engine/codec.h"

static eng_arena A;
static eng_wbuf W;
static void setup(void) {
    eng_arena_init(&A);
    eng_wbuf_init(&W);
}
static void teardown(void) {
    eng_wbuf_fini(&W);
    eng_arena_fini(&A);
}
TestSuite(codec, .init = setup, .fini = teardown);

static eng_value S(const char *s) { return eng_cstr(&A, s); }
static eng_value P(eng_value a, eng_value b) { return eng_pair(&A, a, b); }

static void assert_bytes(const eng_wbuf *w, const uint8_t *want, size_t n) {
    cr_assert_eq(w->len, n, "length: expected %zu, got %zu", n, w->len);
    for (size_t i = 0; i < n; i++) cr_assert_eq(w->data[i], want[i], "byte %zu: %02x != %02x", i, w->data[i], want[i]);
}

/* Encodes v, checks the size against eng_value_wire_size, decodes it back. */
static eng_value round_trip(eng_value v) {
    eng_wbuf_clear(&W);
    eng_wbuf_put_value(&W, &v);
    cr_assert_eq(W.len, eng_value_wire_size(&v), "wire size %zu, encoded %zu", eng_value_wire_size(&v), W.len);
    eng_rbuf r;
    eng_rbuf_init(&r, W.data, W.len);
    eng_value back;
    cr_assert_eq(eng_rbuf_get_value(&r, &A, &back), 0);
    cr_assert_eq(eng_rbuf_remaining(&r), 0, "the value takes exactly its bytes");
    cr_assert_eq(r.err, 0);
    return back;
}

static void assert_same(eng_value a, eng_value b) {
    cr_assert_eq(a.type, b.type);
    cr_assert_eq(a.len, b.len);
    switch (a.type) {
    case ENG_V_NIL:
        break;
    case ENG_V_BOOL:
    case ENG_V_INT:
        cr_assert_eq(a.as.i, b.as.i);
        break;
    case ENG_V_DOUBLE:
        cr_assert_eq(memcmp(&a.as.d, &b.as.d, sizeof(double)), 0, "doubles keep every bit");
        break;
    case ENG_V_STR:
        cr_assert_eq(memcmp(a.as.s, b.as.s, a.len), 0);
        cr_assert_eq(b.as.s[b.len], '\0', "decoded strings are NUL-terminated");
        break;
    default:
        for (uint32_t i = 0; i < a.len; i++) assert_same(a.as.items[i], b.as.items[i]);
    }
}

/* ---- exact bytes ----------------------------------------------------------- */

Test(codec, integers_are_little_endian) {
    eng_wbuf_put_u8(&W, 0xab);
    eng_wbuf_put_u32(&W, 0x01020304u);
    eng_wbuf_put_u64(&W, UINT64_C(0x1122334455667788));
    eng_wbuf_put_i64(&W, -2);
    const uint8_t want[] = {0xab, 0x04, 0x03, 0x02, 0x01, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
                            0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    assert_bytes(&W, want, sizeof want);
}

Test(codec, value_encoding_is_tag_then_payload) {
    eng_value items[3] = {S("a"), eng_int(1), eng_bool(1)};
    eng_value v = eng_seq(&A, ENG_V_TUPLE, items, 3);
    eng_wbuf_put_value(&W, &v);
    eng_value d = eng_double(1.5), n = eng_nil();
    eng_value l = eng_seq(&A, ENG_V_LIST, NULL, 0);
    eng_wbuf_put_value(&W, &d);
    eng_wbuf_put_value(&W, &n);
    eng_wbuf_put_value(&W, &l);
    const uint8_t want[] = {
        5, 3, 0, 0, 0,              /* TUPLE, 3 items */
        4, 1, 0, 0, 0, 'a',         /* STR "a" */
        2, 1, 0, 0, 0, 0, 0, 0, 0,  /* INT 1 */
        1, 1,                       /* BOOL true */
        3, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f, /* DOUBLE 1.5 = 0x3ff8000000000000 */
        0,                          /* NIL */
        6, 0, 0, 0, 0,              /* LIST, 0 items */
    };
    assert_bytes(&W, want, sizeof want);
}

Test(codec, part_is_count_then_values) {
    eng_part p;
    eng_part_init(&p);
    eng_part_push(&p, eng_int(7));
    eng_part_push(&p, eng_nil());
    eng_wbuf_put_part(&W, &p);
    const uint8_t want[] = {2, 0, 0, 0, 2, 7, 0, 0, 0, 0, 0, 0, 0, 0};
    assert_bytes(&W, want, sizeof want);
    cr_assert_eq(eng_codec_part_size(&p), sizeof want);
    eng_part_fini(&p);
}

/* ---- round trips ------------------------------------------------------------ */

Test(codec, every_type_round_trips) {
    eng_value vs[] = {
        eng_nil(), eng_bool(0), eng_bool(1), eng_int(0), eng_int(-1), eng_int(INT64_MIN), eng_int(INT64_MAX),
        eng_double(0.1), eng_double(-0.0), eng_double(INFINITY), eng_double(-INFINITY), eng_double(NAN),
        eng_double(5e-324), S(""), S("hello"), S("na\xc3\xafve \xf0\x9f\x98\x80"), eng_str(&A, "a\0b", 3),
        P(S("k"), eng_int(1)), eng_seq(&A, ENG_V_TUPLE, NULL, 0), eng_seq(&A, ENG_V_LIST, NULL, 0),
    };
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) assert_same(vs[i], round_trip(vs[i]));
}

Test(codec, nested_tuples_and_lists_round_trip) {
    eng_value items[4] = {eng_int(1), S(""), P(eng_nil(), eng_double(2.5)), eng_bool(1)};
    eng_value list = eng_seq(&A, ENG_V_LIST, items, 4);
    eng_value v = P(S("word"), P(list, P(S(""), eng_seq(&A, ENG_V_TUPLE, NULL, 0))));
    eng_value back = round_trip(v);
    assert_same(v, back);
    cr_assert_eq(back.as.items[1].as.items[0].type, ENG_V_LIST, "a list stays a list");
    cr_assert(eng_value_equal(&v, &back));
}

Test(codec, empty_string_reads_back_as_empty_string) {
    eng_value back = round_trip(S(""));
    cr_assert_eq(back.type, ENG_V_STR);
    cr_assert_eq(back.len, 0);
    cr_assert_str_eq(back.as.s, "");
}

/* A deterministic mixture of every type, nested up to depth levels. */
static uint64_t lcg = 12345;
static uint32_t rnd(uint32_t n) {
    lcg = lcg * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    return (uint32_t)(lcg >> 33) % n;
}
static eng_value random_value(int depth) {
    char buf[16];
    switch (rnd(depth > 0 ? 8 : 6)) {
    case 0:
        return eng_nil();
    case 1:
        return eng_bool((int)rnd(2));
    case 2:
        return eng_int((int64_t)rnd(1000000) - 500000);
    case 3:
        return eng_double((double)rnd(100000) / 7.0);
    case 4:
    case 5: {
        uint32_t n = rnd(sizeof buf);
        for (uint32_t i = 0; i < n; i++) buf[i] = (char)('a' + rnd(26));
        return eng_str(&A, buf, n);
    }
    default: {
        eng_value items[4];
        uint32_t n = rnd(5);
        for (uint32_t i = 0; i < n; i++) items[i] = random_value(depth - 1);
        return eng_seq(&A, rnd(2) ? ENG_V_TUPLE : ENG_V_LIST, items, n);
    }
    }
}

Test(codec, part_of_1000_values_round_trips) {
    eng_part p, q;
    eng_part_init(&p);
    eng_part_init(&q);
    for (int i = 0; i < 1000; i++) {
        eng_value v = random_value(4);
        eng_part_push_copy(&p, &v);
    }
    eng_wbuf_put_part(&W, &p);
    cr_assert_eq(W.len, eng_codec_part_size(&p));
    eng_part_push_copy(&q, &(eng_value){.type = ENG_V_INT, .as.i = 99}); /* decoding appends */
    eng_rbuf r;
    eng_rbuf_init(&r, W.data, W.len);
    cr_assert_eq(eng_rbuf_get_part(&r, &q), 0);
    cr_assert_eq(eng_rbuf_remaining(&r), 0);
    cr_assert_eq(q.count, 1001);
    cr_assert_eq(q.rows[0].as.i, 99);
    for (size_t i = 0; i < 1000; i++) assert_same(p.rows[i], q.rows[i + 1]);
    eng_part_fini(&p);
    eng_part_fini(&q);
}

Test(codec, wire_size_matches_encoding_for_random_values) {
    for (int i = 0; i < 2000; i++) {
        eng_value v = random_value(5);
        assert_same(v, round_trip(v));
    }
}

Test(codec, strings_and_bytes_read_as_written) {
    eng_wbuf_put_str(&W, "hello", 5);
    eng_wbuf_put_str(&W, "", 0);
    eng_wbuf_put_bytes(&W, "xyz", 3);
    eng_wbuf_put_f64(&W, -2.5);
    eng_rbuf r;
    eng_rbuf_init(&r, W.data, W.len);
    const char *s;
    size_t n;
    cr_assert_eq(eng_rbuf_get_str(&r, &s, &n), 0);
    cr_assert_eq(n, 5);
    cr_assert_eq(memcmp(s, "hello", 5), 0);
    cr_assert_eq(eng_rbuf_get_str(&r, &s, &n), 0);
    cr_assert_eq(n, 0);
    char b[3];
    cr_assert_eq(eng_rbuf_get_bytes(&r, b, 3), 0);
    cr_assert_eq(memcmp(b, "xyz", 3), 0);
    double d;
    cr_assert_eq(eng_rbuf_get_f64(&r, &d), 0);
    cr_assert_eq(d, -2.5);
    cr_assert_eq(eng_rbuf_remaining(&r), 0);
}

/* ---- refusal ----------------------------------------------------------------- */

Test(codec, reads_past_the_end_fail_and_the_error_sticks) {
    const uint8_t bytes[] = {1, 2, 3, 4, 5};
    eng_rbuf r;
    eng_rbuf_init(&r, bytes, sizeof bytes);
    uint64_t u64 = 1;
    cr_assert_eq(eng_rbuf_get_u64(&r, &u64), -1);
    cr_assert_eq(u64, 0, "a failed get zeroes its output");
    cr_assert_eq(r.err, 1);
    uint8_t u8 = 1;
    cr_assert_eq(eng_rbuf_get_u8(&r, &u8), -1, "sticky: the bytes are there but the reader has failed");
    cr_assert_eq(u8, 0);
    uint32_t u32 = 1;
    cr_assert_eq(eng_rbuf_get_u32(&r, &u32), -1);
    eng_value v;
    cr_assert_eq(eng_rbuf_get_value(&r, &A, &v), -1);
    cr_assert_eq(v.type, ENG_V_NIL);
}

Test(codec, an_empty_reader_gives_zero_bytes_and_nothing_more) {
    eng_rbuf r;
    eng_rbuf_init(&r, NULL, 0);
    char b[1] = {'x'};
    cr_assert_eq(eng_rbuf_get_bytes(&r, b, 0), 0, "zero bytes are always there");
    cr_assert_eq(b[0], 'x');
    cr_assert_eq(eng_rbuf_get_bytes(&r, b, 1), -1);
    cr_assert_eq(b[0], 0);
    eng_part q;
    eng_part_init(&q);
    eng_rbuf_init(&r, W.data, W.len); /* an empty writer's buffer */
    cr_assert_eq(eng_rbuf_get_part(&r, &q), -1);
    eng_part_fini(&q);
}

Test(codec, unknown_tags_and_bad_booleans_are_refused) {
    const uint8_t bad_tags[][2] = {{7, 0}, {0x80, 0}, {0xff, 0}, {1, 2}, {1, 0xff}};
    for (size_t i = 0; i < sizeof bad_tags / sizeof bad_tags[0]; i++) {
        eng_rbuf r;
        eng_rbuf_init(&r, bad_tags[i], 2);
        eng_value v;
        cr_assert_eq(eng_rbuf_get_value(&r, &A, &v), -1, "case %zu", i);
        cr_assert_eq(v.type, ENG_V_NIL);
    }
}

static void encode_tree(eng_wbuf *w, eng_value v) { eng_wbuf_put_value(w, &v); }

Test(codec, every_truncation_is_refused) {
    eng_value items[3] = {S("abc"), eng_double(1.25), P(eng_bool(1), eng_nil())};
    eng_value v = P(eng_int(-3), eng_seq(&A, ENG_V_LIST, items, 3));
    encode_tree(&W, v);
    for (size_t cut = 0; cut < W.len; cut++) {
        uint8_t *copy = malloc(cut ? cut : 1); /* exactly cut bytes, so ASan sees any overread */
        memcpy(copy, W.data, cut);
        eng_rbuf r;
        eng_rbuf_init(&r, copy, cut);
        eng_value back;
        cr_assert_eq(eng_rbuf_get_value(&r, &A, &back), -1, "cut at %zu of %zu", cut, W.len);
        cr_assert_eq(r.err, 1);
        free(copy);
    }
}

Test(codec, every_part_truncation_is_refused_and_leaves_the_part) {
    eng_part p;
    eng_part_init(&p);
    for (int i = 0; i < 20; i++) {
        eng_value v = random_value(3);
        eng_part_push_copy(&p, &v);
    }
    eng_wbuf_put_part(&W, &p);
    for (size_t cut = 0; cut < W.len; cut++) {
        uint8_t *copy = malloc(cut ? cut : 1);
        memcpy(copy, W.data, cut);
        eng_part q;
        eng_part_init(&q);
        eng_part_push(&q, eng_int(1));
        eng_rbuf r;
        eng_rbuf_init(&r, copy, cut);
        cr_assert_eq(eng_rbuf_get_part(&r, &q), -1, "cut at %zu of %zu", cut, W.len);
        cr_assert_eq(q.count, 1, "a failed read leaves the rows as they were");
        eng_part_fini(&q);
        free(copy);
    }
    eng_part_fini(&p);
}

Test(codec, corrupting_any_byte_never_crashes) {
    eng_part p;
    eng_part_init(&p);
    for (int i = 0; i < 12; i++) {
        eng_value v = random_value(4);
        eng_part_push_copy(&p, &v);
    }
    eng_wbuf_put_part(&W, &p);
    const uint8_t pokes[] = {0x00, 0x01, 0x05, 0x06, 0x07, 0x7f, 0x80, 0xfe, 0xff};
    int refused = 0, accepted = 0;
    for (size_t at = 0; at < W.len; at++) {
        for (size_t k = 0; k <= sizeof pokes; k++) {
            uint8_t *copy = malloc(W.len);
            memcpy(copy, W.data, W.len);
            copy[at] = k < sizeof pokes ? pokes[k] : (uint8_t)(copy[at] ^ 0x80);
            eng_part q;
            eng_part_init(&q);
            eng_rbuf r;
            eng_rbuf_init(&r, copy, W.len);
            if (eng_rbuf_get_part(&r, &q) == 0) {
                /* whatever it read is a well-formed partition of exactly the bytes it took */
                accepted++;
                cr_assert_eq(eng_codec_part_size(&q), r.pos);
            } else {
                refused++;
                cr_assert_eq(q.count, 0);
            }
            eng_part_fini(&q);
            free(copy);
        }
    }
    cr_assert_gt(refused, 0);
    cr_assert_gt(accepted, 0);
    eng_part_fini(&p);
}

static eng_value nested(int depth) {
    eng_value v = eng_int(depth);
    for (int i = 0; i < depth; i++) v = P(v, eng_nil());
    return v;
}

Test(codec, nesting_depth_is_bounded_at_64) {
    eng_value ok = nested(ENG_CODEC_MAX_DEPTH);
    assert_same(ok, round_trip(ok));

    eng_value deep = nested(ENG_CODEC_MAX_DEPTH + 1);
    eng_wbuf_clear(&W);
    eng_wbuf_put_value(&W, &deep); /* the writer does not check */
    eng_rbuf r;
    eng_rbuf_init(&r, W.data, W.len);
    eng_value back;
    cr_assert_eq(eng_rbuf_get_value(&r, &A, &back), -1);

    /* a hostile message of a million nested tuple headers is refused quickly */
    eng_wbuf_clear(&W);
    for (int i = 0; i < 1000000; i++) {
        eng_wbuf_put_u8(&W, ENG_V_TUPLE);
        eng_wbuf_put_u32(&W, 1);
    }
    eng_rbuf_init(&r, W.data, W.len);
    cr_assert_eq(eng_rbuf_get_value(&r, &A, &back), -1);
    cr_assert_lt(r.pos, 5 * (ENG_CODEC_MAX_DEPTH + 2));
}

Test(codec, counts_beyond_the_bytes_left_are_refused_before_allocating) {
    /* a tuple that claims 4 billion items, a string that claims 4 GiB, a part
     * that claims 100 rows, each with a few bytes behind it */
    const uint8_t tuple[] = {ENG_V_TUPLE, 0xff, 0xff, 0xff, 0xff, 0, 0, 0};
    const uint8_t str[] = {ENG_V_STR, 0xff, 0xff, 0xff, 0xff, 'a'};
    const uint8_t part[] = {100, 0, 0, 0, 0, 0, 0};
    eng_rbuf r;
    eng_value v;
    eng_rbuf_init(&r, tuple, sizeof tuple);
    cr_assert_eq(eng_rbuf_get_value(&r, &A, &v), -1);
    eng_rbuf_init(&r, str, sizeof str);
    cr_assert_eq(eng_rbuf_get_value(&r, &A, &v), -1);
    cr_assert_eq(A.used_bytes, 0, "nothing allocated for bogus counts");
    eng_part q;
    eng_part_init(&q);
    eng_rbuf_init(&r, part, sizeof part);
    cr_assert_eq(eng_rbuf_get_part(&r, &q), -1);
    cr_assert_eq(q.count, 0);
    eng_part_fini(&q);
}

Test(codec, nested_inflated_counts_cannot_multiply_the_arena) {
    /* 60 nested tuples, each claiming as many items as there are bytes left,
     * over 10000 bytes of padding: each claim fits the bytes alone, but not
     * with the items its parents still owe, so the total stays bounded. */
    size_t pad = 10000;
    for (int i = 0; i < 60; i++) {
        eng_wbuf_put_u8(&W, ENG_V_TUPLE);
        eng_wbuf_put_u32(&W, (uint32_t)(pad + 5 * (59 - i)));
    }
    for (size_t i = 0; i < pad; i++) eng_wbuf_put_u8(&W, ENG_V_NIL);
    eng_rbuf r;
    eng_rbuf_init(&r, W.data, W.len);
    eng_value v;
    cr_assert_eq(eng_rbuf_get_value(&r, &A, &v), -1);
    cr_assert_lt(A.used_bytes, 2 * sizeof(eng_value) * W.len, "arena used %zu for %zu bytes", A.used_bytes,
                 W.len);
}
