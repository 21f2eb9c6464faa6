/* test_fingerprint: src/fingerprint.h on files written by SQLite itself in a
 * scratch directory: an unchanged file compares equal, a commit in rollback
 * journal mode moves the header's change counter, a commit in WAL mode the
 * -wal size, a WAL restarted to the same size its salts; the stored-only
 * comparison ignores what the progress table does not keep; the failure
 * message of fingerprint_check; a missing file. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "fingerprint.h"
#include "tmpdir.h"

static char dir[256], path[320];
static sqlite3 *db; /* the "application": a writer kept open */

static void setup(void)
{
    tmpdir_make(dir, sizeof dir, "/tmp/litelift-fp-XXXXXX");
    snprintf(path, sizeof path, "%s/p.db", dir);
}

static void teardown(void)
{
    sqlite3_close(db);
    db = NULL;
    tmpdir_remove(dir);
}

TestSuite(fingerprint, .init = setup, .fini = teardown);

static void app(const char *sql)
{
    if (db == NULL)
        cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s: %s", sql,
                 sqlite3_errmsg(db));
}

static struct fingerprint now(void)
{
    struct fingerprint fp;
    struct error err;
    cr_assert_eq(fingerprint_now(path, &fp, &err), 0, "%s", err.msg);
    return fp;
}

/* How b differs from a, as fingerprint_diff says it. */
static const char *diff(const struct fingerprint *a, const struct fingerprint *b, bool stored)
{
    static char out[512];
    struct buf d;
    buf_init(&d, BUF_CAP_ROW);
    cr_assert_eq(fingerprint_diff(a, b, stored, &d), 0);
    snprintf(out, sizeof out, "%s", d.data ? d.data : "");
    buf_free(&d);
    return out;
}

Test(fingerprint, a_commit_in_rollback_mode_moves_the_change_counter)
{
    app("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a')");
    struct fingerprint a = now(), b = now();
    cr_assert_str_eq(diff(&a, &b, false), "");
    cr_assert(a.change_counter > 0 && a.page_count == 2);
    app("UPDATE t SET v = 'b'"); /* same size, same pages */
    b = now();
    char want[64];
    snprintf(want, sizeof want, "change counter %lu -> %lu", a.change_counter,
             a.change_counter + 1);
    cr_assert(strstr(diff(&a, &b, false), want) != NULL, "%s", diff(&a, &b, false));
    cr_assert(strstr(diff(&a, &b, true), "change counter") == NULL);
}

Test(fingerprint, a_commit_in_wal_mode_grows_the_wal_and_a_restart_changes_its_salts)
{
    app("PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); "
        "INSERT INTO t VALUES (1, 'a')");
    struct fingerprint a = now();
    cr_assert(a.wal_size > 32 && a.wal_salt1 != 0);
    app("INSERT INTO t VALUES (2, 'b')");
    struct fingerprint b = now();
    char want[64];
    snprintf(want, sizeof want, "-wal size %lld -> %lld", a.wal_size, b.wal_size);
    cr_assert_str_eq(diff(&a, &b, false), want);
    /* after a checkpoint the next writer starts the -wal over: same size,
     * new salts */
    app("PRAGMA wal_checkpoint(RESTART)");
    b = now();
    app("UPDATE t SET v = 'c' WHERE id = 2");
    struct fingerprint c = now();
    cr_assert_eq(c.wal_size, b.wal_size);
    cr_assert_str_eq(diff(&b, &c, false), "-wal restarted (new salts)");
    cr_assert_str_eq(diff(&b, &c, true), "");
}

Test(fingerprint, check_names_the_change_and_the_remedy)
{
    app("CREATE TABLE t(id INTEGER PRIMARY KEY)");
    struct fingerprint snap;
    struct error err;
    cr_assert_eq(fingerprint_file(path, &snap, &err), 0, "%s", err.msg);
    struct reader r;
    cr_assert_eq(reader_open(&r, path, &err), 0, "%s", err.msg);
    cr_assert_eq(fingerprint_snapshot(&r, &snap, &err), 0, "%s", err.msg);
    reader_close(&r);
    cr_assert_eq(fingerprint_check(path, &snap, "acme", &err), 0, "%s", err.msg);
    app("CREATE TABLE u(x)");
    cr_assert_eq(fingerprint_check(path, &snap, "acme", &err), -1);
    cr_assert(strstr(err.msg, "the source changed while it was migrated (an application still "
                              "writing?): ") == err.msg,
              "%s", err.msg);
    cr_assert(strstr(err.msg, "schema changed") != NULL, "%s", err.msg);
    cr_assert(strstr(err.msg, "stop the application, then rerun with --restart-project 'acme' to "
                              "delete its rows and load it again") != NULL,
              "%s", err.msg);
}

Test(fingerprint, a_missing_file_is_an_error_naming_it)
{
    struct fingerprint fp;
    struct error err;
    cr_assert_eq(fingerprint_file(path, &fp, &err), -1);
    cr_assert(strstr(err.msg, "p.db: No such file or directory") != NULL, "%s", err.msg);
    cr_assert_eq(fingerprint_check(path, &fp, "acme", &err), -1);
    cr_assert(strstr(err.msg, "cannot check that the source is unchanged: ") != NULL, "%s",
              err.msg);
}
