/* Constraints and provides: parsing and printing, the descriptor's
 * attribute form, every parse error, and matching (Image Builder's
 * SoftwareConstraint.MatchesProvide with rpm's release rule). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"
#include "swim/constraint.h"
#include "swim/error.h"
#include "util/str.h"

static bool matches(const char *constraint, const char *provide)
{
	swim_constraint c;
	swim_provide p;
	bool m;

	swim_assert_ok(swim_constraint_parse(&c, constraint, NULL));
	swim_assert_ok(swim_provide_parse(&p, provide, NULL));
	m = swim_constraint_matches(&c, &p);
	swim_constraint_dispose(&c);
	swim_provide_dispose(&p);
	return m;
}

typedef struct match_case {
	const char *constraint;
	const char *provide;
	bool want;
} match_case;

static void check_matches(const match_case *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (matches(t[i].constraint, t[i].provide) != t[i].want)
			fail_msg("'%s' %s '%s'", t[i].constraint,
			         t[i].want ? "should match" : "should not match",
			         t[i].provide);
}

static void test_constraint__relations(void **state)
{
	/* Each relation against a lower, an equal and a higher provide. */
	static const match_case t[] = {
		{ "foo << 2.0", "foo 1.9", true },
		{ "foo << 2.0", "foo 2.0", false },
		{ "foo << 2.0", "foo 2.1", false },
		{ "foo <= 2.0", "foo 1.9", true },
		{ "foo <= 2.0", "foo 2.0", true },
		{ "foo <= 2.0", "foo 2.1", false },
		{ "foo = 2.0", "foo 1.9", false },
		{ "foo = 2.0", "foo 2.0", true },
		{ "foo = 2.0", "foo 2.1", false },
		{ "foo >= 2.0", "foo 1.9", false },
		{ "foo >= 2.0", "foo 2.0", true },
		{ "foo >= 2.0", "foo 2.1", true },
		{ "foo >> 2.0", "foo 1.9", false },
		{ "foo >> 2.0", "foo 2.0", false },
		{ "foo >> 2.0", "foo 2.1", true },
		/* rpm ordering inside the relation */
		{ "foo >= 2.0", "foo 2.0~rc1", false },
		{ "foo << 2.0", "foo 2.0~rc1", true },
		{ "foo >> 2.0", "foo 2.0^1", true },
		{ "foo >= 1.10", "foo 1.9", false },
		{ "foo = 1.01", "foo 1.1", true },
	};

	(void)state;
	check_matches(t, SWIM_ARRAY_SIZE(t));
}

static void test_constraint__unversioned(void **state)
{
	static const match_case t[] = {
		{ "foo", "foo", true },            /* no relation: any version */
		{ "foo", "foo 1.0", true },
		{ "foo", "foo 1:0.1-1", true },
		{ "foo >= 1.0", "foo", false },    /* versioned never meets unversioned */
		{ "foo = 1.0", "foo", false },
		{ "foo << 1.0", "foo", false },
		{ "foo", "bar", false },           /* names must be equal */
		{ "foo", "bar 1.0", false },
		{ "foo >= 1.0", "bar 2.0", false },
		{ "Foo", "foo", false },           /* case-sensitive */
		{ "foo", "foo-bar", false },
	};

	(void)state;
	check_matches(t, SWIM_ARRAY_SIZE(t));
}

static void test_constraint__releases(void **state)
{
	static const match_case t[] = {
		/* A constraint without a release ignores the provide's. */
		{ "foo = 1.0", "foo 1.0-3", true },
		{ "foo >> 1.0", "foo 1.0-3", false },
		{ "foo >= 1.0", "foo 1.0-3", true },
		{ "foo <= 1.0", "foo 1.0-3", true },
		{ "foo << 1.0", "foo 1.0-3", false },
		{ "foo >> 1.0", "foo 1.1-1", true },
		/* A provide without a release stands for every release. */
		{ "foo = 1.0-3", "foo 1.0", true },
		{ "foo >> 1.0-3", "foo 1.0", true },
		{ "foo << 1.0-3", "foo 1.0", true },
		{ "foo >> 1.0-3", "foo 0.9", false },
		/* Both releases: compared. */
		{ "foo = 1.0-3", "foo 1.0-3", true },
		{ "foo = 1.0-3", "foo 1.0-4", false },
		{ "foo << 1.0-4", "foo 1.0-3", true },
		{ "foo >> 1.0-4", "foo 1.0-3", false },
		{ "foo >= 1.0-3", "foo 1.0-3.1", true },
		{ "foo = 0.1.1.0-6vmw.700.1.0.15843807",
		  "foo 0.1.1.0-6vmw.700.1.0.15843807", true },
		{ "foo >= 0.1.1.0-6vmw.700.1.0.15843807",
		  "foo 0.1.1.0-6vmw.700.1.0.15843806", false },
	};

	(void)state;
	check_matches(t, SWIM_ARRAY_SIZE(t));
}

