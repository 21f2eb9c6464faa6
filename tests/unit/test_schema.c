/* test_schema: table-driven tests of schema_parse_type() (src/schema.h): each
 * information_schema triple DATA_TYPE / COLUMN_TYPE / CHARACTER_SET_NAME (+
 * CHARACTER_MAXIMUM_LENGTH) maps to an exact kind, is_unsigned, int_bytes, max,
 * max_in_chars, utf8mb3, precision/scale, fsp and ENUM/SET members (quotes
 * doubled as '' and MySQL's backslash escapes). Also tinyint(1) -> BOOL but
 * tinyint(1) unsigned / tinyint(4) -> INT, char in charset NULL/binary ->
 * BINARY, unknown types -> UNSUPPORTED, and schema_find_column(). */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

struct scase {
    const char *name;
    const char *data_type, *column_type, *charset;
    unsigned long long char_max_len;
    enum schema_kind kind;
    bool is_unsigned;
    int int_bytes;
    unsigned long long max;
    bool max_in_chars;
    bool utf8mb3;
    int precision, scale;
    int fsp;
    size_t nmembers;
    const char *members[4];
};

/* Shorthands for the expectation part of a row. */
/* clang-format off */
#define INT_(bytes, uns) SCHEMA_INT, uns, bytes, 0, false, false, 0, 0, 0, 0, {NULL}
#define KIND(k) k, false, 0, 0, false, false, 0, 0, 0, 0, {NULL}
#define KIND_U(k) k, true, 0, 0, false, false, 0, 0, 0, 0, {NULL}
#define DEC_(p, s, uns) SCHEMA_DECIMAL, uns, 0, 0, false, false, p, s, 0, 0, {NULL}
#define TEXT_(max, inchars, mb3) SCHEMA_TEXT, false, 0, max, inchars, mb3, 0, 0, 0, 0, {NULL}
#define BIN_(max) SCHEMA_BINARY, false, 0, max, false, false, 0, 0, 0, 0, {NULL}
#define TIME_(k, fsp) k, false, 0, 0, false, false, 0, 0, fsp, 0, {NULL}
#define BIT_(bits) SCHEMA_BIT, false, 0, bits, false, false, 0, 0, 0, 0, {NULL}
#define MEMBERS(k, n, ...) k, false, 0, 0, false, false, 0, 0, 0, n, {__VA_ARGS__}
/* clang-format on */

