/* CIM names (classes, properties, methods, parameters, qualifiers,
 * namespaces) compare case-insensitively (ASCII, as DSP0004 folds them);
 * a small hash map keyed that way gives the repository O(1) lookups. */
#ifndef SWIM_CIM_NAME_H
#define SWIM_CIM_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "swim/limits.h"

/* True for an identifier: a letter or '_' then letters, digits, '_'. */
bool swim_cim_name_valid(const char *name, size_t len);

/* SWIM_EINVAL unless `name` is an identifier of at most
 * cim_name_max_bytes; the message says it is a `what` ("class name").
 * lim NULL means the defaults. */
int swim_cim_name_check(const char *name, const char *what,
                        const swim_limits *lim);

/* Case-insensitive hash (FNV-1a over the lower-cased bytes). */
uint32_t swim_cim_name_hash(const char *name);

/* Open-addressing map from a name to a pointer. Keys are borrowed: they
 * must live as long as their entry (usually the name inside the value).
 * Entries are never removed. */
typedef struct swim_cim_map_slot {
	const char *key;
	uint32_t hash;
	void *value;
} swim_cim_map_slot;

typedef struct swim_cim_map {
	swim_cim_map_slot *slots;
	size_t cap;  /* a power of two, or 0 */
	size_t n;
} swim_cim_map;

#define SWIM_CIM_MAP_INIT { NULL, 0, 0 }

/* SWIM_EEXISTS when the key is present (case-insensitively). */
int swim_cim_map_put(swim_cim_map *map, const char *key, void *value);

/* The value stored under key, or NULL. */
void *swim_cim_map_get(const swim_cim_map *map, const char *key);

void swim_cim_map_dispose(swim_cim_map *map);

#endif
