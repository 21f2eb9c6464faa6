/* compare: the integration tests' oracle. Reads a source SQLite file and the
 * target rows of one project and compares every column of every row, with
 * expectations computed independently of litelift's transformer (libc's
 * timegm/gmtime_r for instants, strtod for doubles, byte comparison for text,
 * blobs and JSON). */
#ifndef LITELIFT_TEST_COMPARE_H
#define LITELIFT_TEST_COMPARE_H

#include <mysql.h>
#include <stddef.h>

/* Keys of source rows that are expected to be rejected ("table\tkey"). */
struct compare_skip {
    const char **keys;
    size_t n;
};

/* Compares every table of the SQLite file at path with the rows of project_id
 * in the target database of my. Returns the number of rows compared, or -1
 * with a description of the first difference in msg. */
long compare_project(MYSQL *my, const char *path, const char *project_column,
                     const char *project_id, const struct compare_skip *skip, char *msg,
                     size_t msgsize);

/* Number of rows of `table` in the target for project_id, or -1. */
long compare_count(MYSQL *my, const char *table, const char *project_column,
                   const char *project_id);

#endif
