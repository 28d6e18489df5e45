#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "swim/buf.h"

/* Shared by every empty buffer; never written because cap is 0. */
char swim_buf__empty[1];

void swim_buf_init(swim_buf *buf, size_t max)
{
	buf->ptr = swim_buf__empty;
	buf->len = 0;
	buf->cap = 0;
	buf->max = max;
}

static size_t buf_max(const swim_buf *buf)
{
	return buf->max ? buf->max : SWIM_BUF_DEFAULT_MAX;
}

int swim_buf_grow(swim_buf *buf, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > buf_max(buf) || buf->len > buf_max(buf) - extra)
		return swim_error_set(SWIM_ELIMIT,
		                      "data exceeds the limit of %zu bytes",
		                      buf_max(buf));
	need = buf->len + extra + 1;
	if (need <= buf->cap)
		return 0;
	cap = buf->cap ? buf->cap : 64;
	while (cap < need)
		cap = cap > (size_t)-1 / 2 ? need : cap * 2;
	p = realloc(buf->cap ? buf->ptr : NULL, cap);
	if (!p)
		return swim_error_oom();
	if (!buf->cap)
		p[0] = '\0';
	buf->ptr = p;
	buf->cap = cap;
	return 0;
}

int swim_buf_put(swim_buf *buf, const void *data, size_t len)
{
	int rc;

	if (len == 0)
		return 0;
	/* Room already (and within the cap): the common case of writers
	 * appending small pieces. */
	if (len >= buf->cap - buf->len || len > buf_max(buf) - buf->len) {
		if ((rc = swim_buf_grow(buf, len)) < 0)
			return rc;
	}
	memcpy(buf->ptr + buf->len, data, len);
	buf->len += len;
	buf->ptr[buf->len] = '\0';
	return 0;
}

int swim_buf_puts(swim_buf *buf, const char *s)
{
	return swim_buf_put(buf, s, strlen(s));
}

int swim_buf_putc(swim_buf *buf, char c)
{
	return swim_buf_put(buf, &c, 1);
}

int swim_buf_vprintf(swim_buf *buf, const char *fmt, va_list ap)
{
	va_list cp;
	int n, rc;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return swim_error_set(SWIM_EINVAL, "bad format string");
	if ((rc = swim_buf_grow(buf, (size_t)n)) < 0)
		return rc;
	(void)vsnprintf(buf->ptr + buf->len, (size_t)n + 1, fmt, ap);
	buf->len += (size_t)n;
	return 0;
}

int swim_buf_printf(swim_buf *buf, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = swim_buf_vprintf(buf, fmt, ap);
	va_end(ap);
	return rc;
}

void swim_buf_truncate(swim_buf *buf, size_t len)
{
	if (len >= buf->len)
		return;
	buf->len = len;
	buf->ptr[len] = '\0';
}

void swim_buf_clear(swim_buf *buf)
{
	swim_buf_truncate(buf, 0);
}

char *swim_buf_detach(swim_buf *buf)
{
	char *p;

	if (buf->cap) {
		p = buf->ptr;
	} else {
		p = calloc(1, 1);
		if (!p) {
			(void)swim_error_oom();
			return NULL;
		}
	}
	swim_buf_init(buf, buf->max);
	return p;
}

void swim_buf_dispose(swim_buf *buf)
{
	if (buf->cap)
		free(buf->ptr);
	swim_buf_init(buf, buf->max);
}