static void test_constraint__epochs(void **state)
{
	static const match_case t[] = {
		{ "foo >= 1:1.0", "foo 2.0", false },
		{ "foo >= 1:1.0", "foo 1:1.0", true },
		{ "foo >= 1:1.0", "foo 1:0.5", false },
		{ "foo << 1:0", "foo 9.9", true },
		{ "foo = 0:1.0", "foo 1.0", true },
		{ "foo = 1.0", "foo 0:1.0-2", true },
		{ "foo >> 1.0", "foo 1:0.1", true },
		{ "foo = 01:1.0", "foo 1:1.0", true },
	};

	(void)state;
	check_matches(t, SWIM_ARRAY_SIZE(t));
}

/* A package matches as its implicit provide `name = version`. */
static void test_constraint__package_as_provide(void **state)
{
	swim_constraint c;
	swim_provide p = { (char *)"esx-base", (char *)"7.0.3-0.35.19482537" };

	(void)state;
	swim_assert_ok(swim_constraint_parse(&c, "esx-base >= 7.0.3", NULL));
	assert_true(swim_constraint_matches(&c, &p));
	swim_constraint_dispose(&c);
	swim_assert_ok(swim_constraint_parse(&c, "esx-base << 7.0.3-0.35.19482537", NULL));
	assert_false(swim_constraint_matches(&c, &p));
	swim_constraint_dispose(&c);
}

static void test_constraint__parse(void **state)
{
	swim_constraint c;

	(void)state;
	swim_assert_ok(swim_constraint_parse(&c, "foo", NULL));
	assert_string_equal(c.name, "foo");
	assert_int_equal(c.rel, SWIM_REL_ANY);
	assert_null(c.version);
	swim_constraint_dispose(&c);

	swim_assert_ok(swim_constraint_parse(&c, "vmkapi_2_2_0_0 >= 1:2.0-3", NULL));
	assert_string_equal(c.name, "vmkapi_2_2_0_0");
	assert_int_equal(c.rel, SWIM_REL_GE);
	assert_string_equal(c.version, "1:2.0-3");
	swim_constraint_dispose(&c);

	/* Blanks around the relation are optional; tabs are blanks. */
	swim_assert_ok(swim_constraint_parse(&c, "foo<<1.0", NULL));
	assert_int_equal(c.rel, SWIM_REL_LT);
	assert_string_equal(c.version, "1.0");
	swim_constraint_dispose(&c);
	swim_assert_ok(swim_constraint_parse(&c, "  foo\t=\t1.0  ", NULL));
	assert_string_equal(c.name, "foo");
	assert_int_equal(c.rel, SWIM_REL_EQ);
	swim_constraint_dispose(&c);
	swim_assert_ok(swim_constraint_parse(&c, "foo >>2", NULL));
	assert_int_equal(c.rel, SWIM_REL_GT);
	swim_constraint_dispose(&c);
	swim_assert_ok(swim_constraint_parse(&c, "foo <= 2", NULL));
	assert_int_equal(c.rel, SWIM_REL_LE);
	swim_constraint_dispose(&c);
	/* dispose leaves an empty constraint and may be called again */
	assert_null(c.name);
	swim_constraint_dispose(&c);
	swim_constraint_dispose(NULL);
}

