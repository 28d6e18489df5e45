/* CIM names (classes, properties, methods, parameters, qualifiers,
 * namespaces) compare case-insensitively (ASCII, as DSP0004 folds them);
 * a map keyed that way gives the repository O(1) lookups. */
#ifndef SWIM_CIM_NAME_H
#define SWIM_CIM_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "swim/limits.h"
#include "util/strmap.h"

/* True for an identifier: a letter or '_' then letters, digits, '_'. */
bool swim_cim_name_valid(const char *name, size_t len);

/* SWIM_EINVAL unless `name` is an identifier of at most
 * cim_name_max_bytes; the message says it is a `what` ("class name").
 * lim NULL means the defaults. */
int swim_cim_name_check(const char *name, const char *what,
                        const swim_limits *lim);

/* A map from a name, compared case-insensitively, to a pointer: the
 * shared util/strmap over copies of the names folded to lower case,
 * which the map owns. */
typedef struct swim_cim_map {
	swim_strmap map;
	char **keys;            /* the folded copies */
	size_t n;
} swim_cim_map;

#define SWIM_CIM_MAP_INIT { SWIM_STRMAP_INIT, NULL, 0 }

/* SWIM_EEXISTS when the name is present (case-insensitively). */
int swim_cim_map_put(swim_cim_map *map, const char *key, void *value);

/* The value stored under key, or NULL. */
void *swim_cim_map_get(const swim_cim_map *map, const char *key);

void swim_cim_map_dispose(swim_cim_map *map);

#endif
