/* viz/findings.h — the checker's findings (sim/findings.h) placed on the
 * player's frames, for the Outputs panel and the caption.
 *
 * The file says, per output, on which of its writes (the n-th sink_write of
 * that output in the trace) the records it lost, duplicated or never had in
 * the reference belong. A finding shows from the frame of that write on, so
 * what a frame shows depends on the frame alone. A batch the run with faults
 * never wrote shows from the output's first write of a later batch (or the
 * last frame, when none comes). The player reads files only: findings.jsonl
 * beside a trace, or the comparison of a scenario's runs (viz/load.c). */
#ifndef VIZ_FINDINGS_H
#define VIZ_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

#include "../sim/findings.h"
#include "model.h"

typedef struct viz_finding {
    uint32_t ev;          /* raw trace index of the event from whose frame it shows */
    int32_t sink;         /* its write: index into m->sinks; -1: its batch was never written */
    int64_t out;          /* its output, as m->sinks keys them (a DStream output, or VIZ_SS_OUTPUT + query) */
    const sim_finding *f; /* borrowed from file */
} viz_finding;

typedef struct viz_findings {
    sim_findings file;  /* owned: what the checker found */
    viz_finding *v;     /* placed, in order of ev */
    size_t n;
    int32_t *of_sink;   /* per entry of m->sinks: index into v, or -1 */
    size_t nsinks;
    int64_t last_ev;    /* raw index of the last frame's event: the verdicts show there */
    char source[320];   /* where the findings came from, for messages ("" none) */
    char note[320];     /* why there are none although there should be ("" when fine): said in the panel */
} viz_findings;

void viz_findings_init(viz_findings *vf);
void viz_findings_fini(viz_findings *vf);

/* Places vf->file on model m's frames and attaches vf to m (m->findings).
 * Returns 0; or -1 with a message in err when the file does not fit the
 * trace (a write the trace does not have, or of another batch): vf is then
 * emptied (attached still, for its note, which the caller sets). */
int viz_findings_place(viz_findings *vf, viz_model *m, char *err, size_t errlen);

/* How many findings show at raw event index ev (vf NULL: 0). */
size_t viz_findings_visible(const viz_findings *vf, uint32_t ev);

/* The finding of sink entry k (an index into m->sinks), or NULL. */
const viz_finding *viz_findings_of_sink(const viz_findings *vf, size_t k);

/* Output out's verdict line (out as m->sinks keys outputs), or NULL. */
const sim_finding_output *viz_findings_output(const viz_findings *vf, int64_t out);

/* Sums over output out's findings that show at ev into count[]; only those
 * of batches never written when never_written is set. Returns how many
 * findings were summed. */
size_t viz_findings_sum(const viz_findings *vf, int64_t out, uint32_t ev, int never_written, int64_t count[SIM_FINDING_KINDS_]);

/* What shows first at exactly raw event ev (a sink_write's frame): the
 * write's own finding into own[], and batches never written into
 * skipped[] (*nskipped of them). Returns whether there is any. */
int viz_findings_here(const viz_findings *vf, uint32_t ev, int64_t own[SIM_FINDING_KINDS_],
                      int64_t skipped[SIM_FINDING_KINDS_], int *nskipped);

/* Whether a finding shows first at raw event ev (the frame of the write it
 * is on): F and lecture mode stop there, as at a fault. */
int viz_findings_at(const viz_findings *vf, uint32_t ev);

/* "3 missing, 2 duplicated, 1 unexpected" (the kinds not zero), into buf. */
const char *viz_findings_words(const int64_t count[SIM_FINDING_KINDS_], char *buf, size_t n);

#endif
