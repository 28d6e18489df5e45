/* Depots and offline bundles (swim/depot.h): build, read back every
 * field, cache, fetch, several depots, and the errors a user sees. */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/depot_private.h"
#include "lib/depot_xml.h"
#include "lib/zip.h"
#include "support/testutil.h"
#include "swim/depot.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

#define SDE 1700000000

static const char base_xml[] =
	"<vib version=\"5.0\"><type>bootbank</type><name>base</name>"
	"<version>1.0.0-1</version><vendor>SWIM</vendor>"
	"<summary>the base</summary><description>What everything needs.</description>"
	"<release-date>2024-01-02T03:04:05Z</release-date>"
	"<acceptance-level>community</acceptance-level>"
	"<live-install-allowed>true</live-install-allowed>"
	"<payloads><payload name=\"p\" type=\"tgz\"/></payloads></vib>";

static const char hello_xml[] =
	"<vib version=\"5.0\"><type>bootbank</type><name>hello</name>"
	"<version>2.1-3</version><vendor>SWIM</vendor>"
	"<summary>hello world</summary><description>Says hello.</description>"
	"<release-date>2024-02-03T04:05:06Z</release-date>"
	"<urls><url key=\"kb\">https://example.org/kb/1</url></urls>"
	"<relationships><depends><constraint name=\"base\" relation=\"&gt;=\" version=\"1.0\"/></depends>"
	"<conflicts><constraint name=\"goodbye\"/></conflicts>"
	"<replaces><constraint name=\"hi\" relation=\"&lt;&lt;\" version=\"1.0\"/></replaces>"
	"<provides><provide name=\"greeter\" version=\"2.1\"/></provides></relationships>"
	"<software-tags><tag>driver</tag><tag>PCIID 8086150e</tag></software-tags>"
	"<system-requires><maintenance-mode>true</maintenance-mode>"
	"<softwarePlatform version=\"8.*\" locale=\"\" productLineID=\"embeddedEsx\"/></system-requires>"
	"<acceptance-level>partner</acceptance-level>"
	"<live-install-allowed>false</live-install-allowed>"
	"<stateless-ready>true</stateless-ready>"
	"<payloads><payload name=\"p\" type=\"vgz\"/></payloads></vib>";

static const char other_xml[] =
	"<vib version=\"5.0\"><type>locker</type><name>tools</name>"
	"<version>3:1.0-1</version><vendor>My Co</vendor>"
	"<summary>tools</summary>"
	"<payloads><payload name=\"p\" type=\"tgz\"/></payloads></vib>";

struct fx {
	char *tmp;
	char base[600], hello[600], other[600], profile[600];
	swim_depot_opts opts;
};

static void path(char *out, const struct fx *f, const char *rel)
{
	(void)snprintf(out, 600, "%s/%s", f->tmp, rel);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char cache[600];
	swim_profile *p = NULL;
	swim_buf xml = SWIM_BUF_INIT(0);

	assert_non_null(f);
	f->tmp = swim_test_tmpdir();
	path(f->base, f, "in/base.vib");
	path(f->hello, f, "in/hello.vib");
	path(f->other, f, "in/tools.vib");
	path(f->profile, f, "in/profile.xml");
	swim_test_build_vib(f->base, base_xml, "base\n");
	swim_test_build_vib(f->hello, hello_xml, "hello\n");
	swim_test_build_vib(f->other, other_xml, "tools\n");
	swim_assert_ok(swim_profile_new(&p, "demo-standard", "SWIM"));
	swim_assert_ok(swim_str_set(&p->guid,
	                                     "0123456789abcdef0123456789abcdef"));
	swim_assert_ok(swim_profile_add_vib(p, "SWIM_bootbank_base_1.0.0-1"));
	swim_assert_ok(swim_profile_add_vib(p, "SWIM_bootbank_hello_2.1-3"));
	swim_assert_ok(swim_profile_write(&xml, p));
	swim_test_write_file(f->profile, xml.ptr, xml.len);
	swim_profile_free(p);
	swim_buf_dispose(&xml);
	path(cache, f, "cache");
	f->opts.cache_dir = strdup(cache);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	swim_test_rmtree(f->tmp);
	free(f->tmp);
	free(f->opts.cache_dir);
	free(f);
	return 0;
}

static const swim_depot_build_opts build_opts = {
	.vendor_name = "swim demo", .vendor_code = "SWIMDEMO",
	.platform_version = "8.*", .source_date_epoch = SDE,
};

/* Builds depot (or bundle) REL from the fixture's packages and profile. */
static void build(const struct fx *f, const char *rel, bool bundle,
                  char *out)
{
	const char *vibs[] = { f->hello, f->base, f->other };
	const char *profiles[] = { f->profile };

	path(out, f, rel);
	swim_assert_ok(swim_depot_build(out, bundle, vibs, 3, profiles, 1,
	                                &build_opts));
}

static swim_package *vib_descriptor(const char *file)
{
	swim_vib *vib = NULL;
	swim_package *pkg = NULL;

	swim_assert_ok(swim_vib_open(&vib, file, NULL));
	swim_assert_ok(swim_package_copy(&pkg, vib->pkg));
	swim_vib_free(vib);
	return pkg;
}

/* Every field of what was built reads back: packages equal to the .vib's
 * own descriptor plus the depot fields, bulletins, profile, indexes. */
