/* File helpers: bounded reads and atomic writes. */
#ifndef SWIM_UTIL_FS_H
#define SWIM_UTIL_FS_H

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

/* Writes data to `path` atomically: a temporary file in the same
 * directory, fsync, rename over the target, fsync of the directory. On
 * failure the old file (if any) is untouched and no temporary is left. */
int swim_fs_write_atomic(const char *path, const void *data, size_t len,
                         mode_t mode);

/* A temporary file next to `path` (PATH.part-XXXXXX, which
 * swim_fetch_is_partial() recognises), for content that must appear at
 * path complete or not at all. Commit: mode, fsync, rename over path,
 * fsync of the directory; abort: close and unlink. Both end the
 * temporary, on failure too. */
int swim_fs_tmp_create(int *fd, swim_buf *tmp, const char *path);
int swim_fs_tmp_commit(int fd, swim_buf *tmp, const char *path, mode_t mode);
void swim_fs_tmp_abort(int fd, swim_buf *tmp);

/* write(2) until done; `name` is used in messages. */
int swim_fs_write_all(int fd, const void *data, size_t len, const char *name);

/* Appends the file at src to fd (named `name` in messages); more than
 * max bytes is SWIM_ELIMIT. */
int swim_fs_copy(int fd, const char *src, uint64_t max, const char *name);

/* fsync of the directory holding `path`, so a rename into it is durable. */
int swim_fs_sync_parent(const char *path);

/* mkdir -p with `mode` for the directories it creates. */
int swim_fs_mkdir_p(const char *path, mode_t mode);

#endif
