/* compare: value-by-value comparison of a source SQLite file with the target
 * rows of its project (see compare.h). */
#include "compare.h"

#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MAXCOLS 256 /* wide tables of schema creation's tests have 100 */

struct tcol {
    char name[128];
    char data_type[32];
    char column_type[128];
    int fsp;
};

struct ctx {
    MYSQL *my;
    sqlite3 *db;
    char *msg;
    size_t msgsize;
};

static int fail(struct ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->msg, c->msgsize, fmt, ap);
    va_end(ap);
    return -1;
}

static void shortest(double d, char *out, size_t n)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, n, "%.*g", prec, d);
        if (strtod(out, NULL) == d)
            return;
    }
}

/* The key rendering litelift uses in reject messages (and the fixtures' list). */
static void render_key(sqlite3_stmt *st, const int *pk, int npk, const char *const *names,
                       long long rowid, char *out, size_t n)
{
    if (npk == 0) {
        snprintf(out, n, "rowid=%lld", rowid);
        return;
    }
    size_t len = 0;
    out[0] = '\0';
    for (int k = 0; k < npk && len < n; k++) {
        int c = pk[k];
        char v[128];
        switch (sqlite3_column_type(st, c)) {
        case SQLITE_INTEGER:
            snprintf(v, sizeof v, "%lld", sqlite3_column_int64(st, c));
            break;
        case SQLITE_FLOAT:
            shortest(sqlite3_column_double(st, c), v, sizeof v);
            break;
        case SQLITE_NULL:
            snprintf(v, sizeof v, "NULL");
            break;
        default:
            snprintf(v, sizeof v, "'%.100s'", (const char *)sqlite3_column_text(st, c));
        }
        len += (size_t)snprintf(out + len, n - len, "%s%s=%s", k ? ", " : "", names[c], v);
    }
}

static int load_target_columns(struct ctx *c, const char *table, struct tcol *cols, int *n)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IFNULL(DATETIME_PRECISION,0) "
             "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=DATABASE() AND "
             "TABLE_NAME='%s' ORDER BY ORDINAL_POSITION",
             table);
    if (mysql_query(c->my, sql) != 0)
        return fail(c, "%s: %s", table, mysql_error(c->my));
    MYSQL_RES *res = mysql_store_result(c->my);
    MYSQL_ROW row;
    *n = 0;
    while ((row = mysql_fetch_row(res)) != NULL && *n < MAXCOLS) {
        struct tcol *t = &cols[(*n)++];
        snprintf(t->name, sizeof t->name, "%s", row[0]);
        snprintf(t->data_type, sizeof t->data_type, "%s", row[1]);
        snprintf(t->column_type, sizeof t->column_type, "%s", row[2]);
        t->fsp = atoi(row[3]);
    }
    mysql_free_result(res);
    return *n > 0 ? 0 : fail(c, "target table %s not found", table);
}

static const struct tcol *find_tcol(const struct tcol *cols, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcasecmp(cols[i].name, name) == 0)
            return &cols[i];
    return NULL;
}

static int is_text_type(const char *dt)
{
    return strstr(dt, "char") || strstr(dt, "text");
}

/* Expected DATETIME text of an instant (seconds + microseconds) at fsp. */
static void fmt_instant(long long sec, long usec, int fsp, int date_only, char *out, size_t n)
{
    time_t t = (time_t)sec;
    struct tm tm;
    gmtime_r(&t, &tm);
    if (date_only) {
        strftime(out, n, "%Y-%m-%d", &tm);
        return;
    }
    size_t len = strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm);
    if (fsp > 0) {
        char f[8];
        snprintf(f, sizeof f, "%06ld", usec);
        snprintf(out + len, n - len, ".%.*s", fsp, f);
    }
}

