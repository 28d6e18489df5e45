/* File helpers: bounded reads and atomic writes. */
#ifndef SWIM_UTIL_FS_H
#define SWIM_UTIL_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "swim/buf.h"

/* Appends the whole file at `path` to buf; the buffer's max bounds the
 * size (SWIM_ELIMIT past it). SWIM_ENOTFOUND when the file does not
 * exist; the message names the path. */
int swim_fs_read_file(swim_buf *buf, const char *path);

/* Same for an open descriptor; `name` is used in messages. */
int swim_fs_read_fd(swim_buf *buf, int fd, const char *name);

/* Reads an operator's file (users, keys): it must be a regular file
 * without any of the `refused` mode bits (S_IWOTH: writable by everyone,
 * S_IROTH: readable by everyone), else SWIM_EINVAL or SWIM_EACCESS.
 * Messages name it as "<what> <path>" ("users file /etc/swim/users"). */
int swim_fs_read_guarded(swim_buf *buf, const char *path, const char *what,
                         mode_t refused);

/* Writes data to `path` atomically: a temporary file in the same
 * directory, fsync, rename over the target, fsync of the directory. On
 * failure the old file (if any) is untouched and no temporary is left. */
int swim_fs_write_atomic(const char *path, const void *data, size_t len,
                         mode_t mode);

/* A file written in place of `path` (borrowed) as a stream:
 * swim_fs_atomic_begin() opens a temporary beside it (a->fd);
 * swim_fs_atomic_commit() gives it `mode`, syncs it, renames it over path
 * and syncs the directory; swim_fs_atomic_abort() closes and removes
 * what is left, and does nothing after a commit, so it can sit in the
 * cleanup path unconditionally. */
typedef struct swim_fs_atomic {
	int fd;
	const char *path;
	swim_buf tmp;          /* the temporary's name, empty once renamed */
} swim_fs_atomic;

int swim_fs_atomic_begin(swim_fs_atomic *a, const char *path);
int swim_fs_atomic_commit(swim_fs_atomic *a, mode_t mode);
void swim_fs_atomic_abort(swim_fs_atomic *a);

/* write(2) until done; `name` is used in messages. */
int swim_fs_write_all(int fd, const void *data, size_t len, const char *name);

/* pwrite(2) of len bytes at off until done: 0, or the negative errno of
 * the failure (no message: callers name the file as their users know
 * it). */
int swim_fs_pwrite_all(int fd, const void *data, size_t len, uint64_t off);

/* Calls fn with the file's content, block by block; fn's failure ends
 * the reading and is returned. */
typedef int (*swim_fs_block_fn)(void *ctx, const void *block, size_t len);
int swim_fs_each_block(const char *path, swim_fs_block_fn fn, void *ctx);

/* Appends the file at src to fd (named `name` in messages); more than
 * max bytes is SWIM_ELIMIT. */
int swim_fs_copy(int fd, const char *src, uint64_t max, const char *name);

/* fsync of the directory holding `path`, so a rename into it is durable. */
int swim_fs_sync_parent(const char *path);

/* mkdir -p with `mode` for the directories it creates. */
int swim_fs_mkdir_p(const char *path, mode_t mode);

/* Removes everything below the directory dirfd (not the directory
 * itself), never following a symlink; best effort. */
void swim_fs_empty_dir(int dirfd);

/* Opens the directory `rel` ("var/lib/swim") below the directory root_fd
 * with every component resolved inside the root, symlinks included, as if
 * root_fd were "/" (openat2 RESOLVE_IN_ROOT): nothing outside the root is
 * ever reached. With `create`, missing components are made with exactly
 * `mode` (whatever the umask). `shown` names the root in messages.
 * @param[out] out_fd an O_RDONLY|O_DIRECTORY descriptor, -1 on failure.
 * SWIM_ENOTFOUND when a component is missing (and not create). */
int swim_fs_open_dir_in_root(int *out_fd, int root_fd, const char *rel,
                             bool create, mode_t mode, const char *shown);

#endif
