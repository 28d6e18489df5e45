/* Associators, AssociatorNames, References, ReferenceNames: the object
 * manager walks the association classes of the namespace, asks their
 * providers for instances and keeps those that refer to the object, so
 * that association providers only enumerate.
 *
 * For an instance, the object is first found (that gives its real class
 * and typed keys, and skips objects that do not exist); an association
 * refers to it through a reference property (its role) whose value is
 * its path. For a class, the schema answers: association classes with a
 * reference to the class or one of its superclasses, and the classes
 * their other references name.
 *
 * The walk finds the paths of the results, each once; a cursor
 * (cimom_cursor.c) then hands them out, fetching the objects when more
 * than names are asked for. */
#include <stdlib.h>
#include <string.h>

#include "cimxml/cimom_internal.h"
#include "util/str.h"
#include "util/strmap.h"

struct assoc_walk {
	swim_cim_call *call;
	const swim_cim_assoc_filter *af;
	bool references;           /* References: results are associations */
	const swim_cim_path *object;   /* found, typed, host and namespace */
	swim_cim_path **found;     /* the results' paths, in order */
	size_t nfound;
	swim_strmap seen;          /* their URIs, to return each once */
	char **keys;               /* the map's keys, owned */
	size_t nkeys;
};

static bool related(const swim_cim_repo *repo, const char *ns,
                    const char *a, const char *b)
{
	return swim_cim_repo_is_subclass(repo, ns, a, b) ||
	       swim_cim_repo_is_subclass(repo, ns, b, a);
}

static bool role_ok(const char *want, const char *name)
{
	return !want || swim_str_ieq(want, name);
}

/* 1 when the URI of path is new (and now remembered), 0 when it was
 * returned already. */
static int first_time(struct assoc_walk *w, const swim_cim_path *path)
{
	swim_buf b = SWIM_BUF_INIT(0);
	char **grown, *uri;
	int rc;

	if ((rc = swim_cim_path_format(&b, path, 0)) < 0) {
		swim_buf_dispose(&b);
		return rc;
	}
	if (!(uri = swim_buf_detach(&b)))
		return SWIM_ENOMEM;
	if (swim_strmap_get(&w->seen, uri)) {
		free(uri);
		return 0;
	}
	if (!(grown = realloc(w->keys, (w->nkeys + 1) * sizeof(*grown)))) {
		free(uri);
		return swim_error_oom();
	}
	w->keys = grown;
	w->keys[w->nkeys++] = uri;
	rc = swim_strmap_put(&w->seen, uri, 0, NULL);
	return rc < 0 ? rc : 1;
}

/* Instance level ----------------------------------------------------------- */

/* A reference's path with the namespace it lives in (the association's
 * when it names none) and the server's host. */
static int full_ref(swim_cim_path **out, swim_cim_call *call,
                    const swim_cim_path *ref)
{
	const char *ns = ref->ns ? swim_cim_repo_namespace(call->repo, ref->ns)
	                         : call->ns;
	int rc;

	*out = NULL;
	if (!ns)
		return 0;      /* a namespace this server does not have */
	if ((rc = swim_cim_path_copy(out, ref)) < 0 ||
	    (rc = swim_cim_path_set_namespace(*out, ns)) < 0 ||
	    (rc = swim_cim_path_set_host(*out, call->host)) < 0) {
		swim_cim_path_free(*out);
		*out = NULL;
	}
	return rc;
}

/* Keeps a copy of path as the next result, unless it is one already. */
static int add_result(struct assoc_walk *w, const swim_cim_path *path)
{
	swim_cim_path **grown, *copy = NULL;
	int rc;

	if ((rc = first_time(w, path)) <= 0)
		return rc;
	if ((rc = swim_cimom__count(w->call)) < 0 ||
	    (rc = swim_cim_path_copy(&copy, path)) < 0)
		return rc;
	if (!(grown = realloc(w->found, (w->nfound + 1) * sizeof(*grown)))) {
		swim_cim_path_free(copy);
		return swim_error_oom();
	}
	w->found = grown;
	w->found[w->nfound++] = copy;
	return 0;
}

/* Associators: the object at `target` (in its own namespace). */
static int add_associated(struct assoc_walk *w, const swim_cim_path *target)
{
	const char *rc_class = w->af->result_class;

	if (rc_class && !swim_cim_repo_is_subclass(w->call->repo, target->ns,
	                                           target->classname, rc_class))
		return 0;
	return add_result(w, target);
}

