/* tests/viz/viz_test.h — what the visualiser's tests share: a trace (or a
 * scenario, run first) loaded into a model, frames rendered in process at
 * 1920x1080, and pixel statistics over a panel's rectangle. */
#ifndef VIZ_TEST_H
#define VIZ_TEST_H

#include "../../viz/draw.h"

typedef struct loaded {
    sim_trace t;
    viz_model m;
} loaded;

/* Loads a trace file or runs a scenario (.lua) and builds its model;
 * asserts that both work. Free with unload. */
loaded *load(const char *path);
void unload(loaded *l);

/* The display-state hash at every frame, stepping forward from frame 0
 * (malloc'd, nframes entries), and how many frames seeking to each, from
 * the last back to the first, hashes otherwise. */
uint64_t *forward_hashes(const viz_model *m);
size_t backward_differences(const viz_model *m, const uint64_t *fwd);

/* Stepping forward from frame 0 and seeking backwards from the last frame
 * (and 200 seeded random jumps) give the same display-state hash at every
 * frame. Expects, does not assert. */
void check_exact(const char *path);

typedef struct pixels {
    cairo_surface_t *s; /* owned: cairo_surface_destroy */
    const unsigned char *data;
    int stride;
} pixels;

/* Frame f drawn at 1920x1080, 1:1 with the logical layout. */
pixels render_frame(const viz_model *m, size_t f, int theme);
void rgb_at(const pixels *p, int x, int y, int *r, int *g, int *b);
/* Pixels of rect r within `tol` of colour c. */
long count_colour(const pixels *p, viz_rect r, viz_rgb c, int tol);
/* Share of r's pixels that are not the panel's background: ink. */
double ink(const pixels *p, viz_rect r, viz_rgb bg);
/* A hash of the pixels of r. */
uint64_t region_hash(const pixels *p, viz_rect r);
/* A hash of the pixels of layout panel `panel` (VIZ_PANEL_*) drawn from
 * view v at 1920x1080 (the view may be easing). */
uint64_t panel_pixels(const viz_view *v, int panel);

#endif
