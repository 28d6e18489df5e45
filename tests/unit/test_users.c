#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/users.h"
#include "support/testutil.h"
#include "swim/error.h"
#include "util/fs.h"

/* A real yescrypt hash of "secret" (made once with swimd_password_hash). */
#define HASH_SECRET "$y$j9T$Xdr/LJVwGCt0bxqxByMgi/$5y7gorQ4rO4HuEyRXQc9iJaK6pptVaksujrQIi2.SrD"

static int parse(swimd_users **u, const char *text)
{
	return swimd_users_parse(u, text, strlen(text), "users");
}

static char *read_text(const char *path)
{
	swim_buf b = SWIM_BUF_INIT(1 << 20);

	swim_assert_ok(swim_fs_read_file(&b, path));
	return swim_buf_detach(&b);
}

/* A descriptor that reads `text` then end of input, as stdin would. */
static int text_fd(const char *text)
{
	int p[2];

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	assert_int_equal(write(p[1], text, strlen(text)), (ssize_t)strlen(text));
	close(p[1]);
	return p[0];
}

static void test_users__parse_valid_file(void **state)
{
	swimd_users *u = NULL;
	const swimd_user *a;

	(void)state;
	swim_assert_ok(parse(&u, "# swimd users\n\n"
	                         "alice:admin:" HASH_SECRET "\r\n"
	                         "  \n"
	                         "bob.smith@example:readonly:" HASH_SECRET "\n"));
	assert_int_equal(swimd_users_count(u), 2);
	a = swimd_users_find(u, "alice");
	assert_non_null(a);
	assert_int_equal(a->role, SWIMD_ROLE_ADMIN);
	assert_string_equal(a->hash, HASH_SECRET);
	assert_int_equal(swimd_users_find(u, "bob.smith@example")->role,
	                 SWIMD_ROLE_READONLY);
	assert_null(swimd_users_find(u, "Alice"));
	assert_string_equal(swimd_users_at(u, 1)->name, "bob.smith@example");
	swimd_users_free(u);
}

static void test_users__errors_name_the_line(void **state)
{
	swimd_users *u = NULL;

	(void)state;
	swim_assert_error(parse(&u, "# x\nalice:admin\n"), SWIM_EINVAL,
	                  "users:2: expected NAME:ROLE:HASH");
	assert_null(u);
	swim_assert_error(parse(&u, "alice:root:" HASH_SECRET "\n"), SWIM_EINVAL,
	                  "users:1: unknown role 'root' (expected admin or readonly)");
	swim_assert_error(parse(&u, "\n\nal ice:admin:" HASH_SECRET "\n"),
	                  SWIM_EINVAL, "users:3: invalid user name 'al ice'");
	swim_assert_error(parse(&u, ":admin:" HASH_SECRET "\n"), SWIM_EINVAL,
	                  "users:1: invalid user name ''");
	swim_assert_error(parse(&u, "a:admin:" HASH_SECRET "\nb:readonly:"
	                            HASH_SECRET "\na:readonly:" HASH_SECRET "\n"),
	                  SWIM_EINVAL, "users:3: user 'a' is already defined on line 1");
	swim_assert_error(parse(&u, "a:admin:secret\n"), SWIM_EINVAL,
	                  "users:1: user 'a': the password hash is not a crypt(3) hash");
	swim_assert_error(parse(&u, "a:admin:$1$abcdefgh$0123456789abcdefghijkl\n"),
	                  SWIM_EINVAL, "users:1: user 'a': the password hash uses a legacy method");
	swim_assert_error(parse(&u, "a:admin:$zz$nothing\n"), SWIM_EINVAL,
	                  "method libcrypt does not support");
	swim_assert_error(swimd_users_parse(&u, "a\0b", 3, "users"), SWIM_EINVAL,
	                  "users: not a text file");
	assert_null(u);
}

static void test_users__load_checks_the_file(void **state)
{
	char *dir = swim_test_tmpdir(), *path = NULL;
	swimd_users *u = NULL;
	const char *text = "alice:admin:" HASH_SECRET "\n";

	(void)state;
	assert_true(asprintf(&path, "%s/users", dir) > 0);
	swim_assert_error(swimd_users_load(&u, path), SWIM_ENOTFOUND, path);
	swim_test_write_file(path, text, strlen(text));
	assert_int_equal(chmod(path, 0666), 0);
	swim_assert_error(swimd_users_load(&u, path), SWIM_EACCESS,
	                  "is world-writable; refusing it");
	assert_null(u);
	assert_int_equal(chmod(path, 0640), 0);
	swim_assert_ok(swimd_users_load(&u, path));
	assert_int_equal(swimd_users_count(u), 1);
	swimd_users_free(u);
	swim_assert_error(swimd_users_load(&u, dir), SWIM_EINVAL,
	                  "is not a regular file");
	swim_test_write_file(path, "\nbob:admin\n", 11);
	swim_assert_error(swimd_users_load(&u, path), SWIM_EINVAL, ":2: expected");
	free(path);
	swim_test_rmtree(dir);
	free(dir);
}

