/* Resolution: from a request (esxcli's install/update/remove and profile
 * jobs) to a plan. This file turns the request into targets and libsolv
 * jobs, runs the solver (or, with --force, applies the targets as given)
 * and turns the outcome into the plan; resolve_pool.c maps packages to
 * libsolv, resolve_explain.c words the problems, resolve_files.c checks
 * file conflicts. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <solv/testcase.h>

#include "resolve_int.h"
#include "swim/error.h"
#include "swim/version.h"
#include "util/str.h"

static const char *const job_names[] = {
	[SWIM_RESOLVE_INSTALL] = "install",
	[SWIM_RESOLVE_UPDATE] = "update",
	[SWIM_RESOLVE_REMOVE] = "remove",
	[SWIM_RESOLVE_PROFILE_INSTALL] = "profile install",
	[SWIM_RESOLVE_PROFILE_UPDATE] = "profile update",
	[SWIM_RESOLVE_PROFILE_VALIDATE] = "profile validate",
};

const char *swim_resolve_job_name(swim_resolve_job job)
{
	if ((size_t)job < SWIM_ARRAY_SIZE(job_names))
		return job_names[job];
	return "unknown";
}

/* `rest` is "NAME" or "NAME:VERSION" of pkg. Versions are always the
 * end of a spec, so they are NUL-terminated where they stand. */
static bool name_version_match(const char *rest, const swim_package *pkg)
{
	size_t n = strlen(pkg->name);

	if (strncmp(rest, pkg->name, n) != 0)
		return false;
	if (rest[n] == '\0')
		return true;
	return rest[n] == ':' && rest[n + 1] != '\0' &&
	       swim_version_compare(rest + n + 1, pkg->version) == 0;
}

bool swim_resolve_spec_matches(const char *spec, const swim_package *pkg)
{
	size_t v;

	if (!spec || !pkg || !pkg->name || !pkg->version)
		return false;
	if (name_version_match(spec, pkg))
		return true;
	if (!pkg->vendor)
		return false;
	v = strlen(pkg->vendor);
	return strncmp(spec, pkg->vendor, v) == 0 && spec[v] == ':' &&
	       name_version_match(spec + v + 1, pkg);
}

/* Room for element n of an array grown in powers of two from 4: the
 * array itself (maybe moved), or NULL when out of memory. */
static void *room(void *v, size_t n, size_t size)
{
	size_t cap;

	if (v && (n < 4 || (n & (n - 1)) != 0))
		return v;
	cap = n < 4 ? 4 : n * 2;
	return realloc(v, cap * size);
}

static int item_push(swim_plan_item **v, size_t *n, const swim_plan_item *it)
{
	swim_plan_item *nv = room(*v, *n, sizeof(**v));

	if (!nv)
		return swim_error_oom();
	*v = nv;
	nv[(*n)++] = *it;
	return 0;
}

static int problem_push(swim_plan *plan, swim_problem_kind kind,
                        struct rtext *t, swim_plan_problem **out)
{
	swim_plan_problem *nv;
	char *msg;

	if (!(msg = rtext_take(t)))
		return swim_error_last_code();
	if (!(nv = room(plan->problems, plan->n_problems, sizeof(*nv)))) {
		free(msg);
		return swim_error_oom();
	}
	plan->problems = nv;
	nv += plan->n_problems++;
	memset(nv, 0, sizeof(*nv));
	/* Messages are sentences ("Installed VIB x requires ..."). */
	if (msg[0] >= 'a' && msg[0] <= 'z')
		msg[0] = (char)(msg[0] - 'a' + 'A');
	nv->kind = kind;
	nv->message = msg;
	if (out)
		*out = nv;
	return 0;
}

int resolve_problem_add(resolve_ctx *c, swim_problem_kind kind,
                        struct rtext *t, swim_plan_problem **out)
{
	if (out)
		*out = NULL;
	if (c->plan->n_problems >= c->lim->resolve_max_problems) {
		if (!c->problems_dropped++)
			c->dropped_kind = kind;
		rtext_dispose(t);
		return 0;
	}
	return problem_push(c->plan, kind, t, out);
}

int resolve_problem_add_solution(swim_plan_problem *pb, struct rtext *t)
{
	char **nv;
	char *text;

	if (!(text = rtext_take(t)))
		return swim_error_last_code();
	if (!(nv = room(pb->solutions, pb->n_solutions, sizeof(*nv)))) {
		free(text);
		return swim_error_oom();
	}
	pb->solutions = nv;
	nv[pb->n_solutions++] = text;
	return 0;
}

