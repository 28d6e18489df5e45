/* A cmocka fixture for the host tests: a fresh root whose host is open
 * for writing. */
#ifndef SWIM_HOSTTEST_H
#define SWIM_HOSTTEST_H

#include "swim/host.h"

typedef struct swim_test_host {
	char *root;
	swim_host *h;
} swim_test_host;

/* Puts a new swim_test_host into *state. */
int swim_test_host_setup(void **state);

/* Closes the host and removes the root. */
int swim_test_host_teardown(void **state);

/* A cmocka test run with the fixture. */
#define SWIM_HOST_TEST(fn) \
	cmocka_unit_test_setup_teardown(fn, swim_test_host_setup, \
	                                swim_test_host_teardown)

#endif
