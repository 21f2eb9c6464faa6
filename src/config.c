/* config: defaults of the run configuration. */
#include "config.h"

#include <string.h>

void config_defaults(struct config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->pattern = "*.db";
    cfg->project_column = "project_id";
    cfg->batch_rows = 5000;
    cfg->batch_bytes = 8u << 20;
    cfg->split_rows = 1000000;
    cfg->progress_table = "litelift_progress";
    cfg->progress_seconds = 30;
    cfg->lease_seconds = 300;
    cfg->connect_timeout = 10;
    cfg->net_timeout = 600;
    cfg->lock_wait_timeout = 60;
    cfg->retries = 5;
    cfg->retry_wait = 2;
    cfg->backup_suffix = ".migrated";
    cfg->rejects_dir = "litelift-rejects";
}
