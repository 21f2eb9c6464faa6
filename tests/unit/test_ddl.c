/* Unit tests of the schema designer (src/ddl.h) on whole designs made from
 * real SQLite files in a scratch directory: keys, foreign keys and the types
 * they join, time units, and one CREATE TABLE statement exactly. (Its pure
 * type logic: test_ddl_types.c; escaping and defaults: test_ddl_render.c.) */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ddl.h"
#include "tmpdir.h"

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
      "  `a` VARCHAR(255) COMMENT 'a key column: VARCHAR(255), the default width of text keys, "
      "see --key-length (1 character today; a TEXT cannot be a key)',\n  `b` BIGINT,",
      "PRIMARY KEY (`project_id`, `litelift_rowid`),\n  UNIQUE KEY `u_a_b` (`project_id`, `a`, "
      "`b`)"},
     {"PRIMARY KEY (`project_id`, `a`"},
     NULL,
     NULL},
    {"a declared key without NULLs stays the key",
     "CREATE TABLE u(a TEXT, b INTEGER, PRIMARY KEY (a, b)); INSERT INTO u VALUES ('kk', 1);",
     false,
     {"  `a` VARCHAR(255) NOT NULL COMMENT 'a key column: VARCHAR(255), the default width of "
      "text keys, see --key-length (2 characters today;",
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
     {"  `code` VARCHAR(255) NOT NULL COMMENT 'the stored values do not fit the declared type: "
      "VARCHAR(255); a key column: VARCHAR(255), the default width of text keys, see "
      "--key-length (7 characters today;",
      "  `uom_auth` VARCHAR(255) COMMENT 'a key column: VARCHAR(255), the default width of text "
      "keys, see --key-length (4 characters today; a TEXT cannot be a key)',\n  `uom_code` "
      "VARCHAR(255) COMMENT 'one type with the 2 columns",
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
     {"  `a` VARCHAR(500) COMMENT 'a key column: VARCHAR(500), sized to its longest value, over "
      "the 255 it would get otherwise (500 characters today;",
      "  `b` VARCHAR(400) COMMENT 'a key column: VARCHAR(400), sized to its longest value, over "
      "the 255 it would get otherwise",
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
     {"CREATE TABLE `items` (", "  `label` VARCHAR(255)",
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
      "  `k` VARCHAR(255) COMMENT 'converted as the mapping file says; a key column: "
      "VARCHAR(255), the default width of text keys, see --key-length (1 character today;"},
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
     {"  `word` VARCHAR(255) COMMENT 'a key column: VARCHAR(255), the default width of text "
      "keys, see --key-length (4 characters today;"},
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
     {"  `v` VARCHAR(255) COMMENT 'converted as the mapping file says; a key column: "
      "VARCHAR(255), the default width of text keys, see --key-length (4 characters today;"},
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
      "NOT NULL,\n  `k` VARCHAR(255) NOT NULL",
      "  `k` VARCHAR(255) NOT NULL COMMENT 'one type with the 3 columns",
      "  `bk` VARCHAR(255) COMMENT 'one type with the 3 columns"},
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

/* The design of one file made by running sql in it (name: the file's name in
 * the scratch directory), with the mapping file text ini (NULL: none) loaded
 * into map (freed by the caller with mapping_free; with map NULL, the design
 * has no mapping). */
static struct ddl_schema *design_of(const char *name, const char *sql, bool foreign_keys,
                                    const char *ini, struct mapping *map)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s.db", dir, name);
    sqlite3 *db = NULL;
    char *msg = NULL;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &msg), SQLITE_OK, "%s: %s", name,
                 msg ? msg : "");
    sqlite3_close(db);
    struct reader r;
    struct error err;
    error_clear(&err);
    if (map != NULL)
        memset(map, 0, sizeof *map);
    if (ini != NULL) {
        char file[160];
        snprintf(file, sizeof file, "%s/%s.ini", dir, name);
        FILE *f = fopen(file, "w");
        cr_assert(f != NULL && fputs(ini, f) >= 0 && fclose(f) == 0);
        cr_assert_eq(mapping_load(file, map, &err), 0, "%s: %s", name, err.msg);
    }
    struct ddl_schema *s = ddl_new(foreign_keys, map);
    cr_assert_eq(reader_open(&r, path, &err), 0, "%s", err.msg);
    cr_assert_eq(ddl_add(s, &r, &err), 0, "%s: %s", name, err.msg);
    reader_close(&r);
    return s;
}

