/* cli_doc: the help texts (--help, help COMMAND, COMMAND --help) and the
 * manual page (--man, doc/litelift.1) of litelift, all written from cli.c's
 * option table: an option's label is its name and argument name (a choice's
 * words joined by '|' when it has none), followed by its help lines. */
#include "cli_doc.h"

#include <stdbool.h>
#include <string.h>

#include "buf.h"

/* Help column: labels are indented 2, help text starts at column 28; a label
 * too wide for that gets a line of its own. */
#define LABEL_WIDTH 26

/* What follows "litelift COMMAND" in the usage lines. */
static const char *const synopsis[CLI_NCOMMANDS] = {
    [CLI_MIGRATE] = "--source DIR --target URL [options]",
    [CLI_VERIFY] = "--source DIR --target URL [--checksum] [options]",
    [CLI_SCHEMA] = "--source DIR [--target URL] [options]",
    [CLI_STATUS] = "--target URL [--source DIR] [--format table|json|tsv] [options]",
};

/* What each command does, for its help and the manual page. */
static const char *const purpose[CLI_NCOMMANDS] = {
    [CLI_MIGRATE] = "Loads every project file under DIR into the target: pre-flight checks of\n"
                    "every project, then the rows in batches, each committed with its\n"
                    "checkpoint, validation, and the rename of each finished file as its\n"
                    "backup. After any failure, rerun the same command to continue.\n"
                    "--dry-run reads and converts every row and checks the target without\n"
                    "writing to it.\n",
    [CLI_VERIFY] = "Compares every project file (and its backup) with the target: row\n"
                   "counts, and with --checksum a CRC32 of every converted row. Changes\n"
                   "nothing.\n",
    [CLI_SCHEMA] = "Prints the CREATE TABLE statements that --schema create would run,\n"
                   "designed from the files (checked against the target when --target is\n"
                   "given). Changes nothing.\n",
    [CLI_STATUS] = "Shows every project the target's progress table knows: done, loading\n"
                   "(with its percentage), incomplete, or failed (with the reason); with\n"
                   "--source also the files not started yet; then the totals. Exits 0\n"
                   "when every project is done, 1 when one failed, 4 when one is not done.\n",
};

/* What each command does, in the few words of the general help. */
static const char *const brief[CLI_NCOMMANDS] = {
    [CLI_MIGRATE] = "load the project files into the target (rerun to continue)",
    [CLI_VERIFY] = "compare the project files with the target",
    [CLI_SCHEMA] = "print the tables --schema create would make",
    [CLI_STATUS] = "show each project: done, loading, failed (why), not started",
};

static const char summary[] =
    "Folds per-project SQLite files into one MySQL/MariaDB database, tagging every\n"
    "row with its project's id.\n";

static const char exit_statuses[] =
    "Exit status: 0 all projects loaded and validated with no rejects; 1 a project\n"
    "failed (or the run could not start); 2 usage error; 3 interrupted (rerun to\n"
    "continue); 4 nothing failed, but projects claimed by another run were left to\n"
    "it; 5 every project loaded, but rows were rejected (see the reject files).\n"
    "status: 0 every project done and validated; 1 a project failed; 4 incomplete.\n";

/* Appends o's argument name (its choices joined by '|' when it names none;
 * nothing for an option without argument). Returns 0 or -1. */
static int arg_name(struct buf *b, const struct cli_option *o)
{
    if (o->arg != NULL)
        return buf_puts(b, o->arg);
    if (o->kind != CLI_ONEOF && o->kind != CLI_ENUM)
        return 0;
    int rc = 0;
    for (const struct cli_choice *c = o->choices; rc == 0 && c->word != NULL; c++)
        rc = buf_printf(b, "%s%s", c == o->choices ? "" : "|", c->word);
    return rc;
}

/* The last usage line's alternatives: "--help | --version | ...". */
static int actions(struct buf *b)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < cli_noptions; i++)
        if (cli_is_action(cli_options[i].kind))
            rc = buf_printf(b, "%s--%s", b->len == 0 ? "" : " | ", cli_options[i].name);
    return rc;
}

/* Writes text's lines, each but the first preceded by indent spaces. */
static void indented(FILE *out, const char *text, int indent)
{
    for (const char *p = text; *p != '\0';) {
        size_t n = strcspn(p, "\n");
        fprintf(out, "%.*s", (int)n, p);
        p += n;
        if (*p == '\n' && *++p != '\0')
            fprintf(out, "\n%*s", indent, "");
    }
}

