/* Integration tests of least privilege: a user that holds exactly the GRANTs
 * README "Privileges" lists (progress tables in a schema of their own,
 * --progress-table SCHEMA.NAME) runs the whole dry-run / migrate / rerun /
 * verify / status / --restart-project cycle with every value compared back;
 * users that lack INSERT, CREATE for progress tables that do not exist yet,
 * the binlog privilege of --no-binlog or the DDL privileges of --schema
 * create are refused by the pre-flight, in the dry-run as in the real run,
 * with the privilege, the table and the GRANT named and nothing written;
 * grants through the default role count; --progress-table SCHEMA.NAME forms. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "harness.h"

/* The apna projects whose files load whole (the others are refused or
 * rejected on purpose elsewhere). */
static const char *const good[] = {"acme", "o'brien & sons", "Zürich 東京", "back\\slash \"q\"",
                                   "walproj"};

/* (Re)creates user 'name'@'localhost' (password "pw") with exactly the
 * GRANTs listed (NULL-terminated), each one "GRANT ... TO %s" with %s the
 * user. */
static void make_user(MYSQL *my, const char *name, const char *const *grants)
{
    char sql[1024];
    snprintf(sql, sizeof sql, "DROP USER IF EXISTS '%s'@'localhost'", name);
    harness_exec(my, sql);
    snprintf(sql, sizeof sql, "CREATE USER '%s'@'localhost' IDENTIFIED BY 'pw'", name);
    harness_exec(my, sql);
    char user[128];
    snprintf(user, sizeof user, "'%s'@'localhost'", name);
    for (size_t i = 0; grants[i] != NULL; i++) {
        snprintf(sql, sizeof sql, grants[i], user);
        harness_exec(my, sql);
    }
}

/* The URL of database db as user name (a static buffer per call parity). */
static const char *user_url(const char *name, const char *db)
{
    static char url[2][1024];
    static int which;
    which ^= 1;
    snprintf(url[which], sizeof url[which], "mysql://%s:pw@localhost/%s?socket=%s", name, db,
             harness_socket());
    return url[which];
}

/* A fresh application schema db with the apna target tables, an empty
 * schema lp for the progress tables, and the apna projects that load whole;
 * returns their directory. */
static const char *apna(MYSQL **my, const char *db, const char *lp)
{
    const char *fx = harness_fixtures();
    *my = harness_db(db);
    harness_apply(*my, "fixtures/apna_target.sql");
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS `%s`", lp);
    harness_exec(*my, sql);
    snprintf(sql, sizeof sql, "CREATE DATABASE `%s` CHARACTER SET utf8mb4", lp);
    harness_exec(*my, sql);
    static char src[256];
    snprintf(src, sizeof src, "%s/apna", fx);
    cr_assert(harness_sh("cd \"$1\" && rm -f bad.db corrupt.db badheader.db notsqlite.db empty.db",
                         src, NULL) == 0);
    return src;
}

/* Runs args; asserts the exit status and that err holds each of the
 * fragments (NULL-terminated). */
static void expect_run(const char *const *args, int status, const char *const *fragments)
{
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, status, "%s %s: status %d\n%s\n%s", args[0], args[1], r.status, r.out,
                 r.err);
    for (size_t i = 0; fragments != NULL && fragments[i] != NULL; i++)
        cr_assert(strstr(r.err, fragments[i]) != NULL, "no \"%s\" in:\n%s", fragments[i], r.err);
    harness_result_free(&r);
}

/* How many tables of schema db are named like pattern. */
static long long tables_like(MYSQL *my, const char *db, const char *pattern)
{
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '%s' AND "
             "TABLE_NAME LIKE '%s'",
             db, pattern);
    return harness_number(my, sql);
}

/* The rows of every apna target table in db. */
static long long apna_rows(MYSQL *my, const char *db)
{
    static const char *const tables[] = {"backups",  "backups_M", "restores",
                                         "restoreM", "node_jobs", "jobs_recordManager",
                                         "sessions", "audit_log"};
    long long n = 0;
    char sql[300];
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM `%s`.`%s`", db, tables[i]);
        n += harness_number(my, sql);
    }
    return n;
}

