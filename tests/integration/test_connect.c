/* Integration tests of how litelift connects, through the real binary:
 * - against a second private MariaDB that listens on 127.0.0.1 with TLS and
 *   require_secure_transport=ON (scripts/testdb.sh start DIR tls, certificates
 *   made by openssl at test time), started and stopped by each test here:
 *   logins with VERIFY_CA and VERIFY_IDENTITY (options and URL parameters,
 *   `localhost:PORT` meaning TCP), the run stating "connected to
 *   127.0.0.1:PORT (MariaDB ...) over TLSv1.x, cipher ...", refusal with a
 *   wrong CA, the refused non-TLS login naming TLS as the likely cause, an
 *   IPv6 host [::1]:PORT named in its error, an option file's [litelift]
 *   group giving the whole login (and refused where it would replace the
 *   URL's CA), and, with require_secure_transport switched
 *   off, the warning for a password sent over unencrypted TCP;
 * - against the usual private server (its socket): option-file
 *   (--defaults-file, ~/.my.cnf), MYSQL_PWD, --password-file and prompt (-p,
 *   through a pseudo-terminal made by `script`) logins, a wrong password file;
 *   a password in the URL warned about and never shown by ps or
 *   /proc/PID/cmdline while the run waits for a table another session locked.
 * Every load is compared back with its source, and no output of any run
 * holds a password. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "harness.h"

/* ------------------------------------------------------------ helpers ---- */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL, "cannot write %s", path);
    cr_assert(fputs(text, f) >= 0);
    cr_assert(fclose(f) == 0);
}

/* A source dir holding one project `p1` of n rows (table big, created in db). */
static const char *one_project(MYSQL *my, long n)
{
    const char *dir = harness_tmpdir();
    char path[1024];
    snprintf(path, sizeof path, "%s/p1.db", dir);
    harness_big_project(my, path, n);
    return dir;
}

/* Compares project p1 of dir (renamed to a backup by the run) with db. */
static void compare_p1(MYSQL *my, const char *dir, long n)
{
    char path[1024], msg[2048];
    snprintf(path, sizeof path, "%s/p1.db.migrated", dir);
    long got = compare_project(my, path, "project_id", "p1", NULL, msg, sizeof msg);
    cr_assert_eq(got, n, "p1: %ld rows compared (want %ld): %s", got, n, msg);
}

/* Asserts that a run's output holds no password. */
static void no_password_in(const struct run_result *r, const char *password)
{
    cr_assert(strstr(r->out, password) == NULL && strstr(r->err, password) == NULL,
              "the password %s shows in:\n%s\n%s", password, r->out, r->err);
}

/* ------------------------------------------------------ the TLS server ---- */

static char tls_dir[512];
static unsigned tls_port;

static void tls_start(void)
{
    snprintf(tls_dir, sizeof tls_dir, "%s", harness_tmpdir());
    cr_assert(harness_sh("scripts/testdb.sh start \"$1\" tls >/dev/null", tls_dir, NULL) == 0,
              "the TLS server did not start");
    char *port = harness_sh_out("cat \"$1\"/port", tls_dir, NULL);
    tls_port = (unsigned)strtoul(port, NULL, 10);
    free(port);
    cr_assert(tls_port > 0);
}

static void tls_stop(void)
{
    harness_sh("scripts/testdb.sh stop \"$1\" >/dev/null", tls_dir, NULL);
}

/* The TLS server's certificate file name (ca.pem, wrong-ca.pem). */
static const char *cert(const char *name)
{
    static char path[2][600];
    static int which;
    which ^= 1;
    snprintf(path[which], sizeof path[which], "%s/certs/%s", tls_dir, name);
    return path[which];
}

/* A connection to the TLS server through its socket (always allowed). */
static MYSQL *tls_db(const char *db)
{
    MYSQL *my = harness_server_in(tls_dir);
    char sql[256];
    snprintf(sql, sizeof sql, "CREATE DATABASE IF NOT EXISTS `%s` CHARACTER SET utf8mb4", db);
    harness_exec(my, sql);
    cr_assert(mysql_select_db(my, db) == 0);
    return my;
}

/* URL of database db on the TLS server: HOST:PORT, then query (may be ""). */
static const char *tls_url(const char *host, const char *db, const char *query)
{
    static char url[2][1600];
    static int which;
    which ^= 1;
    snprintf(url[which], sizeof url[which], "mysql://litelift@%s:%u/%s%s", host, tls_port, db,
             query);
    return url[which];
}

