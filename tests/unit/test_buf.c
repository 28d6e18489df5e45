#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"
#include "swim/buf.h"
#include "swim/error.h"

static void test_buf__empty_is_a_string(void **state)
{
	swim_buf b = SWIM_BUF_INIT(0);

	(void)state;
	assert_non_null(b.ptr);
	assert_string_equal(b.ptr, "");
	swim_buf_dispose(&b);
	swim_buf_dispose(&b);  /* twice is harmless */
	assert_string_equal(b.ptr, "");
}

static void test_buf__appends(void **state)
{
	swim_buf b = SWIM_BUF_INIT(0);

	(void)state;
	swim_assert_ok(swim_buf_puts(&b, "abc"));
	swim_assert_ok(swim_buf_putc(&b, '-'));
	swim_assert_ok(swim_buf_printf(&b, "%d/%s", 42, "x"));
	swim_assert_ok(swim_buf_put(&b, "\0z", 2));
	assert_int_equal(b.len, 10);
	assert_string_equal(b.ptr, "abc-42/x");
	assert_int_equal(b.ptr[b.len], '\0');
	swim_buf_truncate(&b, 3);
	assert_string_equal(b.ptr, "abc");
	swim_buf_clear(&b);
	assert_int_equal(b.len, 0);
	swim_buf_dispose(&b);
}

static void test_buf__grows_past_many_doublings(void **state)
{
	swim_buf b = SWIM_BUF_INIT(0);

	(void)state;
	for (int i = 0; i < 10000; i++)
		swim_assert_ok(swim_buf_puts(&b, "0123456789"));
	assert_int_equal(b.len, 100000);
	assert_memory_equal(b.ptr + 99990, "0123456789", 10);
	swim_buf_dispose(&b);
}

static void test_buf__limit_is_enforced(void **state)
{
	swim_buf b = SWIM_BUF_INIT(8);

	(void)state;
	swim_assert_ok(swim_buf_puts(&b, "12345678"));
	swim_assert_error(swim_buf_putc(&b, '9'), SWIM_ELIMIT, "limit of 8");
	/* The content before the failed append is kept. */
	assert_string_equal(b.ptr, "12345678");
	swim_assert_error(swim_buf_printf(&b, "%s", "x"), SWIM_ELIMIT, "8");
	/* A size that would overflow is refused, not wrapped. */
	swim_assert_error(swim_buf_grow(&b, (size_t)-1), SWIM_ELIMIT, "limit");
	swim_buf_dispose(&b);
}

static void test_buf__detach_hands_over(void **state)
{
	swim_buf b = SWIM_BUF_INIT(0);
	char *p;

	(void)state;
	p = swim_buf_detach(&b);
	assert_string_equal(p, "");
	free(p);
	swim_assert_ok(swim_buf_puts(&b, "hello"));
	p = swim_buf_detach(&b);
	assert_string_equal(p, "hello");
	assert_int_equal(b.len, 0);
	assert_string_equal(b.ptr, "");
	free(p);
	swim_buf_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf__empty_is_a_string),
		cmocka_unit_test(test_buf__appends),
		cmocka_unit_test(test_buf__grows_past_many_doublings),
		cmocka_unit_test(test_buf__limit_is_enforced),
		cmocka_unit_test(test_buf__detach_hands_over),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
