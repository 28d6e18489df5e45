/* One CIM-XML request end to end: envelope, header checks, the
 * operation table (intrinsic methods with their parameters and DSP0200
 * defaults), the object manager, the response. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cimxml/server_internal.h"
#include "util/str.h"

swim_cim_status swim_cimxml_status(int rc, swim_cim_status status)
{
	if (status != SWIM_CIM_OK)
		return status;
	switch (rc) {
	case SWIM_ENOTFOUND: return SWIM_CIM_ERR_NOT_FOUND;
	case SWIM_EEXISTS: return SWIM_CIM_ERR_ALREADY_EXISTS;
	case SWIM_EINVAL: return SWIM_CIM_ERR_INVALID_PARAMETER;
	case SWIM_EACCESS: return SWIM_CIM_ERR_ACCESS_DENIED;
	case SWIM_ENOTSUPPORTED: return SWIM_CIM_ERR_NOT_SUPPORTED;
	case SWIM_ELIMIT: return SWIM_CIM_ERR_SERVER_LIMITS_EXCEEDED;
	default: return SWIM_CIM_ERR_FAILED;
	}
}

struct op {
	const char *name;
	swim_cimxml_op_fn run;  /* NULL: CIM_ERR_NOT_SUPPORTED */
	bool modifies;
	const swim_cimxml_param_spec *params;
	size_t nparams;
};

swim_cim_filter swim_cimxml__filter(const swim_cimxml_params *p,
                                    bool local_only)
{
	swim_cim_filter f = {
		p->has_property_list, (const char *const *)p->property_list,
		p->property_count, local_only, NULL, p->include_qualifiers,
		p->include_class_origin
	};

	return f;
}

swim_cim_assoc_filter swim_cimxml__assoc(const swim_cimxml_params *p)
{
	swim_cim_assoc_filter af = { p->assoc_class, p->result_class, p->role,
	                             p->result_role };

	return af;
}

/* The audit line's object: a path in CIMObject form, or ns:Class. */
static void set_object(struct serve *s, const char *classname,
                       const swim_cim_path *path)
{
	swim_buf b = SWIM_BUF_INIT(0);
	swim_cim_path *copy = NULL;

	if (path && swim_cim_path_copy(&copy, path) == 0 &&
	    (copy->ns || swim_cim_path_set_namespace(copy, s->call.ns) == 0) &&
	    swim_cim_path_format(&b, copy, SWIM_CIM_URI_CIMOBJECT) == 0) {
		/* written */
	} else {
		swim_buf_clear(&b);
		(void)swim_buf_printf(&b, "%s%s%s", s->call.ns ? s->call.ns : "",
		                      classname ? ":" : "",
		                      classname ? classname : "");
	}
	swim_cim_path_free(copy);
	free(s->object);
	s->object = swim_buf_detach(&b);
}

/* Results ------------------------------------------------------------------ */

int swim_cimxml__emit(void *ctx, const swim_cim_object *obj)
{
	struct results *r = ctx;
	swim_xmlw *w = r->w;

	switch (r->kind) {
	case R_CLASS:
		swim_cimxml_write_class(w, obj->cls);
		break;
	case R_CLASSNAME:
		swim_cimxml_write_classname(w, obj->path->classname);
		break;
	case R_NAMEDINSTANCE:
		swim_xmlw_start(w, "VALUE.NAMEDINSTANCE");
		swim_cimxml_write_instancename(w, obj->path);
		swim_cimxml_write_instance(w, obj->inst);
		swim_xmlw_end(w);
		break;
	case R_INSTANCENAME:
		swim_cimxml_write_instancename(w, obj->path);
		break;
	case R_OBJECTWITHPATH:
		swim_xmlw_start(w, "VALUE.OBJECTWITHPATH");
		if (obj->cls) {
			swim_cimxml_write_classpath(w, obj->path);
			swim_cimxml_write_class(w, obj->cls);
		} else {
			swim_cimxml_write_instancepath(w, obj->path);
			swim_cimxml_write_instance(w, obj->inst);
		}
		swim_xmlw_end(w);
		break;
	case R_OBJECTPATH:
		swim_cimxml_write_objectpath(w, obj->path);
		break;
	case R_INSTANCEWITHPATH:
		swim_xmlw_start(w, "VALUE.INSTANCEWITHPATH");
		swim_cimxml_write_instancepath(w, obj->path);
		swim_cimxml_write_instance(w, obj->inst);
		swim_xmlw_end(w);
		break;
	case R_INSTANCEPATH:
		swim_cimxml_write_instancepath(w, obj->path);
		break;
	case R_INSTANCE:
		swim_cimxml_write_instance(w, obj->inst);
		break;
	}
	if (w->rc)
		return w->rc;
	return r->part_bytes && w->out->len >= r->part_bytes ? 1 : 0;
}