static const struct scase cases[] = {
    /* integers */
    {"tinyint(4)", "tinyint", "tinyint(4)", NULL, 0, INT_(1, false)},
    {"tinyint (MySQL 8 spelling)", "tinyint", "tinyint", NULL, 0, INT_(1, false)},
    {"tinyint(1) is BOOL",
     "tinyint",
     "tinyint(1)",
     NULL,
     0,
     SCHEMA_BOOL,
     false,
     1,
     0,
     false,
     false,
     0,
     0,
     0,
     0,
     {NULL}},
    {"tinyint(1) unsigned is INT", "tinyint", "tinyint(1) unsigned", NULL, 0, INT_(1, true)},
    {"tinyint(1) unsigned zerofill is INT", "tinyint", "tinyint(1) unsigned zerofill", NULL, 0,
     INT_(1, true)},
    {"tinyint(3) unsigned", "tinyint", "tinyint(3) unsigned", NULL, 0, INT_(1, true)},
    {"tinyint(2)", "tinyint", "tinyint(2)", NULL, 0, INT_(1, false)},
    {"smallint(6)", "smallint", "smallint(6)", NULL, 0, INT_(2, false)},
    {"smallint(5) unsigned", "smallint", "smallint(5) unsigned", NULL, 0, INT_(2, true)},
    {"smallint(1) is not BOOL", "smallint", "smallint(1)", NULL, 0, INT_(2, false)},
    {"mediumint(9)", "mediumint", "mediumint(9)", NULL, 0, INT_(3, false)},
    {"mediumint(8) unsigned", "mediumint", "mediumint(8) unsigned", NULL, 0, INT_(3, true)},
    {"int(11)", "int", "int(11)", NULL, 0, INT_(4, false)},
    {"int", "int", "int", NULL, 0, INT_(4, false)},
    {"int(10) unsigned", "int", "int(10) unsigned", NULL, 0, INT_(4, true)},
    {"integer", "integer", "integer", NULL, 0, INT_(4, false)},
    {"bigint(20)", "bigint", "bigint(20)", NULL, 0, INT_(8, false)},
    {"bigint(20) unsigned, charset empty", "bigint", "bigint(20) unsigned", "", 0, INT_(8, true)},
    {"bigint unsigned", "bigint", "bigint unsigned", NULL, 0, INT_(8, true)},
    {"BIGINT upper-case data type", "BIGINT", "bigint(20)", NULL, 0, INT_(8, false)},
    /* decimals and floating point */
    {"decimal(10,2)", "decimal", "decimal(10,2)", NULL, 0, DEC_(10, 2, false)},
    {"decimal(10,0)", "decimal", "decimal(10,0)", NULL, 0, DEC_(10, 0, false)},
    {"decimal(65,30)", "decimal", "decimal(65,30)", NULL, 0, DEC_(65, 30, false)},
    {"decimal(5,5)", "decimal", "decimal(5,5)", NULL, 0, DEC_(5, 5, false)},
    {"decimal(10,2) unsigned", "decimal", "decimal(10,2) unsigned", NULL, 0, DEC_(10, 2, true)},
    {"numeric(7,3)", "numeric", "numeric(7,3)", NULL, 0, DEC_(7, 3, false)},
    {"float", "float", "float", NULL, 0, KIND(SCHEMA_FLOAT)},
    {"double", "double", "double", NULL, 0, KIND(SCHEMA_DOUBLE)},
    {"double unsigned", "double", "double unsigned", NULL, 0, KIND_U(SCHEMA_DOUBLE)},
    {"real", "real", "double", NULL, 0, KIND(SCHEMA_DOUBLE)},
    /* text */
    {"varchar(255) utf8mb4", "varchar", "varchar(255)", "utf8mb4", 255, TEXT_(255, true, false)},
    {"varchar(10) utf8mb3", "varchar", "varchar(10)", "utf8mb3", 10, TEXT_(10, true, true)},
    {"varchar(10) utf8", "varchar", "varchar(10)", "utf8", 10, TEXT_(10, true, true)},
    {"varchar(10) UTF8MB3 upper case", "varchar", "varchar(10)", "UTF8MB3", 10,
     TEXT_(10, true, true)},
    {"varchar(10) latin1", "varchar", "varchar(10)", "latin1", 10, TEXT_(10, true, false)},
    {"char(3) utf8mb4", "char", "char(3)", "utf8mb4", 3, TEXT_(3, true, false)},
    {"char(3) charset NULL is BINARY", "char", "char(3)", NULL, 3, BIN_(3)},
    {"char(3) charset binary is BINARY", "char", "char(3)", "binary", 3, BIN_(3)},
    {"varchar(10) charset binary is BINARY", "varchar", "varchar(10)", "binary", 10, BIN_(10)},
    {"text utf8mb4", "text", "text", "utf8mb4", 65535, TEXT_(65535, false, false)},
    {"tinytext", "tinytext", "tinytext", "utf8mb4", 255, TEXT_(255, false, false)},
    {"mediumtext", "mediumtext", "mediumtext", "utf8mb4", 16777215, TEXT_(16777215, false, false)},
    {"longtext", "longtext", "longtext", "utf8mb4", 4294967295ULL,
     TEXT_(4294967295ULL, false, false)},
    {"longtext utf8mb3", "longtext", "longtext", "utf8mb3", 4294967295ULL,
     TEXT_(4294967295ULL, false, true)},
    {"text charset binary is BINARY", "text", "text", "binary", 65535, BIN_(65535)},
    {"text charset NULL is BINARY", "text", "text", NULL, 65535, BIN_(65535)},
    /* binary */
    {"binary(16)", "binary", "binary(16)", NULL, 16, BIN_(16)},
    {"varbinary(300)", "varbinary", "varbinary(300)", NULL, 300, BIN_(300)},
    {"tinyblob", "tinyblob", "tinyblob", NULL, 255, BIN_(255)},
    {"blob", "blob", "blob", NULL, 65535, BIN_(65535)},
    {"mediumblob", "mediumblob", "mediumblob", NULL, 16777215, BIN_(16777215)},
    {"longblob", "longblob", "longblob", NULL, 4294967295ULL, BIN_(4294967295ULL)},
    /* JSON */
    {"json", "json", "json", NULL, 0, KIND(SCHEMA_JSON)},
    {"json with charset utf8mb4", "json", "json", "utf8mb4", 4294967295ULL, KIND(SCHEMA_JSON)},
    /* dates and times */
    {"date", "date", "date", NULL, 0, TIME_(SCHEMA_DATE, 0)},
    {"datetime", "datetime", "datetime", NULL, 0, TIME_(SCHEMA_DATETIME, 0)},
    {"datetime(3)", "datetime", "datetime(3)", NULL, 0, TIME_(SCHEMA_DATETIME, 3)},
    {"datetime(6)", "datetime", "datetime(6)", NULL, 0, TIME_(SCHEMA_DATETIME, 6)},
    {"timestamp", "timestamp", "timestamp", NULL, 0, TIME_(SCHEMA_TIMESTAMP, 0)},
    {"timestamp(6)", "timestamp", "timestamp(6)", NULL, 0, TIME_(SCHEMA_TIMESTAMP, 6)},
    {"time", "time", "time", NULL, 0, TIME_(SCHEMA_TIME, 0)},
    {"time(3)", "time", "time(3)", NULL, 0, TIME_(SCHEMA_TIME, 3)},
    {"year", "year", "year", NULL, 0, KIND(SCHEMA_YEAR)},
    {"year(4)", "year", "year(4)", NULL, 0, KIND(SCHEMA_YEAR)},
    /* ENUM / SET members */
    {"enum('a','b''c')", "enum", "enum('a','b''c')", "utf8mb4", 3,
     MEMBERS(SCHEMA_ENUM, 2, "a", "b'c")},
    {"enum('x')", "enum", "enum('x')", "utf8mb4", 1, MEMBERS(SCHEMA_ENUM, 1, "x")},
    {"enum('') empty member", "enum", "enum('')", "utf8mb4", 0, MEMBERS(SCHEMA_ENUM, 1, "")},
    {"enum with comma and paren inside members", "enum", "enum('a,b','c)','d')", "utf8mb4", 3,
     MEMBERS(SCHEMA_ENUM, 3, "a,b", "c)", "d")},
    {"enum member of only a quote", "enum", "enum('''','x')", "utf8mb4", 1,
     MEMBERS(SCHEMA_ENUM, 2, "'", "x")},
    {"enum member with spaces and UTF-8", "enum", "enum('a b','caf\xc3\xa9')", "utf8mb4", 4,
     MEMBERS(SCHEMA_ENUM, 2, "a b", "caf\xc3\xa9")},
    {"enum member with backslash (shown as \\\\)", "enum", "enum('a\\\\b')", "utf8mb4", 3,
     MEMBERS(SCHEMA_ENUM, 1, "a\\b")},
    {"enum member with newline (shown as \\n)", "enum", "enum('a\\nb')", "utf8mb4", 3,
     MEMBERS(SCHEMA_ENUM, 1, "a\nb")},
    {"set('x','y','z')", "set", "set('x','y','z')", "utf8mb4", 5,
     MEMBERS(SCHEMA_SET, 3, "x", "y", "z")},
    {"set('it''s','b')", "set", "set('it''s','b')", "utf8mb4", 6,
     MEMBERS(SCHEMA_SET, 2, "it's", "b")},
    /* BIT */
    {"bit(1)", "bit", "bit(1)", NULL, 0, BIT_(1)},
    {"bit(8)", "bit", "bit(8)", NULL, 0, BIT_(8)},
    {"bit(64)", "bit", "bit(64)", NULL, 0, BIT_(64)},
    {"bit", "bit", "bit", NULL, 0, BIT_(1)},
    /* unsupported */
    {"geometry", "geometry", "geometry", NULL, 0, KIND(SCHEMA_UNSUPPORTED)},
    {"point", "point", "point", NULL, 0, KIND(SCHEMA_UNSUPPORTED)},
    {"vector", "vector", "vector(3)", NULL, 0, KIND(SCHEMA_UNSUPPORTED)},
    {"empty data type", "", "", NULL, 0, KIND(SCHEMA_UNSUPPORTED)},
};

