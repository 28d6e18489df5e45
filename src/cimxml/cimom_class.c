/* Class operations (GetClass, EnumerateClasses, EnumerateClassNames)
 * and extrinsic method calls. */
#include <stdlib.h>
#include <string.h>

#include "cimxml/cimom_internal.h"
#include "util/str.h"

int swim_cimom_get_class(swim_cim_class **out, swim_cim_call *call,
                         const char *classname, const swim_cim_filter *f)
{
	const swim_cim_class *cls = swim_cim_repo_class(call->repo, call->ns,
	                                                classname);
	int rc;

	*out = NULL;
	if (!cls)
		return swim_cim_call_fail(call, SWIM_CIM_ERR_NOT_FOUND,
		                          SWIM_ENOTFOUND, "no class %s in namespace %s",
		                          classname, call->ns);
	if ((rc = swim_cim_class_copy(out, cls)) < 0)
		return rc;
	if (f)
		swim_cim_class_filter(*out, f);
	return 0;
}

struct class_out {
	swim_cim_call *call;
	const swim_cim_filter *f;
	swim_cim_emit_fn emit;
	void *ctx;
};

static int emit_class(const swim_cim_class *cls, void *ctx)
{
	struct class_out *co = ctx;
	swim_cim_object obj = { NULL, NULL, NULL };
	swim_cim_class *copy = NULL;
	swim_cim_path *path = NULL;
	int rc;

	if ((rc = swim_cimom__count(co->call)) < 0 ||
	    (rc = swim_cim_path_new(&path, co->call->host, co->call->ns,
	                            cls->name)) < 0)
		goto out;
	if (co->f) {
		if ((rc = swim_cim_class_copy(&copy, cls)) < 0)
			goto out;
		swim_cim_class_filter(copy, co->f);
	}
	obj.path = path;
	obj.cls = copy;
	rc = co->emit(co->ctx, &obj);
out:
	swim_cim_class_free(copy);
	swim_cim_path_free(path);
	return rc;
}

int swim_cimom_enum_classes(swim_cim_call *call, const char *classname,
                            bool deep, const swim_cim_filter *f,
                            swim_cim_emit_fn emit, void *ctx)
{
	struct class_out co = { call, f, emit, ctx };
	int rc;

	if (classname && !swim_cim_repo_class(call->repo, call->ns, classname))
		return swim_cim_call_fail(call, SWIM_CIM_ERR_INVALID_CLASS,
		                          SWIM_ENOTFOUND, "no class %s in namespace %s",
		                          classname, call->ns);
	rc = swim_cim_repo_each_class(call->repo, call->ns, classname, deep,
	                              emit_class, &co);
	return rc < 0 ? rc : 0;
}

/* Methods ------------------------------------------------------------------ */

/* What a provider returned, checked against the declaration: its bugs
 * are FAILED. */
static int check_results(swim_cim_call *call, const swim_cim_method *m,
                         swim_cim_value *ret, swim_cim_instance *out)
{
	int rc;

	if ((rc = swim_cim_value_coerce(ret, m->type, false, NULL)) < 0)
		rc = swim_error_prefix("method %s, return value: ", m->name);
	else if ((rc = swim_cim_method_coerce_outputs(m, out, NULL)) == 0)
		return swim_cimom__normalise_refs(call, out);
	if (rc != SWIM_ENOMEM)
		call->status = SWIM_CIM_ERR_FAILED;
	return rc;
}

static int check_args(swim_cim_call *call, const swim_cim_method *m,
                      swim_cim_instance *in)
{
	swim_cim_coerce opt = { 0, call->embedded, call->embedded_ctx,
	                        call->om->lim, SWIM_CIM_OK };
	int rc = swim_cim_method_coerce_args(m, in, &opt);

	if (rc < 0) {
		call->status = opt.status != SWIM_CIM_OK ? opt.status
		               : rc == SWIM_ENOMEM ? SWIM_CIM_OK
		               : SWIM_CIM_ERR_INVALID_PARAMETER;
		return rc;
	}
	return swim_cimom__normalise_refs(call, in);
}

/* The class, provider and (for instance methods) instance a call goes
 * to. DSP0200 answers NOT_FOUND for a target class that does not
 * exist. */
static int method_target(const swim_cim_class **cls,
                         const struct cimom_provider **p,
                         swim_cim_instance **inst, swim_cim_call *call,
                         const swim_cim_path *target)
{
	swim_cim_path *tp = NULL;
	int rc;

	if ((rc = swim_cimom__client_path(&tp, cls, call, target)) < 0) {
		if (call->status == SWIM_CIM_ERR_INVALID_CLASS)
			call->status = SWIM_CIM_ERR_NOT_FOUND;
		return rc;
	}
	if (target->instance)
		rc = swim_cimom__find(inst, cls, p, call, tp);
	else
		*p = swim_cimom__provider(call->om, call->ns, (*cls)->name);
	swim_cim_path_free(tp);
	return rc;
}

int swim_cimom_invoke(swim_cim_call *call, const swim_cim_path *target,
                      const char *method, swim_cim_instance *in,
                      swim_cim_value *ret, swim_cim_instance **outp)
{
	const struct cimom_provider *p = NULL;
	const swim_cim_class *cls = NULL;
	swim_cim_instance *inst = NULL, *out = NULL;
	swim_cim_path *cpath = NULL;
	const swim_cim_method *m;
	int rc;

	*outp = NULL;
	swim_cim_value_init(ret, SWIM_CIM_NONE, false);
	if ((rc = swim_cimom__may_modify(call, "call methods")) < 0 ||
	    (rc = method_target(&cls, &p, &inst, call, target)) < 0)
		goto out;
	if (!(m = swim_cim_class_method(cls, method))) {
		rc = swim_cim_call_fail(call, SWIM_CIM_ERR_METHOD_NOT_FOUND,
		                        SWIM_ENOTFOUND, "class %s has no method %s",
		                        cls->name, method);
		goto out;
	}
	if (!target->instance &&
	    !swim_cim_qualifiers_true(&m->quals, "Static")) {
		rc = swim_cim_call_fail(call, SWIM_CIM_ERR_INVALID_PARAMETER,
		                        SWIM_EINVAL, "method %s of %s is not static: "
		                        "call it on an instance", m->name,
		                        cls->name);
		goto out;
	}
	if (!p || !p->prov->invoke) {
		rc = swim_cim_call_fail(call, SWIM_CIM_ERR_METHOD_NOT_AVAILABLE,
		                        SWIM_ENOTSUPPORTED, "method %s of %s is "
		                        "not available", m->name, cls->name);
		goto out;
	}
	if ((rc = check_args(call, m, in)) < 0 ||
	    (rc = swim_cim_instance_new(&out, "__MethodParameters")) < 0)
		goto out;
	if (!inst && (rc = swim_cim_path_new(&cpath, call->host, call->ns,
	                                     cls->name)) < 0)
		goto out;
	if ((rc = p->prov->invoke(p->ctx, call, cls, inst ? inst->path : cpath,
	                          m, in, ret, out)) < 0 ||
	    (rc = check_results(call, m, ret, out)) < 0)
		goto out;
	*outp = out;
	out = NULL;
out:
	swim_cim_path_free(cpath);
	swim_cim_instance_free(inst);
	swim_cim_instance_free(out);
	return rc;
}
