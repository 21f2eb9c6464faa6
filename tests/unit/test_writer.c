/* test_writer: the server-independent parts of src/writer.h. writer_bisect
 * with a fake writer_send_fn that refuses any range holding a bad row (and
 * records every call): exactly the bad rows reach on_reject, once each, in
 * order, with the send's message; every good row is covered by exactly one
 * successful call; no call is made on an empty range; the number of calls is
 * at most 1 + 2 k ceil(log2 n) for k bad rows of n (1 bad of 1024: at most 21)
 * and exactly 2n - 1 when every row is bad; a sub-range [a, z); a stateful
 * send refusing a duplicate key within the batch (the second copy alone is
 * rejected); a failing send (-1) stops the bisection and keeps its error.
 * writer_init: the dry-run writer without a target, driven through
 * writer_open/write/commit/close, doing nothing successfully; the method chosen for AUTO from
 * local_infile, LOAD refused when local_infile is off, the writers that need a target refusing
 * NULL, and the statement cap below max_allowed_packet (targets here are plain structs, never
 * connected). */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "writer.h"

/* ---- the fake send ---------------------------------------------------------- */

#define MAXN 4096

struct call {
    size_t a, z;
    int rc;
};

struct fake {
    size_t n;
    bool bad[MAXN];  /* refused rows */
    bool fail[MAXN]; /* rows whose range makes send fail (-1)... */
    size_t fail_len; /* ...when it is at most this long */
    int key[MAXN];   /* with dedup: a row is refused if its key is already loaded */
    bool dedup;
    bool key_loaded[MAXN];
    int loaded[MAXN]; /* successful calls covering each row */
    struct call *calls;
    size_t ncalls, cap;
    const struct batch *batch;
    size_t rejected[MAXN];
    char *reject_msg[MAXN];
    size_t nrejected;
    int bad_batch_pointer;
};

static void record(struct fake *f, size_t a, size_t z, int rc)
{
    if (f->ncalls == f->cap) {
        f->cap = f->cap ? 2 * f->cap : 64;
        f->calls = realloc(f->calls, f->cap * sizeof *f->calls);
        cr_assert(f->calls != NULL);
    }
    f->calls[f->ncalls++] = (struct call){a, z, rc};
}

static int fake_send(struct writer *w, const struct batch *b, size_t a, size_t z, char *msg,
                     size_t msgsize, struct error *err)
{
    struct fake *f = w->priv;
    if (b != f->batch)
        f->bad_batch_pointer++;
    cr_assert_lt(a, z, "send called with an empty range [%zu, %zu)", a, z);
    cr_assert_leq(z, f->n);
    cr_assert_geq(msgsize, 64);
    for (size_t i = a; i < z && z - a <= f->fail_len; i++)
        if (f->fail[i]) {
            record(f, a, z, -1);
            return error_set(err, "lost the connection at row %zu", i);
        }
    for (size_t i = a; i < z; i++) {
        bool refuse = f->bad[i];
        if (f->dedup) {
            if (f->key_loaded[f->key[i]])
                refuse = true;
            for (size_t j = a; j < i && !refuse; j++)
                if (f->key[j] == f->key[i])
                    refuse = true;
        }
        if (refuse) {
            snprintf(msg, msgsize, "server refused it: row %zu is bad", i);
            record(f, a, z, 1);
            return 1;
        }
    }
    for (size_t i = a; i < z; i++) {
        f->loaded[i]++;
        if (f->dedup)
            f->key_loaded[f->key[i]] = true;
    }
    record(f, a, z, 0);
    return 0;
}

static void on_reject(void *ctx, const struct batch *b, size_t row, const char *msg)
{
    struct fake *f = ctx;
    if (b != f->batch)
        f->bad_batch_pointer++;
    f->rejected[f->nrejected] = row;
    f->reject_msg[f->nrejected] = strdup(msg);
    f->nrejected++;
}

static struct fake *fake_new(size_t n)
{
    cr_assert_leq(n, MAXN);
    struct fake *f = calloc(1, sizeof *f);
    cr_assert(f != NULL);
    f->n = n;
    return f;
}

static void fake_free(struct fake *f)
{
    for (size_t i = 0; i < f->nrejected; i++)
        free(f->reject_msg[i]);
    free(f->calls);
    free(f);
}

