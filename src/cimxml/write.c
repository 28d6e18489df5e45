/* Writing the object model as CIM-XML (DSP0201, DTD DSP0203 2.4). */
#include <string.h>

#include "cimxml/codec.h"
#include "swim/error.h"

void swim_cimxml_write_fail(swim_xmlw *w, int rc)
{
	if (rc < 0 && w->rc == 0)
		w->rc = rc;
}

static void attr_bool_if(swim_xmlw *w, const char *name, bool value,
                         bool dtd_default)
{
	if (value != dtd_default)
		swim_xmlw_attr(w, name, value ? "true" : "false");
}

/* The XML of an embedded object, written by its own writer and then
 * escaped as the text of the VALUE that carries it. */
static void write_embedded(swim_xmlw *w, const swim_cim_value *v)
{
	swim_buf xml = SWIM_BUF_INIT(w->out->max);
	swim_xmlw inner;

	swim_xmlw_init(&inner, &xml, false);
	inner.end_tags = w->end_tags;
	if (v->obj.inst)
		swim_cimxml_write_instance(&inner, v->obj.inst);
	else if (v->obj.cls)
		swim_cimxml_write_class(&inner, v->obj.cls);
	swim_cimxml_write_fail(w, swim_xmlw_finish(&inner));
	swim_xmlw_start(w, "VALUE");
	swim_xmlw_textn(w, xml.ptr, xml.len);
	swim_xmlw_end(w);
	swim_buf_dispose(&xml);
}

/* <VALUE> of a non-NULL scalar that is not a reference. Strings are
 * escaped; the text of numbers, booleans and datetimes never needs it
 * and goes straight to the output (a large enumeration writes many). */
static void write_scalar(swim_xmlw *w, const swim_cim_value *v)
{
	swim_buf text = SWIM_BUF_INIT(w->out->max);

	if (w->rc)
		return;
	if (swim_cim_type_is_embedded(v->type)) {
		write_embedded(w, v);
		return;
	}
	swim_xmlw_start(w, "VALUE");
	if (v->type == SWIM_CIM_STRING) {
		if (*v->s)
			swim_xmlw_text(w, v->s);
	} else if (v->type == SWIM_CIM_CHAR16) {
		swim_cimxml_write_fail(w, swim_cim_value_to_string(&text, v));
		swim_xmlw_textn(w, text.ptr, text.len);
	} else {
		swim_xmlw_raw(w, "", 0);
		if (!w->rc)
			swim_cimxml_write_fail(w, swim_cim_value_to_string(w->out, v));
	}
	swim_xmlw_end(w);
	swim_buf_dispose(&text);
}

void swim_cimxml_write_value(swim_xmlw *w, const swim_cim_value *v)
{
	bool refs = v->type == SWIM_CIM_REFERENCE;

	if (v->null)
		return;
	if (!v->array) {
		if (refs)
			swim_cimxml_write_reference(w, v->ref);
		else
			write_scalar(w, v);
		return;
	}
	swim_xmlw_start(w, refs ? "VALUE.REFARRAY" : "VALUE.ARRAY");
	for (size_t i = 0; i < v->a.n && !w->rc; i++) {
		const swim_cim_value *e = &v->a.v[i];

		if (e->null)
			swim_xmlw_element(w, "VALUE.NULL", NULL);
		else if (refs)
			swim_cimxml_write_reference(w, e->ref);
		else
			write_scalar(w, e);
	}
	swim_xmlw_end(w);
}

static void write_embedded_attr(swim_xmlw *w, swim_cim_type type)
{
	if (type == SWIM_CIM_OBJECT)
		swim_xmlw_attr(w, "EmbeddedObject", "object");
	else if (type == SWIM_CIM_INSTANCE)
		swim_xmlw_attr(w, "EmbeddedObject", "instance");
}

static void write_qualifiers(swim_xmlw *w, const swim_cim_qualifiers *q)
{
	for (size_t i = 0; i < q->n && !w->rc; i++) {
		const swim_cim_qualifier *x = &q->v[i];

		swim_xmlw_start(w, "QUALIFIER");
		swim_xmlw_attr(w, "NAME", x->name);
		swim_xmlw_attr(w, "TYPE", swim_cim_type_name(x->value.type));
		attr_bool_if(w, "PROPAGATED", x->propagated, false);
		attr_bool_if(w, "OVERRIDABLE",
		             x->flavor & SWIM_CIM_FLAVOR_OVERRIDABLE, true);
		attr_bool_if(w, "TOSUBCLASS",
		             x->flavor & SWIM_CIM_FLAVOR_TOSUBCLASS, true);
		attr_bool_if(w, "TOINSTANCE",
		             x->flavor & SWIM_CIM_FLAVOR_TOINSTANCE, false);
		attr_bool_if(w, "TRANSLATABLE",
		             x->flavor & SWIM_CIM_FLAVOR_TRANSLATABLE, false);
		swim_cimxml_write_value(w, &x->value);
		swim_xmlw_end(w);
	}
}

