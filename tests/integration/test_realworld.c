/* Acceptance of schema creation on real-world databases nobody on the team
 * wrote. Above all PROJ's proj.db (Debian package proj-data, the EPSG registry as
 * SQLite), copied as three project files and migrated with `--schema create
 * --foreign-keys`. It has 36 tables (WITHOUT ROWID ones, composite keys, a
 * rowid table whose declared key holds only NULLs), an unknown type name
 * (INTEGER_OR_TEXT) holding integers and text in one column, FLOAT, BOOLEAN,
 * SMALLINT, reserved words as names (`usage`, `key`), 50 composite foreign
 * keys, comments inside CREATE TABLE, views, triggers and non-ASCII text.
 * Every value of every row is compared back, and every foreign key is
 * checked for rows whose parent did not arrive. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "harness.h"

#define PROJ_DB "/usr/share/proj/proj.db"

static const char *const projects[] = {"alpha", "beta", "Zürich"};

/* Rows in all tables of the SQLite file at path (sqlite_* tables aside). */
static long source_rows(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *tables, *count;
    long n = 0;
    cr_assert(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    cr_assert(sqlite3_prepare_v2(db,
                                 "SELECT name FROM sqlite_master WHERE type = 'table' AND name "
                                 "NOT LIKE 'sqlite_%'",
                                 -1, &tables, NULL) == SQLITE_OK);
    while (sqlite3_step(tables) == SQLITE_ROW) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", sqlite3_column_text(tables, 0));
        cr_assert(sqlite3_prepare_v2(db, sql, -1, &count, NULL) == SQLITE_OK);
        cr_assert(sqlite3_step(count) == SQLITE_ROW);
        n += sqlite3_column_int64(count, 0);
        sqlite3_finalize(count);
    }
    sqlite3_finalize(tables);
    sqlite3_close(db);
    return n;
}

/* Number of foreign keys declared in the SQLite file at path. */
static long source_foreign_keys(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    cr_assert(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    cr_assert(sqlite3_prepare_v2(db,
                                 "SELECT count(DISTINCT m.name || '.' || f.id) FROM sqlite_master "
                                 "m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'",
                                 -1, &st, NULL) == SQLITE_OK);
    cr_assert(sqlite3_step(st) == SQLITE_ROW);
    long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* Copies the SQLite file src into a new temp dir, returned, as one project
 * file per id. */
static const char *copy_projects(const char *src, const char *const *ids, size_t n)
{
    const char *dir = harness_tmpdir();
    for (size_t p = 0; p < n; p++)
        cr_assert(harness_sh("cp \"$1\" \"$2/$3.db\"", src, dir, ids[p], NULL) == 0);
    return dir;
}

/* Runs `migrate --schema create --foreign-keys --verify checksum` from dir
 * into database db: every project loads with no reject, and each compares
 * back value by value, all `rows` rows of it. */
static void migrate_and_compare(MYSQL *my, const char *db, const char *dir, const char *const *ids,
                                size_t n, long rows)
{
    const char *args[] = {"migrate",  "--schema",      "create",   "--foreign-keys",
                          "--verify", "checksum",      "--source", dir,
                          "--target", harness_url(db), NULL};
    struct run_result r = harness_run(args);
    char want[64];
    snprintf(want, sizeof want, "%zu project(s), 0 failed, 0 row(s) rejected", n);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, want) != NULL, "%s", r.out);
    harness_result_free(&r);
    for (size_t p = 0; p < n; p++) {
        char path[512], msg[2048];
        snprintf(path, sizeof path, "%s/%s.db.migrated", dir, ids[p]);
        long got = compare_project(my, path, "project_id", ids[p], NULL, msg, sizeof msg);
        cr_assert_eq(got, rows, "project %s: %s (%ld of %ld rows)", ids[p], msg, got, rows);
    }
}

