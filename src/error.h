/* error: the caller-supplied error record that every fallible function fills.
 * The layer that knows the SQLite/MySQL detail writes the message once; callers
 * only add context with error_prefix(), and the orchestrator adds the table or
 * project a message belongs to with error_in_table()/error_in_project(), which
 * prefix once: the record remembers which context its message already names,
 * so no caller has to read the message text to find out. */
#ifndef LITELIFT_ERROR_H
#define LITELIFT_ERROR_H

#include <stdbool.h>
#include <stddef.h>

#define ERROR_MSG_MAX 2048

/* The flags say which context the message begins with ("table t..." or
 * "project 'p'..."): set by the calls that write that context, cleared by any
 * call that writes another beginning. */
struct error {
    char msg[ERROR_MSG_MAX];
    bool names_table;   /* msg begins with its table */
    bool names_project; /* msg begins with its project */
};

/* Overwrites err->msg with a printf-style message and clears the context flags.
 * Always returns -1 so that a failing path can `return error_set(err, ...)`.
 * err may be NULL. */
int error_set(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* error_set(err, "out of memory"): the one wording of an allocation failure
 * (also of a buffer that reached its cap). Returns -1. */
int error_oom(struct error *err);

/* As error_set, for a message about one table: "table <table>: " + the
 * formatted text, marked as naming its table. Returns -1. */
int error_set_table(struct error *err, const char *table, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prepends "prefix: " to the existing message (context from an outer layer);
 * the message then begins with the prefix, so the context flags are cleared.
 * Returns -1. */
int error_prefix(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prepends "table <table>: " unless the message already names its table, and
 * records that it now does. Returns -1. */
int error_in_table(struct error *err, const char *table);

/* As error_in_table with "project '<id>': ". Returns -1. */
int error_in_project(struct error *err, const char *project_id);

/* Records that the message, as the caller wrote it, begins with its table
 * (e.g. "table t uses the MyISAM engine ..."), so error_in_table adds nothing.
 * Returns -1. */
int error_names_table(struct error *err);

/* Clears the message and the context flags. */
void error_clear(struct error *err);

#endif
