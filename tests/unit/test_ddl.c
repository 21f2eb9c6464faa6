/* Unit tests of the schema designer (src/ddl.h): SQLite declared types in
 * their many spellings, the MySQL type chosen from a declaration and the
 * values actually stored, and whole designs made from real SQLite files in a
 * scratch directory (keys, foreign keys and the types they join). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ddl.h"
#include "tmpdir.h"

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
    {"unknown name, all NULL", "MONEY", 0, 0, 0, 0, false, false, false, false, INFINITY, -INFINITY,
     0, 0, false, "VARCHAR(255)", ""},
};

Test(ddl, choose_types_from_declarations_and_values)
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

/* ---- whole designs from SQLite files --------------------------------------- */

struct design_case {
    const char *name;
    const char *sql;      /* run in one file */
    bool foreign_keys;    /* ddl_new's flag */
    const char *has[4];   /* substrings of the DDL */
    const char *lacks[2]; /* and what it must not say */
    const char *ini;      /* a mapping file, or NULL */
    const char *problem;  /* the problem the design states, or NULL for none */
};

static const struct design_case designs[] = {
    {"a rowid table whose declared key holds NULLs is keyed by its rowid",
     "CREATE TABLE u(a TEXT, b INTEGER, v TEXT, PRIMARY KEY (a, b));"
     "INSERT INTO u VALUES (NULL, NULL, 'x'), (NULL, NULL, 'y'), ('k', 1, 'z');",
     false,
     {"`litelift_rowid` BIGINT NOT NULL COMMENT 'the SQLite rowid: the declared primary key "
      "holds NULLs",
      "  `a` VARCHAR(1) COMMENT 'a key column: VARCHAR sized from the longest value (a TEXT "
      "cannot be a key)',\n  `b` BIGINT,",
      "PRIMARY KEY (`project_id`, `litelift_rowid`),\n  UNIQUE KEY `u_a_b` (`project_id`, `a`, "
      "`b`)"},
     {"PRIMARY KEY (`project_id`, `a`"},
     NULL,
     NULL},
    {"a declared key without NULLs stays the key",
     "CREATE TABLE u(a TEXT, b INTEGER, PRIMARY KEY (a, b)); INSERT INTO u VALUES ('kk', 1);",
     false,
     {"  `a` VARCHAR(2) NOT NULL COMMENT 'a key column: VARCHAR sized from the longest value",
      "  `b` BIGINT NOT NULL,", "PRIMARY KEY (`project_id`, `a`, `b`)"},
     {"litelift_rowid", "UNIQUE"},
     NULL,
     NULL},
    {"a WITHOUT ROWID key is never NULL",
     "CREATE TABLE w(a TEXT NOT NULL, b INT NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID;"
     "INSERT INTO w VALUES ('x', 2);",
     false,
     {"PRIMARY KEY (`project_id`, `a`, `b`)"},
     {"litelift_rowid"},
     NULL,
     NULL},
    {"both sides of a foreign key get one type: integers referencing mixed codes",
     "CREATE TABLE unit(auth TEXT NOT NULL, code INTEGER_OR_TEXT NOT NULL, PRIMARY KEY (auth, "
     "code)) WITHOUT ROWID;"
     "CREATE TABLE axis(id INTEGER PRIMARY KEY, uom_auth TEXT, uom_code INTEGER_OR_TEXT, "
     "FOREIGN KEY (uom_auth, uom_code) REFERENCES unit(auth, code));"
     "INSERT INTO unit VALUES ('EPSG', 9001), ('PROJ', 'metre_x');"
     "INSERT INTO axis VALUES (1, 'EPSG', 9001), (2, NULL, NULL);",
     true,
     {"  `code` VARCHAR(7) NOT NULL COMMENT 'the stored values do not fit the declared type: "
      "VARCHAR(7); a key column",
      "  `uom_auth` VARCHAR(4) COMMENT 'a key column: VARCHAR sized from the longest value (a TEXT "
      "cannot be a key)',\n  `uom_code` VARCHAR(7) COMMENT 'one type with the 2 columns",
      "CONSTRAINT `fk_axis_uom_auth_uom_code` FOREIGN KEY (`project_id`, `uom_auth`, "
      "`uom_code`) REFERENCES `unit` (`project_id`, `auth`, `code`)"},
     {"`uom_code` BIGINT", "`uom_auth` TEXT"},
     NULL,
     NULL},
    {"without --foreign-keys each column keeps its own type",
     "CREATE TABLE unit(auth TEXT NOT NULL, code INTEGER_OR_TEXT NOT NULL, PRIMARY KEY (auth, "
     "code)) WITHOUT ROWID;"
     "CREATE TABLE axis(id INTEGER PRIMARY KEY, uom_auth TEXT, uom_code INTEGER_OR_TEXT, "
     "FOREIGN KEY (uom_auth, uom_code) REFERENCES unit(auth, code));"
     "INSERT INTO unit VALUES ('EPSG', 9001), ('PROJ', 'metre_x');"
     "INSERT INTO axis VALUES (1, 'EPSG', 9001);",
     false,
     {"  `uom_auth` TEXT,\n  `uom_code` BIGINT,\n"},
     {"CONSTRAINT", "one type"},
     NULL,
     NULL},
    {"an index over the key limit takes a prefix, and says so",
     "CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, b TEXT); CREATE INDEX t_ab ON t(a, b);"
     "INSERT INTO t VALUES (1, printf('%.500c', 'x'), printf('%.400c', 'y'));",
     false,
     {"  `a` VARCHAR(500) COMMENT 'a key column: VARCHAR sized from the longest value",
      "ALTER TABLE `t` ADD KEY `t_a_b` (`project_id`, `a`(302), `b`) COMMENT 'a: a prefix of 302 "
      "characters (the index would exceed InnoDB''s 3072-byte key limit)';"},
     {NULL},
     NULL,
     NULL},
    {"a foreign key the rows break is left out, and the columns keep their own types",
     "CREATE TABLE p(k TEXT PRIMARY KEY);"
     "CREATE TABLE c(id INTEGER PRIMARY KEY, pk INTEGER REFERENCES p(k));"
     "INSERT INTO p VALUES ('a'); INSERT INTO c VALUES (1, 5), (2, NULL), (3, 6);",
     true,
     {"/* the foreign key (pk) -> p is left out: 2 row(s) in 1 file(s) have no parent row of the "
      "same value and type (the "
      "first: ",
      "  `pk` BIGINT,\n"},
     {"CONSTRAINT"},
     NULL,
     NULL},
    {"a key SQLite cannot check does not hide another key's orphans",
     "CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE q(a, b);"
     "CREATE TABLE c(x REFERENCES p(id), y REFERENCES q(a)); INSERT INTO c VALUES (2, 1);",
     true,
     {"/* the foreign key (x) -> p is left out: 1 row(s) in 1 file(s) have no parent row"},
     {"CONSTRAINT"},
     NULL,
     NULL},
    {"a parent found only by SQLite's affinity or collation is no parent in MySQL",
     "CREATE TABLE p(id INTEGER PRIMARY KEY, k TEXT COLLATE NOCASE UNIQUE);"
     "CREATE TABLE c(i INTEGER PRIMARY KEY, pid TEXT REFERENCES p(id));"
     "CREATE TABLE d(i INTEGER PRIMARY KEY, pk TEXT REFERENCES p(k));"
     "INSERT INTO p VALUES (1, 'A'); INSERT INTO c VALUES (1, '01'), (2, '1');"
     "INSERT INTO d VALUES (1, 'a');",
     true,
     {"(pid) -> p is left out: 2 row(s) in 1 file(s) have no parent row of the same value and "
      "type",
      "(pk) -> p is left out: 1 row(s)"},
     {"CONSTRAINT"},
     NULL,
     NULL},
    {"the mapping file renames and skips tables and columns",
     "CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, legacy TEXT, n INT);"
     "CREATE INDEX t_legacy ON t(legacy, a); CREATE INDEX t_a ON t(a);"
     "CREATE TABLE gone(x); INSERT INTO t VALUES (1, 'x', 'y', 2);",
     false,
     {"CREATE TABLE `items` (", "  `label` VARCHAR(1)",
      "ALTER TABLE `items` ADD KEY `items_label` (`project_id`, `label`);"},
     {"gone", "legacy"},
     "[t]\nrename = items\na.rename = label\nlegacy.skip = yes\n[gone]\nskip = yes\n",
     NULL},
    {"the mapping file's conversions choose the types",
     "CREATE TABLE e(id INTEGER PRIMARY KEY, at_ms INTEGER, code INTEGER, k INTEGER UNIQUE);"
     "INSERT INTO e VALUES (1, 1700000000123, 42, 7);",
     false,
     {"  `at_ms` DATETIME(6) COMMENT 'converted as the mapping file says'",
      "  `code` TEXT COMMENT 'converted as the mapping file says'",
      "  `k` VARCHAR(1) COMMENT 'converted as the mapping file says'"},
     {NULL},
     "[e]\nat_ms.convert = epoch-ms\ncode.convert = text\nk.convert = text\n",
     NULL},
    {"a foreign key follows its renamed parent",
     "CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(i INTEGER PRIMARY KEY, pid "
     "INTEGER REFERENCES p(id)); INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 1);",
     true,
     {"CONSTRAINT `fk_c_parent_id` FOREIGN KEY (`project_id`, `parent_id`) REFERENCES "
      "`parents` (`project_id`, `key_id`)"},
     {NULL},
     "[p]\nrename = parents\nid.rename = key_id\n[c]\npid.rename = parent_id\n",
     NULL},
    {"a column with the project column's name is refused, naming the way out",
     "CREATE TABLE tasks(id INTEGER PRIMARY KEY, project_id INTEGER);",
     false,
     {"CREATE TABLE `tasks` ("},
     {NULL},
     NULL,
     "table tasks: its column project_id has the name of the project column; rename it in the "
     "mapping file ([tasks] project_id.rename = NEW_NAME) or choose another --project-column"},
    {"a column named litelift_rowid where the rowid becomes the key is refused",
     "CREATE TABLE k(litelift_rowid INTEGER, v TEXT);",
     false,
     {"CREATE TABLE `k` ("},
     {NULL},
     NULL,
     "table k: its column litelift_rowid has the name of the rowid column"},
    {"a key column holding text that is not UTF-8 is sized for it decoded",
     "CREATE TABLE w(word TEXT UNIQUE); INSERT INTO w VALUES (CAST(x'636166e9' AS TEXT)), "
     "('ab');",
     false,
     {"  `word` VARCHAR(4) COMMENT"},
     {NULL},
     NULL,
     NULL},
    {"names MySQL does not take are refused, naming the way out",
     "CREATE TABLE \"t \"(id INTEGER PRIMARY KEY, \"\" INT, \"x \" INT);"
     "CREATE TABLE long_name_long_name_long_name_long_name_long_name_long_name_xyzxyz(i INT);",
     false,
     {"CREATE TABLE `t ` ("},
     {NULL},
     NULL,
     "table t : MySQL takes no table name that ends in a space; rename it in the mapping file "
     "([t ] rename = NEW_NAME)\n"
     "table t : MySQL takes no column name that is empty (column ``); rename it in the mapping "
     "file ([t ] .rename = NEW_NAME)\n"
     "table t : MySQL takes no column name that ends in a space (column `x `); rename it in the "
     "mapping file ([t ] x .rename = NEW_NAME)\n"},
    {"a table name too long for the mapping file too",
     "CREATE TABLE long_name_long_name_long_name_long_name_long_name_long_name_xyzxyz(i INT);",
     false,
     {NULL},
     {NULL},
     NULL,
     "table long_name_long_name_long_name_long_name_long_name_long_name_xyzxyz: MySQL takes no "
     "table "
     "name longer than 64 characters, and the mapping file cannot name a table this long: rename "
     "it in the files"},
    {"the mapping file may not rename two tables onto one",
     "CREATE TABLE a(id INTEGER PRIMARY KEY); CREATE TABLE b(id INTEGER PRIMARY KEY);",
     false,
     {NULL},
     {NULL},
     "[b]\nrename = a\n",
     "table a: tables a and b of "},
    {"the mapping file may not rename two columns onto one",
     "CREATE TABLE t(id INTEGER PRIMARY KEY, first TEXT, last TEXT);",
     false,
     {NULL},
     {NULL},
     "[t]\nlast.rename = first\n",
     "table t: columns first and last of "},
    {"text conversion keeps a whole REAL's .0 in the length",
     "CREATE TABLE n(id INTEGER PRIMARY KEY, v REAL UNIQUE); INSERT INTO n VALUES (1, 12.0);",
     false,
     {"  `v` VARCHAR(4) COMMENT 'converted as the mapping file says'"},
     {NULL},
     "[n]\nv.convert = text\n",
     NULL},
    {"a foreign key over a converted column is left out, saying why",
     "CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(i INTEGER PRIMARY KEY, pid INTEGER "
     "REFERENCES p(id)); INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 1);",
     true,
     {"/* the foreign key (pid) -> p is left out: the mapping file converts its columns */"},
     {"CONSTRAINT"},
     "[c]\npid.convert = text\n",
     NULL},
    {"a chain of foreign keys is one group",
     "CREATE TABLE a(k NUMERIC PRIMARY KEY);"
     "CREATE TABLE b(k INTEGER PRIMARY KEY REFERENCES a(k));"
     "CREATE TABLE c(id INTEGER PRIMARY KEY, bk INTEGER REFERENCES b(k));"
     "INSERT INTO a VALUES (5), ('five'); INSERT INTO b VALUES (5); INSERT INTO c VALUES (1, 5);",
     true,
     {"CREATE TABLE `a` (\n  `project_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin "
      "NOT NULL,\n  `k` VARCHAR(4) NOT NULL",
      "  `k` VARCHAR(4) NOT NULL COMMENT 'one type with the 3 columns",
      "  `bk` VARCHAR(4) COMMENT 'one type with the 3 columns"},
     {"left out"},
     NULL,
     NULL},
};