static const char *kind_name(enum schema_kind k)
{
    static const char *const names[] = {"INT",  "BOOL",       "DECIMAL", "FLOAT",    "DOUBLE",
                                        "TEXT", "BINARY",     "DATE",    "DATETIME", "TIMESTAMP",
                                        "TIME", "YEAR",       "JSON",    "ENUM",     "SET",
                                        "BIT",  "UNSUPPORTED"};
    return (unsigned)k < sizeof names / sizeof *names ? names[k] : "?";
}

static bool members_equal(const struct schema_column *c, const struct scase *k)
{
    if (c->nmembers != k->nmembers)
        return false;
    for (size_t i = 0; i < k->nmembers; i++)
        if (strcmp(c->members[i], k->members[i]) != 0)
            return false;
    return true;
}

Test(schema, parse_type)
{
    size_t failed = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct scase *k = &cases[i];
        struct schema_column c;
        memset(&c, 0, sizeof c);
        char *name = strdup("n"), *ctype = strdup("t");
        c.name = name;
        c.column_type = ctype;
        int rc = schema_parse_type(&c, k->data_type, k->column_type, k->charset, k->char_max_len);
        bool ok = rc == 0 && c.kind == k->kind && c.is_unsigned == k->is_unsigned &&
                  c.max == k->max && c.max_in_chars == k->max_in_chars && c.utf8mb3 == k->utf8mb3 &&
                  members_equal(&c, k) && c.name == name && c.column_type == ctype;
        if (k->kind == SCHEMA_INT || k->kind == SCHEMA_BOOL)
            ok = ok && c.int_bytes == k->int_bytes;
        if (k->kind == SCHEMA_DECIMAL)
            ok = ok && c.precision == k->precision && c.scale == k->scale;
        if (k->kind == SCHEMA_DATETIME || k->kind == SCHEMA_TIMESTAMP || k->kind == SCHEMA_TIME)
            ok = ok && c.fsp == k->fsp;
        if (!ok) {
            failed++;
            char mem[200] = "";
            for (size_t m = 0; m < c.nmembers; m++)
                snprintf(mem + strlen(mem), sizeof mem - strlen(mem), "[%s]", c.members[m]);
            cr_expect(ok,
                      "schema case \"%s\" (%s / %s / %s / %llu): expected %s unsigned=%d "
                      "bytes=%d max=%llu chars=%d mb3=%d p,s=%d,%d fsp=%d members=%zu; got rc=%d "
                      "%s unsigned=%d bytes=%d max=%llu chars=%d mb3=%d p,s=%d,%d fsp=%d "
                      "members=%zu %s",
                      k->name, k->data_type, k->column_type, k->charset ? k->charset : "NULL",
                      k->char_max_len, kind_name(k->kind), k->is_unsigned, k->int_bytes, k->max,
                      k->max_in_chars, k->utf8mb3, k->precision, k->scale, k->fsp, k->nmembers, rc,
                      kind_name(c.kind), c.is_unsigned, c.int_bytes, c.max, c.max_in_chars,
                      c.utf8mb3, c.precision, c.scale, c.fsp, c.nmembers, mem);
        }
        schema_column_free(&c);
        cr_expect(c.name == NULL && c.members == NULL && c.nmembers == 0,
                  "schema_column_free clears the column");
    }
    cr_expect_eq(failed, 0, "%zu schema cases failed", failed);
}

Test(schema, find_column)
{
    struct schema_column cols[3];
    memset(cols, 0, sizeof cols);
    const char *names[] = {"id", "Project_ID", "caf\xc3\xa9"};
    for (int i = 0; i < 3; i++)
        cols[i].name = (char *)names[i];
    struct schema_table tb = {.name = "t", .ncols = 3, .cols = cols};
    static const struct {
        const char *name;
        int want;
    } v[] = {
        {"id", 0},         {"ID", 0},          {"project_id", 1}, {"PROJECT_ID", 1},
        {"Project_ID", 1}, {"caf\xc3\xa9", 2}, {"missing", -1},   {"", -1},
        {"id ", -1},       {"i", -1},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        cr_expect_eq(schema_find_column(&tb, v[i].name), v[i].want,
                     "schema_find_column(\"%s\") should be %d", v[i].name, v[i].want);
}