/* Intrinsic operations ----------------------------------------------------- */

static int op_get_class(struct serve *s, swim_cimxml_params *p)
{
	swim_cim_filter f = swim_cimxml__filter(p, p->local_only);
	swim_cim_class *cls = NULL;
	int rc;

	if ((rc = swim_cimom_get_class(&cls, &s->call, p->class_name, &f)) < 0)
		return rc;
	swim_xmlw_start(&s->w, "IRETURNVALUE");
	swim_cimxml_write_class(&s->w, cls);
	swim_xmlw_end(&s->w);
	swim_cim_class_free(cls);
	return 0;
}

/* Classes are few: their answers are built whole. */
static int enum_classes(struct serve *s, swim_cimxml_params *p,
                        const swim_cim_filter *f, enum result_kind kind)
{
	struct results r = { &s->w, kind, 0 };
	int rc;

	swim_xmlw_start(&s->w, "IRETURNVALUE");
	rc = swim_cimom_enum_classes(&s->call, p->class_name,
	                             p->deep_inheritance, f, swim_cimxml__emit,
	                             &r);
	swim_xmlw_end(&s->w);
	return rc;
}

static int op_enum_classes(struct serve *s, swim_cimxml_params *p)
{
	swim_cim_filter f = swim_cimxml__filter(p, p->local_only);

	return enum_classes(s, p, &f, R_CLASS);
}

static int op_enum_class_names(struct serve *s, swim_cimxml_params *p)
{
	return enum_classes(s, p, NULL, R_CLASSNAME);
}

/* DSP0200 deprecates LocalOnly for instances and lets servers ignore it
 * for GetInstance, which swimd does (clients disagree on it). */
static int op_get_instance(struct serve *s, swim_cimxml_params *p)
{
	swim_cim_filter f = swim_cimxml__filter(p, false);
	swim_cim_instance *inst = NULL;
	int rc;

	if ((rc = swim_cimom_get_instance(&inst, &s->call, p->path, &f)) < 0)
		return rc;
	swim_xmlw_start(&s->w, "IRETURNVALUE");
	swim_cimxml_write_instance(&s->w, inst);
	swim_xmlw_end(&s->w);
	swim_cim_instance_free(inst);
	return 0;
}

static int op_create_instance(struct serve *s, swim_cimxml_params *p)
{
	swim_cim_path *path = NULL;
	int rc;

	set_object(s, p->instance->classname, NULL);
	if ((rc = swim_cimom_create_instance(&path, &s->call,
	                                     p->instance)) < 0)
		return rc;
	set_object(s, NULL, path);
	swim_xmlw_start(&s->w, "IRETURNVALUE");
	swim_cimxml_write_instancename(&s->w, path);
	swim_xmlw_end(&s->w);
	swim_cim_path_free(path);
	return 0;
}

static int op_modify_instance(struct serve *s, swim_cimxml_params *p)
{
	set_object(s, p->path->classname, p->path);
	return swim_cimom_modify_instance(&s->call, p->path, p->instance,
	                                  p->has_property_list,
	                                  (const char *const *)p->property_list,
	                                  p->property_count);
}

static int op_delete_instance(struct serve *s, swim_cimxml_params *p)
{
	set_object(s, p->path->classname, p->path);
	return swim_cimom_delete_instance(&s->call, p->path);
}

static int op_get_property(struct serve *s, swim_cimxml_params *p)
{
	swim_cim_value v = SWIM_CIM_VALUE_INIT;
	int rc;

	if ((rc = swim_cimom_get_property(&v, &s->call, p->path,
	                                  p->property_name)) < 0)
		return rc;
	swim_xmlw_start(&s->w, "IRETURNVALUE");
	swim_cimxml_write_value(&s->w, &v);
	swim_xmlw_end(&s->w);
	swim_cim_value_dispose(&v);
	return 0;
}