static void test_constraint__parse_errors(void **state)
{
	swim_constraint c;
	swim_limits lim;
	char name[300], text[400];

	(void)state;
	swim_assert_error(swim_constraint_parse(&c, "", NULL), SWIM_EINVAL,
	                  "constraint '': empty name");
	swim_assert_error(swim_constraint_parse(&c, "   ", NULL), SWIM_EINVAL,
	                  "empty name");
	swim_assert_error(swim_constraint_parse(&c, ">= 1.0", NULL), SWIM_EINVAL,
	                  "constraint '>= 1.0': empty name");
	swim_assert_error(swim_constraint_parse(&c, "foo =< 1.0", NULL), SWIM_EINVAL,
	                  "constraint 'foo =< 1.0': unknown relation '=<' "
	                  "(expected <<, <=, =, >= or >>)");
	swim_assert_error(swim_constraint_parse(&c, "foo < 1.0", NULL), SWIM_EINVAL,
	                  "unknown relation '<'");
	swim_assert_error(swim_constraint_parse(&c, "foo > 1.0", NULL), SWIM_EINVAL,
	                  "unknown relation '>'");
	swim_assert_error(swim_constraint_parse(&c, "foo == 1.0", NULL), SWIM_EINVAL,
	                  "unknown relation '=='");
	swim_assert_error(swim_constraint_parse(&c, "foo <<< 1.0", NULL), SWIM_EINVAL,
	                  "expected a relation (<<, <=, =, >=, >>) after the name");
	swim_assert_error(swim_constraint_parse(&c, "foo 1.0", NULL), SWIM_EINVAL,
	                  "constraint 'foo 1.0': expected a relation");
	swim_assert_error(swim_constraint_parse(&c, "foo >=", NULL), SWIM_EINVAL,
	                  "constraint 'foo >=': missing version after '>='");
	swim_assert_error(swim_constraint_parse(&c, "foo >=   ", NULL), SWIM_EINVAL,
	                  "missing version");
	swim_assert_error(swim_constraint_parse(&c, "foo >= 1.0 extra", NULL), SWIM_EINVAL,
	                  "constraint 'foo >= 1.0 extra': unexpected text after the version");
	swim_assert_error(swim_constraint_parse(&c, "foo >= 1.0 >= 2", NULL), SWIM_EINVAL,
	                  "unexpected text after the version");
	swim_assert_error(swim_constraint_parse(&c, "foo >= 1.0-", NULL), SWIM_EINVAL,
	                  "constraint 'foo >= 1.0-': version '1.0-' has an empty release");
	swim_assert_error(swim_constraint_parse(&c, "foo >= 1.0@", NULL), SWIM_EINVAL,
	                  "has '@' at position 4");
	/* control characters, in the name and in the version */
	swim_assert_error(swim_constraint_parse(&c, "fo\x01o >= 1.0", NULL), SWIM_EINVAL,
	                  "constraint has a control or non-ASCII byte (0x01) at position 3");
	swim_assert_error(swim_constraint_parse(&c, "foo >= 1.0\n", NULL), SWIM_EINVAL,
	                  "control or non-ASCII byte (0x0a)");
	swim_assert_error(swim_constraint_parse(&c, "foo\xc3\xa9", NULL), SWIM_EINVAL,
	                  "non-ASCII byte (0xc3) at position 4");
	/* such bytes are named, never echoed */
	swim_assert_error(swim_constraint_parse(&c, "foo >= \x1b[2J", NULL), SWIM_EINVAL,
	                  "(0x1b) at position 8");
	assert_null(strchr(swim_error_last(), '\x1b'));
	swim_assert_ok(swim_constraint_parse(&c, "foo\t>=\t1", NULL));
	swim_constraint_dispose(&c);
	/* overlong name and version */
	memset(name, 'n', 257);
	name[257] = '\0';
	swim_assert_error(swim_constraint_parse(&c, name, NULL), SWIM_ELIMIT,
	                  "is 257 bytes, longer than 256");
	(void)snprintf(text, sizeof(text), "foo >= 1.%0257d", 0);
	swim_assert_error(swim_constraint_parse(&c, text, NULL), SWIM_ELIMIT,
	                  "version is 259 bytes, longer than 256");
	swim_limits_init(&lim);
	lim.name_max_bytes = 3;
	swim_assert_ok(swim_constraint_parse(&c, "foo", &lim));
	swim_constraint_dispose(&c);
	swim_assert_error(swim_constraint_parse(&c, "food", &lim), SWIM_ELIMIT,
	                  "longer than 3");
	/* a failed parse leaves nothing to free */
	assert_null(c.name);
	assert_null(c.version);
}

