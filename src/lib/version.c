/* Version comparison in one pass over the original strings: no copies,
 * no strlen, each segment walked once (rpmvercmp copies both strings and
 * walks every segment twice). The result must equal rpmvercmp's on every
 * input; tests/unit/test_version_rpm.c checks that against librpm. */
#include <stdbool.h>
#include <string.h>

#include "swim/error.h"
#include "swim/version.h"

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Bytes that are neither segment characters nor '~'/'^' only separate. */
static inline bool is_sep(char c)
{
	return !is_digit(c) && !is_alpha(c) && c != '~' && c != '^';
}

int swim_vercmp(const char *a, size_t alen, const char *b, size_t blen)
{
	const char *ae = a + alen, *be = b + blen;

	for (;;) {
		while (a < ae && is_sep(*a))
			a++;
		while (b < be && is_sep(*b))
			b++;

		/* '~' sorts before everything, even the end. */
		if ((a < ae && *a == '~') || (b < be && *b == '~')) {
			if (a == ae || *a != '~')
				return 1;
			if (b == be || *b != '~')
				return -1;
			a++;
			b++;
			continue;
		}
		/* '^' sorts after the end but before any segment. */
		if ((a < ae && *a == '^') || (b < be && *b == '^')) {
			if (a == ae)
				return -1;
			if (b == be)
				return 1;
			if (*a != '^')
				return 1;
			if (*b != '^')
				return -1;
			a++;
			b++;
			continue;
		}
		if (a == ae || b == be)
			break;

		if (is_digit(*a)) {
			int diff = 0;

			if (!is_digit(*b))
				return 1;  /* a number is newer than letters */
			while (a < ae && *a == '0')
				a++;
			while (b < be && *b == '0')
				b++;
			/* Equal lengths decide by the first differing digit;
			 * otherwise the longer number is larger. */
			while (a < ae && b < be && is_digit(*a) && is_digit(*b)) {
				if (!diff)
					diff = *a - *b;
				a++;
				b++;
			}
			if (a < ae && is_digit(*a))
				return 1;
			if (b < be && is_digit(*b))
				return -1;
			if (diff)
				return diff < 0 ? -1 : 1;
		} else {
			if (!is_alpha(*b))
				return -1;
			while (a < ae && b < be && is_alpha(*a) && is_alpha(*b)) {
				if (*a != *b)
					return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
				a++;
				b++;
			}
			if (a < ae && is_alpha(*a))
				return 1;
			if (b < be && is_alpha(*b))
				return -1;
		}
	}
	if (a == ae && b == be)
		return 0;
	return a < ae ? 1 : -1;
}

void swim_version_split(swim_version_parts *out, const char *evr)
{
	const char *s = evr, *dash = NULL;

	memset(out, 0, sizeof(*out));
	while (is_digit(*s))
		s++;
	if (*s == ':') {
		out->epoch = evr;
		out->epoch_len = (size_t)(s - evr);
		evr = s + 1;
	}
	for (s = evr; *s; s++)
		if (*s == '-')
			dash = s;
	out->version = evr;
	if (dash) {
		out->version_len = (size_t)(dash - evr);
		out->release = dash + 1;
		out->release_len = (size_t)(s - dash - 1);
	} else {
		out->version_len = (size_t)(s - evr);
	}
}

static int epoch_cmp(const swim_version_parts *a, const swim_version_parts *b)
{
	/* An absent or empty epoch is 0; digits compare as numbers. */
	return swim_vercmp(a->epoch_len ? a->epoch : "0",
	                   a->epoch_len ? a->epoch_len : 1,
	                   b->epoch_len ? b->epoch : "0",
	                   b->epoch_len ? b->epoch_len : 1);
}

int swim_version_compare(const char *a, const char *b)
{
	swim_version_parts pa, pb;
	int r;

	swim_version_split(&pa, a);
	swim_version_split(&pb, b);
	if ((r = epoch_cmp(&pa, &pb)) != 0)
		return r;
	if ((r = swim_vercmp(pa.version, pa.version_len, pb.version,
	                     pb.version_len)) != 0)
		return r;
	if (!pa.release || !pb.release)
		return pa.release ? 1 : pb.release ? -1 : 0;
	return swim_vercmp(pa.release, pa.release_len, pb.release,
	                   pb.release_len);
}

int swim_version__match_cmp(const char *provide, const char *constraint)
{
	swim_version_parts p, c;
	bool prel, crel;
	int r;

	swim_version_split(&p, provide);
	swim_version_split(&c, constraint);
	if ((r = epoch_cmp(&p, &c)) != 0)
		return r;
	if ((r = swim_vercmp(p.version, p.version_len, c.version,
	                     c.version_len)) != 0)
		return r;
	prel = p.release && p.release_len;
	crel = c.release && c.release_len;
	if (prel && crel)
		return swim_vercmp(p.release, p.release_len, c.release,
		                   c.release_len);
	if (!prel && crel)
		return -2;
	if (prel && !crel)
		return 2;
	return 0;
}

static bool version_char_ok(char c)
{
	return is_digit(c) || is_alpha(c) || c == '.' || c == '_' ||
	       c == '+' || c == '~' || c == '^';
}

int swim_version_check(const char *v, const swim_limits *lim)
{
	swim_version_parts p;
	size_t len;

	if (!lim)
		lim = swim_limits_default();
	if (!v || !*v)
		return swim_error_set(SWIM_EINVAL, "empty version");
	len = strlen(v);
	if (len > lim->version_max_bytes)
		return swim_error_set(SWIM_ELIMIT,
		                      "version is %zu bytes, longer than %llu",
		                      len,
		                      (unsigned long long)lim->version_max_bytes);
	swim_version_split(&p, v);
	if (p.epoch && (p.epoch_len == 0 || p.epoch_len > 10))
		return swim_error_set(SWIM_EINVAL,
		                      "version '%s': the epoch must be 1 to 10 digits",
		                      v);
	if (p.version_len == 0)
		return swim_error_set(SWIM_EINVAL,
		                      "version '%s' has an empty version part", v);
	if (p.release && p.release_len == 0)
		return swim_error_set(SWIM_EINVAL,
		                      "version '%s' has an empty release after '-'",
		                      v);
	for (size_t i = 0; i < p.version_len; i++)
		if (!version_char_ok(p.version[i]))
			goto bad_char;
	for (size_t i = 0; i < p.release_len; i++)
		if (!version_char_ok(p.release[i]))
			goto bad_char;
	return 0;
bad_char:
	return swim_error_set(SWIM_EINVAL,
	                      "version '%s' may contain only letters, digits and . _ + ~ ^ "
	                      "(with an optional 'epoch:' and one '-' before the release)",
	                      v);
}
