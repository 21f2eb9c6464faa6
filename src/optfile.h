/* optfile: --defaults-extra-file, read the way the mysql client reads an
 * option file: the groups [client] and [litelift] (a later line wins), for
 * the settings of a connection: user, password, host, port, socket and the
 * TLS files. MariaDB Connector/C reads either the usual option files or one
 * named file, never both; litelift reads this one itself, and its values go
 * to mysql_real_connect and mysql_options, so they win over the usual files
 * while the URL and the command line win over them. */
#ifndef LITELIFT_OPTFILE_H
#define LITELIFT_OPTFILE_H

#include "error.h"
#include "url.h"

/* The values an option file gave (each heap-owned, NULL when absent). */
struct optfile {
    char *user, *password, *host, *socket;
    unsigned port; /* 0 when absent */
    char *ca, *capath, *cert, *key, *cipher, *version;
    bool verify_identity; /* ssl-verify-server-cert */
};

/* Reads the groups [client] and [litelift] of path into o; options of other
 * names are left to the client library (ignored here), as are other groups.
 * "name = value" and a bare "name" (true); dashes and underscores are the
 * same; a value may be quoted. Returns 0, or -1 with err naming the file
 * (and the line): a file that cannot be read, a line that is no option, an
 * !include (not supported), a port that is no number. o is then empty. */
int optfile_read(const char *path, struct optfile *o, struct error *err);

/* Frees o, overwriting the password first. */
void optfile_free(struct optfile *o);

#endif