Test(connect, tls_verify_ca_and_identity, .init = tls_start, .fini = tls_stop, .timeout = 120)
{
    setenv("MYSQL_PWD", "lite pass", 1);
    MYSQL *my = tls_db("it_tls");
    const char *dir = one_project(my, 300);
    char want[256];
    snprintf(want, sizeof want, "litelift: connected to 127.0.0.1:%u (MariaDB 10.", tls_port);

    /* VERIFY_CA, as options */
    const char *a1[] = {
        "migrate",    "--source",  dir,        "--target",     tls_url("127.0.0.1", "it_tls", ""),
        "--ssl-mode", "VERIFY_CA", "--ssl-ca", cert("ca.pem"), NULL};
    struct run_result r = harness_run(a1);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    const char *line = strstr(r.err, want);
    cr_assert(line != NULL, "no \"%s\" in:\n%s", want, r.err);
    cr_assert(strstr(line, ") over TLSv1.") != NULL && strstr(line, ", cipher ") != NULL, "%s",
              r.err);
    cr_assert(strstr(r.err, "WARNING") == NULL, "%s", r.err);
    no_password_in(&r, "lite pass");
    compare_p1(my, dir, 300);
    harness_result_free(&r);

    /* VERIFY_IDENTITY, as URL parameters, with localhost:PORT meaning TCP:
     * the server's certificate names localhost; verify reads the backup */
    char query[1200];
    snprintf(query, sizeof query, "?ssl-mode=VERIFY_IDENTITY&ssl-ca=%s", cert("ca.pem"));
    const char *a2[] = {
        "verify", "--source", dir, "--target", tls_url("localhost", "it_tls", query), NULL};
    r = harness_run(a2);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    snprintf(want, sizeof want, "litelift: connected to localhost:%u (MariaDB 10.", tls_port);
    cr_assert(strstr(r.err, want) != NULL, "no \"%s\" in:\n%s", want, r.err);
    cr_assert(strstr(r.err, "over TLSv1.") != NULL, "%s", r.err);
    harness_result_free(&r);

    /* a CA that did not sign the server's certificate: refused, naming host:port */
    const char *a3[] = {"status",
                        "--target",
                        tls_url("127.0.0.1", "it_tls", ""),
                        "--ssl-mode",
                        "VERIFY_CA",
                        "--ssl-ca",
                        cert("wrong-ca.pem"),
                        NULL};
    r = harness_run(a3);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    snprintf(want, sizeof want,
             "litelift: cannot connect to 127.0.0.1:%u as litelift (database it_tls): MySQL "
             "error 2026: TLS/SSL error: ",
             tls_port);
    cr_assert(strstr(r.err, want) != NULL, "no \"%s\" in:\n%s", want, r.err);
    cr_assert(strstr(r.err, "certificate") != NULL, "%s", r.err);
    harness_result_free(&r);

    /* VERIFY_CA without a CA to verify with: refused before connecting */
    const char *a4[] = {"status", "--target", tls_url("127.0.0.1", "it_tls", "?ssl-mode=VERIFY_CA"),
                        NULL};
    r = harness_run(a4);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "litelift: ssl-mode VERIFY_CA needs the CA to check the server's "
                            "certificate with: --ssl-ca FILE or --ssl-capath DIR") != NULL,
              "%s", r.err);
    harness_result_free(&r);
    mysql_close(my);
}

