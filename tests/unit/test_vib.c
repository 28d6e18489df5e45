/* Packages end to end: build, sign, open, verify, extract (swim/vib.h),
 * and every crafted hostile package under tests/data/vib/. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/testutil.h"
#include "swim/error.h"
#include "swim/keygen.h"
#include "swim/vib.h"
#include "util/fs.h"

struct fx {
	char *tmp;
	char src[512];
	char keys[512];
	char trust[600];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char p[700], rnd[100000];

	assert_non_null(f);
	f->tmp = swim_test_tmpdir();
	(void)snprintf(f->src, sizeof(f->src), "%s/src", f->tmp);
	(void)snprintf(f->keys, sizeof(f->keys), "%s/keys", f->tmp);
	(void)snprintf(f->trust, sizeof(f->trust), "%s/trust", f->keys);
	(void)snprintf(p, sizeof(p), "%s/p1/usr/bin/hello", f->src);
	swim_test_write_file(p, "#!/bin/sh\necho hello\n", 21);
	assert_int_equal(chmod(p, 0755), 0);
	(void)snprintf(p, sizeof(p), "%s/p1/etc/hello.conf", f->src);
	swim_test_write_file(p, "greeting = hello\n", 17);
	/* Incompressible, so a flipped byte lands in stored data. */
	for (size_t i = 0; i < sizeof(rnd); i++)
		rnd[i] = (char)(((i * 2654435761u) ^ (i >> 3) * 40503u) >> 11);
	(void)snprintf(p, sizeof(p), "%s/p2/opt/hello/data", f->src);
	swim_test_write_file(p, rnd, sizeof(rnd));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	swim_test_rmtree(f->tmp);
	free(f->tmp);
	free(f);
	return 0;
}

static swim_package *descriptor(const char *level)
{
	swim_buf xml = SWIM_BUF_INIT(0);
	swim_package *pkg = NULL;

	swim_assert_ok(swim_buf_printf(&xml,
		"<vib version=\"5.0\"><type>bootbank</type><name>hello</name>"
		"<version>1.0-1</version><vendor>example</vendor>"
		"<summary>hello world</summary>"
		"<acceptance-level>%s</acceptance-level>"
		"<payloads><payload name=\"p2\" type=\"vgz\"/></payloads></vib>",
		level));
	swim_assert_ok(swim_descriptor_read(&pkg, xml.ptr, xml.len, NULL));
	swim_buf_dispose(&xml);
	return pkg;
}

/* Builds TMP/NAME from the fixture's two payload trees. */
static void build(const struct fx *f, const char *level, const char *name,
                  char *out, size_t n)
{
	char d1[600], d2[600];
	swim_vib_payload_spec specs[] = {
		{ "p1", NULL, d1 }, { "p2", NULL, d2 },
	};
	swim_vib_build_options opt = { 1600000000, NULL };
	swim_package *pkg = descriptor(level);

	(void)snprintf(d1, sizeof(d1), "%s/p1", f->src);
	(void)snprintf(d2, sizeof(d2), "%s/p2", f->src);
	(void)snprintf(out, n, "%s/%s", f->tmp, name);
	swim_assert_ok(swim_vib_build(out, pkg, specs, 2, &opt));
	swim_package_free(pkg);
}

static void sign(const struct fx *f, const char *path, const char *level)
{
	char key[600], crt[600];

	(void)snprintf(key, sizeof(key), "%s/%s.key", f->keys, level);
	(void)snprintf(crt, sizeof(crt), "%s/%s.crt", f->keys, level);
	swim_assert_ok(swim_vib_sign(path, path, key, crt, NULL, NULL));
}

static bool dir_is_empty_or_missing(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	bool empty = true;

	if (!d)
		return errno == ENOENT;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = false;
	closedir(d);
	return empty;
}