static void writer_for(struct writer *w, struct fake *f, struct batch *b)
{
    memset(w, 0, sizeof *w);
    w->ops = &writer_dryrun_ops;
    w->priv = f;
    w->on_reject = on_reject;
    w->reject_ctx = f;
    cr_assert_eq(batch_init(b, 1, f->n ? f->n : 1), 0);
    f->batch = b;
}

static size_t ceil_log2(size_t n)
{
    size_t k = 0;
    while (((size_t)1 << k) < n)
        k++;
    return k;
}

/* ---- bisection cases -------------------------------------------------------- */

struct bisect_case {
    const char *name;
    size_t n;
    size_t a, z; /* the range bisected; z = 0 means n */
    size_t nbad;
    size_t bad[16];
    long max_calls;   /* -1: the general bound 1 + 2 k ceil(log2 n) */
    long exact_calls; /* -1: not fixed */
};

static const struct bisect_case bisect_cases[] = {
    {"1 bad in 1024", 1024, 0, 0, 1, {517}, 21, -1},
    {"first row bad in 1024", 1024, 0, 0, 1, {0}, 21, -1},
    {"last row bad in 1024", 1024, 0, 0, 1, {1023}, 21, -1},
    {"no bad row", 1024, 0, 0, 0, {0}, 1, 1},
    {"first and last of 1000", 1000, 0, 0, 2, {0, 999}, -1, -1},
    {"two adjacent in 1000", 1000, 0, 0, 2, {500, 501}, -1, -1},
    {"eight spread in 4096", 4096, 0, 0, 8, {3, 4, 700, 1024, 2047, 2048, 4000, 4095}, -1, -1},
    {"every row bad in 7", 7, 0, 0, 7, {0, 1, 2, 3, 4, 5, 6}, 13, 13},
    {"one row, bad", 1, 0, 0, 1, {0}, 1, 1},
    {"one row, good", 1, 0, 0, 0, {0}, 1, 1},
    {"3 rows, middle bad", 3, 0, 0, 1, {1}, 5, -1},
    {"sub-range [100, 200) of 300", 300, 100, 200, 3, {50, 150, 250}, -1, -1},
    {"empty range", 10, 5, 5, 1, {5}, 0, 0},
};

static void run_bisect_case(const struct bisect_case *k)
{
    struct fake *f = fake_new(k->n);
    for (size_t i = 0; i < k->nbad; i++)
        f->bad[k->bad[i]] = true;
    struct writer w;
    struct batch b;
    writer_for(&w, f, &b);
    size_t a = k->a, z = k->z ? k->z : k->n;
    struct error err;
    error_clear(&err);
    int rc = writer_bisect(&w, &b, a, z, fake_send, &err);
    cr_expect_eq(rc, 0, "case \"%s\": rc %d (%s)", k->name, rc, err.msg);
    cr_expect_eq(f->bad_batch_pointer, 0, "case \"%s\": the batch is passed through", k->name);

    /* exactly the bad rows of [a, z), in order, once, with their message */
    size_t want = 0;
    for (size_t i = a; i < z; i++)
        if (f->bad[i]) {
            cr_expect(want < f->nrejected && f->rejected[want] == i,
                      "case \"%s\": reject %zu should be row %zu", k->name, want, i);
            if (want < f->nrejected) {
                char m[128];
                snprintf(m, sizeof m, "server refused it: row %zu is bad", i);
                cr_expect_str_eq(f->reject_msg[want], m, "case \"%s\"", k->name);
            }
            want++;
        }
    cr_expect_eq(f->nrejected, want, "case \"%s\": want %zu rejects, got %zu", k->name, want,
                 f->nrejected);
    /* every good row of the range loaded once, nothing outside it */
    for (size_t i = 0; i < k->n; i++) {
        int expect = i >= a && i < z && !f->bad[i] ? 1 : 0;
        cr_expect_eq(f->loaded[i], expect, "case \"%s\": row %zu loaded %d times (want %d)",
                     k->name, i, f->loaded[i], expect);
    }
    /* the number of calls */
    size_t nbad = want, n = z - a;
    long bound = k->max_calls >= 0 ? k->max_calls : (long)(1 + 2 * nbad * ceil_log2(n));
    cr_expect_leq((long)f->ncalls, bound, "case \"%s\": %zu calls, at most %ld allowed", k->name,
                  f->ncalls, bound);
    if (k->exact_calls >= 0)
        cr_expect_eq((long)f->ncalls, k->exact_calls, "case \"%s\": calls", k->name);
    /* calls are within [a, z) and the successful ones do not overlap */
    for (size_t i = 0; i < f->ncalls; i++)
        cr_expect(f->calls[i].a >= a && f->calls[i].z <= z, "case \"%s\": call [%zu, %zu)", k->name,
                  f->calls[i].a, f->calls[i].z);
    batch_free(&b);
    fake_free(f);
}

