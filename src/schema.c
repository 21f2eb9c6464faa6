/* schema: target table definitions (see schema.h). */
#include "schema.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int starts(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* MySQL's TEXT and BLOB size tiers: the prefix of the type's name and the
 * most bytes it holds, smallest first. */
static const struct {
    const char *prefix, *text, *blob;
    unsigned long long max;
} lob_tiers[] = {{"tiny", "TINYTEXT", "TINYBLOB", 255ULL},
                 {"", "TEXT", "BLOB", 65535ULL},
                 {"medium", "MEDIUMTEXT", "MEDIUMBLOB", 16777215ULL},
                 {"long", "LONGTEXT", "LONGBLOB", 4294967295ULL}};

#define LOB_TIERS (sizeof lob_tiers / sizeof *lob_tiers)

unsigned long long schema_lob_max(const char *data_type)
{
    for (size_t k = 0; k < LOB_TIERS; k++)
        if (lob_tiers[k].prefix[0] != '\0' && starts(data_type, lob_tiers[k].prefix))
            return lob_tiers[k].max;
    return lob_tiers[1].max;
}

const char *schema_lob_type(unsigned long long bytes, bool binary)
{
    size_t k = 1; /* from TEXT/BLOB up: no TINY types */
    while (k + 1 < LOB_TIERS && bytes > lob_tiers[k].max)
        k++;
    return binary ? lob_tiers[k].blob : lob_tiers[k].text;
}

/* Parses the quoted member list of "enum('a','b''c')" into c->members. */
static int parse_members(struct schema_column *c, const char *column_type)
{
    const char *p = strchr(column_type, '(');
    if (p == NULL)
        return 0;
    p++;
    while (*p == '\'') {
        const char *s = ++p;
        size_t n = 0;
        char *m = malloc(strlen(s) + 1);
        if (m == NULL)
            return -1;
        while (*p) {
            if (*p == '\'' && p[1] == '\'') {
                m[n++] = '\'';
                p += 2;
            } else if (*p == '\'') {
                break;
            } else if (*p == '\\' && p[1]) {
                static const char from[] = "nrt0Zb", to[] = "\n\r\t\0\032\b";
                const char *k = strchr(from, p[1]);
                m[n++] = k != NULL ? to[k - from] : p[1];
                p += 2;
            } else {
                m[n++] = *p++;
            }
        }
        m[n] = '\0';
        char **v = realloc(c->members, (c->nmembers + 1) * sizeof *v);
        if (v == NULL) {
            free(m);
            return -1;
        }
        c->members = v;
        c->members[c->nmembers++] = m;
        if (*p == '\'')
            p++;
        if (*p == ',')
            p++;
    }
    return 0;
}

static int paren_int(const char *column_type, int dflt)
{
    const char *p = strchr(column_type, '(');
    return p ? atoi(p + 1) : dflt;
}

/* Integer types (TINYINT(1) signed is a boolean): sets c and returns true
 * when data_type is one. */
static bool parse_int(struct schema_column *c, const char *data_type, const char *column_type)
{
    static const struct {
        const char *name;
        int bytes;
    } ints[] = {{"tinyint", 1}, {"smallint", 2}, {"mediumint", 3},
                {"int", 4},     {"integer", 4},  {"bigint", 8}};
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        if (strcasecmp(data_type, ints[i].name) == 0) {
            c->kind = SCHEMA_INT;
            c->int_bytes = ints[i].bytes;
            if (ints[i].bytes == 1 && !c->is_unsigned && paren_int(column_type, 4) == 1)
                c->kind = SCHEMA_BOOL;
            return true;
        }
    }
    return false;
}

/* DECIMAL and the floating-point types: sets c and returns true when
 * data_type is one. */
