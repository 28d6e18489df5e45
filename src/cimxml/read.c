/* Reading CIM-XML elements (DSP0201) into the object model. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cimxml/codec.h"
#include "swim/error.h"
#include "util/str.h"
#include "util/xml.h"

void swim_cimxml_reader_init(swim_cimxml_reader *rd, const swim_limits *lim)
{
	rd->lim = lim ? lim : swim_limits_default();
	rd->depth = 0;
	rd->status = SWIM_CIM_OK;
}

/* Every failure of a read is the client's: INVALID_PARAMETER unless a
 * more precise status was set. */
static int failed(swim_cimxml_reader *rd, int rc)
{
	if (rc < 0 && rc != SWIM_ENOMEM && rd->status == SWIM_CIM_OK)
		rd->status = SWIM_CIM_ERR_INVALID_PARAMETER;
	return rc;
}

static int bad(swim_cimxml_reader *rd, const xmlNode *n, const char *fmt, ...)
	SWIM_PRINTF(3, 4);
static int bad(swim_cimxml_reader *rd, const xmlNode *n, const char *fmt, ...)
{
	swim_buf msg = SWIM_BUF_INIT(0);
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = swim_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	rc = rc < 0 ? rc : swim_error_set(SWIM_EINVAL, "<%s>: %s",
	                                  swim_xml_name(n), msg.ptr);
	swim_buf_dispose(&msg);
	return failed(rd, rc);
}

static bool is(const xmlNode *n, const char *name)
{
	return n && strcmp(swim_xml_name(n), name) == 0;
}

/* A required attribute, or NULL after setting the error. */
static const char *need_attr(swim_cimxml_reader *rd, const xmlNode *n,
                             const char *name)
{
	const char *v = swim_xml_attr_ref(n, name);

	if (!v || !*v) {
		(void)bad(rd, n, "the %s attribute is missing", name);
		return NULL;
	}
	return v;
}

/* An optional true/false attribute (any case), or `def`. */
static int bool_attr(bool *out, swim_cimxml_reader *rd, const xmlNode *n,
                     const char *name, bool def)
{
	const char *v = swim_xml_attr_ref(n, name);

	*out = def;
	if (!v)
		return 0;
	if (swim_str_ieq(v, "true"))
		*out = true;
	else if (swim_str_ieq(v, "false"))
		*out = false;
	else
		return bad(rd, n, "%s must be true or false, not '%s'", name, v);
	return 0;
}

static int type_attr(swim_cim_type *out, swim_cimxml_reader *rd,
                     const xmlNode *n, const char *attr,
                     swim_cim_type def)
{
	const char *v = swim_xml_attr_ref(n, attr);

	*out = def;
	if (!v)
		return 0;
	if (swim_cim_type_parse(out, v) < 0 || *out == SWIM_CIM_REFERENCE)
		return bad(rd, n, "%s '%s' is not a CIM type", attr, v);
	return 0;
}

static int text_of(char **out, swim_cimxml_reader *rd, const xmlNode *n)
{
	return failed(rd, swim_xml_text(out, n));
}

int swim_cimxml_embedded_attr(swim_cim_type *out, swim_cimxml_reader *rd,
                              const xmlNode *node)
{
	const char *v = swim_xml_attr_ref(node, "EmbeddedObject");

	if (!v)
		v = swim_xml_attr_ref(node, "EMBEDDEDOBJECT");
	*out = SWIM_CIM_NONE;
	if (!v)
		return 0;
	if (swim_str_ieq(v, "object"))
		*out = SWIM_CIM_OBJECT;
	else if (swim_str_ieq(v, "instance"))
		*out = SWIM_CIM_INSTANCE;
	else
		return bad(rd, node, "EmbeddedObject must be object or instance, "
		           "not '%s'", v);
	return 0;
}

/* Names and paths ------------------------------------------------------ */

