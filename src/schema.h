/* schema: the target's table definitions, read from information_schema, and
 * the parse of a MySQL column type into what the transformer needs. */
#ifndef LITELIFT_SCHEMA_H
#define LITELIFT_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "target.h"

enum schema_kind {
    SCHEMA_INT,       /* TINYINT..BIGINT, signed or UNSIGNED */
    SCHEMA_BOOL,      /* TINYINT(1) / BOOLEAN */
    SCHEMA_DECIMAL,   /* DECIMAL(p,s) */
    SCHEMA_FLOAT,     /* FLOAT */
    SCHEMA_DOUBLE,    /* DOUBLE */
    SCHEMA_TEXT,      /* CHAR, VARCHAR, *TEXT in a character set */
    SCHEMA_BINARY,    /* BINARY, VARBINARY, *BLOB, or text types in charset binary */
    SCHEMA_DATE,      /* DATE */
    SCHEMA_DATETIME,  /* DATETIME(fsp) */
    SCHEMA_TIMESTAMP, /* TIMESTAMP(fsp) */
    SCHEMA_TIME,      /* TIME(fsp) */
    SCHEMA_YEAR,      /* YEAR */
    SCHEMA_JSON,      /* JSON (MySQL type, or MariaDB LONGTEXT CHECK (json_valid)) */
    SCHEMA_ENUM,      /* ENUM('a',...) */
    SCHEMA_SET,       /* SET('a',...) */
    SCHEMA_BIT,       /* BIT(n) */
    SCHEMA_UNSUPPORTED
};

struct schema_column {
    char *name;
    char *column_type; /* as information_schema.COLUMNS.COLUMN_TYPE says */
    enum schema_kind kind;
    bool is_unsigned;
    int int_bytes;          /* SCHEMA_INT: 1, 2, 3, 4 or 8 */
    unsigned long long max; /* TEXT: max characters (CHAR/VARCHAR) or bytes (*TEXT);
                               BINARY: max bytes; BIT: bits */
    bool max_in_chars;
    bool fixed;            /* CHAR(n)/BINARY(n): padded by the server */
    bool utf8mb3;          /* TEXT in utf8mb3: no 4-byte characters */
    bool other_charset;    /* TEXT/ENUM/SET in a character set other than utf8mb4/utf8mb3 */
    bool case_insensitive; /* collation ends in _ci: ENUM/SET members match any case */
    char charset[64];      /* CHARACTER_SET_NAME ("" for a type without one) */
    char collation[64];    /* COLLATION_NAME ("" for a type without one) */
    int precision, scale;  /* DECIMAL */
    int fsp;               /* DATETIME/TIMESTAMP/TIME fractional digits */
    char **members;        /* ENUM/SET members */
    size_t nmembers;
    bool nullable;
    bool has_default; /* default value, AUTO_INCREMENT or generated */
    bool auto_increment;
    bool generated;
};

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

/* Index of column `name` (ASCII case-insensitive), or -1. */
int schema_find_column(const struct schema_table *tb, const char *name);

/* Frees the table. */
void schema_table_free(struct schema_table *tb);

/* Frees one column's strings (used by schema_table_free and tests). */
void schema_column_free(struct schema_column *c);

#endif
