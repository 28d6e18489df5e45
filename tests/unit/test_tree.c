/* The safety rules every payload entry passes (lib/tree.h). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/tree.h"
#include "support/testutil.h"
#include "swim/error.h"

static swim_tree *new_tree(char *const *setid, size_t n)
{
	swim_tree *t = NULL;

	swim_assert_ok(swim_tree_new(&t, NULL, setid, n));
	return t;
}

static int add(swim_tree *t, const char *path, mode_t mode,
               const char *symlink, const char *hardlink, unsigned payload)
{
	swim_tree_entry e = { path, mode, symlink, hardlink, 0 };

	return swim_tree_add(t, NULL, &e, payload);
}

static void test_tree__paths(void **state)
{
	swim_buf b = SWIM_BUF_INIT(0);
	char longp[5000];

	(void)state;
	swim_assert_ok(swim_tree_path(&b, "./usr/bin/", NULL));
	assert_string_equal(b.ptr, "usr/bin");
	assert_int_equal(swim_tree_path(&b, "./", NULL), 1);
	assert_int_equal(swim_tree_path(&b, ".", NULL), 1);
	swim_assert_error(swim_tree_path(&b, "a/../b", NULL), SWIM_EINVAL,
	                  "entry 'a/../b': path traversal");
	swim_assert_error(swim_tree_path(&b, "/etc/x", NULL), SWIM_EINVAL,
	                  "absolute path");
	swim_assert_error(swim_tree_path(&b, "a//b", NULL), SWIM_EINVAL,
	                  "empty path component");
	swim_assert_error(swim_tree_path(&b, "a/./b", NULL), SWIM_EINVAL,
	                  "'.' path component");
	swim_assert_error(swim_tree_path(&b, "a\nb", NULL), SWIM_EINVAL,
	                  "entry 'a\\x0ab': control character");
	swim_assert_error(swim_tree_path(&b, "a\xc0\xaf" "b", NULL), SWIM_EINVAL,
	                  "invalid UTF-8");
	swim_assert_error(swim_tree_path(&b, "", NULL), SWIM_EINVAL,
	                  "empty path");
	memset(longp, 'a', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	swim_assert_error(swim_tree_path(&b, longp, NULL), SWIM_ELIMIT,
	                  "longer than archive_path_max_bytes");
	swim_buf_dispose(&b);
}

static void test_tree__types(void **state)
{
	swim_tree *t = new_tree(NULL, 0);

	(void)state;
	swim_assert_ok(add(t, "usr/", S_IFDIR | 0755, NULL, NULL, 0));
	swim_assert_ok(add(t, "usr/f", S_IFREG | 0644, NULL, NULL, 0));
	swim_assert_error(add(t, "dev/null", S_IFCHR | 0666, NULL, NULL, 0),
	                  SWIM_EINVAL, "entry 'dev/null': device node not allowed");
	swim_assert_error(add(t, "dev/sda", S_IFBLK | 0666, NULL, NULL, 0),
	                  SWIM_EINVAL, "device node");
	swim_assert_error(add(t, "p", S_IFIFO | 0666, NULL, NULL, 0),
	                  SWIM_EINVAL, "FIFO not allowed");
	swim_assert_error(add(t, "s", S_IFSOCK | 0666, NULL, NULL, 0),
	                  SWIM_EINVAL, "socket not allowed");
	swim_assert_error(add(t, "./", S_IFREG | 0644, NULL, NULL, 0),
	                  SWIM_EINVAL, "root must be a directory");
	assert_int_equal(add(t, "./", S_IFDIR | 0755, NULL, NULL, 0), 1);
	assert_int_equal(swim_tree_count(t), 2);
	swim_tree_free(t);
}

static void test_tree__setid(void **state)
{
	static char su[] = "usr/bin/su", wall[] = "usr/bin/wall";
	char *allowed[] = { su, wall };
	swim_tree *t = new_tree(allowed, 2);

	(void)state;
	swim_assert_ok(add(t, "usr/bin/su", S_IFREG | 04755, NULL, NULL, 0));
	swim_assert_ok(add(t, "usr/bin/wall", S_IFREG | 02755, NULL, NULL, 0));
	swim_assert_ok(add(t, "usr/bin/ls", S_IFREG | 01755, NULL, NULL, 0));
	swim_assert_error(add(t, "usr/bin/sudo", S_IFREG | 04755, NULL, NULL, 0),
	                  SWIM_EACCESS, "setuid/setgid bit (mode 4755) not allowed");
	swim_assert_error(add(t, "var/mail/", S_IFDIR | 02775, NULL, NULL, 0),
	                  SWIM_EACCESS, "setid-files");
	swim_tree_free(t);
}

static void test_tree__symlinks(void **state)
{
	swim_tree *t = new_tree(NULL, 0);

	(void)state;
	swim_assert_ok(add(t, "usr/lib/libx.so", S_IFLNK | 0777, "libx.so.1",
	                   NULL, 0));
	swim_assert_ok(add(t, "usr/lib64", S_IFLNK | 0777, "lib", NULL, 0));
	swim_assert_ok(add(t, "usr/bin/y", S_IFLNK | 0777, "../lib/../../etc",
	                   NULL, 0));
	swim_assert_error(add(t, "usr/bin/z", S_IFLNK | 0777, "../../../etc",
	                      NULL, 0), SWIM_EINVAL,
	                  "entry 'usr/bin/z': symlink points outside");
	swim_assert_error(add(t, "a", S_IFLNK | 0777, "/etc/passwd", NULL, 0),
	                  SWIM_EINVAL, "absolute target");
	swim_assert_error(add(t, "b", S_IFLNK | 0777, "", NULL, 0),
	                  SWIM_EINVAL, "empty symlink target");
	swim_assert_error(add(t, "c", S_IFLNK | 0777, "x\x01", NULL, 0),
	                  SWIM_EINVAL, "control character in the symlink target");
	/* Nothing is written through a symlink. */
	swim_assert_error(add(t, "usr/lib64/evil", S_IFREG | 0644, NULL, NULL, 0),
	                  SWIM_EINVAL, "path goes through the symlink 'usr/lib64'");
	swim_tree_free(t);
}