static void check_content(const struct fx *f, const swim_depot *d)
{
	const char *files[] = { f->base, f->hello, f->other };
	const swim_depot_vendor *v;
	const swim_depot_channel *c;
	const swim_bulletin *b;
	swim_profile *want = NULL;
	swim_buf xml = SWIM_BUF_INIT(0);

	assert_int_equal(swim_depot_n_packages(d), 3);
	/* sorted by id */
	assert_string_equal(swim_depot_package(d, 0)->id, "My Co_locker_tools_3:1.0-1");
	assert_string_equal(swim_depot_package(d, 1)->id, "SWIM_bootbank_base_1.0.0-1");
	assert_string_equal(swim_depot_package(d, 2)->id, "SWIM_bootbank_hello_2.1-3");
	for (size_t i = 0; i < 3; i++) {
		swim_package *own = vib_descriptor(files[i]);
		const swim_package *p = swim_depot_find_id(d, own->id);
		swim_package bare;
		char sum[SWIM_DIGEST_HEX_MAX], rel[600];
		uint64_t size;

		assert_non_null(p);
		bare = *p;
		bare.relative_path = NULL;
		bare.has_packed_size = false;
		bare.packed_size = 0;
		bare.vib_checksum = NULL;
		assert_true(swim_package_equal(&bare, own));
		(void)snprintf(rel, sizeof(rel), "vib20/%s/%s.vib", own->name,
		               own->id);
		assert_string_equal(p->relative_path, rel);
		swim_assert_ok(swim_depot_hash_file(sum, &size, files[i]));
		assert_true(p->has_packed_size);
		assert_int_equal(p->packed_size, size);
		assert_string_equal(p->vib_checksum->type, "sha-256");
		assert_string_equal(p->vib_checksum->value, sum);
		swim_package_free(own);
	}
	assert_int_equal(swim_depot_n_vendors(d), 1);
	v = swim_depot_vendor_at(d, 0);
	assert_string_equal(v->name, "swim demo");
	assert_string_equal(v->code, "SWIMDEMO");
	assert_string_equal(v->index_file, "vendor-index.xml");
	assert_string_equal(v->content_type, SWIM_DEPOT_CONTENT_TYPE);
	assert_string_equal(v->content_name, "VMware ESX");
	assert_null(v->relative_path);
	assert_int_equal(swim_depot_n_channels(d), 1);
	c = swim_depot_channel_at(d, 0);
	assert_string_equal(c->product_id, "embeddedEsx");
	assert_string_equal(c->version, "8.*");
	assert_string_equal(c->url, "metadata.zip");
	assert_string_equal(c->channel_name, "default");
	assert_null(c->locale);
	assert_int_equal(swim_depot_n_bulletins(d), 3);
	b = swim_depot_bulletin(d, 1);
	assert_string_equal(b->id, "hello_2.1-3");
	assert_string_equal(b->vendor, "SWIM");
	assert_string_equal(b->summary, "hello world");
	assert_string_equal(b->description, "Says hello.");
	assert_string_equal(b->severity, "general");
	assert_string_equal(b->category, "enhancement");
	assert_string_equal(b->release_type, "extension");
	assert_string_equal(b->kb_url, "https://example.org/kb/1");
	assert_string_equal(b->release_date, "2024-02-03T04:05:06Z");
	assert_string_equal(b->component_name, "hello");
	assert_string_equal(b->component_version, "2.1-3");
	assert_int_equal(b->n_platforms, 1);
	/* the package's own platform wins over the depot's default */
	assert_string_equal(b->platforms[0].version, "8.*");
	assert_string_equal(b->platforms[0].product_line_id, "embeddedEsx");
	assert_int_equal(b->n_vib_ids, 1);
	assert_string_equal(b->vib_ids[0], "SWIM_bootbank_hello_2.1-3");
	b = swim_depot_bulletin(d, 2);
	assert_string_equal(b->id, "tools_3:1.0-1");
	assert_string_equal(b->description, "tools");
	assert_string_equal(b->platforms[0].version, "8.*");
	assert_string_equal(b->release_date, "2023-11-14T22:13:20+00:00");
	assert_int_equal(swim_depot_n_profiles(d), 1);
	{
		size_t len;
		char *text;
		FILE *fp = fopen(f->profile, "re");

		assert_non_null(fp);
		(void)fclose(fp);
		swim_assert_ok(swim_fs_read_file(&xml, f->profile));
		text = xml.ptr;
		len = xml.len;
		swim_assert_ok(swim_profile_read(&want, text, len, NULL));
	}
	assert_true(swim_profile_equal(swim_depot_profile(d, 0), want));
	swim_profile_free(want);
	swim_buf_dispose(&xml);
}

/* Opens PREFIX OUT SUFFIX and checks every field; name NULL means the
 * depot is called by its location. */
static void open_and_check(const struct fx *f, const char *prefix,
                           const char *out, const char *suffix,
                           const char *name)
{
	swim_depot *d = NULL;
	char loc[700];

	(void)snprintf(loc, sizeof(loc), "%s%s%s", prefix, out, suffix);
	swim_assert_ok(swim_depot_open(&d, loc, name, NULL));
	assert_string_equal(swim_depot_name(d),
	                    name ? name : swim_depot_location(d));
	assert_false(swim_depot_from_cache(d));
	check_content(f, d);
	swim_depot_free(d);
}

static void test_depot__dir_round_trip(void **state)
{
	struct fx *f = *state;
	char out[600];

	build(f, "depot", false, out);
	open_and_check(f, "", out, "", NULL);
}

static void test_depot__bundle_round_trip(void **state)
{
	struct fx *f = *state;
	char out[600];

	build(f, "bundle.zip", true, out);
	open_and_check(f, "", out, "", "offline");
	/* esxcli's spelling of the same */
	open_and_check(f, "zip:", out, "?index.xml", NULL);
}

