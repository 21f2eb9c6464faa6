/* test_cli: table-driven tests of src/cli.h and src/cli_doc.h. Every option
 * of the table parses into its struct config field (checked against offsets
 * written out here, not taken from the table), and every option has such a
 * case; bad values, unknown options, missing or unknown commands and missing
 * --source/--target give exit status 2 with the exact message on stderr and
 * nothing on stdout, in one line (with a "did you mean" for a likely typo);
 * --help/-h/--version/-V/--man print on stdout with status 0, anywhere on the
 * line (help COMMAND and COMMAND --help: that command's options only); each
 * command's help and the manual page list its options with their arguments
 * and every line of their help; the table itself is sound (unique names,
 * choices, ranges that fit their fields); a password in the target URL is
 * wiped from argv and warned about. stdout and stderr are captured at the
 * descriptor level. */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_doc.h"

/* ------------------------------------------------------------ capture ---- */

struct outcome {
    int rc;
    struct config cfg;
    enum cli_command cmd;
    char *out, *err; /* what went to stdout / stderr */
};

static char *slurp(FILE *f)
{
    cr_assert(fseek(f, 0, SEEK_END) == 0);
    long n = ftell(f);
    cr_assert(n >= 0);
    rewind(f);
    char *s = calloc((size_t)n + 1, 1);
    cr_assert(s != NULL);
    cr_assert_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return s;
}

/* Runs cli_parse on "litelift" followed by args (NULL-terminated), with
 * stdout and stderr going to files. */
static struct outcome parse(const char *const *args)
{
    char *argv[40];
    int argc = 0;
    argv[argc++] = "litelift";
    for (size_t i = 0; args[i] != NULL; i++) {
        cr_assert(argc < 39);
        argv[argc++] = (char *)args[i];
    }
    argv[argc] = NULL;
    FILE *fo = tmpfile(), *fe = tmpfile();
    cr_assert(fo != NULL && fe != NULL);
    fflush(stdout);
    fflush(stderr);
    int so = dup(STDOUT_FILENO), se = dup(STDERR_FILENO);
    cr_assert(so >= 0 && se >= 0);
    cr_assert(dup2(fileno(fo), STDOUT_FILENO) >= 0 && dup2(fileno(fe), STDERR_FILENO) >= 0);
    struct outcome o;
    o.rc = cli_parse(argc, argv, &o.cfg, &o.cmd);
    fflush(stdout);
    fflush(stderr);
    cr_assert(dup2(so, STDOUT_FILENO) >= 0 && dup2(se, STDERR_FILENO) >= 0);
    close(so);
    close(se);
    o.out = slurp(fo);
    o.err = slurp(fe);
    return o;
}

static void outcome_free(struct outcome *o)
{
    if (o->rc == CLI_RUN)
        cli_free(&o->cfg);
    free(o->out);
    free(o->err);
}

/* ------------------------------------------------- options into fields ---- */

enum type { T_END, T_BOOL, T_STR, T_SIZE, T_INT, T_DBL, T_LIST };

struct expect {
    enum type type;
    size_t off;       /* of the field (T_LIST: of the array; the count follows) */
    long long num;    /* T_BOOL, T_SIZE, T_INT, T_DBL, T_LIST (the count) */
    const char *str;  /* T_STR; T_LIST: the last element */
    size_t count_off; /* T_LIST */
};

#define F(m) offsetof(struct config, m)
#define B(m, v)                                                                                    \
    {                                                                                              \
        T_BOOL, F(m), v, NULL, 0                                                                   \
    }
#define S(m, v)                                                                                    \
    {                                                                                              \
        T_STR, F(m), 0, v, 0                                                                       \
    }
#define Z(m, v)                                                                                    \
    {                                                                                              \
        T_SIZE, F(m), v, NULL, 0                                                                   \
    }
#define I(m, v)                                                                                    \
    {                                                                                              \
        T_INT, F(m), v, NULL, 0                                                                    \
    }
#define D(m, v)                                                                                    \
    {                                                                                              \
        T_DBL, F(m), v, NULL, 0                                                                    \
    }

struct pcase {
    const char *args[12]; /* after the base command line */
    struct expect want[3];
};

