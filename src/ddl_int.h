/* ddl_int: what the files of the schema designer share and nobody else uses:
 * the design's structures (built by ddl_design.c and ddl_keys.c, typed by
 * ddl_types.c and ddl_groups.c, written out by ddl_render.c) and the helpers
 * one file offers the others. The public API is ddl.h. */
#ifndef LITELIFT_DDL_INT_H
#define LITELIFT_DDL_INT_H

#include "ddl.h"
#include "reader_meta.h"

struct ddl_col {
    char *name;
    char *source; /* its name in the files (differs when the mapping renames it) */
    char *decl;   /* the first declaration seen */
    struct ddl_decl d;
    struct ddl_values v;
    size_t files;     /* files whose table has this column */
    bool notnull;     /* NOT NULL in every one of them */
    char *dflt;       /* the first file's default (NULL: none) */
    char *dflt_file;  /* that file */
    char *dflt_other; /* with dflt_differs: another file's default (NULL: none) */
    char *dflt_other_file;
    bool dflt_differs; /* the files that have the column declare different defaults */
    int pk;
    bool generated;        /* GENERATED ALWAYS AS in some file */
    unsigned long added;   /* the ddl_add call that last added a source column to it */
    bool forced;           /* the mapping file converts it: */
    enum xform_unit unit;  /* how */
    size_t nocase_files;   /* files that declare it COLLATE NOCASE */
    bool nocase_now;       /* the file being added does */
    struct ddl_fold *fold; /* its values in those files (ddl_collate.c) */
    bool nocase;           /* decided case-insensitive (ddl_collations) */
    char *collate_why;     /* why NOCASE stays binary, NULL: it does not */
};

struct ddl_index {
    bool unique;
    size_t ncols;
    char **cols;
};

struct ddl_fk {
    struct reader_fk key; /* as the first file declares it, under the mapped names */
    long long orphans;    /* rows without a parent row, over all files */
    size_t orphan_files;  /* files that have some */
    char *orphan_file;    /* the first of them */
};

/* One CHECK constraint of a table, over the files that declare it. */
struct ddl_check {
    char *expr;  /* as the first file declares it (SQLite) */
    char *mysql; /* translated, NULL when it does not translate: */
    char *why;   /* why not */
    char **cols; /* the (mapped) columns it names */
    size_t ncols;
    bool strings;       /* it holds a string literal */
    size_t files;       /* files that declare it */
    long long refused;  /* rows of refused_file it refuses; -1: SQLite cannot evaluate it */
    char *refused_file; /* the first file with such rows, NULL: none */
};

struct ddl_table {
    unsigned long added; /* the ddl_add call that last added a source table to it */
    char *name;
    char *source; /* its name in the files (differs when the mapping renames it) */
    size_t files;
    struct ddl_fk *fks;
    size_t nfk;
    bool rowid_key;     /* no declared primary key: the rowid becomes the key */
    bool without_rowid; /* a WITHOUT ROWID table in some file */
    bool autoinc;       /* its key is the rowid (INTEGER PRIMARY KEY) in every file */
    long long seq;      /* the highest sqlite_sequence entry over the files, 0: none */
    struct ddl_col *cols;
    size_t ncols;
    struct ddl_index *idx;
    size_t nidx;
    struct buf problems; /* conflicts between files */
    char *first_file;
    struct ddl_check *checks;
    size_t nchecks;
};

/* The foreign-key groups of the design, worked out once for its current
 * state (ddl_add drops them): the columns a key joins, and those joined to
 * them through further keys, are one group, which gets one type (InnoDB takes
 * a key only between columns of one type) chosen from the values of them all
 * and the declaration of its first referenced column, in table order. Columns
 * are numbered table by table: column c of table i is base[i] + c. */
struct ddl_groups {
    bool ready;
    size_t *base;
    size_t *root;                /* per column: the number of its group's root */
    size_t *size;                /* per root: columns in the group */
    struct ddl_values *v;        /* per root: the values of them all */
    const struct ddl_col **decl; /* per root: the column whose declaration counts */
};

struct ddl_schema {
    struct ddl_table *t;
    size_t n;
    bool foreign_keys;
    const struct mapping *map; /* may be NULL */
    unsigned long adds;        /* ddl_add calls so far */
    struct ddl_groups *groups; /* worked out when first needed (ddl_groups.c) */
    size_t key_length;         /* --key-length, 0: the default (ddl_layout.c) */
    bool checks_enforced;      /* the server enforces CHECK constraints (or is not known) */
};

/* The type and comment of one column as the DDL writes them. */
struct ddl_coltype {
    char type[64];
    char note[1024]; /* MySQL's longest column comment */
};

