/* coltype: the pure model of a target column's type (kind, limits, character
 * set, members), as the transformer and the type parser need it. Free of any
 * database client header: schema.h fills it from the target's catalogue. */
#ifndef LITELIFT_COLTYPE_H
#define LITELIFT_COLTYPE_H

#include <stdbool.h>
#include <stddef.h>

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

#endif