/* Each case runs as `migrate --source /src --target mysql://u@h/d ARGS`. */
static const struct pcase parses[] = {
    {{NULL}, {S(source_dir, "/src"), S(target_url, "mysql://u@h/d"), B(include_backups, 0)}},
    {{"--pattern", "*.sqlite"}, {S(pattern, "*.sqlite")}},
    {{"--recursive"}, {B(recursive, 1)}},
    {{"--project-id-regex", "^p-(.*)\\.db$"}, {S(project_id_regex, "^p-(.*)\\.db$")}},
    {{"--project-column", "tenant"}, {S(project_column, "tenant")}},
    {{"--batch-rows", "42"}, {Z(batch_rows, 42)}},
    {{"--batch-rows", "1"}, {Z(batch_rows, 1)}},
    {{"--batch-bytes", "65536"}, {Z(batch_bytes, 65536)}},
    {{"--method", "insert"}, {I(method, CONFIG_METHOD_INSERT)}},
    {{"--method", "load"}, {I(method, CONFIG_METHOD_LOAD)}},
    {{"--method", "load", "--method", "auto"}, {I(method, CONFIG_METHOD_AUTO)}},
    {{"--schema", "create"}, {B(schema_create, 1)}},
    {{"--schema", "create", "--schema", "existing"}, {B(schema_create, 0)}},
    {{"--foreign-keys"}, {B(foreign_keys, 1)}},
    {{"--key-length", "100"}, {Z(key_length, 100)}},
    {{"--key-length", "16383"}, {Z(key_length, 16383)}},
    {{"--progress-every", "0"}, {D(progress_seconds, 0)}},
    {{"--progress-every", "7"}, {D(progress_seconds, 7)}},
    {{"--progress", "tty"}, {I(progress, CONFIG_PROGRESS_TTY)}},
    {{"--progress", "plain"}, {I(progress, CONFIG_PROGRESS_PLAIN)}},
    {{"--progress", "none", "--progress", "auto"}, {I(progress, CONFIG_PROGRESS_AUTO)}},
    {{"--progress=none"}, {I(progress, CONFIG_PROGRESS_NONE)}},
    {{"--jobs", "1"}, {Z(jobs, 1)}},
    {{"--jobs", "256"}, {Z(jobs, 256)}},
    {{"--split-rows", "2"}, {Z(split_rows, 2)}},
    {{"--shard", "2/3"}, {S(shard, "2/3")}},
    {{"--lease", "1"}, {I(lease_seconds, 1)}},
    {{"--lease", "86400"}, {I(lease_seconds, 86400)}},
    {{"--connect-timeout", "3"}, {I(connect_timeout, 3)}},
    {{"--net-timeout", "86400"}, {I(net_timeout, 86400)}},
    {{"--lock-wait-timeout", "2"}, {I(lock_wait_timeout, 2)}},
    {{"--retries", "0"}, {Z(retries, 0)}},
    {{"--retries", "100", "--retry-wait", "3600"}, {Z(retries, 100), I(retry_wait, 3600)}},
    {{"--retry-wait", "1"}, {I(retry_wait, 1)}},
    {{"--no-binlog"}, {B(no_binlog, 1)}},
    {{"--dry-run"}, {B(dry_run, 1)}},
    {{"--dry-run", "--offline"}, {B(dry_run, 1), B(offline, 1)}},
    {{"--adopt", "acme"}, {{T_LIST, F(adopt), 1, "acme", F(nadopt)}}},
    {{"--quiet"}, {B(quiet, 1)}},
    {{"--progress-table", "my_progress"}, {S(progress_table, "my_progress")}},
    {{"--restart-project", "acme"}, {{T_LIST, F(restart), 1, "acme", F(nrestart)}}},
    {{"--restart-project", "acme", "--restart-project", "b b"},
     {{T_LIST, F(restart), 2, "b b", F(nrestart)}}},
    {{"--backup-suffix", ".done"}, {S(backup_suffix, ".done")}},
    {{"--backup-suffix", "", "--backup-dir", "/tmp"},
     {S(backup_suffix, ""), S(backup_dir, "/tmp")}},
    {{"--no-backup-rename"}, {B(no_backup_rename, 1)}},
    {{"--accept-rejects"}, {B(accept_rejects, 1)}},
    {{"--rejects", "/rj"}, {S(rejects_dir, "/rj")}},
    {{"--mapping", "m.ini"}, {S(mapping_path, "m.ini")}},
    {{"--guess-time-units"}, {B(guess_time_units, 1)}},
    {{"--zero-date", "null"}, {B(zero_date_null, 1)}},
    {{"--zero-date", "null", "--zero-date", "reject"}, {B(zero_date_null, 0)}},
    {{"--invalid-utf8", "replace"}, {B(utf8_replace, 1), B(utf8_cp1252, 0)}},
    {{"--invalid-utf8", "replace", "--invalid-utf8", "cp1252"},
     {B(utf8_replace, 0), B(utf8_cp1252, 1)}},
    {{"--invalid-utf8", "cp1252", "--invalid-utf8", "reject"},
     {B(utf8_replace, 0), B(utf8_cp1252, 0)}},
    {{"--verify", "checksum"}, {B(verify_checksum, 1)}},
    {{"--checksum", "--verify", "count"}, {B(verify_checksum, 0)}},
    {{"--checksum"}, {B(verify_checksum, 1)}},
    {{"--password"}, {B(password_prompt, 1)}},
    {{"-p"}, {B(password_prompt, 1)}},
    {{"--password-file", "/run/pw"}, {S(password_file, "/run/pw"), B(password_prompt, 0)}},
    {{"--defaults-file", "/etc/lite.cnf"}, {S(defaults_file, "/etc/lite.cnf"), B(no_defaults, 0)}},
    {{"--no-defaults"}, {B(no_defaults, 1)}},
    {{"--defaults-extra-file", "/etc/extra.cnf"}, {S(defaults_extra, "/etc/extra.cnf")}},
    {{"--protocol", "TCP"}, {I(protocol, CONFIG_PROTOCOL_TCP)}},
    {{"--verbose"}, {B(verbose, 1)}},
    {{"--log-file", "/var/log/ll.log"}, {S(log_file, "/var/log/ll.log")}},
    {{"--summary", "projects"}, {I(summary, CONFIG_SUMMARY_PROJECTS)}},
    {{"--summary", "TOTALS"}, {I(summary, CONFIG_SUMMARY_TOTALS)}},
    {{"--summary", "full"}, {I(summary, CONFIG_SUMMARY_FULL)}},
    {{"--tables", "a*", "--tables", "b"}, {{T_LIST, F(tables), 2, "b", F(ntables)}}},
    {{"--exclude-tables", "tmp_*"}, {{T_LIST, F(exclude_tables), 1, "tmp_*", F(nexclude_tables)}}},
    {{"--exclude", "old/*.db"}, {{T_LIST, F(exclude), 1, "old/*.db", F(nexclude)}}},
    {{"--protocol", "socket"}, {I(protocol, CONFIG_PROTOCOL_SOCKET)}},
    {{"--ssl-mode", "VERIFY_IDENTITY"}, {I(tls.mode, URL_SSL_VERIFY_IDENTITY)}},
    {{"--ssl-mode", "required"}, {I(tls.mode, URL_SSL_REQUIRED)}},
    {{"--ssl-mode", "VERIFY_CA", "--ssl-mode", "DISABLED"}, {I(tls.mode, URL_SSL_DISABLED)}},
    {{"--ssl-mode", "PREFERRED"}, {I(tls.mode, URL_SSL_PREFERRED)}},
    {{"--ssl-ca", "/c/ca.pem", "--ssl-capath", "/c"},
     {S(tls.ca, "/c/ca.pem"), S(tls.capath, "/c")}},
    {{"--ssl-cert", "/c/me.pem", "--ssl-key", "/c/me.key"},
     {S(tls.cert, "/c/me.pem"), S(tls.key, "/c/me.key")}},
    {{"--ssl-cipher", "ECDHE-RSA-AES256-GCM-SHA384", "--tls-version", "TLSv1.3"},
     {S(tls.cipher, "ECDHE-RSA-AES256-GCM-SHA384"), S(tls.version, "TLSv1.3")}},
    {{"--report", "/r/run.json"}, {S(report_path, "/r/run.json")}},
};