static void test_vib__build_and_verify(void **state)
{
	struct fx *f = *state;
	swim_vib_options opt = { 0 };
	swim_vib *vib = NULL;
	char path[700], out[700], p[800];
	swim_buf got = SWIM_BUF_INIT(0);

	build(f, "community", "hello.vib", path, sizeof(path));
	swim_assert_ok(swim_vib_open(&vib, path, &opt));
	assert_string_equal(vib->pkg->id, "example_bootbank_hello_1.0-1");
	assert_false(vib->sig.is_signed);
	assert_int_equal(vib->sig.proven, SWIM_ACCEPTANCE_COMMUNITY);
	assert_true(vib->satisfied);
	/* Payloads in spec order; the descriptor's type kept, else tgz. */
	assert_int_equal(vib->pkg->n_payloads, 2);
	assert_string_equal(vib->pkg->payloads[0].type, "tgz");
	assert_string_equal(vib->pkg->payloads[1].type, "vgz");
	assert_int_equal(vib->pkg->n_files, 3);
	assert_string_equal(vib->pkg->files[0], "etc/hello.conf");
	assert_string_equal(vib->pkg->files[2], "opt/hello/data");
	assert_int_equal(vib->payloads[0].sha256_status, SWIM_VIB_UNCHECKED);
	swim_assert_ok(swim_vib_verify(vib));
	assert_true(vib->verified);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(vib->payloads[i].size_status, SWIM_VIB_OK);
		assert_int_equal(vib->payloads[i].sha256_status, SWIM_VIB_OK);
		assert_int_equal(vib->payloads[i].gunzip_status, SWIM_VIB_OK);
	}
	assert_int_equal(vib->payloads[0].entries, 5);
	(void)snprintf(out, sizeof(out), "%s/out", f->tmp);
	swim_assert_ok(swim_vib_extract(vib, out));
	(void)snprintf(p, sizeof(p), "%s/usr/bin/hello", out);
	swim_assert_ok(swim_fs_read_file(&got, p));
	assert_string_equal(got.ptr, "#!/bin/sh\necho hello\n");
	swim_assert_error(swim_vib_extract(vib, out), SWIM_EEXISTS,
	                  "is not empty");
	swim_vib_free(vib);
	swim_buf_dispose(&got);
}

static void test_vib__reproducible(void **state)
{
	struct fx *f = *state;
	swim_buf a = SWIM_BUF_INIT(0), b = SWIM_BUF_INIT(0);
	char p1[700], p2[700], cmd[4096];

	build(f, "partner", "a.vib", p1, sizeof(p1));
	/* Copies with new inodes and a touched mtime (clamped anyway). */
	(void)snprintf(cmd, sizeof(cmd), "cp -a '%s' '%s.x' && rm -rf '%s' && "
	               "mv '%s.x' '%s' && touch '%s/p1/etc/hello.conf'",
	               f->src, f->src, f->src, f->src, f->src, f->src);
	assert_int_equal(system(cmd), 0);
	build(f, "partner", "b.vib", p2, sizeof(p2));
	swim_assert_ok(swim_fs_read_file(&a, p1));
	swim_assert_ok(swim_fs_read_file(&b, p2));
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.ptr, b.ptr, a.len);
	swim_buf_dispose(&a);
	swim_buf_dispose(&b);
}

static void check_level(const struct fx *f, const char *claim,
                        const char *signer, swim_acceptance proven,
                        bool satisfied)
{
	swim_vib_options opt = { f->trust, false, NULL };
	swim_acceptance want;
	swim_vib *vib = NULL;
	char path[700], name[64];

	(void)snprintf(name, sizeof(name), "%s-by-%s.vib", claim, signer);
	build(f, claim, name, path, sizeof(path));
	sign(f, path, signer);
	swim_assert_ok(swim_vib_open(&vib, path, &opt));
	assert_true(vib->sig.is_signed);
	assert_true(vib->sig_checked);
	assert_int_equal(vib->sig.proven, proven);
	swim_assert_ok(swim_acceptance_parse(&want, claim));
	assert_int_equal(vib->claimed, want);
	assert_int_equal(vib->satisfied, satisfied);
	/* Signing kept the payloads byte for byte. */
	swim_assert_ok(swim_vib_verify(vib));
	swim_vib_free(vib);
}

static void test_vib__signature_levels(void **state)
{
	struct fx *f = *state;

	swim_assert_ok(swim_keygen_create(f->keys));
	check_level(f, "certified", "certified", SWIM_ACCEPTANCE_CERTIFIED, true);
	check_level(f, "accepted", "accepted", SWIM_ACCEPTANCE_ACCEPTED, true);
	check_level(f, "partner", "partner", SWIM_ACCEPTANCE_PARTNER, true);
	/* A partner signature never proves certified. */
	check_level(f, "certified", "partner", SWIM_ACCEPTANCE_PARTNER, false);
	check_level(f, "accepted", "partner", SWIM_ACCEPTANCE_PARTNER, false);
	/* A higher signature satisfies a lower claim. */
	check_level(f, "partner", "certified", SWIM_ACCEPTANCE_CERTIFIED, true);
}

/* Flips the byte at `off` from the end of the file. */
static void flip(const char *path, long off_from_end)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	off_t end;
	char c;

	assert_true(fd >= 0);
	end = lseek(fd, 0, SEEK_END);
	assert_int_equal(pread(fd, &c, 1, end - off_from_end), 1);
	c = (char)(c ^ 0x20);
	assert_int_equal(pwrite(fd, &c, 1, end - off_from_end), 1);
	(void)close(fd);
}

