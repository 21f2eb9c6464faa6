/* claim: project claims with leases in the progress table (see claim.h). */
#include "claim.h"

#include "ckpt.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

int claim_owner_init(struct claim_owner *o, struct error *err)
{
    unsigned long long nonce = 0;
    memset(o, 0, sizeof *o);
    if (gethostname(o->host, sizeof o->host - 1) != 0)
        snprintf(o->host, sizeof o->host, "unknown-host");
    if (getrandom(&nonce, sizeof nonce, 0) != (ssize_t)sizeof nonce)
        return error_set(err, "cannot make a run id: getrandom: %m");
    o->pid = (long)getpid();
    char ns[64];
    ssize_t n = readlink("/proc/self/ns/pid", ns, sizeof ns - 1);
    ns[n > 0 ? n : 0] = '\0';
    snprintf(o->pidns, sizeof o->pidns, "%s", n > 0 ? ns + strcspn(ns, "[") : "?");
    snprintf(o->id, sizeof o->id, "%s:%ld:%s:%016llx", o->host, o->pid, o->pidns, nonce);
    return 0;
}

/* SELECT of the claim columns of project's row; lock: " FOR UPDATE ...". */
static target_result *select_claim(struct target *t, const char *table, const char *project,
                                   const char *lock, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    target_result *res = NULL;
    if (buf_puts(&sql,
                 "SELECT owner, owner_host, owner_pid, IFNULL(claimed_at, ''), "
                 "IFNULL(lease_until, ''), IFNULL(lease_until < UTC_TIMESTAMP(6), 1) FROM ") ||
        target_quote_table(&sql, table) || ckpt_where(t, &sql, project, "") || buf_puts(&sql, lock))
        error_oom(err);
    else
        res = target_select_buf(t, &sql, "reading the project's claim", err);
    buf_free(&sql);
    return res;
}

static void holder_from_row(char **row, struct claim_holder *h)
{
    memset(h, 0, sizeof *h);
    snprintf(h->host, sizeof h->host, "%s", row[1] ? row[1] : "?");
    h->pid = row[2] ? strtol(row[2], NULL, 10) : 0;
    snprintf(h->since, sizeof h->since, "%.26s", row[3]);
    snprintf(h->until, sizeof h->until, "%.26s", row[4]);
}

/* Whether the claim in row may be taken by me: nobody's, mine, run out, or
 * left by a process of this host and pid namespace that is gone (or whose
 * pid is mine now). */
static bool claim_is_free(char **row, const struct claim_owner *me)
{
    if (row[0] == NULL || strcmp(row[0], me->id) == 0 || strcmp(row[5], "1") == 0)
        return true;
    if (row[1] == NULL || strcmp(row[1], me->host) != 0 || row[2] == NULL)
        return false;
    char here[200];
    snprintf(here, sizeof here, "%s:%s:%s:", me->host, row[2], me->pidns);
    if (strncmp(row[0], here, strlen(here)) != 0)
        return false; /* another pid namespace of this host name: only its lease tells */
    long pid = strtol(row[2], NULL, 10);
    return pid == me->pid || (pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH);
}

/* Reads who holds project without locking (the row is busy right now). */
static int read_holder(struct target *t, const char *table, const char *project,
                       struct claim_holder *h, struct error *err)
{
    target_result *res = select_claim(t, table, project, "", err);
    if (res == NULL)
        return -1;
    char **row = target_next(res);
    if (row != NULL)
        holder_from_row(row, h);
    else
        snprintf(h->host, sizeof h->host, "?");
    target_free(res);
    return target_rollback(t, err);
}

/* Signs project's row as mine with a fresh lease (the row is locked by the
 * caller's transaction). */