/* Independent ISO-8601 reading with timegm; returns 0 on success. */
static int iso_expect(const char *s, int fsp, int date_only, char *out, size_t n)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int used = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &used) != 3)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    const char *p = s + used;
    long usec = 0;
    if (*p == 'T' || *p == ' ') {
        int u2 = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &u2) != 2)
            return -1;
        p += 1 + u2;
        if (*p == ':') {
            if (sscanf(p + 1, "%2d%n", &tm.tm_sec, &u2) != 1)
                return -1;
            p += 1 + u2;
            if (*p == '.') {
                p++;
                char digits[10] = "000000000";
                int k = 0;
                while (*p >= '0' && *p <= '9') {
                    if (k < 9)
                        digits[k] = *p;
                    k++;
                    p++;
                }
                usec = strtol((char[]){digits[0], digits[1], digits[2], digits[3], digits[4],
                                       digits[5], 0},
                              NULL, 10) +
                       (digits[6] >= '5'); /* MySQL rounds beyond 6 digits */
            }
        }
    }
    long off = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1, oh = 0, om = 0;
        if (sscanf(p + 1, "%2d", &oh) != 1)
            return -1;
        p += 3;
        if (*p == ':')
            p++;
        if (*p >= '0' && *p <= '9') {
            sscanf(p, "%2d", &om);
            p += 2;
        }
        off = sign * (oh * 3600L + om * 60L);
    }
    if (*p != '\0')
        return -1;
    long long sec = (long long)timegm(&tm) - off;
    if (usec == 1000000) {
        sec++;
        usec = 0;
    }
    long scale = 1;
    for (int k = fsp; k < 6; k++)
        scale *= 10;
    long units = (usec + scale / 2) / scale;
    if (units * scale >= 1000000) {
        sec++;
        units = 0;
    }
    fmt_instant(sec, units * scale, fsp, date_only, out, n);
    return 0;
}

