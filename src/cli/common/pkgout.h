/* How the CLIs show a package: esxcli's `vib get` field block, and the
 * JSON object whose member names are Image Builder's SoftwarePackage
 * properties (docs/json.md). Shared by `swim-pack descriptor check`,
 * `swim vib get` and `swim sources vib get`. */
#ifndef SWIM_CLI_PKGOUT_H
#define SWIM_CLI_PKGOUT_H

#include <stdio.h>

#include <jansson.h>

#include "swim/package.h"

/* The block headed by the package id, fields indented by three spaces,
 * lists joined with ", ", booleans True/False. 0, or SWIM_ENOMEM. */
int swim_pkgout_print(FILE *f, const swim_package *pkg);

/* A new JSON object for the package; NULL when out of memory. */
json_t *swim_pkgout_json(const swim_package *pkg);

#endif
