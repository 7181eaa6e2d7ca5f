/* tests/unit/test_duration.c — Spark-style duration strings. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../sim/duration.h"

#define US_S 1000000LL
#define US_MIN (60 * US_S)
#define US_H (60 * US_MIN)
#define US_D (24 * US_H)

static void expect_ok(const char *text, int64_t want) {
    char err[256] = "untouched";
    int64_t got = -12345;
    int rc = sim_duration_parse(text, &got, err, sizeof err);
    cr_assert_eq(rc, 0, "\"%s\" rejected: %s", text, err);
    cr_assert_eq(got, want, "\"%s\": got %lld us, want %lld", text, (long long)got, (long long)want);
}

Test(duration, accepts_spark_strings_with_exact_values) {
    expect_ok("200ms", 200000);
    expect_ok("1s", US_S);
    expect_ok("10 seconds", 10 * US_S);
    expect_ok("10 minutes", 10 * US_MIN);
    expect_ok("1 hour", US_H);
    expect_ok("1 day", US_D);
    expect_ok("1 minute 30 seconds", 90 * US_S);
    expect_ok("1us", 1);
    expect_ok("2 weeks", 14 * US_D);
    expect_ok("0s", 0);
}

Test(duration, short_suffixes) {
    expect_ok("1m", 60 * US_S);
    expect_ok("1min", 60 * US_S);
    expect_ok("1h", US_H);
    expect_ok("1d", US_D);
    expect_ok("7ms", 7000);
    expect_ok("3us", 3);
}

Test(duration, units_are_case_insensitive) {
    expect_ok("5 MINUTES", 5 * US_MIN);
    expect_ok("5 Minutes", 5 * US_MIN);
    expect_ok("2MS", 2000);
    expect_ok("1 Hour", US_H);
}

Test(duration, long_names_take_singular_and_plural) {
    expect_ok("1 second", US_S);
    expect_ok("2 seconds", 2 * US_S);
    expect_ok("3 milliseconds", 3000);
    expect_ok("4 microseconds", 4);
    expect_ok("2 hours", 2 * US_H);
    expect_ok("2 days", 2 * US_D);
    expect_ok("1 week", 7 * US_D);
}

Test(duration, spaces_around_and_between_terms) {
    expect_ok(" 1s ", US_S);
    expect_ok("1 s", US_S);
    expect_ok("1h30m", US_H + 30 * US_MIN);
    expect_ok("1 h  30 m 5 s", US_H + 30 * US_MIN + 5 * US_S);
    expect_ok("1s 500ms", 1500000);
}

Test(duration, largest_values_fit) {
    /* INT64_MAX microseconds is about 106751991 days */
    expect_ok("106751991 days", 106751991 * US_D);
    expect_ok("9223372036854775807us", INT64_MAX);
}

/* Rejects `text`; the message must quote it exactly and contain `why`. */
static void expect_bad(const char *text, const char *why) {
    char err[512];
    memset(err, 'X', sizeof err);
    int64_t out = 4242;
    int rc = sim_duration_parse(text, &out, err, sizeof err);
    cr_assert_eq(rc, -1, "\"%s\" accepted as %lld", text, (long long)out);
    cr_assert_eq(out, 4242, "\"%s\": output written on failure", text);
    cr_assert_not_null(memchr(err, '\0', sizeof err), "message not NUL-terminated");
    char quoted[600];
    snprintf(quoted, sizeof quoted, "bad duration \"%s\": ", text);
    cr_assert_not_null(strstr(err, quoted), "\"%s\": message lacks the quoted text: %s", text, err);
    cr_assert_not_null(strstr(err, why), "\"%s\": message lacks \"%s\": %s", text, why, err);
}

Test(duration, rejects_bad_strings_quoting_them) {
    expect_bad("", "empty");
    expect_bad("   ", "empty");
    expect_bad("10", "a unit must follow the number");
    expect_bad("1.5s", "whole numbers only");
    expect_bad("-1s", "no sign");
    expect_bad("+1s", "no sign");
    expect_bad("s", "a number must come first");
    expect_bad("10 parsecs", "unknown unit \"parsecs\"");
    expect_bad("1s x", "a number must come first");
    expect_bad("99999999999999999999 days", "number too large");
    expect_bad("1 secondss", "unknown unit \"secondss\"");
    expect_bad("1 seconds 2", "a unit must follow the number");
    expect_bad("1s,2s", "a number must come first");
    /* only long names have a plural */
    expect_bad("2 mss", "unknown unit \"mss\"");
    expect_bad("2 milliss", "unknown unit \"milliss\"");
}

Test(duration, rejects_overflowing_products_and_sums) {
    expect_bad("106751992 days", "too long");
    expect_bad("9223372036854775808us", "number too large");
    expect_bad("9223372036854775807us 1us", "too long");
    expect_bad("9223372036854775807 s", "too long");
}

Test(duration, unknown_unit_message_is_exact) {
    char err[512];
    int64_t out;
    cr_assert_eq(sim_duration_parse("10 parsecs", &out, err, sizeof err), -1);
    cr_assert_str_eq(err, "bad duration \"10 parsecs\": unknown unit \"parsecs\" (expected e.g. \"200ms\", "
                          "\"1s\", \"10 seconds\", \"10 minutes\", \"1 hour\", \"1 day\")");
}

Test(duration, short_error_buffer_is_truncated_and_terminated) {
    char err[16];
    memset(err, 'X', sizeof err);
    int64_t out;
    cr_assert_eq(sim_duration_parse("10 parsecs", &out, err, sizeof err), -1);
    cr_assert_str_eq(err, "bad duration \"1");
}

Test(duration, format_whole_milliseconds_and_microseconds) {
    char buf[64];
    cr_assert_str_eq(sim_duration_format(1000000, buf, sizeof buf), "1000 ms");
    cr_assert_str_eq(sim_duration_format(1500, buf, sizeof buf), "1500 us");
    cr_assert_str_eq(sim_duration_format(0, buf, sizeof buf), "0 ms");
    cr_assert_str_eq(sim_duration_format(200000, buf, sizeof buf), "200 ms");
    cr_assert_str_eq(sim_duration_format(1, buf, sizeof buf), "1 us");
    cr_assert_eq(sim_duration_format(5000, buf, sizeof buf), buf, "returns buf");
}
