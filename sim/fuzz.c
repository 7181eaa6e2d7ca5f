/* sim/fuzz.c — `streamlab fuzz`: search fault plans for a delivery
 * violation, and shrink the one found.
 *
 * A scenario that draws its faults with faults.random{} gets another plan
 * from every seed. For each seed of A..B (those of this shard: seed index
 * mod n == i), the scenario runs with its faults and without them, as
 * `streamlab check` does, up to --jobs seeds at a time; a seed violates when
 * an output's verdict is not the expected delivery (expect{ delivery },
 * "exactly-once" when the scenario states none) or the run with faults
 * misses another expectation. The smallest violating seed's plan is then
 * shrunk, one fault at a time (delta debugging's "remove one" pass, repeated
 * until nothing can go): a fault whose removal keeps the violation is
 * dropped. The result prints as the command that replays it.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "fuzz.h"
#include "run.h"

typedef struct pending {
    uint64_t seed;
    pid_t faulty, reference;
} pending;

/* The judgement of one finished pair: 1 violating, 0 not, -1 the reference
 * failed. The verdicts go to out (NULL: nowhere). */
static int judge(const char *label, const char *dir, int rf, int rr, FILE *out) {
    char ref[4300], faulty[4300];
    snprintf(ref, sizeof ref, "%s/reference", dir);
    snprintf(faulty, sizeof faulty, "%s/faulty", dir);
    if (rr != SIM_EXIT_OK && rr != SIM_EXIT_EXPECTATIONS) return -1;
    FILE *sink = out ? out : fopen("/dev/null", "w");
    if (!sink) return -1;
    /* with no stated delivery, exactly-once is the property */
    int bad = sim_check_runs(label, ref, faulty, rf, "exactly-once", sink, NULL, NULL);
    if (!out) fclose(sink);
    return bad < 0 ? -1 : bad > 0;
}

/* Starts a seed's two runs (the faulty one with faults_only, NULL: the
 * whole plan) into dir/faulty and dir/reference. */
static pending spawn_pair(const char *self, const char *scenario, uint64_t seed, const char *faults_only,
                          const char *dir) {
    char seed_s[32], faulty[4300], ref[4300];
    snprintf(seed_s, sizeof seed_s, "%llu", (unsigned long long)seed);
    snprintf(faulty, sizeof faulty, "%s/faulty", dir);
    snprintf(ref, sizeof ref, "%s/reference", dir);
    return (pending){seed, sim_check_spawn(self, scenario, faulty, 1, seed_s, faults_only),
                     sim_check_spawn(self, scenario, ref, 0, seed_s, NULL)};
}

/* Runs one seed (with faults_only, NULL: the whole plan) and judges it. */
static int run_pair(const char *self, const char *scenario, uint64_t seed, const char *faults_only, const char *dir,
                    FILE *out) {
    sim_check_remove_tree(dir);
    pending p = spawn_pair(self, scenario, seed, faults_only, dir);
    int rf = sim_check_wait(p.faulty), rr = sim_check_wait(p.reference);
    return judge(scenario, dir, rf, rr, out);
}

/* How many faults the plan of a finished faulty run had. */
static int plan_size(const char *dir) {
    char path[4300];
    snprintf(path, sizeof path, "%s/faulty/summary.json", dir);
    json_t *s = json_load_file(path, 0, NULL);
    int n = s ? (int)json_array_size(json_object_get(s, "fault_plan")) : 0;
    json_decref(s);
    return n;
}

static void list_of(const int *keep, int n, char *out, size_t len) {
    out[0] = 0;
    for (int i = 0; i < n; i++) {
        if (!keep[i]) continue;
        size_t l = strlen(out);
        snprintf(out + l, len - l, "%s%d", l ? "," : "", i);
    }
}

