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

/* name folded to lower case into buf (of size n) when it fits, else
 * into a new string; NULL when out of memory. */
static char *fold(char *buf, size_t n, const char *name)
{
	size_t len = strlen(name);
	char *out = len < n ? buf : malloc(len + 1);

	if (!out)
		return NULL;
	for (size_t i = 0; i <= len; i++)
		out[i] = name[i] >= 'A' && name[i] <= 'Z'
		         ? (char)(name[i] - 'A' + 'a') : name[i];
	return out;
}

int swim_cim_map_put(swim_cim_map *map, const char *key, void *value)
{
	char *folded = fold(NULL, 0, key), **grown;
	int rc;

	if (!folded)
		return swim_error_oom();
	/* Full exactly when n is a power of two: grow by doubling. */
	if ((map->n & (map->n - 1)) == 0) {
		grown = realloc(map->keys,
		                (map->n ? map->n * 2 : 1) * sizeof(*grown));
		if (!grown) {
			free(folded);
			return swim_error_oom();
		}
		map->keys = grown;
	}
	rc = swim_strmap_put(&map->map, folded, (size_t)(uintptr_t)value,
	                     NULL);
	if (rc <= 0) {
		free(folded);
		return rc < 0 ? rc : swim_error_set(SWIM_EEXISTS,
		                                    "'%s' already exists", key);
	}
	map->keys[map->n++] = folded;
	return 0;
}

void *swim_cim_map_get(const swim_cim_map *map, const char *key)
{
	char buf[128], *folded;
	size_t *val;

	if (!key || !(folded = fold(buf, sizeof(buf), key)))
		return NULL;
	val = swim_strmap_get(&map->map, folded);
	if (folded != buf)
		free(folded);
	return val ? (void *)(uintptr_t)*val : NULL;
}

void swim_cim_map_dispose(swim_cim_map *map)
{
	for (size_t i = 0; i < map->n; i++)
		free(map->keys[i]);
	free(map->keys);
	swim_strmap_dispose(&map->map);
	map->keys = NULL;
	map->n = 0;
}