/* PROPERTY, PROPERTY.ARRAY or PROPERTY.REFERENCE; PROPAGATED is a
 * class's business, so instances leave it out. */
static void write_property(swim_xmlw *w, const swim_cim_property *p,
                           bool in_class)
{
	const swim_cim_value *v = &p->value;

	if (v->type == SWIM_CIM_REFERENCE && v->array) {
		swim_cimxml_write_fail(w, swim_error_set(SWIM_EINVAL,
		                       "property %s: CIM-XML has no reference "
		                       "array properties", p->name));
		return;
	}
	if (v->type == SWIM_CIM_REFERENCE) {
		swim_xmlw_start(w, "PROPERTY.REFERENCE");
		swim_xmlw_attr(w, "NAME", p->name);
		swim_xmlw_attr(w, "REFERENCECLASS", p->refclass);
	} else {
		swim_xmlw_start(w, v->array ? "PROPERTY.ARRAY" : "PROPERTY");
		swim_xmlw_attr(w, "NAME", p->name);
		swim_xmlw_attr(w, "TYPE", swim_cim_type_name(v->type));
		if (v->array && p->array_size)
			swim_xmlw_attrf(w, "ARRAYSIZE", "%u",
			                (unsigned)p->array_size);
	}
	swim_xmlw_attr(w, "CLASSORIGIN", p->class_origin);
	if (in_class)
		attr_bool_if(w, "PROPAGATED", p->propagated, false);
	if (v->type != SWIM_CIM_REFERENCE)
		write_embedded_attr(w, v->type);
	write_qualifiers(w, &p->quals);
	swim_cimxml_write_value(w, v);
	swim_xmlw_end(w);
}

void swim_cimxml_write_instance(swim_xmlw *w, const swim_cim_instance *inst)
{
	swim_xmlw_start(w, "INSTANCE");
	swim_xmlw_attr(w, "CLASSNAME", inst->classname);
	write_qualifiers(w, &inst->quals);
	for (size_t i = 0; i < inst->props.n && !w->rc; i++)
		write_property(w, &inst->props.v[i], false);
	swim_xmlw_end(w);
}

static void write_parameter(swim_xmlw *w, const swim_cim_parameter *p)
{
	bool ref = p->type == SWIM_CIM_REFERENCE;

	swim_xmlw_start(w, ref ? (p->array ? "PARAMETER.REFARRAY"
	                                   : "PARAMETER.REFERENCE")
	                       : (p->array ? "PARAMETER.ARRAY" : "PARAMETER"));
	swim_xmlw_attr(w, "NAME", p->name);
	if (ref)
		swim_xmlw_attr(w, "REFERENCECLASS", p->refclass);
	else
		swim_xmlw_attr(w, "TYPE", swim_cim_type_name(p->type));
	if (p->array && p->array_size)
		swim_xmlw_attrf(w, "ARRAYSIZE", "%u", (unsigned)p->array_size);
	write_qualifiers(w, &p->quals);
	swim_xmlw_end(w);
}

static void write_method(swim_xmlw *w, const swim_cim_method *m)
{
	swim_xmlw_start(w, "METHOD");
	swim_xmlw_attr(w, "NAME", m->name);
	swim_xmlw_attr(w, "TYPE", swim_cim_type_name(m->type));
	swim_xmlw_attr(w, "CLASSORIGIN", m->class_origin);
	attr_bool_if(w, "PROPAGATED", m->propagated, false);
	write_qualifiers(w, &m->quals);
	for (size_t i = 0; i < m->nparams && !w->rc; i++)
		write_parameter(w, &m->params[i]);
	swim_xmlw_end(w);
}

void swim_cimxml_write_class(swim_xmlw *w, const swim_cim_class *cls)
{
	swim_xmlw_start(w, "CLASS");
	swim_xmlw_attr(w, "NAME", cls->name);
	swim_xmlw_attr(w, "SUPERCLASS", cls->superclass);
	write_qualifiers(w, &cls->quals);
	for (size_t i = 0; i < cls->props.n && !w->rc; i++)
		write_property(w, &cls->props.v[i], true);
	for (size_t i = 0; i < cls->nmethods && !w->rc; i++)
		write_method(w, &cls->methods[i]);
	swim_xmlw_end(w);
}

/* Names and paths ------------------------------------------------------ */

