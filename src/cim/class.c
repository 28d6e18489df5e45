#include <stdlib.h>
#include <string.h>

#include "cim/class.h"
#include "cim/internal.h"
#include "cim/name.h"
#include "swim/error.h"
#include "util/str.h"

int swim_cim_class_new(swim_cim_class **out, const char *name,
                       const char *superclass)
{
	swim_cim_class *cls;
	int rc;

	*out = NULL;
	if ((rc = swim_cim_name_check(name, "class name", NULL)) < 0 ||
	    (superclass &&
	     (rc = swim_cim_name_check(superclass, "superclass name", NULL)) < 0))
		return rc;
	if (!(cls = calloc(1, sizeof(*cls))))
		return swim_error_oom();
	if (!(cls->name = swim_strdup(name)) ||
	    (superclass && !(cls->superclass = swim_strdup(superclass)))) {
		swim_cim_class_free(cls);
		return SWIM_ENOMEM;
	}
	*out = cls;
	return 0;
}

void swim_cim_class_free(swim_cim_class *cls)
{
	if (!cls)
		return;
	free(cls->name);
	free(cls->superclass);
	swim_cim_qualifiers_dispose(&cls->quals);
	swim_cim_properties_dispose(&cls->props);
	for (size_t i = 0; i < cls->nmethods; i++)
		swim_cim_method_dispose(&cls->methods[i]);
	free(cls->methods);
	free(cls);
}

int swim_cim_class_copy(swim_cim_class **out, const swim_cim_class *cls)
{
	swim_cim_class *c = NULL;
	int rc;

	*out = NULL;
	if ((rc = swim_cim_class_new(&c, cls->name, cls->superclass)) < 0)
		return rc;
	c->association = cls->association;
	c->indication = cls->indication;
	c->abstract = cls->abstract;
	if ((rc = swim_cim_qualifiers_copy(&c->quals, &cls->quals)) < 0 ||
	    (rc = swim_cim_properties_copy(&c->props, &cls->props)) < 0)
		goto fail;
	if (cls->nmethods &&
	    !(c->methods = calloc(cls->nmethods, sizeof(*c->methods)))) {
		rc = swim_error_oom();
		goto fail;
	}
	for (size_t i = 0; i < cls->nmethods; i++) {
		if ((rc = swim_cim_method_copy(&c->methods[i],
		                               &cls->methods[i])) < 0)
			goto fail;
		c->nmethods++;
	}
	*out = c;
	return 0;
fail:
	swim_cim_class_free(c);
	return rc;
}

static bool parameter_equal(const swim_cim_parameter *a,
                            const swim_cim_parameter *b)
{
	return swim_str_ieq(a->name, b->name) && a->type == b->type &&
	       a->array == b->array && a->array_size == b->array_size &&
	       swim_cim__opt_ieq(a->refclass, b->refclass) &&
	       swim_cim_qualifiers_equal(&a->quals, &b->quals);
}

static bool method_equal(const swim_cim_method *a, const swim_cim_method *b)
{
	if (!swim_str_ieq(a->name, b->name) || a->type != b->type ||
	    a->nparams != b->nparams || a->propagated != b->propagated ||
	    !swim_cim__opt_ieq(a->refclass, b->refclass) ||
	    !swim_cim__opt_ieq(a->class_origin, b->class_origin) ||
	    !swim_cim_qualifiers_equal(&a->quals, &b->quals))
		return false;
	for (size_t i = 0; i < a->nparams; i++)
		if (!parameter_equal(&a->params[i], &b->params[i]))
			return false;
	return true;
}

bool swim_cim_class_equal(const swim_cim_class *a, const swim_cim_class *b)
{
	if (!swim_str_ieq(a->name, b->name) ||
	    !swim_cim__opt_ieq(a->superclass, b->superclass) ||
	    a->nmethods != b->nmethods ||
	    !swim_cim_qualifiers_equal(&a->quals, &b->quals) ||
	    !swim_cim_properties_equal(&a->props, &b->props))
		return false;
	for (size_t i = 0; i < a->nmethods; i++) {
		const swim_cim_method *m = swim_cim_class_method(b,
		                                                 a->methods[i].name);

		if (!m || !method_equal(&a->methods[i], m))
			return false;
	}
	return true;
}

const swim_cim_property *swim_cim_class_property(const swim_cim_class *cls,
                                                 const char *name)
{
	return swim_cim_properties_find(&cls->props, name);
}

const swim_cim_method *swim_cim_class_method(const swim_cim_class *cls,
                                             const char *name)
{
	for (size_t i = 0; i < cls->nmethods; i++)
		if (swim_str_ieq(cls->methods[i].name, name))
			return &cls->methods[i];
	return NULL;
}

const swim_cim_parameter *swim_cim_method_parameter(
	const swim_cim_method *m, const char *name)
{
	for (size_t i = 0; i < m->nparams; i++)
		if (swim_str_ieq(m->params[i].name, name))
			return &m->params[i];
	return NULL;
}

size_t swim_cim_class_key_count(const swim_cim_class *cls)
{
	size_t n = 0;

	for (size_t i = 0; i < cls->props.n; i++)
		n += cls->props.v[i].key;
	return n;
}

