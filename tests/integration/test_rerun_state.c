/* Integration tests of what a rerun finds in the progress table: a rename an
 * earlier run began and did not record as done (the file moved, stale -wal and
 * -shm names left beside no main file), a checkpoint key longer than any
 * index can hold, and a progress table made by an earlier litelift. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare.h"
#include "harness.h"

Test(rerun_state, a_begun_rename_is_completed_and_stale_companions_removed, .timeout = 300)
{
    const char *dir = harness_tmpdir();
    MYSQL *my = harness_db("it_renaming");
    char src[300], bak[320], sql[512];
    snprintf(src, sizeof src, "%s/wal.db", dir);
    snprintf(bak, sizeof bak, "%s.migrated", src);
    harness_big_project(my, src, 3000);
    /* a WAL-mode file whose last rows live only in its -wal */
    cr_assert(harness_sh("sqlite3 \"$1\" 'PRAGMA journal_mode=WAL' >/dev/null", src, NULL) == 0);
    cr_assert(harness_sh("printf 'PRAGMA wal_autocheckpoint=0;\\nINSERT INTO big VALUES (3001, "
                         "\"late\", 0.5, NULL);\\n' | sqlite3 \"$1\"",
                         src, NULL) == 0);
    const char *args[] = {"migrate", "--source", dir, "--target", harness_url("it_renaming"), NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    /* as a run killed between the removal of the main name and of its
     * companions would leave it: the old -wal/-shm names still there (links
     * of the backup's) and the project recorded as renaming */
    for (int i = 0; i < 2; i++) {
        const char *part = i ? "-shm" : "-wal";
        if (harness_sh("test -e \"$1$2\"", bak, part, NULL) == 0)
            cr_assert(harness_sh("ln \"$1$2\" \"$3$2\"", bak, part, src, NULL) == 0);
    }
    cr_assert(harness_sh("test -e \"$1-wal\"", src, NULL) == 0, "the fixture has no -wal to leave");
    snprintf(sql, sizeof sql,
             "UPDATE litelift_progress SET state = 'renaming', backup_file = '%s' WHERE "
             "table_name = ''",
             bak);
    harness_exec(my, sql);
    r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "note: project 'wal': the rename as backup ") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "that an earlier run began is complete") != NULL, "%s", r.out);
    harness_result_free(&r);
    cr_assert(harness_sh("test ! -e \"$1\" && test ! -e \"$1-wal\" && test ! -e \"$1-shm\"", src,
                         NULL) == 0,
              "stale companion names were left");
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM litelift_progress WHERE table_name = "
                                    "'' AND state = 'renamed'"),
                 1);
    char msg[2048];
    long n = compare_project(my, bak, "project_id", "wal", NULL, msg, sizeof msg);
    cr_assert_eq(n, 3001, "%ld rows compared: %s", n, msg);
    mysql_close(my);
}

/* A project p.db of 100 rows migrated and renamed as its backup in a fresh
 * dir of database db, its progress row then set back to 'renaming' as a run
 * stopped in the middle of its rename would leave it. */
struct begun {
    MYSQL *my;
    const char *dir;
    char src[300], bak[320];
};

static void begun_rename(struct begun *b, const char *db)
{
    b->dir = harness_tmpdir();
    b->my = harness_db(db);
    snprintf(b->src, sizeof b->src, "%s/p.db", b->dir);
    snprintf(b->bak, sizeof b->bak, "%s.migrated", b->src);
    harness_big_project(b->my, b->src, 100);
    const char *args[] = {"migrate", "--source", b->dir, "--target", harness_url(db), NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    harness_exec(b->my, "UPDATE litelift_progress SET state = 'renaming' WHERE table_name = ''");
}

/* Stopped between the backup's new name and the removal of the old one: the
 * scan sees the file as its backup and leaves it; the rerun finishes it. */
Test(rerun_state, a_rename_stopped_between_link_and_unlink_is_completed, .timeout = 300)
{
    struct begun b;
    begun_rename(&b, "it_renaming3");
    cr_assert(harness_sh("ln \"$1\" \"$2\"", b.bak, b.src, NULL) == 0);
    const char *args[] = {"migrate", "--source", b.dir, "--target", harness_url("it_renaming3"),
                          NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "that an earlier run began is complete") != NULL, "%s", r.out);
    harness_result_free(&r);
    cr_assert(harness_sh("test ! -e \"$1\" && test -f \"$2\"", b.src, b.bak, NULL) == 0);
    cr_assert_eq(harness_number(b.my, "SELECT COUNT(*) FROM litelift_progress WHERE table_name = "
                                      "'' AND state = 'renamed'"),
                 1);
    mysql_close(b.my);
}

Test(rerun_state, a_rename_the_options_would_name_differently_is_left_and_said, .timeout = 300)
{
    struct begun b;
    begun_rename(&b, "it_renaming2");
    const char *other[] = {"migrate",
                           "--source",
                           b.dir,
                           "--backup-suffix",
                           ".old",
                           "--target",
                           harness_url("it_renaming2"),
                           NULL};
    struct run_result r = harness_run(other);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "but these options name its backup ") != NULL, "%s", r.out);
    harness_result_free(&r);
    cr_assert(harness_sh("test -f \"$1\" && test ! -e \"$2.old\"", b.bak, b.src, NULL) == 0);
    mysql_close(b.my);
}

