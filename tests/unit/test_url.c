/* test_url: table-driven tests of url_parse() and url_decode() (src/url.h):
 * user / password / host / port / database / socket, mysql:// and mariadb://,
 * IPv6 hosts in brackets, user and host left to the option files, the TLS
 * parameters (ssl-mode in any case, ssl-ca, ..., tls-version), where the raw
 * password lies (for wiping it from argv), that no error shows the password,
 * percent-decoding of every
 * component ('%20', '%40', '%3A', '%2F' in the password, lower-case hex), '@'
 * in passwords and socket paths, missing parts, bad ports, bad escapes ('%zz',
 * '%0' at the end, '%00'), unknown query parameters, IPv4 host with port, and
 * that a failed parse leaves the struct empty. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "url.h"

struct ucase {
    const char *name;
    const char *text;
    bool ok;
    const char *user, *password, *host; /* password NULL = absent */
    unsigned port;
    const char *database, *socket; /* socket NULL = absent */
    const char *err;               /* substring of the error when !ok */
};

#define OK(user, pw, host, port, db, sock) true, user, pw, host, port, db, sock, NULL
#define BAD(sub) false, NULL, NULL, NULL, 0, NULL, NULL, sub

static const struct ucase cases[] = {
    /* well-formed */
    {"everything", "mysql://lite:secret@db.example.com:3307/projects",
     OK("lite", "secret", "db.example.com", 3307, "projects", NULL)},
    {"no password", "mysql://lite@localhost/projects",
     OK("lite", NULL, "localhost", 0, "projects", NULL)},
    {"empty password", "mysql://lite:@localhost/projects",
     OK("lite", "", "localhost", 0, "projects", NULL)},
    {"IPv4 host with port", "mysql://u:p@127.0.0.1:3307/db",
     OK("u", "p", "127.0.0.1", 3307, "db", NULL)},
    {"IPv4 host without port", "mysql://u@10.0.0.254/db",
     OK("u", NULL, "10.0.0.254", 0, "db", NULL)},
    {"port 1", "mysql://u@h:1/db", OK("u", NULL, "h", 1, "db", NULL)},
    {"port 65535", "mysql://u@h:65535/db", OK("u", NULL, "h", 65535, "db", NULL)},
    {"percent space in password", "mysql://lite:lite%20pass@h/db",
     OK("lite", "lite pass", "h", 0, "db", NULL)},
    {"%40 in password", "mysql://u:p%40ss@h/db", OK("u", "p@ss", "h", 0, "db", NULL)},
    {"%3A in password", "mysql://u:a%3Ab@h/db", OK("u", "a:b", "h", 0, "db", NULL)},
    {"%2F in password", "mysql://u:a%2Fb@h/db", OK("u", "a/b", "h", 0, "db", NULL)},
    {"lower-case %2f", "mysql://u:a%2fb@h/db", OK("u", "a/b", "h", 0, "db", NULL)},
    {"many escapes in password", "mysql://u:%40%3A%2F%25%3F%23%26@h/db",
     OK("u", "@:/%?#&", "h", 0, "db", NULL)},
    {"UTF-8 escapes in password", "mysql://u:%E2%82%AC@h/db",
     OK("u", "\xe2\x82\xac", "h", 0, "db", NULL)},
    {"plus is not a space", "mysql://u:a+b@h/db", OK("u", "a+b", "h", 0, "db", NULL)},
    {"raw colon in password", "mysql://u:a:b@h/db", OK("u", "a:b", "h", 0, "db", NULL)},
    {"raw @ in password (last @ separates)", "mysql://u:p@ss@h/db",
     OK("u", "p@ss", "h", 0, "db", NULL)},
    {"escaped user", "mysql://us%65r@h/db", OK("user", NULL, "h", 0, "db", NULL)},
    {"escaped @ in user", "mysql://a%40b@h/db", OK("a@b", NULL, "h", 0, "db", NULL)},
    {"escaped database", "mysql://u@h/my%2Ddb%20x", OK("u", NULL, "h", 0, "my-db x", NULL)},
    {"socket", "mysql://u@localhost/db?socket=/var/run/mysqld/mysqld.sock",
     OK("u", NULL, "localhost", 0, "db", "/var/run/mysqld/mysqld.sock")},
    {"socket path with @", "mysql://u:p@localhost/db?socket=/tmp/a@b.sock",
     OK("u", "p", "localhost", 0, "db", "/tmp/a@b.sock")},
    {"socket path escaped", "mysql://u@localhost/db?socket=%2Ftmp%2Fx%20y.sock",
     OK("u", NULL, "localhost", 0, "db", "/tmp/x y.sock")},
    {"empty host with socket", "mysql://u@/db?socket=/tmp/s", OK("u", NULL, "", 0, "db", "/tmp/s")},
    {"socket given twice, last wins", "mysql://u@h/db?socket=/a&socket=/b",
     OK("u", NULL, "h", 0, "db", "/b")},
    /* what the URL leaves out comes from the option files */
    {"empty user", "mysql://@h/db", OK("", NULL, "h", 0, "db", NULL)},
    {"empty user, with password", "mysql://:pw@h/db", OK("", "pw", "h", 0, "db", NULL)},
    {"no user at all", "mysql://h/db", OK(NULL, NULL, "h", 0, "db", NULL)},
    {"no user, host with port", "mysql://h:3307/db", OK(NULL, NULL, "h", 3307, "db", NULL)},
    {"no user, no host", "mysql:///db", OK(NULL, NULL, "", 0, "db", NULL)},
    /* other schemes and hosts */
    {"mariadb scheme", "mariadb://u:p@h:3307/db", OK("u", "p", "h", 3307, "db", NULL)},
    {"IPv6 host with port", "mysql://u@[::1]:3306/db", OK("u", NULL, "::1", 3306, "db", NULL)},
    {"IPv6 host without port", "mysql://u@[fe80::1%25eth0]/db",
     OK("u", NULL, "fe80::1%eth0", 0, "db", NULL)},
    {"IPv6 host without user", "mariadb://[2001:db8::7]:13306/db",
     OK(NULL, NULL, "2001:db8::7", 13306, "db", NULL)},
    {"IPv6 host unclosed", "mysql://u@[::1/db", BAD("closing ']'")},
    {"IPv6 host, junk after ]", "mysql://u@[::1]x/db", BAD("port")},
    {"IPv6 host, bad port", "mysql://u@[::1]:x/db", BAD("port")},
    /* missing parts */
    {"no slash", "mysql://u@h", BAD("mysql://[USER")},
    {"no database", "mysql://u@h/", BAD("no database")},
    {"no database, with socket", "mysql://u@h/?socket=/x", BAD("no database")},
    {"no path but socket with slashes", "mysql://u@h?socket=/tmp/x.sock", BAD("")},
    {"wrong scheme", "postgres://u@h/db", BAD("mysql://")},
    {"wrong scheme: the rest is never shown", "postgres://u:secret@h/db",
     BAD("(got \"postgres://\")")},
    {"mariadb scheme misspelt", "maria://u@h/db", BAD("mariadb://")},
    {"no scheme", "u@h/db", BAD("mysql://")},
    {"empty", "", BAD("mysql://")},
    /* bad ports */
    {"port 0", "mysql://u@h:0/db", BAD("port")},
    {"port 65536", "mysql://u@h:65536/db", BAD("port")},
    {"port letters", "mysql://u@h:abc/db", BAD("port")},
    {"port empty", "mysql://u@h:/db", BAD("port")},
    {"port negative", "mysql://u@h:-1/db", BAD("port")},
    {"port trailing letters", "mysql://u@h:3306x/db", BAD("port")},
    {"port huge", "mysql://u@h:99999999999999999999/db", BAD("port")},
    {"port with plus sign", "mysql://u@h:+3306/db", BAD("port")},
    {"port with leading space", "mysql://u@h: 3306/db", BAD("port")},
    /* bad escapes */
    {"%zz in user", "mysql://%zz@h/db", BAD("percent-escape")},
    {"%0 at end of password", "mysql://u:ab%0@h/db", BAD("percent-escape")},
    {"lone % at end of password", "mysql://u:ab%@h/db", BAD("percent-escape")},
    {"%00 in password", "mysql://u:a%00b@h/db", BAD("percent-escape in the password")},
    {"%g1 in host", "mysql://u@h%g1/db", BAD("percent-escape")},
    {"%2 at end of database", "mysql://u@h/db%2", BAD("percent-escape")},
    {"%00 in socket", "mysql://u@h/db?socket=/tmp/%00", BAD("percent-escape")},
    /* query parameters */
    {"unknown parameter", "mysql://u@h/db?foo=bar", BAD("unknown")},
    {"unknown after socket", "mysql://u@h/db?socket=/x&ssl=1", BAD("unknown")},
    {"empty parameter", "mysql://u@h/db?", BAD("unknown")},
    {"empty socket", "mysql://u@h/db?socket=", BAD("socket")},
    {"bad ssl-mode", "mysql://u@h/db?ssl-mode=SOMETIMES",
     BAD("VERIFY_IDENTITY (got \"SOMETIMES\")")},
    {"empty ssl-ca", "mysql://u@h/db?ssl-ca=", BAD("ssl-ca has no value")},
    {"ssl parameter with underscore", "mysql://u@h/db?ssl_ca=/x", BAD("unknown")},
    {"Socket capitalised", "mysql://u@h/db?Socket=/x", BAD("unknown")},
};

