/* Integration tests of hostile names and files through the real binary:
 * control characters and invalid UTF-8 in file names and project ids escaped
 * in the summary, the log and `status` while the rows keep the id byte for
 * byte; numeric options out of range; SIGHUP stopping at a batch boundary
 * like SIGTERM; a closed stdout (SIGPIPE) not losing the summary; FIFOs,
 * sockets, a FIFO companion, dangling symlinks and hidden files among the
 * project files; a WAL-mode file in a directory litelift cannot write; a file
 * litelift cannot read (the last two run as user nobody with setpriv). */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compare.h"
#include "harness.h"

/* Asserts that text holds no raw control character but newlines and tabs. */
static void expect_no_controls(const char *what, const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++)
        cr_assert(*p >= 0x20 || *p == '\n' || *p == '\t', "%s holds raw byte 0x%02x at %zu:\n%s",
                  what, *p, (size_t)(p - (const unsigned char *)text), text);
}

Test(hostile, control_characters_in_names_are_escaped_and_the_id_kept_exact, .timeout = 120)
{
    MYSQL *my = harness_db("it_hostile_names");
    const char *dir = harness_tmpdir();
    const char *id = "evil\nlitelift: project 'x' FAILED\x1b[31m\x7f";
    char path[512];
    snprintf(path, sizeof path, "%s/%s.db", dir, id);
    harness_big_project(my, path, 50);
    const char *args[] = {"migrate", "--source", dir, "--target", harness_url("it_hostile_names"),
                          NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    expect_no_controls("stdout", r.out);
    expect_no_controls("stderr", r.err);
    const char *shown = "evil\\nlitelift: project 'x' FAILED\\x1b[31m\\x7f";
    cr_assert(strstr(r.out, shown) != NULL, "%s", r.out);
    cr_assert(strstr(r.err, shown) != NULL, "%s", r.err);
    cr_assert(strstr(r.out, "\nlitelift: project") == NULL, "a forged line:\n%s", r.out);
    harness_result_free(&r);
    harness_expect_project(my, dir, id, 50); /* the raw id, byte for byte */

    const char *st[] = {"status", "--target", harness_url("it_hostile_names"), NULL};
    r = harness_run(st);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    expect_no_controls("status", r.out);
    cr_assert(strstr(r.out, shown) != NULL, "%s", r.out);
    harness_result_free(&r);
    mysql_close(my);
}

Test(hostile, invalid_utf8_in_a_file_name_is_escaped, .timeout = 60)
{
    const char *dir = harness_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/caf\xe9\x1b.db", dir);
    cr_assert_eq(harness_sh("sqlite3 \"$1\" 'CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); "
                            "INSERT INTO t VALUES (1, 2)'",
                            path, NULL),
                 0);
    const char *args[] = {"migrate",   "--source",  dir, "--target", "mysql://u@localhost/db",
                          "--dry-run", "--offline", NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    char line[128];
    snprintf(line, sizeof line, "\n%-24s %-24s %12d ", "caf\\xe9\\x1b", "t", 1);
    cr_assert(strstr(r.out, line) != NULL, "no \"%s\" in:\n%s", line, r.out);
    cr_assert(strchr(r.out, '\xe9') == NULL && strchr(r.err, '\xe9') == NULL, "%s\n%s", r.out,
              r.err);
    harness_result_free(&r);
}

Test(hostile, numeric_options_out_of_range_are_usage_errors, .timeout = 60)
{
    static const struct {
        const char *opt, *value, *msg;
    } cases[] = {
        {"--batch-rows", "99999999999999999999999",
         "litelift: --batch-rows needs a number from 1 to 1000000\n"},
        {"--batch-rows", "18446744073709551615",
         "litelift: --batch-rows needs a number from 1 to 1000000\n"},
        {"--batch-bytes", "1099511627776",
         "litelift: --batch-bytes needs a number from 1 to 1073741824\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *args[] = {"migrate",
                              "--source",
                              harness_tmpdir(),
                              "--target",
                              "mysql://u@localhost/db",
                              cases[i].opt,
                              cases[i].value,
                              NULL};
        struct run_result r = harness_run(args);
        cr_assert_eq(r.status, 2, "%s %s: %s\n%s", cases[i].opt, cases[i].value, r.out, r.err);
        cr_assert_str_eq(r.err, cases[i].msg);
        cr_assert_str_eq(r.out, "");
        harness_result_free(&r);
    }
}

Test(hostile, sighup_stops_at_a_batch_boundary_like_sigterm, .timeout = 300)
{
    const char *dir = harness_tmpdir();
    MYSQL *my = harness_db("it_hostile_hup");
    char big[300];
    snprintf(big, sizeof big, "%s/big.db", dir);
    harness_big_project(my, big, 20000);
    const char *args[] = {"migrate",
                          "--source",
                          dir,
                          "--batch-rows",
                          "100",
                          "--target",
                          harness_url("it_hostile_hup"),
                          NULL};
    int pid = harness_spawn(args);
    MYSQL *hold = harness_hold("it_hostile_hup", "big", "big", 100);
    cr_assert(kill(pid, SIGHUP) == 0);
    harness_release(hold);
    int sig;
    struct run_result r = harness_wait(pid, &sig);
    cr_assert_eq(sig, 0, "litelift was killed by signal %d", sig);
    cr_assert_eq(r.status, 3, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.out, "\nbig                      interrupted at a batch boundary\n") != NULL,
              "%s", r.out);
    cr_assert(strstr(r.out, "; INTERRUPTED\n") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "\nnext: rerun the same command to continue\n") != NULL, "%s", r.out);
    harness_result_free(&r);
    long partial = compare_count(my, "big", "project_id", "big");
    cr_assert(partial > 0 && partial < 20000 && partial % 100 == 0, "%ld rows", partial);
    r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    harness_result_free(&r);
    harness_expect_project(my, dir, "big", 20000);
    mysql_close(my);
}

