/* engine/ss_sink.c — how Structured Streaming rows look: as JSON (the
 * contract's results.jsonl, the file and kv sinks) and as Spark's
 * Dataset.show() table (the console sink). See ss_sink.h. */
#include "ss_sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a growing string ---------------------------------------------------------- */

void eng_sbuf_add(eng_sbuf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p) return; /* out of memory: the text stays short */
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

void eng_sbuf_str(eng_sbuf *b, const char *s) { eng_sbuf_add(b, s, strlen(s)); }

void eng_sbuf_fini(eng_sbuf *b) {
    free(b->data);
    *b = (eng_sbuf){0};
}

/* ---- JSON ---------------------------------------------------------------------------- */

static void json_value(eng_sbuf *b, uint32_t type, const eng_value *v) {
    char small[256];
    if (v->type == ENG_V_INT && type == ENG_SQL_TIMESTAMP) {
        snprintf(small, sizeof small, "%lld", (long long)(v->as.i / 1000));
        eng_sbuf_str(b, small);
        return;
    }
    if (type == ENG_SQL_WINDOW && v->type == ENG_V_TUPLE && v->len == 2) {
        snprintf(small, sizeof small, "{\"start\": %lld, \"end\": %lld}", (long long)(v->as.items[0].as.i / 1000),
                 (long long)(v->as.items[1].as.i / 1000));
        eng_sbuf_str(b, small);
        return;
    }
    size_t n = eng_value_json(v, small, sizeof small);
    if (n < sizeof small) {
        eng_sbuf_add(b, small, n);
        return;
    }
    char *big = malloc(n + 1);
    if (!big) return;
    eng_value_json(v, big, n + 1);
    eng_sbuf_add(b, big, n);
    free(big);
}

void eng_ss_row_json(const eng_sql_schema *s, const eng_value *row, eng_sbuf *b) {
    eng_sbuf_str(b, "{");
    for (int c = 0; c < s->ncols && c < (int)row->len; c++) {
        if (c) eng_sbuf_str(b, ", ");
        eng_value name = {.type = ENG_V_STR, .len = (uint32_t)strlen(s->names[c]), .as.s = s->names[c]};
        json_value(b, ENG_SQL_STRING, &name);
        eng_sbuf_str(b, ": ");
        json_value(b, s->types[c], &row->as.items[c]);
    }
    eng_sbuf_str(b, "}");
}

/* ---- show() ---------------------------------------------------------------------------- */

/* A cell as Spark's show() casts it to a string (Cast to string: a struct
 * "{a, b}", an array "[a, b]", null "null", a timestamp in UTC). */
static void cell_text(uint32_t type, const eng_value *v, eng_sbuf *b) {
    char small[256];
    if (v->type == ENG_V_NIL) {
        eng_sbuf_str(b, "null");
        return;
    }
    if (type == ENG_SQL_TIMESTAMP && v->type == ENG_V_INT) {
        eng_sql_format_timestamp(v->as.i, small, sizeof small);
        eng_sbuf_str(b, small);
        return;
    }
    if (type == ENG_SQL_WINDOW && v->type == ENG_V_TUPLE && v->len == 2) {
        eng_sbuf_str(b, "{");
        cell_text(ENG_SQL_TIMESTAMP, &v->as.items[0], b);
        eng_sbuf_str(b, ", ");
        cell_text(ENG_SQL_TIMESTAMP, &v->as.items[1], b);
        eng_sbuf_str(b, "}");
        return;
    }
    if (eng_is_seq(v)) {
        eng_sbuf_str(b, v->type == ENG_V_LIST || type == ENG_SQL_ARRAY ? "[" : "{");
        for (uint32_t i = 0; i < v->len; i++) {
            if (i) eng_sbuf_str(b, ", ");
            cell_text(ENG_SQL_ANY, &v->as.items[i], b);
        }
        eng_sbuf_str(b, v->type == ENG_V_LIST || type == ENG_SQL_ARRAY ? "]" : "}");
        return;
    }
    if (v->type == ENG_V_STR) {
        eng_sbuf_add(b, v->as.s, v->len);
        return;
    }
    size_t n = eng_value_format(v, small, sizeof small);
    eng_sbuf_add(b, small, n < sizeof small ? n : sizeof small - 1);
}

