/* The CIM-XML request envelope and the parameters of operations. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cimxml/request.h"
#include "swim/error.h"
#include "util/str.h"
#include "util/xml.h"

static bool is(const xmlNode *n, const char *name)
{
	return n && strcmp(swim_xml_name(n), name) == 0;
}

static int refuse(swim_cimxml_request *req, unsigned status,
                  const char *cim_error, int rc)
{
	if (rc == SWIM_ENOMEM)
		return rc;
	req->http_status = status;
	req->cim_error = cim_error;
	return rc < 0 ? rc : SWIM_EINVAL;
}

/* "2", "2.0", "2.4.1" for major 2. */
static bool version_is(const char *v, char major)
{
	if (!v || v[0] != major)
		return false;
	for (v++; *v; v++)
		if (*v != '.' && (*v < '0' || *v > '9'))
			return false;
	return true;
}

static int check_version(swim_cimxml_request *req, const xmlNode *n,
                         const char *attr, char major, const char *cim_error)
{
	const char *v = swim_xml_attr_ref(n, attr);

	if (!v)
		return refuse(req, 400, "request-not-valid",
		              swim_error_set(SWIM_EINVAL, "<%s> has no %s",
		                             swim_xml_name(n), attr));
	if (!version_is(v, major))
		return refuse(req, 501, cim_error,
		              swim_error_set(SWIM_ENOTSUPPORTED,
		                             "%s %s is not supported (%c.x is)",
		                             attr, v, major));
	return 0;
}

static int not_valid(swim_cimxml_request *req, const char *what)
{
	return refuse(req, 400, "request-not-valid",
	              swim_error_set(SWIM_EINVAL, "not a CIM operation "
	                             "request: %s", what));
}

/* The call inside SIMPLEREQ: namespace or target path. */
static int read_call(swim_cimxml_request *req, const xmlNode *call,
                     const swim_limits *lim)
{
	xmlNode *first = swim_xml_child(call, NULL);
	swim_cimxml_reader rd;
	int rc;

	swim_cimxml_reader_init(&rd, lim);
	req->call = call;
	req->intrinsic = is(call, "IMETHODCALL");
	req->method = swim_xml_attr_ref(call, "NAME");
	if (!req->method || !*req->method)
		return not_valid(req, "the call has no NAME");
	if (req->intrinsic) {
		if (!is(first, "LOCALNAMESPACEPATH"))
			return not_valid(req, "IMETHODCALL needs a LOCALNAMESPACEPATH");
		rc = swim_cimxml_read_namespace(&req->ns, &rd, first);
	} else {
		if (!is(first, "LOCALINSTANCEPATH") && !is(first, "LOCALCLASSPATH"))
			return not_valid(req, "METHODCALL needs a LOCALINSTANCEPATH "
			                 "or LOCALCLASSPATH");
		if ((rc = swim_cimxml_read_path(&req->target, &rd, first)) == 0 &&
		    !(req->ns = swim_strdup(req->target->ns)))
			rc = SWIM_ENOMEM;
	}
	if (rc < 0)
		return refuse(req, 400, "request-not-valid",
		              swim_error_prefix("not a CIM operation request: "));
	return 0;
}

