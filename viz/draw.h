/* viz/draw.h — drawing a frame with cairo and pango: the view (what the
 * player shows: model, cursor, theme, play state), themes, and the helpers
 * the panels share. Everything is drawn in a 1920x1080 logical space, scaled
 * (and letterboxed) to the target surface, so a PNG, a PDF and a window show
 * the same picture. */
#ifndef VIZ_DRAW_H
#define VIZ_DRAW_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "model.h"

#define VIZ_W 1920.0
#define VIZ_H 1080.0

typedef struct viz_rgb {
    double r, g, b;
} viz_rgb;

/* A colour theme. Fixed meanings (VISUAL.md): fault, recovery, watermark, storage. */
typedef struct viz_theme {
    const char *name;
    viz_rgb bg, panel, fg, muted, grid, fault, recovery, watermark, storage;
    double stroke; /* line width multiplier: thicker for projectors */
} viz_theme;

enum { VIZ_THEME_LIGHT, VIZ_THEME_DARK, VIZ_THEME_CONTRAST, VIZ_THEME_COUNT_ };

/* Theme i (0 <= i < VIZ_THEME_COUNT_), from a constant table. */
const viz_theme *viz_theme_get(int i);

/* The player's view of a trace at a frame. Zero-initialised fields are the defaults. */
typedef struct viz_view {
    const viz_model *m; /* borrowed */
    viz_live live;      /* state after `frame` */
    size_t frame;
    int theme;          /* VIZ_THEME_* */
    int playing;
    int speed_log2;     /* playback speed 2^speed_log2 simulated s per s */
    int help;           /* help overlay shown */
    int lecture;        /* lecture mode: playing pauses at narrations and faults */
    int batch_slots;    /* batches shown on the timeline; 0 = 24 (mouse wheel) */
    int batch_pan;      /* batches hidden right of the newest shown; 0 = follow (drag) */
    int et_zoom;        /* event-time panel: 0 automatic, -1 the whole run, k > 0 1/2^k of its
                         * event time following the cursor (mouse wheel over the panel) */
    int inspect;        /* VIZ_INSPECT_*: the element clicked, shown in a card */
    int64_t inspect_id; /* its batch generation index or node id; for a task or
                         * a block, the raw index of the event that put it there
                         * (its task_start; its block_created or block_replicated) */
    /* Easing while playing (presentation only, viz/ease.h): the state drawn
     * when the running ease began and how far it is, as a fraction of
     * VIZ_EASE_MS. NULL (the default): no easing, every position is
     * live's, as in a headless render or a step. */
    const viz_live *ease_from; /* borrowed */
    size_t ease_from_frame;
    double ease; /* 0..1; 1 = at live, the same as no easing */
} viz_view;

/* What a click inspects; the view's inspect_id says which: a batch's index,
 * a node id, a task's task_start or a block's raw event, a durable write's
 * raw event, an output's key (as m->sinks keys them), or an event-time
 * window as (index into m->ewin) << 32 | its index there. */
enum { VIZ_INSPECT_NONE, VIZ_INSPECT_BATCH, VIZ_INSPECT_NODE, VIZ_INSPECT_TASK, VIZ_INSPECT_BLOCK,
       VIZ_INSPECT_WRITE, VIZ_INSPECT_OUTPUT, VIZ_INSPECT_WINDOW };

#define VIZ_EASE_MS 150 /* VISUAL.md: while playing, positions ease over about 150 ms */

/* Draws the whole frame into cr, which targets a surface of w x h pixels. */
void viz_draw(cairo_t *cr, const viz_view *v, double w, double h);

/* ---- shared by the panels ---------------------------------------------------- */

typedef struct viz_rect {
    double x, y, w, h;
} viz_rect;

/* The drawing context of one frame: borrowed pointers, one reused layout. */
typedef struct viz_gc {
    cairo_t *cr;
    PangoLayout *layout;
    const viz_theme *th;
    const viz_view *v;
    const viz_model *m;
} viz_gc;

