/* tests/unit/test_storage.c — the world's durable storage. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../sim/storage.h"

static void expect_file(const sim_storage *s, const char *path, const char *want, size_t want_len) {
    const void *bytes = NULL;
    size_t len = 12345;
    cr_assert_eq(sim_storage_get(s, path, &bytes, &len), ENG_STORAGE_OK, "get %s", path);
    cr_assert_eq(len, want_len, "%s: len %zu, want %zu", path, len, want_len);
    if (want_len) cr_assert_eq(memcmp(bytes, want, want_len), 0, "%s: bytes differ", path);
}

static void expect_missing(const sim_storage *s, const char *path) {
    const void *bytes = (const void *)0x1;
    size_t len = 777;
    cr_assert_eq(sim_storage_get(s, path, &bytes, &len), ENG_STORAGE_NOT_FOUND, "%s should be missing", path);
    cr_assert_eq(bytes, (const void *)0x1, "outputs untouched on NOT_FOUND");
    cr_assert_eq(len, 777);
}

Test(storage, put_then_get_returns_a_copy) {
    sim_storage s;
    sim_storage_init(&s, 0, 0);
    char buf[] = "hello";
    cr_assert_eq(sim_storage_put(&s, "a/b", buf, 5), ENG_STORAGE_OK);
    buf[0] = 'J'; /* the storage copied the bytes */
    expect_file(&s, "a/b", "hello", 5);
    cr_assert_eq(s.count, 1);
    cr_assert_eq(s.bytes_total, 5);
    sim_storage_fini(&s);
}

Test(storage, get_missing_is_not_found) {
    sim_storage s;
    sim_storage_init(&s, 0, 0);
    expect_missing(&s, "nothing");
    cr_assert_eq(sim_storage_put(&s, "ckpt/a", "x", 1), ENG_STORAGE_OK);
    expect_missing(&s, "ckpt");
    expect_missing(&s, "ckpt/");
    expect_missing(&s, "ckpt/a/");
    expect_missing(&s, "ckpt/b");
    expect_missing(&s, "");
    sim_storage_fini(&s);
}

Test(storage, overwrite_replaces_bytes_and_adjusts_total) {
    sim_storage s;
    sim_storage_init(&s, 0, 0);
    cr_assert_eq(sim_storage_put(&s, "f", "0123456789", 10), ENG_STORAGE_OK);
    cr_assert_eq(sim_storage_put(&s, "g", "abc", 3), ENG_STORAGE_OK);
    cr_assert_eq(s.bytes_total, 13);
    cr_assert_eq(sim_storage_put(&s, "f", "xy", 2), ENG_STORAGE_OK);
    expect_file(&s, "f", "xy", 2);
    expect_file(&s, "g", "abc", 3);
    cr_assert_eq(s.count, 2);
    cr_assert_eq(s.bytes_total, 5);
    cr_assert_eq(sim_storage_put(&s, "f", "a longer one", 12), ENG_STORAGE_OK);
    expect_file(&s, "f", "a longer one", 12);
    cr_assert_eq(s.bytes_total, 15);
    sim_storage_fini(&s);
}

typedef struct listing {
    char paths[32][64];
    size_t n;
} listing;

static void collect(void *ud, const char *path) {
    listing *l = ud;
    cr_assert_lt(l->n, 32);
    snprintf(l->paths[l->n++], sizeof l->paths[0], "%s", path);
}

