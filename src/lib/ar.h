/* The .vib container: an `ar` archive (GNU/SVR4 variant, as binutils'
 * `ar` writes), through libarchive. Members are written with fixed
 * metadata (mtime 0, uid/gid 0, mode 0644) so that equal content gives
 * byte-identical archives, and read as streams, block by block. */
#ifndef SWIM_LIB_AR_H
#define SWIM_LIB_AR_H

#include <stddef.h>
#include <stdint.h>

#include "swim/buf.h"
#include "swim/limits.h"

typedef struct swim_ar_writer swim_ar_writer;

/* Writes an ar archive to fd (not closed). `name` names it in errors.
 * @param[out] out freed with swim_ar_writer_free(). */
int swim_ar_writer_new(swim_ar_writer **out, int fd, const char *name);

/* Starts a member of exactly `size` bytes; swim_ar_writer_write() then
 * supplies them. Member names are at most 15 bytes. */
int swim_ar_writer_begin(swim_ar_writer *w, const char *member,
                         uint64_t size);
int swim_ar_writer_write(swim_ar_writer *w, const void *data, size_t len);

/* A whole member from memory. */
int swim_ar_writer_add(swim_ar_writer *w, const char *member,
                       const void *data, size_t len);

/* A whole member copied from `size` bytes of fd, starting at offset 0. */
int swim_ar_writer_add_fd(swim_ar_writer *w, const char *member, int fd,
                          uint64_t size);

/* Completes the archive; everything has reached fd when it returns 0. */
int swim_ar_writer_finish(swim_ar_writer *w);

void swim_ar_writer_free(swim_ar_writer *w);

typedef struct swim_ar_reader swim_ar_reader;

/* Reads the ar archive from fd (from its current offset; not closed) or
 * from memory (borrowed until freed). Member count is bounded by
 * lim->archive_max_members. Messages name the member, not the archive:
 * the caller knows what it opened and adds that in front.
 * @param[out] out freed with swim_ar_reader_free(). */
int swim_ar_reader_open_fd(swim_ar_reader **out, int fd,
                           const swim_limits *lim);
int swim_ar_reader_open_memory(swim_ar_reader **out, const void *data,
                               size_t len, const swim_limits *lim);

/* Moves to the next member: 1 with its name (borrowed until the next
 * call) and size, 0 after the last. Unread bytes of the previous member
 * are skipped. A second member of the same name is SWIM_EINVAL
 * ("duplicate member"). */
int swim_ar_reader_next(swim_ar_reader *r, const char **name,
                        uint64_t *size);

/* The next block of the current member (borrowed until the next call);
 * *len is 0 at its end. A member cut short is SWIM_EINVAL naming it. */
int swim_ar_reader_read(swim_ar_reader *r, const void **data, size_t *len);

/* The rest of the current member appended to buf; SWIM_ELIMIT past the
 * buffer's max. */
int swim_ar_reader_read_all(swim_ar_reader *r, swim_buf *buf);

void swim_ar_reader_free(swim_ar_reader *r);

#endif
