/* ddl: schema creation (--schema create, `litelift schema`): designs one
 * multi-tenant MySQL table per SQLite table name from every project file, the
 * project column first in every key, column types from the declared types
 * (SQLite's affinity rules and common spellings) checked against the values
 * actually stored. */
#ifndef LITELIFT_DDL_H
#define LITELIFT_DDL_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "mapping.h"
#include "reader.h"
#include "schema.h"
#include "xform.h"

/* The comment of every table schema creation makes: a rerun finds its own
 * tables by it (and builds the plain indexes an interrupted run left). */
#define DDL_MARK "created by litelift --schema create"

/* The class of a declared SQLite type. */
enum ddl_class {
    DDL_NONE,     /* no type, or a name SQLite gives no meaning: the values decide */
    DDL_INT,      /* INT, INTEGER, BIGINT, INT8, UNSIGNED BIG INT, ... */
    DDL_REAL,     /* REAL, DOUBLE [PRECISION], FLOAT */
    DDL_DECIMAL,  /* NUMERIC(p,s), DECIMAL(p,s) */
    DDL_BOOL,     /* BOOLEAN, BOOL */
    DDL_DATE,     /* DATE */
    DDL_DATETIME, /* DATETIME, TIMESTAMP */
    DDL_TIME,     /* TIME */
    DDL_TEXT,     /* TEXT, CLOB, [N]VARCHAR(n), CHARACTER(n), ... */
    DDL_BLOB,     /* BLOB */
    DDL_JSON      /* JSON */
};

/* A parsed declared type. */
struct ddl_decl {
    enum ddl_class cls;
    int len;         /* VARCHAR(n) and the like, 0 when none */
    int prec, scale; /* DECIMAL(p,s), 0 when none */
    bool is_unsigned;
    int int_bytes; /* TINYINT 1, SMALLINT 2, MEDIUMINT 3, INT 4; 0: 64 bits */
};

/* Parses an SQLite declared type ("NUMERIC ( 10 , 5 )", "varchar ( 12 )",
 * "UNSIGNED BIG INT", "DOUBLE PRECISION", "", "MONEY"...) following SQLite's
 * affinity rules for the rest. Pure; never fails. */
void ddl_parse_decl(const char *decl, struct ddl_decl *out);

/* What the values of one column look like, over every file. */
struct ddl_values {
    long long n_int, n_real, n_text, n_blob, n_null;
    bool real_frac;    /* a REAL with a fractional part */
    bool text_time;    /* a date text carrying a time of day */
    bool text_nodate;  /* a text that is not an ISO-8601 date/time (a TIME: not a time) */
    bool bool_like;    /* every value is 0/1 or a true/false word */
    double nmin, nmax; /* numeric values' range */
    size_t max_chars, max_bytes;
};

/* The MySQL type for a column of declaration d and values v; key is set for
 * key columns (sized VARCHAR/VARBINARY instead of TEXT/BLOB). Writes the type
 * to type and, when the values changed the choice, a remark to note (may be
 * left empty). Pure. */
void ddl_choose(const struct ddl_decl *d, const struct ddl_values *v, bool key, char *type,
                size_t typesize, char *note, size_t notesize);

/* The unit of a date/time-declared column's numbers when they are not
 * plausible unix seconds but exactly one other reading is (epoch-ms,
 * epoch-us, julian-day); XFORM_UNIT_AUTO otherwise (seconds, or no reading).
 * Pure. */
enum xform_unit ddl_unit(const struct ddl_decl *d, const struct ddl_values *v);

struct ddl_schema;

/* Calls fn for every column of the design whose numbers are read in another
 * unit than seconds (see ddl_unit). */
void ddl_each_unit(const struct ddl_schema *s,
                   void (*fn)(void *ctx, const char *table, const char *column,
                              enum xform_unit unit),
                   void *ctx);

/* Starts an empty schema design; with foreign_keys, each SQLite foreign key
 * becomes a composite (project, col) -> (project, key) one. With map (may be
 * NULL; it must outlive the design), tables and columns are skipped, renamed
 * and converted as the mapping file says. Returns NULL when out of memory. */
struct ddl_schema *ddl_new(bool foreign_keys, const struct mapping *map);

/* Adds the tables of the open reader r (one full scan of each table for its
 * values). Conflicts with what other files said are recorded, not failed.
 * Returns 0 or -1 on a read error. */
int ddl_add(struct ddl_schema *s, struct reader *r, struct error *err);

/* Called with each plain (non-unique) index of a table as an ALTER TABLE ...
 * ADD KEY statement, to be run after the data is loaded. */
typedef void (*ddl_defer_fn)(void *ctx, const char *table, const char *index, const char *sql);