/* Compares source value column ci of st with the target text val/len. */
static int compare_value(struct ctx *c, const char *table, const char *key, const char *colname,
                         const struct tcol *tc, sqlite3_stmt *st, int ci, const char *val,
                         unsigned long len)
{
    int type = sqlite3_column_type(st, ci);
    char exp[256];
    const char *dt = tc->data_type;
    if (type == SQLITE_NULL) {
        if (val != NULL)
            return fail(c, "%s (%s) %s: expected NULL, target has '%.*s'", table, key, colname,
                        (int)len, val);
        return 0;
    }
    if (val == NULL)
        return fail(c, "%s (%s) %s: target is NULL, source is not", table, key, colname);
    if (strcmp(dt, "double") == 0 || strcmp(dt, "float") == 0) {
        double want = type == SQLITE_INTEGER ? (double)sqlite3_column_int64(st, ci)
                      : type == SQLITE_TEXT
                          ? strtod((const char *)sqlite3_column_text(st, ci), NULL)
                          : sqlite3_column_double(st, ci);
        double got = strtod(val, NULL); /* FLOAT is selected as CAST(.. AS DOUBLE) */
        if (strcmp(dt, "float") == 0)
            want = (double)(float)want;
        if (memcmp(&want, &got, sizeof want) != 0)
            return fail(c, "%s (%s) %s: %s differs: source %.17g, target %s", table, key, colname,
                        dt, want, val);
        return 0;
    }
    if (strcmp(dt, "decimal") == 0 || strcmp(dt, "year") == 0) {
        /* numerically equal decimals: compare with trailing zeros removed */
        char a[128], b[128];
        if (type == SQLITE_FLOAT)
            shortest(sqlite3_column_double(st, ci), a, sizeof a);
        else
            snprintf(a, sizeof a, "%s", (const char *)sqlite3_column_text(st, ci));
        snprintf(b, sizeof b, "%.*s", (int)len, val);
        if (strcmp(dt, "year") == 0 ? atol(a) != atol(b) : strtod(a, NULL) != strtod(b, NULL))
            return fail(c, "%s (%s) %s: expected %s, target has %s", table, key, colname, a, b);
        return 0;
    }
    if (strcmp(dt, "time") == 0) {
        int h = 0, m = 0, s = 0, neg = 0;
        char frac[8] = "";
        const char *t = (const char *)sqlite3_column_text(st, ci);
        if (*t == '-') {
            neg = 1;
            t++;
        }
        if (sscanf(t, "%d:%d:%d.%6[0-9]", &h, &m, &s, frac) < 2)
            return fail(c, "%s (%s) %s: oracle cannot read TIME '%s'", table, key, colname, t);
        char f6[8] = "000000";
        memcpy(f6, frac, strlen(frac));
        snprintf(exp, sizeof exp, "%s%02d:%02d:%02d", neg ? "-" : "", h, m, s);
        if (tc->fsp > 0)
            snprintf(exp + strlen(exp), sizeof exp - strlen(exp), ".%.*s", tc->fsp, f6);
        if (strlen(exp) != len || memcmp(exp, val, len) != 0)
            return fail(c, "%s (%s) %s: expected %s, target has %.*s", table, key, colname, exp,
                        (int)len, val);
        return 0;
    }
    if (strcmp(dt, "enum") == 0 || strcmp(dt, "set") == 0) {
        /* members compare case-insensitively; SET order is the column's */
        const char *s = (const char *)sqlite3_column_text(st, ci);
        int ok = 1;
        char item[64];
        for (const char *p = s; *p && ok;) {
            size_t n = strcspn(p, ",");
            snprintf(item, sizeof item, "%.*s", (int)n, p);
            int found = 0;
            for (const char *q = val; q < val + len;) {
                size_t k = strcspn(q, ",");
                if (k == strlen(item) && strncasecmp(q, item, k) == 0)
                    found = 1;
                q += k + (q[k] == ',');
            }
            ok = found;
            p += n + (p[n] == ',');
        }
        if (!ok || (len == 0) != (*s == '\0'))
            return fail(c, "%s (%s) %s: expected members of '%s', target has '%.*s'", table, key,
                        colname, s, (int)len, val);
        return 0;
    }
    if (strstr(dt, "int") != NULL) {
        if (type == SQLITE_INTEGER) {
            snprintf(exp, sizeof exp, "%lld", sqlite3_column_int64(st, ci));
        } else if (strcmp(tc->column_type, "tinyint(1)") == 0 && type == SQLITE_TEXT) {
            const char *w = (const char *)sqlite3_column_text(st, ci);
            int truthy = strcasecmp(w, "true") == 0 || strcasecmp(w, "t") == 0 ||
                         strcasecmp(w, "yes") == 0 || strcasecmp(w, "on") == 0 ||
                         strcmp(w, "1") == 0;
            snprintf(exp, sizeof exp, "%d", truthy);
        } else if (type == SQLITE_FLOAT) {
            snprintf(exp, sizeof exp, "%.0f", sqlite3_column_double(st, ci));
        } else {
            snprintf(exp, sizeof exp, "%s", (const char *)sqlite3_column_text(st, ci));
        }
        if (strlen(exp) != len || memcmp(exp, val, len) != 0)
            return fail(c, "%s (%s) %s: expected %s, target has %.*s", table, key, colname, exp,
                        (int)len, val);
        return 0;
    }
    if (strcmp(dt, "datetime") == 0 || strcmp(dt, "timestamp") == 0 || strcmp(dt, "date") == 0) {
        int date_only = strcmp(dt, "date") == 0;
        int fsp = date_only ? 0 : tc->fsp;
        if (type == SQLITE_INTEGER) {
            fmt_instant(sqlite3_column_int64(st, ci), 0, fsp, date_only, exp, sizeof exp);
        } else if (type == SQLITE_FLOAT) {
            double d = sqlite3_column_double(st, ci);
            double whole = floor(d);
            double scale = pow(10, fsp);
            long long units = llround((d - whole) * scale);
            if (units >= (long long)scale) {
                whole += 1;
                units = 0;
            }
            fmt_instant((long long)whole, (long)(units * (1000000 / (long long)scale)), fsp,
                        date_only, exp, sizeof exp);
        } else if (iso_expect((const char *)sqlite3_column_text(st, ci), fsp, date_only, exp,
                              sizeof exp) != 0) {
            return fail(c, "%s (%s) %s: oracle cannot read source '%s'", table, key, colname,
                        sqlite3_column_text(st, ci));
        }
        if (strlen(exp) != len || memcmp(exp, val, len) != 0)
            return fail(c, "%s (%s) %s: expected %s, target has %.*s", table, key, colname, exp,
                        (int)len, val);
        return 0;
    }
    /* text, JSON (MariaDB keeps JSON text as given), binary: the bytes */
    const void *want;
    size_t wlen;
    if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
        if (type == SQLITE_INTEGER)
            snprintf(exp, sizeof exp, "%lld", sqlite3_column_int64(st, ci));
        else
            shortest(sqlite3_column_double(st, ci), exp, sizeof exp);
        want = exp;
        wlen = strlen(exp);
    } else {
        want = type == SQLITE_BLOB ? sqlite3_column_blob(st, ci)
                                   : (const void *)sqlite3_column_text(st, ci);
        wlen = (size_t)sqlite3_column_bytes(st, ci);
    }
    if (wlen != len || (len > 0 && memcmp(want, val, len) != 0))
        return fail(c, "%s (%s) %s: bytes differ (source %zu bytes, target %lu bytes)", table, key,
                    colname, wlen, len);
    return 0;
}

