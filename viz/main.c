/* viz/main.c — the `streamlab-view` command: the player in a window, or
 * headless renders (image, frame sequence, video). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "load.h"
#include "model.h"
#include "render.h"
#include "window.h"

static const char usage[] =
    "usage: streamlab-view SCENARIO.lua|TRACE.jsonl [--at TIME] [--theme light|dark|contrast] [--fullscreen] [--lecture]\n"
    "       streamlab-view render SCENARIO.lua|TRACE.jsonl [--at TIME | --frame N] --out FRAME.png|.svg|.pdf\n"
    "       streamlab-view render SCENARIO.lua|TRACE.jsonl --frames DIR [--fps 30] [--speed X]\n"
    "       streamlab-view render SCENARIO.lua|TRACE.jsonl --video OUT.mp4 [--fps 30] [--speed X]\n"
    "\n"
    "A .lua argument is run first (with per-record events) and its trace shown;\n"
    "a .jsonl argument is a trace written by `streamlab run --trace`.\n"
    "The checker's findings (records lost or duplicated per batch) are marked in\n"
    "the outputs: from findings.jsonl beside a trace (`streamlab check --out DIR`),\n"
    "or, for a scenario with faults, from its run without them.\n"
    "options: --size WxH (default 1920x1080), --theme, --help-overlay, --click X,Y (inspect what is there),\n"
    "         --script STEPS (window test mode)\n"
    "keys: Space play/pause, Right/Left one event, Shift+Right/Left batch, F/Shift+F fault,\n"
    "      Home/End, +/- speed, L lecture mode, H help, T theme, F11 fullscreen, Q quit\n"
    "exit status: 0 ok, 2 usage, trace or display error\n";

typedef struct cli {
    const char *input, *at, *out, *frames, *video, *script, *click;
    long frame;
    int render, fps, w, h, theme, fullscreen, help, speed_log2, lecture;
} cli;

static int bad(const char *fmt, const char *arg) {
    fprintf(stderr, "streamlab-view: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage);
    return 2;
}

static int parse_int(const char *s, long lo, long hi, long *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

static int parse_args(int argc, char **argv, cli *c) {
    *c = (cli){.frame = -1, .fps = 30, .w = 1920, .h = 1080};
    int i = 1;
    if (argc > 1 && !strcmp(argv[1], "render")) c->render = 1, i = 2;
    for (; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        long n;
        if (!strcmp(a, "--fullscreen")) {
            c->fullscreen = 1;
            continue;
        }
        if (!strcmp(a, "--lecture")) {
            c->lecture = 1;
            continue;
        }
        if (!strcmp(a, "--help-overlay")) {
            c->help = 1;
            continue;
        }
        if (a[0] != '-') {
            if (c->input) return bad("one trace or scenario at a time; \"%s\" is a second one", a);
            c->input = a;
            continue;
        }
        if (!v) return bad("%s needs a value", a);
        i++;
        if (!strcmp(a, "--at")) c->at = v;
        else if (!strcmp(a, "--out")) c->out = v;
        else if (!strcmp(a, "--frames")) c->frames = v;
        else if (!strcmp(a, "--video")) c->video = v;
        else if (!strcmp(a, "--script")) c->script = v;
        else if (!strcmp(a, "--click")) c->click = v;
        else if (!strcmp(a, "--frame")) {
            if (parse_int(v, 0, 2000000000, &c->frame)) return bad("bad frame number \"%s\"", v);
        } else if (!strcmp(a, "--fps")) {
            if (parse_int(v, 1, 240, &n)) return bad("--fps is 1 to 240, got \"%s\"", v);
            c->fps = (int)n;
        } else if (!strcmp(a, "--speed")) {
            if (parse_int(v, 1, 256, &n) || (n & (n - 1))) return bad("--speed is a power of two from 1 to 256, got \"%s\"", v);
            while (n > 1) c->speed_log2++, n /= 2;
        } else if (!strcmp(a, "--size")) {
            int w, h;
            char x;
            if (sscanf(v, "%d%c%d", &w, &x, &h) != 3 || x != 'x' || w < 160 || h < 90 || w > 8192 || h > 8192)
                return bad("--size is WxH, from 160x90 to 8192x8192; got \"%s\"", v);
            c->w = w, c->h = h;
        } else if (!strcmp(a, "--theme")) {
            c->theme = !strcmp(v, "light") ? 0 : !strcmp(v, "dark") ? 1 : !strcmp(v, "contrast") || !strcmp(v, "high-contrast") ? 2 : -1;
            if (c->theme < 0) return bad("--theme is light, dark or contrast; got \"%s\"", v);
        } else
            return bad("unknown option \"%s\"", a);
    }
    if (!c->input) return bad("%s", "needs a scenario (.lua) or a trace (.jsonl)");
    if (c->render && !!c->out + !!c->frames + !!c->video != 1) return bad("%s", "render needs one of --out, --frames, --video");
    return 0;
}

static int have_ffmpeg(void) {
    const char *path = getenv("PATH");
    char buf[4096];
    for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
        const char *e = strchr(p, ':');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        snprintf(buf, sizeof buf, "%.*s/ffmpeg", (int)n, p);
        if (access(buf, X_OK) == 0) return 1;
        p += n + (e ? 1 : 0);
    }
    return 0;
}

static int render_video(viz_view *v, const cli *c) {
    if (!have_ffmpeg()) {
        fprintf(stderr, "streamlab-view: --video needs ffmpeg, which is not installed (apt-get install ffmpeg); "
                        "--frames DIR writes the PNG frames without it\n");
        return 2;
    }
    char dir[] = "/tmp/streamlab-frames-XXXXXX", err[1024], fps[16], pattern[64];
    if (!mkdtemp(dir)) return bad("%s", "cannot create a temporary folder for the frames");
    long n = viz_render_frames(v, dir, c->fps, c->w, c->h, err, sizeof err);
    int rc = 2;
    if (n < 0) {
        fprintf(stderr, "streamlab-view: %s\n", err);
    } else {
        snprintf(fps, sizeof fps, "%d", c->fps);
        snprintf(pattern, sizeof pattern, "%s/frame-%%06d.png", dir);
        pid_t pid = fork();
        if (pid == 0) {
            execlp("ffmpeg", "ffmpeg", "-loglevel", "error", "-y", "-framerate", fps, "-i", pattern, "-pix_fmt", "yuv420p",
                   c->video, (char *)NULL);
            _exit(127);
        }
        int st = 0;
        if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0)
            rc = 0;
        else
            fprintf(stderr, "streamlab-view: ffmpeg failed to write %s\n", c->video);
    }
    for (long i = 0; i < n; i++) { /* remove the temporary frames */
        char path[128];
        snprintf(path, sizeof path, "%s/frame-%06ld.png", dir, i);
        unlink(path);
    }
    rmdir(dir);
    return rc;
}

