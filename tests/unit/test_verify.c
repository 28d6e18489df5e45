/* Verification against records put in the database directly: each check
 * on each file type, the FailedFlags and rpm columns, a missing file, a
 * shadowed (overlaid) path, -n selection and many files over threads. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <unistd.h>

#include "support/hosttest.h"
#include "support/testutil.h"
#include "swim/error.h"
#include "swim/image.h"
#include "swim/verify.h"
#include "util/str.h"

/* sha-256 of "data\n" */
#define DATA_SHA "6667b2d1aab6a00caa5aee5af8ad9f1465e567abf1c209d15727d57b3e8f6e5f"

static char *at(const swim_test_host *f, const char *rel)
{
	return swim_test_path(f->root, rel);
}

static void put_file(const swim_test_host *f, const char *rel, int64_t mtime)
{
	char *p = at(f, rel);
	struct timeval tv[2] = { { mtime, 0 }, { mtime, 0 } };

	swim_test_write_file(p, "data\n", 5);
	assert_int_equal(chmod(p, 0644), 0);
	assert_int_equal(utimes(p, tv), 0);
	free(p);
}

/* Records package NAME (overlay or not) with the files, in the current
 * image. */
static void record(swim_test_host *f, const char *name, bool overlay,
                   const swim_host_file *files, size_t n)
{
	swim_buf xml = SWIM_BUF_INIT(0);
	swim_host_package in = { .proven = SWIM_ACCEPTANCE_COMMUNITY };
	int64_t rec;

	swim_assert_ok(swim_buf_printf(&xml,
		"<vib version=\"5.0\"><type>bootbank</type><name>%s</name>"
		"<version>1-1</version><vendor>t</vendor><summary>s</summary>"
		"<acceptance-level>community</acceptance-level>"
		"<overlay>%s</overlay></vib>", name, overlay ? "true" : "false"));
	swim_assert_ok(swim_descriptor_read(&in.pkg, xml.ptr, xml.len, NULL));
	swim_assert_ok(swim_host_package_add(&rec, f->h, &in, files, n));
	swim_assert_ok(swim_image_add(f->h, SWIM_IMAGE_CURRENT, rec));
	swim_package_free(in.pkg);
	swim_buf_dispose(&xml);
}

static const swim_verify_file *find(const swim_verify_result *r,
                                    const char *vib, const char *path)
{
	for (size_t i = 0; i < r->n_files; i++)
		if (strcmp(r->files[i].path, path) == 0 &&
		    (!vib || strstr(r->files[i].vib_id, vib)))
			return &r->files[i];
	fail_msg("no result for %s", path);
	return NULL;
}

static void flags(const swim_verify_file *v, const char *want_rpm,
                  unsigned want_failed)
{
	char rpm[9];

	swim_verify_rpm_flags(rpm, v);
	assert_string_equal(rpm, want_rpm);
	assert_int_equal(v->failed, want_failed);
}