static void test_depot__file_url_and_index_path(void **state)
{
	struct fx *f = *state;
	char out[600];

	build(f, "depot", false, out);
	open_and_check(f, "file://", out, "/index.xml", NULL);
	open_and_check(f, "", out, "/index.xml", NULL);
}

static void same_file(const char *a, const char *b)
{
	swim_buf x = SWIM_BUF_INIT(0), y = SWIM_BUF_INIT(0);

	swim_assert_ok(swim_fs_read_file(&x, a));
	swim_assert_ok(swim_fs_read_file(&y, b));
	assert_int_equal(x.len, y.len);
	assert_memory_equal(x.ptr, y.ptr, x.len);
	swim_buf_dispose(&x);
	swim_buf_dispose(&y);
}

static void test_depot__reproducible(void **state)
{
	struct fx *f = *state;
	const char *names[] = { "index.xml", "vendor-index.xml", "metadata.zip",
	                        "vib20/hello/SWIM_bootbank_hello_2.1-3.vib" };
	const char *vibs[] = { f->other, f->base, f->hello };  /* other order */
	const char *profiles[] = { f->profile };
	char a[600], b[600], pa[700], pb[700];

	build(f, "d1", false, a);
	path(b, f, "d2");
	swim_assert_ok(swim_depot_build(b, false, vibs, 3, profiles, 1,
	                                &build_opts));
	for (size_t i = 0; i < 4; i++) {
		(void)snprintf(pa, sizeof(pa), "%s/%s", a, names[i]);
		(void)snprintf(pb, sizeof(pb), "%s/%s", b, names[i]);
		same_file(pa, pb);
	}
	build(f, "b1.zip", true, a);
	path(b, f, "b2.zip");
	swim_assert_ok(swim_depot_build(b, true, vibs, 3, profiles, 1,
	                                &build_opts));
	same_file(a, b);
}

static void test_depot__build_errors(void **state)
{
	struct fx *f = *state;
	const char *dup[] = { f->base, f->base };
	const char *one[] = { f->base };
	const char *missing[] = { "/nonexistent/x.vib" };
	const char *profiles[] = { f->profile };
	char out[600];

	path(out, f, "bad");
	swim_assert_error(swim_depot_build(out, false, dup, 2, NULL, 0, NULL),
	                  SWIM_EEXISTS, "are both package SWIM_bootbank_base_1.0.0-1");
	swim_assert_error(swim_depot_build(out, false, one, 1, profiles, 1, NULL),
	                  SWIM_ENOTFOUND,
	                  "names package SWIM_bootbank_hello_2.1-3, which is not among the packages");
	swim_assert_error(swim_depot_build(out, false, missing, 1, NULL, 0, NULL),
	                  SWIM_ENOTFOUND, "/nonexistent/x.vib");
	swim_assert_error(swim_depot_build(out, false, NULL, 0, NULL, 0, NULL),
	                  SWIM_EINVAL, "at least one package");
	build(f, "twice", false, out);
	swim_assert_error(swim_depot_build(out, false, one, 1, NULL, 0, NULL),
	                  SWIM_EEXISTS, "holds a depot already");
}

/* ---- cache ----------------------------------------------------------- */

static void test_depot__cache_snapshot(void **state)
{
	struct fx *f = *state;
	swim_depot *d = NULL;
	char out[600];
	const char *vibs[] = { f->base };

	build(f, "cached", false, out);
	swim_assert_ok(swim_depot_open(&d, out, NULL, &f->opts));
	assert_false(swim_depot_from_cache(d));
	swim_depot_free(d);
	swim_assert_ok(swim_depot_open(&d, out, NULL, &f->opts));
	assert_true(swim_depot_from_cache(d));
	check_content(f, d);
	swim_depot_free(d);
	/* A changed depot is seen: its files' stat data changed. */
	swim_test_rmtree(out);
	swim_assert_ok(swim_depot_build(out, false, vibs, 1, NULL, 0,
	                                &build_opts));
	swim_assert_ok(swim_depot_open(&d, out, NULL, &f->opts));
	assert_false(swim_depot_from_cache(d));
	assert_int_equal(swim_depot_n_packages(d), 1);
	swim_depot_free(d);
}

static void corrupt_snapshots(const struct fx *f)
{
	char dir[600];
	swim_buf list = SWIM_BUF_INIT(0);
	FILE *p;
	char line[800];

	path(dir, f, "cache/depots");
	(void)snprintf(line, sizeof(line), "ls %s/*/snapshot", dir);
	p = popen(line, "re");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		swim_buf b = SWIM_BUF_INIT(0);

		line[strcspn(line, "\n")] = '\0';
		swim_assert_ok(swim_fs_read_file(&b, line));
		b.ptr[b.len / 2] ^= 0x40;
		swim_test_write_file(line, b.ptr, b.len);
		swim_buf_dispose(&b);
	}
	(void)pclose(p);
	swim_buf_dispose(&list);
}

static void test_depot__cache_corrupt_snapshot(void **state)
{
	struct fx *f = *state;
	swim_depot *d = NULL;
	char out[600];

	build(f, "bundle.zip", true, out);
	swim_assert_ok(swim_depot_open(&d, out, NULL, &f->opts));
	swim_depot_free(d);
	corrupt_snapshots(f);
	/* Discarded and read again from the depot, then cached anew. */
	swim_assert_ok(swim_depot_open(&d, out, NULL, &f->opts));
	assert_false(swim_depot_from_cache(d));
	check_content(f, d);
	swim_depot_free(d);
	swim_assert_ok(swim_depot_open(&d, out, NULL, &f->opts));
	assert_true(swim_depot_from_cache(d));
	check_content(f, d);
	swim_depot_free(d);
}