/* Replaces the first `from` in the file with `to` (same length). */
static void patch(const char *path, const char *from, const char *to)
{
	swim_buf b = SWIM_BUF_INIT(0);
	char *at;

	swim_assert_ok(swim_fs_read_file(&b, path));
	at = memmem(b.ptr, b.len, from, strlen(from));
	assert_non_null(at);
	memcpy(at, to, strlen(to));
	swim_assert_ok(swim_fs_write_atomic(path, b.ptr, b.len, 0644));
	swim_buf_dispose(&b);
}

static void test_vib__tampered(void **state)
{
	struct fx *f = *state;
	swim_vib_options opt = { NULL, false, NULL };
	swim_vib *vib = NULL;
	char path[700], out[700];

	swim_assert_ok(swim_keygen_create(f->keys));
	opt.trust_dir = f->trust;
	build(f, "partner", "t.vib", path, sizeof(path));
	sign(f, path, "partner");
	/* The descriptor: the signature no longer matches. */
	patch(path, "hello world", "hello WORLD");
	swim_assert_error(swim_vib_open(&vib, path, &opt), SWIM_ESIGNATURE,
	                  "t.vib: sig.pkcs7 over descriptor.xml: signature does "
	                  "not match");
	assert_null(vib);
	/* --no-sig-check looks past it, counting the claimed level. */
	opt.no_sig_check = true;
	swim_assert_ok(swim_vib_open(&vib, path, &opt));
	assert_false(vib->sig_checked);
	assert_true(vib->satisfied);
	swim_vib_free(vib);
	vib = NULL;

	/* A payload byte: its checksum no longer matches. */
	opt.no_sig_check = false;
	build(f, "partner", "t.vib", path, sizeof(path));
	sign(f, path, "partner");
	flip(path, 5000);
	swim_assert_ok(swim_vib_open(&vib, path, &opt));
	assert_int_equal(vib->sig.proven, SWIM_ACCEPTANCE_PARTNER);
	(void)snprintf(out, sizeof(out), "%s/out", f->tmp);
	swim_assert_error(swim_vib_extract(vib, out), SWIM_ECHECKSUM,
	                  "payload 'p2': sha-256 checksum mismatch");
	assert_int_equal(vib->payloads[0].sha256_status, SWIM_VIB_OK);
	assert_int_equal(vib->payloads[1].sha256_status, SWIM_VIB_MISMATCH);
	assert_false(vib->verified);
	assert_true(dir_is_empty_or_missing(out));
	swim_vib_free(vib);
}

static void test_vib__build_errors(void **state)
{
	struct fx *f = *state;
	swim_package *pkg = descriptor("community");
	char d1[600], out[700];
	swim_vib_payload_spec one[] = { { "p1", NULL, d1 } };
	swim_vib_payload_spec dup[] = { { "p2", NULL, d1 }, { "p2", NULL, d1 } };
	swim_vib_payload_spec bad[] = { { "sig.pkcs7", NULL, d1 } };

	(void)snprintf(d1, sizeof(d1), "%s/p1", f->src);
	(void)snprintf(out, sizeof(out), "%s/x.vib", f->tmp);
	swim_assert_error(swim_vib_build(out, pkg, one, 1, NULL), SWIM_EINVAL,
	                  "payload 'p2' of the descriptor has no directory");
	swim_assert_error(swim_vib_build(out, pkg, dup, 2, NULL), SWIM_EINVAL,
	                  "payload 'p2' given twice");
	swim_assert_error(swim_vib_build(out, pkg, bad, 1, NULL), SWIM_EINVAL,
	                  "payload name 'sig.pkcs7'");
	/* Nothing was left behind. */
	assert_int_not_equal(access(out, F_OK), 0);
	swim_package_free(pkg);
}

struct hostile {
	const char *file;
	int code;
	const char *member;  /* how the message names the member */
	const char *rule;
};

