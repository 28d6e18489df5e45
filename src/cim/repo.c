#include <stdlib.h>
#include <string.h>

#include "cim/internal.h"
#include "cim/name.h"
#include "cim/repo.h"
#include "cim/repo_internal.h"
#include "swim/error.h"
#include "util/str.h"

/* Namespaces ------------------------------------------------------------- */

int swim_cim_repo_new(swim_cim_repo **out, const swim_limits *lim)
{
	swim_cim_repo *repo;

	*out = NULL;
	if (!(repo = calloc(1, sizeof(*repo))))
		return swim_error_oom();
	repo->lim = lim ? *lim : *swim_limits_default();
	*out = repo;
	return 0;
}

int swim_cim_repo_new_default(swim_cim_repo **out, const swim_limits *lim)
{
	swim_cim_repo *repo = NULL;
	int rc;

	*out = NULL;
	if ((rc = swim_cim_repo_new(&repo, lim)) < 0)
		return rc;
	if ((rc = swim_cim_repo_add_namespace(repo, SWIM_CIM_NS_CIMV2)) < 0 ||
	    (rc = swim_cim_repo_add_namespace(repo, SWIM_CIM_NS_INTEROP)) < 0 ||
	    (rc = swim_cim_repo_add_alias(repo, "interop",
	                                  SWIM_CIM_NS_INTEROP)) < 0) {
		swim_cim_repo_free(repo);
		return rc;
	}
	*out = repo;
	return 0;
}

static void entry_free(struct swim_cim__class_entry *e)
{
	if (!e)
		return;
	swim_cim_class_free(e->cls);
	free(e->children.v);
	for (size_t i = 0; i < e->insts.n; i++)
		swim_cim_instance_free(e->insts.v[i]);
	free(e->insts.v);
	free(e);
}

static void ns_free(struct swim_cim__ns *ns)
{
	if (!ns)
		return;
	for (size_t i = 0; i < ns->classes.n; i++)
		entry_free(ns->classes.v[i]);
	free(ns->classes.v);
	swim_cim_map_dispose(&ns->class_map);
	for (size_t i = 0; i < ns->decls.n; i++)
		swim_cim_qualifier_decl_free(ns->decls.v[i]);
	free(ns->decls.v);
	swim_cim_map_dispose(&ns->decl_map);
	free(ns->name);
	free(ns);
}

void swim_cim_repo_free(swim_cim_repo *repo)
{
	if (!repo)
		return;
	for (size_t i = 0; i < repo->ns.n; i++)
		ns_free(repo->ns.v[i]);
	free(repo->ns.v);
	for (size_t i = 0; i < repo->aliases.n; i++)
		free(repo->aliases.v[i]);
	free(repo->aliases.v);
	swim_cim_map_dispose(&repo->ns_map);
	free(repo);
}

const swim_limits *swim_cim_repo_limits(const swim_cim_repo *repo)
{
	return &repo->lim;
}

int swim_cim__ptrs_push(swim_cim__ptrs *a, void *p)
{
	void **grown;

	/* Capacity is the next power of two of n. */
	if ((a->n & (a->n - 1)) == 0) {
		if (!(grown = realloc(a->v, (a->n ? a->n * 2 : 1) * sizeof(*grown))))
			return swim_error_oom();
		a->v = grown;
	}
	a->v[a->n++] = p;
	return 0;
}

int swim_cim_repo_add_namespace(swim_cim_repo *repo, const char *name)
{
	struct swim_cim__ns *ns;
	int rc;

	if ((rc = swim_cim__ns_check(name, &repo->lim)) < 0)
		return rc;
	if (swim_cim_map_get(&repo->ns_map, name))
		return swim_error_set(SWIM_EEXISTS, "namespace %s exists already",
		                      name);
	if (!(ns = calloc(1, sizeof(*ns))))
		return swim_error_oom();
	if (!(ns->name = swim_strdup(name))) {
		free(ns);
		return SWIM_ENOMEM;
	}
	if ((rc = swim_cim__ptrs_push(&repo->ns, ns)) < 0) {
		ns_free(ns);
		return rc;
	}
	if ((rc = swim_cim_map_put(&repo->ns_map, ns->name, ns)) < 0) {
		repo->ns.n--;
		ns_free(ns);
		return rc;
	}
	return 0;
}