static bool str_eq(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

#define S(x) ((x) ? (x) : "(null)")

Test(url, parse)
{
    size_t failed = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct ucase *k = &cases[i];
        struct url u;
        struct error err;
        error_clear(&err);
        int rc = url_parse(k->text, &u, &err);
        bool ok;
        if (k->ok)
            ok = rc == 0 && str_eq(u.user, k->user) && str_eq(u.password, k->password) &&
                 str_eq(u.host, k->host) && u.port == k->port && str_eq(u.database, k->database) &&
                 str_eq(u.socket, k->socket);
        else
            ok = rc == -1 && strstr(err.msg, k->err) != NULL && u.user == NULL &&
                 u.password == NULL && u.host == NULL && u.database == NULL && u.socket == NULL &&
                 u.port == 0;
        if (!ok) {
            failed++;
            cr_expect(ok,
                      "url case \"%s\" (%s): expected %s \"%s\", got rc=%d user=%s password=%s "
                      "host=%s port=%u database=%s socket=%s err=\"%s\"",
                      k->name, k->text, k->ok ? "success" : "failure containing",
                      k->ok ? "" : k->err, rc, S(u.user), S(u.password), S(u.host), u.port,
                      S(u.database), S(u.socket), rc ? err.msg : "");
        }
        url_free(&u);
    }
    cr_expect_eq(failed, 0, "%zu url cases failed", failed);
}

