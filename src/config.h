/* config: every option of a litelift run, filled by main.c from the command line
 * and read (never written) by the pipeline. */
#ifndef LITELIFT_CONFIG_H
#define LITELIFT_CONFIG_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "url.h"

enum config_method {
    CONFIG_METHOD_AUTO,   /* LOAD DATA when the server allows it, else INSERT */
    CONFIG_METHOD_LOAD,   /* streaming LOAD DATA LOCAL INFILE */
    CONFIG_METHOD_INSERT, /* multi-row INSERT batches */
    CONFIG_METHOD_DRYRUN  /* read and convert only; nothing is written */
};

/* --progress: how a run shows how far it is (see progress.h). */
enum config_progress {
    CONFIG_PROGRESS_AUTO,  /* tty when stderr is a terminal, else plain */
    CONFIG_PROGRESS_TTY,   /* a display redrawn in place */
    CONFIG_PROGRESS_PLAIN, /* a timestamped line every progress_seconds */
    CONFIG_PROGRESS_NONE
};

/* --protocol: how to reach the server. */
/* How much of each project the summary shows (--summary). */
enum config_summary {
    CONFIG_SUMMARY_AUTO,     /* chosen by the number of projects */
    CONFIG_SUMMARY_FULL,     /* every table */
    CONFIG_SUMMARY_PROJECTS, /* a line per project, tables only with something to say */
    CONFIG_SUMMARY_TOTALS    /* totals, and what needs attention */
};

enum config_protocol {
    CONFIG_PROTOCOL_DEFAULT, /* the socket for localhost without a port, else TCP */
    CONFIG_PROTOCOL_TCP,
    CONFIG_PROTOCOL_SOCKET
};

/* status --format. */
enum config_format { CONFIG_FORMAT_TABLE, CONFIG_FORMAT_JSON, CONFIG_FORMAT_TSV };

struct config {
    const char *source_dir;
    const char *target_url;        /* its password, if any, wiped from argv (see cli_parse) */
    char *target_url_copy;         /* owned copy target_url points to after such a wipe */
    struct url_tls tls;            /* --ssl-mode, --ssl-ca, ...: where the URL says nothing */
    enum config_protocol protocol; /* --protocol */
    const char *defaults_file;     /* --defaults-file: the only option file read */
    const char *defaults_extra;    /* --defaults-extra-file: read after the usual ones */
    bool no_defaults;              /* --no-defaults: no option file at all */
    const char *password_file;     /* --password-file */
    bool password_prompt;          /* -p / --password: ask on the terminal */
    const char *pattern;           /* fnmatch pattern for project files, default "*.db" */
    bool recursive;
    const char *project_id_regex; /* first capture group of the file name, or NULL */
    const char *project_column;   /* default "project_id" */
    size_t batch_rows;            /* rows per batch/transaction, default 5000 */
    size_t batch_bytes;           /* SQL bytes per statement, capped below max_allowed_packet */
    bool dry_run;
    bool offline;              /* --offline: a dry-run that does not connect */
    enum config_method method; /* --method auto|load|insert (dry-run overrides) */
    size_t jobs;               /* --jobs: parallel workers, 0 = one per core */
    size_t split_rows;         /* --split-rows: a table this large is loaded in key ranges */
    const char *shard;         /* --shard I/N: only the projects of shard I of N, or NULL */
    bool schema_create;        /* --schema create: design and create missing tables */
    bool foreign_keys;         /* --foreign-keys: composite foreign keys in created tables */
    size_t key_length;         /* --key-length: text key width in created tables, 0 = default */
    bool no_binlog;            /* SET sql_log_bin = 0 (needs privilege; replicas miss the load) */
    enum config_progress progress; /* --progress auto|tty|plain|none */
    double progress_seconds;       /* --progress-every: a plain line this often, 0 = none */
    bool quiet;                    /* no per-reject lines on stderr */
    bool verbose;                  /* every skipped object and note on stderr */
    const char *log_file;          /* --log-file: the full detail, time-stamped, or NULL */
    enum config_summary summary;   /* --summary */
    const char *progress_table;    /* checkpoint table in the target, default litelift_progress */
    const char **tables;           /* --tables: only tables matching one of these globs */
    size_t ntables;
    const char **exclude_tables; /* --exclude-tables: tables left out */
    size_t nexclude_tables;
    const char **exclude; /* --exclude: project files left out (name or relative path) */
    size_t nexclude;
    const char **restart; /* --restart-project ids */
    size_t nrestart;
    const char **adopt; /* --adopt ids: rows found without checkpoint are a complete load */
    size_t nadopt;
    const char *backup_suffix; /* default ".migrated" */
    const char *backup_dir;    /* move backups there instead, or NULL */
    bool no_backup_rename;
    bool accept_rejects;               /* rename as backup even when rows were rejected */
    volatile const sig_atomic_t *stop; /* set (by a signal handler) to stop at a batch boundary */
    const char *mapping_path;          /* --mapping INI file, or NULL */
    bool guess_time_units;             /* apply the single plausible time unit */
    bool zero_date_null;               /* --zero-date null */
    bool utf8_replace;                 /* --invalid-utf8 replace */
    bool utf8_cp1252;                  /* --invalid-utf8 cp1252 */
    const char *rejects_dir;           /* default ./litelift-rejects */
    bool verify_checksum;              /* --verify checksum before the backup rename */
    bool include_backups;              /* verify: also scan NAME + backup_suffix files */
    int lease_seconds;                 /* --lease: a claim lasts this long unrenewed */
    int connect_timeout;               /* --connect-timeout: seconds to reach the server */
    int net_timeout;                   /* --net-timeout: seconds to wait for a read or write */
    int lock_wait_timeout;             /* --lock-wait-timeout: seconds a statement waits for */
                                       /* a lock (innodb_lock_wait_timeout, lock_wait_timeout) */
    size_t retries;                    /* --retries: a table's load retried this often */
    int retry_wait;                    /* --retry-wait: seconds before the first retry */
    const char *report_path;           /* --report FILE.json, or NULL */
    enum config_format status_format;  /* status --format */
};

/* Sets every field to its documented default. */
void config_defaults(struct config *cfg);

#endif