int swim_cim_repo_add_alias(swim_cim_repo *repo, const char *alias,
                            const char *name)
{
	struct swim_cim__ns *ns = swim_cim_map_get(&repo->ns_map, name);
	char *copy;
	int rc;

	if ((rc = swim_cim__ns_check(alias, &repo->lim)) < 0)
		return rc;
	if (!ns)
		return swim_error_set(SWIM_ENOTFOUND,
		                      "namespace %s does not exist", name);
	if (swim_cim_map_get(&repo->ns_map, alias))
		return swim_error_set(SWIM_EEXISTS, "namespace %s exists already",
		                      alias);
	if (!(copy = swim_strdup(alias)))
		return SWIM_ENOMEM;
	if ((rc = swim_cim__ptrs_push(&repo->aliases, copy)) < 0) {
		free(copy);
		return rc;
	}
	return swim_cim_map_put(&repo->ns_map, copy, ns);
}

struct swim_cim__ns *swim_cim__repo_ns(const swim_cim_repo *repo,
                                       const char *name)
{
	return name ? swim_cim_map_get(&repo->ns_map, name) : NULL;
}

const char *swim_cim_repo_namespace(const swim_cim_repo *repo,
                                    const char *name)
{
	struct swim_cim__ns *ns = swim_cim__repo_ns(repo, name);

	return ns ? ns->name : NULL;
}

int swim_cim_repo_each_namespace(const swim_cim_repo *repo,
                                 swim_cim_repo_ns_fn fn, void *ctx)
{
	int rc;

	for (size_t i = 0; i < repo->ns.n; i++) {
		const struct swim_cim__ns *ns = repo->ns.v[i];

		if ((rc = fn(ns->name, ctx)) != 0)
			return rc;
	}
	return 0;
}

int swim_cim__no_ns(const char *name)
{
	return swim_error_set(SWIM_ENOTFOUND, "namespace %s does not exist",
	                      name ? name : "(none)");
}

/* Qualifier declarations ------------------------------------------------- */

int swim_cim_repo_add_qualifier_decl(swim_cim_repo *repo, const char *name,
                                     swim_cim_qualifier_decl *decl)
{
	struct swim_cim__ns *ns = swim_cim__repo_ns(repo, name);
	int rc;

	if (!ns)
		return swim_cim__no_ns(name);
	if (swim_cim_map_get(&ns->decl_map, decl->name))
		return swim_error_set(SWIM_EEXISTS,
		                      "qualifier %s is declared already",
		                      decl->name);
	if (!decl->scope)
		return swim_error_set(SWIM_EINVAL,
		                      "qualifier %s: a declaration needs a scope",
		                      decl->name);
	if ((rc = swim_cim_value_coerce(&decl->value, decl->type, decl->array,
	                                NULL)) < 0)
		return swim_error_prefix("qualifier %s: default value: ",
		                         decl->name);
	decl->flavor &= ~(unsigned)SWIM_CIM_FLAVOR_EXPLICIT;
	if ((rc = swim_cim__ptrs_push(&ns->decls, decl)) < 0)
		return rc;
	if ((rc = swim_cim_map_put(&ns->decl_map, decl->name, decl)) < 0) {
		ns->decls.n--;
		return rc;
	}
	return 0;
}

const swim_cim_qualifier_decl *swim_cim_repo_qualifier_decl(
	const swim_cim_repo *repo, const char *name, const char *qualifier)
{
	struct swim_cim__ns *ns = swim_cim__repo_ns(repo, name);

	return ns ? swim_cim_map_get(&ns->decl_map, qualifier) : NULL;
}