static void test_tree__symlink_chain(void **state)
{
	swim_tree *t = new_tree(NULL, 0);

	(void)state;
	/* 'd/b' is inside when read alone, but 'a' is the root itself, so
	 * 'a/..' is the root's parent. Known only once both are in. */
	swim_assert_ok(add(t, "d/b", S_IFLNK | 0777, "../a/..", NULL, 0));
	swim_assert_ok(add(t, "a", S_IFLNK | 0777, ".", NULL, 0));
	swim_assert_error(swim_tree_finish(t), SWIM_EINVAL,
	                  "entry 'd/b': symlink points outside");
	swim_tree_free(t);

	t = new_tree(NULL, 0);
	swim_assert_ok(add(t, "l1", S_IFLNK | 0777, "l2/x", NULL, 0));
	swim_assert_ok(add(t, "l2", S_IFLNK | 0777, "l1/x", NULL, 0));
	swim_assert_error(swim_tree_finish(t), SWIM_EINVAL, "symlink");
	swim_tree_free(t);
}

static void test_tree__hardlinks(void **state)
{
	swim_tree *t = new_tree(NULL, 0);

	(void)state;
	swim_assert_ok(add(t, "bin/a", S_IFREG | 0755, NULL, NULL, 0));
	swim_assert_ok(add(t, "bin/b", S_IFREG | 0755, NULL, "bin/a", 0));
	swim_assert_ok(add(t, "bin/c", S_IFREG | 0755, NULL, "./bin/b", 0));
	swim_assert_error(add(t, "h", S_IFREG | 0644, NULL, "../etc/passwd", 0),
	                  SWIM_EINVAL, "entry 'h': hard link points outside the "
	                  "payload tree (target: path traversal");
	swim_assert_error(add(t, "h", S_IFREG | 0644, NULL, "etc/passwd", 0),
	                  SWIM_EINVAL, "not an earlier file of this payload");
	swim_assert_error(add(t, "h", S_IFREG | 0644, NULL, "bin", 0),
	                  SWIM_EINVAL, "hard link points outside");
	/* Payloads are separate archives: no links between them. */
	swim_assert_error(add(t, "h", S_IFREG | 0644, NULL, "bin/a", 1),
	                  SWIM_EINVAL, "not an earlier file of this payload");
	swim_tree_free(t);
}

static void test_tree__duplicates(void **state)
{
	swim_tree *t = new_tree(NULL, 0);

	(void)state;
	swim_assert_ok(add(t, "usr/bin/x", S_IFREG | 0644, NULL, NULL, 0));
	swim_assert_ok(add(t, "usr/", S_IFDIR | 0755, NULL, NULL, 0));
	swim_assert_error(add(t, "usr", S_IFDIR | 0755, NULL, NULL, 0),
	                  SWIM_ECONFLICT, "entry 'usr': duplicate path");
	swim_assert_error(add(t, "usr/bin/x", S_IFREG | 0644, NULL, NULL, 0),
	                  SWIM_ECONFLICT, "duplicate path");
	swim_assert_error(add(t, "./usr/bin", S_IFREG | 0644, NULL, NULL, 0),
	                  SWIM_ECONFLICT, "duplicate path");
	swim_assert_error(add(t, "usr/bin/x/y", S_IFREG | 0644, NULL, NULL, 0),
	                  SWIM_EINVAL, "path goes through the file 'usr/bin/x'");
	/* Directories repeat across payloads; files do not. */
	swim_assert_ok(add(t, "usr/", S_IFDIR | 0755, NULL, NULL, 1));
	swim_assert_error(add(t, "usr/bin/x", S_IFREG | 0644, NULL, NULL, 1),
	                  SWIM_ECONFLICT, "duplicate path");
	swim_tree_free(t);
}

static void test_tree__many(void **state)
{
	swim_tree *t = new_tree(NULL, 0);
	char p[64];

	(void)state;
	for (int i = 0; i < 5000; i++) {
		(void)snprintf(p, sizeof(p), "d%d/f%d", i % 37, i);
		swim_assert_ok(add(t, p, S_IFREG | 0644, NULL, NULL, 0));
	}
	assert_int_equal(swim_tree_count(t), 5000);
	swim_assert_error(add(t, "d3/f3", S_IFREG | 0644, NULL, NULL, 0),
	                  SWIM_ECONFLICT, "duplicate path");
	swim_assert_ok(swim_tree_finish(t));
	swim_tree_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree__paths),
		cmocka_unit_test(test_tree__types),
		cmocka_unit_test(test_tree__setid),
		cmocka_unit_test(test_tree__symlinks),
		cmocka_unit_test(test_tree__symlink_chain),
		cmocka_unit_test(test_tree__hardlinks),
		cmocka_unit_test(test_tree__duplicates),
		cmocka_unit_test(test_tree__many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
