/* engine/codec.h — the binary form of records: messages between simulated
 * nodes and durable storage.
 *
 * Little-endian, no padding, no alignment. A value is one tag byte (its
 * eng_vtype) and then:
 *
 *   NIL          nothing                              1 byte in all
 *   BOOL         u8 0 or 1                            2
 *   INT          i64                                  9
 *   DOUBLE       the 8 bytes of the IEEE double        9
 *   STR          u32 length, the bytes (no NUL)       5 + length
 *   TUPLE, LIST  u32 count, the items                 5 + the items
 *
 * so that eng_value_wire_size(v) is exactly the bytes eng_wbuf_put_value
 * writes. A partition is a u32 count and then its values.
 *
 * Writing cannot fail: out of memory aborts the process with a message, as
 * eng_arena does for records. Reading checks every length against the
 * bytes left and fails (-1) on truncated or malformed input without reading
 * out of bounds; the reader's error is sticky: after one failure every
 * further get fails. Nesting is bounded: a value may hold tuples and lists
 * up to ENG_CODEC_MAX_DEPTH deep (a flat tuple is depth 1); deeper input is
 * refused, so a hostile message cannot exhaust the stack. The writer does
 * not check depth: a value nested deeper than that writes but reads back as
 * an error.
 */
#ifndef ENG_CODEC_H
#define ENG_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "part.h"
#include "value.h"

#define ENG_CODEC_MAX_DEPTH 64

/* ---- writing ------------------------------------------------------------ */

typedef struct eng_wbuf {
    uint8_t *data; /* malloc'd; NULL while empty */
    size_t len, cap;
} eng_wbuf;

void eng_wbuf_init(eng_wbuf *w);
void eng_wbuf_fini(eng_wbuf *w);
/* Empties w, keeping its memory. */
void eng_wbuf_clear(eng_wbuf *w);

void eng_wbuf_put_u8(eng_wbuf *w, uint8_t v);
void eng_wbuf_put_u32(eng_wbuf *w, uint32_t v);
void eng_wbuf_put_u64(eng_wbuf *w, uint64_t v);
void eng_wbuf_put_i64(eng_wbuf *w, int64_t v);
/* The 8 bytes of d's IEEE representation, as a u64. */
void eng_wbuf_put_f64(eng_wbuf *w, double d);
/* n raw bytes. */
void eng_wbuf_put_bytes(eng_wbuf *w, const void *p, size_t n);
/* u32 length, then the bytes. Aborts if len does not fit in a u32. */
void eng_wbuf_put_str(eng_wbuf *w, const char *s, size_t len);
void eng_wbuf_put_value(eng_wbuf *w, const eng_value *v);
/* u32 count, then each row. */
void eng_wbuf_put_part(eng_wbuf *w, const eng_part *p);

/* ---- reading ------------------------------------------------------------ */

typedef struct eng_rbuf {
    const uint8_t *data;
    size_t len, pos;
    int err; /* sticky: set by the first failed get */
} eng_rbuf;

void eng_rbuf_init(eng_rbuf *r, const void *data, size_t len);
static inline size_t eng_rbuf_remaining(const eng_rbuf *r) { return r->len - r->pos; }

/* Each returns 0, or -1 (and sets r->err, and zeroes the output) when the
 * bytes are missing or r->err was already set. */
int eng_rbuf_get_u8(eng_rbuf *r, uint8_t *v);
int eng_rbuf_get_u32(eng_rbuf *r, uint32_t *v);
int eng_rbuf_get_u64(eng_rbuf *r, uint64_t *v);
int eng_rbuf_get_i64(eng_rbuf *r, int64_t *v);
int eng_rbuf_get_f64(eng_rbuf *r, double *d);
/* Copies the next n bytes into out. */
int eng_rbuf_get_bytes(eng_rbuf *r, void *out, size_t n);
/* A string written by eng_wbuf_put_str: *s points into the reader's buffer
 * (not NUL-terminated), valid while that buffer is. */
int eng_rbuf_get_str(eng_rbuf *r, const char **s, size_t *len);
/* One value; its strings and tuples are allocated in a (NUL-terminated
 * strings, as eng_str makes). On failure *v is nil; whatever was allocated
 * in a for the partial value stays there, unused. */
int eng_rbuf_get_value(eng_rbuf *r, eng_arena *a, eng_value *v);
/* A partition written by eng_wbuf_put_part, appended to p (rows in
 * p->arena). On failure p->count is as it was before the call. */
int eng_rbuf_get_part(eng_rbuf *r, eng_part *p);

/* ---- sizes -------------------------------------------------------------- */

/* Bytes eng_wbuf_put_part writes for p: 4 + the rows' eng_value_wire_size. */
size_t eng_codec_part_size(const eng_part *p);

#endif
