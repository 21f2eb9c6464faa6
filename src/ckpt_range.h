/* ckpt_range: the progress rows of a table loaded in key ranges (ranges.h):
 * range I of K of table TABLE is checkpointed in the row named
 * "TABLE [range I/K]", next to the table's own row. */
#ifndef LITELIFT_CKPT_RANGE_H
#define LITELIFT_CKPT_RANGE_H

#include <stdbool.h>
#include <stddef.h>

#define CKPT_RANGE_MAX 64      /* ranges of one table at most */
#define CKPT_RANGE_NAME_MAX 64 /* characters of the progress table's table_name */

/* Writes the row name of range i (from 1) of k of table into out (size
 * CKPT_RANGE_NAME_MAX + 1). Returns 0, or -1 when the name would not fit
 * the progress table (the table is then loaded whole). */
int ckpt_range_name(char *out, const char *table, size_t i, size_t k);

/* Whether row is the name of a range row; then *table_len is the length of
 * its table's name and *k the number of ranges. */
bool ckpt_range_parse(const char *row, size_t *table_len, size_t *k);

/* Whether row is a range row of table; then *k is the number of ranges. */
bool ckpt_range_of(const char *row, const char *table, size_t *k);

#endif
