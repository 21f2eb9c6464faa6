/* plan: source-to-target table plans (see plan.h). */
#include "plan.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void plan_memo_init(struct plan_memo *m)
{
    memset(m, 0, sizeof *m);
    pthread_mutex_init(&m->mu, NULL);
}

void plan_memo_free(struct plan_memo *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->keys[i]);
        free(m->remarks[i]);
    }
    free(m->keys);
    free(m->units);
    free(m->remarks);
    free(m->slots);
    pthread_mutex_destroy(&m->mu);
}

/* FNV-1a of key with ASCII letters folded to lower case, as strcasecmp
 * compares them. */
static size_t memo_hash(const char *key)
{
    uint64_t h = 14695981039346656037u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ (*p >= 'A' && *p <= 'Z' ? *p + 32u : *p)) * 1099511628211u;
    return (size_t)h;
}

/* The slot of m where key is, or the empty one where it would go. */
static size_t memo_slot(const struct plan_memo *m, const char *key)
{
    size_t s = memo_hash(key) & (m->nslots - 1);
    while (m->slots[s] != 0 && strcasecmp(m->keys[m->slots[s] - 1], key) != 0)
        s = (s + 1) & (m->nslots - 1);
    return s;
}

int plan_memo_get(struct plan_memo *m, const char *key, enum xform_unit *unit, char **remark)
{
    int found = 0;
    if (m == NULL)
        return 0;
    pthread_mutex_lock(&m->mu);
    size_t i = m->nslots ? m->slots[memo_slot(m, key)] : 0;
    if (i != 0) {
        *unit = m->units[i - 1];
        *remark = m->remarks[i - 1] ? strdup(m->remarks[i - 1]) : NULL;
        found = 1;
    }
    pthread_mutex_unlock(&m->mu);
    return found;
}

/* Makes room in m for one more entry: its arrays, and an index more than
 * twice as large. Returns 0 or -1 (out of memory: m keeps what it holds). */
static int memo_room(struct plan_memo *m)
{
    if (m->n == m->size) {
        size_t size = m->size ? 2 * m->size : 16;
        char **k = realloc(m->keys, size * sizeof *k);
        if (k != NULL)
            m->keys = k;
        enum xform_unit *u = k ? realloc(m->units, size * sizeof *u) : NULL;
        if (u != NULL)
            m->units = u;
        char **r = u ? realloc(m->remarks, size * sizeof *r) : NULL;
        if (r == NULL)
            return -1;
        m->remarks = r;
        m->size = size;
    }
    if (2 * (m->n + 1) < m->nslots)
        return 0;
    size_t nslots = m->nslots ? 2 * m->nslots : 64;
    size_t *slots = calloc(nslots, sizeof *slots);
    if (slots == NULL)
        return -1;
    free(m->slots);
    m->slots = slots;
    m->nslots = nslots;
    for (size_t i = 0; i < m->n; i++)
        m->slots[memo_slot(m, m->keys[i])] = i + 1;
    return 0;
}

/* Records key unless m has it already (the first record stands). */
static void memo_put(struct plan_memo *m, const char *key, enum xform_unit unit, const char *remark)
{
    if (m == NULL)
        return;
    pthread_mutex_lock(&m->mu);
    char *k = NULL, *r = NULL;
    size_t s = 0;
    if (memo_room(m) == 0 && m->slots[s = memo_slot(m, key)] == 0 && (k = strdup(key)) != NULL &&
        (remark == NULL || (r = strdup(remark)) != NULL)) {
        m->keys[m->n] = k;
        m->units[m->n] = unit;
        m->remarks[m->n] = r;
        m->slots[s] = ++m->n;
        k = NULL;
    }
    free(k);
    pthread_mutex_unlock(&m->mu);
}

void plan_memo_set(struct plan_memo *m, const char *path, const char *table, const char *column,
                   enum xform_unit unit, const char *remark)
{
    char *key = NULL;
    if (asprintf(&key, "%s\t%s\t%s", path, table, column) >= 0)
        memo_put(m, key, unit, remark);
    free(key);
}

void plan_init(struct plan_ctx *ctx, struct target *tgt, const struct config *cfg,
               const struct mapping *map)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->tgt = tgt;
    ctx->cfg = cfg;
    ctx->map = map;
}

