/* tests/viz/test_viz_scenarios.c — every scenario of the library animates:
 * each scenario (scenarios/NAME.lua) is run (with per-record events, as the player runs
 * one), and every panel its layout has is drawn (ink at the end) and
 * changes over the run (its pixels at a quarter of the frames differ from
 * its pixels at the last frame). Issue 8: "the six panels animate every
 * scenario in scenarios/". */
#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>

#include "viz_test.h"

Test(viz_scenarios, every_panel_of_every_scenario_is_drawn_and_changes, .timeout = 600) {
    static const char *const names[] = {"cluster", "batches", "storage", "event time", "outputs", "caption", "windows"};
    glob_t g;
    cr_assert_eq(glob("scenarios/*.lua", 0, NULL, &g), 0, "the scenario library is found");
    cr_assert(g.gl_pathc >= 40, "the library has its scenarios (%zu)", g.gl_pathc);
    const viz_theme *th = viz_theme_get(VIZ_THEME_LIGHT);
    int panels_checked = 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        loaded *l = load(g.gl_pathv[i]);
        viz_rect lay[VIZ_PANEL_COUNT_];
        viz_layout(&l->m, lay);
        pixels a = render_frame(&l->m, l->m.nframes / 4, VIZ_THEME_LIGHT), b = render_frame(&l->m, l->m.nframes - 1, VIZ_THEME_LIGHT);
        for (int k = 0; k < VIZ_PANEL_COUNT_; k++) {
            if (lay[k].w == 0) continue;
            double ink_end = ink(&b, lay[k], th->panel);
            cr_expect(ink_end > 0.01, "%s: the %s panel is drawn (%.3f of its pixels)", g.gl_pathv[i], names[k], ink_end);
            cr_expect(region_hash(&a, lay[k]) != region_hash(&b, lay[k]), "%s: the %s panel changes over the run", g.gl_pathv[i],
                      names[k]);
            panels_checked++;
        }
        cairo_surface_destroy(a.s), cairo_surface_destroy(b.s);
        unload(l);
    }
    cr_expect(panels_checked > 4 * (int)g.gl_pathc, "%d panels checked", panels_checked);
    globfree(&g);
}
