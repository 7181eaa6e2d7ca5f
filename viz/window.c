/* viz/window.c — see window.h. Wall time here only paces playback; what a
 * frame shows depends on the trace and the cursor alone. */
#include "window.h"

#include "ease.h"
#include "findings.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCRIPT_STEPS_MAX 256

typedef struct player {
    viz_view *v;
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Texture *tex;
    int tex_w, tex_h;
    int dirty, quit;
    int64_t clock_us;  /* playback clock on simulated time */
    Uint64 last_tick;
    int dragging, drag_x;
    viz_ease ease; /* while playing: what moved eases over VIZ_EASE_MS */
} player;

static void go_to(player *p, size_t f) {
    const viz_model *m = p->v->m;
    if (f >= m->nframes) f = m->nframes - 1;
    if (f == p->v->frame) return;
    viz_ease_stop(&p->ease, p->v); /* a step or a jump is instant */
    if (f == p->v->frame + 1)
        viz_model_step(m, p->v->frame, &p->v->live);
    else
        viz_model_seek(m, f, &p->v->live);
    p->v->frame = f;
    p->clock_us = p->v->live.t_us;
    p->dirty = 1;
}

/* A click: inspect what is under it (or close the card); wheel and drag on
 * the batch timeline zoom and pan it. px, py are window coordinates. */
static void on_click(player *p, int px, int py) {
    int ww, wh, rw, rh;
    SDL_GetWindowSize(p->win, &ww, &wh);
    SDL_GetRendererOutputSize(p->ren, &rw, &rh);
    double x, y;
    viz_to_logical(rw, rh, px * (double)rw / (ww ? ww : 1), py * (double)rh / (wh ? wh : 1), &x, &y);
    int kind;
    int64_t id;
    viz_hit(p->v, x, y, &kind, &id);
    if (kind == p->v->inspect && id == p->v->inspect_id) kind = VIZ_INSPECT_NONE; /* a second click closes */
    p->v->inspect = kind, p->v->inspect_id = id;
    p->drag_x = px, p->dragging = 1;
    p->dirty = 1;
}

/* The wheel zooms what is under the mouse: the event-time panel's axes (a
 * level a notch: each halves or doubles the event time shown; out past the
 * whole run is the whole run), else the batch timeline. */
static void on_wheel(player *p, int dy, int mx, int my) {
    int ww, wh, rw, rh;
    SDL_GetWindowSize(p->win, &ww, &wh);
    SDL_GetRendererOutputSize(p->ren, &rw, &rh);
    double x, y;
    viz_to_logical(rw, rh, mx * (double)rw / (ww ? ww : 1), my * (double)rh / (wh ? wh : 1), &x, &y);
    viz_rect lay[VIZ_PANEL_COUNT_];
    viz_layout(p->v->m, lay);
    viz_rect r = lay[VIZ_PANEL_EVENTTIME];
    if (r.w > 0 && x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h) {
        int z = viz_eventtime_zoom(p->v) + (dy > 0 ? 1 : -1);
        p->v->et_zoom = z <= 0 ? -1 : z > 16 ? 16 : z;
        p->dirty = 1;
        return;
    }
    int n = p->v->batch_slots ? p->v->batch_slots : 24;
    n = dy > 0 ? n * 2 / 3 : n * 3 / 2; /* wheel up zooms in */
    p->v->batch_slots = n < 4 ? 4 : n > 240 ? 240 : n;
    p->dirty = 1;
}

static void on_drag(player *p, int px) {
    int n = p->v->batch_slots ? p->v->batch_slots : 24, ww, wh;
    SDL_GetWindowSize(p->win, &ww, &wh);
    double slot_px = ww * 0.55 / n; /* the timeline spans about 55% of the width */
    int moved = (int)((px - p->drag_x) / (slot_px > 1 ? slot_px : 1));
    if (!moved) return;
    p->v->batch_pan += moved; /* drag right: earlier batches */
    if (p->v->batch_pan < 0) p->v->batch_pan = 0;
    if (p->v->batch_pan > 100000) p->v->batch_pan = 100000;
    p->drag_x = px;
    p->dirty = 1;
}