int swim_cimxml_request_parse(swim_cimxml_request *req, const char *body,
                              size_t len, const swim_limits *lim,
                              xmlParserCtxt *parser)
{
	xmlNode *cim, *msg, *kind, *call;
	int rc;

	memset(req, 0, sizeof(*req));
	lim = lim ? lim : swim_limits_default();
	rc = swim_xml_parse_ctxt(&req->doc, parser, body, len,
	                         lim->http_max_body_bytes, lim, "request");
	if (rc == SWIM_ELIMIT)
		return refuse(req, 400, "request-not-valid", rc);
	if (rc < 0)
		return refuse(req, 400, "request-not-well-formed", rc);
	cim = xmlDocGetRootElement(req->doc);
	if (!is(cim, "CIM"))
		return not_valid(req, "the document is not <CIM>");
	if ((rc = check_version(req, cim, "CIMVERSION", '2',
	                        "unsupported-cim-version")) < 0 ||
	    (rc = check_version(req, cim, "DTDVERSION", '2',
	                        "unsupported-dtd-version")) < 0)
		return rc;
	if (!is(msg = swim_xml_child(cim, NULL), "MESSAGE"))
		return not_valid(req, "<CIM> holds no MESSAGE");
	if (!(req->id = swim_xml_attr_ref(msg, "ID")) || !*req->id)
		return not_valid(req, "the MESSAGE has no ID");
	if ((rc = check_version(req, msg, "PROTOCOLVERSION", '1',
	                        "unsupported-protocol-version")) < 0)
		return rc;
	kind = swim_xml_child(msg, NULL);
	if (is(kind, "MULTIREQ"))
		return refuse(req, 501, "multiple-requests-unsupported",
		              swim_error_set(SWIM_ENOTSUPPORTED,
		                             "multiple requests in one message "
		                             "are not supported"));
	if (!is(kind, "SIMPLEREQ"))
		return not_valid(req, "the MESSAGE holds no SIMPLEREQ");
	for (call = swim_xml_child(kind, NULL); is(call, "CORRELATOR");
	     call = swim_xml_next(call, NULL))
		;
	if (!is(call, "IMETHODCALL") && !is(call, "METHODCALL"))
		return not_valid(req, "SIMPLEREQ holds no IMETHODCALL or "
		                 "METHODCALL");
	return read_call(req, call, lim);
}

void swim_cimxml_request_dispose(swim_cimxml_request *req)
{
	xmlFreeDoc(req->doc);
	free(req->ns);
	swim_cim_path_free(req->target);
	memset(req, 0, sizeof(*req));
}

/* Intrinsic parameters ----------------------------------------------------- */

/* The parameters follow the namespace or target path. */
static xmlNode *after_first(const xmlNode *call)
{
	xmlNode *first = swim_xml_child(call, NULL);

	return first ? swim_xml_next(first, NULL) : NULL;
}

static const char *const param_names[SWIM_CIMXML_P_COUNT] = {
	[SWIM_CIMXML_P_CLASSNAME] = "ClassName",
	[SWIM_CIMXML_P_INSTANCENAME] = "InstanceName",
	[SWIM_CIMXML_P_OBJECTNAME] = "ObjectName",
	[SWIM_CIMXML_P_LOCALONLY] = "LocalOnly",
	[SWIM_CIMXML_P_DEEPINHERITANCE] = "DeepInheritance",
	[SWIM_CIMXML_P_INCLUDEQUALIFIERS] = "IncludeQualifiers",
	[SWIM_CIMXML_P_INCLUDECLASSORIGIN] = "IncludeClassOrigin",
	[SWIM_CIMXML_P_PROPERTYLIST] = "PropertyList",
	[SWIM_CIMXML_P_ASSOCCLASS] = "AssocClass",
	[SWIM_CIMXML_P_RESULTCLASS] = "ResultClass",
	[SWIM_CIMXML_P_ROLE] = "Role",
	[SWIM_CIMXML_P_RESULTROLE] = "ResultRole",
	[SWIM_CIMXML_P_NEWINSTANCE] = "NewInstance",
	[SWIM_CIMXML_P_MODIFIEDINSTANCE] = "ModifiedInstance",
	[SWIM_CIMXML_P_PROPERTYNAME] = "PropertyName",
	[SWIM_CIMXML_P_NEWVALUE] = "NewValue",
	[SWIM_CIMXML_P_QUERYLANGUAGE] = "QueryLanguage",
	[SWIM_CIMXML_P_QUERY] = "Query",
	[SWIM_CIMXML_P_FILTERQUERYLANGUAGE] = "FilterQueryLanguage",
	[SWIM_CIMXML_P_FILTERQUERY] = "FilterQuery",
	[SWIM_CIMXML_P_RETURNQUERYRESULTCLASS] = "ReturnQueryResultClass",
	[SWIM_CIMXML_P_OPERATIONTIMEOUT] = "OperationTimeout",
	[SWIM_CIMXML_P_CONTINUEONERROR] = "ContinueOnError",
	[SWIM_CIMXML_P_MAXOBJECTCOUNT] = "MaxObjectCount",
	[SWIM_CIMXML_P_ENUMERATIONCONTEXT] = "EnumerationContext",
};

static int param_fail(swim_cimxml_reader *rd, const char *fmt, ...)
	SWIM_PRINTF(2, 3);