/* One association instance: does it refer to the object, and what else
 * does it refer to? */
static int one_association(void *ctx, swim_cim_instance *assoc,
                           uint64_t pos)
{
	struct assoc_walk *w = ctx;
	swim_cim_path *ref = NULL, *other = NULL;
	int rc = 0;

	(void)pos;
	for (size_t i = 0; i < assoc->props.n && rc >= 0; i++) {
		const swim_cim_property *r = &assoc->props.v[i];
		bool hit;

		if (r->value.type != SWIM_CIM_REFERENCE || r->value.null ||
		    r->value.array || !role_ok(w->af->role, r->name))
			continue;
		if ((rc = full_ref(&ref, w->call, r->value.ref)) < 0)
			break;
		hit = ref && swim_cim_path_match(ref, w->object,
		                                 SWIM_CIM_PATH_IGNORE_HOST);
		swim_cim_path_free(ref);
		ref = NULL;
		if (!hit)
			continue;
		if (w->references) {
			rc = add_result(w, assoc->path);
			break;
		}
		for (size_t k = 0; k < assoc->props.n && rc >= 0; k++) {
			const swim_cim_property *o = &assoc->props.v[k];

			if (k == i || o->value.type != SWIM_CIM_REFERENCE ||
			    o->value.null || o->value.array ||
			    !role_ok(w->af->result_role, o->name))
				continue;
			if ((rc = full_ref(&other, w->call, o->value.ref)) == 0 &&
			    other)
				rc = add_associated(w, other);
			swim_cim_path_free(other);
			other = NULL;
		}
	}
	swim_cim_instance_free(assoc);
	return rc < 0 ? rc : 0;
}

/* Could instances of association class cls refer to the object at all
 * (a reference of a related class, in the role asked for)? Saves
 * enumerating associations that cannot match. */
static bool may_refer(struct assoc_walk *w, const swim_cim_class *cls)
{
	for (size_t i = 0; i < cls->props.n; i++) {
		const swim_cim_property *r = &cls->props.v[i];

		if (r->value.type == SWIM_CIM_REFERENCE &&
		    role_ok(w->af->role, r->name) &&
		    (!r->refclass ||
		     related(w->call->repo, w->call->ns, w->object->classname,
		             r->refclass)))
			return true;
	}
	return false;
}

static int walk_class(const swim_cim_class *cls, void *ctx)
{
	struct assoc_walk *w = ctx;
	const struct cimom_provider *p;
	const char *rc_class = w->references ? w->af->result_class : NULL;

	if (!cls->association || !may_refer(w, cls) ||
	    (rc_class && !swim_cim_repo_is_subclass(w->call->repo, w->call->ns,
	                                            cls->name, rc_class)))
		return 0;
	if (!(p = swim_cimom__provider(w->call->om, w->call->ns, cls->name)))
		return 0;
	return swim_cimom__enumerate(w->call, cls, p, 0, one_association, w);
}

/* Class level -------------------------------------------------------------- */

static int add_class_result(struct assoc_walk *w, const char *classname)
{
	const swim_cim_class *cls = swim_cim_repo_class(w->call->repo,
	                                                w->call->ns, classname);
	swim_cim_path *path = NULL;
	int rc;

	if (!cls)
		return 0;
	if ((rc = swim_cim_path_new(&path, w->call->host, w->call->ns,
	                            cls->name)) == 0)
		rc = add_result(w, path);
	swim_cim_path_free(path);
	return rc;
}

static int walk_schema(const swim_cim_class *cls, void *ctx)
{
	struct assoc_walk *w = ctx;
	const swim_cim_repo *repo = w->call->repo;
	const char *ns = w->call->ns, *want = w->af->result_class;
	int rc = 0;

	if (!cls->association)
		return 0;
	for (size_t i = 0; i < cls->props.n && rc == 0; i++) {
		const swim_cim_property *r = &cls->props.v[i];

		if (r->value.type != SWIM_CIM_REFERENCE || !r->refclass ||
		    !role_ok(w->af->role, r->name) ||
		    !swim_cim_repo_is_subclass(repo, ns, w->object->classname,
		                               r->refclass))
			continue;
		if (w->references) {
			if (!want || swim_cim_repo_is_subclass(repo, ns, cls->name,
			                                       want))
				rc = add_class_result(w, cls->name);
			break;
		}
		for (size_t k = 0; k < cls->props.n && rc == 0; k++) {
			const swim_cim_property *o = &cls->props.v[k];

			if (k == i || o->value.type != SWIM_CIM_REFERENCE ||
			    !o->refclass || !role_ok(w->af->result_role, o->name) ||
			    (want && !related(repo, ns, o->refclass, want)))
				continue;
			rc = add_class_result(w, o->refclass);
		}
	}
	return rc;
}