int swim_cimxml_read_namespace(char **out, swim_cimxml_reader *rd,
                               const xmlNode *lnp)
{
	swim_buf b = SWIM_BUF_INIT(rd->lim->cim_uri_max_bytes);
	int rc = 0;

	*out = NULL;
	if (!is(lnp, "LOCALNAMESPACEPATH"))
		return bad(rd, lnp, "expected LOCALNAMESPACEPATH");
	for (xmlNode *n = swim_xml_child(lnp, NULL); n;
	     n = swim_xml_next(n, NULL)) {
		const char *name;

		if (!is(n, "NAMESPACE")) {
			rc = bad(rd, n, "unexpected in LOCALNAMESPACEPATH");
			goto out;
		}
		if (!(name = need_attr(rd, n, "NAME"))) {
			rc = SWIM_EINVAL;
			goto out;
		}
		if ((b.len && (rc = swim_buf_putc(&b, '/')) < 0) ||
		    (rc = swim_buf_puts(&b, name)) < 0) {
			rc = failed(rd, rc);
			goto out;
		}
	}
	if (!b.len) {
		rc = bad(rd, lnp, "no NAMESPACE");
		goto out;
	}
	if (!(*out = swim_buf_detach(&b)))
		rc = SWIM_ENOMEM;
out:
	swim_buf_dispose(&b);
	return rc;
}

/* NAMESPACEPATH (HOST, LOCALNAMESPACEPATH). */
static int read_nspath(char **host, char **ns, swim_cimxml_reader *rd,
                       const xmlNode *n)
{
	xmlNode *h = swim_xml_child(n, NULL);
	xmlNode *lnp = h ? swim_xml_next(h, NULL) : NULL;
	int rc;

	*host = *ns = NULL;
	if (!is(h, "HOST") || !lnp)
		return bad(rd, n, "expected HOST and LOCALNAMESPACEPATH");
	if ((rc = text_of(host, rd, h)) < 0)
		return rc;
	if ((rc = swim_cimxml_read_namespace(ns, rd, lnp)) < 0) {
		free(*host);
		*host = NULL;
	}
	return rc;
}

/* A KEYVALUE: TYPE when given, else by VALUETYPE (DSP0201 before 2.4
 * had no TYPE, and wbemcli still sends none). */
static int read_keyvalue(swim_cim_value *out, swim_cimxml_reader *rd,
                         const xmlNode *n)
{
	const char *vt = swim_xml_attr_ref(n, "VALUETYPE");
	swim_cim_type type;
	char *text = NULL;
	int rc;

	swim_cim_value_init(out, SWIM_CIM_STRING, false);
	if ((rc = type_attr(&type, rd, n, "TYPE", SWIM_CIM_NONE)) < 0 ||
	    (rc = text_of(&text, rd, n)) < 0)
		goto out;
	if (type == SWIM_CIM_NONE) {
		if (!vt || strcmp(vt, "string") == 0) {
			type = SWIM_CIM_STRING;
		} else if (strcmp(vt, "boolean") == 0) {
			type = SWIM_CIM_BOOLEAN;
		} else if (strcmp(vt, "numeric") == 0) {
			bool hex = strstr(text, "0x") || strstr(text, "0X");

			type = strchr(text, '.') ||
			       (!hex && strpbrk(text, "eE")) ? SWIM_CIM_REAL64
			       : strchr(text, '-') ? SWIM_CIM_SINT64
			       : SWIM_CIM_UINT64;
		} else {
			rc = bad(rd, n, "VALUETYPE must be string, boolean or "
			         "numeric, not '%s'", vt);
			goto out;
		}
	}
	if ((rc = swim_cim_value_from_string(out, type, text, rd->lim)) < 0)
		rc = failed(rd, swim_error_prefix("<KEYVALUE>: "));
out:
	free(text);
	return rc;
}