int swim_cim_repo_each_qualifier_decl(const swim_cim_repo *repo,
                                      const char *name,
                                      swim_cim_repo_decl_fn fn, void *ctx)
{
	struct swim_cim__ns *ns = swim_cim__repo_ns(repo, name);
	int rc;

	if (!ns)
		return swim_cim__no_ns(name);
	for (size_t i = 0; i < ns->decls.n; i++)
		if ((rc = fn(ns->decls.v[i], ctx)) != 0)
			return rc;
	return 0;
}

/* Classes ---------------------------------------------------------------- */

struct swim_cim__class_entry *swim_cim__repo_entry(
	const struct swim_cim__ns *ns, const char *name)
{
	return ns && name ? swim_cim_map_get(&ns->class_map, name) : NULL;
}

int swim_cim__repo_insert(struct swim_cim__ns *ns,
                          struct swim_cim__class_entry *parent,
                          swim_cim_class *cls)
{
	struct swim_cim__class_entry *e;
	int rc;

	if (!(e = calloc(1, sizeof(*e))))
		return swim_error_oom();
	e->parent = parent;
	if ((rc = swim_cim__ptrs_push(&ns->classes, e)) < 0) {
		free(e);
		return rc;
	}
	if (parent && (rc = swim_cim__ptrs_push(&parent->children, e)) < 0)
		goto fail;
	if ((rc = swim_cim_map_put(&ns->class_map, cls->name, e)) < 0) {
		if (parent)
			parent->children.n--;
		goto fail;
	}
	e->cls = cls;
	return 0;
fail:
	ns->classes.n--;
	free(e);
	return rc;
}

const swim_cim_class *swim_cim_repo_class(const swim_cim_repo *repo,
                                          const char *name,
                                          const char *classname)
{
	struct swim_cim__class_entry *e =
		swim_cim__repo_entry(swim_cim__repo_ns(repo, name), classname);

	return e ? e->cls : NULL;
}

bool swim_cim_repo_is_subclass(const swim_cim_repo *repo, const char *name,
                               const char *sub, const char *super)
{
	struct swim_cim__ns *ns = swim_cim__repo_ns(repo, name);
	struct swim_cim__class_entry *e = swim_cim__repo_entry(ns, sub);
	struct swim_cim__class_entry *s = swim_cim__repo_entry(ns, super);

	for (; e && s; e = e->parent)
		if (e == s)
			return true;
	return false;
}

static int each_below(const swim_cim__ptrs *v, bool deep,
                      swim_cim_repo_class_fn fn, void *ctx)
{
	int rc;

	for (size_t i = 0; i < v->n; i++) {
		const struct swim_cim__class_entry *e = v->v[i];

		if ((rc = fn(e->cls, ctx)) != 0)
			return rc;
		if (deep && (rc = each_below(&e->children, deep, fn, ctx)) != 0)
			return rc;
	}
	return 0;
}

int swim_cim_repo_each_class(const swim_cim_repo *repo, const char *name,
                             const char *classname, bool deep,
                             swim_cim_repo_class_fn fn, void *ctx)
{
	struct swim_cim__ns *ns = swim_cim__repo_ns(repo, name);
	struct swim_cim__class_entry *e;
	int rc;

	if (!ns)
		return swim_cim__no_ns(name);
	if (classname) {
		if (!(e = swim_cim__repo_entry(ns, classname)))
			return swim_error_set(SWIM_ENOTFOUND,
			                      "no class %s in namespace %s",
			                      classname, ns->name);
		return each_below(&e->children, deep, fn, ctx);
	}
	for (size_t i = 0; i < ns->classes.n; i++) {
		e = ns->classes.v[i];
		if (e->parent)
			continue;
		if ((rc = fn(e->cls, ctx)) != 0)
			return rc;
		if (deep && (rc = each_below(&e->children, deep, fn, ctx)) != 0)
			return rc;
	}
	return 0;
}

/* Paths and instances ---------------------------------------------------- */

static int status_fail(swim_cim_coerce *opt, swim_cim_status status, int rc)
{
	if (opt && rc != SWIM_ENOMEM)
		opt->status = status;
	return rc;
}

