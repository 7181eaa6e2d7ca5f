/* engine/program.c — see program.h. */
#include "program.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void eng_program_init(eng_program *p) { *p = (eng_program){0}; }

void eng_program_fini(eng_program *p) {
    free(p->dstreams);
    for (int i = 0; i < p->nqueries; i++) free(p->queries[i]);
    eng_arena_fini(&p->arena);
    *p = (eng_program){0};
}

int eng_program_add(eng_program *p, const eng_dstream *d) {
    if (p->count >= ENG_PROGRAM_DSTREAMS_MAX) return -1;
    if (p->count == p->capacity) {
        int n = p->capacity ? p->capacity * 2 : 32;
        eng_dstream *ds = realloc(p->dstreams, (size_t)n * sizeof *ds);
        if (!ds) return -1;
        p->dstreams = ds;
        p->capacity = n;
    }
    eng_dstream *slot = &p->dstreams[p->count];
    *slot = *d;
    slot->id = p->count;
    if (slot->kind == ENG_DS_RECEIVER) {
        if (p->receiver_count >= 64) return -1;
        slot->receiver_index = p->receiver_count;
        p->receivers[p->receiver_count++] = slot->id;
    }
    if (slot->kind == ENG_DS_OUTPUT) {
        slot->output_index = p->output_count;
        p->outputs[p->output_count++] = slot->id;
    }
    return p->count++;
}

const eng_collection *eng_program_collection(eng_program *p, const eng_value *rows, size_t n, int num_slices) {
    eng_collection *c = eng_arena_alloc(&p->arena, sizeof *c);
    eng_part *slices = eng_arena_alloc(&p->arena, (size_t)(num_slices > 0 ? num_slices : 1) * sizeof *slices);
    if (!c || !slices) {
        fputs("streamlab: out of memory for a collection\n", stderr);
        abort();
    }
    c->num_slices = num_slices;
    c->slices = slices;
    c->records = (int64_t)n;
    for (int i = 0; i < num_slices; i++) {
        /* Slices share the program arena: they live as long as the program. */
        eng_part *s = &slices[i];
        eng_part_init(s);
        int64_t start = (int64_t)i * (int64_t)n / num_slices, end = ((int64_t)i + 1) * (int64_t)n / num_slices;
        s->capacity = (size_t)(end - start);
        s->rows = eng_arena_alloc(&p->arena, (s->capacity ? s->capacity : 1) * sizeof *s->rows);
        if (!s->rows) abort();
        for (int64_t k = start; k < end; k++) s->rows[s->count++] = eng_value_copy(&p->arena, &rows[k]);
    }
    return c;
}

/* A DStream's parents must remember its window (and its own needs) longer. */
static void need(eng_program *p, int id, int64_t us) {
    eng_dstream *d = &p->dstreams[id];
    if (us <= d->remember_us) return;
    d->remember_us = us;
    int64_t extra = 0;
    if (d->kind == ENG_DS_WINDOW || d->kind == ENG_DS_REDUCED_WINDOW) extra = d->window_us;
    if (d->kind == ENG_DS_REDUCED_WINDOW || d->kind == ENG_DS_STATE || d->kind == ENG_DS_MAP_WITH_STATE)
        extra = d->window_us + d->slide_us;
    for (int i = 0; i < d->nparents; i++) need(p, d->parents[i], us + extra);
}

int64_t eng_program_remember(eng_program *p, int64_t batch_us) {
    for (int i = p->count - 1; i >= 0; i--) {
        eng_dstream *d = &p->dstreams[i];
        int64_t slide = d->slide_us ? d->slide_us : batch_us;
        int64_t own = d->checkpoint_interval_us ? 2 * slide : slide;
        if (p->remember_us > own) own = p->remember_us;
        need(p, i, own);
        /* the windowed stream itself looks back one slide (the inverse) */
        if (d->kind == ENG_DS_REDUCED_WINDOW || d->kind == ENG_DS_STATE || d->kind == ENG_DS_MAP_WITH_STATE)
            need(p, i, own + slide);
    }
    int64_t longest = batch_us;
    for (int i = 0; i < p->count; i++)
        if (p->dstreams[i].remember_us > longest) longest = p->dstreams[i].remember_us;
    return longest;
}

void eng_program_wal_path(const eng_program *p, int ds, uint64_t block, char *buf, size_t n) {
    snprintf(buf, n, "%s/receivedData/%d/log-%" PRIu64, p->checkpoint_dir ? p->checkpoint_dir : "checkpoint", ds,
             (uint64_t)(block & 0xffffffffffULL));
}

const char *eng_program_keep(eng_program *p, const char *s) {
    size_t n = strlen(s);
    char *copy = eng_arena_alloc(&p->arena, n + 1);
    if (!copy) return "?";
    memcpy(copy, s, n + 1);
    return copy;
}
