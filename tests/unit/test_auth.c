#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/auth.h"
#include "support/testutil.h"
#include "swim/error.h"

/* yescrypt hashes of "secret" and "readpw". */
#define HASH_SECRET "$y$j9T$Xdr/LJVwGCt0bxqxByMgi/$5y7gorQ4rO4HuEyRXQc9iJaK6pptVaksujrQIi2.SrD"

static char *hash_readpw;

static int setup(void **state)
{
	(void)state;
	return swimd_password_hash(&hash_readpw, "readpw");
}

static int teardown(void **state)
{
	(void)state;
	free(hash_readpw);
	return 0;
}

static swimd_auth *new_auth(uint64_t cache_s, uint64_t max_failures,
                            uint64_t max_names)
{
	swim_limits lim;
	swimd_auth *auth = NULL;
	swimd_users *users = NULL;
	char *text = NULL;

	swim_limits_init(&lim);
	lim.auth_cache_seconds = cache_s;
	lim.auth_max_failures_per_minute = max_failures;
	lim.auth_max_failure_names = max_names;
	swim_assert_ok(swimd_auth_new(&auth, &lim));
	assert_true(asprintf(&text, "alice:admin:%s\nreader:readonly:%s\n",
	                     HASH_SECRET, hash_readpw) > 0);
	swim_assert_ok(swimd_users_parse(&users, text, strlen(text), "users"));
	swim_assert_ok(swimd_auth_set_users(auth, users));
	free(text);
	return auth;
}

static int check(swimd_auth *auth, const char *user, const char *pw,
                 uint64_t now, swimd_role *role, unsigned *retry)
{
	swimd_role r = SWIMD_ROLE_ADMIN;
	unsigned ra = 0;

	return swimd_auth_check(role ? role : &r, retry ? retry : &ra, auth,
	                        user, pw, now);
}

static void test_auth__roles_and_wrong_credentials(void **state)
{
	swimd_auth *auth = new_auth(60, 20, 100);
	swimd_role role = SWIMD_ROLE_READONLY;

	(void)state;
	swim_assert_ok(check(auth, "alice", "secret", 1000, &role, NULL));
	assert_int_equal(role, SWIMD_ROLE_ADMIN);
	swim_assert_ok(check(auth, "reader", "readpw", 1000, &role, NULL));
	assert_int_equal(role, SWIMD_ROLE_READONLY);
	/* Wrong password and unknown user read the same. */
	swim_assert_error(check(auth, "alice", "Secret", 1000, NULL, NULL),
	                  SWIM_EACCESS, "unknown user or wrong password");
	swim_assert_error(check(auth, "mallory", "secret", 1000, NULL, NULL),
	                  SWIM_EACCESS, "unknown user or wrong password");
	swim_assert_error(check(auth, "bad name\n", "x", 1000, NULL, NULL),
	                  SWIM_EACCESS, "unknown user or wrong password");
	swim_assert_error(check(auth, "alice", "", 1000, NULL, NULL),
	                  SWIM_EACCESS, "unknown user or wrong password");
	swimd_auth_free(auth);
}

static void test_auth__cache_skips_the_hash_until_expiry(void **state)
{
	swimd_auth *auth = new_auth(2, 20, 100);
	swimd_auth_stats st;

	(void)state;
	swim_assert_ok(check(auth, "alice", "secret", 10000, NULL, NULL));
	for (int i = 0; i < 50; i++)
		swim_assert_ok(check(auth, "alice", "secret", 10000 + (uint64_t)i * 30,
		                     NULL, NULL));
	swimd_auth_stats_get(auth, &st);
	assert_int_equal(st.verifications, 1);
	assert_int_equal(st.cache_hits, 50);

	/* A different password is never answered from the cache. */
	swim_assert_error(check(auth, "alice", "secret2", 11000, NULL, NULL),
	                  SWIM_EACCESS, "wrong password");
	swimd_auth_stats_get(auth, &st);
	assert_int_equal(st.verifications, 2);

	/* Two seconds after the verification the entry is gone. */
	swim_assert_ok(check(auth, "alice", "secret", 11999, NULL, NULL));
	swimd_auth_stats_get(auth, &st);
	assert_int_equal(st.verifications, 2);
	swim_assert_ok(check(auth, "alice", "secret", 12000, NULL, NULL));
	swimd_auth_stats_get(auth, &st);
	assert_int_equal(st.verifications, 3);
	swimd_auth_free(auth);
}

