/* test_scan: table-driven tests of src/scan.h. scan_project_id(): the stem
 * default ('acme.db' -> 'acme', 'a.b.db' -> 'a.b', '.db', UTF-8 names, quotes
 * and backslashes) and the REG_EXTENDED regex mode (first capture group,
 * non-matching names, empty or missing groups). scan_dir() on a temporary
 * directory tree built with mkdtemp: *.db files, -wal/-shm/-journal companions,
 * non-matching and hidden files, a directory named like a project file and
 * subdirectories (found only with recursive = true), bytewise sorted order,
 * exact path/name/project_id/error of every entry, trailing slash, pattern
 * "*", regex ids, a symlink loop, the error cases, and links: symlinks and
 * hard links to a listed file or to a backup dropped (the real name kept) and
 * said on the log, a dangling symlink left out, a symlink to a file elsewhere
 * kept. */
#include <criterion/criterion.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "scan.h"
#include "tmpdir.h"

#define S(x) ((x) ? (x) : "(null)")

/* ---- scan_project_id ------------------------------------------------------- */

struct idcase {
    const char *name;
    const char *file;
    const char *regex; /* NULL = stem mode */
    const char *want;  /* NULL = error */
    const char *err;   /* substring of the error when want is NULL */
};

static const struct idcase id_cases[] = {
    /* stem mode */
    {"simple", "acme.db", NULL, "acme", NULL},
    {"two dots keep the first", "a.b.db", NULL, "a.b", NULL},
    {"other extension", "x.tar.gz", NULL, "x.tar", NULL},
    {"sqlite extension", "proj.sqlite3", NULL, "proj", NULL},
    {"no extension", "noext", NULL, "noext", NULL},
    {"trailing dot", "trailing.", NULL, "trailing", NULL},
    {"double dot before extension", "a..db", NULL, "a.", NULL},
    {"only an extension (hidden file) is its own stem", ".db", NULL, ".db", NULL},
    {"hidden file with extension", ".acme.db", NULL, ".acme", NULL},
    {"two dots then db", "..db", NULL, ".", NULL},
    {"UTF-8 2-byte", "caf\xc3\xa9.db", NULL, "caf\xc3\xa9", NULL},
    {"UTF-8 CJK", "\xe6\x97\xa5\xe6\x9c\xac.sqlite", NULL, "\xe6\x97\xa5\xe6\x9c\xac", NULL},
    {"UTF-8 emoji", "\xf0\x9f\x98\x80.db", NULL, "\xf0\x9f\x98\x80", NULL},
    {"single quote", "it's.db", NULL, "it's", NULL},
    {"double quote", "say\"hi\".db", NULL, "say\"hi\"", NULL},
    {"backslash", "a\\b.db", NULL, "a\\b", NULL},
    {"backtick and semicolon", "a`;b.db", NULL, "a`;b", NULL},
    {"spaces", "my project.db", NULL, "my project", NULL},
    {"empty name", "", NULL, NULL, "empty"},
    /* regex mode (REG_EXTENDED) */
    {"regex digits", "proj_42.db", "proj_([0-9]+)\\.db", "42", NULL},
    {"regex non-matching", "proj_x.db", "proj_([0-9]+)\\.db", NULL, "does not match"},
    {"regex error names the file", "other.db", "proj_([0-9]+)\\.db", NULL, "\"other.db\""},
    {"regex unanchored matches inside", "xproj_7.db.bak", "proj_([0-9]+)\\.db", "7", NULL},
    {"regex anchored does not", "xproj_7.db", "^proj_([0-9]+)\\.db$", NULL, "does not match"},
    {"regex first of two groups", "acme_12.db", "([a-z]+)_([0-9]+)", "acme", NULL},
    {"regex greedy group", "a.b.sqlite", "^(.+)\\.(db|sqlite)$", "a.b", NULL},
    {"regex UTF-8 capture", "caf\xc3\xa9.db", "^(.*)\\.db$", "caf\xc3\xa9", NULL},
    {"regex empty capture", "proj_.db", "proj_([0-9]*)\\.db", NULL, "non-empty first group"},
    {"regex without a group", "a.db", "\\.db$", NULL, "non-empty first group"},
    {"regex optional group not taken", "a.db", "^(x)?a\\.db$", NULL, "non-empty first group"},
    {"regex case-sensitive", "PROJ_1.db", "proj_([0-9]+)", NULL, "does not match"},
};

