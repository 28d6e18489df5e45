/* libFuzzer target: the .vib reader from memory. Any input either fails
 * cleanly or opens and verifies into a package whose every payload is
 * intact. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "swim/error.h"
#include "swim/vib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	swim_vib_options opt = { 0 };
	swim_vib *vib = NULL;
	swim_limits lim;

	/* Small bounds keep each run fast; the rules are the same. */
	swim_limits_init(&lim);
	lim.payload_max_expanded_bytes = 16 << 20;
	lim.archive_max_entries = 10000;
	opt.lim = &lim;
	if (swim_vib_open_memory(&vib, data, size, "fuzz.vib", &opt) < 0)
		return 0;
	if (swim_vib_verify(vib) == 0) {
		for (size_t i = 0; i < vib->pkg->n_payloads; i++) {
			const swim_vib_payload_result *r = &vib->payloads[i];

			if (r->size_status != SWIM_VIB_OK ||
			    r->sha256_status != SWIM_VIB_OK ||
			    r->gunzip_status != SWIM_VIB_OK) {
				fprintf(stderr, "verified, yet payload %s is not intact\n",
				        r->name);
				abort();
			}
		}
		if (!vib->verified)
			abort();
	}
	swim_vib_free(vib);
	return 0;
}
