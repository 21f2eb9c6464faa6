/* Integration tests of the meaning schema creation keeps (issue 14, points 5
 * and 6): defaults converted as values are (ISO T...Z text, epoch numbers,
 * booleans) and kept only when the files agree; COLLATE NOCASE made
 * case-insensitive unless the server finds key values colliding; CHECK
 * constraints carried, json_valid() making JSON; TIME; small integers; a
 * UNIQUE equal to the primary key; FTS5 tables skipped with their shadow
 * tables. Each fixture is SQL text run by sqlite3; each case is migrated with
 * --schema create, every value compared, then the application's writes are
 * replayed against the created tables. */
#include <criterion/criterion.h>
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* Makes dir/name.db from SQL text sql. */
static void make_db(const char *dir, const char *name, const char *sql)
{
    cr_assert(harness_sh("sqlite3 \"$1/$2.db\" \"$3\"", dir, name, sql, NULL) == 0, "%s: %s", name,
              sql);
}

/* Migrates dir into database db with --schema create; the run's output. */
static struct run_result create_run(const char *dir, const char *db)
{
    /* --verbose: what is left out is said as it is met */
    const char *args[] = {"migrate",  "--schema",      "create",    "--source", dir,
                          "--target", harness_url(db), "--verbose", NULL};
    return harness_run(args);
}

/* Runs one statement of the application: 0, or the server's error number. */
static unsigned app_write(MYSQL *my, const char *sql)
{
    return mysql_query(my, sql) == 0 ? 0 : mysql_errno(my);
}

/* The one text value sql selects (owned by the caller; "NULL" for NULL). */
static char *text_of(MYSQL *my, const char *sql)
{
    cr_assert(mysql_query(my, sql) == 0, "%s: %s", sql, mysql_error(my));
    MYSQL_RES *res = mysql_store_result(my);
    MYSQL_ROW row = res != NULL ? mysql_fetch_row(res) : NULL;
    cr_assert(row != NULL, "%s: no row", sql);
    char *v = strdup(row[0] != NULL ? row[0] : "NULL");
    mysql_free_result(res);
    return v;
}

/* Asserts that the value sql selects is want. */
static void expect_text(MYSQL *my, const char *sql, const char *want)
{
    char *v = text_of(my, sql);
    cr_expect_str_eq(v, want, "%s", sql);
    free(v);
}

/* information_schema.COLUMNS' field of column col of table t. */
static void expect_column(MYSQL *my, const char *t, const char *col, const char *field,
                          const char *want)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT %s FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND "
             "TABLE_NAME = '%s' AND COLUMN_NAME = '%s'",
             field, t, col);
    expect_text(my, sql, want);
}

Test(schema_meaning, iso_epoch_and_boolean_defaults_are_converted_and_applied)
{
    MYSQL *my = harness_db("it_meaning_defaults");
    const char *dir = harness_tmpdir();
    make_db(dir, "app",
            "CREATE TABLE ev(id INTEGER PRIMARY KEY, "
            "at DATETIME DEFAULT '2024-03-01T10:00:00.000Z', "
            "off DATETIME DEFAULT '2024-03-01T10:00:00+02:00', "
            "zero DATETIME DEFAULT '0000-01-01T00:00:00.000Z', "
            "ep DATETIME DEFAULT 0, ok BOOLEAN DEFAULT 'true', n INTEGER DEFAULT '7', note TEXT);"
            "INSERT INTO ev VALUES (1, '2023-05-06T07:08:09Z', '2023-05-06T09:08:09+02:00', "
            "'2020-01-01T00:00:00Z', 1700000000, 'false', 3, 'a');"
            "INSERT INTO ev VALUES (2, '2022-01-01T00:00:00.5Z', NULL, NULL, 1600000000, 1, NULL, "
            "'b');");
    struct run_result r = create_run(dir, "it_meaning_defaults");
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    harness_expect_project(my, dir, "app", 2);
    expect_column(my, "ev", "zero", "COLUMN_COMMENT",
                  "SQLite default '0000-01-01T00:00:00.000Z' dropped: date out of range (year "
                  "1-9999)");
    /* the application's insert gets the converted defaults */
    cr_assert_eq(app_write(my, "INSERT INTO ev (project_id, id, note) VALUES ('app', 3, 'new')"), 0,
                 "%s", mysql_error(my));
    expect_text(my, "SELECT at FROM ev WHERE id = 3", "2024-03-01 10:00:00.000000");
    expect_text(my, "SELECT off FROM ev WHERE id = 3", "2024-03-01 08:00:00.000000");
    expect_text(my, "SELECT zero FROM ev WHERE id = 3", "NULL");
    expect_text(my, "SELECT ep FROM ev WHERE id = 3", "1970-01-01 00:00:00.000000");
    expect_text(my, "SELECT ok FROM ev WHERE id = 3", "1");
    expect_text(my, "SELECT n FROM ev WHERE id = 3", "7");
    mysql_close(my);
}

