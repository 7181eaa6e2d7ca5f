/* sim/trace_read.c — see trace_read.h.
 *
 * Two JSON libraries, one set of rules. jansson building a document per line
 * cost 2 s per million events (make bench); yajl, a streaming parser whose
 * callbacks keep only the fields the reader looks at, reads the same lines in
 * about a quarter of that time. But yajl is laxer than jansson: it decodes a
 * lone surrogate escape to '?' and \u0000 to a NUL byte, lets some invalid
 * UTF-8 through (overlong forms, encoded surrogates), takes \v and \f for
 * white space, and takes an unfinished token after the object (`{...}"`) for
 * input to come. So yajl reads only lines of printable ASCII without a \u
 * escape, and they must end with the object; every other line, and every line
 * yajl refuses, goes to jansson, which decides: what is accepted, and every
 * message, are jansson's as before. Both fill the same fields (the last of
 * duplicate keys wins, as in jansson's objects), and one function applies the
 * trace's rules to them. tests/unit/test_trace_read.c checks that the two
 * agree on seeded mutations of a trace. */
#include "trace_read.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

/* A line longer than this is not one the writer produces (texts are short). */
#define TRACE_LINE_MAX (1u << 20)
/* Bytes read at a time: the block holds the start of a line cut by the
 * previous read (at most TRACE_LINE_MAX) and this much more. */
#define TRACE_READ_CHUNK (1u << 20)
/* The writer nests nothing; deeper lines are left to jansson (which refuses
 * past JSON_PARSER_MAX_DEPTH). */
#define TRACE_YAJL_DEPTH_MAX 64

/* The fields the reader looks at: these, then every argument name of
 * engine/trace_events.h (deduplicated). */
enum { F_TRACE, F_SCHEMA_VERSION, F_T_US, F_EV, F_NODE, F_TEXT, F_FIXED_ };
static const char *const fixed_names[F_FIXED_] = {"trace", "schema_version", "t_us", "ev", "node", "text"};
#define FIELDS_MAX (F_FIXED_ + 4 * ENG_EV_COUNT_)

enum { KIND_INT = 1, KIND_STRING, KIND_OTHER };

/* A name's first and last eight bytes (overlapping when shorter than 16; for
 * fewer than 8 bytes, first and last four, or the bytes themselves) and its
 * length: for names of at most 16 bytes, equal signatures are equal names.
 * Made with fixed-size loads, as a key of every line is looked up. */
typedef struct name_sig {
    uint64_t head, tail;
    size_t len;
} name_sig;

/* Names to ids: an open-addressing table of NAME_SLOTS slots, at most half
 * full (an assert holds it), so a probe ends at an empty slot. Lookups only:
 * nothing iterates it. */
#define NAME_SLOTS 1024
typedef struct name_table {
    const char *name[FIELDS_MAX];
    name_sig sig[FIELDS_MAX];
    int count;
    int16_t slot[NAME_SLOTS]; /* 1 + index into name[]; 0 = empty */
} name_table;

/* One field of the current line: present when gen is the line's generation. */
typedef struct field {
    uint64_t gen;
    int kind;
    int64_t i;
    size_t str, str_len; /* a string's offset in the reader's scratch */
} field;

typedef struct reader {
    const char *path;
    sim_trace *t;
    char *err;
    size_t errlen, line;
    name_table keys, types; /* field and event type ids by name */
    int arg_field[ENG_EV_COUNT_][4]; /* -1: unused argument */
    field fields[FIELDS_MAX];
    uint64_t gen;
    char *str; /* the current line's strings, each NUL-terminated */
    size_t str_len, str_cap;
    yajl_handle yajl; /* kept from line to line while lines end cleanly; NULL: none yet */
    int depth, key;   /* the line's object depth; the current key's field (-1: not read) */
    size_t end;       /* the offset just past the object's '}' (0: not reached) */
    int oom;          /* a string could not be kept */
} reader;

