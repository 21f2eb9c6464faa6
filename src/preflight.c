/* preflight: the pre-flight checks of method, packet size and unrecorded
 * rows (see preflight.h). */
#include "preflight.h"

#include <stdlib.h>
#include <string.h>

#include "ranges.h"
#include "check.h"
#include "ckpt.h"
#include "verify.h"

/* The room the INSERT writer keeps below max_allowed_packet (writer_init). */
#define PROTOCOL_ROOM 4096

bool preflight_listed(const char *const *v, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], id) == 0)
            return true;
    return false;
}

int preflight_method(struct run *run, struct error *err)
{
    struct target *t = &run->tgt;
    bool server = t->local_infile, client = target_client_local_infile(t);
    const char *no_server = "the server does not allow LOAD DATA LOCAL INFILE (@@local_infile is "
                            "OFF; SET GLOBAL local_infile = 1 allows it)";
    const char *no_client = "the client library has LOAD DATA LOCAL INFILE switched off (an "
                            "option file's local-infile = 0?)";
    if (run->cfg->method == CONFIG_METHOD_LOAD && (!server || !client))
        return error_set(err, "--method load: %s%s%s; or use --method insert",
                         server ? "" : no_server, !server && !client ? "; " : "",
                         client ? "" : no_client);
    if (run->cfg->method == CONFIG_METHOD_AUTO && run->cfg->dry_run) {
        if (server && client)
            fputs("litelift: method: the real run will use LOAD DATA LOCAL INFILE (--method "
                  "auto: the server's local_infile is ON)\n",
                  run->rep->log);
        else
            fprintf(run->rep->log,
                    "litelift: method: the real run will use multi-row INSERT (--method auto: "
                    "%s)\n",
                    server ? no_client : no_server);
    }
    return 0;
}

/* Sets counts[t] to the rows of project id in the target table of each
 * table t of the open project r (0 for a table skipped, or one --schema
 * create would make). Returns 0, or -1 with err. */
