/* A small deterministic generator for the differential tests, so that a
 * failure reproduces from its seed. */
#ifndef SWIM_TEST_RNG_H
#define SWIM_TEST_RNG_H

#include <stdint.h>

typedef struct swim_test_rng {
	uint64_t state;
} swim_test_rng;

/* splitmix64 */
uint64_t swim_test_rng_next(swim_test_rng *r);

/* Uniform enough in [0, n), n > 0. */
unsigned swim_test_rng_below(swim_test_rng *r, unsigned n);

/* The seed of a generated test: $SWIM_TEST_SEED when set (a test fails
 * when it is not a number), else `def`. */
uint64_t swim_test_seed(uint64_t def);

#endif
