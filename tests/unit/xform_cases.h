/* xform_cases: the table-driven harness the transformer's unit tests share
 * (test_xform*.c). Every case builds a target column with schema_parse_type()
 * from information_schema-style strings, feeds one hand-built struct
 * xform_src and checks the exact outcome: accepted with an exact kind
 * (XFORM_NUM/STR/BIN/NULL) and exact output bytes (memcmp + length, so NUL
 * bytes count), or rejected (return 1) with a reason containing an expected
 * substring and the arena left byte-for-byte unchanged. Every xform_value()
 * case is also run through xform_convert() with default options, which must
 * agree exactly. */
#ifndef LITELIFT_TEST_XFORM_CASES_H
#define LITELIFT_TEST_XFORM_CASES_H

#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "xform.h"

/* ---- column specifications (information_schema style) ------------------ */

struct colspec {
    const char *data_type;
    const char *column_type;
    const char *charset;
    unsigned long long char_max_len;
    bool nullable;
    bool auto_increment;
};

static const struct colspec TINYINT = {"tinyint", "tinyint(4)", NULL, 0, false, false};
static const struct colspec TINYINT_U = {"tinyint", "tinyint(3) unsigned", NULL, 0, false, false};
static const struct colspec SMALLINT = {"smallint", "smallint(6)", NULL, 0, false, false};
static const struct colspec SMALLINT_U = {"smallint", "smallint(5) unsigned", NULL, 0, false,
                                          false};
static const struct colspec MEDIUMINT = {"mediumint", "mediumint(9)", NULL, 0, false, false};
static const struct colspec MEDIUMINT_U = {"mediumint", "mediumint(8) unsigned", NULL, 0, false,
                                           false};
static const struct colspec INT = {"int", "int(11)", NULL, 0, false, false};
static const struct colspec INT_U = {"int", "int(10) unsigned", NULL, 0, false, false};
static const struct colspec BIGINT = {"bigint", "bigint(20)", NULL, 0, false, false};
static const struct colspec BIGINT_U = {"bigint", "bigint(20) unsigned", "", 0, false, false};
static const struct colspec BOOL = {"tinyint", "tinyint(1)", NULL, 0, false, false};
static const struct colspec DOUBLE = {"double", "double", NULL, 0, false, false};
static const struct colspec FLOAT = {"float", "float", NULL, 0, false, false};
static const struct colspec DEC10_2 = {"decimal", "decimal(10,2)", NULL, 0, false, false};
static const struct colspec DEC20_0 = {"decimal", "decimal(20,0)", NULL, 0, false, false};
static const struct colspec DEC10_2_U = {"decimal", "decimal(10,2) unsigned", NULL, 0, false,
                                         false};