static int op_set_property(struct serve *s, swim_cimxml_params *p)
{
	set_object(s, p->path->classname, p->path);
	return swim_cimom_set_property(&s->call, p->path, p->property_name,
	                               &p->new_value);
}

#define REQ(id) { SWIM_CIMXML_P_##id, true, false }
#define OPT(id, def) { SWIM_CIMXML_P_##id, false, def }

static const swim_cimxml_param_spec get_class_params[] = {
	REQ(CLASSNAME), OPT(LOCALONLY, true), OPT(INCLUDEQUALIFIERS, true),
	OPT(INCLUDECLASSORIGIN, false), OPT(PROPERTYLIST, false),
};
static const swim_cimxml_param_spec enum_classes_params[] = {
	OPT(CLASSNAME, false), OPT(DEEPINHERITANCE, false),
	OPT(LOCALONLY, true), OPT(INCLUDEQUALIFIERS, true),
	OPT(INCLUDECLASSORIGIN, false),
};
static const swim_cimxml_param_spec enum_class_names_params[] = {
	OPT(CLASSNAME, false), OPT(DEEPINHERITANCE, false),
};
/* LocalOnly's DSP0200 default for instances is TRUE, but it is
 * deprecated and clients are told to send FALSE: swimd treats a missing
 * LocalOnly as FALSE (docs/swimd.md). */
static const swim_cimxml_param_spec get_instance_params[] = {
	REQ(INSTANCENAME), OPT(LOCALONLY, false), OPT(INCLUDEQUALIFIERS, false),
	OPT(INCLUDECLASSORIGIN, false), OPT(PROPERTYLIST, false),
};
static const swim_cimxml_param_spec enum_instances_params[] = {
	REQ(CLASSNAME), OPT(LOCALONLY, false), OPT(DEEPINHERITANCE, true),
	OPT(INCLUDEQUALIFIERS, false), OPT(INCLUDECLASSORIGIN, false),
	OPT(PROPERTYLIST, false),
};
static const swim_cimxml_param_spec enum_instance_names_params[] = {
	REQ(CLASSNAME),
};
static const swim_cimxml_param_spec associators_params[] = {
	REQ(OBJECTNAME), OPT(ASSOCCLASS, false), OPT(RESULTCLASS, false),
	OPT(ROLE, false), OPT(RESULTROLE, false),
	OPT(INCLUDEQUALIFIERS, false), OPT(INCLUDECLASSORIGIN, false),
	OPT(PROPERTYLIST, false),
};
static const swim_cimxml_param_spec associator_names_params[] = {
	REQ(OBJECTNAME), OPT(ASSOCCLASS, false), OPT(RESULTCLASS, false),
	OPT(ROLE, false), OPT(RESULTROLE, false),
};
static const swim_cimxml_param_spec references_params[] = {
	REQ(OBJECTNAME), OPT(RESULTCLASS, false), OPT(ROLE, false),
	OPT(INCLUDEQUALIFIERS, false), OPT(INCLUDECLASSORIGIN, false),
	OPT(PROPERTYLIST, false),
};
static const swim_cimxml_param_spec reference_names_params[] = {
	REQ(OBJECTNAME), OPT(RESULTCLASS, false), OPT(ROLE, false),
};
static const swim_cimxml_param_spec create_instance_params[] = {
	REQ(NEWINSTANCE),
};
static const swim_cimxml_param_spec modify_instance_params[] = {
	REQ(MODIFIEDINSTANCE), OPT(INCLUDEQUALIFIERS, true),
	OPT(PROPERTYLIST, false),
};
static const swim_cimxml_param_spec delete_instance_params[] = {
	REQ(INSTANCENAME),
};
static const swim_cimxml_param_spec get_property_params[] = {
	REQ(INSTANCENAME), REQ(PROPERTYNAME),
};
static const swim_cimxml_param_spec set_property_params[] = {
	REQ(INSTANCENAME), REQ(PROPERTYNAME), OPT(NEWVALUE, false),
};
static const swim_cimxml_param_spec exec_query_params[] = {
	REQ(QUERYLANGUAGE), REQ(QUERY),
};
/* Every Open operation takes these. LocalOnly and IncludeQualifiers are
 * not DSP0200's for them, but pywbem sends them: taken as for
 * EnumerateInstances. */
#define OPEN_OPTIONS \
	OPT(FILTERQUERYLANGUAGE, false), OPT(FILTERQUERY, false), \
	OPT(OPERATIONTIMEOUT, false), OPT(CONTINUEONERROR, false), \
	OPT(MAXOBJECTCOUNT, false)
