/* tests/unit/test_rng.c — splitmix64, xoshiro256**, named streams.
 *
 * Every golden value below was computed by an independent Python
 * implementation (splitmix64, xoshiro256** 1.0, and XXH3-64 with seed 0 for
 * 4..8-byte inputs, written from the algorithm's description with the
 * default secret), not by running the C code.
 */
#include <criterion/criterion.h>
#include <stdint.h>

#include "../../sim/rng.h"

Test(rng, splitmix64_known_vector) {
    uint64_t state = 1234567;
    const uint64_t expect[] = {6457827717110365317ULL, 3203168211198807973ULL, 9817491932198370423ULL,
                               4593380528125082431ULL, 16408922859458223821ULL};
    for (int i = 0; i < 5; i++) cr_assert_eq(sim_splitmix64(&state), expect[i], "output %d", i);
    /* the state advances by the golden gamma each step */
    cr_assert_eq(state, 1234567 + 5 * 0x9e3779b97f4a7c15ULL);
}

Test(rng, xoshiro256starstar_known_vector) {
    sim_rng r = {.s = {1, 2, 3, 4}};
    const uint64_t expect[] = {11520ULL, 0ULL, 1509978240ULL, 1215971899390074240ULL, 1216172134540287360ULL,
                               607988272756665600ULL};
    for (int i = 0; i < 6; i++) cr_assert_eq(sim_rng_next(&r), expect[i], "output %d", i);
}

Test(rng, named_stream_golden_draws) {
    sim_rng r;
    sim_rng_init(&r, 7, "driver");
    cr_assert_eq(sim_rng_next(&r), 16507072661283790357ULL);
    cr_assert_eq(sim_rng_next(&r), 5527338266000063437ULL);
    cr_assert_eq(sim_rng_next(&r), 18112005556451710924ULL);

    sim_rng_init(&r, 7, "worker-1");
    cr_assert_eq(sim_rng_next(&r), 6713581322264295284ULL);
    cr_assert_eq(sim_rng_next(&r), 1656639467118392872ULL);
    cr_assert_eq(sim_rng_next(&r), 9893329865256049381ULL);

    sim_rng_init(&r, 8, "driver");
    cr_assert_eq(sim_rng_next(&r), 739393922483064943ULL);
    cr_assert_eq(sim_rng_next(&r), 713918223975384827ULL);
    cr_assert_eq(sim_rng_next(&r), 13099470167483652060ULL);
}

Test(rng, stream_does_not_depend_on_other_streams) {
    enum { N = 64 };
    uint64_t alone[N], interleaved[N];
    sim_rng a;
    sim_rng_init(&a, 7, "driver");
    for (int i = 0; i < N; i++) alone[i] = sim_rng_next(&a);

    sim_rng b, w;
    sim_rng_init(&b, 7, "driver");
    for (int i = 0; i < N / 2; i++) interleaved[i] = sim_rng_next(&b);
    sim_rng_init(&w, 7, "worker-1"); /* created in the middle */
    for (int i = 0; i < 100; i++) (void)sim_rng_next(&w);
    for (int i = N / 2; i < N; i++) {
        interleaved[i] = sim_rng_next(&b);
        (void)sim_rng_next(&w);
    }
    for (int i = 0; i < N; i++) cr_assert_eq(alone[i], interleaved[i], "draw %d", i);
}

static int first_draws_equal(uint64_t seed_a, const char *name_a, uint64_t seed_b, const char *name_b) {
    sim_rng a, b;
    sim_rng_init(&a, seed_a, name_a);
    sim_rng_init(&b, seed_b, name_b);
    int same = 0;
    for (int i = 0; i < 8; i++) same += sim_rng_next(&a) == sim_rng_next(&b);
    return same;
}

Test(rng, different_names_give_different_draws) {
    cr_assert_eq(first_draws_equal(7, "driver", 7, "worker-1"), 0);
    cr_assert_eq(first_draws_equal(7, "worker-1", 7, "worker-2"), 0);
    cr_assert_eq(first_draws_equal(7, "driver", 7, "Driver"), 0);
    cr_assert_eq(first_draws_equal(7, "driver", 7, "driver "), 0);
    cr_assert_eq(first_draws_equal(7, "", 7, "driver"), 0);
    cr_assert_eq(first_draws_equal(7, "driver", 7, "driver"), 8, "same name and seed: same draws");
}

Test(rng, different_seeds_give_different_draws) {
    cr_assert_eq(first_draws_equal(7, "driver", 8, "driver"), 0);
    cr_assert_eq(first_draws_equal(0, "driver", 1, "driver"), 0);
    cr_assert_eq(first_draws_equal(7, "driver", 7ULL | (1ULL << 63), "driver"), 0);
}

