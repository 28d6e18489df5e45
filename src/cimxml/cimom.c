/* The object manager: providers by namespace and class, and what every
 * operation needs around them (typing client paths, finishing provider
 * instances, finding an instance across subclasses). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cimxml/cimom_internal.h"
#include "util/str.h"

int swim_cimom_new(swim_cimom **out, const swim_cim_repo *repo,
                   const char *host, const swim_limits *lim)
{
	swim_cimom *om;
	int rc;

	*out = NULL;
	if (!(om = calloc(1, sizeof(*om))))
		return swim_error_oom();
	om->repo = repo;
	om->lim = lim ? lim : swim_limits_default();
	rc = (om->host = swim_strdup(host)) ? swim_cim_sessions_new(&om->sessions,
	                                                         om->lim)
	                                    : SWIM_ENOMEM;
	if (rc < 0) {
		free(om->host);
		free(om);
		return rc;
	}
	*out = om;
	return 0;
}

void swim_cimom_free(swim_cimom *om)
{
	if (!om)
		return;
	/* Sessions hold cursors over the providers: they go first. */
	swim_cim_sessions_free(om->sessions);
	for (size_t i = 0; i < om->nprovs; i++) {
		struct cimom_provider *p = om->provs[i];

		if (p->prov->release)
			p->prov->release(p->ctx);
		free(p);
	}
	for (size_t i = 0; i < om->nns; i++) {
		free(om->nss[i].name);
		swim_cim_map_dispose(&om->nss[i].classes);
	}
	free(om->nss);
	free(om->provs);
	free(om->host);
	free(om);
}

const swim_cim_repo *swim_cimom_repo(const swim_cimom *om)
{
	return om->repo;
}

const char *swim_cimom_host(const swim_cimom *om)
{
	return om->host;
}

const swim_limits *swim_cimom_limits(const swim_cimom *om)
{
	return om->lim;
}

swim_cim_sessions *swim_cimom_sessions(const swim_cimom *om)
{
	return om->sessions;
}

static struct cimom_ns *ns_find(const swim_cimom *om, const char *ns)
{
	for (size_t i = 0; i < om->nns; i++)
		if (swim_str_ieq(om->nss[i].name, ns))
			return &om->nss[i];
	return NULL;
}

static int ns_get(struct cimom_ns **out, swim_cimom *om, const char *ns)
{
	struct cimom_ns *grown;

	if ((*out = ns_find(om, ns)))
		return 0;
	if (!(grown = realloc(om->nss, (om->nns + 1) * sizeof(*grown))))
		return swim_error_oom();
	om->nss = grown;
	*out = &om->nss[om->nns];
	memset(*out, 0, sizeof(**out));
	if (!((*out)->name = swim_strdup(ns)))
		return SWIM_ENOMEM;
	om->nns++;
	return 0;
}

static const swim_provider inert = { .name = "unregistered" };

int swim_cimom_add_provider(swim_cimom *om, const swim_provider *prov,
                            void *ctx, const swim_provider_class *classes,
                            size_t n)
{
	struct cimom_provider *p = NULL, **grown;
	struct cimom_ns *ns;
	int rc;

	/* Check everything first, so that a failure registers nothing. */
	for (size_t i = 0; i < n; i++) {
		const char *canon = swim_cim_repo_namespace(om->repo,
		                                            classes[i].ns);

		if (!canon || !swim_cim_repo_class(om->repo, canon,
		                                   classes[i].classname))
			return swim_error_set(SWIM_ENOTFOUND,
			                      "provider %s: no class %s in namespace %s",
			                      prov->name, classes[i].classname,
			                      classes[i].ns);
		if (swim_cimom__provider(om, canon, classes[i].classname))
			return swim_error_set(SWIM_EEXISTS,
			                      "provider %s: class %s in %s has a "
			                      "provider already", prov->name,
			                      classes[i].classname, canon);
	}
	if (!(grown = realloc(om->provs, (om->nprovs + 1) * sizeof(*grown))))
		return swim_error_oom();
	om->provs = grown;
	if (!(p = calloc(1, sizeof(*p))))
		return swim_error_oom();
	p->prov = prov;
	p->ctx = ctx;
	for (size_t i = 0; i < n; i++) {
		const char *canon = swim_cim_repo_namespace(om->repo,
		                                            classes[i].ns);
		const swim_cim_class *cls = swim_cim_repo_class(om->repo, canon,
		                                                classes[i].classname);

		if ((rc = ns_get(&ns, om, canon)) < 0 ||
		    (rc = swim_cim_map_put(&ns->classes, cls->name, p)) < 0)
			goto fail;
	}
	om->provs[om->nprovs++] = p;
	return 0;
fail:
	/* Entries made so far point to p, which stays (with no operations,
	 * and without releasing ctx, which the caller keeps): only an
	 * allocation failure at start gets here, and the caller gives up. */
	om->provs[om->nprovs++] = p;
	p->prov = &inert;
	return rc;
}

