/* Host images: package records, files, slots, profiles and the
 * "(Updated)" rule. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/hosttest.h"
#include "support/testutil.h"
#include "swim/error.h"
#include "swim/host.h"
#include "swim/image.h"
#include "swim/store.h"
#include "util/str.h"

static const swim_host_file driver_files[] = {
	{ .path = "etc/vmware/default.map.d/nigx.map", .type = SWIM_FILE_REGULAR,
	  .mode = 0644, .size = 41, .mtime = 1583999999, .payload = "nigx",
	  .sha256 = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0" },
	{ .path = "usr/lib/vmware/vmkmod", .type = SWIM_FILE_DIRECTORY,
	  .mode = 0755, .mtime = 1583999999 },
	{ .path = "usr/lib/vmware/vmkmod/nigx", .type = SWIM_FILE_REGULAR,
	  .mode = 04755, .uid = 1, .gid = 2, .size = 96000, .mtime = 1583999998,
	  .sha256 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
	{ .path = "usr/lib/vmware/nigx.link", .type = SWIM_FILE_SYMLINK,
	  .mode = 0777, .link_target = "vmkmod/nigx", .mtime = 1583999997 },
	{ .path = "dev/nigx0", .type = SWIM_FILE_CHAR, .mode = 0600,
	  .rdev = (240 << 8) | 1, .mtime = 1583999996 },
};

/* Adds a record for a test descriptor; returns its id. */
static int64_t add_record(swim_host *h, const char *descriptor,
                          swim_acceptance proven, const swim_host_file *files,
                          size_t n_files)
{
	char signer[] = "CN=test", source[] = "https://depot.example/index.xml";
	swim_host_package in = { .proven = proven, .signer = signer,
	                         .source = source };
	int64_t rec = 0;

	in.pkg = swim_test_descriptor(descriptor);
	swim_assert_ok(swim_host_package_add(&rec, h, &in, files, n_files));
	assert_true(rec > 0);
	swim_package_free(in.pkg);
	return rec;
}

struct collect {
	char paths[8][128];
	swim_host_file first;
	size_t n;
};

static int collect_file(const swim_host_file *f, void *ctx)
{
	struct collect *c = ctx;

	if (c->n == 0) {
		c->first = *f;
		c->first.path = NULL;  /* borrowed: not valid after the call */
		c->first.sha256 = NULL;
		c->first.link_target = NULL;
		c->first.payload = NULL;
		c->first.vib_id = NULL;
	}
	if (c->n < 8)
		(void)snprintf(c->paths[c->n], sizeof(c->paths[0]), "%s|%s", f->path,
		               f->vib_id);
	c->n++;
	return 0;
}

static void test_image__record_round_trip(void **state)
{
	swim_test_host *f = *state;
	swim_package *orig = swim_test_descriptor("descriptors/certified-driver.xml");
	swim_host_package *got = NULL;
	struct collect c = { .n = 0 };
	int64_t rec = add_record(f->h, "descriptors/certified-driver.xml",
	                         SWIM_ACCEPTANCE_CERTIFIED, driver_files,
	                         SWIM_ARRAY_SIZE(driver_files));
	uint64_t count;

	swim_assert_ok(swim_host_package_get(&got, f->h, rec));
	assert_int_equal(got->record, rec);
	assert_int_equal(got->proven, SWIM_ACCEPTANCE_CERTIFIED);
	assert_string_equal(got->signer, "CN=test");
	assert_string_equal(got->source, "https://depot.example/index.xml");
	assert_int_equal(got->pkg->n_source_urls, 1);
	/* Every descriptor field survives; the install date was kept. */
	assert_string_equal(got->pkg->install_date, orig->install_date);
	free(got->pkg->source_urls[0]);
	free(got->pkg->source_urls);
	got->pkg->source_urls = NULL;
	got->pkg->n_source_urls = 0;
	assert_true(swim_package_equal(got->pkg, orig));
	swim_host_package_free(got);
	swim_package_free(orig);

	swim_assert_ok(swim_host_files_count(&count, f->h, rec));
	assert_int_equal(count, SWIM_ARRAY_SIZE(driver_files));
	swim_assert_ok(swim_host_files_foreach(f->h, rec, collect_file, &c));
	assert_int_equal(c.n, 5);
	assert_string_equal(c.paths[0], "dev/nigx0|VMW_bootbank_nigx_1.4.2.0-8vmw.700.1.0.15843807");
	assert_int_equal(c.first.type, SWIM_FILE_CHAR);
	assert_int_equal(c.first.rdev, (240 << 8) | 1);
	assert_int_equal(c.first.mode, 0600);
	assert_int_equal(c.first.mtime, 1583999996);
	assert_string_equal(c.paths[4], "usr/lib/vmware/vmkmod/nigx|VMW_bootbank_nigx_1.4.2.0-8vmw.700.1.0.15843807");
	swim_assert_error(swim_host_package_get(&got, f->h, 999), SWIM_ENOTFOUND,
	                  "no package record 999");
}

