/* engine/rdd.c — see rdd.h. */
#include "rdd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

eng_rdd *eng_rdd_new(eng_rdd_pool *pool, eng_rdd_ids *ids, const eng_op *op, eng_rdd *const *parents, int n,
                     const eng_collection *collection, char *err, size_t errlen) {
    const char *what = eng_op_name_str(op->name);
    if (n > ENG_RDD_PARENTS_MAX) {
        snprintf(err, errlen, "%s: at most %d parents", what, ENG_RDD_PARENTS_MAX);
        return NULL;
    }
    int partitions = 0;
    switch (op->kind) {
    case ENG_OP_PARALLEL:
        partitions = collection->num_slices;
        break;
    case ENG_OP_EMPTY:
    case ENG_OP_INPUT:
        partitions = 0; /* an input RDD's splits are set by eng_rdd_input */
        break;
    case ENG_OP_UNION:
        if (n < 1) {
            snprintf(err, errlen, "%s: needs at least one RDD", what);
            return NULL;
        }
        for (int i = 0; i < n; i++) partitions += parents[i]->num_partitions;
        break;
    case ENG_OP_COMBINE:
    case ENG_OP_COGROUP:
    case ENG_OP_MAP_WITH_STATE:
        if (op->num_partitions < 1) {
            snprintf(err, errlen, "%s: the number of partitions must be positive, got %d", what, op->num_partitions);
            return NULL;
        }
        partitions = op->num_partitions;
        break;
    default:
        if (n != 1) {
            snprintf(err, errlen, "%s: needs exactly one parent", what);
            return NULL;
        }
        partitions = parents[0]->num_partitions;
    }
    eng_rdd *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "%s: out of memory", what);
        return NULL;
    }
    r->parents = calloc((size_t)(n ? n : 1), sizeof *r->parents);
    r->shuffle_ids = calloc((size_t)(n ? n : 1), sizeof *r->shuffle_ids);
    if (!r->parents || !r->shuffle_ids) {
        free(r->parents);
        free(r->shuffle_ids);
        free(r);
        snprintf(err, errlen, "%s: out of memory", what);
        return NULL;
    }
    r->id = ids->next_rdd++;
    r->op = *op;
    r->nparents = n;
    r->num_partitions = partitions;
    r->collection = collection;
    r->lineage = 1;
    /* HashPartitioner by key: wide ops; mapValues, flatMapValues and filter keep it */
    if (eng_op_is_wide(op->kind))
        r->partitioner = op->num_partitions;
    else if (n == 1 && (op->kind == ENG_OP_MAP_VALUES || op->kind == ENG_OP_FLAT_MAP_VALUES ||
                        op->kind == ENG_OP_FILTER || op->kind == ENG_OP_WINDOW_MERGE ||
                        op->kind == ENG_OP_UPDATE_STATE || op->kind == ENG_OP_UPDATE_STATE_IDLE))
        r->partitioner = parents[0]->partitioner;
    r->pool = pool;
    for (int i = 0; i < n; i++) {
        r->parents[i] = parents[i];
        if (parents[i]->lineage + 1 > r->lineage) r->lineage = parents[i]->lineage + 1;
        if (eng_op_is_wide(op->kind)) r->shuffle_ids[i] = ids->next_shuffle++;
    }
    r->next_in_pool = pool->head;
    pool->head = r;
    pool->count++;
    return r;
}

eng_rdd *eng_rdd_input(eng_rdd_pool *pool, eng_rdd_ids *ids, uint32_t name, const eng_input_split *splits, int n) {
    char err[64];
    eng_op op = {.kind = ENG_OP_INPUT, .name = name};
    eng_rdd *r = eng_rdd_new(pool, ids, &op, NULL, 0, NULL, err, sizeof err);
    if (!r) return NULL;
    r->splits = malloc((size_t)(n ? n : 1) * sizeof *r->splits);
    if (!r->splits) return NULL; /* freed with the pool */
    if (n) memcpy(r->splits, splits, (size_t)n * sizeof *splits);
    r->num_partitions = n;
    return r;
}

void eng_rdd_truncate(eng_rdd *r, const eng_input_split *splits, int n) {
    r->nparents = 0;
    free(r->splits);
    r->splits = malloc((size_t)(n ? n : 1) * sizeof *r->splits);
    if (r->splits && n) memcpy(r->splits, splits, (size_t)n * sizeof *splits);
    r->op.kind = ENG_OP_INPUT;
    r->lineage = 1;
    r->checkpoint = 2;
}

void eng_rdd_pool_free(eng_rdd_pool *pool) {
    eng_rdd *r = pool->head;
    while (r) {
        eng_rdd *next = r->next_in_pool;
        free(r->splits);
        free(r->cached_on);
        free(r->parents);
        free(r->shuffle_ids);
        free(r);
        r = next;
    }
    *pool = (eng_rdd_pool){0};
}

void eng_rdd_union_locate(const eng_rdd *u, int p, int *parent, int *local) {
    for (int i = 0; i < u->nparents; i++) {
        if (p < u->parents[i]->num_partitions) {
            *parent = i;
            *local = p;
            return;
        }
        p -= u->parents[i]->num_partitions;
    }
    *parent = -1;
    *local = -1;
}
