#include <string.h>

#include "swim/error.h"
#include "swim/limits.h"
#include "util/str.h"

static const swim_limits defaults = {
#define SWIM_LIMIT_DEFAULT(name, def, doc) .name = (def),
	SWIM_LIMIT_TABLE(SWIM_LIMIT_DEFAULT)
#undef SWIM_LIMIT_DEFAULT
};

void swim_limits_init(swim_limits *out)
{
	*out = defaults;
}

const swim_limits *swim_limits_default(void)
{
	return &defaults;
}

static int parse_value(uint64_t *out, const char *name, const char *value)
{
	char digits[32];
	size_t len = strlen(value);
	unsigned shift = 0;
	uint64_t v;
	int rc;

	if (len > 0 && len < sizeof(digits)) {
		switch (value[len - 1]) {
		case 'K': case 'k': shift = 10; break;
		case 'M': case 'm': shift = 20; break;
		case 'G': case 'g': shift = 30; break;
		default: break;
		}
	}
	if (len == 0 || len >= sizeof(digits))
		return swim_error_set(SWIM_EINVAL, "%s: '%s' is not a number",
		                      name, value);
	memcpy(digits, value, len + 1);
	if (shift)
		digits[len - 1] = '\0';
	if ((rc = swim_str_to_u64(&v, digits, UINT64_MAX >> shift, name)) < 0)
		return rc;
	if (v == 0)
		return swim_error_set(SWIM_EINVAL, "%s: must be at least 1",
		                      name);
	*out = v << shift;
	return 0;
}

int swim_limits_set(swim_limits *lim, const char *name, const char *value)
{
#define SWIM_LIMIT_MATCH(field, def, doc)                                     \
	if (strcmp(name, #field) == 0)                                        \
		return parse_value(&lim->field, name, value);
	SWIM_LIMIT_TABLE(SWIM_LIMIT_MATCH)
#undef SWIM_LIMIT_MATCH
	return swim_error_set(SWIM_ENOTFOUND, "unknown limit '%s'", name);
}

void swim_limits_visit(const swim_limits *lim, swim_limits_visit_fn fn,
                       void *ctx)
{
#define SWIM_LIMIT_VISIT(field, def, doc) \
	fn(#field, lim->field, (uint64_t)(def), doc, ctx);
	SWIM_LIMIT_TABLE(SWIM_LIMIT_VISIT)
#undef SWIM_LIMIT_VISIT
}