/* A skipped target; the reason follows "VIB <id> ". */
static int skip(resolve_ctx *c, Id p, const char *fmt, ...) SWIM_PRINTF(3, 4);
static int skip(resolve_ctx *c, Id p, const char *fmt, ...)
{
	swim_plan_item it = { 0 };
	struct rtext t;
	va_list ap;
	int rc;

	rtext_init(&t);
	rtext_printf(&t, "VIB %s ", resolve_pkg(c, p)->id);
	va_start(ap, fmt);
	rtext_vprintf(&t, fmt, ap);
	va_end(ap);
	it.pkg = resolve_pkg(c, p);
	it.origin = c->sv[p].rp->origin;
	it.change = SWIM_PLAN_SKIP;
	it.requested = true;
	MAPSET(&c->requested, p);
	if (!(it.reason = rtext_take(&t)))
		return swim_error_last_code();
	if ((rc = item_push(&c->plan->skip, &c->plan->n_skip, &it)) < 0)
		free(it.reason);
	return rc;
}

static void job_add(resolve_ctx *c, Id how, Id p)
{
	queue_push2(&c->job, how | SOLVER_SOLVABLE, p);
	MAPSET(&c->requested, p);
}

/* Is p a better choice than q: newer, then installed, then offered
 * first? */
static bool better(const resolve_ctx *c, Id p, Id q)
{
	int cmp = swim_version_compare(resolve_pkg(c, p)->version,
	                               resolve_pkg(c, q)->version);

	if (cmp != 0)
		return cmp > 0;
	if (c->sv[p].installed != c->sv[q].installed)
		return c->sv[p].installed;
	return p < q;
}

/* The best visible candidate of each name among cands (in place). When
 * a name has only hidden candidates, the newest of them is kept with a
 * negative sign, for the caller to explain. */
static void best_per_name(resolve_ctx *c, Queue *cands)
{
	Pool *pool = c->pool;
	Queue best;

	queue_init(&best);
	for (int i = 0; i < cands->count; i++) {
		Id p = cands->elements[i];
		bool vis = c->sv[p].installed || c->sv[p].hidden == HIDE_NONE;
		int k;

		for (k = 0; k < best.count; k++) {
			Id q = best.elements[k] < 0 ? -best.elements[k] : best.elements[k];

			if (pool->solvables[q].name == pool->solvables[p].name)
				break;
		}
		if (k == best.count)
			queue_push(&best, vis ? p : -p);
		else if (best.elements[k] < 0 ? vis || better(c, p, -best.elements[k])
		                               : vis && better(c, p, best.elements[k]))
			best.elements[k] = vis ? p : -p;
	}
	queue_free(cands);
	*cands = best;
}

static int not_found(resolve_ctx *c, const char *spec, const char *where)
{
	struct rtext t;

	rtext_init(&t);
	rtext_printf(&t, "No VIB matching VIB search specification '%s' %s.",
	             spec, where);
	return resolve_problem_add(c, SWIM_PROBLEM_NOT_FOUND, &t, NULL);
}

static int target_install(resolve_ctx *c, Id p)
{
	if (c->sv[p].installed)
		return skip(c, p, "is already installed");
	job_add(c, SOLVER_INSTALL, p);
	return 0;
}

/* vib update: an upgrade of an installed package, or skipped. When
 * implicit (update without names), only upgrades count. */
static int target_update(resolve_ctx *c, Id p, bool implicit)
{
	Id inst = c->sv[p].installed ? p : resolve_installed_same_name(c, p);
	int cmp;

	if (inst == p)
		return implicit ? 0 : skip(c, p, "is already installed");
	if (!inst)
		return skip(c, p, "is not installed, and update only upgrades "
		            "installed VIBs");
	cmp = swim_version_compare(resolve_pkg(c, p)->version,
	                           resolve_pkg(c, inst)->version);
	if (cmp > 0) {
		job_add(c, SOLVER_INSTALL, p);
		return 0;
	}
	if (implicit)
		return 0;
	return skip(c, p, cmp == 0 ? "has the same version as the installed VIB %s"
	                           : "is older than the installed VIB %s",
	            resolve_pkg(c, inst)->id);
}

