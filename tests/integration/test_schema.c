/* Integration tests of schema creation (`litelift schema`, `migrate --schema
 * create`): the multi-tenant tables designed from every project file, then
 * every value of every row compared back; tables present in only some files;
 * conflicting declarations refused before any data moves. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compare.h"
#include "harness.h"

static void compare_backup(MYSQL *my, const char *dir, const char *project, long min_rows)
{
    char path[512], msg[2048];
    snprintf(path, sizeof path, "%s/%s.db.migrated", dir, project);
    long n = compare_project(my, path, "project_id", project, NULL, msg, sizeof msg);
    cr_assert(n >= min_rows, "project %s: %s (%ld rows)", project, msg, n);
}

/* Runs `litelift schema` (the DDL printed) for the files in dir. */
static struct run_result schema_run(const char *dir)
{
    const char *args[] = {"schema", "--source", dir, NULL};
    return harness_run(args);
}

/* Runs `migrate --schema create` from dir into the test database db. */
static struct run_result create_run(const char *dir, const char *db)
{
    const char *args[] = {"migrate", "--schema", "create",        "--source",
                          dir,       "--target", harness_url(db), NULL};
    return harness_run(args);
}

Test(schema, create_designs_the_tables_and_every_value_arrives)
{
    const char *fx = harness_fixtures();
    MYSQL *my = harness_db("it_create");
    char src[256];
    snprintf(src, sizeof src, "%s/tronbyt", fx);
    const char *args[] = {
        "migrate", "--schema", "create", "--source", src, "--target", harness_url("it_create"),
        NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "created table apps") != NULL, "%s", r.err);
    /* plain indexes are built after the data: faster (see README) */
    cr_assert(strstr(r.err, "litelift: built index ") != NULL, "%s", r.err);
    compare_backup(my, src, "tenant-a", 100);
    compare_backup(my, src, "tenant b", 100);
    harness_result_free(&r);
    /* the project column leads every key, uniqueness holds per project;
     * but the key InnoDB counts an AUTO_INCREMENT column from, which must
     * start with it (tronbyt's INTEGER PRIMARY KEY ids) */
    cr_assert(mysql_query(my, "SELECT INDEX_NAME, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) "
                              "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
                              "AND TABLE_NAME NOT LIKE 'litelift%' GROUP BY TABLE_NAME, "
                              "INDEX_NAME") == 0);
    MYSQL_RES *res = mysql_store_result(my);
    MYSQL_ROW row;
    int n = 0, counters = 0;
    while ((row = mysql_fetch_row(res)) != NULL) {
        if (strcmp(row[0], "litelift_auto_increment") == 0) {
            cr_assert_str_eq(row[1], "id");
            counters++;
            continue;
        }
        cr_assert(strncmp(row[1], "project_id", 10) == 0, "index %s: %s", row[0], row[1]);
        n++;
    }
    cr_assert(n >= 5);
    cr_assert_eq(counters, 4, "the 4 INTEGER PRIMARY KEY ids become AUTO_INCREMENT");
    mysql_free_result(res);
    /* a rerun finds the tables there and loads nothing twice */
    r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    mysql_close(my);
}

Test(schema, apna_shaped_files_with_broken_ones_beside_them)
{
    const char *fx = harness_fixtures();
    MYSQL *my = harness_db("it_create_apna");
    char src[256];
    snprintf(src, sizeof src, "%s/apna", fx);
    const char *print[] = {"schema", "--source", src, NULL};
    struct run_result r = harness_run(print);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    /* seed 000 phase 6: node is unique per project; keys lead with project_id */
    cr_assert(strstr(r.out, "UNIQUE KEY `node_jobs_node` (`project_id`, `node`)") != NULL, "%s",
              r.out);
    cr_assert(strstr(r.out, "PRIMARY KEY (`project_id`, `key_id`)") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "PRIMARY KEY (`project_id`, `backup_id`, `restore_no`)") != NULL, "%s",
              r.out);
    cr_assert(strstr(r.out, "`litelift_rowid` BIGINT NOT NULL") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "-- after the data is loaded:\nALTER TABLE `backups` ADD KEY "
                            "`backups_name_id` (`project_id`, `name`, `id`);") != NULL,
              "%s", r.out);
    cr_assert(strstr(r.err, "the design leaves out") != NULL, "%s", r.err);
    harness_result_free(&r);
    const char *args[] = {"migrate",  "--schema", "create",   "--quiet",
                          "--source", src,        "--target", harness_url("it_create_apna"),
                          NULL};
    r = harness_run(args);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    static const char *const good[] = {"acme", "o'brien & sons", "Zürich 東京", "back\\slash \"q\"",
                                       "walproj"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        compare_backup(my, src, good[i], 2000);
    cr_assert(strstr(r.out, "corrupt                  FAILED:") != NULL, "%s", r.out);
    harness_result_free(&r);
    mysql_close(my);
}

