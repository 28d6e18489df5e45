/* The libsolv side of resolution: packages become solvables, relations
 * become dependencies, and every relational dependency's providers are
 * computed by swim_constraint_matches(), so that the solver and `swim
 * constraint match` can never disagree. */
#include <stdlib.h>
#include <string.h>

#include <solv/repo.h>

#include "resolve_int.h"
#include "swim/error.h"
#include "util/str.h"

static int rel_flags(swim_relation rel)
{
	switch (rel) {
	case SWIM_REL_LT: return REL_LT;
	case SWIM_REL_LE: return REL_LT | REL_EQ;
	case SWIM_REL_EQ: return REL_EQ;
	case SWIM_REL_GE: return REL_GT | REL_EQ;
	case SWIM_REL_GT: return REL_GT;
	default: return 0;
	}
}

static swim_relation swim_rel(int flags)
{
	switch (flags) {
	case REL_LT: return SWIM_REL_LT;
	case REL_LT | REL_EQ: return SWIM_REL_LE;
	case REL_EQ: return SWIM_REL_EQ;
	case REL_GT | REL_EQ: return SWIM_REL_GE;
	case REL_GT: return SWIM_REL_GT;
	default: return SWIM_REL_ANY;
	}
}

/* A dependency as a constraint whose strings are the pool's (valid while
 * the pool lives; swim_constraint_matches() only reads them). False for
 * a relation swim never creates. */
static bool dep_constraint(Pool *pool, Id dep, swim_constraint *out)
{
	Reldep *rd;

	if (!ISRELDEP(dep)) {
		out->name = (char *)pool_id2str(pool, dep);
		out->rel = SWIM_REL_ANY;
		out->version = NULL;
		return true;
	}
	rd = GETRELDEP(pool, dep);
	if (ISRELDEP(rd->name) || ISRELDEP(rd->evr) ||
	    swim_rel(rd->flags) == SWIM_REL_ANY)
		return false;
	out->name = (char *)pool_id2str(pool, rd->name);
	out->rel = swim_rel(rd->flags);
	out->version = (char *)pool_id2str(pool, rd->evr);
	return true;
}

/* A dependency the solver will look providers up for. */
static Id use_dep(resolve_ctx *c, const swim_constraint *con)
{
	Pool *pool = c->pool;
	Id name = pool_str2id(pool, con->name, 1), dep;

	if (con->rel == SWIM_REL_ANY || !con->version)
		return name;
	dep = pool_rel2id(pool, name, pool_str2id(pool, con->version, 1),
	                  rel_flags(con->rel), 1);
	queue_push(&c->used_rels, dep);
	return dep;
}

static Id provide_dep(Pool *pool, const swim_provide *pr)
{
	Id name = pool_str2id(pool, pr->name, 1);

	if (!pr->version)
		return name;
	return pool_rel2id(pool, name, pool_str2id(pool, pr->version, 1),
	                   REL_EQ, 1);
}

static Id add_solvable(resolve_ctx *c, Repo *repo, const swim_resolve_pkg *rp)
{
	Pool *pool = c->pool;
	const swim_package *pkg = rp->pkg;
	Id p = repo_add_solvable(repo);
	Solvable *s = pool->solvables + p;
	swim_constraint older;

	s->name = pool_str2id(pool, pkg->name, 1);
	s->evr = pool_str2id(pool, pkg->version, 1);
	s->arch = ARCH_NOARCH;
	s->vendor = pkg->vendor ? pool_str2id(pool, pkg->vendor, 1) : 0;
	/* Implicit: provides name = version, replaces name << version. */
	s->provides = repo_addid_dep(repo, s->provides,
	                             pool_rel2id(pool, s->name, s->evr, REL_EQ, 1), 0);
	for (size_t i = 0; i < pkg->n_provides; i++)
		s->provides = repo_addid_dep(repo, s->provides,
		                             provide_dep(pool, &pkg->provides[i]), 0);
	for (size_t i = 0; i < pkg->n_depends; i++)
		s->requires = repo_addid_dep(repo, s->requires,
		                             use_dep(c, &pkg->depends[i]), 0);
	for (size_t i = 0; i < pkg->n_conflicts; i++)
		s->conflicts = repo_addid_dep(repo, s->conflicts,
		                              use_dep(c, &pkg->conflicts[i]), 0);
	older.name = pkg->name;
	older.rel = SWIM_REL_LT;
	older.version = pkg->version;
	s->obsoletes = repo_addid_dep(repo, s->obsoletes, use_dep(c, &older), 0);
	for (size_t i = 0; i < pkg->n_replaces; i++)
		s->obsoletes = repo_addid_dep(repo, s->obsoletes,
		                              use_dep(c, &pkg->replaces[i]), 0);
	c->sv[p].rp = rp;
	return p;
}