static int param_fail(swim_cimxml_reader *rd, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = swim_error_vset(SWIM_EINVAL, fmt, ap);
	va_end(ap);
	rd->status = SWIM_CIM_ERR_INVALID_PARAMETER;
	return rc;
}

/* The only element child of an IPARAMVALUE, or NULL (a NULL value). */
static int only_child(xmlNode **out, swim_cimxml_reader *rd,
                      const xmlNode *pv, const char *name)
{
	*out = swim_xml_child(pv, NULL);
	if (*out && swim_xml_next(*out, NULL))
		return param_fail(rd, "parameter %s: more than one value", name);
	return 0;
}

/* The VALUE of a scalar parameter as `type`: 1 when read into *out
 * (dispose it), 0 for NULL (the default stays). */
static int read_scalar(swim_cim_value *out, swim_cimxml_reader *rd,
                       const xmlNode *v, const char *name, swim_cim_type type)
{
	if (!v)
		return 0;
	if (!is(v, "VALUE"))
		return param_fail(rd, "parameter %s: expected a VALUE, not <%s>",
		                  name, swim_xml_name(v));
	if (swim_cimxml_read_value(out, rd, v, type) < 0)
		return swim_error_prefix("parameter %s: ", name);
	return 1;
}

static int read_bool(bool *out, swim_cimxml_reader *rd, const xmlNode *v,
                     const char *name)
{
	swim_cim_value b = SWIM_CIM_VALUE_INIT;
	int rc = read_scalar(&b, rd, v, name, SWIM_CIM_BOOLEAN);

	if (rc > 0)
		*out = b.b;
	return rc < 0 ? rc : 0;
}

static int read_string(char **out, swim_cimxml_reader *rd, const xmlNode *v,
                       const char *name)
{
	if (!v)
		return 0;
	if (!is(v, "VALUE"))
		return param_fail(rd, "parameter %s: expected a VALUE, not <%s>",
		                  name, swim_xml_name(v));
	return swim_xml_text(out, v);
}

static int read_uint32(uint32_t *out, swim_cimxml_reader *rd,
                       const xmlNode *v, const char *name)
{
	swim_cim_value u = SWIM_CIM_VALUE_INIT;
	int rc = read_scalar(&u, rd, v, name, SWIM_CIM_UINT32);

	if (rc > 0)
		*out = (uint32_t)u.u;
	swim_cim_value_dispose(&u);
	return rc < 0 ? rc : 0;
}

static int read_classname(char **out, swim_cimxml_reader *rd,
                          const xmlNode *v, const char *name)
{
	const char *cn;

	if (!v)
		return 0;
	if (!is(v, "CLASSNAME") || !(cn = swim_xml_attr_ref(v, "NAME")) || !*cn)
		return param_fail(rd, "parameter %s: expected a CLASSNAME with a "
		                  "NAME", name);
	return (*out = swim_strdup(cn)) ? 0 : SWIM_ENOMEM;
}

static int read_name(swim_cim_path **out, swim_cimxml_reader *rd,
                     const xmlNode *v, const char *name, bool classes)
{
	int rc;

	if (!v)
		return 0;
	if (!is(v, "INSTANCENAME") && !(classes && is(v, "CLASSNAME")))
		return param_fail(rd, "parameter %s: expected %s", name, classes
		                  ? "an INSTANCENAME or a CLASSNAME"
		                  : "an INSTANCENAME");
	if ((rc = swim_cimxml_read_path(out, rd, v)) < 0)
		return swim_error_prefix("parameter %s: ", name);
	return 0;
}

static int read_property_list(swim_cimxml_params *p, swim_cimxml_reader *rd,
                              const xmlNode *v, const char *name)
{
	swim_cim_value list = SWIM_CIM_VALUE_INIT;
	int rc;

	if (!v)
		return 0;        /* NULL: every property */
	if (!is(v, "VALUE.ARRAY"))
		return param_fail(rd, "parameter %s: expected a VALUE.ARRAY, "
		                  "not <%s>", name, swim_xml_name(v));
	if ((rc = swim_cimxml_read_value(&list, rd, v, SWIM_CIM_STRING)) < 0) {
		rc = swim_error_prefix("parameter %s: ", name);
		goto out;
	}
	if (list.a.n && !(p->property_list = calloc(list.a.n, sizeof(char *)))) {
		rc = swim_error_oom();
		goto out;
	}
	for (size_t i = 0; i < list.a.n; i++) {
		if (list.a.v[i].null)
			continue;
		p->property_list[p->property_count++] = list.a.v[i].s;
		list.a.v[i].s = NULL;
		list.a.v[i].null = true;
	}
	p->has_property_list = true;
out:
	swim_cim_value_dispose(&list);
	return rc;
}