const struct cimom_provider *swim_cimom__provider(const swim_cimom *om,
                                                  const char *ns,
                                                  const char *classname)
{
	struct cimom_ns *n = ns_find(om, ns);

	return n ? swim_cim_map_get(&n->classes, classname) : NULL;
}

/* Calls ------------------------------------------------------------------ */

int swim_cim_call_init(swim_cim_call *call, swim_cimom *om, const char *ns,
                       const char *user, bool read_only)
{
	const char *canon = ns ? swim_cim_repo_namespace(om->repo, ns) : NULL;

	memset(call, 0, sizeof(*call));
	call->om = om;
	call->repo = om->repo;
	call->host = om->host;
	call->user = user;
	call->read_only = read_only;
	call->ns = canon;
	if (!canon)
		return swim_cim_call_fail(call, SWIM_CIM_ERR_INVALID_NAMESPACE,
		                          SWIM_ENOTFOUND, "no namespace %s",
		                          ns ? ns : "(none)");
	return 0;
}

int swim_cim_call_fail(swim_cim_call *call, swim_cim_status status,
                       int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)swim_error_vset(code, fmt, ap);
	va_end(ap);
	call->status = status;
	return code;
}

int swim_cim_sink_put_at(swim_cim_sink *sink, swim_cim_instance *inst,
                         uint64_t pos)
{
	sink->last = pos;
	/* Delivered before: a provider without positions starts over. */
	if (pos <= sink->after) {
		swim_cim_instance_free(inst);
		return 0;
	}
	return sink->put(sink->ctx, inst, pos);
}

int swim_cim_sink_put(swim_cim_sink *sink, swim_cim_instance *inst)
{
	return swim_cim_sink_put_at(sink, inst, sink->last + 1);
}

uint64_t swim_cim_sink_resume(const swim_cim_sink *sink)
{
	return sink->after;
}

int swim_cimom__count(swim_cim_call *call)
{
	uint64_t max = call->om->lim->cim_max_instances;

	if (++call->count <= max)
		return 0;
	return swim_cim_call_fail(call, SWIM_CIM_ERR_SERVER_LIMITS_EXCEEDED,
	                          SWIM_ELIMIT, "more than %llu results "
	                          "(cim_max_instances)",
	                          (unsigned long long)max);
}

char *swim_cimom__uri(const swim_cim_path *path)
{
	swim_buf b = SWIM_BUF_INIT(0);

	if (swim_cim_path_format(&b, path, SWIM_CIM_URI_CIMOBJECT) < 0) {
		swim_buf_clear(&b);
		(void)swim_buf_puts(&b, path->classname);
	}
	return swim_buf_detach(&b);
}

int swim_cimom__may_modify(swim_cim_call *call, const char *what)
{
	if (!call->read_only)
		return 0;
	return swim_cim_call_fail(call, SWIM_CIM_ERR_ACCESS_DENIED,
	                          SWIM_EACCESS, "user %s is read-only and may "
	                          "not %s", call->user ? call->user : "-",
	                          what);
}

/* Coercion failures of what a client sent keep their status; a failure
 * without one is the client's parameter. */
static int client_fail(swim_cim_call *call, const swim_cim_coerce *opt,
                       int rc)
{
	call->status = opt->status != SWIM_CIM_OK ? opt->status
	               : rc == SWIM_ENOMEM ? SWIM_CIM_OK
	               : SWIM_CIM_ERR_INVALID_PARAMETER;
	return rc;
}

/* References inside paths are compared exactly, so the server keeps
 * them in one form: no host (a client names the server by whatever
 * address it used), and the canonical namespace, the enclosing one when
 * none is given. */
static int normalise_ref(swim_cim_call *call, swim_cim_path *ref,
                         const char *ns)
{
	const char *canon = swim_cim_repo_namespace(call->repo,
	                                            ref->ns ? ref->ns : ns);
	int rc;

	if ((rc = swim_cim_path_set_host(ref, NULL)) < 0 ||
	    (canon && (rc = swim_cim_path_set_namespace(ref, canon)) < 0))
		return rc;
	return swim_cimom__normalise_keys(call, ref);
}

int swim_cimom__normalise_keys(swim_cim_call *call, swim_cim_path *path)
{
	int rc;

	for (size_t i = 0; i < path->nkeys; i++)
		if (path->keys[i].value.type == SWIM_CIM_REFERENCE &&
		    (rc = normalise_ref(call, path->keys[i].value.ref,
		                        path->ns ? path->ns : call->ns)) < 0)
			return rc;
	return 0;
}

