/* cli: the option table of litelift and the parser that stores each option
 * into struct config by its kind, with the range and choice checks (usage
 * errors: a "litelift: ..." line on stderr, exit status 2). The help text and
 * the manual page are made from the same table by cli_doc.c. */
#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "backup.h"
#include "buf.h"
#include "cli_doc.h"
#include "error.h"
#include "url.h"

enum { EXIT_OK = 0, EXIT_PROBLEMS = 1, EXIT_USAGE = 2 };

#define F(member) offsetof(struct config, member)
#define MIGRATE CLI_CMD(CLI_MIGRATE)
#define VERIFY CLI_CMD(CLI_VERIFY)
#define SCHEMA CLI_CMD(CLI_SCHEMA)
#define STATUS CLI_CMD(CLI_STATUS)
#define READS (MIGRATE | VERIFY | SCHEMA) /* the commands that read project files */
#define CONVERTS (MIGRATE | VERIFY)       /* ... and convert their rows */
#define CONNECTS (READS | STATUS)         /* the commands that connect to a target */

_Static_assert(sizeof(enum config_method) == sizeof(int), "CLI_ENUM stores an int");
_Static_assert(sizeof(enum config_protocol) == sizeof(int), "CLI_ENUM stores an int");
_Static_assert(sizeof(enum url_ssl_mode) == sizeof(int), "CLI_ENUM stores an int");

const char *const cli_command_names[CLI_NCOMMANDS] = {"migrate", "verify", "schema", "status"};

