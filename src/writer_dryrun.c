/* writer_dryrun: the backend of --dry-run. Rows are read and converted as in a
 * real run, then dropped here: nothing is written anywhere. */
#include "writer.h"

static int dry_open(struct writer *w, const struct writer_table *t, struct error *err)
{
    (void)w;
    (void)t;
    (void)err;
    return 0;
}

static int dry_write(struct writer *w, const struct batch *b, struct error *err)
{
    (void)w;
    (void)b;
    (void)err;
    return 0;
}

static int dry_commit(struct writer *w, struct error *err)
{
    (void)w;
    (void)err;
    return 0;
}

static void dry_close(struct writer *w)
{
    (void)w;
}

const struct writer_ops writer_dryrun_ops = {"dry-run", dry_open, dry_write, dry_commit, dry_close};