static const struct hostile hostile[] = {
	{ "traversal", SWIM_EINVAL, "payload 'p1': entry '../evil'", "path traversal" },
	{ "absolute-path", SWIM_EINVAL, "payload 'p1': entry '/etc/evil'", "absolute path" },
	{ "symlink-outside", SWIM_EINVAL, "payload 'p1': entry 'link'", "symlink points outside the payload tree" },
	{ "symlink-absolute", SWIM_EINVAL, "payload 'p1': entry 'link'", "symlink points outside the payload tree (absolute target)" },
	{ "symlink-chain", SWIM_EINVAL, "payload 'p1': entry 'd/b'", "symlink points outside the payload tree" },
	{ "hardlink-outside", SWIM_EINVAL, "payload 'p1': entry 'h'", "hard link points outside the payload tree" },
	{ "through-symlink", SWIM_EINVAL, "payload 'p1': entry 'etc/passwd'", "path goes through the symlink 'etc'" },
	{ "device", SWIM_EINVAL, "payload 'p1': entry 'dev/sda'", "device node not allowed" },
	{ "fifo", SWIM_EINVAL, "payload 'p1': entry 'pipe'", "FIFO not allowed" },
	{ "setuid", SWIM_EACCESS, "payload 'p1': entry 'usr/bin/su'", "setuid/setgid bit (mode 4755) not allowed" },
	{ "setgid", SWIM_EACCESS, "payload 'p1': entry 'usr/bin/sg'", "setuid/setgid bit (mode 2755) not allowed" },
	{ "entry-too-large", SWIM_ELIMIT, "payload 'p1': entry 'huge'", "larger than the payload's declared size allows" },
	{ "member-larger", SWIM_EINVAL, "payload 'p1'", "larger than its declared size" },
	{ "gzip-bomb", SWIM_ELIMIT, "payload 'p1'", "gzip bomb" },
	{ "truncated", SWIM_EINVAL, "member 'p1'", "truncated archive" },
	{ "checksum-mismatch", SWIM_ECHECKSUM, "payload 'p1'", "sha-256 checksum mismatch" },
	{ "gunzip-mismatch", SWIM_ECHECKSUM, "payload 'p1'", "sha-256 gunzip checksum mismatch" },
	{ "signature-mismatch", SWIM_ESIGNATURE, "sig.pkcs7 over descriptor.xml", "signature does not match" },
	{ "duplicate-member", SWIM_EINVAL, "member 'p1'", "duplicate member" },
	{ "duplicate-path", SWIM_ECONFLICT, "payload 'p1': entry 'a'", "duplicate path" },
	{ "missing-descriptor", SWIM_EINVAL, "descriptor.xml", "missing descriptor.xml" },
	{ "descriptor-not-first", SWIM_EINVAL, "member 'sig.pkcs7'", "descriptor.xml is not the first member" },
	{ "control-char", SWIM_EINVAL, "payload 'p1': entry 'bad\\x1b[2Jname'", "control character in the path" },
	{ "invalid-utf8", SWIM_EINVAL, "payload 'p1': entry 'bad\\xffname'", "invalid UTF-8 in the path" },
	{ "long-path", SWIM_ELIMIT, "payload 'p1': entry 'd/d/d/", "path longer than archive_path_max_bytes (PATH_MAX)" },
	{ "not-gzip", SWIM_EINVAL, "payload 'p1'", "not gzip-compressed" },
	{ "missing-payload", SWIM_EINVAL, "payload 'p1'", "missing from the archive" },
	{ "unknown-member", SWIM_EINVAL, "member 'extra'", "not a payload of the descriptor" },
};

static void test_vib__hostile(void **state)
{
	struct fx *f = *state;
	swim_vib_options opt = { 0 };

	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		const struct hostile *h = &hostile[i];
		char path[700], out[700];
		swim_vib *vib = NULL;
		int rc;

		(void)snprintf(path, sizeof(path), "%s/vib/hostile/%s.vib",
		               SWIM_TEST_DATA, h->file);
		(void)snprintf(out, sizeof(out), "%s/out-%s", f->tmp, h->file);
		rc = swim_vib_open(&vib, path, &opt);
		if (rc == 0)
			rc = swim_vib_extract(vib, out);
		if (rc != h->code)
			fail_msg("%s: rc %d, expected %d (%s)", h->file, rc, h->code,
			         swim_error_last());
		if (!strstr(swim_error_last(), h->member) ||
		    !strstr(swim_error_last(), h->rule))
			fail_msg("%s: '%s' does not name '%s' and '%s'", h->file,
			         swim_error_last(), h->member, h->rule);
		/* The file is named too, and nothing was written. */
		if (!strstr(swim_error_last(), h->file))
			fail_msg("%s: '%s' does not name the file", h->file,
			         swim_error_last());
		if (!dir_is_empty_or_missing(out))
			fail_msg("%s: something was extracted", h->file);
		swim_vib_free(vib);
	}
}