/* Appends the CREATE TABLE statements (";\n" after each), then the deferred
 * ALTER TABLE statements of the plain indexes, for a project column of at
 * least idlen characters; with only, just the tables i with only[i] set (a
 * comment says the others are kept). Problems (conflicting declarations or
 * primary keys across files, keys too long) go to problems, one per line, for
 * every table. A text that did not fit marks out or problems failed: the
 * caller checks buf_failed() on both. Returns the number of tables. */
size_t ddl_render(const struct ddl_schema *s, const char *project_column, size_t idlen,
                  const bool *only, struct buf *out, struct buf *problems);

/* The number of tables of the design. */
size_t ddl_ntables(const struct ddl_schema *s);

/* The name of table i and its CREATE TABLE statement (no ";"), for running
 * them one by one. With defer, plain indexes are left out of it and handed to
 * defer instead. Returns 0, or -1 (no such table, or out of memory). */
int ddl_table(const struct ddl_schema *s, size_t i, const char *project_column, size_t idlen,
              const char **name, struct buf *out, struct buf *problems, ddl_defer_fn defer,
              void *ctx);

/* The CREATE TEMPORARY TABLE statement that proves table i's design to the
 * server without touching the target: ddl_table's, with every index in it
 * and no foreign keys (InnoDB takes none on a temporary table, and the
 * tables they reference may not exist yet); *name: the table's. Returns 0, or -1 (no such table,
 * or out of memory). */
int ddl_table_proof(const struct ddl_schema *s, size_t i, const char *project_column, size_t idlen,
                    const char **name, struct buf *out);

/* The statement that moves the AUTO_INCREMENT counter of table i above every
 * id the design's files stored or handed out (for a table an earlier run
 * made); out is left empty when the table has no AUTO_INCREMENT column.
 * Returns 0 or -1 (no such table, out of memory). */
int ddl_autoinc_alter(const struct ddl_schema *s, size_t i, struct buf *out);

/* Sets the width of text key columns (--key-length; 0: the default, see
 * ddl_layout.c). */
void ddl_set_key_length(struct ddl_schema *s, size_t n);

/* Calls fn with the name and MySQL type of every column of table i (as
 * ddl_table renders them). Returns 0 or -1 (no such table). */
int ddl_columns(const struct ddl_schema *s, size_t i,
                void (*fn)(void *ctx, const char *column, const char *type), void *ctx);

/* Table i as the target would describe it once created: the project column,
 * litelift_rowid when the rowid is the key, then the designed columns (types,
 * NOT NULL and defaults as ddl_table renders them); for a dry-run, which
 * plans against tables it does not create. out is owned by the caller
 * (schema_table_free). Returns 0, or -1 (no such table, out of memory). */
int ddl_schema_table(const struct ddl_schema *s, size_t i, const char *project_column, size_t idlen,
                     struct schema_table *out);

/* With foreign keys: appends one line per foreign key left out because rows
 * of some file lack their parent row (counted by SQLite's foreign_key_check),
 * naming the table, the columns, the count and the first such file. Returns
 * the number of lines; a line that did not fit marks out failed (the caller
 * checks buf_failed()). */
size_t ddl_orphans(const struct ddl_schema *s, struct buf *out);

/* Weighs n texts (texts[i] of lens[i] bytes) under collation: weights[i]
 * gets a string (malloc'd) that is equal for two texts exactly when the
 * collation holds them equal. Returns 0; 1 when it cannot tell (why says
 * why); -1 when out of memory. */
typedef int (*ddl_weigh_fn)(void *ctx, const char *collation, char *const *texts,
                            const size_t *lens, size_t n, char **weights, char *why,
                            size_t whysize);

/* A ddl_weigh_fn without a server: exact for ASCII texts (case folded,
 * trailing spaces ignored, as utf8mb4_general_ci does); any other text
 * cannot be told. */
int ddl_weigh_local(void *ctx, const char *collation, char *const *texts, const size_t *lens,
                    size_t n, char **weights, char *why, size_t whysize);

/* Decides the collation of every COLLATE NOCASE column of the design: case
 * insensitive, unless the values of a key column collide under it as weigh
 * tells (or it cannot tell): then binary, with a warning (ddl_warnings).
 * Before this, NOCASE columns are binary. Returns 0 or -1 (out of memory). */
int ddl_collations(struct ddl_schema *s, ddl_weigh_fn weigh, void *ctx);

/* Whether the server enforces CHECK constraints (the design assumes it does
 * until told): if not, they are listed in comments instead. */
void ddl_set_checks_enforced(struct ddl_schema *s, bool enforced);

/* Appends one line per meaning the design could not keep: a CHECK constraint
 * not carried, a NOCASE column kept binary (naming the colliding values).
 * Returns the number of lines (a line that did not fit marks out failed). */
size_t ddl_warnings(const struct ddl_schema *s, struct buf *out);

/* Frees the design. */
void ddl_free(struct ddl_schema *s);

#endif
