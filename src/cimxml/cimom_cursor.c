/* Resumable enumerations (cimom.h): instances by class and provider
 * position, associations by the list of their results' paths. Every
 * enumeration of the object manager runs through a cursor, whole
 * (EnumerateInstances into one answer) or a part at a time (pull
 * operations, streamed answers), so there is one way results are made. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cimxml/cimom_internal.h"
#include "util/str.h"

/* A class whose provider the enumeration asks, in the order asked. */
struct cursor_class {
	const swim_cim_class *cls;
	const struct cimom_provider *p;
};

struct swim_cimom_cursor {
	const char *ns;              /* canonical, the repository's */
	bool names_only;             /* no filter: paths */
	swim_cim_filter f;           /* property_list points into props */
	char **props;
	swim_cim_query *where;       /* NULL, or what results must match */
	bool project;                /* where's select list shapes results */
	unsigned long total;         /* results so far (cim_max_instances) */
	/* instances: classes[ci], after the provider's position pos */
	struct cursor_class *classes;
	size_t nclasses, ci;
	uint64_t pos;
	/* associations: paths[next..npaths) still to go */
	bool assoc;
	swim_cim_path **paths;
	size_t npaths, next;
};

void swim_cimom_cursor_free(swim_cimom_cursor *cur)
{
	if (!cur)
		return;
	for (size_t i = 0; i < cur->f.property_count; i++)
		free(cur->props[i]);
	free(cur->props);
	swim_cim_query_free(cur->where);
	free(cur->classes);
	for (size_t i = cur->next; i < cur->npaths; i++)
		swim_cim_path_free(cur->paths[i]);
	free(cur->paths);
	free(cur);
}

const char *swim_cimom_cursor_namespace(const swim_cimom_cursor *cur)
{
	return cur->ns;
}

/* A cursor holding copies of f (NULL: names only) and `where` (taken). */
static int cursor_new(swim_cimom_cursor **out, swim_cim_call *call,
                      const swim_cim_filter *f, swim_cim_query *where)
{
	swim_cimom_cursor *cur;

	if (!(*out = cur = calloc(1, sizeof(*cur)))) {
		swim_cim_query_free(where);
		return swim_error_oom();
	}
	cur->ns = call->ns;
	cur->where = where;
	cur->names_only = !f;
	if (!f)
		return 0;
	cur->f = *f;
	cur->f.property_list = NULL;
	cur->f.property_count = 0;
	if (f->has_property_list && f->property_count &&
	    !(cur->props = calloc(f->property_count, sizeof(char *))))
		return swim_error_oom();
	for (size_t i = 0; f->has_property_list && i < f->property_count; i++) {
		if (!(cur->props[i] = swim_strdup(f->property_list[i])))
			return SWIM_ENOMEM;
		cur->f.property_count++;
	}
	cur->f.property_list = (const char *const *)cur->props;
	return 0;
}

/* Instances ---------------------------------------------------------------- */

static int add_class(const swim_cim_class *cls, void *ctx)
{
	swim_cimom_cursor *cur = ((void **)ctx)[0];
	swim_cim_call *call = ((void **)ctx)[1];
	const struct cimom_provider *p = swim_cimom__provider(call->om,
	                                                      call->ns,
	                                                      cls->name);
	struct cursor_class *grown;

	if (!p || !p->prov->enumerate)
		return 0;
	if (!(grown = realloc(cur->classes,
	                      (cur->nclasses + 1) * sizeof(*grown))))
		return swim_error_oom();
	cur->classes = grown;
	cur->classes[cur->nclasses].cls = cls;
	cur->classes[cur->nclasses++].p = p;
	return 0;
}

/* The classes whose providers are asked: classname's own, then those of
 * every subclass, in the repository's order. */
static int find_classes(swim_cimom_cursor *cur, swim_cim_call *call,
                        const swim_cim_class *top)
{
	void *ctx[2] = { cur, call };
	int rc;

	if ((rc = add_class(top, ctx)) < 0)
		return rc;
	return swim_cim_repo_each_class(call->repo, call->ns, top->name, true,
	                                add_class, ctx);
}

