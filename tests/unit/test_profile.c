#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"
#include "swim/error.h"
#include "swim/profile.h"

static swim_profile *read_str(const char *xml)
{
	swim_profile *p = NULL;

	swim_assert_ok(swim_profile_read(&p, xml, strlen(xml), NULL));
	return p;
}

static void test_profile__reads_every_field(void **state)
{
	size_t len;
	char *xml = swim_test_data("profiles/standard.xml", &len);
	swim_profile *p = NULL;

	(void)state;
	swim_assert_ok(swim_profile_read(&p, xml, len, NULL));
	assert_string_equal(p->guid, "4f1c2a9e8b7d6c5a4f3e2d1c0b9a8776");
	assert_string_equal(p->name, "swim-demo-1.0-standard");
	assert_string_equal(p->vendor, "swim demo");
	assert_string_equal(p->author, "release engineering");
	assert_string_equal(p->description,
	                    "Base image with the demo drivers & tools.\nSecond line.");
	assert_int_equal(p->acceptance, SWIM_ACCEPTANCE_PARTNER);
	assert_string_equal(p->creation_time, "2026-11-01T08:00:00Z");
	assert_string_equal(p->modified_time, "2026-11-02T09:30:00Z");
	assert_true(p->read_only);
	assert_int_equal(p->n_rules, 2);
	assert_string_equal(p->rules[1].value, "lab <3>");
	assert_int_equal(p->n_vib_ids, 3);
	/* Kept sorted whatever the file's order. */
	assert_string_equal(p->vib_ids[0], "ACME_bootbank_net-driver_2.1-3acme");
	assert_string_equal(p->vib_ids[2], "SWIM_locker_tools_1.0-2");
	swim_profile_free(p);
	free(xml);
}

static void test_profile__round_trip(void **state)
{
	size_t len;
	char *xml = swim_test_data("profiles/standard.xml", &len);
	swim_profile *p = NULL, *q = NULL, *c = NULL;
	swim_buf out = SWIM_BUF_INIT(0);

	(void)state;
	swim_assert_ok(swim_profile_read(&p, xml, len, NULL));
	swim_assert_ok(swim_profile_write(&out, p));
	swim_assert_ok(swim_profile_read(&q, out.ptr, out.len, NULL));
	assert_true(swim_profile_equal(p, q));
	swim_assert_ok(swim_profile_copy(&c, q));
	assert_true(swim_profile_equal(p, c));
	c->read_only = false;
	assert_false(swim_profile_equal(p, c));
	swim_profile_free(p);
	swim_profile_free(q);
	swim_profile_free(c);
	swim_buf_dispose(&out);
	free(xml);
}

static void test_profile__new_and_vib_list(void **state)
{
	swim_profile *p = NULL;

	(void)state;
	swim_assert_ok(swim_profile_new(&p, "custom", "me"));
	assert_int_equal(strlen(p->guid), 32);
	assert_int_equal(p->acceptance, SWIM_ACCEPTANCE_PARTNER);
	assert_string_equal(p->creation_time, p->modified_time);
	swim_assert_ok(swim_profile_check(p, NULL));
	swim_assert_ok(swim_profile_add_vib(p, "V_bootbank_b_1-1"));
	swim_assert_ok(swim_profile_add_vib(p, "V_bootbank_a_1-1"));
	swim_assert_ok(swim_profile_add_vib(p, "V_bootbank_c_1-1"));
	swim_assert_ok(swim_profile_add_vib(p, "V_bootbank_a_1-1"));
	assert_int_equal(p->n_vib_ids, 3);
	assert_string_equal(p->vib_ids[0], "V_bootbank_a_1-1");
	assert_true(swim_profile_has_vib(p, "V_bootbank_c_1-1"));
	swim_assert_ok(swim_profile_remove_vib(p, "V_bootbank_b_1-1"));
	assert_false(swim_profile_has_vib(p, "V_bootbank_b_1-1"));
	swim_assert_error(swim_profile_remove_vib(p, "V_bootbank_b_1-1"),
	                  SWIM_ENOTFOUND, "has no package V_bootbank_b_1-1");
	swim_assert_ok(swim_profile_check(p, NULL));
	swim_profile_free(p);
}

#define HEAD "<imageProfile schemaVersion=\"1\"><guid>0123456789abcdef0123456789abcdef</guid>"
#define TIMES "<acceptance-level>partner</acceptance-level>" \
	"<creation-time>2026-01-01T00:00:00Z</creation-time>" \
	"<modified-time>2026-01-01T00:00:00Z</modified-time>"