Test(url, decode)
{
    static const struct {
        const char *name;
        const char *in;
        size_t n;         /* 0 = strlen */
        const char *want; /* NULL = error */
    } v[] = {
        {"plain", "abc", 0, "abc"},
        {"empty", "", 0, ""},
        {"%2F", "a%2Fb", 0, "a/b"},
        {"two escapes", "%41%42", 0, "AB"},
        {"lower-case hex", "%e2%82%ac", 0, "\xe2\x82\xac"},
        {"%25 is a percent", "100%25", 0, "100%"},
        {"escape at the very end", "ab%41", 0, "abA"},
        {"plus kept", "a+b", 0, "a+b"},
        {"only n bytes are read", "abc%41", 3, "abc"},
        {"lone %", "%", 0, NULL},
        {"%4 (one digit)", "%4", 0, NULL},
        {"%4 then end (n cuts the escape)", "%41", 2, NULL},
        {"%zz", "%zz", 0, NULL},
        {"%g0", "%g0", 0, NULL},
        {"%%41", "%%41", 0, NULL},
        {"%00", "a%00", 0, NULL},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        struct error err;
        error_clear(&err);
        size_t n = v[i].n ? v[i].n : strlen(v[i].in);
        char *got = url_decode(v[i].in, n, &err);
        if (v[i].want == NULL)
            cr_expect(got == NULL && strstr(err.msg, "percent-escape") != NULL,
                      "decode case \"%s\": expected an error, got \"%s\" / \"%s\"", v[i].name,
                      S(got), err.msg);
        else
            cr_expect(got != NULL && strcmp(got, v[i].want) == 0,
                      "decode case \"%s\": expected \"%s\", got \"%s\"", v[i].name, v[i].want,
                      S(got));
        free(got);
    }
}