static int fail(char *err, size_t errlen, const char *path, size_t line, const char *what) {
    if (line)
        snprintf(err, errlen, "%s:%zu: %s", path, line, what);
    else
        snprintf(err, errlen, "%s: %s", path, what);
    return -1;
}

static int reader_fail(reader *r, const char *what) { return fail(r->err, r->errlen, r->path, r->line, what); }

/* ---- names ---------------------------------------------------------------------- */

static name_sig name_sig_of(const char *s, size_t n) {
    name_sig g = {0, 0, n};
    if (n >= 8) {
        memcpy(&g.head, s, 8);
        memcpy(&g.tail, s + n - 8, 8);
    } else if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        g.head = a, g.tail = b;
    } else {
        for (size_t i = 0; i < n; i++) g.head |= (uint64_t)(unsigned char)s[i] << (8 * i);
    }
    return g;
}

/* The index of the slot holding s[0..n), or of the empty slot where it would
 * go; the table is never more than half full, so one is met within NAME_SLOTS. */
static uint32_t name_probe(const name_table *tab, const char *s, size_t n) {
    name_sig g = name_sig_of(s, n);
    uint64_t h = (g.head * 0x9E3779B97F4A7C15u) ^ (g.tail * 0xC2B2AE3D27D4EB4Fu) ^ (uint64_t)n;
    h ^= h >> 32;
    for (uint32_t i = 0; i < NAME_SLOTS; i++) {
        uint32_t at = (uint32_t)(h + i) % NAME_SLOTS;
        int k = tab->slot[at] - 1;
        if (k < 0) return at;
        const name_sig *e = &tab->sig[k];
        if (e->len == n && e->head == g.head && e->tail == g.tail && (n <= 16 || memcmp(tab->name[k], s, n) == 0))
            return at;
    }
    assert(0 && "the name table is full");
    return 0;
}

/* The id of s[0..n), or -1. */
static int name_find(const name_table *tab, const char *s, size_t n) { return tab->slot[name_probe(tab, s, n)] - 1; }

/* The id of name, added if new (ids count from 0 in order of addition). */
static int name_add(name_table *tab, const char *name) {
    size_t n = strlen(name);
    uint32_t at = name_probe(tab, name, n);
    if (tab->slot[at]) return tab->slot[at] - 1;
    assert(tab->count < FIELDS_MAX && 2 * (tab->count + 1) <= NAME_SLOTS);
    tab->name[tab->count] = name, tab->sig[tab->count] = name_sig_of(name, n);
    tab->slot[at] = (int16_t)++tab->count;
    return tab->count - 1;
}

static void names_init(reader *r) {
    for (int k = 0; k < F_FIXED_; k++) name_add(&r->keys, fixed_names[k]);
    for (int type = 0; type < ENG_EV_COUNT_; type++) {
        int id = name_add(&r->types, sim_trace_type_name((uint32_t)type));
        assert(id == type);
        (void)id;
        for (int i = 0; i < 4; i++) {
            const char *arg = sim_trace_arg_name((uint32_t)type, i);
            r->arg_field[type][i] = arg ? name_add(&r->keys, arg) : -1;
        }
    }
}

/* ---- fields --------------------------------------------------------------------- */

/* Starts a line's fields afresh (the generation makes every field absent). */
static void fields_reset(reader *r) {
    r->gen++;
    r->str_len = 0;
}

static const field *field_get(const reader *r, int id) {
    return id >= 0 && r->fields[id].gen == r->gen ? &r->fields[id] : NULL;
}

static const char *field_str(const reader *r, const field *f) { return r->str + f->str; }

