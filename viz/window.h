/* viz/window.h — the interactive player: an SDL2 window, the frame drawn
 * with cairo into a texture uploaded per frame. */
#ifndef VIZ_WINDOW_H
#define VIZ_WINDOW_H

#include "draw.h"

typedef struct viz_window_opts {
    int width, height; /* initial window size; 0 = 1600 x 900 */
    int fullscreen;
    /* Test mode: whitespace-separated steps run in order, one per drawn frame,
     * as if typed: key names (Right, Left, S-Right, S-Left, Space, F, S-F,
     * Home, End, Plus, Minus, H, T, L, F11), "click:X,Y" (a left click at
     * logical coordinates of the 1920x1080 layout), "wait:MS" (keep running
     * MS ms of wall time), "shot:PATH.png" (the window's pixels to a PNG), "quit".
     * Keys go through SDL's own event queue (SDL_PushEvent), so they take the
     * path a real key press takes. NULL: interactive. */
    const char *script;
} viz_window_opts;

/* Runs the window on view v until it is closed. Returns 0, or 2 when there
 * is no display (a one-line message on stderr) or a script step fails. */
int viz_window_run(viz_view *v, const viz_window_opts *o);

#endif