static void test_vib__good_data(void **state)
{
	static const char *const good[] = {
		"hello", "two-payloads", "setuid-allowed",
	};
	struct fx *f = *state;
	swim_vib_options opt = { 0 };

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		swim_buf data = SWIM_BUF_INIT(0);
		char path[700], out[700];
		swim_vib *vib = NULL;
		struct stat st;

		(void)snprintf(path, sizeof(path), "%s/vib/good/%s.vib",
		               SWIM_TEST_DATA, good[i]);
		(void)snprintf(out, sizeof(out), "%s/out-%s", f->tmp, good[i]);
		swim_assert_ok(swim_fs_read_file(&data, path));
		/* The reader works the same from memory. */
		swim_assert_ok(swim_vib_open_memory(&vib, data.ptr, data.len,
		                                    good[i], &opt));
		swim_assert_ok(swim_vib_verify(vib));
		swim_vib_free(vib);
		vib = NULL;
		swim_assert_ok(swim_vib_open(&vib, path, &opt));
		swim_assert_ok(swim_vib_extract(vib, out));
		swim_vib_free(vib);
		swim_buf_dispose(&data);
		if (strcmp(good[i], "setuid-allowed") == 0) {
			char p[800];

			(void)snprintf(p, sizeof(p), "%s/usr/bin/su", out);
			assert_int_equal(lstat(p, &st), 0);
			assert_true(S_ISREG(st.st_mode));
		}
	}
}

static void test_vib__setid_allowance(void **state)
{
	static const char xml[] =
		"<vib><type>bootbank</type><name>su</name><version>1-1</version>"
		"<vendor>example</vendor><setid-files><file>bin/su</file>"
		"</setid-files></vib>";
	struct fx *f = *state;
	swim_vib_options opt = { 0 };
	swim_package *pkg = NULL;
	swim_vib *vib = NULL;
	char dir[600], p[700], out[700];
	swim_vib_payload_spec spec = { "p1", NULL, dir };

	(void)snprintf(dir, sizeof(dir), "%s/su", f->tmp);
	(void)snprintf(p, sizeof(p), "%s/bin/su", dir);
	swim_test_write_file(p, "su", 2);
	assert_int_equal(chmod(p, 04755), 0);
	(void)snprintf(out, sizeof(out), "%s/su.vib", f->tmp);
	swim_assert_ok(swim_descriptor_read(&pkg, xml, sizeof(xml) - 1, NULL));
	swim_assert_ok(swim_vib_build(out, pkg, &spec, 1, NULL));
	/* The allowance travels in the (signed) descriptor. */
	swim_assert_ok(swim_vib_open(&vib, out, &opt));
	assert_int_equal(vib->pkg->n_setid_files, 1);
	assert_string_equal(vib->pkg->setid_files[0], "bin/su");
	swim_assert_ok(swim_vib_verify(vib));
	swim_vib_free(vib);
	/* Without it, the build refuses the file. */
	for (size_t i = 0; i < pkg->n_setid_files; i++)
		free(pkg->setid_files[i]);
	free(pkg->setid_files);
	pkg->setid_files = NULL;
	pkg->n_setid_files = 0;
	swim_assert_error(swim_vib_build(out, pkg, &spec, 1, NULL), SWIM_EACCESS,
	                  "payload 'p1': entry 'bin/su': setuid/setgid bit");
	swim_package_free(pkg);
}

static void test_vib__limits(void **state)
{
	swim_vib_options opt = { 0 };
	swim_vib *vib = NULL;
	swim_limits lim;
	char path[700];

	(void)state;
	(void)snprintf(path, sizeof(path), "%s/vib/good/hello.vib",
	               SWIM_TEST_DATA);
	swim_limits_init(&lim);
	opt.lim = &lim;
	lim.payload_max_bytes = 100;
	swim_assert_ok(swim_vib_open(&vib, path, &opt));
	swim_assert_error(swim_vib_verify(vib), SWIM_ELIMIT,
	                  "payload 'p1': member is 186 bytes, larger than "
	                  "payload_max_bytes (100)");
	swim_vib_free(vib);
	swim_limits_init(&lim);
	lim.descriptor_max_bytes = 100;
	swim_assert_error(swim_vib_open(&vib, path, &opt), SWIM_ELIMIT,
	                  "descriptor.xml is");
	swim_limits_init(&lim);
	lim.archive_max_members = 2;
	swim_assert_error(swim_vib_open(&vib, path, &opt), SWIM_ELIMIT,
	                  "hello.vib: more than archive_max_members (2)");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_vib__build_and_verify),
		T(test_vib__reproducible),
		T(test_vib__signature_levels),
		T(test_vib__tampered),
		T(test_vib__build_errors),
		T(test_vib__hostile),
		T(test_vib__good_data),
		T(test_vib__setid_allowance),
		T(test_vib__limits),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