static void expect_bad(const char *xml, int code, const char *needle)
{
	swim_profile *p = NULL;

	swim_assert_error(swim_profile_read(&p, xml, strlen(xml), NULL), code, needle);
	assert_null(p);
}

static void test_profile__errors_name_the_field(void **state)
{
	char long_name[200], xml[1024];

	(void)state;
	expect_bad("<profile/>", SWIM_EINVAL, "expected <imageProfile>");
	expect_bad("<imageProfile schemaVersion=\"9\"/>", SWIM_ENOTSUPPORTED,
	           "schemaVersion '9'");
	expect_bad(HEAD "<name>n</name><vendor>v</vendor>" TIMES "<colour/></imageProfile>",
	           SWIM_EINVAL, "<colour> is not an image profile element");
	expect_bad(HEAD "<vendor>v</vendor>" TIMES "</imageProfile>",
	           SWIM_EINVAL, "Name is missing");
	expect_bad(HEAD "<name>n</name><name>m</name></imageProfile>",
	           SWIM_EINVAL, "<name> appears twice");
	memset(long_name, 'x', 81);
	long_name[81] = '\0';
	snprintf(xml, sizeof(xml), HEAD "<name>%s</name><vendor>v</vendor>" TIMES
	         "</imageProfile>", long_name);
	expect_bad(xml, SWIM_ELIMIT, "Name is 81 characters, more than 80");
	long_name[41] = '\0';
	snprintf(xml, sizeof(xml), HEAD "<name>n</name><vendor>%s</vendor>" TIMES
	         "</imageProfile>", long_name);
	expect_bad(xml, SWIM_ELIMIT, "Vendor is 41 characters, more than 40");
	long_name[61] = '\0';
	memset(long_name, 'a', 61);
	snprintf(xml, sizeof(xml), HEAD "<name>n</name><vendor>v</vendor><author>%s</author>"
	         TIMES "</imageProfile>", long_name);
	expect_bad(xml, SWIM_ELIMIT, "Author is 61 characters, more than 60");
	/* 80 characters that take more bytes still fit. */
	xml[0] = '\0';
	{
		char name[161];
		for (int i = 0; i < 80; i++)
			memcpy(name + 2 * i, "\xc3\xa9", 2);
		name[160] = '\0';
		snprintf(xml, sizeof(xml), HEAD "<name>%s</name><vendor>v</vendor>" TIMES
		         "</imageProfile>", name);
		swim_profile_free(read_str(xml));
	}
	expect_bad("<imageProfile schemaVersion=\"1\"><guid>XYZ</guid><name>n</name>"
	           "<vendor>v</vendor>" TIMES "</imageProfile>", SWIM_EINVAL,
	           "GUID 'XYZ'");
	expect_bad(HEAD "<name>n</name><vendor>v</vendor><acceptance-level>partner</acceptance-level>"
	           "<creation-time>yesterday</creation-time>"
	           "<modified-time>2026-01-01T00:00:00Z</modified-time></imageProfile>",
	           SWIM_EINVAL, "YYYY-MM-DDTHH:MM:SSZ");
	expect_bad(HEAD "<name>n</name><vendor>v</vendor><acceptance-level>gold</acceptance-level>"
	           "</imageProfile>", SWIM_EINVAL, "unknown acceptance level 'gold'");
	expect_bad(HEAD "<name>n</name><vendor>v</vendor>" TIMES
	           "<read-only>yes</read-only></imageProfile>", SWIM_EINVAL,
	           "<read-only> must be true or false");
	expect_bad(HEAD "<name>n</name><vendor>v</vendor>" TIMES
	           "<vibs><vib>A_b_c_1</vib><vib>A_b_c_1</vib></vibs></imageProfile>",
	           SWIM_EINVAL, "lists a package twice");
	expect_bad(HEAD "<name>n</name><vendor>v</vendor>" TIMES
	           "<vibs><vib>not an id</vib></vibs></imageProfile>",
	           SWIM_EINVAL, "'not an id' is not a package id");
	expect_bad(HEAD "<name>n</name><vendor>v</vendor>" TIMES
	           "<rules><rule name=\"x\"/></rules></imageProfile>",
	           SWIM_EINVAL, "needs name and value");
	expect_bad(HEAD "<name>n\x01</name></imageProfile>", SWIM_EINVAL, "image profile");
}