void swim_cimxml_write_namespace(swim_xmlw *w, const char *ns)
{
	swim_buf seg = SWIM_BUF_INIT(0);

	swim_xmlw_start(w, "LOCALNAMESPACEPATH");
	while (ns && *ns && !w->rc) {
		const char *slash = strchr(ns, '/');
		size_t len = slash ? (size_t)(slash - ns) : strlen(ns);

		swim_buf_clear(&seg);
		swim_cimxml_write_fail(w, swim_buf_put(&seg, ns, len));
		swim_xmlw_start(w, "NAMESPACE");
		swim_xmlw_attr(w, "NAME", seg.ptr);
		swim_xmlw_end(w);
		ns = slash ? slash + 1 : ns + len;
	}
	swim_xmlw_end(w);
	swim_buf_dispose(&seg);
}

void swim_cimxml_write_classname(swim_xmlw *w, const char *name)
{
	swim_xmlw_start(w, "CLASSNAME");
	swim_xmlw_attr(w, "NAME", name);
	swim_xmlw_end(w);
}

static const char *value_type_of(swim_cim_type type)
{
	if (type == SWIM_CIM_BOOLEAN)
		return "boolean";
	if (swim_cim_type_is_integer(type) || swim_cim_type_is_real(type))
		return "numeric";
	return "string";
}

void swim_cimxml_write_instancename(swim_xmlw *w, const swim_cim_path *p)
{
	swim_buf text = SWIM_BUF_INIT(w->out->max);

	swim_xmlw_start(w, "INSTANCENAME");
	swim_xmlw_attr(w, "CLASSNAME", p->classname);
	for (size_t i = 0; i < p->nkeys && !w->rc; i++) {
		const swim_cim_value *v = &p->keys[i].value;

		swim_xmlw_start(w, "KEYBINDING");
		swim_xmlw_attr(w, "NAME", p->keys[i].name);
		if (v->type == SWIM_CIM_REFERENCE) {
			swim_cimxml_write_reference(w, v->ref);
		} else {
			swim_buf_clear(&text);
			swim_cimxml_write_fail(w, swim_cim_value_to_string(&text,
			                                                   v));
			swim_xmlw_start(w, "KEYVALUE");
			swim_xmlw_attr(w, "VALUETYPE", value_type_of(v->type));
			swim_xmlw_attr(w, "TYPE", swim_cim_type_name(v->type));
			if (text.len)
				swim_xmlw_textn(w, text.ptr, text.len);
			swim_xmlw_end(w);
		}
		swim_xmlw_end(w);
	}
	swim_xmlw_end(w);
	swim_buf_dispose(&text);
}

static void write_nspath(swim_xmlw *w, const swim_cim_path *p)
{
	if (!p->host || !p->ns) {
		swim_cimxml_write_fail(w, swim_error_set(SWIM_EINVAL,
		                       "path of %s has no host or namespace",
		                       p->classname));
		return;
	}
	swim_xmlw_start(w, "NAMESPACEPATH");
	swim_xmlw_element(w, "HOST", p->host);
	swim_cimxml_write_namespace(w, p->ns);
	swim_xmlw_end(w);
}

void swim_cimxml_write_instancepath(swim_xmlw *w, const swim_cim_path *p)
{
	swim_xmlw_start(w, "INSTANCEPATH");
	write_nspath(w, p);
	swim_cimxml_write_instancename(w, p);
	swim_xmlw_end(w);
}

void swim_cimxml_write_classpath(swim_xmlw *w, const swim_cim_path *p)
{
	swim_xmlw_start(w, "CLASSPATH");
	write_nspath(w, p);
	swim_cimxml_write_classname(w, p->classname);
	swim_xmlw_end(w);
}

void swim_cimxml_write_objectpath(swim_xmlw *w, const swim_cim_path *p)
{
	swim_xmlw_start(w, "OBJECTPATH");
	if (p->instance)
		swim_cimxml_write_instancepath(w, p);
	else
		swim_cimxml_write_classpath(w, p);
	swim_xmlw_end(w);
}

void swim_cimxml_write_reference(swim_xmlw *w, const swim_cim_path *p)
{
	swim_xmlw_start(w, "VALUE.REFERENCE");
	if (p->host && p->ns) {
		if (p->instance)
			swim_cimxml_write_instancepath(w, p);
		else
			swim_cimxml_write_classpath(w, p);
	} else if (p->ns) {
		swim_xmlw_start(w, p->instance ? "LOCALINSTANCEPATH"
		                               : "LOCALCLASSPATH");
		swim_cimxml_write_namespace(w, p->ns);
		if (p->instance)
			swim_cimxml_write_instancename(w, p);
		else
			swim_cimxml_write_classname(w, p->classname);
		swim_xmlw_end(w);
	} else if (p->instance) {
		swim_cimxml_write_instancename(w, p);
	} else {
		swim_cimxml_write_classname(w, p->classname);
	}
	swim_xmlw_end(w);
}
