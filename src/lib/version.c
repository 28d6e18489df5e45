/* Version comparison without copies, in one walk over the original
 * strings. rpmvercmp copies both strings to the stack and walks every
 * segment twice, and an EVR compare built on it splits both strings
 * first; here the common prefix of the two strings is skipped a word at a
 * time, the compare starts at the segment that holds the first
 * difference, and the end of a version part (its last '-') is looked for
 * only when the walk gets there. The result must equal rpmvercmp's on
 * every input: tests/unit/test_version_rpm.c checks that against librpm,
 * test_constraint_solv.c against libsolv. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "swim/error.h"
#include "swim/version.h"

/* Byte classes of rpmvercmp: digit and letter segments, the two markers,
 * and everything else, which only separates (non-ASCII bytes too); '-'
 * separates too, but its last occurrence ends a version part. */
enum { SEP = 0, DASH, DIGIT, ALPHA, TILDE, CARET };

static const unsigned char byte_class[256] = {
	['-'] = DASH,
	['0' ... '9'] = DIGIT,
	['a' ... 'z'] = ALPHA,
	['A' ... 'Z'] = ALPHA,
	['~'] = TILDE,
	['^'] = CARET,
};

static inline int cls(const char *p)
{
	return byte_class[(unsigned char)*p];
}

static inline bool is_sep(const char *p)
{
	return cls(p) <= DASH;
}

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

static inline size_t first_diff(uint64_t x, uint64_t y)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (size_t)__builtin_ctzll(x ^ y) / 8;
#else
	return (size_t)__builtin_clzll(x ^ y) / 8;
#endif
}

/* The high bit of every byte of x that is '-' (exact, no carries). */
static inline uint64_t dash_bytes(uint64_t x)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL;
	uint64_t t = x ^ 0x2d2d2d2d2d2d2d2dULL;

	return ~(((t & low7) + low7) | t | low7);
}

/* The bits of the first n (< 8) bytes of a word as loaded from memory. */
static inline uint64_t first_bytes(uint64_t x, size_t n)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return x & ((UINT64_C(1) << (8 * n)) - 1);
#else
	return n ? x >> (64 - 8 * n) : 0;
#endif
}

/* Length of the common prefix of a and b (n bytes each), a word at a
 * time; the last word overlaps the one before rather than going byte by
 * byte. With `dash`, also whether the prefix holds a '-'. */
static inline size_t common_prefix(const char *a, const char *b, size_t n,
                                   bool *dash)
{
	uint64_t x, y, d = 0;
	size_t i, k;

	if (n < sizeof(x)) {
		for (i = 0; i < n && a[i] == b[i]; i++)
			d |= a[i] == '-';
		k = i;
		goto out;
	}
	for (i = 0; i + sizeof(x) < n; i += sizeof(x)) {
		memcpy(&x, a + i, sizeof(x));
		memcpy(&y, b + i, sizeof(y));
		if (x != y) {
			k = first_diff(x, y);
			d |= first_bytes(dash_bytes(x), k);
			k += i;
			goto out;
		}
		d |= dash_bytes(x);
	}
	i = n - sizeof(x);
	memcpy(&x, a + i, sizeof(x));
	memcpy(&y, b + i, sizeof(y));
	k = x != y ? first_diff(x, y) : sizeof(x);
	d |= k < sizeof(x) ? first_bytes(dash_bytes(x), k) : dash_bytes(x);
	k += i;
out:
	if (dash)
		*dash = d != 0;
	return k;
}

/* Whether s[0..len) holds a '-'; short spans are not worth a call. */
static bool has_dash(const char *s, size_t len)
{
	if (len > 8)
		return memchr(s, '-', len) != NULL;
	while (len > 0)
		if (s[--len] == '-')
			return true;
	return false;
}

/* rpmvercmp's loop, from a and b (each at the start of a segment, a
 * marker or separators) to ae and be. With `evr`, a and b are inside the
 * version parts of whole version-release strings ending at ae and be: a
 * '-' with none after it ends a version part, and when the versions are
 * equal the releases decide, a missing one sorting first. */