static int target(resolve_ctx *c, Id p, bool implicit)
{
	if (MAPTST(&c->requested, p))
		return 0;  /* named twice */
	if (!c->sv[p].installed && c->sv[p].hidden == HIDE_ACCEPTANCE)
		return resolve_explain_acceptance(c, p);
	if (c->req->job == SWIM_RESOLVE_UPDATE)
		return target_update(c, p, implicit);
	return target_install(c, p);
}

static int targets_by_name(resolve_ctx *c)
{
	const swim_resolve_request *req = c->req;
	Queue q;
	int rc = 0;

	queue_init(&q);
	for (size_t i = 0; i < req->n_names && rc == 0; i++) {
		resolve_pool_find_spec(c, req->names[i], &q);
		if (req->job == SWIM_RESOLVE_REMOVE) {
			int n = 0;

			for (int k = 0; k < q.count; k++)
				if (c->sv[q.elements[k]].installed) {
					job_add(c, SOLVER_ERASE, q.elements[k]);
					n++;
				}
			if (!n)
				rc = not_found(c, req->names[i], "is installed");
			continue;
		}
		if (!q.count) {
			rc = not_found(c, req->names[i], "is available");
			continue;
		}
		best_per_name(c, &q);
		for (int k = 0; k < q.count && rc == 0; k++)
			rc = target(c, q.elements[k] < 0 ? -q.elements[k] : q.elements[k],
			            false);
	}
	queue_free(&q);
	return rc;
}

/* vib update without names or files: every installed name. */
static int targets_update_all(resolve_ctx *c)
{
	Pool *pool = c->pool;
	Queue q;
	int rc = 0;

	queue_init(&q);
	for (Id p = SYSTEMSOLVABLE + 1; p < pool->nsolvables && rc == 0; p++) {
		if (!c->sv[p].installed)
			continue;
		queue_empty(&q);
		for (Id o = c->by_name[pool->solvables[p].name]; o;
		     o = c->sv[o].next_same_name)
			queue_push(&q, o);
		best_per_name(c, &q);
		if (q.count && q.elements[0] > 0)
			rc = target_update(c, q.elements[0], true);
	}
	queue_free(&q);
	return rc;
}

static int target_profile_member(resolve_ctx *c, Id p)
{
	const swim_resolve_request *req = c->req;
	Id inst;
	int cmp;

	MAPSET(&c->members, p);
	if (!c->sv[p].installed && c->sv[p].hidden == HIDE_ACCEPTANCE)
		return resolve_explain_acceptance(c, p);
	if (c->sv[p].installed) {
		/* Installed members stay: an install job keeps them. */
		queue_push2(&c->job, SOLVER_INSTALL | SOLVER_SOLVABLE, p);
		return skip(c, p, "is already installed");
	}
	inst = resolve_installed_same_name(c, p);
	if (req->job != SWIM_RESOLVE_PROFILE_UPDATE || !inst) {
		job_add(c, SOLVER_INSTALL, p);
		return 0;
	}
	cmp = swim_version_compare(resolve_pkg(c, p)->version,
	                           resolve_pkg(c, inst)->version);
	if (cmp > 0 || (cmp < 0 && req->allow_downgrades)) {
		job_add(c, SOLVER_INSTALL, p);
		return 0;
	}
	return skip(c, p, cmp == 0 ? "has the same version as the installed VIB %s"
	                           : "is older than the installed VIB %s; use "
	                             "--allow-downgrades to downgrade",
	            resolve_pkg(c, inst)->id);
}

static int targets_profile(resolve_ctx *c)
{
	const swim_profile *prof = c->req->profile;
	Pool *pool = c->pool;
	int rc = 0;

	for (size_t i = 0; i < prof->n_vib_ids && rc == 0; i++) {
		Id p = resolve_pool_find_id(c, prof->vib_ids[i]);
		struct rtext t;

		if (p) {
			rc = target_profile_member(c, p);
			continue;
		}
		rtext_init(&t);
		rtext_printf(&t, "Image profile '%s' contains VIB %s, which no "
		             "depot offers.", prof->name, prof->vib_ids[i]);
		rc = resolve_problem_add(c, SWIM_PROBLEM_NOT_FOUND, &t, NULL);
	}
	if (c->req->job == SWIM_RESOLVE_PROFILE_UPDATE)
		return rc;
	/* profile install and validate: nothing else stays. */
	for (Id p = SYSTEMSOLVABLE + 1; p < pool->nsolvables && rc == 0; p++)
		if (c->sv[p].installed && !MAPTST(&c->members, p))
			queue_push2(&c->job, SOLVER_ERASE | SOLVER_SOLVABLE, p);
	return rc;
}

