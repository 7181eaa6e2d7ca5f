/* tests/cli/test_lineage.c — each stage_submitted names the stage's RDDs, as
 * Spark's RDD.toDebugString lists them: from the stage's last RDD back to
 * its sources or the shuffles it reads, with the call site (file name and
 * line) of the scenario's call; a stage submitted again says why first. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../support/proc.h"

/* The texts of scenario's stage_submitted events, one per line, in trace order. */
static char *stage_texts(const char *scenario) {
    char dir[] = "/tmp/streamlab-lineage-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char trace[256], cmd[700];
    snprintf(trace, sizeof trace, "%s/trace.jsonl", dir);
    proc_result r;
    const char *argv[] = {build_path("asan/streamlab"), "run", scenario, "--quiet", "--trace", trace, NULL};
    cr_assert_eq(proc_run(argv, 120, &r), 0);
    cr_assert_eq(r.code, 0, "%s%s", r.out, r.err);
    proc_result_free(&r);
    snprintf(cmd, sizeof cmd, "grep '\"ev\":\"stage_submitted\"' '%s' | sed 's/.*\"text\":\"//; s/\"}$//'; rm -rf '%s'", trace, dir);
    const char *sh[] = {"/bin/sh", "-c", cmd, NULL};
    cr_assert_eq(proc_run(sh, 60, &r), 0);
    char *out = r.out;
    r.out = NULL;
    proc_result_free(&r);
    return out;
}

Test(lineage, a_stage_names_its_rdds_back_to_its_sources_or_shuffles) {
    char *t = stage_texts("scenarios/hello.lua");
    /* flatMap(words):map(pairWithOne):reduceByKey(add) on a queued parallelized RDD:
     * the map stage, then the reduce stage reading its shuffle */
    static const char want[] =
        "lineage: MapPartitionsRDD[2] at map at hello.lua:21 <- MapPartitionsRDD[1] at flatMap at hello.lua:21 "
        "<- ParallelCollectionRDD[0]\n"
        "lineage: ShuffledRDD[3] at reduceByKey at hello.lua:21 (reads shuffle 0)\n";
    cr_expect(strncmp(t, want, strlen(want)) == 0, "batch 1000 ms's two stages:\n%.400s", t);
    free(t);
}

Test(lineage, a_stage_submitted_again_says_why_then_its_lineage) {
    char *t = stage_texts("scenarios/shuffle_output_lost.lua");
    cr_expect_not_null(strstr(t, "resubmitted: map outputs lost; lineage: MapPartitionsRDD[14] at map at shuffle_output_lost.lua:13 "
                                 "<- MapPartitionsRDD[13] at flatMap at shuffle_output_lost.lua:13 <- BlockRDD[12]\n"),
                       "the map stage whose outputs died with their worker:\n%s", t);
    free(t);
}