Test(realworld, proj_db_as_three_projects_with_schema_create, .timeout = 600)
{
    cr_assert(access(PROJ_DB, R_OK) == 0,
              PROJ_DB " is missing: install Debian's proj-data (scripts/deps.sh does)");
    MYSQL *my = harness_db("it_proj");
    const char *dir = copy_projects(PROJ_DB, projects, 3);
    long rows = source_rows(PROJ_DB), fks = source_foreign_keys(PROJ_DB);
    cr_assert(rows > 50000, "proj.db holds %ld rows", rows);
    cr_assert(fks > 20, "proj.db declares %ld foreign keys", fks);

    /* the design, printed */
    const char *print[] = {"schema", "--source", dir, "--foreign-keys", NULL};
    struct run_result r = harness_run(print);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    static const char *const expect[] = {
        /* a WITHOUT ROWID table keyed (project, auth_name, code) */
        "CREATE TABLE `unit_of_measure` (",
        "PRIMARY KEY (`project_id`, `auth_name`, `code`)",
        /* `key` is reserved in MySQL */
        "  `key` VARCHAR(",
        /* the declared key of `usage` holds NULLs: the rowid keys it */
        "CREATE TABLE `usage` (\n  `project_id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE "
        "utf8mb4_bin NOT NULL,\n  `litelift_rowid` BIGINT NOT NULL",
        "UNIQUE KEY `usage_auth_name_code` (`project_id`, `auth_name`, `code`)",
        /* INTEGER_OR_TEXT holding both: text, sized for a key */
        "  `code` VARCHAR(",
        /* one type on both sides of a foreign key */
        "CONSTRAINT `fk_axis_uom_auth_name_uom_code` FOREIGN KEY (`project_id`, "
        "`uom_auth_name`, `uom_code`) REFERENCES `unit_of_measure` (`project_id`, "
        "`auth_name`, `code`)",
        "`deprecated` TINYINT(1) NOT NULL",
        "`semi_major_axis` DOUBLE NOT NULL",
    };
    for (size_t k = 0; k < sizeof expect / sizeof *expect; k++)
        cr_assert(strstr(r.out, expect[k]) != NULL, "DDL lacks \"%s\":\n%s", expect[k], r.out);
    cr_assert(strstr(r.out, "is left out") == NULL, "a foreign key was left out:\n%s", r.out);
    cr_assert(strstr(r.out, "  `uom_code` BIGINT") == NULL, "%s", r.out);
    harness_result_free(&r);

    /* the migration; every value of every row of every table, in each project */
    migrate_and_compare(my, "it_proj", dir, projects, 3, rows);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM `usage` WHERE project_id = 'Zürich'"),
                 harness_number(my, "SELECT COUNT(*) FROM `usage` WHERE project_id = 'alpha'"));

    /* every foreign key was made, and every child row finds its parent */
    cr_assert_eq(harness_number(my,
                                "SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS "
                                "WHERE CONSTRAINT_SCHEMA = DATABASE()"),
                 fks);
    cr_assert(mysql_query(my, "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.REFERENCED_TABLE_NAME, "
                              "GROUP_CONCAT(CONCAT('c.`', k.COLUMN_NAME, '` = p.`', "
                              "k.REFERENCED_COLUMN_NAME, '`') ORDER BY k.ORDINAL_POSITION "
                              "SEPARATOR ' AND '), GROUP_CONCAT(CONCAT('c.`', k.COLUMN_NAME, "
                              "'` IS NOT NULL') SEPARATOR ' AND ') FROM "
                              "information_schema.KEY_COLUMN_USAGE k WHERE k.TABLE_SCHEMA = "
                              "DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL GROUP BY "
                              "k.TABLE_NAME, k.CONSTRAINT_NAME, k.REFERENCED_TABLE_NAME") == 0,
              "%s", mysql_error(my));
    MYSQL_RES *res = mysql_store_result(my);
    MYSQL_ROW row;
    long checked = 0;
    char(*orphans)[2048] = calloc((size_t)fks + 1, sizeof *orphans);
    while ((row = mysql_fetch_row(res)) != NULL && checked <= fks)
        snprintf(orphans[checked++], sizeof *orphans,
                 "SELECT COUNT(*) FROM `%s` c LEFT JOIN `%s` p ON %s WHERE %s AND p.project_id "
                 "IS NULL",
                 row[0], row[2], row[3], row[4]);
    mysql_free_result(res);
    cr_assert_eq(checked, fks);
    for (long k = 0; k < checked; k++)
        cr_assert_eq(harness_number(my, orphans[k]), 0, "rows without a parent: %s", orphans[k]);
    free(orphans);
    mysql_close(my);
}

