/* test_mapping: src/mapping.h on INI text written to files in a mkdtemp
 * directory. mapping_load of the example of mapping.h verbatim (inline and
 * full-line comments), table skip/rename, COLUMN.skip/rename/convert/default,
 * every convert name (any case) and mapping_unit, yes/no spellings, a section
 * repeated in another case merging into one table, the last value of a
 * repeated option winning; case-insensitive mapping_table/mapping_column
 * (NULL-safe). Errors, each with the exact "mapping file PATH line N: problem"
 * message: unknown table option, unknown column option, bad convert value, bad
 * yes/no (table and column), empty rename, option outside a section, syntax
 * errors, the first of two errors; unreadable paths (missing file, a
 * directory). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mapping.h"
#include "tmpdir.h"

#define S(x) ((x) ? (x) : "(null)")

static char dir[64];

static void setup(void)
{
    tmpdir_make(dir, sizeof dir, "/tmp/litelift-mapping-XXXXXX");
}

static void teardown(void)
{
    tmpdir_remove(dir);
}

TestSuite(mapping, .init = setup, .fini = teardown);

static void write_ini(char *path, size_t n, const char *name, const char *text)
{
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL);
    cr_assert(fputs(text, f) >= 0);
    cr_assert_eq(fclose(f), 0);
}

static const char example[] =
    "[backups]                  ; a source table, by name\n"
    "skip = no                  ; yes: do not migrate this table\n"
    "rename = backup_logs       ; target table name\n"
    "date_time.convert = epoch-ms   ; column options: COLUMN.OPTION = VALUE\n"
    "date_time.rename = created_at\n"
    "legacy.skip = yes\n"
    "size.default = 0           ; value used when the source is NULL\n";

Test(mapping, the_documented_example)
{
    char path[256];
    write_ini(path, sizeof path, "example.ini", example);
    struct mapping m;
    struct error err;
    error_clear(&err);
    cr_assert_eq(mapping_load(path, &m, &err), 0, "%s", err.msg);
    cr_assert_eq(m.ntables, 1);
    const struct mapping_table *t = mapping_table(&m, "backups");
    cr_assert(t != NULL);
    cr_expect_str_eq(t->name, "backups");
    cr_expect_eq(t->skip, false);
    cr_expect_str_eq(S(t->rename), "backup_logs");
    cr_assert_eq(t->ncols, 3);
    const struct mapping_column *c = mapping_column(t, "date_time");
    cr_assert(c != NULL);
    cr_expect_str_eq(c->name, "date_time");
    cr_expect(c->has_unit);
    cr_expect_eq(c->unit, XFORM_UNIT_MS);
    cr_expect_str_eq(S(c->rename), "created_at");
    cr_expect_eq(c->skip, false);
    cr_expect_eq(c->null_default, NULL);
    c = mapping_column(t, "legacy");
    cr_assert(c != NULL);
    cr_expect_eq(c->skip, true);
    cr_expect_eq(c->has_unit, false);
    cr_expect_eq(c->rename, NULL);
    c = mapping_column(t, "size");
    cr_assert(c != NULL);
    cr_expect_str_eq(S(c->null_default), "0");
    cr_expect_eq(c->skip, false);
    mapping_free(&m);
    cr_expect_eq(m.ntables, 0);
    cr_expect_eq(m.tables, NULL);
}

static const char full[] = "; full-line comment\n"
                           "# hash comment\n"
                           "\n"
                           "[Old_Stuff]\n"
                           "skip = YES\n"
                           "[events]\n"
                           "a.convert = epoch-s\n"
                           "b.convert = EPOCH-MS\n"
                           "c.convert = epoch-us\n"
                           "d.convert = Julian-Day\n"
                           "e.convert = iso8601\n"
                           "f.convert = text\n"
                           "g.default =\n"
                           "h.skip = false\n"
                           "h.rename = H2\n"
                           "i.skip = 1\n"
                           "j.skip = 0\n"
                           "k.skip = True\n"
                           "l.skip = No\n"
                           "[other]\n"
                           "skip = 0\n"
                           "rename = first\n"
                           "rename = second\n"
                           "[EVENTS]\n"
                           "A.rename = when_a\n"
                           "skip = true\n";

Test(mapping, every_option_and_convert_name)
{
    char path[256];
    write_ini(path, sizeof path, "full.ini", full);
    struct mapping m;
    struct error err;
    error_clear(&err);
    cr_assert_eq(mapping_load(path, &m, &err), 0, "%s", err.msg);
    cr_assert_eq(m.ntables, 3, "[events] and [EVENTS] are one table");
    cr_expect_str_eq(m.tables[0].name, "Old_Stuff");
    cr_expect_str_eq(m.tables[1].name, "events");
    cr_expect_str_eq(m.tables[2].name, "other");

    const struct mapping_table *old = mapping_table(&m, "old_stuff");
    cr_assert(old != NULL);
    cr_expect_eq(old, &m.tables[0]);
    cr_expect(old->skip);
    cr_expect_eq(old->ncols, 0);
    cr_expect_eq(old->rename, NULL);

    const struct mapping_table *other = mapping_table(&m, "OTHER");
    cr_assert(other != NULL);
    cr_expect_eq(other->skip, false);
    cr_expect_str_eq(S(other->rename), "second", "the last rename wins");

    const struct mapping_table *ev = mapping_table(&m, "Events");
    cr_assert(ev != NULL);
    cr_expect(ev->skip, "skip from the repeated [EVENTS] section");
    cr_expect_eq(ev->ncols, 12);
    static const struct {
        const char *col;
        int has_unit;
        enum xform_unit unit;
    } units[] = {
        {"a", 1, XFORM_UNIT_S},      {"B", 1, XFORM_UNIT_MS},   {"c", 1, XFORM_UNIT_US},
        {"D", 1, XFORM_UNIT_JULIAN}, {"e", 1, XFORM_UNIT_ISO},  {"f", 1, XFORM_UNIT_TEXT},
        {"g", 0, XFORM_UNIT_AUTO},   {"h", 0, XFORM_UNIT_AUTO},
    };
    for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
        const struct mapping_column *c = mapping_column(ev, units[i].col);
        cr_assert(c != NULL, "column %s", units[i].col);
        cr_expect_eq(c->has_unit, (bool)units[i].has_unit, "column %s has_unit", units[i].col);
        if (units[i].has_unit)
            cr_expect_eq(c->unit, units[i].unit, "column %s unit: want %d, got %d", units[i].col,
                         units[i].unit, c->unit);
    }
    const struct mapping_column *a = mapping_column(ev, "a");
    cr_expect_str_eq(S(a->rename), "when_a", "A.rename merges into column a");
    cr_expect_str_eq(S(mapping_column(ev, "g")->null_default), "", "an empty default is \"\"");
    const struct mapping_column *h = mapping_column(ev, "H");
    cr_expect_eq(h->skip, false);
    cr_expect_str_eq(S(h->rename), "H2");
    static const struct {
        const char *col;
        bool skip;
    } skips[] = {{"i", true}, {"j", false}, {"k", true}, {"l", false}};
    for (size_t i = 0; i < sizeof skips / sizeof *skips; i++) {
        const struct mapping_column *c = mapping_column(ev, skips[i].col);
        cr_assert(c != NULL, "column %s", skips[i].col);
        cr_expect_eq(c->skip, skips[i].skip, "column %s skip", skips[i].col);
    }

    /* absent names and NULL tables */
    cr_expect_eq(mapping_table(&m, "nope"), NULL);
    cr_expect_eq(mapping_table(&m, "event"), NULL);
    cr_expect_eq(mapping_table(NULL, "events"), NULL);
    cr_expect_eq(mapping_column(ev, "zz"), NULL);
    cr_expect_eq(mapping_column(ev, "a.convert"), NULL);
    cr_expect_eq(mapping_column(NULL, "a"), NULL);
    mapping_free(&m);
}