int swim_cimom__normalise_refs(swim_cim_call *call, swim_cim_instance *inst)
{
	int rc;

	for (size_t i = 0; i < inst->props.n; i++) {
		swim_cim_value *v = &inst->props.v[i].value;

		if (v->type != SWIM_CIM_REFERENCE || v->null)
			continue;
		if (!v->array && (rc = normalise_ref(call, v->ref, call->ns)) < 0)
			return rc;
		for (size_t k = 0; v->array && k < v->a.n; k++)
			if (!v->a.v[k].null &&
			    (rc = normalise_ref(call, v->a.v[k].ref, call->ns)) < 0)
				return rc;
	}
	return 0;
}

int swim_cimom__client_path(swim_cim_path **out, const swim_cim_class **cls,
                            swim_cim_call *call, const swim_cim_path *path)
{
	swim_cim_coerce opt = { 0, call->embedded, call->embedded_ctx,
	                        call->om->lim, SWIM_CIM_OK };
	const char *ns = call->ns;
	swim_cim_path *p = NULL;
	int rc;

	*out = NULL;
	if (path->ns && !(ns = swim_cim_repo_namespace(call->repo, path->ns)))
		return swim_cim_call_fail(call, SWIM_CIM_ERR_INVALID_NAMESPACE,
		                          SWIM_ENOTFOUND, "no namespace %s",
		                          path->ns);
	if ((rc = swim_cim_path_copy(&p, path)) < 0 ||
	    (rc = swim_cim_path_set_namespace(p, ns)) < 0 ||
	    (rc = swim_cim_path_set_host(p, call->host)) < 0)
		goto out;
	if (!(*cls = swim_cim_repo_class(call->repo, ns, p->classname))) {
		rc = swim_cim_call_fail(call, SWIM_CIM_ERR_INVALID_CLASS,
		                        SWIM_ENOTFOUND, "no class %s in namespace %s",
		                        p->classname, ns);
		goto out;
	}
	if (path->instance &&
	    (rc = swim_cim_repo_coerce_path(call->repo, ns, p, &opt)) < 0) {
		rc = client_fail(call, &opt, rc);
		goto out;
	}
	/* The class's spelling, as everything the server returns has it. */
	if ((rc = swim_str_set(&p->classname, (*cls)->name)) < 0 ||
	    (rc = swim_cimom__normalise_keys(call, p)) < 0)
		goto out;
	*out = p;
	p = NULL;
out:
	swim_cim_path_free(p);
	return rc;
}

int swim_cimom__finish(swim_cim_call *call, const swim_cim_class *cls,
                       const struct cimom_provider *p,
                       swim_cim_instance *inst)
{
	swim_cim_coerce opt = { SWIM_CIM_COERCE_KEYS | SWIM_CIM_COERCE_DEFAULTS |
	                        (call->class_origin ? 0
	                                            : SWIM_CIM_COERCE_NO_ORIGIN),
	                        NULL, NULL, call->om->lim, SWIM_CIM_OK };
	swim_cim_path *path = NULL;
	int rc;

	if (!swim_str_ieq(inst->classname, cls->name))
		return swim_cim_call_fail(call, SWIM_CIM_ERR_FAILED, SWIM_ERROR,
		                          "provider %s returned an instance of %s "
		                          "for class %s", p->prov->name,
		                          inst->classname, cls->name);
	if ((rc = swim_str_set(&inst->classname, cls->name)) < 0)
		return rc;
	if ((rc = swim_cim_repo_coerce_instance(call->repo, call->ns, inst,
	                                        &opt)) < 0) {
		call->status = SWIM_CIM_ERR_FAILED;
		return swim_error_prefix("provider %s: ", p->prov->name);
	}
	if ((rc = swim_cimom__normalise_refs(call, inst)) < 0)
		return rc;
	if ((rc = swim_cim_class_instance_path(&path, cls, inst, call->host,
	                                       call->ns)) < 0) {
		call->status = SWIM_CIM_ERR_FAILED;
		return swim_error_prefix("provider %s: ", p->prov->name);
	}
	swim_cim_path_free(inst->path);
	inst->path = path;
	return 0;
}

struct enum_state {
	swim_cim_call *call;
	const swim_cim_class *cls;
	const struct cimom_provider *p;
	cimom_instance_fn fn;
	void *ctx;
};

static int enum_put(void *ctx, swim_cim_instance *inst, uint64_t pos)
{
	struct enum_state *st = ctx;
	int rc;

	if ((rc = swim_cimom__finish(st->call, st->cls, st->p, inst)) < 0) {
		swim_cim_instance_free(inst);
		return rc;
	}
	return st->fn(st->ctx, inst, pos);
}

