/* Unit tests of the schema designer's DDL text (src/ddl_render.c): the one
 * SQL string escaper. (Defaults: test_ddl_default.c; whole CREATE TABLE
 * statements designed from files: test_ddl.c.) */
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