static int read_instancename(swim_cim_path **out, swim_cimxml_reader *rd,
                             const xmlNode *n)
{
	const char *cn = need_attr(rd, n, "CLASSNAME");
	swim_cim_value v = SWIM_CIM_VALUE_INIT;
	swim_cim_path *p = NULL;
	int rc;

	*out = NULL;
	if (!cn)
		return SWIM_EINVAL;
	if ((rc = failed(rd, swim_cim_path_new(&p, NULL, NULL, cn))) < 0)
		return rc;
	p->instance = true;
	for (xmlNode *kb = swim_xml_child(n, NULL); kb;
	     kb = swim_xml_next(kb, NULL)) {
		xmlNode *kv = swim_xml_child(kb, NULL);
		swim_cim_path *ref = NULL;
		const char *name;

		if (!is(kb, "KEYBINDING")) {
			rc = bad(rd, kb, "keys without a KEYBINDING name are not "
			         "supported");
			goto out;
		}
		if (!(name = need_attr(rd, kb, "NAME"))) {
			rc = SWIM_EINVAL;
			goto out;
		}
		if (is(kv, "KEYVALUE")) {
			rc = read_keyvalue(&v, rd, kv);
		} else if (is(kv, "VALUE.REFERENCE")) {
			if ((rc = swim_cimxml_read_path(&ref, rd, kv)) == 0)
				swim_cim_value_take_ref(&v, ref);
		} else {
			rc = bad(rd, kb, "expected KEYVALUE or VALUE.REFERENCE");
		}
		if (rc < 0)
			goto out;
		if ((rc = swim_cim_path_add_key(p, name, &v)) < 0) {
			rc = failed(rd, swim_error_prefix("<INSTANCENAME %s>: ",
			                                  cn));
			goto out;
		}
	}
	*out = p;
	p = NULL;
out:
	swim_cim_value_dispose(&v);
	swim_cim_path_free(p);
	return rc;
}

static int path_with_ns(swim_cim_path **out, swim_cimxml_reader *rd,
                        const xmlNode *n, bool with_host, bool instance)
{
	xmlNode *first = swim_xml_child(n, NULL);
	xmlNode *second = first ? swim_xml_next(first, NULL) : NULL;
	char *host = NULL, *ns = NULL;
	swim_cim_path *p = NULL;
	int rc;

	*out = NULL;
	if (!first || !second ||
	    !is(first, with_host ? "NAMESPACEPATH" : "LOCALNAMESPACEPATH") ||
	    !is(second, instance ? "INSTANCENAME" : "CLASSNAME"))
		return bad(rd, n, "expected %s and %s",
		           with_host ? "NAMESPACEPATH" : "LOCALNAMESPACEPATH",
		           instance ? "INSTANCENAME" : "CLASSNAME");
	if ((rc = with_host ? read_nspath(&host, &ns, rd, first)
	                    : swim_cimxml_read_namespace(&ns, rd, first)) < 0 ||
	    (rc = swim_cimxml_read_path(&p, rd, second)) < 0)
		goto out;
	if ((rc = swim_cim_path_set_namespace(p, ns)) < 0 ||
	    (rc = swim_cim_path_set_host(p, host)) < 0) {
		rc = failed(rd, swim_error_prefix("<%s>: ", swim_xml_name(n)));
		goto out;
	}
	*out = p;
	p = NULL;
out:
	free(host);
	free(ns);
	swim_cim_path_free(p);
	return rc;
}

int swim_cimxml_read_path(swim_cim_path **out, swim_cimxml_reader *rd,
                          const xmlNode *n)
{
	*out = NULL;
	if (is(n, "CLASSNAME")) {
		const char *name = need_attr(rd, n, "NAME");

		return name ? failed(rd, swim_cim_path_new(out, NULL, NULL, name))
		            : SWIM_EINVAL;
	}
	if (is(n, "INSTANCENAME"))
		return read_instancename(out, rd, n);
	if (is(n, "LOCALCLASSPATH"))
		return path_with_ns(out, rd, n, false, false);
	if (is(n, "CLASSPATH"))
		return path_with_ns(out, rd, n, true, false);
	if (is(n, "LOCALINSTANCEPATH"))
		return path_with_ns(out, rd, n, false, true);
	if (is(n, "INSTANCEPATH"))
		return path_with_ns(out, rd, n, true, true);
	if (is(n, "OBJECTPATH") || is(n, "VALUE.REFERENCE")) {
		xmlNode *c = swim_xml_child(n, NULL);

		if (!c || is(c, "VALUE.REFERENCE") || is(c, "OBJECTPATH") ||
		    swim_xml_next(c, NULL))
			return bad(rd, n, "expected one class or instance path");
		return swim_cimxml_read_path(out, rd, c);
	}
	return bad(rd, n, "expected a class or instance path");
}