static bool parse_number(struct schema_column *c, const char *data_type, const char *column_type)
{
    const char *comma = strchr(column_type, ',');
    if (strcasecmp(data_type, "decimal") == 0 || strcasecmp(data_type, "numeric") == 0) {
        c->kind = SCHEMA_DECIMAL;
        c->precision = paren_int(column_type, 10);
        c->scale = comma ? atoi(comma + 1) : 0;
    } else if (strcasecmp(data_type, "float") == 0 || strcasecmp(data_type, "double") == 0 ||
               strcasecmp(data_type, "real") == 0) {
        c->kind = strcasecmp(data_type, "float") == 0 ? SCHEMA_FLOAT : SCHEMA_DOUBLE;
        if (comma != NULL) { /* deprecated FLOAT(M,D)/DOUBLE(M,D) */
            c->precision = paren_int(column_type, 0);
            c->scale = atoi(comma + 1);
        }
    } else {
        return false;
    }
    return true;
}

/* Character and binary strings of every size (text in the binary character
 * set is binary): sets c and returns true when data_type is one. */
static bool parse_string(struct schema_column *c, const char *data_type, bool binary_cs,
                         unsigned long long char_max_len)
{
    if (strcasecmp(data_type, "char") == 0 || strcasecmp(data_type, "varchar") == 0) {
        c->kind = binary_cs ? SCHEMA_BINARY : SCHEMA_TEXT;
        c->fixed = strcasecmp(data_type, "char") == 0;
        c->max = char_max_len;
        c->max_in_chars = !binary_cs;
    } else if (starts(data_type, "tinytext") || starts(data_type, "text") ||
               starts(data_type, "mediumtext") || starts(data_type, "longtext")) {
        c->kind = binary_cs ? SCHEMA_BINARY : SCHEMA_TEXT;
        c->max = schema_lob_max(data_type);
    } else if (strcasecmp(data_type, "binary") == 0 || strcasecmp(data_type, "varbinary") == 0) {
        c->kind = SCHEMA_BINARY;
        c->fixed = strcasecmp(data_type, "binary") == 0;
        c->max = char_max_len;
    } else if (starts(data_type, "tinyblob") || starts(data_type, "blob") ||
               starts(data_type, "mediumblob") || starts(data_type, "longblob")) {
        c->kind = SCHEMA_BINARY;
        c->max = schema_lob_max(data_type);
    } else {
        return false;
    }
    return true;
}

/* Dates and times (with their fractional-second digits): sets c and returns
 * true when data_type is one. */
static bool parse_temporal(struct schema_column *c, const char *data_type, const char *column_type)
{
    static const struct {
        const char *name;
        enum schema_kind kind;
        bool fsp;
    } types[] = {{"date", SCHEMA_DATE, false},
                 {"datetime", SCHEMA_DATETIME, true},
                 {"timestamp", SCHEMA_TIMESTAMP, true},
                 {"time", SCHEMA_TIME, true},
                 {"year", SCHEMA_YEAR, false}};
    for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
        if (strcasecmp(data_type, types[i].name) == 0) {
            c->kind = types[i].kind;
            if (types[i].fsp)
                c->fsp = paren_int(column_type, 0);
            return true;
        }
    }
    return false;
}

/* JSON, BIT(M), and any type litelift cannot load into. */
static void parse_other(struct schema_column *c, const char *data_type, const char *column_type)
{
    if (strcasecmp(data_type, "json") == 0) {
        c->kind = SCHEMA_JSON;
    } else if (strcasecmp(data_type, "bit") == 0) {
        c->kind = SCHEMA_BIT;
        c->max = (unsigned long long)paren_int(column_type, 1);
    } else {
        c->kind = SCHEMA_UNSUPPORTED;
    }
}

/* Marks a text column stored as utf8mb3, or in a character set other than
 * the UTF-8 ones. */
static void mark_charset(struct schema_column *c, const char *charset)
{
    if (c->kind == SCHEMA_TEXT && charset != NULL &&
        (strcasecmp(charset, "utf8mb3") == 0 || strcasecmp(charset, "utf8") == 0))
        c->utf8mb3 = true;
    else if ((c->kind == SCHEMA_TEXT || c->kind == SCHEMA_ENUM || c->kind == SCHEMA_SET) &&
             charset != NULL && strcasecmp(charset, "utf8mb4") != 0)
        c->other_charset = true;
}

