/* ckpt: checkpoints kept in the target database itself (the progress table,
 * default `litelift_progress`), so that a batch's rows and the record of their
 * loading commit in one transaction. One row per project and table, plus one
 * project row (table_name '') carrying the project's own state. */
#ifndef LITELIFT_CKPT_H
#define LITELIFT_CKPT_H

#include <stdbool.h>
#include <stdio.h>

#include "buf.h"
#include "error.h"
#include "fingerprint.h"
#include "target.h"

enum ckpt_state {
    CKPT_NONE,      /* no row yet */
    CKPT_PENDING,   /* registered, nothing loaded */
    CKPT_LOADING,   /* batches committed up to last_key */
    CKPT_LOADED,    /* every row read; counts not yet validated */
    CKPT_VALIDATED, /* counts validated */
    CKPT_RENAMED,   /* project row only: source renamed as its backup */
    CKPT_RENAMING   /* project row only: a rename to backup_file has begun */
};

/* What a table's checkpoint row holds, as this run last read or wrote it:
 * every update is a compare-and-set on it. */
struct ckpt_pos {
    long long version, loaded, rejected;
};

/* A progress row. */
struct ckpt_row {
    char *table; /* "" for the project row */
    enum ckpt_state state;
    long long rows_loaded, rows_rejected;
    struct buf last_key; /* encoded key (reader_key_encode), empty when none */
    struct fingerprint fp;
    char *updated_at;
    struct ckpt_pos pos;
    char *backup_file; /* project row: where a rename moves the file, or "" */
};

struct ckpt_project {
    struct ckpt_row *rows;
    size_t n;
};

/* Name of a state as stored ("pending", ...). */
const char *ckpt_state_name(enum ckpt_state s);

/* Whether the progress table (or a companion: any table named so, which may
 * name its schema: "schema.table", see target_split_table) exists. Returns
 * 1, 0 or -1. */
int ckpt_exists(struct target *t, const char *table, struct error *err);

/* Runs "CREATE TABLE name" + rest (its definition) unless the table exists
 * (name may name its schema): a user without CREATE goes on with progress
 * tables made before. Returns 0 or -1. */
int ckpt_create_table(struct target *t, const char *name, const char *rest, struct error *err);

/* Sets *n to the number of projects the progress table (when it exists)
 * records from files in directory dir (an absolute path, or below it).
 * Returns 0, or -1 with err set. */
int ckpt_count_in_dir(struct target *t, const char *table, const char *dir, long long *n,
                      struct error *err);

/* Creates the progress table and its rejects table when missing (and brings
 * an earlier version's up to date). Returns 0 or -1. */
int ckpt_create(struct target *t, const char *table, struct error *err);

/* Appends " WHERE project_id = 'project'" and, unless name is NULL,
 * " AND table_name = 'name'" ("" = the project row) to a progress-table
 * statement. Returns 0, or nonzero when out of memory. */
int ckpt_where(struct target *t, struct buf *sql, const char *project, const char *name);

/* Loads the progress rows of project (empty when none or when the table is
 * missing). Returns 0 or -1; free with ckpt_project_free. */
int ckpt_load(struct target *t, const char *table, const char *project, struct ckpt_project *out,
              struct error *err);

/* Row for `name` ("" = project row) in p, or NULL. */
struct ckpt_row *ckpt_find(struct ckpt_project *p, const char *name);

void ckpt_project_free(struct ckpt_project *p);

/* Inserts (or, when it exists, leaves as it is) the row of (project, name) in state pending with
 * the fingerprint, inside the current transaction. Returns 0 or -1. */
int ckpt_register(struct target *t, const char *table, const char *project, const char *name,
                  const char *source_file, const struct fingerprint *fp, struct error *err);

/* Records, inside the current (batch) transaction, that `loaded` more rows
 * were loaded and `rejected` more rejected, up to key (may be NULL at the end
 * of a table), and the new state: a compare-and-set on *pos, which it then
 * advances. Returns 0, or -1 with err saying that the row is no longer what
 * *pos says (another run moved it; the caller rolls back). */
int ckpt_advance(struct target *t, const char *table, const char *project, const char *name,
                 struct ckpt_pos *pos, const struct buf *key, long long loaded, long long rejected,
                 enum ckpt_state state, struct error *err);

/* Sets the state of (project, name) inside the current transaction (the
 * caller commits). Returns 0 or -1. */
int ckpt_set_state(struct target *t, const char *table, const char *project, const char *name,
                   enum ckpt_state state, struct error *err);

/* Sets the project row to renaming with the backup's path, inside the
 * current transaction: a rerun that finds it completes the rename. */
int ckpt_set_renaming(struct target *t, const char *table, const char *project,
                      const char *backup_file, struct error *err);

/* Deletes the table rows and the recorded rejects of project and resets its
 * project row (kept: it carries the claim) to pending with the file's
 * fingerprint, inside the current transaction. Returns 0 or -1. */
int ckpt_forget(struct target *t, const char *table, const char *project, const char *source_file,
                const struct fingerprint *fp, struct error *err);

/* A project whose rename as backup was begun and not recorded as done. */
struct ckpt_renaming {
    char *project, *source_file, *backup_file;
};

/* Lists the project rows in state renaming into *out (n entries; free with
 * ckpt_renaming_free). Returns 0 or -1. */
int ckpt_list_renaming(struct target *t, const char *table, struct ckpt_renaming **out, size_t *n,
                       struct error *err);

void ckpt_renaming_free(struct ckpt_renaming *v, size_t n);

#endif
