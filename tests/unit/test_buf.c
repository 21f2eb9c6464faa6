/* test_buf: table-driven tests of the capped byte buffer of src/buf.h: the hard
 * cap (an append, putc, puts, printf, hex or reserve beyond max returns -1 and
 * leaves length, bytes and terminator unchanged; exactly max is allowed),
 * binary safety (NUL bytes inside, always NUL-terminated past len), uppercase
 * hex, printf (incl. long output and embedded NUL), truncate, reset and reuse;
 * the sticky failed flag (set by the failing append, kept by later ones and by
 * truncate, cleared by reset; buf_check reports it; buf_append_buf passes it
 * on) and the named caps (each enforced exactly). */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"

enum op { OP_APPEND, OP_PUTS, OP_PUTC, OP_PRINTF, OP_HEX, OP_RESERVE };

struct capcase {
    const char *name;
    size_t max;        /* cap; 0 = none */
    const char *start; /* contents before the operation */
    size_t nstart;
    enum op op;
    const char *arg; /* bytes for append/puts/hex/printf("%s"), first byte for putc */
    size_t narg;     /* bytes for append/hex, n for reserve */
    int want_rc;
    const char *want; /* contents afterwards */
    size_t nwant;
};

#define L(s) (s), sizeof(s) - 1

static const struct capcase cap_cases[] = {
    {"append into empty, a named cap", BUF_CAP_LINE, L(""), OP_APPEND, L("abc"), 0, L("abc")},
    {"append exactly to cap", 5, L("ab"), OP_APPEND, L("cde"), 0, L("abcde")},
    {"append one past cap", 5, L("ab"), OP_APPEND, L("cdef"), -1, L("ab")},
    {"append to full buffer", 3, L("abc"), OP_APPEND, L("d"), -1, L("abc")},
    {"append nothing to full buffer", 3, L("abc"), OP_APPEND, L(""), 0, L("abc")},
    {"append NULs", BUF_CAP_LINE, L("a"), OP_APPEND, L("\0\0b"), 0, L("a\0\0b")},
    {"append NULs past cap", 3, L("a\0"), OP_APPEND, L("\0\0"), -1, L("a\0")},
    {"append with cap 1", 1, L(""), OP_APPEND, L("x"), 0, L("x")},
    {"append over cap 1", 1, L(""), OP_APPEND, L("xy"), -1, L("")},
    {"append 300 bytes under cap 300", 300,
     L("0123456789012345678901234567890123456789012345678901234567890123456789"
       "0123456789012345678901234567890123456789012345678901234567890123456789"),
     OP_APPEND,
     L("0123456789012345678901234567890123456789012345678901234567890123456789"
       "0123456789012345678901234567890123456789012345678901234567890123456789"
       "01234567890123456789"),
     0,
     L("0123456789012345678901234567890123456789012345678901234567890123456789"
       "0123456789012345678901234567890123456789012345678901234567890123456789"
       "0123456789012345678901234567890123456789012345678901234567890123456789"
       "0123456789012345678901234567890123456789012345678901234567890123456789"
       "01234567890123456789")},
    {"puts exactly to cap", 4, L("ab"), OP_PUTS, L("cd"), 0, L("abcd")},
    {"puts past cap", 4, L("ab"), OP_PUTS, L("cde"), -1, L("ab")},
    {"puts stops at NUL", BUF_CAP_LINE, L("a"), OP_PUTS, L("b\0c"), 0, L("ab")},
    {"putc to cap", 2, L("a"), OP_PUTC, L("b"), 0, L("ab")},
    {"putc past cap", 2, L("ab"), OP_PUTC, L("c"), -1, L("ab")},
    {"putc NUL", BUF_CAP_LINE, L("a"), OP_PUTC, L("\0"), 0, L("a\0")},
    {"printf to cap", 6, L("ab"), OP_PRINTF, L("cdef"), 0, L("abcdef")},
    {"printf one past cap", 6, L("ab"), OP_PRINTF, L("cdefg"), -1, L("ab")},
    {"hex to cap", 6, L("ab"), OP_HEX, L("\x01\xff"), 0, L("ab01FF")},
    {"hex one byte past cap", 5, L("ab"), OP_HEX, L("\x01\xff"), -1, L("ab")},
    {"reserve within cap", 5, L("ab"), OP_RESERVE, "", 3, 0, L("ab")},
    {"reserve past cap", 5, L("ab"), OP_RESERVE, "", 4, -1, L("ab")},
    {"reserve SIZE_MAX", SIZE_MAX, L("ab"), OP_RESERVE, "", SIZE_MAX, -1, L("ab")},
    {"reserve SIZE_MAX/2", SIZE_MAX, L("ab"), OP_RESERVE, "", SIZE_MAX / 2, -1, L("ab")},
};