static int check_file_fields(const swim_host_file *file, void *ctx)
{
	(void)ctx;
	if (strcmp(file->path, "usr/lib/vmware/vmkmod/nigx") == 0) {
		assert_int_equal(file->mode, 04755);
		assert_int_equal(file->uid, 1);
		assert_int_equal(file->gid, 2);
		assert_int_equal(file->size, 96000);
		assert_string_equal(file->sha256, driver_files[2].sha256);
		assert_null(file->link_target);
	}
	if (strcmp(file->path, "usr/lib/vmware/nigx.link") == 0) {
		assert_int_equal(file->type, SWIM_FILE_SYMLINK);
		assert_string_equal(file->link_target, "vmkmod/nigx");
		assert_null(file->sha256);
	}
	return 0;
}

static int stop_at_first(const swim_host_file *file, void *ctx)
{
	(void)file;
	++*(int *)ctx;
	return 42;
}

static void test_image__files(void **state)
{
	swim_test_host *f = *state;
	int64_t rec = add_record(f->h, "descriptors/certified-driver.xml",
	                         SWIM_ACCEPTANCE_CERTIFIED, driver_files,
	                         SWIM_ARRAY_SIZE(driver_files));
	swim_host_file bad = { .path = "a/../b", .type = SWIM_FILE_REGULAR };
	swim_host_file twice[2] = {
		{ .path = "x", .type = SWIM_FILE_REGULAR },
		{ .path = "x", .type = SWIM_FILE_REGULAR },
	};
	swim_host_package in = { .proven = SWIM_ACCEPTANCE_PARTNER };
	char **owners = NULL;
	size_t n;
	int calls = 0;
	int64_t r2;

	swim_assert_ok(swim_host_files_foreach(f->h, rec, check_file_fields, NULL));
	assert_int_equal(swim_host_files_foreach(f->h, rec, stop_at_first, &calls),
	                 42);
	assert_int_equal(calls, 1);
	/* Owners count only packages in the slot. */
	swim_assert_ok(swim_host_path_owners(&owners, &n, f->h, SWIM_IMAGE_CURRENT,
	                                     "usr/lib/vmware/vmkmod/nigx"));
	assert_int_equal(n, 0);
	swim_assert_ok(swim_image_add(f->h, SWIM_IMAGE_CURRENT, rec));
	swim_assert_ok(swim_host_path_owners(&owners, &n, f->h, SWIM_IMAGE_CURRENT,
	                                     "usr/lib/vmware/vmkmod/nigx"));
	assert_int_equal(n, 1);
	assert_string_equal(owners[0],
	                    "VMW_bootbank_nigx_1.4.2.0-8vmw.700.1.0.15843807");
	swim_host_strv_free(owners, n);

	in.pkg = swim_test_descriptor("descriptors/minimal.xml");
	swim_assert_error(swim_host_package_add(&r2, f->h, &in, &bad, 1),
	                  SWIM_EINVAL, "package example_bootbank_hello_1.0: file "
	                  "'a/../b': empty, '.' or '..' path component");
	assert_int_equal(r2, 0);
	bad.path = "/etc/passwd";
	swim_assert_error(swim_host_package_add(&r2, f->h, &in, &bad, 1),
	                  SWIM_EINVAL, "not a relative path");
	bad.path = "ok";
	bad.mode = 0100644;
	swim_assert_error(swim_host_package_add(&r2, f->h, &in, &bad, 1),
	                  SWIM_EINVAL, "has more than permission bits");
	bad.mode = 0644;
	bad.type = (swim_file_type)'z';
	swim_assert_error(swim_host_package_add(&r2, f->h, &in, &bad, 1),
	                  SWIM_EINVAL, "unknown type");
	swim_assert_error(swim_host_package_add(&r2, f->h, &in, twice, 2),
	                  SWIM_ECONFLICT, "file 'x' is listed twice");
	in.proven = SWIM_ACCEPTANCE_UNKNOWN;
	swim_assert_error(swim_host_package_add(&r2, f->h, &in, NULL, 0),
	                  SWIM_EINVAL, "no proven acceptance level");
	swim_package_free(in.pkg);
	/* Nothing of the refused records stayed. */
	swim_assert_ok(swim_image_gc(f->h, NULL));
	swim_assert_ok(swim_host_path_owners(&owners, &n, f->h, SWIM_IMAGE_CURRENT,
	                                     "x"));
	assert_int_equal(n, 0);
}