static const struct cli_choice method_words[] = {
    {"auto", NULL, CLI_NO_FIELD, CONFIG_METHOD_AUTO},
    {"load", NULL, CLI_NO_FIELD, CONFIG_METHOD_LOAD},
    {"insert", NULL, CLI_NO_FIELD, CONFIG_METHOD_INSERT},
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
static const struct cli_choice verify_words[] = {{"count", "always done", CLI_NO_FIELD, 0},
                                                 {"checksum", NULL, F(verify_checksum), 0},
                                                 {NULL, NULL, 0, 0}};

const struct cli_option cli_options[] = {
    {.name = "source",
     .kind = CLI_STRING,
     .field = F(source_dir),
     .arg = "DIR",
     .help = "directory of project files",
     .commands = READS},
    {.name = "target",
     .kind = CLI_STRING,
     .field = F(target_url),
     .arg = "URL",
     .help = "mysql://[USER@]HOST[:PORT]/DATABASE[?PARAM=VALUE&...]\n"
             "(or mariadb://; HOST may be [IPv6]; PARAM: socket,\n"
             "ssl-mode, ssl-ca, ssl-capath, ssl-cert, ssl-key,\n"
             "ssl-cipher, tls-version; percent-encode odd characters;\n"
             "what it leaves out comes from the option files)",
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
    {.name = "pattern",
     .kind = CLI_STRING,
     .field = F(pattern),
     .arg = "GLOB",
     .help = "project file pattern (default *.db)",
     .commands = READS},
    {.name = "recursive",
     .kind = CLI_FLAG,
     .field = F(recursive),
     .help = "also scan subdirectories",
     .commands = READS},
    {.name = "project-id-regex",
     .kind = CLI_STRING,
     .field = F(project_id_regex),
     .arg = "RE",
     .help = "project id = first capture group of the file name\n"
             "(default: the file name without its extension)",
     .commands = READS},
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
     .arg = "N",
     .help = "rows per batch and transaction (default 5000)",
     .commands = MIGRATE},
    {.name = "batch-bytes",
     .kind = CLI_COUNT,
     .field = F(batch_bytes),
     .min = 1,
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
    {.name = "progress-every",
     .kind = CLI_PERIOD,
     .field = F(progress_seconds),
     .arg = "SECONDS",
     .help = "a progress line on stderr this often (default 10 on a\n"
             "terminal, else never; 0: never)",
     .commands = MIGRATE},
    {.name = "jobs",
     .kind = CLI_COUNT,
     .field = F(jobs),
     .min = 1,
     .max = 256,
     .arg = "N",
     .help = "parallel workers, each with its own connection, taking\n"
             "whole projects (default: one per core)",
     .commands = MIGRATE},
    {.name = "lease",
     .kind = CLI_SECONDS,
     .field = F(lease_seconds),
     .min = 1,
     .max = 86400,
     .arg = "SECONDS",
     .help = "how long a project stays claimed by this run without\n"
             "word from it; renewed with every batch (default 300)",
     .commands = MIGRATE},
    {.name = "no-binlog",
     .kind = CLI_FLAG,
     .field = F(no_binlog),
     .help = "SET sql_log_bin = 0 while loading (needs privilege;\n"
             "replicas will not receive the rows)",
     .commands = MIGRATE},
    {.name = "dry-run",
     .kind = CLI_FLAG,
     .field = F(dry_run),
     .help = "read and convert everything, check the target schema,\n"
             "report what would happen; write nothing",
     .commands = CONVERTS},
    {.name = "quiet",
     .kind = CLI_FLAG,
     .field = F(quiet),
     .help = "do not log each rejected row",
     .commands = CONVERTS},
    {.name = "progress-table",
     .kind = CLI_STRING,
     .field = F(progress_table),
     .arg = "NAME",
     .help = "checkpoint table in the target (default litelift_progress)",
     .commands = CONVERTS | STATUS},
    {.name = "restart-project",
     .kind = CLI_LIST,
     .field = F(restart),
     .count = F(nrestart),
     .arg = "ID",
     .help = "delete ID's rows and checkpoints from the target and load\n"
             "it again (repeatable)",
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
    {.name = "help", .kind = CLI_HELP, .help = "print this help"},
    {.name = "version", .kind = CLI_VERSION, .help = "print litelift's version"},
    {.name = "man", .kind = CLI_MAN, .help = "print this help as a manual page (troff)"},
};

#define NOPTIONS (sizeof cli_options / sizeof *cli_options)

const size_t cli_noptions = NOPTIONS;

/* Prints "litelift: MESSAGE" (and the help text when with_usage) on stderr;
 * returns the usage exit status. */
__attribute__((format(printf, 2, 3))) static int usage_error(bool with_usage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("litelift: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (with_usage)
        cli_doc_usage(stderr);
    return EXIT_USAGE;
}

bool cli_is_action(enum cli_kind k)
{
    return k == CLI_HELP || k == CLI_VERSION || k == CLI_MAN;
}

/* The action option (--help, --version, --man; -h for --help) that arg names
 * exactly, or NULL. */
static const struct cli_option *action_named(const char *arg)
{
    for (size_t i = 0; i < NOPTIONS; i++) {
        const struct cli_option *o = &cli_options[i];
        if (cli_is_action(o->kind) &&
            ((strncmp(arg, "--", 2) == 0 && strcmp(arg + 2, o->name) == 0) ||
             (o->kind == CLI_HELP && strcmp(arg, "-h") == 0)))
            return o;
    }
    return NULL;
}

/* Prints what an action option asks for on stdout; its exit status is 0. */
static int act(const struct cli_option *o)
{
    if (o->kind == CLI_VERSION)
        printf("litelift %s\n", LITELIFT_VERSION);
    else if (o->kind == CLI_MAN)
        cli_doc_man(stdout);
    else
        cli_doc_usage(stdout);
    return EXIT_OK;
}

/* Reads a number as every numeric option takes it: "0", or digits with no
 * sign and no trailing text, not 0. Returns 0 or -1. */
static int parse_whole(const char *s, unsigned long long *out)
{
    if (strcmp(s, "0") == 0) {
        *out = 0;
        return 0;
    }
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v == 0 || s[0] == '-')
        return -1;
    *out = v;
    return 0;
}

static int number_error(const struct cli_option *o)
{
    if (o->kind == CLI_PERIOD)
        return usage_error(false, "--%s needs a number of seconds (0: never)", o->name);
    if (o->kind == CLI_SECONDS)
        return usage_error(false, "--%s needs a number of seconds from %lu to %lu", o->name, o->min,
                           o->max);
    if (o->max == 0)
        return usage_error(false, "--%s needs a positive integer", o->name);
    return usage_error(false, "--%s needs a number from %lu to %lu", o->name, o->min, o->max);
}

static int store_number(const struct cli_option *o, const char *arg, char *base)
{
    unsigned long long v;
    if (parse_whole(arg, &v) != 0 || v < o->min || (o->max != 0 && v > o->max))
        return number_error(o);
    if (o->kind == CLI_COUNT)
        *(size_t *)(base + o->field) = (size_t)v;
    else if (o->kind == CLI_SECONDS)
        *(int *)(base + o->field) = (int)v;
    else
        *(double *)(base + o->field) = (double)v;
    return CLI_RUN;
}

/* "--NAME takes A, B or C", with each word's note in parentheses. */
static int choice_error(const struct cli_option *o)
{
    struct buf msg;
    buf_init(&msg, BUF_CAP_LINE);
    int rc = buf_printf(&msg, "--%s takes ", o->name);
    for (const struct cli_choice *c = o->choices; rc == 0 && c->word != NULL; c++) {
        const char *sep = c == o->choices ? "" : c[1].word == NULL ? " or " : ", ";
        rc = buf_printf(&msg, "%s%s", sep, c->word);
        if (rc == 0 && c->note != NULL)
            rc = buf_printf(&msg, " (%s)", c->note);
    }
    rc = usage_error(false, "%s", rc == 0 ? msg.data : "out of memory");
    buf_free(&msg);
    return rc;
}

static int store_choice(const struct cli_option *o, const char *arg, char *base)
{
    const struct cli_choice *pick = o->choices;
    while (pick->word != NULL && strcasecmp(pick->word, arg) != 0)
        pick++;
    if (pick->word == NULL)
        return choice_error(o);
    if (o->kind == CLI_ENUM) {
        *(int *)(base + o->field) = pick->value;
        return CLI_RUN;
    }
    for (const struct cli_choice *c = o->choices; c->word != NULL; c++)
        if (c->flag != CLI_NO_FIELD)
            *(bool *)(base + c->flag) = c == pick;
    return CLI_RUN;
}

static int append(const struct cli_option *o, const char *arg, char *base)
{
    const char ***v = (const char ***)(base + o->field);
    size_t *n = (size_t *)(base + o->count);
    const char **grown = realloc(*v, (*n + 1) * sizeof *grown);
    if (grown == NULL) {
        fputs("litelift: out of memory\n", stderr);
        return EXIT_PROBLEMS;
    }
    grown[(*n)++] = arg;
    *v = grown;
    return CLI_RUN;
}

/* Stores one option's argument (or acts on it) by its kind. Returns CLI_RUN
 * or an exit status. */
static int store(const struct cli_option *o, const char *arg, struct config *cfg)
{
    char *base = (char *)cfg;
    switch (o->kind) {
    case CLI_FLAG:
        *(bool *)(base + o->field) = true;
        return CLI_RUN;
    case CLI_STRING:
        *(const char **)(base + o->field) = arg;
        return CLI_RUN;
    case CLI_LIST:
        return append(o, arg, base);
    case CLI_COUNT:
    case CLI_SECONDS:
    case CLI_PERIOD:
        return store_number(o, arg, base);
    case CLI_ONEOF:
    case CLI_ENUM:
        return store_choice(o, arg, base);
    case CLI_HELP:
    case CLI_VERSION:
    case CLI_MAN:
        break;
    }
    return act(o);
}

/* The option of the table called name (one that is there). */
static const struct cli_option *option_named(const char *name)
{
    size_t i = 0;
    while (strcmp(cli_options[i].name, name) != 0)
        i++;
    return &cli_options[i];
}

/* Parses the options after the command with getopt_long (which prints its own
 * messages for unknown options and missing arguments, under argv[0]).
 * *stray tells whether words that are no option were left. */
static int parse_options(int argc, char **argv, struct config *cfg, bool *stray)
{
    struct option longopts[NOPTIONS + 1];
    for (size_t i = 0; i < NOPTIONS; i++) {
        enum cli_kind k = cli_options[i].kind;
        bool takes_arg = k != CLI_FLAG && !cli_is_action(k);
        longopts[i] = (struct option){
            cli_options[i].name, takes_arg ? required_argument : no_argument, NULL, 256 + (int)i};
    }
    longopts[NOPTIONS] = (struct option){NULL, 0, NULL, 0};
    /* the command left out, so that getopt starts afresh (optind = 0) */
    char **args = malloc((size_t)argc * sizeof *args);
    if (args == NULL) {
        fputs("litelift: out of memory\n", stderr);
        return EXIT_PROBLEMS;
    }
    int n = argc - 1, c, rc = CLI_RUN;
    args[0] = argv[0];
    memcpy(args + 1, argv + 2, (size_t)(argc - 2) * sizeof *args);
    args[n] = NULL;
    optind = 0;
    while (rc == CLI_RUN && (c = getopt_long(n, args, "p", longopts, NULL)) != -1) {
        if (c == 'p')
            rc = store(option_named("password"), NULL, cfg);
        else if (c < 256) {
            cli_doc_usage(stderr);
            rc = EXIT_USAGE;
        } else
            rc = store(&cli_options[c - 256], optarg, cfg);
    }
    *stray = optind < n;
    free(args);
    return rc;
}

/* The usage errors of the connection options. */
static int check_login(const struct config *cfg)
{
    if (cfg->no_defaults && cfg->defaults_file != NULL)
        return usage_error(false, "--no-defaults cannot go with --defaults-file");
    if (cfg->password_prompt && cfg->password_file != NULL)
        return usage_error(false, "--password (-p) cannot go with --password-file");
    return CLI_RUN;
}

/* The usage errors of a parsed command line: what the command needs. */
static int check_command(const struct config *cfg, enum cli_command cmd, bool stray)
{
    if (check_login(cfg) != CLI_RUN)
        return EXIT_USAGE;
    if (cmd == CLI_STATUS)
        return stray || cfg->target_url == NULL ? usage_error(false, "status needs --target URL")
                                                : CLI_RUN;
    if (cmd == CLI_SCHEMA)
        return stray || cfg->source_dir == NULL ? usage_error(false, "schema needs --source DIR")
                                                : CLI_RUN;
    if (cfg->backup_suffix[0] == '\0' && cfg->backup_dir == NULL)
        return usage_error(false, "--backup-suffix may only be empty with --backup-dir");
    if (stray || cfg->source_dir == NULL || cfg->target_url == NULL)
        return usage_error(true, "%s needs --source DIR and --target URL", cli_command_names[cmd]);
    struct error err;
    if (cmd == CLI_MIGRATE && backup_check_options(cfg, &err) != 0)
        return usage_error(false, "%s", err.msg);
    return CLI_RUN;
}

/* Finds the command argv names; else a usage error naming every command. */
static int command_named(const char *name, enum cli_command *cmd)
{
    for (int i = 0; i < CLI_NCOMMANDS; i++)
        if (strcmp(name, cli_command_names[i]) == 0) {
            *cmd = (enum cli_command)i;
            return CLI_RUN;
        }
    struct buf names;
    buf_init(&names, BUF_CAP_LINE);
    int rc = 0;
    for (int i = 0; rc == 0 && i < CLI_NCOMMANDS; i++)
        rc = buf_printf(&names, "%s%s", i == 0 ? "" : ", ", cli_command_names[i]);
    rc = usage_error(true, "unknown command (expected: %s)", rc == 0 ? names.data : "?");
    buf_free(&names);
    return rc;
}

/* A password inside the target URL: warns, keeps a copy of the URL for the
 * connection and overwrites the password's bytes in argv with 'x' (as the
 * mysql client does), so that ps and /proc/PID/cmdline no longer show it. */
static int wipe_password(struct config *cfg)
{
    size_t off, len;
    if (cfg->target_url == NULL || !url_password_span(cfg->target_url, &off, &len) || len == 0)
        return CLI_RUN;
    cfg->target_url_copy = strdup(cfg->target_url);
    if (cfg->target_url_copy == NULL) {
        fputs("litelift: out of memory\n", stderr);
        return EXIT_PROBLEMS;
    }
    memset((char *)cfg->target_url + off, 'x', len);
    cfg->target_url = cfg->target_url_copy;
    fputs("litelift: WARNING: the target URL holds a password, which other users of this "
          "machine could read in the process list until litelift removed it, and which "
          "stays in the shell's history: use an option file, --password-file FILE, -p or "
          "MYSQL_PWD instead\n",
          stderr);
    return CLI_RUN;
}

int cli_parse(int argc, char **argv, struct config *cfg, enum cli_command *cmd)
{
    config_defaults(cfg);
    cfg->progress_seconds = isatty(STDERR_FILENO) ? 10 : 0; /* someone watching */
    const struct cli_option *a = argc >= 2 ? action_named(argv[1]) : NULL;
    if (a != NULL)
        return act(a);
    if (argc < 2)
        return usage_error(true, "missing command");
    int rc = command_named(argv[1], cmd);
    bool stray;
    if (rc == CLI_RUN)
        rc = parse_options(argc, argv, cfg, &stray);
    if (rc == CLI_RUN)
        rc = check_command(cfg, *cmd, stray);
    if (rc == CLI_RUN)
        rc = wipe_password(cfg);
    if (rc != CLI_RUN)
        cli_free(cfg);
    else
        cfg->include_backups = *cmd == CLI_VERIFY; /* verify also reads the backups */
    return rc;
}

void cli_free(struct config *cfg)
{
    free(cfg->target_url_copy);
    cfg->target_url_copy = NULL;
    for (size_t i = 0; i < NOPTIONS; i++)
        if (cli_options[i].kind == CLI_LIST) {
            const char ***v = (const char ***)((char *)cfg + cli_options[i].field);
            free(*v);
            *v = NULL;
            *(size_t *)((char *)cfg + cli_options[i].count) = 0;
        }
}
