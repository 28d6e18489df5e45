/* Writing values, instances and classes back as MOF, for messages,
 * tests and `swim` output. */
#include <stdio.h>

#include "cim/class.h"
#include "cim/instance.h"
#include "cim/internal.h"
#include "cim/path.h"
#include "swim/error.h"
#include "util/str.h"

static int put_mof_string(swim_buf *buf, const char *s, char quote)
{
	int rc = swim_buf_putc(buf, quote);

	for (const unsigned char *p = (const unsigned char *)s; rc == 0 && *p;
	     p++) {
		switch (*p) {
		case '\n': rc = swim_buf_puts(buf, "\\n"); break;
		case '\t': rc = swim_buf_puts(buf, "\\t"); break;
		case '\r': rc = swim_buf_puts(buf, "\\r"); break;
		case '\b': rc = swim_buf_puts(buf, "\\b"); break;
		case '\f': rc = swim_buf_puts(buf, "\\f"); break;
		case '\\': rc = swim_buf_puts(buf, "\\\\"); break;
		default:
			if (*p == (unsigned char)quote)
				rc = swim_buf_printf(buf, "\\%c", quote);
			else if (*p < 0x20 || *p == 0x7f)
				rc = swim_buf_printf(buf, "\\x%04x", *p);
			else
				rc = swim_buf_putc(buf, (char)*p);
		}
	}
	return rc ? rc : swim_buf_putc(buf, quote);
}

static int scalar_to_mof(swim_buf *buf, const swim_cim_value *v)
{
	swim_buf tmp = SWIM_BUF_INIT(0);
	int rc;

	if (v->null)
		return swim_buf_puts(buf, "NULL");
	switch (v->type) {
	case SWIM_CIM_STRING:
		return put_mof_string(buf, v->s, '"');
	case SWIM_CIM_CHAR16:
	case SWIM_CIM_DATETIME:
	case SWIM_CIM_REFERENCE:
		if ((rc = swim_cim_value_to_string(&tmp, v)) == 0)
			rc = put_mof_string(buf, tmp.ptr,
			                    v->type == SWIM_CIM_CHAR16 ? '\'' : '"');
		swim_buf_dispose(&tmp);
		return rc;
	case SWIM_CIM_OBJECT:
	case SWIM_CIM_INSTANCE:
		if (v->obj.inst)
			return swim_cim_instance_to_mof(buf, v->obj.inst);
		return swim_cim_class_to_mof(buf, v->obj.cls);
	default:
		return swim_cim_value_to_string(buf, v);
	}
}

int swim_cim_value_to_mof(swim_buf *buf, const swim_cim_value *v)
{
	int rc = 0;

	if (!v->array || v->null)
		return scalar_to_mof(buf, v);
	rc = swim_buf_putc(buf, '{');
	for (size_t i = 0; rc == 0 && i < v->a.n; i++) {
		if (i)
			rc = swim_buf_puts(buf, ", ");
		if (rc == 0)
			rc = scalar_to_mof(buf, &v->a.v[i]);
	}
	return rc ? rc : swim_buf_putc(buf, '}');
}

int swim_cim_instance_to_mof(swim_buf *buf, const swim_cim_instance *inst)
{
	int rc = swim_buf_printf(buf, "instance of %s {\n", inst->classname);

	for (size_t i = 0; rc == 0 && i < inst->props.n; i++) {
		const swim_cim_property *p = &inst->props.v[i];

		if ((rc = swim_buf_printf(buf, "\t%s = ", p->name)) == 0 &&
		    (rc = swim_cim_value_to_mof(buf, &p->value)) == 0)
			rc = swim_buf_puts(buf, ";\n");
	}
	return rc ? rc : swim_buf_puts(buf, "};\n");
}

/* indent[A, B("x"), C{"a", "b"}] then `end`, or nothing; inherited
 * qualifiers are left out. */
