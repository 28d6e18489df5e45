#include <string.h>

#include "swim/acceptance.h"
#include "swim/error.h"

static const struct {
	swim_acceptance level;
	const char *name;
	const char *long_name;
} levels[] = {
	{ SWIM_ACCEPTANCE_CERTIFIED, "certified", "VMwareCertified" },
	{ SWIM_ACCEPTANCE_ACCEPTED, "accepted", "VMwareAccepted" },
	{ SWIM_ACCEPTANCE_PARTNER, "partner", "PartnerSupported" },
	{ SWIM_ACCEPTANCE_COMMUNITY, "community", "CommunitySupported" },
};

#define N_LEVELS (sizeof(levels) / sizeof(levels[0]))

int swim_acceptance_parse(swim_acceptance *out, const char *s)
{
	*out = SWIM_ACCEPTANCE_UNKNOWN;
	for (size_t i = 0; s && i < N_LEVELS; i++)
		if (strcmp(s, levels[i].name) == 0 ||
		    strcmp(s, levels[i].long_name) == 0) {
			*out = levels[i].level;
			return 0;
		}
	return swim_error_set(SWIM_EINVAL,
	                      "unknown acceptance level '%s' (expected certified, accepted, "
	                      "partner, community or VMwareCertified, VMwareAccepted, "
	                      "PartnerSupported, CommunitySupported)",
	                      s ? s : "");
}

const char *swim_acceptance_name(swim_acceptance level)
{
	for (size_t i = 0; i < N_LEVELS; i++)
		if (levels[i].level == level)
			return levels[i].name;
	return "unknown";
}

const char *swim_acceptance_long_name(swim_acceptance level)
{
	for (size_t i = 0; i < N_LEVELS; i++)
		if (levels[i].level == level)
			return levels[i].long_name;
	return "unknown";
}

int swim_acceptance_compare(swim_acceptance a, swim_acceptance b)
{
	return a < b ? -1 : a > b ? 1 : 0;
}

bool swim_acceptance_allows(swim_acceptance host, swim_acceptance pkg)
{
	return host != SWIM_ACCEPTANCE_UNKNOWN &&
	       pkg != SWIM_ACCEPTANCE_UNKNOWN && pkg >= host;
}