Test(connect, tls_refusals_and_warnings, .init = tls_start, .fini = tls_stop, .timeout = 120)
{
    MYSQL *my = tls_db("it_tls2");
    const char *dir = one_project(my, 50);
    /* no TLS against require_secure_transport: the server only says "Access
     * denied"; litelift names TLS as the likely cause */
    setenv("MYSQL_PWD", "lite pass", 1);
    const char *a1[] = {"migrate", "--source", dir, "--target", tls_url("127.0.0.1", "it_tls2", ""),
                        NULL};
    struct run_result r = harness_run(a1);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    char want[2048];
    snprintf(want, sizeof want,
             "litelift: cannot connect to 127.0.0.1:%u as litelift (database it_tls2): MySQL "
             "error 1045: Access denied for user 'litelift'@'localhost' (using password: YES) "
             "(no TLS was asked for: if the server requires TLS (require_secure_transport, or "
             "an account REQUIRE SSL), that is the likely cause: use --ssl-mode VERIFY_IDENTITY "
             "--ssl-ca FILE, or REQUIRED)\n",
             tls_port);
    cr_assert(strstr(r.err, want) != NULL, "no \"%s\" in:\n%s", want, r.err);
    cr_assert_eq(harness_number(my, "SELECT COUNT(*) FROM big"), 0);
    harness_result_free(&r);

    /* an IPv6 host where nothing listens: the error names [::1]:PORT */
    const char *a4[] = {"status", "--target", tls_url("[::1]", "it_tls2", ""), NULL};
    r = harness_run(a4);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    snprintf(want, sizeof want,
             "litelift: cannot connect to [::1]:%u as litelift (database it_tls2): MySQL error ",
             tls_port);
    cr_assert(strstr(r.err, want) != NULL, "no \"%s\" in:\n%s", want, r.err);
    harness_result_free(&r);

    /* the whole login from an option file's [litelift] group; the URL names
     * only the database */
    unsetenv("MYSQL_PWD");
    char cnf[1024], text[2048];
    snprintf(cnf, sizeof cnf, "%s/lite.cnf", harness_tmpdir());
    snprintf(text, sizeof text,
             "[client]\nhost=127.0.0.1\nport=%u\n[mysqldump]\nuser=nobody\n[litelift]\n"
             "user=litelift\npassword=lite pass\nssl-ca=%s\nssl-verify-server-cert\n",
             tls_port, cert("ca.pem"));
    write_file(cnf, text);
    const char *a2[] = {"migrate",          "--source",        dir, "--target",
                        "mysql:///it_tls2", "--defaults-file", cnf, NULL};
    r = harness_run(a2);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    snprintf(want, sizeof want, "litelift: connected to 127.0.0.1:%u (MariaDB 10.", tls_port);
    cr_assert(strstr(r.err, want) != NULL && strstr(r.err, "over TLSv1.") != NULL, "%s", r.err);
    no_password_in(&r, "lite pass");
    compare_p1(my, dir, 50);
    harness_result_free(&r);

    /* the same option file with a URL naming another CA: the library reads the
     * option files last, so theirs would win; litelift refuses instead */
    char url[1600];
    snprintf(url, sizeof url, "mysql:///it_tls2?ssl-ca=%s", cert("wrong-ca.pem"));
    const char *a5[] = {"status", "--target", url, "--defaults-file", cnf, NULL};
    r = harness_run(a5);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    snprintf(want, sizeof want,
             "litelift: an option file's ssl-ca (%s) replaced the one asked for (%s), as the "
             "client library reads option files last",
             cert("ca.pem"), cert("wrong-ca.pem"));
    cr_assert(strstr(r.err, want) != NULL, "no \"%s\" in:\n%s", want, r.err);
    harness_result_free(&r);

    /* require_secure_transport off: a plain TCP login works, is said to be
     * unencrypted, and the password travelling so is warned about */
    harness_exec(my, "SET GLOBAL require_secure_transport = OFF");
    setenv("MYSQL_PWD", "lite pass", 1);
    const char *a3[] = {"verify", "--source", dir, "--target", tls_url("127.0.0.1", "it_tls2", ""),
                        NULL};
    r = harness_run(a3);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    char head[256];
    snprintf(head, sizeof head, "litelift: connected to 127.0.0.1:%u (MariaDB 10.", tls_port);
    const char *line = strstr(r.err, head);
    cr_assert(line != NULL, "%s", r.err);
    cr_assert(strstr(line, ") over an unencrypted TCP connection\n") != NULL, "%s", r.err);
    cr_assert(strstr(r.err, "litelift: WARNING: the password was sent over an unencrypted TCP "
                            "connection, where others on the network can capture it") != NULL,
              "%s", r.err);
    no_password_in(&r, "lite pass");
    harness_result_free(&r);
    mysql_close(my);
}

/* -------------------------------------------- credentials, the usual server */

/* The usual server's URL of db without user and password. */
static const char *bare_url(const char *db)
{
    static char url[1024];
    snprintf(url, sizeof url, "mysql://localhost/%s?socket=%s", db, harness_socket());
    return url;
}

