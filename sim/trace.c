/* sim/trace.c — see trace.h. */
#include "trace.h"

#include <assert.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[] = {
#define NAME_(id, name, a0, a1, a2, a3) name,
    ENG_TRACE_EVENTS(NAME_)
#undef NAME_
};

static const char *const arg_names[][4] = {
#define ARGS_(id, name, a0, a1, a2, a3) {a0, a1, a2, a3},
    ENG_TRACE_EVENTS(ARGS_)
#undef ARGS_
};

const char *sim_trace_type_name(uint32_t type) { return type < ENG_EV_COUNT_ ? type_names[type] : NULL; }

const char *sim_trace_arg_name(uint32_t type, int i) {
    return type < ENG_EV_COUNT_ && i >= 0 && i < 4 ? arg_names[type][i] : NULL;
}

int sim_trace_type_from_name(const char *name) {
    for (int i = 0; i < ENG_EV_COUNT_; i++)
        if (strcmp(type_names[i], name) == 0) return i;
    return -1;
}

int sim_trace_init(sim_trace *t, size_t max_events) {
    *t = (sim_trace){0};
    t->max_events = max_events ? max_events : SIM_TRACE_DEFAULT_MAX_EVENTS;
    t->digest = XXH3_createState();
    if (!t->digest) return -1;
    XXH3_64bits_reset(t->digest);
    return 0;
}

void sim_trace_fini(sim_trace *t) {
    free(t->events);
    free(t->text);
    if (t->digest) XXH3_freeState(t->digest);
    *t = (sim_trace){0};
}

void sim_trace_write_to(sim_trace *t, FILE *f) {
    t->jsonl = f;
    if (f && fprintf(f, "{\"trace\":\"streamlab\",\"schema_version\":%d}\n", ENG_TRACE_SCHEMA_VERSION) < 0)
        t->jsonl_error = 1;
}

static void put_le(unsigned char *p, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static void digest_event(sim_trace *t, const sim_trace_rec *r, const char *text) {
    unsigned char buf[8 + 4 + 4 + 32 + 4];
    put_le(buf, (uint64_t)r->t_us, 8);
    put_le(buf + 8, r->type, 4);
    put_le(buf + 12, r->node, 4);
    for (int i = 0; i < 4; i++) put_le(buf + 16 + 8 * i, (uint64_t)r->arg[i], 8);
    put_le(buf + 48, r->text ? r->text_len : UINT32_MAX, 4);
    XXH3_64bits_update(t->digest, buf, sizeof buf);
    if (r->text_len) XXH3_64bits_update(t->digest, text, r->text_len);
}

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return 0;
    size_t n = *cap ? *cap : 1024;
    while (n < need) n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q) return -1;
    *p = q;
    *cap = n;
    return 0;
}

int sim_trace_append(sim_trace *t, int64_t t_us, const eng_trace_event *ev) {
    assert(ev->type < ENG_EV_COUNT_);
    if (ev->type == ENG_EV_RECORD_ARRIVAL && !t->record_arrivals) return 0;
    if (t->count >= t->max_events) {
        t->overflow = 1;
        return -1;
    }
    assert(t->count == 0 || t->events[t->count - 1].t_us <= t_us);
    if (grow((void **)&t->events, &t->capacity, t->count + 1, sizeof *t->events)) {
        t->overflow = 1;
        return -1;
    }
    sim_trace_rec *r = &t->events[t->count];
    *r = (sim_trace_rec){.t_us = t_us, .type = ev->type, .node = ev->node};
    /* an argument without a name in engine/trace_events.h is never written:
     * it is not kept or digested either, so a trace read back from its file
     * is the run's trace, digest included */
    for (int i = 0; i < 4; i++) r->arg[i] = sim_trace_arg_name(ev->type, i) ? ev->arg[i] : 0;
    if (ev->text) {
        size_t n = strlen(ev->text);
        if (t->text_len + n + 2 > UINT32_MAX || grow((void **)&t->text, &t->text_cap, t->text_len + n + 1, 1)) {
            t->overflow = 1;
            return -1;
        }
        memcpy(t->text + t->text_len, ev->text, n + 1);
        r->text = (uint32_t)(t->text_len + 1);
        r->text_len = (uint32_t)n;
        t->text_len += n + 1;
    }
    t->count++;
    t->counts[ev->type]++;
    digest_event(t, r, ev->text);
    if (t->jsonl && !t->jsonl_error && sim_trace_write_json(t, r, t->jsonl)) t->jsonl_error = 1;
    if (t->observer) t->observer(t->observer_ud, t, r);
    return 0;
}

uint64_t sim_trace_digest(const sim_trace *t) { return XXH3_64bits_digest(t->digest); }

const char *sim_trace_text(const sim_trace *t, const sim_trace_rec *r) {
    return r->text ? t->text + (r->text - 1) : NULL;
}

int sim_trace_write_json(const sim_trace *t, const sim_trace_rec *r, FILE *f) {
    json_t *o = json_object();
    if (!o) return -1;
    json_object_set_new(o, "t_us", json_integer(r->t_us));
    json_object_set_new(o, "ev", json_string(type_names[r->type]));
    json_object_set_new(o, "node", json_integer(r->node));
    for (int i = 0; i < 4; i++)
        if (arg_names[r->type][i]) json_object_set_new(o, arg_names[r->type][i], json_integer(r->arg[i]));
    const char *text = sim_trace_text(t, r);
    /* json_stringn refuses bytes that are not UTF-8 (returns NULL, and the
     * "text" key is then left out) rather than write an unreadable line. */
    if (text) json_object_set_new(o, "text", json_stringn(text, r->text_len));
    int rc = json_dumpf(o, f, JSON_COMPACT);
    json_decref(o);
    if (rc == 0 && fputc('\n', f) == EOF) rc = -1;
    return rc;
}
