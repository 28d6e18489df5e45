/* A small pool of threads for work that splits into independent items
 * (verifying packages, staging their files, hashing files): the calling
 * thread works too, and reports progress between its items. */
#ifndef SWIM_UTIL_WORKERS_H
#define SWIM_UTIL_WORKERS_H

#include <stddef.h>

/* Does item `item` on worker `worker` (0 is the calling thread). 0, or
 * a negative SWIM_E* code with the message in the error slot. */
typedef int (*swim_workers_fn)(void *ctx, size_t item, unsigned worker);

/* Called in the calling thread after each item it finishes; non-zero
 * stops the work (that value is returned; set the message first). */
typedef int (*swim_workers_tick_fn)(void *ctx);

/* Runs fn for items 0..n_items-1 on `workers` threads (the caller
 * included; at most one per item), items taken in order. The first
 * failure stops the others before their next item; its code and message
 * are returned in the calling thread. tick may be NULL. */
int swim_workers_run(unsigned workers, size_t n_items, swim_workers_fn fn,
                     swim_workers_tick_fn tick, void *ctx);

/* One thread per online CPU, at most 8; `wanted` when it is not 0. */
unsigned swim_workers_default(unsigned wanted);

#endif