static void test_image__one_version_per_name(void **state)
{
	swim_test_host *f = *state;
	int64_t a = add_record(f->h, "descriptors/minimal.xml",
	                       SWIM_ACCEPTANCE_PARTNER, NULL, 0);
	int64_t b = add_record(f->h, "descriptors/minimal.xml",
	                       SWIM_ACCEPTANCE_PARTNER, NULL, 0);
	swim_host_package **v = NULL;
	size_t n;

	swim_assert_ok(swim_image_add(f->h, SWIM_IMAGE_CURRENT, a));
	swim_assert_error(swim_image_add(f->h, SWIM_IMAGE_CURRENT, b),
	                  SWIM_ECONFLICT, "the current image has "
	                  "example_bootbank_hello_1.0 already (one version of "
	                  "hello at a time)");
	swim_assert_error(swim_image_add(f->h, SWIM_IMAGE_PENDING, b),
	                  SWIM_ENOTFOUND, "there is no pending image");
	swim_assert_error(swim_image_add(f->h, SWIM_IMAGE_CURRENT, 12345),
	                  SWIM_ENOTFOUND, "no package record 12345");
	swim_assert_error(swim_image_remove(f->h, SWIM_IMAGE_CURRENT, "nope"),
	                  SWIM_ENOTFOUND, "the current image has no package named "
	                  "'nope'");
	swim_assert_ok(swim_image_remove(f->h, SWIM_IMAGE_CURRENT, "hello"));
	swim_assert_ok(swim_image_add(f->h, SWIM_IMAGE_CURRENT, b));
	swim_assert_ok(swim_image_packages(&v, &n, f->h, SWIM_IMAGE_CURRENT));
	assert_int_equal(n, 1);
	assert_int_equal(v[0]->record, b);
	swim_host_package_list_free(v, n);
}

static void test_image__find_by_specification(void **state)
{
	static const struct {
		const char *spec;
		size_t n;
	} cases[] = {
		{ "VMW_bootbank_nigx_1.4.2.0-8vmw.700.1.0.15843807", 1 },
		{ "nigx", 1 },
		{ "nigx:1.4.2.0-8vmw.700.1.0.15843807", 1 },
		{ "VMW:nigx", 1 },
		{ "VMW:nigx:1.4.2.0-8vmw.700.1.0.15843807", 1 },
		{ "tools-bundle:3:12.1.5-20735119", 1 },
		{ "VMware:tools-bundle:3:12.1.5-20735119", 1 },
		{ "nigx:01.4.2.0-8vmw.700.1.0.15843807", 1 },
		{ "nigx:1.0", 0 },
		{ "VMW", 0 },
		{ "VMW:", 0 },
		{ "ni", 0 },
	};
	swim_test_host *f = *state;
	swim_host_package **v = NULL;
	size_t n;

	swim_assert_ok(swim_image_add(f->h, SWIM_IMAGE_CURRENT,
	                              add_record(f->h, "descriptors/certified-driver.xml",
	                                         SWIM_ACCEPTANCE_CERTIFIED, NULL, 0)));
	swim_assert_ok(swim_image_add(f->h, SWIM_IMAGE_CURRENT,
	                              add_record(f->h, "descriptors/relations.xml",
	                                         SWIM_ACCEPTANCE_ACCEPTED, NULL, 0)));
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(cases); i++) {
		int rc = swim_image_find(&v, &n, f->h, SWIM_IMAGE_CURRENT,
		                         cases[i].spec);

		if (cases[i].n == 0) {
			if (rc != SWIM_ENOTFOUND)
				fail_msg("'%s' matched", cases[i].spec);
			assert_non_null(strstr(swim_error_last(),
			                       "No VIB matching VIB search specification"));
			continue;
		}
		if (rc != 0 || n != cases[i].n)
			fail_msg("'%s': rc %d, %zu found", cases[i].spec, rc, n);
		swim_host_package_list_free(v, n);
	}
	swim_assert_error(swim_image_find(&v, &n, f->h, SWIM_IMAGE_CURRENT, "x"),
	                  SWIM_ENOTFOUND,
	                  "No VIB matching VIB search specification 'x'.");
}

