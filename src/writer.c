/* writer: backend selection (see writer.h). */
#include "writer.h"

#include <string.h>

int writer_init(struct writer *w, enum config_method m, struct target *tgt, size_t stmt_bytes,
                struct error *err)
{
    memset(w, 0, sizeof *w);
    w->tgt = tgt;
    w->ops = m == CONFIG_METHOD_DRYRUN ? &writer_dryrun_ops : &writer_insert_ops;
    w->max_statement = stmt_bytes;
    if (tgt != NULL && tgt->max_packet > 0 && w->max_statement > tgt->max_packet - 4096)
        w->max_statement = tgt->max_packet - 4096;
    if (w->ops != &writer_dryrun_ops && tgt == NULL)
        return error_set(err, "the %s writer needs a target connection", w->ops->name);
    return 0;
}