Test(url, tls_parameters)
{
    struct url u;
    struct error err;
    const char *text = "mariadb://u@h/db?ssl-mode=verify_identity&ssl-ca=/c/ca%20x.pem"
                       "&ssl-capath=/c&ssl-cert=/c/cert.pem&ssl-key=/c/key.pem"
                       "&ssl-cipher=ECDHE-RSA-AES256-GCM-SHA384&tls-version=TLSv1.3"
                       "&socket=/s&ssl-mode=VERIFY_CA";
    cr_assert(url_parse(text, &u, &err) == 0, "%s", err.msg);
    cr_expect_eq(u.tls.mode, URL_SSL_VERIFY_CA, "the last ssl-mode wins");
    cr_expect_str_eq(u.tls.ca, "/c/ca x.pem");
    cr_expect_str_eq(u.tls.capath, "/c");
    cr_expect_str_eq(u.tls.cert, "/c/cert.pem");
    cr_expect_str_eq(u.tls.key, "/c/key.pem");
    cr_expect_str_eq(u.tls.cipher, "ECDHE-RSA-AES256-GCM-SHA384");
    cr_expect_str_eq(u.tls.version, "TLSv1.3");
    cr_expect_str_eq(u.socket, "/s");
    url_free(&u);
    cr_assert(url_parse("mysql://u@h/db", &u, &err) == 0);
    cr_expect(u.tls.mode == URL_SSL_UNSET && u.tls.ca == NULL && u.tls.version == NULL);
    url_free(&u);
    static const char *const modes[] = {"DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA",
                                        "VERIFY_IDENTITY"};
    for (size_t i = 0; i < 5; i++) {
        enum url_ssl_mode m = url_ssl_mode_named(modes[i], strlen(modes[i]));
        cr_expect_eq(m, URL_SSL_DISABLED + (int)i, "%s", modes[i]);
        cr_expect_str_eq(url_ssl_mode_name(m), modes[i]);
    }
    cr_expect_eq(url_ssl_mode_named("REQUIRE", 7), URL_SSL_UNSET);
    cr_expect_eq(url_ssl_mode_named("REQUIREDX", 9), URL_SSL_UNSET);
}

Test(url, timeout_parameters)
{
    struct url u;
    struct error err;
    cr_assert(url_parse("mysql://u@h/db?connect-timeout=3&net-timeout=86400", &u, &err) == 0, "%s",
              err.msg);
    cr_expect_eq(u.connect_timeout, 3);
    cr_expect_eq(u.net_timeout, 86400);
    url_free(&u);
    cr_assert(url_parse("mysql://u@h/db", &u, &err) == 0);
    cr_expect(u.connect_timeout == 0 && u.net_timeout == 0, "absent: the options decide");
    url_free(&u);
    static const char *const bad[] = {"connect-timeout=0", "connect-timeout=3601",
                                      "net-timeout=-1",    "net-timeout=5s",
                                      "net-timeout=86401", "net-timeout=99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char text[128];
        snprintf(text, sizeof text, "mysql://u@h/db?%s", bad[i]);
        cr_expect(url_parse(text, &u, &err) != 0, "%s was taken", bad[i]);
        cr_expect(strstr(err.msg, "in the target URL needs a number of seconds from 1 to") != NULL,
                  "%s: %s", bad[i], err.msg);
    }
}