int swim_cimom__enumerate(swim_cim_call *call, const swim_cim_class *cls,
                          const struct cimom_provider *p, uint64_t after,
                          cimom_instance_fn fn, void *ctx)
{
	struct enum_state st = { call, cls, p, fn, ctx };
	swim_cim_sink sink = { enum_put, &st, after, 0 };

	if (!p->prov->enumerate)
		return 0;
	return p->prov->enumerate(p->ctx, call, cls, &sink);
}

/* The fallback of providers without get: the first instance whose path
 * is the one asked for. */
struct match_state {
	const swim_cim_path *path;
	swim_cim_instance *found;
};

static int match_put(void *ctx, swim_cim_instance *inst, uint64_t pos)
{
	struct match_state *st = ctx;

	(void)pos;
	if (!swim_cim_path_match(inst->path, st->path,
	                         SWIM_CIM_PATH_IGNORE_HOST)) {
		swim_cim_instance_free(inst);
		return 0;
	}
	st->found = inst;
	return 1;
}

static int get_from(swim_cim_instance **out, swim_cim_call *call,
                    const swim_cim_class *cls,
                    const struct cimom_provider *p,
                    const swim_cim_path *path)
{
	struct match_state st = { path, NULL };
	swim_cim_instance *inst = NULL;
	int rc;

	*out = NULL;
	if (!p->prov->get) {
		if ((rc = swim_cimom__enumerate(call, cls, p, 0, match_put,
		                                &st)) < 0)
			return rc;
		if (!st.found)
			return SWIM_ENOTFOUND;
		*out = st.found;
		return 0;
	}
	if ((rc = p->prov->get(p->ctx, call, cls, path, &inst)) < 0)
		return rc;
	if (!inst)
		return SWIM_ENOTFOUND;
	if ((rc = swim_cimom__finish(call, cls, p, inst)) < 0) {
		swim_cim_instance_free(inst);
		return rc;
	}
	*out = inst;
	return 0;
}

struct find_state {
	swim_cim_call *call;
	const swim_cim_path *path;
	swim_cim_path *sub;          /* the path renamed to a subclass */
	swim_cim_instance *found;
	const swim_cim_class *cls;
	const struct cimom_provider *p;
};

static int find_in(const swim_cim_class *cls, void *ctx)
{
	struct find_state *st = ctx;
	const struct cimom_provider *p = swim_cimom__provider(st->call->om,
	                                                      st->call->ns,
	                                                      cls->name);
	int rc;

	if (!p)
		return 0;
	/* The path as given for its own class, spelled as the class is;
	 * a copy renamed for each subclass. */
	if (strcmp(st->path->classname, cls->name) == 0) {
		rc = get_from(&st->found, st->call, cls, p, st->path);
	} else if ((!st->sub &&
	            (rc = swim_cim_path_copy(&st->sub, st->path)) < 0) ||
	           (rc = swim_str_set(&st->sub->classname, cls->name)) < 0) {
		return rc;
	} else {
		rc = get_from(&st->found, st->call, cls, p, st->sub);
	}
	if (rc == SWIM_ENOTFOUND) {
		swim_error_clear();
		return 0;
	}
	if (rc < 0)
		return rc;
	st->cls = cls;
	st->p = p;
	return 1;
}

int swim_cimom__find(swim_cim_instance **out, const swim_cim_class **cls,
                     const struct cimom_provider **p, swim_cim_call *call,
                     const swim_cim_path *path)
{
	struct find_state st = { call, path, NULL, NULL, NULL, NULL };
	const swim_cim_class *c = swim_cim_repo_class(call->repo, call->ns,
	                                              path->classname);
	char *uri;
	int rc;

	*out = NULL;
	if (!c)
		return swim_cim_call_fail(call, SWIM_CIM_ERR_INVALID_CLASS,
		                          SWIM_ENOTFOUND, "no class %s in namespace %s",
		                          path->classname, call->ns);
	rc = find_in(c, &st);
	if (rc == 0)
		rc = swim_cim_repo_each_class(call->repo, call->ns, c->name, true,
		                              find_in, &st);
	swim_cim_path_free(st.sub);
	if (rc < 0)
		return rc;
	if (!st.found) {
		uri = swim_cimom__uri(path);
		rc = swim_cim_call_fail(call, SWIM_CIM_ERR_NOT_FOUND,
		                        SWIM_ENOTFOUND, "no instance %s",
		                        uri ? uri : path->classname);
		free(uri);
		return rc;
	}
	*out = st.found;
	if (cls)
		*cls = st.cls;
	if (p)
		*p = st.p;
	return 0;
}
