/* report_json: the --report document (see report_json.h), generated with
 * yajl through json_out. */
#include "report_json.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "json_out.h"
#include "reader.h"
#include "rejects.h"
#include "target.h"

/* The counts of a set of tables, summed. */
struct sums {
    long long read, loaded, rejected;
    double seconds;
};

static void add(struct sums *s, const struct report_table *t)
{
    s->read += t->read;
    s->loaded += t->loaded;
    s->rejected += t->rejected;
    s->seconds += t->seconds;
}

static void put_sums(struct json_out *j, const struct sums *s)
{
    json_out_int(j, "rows_read", s->read);
    json_out_int(j, "rows_loaded", s->loaded);
    json_out_int(j, "rows_rejected", s->rejected);
    json_out_num(j, "seconds", s->seconds);
    json_out_num(j, "rows_per_second", s->seconds > 0 ? (double)s->read / s->seconds : -1);
}

static const char *check_name(enum report_check c)
{
    return c == REPORT_CHECK_OK ? "ok" : c == REPORT_CHECK_DIFFERS ? "differs" : NULL;
}

/* The target URL as given, without its password (USER:PASSWORD@ → USER@). */
static void put_url(struct json_out *j, const char *key, const char *url)
{
    size_t off, len;
    if (url == NULL || !url_password_span(url, &off, &len)) {
        json_out_str(j, key, url);
        return;
    }
    char *clean = strdup(url);
    if (clean == NULL) {
        j->failed = true;
        return;
    }
    memmove(clean + off - 1, url + off + len, strlen(url + off + len) + 1); /* drop ':' too */
    json_out_str(j, key, clean);
    free(clean);
}

static void put_tls_options(struct json_out *j, const struct url_tls *tls)
{
    json_out_str(j, "ssl_mode", tls->mode == URL_SSL_UNSET ? NULL : url_ssl_mode_name(tls->mode));
    json_out_str(j, "ssl_ca", tls->ca);
    json_out_str(j, "ssl_capath", tls->capath);
    json_out_str(j, "ssl_cert", tls->cert);
    json_out_str(j, "ssl_key", tls->key);
    json_out_str(j, "ssl_cipher", tls->cipher);
    json_out_str(j, "tls_version", tls->version);
}

/* Every option of the run, as it applied (defaults included); no password. */
static void put_options(struct json_out *j, const struct config *cfg)
{
    static const char *const methods[] = {"auto", "load", "insert", "dry-run"};
    json_out_key(j, "options");
    json_out_map(j);
    json_out_str(j, "source", cfg->source_dir);
    put_url(j, "target", cfg->target_url);
    json_out_str(j, "pattern", cfg->pattern);
    json_out_bool(j, "recursive", cfg->recursive);
    json_out_str(j, "project_id_regex", cfg->project_id_regex);
    json_out_str(j, "project_column", cfg->project_column);
    json_out_int(j, "batch_rows", (long long)cfg->batch_rows);
    json_out_int(j, "batch_bytes", (long long)cfg->batch_bytes);
    json_out_bool(j, "dry_run", cfg->dry_run);
    json_out_str(j, "method", methods[cfg->method]);
    json_out_int(j, "jobs", (long long)cfg->jobs);
    json_out_int(j, "split_rows", (long long)cfg->split_rows);
    json_out_str(j, "shard", cfg->shard);
    json_out_str(j, "schema", cfg->schema_create ? "create" : "existing");
    json_out_bool(j, "foreign_keys", cfg->foreign_keys);
    json_out_bool(j, "no_binlog", cfg->no_binlog);
    json_out_str(j, "progress_table", cfg->progress_table);
    json_out_key(j, "restart_projects");
    json_out_array(j);
    for (size_t i = 0; i < cfg->nrestart; i++)
        json_out_str(j, NULL, cfg->restart[i]);
    json_out_array_end(j);
    json_out_str(j, "backup_suffix", cfg->backup_suffix);
    json_out_str(j, "backup_dir", cfg->backup_dir);
    json_out_bool(j, "no_backup_rename", cfg->no_backup_rename);
    json_out_bool(j, "accept_rejects", cfg->accept_rejects);
    json_out_str(j, "rejects", cfg->rejects_dir);
    json_out_str(j, "mapping", cfg->mapping_path);
    json_out_bool(j, "guess_time_units", cfg->guess_time_units);
    json_out_str(j, "zero_date", cfg->zero_date_null ? "null" : "reject");
    json_out_str(j, "invalid_utf8",
                 cfg->utf8_cp1252    ? "cp1252"
                 : cfg->utf8_replace ? "replace"
                                     : "reject");
    json_out_bool(j, "checksum", cfg->verify_checksum);
    json_out_int(j, "lease_seconds", cfg->lease_seconds);
    put_tls_options(j, &cfg->tls);
    json_out_str(j, "defaults_file", cfg->defaults_file);
    json_out_bool(j, "no_defaults", cfg->no_defaults);
    json_out_map_end(j);
}

