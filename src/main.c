/* main: litelift's command line. Parses options into one struct config, runs
 * the pipeline and maps the result to the exit status:
 *   0 every project loaded and validated, no row rejected
 *   1 a project failed or a row was rejected (or the run could not start)
 *   2 usage error
 *   3 interrupted by SIGINT/SIGTERM at a batch boundary (rerun to continue)
 *   4 nothing failed, but projects another run had claimed were left to it */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backup.h"
#include "ckpt.h"
#include "config.h"
#include "pipeline.h"
#include "report.h"
#include "target.h"
#include "url.h"

#define LITELIFT_VERSION "0.1.0"

enum { EXIT_OK = 0, EXIT_PROBLEMS = 1, EXIT_USAGE = 2 };

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void usage(FILE *out)
{
    fputs("usage: litelift migrate --source DIR --target URL [options]\n"
          "       litelift verify --source DIR --target URL [--checksum] [options]\n"
          "       litelift schema --source DIR [--target URL] [options]\n"
          "       litelift status --target URL [--progress-table NAME]\n"
          "       litelift --help | --version\n"
          "\n"
          "Folds per-project SQLite files into one MySQL/MariaDB database, tagging every\n"
          "row with its project's id.\n"
          "\n"
          "  --source DIR              directory of project files\n"
          "  --target URL              mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?socket=PATH]\n"
          "                            (percent-encode odd characters)\n"
          "  --pattern GLOB            project file pattern (default *.db)\n"
          "  --recursive               also scan subdirectories\n"
          "  --project-id-regex RE     project id = first capture group of the file name\n"
          "                            (default: the file name without its extension)\n"
          "  --project-column NAME     target column holding the project id (default project_id)\n"
          "  --batch-rows N            rows per batch and transaction (default 5000)\n"
          "  --batch-bytes N           bytes per statement (default 8388608, always kept below\n"
          "                            the server's max_allowed_packet)\n"
          "  --method auto|load|insert how rows are sent: streaming LOAD DATA LOCAL INFILE\n"
          "                            (load), multi-row INSERT (insert), or load when the\n"
          "                            server allows local_infile, else insert (auto, default)\n"
          "  --schema existing|create  use the target's tables (default), or first create the\n"
          "                            tables the target lacks, designed from every file\n"
          "  --foreign-keys            with --schema create: each foreign key becomes a\n"
          "                            composite (project, col) -> (project, key) one\n"
          "  --progress-every SECONDS  a progress line on stderr this often (default 10 on a\n"
          "                            terminal, else never; 0: never)\n"
          "  --jobs N                  parallel workers, each with its own connection, taking\n"
          "                            whole projects (default: one per core)\n"
          "  --lease SECONDS           how long a project stays claimed by this run without\n"
          "                            word from it; renewed with every batch (default 300)\n"
          "  --no-binlog               SET sql_log_bin = 0 while loading (needs privilege;\n"
          "                            replicas will not receive the rows)\n"
          "  --dry-run                 read and convert everything, check the target schema,\n"
          "                            report what would happen; write nothing\n"
          "  --quiet                   do not log each rejected row\n"
          "  --progress-table NAME     checkpoint table in the target (default litelift_progress)\n"
          "  --restart-project ID      delete ID's rows and checkpoints from the target and load\n"
          "                            it again (repeatable)\n"
          "  --backup-suffix SUFFIX    rename finished sources NAME -> NAME.SUFFIX (default\n"
          "                            .migrated), with their -wal/-shm companions\n"
          "  --backup-dir DIR          move finished sources into DIR instead\n"
          "  --no-backup-rename        leave finished sources where they are\n"
          "  --accept-rejects          rename as backup even when rows were rejected\n"
          "  --rejects DIR             reject files go to DIR/PROJECT/TABLE.rejects.{tsv,log}\n"
          "                            (default ./litelift-rejects)\n"
          "  --mapping FILE            per-table/column overrides (INI; see README)\n"
          "  --guess-time-units        apply the single plausible time unit of a date column\n"
          "                            whose numbers are not plausible unix seconds\n"
          "  --zero-date reject|null   zero, invalid and out-of-range dates: reject the row\n"
          "                            (default) or load NULL (nullable columns)\n"
          "  --invalid-utf8 reject|replace|cp1252   text that is not UTF-8: reject the row\n"
          "                            (default), load it with U+FFFD replacements, or read\n"
          "                            it as Windows-1252/Latin-1 (counted)\n"
          "  --verify checksum         compare a CRC32 of every converted row with the target\n"
          "                            before renaming a project's file\n"
          "  --help, --version\n"
          "\n"
          "Exit status: 0 all projects loaded and validated with no rejects; 1 a project\n"
          "failed or a row was rejected; 2 usage error; 3 interrupted (rerun to continue);\n"
          "4 nothing failed, but projects claimed by another run were left to it.\n",
          out);
}

