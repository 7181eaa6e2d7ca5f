/* tests/unit/test_trace.c — the trace recorder: store, counts, digest, JSON Lines. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../../sim/trace.h"

static eng_trace_event mk(eng_trace_type type, uint32_t node, int64_t a0, int64_t a1, int64_t a2, int64_t a3,
                          const char *text) {
    return (eng_trace_event){type, node, {a0, a1, a2, a3}, text};
}

Test(trace, append_stores_events_and_counts_per_type) {
    sim_trace t;
    cr_assert_eq(sim_trace_init(&t, 0), 0);
    eng_trace_event a = mk(ENG_EV_NODE_UP, 1, 1, 0, 0, 0, "driver");
    eng_trace_event b = mk(ENG_EV_BATCH_GENERATED, 1, 1000000, 0, 0, 0, NULL);
    eng_trace_event c = mk(ENG_EV_HEARTBEAT, 1, 2, 0, 0, 0, NULL);
    cr_assert_eq(sim_trace_append(&t, 0, &a), 0);
    cr_assert_eq(sim_trace_append(&t, 1000000, &b), 0);
    cr_assert_eq(sim_trace_append(&t, 1000000, &c), 0);
    cr_assert_eq(sim_trace_append(&t, 2000000, &b), 0);
    cr_assert_eq(t.count, 4);
    cr_assert_eq(t.counts[ENG_EV_NODE_UP], 1);
    cr_assert_eq(t.counts[ENG_EV_BATCH_GENERATED], 2);
    cr_assert_eq(t.counts[ENG_EV_HEARTBEAT], 1);
    cr_assert_eq(t.counts[ENG_EV_NODE_DOWN], 0);
    uint64_t total = 0;
    for (int i = 0; i < ENG_EV_COUNT_; i++) total += t.counts[i];
    cr_assert_eq(total, 4);

    const sim_trace_rec *r = &t.events[0];
    cr_assert_eq(r->t_us, 0);
    cr_assert_eq(r->type, ENG_EV_NODE_UP);
    cr_assert_eq(r->node, 1);
    cr_assert_eq(r->arg[0], 1);
    cr_assert_str_eq(sim_trace_text(&t, r), "driver");
    r = &t.events[3];
    cr_assert_eq(r->t_us, 2000000);
    cr_assert_eq(r->type, ENG_EV_BATCH_GENERATED);
    cr_assert_eq(r->arg[0], 1000000);
    cr_assert_null(sim_trace_text(&t, r));
    cr_assert_eq(t.overflow, 0);
    sim_trace_fini(&t);
}

Test(trace, text_is_copied) {
    sim_trace t;
    cr_assert_eq(sim_trace_init(&t, 0), 0);
    char buf[16] = "ckpt/a";
    eng_trace_event e = mk(ENG_EV_STORAGE_PUT, 1, 3, 2000, 0, 0, buf);
    cr_assert_eq(sim_trace_append(&t, 5, &e), 0);
    strcpy(buf, "XXXXXX");
    /* many more texts: the arena grows and moves; offsets stay valid */
    for (int i = 0; i < 3000; i++) {
        char s[32];
        snprintf(s, sizeof s, "path-%d", i);
        eng_trace_event f = mk(ENG_EV_STORAGE_PUT, 1, i, 0, 0, 0, s);
        cr_assert_eq(sim_trace_append(&t, 6, &f), 0);
    }
    cr_assert_str_eq(sim_trace_text(&t, &t.events[0]), "ckpt/a");
    cr_assert_eq(t.events[0].text_len, 6);
    cr_assert_str_eq(sim_trace_text(&t, &t.events[3000]), "path-2999");
    sim_trace_fini(&t);
}

/* ---- digest ----------------------------------------------------------------------- */

#define NBASE 4

static void base_events(eng_trace_event ev[NBASE], int64_t times[NBASE]) {
    ev[0] = mk(ENG_EV_NODE_UP, 2, 1, 4, 0, 0, "worker-1");
    ev[1] = mk(ENG_EV_MESSAGE_SEND, 2, 1, 1, 4, 1001000, NULL);
    ev[2] = mk(ENG_EV_BATCH_GENERATED, 1, 1000000, 2, 300, 1, NULL);
    ev[3] = mk(ENG_EV_NARRATION, 0, 0, 0, 0, 0, "hello");
    times[0] = 0;
    times[1] = 1000;
    times[2] = 1000000;
    times[3] = 1000000;
}

