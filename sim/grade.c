/* sim/grade.c — see grade.h; the lab format is labs/README.md.
 *
 * Every run is a child process (`streamlab run ... --out DIR`), so that a
 * submission that crashes, loops or eats memory is contained: the sandbox's
 * instruction budget and memory cap stop Lua code with a message naming
 * file:line, and a wall-clock guard kills a child that still outlives it.
 * The seed is the lab's (or the solution's own), the same for both runs, so
 * a grade is the same on every machine.
 */
#include "grade.h"

#include <errno.h>
#include <jansson.h>
#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "grade_run.h"
#include "lua_sandbox.h"
#include "run.h"

#define GRADE_INSTRUCTIONS 100000000LL
#define GRADE_MEMORY_MIB 128
#define GRADE_TIMEOUT_S 120

/* ---- lab.lua ------------------------------------------------------------------------------- */

static const char *const LAB_KEYS[] = {"name", "seed", "instructions", "memory", "timeout", NULL};
static const char *const CHECK_KEYS[] = {"name", "points", "hint", "output", "query", "unordered", "delivery",
                                         "faults_as_solution", "max_events", "min_events", "test", NULL};
static const char *const QUESTION_KEYS[] = {"id", "points", "text", "answer", "tolerance", NULL};

static void known_keys(lua_State *L, const char *call, const char *const *keys) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        lua_pop(L, 1);
        int ok = 0;
        if (lua_type(L, -1) == LUA_TSTRING)
            for (const char *const *k = keys; *k; k++) ok |= !strcmp(*k, lua_tostring(L, -1));
        if (!ok) {
            char list[400] = "";
            for (const char *const *k = keys; *k; k++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k == keys ? "" : ", ", *k);
            sim_lua_error(L, "%s: unknown key \"%s\" (known: %s)", call,
                          lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : luaL_typename(L, -1), list);
        }
    }
}

static void append_to(lua_State *L, const char *list) {
    lua_getfield(L, LUA_REGISTRYINDEX, list);
    lua_pushvalue(L, 1);
    lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    lua_pop(L, 1);
}

static int api_lab(lua_State *L) {
    known_keys(L, "lab{}", LAB_KEYS);
    lua_pushvalue(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "streamlab.lab");
    return 0;
}

static int api_check(lua_State *L) {
    known_keys(L, "check{}", CHECK_KEYS);
    if (lua_getfield(L, 1, "name") != LUA_TSTRING) sim_lua_error(L, "check{}: name = \"...\" is required");
    int kinds = 0;
    const char *k[] = {"output", "query", "delivery", "faults_as_solution", "max_events", "min_events", "test"};
    for (size_t i = 0; i < sizeof k / sizeof *k; i++) kinds += lua_getfield(L, 1, k[i]) != LUA_TNIL;
    if (!kinds)
        sim_lua_error(L, "check{}: say what it checks: output, query, delivery, faults_as_solution, max_events, "
                         "min_events or test");
    if (lua_getfield(L, 1, "output") != LUA_TNIL && !lua_isinteger(L, -1))
        sim_lua_error(L, "check{}: output is an output's index (from 0)");
    if (lua_getfield(L, 1, "test") != LUA_TNIL && !lua_isfunction(L, -1))
        sim_lua_error(L, "check{}: test is a function(run, solution) returning ok[, what differs]");
    lua_settop(L, 1);
    append_to(L, "streamlab.checks");
    return 0;
}

static int api_question(lua_State *L) {
    known_keys(L, "question{}", QUESTION_KEYS);
    if (lua_getfield(L, 1, "id") != LUA_TSTRING) sim_lua_error(L, "question{}: id = \"...\" is required");
    if (lua_getfield(L, 1, "answer") != LUA_TFUNCTION)
        sim_lua_error(L, "question{}: answer is a function(solution) returning the engine's answer");
    lua_settop(L, 1);
    append_to(L, "streamlab.questions");
    return 0;
}

static const char *field_str(lua_State *L, int t, const char *k, const char *dflt) {
    lua_getfield(L, t, k);
    const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : dflt;
    lua_pop(L, 1); /* the string stays alive in the table */
    return s;
}

static lua_Integer field_int(lua_State *L, int t, const char *k, lua_Integer dflt) {
    lua_getfield(L, t, k);
    lua_Integer v = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : dflt;
    lua_pop(L, 1);
    return v;
}