/* Values --------------------------------------------------------------- */

static unsigned node_depth(const xmlNode *n)
{
	unsigned d = 0;

	for (; n && n->type == XML_ELEMENT_NODE; n = n->parent)
		d++;
	return d;
}

int swim_cimxml_read_embedded(swim_cim_value *out, swim_cim_type type,
                              const char *text, void *ctx)
{
	swim_cimxml_reader *rd = ctx, inner;
	swim_limits sub = *rd->lim;
	swim_cim_instance *inst = NULL;
	swim_cim_class *cls = NULL;
	xmlDoc *doc = NULL;
	xmlNode *root;
	int rc;

	if (rd->depth + 1 >= sub.xml_max_depth) {
		rd->status = SWIM_CIM_ERR_INVALID_PARAMETER;
		return swim_error_set(SWIM_ELIMIT,
		                      "embedded object: nested deeper than %llu "
		                      "levels", (unsigned long long)sub.xml_max_depth);
	}
	sub.xml_max_depth -= rd->depth;
	if ((rc = swim_xml_parse(&doc, text, strlen(text), sub.string_max_bytes,
	                         &sub, "embedded object")) < 0)
		return failed(rd, rc);
	root = xmlDocGetRootElement(doc);
	inner = *rd;
	if (is(root, "INSTANCE")) {
		if ((rc = swim_cimxml_read_instance(&inst, &inner, root)) == 0) {
			if (type == SWIM_CIM_INSTANCE)
				swim_cim_value_take_instance(out, inst);
			else
				swim_cim_value_take_object(out, inst, NULL);
		}
	} else if (is(root, "CLASS") && type == SWIM_CIM_OBJECT) {
		if ((rc = swim_cimxml_read_class(&cls, &inner, root)) == 0)
			swim_cim_value_take_object(out, NULL, cls);
	} else {
		rc = bad(rd, root, "an embedded %s must be an INSTANCE%s",
		         type == SWIM_CIM_INSTANCE ? "instance" : "object",
		         type == SWIM_CIM_INSTANCE ? "" : " or a CLASS");
	}
	if (rc < 0 && inner.status != SWIM_CIM_OK)
		rd->status = inner.status;
	xmlFreeDoc(doc);
	return failed(rd, rc);
}

/* One VALUE as a scalar of type (NONE: a string). */
static int read_scalar(swim_cim_value *out, swim_cimxml_reader *rd,
                       const xmlNode *n, swim_cim_type type)
{
	unsigned base = rd->depth;
	char *text = NULL;
	int rc;

	if (!is(n, "VALUE"))
		return bad(rd, n, "expected VALUE");
	if ((rc = text_of(&text, rd, n)) < 0)
		return rc;
	if (type == SWIM_CIM_NONE || type == SWIM_CIM_STRING) {
		rc = failed(rd, swim_cim_value_take_string(out, text));
		text = NULL;
	} else if (swim_cim_type_is_embedded(type)) {
		rd->depth = base + node_depth(n);
		rc = swim_cimxml_read_embedded(out, type, text, rd);
		rd->depth = base;
	} else if ((rc = swim_cim_value_from_string(out, type, text,
	                                            rd->lim)) < 0) {
		rc = failed(rd, swim_error_prefix("<VALUE>: "));
	}
	free(text);
	return rc;
}

