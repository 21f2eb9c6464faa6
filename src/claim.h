/* claim: which run loads a project. Before any of a project's data moves, a
 * run claims the project's row in the progress table (table_name '') with a
 * lease; the lease is renewed inside every batch transaction, and a run that
 * finds a project claimed by a live lease of another run leaves it alone.
 * The claim lives in the progress table itself (not GET_LOCK, which locks one
 * Galera node only), so it replicates with the data and commits or rolls back
 * with the batches that renew it. */
#ifndef LITELIFT_CLAIM_H
#define LITELIFT_CLAIM_H

#include "error.h"
#include "target.h"

/* This process, as it signs its claims. */
struct claim_owner {
    char id[200];   /* "host:pid:pidns:random", unique per process */
    char host[96];  /* gethostname() */
    char pidns[32]; /* the pid namespace (/proc/self/ns/pid), so that a pid
                       is only judged on the host and namespace it lives in */
    long pid;
};

/* Who holds a project, as the progress table says. */
struct claim_holder {
    char host[96];
    long pid;
    char since[32]; /* claimed_at, UTC */
    char until[32]; /* lease_until, UTC */
};

/* Fills o for this process. Returns 0 or -1. */
int claim_owner_init(struct claim_owner *o, struct error *err);

/* Claims project in progress table `table` for me with a lease of lease_s
 * seconds, in its own committed transaction; the project row must exist
 * (ckpt_register). The claim is free when the row has no owner, when its
 * lease has run out, or when its owner ran on this host and its process is
 * gone; a row another transaction holds right now is busy (SKIP LOCKED where
 * the server has it). Returns 1 when claimed, 0 when another run holds it
 * (*h filled), -1 on error. */
int claim_take(struct target *t, const char *table, const char *project,
               const struct claim_owner *me, int lease_s, struct claim_holder *h,
               struct error *err);

/* Renews my lease on project inside the current transaction (no commit).
 * Returns 0, or -1 with err saying that the claim is no longer mine (the
 * caller rolls back its transaction). */
int claim_renew(struct target *t, const char *table, const char *project,
                const struct claim_owner *me, int lease_s, struct error *err);

/* Gives up my claim on project (the row keeps who held it last) and
 * commits. Returns 0 or -1. */
int claim_release(struct target *t, const char *table, const char *project,
                  const struct claim_owner *me, struct error *err);

#endif
