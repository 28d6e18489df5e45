#include <stdlib.h>
#include <string.h>

#include "cim/internal.h"
#include "cim/name.h"
#include "cim/property.h"
#include "swim/error.h"
#include "util/str.h"

int swim_cim_property_init(swim_cim_property *p, const char *name,
                           swim_cim_value *value)
{
	int rc;

	memset(p, 0, sizeof(*p));
	if ((rc = swim_cim_name_check(name, "property name", NULL)) < 0)
		return rc;
	if (!(p->name = swim_strdup(name)))
		return SWIM_ENOMEM;
	swim_cim_value_init(&p->value, SWIM_CIM_NONE, false);
	swim_cim_value_move(&p->value, value);
	return 0;
}

int swim_cim_property_copy(swim_cim_property *out,
                           const swim_cim_property *p)
{
	int rc;

	if ((rc = swim_cim_property_copy_bare(out, p)) < 0)
		return rc;
	if ((rc = swim_cim_qualifiers_copy(&out->quals, &p->quals)) < 0)
		swim_cim_property_dispose(out);
	return rc;
}

int swim_cim_property_copy_bare(swim_cim_property *out,
                                const swim_cim_property *p)
{
	int rc = SWIM_ENOMEM;

	memset(out, 0, sizeof(*out));
	out->array_size = p->array_size;
	out->propagated = p->propagated;
	out->key = p->key;
	swim_cim_value_init(&out->value, p->value.type, p->value.array);
	if (!(out->name = swim_strdup(p->name)) ||
	    (p->refclass && !(out->refclass = swim_strdup(p->refclass))) ||
	    (p->class_origin &&
	     !(out->class_origin = swim_strdup(p->class_origin))))
		goto fail;
	if ((rc = swim_cim_value_copy(&out->value, &p->value)) < 0) {
		swim_cim_value_init(&out->value, p->value.type, p->value.array);
		goto fail;
	}
	return 0;
fail:
	swim_cim_property_dispose(out);
	return rc;
}

bool swim_cim_property_equal(const swim_cim_property *a,
                             const swim_cim_property *b)
{
	return swim_str_ieq(a->name, b->name) &&
	       a->array_size == b->array_size && a->key == b->key &&
	       a->propagated == b->propagated &&
	       swim_cim__opt_ieq(a->refclass, b->refclass) &&
	       swim_cim__opt_ieq(a->class_origin, b->class_origin) &&
	       swim_cim_value_equal(&a->value, &b->value) &&
	       swim_cim_qualifiers_equal(&a->quals, &b->quals);
}

void swim_cim_property_dispose(swim_cim_property *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->refclass);
	free(p->class_origin);
	swim_cim_value_dispose(&p->value);
	swim_cim_qualifiers_dispose(&p->quals);
	memset(p, 0, sizeof(*p));
}

long swim_cim_properties_index(const swim_cim_properties *l,
                               const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (swim_str_ieq(l->v[i].name, name))
			return (long)i;
	return -1;
}

swim_cim_property *swim_cim_properties_find(const swim_cim_properties *l,
                                            const char *name)
{
	long i = swim_cim_properties_index(l, name);

	return i < 0 ? NULL : &l->v[i];
}

int swim_cim_properties_add(swim_cim_properties *l, swim_cim_property *p)
{
	swim_cim_property *grown;

	if (swim_cim_properties_index(l, p->name) >= 0)
		return swim_error_set(SWIM_EEXISTS, "property %s given twice",
		                      p->name);
	if (!(grown = realloc(l->v, (l->n + 1) * sizeof(*grown))))
		return swim_error_oom();
	l->v = grown;
	l->v[l->n++] = *p;
	memset(p, 0, sizeof(*p));
	return 0;
}

void swim_cim_properties_remove_at(swim_cim_properties *l, size_t i)
{
	if (i >= l->n)
		return;
	swim_cim_property_dispose(&l->v[i]);
	memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof(*l->v));
	l->n--;
}

int swim_cim_properties_copy(swim_cim_properties *out,
                             const swim_cim_properties *l)
{
	int rc;

	out->v = NULL;
	out->n = 0;
	if (!l->n)
		return 0;
	if (!(out->v = calloc(l->n, sizeof(*out->v))))
		return swim_error_oom();
	for (size_t i = 0; i < l->n; i++) {
		if ((rc = swim_cim_property_copy(&out->v[i], &l->v[i])) < 0) {
			swim_cim_properties_dispose(out);
			return rc;
		}
		out->n++;
	}
	return 0;
}

bool swim_cim_properties_equal(const swim_cim_properties *a,
                               const swim_cim_properties *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const swim_cim_property *y =
			swim_cim_properties_find(b, a->v[i].name);

		if (!y || !swim_cim_property_equal(&a->v[i], y))
			return false;
	}
	return true;
}

void swim_cim_properties_dispose(swim_cim_properties *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		swim_cim_property_dispose(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
