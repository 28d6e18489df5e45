#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"
#include "swim/conf.h"
#include "swim/error.h"
#include "swim/limits.h"

static int parse(swim_conf **c, const char *text)
{
	return swim_conf_parse(c, text, strlen(text), "swim.conf");
}

static void test_conf__values_and_comments(void **state)
{
	swim_conf *c = NULL;

	(void)state;
	swim_assert_ok(parse(&c, "# comment\n\n  cache_dir = /var/cache/swim  \n"
	                         "xml_max_depth=32\r\n"));
	assert_string_equal(swim_conf_get(c, "cache_dir"), "/var/cache/swim");
	assert_string_equal(swim_conf_get(c, "xml_max_depth"), "32");
	assert_null(swim_conf_get(c, "trust_dir"));
	swim_conf_free(c);
}

static void test_conf__every_limit_can_be_set(void **state)
{
	swim_conf *c = NULL;
	swim_limits lim;

	(void)state;
	swim_limits_init(&lim);
	swim_assert_ok(parse(&c, "xml_max_depth = 12\nhttp_max_body_bytes = 2M\n"
	                         "payload_max_bytes = 1G\nlock_timeout_seconds=5\n"));
	swim_assert_ok(swim_conf_apply_limits(c, &lim));
	assert_int_equal(lim.xml_max_depth, 12);
	assert_int_equal(lim.http_max_body_bytes, 2 << 20);
	assert_int_equal(lim.payload_max_bytes, (uint64_t)1 << 30);
	assert_int_equal(lim.lock_timeout_seconds, 5);
	assert_int_equal(lim.xml_max_nodes, swim_limits_default()->xml_max_nodes);
	swim_conf_free(c);
}

static void test_conf__errors_name_file_and_line(void **state)
{
	swim_conf *c = NULL;
	swim_limits lim;

	(void)state;
	swim_assert_error(parse(&c, "cache_dir = x\nbogus = 1\n"), SWIM_EINVAL,
	                  "swim.conf:2: unknown setting 'bogus'");
	assert_null(c);
	swim_assert_error(parse(&c, "cache_dir\n"), SWIM_EINVAL,
	                  "swim.conf:1: expected 'key = value'");
	swim_assert_error(parse(&c, "cache_dir = a\ncache_dir = b\n"), SWIM_EINVAL,
	                  "swim.conf:2: 'cache_dir' is already set on line 1");
	swim_assert_error(parse(&c, " = 3\n"), SWIM_EINVAL, "missing key");
	swim_assert_error(swim_conf_parse(&c, "a\0b", 3, "f"), SWIM_EINVAL,
	                  "not a text file");

	swim_limits_init(&lim);
	swim_assert_ok(parse(&c, "\n\nxml_max_depth = deep\n"));
	swim_assert_error(swim_conf_apply_limits(c, &lim), SWIM_EINVAL,
	                  "swim.conf:3: xml_max_depth: 'deep' is not a number");
	swim_conf_free(c);
	swim_assert_ok(parse(&c, "xml_max_depth = 0\n"));
	swim_assert_error(swim_conf_apply_limits(c, &lim), SWIM_EINVAL,
	                  "at least 1");
	swim_conf_free(c);
	swim_assert_ok(parse(&c, "xml_max_depth = 99999999999999999999\n"));
	swim_assert_error(swim_conf_apply_limits(c, &lim), SWIM_EINVAL, "larger");
	swim_conf_free(c);
}

static void test_conf__missing_file_is_empty(void **state)
{
	swim_conf *c = NULL;
	char *dir = swim_test_tmpdir();

	(void)state;
	swim_assert_ok(swim_conf_load_root(&c, dir));
	assert_non_null(c);
	assert_null(swim_conf_get(c, "cache_dir"));
	swim_conf_free(c);
	swim_test_rmtree(dir);
	free(dir);
}

static void test_conf__loaded_from_root(void **state)
{
	swim_conf *c = NULL;
	char *dir = swim_test_tmpdir(), *path = NULL;

	(void)state;
	assert_true(asprintf(&path, "%s/etc/swim/swim.conf", dir) > 0);
	swim_test_write_file(path, "trust_dir = /t\n", 15);
	swim_assert_ok(swim_conf_load_root(&c, dir));
	assert_string_equal(swim_conf_get(c, "trust_dir"), "/t");
	swim_conf_free(c);
	swim_test_rmtree(dir);
	free(path);
	free(dir);
}

static void test_limits__unknown_name(void **state)
{
	swim_limits lim;

	(void)state;
	swim_limits_init(&lim);
	swim_assert_error(swim_limits_set(&lim, "nope", "1"), SWIM_ENOTFOUND,
	                  "unknown limit 'nope'");
	swim_assert_ok(swim_limits_set(&lim, "xml_max_nodes", "4k"));
	assert_int_equal(lim.xml_max_nodes, 4096);
	assert_true(swim_conf_key_known("xml_max_nodes"));
	assert_false(swim_conf_key_known("xml_max_node"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf__values_and_comments),
		cmocka_unit_test(test_conf__every_limit_can_be_set),
		cmocka_unit_test(test_conf__errors_name_file_and_line),
		cmocka_unit_test(test_conf__missing_file_is_empty),
		cmocka_unit_test(test_conf__loaded_from_root),
		cmocka_unit_test(test_limits__unknown_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
