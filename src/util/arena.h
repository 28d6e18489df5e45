/* A bump allocator for data that lives and dies together (a depot's
 * metadata loaded from its cache snapshot): one free for everything, and
 * no per-object allocation cost when loading. */
#ifndef SWIM_UTIL_ARENA_H
#define SWIM_UTIL_ARENA_H

#include <stddef.h>

typedef struct swim_arena swim_arena;

/* @param[out] out freed with swim_arena_free(). */
int swim_arena_new(swim_arena **out);

/* `size` zeroed bytes aligned for any type; NULL (error set) when out of
 * memory or size is absurd. Valid until swim_arena_free(). */
void *swim_arena_alloc(swim_arena *a, size_t size);

/* n elements of `size`, zeroed; NULL for n == 0 without an error. */
void *swim_arena_array(swim_arena *a, size_t n, size_t size);

/* The arena frees `p` (from malloc) with itself. */
int swim_arena_adopt(swim_arena *a, void *p);

/* Frees every allocation and adopted block; NULL-safe. */
void swim_arena_free(swim_arena *a);

#endif
