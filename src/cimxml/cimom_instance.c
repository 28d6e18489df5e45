/* Instance operations of the object manager: Get, Enumerate (and Names),
 * Create, Modify, Delete, GetProperty, SetProperty. */
#include <stdlib.h>
#include <string.h>

#include "cimxml/cimom_internal.h"
#include "util/str.h"

static void filter_maybe(swim_cim_instance *inst, const swim_cim_filter *f)
{
	if (f)
		swim_cim_instance_filter(inst, f);
}

int swim_cimom_get_instance(swim_cim_instance **out, swim_cim_call *call,
                            const swim_cim_path *path,
                            const swim_cim_filter *f)
{
	const swim_cim_class *cls;
	swim_cim_path *p = NULL;
	int rc;

	*out = NULL;
	call->class_origin = f && f->include_class_origin;
	if ((rc = swim_cimom__client_path(&p, &cls, call, path)) == 0 &&
	    (rc = swim_cimom__find(out, NULL, NULL, call, p)) == 0)
		filter_maybe(*out, f);
	swim_cim_path_free(p);
	return rc;
}

int swim_cimom_enum_instances(swim_cim_call *call, const char *classname,
                              bool deep, const swim_cim_filter *f,
                              swim_cim_emit_fn emit, void *ctx)
{
	swim_cimom_cursor *cur = NULL;
	int rc = swim_cimom_cursor_instances(&cur, call, classname, deep, f,
	                                     NULL);

	return swim_cimom__run_whole(cur, rc, call, emit, ctx);
}

/* Create, Modify, Delete --------------------------------------------------- */

static int not_supported(swim_cim_call *call, const char *what,
                         const char *classname)
{
	return swim_cim_call_fail(call, SWIM_CIM_ERR_NOT_SUPPORTED,
	                          SWIM_ENOTSUPPORTED, "instances of %s cannot "
	                          "be %s", classname, what);
}

/* Coerces what a client sent against its class; failures keep the
 * status coercion found (NO_SUCH_PROPERTY, TYPE_MISMATCH...). */
static int client_instance(swim_cim_call *call, swim_cim_instance *inst,
                           unsigned flags)
{
	swim_cim_coerce opt = { flags, call->embedded, call->embedded_ctx,
	                        call->om->lim, SWIM_CIM_OK };
	int rc = swim_cim_repo_coerce_instance(call->repo, call->ns, inst,
	                                       &opt);

	if (rc < 0) {
		call->status = opt.status != SWIM_CIM_OK ? opt.status
		               : rc == SWIM_ENOMEM ? SWIM_CIM_OK
		               : SWIM_CIM_ERR_INVALID_PARAMETER;
		return rc;
	}
	/* Instance qualifiers are deprecated (DSP0004) and never kept;
	 * wbemcli sends the class's. */
	swim_cim_qualifiers_dispose(&inst->quals);
	return swim_cimom__normalise_refs(call, inst);
}

int swim_cimom_create_instance(swim_cim_path **out, swim_cim_call *call,
                               swim_cim_instance *inst)
{
	const struct cimom_provider *p;
	const swim_cim_class *cls;
	int rc;

	*out = NULL;
	if ((rc = swim_cimom__may_modify(call, "create instances")) < 0)
		return rc;
	if (!(cls = swim_cim_repo_class(call->repo, call->ns, inst->classname)))
		return swim_cim_call_fail(call, SWIM_CIM_ERR_INVALID_CLASS,
		                          SWIM_ENOTFOUND, "no class %s in namespace %s",
		                          inst->classname, call->ns);
	p = swim_cimom__provider(call->om, call->ns, cls->name);
	if (cls->abstract || !p || !p->prov->create)
		return not_supported(call, "created", cls->name);
	if ((rc = client_instance(call, inst, SWIM_CIM_COERCE_DEFAULTS)) < 0 ||
	    (rc = swim_str_set(&inst->classname, cls->name)) < 0)
		return rc;
	if ((rc = p->prov->create(p->ctx, call, cls, inst)) < 0)
		return rc;
	return swim_cim_class_instance_path(out, cls, inst, call->host,
	                                    call->ns);
}

static bool listed(const char *const *props, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (swim_str_ieq(props[i], name))
			return true;
	return false;
}

/* Puts the new value of class property cp into `now` when it differs,
 * after checking that it may change. */
static int change_one(swim_cim_call *call, const swim_cim_class *cls,
                      const swim_cim_property *cp, swim_cim_instance *now,
                      swim_cim_value *nv, bool *changed)
{
	const swim_cim_value *cur = swim_cim_instance_value(now, cp->name);

	*changed = false;
	if (cur && swim_cim_value_equal(cur, nv))
		return 0;
	if (cp->key)
		return swim_cim_call_fail(call, SWIM_CIM_ERR_INVALID_PARAMETER,
		                          SWIM_EINVAL, "key property %s of %s "
		                          "cannot change", cp->name, cls->name);
	if (!swim_cim_qualifiers_true(&cp->quals, "Write"))
		return swim_cim_call_fail(call, SWIM_CIM_ERR_INVALID_PARAMETER,
		                          SWIM_EINVAL, "property %s of %s is "
		                          "read-only (no Write qualifier)",
		                          cp->name, cls->name);
	*changed = true;
	return swim_cim_instance_set(now, cp->name, nv);
}

