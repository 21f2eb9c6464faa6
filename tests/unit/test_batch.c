/* test_batch: src/batch.h. batch_init's empty state; rows built the way the
 * pipeline builds them (values into batch_row, bytes into the arena, key bytes
 * into b->keys, then batch_push) read back with batch_row, batch_bytes and
 * batch_key (binary keys with NUL bytes, an empty key, keys of different
 * lengths); batch_add_reject past its initial capacity, with BATCH_NO_ROW and
 * row indexes, read back in order with batch_reject_key/batch_reject_msg;
 * batch_add_column_reject mixed with them, each reject's column (none for the
 * server's) read back with batch_reject_column; batch_reset emptying everything while keeping the
 * storage, and the batch reused after it; batch_free; a batch of zero columns;
 * a capacity whose size overflows refused (found by AddressSanitizer). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "batch.h"

/* Appends one row: values vals[0..ncols) (NULL = SQL NULL) and key k[0..klen). */
static void push_row(struct batch *b, const char *const *vals, const char *k, size_t klen)
{
    cr_assert_lt(b->nrows, b->cap_rows);
    struct xform_val *row = batch_row(b, b->nrows);
    for (size_t c = 0; c < b->ncols; c++) {
        if (vals[c] == NULL) {
            row[c] = (struct xform_val){XFORM_NULL, b->arena.len, 0};
            continue;
        }
        size_t n = strlen(vals[c]);
        row[c] = (struct xform_val){XFORM_STR, b->arena.len, n};
        cr_assert_eq(buf_append(&b->arena, vals[c], n), 0);
    }
    cr_assert_eq(buf_append(&b->keys, k, klen), 0);
    batch_push(b);
}

Test(batch, init_is_empty)
{
    struct batch b;
    cr_assert_eq(batch_init(&b, 3, 10), 0);
    cr_expect_eq(b.ncols, 3);
    cr_expect_eq(b.nrows, 0);
    cr_expect_eq(b.cap_rows, 10);
    cr_expect_eq(b.nrej, 0);
    cr_expect_eq(b.arena.len, 0);
    cr_expect_eq(b.keys.len, 0);
    cr_expect_eq(b.rej_data.len, 0);
    cr_assert(b.vals != NULL);
    cr_assert(b.key_off != NULL);
    for (size_t i = 0; i <= 10; i++)
        cr_expect_eq(b.key_off[i], 0, "key_off[%zu]", i);
    for (size_t i = 0; i < 30; i++)
        cr_expect(b.vals[i].kind == XFORM_NULL && b.vals[i].off == 0 && b.vals[i].len == 0,
                  "vals[%zu] zeroed", i);
    batch_free(&b);
}

static const struct {
    const char *vals[3];
    const char *key;
    size_t klen;
} rows[] = {
    {{"1", "alpha", NULL}, "R\x00\x00\x00\x00\x00\x00\x00\x01", 9},
    {{"2", "", "beta"}, "", 0},
    {{"3", "gamma\tdelta", "x"}, "K\x03\x00\x00\x00\x02hi", 8},
    {{NULL, NULL, NULL}, "R\xff\xff\xff\xff\xff\xff\xff\xfe", 9},
};
#define NROWS (sizeof rows / sizeof *rows)

static void fill(struct batch *b)
{
    for (size_t r = 0; r < NROWS; r++)
        push_row(b, rows[r].vals, rows[r].key, rows[r].klen);
}

static void check_rows(const struct batch *b, const char *when)
{
    cr_assert_eq(b->nrows, NROWS, "%s: nrows", when);
    for (size_t r = 0; r < NROWS; r++) {
        cr_expect_eq(batch_row(b, r), b->vals + r * 3, "%s: batch_row(%zu)", when, r);
        size_t len = 99;
        const char *k = batch_key(b, r, &len);
        cr_expect(len == rows[r].klen && memcmp(k, rows[r].key, len) == 0,
                  "%s: key of row %zu: want %zu bytes, got %zu", when, r, rows[r].klen, len);
        for (size_t c = 0; c < 3; c++) {
            const struct xform_val *v = &batch_row(b, r)[c];
            if (rows[r].vals[c] == NULL) {
                cr_expect_eq(v->kind, XFORM_NULL, "%s: row %zu col %zu kind", when, r, c);
                continue;
            }
            size_t n = strlen(rows[r].vals[c]);
            cr_expect(v->kind == XFORM_STR && v->len == n &&
                          memcmp(batch_bytes(b, v), rows[r].vals[c], n) == 0,
                      "%s: row %zu col %zu: want \"%s\"", when, r, c, rows[r].vals[c]);
        }
    }
}

