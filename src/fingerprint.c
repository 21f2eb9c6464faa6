/* fingerprint: the state of a source file, to tell whether it changed (see
 * fingerprint.h). Reads the source only: stat, the first bytes of the file and
 * of its -wal, and SQLite's own view of the page count and schema. */
#include "fingerprint.h"

#include "reader_meta.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* Big-endian 32-bit number at p. */
static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 |
           (unsigned long)p[3];
}

/* Reads up to n bytes at the start of path into b (zero-filled beyond the
 * file's end). Returns 0, 1 when the file does not exist, -1 on error. */
static int head(const char *path, unsigned char *b, size_t n)
{
    memset(b, 0, n);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO must not block */
    if (fd < 0)
        return errno == ENOENT ? 1 : -1;
    ssize_t got = pread(fd, b, n, 0);
    int saved = errno;
    close(fd);
    errno = saved;
    return got < 0 ? -1 : 0;
}

int fingerprint_file(const char *path, struct fingerprint *fp, struct error *err)
{
    struct stat st;
    unsigned char hdr[32];
    memset(fp, 0, sizeof *fp);
    if (stat(path, &st) != 0 || head(path, hdr, 28) != 0)
        return error_set(err, "%s: %m", path);
    fp->size = (long long)st.st_size;
    fp->mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
    fp->change_counter = be32(hdr + 24);
    char *wal = NULL;
    if (asprintf(&wal, "%s-wal", path) < 0)
        return error_oom(err);
    int rc = 0;
    if (stat(wal, &st) == 0) {
        fp->wal_size = (long long)st.st_size;
        if (head(wal, hdr, sizeof hdr) < 0)
            rc = error_set(err, "%s: %m", wal);
        fp->wal_salt1 = be32(hdr + 16);
        fp->wal_salt2 = be32(hdr + 20);
    } else if (errno != ENOENT) {
        rc = error_set(err, "%s: %m", wal);
    }
    free(wal);
    return rc;
}

int fingerprint_snapshot(struct reader *r, struct fingerprint *fp, struct error *err)
{
    return reader_meta_schema_state(r->db, r->path, &fp->page_count, &fp->schema_crc, err);
}

int fingerprint_now(const char *path, struct fingerprint *fp, struct error *err)
{
    if (fingerprint_file(path, fp, err) != 0)
        return -1;
    return reader_meta_schema_state_now(path, &fp->page_count, &fp->schema_crc, err);
}

int fingerprint_diff(const struct fingerprint *a, const struct fingerprint *b, bool stored_only,
                     struct buf *out)
{
    size_t start = out->len;
    int bad = 0;
    if (a->size != b->size)
        bad |= buf_printf(out, "size %lld -> %lld; ", a->size, b->size);
    if (a->mtime_ns != b->mtime_ns)
        bad |= buf_puts(out, "modification time changed; ");
    if (!stored_only && a->change_counter != b->change_counter)
        bad |= buf_printf(out, "change counter %lu -> %lu; ", a->change_counter, b->change_counter);
    if (a->wal_size != b->wal_size)
        bad |= buf_printf(out, "-wal size %lld -> %lld; ", a->wal_size, b->wal_size);
    if (!stored_only && a->wal_size >= 32 && b->wal_size >= 32 &&
        (a->wal_salt1 != b->wal_salt1 || a->wal_salt2 != b->wal_salt2))
        bad |= buf_puts(out, "-wal restarted (new salts); ");
    if (a->page_count != b->page_count)
        bad |= buf_printf(out, "page count %lld -> %lld; ", a->page_count, b->page_count);
    if (a->schema_crc != b->schema_crc)
        bad |= buf_puts(out, "schema changed; ");
    if (!bad && out->len >= start + 2)
        buf_truncate(out, out->len - 2);
    return bad ? -1 : 0;
}

int fingerprint_check(const char *path, const struct fingerprint *snap, const char *project,
                      struct error *err)
{
    struct fingerprint now;
    if (fingerprint_now(path, &now, err) != 0)
        return error_prefix(err, "cannot check that the source is unchanged");
    struct buf diff;
    buf_init(&diff, BUF_CAP_LIST);
    int rc = 0;
    if (fingerprint_diff(snap, &now, false, &diff) != 0)
        rc = error_oom(err);
    else if (diff.len > 0)
        rc = error_set(err,
                       "the source changed while it was migrated (an application still "
                       "writing?): %s; it is not renamed, and what was loaded is not its "
                       "current state: stop the application, then rerun with "
                       "--restart-project '%s' to delete its rows and load it again",
                       diff.data, project);
    buf_free(&diff);
    return rc;
}
