#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "support/testutil.h"
#include "swim/error.h"

static void test_error__set_returns_code(void **state)
{
	(void)state;
	assert_int_equal(swim_error_set(SWIM_ENOTFOUND, "no %s", "thing"),
	                 SWIM_ENOTFOUND);
	assert_string_equal(swim_error_last(), "no thing");
	assert_int_equal(swim_error_last_code(), SWIM_ENOTFOUND);
	swim_error_clear();
	assert_string_equal(swim_error_last(), "");
	assert_int_equal(swim_error_last_code(), 0);
}

static void test_error__prefix_keeps_lower_message(void **state)
{
	(void)state;
	swim_error_set(SWIM_ELIMIT, "payload too large");
	assert_int_equal(swim_error_prefix("reading %s: ", "x.vib"), SWIM_ELIMIT);
	assert_string_equal(swim_error_last(), "reading x.vib: payload too large");
}

static void test_error__message_can_extend_itself(void **state)
{
	(void)state;
	swim_error_set(SWIM_ECHECKSUM, "payload 'blob': sha-256 checksum mismatch");
	swim_error_set(SWIM_ECHECKSUM, "%s (reading it failed: %s)",
	               swim_error_last(), "damaged");
	assert_string_equal(swim_error_last(),
	                    "payload 'blob': sha-256 checksum mismatch (reading it failed: damaged)");
	swim_error_prefix("%s: ", swim_error_last());
	assert_int_equal(swim_error_last_code(), SWIM_ECHECKSUM);
}

static void test_error__errno_appended(void **state)
{
	(void)state;
	swim_error_set_errno(SWIM_EIO, ENOENT, "opening %s", "/nope");
	assert_string_equal(swim_error_last(), "opening /nope: No such file or directory");
}

static void test_error__long_message_is_cut_not_overflowed(void **state)
{
	char big[5000];

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	swim_error_set(SWIM_EINVAL, "%s", big);
	assert_true(strlen(swim_error_last()) < sizeof(big));
	swim_error_prefix("%s", big);
	assert_true(strlen(swim_error_last()) < sizeof(big));
}

static void *other_thread(void *arg)
{
	(void)arg;
	/* A fresh thread starts with an empty slot of its own. */
	if (swim_error_last()[0] != '\0')
		return (void *)1;
	swim_error_set(SWIM_EBUSY, "other");
	return NULL;
}

static void test_error__slot_is_per_thread(void **state)
{
	pthread_t t;
	void *res;

	(void)state;
	swim_error_set(SWIM_EINVAL, "mine");
	assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
	assert_int_equal(pthread_join(t, &res), 0);
	assert_null(res);
	assert_string_equal(swim_error_last(), "mine");
}

static void test_error__names(void **state)
{
	(void)state;
	assert_string_equal(swim_error_name(SWIM_ENOTFOUND), "not found");
	assert_string_equal(swim_error_name(12345), "error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error__set_returns_code),
		cmocka_unit_test(test_error__prefix_keeps_lower_message),
		cmocka_unit_test(test_error__message_can_extend_itself),
		cmocka_unit_test(test_error__errno_appended),
		cmocka_unit_test(test_error__long_message_is_cut_not_overflowed),
		cmocka_unit_test(test_error__slot_is_per_thread),
		cmocka_unit_test(test_error__names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