static int apply(struct buf *b, const struct capcase *k)
{
    switch (k->op) {
    case OP_APPEND:
        return buf_append(b, k->arg, k->narg);
    case OP_PUTS:
        return buf_puts(b, k->arg);
    case OP_PUTC:
        return buf_putc(b, k->arg[0]);
    case OP_PRINTF:
        return buf_printf(b, "%s", k->arg);
    case OP_HEX:
        return buf_hex(b, k->arg, k->narg);
    case OP_RESERVE:
        return buf_reserve(b, k->narg);
    }
    return -99;
}

Test(buf, cap_enforcement)
{
    size_t failed = 0;
    for (size_t i = 0; i < sizeof cap_cases / sizeof *cap_cases; i++) {
        const struct capcase *k = &cap_cases[i];
        struct buf b;
        buf_init(&b, k->max);
        cr_assert_eq(buf_append(&b, k->start, k->nstart), 0, "case \"%s\": setup", k->name);
        size_t cap_before = b.cap;
        int rc = apply(&b, k);
        bool ok = rc == k->want_rc && b.len == k->nwant && memcmp(b.data, k->want, k->nwant) == 0 &&
                  b.data[b.len] == '\0' && b.len <= k->max;
        if (k->op == OP_RESERVE && rc == 0)
            ok = ok && b.cap >= b.len + k->narg;
        if (rc != 0)
            ok = ok && b.cap == cap_before;
        ok = ok && buf_failed(&b) == (rc != 0);
        if (!ok) {
            failed++;
            cr_expect(ok, "buf case \"%s\": expected rc=%d len=%zu, got rc=%d len=%zu cap=%zu",
                      k->name, k->want_rc, k->nwant, rc, b.len, b.cap);
        }
        buf_free(&b);
    }
    cr_expect_eq(failed, 0);
}

Test(buf, hex)
{
    static const struct {
        const char *name;
        const char *in;
        size_t n;
        const char *want;
    } v[] = {
        {"empty", L(""), ""},
        {"NUL", L("\0"), "00"},
        {"FF uppercase", L("\xff"), "FF"},
        {"all nibbles", L("\x01\x23\x45\x67\x89\xab\xcd\xef"), "0123456789ABCDEF"},
        {"ascii", L("AZaz"), "415A617A"},
        {"high bit", L("\x80\x7f"), "807F"},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        struct buf b;
        buf_init(&b, BUF_CAP_ROW);
        cr_assert_eq(buf_puts(&b, "x'"), 0);
        int rc = buf_hex(&b, v[i].in, v[i].n);
        char want[64];
        snprintf(want, sizeof want, "x'%s", v[i].want);
        cr_expect(rc == 0 && b.len == strlen(want) && strcmp(b.data, want) == 0,
                  "hex case \"%s\": expected \"%s\", got rc=%d \"%s\"", v[i].name, want, rc,
                  b.data);
        buf_free(&b);
    }
    /* all 256 byte values */
    unsigned char all[256];
    char want[513];
    for (int i = 0; i < 256; i++) {
        all[i] = (unsigned char)i;
        snprintf(want + 2 * i, 3, "%02X", i);
    }
    struct buf b;
    buf_init(&b, BUF_CAP_ROW);
    cr_assert_eq(buf_hex(&b, all, 256), 0);
    cr_expect(b.len == 512 && memcmp(b.data, want, 512) == 0 && b.data[512] == '\0');
    buf_free(&b);
}

