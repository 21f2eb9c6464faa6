/* Integration tests of the pre-flight (src/preflight.c, src/adopt.c): the
 * dry-run fails where the real run would, before any data moves.
 * - local_infile and max_allowed_packet, on a private server of this test
 *   (scripts/testdb.sh start DIR: its SET GLOBALs disturb no other test):
 *   --method load refused while local_infile is OFF on the server or in the
 *   client library (an option file's local-infile=0), --method auto saying
 *   which method the real run will use; a row wider than max_allowed_packet
 *   refused naming table, key, column and the fix, then accepted and loaded
 *   once the fix is applied;
 * - rows a project has in the target without a checkpoint: refused with
 *   the advice, adopted by --adopt (counts and checksums checked, nothing
 *   loaded), an adoption whose counts differ refused, --restart-project
 *   replacing the rows;
 * - the reject files a dry-run predicts (TABLE.rejects.dry-run.*), exactly,
 *   replaced by a real run's;
 * - an unreachable target fails a dry-run; --offline reads without it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "harness.h"

/* ------------------------------------------------- the private server ---- */

static char own_dir[512];
static char own_url[1024];

static void own_start(void)
{
    snprintf(own_dir, sizeof own_dir, "%s", harness_tmpdir());
    cr_assert(harness_sh("scripts/testdb.sh start \"$1\" >/dev/null", own_dir, NULL) == 0,
              "the private server did not start");
    snprintf(own_url, sizeof own_url,
             "mysql://litelift:lite%%20pass@localhost/litelift_test?socket=%s/mysql.sock", own_dir);
}

static void own_stop(void)
{
    harness_sh("scripts/testdb.sh stop \"$1\" >/dev/null", own_dir, NULL);
}

/* Runs one statement as root on the private server. */
static void own_root(const char *sql)
{
    cr_assert(harness_sh("mariadb --no-defaults -uroot -S \"$1/mysql.sock\" -e \"$2\"", own_dir,
                         sql, NULL) == 0,
              "%s", sql);
}

/* The test user's connection to the private server's database. */
static MYSQL *own_db(void)
{
    char sock[600];
    snprintf(sock, sizeof sock, "%s/mysql.sock", own_dir);
    MYSQL *my = mysql_init(NULL);
    cr_assert(my != NULL);
    cr_assert(mysql_real_connect(my, "localhost", "litelift", "lite pass", "litelift_test", 0, sock,
                                 0) != NULL,
              "%s", mysql_error(my));
    return my;
}

/* Runs litelift with args; asserts its exit status and that out/err hold
 * want (NULL: nothing asked). Returns the result (free it). */
static struct run_result run_expect(const char *const *args, int status, const char *want)
{
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, status, "stdout:\n%s\nstderr:\n%s", r.out, r.err);
    cr_assert(want == NULL || strstr(r.err, want) != NULL || strstr(r.out, want) != NULL,
              "no \"%s\" in:\n%s\n%s", want, r.out, r.err);
    return r;
}

static void expect(const char *const *args, int status, const char *want)
{
    struct run_result r = run_expect(args, status, want);
    harness_result_free(&r);
}

/* ------------------------------------------------------- local_infile ---- */