Test(storage, list_is_bytewise_lexicographic_within_prefix) {
    sim_storage s;
    sim_storage_init(&s, 0, 0);
    /* scrambled insertion order; names where byte order differs from
     * "natural" order (numbers, case, '-' < '/' < '0' < 'A' < '_' < 'a', bytes >= 0x80) */
    const char *paths[] = {
        "ckpt/checkpoint-3000", "wal/0", "ckpt/checkpoint-10000", "ckpt/b", "ckpt/B", "ckpt/checkpoint-2000",
        "ckpt", "ckpt/_tmp", "ckpt/\xc3\xa9t\xc3\xa9", "ckpt/checkpoint-1000", "ckpt-x", "ckpt/a/deep",
        "ckpt/", "ckpz", "ckp",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        cr_assert_eq(sim_storage_put(&s, paths[i], paths[i], strlen(paths[i])), ENG_STORAGE_OK);

    listing l = {0};
    size_t n = sim_storage_list(&s, "ckpt/", collect, &l);
    const char *want[] = {
        "ckpt/",
        "ckpt/B",
        "ckpt/_tmp",
        "ckpt/a/deep",
        "ckpt/b",
        "ckpt/checkpoint-1000",
        "ckpt/checkpoint-10000",
        "ckpt/checkpoint-2000",
        "ckpt/checkpoint-3000",
        "ckpt/\xc3\xa9t\xc3\xa9",
    };
    size_t nw = sizeof want / sizeof want[0];
    cr_assert_eq(n, nw, "list returned %zu", n);
    cr_assert_eq(l.n, nw);
    for (size_t i = 0; i < nw; i++) cr_assert_str_eq(l.paths[i], want[i], "position %zu", i);

    /* prefix "ckpt" also takes "ckpt", "ckpt-x" and everything under "ckpt/" */
    listing l2 = {0};
    cr_assert_eq(sim_storage_list(&s, "ckpt", collect, &l2), nw + 2);
    cr_assert_str_eq(l2.paths[0], "ckpt");
    cr_assert_str_eq(l2.paths[1], "ckpt-x");
    cr_assert_str_eq(l2.paths[2], "ckpt/");

    /* empty prefix: everything, in order */
    listing all = {0};
    cr_assert_eq(sim_storage_list(&s, "", collect, &all), sizeof paths / sizeof paths[0]);
    for (size_t i = 1; i < all.n; i++)
        cr_assert_lt(strcmp(all.paths[i - 1], all.paths[i]), 0, "%s before %s", all.paths[i - 1], all.paths[i]);
    cr_assert_str_eq(all.paths[0], "ckp");
    cr_assert_str_eq(all.paths[all.n - 1], "wal/0");

    /* no match; and counting without a callback */
    cr_assert_eq(sim_storage_list(&s, "zzz", collect, &l), 0);
    cr_assert_eq(sim_storage_list(&s, "ckpt/checkpoint-", NULL, NULL), 4);
    cr_assert_eq(sim_storage_list(&s, "wal/", NULL, NULL), 1);
    sim_storage_fini(&s);
}

Test(storage, delete_removes_only_that_path) {
    sim_storage s;
    sim_storage_init(&s, 0, 0);
    cr_assert_eq(sim_storage_put(&s, "a", "1", 1), ENG_STORAGE_OK);
    cr_assert_eq(sim_storage_put(&s, "b", "22", 2), ENG_STORAGE_OK);
    cr_assert_eq(sim_storage_put(&s, "c", "333", 3), ENG_STORAGE_OK);
    cr_assert_eq(sim_storage_delete(&s, "b"), ENG_STORAGE_OK);
    expect_missing(&s, "b");
    expect_file(&s, "a", "1", 1);
    expect_file(&s, "c", "333", 3);
    cr_assert_eq(s.count, 2);
    cr_assert_eq(s.bytes_total, 4);
    cr_assert_eq(sim_storage_delete(&s, "b"), ENG_STORAGE_NOT_FOUND);
    cr_assert_eq(sim_storage_delete(&s, "zz"), ENG_STORAGE_NOT_FOUND);
    cr_assert_eq(s.count, 2);
    cr_assert_eq(s.bytes_total, 4);
    cr_assert_eq(sim_storage_delete(&s, "a"), ENG_STORAGE_OK);
    cr_assert_eq(sim_storage_delete(&s, "c"), ENG_STORAGE_OK);
    cr_assert_eq(s.count, 0);
    cr_assert_eq(s.bytes_total, 0);
    cr_assert_eq(sim_storage_list(&s, "", NULL, NULL), 0);
    sim_storage_fini(&s);
}

Test(storage, rename_replaces_target_atomically) {
    sim_storage s;
    sim_storage_init(&s, 0, 0);
    cr_assert_eq(sim_storage_put(&s, "ckpt/tmp-1", "new contents", 12), ENG_STORAGE_OK);
    cr_assert_eq(sim_storage_put(&s, "ckpt/checkpoint", "old", 3), ENG_STORAGE_OK);
    cr_assert_eq(sim_storage_put(&s, "other", "zz", 2), ENG_STORAGE_OK);
    cr_assert_eq(s.bytes_total, 17);
    cr_assert_eq(sim_storage_rename(&s, "ckpt/tmp-1", "ckpt/checkpoint"), ENG_STORAGE_OK);
    expect_missing(&s, "ckpt/tmp-1");
    expect_file(&s, "ckpt/checkpoint", "new contents", 12);
    expect_file(&s, "other", "zz", 2);
    cr_assert_eq(s.count, 2);
    cr_assert_eq(s.bytes_total, 14);
    listing l = {0};
    cr_assert_eq(sim_storage_list(&s, "", collect, &l), 2);
    cr_assert_str_eq(l.paths[0], "ckpt/checkpoint");
    cr_assert_str_eq(l.paths[1], "other");
    sim_storage_fini(&s);
}

Test(storage, rename_to_a_new_path_keeps_order) {
    sim_storage s;
    sim_storage_init(&s, 0, 0);
    const char *names[] = {"m", "c", "x", "a"};
    for (int i = 0; i < 4; i++) cr_assert_eq(sim_storage_put(&s, names[i], names[i], 1), ENG_STORAGE_OK);
    /* move the first entry past the end, and the last before the start */
    cr_assert_eq(sim_storage_rename(&s, "a", "z"), ENG_STORAGE_OK);
    cr_assert_eq(sim_storage_rename(&s, "x", "b"), ENG_STORAGE_OK);
    listing l = {0};
    cr_assert_eq(sim_storage_list(&s, "", collect, &l), 4);
    const char *want[] = {"b", "c", "m", "z"};
    for (int i = 0; i < 4; i++) cr_assert_str_eq(l.paths[i], want[i]);
    expect_file(&s, "z", "a", 1);
    expect_file(&s, "b", "x", 1);
    expect_missing(&s, "a");
    expect_missing(&s, "x");
    cr_assert_eq(s.bytes_total, 4);
    cr_assert_eq(s.count, 4);
    sim_storage_fini(&s);
}

Test(storage, rename_of_missing_or_onto_itself) {
    sim_storage s;
    sim_storage_init(&s, 0, 0);
    cr_assert_eq(sim_storage_put(&s, "t", "abc", 3), ENG_STORAGE_OK);
    cr_assert_eq(sim_storage_rename(&s, "nope", "t"), ENG_STORAGE_NOT_FOUND);
    expect_file(&s, "t", "abc", 3);
    cr_assert_eq(sim_storage_rename(&s, "t", "t"), ENG_STORAGE_OK);
    expect_file(&s, "t", "abc", 3);
    cr_assert_eq(s.count, 1);
    cr_assert_eq(s.bytes_total, 3);
    sim_storage_fini(&s);
}

Test(storage, max_files_bound_refuses_new_paths_only) {
    sim_storage s;
    sim_storage_init(&s, 2, 0);
    cr_assert_eq(s.max_files, 2);
    cr_assert_eq(sim_storage_put(&s, "a", "1", 1), ENG_STORAGE_OK);
    cr_assert_eq(sim_storage_put(&s, "b", "2", 1), ENG_STORAGE_OK);
    cr_assert_eq(sim_storage_put(&s, "c", "3", 1), ENG_STORAGE_FULL);
    expect_missing(&s, "c");
    cr_assert_eq(s.count, 2);
    cr_assert_eq(s.bytes_total, 2);
    /* overwriting an existing path is still allowed */
    cr_assert_eq(sim_storage_put(&s, "a", "99", 2), ENG_STORAGE_OK);
    expect_file(&s, "a", "99", 2);
    /* a rename onto a new name does not add a file */
    cr_assert_eq(sim_storage_rename(&s, "b", "c"), ENG_STORAGE_OK);
    expect_file(&s, "c", "2", 1);
    /* after a delete there is room again */
    cr_assert_eq(sim_storage_delete(&s, "a"), ENG_STORAGE_OK);
    cr_assert_eq(sim_storage_put(&s, "d", "4", 1), ENG_STORAGE_OK);
    cr_assert_eq(s.count, 2);
    sim_storage_fini(&s);
}

Test(storage, max_bytes_bound_refuses_and_changes_nothing) {
    sim_storage s;
    sim_storage_init(&s, 0, 10);
    cr_assert_eq(s.max_bytes, 10);
    cr_assert_eq(sim_storage_put(&s, "a", "123456", 6), ENG_STORAGE_OK);
    cr_assert_eq(sim_storage_put(&s, "b", "12345", 5), ENG_STORAGE_FULL);
    expect_missing(&s, "b");
    cr_assert_eq(s.count, 1);
    cr_assert_eq(s.bytes_total, 6);
    /* exactly at the bound is allowed */
    cr_assert_eq(sim_storage_put(&s, "b", "1234", 4), ENG_STORAGE_OK);
    cr_assert_eq(s.bytes_total, 10);
    /* an overwrite that grows beyond the bound fails and keeps the old bytes */
    cr_assert_eq(sim_storage_put(&s, "a", "1234567", 7), ENG_STORAGE_FULL);
    expect_file(&s, "a", "123456", 6);
    cr_assert_eq(s.bytes_total, 10);
    /* an overwrite that shrinks is allowed; the freed bytes can be used */
    cr_assert_eq(sim_storage_put(&s, "a", "12", 2), ENG_STORAGE_OK);
    cr_assert_eq(s.bytes_total, 6);
    cr_assert_eq(sim_storage_put(&s, "c", "abcd", 4), ENG_STORAGE_OK);
    cr_assert_eq(s.bytes_total, 10);
    cr_assert_eq(sim_storage_put(&s, "d", "", 0), ENG_STORAGE_OK, "an empty file fits a full store");
    cr_assert_eq(sim_storage_put(&s, "e", "x", 1), ENG_STORAGE_FULL);
    cr_assert_eq(s.count, 4);
    sim_storage_fini(&s);
}

Test(storage, default_limits) {
    sim_storage s;
    sim_storage_init(&s, 0, 0);
    cr_assert_eq(s.max_files, SIM_STORAGE_DEFAULT_MAX_FILES);
    cr_assert_eq(s.max_bytes, SIM_STORAGE_DEFAULT_MAX_BYTES);
    sim_storage_fini(&s);
}

Test(storage, zero_length_files) {
    sim_storage s;
    sim_storage_init(&s, 0, 0);
    cr_assert_eq(sim_storage_put(&s, "empty", NULL, 0), ENG_STORAGE_OK);
    cr_assert_eq(sim_storage_put(&s, "empty2", "ignored", 0), ENG_STORAGE_OK);
    const void *bytes = NULL;
    size_t len = 99;
    cr_assert_eq(sim_storage_get(&s, "empty", &bytes, &len), ENG_STORAGE_OK);
    cr_assert_eq(len, 0);
    cr_assert_not_null(bytes, "a zero-length file still has a (valid) pointer");
    cr_assert_eq(s.count, 2);
    cr_assert_eq(s.bytes_total, 0);
    cr_assert_eq(sim_storage_list(&s, "empty", NULL, NULL), 2);
    /* overwrite with content and back to empty */
    cr_assert_eq(sim_storage_put(&s, "empty", "abc", 3), ENG_STORAGE_OK);
    cr_assert_eq(s.bytes_total, 3);
    cr_assert_eq(sim_storage_put(&s, "empty", NULL, 0), ENG_STORAGE_OK);
    expect_file(&s, "empty", "", 0);
    cr_assert_eq(s.bytes_total, 0);
    cr_assert_eq(sim_storage_rename(&s, "empty", "moved"), ENG_STORAGE_OK);
    expect_file(&s, "moved", "", 0);
    cr_assert_eq(sim_storage_delete(&s, "moved"), ENG_STORAGE_OK);
    cr_assert_eq(sim_storage_delete(&s, "empty2"), ENG_STORAGE_OK);
    cr_assert_eq(s.count, 0);
    sim_storage_fini(&s);
}

Test(storage, many_files_grow_and_stay_sorted) {
    sim_storage s;
    sim_storage_init(&s, 0, 0);
    /* more than the initial array capacity, inserted in a scrambled order */
    enum { N = 500 };
    char path[32];
    for (unsigned i = 0; i < N; i++) {
        unsigned k = (i * 211u) % N; /* 211 is coprime with 500: a permutation */
        snprintf(path, sizeof path, "f/%05u", k);
        cr_assert_eq(sim_storage_put(&s, path, &k, sizeof k), ENG_STORAGE_OK);
    }
    cr_assert_eq(s.count, N);
    cr_assert_eq(s.bytes_total, N * sizeof(unsigned));
    for (unsigned k = 0; k < N; k++) {
        snprintf(path, sizeof path, "f/%05u", k);
        const void *b;
        size_t len;
        cr_assert_eq(sim_storage_get(&s, path, &b, &len), ENG_STORAGE_OK);
        unsigned v;
        memcpy(&v, b, sizeof v);
        cr_assert_eq(v, k);
    }
    for (size_t i = 1; i < s.count; i++) cr_assert_lt(strcmp(s.files[i - 1].path, s.files[i].path), 0);
    sim_storage_fini(&s);
}
