/* viz/ease.c — see ease.h. */
#include "ease.h"

#include <string.h>

void viz_ease_stop(viz_ease *e, viz_view *v) {
    e->running = 0;
    v->ease_from = NULL;
    v->ease_from_frame = 0;
    v->ease = 1;
}

void viz_ease_tick(viz_ease *e, viz_view *v, const viz_live *before, size_t before_frame, uint64_t now_ms) {
    if (e->running && (now_ms < e->start_ms || now_ms - e->start_ms >= VIZ_EASE_MS)) viz_ease_stop(e, v);
    int stepped = before_frame != v->frame || viz_batches_scale(v, before) != viz_batches_scale(v, &v->live);
    if (stepped && !e->running) {
        memcpy(&e->from, before, sizeof e->from);
        e->from_frame = before_frame;
        e->start_ms = now_ms;
        e->running = 1;
    }
    if (!e->running) return;
    v->ease_from = &e->from;
    v->ease_from_frame = e->from_frame;
    v->ease = (double)(now_ms - e->start_ms) / VIZ_EASE_MS;
}