Test(mapping, a_column_name_with_dots_keeps_all_but_the_last)
{
    char path[256];
    write_ini(path, sizeof path, "dots.ini", "[t]\nweird.name.convert = epoch-s\n");
    struct mapping m;
    struct error err;
    error_clear(&err);
    cr_assert_eq(mapping_load(path, &m, &err), 0, "%s", err.msg);
    const struct mapping_column *c = mapping_column(mapping_table(&m, "t"), "weird.name");
    cr_assert(c != NULL);
    cr_expect_eq(c->unit, XFORM_UNIT_S);
    mapping_free(&m);
}

Test(mapping, unit_names)
{
    static const struct {
        const char *name;
        int rc;
        enum xform_unit unit;
    } cases[] = {
        {"epoch-s", 0, XFORM_UNIT_S},      {"epoch-ms", 0, XFORM_UNIT_MS},
        {"epoch-us", 0, XFORM_UNIT_US},    {"julian-day", 0, XFORM_UNIT_JULIAN},
        {"iso8601", 0, XFORM_UNIT_ISO},    {"text", 0, XFORM_UNIT_TEXT},
        {"ISO8601", 0, XFORM_UNIT_ISO},    {"Epoch-Us", 0, XFORM_UNIT_US},
        {"epoch-ns", -1, XFORM_UNIT_AUTO}, {"epoch", -1, XFORM_UNIT_AUTO},
        {"", -1, XFORM_UNIT_AUTO},         {"epoch-s ", -1, XFORM_UNIT_AUTO},
        {"julian", -1, XFORM_UNIT_AUTO},   {"auto", -1, XFORM_UNIT_AUTO},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        enum xform_unit u = XFORM_UNIT_AUTO;
        cr_expect_eq(mapping_unit(cases[i].name, &u), cases[i].rc, "mapping_unit(\"%s\")",
                     cases[i].name);
        cr_expect_eq(u, cases[i].unit, "mapping_unit(\"%s\") unit", cases[i].name);
    }
}