/* Both operations ---------------------------------------------------------- */

static int check_class_param(swim_cim_call *call, const char *name,
                             const char *what)
{
	if (!name || swim_cim_repo_class(call->repo, call->ns, name))
		return 0;
	return swim_cim_call_fail(call, SWIM_CIM_ERR_INVALID_PARAMETER,
	                          SWIM_EINVAL, "%s %s is not a class of "
	                          "namespace %s", what, name, call->ns);
}

static int walk(struct assoc_walk *w, const swim_cim_path *object)
{
	const swim_cim_assoc_filter *af = w->af;
	const char *top = w->references ? NULL : af->assoc_class;
	swim_cim_instance *found = NULL;
	const swim_cim_class *cls;
	swim_cim_path *tp = NULL;
	int rc;

	if ((rc = check_class_param(w->call, af->assoc_class, "AssocClass")) < 0 ||
	    (rc = check_class_param(w->call, af->result_class, "ResultClass")) < 0 ||
	    (rc = swim_cimom__client_path(&tp, &cls, w->call, object)) < 0)
		goto out;
	if (!object->instance) {
		w->object = tp;
		if (top && (rc = walk_schema(swim_cim_repo_class(w->call->repo,
		                                                 w->call->ns, top),
		                             w)) < 0)
			goto out;
		rc = swim_cim_repo_each_class(w->call->repo, w->call->ns, top,
		                              true, walk_schema, w);
		goto out;
	}
	rc = swim_cimom__find(&found, NULL, NULL, w->call, tp);
	if (rc == SWIM_ENOTFOUND) {
		/* Nothing refers to what does not exist. */
		swim_error_clear();
		w->call->status = SWIM_CIM_OK;
		rc = 0;
		goto out;
	}
	if (rc < 0)
		goto out;
	w->object = found->path;
	if (top && (rc = walk_class(swim_cim_repo_class(w->call->repo,
	                                                w->call->ns, top),
	                            w)) < 0)
		goto out;
	rc = swim_cim_repo_each_class(w->call->repo, w->call->ns, top, true,
	                              walk_class, w);
out:
	swim_cim_instance_free(found);
	swim_cim_path_free(tp);
	for (size_t i = 0; i < w->nkeys; i++)
		free(w->keys[i]);
	free(w->keys);
	swim_strmap_dispose(&w->seen);
	return rc < 0 ? rc : 0;
}

int swim_cimom__assoc_walk(swim_cim_path ***out, size_t *n,
                           swim_cim_call *call, const swim_cim_path *object,
                           const swim_cim_assoc_filter *af, bool references)
{
	static const swim_cim_assoc_filter none = { NULL, NULL, NULL, NULL };
	struct assoc_walk w = { call, af ? af : &none, references, NULL, NULL,
	                        0, SWIM_STRMAP_INIT, NULL, 0 };
	int rc = walk(&w, object);

	if (rc < 0) {
		for (size_t i = 0; i < w.nfound; i++)
			swim_cim_path_free(w.found[i]);
		free(w.found);
		w.found = NULL;
		w.nfound = 0;
	}
	*out = w.found;
	*n = w.nfound;
	return rc;
}

int swim_cimom_associators(swim_cim_call *call, const swim_cim_path *object,
                           const swim_cim_assoc_filter *af,
                           const swim_cim_filter *f, swim_cim_emit_fn emit,
                           void *ctx)
{
	swim_cimom_cursor *cur = NULL;
	int rc = swim_cimom_cursor_assoc(&cur, call, object, af, f, NULL, false);

	return swim_cimom__run_whole(cur, rc, call, emit, ctx);
}

int swim_cimom_references(swim_cim_call *call, const swim_cim_path *object,
                          const swim_cim_assoc_filter *af,
                          const swim_cim_filter *f, swim_cim_emit_fn emit,
                          void *ctx)
{
	swim_cimom_cursor *cur = NULL;
	int rc = swim_cimom_cursor_assoc(&cur, call, object, af, f, NULL, true);

	return swim_cimom__run_whole(cur, rc, call, emit, ctx);
}
