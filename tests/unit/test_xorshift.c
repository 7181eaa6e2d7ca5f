/* tests/unit/test_xorshift.c — Spark's XORShiftRandom, bit for bit.
 *
 * Golden values from tests/golden/XORShiftRandomGolden.java: a subclass of the
 * JDK's java.util.Random overriding next(bits) as Spark does (so nextInt(bound)
 * is the JDK's own), with hashSeed over a real Scala library's
 * MurmurHash3.bytesHash. */
#include <criterion/criterion.h>
#include <stdint.h>

#include "../../engine/xorshift.h"

Test(xorshift, hash_seed_matches_spark) {
    cr_assert_eq(eng_xorshift_hash_seed(0), INT64_C(-9171266021732529057));
    cr_assert_eq(eng_xorshift_hash_seed(1), INT64_C(-202554933444998644));
    cr_assert_eq(eng_xorshift_hash_seed(2), INT64_C(2422337058538498501));
    cr_assert_eq(eng_xorshift_hash_seed(7), INT64_C(-2714775767673150655));
    cr_assert_eq(eng_xorshift_hash_seed(-1), INT64_C(-4346519531656778685));
    cr_assert_eq(eng_xorshift_hash_seed(INT64_MIN), INT64_C(6693444457504683312));
}

Test(xorshift, init_sets_the_hashed_seed) {
    eng_xorshift r;
    eng_xorshift_init(&r, 7);
    cr_assert_eq((uint64_t)r.seed, UINT64_C(0xda532dd2a300e341));
}

static void check_sequence(int64_t seed, int32_t bound, const int32_t *want, size_t n) {
    eng_xorshift r;
    eng_xorshift_init(&r, seed);
    for (size_t i = 0; i < n; i++) {
        int32_t got = eng_xorshift_next_int(&r, bound);
        cr_assert_eq(got, want[i], "seed %lld bound %d draw %zu: expected %d, got %d", (long long)seed, bound, i,
                     want[i], got);
    }
}

#define CHECK(seed, bound, ...)                                                                                   \
    do {                                                                                                          \
        const int32_t want[] = {__VA_ARGS__};                                                                     \
        check_sequence(seed, bound, want, sizeof want / sizeof want[0]);                                          \
    } while (0)

Test(xorshift, next_int_small_bounds_match_spark_for_seeds_0_1_2_7) {
    CHECK(0, 2, 0, 1, 0, 1, 1, 1, 1, 1, 0, 0, 1, 0);
    CHECK(0, 3, 2, 0, 1, 0, 0, 0, 0, 0, 2, 0, 2, 1);
    CHECK(0, 5, 3, 3, 2, 0, 1, 1, 4, 4, 2, 3, 2, 3);
    CHECK(0, 10, 8, 8, 7, 0, 1, 1, 4, 9, 2, 8, 7, 3);
    CHECK(1, 2, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0);
    CHECK(1, 3, 0, 0, 2, 1, 0, 1, 2, 1, 1, 2, 0, 2);
    CHECK(1, 5, 3, 3, 3, 1, 0, 0, 1, 4, 1, 2, 1, 0);
    CHECK(1, 10, 3, 8, 3, 1, 5, 0, 1, 9, 1, 7, 6, 0);
    CHECK(2, 2, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0);
    CHECK(2, 3, 1, 0, 2, 2, 1, 1, 0, 1, 0, 2, 1, 0);
    CHECK(2, 5, 3, 0, 4, 0, 4, 4, 4, 2, 2, 3, 4, 1);
    CHECK(2, 10, 8, 0, 4, 5, 4, 9, 9, 2, 7, 8, 9, 1);
    CHECK(7, 2, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0);
    CHECK(7, 3, 1, 0, 1, 1, 2, 1, 1, 0, 2, 2, 1, 0);
    CHECK(7, 5, 0, 3, 1, 3, 1, 1, 1, 1, 4, 0, 2, 4);
    CHECK(7, 10, 0, 8, 6, 3, 1, 1, 6, 1, 9, 0, 7, 4);
}

Test(xorshift, next_int_power_of_two_bound_takes_the_high_bits) {
    CHECK(0, 1 << 30, 260399014, 788469414, 218889633, 540460665, 875614555, 726361060, 715257177, 998016454,
          258842281, 318743994, 948618218, 317841246);
    CHECK(7, 1 << 30, 445665980, 477241119, 116097938, 262250841, 562677530, 480255135, 324241223, 413014675,
          621446549, 60383155, 701364243, 119290002);
}

Test(xorshift, next_int_rejects_the_top_partial_range_as_java_does) {
    /* 2^30 + 1: nearly half the draws fall in the partial range and are redrawn. */
    CHECK(0, (1 << 30) + 1, 520798028, 437779267, 517684562, 637487988, 635682493, 525220721, 989288994,
          201840318, 551409491, 982619306, 162868536, 692608247);
    CHECK(1, (1 << 30) + 1, 512468703, 696436261, 747246645, 682849180, 273592211, 996829771, 767270207,
          235634420, 553472990, 539833971, 76285670, 562839155);
    CHECK(2, INT32_MAX, 2048908828, 447153120, 1227161894, 2118880805, 301616134, 858362479, 97668279, 453025462,
          1266964347, 149546798, 1098200539, 383095041);
    CHECK(7, INT32_MAX, 891331960, 954482238, 232195876, 524501683, 1125355061, 960510271, 648482446, 826029351,
          1242893099, 120766310, 1402728487, 238580004);
}

Test(xorshift, repartition_start_positions_match_spark) {
    /* new XORShiftRandom(index).nextInt(numPartitions), index 0..15 */
    const int32_t n3[] = {2, 0, 1, 2, 1, 1, 2, 1, 2, 2, 2, 2, 0, 2, 1, 1};
    const int32_t n4[] = {0, 0, 3, 2, 2, 3, 3, 1, 2, 2, 0, 2, 2, 2, 1, 2};
    const int32_t n200[] = {28, 103, 28, 47, 53, 25, 90, 160, 75, 188, 89, 102, 195, 94, 171, 178};
    for (int index = 0; index < 16; index++) {
        eng_xorshift r;
        eng_xorshift_init(&r, index);
        cr_assert_eq(eng_xorshift_next_int(&r, 3), n3[index], "index %d of 3", index);
        eng_xorshift_init(&r, index);
        cr_assert_eq(eng_xorshift_next_int(&r, 4), n4[index], "index %d of 4", index);
        eng_xorshift_init(&r, index);
        cr_assert_eq(eng_xorshift_next_int(&r, 200), n200[index], "index %d of 200", index);
    }
}

Test(xorshift, bound_one_is_always_zero_and_bad_bounds_draw_nothing) {
    eng_xorshift r, copy;
    eng_xorshift_init(&r, 5);
    for (int i = 0; i < 10; i++) cr_assert_eq(eng_xorshift_next_int(&r, 1), 0);
    copy = r;
    cr_assert_eq(eng_xorshift_next_int(&r, 0), -1);
    cr_assert_eq(eng_xorshift_next_int(&r, -3), -1);
    cr_assert_eq(r.seed, copy.seed, "a refused bound leaves the state alone");
}
