/* fuzz: what the libFuzzer targets of tests/fuzz/ share: the entry point's
 * declaration, an oracle check that aborts (a finding) with a message, and a
 * reader that takes bounded pieces off the front of the input. */
#ifndef LITELIFT_FUZZ_H
#define LITELIFT_FUZZ_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "schema.h"
#include "xform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with the message when cond is false: libFuzzer records the input. */
#define FUZZ_CHECK(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz: oracle failed: %s: ", #cond);                                   \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* The input being consumed. */
struct fuzz_in {
    const uint8_t *p;
    size_t n;
};

/* The next byte (0 when none is left). */
static inline unsigned fuzz_byte(struct fuzz_in *in)
{
    if (in->n == 0)
        return 0;
    in->n--;
    return *in->p++;
}

/* Fills p[0..n) from the input (zeros where it runs out). */
static inline void fuzz_take(struct fuzz_in *in, void *p, size_t n)
{
    size_t k = in->n < n ? in->n : n;
    memset(p, 0, n);
    if (k > 0)
        memcpy(p, in->p, k);
    in->p += k;
    in->n -= k;
}

/* A copy of the rest of the input as a NUL-terminated string (NULL when out
 * of memory); embedded NULs end it early, as they would in a C string. */
static inline char *fuzz_cstr(const struct fuzz_in *in)
{
    char *s = malloc(in->n + 1);
    if (s != NULL) {
        memcpy(s, in->p, in->n);
        s[in->n] = '\0';
    }
    return s;
}

/* A target column in information_schema's words (as tests/unit/xform_cases.h). */
struct fuzz_col {
    const char *data_type, *column_type, *charset;
    unsigned long long max;
};

/* Fills c from spec (free with schema_column_free); aborts when it cannot. */
static inline void fuzz_column(struct schema_column *c, const struct fuzz_col *spec)
{
    memset(c, 0, sizeof *c);
    FUZZ_CHECK(schema_parse_type(c, spec->data_type, spec->column_type, spec->charset, spec->max) ==
                   0,
               "%s", spec->column_type);
    c->column_type = strdup(spec->column_type);
    c->nullable = true;
}

/* A source value from the input: one byte picks the storage class, then an
 * INTEGER or REAL takes 8 bytes, TEXT and BLOB the rest (not copied). */
static inline struct xform_src fuzz_src(struct fuzz_in *in)
{
    struct xform_src s;
    memset(&s, 0, sizeof s);
    unsigned pick = fuzz_byte(in) % 4;
    s.type = pick == 0   ? SQLITE_TEXT
             : pick == 1 ? SQLITE_INTEGER
             : pick == 2 ? SQLITE_FLOAT
                         : SQLITE_BLOB;
    if (pick == 1 || pick == 2) {
        uint8_t raw[8] = {0};
        size_t k = in->n < 8 ? in->n : 8;
        memcpy(raw, in->p, k);
        in->p += k;
        in->n -= k;
        memcpy(pick == 1 ? (void *)&s.i : (void *)&s.d, raw, 8);
        return s;
    }
    s.p = in->p;
    s.n = in->n;
    return s;
}

/* xform_convert with its contract checked: a rejection gives a reason and
 * leaves the arena as it was; an accepted value lies inside the arena. */
static inline int fuzz_convert(const struct xform_col *xc, const struct xform_src *s,
                               struct buf *arena, struct xform_val *out)
{
    struct buf why;
    buf_init(&why, BUF_CAP_MSG);
    size_t before = arena->len;
    unsigned flags = 0;
    int rc = xform_convert(xc, s, arena, out, &why, &flags);
    FUZZ_CHECK(rc == 0 || rc == 1, "xform_convert returned %d", rc);
    if (rc == 1)
        FUZZ_CHECK(why.len > 0 && arena->len == before, "rejected without a reason or with output");
    else
        FUZZ_CHECK(out->off >= before && out->off + out->len == arena->len,
                   "value outside the arena");
    buf_free(&why);
    return rc;
}

/* Converting an accepted NUM or STR value's own text into the same column
 * must give it back unchanged (the output is in the column's canonical form).
 * A NUM value that is a canonical 64-bit integer goes back in as an INTEGER
 * (BIT takes nothing else), anything else as TEXT. */
static inline void fuzz_check_fixpoint(const struct xform_col *xc, const struct buf *arena,
                                       const struct xform_val *v)
{
    if (v->kind != XFORM_NUM && v->kind != XFORM_STR)
        return;
    struct xform_col plain = *xc;
    plain.unit = XFORM_UNIT_AUTO;
    struct xform_src t = {
        .type = SQLITE_TEXT, .p = (const unsigned char *)arena->data + v->off, .n = v->len};
    char *end;
    errno = 0;
    long long i = v->kind == XFORM_NUM ? strtoll((const char *)t.p, &end, 10) : 0;
    if (v->kind == XFORM_NUM && errno == 0 && end == (const char *)t.p + t.n && t.n > 0 &&
        (t.p[0] != '0' || t.n == 1) && !(t.p[0] == '-' && (t.n == 1 || t.p[1] == '0'))) {
        t.type = SQLITE_INTEGER;
        t.i = i;
    }
    struct buf again;
    buf_init(&again, BUF_CAP_ROW);
    struct xform_val w;
    int rc = fuzz_convert(&plain, &t, &again, &w);
    FUZZ_CHECK(rc == 0 && w.kind == v->kind && w.len == v->len &&
                   memcmp(again.data + w.off, arena->data + v->off, v->len) == 0,
               "%s: '%.*s' read back as %s'%.*s'", xc->col->column_type, (int)v->len,
               arena->data + v->off, rc == 0 ? "" : "a rejection, not ", rc == 0 ? (int)w.len : 0,
               rc == 0 ? again.data + w.off : "");
    buf_free(&again);
}

#endif
