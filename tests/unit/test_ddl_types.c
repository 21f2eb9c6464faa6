/* Unit tests of the schema designer's pure type logic (src/ddl_types.c):
 * SQLite declared types in their many spellings, the MySQL type chosen from a
 * declaration and the values actually stored, exact types and notes at the
 * edges of the size tiers and time-unit windows (shared with schema.c and
 * plan.c), the unit of a date column's numbers, and what a type costs in an
 * InnoDB key. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "ddl_int.h"
#include "schema.h"

struct decl_case {
    const char *decl;
    enum ddl_class cls;
    int len, prec, scale;
    bool is_unsigned;
};

static const struct decl_case decls[] = {
    {"INTEGER", DDL_INT, 0, 0, 0, false},
    {"int", DDL_INT, 0, 0, 0, false},
    {"BIGINT", DDL_INT, 0, 0, 0, false},
    {"INT8", DDL_INT, 0, 0, 0, false},
    {"UNSIGNED BIG INT", DDL_INT, 0, 0, 0, false},
    {"integer unsigned", DDL_INT, 0, 0, 0, true},
    {"MEDIUMINT", DDL_INT, 0, 0, 0, false},
    {"REAL", DDL_REAL, 0, 0, 0, false},
    {"DOUBLE PRECISION", DDL_REAL, 0, 0, 0, false},
    {"double", DDL_REAL, 0, 0, 0, false},
    {"FLOAT", DDL_REAL, 0, 0, 0, false},
    {"NUMERIC ( 10 , 5 )", DDL_DECIMAL, 0, 10, 5, false},
    {"DECIMAL(10,2)", DDL_DECIMAL, 0, 10, 2, false},
    {"numeric(5)", DDL_DECIMAL, 0, 5, 0, false},
    {"NUMERIC", DDL_NONE, 0, 0, 0, false},
    {"DECIMAL(70,2)", DDL_NONE, 0, 0, 0, false},
    {"BOOLEAN", DDL_BOOL, 0, 0, 0, false},
    {"bool", DDL_BOOL, 0, 0, 0, false},
    {"DATE", DDL_DATE, 0, 0, 0, false},
    {"DATETIME", DDL_DATETIME, 0, 0, 0, false},
    {"timestamp", DDL_DATETIME, 0, 0, 0, false},
    {"TEXT", DDL_TEXT, 0, 0, 0, false},
    {"CLOB", DDL_TEXT, 0, 0, 0, false},
    {"varchar ( 12 )", DDL_TEXT, 12, 0, 0, false},
    {"NVARCHAR(160)", DDL_TEXT, 160, 0, 0, false},
    {"CHARACTER(20)", DDL_TEXT, 20, 0, 0, false},
    {"VARYING CHARACTER(255)", DDL_TEXT, 255, 0, 0, false},
    {"NATIVE CHARACTER(70)", DDL_TEXT, 70, 0, 0, false},
    {"BLOB", DDL_BLOB, 0, 0, 0, false},
    {"JSON", DDL_JSON, 0, 0, 0, false},
    {"", DDL_NONE, 0, 0, 0, false},
    {"MONEY", DDL_NONE, 0, 0, 0, false},
    {"STRING", DDL_NONE, 0, 0, 0, false},
    {"POINT", DDL_INT, 0, 0, 0, false},           /* SQLite's rule: contains "INT" */
    {"INTEGER_OR_TEXT", DDL_INT, 0, 0, 0, false}, /* PROJ's proj.db */
    /* found by tests/fuzz/ddl_types: sizes are unsigned and bounded */
    {"char ( 33333333333333333333333333333371 )", DDL_TEXT, 0, 0, 0, false},
    {"VARCHAR(-5)", DDL_TEXT, 0, 0, 0, false},
    {"DECIMAL(10,-2)", DDL_NONE, 0, 0, 0, false},
    {"NUMERIC(99999999999,2)", DDL_NONE, 0, 0, 0, false},
    {"DECIMAL(10,2,3)", DDL_NONE, 0, 0, 0, false},
    {"NUMERIC(65,30)", DDL_DECIMAL, 0, 65, 30, false},
};