/* Cases of the options only `status` takes, parsed after "status --target URL". */
static const struct pcase status_parses[] = {
    {{NULL}, {I(status_format, CONFIG_FORMAT_TABLE)}},
    {{"--format", "json"}, {I(status_format, CONFIG_FORMAT_JSON)}},
    {{"--format", "tsv", "--source", "/src"},
     {I(status_format, CONFIG_FORMAT_TSV), S(source_dir, "/src")}},
    {{"--format", "TABLE"}, {I(status_format, CONFIG_FORMAT_TABLE)}},
};

static void check_field(const struct config *cfg, const struct expect *e, size_t i)
{
    const char *base = (const char *)cfg;
    switch (e->type) {
    case T_BOOL:
        cr_assert_eq(*(const bool *)(base + e->off), e->num != 0, "case %zu", i);
        break;
    case T_STR:
        cr_assert_str_eq(*(const char *const *)(base + e->off), e->str, "case %zu", i);
        break;
    case T_SIZE:
        cr_assert_eq(*(const size_t *)(base + e->off), (size_t)e->num, "case %zu", i);
        break;
    case T_INT:
        cr_assert_eq(*(const int *)(base + e->off), (int)e->num, "case %zu", i);
        break;
    case T_DBL:
        cr_assert_eq(*(const double *)(base + e->off), (double)e->num, "case %zu", i);
        break;
    case T_LIST: {
        size_t n = *(const size_t *)(base + e->count_off);
        const char *const *v = *(const char *const *const *)(base + e->off);
        cr_assert_eq(n, (size_t)e->num, "case %zu", i);
        cr_assert_str_eq(v[n - 1], e->str, "case %zu", i);
        break;
    }
    case T_END:
        break;
    }
}

/* Parses each of the n cases after the base command line (nbase words)
 * and checks that the command is cmd, nothing is printed and every field
 * the case names is set. */
static void check_cases(const struct pcase *cases, size_t n, const char *const *base, size_t nbase,
                        enum cli_command cmd)
{
    for (size_t i = 0; i < n; i++) {
        const char *args[20] = {NULL};
        size_t k = 0;
        for (; k < nbase; k++)
            args[k] = base[k];
        for (size_t a = 0; cases[i].args[a] != NULL; a++)
            args[k++] = cases[i].args[a];
        struct outcome o = parse(args);
        cr_assert_eq(o.rc, CLI_RUN, "case %zu: %d, stderr: %s", i, o.rc, o.err);
        cr_assert_eq(o.cmd, cmd);
        cr_assert_str_eq(o.out, "", "case %zu", i);
        cr_assert_str_eq(o.err, "", "case %zu", i);
        for (size_t w = 0; w < 3 && cases[i].want[w].type != T_END; w++)
            check_field(&o.cfg, &cases[i].want[w], i);
        outcome_free(&o);
    }
}

Test(cli, every_option_parses_into_its_field)
{
    const char *base[] = {"migrate", "--source", "/src", "--target", "mysql://u@h/d"};
    check_cases(parses, sizeof parses / sizeof *parses, base, 5, CLI_MIGRATE);
}