/* Migrates a 40-row project p1 into db with extra args; checks the rows. */
static void migrate_with(const char *db, const char *const *extra, const char *user_url)
{
    MYSQL *my = harness_db(db);
    const char *dir = one_project(my, 40);
    const char *args[16] = {"migrate", "--source", dir, "--target", user_url};
    size_t n = 5;
    for (size_t i = 0; extra[i] != NULL; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s: %s\n%s", db, r.out, r.err);
    char want[700];
    snprintf(want, sizeof want, "litelift: connected through the socket %s (MariaDB 10.",
             harness_socket());
    cr_assert(strstr(r.err, want) != NULL, "no \"%s\" in:\n%s", want, r.err);
    no_password_in(&r, harness_password());
    compare_p1(my, dir, 40);
    harness_result_free(&r);
    mysql_close(my);
}

Test(connect, option_files_mysql_pwd_and_password_file)
{
    char user_url[1024];
    snprintf(user_url, sizeof user_url, "mysql://%s@localhost/it_cred1?socket=%s", harness_user(),
             harness_socket());
    const char *tmp = harness_tmpdir();
    char path[1024], text[1024];

    /* --defaults-file: user and password from [client] */
    snprintf(path, sizeof path, "%s/client.cnf", tmp);
    snprintf(text, sizeof text, "[client]\nuser=%s\npassword=%s\n", harness_user(),
             harness_password());
    write_file(path, text);
    migrate_with("it_cred1", (const char *[]){"--defaults-file", path, NULL}, bare_url("it_cred1"));

    /* ~/.my.cnf, read by default: the [litelift] group over [client] */
    snprintf(text, sizeof text,
             "[client]\nuser=nobody\npassword=wrong\n[litelift]\nuser=%s\n"
             "password=%s\n",
             harness_user(), harness_password());
    snprintf(path, sizeof path, "%s/.my.cnf", tmp);
    write_file(path, text);
    setenv("HOME", tmp, 1);
    migrate_with("it_cred2", (const char *[]){NULL}, bare_url("it_cred2"));
    /* ... which --no-defaults leaves unread */
    snprintf(user_url, sizeof user_url, "mysql://%s@localhost/it_cred2?socket=%s", harness_user(),
             harness_socket());
    const char *a[] = {"status", "--target", user_url, "--no-defaults", NULL};
    struct run_result r = harness_run(a);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "MySQL error 1045: Access denied for user 'litelift'@'localhost' "
                            "(using password: NO)") != NULL,
              "%s", r.err);
    harness_result_free(&r);
    unsetenv("HOME");

    /* MYSQL_PWD */
    setenv("MYSQL_PWD", harness_password(), 1);
    snprintf(user_url, sizeof user_url, "mysql://%s@localhost/it_cred3?socket=%s", harness_user(),
             harness_socket());
    migrate_with("it_cred3", (const char *[]){"--no-defaults", NULL}, user_url);
    unsetenv("MYSQL_PWD");

    /* --password-file: its first line */
    snprintf(path, sizeof path, "%s/pw", tmp);
    snprintf(text, sizeof text, "%s\nnot this line\n", harness_password());
    write_file(path, text);
    snprintf(user_url, sizeof user_url, "mysql://%s@localhost/it_cred4?socket=%s", harness_user(),
             harness_socket());
    migrate_with("it_cred4", (const char *[]){"--password-file", path, NULL}, user_url);

    /* a password file that is not there: a usage error, nothing runs */
    const char *b[] = {"status", "--target", user_url, "--password-file", "/nonexistent/pw", NULL};
    r = harness_run(b);
    cr_assert_eq(r.status, 2, "%s\n%s", r.out, r.err);
    cr_assert_str_eq(r.err, "litelift: cannot open --password-file /nonexistent/pw: No such file "
                            "or directory\n");
    harness_result_free(&r);

    /* -p without a terminal: a usage error */
    char *bin = harness_bin();
    char *said = harness_sh_out("\"$2\" status --target \"$1\" -p </dev/null 2>&1; "
                                "echo \"status $?\"",
                                user_url, bin, NULL);
    free(bin);
    cr_assert_str_eq(said, "litelift: --password (-p) asks on a terminal, and the standard "
                           "input is none: use --password-file FILE, an option file or "
                           "MYSQL_PWD\nstatus 2\n");
    free(said);
}