static int run(const cli *c, viz_model *m) {
    viz_view v = {.m = m, .theme = c->theme, .help = c->help, .speed_log2 = c->speed_log2, .lecture = c->lecture};
    char err[1024];
    size_t f = 0;
    if (c->at) {
        int64_t at_us;
        if (viz_parse_at(c->at, &at_us, err, sizeof err)) return bad("%s", err);
        if (at_us > m->end_us) {
            fprintf(stderr, "streamlab-view: --at %s is after the end of the trace (%lld.%03lld s)\n", c->at,
                    (long long)(m->end_us / 1000000), (long long)(m->end_us / 1000 % 1000));
            return 2;
        }
        f = viz_model_frame_at_time(m, at_us);
    } else if (c->frame >= 0) {
        if ((size_t)c->frame >= m->nframes) {
            fprintf(stderr, "streamlab-view: --frame %ld: the trace has %zu frames (0 to %zu)\n", c->frame, m->nframes, m->nframes - 1);
            return 2;
        }
        f = (size_t)c->frame;
    }
    v.frame = f;
    viz_model_seek(m, f, &v.live);
    if (c->click) { /* open the inspector on what is at these logical coordinates */
        double x, y;
        if (sscanf(c->click, "%lf,%lf", &x, &y) != 2) return bad("--click is X,Y in the 1920x1080 layout, got \"%s\"", c->click);
        if (viz_hit(&v, x, y, &v.inspect, &v.inspect_id)) {
            fprintf(stderr, "streamlab-view: --click %s: nothing there to inspect (a batch bar, a running task chip, a block square or a node's row)\n", c->click);
            return 2;
        }
    }
    if (!c->render) return viz_window_run(&v, &(viz_window_opts){.fullscreen = c->fullscreen, .script = c->script});
    if (c->out) {
        if (viz_render_file(&v, c->out, c->w, c->h, err, sizeof err)) {
            fprintf(stderr, "streamlab-view: %s\n", err);
            return 2;
        }
        return 0;
    }
    if (c->frames) {
        long n = viz_render_frames(&v, c->frames, c->fps, c->w, c->h, err, sizeof err);
        if (n < 0) {
            fprintf(stderr, "streamlab-view: %s\n", err);
            return 2;
        }
        printf("%ld frames written to %s\n", n, c->frames);
        return 0;
    }
    return render_video(&v, c);
}

int main(int argc, char **argv) {
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage, stdout);
        return 0;
    }
    cli c;
    if (parse_args(argc, argv, &c)) return 2;
    sim_trace t;
    viz_model m;
    viz_findings fs;
    char err[1024] = "";
    if (sim_trace_init(&t, 0)) return bad("%s", "out of memory");
    viz_findings_init(&fs);
    int rc = 2;
    if (viz_load_checked(c.input, &t, &fs, err, sizeof err) || viz_model_init(&m, &t, err, sizeof err)) {
        if (err[0]) fprintf(stderr, "streamlab-view: %s\n", err);
    } else {
        if (viz_findings_place(&fs, &m, err, sizeof err)) { /* said, and shown without them */
            fprintf(stderr, "streamlab-view: %s: %s; the outputs are shown without the checker's findings\n", fs.source, err);
            snprintf(fs.note, sizeof fs.note, "%.150s: %.160s", fs.source, err);
        }
        rc = run(&c, &m);
        viz_model_fini(&m);
    }
    viz_findings_fini(&fs);
    sim_trace_fini(&t);
    return rc;
}
