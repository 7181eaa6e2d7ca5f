/* tests/unit/test_sandbox.c — the Lua sandbox from C: fixed iteration order,
 * no addresses in text, string.split, the seeded math.random, refused
 * globals, limits, and data paths confined to the scenario's folder. */
#include <criterion/criterion.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../sim/lua_sandbox.h"
#include "../../sim/run.h"

static sim_lua *new_sandbox(uint64_t seed, int64_t instructions, size_t memory) {
    char err[512];
    sim_lua_opts o = {.seed = seed, .instructions_max = instructions, .memory_max = memory,
                      .script_path = "tests/scenarios/bad/load.lua"};
    sim_lua *sl = sim_lua_new(&o, err, sizeof err);
    cr_assert_not_null(sl, "%s", err);
    return sl;
}

/* Runs chunk (named "@chunk.lua") and returns its single result as a string
 * (owned by the caller), or the error message prefixed with "ERROR: ". */
static char *eval(sim_lua *sl, const char *chunk) {
    char err[1024];
    if (luaL_loadbufferx(sl->L, chunk, strlen(chunk), "@chunk.lua", "t") != LUA_OK) {
        char *m = strdup(lua_tostring(sl->L, -1));
        lua_pop(sl->L, 1);
        return m;
    }
    if (sim_lua_pcall(sl, 0, 1, err, sizeof err)) {
        char *m = malloc(strlen(err) + 8);
        sprintf(m, "ERROR: %s", err);
        return m;
    }
    const char *s = lua_tostring(sl->L, -1);
    char *m = strdup(s ? s : "(not a string)");
    lua_pop(sl->L, 1);
    return m;
}

static void expect_eval(sim_lua *sl, const char *chunk, const char *want) {
    char *got = eval(sl, chunk);
    cr_expect_str_eq(got, want, "for: %s", chunk);
    free(got);
}

Test(sandbox, pairs_visits_numbers_then_strings_then_booleans) {
    sim_lua *sl = new_sandbox(1, 0, 0);
    expect_eval(sl,
                "local t = { b = 1, a = 2, [3] = 3, [1] = 4, c = 5, [true] = 6, [2.5] = 7, [false] = 8, [-4] = 9, ab = 10 }\n"
                "local out = {}\n"
                "for k, v in pairs(t) do out[#out + 1] = tostring(k) .. '=' .. v end\n"
                "return table.concat(out, ' ')",
                "-4=9 1=4 2.5=7 3=3 a=2 ab=10 b=1 c=5 false=8 true=6");
    sim_lua_free(sl);
}

Test(sandbox, pairs_order_does_not_depend_on_insertion_order) {
    sim_lua *sl = new_sandbox(1, 0, 0);
    const char *body = "local out = {}\n"
                       "for k in pairs(t) do out[#out + 1] = k end\n"
                       "return table.concat(out, ',')";
    char a[512], b[512];
    snprintf(a, sizeof a, "local t = {}\nfor i = 1, 50 do t['k' .. i] = i end\n%s", body);
    snprintf(b, sizeof b, "local t = {}\nfor i = 50, 1, -1 do t['k' .. i] = i end\n%s", body);
    char *x = eval(sl, a), *y = eval(sl, b);
    cr_expect_str_eq(x, y);
    cr_expect(strncmp(x, "k1,k10,k11,", 11) == 0, "%s", x);
    free(x);
    free(y);
    sim_lua_free(sl);
}

Test(sandbox, pairs_skips_keys_removed_during_the_loop) {
    sim_lua *sl = new_sandbox(1, 0, 0);
    expect_eval(sl,
                "local t = { a = 1, b = 2, c = 3 }\n"
                "local out = {}\n"
                "for k in pairs(t) do out[#out + 1] = k; t.b = nil end\n"
                "return table.concat(out, ',')",
                "a,c");
    sim_lua_free(sl);
}

Test(sandbox, next_walks_the_same_order_as_pairs) {
    sim_lua *sl = new_sandbox(1, 0, 0);
    expect_eval(sl,
                "local t = { z = 1, [2] = 2, y = 3, [1] = 4 }\n"
                "local out, k = {}, next(t)\n"
                "while k ~= nil do out[#out + 1] = tostring(k); k = next(t, k) end\n"
                "return table.concat(out, ',') .. '|' .. tostring(next({}))",
                "1,2,y,z|nil");
    sim_lua_free(sl);
}

Test(sandbox, text_never_shows_an_address) {
    sim_lua *sl = new_sandbox(1, 0, 0);
    expect_eval(sl, "return tostring({}) .. ' ' .. tostring(print) .. ' ' .. string.format('%s|%5s', {}, print)",
                "table function table|function");
    expect_eval(sl, "return tostring(setmetatable({}, { __tostring = function() return 'mine' end }))", "mine");
    expect_eval(sl, "return tostring(setmetatable({}, { __name = 'Thing' }))", "Thing");
    expect_eval(sl, "return string.format('%d %s %.2f %5.1f%%', 3, 'x', 1.5, 2.25)", "3 x 1.50   2.2%");
    char *e = eval(sl, "return string.format('%p', {})");
    cr_expect(strstr(e, "ERROR: chunk.lua:1: string.format: '%p' would print an address") == e, "%s", e);
    free(e);
    sim_lua_free(sl);
}