static void test_depot__cache_unwritable(void **state)
{
	struct fx *f = *state;
	swim_depot_opts o = { .cache_dir = (char *)"/proc/swim-no-cache" };
	swim_depot *d = NULL;
	char out[600];

	build(f, "depot", false, out);
	swim_assert_ok(swim_depot_open(&d, out, NULL, &o));
	assert_false(swim_depot_from_cache(d));
	assert_int_equal(swim_depot_n_packages(d), 3);
	swim_depot_free(d);
}

/* ---- fetching --------------------------------------------------------- */

static void test_depot__fetch(void **state)
{
	struct fx *f = *state;
	swim_depot *d = NULL;
	swim_vib *vib = NULL;
	char out[600], dest[600];
	const char *kinds[] = { "depot", "bundle.zip" };

	for (size_t k = 0; k < 2; k++) {
		build(f, kinds[k], k == 1, out);
		swim_assert_ok(swim_depot_open(&d, out, NULL, NULL));
		path(dest, f, "fetched.vib");
		swim_assert_ok(swim_depot_fetch(&vib, d,
		               swim_depot_find_id(d, "SWIM_bootbank_hello_2.1-3"),
		               dest, NULL));
		assert_true(vib->verified);
		assert_string_equal(vib->pkg->id, "SWIM_bootbank_hello_2.1-3");
		same_file(dest, f->hello);
		swim_vib_free(vib);
		swim_depot_free(d);
		(void)unlink(dest);
	}
}

static bool no_leftovers(const struct fx *f)
{
	char cmd[700];

	(void)snprintf(cmd, sizeof(cmd),
	               "test -z \"$(ls -A %s | grep -e fetched -e part -e tmp)\"",
	               f->tmp);
	return system(cmd) == 0;
}

static void test_depot__fetch_checks(void **state)
{
	struct fx *f = *state;
	swim_depot *d = NULL;
	swim_vib *vib = NULL;
	char out[600], dest[600], vibp[700];
	const swim_package *hello;
	swim_buf b = SWIM_BUF_INIT(0);

	build(f, "depot", false, out);
	swim_assert_ok(swim_depot_open(&d, out, NULL, NULL));
	hello = swim_depot_find_id(d, "SWIM_bootbank_hello_2.1-3");
	path(dest, f, "fetched.vib");
	(void)snprintf(vibp, sizeof(vibp), "%s/%s", out, hello->relative_path);
	/* Same size, one byte changed. */
	swim_assert_ok(swim_fs_read_file(&b, vibp));
	b.ptr[b.len - 10] ^= 1;
	swim_test_write_file(vibp, b.ptr, b.len);
	swim_assert_error(swim_depot_fetch(&vib, d, hello, dest, NULL),
	                  SWIM_ECHECKSUM,
	                  "but metadata.zip: vibs/SWIM_bootbank_hello_2.1-3.xml says");
	assert_null(vib);
	assert_true(no_leftovers(f));
	/* Longer than the metadata says. */
	swim_assert_ok(swim_buf_put(&b, "x", 1));
	swim_test_write_file(vibp, b.ptr, b.len);
	swim_assert_error(swim_depot_fetch(&vib, d, hello, dest, NULL),
	                  SWIM_ELIMIT, "larger than metadata.zip: vibs/");
	assert_true(no_leftovers(f));
	/* Gone. */
	(void)unlink(vibp);
	swim_assert_error(swim_depot_fetch(&vib, d, hello, dest, NULL),
	                  SWIM_ENOTFOUND,
	                  "metadata.zip: vibs/SWIM_bootbank_hello_2.1-3.xml names "
	                  "vib20/hello/SWIM_bootbank_hello_2.1-3.vib, which the depot does not have");
	assert_true(no_leftovers(f));
	swim_depot_free(d);
	swim_buf_dispose(&b);
}

/* Rewrites member `name` of the depot's metadata.zip with `from`
 * replaced by `to` (first occurrence); members starting with `drop` (if
 * not NULL) are left out. */
static void edit_metadata_drop(const char *depot, const char *name,
                               const char *from, const char *to,
                               const char *drop)
{
	swim_buf zip = SWIM_BUF_INIT(0), out = SWIM_BUF_INIT(0),
	         m = SWIM_BUF_INIT(0), p = SWIM_BUF_INIT(0);
	swim_zip *z = NULL;
	swim_zip_writer *w = NULL;
	const char *n;
	uint64_t size;
	bool done = false;

	swim_assert_ok(swim_buf_printf(&p, "%s/metadata.zip", depot));
	swim_assert_ok(swim_fs_read_file(&zip, p.ptr));
	swim_assert_ok(swim_zip_open_memory(&z, zip.ptr, zip.len, "m", NULL));
	swim_assert_ok(swim_zip_writer_new_buf(&w, &out, SDE));
	while (swim_zip_next(z, &n, &size) == 1) {
		char *name_copy = strdup(n);

		swim_buf_clear(&m);
		swim_assert_ok(swim_zip_read(z, &m));
		if (drop && strncmp(name_copy, drop, strlen(drop)) == 0) {
			free(name_copy);
			continue;
		}
		if (strcmp(name_copy, name) == 0) {
			char *at = strstr(m.ptr, from);
			swim_buf e = SWIM_BUF_INIT(0);

			assert_non_null(at);
			swim_assert_ok(swim_buf_put(&e, m.ptr, (size_t)(at - m.ptr)));
			swim_assert_ok(swim_buf_puts(&e, to));
			swim_assert_ok(swim_buf_puts(&e, at + strlen(from)));
			swim_buf_clear(&m);
			swim_assert_ok(swim_buf_put(&m, e.ptr, e.len));
			swim_buf_dispose(&e);
			done = true;
		}
		swim_assert_ok(swim_zip_add(w, name_copy, m.ptr, m.len, true));
		free(name_copy);
	}
	assert_true(done);
	swim_assert_ok(swim_zip_writer_close(w));
	swim_test_write_file(p.ptr, out.ptr, out.len);
	swim_zip_writer_free(w);
	swim_zip_free(z);
	swim_buf_dispose(&zip);
	swim_buf_dispose(&out);
	swim_buf_dispose(&m);
	swim_buf_dispose(&p);
}

