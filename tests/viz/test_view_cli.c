/* tests/viz/test_view_cli.c — streamlab-view as a user runs it: headless
 * renders, clear messages for bad input, `streamlab render` handing over,
 * and a real window under Xvfb whose screenshots change after Right and
 * after Space. */
#include <cairo.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../support/proc.h"

#define CRASH "scenarios/crash_replicated_receiver.lua"

static const char *view(void) { return build_path("asan/streamlab-view"); }

static void run(proc_result *r, const char *a1, const char *a2, const char *a3, const char *a4, const char *a5, const char *a6) {
    const char *argv[] = {view(), a1, a2, a3, a4, a5, a6, NULL};
    cr_assert_eq(proc_run(argv, 120, r), 0, "could not start %s", argv[0]);
}

static const char *write_tmp(const char *name, const char *content) {
    static char path[4][256];
    static int k;
    char *p = path[k++ % 4];
    snprintf(p, sizeof path[0], "/tmp/streamlab-view-test-%d-%s", (int)getpid(), name);
    FILE *f = fopen(p, "w");
    cr_assert(f);
    fputs(content, f);
    fclose(f);
    return p;
}

Test(view_cli, render_png_at_a_time) {
    proc_result r;
    const char *out = "/tmp/streamlab-view-test-frame.png";
    remove(out);
    run(&r, "render", CRASH, "--at", "4.7s", "--out", out);
    cr_expect_eq(r.code, 0, "exit %d: %s", r.code, r.err);
    cairo_surface_t *s = cairo_image_surface_create_from_png(out);
    cr_expect_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cr_expect_eq(cairo_image_surface_get_width(s), 1920);
    cr_expect_eq(cairo_image_surface_get_height(s), 1080);
    cairo_surface_destroy(s);
    proc_result_free(&r);
    remove(out);
}

static void expect_fail(const char *input, const char *at, const char *out, const char *message) {
    proc_result r;
    run(&r, "render", input, "--at", at, "--out", out);
    cr_expect_eq(r.code, 2, "%s: exit %d", input, r.code);
    cr_expect(strstr(r.err, message) != NULL, "stderr \"%s\" lacks \"%s\"", r.err, message);
    cr_expect(strchr(r.err, '\n') == r.err + strlen(r.err) - 1 || strstr(r.err, "usage:"), "one clear line: %s", r.err);
    proc_result_free(&r);
}

Test(view_cli, bad_input_gets_a_clear_message) {
    char msg[512];
    expect_fail("/nonexistent/t.jsonl", "1s", "/tmp/x.png", "streamlab-view: /nonexistent/t.jsonl: cannot open: No such file or directory");
    const char *trunc = write_tmp("trunc.jsonl", "{\"trace\":\"streamlab\",\"schema_version\":1}\n{\"t_us\":0,\"ev\":\"node_up\",\"no");
    snprintf(msg, sizeof msg, "%s:2: not a JSON object", trunc);
    expect_fail(trunc, "1s", "/tmp/x.png", msg);
    const char *other = write_tmp("v2.jsonl", "{\"trace\":\"streamlab\",\"schema_version\":2}\n");
    snprintf(msg, sizeof msg, "%s:1: trace schema version 2, this build reads version 1", other);
    expect_fail(other, "1s", "/tmp/x.png", msg);
    const char *garbage = write_tmp("garbage.jsonl", "\x01\x02\xff\xfe not json at all\n");
    snprintf(msg, sizeof msg, "%s:1: not a JSON object", garbage);
    expect_fail(garbage, "1s", "/tmp/x.png", msg);
    const char *empty = write_tmp("empty.jsonl", "{\"trace\":\"streamlab\",\"schema_version\":1}\n");
    snprintf(msg, sizeof msg, "streamlab-view: the trace has no events\n");
    expect_fail(empty, "1s", "/tmp/x.png", msg);
    expect_fail("tests/viz/eventtime.jsonl", "soon", "/tmp/x.png", "bad time \"soon\" for --at");
    expect_fail("tests/viz/eventtime.jsonl", "99s", "/tmp/x.png", "--at 99s is after the end of the trace (20.040 s)");
    expect_fail("tests/viz/eventtime.jsonl", "1s", "/tmp/x.gif", "/tmp/x.gif: unknown image format (use .png, .svg or .pdf)");
    expect_fail("tests/scenarios/bad/syntax_error.lua", "1s", "/tmp/x.png", "tests/scenarios/bad/syntax_error.lua:3:");
}

