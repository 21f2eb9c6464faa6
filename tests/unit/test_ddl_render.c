/* Unit tests of the schema designer's DDL text (src/ddl_render.c): the one
 * SQL string escaper and SQLite defaults as MySQL literals. (Whole CREATE
 * TABLE statements designed from files: test_ddl.c.) */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddl_int.h"

static const struct {
    const char *text, *literal;
} strings[] = {
    {"plain", "'plain'"},
    {"", "''"},
    {"it's", "'it''s'"},
    {"back\\slash", "'back\\\\slash'"},
    {"'\\'", "'''\\\\'''"},
    {"x*/y; -- z", "'x*/y; -- z'"},
    {"Zürich 東京", "'Zürich 東京'"},
};

Test(ddl_render, sql_string_escaping)
{
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++) {
        struct buf b;
        buf_init(&b, BUF_CAP_ROW);
        cr_assert_eq(ddl_sql_string(&b, strings[i].text), 0);
        cr_expect_str_eq(b.data, strings[i].literal, "'%s'", strings[i].text);
        buf_free(&b);
    }
}

static const struct {
    const char *dflt, *type;
    const char *literal; /* NULL: MySQL cannot take it */
} defaults[] = {
    {"'it''s \\ ok'", "VARCHAR(10)", "'it''s \\\\ ok'"},
    {"'a''b'c'", "VARCHAR(3)", "'a''b'"}, /* the literal ends at its lone quote */
    {"'2020-01-01'", "DATE", "'2020-01-01'"},
    {"1.5", "DOUBLE", "1.5"},
    {"(0)", "BIGINT", "0"},
    {"-3", "BIGINT", "-3"},
    {"20200101", "DATE", NULL}, /* a number is no DATE */
    {"CURRENT_TIMESTAMP", "DATETIME(6)", "CURRENT_TIMESTAMP(6)"},
    {"current_timestamp", "DATETIME", "CURRENT_TIMESTAMP"},
    {"CURRENT_TIMESTAMP", "VARCHAR(20)", NULL},
    {"'e'", "TEXT", NULL}, /* MySQL takes no default for TEXT, BLOB or JSON */
    {"'{}'", "JSON", NULL},
    {"NULL", "BIGINT", NULL},
    {NULL, "BIGINT", NULL},
    {"abs(-1)", "BIGINT", NULL},
};

Test(ddl_render, defaults_as_mysql_literals)
{
    for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++) {
        char *lit = ddl_default_literal(defaults[i].dflt, defaults[i].type);
        if (defaults[i].literal == NULL)
            cr_expect_null(lit, "%s %s: %s", defaults[i].dflt, defaults[i].type, lit);
        else
            cr_expect(lit != NULL && strcmp(lit, defaults[i].literal) == 0, "%s %s: %s, not %s",
                      defaults[i].dflt, defaults[i].type, lit ? lit : "NULL", defaults[i].literal);
        free(lit);
    }
}
