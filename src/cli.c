/* cli: the parser that stores each option of the option table (cli_options.c)
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
#include "shard.h"
#include "url.h"
#include "version.h"

enum { EXIT_OK = 0, EXIT_PROBLEMS = 1, EXIT_USAGE = 2 };

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

/* The action option (--help, --version, --man; -h for --help, -V for
 * --version) that arg names exactly, or NULL. */
static const struct cli_option *action_named(const char *arg)
{
    for (size_t i = 0; i < cli_noptions; i++) {
        const struct cli_option *o = &cli_options[i];
        if (cli_is_action(o->kind) &&
            ((strncmp(arg, "--", 2) == 0 && strcmp(arg + 2, o->name) == 0) ||
             (o->kind == CLI_HELP && strcmp(arg, "-h") == 0) ||
             (o->kind == CLI_VERSION && strcmp(arg, "-V") == 0)))
            return o;
    }
    return NULL;
}

/* The first action option among argv[from..] (up to a "--"), or NULL. */
static const struct cli_option *action_among(int argc, char **argv, int from)
{
    for (int i = from; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const struct cli_option *o = action_named(argv[i]);
        if (o != NULL)
            return o;
    }
    return NULL;
}

/* Prints what an action option asks for on stdout (the help of cmd, or the
 * general help when cmd is CLI_NCOMMANDS); its exit status is 0. */
static int act(const struct cli_option *o, enum cli_command cmd)
{
    int rc;
    if (o->kind == CLI_VERSION)
        rc = version_print(stdout);
    else if (o->kind == CLI_MAN)
        rc = cli_doc_man(stdout);
    else
        rc = cmd == CLI_NCOMMANDS ? cli_doc_usage(stdout) : cli_doc_command(stdout, cmd);
    return rc == 0 ? EXIT_OK : EXIT_PROBLEMS;
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
    /* memcpy: base is a struct config seen as bytes, field an offsetof */
    if (o->kind == CLI_COUNT)
        memcpy(base + o->field, &(size_t){(size_t)v}, sizeof(size_t));
    else if (o->kind == CLI_SECONDS)
        memcpy(base + o->field, &(int){(int)v}, sizeof(int));
    else
        memcpy(base + o->field, &(double){(double)v}, sizeof(double));
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
    return act(o, CLI_NCOMMANDS);
}

/* The option of the table called name (one that is there). */
static const struct cli_option *option_named(const char *name)
{
    size_t i = 0;
    while (strcmp(cli_options[i].name, name) != 0)
        i++;
    return &cli_options[i];
}

/* The edit distance between a and b (insertions, deletions, substitutions
 * and swaps of neighbours), or a big number for names over 40 bytes. */
static size_t distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na > 40 || nb > 40)
        return 99;
    size_t d[41][41];
    for (size_t i = 0; i <= na; i++)
        for (size_t j = 0; j <= nb; j++) {
            if (i == 0 || j == 0) {
                d[i][j] = i + j;
                continue;
            }
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[na][nb];
}

/* The option of cmd whose name is nearest to word (the "--" and any "=..."
 * left out), when it is near enough to be a likely typo; else NULL. */
static const struct cli_option *nearest(const char *word, enum cli_command cmd)
{
    char name[48];
    word += strspn(word, "-");
    snprintf(name, sizeof name, "%.*s", (int)strcspn(word, "="), word);
    const struct cli_option *best = NULL;
    size_t best_d = strlen(name) / 3 + 1; /* a third of the letters wrong at most */
    for (size_t i = 0; i < cli_noptions; i++) {
        const struct cli_option *o = &cli_options[i];
        size_t d = distance(name, o->name);
        if ((o->commands & CLI_CMD(cmd) || cli_is_action(o->kind)) && d <= best_d &&
            (best == NULL || d < best_d)) {
            best = o;
            best_d = d;
        }
    }
    return best;
}

/* The one-line error for an option getopt_long did not accept (code '?' or
 * ':', optopt as it left it, word the argument it stopped at). */
static int option_error(int code, int opt, const char *word, enum cli_command cmd)
{
    const char *name = cli_command_names[cmd];
    if (code == ':' && opt >= 256)
        return usage_error(false, "--%s needs an argument (%s)", cli_options[opt - 256].name,
                           cli_options[opt - 256].arg != NULL ? cli_options[opt - 256].arg
                                                              : "see litelift help");
    if (opt >= 256)
        return usage_error(false, "--%s takes no argument", cli_options[opt - 256].name);
    const struct cli_option *near = opt == 0 ? nearest(word, cmd) : NULL;
    char shown[64];
    if (opt != 0)
        snprintf(shown, sizeof shown, "-%c", opt);
    else
        snprintf(shown, sizeof shown, "%.*s", (int)strcspn(word, "="), word);
    if (near != NULL)
        return usage_error(false, "unknown option '%s'; did you mean --%s? (litelift %s --help)",
                           shown, near->name, name);
    return usage_error(false, "unknown option '%s' (litelift %s --help lists its options)", shown,
                       name);
}

/* Parses the options after the command with getopt_long (its own messages
 * off: option_error says what is wrong in one line). *stray tells whether
 * words that are no option were left. */
