/* Unit tests of the schema designer's DDL text (src/ddl_render.c): the one
 * SQL string escaper, SQLite defaults as MySQL literals, and whole CREATE
 * TABLE statements of one table (with its deferred ADD KEY statements and
 * problems) designed from a real SQLite file in a scratch directory. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddl_int.h"
#include "tmpdir.h"

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
        buf_init(&b, 0);
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

/* ---- one table from a file ------------------------------------------------- */

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
     "  `id` BIGINT NOT NULL,\n"
     "  `name` VARCHAR(7) DEFAULT 'x''y\\\\' COMMENT 'declared length 5, widened to 7 for the "
     "data',\n"
     "  `n` TEXT,\n"
     "  PRIMARY KEY (`project_id`, `id`)\n"
     ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='created by litelift "
     "--schema create'",
     "", NULL},
    {"no declared key: the rowid; a UNIQUE key stays, a plain one is deferred",
     "CREATE TABLE \"it's\"(a TEXT, b INT);"
     "CREATE UNIQUE INDEX u ON \"it's\"(b); CREATE INDEX p ON \"it's\"(a, b);"
     "INSERT INTO \"it's\" VALUES ('abc', 1);",
     "CREATE TABLE `it's` (\n"
     "  `project_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,\n"
     "  `litelift_rowid` BIGINT NOT NULL COMMENT 'the SQLite rowid: the table declares no "
     "primary key',\n"
     "  `a` VARCHAR(3) COMMENT 'a key column: VARCHAR sized from the longest value (a TEXT "
     "cannot be a key)',\n"
     "  `b` BIGINT,\n"
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
     "  `k` VARCHAR(1) NOT NULL COMMENT 'a key column: VARCHAR sized from the longest value (a "
     "TEXT cannot be a key)',\n"
     "  `v'\\` VARCHAR(600) COMMENT 'a key column: VARCHAR sized from the longest value (a TEXT "
     "cannot be a key)',\n"
     "  `x` VARCHAR(600) COMMENT 'a key column: VARCHAR sized from the longest value (a TEXT "
     "cannot be a key)',\n"
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

static char dir[64];

static void setup(void)
{
    tmpdir_make(dir, sizeof dir, "/tmp/litelift-ddlr-XXXXXX");
}

static void teardown(void)
{
    tmpdir_remove(dir);
}

/* ddl_table's defer callback: each statement and a newline. */
static void keep_later(void *ctx, const char *table, const char *index, const char *sql)
{
    (void)table;
    (void)index;
    cr_assert_eq(buf_printf(ctx, "%s\n", sql), 0);
}

Test(ddl_render, one_table_exactly, .init = setup, .fini = teardown)
{
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        const struct table_case *tc = &tables[i];
        char path[128];
        snprintf(path, sizeof path, "%s/t%zu.db", dir, i);
        sqlite3 *db = NULL;
        char *msg = NULL;
        cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
        cr_assert_eq(sqlite3_exec(db, tc->sql, NULL, NULL, &msg), SQLITE_OK, "%s: %s", tc->name,
                     msg ? msg : "");
        sqlite3_close(db);
        struct reader r;
        struct error err;
        error_clear(&err);
        struct ddl_schema *s = ddl_new(false, NULL);
        cr_assert_eq(reader_open(&r, path, &err), 0, "%s", err.msg);
        cr_assert_eq(ddl_add(s, &r, &err), 0, "%s: %s", tc->name, err.msg);
        reader_close(&r);
        struct buf out, later, problems;
        buf_init(&out, 0);
        buf_init(&later, 0);
        buf_init(&problems, 0);
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