/* More SQLite files from Debian packages that nobody on the team wrote:
 * monajat's 19,207 cities with Arabic names and float coordinates and its
 * Arabic texts in a table without a key; birdfont's Unicode character
 * database (248,096 rows, a table without a key) and code pages. */
Test(realworld, debian_sample_databases_with_schema_create, .timeout = 600)
{
    static const struct {
        const char *package, *path, *db;
    } samples[] = {
        {"monajat-data", "/usr/share/monajat/cities.db", "it_rw_cities"},
        {"monajat-data", "/usr/share/monajat/data.db", "it_rw_monajat"},
        {"birdfont-common", "/usr/share/birdfont/ucd.sqlite", "it_rw_ucd"},
        {"birdfont-common", "/usr/share/birdfont/codepages.sqlite", "it_rw_codepages"},
    };
    static const char *const ids[] = {"first", "zweite Ä"};
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        cr_assert(access(samples[i].path, R_OK) == 0,
                  "%s is missing: install Debian's %s (scripts/deps.sh does)", samples[i].path,
                  samples[i].package);
        MYSQL *my = harness_db(samples[i].db);
        const char *dir = copy_projects(samples[i].path, ids, 2);
        long rows = source_rows(samples[i].path);
        cr_assert(rows > 0, "%s holds no rows", samples[i].path);
        migrate_and_compare(my, samples[i].db, dir, ids, 2, rows);
        cr_assert(harness_sh("rm -r \"$1\"", dir, NULL) == 0);
        mysql_close(my);
    }
}

static int cmp_reversed(void *ctx, int na, const void *a, int nb, const void *b)
{
    (void)ctx;
    int c = memcmp(a, b, (size_t)(na < nb ? na : nb));
    return c != 0 ? -c : nb - na;
}

/* Android apps write their SQLite files with the collation LOCALIZED, which
 * only Android registers (here: one that orders backwards). Such a file is
 * checked, designed, loaded in batches and compared back without it. */
Test(realworld, android_database_with_an_application_collation)
{
    MYSQL *my = harness_db("it_android");
    const char *dir = harness_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/phone.db", dir);
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_create_collation(db, "LOCALIZED", SQLITE_UTF8, NULL, cmp_reversed),
                 SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db,
                              "CREATE TABLE android_metadata (locale TEXT);"
                              "INSERT INTO android_metadata VALUES ('de_DE');"
                              "CREATE TABLE notes (_id INTEGER PRIMARY KEY AUTOINCREMENT, title "
                              "TEXT COLLATE LOCALIZED, created INTEGER);"
                              "CREATE INDEX notes_title ON notes (title);"
                              "CREATE TABLE tags (name TEXT COLLATE LOCALIZED PRIMARY KEY, n "
                              "INTEGER) WITHOUT ROWID;"
                              "WITH RECURSIVE i(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM i "
                              "WHERE x < 3000) INSERT INTO notes (title, created) SELECT "
                              "printf('Notiz %05d ä', (x * 7919) % 10007), 1600000000 + x FROM i;"
                              "WITH RECURSIVE i(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM i "
                              "WHERE x < 2000) INSERT INTO tags SELECT printf('tag%04d', x), x "
                              "FROM i;",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    sqlite3_close(db);
    const char *args[] = {"migrate",
                          "--schema",
                          "create",
                          "--batch-rows",
                          "700",
                          "--verify",
                          "checksum",
                          "--source",
                          dir,
                          "--target",
                          harness_url("it_android"),
                          NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "1 project(s), 0 failed, 0 row(s) rejected") != NULL, "%s", r.out);
    harness_result_free(&r);
    char msg[2048];
    snprintf(path, sizeof path, "%s/phone.db.migrated", dir);
    cr_assert_eq(compare_project(my, path, "project_id", "phone", NULL, msg, sizeof msg), 5001,
                 "%s", msg);
    mysql_close(my);
}