static int check_pkg(const swim_resolve_pkg *rp, const char *which, size_t i)
{
	if (!rp->pkg || !rp->pkg->name || !rp->pkg->version || !rp->pkg->id)
		return swim_error_set(SWIM_EINVAL,
		                      "resolve: %s package %zu has no %s", which, i,
		                      !rp->pkg ? "descriptor" : !rp->pkg->name ? "name" :
		                      !rp->pkg->version ? "version" : "id");
	return 0;
}

/* Available packages grouped by origin, in order of first appearance, so
 * that each origin is one repository. */
static int group_by_origin(const swim_resolve_request *req, size_t **order,
                           size_t **starts, size_t *n_origins)
{
	size_t n = req->n_available, k = 0, last = 0;
	size_t *idx = calloc(n + 1, sizeof(*idx));
	size_t *first = calloc(n + 1, sizeof(*first));   /* origin -> pkg */
	size_t *count = calloc(n + 2, sizeof(*count));
	size_t *ord = calloc(n + 1, sizeof(*ord));
	int rc = 0;

	if (!idx || !first || !count || !ord) {
		rc = swim_error_oom();
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const char *o = req->available[i].origin;
		size_t j;

		if (k && swim_str_eq(o, req->available[first[last]].origin)) {
			j = last;
		} else {
			for (j = 0; j < k; j++)
				if (swim_str_eq(o, req->available[first[j]].origin))
					break;
			if (j == k)
				first[k++] = i;
		}
		idx[i] = j;
		last = j;
		count[j + 1]++;
	}
	for (size_t j = 1; j <= k; j++)
		count[j] += count[j - 1];
	for (size_t i = 0; i < n; i++)
		ord[count[idx[i]]++] = i;
	/* count[j] is now the end of origin j, so shift back to starts. */
	memmove(count + 1, count, k * sizeof(*count));
	count[0] = 0;
	*order = ord;
	*starts = count;
	*n_origins = k;
	ord = NULL;
	count = NULL;
out:
	free(idx);
	free(first);
	free(count);
	free(ord);
	return rc;
}

/* Names index every solvable; the acceptance level hides available
 * packages below the host's (unless --force). */
static void index_names(resolve_ctx *c)
{
	Pool *pool = c->pool;

	for (Id p = pool->nsolvables - 1; p > SYSTEMSOLVABLE; p--) {
		Id name = pool->solvables[p].name;

		if (!c->sv[p].rp)
			continue;
		c->sv[p].next_same_name = c->by_name[name];
		c->by_name[name] = p;
		if (!c->sv[p].installed && !c->force &&
		    !swim_acceptance_allows(c->req->host_level, resolve_level(c, p)))
			c->sv[p].hidden = HIDE_ACCEPTANCE;
	}
}

/* Adds rp unless a package of the same id is there already; returns
 * the solvable that stands for it. */
static int add_unique(resolve_ctx *c, Repo *repo, const swim_resolve_pkg *rp,
                      Id *out)
{
	size_t *slot;
	int rc = swim_strmap_put(&c->by_id, rp->pkg->id, 0, &slot);

	if (rc < 0)
		return rc;
	if (rc == 1)
		*slot = (size_t)add_solvable(c, repo, rp);
	*out = (Id)*slot;
	return 0;
}

