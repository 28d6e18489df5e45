/* libFuzzer target: descriptor.xml reading, and the round trip. Any
 * input either fails cleanly or reads into a package that, written and
 * read again, is equal to itself. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "swim/error.h"
#include "swim/package.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	swim_package *a = NULL, *b = NULL;
	swim_buf xml = SWIM_BUF_INIT(0);
	swim_limits lim;

	if (swim_descriptor_read(&a, (const char *)data, size, NULL) < 0)
		return 0;
	if (swim_descriptor_write(&xml, a, true) < 0) {
		fprintf(stderr, "write failed: %s\n", swim_error_last());
		abort();
	}
	/* Indentation adds bytes and blank text nodes; the second read may
	 * need more room than the first, but never different rules. */
	swim_limits_init(&lim);
	lim.descriptor_max_bytes = 4 * size + 65536;
	lim.xml_max_nodes *= 4;
	if (swim_descriptor_read(&b, xml.ptr, xml.len, &lim) < 0) {
		fprintf(stderr, "re-read failed: %s\n%s\n", swim_error_last(),
		        xml.ptr);
		abort();
	}
	if (!swim_package_equal(a, b)) {
		fprintf(stderr, "not equal after a round trip:\n%s\n", xml.ptr);
		abort();
	}
	swim_package_free(a);
	swim_package_free(b);
	swim_buf_dispose(&xml);
	return 0;
}