static int parse_options(int argc, char **argv, enum cli_command cmd, struct config *cfg,
                         bool *stray)
{
    struct option longopts[cli_noptions + 1];
    for (size_t i = 0; i < cli_noptions; i++) {
        enum cli_kind k = cli_options[i].kind;
        bool takes_arg = k != CLI_FLAG && !cli_is_action(k);
        longopts[i] = (struct option){
            cli_options[i].name, takes_arg ? required_argument : no_argument, NULL, 256 + (int)i};
    }
    longopts[cli_noptions] = (struct option){NULL, 0, NULL, 0};
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
    opterr = 0;
    while (rc == CLI_RUN && (c = getopt_long(n, args, ":p", longopts, NULL)) != -1) {
        const struct cli_option *o = c == 'p'   ? option_named("password")
                                     : c >= 256 ? &cli_options[c - 256]
                                                : NULL;
        if (o == NULL)
            rc = option_error(c, optopt, args[optind - 1], cmd);
        else if (!(o->commands & CLI_CMD(cmd)))
            rc = usage_error(false, "--%s does not apply to %s (litelift %s --help)", o->name,
                             cli_command_names[cmd], cli_command_names[cmd]);
        else
            rc = store(o, optarg, cfg);
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
    if (cfg->defaults_extra != NULL && (cfg->no_defaults || cfg->defaults_file != NULL))
        return usage_error(false, "--defaults-extra-file cannot go with %s",
                           cfg->no_defaults ? "--no-defaults" : "--defaults-file");
    if (cfg->password_prompt && cfg->password_file != NULL)
        return usage_error(false, "--password (-p) cannot go with --password-file");
    return CLI_RUN;
}

/* The usage error of a --progress-table that is not NAME or SCHEMA.NAME:
 * parts empty, a second '.', a NAME too long for its companions' names
 * (NAME_rejects, NAME_indexes) or a SCHEMA longer than MySQL allows. */
static int check_progress_table(const char *name)
{
    const char *dot = strchr(name, '.');
    const char *table = dot ? dot + 1 : name;
    size_t schema = dot ? (size_t)(dot - name) : 0;
    if (*table == '\0' || strchr(table, '.') != NULL || (dot && schema == 0) || schema > 64 ||
        strlen(table) > 64 - strlen("_indexes"))
        return usage_error(false,
                           "--progress-table needs NAME or SCHEMA.NAME (each part non-empty, no "
                           "second '.', NAME at most 56 characters, SCHEMA at most 64), not '%s'",
                           name);
    return CLI_RUN;
}

/* The usage errors of a parsed command line: what the command needs. */
static int check_command(const struct config *cfg, enum cli_command cmd, bool stray)
{
    if (check_login(cfg) != CLI_RUN || check_progress_table(cfg->progress_table) != CLI_RUN)
        return EXIT_USAGE;
    if (cfg->offline && !cfg->dry_run)
        return usage_error(false, "--offline goes with --dry-run only (a real run needs the "
                                  "target)");
    if (cmd == CLI_STATUS)
        return stray || cfg->target_url == NULL ? usage_error(false, "status needs --target URL")
                                                : CLI_RUN;
    if (cmd == CLI_SCHEMA)
        return stray || cfg->source_dir == NULL ? usage_error(false, "schema needs --source DIR")
                                                : CLI_RUN;
    if (cfg->backup_suffix[0] == '\0' && cfg->backup_dir == NULL)
        return usage_error(false, "--backup-suffix may only be empty with --backup-dir");
    if (stray || cfg->source_dir == NULL || cfg->target_url == NULL)
        return usage_error(false, "%s needs --source DIR and --target URL (litelift %s --help)",
                           cli_command_names[cmd], cli_command_names[cmd]);
    for (size_t i = 0; i < cfg->nadopt; i++)
        for (size_t k = 0; k < cfg->nrestart; k++)
            if (strcmp(cfg->adopt[i], cfg->restart[k]) == 0)
                return usage_error(false,
                                   "--adopt '%s' cannot go with --restart-project '%s' (keep "
                                   "its rows, or replace them)",
                                   cfg->adopt[i], cfg->restart[k]);
    struct error err;
    size_t si, sn;
    if (cfg->shard != NULL && shard_parse(cfg->shard, &si, &sn, &err) != 0)
        return usage_error(false, "%s", err.msg);
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
    rc = usage_error(false, "unknown command '%s' (expected: %s; litelift --help)", name,
                     rc == 0 ? names.data : "?");
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

/* "litelift help [COMMAND]": the general help or the command's. */
static int help_command(int argc, char **argv)
{
    enum cli_command cmd = CLI_NCOMMANDS;
    if (argc > 3)
        return usage_error(false, "help takes one command at most");
    if (argc == 3 && command_named(argv[2], &cmd) != CLI_RUN)
        return EXIT_USAGE;
    return act(option_named("help"), cmd);
}

int cli_parse(int argc, char **argv, struct config *cfg, enum cli_command *cmd)
{
    config_defaults(cfg);
    if (argc >= 2 && strcmp(argv[1], "help") == 0)
        return help_command(argc, argv);
    const struct cli_option *a = argc >= 2 ? action_named(argv[1]) : NULL;
    if (a != NULL)
        return act(a, CLI_NCOMMANDS);
    if (argc < 2)
        return usage_error(true, "missing command");
    int rc = command_named(argv[1], cmd);
    if (rc == CLI_RUN && (a = action_among(argc, argv, 2)) != NULL)
        return act(a, *cmd);
    bool stray;
    if (rc == CLI_RUN)
        rc = parse_options(argc, argv, *cmd, cfg, &stray);
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
    for (size_t i = 0; i < cli_noptions; i++)
        if (cli_options[i].kind == CLI_LIST) {
            const char ***v = (const char ***)((char *)cfg + cli_options[i].field);
            free(*v);
            *v = NULL;
            *(size_t *)((char *)cfg + cli_options[i].count) = 0;
        }
}