/* Runs litelift with args and its stdout a pipe whose reader is gone. */
static struct run_result run_into_closed_pipe(const char *const *args)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    close(fds[0]);
    char *bin = harness_bin();
    const char *argv[16] = {"litelift"};
    size_t n = 1;
    while (args[n - 1] != NULL && n < 15) {
        argv[n] = args[n - 1];
        n++;
    }
    char errpath[512];
    snprintf(errpath, sizeof errpath, "%s/err", harness_tmpdir());
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        if (dup2(fds[1], 1) < 0 || freopen(errpath, "w", stderr) == NULL ||
            chdir(harness_cwd()) != 0)
            _exit(126);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    free(bin);
    int st;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    char *err = harness_sh_out("cat \"$1\"", errpath, NULL);
    struct run_result r = {WIFEXITED(st) ? WEXITSTATUS(st) : -1, strdup(""), err};
    return r;
}

Test(hostile, a_closed_stdout_does_not_lose_the_summary, .timeout = 120)
{
    const char *dir = harness_tmpdir();
    MYSQL *my = harness_db("it_hostile_pipe");
    char path[300];
    snprintf(path, sizeof path, "%s/piped.db", dir);
    harness_big_project(my, path, 40);
    const char *args[] = {"migrate", "--source", dir, "--target", harness_url("it_hostile_pipe"),
                          NULL};
    struct run_result r = run_into_closed_pipe(args);
    cr_assert_eq(r.status, 0, "killed or failed (status %d):\n%s", r.status, r.err);
    cr_assert(strstr(r.err, "litelift: cannot write the summary to standard output (Broken pipe); "
                            "here it is:\nproject ") != NULL,
              "%s", r.err);
    cr_assert(strstr(r.err, "\n1 project(s), 0 failed, 0 row(s) rejected\n") != NULL, "%s", r.err);
    harness_result_free(&r);
    harness_expect_project(my, dir, "piped", 40);
    mysql_close(my);
}

/* Makes a unix socket file at path. */
static void make_socket(const char *path)
{
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    cr_assert(s >= 0 && strlen(path) < sizeof a.sun_path);
    strcpy(a.sun_path, path);
    cr_assert_eq(bind(s, (struct sockaddr *)&a, sizeof a), 0, "bind %s", path);
    close(s);
}