Test(schema, tables_in_some_files_only_and_conflicts_across_files)
{
    MYSQL *my = harness_db("it_create_union");
    const char *dir = harness_tmpdir();
    /* p1 has an extra table and column; p2 declares `n` as REAL (widened) */
    cr_assert(harness_sh("sqlite3 \"$1/p1.db\" \"CREATE TABLE t(id INTEGER PRIMARY KEY, n INTEGER, "
                         "\\\"order\\\" TEXT, [select] TEXT NOT NULL); INSERT INTO t VALUES (1, 7, "
                         "'a', 'x'), (2, NULL, 'b', 'y'); CREATE TABLE only1(k TEXT PRIMARY KEY, v "
                         "BLOB) WITHOUT ROWID; INSERT INTO only1 VALUES ('k', x'00ff');\"",
                         dir, NULL) == 0);
    cr_assert(harness_sh("sqlite3 \"$1/p2.db\" \"CREATE TABLE t(id INTEGER PRIMARY KEY, n REAL, "
                         "\\\"order\\\" TEXT, [select] TEXT NOT NULL, extra TEXT); INSERT INTO t "
                         "VALUES (1, 2.5, 'c', 'z', 'e');\"",
                         dir, NULL) == 0);
    struct run_result r = create_run(dir, "it_create_union");
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    char path[512], msg[1024];
    snprintf(path, sizeof path, "%s/p1.db.migrated", dir);
    cr_assert_eq(compare_project(my, path, "project_id", "p1", NULL, msg, sizeof msg), 3, "%s",
                 msg);
    snprintf(path, sizeof path, "%s/p2.db.migrated", dir);
    cr_assert_eq(compare_project(my, path, "project_id", "p2", NULL, msg, sizeof msg), 1, "%s",
                 msg);
    cr_assert(mysql_query(my, "SELECT DATA_TYPE, IS_NULLABLE FROM information_schema.COLUMNS "
                              "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND "
                              "COLUMN_NAME IN ('n', 'extra') ORDER BY COLUMN_NAME") == 0);
    MYSQL_RES *res = mysql_store_result(my);
    MYSQL_ROW row = mysql_fetch_row(res);
    cr_assert(row && strcmp(row[1], "YES") == 0, "extra must be nullable");
    row = mysql_fetch_row(res);
    cr_assert(row && strcmp(row[0], "double") == 0, "INTEGER u REAL must be DOUBLE, got %s",
              row ? row[0] : "none");
    mysql_free_result(res);

    /* a conflict: the same column a BLOB in one file, an INTEGER in another */
    MYSQL *my2 = harness_db("it_create_conflict");
    const char *dir2 = harness_tmpdir();
    cr_assert(
        harness_sh("sqlite3 \"$1/a.db\" \"CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)\" && "
                   "sqlite3 \"$1/b.db\" \"CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)\"",
                   dir2, NULL) == 0);
    const char *args2[] = {"migrate",
                           "--schema",
                           "create",
                           "--source",
                           dir2,
                           "--target",
                           harness_url("it_create_conflict"),
                           NULL};
    r = harness_run(args2);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "table t column v: declared BLOB in") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "a.db") != NULL && strstr(r.err, "b.db") != NULL, "%s", r.err);
    cr_assert_eq(harness_number(my2, "SELECT COUNT(*) FROM information_schema.TABLES WHERE "
                                     "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't'"),
                 0, "nothing may be created when files conflict");
    harness_result_free(&r);
    mysql_close(my2);
    mysql_close(my);
}