Test(buf, printf)
{
    static const struct {
        const char *name;
        const char *want;
        size_t nwant;
    } v[] = {
        {"integers and strings", L("n=42 s=abc u=18446744073709551615")},
        {"embedded NUL via %c", L("a\0b")},
        {"empty output", L("")},
    };
    struct buf b;
    buf_init(&b, BUF_CAP_ROW);
    cr_expect_eq(buf_printf(&b, "n=%d s=%s u=%llu", 42, "abc", 18446744073709551615ULL), 0);
    cr_expect(b.len == v[0].nwant && memcmp(b.data, v[0].want, b.len) == 0, "case \"%s\": \"%s\"",
              v[0].name, b.data);
    buf_reset(&b);
    cr_expect_eq(buf_printf(&b, "a%cb", 0), 0);
    cr_expect(b.len == v[1].nwant && memcmp(b.data, v[1].want, 3) == 0 && b.data[3] == '\0',
              "case \"%s\": len %zu", v[1].name, b.len);
    buf_reset(&b);
    cr_expect_eq(buf_printf(&b, "%s", ""), 0);
    cr_expect(b.len == 0 && b.data[0] == '\0', "case \"%s\"", v[2].name);
    /* long output grows the buffer (past the initial 256 bytes) */
    char big[5000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    buf_reset(&b);
    cr_expect_eq(buf_printf(&b, "<%s>", big), 0);
    cr_expect_eq(b.len, sizeof big + 1);
    cr_expect(b.data[0] == '<' && b.data[b.len - 1] == '>' && b.data[b.len] == '\0');
    cr_expect_eq(memcmp(b.data + 1, big, sizeof big - 1), 0);
    buf_free(&b);
    /* printf after binary content appends after it */
    buf_init(&b, BUF_CAP_ROW);
    cr_assert_eq(buf_append(&b, "\0\0", 2), 0);
    cr_expect_eq(buf_printf(&b, "%d", 7), 0);
    cr_expect(b.len == 3 && memcmp(b.data,
                                   "\0\0"
                                   "7",
                                   3) == 0);
    buf_free(&b);
}

Test(buf, binary_safety_and_terminator)
{
    struct buf b;
    buf_init(&b, BUF_CAP_ROW);
    cr_expect(b.len == 0 && b.data == NULL);
    unsigned char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)(255 - i);
    for (int round = 0; round < 40; round++) {
        cr_assert_eq(buf_append(&b, all, sizeof all), 0);
        cr_assert_eq(b.data[b.len], '\0', "terminator after round %d", round);
    }
    cr_expect_eq(b.len, 40 * 256);
    for (int round = 0; round < 40; round++)
        cr_expect_eq(memcmp(b.data + round * 256, all, 256), 0, "bytes of round %d", round);
    cr_expect_geq(b.cap, b.len);
    buf_free(&b);
    cr_expect(b.data == NULL && b.len == 0);
}