const swim_cim_property *swim_cim_class_key(const swim_cim_class *cls,
                                            size_t i)
{
	for (size_t k = 0; k < cls->props.n; k++)
		if (cls->props.v[k].key && i-- == 0)
			return &cls->props.v[k];
	return NULL;
}

int swim_cim_class_add_property(swim_cim_class *cls, swim_cim_property *p)
{
	if (swim_cim_properties_index(&cls->props, p->name) >= 0)
		return swim_error_set(SWIM_EEXISTS,
		                      "class %s: property %s declared twice",
		                      cls->name, p->name);
	return swim_cim_properties_add(&cls->props, p);
}

int swim_cim_class_add_method(swim_cim_class *cls, swim_cim_method *m)
{
	swim_cim_method *grown;

	if (swim_cim_class_method(cls, m->name))
		return swim_error_set(SWIM_EEXISTS,
		                      "class %s: method %s declared twice",
		                      cls->name, m->name);
	if (!(grown = realloc(cls->methods,
	                      (cls->nmethods + 1) * sizeof(*grown))))
		return swim_error_oom();
	cls->methods = grown;
	cls->methods[cls->nmethods++] = *m;
	memset(m, 0, sizeof(*m));
	return 0;
}

int swim_cim_method_init(swim_cim_method *m, const char *name,
                         swim_cim_type type)
{
	int rc;

	memset(m, 0, sizeof(*m));
	if ((rc = swim_cim_name_check(name, "method name", NULL)) < 0)
		return rc;
	if (type == SWIM_CIM_REFERENCE)
		return swim_error_set(SWIM_EINVAL,
		                      "method %s: a method cannot return a reference",
		                      name);
	if (!(m->name = swim_strdup(name)))
		return SWIM_ENOMEM;
	m->type = type;
	return 0;
}

int swim_cim_method_add_parameter(swim_cim_method *m,
                                  swim_cim_parameter *p)
{
	swim_cim_parameter *grown;

	if (swim_cim_method_parameter(m, p->name))
		return swim_error_set(SWIM_EEXISTS,
		                      "method %s: parameter %s declared twice",
		                      m->name, p->name);
	if (!(grown = realloc(m->params, (m->nparams + 1) * sizeof(*grown))))
		return swim_error_oom();
	m->params = grown;
	m->params[m->nparams++] = *p;
	memset(p, 0, sizeof(*p));
	return 0;
}

int swim_cim_method_copy(swim_cim_method *out, const swim_cim_method *m)
{
	int rc = SWIM_ENOMEM;

	memset(out, 0, sizeof(*out));
	out->type = m->type;
	out->propagated = m->propagated;
	if (!(out->name = swim_strdup(m->name)) ||
	    (m->refclass && !(out->refclass = swim_strdup(m->refclass))) ||
	    (m->class_origin &&
	     !(out->class_origin = swim_strdup(m->class_origin))))
		goto fail;
	if ((rc = swim_cim_qualifiers_copy(&out->quals, &m->quals)) < 0)
		goto fail;
	if (m->nparams &&
	    !(out->params = calloc(m->nparams, sizeof(*out->params)))) {
		rc = swim_error_oom();
		goto fail;
	}
	for (size_t i = 0; i < m->nparams; i++) {
		if ((rc = swim_cim_parameter_copy(&out->params[i],
		                                  &m->params[i])) < 0)
			goto fail;
		out->nparams++;
	}
	return 0;
fail:
	swim_cim_method_dispose(out);
	return rc;
}

void swim_cim_method_dispose(swim_cim_method *m)
{
	if (!m)
		return;
	free(m->name);
	free(m->refclass);
	free(m->class_origin);
	swim_cim_qualifiers_dispose(&m->quals);
	for (size_t i = 0; i < m->nparams; i++)
		swim_cim_parameter_dispose(&m->params[i]);
	free(m->params);
	memset(m, 0, sizeof(*m));
}

int swim_cim_parameter_init(swim_cim_parameter *p, const char *name,
                            swim_cim_type type, bool array)
{
	int rc;

	memset(p, 0, sizeof(*p));
	if ((rc = swim_cim_name_check(name, "parameter name", NULL)) < 0)
		return rc;
	if (!(p->name = swim_strdup(name)))
		return SWIM_ENOMEM;
	p->type = type;
	p->array = array;
	p->in = true;
	return 0;
}

int swim_cim_parameter_copy(swim_cim_parameter *out,
                            const swim_cim_parameter *p)
{
	int rc = SWIM_ENOMEM;

	*out = *p;
	out->name = out->refclass = NULL;
	out->quals.v = NULL;
	out->quals.n = 0;
	if (!(out->name = swim_strdup(p->name)) ||
	    (p->refclass && !(out->refclass = swim_strdup(p->refclass))))
		goto fail;
	if ((rc = swim_cim_qualifiers_copy(&out->quals, &p->quals)) < 0)
		goto fail;
	return 0;
fail:
	swim_cim_parameter_dispose(out);
	return rc;
}

void swim_cim_parameter_dispose(swim_cim_parameter *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->refclass);
	swim_cim_qualifiers_dispose(&p->quals);
	memset(p, 0, sizeof(*p));
}