/* ---- ddl_types.c: pure type logic ---- */

/* Folds the statistics of b into a. */
void ddl_merge_values(struct ddl_values *a, const struct ddl_values *b);

/* Whether c is DATE or DATETIME. */
bool ddl_date_class(enum ddl_class c);

/* Key bytes of a column of the given MySQL type in InnoDB (utf8mb4: 4 per
 * character); 100000 for a type that cannot be a key. */
size_t ddl_key_bytes(const char *type);

/* ---- ddl_design.c: the design over files ---- */

/* Column `name` of t, or NULL. */
const struct ddl_col *ddl_find_col(const struct ddl_table *t, const char *name);

/* Table `name` of s, or NULL. */
const struct ddl_table *ddl_find_table(const struct ddl_schema *s, const char *name);

/* The target name of source table `table` under the mapping file, or NULL
 * when the mapping skips it. */
const char *ddl_mapped_table(const struct ddl_schema *s, const char *table);

/* The target name of column `col` of source table `table`, or NULL when the
 * mapping skips it. */
const char *ddl_mapped_col(const struct ddl_schema *s, const char *table, const char *col);

/* The target name of source column `col` of reader table st (names[i] is
 * column i's), NULL when skipped or unknown. */
const char *ddl_name_of(const struct reader_table *st, const char *const *names, const char *col);

/* ---- ddl_keys.c: indexes and foreign keys ---- */

/* Records the UNIQUE constraints and indexes of table t of r (not partial
 * ones, not on expressions), once per column list, under their mapped names.
 * Returns 0 or -1 with err set. */
int ddl_add_indexes(struct ddl_table *dt, struct reader *r, size_t t, const char *const *names,
                    struct error *err);

/* Records the foreign keys of table t of r (once per referenced table and
 * columns, over all files, under their mapped names); with s->foreign_keys,
 * also counts the rows that lack their parent row. Returns 0 or -1 with err
 * set. */
int ddl_add_fks(const struct ddl_schema *s, struct ddl_table *dt, struct reader *r, size_t t,
                const char *const *names, struct error *err);

/* Frees what fk holds. */
void ddl_fk_free(struct ddl_fk *fk);

/* The table and primary-key columns foreign key fk of table t references,
 * when it names that table's whole primary key in order, has no row without
 * its parent and no column the mapping file converts; false otherwise.
 * refcols has room for fk->n entries. */
bool ddl_fk_resolve(const struct ddl_schema *s, const struct ddl_table *t, const struct ddl_fk *fk,
                    const struct ddl_table **ref_out, const struct ddl_col **refcols);

/* Appends why foreign key fk of table t is left out of the design. Returns 0
 * or -1. */
int ddl_fk_left_out(const struct ddl_schema *s, const struct ddl_table *t, const struct ddl_fk *fk,
                    struct buf *out);

/* ---- ddl_groups.c: foreign-key groups ---- */

/* Forgets the groups (the design changed). */
void ddl_groups_drop(struct ddl_groups *g);

/* The type (and note) of column col of t, keys sized as keys, a column of a
 * foreign-key group typed with its group (see struct ddl_groups). */
void ddl_column_type(const struct ddl_schema *s, const struct ddl_table *t,
                     const struct ddl_col *col, char *type, size_t typesize, char *note,
                     size_t notesize);

/* ---- ddl_layout.c: a table's column types as a whole ---- */

/* Fills in the types and notes of the columns of table t (out: one per column), for a
 * project column of idlen characters: ddl_column_type's, text key columns
 * sized with headroom (--key-length, else a default within InnoDB's key
 * limit, unless the data needs more), and the widest non-key columns moved to
 * TEXT/BLOB while the row exceeds MySQL's 65,535-byte limit. What still does
 * not fit (that limit, or InnoDB's in-page limit) goes to problems (may be
 * NULL) naming the table. Returns 0 or -1 (out of memory). */
int ddl_layout(const struct ddl_schema *s, const struct ddl_table *t, size_t idlen,
               struct ddl_coltype *out, struct buf *problems);

/* The width of the project column for project ids of idlen characters. */
size_t ddl_project_chars(size_t idlen);

/* Whether the declared key of t holds NULLs (then the rowid becomes the key,
 * and the declared one a UNIQUE key). */
bool ddl_pk_holds_null(const struct ddl_table *t);

/* ---- ddl_autoinc.c: SQLite's auto-assigned ids ---- */

/* Records whether table t of r keys its rows by the rowid (an INTEGER
 * PRIMARY KEY, with or without AUTOINCREMENT; every file must) and its
 * sqlite_sequence entry. Call before dt->files counts the file. */
