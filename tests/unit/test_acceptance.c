/* Acceptance levels: both spellings, their order, and the host rule. */
#include <string.h>

#include "support/testutil.h"
#include "swim/acceptance.h"
#include "swim/error.h"
#include "util/str.h"

static const struct {
	const char *name;
	const char *long_name;
	swim_acceptance level;
} levels[] = {
	{ "certified", "VMwareCertified", SWIM_ACCEPTANCE_CERTIFIED },
	{ "accepted", "VMwareAccepted", SWIM_ACCEPTANCE_ACCEPTED },
	{ "partner", "PartnerSupported", SWIM_ACCEPTANCE_PARTNER },
	{ "community", "CommunitySupported", SWIM_ACCEPTANCE_COMMUNITY },
};

static void test_acceptance__both_spellings(void **state)
{
	swim_acceptance a;

	(void)state;
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(levels); i++) {
		swim_assert_ok(swim_acceptance_parse(&a, levels[i].name));
		assert_int_equal(a, levels[i].level);
		swim_assert_ok(swim_acceptance_parse(&a, levels[i].long_name));
		assert_int_equal(a, levels[i].level);
		assert_string_equal(swim_acceptance_name(a), levels[i].name);
		assert_string_equal(swim_acceptance_long_name(a), levels[i].long_name);
	}
	assert_string_equal(swim_acceptance_name(SWIM_ACCEPTANCE_UNKNOWN), "unknown");
	assert_string_equal(swim_acceptance_long_name(SWIM_ACCEPTANCE_UNKNOWN), "unknown");
}

static void test_acceptance__case_sensitive(void **state)
{
	static const char *const bad[] = {
		"Certified", "CERTIFIED", "vmwarecertified", "VMWARECERTIFIED",
		"Partner", "partnersupported", "Community", "communitysupported",
		"", " certified", "certified ", "unknown", "signed",
	};
	swim_acceptance a;

	(void)state;
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(bad); i++) {
		a = SWIM_ACCEPTANCE_CERTIFIED;
		swim_assert_error(swim_acceptance_parse(&a, bad[i]), SWIM_EINVAL,
		                  "unknown acceptance level");
		assert_int_equal(a, SWIM_ACCEPTANCE_UNKNOWN);
	}
	/* The message names the level and every accepted spelling. */
	swim_assert_error(swim_acceptance_parse(&a, "Certified"), SWIM_EINVAL,
	                  "unknown acceptance level 'Certified' (expected certified, "
	                  "accepted, partner, community or VMwareCertified, "
	                  "VMwareAccepted, PartnerSupported, CommunitySupported)");
	swim_assert_error(swim_acceptance_parse(&a, NULL), SWIM_EINVAL,
	                  "unknown acceptance level ''");
}

static void test_acceptance__ordering(void **state)
{
	(void)state;
	/* levels[] runs from the highest level to the lowest */
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(levels); i++)
		for (size_t j = 0; j < SWIM_ARRAY_SIZE(levels); j++) {
			int want = i < j ? 1 : i > j ? -1 : 0;

			assert_int_equal(swim_acceptance_compare(levels[i].level,
			                                         levels[j].level),
			                 want);
		}
	assert_int_equal(swim_acceptance_compare(SWIM_ACCEPTANCE_UNKNOWN,
	                                         SWIM_ACCEPTANCE_COMMUNITY), -1);
}

/* A host at level X accepts packages at X or higher. */
static void test_acceptance__host_rule(void **state)
{
	(void)state;
	for (size_t h = 0; h < SWIM_ARRAY_SIZE(levels); h++)
		for (size_t p = 0; p < SWIM_ARRAY_SIZE(levels); p++) {
			bool want = p <= h;  /* p is at h's level or higher */

			if (swim_acceptance_allows(levels[h].level, levels[p].level) != want)
				fail_msg("a %s host %s a %s package", levels[h].name,
				         want ? "should accept" : "should refuse",
				         levels[p].name);
		}
	assert_true(swim_acceptance_allows(SWIM_ACCEPTANCE_CERTIFIED,
	                                   SWIM_ACCEPTANCE_CERTIFIED));
	assert_false(swim_acceptance_allows(SWIM_ACCEPTANCE_CERTIFIED,
	                                    SWIM_ACCEPTANCE_ACCEPTED));
	assert_true(swim_acceptance_allows(SWIM_ACCEPTANCE_COMMUNITY,
	                                   SWIM_ACCEPTANCE_CERTIFIED));
	assert_false(swim_acceptance_allows(SWIM_ACCEPTANCE_PARTNER,
	                                    SWIM_ACCEPTANCE_COMMUNITY));
	/* An unknown level is never accepted and accepts nothing. */
	assert_false(swim_acceptance_allows(SWIM_ACCEPTANCE_COMMUNITY,
	                                    SWIM_ACCEPTANCE_UNKNOWN));
	assert_false(swim_acceptance_allows(SWIM_ACCEPTANCE_UNKNOWN,
	                                    SWIM_ACCEPTANCE_CERTIFIED));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acceptance__both_spellings),
		cmocka_unit_test(test_acceptance__case_sensitive),
		cmocka_unit_test(test_acceptance__ordering),
		cmocka_unit_test(test_acceptance__host_rule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
