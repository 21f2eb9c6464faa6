/* test_error: the error record of src/error.h: error_oom's one wording, that
 * error_set/error_prefix/error_clear format and tolerate NULL, and the table
 * context: a message set about a table names it once, error_in_table adds
 * "table NAME: " only to messages that do not name their table yet,
 * error_prefix keeps that knowledge, and error_set / error_clear forget it. */
#include <criterion/criterion.h>
#include <string.h>

#include "error.h"

Test(error, set_table_formats_like_a_table_message)
{
    struct error e;
    cr_assert_eq(error_set_table(&e, "orders", "count mismatch: %d row(s)", 3), -1);
    cr_assert_str_eq(e.msg, "table orders: count mismatch: 3 row(s)");
    cr_assert(e.in_table);
}

Test(error, in_table_prefixes_a_message_without_its_table)
{
    struct error e;
    error_set(&e, "out of memory");
    cr_assert_eq(error_in_table(&e, "orders"), -1);
    cr_assert_str_eq(e.msg, "table orders: out of memory");
    error_in_table(&e, "orders"); /* once only */
    cr_assert_str_eq(e.msg, "table orders: out of memory");
}

Test(error, in_table_leaves_a_message_that_names_its_table)
{
    struct error e;
    error_set_table(&e, "items", "no such table in target database db");
    error_prefix(&e, "reading");
    error_in_table(&e, "orders");
    cr_assert_str_eq(e.msg, "reading: table items: no such table in target database db");
}

Test(error, prefix_table_always_prefixes)
{
    struct error e;
    error_set(&e, "a.db: read failed");
    error_prefix_table(&e, "t");
    cr_assert_str_eq(e.msg, "table t: a.db: read failed");
    error_prefix(&e, "reject files");
    error_prefix_table(&e, "t");
    cr_assert_str_eq(e.msg, "table t: reject files: table t: a.db: read failed");
}

Test(error, set_and_clear_forget_the_table)
{
    struct error e;
    error_set_table(&e, "t", "x");
    error_set(&e, "text that begins with table u: y");
    error_in_table(&e, "t");
    cr_assert_str_eq(e.msg, "table t: text that begins with table u: y");
    error_set_table(&e, "t", "x");
    error_clear(&e);
    cr_assert_str_eq(e.msg, "");
    cr_assert(!e.in_table);
}

Test(error, long_messages_truncate_as_one_format_would)
{
    struct error e;
    char big[ERROR_MSG_MAX + 100];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    error_set_table(&e, "t", "%s", big);
    cr_assert_eq(strlen(e.msg), ERROR_MSG_MAX - 1);
    cr_assert(strncmp(e.msg, "table t: xxx", 12) == 0);
}

Test(error, oom)
{
    struct error err;
    error_set(&err, "something else");
    err.in_table = true;
    cr_expect_eq(error_oom(&err), -1);
    cr_expect_str_eq(err.msg, "out of memory");
    cr_expect(!err.in_table, "a new message has no context yet");
    cr_expect_eq(error_oom(NULL), -1, "NULL is tolerated");
}

Test(error, set_prefix_clear)
{
    struct error err;
    cr_expect_eq(error_set(&err, "%s %d", "n", 7), -1);
    cr_expect_str_eq(err.msg, "n 7");
    cr_expect_eq(error_prefix(&err, "reading %s", "x.db"), -1);
    cr_expect_str_eq(err.msg, "reading x.db: n 7");
    error_clear(&err);
    cr_expect_str_eq(err.msg, "");
    cr_expect_eq(error_set(NULL, "x"), -1);
    cr_expect_eq(error_prefix(NULL, "x"), -1);
    error_clear(NULL);
    /* a message as long as the record is cut, not overrun */
    char big[ERROR_MSG_MAX + 100];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    error_set(&err, "%s", big);
    cr_expect_eq(strlen(err.msg), (size_t)ERROR_MSG_MAX - 1);
    error_prefix(&err, "p");
    cr_expect(strlen(err.msg) == ERROR_MSG_MAX - 1 && strncmp(err.msg, "p: aaa", 6) == 0);
}

/* The orchestrator's table context is added once, whoever wrote the message. */
Test(error, table_context)
{
    static const struct {
        const char *name;
        int how; /* 0: plain message; 1: error_set_table; 2: set + error_prefix_table;
                    3: error_in_table below; 4: table message, then another prefix */
        const char *want;
    } v[] = {
        {"plain message gets the table", 0, "table t: read failed"},
        {"error_set_table is not prefixed again", 1, "table u: read failed"},
        {"error_prefix_table is not prefixed again", 2, "table u: read failed"},
        {"a lower error_in_table is not repeated", 3, "table u: read failed"},
        {"a later prefix keeps the table: not prefixed again", 4,
         "creating x: table u: read failed"},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        struct error err;
        switch (v[i].how) {
        case 0:
            error_set(&err, "read failed");
            break;
        case 1:
            cr_expect_eq(error_set_table(&err, "u", "%s", "read failed"), -1);
            break;
        case 2:
            error_set(&err, "read failed");
            cr_expect_eq(error_prefix_table(&err, "u"), -1);
            break;
        case 3:
            error_set(&err, "read failed");
            error_in_table(&err, "u");
            break;
        case 4:
            error_set_table(&err, "u", "read failed");
            error_prefix(&err, "creating x");
            cr_expect(err.in_table, "case \"%s\": prefix keeps it", v[i].name);
            break;
        }
        cr_expect_eq(error_in_table(&err, "t"), -1);
        cr_expect_str_eq(err.msg, v[i].want, "case \"%s\"", v[i].name);
        cr_expect(err.in_table, "case \"%s\": marked", v[i].name);
        error_in_table(&err, "t");
        cr_expect_str_eq(err.msg, v[i].want, "case \"%s\": twice adds nothing", v[i].name);
    }
    cr_expect_eq(error_in_table(NULL, "t"), -1);
    cr_expect_eq(error_prefix_table(NULL, "t"), -1);
    cr_expect_eq(error_set_table(NULL, "t", "x"), -1);
}
