/* sim/storage.c — see storage.h. */
#include "storage.h"

#include <stdlib.h>
#include <string.h>

void sim_storage_init(sim_storage *s, size_t max_files, size_t max_bytes) {
    *s = (sim_storage){0};
    s->max_files = max_files ? max_files : SIM_STORAGE_DEFAULT_MAX_FILES;
    s->max_bytes = max_bytes ? max_bytes : SIM_STORAGE_DEFAULT_MAX_BYTES;
}

void sim_storage_fini(sim_storage *s) {
    for (size_t i = 0; i < s->count; i++) {
        free(s->files[i].path);
        free(s->files[i].bytes);
    }
    free(s->files);
    *s = (sim_storage){0};
}

/* Index of path, or of where it would be inserted; *found says which. */
static size_t find(const sim_storage *s, const char *path, int *found) {
    size_t lo = 0, hi = s->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->files[mid].path, path);
        if (c == 0) {
            *found = 1;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = 0;
    return lo;
}

eng_storage_status sim_storage_put(sim_storage *s, const char *path, const void *bytes, size_t len) {
    int found;
    size_t i = find(s, path, &found);
    size_t old_len = found ? s->files[i].len : 0;
    if (s->bytes_total - old_len + len > s->max_bytes) return ENG_STORAGE_FULL;
    if (!found && s->count >= s->max_files) return ENG_STORAGE_FULL;
    unsigned char *copy = malloc(len ? len : 1);
    if (!copy) return ENG_STORAGE_FULL;
    if (len) memcpy(copy, bytes, len);
    if (found) {
        free(s->files[i].bytes);
    } else {
        char *p = strdup(path);
        if (!p) {
            free(copy);
            return ENG_STORAGE_FULL;
        }
        if (s->count == s->capacity) {
            size_t n = s->capacity ? s->capacity * 2 : 64;
            sim_file *f = realloc(s->files, n * sizeof *f);
            if (!f) {
                free(copy);
                free(p);
                return ENG_STORAGE_FULL;
            }
            s->files = f;
            s->capacity = n;
        }
        memmove(&s->files[i + 1], &s->files[i], (s->count - i) * sizeof *s->files);
        s->files[i].path = p;
        s->count++;
    }
    s->files[i].bytes = copy;
    s->files[i].len = len;
    s->bytes_total = s->bytes_total - old_len + len;
    return ENG_STORAGE_OK;
}

eng_storage_status sim_storage_get(const sim_storage *s, const char *path, const void **bytes, size_t *len) {
    int found;
    size_t i = find(s, path, &found);
    if (!found) return ENG_STORAGE_NOT_FOUND;
    *bytes = s->files[i].bytes;
    *len = s->files[i].len;
    return ENG_STORAGE_OK;
}

eng_storage_status sim_storage_delete(sim_storage *s, const char *path) {
    int found;
    size_t i = find(s, path, &found);
    if (!found) return ENG_STORAGE_NOT_FOUND;
    s->bytes_total -= s->files[i].len;
    free(s->files[i].path);
    free(s->files[i].bytes);
    memmove(&s->files[i], &s->files[i + 1], (s->count - i - 1) * sizeof *s->files);
    s->count--;
    return ENG_STORAGE_OK;
}

eng_storage_status sim_storage_rename(sim_storage *s, const char *from, const char *to) {
    int found;
    size_t i = find(s, from, &found);
    if (!found) return ENG_STORAGE_NOT_FOUND;
    if (strcmp(from, to) == 0) return ENG_STORAGE_OK;
    /* Take the bytes out, then put them under the new name: one step as far
     * as any node can see, since nothing runs in between. */
    sim_file f = s->files[i];
    int to_found;
    char *new_path = strdup(to);
    if (!new_path) return ENG_STORAGE_FULL;
    memmove(&s->files[i], &s->files[i + 1], (s->count - i - 1) * sizeof *s->files);
    s->count--;
    s->bytes_total -= f.len;
    size_t j = find(s, to, &to_found);
    if (to_found) {
        s->bytes_total -= s->files[j].len;
        free(s->files[j].path);
        free(s->files[j].bytes);
    } else {
        /* capacity holds: we just removed one entry */
        memmove(&s->files[j + 1], &s->files[j], (s->count - j) * sizeof *s->files);
        s->count++;
    }
    free(f.path);
    s->files[j] = (sim_file){new_path, f.bytes, f.len};
    s->bytes_total += f.len;
    return ENG_STORAGE_OK;
}

size_t sim_storage_list(const sim_storage *s, const char *prefix, void (*each)(void *ud, const char *path),
                        void *ud) {
    int found;
    size_t plen = strlen(prefix);
    size_t n = 0;
    for (size_t i = find(s, prefix, &found); i < s->count; i++) {
        if (strncmp(s->files[i].path, prefix, plen) != 0) break;
        if (each) each(ud, s->files[i].path);
        n++;
    }
    return n;
}