int resolve_pool_build(resolve_ctx *c)
{
	const swim_resolve_request *req = c->req;
	size_t *order = NULL, *starts = NULL, n_origins = 0;
	Pool *pool;
	Id p;
	int rc;

	for (size_t i = 0; i < req->n_installed; i++)
		if ((rc = check_pkg(&req->installed[i], "installed", i)) < 0)
			return rc;
	for (size_t i = 0; i < req->n_available; i++)
		if ((rc = check_pkg(&req->available[i], "available", i)) < 0)
			return rc;

	pool = c->pool = pool_create();
	if (pool_setdisttype(pool, DISTTYPE_RPM) < 0)
		return swim_error_set(SWIM_ENOTSUPPORTED,
		                      "libsolv was built without rpm version semantics");
	/* Replaces match what packages provide (Image Builder's
	 * MatchesProvide), like depends and conflicts. */
	pool_set_flag(pool, POOL_FLAG_OBSOLETEUSESPROVIDES, 1);
	if ((rc = swim_strmap_reserve(&c->by_id, req->n_installed +
	                              req->n_available)) < 0)
		return rc;
	if (!(c->sv = calloc(req->n_installed + req->n_available + 2,
	                     sizeof(*c->sv))))
		return swim_error_oom();

	c->installed = repo_create(pool, "installed");
	for (size_t i = 0; i < req->n_installed; i++) {
		if ((rc = add_unique(c, c->installed, &req->installed[i], &p)) < 0)
			return rc;
		c->sv[p].installed = true;
	}
	pool_set_installed(pool, c->installed);

	if ((rc = group_by_origin(req, &order, &starts, &n_origins)) < 0)
		return rc;
	for (size_t k = 0; k < n_origins && rc == 0; k++) {
		const char *origin = req->available[order[starts[k]]].origin;
		Repo *repo = repo_create(pool, origin ? origin : "available");

		for (size_t j = starts[k]; j < starts[k + 1] && rc == 0; j++) {
			const swim_resolve_pkg *rp = &req->available[order[j]];

			rc = add_unique(c, repo, rp, &p);
			/* A -v file that is installed or offered twice is still
			 * what the user asked for. */
			if (rc == 0 && rp->requested) {
				map_grow(&c->files, pool->nsolvables);
				MAPSET(&c->files, p);
			}
		}
	}
	free(order);
	free(starts);
	if (rc < 0)
		return rc;

	c->n_by_name = (Id)pool->ss.nstrings;
	if (!(c->by_name = calloc((size_t)c->n_by_name, sizeof(*c->by_name))))
		return swim_error_oom();
	index_names(c);
	map_grow(&c->files, pool->nsolvables);
	map_grow(&c->requested, pool->nsolvables);
	map_grow(&c->members, pool->nsolvables);
	return 0;
}

const swim_package *resolve_pkg(const resolve_ctx *c, Id p)
{
	return c->sv[p].rp->pkg;
}

bool resolve_is_installed(const resolve_ctx *c, Id p)
{
	return c->sv[p].installed;
}

swim_acceptance resolve_level(const resolve_ctx *c, Id p)
{
	const swim_resolve_pkg *rp = c->sv[p].rp;

	return c->req->no_sig_check ? rp->pkg->acceptance : rp->proven;
}

Id resolve_installed_same_name(const resolve_ctx *c, Id p)
{
	Id name = c->pool->solvables[p].name;

	for (Id q = c->by_name[name]; q; q = c->sv[q].next_same_name)
		if (q != p && c->sv[q].installed)
			return q;
	return 0;
}

Id resolve_pool_find_id(const resolve_ctx *c, const char *id)
{
	const size_t *p = swim_strmap_get(&c->by_id, id);

	return p ? (Id)*p : 0;
}

static void find_name(resolve_ctx *c, const char *spec, const char *name,
                      size_t len, Map *seen, Queue *out)
{
	Id id = pool_strn2id(c->pool, name, (unsigned)len, 0);

	if (id <= 0 || id >= c->n_by_name)
		return;
	for (Id p = c->by_name[id]; p; p = c->sv[p].next_same_name)
		if (!MAPTST(seen, p) &&
		    swim_resolve_spec_matches(spec, c->sv[p].rp->pkg)) {
			MAPSET(seen, p);
			queue_push(out, p);
		}
}

static int cmp_id(const void *a, const void *b)
{
	Id x = *(const Id *)a, y = *(const Id *)b;

	return x < y ? -1 : x > y;
}

void resolve_pool_find_spec(resolve_ctx *c, const char *spec, Queue *out)
{
	size_t len = strlen(spec);
	Map seen;

	queue_empty(out);
	map_init(&seen, c->pool->nsolvables);
	/* The name is the whole spec, or one ':'-separated run of it (a
	 * version or a vendor around it); the matcher decides. */
	for (size_t a = 0; a <= len; a++) {
		if (a > 0 && spec[a - 1] != ':')
			continue;
		for (size_t b = a; b <= len; b++)
			if (b == len || spec[b] == ':')
				find_name(c, spec, spec + a, b - a, &seen, out);
	}
	map_free(&seen);
	if (out->count > 1)
		qsort(out->elements, (size_t)out->count, sizeof(Id), cmp_id);
}