Test(rerun_state, a_key_longer_than_any_index_is_a_checkpoint_like_any_other, .timeout = 300)
{
    const char *dir = harness_tmpdir();
    MYSQL *my = harness_db("it_longkey");
    harness_exec(my, "CREATE TABLE t (project_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE "
                     "utf8mb4_bin NOT NULL, k TEXT NOT NULL, v BIGINT, KEY (project_id, k(100)))");
    char db[300];
    snprintf(db, sizeof db, "%s/long.db", dir);
    /* 4 KB text keys: every batch boundary's checkpoint holds one */
    cr_assert(
        harness_sh(
            "sqlite3 \"$1\" \"CREATE TABLE t(k TEXT PRIMARY KEY, v INT) WITHOUT ROWID; WITH "
            "RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < 400) INSERT INTO t "
            "SELECT printf('%04d', n) || replace(hex(zeroblob(2048)), '00', 'ab'), n FROM c\"",
            db, NULL) == 0);
    const char *args[] = {"migrate", "--source",           dir,        "--batch-rows",
                          "2",       "--no-backup-rename", "--target", harness_url("it_longkey"),
                          NULL};
    int pid = harness_spawn(args);
    MYSQL *hold = harness_hold("it_longkey", "t", "long", 2);
    kill(pid, SIGINT);
    harness_release(hold);
    struct run_result r = harness_wait(pid, NULL);
    cr_assert_eq(r.status, 3, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    cr_assert(harness_number(my, "SELECT LENGTH(last_key) FROM litelift_progress WHERE "
                                 "table_name = 't'") > 4096,
              "the checkpoint does not hold the whole key");
    long partial = compare_count(my, "t", "project_id", "long");
    cr_assert(partial > 0 && partial < 400 && partial % 2 == 0, "%ld rows", partial);
    r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "resumed") != NULL, "%s", r.out);
    harness_result_free(&r);
    char msg[2048];
    long n = compare_project(my, db, "project_id", "long", NULL, msg, sizeof msg);
    cr_assert_eq(n, 400, "%ld rows compared: %s", n, msg);
    mysql_close(my);
}

Test(rerun_state, a_progress_table_of_an_earlier_version_is_upgraded, .timeout = 300)
{
    const char *dir = harness_tmpdir();
    MYSQL *my = harness_db("it_upgrade");
    /* the tables as litelift 0.1.0 made them */
    harness_exec(my,
                 "CREATE TABLE litelift_progress (project_id VARCHAR(255) CHARACTER SET utf8mb4 "
                 "COLLATE utf8mb4_bin NOT NULL, table_name VARCHAR(64) CHARACTER SET utf8mb4 "
                 "COLLATE utf8mb4_bin NOT NULL, source_file VARCHAR(1024) CHARACTER SET utf8mb4 "
                 "COLLATE utf8mb4_bin NOT NULL, source_size BIGINT NOT NULL, source_mtime_ns "
                 "BIGINT NOT NULL, wal_size BIGINT NOT NULL, page_count BIGINT NOT NULL, "
                 "schema_crc BIGINT UNSIGNED NOT NULL, last_key VARBINARY(3072) NULL, rows_loaded "
                 "BIGINT NOT NULL DEFAULT 0, rows_rejected BIGINT NOT NULL DEFAULT 0, state "
                 "ENUM('pending','loading','loaded','validated','renamed') NOT NULL, started_at "
                 "DATETIME(6) NOT NULL, updated_at DATETIME(6) NOT NULL, PRIMARY KEY "
                 "(project_id, table_name)) ENGINE=InnoDB");
    harness_exec(my, "CREATE TABLE litelift_progress_rejects (project_id VARCHAR(255) CHARACTER "
                     "SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, table_name VARCHAR(64) CHARACTER "
                     "SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, id BIGINT NOT NULL "
                     "AUTO_INCREMENT PRIMARY KEY, row_key BLOB NOT NULL, reason TEXT NOT NULL, "
                     "created_at DATETIME(6) NOT NULL, KEY (project_id, table_name)) "
                     "ENGINE=InnoDB");
    char src[300];
    snprintf(src, sizeof src, "%s/up.db", dir);
    harness_big_project(my, src, 1000);
    const char *args[] = {"migrate", "--source", dir, "--target", harness_url("it_upgrade"), NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE "
                                    "TABLE_SCHEMA = 'it_upgrade' AND ((TABLE_NAME = "
                                    "'litelift_progress' AND COLUMN_NAME IN ('version', "
                                    "'owner', 'lease_until', 'backup_file') AND (COLUMN_NAME <> "
                                    "'last_key')) OR (TABLE_NAME = 'litelift_progress_rejects' "
                                    "AND COLUMN_NAME = 'column_name'))"),
                 5);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE "
                                    "TABLE_SCHEMA = 'it_upgrade' AND TABLE_NAME = "
                                    "'litelift_progress' AND COLUMN_NAME = 'last_key' AND "
                                    "DATA_TYPE = 'longblob'"),
                 1);
    char bak[320], msg[2048];
    snprintf(bak, sizeof bak, "%s.migrated", src);
    long n = compare_project(my, bak, "project_id", "up", NULL, msg, sizeof msg);
    cr_assert_eq(n, 1000, "%ld rows compared: %s", n, msg);
    mysql_close(my);
}
