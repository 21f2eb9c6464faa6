/* cli_doc: the help texts and the manual page, all made from the option table
 * of cli_options.c, so that none can leave out or misstate an option. */
#ifndef LITELIFT_CLI_DOC_H
#define LITELIFT_CLI_DOC_H

#include <stdio.h>

#include "cli.h"

/* Writes the general help text (usage lines, what each command does, where
 * each command's options are listed, exit statuses) to out. Returns 0, or -1
 * when out could not be written or memory ran out. */
int cli_doc_usage(FILE *out);

/* Writes one command's help text (its usage line, what it does, the options
 * that apply to it and the actions, exit statuses) to out. Returns 0 or -1 as
 * cli_doc_usage. */
int cli_doc_command(FILE *out, enum cli_command cmd);

/* Writes the manual page litelift(1) in troff (man macros) to out: usage
 * lines, the commands, every option naming the commands it applies to, exit
 * statuses, environment, files and examples. Returns 0 or -1 as
 * cli_doc_usage. */
int cli_doc_man(FILE *out);

#endif
