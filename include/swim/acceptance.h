/* swim — acceptance levels: certified > accepted > partner > community. */
#ifndef SWIM_ACCEPTANCE_H
#define SWIM_ACCEPTANCE_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum swim_acceptance {
	SWIM_ACCEPTANCE_UNKNOWN = 0,
	SWIM_ACCEPTANCE_COMMUNITY = 1,
	SWIM_ACCEPTANCE_PARTNER = 2,
	SWIM_ACCEPTANCE_ACCEPTED = 3,
	SWIM_ACCEPTANCE_CERTIFIED = 4
} swim_acceptance;

/* Accepts both spellings, case-sensitively as ESXi does: `certified` /
 * `VMwareCertified`, `accepted` / `VMwareAccepted`, `partner` /
 * `PartnerSupported`, `community` / `CommunitySupported`. SWIM_EINVAL
 * naming the accepted spellings otherwise. */
int swim_acceptance_parse(swim_acceptance *out, const char *s);

/* Descriptor spelling ("partner"); "unknown" for an invalid level. */
const char *swim_acceptance_name(swim_acceptance level);

/* esxcli/Image Builder spelling ("PartnerSupported"). */
const char *swim_acceptance_long_name(swim_acceptance level);

/* -1, 0 or 1 as a is lower than, equal to or higher than b. */
int swim_acceptance_compare(swim_acceptance a, swim_acceptance b);

/* The host rule: a host at level `host` accepts a package at `pkg` when
 * pkg is at host's level or higher. */
bool swim_acceptance_allows(swim_acceptance host, swim_acceptance pkg);

#ifdef __cplusplus
}
#endif
#endif