static int field_true(lua_State *L, int t, const char *k) {
    lua_getfield(L, t, k);
    int v = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return v;
}

/* ---- results ------------------------------------------------------------------------------- */

typedef struct outcome {
    char name[160];
    int points, ok;
    char detail[1400];
    char hint[400];
} outcome;

static void xml_text(FILE *f, const char *s) {
    for (; *s; s++) {
        if (*s == '<') fputs("&lt;", f);
        else if (*s == '>') fputs("&gt;", f);
        else if (*s == '&') fputs("&amp;", f);
        else if (*s == '"') fputs("&quot;", f);
        else fputc(*s, f);
    }
}

static int write_junit(const char *path, const char *lab, const outcome *o, int n) {
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    int failures = 0;
    for (int i = 0; i < n; i++) failures += !o[i].ok;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"");
    xml_text(f, lab);
    fprintf(f, "\" tests=\"%d\" failures=\"%d\">\n", n, failures);
    for (int i = 0; i < n; i++) {
        fprintf(f, "  <testcase classname=\"");
        xml_text(f, lab);
        fprintf(f, "\" name=\"");
        xml_text(f, o[i].name);
        fprintf(f, "\">");
        if (!o[i].ok) {
            fprintf(f, "<failure message=\"");
            xml_text(f, o[i].detail);
            if (o[i].hint[0]) {
                fprintf(f, " (hint: ");
                xml_text(f, o[i].hint);
                fprintf(f, ")");
            }
            fprintf(f, "\"/>");
        }
        fprintf(f, "</testcase>\n");
    }
    fprintf(f, "</testsuite>\n");
    return fclose(f) ? -1 : 0;
}

/* ---- the checks ------------------------------------------------------------------------------ */

static int delivery_ok(lua_State *L, int t, const grade_run *sub, char *detail, size_t n) {
    lua_getfield(L, t, "delivery");
    int list = lua_istable(L, -1);
    int ok = 1;
    size_t at = 0;
    detail[0] = '\0';
    for (int k = 0; k < sub->verdicts.n; k++) {
        const char *want = NULL;
        if (list) {
            lua_rawgeti(L, -1, k + 1);
            want = lua_tostring(L, -1);
            lua_pop(L, 1);
        } else {
            want = lua_tostring(L, -1);
        }
        const sim_check_verdict *v = &sub->verdicts.v[k];
        if (want && strcmp(want, v->verdict)) {
            ok = 0;
            at += (size_t)snprintf(detail + at, at < n ? n - at : 0, "%s%s: %s, %s expected (lost %ld, duplicated %ld, unexpected %ld)",
                                   at ? "; " : "", v->what, v->verdict, want, v->lost, v->duplicated, v->unexpected);
        }
    }
    if (sub->verdicts.n == 0) {
        snprintf(detail, n, "the submission has no output to check");
        ok = 0;
    }
    lua_pop(L, 1);
    return ok;
}

static int events_ok(lua_State *L, int t, const char *key, int is_max, const grade_run *sub, char *detail, size_t n) {
    if (lua_getfield(L, t, key) != LUA_TTABLE) {
        lua_pop(L, 1);
        return 1;
    }
    int tbl = lua_gettop(L), ok = 1;
    sim_lua_push_sorted_keys(L, tbl);
    for (lua_Integer i = 1; ok && lua_rawgeti(L, -1, i) != LUA_TNIL; i++) {
        const char *ev = lua_tostring(L, -1);
        lua_gettable(L, tbl);
        long bound = (long)lua_tointeger(L, -1), got = grade_event_count(sub, ev);
        lua_rawgeti(L, -2, i);
        ev = lua_tostring(L, -1);
        if (is_max ? got > bound : got < bound) {
            snprintf(detail, n, "%ld %s events, at %s %ld", got, ev, is_max ? "most" : "least", bound);
            ok = 0;
        }
        lua_pop(L, 2);
    }
    lua_settop(L, tbl - 1);
    return ok;
}

/* A fault plan without where each fault was declared. New reference. */
static json_t *plan_of(const grade_run *r) {
    json_t *plan = json_deep_copy(json_object_get(r->summary, "fault_plan"));
    size_t i;
    json_t *f;
    json_array_foreach(plan, i, f) json_object_del(f, "where");
    return plan;
}

