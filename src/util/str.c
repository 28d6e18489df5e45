#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "swim/error.h"
#include "util/str.h"

int swim_str_to_u64(uint64_t *out, const char *s, uint64_t max,
                    const char *what)
{
	unsigned long long v;
	char *end = NULL;

	if (!s || !*s || *s < '0' || *s > '9')
		return swim_error_set(SWIM_EINVAL, "%s: '%s' is not a number",
		                      what, s ? s : "");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE || v > max)
		return swim_error_set(SWIM_EINVAL,
		                      "%s: %s is larger than %llu", what, s,
		                      (unsigned long long)max);
	if (*end)
		return swim_error_set(SWIM_EINVAL, "%s: '%s' is not a number",
		                      what, s);
	*out = v;
	return 0;
}

int swim_str_to_i64(int64_t *out, const char *s, int64_t min, int64_t max,
                    const char *what)
{
	uint64_t mag;
	bool neg = false;
	int rc;

	if (s && (*s == '-' || *s == '+')) {
		neg = *s == '-';
		s++;
	}
	if ((rc = swim_str_to_u64(&mag, s, (uint64_t)INT64_MAX + 1, what)) < 0)
		return rc;
	if (!neg && mag > (uint64_t)INT64_MAX)
		return swim_error_set(SWIM_EINVAL, "%s: %s is out of range",
		                      what, s);
	if (neg) {
		int64_t v = mag == (uint64_t)INT64_MAX + 1
			? INT64_MIN : -(int64_t)mag;
		if (v < min)
			return swim_error_set(SWIM_EINVAL,
			                      "%s: -%s is out of range", what, s);
		*out = v;
		return 0;
	}
	if ((int64_t)mag > max)
		return swim_error_set(SWIM_EINVAL, "%s: %s is out of range",
		                      what, s);
	*out = (int64_t)mag;
	return 0;
}

/* Digits, optional fraction, optional exponent: what strtod() would
 * accept minus its extras (blanks, hex floats, "infinity", "nan(...)"). */
static bool is_real_syntax(const char *s)
{
	size_t digits = 0;

	if (*s == '+' || *s == '-')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits++;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			digits++;
	if (digits == 0)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

int swim_str_to_double(double *out, const char *s, const char *what)
{
	locale_t c_locale;
	char *end = NULL;
	double v;

	if (s && strcmp(s, "INF") == 0) {
		*out = INFINITY;
		return 0;
	}
	if (s && strcmp(s, "-INF") == 0) {
		*out = -INFINITY;
		return 0;
	}
	if (s && strcmp(s, "NaN") == 0) {
		*out = NAN;
		return 0;
	}
	if (!s || !is_real_syntax(s))
		return swim_error_set(SWIM_EINVAL, "%s: '%s' is not a number",
		                      what, s ? s : "");
	/* glibc hands out its static C locale here, without allocating. */
	if (!(c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0)))
		return swim_error_oom();
	errno = 0;
	v = strtod_l(s, &end, c_locale);
	freelocale(c_locale);
	if (errno == ERANGE && isinf(v))
		return swim_error_set(SWIM_EINVAL, "%s: %s is out of range",
		                      what, s);
	*out = v;
	return 0;
}

int swim_str_put_double(swim_buf *buf, double v, int digits)
{
	locale_t c_locale, old;
	char tmp[64];
	int n;

	if (isnan(v))
		return swim_buf_puts(buf, "NaN");
	if (isinf(v))
		return swim_buf_puts(buf, v < 0 ? "-INF" : "INF");
	if (!(c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0)))
		return swim_error_oom();
	old = uselocale(c_locale);
	n = snprintf(tmp, sizeof(tmp), "%.*g", digits, v);
	(void)uselocale(old);
	freelocale(c_locale);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return swim_error_set(SWIM_ERROR, "cannot format a real number");
	if (!strpbrk(tmp, ".eE")) {
		tmp[n++] = '.';
		tmp[n++] = '0';
		tmp[n] = '\0';
	}
	return swim_buf_put(buf, tmp, (size_t)n);
}

char *swim_strdup(const char *s)
{
	char *p;

	if (!s)
		return NULL;
	if (!(p = strdup(s)))
		(void)swim_error_oom();
	return p;
}

char *swim_strndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (!p)
		(void)swim_error_oom();
	return p;
}

int swim_str_set(char **dst, const char *src)
{
	char *p = NULL;

	if (src && !(p = swim_strdup(src)))
		return SWIM_ENOMEM;
	free(*dst);
	*dst = p;
	return 0;
}

bool swim_str_is_utf8(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (len - i <= n)
			return false;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

bool swim_str_has_ctrl(const char *s, size_t len, bool allow_space_ctrl)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != 0x7f)
			continue;
		if (allow_space_ctrl && (c == '\t' || c == '\n' || c == '\r'))
			continue;
		return true;
	}
	return false;
}

/* Length of the valid UTF-8 sequence at s (1 for ASCII), 0 if invalid. */
static size_t utf8_seq_len(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];
	size_t n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;

	if (n > len || !swim_str_is_utf8(s, n))
		return 0;
	return n;
}

int swim_str_escape(swim_buf *buf, const char *s, size_t len)
{
	size_t i = 0;
	int rc = 0;

	while (i < len && rc == 0) {
		unsigned char c = (unsigned char)s[i];
		size_t n = utf8_seq_len(s + i, len - i);

		if (n == 0 || c < 0x20 || c == 0x7f || c == '\\') {
			rc = swim_buf_printf(buf, "\\x%02x", c);
			i++;
			continue;
		}
		rc = swim_buf_put(buf, s + i, n);
		i += n;
	}
	return rc;
}

bool swim_str_ieq(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;

		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return false;
		if (!x)
			return true;
	}
}

bool swim_str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

int swim_str_text_copy(char **out, const char *text, size_t len,
                       const char *origin)
{
	char *copy;

	*out = NULL;
	if (!(copy = swim_strndup(text, len)))
		return SWIM_ENOMEM;
	if (strlen(copy) != len || swim_str_has_ctrl(copy, len, true) ||
	    !swim_str_is_utf8(copy, len)) {
		free(copy);
		return swim_error_set(SWIM_EINVAL,
		                      "%s: not a text file (control characters or invalid UTF-8)",
		                      origin);
	}
	*out = copy;
	return 0;
}

char *swim_str_next_line(char **pos)
{
	char *line = *pos, *nl;

	if (!*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*pos = nl + 1;
	} else {
		*pos = line + strlen(line);
	}
	return line;
}