static const struct colspec VARCHAR255 = {"varchar", "varchar(255)", "utf8mb4", 255, false, false};
static const struct colspec VARCHAR5 = {"varchar", "varchar(5)", "utf8mb4", 5, false, false};
static const struct colspec CHAR3 = {"char", "char(3)", "utf8mb4", 3, false, false};
static const struct colspec VARCHAR10_MB3 = {"varchar", "varchar(10)", "utf8mb3", 10, false, false};
static const struct colspec VARCHAR10_UTF8 = {"varchar", "varchar(10)", "utf8", 10, false, false};
static const struct colspec TEXT = {"text", "text", "utf8mb4", 65535, false, false};
static const struct colspec TINYTEXT = {"tinytext", "tinytext", "utf8mb4", 255, false, false};
static const struct colspec BLOB = {"blob", "blob", NULL, 65535, false, false};
static const struct colspec VARBINARY4 = {"varbinary", "varbinary(4)", NULL, 4, false, false};
static const struct colspec VARBINARY300 = {"varbinary", "varbinary(300)", NULL, 300, false, false};
static const struct colspec CHAR4_BIN = {"char", "char(4)", "binary", 4, false, false};
static const struct colspec JSON = {"json", "json", NULL, 0, false, false};
static const struct colspec DATETIME = {"datetime", "datetime", NULL, 0, false, false};
static const struct colspec DATETIME3 = {"datetime", "datetime(3)", NULL, 0, false, false};
static const struct colspec DATETIME6 = {"datetime", "datetime(6)", NULL, 0, false, false};
static const struct colspec DATE = {"date", "date", NULL, 0, false, false};
static const struct colspec TIMESTAMP = {"timestamp", "timestamp", NULL, 0, false, false};
static const struct colspec TIMESTAMP6 = {"timestamp", "timestamp(6)", NULL, 0, false, false};
static const struct colspec TIME = {"time", "time", NULL, 0, false, false};
static const struct colspec TIME3 = {"time", "time(3)", NULL, 0, false, false};
static const struct colspec TIME6 = {"time", "time(6)", NULL, 0, false, false};
static const struct colspec YEAR = {"year", "year(4)", NULL, 0, false, false};
static const struct colspec ENUM = {"enum", "enum('a','b''c')", "utf8mb4", 3, false, false};
static const struct colspec SET = {"set", "set('x','y','z')", "utf8mb4", 5, false, false};
static const struct colspec BIT1 = {"bit", "bit(1)", NULL, 0, false, false};
static const struct colspec BIT8 = {"bit", "bit(8)", NULL, 0, false, false};
static const struct colspec BIT64 = {"bit", "bit(64)", NULL, 0, false, false};
static const struct colspec GEOMETRY = {"geometry", "geometry", NULL, 0, false, false};
static const struct colspec INT_NULL = {"int", "int(11)", NULL, 0, true, false};
static const struct colspec INT_AI = {"int", "int(11)", NULL, 0, false, true};
static const struct colspec TEXT_NULL = {"text", "text", "utf8mb4", 65535, true, false};
static const struct colspec JSON_NULL = {"json", "json", NULL, 0, true, false};
static const struct colspec DATETIME_NULL = {"datetime", "datetime", NULL, 0, true, false};
static const struct colspec BLOB_NULL = {"blob", "blob", NULL, 65535, true, false};
static const struct colspec DATE_NULL = {"date", "date", NULL, 0, true, false};
static const struct colspec DATETIME3_NULL = {"datetime", "datetime(3)", NULL, 0, true, false};
static const struct colspec TIMESTAMP_NULL = {"timestamp", "timestamp", NULL, 0, true, false};

/* ---- cases ------------------------------------------------------------- */

enum outcome { ACCEPT, REJECT };

/* Per-column options for xform_convert(); cases without them use xform_value(). */
struct xopts {
    enum xform_unit unit;
    bool zero_date_null;
    bool utf8_replace;
    const char *null_default;
    bool utf8_cp1252;
};

struct xcase {
    const char *name;
    const struct colspec *col;
    struct xform_src src;
    enum outcome outcome;
    enum xform_kind kind;
    const char *bytes; /* ACCEPT: exact output; REJECT: substring of the reason */
    size_t nbytes;
    const struct xopts *opt; /* NULL: xform_value() (and xform_convert() must agree) */
    unsigned flags;          /* XFORM_F_* expected from xform_convert() */
};

/* Sources. T/B take a string literal; its length includes embedded NULs. */
/* clang-format off */
#define I(v) {.type = SQLITE_INTEGER, .i = (v)}
#define R(v) {.type = SQLITE_FLOAT, .d = (v)}
#define T(s) {.type = SQLITE_TEXT, .p = (const unsigned char *)(s), .n = sizeof(s) - 1}
#define B(s) {.type = SQLITE_BLOB, .p = (const unsigned char *)(s), .n = sizeof(s) - 1}
#define NUL_SRC {.type = SQLITE_NULL}

/* Expected outcomes. */
#define NUM(s) ACCEPT, XFORM_NUM, (s), sizeof(s) - 1, NULL, 0
#define STR(s) ACCEPT, XFORM_STR, (s), sizeof(s) - 1, NULL, 0
#define BIN(s) ACCEPT, XFORM_BIN, (s), sizeof(s) - 1, NULL, 0
#define IS_NULL ACCEPT, XFORM_NULL, "", 0, NULL, 0
#define REJ(s) REJECT, XFORM_NULL, (s), sizeof(s) - 1, NULL, 0

/* The same through xform_convert() with options o, expecting flags f. */
#define O_NUM(o, s) ACCEPT, XFORM_NUM, (s), sizeof(s) - 1, &(o), 0
#define O_STR(o, f, s) ACCEPT, XFORM_STR, (s), sizeof(s) - 1, &(o), (f)
#define O_NULL(o) ACCEPT, XFORM_NULL, "", 0, &(o), 0
#define O_REJ(o, s) REJECT, XFORM_NULL, (s), sizeof(s) - 1, &(o), 0

