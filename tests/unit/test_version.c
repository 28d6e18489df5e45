/* Versions: the comparison rules case by case, the Image Builder split
 * into version and release, and the checks on what a package version may
 * be. Every comparison case is checked both ways round. */
#include <stdio.h>
#include <string.h>

#include "support/testutil.h"
#include "swim/error.h"
#include "swim/limits.h"
#include "swim/version.h"
#include "util/str.h"

typedef struct cmp_case {
	const char *a;
	const char *b;
	int want;   /* swim_version_compare(a, b) */
} cmp_case;

static void check_table(const cmp_case *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int got = swim_version_compare(t[i].a, t[i].b);
		int back = swim_version_compare(t[i].b, t[i].a);

		if (got != t[i].want || back != -t[i].want)
			fail_msg("compare('%s', '%s') = %d and reversed %d, expected %d",
			         t[i].a, t[i].b, got, back, t[i].want);
	}
}

static void test_version__epochs(void **state)
{
	static const cmp_case t[] = {
		{ "1.0", "0:1.0", 0 },          /* absent = 0 */
		{ "0:1.0-1", "1.0-1", 0 },
		{ ":1.0", "1.0", 0 },           /* empty = 0 */
		{ ":1.0", "0:1.0", 0 },
		{ "1:1.0", "1.0", 1 },
		{ "1:0.1", "9.9", 1 },          /* the epoch beats the version */
		{ "1:1.0", "2.0", 1 },
		{ "1:1.0", "1:1.0", 0 },
		{ "01:1.0", "1:1.0", 0 },       /* leading zeros */
		{ "001:1", "1:1", 0 },
		{ "000:1", "1", 0 },
		{ "2:1.0", "10:0.1", -1 },      /* numerically, not as text */
		{ "3:1.0", "20:1.0", -1 },
		{ "9:1", "10:1", -1 },
		{ "1:1.0-1", "1:1.0-2", -1 },
		{ "1:1.0-9", "2:1.0-1", -1 },
		{ "99999999999:1", "1:1", 1 },
		{ "1:0", "0:99999", 1 },
		{ "1:", "0:1", 1 },
		{ "12", "1:2", -1 },            /* "12" has no epoch */
		{ "a:1", "1", -1 },             /* no epoch: "a:1" is a version */
		{ "1:2:3", "1:2.3", 0 },        /* only the first ':' ends an epoch */
	};

	(void)state;
	check_table(t, SWIM_ARRAY_SIZE(t));
}

static void test_version__tilde(void **state)
{
	static const cmp_case t[] = {
		{ "1.0~rc1", "1.0", -1 },       /* before the end */
		{ "1.0~rc1", "1.0~rc2", -1 },
		{ "1.0~rc1", "1.0~rc1", 0 },
		{ "1.0~", "1.0", -1 },
		{ "1.0~~", "1.0~", -1 },
		{ "1.0~rc1", "1.0~~rc1", 1 },
		{ "~", "", -1 },
		{ "1~", "1", -1 },
		{ "1.0~1", "1.0.1", -1 },
		{ "1.0~rc1", "1.0a", -1 },      /* before letters too */
		{ "1.0~rc1", "1.0^1", -1 },
		{ "1.0~rc1-1", "1.0-1", -1 },
		{ "1.0-1~1", "1.0-1", -1 },     /* in a release too */
		{ "1~a", "1~1", -1 },
		{ "2.0~beta", "1.9", 1 },
		{ "1.0~rc1~1", "1.0~rc1", -1 },
		{ "5.16~rc3-55.el3_3.3", "5.16-55.el3_3.3", -1 },
	};

	(void)state;
	check_table(t, SWIM_ARRAY_SIZE(t));
}