/* The foreign keys of the test database, and every row of the projects
 * p1..pN (their backups in dir) compared back: each must compare `rows`. */
static void check_fk_run(MYSQL *my, const char *dir, int projects, long rows, const char *fks)
{
    cr_assert(mysql_query(my, "SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS "
                              "WHERE CONSTRAINT_SCHEMA = DATABASE()") == 0);
    MYSQL_RES *res = mysql_store_result(my);
    MYSQL_ROW row = mysql_fetch_row(res);
    cr_assert_str_eq(row[0], fks, "foreign keys in the target");
    mysql_free_result(res);
    for (int p = 1; p <= projects; p++) {
        char path[512], msg[1024], id[8];
        snprintf(path, sizeof path, "%s/p%d.db.migrated", dir, p);
        snprintf(id, sizeof id, "p%d", p);
        cr_assert_eq(compare_project(my, path, "project_id", id, NULL, msg, sizeof msg), rows, "%s",
                     msg);
    }
}

Test(schema, foreign_keys_become_composite_per_project)
{
    MYSQL *my = harness_db("it_create_fk");
    const char *dir = harness_tmpdir();
    for (int p = 1; p <= 2; p++)
        cr_assert(harness_sh("sqlite3 \"$1/$2\" \"CREATE TABLE parent(id INTEGER PRIMARY KEY, name "
                             "TEXT); CREATE TABLE child(id INTEGER PRIMARY KEY, parent_id INTEGER "
                             "REFERENCES parent(id), note TEXT); CREATE TABLE loose(id INTEGER "
                             "PRIMARY KEY, pname TEXT REFERENCES parent(name)); INSERT INTO parent "
                             "VALUES (1, 'a'), (2, 'b'); INSERT INTO child VALUES (10, 1, 'x'), "
                             "(11, 2, 'y'), (12, NULL, 'z'); INSERT INTO loose VALUES (1, 'a')\"",
                             dir, p == 1 ? "p1.db" : "p2.db", NULL) == 0);
    const char *print[] = {"schema", "--foreign-keys", "--source", dir, NULL};
    struct run_result r = harness_run(print);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "CONSTRAINT `fk_child_parent_id` FOREIGN KEY (`project_id`, "
                            "`parent_id`) REFERENCES `parent` (`project_id`, `id`)") != NULL,
              "%s", r.out);
    cr_assert(strstr(r.out, "the foreign key (pname) -> parent is left out") != NULL, "%s", r.out);
    harness_result_free(&r);
    const char *args[] = {"migrate",  "--schema", "create",   "--foreign-keys",
                          "--source", dir,        "--target", harness_url("it_create_fk"),
                          NULL};
    r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    check_fk_run(my, dir, 2, 6, "1");
    mysql_close(my);
}

Test(schema, foreign_keys_sqlite_did_not_enforce_are_left_out_and_said)
{
    MYSQL *my = harness_db("it_create_orphans");
    const char *dir = harness_tmpdir();
    /* p2's child rows 11 and 13 name parents that p2 does not have (SQLite
     * enforces foreign keys only with PRAGMA foreign_keys=ON) */
    for (int p = 1; p <= 2; p++)
        cr_assert(harness_sh("sqlite3 \"$1/$2\" \"CREATE TABLE parent(id INTEGER PRIMARY KEY); "
                             "CREATE TABLE child(id INTEGER PRIMARY KEY, parent_id INTEGER "
                             "REFERENCES parent(id)); INSERT INTO parent VALUES (1); INSERT INTO "
                             "child VALUES (10, 1), (11, $3), (12, NULL), (13, $4)\"",
                             dir, p == 1 ? "p1.db" : "p2.db", p == 1 ? "1" : "7",
                             p == 1 ? "1" : "8", NULL) == 0);
    const char *args[] = {"migrate",  "--schema", "create",   "--foreign-keys",
                          "--source", dir,        "--target", harness_url("it_create_orphans"),
                          NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "litelift: WARNING: table child: the foreign key (parent_id) -> parent "
                            "is left out: 2 row(s) in 1 file(s) have no parent row of the same "
                            "value and type (the first: ") != NULL,
              "%s", r.err);
    cr_assert(strstr(r.err, "/p2.db); SQLite enforces foreign keys only when asked") != NULL, "%s",
              r.err);
    harness_result_free(&r);
    check_fk_run(my, dir, 2, 5, "0"); /* no key the data breaks */
    mysql_close(my);
}

