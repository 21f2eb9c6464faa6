/* Integration tests of safe reruns: checkpoints committed with the data, kill -9
 * at random moments, a server stopped mid-run, a source changed after a
 * partial run, --restart-project, dry-run leaving everything untouched,
 * SIGINT at a batch boundary, status, and reruns after success. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare.h"
#include "harness.h"

static const char *const good[] = {"acme", "o'brien & sons", "Zürich 東京", "back\\slash \"q\"",
                                   "walproj"};

Test(rerun, kill9_at_random_moments_then_rerun_loses_and_duplicates_nothing, .timeout = 600)
{
    const char *fx = harness_fixtures();
    MYSQL *my = harness_db("it_kill");
    harness_apply(my, "fixtures/apna_target.sql");
    char src[256], big[300];
    snprintf(src, sizeof src, "%s/apna", fx);
    harness_sh("cd \"$1\" && rm -f bad.db corrupt.db badheader.db notsqlite.db empty.db", src,
               NULL);
    snprintf(big, sizeof big, "%s/big.db", src);
    harness_big_project(my, big, 300000);
    const char *args[] = {"migrate", "--source", src,        "--batch-rows",
                          "100",     "--quiet",  "--target", harness_url("it_kill"),
                          NULL};
    const char *count_big = "SELECT COUNT(*) FROM big WHERE project_id = 'big'";
    srand(20261122);
    int killed = 0;
    for (int round = 0; round < 12; round++) {
        /* killed once the big table has grown by a random number of rows
         * (or, when everything else is loaded, as soon as it is started) */
        long long at = harness_number(my, count_big) + 1 + rand() % 60000;
        int pid = harness_spawn(args);
        harness_wait_number(my, count_big, at > 300000 ? 0 : at, pid);
        kill(pid, SIGKILL);
        int sig;
        struct run_result r = harness_wait(pid, &sig);
        killed += sig == SIGKILL;
        cr_assert(sig == SIGKILL || r.status == 0, "round %d: status %d\n%s\n%s", round, r.status,
                  r.out, r.err);
        harness_result_free(&r);
    }
    cr_assert(killed >= 3, "only %d runs were really killed mid-way", killed);
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "final rerun: %s\n%s", r.out, r.err);
    harness_result_free(&r);
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        harness_expect_project(my, src, good[i], -1);
    harness_expect_project(my, src, "big", 300000);
    /* a rerun after full success does nothing and exits 0 */
    r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "0 project(s)") != NULL, "%s", r.out);
    harness_result_free(&r);
    mysql_close(my);
}

Test(rerun, server_stopped_mid_run_gives_a_clear_error_and_rerun_completes, .timeout = 300)
{
    const char *dir = harness_tmpdir();
    MYSQL *my = harness_db("it_stop");
    char big[300];
    snprintf(big, sizeof big, "%s/big.db", dir);
    harness_big_project(my, big, 200000);
    mysql_close(my);
    const char *args[] = {
        "migrate", "--source", dir, "--batch-rows", "100", "--target", harness_url("it_stop"),
        NULL};
    int pid = harness_spawn(args);
    MYSQL *hold = harness_hold("it_stop", "big", "big", 100);
    cr_assert(harness_sh("scripts/testdb.sh stop \"$1\" >/dev/null 2>&1", harness_server_dir(),
                         NULL) == 0);
    harness_release(hold);
    struct run_result r = harness_wait(pid, NULL);
    cr_assert(harness_sh("scripts/testdb.sh start \"$1\" >/dev/null 2>&1", harness_server_dir(),
                         NULL) == 0);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "lost the connection to the target") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "rerun the same command") != NULL, "%s", r.err);
    harness_result_free(&r);
    r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "resumed") != NULL, "%s", r.out);
    harness_result_free(&r);
    my = harness_db_keep("it_stop");
    harness_expect_project(my, dir, "big", 200000);
    mysql_close(my);
}