void resolve_pool_set_hidden(resolve_ctx *c)
{
	Pool *pool = c->pool;
	bool profile = c->req->job >= SWIM_RESOLVE_PROFILE_INSTALL;

	map_init(&c->considered, pool->nsolvables);
	for (Id p = SYSTEMSOLVABLE + 1; p < pool->nsolvables; p++) {
		struct rsolv *v = &c->sv[p];

		if (!v->rp)
			continue;
		if (!v->installed && profile && !MAPTST(&c->members, p) &&
		    v->hidden == HIDE_NONE)
			v->hidden = HIDE_NOT_IN_PROFILE;
		if (v->installed || v->hidden == HIDE_NONE)
			MAPSET(&c->considered, p);
	}
	pool->considered = &c->considered;
}

static bool provides_match(Pool *pool, Id p, Id name,
                           const swim_constraint *con)
{
	Solvable *s = pool->solvables + p;
	swim_provide pr;

	if (!s->provides)
		return false;
	pr.name = con->name;
	for (Id *pp = s->repo->idarraydata + s->provides; *pp; pp++) {
		Id pid = *pp;

		if (ISRELDEP(pid)) {
			Reldep *rd = GETRELDEP(pool, pid);

			if (rd->name != name || rd->flags != REL_EQ)
				continue;
			pr.version = (char *)pool_id2str(pool, rd->evr);
		} else if (pid == name) {
			pr.version = NULL;
		} else {
			continue;
		}
		if (swim_constraint_matches(con, &pr))
			return true;
	}
	return false;
}

/* Called after pool_createwhatprovides(): for each relational dependency
 * the solver will use, the providers are those swim_constraint_matches()
 * accepts among the considered providers of its name. Stored straight
 * into whatprovides_rel: pool_set_whatprovides() would do the same but
 * walks every later relation to clear caches that depend on this one,
 * which makes it quadratic, and swim's relations never nest. */
void resolve_pool_override_matching(resolve_ctx *c)
{
	Pool *pool = c->pool;
	Map done;
	Queue q;

	map_init(&done, pool->nrels);
	queue_init(&q);
	for (int i = 0; i < c->used_rels.count; i++) {
		Id dep = c->used_rels.elements[i], p;
		swim_constraint con;
		Reldep *rd;

		if (MAPTST(&done, GETRELID(dep)) ||
		    !dep_constraint(pool, dep, &con))
			continue;
		MAPSET(&done, GETRELID(dep));
		rd = GETRELDEP(pool, dep);
		queue_empty(&q);
		for (Id *pp = pool_whatprovides_ptr(pool, rd->name); (p = *pp); pp++)
			if (provides_match(pool, p, rd->name, &con))
				queue_push(&q, p);
		pool->whatprovides_rel[GETRELID(dep)] =
			pool_queuetowhatprovides(pool, &q);
	}
	queue_free(&q);
	map_free(&done);
}

/* For explanations: does solvable p (hidden or not) provide something
 * named like dep, and does that match? Returns 0 when p provides no such
 * name, 1 on a match, -1 when only non-matching provides exist; *evr is
 * the version of one of them (0 for an unversioned provide). */
int resolve_pool_provider_match(resolve_ctx *c, Id p, Id dep, Id *evr)
{
	Pool *pool = c->pool;
	swim_constraint con;
	Id name = ISRELDEP(dep) ? GETRELDEP(pool, dep)->name : dep;
	Solvable *s = pool->solvables + p;
	int found = 0;

	if (!dep_constraint(pool, dep, &con) || !s->provides)
		return 0;
	for (Id *pp = s->repo->idarraydata + s->provides; *pp; pp++) {
		Id pid = *pp, v = 0;
		swim_provide pr = { con.name, NULL };

		if (ISRELDEP(pid)) {
			Reldep *rd = GETRELDEP(pool, pid);

			if (rd->name != name || rd->flags != REL_EQ)
				continue;
			v = rd->evr;
			pr.version = (char *)pool_id2str(pool, v);
		} else if (pid != name) {
			continue;
		}
		if (swim_constraint_matches(&con, &pr))
			return 1;
		if (!found || v)
			*evr = v;
		found = -1;
	}
	return found;
}