static uint64_t digest_of(const eng_trace_event ev[NBASE], const int64_t times[NBASE]) {
    sim_trace t;
    cr_assert_eq(sim_trace_init(&t, 0), 0);
    for (int i = 0; i < NBASE; i++) cr_assert_eq(sim_trace_append(&t, times[i], &ev[i]), 0);
    uint64_t d = sim_trace_digest(&t);
    sim_trace_fini(&t);
    return d;
}

Test(trace, digest_is_equal_for_equal_sequences) {
    eng_trace_event ev[NBASE];
    int64_t times[NBASE];
    base_events(ev, times);
    uint64_t d1 = digest_of(ev, times);
    /* equal content through different text buffers */
    char text_copy[] = "hello";
    ev[3].text = text_copy;
    uint64_t d2 = digest_of(ev, times);
    cr_assert_eq(d1, d2);
}

Test(trace, digest_changes_with_every_field) {
    eng_trace_event base[NBASE];
    int64_t base_t[NBASE];
    base_events(base, base_t);
    const uint64_t d0 = digest_of(base, base_t);

    for (int i = 0; i < NBASE; i++) {
        for (int field = 0; field < 9; field++) {
            eng_trace_event ev[NBASE];
            int64_t times[NBASE];
            base_events(ev, times);
            const char *what;
            switch (field) {
            case 0: times[i] += 1; what = "time"; break;
            case 1: ev[i].type = ev[i].type == ENG_EV_HEARTBEAT ? ENG_EV_RUN_END : ENG_EV_HEARTBEAT; what = "type"; break;
            case 2: ev[i].node ^= 1; what = "node"; break;
            case 3: ev[i].arg[0] += 1; what = "arg0"; break;
            case 4: ev[i].arg[1] -= 1; what = "arg1"; break;
            case 5: ev[i].arg[2] ^= (int64_t)1 << 40; what = "arg2"; break;
            case 6: ev[i].arg[3] = ev[i].arg[3] ? 0 : -1; what = "arg3"; break;
            case 7: ev[i].text = ev[i].text ? (strcmp(ev[i].text, "hello") ? "worker-2" : "hellp") : "x"; what = "text"; break;
            default: ev[i].text = ev[i].text ? NULL : "y"; what = "text presence"; break;
            }
            /* times must stay non-decreasing: shift later events too */
            if (field == 0)
                for (int k = i + 1; k < NBASE; k++)
                    if (times[k] < times[i]) times[k] = times[i];
            uint64_t d = digest_of(ev, times);
            if (field >= 3 && field <= 6 && !sim_trace_arg_name(ev[i].type, field - 3))
                /* an argument the schema does not name is not written, so not digested either */
                cr_assert_eq(d, d0, "event %d: %s, unnamed, changed the digest", i, what);
            else
                cr_assert_neq(d, d0, "event %d: changing %s left the digest unchanged", i, what);
        }
    }
    /* order matters, and so does an extra event */
    eng_trace_event sw[NBASE];
    int64_t st[NBASE];
    base_events(sw, st);
    eng_trace_event tmp = sw[2];
    sw[2] = sw[3];
    sw[3] = tmp;
    cr_assert_neq(digest_of(sw, st), d0, "swapping two same-time events");
}

/* The digest is XXH3-64 over the documented little-endian encoding. */
static size_t encode(unsigned char *p, int64_t t_us, const eng_trace_event *ev) {
    size_t n = 0;
    uint64_t v = (uint64_t)t_us;
    for (int i = 0; i < 8; i++) p[n++] = (unsigned char)(v >> (8 * i));
    for (int i = 0; i < 4; i++) p[n++] = (unsigned char)((uint32_t)ev->type >> (8 * i));
    for (int i = 0; i < 4; i++) p[n++] = (unsigned char)(ev->node >> (8 * i));
    for (int a = 0; a < 4; a++) {
        uint64_t x = (uint64_t)ev->arg[a];
        for (int i = 0; i < 8; i++) p[n++] = (unsigned char)(x >> (8 * i));
    }
    uint32_t len = ev->text ? (uint32_t)strlen(ev->text) : 0;
    uint32_t field = ev->text ? len : UINT32_MAX; /* no text is not empty text */
    for (int i = 0; i < 4; i++) p[n++] = (unsigned char)(field >> (8 * i));
    if (len) memcpy(p + n, ev->text, len);
    return n + len;
}