Test(batch, rows_values_and_keys)
{
    struct batch b;
    cr_assert_eq(batch_init(&b, 3, 8), 0);
    fill(&b);
    check_rows(&b, "first fill");
    /* key offsets: 0, 9, 9, 17, 26 */
    static const size_t want_off[] = {0, 9, 9, 17, 26};
    for (size_t i = 0; i <= NROWS; i++)
        cr_expect_eq(b.key_off[i], want_off[i], "key_off[%zu]", i);
    cr_expect_eq(b.keys.len, 26);
    cr_expect_eq(b.arena.len, strlen("1alpha2beta3gamma\tdeltax"));
    batch_free(&b);
}

Test(batch, rejects_in_order_past_the_initial_capacity)
{
    struct batch b;
    cr_assert_eq(batch_init(&b, 1, 4), 0);
    char key[32], msg[64];
    for (size_t i = 0; i < 40; i++) {
        /* key: i bytes of value i, with a NUL in the middle; empty for i = 0 */
        for (size_t k = 0; k < i % 7; k++)
            key[k] = k == 1 ? '\0' : (char)('a' + i % 26);
        snprintf(msg, sizeof msg, "reason %zu: server refused it", i);
        size_t row = i % 3 == 0 ? BATCH_NO_ROW : i;
        cr_assert_eq(batch_add_reject(&b, row, key, i % 7, msg), 0, "reject %zu", i);
    }
    cr_assert_eq(b.nrej, 40);
    cr_expect_geq(b.cap_rej, 40);
    for (size_t i = 0; i < 40; i++) {
        for (size_t k = 0; k < i % 7; k++)
            key[k] = k == 1 ? '\0' : (char)('a' + i % 26);
        snprintf(msg, sizeof msg, "reason %zu: server refused it", i);
        size_t len = 99;
        const char *got = batch_reject_key(&b, i, &len);
        cr_expect(len == i % 7 && memcmp(got, key, len) == 0, "reject %zu key (%zu bytes)", i, len);
        cr_expect_str_eq(batch_reject_msg(&b, i), msg, "reject %zu message", i);
        cr_expect_eq(b.rej[i].row, i % 3 == 0 ? BATCH_NO_ROW : i, "reject %zu row", i);
    }
    batch_free(&b);
}

Test(batch, reject_with_an_empty_message_and_a_null_empty_key)
{
    struct batch b;
    cr_assert_eq(batch_init(&b, 1, 1), 0);
    cr_assert_eq(batch_add_reject(&b, 0, NULL, 0, ""), 0);
    cr_assert_eq(batch_add_reject(&b, BATCH_NO_ROW, "k", 1, "m"), 0);
    size_t len = 99;
    batch_reject_key(&b, 0, &len);
    cr_expect_eq(len, 0);
    cr_expect_str_eq(batch_reject_msg(&b, 0), "");
    const char *k = batch_reject_key(&b, 1, &len);
    cr_expect(len == 1 && k[0] == 'k');
    cr_expect_str_eq(batch_reject_msg(&b, 1), "m");
    batch_free(&b);
}

