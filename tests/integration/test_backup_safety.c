/* Integration tests of backup names that can never be a source's, and of one
 * file being one project, through the real binary and the private server:
 * every dangerous backup option (the source dir as backup dir with an empty
 * suffix, in any spelling; suffixes -wal, -shm, -journal; a suffix the
 * pattern's names end in; a backup dir inside a recursively scanned source)
 * is a usage error that leaves every source byte (main file and -wal) and the
 * target untouched; an existing different file at a backup path fails that
 * project only, keeping its source; a backup already there with the same
 * bytes (a copy or a hard link) completes; a symlink and a hard link to a
 * project file load it once, every row compared back, and are reported. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare.h"
#include "harness.h"

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Every name under dir (files and symlinks, recursively) with its sha256,
 * sorted: equal before and after means nothing was added, removed or
 * changed. Heap string. */
static char *dir_state(const char *dir)
{
    char *s = harness_sh_out("cd \"$1\" && find . ! -type d -print0 | sort -z | xargs -0r "
                             "sha256sum && find . -type l | sort",
                             dir, NULL);
    cr_assert(*s != '\0', "state of %s: empty", dir);
    return s;
}

/* Makes dir/name a project of table big whose n rows are only in its -wal
 * (the copy is taken while the writing connection is still open). */
static void wal_project(const char *dir, const char *name, long n)
{
    char rows[32];
    snprintf(rows, sizeof rows, "%ld", n);
    cr_assert(
        harness_sh("cd \"$1\" && rm -f w.tmp w.tmp-wal && sqlite3 w.tmp \"PRAGMA "
                   "journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE big(id "
                   "INTEGER PRIMARY KEY, v TEXT, d REAL, b BLOB); PRAGMA "
                   "wal_checkpoint(TRUNCATE); WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL "
                   "SELECT n+1 FROM c WHERE n < $2) INSERT INTO big SELECT n, 'wal ' || "
                   "n, n / 3.0, randomblob(8) FROM c;\" \".shell cp w.tmp w.copy && cp w.tmp-wal "
                   "w.copy-wal\" >/dev/null && mv w.copy \"$3\" && mv w.copy-wal \"$3-wal\" && "
                   "rm -f w.tmp w.tmp-wal w.tmp-shm",
                   dir, rows, name, NULL) == 0);
    char wal[600];
    struct stat st;
    snprintf(wal, sizeof wal, "%s/%s-wal", dir, name);
    cr_assert(stat(wal, &st) == 0 && st.st_size > 0, "%s is missing or empty", wal);
}

static void compare_rows(MYSQL *my, const char *path, const char *project, long want)
{
    char msg[2048];
    long n = compare_project(my, path, "project_id", project, NULL, msg, sizeof msg);
    cr_assert(n >= 0, "project %s (%s): %s", project, path, msg);
    cr_assert_eq(n, want, "project %s: %ld rows compared, want %ld", project, n, want);
}