Test(hostile, special_files_are_refused_without_opening_them, .timeout = 120)
{
    MYSQL *my = harness_db("it_hostile_files");
    const char *dir = harness_tmpdir();
    char p[6][300];
    snprintf(p[0], sizeof p[0], "%s/good.db", dir);
    snprintf(p[1], sizeof p[1], "%s/withfifo.db", dir);
    harness_big_project(my, p[0], 30);
    harness_big_project(my, p[1], 10);
    snprintf(p[2], sizeof p[2], "%s/withfifo.db-journal", dir);
    snprintf(p[3], sizeof p[3], "%s/pipe.db", dir);
    snprintf(p[4], sizeof p[4], "%s/sock.db", dir);
    snprintf(p[5], sizeof p[5], "%s/.hidden.db", dir);
    cr_assert_eq(mkfifo(p[2], 0600), 0);
    cr_assert_eq(mkfifo(p[3], 0600), 0);
    make_socket(p[4]);
    cr_assert_eq(
        harness_sh("cd \"$1\" && ln -s nowhere.db dangling.db && cp good.db .hidden.db", dir, NULL),
        0);
    const char *args[] = {"migrate", "--source", dir, "--target", harness_url("it_hostile_files"),
                          NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    char want[1024];
    snprintf(want, sizeof want,
             "\ndangling                 FAILED: %s/dangling.db is a dangling symlink (to "
             "nowhere.db, which does not exist)\n",
             dir);
    cr_assert(strstr(r.out, want) != NULL, "%s", r.out);
    snprintf(want, sizeof want,
             "\npipe                     FAILED: %s is a FIFO, not a regular file: not opened\n",
             p[3]);
    cr_assert(strstr(r.out, want) != NULL, "%s", r.out);
    snprintf(want, sizeof want,
             "\nsock                     FAILED: %s is a socket, not a regular file: not opened\n",
             p[4]);
    cr_assert(strstr(r.out, want) != NULL, "%s", r.out);
    snprintf(want, sizeof want,
             "\nwithfifo                 FAILED: %s is a FIFO, not a regular file: not opened\n",
             p[2]);
    cr_assert(strstr(r.out, want) != NULL, "%s", r.out);
    snprintf(want, sizeof want,
             "litelift: skipped %s: a hidden file (--pattern *.db does not match a name starting "
             "with '.'; a pattern that does, e.g. '.*.db', includes it)\n",
             p[5]);
    cr_assert(strstr(r.err, want) != NULL, "%s", r.err);
    cr_assert(strstr(r.out, "\n5 project(s), 4 failed, 0 row(s) rejected\n") != NULL, "%s", r.out);
    harness_result_free(&r);
    harness_expect_project(my, dir, "good", 30);
    cr_assert_eq(compare_count(my, "big", "project_id", "withfifo"), 0);
    cr_assert_eq(compare_count(my, "big", "project_id", ".hidden"), 0);
    mysql_close(my);
}

/* Runs a dry-run of source (relative to dir) as user nobody; returns its
 * output and status line. */
static char *dry_run_as_nobody(const char *dir, const char *source)
{
    char *bin = harness_bin();
    char *out = harness_sh_out("cd \"$1\" && setpriv --reuid=65534 --regid=65534 --clear-groups "
                               "\"$2\" migrate --source \"$3\" --target mysql://u@localhost/db "
                               "--dry-run --offline --rejects rej 2>&1; echo \"status $?\"",
                               dir, bin, source, NULL);
    free(bin);
    return out;
}

Test(hostile, wal_file_in_a_directory_litelift_cannot_write, .timeout = 120)
{
    MYSQL *my = harness_db("it_hostile_wal");
    const char *dir = harness_tmpdir_in("/tmp");
    cr_assert_eq(chmod(dir, 0755), 0);
    char path[300];
    snprintf(path, sizeof path, "%s/src/w.db", dir);
    cr_assert_eq(
        harness_sh("mkdir -m 755 \"$1/src\" \"$1/src2\" && mkdir -m 777 \"$1/rej\"", dir, NULL), 0);
    harness_big_project(my, path, 20);
    /* w.db: WAL mode, no -wal left; src2/w2.db: a copy taken with changes
     * still in its -wal */
    cr_assert_eq(harness_sh("cd \"$1\" && sqlite3 src/w.db 'PRAGMA journal_mode=WAL' >/dev/null && "
                            "cp src/w.db w2.db && sqlite3 w2.db 'PRAGMA wal_autocheckpoint=0; "
                            "INSERT INTO big(id) VALUES (-1);' '.shell cp w2.db w2.db-wal src2/' "
                            ">/dev/null && test -s src2/w2.db-wal && chmod 555 src src2 && "
                            "chmod 644 src/* src2/*",
                            dir, NULL),
                 0);
    char *out = dry_run_as_nobody(dir, "src");
    cr_assert(strstr(out, "\n1 project(s), 0 failed, 0 row(s) rejected (dry run: nothing was "
                          "written)\n") != NULL &&
                  strstr(out, "\nstatus 0\n") != NULL,
              "%s", out);
    char line[128];
    snprintf(line, sizeof line, "\n%-24s %-24s %12d ", "w", "big", 20);
    cr_assert(strstr(out, line) != NULL, "no \"%s\" in:\n%s", line, out);
    free(out);
    out = dry_run_as_nobody(dir, "src2");
    cr_assert(strstr(out, "FAILED: src2/w2.db: a WAL-mode database in a directory litelift cannot "
                          "write: SQLite must create src2/w2.db-shm to read it, and "
                          "src2/w2.db-wal holds changes not yet in the file;") != NULL,
              "%s", out);
    cr_assert(strstr(out, "\nstatus 1\n") != NULL, "%s", out);
    free(out);
    cr_assert_eq(harness_sh("chmod 755 \"$1/src\" \"$1/src2\"", dir, NULL), 0);
    mysql_close(my);
}

Test(hostile, an_unreadable_file_fails_its_project_by_name, .timeout = 120)
{
    MYSQL *my = harness_db("it_hostile_unreadable");
    const char *dir = harness_tmpdir_in("/tmp");
    cr_assert_eq(chmod(dir, 0755), 0);
    char path[300];
    snprintf(path, sizeof path, "%s/src/ok.db", dir);
    cr_assert_eq(harness_sh("mkdir -m 755 \"$1/src\" && mkdir -m 777 \"$1/rej\"", dir, NULL), 0);
    harness_big_project(my, path, 5);
    cr_assert_eq(harness_sh("cd \"$1/src\" && cp ok.db locked.db && chmod 644 ok.db && "
                            "chmod 000 locked.db",
                            dir, NULL),
                 0);
    char *out = dry_run_as_nobody(dir, "src");
    cr_assert(strstr(out, "\nlocked                   FAILED: src/locked.db: cannot read it: "
                          "Permission denied\n") != NULL,
              "%s", out);
    cr_assert(strstr(out, "\n2 project(s), 1 failed, 0 row(s) rejected") != NULL, "%s", out);
    cr_assert(strstr(out, "\nstatus 1\n") != NULL, "%s", out);
    free(out);
    mysql_close(my);
}
