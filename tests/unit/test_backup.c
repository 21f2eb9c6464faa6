/* test_backup: src/backup.h on files in mkdtemp directories. backup_name with
 * and without a backup directory. backup_rename: NAME, NAME-wal and NAME-shm
 * (each with its own bytes, larger than the 64 KiB copy buffer) end up as
 * NAME.suffix, NAME.suffix-wal, NAME.suffix-shm with identical bytes and the
 * sources gone, done_path set; a file without companions; a backup directory
 * on the same filesystem; refusal to overwrite an existing backup (of the main
 * file or of a companion) moving nothing; a rerun after a partial move (WAL,
 * or WAL and SHM, already moved) and after a complete move; a missing source;
 * and the cross-filesystem path (source under /tmp, backup directory under
 * /dev/shm, a tmpfs): copy, verify, unlink, with the permission bits kept.
 * backup_rename refuses a backup name that is one of the project's own names
 * (source dir as backup dir without suffix, suffix -wal/-shm) and keeps an
 * existing backup only when it is a hard link or an identical copy.
 * backup_check_options: a table of backup dir spellings, suffixes and
 * patterns, each accepted or refused with its reason. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backup.h"
#include "config.h"
#include "tmpdir.h"

#define S(x) ((x) ? (x) : "(null)")

static char dir[64];    /* source directory, under /tmp */
static char shmdir[64]; /* backup directory on another filesystem, under /dev/shm */

static void setup(void)
{
    tmpdir_make(dir, sizeof dir, "/tmp/litelift-backup-XXXXXX");
    shmdir[0] = '\0';
}

static void teardown(void)
{
    tmpdir_remove(dir);
    tmpdir_remove(shmdir);
}

TestSuite(backup, .init = setup, .fini = teardown);

/* ---- helpers ---------------------------------------------------------------- */

static void fill(char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (char)(seed >> 16);
    }
}

static void write_bytes(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f != NULL, "create %s", path);
    cr_assert_eq(fwrite(data, 1, n, f), n);
    cr_assert_eq(fclose(f), 0);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* True when path holds exactly data[0..n). */
static bool same_bytes(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return false;
    char *got = malloc(n + 1);
    size_t k = fread(got, 1, n + 1, f);
    fclose(f);
    bool ok = k == n && memcmp(got, data, n) == 0;
    free(got);
    return ok;
}

/* The three files of a project, with distinct contents. */
struct trio {
    char path[256];
    char *data[3]; /* main, -wal, -shm */
    size_t n[3];
};

static const char *const part[3] = {"", "-wal", "-shm"};

static void trio_make(struct trio *t, const char *in, const char *name, bool wal, bool shm)
{
    snprintf(t->path, sizeof t->path, "%s/%s", in, name);
    static const size_t sizes[3] = {200000, 150001, 32768};
    for (int i = 0; i < 3; i++) {
        t->n[i] = sizes[i];
        t->data[i] = malloc(sizes[i]);
        fill(t->data[i], sizes[i], 7u + (unsigned)i);
        if (i == 0 || (i == 1 && wal) || (i == 2 && shm)) {
            char p[512];
            snprintf(p, sizeof p, "%s%s", t->path, part[i]);
            write_bytes(p, t->data[i], t->n[i]);
        }
    }
}

static void trio_free(struct trio *t)
{
    for (int i = 0; i < 3; i++)
        free(t->data[i]);
}

/* Checks that file i of the trio is at base+part[i] with its bytes. */
static bool trio_at(const struct trio *t, const char *base, int i)
{
    char p[512];
    snprintf(p, sizeof p, "%s%s", base, part[i]);
    return same_bytes(p, t->data[i], t->n[i]);
}

static bool trio_absent(const char *base, int i)
{
    char p[512];
    snprintf(p, sizeof p, "%s%s", base, part[i]);
    return !exists(p);
}

/* ---- backup_name -------------------------------------------------------------- */