/* The designed table `name` where the target lacks it, else NULL with err set. */
static const struct schema_table *designed(const struct plan_ctx *ctx, const char *name,
                                           struct error *err)
{
    for (size_t i = 0; i < ctx->ndesigned; i++)
        if (strcasecmp(ctx->designed[i].name, name) == 0) /* as the design merges them */
            return &ctx->designed[i];
    error_set_table(err, name, "no such table in target database %s", ctx->tgt->database);
    return NULL;
}

const struct schema_table *plan_target(struct plan_ctx *ctx, const char *name, struct error *err)
{
    for (size_t i = 0; i < ctx->n; i++)
        if (strcmp(ctx->names[i], name) == 0)
            return ctx->tables[i].name ? &ctx->tables[i] : designed(ctx, name, err);
    struct schema_table *tv = realloc(ctx->tables, (ctx->n + 1) * sizeof *tv);
    if (tv == NULL)
        return error_oom(err), NULL;
    ctx->tables = tv;
    char **nv = realloc(ctx->names, (ctx->n + 1) * sizeof *nv);
    if (nv == NULL)
        return error_oom(err), NULL;
    ctx->names = nv;
    int rc = schema_load_table(ctx->tgt, name, &ctx->tables[ctx->n], err);
    if (rc < 0)
        return NULL;
    ctx->names[ctx->n] = strdup(name);
    ctx->n++;
    return rc == 1 ? &ctx->tables[ctx->n - 1] : designed(ctx, name, err);
}

bool plan_reserved(const char *progress_table, const char *name)
{
    size_t n = strlen(progress_table);
    return strchr(progress_table, '.') == NULL && strncasecmp(name, progress_table, n) == 0 &&
           (name[n] == '\0' || name[n] == '_');
}

const struct schema_table *plan_looked_up(const struct plan_ctx *ctx, size_t i, size_t *n,
                                          bool *designed)
{
    if (n != NULL)
        *n = ctx->n;
    if (designed != NULL)
        *designed = i < ctx->n && ctx->tables[i].name == NULL;
    if (i >= ctx->n)
        return NULL;
    if (ctx->tables[i].name != NULL)
        return &ctx->tables[i];
    for (size_t k = 0; k < ctx->ndesigned; k++)
        if (strcasecmp(ctx->designed[k].name, ctx->names[i]) == 0)
            return &ctx->designed[k];
    return NULL;
}

void plan_free(struct plan_ctx *ctx)
{
    for (size_t i = 0; i < ctx->n; i++) {
        schema_table_free(&ctx->tables[i]);
        free(ctx->names[i]);
    }
    free(ctx->tables);
    free(ctx->names);
    memset(ctx, 0, sizeof *ctx);
}

void plan_table_free(struct plan_table *p)
{
    free(p->cols);
    free(p->tgt_names);
    free(p->bits);
    free(p->convert);
    free(p->autoinc);
    buf_free(&p->remarks);
    memset(p, 0, sizeof *p);
}

/* Plausible instants: 1973-01-01 .. 2100-01-01 as unix seconds. */
#define PLAUSIBLE_MIN 94694400.0
#define PLAUSIBLE_MAX 4102444800.0

static const struct {
    enum xform_unit unit;
    double scale;  /* value / scale = seconds */
    double jd_min; /* Julian-day window instead, when scale is 0 */
    double jd_max;
} readings[] = {
    {XFORM_UNIT_MS, 1e3, 0, 0},
    {XFORM_UNIT_US, 1e6, 0, 0},
    {XFORM_UNIT_JULIAN, 0, 2378497.0, 2524594.0}, /* years 1800-2200 */
};

bool plan_plausible_seconds(double lo, double hi)
{
    return lo >= PLAUSIBLE_MIN && hi <= PLAUSIBLE_MAX;
}

int plan_unit_readings(double lo, double hi, enum xform_unit *unit, const char **name)
{
    int hits = 0;
    for (size_t k = 0; k < sizeof readings / sizeof *readings; k++) {
        bool ok = readings[k].scale > 0
                      ? plan_plausible_seconds(lo / readings[k].scale, hi / readings[k].scale)
                      : lo >= readings[k].jd_min && hi <= readings[k].jd_max;
        if (ok) {
            hits++;
            *unit = readings[k].unit;
            if (name != NULL)
                *name = mapping_unit_name(readings[k].unit);
        }
    }
    return hits;
}

/* How numbers of source column c go into temporal column pc: unix seconds
 * when they are plausible (1973-2100), or when no other reading is; else the
 * single plausible reading with --guess-time-units, or a problem naming the
 * likely unit and the mapping line that settles it. From the range [lo, hi]
 * of the n numbers; remembered in the memo unless the column is refused. */