Test(buf, truncate_and_reset)
{
    static const struct {
        const char *name;
        size_t to;
        const char *want;
        size_t nwant;
    } v[] = {
        {"truncate to 0", 0, L("")},
        {"truncate inside", 3, L("ab\0")},
        {"truncate to same length", 6, L("ab\0def")},
        {"truncate one short", 5, L("ab\0de")},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        struct buf b;
        buf_init(&b, BUF_CAP_ROW);
        cr_assert_eq(buf_append(&b, "ab\0def", 6), 0);
        buf_truncate(&b, v[i].to);
        cr_expect(b.len == v[i].nwant && memcmp(b.data, v[i].want, v[i].nwant) == 0 &&
                      b.data[b.len] == '\0',
                  "truncate case \"%s\": len %zu", v[i].name, b.len);
        /* the buffer keeps working afterwards */
        cr_expect_eq(buf_putc(&b, 'Z'), 0);
        cr_expect(b.len == v[i].nwant + 1 && b.data[b.len - 1] == 'Z' && b.data[b.len] == '\0');
        buf_free(&b);
    }
    /* reset keeps storage, empties, terminates */
    struct buf b;
    buf_init(&b, 10);
    cr_assert_eq(buf_puts(&b, "0123456789"), 0);
    char *data = b.data;
    size_t cap = b.cap;
    buf_reset(&b);
    cr_expect(b.len == 0 && b.data == data && b.cap == cap && b.data[0] == '\0');
    cr_expect_eq(buf_puts(&b, "0123456789"), 0, "after reset the full cap is available again");
    cr_expect_eq(buf_putc(&b, 'x'), -1);
    buf_free(&b);
    /* reset of a never-used buffer, then reuse after free + init */
    buf_init(&b, BUF_CAP_ROW);
    buf_reset(&b);
    cr_expect_eq(b.len, 0);
    cr_expect_eq(buf_puts(&b, "abc"), 0);
    buf_free(&b);
    buf_init(&b, 2);
    cr_expect_eq(buf_puts(&b, "abc"), -1);
    cr_expect_eq(buf_puts(&b, "ab"), 0);
    cr_expect(b.len == 2 && strcmp(b.data, "ab") == 0);
    buf_free(&b);
}

/* Filling a capped buffer byte by byte stops exactly at the cap. */
Test(buf, fill_to_cap_byte_by_byte)
{
    static const size_t caps[] = {1, 2, 255, 256, 257, 1000};
    for (size_t c = 0; c < sizeof caps / sizeof *caps; c++) {
        struct buf b;
        buf_init(&b, caps[c]);
        size_t ok = 0;
        for (size_t i = 0; i < caps[c] + 5; i++)
            if (buf_putc(&b, (char)('a' + i % 26)) == 0)
                ok++;
        cr_expect(ok == caps[c] && b.len == caps[c] && b.cap <= caps[c] && b.data[b.len] == '\0',
                  "cap %zu: %zu bytes accepted, len %zu, cap %zu", caps[c], ok, b.len, b.cap);
        buf_free(&b);
    }
}

/* A failed append marks the buffer; later appends that fit keep the mark (the
 * text has a hole), truncate keeps it, reset clears it; buf_check reports it. */
Test(buf, failure_is_sticky)
{
    struct buf b;
    struct error err;
    buf_init(&b, 8);
    cr_assert_eq(buf_puts(&b, "SELECT"), 0);
    cr_expect(!buf_failed(&b));
    cr_expect_eq(buf_check(&b, &err), 0);
    cr_expect_eq(buf_puts(&b, " 1234"), -1, "past the cap");
    cr_expect(buf_failed(&b));
    cr_expect_eq(buf_putc(&b, ' '), 0, "a later append that fits succeeds ...");
    cr_expect(buf_failed(&b), "... but the buffer stays failed");
    cr_expect_str_eq(b.data, "SELECT ");
    buf_truncate(&b, 6);
    cr_expect(buf_failed(&b), "truncate does not clear the mark");
    cr_expect_eq(buf_check(&b, &err), -1);
    cr_expect_str_eq(err.msg, "out of memory");
    buf_reset(&b);
    cr_expect(!buf_failed(&b) && b.len == 0, "reset clears the mark");
    cr_expect_eq(buf_check(&b, &err), 0);
    cr_expect_eq(buf_printf(&b, "%d", 123456789), -1);
    cr_expect(buf_failed(&b), "printf past the cap marks it too");
    buf_free(&b);
    buf_init(&b, 8);
    cr_expect(!buf_failed(&b), "init starts clean");
    cr_expect_eq(buf_hex(&b, "12345", 5), -1);
    cr_expect(buf_failed(&b) && b.len == 0, "hex past the cap marks it");
    buf_free(&b);
    cr_expect(!buf_failed(&b), "free clears the mark");
    buf_init(&b, 4);
    cr_expect_eq(buf_reserve(&b, 5), -1);
    cr_expect(buf_failed(&b), "a refused reserve marks it");
    buf_free(&b);
}