Test(schema_meaning, defaults_the_merged_files_disagree_on_are_dropped_naming_them)
{
    MYSQL *my = harness_db("it_meaning_disagree");
    const char *dir = harness_tmpdir();
    make_db(dir, "v1",
            "CREATE TABLE s(id INTEGER PRIMARY KEY, state TEXT NOT NULL DEFAULT 'new', "
            "lim INTEGER DEFAULT 10); INSERT INTO s(id) VALUES (1);");
    make_db(dir, "v2",
            "CREATE TABLE s(id INTEGER PRIMARY KEY, state TEXT NOT NULL DEFAULT 'new', "
            "lim INTEGER DEFAULT 20); INSERT INTO s(id) VALUES (1);");
    struct run_result r = create_run(dir, "it_meaning_disagree");
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    harness_expect_project(my, dir, "v1", 1);
    harness_expect_project(my, dir, "v2", 1);
    char want[1024];
    snprintf(want, sizeof want,
             "SQLite default 10 dropped: the files disagree: 10 in %s/v1.db, 20 in %s/v2.db", dir,
             dir);
    expect_column(my, "s", "lim", "COLUMN_COMMENT", want);
    expect_column(my, "s", "lim", "COLUMN_DEFAULT", "NULL");
    cr_assert_eq(app_write(my, "INSERT INTO s (project_id, id, state) VALUES ('v1', 2, 'x')"), 0);
    expect_text(my, "SELECT lim FROM s WHERE id = 2", "NULL");
    mysql_close(my);
}

Test(schema_meaning, nocase_unique_names_refuse_a_case_insensitive_duplicate)
{
    MYSQL *my = harness_db("it_meaning_nocase");
    const char *dir = harness_tmpdir();
    make_db(dir, "shop",
            "CREATE TABLE tag(id INTEGER PRIMARY KEY, name TEXT NOT NULL COLLATE NOCASE UNIQUE);"
            "INSERT INTO tag(name) VALUES ('Apple'), ('banana'), ('Cherry');");
    struct run_result r = create_run(dir, "it_meaning_nocase");
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "COLLATE NOCASE kept binary") == NULL, "%s", r.err);
    harness_result_free(&r);
    harness_expect_project(my, dir, "shop", 3);
    expect_column(my, "tag", "name", "COLLATION_NAME", "utf8mb4_general_ci");
    cr_assert_eq(app_write(my, "INSERT INTO tag VALUES ('shop', 10, 'APPLE')"), 1062,
                 "a case-insensitive duplicate is refused");
    cr_assert_eq(app_write(my, "INSERT INTO tag VALUES ('other', 10, 'APPLE')"), 0,
                 "per project: %s", mysql_error(my));
    cr_assert_eq(app_write(my, "INSERT INTO tag VALUES ('shop', 11, 'durian')"), 0, "%s",
                 mysql_error(my));
    mysql_close(my);
}

Test(schema_meaning, nocase_names_colliding_under_the_collation_stay_binary_with_a_warning)
{
    MYSQL *my = harness_db("it_meaning_clash");
    const char *dir = harness_tmpdir();
    /* SQLite's NOCASE folds ASCII only: 'Äpfel' and 'äpfel' are two names there */
    make_db(dir, "shop",
            "CREATE TABLE tag(id INTEGER PRIMARY KEY, name TEXT NOT NULL COLLATE NOCASE UNIQUE);"
            "INSERT INTO tag(name) VALUES ('Äpfel'), ('äpfel'), ('pear');");
    struct run_result r = create_run(dir, "it_meaning_clash");
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    char want[1024];
    snprintf(want, sizeof want,
             "litelift: WARNING: table tag column name: COLLATE NOCASE kept binary "
             "(utf8mb4_bin): 'Äpfel' and 'äpfel' of %s/shop.db are equal under "
             "utf8mb4_general_ci\n",
             dir);
    cr_assert(strstr(r.err, want) != NULL, "%s", r.err);
    harness_result_free(&r);
    harness_expect_project(my, dir, "shop", 3);
    expect_column(my, "tag", "name", "COLLATION_NAME", "utf8mb4_bin");
    cr_assert_eq(app_write(my, "INSERT INTO tag VALUES ('shop', 10, 'pear')"), 1062);
    mysql_close(my);
}