/* Same bytes in and out (text kept byte-exact). */
#define SAME_STR(name, col, s) {name, &col, T(s), STR(s)}
/* clang-format on */

#define ARENA_PREFIX "arena-prefix\0\xff"

/* ---- helpers ------------------------------------------------------------ */

static inline void col_init(struct schema_column *c, const struct colspec *s)
{
    memset(c, 0, sizeof *c);
    cr_assert_eq(schema_parse_type(c, s->data_type, s->column_type, s->charset, s->char_max_len), 0,
                 "schema_parse_type(%s) failed", s->column_type);
    c->name = strdup("col");
    c->column_type = strdup(s->column_type);
    cr_assert(c->name != NULL && c->column_type != NULL);
    c->nullable = s->nullable;
    c->auto_increment = s->auto_increment;
    c->has_default = s->auto_increment;
}

/* Printable rendering of bytes for failure messages (C escapes, cut at 160). */
static const char *show(char *dst, size_t cap, const void *p, size_t n)
{
    const unsigned char *s = p;
    size_t o = 0;
    for (size_t i = 0; i < n && o + 8 < cap; i++) {
        if (i == 160) {
            o += (size_t)snprintf(dst + o, cap - o, "...(%zu bytes)", n);
            break;
        }
        if (s[i] == '\\' || s[i] == '"')
            o += (size_t)snprintf(dst + o, cap - o, "\\%c", s[i]);
        else if (s[i] >= 0x20 && s[i] < 0x7f)
            dst[o++] = (char)s[i];
        else
            o += (size_t)snprintf(dst + o, cap - o, "\\x%02X", s[i]);
    }
    dst[o < cap ? o : cap - 1] = '\0';
    return dst;
}

static const char *show_src(char *dst, size_t cap, const struct xform_src *s)
{
    char tmp[1024];
    switch (s->type) {
    case SQLITE_INTEGER:
        snprintf(dst, cap, "INTEGER %lld", (long long)s->i);
        break;
    case SQLITE_FLOAT:
        snprintf(dst, cap, "REAL %.17g", s->d);
        break;
    case SQLITE_TEXT:
        snprintf(dst, cap, "TEXT \"%s\"", show(tmp, sizeof tmp, s->p, s->n));
        break;
    case SQLITE_BLOB:
        snprintf(dst, cap, "BLOB \"%s\"", show(tmp, sizeof tmp, s->p, s->n));
        break;
    default:
        snprintf(dst, cap, "NULL");
        break;
    }
    return dst;
}

static const char *kind_name(enum xform_kind k)
{
    switch (k) {
    case XFORM_NULL:
        return "NULL";
    case XFORM_NUM:
        return "NUM";
    case XFORM_STR:
        return "STR";
    case XFORM_BIN:
        return "BIN";
    }
    return "?";
}

/* Result of one conversion, with the arena and reason copied out. */
struct result {
    int rc;
    enum xform_kind kind;
    char *bytes; /* output bytes (accepted) or reason (rejected), NUL-terminated */
    size_t nbytes;
    bool layout_ok;       /* off/len agree with the arena, prefix intact, or arena unchanged */
    unsigned flags;       /* from xform_convert() */
    bool same_as_convert; /* xform_value() and xform_convert() with defaults agree */
};

static inline void result_free(struct result *r)
{
    free(r->bytes);
    r->bytes = NULL;
}

/* One conversion into a fresh arena that already holds ARENA_PREFIX. */
static inline int run_one(const struct schema_column *c, const struct xopts *opt,
                          const struct xform_src *src, struct buf *arena, struct buf *why,
                          struct xform_val *out, unsigned *flags)
{
    buf_init(arena, BUF_CAP_ROW);
    buf_init(why, BUF_CAP_ROW);
    cr_assert_eq(buf_append(arena, ARENA_PREFIX, sizeof ARENA_PREFIX - 1), 0);
    out->kind = XFORM_BIN;
    out->off = out->len = 999999;
    *flags = 0;
    if (opt == NULL)
        return xform_value(c, src, arena, out, why);
    struct xform_col xc = {.col = c,
                           .unit = opt->unit,
                           .zero_date_null = opt->zero_date_null,
                           .utf8_replace = opt->utf8_replace,
                           .utf8_cp1252 = opt->utf8_cp1252,
                           .null_default = opt->null_default};
    return xform_convert(&xc, src, arena, out, why, flags);
}

