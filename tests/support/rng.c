#include <stdlib.h>

#include "support/rng.h"
#include "support/testutil.h"
#include "swim/error.h"
#include "util/str.h"

uint64_t swim_test_rng_next(swim_test_rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

unsigned swim_test_rng_below(swim_test_rng *r, unsigned n)
{
	return (unsigned)(swim_test_rng_next(r) % n);
}

uint64_t swim_test_seed(uint64_t def)
{
	const char *s = getenv("SWIM_TEST_SEED");
	uint64_t seed = def;

	if (s && swim_str_to_u64(&seed, s, UINT64_MAX, "SWIM_TEST_SEED") < 0)
		fail_msg("%s", swim_error_last());
	return seed;
}