static swim_package pkg(const char *id, const char *name, const char *version,
                        swim_acceptance level)
{
	swim_package p;

	memset(&p, 0, sizeof(p));
	p.id = (char *)id;
	p.name = (char *)name;
	p.version = (char *)version;
	p.acceptance = level;
	return p;
}

static void test_profile__diff_like_compare_esximageprofile(void **state)
{
	swim_package base1 = pkg("S_bootbank_base_1.0-1", "base", "1.0-1", SWIM_ACCEPTANCE_CERTIFIED);
	swim_package base2 = pkg("S_bootbank_base_1.1-1", "base", "1.1-1", SWIM_ACCEPTANCE_CERTIFIED);
	swim_package net3 = pkg("A_bootbank_net_3-1", "net", "3-1", SWIM_ACCEPTANCE_PARTNER);
	swim_package net2 = pkg("A_bootbank_net_2-9", "net", "2-9", SWIM_ACCEPTANCE_PARTNER);
	swim_package tools = pkg("S_locker_tools_1-1", "tools", "1-1", SWIM_ACCEPTANCE_ACCEPTED);
	swim_package extra = pkg("C_bootbank_extra_1-1", "extra", "1-1", SWIM_ACCEPTANCE_COMMUNITY);
	const swim_package *all[] = { &base1, &base2, &net3, &net2, &tools, &extra };
	swim_profile *ref = NULL, *comp = NULL;
	swim_profile_diff d;

	(void)state;
	swim_assert_ok(swim_profile_new(&ref, "ref", "v"));
	swim_assert_ok(swim_profile_new(&comp, "comp", "v"));
	swim_assert_ok(swim_profile_add_vib(ref, base1.id));
	swim_assert_ok(swim_profile_add_vib(ref, net3.id));
	swim_assert_ok(swim_profile_add_vib(ref, tools.id));
	swim_assert_ok(swim_profile_add_vib(comp, base2.id));
	swim_assert_ok(swim_profile_add_vib(comp, net2.id));
	swim_assert_ok(swim_profile_add_vib(comp, extra.id));
	comp->acceptance = SWIM_ACCEPTANCE_COMMUNITY;

	swim_assert_ok(swim_profile_diff_compute(&d, ref, all, 6, comp, all, 6));
	assert_false(d.equal);
	assert_false(d.packages_equal);
	assert_int_equal(d.n_only_in_ref, 1);
	assert_string_equal(d.only_in_ref[0], tools.id);
	assert_int_equal(d.n_only_in_comp, 1);
	assert_string_equal(d.only_in_comp[0], extra.id);
	assert_int_equal(d.n_upgrade_from_ref, 1);
	assert_string_equal(d.upgrade_from_ref[0], base2.id);
	assert_int_equal(d.n_downgrade_from_ref, 1);
	assert_string_equal(d.downgrade_from_ref[0], net2.id);
	assert_int_equal(d.ref_acceptance, SWIM_ACCEPTANCE_PARTNER);
	assert_int_equal(d.comp_acceptance, SWIM_ACCEPTANCE_COMMUNITY);
	swim_profile_diff_dispose(&d);

	/* A profile against itself is equal. */
	swim_assert_ok(swim_profile_diff_compute(&d, ref, all, 6, ref, all, 6));
	assert_true(d.equal);
	assert_true(d.packages_equal);
	swim_profile_diff_dispose(&d);

	/* An id the caller cannot resolve is an error naming it. */
	swim_assert_ok(swim_profile_add_vib(comp, "Z_bootbank_ghost_1-1"));
	swim_assert_error(swim_profile_diff_compute(&d, ref, all, 6, comp, all, 6),
	                  SWIM_ENOTFOUND, "Z_bootbank_ghost_1-1");
	assert_int_equal(swim_profile_lowest_acceptance(all, 6), SWIM_ACCEPTANCE_COMMUNITY);
	assert_int_equal(swim_profile_lowest_acceptance(all, 1), SWIM_ACCEPTANCE_CERTIFIED);
	swim_profile_free(ref);
	swim_profile_free(comp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile__reads_every_field),
		cmocka_unit_test(test_profile__round_trip),
		cmocka_unit_test(test_profile__new_and_vib_list),
		cmocka_unit_test(test_profile__errors_name_the_field),
		cmocka_unit_test(test_profile__diff_like_compare_esximageprofile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