Test(sandbox, print_writes_type_names_not_addresses) {
    char err[512];
    FILE *f = tmpfile();
    sim_lua_opts o = {.seed = 1, .script_path = "tests/scenarios/bad/load.lua", .out = f};
    sim_lua *sl = sim_lua_new(&o, err, sizeof err);
    cr_assert_not_null(sl);
    char *r = eval(sl, "print({}, 1, 'two', nil, true, 2.5) return 'ok'");
    cr_expect_str_eq(r, "ok");
    free(r);
    char buf[256] = {0};
    rewind(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    cr_expect_str_eq(buf, "table\t1\ttwo\tnil\ttrue\t2.5\n");
    fclose(f);
    sim_lua_free(sl);
}

Test(sandbox, string_split_keeps_empty_pieces) {
    sim_lua *sl = new_sandbox(1, 0, 0);
    const char *join = "local p = %s\nreturn #p .. ':' .. table.concat(p, '|')";
    struct {
        const char *call, *want;
    } cases[] = {
        {"('a b  c'):split(' ')", "4:a|b||c"},
        {"('a,,b'):split(',')", "3:a||b"},
        {"(''):split(',')", "1:"},
        {"('abc'):split('')", "3:a|b|c"},
        {"('a::b::'):split('::')", "3:a|b|"},
        {"string.split('x y')", "2:x|y"},
        {"('no separator'):split(';')", "1:no separator"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char chunk[256];
        snprintf(chunk, sizeof chunk, join, cases[i].call);
        expect_eval(sl, chunk, cases[i].want);
    }
    sim_lua_free(sl);
}

Test(sandbox, math_random_follows_the_seed) {
    const char *draw = "local out = {}\n"
                       "for i = 1, 8 do out[i] = math.random(1, 1000) end\n"
                       "return table.concat(out, ',')";
    sim_lua *a = new_sandbox(42, 0, 0), *b = new_sandbox(42, 0, 0), *c = new_sandbox(43, 0, 0);
    char *x = eval(a, draw), *y = eval(b, draw), *z = eval(c, draw);
    cr_expect_str_eq(x, y);
    cr_expect_str_neq(x, z);
    free(x);
    free(y);
    free(z);
    expect_eval(a,
                "for i = 1, 10000 do\n"
                "  local f, n, m = math.random(), math.random(6), math.random(-3, 3)\n"
                "  if f < 0 or f >= 1 or n < 1 or n > 6 or m < -3 or m > 3 or math.type(n) ~= 'integer' then\n"
                "    return 'out of range' end\n"
                "end\n"
                "return 'ok'",
                "ok");
    char *e = eval(a, "return math.random(3, 1)");
    cr_expect_str_eq(e, "ERROR: chunk.lua:1: math.random: interval is empty");
    free(e);
    sim_lua_free(a);
    sim_lua_free(b);
    sim_lua_free(c);
}

Test(sandbox, only_base_table_string_math) {
    sim_lua *sl = new_sandbox(1, 0, 0);
    expect_eval(sl,
                "return tostring(io) .. tostring(os) .. tostring(debug) .. tostring(package) .. "
                "tostring(coroutine) .. tostring(utf8)",
                "nilnilnilnilnilnil");
    expect_eval(sl, "return type(table.concat) .. type(string.gsub) .. type(math.floor) .. type(setmetatable)",
                "functionfunctionfunctionfunction");
    char *e = eval(sl, "return string.dump(print)");
    cr_expect_str_eq(e, "ERROR: chunk.lua:1: string.dump is not available in a scenario: scenarios cannot dump or load bytecode");
    free(e);
    e = eval(sl, "return collectgarbage('count')");
    cr_expect_str_eq(e, "ERROR: chunk.lua:1: collectgarbage(\"count\") is not available in a scenario (only \"collect\" "
                        "and \"step\")");
    free(e);
    sim_lua_free(sl);
}

Test(sandbox, instruction_budget_stops_a_loop_and_names_the_line) {
    sim_lua *sl = new_sandbox(1, 100000, 0);
    char *e = eval(sl, "local n = 0\nwhile true do\n  n = n + 1\nend");
    cr_expect(strstr(e, "ERROR: chunk.lua:") == e, "%s", e);
    cr_expect(strstr(e, "instruction budget of 100000 Lua instructions exhausted") != NULL, "%s", e);
    free(e);
    sim_lua_free(sl);
}

Test(sandbox, memory_cap_stops_a_bomb_and_names_the_line) {
    sim_lua *sl = new_sandbox(1, 0, 8u << 20);
    char *e = eval(sl, "local t = {}\nfor i = 1, 1e9 do\n  t[i] = { i }\nend");
    cr_expect_str_eq(e, "ERROR: chunk.lua:3: memory limit of 8 MiB exceeded");
    free(e);
    /* The state survives for cleanup and further small work. */
    expect_eval(sl, "collectgarbage() return 'alive'", "alive");
    sim_lua_free(sl);
}

/* ---- data paths --------------------------------------------------------------------- */

Test(sandbox, data_paths_stay_in_the_scenario_folder) {
    char dir[] = "/tmp/streamlab-paths-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char p[512], real_dir[4096];
    snprintf(p, sizeof p, "%s/data", dir);
    cr_assert_eq(mkdir(p, 0777), 0);
    snprintf(p, sizeof p, "%s/data/log.txt", dir);
    FILE *f = fopen(p, "w");
    fputs("x\n", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/data/escape", dir);
    cr_assert_eq(symlink("/etc", p), 0);
    snprintf(p, sizeof p, "%s/main.lua", dir);
    cr_assert_not_null(realpath(dir, real_dir));

    char err[512], out[4096];
    sim_lua_opts o = {.seed = 1, .script_path = p};
    sim_lua *sl = sim_lua_new(&o, err, sizeof err);
    cr_assert_not_null(sl, "%s", err);

    cr_expect_eq(sim_lua_resolve_path(sl, "data/log.txt", out, sizeof out, err, sizeof err), 0, "%s", err);
    char want[4200];
    snprintf(want, sizeof want, "%s/data/log.txt", real_dir);
    cr_expect_str_eq(out, want);
    cr_expect_eq(sim_lua_resolve_path(sl, "./data/./log.txt", out, sizeof out, err, sizeof err), 0, "%s", err);

    cr_expect_eq(sim_lua_resolve_path(sl, "/etc/passwd", out, sizeof out, err, sizeof err), -1);
    cr_expect_str_eq(err, "data path \"/etc/passwd\" is absolute: name it relative to the scenario's folder");
    cr_expect_eq(sim_lua_resolve_path(sl, "data/../../x", out, sizeof out, err, sizeof err), -1);
    cr_expect_str_eq(err, "data path \"data/../../x\" leaves the scenario's folder (\"..\" is not allowed)");
    cr_expect_eq(sim_lua_resolve_path(sl, "data/escape/passwd", out, sizeof out, err, sizeof err), -1);
    cr_expect_str_eq(err, "data path \"data/escape/passwd\" resolves outside the scenario's folder (a symbolic link?)");
    cr_expect_eq(sim_lua_resolve_path(sl, "data/missing.txt", out, sizeof out, err, sizeof err), -1);
    cr_expect(strncmp(err, "data path \"data/missing.txt\": No such file or directory", 55) == 0, "%s", err);
    sim_lua_free(sl);
}

/* ---- the determinism checker's diff --------------------------------------------------- */

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

Test(determinism, trace_diff_names_the_first_diverging_event) {
    char a[] = "/tmp/streamlab-diff-a-XXXXXX", b[] = "/tmp/streamlab-diff-b-XXXXXX";
    close(mkstemp(a));
    close(mkstemp(b));
    const char *head = "{\"trace\":\"streamlab\",\"schema_version\":1}\n{\"t_us\":0,\"ev\":\"run_start\"}\n";
    char ta[512], tb[512];
    snprintf(ta, sizeof ta, "%s{\"t_us\":1000,\"ev\":\"message_send\",\"deliver_us\":2000}\n{\"t_us\":5}\n", head);
    snprintf(tb, sizeof tb, "%s{\"t_us\":1000,\"ev\":\"message_send\",\"deliver_us\":2100}\n{\"t_us\":5}\n", head);
    write_text(a, ta);
    write_text(b, tb);
    FILE *out = tmpfile();
    cr_expect_eq(sim_trace_diff(a, b, out), 3);
    char buf[1024] = {0};
    rewind(out);
    buf[fread(buf, 1, sizeof buf - 1, out)] = '\0';
    cr_expect_str_eq(buf, "first divergence at trace event 2 (line 3 of the trace):\n"
                          "  run 1: {\"t_us\":1000,\"ev\":\"message_send\",\"deliver_us\":2000}\n"
                          "  run 2: {\"t_us\":1000,\"ev\":\"message_send\",\"deliver_us\":2100}\n");
    fclose(out);
    /* Equal files: no divergence. A shorter trace diverges where it ends. */
    write_text(b, ta);
    cr_expect_eq(sim_trace_diff(a, b, stderr), 0);
    write_text(b, head);
    out = tmpfile();
    cr_expect_eq(sim_trace_diff(a, b, out), 3);
    fclose(out);
    unlink(a);
    unlink(b);
}