/* litelift status: prints the progress table. */
static int status(const struct config *cfg)
{
    struct url u;
    struct target t;
    struct error err;
    if (url_parse(cfg->target_url, &u, &err) != 0) {
        fprintf(stderr, "litelift: %s\n", err.msg);
        return EXIT_PROBLEMS;
    }
    int rc = target_connect(&t, &u, &err);
    url_free(&u);
    if (rc == 0) {
        rc = ckpt_print_status(&t, cfg->progress_table, stdout, &err);
        target_close(&t);
    }
    if (rc != 0)
        fprintf(stderr, "litelift: %s\n", err.msg);
    return rc == 0 ? EXIT_OK : EXIT_PROBLEMS;
}

static int parse_size(const char *s, size_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v == 0 || s[0] == '-')
        return -1;
    *out = (size_t)v;
    return 0;
}

int main(int argc, char **argv)
{
    enum {
        OPT_SOURCE = 256,
        OPT_TARGET,
        OPT_PATTERN,
        OPT_RECURSIVE,
        OPT_REGEX,
        OPT_PCOL,
        OPT_BROWS,
        OPT_BBYTES,
        OPT_DRY,
        OPT_QUIET,
        OPT_PROGRESS,
        OPT_RESTART,
        OPT_BSUFFIX,
        OPT_BDIR,
        OPT_NORENAME,
        OPT_ACCEPT,
        OPT_REJECTS,
        OPT_MAPPING,
        OPT_GUESS,
        OPT_ZERODATE,
        OPT_UTF8,
        OPT_VERIFY,
        OPT_CHECKSUM,
        OPT_METHOD,
        OPT_JOBS,
        OPT_NOBINLOG,
        OPT_SCHEMA,
        OPT_FKEYS,
        OPT_EVERY,
        OPT_LEASE,
        OPT_HELP,
        OPT_VERSION
    };
    static const struct option opts[] = {
        {"source", required_argument, NULL, OPT_SOURCE},
        {"target", required_argument, NULL, OPT_TARGET},
        {"pattern", required_argument, NULL, OPT_PATTERN},
        {"recursive", no_argument, NULL, OPT_RECURSIVE},
        {"project-id-regex", required_argument, NULL, OPT_REGEX},
        {"project-column", required_argument, NULL, OPT_PCOL},
        {"batch-rows", required_argument, NULL, OPT_BROWS},
        {"batch-bytes", required_argument, NULL, OPT_BBYTES},
        {"dry-run", no_argument, NULL, OPT_DRY},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"progress-table", required_argument, NULL, OPT_PROGRESS},
        {"restart-project", required_argument, NULL, OPT_RESTART},
        {"backup-suffix", required_argument, NULL, OPT_BSUFFIX},
        {"backup-dir", required_argument, NULL, OPT_BDIR},
        {"no-backup-rename", no_argument, NULL, OPT_NORENAME},
        {"accept-rejects", no_argument, NULL, OPT_ACCEPT},
        {"rejects", required_argument, NULL, OPT_REJECTS},
        {"mapping", required_argument, NULL, OPT_MAPPING},
        {"guess-time-units", no_argument, NULL, OPT_GUESS},
        {"zero-date", required_argument, NULL, OPT_ZERODATE},
        {"invalid-utf8", required_argument, NULL, OPT_UTF8},
        {"verify", required_argument, NULL, OPT_VERIFY},
        {"checksum", no_argument, NULL, OPT_CHECKSUM},
        {"method", required_argument, NULL, OPT_METHOD},
        {"jobs", required_argument, NULL, OPT_JOBS},
        {"no-binlog", no_argument, NULL, OPT_NOBINLOG},
        {"schema", required_argument, NULL, OPT_SCHEMA},
        {"foreign-keys", no_argument, NULL, OPT_FKEYS},
        {"progress-every", required_argument, NULL, OPT_EVERY},
        {"lease", required_argument, NULL, OPT_LEASE},
        {"help", no_argument, NULL, OPT_HELP},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    struct config cfg;
    config_defaults(&cfg);
    cfg.progress_seconds = isatty(STDERR_FILENO) ? 10 : 0; /* someone watching */
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return EXIT_OK;
    }
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("litelift %s\n", LITELIFT_VERSION);
        return EXIT_OK;
    }
    bool status_cmd = argc >= 2 && strcmp(argv[1], "status") == 0;
    bool verify_cmd = argc >= 2 && strcmp(argv[1], "verify") == 0;
    bool schema_cmd = argc >= 2 && strcmp(argv[1], "schema") == 0;
    if (argc < 2 ||
        (strcmp(argv[1], "migrate") != 0 && !status_cmd && !verify_cmd && !schema_cmd)) {
        fprintf(stderr, "litelift: %s\n",
                argc < 2 ? "missing command"
                         : "unknown command (expected: migrate, verify, schema, status)");
        usage(stderr);
        return EXIT_USAGE;
    }
    int c;
    optind = 2;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case OPT_SOURCE:
            cfg.source_dir = optarg;
            break;
        case OPT_TARGET:
            cfg.target_url = optarg;
            break;
        case OPT_PATTERN:
            cfg.pattern = optarg;
            break;
        case OPT_RECURSIVE:
            cfg.recursive = true;
            break;
        case OPT_REGEX:
            cfg.project_id_regex = optarg;
            break;
        case OPT_PCOL:
            cfg.project_column = optarg;
            break;
        case OPT_FKEYS:
            cfg.foreign_keys = true;
            break;
        case OPT_SCHEMA:
            if (strcmp(optarg, "create") != 0 && strcmp(optarg, "existing") != 0) {
                fprintf(stderr, "litelift: --schema takes existing or create\n");
                return EXIT_USAGE;
            }
            cfg.schema_create = strcmp(optarg, "create") == 0;
            break;
        case OPT_NOBINLOG:
            cfg.no_binlog = true;
            break;
        case OPT_EVERY: {
            size_t secs;
            if (parse_size(optarg, &secs) != 0 && strcmp(optarg, "0") != 0) {
                fprintf(stderr, "litelift: --progress-every needs a number of seconds (0: "
                                "never)\n");
                return EXIT_USAGE;
            }
            cfg.progress_seconds = strcmp(optarg, "0") == 0 ? 0 : (double)secs;
            break;
        }
        case OPT_LEASE: {
            size_t secs;
            if (parse_size(optarg, &secs) != 0 || secs > 86400) {
                fprintf(stderr, "litelift: --lease needs a number of seconds from 1 to 86400\n");
                return EXIT_USAGE;
            }
            cfg.lease_seconds = (int)secs;
            break;
        }
        case OPT_JOBS:
            if (parse_size(optarg, &cfg.jobs) != 0 || cfg.jobs > 256) {
                fprintf(stderr, "litelift: --jobs needs a number from 1 to 256\n");
                return EXIT_USAGE;
            }
            break;
        case OPT_BROWS:
        case OPT_BBYTES:
            if (parse_size(optarg, c == OPT_BROWS ? &cfg.batch_rows : &cfg.batch_bytes) != 0) {
                fprintf(stderr, "litelift: --%s needs a positive integer\n",
                        c == OPT_BROWS ? "batch-rows" : "batch-bytes");
                return EXIT_USAGE;
            }
            break;
        case OPT_DRY:
            cfg.dry_run = true;
            break;
        case OPT_QUIET:
            cfg.quiet = true;
            break;
        case OPT_PROGRESS:
            cfg.progress_table = optarg;
            break;
        case OPT_RESTART: {
            const char **v = realloc(cfg.restart, (cfg.nrestart + 1) * sizeof *v);
            if (v == NULL)
                return EXIT_PROBLEMS;
            cfg.restart = v;
            cfg.restart[cfg.nrestart++] = optarg;
            break;
        }
        case OPT_BSUFFIX:
            cfg.backup_suffix = optarg;
            break;
        case OPT_BDIR:
            cfg.backup_dir = optarg;
            break;
        case OPT_NORENAME:
            cfg.no_backup_rename = true;
            break;
        case OPT_ACCEPT:
            cfg.accept_rejects = true;
            break;
        case OPT_REJECTS:
            cfg.rejects_dir = optarg;
            break;
        case OPT_MAPPING:
            cfg.mapping_path = optarg;
            break;
        case OPT_GUESS:
            cfg.guess_time_units = true;
            break;
        case OPT_ZERODATE:
            if (strcmp(optarg, "null") != 0 && strcmp(optarg, "reject") != 0) {
                fprintf(stderr, "litelift: --zero-date takes reject or null\n");
                return EXIT_USAGE;
            }
            cfg.zero_date_null = strcmp(optarg, "null") == 0;
            break;
        case OPT_UTF8:
            if (strcmp(optarg, "replace") != 0 && strcmp(optarg, "cp1252") != 0 &&
                strcmp(optarg, "reject") != 0) {
                fprintf(stderr, "litelift: --invalid-utf8 takes reject, replace or cp1252\n");
                return EXIT_USAGE;
            }
            cfg.utf8_replace = strcmp(optarg, "replace") == 0;
            cfg.utf8_cp1252 = strcmp(optarg, "cp1252") == 0;
            break;
        case OPT_VERIFY:
            if (strcmp(optarg, "checksum") != 0 && strcmp(optarg, "count") != 0) {
                fprintf(stderr, "litelift: --verify takes count (always done) or checksum\n");
                return EXIT_USAGE;
            }
            cfg.verify_checksum = strcmp(optarg, "checksum") == 0;
            break;
        case OPT_CHECKSUM:
            cfg.verify_checksum = true;
            break;
        case OPT_METHOD:
            if (strcmp(optarg, "auto") == 0)
                cfg.method = CONFIG_METHOD_AUTO;
            else if (strcmp(optarg, "load") == 0)
                cfg.method = CONFIG_METHOD_LOAD;
            else if (strcmp(optarg, "insert") == 0)
                cfg.method = CONFIG_METHOD_INSERT;
            else {
                fprintf(stderr, "litelift: --method takes auto, load or insert\n");
                return EXIT_USAGE;
            }
            break;
        case OPT_HELP:
            usage(stdout);
            return EXIT_OK;
        case OPT_VERSION:
            printf("litelift %s\n", LITELIFT_VERSION);
            return EXIT_OK;
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (status_cmd) {
        if (optind < argc || cfg.target_url == NULL) {
            fprintf(stderr, "litelift: status needs --target URL\n");
            return EXIT_USAGE;
        }
        return status(&cfg);
    }
    if (schema_cmd) {
        struct error err;
        if (optind < argc || cfg.source_dir == NULL) {
            fprintf(stderr, "litelift: schema needs --source DIR\n");
            return EXIT_USAGE;
        }
        if (pipeline_schema(&cfg, stdout, &err) != 0) {
            fprintf(stderr, "litelift: %s\n", err.msg);
            return EXIT_PROBLEMS;
        }
        return EXIT_OK;
    }
    if (cfg.backup_suffix[0] == '\0' && cfg.backup_dir == NULL) {
        fprintf(stderr, "litelift: --backup-suffix may only be empty with --backup-dir\n");
        return EXIT_USAGE;
    }
    if (optind < argc || cfg.source_dir == NULL || cfg.target_url == NULL) {
        fprintf(stderr, "litelift: %s needs --source DIR and --target URL\n", argv[1]);
        usage(stderr);
        return EXIT_USAGE;
    }
    struct error err;
    if (!verify_cmd && backup_check_options(&cfg, &err) != 0) {
        fprintf(stderr, "litelift: %s\n", err.msg);
        return EXIT_USAGE;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    cfg.stop = &stop_flag;
    struct report rep;
    report_init(&rep, stderr, cfg.dry_run, cfg.quiet);
    cfg.include_backups = verify_cmd;
    int rc = verify_cmd ? pipeline_verify(&cfg, &rep, &err) : pipeline_migrate(&cfg, &rep, &err);
    if (rc != 0)
        fprintf(stderr, "litelift: %s\n", err.msg);
    if (rc == 0 || rep.nprojects > 0)
        report_print(&rep, stdout); /* no empty summary when the run could not start */
    int status = rc != 0 ? EXIT_PROBLEMS : report_status(&rep);
    report_free(&rep);
    free(cfg.restart);
    return status;
}