static void decide_unit(struct plan_ctx *ctx, struct reader *r, size_t t, size_t c, long long n,
                        double lo, double hi, struct plan_col *pc, struct plan_table *p,
                        struct buf *problems, const char *key)
{
    if (n == 0 || plan_plausible_seconds(lo, hi)) {
        memo_put(ctx->memo, key, pc->x.unit, NULL);
        return;
    }
    enum xform_unit unit = XFORM_UNIT_AUTO;
    const char *name = NULL;
    int hits = plan_unit_readings(lo, hi, &unit, &name);
    if (hits == 0) {
        /* no other reading fits either: the numbers are taken as seconds */
        memo_put(ctx->memo, key, pc->x.unit, NULL);
        return;
    }
    const char *col = r->tables[t].cols[c].name;
    if (hits == 1 && ctx->cfg->guess_time_units) {
        char remark[256];
        pc->x.unit = unit;
        snprintf(remark, sizeof remark, "column %s: numbers read as %s (--guess-time-units)", col,
                 name);
        buf_printf(&p->remarks, "%s%s", p->remarks.len ? "; " : "", remark);
        memo_put(ctx->memo, key, pc->x.unit, remark);
        return;
    }
    buf_printf(problems,
               "; column %s: its %lld number(s) (%.17g .. %.17g) are not plausible unix seconds "
               "(1973-2100) but look like %s; say which in the mapping file "
               "([%s] %s.convert = %s) or pass --guess-time-units",
               col, n, lo, hi, hits == 1 ? name : "several units", r->tables[t].name, col,
               hits == 1 ? name : "epoch-ms");
}

static bool temporal(enum schema_kind k)
{
    return k == SCHEMA_DATE || k == SCHEMA_DATETIME || k == SCHEMA_TIMESTAMP;
}

/* Decides how the numbers of the temporal columns of p go in: from the memo
 * when the column was decided before, else from one scan of all of them
 * (decide_unit). Problems are appended to problems. Returns 0 or -1. */
static int check_time_units(struct plan_ctx *ctx, struct reader *r, size_t t, struct plan_table *p,
                            struct buf *problems, struct error *err)
{
    size_t k = 0, *cols = calloc(p->nmap + 1, sizeof *cols),
           *which = calloc(p->nmap + 1, sizeof *which);
    long long *n = calloc(p->nmap + 1, sizeof *n);
    double *lo = calloc(p->nmap + 1, sizeof *lo), *hi = calloc(p->nmap + 1, sizeof *hi);
    char **keys = calloc(p->nmap + 1, sizeof *keys);
    int rc = -1;
    if (cols == NULL || which == NULL || n == NULL || lo == NULL || hi == NULL || keys == NULL) {
        error_oom(err);
        goto out;
    }
    for (size_t m = 0; m < p->nmap; m++) {
        struct plan_col *pc = &p->cols[m];
        assert(pc->x.col != NULL); /* add_column sets it for every mapped column */
        if (!temporal(pc->x.col->kind) || pc->x.unit != XFORM_UNIT_AUTO)
            continue;
        char *key = NULL, *remark = NULL;
        if (asprintf(&key, "%s\t%s\t%s", r->path, r->tables[t].name,
                     r->tables[t].cols[pc->src].name) < 0) {
            error_oom(err);
            goto out;
        }
        if (plan_memo_get(ctx->memo, key, &pc->x.unit, &remark)) {
            if (remark != NULL)
                buf_printf(&p->remarks, "%s%s", p->remarks.len ? "; " : "", remark);
            free(remark);
            free(key);
            continue;
        }
        keys[k] = key;
        which[k] = m;
        cols[k++] = pc->src;
    }
    /* A number inside the plausible window of unix seconds rules every other
     * reading out (each needs all numbers inside its own window, and none
     * meets this one), so decide_unit takes such a column as seconds from the
     * range of the rows read up to it: the scan stops once every column has
     * one (the first row, as a rule), and reads everything only otherwise. */
    static const double seconds[2] = {PLAUSIBLE_MIN, PLAUSIBLE_MAX};
    if (k > 0 && reader_numeric_ranges(r, t, cols, k, seconds, n, lo, hi, err) != 0)
        goto out;
    for (size_t i = 0; i < k; i++)
        decide_unit(ctx, r, t, cols[i], n[i], lo[i], hi[i], &p->cols[which[i]], p, problems,
                    keys[i]);
    rc = 0;
out:
    for (size_t i = 0; keys != NULL && i < k; i++)
        free(keys[i]);
    free(keys);
    free(cols);
    free(which);
    free(n);
    free(lo);
    free(hi);
    return rc;
}

