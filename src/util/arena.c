#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "swim/error.h"
#include "util/arena.h"

#define CHUNK_MIN ((size_t)256 << 10)

struct chunk {
	struct chunk *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

struct swim_arena {
	struct chunk *chunks;
	void **adopted;
	size_t n_adopted;
};

int swim_arena_new(swim_arena **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : swim_error_oom();
}

void *swim_arena_alloc(swim_arena *a, size_t size)
{
	const size_t align = alignof(max_align_t);
	struct chunk *c = a->chunks;
	size_t need = (size + align - 1) & ~(align - 1);
	void *p;

	if (size > SIZE_MAX / 2) {
		(void)swim_error_oom();
		return NULL;
	}
	if (!c || c->size - c->used < need) {
		size_t sz = need > CHUNK_MIN ? need : CHUNK_MIN;

		if (!(c = calloc(1, sizeof(*c) + sz))) {
			(void)swim_error_oom();
			return NULL;
		}
		c->size = sz;
		c->next = a->chunks;
		a->chunks = c;
	}
	p = c->data + c->used;
	c->used += need;
	return p;
}

void *swim_arena_array(swim_arena *a, size_t n, size_t size)
{
	if (n == 0)
		return NULL;
	if (size && n > SIZE_MAX / 2 / size) {
		(void)swim_error_oom();
		return NULL;
	}
	return swim_arena_alloc(a, n * size);
}

int swim_arena_adopt(swim_arena *a, void *p)
{
	void **v = realloc(a->adopted, (a->n_adopted + 1) * sizeof(*v));

	if (!v)
		return swim_error_oom();
	a->adopted = v;
	v[a->n_adopted++] = p;
	return 0;
}

void swim_arena_free(swim_arena *a)
{
	if (!a)
		return;
	while (a->chunks) {
		struct chunk *next = a->chunks->next;

		free(a->chunks);
		a->chunks = next;
	}
	for (size_t i = 0; i < a->n_adopted; i++)
		free(a->adopted[i]);
	free(a->adopted);
	free(a);
}
