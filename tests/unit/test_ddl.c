/* Unit tests of the schema designer's type parser and mapper (src/ddl.h):
 * SQLite declared types in their many spellings, and the MySQL type chosen
 * from a declaration and the values actually stored. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "ddl.h"

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
    {"POINT", DDL_INT, 0, 0, 0, false}, /* SQLite's rule: contains "INT" */
};

Test(ddl, parse_declared_types)
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
     "BIGINT UNSIGNED", ""},
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
     "VARCHAR(8)", ""},
    {"BLOB", "BLOB", 0, 0, 0, 3, false, false, false, false, INFINITY, -INFINITY, 0, 100, false,
     "BLOB", ""},
    {"BLOB key", "BLOB", 0, 0, 0, 3, false, false, false, false, INFINITY, -INFINITY, 0, 16, true,
     "VARBINARY(16)", ""},
    {"JSON", "JSON", 0, 0, 3, 0, false, false, false, false, INFINITY, -INFINITY, 9, 9, false,
     "JSON", ""},
    {"untyped ints", "", 4, 0, 0, 0, false, false, false, false, 1, 2, 1, 1, false, "BIGINT", ""},
    {"untyped mixed numbers", "", 4, 1, 0, 0, true, false, false, false, 1, 2, 3, 3, false,
     "DOUBLE", ""},
    {"untyped text", "", 4, 0, 1, 0, false, false, false, false, 1, 2, 3, 3, false, "TEXT", ""},
    {"untyped blob", "", 0, 0, 1, 1, false, false, false, false, 1, 2, 3, 3, false, "BLOB", ""},
    {"unknown name, all NULL", "MONEY", 0, 0, 0, 0, false, false, false, false, INFINITY, -INFINITY,
     0, 0, false, "VARCHAR(255)", ""},
};

Test(ddl, choose_types_from_declarations_and_values)
{
    for (size_t i = 0; i < sizeof chooses / sizeof *chooses; i++) {
        const struct choose_case *c = &chooses[i];
        struct ddl_decl d;
        struct ddl_values v = {c->n_int,     c->n_real,    c->n_text,      c->n_blob,
                               c->real_frac, c->text_time, c->text_nodate, c->bool_like,
                               c->nmin,      c->nmax,      c->max_chars,   c->max_bytes};
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