/* Returns 0, or -1 when out of memory (r->oom set). */
static int field_set(reader *r, int id, int kind, int64_t i, const char *s, size_t n) {
    field *f = &r->fields[id];
    *f = (field){.gen = r->gen, .kind = kind, .i = i};
    if (kind != KIND_STRING) return 0;
    if (r->str_len + n + 1 > r->str_cap) {
        size_t cap = r->str_cap ? r->str_cap : 4096;
        while (cap < r->str_len + n + 1) cap *= 2;
        char *p = realloc(r->str, cap);
        if (!p) {
            r->oom = 1;
            return -1;
        }
        r->str = p, r->str_cap = cap;
    }
    memcpy(r->str + r->str_len, s, n);
    r->str[r->str_len + n] = '\0';
    f->str = r->str_len, f->str_len = n;
    r->str_len += n + 1;
    return 0;
}

/* ---- yajl: the fast path -------------------------------------------------------- */

/* A callback returning 0 stops yajl: the line goes to jansson. */
static int y_value(reader *r, int kind, int64_t i, const unsigned char *s, size_t n) {
    if (r->depth == 0) return 0; /* not an object */
    if (r->depth == 1 && r->key >= 0) return field_set(r, r->key, kind, i, (const char *)s, n) == 0;
    return 1;
}

static int y_null(void *ctx) { return y_value(ctx, KIND_OTHER, 0, NULL, 0); }
static int y_boolean(void *ctx, int b) { return (void)b, y_value(ctx, KIND_OTHER, 0, NULL, 0); }
static int y_integer(void *ctx, long long v) { return y_value(ctx, KIND_INT, v, NULL, 0); }
static int y_double(void *ctx, double d) { return (void)d, y_value(ctx, KIND_OTHER, 0, NULL, 0); }
static int y_string(void *ctx, const unsigned char *s, size_t n) { return y_value(ctx, KIND_STRING, 0, s, n); }

static int y_nest(reader *r) {
    if (r->depth == 1 && r->key >= 0 && field_set(r, r->key, KIND_OTHER, 0, NULL, 0)) return 0;
    return ++r->depth <= TRACE_YAJL_DEPTH_MAX;
}

static int y_start_map(void *ctx) {
    reader *r = ctx;
    if (r->depth > 0) return y_nest(r);
    if (r->end > 0) return 0; /* a second object on the line */
    r->depth = 1;
    return 1;
}

static int y_start_array(void *ctx) {
    reader *r = ctx;
    return r->depth > 0 && y_nest(r);
}

static int y_map_key(void *ctx, const unsigned char *s, size_t n) {
    reader *r = ctx;
    if (r->depth == 1) r->key = name_find(&r->keys, (const char *)s, n);
    return 1;
}

static int y_end(void *ctx) {
    reader *r = ctx;
    if (--r->depth == 0) r->end = yajl_get_bytes_consumed(r->yajl);
    return 1;
}

static const yajl_callbacks y_callbacks = {
    .yajl_null = y_null,
    .yajl_boolean = y_boolean,
    .yajl_integer = y_integer,
    .yajl_double = y_double,
    .yajl_string = y_string,
    .yajl_start_map = y_start_map,
    .yajl_map_key = y_map_key,
    .yajl_end_map = y_end,
    .yajl_start_array = y_start_array,
    .yajl_end_array = y_end,
};

/* 1 when yajl reads s[0..n) as jansson would: printable ASCII only (yajl also
 * takes \v and \f for white space) and no \u escape. Eight bytes a step: a
 * word with no byte >= 0x80, none below ' ' and no '\\' passes. */
static int yajl_reads_alike(const char *s, size_t n) {
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w, x;
        memcpy(&w, s + i, 8);
        x = w ^ ones * '\\';                                      /* a zero byte where w has a '\\' */
        uint64_t odd = w | ((w - ones * ' ') & ~w) | ((x - ones) & ~x); /* high bit: >= 0x80, < ' ', '\\' */
        if (odd & highs) break;
    }
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 || c < ' ' || (c == '\\' && i + 1 < n && s[i + 1] == 'u')) return 0;
    }
    return 1;
}

