/* Unit tests of the design's defaults (src/ddl_default.c): SQLite defaults
 * converted by the rules that convert the column's values, dropped with the
 * reason when MySQL cannot take them, and kept only when the files agree. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddl_int.h"

static const struct {
    const char *dflt, *type;
    enum xform_unit unit;
    const char *literal; /* NULL: dropped, */
    const char *why;     /* for this reason ("": none to say) */
} defaults[] = {
    {"'it''s \\ ok'", "VARCHAR(10)", XFORM_UNIT_AUTO, "'it''s \\\\ ok'", ""},
    {"'a''b'c'", "VARCHAR(3)", XFORM_UNIT_AUTO, "'a''b'",
     ""}, /* the literal ends at its lone quote */
    {"'2020-01-01'", "DATE", XFORM_UNIT_AUTO, "'2020-01-01'", ""},
    {"1.5", "DOUBLE", XFORM_UNIT_AUTO, "1.5e0", ""}, /* as the conversion writes a DOUBLE */
    {"(0)", "BIGINT", XFORM_UNIT_AUTO, "0", ""},
    {"-3", "BIGINT", XFORM_UNIT_AUTO, "-3", ""},
    {"'7'", "BIGINT", XFORM_UNIT_AUTO, "7", ""},
    /* ISO text with T, Z or an offset: a UTC DATETIME literal */
    {"'2024-03-01T10:00:00Z'", "DATETIME(6)", XFORM_UNIT_AUTO, "'2024-03-01 10:00:00.000000'", ""},
    {"'2024-03-01T10:00:00.250+02:00'", "DATETIME(6)", XFORM_UNIT_AUTO,
     "'2024-03-01 08:00:00.250000'", ""},
    {"'0000-01-01T00:00:00.000Z'", "DATETIME(6)", XFORM_UNIT_AUTO, NULL,
     "date out of range (year 1-9999)"},
    /* epoch numbers, in the column's unit */
    {"0", "DATETIME(6)", XFORM_UNIT_AUTO, "'1970-01-01 00:00:00.000000'", ""},
    {"1700000000000", "DATETIME(6)", XFORM_UNIT_MS, "'2023-11-14 22:13:20.000000'", ""},
    /* booleans */
    {"'true'", "TINYINT(1)", XFORM_UNIT_AUTO, "1", ""},
    {"FALSE", "TINYINT(1)", XFORM_UNIT_AUTO, "0", ""},
    {"'12:30'", "TIME(6)", XFORM_UNIT_AUTO, "'12:30:00.000000'", ""},
    {"'toolong'", "VARCHAR(3)", XFORM_UNIT_AUTO, NULL, NULL},
    {"CURRENT_TIMESTAMP", "DATETIME(6)", XFORM_UNIT_AUTO, "CURRENT_TIMESTAMP(6)", ""},
    {"current_timestamp", "DATETIME", XFORM_UNIT_AUTO, "CURRENT_TIMESTAMP", ""},
    {"CURRENT_TIMESTAMP", "VARCHAR(20)", XFORM_UNIT_AUTO, NULL,
     "MySQL takes CURRENT_TIMESTAMP only for a DATETIME column"},
    {"'e'", "TEXT", XFORM_UNIT_AUTO, NULL, "MySQL takes no literal default for TEXT"},
    {"'{}'", "JSON", XFORM_UNIT_AUTO, NULL, "MySQL takes no literal default for JSON"},
    {NULL, "BIGINT", XFORM_UNIT_AUTO, NULL, ""},
    {"abs(-1)", "BIGINT", XFORM_UNIT_AUTO, NULL, "an expression MySQL does not take"},
};

Test(ddl_default, converted_as_the_columns_values)
{
    for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++) {
        struct ddl_col col = {0};
        cr_assert_eq(ddl_default_merge(&col, defaults[i].dflt, "a.db"), 0);
        col.files = 1;
        char why[256];
        char *lit = ddl_default_literal(&col, defaults[i].type, defaults[i].unit, why, sizeof why);
        const char *d = defaults[i].dflt ? defaults[i].dflt : "none";
        if (defaults[i].literal == NULL)
            cr_expect_null(lit, "%s %s: %s", d, defaults[i].type, lit);
        else
            cr_expect(lit != NULL && strcmp(lit, defaults[i].literal) == 0, "%s %s: %s, not %s", d,
                      defaults[i].type, lit ? lit : "NULL", defaults[i].literal);
        if (defaults[i].why != NULL)
            cr_expect_str_eq(why, defaults[i].why, "%s %s", d, defaults[i].type);
        else
            cr_expect(why[0] != '\0', "%s %s: a reason", d, defaults[i].type);
        free(lit);
        free(col.dflt);
        free(col.dflt_file);
    }
}

Test(ddl_default, kept_only_when_every_file_agrees)
{
    struct ddl_col col = {0};
    char why[256];
    cr_assert_eq(ddl_default_merge(&col, "5", "v1.db"), 0);
    col.files++;
    cr_assert_eq(ddl_default_merge(&col, "5", "v1b.db"), 0);
    col.files++;
    char *lit = ddl_default_literal(&col, "BIGINT", XFORM_UNIT_AUTO, why, sizeof why);
    cr_expect_str_eq(lit, "5");
    free(lit);
    cr_assert_eq(ddl_default_merge(&col, NULL, "v2.db"), 0);
    col.files++;
    cr_assert_eq(ddl_default_merge(&col, "6", "v3.db"), 0);
    lit = ddl_default_literal(&col, "BIGINT", XFORM_UNIT_AUTO, why, sizeof why);
    cr_expect_null(lit);
    cr_expect_str_eq(why, "the files disagree: 5 in v1.db, none in v2.db");
    free(col.dflt);
    free(col.dflt_file);
    free(col.dflt_other);
    free(col.dflt_other_file);
}
