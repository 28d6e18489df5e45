/* libFuzzer target: version splitting, checking and comparison.
 *
 * The input is up to three strings separated by NUL bytes. Nothing may
 * crash, and the comparison must be an order: reflexive, antisymmetric
 * and transitive on every triple; a violation aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "swim/error.h"
#include "swim/version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_split(const char *v)
{
	swim_version_parts p;
	size_t len = strlen(v);

	swim_version_split(&p, v);
	if (p.version < v || p.version + p.version_len > v + len)
		abort();
	if (p.release && (p.release < p.version || p.release + p.release_len != v + len))
		abort();
	if (p.epoch && (p.epoch != v || p.epoch + p.epoch_len + 1 != p.version))
		abort();
	if (swim_version_check(v, NULL) < 0 && !*swim_error_last())
		abort();  /* a refusal always says why */
}

static void check_order(const char *a, const char *b, const char *c)
{
	int ab = swim_version_compare(a, b), ba = swim_version_compare(b, a);
	int bc = swim_version_compare(b, c), ac = swim_version_compare(a, c);

	if (swim_version_compare(a, a) != 0 || ab != -ba)
		abort();
	if (ab < -1 || ab > 1)
		abort();
	if (ab <= 0 && bc <= 0 && ac > 0)
		abort();
	if (ab >= 0 && bc >= 0 && ac < 0)
		abort();
	if (ab == 0 && bc == 0 && ac != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 3), *s[3];
	size_t half = size / 2;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	memset(buf + size, 0, 3);
	s[0] = buf;
	s[1] = s[0] + strlen(s[0]) + (s[0] + strlen(s[0]) < buf + size ? 1 : 0);
	s[2] = s[1] + strlen(s[1]) + (s[1] + strlen(s[1]) < buf + size ? 1 : 0);
	for (int i = 0; i < 3; i++)
		check_split(s[i]);
	check_order(s[0], s[1], s[2]);
	check_order(s[2], s[0], s[1]);
	check_order(s[1], s[2], s[0]);
	/* One part as raw bytes, NULs included. */
	if (swim_vercmp((const char *)data, half, (const char *)data + half,
	                size - half) !=
	    -swim_vercmp((const char *)data + half, size - half,
	                 (const char *)data, half))
		abort();
	if (swim_vercmp((const char *)data, size, (const char *)data, size) != 0)
		abort();
	(void)swim_version__match_cmp(s[0], s[1]);
	free(buf);
	return 0;
}
