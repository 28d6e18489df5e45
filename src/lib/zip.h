/* Zip archives through libarchive: reading metadata.zip and offline
 * bundles under limits, writing them reproducibly. */
#ifndef SWIM_LIB_ZIP_H
#define SWIM_LIB_ZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "swim/buf.h"
#include "swim/limits.h"

typedef struct swim_zip swim_zip;

/* Opens a zip held in memory (borrowed until swim_zip_free) or in a
 * file. `what` names it in messages ("metadata.zip"); members are
 * bounded by depot_max_entries and archive_path_max_bytes.
 * @param[out] out freed with swim_zip_free(). */
int swim_zip_open_memory(swim_zip **out, const void *data, size_t len,
                         const char *what, const swim_limits *lim);
int swim_zip_open_file(swim_zip **out, const char *path, const char *what,
                       const swim_limits *lim);

/* Moves to the next file member: 1 with its name (borrowed until the
 * next call) and declared size, 0 at the end. Directories are skipped. */
int swim_zip_next(swim_zip *z, const char **name, uint64_t *size);

/* Appends the current member's content to buf (buf->max bounds it). */
int swim_zip_read(swim_zip *z, swim_buf *buf);

/* Writes the current member's content to fd, at most max bytes. */
int swim_zip_copy(swim_zip *z, int fd, uint64_t max, const char *name);

/* The zip's name for messages. */
const char *swim_zip_what(const swim_zip *z);

void swim_zip_free(swim_zip *z);

typedef struct swim_zip_writer swim_zip_writer;

/* Writes a zip into buf or to fd; every member gets `mtime` and fixed
 * owner and mode, so the same members in the same order give the same
 * bytes. @param[out] out freed with swim_zip_writer_free(). */
int swim_zip_writer_new_buf(swim_zip_writer **out, swim_buf *buf,
                            int64_t mtime);
int swim_zip_writer_new_fd(swim_zip_writer **out, int fd, int64_t mtime);

/* Adds a member from memory, deflated or stored. */
int swim_zip_add(swim_zip_writer *w, const char *name, const void *data,
                 size_t len, bool deflate);

/* Adds a member from the file at path (its size as it is now). */
int swim_zip_add_file(swim_zip_writer *w, const char *name,
                      const char *path, bool deflate);

/* Writes the central directory; nothing may be added after. */
int swim_zip_writer_close(swim_zip_writer *w);
void swim_zip_writer_free(swim_zip_writer *w);

#endif
