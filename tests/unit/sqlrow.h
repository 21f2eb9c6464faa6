/* sqlrow: a statement of a test's SQLite database positioned on a row, for
 * the unit tests that hand rows to the modules (header only: every test
 * binary links tmpdir.o and nothing else of tests/unit). */
#ifndef LITELIFT_TEST_SQLROW_H
#define LITELIFT_TEST_SQLROW_H

#include <criterion/criterion.h>
#include <sqlite3.h>

/* Prepares sql on db and steps it onto its first row; the test fails when
 * either cannot be done. The caller finalizes the statement. */
static inline sqlite3_stmt *sqlrow_of(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql,
                 sqlite3_errmsg(db));
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
    return st;
}

#endif
