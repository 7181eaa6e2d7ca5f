/* engine/aomap.c — see aomap.h. */
#include "aomap.h"

#include <stdio.h>
#include <stdlib.h>

#define INITIAL_CAPACITY 64

static uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

int32_t eng_murmur3_hash_int(int32_t input) {
    uint32_t k1 = (uint32_t)input;
    k1 *= 0xcc9e2d51u;
    k1 = rotl32(k1, 15);
    k1 *= 0x1b873593u;
    uint32_t h1 = 0 ^ k1;
    h1 = rotl32(h1, 13);
    h1 = h1 * 5 + 0xe6546b64u;
    h1 ^= 4; /* length in bytes */
    h1 ^= h1 >> 16;
    h1 *= 0x85ebca6bu;
    h1 ^= h1 >> 13;
    h1 *= 0xc2b2ae35u;
    h1 ^= h1 >> 16;
    return (int32_t)h1;
}

static void *must_calloc(size_t n, size_t size) {
    void *p = calloc(n, size);
    if (!p) {
        fputs("streamlab: out of memory aggregating records\n", stderr);
        abort();
    }
    return p;
}

static void alloc_table(eng_aomap *m, size_t capacity) {
    m->keys = must_calloc(capacity, sizeof *m->keys);
    m->hashes = must_calloc(capacity, sizeof *m->hashes);
    m->vals = must_calloc(capacity, sizeof *m->vals);
    m->used = must_calloc(capacity, 1);
    m->capacity = capacity;
}

void eng_aomap_init(eng_aomap *m) {
    *m = (eng_aomap){0};
    alloc_table(m, INITIAL_CAPACITY);
}

void eng_aomap_fini(eng_aomap *m) {
    free(m->keys);
    free(m->hashes);
    free(m->vals);
    free(m->used);
    *m = (eng_aomap){0};
}

static size_t home_slot(int32_t hash, size_t mask) { return (size_t)(uint32_t)eng_murmur3_hash_int(hash) & mask; }

static void grow(eng_aomap *m) {
    eng_aomap old = *m;
    alloc_table(m, old.capacity * 2);
    size_t mask = m->capacity - 1;
    for (size_t i = 0; i < old.capacity; i++) {
        if (!old.used[i]) continue;
        size_t pos = home_slot(old.hashes[i], mask);
        for (size_t delta = 1; m->used[pos]; delta++) pos = (pos + delta) & mask;
        m->used[pos] = 1;
        m->keys[pos] = old.keys[i];
        m->vals[pos] = old.vals[i];
        m->hashes[pos] = old.hashes[i];
    }
    free(old.keys);
    free(old.hashes);
    free(old.vals);
    free(old.used);
}

eng_value *eng_aomap_slot_h(eng_aomap *m, const eng_value *key, int32_t hash, int *found, eng_value **stored) {
    if (key->type == ENG_V_NIL) {
        *found = m->have_null;
        if (!m->have_null) {
            m->null_val = eng_nil();
            m->size++; /* the null key counts towards growth, as curSize does */
        }
        m->have_null = 1;
        if (stored) *stored = NULL;
        if (!*found && m->size > (size_t)(0.7 * (double)m->capacity)) grow(m);
        return &m->null_val;
    }
    size_t mask = m->capacity - 1;
    size_t pos = home_slot(hash, mask);
    for (size_t delta = 1;; delta++) {
        if (!m->used[pos]) {
            /* Insert, then grow past 0.7 full, as incrementSize does. The new
             * key's slot may move, so find it again after growing. */
            m->used[pos] = 1;
            m->keys[pos] = *key;
            m->hashes[pos] = hash;
            m->vals[pos] = eng_nil();
            m->size++;
            *found = 0;
            if (m->size > (size_t)(0.7 * (double)m->capacity)) {
                grow(m);
                int again;
                return eng_aomap_slot_h(m, key, hash, &again, stored);
            }
            if (stored) *stored = &m->keys[pos];
            return &m->vals[pos];
        }
        if (m->hashes[pos] == hash && eng_value_equal(&m->keys[pos], key)) {
            *found = 1;
            if (stored) *stored = &m->keys[pos];
            return &m->vals[pos];
        }
        pos = (pos + delta) & mask;
    }
}

eng_value *eng_aomap_slot(eng_aomap *m, const eng_value *key, int *found) {
    return eng_aomap_slot_h(m, key, key->type == ENG_V_NIL ? 0 : eng_value_hash(key), found, NULL);
}

int eng_aomap_next(const eng_aomap *m, size_t *it, eng_value *key, eng_value *val) {
    /* it 0 = the null key; it k >= 1 = slot k - 1 onwards */
    if (*it == 0) {
        *it = 1;
        if (m->have_null) {
            *key = eng_nil();
            *val = m->null_val;
            return 1;
        }
    }
    for (size_t pos = *it - 1; pos < m->capacity; pos++) {
        if (m->used[pos]) {
            *it = pos + 2;
            *key = m->keys[pos];
            *val = m->vals[pos];
            return 1;
        }
    }
    *it = m->capacity + 1;
    return 0;
}
