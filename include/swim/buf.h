/* swim — the one growable byte buffer, with a size cap.
 *
 * Invariants (as git's strbuf): `ptr` is never NULL and always has a NUL
 * at ptr[len], so it can be used as a C string; `max` is the most bytes
 * the buffer may ever hold (0 means SWIM_BUF_DEFAULT_MAX). Every buffer
 * that network, archive or depot input fills is given the limit that
 * applies to that input, so a hostile peer cannot make it grow without
 * bound.
 */
#ifndef SWIM_BUF_H
#define SWIM_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "swim/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct swim_buf {
	char *ptr;
	size_t len;
	size_t cap;  /* allocated bytes, 0 while ptr is the shared empty string */
	size_t max;  /* cap on len */
} swim_buf;

#define SWIM_BUF_DEFAULT_MAX ((size_t)64 << 20)

extern char swim_buf__empty[];
#define SWIM_BUF_INIT(limit) { swim_buf__empty, 0, 0, (limit) }

void swim_buf_init(swim_buf *buf, size_t max);

/* Make room for `extra` more bytes. SWIM_ELIMIT when len + extra > max. */
int swim_buf_grow(swim_buf *buf, size_t extra);

int swim_buf_put(swim_buf *buf, const void *data, size_t len);
int swim_buf_puts(swim_buf *buf, const char *s);
int swim_buf_putc(swim_buf *buf, char c);
int swim_buf_printf(swim_buf *buf, const char *fmt, ...) SWIM_PRINTF(2, 3);
int swim_buf_vprintf(swim_buf *buf, const char *fmt, va_list ap)
	SWIM_PRINTF(2, 0);

/* Keep the first `len` bytes (len <= buf->len). */
void swim_buf_truncate(swim_buf *buf, size_t len);
void swim_buf_clear(swim_buf *buf);

/* Hands the bytes (NUL-terminated) to the caller, who frees them with
 * free(); the buffer is left empty and reusable. Never NULL unless out of
 * memory. */
char *swim_buf_detach(swim_buf *buf);

/* Frees the memory and leaves the buffer empty; safe to call twice. */
void swim_buf_dispose(swim_buf *buf);

#ifdef __cplusplus
}
#endif
#endif
