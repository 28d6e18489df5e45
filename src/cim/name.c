#include <stdlib.h>
#include <string.h>

#include "cim/name.h"
#include "swim/error.h"
#include "util/str.h"

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool swim_cim_name_valid(const char *name, size_t len)
{
	if (len == 0 || !is_alpha(name[0]))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!is_alpha(name[i]) && !(name[i] >= '0' && name[i] <= '9'))
			return false;
	return true;
}

int swim_cim_name_check(const char *name, const char *what,
                        const swim_limits *lim)
{
	size_t len;

	if (!lim)
		lim = swim_limits_default();
	if (!name || !*name)
		return swim_error_set(SWIM_EINVAL, "empty %s", what);
	len = strlen(name);
	if (len > lim->cim_name_max_bytes)
		return swim_error_set(SWIM_ELIMIT,
		                      "%s '%.40s...' is longer than %llu bytes",
		                      what, name,
		                      (unsigned long long)lim->cim_name_max_bytes);
	if (!swim_cim_name_valid(name, len))
		return swim_error_set(SWIM_EINVAL,
		                      "%s '%s' is not a name (letters, digits and "
		                      "'_', not starting with a digit)", what, name);
	return 0;
}

uint32_t swim_cim_name_hash(const char *name)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		unsigned char c = *p;

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = (h ^ c) * 16777619u;
	}
	return h;
}

static swim_cim_map_slot *find(const swim_cim_map *map, const char *key,
                               uint32_t hash)
{
	size_t mask = map->cap - 1;

	for (size_t i = hash & mask;; i = (i + 1) & mask) {
		swim_cim_map_slot *s = &map->slots[i];

		if (!s->key ||
		    (s->hash == hash && swim_str_ieq(s->key, key)))
			return s;
	}
}

static int grow(swim_cim_map *map)
{
	swim_cim_map_slot *old = map->slots;
	size_t oldcap = map->cap, cap = oldcap ? oldcap * 2 : 16;

	if (!(map->slots = calloc(cap, sizeof(*map->slots)))) {
		map->slots = old;
		return swim_error_oom();
	}
	map->cap = cap;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].key)
			*find(map, old[i].key, old[i].hash) = old[i];
	free(old);
	return 0;
}

int swim_cim_map_put(swim_cim_map *map, const char *key, void *value)
{
	uint32_t hash = swim_cim_name_hash(key);
	swim_cim_map_slot *s;
	int rc;

	/* At most half full, so probes stay short and always end. */
	if ((map->n + 1) * 2 > map->cap && (rc = grow(map)) < 0)
		return rc;
	s = find(map, key, hash);
	if (s->key)
		return swim_error_set(SWIM_EEXISTS, "'%s' already exists", key);
	s->key = key;
	s->hash = hash;
	s->value = value;
	map->n++;
	return 0;
}

void *swim_cim_map_get(const swim_cim_map *map, const char *key)
{
	swim_cim_map_slot *s;

	if (!map->cap || !key)
		return NULL;
	s = find(map, key, swim_cim_name_hash(key));
	return s->key ? s->value : NULL;
}

void swim_cim_map_dispose(swim_cim_map *map)
{
	free(map->slots);
	map->slots = NULL;
	map->cap = map->n = 0;
}
