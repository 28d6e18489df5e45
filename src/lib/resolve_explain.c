/* Problems in plain words: libsolv says which rule failed; this file says
 * which package needs which constraint and why nothing satisfies it,
 * naming packages by id and relations as descriptors write them. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "resolve_int.h"

#include <solv/util.h>
#include "swim/error.h"
#include "swim/version.h"

/* The longest message: enough for a few dozen ids. */
#define RTEXT_MAX 16384
/* Extra sentences from the other rules of one problem. */
#define EXTRA_RULES_MAX 4
/* Versions listed when a constraint matches none of them. */
#define VERSIONS_MAX 8

void rtext_init(struct rtext *t)
{
	swim_buf_init(&t->b, RTEXT_MAX);
	t->rc = 0;
}

void rtext_vprintf(struct rtext *t, const char *fmt, va_list ap)
{
	if (t->rc == 0)
		t->rc = swim_buf_vprintf(&t->b, fmt, ap);
}

void rtext_printf(struct rtext *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rtext_vprintf(t, fmt, ap);
	va_end(ap);
}

char *rtext_take(struct rtext *t)
{
	char *s = NULL;

	if (t->rc < 0)
		swim_error_prefix("wording a resolver message: ");
	else if (!(s = swim_buf_detach(&t->b)))
		swim_error_oom();
	swim_buf_dispose(&t->b);
	return s;
}

void rtext_dispose(struct rtext *t)
{
	swim_buf_dispose(&t->b);
}

static bool known(const resolve_ctx *c, Id p)
{
	return p > SYSTEMSOLVABLE && p < c->pool->nsolvables && c->sv[p].rp;
}

/* A package's id; libsolv's name for a solvable that is none of swim's
 * (which the solver should never name). */
static const char *id_of(const resolve_ctx *c, Id p)
{
	return known(c, p) ? c->sv[p].rp->pkg->id : pool_solvid2str(c->pool, p);
}

void rtext_pkg(struct rtext *t, const resolve_ctx *c, Id p)
{
	rtext_printf(t, "%sVIB %s", known(c, p) && c->sv[p].installed ?
	             "installed " : "", id_of(c, p));
}

void rtext_dep(struct rtext *t, Pool *pool, Id dep)
{
	static const char *const rels[8] = {
		[REL_LT] = "<<", [REL_LT | REL_EQ] = "<=", [REL_EQ] = "=",
		[REL_GT | REL_EQ] = ">=", [REL_GT] = ">>",
	};
	Reldep *rd;

	if (!ISRELDEP(dep)) {
		rtext_printf(t, "%s", pool_id2str(pool, dep));
		return;
	}
	rd = GETRELDEP(pool, dep);
	if (rd->flags < 8 && rels[rd->flags])
		rtext_printf(t, "%s %s %s", pool_id2str(pool, rd->name),
		             rels[rd->flags], pool_id2str(pool, rd->evr));
	else
		rtext_printf(t, "%s", pool_dep2str(pool, dep));
}

void resolve_acceptance_text(struct rtext *t, const resolve_ctx *c, Id p)
{
	const swim_resolve_pkg *rp = c->sv[p].rp;
	swim_acceptance level = resolve_level(c, p);

	rtext_printf(t, "VIB %s's acceptance level is %s, which is not compliant "
	             "with the host acceptance level %s", rp->pkg->id,
	             swim_acceptance_name(level),
	             swim_acceptance_name(c->req->host_level));
}

int resolve_explain_acceptance(resolve_ctx *c, Id p)
{
	const swim_package *pkg = resolve_pkg(c, p);
	struct rtext t;

	rtext_init(&t);
	resolve_acceptance_text(&t, c, p);
	rtext_printf(&t, ".");
	if (!c->req->no_sig_check &&
	    swim_acceptance_compare(c->sv[p].rp->proven, pkg->acceptance) < 0)
		rtext_printf(&t, " It claims %s, but its signature does not prove "
		             "it.", swim_acceptance_name(pkg->acceptance));
	rtext_printf(&t, " To change the host acceptance level, use the 'swim "
	             "acceptance set' command.");
	return resolve_problem_add(c, SWIM_PROBLEM_ACCEPTANCE, &t, NULL);
}

