/* galera: a MariaDB Galera cluster as the target: whether the server is a
 * node of one (wsrep_on), the limits its write sets put on a transaction
 * (wsrep_max_ws_rows, wsrep_max_ws_size), whether it refuses tables without
 * a primary key (wsrep_mode REQUIRED_PRIMARY_KEY), and how a batch and a
 * deletion are sized to stay below those limits. */
#ifndef LITELIFT_GALERA_H
#define LITELIFT_GALERA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "batch.h"
#include "error.h"
#include "target.h"

/* Rows a batch's transaction writes beyond its own rows and reject records:
 * the checkpoint row and the claim's lease. */
#define GALERA_TXN_EXTRA_ROWS 2

struct galera {
    bool on;             /* the server is a Galera node (wsrep_on) */
    long long max_rows;  /* wsrep_max_ws_rows, 0: no limit */
    long long max_bytes; /* wsrep_max_ws_size, 0: no limit */
    bool require_pk;     /* wsrep_mode has REQUIRED_PRIMARY_KEY */
    long long nodes;     /* wsrep_cluster_size */
    char status[32];     /* wsrep_cluster_status: "Primary", "non-Primary" */
};

/* Reads what t's server says of Galera into *g (all zero on a server that
 * is no Galera node). Returns 0, or -1 with err set. */
int galera_probe(struct target *t, struct galera *g, struct error *err);

/* Says on log, for a Galera node, the cluster's size and status and the
 * transaction limits every batch is kept below; nothing otherwise. */
void galera_describe(const struct galera *g, FILE *log);

/* Whether batch b, holding rows whose project id is id_len bytes, is to be
 * sent now so that its transaction (rows, reject records, checkpoint and
 * claim rows) stays below g's limits whatever the next row is. Never true
 * off Galera. */
bool galera_batch_full(const struct galera *g, const struct batch *b, size_t id_len);

/* The most rows one DELETE may remove on g when rows take row_bytes bytes on
 * average (0: unknown), or 0 when a single DELETE is fine (off Galera). */
long long galera_delete_chunk(const struct galera *g, long long row_bytes);

/* Called between two chunks of galera_delete, inside the chunk's
 * transaction before its COMMIT (to renew a claim). Returns 0 or -1. */
typedef int (*galera_between_fn)(void *ctx, struct error *err);

/* Runs delete (a DELETE of table `name` without LIMIT) on g's cluster in
 * chunks sized by galera_delete_chunk from the table's average row length,
 * each with between() and committed, until no row is left. Returns the rows
 * deleted, or -1 with err set (the chunk under way rolled back by the
 * caller; those before it stay deleted). */
long long galera_delete(struct target *t, const struct galera *g, const char *name,
                        const struct buf *delete, galera_between_fn between, void *ctx,
                        struct error *err);

/* Whether the last error of t is a Galera node without quorum (error 1047:
 * the node is not part of the Primary component); then why (of whysize
 * bytes) says so for the run's one message. */
bool galera_quorum_lost(struct target *t, char *why, size_t whysize);

/* Whether table `name` of t's database has a primary key: *has set. Returns
 * 0, or -1 with err set. */
int galera_has_primary_key(struct target *t, const char *name, bool *has, struct error *err);

#endif
