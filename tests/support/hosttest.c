#include <stdlib.h>

#include "hosttest.h"
#include "swim/error.h"
#include "testutil.h"

int swim_test_host_setup(void **state)
{
	static const swim_host_options o = { .command = "swim host test" };
	swim_test_host *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->root = swim_test_tmpdir();
	if (swim_host_open(&f->h, f->root, SWIM_HOST_WRITE, &o) < 0)
		fail_msg("%s", swim_error_last());
	*state = f;
	return 0;
}

int swim_test_host_teardown(void **state)
{
	swim_test_host *f = *state;

	swim_host_close(f->h);
	swim_test_rmtree(f->root);
	free(f->root);
	free(f);
	return 0;
}