static void put_connection(struct json_out *j, const struct target_info *c)
{
    bool connected = c->server[0] != '\0';
    json_out_key(j, "connection");
    json_out_map(j);
    json_out_bool(j, "connected", connected);
    json_out_str(j, "host", c->host[0] ? c->host : NULL);
    if (c->host[0])
        json_out_int(j, "port", c->port);
    else
        json_out_null(j, "port");
    json_out_str(j, "socket", c->socket[0] ? c->socket : NULL);
    json_out_bool(j, "tls", c->tls[0] != '\0');
    json_out_str(j, "tls_version", c->tls[0] ? c->tls : NULL);
    json_out_str(j, "cipher", c->cipher[0] ? c->cipher : NULL);
    json_out_map_end(j);
}

/* "reject_files": the reject files of table t of project p on disk
 * (absolute paths), or null when there are none. */
static void put_reject_files(struct json_out *j, struct rejects *rj, const char *project,
                             const char *table)
{
    static const char *const ext[] = {"tsv", "log"};
    char *path[2] = {NULL, NULL};
    bool any = false;
    for (int i = 0; i < 2; i++) {
        char *rel = project != NULL ? rejects_path(rj, project, table, ext[i]) : NULL;
        path[i] = rel != NULL && access(rel, F_OK) == 0 ? realpath(rel, NULL) : NULL;
        any |= path[i] != NULL;
        free(rel);
    }
    json_out_key(j, "reject_files");
    if (any) {
        json_out_map(j);
        json_out_str(j, "tsv", path[0]);
        json_out_str(j, "log", path[1]);
        json_out_map_end(j);
    } else {
        json_out_null(j, NULL);
    }
    free(path[0]);
    free(path[1]);
}

static void put_table(struct json_out *j, struct rejects *rj, const struct report_project *p,
                      const struct report_table *t)
{
    struct sums s = {0};
    add(&s, t);
    json_out_map(j);
    json_out_str(j, "table", t->name);
    put_sums(j, &s);
    json_out_str(j, "validation", check_name(t->counts));
    json_out_str(j, "checksum", check_name(t->checksum));
    json_out_str(j, "note", t->note);
    json_out_int(j, "utf8_replaced", t->replaced);
    json_out_int(j, "cp1252_decoded", t->decoded);
    put_reject_files(j, rj, t->rejected > 0 ? p->project_id : NULL, t->name);
    json_out_map_end(j);
}

/* One project; adds its tables to *total. */
static void put_project(struct json_out *j, struct rejects *rj, const struct report_project *p,
                        struct sums *total)
{
    struct sums s = {0};
    for (size_t k = 0; k < p->ntables; k++)
        add(&s, &p->tables[k]);
    json_out_map(j);
    json_out_str(j, "project", p->project_id);
    json_out_str(j, "file", p->file);
    json_out_str(j, "result",
                 p->error != NULL ? "failed"
                 : p->elsewhere   ? "left to another run"
                 : p->outcome != NULL && strncmp(p->outcome, "interrupted", 11) == 0 ? "interrupted"
                                                                                     : "ok");
    json_out_str(j, "outcome", p->outcome);
    json_out_str(j, "error", p->error);
    json_out_str(j, "left_to", p->elsewhere);
    char *backup = p->backup != NULL ? realpath(p->backup, NULL) : NULL;
    json_out_str(j, "backup", backup != NULL ? backup : p->backup);
    free(backup);
    json_out_int(j, "skipped_objects", (long long)p->nskipped);
    put_sums(j, &s);
    json_out_key(j, "tables");
    json_out_array(j);
    for (size_t k = 0; k < p->ntables; k++)
        put_table(j, rj, p, &p->tables[k]);
    json_out_array_end(j);
    json_out_map_end(j);
    total->read += s.read;
    total->loaded += s.loaded;
    total->rejected += s.rejected;
    total->seconds += s.seconds;
}