Test(ddl, designs_from_files, .init = setup, .fini = teardown)
{
    for (size_t i = 0; i < sizeof designs / sizeof *designs; i++) {
        const struct design_case *tc = &designs[i];
        char name[32];
        struct mapping map;
        snprintf(name, sizeof name, "case%zu", i);
        struct ddl_schema *s = design_of(name, tc->sql, tc->foreign_keys, tc->ini, &map);
        struct buf out, problems;
        buf_init(&out, BUF_CAP_ROW);
        buf_init(&problems, BUF_CAP_ROW);
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
    struct ddl_schema *s =
        design_of("units",
                  "CREATE TABLE ev(at DATETIME PRIMARY KEY);"
                  "CREATE TABLE seen(id INTEGER PRIMARY KEY, at INTEGER REFERENCES ev(at));"
                  "INSERT INTO ev VALUES (1700000000123), (1600000000000);"
                  "INSERT INTO seen VALUES (1, 1700000000123);",
                  true, NULL, NULL);
    struct buf out, problems;
    buf_init(&out, BUF_CAP_ROW);
    buf_init(&problems, BUF_CAP_ROW);
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

/* ---- one table, exactly ------------------------------------------------------ */

struct table_case {
    const char *name;
    const char *sql;     /* run in one file; the design's first table is rendered */
    const char *create;  /* the exact statement */
    const char *later;   /* the deferred statements, each followed by "\n" */
    const char *problem; /* a substring of the problems, or NULL for none */
};

static const struct table_case tables[] = {
    {"a key, a widened VARCHAR with a quoted default, and a TEXT",
     "CREATE TABLE t(id INTEGER PRIMARY KEY, name VARCHAR(5) DEFAULT 'x''y\\', n TEXT);"
     "INSERT INTO t VALUES (1, 'abcdefg', 'z');",
     "CREATE TABLE `t` (\n"
     "  `project_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,\n"
     "  `id` BIGINT NOT NULL AUTO_INCREMENT COMMENT 'SQLite assigned its ids (INTEGER PRIMARY "
     "KEY): AUTO_INCREMENT, one counter for every project, from 2 (above every migrated id)',\n"
     "  `name` VARCHAR(7) DEFAULT 'x''y\\\\' COMMENT 'declared length 5, widened to 7 for the "
     "data',\n"
     "  `n` TEXT,\n"
     "  PRIMARY KEY (`project_id`, `id`),\n"
     "  KEY `litelift_auto_increment` (`id`)\n"
     ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin AUTO_INCREMENT=2 "
     "COMMENT='created by litelift --schema create'",
     "", NULL},
    {"no declared key: the rowid; a UNIQUE key stays, a plain one is deferred",
     "CREATE TABLE \"it's\"(a TEXT, b INT);"
     "CREATE UNIQUE INDEX u ON \"it's\"(b); CREATE INDEX p ON \"it's\"(a, b);"
     "INSERT INTO \"it's\" VALUES ('abc', 1);",
     "CREATE TABLE `it's` (\n"
     "  `project_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,\n"
     "  `litelift_rowid` BIGINT NOT NULL COMMENT 'the SQLite rowid: the table declares no "
     "primary key',\n"
     "  `a` VARCHAR(255) COMMENT 'a key column: VARCHAR(255), the default width of text keys, "
     "see --key-length (3 characters today; a TEXT cannot be a key)',\n"
     "  `b` INT,\n"
     "  PRIMARY KEY (`project_id`, `litelift_rowid`),\n"
     "  UNIQUE KEY `it_s_b` (`project_id`, `b`)\n"
     ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='created by litelift "
     "--schema create'",
     "ALTER TABLE `it's` ADD KEY `it_s_a_b` (`project_id`, `a`, `b`)\n", NULL},
    {"a plain index over InnoDB's limit gets a prefix, named in its comment",
     "CREATE TABLE w(k TEXT PRIMARY KEY, \"v'\\\" TEXT, x TEXT) WITHOUT ROWID;"
     "CREATE INDEX wv ON w(\"v'\\\", x);"
     "INSERT INTO w VALUES ('k', printf('%.600c', 'v'), printf('%.600c', 'x'));",
     "CREATE TABLE `w` (\n"
     "  `project_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,\n"
     "  `k` VARCHAR(255) NOT NULL COMMENT 'a key column: VARCHAR(255), the default width of text "
     "keys, see --key-length (1 character today; a TEXT cannot be a key)',\n"
     "  `v'\\` VARCHAR(600) COMMENT 'a key column: VARCHAR(600), sized to its longest value, over "
     "the 255 it would get otherwise (600 characters today; a TEXT cannot be a key)',\n"
     "  `x` VARCHAR(600) COMMENT 'a key column: VARCHAR(600), sized to its longest value, over "
     "the 255 it would get otherwise (600 characters today; a TEXT cannot be a key)',\n"
     "  PRIMARY KEY (`project_id`, `k`)\n"
     ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='created by litelift "
     "--schema create'",
     "ALTER TABLE `w` ADD KEY `w_v___x` (`project_id`, `v'\\`(102), `x`) COMMENT 'v''\\\\: a "
     "prefix of 102 characters (the index would exceed InnoDB''s 3072-byte key limit)'\n",
     NULL},
    {"a column named like the project column is a problem",
     "CREATE TABLE p(project_id TEXT); INSERT INTO p VALUES ('x');",
     "CREATE TABLE `p` (\n"
     "  `project_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,\n"
     "  `litelift_rowid` BIGINT NOT NULL COMMENT 'the SQLite rowid: the table declares no "
     "primary key',\n"
     "  `project_id` TEXT,\n"
     "  PRIMARY KEY (`project_id`, `litelift_rowid`)\n"
     ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='created by litelift "
     "--schema create'",
     "",
     "table p: its column project_id has the name of the project column; rename it in the "
     "mapping file ([p] project_id.rename = NEW_NAME) or choose another --project-column\n"},
};

/* ddl_table's defer callback: each statement and a newline. */
static void keep_later(void *ctx, const char *table, const char *index, const char *sql)
{
    (void)table;
    (void)index;
    cr_assert_eq(buf_printf(ctx, "%s\n", sql), 0);
}

Test(ddl, one_table_exactly, .init = setup, .fini = teardown)
{
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        const struct table_case *tc = &tables[i];
        char file[32];
        snprintf(file, sizeof file, "table%zu", i);
        struct ddl_schema *s = design_of(file, tc->sql, false, NULL, NULL);
        struct buf out, later, problems;
        buf_init(&out, BUF_CAP_ROW);
        buf_init(&later, BUF_CAP_ROW);
        buf_init(&problems, BUF_CAP_ROW);
        const char *name = NULL;
        cr_assert_eq(ddl_table(s, 0, "project_id", 12, &name, &out, &problems, keep_later, &later),
                     0, "%s", tc->name);
        cr_expect_str_eq(out.data, tc->create, "%s", tc->name);
        cr_expect_str_eq(later.data ? later.data : "", tc->later, "%s", tc->name);
        if (tc->problem == NULL)
            cr_expect_eq(problems.len, 0, "%s: %s", tc->name, problems.data);
        else
            cr_expect(problems.data != NULL && strstr(problems.data, tc->problem) != NULL,
                      "%s: problems say \"%s\"", tc->name, problems.data ? problems.data : "");
        cr_expect_eq(ddl_table(s, 1, "project_id", 12, &name, &out, &problems, NULL, NULL), -1,
                     "%s: no second table", tc->name);
        buf_free(&out);
        buf_free(&later);
        buf_free(&problems);
        ddl_free(s);
    }
}