Test(schema, date_columns_holding_other_units_are_converted_and_said)
{
    MYSQL *my = harness_db("it_create_units");
    const char *dir = harness_tmpdir();
    cr_assert(harness_sh("sqlite3 \"$1/u.db\" \"CREATE TABLE ev(id INTEGER PRIMARY KEY, at_ms "
                         "DATETIME, day DATE, n DATETIME); INSERT INTO ev VALUES (1, "
                         "1700000000123, 2460262.5, 5), (2, 1600000000000, 2451544.5, 6)\"",
                         dir, NULL) == 0);
    struct run_result r = schema_run(dir);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "`at_ms` DATETIME(6) COMMENT 'its numbers are read as epoch-ms'") !=
                  NULL,
              "%s", r.out);
    cr_assert(strstr(r.out, "`day` DATETIME(6) COMMENT 'its numbers are read as julian-day'") !=
                  NULL,
              "%s", r.out);
    cr_assert(strstr(r.out, "`n` BIGINT COMMENT") != NULL, "%s", r.out);
    harness_result_free(&r);
    r = create_run(dir, "it_create_units");
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "column at_ms: numbers read as epoch-ms (--schema create)") != NULL,
              "%s", r.out);
    harness_result_free(&r);
    cr_assert(mysql_query(my, "SELECT CONCAT_WS('|', id, at_ms, day, n) FROM ev ORDER BY id") == 0);
    MYSQL_RES *res = mysql_store_result(my);
    static const char *const want[] = {"1|2023-11-14 22:13:20.123000|2023-11-14 00:00:00.000000|5",
                                       "2|2020-09-13 12:26:40.000000|2000-01-01 00:00:00.000000|6"};
    for (int i = 0; i < 2; i++) {
        MYSQL_ROW row = mysql_fetch_row(res);
        cr_assert(row != NULL && strcmp(row[0], want[i]) == 0, "row %d: %s", i,
                  row ? row[0] : "missing");
    }
    mysql_free_result(res);
    mysql_close(my);
}

Test(schema, an_existing_table_that_differs_is_refused)
{
    MYSQL *my = harness_db("it_create_differs");
    harness_exec(my, "CREATE TABLE t (project_id VARCHAR(64) NOT NULL, id BIGINT NOT NULL, "
                     "v DATETIME, PRIMARY KEY (project_id, id))");
    const char *dir = harness_tmpdir();
    /* `a` is missing from the target and comes first: it must not be created
     * either when `t` is refused */
    cr_assert(harness_sh(
                  "sqlite3 \"$1/p.db\" \"CREATE TABLE a(id INTEGER PRIMARY KEY); CREATE TABLE t(id "
                  "INTEGER PRIMARY KEY, v TEXT, w INTEGER); INSERT INTO t VALUES (1, 'x', 2)\"",
                  dir, NULL) == 0);
    /* `litelift schema --target` prints what would be created there, and
     * refuses the same way */
    const char *print[] = {"schema", "--source", dir, "--target", harness_url("it_create_differs"),
                           NULL};
    struct run_result r = harness_run(print);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "CREATE TABLE `a` (") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "CREATE TABLE `t`") == NULL, "%s", r.out);
    cr_assert(strstr(r.out, "-- table `t` is in the target already: kept as it is") != NULL, "%s",
              r.out);
    cr_assert(strstr(r.err, "table t column `v` is datetime in the target, but --schema create "
                            "would make it TEXT") != NULL,
              "%s", r.err);
    harness_result_free(&r);
    /* the dry-run refuses it the same way */
    const char *dry[] = {"migrate",  "--dry-run", "--schema", "create",
                         "--source", dir,         "--target", harness_url("it_create_differs"),
                         NULL};
    r = harness_run(dry);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "table t column `v` is datetime in the target, but --schema create "
                            "would make it TEXT") != NULL,
              "%s", r.err);
    harness_result_free(&r);
    r = create_run(dir, "it_create_differs");
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "table t column `v` is datetime in the target, but --schema create "
                            "would make it TEXT") != NULL,
              "%s", r.err);
    cr_assert(strstr(r.err, "table t exists in the target without column `w` (BIGINT)") != NULL,
              "%s", r.err);
    cr_assert_eq(compare_count(my, "t", "project_id", "p"), 0);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM information_schema.TABLES WHERE "
                                    "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'a'"),
                 0, "a table was created before the refusal");
    harness_result_free(&r);
    mysql_close(my);
}