Test(cli, status_options_parse_into_their_fields)
{
    const char *base[] = {"status", "--target", "mysql://u@h/d"};
    check_cases(status_parses, sizeof status_parses / sizeof *status_parses, base, 3, CLI_STATUS);
    /* --format is status's own; --report is not status's */
    const char *const *wrong[] = {
        (const char *[]){"migrate", "--source", "/s", "--target", "mysql://u@h/d", "--format",
                         "json", NULL},
        (const char *[]){"status", "--target", "mysql://u@h/d", "--report", "r.json", NULL}};
    const char *named[] = {"--format", "--report"};
    for (size_t i = 0; i < 2; i++) {
        struct outcome o = parse(wrong[i]);
        cr_assert_eq(o.rc, 2, "case %zu: %s", i, o.err);
        cr_assert(strstr(o.err, named[i]) != NULL, "case %zu: %s", i, o.err);
        outcome_free(&o);
    }
}

Test(cli, verify_also_reads_the_backups)
{
    const char *args[] = {"verify", "--source", "/src", "--target", "mysql://u@h/d", NULL};
    struct outcome o = parse(args);
    cr_assert_eq(o.rc, CLI_RUN, "%s", o.err);
    cr_assert_eq(o.cmd, CLI_VERIFY);
    cr_assert(o.cfg.include_backups);
    outcome_free(&o);
}

/* Every option of the table is exercised by a case above or below. */
Test(cli, every_option_of_the_table_has_a_case)
{
    static const char *const actions[] = {"--help", "--version", "--man"};
    for (size_t i = 0; i < cli_noptions; i++) {
        char want[64];
        snprintf(want, sizeof want, "--%s", cli_options[i].name);
        bool found = false;
        for (size_t c = 0; c < sizeof parses / sizeof *parses && !found; c++)
            for (size_t k = 0; parses[c].args[k] != NULL && !found; k++)
                found = strcmp(parses[c].args[k], want) == 0;
        for (size_t c = 0; c < sizeof status_parses / sizeof *status_parses && !found; c++)
            for (size_t k = 0; status_parses[c].args[k] != NULL && !found; k++)
                found = strcmp(status_parses[c].args[k], want) == 0;
        for (size_t c = 0; c < 3 && !found; c++)
            found = strcmp(actions[c], want) == 0;
        found = found || strcmp(want, "--source") == 0 || strcmp(want, "--target") == 0;
        cr_assert(found, "%s has no parse case", want);
    }
}

Test(cli, commands_and_defaults)
{
    static const struct {
        const char *args[6];
        enum cli_command cmd;
    } cases[] = {
        {{"migrate", "--source", "/tmp", "--target", "mysql://u@h/d"}, CLI_MIGRATE},
        {{"verify", "--target", "mysql://u@h/d", "--source", "/tmp"}, CLI_VERIFY},
        {{"schema", "--source", "/tmp"}, CLI_SCHEMA},
        {{"status", "--target", "mysql://u@h/d"}, CLI_STATUS},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct outcome o = parse(cases[i].args);
        cr_assert_eq(o.rc, CLI_RUN, "case %zu: %s", i, o.err);
        cr_assert_eq(o.cmd, cases[i].cmd);
        cr_assert_eq(o.cfg.include_backups, cases[i].cmd == CLI_VERIFY);
        cr_assert_str_eq(o.cfg.pattern, "*.db");
        cr_assert_eq(o.cfg.batch_rows, 5000);
        cr_assert_eq(o.cfg.lease_seconds, 300);
        cr_assert_eq(o.cfg.split_rows, 1000000);
        cr_assert_null(o.cfg.shard);
        cr_assert_eq(o.cfg.connect_timeout, 10);
        cr_assert_eq(o.cfg.net_timeout, 600);
        cr_assert_eq(o.cfg.lock_wait_timeout, 60);
        cr_assert_eq(o.cfg.retries, 5);
        cr_assert_eq(o.cfg.retry_wait, 2);
        cr_assert_eq(o.cfg.progress_seconds, 30, "a plain line every 30 s by default");
        cr_assert_eq(o.cfg.progress, CONFIG_PROGRESS_AUTO);
        cr_assert_eq(o.cfg.method, CONFIG_METHOD_AUTO);
        cr_assert(o.cfg.restart == NULL && o.cfg.nrestart == 0);
        outcome_free(&o);
    }
}

/* A password in the target URL is wiped from argv (each byte an 'x', as the
 * mysql client does), kept in a copy for the connection, and warned about. */
Test(cli, a_url_password_is_wiped_from_argv)
{
    char url[] = "mysql://u:s%40cr3t@h:3306/d?ssl-mode=REQUIRED";
    char joined[] = "--target=mariadb://u:pw@h/d";
    const char *const *forms[] = {
        (const char *[]){"status", "--target", url, NULL},
        (const char *[]){"status", joined, NULL},
    };
    const char *wiped[] = {"mysql://u:xxxxxxxx@h:3306/d?ssl-mode=REQUIRED",
                           "--target=mariadb://u:xx@h/d"};
    const char *kept[] = {"mysql://u:s%40cr3t@h:3306/d?ssl-mode=REQUIRED", "mariadb://u:pw@h/d"};
    for (size_t i = 0; i < 2; i++) {
        struct outcome o = parse(forms[i]);
        cr_assert_eq(o.rc, CLI_RUN, "%s", o.err);
        cr_assert_str_eq(i == 0 ? url : joined, wiped[i]);
        cr_assert_str_eq(o.cfg.target_url, kept[i]);
        cr_assert(strstr(o.err, "litelift: WARNING: the target URL holds a password") != NULL, "%s",
                  o.err);
        cr_assert(strstr(o.err, "s%40cr3t") == NULL && strstr(o.err, ":pw@") == NULL);
        outcome_free(&o);
    }
    const char *none[] = {"status", "--target", "mysql://u@h/d", NULL};
    struct outcome o = parse(none);
    cr_assert_eq(o.rc, CLI_RUN);
    cr_assert_str_eq(o.err, "", "no password, no warning");
    cr_assert_null(o.cfg.target_url_copy);
    outcome_free(&o);
}

