/* How the CLIs show an image profile: esxcli's `profile get` field block
 * and the JSON object whose member names are Image Builder's ImageProfile
 * properties (docs/json.md). */
#ifndef SWIM_CLI_PROFOUT_H
#define SWIM_CLI_PROFOUT_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "swim/profile.h"

/* The block headed by the profile name: Name, Vendor, Creation Time,
 * Modification Time, Stateless Ready, Description, VIBs. stateless_ready
 * is whether every package of the profile is. 0, or SWIM_ENOMEM. */
int swim_profout_print(FILE *f, const swim_profile *p, bool stateless_ready);

/* A new JSON object for the profile; NULL when out of memory. */
json_t *swim_profout_json(const swim_profile *p, bool stateless_ready);

#endif