static int walk(const char *a, const char *ae, const char *b, const char *be,
                bool evr)
{
	const char *a_end = ae, *b_end = be;
	const char *a_rel = NULL, *b_rel = NULL;

	for (;;) {
		for (; a < ae && is_sep(a); a++)
			if (evr && *a == '-' && !has_dash(a + 1, (size_t)(ae - a - 1))) {
				a_rel = a + 1;
				ae = a;
				break;
			}
		for (; b < be && is_sep(b); b++)
			if (evr && *b == '-' && !has_dash(b + 1, (size_t)(be - b - 1))) {
				b_rel = b + 1;
				be = b;
				break;
			}

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

		if (cls(a) == DIGIT) {
			int diff = 0;

			if (cls(b) != DIGIT)
				return 1;  /* a number is newer than letters */
			while (a < ae && *a == '0')
				a++;
			while (b < be && *b == '0')
				b++;
			/* Equal lengths decide by the first differing digit;
			 * otherwise the longer number is larger. */
			while (a < ae && b < be && cls(a) == DIGIT &&
			       cls(b) == DIGIT) {
				if (!diff)
					diff = *a - *b;
				a++;
				b++;
			}
			if (a < ae && cls(a) == DIGIT)
				return 1;
			if (b < be && cls(b) == DIGIT)
				return -1;
			if (diff)
				return diff < 0 ? -1 : 1;
		} else {
			if (cls(b) != ALPHA)
				return -1;
			while (a < ae && b < be && cls(a) == ALPHA &&
			       cls(b) == ALPHA) {
				if (*a != *b)
					return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
				a++;
				b++;
			}
			if (a < ae && cls(a) == ALPHA)
				return 1;
			if (b < be && cls(b) == ALPHA)
				return -1;
		}
	}
	if (a < ae || b < be)
		return a < ae ? 1 : -1;
	if (!evr)
		return 0;
	/* Equal versions. The walk has passed every '-', so a side without
	 * a release has none. */
	if (!a_rel || !b_rel)
		return a_rel ? 1 : b_rel ? -1 : 0;
	return swim_vercmp(a_rel, (size_t)(a_end - a_rel), b_rel,
	                   (size_t)(b_end - b_rel));
}

/* Where the digit or letter run of `a` that ends at k starts (k when
 * a[k - 1] is neither). */
static size_t run_start(const char *a, size_t k)
{
	int c = k > 0 ? cls(a + k - 1) : SEP;

	if (c != DIGIT && c != ALPHA)
		return k;
	while (k > 0 && cls(a + k - 1) == c)
		k--;
	return k;
}

/* Two digit runs that start at the same offset without a leading zero
 * and first differ at k: the longer number is larger, and of two as long
 * the digit at k decides. */
static inline int digit_runs(const char *a, size_t alen, const char *b,
                             size_t blen, size_t k)
{
	size_t ea = k, eb = k;

	while (ea < alen && cls(a + ea) == DIGIT)
		ea++;
	while (eb < blen && cls(b + eb) == DIGIT)
		eb++;
	if (ea != eb)
		return ea > eb ? 1 : -1;
	return (unsigned char)a[k] < (unsigned char)b[k] ? -1 : 1;
}

static inline bool is_segment(int c)
{
	return c == DIGIT || c == ALPHA;
}

/* Compares a[0..alen) and b[0..blen) (or, with `evr`, two
 * version-release strings from inside their version parts) that are
 * equal up to k and differ at k.
 *
 * Equal bytes compare equal: what precedes the segment that holds the
 * first difference is whole segments, separators and markers, walked
 * alike. That segment starts at j in both strings, and most of the time
 * its first difference decides. */
static inline int vercmp_at(const char *a, size_t alen, const char *b,
                            size_t blen, size_t k, bool evr)
{
	size_t j = run_start(a, k);
	int ca = k < alen ? cls(a + k) : SEP, cb = k < blen ? cls(b + k) : SEP;
	int c;

	if (j == k) {
		/* New segments on both sides, differing in their first byte. */
		if (!is_segment(ca) || !is_segment(cb))
			goto walk;
		if (ca != cb)
			return ca == DIGIT ? 1 : -1;  /* digits beat letters */
		if (ca == DIGIT && (a[k] == '0' || b[k] == '0'))
			goto walk;  /* leading zeros: the walk strips them */
		if (ca == DIGIT)
			return digit_runs(a, alen, b, blen, k);
		return (unsigned char)a[k] < (unsigned char)b[k] ? -1 : 1;
	}
	c = cls(a + j);
	if (c == DIGIT && a[j] == '0')
		goto walk;
	if (c == DIGIT && (ca == DIGIT || cb == DIGIT))
		return digit_runs(a, alen, b, blen, k);
	if (ca == c && cb == c)
		return (unsigned char)a[k] < (unsigned char)b[k] ? -1 : 1;
	if ((ca == c) != (cb == c))
		return ca == c ? 1 : -1;
	j = k;  /* both segments end at k, equal */
walk:
	return walk(a + j, a + alen, b + j, b + blen, evr);
}