static int sign(struct target *t, const char *table, const char *project,
                const struct claim_owner *me, int lease_s, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    int bad = buf_puts(&sql, "UPDATE ") | target_quote_table(&sql, table) |
              buf_puts(&sql, " SET claimed_at = IF(owner <=> ") |
              target_quote_string(t, &sql, me->id, strlen(me->id)) |
              buf_puts(&sql, ", claimed_at, UTC_TIMESTAMP(6)), owner = ") |
              target_quote_string(t, &sql, me->id, strlen(me->id)) |
              buf_puts(&sql, ", owner_host = ") |
              target_quote_string(t, &sql, me->host, strlen(me->host)) |
              buf_printf(&sql,
                         ", owner_pid = %ld, lease_until = UTC_TIMESTAMP(6) + INTERVAL %d "
                         "SECOND, version = version + 1",
                         me->pid, lease_s) |
              ckpt_where(t, &sql, project, "");
    int rc = bad ? error_oom(err) : target_exec_buf(t, &sql, err);
    buf_free(&sql);
    return rc;
}

int claim_take(struct target *t, const char *table, const char *project,
               const struct claim_owner *me, int lease_s, struct claim_holder *h, struct error *err)
{
    unsigned long v = target_server_version(t);
    bool skip_locked = t->mariadb ? v >= 100600 : v >= 80001;
    struct error ignored;
    target_result *res = select_claim(t, table, project,
                                      skip_locked ? " FOR UPDATE SKIP LOCKED" : " FOR UPDATE", err);
    if (res == NULL)
        return -1;
    char **row = target_next(res);
    int rc = 0;
    if (row == NULL) {
        target_free(res); /* another run's transaction holds the row now */
        return read_holder(t, table, project, h, err) == 0 ? 0 : -1;
    }
    holder_from_row(row, h);
    bool free_claim = claim_is_free(row, me);
    target_free(res);
    if (!free_claim)
        return target_rollback(t, err) == 0 ? 0 : -1;
    if (sign(t, table, project, me, lease_s, err) != 0 || target_commit(t, err) != 0)
        rc = -1;
    if (rc != 0 && target_conflict(t)) {
        /* two nodes of a cluster signed it at once: the other one won */
        target_rollback(t, &ignored);
        return read_holder(t, table, project, h, err) == 0 ? 0 : -1;
    }
    if (rc != 0) {
        target_rollback(t, &ignored);
        return error_prefix(err, "claiming project '%s'", project);
    }
    return 1;
}

/* UPDATE of my row of project setting `set`; -1 unless exactly my row. */
static int update_mine(struct target *t, const char *table, const char *project,
                       const struct claim_owner *me, const char *set, struct error *err)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    int bad = buf_puts(&sql, "UPDATE ") | target_quote_table(&sql, table) | buf_puts(&sql, set) |
              ckpt_where(t, &sql, project, "") | buf_puts(&sql, " AND owner = ") |
              target_quote_string(t, &sql, me->id, strlen(me->id));
    long long n = bad ? error_oom(err) : target_update_buf(t, &sql, err);
    buf_free(&sql);
    int rc = n < 0 ? -1 : 0;
    if (n == 0)
        rc = error_set(err,
                       "project '%s' is no longer claimed by this run (%s): its lease ran out "
                       "and another run took it over, or its progress rows were reset; "
                       "nothing more of it is written by this run (see litelift status)",
                       project, me->id);
    return rc;
}

int claim_renew(struct target *t, const char *table, const char *project,
                const struct claim_owner *me, int lease_s, struct error *err)
{
    char set[128];
    snprintf(set, sizeof set,
             " SET lease_until = UTC_TIMESTAMP(6) + INTERVAL %d SECOND, version = version + 1",
             lease_s);
    return update_mine(t, table, project, me, set, err);
}

int claim_release(struct target *t, const char *table, const char *project,
                  const struct claim_owner *me, struct error *err)
{
    struct error ignored;
    if (update_mine(t, table, project, me,
                    " SET owner = NULL, lease_until = NULL, version = version + 1", err) == 0 &&
        target_commit(t, err) == 0)
        return 0;
    target_rollback(t, &ignored); /* no lock may ride into what comes next */
    return -1;
}