static int faults_ok(const grade_run *sub, const grade_run *sol, char *detail, size_t n) {
    json_t *a = plan_of(sol), *b = plan_of(sub);
    int same = json_equal(a, b) || (!a && !b);
    if (same) {
        json_decref(a), json_decref(b);
        return 1;
    }
    char *ta = json_dumps(a, JSON_COMPACT | JSON_ENCODE_ANY), *tb = json_dumps(b, JSON_COMPACT | JSON_ENCODE_ANY);
    snprintf(detail, n, "the fault plan is not the lab's:\n          expected %.400s\n          got      %.400s",
             ta ? ta : "none", tb ? tb : "none");
    free(ta);
    free(tb);
    json_decref(a), json_decref(b);
    return 0;
}

/* Runs check t (a table at index t of sl's stack) against the runs. */
static void run_check(sim_lua *sl, int t, grade_run *sub, grade_run *sol, outcome *o) {
    lua_State *L = sl->L;
    snprintf(o->name, sizeof o->name, "%s", field_str(L, t, "name", "?"));
    snprintf(o->hint, sizeof o->hint, "%s", field_str(L, t, "hint", ""));
    o->points = (int)field_int(L, t, "points", 1);
    o->ok = 1;
    if (sub->error[0] && !sub->summary) { /* said once, above the checks */
        o->ok = 0;
        o->hint[0] = '\0';
        return;
    }
    int unordered = field_true(L, t, "unordered");
    if (lua_getfield(L, t, "output") != LUA_TNIL)
        o->ok &= grade_compare_batches(sub, sol, (int)lua_tointeger(L, -1), NULL, unordered, o->detail, sizeof o->detail);
    lua_pop(L, 1);
    const char *query = field_str(L, t, "query", NULL);
    if (o->ok && query) o->ok &= grade_compare_batches(sub, sol, -1, query, 1, o->detail, sizeof o->detail);
    if (o->ok && field_true(L, t, "faults_as_solution")) o->ok &= faults_ok(sub, sol, o->detail, sizeof o->detail);
    lua_getfield(L, t, "delivery");
    int has_delivery = !lua_isnil(L, -1);
    lua_pop(L, 1);
    if (o->ok && has_delivery) o->ok &= delivery_ok(L, t, sub, o->detail, sizeof o->detail);
    if (o->ok) o->ok &= events_ok(L, t, "max_events", 1, sub, o->detail, sizeof o->detail);
    if (o->ok) o->ok &= events_ok(L, t, "min_events", 0, sub, o->detail, sizeof o->detail);
    int has_test = lua_getfield(L, t, "test") == LUA_TFUNCTION;
    if (!has_test || !o->ok) lua_pop(L, 1);
    if (has_test && o->ok) {
        grade_push_run(L, sub);
        grade_push_run(L, sol);
        char err[1000];
        if (sim_lua_pcall(sl, 2, 2, err, sizeof err)) {
            snprintf(o->detail, sizeof o->detail, "the check's test raised an error: %s", err);
            o->ok = 0;
        } else {
            o->ok = lua_toboolean(L, -2);
            if (!o->ok)
                snprintf(o->detail, sizeof o->detail, "%s", lua_isstring(L, -1) ? lua_tostring(L, -1) : "the test says no");
            lua_pop(L, 2);
        }
    }
}

/* The student's answers: a sandboxed Lua file returning a table, left at
 * the top of its state's stack. */
static sim_lua *load_answers(const char *path, char *err, size_t n) {
    sim_lua_opts lo = {.seed = 0, .instructions_max = 10000000, .memory_max = (size_t)16 << 20, .script_path = path};
    sim_lua *sl = sim_lua_new(&lo, err, n);
    if (!sl) return NULL;
    int status = luaL_loadfilex(sl->L, path, "t");
    if (status != LUA_OK) {
        snprintf(err, n, "%s", lua_tostring(sl->L, -1));
        sim_lua_free(sl);
        return NULL;
    }
    if (sim_lua_pcall(sl, 0, 1, err, n)) {
        sim_lua_free(sl);
        return NULL;
    }
    if (!lua_istable(sl->L, -1)) {
        snprintf(err, n, "%s: the answers file must return a table, e.g. return { lost = 40 }", path);
        sim_lua_free(sl);
        return NULL;
    }
    return sl;
}

