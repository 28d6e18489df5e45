#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/testutil.h"
#include "swim/error.h"
#include "util/fs.h"

/* Data lands at its offset, a gap before it reads as zeros, and a
 * descriptor that cannot write gives its errno back, negated. */
static void test_fs__pwrite_all(void **state)
{
	char *dir = swim_test_tmpdir();
	char *path = swim_test_path(dir, "f");
	char got[16];
	int fd;

	(void)state;
	fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(swim_fs_pwrite_all(fd, "tail", 4, 8), 0);
	assert_int_equal(swim_fs_pwrite_all(fd, "head", 4, 0), 0);
	assert_int_equal(swim_fs_pwrite_all(fd, "", 0, 100), 0);
	assert_int_equal(pread(fd, got, sizeof(got), 0), 12);
	assert_memory_equal(got, "head\0\0\0\0tail", 12);
	assert_int_equal(close(fd), 0);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(swim_fs_pwrite_all(fd, "x", 1, 0), -EBADF);
	(void)close(fd);
	swim_test_rmtree(dir);
	free(path);
	free(dir);
}

static void test_fs__write_all_names_the_file(void **state)
{
	char *dir = swim_test_tmpdir();
	char *path = swim_test_path(dir, "f");
	int fd;

	(void)state;
	fd = open(path, O_CREAT | O_RDONLY | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	swim_assert_error(swim_fs_write_all(fd, "x", 1, "the file f"), SWIM_EIO,
	                  "writing the file f");
	(void)close(fd);
	swim_test_rmtree(dir);
	free(path);
	free(dir);
}

/* Everything below goes, directories without write permission too;
 * the directory itself stays, and a symlink inside is removed, never
 * followed. */
static void test_fs__empty_dir(void **state)
{
	char *dir = swim_test_tmpdir(), *outside = swim_test_tmpdir();
	char *locked = swim_test_path(dir, "a");
	char *sub = swim_test_path(dir, "a/b");
	char *file = swim_test_path(dir, "a/b/f");
	char *link = swim_test_path(dir, "a/b/out");
	char *kept = swim_test_path(outside, "kept");
	int fd;

	(void)state;
	assert_int_equal(swim_fs_mkdir_p(sub, 0755), 0);
	fd = open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	(void)close(fd);
	fd = open(kept, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	(void)close(fd);
	assert_int_equal(symlink(outside, link), 0);
	assert_int_equal(chmod(locked, 0500), 0);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	swim_fs_empty_dir(fd);
	(void)close(fd);
	assert_int_equal(access(dir, F_OK), 0);
	assert_int_equal(access(locked, F_OK), -1);
	assert_int_equal(access(kept, F_OK), 0);
	swim_test_rmtree(dir);
	swim_test_rmtree(outside);
	free(locked);
	free(sub);
	free(file);
	free(link);
	free(kept);
	free(outside);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fs__pwrite_all),
		cmocka_unit_test(test_fs__write_all_names_the_file),
		cmocka_unit_test(test_fs__empty_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