Test(preflight, local_infile_on_both_sides, .init = own_start, .fini = own_stop, .timeout = 120)
{
    MYSQL *my = own_db();
    const char *dir = harness_tmpdir();
    char path[1024];
    snprintf(path, sizeof path, "%s/p1.db", dir);
    harness_big_project(my, path, 50);
    const char *load[] = {"migrate", "--dry-run", "--method", "load", "--source",
                          dir,       "--target",  own_url,    NULL};
    const char *auto_[] = {"migrate", "--dry-run", "--source", dir, "--target", own_url, NULL};
    const char *real[] = {"migrate", "--method", "load",  "--source",
                          dir,       "--target", own_url, NULL};

    own_root("SET GLOBAL local_infile = 0");
    const char *off = "litelift: --method load: the server does not allow LOAD DATA LOCAL INFILE "
                      "(@@local_infile is OFF; SET GLOBAL local_infile = 1 allows it); or use "
                      "--method insert\n";
    expect(load, 1, off);
    expect(real, 1, off);
    cr_assert_eq(compare_count(my, "big", "project_id", "p1"), 0, "rows moved");
    cr_assert_eq(access(path, F_OK), 0, "the file was renamed");
    expect(auto_, 0,
           "litelift: method: the real run will use multi-row INSERT (--method auto: the server "
           "does not allow LOAD DATA LOCAL INFILE (@@local_infile is OFF; SET GLOBAL local_infile "
           "= 1 allows it))\n");

    own_root("SET GLOBAL local_infile = 1");
    expect(auto_, 0,
           "litelift: method: the real run will use LOAD DATA LOCAL INFILE (--method auto: the "
           "server's local_infile is ON)\n");
    /* the client side: an option file that switches LOCAL INFILE off */
    char cnf[1100];
    snprintf(cnf, sizeof cnf, "%s/no-infile.cnf", dir);
    cr_assert(harness_sh("printf '[client]\\nlocal-infile=0\\n' >\"$1\"", cnf, NULL) == 0);
    const char *client[] = {"migrate",  "--dry-run", "--method",        "load", "--source", dir,
                            "--target", own_url,     "--defaults-file", cnf,    NULL};
    expect(client, 1,
           "litelift: --method load: the client library has LOAD DATA LOCAL INFILE switched off "
           "(an option file's local-infile = 0?); or use --method insert\n");
    expect(real, 0, "p1                       validated; renamed as backup");
    harness_expect_project(my, dir, "p1", 50);
    mysql_close(my);
}

/* ------------------------------------------------- max_allowed_packet ---- */

Test(preflight, widest_row_against_max_allowed_packet, .init = own_start, .fini = own_stop,
     .timeout = 120)
{
    MYSQL *my = own_db();
    harness_exec(my, "CREATE TABLE w (project_id VARCHAR(40) NOT NULL, id BIGINT NOT NULL, b "
                     "LONGBLOB, PRIMARY KEY (project_id, id))");
    const char *dir = harness_tmpdir();
    cr_assert(harness_sh("sqlite3 \"$1/wide.db\" \"CREATE TABLE w(id INTEGER PRIMARY KEY, b BLOB); "
                         "INSERT INTO w VALUES (1, x'00ff'), (2, zeroblob(1500000)), "
                         "(3, zeroblob(1000))\"",
                         dir, NULL) == 0);
    own_root("SET GLOBAL max_allowed_packet = 1048576");
    const char *dry[] = {"migrate", "--dry-run", "--method", "insert", "--source",
                         dir,       "--target",  own_url,    NULL};
    struct run_result r =
        run_expect(dry, 1,
                   "litelift: project 'wide' (wide.db) FAILED: table w: its widest row (key "
                   "id=2) is an INSERT statement of 3000061 bytes (column b: 3000003 bytes), which "
                   "does not fit max_allowed_packet (server 1048576, client ");
    cr_assert(strstr(r.err, ", less 4096 bytes kept for the protocol): the real run would reject "
                            "it. Raise it: SET GLOBAL max_allowed_packet = 3145728 (") != NULL,
              "%s", r.err);
    harness_result_free(&r);
    /* the fix it names: the dry-run passes, the real run loads every value */
    own_root("SET GLOBAL max_allowed_packet = 3145728");
    expect(dry, 0, "1 project(s), 0 failed, 0 row(s) rejected (dry run: nothing was written)");
    const char *real[] = {"migrate", "--method", "insert", "--source",
                          dir,       "--target", own_url,  NULL};
    expect(real, 0, "wide                     validated; renamed as backup");
    harness_expect_project(my, dir, "wide", 3);
    mysql_close(my);
}

/* ------------------------------------------- rows without a checkpoint ---- */

