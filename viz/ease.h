/* viz/ease.h — easing while playing (VISUAL.md "Motion and stepping":
 * while playing, positions ease over about 150 ms; stepping is instant).
 *
 * Easing is presentation only. The model's live state is never touched: the
 * player keeps a copy of the state it drew when an ease began and points the
 * view's ease_from at it, with ease, the fraction of VIZ_EASE_MS gone; the
 * panels draw what moves at viz_eased(g, where it was there, where it is
 * now) (draw.h). Time comes in as an argument (the window passes SDL's
 * clock): nothing here reads a clock, and nothing that renders to a file
 * starts an ease, so headless frames stay exact. */
#ifndef VIZ_EASE_H
#define VIZ_EASE_H

#include <stdint.h>

#include "draw.h"

typedef struct viz_ease {
    viz_live from;      /* the state drawn when the ease began, at its own clock */
    size_t from_frame;
    uint64_t start_ms;  /* when it began, on the caller's clock */
    int running;
} viz_ease;

/* One tick of playback: the view went from `before` (the state drawn at the
 * previous tick, frame before_frame) to v->live at v->frame, at now_ms. When
 * what is drawn moved by a step — another frame, or another scale on the
 * batch timeline — and no ease runs, an ease begins from `before`; a step
 * while one runs joins it (eases over what is left of it: one anchor keeps
 * the motion continuous). Sets v->ease_from, v->ease_from_frame and v->ease;
 * after VIZ_EASE_MS the ease ends and the view draws live alone. */
void viz_ease_tick(viz_ease *e, viz_view *v, const viz_live *before, size_t before_frame, uint64_t now_ms);

/* Ends any ease at once: the view draws its own state exactly (a step, a
 * jump, pausing). */
void viz_ease_stop(viz_ease *e, viz_view *v);

#endif
