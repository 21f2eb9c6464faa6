/* target_info: what a connection is: where it went, over what TLS, to which
 * server (target_where, target_info, target_describe in target.h). */
#include "target.h"

#include <stdio.h>
#include <string.h>

/* The TLS version of t's connection ("TLSv1.3"), into v; "" when unknown. */
static void tls_version(struct target *t, char *v, size_t size)
{
    v[0] = '\0';
    static const char sql[] = "SHOW SESSION STATUS LIKE 'Ssl_version'";
    MYSQL_RES *res = NULL;
    if (mysql_real_query(t->my, sql, sizeof sql - 1) == 0 &&
        (res = mysql_store_result(t->my)) != NULL) {
        MYSQL_ROW row = mysql_fetch_row(res);
        if (row != NULL && row[1] != NULL)
            snprintf(v, size, "%s", row[1]);
    }
    if (res != NULL)
        mysql_free_result(res);
}

int target_where(struct target *t, struct buf *b)
{
    const char *how = mysql_get_host_info(t->my);
    if (how != NULL && strstr(how, "socket") != NULL)
        return buf_printf(b, "the socket %s", t->my->unix_socket ? t->my->unix_socket : "?") == 0
                   ? 1
                   : -1;
    const char *host = t->my->host != NULL ? t->my->host : "?";
    bool v6 = strchr(host, ':') != NULL;
    return buf_printf(b, "%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "", t->my->port);
}

void target_info(struct target *t, struct target_info *out)
{
    const char *info = mysql_get_server_info(t->my);
    const char *how = mysql_get_host_info(t->my);
    const char *cipher = mysql_get_ssl_cipher(t->my);
    memset(out, 0, sizeof *out);
    snprintf(out->server, sizeof out->server, "%s %s", t->mariadb ? "MariaDB" : "MySQL",
             info != NULL ? info : "");
    if (how != NULL && strstr(how, "socket") != NULL) {
        snprintf(out->socket, sizeof out->socket, "%s",
                 t->my->unix_socket ? t->my->unix_socket : "");
        return;
    }
    snprintf(out->host, sizeof out->host, "%s", t->my->host != NULL ? t->my->host : "");
    out->port = t->my->port;
    if (cipher != NULL) {
        snprintf(out->cipher, sizeof out->cipher, "%s", cipher);
        tls_version(t, out->tls, sizeof out->tls);
        if (out->tls[0] == '\0')
            snprintf(out->tls, sizeof out->tls, "TLS");
    }
}

void target_describe(struct target *t, FILE *log)
{
    const char *info = mysql_get_server_info(t->my);
    const char *product = t->mariadb ? "MariaDB" : "MySQL";
    info = info != NULL ? info : "";
    int vlen = (int)strcspn(info, "-");
    struct buf where;
    buf_init(&where, BUF_CAP_LINE);
    int socket = target_where(t, &where);
    const char *w = socket >= 0 ? where.data : "the server";
    if (socket > 0) {
        fprintf(log, "litelift: connected through %s (%s %.*s)\n", w, product, vlen, info);
        buf_free(&where);
        return;
    }
    const char *cipher = mysql_get_ssl_cipher(t->my);
    char version[64];
    if (cipher != NULL)
        tls_version(t, version, sizeof version);
    fprintf(log, "litelift: connected to %s (%s %.*s) over ", w, product, vlen, info);
    buf_free(&where);
    if (cipher != NULL)
        fprintf(log, "%s, cipher %s\n", version[0] ? version : "TLS", cipher);
    else
        fputs("an unencrypted TCP connection\n", log);
    if (cipher == NULL && t->my->passwd != NULL && t->my->passwd[0] != '\0')
        fputs("litelift: WARNING: the password was sent over an unencrypted TCP connection, "
              "where others on the network can capture it: use --ssl-mode VERIFY_IDENTITY "
              "--ssl-ca FILE (or REQUIRED)\n",
              log);
}