static void test_users__hash_and_verify(void **state)
{
	char *h1 = NULL, *h2 = NULL;

	(void)state;
	swim_assert_ok(swimd_password_hash(&h1, "correct horse"));
	swim_assert_ok(swimd_password_hash(&h2, "correct horse"));
	assert_memory_equal(h1, "$y$", 3);
	assert_string_not_equal(h1, h2);   /* a fresh salt each time */
	swim_assert_ok(swimd_password_verify(h1, "correct horse"));
	swim_assert_ok(swimd_password_verify(h2, "correct horse"));
	swim_assert_error(swimd_password_verify(h1, "correct horsE"),
	                  SWIM_EACCESS, "wrong password");
	swim_assert_error(swimd_password_verify(h1, ""), SWIM_EACCESS,
	                  "wrong password");
	swim_assert_ok(swimd_password_verify(HASH_SECRET, "secret"));
	swim_assert_error(swimd_password_verify("$y$broken", "secret"),
	                  SWIM_EACCESS, "wrong password");
	free(h1);
	free(h2);
}

static void test_users__add_and_replace_atomically(void **state)
{
	char *dir = swim_test_tmpdir(), *path = NULL, *text;
	swimd_users *u = NULL;
	struct stat st;
	struct dirent *de;
	DIR *d;
	int fd, entries = 0;

	(void)state;
	assert_true(asprintf(&path, "%s/users", dir) > 0);
	fd = text_fd("first-pass\n");
	swim_assert_ok(swimd_users_add_from_fd(path, "alice", "admin", fd));
	close(fd);
	fd = text_fd("bobs-pass\r\n");
	swim_assert_ok(swimd_users_add_from_fd(path, "bob", "readonly", fd));
	close(fd);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	text = read_text(path);
	assert_non_null(strstr(text, "\nalice:admin:$y$"));
	assert_non_null(strstr(text, "\nbob:readonly:$y$"));
	assert_null(strstr(text, "first-pass"));
	assert_null(strstr(text, "bobs-pass"));
	free(text);

	/* Replacing alice changes her role and password, keeps bob. */
	fd = text_fd("second-pass");
	swim_assert_ok(swimd_users_add_from_fd(path, "alice", "readonly", fd));
	close(fd);
	swim_assert_ok(swimd_users_load(&u, path));
	assert_int_equal(swimd_users_count(u), 2);
	assert_string_equal(swimd_users_at(u, 0)->name, "alice");
	assert_int_equal(swimd_users_find(u, "alice")->role, SWIMD_ROLE_READONLY);
	swim_assert_ok(swimd_password_verify(swimd_users_find(u, "alice")->hash,
	                                     "second-pass"));
	swim_assert_error(swimd_password_verify(swimd_users_find(u, "alice")->hash,
	                                        "first-pass"), SWIM_EACCESS, "wrong");
	swim_assert_ok(swimd_password_verify(swimd_users_find(u, "bob")->hash,
	                                     "bobs-pass"));
	swimd_users_free(u);

	/* Written by rename: no temporary file is left beside it. */
	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			entries++;
	closedir(d);
	assert_int_equal(entries, 1);
	free(path);
	swim_test_rmtree(dir);
	free(dir);
}

static void test_users__add_refuses_bad_input(void **state)
{
	char *dir = swim_test_tmpdir(), *path = NULL, *before, *after, *longpw;
	int fd;

	(void)state;
	assert_true(asprintf(&path, "%s/users", dir) > 0);
	fd = text_fd("\n");
	swim_assert_error(swimd_users_add_from_fd(path, "alice", "admin", fd),
	                  SWIM_EINVAL, "empty password");
	close(fd);
	assert_int_equal(access(path, F_OK), -1);

	fd = text_fd("pw\n");
	swim_assert_ok(swimd_users_add_from_fd(path, "alice", "admin", fd));
	close(fd);
	before = read_text(path);

	fd = text_fd("pw\n");
	swim_assert_error(swimd_users_add_from_fd(path, "bob", "root", fd),
	                  SWIM_EINVAL, "unknown role 'root'");
	close(fd);
	fd = text_fd("pw\n");
	swim_assert_error(swimd_users_add_from_fd(path, "bob:x", "admin", fd),
	                  SWIM_EINVAL, "invalid user name 'bob:x'");
	close(fd);
	longpw = calloc(1, SWIMD_PASSWORD_MAX + 3);
	memset(longpw, 'p', SWIMD_PASSWORD_MAX + 1);
	longpw[SWIMD_PASSWORD_MAX + 1] = '\n';
	fd = text_fd(longpw);
	swim_assert_error(swimd_users_add_from_fd(path, "bob", "admin", fd),
	                  SWIM_EINVAL, "password longer than 512 bytes");
	close(fd);
	free(longpw);

	/* A broken file is reported, never overwritten. */
	swim_test_write_file(path, "junk\n", 5);
	fd = text_fd("pw\n");
	swim_assert_error(swimd_users_add_from_fd(path, "bob", "admin", fd),
	                  SWIM_EINVAL, ":1: expected NAME:ROLE:HASH");
	close(fd);
	after = read_text(path);
	assert_string_equal(after, "junk\n");
	assert_non_null(strstr(before, "alice:admin:"));
	free(before);
	free(after);
	free(path);
	swim_test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_users__parse_valid_file),
		cmocka_unit_test(test_users__errors_name_the_line),
		cmocka_unit_test(test_users__load_checks_the_file),
		cmocka_unit_test(test_users__hash_and_verify),
		cmocka_unit_test(test_users__add_and_replace_atomically),
		cmocka_unit_test(test_users__add_refuses_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
