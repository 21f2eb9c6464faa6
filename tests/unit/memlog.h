/* memlog: an output stream kept in memory (open_memstream) for tests that
 * check exactly what a module writes, and a helper that adds a table with
 * its counts to a report. Header-only: each test includes what it uses. */
#ifndef LITELIFT_TEST_MEMLOG_H
#define LITELIFT_TEST_MEMLOG_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "report.h"

/* A log or output stream in memory. */
struct mem {
    FILE *f;
    char *data;
    size_t len;
};

static inline void mem_open(struct mem *m)
{
    m->data = NULL;
    m->len = 0;
    m->f = open_memstream(&m->data, &m->len);
    cr_assert(m->f != NULL);
}

/* Flushes and returns the text so far (owned by m). */
static inline const char *mem_text(struct mem *m)
{
    cr_assert_eq(fflush(m->f), 0);
    return m->data ? m->data : "";
}

static inline void mem_close(struct mem *m)
{
    fclose(m->f);
    free(m->data);
}

/* Adds table name to p with these counts and note. */
static inline struct report_table *add_table(struct report_project *p, const char *name,
                                             long long read, long long loaded, long long rejected,
                                             double secs, const char *note)
{
    struct report_table *t = report_table(p, name);
    cr_assert(t != NULL);
    cr_assert_str_eq(t->name, name);
    t->read = read;
    t->loaded = loaded;
    t->rejected = rejected;
    t->seconds = secs;
    t->note = note;
    return t;
}

#endif
