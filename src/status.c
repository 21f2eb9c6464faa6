/* status: the `status` command, a read of the progress table through the
 * checkpoint module. */
#include "status.h"

#include "ckpt.h"
#include "target.h"
#include "url.h"

int status_print(const struct config *cfg, FILE *out, struct error *err)
{
    struct url u;
    struct target t;
    if (url_parse(cfg->target_url, &u, err) != 0)
        return -1;
    int rc = target_connect(&t, &u, err);
    url_free(&u);
    if (rc != 0)
        return -1;
    rc = ckpt_print_status(&t, cfg->progress_table, out, err);
    target_close(&t);
    return rc;
}