Test(schema, names_in_two_cases_and_null_keys_dry_run_then_run)
{
    MYSQL *my = harness_db("it_create_cases");
    const char *dir = harness_tmpdir();
    /* one table spelled Users and users; a rowid table whose declared key
     * holds NULLs (its rows tie on the key: verify orders them by rowid) */
    for (int p = 1; p <= 2; p++)
        cr_assert(
            harness_sh("sqlite3 \"$1/p$2.db\" \"CREATE TABLE $3(id INTEGER PRIMARY KEY, n TEXT); "
                       "INSERT INTO $3 VALUES (1, 'a'), (2, 'b'); CREATE TABLE u(a TEXT, b "
                       "INTEGER, v TEXT, PRIMARY KEY (a, b)); INSERT INTO u VALUES (NULL, NULL, "
                       "'x$2'), (NULL, NULL, 'y'), ('k', 1, 'z'), (NULL, 2, 'w')\"",
                       dir, p == 1 ? "1" : "2", p == 1 ? "Users" : "users", NULL) == 0);
    const char *dry[] = {"migrate",  "--dry-run", "--schema", "create",
                         "--source", dir,         "--target", harness_url("it_create_cases"),
                         NULL};
    struct run_result r = harness_run(dry);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "2 project(s), 0 failed, 0 row(s) rejected") != NULL, "%s", r.out);
    harness_result_free(&r);
    const char *args[] = {"migrate",  "--schema", "create",
                          "--verify", "checksum", "--source",
                          dir,        "--target", harness_url("it_create_cases"),
                          NULL};
    r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    check_fk_run(my, dir, 2, 6, "0"); /* every row compared; no foreign keys here */
    /* verify reads the backups by their original names */
    const char *check[] = {
        "verify", "--checksum", "--source", dir, "--target", harness_url("it_create_cases"), NULL};
    r = harness_run(check);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "2 project(s), 0 failed, 0 row(s) rejected") != NULL, "%s", r.out);
    harness_result_free(&r);
    mysql_close(my);
}