static int read_named_instance(swim_cimxml_params *p,
                               swim_cimxml_reader *rd, const xmlNode *v,
                               const char *name)
{
	xmlNode *in = v ? swim_xml_child(v, NULL) : NULL;
	xmlNode *inst = in ? swim_xml_next(in, NULL) : NULL;
	int rc;

	if (!is(v, "VALUE.NAMEDINSTANCE") || !is(in, "INSTANCENAME") ||
	    !is(inst, "INSTANCE"))
		return param_fail(rd, "parameter %s: expected a "
		                  "VALUE.NAMEDINSTANCE (INSTANCENAME, INSTANCE)",
		                  name);
	if ((rc = swim_cimxml_read_path(&p->path, rd, in)) < 0 ||
	    (rc = swim_cimxml_read_instance(&p->instance, rd, inst)) < 0)
		return swim_error_prefix("parameter %s: ", name);
	return 0;
}

static int read_param(swim_cimxml_params *p, swim_cimxml_reader *rd,
                      swim_cimxml_param id, const xmlNode *v)
{
	const char *name = param_names[id];
	int rc = 0;

	switch (id) {
	case SWIM_CIMXML_P_CLASSNAME:
		return read_classname(&p->class_name, rd, v, name);
	case SWIM_CIMXML_P_ASSOCCLASS:
		return read_classname(&p->assoc_class, rd, v, name);
	case SWIM_CIMXML_P_RESULTCLASS:
		return read_classname(&p->result_class, rd, v, name);
	case SWIM_CIMXML_P_INSTANCENAME:
		return read_name(&p->path, rd, v, name, false);
	case SWIM_CIMXML_P_OBJECTNAME:
		return read_name(&p->path, rd, v, name, true);
	case SWIM_CIMXML_P_LOCALONLY:
		return read_bool(&p->local_only, rd, v, name);
	case SWIM_CIMXML_P_DEEPINHERITANCE:
		return read_bool(&p->deep_inheritance, rd, v, name);
	case SWIM_CIMXML_P_INCLUDEQUALIFIERS:
		return read_bool(&p->include_qualifiers, rd, v, name);
	case SWIM_CIMXML_P_INCLUDECLASSORIGIN:
		return read_bool(&p->include_class_origin, rd, v, name);
	case SWIM_CIMXML_P_PROPERTYLIST:
		return read_property_list(p, rd, v, name);
	case SWIM_CIMXML_P_ROLE:
		return read_string(&p->role, rd, v, name);
	case SWIM_CIMXML_P_RESULTROLE:
		return read_string(&p->result_role, rd, v, name);
	case SWIM_CIMXML_P_PROPERTYNAME:
		return read_string(&p->property_name, rd, v, name);
	case SWIM_CIMXML_P_NEWINSTANCE:
		if (!is(v, "INSTANCE"))
			return param_fail(rd, "parameter %s: expected an INSTANCE",
			                  name);
		if ((rc = swim_cimxml_read_instance(&p->instance, rd, v)) < 0)
			rc = swim_error_prefix("parameter %s: ", name);
		return rc;
	case SWIM_CIMXML_P_MODIFIEDINSTANCE:
		return read_named_instance(p, rd, v, name);
	case SWIM_CIMXML_P_NEWVALUE:
		if (v && (rc = swim_cimxml_read_value(&p->new_value, rd, v,
		                                      SWIM_CIM_NONE)) < 0)
			rc = swim_error_prefix("parameter %s: ", name);
		return rc;
	case SWIM_CIMXML_P_QUERYLANGUAGE:
	case SWIM_CIMXML_P_FILTERQUERYLANGUAGE:
		return read_string(&p->query_language, rd, v, name);
	case SWIM_CIMXML_P_QUERY:
	case SWIM_CIMXML_P_FILTERQUERY:
		return read_string(&p->query, rd, v, name);
	case SWIM_CIMXML_P_RETURNQUERYRESULTCLASS:
		return read_bool(&p->return_query_result_class, rd, v, name);
	case SWIM_CIMXML_P_CONTINUEONERROR:
		return read_bool(&p->continue_on_error, rd, v, name);
	case SWIM_CIMXML_P_OPERATIONTIMEOUT:
		return read_string(&p->operation_timeout, rd, v, name);
	case SWIM_CIMXML_P_MAXOBJECTCOUNT:
		return read_uint32(&p->max_object_count, rd, v, name);
	case SWIM_CIMXML_P_ENUMERATIONCONTEXT:
		return read_string(&p->enumeration_context, rd, v, name);
	case SWIM_CIMXML_P_COUNT:
		break;
	}
	return swim_error_set(SWIM_ERROR, "unknown parameter kind");
}