Test(writer, bisect_finds_exactly_the_bad_rows)
{
    for (size_t i = 0; i < sizeof bisect_cases / sizeof *bisect_cases; i++)
        run_bisect_case(&bisect_cases[i]);
}

Test(writer, bisect_one_bad_in_1024_takes_the_logarithmic_path)
{
    struct fake *f = fake_new(1024);
    f->bad[517] = true;
    struct writer w;
    struct batch b;
    writer_for(&w, f, &b);
    struct error err;
    error_clear(&err);
    cr_assert_eq(writer_bisect(&w, &b, 0, 1024, fake_send, &err), 0);
    /* the whole batch, then at each of 10 levels the half holding row 517
     * (refused) and its sibling (loaded) */
    cr_assert_eq(f->ncalls, 21);
    cr_expect(f->calls[0].a == 0 && f->calls[0].z == 1024 && f->calls[0].rc == 1);
    size_t refused = 0, ok = 0;
    for (size_t i = 1; i < f->ncalls; i++) {
        size_t len = f->calls[i].z - f->calls[i].a;
        bool holds = f->calls[i].a <= 517 && 517 < f->calls[i].z;
        cr_expect_eq(f->calls[i].rc, holds ? 1 : 0, "call [%zu, %zu)", f->calls[i].a,
                     f->calls[i].z);
        refused += holds;
        ok += !holds;
        cr_expect((len & (len - 1)) == 0, "halves of 1024 are powers of two: %zu", len);
    }
    cr_expect_eq(refused, 10);
    cr_expect_eq(ok, 10);
    batch_free(&b);
    fake_free(f);
}

Test(writer, bisect_duplicate_key_inside_the_batch_rejects_the_second_copy)
{
    struct fake *f = fake_new(1024);
    f->dedup = true;
    for (size_t i = 0; i < 1024; i++)
        f->key[i] = (int)i;
    f->key[700] = 3; /* row 700 repeats row 3's key */
    struct writer w;
    struct batch b;
    writer_for(&w, f, &b);
    struct error err;
    error_clear(&err);
    cr_assert_eq(writer_bisect(&w, &b, 0, 1024, fake_send, &err), 0, "%s", err.msg);
    cr_assert_eq(f->nrejected, 1);
    cr_expect_eq(f->rejected[0], 700);
    cr_expect_str_eq(f->reject_msg[0], "server refused it: row 700 is bad");
    for (size_t i = 0; i < 1024; i++)
        cr_expect_eq(f->loaded[i], i == 700 ? 0 : 1, "row %zu", i);
    batch_free(&b);
    fake_free(f);
}

Test(writer, bisect_stops_at_a_failing_send)
{
    struct fake *f = fake_new(64);
    f->bad[10] = true;
    f->fail[40] = true;
    f->fail_len = 32; /* the whole batch is refused (row 10), its second half fails */
    struct writer w;
    struct batch b;
    writer_for(&w, f, &b);
    struct error err;
    error_clear(&err);
    cr_expect_eq(writer_bisect(&w, &b, 0, 64, fake_send, &err), -1);
    cr_expect_str_eq(err.msg, "lost the connection at row 40");
    cr_assert_gt(f->ncalls, 0);
    cr_expect_eq(f->calls[f->ncalls - 1].rc, -1, "no call after the failing one");
    for (size_t i = 0; i + 1 < f->ncalls; i++)
        cr_expect_neq(f->calls[i].rc, -1);
    /* row 10's half [0, 32) was done before the failure in [32, 64) */
    cr_expect_eq(f->nrejected, 1);
    cr_expect_eq(f->nrejected ? f->rejected[0] : 0, 10);
    for (size_t i = 32; i < 64; i++)
        cr_expect_eq(f->loaded[i], 0, "row %zu", i);
    batch_free(&b);
    fake_free(f);
}

/* ---- writer_init -------------------------------------------------------------- */

static int never_called;

static void count_reject(void *ctx, const struct batch *b, size_t row, const char *msg)
{
    (void)ctx;
    (void)b;
    (void)row;
    (void)msg;
    never_called++;
}