Test(schema, the_mapping_file_shapes_the_design)
{
    MYSQL *my = harness_db("it_create_mapping");
    const char *dir = harness_tmpdir();
    char ini[300];
    cr_assert(
        harness_sh("sqlite3 \"$1/acme.db\" \"CREATE TABLE tasks(id INTEGER PRIMARY KEY, project_id "
                   "INTEGER, title TEXT, at_ms INTEGER, legacy TEXT); INSERT INTO tasks VALUES (1, "
                   "7, '\xc3\xa9', 1700000000123, 'x'), (2, NULL, 'b', NULL, 'y')\"",
                   dir, NULL) == 0);
    /* a source column named like the project column: refused, nothing made */
    const char *plain[] = {"migrate",
                           "--schema",
                           "create",
                           "--source",
                           dir,
                           "--target",
                           harness_url("it_create_mapping"),
                           NULL};
    struct run_result r = harness_run(plain);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "table tasks: its column project_id has the name of the project "
                            "column; rename it in the mapping file ([tasks] project_id.rename = "
                            "NEW_NAME) or choose another --project-column") != NULL,
              "%s", r.err);
    harness_result_free(&r);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM information_schema.TABLES WHERE "
                                    "TABLE_SCHEMA = DATABASE()"),
                 0);
    /* the mapping renames, skips and converts; the design follows it */
    snprintf(ini, sizeof ini, "%s.ini", dir);
    cr_assert(
        harness_sh(
            "printf '[tasks]\\nrename = todo\\nproject_id.rename = old_project\\ntitle.rename = "
            "heading\\nlegacy.skip = yes\\nat_ms.convert = epoch-ms\\n' > \"$1\"",
            ini, NULL) == 0);
    const char *args[] = {"migrate",   "--schema", "create",
                          "--mapping", ini,        "--source",
                          dir,         "--target", harness_url("it_create_mapping"),
                          NULL};
    r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "created table todo") != NULL, "%s", r.err);
    harness_result_free(&r);
    cr_assert(mysql_query(my, "SELECT CONCAT_WS('|', project_id, id, IFNULL(old_project, 'NULL'), "
                              "heading, IFNULL(at_ms, 'NULL')) FROM todo ORDER BY id") == 0,
              "%s", mysql_error(my));
    MYSQL_RES *res = mysql_store_result(my);
    static const char *const want[] = {"acme|1|7|é|2023-11-14 22:13:20.123000",
                                       "acme|2|NULL|b|NULL"};
    for (size_t i = 0; i < 2; i++) {
        MYSQL_ROW row = mysql_fetch_row(res);
        cr_assert(row != NULL && row[0] != NULL);
        cr_expect_str_eq(row[0], want[i]);
    }
    cr_assert(mysql_fetch_row(res) == NULL);
    mysql_free_result(res);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE "
                                    "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'todo' AND "
                                    "COLUMN_NAME = 'legacy'"),
                 0);
    /* with a table of the target's own, the same clash names the same way out */
    harness_exec(my, "CREATE TABLE tasks (project_id VARCHAR(64) NOT NULL, id BIGINT NOT NULL, "
                     "title TEXT, PRIMARY KEY (project_id, id))");
    char again[96];
    snprintf(again, sizeof again, "%s/again", dir);
    cr_assert(harness_sh("mkdir \"$1\" && cp \"$2/acme.db.migrated\" \"$1/acme.db\"", again, dir,
                         NULL) == 0);
    const char *existing[] = {
        "migrate", "--source", again, "--target", harness_url("it_create_mapping"), NULL};
    r = harness_run(existing);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "source column project_id collides with the project column (rename "
                            "it in the mapping file: [tasks] project_id.rename = NEW_NAME, or "
                            "choose another --project-column)") != NULL,
              "%s", r.err);
    harness_result_free(&r);
    mysql_close(my);
}

Test(schema, generated_columns_arrive_as_their_values)
{
    MYSQL *my = harness_db("it_create_generated");
    const char *dir = harness_tmpdir();
    cr_assert(harness_sh("sqlite3 \"$1/g.db\" \"CREATE TABLE t(id INTEGER PRIMARY KEY, a INT, b "
                         "INT GENERATED ALWAYS AS (a * 2) STORED, c TEXT GENERATED ALWAYS AS ('x' "
                         "|| a) VIRTUAL); INSERT INTO t(id, a) VALUES (1, 5), (2, NULL), (3, -7)\"",
                         dir, NULL) == 0);
    struct run_result r = schema_run(dir);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "  `b` INT COMMENT 'generated in SQLite: holds the values SQLite "
                            "computed'") != NULL,
              "%s", r.out);
    harness_result_free(&r);
    const char *args[] = {"migrate",  "--schema", "create",
                          "--verify", "checksum", "--source",
                          dir,        "--target", harness_url("it_create_generated"),
                          NULL};
    r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    char path[512], msg[1024];
    snprintf(path, sizeof path, "%s/g.db.migrated", dir);
    cr_assert_eq(compare_project(my, path, "project_id", "g", NULL, msg, sizeof msg), 3, "%s", msg);
    cr_assert_eq(harness_number(my, "SELECT b FROM t WHERE id = 3"), -14);
    /* a target that computes the column itself gets the other columns */
    MYSQL *my2 = harness_db("it_generated_target");
    harness_exec(my2, "CREATE TABLE t (project_id VARCHAR(64) NOT NULL, id BIGINT NOT NULL, a "
                      "BIGINT, b BIGINT AS (a * 2) STORED, c TEXT, PRIMARY KEY (project_id, id))");
    char again[96];
    snprintf(again, sizeof again, "%s/again", dir);
    cr_assert(harness_sh("mkdir \"$1\" && cp \"$2\" \"$1/g.db\"", again, path, NULL) == 0);
    const char *existing[] = {
        "migrate", "--source", again, "--target", harness_url("it_generated_target"), NULL};
    r = harness_run(existing);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    cr_assert_eq(harness_number(my2, "SELECT b FROM t WHERE id = 3"), -14);
    mysql_close(my2);
    mysql_close(my);
}