int swim_cimxml_read_value(swim_cim_value *out, swim_cimxml_reader *rd,
                           const xmlNode *n, swim_cim_type type)
{
	bool refs = is(n, "VALUE.REFARRAY");
	swim_cim_value elem = SWIM_CIM_VALUE_INIT;
	swim_cim_path *ref = NULL;
	int rc = 0;

	if (type == SWIM_CIM_NONE)
		type = SWIM_CIM_STRING;
	if (is(n, "VALUE.NULL")) {
		swim_cim_value_init(out, type, false);
		return 0;
	}
	if (is(n, "VALUE")) {
		swim_cim_value_init(out, type, false);
		return read_scalar(out, rd, n, type);
	}
	if (is(n, "VALUE.REFERENCE")) {
		swim_cim_value_init(out, SWIM_CIM_REFERENCE, false);
		if ((rc = swim_cimxml_read_path(&ref, rd, n)) == 0)
			swim_cim_value_take_ref(out, ref);
		return rc;
	}
	if (!is(n, "VALUE.ARRAY") && !refs)
		return bad(rd, n, "expected a VALUE element");
	if (refs)
		type = SWIM_CIM_REFERENCE;
	swim_cim_value_set_array(out, type);
	for (xmlNode *c = swim_xml_child(n, NULL); c;
	     c = swim_xml_next(c, NULL)) {
		swim_cim_value_init(&elem, type, false);
		if (is(c, "VALUE.NULL"))
			rc = 0;
		else if (!refs)
			rc = read_scalar(&elem, rd, c, type);
		else if (!is(c, "VALUE.REFERENCE"))
			rc = bad(rd, c, "expected VALUE.REFERENCE or VALUE.NULL");
		else if ((rc = swim_cimxml_read_path(&ref, rd, c)) == 0)
			swim_cim_value_take_ref(&elem, ref);
		if (rc < 0 ||
		    (rc = failed(rd, swim_cim_value_append(out, &elem))) < 0)
			break;
	}
	swim_cim_value_dispose(&elem);
	return rc;
}

/* Qualifiers, properties, instances, classes ----------------------------- */

static int read_qualifier(swim_cim_qualifiers *q, swim_cimxml_reader *rd,
                          const xmlNode *n)
{
	const char *name = need_attr(rd, n, "NAME");
	swim_cim_value v = SWIM_CIM_VALUE_INIT;
	bool propagated, over, sub, inst, trans;
	xmlNode *vn = swim_xml_child(n, NULL);
	swim_cim_type type;
	unsigned flavor;
	int rc;

	if (!name)
		return SWIM_EINVAL;
	if ((rc = type_attr(&type, rd, n, "TYPE", SWIM_CIM_NONE)) < 0 ||
	    (rc = bool_attr(&propagated, rd, n, "PROPAGATED", false)) < 0 ||
	    (rc = bool_attr(&over, rd, n, "OVERRIDABLE", true)) < 0 ||
	    (rc = bool_attr(&sub, rd, n, "TOSUBCLASS", true)) < 0 ||
	    (rc = bool_attr(&inst, rd, n, "TOINSTANCE", false)) < 0 ||
	    (rc = bool_attr(&trans, rd, n, "TRANSLATABLE", false)) < 0)
		return rc;
	if (type == SWIM_CIM_NONE)
		return bad(rd, n, "qualifier %s has no TYPE", name);
	swim_cim_value_init(&v, type, false);
	if (vn && (rc = swim_cimxml_read_value(&v, rd, vn, type)) < 0)
		goto out;
	flavor = (over ? SWIM_CIM_FLAVOR_OVERRIDABLE : 0) |
	         (sub ? SWIM_CIM_FLAVOR_TOSUBCLASS : 0) |
	         (inst ? SWIM_CIM_FLAVOR_TOINSTANCE : 0) |
	         (trans ? SWIM_CIM_FLAVOR_TRANSLATABLE : 0);
	rc = failed(rd, swim_cim_qualifiers_set(q, name, &v, flavor,
	                                        propagated));
out:
	swim_cim_value_dispose(&v);
	return rc;
}

