/* sim/trace_read.c — see trace_read.h. */
#include "trace_read.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A line longer than this is not one the writer produces (texts are short). */
#define TRACE_LINE_MAX (1u << 20)

static int fail(char *err, size_t errlen, const char *path, size_t line, const char *what) {
    if (line)
        snprintf(err, errlen, "%s:%zu: %s", path, line, what);
    else
        snprintf(err, errlen, "%s: %s", path, what);
    return -1;
}

static int read_header(const char *path, json_t *o, char *err, size_t errlen) {
    json_t *tag = json_object_get(o, "trace"), *ver = json_object_get(o, "schema_version");
    if (!json_is_string(tag) || strcmp(json_string_value(tag), "streamlab") != 0 || !json_is_integer(ver))
        return fail(err, errlen, path, 1, "not a streamlab trace (the first line must be {\"trace\":\"streamlab\",\"schema_version\":N})");
    if (json_integer_value(ver) != ENG_TRACE_SCHEMA_VERSION) {
        char msg[160];
        snprintf(msg, sizeof msg, "trace schema version %" PRId64 ", this build reads version %d",
                 (int64_t)json_integer_value(ver), ENG_TRACE_SCHEMA_VERSION);
        return fail(err, errlen, path, 1, msg);
    }
    return 0;
}

/* One event line into t. Returns 0, 1 when skipped (unknown type), -1 on error. */
static int read_event(sim_trace *t, const char *path, size_t line, json_t *o, char *err, size_t errlen) {
    json_t *jt = json_object_get(o, "t_us"), *jev = json_object_get(o, "ev"), *jn = json_object_get(o, "node");
    if (!json_is_integer(jt) || !json_is_string(jev) || !json_is_integer(jn))
        return fail(err, errlen, path, line, "not a trace event (needs integer \"t_us\", string \"ev\", integer \"node\")");
    int type = sim_trace_type_from_name(json_string_value(jev));
    if (type < 0) return 1;
    int64_t t_us = json_integer_value(jt), node = json_integer_value(jn);
    if (t_us < 0 || node < 0 || node > UINT32_MAX) return fail(err, errlen, path, line, "t_us or node out of range");
    if (t->count && t->events[t->count - 1].t_us > t_us)
        return fail(err, errlen, path, line, "time goes back (events must be in order of t_us)");
    eng_trace_event ev = {.type = (eng_trace_type)type, .node = (uint32_t)node};
    for (int i = 0; i < 4; i++) {
        const char *name = sim_trace_arg_name((uint32_t)type, i);
        json_t *a = name ? json_object_get(o, name) : NULL;
        if (a && !json_is_integer(a)) {
            char msg[160];
            snprintf(msg, sizeof msg, "\"%s\" of %s must be an integer", name, json_string_value(jev));
            return fail(err, errlen, path, line, msg);
        }
        ev.arg[i] = a ? json_integer_value(a) : 0;
    }
    json_t *text = json_object_get(o, "text");
    if (text && !json_is_string(text)) return fail(err, errlen, path, line, "\"text\" must be a string");
    ev.text = text ? json_string_value(text) : NULL;
    if (sim_trace_append(t, t_us, &ev)) return fail(err, errlen, path, line, "trace too large (more events than the bound)");
    return 0;
}

int sim_trace_read(const char *path, sim_trace *t, char *err, size_t errlen) {
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    int rc = sim_trace_read_file(f, path, t, err, errlen);
    fclose(f);
    return rc;
}

int sim_trace_read_file(FILE *f, const char *path, sim_trace *t, char *err, size_t errlen) {
    t->record_arrivals = 1;
    char *buf = NULL;
    size_t cap = 0, line = 0;
    ssize_t n;
    int rc = 0;
    while (rc == 0 && (n = getline(&buf, &cap, f)) >= 0) {
        line++;
        if (n > 0 && buf[n - 1] == '\n') buf[--n] = '\0';
        if ((size_t)n > TRACE_LINE_MAX) {
            rc = fail(err, errlen, path, line, "line too long for a trace event");
            break;
        }
        if (n == 0 && line > 1) continue;
        json_error_t je;
        json_t *o = json_loadb(buf, (size_t)n, 0, &je);
        if (!o || !json_is_object(o)) {
            char msg[300];
            snprintf(msg, sizeof msg, "not a JSON object: %s", o ? "another JSON value" : je.text);
            rc = fail(err, errlen, path, line, msg);
        } else if (line == 1) {
            rc = read_header(path, o, err, errlen);
        } else {
            rc = read_event(t, path, line, o, err, errlen) < 0 ? -1 : 0;
        }
        json_decref(o);
    }
    if (rc == 0 && ferror(f)) rc = fail(err, errlen, path, 0, "read error");
    if (rc == 0 && line == 0) rc = fail(err, errlen, path, 0, "empty file (not a streamlab trace)");
    free(buf);
    return rc;
}