Test(connect, password_prompt_on_a_terminal, .timeout = 120)
{
    MYSQL *my = harness_db("it_prompt");
    const char *dir = one_project(my, 30);
    char url[1024], cmd[2048];
    snprintf(url, sizeof url, "mysql://%s@localhost/it_prompt?socket=%s", harness_user(),
             harness_socket());
    char *bin = harness_bin();
    snprintf(cmd, sizeof cmd, "'%s' migrate --source '%s' --target '%s' --no-defaults -p", bin, dir,
             url);
    free(bin);
    /* `script` gives litelift a pseudo-terminal; the password is typed only
     * once the prompt is there, as a person would */
    const char *tmp = harness_tmpdir();
    int rc = harness_sh("cd \"$1\" || exit 1; mkfifo in || exit 1; "
                        "{ script -qec \"$2\" /dev/null <in >out 2>&1; echo $? >rc; } & "
                        "exec 3>\"$1/in\"; "
                        "until grep -q 'Enter password: ' out 2>/dev/null || [ -e rc ]; do "
                        "sleep 0.05; done; printf '%s\\n' \"$3\" >&3; exec 3>&-; wait",
                        tmp, cmd, harness_password(), NULL);
    cr_assert_eq(rc, 0);
    char *status = harness_sh_out("cat \"$1/rc\"", tmp, NULL);
    char *out = harness_sh_out("cat \"$1/out\"", tmp, NULL);
    cr_assert_str_eq(status, "0\n", "%s", out);
    cr_assert(strstr(out, "Enter password: ") != NULL, "%s", out);
    cr_assert(strstr(out, harness_password()) == NULL, "the password was echoed:\n%s", out);
    compare_p1(my, dir, 30);
    free(status);
    free(out);
    mysql_close(my);
}

/* /proc/PID/cmdline of pid, NULs turned into spaces (a heap string). */
static char *cmdline_of(int pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
    FILE *f = fopen(path, "rb");
    cr_assert(f != NULL);
    char *s = calloc(8192, 1);
    size_t n = fread(s, 1, 8191, f);
    fclose(f);
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\0')
            s[i] = ' ';
    return s;
}

Test(connect, ps_never_shows_the_url_password, .timeout = 120)
{
    MYSQL *my = harness_db("it_ps");
    const char *dir = one_project(my, 1000);
    const char *url = harness_url("it_ps"); /* mysql://litelift:lite%20pass@... */
    cr_assert(strstr(url, ":lite%20pass@") != NULL, "%s", url);
    char target[1100];
    snprintf(target, sizeof target, "--target=%s", url);
    const char *args[] = {"migrate", "--source", dir, target, "--batch-rows",
                          "100",     "--jobs",   "1", NULL};
    /* the table locked first: litelift waits for it, alive, well past parsing */
    MYSQL *hold = harness_db_keep("it_ps");
    harness_exec(hold, "LOCK TABLES big WRITE");
    int pid = harness_spawn(args);
    long long waiting = harness_wait_number(
        my,
        "SELECT COUNT(*) FROM information_schema.processlist WHERE db = 'it_ps' AND "
        "state LIKE 'Waiting for table%lock'",
        1, pid);
    cr_assert_eq(harness_exited(pid), 0, "litelift ended before it waited for the lock");
    cr_assert_geq(waiting, 1);
    char *cmdline = cmdline_of(pid);
    char spid[16];
    snprintf(spid, sizeof spid, "%d", pid);
    char *ps = harness_sh_out("ps -o args= -p \"$1\"", spid, NULL);
    harness_release(hold);
    struct run_result r = harness_wait(pid, NULL);
    cr_assert(strstr(cmdline, "--target=mysql://litelift:xxxxxxxxxxx@localhost/it_ps") != NULL,
              "%s", cmdline);
    cr_assert(strstr(cmdline, "lite%20pass") == NULL, "%s", cmdline);
    cr_assert(strstr(ps, "lite%20pass") == NULL && strstr(ps, "xxxxxxxxxxx@") != NULL, "%s", ps);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "litelift: WARNING: the target URL holds a password") != NULL, "%s",
              r.err);
    no_password_in(&r, "lite%20pass");
    no_password_in(&r, "lite pass");
    compare_p1(my, dir, 1000);
    free(cmdline);
    free(ps);
    harness_result_free(&r);
    mysql_close(my);
}
