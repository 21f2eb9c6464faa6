/* Integration tests of a `--schema create` design the application can live
 * in after cutover: ids SQLite assigned go on from above every migrated one
 * (AUTO_INCREMENT, sqlite_sequence counted), text keys have room for longer
 * values, wide tables fit MySQL's and InnoDB's row limits, and a design the
 * server refuses leaves the target untouched, naming the table. Each case
 * migrates files made here from SQL text, compares every value, then replays
 * the application's writes against the created tables. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* Makes SQLite file dir/name from the SQL text sql. */
static void make_file(const char *dir, const char *name, const char *sql)
{
    cr_assert_eq(harness_sh("printf '%s' \"$3\" | sqlite3 -bail \"$1/$2\"", dir, name, sql, NULL),
                 0, "%s: %s", name, sql);
}

/* Runs litelift with args; asserts its exit status, and that its standard
 * output holds each of out and its standard error each of err (both
 * NULL-terminated; NULL: nothing). */
static void expect_run(const char *const *args, int status, const char *const *out,
                       const char *const *err)
{
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, status, "%s\n%s", r.out, r.err);
    for (size_t i = 0; out != NULL && out[i] != NULL; i++)
        cr_assert(strstr(r.out, out[i]) != NULL, "lacks %s in\n%s", out[i], r.out);
    for (size_t i = 0; err != NULL && err[i] != NULL; i++)
        cr_assert(strstr(r.err, err[i]) != NULL, "lacks %s in\n%s", err[i], r.err);
    harness_result_free(&r);
}

/* The tables of database db (litelift's own included). */
static long long tables_in(MYSQL *my, const char *db)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '%s'", db);
    return harness_number(my, sql);
}

/* Inserts one row with sql and returns the id the server gave it. */
static long long insert_id(MYSQL *my, const char *sql)
{
    harness_exec(my, sql);
    return harness_number(my, "SELECT LAST_INSERT_ID()");
}

/* A Django-like application: AUTOINCREMENT tables whose sqlite_sequence is
 * ahead of the stored ids (rows were deleted), and a plain INTEGER PRIMARY
 * KEY table holding an id 0. */
#define DJANGO_SCHEMA                                                                              \
    "CREATE TABLE auth_user (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, password "             \
    "varchar(128) NOT NULL, username varchar(150) NOT NULL UNIQUE, email varchar(254) NOT "        \
    "NULL, date_joined datetime NOT NULL);"                                                        \
    "CREATE TABLE django_session (session_key varchar(40) NOT NULL PRIMARY KEY, session_data "     \
    "text NOT NULL, expire_date datetime NOT NULL);"                                               \
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"