/* QUALIFIER* at the start of n's children; *next is the first other
 * element. */
static int read_qualifiers(swim_cim_qualifiers *q, xmlNode **next,
                           swim_cimxml_reader *rd, const xmlNode *n)
{
	xmlNode *c = swim_xml_child(n, NULL);
	int rc;

	for (; is(c, "QUALIFIER"); c = swim_xml_next(c, NULL))
		if ((rc = read_qualifier(q, rd, c)) < 0)
			return rc;
	*next = c;
	return 0;
}

/* The type qualifiers of a class give to strings: EmbeddedObject,
 * EmbeddedInstance("X"). */
static int qualified_type(swim_cim_type *type, char **refclass,
                          const swim_cim_qualifiers *q)
{
	const char *ei = swim_cim_qualifiers_string(q, "EmbeddedInstance");

	if (*type != SWIM_CIM_STRING && !swim_cim_type_is_embedded(*type))
		return 0;
	if (ei) {
		*type = SWIM_CIM_INSTANCE;
		return swim_str_set(refclass, ei);
	}
	if (swim_cim_qualifiers_true(q, "EmbeddedObject"))
		*type = SWIM_CIM_OBJECT;
	return 0;
}

static int size_attr(uint32_t *out, swim_cimxml_reader *rd,
                     const xmlNode *n)
{
	const char *v = swim_xml_attr_ref(n, "ARRAYSIZE");
	uint64_t u = 0;

	if (v && swim_str_to_u64(&u, v, UINT32_MAX, "ARRAYSIZE") < 0)
		return failed(rd, swim_error_prefix("<%s>: ", swim_xml_name(n)));
	*out = (uint32_t)u;
	return 0;
}

static int read_property(swim_cim_property *p, swim_cimxml_reader *rd,
                         const xmlNode *n, bool in_class)
{
	bool array = is(n, "PROPERTY.ARRAY"), ref = is(n, "PROPERTY.REFERENCE");
	const char *name = need_attr(rd, n, "NAME");
	const char *want = array ? "VALUE.ARRAY"
	                   : ref ? "VALUE.REFERENCE" : "VALUE";
	swim_cim_qualifiers quals = { NULL, 0 };
	swim_cim_value v = SWIM_CIM_VALUE_INIT;
	swim_cim_type type, emb;
	char *refclass = NULL;
	xmlNode *vn = NULL;
	int rc;

	memset(p, 0, sizeof(*p));
	if (!name)
		return SWIM_EINVAL;
	if ((rc = type_attr(&type, rd, n, "TYPE", SWIM_CIM_STRING)) < 0 ||
	    (rc = swim_cimxml_embedded_attr(&emb, rd, n)) < 0 ||
	    (rc = read_qualifiers(&quals, &vn, rd, n)) < 0)
		goto out;
	if (ref)
		type = SWIM_CIM_REFERENCE;
	else if (emb != SWIM_CIM_NONE && type == SWIM_CIM_STRING)
		type = emb;
	if (in_class && (rc = qualified_type(&type, &refclass, &quals)) < 0)
		goto out;
	swim_cim_value_init(&v, type, array);
	if (vn) {
		if (!is(vn, want) || swim_xml_next(vn, NULL)) {
			rc = bad(rd, n, "property %s: expected one %s", name, want);
			goto out;
		}
		if ((rc = swim_cimxml_read_value(&v, rd, vn, type)) < 0) {
			rc = swim_error_prefix("property %s: ", name);
			goto out;
		}
	}
	if ((rc = failed(rd, swim_cim_property_init(p, name, &v))) < 0)
		goto out;
	p->quals = quals;
	memset(&quals, 0, sizeof(quals));
	p->key = swim_cim_qualifiers_true(&p->quals, "Key");
	p->refclass = refclass;
	refclass = NULL;
	if (ref && (rc = swim_str_set(&p->refclass,
	                              swim_xml_attr_ref(n, "REFERENCECLASS"))) < 0)
		goto out;
	if ((rc = swim_str_set(&p->class_origin,
	                       swim_xml_attr_ref(n, "CLASSORIGIN"))) < 0 ||
	    (rc = bool_attr(&p->propagated, rd, n, "PROPAGATED", false)) < 0 ||
	    (rc = size_attr(&p->array_size, rd, n)) < 0)
		goto out;
out:
	if (rc < 0)
		swim_cim_property_dispose(p);
	swim_cim_qualifiers_dispose(&quals);
	swim_cim_value_dispose(&v);
	free(refclass);
	return rc;
}

