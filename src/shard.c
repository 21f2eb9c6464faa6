/* shard: the static split of projects between runs (see shard.h). */
#include "shard.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SHARD_MAX 65536

/* Reads a whole number in 1..SHARD_MAX from *s up to `end` (a character).
 * Returns it, or 0 when there is none. */
static size_t number(const char **s, char end)
{
    char *stop;
    if (**s < '0' || **s > '9')
        return 0;
    errno = 0;
    unsigned long v = strtoul(*s, &stop, 10);
    if (errno != 0 || *stop != end || v > SHARD_MAX)
        return 0;
    *s = stop + (end != '\0');
    return (size_t)v;
}

int shard_parse(const char *spec, size_t *i, size_t *n, struct error *err)
{
    const char *s = spec;
    *i = number(&s, '/');
    *n = *i ? number(&s, '\0') : 0;
    if (*i == 0 || *n == 0 || *i > *n)
        return error_set(err,
                         "--shard needs I/N with whole numbers 1 <= I <= N <= %d (got '%s'), "
                         "e.g. --shard 2/3 on the second of three hosts",
                         SHARD_MAX, spec);
    return 0;
}

uint32_t shard_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t k = 0; k < len; k++) {
        h ^= (unsigned char)s[k];
        h *= 16777619u;
    }
    return h;
}

size_t shard_of(const char *id, size_t n)
{
    return (size_t)(shard_hash(id, strlen(id)) % n) + 1;
}

bool shard_holds(const char *spec, const char *id)
{
    size_t i, n;
    struct error ignored;
    return shard_parse(spec, &i, &n, &ignored) != 0 || shard_of(id, n) == i;
}
