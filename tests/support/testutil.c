#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "swim/error.h"
#include "swim/vib.h"
#include "testutil.h"
#include "util/fs.h"

char *swim_test_data(const char *rel, size_t *len)
{
	swim_buf path = SWIM_BUF_INIT(0), data = SWIM_BUF_INIT((size_t)1 << 30);
	char *p;

	assert_int_equal(swim_buf_printf(&path, "%s/%s", SWIM_TEST_DATA, rel), 0);
	if (swim_fs_read_file(&data, path.ptr) < 0)
		fail_msg("test data %s: %s", path.ptr, swim_error_last());
	if (len)
		*len = data.len;
	p = swim_buf_detach(&data);
	swim_buf_dispose(&path);
	return p;
}

swim_package *swim_test_descriptor(const char *rel)
{
	swim_package *pkg = NULL;
	size_t len;
	char *xml = swim_test_data(rel, &len);

	if (swim_descriptor_read(&pkg, xml, len, NULL) < 0)
		fail_msg("%s: %s", rel, swim_error_last());
	free(xml);
	return pkg;
}

char *swim_test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *t = NULL;

	if (asprintf(&t, "%s/swim-test.XXXXXX", base ? base : "/tmp") < 0)
		fail_msg("out of memory");
	if (!mkdtemp(t))
		fail_msg("mkdtemp: %s", strerror(errno));
	return t;
}

char *swim_test_path(const char *dir, const char *rel)
{
	char *p = NULL;

	if (asprintf(&p, "%s/%s", dir, rel) < 0)
		fail_msg("out of memory");
	return p;
}

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void swim_test_rmtree(const char *path)
{
	(void)nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void swim_test_write_file(const char *path, const char *data, size_t len)
{
	char *dir = strdup(path), *slash;
	FILE *f;

	assert_non_null(dir);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		swim_assert_ok(swim_fs_mkdir_p(dir, 0755));
	}
	free(dir);
	f = fopen(path, "we");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

void swim_test_build_vib(const char *out, const char *descriptor_xml,
                         const char *content)
{
	swim_vib_build_options opt = { 1700000000, NULL };
	swim_package *pkg = NULL;
	swim_buf src = SWIM_BUF_INIT(0), file = SWIM_BUF_INIT(0);
	swim_vib_payload_spec spec = { "p", NULL, NULL };

	swim_assert_ok(swim_descriptor_read(&pkg, descriptor_xml,
	                                    strlen(descriptor_xml), NULL));
	swim_assert_ok(swim_buf_printf(&src, "%s.src", out));
	swim_assert_ok(swim_buf_printf(&file, "%s/p/usr/share/%s/data", src.ptr,
	                               pkg->name));
	swim_test_write_file(file.ptr, content, strlen(content));
	swim_buf_clear(&file);
	swim_assert_ok(swim_buf_printf(&file, "%s/p", src.ptr));
	spec.dir = file.ptr;
	swim_assert_ok(swim_vib_build(out, pkg, &spec, 1, &opt));
	swim_test_rmtree(src.ptr);
	swim_package_free(pkg);
	swim_buf_dispose(&src);
	swim_buf_dispose(&file);
}
