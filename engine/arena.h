/* engine/arena.h — bump allocation for the records of one partition.
 *
 * A partition's records (strings, tuples) live in one arena and die with
 * it: no per-record free, no reference counts. Records crossing into another
 * partition are copied (eng_value_copy), as Spark serializes records across
 * a shuffle. Chunks grow geometrically up to ENG_ARENA_CHUNK_MAX.
 */
#ifndef ENG_ARENA_H
#define ENG_ARENA_H

#include <stddef.h>

typedef struct eng_arena_chunk eng_arena_chunk;

typedef struct eng_arena {
    eng_arena_chunk *head; /* newest chunk first */
    size_t used_bytes;     /* bytes handed out, for the cost model and limits */
} eng_arena;

#define ENG_ARENA_CHUNK_MIN 4096
#define ENG_ARENA_CHUNK_MAX (1u << 20)

/* An arena of zero chunks; a zero-initialised eng_arena is valid too. */
void eng_arena_init(eng_arena *a);
/* Frees every chunk; the arena is empty and usable again. */
void eng_arena_fini(eng_arena *a);

/* size bytes aligned for any record field, or NULL when out of memory. */
void *eng_arena_alloc(eng_arena *a, size_t size);

#endif