enum { VIZ_LEFT, VIZ_CENTER, VIZ_RIGHT };

void viz_set(viz_gc *g, viz_rgb c, double alpha);
/* Batch colour k (0..6) of the Okabe-Ito palette; k < 0 gives the muted colour. */
viz_rgb viz_batch_rgb(const viz_gc *g, int k);

/* Text at (x, y) (top edge), px high, bold or not, aligned; clipped with an
 * ellipsis to max_w when max_w > 0. Returns the drawn width. */
double viz_text(viz_gc *g, double x, double y, double px, int bold, viz_rgb c, int align, double max_w, const char *text);

/* Text at (x, y) wrapped at words to at most max_lines lines of max_w, the
 * last ellipsized; returns the drawn height. */
double viz_text_wrap(viz_gc *g, double x, double y, double px, int bold, viz_rgb c, double max_w, int max_lines,
                     const char *text);
/* The width of text on one line, unbounded, without drawing it. */
double viz_text_width(viz_gc *g, double px, int bold, const char *text);

/* A panel: background, title in caps; returns the content rectangle, which
 * viz_panel_content gives without drawing. */
viz_rect viz_panel(viz_gc *g, viz_rect r, const char *title, const char *note);
viz_rect viz_panel_content(viz_rect r);

/* A rounded rectangle path. */
void viz_round_rect(cairo_t *cr, double x, double y, double w, double h, double radius);

/* Diagonal hatching over r (crashed nodes, scheduling delay). */
void viz_hatch(viz_gc *g, viz_rect r, viz_rgb c, double alpha, double gap);

/* A cross (lost, dropped) centred at (x, y) with half-size s. */
void viz_cross(viz_gc *g, double x, double y, double s, viz_rgb c, double width);

/* A position that moves while playing, drawn between `from` (where it was
 * in g->v->ease_from) and `to` (where it is in live), on an ease-out cubic
 * of g->v->ease. Returns `to` itself when the view is not easing, so a
 * frame drawn without easing (or at ease 1) is the same to the byte. */
double viz_eased(const viz_gc *g, double from, double to);
/* The state to take `from` positions from, or NULL when not easing. */
const viz_live *viz_ease_from(const viz_gc *g);

/* Times as the field writes them: "12.4 s", "500 ms" (durations, to a tenth
 * of a second above 1 s: bar lengths, axis labels). */
const char *viz_fmt_dur(int64_t us, char *buf, size_t n);
/* A point in time to the millisecond, without trailing zeros: "4.29 s",
 * "4 s", "800 ms" (when a node crashed, came up). */
const char *viz_fmt_time(int64_t us, char *buf, size_t n);
/* An event time as the event-time panel writes it: for times near the
 * run's clock (absolute 0) a duration, "0 s" for 0; for a dataset's dates a
 * UTC "2018-02-03 12:00" (short_form 0), "12:00" (1) or "Feb 03" (2). */
const char *viz_fmt_event(int64_t us, int absolute, int short_form, char *buf, size_t n);

/* Where the panels go for a trace (fixed over the run, so nothing jumps while
 * stepping): rectangles in logical pixels; a panel the trace does not use
 * (no durable writes, no watermark, no outputs, no windowed DStream) collapses to w = h = 0 and
 * gives its room to the others. */
enum { VIZ_PANEL_CLUSTER, VIZ_PANEL_BATCHES, VIZ_PANEL_STORAGE, VIZ_PANEL_EVENTTIME, VIZ_PANEL_OUTPUTS, VIZ_PANEL_CAPTION,
       VIZ_PANEL_WINDOWS, VIZ_PANEL_COUNT_ };
void viz_layout(const viz_model *m, viz_rect out[VIZ_PANEL_COUNT_]);

/* The panels. Each draws inside the rectangle it is given. */
void viz_panel_cluster(viz_gc *g, viz_rect r);
void viz_panel_batches(viz_gc *g, viz_rect r);
void viz_panel_storage(viz_gc *g, viz_rect r);
void viz_panel_eventtime(viz_gc *g, viz_rect r);
void viz_panel_outputs(viz_gc *g, viz_rect r);
void viz_panel_windows(viz_gc *g, viz_rect r);