Test(privileges, documented_grants_run_the_whole_cycle, .timeout = 300)
{
    MYSQL *my;
    const char *src = apna(&my, "it_priv", "it_priv_lp");
    /* README "Privileges": migrate into existing tables, progress tables in
     * their own schema; DELETE on the application schema for
     * --restart-project; verify and status read */
    static const char *const grants[] = {
        "GRANT SELECT, INSERT ON `it\\_priv`.* TO %s",
        "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE ON `it\\_priv\\_lp`.* TO %s", NULL};
    make_user(my, "ll_priv", grants);
    const char *url = user_url("ll_priv", "it_priv");
    const char *pt = "it_priv_lp.litelift_progress";

    const char *dry[] = {"migrate", "--dry-run",        "--source", src, "--target",
                         url,       "--progress-table", pt,         NULL};
    expect_run(dry, 0, NULL);
    cr_assert_eq(tables_like(my, "it_priv_lp", "litelift%"), 0, "the dry-run created a table");
    cr_assert_eq(apna_rows(my, "it_priv"), 0, "the dry-run loaded rows");

    const char *run[] = {"migrate", "--source", src, "--target", url, "--progress-table", pt, NULL};
    expect_run(run, 0, NULL);
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        harness_expect_project(my, src, good[i], -1);
    cr_assert_eq(tables_like(my, "it_priv", "litelift%"), 0,
                 "the application schema holds a progress table");
    cr_assert_eq(tables_like(my, "it_priv_lp", "litelift\\_progress"), 1);
    cr_assert_eq(tables_like(my, "it_priv_lp", "litelift\\_progress\\_rejects"), 1);
    cr_assert_eq(tables_like(my, "it_priv_lp", "litelift\\_progress\\_failures"), 1);
    cr_assert(harness_number(my, "SELECT COUNT(*) FROM it_priv_lp.litelift_progress WHERE "
                                 "table_name = '' AND state = 'renamed'") >= 5);

    /* a rerun finds every project done */
    struct run_result r = harness_run(run);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "0 project(s)") != NULL, "%s", r.out);
    harness_result_free(&r);

    const char *verify[] = {"verify", "--source",         src, "--target",
                            url,      "--progress-table", pt,  NULL};
    expect_run(verify, 0, NULL);
    const char *status[] = {"status", "--target", url, "--progress-table", pt, NULL};
    r = harness_run(status);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "acme ") != NULL && strstr(r.out, "walproj ") != NULL, "%s", r.out);
    harness_result_free(&r);

    /* --restart-project: refused without DELETE, then with it (as README
     * lists for that mode) the project is replaced */
    harness_sh("cd \"$1\" && mv acme.db.migrated acme.db", src, NULL);
    const char *restart[] = {
        "migrate", "--source",          src,    "--target", url, "--progress-table",
        pt,        "--restart-project", "acme", NULL};
    static const char *const no_delete[] = {
        "user 'll_priv'@'localhost' lacks DELETE on `it_priv`.`",
        "` (needed by --restart-project); GRANT DELETE ON `it\\_priv`.* TO "
        "'ll_priv'@'localhost'\n",
        NULL};
    expect_run(restart, 1, no_delete);
    harness_exec(my, "GRANT DELETE ON `it\\_priv`.* TO 'll_priv'@'localhost'");
    expect_run(restart, 0, NULL);
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        harness_expect_project(my, src, good[i], -1);
    expect_run(verify, 0, NULL);
    mysql_close(my);
}

Test(privileges, a_user_without_insert_is_refused_before_anything_moves, .timeout = 120)
{
    MYSQL *my;
    const char *src = apna(&my, "it_priv_ni", "it_priv_ni_lp");
    static const char *const grants[] = {
        "GRANT SELECT ON `it\\_priv\\_ni`.* TO %s",
        "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE ON `it\\_priv\\_ni\\_lp`.* TO %s", NULL};
    make_user(my, "ll_noins", grants);
    static const char *const why[] = {
        "litelift: the target's user lacks privileges this run needs (checked before anything "
        "is written):\n  user 'll_noins'@'localhost' lacks INSERT on `it_priv_ni`.`audit_log`, "
        "`it_priv_ni`.`backups`, `it_priv_ni`.`backups_M`, `it_priv_ni`.`jobs_recordManager`, "
        "`it_priv_ni`.`node_jobs`, `it_priv_ni`.`restoreM`, `it_priv_ni`.`restores`, "
        "`it_priv_ni`.`sessions` (needed to load rows); GRANT INSERT ON `it\\_priv\\_ni`.* TO "
        "'ll_noins'@'localhost'\n",
        NULL};
    for (int dry = 1; dry >= 0; dry--) {
        const char *args[] = {"migrate",
                              "--source",
                              src,
                              "--target",
                              user_url("ll_noins", "it_priv_ni"),
                              "--progress-table",
                              "it_priv_ni_lp.litelift_progress",
                              dry ? "--dry-run" : NULL,
                              NULL};
        expect_run(args, 1, why);
        cr_assert_eq(apna_rows(my, "it_priv_ni"), 0, "rows were loaded");
    }
    /* the files stay where they were */
    cr_assert(
        harness_sh("test -f \"$1/acme.db\" && ! test -e \"$1/acme.db.migrated\"", src, NULL) == 0);
    mysql_close(my);
}