Test(schema, a_table_named_like_the_progress_table_is_refused)
{
    MYSQL *my = harness_db("it_create_reserved");
    const char *dir = harness_tmpdir();
    cr_assert(harness_sh("sqlite3 \"$1/p.db\" \"CREATE TABLE litelift_progress_rejects(id INTEGER "
                         "PRIMARY KEY); INSERT INTO litelift_progress_rejects VALUES (1)\"",
                         dir, NULL) == 0);
    struct run_result r = create_run(dir, "it_create_reserved");
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err,
                     "table litelift_progress_rejects: litelift keeps its progress there "
                     "(see --progress-table; or rename the table in the mapping file)") != NULL,
              "%s", r.err);
    harness_result_free(&r);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM information_schema.TABLES WHERE "
                                    "TABLE_SCHEMA = DATABASE()"),
                 0);
    mysql_close(my);
}

Test(schema, a_rerun_builds_the_indexes_an_interrupted_run_left)
{
    MYSQL *my = harness_db("it_create_rerun_idx");
    const char *dir = harness_tmpdir();
    cr_assert(harness_sh("sqlite3 \"$1/p.db\" \"CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); "
                         "CREATE INDEX t_v ON t(v); INSERT INTO t VALUES (1, 'a'), (2, 'b')\"",
                         dir, NULL) == 0);
    const char *args[] = {"migrate",  "--schema", "create",   "--no-backup-rename",
                          "--source", dir,        "--target", harness_url("it_create_rerun_idx"),
                          NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    const char *count = "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = "
                        "DATABASE() AND TABLE_NAME = 't' AND INDEX_NAME = 't_v'";
    cr_assert_eq(harness_number(my, count), 2); /* (project_id, v) */
    /* as if the run had been killed after the data, before the indexes */
    harness_exec(my, "ALTER TABLE t DROP KEY t_v");
    r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "litelift: built index t_v of table t after the data") != NULL, "%s",
              r.err);
    harness_result_free(&r);
    cr_assert_eq(harness_number(my, count), 2);
    /* a table of the user's own gets no index it did not ask for */
    harness_exec(my, "ALTER TABLE t DROP KEY t_v, COMMENT = 'mine'");
    r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    cr_assert_eq(harness_number(my, count), 0);
    mysql_close(my);
}

/* The summary lines that end in a number (tables and TOTAL), that number (the
 * seconds) cut off, one per line. */
