/* target_fold: the server's own word on which texts a collation holds equal:
 * WEIGHT_STRING of each text, with the trailing weights of spaces taken off
 * where the collation pads with spaces (utf8mb4_general_ci: 'a' = 'a '). */
#ifndef LITELIFT_TARGET_FOLD_H
#define LITELIFT_TARGET_FOLD_H

#include <stddef.h>

/* A ddl_weigh_fn (ddl.h) asking the server behind ctx (a struct target):
 * weights[i] gets the hex weight of texts[i] under collation. Returns 0; 1
 * when it cannot tell (a text that is not UTF-8, a failed query: why says);
 * -1 when out of memory. */
int target_fold_weigh(void *ctx, const char *collation, char *const *texts, const size_t *lens,
                      size_t n, char **weights, char *why, size_t whysize);

#endif
