/* schema_meaning: CHECK enforcement and NOCASE collations of the design, as
 * the server decides them (see schema_meaning.h). */
#include "schema_meaning.h"

#include <string.h>

#include "target_fold.h"

/* Whether the server behind tgt enforces CHECK constraints. */
static bool enforces_checks(struct target *tgt)
{
    unsigned long v = target_server_version(tgt);
    return tgt->mariadb ? v >= 100201 : v >= 80016;
}

int schema_meaning_decide(FILE *log, struct ddl_schema *s, struct target *tgt, struct error *err)
{
    if (tgt != NULL)
        ddl_set_checks_enforced(s, enforces_checks(tgt));
    if (ddl_collations(s, tgt != NULL ? target_fold_weigh : ddl_weigh_local, tgt) != 0)
        return error_oom(err);
    struct buf lines;
    buf_init(&lines, BUF_CAP_LIST);
    if (log != NULL && ddl_warnings(s, &lines) > 0)
        for (char *line = lines.data, *nl; (nl = strchr(line, '\n')) != NULL; line = nl + 1)
            fprintf(log, "litelift: WARNING: %.*s\n", (int)(nl - line), line);
    buf_free(&lines);
    return 0;
}