Test(trace, digest_is_xxh3_of_canonical_encoding) {
    eng_trace_event ev[NBASE];
    int64_t times[NBASE];
    base_events(ev, times);
    ev[1].arg[2] = -5; /* a negative argument: two's complement, little-endian */
    unsigned char buf[1024];
    size_t n = 0;
    for (int i = 0; i < NBASE; i++) n += encode(buf + n, times[i], &ev[i]);
    cr_assert_eq(n, 4 * 52 + 8 + 5);
    cr_assert_eq(digest_of(ev, times), (uint64_t)XXH3_64bits(buf, n));

    sim_trace t;
    cr_assert_eq(sim_trace_init(&t, 0), 0);
    cr_assert_eq(sim_trace_digest(&t), (uint64_t)XXH3_64bits("", 0), "empty trace");
    sim_trace_fini(&t);
}

/* ---- record arrivals and the bound ------------------------------------------------- */

Test(trace, record_arrivals_dropped_unless_enabled) {
    sim_trace t;
    cr_assert_eq(sim_trace_init(&t, 0), 0);
    eng_trace_event up = mk(ENG_EV_NODE_UP, 1, 1, 0, 0, 0, "driver");
    eng_trace_event rec = mk(ENG_EV_RECORD_ARRIVAL, 2, 0, 123, 0, 0, NULL);
    cr_assert_eq(sim_trace_append(&t, 0, &up), 0);
    uint64_t d = sim_trace_digest(&t);
    cr_assert_eq(sim_trace_append(&t, 10, &rec), 0, "dropping is not an error");
    cr_assert_eq(t.count, 1);
    cr_assert_eq(t.counts[ENG_EV_RECORD_ARRIVAL], 0);
    cr_assert_eq(sim_trace_digest(&t), d, "a dropped event does not enter the digest");

    t.record_arrivals = 1;
    cr_assert_eq(sim_trace_append(&t, 20, &rec), 0);
    cr_assert_eq(t.count, 2);
    cr_assert_eq(t.counts[ENG_EV_RECORD_ARRIVAL], 1);
    cr_assert_eq(t.events[1].type, ENG_EV_RECORD_ARRIVAL);
    cr_assert_eq(t.events[1].arg[1], 123);
    cr_assert_neq(sim_trace_digest(&t), d);
    sim_trace_fini(&t);
}

Test(trace, max_events_bound_sets_overflow) {
    sim_trace t;
    cr_assert_eq(sim_trace_init(&t, 3), 0);
    cr_assert_eq(t.max_events, 3);
    eng_trace_event e = mk(ENG_EV_HEARTBEAT, 1, 2, 0, 0, 0, NULL);
    for (int i = 0; i < 3; i++) cr_assert_eq(sim_trace_append(&t, i, &e), 0);
    cr_assert_eq(t.overflow, 0);
    uint64_t d = sim_trace_digest(&t);
    cr_assert_eq(sim_trace_append(&t, 3, &e), -1);
    cr_assert_eq(t.overflow, 1);
    cr_assert_eq(t.count, 3);
    cr_assert_eq(t.counts[ENG_EV_HEARTBEAT], 3);
    cr_assert_eq(sim_trace_digest(&t), d);
    /* later events are refused too */
    eng_trace_event n = mk(ENG_EV_NARRATION, 0, 0, 0, 0, 0, "late");
    cr_assert_eq(sim_trace_append(&t, 4, &n), -1);
    cr_assert_eq(t.count, 3);
    cr_assert_eq(t.text_len, 0);
    sim_trace_fini(&t);
}

Test(trace, default_max_events) {
    sim_trace t;
    cr_assert_eq(sim_trace_init(&t, 0), 0);
    cr_assert_eq(t.max_events, SIM_TRACE_DEFAULT_MAX_EVENTS);
    sim_trace_fini(&t);
}

/* ---- JSON ---------------------------------------------------------------------------- */

