/* fuzz: what the libFuzzer targets of tests/fuzz/ share: the entry point's
 * declaration, an oracle check that aborts (a finding) with a message, and a
 * reader that takes bounded pieces off the front of the input. */
#ifndef LITELIFT_FUZZ_H
#define LITELIFT_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with the message when cond is false: libFuzzer records the input. */
#define FUZZ_CHECK(cond, ...)                                                                    \
    do {                                                                                         \
        if (!(cond)) {                                                                           \
            fprintf(stderr, "fuzz: oracle failed: %s: ", #cond);                                \
            fprintf(stderr, __VA_ARGS__);                                                        \
            fputc('\n', stderr);                                                                 \
            abort();                                                                             \
        }                                                                                        \
    } while (0)

/* The input being consumed. */
struct fuzz_in {
    const uint8_t *p;
    size_t n;
};

/* The next byte (0 when none is left). */
static inline unsigned fuzz_byte(struct fuzz_in *in)
{
    if (in->n == 0)
        return 0;
    in->n--;
    return *in->p++;
}

/* A copy of the rest of the input as a NUL-terminated string (NULL when out
 * of memory); embedded NULs end it early, as they would in a C string. */
static inline char *fuzz_cstr(const struct fuzz_in *in)
{
    char *s = malloc(in->n + 1);
    if (s != NULL) {
        memcpy(s, in->p, in->n);
        s[in->n] = '\0';
    }
    return s;
}

#endif
