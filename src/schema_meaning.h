/* schema_meaning: the decisions of the schema design that depend on the
 * server: whether it enforces CHECK constraints (MariaDB 10.2, MySQL 8.0.16),
 * and which COLLATE NOCASE columns can be case-insensitive there (the server
 * compares their key values); then the warnings for what could not be kept. */
#ifndef LITELIFT_SCHEMA_MEANING_H
#define LITELIFT_SCHEMA_MEANING_H

#include <stdio.h>

#include "ddl.h"
#include "error.h"
#include "target.h"

/* Decides them for design s against the server behind tgt (NULL: none; then
 * CHECK constraints are carried, and only ASCII key values are compared, by
 * ddl_weigh_local), and writes one "litelift: WARNING:" line per meaning not
 * kept to log. Returns 0, or -1 with err set (out of memory). */
int schema_meaning_decide(FILE *log, struct ddl_schema *s, struct target *tgt, struct error *err);

#endif
