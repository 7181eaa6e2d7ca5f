/* engine/codec.c — see codec.h. */
#include "codec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what) {
    fputs("streamlab: ", stderr);
    fputs(what, stderr);
    fputs("\n", stderr);
    abort();
}

/* ---- writing ------------------------------------------------------------ */

void eng_wbuf_init(eng_wbuf *w) { *w = (eng_wbuf){0}; }

void eng_wbuf_fini(eng_wbuf *w) {
    free(w->data);
    *w = (eng_wbuf){0};
}

void eng_wbuf_clear(eng_wbuf *w) { w->len = 0; }

/* n more bytes at the end of w, to be filled by the caller. */
static uint8_t *extend(eng_wbuf *w, size_t n) {
    if (n > w->cap - w->len) {
        if (n > SIZE_MAX - w->len) die("out of memory encoding records");
        size_t need = w->len + n, cap = w->cap ? w->cap : 64;
        while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        uint8_t *p = realloc(w->data, cap);
        if (!p) die("out of memory encoding records");
        w->data = p;
        w->cap = cap;
    }
    uint8_t *at = w->data + w->len;
    w->len += n;
    return at;
}

static void store_le(uint8_t *p, uint64_t v, int n) {
    for (int i = 0; i < n; i++) p[i] = (uint8_t)(v >> (8 * i));
}

void eng_wbuf_put_u8(eng_wbuf *w, uint8_t v) { *extend(w, 1) = v; }
void eng_wbuf_put_u32(eng_wbuf *w, uint32_t v) { store_le(extend(w, 4), v, 4); }
void eng_wbuf_put_u64(eng_wbuf *w, uint64_t v) { store_le(extend(w, 8), v, 8); }
void eng_wbuf_put_i64(eng_wbuf *w, int64_t v) { eng_wbuf_put_u64(w, (uint64_t)v); }

void eng_wbuf_put_f64(eng_wbuf *w, double d) {
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    eng_wbuf_put_u64(w, bits);
}

void eng_wbuf_put_bytes(eng_wbuf *w, const void *p, size_t n) {
    if (n) memcpy(extend(w, n), p, n);
}

void eng_wbuf_put_str(eng_wbuf *w, const char *s, size_t len) {
    if (len > UINT32_MAX) die("string too long to encode (more than 4 GiB)");
    eng_wbuf_put_u32(w, (uint32_t)len);
    eng_wbuf_put_bytes(w, s, len);
}

void eng_wbuf_put_value(eng_wbuf *w, const eng_value *v) {
    eng_wbuf_put_u8(w, (uint8_t)v->type);
    switch (v->type) {
    case ENG_V_NIL:
        break;
    case ENG_V_BOOL:
        eng_wbuf_put_u8(w, v->as.i != 0);
        break;
    case ENG_V_INT:
        eng_wbuf_put_i64(w, v->as.i);
        break;
    case ENG_V_DOUBLE:
        eng_wbuf_put_f64(w, v->as.d);
        break;
    case ENG_V_STR:
        eng_wbuf_put_str(w, v->as.s, v->len);
        break;
    default: /* TUPLE, LIST */
        eng_wbuf_put_u32(w, v->len);
        for (uint32_t i = 0; i < v->len; i++) eng_wbuf_put_value(w, &v->as.items[i]);
        break;
    }
}

void eng_wbuf_put_part(eng_wbuf *w, const eng_part *p) {
    if (p->count > UINT32_MAX) die("partition too large to encode (more than 2^32 rows)");
    eng_wbuf_put_u32(w, (uint32_t)p->count);
    for (size_t i = 0; i < p->count; i++) eng_wbuf_put_value(w, &p->rows[i]);
}

/* ---- reading ------------------------------------------------------------ */

void eng_rbuf_init(eng_rbuf *r, const void *data, size_t len) {
    *r = (eng_rbuf){.data = data, .len = data ? len : 0};
}

static int fail(eng_rbuf *r) {
    r->err = 1;
    return -1;
}

/* The next n bytes, or NULL (and the error set) when they are not there. */
static const uint8_t *take(eng_rbuf *r, size_t n) {
    if (r->err || n > r->len - r->pos) {
        fail(r);
        return NULL;
    }
    const uint8_t *p = r->data ? r->data + r->pos : (const uint8_t *)""; /* no arithmetic on NULL */
    r->pos += n;
    return p;
}

