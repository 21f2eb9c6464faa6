/* cli_doc: the help text (--help) and the manual page (--man) of litelift,
 * both written from cli.c's option table: an option's label is its name and
 * argument name (a choice's words joined by '|' when it has none), followed
 * by its help lines. */
#include "cli_doc.h"

#include <stdbool.h>
#include <string.h>

#include "buf.h"
#include "cli.h"

/* Help column: labels are indented 2, help text starts at column 28; a label
 * too wide for that gets a line of its own. */
#define LABEL_WIDTH 26

/* What follows "litelift COMMAND" in the usage lines. */
static const char *const synopsis[CLI_NCOMMANDS] = {
    [CLI_MIGRATE] = "--source DIR --target URL [options]",
    [CLI_VERIFY] = "--source DIR --target URL [--checksum] [options]",
    [CLI_SCHEMA] = "--source DIR [--target URL] [options]",
    [CLI_STATUS] = "--target URL [--progress-table [SCHEMA.]NAME]",
};

static const char summary[] =
    "Folds per-project SQLite files into one MySQL/MariaDB database, tagging every\n"
    "row with its project's id.\n";

static const char exit_statuses[] =
    "Exit status: 0 all projects loaded and validated with no rejects; 1 a project\n"
    "failed or a row was rejected; 2 usage error; 3 interrupted (rerun to continue);\n"
    "4 nothing failed, but projects claimed by another run were left to it.\n";

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

int cli_doc_usage(FILE *out)
{
    struct buf b;
    buf_init(&b, BUF_CAP_LINE);
    int rc = 0;
    for (int c = 0; c < CLI_NCOMMANDS; c++)
        fprintf(out, "%s litelift %s %s\n", c == 0 ? "usage:" : "      ", cli_command_names[c],
                synopsis[c]);
    if (actions(&b) != 0)
        rc = -1;
    else
        fprintf(out, "       litelift %s\n\n%s\n", b.data, summary);
    for (size_t i = 0; rc == 0 && i < cli_noptions; i++)
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

int cli_doc_man(FILE *out)
{
    struct buf b;
    buf_init(&b, BUF_CAP_LINE);
    fputs(".TH LITELIFT 1 \"\" \"litelift " LITELIFT_VERSION "\" \"User Commands\"\n"
          ".SH NAME\n"
          "litelift \\- fold per\\-project SQLite files into one MySQL/MariaDB database\n"
          ".SH SYNOPSIS\n"
          ".nf\n",
          out);
    for (int c = 0; c < CLI_NCOMMANDS; c++) {
        fprintf(out, "\\fBlitelift %s\\fR ", cli_command_names[c]);
        troff(out, synopsis[c]);
        fputc('\n', out);
    }
    int rc = actions(&b);
    if (rc == 0) {
        fputs("\\fBlitelift\\fR ", out);
        troff(out, b.data);
        fputs("\n.fi\n.SH DESCRIPTION\n", out);
        troff(out, summary);
        fputs(".SH OPTIONS\n", out);
    }
    for (size_t i = 0; rc == 0 && i < cli_noptions; i++)
        rc = man_option(out, &cli_options[i], &b);
    if (rc == 0) {
        fputs(".SH EXIT STATUS\n", out);
        troff(out, exit_statuses);
    }
    buf_free(&b);
    return rc != 0 || ferror(out) ? -1 : 0;
}