static int put_qualifiers(swim_buf *buf, const swim_cim_qualifiers *q,
                          const char *indent, const char *end)
{
	bool first = true;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < q->n; i++) {
		const swim_cim_qualifier *x = &q->v[i];

		if (x->propagated)
			continue;
		rc = first ? swim_buf_printf(buf, "%s[%s", indent, x->name)
		           : swim_buf_printf(buf, ", %s", x->name);
		first = false;
		if (rc || (x->value.type == SWIM_CIM_BOOLEAN && !x->value.array &&
		           !x->value.null && x->value.b))
			continue;
		if (x->value.array && !x->value.null)
			rc = swim_cim_value_to_mof(buf, &x->value);
		else if ((rc = swim_buf_putc(buf, '(')) == 0 &&
		         (rc = swim_cim_value_to_mof(buf, &x->value)) == 0)
			rc = swim_buf_putc(buf, ')');
	}
	if (rc == 0 && !first)
		rc = swim_buf_printf(buf, "]%s", end);
	return rc;
}

static int put_type(swim_buf *buf, swim_cim_type type, const char *refclass)
{
	if (type == SWIM_CIM_REFERENCE)
		return swim_buf_printf(buf, "%s REF", refclass ? refclass : "");
	return swim_buf_puts(buf, swim_cim_type_name(type));
}

static int put_array(swim_buf *buf, bool array, uint32_t size)
{
	if (!array)
		return 0;
	return size ? swim_buf_printf(buf, "[%u]", (unsigned)size)
	            : swim_buf_puts(buf, "[]");
}

static int put_method(swim_buf *buf, const swim_cim_method *m)
{
	int rc;

	if ((rc = put_qualifiers(buf, &m->quals, "\t", "\n")) < 0 ||
	    (rc = swim_buf_printf(buf, "\t%s %s(", swim_cim_type_name(m->type),
	                          m->name)) < 0)
		return rc;
	for (size_t i = 0; rc == 0 && i < m->nparams; i++) {
		const swim_cim_parameter *p = &m->params[i];

		if ((rc = swim_buf_puts(buf, i ? ",\n\t\t" : "\n\t\t")) < 0 ||
		    (rc = put_qualifiers(buf, &p->quals, "", " ")) < 0 ||
		    (rc = put_type(buf, p->type, p->refclass)) < 0 ||
		    (rc = swim_buf_printf(buf, " %s", p->name)) < 0)
			break;
		rc = put_array(buf, p->array, p->array_size);
	}
	return rc ? rc : swim_buf_puts(buf, ");\n");
}

int swim_cim_class_to_mof(swim_buf *buf, const swim_cim_class *cls)
{
	int rc;

	if ((rc = put_qualifiers(buf, &cls->quals, "", "\n")) < 0 ||
	    (rc = swim_buf_printf(buf, "class %s%s%s {\n", cls->name,
	                          cls->superclass ? " : " : "",
	                          cls->superclass ? cls->superclass : "")) < 0)
		return rc;
	for (size_t i = 0; rc == 0 && i < cls->props.n; i++) {
		const swim_cim_property *p = &cls->props.v[i];

		if (p->propagated)
			continue;
		if ((rc = put_qualifiers(buf, &p->quals, "\t", "\n")) < 0 ||
		    (rc = swim_buf_putc(buf, '\t')) < 0 ||
		    (rc = put_type(buf, p->value.type, p->refclass)) < 0 ||
		    (rc = swim_buf_printf(buf, " %s", p->name)) < 0 ||
		    (rc = put_array(buf, p->value.array, p->array_size)) < 0)
			break;
		if (!p->value.null &&
		    ((rc = swim_buf_puts(buf, " = ")) < 0 ||
		     (rc = swim_cim_value_to_mof(buf, &p->value)) < 0))
			break;
		rc = swim_buf_puts(buf, ";\n");
	}
	for (size_t i = 0; rc == 0 && i < cls->nmethods; i++)
		if (!cls->methods[i].propagated)
			rc = put_method(buf, &cls->methods[i]);
	return rc ? rc : swim_buf_puts(buf, "};\n");
}
