/* engine/arena.c — see arena.h. */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>

struct eng_arena_chunk {
    eng_arena_chunk *next;
    size_t size, used;
    max_align_t data[]; /* aligned storage */
};

void eng_arena_init(eng_arena *a) { *a = (eng_arena){0}; }

void eng_arena_fini(eng_arena *a) {
    eng_arena_chunk *c = a->head;
    while (c) {
        eng_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    *a = (eng_arena){0};
}

void *eng_arena_alloc(eng_arena *a, size_t size) {
    /* 8-byte alignment: every record field (int64, double, pointer) needs no more */
    const size_t align = 8;
    size = (size + align - 1) / align * align;
    if (size == 0) size = align;
    eng_arena_chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        size_t want = c ? c->size * 2 : ENG_ARENA_CHUNK_MIN;
        if (want > ENG_ARENA_CHUNK_MAX) want = ENG_ARENA_CHUNK_MAX;
        if (want < size) want = size;
        c = malloc(sizeof *c + want);
        if (!c) return NULL;
        c->next = a->head;
        c->size = want;
        c->used = 0;
        a->head = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    a->used_bytes += size;
    return p;
}