Test(schema_meaning, check_constraints_are_carried_and_json_valid_makes_json)
{
    MYSQL *my = harness_db("it_meaning_check");
    const char *dir = harness_tmpdir();
    make_db(dir, "inv",
            "CREATE TABLE item(id INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL CHECK (length(name) <= 10), qty INTEGER CHECK (qty >= 0), "
            "kind TEXT CHECK (kind IN ('a', 'b') OR kind IS NULL), "
            "meta TEXT CHECK (json_valid(meta)), code TEXT, CHECK (code GLOB '[A-Z]*'));"
            "INSERT INTO item VALUES (1, 'bolt', 5, 'a', '{\"w\": 1}', 'AB'), "
            "(2, 'nut', 0, NULL, '[1, 2]', 'C');");
    struct run_result r = create_run(dir, "it_meaning_check");
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "litelift: WARNING: table item: SQLite CHECK (code GLOB '[A-Z]*') not "
                            "carried: MySQL has no GLOB of the same meaning\n") != NULL,
              "%s", r.err);
    harness_result_free(&r);
    harness_expect_project(my, dir, "inv", 2);
    /* MariaDB's JSON is LONGTEXT that holds valid JSON only */
    expect_text(my,
                "SELECT COUNT(*) FROM information_schema.CHECK_CONSTRAINTS WHERE "
                "CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = 'item' AND CHECK_CLAUSE LIKE "
                "'json_valid(`meta`)'",
                "1");
    cr_assert_eq(app_write(my, "INSERT INTO item VALUES ('inv', 3, 'washer', -1, NULL, NULL, "
                               "NULL)"),
                 4025, "qty >= 0 refuses -1");
    cr_assert_eq(app_write(my, "INSERT INTO item VALUES ('inv', 3, 'washer', 1, 'c', NULL, NULL)"),
                 4025, "kind IN ('a','b') refuses 'c'");
    cr_assert_eq(app_write(my, "INSERT INTO item VALUES ('inv', 3, 'a-very-long-name', 1, NULL, "
                               "NULL, NULL)"),
                 4025, "length(name) <= 10 refuses 16 characters");
    cr_assert_eq(app_write(my, "INSERT INTO item VALUES ('inv', 3, 'washer', 1, NULL, '{bad', "
                               "NULL)"),
                 4025, "json_valid refuses broken JSON");
    cr_assert_eq(app_write(my, "INSERT INTO item VALUES ('inv', 3, 'washer', 1, 'b', '{}', 'z')"),
                 0, "%s", mysql_error(my));
    mysql_close(my);
}

Test(schema_meaning, a_check_some_rows_break_is_listed_not_carried)
{
    MYSQL *my = harness_db("it_meaning_broken_check");
    const char *dir = harness_tmpdir();
    /* a row the application wrote with the checks off */
    make_db(dir, "old",
            "CREATE TABLE p(id INTEGER PRIMARY KEY, price REAL CHECK (price > 0));"
            "PRAGMA ignore_check_constraints = ON; INSERT INTO p VALUES (1, -2.5);");
    struct run_result r = create_run(dir, "it_meaning_broken_check");
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    char want[1024];
    snprintf(want, sizeof want,
             "litelift: WARNING: table p: SQLite CHECK (price > 0) not carried: 1 rows of "
             "%s/old.db break it\n",
             dir);
    cr_assert(strstr(r.err, want) != NULL, "%s", r.err);
    harness_result_free(&r);
    harness_expect_project(my, dir, "old", 1);
    cr_assert_eq(app_write(my, "INSERT INTO p VALUES ('old', 2, -1)"), 0, "%s", mysql_error(my));
    mysql_close(my);
}

Test(schema_meaning, time_becomes_time6)
{
    MYSQL *my = harness_db("it_meaning_time");
    const char *dir = harness_tmpdir();
    make_db(dir, "cal",
            "CREATE TABLE slot(id INTEGER PRIMARY KEY, starts TIME NOT NULL, ends TIME);"
            "INSERT INTO slot VALUES (1, '08:30', '09:15:00'), (2, '23:59:59.123456', NULL),"
            "(3, '00:00:00', '12:00:00.5');");
    struct run_result r = create_run(dir, "it_meaning_time");
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    harness_expect_project(my, dir, "cal", 3);
    expect_column(my, "slot", "starts", "COLUMN_TYPE", "time(6)");
    cr_assert_eq(app_write(my, "INSERT INTO slot VALUES ('cal', 4, '10:00', '11:00')"), 0, "%s",
                 mysql_error(my));
    expect_text(my, "SELECT ends FROM slot WHERE id = 4", "11:00:00.000000");
    mysql_close(my);
}