/* The namespace a path lives in: its own, else the one given. */
static struct swim_cim__ns *path_ns(const swim_cim_repo *repo,
                                    const char *name,
                                    const swim_cim_path *path,
                                    swim_cim_coerce *opt)
{
	const char *want = path->ns ? path->ns : name;
	struct swim_cim__ns *ns = swim_cim__repo_ns(repo, want);

	if (!ns)
		(void)status_fail(opt, SWIM_CIM_ERR_INVALID_NAMESPACE,
		                  swim_cim__no_ns(want));
	return ns;
}

static struct swim_cim__class_entry *class_of(struct swim_cim__ns *ns,
                                              const char *classname,
                                              swim_cim_coerce *opt)
{
	struct swim_cim__class_entry *e = swim_cim__repo_entry(ns, classname);

	if (!e)
		(void)status_fail(opt, SWIM_CIM_ERR_INVALID_CLASS,
		                  swim_error_set(SWIM_ENOTFOUND,
		                                 "no class %s in namespace %s",
		                                 classname, ns->name));
	return e;
}

int swim_cim_repo_coerce_path(const swim_cim_repo *repo, const char *name,
                              swim_cim_path *path, swim_cim_coerce *opt)
{
	struct swim_cim__ns *ns = path_ns(repo, name, path, opt);
	struct swim_cim__class_entry *e = ns ? class_of(ns, path->classname,
	                                                opt) : NULL;
	int rc;

	if (!e)
		return SWIM_ENOTFOUND;
	if ((rc = swim_cim_class_coerce_path(e->cls, path, opt)) < 0)
		return rc;
	for (size_t i = 0; i < path->nkeys; i++)
		if (path->keys[i].value.type == SWIM_CIM_REFERENCE &&
		    (rc = swim_cim_repo_coerce_path(repo, ns->name,
		                                    path->keys[i].value.ref,
		                                    opt)) < 0)
			return swim_error_prefix("key %s: ", path->keys[i].name);
	return 0;
}

/* A reference's or embedded instance's class must be the declared one or
 * a subclass of it. */
static int check_class_of(const swim_cim_repo *repo, struct swim_cim__ns *ns,
                          const swim_cim_property *p, const char *classname,
                          swim_cim_coerce *opt)
{
	if (!p->refclass ||
	    swim_cim_repo_is_subclass(repo, ns->name, classname, p->refclass))
		return 0;
	return status_fail(opt, SWIM_CIM_ERR_TYPE_MISMATCH,
	                   swim_error_set(SWIM_EINVAL,
	                                  "property %s: %s is not a %s",
	                                  p->name, classname, p->refclass));
}

int swim_cim_repo_coerce_instance(const swim_cim_repo *repo,
                                  const char *name, swim_cim_instance *inst,
                                  swim_cim_coerce *opt)
{
	struct swim_cim__ns *ns = swim_cim__repo_ns(repo, name);
	struct swim_cim__class_entry *e;
	int rc;

	if (!ns)
		return status_fail(opt, SWIM_CIM_ERR_INVALID_NAMESPACE,
		                   swim_cim__no_ns(name));
	if (!(e = class_of(ns, inst->classname, opt)))
		return SWIM_ENOTFOUND;
	if ((rc = swim_cim_class_coerce_instance(e->cls, inst, opt)) < 0)
		return rc;
	for (size_t i = 0; i < inst->props.n; i++) {
		swim_cim_property *p = &inst->props.v[i];
		struct swim_cim__ns *refns;

		if (p->value.null || p->value.array)
			continue;
		if (p->value.type == SWIM_CIM_INSTANCE && p->value.obj.inst &&
		    (rc = check_class_of(repo, ns, p,
		                         p->value.obj.inst->classname, opt)) < 0)
			return rc;
		if (p->value.type != SWIM_CIM_REFERENCE)
			continue;
		if ((rc = swim_cim_repo_coerce_path(repo, ns->name, p->value.ref,
		                                    opt)) < 0)
			return swim_error_prefix("class %s, property %s: ",
			                         inst->classname, p->name);
		refns = path_ns(repo, ns->name, p->value.ref, opt);
		/* Across namespaces (interop to cimv2) the class may differ. */
		if (refns == ns &&
		    (rc = check_class_of(repo, ns, p, p->value.ref->classname,
		                         opt)) < 0)
			return rc;
	}
	return 0;
}

