/* viz/theme.c — the three themes (VISUAL.md: light, dark, high contrast). */
#include "draw.h"

#define RGB(h) {((h) >> 16 & 255) / 255.0, ((h) >> 8 & 255) / 255.0, ((h) & 255) / 255.0}

static const viz_theme themes[VIZ_THEME_COUNT_] = {
    {"light", RGB(0xFFFFFF), RGB(0xF4F5F7), RGB(0x1A1A1A), RGB(0x5F6368), RGB(0xD0D4DA), RGB(0xD55E00), RGB(0x0072B2),
     RGB(0x009E73), RGB(0xE69F00), 1.0},
    {"dark", RGB(0x121417), RGB(0x1E2227), RGB(0xF0F0F0), RGB(0xA8B0BA), RGB(0x3A414A), RGB(0xFF7A2E), RGB(0x56B4E9),
     RGB(0x2CC79A), RGB(0xE69F00), 1.0},
    /* High contrast for projectors: black on white; every colour that carries
     * text (muted, fault, recovery, watermark) at least 7:1 on white. */
    {"high contrast", RGB(0xFFFFFF), RGB(0xFFFFFF), RGB(0x000000), RGB(0x333333), RGB(0x000000), RGB(0x8F3800),
     RGB(0x00508A), RGB(0x005F43), RGB(0x8A5700), 2.0},
};

const viz_theme *viz_theme_get(int i) { return &themes[i >= 0 && i < VIZ_THEME_COUNT_ ? i : 0]; }
