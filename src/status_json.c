/* status_json: the status board as JSON (`status --format json`, see
 * status.h and README "status"), through yajl's generator. */
#include "status.h"

#include "json_out.h"

static void put_tables(struct json_out *j, const struct ckpt_status_project *ck)
{
    json_out_key(j, "tables");
    json_out_array(j);
    for (size_t k = 0; ck != NULL && k < ck->ntables; k++) {
        const struct ckpt_status_table *t = &ck->tables[k];
        json_out_map(j);
        json_out_str(j, "table", t->name);
        json_out_str(j, "state", ckpt_state_name(t->state));
        json_out_int(j, "rows_loaded", t->loaded);
        json_out_int(j, "rows_rejected", t->rejected);
        if (t->total >= 0)
            json_out_int(j, "rows_total", t->total);
        else
            json_out_null(j, "rows_total");
        json_out_map_end(j);
    }
    json_out_array_end(j);
}

/* Who holds, or last held, the project (null when nobody claimed it). */
static void put_claim(struct json_out *j, const struct ckpt_status_project *ck)
{
    json_out_key(j, "claim");
    if (ck == NULL || ck->owner_host[0] == '\0') {
        json_out_null(j, NULL);
        return;
    }
    json_out_map(j);
    json_out_str(j, "host", ck->owner_host);
    json_out_int(j, "pid", ck->owner_pid);
    json_out_str(j, "since", ck->claimed_at);
    json_out_str(j, "lease_until", ck->lease_until[0] ? ck->lease_until : NULL);
    json_out_bool(j, "live", ck->live);
    json_out_map_end(j);
}

static void put_project(struct json_out *j, const struct status_project *p)
{
    const struct ckpt_status_project *ck = p->ck;
    json_out_map(j);
    json_out_str(j, "project", p->project);
    json_out_str(j, "status", status_kind_name(p->kind));
    json_out_str(j, "state", ck != NULL ? ckpt_state_name(ck->state) : NULL);
    json_out_num(j, "percent", p->percent);
    json_out_int(j, "rows_loaded", p->loaded);
    json_out_int(j, "rows_rejected", p->rejected);
    if (p->total >= 0)
        json_out_int(j, "rows_total", p->total);
    else
        json_out_null(j, "rows_total");
    json_out_int(j, "tables_done", (long long)p->tables_done);
    json_out_int(j, "tables_total", (long long)p->tables);
    json_out_str(j, "updated_at", ck != NULL ? ck->updated_at : NULL);
    json_out_str(j, "source_file", p->source_file);
    json_out_str(j, "backup_file", ck != NULL && ck->backup_file[0] ? ck->backup_file : NULL);
    json_out_str(j, "reason", p->reason);
    json_out_str(j, "failed_at", p->failed_at);
    put_claim(j, ck);
    put_tables(j, ck);
    json_out_map_end(j);
}

int status_print_json(const struct status_board *b, FILE *out, struct error *err)
{
    struct json_out j;
    if (json_out_init(&j, err) != 0)
        return -1;
    json_out_map(&j);
    json_out_str(&j, "database", b->database);
    json_out_str(&j, "progress_table", b->progress_table);
    json_out_bool(&j, "progress_table_exists", b->exists);
    json_out_key(&j, "projects");
    json_out_array(&j);
    for (size_t i = 0; i < b->n; i++)
        put_project(&j, &b->v[i]);
    json_out_array_end(&j);
    json_out_key(&j, "totals");
    json_out_map(&j);
    json_out_int(&j, "projects", (long long)b->n);
    static const char *const keys[STATUS_NKINDS] = {"done", "loading", "incomplete", "failed",
                                                    "not_started"};
    for (int k = 0; k < STATUS_NKINDS; k++)
        json_out_int(&j, keys[k], (long long)b->count[k]);
    json_out_int(&j, "rows_loaded", b->loaded);
    json_out_int(&j, "rows_rejected", b->rejected);
    if (b->total >= 0)
        json_out_int(&j, "rows_total", b->total);
    else
        json_out_null(&j, "rows_total");
    json_out_map_end(&j);
    json_out_int(&j, "exit_status", b->exit_status);
    json_out_map_end(&j);
    return json_out_finish(&j, out, err);
}