static void put_versions(struct json_out *j, const struct report *rep)
{
    json_out_key(j, "versions");
    json_out_map(j);
    json_out_str(j, "litelift", LITELIFT_VERSION);
    json_out_str(j, "sqlite", reader_library_version());
    json_out_str(j, "client_library", target_library_version());
    json_out_str(j, "server", rep->run.conn.server[0] ? rep->run.conn.server : NULL);
    json_out_map_end(j);
}

static void put_projects(struct json_out *j, const struct config *cfg, const struct report *rep)
{
    struct rejects rj;
    struct sums total = {0};
    size_t failed = 0;
    rejects_init(&rj, cfg->rejects_dir != NULL ? cfg->rejects_dir : ".");
    json_out_key(j, "projects");
    json_out_array(j);
    for (size_t i = 0; i < rep->nprojects; i++) {
        put_project(j, &rj, &rep->projects[i], &total);
        failed += rep->projects[i].error != NULL;
    }
    json_out_array_end(j);
    rejects_free(&rj);
    json_out_key(j, "totals");
    json_out_map(j);
    json_out_int(j, "projects", (long long)rep->nprojects);
    json_out_int(j, "projects_failed", (long long)failed);
    put_sums(j, &total);
    long long retried = 0;
    for (size_t i = 0; i < rep->nretries; i++)
        retried += rep->retries[i].count;
    json_out_int(j, "retries", retried);
    json_out_key(j, "retries_by_kind");
    json_out_map(j);
    for (size_t i = 0; i < rep->nretries; i++)
        json_out_int(j, rep->retries[i].reason, rep->retries[i].count);
    json_out_map_end(j);
    json_out_map_end(j);
}

/* The whole document into j. */
static void put_document(struct json_out *j, const struct config *cfg, const char *command,
                         const struct report *rep, int status, const char *failure)
{
    json_out_map(j);
    json_out_int(j, "report_version", 1);
    json_out_str(j, "command", command);
    json_out_str(j, "run_id", rep->run.id[0] ? rep->run.id : NULL);
    put_versions(j, rep);
    json_out_time(j, "started", rep->run.started);
    json_out_time(j, "ended", rep->run.ended);
    json_out_num(j, "wall_seconds", rep->run.ended - rep->run.started);
    put_options(j, cfg);
    put_connection(j, &rep->run.conn);
    put_projects(j, cfg, rep);
    json_out_bool(j, "dry_run", rep->dry_run);
    json_out_bool(j, "interrupted", rep->interrupted);
    json_out_str(j, "error", failure);
    json_out_int(j, "exit_status", status);
    json_out_map_end(j);
}

int report_json_write(const char *path, const struct config *cfg, const char *command,
                      struct report *rep, int status, const char *failure, struct error *err)
{
    struct json_out j;
    char *tmp = NULL;
    FILE *f = NULL;
    int rc = -1;
    report_end(rep);
    if (json_out_init(&j, err) != 0)
        return error_prefix(err, "report %s", path);
    put_document(&j, cfg, command, rep, status, failure);
    if (asprintf(&tmp, "%s.tmp", path) < 0) {
        tmp = NULL;
        error_oom(err);
        goto out;
    }
    if ((f = fopen(tmp, "w")) == NULL) {
        error_set(err, "cannot write %s: %m", tmp);
        goto out;
    }
    if (json_out_finish(&j, f, err) != 0)
        goto out;
    int closed = fclose(f);
    f = NULL;
    if (closed != 0 || rename(tmp, path) != 0) {
        error_set(err, "cannot write %s: %m", path);
        goto out;
    }
    rc = 0;
out:
    if (f != NULL)
        fclose(f);
    if (rc != 0 && tmp != NULL)
        unlink(tmp);
    json_out_free(&j);
    free(tmp);
    return rc != 0 ? error_prefix(err, "report %s", path) : 0;
}
