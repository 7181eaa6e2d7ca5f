/* engine/lineage.c — a stage's lineage in words, for its stage_submitted
 * event: the stage's RDDs from its last back to its sources or the shuffles
 * it reads, named as Spark's RDD.toDebugString names them. See driver.h. */
#include <stdio.h>
#include <string.h>

#include "driver.h"

#define LINEAGE_RDDS_MAX 12 /* RDDs a stage_submitted names; more are "..." */

/* Spark's RDD class for an op kind, as RDD.toDebugString names it. */
static const char *rdd_class(uint32_t kind) {
    switch (kind) {
    case ENG_OP_PARALLEL: return "ParallelCollectionRDD";
    case ENG_OP_EMPTY: return "EmptyRDD";
    case ENG_OP_INPUT: return "BlockRDD";
    case ENG_OP_UNION: return "UnionRDD";
    case ENG_OP_COMBINE: return "ShuffledRDD";
    case ENG_OP_COGROUP: return "CoGroupedRDD";
    case ENG_OP_MAP_WITH_STATE: return "MapWithStateRDD";
    case ENG_OP_SS_AGG:
    case ENG_OP_SS_DEDUP: return "StateStoreRDD";
    default: return "MapPartitionsRDD";
    }
}

typedef struct lineage_buf {
    char *buf;
    size_t n, len;
    int rdds;
} lineage_buf;

static void lineage_put(lineage_buf *b, const char *s) {
    size_t k = strlen(s);
    if (b->len + k + 1 > b->n) k = b->n > b->len + 1 ? b->n - b->len - 1 : 0;
    memcpy(b->buf + b->len, s, k);
    b->len += k;
    b->buf[b->len] = '\0';
}

/* rdd and, back to the stage's sources or the shuffles it reads, its
 * parents: "MapPartitionsRDD[12] at map at main.lua:107 <- ...". A call
 * site is named by its file's name and line, not its folder, so a scenario
 * run from another folder has the same trace. */
static void lineage_of(lineage_buf *b, const eng_rdd *rdd) {
    char item[256];
    if (b->rdds++ == LINEAGE_RDDS_MAX) {
        lineage_put(b, "...");
        return;
    }
    if (b->rdds > LINEAGE_RDDS_MAX) return;
    const char *where = rdd->op.where, *slash = where ? strrchr(where, '/') : NULL;
    if (where && where[0])
        snprintf(item, sizeof item, "%s[%u] at %s at %s", rdd_class(rdd->op.kind), rdd->id, eng_op_name_str(rdd->op.name),
                 slash ? slash + 1 : where);
    else
        snprintf(item, sizeof item, "%s[%u]", rdd_class(rdd->op.kind), rdd->id);
    lineage_put(b, item);
    if (eng_op_is_wide(rdd->op.kind)) { /* its parents are other stages, read through shuffles */
        lineage_put(b, " (reads shuffle");
        for (int k = 0; k < rdd->nparents; k++) {
            snprintf(item, sizeof item, "%s %d", k ? "," : "", (int)rdd->shuffle_ids[k]);
            lineage_put(b, item);
        }
        lineage_put(b, ")");
        return;
    }
    if (rdd->nparents == 0) return;
    lineage_put(b, rdd->nparents > 1 ? " <- {" : " <- ");
    for (int k = 0; k < rdd->nparents; k++) {
        if (k) lineage_put(b, "; ");
        lineage_of(b, rdd->parents[k]);
    }
    if (rdd->nparents > 1) lineage_put(b, "}");
}

void eng_lineage_text(const eng_stage *s, const char *why, char *buf, size_t n) {
    lineage_buf b = {buf, n, 0, 0};
    buf[0] = '\0';
    if (why) {
        lineage_put(&b, why);
        lineage_put(&b, "; ");
    }
    lineage_put(&b, "lineage: ");
    lineage_of(&b, s->rdd);
}