Test(writer, dry_run_writer_without_a_target_does_nothing_and_succeeds)
{
    struct writer w;
    struct error err;
    error_clear(&err);
    cr_assert_eq(writer_init(&w, CONFIG_METHOD_DRYRUN, NULL, 1 << 20, &err), 0, "%s", err.msg);
    cr_expect_eq(w.ops, &writer_dryrun_ops);
    cr_expect_str_eq(w.ops->name, "dry-run");
    cr_expect_eq(w.tgt, NULL);
    cr_expect_eq(w.max_statement, (size_t)1 << 20);
    writer_on_reject(&w, count_reject, NULL);
    never_called = 0;
    static const char *const cols[] = {"a", "b"};
    static const bool bits[] = {false, true}, convert[] = {false, false};
    struct writer_table t = {"target_t", "project_id", "acme", 2, cols, bits, convert, NULL};
    cr_expect_eq(writer_open(&w, &t, &err), 0);
    struct batch b;
    cr_assert_eq(batch_init(&b, 2, 4), 0);
    for (int i = 0; i < 4; i++) {
        batch_row(&b, b.nrows)[0] = (struct xform_val){XFORM_NUM, b.arena.len, 1};
        batch_row(&b, b.nrows)[1] = (struct xform_val){XFORM_NULL, b.arena.len, 0};
        cr_assert_eq(buf_putc(&b.arena, (char)('0' + i)), 0);
        cr_assert_eq(buf_putc(&b.keys, (char)i), 0);
        batch_push(&b);
    }
    cr_expect_eq(writer_write(&w, &b, &err), 0);
    cr_expect_eq(writer_write(&w, &b, &err), 0);
    cr_expect_eq(writer_commit(&w, &err), 0);
    writer_close(&w);
    cr_expect_eq(never_called, 0);
    cr_expect_eq(b.nrows, 4, "the batch is left as it was");
    cr_expect_eq(b.nrej, 0);
    cr_expect_str_eq(err.msg, "");
    batch_free(&b);
}

/* The dry-run writer measures a text as mysql_real_escape_string quotes it:
 * two quotes, and a backslash more before each of NUL, newline, carriage
 * return, backslash, both quotes and Ctrl-Z; every byte value at the start,
 * end and middle of texts around the 16-byte blocks it counts in. */
Test(writer, dry_run_measures_every_escaped_byte)
{
    struct writer w;
    struct error err;
    error_clear(&err);
    cr_assert_eq(writer_init(&w, CONFIG_METHOD_DRYRUN, NULL, 1 << 20, &err), 0, "%s", err.msg);
    static const char *const cols[] = {"a"};
    static const bool bits[] = {false}, convert[] = {false};
    struct writer_table t = {"t", "project_id", "p", 1, cols, bits, convert, NULL};
    static const size_t lens[] = {1, 2, 15, 16, 17, 31, 32, 33, 40};
    struct batch b;
    cr_assert_eq(batch_init(&b, 1, 1), 0);
    for (size_t l = 0; l < sizeof lens / sizeof *lens; l++)
        for (int byte = 0; byte < 256; byte++) {
            size_t n = lens[l], at[] = {0, n / 2, n - 1}, extra = 0;
            for (const char *e = "\n\r\\'\"\032"; *e != '\0'; e++)
                extra += byte == (unsigned char)*e;
            extra += byte == 0;
            for (size_t k = 0; k < 3; k++) {
                char text[64];
                memset(text, 'a', n);
                text[at[k]] = (char)byte;
                batch_reset(&b);
                batch_row(&b, 0)[0] = (struct xform_val){XFORM_STR, 0, n};
                cr_assert_eq(buf_append(&b.arena, text, n), 0);
                cr_assert_eq(buf_putc(&b.keys, 'k'), 0);
                batch_push(&b);
                cr_assert_eq(writer_open(&w, &t, &err), 0, "%s", err.msg);
                cr_assert_eq(writer_write(&w, &b, &err), 0, "%s", err.msg);
                size_t bytes, col, col_bytes, klen;
                const char *key;
                writer_dryrun_widest(&w, &bytes, &col, &col_bytes, &key, &klen);
                cr_expect_eq(col_bytes, n + 2 + extra, "byte %d at %zu of %zu: %zu", byte, at[k], n,
                             col_bytes);
            }
        }
    writer_close(&w);
    batch_free(&b);
}

struct init_case {
    const char *name;
    enum config_method m;
    bool has_target;
    bool local_infile;
    unsigned long max_packet;
    size_t stmt_bytes;
    int rc;
    const struct writer_ops *ops; /* when rc == 0 */
    size_t max_statement;         /* when rc == 0 */
    const char *err;              /* when rc == -1 */
};