/* The line's fields by yajl. Returns 0, or -1 when jansson must read it.
 * One handle serves line after line (yajl_allow_multiple_values) while lines
 * end cleanly; after any other line it is dropped, with whatever it held. */
static int fields_by_yajl(reader *r, const char *s, size_t n) {
    if (n == 0 || !yajl_reads_alike(s, n)) return -1;
    if (!r->yajl) {
        r->yajl = yajl_alloc(&y_callbacks, NULL, r);
        if (!r->yajl) return -1;
        yajl_config(r->yajl, yajl_allow_multiple_values, 1);
    }
    r->depth = 0, r->key = -1, r->end = 0;
    int ok = yajl_parse(r->yajl, (const unsigned char *)s, n) == yajl_status_ok &&
             yajl_complete_parse(r->yajl) == yajl_status_ok && r->end > 0;
    /* yajl takes an unfinished token after the value (`{...}"`) for input to
     * come: only spaces may follow the object. */
    for (size_t i = r->end; ok && i < n; i++) ok = s[i] == ' ';
    if (!ok) {
        yajl_free(r->yajl);
        r->yajl = NULL;
    }
    return ok ? 0 : -1;
}

/* ---- jansson: the reference ----------------------------------------------------- */

/* The line's fields by jansson. Returns 0, or -1 with jansson's message. */
static int fields_by_jansson(reader *r, const char *s, size_t n) {
    json_error_t je;
    json_t *o = json_loadb(s, n, 0, &je);
    if (!o || !json_is_object(o)) {
        char msg[300];
        snprintf(msg, sizeof msg, "not a JSON object: %s", o ? "another JSON value" : je.text);
        json_decref(o);
        return reader_fail(r, msg);
    }
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        int id = name_find(&r->keys, key, strlen(key));
        if (id < 0) continue;
        int kind = json_is_integer(v) ? KIND_INT : json_is_string(v) ? KIND_STRING : KIND_OTHER;
        const char *str = json_is_string(v) ? json_string_value(v) : NULL;
        if (field_set(r, id, kind, json_is_integer(v) ? json_integer_value(v) : 0, str, str ? json_string_length(v) : 0))
            break;
    }
    json_decref(o);
    return r->oom ? reader_fail(r, "out of memory") : 0;
}

/* ---- the trace's rules ---------------------------------------------------------- */

static int read_header(reader *r) {
    const field *tag = field_get(r, F_TRACE), *ver = field_get(r, F_SCHEMA_VERSION);
    if (!tag || tag->kind != KIND_STRING || strcmp(field_str(r, tag), "streamlab") != 0 || !ver || ver->kind != KIND_INT)
        return reader_fail(r, "not a streamlab trace (the first line must be {\"trace\":\"streamlab\",\"schema_version\":N})");
    if (ver->i != ENG_TRACE_SCHEMA_VERSION) {
        char msg[160];
        snprintf(msg, sizeof msg, "trace schema version %" PRId64 ", this build reads version %d", ver->i,
                 ENG_TRACE_SCHEMA_VERSION);
        return reader_fail(r, msg);
    }
    return 0;
}

static int is_int(const field *f) { return f && f->kind == KIND_INT; }

