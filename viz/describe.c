/* viz/describe.c — a trace event in words, for the caption line. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "findings.h"
#include "model.h"

static const char *dur_text(int64_t us, char *buf, size_t n) {
    if (us % 1000000 == 0)
        snprintf(buf, n, "%" PRId64 " s", us / 1000000);
    else if (us >= 1000000)
        snprintf(buf, n, "%.1f s", (double)us / 1e6);
    else
        snprintf(buf, n, "%" PRId64 " ms", us / 1000);
    return buf;
}

static const char *task_cause(int64_t cause) {
    switch (cause) {
    case 2: return "failed (error, or its executor was lost)";
    case 3: return "failed: FetchFailed";
    case ENG_CAUSE_KILLED: return "killed: another attempt succeeded";
    default: return "failed";
    }
}

/* After a sink write's words, what the checker found there, if anything:
 * " · the checker: 3 missing vs the reference"; batches the run never wrote
 * show with the write after them: " · the checker: 40 missing, and 150 in 3
 * batches never written" (short enough for the caption's line). */
static void checker_says(const viz_model *m, uint32_t i, char *buf, size_t n) {
    int64_t own[SIM_FINDING_KINDS_], skipped[SIM_FINDING_KINDS_];
    int nskipped;
    if (!viz_findings_here(m->findings, i, own, skipped, &nskipped)) return;
    char w[160];
    size_t len = strlen(buf);
    int have_own = viz_findings_words(own, w, sizeof w)[0] != 0;
    const char *batches = nskipped == 1 ? "batch" : "batches";
    if (len >= n) return;
    if (have_own && !nskipped)
        snprintf(buf + len, n - len, " \u00b7 the checker: %s vs the reference", w);
    else if (have_own) /* a batch never written lost all it had: only missing records */
        snprintf(buf + len, n - len, " \u00b7 the checker: %s, and %" PRId64 " in %d %s never written", w,
                 skipped[SIM_FINDING_LOST], nskipped, batches);
    else
        snprintf(buf + len, n - len, " \u00b7 the checker: %" PRId64 " missing in %d %s never written", skipped[SIM_FINDING_LOST],
                 nskipped, batches);
}

