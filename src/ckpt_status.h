/* ckpt_status: the progress table read whole for `litelift status`: every
 * project with its own row (state, source file, who claimed it last, whether
 * that claim is live) and its tables' rows (state and counts). */
#ifndef LITELIFT_CKPT_STATUS_H
#define LITELIFT_CKPT_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#include "ckpt.h"
#include "error.h"
#include "target.h"

struct ckpt_status_table {
    char *name;
    enum ckpt_state state;
    long long loaded, rejected;
    long long total;  /* rows in the source: -1 here, for the caller to fill */
    char *updated_at; /* UTC */
};

struct ckpt_status_project {
    char *project, *source_file, *backup_file; /* backup_file "" when none */
    enum ckpt_state state;                     /* of the project row */
    char *updated_at;                          /* the latest update of any of its rows (UTC) */
    char *touched;                             /* the later of updated_at and the last claim */
    char *owner_host;                          /* who claimed it last, "" when nobody did */
    long long owner_pid;
    char *claimed_at, *lease_until; /* "" when never claimed */
    bool live;                      /* the lease has not run out */
    struct ckpt_status_table *tables;
    size_t ntables;
};

/* Loads every project of progress table `table` into *out (*n entries, by
 * project id; free with ckpt_status_free); *exists says whether the table
 * exists (none loaded when not). Returns 0 or -1. */
int ckpt_status_load(struct target *t, const char *table, bool *exists,
                     struct ckpt_status_project **out, size_t *n, struct error *err);

void ckpt_status_free(struct ckpt_status_project *v, size_t n);

#endif
