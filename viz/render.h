/* viz/render.h — headless output: one frame to PNG / SVG / PDF, a frame
 * sequence, a video through ffmpeg. */
#ifndef VIZ_RENDER_H
#define VIZ_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "draw.h"

/* Parses a time on the simulated clock: "12.5s", "12s", "500ms", "12"
 * (seconds), or any duration sim_duration_parse accepts. Returns 0, or -1
 * with a message quoting text in err. */
int viz_parse_at(const char *text, int64_t *out_us, char *err, size_t errlen);

/* Draws view v into a new image surface of w x h pixels (ARGB32). The caller
 * destroys it. */
cairo_surface_t *viz_render_image(const viz_view *v, int w, int h);

/* Writes view v to `path`, the format by its extension (.png, .svg, .pdf).
 * Returns 0, or -1 with a message in err. */
int viz_render_file(const viz_view *v, const char *path, int w, int h, char *err, size_t errlen);

/* Writes DIR/frame-000000.png ... : one frame per 1/fps s of playback at
 * 2^speed_log2 simulated seconds per second. Returns the number of files
 * written, or -1 with a message in err. */
long viz_render_frames(viz_view *v, const char *dir, int fps, int w, int h, char *err, size_t errlen);

#endif
