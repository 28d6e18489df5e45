#include <stdlib.h>
#include <string.h>

#include "swim/error.h"
#include "util/strmap.h"

/* Eight bytes at a time, each word multiplied in and folded: paths and
 * versions that differ in one digit ("f123.so", "f124.so") land far
 * apart, at a fraction of the cost of a byte-wise hash. */
static uint64_t hash(const char *s)
{
	size_t len = strlen(s), i = 0;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
	}
	w = 0;
	memcpy(&w, s + i, len - i);
	h = (h ^ w) * 0x94d049bb133111ebULL;
	return h ^ (h >> 29);
}

/* The slot of key, or the empty slot where it would go. */
static struct swim_strmap_slot *find(const swim_strmap *m, const char *key,
                                     uint64_t h)
{
	size_t i = (size_t)h & m->mask;

	while (m->slots[i].key &&
	       (m->slots[i].hash != h || strcmp(m->slots[i].key, key) != 0))
		i = (i + 1) & m->mask;
	return &m->slots[i];
}

static int resize(swim_strmap *m, size_t n_slots)
{
	swim_strmap n = { 0 };

	if (!(n.slots = calloc(n_slots, sizeof(*n.slots))))
		return swim_error_oom();
	n.mask = n_slots - 1;
	n.n = m->n;
	for (size_t i = 0; m->mask && i <= m->mask; i++)
		if (m->slots[i].key)
			*find(&n, m->slots[i].key, m->slots[i].hash) = m->slots[i];
	free(m->slots);
	*m = n;
	return 0;
}

int swim_strmap_reserve(swim_strmap *m, size_t n)
{
	size_t n_slots = 16;

	/* At most half full keeps probe runs short. */
	while (n_slots < 2 * n) {
		if (n_slots > SIZE_MAX / 4 / sizeof(*m->slots))
			return swim_error_set(SWIM_ELIMIT, "hash map of %zu keys", n);
		n_slots *= 2;
	}
	if (m->mask && n_slots <= m->mask + 1)
		return 0;
	return resize(m, n_slots);
}

int swim_strmap_put(swim_strmap *m, const char *key, size_t val,
                    size_t **slot)
{
	struct swim_strmap_slot *s;
	uint64_t h = hash(key);
	int rc;

	if ((!m->mask || 2 * (m->n + 1) > m->mask + 1) &&
	    (rc = swim_strmap_reserve(m, 2 * (m->n + 1))) < 0)
		return rc;
	s = find(m, key, h);
	rc = 0;
	if (!s->key) {
		s->hash = h;
		s->key = key;
		s->val = val;
		m->n++;
		rc = 1;
	}
	if (slot)
		*slot = &s->val;
	return rc;
}

void swim_strmap_prefetch(const swim_strmap *m, const char *key)
{
	if (m->mask)
		__builtin_prefetch(&m->slots[(size_t)hash(key) & m->mask], 1);
}

size_t *swim_strmap_get(const swim_strmap *m, const char *key)
{
	struct swim_strmap_slot *s;

	if (!m->mask)
		return NULL;
	s = find(m, key, hash(key));
	return s->key ? &s->val : NULL;
}

void swim_strmap_dispose(swim_strmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
