/* test_login: login_prepare() (src/login.h): the command line's TLS,
 * protocol and option-file settings carried over; --password-file's first
 * line (LF or CRLF ended, or none; an empty file is the empty password); a
 * file that cannot be opened named in the error; -p without a terminal
 * refused (the tests' standard input is /dev/null); no password without
 * either. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "login.h"
#include "tmpdir.h"

static char dir[256];

static void setup(void)
{
    tmpdir_make(dir, sizeof dir, "/tmp/litelift-login.XXXXXX");
}

static void teardown(void)
{
    tmpdir_remove(dir);
}

TestSuite(login, .init = setup, .fini = teardown);

/* The password login_prepare reads from a file holding text. */
static void expect_file(const char *text, const char *want)
{
    char path[512];
    snprintf(path, sizeof path, "%s/pw", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL && fputs(text, f) >= 0 && fclose(f) == 0);
    struct config cfg;
    config_defaults(&cfg);
    cfg.password_file = path;
    struct login l;
    struct error err;
    cr_assert_eq(login_prepare(&cfg, &l, &err), 0, "%s", err.msg);
    cr_assert_str_eq(l.password, want, "file \"%s\"", text);
    login_free(&l);
    cr_assert_null(l.password);
}

Test(login, password_file_first_line)
{
    expect_file("lite pass\nsecond line\n", "lite pass");
    expect_file("crlf\r\nx", "crlf");
    expect_file("no newline", "no newline");
    expect_file("", "");
    expect_file("\n", "");
    expect_file(" spaces kept \n", " spaces kept ");
}

Test(login, errors)
{
    struct config cfg;
    config_defaults(&cfg);
    cfg.password_file = "/nonexistent/pw";
    struct login l;
    struct error err;
    cr_assert_eq(login_prepare(&cfg, &l, &err), -1);
    cr_assert_str_eq(err.msg,
                     "cannot open --password-file /nonexistent/pw: No such file or directory");
    config_defaults(&cfg);
    cfg.password_prompt = true;
    int saved = dup(STDIN_FILENO), null = open("/dev/null", O_RDONLY);
    cr_assert(saved >= 0 && null >= 0 && dup2(null, STDIN_FILENO) >= 0);
    int rc = login_prepare(&cfg, &l, &err);
    cr_assert(dup2(saved, STDIN_FILENO) >= 0);
    close(saved);
    close(null);
    cr_assert_eq(rc, -1);
    cr_assert(strstr(err.msg, "--password (-p) asks on a terminal") != NULL, "%s", err.msg);
}

Test(login, settings_carried_over)
{
    struct config cfg;
    config_defaults(&cfg);
    cfg.tls.mode = URL_SSL_VERIFY_CA;
    cfg.tls.ca = "/c/ca.pem";
    cfg.tls.version = "TLSv1.3";
    cfg.protocol = CONFIG_PROTOCOL_TCP;
    cfg.defaults_file = "/etc/lite.cnf";
    struct login l;
    struct error err;
    cr_assert_eq(login_prepare(&cfg, &l, &err), 0);
    cr_assert_eq(l.tls.mode, URL_SSL_VERIFY_CA);
    cr_assert_str_eq(l.tls.ca, "/c/ca.pem");
    cr_assert_str_eq(l.tls.version, "TLSv1.3");
    cr_assert_eq(l.protocol, CONFIG_PROTOCOL_TCP);
    cr_assert_str_eq(l.defaults_file, "/etc/lite.cnf");
    cr_assert(!l.no_defaults);
    cr_assert_null(l.password, "no password option: the URL's, option files', MYSQL_PWD");
    login_free(&l);
}