/* Where a boolean parameter goes, or NULL for other kinds. */
static bool *bool_field(swim_cimxml_params *p, swim_cimxml_param id)
{
	switch (id) {
	case SWIM_CIMXML_P_LOCALONLY: return &p->local_only;
	case SWIM_CIMXML_P_DEEPINHERITANCE: return &p->deep_inheritance;
	case SWIM_CIMXML_P_INCLUDEQUALIFIERS: return &p->include_qualifiers;
	case SWIM_CIMXML_P_INCLUDECLASSORIGIN: return &p->include_class_origin;
	case SWIM_CIMXML_P_RETURNQUERYRESULTCLASS:
		return &p->return_query_result_class;
	case SWIM_CIMXML_P_CONTINUEONERROR: return &p->continue_on_error;
	default: return NULL;
	}
}

int swim_cimxml_params_read(swim_cimxml_params *p, swim_cimxml_reader *rd,
                            const xmlNode *call,
                            const swim_cimxml_param_spec *spec, size_t n)
{
	const char *method = swim_xml_attr_ref(call, "NAME");
	int rc;

	memset(p, 0, sizeof(*p));
	swim_cim_value_init(&p->new_value, SWIM_CIM_NONE, false);
	for (size_t i = 0; i < n; i++) {
		bool *b = bool_field(p, spec[i].id);

		if (b)
			*b = spec[i].def;
	}
	for (xmlNode *pv = after_first(call); pv; pv = swim_xml_next(pv, NULL)) {
		const char *name = swim_xml_attr_ref(pv, "NAME");
		const swim_cimxml_param_spec *s = NULL;
		xmlNode *v;

		if (!is(pv, "IPARAMVALUE") || !name)
			return param_fail(rd, "%s: unexpected <%s> (expected "
			                  "IPARAMVALUE with a NAME)", method,
			                  swim_xml_name(pv));
		for (size_t i = 0; i < n && !s; i++)
			if (swim_str_ieq(param_names[spec[i].id], name))
				s = &spec[i];
		if (!s)
			return param_fail(rd, "%s has no parameter %s", method, name);
		if (p->given[s->id])
			return param_fail(rd, "parameter %s is given twice", name);
		p->given[s->id] = true;
		if ((rc = only_child(&v, rd, pv, name)) < 0)
			return rc;
		if (!v && s->required)
			return param_fail(rd, "parameter %s must have a value",
			                  name);
		if ((rc = read_param(p, rd, s->id, v)) < 0)
			return rc;
	}
	for (size_t i = 0; i < n; i++)
		if (spec[i].required && !p->given[spec[i].id])
			return param_fail(rd, "%s needs the parameter %s", method,
			                  param_names[spec[i].id]);
	return 0;
}

void swim_cimxml_params_dispose(swim_cimxml_params *p)
{
	free(p->class_name);
	swim_cim_path_free(p->path);
	for (size_t i = 0; i < p->property_count; i++)
		free(p->property_list[i]);
	free(p->property_list);
	free(p->assoc_class);
	free(p->result_class);
	free(p->role);
	free(p->result_role);
	swim_cim_instance_free(p->instance);
	free(p->property_name);
	swim_cim_value_dispose(&p->new_value);
	free(p->query_language);
	free(p->query);
	free(p->operation_timeout);
	free(p->enumeration_context);
	memset(p, 0, sizeof(*p));
}

/* Extrinsic arguments ------------------------------------------------------ */

