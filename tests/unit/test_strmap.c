#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"
#include "swim/error.h"
#include "util/strmap.h"

static void test_strmap__put_and_get(void **state)
{
	swim_strmap m = SWIM_STRMAP_INIT;
	size_t *slot;

	(void)state;
	assert_null(swim_strmap_get(&m, "a"));
	assert_int_equal(swim_strmap_put(&m, "etc/a", 1, &slot), 1);
	assert_int_equal(*slot, 1);
	/* A second put keeps the first value and says so. */
	assert_int_equal(swim_strmap_put(&m, "etc/a", 2, &slot), 0);
	assert_int_equal(*slot, 1);
	*slot = 7;
	assert_int_equal(*swim_strmap_get(&m, "etc/a"), 7);
	assert_null(swim_strmap_get(&m, "etc/b"));
	assert_null(swim_strmap_get(&m, ""));
	assert_int_equal(swim_strmap_put(&m, "", 3, NULL), 1);
	assert_int_equal(*swim_strmap_get(&m, ""), 3);
	assert_int_equal(m.n, 2);
	swim_strmap_dispose(&m);
	swim_strmap_dispose(&m);
}

/* Many neighbouring keys, with and without reserving: every one found,
 * none invented, whatever the growth. */
static void test_strmap__grows(void **state)
{
	enum { N = 50000 };
	char (*keys)[32] = calloc(N, sizeof(*keys));
	swim_strmap grown = SWIM_STRMAP_INIT, reserved = SWIM_STRMAP_INIT;

	(void)state;
	assert_non_null(keys);
	swim_assert_ok(swim_strmap_reserve(&reserved, N));
	for (size_t i = 0; i < N; i++) {
		size_t mask = reserved.mask;

		snprintf(keys[i], sizeof(keys[i]), "usr/lib/f%zu.so", i);
		swim_strmap_prefetch(&grown, keys[i]);
		assert_int_equal(swim_strmap_put(&grown, keys[i], i, NULL), 1);
		assert_int_equal(swim_strmap_put(&reserved, keys[i], i, NULL), 1);
		assert_int_equal(reserved.mask, mask);
	}
	for (size_t i = 0; i < N; i++) {
		assert_int_equal(*swim_strmap_get(&grown, keys[i]), i);
		assert_int_equal(*swim_strmap_get(&reserved, keys[i]), i);
	}
	assert_null(swim_strmap_get(&grown, "usr/lib/f50000.so"));
	assert_int_equal(grown.n, N);
	assert_true(2 * grown.n <= grown.mask + 1);
	swim_strmap_dispose(&grown);
	swim_strmap_dispose(&reserved);
	free(keys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strmap__put_and_get),
		cmocka_unit_test(test_strmap__grows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