static long tables_in(MYSQL *my)
{
    return (long)harness_number(
        my, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()");
}

/* Each dangerous option set: exit 2 with its reason, nothing on stdout, every
 * source file (the WAL project's -wal too) byte-identical, no file added
 * anywhere, and nothing written in the target (not even the progress
 * table). The source dir lies in litelift's cwd so that it can be spelled
 * relatively. */
Test(backup_safety, dangerous_options_are_usage_errors_that_touch_nothing)
{
    MYSQL *my = harness_db("it_bk_opts");
    char sub[300], plain[300];
    const char *src = harness_tmpdir_in(harness_cwd());
    const char *rel = strrchr(src, '/') + 1;
    snprintf(sub, sizeof sub, "%s/sub", src);
    cr_assert(mkdir(sub, 0755) == 0);
    snprintf(plain, sizeof plain, "%s/plain.db", src);
    harness_big_project(my, plain, 300);
    wal_project(src, "walp.db", 200);
    char *before = dir_state(harness_cwd());
    long tables = tables_in(my);

    char dot_rel[300], rel_slash[300], src_slash[300], src_dot[300], sub_up[300];
    snprintf(dot_rel, sizeof dot_rel, "./%s", rel);
    snprintf(rel_slash, sizeof rel_slash, "%s/", rel);
    snprintf(src_slash, sizeof src_slash, "%s/", src);
    snprintf(src_dot, sizeof src_dot, "%s/.", src);
    snprintf(sub_up, sizeof sub_up, "%s/sub/..", src);
    const char *same = "is the source directory";
    const char *companion = "makes backup names end like SQLite's -wal, -shm or -journal "
                            "companion files";
    const struct {
        const char *source, *opt[6], *msg;
    } cases[] = {
        {src, {"--backup-dir", src, "--backup-suffix", ""}, same},
        {src, {"--backup-dir", src_slash, "--backup-suffix", ""}, same},
        {src, {"--backup-dir", src_dot, "--backup-suffix", ""}, same},
        {src, {"--backup-dir", sub_up, "--backup-suffix", ""}, same},
        {src, {"--backup-dir", dot_rel, "--backup-suffix", ""}, same},
        {src, {"--backup-dir", rel_slash, "--backup-suffix", ""}, same},
        {dot_rel, {"--backup-dir", src, "--backup-suffix", ""}, same},
        {rel, {"--backup-dir", dot_rel, "--backup-suffix", ""}, same},
        {src,
         {"--recursive", "--backup-dir", sub, "--backup-suffix", ""},
         "lies inside the source directory"},
        {src, {"--backup-suffix", "-wal"}, companion},
        {src, {"--backup-suffix", "-shm"}, companion},
        {src, {"--backup-suffix", "-journal"}, companion},
        {src, {"--backup-suffix", ".old-wal"}, companion},
        {src,
         {"--backup-suffix", ".db"},
         "--backup-suffix '.db' ends the names --pattern '*.db' picks (x.db): every project "
         "file would be taken for a backup and skipped"},
        {src, {"--backup-dir", "no-such-dir"}, "--backup-dir 'no-such-dir': No such file"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *args[16] = {"migrate", "--source", cases[i].source, "--target",
                                harness_url("it_bk_opts")};
        size_t n = 5;
        for (size_t k = 0; k < 6 && cases[i].opt[k] != NULL; k++)
            args[n++] = cases[i].opt[k];
        args[n] = NULL;
        struct run_result r = harness_run(args);
        cr_expect_eq(r.status, 2, "case %zu: status %d\n%s\n%s", i, r.status, r.out, r.err);
        cr_expect(strncmp(r.err, "litelift: --backup-", 19) == 0 &&
                      strstr(r.err, cases[i].msg) != NULL,
                  "case %zu: no \"%s\" in:\n%s", i, cases[i].msg, r.err);
        cr_expect_str_eq(r.out, "", "case %zu", i);
        harness_result_free(&r);
        char *after = dir_state(harness_cwd());
        cr_assert_str_eq(after, before, "case %zu changed files", i);
        free(after);
        cr_assert_eq(tables_in(my), tables, "case %zu wrote in the target", i);
    }
    free(before);
    cr_assert(exists(plain));
    mysql_close(my);
}

/* A different file already at one project's backup path fails that project
 * with the reason, keeping its source and the other file as they were; the
 * other project goes on, is renamed and compares equal row by row. */
Test(backup_safety, existing_different_backup_fails_only_its_project)
{
    MYSQL *my = harness_db("it_bk_other");
    const char *src = harness_tmpdir(), *bdir = harness_tmpdir();
    char a[300], b[300], old[300], bb[300];
    snprintf(a, sizeof a, "%s/a.db", src);
    snprintf(b, sizeof b, "%s/b.db", src);
    snprintf(old, sizeof old, "%s/a.db.migrated", bdir);
    snprintf(bb, sizeof bb, "%s/b.db.migrated", bdir);
    harness_big_project(my, a, 400);
    harness_big_project(my, b, 500);
    cr_assert(harness_sh("cp \"$1\" \"$2\" && sqlite3 \"$2\" 'DELETE FROM big WHERE id = 7'", a,
                         old, NULL) == 0);
    char *a_before = harness_sha256(a), *old_before = harness_sha256(old);
    const char *args[] = {
        "migrate", "--source", src, "--backup-dir", bdir, "--target", harness_url("it_bk_other"),
        NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    char want[1200];
    snprintf(want, sizeof want,
             "litelift: project 'a' (a.db) FAILED: backup rename: cannot rename %s: backup %s "
             "already exists\n",
             a, old);
    cr_assert(strstr(r.err, want) != NULL, "no \"%s\" in:\n%s", want, r.err);
    snprintf(want, sizeof want, "litelift: project 'b' (b.db): renamed as backup %s\n", bb);
    cr_assert(strstr(r.err, want) != NULL, "no \"%s\" in:\n%s", want, r.err);
    harness_result_free(&r);
    /* a.db and the other file are kept byte for byte; b moved */
    char *a_after = harness_sha256(a), *old_after = harness_sha256(old);
    cr_assert_str_eq(a_after, a_before, "%s changed", a);
    cr_assert_str_eq(old_after, old_before, "%s changed", old);
    cr_assert(!exists(b) && exists(bb));
    free(a_before);
    free(a_after);
    free(old_before);
    free(old_after);
    compare_rows(my, a, "a", 400);
    compare_rows(my, bb, "b", 500);
    mysql_close(my);
}

/* A backup already there that holds the source's bytes (an identical copy,
 * or a hard link left by an interrupted move) lets the move complete: the
 * source name goes, the backup keeps the bytes, the run exits 0. */
Test(backup_safety, backup_already_there_with_the_same_bytes_completes)
{
    MYSQL *my = harness_db("it_bk_same");
    const char *src = harness_tmpdir(), *bdir = harness_tmpdir();
    char a[300], b[300], ba[300], bb[300];
    snprintf(a, sizeof a, "%s/a.db", src);
    snprintf(b, sizeof b, "%s/b.db", src);
    snprintf(ba, sizeof ba, "%s/a.db.migrated", bdir);
    snprintf(bb, sizeof bb, "%s/b.db.migrated", bdir);
    harness_big_project(my, a, 300);
    harness_big_project(my, b, 350);
    cr_assert(harness_sh("cp \"$1\" \"$2\" && ln \"$3\" \"$4\" && cp \"$1\" \"$5/a.sum\"", a, ba, b,
                         bb, bdir, NULL) == 0);
    const char *args[] = {
        "migrate", "--source", src, "--backup-dir", bdir, "--target", harness_url("it_bk_same"),
        NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "\na                        validated; renamed as backup\n") != NULL,
              "%s", r.out);
    cr_assert(strstr(r.out, "\nb                        validated; renamed as backup\n") != NULL,
              "%s", r.out);
    harness_result_free(&r);
    cr_assert(!exists(a) && !exists(b));
    cr_assert(harness_sh("cmp -s \"$1\" \"$2/a.sum\"", ba, bdir, NULL) == 0);
    compare_rows(my, ba, "a", 300);
    compare_rows(my, bb, "b", 350);
    mysql_close(my);
}

/* A symlink and a hard link to a project file: the file is loaded once,
 * under its own name's id, every row compared back; both links are reported
 * naming the file; a rerun, with the file renamed, loads nothing again (the
 * hard link is the backup's, the symlink dangles). */
Test(backup_safety, symlinked_duplicate_is_loaded_once)
{
    MYSQL *my = harness_db("it_bk_dup");
    const char *src = harness_tmpdir();
    char real[300], backup[300];
    snprintf(real, sizeof real, "%s/real.db", src);
    snprintf(backup, sizeof backup, "%s/real.db.migrated", src);
    harness_big_project(my, real, 1500);
    cr_assert(harness_sh("cd \"$1\" && ln -s real.db alias.db && ln real.db twin.db", src, NULL) ==
              0);
    const char *args[] = {"migrate", "--source", src, "--target", harness_url("it_bk_dup"), NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    static const char *const links[] = {"alias.db", "twin.db"};
    for (size_t i = 0; i < 2; i++) {
        char want[900];
        snprintf(want, sizeof want,
                 "litelift: skipped %s/%s: it is the same file as %s (a symlink or hard link "
                 "to it); one file is one project\n",
                 src, links[i], real);
        cr_assert(strstr(r.err, want) != NULL, "no \"%s\" in:\n%s", want, r.err);
    }
    cr_assert(strstr(r.out, "1 project(s), 0 failed") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "\nalias ") == NULL && strstr(r.out, "\ntwin ") == NULL, "%s", r.out);
    harness_result_free(&r);
    cr_assert_eq(harness_number(my, "SELECT COUNT(DISTINCT project_id) FROM big"), 1);
    compare_rows(my, backup, "real", 1500);

    r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    char want[900];
    snprintf(want, sizeof want,
             "litelift: skipped %s/twin.db: it is the same file as %s (a symlink or hard link "
             "to it); one file is one project\n",
             src, backup);
    cr_assert(strstr(r.err, want) != NULL, "no \"%s\" in:\n%s", want, r.err);
    harness_result_free(&r);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM big"), 1500);
    compare_rows(my, backup, "real", 1500);
    mysql_close(my);
}
