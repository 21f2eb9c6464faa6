/* test_target: the statement calls of src/target.h that take a struct buf
 * refuse a failed buffer ("out of memory") before they reach the server: here
 * there is no connection at all, so any attempt to send would crash. */
#include <criterion/criterion.h>
#include <string.h>

#include "target.h"

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