Test(batch, reset_empties_and_keeps_storage)
{
    struct batch b;
    cr_assert_eq(batch_init(&b, 3, 8), 0);
    fill(&b);
    for (int i = 0; i < 20; i++)
        cr_assert_eq(batch_add_reject(&b, (size_t)i, "kk", 2, "why"), 0);
    struct xform_val *vals = b.vals;
    size_t *key_off = b.key_off;
    struct batch_reject *rej = b.rej;
    size_t cap_rej = b.cap_rej;
    size_t arena_cap = b.arena.cap, keys_cap = b.keys.cap;
    batch_reset(&b);
    cr_expect_eq(b.nrows, 0);
    cr_expect_eq(b.nrej, 0);
    cr_expect_eq(b.arena.len, 0);
    cr_expect_eq(b.keys.len, 0);
    cr_expect_eq(b.rej_data.len, 0);
    cr_expect_eq(b.vals, vals);
    cr_expect_eq(b.key_off, key_off);
    cr_expect_eq(b.rej, rej);
    cr_expect_eq(b.cap_rej, cap_rej);
    cr_expect_eq(b.arena.cap, arena_cap);
    cr_expect_eq(b.keys.cap, keys_cap);
    cr_expect_eq(b.ncols, 3);
    cr_expect_eq(b.cap_rows, 8);
    /* reused: the same rows read back exactly, rejects start over */
    fill(&b);
    check_rows(&b, "after reset");
    cr_assert_eq(batch_add_reject(&b, 1, "z", 1, "again"), 0);
    cr_expect_eq(b.nrej, 1);
    cr_expect_str_eq(batch_reject_msg(&b, 0), "again");
    size_t len;
    cr_expect_eq(*batch_reject_key(&b, 0, &len), 'z');
    cr_expect_eq(len, 1);
    batch_free(&b);
}

Test(batch, free_clears_everything)
{
    struct batch b;
    cr_assert_eq(batch_init(&b, 2, 4), 0);
    cr_assert_eq(batch_add_reject(&b, 0, "k", 1, "m"), 0);
    batch_free(&b);
    cr_expect_eq(b.vals, NULL);
    cr_expect_eq(b.key_off, NULL);
    cr_expect_eq(b.rej, NULL);
    cr_expect_eq(b.nrej, 0);
    cr_expect_eq(b.cap_rej, 0);
    cr_expect_eq(b.arena.data, NULL);
    cr_expect_eq(b.keys.data, NULL);
    cr_expect_eq(b.rej_data.data, NULL);
    batch_free(&b); /* twice is harmless */
}

Test(batch, zero_columns)
{
    struct batch b;
    cr_assert_eq(batch_init(&b, 0, 3), 0);
    for (int i = 0; i < 3; i++) {
        char k = (char)('a' + i);
        cr_assert_eq(buf_append(&b.keys, &k, 1), 0);
        batch_push(&b);
    }
    cr_expect_eq(b.nrows, 3);
    for (size_t r = 0; r < 3; r++) {
        size_t len;
        const char *k = batch_key(&b, r, &len);
        cr_expect(len == 1 && k[0] == (char)('a' + r), "key of row %zu", r);
    }
    batch_free(&b);
}

Test(batch, column_rejects_keep_their_column_and_row_rejects_have_none)
{
    struct batch b;
    cr_assert_eq(batch_init(&b, 1, 2), 0);
    for (size_t i = 0; i < 30; i++) {
        char col[16];
        snprintf(col, sizeof col, "c%zu", i);
        cr_assert_eq(i % 2 ? batch_add_reject(&b, i, "k", 1, "server")
                           : batch_add_column_reject(&b, "kk", 2, col, "conversion"),
                     0);
    }
    for (size_t i = 0; i < 30; i++) {
        char col[16];
        snprintf(col, sizeof col, "c%zu", i);
        size_t len;
        batch_reject_key(&b, i, &len);
        cr_expect_eq(len, i % 2 ? 1 : 2, "reject %zu key", i);
        cr_expect_str_eq(batch_reject_msg(&b, i), i % 2 ? "server" : "conversion");
        if (i % 2) {
            cr_expect_eq(batch_reject_column(&b, i), NULL, "reject %zu has no column", i);
            cr_expect_eq(b.rej[i].row, i);
        } else {
            cr_expect_str_eq(batch_reject_column(&b, i), col, "reject %zu column", i);
            cr_expect_eq(b.rej[i].row, BATCH_NO_ROW);
        }
    }
    batch_free(&b);
}

Test(batch, init_refuses_a_size_that_overflows)
{
    static const size_t caps[][2] = {
        {3, SIZE_MAX / 2}, {1, SIZE_MAX}, {0, SIZE_MAX}, {1000, SIZE_MAX / 1000}, {4, 0}};
    for (size_t i = 0; i < sizeof caps / sizeof *caps; i++) {
        struct batch b;
        cr_expect_eq(batch_init(&b, caps[i][0], caps[i][1]), -1, "%zu columns, %zu rows",
                     caps[i][0], caps[i][1]);
        batch_free(&b);
    }
}