/* ------------------------------------------------------- usage errors ---- */

/* What write (cli_doc_usage, cli_doc_man) writes. */
static char *doc(int (*write)(FILE *))
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cr_assert(f != NULL);
    cr_assert_eq(write(f), 0);
    cr_assert_eq(fclose(f), 0);
    return text;
}

#define USAGE "usage: litelift migrate --source DIR --target URL [options]\n"
#define VERSION "litelift " LITELIFT_VERSION "\nlibraries: SQLite "

/* Command lines that are usage errors, and what they say. */
static const struct {
    const char *args[10];
    const char *msg; /* the first line(s) of stderr */
    bool with_usage; /* the help text follows on stderr */
} bad[] = {
    {{NULL}, "litelift: missing command\n", true},
    {{"frobnicate"},
     "litelift: unknown command 'frobnicate' (expected: migrate, verify, schema, status; "
     "litelift --help)\n",
     false},
    {{"--bogus"},
     "litelift: unknown command '--bogus' (expected: migrate, verify, schema, status; "
     "litelift --help)\n",
     false},
    {{"help", "frobnicate"},
     "litelift: unknown command 'frobnicate' (expected: migrate, verify, schema, status; "
     "litelift --help)\n",
     false},
    {{"help", "migrate", "verify"}, "litelift: help takes one command at most\n", false},
    {{"migrate", "--bogus"},
     "litelift: unknown option '--bogus' (litelift migrate --help lists its options)\n",
     false},
    {{"migrate", "--dry-rn"},
     "litelift: unknown option '--dry-rn'; did you mean --dry-run? (litelift migrate --help)\n",
     false},
    {{"verify", "--chekcsum=1"},
     "litelift: unknown option '--chekcsum'; did you mean --checksum? (litelift verify --help)\n",
     false},
    {{"status", "--progres-table", "x"},
     "litelift: unknown option '--progres-table'; did you mean --progress-table? (litelift "
     "status --help)\n",
     false},
    {{"migrate", "-x"},
     "litelift: unknown option '-x' (litelift migrate --help lists its options)\n",
     false},
    {{"migrate", "--source"}, "litelift: --source needs an argument (DIR)\n", false},
    {{"migrate", "--recursive=yes"}, "litelift: --recursive takes no argument\n", false},
    {{"status", "--dry-run", "--target", "mysql://u@h/d"},
     "litelift: --dry-run does not apply to status (litelift status --help)\n",
     false},
    {{"schema", "--checksum", "--source", "/tmp"},
     "litelift: --checksum does not apply to schema (litelift schema --help)\n",
     false},
    {{"migrate", "--zero-date", "maybe"}, "litelift: --zero-date takes reject or null\n", false},
    {{"migrate", "--invalid-utf8", "ignore"},
     "litelift: --invalid-utf8 takes reject, replace or cp1252\n",
     false},
    {{"migrate", "--method", "copy"}, "litelift: --method takes auto, load or insert\n", false},
    {{"migrate", "--schema", "maybe"}, "litelift: --schema takes existing or create\n", false},
    {{"migrate", "--verify", "md5"},
     "litelift: --verify takes count (always done) or checksum\n",
     false},
    {{"migrate", "--jobs", "0"}, "litelift: --jobs needs a number from 1 to 256\n", false},
    {{"migrate", "--source", "/tmp", "--target", "mysql://u@h/d", "--shard", "3/2"},
     "litelift: --shard needs I/N with whole numbers 1 <= I <= N <= 65536 (got '3/2'), e.g. "
     "--shard 2/3 on the second of three hosts\n",
     false},
    {{"status", "--target", "mysql://u@h/d", "--shard", "1/2"},
     "litelift: --shard does not apply to status (litelift status --help)\n",
     false},
    {{"migrate", "--key-length", "0"},
     "litelift: --key-length needs a number from 1 to 16383\n",
     false},
    {{"migrate", "--key-length", "16384"},
     "litelift: --key-length needs a number from 1 to 16383\n",
     false},
    {{"migrate", "--jobs", "257"}, "litelift: --jobs needs a number from 1 to 256\n", false},
    {{"migrate", "--jobs", "-1"}, "litelift: --jobs needs a number from 1 to 256\n", false},
    {{"migrate", "--jobs", "2x"}, "litelift: --jobs needs a number from 1 to 256\n", false},
    {{"migrate", "--batch-rows", "-5"},
     "litelift: --batch-rows needs a number from 1 to 1000000\n",
     false},
    {{"migrate", "--batch-rows", "0"},
     "litelift: --batch-rows needs a number from 1 to 1000000\n",
     false},
    {{"migrate", "--batch-rows", "1000001"},
     "litelift: --batch-rows needs a number from 1 to 1000000\n",
     false},
    {{"migrate", "--batch-rows", "18446744073709551615"},
     "litelift: --batch-rows needs a number from 1 to 1000000\n",
     false},
    {{"migrate", "--batch-rows", "99999999999999999999999"},
     "litelift: --batch-rows needs a number from 1 to 1000000\n",
     false},
    {{"migrate", "--batch-bytes", ""},
     "litelift: --batch-bytes needs a number from 1 to 1073741824\n",
     false},
    {{"migrate", "--batch-bytes", "1073741825"},
     "litelift: --batch-bytes needs a number from 1 to 1073741824\n",
     false},
    {{"migrate", "--lease", "0"},
     "litelift: --lease needs a number of seconds from 1 to 86400\n",
     false},
    {{"migrate", "--lease", "86401"},
     "litelift: --lease needs a number of seconds from 1 to 86400\n",
     false},
    {{"migrate", "--lease", "5s"},
     "litelift: --lease needs a number of seconds from 1 to 86400\n",
     false},
    {{"status", "--connect-timeout", "0"},
     "litelift: --connect-timeout needs a number of seconds from 1 to 3600\n",
     false},
    {{"status", "--net-timeout", "-3"},
     "litelift: --net-timeout needs a number of seconds from 1 to 86400\n",
     false},
    {{"migrate", "--lock-wait-timeout", "ten"},
     "litelift: --lock-wait-timeout needs a number of seconds from 1 to 86400\n",
     false},
    {{"migrate", "--retries", "101"}, "litelift: --retries needs a number from 0 to 100\n", false},
    {{"migrate", "--retries", "-1"}, "litelift: --retries needs a number from 0 to 100\n", false},
    {{"migrate", "--retry-wait", "0"},
     "litelift: --retry-wait needs a number of seconds from 1 to 3600\n",
     false},
    {{"migrate", "--progress-every", "x"},
     "litelift: --progress-every needs a number of seconds (0: never)\n",
     false},
    {{"migrate", "--progress-every", "00"},
     "litelift: --progress-every needs a number of seconds (0: never)\n",
     false},
    {{"migrate", "--progress-every", "-1"},
     "litelift: --progress-every needs a number of seconds (0: never)\n",
     false},
    {{"status"}, "litelift: status needs --target URL\n", false},
    {{"status", "extra", "--target", "mysql://u@h/d"},
     "litelift: status needs --target URL\n",
     false},
    {{"schema", "--target", "mysql://u@h/d"}, "litelift: schema needs --source DIR\n", false},
    {{"schema", "--source", "/tmp", "stray"}, "litelift: schema needs --source DIR\n", false},
    {{"migrate", "--source", "/tmp"},
     "litelift: migrate needs --source DIR and --target URL (litelift migrate --help)\n",
     false},
    {{"verify", "--target", "mysql://u@h/d"},
     "litelift: verify needs --source DIR and --target URL (litelift verify --help)\n",
     false},
    {{"migrate", "--source", "/tmp", "--target", "mysql://u@h/d", "stray"},
     "litelift: migrate needs --source DIR and --target URL (litelift migrate --help)\n",
     false},
    {{"verify", "--backup-suffix", "", "--source", "/tmp", "--target", "mysql://u@h/d"},
     "litelift: --backup-suffix may only be empty with --backup-dir\n",
     false},
    {{"migrate", "--backup-dir", "/nonexistent/bk", "--source", "/tmp", "--target",
      "mysql://u@h/d"},
     "litelift: --backup-dir '/nonexistent/bk': No such file or directory\n",
     false},
    {{"migrate", "--backup-suffix", "x/y", "--source", "/tmp", "--target", "mysql://u@h/d"},
     "litelift: --backup-suffix 'x/y' contains a '/': use --backup-dir\n",
     false},
    {{"migrate", "--ssl-mode", "SOMETIMES"},
     "litelift: --ssl-mode takes DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY\n",
     false},
    {{"status", "--protocol", "pipe"}, "litelift: --protocol takes TCP or SOCKET\n", false},
    {{"migrate", "--summary", "some"},
     "litelift: --summary takes auto, full, projects or totals\n",
     false},
    {{"status", "--password=secret"}, "litelift: --password takes no argument\n", false},
    {{"status", "-p", "--password-file", "/pw", "--target", "mysql://u@h/d"},
     "litelift: --password (-p) cannot go with --password-file\n",
     false},
    {{"verify", "--no-defaults", "--defaults-file", "/x", "--source", "/s", "--target",
      "mysql://h/d"},
     "litelift: --no-defaults cannot go with --defaults-file\n",
     false},
    {{"status", "--defaults-extra-file", "/x", "--no-defaults", "--target", "mysql://h/d"},
     "litelift: --defaults-extra-file cannot go with --no-defaults\n",
     false},
    {{"status", "--defaults-extra-file", "/x", "--defaults-file", "/y", "--target", "mysql://h/d"},
     "litelift: --defaults-extra-file cannot go with --defaults-file\n",
     false},
    {{"migrate", "--adopt", "a b", "--restart-project", "a b", "--source", "/s", "--target",
      "mysql://h/d"},
     "litelift: --adopt 'a b' cannot go with --restart-project 'a b' (keep its rows, or replace "
     "them)\n",
     false},
    {{"migrate", "--offline", "--source", "/s", "--target", "mysql://h/d"},
     "litelift: --offline goes with --dry-run only (a real run needs the target)\n",
     false},
};

