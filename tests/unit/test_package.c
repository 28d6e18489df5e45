#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"
#include "swim/error.h"
#include "swim/package.h"

static void test_package__new_is_empty_community(void **state)
{
	swim_package *pkg = NULL;

	(void)state;
	swim_assert_ok(swim_package_new(&pkg));
	assert_null(pkg->name);
	assert_int_equal(pkg->n_depends, 0);
	assert_int_equal(pkg->acceptance, SWIM_ACCEPTANCE_COMMUNITY);
	swim_package_free(pkg);
	swim_package_free(NULL);
}

static void test_package__id(void **state)
{
	swim_package *pkg = NULL;

	(void)state;
	swim_assert_ok(swim_package_new(&pkg));
	swim_assert_error(swim_package_update_id(pkg), SWIM_EINVAL,
	                  "needs vendor, type, name and version");
	pkg->vendor = strdup("VMW");
	pkg->type = strdup("bootbank");
	pkg->name = strdup("igbn");
	pkg->version = strdup("0.1.1.0-6vmw.700.1.0.15843807");
	swim_assert_ok(swim_package_update_id(pkg));
	assert_string_equal(pkg->id,
		"VMW_bootbank_igbn_0.1.1.0-6vmw.700.1.0.15843807");
	free(pkg->type);
	pkg->type = strdup("locker");
	swim_assert_ok(swim_package_update_id(pkg));
	assert_string_equal(pkg->id,
		"VMW_locker_igbn_0.1.1.0-6vmw.700.1.0.15843807");
	swim_package_free(pkg);
}

static void test_package__self_provide_matches(void **state)
{
	swim_package *pkg = swim_test_descriptor("descriptors/relations.xml");
	swim_constraint ge, lt, other;
	swim_provide self;

	(void)state;
	swim_package_self_provide(&self, pkg);
	assert_ptr_equal(self.name, pkg->name);
	assert_ptr_equal(self.version, pkg->version);
	swim_assert_ok(swim_constraint_parse(&ge, "tools-bundle >= 3:12.1", NULL));
	swim_assert_ok(swim_constraint_parse(&lt, "tools-bundle << 3:12.1.5", NULL));
	swim_assert_ok(swim_constraint_parse(&other, "tools-light", NULL));
	assert_true(swim_constraint_matches(&ge, &self));
	assert_false(swim_constraint_matches(&lt, &self));
	assert_false(swim_constraint_matches(&other, &self));
	swim_constraint_dispose(&ge);
	swim_constraint_dispose(&lt);
	swim_constraint_dispose(&other);
	swim_package_free(pkg);
}

static void test_package__copy_is_deep_and_equal(void **state)
{
	static const char *const files[] = {
		"descriptors/certified-driver.xml",
		"descriptors/community-full.xml",
		"descriptors/relations.xml",
		"descriptors/depot-copy.xml",
		"descriptors/minimal.xml",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		swim_package *a = swim_test_descriptor(files[i]), *b = NULL;

		swim_assert_ok(swim_package_copy(&b, a));
		assert_true(swim_package_equal(a, b));
		assert_true(swim_package_equal(b, a));
		if (a->name)
			assert_ptr_not_equal(a->name, b->name);
		swim_package_free(a);
		/* b outlives a: nothing was shared. */
		assert_non_null(b->id);
		swim_package_free(b);
	}
}

/* Every field takes part in equality. */
static void test_package__equal_sees_every_field(void **state)
{
	swim_package *a = swim_test_descriptor("descriptors/community-full.xml");
	swim_package *b = NULL;
	char *saved;

	(void)state;
	assert_true(swim_package_equal(a, a));
	assert_true(swim_package_equal(NULL, NULL));
	assert_false(swim_package_equal(a, NULL));

#define CHANGED(stmt, undo)                                  \
	do {                                                 \
		swim_assert_ok(swim_package_copy(&b, a));    \
		stmt;                                        \
		assert_false(swim_package_equal(a, b));      \
		undo;                                        \
		swim_package_free(b);                        \
		b = NULL;                                    \
	} while (0)

	CHANGED(b->overlay = !b->overlay, (void)0);
	CHANGED(b->cimom_restart = !b->cimom_restart, (void)0);
	CHANGED(b->maintenance_mode = !b->maintenance_mode, (void)0);
	CHANGED(b->acceptance = SWIM_ACCEPTANCE_PARTNER, (void)0);
	CHANGED(b->n_tags--, b->n_tags++);
	CHANGED(b->n_files--, b->n_files++);
	CHANGED(b->n_urls--, b->n_urls++);
	CHANGED(b->n_provides--, b->n_provides++);
	CHANGED(b->n_conflicts--, b->n_conflicts++);
	CHANGED(b->replaces[0].rel = SWIM_REL_LE, (void)0);
	CHANGED(b->n_hwplatforms--, b->n_hwplatforms++);
	CHANGED(b->n_platforms--, b->n_platforms++);
	CHANGED(b->payloads[1].boot_order++, (void)0);
	CHANGED(b->payloads[1].has_size = false, (void)0);
	CHANGED(b->payloads[0].n_checksums--, b->payloads[0].n_checksums++);
	CHANGED(b->payloads[0].checksums[1].verify_process[0] = 'G', (void)0);
	CHANGED((saved = b->summary, b->summary = NULL),
	        b->summary = saved);
	CHANGED((saved = b->platforms[0].locale, b->platforms[0].locale = NULL),
	        b->platforms[0].locale = saved);
	CHANGED(b->has_packed_size = true, (void)0);
	CHANGED((saved = b->install_date, b->install_date = strdup("2020-01-01")),
	        (free(b->install_date), b->install_date = saved));
#undef CHANGED
	swim_package_free(a);
}

static void test_package__payload_checksum(void **state)
{
	swim_checksum cs[] = {
		{ (char *)"sha-256", NULL, (char *)"aa" },
		{ (char *)"sha-256", (char *)"gunzip", (char *)"bb" },
		{ (char *)"sha-1", (char *)"gunzip", (char *)"cc" },
	};
	swim_payload p = { .name = (char *)"p", .checksums = cs,
	                   .n_checksums = 3 };

	(void)state;
	assert_string_equal(swim_payload_checksum(&p, "sha-256", NULL)->value, "aa");
	assert_string_equal(swim_payload_checksum(&p, "sha-256", "gunzip")->value, "bb");
	assert_string_equal(swim_payload_checksum(&p, "sha-1", "gunzip")->value, "cc");
	assert_null(swim_payload_checksum(&p, "sha-1", NULL));
	assert_null(swim_payload_checksum(&p, "sha-512", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_package__new_is_empty_community),
		cmocka_unit_test(test_package__id),
		cmocka_unit_test(test_package__self_provide_matches),
		cmocka_unit_test(test_package__copy_is_deep_and_equal),
		cmocka_unit_test(test_package__equal_sees_every_field),
		cmocka_unit_test(test_package__payload_checksum),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