void viz_describe(const viz_model *m, uint32_t i, char *buf, size_t n) {
    const sim_trace_rec *r = &m->trace->events[i];
    const char *text = sim_trace_text(m->trace, r);
    const int64_t *a = r->arg;
    char nb[32], nb2[32], d[32], bt[48] = "";
    const char *node = viz_node_name(m, r->node, nb, sizeof nb);
    if (m->ev_batch[i] >= 0) snprintf(bt, sizeof bt, " of batch %" PRId64 " ms", m->ev_batch[i] / 1000);
    switch (r->type) {
    case ENG_EV_RUN_START:
        snprintf(buf, n, "run starts: %" PRId64 " workers x %" PRId64 " cores, seed %" PRId64, a[2], a[3], a[0]);
        break;
    case ENG_EV_RUN_END: /* batches: DStream batches; a run of queries alone has none to count */
        if (a[1]) snprintf(buf, n, "run ends: %" PRId64 " batches", a[1]);
        else snprintf(buf, n, "run ends");
        break;
    case ENG_EV_NARRATION: snprintf(buf, n, "%s", text ? text : ""); break;
    case ENG_EV_NODE_UP:
        snprintf(buf, n, a[0] > 1 ? "%s restarts (incarnation %" PRId64 ")" : "%s starts (%" PRId64 " cores)", node,
                 a[0] > 1 ? a[0] : a[1]);
        break;
    case ENG_EV_NODE_DOWN:
        snprintf(buf, n, "%s %s: its memory is gone", node,
                 a[1] == ENG_CAUSE_CRASH ? "crashes" : a[1] == ENG_CAUSE_NODE_DOWN ? "goes down with the driver" : "stops");
        break;
    case ENG_EV_EXECUTOR_REGISTERED:
        snprintf(buf, n, "executor on %s registers with the driver (%" PRId64 " cores)",
                 viz_node_name(m, (uint32_t)a[0], nb2, sizeof nb2), a[1]);
        break;
    case ENG_EV_RECEIVER_START:
        snprintf(buf, n, "receiver of stream %" PRId64 " starts on %s", a[0], viz_node_name(m, (uint32_t)a[1], nb2, sizeof nb2));
        break;
    case ENG_EV_RECEIVER_FAILED:
        snprintf(buf, n, "receiver of stream %" PRId64 " on %s fails: %" PRId64 " buffered records lost", a[0],
                 viz_node_name(m, (uint32_t)a[1], nb2, sizeof nb2), a[2]);
        break;
    case ENG_EV_BLOCK_CREATED:
        snprintf(buf, n, "%s stores block #%04" PRIx64 " of stream %" PRId64 " (%" PRId64 " records)", node, (uint64_t)a[1] & 0xffff, a[0], a[2]);
        break;
    case ENG_EV_BLOCK_REPLICATED:
        snprintf(buf, n, "block #%04" PRIx64 " replicated to %s", (uint64_t)a[1] & 0xffff, viz_node_name(m, (uint32_t)a[2], nb2, sizeof nb2));
        break;
    case ENG_EV_BLOCK_REPORTED:
        snprintf(buf, n, "block #%04" PRIx64 " reported to the driver (%" PRId64 " records, %" PRId64 " copies)", (uint64_t)a[1] & 0xffff, a[2], a[3]);
        break;
    case ENG_EV_BLOCK_LOST:
        snprintf(buf, n, "block #%04" PRIx64 " lost: no copy left (%" PRId64 " records)", (uint64_t)a[1] & 0xffff, a[2]);
        break;
    case ENG_EV_BATCH_GENERATED:
        snprintf(buf, n, "JobGenerator: batch Time: %" PRId64 " ms generated (%" PRId64 " blocks, %" PRId64 " records)",
                 a[0] / 1000, a[1], a[2]);
        break;
    case ENG_EV_BATCH_STARTED:
        snprintf(buf, n, "batch %" PRId64 " ms starts after %s scheduling delay", a[0] / 1000, dur_text(a[1], d, sizeof d));
        break;
    case ENG_EV_BATCH_DONE:
        snprintf(buf, n, "batch %" PRId64 " ms done: processing time %s", a[0] / 1000, dur_text(a[1], d, sizeof d));
        break;
    case ENG_EV_JOB_START: snprintf(buf, n, "job %" PRId64 " of batch %" PRId64 " ms starts", a[0], a[1] / 1000); break;
    case ENG_EV_JOB_END:
        snprintf(buf, n, "job %" PRId64 " of batch %" PRId64 " ms %s", a[0], a[1] / 1000, a[2] == 0 ? "succeeds" : "fails");
        break;
    case ENG_EV_STAGE_SUBMITTED: { /* with its lineage, from the text, when the trace has it */
        const char *lineage = text ? strstr(text, "lineage: ") : NULL;
        snprintf(buf, n, "stage %" PRId64 " submitted: %" PRId64 " tasks%s%s%s", a[0], a[2], a[3] ? " (resubmitted)" : "",
                 lineage ? " \u00B7 " : "", lineage ? lineage + 9 : "");
        break;
    }
    case ENG_EV_STAGE_COMPLETED:
        snprintf(buf, n, "stage %" PRId64 " %s", a[0], a[2] == 0 ? "completes" : "fails");
        break;
    case ENG_EV_TASK_START:
        snprintf(buf, n, "%stask %" PRId64 ".%" PRId64 "%s starts on %s", m->ev_spec[i] ? "speculative copy of " : "", a[0], a[1], bt,
                 viz_node_name(m, (uint32_t)a[3], nb2, sizeof nb2));
        break;
    case ENG_EV_TASK_SPECULATIVE:
        snprintf(buf, n, "task %" PRId64 ".%" PRId64 "%s is slow: a speculative copy goes to %s", a[0], a[1], bt,
                 viz_node_name(m, (uint32_t)a[3], nb2, sizeof nb2));
        break;
    case ENG_EV_TASK_END:
        snprintf(buf, n, "task %" PRId64 ".%" PRId64 "%s finishes: %" PRId64 " records", a[0], a[1], bt, a[3]);
        break;
    case ENG_EV_TASK_FAILED:
        if (text && a[3] != ENG_CAUSE_KILLED)
            snprintf(buf, n, "task %" PRId64 ".%" PRId64 "%s failed: %s", a[0], a[1], bt, text);
        else
            snprintf(buf, n, "task %" PRId64 ".%" PRId64 "%s %s", a[0], a[1], bt, task_cause(a[3]));
        break;
    case ENG_EV_EXECUTOR_LOST:
        snprintf(buf, n, "executor on %s lost: %" PRId64 " tasks to run again, %" PRId64 " map outputs, %" PRId64 " blocks gone",
                 viz_node_name(m, (uint32_t)a[0], nb2, sizeof nb2), a[1], a[2], a[3]);
        break;
    case ENG_EV_SHUFFLE_WRITE: snprintf(buf, n, "shuffle %" PRId64 ": map output %" PRId64 " written", a[0], a[1]); break;
    case ENG_EV_SHUFFLE_FETCH:
        snprintf(buf, n, "shuffle %" PRId64 ": reduce %" PRId64 " fetches%s", a[0], a[1], a[3] ? " and fails" : "");
        break;
    case ENG_EV_CHECKPOINT_WRITE:
        snprintf(buf, n, "data checkpoint of batch %" PRId64 " ms written to %s", a[1] / 1000, text ? text : "storage");
        break;
    case ENG_EV_WAL_WRITE: snprintf(buf, n, "write-ahead log: block #%04" PRIx64 " of stream %" PRId64, (uint64_t)a[1] & 0xffff, a[0]); break;
    case ENG_EV_OFFSET_LOG: snprintf(buf, n, "offset log: batch %" PRId64 " written before it runs", a[0]); break;
    case ENG_EV_COMMIT_LOG: snprintf(buf, n, "commit log: batch %" PRId64 " committed", a[0]); break;
    case ENG_EV_WATERMARK:
        if (a[1] > 100 * (m->end_us > 0 ? m->end_us : 1)) { /* a dataset's own event times: a UTC date */
            time_t secs = (time_t)(a[1] / 1000000);
            struct tm tm;
            gmtime_r(&secs, &tm);
            strftime(d, sizeof d, "%Y-%m-%d %H:%M:%S", &tm);
        } else {
            dur_text(a[1], d, sizeof d);
        }
        snprintf(buf, n, "watermark moves to %s (batch %" PRId64 ")", d, a[0]);
        break;
    case ENG_EV_LATE_DROPPED: snprintf(buf, n, "%" PRId64 " late rows dropped behind the watermark (batch %" PRId64 ")", a[1], a[0]); break;
    case ENG_EV_STATE_UPDATE: { /* with the windows the task changed: the window events right after it */
        int up = 0, ev = 0;
        for (uint32_t k = i + 1; k < m->trace->count && k - i <= 4096; k++) {
            const sim_trace_rec *x = &m->trace->events[k];
            if (x->node != r->node || (x->type != ENG_EV_WINDOW_UPDATED && x->type != ENG_EV_WINDOW_EVICTED)) break;
            if (x->type == ENG_EV_WINDOW_UPDATED) up++;
            else ev++;
        }
        char w[120] = "";
        if (up && ev)
            snprintf(w, sizeof w, ": %d %s updated, %d evicted (the watermark passed their end)", up, up == 1 ? "window" : "windows", ev);
        else if (up)
            snprintf(w, sizeof w, ": %d %s updated", up, up == 1 ? "window" : "windows");
        else if (ev)
            snprintf(w, sizeof w, ": %d %s evicted (the watermark passed %s end)", ev, ev == 1 ? "window" : "windows",
                     ev == 1 ? "its" : "their");
        snprintf(buf, n, "state store: operator %" PRId64 " partition %" PRId64 " version %" PRId64 " (%" PRId64 " keys)%s", a[0],
                 a[1], a[2], a[3], w);
        break;
    }
    case ENG_EV_WINDOW_UPDATED:
    case ENG_EV_WINDOW_EVICTED:
        snprintf(buf, n, "state store of query %" PRId64 ": window [%" PRId64 " ms, %" PRId64 " ms) %s (%" PRId64 " keys)", a[0],
                 a[1] / 1000, a[2] / 1000, r->type == ENG_EV_WINDOW_UPDATED ? "updated" : "evicted", a[3]);
        break;
    case ENG_EV_SINK_WRITE: /* a query's sink names the query; a DStream output's batch id is its batch time in ms */
        if (text)
            snprintf(buf, n, "query %s writes batch %" PRId64 ": %" PRId64 " %s", text, a[1], a[2], a[2] == 1 ? "row" : "rows");
        else
            snprintf(buf, n, "DStream output %" PRId64 " writes batch %" PRId64 " ms: %" PRId64 " %s", a[0], a[1], a[2],
                     a[2] == 1 ? "row" : "rows");
        checker_says(m, i, buf, n);
        break;
    case ENG_EV_SINK_COMMIT: snprintf(buf, n, "output %" PRId64 " commits batch %" PRId64, a[0], a[1]); break;
    case ENG_EV_QUERY_PROGRESS: { /* StreamingQueryProgress: its JSON names the query ("id") */
        char name[64] = "";
        const char *id = text ? strstr(text, "\"id\":\"") : NULL;
        if (id) {
            id += 6;
            size_t k = 0;
            while (id[k] && id[k] != '"' && k + 1 < sizeof name) name[k] = id[k], k++;
            name[k] = 0;
        }
        if (name[0])
            snprintf(buf, n, "query %s: progress of batch %" PRId64 ", %" PRId64 " input rows in %s", name, a[1], a[2],
                     dur_text(a[3], d, sizeof d));
        else
            snprintf(buf, n, "query %" PRId64 ": progress of batch %" PRId64 ", %" PRId64 " input rows in %s", a[0], a[1], a[2],
                     dur_text(a[3], d, sizeof d));
        break;
    }
    case ENG_EV_FAULT_INJECTED: snprintf(buf, n, "fault: %s", text ? text : "injected"); break;
    case ENG_EV_RECOVERY_PHASE: snprintf(buf, n, "recovery: %s", text ? text : "driver recovers"); break;
    case ENG_EV_STORAGE_PUT:
        snprintf(buf, n, "%s writes %s%s", node, text ? text : "a file", a[2] ? " (refused)" : "");
        break;
    case ENG_EV_STORAGE_DELETE: snprintf(buf, n, "%s deletes %s", node, text ? text : "a file"); break;
    case ENG_EV_STORAGE_RENAME: snprintf(buf, n, "%s commits %s by rename", node, text ? text : "a file"); break;
    case ENG_EV_WINDOW_COMPUTED: { /* with its slide, when the next event is one */
        char l[32], sl[32], more[160];
        const sim_trace_rec *x = i + 1 < m->trace->count ? &m->trace->events[i + 1] : NULL;
        snprintf(more, sizeof more, " (slide %s)", dur_text(a[3], sl, sizeof sl));
        if (x && x->type == ENG_EV_WINDOW_SLIDE && x->arg[2] >= 0)
            snprintf(more, sizeof more, ": + %" PRId64 "-%" PRId64 " ms, \u2212 %" PRId64 "-%" PRId64 " ms", x->arg[0] / 1000,
                     x->arg[1] / 1000, x->arg[2] / 1000, x->arg[3] / 1000);
        else if (x && x->type == ENG_EV_WINDOW_SLIDE && x->arg[0] >= 0)
            snprintf(more, sizeof more, ": + %" PRId64 "-%" PRId64 " ms, nothing leaves yet", x->arg[0] / 1000, x->arg[1] / 1000);
        snprintf(buf, n, "%s computes the %s window to %" PRId64 " ms%s", text ? text : "window", dur_text(a[2], l, sizeof l),
                 a[1] / 1000, more);
        break;
    }
    case ENG_EV_WINDOW_SLIDE:
        snprintf(buf, n, "the window adds batches %" PRId64 "-%" PRId64 " ms and subtracts %" PRId64 "-%" PRId64 " ms", a[0] / 1000,
                 a[1] / 1000, a[2] / 1000, a[3] / 1000);
        break;
    case ENG_EV_RATE_UPDATE: snprintf(buf, n, "rate of stream %" PRId64 " set to %" PRId64 " records/s", a[0], a[1]); break;
    default: {
        const char *name = sim_trace_type_name(r->type);
        snprintf(buf, n, "%s on %s", name ? name : "event", node);
        break;
    }
    }
}