Test(view_cli, frames_and_video) {
    proc_result r;
    char dir[] = "/tmp/streamlab-view-frames-XXXXXX";
    cr_assert(mkdtemp(dir));
    run(&r, "render", "tests/viz/eventtime.jsonl", "--frames", dir, "--fps", "1");
    cr_expect_eq(r.code, 0, "%s", r.err);
    int n = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        n++;
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        remove(p);
    }
    if (d) closedir(d);
    rmdir(dir);
    cr_expect_eq(n, 21, "20 s at 1 frame per second: frames at 0, 1, ..., 20 s");
    proc_result_free(&r);
    if (system("command -v ffmpeg >/dev/null 2>&1") == 0) {
        run(&r, "render", "tests/viz/eventtime.jsonl", "--video", "/tmp/streamlab-view-test.mp4", "--fps", "2");
        cr_expect_eq(r.code, 0, "%s", r.err);
        remove("/tmp/streamlab-view-test.mp4");
    } else {
        run(&r, "render", "tests/viz/eventtime.jsonl", "--video", "/tmp/streamlab-view-test.mp4", NULL, NULL);
        cr_expect_eq(r.code, 2);
        cr_expect(strstr(r.err, "--video needs ffmpeg, which is not installed") != NULL, "%s", r.err);
    }
    proc_result_free(&r);
}

Test(view_cli, streamlab_render_hands_over) {
    proc_result r;
    const char *out = "/tmp/streamlab-view-test-handover.svg";
    const char *argv[] = {build_path("asan/streamlab"), "render", "tests/viz/eventtime.jsonl", "--at", "3s", "--out", out, NULL};
    cr_assert_eq(proc_run(argv, 60, &r), 0);
    cr_expect_eq(r.code, 0, "%s", r.err);
    struct stat st;
    cr_expect(stat(out, &st) == 0 && st.st_size > 1000, "the SVG is written");
    remove(out);
    proc_result_free(&r);
}

Test(view_cli, no_display_is_one_clear_line) {
    proc_result r;
    const char *argv[] = {"/usr/bin/env", "-u", "DISPLAY", "-u", "WAYLAND_DISPLAY", "-u", "SDL_VIDEODRIVER", view(),
                          "tests/viz/eventtime.jsonl", NULL};
    cr_assert_eq(proc_run(argv, 60, &r), 0);
    cr_expect_eq(r.code, 2);
    cr_expect_str_eq(r.err, "streamlab-view: no display (DISPLAY and WAYLAND_DISPLAY are not set); for images use: "
                            "streamlab-view render TRACE --at 5s --out frame.png\n");
    proc_result_free(&r);
}

/* ---- a real window under Xvfb ------------------------------------------------------ */