Test(ddl_types, parse_declared_types)
{
    for (size_t i = 0; i < sizeof decls / sizeof *decls; i++) {
        struct ddl_decl d;
        ddl_parse_decl(decls[i].decl, &d);
        cr_expect_eq(d.cls, decls[i].cls, "'%s': class %d, expected %d", decls[i].decl, d.cls,
                     decls[i].cls);
        cr_expect_eq(d.len, decls[i].len, "'%s': len %d", decls[i].decl, d.len);
        cr_expect_eq(d.prec, decls[i].prec, "'%s': prec %d", decls[i].decl, d.prec);
        cr_expect_eq(d.scale, decls[i].scale, "'%s': scale %d", decls[i].decl, d.scale);
        cr_expect_eq(d.is_unsigned, decls[i].is_unsigned, "'%s': unsigned", decls[i].decl);
    }
}

struct choose_case {
    const char *name, *decl;
    long long n_int, n_real, n_text, n_blob;
    bool real_frac, text_time, text_nodate, bool_like;
    double nmin, nmax;
    size_t max_chars, max_bytes;
    bool key;
    const char *type;
    const char *note; /* substring of the note, or "" for none */
};

static const struct choose_case chooses[] = {
    {"integers", "INTEGER", 5, 0, 0, 0, false, false, false, false, 1, 9, 1, 1, false, "BIGINT",
     ""},
    {"unsigned", "INT UNSIGNED", 5, 0, 0, 0, false, false, false, false, 1, 9, 1, 1, false,
     "INT UNSIGNED", ""},
    {"UNSIGNED BIG INT", "UNSIGNED BIG INT", 5, 0, 0, 0, false, false, false, false, 1, 9, 1, 1,
     false, "BIGINT", ""},
    {"SMALLINT that fits", "SMALLINT", 5, 0, 0, 0, false, false, false, false, -32768, 32767, 6, 6,
     false, "SMALLINT", ""},
    {"SMALLINT that does not", "SMALLINT", 5, 0, 0, 0, false, false, false, false, -3, 70000, 5, 5,
     false, "BIGINT", "declared SMALLINT, widened to BIGINT: values from -3 to 70000"},
    {"TINYINT(3) UNSIGNED at its top", "TINYINT(3) UNSIGNED", 5, 0, 0, 0, false, false, false,
     false, 0, 255, 3, 3, false, "TINYINT UNSIGNED", ""},
    {"MEDIUMINT", "mediumint", 5, 0, 0, 0, false, false, false, false, -8388608, 8388607, 8, 8,
     false, "MEDIUMINT", ""},
    {"TIME", "TIME", 0, 0, 5, 0, false, false, false, false, 0, 0, 15, 15, false, "TIME(6)", ""},
    {"TIME holding numbers", "TIME", 5, 0, 0, 0, false, false, false, false, 1, 9, 1, 1, false,
     "BIGINT", "do not fit"},
    {"INTEGER holding fractions", "INTEGER", 5, 2, 0, 0, true, false, false, false, 1, 9, 4, 4,
     false, "DOUBLE", ""},
    {"INTEGER holding text", "INTEGER", 5, 0, 2, 0, false, false, false, false, 1, 9, 30, 30, false,
     "TEXT", "do not fit"},
    {"REAL", "REAL", 1, 5, 0, 0, true, false, false, false, 0, 1, 4, 4, false, "DOUBLE", ""},
    {"NUMERIC(10,2)", "NUMERIC(10,2)", 0, 5, 0, 0, true, false, false, false, 0, 99, 5, 5, false,
     "DECIMAL(10,2)", ""},
    {"BOOLEAN 0/1", "BOOLEAN", 4, 0, 0, 0, false, false, false, true, 0, 1, 1, 1, false,
     "TINYINT(1)", ""},
    {"BOOLEAN holding 7", "BOOLEAN", 4, 0, 0, 0, false, false, false, false, 0, 7, 1, 1, false,
     "BIGINT", "do not fit"},
    {"DATE dates", "DATE", 0, 0, 4, 0, false, false, false, false, INFINITY, -INFINITY, 10, 10,
     false, "DATE", ""},
    {"DATE with times", "DATE", 0, 0, 4, 0, false, true, false, false, INFINITY, -INFINITY, 19, 19,
     false, "DATETIME(6)", "times of day"},
    {"DATETIME text", "DATETIME", 0, 0, 4, 0, false, false, false, false, INFINITY, -INFINITY, 19,
     19, false, "DATETIME(6)", ""},
    {"DATETIME unix seconds", "DATETIME", 4, 0, 0, 0, false, false, false, false, 1.6e9, 1.7e9, 10,
     10, false, "DATETIME(6)", ""},
    {"DATETIME milliseconds", "DATETIME", 4, 0, 0, 0, false, false, false, false, 1.6e12, 1.7e12,
     13, 13, false, "DATETIME(6)", "read as epoch-ms"},
    {"DATE Julian days", "DATE", 0, 4, 0, 0, true, false, false, false, 2451544.5, 2460262.5, 9, 9,
     false, "DATETIME(6)", "read as julian-day"},
    {"DATETIME numbers of no unit", "DATETIME", 4, 0, 0, 0, false, false, false, false, 1, 86400, 5,
     5, false, "BIGINT", "not plausible unix seconds"},
    {"DATE not dates", "DATE", 0, 0, 4, 0, false, false, true, false, INFINITY, -INFINITY, 7, 7,
     false, "TEXT", "do not fit"},
    {"VARCHAR(12)", "VARCHAR(12)", 0, 0, 3, 0, false, false, false, false, INFINITY, -INFINITY, 10,
     10, false, "VARCHAR(12)", ""},
    {"VARCHAR(12) too long", "VARCHAR(12)", 0, 0, 3, 0, false, false, false, false, INFINITY,
     -INFINITY, 30, 40, false, "VARCHAR(30)", "widened to 30"},
    {"TEXT", "TEXT", 0, 0, 3, 0, false, false, false, false, INFINITY, -INFINITY, 100, 400, false,
     "TEXT", ""},
    {"TEXT long", "TEXT", 0, 0, 3, 0, false, false, false, false, INFINITY, -INFINITY, 70000, 70000,
     false, "MEDIUMTEXT", ""},
    {"TEXT key", "TEXT", 0, 0, 3, 0, false, false, false, false, INFINITY, -INFINITY, 8, 8, true,
     "VARCHAR(8)", "a key column: VARCHAR sized from the longest value"},
    {"VARCHAR(12) key", "VARCHAR(12)", 0, 0, 3, 0, false, false, false, false, INFINITY, -INFINITY,
     8, 8, true, "VARCHAR(12)", ""},
    {"untyped text key", "", 0, 0, 3, 0, false, false, false, false, INFINITY, -INFINITY, 5, 5,
     true, "VARCHAR(5)", "a key column: VARCHAR sized from the longest value"},
    {"untyped blob key", "", 0, 0, 0, 3, false, false, false, false, INFINITY, -INFINITY, 0, 7,
     true, "VARBINARY(7)", "a key column: VARBINARY sized from the longest value"},
    {"BLOB", "BLOB", 0, 0, 0, 3, false, false, false, false, INFINITY, -INFINITY, 0, 100, false,
     "BLOB", ""},
    {"BLOB key", "BLOB", 0, 0, 0, 3, false, false, false, false, INFINITY, -INFINITY, 0, 16, true,
     "VARBINARY(16)", "a key column: VARBINARY sized from the longest value"},
    {"JSON", "JSON", 0, 0, 3, 0, false, false, false, false, INFINITY, -INFINITY, 9, 9, false,
     "JSON", ""},
    {"untyped ints", "", 4, 0, 0, 0, false, false, false, false, 1, 2, 1, 1, false, "BIGINT", ""},
    {"untyped mixed numbers", "", 4, 1, 0, 0, true, false, false, false, 1, 2, 3, 3, false,
     "DOUBLE", ""},
    {"untyped text", "", 4, 0, 1, 0, false, false, false, false, 1, 2, 3, 3, false, "TEXT", ""},
    {"untyped blob", "", 0, 0, 1, 1, false, false, false, false, 1, 2, 3, 3, false, "BLOB", ""},
    /* found by tests/fuzz/ddl_types: a key column never becomes TEXT */
    {"DATETIME key of texts and implausible numbers", "DATETIME", 4, 0, 1, 0, false, false, false,
     false, 1, 2, 10, 12, true, "VARCHAR(10)",
     "a key column: VARCHAR sized from the longest value"},
    {"DATETIME of texts and implausible numbers", "DATETIME", 4, 0, 1, 0, false, false, false,
     false, 1, 2, 10, 12, false, "TEXT", "not plausible unix seconds"},
    {"unknown name, all NULL", "MONEY", 0, 0, 0, 0, false, false, false, false, INFINITY, -INFINITY,
     0, 0, false, "VARCHAR(255)", ""},
};

