/* sim/duration.h — Spark-style duration strings to int64 microseconds.
 *
 * Accepted: one or more "<integer><unit>" terms, spaces optional between the
 * number and its unit and between terms: "200ms", "1s", "10 seconds",
 * "10 minutes", "1 hour", "1 day", "1 minute 30 seconds".
 * Units are Spark's time suffixes (JavaUtils.timeSuffixes: us, ms, s, m, min,
 * h, d) and the long, singular or plural, names of Structured Streaming's
 * interval strings (microsecond, millisecond, second, minute, hour, day, week),
 * case-insensitive. Anything else (no unit, a fraction, a sign, an unknown
 * unit, an overflow) is an error.
 */
#ifndef SIM_DURATION_H
#define SIM_DURATION_H

#include <stddef.h>
#include <stdint.h>

/* Parses `text` into *out_us. Returns 0 on success; on failure returns -1 and
 * writes into err (size errlen, always NUL-terminated) a message that quotes
 * the bad string and says what was expected. */
int sim_duration_parse(const char *text, int64_t *out_us, char *err, size_t errlen);

/* Writes `us` as Spark's Duration.toString does for whole milliseconds
 * ("1000 ms"), or "<n> us" when not a whole millisecond. Returns buf. */
const char *sim_duration_format(int64_t us, char *buf, size_t buflen);

#endif