/* The windows panel: its height for a trace (0: no windowed DStream), and
 * its strip of batch slots: nslots slots of `slot` px from x0, the last one
 * batch time right_us, one batch interval apart. */
double viz_windows_height(const viz_model *m);
typedef struct viz_win_strip {
    double x0, slot;
    int nslots;
    int64_t right_us, interval_us;
    double offset; /* px the slots are drawn right of their place: while playing, a new batch slides in (0: none) */
} viz_win_strip;
void viz_windows_strip(const viz_view *v, viz_rect panel, viz_win_strip *s);
/* Row `row`'s bracket (the x range of its current window's batch slots,
 * clipped to the strip) and its row of boxes; -1 when it has no window yet. */
int viz_windows_bracket(const viz_view *v, viz_rect panel, int row, viz_rect *bracket, viz_rect *boxes);

/* What is at logical point (x, y) of view v: sets *kind (VIZ_INSPECT_*) and
 * *id; returns 0, or -1 when nothing is there. */
int viz_hit(const viz_view *v, double x, double y, int *kind, int64_t *id);
int viz_batches_hit(const viz_view *v, viz_rect panel, double x, double y); /* batch index or -1 */
int viz_cluster_hit(const viz_view *v, viz_rect panel, double x, double y); /* node id or -1 */
/* The running task chip or block square at (x, y): returns VIZ_INSPECT_TASK
 * or VIZ_INSPECT_BLOCK with *id as viz_view.inspect_id takes it, or
 * VIZ_INSPECT_NONE. */
int viz_cluster_hit_element(const viz_view *v, viz_rect panel, double x, double y, int64_t *id);
/* Hit tests of the other panels: a VIZ_INSPECT_* kind and its id, or
 * VIZ_INSPECT_NONE. A durable write's tick (within 8 px), an output's row,
 * an event-time window's box (the newest on top). */
int viz_storage_hit(const viz_view *v, viz_rect panel, double x, double y, int64_t *id);
int viz_outputs_hit(const viz_view *v, viz_rect panel, double x, double y, int64_t *id);
int viz_eventtime_hit(const viz_view *v, viz_rect panel, double x, double y, int64_t *id);
/* A batch's box in the windows panel: that batch's card (VIZ_INSPECT_BATCH). */
int viz_windows_hit(const viz_view *v, viz_rect panel, double x, double y, int64_t *id);
/* The square of block k (0.. of its pending blocks) of worker `node`; -1 when it is not drawn. */
int viz_cluster_block_rect(const viz_view *v, viz_rect panel, int node, int k, viz_rect *out);
/* The batch timeline's scale (the top of its y axis, us) for state s of view v. */
int64_t viz_batches_scale(const viz_view *v, const viz_live *s);
/* The box of core `core` of worker `node` in the cluster panel; -1 when it is not drawn. */
int viz_cluster_core_rect(const viz_view *v, viz_rect panel, int node, int core, viz_rect *out);

/* Window pixel (px, py) of a w x h surface to logical coordinates. */
void viz_to_logical(double w, double h, double px, double py, double *x, double *y);

/* The inspector: a card with what the clicked batch, node, task or block
 * is, as of the frame shown, over the lower part of `anchor`. */
void viz_draw_inspector(viz_gc *g, viz_rect anchor);
/* The inspector card's text (title, then one line each, '\n' between), as
 * it is drawn for v; "" when nothing is inspected. Returns the length. */
size_t viz_inspector_text(const viz_view *v, char *buf, size_t n);

/* Whether the trace has anything for the event-time panel. */
int viz_has_eventtime(const viz_model *m);
/* The event-time panel's zoom level as drawn for v: v->et_zoom when set (0
 * for the whole run), else the level the automatic view is at (0 when it
 * shows the whole run): the wheel steps from there. */
int viz_eventtime_zoom(const viz_view *v);

#endif
