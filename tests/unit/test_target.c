/* test_target: the quoting of src/target.h, which needs no server.
 * target_quote_ident, table by table: the name in backticks with backticks
 * doubled, and every other byte (double quote, single quote, backslash,
 * space, dot, UTF-8) as it is; appended after what the buffer holds.
 * target_quote_string on a client handle that never connects (the escaping
 * is the client library's, with the connection's default character set):
 * in single quotes, with NUL, newline, carriage return, backslash, single
 * and double quote and Ctrl-Z escaped with a backslash (\0 \n \r \\ \' \" \Z),
 * the length given rather than a NUL ending the value, tab, high bytes and
 * UTF-8 text as they are, and the empty string as ''. The byte-by-byte
 * escaping that stands in for the library's on utf8mb4 connections gives its
 * bytes exactly.
 * The statement calls that take a struct buf refuse a failed buffer ("out of
 * memory") before they reach the server: with no connection at all, any
 * attempt to send would crash. target_transient_reason: which errors a retry
 * may get past, and why (see its test). */
#include <criterion/criterion.h>
#include <string.h>

#include "buf.h"
#include "target.h"
#include "val.h"

struct quote_case {
    const char *name;
    const char *in;
    size_t in_len;
    const char *want;
    size_t want_len;
};

#define QC(name, in, want)                                                                         \
    {                                                                                              \
        name, in, sizeof(in) - 1, want, sizeof(want) - 1                                           \
    }

static void expect_bytes(const char *got, size_t got_len, const char *want, size_t want_len,
                         const char *name)
{
    cr_expect(got_len == want_len && memcmp(got, want, want_len) == 0,
              "%s: got %zu bytes \"%.*s\", want \"%s\"", name, got_len, (int)got_len, got, want);
}

static const struct quote_case idents[] = {
    QC("plain", "orders", "`orders`"),
    QC("empty", "", "``"),
    QC("backtick inside", "a`b", "`a``b`"),
    QC("backticks only", "``", "``````"),
    QC("backtick at the ends", "`x`", "```x```"),
    QC("double quote as it is", "a\"b", "`a\"b`"),
    QC("single quote as it is", "it's", "`it's`"),
    QC("backslash as it is", "a\\b", "`a\\b`"),
    QC("space and dot as they are", "my table.x", "`my table.x`"),
    QC("UTF-8 as it is", "caf\xc3\xa9_\xe2\x82\xac", "`caf\xc3\xa9_\xe2\x82\xac`"),
};

Test(target, quote_ident)
{
    for (size_t i = 0; i < sizeof idents / sizeof *idents; i++) {
        struct buf b;
        buf_init(&b, BUF_CAP_ROW);
        cr_expect_eq(target_quote_ident(&b, idents[i].in), 0, "%s", idents[i].name);
        expect_bytes(b.data, b.len, idents[i].want, idents[i].want_len, idents[i].name);
        buf_free(&b);
    }
}

Test(target, quote_ident_appends)
{
    struct buf b;
    buf_init(&b, BUF_CAP_ROW);
    cr_assert_eq(buf_puts(&b, "SELECT * FROM "), 0);
    cr_expect_eq(target_quote_ident(&b, "t`1"), 0);
    cr_expect_eq(buf_putc(&b, '.'), 0);
    cr_expect_eq(target_quote_ident(&b, "c"), 0);
    expect_bytes(b.data, b.len, "SELECT * FROM `t``1`.`c`", strlen("SELECT * FROM `t``1`.`c`"),
                 "appended");
    buf_free(&b);
}

static const struct quote_case strings[] = {
    QC("plain", "hello", "'hello'"),
    QC("empty", "", "''"),
    QC("single quote", "it's", "'it\\'s'"),
    QC("double quote", "say \"hi\"", "'say \\\"hi\\\"'"),
    QC("backslash", "a\\b", "'a\\\\b'"),
    QC("newline and carriage return", "a\nb\rc", "'a\\nb\\rc'"),
    QC("NUL inside, by length", "a\0b", "'a\\0b'"),
    QC("Ctrl-Z", "x\x1ay", "'x\\Zy'"),
    QC("tab as it is", "a\tb", "'a\tb'"),
    QC("backtick and percent as they are", "`%_", "'`%_'"),
    QC("UTF-8 as it is", "\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80",
       "'\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80'"),
    QC("everything mixed", "'\\\0\n\"", "'\\'\\\\\\0\\n\\\"'"),
};

Test(target, quote_string_without_a_server)
{
    struct target t = {0};
    t.my = mysql_init(NULL);
    cr_assert_not_null(t.my);
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++) {
        struct buf b;
        buf_init(&b, BUF_CAP_ROW);
        cr_assert_eq(buf_puts(&b, "x="), 0);
        cr_expect_eq(target_quote_string(&t, &b, strings[i].in, strings[i].in_len), 0, "%s",
                     strings[i].name);
        cr_expect(b.len >= 2 && memcmp(b.data, "x=", 2) == 0, "%s: kept what was there",
                  strings[i].name);
        if (b.len >= 2)
            expect_bytes(b.data + 2, b.len - 2, strings[i].want, strings[i].want_len,
                         strings[i].name);
        cr_expect_eq(b.data[b.len], '\0', "%s: NUL-terminated", strings[i].name);
        buf_free(&b);
    }
    mysql_close(t.my);
}