static void edit_metadata(const char *depot, const char *name,
                          const char *from, const char *to)
{
	edit_metadata_drop(depot, name, from, to, NULL);
}

static void test_depot__fetch_descriptor_disagrees(void **state)
{
	struct fx *f = *state;
	swim_depot *d = NULL;
	swim_vib *vib = NULL;
	char out[600], dest[600];

	build(f, "depot", false, out);
	edit_metadata(out, "vibs/SWIM_bootbank_hello_2.1-3.xml",
	              "<summary>hello world</summary>",
	              "<summary>hello there</summary>");
	swim_assert_ok(swim_depot_open(&d, out, NULL, NULL));
	path(dest, f, "fetched.vib");
	swim_assert_error(swim_depot_fetch(&vib, d,
	                  swim_depot_find_id(d, "SWIM_bootbank_hello_2.1-3"),
	                  dest, NULL), SWIM_EINVAL,
	                  "metadata.zip: vibs/SWIM_bootbank_hello_2.1-3.xml disagrees with the descriptor of ");
	assert_true(strstr(swim_error_last(),
	                   "vib20/hello/SWIM_bootbank_hello_2.1-3.vib (summary or description)"));
	assert_true(no_leftovers(f));
	swim_depot_free(d);
}

/* The test server of tests/integration/depot_server.py on `www`. */
static pid_t start_server(const struct fx *f, const char *www, int *port)
{
	extern char **environ;
	char script[600], portfile[600], log[600];
	char *argv[] = { (char *)"python3", script, (char *)www, portfile, log,
	                 NULL };
	swim_buf b = SWIM_BUF_INIT(0);
	uint64_t v = 0;
	pid_t pid;

	(void)snprintf(script, sizeof(script),
	               "%s/tests/integration/depot_server.py", SWIM_SOURCE_DIR);
	path(portfile, f, "port");
	path(log, f, "log");
	assert_int_equal(posix_spawnp(&pid, "python3", NULL, NULL, argv,
	                              environ), 0);
	for (int i = 0; i < 200 && swim_fs_read_file(&b, portfile) < 0; i++)
		(void)usleep(50000);
	b.ptr[strcspn(b.ptr, "\n")] = '\0';
	swim_assert_ok(swim_str_to_u64(&v, b.ptr, 65535, "port"));
	*port = (int)v;
	swim_buf_dispose(&b);
	return pid;
}

static void test_depot__fetch_http(void **state)
{
	struct fx *f = *state;
	swim_limits lim;
	swim_depot_opts o = { .lim = &lim };
	swim_depot *d = NULL;
	swim_vib *vib = NULL;
	char www[600], out[600], dest[600], url[700], vibp[800];
	const swim_package *hello;
	int port, status;
	pid_t server;

	swim_limits_init(&lim);
	lim.download_retries = 1;
	path(www, f, "www");
	path(out, f, "www/depot");
	build(f, "www/depot", false, out);
	server = start_server(f, www, &port);
	path(dest, f, "fetched.vib");
	/* Whole. */
	(void)snprintf(url, sizeof(url), "http://127.0.0.1:%d/depot/", port);
	swim_assert_ok(swim_depot_open(&d, url, NULL, &o));
	hello = swim_depot_find_id(d, "SWIM_bootbank_hello_2.1-3");
	swim_assert_ok(swim_depot_fetch(&vib, d, hello, dest, NULL));
	same_file(dest, f->hello);
	swim_vib_free(vib);
	(void)unlink(dest);
	swim_depot_free(d);
	/* Cut short: refused, nothing left behind. */
	(void)snprintf(url, sizeof(url), "http://127.0.0.1:%d/truncated/depot/index.xml",
	               port);
	swim_assert_error(swim_depot_open(&d, url, NULL, &o), SWIM_ENETWORK,
	                  "metadata.zip");
	(void)snprintf(url, sizeof(url), "http://127.0.0.1:%d/cutvib/depot/", port);
	swim_assert_ok(swim_depot_open(&d, url, NULL, &o));
	hello = swim_depot_find_id(d, "SWIM_bootbank_hello_2.1-3");
	swim_assert_error(swim_depot_fetch(&vib, d, hello, dest, NULL),
	                  SWIM_ENETWORK, "/cutvib/depot/vib20/hello/");
	assert_null(vib);
	assert_true(no_leftovers(f));
	swim_depot_free(d);
	/* A 404 for a package the metadata names. */
	(void)snprintf(url, sizeof(url), "http://127.0.0.1:%d/depot/", port);
	swim_assert_ok(swim_depot_open(&d, url, NULL, &o));
	hello = swim_depot_find_id(d, "SWIM_bootbank_hello_2.1-3");
	(void)snprintf(vibp, sizeof(vibp), "%s/%s", out, hello->relative_path);
	assert_int_equal(unlink(vibp), 0);
	swim_assert_error(swim_depot_fetch(&vib, d, hello, dest, NULL),
	                  SWIM_ENOTFOUND,
	                  "metadata.zip: vibs/SWIM_bootbank_hello_2.1-3.xml names "
	                  "vib20/hello/SWIM_bootbank_hello_2.1-3.vib, which the depot does not have: GET http://127.0.0.1:");
	assert_true(strstr(swim_error_last(), "HTTP status 404"));
	assert_true(no_leftovers(f));
	swim_depot_free(d);
	(void)kill(server, SIGTERM);
	(void)waitpid(server, &status, 0);
}