Test(scan, project_id)
{
    size_t failed = 0;
    for (size_t i = 0; i < sizeof id_cases / sizeof *id_cases; i++) {
        const struct idcase *k = &id_cases[i];
        regex_t re;
        if (k->regex != NULL)
            cr_assert_eq(regcomp(&re, k->regex, REG_EXTENDED), 0, "regcomp %s", k->regex);
        struct error err;
        error_clear(&err);
        char *got = scan_project_id(k->file, k->regex ? &re : NULL, &err);
        bool ok = k->want ? got != NULL && strcmp(got, k->want) == 0
                          : got == NULL && strstr(err.msg, k->err) != NULL;
        if (!ok) {
            failed++;
            cr_expect(ok,
                      "project id case \"%s\" (file \"%s\", regex %s): expected %s \"%s\", got "
                      "\"%s\" err=\"%s\"",
                      k->name, k->file, S(k->regex), k->want ? "id" : "error containing",
                      k->want ? k->want : k->err, S(got), err.msg);
        }
        free(got);
        if (k->regex != NULL)
            regfree(&re);
    }
    cr_expect_eq(failed, 0);
}

/* ---- scan_dir -------------------------------------------------------------- */

static char root[64];

static void mkfile(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL, "create %s", path);
    fputs("x", f);
    fclose(f);
}

static void mkdir_rel(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    cr_assert_eq(mkdir(path, 0755), 0, "mkdir %s", path);
}

static void build_tree(void)
{
    tmpdir_make(root, sizeof root, "/tmp/litelift-scan-XXXXXX");
    mkfile("acme.db");
    mkfile("b.db");
    mkfile("Z.db");
    mkfile("empty.db");
    mkfile("acme.db-wal");
    mkfile("acme.db-shm");
    mkfile("acme.db-journal");
    mkfile("notes.txt");
    mkfile(".hidden.db");
    mkdir_rel("dir.db");
    mkfile("dir.db/inner.db");
    mkdir_rel("sub");
    mkfile("sub/c.db");
    mkfile("sub/c.db-wal");
    mkfile("sub/readme.md");
    mkdir_rel("sub/deeper");
    mkfile("sub/deeper/d.db");
}

static void remove_tree(void)
{
    tmpdir_remove(root);
}

struct want_entry {
    const char *rel; /* path relative to the root */
    const char *name;
    const char *project_id; /* NULL = error expected */
};

struct dircase {
    const char *name;
    bool recursive;
    const char *pattern;
    const char *regex;
    bool trailing_slash;
    size_t n;
    struct want_entry want[10];
};

static const struct dircase dir_cases[] = {
    {"flat, *.db",
     false,
     "*.db",
     NULL,
     false,
     4,
     {{"Z.db", "Z.db", "Z"},
      {"acme.db", "acme.db", "acme"},
      {"b.db", "b.db", "b"},
      {"empty.db", "empty.db", "empty"}}},
    {"flat, *.db, trailing slash on the source dir",
     false,
     "*.db",
     NULL,
     true,
     4,
     {{"Z.db", "Z.db", "Z"},
      {"acme.db", "acme.db", "acme"},
      {"b.db", "b.db", "b"},
      {"empty.db", "empty.db", "empty"}}},
    {"recursive, *.db",
     true,
     "*.db",
     NULL,
     false,
     7,
     {{"Z.db", "Z.db", "Z"},
      {"acme.db", "acme.db", "acme"},
      {"b.db", "b.db", "b"},
      {"dir.db/inner.db", "inner.db", "inner"},
      {"empty.db", "empty.db", "empty"},
      {"sub/c.db", "c.db", "c"},
      {"sub/deeper/d.db", "d.db", "d"}}},
    {"flat, pattern * (companions still skipped)",
     false,
     "*",
     NULL,
     false,
     5,
     {{"Z.db", "Z.db", "Z"},
      {"acme.db", "acme.db", "acme"},
      {"b.db", "b.db", "b"},
      {"empty.db", "empty.db", "empty"},
      {"notes.txt", "notes.txt", "notes"}}},
    {"recursive, pattern *.md",
     true,
     "*.md",
     NULL,
     false,
     1,
     {{"sub/readme.md", "readme.md", "readme"}}},
    {"flat, regex ids (non-matching file gets an error)",
     false,
     "*.db",
     "^([a-z]+)\\.db$",
     false,
     4,
     {{"Z.db", "Z.db", NULL},
      {"acme.db", "acme.db", "acme"},
      {"b.db", "b.db", "b"},
      {"empty.db", "empty.db", "empty"}}},
    {"flat, pattern matching nothing", false, "*.sqlite", NULL, false, 0, {{NULL, NULL, NULL}}},
};

