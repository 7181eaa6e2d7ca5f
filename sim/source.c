/* sim/source.c — see source.h. */
#include "source.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void sim_sources_fini(sim_sources *s) {
    for (int i = 0; i < s->count; i++) {
        sim_source *src = &s->items[i];
        for (int p = 0; p < src->partitions; p++) {
            eng_part_fini(&src->parts[p].rows);
            free(src->parts[p].arrival_us);
            free(src->parts[p].event_us);
        }
        free(src->parts);
    }
    s->count = 0;
}

int sim_source_by_port(const sim_sources *s, int port) {
    for (int i = 0; i < s->count; i++)
        if (s->items[i].kind == SIM_SOURCE_SOCKET && s->items[i].port == port) return i;
    return -1;
}

int sim_source_by_topic(const sim_sources *s, const char *topic) {
    for (int i = 0; i < s->count; i++)
        if (s->items[i].kind == SIM_SOURCE_LOG && strcmp(s->items[i].topic, topic) == 0) return i;
    return -1;
}

static const sim_source_part *part_of(const sim_sources *s, int id, int p) {
    if (id < 0 || id >= s->count || p < 0 || p >= s->items[id].partitions) return NULL;
    return &s->items[id].parts[p];
}

/* Records of a looping source arrived by at_us: k with start + k/rate <= at. */
static int64_t loop_latest(const sim_source *src, int64_t at_us) {
    const sim_source_loop *l = &src->loop;
    if (at_us < l->start_us || src->parts[0].rows.count == 0) return 0;
    int64_t n = (int64_t)floor((double)(at_us - l->start_us) * l->rate / 1e6) + 1;
    /* the arrival of record n must be after at_us: fix float rounding at the edge */
    while (n > 0 && l->start_us + (int64_t)floor((double)(n - 1) * 1e6 / l->rate) > at_us) n--;
    while (l->start_us + (int64_t)floor((double)n * 1e6 / l->rate) <= at_us) n++;
    if (l->count >= 0 && n > l->count) n = l->count;
    return n;
}

int64_t sim_source_latest(const sim_sources *s, int id, int p, int64_t at_us) {
    const sim_source_part *sp = part_of(s, id, p);
    if (!sp) return 0;
    if (s->items[id].loop.on) return loop_latest(&s->items[id], at_us);
    /* first record arriving after at_us, by binary search */
    size_t lo = 0, hi = sp->rows.count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sp->arrival_us[mid] <= at_us)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (int64_t)lo;
}

int sim_source_event(const sim_sources *s, int id, int p, int64_t offset, int64_t *event_us) {
    const sim_source *src = &s->items[id];
    if (src->loop.on || !src->parts[p].event_us || offset < 0 || offset >= (int64_t)src->parts[p].rows.count) return -1;
    *event_us = src->parts[p].event_us[offset];
    return *event_us == INT64_MIN ? -1 : 0;
}

int64_t sim_source_read(const sim_sources *s, int id, int p, int64_t from, int64_t until_us, int64_t max,
                        eng_part *out) {
    const sim_source_part *sp = part_of(s, id, p);
    if (!sp || from < 0) return from;
    int64_t end = sim_source_latest(s, id, p, until_us);
    if (max >= 0 && end - from > max) end = from + max;
    size_t n = sp->rows.count;
    int loop = s->items[id].loop.on;
    for (int64_t i = from; i < end; i++) eng_part_push_copy(out, &sp->rows.rows[loop ? (size_t)i % n : (size_t)i]);
    return end > from ? end : from;
}