int schema_parse_type(struct schema_column *c, const char *data_type, const char *column_type,
                      const char *charset, unsigned long long char_max_len)
{
    c->is_unsigned = strstr(column_type, "unsigned") != NULL;
    bool binary_cs = charset == NULL || strcasecmp(charset, "binary") == 0;
    if (parse_int(c, data_type, column_type))
        return 0;
    if (strcasecmp(data_type, "enum") == 0 || strcasecmp(data_type, "set") == 0) {
        c->kind = strcasecmp(data_type, "enum") == 0 ? SCHEMA_ENUM : SCHEMA_SET;
        c->case_insensitive = true; /* the default collations; schema_load_table knows */
        return parse_members(c, column_type);
    }
    if (!parse_number(c, data_type, column_type) &&
        !parse_string(c, data_type, binary_cs, char_max_len) &&
        !parse_temporal(c, data_type, column_type))
        parse_other(c, data_type, column_type);
    mark_charset(c, charset);
    return 0;
}

int schema_column_designed(struct schema_column *c, const char *name, const char *type,
                           bool nullable, bool has_default)
{
    char lower[64], data_type[64];
    size_t len = strlen(type) < sizeof lower - 1 ? strlen(type) : sizeof lower - 1;
    for (size_t i = 0; i < len; i++)
        lower[i] = (char)tolower((unsigned char)type[i]);
    lower[len] = '\0';
    snprintf(data_type, sizeof data_type, "%.*s", (int)strcspn(lower, "( "), lower);
    const char *charset = strstr(lower, "binary") || strstr(lower, "blob") ? "binary"
                          : strstr(lower, "char") || strstr(lower, "text") ? "utf8mb4"
                                                                           : NULL;
    memset(c, 0, sizeof *c);
    c->name = strdup(name);
    c->column_type = strdup(lower);
    if (c->name == NULL || c->column_type == NULL ||
        schema_parse_type(c, data_type, lower, charset, (unsigned long long)paren_int(lower, 0)) !=
            0) {
        schema_column_free(c);
        return -1;
    }
    if (charset != NULL && strcmp(charset, "utf8mb4") == 0) { /* as ddl_render.c writes them */
        snprintf(c->charset, sizeof c->charset, "utf8mb4");
        snprintf(c->collation, sizeof c->collation, "utf8mb4_bin");
    }
    c->nullable = nullable;
    c->has_default = has_default;
    return 0;
}

void schema_column_free(struct schema_column *c)
{
    free(c->name);
    free(c->column_type);
    for (size_t i = 0; i < c->nmembers; i++)
        free(c->members[i]);
    free(c->members);
    memset(c, 0, sizeof *c);
}

void schema_table_free(struct schema_table *tb)
{
    for (size_t i = 0; i < tb->ncols; i++)
        schema_column_free(&tb->cols[i]);
    free(tb->cols);
    free(tb->name);
    memset(tb, 0, sizeof *tb);
}