static bool check_list(const struct dircase *k, const struct scan_list *l)
{
    bool ok = l->n == k->n;
    for (size_t i = 0; ok && i < k->n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", root, k->want[i].rel);
        const struct scan_entry *e = &l->v[i];
        ok = strcmp(S(e->path), path) == 0 && strcmp(S(e->name), k->want[i].name) == 0;
        if (k->want[i].project_id != NULL)
            ok = ok && e->project_id != NULL && strcmp(e->project_id, k->want[i].project_id) == 0 &&
                 e->error == NULL;
        else
            ok = ok && e->project_id == NULL && e->error != NULL &&
                 strstr(e->error, "does not match") != NULL;
    }
    return ok;
}

static void report_list(const char *name, const struct scan_list *l)
{
    char got[4096] = "";
    for (size_t i = 0; i < l->n; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "\n    %s | %s | %s | %s",
                 S(l->v[i].path), S(l->v[i].name), S(l->v[i].project_id), S(l->v[i].error));
    cr_expect(false, "scan_dir case \"%s\": unexpected list (%zu entries):%s", name, l->n, got);
}

Test(scan, dir, .init = build_tree, .fini = remove_tree)
{
    for (size_t i = 0; i < sizeof dir_cases / sizeof *dir_cases; i++) {
        const struct dircase *k = &dir_cases[i];
        struct config cfg;
        config_defaults(&cfg);
        char src[128];
        snprintf(src, sizeof src, "%s%s", root, k->trailing_slash ? "/" : "");
        cfg.source_dir = src;
        cfg.pattern = k->pattern;
        cfg.recursive = k->recursive;
        cfg.project_id_regex = k->regex;
        struct scan_list l;
        struct error err;
        error_clear(&err);
        int rc = scan_dir(&cfg, &l, NULL, &err);
        cr_expect_eq(rc, 0, "scan_dir case \"%s\": rc=%d err=%s", k->name, rc, err.msg);
        if (rc == 0 && !check_list(k, &l))
            report_list(k->name, &l);
        scan_free(&l);
    }
}

Test(scan, default_pattern_is_star_db, .init = build_tree, .fini = remove_tree)
{
    struct config cfg;
    config_defaults(&cfg);
    cfg.source_dir = root;
    struct scan_list l;
    struct error err;
    cr_assert_eq(scan_dir(&cfg, &l, NULL, &err), 0);
    cr_expect_eq(l.n, 4);
    scan_free(&l);
    cr_expect(l.v == NULL && l.n == 0, "scan_free empties the list");
}

/* A directory symlink that points back up must not make the recursive scan
 * list the same file many times over. */
Test(scan, symlink_loop_lists_each_file_once, .init = build_tree, .fini = remove_tree)
{
    char link[512];
    snprintf(link, sizeof link, "%s/sub/loop", root);
    cr_assert_eq(symlink("..", link), 0);
    struct config cfg;
    config_defaults(&cfg);
    cfg.source_dir = root;
    cfg.recursive = true;
    struct scan_list l;
    struct error err;
    error_clear(&err);
    int rc = scan_dir(&cfg, &l, NULL, &err);
    cr_assert_eq(rc, 0, "err=%s", err.msg);
    size_t acme = 0;
    for (size_t i = 0; i < l.n; i++)
        acme += strcmp(l.v[i].name, "acme.db") == 0;
    cr_expect_eq(acme, 1, "acme.db listed %zu times (of %zu entries), e.g. %s", acme, l.n,
                 l.n > 1 ? l.v[1].path : "");
    scan_free(&l);
}

Test(scan, errors, .init = build_tree, .fini = remove_tree)
{
    static const struct {
        const char *name;
        const char *dir; /* relative to root, or absolute when starting with '/' */
        const char *regex;
        const char *err;
    } v[] = {
        {"missing directory", "does-not-exist", NULL, "cannot read source directory"},
        {"a file, not a directory", "acme.db", NULL, "cannot read source directory"},
        {"bad regex", "", "proj_(", "--project-id-regex"},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        char dir[512];
        snprintf(dir, sizeof dir, "%s/%s", root, v[i].dir);
        struct config cfg;
        config_defaults(&cfg);
        cfg.source_dir = dir;
        cfg.project_id_regex = v[i].regex;
        struct scan_list l;
        struct error err;
        error_clear(&err);
        int rc = scan_dir(&cfg, &l, NULL, &err);
        cr_expect(rc == -1 && strstr(err.msg, v[i].err) != NULL && l.n == 0 && l.v == NULL,
                  "error case \"%s\": rc=%d err=\"%s\" n=%zu", v[i].name, rc, err.msg, l.n);
        if (rc == 0)
            scan_free(&l);
    }
}

