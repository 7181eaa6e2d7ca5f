/* sim/storage.h — durable storage of the simulated world.
 *
 * A flat namespace of paths ("ckpt/metadata/checkpoint-3000") to byte
 * strings, kept by the world outside every node, so it survives node
 * crashes: checkpoint files, write-ahead logs, offset and commit logs and sink
 * output live here. Every operation is atomic. Paths are kept sorted, so
 * listing is in byte-wise lexicographic order, never in hash order.
 *
 * Bounded: at most max_files paths and max_bytes bytes in all; a put beyond
 * either fails with ENG_STORAGE_FULL and changes nothing.
 */
#ifndef SIM_STORAGE_H
#define SIM_STORAGE_H

#include <stddef.h>
#include <stdint.h>

#include "../engine/env.h"

typedef struct sim_file {
    char *path;
    unsigned char *bytes;
    size_t len;
} sim_file;

typedef struct sim_storage {
    sim_file *files; /* sorted by path */
    size_t count, capacity;
    size_t bytes_total;
    size_t max_files, max_bytes;
} sim_storage;

#define SIM_STORAGE_DEFAULT_MAX_FILES 1000000u
#define SIM_STORAGE_DEFAULT_MAX_BYTES ((size_t)4 << 30)

/* Limits of 0 take the defaults. */
void sim_storage_init(sim_storage *s, size_t max_files, size_t max_bytes);
void sim_storage_fini(sim_storage *s);

/* Copies bytes; replaces any file at path. */
eng_storage_status sim_storage_put(sim_storage *s, const char *path, const void *bytes, size_t len);
/* *bytes is borrowed until the next change to the storage. */
eng_storage_status sim_storage_get(const sim_storage *s, const char *path, const void **bytes, size_t *len);
eng_storage_status sim_storage_delete(sim_storage *s, const char *path);
/* Atomically moves from -> to, replacing any file at to. */
eng_storage_status sim_storage_rename(sim_storage *s, const char *from, const char *to);
/* Calls each(ud, path) in order for paths starting with prefix; returns how many. */
size_t sim_storage_list(const sim_storage *s, const char *prefix, void (*each)(void *ud, const char *path),
                        void *ud);

#endif
