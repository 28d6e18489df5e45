/* libFuzzer target for the WBEM URI parser: when a path parses, printing
 * it and parsing the print must give an equal path (abort() otherwise),
 * and the CIMObject header form must give the same object. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cim/path.h"
#include "swim/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Printing may lengthen numbers (1e300), so re-parsing is not held to
 * the input's length limit. */
static swim_cim_path *reparse(const swim_buf *text)
{
	swim_cim_path *p = NULL;
	swim_limits lim;

	swim_limits_init(&lim);
	lim.cim_uri_max_bytes = UINT64_MAX;
	if (swim_cim_path_parse(&p, text->ptr, &lim) < 0)
		abort();
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	swim_buf in = SWIM_BUF_INIT(0), out = SWIM_BUF_INIT(0);
	swim_cim_path *p = NULL, *q = NULL, *r = NULL;

	if (memchr(data, '\0', size) || swim_buf_put(&in, data, size) < 0)
		goto out;
	if (swim_cim_path_parse(&p, in.ptr, NULL) < 0) {
		if (!*swim_error_last())
			abort();
		goto out;
	}
	if (swim_cim_path_format(&out, p, 0) < 0)
		abort();
	q = reparse(&out);
	if (!swim_cim_path_equal(p, q))
		abort();
	swim_buf_clear(&out);
	if (swim_cim_path_format(&out, p, SWIM_CIM_URI_CIMOBJECT) < 0)
		abort();
	r = reparse(&out);
	if (!swim_cim_path_match(p, r, SWIM_CIM_PATH_IGNORE_HOST))
		abort();
out:
	swim_cim_path_free(p);
	swim_cim_path_free(q);
	swim_cim_path_free(r);
	swim_buf_dispose(&in);
	swim_buf_dispose(&out);
	return 0;
}
