/* viz/render.c — see render.h. */
#include "render.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../sim/duration.h"

int viz_parse_at(const char *text, int64_t *out_us, char *err, size_t errlen) {
    const char *p = text;
    int64_t whole = 0, frac = 0, scale = 1;
    int digits = 0;
    while (isdigit((unsigned char)*p) && digits < 12) whole = whole * 10 + (*p++ - '0'), digits++;
    if (digits && *p == '.') {
        p++;
        int fd = 0;
        while (isdigit((unsigned char)*p) && fd < 6) frac = frac * 10 + (*p++ - '0'), scale *= 10, fd++;
        if (!fd) digits = 0;
    }
    if (digits && !isdigit((unsigned char)*p)) {
        int64_t unit = !*p || !strcmp(p, "s") ? 1000000 : !strcmp(p, "ms") ? 1000 : !strcmp(p, "us") ? 1 : 0;
        if (unit && (unit > 1 || scale == 1)) {
            *out_us = whole * unit + frac * unit / scale;
            return 0;
        }
    }
    char derr[200];
    if (sim_duration_parse(text, out_us, derr, sizeof derr) == 0) return 0;
    snprintf(err, errlen, "bad time \"%s\" for --at (expected e.g. \"12.5s\", \"500ms\", \"12\")", text);
    return -1;
}

cairo_surface_t *viz_render_image(const viz_view *v, int w, int h) {
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t *cr = cairo_create(s);
    viz_draw(cr, v, w, h);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

int viz_render_file(const viz_view *v, const char *path, int w, int h, char *err, size_t errlen) {
    cairo_surface_t *s;
    int png = ends_with(path, ".png");
    if (png)
        s = viz_render_image(v, w, h);
    else if (ends_with(path, ".svg"))
        s = cairo_svg_surface_create(path, w, h);
    else if (ends_with(path, ".pdf"))
        s = cairo_pdf_surface_create(path, w, h);
    else {
        snprintf(err, errlen, "%s: unknown image format (use .png, .svg or .pdf)", path);
        return -1;
    }
    cairo_status_t st = cairo_surface_status(s);
    if (!png && st == CAIRO_STATUS_SUCCESS) {
        cairo_t *cr = cairo_create(s);
        viz_draw(cr, v, w, h);
        cairo_destroy(cr);
        cairo_surface_finish(s);
        st = cairo_surface_status(s);
    }
    if (png && st == CAIRO_STATUS_SUCCESS) st = cairo_surface_write_to_png(s, path);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "cannot write %s: %s", path, cairo_status_to_string(st));
        return -1;
    }
    return 0;
}

long viz_render_frames(viz_view *v, const char *dir, int fps, int w, int h, char *err, size_t errlen) {
    if (mkdir(dir, 0777) && errno != EEXIST) {
        snprintf(err, errlen, "cannot create folder %s: %s", dir, strerror(errno));
        return -1;
    }
    const viz_model *m = v->m;
    /* simulated microseconds per output frame */
    int64_t step = v->speed_log2 >= 0 ? (1000000LL << v->speed_log2) / fps : (1000000LL >> -v->speed_log2) / fps;
    if (step < 1) step = 1;
    long n = 0;
    for (int64_t t = 0; t <= m->end_us && n < 1000000; t += step, n++) {
        v->frame = viz_model_frame_at_time(m, t);
        viz_model_seek(m, v->frame, &v->live);
        v->live.t_us = t > v->live.t_us ? t : v->live.t_us; /* the clock runs between events */
        char path[4096];
        snprintf(path, sizeof path, "%s/frame-%06ld.png", dir, n);
        if (viz_render_file(v, path, w, h, err, errlen)) return -1;
    }
    return n;
}
