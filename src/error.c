/* error: formatting helpers for struct error (see error.h). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int error_set(struct error *err, const char *fmt, ...)
{
    if (err == NULL)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->names_table = false;
    err->names_project = false;
    return -1;
}

int error_oom(struct error *err)
{
    return error_set(err, "out of memory");
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
    err->names_table = false;
    err->names_project = false;
    return -1;
}

int error_set_table(struct error *err, const char *table, const char *fmt, ...)
{
    if (err == NULL)
        return -1;
    char text[ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    error_set(err, "table %s: %s", table, text);
    return error_names_table(err);
}

int error_in_table(struct error *err, const char *table)
{
    if (err == NULL || err->names_table)
        return -1;
    error_prefix(err, "table %s", table);
    return error_names_table(err);
}

int error_in_project(struct error *err, const char *project_id)
{
    if (err == NULL || err->names_project)
        return -1;
    error_prefix(err, "project '%s'", project_id);
    err->names_project = true;
    return -1;
}

int error_names_table(struct error *err)
{
    if (err != NULL)
        err->names_table = true;
    return -1;
}

void error_clear(struct error *err)
{
    if (err != NULL) {
        err->msg[0] = '\0';
        err->names_table = false;
        err->names_project = false;
    }
}