static int collect_targets(resolve_ctx *c)
{
	const swim_resolve_request *req = c->req;
	Pool *pool = c->pool;
	bool any_file = false;
	int rc;

	if (req->job >= SWIM_RESOLVE_PROFILE_INSTALL)
		return targets_profile(c);
	if ((rc = targets_by_name(c)) < 0)
		return rc;
	if (req->job == SWIM_RESOLVE_REMOVE)
		return 0;
	for (Id p = SYSTEMSOLVABLE + 1; p < pool->nsolvables && rc == 0; p++)
		if (MAPTST(&c->files, p)) {
			any_file = true;
			rc = target(c, p, false);
		}
	if (rc == 0 && req->job == SWIM_RESOLVE_UPDATE && !req->n_names &&
	    !any_file)
		rc = targets_update_all(c);
	return rc;
}

static int cmp_items(const void *a, const void *b)
{
	return strcmp(((const swim_plan_item *)a)->pkg->id,
	              ((const swim_plan_item *)b)->pkg->id);
}

static void sort_items(swim_plan_item *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_items);
}

/* The plan's install and remove lists from the packages that come and
 * the (package, replaced by) pairs that go. */
static int plan_build(resolve_ctx *c, const Queue *inst, const Queue *rem)
{
	Pool *pool = c->pool;
	swim_plan *plan = c->plan;
	int rc;

	for (int i = 0; i < inst->count; i++) {
		Id p = inst->elements[i], other = 0;
		swim_plan_item it = { 0 };

		it.pkg = resolve_pkg(c, p);
		it.origin = c->sv[p].rp->origin;
		it.requested = MAPTST(&c->requested, p);
		it.change = SWIM_PLAN_NEW;
		for (int k = 0; k < rem->count; k += 2) {
			Id q = rem->elements[k];

			if (pool->solvables[q].name == pool->solvables[p].name) {
				other = q;
				it.change = swim_version_compare(it.pkg->version,
				                                 resolve_pkg(c, q)->version) < 0 ?
				            SWIM_PLAN_DOWNGRADE : SWIM_PLAN_UPGRADE;
				break;
			}
			if (!other && rem->elements[k + 1] == p)
				other = q;
		}
		it.other = other ? resolve_pkg(c, other) : NULL;
		if ((rc = item_push(&plan->install, &plan->n_install, &it)) < 0)
			return rc;
	}
	for (int k = 0; k < rem->count; k += 2) {
		Id q = rem->elements[k], by = rem->elements[k + 1];
		swim_plan_item it = { 0 };

		it.pkg = resolve_pkg(c, q);
		it.requested = MAPTST(&c->requested, q);
		it.change = by ? SWIM_PLAN_REPLACED : SWIM_PLAN_REMOVE;
		it.other = by ? resolve_pkg(c, by) : NULL;
		if ((rc = item_push(&plan->remove, &plan->n_remove, &it)) < 0)
			return rc;
	}
	return 0;
}

/* --force: the targets as given. What comes replaces the installed
 * package of its name; nothing else is looked at. */
static int plan_forced(resolve_ctx *c)
{
	Queue inst, rem;
	int rc;

	queue_init(&inst);
	queue_init(&rem);
	for (int i = 0; i < c->job.count; i += 2) {
		Id how = c->job.elements[i] & SOLVER_JOBMASK;
		Id p = c->job.elements[i + 1];

		if (how == SOLVER_ERASE)
			queue_push2(&rem, p, 0);
		else if (!c->sv[p].installed)
			queue_push(&inst, p);
	}
	for (int i = 0; i < inst.count; i++) {
		Id p = inst.elements[i], q = resolve_installed_same_name(c, p);
		int k;

		if (!q)
			continue;
		for (k = 0; k < rem.count && rem.elements[k] != q; k += 2)
			;
		if (k < rem.count)
			rem.elements[k + 1] = p;
		else
			queue_push2(&rem, q, p);
	}
	rc = plan_build(c, &inst, &rem);
	queue_free(&inst);
	queue_free(&rem);
	return rc;
}

static int write_testcase(resolve_ctx *c)
{
	const char *dir = c->req->debug_dir;

	if (!testcase_write(c->solv, dir,
	                    TESTCASE_RESULT_TRANSACTION | TESTCASE_RESULT_PROBLEMS,
	                    NULL, NULL))
		return swim_error_set(SWIM_EIO, "writing the solver testcase to %s: %s",
		                      dir, pool_errstr(c->pool));
	return 0;
}

