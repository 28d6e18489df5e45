#include <stdlib.h>
#include <string.h>

#include "swim/error.h"
#include "util/strmap.h"

/* FNV-1a, 64 bits: neighbouring paths and versions ("f123.so",
 * "f124.so") land far apart, unlike with additive hashes. */
static uint64_t hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The slot of key, or of the empty slot where it would go. */
static size_t find(const swim_strmap *m, const char *key, uint64_t h)
{
	size_t i = (size_t)h & m->mask;

	while (m->keys[i] &&
	       (m->hashes[i] != h || strcmp(m->keys[i], key) != 0))
		i = (i + 1) & m->mask;
	return i;
}

static int resize(swim_strmap *m, size_t slots)
{
	swim_strmap n = { 0 };

	n.keys = calloc(slots, sizeof(*n.keys));
	n.hashes = malloc(slots * sizeof(*n.hashes));
	n.vals = malloc(slots * sizeof(*n.vals));
	if (!n.keys || !n.hashes || !n.vals) {
		swim_strmap_dispose(&n);
		return swim_error_oom();
	}
	n.mask = slots - 1;
	n.n = m->n;
	for (size_t i = 0; m->mask && i <= m->mask; i++) {
		size_t k;

		if (!m->keys[i])
			continue;
		k = find(&n, m->keys[i], m->hashes[i]);
		n.keys[k] = m->keys[i];
		n.hashes[k] = m->hashes[i];
		n.vals[k] = m->vals[i];
	}
	swim_strmap_dispose(m);
	*m = n;
	return 0;
}

int swim_strmap_reserve(swim_strmap *m, size_t n)
{
	size_t slots = 16;

	/* At most half full keeps probe runs short. */
	while (slots < 2 * n) {
		if (slots > SIZE_MAX / 4 / sizeof(*m->vals))
			return swim_error_set(SWIM_ELIMIT, "hash map of %zu keys", n);
		slots *= 2;
	}
	if (m->mask && slots <= m->mask + 1)
		return 0;
	return resize(m, slots);
}

int swim_strmap_put(swim_strmap *m, const char *key, size_t val,
                    size_t **slot)
{
	uint64_t h = hash(key);
	size_t i;
	int rc;

	if ((!m->mask || 2 * (m->n + 1) > m->mask + 1) &&
	    (rc = swim_strmap_reserve(m, m->n + 1 > 8 ? 2 * (m->n + 1) : 8)) < 0)
		return rc;
	i = find(m, key, h);
	if (m->keys[i]) {
		if (slot)
			*slot = &m->vals[i];
		return 0;
	}
	m->keys[i] = key;
	m->hashes[i] = h;
	m->vals[i] = val;
	m->n++;
	if (slot)
		*slot = &m->vals[i];
	return 1;
}

size_t *swim_strmap_get(const swim_strmap *m, const char *key)
{
	size_t i;

	if (!m->mask)
		return NULL;
	i = find(m, key, hash(key));
	return m->keys[i] ? &m->vals[i] : NULL;
}

void swim_strmap_dispose(swim_strmap *m)
{
	free(m->keys);
	free(m->hashes);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
