/* cli_doc: the help text and the manual page, both made from the option table
 * of cli.c, so that neither can leave out or misstate an option. */
#ifndef LITELIFT_CLI_DOC_H
#define LITELIFT_CLI_DOC_H

#include <stdio.h>

/* Writes the help text (usage lines, every option of the table with its help,
 * exit statuses) to out. Returns 0, or -1 when out could not be written or
 * memory ran out. */
int cli_doc_usage(FILE *out);

/* Writes the manual page litelift(1) in troff (man macros) to out: the same
 * usage lines, options and exit statuses, each option naming the commands it
 * applies to. Returns 0 or -1 as cli_doc_usage. */
int cli_doc_man(FILE *out);

#endif