static int paramtype(swim_cim_type *out, swim_cimxml_reader *rd,
                     const xmlNode *pv)
{
	const char *t = swim_xml_attr_ref(pv, "PARAMTYPE");
	swim_cim_type emb;
	int rc;

	*out = SWIM_CIM_NONE;
	if ((rc = swim_cimxml_embedded_attr(&emb, rd, pv)) < 0)
		return rc;
	if (t && swim_str_ieq(t, "object"))
		*out = SWIM_CIM_OBJECT;
	else if (t && swim_str_ieq(t, "instance"))
		*out = SWIM_CIM_INSTANCE;
	else if (t && swim_cim_type_parse(out, t) < 0)
		return param_fail(rd, "parameter %s: PARAMTYPE '%s' is not a CIM "
		                  "type", swim_xml_attr_ref(pv, "NAME"), t);
	if (emb != SWIM_CIM_NONE && (*out == SWIM_CIM_NONE ||
	                             *out == SWIM_CIM_STRING))
		*out = emb;
	return 0;
}

static int read_arg(swim_cim_value *out, swim_cimxml_reader *rd,
                    const xmlNode *pv, const char *name)
{
	swim_cim_instance *inst = NULL;
	swim_cim_class *cls = NULL;
	swim_cim_path *path = NULL;
	swim_cim_type type;
	xmlNode *v;
	int rc;

	if ((rc = paramtype(&type, rd, pv)) < 0 ||
	    (rc = only_child(&v, rd, pv, name)) < 0)
		return rc;
	swim_cim_value_init(out, type == SWIM_CIM_NONE ? SWIM_CIM_STRING : type,
	                    false);
	if (!v)
		return 0;
	if (is(v, "CLASSNAME") || is(v, "INSTANCENAME")) {
		if ((rc = swim_cimxml_read_path(&path, rd, v)) == 0)
			swim_cim_value_take_ref(out, path);
	} else if (is(v, "INSTANCE") || is(v, "VALUE.NAMEDINSTANCE")) {
		if (is(v, "VALUE.NAMEDINSTANCE"))
			v = swim_xml_next(swim_xml_child(v, NULL), "INSTANCE");
		if (!v)
			return param_fail(rd, "parameter %s: VALUE.NAMEDINSTANCE "
			                  "without INSTANCE", name);
		if ((rc = swim_cimxml_read_instance(&inst, rd, v)) == 0)
			swim_cim_value_take_instance(out, inst);
	} else if (is(v, "CLASS")) {
		if ((rc = swim_cimxml_read_class(&cls, rd, v)) == 0)
			swim_cim_value_take_object(out, NULL, cls);
	} else {
		rc = swim_cimxml_read_value(out, rd, v, type);
	}
	if (rc < 0)
		return swim_error_prefix("parameter %s: ", name);
	return 0;
}

int swim_cimxml_args_read(swim_cim_instance **out, swim_cimxml_reader *rd,
                          const xmlNode *call)
{
	swim_cim_value v = SWIM_CIM_VALUE_INIT;
	swim_cim_instance *args = NULL;
	const char *method = swim_xml_attr_ref(call, "NAME");
	int rc;

	*out = NULL;
	if ((rc = swim_cim_instance_new(&args, "__MethodParameters")) < 0)
		return rc;
	for (xmlNode *pv = after_first(call); pv; pv = swim_xml_next(pv, NULL)) {
		const char *name = swim_xml_attr_ref(pv, "NAME");

		if (!is(pv, "PARAMVALUE") || !name || !*name) {
			rc = param_fail(rd, "%s: unexpected <%s> (expected "
			                "PARAMVALUE with a NAME)", method,
			                swim_xml_name(pv));
			goto out;
		}
		if (swim_cim_instance_property(args, name)) {
			rc = param_fail(rd, "parameter %s is given twice", name);
			goto out;
		}
		if ((rc = read_arg(&v, rd, pv, name)) < 0)
			goto out;
		if ((rc = swim_cim_instance_set(args, name, &v)) < 0) {
			rd->status = SWIM_CIM_ERR_INVALID_PARAMETER;
			goto out;
		}
	}
	*out = args;
	args = NULL;
out:
	swim_cim_value_dispose(&v);
	swim_cim_instance_free(args);
	return rc;
}