Test(backup, name_with_and_without_dir)
{
    static const struct {
        const char *path, *suffix, *dir, *want;
    } cases[] = {
        {"/a/b/x.db", ".migrated", NULL, "/a/b/x.db.migrated"},
        {"x.db", ".bak", NULL, "x.db.bak"},
        {"/a/b/x.db", "", NULL, "/a/b/x.db"},
        {"/a/b/x.db", ".migrated", "/backups", "/backups/x.db.migrated"},
        {"x.db", ".m", "rel/dir", "rel/dir/x.db.m"},
        {"/a/b/x.db", "", "/d", "/d/x.db"},
        {"/a/b.c/my project.sqlite", ".done", "/d", "/d/my project.sqlite.done"},
        {"./p.db", ".m", "/d", "/d/p.db.m"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = backup_name(cases[i].path, cases[i].suffix, cases[i].dir);
        cr_expect_str_eq(S(got), cases[i].want, "backup_name(%s, %s, %s)", cases[i].path,
                         cases[i].suffix, S(cases[i].dir));
        free(got);
    }
}

/* ---- backup_rename ------------------------------------------------------------ */

Test(backup, moves_main_wal_and_shm_with_identical_bytes)
{
    struct trio t;
    trio_make(&t, dir, "p.db", true, true);
    struct error err;
    error_clear(&err);
    char *done = NULL;
    cr_assert_eq(backup_rename(t.path, ".migrated", NULL, &done, &err), 0, "%s", err.msg);
    char base[384];
    snprintf(base, sizeof base, "%s.migrated", t.path);
    cr_expect_str_eq(S(done), base);
    for (int i = 0; i < 3; i++) {
        cr_expect(trio_at(&t, base, i), "%s%s has the bytes of %s%s", base, part[i], t.path,
                  part[i]);
        cr_expect(trio_absent(t.path, i), "%s%s is gone", t.path, part[i]);
    }
    free(done);
    trio_free(&t);
}

Test(backup, moves_a_file_without_companions)
{
    struct trio t;
    trio_make(&t, dir, "solo.db", false, false);
    struct error err;
    error_clear(&err);
    cr_assert_eq(backup_rename(t.path, ".m", NULL, NULL, &err), 0, "%s", err.msg);
    char base[384];
    snprintf(base, sizeof base, "%s.m", t.path);
    cr_expect(trio_at(&t, base, 0));
    cr_expect(trio_absent(t.path, 0));
    cr_expect(trio_absent(base, 1), "no -wal is invented");
    cr_expect(trio_absent(base, 2), "no -shm is invented");
    trio_free(&t);
}

Test(backup, moves_into_a_backup_dir_on_the_same_filesystem)
{
    char bdir[128];
    snprintf(bdir, sizeof bdir, "%s/backups", dir);
    cr_assert_eq(mkdir(bdir, 0755), 0);
    struct trio t;
    trio_make(&t, dir, "q.db", true, false);
    struct error err;
    error_clear(&err);
    char *done = NULL;
    cr_assert_eq(backup_rename(t.path, ".migrated", bdir, &done, &err), 0, "%s", err.msg);
    char base[384];
    snprintf(base, sizeof base, "%s/q.db.migrated", bdir);
    cr_expect_str_eq(S(done), base);
    cr_expect(trio_at(&t, base, 0));
    cr_expect(trio_at(&t, base, 1));
    cr_expect(trio_absent(base, 2));
    cr_expect(trio_absent(t.path, 0));
    cr_expect(trio_absent(t.path, 1));
    free(done);
    trio_free(&t);
}

Test(backup, refuses_to_overwrite_an_existing_backup_and_moves_nothing)
{
    /* which backup file already exists: main, -wal or -shm */
    for (int which = 0; which < 3; which++) {
        char name[32];
        snprintf(name, sizeof name, "r%d.db", which);
        struct trio t;
        trio_make(&t, dir, name, true, true);
        char base[384], old[512];
        snprintf(base, sizeof base, "%s.migrated", t.path);
        snprintf(old, sizeof old, "%s%s", base, part[which]);
        static const char old_bytes[] = "an older backup";
        write_bytes(old, old_bytes, sizeof old_bytes - 1);
        struct error err;
        error_clear(&err);
        char *done = NULL;
        cr_expect_eq(backup_rename(t.path, ".migrated", NULL, &done, &err), -1,
                     "existing %s must be refused", old);
        cr_expect_eq(done, NULL);
        char want[1400];
        snprintf(want, sizeof want, "cannot rename %s%s: backup %s already exists", t.path,
                 part[which], old);
        cr_expect_str_eq(err.msg, want);
        cr_expect(same_bytes(old, old_bytes, sizeof old_bytes - 1), "%s is untouched", old);
        for (int i = 0; i < 3; i++) {
            cr_expect(trio_at(&t, t.path, i),
                      "existing backup %s: %s%s must stay in place with its bytes", old, t.path,
                      part[i]);
            if (i != which)
                cr_expect(trio_absent(base, i),
                          "existing backup %s: nothing may be moved to %s%s (it would pair the "
                          "project's %s with another file)",
                          old, base, part[i], i == 0 ? "main file" : part[i] + 1);
        }
        trio_free(&t);
    }
}

Test(backup, rerun_after_a_partial_move_completes_it)
{
    /* moved: 1 = the WAL only, 2 = the WAL and the SHM, 3 = everything */
    for (int moved = 1; moved <= 3; moved++) {
        char name[32];
        snprintf(name, sizeof name, "part%d.db", moved);
        struct trio t;
        trio_make(&t, dir, name, true, true);
        char base[384];
        snprintf(base, sizeof base, "%s.migrated", t.path);
        static const int order[3] = {1, 2, 0}; /* companions first */
        for (int k = 0; k < moved; k++) {
            char a[512], b[512];
            snprintf(a, sizeof a, "%s%s", t.path, part[order[k]]);
            snprintf(b, sizeof b, "%s%s", base, part[order[k]]);
            cr_assert_eq(rename(a, b), 0);
        }
        struct error err;
        error_clear(&err);
        char *done = NULL;
        cr_expect_eq(backup_rename(t.path, ".migrated", NULL, &done, &err), 0, "after %d moved: %s",
                     moved, err.msg);
        cr_expect_str_eq(S(done), base);
        for (int i = 0; i < 3; i++) {
            cr_expect(trio_at(&t, base, i), "after %d moved: %s%s", moved, base, part[i]);
            cr_expect(trio_absent(t.path, i), "after %d moved: %s%s gone", moved, t.path, part[i]);
        }
        free(done);
        trio_free(&t);
    }
}

Test(backup, missing_source_without_a_backup_is_an_error)
{
    char path[256];
    snprintf(path, sizeof path, "%s/never.db", dir);
    struct error err;
    error_clear(&err);
    char *done = NULL;
    int rc = backup_rename(path, ".migrated", NULL, &done, &err);
    cr_expect_eq(rc, -1, "moving %s, which does not exist (nor its backup), must fail", path);
    cr_expect(strstr(err.msg, path) != NULL, "the error names %s: \"%s\"", path, err.msg);
    char base[384];
    snprintf(base, sizeof base, "%s.migrated", path);
    cr_expect(!exists(base));
    free(done);
}

Test(backup, across_filesystems_copies_verifies_and_unlinks)
{
    strcpy(shmdir, "/dev/shm/litelift-backup-XXXXXX");
    if (mkdtemp(shmdir) == NULL) {
        shmdir[0] = '\0';
        cr_assert_fail("no /dev/shm to make a cross-filesystem backup directory in");
    }
    struct stat a, b;
    cr_assert_eq(stat(dir, &a), 0);
    cr_assert_eq(stat(shmdir, &b), 0);
    /* The copy path is taken only when rename(2) says EXDEV: the two directories
     * must be on different devices; every tmpfs mount is its own device, so
     * they are unless /tmp is /dev/shm itself, where this case cannot run. */
    cr_assert_neq(a.st_dev, b.st_dev, "%s and %s are on the same filesystem", dir, shmdir);

    struct trio t;
    trio_make(&t, dir, "x.db", true, true);
    for (int i = 0; i < 3; i++) {
        char p[512];
        snprintf(p, sizeof p, "%s%s", t.path, part[i]);
        cr_assert_eq(chmod(p, i == 0 ? 0640 : 0604), 0);
    }
    struct error err;
    error_clear(&err);
    char *done = NULL;
    cr_assert_eq(backup_rename(t.path, ".migrated", shmdir, &done, &err), 0, "%s", err.msg);
    char base[384];
    snprintf(base, sizeof base, "%s/x.db.migrated", shmdir);
    cr_expect_str_eq(S(done), base);
    for (int i = 0; i < 3; i++) {
        cr_expect(trio_at(&t, base, i), "%s%s has the source's bytes", base, part[i]);
        cr_expect(trio_absent(t.path, i), "%s%s was unlinked", t.path, part[i]);
        char p[512];
        snprintf(p, sizeof p, "%s%s", base, part[i]);
        struct stat st;
        cr_assert_eq(stat(p, &st), 0);
        cr_expect_eq(st.st_mode & 07777, (mode_t)(i == 0 ? 0640 : 0604), "mode of %s: %o", p,
                     st.st_mode & 07777);
    }
    free(done);

    /* a second project whose backup already exists on the other filesystem */
    struct trio u;
    trio_make(&u, dir, "y.db", false, false);
    char old[512];
    snprintf(old, sizeof old, "%s/y.db.migrated", shmdir);
    write_bytes(old, "older", 5);
    error_clear(&err);
    cr_expect_eq(backup_rename(u.path, ".migrated", shmdir, NULL, &err), -1);
    cr_expect(same_bytes(old, "older", 5));
    cr_expect(trio_at(&u, u.path, 0));
    trio_free(&t);
    trio_free(&u);
}

/* ---- backup_check_options ----------------------------------------------------- */

struct optcase {
    const char *name;
    const char *bdir; /* relative to the test dir ("" = the dir itself), NULL = none */
    const char *suffix;
    const char *pattern;
    bool recursive;
    bool no_rename;
    const char *err; /* substring of the refusal, NULL = accepted */
};

static const struct optcase opt_cases[] = {
    {"defaults", NULL, ".migrated", "*.db", false, false, NULL},
    {"source dir, empty suffix", "src", "", "*.db", false, false, "is the source directory"},
    {"source dir with a trailing slash", "src/", "", "*.db", false, false,
     "is the source directory"},
    {"source dir as src/.", "src/.", "", "*.db", false, false, "is the source directory"},
    {"source dir through sub/..", "src/sub/..", "", "*.db", false, false,
     "is the source directory"},
    {"source dir through a symlink", "link-to-src", "", "*.db", false, false,
     "is the source directory"},
    {"source dir with a suffix is fine", "src", ".migrated", "*.db", false, false, NULL},
    {"subdir, empty suffix, not recursive", "src/sub", "", "*.db", false, false, NULL},
    {"subdir, empty suffix, recursive", "src/sub", "", "*.db", true, false,
     "lies inside the source directory"},
    {"subdir, suffix, recursive", "src/sub", ".migrated", "*.db", true, false, NULL},
    {"sibling named like a prefix, recursive", "src2", "", "*.db", true, false, NULL},
    {"other dir, empty suffix", "other", "", "*.db", true, false, NULL},
    {"missing backup dir", "missing", ".migrated", "*.db", false, false,
     "No such file or directory"},
    {"backup dir is a file", "file", ".migrated", "*.db", false, false, "is not a directory"},
    {"suffix -wal", NULL, "-wal", "*.db", false, false, "-wal, -shm or -journal"},
    {"suffix -shm", NULL, "-shm", "*.db", false, false, "-wal, -shm or -journal"},
    {"suffix -journal", NULL, "-journal", "*.db", false, false, "-wal, -shm or -journal"},
    {"suffix ending in -wal", NULL, ".old-wal", "*.db", false, false, "-wal, -shm or -journal"},
    {"suffix completing -wal after the pattern", NULL, "al", "*-w", false, false,
     "-wal, -shm or -journal"},
    {"suffix -wal.bak is fine", NULL, "-wal.bak", "*.db", false, false, NULL},
    {"suffix .db with *.db", NULL, ".db", "*.db", false, false, "every project file"},
    {"suffix b with *.db", NULL, "b", "*.db", false, false, "every project file"},
    {"suffix .db with a bracket pattern", NULL, ".db", "[a-z]*.db", false, false,
     "every project file"},
    {"suffix .db with *.sqlite", NULL, ".db", "*.sqlite", false, false, NULL},
    {"suffix .db with *.db even without renames", NULL, ".db", "*.db", false, true,
     "every project file"},
    {"suffix -wal without renames", NULL, "-wal", "*.db", false, true, NULL},
    {"source dir, empty suffix, without renames", "src", "", "*.db", false, true, NULL},
    {"suffix with a slash", NULL, "/x", "*.db", false, false, "contains a '/'"},
};

Test(backup, check_options)
{
    char p[512], src[256];
    snprintf(src, sizeof src, "%s/src", dir);
    static const char *const dirs[] = {"src", "src/sub", "src2", "other"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, dirs[i]);
        cr_assert_eq(mkdir(p, 0755), 0, "mkdir %s", p);
    }
    snprintf(p, sizeof p, "%s/link-to-src", dir);
    cr_assert_eq(symlink(src, p), 0);
    snprintf(p, sizeof p, "%s/file", dir);
    write_bytes(p, "x", 1);
    for (size_t i = 0; i < sizeof opt_cases / sizeof *opt_cases; i++) {
        const struct optcase *k = &opt_cases[i];
        struct config cfg;
        config_defaults(&cfg);
        cfg.source_dir = src;
        cfg.backup_suffix = k->suffix;
        cfg.pattern = k->pattern;
        cfg.recursive = k->recursive;
        cfg.no_backup_rename = k->no_rename;
        snprintf(p, sizeof p, "%s/%s", dir, k->bdir != NULL ? k->bdir : "");
        cfg.backup_dir = k->bdir != NULL ? p : NULL;
        struct error err;
        error_clear(&err);
        int rc = backup_check_options(&cfg, &err);
        if (k->err == NULL)
            cr_expect_eq(rc, 0, "case \"%s\" refused: %s", k->name, err.msg);
        else
            cr_expect(rc == -1 && strstr(err.msg, k->err) != NULL,
                      "case \"%s\": rc=%d, want \"%s\" in \"%s\"", k->name, rc, k->err, err.msg);
    }
}