static void test_verify__each_check(void **state)
{
	swim_test_host *f = *state;
	uid_t me = geteuid();
	gid_t my_gid = getegid();
	const swim_host_file files[] = {
		{ .path = "d", .type = SWIM_FILE_DIRECTORY, .mode = 0755,
		  .uid = me, .gid = my_gid },
		{ .path = "d/ok", .type = SWIM_FILE_REGULAR, .mode = 0644,
		  .uid = me, .gid = my_gid, .size = 5, .sha256 = DATA_SHA,
		  .mtime = 1000 },
		{ .path = "d/content", .type = SWIM_FILE_REGULAR, .mode = 0644,
		  .uid = me, .gid = my_gid, .size = 5, .sha256 = DATA_SHA,
		  .mtime = 1000 },
		{ .path = "d/mode", .type = SWIM_FILE_REGULAR, .mode = 0644,
		  .uid = me, .gid = my_gid, .size = 5, .sha256 = DATA_SHA,
		  .mtime = 1000 },
		{ .path = "d/time", .type = SWIM_FILE_REGULAR, .mode = 0644,
		  .uid = me, .gid = my_gid, .size = 5, .sha256 = DATA_SHA,
		  .mtime = 1000 },
		{ .path = "d/gone", .type = SWIM_FILE_REGULAR, .mode = 0644,
		  .uid = me, .gid = my_gid, .size = 5, .sha256 = DATA_SHA,
		  .mtime = 1000 },
		{ .path = "d/link", .type = SWIM_FILE_SYMLINK, .mode = 0777,
		  .uid = me, .gid = my_gid, .size = 2, .link_target = "ok" },
		{ .path = "d/owner", .type = SWIM_FILE_REGULAR, .mode = 0644,
		  .uid = me + 1, .gid = my_gid + 1, .size = 5,
		  .sha256 = DATA_SHA, .mtime = 1000 },
	};
	swim_verify_options opt = { .failed_only = false };
	swim_verify_result *r = NULL;
	uint16_t ff[SWIM_VERIFY_CHECKS];
	char *p;

	put_file(f, "d/ok", 1000);
	put_file(f, "d/content", 1000);
	put_file(f, "d/mode", 1000);
	put_file(f, "d/time", 1000);
	put_file(f, "d/owner", 1000);
	p = at(f, "d/link");
	assert_int_equal(symlink("ko", p), 0);
	free(p);
	p = at(f, "d/content");
	swim_test_write_file(p, "DATA\n", 5);      /* same size, other bytes */
	free(p);
	p = at(f, "d/mode");
	assert_int_equal(chmod(p, 04755), 0);
	free(p);
	put_file(f, "d/time", 2000);
	record(f, "pkg", false, files, SWIM_ARRAY_SIZE(files));

	swim_assert_ok(swim_verify_run(&r, f->h, &opt));
	assert_int_equal(r->n_checked, SWIM_ARRAY_SIZE(files));
	assert_int_equal(r->n_failed, 6);
	flags(find(r, NULL, "d"), "........", 0);
	flags(find(r, NULL, "d/ok"), "........", 0);
	/* the content check reads the file; the mtime differs too (the
	 * rewrite), as it would on a real edit */
	flags(find(r, NULL, "d/content"), "..5....T",
	      SWIM_VERIFY_BIT(SWIM_VERIFY_CHECKSUM) |
	      SWIM_VERIFY_BIT(SWIM_VERIFY_MTIME));
	flags(find(r, NULL, "d/mode"), ".M......",
	      SWIM_VERIFY_BIT(SWIM_VERIFY_MODE));
	assert_int_equal(find(r, NULL, "d/mode")->current.mode, 04755);
	flags(find(r, NULL, "d/time"), ".......T",
	      SWIM_VERIFY_BIT(SWIM_VERIFY_MTIME));
	assert_int_equal(find(r, NULL, "d/time")->current.mtime, 2000);
	assert_false(find(r, NULL, "d/gone")->exists);
	flags(find(r, NULL, "d/gone"), "........",
	      SWIM_VERIFY_BIT(SWIM_VERIFY_EXISTENCE));
	flags(find(r, NULL, "d/link"), "....L...",
	      SWIM_VERIFY_BIT(SWIM_VERIFY_LINK_TARGET));
	assert_string_equal(find(r, NULL, "d/link")->current.link_target, "ko");
	flags(find(r, NULL, "d/owner"), ".....UG.",
	      SWIM_VERIFY_BIT(SWIM_VERIFY_USER) |
	      SWIM_VERIFY_BIT(SWIM_VERIFY_GROUP));
	/* FailedFlags in check order, as CIM wants them */
	assert_int_equal(swim_verify_failed_flags(ff,
	                 find(r, NULL, "d/owner")->failed), 2);
	assert_int_equal(ff[0], SWIM_VERIFY_USER);
	assert_int_equal(ff[1], SWIM_VERIFY_GROUP);
	assert_string_equal(swim_verify_check_name(SWIM_VERIFY_DEVICE),
	                    "Device Number");
	swim_verify_result_free(r);
	r = NULL;
	/* failed_only keeps the failures */
	opt.failed_only = true;
	swim_assert_ok(swim_verify_run(&r, f->h, &opt));
	assert_int_equal(r->n_files, 6);
	assert_int_equal(r->n_checked, SWIM_ARRAY_SIZE(files));
	swim_verify_result_free(r);
}