static char dir[64];

static void setup(void)
{
    tmpdir_make(dir, sizeof dir, "/tmp/litelift-ddl-XXXXXX");
}

static void teardown(void)
{
    tmpdir_remove(dir);
}

Test(ddl, designs_from_files, .init = setup, .fini = teardown)
{
    for (size_t i = 0; i < sizeof designs / sizeof *designs; i++) {
        const struct design_case *tc = &designs[i];
        char path[128];
        snprintf(path, sizeof path, "%s/case%zu.db", dir, i);
        sqlite3 *db = NULL;
        char *msg = NULL;
        cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
        cr_assert_eq(sqlite3_exec(db, tc->sql, NULL, NULL, &msg), SQLITE_OK, "%s: %s", tc->name,
                     msg ? msg : "");
        sqlite3_close(db);
        struct reader r;
        struct error err;
        error_clear(&err);
        struct mapping map = {0};
        if (tc->ini != NULL) {
            char ini[160];
            snprintf(ini, sizeof ini, "%s/case%zu.ini", dir, i);
            FILE *f = fopen(ini, "w");
            cr_assert(f != NULL && fputs(tc->ini, f) >= 0 && fclose(f) == 0);
            cr_assert_eq(mapping_load(ini, &map, &err), 0, "%s: %s", tc->name, err.msg);
        }
        struct ddl_schema *s = ddl_new(tc->foreign_keys, &map);
        cr_assert_eq(reader_open(&r, path, &err), 0, "%s", err.msg);
        cr_assert_eq(ddl_add(s, &r, &err), 0, "%s: %s", tc->name, err.msg);
        reader_close(&r);
        struct buf out, problems;
        buf_init(&out, 0);
        buf_init(&problems, 0);
        ddl_render(s, "project_id", 64, NULL, &out, &problems);
        if (tc->problem == NULL)
            cr_assert_eq(problems.len, 0, "%s: %s", tc->name, problems.data);
        else
            cr_assert(problems.data != NULL && strstr(problems.data, tc->problem) != NULL,
                      "%s: problems say \"%s\", not \"%s\"", tc->name,
                      problems.data ? problems.data : "", tc->problem);
        for (size_t k = 0; k < 4 && tc->has[k] != NULL; k++)
            cr_assert(strstr(out.data, tc->has[k]) != NULL, "%s: lacks \"%s\" in\n%s", tc->name,
                      tc->has[k], out.data);
        for (size_t k = 0; k < 2 && tc->lacks[k] != NULL; k++)
            cr_assert(strstr(out.data, tc->lacks[k]) == NULL, "%s: says \"%s\" in\n%s", tc->name,
                      tc->lacks[k], out.data);
        buf_free(&out);
        buf_free(&problems);
        ddl_free(s);
        mapping_free(&map);
    }
}