static int plan_solved(resolve_ctx *c)
{
	Pool *pool = c->pool;
	Queue inst, rem;
	int rc = 0;

	pool_createwhatprovides(pool);
	resolve_pool_override_matching(c);
	c->solv = solver_create(pool);
	/* Names, not vendors, make a package's identity on a host. */
	solver_set_flag(c->solv, SOLVER_FLAG_ALLOW_VENDORCHANGE, 1);
	queue_init(&inst);
	queue_init(&rem);
	if (solver_solve(c->solv, &c->job) != 0) {
		rc = resolve_explain_solver(c);
	} else {
		c->trans = solver_create_transaction(c->solv);
		for (int i = 0; i < c->trans->steps.count; i++) {
			Id p = c->trans->steps.elements[i];

			if (c->sv[p].installed)
				queue_push2(&rem, p, transaction_obs_pkg(c->trans, p));
			else
				queue_push(&inst, p);
		}
		rc = plan_build(c, &inst, &rem);
	}
	if (rc == 0 && c->req->debug_dir)
		rc = write_testcase(c);
	queue_free(&inst);
	queue_free(&rem);
	return rc;
}

/* profile install: removing what the profile lacks needs ok_to_remove. */
static int check_removals(resolve_ctx *c)
{
	const swim_plan *plan = c->plan;
	struct rtext t;
	size_t n = 0;

	for (size_t i = 0; i < plan->n_remove; i++)
		n += plan->remove[i].change == SWIM_PLAN_REMOVE;
	if (!n)
		return 0;
	rtext_init(&t);
	rtext_printf(&t, "Installing image profile '%s' would remove %zu installed "
	             "VIB%s that it does not contain:", c->req->profile->name, n,
	             n == 1 ? "" : "s");
	for (size_t i = 0, k = 0; i < plan->n_remove; i++) {
		if (plan->remove[i].change != SWIM_PLAN_REMOVE)
			continue;
		if (k++ == 20) {
			rtext_printf(&t, " and %zu more", n - 20);
			break;
		}
		rtext_printf(&t, "%s %s", k > 1 ? "," : "", plan->remove[i].pkg->id);
	}
	rtext_printf(&t, ". Use --ok-to-remove to remove them, or profile update "
	             "to keep them.");
	return resolve_problem_add(c, SWIM_PROBLEM_REMOVAL, &t, NULL);
}

static const int kind_codes[] = {
	[SWIM_PROBLEM_NOT_FOUND] = SWIM_ENOTFOUND,
	[SWIM_PROBLEM_ACCEPTANCE] = SWIM_EACCEPTANCE,
	[SWIM_PROBLEM_DEPENDENCY] = SWIM_EDEPENDENCY,
	[SWIM_PROBLEM_FILE_CONFLICT] = SWIM_ECONFLICT,
	[SWIM_PROBLEM_REMOVAL] = SWIM_EDEPENDENCY,
};

/* The error for a plan with problems: every message (and its
 * solutions), one per line. */
static int plan_error(resolve_ctx *c)
{
	const swim_plan *plan = c->plan;
	swim_buf b = SWIM_BUF_INIT(16384);
	int code = kind_codes[plan->problems[0].kind];

	for (size_t i = 0; i < plan->n_problems; i++) {
		const swim_plan_problem *pb = &plan->problems[i];

		(void)swim_buf_printf(&b, "%s%s", i ? "\n" : "", pb->message);
		for (size_t k = 0; k < pb->n_solutions; k++)
			(void)swim_buf_printf(&b, "\n  solution: %s", pb->solutions[k]);
	}
	/* A message cut by the cap is still the start of the list. */
	swim_error_set(code, "%s", b.ptr);
	swim_buf_dispose(&b);
	return code;
}