/* Appends the problem of target table tt, when it cannot roll a failed
 * batch back (and the run loads). */
static void check_engine(const struct plan_ctx *ctx, const struct schema_table *tt,
                         struct buf *problems)
{
    if (tt->cannot_roll_back && !ctx->any_engine)
        buf_printf(problems,
                   "; target table %s uses the %s engine, which cannot roll a failed batch back: "
                   "litelift loads only into transactional tables (ALTER TABLE %s ENGINE=InnoDB)",
                   tt->name, tt->engine, tt->name);
}

/* The target column that source column i of st goes to (renamed by the
 * mapping file or not), or -1 with the problem appended when it cannot be
 * loaded; -2 when it is left out without a problem (skipped by the mapping
 * file, or generated on both sides). used marks the target columns taken. */
static int target_column(const struct reader_table *st, const struct mapping_table *mt, size_t i,
                         const struct plan_table *p, const bool *used, int pcol,
                         struct buf *problems)
{
    const struct schema_table *tt = p->tgt;
    const struct mapping_column *mc = mapping_column(mt, st->cols[i].name);
    if (mc != NULL && mc->skip)
        return -2;
    const char *name = mc && mc->rename ? mc->rename : st->cols[i].name;
    int tc = schema_find_column(tt, name);
    if (tc < 0) {
        buf_printf(problems, "; source column %s has no target column%s%s", st->cols[i].name,
                   mc && mc->rename ? " " : "", mc && mc->rename ? name : "");
        return -1;
    }
    if (tc == pcol) {
        buf_printf(problems,
                   "; source column %s collides with the project column (rename it in the "
                   "mapping file: [%s] %s.rename = NEW_NAME, or choose another "
                   "--project-column)",
                   name, st->name, st->cols[i].name);
        return -1;
    }
    if (used[tc]) { /* the mapping file renames two columns onto one */
        const char *first = "?";
        for (size_t m = 0; m < p->nmap; m++)
            if (p->cols[m].x.col == &tt->cols[tc])
                first = st->cols[p->cols[m].src].name;
        buf_printf(problems, "; source columns %s and %s both go to target column %s", first,
                   st->cols[i].name, name);
        return -1;
    }
    if (tt->cols[tc].generated && st->cols[i].generated)
        return -2; /* generated on both sides: the target computes its own */
    if (tt->cols[tc].generated) {
        buf_printf(problems, "; target column %s is generated and cannot be loaded", name);
        return -1;
    }
    return tc;
}

/* Appends to p the column that takes source column src into target column tc
 * of p->tgt (conversion options unset). Returns it. */
static struct plan_col *add_column(struct plan_table *p, size_t src, int tc)
{
    struct plan_col *pc = &p->cols[p->nmap];
    pc->src = src;
    pc->x.col = &p->tgt->cols[tc];
    p->tgt_names[p->nmap] = p->tgt->cols[tc].name;
    p->nmap++;
    return pc;
}

/* Maps the source columns of st onto p->tgt, marking the target columns
 * used and appending problems. */
static void map_columns(const struct plan_ctx *ctx, const struct reader_table *st,
                        const struct mapping_table *mt, struct plan_table *p, bool *used,
                        struct buf *problems)
{
    int pcol = schema_find_column(p->tgt, ctx->cfg->project_column);
    if (pcol < 0)
        buf_printf(problems, "; target table has no project column `%s`", ctx->cfg->project_column);
    else
        used[pcol] = true;
    for (size_t i = 0; i < st->ncols; i++) {
        int tc = target_column(st, mt, i, p, used, pcol, problems);
        if (tc < 0)
            continue;
        used[tc] = true;
        const struct mapping_column *mc = mapping_column(mt, st->cols[i].name);
        const struct config *cfg = ctx->cfg;
        p->bits[p->nmap] = p->tgt->cols[tc].kind == SCHEMA_BIT;
        p->convert[p->nmap] = p->tgt->cols[tc].other_charset;
        p->autoinc[p->nmap] = p->tgt->cols[tc].auto_increment;
        struct plan_col *pc = add_column(p, i, tc);
        pc->x.unit = mc && mc->has_unit ? mc->unit : XFORM_UNIT_AUTO;
        pc->x.zero_date_null = cfg->zero_date_null;
        pc->x.utf8_replace = cfg->utf8_replace;
        pc->x.utf8_cp1252 = cfg->utf8_cp1252;
        pc->x.null_default = mc ? mc->null_default : NULL;
    }
}