int schema_find_column(const struct schema_table *tb, const char *name)
{
    for (size_t i = 0; i < tb->ncols; i++)
        if (strcasecmp(tb->cols[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* Marks MariaDB JSON columns: LONGTEXT with CHECK (json_valid(`col`)). db:
 * the schema as an SQL expression (DATABASE() or a quoted name). */
static int mark_json_checks(struct target *t, const char *db, struct schema_table *tb,
                            struct buf *sql, struct error *err)
{
    buf_reset(sql);
    if (buf_puts(sql, "SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
                      "WHERE CONSTRAINT_SCHEMA = ") ||
        buf_puts(sql, db) || buf_puts(sql, " AND TABLE_NAME = ") ||
        target_quote_string(t, sql, tb->name, strlen(tb->name)))
        return error_oom(err);
    MYSQL_RES *res = target_select_buf(t, sql, "reading CHECK constraints", err);
    if (res == NULL)
        return -1;
    MYSQL_ROW row;
    struct buf want;
    buf_init(&want, BUF_CAP_SQL);
    while ((row = mysql_fetch_row(res)) != NULL) {
        for (size_t i = 0; row[0] != NULL && i < tb->ncols; i++) {
            buf_reset(&want);
            if (buf_puts(&want, "json_valid(") || target_quote_ident(&want, tb->cols[i].name) ||
                buf_putc(&want, ')'))
                continue;
            if (strcmp(row[0], want.data) == 0 && tb->cols[i].kind == SCHEMA_TEXT)
                tb->cols[i].kind = SCHEMA_JSON;
        }
    }
    buf_free(&want);
    mysql_free_result(res);
    return 0;
}

/* Reads tb's engine and whether it has transactions. A view has no engine
 * of its own: it is left unknown (and not refused here). */
static int load_engine(struct target *t, const char *db, struct schema_table *tb, struct buf *sql,
                       struct error *err)
{
    buf_reset(sql);
    if (buf_puts(sql,
                 "SELECT t.ENGINE, IFNULL(e.TRANSACTIONS, 'NO') FROM information_schema.TABLES "
                 "t LEFT JOIN information_schema.ENGINES e ON e.ENGINE = t.ENGINE WHERE "
                 "t.TABLE_SCHEMA = ") ||
        buf_puts(sql, db) || buf_puts(sql, " AND t.ENGINE IS NOT NULL AND t.TABLE_NAME = ") ||
        target_quote_string(t, sql, tb->name, strlen(tb->name)) ||
        buf_puts(sql, " ORDER BY BINARY t.TABLE_NAME <> BINARY ") ||
        target_quote_string(t, sql, tb->name, strlen(tb->name)) || buf_puts(sql, " LIMIT 1"))
        return error_oom(err);
    MYSQL_RES *res = target_select_buf(t, sql, "reading the table's engine", err);
    if (res == NULL)
        return -1;
    MYSQL_ROW row = mysql_fetch_row(res);
    if (row != NULL && row[0] != NULL) {
        snprintf(tb->engine, sizeof tb->engine, "%s", row[0]);
        tb->cannot_roll_back = row[1] == NULL || strcasecmp(row[1], "YES") != 0;
    }
    mysql_free_result(res);
    return 0;
}

/* Appends the query of the columns of the table `name` (exact: spelt so;
 * else in any case, the binary-equal spelling first). Returns 0 or -1. */
static int columns_sql(struct target *t, const char *db, const char *name, bool exact,
                       struct buf *sql)
{
    return buf_puts(sql, "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, "
                         "CHARACTER_SET_NAME, CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE, "
                         "COLUMN_DEFAULT IS NOT NULL, EXTRA, "
                         "IFNULL(GENERATION_EXPRESSION, '') <> '', IFNULL(COLLATION_NAME, '') "
                         "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ") ||
                   buf_puts(sql, db) || buf_puts(sql, " AND ") ||
                   buf_puts(sql, exact ? "TABLE_NAME = " : "LOWER(TABLE_NAME) = LOWER(") ||
                   target_quote_string(t, sql, name, strlen(name)) ||
                   buf_puts(sql, exact ? "" : ")") ||
                   buf_puts(sql, " ORDER BY BINARY TABLE_NAME <> BINARY ") ||
                   target_quote_string(t, sql, name, strlen(name)) ||
                   buf_puts(sql, ", TABLE_NAME, ORDINAL_POSITION")
               ? -1
               : 0;
}

/* The columns of the table `name` from information_schema.COLUMNS, in
 * order. SQLite table names ignore case and the files may spell one
 * differently; the server compares them as its lower_case_table_names says:
 * the exact spelling first, else any in another case. Returns the result
 * (empty when there is no such table), or NULL with err set. */
static MYSQL_RES *select_columns(struct target *t, const char *db, const char *name,
                                 struct buf *sql, struct error *err)
{
    MYSQL_RES *res = NULL;
    for (int exact = 1; exact >= 0; exact--) {
        if (res != NULL)
            mysql_free_result(res);
        buf_reset(sql);
        if (columns_sql(t, db, name, exact, sql) != 0) {
            error_oom(err);
            return NULL;
        }
        res = target_select_buf(t, sql, "reading information_schema.COLUMNS", err);
        if (res == NULL || mysql_num_rows(res) > 0)
            break;
    }
    return res;
}

/* Fills c from a row of select_columns. Returns 0 or -1 (out of memory). */
static int fill_column(struct schema_column *c, MYSQL_ROW row)
{
    c->name = strdup(row[1]);
    c->column_type = strdup(row[3]);
    if (c->name == NULL || c->column_type == NULL ||
        schema_parse_type(c, row[2], row[3], row[4], row[5] ? strtoull(row[5], NULL, 10) : 0) != 0)
        return -1;
    c->nullable = strcmp(row[6], "YES") == 0;
    const char *extra = row[8] ? row[8] : "";
    c->auto_increment = strstr(extra, "auto_increment") != NULL;
    c->generated = strcmp(row[9], "1") == 0; /* not MySQL 8's DEFAULT_GENERATED */
    c->case_insensitive = strstr(row[10], "_ci") != NULL;
    snprintf(c->charset, sizeof c->charset, "%s", row[4] ? row[4] : "");
    snprintf(c->collation, sizeof c->collation, "%s", row[10]);
    c->has_default = strcmp(row[7], "1") == 0 || c->auto_increment || c->generated;
    return 0;
}

/* schema_load_table of the table `name` of schema db (an SQL expression:
 * DATABASE() or a quoted name). */
static int load_table(struct target *t, const char *db, const char *name, struct schema_table *out,
                      struct error *err)
{
    memset(out, 0, sizeof *out);
    struct buf sql;
    buf_init(&sql, BUF_CAP_SQL);
    int rc = -1;
    MYSQL_RES *res = select_columns(t, db, name, &sql, err);
    if (res == NULL)
        goto out;
    size_t n = mysql_num_rows(res);
    out->cols = calloc(n ? n : 1, sizeof *out->cols);
    if (out->cols == NULL) {
        error_oom(err);
        goto out;
    }
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res)) != NULL) {
        if (out->name == NULL && (out->name = strdup(row[0])) == NULL) {
            error_oom(err);
            goto out;
        }
        if (strcmp(out->name, row[0]) != 0)
            break; /* another table of the same name in another case */
        if (fill_column(&out->cols[out->ncols++], row) != 0) {
            error_oom(err);
            goto out;
        }
    }
    if (out->name == NULL) {
        rc = 0;
        goto out;
    }
    if ((t->mariadb && mark_json_checks(t, db, out, &sql, err) != 0) ||
        load_engine(t, db, out, &sql, err) != 0)
        goto out;
    rc = 1;
out:
    if (res != NULL)
        mysql_free_result(res);
    buf_free(&sql);
    if (rc != 1)
        schema_table_free(out);
    return rc;
}

int schema_load_table(struct target *t, const char *name, struct schema_table *out,
                      struct error *err)
{
    return load_table(t, "DATABASE()", name, out, err);
}

int schema_load_table_in(struct target *t, const char *name, struct schema_table *out,
                         struct error *err)
{
    struct buf schema, db;
    buf_init(&schema, BUF_CAP_NAME);
    buf_init(&db, BUF_CAP_NAME);
    const char *table;
    int rc = -1;
    if (target_split_table(name, &schema, &table) != 0 ||
        (schema.len > 0 ? target_quote_string(t, &db, schema.data, schema.len)
                        : buf_puts(&db, "DATABASE()")) != 0)
        error_oom(err);
    else
        rc = load_table(t, db.data, table, out, err);
    buf_free(&schema);
    buf_free(&db);
    return rc;
}
