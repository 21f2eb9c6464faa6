/* test_error: the table context of struct error (src/error.h): a message
 * set about a table names it once, error_in_table adds "table NAME: " only
 * to messages that do not name their table yet, error_prefix keeps that
 * knowledge, and error_set / error_clear forget it. */
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