Test(schema_design, ids_go_on_above_every_migrated_id_in_every_project)
{
    MYSQL *my = harness_db("it_design_ids");
    const char *dir = harness_tmpdir();
    make_file(dir, "p1.db",
              DJANGO_SCHEMA
              "INSERT INTO auth_user VALUES (1, 'x', 'ann', 'a@x', '2024-01-02 03:04:05'),"
              " (7, 'x', 'bob', 'b@x', '2024-01-02 03:04:05'), (480, 'x', 'cy', 'c@x', "
              "'2024-02-03 04:05:06');"
              "DELETE FROM auth_user WHERE id = 480;" /* sqlite_sequence stays at 480 */
              "INSERT INTO django_session VALUES ('abc', 'data', '2024-01-02 03:04:05');"
              "INSERT INTO notes VALUES (0, 'zero'), (3, 'three');");
    make_file(dir, "p2.db",
              DJANGO_SCHEMA
              "INSERT INTO auth_user VALUES (1, 'x', 'ann', 'a@x', '2024-01-02 03:04:05'),"
              " (55, 'x', 'dd', 'd@x', '2024-01-02 03:04:05');"
              "INSERT INTO notes VALUES (90, 'ninety');");
    const char *url = harness_url("it_design_ids");
    const char *print[] = {"schema", "--source", dir, NULL};
    const char *const designed[] = {
        "  `id` BIGINT NOT NULL AUTO_INCREMENT COMMENT 'SQLite assigned its ids (INTEGER PRIMARY "
        "KEY AUTOINCREMENT): AUTO_INCREMENT, one counter for every project, from 481 (above "
        "every migrated id)'",
        "  PRIMARY KEY (`project_id`, `id`),\n  KEY `litelift_auto_increment` (`id`),",
        "AUTO_INCREMENT=481 COMMENT", "AUTO_INCREMENT=91 COMMENT", NULL};
    expect_run(print, 0, designed, NULL);
    const char *dry[] = {"migrate", "--dry-run", "--schema", "create", "--source",
                         dir,       "--target",  url,        NULL};
    const char *const predicted[] = {"2 project(s), 0 failed, 0 row(s) rejected", NULL};
    expect_run(dry, 0, predicted, NULL);
    const char *args[] = {"migrate", "--schema", "create", "--source", dir, "--target", url, NULL};
    expect_run(args, 0, NULL, NULL);
    harness_expect_project(my, dir, "p1", 5);
    harness_expect_project(my, dir, "p2", 3);
    /* the application's writes: an insert without an id gets one above
     * every migrated id and sqlite_sequence entry, in every project */
    cr_assert_eq(insert_id(my, "INSERT INTO auth_user (project_id, password, username, email, "
                               "date_joined) VALUES ('p2', 'x', 'new', 'n@x', NOW())"),
                 481);
    cr_assert_eq(insert_id(my, "INSERT INTO auth_user (project_id, password, username, email, "
                               "date_joined) VALUES ('p1', 'x', 'new', 'n@x', NOW())"),
                 482);
    cr_assert_eq(insert_id(my, "INSERT INTO notes (project_id, body) VALUES ('p1', 'new')"), 91);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM notes WHERE id = 0 AND body = 'zero'"), 1,
                 "the row of id 0 kept its id");
    /* a new project's file whose sqlite_sequence is far ahead moves the
     * counter of the existing table on */
    make_file(dir, "p3.db",
              DJANGO_SCHEMA
              "INSERT INTO auth_user VALUES (9000, 'x', 'ee', 'e@x', '2024-01-02 03:04:05');"
              "UPDATE sqlite_sequence SET seq = 12000 WHERE name = 'auth_user';");
    expect_run(args, 0, NULL, NULL);
    harness_expect_project(my, dir, "p3", 1);
    cr_assert_eq(insert_id(my, "INSERT INTO auth_user (project_id, password, username, email, "
                               "date_joined) VALUES ('p1', 'x', 'newer', 'n@x', NOW())"),
                 12001);
    mysql_close(my);
}

Test(schema_design, text_keys_have_room_for_longer_values)
{
    MYSQL *my = harness_db("it_design_keys");
    const char *dir = harness_tmpdir();
    make_file(dir, "p1.db",
              "CREATE TABLE tags (name TEXT PRIMARY KEY, n INTEGER);" /* empty */
              "CREATE TABLE cookies (k, v); CREATE INDEX cookies_k ON cookies(k);"
              "INSERT INTO cookies VALUES ('sid', 1);"
              "CREATE TABLE codes (code VARCHAR(4) PRIMARY KEY, label TEXT);"
              "INSERT INTO codes VALUES ('abcdef', 'longer than declared');"
              "CREATE TABLE quad (a TEXT, b TEXT, c TEXT, d TEXT, PRIMARY KEY (a, b, c, d));"
              "INSERT INTO quad VALUES ('a', 'b', 'c', 'd');");
    const char *url = harness_url("it_design_keys");
    const char *print[] = {"schema", "--source", dir, NULL};
    const char *const designed[] = {
        "  `name` VARCHAR(255) NOT NULL COMMENT 'a key column: VARCHAR(255), the default width of "
        "text keys, see --key-length (no value today; a TEXT cannot be a key)'",
        "  `k` VARCHAR(255) COMMENT 'a key column: VARCHAR(255), the default width of text keys, "
        "see --key-length (3 characters today;",
        "  `code` VARCHAR(6) NOT NULL COMMENT 'declared length 4, widened to 6 for the data'",
        /* four text columns share what InnoDB's 3072-byte key limit leaves */
        "  `d` VARCHAR(175) NOT NULL COMMENT 'a key column: VARCHAR(175), the most InnoDB''s "
        "3072-byte key limit leaves it beside the other key columns (1 character today;",
        NULL};
    expect_run(print, 0, designed, NULL);
    const char *narrow[] = {"schema", "--source", dir, "--key-length", "40", NULL};
    const char *const narrowed[] = {"  `name` VARCHAR(40) NOT NULL COMMENT 'a key column: "
                                    "VARCHAR(40), as --key-length says (no value today;",
                                    NULL};
    expect_run(narrow, 0, narrowed, NULL);
    const char *args[] = {"migrate", "--schema", "create", "--source", dir, "--target", url, NULL};
    expect_run(args, 0, NULL, NULL);
    harness_expect_project(my, dir, "p1", 3);
    /* the application's writes: keys longer than any stored today fit */
    harness_exec(my, "INSERT INTO tags VALUES ('p1', REPEAT('t', 255), 1)");
    harness_exec(my, "INSERT INTO cookies (project_id, litelift_rowid, k, v) VALUES ('p1', 2, "
                     "REPEAT('c', 200), 2)");
    harness_exec(my, "INSERT INTO quad VALUES ('p1', REPEAT('a', 175), REPEAT('b', 175), "
                     "REPEAT('c', 175), REPEAT('d', 175))");
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM tags WHERE CHAR_LENGTH(name) = 255"), 1);
    mysql_close(my);
}