/* Lecture mode stops at a narration, a fault, and a write the checker
 * found records lost or duplicated in. */
static int stops_lecture(const viz_model *m, uint32_t i) {
    uint32_t t = m->trace->events[i].type;
    return t == ENG_EV_NARRATION || t == ENG_EV_FAULT_INJECTED || (m->findings && viz_findings_at(m->findings, i));
}

/* Playing: the clock runs at the speed; the cursor follows it, stopping at a
 * narration or fault in lecture mode. What moved by a step eases from where
 * it was drawn (ease.h); an ease that runs when a lecture stop pauses lands. */
static void play(player *p, Uint64 now) {
    viz_view *v = p->v;
    const viz_model *m = v->m;
    Uint64 dt = now - p->last_tick;
    p->last_tick = now;
    if (!v->playing) {
        if (p->ease.running) {
            viz_ease_tick(&p->ease, v, &v->live, v->frame, now);
            p->dirty = 1;
        }
        return;
    }
    viz_live before = v->live; /* as drawn at the last tick */
    size_t before_frame = v->frame;
    int64_t dus = (int64_t)dt * 1000;
    p->clock_us += v->speed_log2 >= 0 ? dus << v->speed_log2 : dus >> -v->speed_log2;
    size_t target = viz_model_frame_at_time(m, p->clock_us);
    while (v->frame < target) {
        viz_model_step(m, v->frame, &v->live);
        v->frame++;
        if (v->lecture && stops_lecture(m, m->frames[v->frame])) {
            v->playing = 0;
            p->clock_us = v->live.t_us;
            break;
        }
    }
    if (v->frame + 1 >= m->nframes) v->playing = 0;
    /* While playing, the clock runs between events: bars grow, messages
     * travel. Paused, the frame shows its own event's time again. */
    v->live.t_us = v->playing && p->clock_us > v->live.t_us ? p->clock_us : m->trace->events[v->live.event].t_us;
    viz_ease_tick(&p->ease, v, &before, before_frame, now);
    p->dirty = 1;
}

