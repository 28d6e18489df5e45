#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"
#include "swim/error.h"
#include "util/str.h"

static void test_str__u64(void **state)
{
	uint64_t v;

	(void)state;
	swim_assert_ok(swim_str_to_u64(&v, "0", 10, "n"));
	assert_int_equal(v, 0);
	swim_assert_ok(swim_str_to_u64(&v, "18446744073709551615", UINT64_MAX, "n"));
	assert_true(v == UINT64_MAX);
	swim_assert_error(swim_str_to_u64(&v, "18446744073709551616", UINT64_MAX, "n"),
	                  SWIM_EINVAL, "larger");
	swim_assert_error(swim_str_to_u64(&v, "11", 10, "size"), SWIM_EINVAL,
	                  "size: 11 is larger than 10");
	swim_assert_error(swim_str_to_u64(&v, "-1", 10, "n"), SWIM_EINVAL, "not a number");
	swim_assert_error(swim_str_to_u64(&v, " 1", 10, "n"), SWIM_EINVAL, "not a number");
	swim_assert_error(swim_str_to_u64(&v, "1x", 10, "n"), SWIM_EINVAL, "not a number");
	swim_assert_error(swim_str_to_u64(&v, "", 10, "n"), SWIM_EINVAL, "not a number");
	swim_assert_error(swim_str_to_u64(&v, NULL, 10, "n"), SWIM_EINVAL, "not a number");
}

static void test_str__i64(void **state)
{
	int64_t v;

	(void)state;
	swim_assert_ok(swim_str_to_i64(&v, "-9223372036854775808", INT64_MIN, INT64_MAX, "n"));
	assert_true(v == INT64_MIN);
	swim_assert_ok(swim_str_to_i64(&v, "+17", -5, 20, "n"));
	assert_int_equal(v, 17);
	swim_assert_error(swim_str_to_i64(&v, "-6", -5, 5, "n"), SWIM_EINVAL, "out of range");
	swim_assert_error(swim_str_to_i64(&v, "9223372036854775808", INT64_MIN, INT64_MAX, "n"),
	                  SWIM_EINVAL, "out of range");
}

static void test_str__utf8(void **state)
{
	(void)state;
	assert_true(swim_str_is_utf8("plain", 5));
	assert_true(swim_str_is_utf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9));
	assert_false(swim_str_is_utf8("\xc0\xaf", 2));           /* overlong '/' */
	assert_false(swim_str_is_utf8("\xe0\x80\xaf", 3));       /* overlong */
	assert_false(swim_str_is_utf8("\xed\xa0\x80", 3));       /* surrogate */
	assert_false(swim_str_is_utf8("\xf4\x90\x80\x80", 4));   /* > U+10FFFF */
	assert_false(swim_str_is_utf8("\xc3", 1));               /* truncated */
	assert_false(swim_str_is_utf8("\xff", 1));
	assert_false(swim_str_is_utf8("a\x80", 2));
}

static void test_str__ctrl_and_case(void **state)
{
	(void)state;
	assert_false(swim_str_has_ctrl("a b", 3, false));
	assert_true(swim_str_has_ctrl("a\tb", 3, false));
	assert_false(swim_str_has_ctrl("a\tb\r\n", 5, true));
	assert_true(swim_str_has_ctrl("a\x7f", 2, true));
	assert_true(swim_str_has_ctrl("a\0b", 3, true));
	assert_true(swim_str_ieq("CIM_ManagedElement", "cim_managedelement"));
	assert_false(swim_str_ieq("abc", "abd"));
	assert_false(swim_str_ieq("abc", "ab"));
	assert_true(swim_str_eq(NULL, NULL));
	assert_false(swim_str_eq("a", NULL));
}

static void test_str__escape(void **state)
{
	swim_buf b = SWIM_BUF_INIT(0);

	(void)state;
	swim_assert_ok(swim_str_escape(&b, "a\x1b[2Jb\\c\xff" "d\xc3\xa9", 12));
	assert_string_equal(b.ptr, "a\\x1b[2Jb\\x5cc\\xffd\xc3\xa9");
	swim_buf_dispose(&b);
}

static void test_str__text_lines(void **state)
{
	char *copy = NULL, *cursor;

	(void)state;
	swim_assert_ok(swim_str_text_copy(&copy, "a\n\nb\r\nc", 7, "f"));
	cursor = copy;
	assert_string_equal(swim_str_next_line(&cursor), "a");
	assert_string_equal(swim_str_next_line(&cursor), "");
	assert_string_equal(swim_str_next_line(&cursor), "b\r");
	assert_string_equal(swim_str_next_line(&cursor), "c");
	assert_null(swim_str_next_line(&cursor));
	free(copy);
	swim_assert_error(swim_str_text_copy(&copy, "a\0b", 3, "f"), SWIM_EINVAL,
	                  "f: not a text file");
	swim_assert_error(swim_str_text_copy(&copy, "a\x1b", 2, "f"), SWIM_EINVAL,
	                  "not a text file");
	swim_assert_error(swim_str_text_copy(&copy, "\xff", 1, "f"), SWIM_EINVAL,
	                  "invalid UTF-8");
	assert_null(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_str__u64),
		cmocka_unit_test(test_str__i64),
		cmocka_unit_test(test_str__utf8),
		cmocka_unit_test(test_str__ctrl_and_case),
		cmocka_unit_test(test_str__escape),
		cmocka_unit_test(test_str__text_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
