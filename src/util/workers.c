#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "swim/error.h"
#include "util/str.h"
#include "util/workers.h"

#define WORKERS_MAX 8

struct pool {
	swim_workers_fn fn;
	swim_workers_tick_fn tick;
	void *ctx;
	size_t n_items;
	atomic_size_t next;
	atomic_bool stop;
	pthread_mutex_t lock;    /* guards the first failure */
	int rc;
	char *message;
};

static void record_failure(struct pool *p, int rc)
{
	pthread_mutex_lock(&p->lock);
	if (p->rc == 0) {
		p->rc = rc;
		p->message = swim_strdup(swim_error_last());
	}
	pthread_mutex_unlock(&p->lock);
	atomic_store(&p->stop, true);
}

static void work(struct pool *p, unsigned worker)
{
	while (!atomic_load(&p->stop)) {
		size_t i = atomic_fetch_add(&p->next, 1);
		int rc;

		if (i >= p->n_items)
			break;
		if ((rc = p->fn(p->ctx, i, worker)) < 0) {
			record_failure(p, rc);
			break;
		}
		if (worker == 0 && p->tick && (rc = p->tick(p->ctx)) != 0) {
			record_failure(p, rc < 0 ? rc : SWIM_ECANCELLED);
			break;
		}
	}
}

struct thread_arg {
	struct pool *p;
	unsigned worker;
};

static void *thread_main(void *arg)
{
	struct thread_arg *a = arg;

	work(a->p, a->worker);
	return NULL;
}

int swim_workers_run(unsigned workers, size_t n_items, swim_workers_fn fn,
                     swim_workers_tick_fn tick, void *ctx)
{
	struct pool p = { .fn = fn, .tick = tick, .ctx = ctx,
	                  .n_items = n_items };
	pthread_t threads[WORKERS_MAX];
	struct thread_arg args[WORKERS_MAX];
	unsigned started = 0;
	int rc;

	atomic_init(&p.next, 0);
	atomic_init(&p.stop, false);
	if (pthread_mutex_init(&p.lock, NULL) != 0)
		return swim_error_set(SWIM_ERROR, "cannot create a mutex");
	if (workers > WORKERS_MAX)
		workers = WORKERS_MAX;
	if (workers > n_items)
		workers = (unsigned)n_items;
	for (unsigned w = 1; w < workers; w++) {
		args[started] = (struct thread_arg){ &p, w };
		if (pthread_create(&threads[started], NULL, thread_main,
		                   &args[started]) != 0)
			break;  /* fewer threads still do all the work */
		started++;
	}
	work(&p, 0);
	for (unsigned i = 0; i < started; i++)
		(void)pthread_join(threads[i], NULL);
	(void)pthread_mutex_destroy(&p.lock);
	rc = p.rc;
	if (rc < 0)
		(void)swim_error_set(rc, "%s", p.message ? p.message
		                                         : swim_error_name(rc));
	free(p.message);
	return rc;
}

unsigned swim_workers_default(unsigned wanted)
{
	long n;

	if (wanted)
		return wanted > WORKERS_MAX ? WORKERS_MAX : wanted;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return n > WORKERS_MAX ? WORKERS_MAX : (unsigned)n;
}