static bool is_property(const xmlNode *n)
{
	return is(n, "PROPERTY") || is(n, "PROPERTY.ARRAY") ||
	       is(n, "PROPERTY.REFERENCE");
}

int swim_cimxml_read_instance(swim_cim_instance **out,
                              swim_cimxml_reader *rd, const xmlNode *n)
{
	swim_cim_instance *inst = NULL;
	swim_cim_property p;
	const char *cn;
	xmlNode *c;
	int rc;

	*out = NULL;
	if (!is(n, "INSTANCE"))
		return bad(rd, n, "expected INSTANCE");
	if (!(cn = need_attr(rd, n, "CLASSNAME")))
		return SWIM_EINVAL;
	if ((rc = failed(rd, swim_cim_instance_new(&inst, cn))) < 0 ||
	    (rc = read_qualifiers(&inst->quals, &c, rd, n)) < 0)
		goto out;
	for (; c; c = swim_xml_next(c, NULL)) {
		if (!is_property(c)) {
			rc = bad(rd, c, "unexpected in INSTANCE %s", cn);
			goto out;
		}
		if ((rc = read_property(&p, rd, c, false)) < 0)
			goto out;
		if ((rc = swim_cim_properties_add(&inst->props, &p)) < 0) {
			swim_cim_property_dispose(&p);
			rc = rc == SWIM_EEXISTS
			     ? bad(rd, c, "property %s is given twice",
			           swim_xml_attr_ref(c, "NAME"))
			     : rc;
			goto out;
		}
	}
	*out = inst;
	inst = NULL;
out:
	swim_cim_instance_free(inst);
	return rc;
}

static int read_parameter(swim_cim_parameter *p, swim_cimxml_reader *rd,
                          const xmlNode *n)
{
	bool ref = is(n, "PARAMETER.REFERENCE") || is(n, "PARAMETER.REFARRAY");
	bool array = is(n, "PARAMETER.ARRAY") || is(n, "PARAMETER.REFARRAY");
	const char *name = need_attr(rd, n, "NAME");
	const swim_cim_qualifier *in;
	swim_cim_type type;
	xmlNode *rest;
	int rc;

	memset(p, 0, sizeof(*p));
	if (!name)
		return SWIM_EINVAL;
	if ((rc = type_attr(&type, rd, n, "TYPE", SWIM_CIM_STRING)) < 0)
		return rc;
	if (ref)
		type = SWIM_CIM_REFERENCE;
	if ((rc = failed(rd, swim_cim_parameter_init(p, name, type,
	                                             array))) < 0)
		return rc;
	if ((rc = read_qualifiers(&p->quals, &rest, rd, n)) < 0 ||
	    (rc = qualified_type(&p->type, &p->refclass, &p->quals)) < 0 ||
	    (rc = size_attr(&p->array_size, rd, n)) < 0 ||
	    (ref && (rc = swim_str_set(&p->refclass,
	                               swim_xml_attr_ref(n, "REFERENCECLASS"))) < 0))
		goto out;
	if (rest) {
		rc = bad(rd, rest, "unexpected in parameter %s", name);
		goto out;
	}
	in = swim_cim_qualifiers_get(&p->quals, "In");
	p->in = !in || in->value.type != SWIM_CIM_BOOLEAN || in->value.null ||
	        in->value.b;
	p->out = swim_cim_qualifiers_true(&p->quals, "Out");
out:
	if (rc < 0)
		swim_cim_parameter_dispose(p);
	return rc;
}