int swim_cim_repo_add_instance(swim_cim_repo *repo, const char *name,
                               swim_cim_instance **instp)
{
	swim_cim_coerce opt = { SWIM_CIM_COERCE_KEYS | SWIM_CIM_COERCE_DEFAULTS,
	                        NULL, NULL, &repo->lim, SWIM_CIM_OK };
	struct swim_cim__ns *ns = swim_cim__repo_ns(repo, name);
	swim_cim_instance *inst = *instp;
	struct swim_cim__class_entry *e;
	swim_cim_path *path = NULL;
	int rc;

	if (!ns)
		return swim_cim__no_ns(name);
	if (!(e = class_of(ns, inst->classname, NULL)))
		return SWIM_ENOTFOUND;
	if (e->cls->abstract)
		return swim_error_set(SWIM_EINVAL,
		                      "class %s is abstract: it has no instances",
		                      e->cls->name);
	if ((rc = swim_cim_repo_coerce_instance(repo, ns->name, inst,
	                                        &opt)) < 0 ||
	    (rc = swim_cim_class_instance_path(&path, e->cls, inst, NULL,
	                                       ns->name)) < 0)
		return rc;
	for (size_t i = 0; i < e->insts.n; i++) {
		const swim_cim_instance *other = e->insts.v[i];

		if (swim_cim_path_equal(other->path, path)) {
			swim_cim_path_free(path);
			return swim_error_set(SWIM_EEXISTS,
			                      "an instance of %s with these keys "
			                      "exists already", e->cls->name);
		}
	}
	if ((rc = swim_cim__ptrs_push(&e->insts, inst)) < 0) {
		swim_cim_path_free(path);
		return rc;
	}
	swim_cim_path_free(inst->path);
	inst->path = path;
	*instp = NULL;
	return 0;
}

static int each_instance(const struct swim_cim__class_entry *e, bool deep,
                         swim_cim_repo_instance_fn fn, void *ctx)
{
	int rc;

	for (size_t i = 0; i < e->insts.n; i++)
		if ((rc = fn(e->insts.v[i], ctx)) != 0)
			return rc;
	for (size_t i = 0; deep && i < e->children.n; i++)
		if ((rc = each_instance(e->children.v[i], deep, fn, ctx)) != 0)
			return rc;
	return 0;
}

int swim_cim_repo_each_instance(const swim_cim_repo *repo, const char *name,
                                const char *classname, bool deep,
                                swim_cim_repo_instance_fn fn, void *ctx)
{
	struct swim_cim__ns *ns = swim_cim__repo_ns(repo, name);
	struct swim_cim__class_entry *e;

	if (!ns)
		return swim_cim__no_ns(name);
	if (!(e = class_of(ns, classname, NULL)))
		return SWIM_ENOTFOUND;
	return each_instance(e, deep, fn, ctx);
}

const swim_cim_instance *swim_cim_repo_instance(const swim_cim_repo *repo,
                                                const char *name,
                                                const swim_cim_path *path)
{
	struct swim_cim__ns *ns = swim_cim__repo_ns(repo,
	                                            path->ns ? path->ns : name);
	struct swim_cim__class_entry *e = swim_cim__repo_entry(ns,
	                                                       path->classname);

	for (size_t i = 0; e && i < e->insts.n; i++) {
		const swim_cim_instance *inst = e->insts.v[i];

		if (swim_cim_path_match(inst->path, path,
		                        SWIM_CIM_PATH_IGNORE_NAMESPACE))
			return inst;
	}
	return NULL;
}
