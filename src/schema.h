/* schema: the target's table definitions, read from information_schema, and
 * the parse of a MySQL column type into what the transformer needs. */
#ifndef LITELIFT_SCHEMA_H
#define LITELIFT_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "coltype.h"
#include "error.h"
#include "target.h"

struct schema_table {
    char *name; /* the target's spelling */
    size_t ncols;
    struct schema_column *cols;
    char engine[64];       /* its storage engine ("" when unknown, as for a view) */
    bool cannot_roll_back; /* the engine has no transactions (MyISAM, Aria, MEMORY...) */
};

/* Fills c's kind and limits from information_schema's DATA_TYPE, COLUMN_TYPE
 * and CHARACTER_SET_NAME (charset may be NULL) and CHARACTER_MAXIMUM_LENGTH.
 * Pure function; c->name and c->column_type are not touched. Returns 0, or -1
 * when out of memory (ENUM/SET members). */
int schema_parse_type(struct schema_column *c, const char *data_type, const char *column_type,
                      const char *charset, unsigned long long char_max_len);

/* The most bytes the TEXT or BLOB type data_type ("tinytext", "mediumblob",
 * "text"...) holds. Pure. */
unsigned long long schema_lob_max(const char *data_type);

/* The smallest of TEXT, MEDIUMTEXT and LONGTEXT (with binary: BLOB,
 * MEDIUMBLOB, LONGBLOB) that holds a value of `bytes` bytes (LONG* beyond
 * them all). Pure. */
const char *schema_lob_type(unsigned long long bytes, bool binary);

/* Fills c (any previous content is dropped, not freed) for a column a DDL
 * statement would create: name, the MySQL type as written there ("BIGINT
 * UNSIGNED", "VARCHAR(12)", "DATETIME(6)", "JSON"...; text types in utf8mb4
 * with the binary collation), nullable, default. c owns copies. Returns 0, or
 * -1 when out of memory (c is left empty). */
int schema_column_designed(struct schema_column *c, const char *name, const char *type,
                           bool nullable, bool has_default);

/* Loads table `name` of the connection's database (name matched exactly, else
 * case-insensitively), with its engine and whether that engine can roll a
 * transaction back (information_schema.ENGINES). Returns 1 when found (out filled, free with
 * schema_table_free), 0 when the table does not exist, -1 on error. */
int schema_load_table(struct target *t, const char *name, struct schema_table *out,
                      struct error *err);

/* schema_load_table of a table whose name may name its schema,
 * "schema.table" (see target_split_table), as the progress table's may. */
int schema_load_table_in(struct target *t, const char *name, struct schema_table *out,
                         struct error *err);

/* Index of column `name` (ASCII case-insensitive), or -1. */
int schema_find_column(const struct schema_table *tb, const char *name);

/* Frees the table. */
void schema_table_free(struct schema_table *tb);

/* Frees one column's strings (used by schema_table_free and tests). */
void schema_column_free(struct schema_column *c);

#endif
