/* engine/part.h — one partition's records: an arena and the rows in it. */
#ifndef ENG_PART_H
#define ENG_PART_H

#include <stddef.h>

#include "arena.h"
#include "value.h"

typedef struct eng_part {
    eng_arena arena;
    eng_value *rows;
    size_t count, capacity;
} eng_part;

void eng_part_init(eng_part *p);
void eng_part_fini(eng_part *p);
/* Appends v as it is: its strings and tuples must live in p->arena (use
 * eng_part_push_copy for values from elsewhere). Aborts when out of memory. */
void eng_part_push(eng_part *p, eng_value v);
/* Appends a deep copy of v into p's arena. */
void eng_part_push_copy(eng_part *p, const eng_value *v);

#endif