static int skipped(const struct compare_skip *skip, const char *table, const char *key)
{
    char want[600];
    snprintf(want, sizeof want, "%s\t%s", table, key);
    for (size_t i = 0; skip != NULL && i < skip->n; i++)
        if (strcmp(skip->keys[i], want) == 0)
            return 1;
    return 0;
}

static int bytewise(void *ctx, int na, const void *a, int nb, const void *b)
{
    (void)ctx;
    int d = memcmp(a, b, (size_t)(na < nb ? na : nb));
    return d != 0 ? d : na - nb;
}

/* A collation only the file's application had (Android's LOCALIZED): the
 * oracle reads such files too, ordering text keys bytewise as the target. */
static void bytewise_needed(void *ctx, sqlite3 *db, int encoding, const char *name)
{
    (void)ctx;
    (void)encoding;
    if (strcasecmp(name, "NOCASE") != 0 && strcasecmp(name, "RTRIM") != 0 &&
        strcasecmp(name, "BINARY") != 0)
        sqlite3_create_collation(db, name, SQLITE_UTF8, NULL, bytewise);
}

/* The target's spelling of source table `table` (SQLite names ignore case):
 * the exact one if the target has it, else one in another case. */
static void target_spelling(struct ctx *c, const char *table, char *out, size_t n)
{
    char sql[768];
    snprintf(sql, sizeof sql,
             "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA=DATABASE() "
             "AND LOWER(TABLE_NAME)=LOWER('%s') ORDER BY BINARY TABLE_NAME <> BINARY '%s' "
             "LIMIT 1",
             table, table);
    snprintf(out, n, "%s", table);
    if (mysql_query(c->my, sql) != 0)
        return;
    MYSQL_RES *res = mysql_store_result(c->my);
    MYSQL_ROW row = res ? mysql_fetch_row(res) : NULL;
    if (row != NULL)
        snprintf(out, n, "%s", row[0]);
    if (res != NULL)
        mysql_free_result(res);
}