static int cmp_evr(const void *a, const void *b, void *pool)
{
	return swim_version_compare(pool_id2str(pool, *(const Id *)a),
	                            pool_id2str(pool, *(const Id *)b));
}

/* Why nothing the solver may use satisfies dep: a provider hidden by
 * the acceptance level or the profile, only other versions, an
 * unversioned provide, or nothing at all. */
static void why_missing(struct rtext *t, resolve_ctx *c, Id dep)
{
	Pool *pool = c->pool;
	Id name = ISRELDEP(dep) ? GETRELDEP(pool, dep)->name : dep;
	Id by_level = 0, by_profile = 0, usable = 0, unversioned = 0;
	Id evrs[VERSIONS_MAX];
	int n_evrs = 0, more = 0;

	for (Id p = SYSTEMSOLVABLE + 1; p < pool->nsolvables; p++) {
		Id evr = 0;
		int m;

		if (!c->sv[p].rp)
			continue;
		m = resolve_pool_provider_match(c, p, dep, &evr);
		if (m > 0) {
			if (c->sv[p].installed || c->sv[p].hidden == HIDE_NONE)
				usable = usable ? usable : p;
			else if (c->sv[p].hidden == HIDE_ACCEPTANCE)
				by_level = by_level ? by_level : p;
			else
				by_profile = by_profile ? by_profile : p;
		} else if (m < 0 && !evr) {
			unversioned = unversioned ? unversioned : p;
		} else if (m < 0) {
			int k;

			for (k = 0; k < n_evrs && evrs[k] != evr; k++)
				;
			if (k == n_evrs && n_evrs < VERSIONS_MAX)
				evrs[n_evrs++] = evr;
			else if (k == n_evrs)
				more++;
		}
	}
	if (by_level) {
		rtext_printf(t, "the only VIBs that satisfy it are below the host "
		             "acceptance level: ");
		resolve_acceptance_text(t, c, by_level);
	} else if (by_profile) {
		rtext_printf(t, "the image profile does not contain VIB %s, which "
		             "satisfies it", id_of(c, by_profile));
	} else if (usable) {
		rtext_printf(t, "VIB %s, which satisfies it, cannot be installed",
		             id_of(c, usable));
	} else if (n_evrs) {
		solv_sort(evrs, (size_t)n_evrs, sizeof(Id), cmp_evr, pool);
		rtext_printf(t, "only other versions of %s are available:",
		             pool_id2str(pool, name));
		for (int k = 0; k < n_evrs; k++)
			rtext_printf(t, "%s %s", k ? "," : "", pool_id2str(pool, evrs[k]));
		if (more)
			rtext_printf(t, " and %d more", more);
	} else if (unversioned) {
		rtext_printf(t, "VIB %s provides %s without a version, which does not "
		             "satisfy a versioned requirement",
		             id_of(c, unversioned), pool_id2str(pool, name));
	} else {
		rtext_printf(t, "no VIB provides %s", pool_id2str(pool, name));
	}
}

/* "<s> <verb> <dep>" */
static void pkg_dep(struct rtext *t, resolve_ctx *c, Id s, const char *verb,
                    Id dep)
{
	rtext_pkg(t, c, s);
	rtext_printf(t, " %s ", verb);
	rtext_dep(t, c->pool, dep);
}

/* "<s> <verb> <dep>, which <o> provides<tail>" */
static void pkg_dep_provider(struct rtext *t, resolve_ctx *c, Id s,
                             const char *verb, Id dep, Id o, const char *tail)
{
	pkg_dep(t, c, s, verb, dep);
	rtext_printf(t, ", which ");
	rtext_pkg(t, c, o);
	rtext_printf(t, " provides%s", tail);
}

static bool is_erase_target(const resolve_ctx *c, Id p)
{
	for (int i = 0; i < c->job.count; i += 2)
		if ((c->job.elements[i] & SOLVER_JOBMASK) == SOLVER_ERASE &&
		    c->job.elements[i + 1] == p)
			return true;
	return false;
}

