/* error: formatting helpers for struct error. */
#define LITELIFT_ERROR_C /* defines the functions error.h wraps for the analyzer */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "esc.h"

/* Formats the message of err (may be NULL), which names no table yet.
 * Returns -1. */
static int set(struct error *err, const char *fmt, va_list ap)
{
    if (err != NULL) {
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        /* no control character a quoted name holds reaches a terminal; newlines
         * stay (some messages list their problems one per line) */
        esc_in_place(err->msg, sizeof err->msg, ESC_KEEP_LINES);
        err->in_table = false;
    }
    return -1;
}

int error_set(struct error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set(err, fmt, ap);
    va_end(ap);
    return -1;
}

int error_oom(struct error *err)
{
    return error_set(err, "out of memory");
}

int error_set_table(struct error *err, const char *table, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set(err, fmt, ap);
    va_end(ap);
    return error_prefix_table(err, table);
}

int error_prefix(struct error *err, const char *fmt, ...)
{
    if (err == NULL)
        return -1;
    char head[ERROR_MSG_MAX];
    char old[ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    if (snprintf(err->msg, sizeof err->msg, "%s: %s", head, old) < 0)
        err->msg[0] = '\0';
    esc_in_place(err->msg, sizeof err->msg, ESC_KEEP_LINES);
    return -1;
}

int error_prefix_table(struct error *err, const char *table)
{
    if (err == NULL)
        return -1;
    error_prefix(err, "table %s", table);
    err->in_table = true;
    return -1;
}

int error_in_table(struct error *err, const char *table)
{
    if (err == NULL || err->in_table)
        return -1;
    return error_prefix_table(err, table);
}

void error_clear(struct error *err)
{
    if (err != NULL) {
        err->msg[0] = '\0';
        err->in_table = false;
    }
}