static void test_image__profile_round_trip(void **state)
{
	swim_test_host *f = *state;
	swim_profile *p = NULL, *got = NULL;
	char k1[] = "site", v1[] = "lab", k2[] = "vendor", v2[] = "acme";
	swim_profile_rule rules[2] = { { k1, v1 }, { k2, v2 } };

	swim_assert_ok(swim_image_profile(&p, f->h, SWIM_IMAGE_CURRENT));
	assert_string_equal(p->name, "");
	assert_string_equal(p->vendor, "");
	swim_profile_free(p);
	swim_assert_ok(swim_profile_new(&p, "ESXi-fixture-standard", "swim tests"));
	swim_assert_ok(swim_str_set(&p->description, "two packages"));
	p->acceptance = SWIM_ACCEPTANCE_ACCEPTED;
	p->rules = rules;
	p->n_rules = 2;
	swim_assert_ok(swim_profile_add_vib(p, "ignored_vib_id_1"));
	swim_assert_ok(swim_image_profile_set(f->h, SWIM_IMAGE_CURRENT, p));
	swim_assert_ok(swim_image_add(f->h, SWIM_IMAGE_CURRENT,
	                              add_record(f->h, "descriptors/minimal.xml",
	                                         SWIM_ACCEPTANCE_PARTNER, NULL, 0)));
	swim_assert_ok(swim_image_profile(&got, f->h, SWIM_IMAGE_CURRENT));
	/* The package list is the slot's, not the one given. */
	swim_assert_ok(swim_profile_remove_vib(p, "ignored_vib_id_1"));
	swim_assert_ok(swim_profile_add_vib(p, "example_bootbank_hello_1.0"));
	assert_true(swim_profile_equal(got, p));
	p->rules = NULL;
	p->n_rules = 0;
	swim_profile_free(got);
	/* A named profile must follow Image Builder's rules. */
	free(p->vendor);
	p->vendor = strdup("a vendor name that is much longer than forty characters");
	swim_assert_error(swim_image_profile_set(f->h, SWIM_IMAGE_CURRENT, p),
	                  SWIM_ELIMIT, "Vendor");
	swim_profile_free(p);
}

static void test_image__updated_rule(void **state)
{
	swim_profile *p = NULL;
	char name[81];

	(void)state;
	swim_assert_ok(swim_profile_new(&p, "ESXi-8.0U2-standard", "VMware, Inc."));
	free(p->modified_time);
	p->modified_time = strdup("2000-01-01T00:00:00Z");
	swim_assert_ok(swim_image_profile_mark_updated(p));
	assert_string_equal(p->name, "(Updated) ESXi-8.0U2-standard");
	assert_string_not_equal(p->modified_time, "2000-01-01T00:00:00Z");
	assert_string_equal(p->vendor, "VMware, Inc.");
	/* Once only. */
	swim_assert_ok(swim_image_profile_mark_updated(p));
	assert_string_equal(p->name, "(Updated) ESXi-8.0U2-standard");
	/* Cut to 80 characters, between UTF-8 sequences. */
	memset(name, 'n', 80);
	name[80] = '\0';
	memcpy(name + 68, "\xc3\xa9\xc3\xa9", 4);  /* two 2-byte characters */
	free(p->name);
	p->name = strdup(name);
	swim_assert_ok(swim_image_profile_mark_updated(p));
	assert_int_equal(strncmp(p->name, "(Updated) nnn", 13), 0);
	assert_true(swim_str_is_utf8(p->name, strlen(p->name)));
	swim_assert_ok(swim_profile_check(p, NULL));
	/* An unnamed image stays unnamed. */
	free(p->name);
	p->name = strdup("");
	swim_assert_ok(swim_image_profile_mark_updated(p));
	assert_string_equal(p->name, "");
	swim_profile_free(p);
}