static void test_constraint__format_round_trip(void **state)
{
	static const char *const texts[] = {
		"foo", "foo << 1.0", "foo <= 1:2.0-3", "foo = 0.1.1.0-6vmw.700.1.0.15843807",
		"foo >= 1.0~rc1", "foo >> 2.0^git1", "vmkapi_2_2_0_0 >= 2.2.0.0",
	};

	(void)state;
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(texts); i++) {
		swim_constraint c, again;
		swim_buf b = SWIM_BUF_INIT(0);

		swim_assert_ok(swim_constraint_parse(&c, texts[i], NULL));
		swim_assert_ok(swim_constraint_format(&b, &c));
		assert_string_equal(b.ptr, texts[i]);
		swim_assert_ok(swim_constraint_parse(&again, b.ptr, NULL));
		assert_string_equal(again.name, c.name);
		assert_int_equal(again.rel, c.rel);
		assert_true(swim_str_eq(again.version, c.version));
		swim_constraint_dispose(&again);
		/* copies are deep and equal */
		swim_assert_ok(swim_constraint_copy(&again, &c));
		assert_ptr_not_equal(again.name, c.name);
		assert_string_equal(again.name, c.name);
		assert_true(swim_str_eq(again.version, c.version));
		swim_constraint_dispose(&again);
		swim_constraint_dispose(&c);
		swim_buf_dispose(&b);
	}
}

static void test_constraint__relation_names(void **state)
{
	static const struct {
		const char *text;
		swim_relation rel;
	} t[] = {
		{ "<<", SWIM_REL_LT }, { "<=", SWIM_REL_LE }, { "=", SWIM_REL_EQ },
		{ ">=", SWIM_REL_GE }, { ">>", SWIM_REL_GT },
	};
	swim_relation r;

	(void)state;
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(t); i++) {
		swim_assert_ok(swim_relation_parse(&r, t[i].text));
		assert_int_equal(r, t[i].rel);
		assert_string_equal(swim_relation_str(t[i].rel), t[i].text);
	}
	assert_string_equal(swim_relation_str(SWIM_REL_ANY), "");
	swim_assert_error(swim_relation_parse(&r, "gt"), SWIM_EINVAL,
	                  "unknown relation 'gt'");
	swim_assert_error(swim_relation_parse(&r, NULL), SWIM_EINVAL,
	                  "unknown relation ''");
	swim_assert_error(swim_relation_parse(&r, "<"), SWIM_EINVAL,
	                  "unknown relation '<'");
}

