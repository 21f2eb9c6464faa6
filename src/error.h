/* error: the caller-supplied error record that every fallible function fills.
 * The layer that knows the SQLite/MySQL detail writes the message once; callers
 * only add context with error_prefix(). */
#ifndef LITELIFT_ERROR_H
#define LITELIFT_ERROR_H

#include <stddef.h>

#define ERROR_MSG_MAX 2048

struct error {
    char msg[ERROR_MSG_MAX];
};

/* Overwrites err->msg with a printf-style message. Always returns -1 so that a
 * failing path can `return error_set(err, ...)`. err may be NULL. */
int error_set(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prepends "prefix: " to the existing message (context from an outer layer).
 * Returns -1. */
int error_prefix(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Clears the message. */
void error_clear(struct error *err);

#endif