static void counted_lines(const char *out, char *lines, size_t size)
{
    size_t n = 0;
    lines[0] = '\0';
    for (const char *p = out; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        const char *sp = memrchr(p, ' ', len);
        char *end;
        if (sp != NULL && (strtod(sp + 1, &end), end == p + len) && end > sp + 1 && n < size)
            n += (size_t)snprintf(lines + n, size - n, "%.*s\n", (int)(sp - p), p);
        p += len + (e != NULL);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The "litelift: reject:" lines of a run's stderr, sorted (workers interleave
 * projects), one per line; returns how many. */
static size_t reject_lines(const char *err, char *lines, size_t size)
{
    char *copy = strdup(err), *v[512], *save = NULL;
    size_t n = 0, len = 0;
    for (char *l = strtok_r(copy, "\n", &save); l != NULL && n < 512;
         l = strtok_r(NULL, "\n", &save))
        if (strncmp(l, "litelift: reject:", 17) == 0)
            v[n++] = l;
    qsort(v, n, sizeof *v, cmp_str);
    lines[0] = '\0';
    for (size_t k = 0; k < n && len < size; k++)
        len += (size_t)snprintf(lines + len, size - len, "%s\n", v[k]);
    free(copy);
    return n;
}

Test(schema, dry_run_of_create_predicts_the_run_and_writes_nothing)
{
    const char *fx = harness_fixtures();
    MYSQL *my = harness_db("it_dry_create");
    char src[256], rej_dry[300], rej_real[300];
    snprintf(src, sizeof src, "%s/apna", fx);
    snprintf(rej_dry, sizeof rej_dry, "%s/rejects-dry", fx);
    snprintf(rej_real, sizeof rej_real, "%s/rejects-real", fx);
    const char *dry[] = {
        "migrate", "--dry-run", "--schema", "create",   "--source",
        src,       "--rejects", rej_dry,    "--target", harness_url("it_dry_create"),
        NULL};
    struct run_result d = harness_run(dry);
    cr_assert_eq(d.status, 1, "%s\n%s", d.out, d.err); /* rejects and broken files */
    cr_assert(strstr(d.err, "litelift: would create table backups ") != NULL, "%s", d.err);
    cr_assert(strstr(d.err, "litelift: would build index backups_name_id of table backups after "
                            "the data") != NULL,
              "%s", d.err);
    cr_assert(strstr(d.out, "(dry run: nothing was written)") != NULL, "%s", d.out);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM information_schema.TABLES WHERE "
                                    "TABLE_SCHEMA = DATABASE()"),
                 0, "the dry-run created tables");
    /* the only files it wrote: the reject files it predicts, named as a dry-run's */
    char *other = harness_sh_out("find \"$1\" -type f ! -name '*.rejects.dry-run.tsv' ! -name "
                                 "'*.rejects.dry-run.log'",
                                 rej_dry, NULL);
    cr_assert_str_eq(other, "", "the dry-run wrote other files");
    free(other);

    const char *real[] = {"migrate",  "--schema", "create",
                          "--source", src,        "--rejects",
                          rej_real,   "--target", harness_url("it_dry_create"),
                          NULL};
    struct run_result r = harness_run(real);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    /* read, (would-)load and rejected agree on every table line and the total */
    static char want[65536], got[65536];
    counted_lines(d.out, want, sizeof want);
    counted_lines(r.out, got, sizeof got);
    cr_assert(strstr(want, "backups") != NULL && strstr(want, "TOTAL") != NULL, "%s", d.out);
    cr_assert_str_eq(got, want, "dry-run said:\n%s\nthe run did:\n%s", d.out, r.out);
    /* the same rows rejected, for the same reasons */
    size_t nd = reject_lines(d.err, want, sizeof want);
    size_t nr = reject_lines(r.err, got, sizeof got);
    /* the five rows whose text is not UTF-8: the designed types take the
     * values a hand-made target refuses (fixtures/expected_rejects.tsv) */
    cr_assert_eq(nd, 5, "%s", d.err);
    cr_assert_eq(strstr(want, "text is not valid UTF-8") != NULL, true);
    cr_assert_eq(nr, nd);
    cr_assert_str_eq(got, want);
    cr_assert(harness_sh("test -s \"$1/bad/backups.rejects.tsv\"", rej_real, NULL) == 0);
    /* the dry-run's reject files predicted the run's, byte for byte */
    cr_assert(harness_sh("cd \"$1\" && for f in */*.rejects.dry-run.*; do cmp \"$f\" "
                         "\"$2/${f%.dry-run.*}.${f##*.}\" || exit 1; done",
                         rej_dry, rej_real, NULL) == 0);
    harness_result_free(&d);
    harness_result_free(&r);
    mysql_close(my);
}