static void test_version__caret(void **state)
{
	static const cmp_case t[] = {
		{ "1.0^", "1.0", 1 },           /* after the end */
		{ "1.0^1", "1.0", 1 },
		{ "1.0^1", "1.0.1", -1 },       /* before any other segment */
		{ "1.0^1", "1.0a", -1 },
		{ "1.0^1", "1.0^2", -1 },
		{ "1.0^a", "1.0^1", -1 },
		{ "1.0^", "1.0^1", -1 },
		{ "1.0^~", "1.0^", -1 },
		{ "1^", "1~", 1 },
		{ "1.0~rc1^1", "1.0~rc1", 1 },
		{ "1.0~rc1^1", "1.0", -1 },
		{ "1.0^20230101git1", "1.0^20230102git1", -1 },
		{ "1.0^1", "1.0^1", 0 },
		{ "1.0^-1", "1.0-1", 1 },
		{ "1.0^-1", "1.0-2", 1 },       /* the version decides first */
	};

	(void)state;
	check_table(t, SWIM_ARRAY_SIZE(t));
}

static void test_version__letters_and_digits(void **state)
{
	static const cmp_case t[] = {
		{ "1.0a", "1.0", 1 },
		{ "1.0", "1.0.a", -1 },
		{ "1a", "1.1", -1 },            /* digits beat letters */
		{ "a", "1", -1 },
		{ "1.0alpha", "1.0.1", -1 },
		{ "abc", "abd", -1 },
		{ "abc", "ab", 1 },
		{ "B", "a", -1 },               /* byte order: upper case first */
		{ "Z", "a", -1 },
		{ "alpha", "beta", -1 },
		{ "1.0rc1", "1.0", 1 },         /* unlike '~' */
		{ "fc38", "fc9", 1 },
		{ "el9_2", "el9", 1 },
		{ "1.0a1", "1.0a", 1 },
		{ "xyz10", "xyz9", 1 },
		{ "1.0a", "1.0.a", 0 },
		{ "a1b2", "a1b10", -1 },
		{ "a", "a", 0 },
		{ "10a", "9b", 1 },
		{ "2.0b1", "2.0a2", 1 },
	};

	(void)state;
	check_table(t, SWIM_ARRAY_SIZE(t));
}

static void test_version__leading_zeros(void **state)
{
	static const cmp_case t[] = {
		{ "1.01", "1.1", 0 },
		{ "1.001", "1.1", 0 },
		{ "1.010", "1.10", 0 },
		{ "1.10", "1.9", 1 },
		{ "1.0010", "1.9", 1 },
		{ "00", "0", 0 },
		{ "0", "", 1 },
		{ "000001", "1", 0 },
		{ "01.02.03", "1.2.3", 0 },
		{ "1.0", "1.00", 0 },
		{ "007", "7", 0 },
		{ "0071", "071", 0 },
		{ "1.007a", "1.7a", 0 },
		{ "1.08", "1.7", 1 },
		{ "0.0", "0", 1 },
		{ "1.00-01", "1.0-1", 0 },
	};

	(void)state;
	check_table(t, SWIM_ARRAY_SIZE(t));
}

static void test_version__releases(void **state)
{
	static const cmp_case t[] = {
		{ "1.0", "1.0-", -1 },          /* absent < empty < any */
		{ "1.0-", "1.0-1", -1 },
		{ "1.0", "1.0-1", -1 },
		{ "1.0-", "1.0-", 0 },
		{ "1.0-0", "1.0-", 1 },
		{ "1.0-a", "1.0", 1 },
		{ "1.0-~", "1.0", 1 },
		{ "1.0-1", "1.0.1", -1 },       /* versions first */
		{ "1.1", "1.0-5", 1 },
		{ "1.0-1", "1.0-1", 0 },
		{ "1.0-1", "1.0-2", -1 },
		{ "1.0-10", "1.0-9", 1 },
		{ "1.0-1.el9", "1.0-1.el9_2", -1 },
		{ "1.0-2.el8", "1.0-10.el8", -1 },
		{ "1-2-3", "1-2-4", -1 },       /* split at the last '-' */
		{ "1-2-3", "1-3", 1 },         /* version "1-2" > "1" */
		{ "1-2-3", "1.2-3", 0 },
		{ "1.0-1-", "1.0-1", 1 },
		{ "-1", "", 1 },
		{ "-1", "0-1", -1 },
	};

	(void)state;
	check_table(t, SWIM_ARRAY_SIZE(t));
}

