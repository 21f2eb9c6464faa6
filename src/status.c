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
    int rc = target_connect(&t, &u, err); /* u outlives the connection */
    if (rc == 0) {
        rc = ckpt_print_status(&t, cfg->progress_table, out, err);
        target_close(&t);
    }
    url_free(&u);
    return rc;
}
