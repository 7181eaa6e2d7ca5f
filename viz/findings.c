/* viz/findings.c — the checker's findings on the player's frames (see findings.h). */
#include "findings.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void viz_findings_init(viz_findings *vf) {
    memset(vf, 0, sizeof *vf);
    sim_findings_init(&vf->file);
    vf->last_ev = -1;
}

void viz_findings_fini(viz_findings *vf) {
    sim_findings_fini(&vf->file);
    free(vf->v);
    free(vf->of_sink);
    memset(vf, 0, sizeof *vf);
    vf->last_ev = -1;
}

static int64_t key_of(const sim_finding *f) { return f->query ? VIZ_SS_OUTPUT + f->index : f->index; }

static int by_ev(const void *x, const void *y) {
    const viz_finding *a = x, *b = y;
    if (a->ev != b->ev) return a->ev < b->ev ? -1 : 1;
    return a->f < b->f ? -1 : a->f > b->f; /* the file's order */
}

/* A batch, as the panel writes it: "5000 ms", or a query's "7". */
static void batch_words(const sim_finding *f, char *buf, size_t n) {
    snprintf(buf, n, "%" PRId64 "%s", f->batch, f->query ? "" : " ms");
}

/* Where finding f shows: on the write it names (which must be of its batch),
 * or for a batch never written, at the output's first write of a later
 * batch, else at the last frame. */
static int place_one(const viz_model *m, const sim_finding *f, viz_finding *out, char *err, size_t errlen) {
    int64_t key = key_of(f), writes = 0;
    *out = (viz_finding){.ev = m->frames[m->nframes - 1], .sink = -1, .out = key, .f = f};
    for (size_t k = 0; k < m->sinks.n; k++) {
        const viz_mark *s = &m->sinks.v[k];
        if (s->a != key) continue;
        if (f->write < 0 && f->batch >= 0 && s->b > f->batch) { /* the first write after a batch never written */
            out->ev = s->ev;
            return 0;
        }
        if (f->write >= 0 && writes++ == f->write) {
            if (f->batch >= 0 && s->b != f->batch) {
                char a[32], b[32];
                batch_words(f, a, sizeof a);
                batch_words(&(sim_finding){.query = f->query, .batch = s->b}, b, sizeof b);
                snprintf(err, errlen, "%s %d's write %" PRId64 " is batch %s in the trace, batch %s in the findings",
                         f->query ? "query" : "output", f->index, f->write, b, a);
                return -1;
            }
            out->ev = s->ev, out->sink = (int32_t)k;
            return 0;
        }
    }
    if (f->write >= 0) {
        snprintf(err, errlen, "%s %d's write %" PRId64 " is not in the trace (it has %" PRId64 " writes of it)",
                 f->query ? "query" : "output", f->index, f->write, writes);
        return -1;
    }
    return 0;
}

int viz_findings_place(viz_findings *vf, viz_model *m, char *err, size_t errlen) {
    const sim_findings *sf = &vf->file;
    vf->v = calloc(sf->nbatches + 1, sizeof *vf->v);
    vf->of_sink = malloc((m->sinks.n + 1) * sizeof *vf->of_sink);
    if (!vf->v || !vf->of_sink) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    vf->nsinks = m->sinks.n;
    for (size_t k = 0; k < m->sinks.n; k++) vf->of_sink[k] = -1;
    for (size_t i = 0; i < sf->nbatches; i++)
        if (place_one(m, &sf->batches[i], &vf->v[vf->n++], err, errlen)) goto fail;
    qsort(vf->v, vf->n, sizeof *vf->v, by_ev);
    for (size_t i = 0; i < vf->n; i++)
        if (vf->v[i].sink >= 0) vf->of_sink[vf->v[i].sink] = (int32_t)i;
    vf->last_ev = m->frames[m->nframes - 1];
    m->findings = vf;
    return 0;
fail: /* none placed, but attached: the panel says why (vf->note) */
    free(vf->v), free(vf->of_sink);
    vf->v = NULL, vf->of_sink = NULL, vf->n = vf->nsinks = 0;
    sim_findings_fini(&vf->file);
    sim_findings_init(&vf->file);
    m->findings = vf;
    return -1;
}

size_t viz_findings_visible(const viz_findings *vf, uint32_t ev) {
    if (!vf) return 0;
    size_t lo = 0, hi = vf->n; /* the first finding after ev */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (vf->v[mid].ev <= ev) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

int viz_findings_at(const viz_findings *vf, uint32_t ev) {
    size_t n = viz_findings_visible(vf, ev);
    return n > 0 && vf->v[n - 1].ev == ev;
}

const viz_finding *viz_findings_of_sink(const viz_findings *vf, size_t k) {
    if (!vf || k >= vf->nsinks || vf->of_sink[k] < 0) return NULL;
    return &vf->v[vf->of_sink[k]];
}

const sim_finding_output *viz_findings_output(const viz_findings *vf, int64_t out) {
    for (size_t i = 0; vf && i < vf->file.noutputs; i++) {
        const sim_finding_output *o = &vf->file.outputs[i];
        if ((o->query ? VIZ_SS_OUTPUT + o->index : o->index) == out) return o;
    }
    return NULL;
}

size_t viz_findings_sum(const viz_findings *vf, int64_t out, uint32_t ev, int never_written, int64_t count[SIM_FINDING_KINDS_]) {
    size_t n = 0, vis = viz_findings_visible(vf, ev);
    memset(count, 0, SIM_FINDING_KINDS_ * sizeof *count);
    for (size_t i = 0; i < vis; i++) {
        if (vf->v[i].out != out || (never_written && vf->v[i].sink >= 0)) continue;
        for (int k = 0; k < SIM_FINDING_KINDS_; k++) count[k] += vf->v[i].f->count[k];
        n++;
    }
    return n;
}

int viz_findings_here(const viz_findings *vf, uint32_t ev, int64_t own[SIM_FINDING_KINDS_],
                      int64_t skipped[SIM_FINDING_KINDS_], int *nskipped) {
    memset(own, 0, SIM_FINDING_KINDS_ * sizeof *own);
    memset(skipped, 0, SIM_FINDING_KINDS_ * sizeof *skipped);
    *nskipped = 0;
    int any = 0;
    for (size_t i = viz_findings_visible(vf, ev); i-- > 0 && vf->v[i].ev == ev;) {
        int64_t *c = vf->v[i].sink >= 0 ? own : skipped;
        *nskipped += vf->v[i].sink < 0;
        for (int k = 0; k < SIM_FINDING_KINDS_; k++) c[k] += vf->v[i].f->count[k];
        any = 1;
    }
    return any;
}

const char *viz_findings_words(const int64_t count[SIM_FINDING_KINDS_], char *buf, size_t n) {
    static const char *const words[SIM_FINDING_KINDS_] = {"missing", "duplicated", "unexpected"};
    size_t len = 0;
    buf[0] = 0;
    for (int k = 0; k < SIM_FINDING_KINDS_; k++)
        if (count[k] && len < n) len += (size_t)snprintf(buf + len, n - len, "%s%" PRId64 " %s", len ? ", " : "", count[k], words[k]);
    return buf;
}
