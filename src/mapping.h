/* mapping: per-table and per-column overrides read from an INI file
 * (--mapping FILE, parsed with Debian's inih):
 *
 *   [backups]                  ; a source table, by name
 *   skip = no                  ; yes: do not migrate this table
 *   rename = backup_logs       ; target table name
 *   date_time.convert = epoch-ms   ; column options: COLUMN.OPTION = VALUE
 *   date_time.rename = created_at
 *   legacy.skip = yes
 *   size.default = 0           ; value used when the source is NULL
 *
 * Conversions: epoch-s, epoch-ms, epoch-us, julian-day, iso8601, text. */
#ifndef LITELIFT_MAPPING_H
#define LITELIFT_MAPPING_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "xform.h"

struct mapping_column {
    char *name;
    bool skip;
    char *rename;
    bool has_unit;
    enum xform_unit unit;
    char *null_default;
};

struct mapping_table {
    char *name;
    bool skip;
    char *rename;
    struct mapping_column *cols;
    size_t ncols;
};

struct mapping {
    struct mapping_table *tables;
    size_t ntables;
};

/* Reads path into m. Returns 0, or -1 with err naming the file, line and
 * problem (unknown option, bad value). */
int mapping_load(const char *path, struct mapping *m, struct error *err);

/* The options of table `name` (case-insensitive), or NULL. m may be NULL. */
const struct mapping_table *mapping_table(const struct mapping *m, const char *name);

/* The options of column `name` of t (case-insensitive), or NULL. t may be NULL. */
const struct mapping_column *mapping_column(const struct mapping_table *t, const char *name);

/* Parses a conversion name; returns 0 or -1. */
int mapping_unit(const char *name, enum xform_unit *unit);

/* The mapping file's name of unit ("epoch-ms", ...; "" for the default):
 * the one list of unit names, also used where litelift names a unit. */
const char *mapping_unit_name(enum xform_unit unit);

/* Frees m. */
void mapping_free(struct mapping *m);

#endif
