/* engine/part.c — see part.h. */
#include "part.h"

#include <stdio.h>
#include <stdlib.h>

void eng_part_init(eng_part *p) { *p = (eng_part){0}; }

void eng_part_fini(eng_part *p) {
    eng_arena_fini(&p->arena);
    free(p->rows);
    *p = (eng_part){0};
}

void eng_part_push(eng_part *p, eng_value v) {
    if (p->count == p->capacity) {
        size_t n = p->capacity ? p->capacity * 2 : 16;
        eng_value *rows = realloc(p->rows, n * sizeof *rows);
        if (!rows) {
            fputs("streamlab: out of memory for records\n", stderr);
            abort();
        }
        p->rows = rows;
        p->capacity = n;
    }
    p->rows[p->count++] = v;
}

void eng_part_push_copy(eng_part *p, const eng_value *v) { eng_part_push(p, eng_value_copy(&p->arena, v)); }
