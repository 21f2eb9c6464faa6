/* grants: the privileges of the target's user as the server lists them in
 * SHOW GRANTS (the account's own, its active role's and PUBLIC's), parsed
 * into global, schema (with its wildcards) and table grants, and whether they
 * cover a privilege on a table. */
#ifndef LITELIFT_GRANTS_H
#define LITELIFT_GRANTS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "target.h"

/* The table privileges litelift may need, as bits. */
enum {
    GRANTS_SELECT = 1u << 0,
    GRANTS_INSERT = 1u << 1,
    GRANTS_UPDATE = 1u << 2,
    GRANTS_DELETE = 1u << 3,
    GRANTS_CREATE = 1u << 4,
    GRANTS_ALTER = 1u << 5,
    GRANTS_INDEX = 1u << 6,
    GRANTS_REFERENCES = 1u << 7,
    GRANTS_ALL = (1u << 8) - 1
};

/* One GRANT: on every schema (db NULL), on every table of the schemas that
 * db matches (table NULL; '%' and '_' are wildcards, '\' escapes), or on one
 * table. */
struct grants_entry {
    char *db, *table;
    unsigned privs;
};

struct grants {
    char user[300]; /* the account as 'user'@'host' */
    struct grants_entry *v;
    size_t n;
};

/* Reads the grants of t's account (CURRENT_USER(), SHOW GRANTS, and SHOW
 * GRANTS FOR PUBLIC where the server has it). Returns 0, or -1 with err set
 * (g is then empty). Free with grants_free. */
int grants_load(struct grants *g, struct target *t, struct error *err);

/* Adds the grant of one line of SHOW GRANTS to g ("GRANT SELECT, INSERT ON
 * `db`.* TO ..."); lines that grant no table privileges (roles, PROXY,
 * routines, privileges of single columns) add nothing. Returns 0, or -1 when
 * out of memory. */
int grants_add_line(struct grants *g, const char *line);

/* The privileges among privs that g lacks on table `table` of schema db. */
unsigned grants_missing(const struct grants *g, unsigned privs, const char *db, const char *table);

/* Appends the names of the privileges privs ("SELECT, INSERT"). Returns 0 or
 * -1. */
int grants_names(struct buf *out, unsigned privs);

/* Appends db as a GRANT names every table of it: `db`.* with its '_' and '%'
 * escaped (they would be wildcards). Returns 0 or -1. */
int grants_quote_schema(struct buf *out, const char *db);

void grants_free(struct grants *g);

#endif