int swim_cimom_modify_instance(swim_cim_call *call,
                               const swim_cim_path *path,
                               swim_cim_instance *inst,
                               bool has_property_list,
                               const char *const *props, size_t nprops)
{
	const struct cimom_provider *p = NULL;
	const swim_cim_class *cls, *real;
	swim_cim_instance *now = NULL;
	swim_cim_path *tp = NULL;
	const char **changed = NULL;
	size_t nchanged = 0;
	int rc;

	if ((rc = swim_cimom__may_modify(call, "modify instances")) < 0 ||
	    (rc = swim_cimom__client_path(&tp, &cls, call, path)) < 0)
		goto out;
	if (!swim_str_ieq(inst->classname, cls->name)) {
		rc = swim_cim_call_fail(call, SWIM_CIM_ERR_INVALID_PARAMETER,
		                        SWIM_EINVAL, "the instance is of class %s, "
		                        "its path of %s", inst->classname,
		                        cls->name);
		goto out;
	}
	for (size_t i = 0; has_property_list && i < nprops; i++)
		if (!swim_cim_class_property(cls, props[i])) {
			rc = swim_cim_call_fail(call, SWIM_CIM_ERR_INVALID_PARAMETER,
			                        SWIM_EINVAL, "class %s has no property %s "
			                        "(PropertyList)", cls->name, props[i]);
			goto out;
		}
	if ((rc = client_instance(call, inst, 0)) < 0 ||
	    (rc = swim_cimom__find(&now, &real, &p, call, tp)) < 0)
		goto out;
	if (!p->prov->modify) {
		rc = not_supported(call, "modified", real->name);
		goto out;
	}
	if (cls->props.n && !(changed = calloc(cls->props.n, sizeof(*changed)))) {
		rc = swim_error_oom();
		goto out;
	}
	for (size_t i = 0; i < cls->props.n; i++) {
		const swim_cim_property *cp = &cls->props.v[i];
		const swim_cim_property *given = swim_cim_instance_property(inst,
		                                                            cp->name);
		swim_cim_value nv = SWIM_CIM_VALUE_INIT;
		bool did;

		if (has_property_list ? !listed(props, nprops, cp->name) : !given)
			continue;
		/* Listed but not given: DSP0200 sets it to NULL. */
		if (given)
			rc = swim_cim_value_copy(&nv, &given->value);
		else
			swim_cim_value_init(&nv, cp->value.type, cp->value.array);
		if (rc < 0 ||
		    (rc = change_one(call, cls, cp, now, &nv, &did)) < 0) {
			swim_cim_value_dispose(&nv);
			goto out;
		}
		swim_cim_value_dispose(&nv);
		if (did)
			changed[nchanged++] = cp->name;
	}
	if (nchanged)
		rc = p->prov->modify(p->ctx, call, real, now, changed, nchanged);
out:
	free(changed);
	swim_cim_instance_free(now);
	swim_cim_path_free(tp);
	return rc;
}

int swim_cimom_delete_instance(swim_cim_call *call,
                               const swim_cim_path *path)
{
	const struct cimom_provider *p = NULL;
	const swim_cim_class *cls, *real;
	swim_cim_instance *now = NULL;
	swim_cim_path *tp = NULL;
	int rc;

	if ((rc = swim_cimom__may_modify(call, "delete instances")) < 0 ||
	    (rc = swim_cimom__client_path(&tp, &cls, call, path)) < 0 ||
	    (rc = swim_cimom__find(&now, &real, &p, call, tp)) < 0)
		goto out;
	if (!p->prov->remove)
		rc = not_supported(call, "deleted", real->name);
	else
		rc = p->prov->remove(p->ctx, call, real, now->path);
out:
	swim_cim_instance_free(now);
	swim_cim_path_free(tp);
	return rc;
}

/* Properties --------------------------------------------------------------- */

static int no_property(swim_cim_call *call, const swim_cim_class *cls,
                       const char *name)
{
	return swim_cim_call_fail(call, SWIM_CIM_ERR_NO_SUCH_PROPERTY,
	                          SWIM_ENOTFOUND, "class %s has no property %s",
	                          cls->name, name);
}

int swim_cimom_get_property(swim_cim_value *out, swim_cim_call *call,
                            const swim_cim_path *path, const char *name)
{
	const swim_cim_class *cls;
	swim_cim_instance *inst = NULL;
	const swim_cim_value *v;
	swim_cim_path *tp = NULL;
	int rc;

	swim_cim_value_init(out, SWIM_CIM_NONE, false);
	if ((rc = swim_cimom__client_path(&tp, &cls, call, path)) < 0)
		goto out;
	if (!swim_cim_class_property(cls, name)) {
		rc = no_property(call, cls, name);
		goto out;
	}
	if ((rc = swim_cimom__find(&inst, NULL, NULL, call, tp)) < 0)
		goto out;
	if (!(v = swim_cim_instance_value(inst, name))) {
		rc = no_property(call, cls, name);
		goto out;
	}
	rc = swim_cim_value_copy(out, v);
out:
	swim_cim_instance_free(inst);
	swim_cim_path_free(tp);
	return rc;
}

int swim_cimom_set_property(swim_cim_call *call, const swim_cim_path *path,
                            const char *name, swim_cim_value *value)
{
	const char *names[1];
	const swim_cim_property *cp;
	const swim_cim_class *cls;
	swim_cim_instance *inst = NULL;
	swim_cim_path *tp = NULL;
	int rc;

	if ((rc = swim_cimom__may_modify(call, "modify instances")) < 0 ||
	    (rc = swim_cimom__client_path(&tp, &cls, call, path)) < 0)
		goto out;
	if (!(cp = swim_cim_class_property(cls, name))) {
		rc = no_property(call, cls, name);
		goto out;
	}
	if ((rc = swim_cim_instance_new(&inst, cls->name)) < 0 ||
	    (rc = swim_cim_instance_set(inst, cp->name, value)) < 0)
		goto out;
	names[0] = cp->name;
	rc = swim_cimom_modify_instance(call, tp, inst, true, names, 1);
out:
	swim_cim_instance_free(inst);
	swim_cim_path_free(tp);
	return rc;
}