Test(cli, bad_command_lines_exit_2_with_the_message)
{
    char *help = doc(cli_doc_usage);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct outcome o = parse(bad[i].args);
        cr_assert_eq(o.rc, 2, "case %zu: status %d\n%s", i, o.rc, o.err);
        size_t n = strlen(bad[i].msg);
        cr_assert(strncmp(o.err, bad[i].msg, n) == 0, "case %zu: stderr:\n%s", i, o.err);
        cr_assert_str_eq(o.err + n, bad[i].with_usage ? help : "", "case %zu: stderr:\n%s", i,
                         o.err);
        cr_assert_str_eq(o.out, "", "case %zu", i);
        outcome_free(&o);
    }
    free(help);
}

/* ------------------------------------------------------------ actions ---- */

Test(cli, help_version_and_man_print_on_stdout_with_status_0)
{
    static const struct {
        const char *args[6];
        const char *start;
    } acts[] = {
        {{"--help"}, USAGE "       litelift verify "},
        {{"-h"}, USAGE "       litelift verify "},
        {{"help"}, USAGE "       litelift verify "},
        {{"--help", "--bogus"}, USAGE "       litelift verify "},
        {{"migrate", "--jobs", "3", "--help"}, USAGE "       litelift help [COMMAND]"},
        {{"migrate", "--bogus", "-h"}, USAGE "       litelift help [COMMAND]"},
        {{"help", "migrate"}, USAGE "       litelift help [COMMAND]"},
        {{"status", "-h"}, "usage: litelift status --target URL"},
        {{"help", "status"}, "usage: litelift status --target URL"},
        {{"verify", "--version"}, VERSION},
        {{"verify", "--source", "x", "-V"}, VERSION},
        {{"--version"}, VERSION},
        {{"-V"}, VERSION},
        {{"--man"}, ".TH LITELIFT 1 "},
        {{"status", "--man"}, ".TH LITELIFT 1 "},
    };
    for (size_t i = 0; i < sizeof acts / sizeof *acts; i++) {
        struct outcome o = parse(acts[i].args);
        cr_assert_eq(o.rc, 0, "case %zu: %d\n%s", i, o.rc, o.err);
        cr_assert(strncmp(o.out, acts[i].start, strlen(acts[i].start)) == 0, "case %zu:\n%s", i,
                  o.out);
        cr_assert_str_eq(o.err, "", "case %zu", i);
        if (acts[i].start[0] == 'l') /* the version: two lines, every library named */
            cr_assert(strstr(o.out, ", zlib ") != NULL && strstr(o.out, ", yajl ") != NULL &&
                          strchr(o.out, '\n')[1] != '\0' &&
                          strchr(strchr(o.out, '\n') + 1, '\n')[1] == '\0',
                      "%s", o.out);
        outcome_free(&o);
    }
}