static long compare_table(struct ctx *c, const char *table, const char *pcol, const char *pid,
                          const struct compare_skip *skip)
{
    struct tcol tcols[MAXCOLS];
    int ntcols;
    char ttable[256];
    target_spelling(c, table, ttable, sizeof ttable);
    if (load_target_columns(c, ttable, tcols, &ntcols) != 0)
        return -1;
    char sql[8192];
    sqlite3_stmt *info;
    /* every column with values: declared and generated (hidden 2, 3) */
    snprintf(sql, sizeof sql,
             "SELECT name, pk FROM pragma_table_xinfo('%s') WHERE hidden IN (0, 2, 3) ORDER BY cid",
             table);
    if (sqlite3_prepare_v2(c->db, sql, -1, &info, NULL) != SQLITE_OK)
        return fail(c, "%s", sqlite3_errmsg(c->db));
    char *names[MAXCOLS];
    int pkpos[MAXCOLS], pk[MAXCOLS], ncols = 0, npk = 0;
    while (sqlite3_step(info) == SQLITE_ROW && ncols < MAXCOLS) {
        names[ncols] = strdup((const char *)sqlite3_column_text(info, 0));
        pkpos[ncols] = sqlite3_column_int(info, 1);
        ncols++;
    }
    sqlite3_finalize(info);
    for (int k = 1; k <= ncols; k++)
        for (int i = 0; i < ncols; i++)
            if (pkpos[i] == k)
                pk[npk++] = i;
    /* source: columns + rowid (when any), ordered by the key; target: the same
     * columns ordered the same way (text keys compared bytewise) */
    int has_rowid = 1;
    {
        sqlite3_stmt *wr;
        snprintf(sql, sizeof sql, "SELECT wr FROM pragma_table_list('%s')", table);
        sqlite3_prepare_v2(c->db, sql, -1, &wr, NULL);
        if (sqlite3_step(wr) == SQLITE_ROW)
            has_rowid = !sqlite3_column_int(wr, 0);
        sqlite3_finalize(wr);
    }
    size_t sl = (size_t)snprintf(sql, sizeof sql, "SELECT ");
    for (int i = 0; i < ncols; i++)
        sl += (size_t)snprintf(sql + sl, sizeof sql - sl, "%s\"%s\"", i ? "," : "", names[i]);
    sl += (size_t)snprintf(sql + sl, sizeof sql - sl, ",%s FROM \"%s\" ORDER BY ",
                           has_rowid ? "rowid" : "0", table);
    char order[1024] = "";
    size_t ol = 0;
    /* a target keyed by the rowid (no declared key, or one holding NULLs):
     * both sides in rowid order */
    if (npk == 0 || (has_rowid && find_tcol(tcols, ntcols, "litelift_rowid") != NULL)) {
        sl += (size_t)snprintf(sql + sl, sizeof sql - sl, "rowid");
        MYSQL_RES *res;
        char q[512];
        snprintf(q, sizeof q,
                 "SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE "
                 "TABLE_SCHEMA=DATABASE() AND TABLE_NAME='%s' AND CONSTRAINT_NAME='PRIMARY' "
                 "AND COLUMN_NAME<>'%s' ORDER BY ORDINAL_POSITION",
                 ttable, pcol);
        mysql_query(c->my, q);
        res = mysql_store_result(c->my);
        MYSQL_ROW r;
        while (res && (r = mysql_fetch_row(res)) != NULL)
            ol += (size_t)snprintf(order + ol, sizeof order - ol, "%s`%s`", ol ? "," : "", r[0]);
        if (res)
            mysql_free_result(res);
    } else {
        for (int k = 0; k < npk; k++) {
            const struct tcol *tc = find_tcol(tcols, ntcols, names[pk[k]]);
            /* a text key in the target orders bytewise, integers as their
             * decimal text: so does the source, cast to text */
            int text = tc && is_text_type(tc->data_type);
            sl += (size_t)snprintf(sql + sl, sizeof sql - sl,
                                   text ? "%sCAST(\"%s\" AS TEXT) COLLATE BINARY" : "%s\"%s\"",
                                   k ? "," : "", names[pk[k]]);
            ol += (size_t)snprintf(order + ol, sizeof order - ol, text ? "%sBINARY `%s`" : "%s`%s`",
                                   k ? "," : "", names[pk[k]]);
        }
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
        fail(c, "source %s: %s", table, sqlite3_errmsg(c->db));
        goto bad;
    }
    char tsql[8192];
    size_t tl = (size_t)snprintf(tsql, sizeof tsql, "SELECT ");
    for (int i = 0; i < ncols; i++) {
        const struct tcol *tc = find_tcol(tcols, ntcols, names[i]);
        int flt = tc != NULL && strcmp(tc->data_type, "float") == 0;
        tl += (size_t)snprintf(tsql + tl, sizeof tsql - tl,
                               flt ? "%sCAST(`%s` AS DOUBLE)" : "%s`%s`", i ? "," : "", names[i]);
    }
    char *pesc = malloc(2 * strlen(pid) + 1);
    mysql_real_escape_string(c->my, pesc, pid, strlen(pid));
    snprintf(tsql + tl, sizeof tsql - tl, " FROM `%s` WHERE `%s`='%s' ORDER BY %s", ttable, pcol,
             pesc, order);
    free(pesc);
    if (mysql_query(c->my, tsql) != 0) {
        fail(c, "target %s: %s", table, mysql_error(c->my));
        sqlite3_finalize(st);
        goto bad;
    }
    MYSQL_RES *res = mysql_use_result(c->my);
    long rows = 0;
    int s;
    const struct tcol *map[MAXCOLS];
    for (int i = 0; i < ncols; i++) {
        map[i] = find_tcol(tcols, ntcols, names[i]);
        if (map[i] == NULL) {
            fail(c, "%s: column %s missing in target", table, names[i]);
            goto bad_res;
        }
    }
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        char key[512];
        render_key(st, pk, npk, (const char *const *)names, sqlite3_column_int64(st, ncols), key,
                   sizeof key);
        if (skipped(skip, table, key))
            continue;
        MYSQL_ROW row = mysql_fetch_row(res);
        if (row == NULL) {
            fail(c, "%s: source row (%s) missing in target", table, key);
            goto bad_res;
        }
        unsigned long *lens = mysql_fetch_lengths(res);
        for (int i = 0; i < ncols; i++)
            if (compare_value(c, table, key, names[i], map[i], st, i, row[i], lens[i]) != 0)
                goto bad_res;
        rows++;
    }
    if (mysql_fetch_row(res) != NULL) {
        fail(c, "%s: target holds more rows than the source (%ld compared)", table, rows);
        while (mysql_fetch_row(res) != NULL)
            ;
        goto bad_res;
    }
    mysql_free_result(res);
    sqlite3_finalize(st);
    for (int i = 0; i < ncols; i++)
        free(names[i]);
    return rows;