static const swim_cimxml_param_spec open_enum_instances_params[] = {
	REQ(CLASSNAME), OPT(DEEPINHERITANCE, true), OPT(LOCALONLY, false),
	OPT(INCLUDEQUALIFIERS, false), OPT(INCLUDECLASSORIGIN, false),
	OPT(PROPERTYLIST, false), OPEN_OPTIONS,
};
static const swim_cimxml_param_spec open_enum_paths_params[] = {
	REQ(CLASSNAME), OPEN_OPTIONS,
};
static const swim_cimxml_param_spec open_associators_params[] = {
	REQ(INSTANCENAME), OPT(ASSOCCLASS, false), OPT(RESULTCLASS, false),
	OPT(ROLE, false), OPT(RESULTROLE, false), OPT(INCLUDEQUALIFIERS, false),
	OPT(INCLUDECLASSORIGIN, false), OPT(PROPERTYLIST, false), OPEN_OPTIONS,
};
static const swim_cimxml_param_spec open_associator_paths_params[] = {
	REQ(INSTANCENAME), OPT(ASSOCCLASS, false), OPT(RESULTCLASS, false),
	OPT(ROLE, false), OPT(RESULTROLE, false), OPEN_OPTIONS,
};
static const swim_cimxml_param_spec open_references_params[] = {
	REQ(INSTANCENAME), OPT(RESULTCLASS, false), OPT(ROLE, false),
	OPT(INCLUDEQUALIFIERS, false), OPT(INCLUDECLASSORIGIN, false),
	OPT(PROPERTYLIST, false), OPEN_OPTIONS,
};
static const swim_cimxml_param_spec open_reference_paths_params[] = {
	REQ(INSTANCENAME), OPT(RESULTCLASS, false), OPT(ROLE, false),
	OPEN_OPTIONS,
};
static const swim_cimxml_param_spec open_query_params[] = {
	REQ(FILTERQUERYLANGUAGE), REQ(FILTERQUERY),
	OPT(RETURNQUERYRESULTCLASS, false), OPT(OPERATIONTIMEOUT, false),
	OPT(CONTINUEONERROR, false), OPT(MAXOBJECTCOUNT, false),
};
static const swim_cimxml_param_spec pull_params[] = {
	REQ(ENUMERATIONCONTEXT), REQ(MAXOBJECTCOUNT),
};
static const swim_cimxml_param_spec close_params[] = {
	REQ(ENUMERATIONCONTEXT),
};

#define OP(name, fn, modifies, params) \
	{ name, fn, modifies, params, SWIM_ARRAY_SIZE(params) }
#define UNSUPPORTED(name) { name, NULL, false, NULL, 0 }

/* Every intrinsic method of DSP0200. */
static const struct op ops[] = {
	OP("GetClass", op_get_class, false, get_class_params),
	OP("EnumerateClasses", op_enum_classes, false, enum_classes_params),
	OP("EnumerateClassNames", op_enum_class_names, false,
	   enum_class_names_params),
	OP("GetInstance", op_get_instance, false, get_instance_params),
	OP("EnumerateInstances", swim_cimxml__enum_instances, false,
	   enum_instances_params),
	OP("EnumerateInstanceNames", swim_cimxml__enum_instance_names, false,
	   enum_instance_names_params),
	OP("Associators", swim_cimxml__associators, false, associators_params),
	OP("AssociatorNames", swim_cimxml__associator_names, false,
	   associator_names_params),
	OP("References", swim_cimxml__references, false, references_params),
	OP("ReferenceNames", swim_cimxml__reference_names, false,
	   reference_names_params),
	OP("CreateInstance", op_create_instance, true, create_instance_params),
	OP("ModifyInstance", op_modify_instance, true, modify_instance_params),
	OP("DeleteInstance", op_delete_instance, true, delete_instance_params),
	OP("GetProperty", op_get_property, false, get_property_params),
	OP("SetProperty", op_set_property, true, set_property_params),
	OP("ExecQuery", swim_cimxml__exec_query, false, exec_query_params),
	OP("OpenEnumerateInstances", swim_cimxml__open_enum_instances, false,
	   open_enum_instances_params),
	OP("OpenEnumerateInstancePaths", swim_cimxml__open_enum_paths, false,
	   open_enum_paths_params),
	OP("OpenAssociatorInstances", swim_cimxml__open_associators, false,
	   open_associators_params),
	OP("OpenAssociatorInstancePaths", swim_cimxml__open_associator_paths,
	   false, open_associator_paths_params),
	OP("OpenReferenceInstances", swim_cimxml__open_references, false,
	   open_references_params),
	OP("OpenReferenceInstancePaths", swim_cimxml__open_reference_paths,
	   false, open_reference_paths_params),
	OP("OpenQueryInstances", swim_cimxml__open_query, false,
	   open_query_params),
	OP("PullInstancesWithPath", swim_cimxml__pull_with_path, false,
	   pull_params),
	OP("PullInstancePaths", swim_cimxml__pull_paths, false, pull_params),
	OP("PullInstances", swim_cimxml__pull_instances, false, pull_params),
	OP("CloseEnumeration", swim_cimxml__close, false, close_params),
	UNSUPPORTED("EnumerationCount"),
	UNSUPPORTED("CreateClass"),
	UNSUPPORTED("ModifyClass"),
	UNSUPPORTED("DeleteClass"),
	UNSUPPORTED("GetQualifier"),
	UNSUPPORTED("SetQualifier"),
	UNSUPPORTED("DeleteQualifier"),
	UNSUPPORTED("EnumerateQualifiers"),
};