Test(scan, empty_directory)
{
    char dir[] = "/tmp/litelift-scan-empty-XXXXXX";
    cr_assert(mkdtemp(dir) != NULL);
    struct config cfg;
    config_defaults(&cfg);
    cfg.source_dir = dir;
    cfg.recursive = true;
    struct scan_list l;
    struct error err;
    cr_expect_eq(scan_dir(&cfg, &l, NULL, &err), 0);
    cr_expect_eq(l.n, 0);
    scan_free(&l);
    rmdir(dir);
}

/* One file is one project: a symlink or a hard link to a listed file (or to
 * a backup) is dropped and said on the log, naming the file it duplicates; the real name
 * is kept even when the symlink sorts first; a dangling symlink is listed
 * with an error that fails its project (it is never opened); a symlink to a
 * file outside the directory is a project. */
Test(scan, links_to_one_file_list_it_once, .init = build_tree, .fini = remove_tree)
{
    static const struct {
        const char *link, *to; /* to: relative to root, or absolute */
        bool hard;
    } links[] = {
        {"0first.db", "b.db", false},  /* a symlink sorting before its file */
        {"zz.db", "acme.db", false},   /* a symlink after it */
        {"hard.db", "empty.db", true}, /* a hard link after it */
        {"Y.db", "Z.db", true},        /* a hard link before it: the first by path stays */
        {"dangling.db", "gone.db", false},
        {"sub/up.db", "acme.db", false},
        {"again.db", "old.db.migrated", true}, /* a hard link to a backup */
        {"sym.db", "old.db.migrated", false},  /* a symlink to it */
    };
    char outside[] = "/tmp/litelift-scan-out-XXXXXX", path[512], to[512];
    cr_assert(mkdtemp(outside) != NULL);
    snprintf(to, sizeof to, "%s/far.db", outside);
    FILE *f = fopen(to, "w");
    cr_assert(f != NULL);
    fclose(f);
    snprintf(path, sizeof path, "%s/far.db", root);
    cr_assert_eq(symlink(to, path), 0);
    mkfile("old.db.migrated");
    for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
        snprintf(path, sizeof path, "%s/%s", root, links[i].link);
        snprintf(to, sizeof to, "%s/%s", root, links[i].to);
        cr_assert_eq(links[i].hard ? link(to, path) : symlink(to, path), 0, "%s", path);
    }
    struct config cfg;
    config_defaults(&cfg);
    cfg.source_dir = root;
    cfg.recursive = true;
    char *log = NULL;
    size_t loglen = 0;
    FILE *lf = open_memstream(&log, &loglen);
    struct scan_list l;
    struct error err;
    error_clear(&err);
    cr_assert_eq(scan_dir(&cfg, &l, lf, &err), 0, "%s", err.msg);
    fclose(lf);
    static const char *const want[] = {"Y.db",        "acme.db",         "b.db",
                                       "dangling.db", "dir.db/inner.db", "empty.db",
                                       "far.db",      "sub/c.db",        "sub/deeper/d.db"};
    bool ok = l.n == sizeof want / sizeof *want;
    for (size_t i = 0; ok && i < l.n; i++) {
        snprintf(path, sizeof path, "%s/%s", root, want[i]);
        ok = strcmp(l.v[i].path, path) == 0;
    }
    char why[1200];
    snprintf(why, sizeof why,
             "%s/dangling.db is a dangling symlink (to %s/gone.db, which does not exist)", root,
             root);
    ok = ok && l.v[3].error != NULL && strcmp(l.v[3].error, why) == 0;
    for (size_t i = 0; ok && i < l.n; i++)
        ok = i == 3 || l.v[i].error == NULL;
    if (!ok)
        report_list("links", &l);
    static const char *const said[][2] = {
        {"0first.db", "b.db"},         {"zz.db", "acme.db"},
        {"hard.db", "empty.db"},       {"Z.db", "Y.db"},
        {"sub/up.db", "acme.db"},      {"again.db", "old.db.migrated"},
        {"sym.db", "old.db.migrated"},
    };
    for (size_t i = 0; i < sizeof said / sizeof *said; i++) {
        char line[1200];
        snprintf(line, sizeof line,
                 "litelift: skipped %s/%s: it is the same file as %s/%s (a symlink or hard "
                 "link to it); one file is one project\n",
                 root, said[i][0], root, said[i][1]);
        cr_expect(strstr(log, line) != NULL, "no \"%s\" in:\n%s", line, log);
    }
    cr_expect(strstr(log, "dangling") == NULL, "%s", log);
    cr_expect(strstr(log, "far.db") == NULL, "%s", log);
    free(log);
    scan_free(&l);
    snprintf(path, sizeof path, "%s/far.db", outside);
    unlink(path);
    rmdir(outside);
}
