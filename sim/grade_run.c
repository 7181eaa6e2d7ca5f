/* sim/grade_run.c — see grade_run.h. */
#include "grade_run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <lauxlib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- files and processes ------------------------------------------------------------------- */

/* Copies src into dst (n bytes), cut if longer. */
void grade_set_str(char *dst, size_t n, const char *src) {
    size_t len = strlen(src);
    if (len >= n) len = n - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

static int copy_file(const char *from, const char *to) {
    FILE *in = fopen(from, "rb");
    if (!in) return -1;
    FILE *out = fopen(to, "wb");
    if (!out) {
        fclose(in);
        return -1;
    }
    char buf[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n) rc = -1;
    if (ferror(in)) rc = -1;
    fclose(in);
    if (fclose(out)) rc = -1;
    return rc;
}

/* Copies the folder from (files and folders; links are not followed) into to. */
static int copy_tree(const char *from, const char *to) {
    if (mkdir(to, 0755) && errno != EEXIST) return -1;
    DIR *d = opendir(from);
    if (!d) return -1;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char a[2048], b[2048];
        snprintf(a, sizeof a, "%s/%s", from, e->d_name);
        snprintf(b, sizeof b, "%s/%s", to, e->d_name);
        struct stat st;
        if (lstat(a, &st)) rc = -1;
        else if (S_ISDIR(st.st_mode)) rc = copy_tree(a, b);
        else if (S_ISREG(st.st_mode)) rc = copy_file(a, b);
    }
    closedir(d);
    return rc;
}

int grade_is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Starts `self run script --quiet --out out [--no-faults] [--seed s]` with
 * the limits, stdout to /dev/null and stderr to err_path. */
pid_t grade_spawn(const char *self, const char *script, const char *out, int faults, const grade_opts *o,
                       const char *err_path) {
    char instr[32], mem[32];
    snprintf(instr, sizeof instr, "%lld", o->instructions);
    snprintf(mem, sizeof mem, "%ld", o->memory_mib);
    const char *argv[16];
    int n = 0;
    argv[n++] = self, argv[n++] = "run", argv[n++] = script, argv[n++] = "--quiet", argv[n++] = "--out";
    argv[n++] = out, argv[n++] = "--lua-instructions", argv[n++] = instr, argv[n++] = "--lua-memory", argv[n++] = mem;
    if (!faults) argv[n++] = "--no-faults";
    if (o->seed[0]) argv[n++] = "--seed", argv[n++] = o->seed;
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY), err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (devnull < 0 || err < 0 || dup2(devnull, 1) < 0 || dup2(err, 2) < 0) _exit(127);
        execv(self, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

static double monotonic_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Waits for the children (pid < 0: none), killing those still running after
 * timeout_s seconds: their status is then 128 + SIGKILL. */
void grade_wait_all(pid_t *pids, int *status, int n, int timeout_s) {
    double deadline = monotonic_s() + timeout_s;
    int left = 0;
    for (int i = 0; i < n; i++) {
        status[i] = pids[i] < 0 ? -1 : 0;
        left += pids[i] >= 0;
    }
    int killed = 0;
    while (left > 0) {
        for (int i = 0; i < n; i++) {
            if (pids[i] < 0) continue;
            int st;
            pid_t r = waitpid(pids[i], &st, killed ? 0 : WNOHANG);
            if (r == pids[i] || (r < 0 && errno != EINTR)) {
                status[i] = r < 0 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
                pids[i] = -1;
                left--;
            }
        }
        if (left > 0 && !killed && monotonic_s() > deadline) {
            for (int i = 0; i < n; i++)
                if (pids[i] >= 0) kill(pids[i], SIGKILL);
            killed = 1;
        }
        if (left > 0 && !killed) usleep(10000);
    }
}

/* The first line of a run's stderr that says something, in out. */
static void first_error(const char *err_path, char *out, size_t n) {
    out[0] = '\0';
    FILE *f = fopen(err_path, "r");
    if (!f) return;
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0]) {
            grade_set_str(out, n, line);
            break;
        }
    }
    fclose(f);
}

void grade_why_failed(grade_run *r, int status, const char *err_path, int timeout_s) {
    char raw[700], line[1400];
    first_error(err_path, raw, sizeof raw);
    /* the copy's path is a temporary folder: name the file as given */
    const char *at = strstr(raw, r->script);
    if (at)
        snprintf(line, sizeof line, "%.*s%s%s", (int)(at - raw), raw, r->given, at + strlen(r->script));
    else
        grade_set_str(line, sizeof line, raw);
    if (status == 128 + SIGKILL)
        snprintf(r->error, sizeof r->error, "stopped after %d s of wall-clock time%s%s", timeout_s, line[0] ? ": " : "",
                 line);
    else if (line[0])
        grade_set_str(r->error, sizeof r->error, line);
    else
        snprintf(r->error, sizeof r->error, "it exited with status %d", status);
}