Test(mapping, unit_name_is_the_name_the_mapping_file_takes)
{
    static const struct {
        enum xform_unit unit;
        const char *name;
    } cases[] = {
        {XFORM_UNIT_S, "epoch-s"},   {XFORM_UNIT_MS, "epoch-ms"},
        {XFORM_UNIT_US, "epoch-us"}, {XFORM_UNIT_JULIAN, "julian-day"},
        {XFORM_UNIT_ISO, "iso8601"}, {XFORM_UNIT_TEXT, "text"},
        {XFORM_UNIT_AUTO, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cr_expect_str_eq(mapping_unit_name(cases[i].unit), cases[i].name);
        enum xform_unit u = XFORM_UNIT_AUTO;
        if (cases[i].unit != XFORM_UNIT_AUTO)
            cr_expect(mapping_unit(mapping_unit_name(cases[i].unit), &u) == 0 && u == cases[i].unit,
                      "%s does not read back", cases[i].name);
    }
}

#define TABLE_HELP                                                                                 \
    "unknown table option or bad value (table options: skip = yes|no, rename = NAME; column "      \
    "options: COLUMN.skip, COLUMN.rename, COLUMN.convert, COLUMN.default)"
#define COLUMN_HELP                                                                                \
    "unknown column option or bad value (convert takes epoch-s, epoch-ms, epoch-us, julian-day, "  \
    "iso8601 or text)"

static const struct {
    const char *name;
    const char *text;
    int line;
    const char *problem;
} error_cases[] = {
    {"unknown table option", "[t]\nfoo = bar\n", 2, "[t] foo = bar: " TABLE_HELP},
    {"unknown column option", "; c\n[t]\nc.frob = 1\n", 3, "[t] c.frob = 1: " COLUMN_HELP},
    {"bad convert value", "[t]\n\nc.convert = epoch-ns\n", 3,
     "[t] c.convert = epoch-ns: " COLUMN_HELP},
    {"empty convert value", "[t]\nc.convert =\n", 2, "[t] c.convert = : " COLUMN_HELP},
    {"bad yes/no of a table", "[t]\nskip = maybe\n", 2, "[t] skip = maybe: " TABLE_HELP},
    {"bad yes/no of a column", "[t]\nrename = x\nc.skip = 2\n", 3, "[t] c.skip = 2: " COLUMN_HELP},
    {"empty table rename", "[t]\nrename =\n", 2, "[t] rename = : " TABLE_HELP},
    {"empty column rename", "[t]\nc.rename =\n", 2, "[t] c.rename = : " COLUMN_HELP},
    {"option outside a section", "skip = yes\n[t]\n", 1,
     "option skip outside of a [table] section"},
    {"column option outside a section", "# x\nc.convert = text\n", 2,
     "option c.convert outside of a [table] section"},
    {"unclosed section", "[t\nskip = yes\n", 1, "syntax error"},
    {"line without =", "[t]\nskip = no\njust words\n", 3, "syntax error"},
    {"the first of two errors", "[t]\nfoo = 1\nok.skip = yes\nc.convert = bad\n", 2,
     "[t] foo = 1: " TABLE_HELP},
};

Test(mapping, errors_name_the_file_line_and_problem)
{
    for (size_t i = 0; i < sizeof error_cases / sizeof *error_cases; i++) {
        char path[256], want[1024];
        write_ini(path, sizeof path, "bad.ini", error_cases[i].text);
        struct mapping m;
        struct error err;
        error_clear(&err);
        cr_expect_eq(mapping_load(path, &m, &err), -1, "case \"%s\"", error_cases[i].name);
        snprintf(want, sizeof want, "mapping file %s line %d: %s", path, error_cases[i].line,
                 error_cases[i].problem);
        cr_expect_str_eq(err.msg, want, "case \"%s\":\n want: %s\n  got: %s", error_cases[i].name,
                         want, err.msg);
        cr_expect_eq(m.ntables, 0, "case \"%s\": nothing kept", error_cases[i].name);
        cr_expect_eq(m.tables, NULL);
    }
}

Test(mapping, unreadable_paths)
{
    char path[256], want[512];
    snprintf(path, sizeof path, "%s/missing.ini", dir);
    struct mapping m;
    struct error err;
    error_clear(&err);
    cr_expect_eq(mapping_load(path, &m, &err), -1);
    snprintf(want, sizeof want, "mapping file %s: cannot read it", path);
    cr_expect_str_eq(err.msg, want);
    cr_expect_eq(m.ntables, 0);

    /* a directory opens with fopen() but cannot be read as a file */
    snprintf(path, sizeof path, "%s/adir.ini", dir);
    cr_assert_eq(mkdir(path, 0755), 0);
    error_clear(&err);
    int rc = mapping_load(path, &m, &err);
    cr_expect_eq(rc, -1, "mapping_load of a directory (%s) must fail, not load an empty mapping",
                 path);
    cr_expect(strstr(err.msg, path) != NULL, "the error names %s: \"%s\"", path, err.msg);
    if (rc == 0)
        mapping_free(&m);
}

Test(mapping, an_empty_file_is_an_empty_mapping)
{
    char path[256];
    write_ini(path, sizeof path, "empty.ini", "");
    struct mapping m;
    struct error err;
    error_clear(&err);
    cr_expect_eq(mapping_load(path, &m, &err), 0, "%s", err.msg);
    cr_expect_eq(m.ntables, 0);
    cr_expect_eq(mapping_table(&m, "x"), NULL);
    mapping_free(&m);
}
