/* Directories inside a root, reached as if the root were "/": every
 * component, symlinks included, is resolved with openat2(RESOLVE_IN_ROOT),
 * so nothing a package (or anyone) put in the root can lead a write out
 * of it. Work on files then goes through *at() calls on the directory
 * with the last component never followed. A few descriptors are cached
 * (paths come sorted, so neighbours share directories); one cache per
 * thread. */
#ifndef SWIM_LIB_ROOTDIR_H
#define SWIM_LIB_ROOTDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct swim_rootdir swim_rootdir;

/* root_fd is borrowed (an O_PATH or O_DIRECTORY descriptor of the root);
 * `shown` names the root in messages ("" for "/").
 * @param[out] out freed with swim_rootdir_free(). */
int swim_rootdir_new(swim_rootdir **out, int root_fd, const char *shown);
void swim_rootdir_free(swim_rootdir *c);

/* The descriptor of directory `dir` (relative, "" for the root itself),
 * borrowed from the cache: it stays open while fewer than 16 other
 * directories are opened through c (the least recently used goes). SWIM_ENOTFOUND when a component is
 * missing; a component that is not a directory, a symlink loop or one
 * leading nowhere inside the root is SWIM_EINVAL naming the path. */
int swim_rootdir_open(int *fd, swim_rootdir *c, const char *dir);

/* The same for the directory holding `path`; *name points to the last
 * component of path. */
int swim_rootdir_parent(int *fd, const char **name, swim_rootdir *c,
                        const char *path);

/* The device of the directory the last open or parent call returned. */
dev_t swim_rootdir_dev(const swim_rootdir *c);

/* Forgets cached descriptors (after directories were removed or
 * renamed). */
void swim_rootdir_forget(swim_rootdir *c);

/* Sets the message for a failed system call on `path` inside the root
 * ("ROOT/path: what: strerror"), mapping errno to SWIM_EACCESS (EACCES,
 * EPERM, EROFS), SWIM_ELIMIT (ENOSPC, EDQUOT) or SWIM_EIO, and returns
 * the code. */
int swim_rootdir_fail(const swim_rootdir *c, int err, const char *what,
                      const char *path);

/* The root as messages show it ("" for "/"). */
const char *swim_rootdir_shown(const swim_rootdir *c);

#endif
