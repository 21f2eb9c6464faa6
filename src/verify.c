/* verify: post-load validation queries (see verify.h). */
#include "verify.h"

#include <string.h>

int verify_count(struct target *t, const char *table, const char *project_column,
                 const char *project_id, long long *count, struct error *err)
{
    struct buf sql;
    buf_init(&sql, 0);
    int rc = -1;
    if (buf_puts(&sql, "SELECT COUNT(*) FROM ") || target_quote_ident(&sql, table) ||
        buf_puts(&sql, " WHERE ") || target_quote_ident(&sql, project_column) ||
        buf_puts(&sql, " = ") || target_quote_string(t, &sql, project_id, strlen(project_id))) {
        error_set(err, "out of memory");
        goto out;
    }
    rc = target_query_ll(t, sql.data, count, err);
    if (rc == 0)
        rc = target_execs(t, "COMMIT", err); /* end the read's implicit transaction */
out:
    buf_free(&sql);
    return rc;
}