/* The descriptor's form: <constraint name=".." relation=".." version=".."/> */
static void test_constraint__from_attrs(void **state)
{
	swim_constraint c;

	(void)state;
	swim_assert_ok(swim_constraint_from_attrs(&c, "foo", NULL, NULL, NULL));
	assert_string_equal(c.name, "foo");
	assert_int_equal(c.rel, SWIM_REL_ANY);
	assert_null(c.version);
	swim_constraint_dispose(&c);
	swim_assert_ok(swim_constraint_from_attrs(&c, "foo", ">=", "1.0-1", NULL));
	assert_int_equal(c.rel, SWIM_REL_GE);
	assert_string_equal(c.version, "1.0-1");
	swim_constraint_dispose(&c);
	swim_assert_ok(swim_constraint_from_attrs(&c, "foo", "<<", "2", NULL));
	assert_int_equal(c.rel, SWIM_REL_LT);
	swim_constraint_dispose(&c);

	swim_assert_error(swim_constraint_from_attrs(&c, NULL, NULL, NULL, NULL),
	                  SWIM_EINVAL, "constraint without a name");
	swim_assert_error(swim_constraint_from_attrs(&c, "", NULL, NULL, NULL),
	                  SWIM_EINVAL, "empty name");
	swim_assert_error(swim_constraint_from_attrs(&c, "foo", ">=", NULL, NULL),
	                  SWIM_EINVAL,
	                  "constraint on 'foo': relation and version must be given together");
	swim_assert_error(swim_constraint_from_attrs(&c, "foo", NULL, "1.0", NULL),
	                  SWIM_EINVAL, "must be given together");
	swim_assert_error(swim_constraint_from_attrs(&c, "foo", "gt", "1.0", NULL),
	                  SWIM_EINVAL, "constraint on 'foo': unknown relation 'gt'");
	swim_assert_error(swim_constraint_from_attrs(&c, "foo", ">=", "", NULL),
	                  SWIM_EINVAL, "constraint on 'foo': empty version");
	swim_assert_error(swim_constraint_from_attrs(&c, "foo bar", NULL, NULL, NULL),
	                  SWIM_EINVAL, "contains a blank");
	swim_assert_error(swim_constraint_from_attrs(&c, "foo", ">=", "1 0", NULL),
	                  SWIM_EINVAL, "has ' ' at position 2");
	swim_assert_error(swim_constraint_from_attrs(&c, "fo\x1bo", NULL, NULL, NULL),
	                  SWIM_EINVAL, "constraint name has a control or non-ASCII byte (0x1b)");
	swim_assert_error(swim_constraint_from_attrs(&c, "foo", "\x9b", "1", NULL),
	                  SWIM_EINVAL, "relation has a control or non-ASCII byte (0x9b)");
	swim_assert_error(swim_constraint_from_attrs(&c, "foo", ">=", "1\x1b", NULL),
	                  SWIM_EINVAL, "(0x1b) at position 2");
	assert_null(strchr(swim_error_last(), '\x1b'));
}

static void test_constraint__provides(void **state)
{
	swim_provide p, again;
	swim_buf b = SWIM_BUF_INIT(0);

	(void)state;
	swim_assert_ok(swim_provide_parse(&p, "foo", NULL));
	assert_string_equal(p.name, "foo");
	assert_null(p.version);
	swim_assert_ok(swim_provide_format(&b, &p));
	assert_string_equal(b.ptr, "foo");
	swim_provide_dispose(&p);

	swim_assert_ok(swim_provide_parse(&p, "foo 1.0-3", NULL));
	assert_string_equal(p.version, "1.0-3");
	swim_buf_clear(&b);
	swim_assert_ok(swim_provide_format(&b, &p));
	assert_string_equal(b.ptr, "foo = 1.0-3");
	/* the printed form parses back */
	swim_assert_ok(swim_provide_parse(&again, b.ptr, NULL));
	assert_string_equal(again.name, "foo");
	assert_string_equal(again.version, "1.0-3");
	swim_provide_dispose(&again);
	swim_assert_ok(swim_provide_copy(&again, &p));
	assert_string_equal(again.version, "1.0-3");
	swim_provide_dispose(&again);
	swim_provide_dispose(&p);
	swim_buf_dispose(&b);

	swim_assert_error(swim_provide_parse(&p, "", NULL), SWIM_EINVAL,
	                  "provide '': empty name");
	swim_assert_error(swim_provide_parse(&p, "foo 1.0 2.0", NULL), SWIM_EINVAL,
	                  "provide 'foo 1.0 2.0': expected 'NAME [VERSION]'");
	swim_assert_error(swim_provide_parse(&p, "foo >= 1.0", NULL), SWIM_EINVAL,
	                  "provide 'foo >= 1.0'");
	swim_assert_error(swim_provide_parse(&p, "foo 1.0\x1b", NULL), SWIM_EINVAL,
	                  "(0x1b)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constraint__relations),
		cmocka_unit_test(test_constraint__unversioned),
		cmocka_unit_test(test_constraint__releases),
		cmocka_unit_test(test_constraint__epochs),
		cmocka_unit_test(test_constraint__package_as_provide),
		cmocka_unit_test(test_constraint__parse),
		cmocka_unit_test(test_constraint__parse_errors),
		cmocka_unit_test(test_constraint__format_round_trip),
		cmocka_unit_test(test_constraint__relation_names),
		cmocka_unit_test(test_constraint__from_attrs),
		cmocka_unit_test(test_constraint__provides),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