static void test_version__long_numbers(void **state)
{
	static const cmp_case t[] = {
		{ "18446744073709551616", "18446744073709551615", 1 },
		{ "9223372036854775808", "9223372036854775807", 1 },
		{ "99999999999999999999999999", "100000000000000000000000000", -1 },
		{ "123456789012345678901234567890", "0123456789012345678901234567890", 0 },
		{ "1.18446744073709551616", "1.18446744073709551617", -1 },
		{ "1.000000000000000000000000000001", "1.1", 0 },
		{ "2.99999999999999999999", "10.0", -1 },
		{ "1-18446744073709551617", "1-18446744073709551616", 1 },
		{ "1234567890123456789012345678901234567890", "123456789012345678901234567890123456789", 1 },
		{ "99999999999999999999a", "99999999999999999999b", -1 },
	};

	(void)state;
	check_table(t, SWIM_ARRAY_SIZE(t));
}

static void test_version__separators(void **state)
{
	static const cmp_case t[] = {
		{ "1.0", "1_0", 0 },
		{ "1.0", "1+0", 0 },
		{ "1..0", "1.0", 0 },
		{ "1.0.", "1.0", 0 },
		{ ".1.0", "1.0", 0 },
		{ "1.0@", "1.0", 0 },
		{ "1 0", "1.0", 0 },
		{ "1/0", "1.0", 0 },
		{ "a.b", "a_b", 0 },
		{ "1:0", "1.0", 1 },            /* ':' is the epoch here */
		{ "1.0", "1.0.", 0 },
		{ "", ".", 0 },
		{ "1.0+build1", "1.0_build1", 0 },
		{ "1.0_1", "1.0.2", -1 },
	};

	(void)state;
	check_table(t, SWIM_ARRAY_SIZE(t));
}

static void test_version__non_ascii(void **state)
{
	static const cmp_case t[] = {
		{ "1.0\xc3\xa9", "1.0", 0 },    /* bytes >= 0x80 separate */
		{ "1\xff" "2", "1.2", 0 },
		{ "1\xc3\xa9" "2", "1.2", 0 },
		{ "\x80", "", 0 },
		{ "a\xe2\x82\xac" "b", "a.b", 0 },
		{ "1\x7f" "2", "1.2", 0 },
		{ "1.0\xc3\xa9" "1", "1.0.1", 0 },
		{ "\xc3\xa9" "1", "2", -1 },
	};

	(void)state;
	check_table(t, SWIM_ARRAY_SIZE(t));
}

static void test_version__real_world(void **state)
{
	static const cmp_case t[] = {
		{ "0.1.1.0-6vmw.700.1.0.15843807", "0.1.1.0-6vmw.700.1.0.15843808", -1 },
		{ "0.1.1.0-6vmw.700.1.0.15843807", "0.1.1.0-6vmw.700.1.0.15843807", 0 },
		{ "0.1.1.0-6vmw.700.1.0.15843807", "0.1.1.0-10vmw.700.1.0.1", -1 },
		{ "1.0.0-1vmw.670.0.0.8169922", "1.0.0-1vmw.670.3.73.14320388", -1 },
		{ "7.0.3-0.35.19482537", "7.0.3-0.40.19482537", -1 },
		{ "6.7.0-3.0.0.1234", "6.7.0-2.9.9", 1 },
		{ "8.0.2-0.0.22380479", "7.0.3-0.105.22348816", 1 },
		{ "2.34-60.el9", "2.34-60.el9_2", -1 },
		{ "2.34-60.el9", "2.35-1.el9", -1 },
		{ "5.15.0-3.fc38", "5.15.0-10.fc38", -1 },
		{ "1.2.3-1.el8", "1.2.3-1.el8.1", -1 },
		{ "1:3.6.24-1.fc26", "3.6.24-1.fc26", 1 },
		{ "4.13~rc2-18.el8_2.1", "4.13-18.el8_2.1", -1 },
		{ "10.0.17-42vmw.700.1.0.22643593", "10.0.18-42vmw.700.1.0.22643593", -1 },
	};

	(void)state;
	check_table(t, SWIM_ARRAY_SIZE(t));
}