/* Sets b to o's label: "--NAME", then " ARG" when it takes an argument.
 * Returns 0 or -1. */
static int label(struct buf *b, const struct cli_option *o)
{
    buf_reset(b);
    if (buf_printf(b, "--%s ", o->name) != 0 || arg_name(b, o) != 0)
        return -1;
    if (b->len == strlen(o->name) + 3) /* no argument */
        buf_truncate(b, b->len - 1);
    return 0;
}

/* One option of the help text. */
static int usage_option(FILE *out, const struct cli_option *o, struct buf *lab)
{
    if (label(lab, o) != 0)
        return -1;
    if (lab->len >= LABEL_WIDTH)
        fprintf(out, "  %s\n%*s", lab->data, 2 + LABEL_WIDTH, "");
    else
        fprintf(out, "  %-*s", LABEL_WIDTH, lab->data);
    indented(out, o->help, 2 + LABEL_WIDTH);
    fputc('\n', out);
    return 0;
}

/* The usage lines of the commands in mask, then of the actions. */
static int usage_lines(FILE *out, unsigned mask, struct buf *b)
{
    const char *lead = "usage:";
    for (int c = 0; c < CLI_NCOMMANDS; c++)
        if (mask & CLI_CMD(c)) {
            fprintf(out, "%s litelift %s %s\n", lead, cli_command_names[c], synopsis[c]);
            lead = "      ";
        }
    buf_reset(b);
    if (actions(b) != 0)
        return -1;
    fprintf(out, "%s litelift help [COMMAND] | %s\n\n", lead, b->data);
    return 0;
}

int cli_doc_usage(FILE *out)
{
    struct buf b;
    buf_init(&b, BUF_CAP_LINE);
    int rc = usage_lines(out, (1u << CLI_NCOMMANDS) - 1, &b);
    if (rc == 0) {
        fprintf(out, "%s\nCommands:\n", summary);
        for (int c = 0; c < CLI_NCOMMANDS; c++) {
            fprintf(out, "  %-*s%s\n", LABEL_WIDTH, cli_command_names[c], brief[c]);
        }
        fputs("\nEach command's options: litelift help COMMAND, or litelift COMMAND --help.\n"
              "Every option: litelift --man (the manual page).\n\n",
              out);
        fputs(exit_statuses, out);
    }
    buf_free(&b);
    return rc != 0 || ferror(out) ? -1 : 0;
}

int cli_doc_command(FILE *out, enum cli_command cmd)
{
    struct buf b;
    buf_init(&b, BUF_CAP_LINE);
    int rc = usage_lines(out, CLI_CMD(cmd), &b);
    if (rc == 0)
        fprintf(out, "%s\nOptions:\n", purpose[cmd]);
    for (size_t i = 0; rc == 0 && i < cli_noptions; i++)
        if (cli_options[i].commands & CLI_CMD(cmd) || cli_is_action(cli_options[i].kind))
            rc = usage_option(out, &cli_options[i], &b);
    if (rc == 0)
        fprintf(out, "\n%s", exit_statuses);
    buf_free(&b);
    return rc != 0 || ferror(out) ? -1 : 0;
}

/* Writes s for troff: backslashes and hyphens escaped, and a '.' or '\'' at a
 * line's start kept from being read as a request. */
static void troff(FILE *out, const char *s)
{
    for (bool line_start = true; *s != '\0'; line_start = *s++ == '\n') {
        if (line_start && (*s == '.' || *s == '\''))
            fputs("\\&", out);
        if (*s == '\\')
            fputs("\\e", out);
        else if (*s == '-')
            fputs("\\-", out);
        else
            fputc(*s, out);
    }
}

/* One option of the manual page: its label, help and the commands using it. */
static int man_option(FILE *out, const struct cli_option *o, struct buf *arg)
{
    buf_reset(arg);
    if (arg_name(arg, o) != 0)
        return -1;
    fputs(".TP\n\\fB\\-\\-", out);
    troff(out, o->name);
    fputs("\\fR", out);
    if (arg->len > 0) {
        fputs(" \\fI", out);
        troff(out, arg->data);
        fputs("\\fR", out);
    }
    fputc('\n', out);
    troff(out, o->help);
    fputc('\n', out);
    for (int c = 0, n = 0; c < CLI_NCOMMANDS; c++)
        if (o->commands & CLI_CMD(c))
            fprintf(out, "%s%s", n++ == 0 ? ".br\nCommands: " : ", ", cli_command_names[c]);
    if (o->commands != 0)
        fputs(".\n", out);
    return 0;
}

