/* A hash map from borrowed strings to sizes, for lookups over many keys
 * (package ids of a depot, file paths of an image). Open addressing with
 * the full hash kept beside each key, so that a probe compares strings
 * only when the hashes agree, and one slot (hash, key, value) per cache
 * access. The keys are not copied: they must outlive the map. */
#ifndef SWIM_UTIL_STRMAP_H
#define SWIM_UTIL_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct swim_strmap_slot {
	uint64_t hash;
	const char *key;       /* NULL: empty */
	size_t val;
};

typedef struct swim_strmap {
	struct swim_strmap_slot *slots;
	size_t n;              /* keys held */
	size_t mask;           /* slots - 1; 0 before the first insert */
} swim_strmap;

#define SWIM_STRMAP_INIT { NULL, 0, 0 }

/* Makes room for `n` keys in all, so that inserting them never rehashes. */
int swim_strmap_reserve(swim_strmap *m, size_t n);

/* Inserts key with val unless it is there. *slot (may be NULL) points to
 * the value kept under key, valid until the next insert. Returns 1 when
 * the key was added, 0 when it was there, SWIM_ENOMEM. */
int swim_strmap_put(swim_strmap *m, const char *key, size_t val,
                    size_t **slot);

/* Starts loading the slot where key goes, for a put or get that follows
 * soon: a caller with many keys prefetches a few ahead, so that the
 * cache misses of a big map overlap. Never needed for correctness. */
void swim_strmap_prefetch(const swim_strmap *m, const char *key);

/* The value under key, or NULL. */
size_t *swim_strmap_get(const swim_strmap *m, const char *key);

void swim_strmap_dispose(swim_strmap *m);

#endif