/* Writes one event through sim_trace_write_json into a memory stream. */
static char *json_line(int64_t t_us, const eng_trace_event *e) {
    sim_trace t;
    cr_assert_eq(sim_trace_init(&t, 0), 0);
    cr_assert_eq(sim_trace_append(&t, t_us, e), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    cr_assert_eq(sim_trace_write_json(&t, &t.events[0], f), 0);
    cr_assert_eq(fclose(f), 0);
    sim_trace_fini(&t);
    return buf;
}

Test(trace, json_line_of_batch_generated) {
    eng_trace_event e = mk(ENG_EV_BATCH_GENERATED, 1, 1000000, 3, 120, -2, NULL);
    char *line = json_line(1000000, &e);
    cr_assert_str_eq(line, "{\"t_us\":1000000,\"ev\":\"batch_generated\",\"node\":1,\"batch_time_us\":1000000,"
                           "\"blocks\":3,\"records\":120,\"jobs\":-2}\n");
    free(line);
}

Test(trace, json_line_omits_unused_args) {
    eng_trace_event e = mk(ENG_EV_HEARTBEAT, 1, 2, 77, 88, 99, NULL); /* only arg0 has a name */
    char *line = json_line(10002000, &e);
    cr_assert_str_eq(line, "{\"t_us\":10002000,\"ev\":\"heartbeat\",\"node\":1,\"executor\":2}\n");
    free(line);
}

Test(trace, json_line_of_narration_escapes_text) {
    eng_trace_event e = mk(ENG_EV_NARRATION, 0, 0, 0, 0, 0, "the \"driver\" fails\nthen recovers\t\\ok");
    char *line = json_line(2500000, &e);
    cr_assert_str_eq(line, "{\"t_us\":2500000,\"ev\":\"narration\",\"node\":0,"
                           "\"text\":\"the \\\"driver\\\" fails\\nthen recovers\\t\\\\ok\"}\n");
    /* and it reads back as the same text */
    json_error_t jerr;
    json_t *o = json_loads(line, 0, &jerr);
    cr_assert_not_null(o, "%s", jerr.text);
    cr_assert_str_eq(json_string_value(json_object_get(o, "text")), "the \"driver\" fails\nthen recovers\t\\ok");
    json_decref(o);
    free(line);
}

Test(trace, json_line_with_invalid_utf8_text_is_still_valid_json) {
    eng_trace_event e = mk(ENG_EV_STORAGE_PUT, 2, 5, 2000, 0, 0, "bad\xff\xfe");
    char *line = json_line(7, &e);
    json_error_t jerr;
    json_t *o = json_loads(line, 0, &jerr);
    cr_assert_not_null(o, "unreadable line %s: %s", line, jerr.text);
    cr_assert_eq(json_integer_value(json_object_get(o, "bytes")), 5);
    cr_assert_null(json_string_value(json_object_get(o, "text")));
    json_decref(o);
    free(line);
}

Test(trace, jsonl_mirror_writes_header_then_events) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    sim_trace t;
    cr_assert_eq(sim_trace_init(&t, 0), 0);
    sim_trace_write_to(&t, f);
    eng_trace_event up = mk(ENG_EV_NODE_UP, 2, 1, 4, 0, 0, "worker-1");
    eng_trace_event rec = mk(ENG_EV_RECORD_ARRIVAL, 2, 0, 1, 0, 0, NULL);
    eng_trace_event down = mk(ENG_EV_NODE_DOWN, 2, 1, ENG_CAUSE_CRASH, 0, 0, "worker-1");
    cr_assert_eq(sim_trace_append(&t, 0, &up), 0);
    cr_assert_eq(sim_trace_append(&t, 5, &rec), 0); /* dropped: not written */
    cr_assert_eq(sim_trace_append(&t, 15000000, &down), 0);
    cr_assert_eq(fclose(f), 0);
    cr_assert_eq(t.jsonl_error, 0);
    cr_assert_str_eq(buf, "{\"trace\":\"streamlab\",\"schema_version\":1}\n"
                          "{\"t_us\":0,\"ev\":\"node_up\",\"node\":2,\"incarnation\":1,\"cores\":4,\"text\":\"worker-1\"}\n"
                          "{\"t_us\":15000000,\"ev\":\"node_down\",\"node\":2,\"incarnation\":1,\"cause\":1,"
                          "\"text\":\"worker-1\"}\n");
    sim_trace_fini(&t);
    free(buf);
}

