/* cli: litelift's command line. One table describes every option (its name,
 * how its argument is stored into struct config, its argument name, help text
 * and the commands that use it); the parser, the checks of the values, the
 * --help text and the manual page (--man) are all made from that table. */
#ifndef LITELIFT_CLI_H
#define LITELIFT_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

#define LITELIFT_VERSION "0.1.0"

/* cli_parse's answer when the command should run (any other answer is the
 * exit status to end with at once). */
#define CLI_RUN (-1)

/* An offset that names no field (a choice word that sets no flag). */
#define CLI_NO_FIELD ((size_t)-1)

enum cli_command { CLI_MIGRATE, CLI_VERIFY, CLI_SCHEMA, CLI_STATUS, CLI_NCOMMANDS };

/* The bit of a command in cli_option.commands. */
#define CLI_CMD(c) (1u << (c))

enum cli_kind {
    CLI_FLAG,    /* bool field set true */
    CLI_STRING,  /* const char * field = the argument */
    CLI_LIST,    /* repeatable: the argument appended to a const char ** field,
                    whose count (size_t) is at `count` */
    CLI_COUNT,   /* size_t field, a whole number in min..max (max 0: no limit) */
    CLI_SECONDS, /* int field, a whole number of seconds in min..max */
    CLI_PERIOD,  /* double field, a whole number of seconds; 0: never */
    CLI_ONEOF,   /* choice: each word sets the bool at its `flag` offset and
                    clears the bools of the other words */
    CLI_ENUM,    /* choice: the word's `value` stored into an enum field */
    CLI_HELP,    /* print the help text, exit 0 */
    CLI_VERSION, /* print the version, exit 0 */
    CLI_MAN      /* print the manual page (troff), exit 0 */
};

/* One word a choice option takes. */
struct cli_choice {
    const char *word;
    const char *note; /* said after the word in the error message, or NULL */
    size_t flag;      /* CLI_ONEOF: offsetof the bool it sets, or CLI_NO_FIELD */
    int value;        /* CLI_ENUM: the value stored */
};

/* One option: --name [arg]. */
struct cli_option {
    const char *name; /* without the leading "--" */
    enum cli_kind kind;
    size_t field;                     /* offsetof(struct config, ...) */
    size_t count;                     /* CLI_LIST: offsetof its count */
    const struct cli_choice *choices; /* CLI_ONEOF, CLI_ENUM: ended by a NULL word */
    unsigned long min, max;           /* CLI_COUNT, CLI_SECONDS */
    const char *arg;                  /* argument name; NULL: the choices joined by '|', or none */
    const char *help;                 /* one line or more, separated by '\n' */
    unsigned commands;                /* CLI_CMD bits of the commands it applies to (0: none) */
};

/* The option table, in the order of the help text. */
extern const struct cli_option cli_options[];
extern const size_t cli_noptions;

/* The command names, indexed by enum cli_command. */
extern const char *const cli_command_names[CLI_NCOMMANDS];

/* Whether options of kind k are actions (--help, --version, --man): they
 * take no argument and end the parse with their output. */
bool cli_is_action(enum cli_kind k);

/* Parses argv (argv[1] the command, or --help/-h/--version/--man alone) into
 * *cfg (first set to its defaults) and *cmd, and checks the options the
 * command needs (-h is --help's short form, as the first argument only).
 * Returns CLI_RUN when the command should run; else prints
 * what was asked (help, version, manual: stdout) or what is wrong (stderr,
 * "litelift: ..." with the usage text where a command line cannot be read)
 * and returns the exit status: 0 after help/version/manual, 2 for a usage
 * error, 1 when memory ran out. On CLI_RUN the caller frees *cfg with
 * cli_free; otherwise nothing is left to free. */
int cli_parse(int argc, char **argv, struct config *cfg, enum cli_command *cmd);

/* Frees what cli_parse allocated in cfg (the arrays of repeatable options). */
void cli_free(struct config *cfg);

#endif
