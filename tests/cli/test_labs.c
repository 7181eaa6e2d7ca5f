/* tests/cli/test_labs.c — every lab of labs/ (issue 10): `streamlab grade`
 * passes the instructor's solution with its answers (solution_answers.lua),
 * fails the starter on its TODO checks, and fails each typical mistake
 * (the .lua files of mistakes/) with the hint named in the mistake's first line
 * ("-- hint: <words the grader must print>", after "hint: ", or in the
 * error of a submission that does not run); hostile submissions (an endless
 * loop, a memory bomb, os.execute) are contained; every lab has its handout,
 * figures and files. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../support/proc.h"

#define TIMEOUT_S 600

typedef struct lab_param {
    char dir[160];
} lab_param;

ParameterizedTestParameters(labs, grade) {
    static lab_param params[32];
    size_t n = 0;
    glob_t g;
    if (glob("labs/*/lab.lua", 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc && n < 32; i++) {
            snprintf(params[n].dir, sizeof params[n].dir, "%s", g.gl_pathv[i]);
            *strrchr(params[n].dir, '/') = '\0';
            n++;
        }
        globfree(&g);
    }
    return cr_make_param_array(lab_param, params, n);
}

static void grade(proc_result *r, const char *lab, const char *submission, const char *answers) {
    const char *argv[] = {build_path("det/gcc-O2/streamlab"), "grade", lab, submission,
                          answers ? "--answers" : NULL, answers, NULL};
    cr_assert_eq(proc_run(argv, TIMEOUT_S, r), 0);
}

static int exists(const char *path) { return access(path, R_OK) == 0; }

ParameterizedTest(lab_param *p, labs, grade, .timeout = TIMEOUT_S) {
    char path[400], answers[400];
    const char *files[] = {"README.md", "starter.lua", "solution.lua", "lab.lua", "solution_answers.lua", "figures.txt"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", p->dir, files[i]);
        cr_expect(exists(path), "%s is missing", path);
    }
    /* the solution, with the right answers: everything passes */
    proc_result r;
    snprintf(path, sizeof path, "%s/solution.lua", p->dir);
    snprintf(answers, sizeof answers, "%s/solution_answers.lua", p->dir);
    grade(&r, p->dir, path, answers);
    cr_expect_eq(r.code, 0, "the solution of %s does not pass:\n%s%s", p->dir, r.out, r.err);
    cr_expect(strstr(r.out, " failed)") == NULL, "%s", r.out);
    proc_result_free(&r);
    /* the starter as it is: it runs, and fails its TODO checks */
    snprintf(path, sizeof path, "%s/starter.lua", p->dir);
    grade(&r, p->dir, path, NULL);
    cr_expect_eq(r.code, 1, "the starter of %s: exit %d\n%s%s", p->dir, r.code, r.out, r.err);
    cr_expect(strstr(r.out, "  FAIL  ") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "did not run") == NULL, "the starter of %s does not run:\n%s", p->dir, r.out);
    proc_result_free(&r);
    /* each typical mistake fails with its hint */
    glob_t g;
    snprintf(path, sizeof path, "%s/mistakes/*.lua", p->dir);
    int nmistakes = 0;
    if (glob(path, 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++, nmistakes++) {
            FILE *f = fopen(g.gl_pathv[i], "r");
            char first[400] = "";
            if (f) {
                if (!fgets(first, sizeof first, f)) first[0] = '\0';
                fclose(f);
            }
            first[strcspn(first, "\n")] = '\0';
            cr_expect(strncmp(first, "-- hint: ", 9) == 0, "%s: the first line names the hint (\"-- hint: ...\")",
                      g.gl_pathv[i]);
            grade(&r, p->dir, g.gl_pathv[i], NULL);
            cr_expect_eq(r.code, 1, "%s: exit %d\n%s%s", g.gl_pathv[i], r.code, r.out, r.err);
            /* a mistake Spark rejects before the job runs has no check's hint:
             * the error itself names it, so the words must be in it */
            char want[420];
            int not_run = strstr(r.out, "  the submission did not run: ") != NULL;
            snprintf(want, sizeof want, not_run ? "%s" : "hint: %s", first + 9);
            cr_expect(strstr(r.out, want) != NULL, "%s: expected \"%s\" in:\n%s", g.gl_pathv[i], want, r.out);
            proc_result_free(&r);
        }
        globfree(&g);
    }
    cr_expect(nmistakes >= 2, "%s has %d typical mistakes in mistakes/, 2 at least expected", p->dir, nmistakes);
    /* hostile submissions: the solution with a first line that loops, eats
     * memory or runs a command; each is stopped, said once, scored zero */
    static const struct {
        const char *name, *line, *reason;
    } hostile[] = {
        {"endless_loop", "while true do end", "instruction budget of 100000000 Lua instructions exhausted"},
        {"memory_bomb", "local t = {} for i = 1, 1e9 do t[i] = string.rep(\"x\", 1000) .. i end",
         "memory limit of 128 MiB"},
        {"os_execute", "os.execute(\"touch /tmp/streamlab-pwned\")", "attempt to index a nil value (global 'os')"},
    };
    char dir[] = "/tmp/streamlab-hostile-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/solution.lua", p->dir);
    for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
        char sub[300], cmd[1200];
        snprintf(sub, sizeof sub, "%s/%s.lua", dir, hostile[i].name);
        snprintf(cmd, sizeof cmd, "{ echo '%s'; cat '%s'; } > '%s'", hostile[i].line, path, sub);
        cr_assert_eq(system(cmd), 0);
        remove("/tmp/streamlab-pwned");
        grade(&r, p->dir, sub, NULL);
        cr_expect_eq(r.code, 1, "%s: exit %d\n%s%s", sub, r.code, r.out, r.err);
        char want[600];
        snprintf(want, sizeof want, "  the submission did not run: %s:1: ", sub);
        const char *said = strstr(r.out, want);
        cr_expect(said != NULL, "%s: expected \"%s\" in:\n%s", p->dir, want, r.out);
        if (said) {
            const char *eol = strchr(said, '\n'), *reason = strstr(said, hostile[i].reason);
            cr_expect(reason && (!eol || reason < eol), "%s: expected \"%s\" in that line:\n%s", p->dir,
                      hostile[i].reason, r.out);
        }
        cr_expect(access("/tmp/streamlab-pwned", F_OK) != 0, "%s ran a command", sub);
        proc_result_free(&r);
        remove(sub);
    }
    rmdir(dir);
}

Test(labs, there_are_six_labs_and_an_index) {
    glob_t g;
    size_t n = 0;
    if (glob("labs/*/lab.lua", 0, NULL, &g) == 0) {
        n = g.gl_pathc;
        globfree(&g);
    }
    cr_expect_geq(n, 6, "%zu labs", n);
    cr_expect(exists("labs/README.md"));
}
