/* engine/msg.h — reading messages: the codec's getters as expressions.
 * The reader's error is sticky and a failed get yields 0, so a message is
 * read field by field and r->err checked once at the end. */
#ifndef ENG_MSG_H
#define ENG_MSG_H

#include <stdio.h>
#include <string.h>

#include "codec.h"

static inline uint8_t eng_rd_u8(eng_rbuf *r) {
    uint8_t v = 0;
    eng_rbuf_get_u8(r, &v);
    return v;
}

static inline uint32_t eng_rd_u32(eng_rbuf *r) {
    uint32_t v = 0;
    eng_rbuf_get_u32(r, &v);
    return v;
}

static inline uint64_t eng_rd_u64(eng_rbuf *r) {
    uint64_t v = 0;
    eng_rbuf_get_u64(r, &v);
    return v;
}

static inline int64_t eng_rd_i64(eng_rbuf *r) {
    int64_t v = 0;
    eng_rbuf_get_i64(r, &v);
    return v;
}

/* Copies a string into buf (NUL-terminated, cut to n - 1 bytes). */
static inline void eng_rd_str(eng_rbuf *r, char *buf, size_t n) {
    const char *s;
    size_t len;
    if (eng_rbuf_get_str(r, &s, &len)) {
        buf[0] = '\0';
        return;
    }
    snprintf(buf, n, "%.*s", (int)(len < n ? len : n - 1), s);
}

static inline void eng_put_cstr(eng_wbuf *w, const char *s) { eng_wbuf_put_str(w, s, strlen(s)); }

#endif