/* swim_vercmp compares one part: '-' and ':' are separators there. */
static void test_version__vercmp_parts(void **state)
{
	static const cmp_case t[] = {
		{ "1-0", "1.0", 0 },
		{ "1:0", "1.0", 0 },
		{ "1.0", "1.0", 0 },
		{ "", "", 0 },
		{ "1", "", 1 },
		{ "~", "", -1 },
		{ "^", "", 1 },
		{ "6vmw.700.1.0.15843807", "6vmw.700.1.0.15843808", -1 },
		{ "10vmw", "9vmw", 1 },
		{ "0a", "00a", 0 },
	};

	(void)state;
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(t); i++) {
		const char *a = t[i].a, *b = t[i].b;

		if (swim_vercmp(a, strlen(a), b, strlen(b)) != t[i].want ||
		    swim_vercmp(b, strlen(b), a, strlen(a)) != -t[i].want)
			fail_msg("swim_vercmp('%s', '%s') = %d, expected %d", a, b,
			         swim_vercmp(a, strlen(a), b, strlen(b)), t[i].want);
	}
	/* Lengths, not NULs, end the parts. */
	assert_int_equal(swim_vercmp("1.2", 1, "1.3", 1), 0);
	assert_int_equal(swim_vercmp("1\0" "5", 3, "1\0" "4", 3), 1);
}

typedef struct split_case {
	const char *in;
	const char *epoch;     /* NULL: absent */
	const char *version;
	const char *release;   /* NULL: absent */
} split_case;

static void check_part(const char *in, const char *what, const char *ptr,
                       size_t len, const char *want)
{
	if (!want) {
		if (ptr || len)
			fail_msg("'%s': %s should be absent, is '%.*s'", in, what,
			         (int)len, ptr ? ptr : "");
		return;
	}
	if (!ptr || len != strlen(want) || memcmp(ptr, want, len) != 0)
		fail_msg("'%s': %s is '%.*s', expected '%s'", in, what, (int)len,
		         ptr ? ptr : "(absent)", want);
}

/* The Image Builder view: SoftwareVersion.Version and .Release. */
static void test_version__split(void **state)
{
	static const split_case t[] = {
		{ "1.0", NULL, "1.0", NULL },
		{ "1.0-1", NULL, "1.0", "1" },
		{ "1:1.0-1", "1", "1.0", "1" },
		{ "0.1.1.0-6vmw.700.1.0.15843807", NULL, "0.1.1.0", "6vmw.700.1.0.15843807" },
		{ "7.0.3-0.35.19482537", NULL, "7.0.3", "0.35.19482537" },
		{ "1.0-", NULL, "1.0", "" },
		{ "1-2-3", NULL, "1-2", "3" },
		{ ":1.0", "", "1.0", NULL },
		{ "1:", "1", "", NULL },
		{ "a:1.0", NULL, "a:1.0", NULL },
		{ "12", NULL, "12", NULL },
		{ "", NULL, "", NULL },
		{ "1:2:3", "1", "2:3", NULL },
		{ "-1", NULL, "", "1" },
		{ "007:1-2", "007", "1", "2" },
		{ "1.0-1-", NULL, "1.0-1", "" },
	};

	(void)state;
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(t); i++) {
		swim_version_parts p;

		memset(&p, 0x5a, sizeof(p));
		swim_version_split(&p, t[i].in);
		check_part(t[i].in, "epoch", p.epoch, p.epoch_len, t[i].epoch);
		check_part(t[i].in, "version", p.version, p.version_len,
		           t[i].version);
		check_part(t[i].in, "release", p.release, p.release_len,
		           t[i].release);
	}
}

