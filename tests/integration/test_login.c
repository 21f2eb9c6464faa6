/* Integration tests of --defaults-extra-file (src/optfile.c, src/login.c):
 * read after the usual option files (~/.my.cnf here), its values win over
 * them while the URL wins over it; bare options and quoted values as the
 * mysql client reads them; usage errors for a missing file, an !include and
 * the options it cannot go with. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

/* Writes text to the file dir/name, whose path goes to out (outsize bytes);
 * returns out. */
static const char *put(const char *dir, const char *name, const char *text, char *out,
                       size_t outsize)
{
    snprintf(out, outsize, "%s/%s", dir, name);
    FILE *f = fopen(out, "w");
    cr_assert(f != NULL, "cannot write %s", out);
    cr_assert(fputs(text, f) >= 0 && fclose(f) == 0);
    return out;
}

Test(login, defaults_extra_file_wins_over_the_usual_files_and_the_url_over_it, .timeout = 120)
{
    MYSQL *my = harness_db("it_extra");
    const char *dir = harness_tmpdir(), *home = harness_tmpdir();
    char path[1024], home_cnf[1024], extra[1024], text[1024], url[1024];
    snprintf(path, sizeof path, "%s/p1.db", dir);
    harness_big_project(my, path, 40);
    /* ~/.my.cnf names a wrong login in both groups */
    put(home, ".my.cnf", "[client]\nuser=nobody\npassword=wrong\n[litelift]\npassword=wrong2\n",
        home_cnf, sizeof home_cnf);
    setenv("HOME", home, 1);
    /* the extra file: [client] then [litelift] (the later line wins), a bare
     * option, a quoted value, underscores for dashes, a group of another tool */
    snprintf(text, sizeof text,
             "# the night's login\n[mysqldump]\nuser=dumper\n[client]\nuser=%s\npassword=nope\n"
             "skip-column-names\n[litelift]\npassword=\"%s\"\nssl_cipher_unused_here=1\n",
             harness_user(), harness_password());
    put(dir, "extra.cnf", text, extra, sizeof extra);
    snprintf(url, sizeof url, "mysql://localhost/it_extra?socket=%s", harness_socket());
    const char *args[] = {"migrate", "--source", dir, "--defaults-extra-file",
                          extra,     "--target", url, NULL};
    struct run_result r = harness_run(args);
    cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "litelift: connected through the socket ") != NULL, "%s", r.err);
    cr_assert(strstr(r.out, harness_password()) == NULL &&
                  strstr(r.err, harness_password()) == NULL,
              "the password shows:\n%s\n%s", r.out, r.err);
    harness_result_free(&r);
    harness_expect_project(my, dir, "p1", 40);

    /* without it, ~/.my.cnf's wrong login is used: the extra file did the login */
    snprintf(url, sizeof url, "mysql://localhost/it_extra?socket=%s", harness_socket());
    const char *plain[] = {"status", "--target", url, NULL};
    r = harness_run(plain);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, "MySQL error 1045: Access denied for user 'nobody'@'localhost'") !=
                  NULL,
              "%s", r.err);
    harness_result_free(&r);

    /* the URL's user wins over the extra file's */
    snprintf(url, sizeof url, "mysql://somebody@localhost/it_extra?socket=%s", harness_socket());
    const char *urlwins[] = {"status", "--defaults-extra-file", extra, "--target", url, NULL};
    r = harness_run(urlwins);
    cr_assert_eq(r.status, 1, "%s\n%s", r.out, r.err);
    cr_assert(strstr(r.err, " as somebody (database it_extra): MySQL error 1045: Access denied for "
                            "user 'somebody'@'localhost'") != NULL,
              "%s", r.err);
    harness_result_free(&r);
    unsetenv("HOME");
    mysql_close(my);
}

Test(login, defaults_extra_file_usage_errors)
{
    const char *dir = harness_tmpdir();
    char inc[1024], url[1024];
    snprintf(url, sizeof url, "mysql://localhost/x?socket=%s", harness_socket());
    put(dir, "inc.cnf", "[client]\nuser=a\n!include /etc/other.cnf\n", inc, sizeof inc);
    static const struct {
        const char *opt1, *val1, *opt2, *said;
    } cases[] = {
        {"--defaults-extra-file", "/nonexistent/x.cnf", NULL,
         "litelift: --defaults-extra-file /nonexistent/x.cnf: cannot read it: No such file or "
         "directory\n"},
        {"--defaults-extra-file", "/", NULL,
         "litelift: --defaults-extra-file /: cannot read it: a directory\n"},
        {"--defaults-extra-file", NULL, NULL, ""},
        {"--defaults-extra-file", "/x.cnf", "--no-defaults",
         "litelift: --defaults-extra-file cannot go with --no-defaults\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *val = cases[i].val1 != NULL ? cases[i].val1 : inc;
        char want[1200];
        if (cases[i].val1 == NULL)
            snprintf(want, sizeof want,
                     "litelift: --defaults-extra-file %s line 3: !include /etc/other.cnf is not "
                     "supported here\n",
                     inc);
        const char *args[] = {"status", "--target", url, cases[i].opt1, val, cases[i].opt2, NULL};
        struct run_result r = harness_run(args);
        cr_assert_eq(r.status, 2, "case %zu: %s\n%s", i, r.out, r.err);
        cr_assert_str_eq(r.err, cases[i].val1 != NULL ? cases[i].said : want, "case %zu", i);
        harness_result_free(&r);
    }
    const char *both[] = {
        "status", "--target", url, "--defaults-file", inc, "--defaults-extra-file", inc, NULL};
    struct run_result r = harness_run(both);
    cr_assert_eq(r.status, 2, "%s\n%s", r.out, r.err);
    cr_assert_str_eq(r.err, "litelift: --defaults-extra-file cannot go with --defaults-file\n");
    harness_result_free(&r);
}