Test(schema_meaning, small_integers_are_kept_when_every_value_fits)
{
    MYSQL *my = harness_db("it_meaning_ints");
    const char *dir = harness_tmpdir();
    make_db(dir, "n",
            "CREATE TABLE c(id INTEGER PRIMARY KEY, t TINYINT, s SMALLINT, m MEDIUMINT, "
            "i INT(11), u TINYINT UNSIGNED, w SMALLINT);"
            "INSERT INTO c VALUES (1, -128, 32767, -8388608, 2147483647, 255, 70000),"
            "(2, 127, -32768, 8388607, -2147483648, 0, -3), (3, NULL, NULL, NULL, NULL, NULL, 1);");
    struct run_result r = create_run(dir, "it_meaning_ints");
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    harness_expect_project(my, dir, "n", 3);
    expect_column(my, "c", "t", "DATA_TYPE", "tinyint");
    expect_column(my, "c", "s", "DATA_TYPE", "smallint");
    expect_column(my, "c", "m", "DATA_TYPE", "mediumint");
    expect_column(my, "c", "i", "DATA_TYPE", "int");
    expect_column(my, "c", "u", "COLUMN_TYPE", "tinyint(3) unsigned");
    expect_column(my, "c", "w", "DATA_TYPE", "bigint");
    expect_column(my, "c", "w", "COLUMN_COMMENT",
                  "declared SMALLINT, widened to BIGINT: values from -3 to 70000");
    cr_assert_eq(app_write(my, "INSERT INTO c VALUES ('n', 4, 1, 2, 3, 4, 5, 100000)"), 0, "%s",
                 mysql_error(my));
    mysql_close(my);
}

Test(schema_meaning, a_unique_constraint_equal_to_the_primary_key_is_not_duplicated)
{
    MYSQL *my = harness_db("it_meaning_unique_pk");
    const char *dir = harness_tmpdir();
    make_db(dir, "k",
            "CREATE TABLE pair(a TEXT NOT NULL, b INTEGER NOT NULL, c INTEGER, PRIMARY KEY (a, b),"
            " UNIQUE (b, a), UNIQUE (c)); INSERT INTO pair VALUES ('x', 1, 1), ('x', 2, 2);");
    struct run_result r = create_run(dir, "it_meaning_unique_pk");
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    harness_expect_project(my, dir, "k", 2);
    expect_text(my,
                "SELECT GROUP_CONCAT(DISTINCT INDEX_NAME ORDER BY INDEX_NAME) FROM "
                "information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = "
                "'pair'",
                "pair_c,PRIMARY");
    cr_assert_eq(app_write(my, "INSERT INTO pair VALUES ('k', 'x', 1, 9)"), 1062);
    mysql_close(my);
}

Test(schema_meaning, fts5_tables_are_skipped_with_their_shadow_tables_said_once)
{
    MYSQL *my = harness_db("it_meaning_fts");
    const char *dir = harness_tmpdir();
    make_db(dir, "notes",
            "CREATE TABLE note(id INTEGER PRIMARY KEY, body TEXT);"
            "CREATE VIRTUAL TABLE note_fts USING fts5(body);"
            "INSERT INTO note VALUES (1, 'hello world'), (2, 'goodbye');"
            "INSERT INTO note_fts(rowid, body) SELECT id, body FROM note;");
    struct run_result r = create_run(dir, "it_meaning_fts");
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    const char *said = "skipped virtual note_fts (a virtual table of module fts5, with its shadow "
                       "tables note_fts_config, note_fts_content, note_fts_data, "
                       "note_fts_docsize, note_fts_idx: MySQL has no such table; the "
                       "application must recreate it (see README, \"Schema creation mode\"))";
    const char *at = strstr(r.err, said);
    cr_assert(at != NULL, "%s", r.err);
    cr_assert(strstr(at + 1, said) == NULL && strstr(r.err, "skipped shadow") == NULL, "%s", r.err);
    cr_assert(strstr(r.out, "\nskipped (not migrated): 1 virtual table in 1 project(s)\n") != NULL,
              "%s", r.out);
    harness_result_free(&r);
    harness_expect_project(my, dir, "notes", 2);
    expect_text(my,
                "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                "AND TABLE_NAME LIKE 'note\\_fts%'",
                "0");
    mysql_close(my);
}
