/* tests/support/files.c — see files.h. */
#include "files.h"

#include <criterion/criterion.h>
#include <stdio.h>

void write_file(const char *dir, const char *name, const char *text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
}