/* A table of n columns c0.. of declared type decl (may be ""), and one
 * row: its id, then c0 = 1 and the rest NULL. */
static char *wide_sql(const char *table, int n, const char *decl)
{
    size_t size = 64 + (size_t)n * 64;
    char *sql = malloc(size);
    cr_assert(sql != NULL);
    int len = snprintf(sql, size, "CREATE TABLE %s (id INTEGER PRIMARY KEY", table);
    for (int i = 0; i < n; i++)
        len += snprintf(sql + len, size - (size_t)len, ", c%d %s", i, decl);
    snprintf(sql + len, size - (size_t)len, "); INSERT INTO %s (id, c0) VALUES (1, 'v');", table);
    return sql;
}

Test(schema_design, wide_tables_fit_the_row_limits)
{
    MYSQL *my = harness_db("it_design_wide");
    const char *dir = harness_tmpdir();
    char *untyped = wide_sql("untyped", 100, ""),
         *declared = wide_sql("declared", 70, "VARCHAR(255)");
    char both[16384];
    snprintf(both, sizeof both, "%s%s", untyped, declared);
    make_file(dir, "p1.db", both);
    free(untyped);
    free(declared);
    const char *url = harness_url("it_design_wide");
    /* schema, schema --target and the dry-run agree with the server */
    const char *print[] = {"schema", "--source", dir, NULL};
    const char *target[] = {"schema", "--source", dir, "--target", url, NULL};
    const char *dry[] = {"migrate", "--dry-run", "--schema", "create", "--source",
                         dir,       "--target",  url,        NULL};
    const char *const moved[] = {"  `c69` TEXT COMMENT 'TEXT, not VARCHAR(255): the row would "
                                 "exceed MySQL''s 65,535-byte limit'",
                                 NULL};
    expect_run(print, 0, moved, NULL);
    expect_run(target, 0, moved, NULL);
    const char *const predicted[] = {"1 project(s), 0 failed, 0 row(s) rejected", NULL};
    expect_run(dry, 0, predicted, NULL);
    const char *args[] = {"migrate", "--schema", "create", "--source", dir, "--target", url, NULL};
    expect_run(args, 0, NULL, NULL);
    harness_expect_project(my, dir, "p1", 2);
    /* the fewest moves that fit: 7 of the 70 VARCHAR(255) (71,815 bytes);
     * 36 of the 99 empty untyped columns, beside c0, TEXT by its value */
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE "
                                    "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'declared' AND "
                                    "DATA_TYPE = 'text' AND COLUMN_NAME >= 'c63'"),
                 7);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE "
                                    "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'untyped' AND "
                                    "DATA_TYPE = 'text'"),
                 37);
    /* TEXT and VARCHAR(255) columns alike take 255 characters */
    harness_exec(my, "INSERT INTO declared (project_id, id, c1, c69) VALUES ('p1', 2, "
                     "REPEAT('x', 255), REPEAT('y', 255))");
    harness_exec(my, "INSERT INTO untyped (project_id, id, c1, c99) VALUES ('p1', 2, "
                     "REPEAT('x', 255), REPEAT('y', 255))");
    mysql_close(my);
}

