/* The ar container of .vib files (lib/ar.h). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/ar.h"
#include "support/testutil.h"
#include "swim/error.h"
#include "util/fs.h"

/* Writes three members into a memory-backed file and returns its bytes. */
static char *write_sample(size_t *len)
{
	char *dir = swim_test_tmpdir(), path[512];
	swim_buf data = SWIM_BUF_INIT(0);
	swim_ar_writer *w = NULL;
	int fd, src;

	(void)snprintf(path, sizeof(path), "%s/x.ar", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	swim_assert_ok(swim_ar_writer_new(&w, fd, path));
	swim_assert_ok(swim_ar_writer_add(w, "descriptor.xml", "<vib/>", 6));
	swim_assert_ok(swim_ar_writer_add(w, "sig.pkcs7", "", 0));
	(void)snprintf(path, sizeof(path), "%s/payload", dir);
	swim_test_write_file(path, "odd", 3);
	src = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(src >= 0);
	swim_assert_ok(swim_ar_writer_add_fd(w, "payload1", src, 3));
	(void)close(src);
	swim_assert_error(swim_ar_writer_add(w, "a-name-of-16-byt", "", 0),
	                  SWIM_EINVAL, "cannot be an ar member name");
	swim_assert_ok(swim_ar_writer_finish(w));
	swim_ar_writer_free(w);
	(void)close(fd);
	(void)snprintf(path, sizeof(path), "%s/x.ar", dir);
	swim_assert_ok(swim_fs_read_file(&data, path));
	swim_test_rmtree(dir);
	free(dir);
	*len = data.len;
	return swim_buf_detach(&data);
}

static void test_ar__layout(void **state)
{
	size_t len;
	char *a = write_sample(&len);

	(void)state;
	/* binutils' format with fixed metadata: `ar D` output. */
	assert_memory_equal(a, "!<arch>\n", 8);
	assert_memory_equal(a + 8, "descriptor.xml/ 0           0     0     "
	                    "100644  6         `\n<vib/>", 66);
	assert_memory_equal(a + 74, "sig.pkcs7/      0           0     0     "
	                    "100644  0         `\n", 60);
	/* An odd member is padded with '\n'. */
	assert_int_equal(len, 8 + 66 + 60 + 60 + 3 + 1);
	assert_int_equal(a[len - 1], '\n');
	free(a);
}

static void test_ar__read(void **state)
{
	swim_buf buf = SWIM_BUF_INIT(0);
	swim_ar_reader *r = NULL;
	const char *name;
	uint64_t size;
	size_t len;
	char *a = write_sample(&len);

	(void)state;
	swim_assert_ok(swim_ar_reader_open_memory(&r, a, len, NULL));
	assert_int_equal(swim_ar_reader_next(r, &name, &size), 1);
	assert_string_equal(name, "descriptor.xml");
	assert_int_equal(size, 6);
	swim_assert_ok(swim_ar_reader_read_all(r, &buf));
	assert_string_equal(buf.ptr, "<vib/>");
	assert_int_equal(swim_ar_reader_next(r, &name, &size), 1);
	assert_string_equal(name, "sig.pkcs7");
	assert_int_equal(size, 0);
	/* Unread members are skipped. */
	assert_int_equal(swim_ar_reader_next(r, &name, &size), 1);
	assert_string_equal(name, "payload1");
	assert_int_equal(swim_ar_reader_next(r, &name, &size), 0);
	swim_ar_reader_free(r);
	swim_buf_dispose(&buf);
	free(a);
}

static void test_ar__limits(void **state)
{
	swim_buf buf = SWIM_BUF_INIT(4);
	swim_ar_reader *r = NULL;
	swim_limits lim;
	const char *name;
	uint64_t size;
	size_t len;
	char *a = write_sample(&len);

	(void)state;
	swim_limits_init(&lim);
	lim.archive_max_members = 2;
	swim_assert_ok(swim_ar_reader_open_memory(&r, a, len, &lim));
	assert_int_equal(swim_ar_reader_next(r, &name, &size), 1);
	swim_assert_error(swim_ar_reader_read_all(r, &buf), SWIM_ELIMIT,
	                  "limit of 4 bytes");
	assert_int_equal(swim_ar_reader_next(r, &name, &size), 1);
	swim_assert_error(swim_ar_reader_next(r, &name, &size), SWIM_ELIMIT,
	                  "archive_max_members");
	swim_ar_reader_free(r);
	swim_buf_dispose(&buf);
	free(a);
}

static void test_ar__hostile(void **state)
{
	swim_buf buf = SWIM_BUF_INIT(0);
	swim_ar_reader *r = NULL;
	const char *name;
	uint64_t size;
	size_t len;
	char *a = write_sample(&len), *dup;

	(void)state;
	/* Cut inside descriptor.xml's data. */
	swim_assert_ok(swim_ar_reader_open_memory(&r, a, 70, NULL));
	assert_int_equal(swim_ar_reader_next(r, &name, &size), 1);
	swim_assert_error(swim_ar_reader_read_all(r, &buf), SWIM_EINVAL,
	                  "member 'descriptor.xml': truncated archive");
	swim_ar_reader_free(r);
	/* The same member twice. */
	dup = malloc(len + 66);
	assert_non_null(dup);
	memcpy(dup, a, 74);
	memcpy(dup + 74, a + 8, 66);
	memcpy(dup + 140, a + 74, len - 74);
	swim_assert_ok(swim_ar_reader_open_memory(&r, dup, len + 66, NULL));
	assert_int_equal(swim_ar_reader_next(r, &name, &size), 1);
	swim_assert_error(swim_ar_reader_next(r, &name, &size), SWIM_EINVAL,
	                  "member 'descriptor.xml': duplicate member");
	swim_ar_reader_free(r);
	/* Not ar at all. */
	swim_assert_error(swim_ar_reader_open_memory(&r, "hello world", 11, NULL),
	                  SWIM_EINVAL, "not a valid ar archive");
	assert_null(r);
	free(dup);
	free(a);
	swim_buf_dispose(&buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ar__layout),
		cmocka_unit_test(test_ar__read),
		cmocka_unit_test(test_ar__limits),
		cmocka_unit_test(test_ar__hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
