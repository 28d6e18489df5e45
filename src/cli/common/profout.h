/* How the CLIs show an image profile: a field block as esxcli's
 * `profile get`, and the JSON object whose member names are Image
 * Builder's ImageProfile properties (docs/json.md). Shared by `swim
 * sources profile list|get` and the host's `profile get`. */
#ifndef SWIM_CLI_PROFOUT_H
#define SWIM_CLI_PROFOUT_H

#include <stdio.h>

#include <jansson.h>

#include "swim/profile.h"

/* The block headed by the profile's name, fields indented by three
 * spaces. `sources` (NULL: none) lists where it was found. 0, or
 * SWIM_ENOMEM. */
int swim_profout_print(FILE *f, const swim_profile *p,
                       char *const *sources, size_t n_sources);

/* A new JSON object for the profile; NULL when out of memory. */
json_t *swim_profout_json(const swim_profile *p, char *const *sources,
                          size_t n_sources);

#endif
