/* tests/viz/viz_test.c — see viz_test.h. */
#include "viz_test.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <xxhash.h>

#include "../../viz/load.h"
#include "../../viz/render.h"


loaded *load(const char *path) {
    loaded *l = calloc(1, sizeof *l);
    char err[1024];
    cr_assert_eq(sim_trace_init(&l->t, 0), 0);
    cr_assert_eq(viz_load(path, &l->t, err, sizeof err), 0, "%s", err);
    cr_assert_eq(viz_model_init(&l->m, &l->t, err, sizeof err), 0, "%s", err);
    return l;
}

void unload(loaded *l) {
    viz_model_fini(&l->m);
    sim_trace_fini(&l->t);
    free(l);
}

uint64_t *forward_hashes(const viz_model *m) {
    uint64_t *fwd = malloc(m->nframes * sizeof *fwd);
    cr_assert_not_null(fwd);
    viz_live s;
    viz_model_seek(m, 0, &s);
    fwd[0] = viz_model_hash(m, 0, &s);
    for (size_t f = 1; f < m->nframes; f++) {
        viz_model_step(m, f - 1, &s);
        fwd[f] = viz_model_hash(m, f, &s);
    }
    return fwd;
}

size_t backward_differences(const viz_model *m, const uint64_t *fwd) {
    size_t differ = 0;
    for (size_t f = m->nframes; f-- > 0;) {
        viz_live b;
        viz_model_seek(m, f, &b);
        differ += viz_model_hash(m, f, &b) != fwd[f];
    }
    return differ;
}

/* Forward from frame 0, then backward from the last frame by seeking: the
 * hash of the display state at every frame must agree. */
void check_exact(const char *path) {
    loaded *l = load(path);
    const viz_model *m = &l->m;
    uint64_t *fwd = forward_hashes(m);
    size_t differ = backward_differences(m, fwd);
    cr_expect_eq(differ, 0, "%s: %zu of %zu frames differ backwards", path, differ, m->nframes);
    uint64_t x = 88172645463325252ull; /* jumps in a seeded random order */
    for (int k = 0; k < 200; k++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t f = (size_t)(x % m->nframes);
        viz_live b;
        viz_model_seek(m, f, &b);
        cr_expect_eq(viz_model_hash(m, f, &b), fwd[f], "%s: jump to frame %zu", path, f);
    }
    cr_expect(m->nframes > VIZ_KEYFRAME_EVERY, "%s: the run spans several keyframes (%zu frames)", path, m->nframes);
    free(fwd);
    unload(l);
}


pixels render_frame(const viz_model *m, size_t f, int theme) {
    viz_view v = {.m = m, .frame = f, .theme = theme};
    viz_model_seek(m, f, &v.live);
    pixels p;
    p.s = viz_render_image(&v, 1920, 1080); /* 1:1 with the logical layout */
    p.data = cairo_image_surface_get_data(p.s);
    p.stride = cairo_image_surface_get_stride(p.s);
    return p;
}

void rgb_at(const pixels *p, int x, int y, int *r, int *g, int *b) {
    uint32_t v = *(const uint32_t *)(p->data + (size_t)y * (size_t)p->stride + 4 * (size_t)x);
    *r = (int)(v >> 16 & 255), *g = (int)(v >> 8 & 255), *b = (int)(v & 255);
}

/* Pixels of rect r within `tol` of colour c. */
long count_colour(const pixels *p, viz_rect r, viz_rgb c, int tol) {
    long n = 0;
    for (int y = (int)r.y; y < (int)(r.y + r.h); y++)
        for (int x = (int)r.x; x < (int)(r.x + r.w); x++) {
            int R, G, B;
            rgb_at(p, x, y, &R, &G, &B);
            n += abs(R - (int)lround(c.r * 255)) <= tol && abs(G - (int)lround(c.g * 255)) <= tol &&
                 abs(B - (int)lround(c.b * 255)) <= tol;
        }
    return n;
}

/* Share of r's pixels that are not the panel's background: ink. */
double ink(const pixels *p, viz_rect r, viz_rgb bg) {
    double area = r.w * r.h;
    return area > 0 ? 1.0 - (double)count_colour(p, r, bg, 6) / area : 0;
}


uint64_t region_hash(const pixels *p, viz_rect r) {
    XXH64_state_t *h = XXH64_createState();
    cr_assert_not_null(h);
    XXH64_reset(h, 0);
    for (int y = (int)r.y; y < (int)(r.y + r.h); y++) XXH64_update(h, p->data + (size_t)y * (size_t)p->stride + 4 * (size_t)r.x, 4 * (size_t)r.w);
    uint64_t v = XXH64_digest(h);
    XXH64_freeState(h);
    return v;
}

uint64_t panel_pixels(const viz_view *v, int panel) {
    viz_rect lay[VIZ_PANEL_COUNT_];
    viz_layout(v->m, lay);
    cr_assert(lay[panel].w > 0, "the run has panel %d", panel);
    pixels p = {.s = viz_render_image(v, 1920, 1080)};
    p.data = cairo_image_surface_get_data(p.s);
    p.stride = cairo_image_surface_get_stride(p.s);
    uint64_t h = region_hash(&p, lay[panel]);
    cairo_surface_destroy(p.s);
    return h;
}