int swim_cimom_cursor_instances(swim_cimom_cursor **out, swim_cim_call *call,
                                const char *classname, bool deep,
                                const swim_cim_filter *f,
                                swim_cim_query *where)
{
	const swim_cim_class *cls = swim_cim_repo_class(call->repo, call->ns,
	                                                classname);
	swim_cimom_cursor *cur = NULL;
	int rc;

	*out = NULL;
	if (!cls) {
		swim_cim_query_free(where);
		return swim_cim_call_fail(call, SWIM_CIM_ERR_INVALID_CLASS,
		                          SWIM_ENOTFOUND, "no class %s in "
		                          "namespace %s", classname, call->ns);
	}
	if ((rc = cursor_new(&cur, call, f, where)) == 0 &&
	    (rc = find_classes(cur, call, cls)) == 0) {
		/* DeepInheritance false: the properties of the class asked. */
		if (f && !deep)
			cur->f.shallow_class = cls;
		*out = cur;
		return 0;
	}
	swim_cimom_cursor_free(cur);
	return rc;
}

int swim_cimom_cursor_query(swim_cimom_cursor **out, swim_cim_call *call,
                            swim_cim_query *q, const swim_cim_filter *f)
{
	int rc;

	rc = swim_cimom_cursor_instances(out, call, swim_cim_query_from(q), true,
	                                 f, q);
	if (rc == 0)
		(*out)->project = !swim_cim_query_selects_all(q);
	return rc;
}

/* One run of cursor_next. */
struct run {
	swim_cimom_cursor *cur;
	swim_cim_call *call;
	unsigned long max, done;
	swim_cim_emit_fn emit;
	void *ctx;
};

/* Whether inst is a result: `where` matches it (always without one). */
static int wanted(bool *out, const struct run *r, const swim_cim_call *call,
                  const swim_cim_instance *inst)
{
	*out = true;
	if (!r->cur->where)
		return 0;
	return swim_cim_query_match(out, r->cur->where, inst, call->repo,
	                            call->ns);
}

/* Emits one result (inst is filtered or projected on the way); a
 * positive return stops the run after it. */
static int deliver(struct run *r, swim_cim_instance *inst,
                   const swim_cim_path *path, const swim_cim_class *cls)
{
	swim_cimom_cursor *cur = r->cur;
	swim_cim_instance *shaped = NULL;
	swim_cim_object obj = { path, NULL, cls };
	int rc;

	if ((rc = swim_cimom__count(r->call)) < 0)
		return rc;
	if (inst && !cur->names_only) {
		swim_cim_instance_filter(inst, &cur->f);
		obj.inst = inst;
		if (cur->project) {
			if ((rc = swim_cim_query_project(&shaped, cur->where, inst,
			                                 r->call->repo,
			                                 r->call->ns)) < 0)
				return rc;
			obj.inst = shaped;
		}
	}
	rc = r->emit(r->ctx, &obj);
	swim_cim_instance_free(shaped);
	r->done++;
	return rc;
}

static int one_instance(void *ctx, swim_cim_instance *inst, uint64_t pos)
{
	struct run *r = ctx;
	bool match;
	int rc;

	if ((rc = wanted(&match, r, r->call, inst)) < 0)
		goto out;
	if (match && r->done == r->max) {
		/* Not consumed: the next run starts with it. */
		rc = 1;
		goto out;
	}
	r->cur->pos = pos;
	if (match)
		rc = deliver(r, inst, inst->path, NULL);
out:
	swim_cim_instance_free(inst);
	return rc;
}

