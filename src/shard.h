/* shard: --shard I/N, a static split of the projects between N runs (on
 * as many hosts) without claims contending: a project belongs to shard
 * 1 + FNV-1a(project id) mod N, a hash of the id's bytes that is the same on
 * every host and every run. */
#ifndef LITELIFT_SHARD_H
#define LITELIFT_SHARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Reads spec "I/N" (whole numbers, 1 <= I <= N <= 65536) into *i and *n.
 * Returns 0, or -1 with err saying what is wrong. */
int shard_parse(const char *spec, size_t *i, size_t *n, struct error *err);

/* The 32-bit FNV-1a hash of s[0..len). */
uint32_t shard_hash(const char *s, size_t len);

/* The shard (1..n) that project id belongs to among n. */
size_t shard_of(const char *id, size_t n);

/* Whether project id belongs to the shard spec (valid for shard_parse)
 * names. */
bool shard_holds(const char *spec, const char *id);

#endif