Test(trace, jsonl_header_carries_schema_version) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    sim_trace t;
    cr_assert_eq(sim_trace_init(&t, 0), 0);
    sim_trace_write_to(&t, f);
    cr_assert_eq(fclose(f), 0);
    char want[64];
    snprintf(want, sizeof want, "{\"trace\":\"streamlab\",\"schema_version\":%d}\n", ENG_TRACE_SCHEMA_VERSION);
    cr_assert_str_eq(buf, want);
    cr_assert_eq(ENG_TRACE_SCHEMA_VERSION, 1);
    sim_trace_fini(&t);
    free(buf);
}

/* ---- names ------------------------------------------------------------------------- */

Test(trace, type_names_round_trip_for_every_type) {
    for (uint32_t i = 0; i < ENG_EV_COUNT_; i++) {
        const char *name = sim_trace_type_name(i);
        cr_assert_not_null(name, "type %u has no name", i);
        cr_assert_gt(strlen(name), 0);
        cr_assert_eq(sim_trace_type_from_name(name), (int)i, "%s", name);
        for (uint32_t j = 0; j < i; j++) cr_assert_str_neq(name, sim_trace_type_name(j), "duplicate name");
    }
    cr_assert_null(sim_trace_type_name(ENG_EV_COUNT_));
    cr_assert_null(sim_trace_type_name(UINT32_MAX));
    cr_assert_eq(sim_trace_type_from_name("no_such_event"), -1);
    cr_assert_eq(sim_trace_type_from_name(""), -1);
    cr_assert_eq(sim_trace_type_from_name("Batch_Generated"), -1, "names are case-sensitive");
    cr_assert_eq(sim_trace_type_from_name("batch_generated"), ENG_EV_BATCH_GENERATED);
    cr_assert_eq(sim_trace_type_from_name("run_start"), ENG_EV_RUN_START);
    cr_assert_eq(sim_trace_type_from_name("recovery_phase"), ENG_EV_RECOVERY_PHASE);
}

Test(trace, arg_names) {
    cr_assert_str_eq(sim_trace_arg_name(ENG_EV_BATCH_GENERATED, 0), "batch_time_us");
    cr_assert_str_eq(sim_trace_arg_name(ENG_EV_BATCH_GENERATED, 3), "jobs");
    cr_assert_str_eq(sim_trace_arg_name(ENG_EV_MESSAGE_DROP, 2), "cause");
    cr_assert_null(sim_trace_arg_name(ENG_EV_MESSAGE_DROP, 3));
    cr_assert_null(sim_trace_arg_name(ENG_EV_NARRATION, 0));
    cr_assert_null(sim_trace_arg_name(ENG_EV_BATCH_GENERATED, 4));
    cr_assert_null(sim_trace_arg_name(ENG_EV_BATCH_GENERATED, -1));
    cr_assert_null(sim_trace_arg_name(ENG_EV_COUNT_, 0));
}

/* ---- observer ---------------------------------------------------------------------- */

typedef struct seen {
    int calls;
    int64_t last_t;
    uint32_t last_type;
} seen;

static void observe(void *ud, const sim_trace *t, const sim_trace_rec *r) {
    seen *s = ud;
    s->calls++;
    s->last_t = r->t_us;
    s->last_type = r->type;
    cr_assert_eq(r, &t->events[t->count - 1], "observer sees the stored event");
}

Test(trace, observer_sees_each_stored_event) {
    sim_trace t;
    cr_assert_eq(sim_trace_init(&t, 0), 0);
    seen s = {0};
    t.observer = observe;
    t.observer_ud = &s;
    eng_trace_event hb = mk(ENG_EV_HEARTBEAT, 1, 2, 0, 0, 0, NULL);
    eng_trace_event rec = mk(ENG_EV_RECORD_ARRIVAL, 2, 0, 0, 0, 0, NULL);
    cr_assert_eq(sim_trace_append(&t, 4, &hb), 0);
    cr_assert_eq(sim_trace_append(&t, 9, &rec), 0);
    cr_assert_eq(s.calls, 1, "a dropped event is not observed");
    cr_assert_eq(s.last_t, 4);
    cr_assert_eq(s.last_type, ENG_EV_HEARTBEAT);
    sim_trace_fini(&t);
}