static void test_auth__failures_are_rate_limited_per_user(void **state)
{
	swimd_auth *auth = new_auth(60, 3, 100);
	swimd_auth_stats st;
	unsigned retry = 0;

	(void)state;
	for (int i = 0; i < 3; i++)
		swim_assert_error(check(auth, "alice", "guess", 5000 + (uint64_t)i,
		                        NULL, NULL), SWIM_EACCESS, "wrong password");
	/* Over the limit even the right password is refused, unhashed. */
	swim_assert_error(check(auth, "alice", "secret", 20000, NULL, &retry),
	                  SWIM_ELIMIT,
	                  "too many failed logins for user 'alice'; retry in 45 seconds");
	assert_int_equal(retry, 45);
	swimd_auth_stats_get(auth, &st);
	assert_int_equal(st.verifications, 3);
	assert_int_equal(st.refused, 1);
	/* Other users are not affected. */
	swim_assert_ok(check(auth, "reader", "readpw", 20000, NULL, NULL));
	/* The window ends a minute after the first failure. */
	swim_assert_error(check(auth, "alice", "secret", 64999, NULL, &retry),
	                  SWIM_ELIMIT, "retry in 1 seconds");
	swim_assert_ok(check(auth, "alice", "secret", 65000, NULL, NULL));

	/* A success forgets earlier failures. */
	swim_assert_error(check(auth, "reader", "x", 70000, NULL, NULL),
	                  SWIM_EACCESS, "wrong");
	swim_assert_error(check(auth, "reader", "x", 70001, NULL, NULL),
	                  SWIM_EACCESS, "wrong");
	swim_assert_ok(check(auth, "reader", "readpw", 70002, NULL, NULL));
	for (int i = 0; i < 3; i++)
		swim_assert_error(check(auth, "reader", "x", 70010, NULL, NULL),
		                  SWIM_EACCESS, "wrong");
	swim_assert_error(check(auth, "reader", "x", 70011, NULL, NULL),
	                  SWIM_ELIMIT, "too many");

	/* Unknown names are limited the same way. */
	for (int i = 0; i < 3; i++)
		swim_assert_error(check(auth, "ghost", "x", 80000, NULL, NULL),
		                  SWIM_EACCESS, "unknown user");
	swim_assert_error(check(auth, "ghost", "x", 80000, NULL, NULL),
	                  SWIM_ELIMIT, "too many failed logins for user 'ghost'");
	swimd_auth_free(auth);
}

static void test_auth__failure_table_is_bounded(void **state)
{
	swimd_auth *auth = new_auth(60, 1, 2);
	char name[16];

	(void)state;
	/* Three names through a table of two: the oldest is recycled. */
	for (int i = 0; i < 3; i++) {
		(void)snprintf(name, sizeof(name), "u%d", i);
		swim_assert_error(check(auth, name, "x", 1000 + (uint64_t)i,
		                        NULL, NULL), SWIM_EACCESS, "unknown");
	}
	swim_assert_error(check(auth, "u2", "x", 2000, NULL, NULL), SWIM_ELIMIT,
	                  "too many");
	swim_assert_error(check(auth, "u1", "x", 2000, NULL, NULL), SWIM_ELIMIT,
	                  "too many");
	swim_assert_error(check(auth, "u0", "x", 2000, NULL, NULL), SWIM_EACCESS,
	                  "unknown");
	swimd_auth_free(auth);
}

static void test_auth__reload_keeps_old_users_on_error(void **state)
{
	char *dir = swim_test_tmpdir(), *path = NULL, *text = NULL;
	swimd_auth *auth = NULL;
	swimd_auth_stats st;
	swimd_role role = SWIMD_ROLE_READONLY;
	swim_limits lim;

	(void)state;
	swim_limits_init(&lim);
	swim_assert_ok(swimd_auth_new(&auth, &lim));
	swim_assert_error(swimd_auth_reload(auth), SWIM_EINVAL,
	                  "no users file was loaded");
	assert_true(asprintf(&path, "%s/users", dir) > 0);
	swim_test_write_file(path, "# nobody\n", 9);
	swim_assert_error(swimd_auth_load(auth, path), SWIM_EINVAL,
	                  "no users; add one with swimd --users FILE --add-user");

	assert_true(asprintf(&text, "alice:admin:%s\n", HASH_SECRET) > 0);
	swim_test_write_file(path, text, strlen(text));
	free(text);
	swim_assert_ok(swimd_auth_load(auth, path));
	swim_assert_ok(check(auth, "alice", "secret", 1000, &role, NULL));
	assert_int_equal(role, SWIMD_ROLE_ADMIN);

	/* Demoted on disk: the reload applies it, the cache does not hide it. */
	assert_true(asprintf(&text, "alice:readonly:%s\n", HASH_SECRET) > 0);
	swim_test_write_file(path, text, strlen(text));
	free(text);
	swim_assert_ok(swimd_auth_reload(auth));
	swim_assert_ok(check(auth, "alice", "secret", 1001, &role, NULL));
	assert_int_equal(role, SWIMD_ROLE_READONLY);
	swimd_auth_stats_get(auth, &st);
	assert_int_equal(st.verifications, 2);

	/* A broken file is refused and the users before stay. */
	swim_test_write_file(path, "alice:admin\n", 12);
	swim_assert_error(swimd_auth_reload(auth), SWIM_EINVAL,
	                  ":1: expected NAME:ROLE:HASH");
	swim_assert_ok(check(auth, "alice", "secret", 1002, &role, NULL));
	assert_int_equal(role, SWIMD_ROLE_READONLY);
	swimd_auth_free(auth);
	free(path);
	swim_test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auth__roles_and_wrong_credentials),
		cmocka_unit_test(test_auth__cache_skips_the_hash_until_expiry),
		cmocka_unit_test(test_auth__failures_are_rate_limited_per_user),
		cmocka_unit_test(test_auth__failure_table_is_bounded),
		cmocka_unit_test(test_auth__reload_keeps_old_users_on_error),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