/* ---- a run's results ------------------------------------------------------------------------ */

void grade_load_run(grade_run *r) {
    char path[700];
    snprintf(path, sizeof path, "%s/summary.json", r->out);
    r->summary = json_load_file(path, 0, NULL);
    r->lines = json_array();
    snprintf(path, sizeof path, "%s/results.jsonl", r->out);
    FILE *f = fopen(path, "r");
    if (!f) return;
    json_error_t e;
    json_t *x;
    while ((x = json_loadf(f, JSON_DISABLE_EOF_CHECK, &e))) json_array_append_new(r->lines, x);
    fclose(f);
}

/* The lines of output o (query < 0) or of query `name`. New reference. */
static json_t *batches_of(const grade_run *r, int output, const char *query) {
    json_t *out = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(r->lines, i, x) {
        json_t *o = json_object_get(x, "output"), *q = json_object_get(x, "query");
        if (query ? q && json_is_string(q) && !strcmp(json_string_value(q), query)
                  : json_is_integer(o) && json_integer_value(o) == output)
            json_array_append(out, x);
    }
    return out;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The items of a batch as compact JSON, sorted when unordered; malloc'd. */
static char *items_text(json_t *items, int unordered) {
    size_t n = json_array_size(items);
    char **v = calloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = json_dumps(json_array_get(items, i), JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    if (unordered) qsort(v, n, sizeof *v, cmp_str);
    size_t len = 3;
    for (size_t i = 0; i < n; i++) len += strlen(v[i]) + 2;
    char *s = malloc(len);
    size_t at = 0;
    s[at++] = '[';
    for (size_t i = 0; i < n; i++) {
        at += (size_t)sprintf(s + at, "%s%s", i ? ", " : "", v[i]);
        free(v[i]);
    }
    s[at++] = ']';
    s[at] = '\0';
    free(v);
    return s;
}

static void clip(char *s) {
    if (strlen(s) > GRADE_TEXT_MAX) strcpy(s + GRADE_TEXT_MAX - 3, "...");
}

/* Compares the submission's batches of an output or a query with the
 * solution's; on the first difference writes it to detail and returns 0. */
int grade_compare_batches(const grade_run *sub, const grade_run *sol, int output, const char *query, int unordered,
                           char *detail, size_t n) {
    json_t *a = batches_of(sol, output, query), *b = batches_of(sub, output, query);
    const char *items = query ? "rows" : "records";
    char what[128];
    if (query) snprintf(what, sizeof what, "query %s", query);
    else snprintf(what, sizeof what, "output %d", output);
    size_t na = json_array_size(a), nb = json_array_size(b);
    int ok = 1;
    for (size_t k = 0; ok && k < (na > nb ? na : nb); k++) {
        json_t *x = json_array_get(a, k), *y = json_array_get(b, k);
        json_t *key = json_object_get(x ? x : y, query ? "batch_id" : "time_ms");
        char batch[64];
        snprintf(batch, sizeof batch, query ? "batch %lld" : "batch %lld ms", (long long)json_integer_value(key));
        if (!x || !y) {
            snprintf(detail, n, "%s: the solution wrote %zu batches, the submission %zu; %s is %s", what, na, nb, batch,
                     x ? "missing" : "extra");
            ok = 0;
            break;
        }
        if (!json_equal(json_object_get(x, query ? "batch_id" : "time_ms"), json_object_get(y, query ? "batch_id" : "time_ms"))) {
            snprintf(detail, n, "%s: batch %zu of the solution is at %lld, of the submission at %lld", what, k + 1,
                     (long long)json_integer_value(json_object_get(x, query ? "batch_id" : "time_ms")),
                     (long long)json_integer_value(json_object_get(y, query ? "batch_id" : "time_ms")));
            ok = 0;
            break;
        }
        char *ta = items_text(json_object_get(x, items), unordered), *tb = items_text(json_object_get(y, items), unordered);
        if (strcmp(ta, tb)) {
            clip(ta), clip(tb);
            snprintf(detail, n, "%s, %s%s:\n          expected %s\n          got      %s", what, batch,
                     unordered ? " (in any order)" : "", ta, tb);
            ok = 0;
        }
        free(ta);
        free(tb);
    }
    if (ok && na == 0) {
        snprintf(detail, n, "%s: the solution wrote nothing there; is the lab's output index right?", what);
        ok = 0;
    }
    json_decref(a);
    json_decref(b);
    return ok;
}

long grade_event_count(const grade_run *r, const char *name) {
    json_t *c = json_object_get(json_object_get(r->summary, "event_counts"), name);
    return json_is_integer(c) ? (long)json_integer_value(c) : 0;
}

/* ---- runs as Lua tables ---------------------------------------------------------------------- */

static void push_json(lua_State *L, json_t *j) {
    size_t i;
    const char *k;
    json_t *v;
    luaL_checkstack(L, 4, "json");
    switch (json_typeof(j)) {
    case JSON_OBJECT:
        lua_newtable(L);
        json_object_foreach(j, k, v) {
            push_json(L, v);
            lua_setfield(L, -2, k);
        }
        break;
    case JSON_ARRAY:
        lua_createtable(L, (int)json_array_size(j), 0);
        json_array_foreach(j, i, v) {
            push_json(L, v);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        break;
    case JSON_STRING: lua_pushlstring(L, json_string_value(j), json_string_length(j)); break;
    case JSON_INTEGER: lua_pushinteger(L, (lua_Integer)json_integer_value(j)); break;
    case JSON_REAL: lua_pushnumber(L, json_real_value(j)); break;
    case JSON_TRUE: lua_pushboolean(L, 1); break;
    case JSON_FALSE: lua_pushboolean(L, 0); break;
    default: lua_pushnil(L); break;
    }
}

/* run = { outputs = {[0] = {{time_ms, records}, ...}}, queries = {name = {batches, progress}},
 *         events = {name = n}, summary = ..., check = {[0] = {verdict, lost, ...}} } */
void grade_push_run(lua_State *L, const grade_run *r) {
    lua_newtable(L);
    lua_newtable(L); /* outputs */
    size_t i;
    json_t *x;
    json_array_foreach(r->lines, i, x) {
        json_t *o = json_object_get(x, "output");
        if (!json_is_integer(o)) continue;
        lua_Integer idx = (lua_Integer)json_integer_value(o);
        if (lua_rawgeti(L, -1, idx) == LUA_TNIL) {
            lua_pop(L, 1);
            lua_newtable(L);
            lua_pushvalue(L, -1);
            lua_rawseti(L, -3, idx);
        }
        lua_newtable(L);
        push_json(L, json_object_get(x, "time_ms"));
        lua_setfield(L, -2, "time_ms");
        push_json(L, json_object_get(x, "records"));
        lua_setfield(L, -2, "records");
        lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
        lua_pop(L, 1);
    }
    lua_setfield(L, -2, "outputs");
    lua_newtable(L); /* queries */
    json_t *q;
    json_array_foreach(json_object_get(r->summary, "queries"), i, q) {
        const char *name = json_string_value(json_object_get(q, "name"));
        if (!name) continue;
        lua_newtable(L);
        push_json(L, json_object_get(q, "progress"));
        lua_setfield(L, -2, "progress");
        lua_newtable(L);
        size_t k;
        json_array_foreach(r->lines, k, x) {
            json_t *qn = json_object_get(x, "query");
            if (!json_is_string(qn) || strcmp(json_string_value(qn), name)) continue;
            push_json(L, x);
            lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
        }
        lua_setfield(L, -2, "batches");
        lua_setfield(L, -2, name);
    }
    lua_setfield(L, -2, "queries");
    push_json(L, json_object_get(r->summary, "event_counts"));
    lua_setfield(L, -2, "events");
    push_json(L, r->summary);
    lua_setfield(L, -2, "summary");
    if (r->has_verdicts) {
        lua_newtable(L);
        for (int k = 0; k < r->verdicts.n; k++) {
            const sim_check_verdict *v = &r->verdicts.v[k];
            lua_newtable(L);
            lua_pushstring(L, v->verdict), lua_setfield(L, -2, "verdict");
            lua_pushstring(L, v->what), lua_setfield(L, -2, "what");
            lua_pushinteger(L, v->records), lua_setfield(L, -2, "records");
            lua_pushinteger(L, v->lost), lua_setfield(L, -2, "lost");
            lua_pushinteger(L, v->duplicated), lua_setfield(L, -2, "duplicated");
            lua_pushinteger(L, v->unexpected), lua_setfield(L, -2, "unexpected");
            lua_rawseti(L, -2, k);
        }
        lua_setfield(L, -2, "check");
    }
}

/* ---- grade ----------------------------------------------------------------------------------- */

static const char *base_name(const char *p) {
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

int grade_prepare(grade_run *r, const char *tmp, const char *what, const char *script, const char *lab_dir) {
    r->what = what;
    r->given = script;
    snprintf(r->dir, sizeof r->dir, "%s/%s", tmp, what);
    if (mkdir(r->dir, 0755)) return -1;
    char data[1100], to[1100];
    snprintf(data, sizeof data, "%s/data", lab_dir);
    snprintf(to, sizeof to, "%s/data", r->dir);
    struct stat st;
    if (stat(data, &st) == 0 && S_ISDIR(st.st_mode) && copy_tree(data, to)) return -1;
    snprintf(r->script, sizeof r->script, "%s/%s", r->dir, base_name(script));
    snprintf(r->out, sizeof r->out, "%s/out", r->dir);
    snprintf(r->ref, sizeof r->ref, "%s/ref", r->dir);
    return copy_file(script, r->script);
}

void grade_run_free(grade_run *r) {
    json_decref(r->lines);
    json_decref(r->summary);
    r->lines = r->summary = NULL;
}
