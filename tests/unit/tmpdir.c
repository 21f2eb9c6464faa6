/* tmpdir: scratch directories for the unit tests (see tmpdir.h). */
#include "tmpdir.h"

#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void tmpdir_make(char *dir, size_t size, const char *template)
{
    cr_assert_lt(strlen(template), size, "template %s is too long", template);
    strcpy(dir, template);
    cr_assert(mkdtemp(dir) != NULL, "mkdtemp %s failed", template);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void tmpdir_remove(char *dir)
{
    if (dir[0] != '\0')
        nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    dir[0] = '\0';
}