Test(preflight, rows_without_checkpoint_refused_adopted_or_restarted, .timeout = 180)
{
    MYSQL *my = harness_db("it_pf_adopt");
    const char *dir = harness_tmpdir();
    char path[1024];
    snprintf(path, sizeof path, "%s/solo.db", dir);
    harness_big_project(my, path, 300);
    const char *url = harness_url("it_pf_adopt");
    const char *load[] = {"migrate", "--no-backup-rename", "--source", dir, "--target", url, NULL};
    expect(load, 0, "solo                     validated; left in place (--no-backup-rename)");
    /* the progress table is lost: the rows are there, no checkpoint knows them */
    harness_exec(my, "DROP TABLE litelift_progress, litelift_progress_rejects");
    const char *advice =
        "litelift: project 'solo' (solo.db) FAILED: the target already holds rows of project "
        "'solo' that no checkpoint records: big (300 row(s)); loading it would add them again "
        "and fail its validation. If they are a complete earlier load of this file, --adopt "
        "'solo' checks them against the source (counts) and records them as loaded, loading "
        "nothing; else --restart-project 'solo' deletes them and loads the project again\n";
    expect(load, 1, advice);
    const char *dry[] = {"migrate", "--dry-run", "--source", dir, "--target", url, NULL};
    expect(dry, 1, advice);
    cr_assert_eq(compare_count(my, "big", "project_id", "solo"), 300);

    /* --adopt: validated against the source (counts and checksums), not loaded */
    const char *adopt[] = {"migrate",  "--adopt", "solo",     "--verify", "checksum",
                           "--source", dir,       "--target", url,        NULL};
    struct run_result r = run_expect(adopt, 0,
                                     "solo                     big                              "
                                     " 300          300         0");
    cr_assert(strstr(r.out, "  adopted (--adopt)\nsolo                     validated, checksum "
                            "ok; renamed as backup\n") != NULL,
              "%s", r.out);
    harness_result_free(&r);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM litelift_progress WHERE project_id = "
                                    "'solo' AND state IN ('validated', 'renamed')"),
                 2);
    harness_expect_project(my, dir, "solo", 300);

    /* an adoption whose counts differ is refused; --restart-project replaces the rows */
    char backup[1100];
    snprintf(backup, sizeof backup, "%s.migrated", path);
    cr_assert(rename(backup, path) == 0);
    harness_exec(my, "DROP TABLE litelift_progress, litelift_progress_rejects");
    harness_exec(my, "DELETE FROM big WHERE id > 250");
    const char *adopt2[] = {"migrate", "--adopt", "solo", "--source", dir, "--target", url, NULL};
    expect(adopt2, 1,
           "table big: --adopt: the target holds 250 row(s) of project 'solo' in table big, the "
           "source has 300: they are not a complete load of this file; --restart-project 'solo' "
           "deletes them and loads it again");
    cr_assert_eq(compare_count(my, "big", "project_id", "solo"), 250);
    const char *restart[] = {"migrate", "--restart-project", "solo", "--source",
                             dir,       "--target",          url,    NULL};
    expect(restart, 0, "solo                     validated; renamed as backup");
    harness_expect_project(my, dir, "solo", 300);
    mysql_close(my);
}

/* ------------------------------------------------ predicted reject files ---- */

/* The whole text of a file (a heap string). */
static char *slurp(const char *path)
{
    return harness_sh_out("cat \"$1\"", path, NULL);
}