/* ------------------------------------------------- help and man page ---- */

/* The option's argument as the docs show it: its name, or its choices. */
static void arg_of(const struct cli_option *o, char *out, size_t size)
{
    out[0] = '\0';
    if (o->arg != NULL) {
        snprintf(out, size, "%s", o->arg);
        return;
    }
    for (const struct cli_choice *c = o->choices; c != NULL && c->word != NULL; c++)
        snprintf(out + strlen(out), size - strlen(out), "%s%s", c == o->choices ? "" : "|",
                 c->word);
}

/* s with '-' written as troff's "\-". */
static void troff_dashes(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (; *s != '\0' && n + 3 < size; s++) {
        if (*s == '-')
            out[n++] = '\\';
        out[n++] = *s;
    }
    out[n] = '\0';
}

/* What cli_doc_command writes for cmd. */
__attribute__((noinline)) static char *command_help(enum cli_command cmd)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cr_assert(f != NULL);
    cr_assert_eq(cli_doc_command(f, cmd), 0);
    cr_assert_eq(fclose(f), 0);
    return text;
}

/* Whether help lists option o (its label at a line's start) with every line of
 * its help text. */
static bool lists_option(const char *help, const struct cli_option *o)
{
    char arg[128], want[256];
    arg_of(o, arg, sizeof arg);
    snprintf(want, sizeof want, "\n  --%s%s%s", o->name, arg[0] ? " " : "", arg);
    const char *found = strstr(help, want);
    if (found == NULL)
        return false;
    const char *at = help + (size_t)(found - help) + strlen(want);
    cr_assert(*at == ' ' || *at == '\n', "%s", want + 1);
    for (const char *line = o->help; *line != '\0';) {
        size_t n = strcspn(line, "\n");
        char *text = strndup(line, n);
        cr_assert(strstr(at, text) != NULL, "help of --%s lacks \"%s\"", o->name, text);
        free(text);
        line += n + (line[n] == '\n');
    }
    return true;
}

static void lines_fit(const char *help)
{
    for (const char *line = help; *line != '\0'; line += strcspn(line, "\n") + 1)
        cr_assert_leq(strcspn(line, "\n"), 88, "line too long: %.*s", (int)strcspn(line, "\n"),
                      line);
}