/* ---- backup_rename: names that are the source's own ------------------------------- */

/* A backup name equal to one of the project's own names (the source dir as
 * backup dir with no suffix; a suffix -wal) is refused before anything
 * moves, whether or not the -wal exists: nothing is removed. */
Test(backup, refuses_a_backup_name_that_is_the_source_itself)
{
    static const struct {
        const char *suffix;
        bool in_dir; /* backup dir = the source dir, given as DIR/. */
        bool wal;
        const char *part; /* whose name the backup would take */
    } cases[] = {
        {"", true, true, ""},          {"", true, false, ""},
        {"-wal", false, true, "-wal"}, {"-wal", false, false, "-wal"},
        {"-shm", false, true, "-shm"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char name[32], bdir[128];
        snprintf(name, sizeof name, "same%zu.db", i);
        snprintf(bdir, sizeof bdir, "%s/.", dir);
        struct trio t;
        trio_make(&t, dir, name, cases[i].wal, true);
        struct error err;
        error_clear(&err);
        char *done = NULL;
        cr_expect_eq(
            backup_rename(t.path, cases[i].suffix, cases[i].in_dir ? bdir : NULL, &done, &err), -1,
            "case %zu must be refused", i);
        cr_expect_eq(done, NULL);
        char want[600];
        snprintf(want, sizeof want, "that is the name of the source's own file %s%s", t.path,
                 cases[i].part);
        cr_expect(strstr(err.msg, want) != NULL, "case %zu: want \"%s\" in \"%s\"", i, want,
                  err.msg);
        for (int k = 0; k < 3; k++)
            if (k != 1 || cases[i].wal)
                cr_expect(trio_at(&t, t.path, k), "case %zu: %s%s kept with its bytes", i, t.path,
                          part[k]);
        char extra[512];
        snprintf(extra, sizeof extra, "%s-wal-wal", t.path);
        cr_expect(!exists(extra), "case %zu: no %s", i, extra);
        if (!cases[i].wal)
            cr_expect(trio_absent(t.path, 1), "case %zu: no -wal invented", i);
        trio_free(&t);
    }
}

/* An existing backup name may stay only when it already holds the data: a
 * hard link of the source (an interrupted move) or a copy with the same
 * bytes; a symlink or a file with other bytes of the same size is refused. */
Test(backup, existing_backup_kept_only_when_it_holds_the_same_data)
{
    static const struct {
        const char *what;
        int kind; /* 0 hard link, 1 same bytes copy, 2 symlink to the source, 3 same size
                     other bytes */
        bool ok;
        const char *err;
    } cases[] = {
        {"hard link", 0, true, NULL},
        {"identical copy", 1, true, NULL},
        {"symlink to the source", 2, false, "already exists and is not a regular file"},
        {"same size, other bytes", 3, false, "already exists"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char name[32], base[384];
        snprintf(name, sizeof name, "ex%zu.db", i);
        struct trio t;
        trio_make(&t, dir, name, false, false);
        snprintf(base, sizeof base, "%s.migrated", t.path);
        if (cases[i].kind == 0)
            cr_assert_eq(link(t.path, base), 0);
        else if (cases[i].kind == 1)
            write_bytes(base, t.data[0], t.n[0]);
        else if (cases[i].kind == 2)
            cr_assert_eq(symlink(t.path, base), 0);
        else {
            char *other = malloc(t.n[0]);
            memcpy(other, t.data[0], t.n[0]);
            other[t.n[0] - 1] ^= 1;
            write_bytes(base, other, t.n[0]);
            free(other);
        }
        struct error err;
        error_clear(&err);
        int rc = backup_rename(t.path, ".migrated", NULL, NULL, &err);
        if (cases[i].ok) {
            cr_expect_eq(rc, 0, "%s: %s", cases[i].what, err.msg);
            cr_expect(trio_at(&t, base, 0), "%s: the backup holds the data", cases[i].what);
            cr_expect(trio_absent(t.path, 0), "%s: the source name is gone", cases[i].what);
        } else {
            cr_expect(rc == -1 && strstr(err.msg, cases[i].err) != NULL, "%s: rc=%d err=%s",
                      cases[i].what, rc, err.msg);
            cr_expect(trio_at(&t, t.path, 0), "%s: the source is kept", cases[i].what);
        }
        trio_free(&t);
    }
}
