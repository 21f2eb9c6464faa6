/* cli_options: the option table of litelift: every option's name, kind, the
 * field of struct config it fills, its choices, the commands that take it and
 * its help text. cli.c parses by it; cli_doc.c writes --help and --man from
 * it, so that the three never drift apart. */
#include <stddef.h>

#include "cli.h"
#include "config.h"

#define F(member) offsetof(struct config, member)
#define MIGRATE CLI_CMD(CLI_MIGRATE)
#define VERIFY CLI_CMD(CLI_VERIFY)
#define SCHEMA CLI_CMD(CLI_SCHEMA)
#define STATUS CLI_CMD(CLI_STATUS)
#define READS (MIGRATE | VERIFY | SCHEMA) /* the commands that read project files */
#define CONVERTS (MIGRATE | VERIFY)       /* ... and convert their rows */
#define CONNECTS (READS | STATUS)         /* the commands that connect to a target */
#define SCANS (READS | STATUS)            /* the commands that may list project files */

_Static_assert(sizeof(enum config_method) == sizeof(int), "CLI_ENUM stores an int");
_Static_assert(sizeof(enum config_progress) == sizeof(int), "CLI_ENUM stores an int");
_Static_assert(sizeof(enum config_protocol) == sizeof(int), "CLI_ENUM stores an int");
_Static_assert(sizeof(enum config_summary) == sizeof(int), "CLI_ENUM stores an int");
_Static_assert(sizeof(enum url_ssl_mode) == sizeof(int), "CLI_ENUM stores an int");
_Static_assert(sizeof(enum config_format) == sizeof(int), "CLI_ENUM stores an int");

const char *const cli_command_names[CLI_NCOMMANDS] = {"migrate", "verify", "schema", "status"};

static const struct cli_choice method_words[] = {
    {"auto", NULL, CLI_NO_FIELD, CONFIG_METHOD_AUTO},
    {"load", NULL, CLI_NO_FIELD, CONFIG_METHOD_LOAD},
    {"insert", NULL, CLI_NO_FIELD, CONFIG_METHOD_INSERT},
    {NULL, NULL, 0, 0}};
static const struct cli_choice progress_words[] = {
    {"auto", NULL, CLI_NO_FIELD, CONFIG_PROGRESS_AUTO},
    {"tty", NULL, CLI_NO_FIELD, CONFIG_PROGRESS_TTY},
    {"plain", NULL, CLI_NO_FIELD, CONFIG_PROGRESS_PLAIN},
    {"none", NULL, CLI_NO_FIELD, CONFIG_PROGRESS_NONE},
    {NULL, NULL, 0, 0}};
static const struct cli_choice schema_words[] = {
    {"existing", NULL, CLI_NO_FIELD, 0}, {"create", NULL, F(schema_create), 0}, {NULL, NULL, 0, 0}};
static const struct cli_choice zero_date_words[] = {
    {"reject", NULL, CLI_NO_FIELD, 0}, {"null", NULL, F(zero_date_null), 0}, {NULL, NULL, 0, 0}};
static const struct cli_choice utf8_words[] = {{"reject", NULL, CLI_NO_FIELD, 0},
                                               {"replace", NULL, F(utf8_replace), 0},
                                               {"cp1252", NULL, F(utf8_cp1252), 0},
                                               {NULL, NULL, 0, 0}};
static const struct cli_choice ssl_mode_words[] = {
    {"DISABLED", NULL, CLI_NO_FIELD, URL_SSL_DISABLED},
    {"PREFERRED", NULL, CLI_NO_FIELD, URL_SSL_PREFERRED},
    {"REQUIRED", NULL, CLI_NO_FIELD, URL_SSL_REQUIRED},
    {"VERIFY_CA", NULL, CLI_NO_FIELD, URL_SSL_VERIFY_CA},
    {"VERIFY_IDENTITY", NULL, CLI_NO_FIELD, URL_SSL_VERIFY_IDENTITY},
    {NULL, NULL, 0, 0}};
static const struct cli_choice protocol_words[] = {
    {"TCP", NULL, CLI_NO_FIELD, CONFIG_PROTOCOL_TCP},
    {"SOCKET", NULL, CLI_NO_FIELD, CONFIG_PROTOCOL_SOCKET},
    {NULL, NULL, 0, 0}};
static const struct cli_choice summary_words[] = {
    {"auto", NULL, CLI_NO_FIELD, CONFIG_SUMMARY_AUTO},
    {"full", NULL, CLI_NO_FIELD, CONFIG_SUMMARY_FULL},
    {"projects", NULL, CLI_NO_FIELD, CONFIG_SUMMARY_PROJECTS},
    {"totals", NULL, CLI_NO_FIELD, CONFIG_SUMMARY_TOTALS},
    {NULL, NULL, 0, 0}};