static int read_method(swim_cim_method *m, swim_cimxml_reader *rd,
                       const xmlNode *n)
{
	const char *name = need_attr(rd, n, "NAME");
	swim_cim_parameter p;
	swim_cim_type type;
	xmlNode *c;
	int rc;

	memset(m, 0, sizeof(*m));
	if (!name)
		return SWIM_EINVAL;
	if ((rc = type_attr(&type, rd, n, "TYPE", SWIM_CIM_NONE)) < 0)
		return rc;
	if (type == SWIM_CIM_NONE)
		return bad(rd, n, "method %s has no TYPE", name);
	if ((rc = failed(rd, swim_cim_method_init(m, name, type))) < 0)
		return rc;
	if ((rc = read_qualifiers(&m->quals, &c, rd, n)) < 0 ||
	    (rc = qualified_type(&m->type, &m->refclass, &m->quals)) < 0 ||
	    (rc = swim_str_set(&m->class_origin,
	                       swim_xml_attr_ref(n, "CLASSORIGIN"))) < 0 ||
	    (rc = bool_attr(&m->propagated, rd, n, "PROPAGATED", false)) < 0)
		goto out;
	for (; c; c = swim_xml_next(c, NULL)) {
		if (!is(c, "PARAMETER") && !is(c, "PARAMETER.REFERENCE") &&
		    !is(c, "PARAMETER.ARRAY") && !is(c, "PARAMETER.REFARRAY")) {
			rc = bad(rd, c, "unexpected in METHOD %s", name);
			goto out;
		}
		if ((rc = read_parameter(&p, rd, c)) < 0)
			goto out;
		if ((rc = failed(rd, swim_cim_method_add_parameter(m, &p))) < 0) {
			swim_cim_parameter_dispose(&p);
			goto out;
		}
	}
out:
	if (rc < 0)
		swim_cim_method_dispose(m);
	return rc;
}

int swim_cimxml_read_class(swim_cim_class **out, swim_cimxml_reader *rd,
                           const xmlNode *n)
{
	swim_cim_class *cls = NULL;
	swim_cim_property p;
	swim_cim_method m;
	const char *name;
	xmlNode *c;
	int rc;

	*out = NULL;
	if (!is(n, "CLASS"))
		return bad(rd, n, "expected CLASS");
	if (!(name = need_attr(rd, n, "NAME")))
		return SWIM_EINVAL;
	rc = swim_cim_class_new(&cls, name, swim_xml_attr_ref(n, "SUPERCLASS"));
	if ((rc = failed(rd, rc)) < 0 ||
	    (rc = read_qualifiers(&cls->quals, &c, rd, n)) < 0)
		goto out;
	cls->association = swim_cim_qualifiers_true(&cls->quals, "Association");
	cls->indication = swim_cim_qualifiers_true(&cls->quals, "Indication");
	cls->abstract = swim_cim_qualifiers_true(&cls->quals, "Abstract");
	for (; is_property(c); c = swim_xml_next(c, NULL)) {
		if ((rc = read_property(&p, rd, c, true)) < 0)
			goto out;
		if ((rc = failed(rd, swim_cim_class_add_property(cls, &p))) < 0) {
			swim_cim_property_dispose(&p);
			goto out;
		}
	}
	for (; c; c = swim_xml_next(c, NULL)) {
		if (!is(c, "METHOD")) {
			rc = bad(rd, c, "unexpected in CLASS %s", name);
			goto out;
		}
		if ((rc = read_method(&m, rd, c)) < 0)
			goto out;
		if ((rc = failed(rd, swim_cim_class_add_method(cls, &m))) < 0) {
			swim_cim_method_dispose(&m);
			goto out;
		}
	}
	*out = cls;
	cls = NULL;
out:
	swim_cim_class_free(cls);
	return rc;
}