/* buf_append_buf copies a clean buffer and passes a failed one's mark on. */
Test(buf, append_buf)
{
    struct buf src, dst;
    buf_init(&src, 4);
    buf_init(&dst, BUF_CAP_LINE);
    cr_assert_eq(buf_append(&src, "a\0b", 3), 0);
    cr_expect_eq(buf_append_buf(&dst, &src), 0);
    cr_expect(dst.len == 3 && memcmp(dst.data, "a\0b", 3) == 0 && !buf_failed(&dst));
    cr_expect_eq(buf_puts(&src, "cd"), -1);
    cr_expect_eq(buf_append_buf(&dst, &src), -1);
    cr_expect(buf_failed(&dst) && dst.len == 3, "nothing of a failed source is appended");
    buf_free(&src);
    buf_free(&dst);
    struct buf empty;
    buf_init(&empty, BUF_CAP_MSG);
    buf_init(&dst, 2);
    cr_expect_eq(buf_append_buf(&dst, &empty), 0, "an empty, never-grown source");
    cr_expect(dst.len == 0 && !buf_failed(&dst));
    buf_free(&dst);
    buf_free(&empty);
}

/* The named caps: ordered by what they hold, the message cap is exactly what
 * struct error holds, and each is enforced to the byte. */
Test(buf, named_caps)
{
    cr_expect_eq(BUF_CAP_MSG, (size_t)ERROR_MSG_MAX);
    cr_expect(BUF_CAP_MSG < BUF_CAP_LINE && BUF_CAP_LINE < BUF_CAP_LIST &&
              BUF_CAP_LIST <= BUF_CAP_NAME && BUF_CAP_NAME < BUF_CAP_SQL &&
              BUF_CAP_SQL < BUF_CAP_ROW && BUF_CAP_ROW < BUF_CAP_BULK);
    cr_expect_eq(BUF_CAP_SQL, (size_t)1 << 30, "max_allowed_packet's upper bound");
    cr_expect(BUF_CAP_ROW > 6 * (size_t)INT32_MAX, "SQLite's largest row, converted and escaped");
    static const size_t small[] = {BUF_CAP_MSG, BUF_CAP_LINE, BUF_CAP_LIST, BUF_CAP_NAME};
    for (size_t i = 0; i < sizeof small / sizeof *small; i++) {
        struct buf b;
        buf_init(&b, small[i]);
        char *fill = malloc(small[i]);
        cr_assert_not_null(fill);
        memset(fill, 'x', small[i]);
        cr_expect_eq(buf_append(&b, fill, small[i] - 1), 0, "cap %zu", small[i]);
        cr_expect_eq(buf_putc(&b, 'y'), 0, "exactly the cap %zu", small[i]);
        cr_expect(b.len == small[i] && !buf_failed(&b));
        cr_expect_eq(buf_putc(&b, 'z'), -1, "one past the cap %zu", small[i]);
        cr_expect(b.len == small[i] && b.data[b.len - 1] == 'y' && buf_failed(&b));
        free(fill);
        buf_free(&b);
    }
    /* the large caps are enforced without allocating them */
    static const size_t large[] = {BUF_CAP_SQL, BUF_CAP_ROW, BUF_CAP_BULK};
    for (size_t i = 0; i < sizeof large / sizeof *large; i++) {
        struct buf b;
        buf_init(&b, large[i]);
        cr_expect_eq(buf_puts(&b, "x"), 0);
        cr_expect_eq(buf_reserve(&b, large[i]), -1, "cap %zu", large[i]);
        cr_expect(buf_failed(&b) && b.len == 1 && strcmp(b.data, "x") == 0);
        buf_free(&b);
    }
}
