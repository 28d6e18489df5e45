/* Image profile XML reader: never crashes; what it accepts writes and
 * reads back equal. */
#include <stdint.h>
#include <stdlib.h>

#include "swim/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	swim_profile *p = NULL, *q = NULL;
	swim_buf out = SWIM_BUF_INIT(0);

	if (swim_profile_read(&p, (const char *)data, size, NULL) == 0) {
		if (swim_profile_write(&out, p) != 0 ||
		    swim_profile_read(&q, out.ptr, out.len, NULL) != 0 ||
		    !swim_profile_equal(p, q))
			abort();
	}
	swim_profile_free(p);
	swim_profile_free(q);
	swim_buf_dispose(&out);
	return 0;
}