Test(privileges, no_create_for_missing_progress_tables_is_refused, .timeout = 120)
{
    MYSQL *my;
    const char *src = apna(&my, "it_priv_nc", "it_priv_nc_lp");
    static const char *const grants[] = {
        "GRANT SELECT, INSERT ON `it\\_priv\\_nc`.* TO %s",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON `it\\_priv\\_nc\\_lp`.* TO %s", NULL};
    make_user(my, "ll_nocreate", grants);
    const char *pt = "it_priv_nc_lp.litelift_progress";
    static const char *const why[] = {
        "user 'll_nocreate'@'localhost' lacks CREATE on `it_priv_nc_lp`.`litelift_progress` "
        "(needed to keep the run's checkpoints); GRANT CREATE ON `it\\_priv\\_nc\\_lp`.* TO "
        "'ll_nocreate'@'localhost'",
        "lacks CREATE on `it_priv_nc_lp`.`litelift_progress_rejects`",
        "lacks CREATE on `it_priv_nc_lp`.`litelift_progress_failures`", NULL};
    const char *url = user_url("ll_nocreate", "it_priv_nc");
    for (int dry = 1; dry >= 0; dry--) {
        const char *args[] = {"migrate", "--source",         src, "--target",
                              url,       "--progress-table", pt,  dry ? "--dry-run" : NULL,
                              NULL};
        expect_run(args, 1, why);
        cr_assert_eq(apna_rows(my, "it_priv_nc"), 0, "rows were loaded");
        cr_assert_eq(tables_like(my, "it_priv_nc_lp", "%"), 0);
    }
    /* once an administrator's run made them (over a directory holding one
     * empty project file), CREATE is needed no more */
    const char *empty = harness_tmpdir();
    cr_assert(harness_sh("touch \"$1/seed.db\"", empty, NULL) == 0);
    const char *admin[] = {
        "migrate",          "--source", empty, "--target", harness_url("it_priv_nc"),
        "--progress-table", pt,         NULL};
    expect_run(admin, 0, NULL);
    cr_assert_eq(tables_like(my, "it_priv_nc_lp", "litelift%"), 3);
    const char *args[] = {"migrate", "--source",         src, "--target",
                          url,       "--progress-table", pt,  NULL};
    expect_run(args, 0, NULL);
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        harness_expect_project(my, src, good[i], -1);
    mysql_close(my);
}

Test(privileges, no_binlog_and_schema_create_without_their_privileges_are_refused, .timeout = 120)
{
    MYSQL *my;
    const char *src = apna(&my, "it_priv_nb", "it_priv_nb_lp");
    static const char *const grants[] = {
        "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE ON `it\\_priv\\_nb`.* TO %s", NULL};
    make_user(my, "ll_nobinlog", grants);
    const char *url = user_url("ll_nobinlog", "it_priv_nb");
    static const char *const why[] = {
        "user 'll_nobinlog'@'localhost' lacks BINLOG ADMIN on *.* (needed by --no-binlog to SET "
        "sql_log_bin = 0); GRANT BINLOG ADMIN ON *.* TO 'll_nobinlog'@'localhost'",
        NULL};
    for (int dry = 1; dry >= 0; dry--) {
        const char *args[] = {
            "migrate", "--source", src, "--target", url, "--no-binlog", dry ? "--dry-run" : NULL,
            NULL};
        expect_run(args, 1, why);
        cr_assert_eq(apna_rows(my, "it_priv_nb"), 0, "rows were loaded");
        cr_assert_eq(tables_like(my, "it_priv_nb", "litelift%"), 0);
    }
    /* --schema create into an empty schema: CREATE alone is not enough */
    MYSQL *empty = harness_db("it_priv_sc");
    harness_exec(empty, "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE ON `it\\_priv\\_sc`.* TO "
                        "'ll_nobinlog'@'localhost'");
    static const char *const ddl[] = {
        "user 'll_nobinlog'@'localhost' lacks ALTER on `it\\_priv\\_sc`.* (needed by --schema "
        "create to create the tables and their indexes); GRANT ALTER ON `it\\_priv\\_sc`.* TO "
        "'ll_nobinlog'@'localhost'",
        "lacks INDEX on `it\\_priv\\_sc`.*", NULL};
    for (int dry = 1; dry >= 0; dry--) {
        const char *args[] = {"migrate",
                              "--source",
                              src,
                              "--target",
                              user_url("ll_nobinlog", "it_priv_sc"),
                              "--schema",
                              "create",
                              dry ? "--dry-run" : NULL,
                              NULL};
        expect_run(args, 1, ddl);
        cr_assert_eq(tables_like(my, "it_priv_sc", "%"), 0, "a table was created");
    }
    mysql_close(empty);
    mysql_close(my);
}

Test(privileges, grants_through_the_default_role_count, .timeout = 120)
{
    MYSQL *my;
    const char *src = apna(&my, "it_priv_role", "it_priv_role_lp");
    harness_exec(my, "DROP ROLE IF EXISTS ll_loader");
    harness_exec(my, "CREATE ROLE ll_loader");
    harness_exec(my, "GRANT INSERT ON `it\\_priv\\_role`.* TO ll_loader");
    static const char *const grants[] = {
        "GRANT SELECT ON `it\\_priv\\_role`.* TO %s",
        "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE ON `it\\_priv\\_role\\_lp`.* TO %s",
        "GRANT ll_loader TO %s", NULL};
    make_user(my, "ll_role", grants);
    const char *args[] = {"migrate",
                          "--source",
                          src,
                          "--target",
                          user_url("ll_role", "it_priv_role"),
                          "--progress-table",
                          "it_priv_role_lp.litelift_progress",
                          "--dry-run",
                          NULL};
    /* a role granted but not active gives nothing */
    static const char *const why[] = {"user 'll_role'@'localhost' lacks INSERT on "
                                      "`it_priv_role`.`audit_log`",
                                      NULL};
    expect_run(args, 1, why);
    harness_exec(my, "SET DEFAULT ROLE ll_loader FOR 'll_role'@'localhost'");
    expect_run(args, 0, NULL);
    args[7] = NULL;
    expect_run(args, 0, NULL);
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        harness_expect_project(my, src, good[i], -1);
    mysql_close(my);
}

Test(privileges, progress_table_forms)
{
    static const char *const bad[] = {
        "a.b.c", ".b", "a.", "", "x.0123456789012345678901234567890123456789012345678901234567"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *args[] = {"status",           "--target", harness_url("it_priv_forms"),
                              "--progress-table", bad[i],     NULL};
        struct run_result r = harness_run(args);
        cr_assert_eq(r.status, 2, "case %zu: %s\n%s", i, r.out, r.err);
        cr_assert(strstr(r.err, "litelift: --progress-table needs NAME or SCHEMA.NAME") != NULL,
                  "case %zu: %s", i, r.err);
        harness_result_free(&r);
    }
    /* a progress table in a schema of its own, with a backtick and a space
     * in its name: made, filled, read back */
    MYSQL *my = harness_db("it_priv_forms");
    harness_exec(my, "DROP DATABASE IF EXISTS it_priv_forms_lp");
    harness_exec(my, "CREATE DATABASE it_priv_forms_lp");
    const char *dir = harness_tmpdir();
    char big[300];
    snprintf(big, sizeof big, "%s/big.db", dir);
    harness_big_project(my, big, 1000);
    const char *pt = "it_priv_forms_lp.odd` name";
    const char *st[] = {"status",           "--target", harness_url("it_priv_forms"),
                        "--progress-table", pt,         NULL};
    struct run_result r = harness_run(st);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert_str_eq(r.out, "no progress table `it_priv_forms_lp`.`odd`` name`: nothing has been "
                            "migrated yet\n");
    harness_result_free(&r);
    const char *args[] = {
        "migrate",          "--source", dir, "--target", harness_url("it_priv_forms"),
        "--progress-table", pt,         NULL};
    expect_run(args, 0, NULL);
    harness_expect_project(my, dir, "big", 1000);
    cr_assert_eq(tables_like(my, "it_priv_forms_lp", "odd` name%"), 3);
    cr_assert_eq(tables_like(my, "it_priv_forms", "odd%"), 0);
    /* a schema that does not exist: refused, nothing made */
    const char *nosuch[] = {"migrate",
                            "--source",
                            dir,
                            "--target",
                            harness_url("it_priv_forms"),
                            "--progress-table",
                            "it_priv_nosuch.p",
                            "--dry-run",
                            NULL};
    static const char *const why[] = {
        "litelift: the schema `it_priv_nosuch` of --progress-table it_priv_nosuch.p does not "
        "exist (or user 'litelift'@'localhost' holds no privilege in it): litelift creates "
        "tables, not schemas: CREATE DATABASE `it_priv_nosuch`\n",
        NULL};
    expect_run(nosuch, 1, why);
    nosuch[7] = NULL;
    expect_run(nosuch, 1, why);
    r = harness_run(st);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "big ") != NULL && strstr(r.out, "renamed") != NULL, "%s", r.out);
    harness_result_free(&r);
    mysql_close(my);
}