static void test_image__slots(void **state)
{
	swim_test_host *f = *state;
	int64_t a = add_record(f->h, "descriptors/minimal.xml",
	                       SWIM_ACCEPTANCE_PARTNER, driver_files, 1);
	int64_t b = add_record(f->h, "descriptors/relations.xml",
	                       SWIM_ACCEPTANCE_ACCEPTED, NULL, 0);
	swim_host_package **v = NULL, *got = NULL;
	swim_profile *p = NULL;
	uint64_t gone;
	bool exists;
	size_t n;

	swim_assert_ok(swim_image_add(f->h, SWIM_IMAGE_CURRENT, a));
	swim_assert_ok(swim_image_exists(&exists, f->h, SWIM_IMAGE_PENDING));
	assert_false(exists);
	swim_assert_error(swim_image_packages(&v, &n, f->h, SWIM_IMAGE_PENDING),
	                  SWIM_ENOTFOUND, "there is no pending image");
	/* A reboot-required change: pending = current + b. */
	swim_assert_ok(swim_image_copy(f->h, SWIM_IMAGE_CURRENT, SWIM_IMAGE_PENDING));
	swim_assert_ok(swim_image_add(f->h, SWIM_IMAGE_PENDING, b));
	swim_assert_ok(swim_image_profile(&p, f->h, SWIM_IMAGE_PENDING));
	assert_int_equal(p->n_vib_ids, 2);
	swim_assert_ok(swim_image_profile_mark_updated(p));
	swim_assert_ok(swim_image_profile_set(f->h, SWIM_IMAGE_PENDING, p));
	swim_profile_free(p);
	swim_assert_ok(swim_image_packages(&v, &n, f->h, SWIM_IMAGE_CURRENT));
	assert_int_equal(n, 1);
	swim_host_package_list_free(v, n);
	/* Boot activation: previous <- current <- pending, in one go. */
	swim_assert_ok(swim_host_begin(f->h));
	swim_assert_ok(swim_image_delete(f->h, SWIM_IMAGE_PREVIOUS));
	swim_assert_ok(swim_image_move(f->h, SWIM_IMAGE_CURRENT, SWIM_IMAGE_PREVIOUS));
	swim_assert_ok(swim_image_move(f->h, SWIM_IMAGE_PENDING, SWIM_IMAGE_CURRENT));
	swim_assert_ok(swim_host_commit(f->h));
	swim_assert_ok(swim_image_packages(&v, &n, f->h, SWIM_IMAGE_CURRENT));
	assert_int_equal(n, 2);
	swim_host_package_list_free(v, n);
	swim_assert_ok(swim_image_packages(&v, &n, f->h, SWIM_IMAGE_PREVIOUS));
	assert_int_equal(n, 1);
	swim_host_package_list_free(v, n);
	swim_assert_ok(swim_image_exists(&exists, f->h, SWIM_IMAGE_PENDING));
	assert_false(exists);
	/* Rollback: the previous image becomes the pending one. */
	swim_assert_ok(swim_image_move(f->h, SWIM_IMAGE_PREVIOUS, SWIM_IMAGE_PENDING));
	swim_assert_error(swim_image_move(f->h, SWIM_IMAGE_CURRENT, SWIM_IMAGE_PENDING),
	                  SWIM_EEXISTS, "there is a pending image already");
	swim_assert_error(swim_image_delete(f->h, SWIM_IMAGE_CURRENT), SWIM_EINVAL,
	                  "the current image cannot be deleted");
	/* The current image cannot be left empty. */
	swim_assert_ok(swim_host_begin(f->h));
	swim_assert_ok(swim_image_delete(f->h, SWIM_IMAGE_PENDING));
	swim_assert_ok(swim_image_move(f->h, SWIM_IMAGE_CURRENT, SWIM_IMAGE_PREVIOUS));
	swim_assert_error(swim_host_commit(f->h), SWIM_EINVAL,
	                  "leaves the host without a current image");
	swim_assert_ok(swim_image_exists(&exists, f->h, SWIM_IMAGE_PENDING));
	assert_true(exists);
	/* Records no slot holds go, with their files. */
	swim_assert_ok(swim_image_gc(f->h, &gone));
	assert_int_equal(gone, 0);
	swim_assert_ok(swim_image_delete(f->h, SWIM_IMAGE_PENDING));
	swim_assert_ok(swim_image_remove(f->h, SWIM_IMAGE_CURRENT, "hello"));
	swim_assert_ok(swim_image_gc(f->h, &gone));
	assert_int_equal(gone, 1);
	swim_assert_ok(swim_host_files_count(&gone, f->h, a));
	assert_int_equal(gone, 0);
	swim_assert_error(swim_host_package_get(&got, f->h, a), SWIM_ENOTFOUND,
	                  "no package record");
	assert_null(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		SWIM_HOST_TEST(test_image__record_round_trip),
		SWIM_HOST_TEST(test_image__files),
		SWIM_HOST_TEST(test_image__one_version_per_name),
		SWIM_HOST_TEST(test_image__find_by_specification),
		SWIM_HOST_TEST(test_image__profile_round_trip),
		cmocka_unit_test(test_image__updated_rule),
		SWIM_HOST_TEST(test_image__slots),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