Test(ddl_types, choose_types_from_declarations_and_values)
{
    for (size_t i = 0; i < sizeof chooses / sizeof *chooses; i++) {
        const struct choose_case *c = &chooses[i];
        struct ddl_decl d;
        struct ddl_values v = {.n_int = c->n_int,
                               .n_real = c->n_real,
                               .n_text = c->n_text,
                               .n_blob = c->n_blob,
                               .real_frac = c->real_frac,
                               .text_time = c->text_time,
                               .text_nodate = c->text_nodate,
                               .bool_like = c->bool_like,
                               .nmin = c->nmin,
                               .nmax = c->nmax,
                               .max_chars = c->max_chars,
                               .max_bytes = c->max_bytes};
        char type[64], note[256];
        ddl_parse_decl(c->decl, &d);
        ddl_choose(&d, &v, c->key, type, sizeof type, note, sizeof note);
        cr_expect_str_eq(type, c->type, "case %s", c->name);
        if (c->note[0] == '\0')
            cr_expect_str_eq(note, "", "case %s: unexpected note %s", c->name, note);
        else
            cr_expect(strstr(note, c->note) != NULL, "case %s: note '%s' lacks '%s'", c->name, note,
                      c->note);
    }
}

/* Values of one column: kind counts, then range and longest value. */
struct vals {
    long long n_int, n_real, n_text, n_blob;
    double nmin, nmax;
    size_t max_chars, max_bytes;
};

