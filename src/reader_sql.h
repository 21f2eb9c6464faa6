/* reader_sql: what an open reader's CREATE statements say beyond the
 * catalogue pragmas: a table's CHECK constraints and its columns' collations,
 * the rows a CHECK expression refuses, and the virtual tables (FTS, R-tree)
 * with their shadow tables, which are skipped as one. Plain answers, so the
 * schema design (ddl_*.c) never talks to SQLite. */
#ifndef LITELIFT_READER_SQL_H
#define LITELIFT_READER_SQL_H

#include <stddef.h>

#include "error.h"
#include "reader.h"

/* One CHECK constraint of a table. */
struct reader_check {
    char *expr;   /* the expression's text between its parentheses */
    char *column; /* the column it is declared with, NULL for a table constraint */
};

/* Reads the CHECK constraints of table t (index into r->tables) from its
 * CREATE TABLE text, in order, into *out (n entries; free with
 * reader_sql_checks_free). Returns 0, or -1 with err naming the file. */
int reader_sql_checks(struct reader *r, size_t t, struct reader_check **out, size_t *n,
                      struct error *err);

/* Frees n checks read by reader_sql_checks, and the array. */
void reader_sql_checks_free(struct reader_check *v, size_t n);

/* The collation of each column of table t, upper-cased ("NOCASE", "RTRIM",
 * an application's own), NULL for BINARY: *out gets r->tables[t].ncols
 * entries (free with reader_sql_collations_free). Returns 0, or -1 with err
 * naming the file. */
int reader_sql_collations(struct reader *r, size_t t, char ***out, struct error *err);

/* Frees what reader_sql_collations returned for table t. */
void reader_sql_collations_free(char **v, size_t n);

/* The rows of table t for which SQLite expression expr is false (as a CHECK
 * would refuse them: NULL passes), or -1 when SQLite cannot evaluate it (a
 * function only the application has, say). */
long long reader_sql_refused(struct reader *r, size_t t, const char *expr);

/* Folds the shadow tables of each virtual table in r->skipped into the
 * virtual table's own entry, which then names its module, its shadow tables
 * and that the application must recreate it. Returns 0 or -1 (out of
 * memory). */
int reader_sql_fold_shadows(struct reader *r);

#endif