Test(rerun, changed_source_is_refused_and_restart_project_reloads, .timeout = 300)
{
    const char *dir = harness_tmpdir();
    MYSQL *my = harness_db("it_change");
    char big[300];
    snprintf(big, sizeof big, "%s/big.db", dir);
    harness_big_project(my, big, 100000);
    const char *args[] = {
        "migrate", "--source", dir, "--batch-rows", "100", "--target", harness_url("it_change"),
        NULL};
    int pid = harness_spawn(args);
    MYSQL *hold = harness_hold("it_change", "big", "big", 100);
    kill(pid, SIGINT);
    harness_release(hold);
    struct run_result r = harness_wait(pid, NULL);
    cr_assert_eq(r.status, 3, "SIGINT must stop at a batch boundary with status 3:\n%s\n%s", r.out,
                 r.err);
    cr_assert(strstr(r.out, "INTERRUPTED") != NULL, "%s", r.out);
    harness_result_free(&r);
    long partial = compare_count(my, "big", "project_id", "big");
    cr_assert(partial > 0 && partial < 100000, "partial load has %ld rows", partial);
    cr_assert_eq(partial % 100, 0, "only whole batches are committed (%ld rows)", partial);

    cr_assert(harness_sh("sqlite3 \"$1\" \"INSERT INTO big VALUES (100001, 'late', 1.5, NULL)\"",
                         big, NULL) == 0);
    r = harness_run(args);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "source changed since its checkpoint") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "--restart-project 'big'") != NULL, "%s", r.err);
    cr_assert_eq(compare_count(my, "big", "project_id", "big"), partial);
    harness_result_free(&r);

    const char *restart[] = {"migrate",
                             "--source",
                             dir,
                             "--restart-project",
                             "big",
                             "--target",
                             harness_url("it_change"),
                             NULL};
    r = harness_run(restart);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    harness_expect_project(my, dir, "big", 100001);
    mysql_close(my);
}

Test(rerun, dry_run_leaves_target_and_sources_byte_for_byte_unchanged)
{
    const char *fx = harness_fixtures();
    MYSQL *my = harness_db("it_dryrun");
    harness_apply(my, "fixtures/apna_target.sql");
    char src[256];
    snprintf(src, sizeof src, "%s/apna", fx);
    /* a partial earlier run, so that the target is not empty */
    const char *first[] = {"migrate", "--source",           src,        "--pattern",
                           "acme.db", "--no-backup-rename", "--target", harness_url("it_dryrun"),
                           NULL};
    struct run_result r = harness_run(first);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    /* $1 the database, $2 the file the dump goes to */
    const char *dump = "mariadb-dump --no-defaults -S \"$3\" -u\"$4\" --password=\"$5\" "
                       "--skip-dump-date --skip-comments \"$1\" > \"$2\"";
    const char *tmp = harness_tmpdir();
    char dump_before[300], dump_after[300], src_before[300];
    snprintf(dump_before, sizeof dump_before, "%s/dump.before", tmp);
    snprintf(dump_after, sizeof dump_after, "%s/dump.after", tmp);
    snprintf(src_before, sizeof src_before, "%s/src.before", tmp);
    cr_assert(harness_sh(dump, "it_dryrun", dump_before, harness_socket(), harness_user(),
                         harness_password(), NULL) == 0);
    cr_assert(harness_sh("cd \"$1\" && find . -type f ! -name '*-shm' -print0 | sort -z | xargs -0 "
                         "sha256sum > \"$2\"",
                         src, src_before, NULL) == 0);
    const char *args[] = {
        "migrate", "--dry-run", "--source", src, "--target", harness_url("it_dryrun"), NULL};
    r = harness_run(args);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "dry run: nothing was written") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "done earlier") != NULL, "acme is already loaded:\n%s", r.out);
    cr_assert(strstr(r.out, "would validate and rename as backup") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "would NOT rename: rows rejected") != NULL, "%s", r.out);
    harness_result_free(&r);
    cr_assert(harness_sh(dump, "it_dryrun", dump_after, harness_socket(), harness_user(),
                         harness_password(), NULL) == 0);
    cr_assert(harness_sh("cmp -s \"$1\" \"$2\"", dump_before, dump_after, NULL) == 0,
              "the dry-run changed the target");
    cr_assert(harness_sh("cd \"$1\" && find . -type f ! -name '*-shm' -print0 | sort -z | xargs -0 "
                         "sha256sum | cmp -s - \"$2\"",
                         src, src_before, NULL) == 0,
              "the dry-run changed, added or renamed a source file");
    mysql_close(my);
}

