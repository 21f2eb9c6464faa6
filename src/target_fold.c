/* target_fold: weights of texts under a collation, from the server (see
 * target_fold.h). */
#include "target_fold.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"
#include "val.h"

#define PER_QUERY 200 /* texts weighed by one SELECT */

/* Appends HEX(WEIGHT_STRING(_utf8mb4 X'..' COLLATE collation)) of text p. */
static int weight_expr(struct buf *sql, const char *collation, const char *p, size_t n)
{
    int bad = buf_puts(sql, "HEX(WEIGHT_STRING(_utf8mb4 X'");
    for (size_t i = 0; i < n; i++)
        bad |= buf_printf(sql, "%02X", (unsigned char)p[i]);
    return bad | buf_printf(sql, "' COLLATE %s))", collation);
}

/* Runs one SELECT of the weights of texts [from, to) into weights, each
 * without trailing copies of space (a space's weight, "" when the collation
 * does not pad). Returns as target_fold_weigh does. */
static int weigh_some(struct target *t, const char *collation, char *const *texts,
                      const size_t *lens, size_t from, size_t to, const char *space, char **weights,
                      char *why, size_t whysize)
{
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    int bad = buf_puts(&sql, "SELECT ");
    for (size_t i = from; i < to; i++)
        bad |=
            (i > from ? buf_puts(&sql, ", ") : 0) | weight_expr(&sql, collation, texts[i], lens[i]);
    struct error err;
    target_result *res = bad ? NULL : target_select_buf(t, &sql, "weighing key values", &err);
    buf_free(&sql);
    if (res == NULL) {
        snprintf(why, whysize, "%s", bad ? "out of memory" : err.msg);
        return bad ? -1 : 1;
    }
    char **row = target_next(res);
    int rc = 0;
    size_t sl = strlen(space);
    for (size_t i = from; row != NULL && rc == 0 && i < to; i++) {
        const char *w = row[i - from] != NULL ? row[i - from] : "";
        size_t n = strlen(w);
        while (sl > 0 && n >= sl && n % sl == 0 && memcmp(w + n - sl, space, sl) == 0)
            n -= sl;
        rc = (weights[i] = strndup(w, n)) == NULL ? -1 : 0;
    }
    if (row == NULL)
        rc = (snprintf(why, whysize, "the server weighed nothing"), 1);
    target_free(res);
    return rc;
}

int target_fold_weigh(void *ctx, const char *collation, char *const *texts, const size_t *lens,
                      size_t n, char **weights, char *why, size_t whysize)
{
    struct target *t = ctx;
    size_t chars;
    for (size_t i = 0; i < n; i++)
        if (val_utf8_check((const unsigned char *)texts[i], lens[i], &chars, NULL) != lens[i]) {
            snprintf(why, whysize, "a value is not UTF-8");
            return 1;
        }
    char *space = NULL;
    static char *const blank[] = {" "};
    static const size_t one[] = {1};
    int rc = weigh_some(t, collation, blank, one, 0, 1, "", &space, why, whysize);
    for (size_t from = 0; rc == 0 && from < n; from += PER_QUERY)
        rc = weigh_some(t, collation, texts, lens, from,
                        from + PER_QUERY < n ? from + PER_QUERY : n, space, weights, why, whysize);
    free(space);
    return rc;
}
