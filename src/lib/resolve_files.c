/* File conflicts: two packages that would both be installed may not ship
 * the same path, unless one of them is an overlay. The paths of what the
 * plan installs go into a hash map (borrowed, not copied), so a profile
 * of 100,000 files costs one insert per path and one lookup per path of
 * what stays. Only pairs involving a package the plan installs are
 * reported: what is already installed was accepted before (or forced). */
#include <stdlib.h>
#include <string.h>

#include "resolve_int.h"
#include "swim/error.h"
#include "util/strmap.h"

/* How many paths ahead the map's slots are loaded. */
#define PREFETCH 8

/* One conflicting pair: the first path and how many more. */
struct clash {
	const swim_package *a, *b;
	const char *path;
	size_t more;
};

struct files {
	swim_strmap owner;            /* path -> index in plan->install */
	const swim_plan *plan;
	struct clash *clashes;
	size_t n_clashes, max_clashes;
	size_t dropped;
};

static void clash(struct files *f, const swim_package *a,
                  const swim_package *b, const char *path)
{
	for (size_t i = 0; i < f->n_clashes; i++)
		if ((f->clashes[i].a == a && f->clashes[i].b == b) ||
		    (f->clashes[i].a == b && f->clashes[i].b == a)) {
			f->clashes[i].more++;
			return;
		}
	if (f->n_clashes == f->max_clashes) {
		f->dropped++;
		return;
	}
	f->clashes[f->n_clashes++] = (struct clash){ a, b, path, 0 };
}

/* The packages that come: each path gets its first owner. */
static int add_new(struct files *f, size_t idx)
{
	const swim_package *pkg = f->plan->install[idx].pkg;
	int rc;

	for (size_t i = 0; i < pkg->n_files; i++) {
		const swim_package *o;
		size_t *slot;

		if (i + PREFETCH < pkg->n_files)
			swim_strmap_prefetch(&f->owner, pkg->files[i + PREFETCH]);
		if ((rc = swim_strmap_put(&f->owner, pkg->files[i], idx, &slot)) < 0)
			return rc;
		o = f->plan->install[*slot].pkg;
		if (rc == 0 && o != pkg && !o->overlay && !pkg->overlay)
			clash(f, o, pkg, pkg->files[i]);
	}
	return 0;
}

/* The packages that stay: only looked up. */
static void check_kept(struct files *f, const swim_package *pkg)
{
	for (size_t i = 0; i < pkg->n_files; i++) {
		const size_t *idx = swim_strmap_get(&f->owner, pkg->files[i]);
		const swim_package *o = idx ? f->plan->install[*idx].pkg : NULL;

		if (o && !o->overlay && !pkg->overlay)
			clash(f, pkg, o, pkg->files[i]);
	}
}

static bool removed(const swim_plan *plan, const swim_package *pkg)
{
	for (size_t i = 0; i < plan->n_remove; i++)
		if (plan->remove[i].pkg == pkg)
			return true;
	return false;
}

int resolve_check_files(resolve_ctx *c)
{
	const swim_plan *plan = c->plan;
	const swim_resolve_request *req = c->req;
	struct files f = { 0 };
	size_t n_files = 0;
	int rc = 0;

	if (!plan->n_install)
		return 0;
	f.plan = plan;
	for (size_t i = 0; i < plan->n_install; i++)
		n_files += plan->install[i].pkg->n_files;
	if ((rc = swim_strmap_reserve(&f.owner, n_files)) < 0)
		goto out;
	f.max_clashes = c->lim->resolve_max_problems;
	if (!(f.clashes = calloc(f.max_clashes + 1, sizeof(*f.clashes)))) {
		rc = swim_error_oom();
		goto out;
	}
	for (size_t i = 0; i < plan->n_install && rc == 0; i++)
		rc = add_new(&f, i);
	for (size_t i = 0; i < req->n_installed && rc == 0; i++)
		if (!removed(plan, req->installed[i].pkg))
			check_kept(&f, req->installed[i].pkg);
	for (size_t i = 0; i < f.n_clashes && rc == 0; i++) {
		struct rtext t;

		rtext_init(&t);
		rtext_printf(&t, "VIB %s and VIB %s both contain the file %s",
		             f.clashes[i].a->id, f.clashes[i].b->id, f.clashes[i].path);
		if (f.clashes[i].more)
			rtext_printf(&t, " (and %zu more)", f.clashes[i].more);
		rtext_printf(&t, "; only an overlay VIB may contain another VIB's "
		             "files.");
		rc = resolve_problem_add(c, SWIM_PROBLEM_FILE_CONFLICT, &t, NULL);
	}
	if (f.dropped && !c->problems_dropped)
		c->dropped_kind = SWIM_PROBLEM_FILE_CONFLICT;
	c->problems_dropped += f.dropped;
out:
	swim_strmap_dispose(&f.owner);
	free(f.clashes);
	return rc;
}