static void write_text(const char *p, const char *text)
{
	swim_test_write_file(p, text, strlen(text));
}

/* ---- metadata problems -------------------------------------------------- */

static void test_depot__metadata_errors(void **state)
{
	struct fx *f = *state;
	swim_depot *d = NULL;
	char out[600], p[700];

	/* vmware.xml is read when there are no bulletins/X.xml. */
	build(f, "d1", false, out);
	edit_metadata_drop(out, "vmware.xml", "<packedSize>", "<packedSize>1",
	                   "bulletins/");
	swim_assert_error(swim_depot_open(&d, out, NULL, NULL), SWIM_EINVAL,
	                  "metadata.zip: vmware.xml:");
	assert_true(strstr(swim_error_last(), "differs from vibs/"));
	assert_true(strstr(swim_error_last(), out));

	build(f, "d2", false, out);
	edit_metadata_drop(out, "vmware.xml",
	                   "<vibID>SWIM_bootbank_base_1.0.0-1</vibID>",
	                   "<vibID>SWIM_bootbank_gone_1.0-1</vibID>", "bulletins/");
	swim_assert_error(swim_depot_open(&d, out, NULL, NULL), SWIM_EINVAL,
	                  "package SWIM_bootbank_gone_1.0-1 has no vibs/*.xml in the metadata");

	build(f, "d2b", false, out);
	edit_metadata_drop(out, "vmware.xml", "<vibList>", "<vibList>", "bulletins/");
	swim_assert_ok(swim_depot_open(&d, out, NULL, NULL));
	check_content(f, d);
	swim_depot_free(d);
	d = NULL;

	build(f, "d2c", false, out);
	edit_metadata(out, "bulletins/base_1.0.0-1.xml", "SWIM_bootbank_base_1.0.0-1",
	              "SWIM_bootbank_gone_1.0-1");
	swim_assert_error(swim_depot_open(&d, out, NULL, NULL), SWIM_EINVAL,
	                  "bulletin base_1.0.0-1 names package SWIM_bootbank_gone_1.0-1, which the metadata does not describe");

	build(f, "d3", false, out);
	edit_metadata(out, "vibs/SWIM_bootbank_base_1.0.0-1.xml", "<name>",
	              "<name><bogus/>");
	swim_assert_error(swim_depot_open(&d, out, NULL, NULL), SWIM_EINVAL,
	                  "metadata.zip: vibs/SWIM_bootbank_base_1.0.0-1.xml:");

	build(f, "d4", false, out);
	(void)snprintf(p, sizeof(p), "%s/vendor-index.xml", out);
	write_text(p, "<metaList>\n<metadata><url>metadata.zip</url>\n</metaList>");
	swim_assert_error(swim_depot_open(&d, out, NULL, NULL), SWIM_EINVAL,
	                  "vendor-index.xml:3:");

	(void)snprintf(p, sizeof(p), "%s/index.xml", out);
	(void)unlink(p);
	swim_assert_error(swim_depot_open(&d, out, NULL, NULL), SWIM_ENOTFOUND,
	                  "index.xml");
	assert_true(strstr(swim_error_last(), "depot "));

	path(p, f, "notzip.zip");
	write_text(p, "hello, I am not a zip file at all\n");
	swim_assert_error(swim_depot_open(&d, p, NULL, NULL), SWIM_EINVAL,
	                  "notzip.zip");

	build(f, "d5", false, out);
	path(p, f, "noindex.zip");
	{
		swim_buf z = SWIM_BUF_INIT(0), md = SWIM_BUF_INIT(0);
		swim_zip_writer *w = NULL;
		char mp[700];

		(void)snprintf(mp, sizeof(mp), "%s/metadata.zip", out);
		swim_assert_ok(swim_fs_read_file(&md, mp));
		swim_assert_ok(swim_zip_writer_new_buf(&w, &z, SDE));
		swim_assert_ok(swim_zip_add(w, "metadata.zip", md.ptr, md.len, false));
		swim_assert_ok(swim_zip_writer_close(w));
		swim_test_write_file(p, z.ptr, z.len);
		swim_zip_writer_free(w);
		swim_buf_dispose(&z);
		swim_buf_dispose(&md);
	}
	swim_assert_error(swim_depot_open(&d, p, NULL, NULL), SWIM_ENOTFOUND,
	                  "there is no index.xml in the bundle");
	assert_null(d);
}

static void test_depot__locations(void **state)
{
	struct fx *f = *state;
	swim_depot *d = NULL;
	char p[700];

	(void)f;
	swim_assert_error(swim_depot_open(&d, "ftp://example.org/depot/", NULL, NULL),
	                  SWIM_ENOTSUPPORTED, "unsupported URL scheme");
	swim_assert_error(swim_depot_open(&d, "http://u:secret@example.org/x.zip", NULL, NULL),
	                  SWIM_ENOTSUPPORTED, "read from a local path");
	assert_null(strstr(swim_error_last(), "secret"));
	swim_assert_error(swim_depot_open(&d, "http://example.org/d/?a=b", NULL, NULL),
	                  SWIM_ENOTSUPPORTED, "query");
	path(p, f, "nothing-here");
	swim_assert_error(swim_depot_open(&d, p, NULL, NULL), SWIM_ENOTFOUND,
	                  "nothing-here");
}