Test(rerun, status_and_backup_options)
{
    const char *fx = harness_fixtures();
    MYSQL *my = harness_db("it_status");
    harness_apply(my, "fixtures/apna_target.sql");
    char src[256], bdir[300];
    snprintf(src, sizeof src, "%s/apna", fx);
    snprintf(bdir, sizeof bdir, "%s/backups", fx);
    cr_assert(mkdir(bdir, 0700) == 0);
    const char *a1[] = {"migrate",   "--source", src,
                        "--pattern", "acme.db",  "--backup-dir",
                        bdir,        "--target", harness_url("it_status"),
                        NULL};
    struct run_result r = harness_run(a1);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    cr_assert(harness_sh("test -f \"$1/acme.db.migrated\" && ! test -e \"$2/acme.db\"", bdir, src,
                         NULL) == 0);
    const char *a2[] = {"migrate",    "--source",           src,        "--pattern",
                        "walproj.db", "--no-backup-rename", "--target", harness_url("it_status"),
                        NULL};
    r = harness_run(a2);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    cr_assert(harness_sh("test -f \"$1/walproj.db\" && test -f \"$1/walproj.db-wal\"", src, NULL) ==
              0);
    /* rerun over a file left in place: everything done earlier, nothing changes */
    r = harness_run(a2);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "done earlier") != NULL, "%s", r.out);
    harness_result_free(&r);
    cr_assert_eq(compare_count(my, "backups", "project_id", "walproj"), 337);
    /* bad.db has rejects: validated but not renamed, unless --accept-rejects */
    const char *a3[] = {"migrate", "--source", src,        "--pattern",
                        "bad.db",  "--quiet",  "--target", harness_url("it_status"),
                        NULL};
    r = harness_run(a3);
    cr_assert_eq(r.status, 5, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "NOT renamed: rows were rejected") != NULL, "%s", r.out);
    harness_result_free(&r);
    cr_assert(harness_sh("test -f \"$1/bad.db\"", src, NULL) == 0);
    const char *a4[] = {"migrate",
                        "--source",
                        src,
                        "--pattern",
                        "bad.db",
                        "--quiet",
                        "--accept-rejects",
                        "--target",
                        harness_url("it_status"),
                        NULL};
    r = harness_run(a4);
    cr_assert_eq(r.status, 5, "rejects still make the status 5");
    harness_result_free(&r);
    cr_assert(harness_sh("test -f \"$1/bad.db.migrated\" && ! test -e \"$1/bad.db\"", src, NULL) ==
              0);

    const char *st[] = {"status", "--target", harness_url("it_status"), NULL};
    r = harness_run(st);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    static const char *const want[][5] = {
        {"acme", "(project)", "renamed", "2058", "0"},
        {"acme", "backups", "validated", "312", "0"},
        {"walproj", "(project)", "validated", "2108", "0"},
        {"walproj", "backups", "validated", "337", "0"},
        {"walproj", "node_jobs", "validated", "185", "0"},
        {"bad", "(project)", "renamed", "2058", "9"},
        {"bad", "backups", "validated", "312", "2"},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        char line[256];
        snprintf(line, sizeof line, "%-24s %-24s %-10s %12s %9s  ", want[i][0], want[i][1],
                 want[i][2], want[i][3], want[i][4]);
        cr_assert(strstr(r.out, line) != NULL, "status lacks \"%s\":\n%s", line, r.out);
    }
    harness_result_free(&r);
    mysql_close(my);
}