static void test_version__check_accepts(void **state)
{
	static const char *const ok[] = {
		"1", "1.0", "1:1.0-1", "0:1", "9999999999:1",
		"0.1.1.0-6vmw.700.1.0.15843807", "1.0~rc1^git1_2+3",
		"7.0.3-0.35.19482537", "A.b-C",
	};

	(void)state;
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(ok); i++)
		swim_assert_ok(swim_version_check(ok[i], NULL));
}

static void test_version__check_rejects(void **state)
{
	swim_limits lim;
	char long_v[300];

	(void)state;
	swim_assert_error(swim_version_check("", NULL), SWIM_EINVAL, "empty version");
	swim_assert_error(swim_version_check(NULL, NULL), SWIM_EINVAL, "empty version");
	memset(long_v, '1', 257);
	long_v[257] = '\0';
	swim_assert_error(swim_version_check(long_v, NULL), SWIM_ELIMIT,
	                  "version is 257 bytes, longer than 256");
	long_v[256] = '\0';
	swim_assert_ok(swim_version_check(long_v, NULL));
	swim_limits_init(&lim);
	lim.version_max_bytes = 5;
	swim_assert_error(swim_version_check("1.0.0.0", &lim), SWIM_ELIMIT,
	                  "longer than 5");
	swim_assert_ok(swim_version_check("1.0.0", &lim));

	swim_assert_error(swim_version_check("12345678901:1.0", NULL), SWIM_EINVAL,
	                  "version '12345678901:1.0': the epoch must be 1 to 10 digits");
	swim_assert_error(swim_version_check(":1.0", NULL), SWIM_EINVAL,
	                  "the epoch must be 1 to 10 digits");
	swim_assert_error(swim_version_check("1:", NULL), SWIM_EINVAL,
	                  "version '1:' has an empty version part");
	swim_assert_error(swim_version_check("-1", NULL), SWIM_EINVAL,
	                  "empty version part");
	swim_assert_error(swim_version_check("1.0-", NULL), SWIM_EINVAL,
	                  "version '1.0-' has an empty release after '-'");

	swim_assert_error(swim_version_check("1.0 beta", NULL), SWIM_EINVAL,
	                  "version '1.0 beta' has ' ' at position 4");
	swim_assert_error(swim_version_check("1.0-1-2", NULL), SWIM_EINVAL,
	                  "has '-' at position 4; a version may contain only letters");
	swim_assert_error(swim_version_check("1:2:3", NULL), SWIM_EINVAL,
	                  "has ':' at position 4");
	swim_assert_error(swim_version_check("1.0@x", NULL), SWIM_EINVAL,
	                  "has '@' at position 4");
	/* Control and non-ASCII bytes are named by value, not echoed. */
	swim_assert_error(swim_version_check("1.0\t", NULL), SWIM_EINVAL,
	                  "control or non-ASCII byte (0x09) at position 4");
	swim_assert_error(swim_version_check("1.0\n-1", NULL), SWIM_EINVAL,
	                  "(0x0a) at position 4");
	swim_assert_error(swim_version_check("1.0-\x1b[31m", NULL), SWIM_EINVAL,
	                  "(0x1b) at position 5");
	assert_null(strchr(swim_error_last(), '\x1b'));
	swim_assert_error(swim_version_check("1.0\xc3\xa9", NULL), SWIM_EINVAL,
	                  "(0xc3) at position 4");
	swim_assert_error(swim_version_check("1.0\x7f", NULL), SWIM_EINVAL,
	                  "(0x7f)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version__epochs),
		cmocka_unit_test(test_version__tilde),
		cmocka_unit_test(test_version__caret),
		cmocka_unit_test(test_version__letters_and_digits),
		cmocka_unit_test(test_version__leading_zeros),
		cmocka_unit_test(test_version__releases),
		cmocka_unit_test(test_version__long_numbers),
		cmocka_unit_test(test_version__separators),
		cmocka_unit_test(test_version__non_ascii),
		cmocka_unit_test(test_version__real_world),
		cmocka_unit_test(test_version__vercmp_parts),
		cmocka_unit_test(test_version__split),
		cmocka_unit_test(test_version__check_accepts),
		cmocka_unit_test(test_version__check_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