Test(schema_design, a_table_beyond_the_page_limit_is_refused_by_name)
{
    MYSQL *my = harness_db("it_design_page");
    const char *dir = harness_tmpdir();
    char *sql = wide_sql("ledger", 1000, "INTEGER");
    make_file(dir, "p1.db", "CREATE TABLE small (id INTEGER PRIMARY KEY);");
    make_file(dir, "p2.db", sql);
    free(sql);
    const char *url = harness_url("it_design_page");
    const char *print[] = {"schema", "--source", dir, NULL};
    const char *target[] = {"schema", "--source", dir, "--target", url, NULL};
    const char *dry[] = {"migrate", "--dry-run", "--schema", "create", "--source",
                         dir,       "--target",  url,        NULL};
    const char *args[] = {"migrate", "--schema", "create", "--source", dir, "--target", url, NULL};
    const char *const *runs[] = {print, target, dry, args};
    const char *const refused[] = {
        "table ledger: its rows would take up to 8226 bytes in an InnoDB page, over the limit of "
        "8126 (16 KB pages, ROW_FORMAT=DYNAMIC); leave columns out in the mapping file",
        NULL};
    for (size_t i = 0; i < 4; i++)
        expect_run(runs[i], 1, NULL, refused);
    cr_assert_eq(tables_in(my, "it_design_page"), 0, "the refusal touched the target");
    mysql_close(my);
}

/* Two files whose second table has 70 unique keys: the design holds, the
 * server takes at most 64 keys a table. */
static const char *too_many_keys(void)
{
    const char *dir = harness_tmpdir();
    char sql[16384];
    int len = snprintf(sql, sizeof sql,
                       "CREATE TABLE alpha (id INTEGER PRIMARY KEY, v TEXT);"
                       "INSERT INTO alpha VALUES (1, 'a');"
                       "CREATE TABLE keyed (id INTEGER PRIMARY KEY");
    for (int i = 0; i < 70; i++)
        len += snprintf(sql + len, sizeof sql - (size_t)len, ", u%d INTEGER UNIQUE", i);
    snprintf(sql + len, sizeof sql - (size_t)len, "); INSERT INTO keyed (id) VALUES (1);");
    make_file(dir, "p1.db", sql);
    return dir;
}

Test(schema_design, a_design_the_server_refuses_leaves_the_target_untouched)
{
    MYSQL *my = harness_db("it_design_refused");
    const char *dir = too_many_keys();
    const char *url = harness_url("it_design_refused");
    /* the server proves the design first: schema --target, the dry-run and
     * the run refuse it by name, and nothing is created */
    const char *target[] = {"schema", "--source", dir, "--target", url, NULL};
    const char *dry[] = {"migrate", "--dry-run", "--schema", "create", "--source",
                         dir,       "--target",  url,        NULL};
    const char *args[] = {"migrate", "--schema", "create", "--source", dir, "--target", url, NULL};
    const char *const *runs[] = {target, dry, args};
    const char *const refused[] = {"table keyed: the server refuses its design (",
                                   "Too many keys specified; max 64 keys allowed",
                                   "): CREATE TEMPORARY TABLE `keyed` (", NULL};
    for (size_t i = 0; i < 3; i++) {
        expect_run(runs[i], 1, NULL, refused);
        cr_assert_eq(tables_in(my, "it_design_refused"), 0, "the refusal touched the target");
    }
    /* a user who may not create temporary tables proves nothing: the CREATE
     * that fails takes back the tables the run created before it */
    harness_exec(my, "DROP USER IF EXISTS 'll_notemp'@'localhost'");
    harness_exec(my, "CREATE USER 'll_notemp'@'localhost' IDENTIFIED BY 'pw'");
    harness_exec(my, "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP ON "
                     "`it\\_design\\_refused`.* TO 'll_notemp'@'localhost'");
    char notemp[1024];
    snprintf(notemp, sizeof notemp, "mysql://ll_notemp:pw@localhost/it_design_refused?socket=%s",
             harness_socket());
    const char *plain[] = {"migrate", "--schema", "create", "--source",
                           dir,       "--target", notemp,   NULL};
    const char *const undone[] = {"creating table keyed failed (",
                                  "Too many keys specified; max 64 keys allowed",
                                  "); statement: CREATE TABLE `keyed` (",
                                  "; the tables this run created are dropped again: alpha", NULL};
    expect_run(plain, 1, NULL, undone);
    cr_assert_eq(tables_in(my, "it_design_refused"), 0, "the failed run left tables behind");
    harness_exec(my, "DROP USER 'll_notemp'@'localhost'");
    mysql_close(my);
}