/* target_quote_string escapes a utf8mb4 connection's strings byte by byte
 * (val_escape_sql): the same bytes as mysql_real_escape_string, checked on
 * every byte value at the edges of its 16-byte blocks and on random texts
 * (UTF-8, broken UTF-8 and the escaped bytes mixed); val_sql_escapes counts
 * the bytes it adds. */
Test(target, byte_escaping_is_the_client_library_s)
{
    MYSQL *my = mysql_init(NULL);
    cr_assert_not_null(my);
    static const char pool[] = "ab\0\n\r\\'\"\032\t\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\x80\xff";
    unsigned long long rng = 88172645463325252ULL;
    for (int round = 0; round < 30000; round++) {
        char in[80], want[2 * sizeof in + 1], got[2 * sizeof in];
        size_t n;
        if (round < 256 * 4) { /* byte round/4 at 0, 15, 16 and 31 of 32 */
            static const size_t at[] = {0, 15, 16, 31};
            n = 32;
            memset(in, 'x', n);
            in[at[round % 4]] = (char)(round / 4);
        } else {
            rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
            n = rng % sizeof in;
            for (size_t k = 0; k < n; k++, rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17)
                in[k] = pool[rng % (sizeof pool - 1)];
        }
        size_t want_len = mysql_real_escape_string(my, want, in, (unsigned long)n);
        size_t got_len = val_escape_sql(got, in, n);
        cr_assert(got_len == want_len && memcmp(got, want, want_len) == 0,
                  "round %d: %zu bytes escaped differ (%zu vs %zu)", round, n, got_len, want_len);
        cr_assert_eq(val_sql_escapes(in, n), want_len - n, "round %d", round);
    }
    mysql_close(my);
}

Test(target, buf_calls_refuse_a_failed_buffer)
{
    struct target t;
    memset(&t, 0, sizeof t); /* no connection */
    struct buf sql;
    buf_init(&sql, 8);
    cr_assert_eq(buf_puts(&sql, "SELECT 1"), 0);
    cr_assert_eq(buf_puts(&sql, " FROM t"), -1, "past the cap: the statement is cut");
    struct error err;
    long long n = 0;
    error_clear(&err);
    cr_expect_eq(target_exec_buf(&t, &sql, &err), -1);
    cr_expect_str_eq(err.msg, "out of memory");
    error_clear(&err);
    cr_expect_eq(target_update_buf(&t, &sql, &err), -1);
    cr_expect_str_eq(err.msg, "out of memory");
    error_clear(&err);
    cr_expect_null(target_select_buf(&t, &sql, "reading", &err));
    cr_expect_str_eq(err.msg, "out of memory");
    error_clear(&err);
    cr_expect_eq(target_query_ll_buf(&t, &sql, &n, &err), -1);
    cr_expect_str_eq(err.msg, "out of memory");
    cr_expect_eq(n, 0);
    buf_free(&sql);
}

/* target_transient_reason: the errors a retry on a fresh connection may get
 * past, each with its reason; a Galera conflict told from a deadlock by the
 * server's words; every other error (a refused row, a syntax error, a
 * denied login, a query interrupted) is no transient one. */
Test(target, transient_errors_and_their_reasons)
{
    static const struct {
        unsigned code;
        const char *msg, *want;
    } cases[] = {
        {2006, "Server has gone away", "lost connection"},
        {2013, "Lost connection to server during query", "lost connection"},
        {2055, "Lost connection to server at 'reading initial communication packet'",
         "lost connection"},
        {4031, "The client was disconnected by the server because of inactivity",
         "lost connection"},
        {1927, "Connection was killed", "connection killed"},
        {2002, "Can't connect to local server through socket", "server unreachable"},
        {2003, "Can't connect to server on '10.0.0.5' (111)", "server unreachable"},
        {1053, "Server shutdown in progress", "server shutdown"},
        {1213, "Deadlock found when trying to get lock; try restarting transaction", "deadlock"},
        {1213,
         "WSREP detected deadlock/conflict and aborted the transaction. Try restarting the "
         "transaction",
         "Galera conflict"},
        {1213, NULL, "deadlock"},
        {1047, "WSREP has not yet prepared node for application use", "Galera node not ready"},
        {1205, "Lock wait timeout exceeded; try restarting transaction", "lock wait timeout"},
        {1062, "Duplicate entry '1' for key 'PRIMARY'", NULL},
        {1064, "You have an error in your SQL syntax", NULL},
        {1045, "Access denied for user 'app'@'localhost'", NULL},
        {1317, "Query execution was interrupted", NULL},
        {0, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *got = target_transient_reason(cases[i].code, cases[i].msg);
        if (cases[i].want == NULL)
            cr_expect_null(got, "error %u: %s", cases[i].code, got);
        else
            cr_expect(got != NULL && strcmp(got, cases[i].want) == 0, "error %u: %s, want %s",
                      cases[i].code, got ? got : "(none)", cases[i].want);
    }
    struct target closed;
    memset(&closed, 0, sizeof closed);
    cr_expect_null(target_transient(&closed), "a closed target has no error");
}
