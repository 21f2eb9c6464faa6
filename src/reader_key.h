/* reader_key: the binary form of a source row's key, as checkpoints and the
 * rejects table keep it: 'R' + the rowid (8 bytes, big-endian) for rowid
 * tables; 'K' + for each primary-key column a type byte (SQLite's type code)
 * followed by 8 bytes (INTEGER, REAL's bits, big-endian), a 4-byte big-endian
 * length and the bytes (TEXT, BLOB), or nothing (NULL), for WITHOUT ROWID
 * tables. reader_key_encode (reader.h) writes it from the current row;
 * reader_key_bind reads it back into a statement's parameters. */
#ifndef LITELIFT_READER_KEY_H
#define LITELIFT_READER_KEY_H

#include <sqlite3.h>
#include <stddef.h>

#include "buf.h"
#include "reader.h"

/* Appends the key of `row` (a statement positioned on a row of table t,
 * selecting t's columns in order and, for a rowid table, the rowid after
 * them) in the binary form above. Returns 0 or -1 (out of memory). */
int reader_key_encode_row(const struct reader_table *t, sqlite3_stmt *row, struct buf *out);

/* Binds the values of the encoded key k[0..n) of table t as parameters 1..n
 * of st (one for a rowid table, npk otherwise), with their storage classes.
 * Returns 0, or -1 when the key is malformed or not of t's kind (wrong tag,
 * cut short, extra bytes) or a bind fails. */
int reader_key_bind(sqlite3_stmt *st, const struct reader_table *t, const void *k, size_t n);

/* As reader_key_bind, binding parameters first..first+n-1 instead. */
int reader_key_bind_at(sqlite3_stmt *st, const struct reader_table *t, const void *k, size_t n,
                       int first);

#endif