static const char environment[] =
    ".TP\n\\fBMYSQL_PWD\\fR\n"
    "the password, when neither the URL, an option file, \\-\\-password\\-file nor\n"
    "\\-p gives one (other users may read a process's environment on some systems)\n"
    ".TP\n\\fBHOME\\fR\n"
    "where \\fI~/.my.cnf\\fR is looked for\n";

static const char files[] =
    ".TP\n\\fI/etc/my.cnf\\fR, \\fI/etc/mysql/my.cnf\\fR, \\fI~/.my.cnf\\fR\n"
    "option files read by the client library (groups [client] and [litelift])\n"
    "unless \\-\\-no\\-defaults or \\-\\-defaults\\-file is given\n"
    ".TP\n\\fIDIR/NAME.db.migrated\\fR\n"
    "a finished project file, renamed as its backup (\\-\\-backup\\-suffix,\n"
    "\\-\\-backup\\-dir)\n"
    ".TP\n\\fIlitelift\\-rejects/PROJECT/TABLE.tsv\\fR\n"
    "rejected rows with their reasons (\\-\\-rejects)\n";

static const char examples[] =
    "Rehearse, then migrate, then check:\n"
    ".PP\n.nf\n"
    "litelift migrate \\-\\-source /srv/projects \\-\\-target mysql://app@db1/app \\-\\-dry\\-run\n"
    "litelift migrate \\-\\-source /srv/projects \\-\\-target mysql://app@db1/app\n"
    "litelift verify \\-\\-source /srv/projects \\-\\-target mysql://app@db1/app \\-\\-checksum\n"
    "litelift status \\-\\-target mysql://app@db1/app\n"
    ".fi\n"
    ".PP\n"
    "With the password in \\fI~/.my.cnf\\fR ([client] password=...) and TLS required:\n"
    ".PP\n.nf\n"
    "litelift migrate \\-\\-source /srv/projects \\e\n"
    "  \\-\\-target 'mysql://app@db1:3306/app?ssl\\-mode=VERIFY_IDENTITY&ssl\\-ca=/etc/ca.pem'\n"
    ".fi\n";

/* The SYNOPSIS and COMMANDS sections. */
static int man_commands(FILE *out, struct buf *b)
{
    fputs(".SH SYNOPSIS\n.nf\n", out);
    for (int c = 0; c < CLI_NCOMMANDS; c++) {
        fprintf(out, "\\fBlitelift %s\\fR ", cli_command_names[c]);
        troff(out, synopsis[c]);
        fputc('\n', out);
    }
    buf_reset(b);
    if (actions(b) != 0)
        return -1;
    fputs("\\fBlitelift help\\fR [\\fICOMMAND\\fR] | ", out);
    troff(out, b->data);
    fputs("\n.fi\n.SH DESCRIPTION\n", out);
    troff(out, summary);
    fputs(".SH COMMANDS\n", out);
    for (int c = 0; c < CLI_NCOMMANDS; c++) {
        fprintf(out, ".TP\n\\fB%s\\fR\n", cli_command_names[c]);
        troff(out, purpose[c]);
    }
    return 0;
}

int cli_doc_man(FILE *out)
{
    struct buf b;
    buf_init(&b, BUF_CAP_LINE);
    fputs(".TH LITELIFT 1 \"\" \"litelift " LITELIFT_VERSION "\" \"User Commands\"\n"
          ".SH NAME\n"
          "litelift \\- fold per\\-project SQLite files into one MySQL/MariaDB database\n",
          out);
    int rc = man_commands(out, &b);
    if (rc == 0)
        fputs(".SH OPTIONS\n", out);
    for (size_t i = 0; rc == 0 && i < cli_noptions; i++)
        rc = man_option(out, &cli_options[i], &b);
    if (rc == 0) {
        fputs(".SH EXIT STATUS\n", out);
        troff(out, exit_statuses);
        fprintf(out, ".SH ENVIRONMENT\n%s.SH FILES\n%s.SH EXAMPLES\n%s", environment, files,
                examples);
        fputs(".SH SEE ALSO\n\\fBmariadb\\fR(1), \\fBmysql\\fR(1), \\fBsqlite3\\fR(1)\n", out);
    }
    buf_free(&b);
    return rc != 0 || ferror(out) ? -1 : 0;
}