static int check_request(const swim_resolve_request *req)
{
	if ((size_t)req->job >= SWIM_ARRAY_SIZE(job_names))
		return swim_error_set(SWIM_EINVAL, "resolve: unknown job %d",
		                      (int)req->job);
	if (req->host_level < SWIM_ACCEPTANCE_COMMUNITY ||
	    req->host_level > SWIM_ACCEPTANCE_CERTIFIED)
		return swim_error_set(SWIM_EINVAL,
		                      "resolve: the host acceptance level is not set");
	if (req->job >= SWIM_RESOLVE_PROFILE_INSTALL && !req->profile)
		return swim_error_set(SWIM_EINVAL, "resolve: %s needs a profile",
		                      swim_resolve_job_name(req->job));
	if ((req->n_installed && !req->installed) ||
	    (req->n_available && !req->available) ||
	    (req->n_names && !req->names))
		return swim_error_set(SWIM_EINVAL, "resolve: a list is NULL");
	for (size_t i = 0; i < req->n_names; i++)
		if (!req->names[i] || !req->names[i][0])
			return swim_error_set(SWIM_EINVAL, "resolve: empty VIB name");
	if (req->job == SWIM_RESOLVE_REMOVE && !req->n_names)
		return swim_error_set(SWIM_EINVAL, "resolve: remove needs VIB names");
	return 0;
}

static void ctx_dispose(resolve_ctx *c)
{
	if (c->trans)
		transaction_free(c->trans);
	if (c->solv)
		solver_free(c->solv);
	if (c->pool) {
		c->pool->considered = NULL;
		pool_free(c->pool);
	}
	map_free(&c->considered);
	map_free(&c->files);
	map_free(&c->requested);
	map_free(&c->members);
	queue_free(&c->used_rels);
	queue_free(&c->job);
	free(c->sv);
	free(c->by_name);
	swim_strmap_dispose(&c->by_id);
}

int swim_resolve_plan(swim_plan **out, const swim_resolve_request *req)
{
	resolve_ctx c = { 0 };
	swim_plan *plan = NULL;
	bool validate;
	int rc;

	*out = NULL;
	if (!req)
		return swim_error_set(SWIM_EINVAL, "resolve: no request");
	if ((rc = check_request(req)) < 0)
		return rc;
	validate = req->job == SWIM_RESOLVE_PROFILE_VALIDATE;
	c.req = req;
	c.lim = req->lim ? req->lim : swim_limits_default();
	c.force = req->force && !validate;
	map_init(&c.considered, 0);
	map_init(&c.files, 0);
	map_init(&c.requested, 0);
	map_init(&c.members, 0);
	queue_init(&c.used_rels);
	queue_init(&c.job);
	if (!(plan = c.plan = calloc(1, sizeof(*plan)))) {
		rc = swim_error_oom();
		goto out;
	}
	plan->job = req->job;
	plan->forced = c.force;
	plan->sig_unchecked = req->no_sig_check;

	if ((rc = resolve_pool_build(&c)) < 0 ||
	    (rc = collect_targets(&c)) < 0)
		goto out;
	if (!plan->n_problems || validate) {
		resolve_pool_set_hidden(&c);
		rc = c.force ? plan_forced(&c) : plan_solved(&c);
		if (rc == 0 && !plan->n_problems)
			rc = resolve_check_files(&c);
		if (rc == 0 && req->job == SWIM_RESOLVE_PROFILE_INSTALL &&
		    !req->ok_to_remove)
			rc = check_removals(&c);
		if (rc < 0)
			goto out;
	}
	if (c.problems_dropped) {
		struct rtext t;

		rtext_init(&t);
		rtext_printf(&t, "%zu more problems are not shown", c.problems_dropped);
		if ((rc = problem_push(plan, c.dropped_kind, &t, NULL)) < 0)
			goto out;
	}
	sort_items(plan->install, plan->n_install);
	sort_items(plan->remove, plan->n_remove);
	sort_items(plan->skip, plan->n_skip);
	plan->compliant = validate && !plan->n_install && !plan->n_remove &&
	                  !plan->n_problems;
	rc = plan->n_problems && !validate ? plan_error(&c) : 0;
	*out = plan;
	plan = NULL;
out:
	swim_plan_free(plan);
	ctx_dispose(&c);
	return rc;
}

static void items_free(swim_plan_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].reason);
	free(v);
}

void swim_plan_free(swim_plan *plan)
{
	if (!plan)
		return;
	items_free(plan->install, plan->n_install);
	items_free(plan->remove, plan->n_remove);
	items_free(plan->skip, plan->n_skip);
	for (size_t i = 0; i < plan->n_problems; i++) {
		for (size_t k = 0; k < plan->problems[i].n_solutions; k++)
			free(plan->problems[i].solutions[k]);
		free(plan->problems[i].solutions);
		free(plan->problems[i].message);
	}
	free(plan->problems);
	free(plan);
}
