/* ckpt_range: names of the progress rows of key ranges (see ckpt_range.h). */
#include "ckpt_range.h"

#include <stdio.h>
#include <string.h>

#define SUFFIX " [range "

int ckpt_range_name(char *out, const char *table, size_t i, size_t k)
{
    int n = snprintf(out, CKPT_RANGE_NAME_MAX + 1, "%s" SUFFIX "%zu/%zu]", table, i, k);
    return n > 0 && n <= CKPT_RANGE_NAME_MAX ? 0 : -1;
}

bool ckpt_range_parse(const char *row, size_t *table_len, size_t *k)
{
    const char *s = strstr(row, SUFFIX), *next;
    while (s != NULL && (next = strstr(s + 1, SUFFIX)) != NULL)
        s = next; /* the last one: a table's name may hold the suffix too */
    unsigned long i, n;
    int end = 0;
    if (s == NULL || s == row || sscanf(s + strlen(SUFFIX), "%lu/%lu]%n", &i, &n, &end) != 2 ||
        s[strlen(SUFFIX) + (size_t)end] != '\0' || n < 2 || n > CKPT_RANGE_MAX || i < 1 || i > n)
        return false;
    *table_len = (size_t)(s - row);
    *k = n;
    return true;
}

bool ckpt_range_of(const char *row, const char *table, size_t *k)
{
    size_t len;
    return ckpt_range_parse(row, &len, k) && len == strlen(table) && memcmp(row, table, len) == 0;
}