static const struct op *op_find(const char *name)
{
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(ops); i++)
		if (swim_str_ieq(ops[i].name, name))
			return &ops[i];
	return NULL;
}

static int refuse_read_only(struct serve *s)
{
	return swim_cim_call_fail(&s->call, SWIM_CIM_ERR_ACCESS_DENIED,
	                          SWIM_EACCESS, "user %s is read-only and may "
	                          "not call %s", s->in->user, s->req.method);
}

static int run_intrinsic(struct serve *s, const struct op *op)
{
	swim_cimxml_params p;
	int rc;

	if (!op || !op->run)
		return swim_cim_call_fail(&s->call, SWIM_CIM_ERR_NOT_SUPPORTED,
		                          SWIM_ENOTSUPPORTED, "%s is not supported",
		                          s->req.method);
	if (op->modifies && s->in->read_only)
		return refuse_read_only(s);
	if ((rc = swim_cimxml_params_read(&p, &s->rd, s->req.call, op->params,
	                                  op->nparams)) == 0)
		rc = op->run(s, &p);
	swim_cimxml_params_dispose(&p);
	return rc;
}

/* Extrinsic methods -------------------------------------------------------- */

static void write_paramtype(swim_xmlw *w, const swim_cim_value *v)
{
	swim_xmlw_attr(w, "PARAMTYPE", v->type == SWIM_CIM_REFERENCE
	               ? "reference" : swim_cim_type_name(v->type));
	if (v->type == SWIM_CIM_OBJECT)
		swim_xmlw_attr(w, "EmbeddedObject", "object");
	else if (v->type == SWIM_CIM_INSTANCE)
		swim_xmlw_attr(w, "EmbeddedObject", "instance");
}

static int run_extrinsic(struct serve *s)
{
	swim_cim_instance *args = NULL, *outp = NULL;
	swim_cim_value ret = SWIM_CIM_VALUE_INIT;
	swim_xmlw *w = &s->w;
	int rc;

	set_object(s, s->req.target->classname, s->req.target);
	if (s->in->read_only) {
		rc = refuse_read_only(s);
		goto out;
	}
	if ((rc = swim_cimxml_args_read(&args, &s->rd, s->req.call)) < 0 ||
	    (rc = swim_cimom_invoke(&s->call, s->req.target, s->req.method,
	                            args, &ret, &outp)) < 0)
		goto out;
	swim_xmlw_start(w, "RETURNVALUE");
	write_paramtype(w, &ret);
	swim_cimxml_write_value(w, &ret);
	swim_xmlw_end(w);
	for (size_t i = 0; outp && i < outp->props.n; i++) {
		const swim_cim_property *a = &outp->props.v[i];

		swim_xmlw_start(w, "PARAMVALUE");
		swim_xmlw_attr(w, "NAME", a->name);
		write_paramtype(w, &a->value);
		swim_cimxml_write_value(w, &a->value);
		swim_xmlw_end(w);
	}
out:
	swim_cim_value_dispose(&ret);
	swim_cim_instance_free(args);
	swim_cim_instance_free(outp);
	return rc;
}