/* The line's event into r->t. Returns 0, 1 when skipped (unknown type), -1 on error. */
static int read_event(reader *r) {
    const field *jt = field_get(r, F_T_US), *jev = field_get(r, F_EV), *jn = field_get(r, F_NODE);
    if (!is_int(jt) || !jev || jev->kind != KIND_STRING || !is_int(jn))
        return reader_fail(r, "not a trace event (needs integer \"t_us\", string \"ev\", integer \"node\")");
    int type = name_find(&r->types, field_str(r, jev), jev->str_len);
    if (type < 0) return 1;
    int64_t t_us = jt->i, node = jn->i;
    if (t_us < 0 || node < 0 || node > UINT32_MAX) return reader_fail(r, "t_us or node out of range");
    sim_trace *t = r->t;
    if (t->count && t->events[t->count - 1].t_us > t_us)
        return reader_fail(r, "time goes back (events must be in order of t_us)");
    eng_trace_event ev = {.type = (eng_trace_type)type, .node = (uint32_t)node};
    for (int i = 0; i < 4; i++) {
        const field *a = field_get(r, r->arg_field[type][i]);
        if (a && a->kind != KIND_INT) {
            char msg[160];
            snprintf(msg, sizeof msg, "\"%s\" of %s must be an integer", sim_trace_arg_name((uint32_t)type, i),
                     field_str(r, jev));
            return reader_fail(r, msg);
        }
        ev.arg[i] = a ? a->i : 0;
    }
    const field *text = field_get(r, F_TEXT);
    if (text && text->kind != KIND_STRING) return reader_fail(r, "\"text\" must be a string");
    ev.text = text ? field_str(r, text) : NULL;
    if (sim_trace_append(t, t_us, &ev)) return reader_fail(r, "trace too large (more events than the bound)");
    return 0;
}

/* One line s[0..n) (without its '\n'), number r->line. Returns 0 or -1. */
static int read_line(reader *r, const char *s, size_t n) {
    if (n > TRACE_LINE_MAX) return reader_fail(r, "line too long for a trace event");
    if (n == 0 && r->line > 1) return 0;
    fields_reset(r);
    if (fields_by_yajl(r, s, n)) {
        if (r->oom) return reader_fail(r, "out of memory");
        fields_reset(r);
        if (fields_by_jansson(r, s, n)) return -1;
    }
    if (r->line == 1) return read_header(r);
    return read_event(r) < 0 ? -1 : 0;
}

/* ---- the file ------------------------------------------------------------------- */

int sim_trace_read(const char *path, sim_trace *t, char *err, size_t errlen) {
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    int rc = sim_trace_read_file(f, path, t, err, errlen);
    fclose(f);
    return rc;
}

/* Reads the file in blocks and hands over each whole line; a block keeps the
 * start of a line cut by the read. The loop reads at least one byte a turn
 * until end of file. */
static int read_lines(reader *r, FILE *f, char *buf, size_t cap) {
    size_t have = 0;
    for (;;) {
        size_t want = cap - have, got = fread(buf + have, 1, want, f);
        have += got;
        size_t at = 0;
        char *nl;
        while ((nl = memchr(buf + at, '\n', have - at))) {
            r->line++;
            if (read_line(r, buf + at, (size_t)(nl - (buf + at)))) return -1;
            at = (size_t)(nl - buf) + 1;
        }
        memmove(buf, buf + at, have - at);
        have -= at;
        if (got < want) { /* end of file, or an error: the caller says "read error" */
            if (have == 0 || ferror(f)) return 0;
            r->line++;
            return read_line(r, buf, have);
        }
        if (have > TRACE_LINE_MAX) {
            r->line++;
            return reader_fail(r, "line too long for a trace event");
        }
    }
}

int sim_trace_read_file(FILE *f, const char *path, sim_trace *t, char *err, size_t errlen) {
    t->record_arrivals = 1;
    reader *r = calloc(1, sizeof *r);
    size_t cap = TRACE_LINE_MAX + TRACE_READ_CHUNK;
    char *buf = malloc(cap);
    int rc = 0;
    if (!r || !buf) {
        rc = fail(err, errlen, path, 0, "out of memory");
    } else {
        r->path = path, r->t = t, r->err = err, r->errlen = errlen;
        names_init(r);
        rc = read_lines(r, f, buf, cap);
        if (rc == 0 && ferror(f)) rc = fail(err, errlen, path, 0, "read error");
        if (rc == 0 && r->line == 0) rc = fail(err, errlen, path, 0, "empty file (not a streamlab trace)");
    }
    if (r && r->yajl) yajl_free(r->yajl);
    if (r) free(r->str);
    free(r);
    free(buf);
    return rc;
}