struct exact_case {
    const char *name, *decl;
    struct vals v;
    bool key;
    const char *type, *note; /* the exact type and note */
};

static const struct exact_case exact[] = {
    {"TEXT at 65535 bytes",
     "TEXT",
     {0, 0, 1, 0, INFINITY, -INFINITY, 65535, 65535},
     false,
     "TEXT",
     ""},
    {"TEXT at 65536 bytes",
     "TEXT",
     {0, 0, 1, 0, INFINITY, -INFINITY, 65536, 65536},
     false,
     "MEDIUMTEXT",
     ""},
    {"TEXT beyond 16 MiB",
     "TEXT",
     {0, 0, 1, 0, INFINITY, -INFINITY, 9, 16777216},
     false,
     "LONGTEXT",
     ""},
    {"BLOB at 16777215 bytes",
     "BLOB",
     {0, 0, 0, 1, INFINITY, -INFINITY, 0, 16777215},
     false,
     "MEDIUMBLOB",
     ""},
    {"untyped blob beyond 16 MiB",
     "",
     {0, 0, 0, 1, INFINITY, -INFINITY, 0, 16777216},
     false,
     "LONGBLOB",
     ""},
    {"DATETIME microseconds",
     "DATETIME",
     {3, 0, 0, 0, 1.6e15, 1.7e15, 16, 16},
     false,
     "DATETIME(6)",
     "its numbers are read as epoch-us"},
    {"DATETIME seconds at the window's edges",
     "TIMESTAMP",
     {2, 0, 0, 0, 94694400.0, 4102444800.0, 10, 10},
     false,
     "DATETIME(6)",
     ""},
    {"DATETIME numbers and text",
     "DATETIME",
     {2, 0, 1, 0, 1, 5, 19, 19},
     false,
     "TEXT",
     "declared DATETIME, but its numbers are not plausible unix seconds: kept as numbers"},
    {"DATE fractions of no unit",
     "DATE",
     {0, 2, 0, 0, 0.5, 1.5, 3, 3},
     false,
     "BIGINT",
     "declared DATE, but its numbers are not plausible unix seconds: kept as numbers"},
    {"DECIMAL holding a blob",
     "DECIMAL(5,2)",
     {1, 0, 0, 1, 1, 1, 1, 4},
     false,
     "BLOB",
     "the stored values do not fit the declared type: BLOB"},
    {"JSON key holding a blob",
     "JSON",
     {0, 0, 0, 1, INFINITY, -INFINITY, 0, 6},
     true,
     "VARBINARY(6)",
     "the stored values do not fit the declared type: VARBINARY(6); a key column: VARBINARY sized "
     "from the longest value (a BLOB cannot be a key)"},
    {"empty key column",
     "",
     {0, 0, 0, 0, INFINITY, -INFINITY, 0, 0},
     true,
     "VARCHAR(1)",
     "a key column: VARCHAR sized from the longest value (a TEXT cannot be a key)"},
    {"VARCHAR(5) widened",
     "VARCHAR(5)",
     {0, 0, 1, 0, INFINITY, -INFINITY, 7, 7},
     false,
     "VARCHAR(7)",
     "declared length 5, widened to 7 for the data"},
};

static struct ddl_values values_of(const struct vals *c)
{
    struct ddl_values v = {.n_int = c->n_int,
                           .n_real = c->n_real,
                           .n_text = c->n_text,
                           .n_blob = c->n_blob,
                           .nmin = c->nmin,
                           .nmax = c->nmax,
                           .max_chars = c->max_chars,
                           .max_bytes = c->max_bytes};
    return v;
}