static inline struct result convert(const struct colspec *spec, const struct xform_src *src,
                                    const struct xopts *opt)
{
    struct schema_column c;
    col_init(&c, spec);
    struct buf arena, why;
    struct xform_val out;
    struct result r = {0};
    size_t before = sizeof ARENA_PREFIX - 1;
    r.rc = run_one(&c, opt, src, &arena, &why, &out, &r.flags);
    r.kind = out.kind;
    bool prefix_ok = memcmp(arena.data, ARENA_PREFIX, before) == 0;
    if (r.rc == 0) {
        r.layout_ok = prefix_ok && out.off == before && arena.len == before + out.len;
        r.nbytes = r.layout_ok ? out.len : 0;
        r.bytes = malloc(r.nbytes + 1);
        cr_assert(r.bytes != NULL);
        if (r.nbytes)
            memcpy(r.bytes, arena.data + out.off, r.nbytes);
        r.bytes[r.nbytes] = '\0';
    } else {
        r.layout_ok = prefix_ok && arena.len == before;
        r.nbytes = why.len;
        r.bytes = strdup(why.data ? why.data : "");
        cr_assert(r.bytes != NULL);
    }
    r.same_as_convert = true;
    if (opt == NULL) {
        /* xform_convert() with default options must give exactly the same */
        static const struct xopts defaults = {XFORM_UNIT_AUTO, false, false, NULL, false};
        struct buf arena2, why2;
        struct xform_val out2;
        unsigned flags2;
        int rc2 = run_one(&c, &defaults, src, &arena2, &why2, &out2, &flags2);
        r.same_as_convert =
            rc2 == r.rc && arena2.len == arena.len &&
            memcmp(arena2.data, arena.data, arena.len) == 0 && why2.len == why.len && flags2 == 0 &&
            (r.rc != 0 || (out2.kind == out.kind && out2.off == out.off && out2.len == out.len));
        buf_free(&arena2);
        buf_free(&why2);
    }
    buf_free(&arena);
    buf_free(&why);
    schema_column_free(&c);
    return r;
}

/* Checks one case; reports a descriptive failure and returns whether it passed. */
static inline bool check_case(const struct xcase *k)
{
    struct result r = convert(k->col, &k->src, k->opt);
    bool ok;
    if (k->outcome == ACCEPT)
        ok = r.rc == 0 && r.layout_ok && r.kind == k->kind && r.nbytes == k->nbytes &&
             memcmp(r.bytes, k->bytes, k->nbytes) == 0;
    else
        ok = r.rc == 1 && r.layout_ok && strstr(r.bytes, k->bytes) != NULL;
    ok = ok && r.flags == k->flags && r.same_as_convert;
    if (!ok) {
        char src[1200], want[1200], got[1200];
        show_src(src, sizeof src, &k->src);
        show(want, sizeof want, k->bytes, k->nbytes);
        show(got, sizeof got, r.bytes, r.nbytes);
        cr_expect(ok,
                  "case \"%s\": %s into %s%s: expected %s %s\"%s\" flags=%u, got rc=%d %s\"%s\" "
                  "flags=%u%s%s",
                  k->name, src, k->col->column_type, k->opt ? " (with options)" : "",
                  k->outcome == ACCEPT ? "ACCEPT" : "REJECT containing",
                  k->outcome == ACCEPT ? kind_name(k->kind) : "", want, k->flags, r.rc,
                  r.rc == 0 ? kind_name(r.kind) : "why=", got, r.flags,
                  r.layout_ok ? ""
                  : r.rc == 0 ? " (bad off/len or prefix changed)"
                              : " (arena changed on reject)",
                  r.same_as_convert ? "" : " (xform_convert with default options differs)");
    }
    result_free(&r);
    return ok;
}

static inline void run_cases(const struct xcase *v, size_t n)
{
    size_t failed = 0;
    for (size_t i = 0; i < n; i++)
        failed += !check_case(&v[i]);
    cr_expect_eq(failed, 0, "%zu of %zu cases failed", failed, n);
}

#define RUN(table) run_cases(table, sizeof table / sizeof *table)

#endif