Test(cli, each_command_help_lists_its_options_only)
{
    for (int c = 0; c < CLI_NCOMMANDS; c++) {
        char *help = command_help((enum cli_command)c);
        char want[64];
        snprintf(want, sizeof want, "usage: litelift %s ", cli_command_names[c]);
        cr_assert(strncmp(help, want, strlen(want)) == 0, "%s", help);
        for (size_t i = 0; i < cli_noptions; i++) {
            const struct cli_option *o = &cli_options[i];
            bool belongs = (o->commands & CLI_CMD(c)) || cli_is_action(o->kind);
            cr_assert_eq(lists_option(help, o), belongs, "%s --help and --%s", cli_command_names[c],
                         o->name);
        }
        lines_fit(help);
        free(help);
    }
}

Test(cli, general_help_names_every_command_and_where_its_options_are)
{
    char *help = doc(cli_doc_usage);
    cr_assert(strncmp(help, USAGE, strlen(USAGE)) == 0, "%s", help);
    for (int c = 0; c < CLI_NCOMMANDS; c++) {
        char want[64];
        snprintf(want, sizeof want, "\n  %-26s", cli_command_names[c]);
        cr_assert(strstr(help, want) != NULL, "help lacks the command %s:\n%s",
                  cli_command_names[c], help);
    }
    cr_assert(strstr(help, "litelift help COMMAND, or litelift COMMAND --help") != NULL, "%s",
              help);
    lines_fit(help);
    free(help);
}

Test(cli, man_page_lists_every_option_and_command)
{
    char *man = doc(cli_doc_man);
    cr_assert(strncmp(man, ".TH LITELIFT 1 ", 15) == 0, "%s", man);
    static const char *const sections[] = {
        "\n.SH NAME\n",        "\n.SH SYNOPSIS\n", "\n.SH DESCRIPTION\n",
        "\n.SH COMMANDS\n",    "\n.SH OPTIONS\n",  "\n.SH EXIT STATUS\n",
        "\n.SH ENVIRONMENT\n", "\n.SH FILES\n",    "\n.SH EXAMPLES\n"};
    for (size_t i = 0; i < sizeof sections / sizeof *sections; i++)
        cr_assert(strstr(man, sections[i]) != NULL, "no %s", sections[i] + 1);
    for (int c = 0; c < CLI_NCOMMANDS; c++) {
        char want[64];
        snprintf(want, sizeof want, "\\fBlitelift %s\\fR", cli_command_names[c]);
        cr_assert(strstr(man, want) != NULL, "man page lacks %s", want);
    }
    for (size_t i = 0; i < cli_noptions; i++) {
        const struct cli_option *o = &cli_options[i];
        char name[128], arg[128], targ[256], want[512];
        troff_dashes(o->name, name, sizeof name);
        arg_of(o, arg, sizeof arg);
        troff_dashes(arg, targ, sizeof targ);
        snprintf(want, sizeof want, "\n.TP\n\\fB\\-\\-%s\\fR%s%s%s\n", name, arg[0] ? " \\fI" : "",
                 targ, arg[0] ? "\\fR" : "");
        cr_assert(strstr(man, want) != NULL, "man page lacks \"%s\":\n%s", want + 1, man);
    }
    /* a help line starting with '.' (".migrated)") is not read as a request */
    cr_assert(strstr(man, "\n\\&.migrated)") != NULL);
    cr_assert(strstr(man, "\n.migrated") == NULL);
    free(man);
}

Test(cli, the_checked_in_man_page_is_the_one_the_table_writes)
{
    char *man = doc(cli_doc_man);
    FILE *f = fopen("doc/litelift.1", "r");
    cr_assert(f != NULL, "doc/litelift.1: run the unit tests from the repository's root");
    char *file = NULL;
    size_t cap = 0;
    ssize_t n = getdelim(&file, &cap, '\0', f);
    fclose(f);
    cr_assert(n > 0);
    cr_assert_str_eq(file, man, "doc/litelift.1 is out of date: run make man");
    free(file);
    free(man);
}

/* --------------------------------------------------------- the table ---- */

Test(cli, the_table_is_sound)
{
    for (size_t i = 0; i < cli_noptions; i++) {
        const struct cli_option *o = &cli_options[i];
        cr_assert(o->name != NULL && o->help != NULL && o->help[0] != '\0', "option %zu", i);
        for (size_t k = 0; k < i; k++)
            cr_assert_str_neq(cli_options[k].name, o->name);
        bool action = cli_is_action(o->kind);
        cr_assert_eq(o->commands == 0, action, "--%s: commands", o->name);
        cr_assert_eq(o->choices != NULL, o->kind == CLI_ONEOF || o->kind == CLI_ENUM, "--%s",
                     o->name);
        if (o->choices != NULL)
            cr_assert(o->choices[0].word != NULL && o->choices[1].word != NULL, "--%s", o->name);
        if (o->kind == CLI_SECONDS)
            cr_assert(o->min >= 1 && o->max >= o->min && o->max <= INT_MAX, "--%s", o->name);
        if (o->kind == CLI_COUNT) /* unbounded: "needs a positive integer" */
            cr_assert(o->max == 0 ? o->min >= 1 : o->max >= o->min, "--%s", o->name);
        for (const char *h = o->help; *h != '\0';
             h += strcspn(h, "\n") + (h[strcspn(h, "\n")] != 0))
            cr_assert_leq(strcspn(h, "\n"), 58, "--%s: help line too long", o->name);
    }
}
