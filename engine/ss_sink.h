/* engine/ss_sink.h — Structured Streaming rows as text: JSON objects keyed
 * by column name (timestamps and window bounds in ms, a window as
 * {"start": ms, "end": ms}: the scenario contract) and Spark's show() table
 * for the console sink. */
#ifndef ENG_SS_SINK_H
#define ENG_SS_SINK_H

#include <stddef.h>

#include "ss.h"

/* A growing NUL-terminated string; zero-initialise, free with eng_sbuf_fini. */
typedef struct eng_sbuf {
    char *data;
    size_t len, cap;
} eng_sbuf;
void eng_sbuf_add(eng_sbuf *b, const char *s, size_t n);
void eng_sbuf_str(eng_sbuf *b, const char *s);
void eng_sbuf_fini(eng_sbuf *b);

/* Appends row (a tuple of schema s) as one JSON object. */
void eng_ss_row_json(const eng_sql_schema *s, const eng_value *row, eng_sbuf *b);

/* Appends Dataset.show(num_rows, truncate) of rows: `+---+` rules, the
 * header and cells right-aligned (left when not truncating), column width
 * at least 3, cells over 20 characters cut to 17 and "...", "only showing
 * top N rows" when there are more, and a blank line.
 * Source: Dataset.scala (showString, getRows). */
void eng_ss_show(const eng_sql_schema *s, const eng_value *rows, size_t n, int num_rows, int truncate, eng_sbuf *out);

#endif