bad_res:
    while (mysql_fetch_row(res) != NULL)
        ;
    mysql_free_result(res);
    sqlite3_finalize(st);
bad:
    for (int i = 0; i < ncols; i++)
        free(names[i]);
    return -1;
}

long compare_project(MYSQL *my, const char *path, const char *project_column,
                     const char *project_id, const struct compare_skip *skip, char *msg,
                     size_t msgsize)
{
    struct ctx c = {my, NULL, msg, msgsize};
    if (sqlite3_open_v2(path, &c.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_collation_needed(c.db, NULL, bytewise_needed) != SQLITE_OK) {
        fail(&c, "%s: %s", path, sqlite3_errmsg(c.db));
        sqlite3_close(c.db);
        return -1;
    }
    sqlite3_stmt *st;
    sqlite3_prepare_v2(c.db,
                       "SELECT name FROM pragma_table_list WHERE schema='main' AND type='table' "
                       "AND name NOT LIKE 'sqlite_%' ORDER BY name",
                       -1, &st, NULL);
    long total = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char table[256];
        snprintf(table, sizeof table, "%s", (const char *)sqlite3_column_text(st, 0));
        long n = compare_table(&c, table, project_column, project_id, skip);
        if (n < 0) {
            total = -1;
            break;
        }
        total += n;
    }
    sqlite3_finalize(st);
    sqlite3_close(c.db);
    return total;
}

long compare_count(MYSQL *my, const char *table, const char *project_column, const char *project_id)
{
    char *esc = malloc(2 * strlen(project_id) + 1);
    mysql_real_escape_string(my, esc, project_id, strlen(project_id));
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM `%s` WHERE `%s`='%s'", table, project_column,
             esc);
    free(esc);
    if (mysql_query(my, sql) != 0)
        return -1;
    MYSQL_RES *res = mysql_store_result(my);
    MYSQL_ROW row = mysql_fetch_row(res);
    long n = row ? atol(row[0]) : -1;
    mysql_free_result(res);
    return n;
}