/* The package the request installs in place of installed p, or 0. */
static Id replacing_target(const resolve_ctx *c, Id p)
{
	const Solvable *s = c->pool->solvables + p;

	if (!known(c, p) || !c->sv[p].installed)
		return 0;
	for (int i = 0; i < c->job.count; i += 2) {
		Id q = c->job.elements[i + 1];

		if ((c->job.elements[i] & SOLVER_JOBMASK) == SOLVER_INSTALL &&
		    q != p && c->pool->solvables[q].name == s->name)
			return q;
	}
	return 0;
}

/* s requires dep, there are providers, and none can be installed: the
 * request removes or replaces them, or each has a problem of its own
 * (the other rules of the problem say which). */
static void requires_unmet(struct rtext *t, resolve_ctx *c, Id s, Id dep)
{
	Pool *pool = c->pool;
	Id p, q, *pp;
	int n = 0;

	for (pp = pool_whatprovides_ptr(pool, dep); (p = *pp); pp++) {
		if (is_erase_target(c, p)) {
			rtext_printf(t, "VIB %s cannot be removed: ", id_of(c, p));
			pkg_dep(t, c, s, "requires", dep);
			return;
		}
		if ((q = replacing_target(c, p))) {
			rtext_printf(t, "VIB %s cannot replace installed VIB %s: ",
			             id_of(c, q), id_of(c, p));
			pkg_dep(t, c, s, "requires", dep);
			return;
		}
	}
	pkg_dep(t, c, s, "requires", dep);
	rtext_printf(t, ", but none of the VIBs that provide it can be installed (");
	for (pp = pool_whatprovides_ptr(pool, dep); (p = *pp); pp++) {
		if (n++ == 5) {
			rtext_printf(t, ", ...");
			break;
		}
		rtext_printf(t, "%s%s", n > 1 ? ", " : "", id_of(c, p));
	}
	rtext_printf(t, ")");
}

static void two_of_a_name(struct rtext *t, resolve_ctx *c, Id s, Id o)
{
	rtext_pkg(t, c, s);
	rtext_printf(t, " and ");
	rtext_pkg(t, c, o);
	rtext_printf(t, " cannot both be installed: only one version of %s can be",
	             pool_id2str(c->pool, c->pool->solvables[s].name));
}

/* One rule in words. False for rules that say nothing about packages
 * (the request itself, learnt rules), which are only worth words when
 * nothing else is there. */
static bool explain_rule(struct rtext *t, resolve_ctx *c, Id rid, bool main)
{
	Pool *pool = c->pool;
	Id s = 0, o = 0, dep = 0;
	SolverRuleinfo type = solver_ruleinfo(c->solv, rid, &s, &o, &dep);

	switch (type) {
	case SOLVER_RULE_PKG_NOTHING_PROVIDES_DEP:
		pkg_dep(t, c, s, "requires", dep);
		rtext_printf(t, ", but ");
		why_missing(t, c, dep);
		return true;
	case SOLVER_RULE_PKG_REQUIRES:
		requires_unmet(t, c, s, dep);
		return true;
	case SOLVER_RULE_PKG_CONFLICTS:
		pkg_dep_provider(t, c, s, "conflicts with", dep, o, "");
		return true;
	case SOLVER_RULE_PKG_SELF_CONFLICT:
		pkg_dep(t, c, s, "conflicts with", dep);
		rtext_printf(t, ", which it provides itself");
		return true;
	case SOLVER_RULE_PKG_SAME_NAME:
	case SOLVER_RULE_PKG_IMPLICIT_OBSOLETES:
		two_of_a_name(t, c, s, o);
		return true;
	case SOLVER_RULE_PKG_OBSOLETES:
	case SOLVER_RULE_PKG_INSTALLED_OBSOLETES:
		if (pool->solvables[s].name == pool->solvables[o].name) {
			two_of_a_name(t, c, s, o);
			return true;
		}
		pkg_dep_provider(t, c, s, "replaces", dep, o,
		                 ", so they cannot both be installed");
		return true;
	case SOLVER_RULE_PKG_NOT_INSTALLABLE:
		if (known(c, s) && !c->sv[s].installed &&
		    c->sv[s].hidden == HIDE_ACCEPTANCE)
			resolve_acceptance_text(t, c, s);
		else {
			rtext_pkg(t, c, s);
			rtext_printf(t, " cannot be installed");
		}
		return true;
	case SOLVER_RULE_UPDATE:
	case SOLVER_RULE_FEATURE:
		if (!main)
			return false;
		rtext_pkg(t, c, s);
		rtext_printf(t, " would have to be removed or downgraded, which this "
		             "request does not allow");
		return true;
	default:
		if (!main)
			return false;
		rtext_printf(t, "%s", solver_problemruleinfo2str(c->solv, type, s, o,
		                                                 dep));
		return true;
	}
}

