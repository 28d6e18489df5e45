/* Packages for the engine's unit tests, built with libswim. */
#ifndef SWIM_VIBTEST_H
#define SWIM_VIBTEST_H

#include <stdbool.h>

/* Builds ROOT.NAME-VERSION.vib (beside the root) shipping opt/NAME/file
 * with `content`; live install and removal allowed or not. Returns its
 * path (free it with swim_test_vib_remove()). */
char *swim_test_vib(const char *root, const char *name, const char *version,
                    const char *content, bool live);

/* Deletes the .vib and frees the path. NULL-safe. */
void swim_test_vib_remove(char *path);

/* Whether ROOT/rel exists (lstat). */
bool swim_test_exists(const char *root, const char *rel);

#endif
