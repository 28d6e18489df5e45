/* Differential tests: swim's version comparison against librpm.
 *
 * swim_vercmp() must give rpmvercmp()'s answer on every pair of strings,
 * and swim_version_compare() must give the answer of the plain
 * definition built on rpmvercmp (split each string at the epoch ':' and
 * the last '-', compare epochs, versions, releases; a missing release
 * first). The pairs are generated from a fixed seed; SWIM_TEST_SEED
 * overrides it, and every mismatch prints the seed and the pair.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rpm/rpmlib.h>

#include "support/rng.h"
#include "support/testutil.h"
#include "swim/version.h"
#include "util/str.h"

#define N_VERCMP_PAIRS 200000
#define N_EVR_PAIRS 150000
#define STR_MAX 48

typedef swim_test_rng rng;

static unsigned below(rng *r, unsigned n)
{
	return swim_test_rng_below(r, n);
}

static uint64_t test_seed(void)
{
	return swim_test_seed(0x5717e5eedULL);
}

/* Digits (often zeros), letters, every marker and separator rpm knows,
 * other punctuation and a non-ASCII byte, which only separate. */
static const char alphabet[] = "0123456789000000abcxyzABXZ..~~^^__++--:\xc3\xa9@";

static char pick(rng *r)
{
	return alphabet[below(r, sizeof(alphabet) - 1)];
}

/* A run of one kind, so that segments are longer than a byte: digits
 * (sometimes longer than 64 bits), letters, or one other byte. */
static size_t gen_run(rng *r, char *out, size_t room)
{
	unsigned kind = below(r, 4), n;
	size_t i;

	n = kind == 0 && below(r, 20) == 0 ? 20 + below(r, 10) : 1 + below(r, 4);
	if (n > room)
		n = (unsigned)room;
	for (i = 0; i < n; i++) {
		if (kind == 0)
			out[i] = (char)('0' + below(r, i == 0 ? 3 : 10));
		else if (kind == 1)
			out[i] = "abczAZ"[below(r, 6)];
		else
			out[i] = pick(r);
	}
	return n;
}

static void gen_string(rng *r, char *out)
{
	size_t n = 0, len = below(r, 14);

	while (n < len && n < STR_MAX - 1)
		n += gen_run(r, out + n, STR_MAX - 1 - n);
	out[n] = '\0';
}

/* b = a with a few bytes changed, inserted or removed: pairs that share
 * long prefixes, as real versions do. */
static void mutate(rng *r, const char *a, char *b)
{
	size_t len = strlen(a);
	unsigned edits = 1 + below(r, 2);

	memcpy(b, a, len + 1);
	while (edits--) {
		size_t at = len ? below(r, (unsigned)len + 1) : 0;

		switch (below(r, 3)) {
		case 0:
			if (at < len)
				b[at] = pick(r);
			break;
		case 1:
			if (len + 1 < STR_MAX) {
				memmove(b + at + 1, b + at, len - at + 1);
				b[at] = pick(r);
				len++;
			}
			break;
		default:
			if (at < len) {
				memmove(b + at, b + at + 1, len - at);
				len--;
			}
			break;
		}
	}
}

static int sign(int v)
{
	return v < 0 ? -1 : v > 0;
}

static void gen_pair(rng *r, char *a, char *b)
{
	gen_string(r, a);
	if (below(r, 2))
		mutate(r, a, b);
	else
		gen_string(r, b);
}

static void test_version_rpm__vercmp_random(void **state)
{
	uint64_t seed = test_seed();
	rng r = { seed };
	size_t fails = 0;

	(void)state;
	for (size_t i = 0; i < N_VERCMP_PAIRS; i++) {
		char a[STR_MAX], b[STR_MAX];
		int want, got, back;

		gen_pair(&r, a, b);
		want = sign(rpmvercmp(a, b));
		got = swim_vercmp(a, strlen(a), b, strlen(b));
		back = swim_vercmp(b, strlen(b), a, strlen(a));
		if (got != want || back != -want) {
			if (fails++ < 10)
				print_error("seed %llu pair %zu: swim_vercmp('%s', '%s') = %d "
				            "(reversed %d), rpmvercmp = %d\n",
				            (unsigned long long)seed, i, a, b, got,
				            back, want);
		}
	}
	if (fails)
		fail_msg("%zu of %d pairs disagree with rpmvercmp", fails,
		         N_VERCMP_PAIRS);
}

/* The definition swim_version_compare() implements, on rpmvercmp: rpm's
 * parseEVR split, epochs with absent = 0, versions, then releases with a
 * missing release first. */
static int reference_compare(const char *a, const char *b)
{
	char sa[STR_MAX * 2], sb[STR_MAX * 2];
	char *parts[2][3];
	const char *in[2] = { a, b };
	char *buf[2] = { sa, sb };
	int r;

	for (int k = 0; k < 2; k++) {
		char *s = buf[k], *p, *dash;

		memcpy(s, in[k], strlen(in[k]) + 1);
		for (p = s; *p >= '0' && *p <= '9'; p++)
			;
		parts[k][0] = (char *)"0";
		if (*p == ':') {
			*p++ = '\0';
			if (*s)
				parts[k][0] = s;
		} else {
			p = s;
		}
		parts[k][1] = p;
		parts[k][2] = NULL;
		if ((dash = strrchr(p, '-'))) {
			*dash = '\0';
			parts[k][2] = dash + 1;
		}
	}
	if ((r = rpmvercmp(parts[0][0], parts[1][0])) != 0)
		return sign(r);
	if ((r = rpmvercmp(parts[0][1], parts[1][1])) != 0)
		return sign(r);
	if (!parts[0][2] || !parts[1][2])
		return parts[0][2] ? 1 : parts[1][2] ? -1 : 0;
	return sign(rpmvercmp(parts[0][2], parts[1][2]));
}