/* The envelope ------------------------------------------------------------- */

static int header_error(struct serve *s, unsigned status,
                        const char *cim_error, const char *msg)
{
	s->out->status = status;
	s->out->cim_error = cim_error;
	swim_buf_clear(s->out->body);
	return swim_buf_puts(s->out->body, msg);
}

static bool same_namespace(const char *a, const char *b)
{
	size_t la, lb;

	while (*a == '/')
		a++;
	while (*b == '/')
		b++;
	la = strlen(a);
	lb = strlen(b);
	while (la && a[la - 1] == '/')
		la--;
	while (lb && b[lb - 1] == '/')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

/* The header's path names the body's target: same namespace, class and
 * keys, compared by value once both are typed against the class. */
static bool same_target(struct serve *s, const swim_cim_path *hp)
{
	const swim_cim_path *bp = s->req.target;
	const char *ns = swim_cim_repo_namespace(swim_cimom_repo(s->om), bp->ns);
	swim_cim_path *a = NULL, *b = NULL;
	bool same;

	if (!hp->ns || !same_namespace(hp->ns, bp->ns) ||
	    !swim_str_ieq(hp->classname, bp->classname) ||
	    hp->instance != bp->instance)
		return false;
	if (ns && swim_cim_path_copy(&a, hp) == 0 &&
	    swim_cim_path_copy(&b, bp) == 0 &&
	    swim_cim_repo_coerce_path(swim_cimom_repo(s->om), ns, a, NULL) == 0 &&
	    swim_cim_repo_coerce_path(swim_cimom_repo(s->om), ns, b, NULL) == 0)
		same = swim_cim_path_match(a, b, SWIM_CIM_PATH_IGNORE_NAMESPACE);
	else
		same = swim_cim_path_match(hp, bp, SWIM_CIM_PATH_IGNORE_NAMESPACE);
	swim_cim_path_free(a);
	swim_cim_path_free(b);
	swim_error_clear();
	return same;
}

/* 1 when the headers agree with the body, 0 after answering the
 * mismatch, or an error. */
static int check_headers(struct serve *s)
{
	swim_buf msg = SWIM_BUF_INIT(0);
	swim_cim_path *hp = NULL;
	int rc = 1;

	if (!swim_str_ieq(s->in->cim_method, s->req.method)) {
		rc = swim_buf_printf(&msg, "CIMMethod '%s' is not the method "
		                     "called in the body (%s)", s->in->cim_method,
		                     s->req.method);
	} else if (s->req.intrinsic) {
		if (!same_namespace(s->in->cim_object, s->req.ns))
			rc = swim_buf_printf(&msg, "CIMObject '%s' is not the "
			                     "namespace of the body (%s)",
			                     s->in->cim_object, s->req.ns);
	} else if (swim_cim_path_parse(&hp, s->in->cim_object,
	                               swim_cimom_limits(s->om)) < 0 ||
	           !same_target(s, hp)) {
		rc = swim_buf_printf(&msg, "CIMObject '%s' is not the object "
		                     "the body calls %s on", s->in->cim_object,
		                     s->req.method);
	}
	swim_cim_path_free(hp);
	if (rc == 0)
		rc = header_error(s, 400, "header-mismatch", msg.ptr);
	swim_buf_dispose(&msg);
	return rc;
}

static void write_error(struct serve *s, swim_cim_status status)
{
	swim_buf desc = SWIM_BUF_INIT(0);
	const char *last = swim_error_last();
	size_t len = strlen(last);

	/* Messages are text; anything XML cannot carry is shown escaped. */
	if (swim_str_is_utf8(last, len) && !swim_str_has_ctrl(last, len, true))
		swim_cimxml_write_fail(&s->w, swim_buf_put(&desc, last, len));
	else
		swim_cimxml_write_fail(&s->w, swim_str_escape(&desc, last, len));
	swim_xmlw_start(&s->w, "ERROR");
	swim_xmlw_attrf(&s->w, "CODE", "%d", (int)status);
	swim_xmlw_attr(&s->w, "DESCRIPTION", desc.ptr);
	swim_xmlw_end(&s->w);
	swim_buf_dispose(&desc);
}

static int respond(struct serve *s, swim_cimxml_audit_fn audit,
                   void *audit_ctx)
{
	const struct op *op = s->req.intrinsic ? op_find(s->req.method) : NULL;
	bool modifies = s->req.intrinsic ? op && op->modifies : true;
	swim_buf result = SWIM_BUF_INIT(0);
	swim_xmlw saved;
	size_t mark;
	int rc;

	/* Most answers fit in 4 KiB: one allocation instead of a doubling
	 * from 64 bytes. Under a smaller cap the writes grow as they go. */
	if (swim_buf_grow(s->out->body, 4096) < 0)
		swim_error_clear();
	swim_xmlw_init(&s->w, s->out->body, true);
	s->w.end_tags = true;
	swim_xmlw_decl(&s->w);
	swim_xmlw_start(&s->w, "CIM");
	swim_xmlw_attr(&s->w, "CIMVERSION", "2.0");
	swim_xmlw_attr(&s->w, "DTDVERSION", "2.0");
	swim_xmlw_start(&s->w, "MESSAGE");
	swim_xmlw_attr(&s->w, "ID", s->req.id);
	swim_xmlw_attr(&s->w, "PROTOCOLVERSION", "1.0");
	swim_xmlw_start(&s->w, "SIMPLERSP");
	swim_xmlw_start(&s->w, s->req.intrinsic ? "IMETHODRESPONSE"
	                                         : "METHODRESPONSE");
	swim_xmlw_attr(&s->w, "NAME", s->req.method);
	/* Only the client's ID or method name can fail here. */
	if (s->w.rc)
		return header_error(s, 400, "request-not-valid",
		                    swim_error_last());
	saved = s->w;
	mark = s->out->body->len;
	rc = swim_cim_call_init(&s->call, s->om, s->req.ns, s->in->user,
	                        s->in->read_only);
	s->call.embedded = swim_cimxml_read_embedded;
	s->call.embedded_ctx = &s->rd;
	if (rc == 0)
		rc = s->req.intrinsic ? run_intrinsic(s, op) : run_extrinsic(s);
	if (rc == 0 && s->w.rc)
		rc = s->w.rc;
	if (rc == 0 && s->stream) {
		/* The rest of the answer, and its end, come from the stream;
		 * enumerations change nothing, so there is nothing to audit. */
		s->out->stream = s->stream;
		s->stream = NULL;
		swim_buf_dispose(&result);
		return 0;
	}
	if (rc < 0) {
		swim_cim_status st = swim_cimxml_status(rc,
		        s->call.status != SWIM_CIM_OK ? s->call.status
		                                      : s->rd.status);

		swim_cimxml_stream_free(s->stream);
		s->stream = NULL;
		swim_buf_truncate(s->out->body, mark);
		s->w = saved;
		write_error(s, st);
		(void)swim_buf_printf(&result, "%s: %s", swim_cim_status_name(st),
		                      swim_error_last());
	} else {
		(void)swim_buf_puts(&result, "OK");
	}
	while (s->w.depth)
		swim_xmlw_end(&s->w);
	rc = swim_xmlw_finish(&s->w);
	if (modifies && audit) {
		if (!s->object)
			set_object(s, NULL, s->req.target);
		audit(audit_ctx, s->req.method, s->object, result.ptr);
	}
	swim_buf_dispose(&result);
	return rc;
}

int swim_cimxml_serve(swim_cimom *om, const swim_cimxml_input *in,
                      swim_cimxml_output *out, swim_cimxml_audit_fn audit,
                      void *audit_ctx)
{
	struct serve s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.om = om;
	s.in = in;
	s.out = out;
	out->status = 200;
	out->cim_error = NULL;
	out->stream = NULL;
	swim_buf_clear(out->body);
	/* Most answers fit: one allocation instead of a chain of them (a
	 * failure here shows again when the answer is written). */
	(void)swim_buf_grow(out->body, out->body->max && out->body->max < 8192
	                               ? out->body->max / 2 : 4096);
	swim_error_clear();
	swim_cimxml_reader_init(&s.rd, swim_cimom_limits(om));
	rc = swim_cimxml_request_parse(&s.req, in->body, in->body_len,
	                               swim_cimom_limits(om), in->parser);
	if (rc < 0 && s.req.http_status)
		rc = header_error(&s, s.req.http_status, s.req.cim_error,
		                  swim_error_last());
	else if (rc == 0 && (rc = check_headers(&s)) == 1)
		rc = respond(&s, audit, audit_ctx);
	swim_cimxml_request_dispose(&s.req);
	free(s.object);
	return rc;
}