static pid_t start_xvfb(int *display) {
    if (access("/usr/bin/Xvfb", X_OK) != 0) return -1;
    for (int d = 91; d < 99; d++) {
        char lock[64];
        snprintf(lock, sizeof lock, "/tmp/.X%d-lock", d);
        if (access(lock, F_OK) == 0) continue;
        pid_t pid = fork();
        if (pid == 0) {
            char disp[16];
            snprintf(disp, sizeof disp, ":%d", d);
            freopen("/dev/null", "w", stderr);
            execl("/usr/bin/Xvfb", "Xvfb", disp, "-screen", "0", "1280x720x24", "-nolisten", "tcp", (char *)NULL);
            _exit(127);
        }
        for (int i = 0; i < 50; i++) { /* up to 5 s for the server's socket */
            char sock[64];
            snprintf(sock, sizeof sock, "/tmp/.X11-unix/X%d", d);
            if (access(sock, F_OK) == 0) {
                *display = d;
                return pid;
            }
            int st;
            if (waitpid(pid, &st, WNOHANG) == pid) break;
            usleep(100000);
        }
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
    return -1;
}

static int differ(const char *a, const char *b) {
    cairo_surface_t *x = cairo_image_surface_create_from_png(a), *y = cairo_image_surface_create_from_png(b);
    cr_assert_eq(cairo_surface_status(x), CAIRO_STATUS_SUCCESS, "%s is a PNG", a);
    cr_assert_eq(cairo_surface_status(y), CAIRO_STATUS_SUCCESS, "%s is a PNG", b);
    int w = cairo_image_surface_get_width(x), h = cairo_image_surface_get_height(x);
    long n = 0;
    for (int r = 0; r < h; r++)
        n += memcmp(cairo_image_surface_get_data(x) + r * cairo_image_surface_get_stride(x),
                    cairo_image_surface_get_data(y) + r * cairo_image_surface_get_stride(y), (size_t)w * 4) != 0;
    cairo_surface_destroy(x), cairo_surface_destroy(y);
    return n > 0;
}

static void keys_change_what_the_window_shows(int d) {
    char disp[16], script[512];
    snprintf(disp, sizeof disp, "DISPLAY=:%d", d);
    const char *p0 = "/tmp/streamlab-win-0.png", *p1 = "/tmp/streamlab-win-1.png", *p2 = "/tmp/streamlab-win-2.png",
               *p3 = "/tmp/streamlab-win-3.png", *p4 = "/tmp/streamlab-win-4.png";
    snprintf(script, sizeof script, "shot:%s Right shot:%s Space wait:600 shot:%s Home T H shot:%s H click:200,420 shot:%s quit", p0,
             p1, p2, p3, p4);
    /* Leak checking is off for this one process: the X11/GL driver modules SDL
     * loads leave allocations LeakSanitizer cannot attribute (<unknown module>);
     * the same drawing code is leak-checked in the headless tests. */
    const char *argv[] = {"/usr/bin/env", disp, "ASAN_OPTIONS=detect_leaks=0", view(), CRASH, "--script", script, NULL};
    proc_result r;
    cr_assert_eq(proc_run(argv, 100, &r), 0);
    cr_assert_eq(r.code, 0, "the window ran its script: exit %d, %s", r.code, r.err);
    cr_expect(differ(p0, p1), "Right changes the picture");
    cr_expect(differ(p1, p2), "Space plays: the picture moves on");
    cr_expect(differ(p0, p3), "Home, T (dark theme), H (help)");
    cr_expect(differ(p3, p4), "a click on a worker opens the inspector");
    proc_result_free(&r);
    remove(p0), remove(p1), remove(p2), remove(p3), remove(p4);
}

/* Width of a PNG. */
static int png_width(const char *path) {
    cairo_surface_t *x = cairo_image_surface_create_from_png(path);
    cr_assert_eq(cairo_surface_status(x), CAIRO_STATUS_SUCCESS, "%s is a PNG", path);
    int w = cairo_image_surface_get_width(x);
    cairo_surface_destroy(x);
    return w;
}

/* Every control of the window, as a user presses it on the main job (more
 * batches than the timeline shows, so zoom and pan have work), with its undo
 * where it has one: each changes the picture, and going back gives the picture before,
 * to the byte (stepping back is exact in the window too). */
static void every_control_works_and_goes_back_exactly(int d) {
    enum { N = 30 };
    char shot[N][64];
    for (int i = 0; i < N; i++) snprintf(shot[i], sizeof shot[i], "/tmp/streamlab-ctl-%d-%02d.png", (int)getpid(), i);
    char script[4096], disp[16];
    snprintf(disp, sizeof disp, "DISPLAY=:%d", d);
    /* the batch timeline's title row (x 1400, y 100 in the layout): no element to inspect there */
    snprintf(script, sizeof script,
             "shot:%s Right shot:%s Left shot:%s "                    /* 0 1 2: one event forward and back */
             "S-Right shot:%s S-Right shot:%s S-Left shot:%s "        /* 3 4 5: next batch twice, previous */
             "F shot:%s S-F shot:%s "                                 /* 6 7: the fault, no fault before it */
             "End shot:%s Home shot:%s "                              /* 8 9 */
             "Plus shot:%s Minus shot:%s "                            /* 10 11: speed x2, back to x1 */
             "H shot:%s Esc shot:%s T shot:%s T T shot:%s "           /* 12 13 14 15: help, themes */
             "End shot:%s click:1200,150 shot:%s Esc shot:%s "        /* 16 17 18: a batch's card */
             "wheel:1 shot:%s wheel:-1 shot:%s "                      /* 19 20: zoom the timeline in, out */
             "drag:1400,100,1700,100 shot:%s drag:1700,100,1400,100 shot:%s " /* 21 22: pan, pan back */
             "Home L Plus Plus Plus Space wait:1500 shot:%s wait:400 shot:%s " /* 23 24: lecture mode stops at a narration */
             "End shot:%s wheel:1@1300,600 shot:%s wheel:-1@1300,600 wheel:-1@1300,600 wheel:-1@1300,600 shot:%s " /* 25 26 27 */
             "F11 wait:300 shot:%s Q",                                /* 28: fullscreen; Q quits */
             shot[0], shot[1], shot[2], shot[3], shot[4], shot[5], shot[6], shot[7], shot[8], shot[9], shot[10], shot[11],
             shot[12], shot[13], shot[14], shot[15], shot[16], shot[17], shot[18], shot[19], shot[20], shot[21], shot[22],
             shot[23], shot[24], shot[25], shot[26], shot[27], shot[28]);
    const char *argv[] = {"/usr/bin/env", disp, "ASAN_OPTIONS=detect_leaks=0", view(), "scenarios/main.lua", "--script", script, NULL};
    proc_result r;
    cr_assert_eq(proc_run(argv, 160, &r), 0);
    cr_assert_eq(r.code, 0, "the window ran its script and Q quit it: exit %d, %s", r.code, r.err);
    cr_expect(differ(shot[0], shot[1]) && !differ(shot[0], shot[2]), "Right, then Left: back to the same picture");
    cr_expect(differ(shot[2], shot[3]) && differ(shot[3], shot[4]) && !differ(shot[3], shot[5]), "Shift+Right twice, Shift+Left once");
    cr_expect(differ(shot[5], shot[6]) && !differ(shot[6], shot[7]), "F: the worker crash; Shift+F: no fault before it, it stays");
    cr_expect(differ(shot[7], shot[8]) && !differ(shot[0], shot[9]), "End, then Home: the first frame again");
    cr_expect(differ(shot[9], shot[10]) && !differ(shot[9], shot[11]), "+ doubles the speed, - halves it back");
    cr_expect(differ(shot[11], shot[12]) && !differ(shot[11], shot[13]), "H shows the help, Esc closes it");
    cr_expect(differ(shot[13], shot[14]) && !differ(shot[13], shot[15]), "T cycles light, dark, high contrast, light");
    cr_expect(differ(shot[16], shot[17]) && !differ(shot[16], shot[18]), "a click on a batch opens its card, Esc closes it");
    cr_expect(differ(shot[18], shot[19]) && !differ(shot[18], shot[20]), "the wheel zooms the batch timeline in and out");
    cr_expect(differ(shot[20], shot[21]) && !differ(shot[20], shot[22]), "a drag pans the timeline, a drag back returns");
    cr_expect(differ(shot[9], shot[23]) && !differ(shot[23], shot[24]), "lecture mode: playing stops at the first narration and stays");
    cr_expect(differ(shot[25], shot[26]), "the wheel over the event-time panel zooms its axes in");
    cr_expect(differ(shot[26], shot[27]) && differ(shot[25], shot[27]), "and out, to the whole run");
    cr_expect(png_width(shot[28]) > 0, "F11 toggles fullscreen and the window still draws");
    proc_result_free(&r);
    for (int i = 0; i < N; i++) remove(shot[i]);
}

/* One Xvfb server for both window tests, one after the other (two servers
 * started by tests running side by side race for a display). */
Test(view_window, a_real_window_under_xvfb, .timeout = 300) {
    int d = 0;
    pid_t xvfb = start_xvfb(&d);
    if (xvfb < 0) cr_skip_test("Xvfb could not start here (/usr/bin/Xvfb missing or no free display :91-:98)");
    keys_change_what_the_window_shows(d);
    every_control_works_and_goes_back_exactly(d);
    kill(xvfb, SIGTERM);
    waitpid(xvfb, NULL, 0);
}