/* `[epoch:]version[-release]` with every part optional, epochs with
 * leading zeros, empty epochs and releases, and now and then a second
 * '-' or ':' where they do not belong. */
static void gen_evr(rng *r, char *out)
{
	char part[STR_MAX];
	size_t n = 0;

	out[0] = '\0';
	switch (below(r, 8)) {
	case 0: n = (size_t)snprintf(out, STR_MAX, "%u:", below(r, 3)); break;
	case 1: n = (size_t)snprintf(out, STR_MAX, "00%u:", below(r, 3)); break;
	case 2: n = (size_t)snprintf(out, STR_MAX, ":"); break;
	default: break;
	}
	gen_string(r, part);
	part[STR_MAX / 3] = '\0';
	n += (size_t)snprintf(out + n, STR_MAX - n, "%s", part);
	if (below(r, 4)) {
		gen_string(r, part);
		part[STR_MAX / 3] = '\0';
		(void)snprintf(out + n, STR_MAX - n, "-%s", part);
	}
}

static void test_version_rpm__evr_random(void **state)
{
	uint64_t seed = test_seed() ^ 0xe5e5;
	rng r = { seed };
	size_t fails = 0;

	(void)state;
	for (size_t i = 0; i < N_EVR_PAIRS; i++) {
		char a[STR_MAX], b[STR_MAX];
		int want, got;

		gen_evr(&r, a);
		if (below(&r, 3))
			mutate(&r, a, b);
		else
			gen_evr(&r, b);
		want = reference_compare(a, b);
		got = swim_version_compare(a, b);
		if (got != want || swim_version_compare(b, a) != -want) {
			if (fails++ < 10)
				print_error("seed %llu pair %zu: swim_version_compare('%s', '%s') "
				            "= %d, rpmvercmp on the parts = %d\n",
				            (unsigned long long)seed, i, a, b, got,
				            want);
		}
	}
	if (fails)
		fail_msg("%zu of %d pairs disagree", fails, N_EVR_PAIRS);
}

/* Pairs picked by hand where the shortcuts of swim's compare matter: the
 * first difference in a leading-zero run, at a segment end, at the '-'
 * or ':', with an equal prefix that ends in a marker. */
static void test_version_rpm__edges(void **state)
{
	static const char *const pairs[][2] = {
		{ "1.0-1", "1.0-1" }, { "1.00-1", "1.0-2" }, { "1.0-1", "1.0.0-1" },
		{ "007", "7" }, { "0071", "071" }, { "10", "9" }, { "10a", "10" },
		{ "1.0a", "1.0b" }, { "1.0a", "1.0" }, { "1.0~rc1", "1.0" },
		{ "1.0~rc1", "1.0~rc1.1" }, { "1.0^", "1.0" }, { "1.0^1", "1.0.1" },
		{ "1.0^a", "1.0^" }, { "1.0-1", "1.0^-1" }, { "1.0-", "1.0" },
		{ "1.0-", "1.0-0" }, { "1-2-3", "1-2-4" }, { "1-2-3", "1-3" },
		{ "1:1.0", "1.0" }, { "0:1.0", "1.0" }, { "00:1.0", "0:1.0" },
		{ ":1.0", "1.0" }, { "1:1.0", "2:0.1" }, { "10:1", "9:1" },
		{ "1:", "1:0" }, { "12", "1:2" }, { "1.0-1.el9", "1.0-1.el9_2" },
		{ "0.1.1.0-6vmw.700.1.0.15843807", "0.1.1.0-6vmw.700.1.0.15843808" },
		{ "0.1.1.0-6vmw.700.1.0.15843807", "0.1.1.0-10vmw.700.1.0.1" },
		{ "7.0.3-0.35.19482537", "7.0.3-0.40.19482537" },
		{ "99999999999999999999999", "100000000000000000000000" },
		{ "1.0\xc3\xa9" "1", "1.0.1" }, { "a1", "a01" }, { "a", "A" },
	};

	(void)state;
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(pairs); i++) {
		const char *a = pairs[i][0], *b = pairs[i][1];
		int want = reference_compare(a, b);

		if (swim_version_compare(a, b) != want ||
		    swim_version_compare(b, a) != -want)
			fail_msg("'%s' vs '%s': swim %d, rpmvercmp on the parts %d", a,
			         b, swim_version_compare(a, b), want);
		if (swim_vercmp(a, strlen(a), b, strlen(b)) != sign(rpmvercmp(a, b)))
			fail_msg("swim_vercmp('%s', '%s') = %d, rpmvercmp %d", a, b,
			         swim_vercmp(a, strlen(a), b, strlen(b)),
			         rpmvercmp(a, b));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_rpm__vercmp_random),
		cmocka_unit_test(test_version_rpm__evr_random),
		cmocka_unit_test(test_version_rpm__edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