/* Characters in UTF-8 text (show() pads by characters). */
static size_t chars(const char *s) {
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* The first k characters of s: their length in bytes. */
static size_t prefix_bytes(const char *s, size_t k) {
    size_t i = 0, c = 0;
    while (s[i] && c < k) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80) i++;
        c++;
    }
    return i;
}

void eng_ss_show(const eng_sql_schema *s, const eng_value *rows, size_t n, int num_rows, int truncate, eng_sbuf *out) {
    size_t shown = n < (size_t)num_rows ? n : (size_t)num_rows;
    int nc = s->ncols;
    char **cells = calloc((shown + 1) * (size_t)(nc ? nc : 1), sizeof *cells);
    size_t width[ENG_SQL_COLS_MAX];
    if (!cells) return;
    for (int c = 0; c < nc; c++) {
        eng_sbuf h = {0};
        eng_sbuf_str(&h, s->names[c]);
        cells[c] = h.data;
        for (size_t r = 0; r < shown; r++) {
            eng_sbuf b = {0};
            const eng_value *v = c < (int)rows[r].len ? &rows[r].as.items[c] : &(eng_value){0};
            cell_text(s->types[c], v, &b);
            if (!b.data) eng_sbuf_str(&b, "");
            if (truncate && chars(b.data) > 20) { /* cut to 17 characters and "..." */
                b.len = prefix_bytes(b.data, 17);
                b.data[b.len] = 0;
                eng_sbuf_str(&b, "...");
            }
            cells[(r + 1) * (size_t)nc + (size_t)c] = b.data;
        }
    }
    for (int c = 0; c < nc; c++) {
        width[c] = 3;
        for (size_t r = 0; r <= shown; r++) {
            size_t w = chars(cells[r * (size_t)nc + (size_t)c] ? cells[r * (size_t)nc + (size_t)c] : "");
            if (w > width[c]) width[c] = w;
        }
    }
    eng_sbuf rule = {0};
    eng_sbuf_str(&rule, "+");
    for (int c = 0; c < nc; c++) {
        for (size_t k = 0; k < width[c]; k++) eng_sbuf_str(&rule, "-");
        eng_sbuf_str(&rule, "+");
    }
    eng_sbuf_str(&rule, "\n");
    eng_sbuf_str(out, rule.data);
    for (size_t r = 0; r <= shown; r++) {
        eng_sbuf_str(out, "|");
        for (int c = 0; c < nc; c++) {
            const char *cell = cells[r * (size_t)nc + (size_t)c] ? cells[r * (size_t)nc + (size_t)c] : "";
            size_t pad = width[c] - chars(cell);
            if (!truncate) eng_sbuf_str(out, cell); /* truncate = false: left-aligned */
            for (size_t k = 0; k < pad; k++) eng_sbuf_str(out, " ");
            if (truncate) eng_sbuf_str(out, cell);
            eng_sbuf_str(out, "|");
        }
        eng_sbuf_str(out, "\n");
        if (r == 0) eng_sbuf_str(out, rule.data);
    }
    eng_sbuf_str(out, rule.data);
    if (n > shown) {
        char line[64];
        snprintf(line, sizeof line, "only showing top %d row%s\n", num_rows, num_rows == 1 ? "" : "s");
        eng_sbuf_str(out, line);
    }
    eng_sbuf_str(out, "\n");
    eng_sbuf_fini(&rule);
    for (size_t k = 0; k < (shown + 1) * (size_t)nc; k++) free(cells[k]);
    free(cells);
}