static void explain_element(struct rtext *t, resolve_ctx *c, Id p, Id rp)
{

	/* A job element names the job by the index of its second half. */
	if (p == SOLVER_SOLUTION_JOB && rp > 0 && rp < c->job.count) {
		Id how = c->job.elements[rp - 1], what = c->job.elements[rp];

		if ((how & SOLVER_SELECTMASK) != SOLVER_SOLVABLE || !known(c, what))
			rtext_printf(t, "%s", solver_solutionelement2str(c->solv, p, rp));
		else if ((how & SOLVER_JOBMASK) == SOLVER_ERASE)
			rtext_printf(t, "do not remove VIB %s", id_of(c, what));
		else if (c->sv[what].installed)
			rtext_printf(t, "do not keep VIB %s", id_of(c, what));
		else
			rtext_printf(t, "do not install VIB %s", id_of(c, what));
	} else if (known(c, p) && rp == 0) {
		rtext_printf(t, "%s VIB %s", c->sv[p].installed ? "remove" :
		             "do not install", id_of(c, p));
	} else if (known(c, p) && known(c, rp)) {
		int cmp = swim_version_compare(resolve_pkg(c, rp)->version,
		                               resolve_pkg(c, p)->version);

		rtext_printf(t, "%s VIB %s with VIB %s",
		             cmp < 0 ? "downgrade" : cmp > 0 ? "upgrade" : "replace",
		             id_of(c, p), id_of(c, rp));
	} else {
		rtext_printf(t, "%s", solver_solutionelement2str(c->solv, p, rp));
	}
}

static int add_solutions(resolve_ctx *c, Id problem, swim_plan_problem *pb)
{
	Id n = (Id)solver_solution_count(c->solv, problem);
	int rc = 0;

	for (Id sol = 1; sol <= n && rc == 0; sol++) {
		struct rtext t;
		Id el = 0, p, rp;
		int k = 0;

		rtext_init(&t);
		while ((el = solver_next_solutionelement(c->solv, problem, sol, el,
		                                         &p, &rp)) != 0) {
			if (k++)
				rtext_printf(&t, ", and ");
			explain_element(&t, c, p, rp);
		}
		rc = resolve_problem_add_solution(pb, &t);
	}
	return rc;
}

int resolve_explain_solver(resolve_ctx *c)
{
	Id n = (Id)solver_problem_count(c->solv);
	Queue rules;
	int rc = 0;

	queue_init(&rules);
	for (Id problem = 1; problem <= n && rc == 0; problem++) {
		Id main = solver_findproblemrule(c->solv, problem);
		swim_plan_problem *pb;
		struct rtext t, more;
		int extra = 0;

		rtext_init(&t);
		explain_rule(&t, c, main, true);
		/* The other rules say why the alternatives failed too; each
		 * distinct one adds a sentence. */
		solver_findallproblemrules(c->solv, problem, &rules);
		for (int i = 0; i < rules.count && extra < EXTRA_RULES_MAX; i++) {
			if (rules.elements[i] == main)
				continue;
			rtext_init(&more);
			if (explain_rule(&more, c, rules.elements[i], false) &&
			    more.rc == 0 && !strstr(t.b.ptr, more.b.ptr)) {
				rtext_printf(&t, ". %s", more.b.ptr);
				extra++;
			}
			rtext_dispose(&more);
		}
		rtext_printf(&t, ".");
		if ((rc = resolve_problem_add(c, SWIM_PROBLEM_DEPENDENCY, &t, &pb)) < 0)
			break;
		if (pb)
			rc = add_solutions(c, problem, pb);
	}
	queue_free(&rules);
	return rc;
}