Test(url, password_span)
{
    static const struct {
        const char *text;
        int found;
        const char *raw; /* the bytes at the span */
    } v[] = {
        {"mysql://u:s%20ecret@h/db", 1, "s%20ecret"},
        {"mariadb://u:p@ss@h/db?socket=/a@b", 1, "p@ss"},
        {"mysql://u:@h/db", 1, ""},
        {"mysql://u@h/db", 0, NULL},
        {"mysql://h:3306/db", 0, NULL},
        {"mysql://h/db?socket=/x:y@z", 0, NULL},
        {"postgres://u:p@h/db", 0, NULL},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        size_t off = 0, len = 0;
        int found = url_password_span(v[i].text, &off, &len);
        cr_expect_eq(found, v[i].found, "%s", v[i].text);
        if (found && v[i].found)
            cr_expect(len == strlen(v[i].raw) && strncmp(v[i].text + off, v[i].raw, len) == 0,
                      "%s: span %zu+%zu", v[i].text, off, len);
    }
}

Test(url, no_error_shows_the_password)
{
    static const char *const bad[] = {
        "mysql://u:hunter2@h:99999/db", "mysql://u:hunter2%zz@h/db", "mysql://u:hunter2@h/",
        "mysql://u:hunter2@h/db?x=1",   "pgsql://u:hunter2@h/db",    "mysql://u:hunter2@[::1/db",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct url u;
        struct error err;
        cr_expect_eq(url_parse(bad[i], &u, &err), -1, "%s", bad[i]);
        cr_expect(strstr(err.msg, "hunter2") == NULL, "%s: %s", bad[i], err.msg);
    }
}

/* Several hosts: one whole URL per node (user, password, database and
 * parameters of each as the URL's), the URL's own host and port the first
 * node's; an empty or bad node is an error. */
Test(url, node_list)
{
    struct url u;
    struct error err;
    cr_assert_eq(url_parse("mysql://lite:pw@n1:3306,[::1]:3307,n3/db?net-timeout=9", &u, &err), 0,
                 "%s", err.msg);
    cr_assert_eq(u.nnodes, 3);
    cr_assert_str_eq(u.host, "n1");
    cr_assert_eq(u.port, 3306);
    const char *hosts[] = {"n1", "::1", "n3"};
    unsigned ports[] = {3306, 3307, 0};
    for (size_t i = 0; i < 3; i++) {
        cr_assert_str_eq(u.nodes[i].host, hosts[i]);
        cr_assert_eq(u.nodes[i].port, ports[i]);
        cr_assert_str_eq(u.nodes[i].user, "lite");
        cr_assert_str_eq(u.nodes[i].password, "pw");
        cr_assert_str_eq(u.nodes[i].database, "db");
        cr_assert_eq(u.nodes[i].net_timeout, 9);
        cr_assert_eq(u.nodes[i].nnodes, 0);
    }
    url_free(&u);
    cr_assert_eq(url_parse("mysql://u@n1:3306/db", &u, &err), 0);
    cr_assert_eq(u.nnodes, 0);
    cr_assert(u.nodes == NULL);
    url_free(&u);
    cr_assert_neq(url_parse("mysql://u@n1:3306,,n3/db", &u, &err), 0);
    cr_assert(strstr(err.msg, "an empty host in the node list of the target URL") != NULL, "%s",
              err.msg);
    cr_assert_eq(u.nnodes, 0);
    cr_assert_neq(url_parse("mysql://u@n1:3306,n2:x/db", &u, &err), 0);
    cr_assert(strstr(err.msg, "bad port in target URL") != NULL, "%s", err.msg);
}
