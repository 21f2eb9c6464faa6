/* tmpdir: scratch directories: a unit test's, made in the suite's .init and
 * removed with everything in it in its .fini; the integration harness makes
 * and removes its temp dirs with the same two calls. */
#ifndef LITELIFT_TEST_TMPDIR_H
#define LITELIFT_TEST_TMPDIR_H

#include <stddef.h>

/* Fill dir (size bytes) with a new directory made by mkdtemp(3) from
 * template, which must end in XXXXXX. Fails the running test if it cannot. */
void tmpdir_make(char *dir, size_t size, const char *template);

/* Remove the tree at dir, if dir is not empty, and leave dir empty, so a
 * .fini can call it whether or not its test made the directory. */
void tmpdir_remove(char *dir);

#endif