static uint64_t load_le(const uint8_t *p, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

int eng_rbuf_get_u8(eng_rbuf *r, uint8_t *v) {
    const uint8_t *p = take(r, 1);
    *v = p ? p[0] : 0;
    return p ? 0 : -1;
}

int eng_rbuf_get_u32(eng_rbuf *r, uint32_t *v) {
    const uint8_t *p = take(r, 4);
    *v = p ? (uint32_t)load_le(p, 4) : 0;
    return p ? 0 : -1;
}

int eng_rbuf_get_u64(eng_rbuf *r, uint64_t *v) {
    const uint8_t *p = take(r, 8);
    *v = p ? load_le(p, 8) : 0;
    return p ? 0 : -1;
}

int eng_rbuf_get_i64(eng_rbuf *r, int64_t *v) {
    uint64_t u;
    int rc = eng_rbuf_get_u64(r, &u);
    *v = (int64_t)u;
    return rc;
}

int eng_rbuf_get_f64(eng_rbuf *r, double *d) {
    uint64_t u;
    int rc = eng_rbuf_get_u64(r, &u);
    memcpy(d, &u, sizeof *d);
    return rc;
}

int eng_rbuf_get_bytes(eng_rbuf *r, void *out, size_t n) {
    const uint8_t *p = take(r, n);
    if (!p) {
        if (n) memset(out, 0, n);
        return -1;
    }
    if (n) memcpy(out, p, n);
    return 0;
}

int eng_rbuf_get_str(eng_rbuf *r, const char **s, size_t *len) {
    uint32_t n;
    const uint8_t *p = eng_rbuf_get_u32(r, &n) == 0 ? take(r, n) : NULL;
    *s = p ? (const char *)p : "";
    *len = p ? n : 0;
    return p ? 0 : -1;
}

static void *must_alloc(eng_arena *a, size_t size) {
    void *p = eng_arena_alloc(a, size);
    if (!p) die("out of memory for records");
    return p;
}

/* pending: items announced by the enclosing tuples (and partition) that are
 * not begun yet. Each needs at least its tag byte after the current value,
 * so a count is accepted only if count + pending bytes remain: announced
 * items never outnumber the bytes left, and the arena spent on a bogus
 * count stays within a small multiple of the input's size. */
typedef struct decoder {
    eng_rbuf *r;
    eng_arena *a;
    size_t pending;
} decoder;

static int count_fits(decoder *d, uint32_t n) {
    size_t left = eng_rbuf_remaining(d->r);
    return d->pending <= left && n <= left - d->pending;
}

static int decode(decoder *d, eng_value *out, int depth) {
    eng_rbuf *r = d->r;
    *out = eng_nil();
    uint8_t tag;
    if (eng_rbuf_get_u8(r, &tag)) return -1;
    switch (tag) {
    case ENG_V_NIL:
        return 0;
    case ENG_V_BOOL: {
        uint8_t b;
        if (eng_rbuf_get_u8(r, &b)) return -1;
        if (b > 1) return fail(r);
        *out = eng_bool(b);
        return 0;
    }
    case ENG_V_INT: {
        int64_t i;
        if (eng_rbuf_get_i64(r, &i)) return -1;
        *out = eng_int(i);
        return 0;
    }
    case ENG_V_DOUBLE: {
        double x;
        if (eng_rbuf_get_f64(r, &x)) return -1;
        *out = eng_double(x);
        return 0;
    }
    case ENG_V_STR: {
        const char *s;
        size_t n;
        if (eng_rbuf_get_str(r, &s, &n)) return -1;
        char *p = must_alloc(d->a, n + 1);
        if (n) memcpy(p, s, n);
        p[n] = '\0';
        *out = (eng_value){.type = ENG_V_STR, .len = (uint32_t)n, .as.s = p};
        return 0;
    }
    case ENG_V_TUPLE:
    case ENG_V_LIST: {
        uint32_t n;
        if (depth >= ENG_CODEC_MAX_DEPTH) return fail(r);
        if (eng_rbuf_get_u32(r, &n)) return -1;
        if (!count_fits(d, n)) return fail(r);
        eng_value *items = must_alloc(d->a, (n ? n : 1) * sizeof *items);
        d->pending += n;
        for (uint32_t i = 0; i < n; i++) {
            d->pending--;
            if (decode(d, &items[i], depth + 1)) return -1;
        }
        *out = (eng_value){.type = tag, .len = n, .as.items = items};
        return 0;
    }
    default:
        return fail(r);
    }
}

int eng_rbuf_get_value(eng_rbuf *r, eng_arena *a, eng_value *v) {
    decoder d = {r, a, 0};
    return decode(&d, v, 0);
}

int eng_rbuf_get_part(eng_rbuf *r, eng_part *p) {
    size_t before = p->count;
    uint32_t n;
    if (eng_rbuf_get_u32(r, &n)) return -1;
    decoder d = {r, &p->arena, 0};
    if (!count_fits(&d, n)) return fail(r);
    d.pending = n;
    for (uint32_t i = 0; i < n; i++) {
        eng_value v;
        d.pending--;
        if (decode(&d, &v, 0)) {
            p->count = before;
            return -1;
        }
        eng_part_push(p, v);
    }
    return 0;
}

/* ---- sizes -------------------------------------------------------------- */

size_t eng_codec_part_size(const eng_part *p) {
    size_t n = 4;
    for (size_t i = 0; i < p->count; i++) n += eng_value_wire_size(&p->rows[i]);
    return n;
}