static void test_depot__resolve(void **state)
{
	swim_buf b = SWIM_BUF_INIT(0);

	(void)state;
	swim_assert_ok(swim_depot_resolve(&b, "", "a/b/../c.xml", "x"));
	assert_string_equal(b.ptr, "a/c.xml");
	swim_buf_clear(&b);
	swim_assert_ok(swim_depot_resolve(&b, "esx/vmw/", "./m.zip", "x"));
	assert_string_equal(b.ptr, "esx/vmw/m.zip");
	swim_buf_clear(&b);
	swim_assert_ok(swim_depot_resolve(&b, "esx/", "../i.xml", "x"));
	assert_string_equal(b.ptr, "i.xml");
	swim_buf_clear(&b);
	swim_assert_ok(swim_depot_resolve(&b, "", "vendor/", "x"));
	assert_string_equal(b.ptr, "vendor/");
	swim_buf_clear(&b);
	swim_assert_error(swim_depot_resolve(&b, "", "../x", "<url>"),
	                  SWIM_EINVAL, "<url> '../x' leads out of the depot");
	swim_assert_error(swim_depot_resolve(&b, "a/", "/etc/passwd", "<url>"),
	                  SWIM_EINVAL, "is not a path relative to the depot");
	swim_assert_error(swim_depot_resolve(&b, "", "http://evil/x", "<url>"),
	                  SWIM_EINVAL, "is not a path relative to the depot");
	swim_assert_error(swim_depot_resolve(&b, "", "a?b", "<url>"),
	                  SWIM_EINVAL, "is not a path relative to the depot");
	swim_assert_error(swim_depot_resolve(&b, "", "", "<url>"),
	                  SWIM_EINVAL, "<url> is empty");
	assert_int_equal(b.len, 0);
	swim_buf_dispose(&b);
}

/* ---- several depots ------------------------------------------------------ */

/* A depot holding a package with hello's id but other content. */
static void build_rival(const struct fx *f, char *out)
{
	char vib[600];
	const char *vibs[] = { vib };

	path(vib, f, "in/rival/hello.vib");
	swim_test_build_vib(vib, hello_xml, "a different hello\n");
	path(out, f, "rival");
	swim_assert_ok(swim_depot_build(out, false, vibs, 1, NULL, 0,
	                                &build_opts));
}

static void test_depot__set_conflict(void **state)
{
	struct fx *f = *state;
	swim_depot_set *s = NULL;
	swim_depot *d = NULL;
	const swim_depot_offer *o = NULL;
	const swim_depot_offer **m = NULL;
	size_t n;
	char a[600], b[600], dest[600];
	swim_vib *vib = NULL;

	build(f, "depot", false, a);
	build_rival(f, b);
	swim_assert_ok(swim_depot_set_new(&s));
	swim_assert_ok(swim_depot_open(&d, a, "main", NULL));
	swim_assert_ok(swim_depot_set_add(s, d));
	swim_assert_ok(swim_depot_open(&d, b, "rival", NULL));
	swim_assert_ok(swim_depot_set_add(s, d));
	swim_assert_ok(swim_depot_open(&d, b, "rival", NULL));
	swim_assert_error(swim_depot_set_add(s, d), SWIM_EEXISTS,
	                  "depot rival is given twice");
	swim_assert_ok(swim_depot_set_offers(&o, &n, s));
	assert_int_equal(n, 3);
	/* sorted by name: base, hello, tools */
	assert_string_equal(o[0].pkg->name, "base");
	assert_false(o[0].conflict);
	assert_int_equal(o[0].n_depots, 1);
	assert_string_equal(o[1].pkg->name, "hello");
	assert_true(o[1].conflict);
	assert_int_equal(o[1].n_depots, 2);
	swim_assert_error(swim_depot_set_get(&o, s, "SWIM_bootbank_hello_2.1-3"),
	                  SWIM_ECONFLICT,
	                  "package SWIM_bootbank_hello_2.1-3 is offered with different content by depot main and depot rival");
	path(dest, f, "fetched.vib");
	swim_assert_error(swim_depot_set_fetch(&vib, s, "SWIM_bootbank_hello_2.1-3",
	                                       dest, NULL),
	                  SWIM_ECONFLICT, "disable one of them");
	assert_int_not_equal(access(dest, F_OK), 0);
	swim_assert_ok(swim_depot_set_match(&m, &n, s, "hello"));
	assert_int_equal(n, 1);
	swim_assert_error(swim_depot_offer_check(m[0]), SWIM_ECONFLICT, "rival");
	free(m);
	/* Disabling one depot lifts the refusal. */
	swim_assert_ok(swim_depot_set_enable(s, "rival", false));
	assert_false(swim_depot_set_is_enabled(s, 1));
	swim_assert_ok(swim_depot_set_get(&o, s, "SWIM_bootbank_hello_2.1-3"));
	assert_int_equal(o->n_depots, 1);
	assert_string_equal(swim_depot_name(o->depots[0]), "main");
	swim_assert_ok(swim_depot_set_fetch(&vib, s, "SWIM_bootbank_hello_2.1-3",
	                                    dest, NULL));
	swim_vib_free(vib);
	swim_assert_error(swim_depot_set_enable(s, "nope", true), SWIM_ENOTFOUND,
	                  "no depot called nope");
	swim_depot_set_free(s);
}