static int count_tables(struct run *run, struct reader *r, const char *id, long long *counts,
                        struct error *err)
{
    for (size_t t = 0; t < r->ntables; t++) {
        struct plan_table p;
        struct error ignored; /* check_project reported it */
        counts[t] = 0;
        if (plan_table(&run->plan, r, t, &p, &ignored) != 0)
            continue;
        int rc = p.skip ? 0
                        : verify_count(&run->tgt, p.tgt->name, run->cfg->project_column, id,
                                       &counts[t], err);
        if (rc != 0 && target_errno(&run->tgt) == 1146) { /* one --schema create would make */
            rc = 0;
            counts[t] = 0;
        }
        plan_table_free(&p);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* Appends "TABLE (N row(s))" for each table t of the open project r whose
 * target table holds counts[t] > 0 rows though its checkpoint (in cp)
 * records no load. */
static void unrecorded_tables(struct run *run, struct reader *r, const long long *counts,
                              struct ckpt_project *cp, struct buf *found)
{
    for (size_t t = 0; t < r->ntables; t++) {
        const struct ckpt_row *c = ckpt_find(cp, r->tables[t].name);
        struct plan_table p;
        struct error ignored;
        if (counts[t] == 0 || (c != NULL && (c->state != CKPT_PENDING || c->rows_loaded != 0)) ||
            ranges_begun(cp, r->tables[t].name) || plan_table(&run->plan, r, t, &p, &ignored) != 0)
            continue;
        buf_printf(found, "%s%s (%lld row(s))", found->len ? ", " : "", p.tgt->name, counts[t]);
        plan_table_free(&p);
    }
}

/* One project's check of preflight_unrecorded. The checkpoints are read
 * after the counts, in a later snapshot: rows another run commits meanwhile
 * come with their checkpoint, so they are never taken for unrecorded ones.
 * Returns 0 (the project may go on), 1 with perr set (it fails), or -1 with
 * err. */
static int unrecorded(struct run *run, const struct scan_entry *e, struct error *perr,
                      struct error *err)
{
    const struct config *cfg = run->cfg;
    const char *id = e->project_id;
    struct reader r;
    struct ckpt_project cp = {0};
    struct buf found;
    buf_init(&found, BUF_CAP_LIST);
    long long *counts = NULL;
    int rc = 0;
    if (check_project(run, e, false, &r, perr) == 0) {
        counts = calloc(r.ntables + 1, sizeof *counts);
        rc = counts == NULL ? error_oom(err) : count_tables(run, &r, id, counts, err);
        if (rc == 0 && (rc = target_commit(&run->tgt, err)) == 0 &&
            (rc = ckpt_load(&run->tgt, cfg->progress_table, id, &cp, err)) == 0)
            unrecorded_tables(run, &r, counts, &cp, &found);
    }
    if (rc == 0 && buf_check(&found, err) != 0)
        rc = -1;
    if (rc == 0 && found.len > 0 && !preflight_listed(cfg->adopt, cfg->nadopt, id)) {
        error_set(perr,
                  "the target already holds rows of project '%s' that no checkpoint records: "
                  "%s; loading it would add them again and fail its validation. If they are a "
                  "complete earlier load of this file, --adopt '%s' checks them against the "
                  "source (counts%s) and records them as loaded, loading nothing; else "
                  "--restart-project '%s' deletes them and loads the project again",
                  id, found.data, id, cfg->verify_checksum ? " and checksums" : "", id);
        rc = 1;
    }
    free(counts);
    buf_free(&found);
    ckpt_project_free(&cp);
    reader_close(&r);
    return rc;
}

int preflight_unrecorded(struct run *run, const struct scan_list *list, struct report_project *rps,
                         struct error *err)
{
    for (size_t i = 0; i < list->n && !run_stopped(run); i++) {
        const struct scan_entry *e = &list->v[i];
        struct error perr;
        if (rps[i].error != NULL || rps[i].by_other || e->project_id == NULL ||
            preflight_listed(run->cfg->restart, run->cfg->nrestart, e->project_id))
            continue;
        int rc = unrecorded(run, e, &perr, err);
        if (rc < 0)
            return -1;
        if (rc > 0)
            report_fail(run->rep, &rps[i], perr.msg);
    }
    return 0;
}

int preflight_packet(struct run *run, struct reader *r, size_t t, const struct plan_table *p,
                     const struct writer *w, struct error *err)
{
    struct target *tgt = &run->tgt;
    bool insert = run->cfg->method == CONFIG_METHOD_INSERT ||
                  (run->cfg->method == CONFIG_METHOD_AUTO &&
                   !(tgt->local_infile && target_client_local_infile(tgt)));
    unsigned long server = tgt->max_packet, client = target_client_max_packet(tgt);
    unsigned long limit = server < client ? server : client;
    size_t bytes, col, col_bytes, klen;
    const char *key;
    writer_dryrun_widest(w, &bytes, &col, &col_bytes, &key, &klen);
    if (!insert || limit == 0 || bytes + PROTOCOL_ROOM <= limit)
        return 0;
    struct buf text;
    buf_init(&text, BUF_CAP_ROW);
    sqlite3_stmt *row = reader_lookup(r, t, key, klen, err);
    if (row == NULL || reader_key(r, row, &text) != 0 || buf_check(&text, err) != 0) {
        buf_free(&text);
        return -1;
    }
    unsigned long need = ((bytes + PROTOCOL_ROOM) / 1048576 + 1) * 1048576;
    error_set_table(err, p->tgt->name,
                    "its widest row (key %s) is an INSERT statement of %zu bytes (column %s: %zu "
                    "bytes), which does not fit max_allowed_packet (server %lu, client %lu, less "
                    "%d bytes kept for the protocol): the real run would reject it. Raise it: "
                    "SET GLOBAL max_allowed_packet = %lu (and max-allowed-packet in the option "
                    "files' [client] group when the client's is the smaller), or let rows travel "
                    "by LOAD DATA LOCAL INFILE (SET GLOBAL local_infile = 1, --method load)",
                    text.data, bytes, p->tgt_names[col], col_bytes, server, client, PROTOCOL_ROOM,
                    need);
    buf_free(&text);
    return -1;
}