Test(preflight, dry_run_writes_the_reject_files_it_predicts)
{
    MYSQL *my = harness_db("it_pf_rejects");
    harness_exec(my, "CREATE TABLE t (project_id VARCHAR(40) NOT NULL, id BIGINT NOT NULL, n INT, "
                     "note TEXT, PRIMARY KEY (project_id, id))");
    const char *dir = harness_tmpdir(), *rej = harness_tmpdir();
    cr_assert(
        harness_sh("sqlite3 \"$1/r.db\" \"CREATE TABLE t(id INTEGER PRIMARY KEY, n TEXT, note "
                   "TEXT); INSERT INTO t VALUES (1,'7','a'), (2,'x y','tab' || char(9) || "
                   "'here'), (3,'8',NULL), (4,'1.5','c')\"",
                   dir, NULL) == 0);
    const char *url = harness_url("it_pf_rejects");
    const char *dry[] = {"migrate", "--dry-run", "--source", dir, "--rejects",
                         rej,       "--target",  url,        NULL};
    struct run_result dr = run_expect(
        dry, 5, "1 project(s), 0 failed, 2 row(s) rejected (dry run: nothing was written)");
    char where[1200];
    snprintf(where, sizeof where, "2 row(s) rejected in 1 project(s) (predicted): see %s/r/\n",
             rej);
    cr_assert(strstr(dr.out, where) != NULL, "the summary says where:\n%s", dr.out);
    harness_result_free(&dr);
    const char *tsv = "id\tn\tnote\n2\tx y\ttab\\there\n4\t1.5\tc\n";
    const char *log = "key\tcolumn\tvalue\treason\n"
                      "id=2\tn\t'x y'\ttext is not a canonical integer [value 'x y']\n"
                      "id=4\tn\t'1.5'\ttext is not a canonical integer [value '1.5']\n";
    char *files = harness_sh_out("cd \"$1\" && find . -type f | sort", rej, NULL);
    cr_assert_str_eq(files, "./r/t.rejects.dry-run.log\n./r/t.rejects.dry-run.tsv\n");
    free(files);
    char p[1100];
    snprintf(p, sizeof p, "%s/r/t.rejects.dry-run.tsv", rej);
    char *got = slurp(p);
    cr_assert_str_eq(got, tsv);
    free(got);
    snprintf(p, sizeof p, "%s/r/t.rejects.dry-run.log", rej);
    got = slurp(p);
    cr_assert_str_eq(got, log);
    free(got);
    cr_assert_eq(compare_count(my, "t", "project_id", "r"), 0, "the dry-run wrote rows");

    /* the real run writes the same rejects under the usual names and
     * removes the dry-run's prediction */
    const char *real[] = {"migrate", "--source", dir, "--rejects", rej, "--target", url, NULL};
    expect(real, 5, "1 project(s), 0 failed, 2 row(s) rejected");
    files = harness_sh_out("cd \"$1\" && find . -type f | sort", rej, NULL);
    cr_assert_str_eq(files, "./r/t.rejects.log\n./r/t.rejects.tsv\n");
    free(files);
    snprintf(p, sizeof p, "%s/r/t.rejects.tsv", rej);
    got = slurp(p);
    cr_assert_str_eq(got, tsv);
    free(got);
    snprintf(p, sizeof p, "%s/r/t.rejects.log", rej);
    got = slurp(p);
    cr_assert_str_eq(got, log);
    free(got);
    char msg[1024];
    snprintf(p, sizeof p, "%s/r.db", dir);
    const char *keys[] = {"t\tid=2", "t\tid=4"};
    struct compare_skip skip = {keys, 2};
    cr_assert_eq(compare_project(my, p, "project_id", "r", &skip, msg, sizeof msg), 2, "%s", msg);
    mysql_close(my);
}

/* ---------------------------------------------- an unreachable target ---- */

Test(preflight, unreachable_target_fails_the_dry_run_unless_offline)
{
    const char *dir = harness_tmpdir();
    cr_assert(harness_sh("sqlite3 \"$1/a.db\" \"CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); "
                         "INSERT INTO t VALUES (1,'x'), (2,'y')\"",
                         dir, NULL) == 0);
    const char *url = "mysql://nobody@localhost/none?socket=/nonexistent/mysql.sock";
    const char *dry[] = {"migrate", "--dry-run", "--source", dir, "--target", url, NULL};
    struct run_result r = run_expect(
        dry, 1,
        "litelift: the dry-run needs the target (to check the schema, the conversions and the "
        "checkpoints as the real run will); --offline reads the files without it: cannot connect "
        "to the socket /nonexistent/mysql.sock as nobody (database none): MySQL error 2002: ");
    cr_assert(strstr(r.out, "a   ") == NULL, "the dry-run went on: %s", r.out);
    harness_result_free(&r);
    const char *offline[] = {"migrate", "--dry-run", "--offline", "--source",
                             dir,       "--target",  url,         NULL};
    r = run_expect(offline, 0,
                   "litelift: --offline: the target is not contacted: files are checked and read, "
                   "but the schema, the conversions and the checkpoints are not\n");
    cr_assert(strstr(r.out,
                     "a                        t                                   2         "
                     "   2         0") != NULL,
              "%s", r.out);
    cr_assert(strstr(r.out, "read only (--offline): values not converted") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "a                        read (--offline): schema, values and "
                            "checkpoints not checked\n") != NULL,
              "%s", r.out);
    harness_result_free(&r);
    char path[1100];
    snprintf(path, sizeof path, "%s/a.db", dir);
    cr_assert_eq(access(path, F_OK), 0, "a dry-run renamed the file");
    const char *usage[] = {"migrate", "--offline", "--source", dir, "--target", url, NULL};
    r = harness_run(usage);
    cr_assert_eq(r.status, 2, "%s\n%s", r.out, r.err);
    cr_assert_str_eq(r.err, "litelift: --offline goes with --dry-run only (a real run needs the "
                            "target)\n");
    harness_result_free(&r);
}