int swim_vercmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t k = common_prefix(a, b, min_size(alen, blen), NULL);

	if (k == alen && k == blen)
		return 0;
	return vercmp_at(a, alen, b, blen, k, false);
}

/* Splits a string of known length; the epoch is `digits:` at the start. */
static void split_len(swim_version_parts *out, const char *evr, size_t len)
{
	const char *s = evr, *end = evr + len, *dash;

	memset(out, 0, sizeof(*out));
	while (is_digit(*s))
		s++;
	if (*s == ':') {
		out->epoch = evr;
		out->epoch_len = (size_t)(s - evr);
		evr = s + 1;
	}
	dash = memrchr(evr, '-', (size_t)(end - evr));
	out->version = evr;
	out->version_len = (size_t)((dash ? dash : end) - evr);
	if (dash) {
		out->release = dash + 1;
		out->release_len = (size_t)(end - dash - 1);
	}
}

void swim_version_split(swim_version_parts *out, const char *evr)
{
	split_len(out, evr, strlen(evr));
}

static int epoch_cmp(const swim_version_parts *a, const swim_version_parts *b)
{
	/* An absent or empty epoch is 0; digits compare as numbers. */
	return swim_vercmp(a->epoch_len ? a->epoch : "0",
	                   a->epoch_len ? a->epoch_len : 1,
	                   b->epoch_len ? b->epoch : "0",
	                   b->epoch_len ? b->epoch_len : 1);
}

/* Compares two versions split into parts first. */
static int compare_split(const char *a, size_t alen, const char *b,
                         size_t blen)
{
	swim_version_parts pa, pb;
	int r;

	split_len(&pa, a, alen);
	split_len(&pb, b, blen);
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

/* The common prefix of the whole strings decides where to start. An
 * epoch that ends inside it is equal on both sides. With no '-' in it,
 * the first difference is in the version parts of both strings. With a
 * '-' in it and none after the first difference, both strings have the
 * same last '-', before the difference, which is then in the release
 * parts. Anything else (epochs that differ, a '-' on both sides of the
 * difference) is split first. */
int swim_version_compare(const char *a, const char *b)
{
	size_t alen = strlen(a), blen = strlen(b), v = 0, w = 0, k;
	bool dash;

	k = common_prefix(a, b, min_size(alen, blen), &dash);
	if (k == alen && k == blen)
		return 0;
	while (is_digit(a[v]))
		v++;
	if (v >= k) {
		while (is_digit(b[w]))
			w++;
		if (a[v] == ':' || b[w] == ':')
			return compare_split(a, alen, b, blen);
	}
	if (!dash)  /* none before k: k is in the version parts */
		return vercmp_at(a, alen, b, blen, k, true);
	if (has_dash(a + k, alen - k) || has_dash(b + k, blen - k))
		return compare_split(a, alen, b, blen);
	/* k is in the release parts, and the walk starts after the '-' */
	return vercmp_at(a, alen, b, blen, k, false);
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
	return cls(&c) >= DIGIT || c == '.' || c == '_' || c == '+';
}

#define VERSION_CHARS \
	"a version may contain only letters, digits and . _ + ~ ^ (with an " \
	"optional 'epoch:' and one '-' before the release)"

/* Names the first byte of v[from..from+len) that no version may contain;
 * control and non-ASCII bytes by value, never echoed. */
static int check_chars(const char *v, size_t from, size_t len)
{
	for (size_t i = from; i < from + len; i++) {
		unsigned char c = (unsigned char)v[i];

		if (version_char_ok((char)c))
			continue;
		if (c < 0x20 || c >= 0x7f)
			return swim_error_set(SWIM_EINVAL,
			                      "version has a control or non-ASCII byte "
			                      "(0x%02x) at position %zu; " VERSION_CHARS,
			                      c, i + 1);
		return swim_error_set(SWIM_EINVAL,
		                      "version '%s' has '%c' at position %zu; "
		                      VERSION_CHARS, v, c, i + 1);
	}
	return 0;
}

int swim_version_check(const char *v, const swim_limits *lim)
{
	swim_version_parts p;
	size_t len;
	int rc;

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
	if ((rc = check_chars(v, (size_t)(p.version - v), p.version_len)) < 0 ||
	    (p.release && (rc = check_chars(v, (size_t)(p.release - v),
	                                    p.release_len)) < 0))
		return rc;
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
	return 0;
}