Test(rng, below_stays_in_range_and_covers_small_ranges) {
    sim_rng r;
    sim_rng_init(&r, 99, "test-below");
    for (uint64_t n = 1; n <= 17; n++) {
        int seen[17] = {0};
        for (int i = 0; i < 2000; i++) {
            uint64_t v = sim_rng_below(&r, n);
            cr_assert_lt(v, n, "below(%llu) gave %llu", (unsigned long long)n, (unsigned long long)v);
            seen[v]++;
        }
        for (uint64_t v = 0; v < n; v++)
            cr_assert_gt(seen[v], 0, "below(%llu) never gave %llu", (unsigned long long)n, (unsigned long long)v);
    }
    cr_assert_eq(sim_rng_below(&r, 1), 0);
    /* large n, including ones where the rejection threshold is large */
    const uint64_t big[] = {1000003ULL, (1ULL << 63) + 1, UINT64_MAX, UINT64_MAX - 1, (1ULL << 62) * 3};
    for (size_t k = 0; k < sizeof big / sizeof big[0]; k++)
        for (int i = 0; i < 2000; i++) cr_assert_lt(sim_rng_below(&r, big[k]), big[k]);
}

Test(rng, below_is_roughly_uniform) {
    sim_rng r;
    sim_rng_init(&r, 5, "test-uniform");
    int count[6] = {0};
    for (int i = 0; i < 60000; i++) count[sim_rng_below(&r, 6)]++;
    /* expected 10000 each; 5 sigma is about 460 */
    for (int v = 0; v < 6; v++) {
        cr_assert_gt(count[v], 9500, "value %d: %d", v, count[v]);
        cr_assert_lt(count[v], 10500, "value %d: %d", v, count[v]);
    }
}

Test(rng, double_is_in_unit_interval) {
    sim_rng r;
    sim_rng_init(&r, 3, "test-double");
    double lo = 1.0, hi = 0.0;
    for (int i = 0; i < 100000; i++) {
        double d = sim_rng_double(&r);
        cr_assert_geq(d, 0.0);
        cr_assert_lt(d, 1.0);
        if (d < lo) lo = d;
        if (d > hi) hi = d;
    }
    cr_assert_lt(lo, 0.001);
    cr_assert_gt(hi, 0.999);
}

Test(rng, double_uses_the_top_53_bits) {
    /* xoshiro256** from {1,2,3,4}: outputs 11520, then 0 */
    sim_rng r = {.s = {1, 2, 3, 4}};
    cr_assert_eq(sim_rng_double(&r), (double)(11520ULL >> 11) * 0x1.0p-53);
    cr_assert_eq(sim_rng_double(&r), 0.0);
    cr_assert_eq(sim_rng_double(&r), (double)(1509978240ULL >> 11) * 0x1.0p-53);
}

/* Lemire's method with its rejection step, from the known xoshiro state
 * {1,2,3,4}; golden values from the independent Python implementation. With
 * n = 2^63 + 1 about half the draws are rejected (the first value needs 11
 * draws), so leaving out the rejection changes the values. */
Test(rng, below_known_values_with_rejection) {
    sim_rng r = {.s = {1, 2, 3, 4}};
    const uint64_t six[] = {0, 0, 0, 0, 0, 5}; /* the second value rejects the draw 0 */
    for (int i = 0; i < 6; i++) cr_assert_eq(sim_rng_below(&r, 6), six[i], "below(6) #%d", i);

    sim_rng q = {.s = {1, 2, 3, 4}};
    const uint64_t n = (1ULL << 63) + 1;
    const uint64_t half[] = {7236058096720714768ULL, 6531673166550522182ULL, 5390582961875169806ULL,
                             7762127939569525534ULL, 4413079761054109ULL, 6022813401919593070ULL};
    for (int i = 0; i < 6; i++) cr_assert_eq(sim_rng_below(&q, n), half[i], "below(2^63+1) #%d", i);

    sim_rng p = {.s = {1, 2, 3, 4}};
    const uint64_t m = 3ULL << 62;
    const uint64_t three_quarters[] = {12129692233975919718ULL, 7946335754698169082ULL, 12396538069003663325ULL,
                                       6619619641581164ULL, 8831302824773833926ULL, 8701026863578888265ULL};
    for (int i = 0; i < 6; i++) cr_assert_eq(sim_rng_below(&p, m), three_quarters[i], "below(3*2^62) #%d", i);
}
