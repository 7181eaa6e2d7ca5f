/* sim/duration.c — see duration.h. */
#include "duration.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct unit_name {
    const char *name;
    int64_t us;
    int plural; /* a long name: also accepted with a trailing "s" (seconds, days, ...) */
} unit_name;

static const unit_name units[] = {
    {"us", 1, 0},          {"micros", 1, 0},          {"microsecond", 1, 1},     {"ms", 1000, 0},
    {"millis", 1000, 0},   {"millisecond", 1000, 1},  {"s", 1000000, 0},         {"sec", 1000000, 0},
    {"second", 1000000, 1}, {"m", 60000000, 0},       {"min", 60000000, 0},      {"minute", 60000000, 1},
    {"h", 3600000000LL, 0}, {"hour", 3600000000LL, 1}, {"d", 86400000000LL, 0}, {"day", 86400000000LL, 1},
    {"week", 604800000000LL, 1},
};

static int64_t unit_us(const char *word, size_t len) {
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        size_t n = strlen(units[i].name);
        if (len == n && strncasecmp(word, units[i].name, n) == 0) return units[i].us;
        /* plural of a long name */
        if (units[i].plural && len == n + 1 && strncasecmp(word, units[i].name, n) == 0 &&
            (word[n] == 's' || word[n] == 'S'))
            return units[i].us;
    }
    return 0;
}

static int fail(char *err, size_t errlen, const char *text, const char *why) {
    snprintf(err, errlen, "bad duration \"%s\": %s (expected e.g. \"200ms\", \"1s\", \"10 seconds\", "
                          "\"10 minutes\", \"1 hour\", \"1 day\")",
             text, why);
    return -1;
}

int sim_duration_parse(const char *text, int64_t *out_us, char *err, size_t errlen) {
    if (!text) return fail(err, errlen, "(null)", "no text");
    const char *p = text;
    int64_t total = 0;
    int terms = 0;
    while (*p == ' ') p++;
    if (*p == '\0') return fail(err, errlen, text, "empty");
    while (*p) {
        if (!isdigit((unsigned char)*p)) {
            if (*p == '-' || *p == '+') return fail(err, errlen, text, "a duration has no sign");
            return fail(err, errlen, text, "a number must come first");
        }
        int64_t n = 0;
        while (isdigit((unsigned char)*p)) {
            int digit = *p - '0';
            if (n > (INT64_MAX - digit) / 10) return fail(err, errlen, text, "number too large");
            n = n * 10 + digit;
            p++;
        }
        if (*p == '.') return fail(err, errlen, text, "whole numbers only; use a smaller unit");
        while (*p == ' ') p++;
        const char *w = p;
        while (isalpha((unsigned char)*p)) p++;
        size_t wl = (size_t)(p - w);
        if (wl == 0) return fail(err, errlen, text, "a unit must follow the number");
        int64_t u = unit_us(w, wl);
        if (u == 0) {
            char why[96];
            snprintf(why, sizeof why, "unknown unit \"%.*s\"", (int)(wl > 40 ? 40 : wl), w);
            return fail(err, errlen, text, why);
        }
        if (n > INT64_MAX / u || total > INT64_MAX - n * u) return fail(err, errlen, text, "too long");
        total += n * u;
        terms++;
        while (*p == ' ') p++;
    }
    (void)terms;
    *out_us = total;
    return 0;
}

const char *sim_duration_format(int64_t us, char *buf, size_t buflen) {
    if (us % 1000 == 0)
        snprintf(buf, buflen, "%" PRId64 " ms", us / 1000);
    else
        snprintf(buf, buflen, "%" PRId64 " us", us);
    return buf;
}