static void test_verify__device(void **state)
{
	swim_test_host *f = *state;
	swim_host_file dev = { .path = "dev/null1", .type = SWIM_FILE_CHAR,
	                       .mode = 0666, .uid = geteuid(),
	                       .gid = getegid(), .rdev = makedev(1, 3) };
	swim_verify_result *r = NULL;
	char *p = at(f, "dev/null1"), *d = at(f, "dev");

	if (geteuid() != 0) {
		free(p);
		free(d);
		skip();
	}
	assert_int_equal(mkdir(d, 0755), 0);
	assert_int_equal(mknod(p, S_IFCHR | 0666, makedev(1, 5)), 0);
	assert_int_equal(chmod(p, 0666), 0);
	record(f, "devpkg", false, &dev, 1);
	swim_assert_ok(swim_verify_run(&r, f->h, NULL));
	flags(find(r, NULL, "dev/null1"), "...D....",
	      SWIM_VERIFY_BIT(SWIM_VERIFY_DEVICE));
	assert_int_equal(find(r, NULL, "dev/null1")->current.rdev,
	                 makedev(1, 5));
	swim_verify_result_free(r);
	free(p);
	free(d);
}

static void test_verify__overlay_and_specs(void **state)
{
	swim_test_host *f = *state;
	const swim_host_file base = {
		.path = "etc/shared", .type = SWIM_FILE_REGULAR, .mode = 0644,
		.uid = geteuid(), .gid = getegid(), .size = 4,
		.sha256 = "0000000000000000000000000000000000000000000000000000000000000000",
		.mtime = 1000 };
	swim_host_file over = base;
	swim_verify_options opt = { 0 };
	const char *spec[] = { "base" }, *nosuch[] = { "nosuch" };
	swim_verify_result *r = NULL;

	over.size = 5;
	over.sha256 = DATA_SHA;
	put_file(f, "etc/shared", 1000);
	record(f, "base", false, &base, 1);
	record(f, "over", true, &over, 1);
	swim_assert_ok(swim_verify_run(&r, f->h, NULL));
	assert_int_equal(r->n_failed, 0);
	assert_true(find(r, "base", "etc/shared")->shadowed);
	assert_false(find(r, "over", "etc/shared")->shadowed);
	swim_verify_result_free(r);
	r = NULL;
	opt.specs = spec;
	opt.n_specs = 1;
	swim_assert_ok(swim_verify_run(&r, f->h, &opt));
	assert_int_equal(r->n_vib_ids, 1);
	assert_int_equal(r->n_files, 1);
	swim_verify_result_free(r);
	r = NULL;
	opt.specs = nosuch;
	swim_assert_error(swim_verify_run(&r, f->h, &opt), SWIM_ENOTFOUND,
	                  "No VIB matching VIB search specification 'nosuch'.");
	assert_null(r);
}

/* Enough files for every thread to get chunks. */
static void test_verify__many_files(void **state)
{
	swim_test_host *f = *state;
	enum { N = 600 };
	swim_host_file *files = calloc(N, sizeof(*files));
	char (*names)[32] = calloc(N, 32);
	swim_verify_options opt = { .threads = 3 };
	swim_verify_result *r = NULL;

	assert_non_null(files);
	assert_non_null(names);
	for (int i = 0; i < N; i++) {
		(void)snprintf(names[i], 32, "many/%02d/f%03d", i % 37, i);
		put_file(f, names[i], 1000);
		files[i] = (swim_host_file){ .path = names[i],
		                             .type = SWIM_FILE_REGULAR,
		                             .mode = 0644, .uid = geteuid(),
		                             .gid = getegid(), .size = 5,
		                             .sha256 = DATA_SHA, .mtime = 1000 };
	}
	{
		char *p = at(f, names[N / 2]);

		swim_test_write_file(p, "x", 1);
		free(p);
	}
	record(f, "many", false, files, N);
	swim_assert_ok(swim_verify_run(&r, f->h, &opt));
	assert_int_equal(r->n_checked, N);
	assert_int_equal(r->n_failed, 1);
	swim_verify_result_free(r);
	free(files);
	free(names);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		SWIM_HOST_TEST(test_verify__each_check),
		SWIM_HOST_TEST(test_verify__device),
		SWIM_HOST_TEST(test_verify__overlay_and_specs),
		SWIM_HOST_TEST(test_verify__many_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