static const struct cli_choice format_words[] = {{"table", NULL, CLI_NO_FIELD, CONFIG_FORMAT_TABLE},
                                                 {"json", NULL, CLI_NO_FIELD, CONFIG_FORMAT_JSON},
                                                 {"tsv", NULL, CLI_NO_FIELD, CONFIG_FORMAT_TSV},
                                                 {NULL, NULL, 0, 0}};
static const struct cli_choice verify_words[] = {{"count", "always done", CLI_NO_FIELD, 0},
                                                 {"checksum", NULL, F(verify_checksum), 0},
                                                 {NULL, NULL, 0, 0}};

const struct cli_option cli_options[] = {
    {.name = "source",
     .kind = CLI_STRING,
     .field = F(source_dir),
     .arg = "DIR",
     .help = "directory of project files (status: also list the\n"
             "projects not started yet)",
     .commands = SCANS},
    {.name = "target",
     .kind = CLI_STRING,
     .field = F(target_url),
     .arg = "URL",
     .help = "mysql://[USER@]HOST[:PORT]/DATABASE[?PARAM=VALUE&...]\n"
             "(or mariadb://; HOST may be [IPv6]; PARAM: socket,\n"
             "ssl-mode, ssl-ca, ssl-capath, ssl-cert, ssl-key,\n"
             "ssl-cipher, tls-version; percent-encode odd characters;\n"
             "what it leaves out comes from the option files;\n"
             "HOST[:PORT],HOST[:PORT],...: the nodes of a cluster,\n"
             "tried in order, the next one after a lost connection)",
     .commands = CONNECTS},
    {.name = "password",
     .kind = CLI_FLAG,
     .field = F(password_prompt),
     .help = "-p: ask for the password on the terminal",
     .commands = CONNECTS},
    {.name = "password-file",
     .kind = CLI_STRING,
     .field = F(password_file),
     .arg = "FILE",
     .help = "read the password from FILE's first line",
     .commands = CONNECTS},
    {.name = "defaults-file",
     .kind = CLI_STRING,
     .field = F(defaults_file),
     .arg = "FILE",
     .help = "read only this option file (groups [client] and\n"
             "[litelift]) instead of /etc/my.cnf, ~/.my.cnf, ...",
     .commands = CONNECTS},
    {.name = "defaults-extra-file",
     .kind = CLI_STRING,
     .field = F(defaults_extra),
     .arg = "FILE",
     .help = "also read this option file (groups [client] and\n"
             "[litelift]) after the usual ones; its values win",
     .commands = CONNECTS},
    {.name = "no-defaults",
     .kind = CLI_FLAG,
     .field = F(no_defaults),
     .help = "read no option file",
     .commands = CONNECTS},
    {.name = "protocol",
     .kind = CLI_ENUM,
     .field = F(protocol),
     .choices = protocol_words,
     .help = "TCP, or the unix socket (default: the socket for\n"
             "localhost without a port, else TCP)",
     .commands = CONNECTS},
    {.name = "ssl-mode",
     .kind = CLI_ENUM,
     .field = F(tls.mode),
     .choices = ssl_mode_words,
     .arg = "MODE",
     .help = "TLS: DISABLED, PREFERRED, REQUIRED, VERIFY_CA (the\n"
             "server's certificate signed by --ssl-ca) or\n"
             "VERIFY_IDENTITY (and naming the host)",
     .commands = CONNECTS},
    {.name = "ssl-ca",
     .kind = CLI_STRING,
     .field = F(tls.ca),
     .arg = "FILE",
     .help = "CA certificates (PEM) the server's must chain to",
     .commands = CONNECTS},
    {.name = "ssl-capath",
     .kind = CLI_STRING,
     .field = F(tls.capath),
     .arg = "DIR",
     .help = "directory of CA certificates (hashed names)",
     .commands = CONNECTS},
    {.name = "ssl-cert",
     .kind = CLI_STRING,
     .field = F(tls.cert),
     .arg = "FILE",
     .help = "client certificate (PEM)",
     .commands = CONNECTS},
    {.name = "ssl-key",
     .kind = CLI_STRING,
     .field = F(tls.key),
     .arg = "FILE",
     .help = "client certificate's private key (PEM)",
     .commands = CONNECTS},
    {.name = "ssl-cipher",
     .kind = CLI_STRING,
     .field = F(tls.cipher),
     .arg = "LIST",
     .help = "permitted ciphers (OpenSSL names, ':'-separated)",
     .commands = CONNECTS},
    {.name = "tls-version",
     .kind = CLI_STRING,
     .field = F(tls.version),
     .arg = "LIST",
     .help = "permitted TLS versions (TLSv1.2,TLSv1.3)",
     .commands = CONNECTS},
    {.name = "connect-timeout",
     .kind = CLI_SECONDS,
     .field = F(connect_timeout),
     .min = 1,
     .max = 3600,
     .arg = "SECONDS",
     .help = "give up reaching the server after this long (default 10)",
     .commands = CONNECTS},
    {.name = "net-timeout",
     .kind = CLI_SECONDS,
     .field = F(net_timeout),
     .min = 1,
     .max = 86400,
     .arg = "SECONDS",
     .help = "give up on a server that sends or takes nothing for\n"
             "this long in a statement (default 600)",
     .commands = CONNECTS},
    {.name = "lock-wait-timeout",
     .kind = CLI_SECONDS,
     .field = F(lock_wait_timeout),
     .min = 1,
     .max = 86400,
     .arg = "SECONDS",
     .help = "a statement waits this long for a lock another session\n"
             "holds, then fails its project (default 60)",
     .commands = CONNECTS},
    {.name = "pattern",
     .kind = CLI_STRING,
     .field = F(pattern),
     .arg = "GLOB",
     .help = "project file pattern (default *.db)",
     .commands = SCANS},
    {.name = "exclude",
     .kind = CLI_LIST,
     .field = F(exclude),
     .count = F(nexclude),
     .arg = "GLOB",
     .help = "leave out project files whose name or path below DIR\n"
             "matches GLOB (repeatable)",
     .commands = SCANS},
    {.name = "tables",
     .kind = CLI_LIST,
     .field = F(tables),
     .count = F(ntables),
     .arg = "GLOB",
     .help = "migrate only the tables matching GLOB (repeatable)",
     .commands = READS},
    {.name = "exclude-tables",
     .kind = CLI_LIST,
     .field = F(exclude_tables),
     .count = F(nexclude_tables),
     .arg = "GLOB",
     .help = "leave out the tables matching GLOB (repeatable)",
     .commands = READS},
    {.name = "recursive",
     .kind = CLI_FLAG,
     .field = F(recursive),
     .help = "also scan subdirectories",
     .commands = SCANS},
    {.name = "project-id-regex",
     .kind = CLI_STRING,
     .field = F(project_id_regex),
     .arg = "RE",
     .help = "project id = first capture group of the file name\n"
             "(default: the file name without its extension)",
     .commands = SCANS},
    {.name = "project-column",
     .kind = CLI_STRING,
     .field = F(project_column),
     .arg = "NAME",
     .help = "target column holding the project id (default project_id)",
     .commands = READS},
    {.name = "batch-rows",
     .kind = CLI_COUNT,
     .field = F(batch_rows),
     .min = 1,
     .max = 1000000, /* a batch holds its rows' values in memory */
     .arg = "N",
     .help = "rows per batch and transaction (default 5000)",
     .commands = MIGRATE},
    {.name = "batch-bytes",
     .kind = CLI_COUNT,
     .field = F(batch_bytes),
     .min = 1,
     .max = 1073741824, /* the largest max_allowed_packet a server takes */
     .arg = "N",
     .help = "bytes per statement (default 8388608, always kept below\n"
             "the server's max_allowed_packet)",
     .commands = MIGRATE},
    {.name = "method",
     .kind = CLI_ENUM,
     .field = F(method),
     .choices = method_words,
     .help = "how rows are sent: streaming LOAD DATA LOCAL INFILE\n"
             "(load), multi-row INSERT (insert), or load when the\n"
             "server allows local_infile, else insert (auto, default)",
     .commands = MIGRATE},
    {.name = "schema",
     .kind = CLI_ONEOF,
     .choices = schema_words,
     .help = "use the target's tables (default), or first create the\n"
             "tables the target lacks, designed from every file",
     .commands = MIGRATE},
    {.name = "foreign-keys",
     .kind = CLI_FLAG,
     .field = F(foreign_keys),
     .help = "with --schema create: each foreign key becomes a\n"
             "composite (project, col) -> (project, key) one",
     .commands = MIGRATE | SCHEMA},
    {.name = "progress",
     .kind = CLI_ENUM,
     .field = F(progress),
     .choices = progress_words,
     .help = "how far the run is, on stderr: a display redrawn in\n"
             "place (tty), a timestamped line every --progress-every\n"
             "seconds (plain), nothing (none); auto (default): tty\n"
             "when stderr is a terminal, else plain",
     .commands = CONVERTS},
    {.name = "key-length",
     .kind = CLI_COUNT,
     .field = F(key_length),
     .min = 1,
     .max = 16383,
     .arg = "N",
     .help = "with --schema create: text key columns become VARCHAR(N)\n"
             "(longer when the data is; default 255, or less where\n"
             "InnoDB's 3072-byte key limit needs it)",
     .commands = MIGRATE | SCHEMA},
    {.name = "progress-every",
     .kind = CLI_PERIOD,
     .field = F(progress_seconds),
     .arg = "SECONDS",
     .help = "the plain progress line this often (default 30; 0:\n"
             "never)",
     .commands = CONVERTS},
    {.name = "jobs",
     .kind = CLI_COUNT,
     .field = F(jobs),
     .min = 1,
     .max = 256,
     .arg = "N",
     .help = "parallel workers, each with its own connection, taking\n"
             "whole projects, or key ranges of a large table (default:\n"
             "one per core)",
     .commands = MIGRATE},
    {.name = "split-rows",
     .kind = CLI_COUNT,
     .field = F(split_rows),
     .min = 2,
     .arg = "N",
     .help = "with several --jobs, a table of at least N rows is cut\n"
             "into key ranges loaded at once (default 1000000)",
     .commands = MIGRATE},
    {.name = "shard",
     .kind = CLI_STRING,
     .field = F(shard),
     .arg = "I/N",
     .help = "only the projects whose id hashes (FNV-1a) to shard I\n"
             "of N (1 <= I <= N): N hosts share the projects without\n"
             "claims contending",
     .commands = CONVERTS},
    {.name = "lease",
     .kind = CLI_SECONDS,
     .field = F(lease_seconds),
     .min = 1,
     .max = 86400,
     .arg = "SECONDS",
     .help = "how long a project stays claimed by this run without\n"
             "word from it; renewed with every batch (default 300)",
     .commands = MIGRATE},
    {.name = "retries",
     .kind = CLI_COUNT,
     .field = F(retries),
     .min = 0,
     .max = 100,
     .arg = "N",
     .help = "retry a table's load after a transient failure (lost\n"
             "connection, server restart, deadlock, lock wait timeout,\n"
             "Galera conflict) up to N times in a row, on a new\n"
             "connection, from its checkpoint (default 5; 0: never)",
     .commands = MIGRATE},
    {.name = "retry-wait",
     .kind = CLI_SECONDS,
     .field = F(retry_wait),
     .min = 1,
     .max = 3600,
     .arg = "SECONDS",
     .help = "wait before the first retry, doubled before each next\n"
             "one up to 60 (or SECONDS when longer) (default 2)",
     .commands = MIGRATE},
    {.name = "no-binlog",
     .kind = CLI_FLAG,
     .field = F(no_binlog),
     .help = "SET sql_log_bin = 0 while loading (needs privilege;\n"
             "asynchronous replicas will not receive the rows; Galera\n"
             "nodes still do)",
     .commands = MIGRATE},
    {.name = "dry-run",
     .kind = CLI_FLAG,
     .field = F(dry_run),
     .help = "the real run's pre-flight, then read and convert\n"
             "everything and report what would happen; write only\n"
             "the reject files it predicts (TABLE.rejects.dry-run.*)",
     .commands = CONVERTS},
    {.name = "offline",
     .kind = CLI_FLAG,
     .field = F(offline),
     .help = "with --dry-run: do not connect, only read the files\n"
             "(else an unreachable target fails the dry-run)",
     .commands = CONVERTS},
    {.name = "quiet",
     .kind = CLI_FLAG,
     .field = F(quiet),
     .help = "do not log each rejected row",
     .commands = CONVERTS},
    {.name = "verbose",
     .kind = CLI_FLAG,
     .field = F(verbose),
     .help = "log every object not migrated (views, triggers, ...)",
     .commands = CONVERTS},
    {.name = "log-file",
     .kind = CLI_STRING,
     .field = F(log_file),
     .arg = "FILE",
     .help = "append the run's full detail to FILE, each line with\n"
             "its UTC time: every reject, skipped object, retry and\n"
             "warning (also under --quiet), then the summary",
     .commands = CONVERTS},
    {.name = "summary",
     .kind = CLI_ENUM,
     .field = F(summary),
     .choices = summary_words,
     .help = "the summary's detail: every table (full), a line per\n"
             "project (projects), or totals; tables and projects that\n"
             "need attention always have their lines (default auto:\n"
             "full up to 10 projects, projects up to 50, else totals)",
     .commands = CONVERTS},
    {.name = "progress-table",
     .kind = CLI_STRING,
     .field = F(progress_table),
     .arg = "[SCHEMA.]NAME",
     .help = "checkpoint table in the target (default\n"
             "litelift_progress); SCHEMA.NAME keeps it and its\n"
             "companions in a schema of their own",
     .commands = CONVERTS | STATUS},
    {.name = "restart-project",
     .kind = CLI_LIST,
     .field = F(restart),
     .count = F(nrestart),
     .arg = "ID",
     .help = "delete ID's rows and checkpoints from the target and load\n"
             "it again (repeatable)",
     .commands = MIGRATE},
    {.name = "adopt",
     .kind = CLI_LIST,
     .field = F(adopt),
     .count = F(nadopt),
     .arg = "ID",
     .help = "take the rows the target holds for ID without a checkpoint\n"
             "as a complete earlier load: validated, never loaded again\n"
             "(repeatable)",
     .commands = MIGRATE},
    {.name = "backup-suffix",
     .kind = CLI_STRING,
     .field = F(backup_suffix),
     .arg = "SUFFIX",
     .help = "rename finished sources NAME -> NAME.SUFFIX (default\n"
             ".migrated), with their -wal/-shm companions",
     .commands = CONVERTS},
    {.name = "backup-dir",
     .kind = CLI_STRING,
     .field = F(backup_dir),
     .arg = "DIR",
     .help = "move finished sources into DIR instead",
     .commands = MIGRATE},
    {.name = "no-backup-rename",
     .kind = CLI_FLAG,
     .field = F(no_backup_rename),
     .help = "leave finished sources where they are",
     .commands = MIGRATE},
    {.name = "accept-rejects",
     .kind = CLI_FLAG,
     .field = F(accept_rejects),
     .help = "rename as backup even when rows were rejected",
     .commands = MIGRATE},
    {.name = "rejects",
     .kind = CLI_STRING,
     .field = F(rejects_dir),
     .arg = "DIR",
     .help = "reject files go to DIR/PROJECT/TABLE.rejects.{tsv,log}\n"
             "(default ./litelift-rejects)",
     .commands = MIGRATE},
    {.name = "mapping",
     .kind = CLI_STRING,
     .field = F(mapping_path),
     .arg = "FILE",
     .help = "per-table/column overrides (INI; see README)",
     .commands = READS},
    {.name = "guess-time-units",
     .kind = CLI_FLAG,
     .field = F(guess_time_units),
     .help = "apply the single plausible time unit of a date column\n"
             "whose numbers are not plausible unix seconds",
     .commands = CONVERTS},
    {.name = "zero-date",
     .kind = CLI_ONEOF,
     .choices = zero_date_words,
     .help = "zero, invalid and out-of-range dates: reject the row\n"
             "(default) or load NULL (nullable columns)",
     .commands = CONVERTS},
    {.name = "invalid-utf8",
     .kind = CLI_ONEOF,
     .choices = utf8_words,
     .help = "text that is not UTF-8: reject the row\n"
             "(default), load it with U+FFFD replacements, or read\n"
             "it as Windows-1252/Latin-1 (counted)",
     .commands = CONVERTS},
    {.name = "verify",
     .kind = CLI_ONEOF,
     .choices = verify_words,
     .arg = "checksum",
     .help = "compare a CRC32 of every converted row with the target\n"
             "before renaming a project's file",
     .commands = MIGRATE},
    {.name = "checksum",
     .kind = CLI_FLAG,
     .field = F(verify_checksum),
     .help = "verify: compare a CRC32 of every converted row, not\n"
             "only the counts; migrate: the same as --verify checksum",
     .commands = CONVERTS},
    {.name = "report",
     .kind = CLI_STRING,
     .field = F(report_path),
     .arg = "FILE",
     .help = "write a JSON report of the run to FILE (also when it\n"
             "fails or is interrupted; no password)",
     .commands = CONVERTS},
    {.name = "format",
     .kind = CLI_ENUM,
     .field = F(status_format),
     .choices = format_words,
     .help = "status: a table (default), JSON, or TSV (tab, newline\n"
             "and backslash escaped as by MySQL)",
     .commands = STATUS},
    {.name = "help", .kind = CLI_HELP, .help = "-h: print the help (after a command: its options)"},
    {.name = "version",
     .kind = CLI_VERSION,
     .help = "-V: print the versions of litelift and its libraries"},
    {.name = "man",
     .kind = CLI_MAN,
     .help = "print the manual page (troff): every command and option"},
};

const size_t cli_noptions = sizeof cli_options / sizeof *cli_options;