static int next_instances(struct run *r)
{
	swim_cimom_cursor *cur = r->cur;
	int rc;

	for (; cur->ci < cur->nclasses; cur->ci++, cur->pos = 0) {
		const struct cursor_class *c = &cur->classes[cur->ci];

		rc = swim_cimom__enumerate(r->call, c->cls, c->p, cur->pos,
		                           one_instance, r);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* Associations ------------------------------------------------------------- */

int swim_cimom_cursor_assoc(swim_cimom_cursor **out, swim_cim_call *call,
                            const swim_cim_path *object,
                            const swim_cim_assoc_filter *af,
                            const swim_cim_filter *f, swim_cim_query *where,
                            bool references)
{
	swim_cimom_cursor *cur = NULL;
	int rc;

	*out = NULL;
	if ((rc = cursor_new(&cur, call, f, where)) == 0) {
		cur->assoc = true;
		rc = swim_cimom__assoc_walk(&cur->paths, &cur->npaths, call,
		                            object, af, references);
	}
	if (rc < 0) {
		swim_cimom_cursor_free(cur);
		return rc;
	}
	*out = cur;
	return 0;
}

/* The class at a class path, filtered: class-level association results. */
static int fetch_class(swim_cim_class **out, const struct run *r,
                       const swim_cim_path *path)
{
	const swim_cim_class *cls = swim_cim_repo_class(r->call->repo,
	                                                r->call->ns,
	                                                path->classname);
	int rc;

	*out = NULL;
	if (!cls)
		return 0;
	if ((rc = swim_cim_class_copy(out, cls)) == 0)
		swim_cim_class_filter(*out, &r->cur->f);
	return rc;
}

/* The instance at path, in its own namespace; NULL when it is gone (a
 * dangling reference, or deleted since the walk). */
static int fetch_instance(swim_cim_instance **out, const struct run *r,
                          const swim_cim_path *path)
{
	swim_cim_call sub;
	int rc;

	*out = NULL;
	if ((rc = swim_cim_call_init(&sub, r->call->om, path->ns, r->call->user,
	                             r->call->read_only)) < 0)
		return rc;
	sub.class_origin = r->call->class_origin;
	rc = swim_cimom__find(out, NULL, NULL, &sub, path);
	if (rc == SWIM_ENOTFOUND) {
		swim_error_clear();
		return 0;
	}
	if (rc < 0)
		r->call->status = sub.status;
	return rc;
}

static int next_paths(struct run *r)
{
	swim_cimom_cursor *cur = r->cur;
	swim_cim_instance *inst = NULL;
	swim_cim_class *cls = NULL;
	int rc = 0;

	for (; rc == 0 && cur->next < cur->npaths; cur->next++) {
		swim_cim_path *path = cur->paths[cur->next];
		bool fetch = !cur->names_only || cur->where, match = true;

		if (fetch && !path->instance) {
			rc = fetch_class(&cls, r, path);
			match = cls != NULL;
		} else if (fetch) {
			rc = fetch_instance(&inst, r, path);
			match = inst != NULL;
			if (rc == 0 && inst)
				rc = wanted(&match, r, r->call, inst);
		}
		if (rc < 0)
			break;
		if (match && r->done == r->max) {
			rc = 1;
			break;
		}
		/* A fetched instance has its real class in its path. */
		if (match)
			rc = deliver(r, inst, inst ? inst->path : path,
			             cur->names_only ? NULL : cls);
		swim_cim_instance_free(inst);
		swim_cim_class_free(cls);
		inst = NULL;
		cls = NULL;
		swim_cim_path_free(path);
		cur->paths[cur->next] = NULL;
	}
	swim_cim_instance_free(inst);
	swim_cim_class_free(cls);
	return rc;
}

/* Both --------------------------------------------------------------------- */

int swim_cimom_cursor_next(swim_cimom_cursor *cur, swim_cim_call *call,
                           unsigned long max, swim_cim_emit_fn emit,
                           void *ctx)
{
	struct run r = { cur, call, max, 0, emit, ctx };
	int rc;

	call->count = cur->total;
	call->class_origin = !cur->names_only && cur->f.include_class_origin;
	rc = cur->assoc ? next_paths(&r) : next_instances(&r);
	cur->total = call->count;
	if (rc < 0)
		return rc;
	return rc > 0 ? 1 : 0;
}

int swim_cimom__run_whole(swim_cimom_cursor *cur, int rc, swim_cim_call *call,
                          swim_cim_emit_fn emit, void *ctx)
{
	if (rc == 0)
		rc = swim_cimom_cursor_next(cur, call, ULONG_MAX, emit, ctx);
	swim_cimom_cursor_free(cur);
	return rc < 0 ? rc : 0;
}