static void trim_lower(const char *s, char *out, size_t n) {
    while (*s == ' ' || *s == '\t' || *s == '\n') s++;
    size_t k = 0;
    for (; *s && k + 1 < n; s++) out[k++] = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
    while (k && (out[k - 1] == ' ' || out[k - 1] == '\t' || out[k - 1] == '\n')) k--;
    out[k] = '\0';
}

/* Writes the value at idx as text. */
static void value_text(lua_State *L, int idx, char *out, size_t n) {
    if (lua_isinteger(L, idx)) snprintf(out, n, "%lld", (long long)lua_tointeger(L, idx));
    else if (lua_type(L, idx) == LUA_TNUMBER) snprintf(out, n, "%.6g", lua_tonumber(L, idx));
    else if (lua_type(L, idx) == LUA_TSTRING) snprintf(out, n, "\"%s\"", lua_tostring(L, idx));
    else if (lua_type(L, idx) == LUA_TBOOLEAN) snprintf(out, n, "%s", lua_toboolean(L, idx) ? "true" : "false");
    else snprintf(out, n, "(a %s)", luaL_typename(L, idx));
}

static void run_question(sim_lua *sl, int t, grade_run *sol, sim_lua *answers, const char *answers_err, outcome *o) {
    lua_State *L = sl->L;
    const char *id = field_str(L, t, "id", "?");
    o->points = (int)field_int(L, t, "points", 1);
    snprintf(o->hint, sizeof o->hint, "%s", field_str(L, t, "text", ""));
    snprintf(o->name, sizeof o->name, "question %s", id);
    o->ok = 0;
    lua_getfield(L, t, "tolerance");
    double tol = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : 0;
    lua_pop(L, 1);
    lua_getfield(L, t, "answer");
    grade_push_run(L, sol);
    char err[1000];
    if (sim_lua_pcall(sl, 1, 1, err, sizeof err)) {
        snprintf(o->detail, sizeof o->detail, "the lab's answer function raised an error: %s", err);
        return;
    }
    char want[200], got[200] = "nothing";
    value_text(L, -1, want, sizeof want);
    if (!answers) {
        snprintf(o->detail, sizeof o->detail, "%s", answers_err);
        lua_pop(L, 1);
        return;
    }
    lua_State *A = answers->L;
    lua_getfield(A, -1, id);
    if (!lua_isnil(A, -1)) value_text(A, -1, got, sizeof got);
    if (lua_isnumber(L, -1) && lua_isnumber(A, -1) &&
        (lua_type(L, -1) == LUA_TNUMBER || lua_type(A, -1) == LUA_TNUMBER)) { /* 40 and "40" alike */
        o->ok = fabs(lua_tonumber(L, -1) - lua_tonumber(A, -1)) <= tol;
    } else if (lua_type(L, -1) == LUA_TSTRING && lua_type(A, -1) == LUA_TSTRING) {
        char a[200], b[200];
        trim_lower(lua_tostring(L, -1), a, sizeof a);
        trim_lower(lua_tostring(A, -1), b, sizeof b);
        o->ok = !strcmp(a, b);
    } else if (lua_type(L, -1) == LUA_TBOOLEAN && lua_type(A, -1) == LUA_TBOOLEAN) {
        o->ok = lua_toboolean(L, -1) == lua_toboolean(A, -1);
    }
    if (o->ok) snprintf(o->detail, sizeof o->detail, "%s", got);
    else if (tol > 0) snprintf(o->detail, sizeof o->detail, "answered %s, the engine says %s (within %g)", got, want, tol);
    else snprintf(o->detail, sizeof o->detail, "answered %s, the engine says %s", got, want);
    lua_pop(A, 1);
    lua_pop(L, 1);
}