struct units_seen {
    char text[512];
};

static void note_unit(void *ctx, const char *table, const char *column, enum xform_unit unit)
{
    struct units_seen *u = ctx;
    size_t n = strlen(u->text);
    snprintf(u->text + n, sizeof u->text - n, "%s.%s=%d ", table, column, (int)unit);
}

/* A column joined by a foreign key to a date column holding milliseconds is
 * typed with it, and its numbers are read in the same unit. */
Test(ddl, foreign_key_group_shares_its_time_unit, .init = setup, .fini = teardown)
{
    char path[128];
    snprintf(path, sizeof path, "%s/units.db", dir);
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db,
                              "CREATE TABLE ev(at DATETIME PRIMARY KEY);"
                              "CREATE TABLE seen(id INTEGER PRIMARY KEY, at INTEGER REFERENCES "
                              "ev(at));"
                              "INSERT INTO ev VALUES (1700000000123), (1600000000000);"
                              "INSERT INTO seen VALUES (1, 1700000000123);",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    sqlite3_close(db);
    struct reader r;
    struct error err;
    error_clear(&err);
    struct ddl_schema *s = ddl_new(true, NULL);
    cr_assert_eq(reader_open(&r, path, &err), 0, "%s", err.msg);
    cr_assert_eq(ddl_add(s, &r, &err), 0, "%s", err.msg);
    reader_close(&r);
    struct buf out, problems;
    buf_init(&out, 0);
    buf_init(&problems, 0);
    ddl_render(s, "project_id", 64, NULL, &out, &problems);
    cr_assert(strstr(out.data, "  `at` DATETIME(6) COMMENT 'one type with the 2 columns its "
                               "foreign keys join: its numbers are read as epoch-ms'") != NULL,
              "%s", out.data);
    struct units_seen u = {""};
    ddl_each_unit(s, note_unit, &u);
    char want[128];
    snprintf(want, sizeof want, "ev.at=%d seen.at=%d ", (int)XFORM_UNIT_MS, (int)XFORM_UNIT_MS);
    cr_assert_str_eq(u.text, want);
    buf_free(&out);
    buf_free(&problems);
    ddl_free(s);
}