static void on_key(player *p, SDL_Keycode k, Uint16 mod) {
    viz_view *v = p->v;
    const viz_model *m = v->m;
    int shift = (mod & KMOD_SHIFT) != 0;
    switch (k) {
    case SDLK_SPACE:
        viz_ease_stop(&p->ease, v);
        v->playing = !v->playing;
        if (v->playing && v->frame + 1 >= m->nframes) go_to(p, 0);
        v->live.t_us = m->trace->events[v->live.event].t_us;
        p->clock_us = v->live.t_us;
        break;
    case SDLK_RIGHT: go_to(p, shift ? viz_model_next_batch(m, v->frame, 1) : v->frame + 1); break;
    case SDLK_LEFT: go_to(p, shift ? viz_model_next_batch(m, v->frame, -1) : (v->frame ? v->frame - 1 : 0)); break;
    case SDLK_f: go_to(p, viz_model_next_fault(m, v->frame, shift ? -1 : 1)); break;
    case SDLK_HOME: go_to(p, 0); break;
    case SDLK_END: go_to(p, m->nframes - 1); break;
    case SDLK_PLUS:
    case SDLK_EQUALS:
    case SDLK_KP_PLUS:
        if (v->speed_log2 < 8) v->speed_log2++;
        break;
    case SDLK_MINUS:
    case SDLK_KP_MINUS:
        if (v->speed_log2 > -4) v->speed_log2--;
        break;
    case SDLK_h: v->help = !v->help; break;
    case SDLK_t: v->theme = (v->theme + 1) % VIZ_THEME_COUNT_; break;
    case SDLK_l: v->lecture = !v->lecture; break;
    case SDLK_F11: {
        int fs = (SDL_GetWindowFlags(p->win) & SDL_WINDOW_FULLSCREEN_DESKTOP) != 0;
        SDL_SetWindowFullscreen(p->win, fs ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
        break;
    }
    case SDLK_q:
    case SDLK_ESCAPE:
        if (k == SDLK_ESCAPE && (v->help || v->inspect))
            v->help = 0, v->inspect = VIZ_INSPECT_NONE;
        else
            p->quit = 1;
        break;
    default: return;
    }
    p->dirty = 1;
}

/* Draws into the streaming texture (recreated at the window's pixel size). */
static int present(player *p) {
    int w, h;
    SDL_GetRendererOutputSize(p->ren, &w, &h);
    if (w < 1 || h < 1) return 0;
    if (!p->tex || w != p->tex_w || h != p->tex_h) {
        if (p->tex) SDL_DestroyTexture(p->tex);
        p->tex = SDL_CreateTexture(p->ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, w, h);
        if (!p->tex) return -1;
        p->tex_w = w, p->tex_h = h;
    }
    void *pixels;
    int pitch;
    if (SDL_LockTexture(p->tex, NULL, &pixels, &pitch)) return -1;
    cairo_surface_t *s = cairo_image_surface_create_for_data(pixels, CAIRO_FORMAT_ARGB32, w, h, pitch);
    cairo_t *cr = cairo_create(s);
    viz_draw(cr, p->v, w, h);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    SDL_UnlockTexture(p->tex);
    SDL_RenderClear(p->ren);
    SDL_RenderCopy(p->ren, p->tex, NULL, NULL);
    SDL_RenderPresent(p->ren);
    p->dirty = 0;
    return 0;
}

static int screenshot(player *p, const char *path) {
    int w = p->tex_w, h = p->tex_h;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_surface_flush(s);
    int rc = SDL_RenderReadPixels(p->ren, NULL, SDL_PIXELFORMAT_ARGB8888, cairo_image_surface_get_data(s),
                                  cairo_image_surface_get_stride(s));
    cairo_surface_mark_dirty(s);
    if (rc == 0) rc = cairo_surface_write_to_png(s, path) == CAIRO_STATUS_SUCCESS ? 0 : -1;
    cairo_surface_destroy(s);
    if (rc) fprintf(stderr, "streamlab-view: cannot write screenshot %s\n", path);
    return rc;
}

static const struct {
    const char *name;
    SDL_Keycode key;
    Uint16 mod;
} script_keys[] = {
    {"Right", SDLK_RIGHT, 0}, {"Left", SDLK_LEFT, 0},  {"S-Right", SDLK_RIGHT, KMOD_LSHIFT}, {"S-Left", SDLK_LEFT, KMOD_LSHIFT},
    {"Space", SDLK_SPACE, 0}, {"F", SDLK_f, 0},        {"S-F", SDLK_f, KMOD_LSHIFT},          {"Home", SDLK_HOME, 0},
    {"End", SDLK_END, 0},     {"Plus", SDLK_PLUS, 0},  {"Minus", SDLK_MINUS, 0},              {"H", SDLK_h, 0},
    {"T", SDLK_t, 0},         {"L", SDLK_l, 0},        {"F11", SDLK_F11, 0},                  {"Esc", SDLK_ESCAPE, 0},
    {"Q", SDLK_q, 0},
};

/* Logical coordinates (the 1920x1080 layout) to window coordinates. */
static void to_window(player *p, double x, double y, int *wx, int *wy) {
    int ww, wh;
    SDL_GetWindowSize(p->win, &ww, &wh);
    double s = ww / VIZ_W < wh / VIZ_H ? ww / VIZ_W : wh / VIZ_H;
    *wx = (int)((ww - VIZ_W * s) / 2 + x * s);
    *wy = (int)((wh - VIZ_H * s) / 2 + y * s);
}

/* A mouse button pressed or released at window coordinates, pushed as a real event. */
static int push_button(player *p, Uint32 type, int wx, int wy) {
    SDL_Event e = {0};
    e.type = type;
    e.button.windowID = SDL_GetWindowID(p->win);
    e.button.button = SDL_BUTTON_LEFT;
    e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
    e.button.x = wx, e.button.y = wy;
    return SDL_PushEvent(&e) == 1 ? 0 : -1;
}

/* Runs one script step. Returns 0, 1 to wait (step not finished), -1 on error. */
static int script_step(player *p, const char *step, Uint64 now, Uint64 *wait_until) {
    if (!strncmp(step, "wait:", 5)) {
        if (!*wait_until) *wait_until = now + (Uint64)strtoul(step + 5, NULL, 10);
        if (now < *wait_until) return 1;
        *wait_until = 0;
        return 0;
    }
    if (!strncmp(step, "shot:", 5)) return screenshot(p, step + 5);
    if (!strncmp(step, "click:", 6)) { /* logical coordinates, pushed as a real click */
        double x, y;
        int wx, wy;
        if (sscanf(step + 6, "%lf,%lf", &x, &y) != 2) return -1;
        to_window(p, x, y, &wx, &wy);
        return push_button(p, SDL_MOUSEBUTTONDOWN, wx, wy) || push_button(p, SDL_MOUSEBUTTONUP, wx, wy) ? -1 : 0;
    }
    if (!strncmp(step, "wheel:", 6)) { /* wheel:N[@X,Y]: N notches up (zoom in), negative down, at X,Y of the layout */
        SDL_Event e = {0};
        e.type = SDL_MOUSEWHEEL;
        e.wheel.windowID = SDL_GetWindowID(p->win);
        e.wheel.y = (Sint32)strtol(step + 6, NULL, 10);
        const char *at = strchr(step, '@');
        double x = 0, y = 0;
        if (at && sscanf(at + 1, "%lf,%lf", &x, &y) != 2) return -1;
        to_window(p, x, y, &e.wheel.mouseX, &e.wheel.mouseY);
        return SDL_PushEvent(&e) == 1 ? 0 : -1;
    }
    if (!strncmp(step, "drag:", 5)) { /* drag:X1,Y1,X2,Y2 in logical coordinates: press, move, release */
        double x1, y1, x2, y2;
        int a, b, c, d;
        if (sscanf(step + 5, "%lf,%lf,%lf,%lf", &x1, &y1, &x2, &y2) != 4) return -1;
        to_window(p, x1, y1, &a, &b);
        to_window(p, x2, y2, &c, &d);
        SDL_Event e = {0};
        e.type = SDL_MOUSEMOTION;
        e.motion.windowID = SDL_GetWindowID(p->win);
        e.motion.state = SDL_BUTTON_LMASK;
        e.motion.x = c, e.motion.y = d, e.motion.xrel = c - a, e.motion.yrel = d - b;
        if (push_button(p, SDL_MOUSEBUTTONDOWN, a, b) || SDL_PushEvent(&e) != 1) return -1;
        return push_button(p, SDL_MOUSEBUTTONUP, c, d);
    }
    if (!strcmp(step, "quit")) {
        p->quit = 1;
        return 0;
    }
    for (size_t i = 0; i < sizeof script_keys / sizeof *script_keys; i++)
        if (!strcmp(step, script_keys[i].name)) {
            SDL_Event e = {0};
            e.type = SDL_KEYDOWN;
            e.key.state = SDL_PRESSED;
            e.key.windowID = SDL_GetWindowID(p->win);
            e.key.keysym.sym = script_keys[i].key;
            e.key.keysym.mod = script_keys[i].mod;
            return SDL_PushEvent(&e) == 1 ? 0 : -1;
        }
    fprintf(stderr, "streamlab-view: --script: unknown step \"%s\"\n", step);
    return -1;
}

static void loop(player *p, const char *script) {
    char steps[4096] = "";
    char *stepv[SCRIPT_STEPS_MAX];
    int nsteps = 0, at = 0;
    if (script) {
        snprintf(steps, sizeof steps, "%s", script);
        for (char *s = strtok(steps, " \t\n"); s && nsteps < SCRIPT_STEPS_MAX; s = strtok(NULL, " \t\n")) stepv[nsteps++] = s;
    }
    Uint64 wait_until = 0;
    p->last_tick = SDL_GetTicks64();
    while (!p->quit) {
        SDL_Event e;
        int busy = p->v->playing || p->ease.running;
        int got = busy || script ? SDL_PollEvent(&e) : SDL_WaitEventTimeout(&e, 100);
        while (got) {
            if (e.type == SDL_QUIT) p->quit = 1;
            if (e.type == SDL_KEYDOWN) on_key(p, e.key.keysym.sym, e.key.keysym.mod);
            if (e.type == SDL_WINDOWEVENT) p->dirty = 1;
            if (e.type == SDL_MOUSEBUTTONDOWN && e.button.button == SDL_BUTTON_LEFT) on_click(p, e.button.x, e.button.y);
            if (e.type == SDL_MOUSEBUTTONUP) p->dragging = 0;
            if (e.type == SDL_MOUSEMOTION && p->dragging) on_drag(p, e.motion.x);
            if (e.type == SDL_MOUSEWHEEL) on_wheel(p, e.wheel.y, e.wheel.mouseX, e.wheel.mouseY);
            got = SDL_PollEvent(&e);
        }
        play(p, SDL_GetTicks64());
        if (p->dirty && present(p)) {
            fprintf(stderr, "streamlab-view: cannot draw: %s\n", SDL_GetError());
            p->quit = 2;
        }
        if (script && !p->quit) { /* one step per drawn frame, after the frame is on screen */
            if (at >= nsteps) break;
            int r = script_step(p, stepv[at], SDL_GetTicks64(), &wait_until);
            if (r < 0) p->quit = 2;
            if (r == 0) at++;
        }
        if (busy || script) SDL_Delay(15);
    }
}

/* Without X11 or Wayland, SDL falls back to drivers (KMSDRM, offscreen) that
 * open nothing a person can see: say so instead, unless SDL_VIDEODRIVER asks. */
static const char *no_display(void) {
    const char *drv = getenv("SDL_VIDEODRIVER");
    if (drv && *drv) return NULL;
    const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    return (x && *x) || (wl && *wl) ? NULL : "DISPLAY and WAYLAND_DISPLAY are not set";
}

int viz_window_run(viz_view *v, const viz_window_opts *o) {
    const char *why = no_display();
    if (why || SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "streamlab-view: no display (%s); for images use: streamlab-view render TRACE --at 5s --out frame.png\n",
                why ? why : SDL_GetError());
        return 2;
    }
    player p = {.v = v, .dirty = 1};
    int w = o->width ? o->width : 1600, h = o->height ? o->height : 900;
    Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI | (o->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    p.win = SDL_CreateWindow("streamlab", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
    p.ren = p.win ? SDL_CreateRenderer(p.win, -1, 0) : NULL;
    if (!p.ren) {
        fprintf(stderr, "streamlab-view: cannot open a window: %s\n", SDL_GetError());
        if (p.win) SDL_DestroyWindow(p.win);
        SDL_Quit();
        return 2;
    }
    char title[256];
    snprintf(title, sizeof title, "streamlab \u2014 %s", v->m->name);
    SDL_SetWindowTitle(p.win, title);
    p.clock_us = v->live.t_us;
    loop(&p, o->script);
    viz_ease_stop(&p.ease, v); /* v outlives the player and its copy of the state */
    if (p.tex) SDL_DestroyTexture(p.tex);
    SDL_DestroyRenderer(p.ren);
    SDL_DestroyWindow(p.win);
    SDL_Quit();
    return p.quit == 2 ? 2 : 0;
}
