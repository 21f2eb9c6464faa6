/* error: the caller-supplied error record that every fallible function fills.
 * The layer that knows the SQLite/MySQL detail writes the message once; callers
 * only add context with error_prefix(). */
#ifndef LITELIFT_ERROR_H
#define LITELIFT_ERROR_H

#include <stdbool.h>
#include <stddef.h>

#define ERROR_MSG_MAX 2048

struct error {
    char msg[ERROR_MSG_MAX];
    bool in_table; /* msg begins with "table NAME: " (see error_in_table) */
};

/* Overwrites err->msg with a printf-style message (naming no table). Always
 * returns -1 so that a failing path can `return error_set(err, ...)`. err may
 * be NULL. */
int error_set(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* error_set(err, "out of memory"): the one wording of an allocation failure
 * (also of a buffer that reached its cap). Returns -1. */
int error_oom(struct error *err);

/* Prepends "prefix: " to the existing message (context from an outer layer).
 * Returns -1. */
int error_prefix(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* As error_set, for a message about table: "table TABLE: " then the
 * printf-style rest; the message then names its table. Returns -1. */
int error_set_table(struct error *err, const char *table, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prepends "table TABLE: " to the existing message, which then names its
 * table. Returns -1. */
int error_prefix_table(struct error *err, const char *table);

/* Context from the code that knows which table failed: prepends "table
 * TABLE: " unless the message names its table already. Returns -1. */
int error_in_table(struct error *err, const char *table);

/* Clears the message. */
void error_clear(struct error *err);

/* clang's static analyzer (make lint) reads one file at a time and cannot see
 * that these always give -1; without this it follows `rc = p == NULL ?
 * error_oom(err) : 0` on as if rc could be 0 with p NULL. */
#if defined(__clang_analyzer__) && !defined(LITELIFT_ERROR_C)
#define error_set(...) (error_set(__VA_ARGS__), -1)
#define error_oom(err) (error_oom(err), -1)
#define error_prefix(...) (error_prefix(__VA_ARGS__), -1)
#define error_set_table(...) (error_set_table(__VA_ARGS__), -1)
#define error_prefix_table(err, table) (error_prefix_table(err, table), -1)
#define error_in_table(err, table) (error_in_table(err, table), -1)
#endif

#endif