void ddl_autoinc_add(struct ddl_table *dt, struct reader *r, size_t t);

/* The column of t that becomes AUTO_INCREMENT given its designed type (out:
 * the types of t's columns), or NULL. */
const struct ddl_col *ddl_autoinc_col(const struct ddl_table *t, const struct ddl_coltype *out);

/* The name of the index an AUTO_INCREMENT column gets of its own (InnoDB
 * counts from an index that starts with it; the primary key starts with the
 * project column). */
#define DDL_AUTOINC_KEY "litelift_auto_increment"

/* Appends to note (of size n; "; " after what it holds) what the
 * AUTO_INCREMENT column col of t is. */
void ddl_autoinc_note(const struct ddl_table *t, const struct ddl_col *col, char *note, size_t n);

/* The first id the table hands out: above every stored id and every
 * sqlite_sequence entry of every file. */
long long ddl_autoinc_next(const struct ddl_table *t, const struct ddl_col *col);

/* How the numbers of column col of t are read as dates: the mapping file's
 * unit, or the design's (see ddl_unit; a foreign-key group's). */
enum xform_unit ddl_column_unit(const struct ddl_schema *s, const struct ddl_table *t,
                                const struct ddl_col *col);

/* ---- ddl_default.c: defaults ---- */

/* Records that file declares default dflt (NULL: none) for column c (its
 * files count not yet raised for file). Returns 0 or -1 (out of memory). */
int ddl_default_merge(struct ddl_col *c, const char *dflt, const char *file);

/* The MySQL literal of column col's SQLite default for a column of the given
 * type, converted as a value of that column is (unit: how its numbers read as
 * dates), or NULL: no default, or one that is dropped; then why (may be NULL)
 * says why when there is one to say (left empty otherwise). Owned by the
 * caller. */
char *ddl_default_literal(const struct ddl_col *col, const char *type, enum xform_unit unit,
                          char *why, size_t whysize);

/* ---- ddl_check.c: CHECK constraints ---- */

/* Records the CHECK constraints of table t of r, translated under the mapped
 * names, with the rows of the file each refuses. Returns 0 or -1 with err
 * set. */
int ddl_add_checks(struct ddl_table *dt, struct reader *r, size_t t, const char *const *names,
                   struct error *err);

/* Frees what ck holds. */
void ddl_check_free(struct ddl_check *ck);

/* Whether column col of t becomes JSON by a `CHECK (json_valid(col))` every
 * file declares and no row breaks. */
bool ddl_check_json(const struct ddl_table *t, const struct ddl_col *col);

/* Appends the table's CHECK constraints that are carried (",\n  CHECK
 * (...)"), and a comment for each that is not, saying why. Returns 0 or -1. */
int ddl_render_checks(const struct ddl_schema *s, const struct ddl_table *t, struct buf *out);

/* Appends one line per CHECK constraint not carried, naming the table, the
 * expression and why. Returns the number of lines (a line that did not fit
 * marks out failed). */
size_t ddl_check_warnings(const struct ddl_schema *s, struct buf *out);

/* ---- ddl_collate.c: COLLATE NOCASE ---- */

/* The case-insensitive collation of NOCASE columns. */
#define DDL_NOCASE_COLLATION "utf8mb4_general_ci"

/* Records which columns of table t of r are COLLATE NOCASE in it (before its
 * values are scanned). Returns 0 or -1 with err set. */
int ddl_collate_file(struct ddl_table *dt, struct reader *r, size_t t, const char *const *names,
                     struct error *err);

/* Keeps text value v of column c when the file being added declares c
 * NOCASE. Returns 0 or -1 (out of memory). */
int ddl_collate_value(struct ddl_col *c, const struct xform_src *v);

/* Frees what c holds for its collation. */
void ddl_collate_free(struct ddl_col *c);

/* The collation of column col of the given type: DDL_NOCASE_COLLATION or
 * NULL (the table's binary one). */
const char *ddl_collate_of(const struct ddl_col *col, const char *type);

/* Appends one line per NOCASE column kept binary. Returns the number. */
size_t ddl_collate_warnings(const struct ddl_schema *s, struct buf *out);

/* ---- ddl_render.c: DDL text ---- */

/* Appends text as the body of an SQL comment (no comment end inside).
 * Returns 0 or -1. */
int ddl_comment_text(struct buf *out, const char *text);

/* Appends s as a MySQL string literal: in single quotes, with quotes and
 * backslashes doubled. Returns 0 or -1. */
int ddl_sql_string(struct buf *b, const char *s);

#endif