/* Appends the problem of each target column of tt that nothing fills and
 * that cannot be left to its default. */
static void check_unfilled(const struct schema_table *tt, const bool *used, struct buf *problems)
{
    for (size_t k = 0; k < tt->ncols; k++)
        if (!used[k] && !tt->cols[k].nullable && !tt->cols[k].has_default)
            buf_printf(problems,
                       "; target column %s is NOT NULL without a default and has no source "
                       "column",
                       tt->cols[k].name);
}

/* Whether the names of source table st and of its target want are
 * litelift's own; then err says so. Returns 0 or -1. */
static int check_reserved(const struct config *cfg, const struct reader_table *st, const char *want,
                          struct error *err)
{
    if (!plan_reserved(cfg->progress_table, want))
        return 0;
    return error_set_table(err, st->name,
                           "target table %s would be litelift's own (the progress table "
                           "%s, or a table named %s_*): rename it in the mapping file ([%s] "
                           "rename = NEW_NAME) or choose another --progress-table NAME",
                           want, cfg->progress_table, cfg->progress_table, st->name);
}

int plan_table(struct plan_ctx *ctx, struct reader *r, size_t t, struct plan_table *p,
               struct error *err)
{
    const struct reader_table *st = &r->tables[t];
    const struct mapping_table *mt = mapping_table(ctx->map, st->name);
    memset(p, 0, sizeof *p);
    buf_init(&p->remarks, BUF_CAP_LINE);
    if (mt != NULL && mt->skip) {
        p->skip = true;
        return 0;
    }
    const char *want = mt && mt->rename ? mt->rename : st->name;
    if (check_reserved(ctx->cfg, st, want, err) != 0 ||
        (p->tgt = plan_target(ctx, want, err)) == NULL) {
        plan_table_free(p);
        return -1;
    }
    const struct schema_table *tt = p->tgt;
    p->cols = calloc(st->ncols + 2, sizeof *p->cols);
    p->tgt_names = calloc(st->ncols + 2, sizeof *p->tgt_names);
    p->bits = calloc(st->ncols + 2, sizeof *p->bits);
    p->convert = calloc(st->ncols + 2, sizeof *p->convert);
    p->autoinc = calloc(st->ncols + 2, sizeof *p->autoinc);
    bool *used = calloc(tt->ncols + 1, sizeof *used);
    struct buf problems;
    buf_init(&problems, BUF_CAP_LIST);
    int rc = -1;
    if (p->cols == NULL || p->tgt_names == NULL || p->bits == NULL || p->convert == NULL ||
        p->autoinc == NULL || used == NULL) {
        error_oom(err);
        goto out;
    }
    check_engine(ctx, tt, &problems);
    map_columns(ctx, st, mt, p, used, &problems);
    if (check_time_units(ctx, r, t, p, &problems, err) != 0)
        goto out;
    int rk = schema_find_column(tt, "litelift_rowid");
    if (rk >= 0 && !used[rk] && st->rowid_alias != NULL) {
        /* a table without a declared key keeps its rowid as the key (see
         * ddl_render.c); the reader selects the rowid after the columns */
        used[rk] = true;
        add_column(p, st->ncols, rk);
    }
    check_unfilled(tt, used, &problems);
    if (problems.len > 0) {
        error_set_table(err, st->name, "%s", problems.data + 2);
        goto out;
    }
    if (buf_check(&problems, err) != 0) { /* its first problem did not fit */
        error_in_table(err, st->name);
        goto out;
    }
    rc = 0;
out:
    free(used);
    buf_free(&problems);
    if (rc != 0)
        plan_table_free(p);
    return rc;
}

int plan_convert_row(const struct plan_table *p, struct reader *r, struct buf *arena,
                     struct xform_val *out, struct buf *why, unsigned *flags, size_t *failed)
{
    for (size_t c = 0; c < p->nmap; c++) {
        struct xform_src src;
        reader_value(r, p->cols[c].src, &src);
        buf_reset(why);
        int x = xform_convert(&p->cols[c].x, &src, arena, &out[c], why, flags);
        if (x != 0) {
            *failed = c;
            return x;
        }
    }
    return 0;
}