int sim_grade(const char *self, const char *lab_dir, const char *submission, const char *answers_path,
              const char *junit) {
    char lab_path[1100], solution[1100];
    snprintf(lab_path, sizeof lab_path, "%s/lab.lua", lab_dir);
    snprintf(solution, sizeof solution, "%s/solution.lua", lab_dir);
    const char *need[] = {lab_path, solution, submission, answers_path};
    for (int i = 0; i < 4; i++)
        if (need[i] && !grade_is_file(need[i])) {
            fprintf(stderr, "streamlab grade: %s: no such file%s\n", need[i], i < 2 ? " (is LAB a lab's folder?)" : "");
            return SIM_EXIT_USAGE;
        }
    /* the lab */
    char err[1200];
    sim_lua_opts lo = {.seed = 0, .script_path = lab_path};
    sim_lua *sl = sim_lua_new(&lo, err, sizeof err);
    if (!sl) {
        fprintf(stderr, "streamlab grade: %s\n", err);
        return SIM_EXIT_USAGE;
    }
    lua_State *L = sl->L;
    lua_newtable(L), lua_setfield(L, LUA_REGISTRYINDEX, "streamlab.checks");
    lua_newtable(L), lua_setfield(L, LUA_REGISTRYINDEX, "streamlab.questions");
    lua_register(L, "lab", api_lab);
    lua_register(L, "check", api_check);
    lua_register(L, "question", api_question);
    if (sim_lua_run_file(sl, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        sim_lua_free(sl);
        return SIM_EXIT_USAGE;
    }
    grade_opts o = {.instructions = GRADE_INSTRUCTIONS, .memory_mib = GRADE_MEMORY_MIB, .timeout_s = GRADE_TIMEOUT_S};
    const char *lab_name = lab_dir;
    if (lua_getfield(L, LUA_REGISTRYINDEX, "streamlab.lab") == LUA_TTABLE) {
        int t = lua_gettop(L);
        lab_name = field_str(L, t, "name", lab_dir);
        lua_Integer seed = field_int(L, t, "seed", -1);
        if (seed >= 0) snprintf(o.seed, sizeof o.seed, "%lld", (long long)seed);
        o.instructions = field_int(L, t, "instructions", o.instructions);
        o.memory_mib = (long)field_int(L, t, "memory", o.memory_mib);
        o.timeout_s = (int)field_int(L, t, "timeout", o.timeout_s);
    }
    int lab_idx = lua_gettop(L); /* keeps the lab table (and its strings) alive */
    lua_getfield(L, LUA_REGISTRYINDEX, "streamlab.checks");
    int checks = lua_gettop(L);
    lua_getfield(L, LUA_REGISTRYINDEX, "streamlab.questions");
    int questions = lua_gettop(L);
    int nchecks = (int)lua_rawlen(L, checks), nquestions = (int)lua_rawlen(L, questions);
    int sub_ref = 0;
    for (int i = 1; i <= nchecks; i++) {
        lua_rawgeti(L, checks, i);
        lua_getfield(L, -1, "delivery");
        sub_ref |= !lua_isnil(L, -1);
        lua_pop(L, 2);
    }
    /* the runs */
    char tmp[] = "/tmp/streamlab-grade-XXXXXX";
    if (!mkdtemp(tmp)) {
        fprintf(stderr, "streamlab grade: cannot make a folder in /tmp: %s\n", strerror(errno));
        sim_lua_free(sl);
        return SIM_EXIT_USAGE;
    }
    grade_run sub = {0}, sol = {0};
    if (grade_prepare(&sol, tmp, "solution", solution, lab_dir) || grade_prepare(&sub, tmp, "submission", submission, lab_dir)) {
        fprintf(stderr, "streamlab grade: cannot copy the lab's files into %s: %s\n", tmp, strerror(errno));
        sim_check_remove_tree(tmp);
        sim_lua_free(sl);
        return SIM_EXIT_USAGE;
    }
    sub.with_ref = sub_ref;
    sol.with_ref = nquestions > 0;
    char errs[4][700];
    snprintf(errs[0], sizeof errs[0], "%s/solution.err", tmp);
    snprintf(errs[1], sizeof errs[1], "%s/submission.err", tmp);
    snprintf(errs[2], sizeof errs[2], "%s/solution-ref.err", tmp);
    snprintf(errs[3], sizeof errs[3], "%s/submission-ref.err", tmp);
    pid_t pids[4] = {grade_spawn(self, sol.script, sol.out, 1, &o, errs[0]), grade_spawn(self, sub.script, sub.out, 1, &o, errs[1]),
                     sol.with_ref ? grade_spawn(self, sol.script, sol.ref, 0, &o, errs[2]) : -1,
                     sub.with_ref ? grade_spawn(self, sub.script, sub.ref, 0, &o, errs[3]) : -1};
    int st[4];
    grade_wait_all(pids, st, 4, o.timeout_s);
    sol.exit = st[0], sub.exit = st[1], sol.ref_exit = st[2], sub.ref_exit = st[3];
    if (sim_check_run_failed(sol.exit) || (sol.with_ref && sim_check_run_failed(sol.ref_exit))) {
        grade_why_failed(&sol, sim_check_run_failed(sol.exit) ? sol.exit : sol.ref_exit,
                   errs[sim_check_run_failed(sol.exit) ? 0 : 2], o.timeout_s);
        fprintf(stderr, "streamlab grade: the lab's solution does not run: %s\n", sol.error);
        sim_check_remove_tree(tmp);
        sim_lua_free(sl);
        return SIM_EXIT_USAGE;
    }
    if (sim_check_run_failed(sub.exit)) grade_why_failed(&sub, sub.exit, errs[1], o.timeout_s);
    else if (sub.with_ref && sim_check_run_failed(sub.ref_exit)) grade_why_failed(&sub, sub.ref_exit, errs[3], o.timeout_s);
    grade_load_run(&sol);
    grade_load_run(&sub);
    FILE *devnull = fopen("/dev/null", "w");
    if (sol.with_ref) {
        sim_check_runs_v("solution", sol.ref, sol.out, sol.exit, NULL, devnull, NULL, NULL, &sol.verdicts);
        sol.has_verdicts = 1;
    }
    if (sub.with_ref && sub.summary) {
        sim_check_runs_v("submission", sub.ref, sub.out, sub.exit, NULL, devnull, NULL, NULL, &sub.verdicts);
        sub.has_verdicts = 1;
    }
    if (devnull) fclose(devnull);
    /* the checks and the questions */
    int n = nchecks + nquestions;
    outcome *out = calloc((size_t)(n ? n : 1), sizeof *out);
    for (int i = 1; i <= nchecks; i++) {
        lua_rawgeti(L, checks, i);
        run_check(sl, lua_gettop(L), &sub, &sol, &out[i - 1]);
        lua_settop(L, questions);
    }
    sim_lua *answers = NULL;
    char answers_err[800] = "no answers given (--answers FILE)";
    if (nquestions && answers_path) answers = load_answers(answers_path, answers_err, sizeof answers_err);
    for (int i = 1; i <= nquestions; i++) {
        lua_rawgeti(L, questions, i);
        run_question(sl, lua_gettop(L), &sol, answers, answers_err, &out[nchecks + i - 1]);
        lua_settop(L, questions);
    }
    sim_lua_free(answers);
    /* the report */
    const char *seed_text = o.seed[0] ? o.seed : "the scenario's own";
    printf("streamlab grade: lab \"%s\" (%s), submission %s, seed %s\n", lab_name, lab_dir, submission, seed_text);
    /* a run that stopped with an error still told what it did up to then
     * (summary.json): its checks see that; one that never started, nothing */
    if (sub.error[0])
        printf("  the submission %s: %s\n", sub.summary ? "stopped early" : "did not run", sub.error);
    int score = 0, total = 0, failed = 0;
    for (int i = 0; i < n; i++) {
        total += out[i].points;
        score += out[i].ok ? out[i].points : 0;
        failed += !out[i].ok;
        printf("  %s  %-52s %d/%d\n", out[i].ok ? "PASS" : "FAIL", out[i].name, out[i].ok ? out[i].points : 0,
               out[i].points);
        if (i >= nchecks && out[i].hint[0]) printf("        %s\n", out[i].hint);
        if ((!out[i].ok || i >= nchecks) && out[i].detail[0]) printf("        %s\n", out[i].detail);
        if (!out[i].ok && i < nchecks && out[i].hint[0]) printf("        hint: %s\n", out[i].hint);
    }
    printf("score: %d/%d", score, total);
    if (failed) printf(" (%d of %d failed)", failed, n);
    printf("\n");
    int code = failed ? SIM_EXIT_EXPECTATIONS : SIM_EXIT_OK;
    if (junit && write_junit(junit, lab_name, out, n)) {
        fprintf(stderr, "streamlab grade: cannot write %s: %s\n", junit, strerror(errno));
        code = SIM_EXIT_USAGE;
    }
    (void)lab_idx;
    free(out);
    grade_run_free(&sol);
    grade_run_free(&sub);
    sim_check_remove_tree(tmp);
    sim_lua_free(sl);
    return code;
}