static const struct init_case init_cases[] = {
    {"auto with local_infile picks LOAD DATA", CONFIG_METHOD_AUTO, true, true, 64ul << 20, 1 << 20,
     0, &writer_load_ops, 1 << 20, NULL},
    {"auto without local_infile picks INSERT", CONFIG_METHOD_AUTO, true, false, 64ul << 20, 1 << 20,
     0, &writer_insert_ops, 1 << 20, NULL},
    {"insert even with local_infile", CONFIG_METHOD_INSERT, true, true, 64ul << 20, 1 << 20, 0,
     &writer_insert_ops, 1 << 20, NULL},
    {"load with local_infile", CONFIG_METHOD_LOAD, true, true, 64ul << 20, 1 << 20, 0,
     &writer_load_ops, 1 << 20, NULL},
    {"statement capped below max_allowed_packet", CONFIG_METHOD_INSERT, true, false, 4ul << 20,
     16 << 20, 0, &writer_insert_ops, (4 << 20) - 4096, NULL},
    {"statement exactly at the cap", CONFIG_METHOD_INSERT, true, false, 1ul << 20, (1 << 20) - 4096,
     0, &writer_insert_ops, (1 << 20) - 4096, NULL},
    {"unknown max_allowed_packet: no cap", CONFIG_METHOD_INSERT, true, false, 0, 16 << 20, 0,
     &writer_insert_ops, 16 << 20, NULL},
    {"dry run with a target", CONFIG_METHOD_DRYRUN, true, true, 64ul << 20, 1 << 20, 0,
     &writer_dryrun_ops, 1 << 20, NULL},
    {"load without local_infile", CONFIG_METHOD_LOAD, true, false, 64ul << 20, 1 << 20, -1, NULL, 0,
     "--method load: the server does not allow LOAD DATA LOCAL INFILE (local_infile is OFF); use "
     "--method insert or auto"},
    {"insert without a target", CONFIG_METHOD_INSERT, false, false, 0, 1 << 20, -1, NULL, 0,
     "the INSERT writer needs a target connection"},
    {"load without a target", CONFIG_METHOD_LOAD, false, false, 0, 1 << 20, -1, NULL, 0,
     "the LOAD DATA writer needs a target connection"},
    {"auto without a target", CONFIG_METHOD_AUTO, false, false, 0, 1 << 20, -1, NULL, 0,
     "the INSERT writer needs a target connection"},
};

Test(writer, init_picks_the_backend_and_caps_statements)
{
    for (size_t i = 0; i < sizeof init_cases / sizeof *init_cases; i++) {
        const struct init_case *k = &init_cases[i];
        struct target tgt;
        memset(&tgt, 0, sizeof tgt);
        tgt.local_infile = k->local_infile;
        tgt.max_packet = k->max_packet;
        struct writer w;
        struct error err;
        error_clear(&err);
        int rc = writer_init(&w, k->m, k->has_target ? &tgt : NULL, k->stmt_bytes, &err);
        cr_expect_eq(rc, k->rc, "case \"%s\": rc %d (%s)", k->name, rc, err.msg);
        if (k->rc == 0) {
            cr_expect_eq(w.ops, k->ops, "case \"%s\": backend %s", k->name,
                         w.ops ? w.ops->name : "(none)");
            cr_expect_eq(w.max_statement, k->max_statement, "case \"%s\": max_statement %zu",
                         k->name, w.max_statement);
            cr_expect_eq(w.tgt, k->has_target ? &tgt : NULL);
        } else {
            cr_expect_str_eq(err.msg, k->err, "case \"%s\"", k->name);
        }
    }
}

Test(writer, init_caps_statements_below_a_small_max_allowed_packet)
{
    /* 1024 bytes is the smallest max_allowed_packet MySQL and MariaDB accept */
    struct target tgt;
    memset(&tgt, 0, sizeof tgt);
    tgt.max_packet = 1024;
    struct writer w;
    struct error err;
    error_clear(&err);
    cr_assert_eq(writer_init(&w, CONFIG_METHOD_INSERT, &tgt, 1 << 20, &err), 0, "%s", err.msg);
    cr_expect(w.max_statement > 0 && w.max_statement < tgt.max_packet,
              "max_allowed_packet 1024, stmt_bytes 1048576: want a cap below 1024, got %zu",
              w.max_statement);
}