Test(ddl_types, exact_types_and_notes)
{
    for (size_t i = 0; i < sizeof exact / sizeof *exact; i++) {
        const struct exact_case *c = &exact[i];
        struct ddl_decl d;
        struct ddl_values v = values_of(&c->v);
        char type[64], note[256];
        ddl_parse_decl(c->decl, &d);
        ddl_choose(&d, &v, c->key, type, sizeof type, note, sizeof note);
        cr_expect_str_eq(type, c->type, "case %s", c->name);
        cr_expect_str_eq(note, c->note, "case %s", c->name);
    }
}

struct unit_case {
    const char *decl;
    double nmin, nmax;
    enum xform_unit unit;
};

static const struct unit_case units[] = {
    {"DATETIME", 1.6e12, 1.7e12, XFORM_UNIT_MS},
    {"DATE", 1.6e15, 1.7e15, XFORM_UNIT_US},
    {"TIMESTAMP", 2451544.5, 2460262.5, XFORM_UNIT_JULIAN},
    {"DATETIME", 1.6e9, 1.7e9, XFORM_UNIT_AUTO},  /* plausible seconds */
    {"DATETIME", 1, 86400, XFORM_UNIT_AUTO},      /* no reading fits */
    {"INTEGER", 1.6e12, 1.7e12, XFORM_UNIT_AUTO}, /* not a date column */
};

Test(ddl_types, unit_of_a_date_columns_numbers)
{
    for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
        struct ddl_decl d;
        struct ddl_values v = {.n_int = 2, .nmin = units[i].nmin, .nmax = units[i].nmax};
        ddl_parse_decl(units[i].decl, &d);
        cr_expect_eq(ddl_unit(&d, &v), units[i].unit, "%s %g..%g", units[i].decl, units[i].nmin,
                     units[i].nmax);
    }
    struct ddl_decl d;
    struct ddl_values none = {.n_text = 3, .nmin = INFINITY, .nmax = -INFINITY};
    ddl_parse_decl("DATETIME", &d);
    cr_expect_eq(ddl_unit(&d, &none), XFORM_UNIT_AUTO, "no numbers, no unit");
}

static const struct {
    const char *type;
    size_t bytes;
} key_costs[] = {
    {"VARCHAR(10)", 42}, {"VARBINARY(10)", 12}, {"DECIMAL(10,2)", 6},   {"DATE", 3},
    {"DATETIME(6)", 8},  {"TINYINT(1)", 1},     {"BIGINT", 8},          {"BIGINT UNSIGNED", 8},
    {"DOUBLE", 8},       {"TEXT", 100000},      {"MEDIUMBLOB", 100000}, {"JSON", 100000},
};

Test(ddl_types, key_bytes_of_types)
{
    for (size_t i = 0; i < sizeof key_costs / sizeof *key_costs; i++)
        cr_expect_eq(ddl_key_bytes(key_costs[i].type), key_costs[i].bytes, "%s: %zu",
                     key_costs[i].type, ddl_key_bytes(key_costs[i].type));
}

/* The size tiers schema creation chooses from are the ones schema.c reads a
 * target's types with: a value of a tier's largest size gets that tier, and
 * the tier holds it. */
Test(ddl_types, size_tiers_agree_with_the_target_parser)
{
    static const struct {
        unsigned long long bytes;
        const char *text, *blob;
    } tiers[] = {{0, "TEXT", "BLOB"},
                 {65535, "TEXT", "BLOB"},
                 {65536, "MEDIUMTEXT", "MEDIUMBLOB"},
                 {16777215, "MEDIUMTEXT", "MEDIUMBLOB"},
                 {16777216, "LONGTEXT", "LONGBLOB"},
                 {4294967296ULL, "LONGTEXT", "LONGBLOB"}};
    for (size_t i = 0; i < sizeof tiers / sizeof *tiers; i++) {
        const char *text = schema_lob_type(tiers[i].bytes, false);
        cr_expect_str_eq(text, tiers[i].text, "%llu bytes", tiers[i].bytes);
        cr_expect_str_eq(schema_lob_type(tiers[i].bytes, true), tiers[i].blob, "%llu bytes",
                         tiers[i].bytes);
        if (tiers[i].bytes <= 4294967295ULL)
            cr_expect_geq(schema_lob_max(text), tiers[i].bytes, "%s holds %llu", text,
                          tiers[i].bytes);
    }
    cr_expect_eq(schema_lob_max("tinytext"), 255);
    cr_expect_eq(schema_lob_max("longblob"), 4294967295ULL);
}