int sim_fuzz(const char *self, const char *scenario, uint64_t from, uint64_t to, int shard, int shards, int jobs) {
    char base[] = "/tmp/streamlab-fuzz-XXXXXX";
    if (!mkdtemp(base)) {
        fprintf(stderr, "streamlab: cannot make a temporary folder: %s\n", strerror(errno));
        return SIM_EXIT_USAGE;
    }
    sim_check_quiet_children(1);
    int tty = isatty(fileno(stderr));
    uint64_t total = 0;
    for (uint64_t s = from; s <= to; s++)
        if ((s - from) % (uint64_t)shards == (uint64_t)shard) total++;
    pending *run = calloc((size_t)jobs, sizeof *run);
    int running = 0, error = 0;
    uint64_t next = from, done = 0, violations = 0, first_bad = 0;
    while (!error && (running > 0 || next <= to)) {
        /* fill the free slots with this shard's next seeds */
        while (running < jobs && next <= to) {
            uint64_t s = next++;
            if ((s - from) % (uint64_t)shards != (uint64_t)shard) continue;
            char dir[4200];
            snprintf(dir, sizeof dir, "%s/%llu", base, (unsigned long long)s);
            run[running++] = spawn_pair(self, scenario, s, NULL, dir);
        }
        if (!running) break;
        /* the oldest in flight: seeds finish in order, so the output is the
         * same with any --jobs */
        pending p = run[0];
        memmove(run, run + 1, (size_t)(running - 1) * sizeof *run);
        running--;
        int rf = sim_check_wait(p.faulty), rr = sim_check_wait(p.reference);
        char dir[4200];
        snprintf(dir, sizeof dir, "%s/%llu", base, (unsigned long long)p.seed);
        int v = judge(scenario, dir, rf, rr, NULL);
        done++;
        if (v < 0) {
            fprintf(stderr, "%sstreamlab fuzz: %s: the run without faults failed with seed %llu (exit %d); run it alone "
                            "to see why\n",
                    tty ? "\n" : "", scenario, (unsigned long long)p.seed, rr);
            error = 1;
        } else if (v) {
            /* seeds are judged in order: the first is the smallest */
            if (!violations++) first_bad = p.seed;
        } else {
            sim_check_remove_tree(dir);
        }
        if (tty)
            fprintf(stderr, "\rfuzz: %llu/%llu seeds, %llu violating", (unsigned long long)done,
                    (unsigned long long)total, (unsigned long long)violations);
    }
    for (int i = 0; i < running; i++) {
        sim_check_wait(run[i].faulty);
        sim_check_wait(run[i].reference);
    }
    free(run);
    if (tty) fputc('\n', stderr);
    if (error) return SIM_EXIT_USAGE;
    printf("fuzz: %s, seeds %llu..%llu (shard %d/%d): %llu runs, %llu violating\n", scenario,
           (unsigned long long)from, (unsigned long long)to, shard, shards, (unsigned long long)done,
           (unsigned long long)violations);
    if (!violations) {
        sim_check_remove_tree(base);
        return SIM_EXIT_OK;
    }
    /* shrink the smallest violating seed's plan */
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/%llu", base, (unsigned long long)first_bad);
    int n = plan_size(dir);
    int *keep = malloc((size_t)(n ? n : 1) * sizeof *keep);
    for (int i = 0; i < n; i++) keep[i] = 1;
    char list[8192] = "", shrink_dir[4300];
    snprintf(shrink_dir, sizeof shrink_dir, "%s/shrink", base);
    int kept = n, tries = 0;
    for (int changed = 1; changed && kept > 1;) {
        changed = 0;
        for (int i = 0; i < n && kept > 1; i++) {
            if (!keep[i]) continue;
            keep[i] = 0;
            list_of(keep, n, list, sizeof list);
            tries++;
            if (run_pair(self, scenario, first_bad, list, shrink_dir, NULL) == 1) {
                kept--;
                changed = 1;
            } else {
                keep[i] = 1;
            }
        }
    }
    list_of(keep, n, list, sizeof list);
    printf("smallest violating seed %llu: its plan of %d faults shrinks to %d (%d runs):\n",
           (unsigned long long)first_bad, n, kept, tries);
    /* the minimal plan's report, from a last run of it */
    run_pair(self, scenario, first_bad, kept < n ? list : NULL, shrink_dir, stdout);
    char path[4400];
    snprintf(path, sizeof path, "%s/faulty/summary.json", shrink_dir);
    json_t *s = json_load_file(path, 0, NULL);
    json_t *plan = s ? json_object_get(s, "fault_plan") : NULL;
    for (size_t i = 0; i < json_array_size(plan); i++) {
        json_t *f = json_array_get(plan, i);
        printf("  fault: %s at %lld ms (%s)\n", json_string_value(json_object_get(f, "text")),
               (long long)json_integer_value(json_object_get(f, "at_ms")),
               json_string_value(json_object_get(f, "where")));
    }
    json_decref(s);
    printf("  replay: %s run %s --seed %llu%s%s\n", self, scenario, (unsigned long long)first_bad,
           kept < n ? " --faults-only " : "", kept < n ? list : "");
    printf("  runs kept in %s\n", base);
    free(keep);
    return SIM_EXIT_EXPECTATIONS;
}