static void test_depot__set_same_content(void **state)
{
	struct fx *f = *state;
	swim_depot_set *s = NULL;
	swim_depot *d = NULL;
	const swim_depot_offer *o = NULL;
	const swim_depot_profile_offer *po = NULL;
	size_t n;
	char a[600], b[600];

	build(f, "depot", false, a);
	build(f, "bundle.zip", true, b);
	swim_assert_ok(swim_depot_set_new(&s));
	swim_assert_ok(swim_depot_open(&d, a, NULL, NULL));
	swim_assert_ok(swim_depot_set_add(s, d));
	swim_assert_ok(swim_depot_open(&d, b, NULL, NULL));
	swim_assert_ok(swim_depot_set_add(s, d));
	swim_assert_ok(swim_depot_set_get(&o, s, "SWIM_bootbank_base_1.0.0-1"));
	assert_int_equal(o->n_depots, 2);
	assert_false(o->conflict);
	swim_assert_ok(swim_depot_set_profiles(&po, &n, s));
	assert_int_equal(n, 1);
	assert_int_equal(po[0].n_depots, 2);
	swim_assert_ok(swim_depot_set_find_profile(&po, s, "demo-standard"));
	assert_string_equal(po->profile->guid, "0123456789abcdef0123456789abcdef");
	swim_assert_error(swim_depot_set_find_profile(&po, s, "nope"),
	                  SWIM_ENOTFOUND, "no image profile 'nope'");
	swim_depot_set_free(s);
}

static size_t match(swim_depot_set *s, const char *spec)
{
	const swim_depot_offer **m = NULL;
	size_t n = 0;

	if (swim_depot_set_match(&m, &n, s, spec) < 0)
		return 0;
	free(m);
	return n;
}

static void test_depot__set_match(void **state)
{
	struct fx *f = *state;
	swim_depot_set *s = NULL;
	swim_depot *d = NULL;
	const swim_depot_offer **m = NULL;
	size_t n;
	char a[600];

	build(f, "depot", false, a);
	swim_assert_ok(swim_depot_set_new(&s));
	swim_assert_ok(swim_depot_open(&d, a, NULL, NULL));
	swim_assert_ok(swim_depot_set_add(s, d));
	assert_int_equal(match(s, "hello"), 1);
	assert_int_equal(match(s, "hello:2.1-3"), 1);
	assert_int_equal(match(s, "SWIM:hello"), 1);
	assert_int_equal(match(s, "SWIM:hello:2.1-3"), 1);
	assert_int_equal(match(s, "tools:3:1.0-1"), 1);       /* epoch */
	assert_int_equal(match(s, "My Co:tools:3:1.0-1"), 1);
	assert_int_equal(match(s, "hello:2.1-4"), 0);
	assert_int_equal(match(s, "Other:hello"), 0);
	swim_assert_error(swim_depot_set_match(&m, &n, s, "nothing"),
	                  SWIM_ENOTFOUND, "no package matching 'nothing'");
	swim_depot_set_free(s);
}

/* ---- the documents themselves ---------------------------------------------- */

static void test_depot__index_documents(void **state)
{
	swim_depot_vendor v = { .name = (char *)"A & B", .code = (char *)"AB",
	                        .index_file = (char *)"vi.xml",
	                        .relative_path = (char *)"ab/",
	                        .content_type = (char *)SWIM_DEPOT_CONTENT_TYPE };
	swim_depot_channel c = { .product_id = (char *)"embeddedEsx",
	                         .version = (char *)"7.*",
	                         .url = (char *)"m.zip" };
	swim_depot_vendor *rv = NULL;
	swim_depot_channel *rc = NULL;
	swim_buf b = SWIM_BUF_INIT(0);
	const char *no_index =
		"<vendorList>\n<vendor><name>x</name></vendor></vendorList>";
	size_t n;

	(void)state;
	swim_assert_ok(swim_depot_index_write(&b, &v, 1));
	swim_assert_ok(swim_depot_index_read(&rv, &n, b.ptr, b.len, NULL, "i"));
	assert_int_equal(n, 1);
	assert_string_equal(rv[0].name, "A & B");
	assert_string_equal(rv[0].relative_path, "ab/");
	assert_null(rv[0].patch_url);
	swim_depot_vendors_free(rv, n);
	swim_buf_clear(&b);
	swim_assert_ok(swim_depot_vendor_index_write(&b, &c, 1));
	swim_assert_ok(swim_depot_vendor_index_read(&rc, &n, b.ptr, b.len, NULL, "v"));
	assert_int_equal(n, 1);
	assert_string_equal(rc[0].version, "7.*");
	assert_null(rc[0].channel_name);
	swim_depot_channels_free(rc, n);
	/* Unknown elements are fine, missing required ones are not. */
	swim_assert_ok(swim_depot_index_read(&rv, &n,
	               "<vendorList><vendor><indexfile>x.xml</indexfile><extra/></vendor></vendorList>",
	               78, NULL, "index.xml"));
	swim_depot_vendors_free(rv, n);
	swim_assert_error(swim_depot_index_read(&rv, &n, no_index,
	                                        strlen(no_index), NULL, "index.xml"),
	                  SWIM_EINVAL, "index.xml:2: <vendor> has no <indexfile>");
	swim_assert_error(swim_depot_index_read(&rv, &n, "<metaList/>", 11, NULL,
	                                        "index.xml"),
	                  SWIM_EINVAL, "the root element is <metaList>, not <vendorList>");
	swim_buf_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_depot__dir_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depot__bundle_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depot__file_url_and_index_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depot__reproducible, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depot__build_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depot__cache_snapshot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depot__cache_corrupt_snapshot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depot__cache_unwritable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depot__fetch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depot__fetch_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depot__fetch_descriptor_disagrees, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depot__fetch_http, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depot__metadata_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depot__locations, setup, teardown),
		cmocka_unit_test(test_depot__resolve),
		cmocka_unit_test_setup_teardown(test_depot__set_conflict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depot__set_same_content, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depot__set_match, setup, teardown),
		cmocka_unit_test(test_depot__index_documents),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
