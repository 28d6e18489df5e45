#include <stdlib.h>
#include <string.h>

#include "cim/name.h"
#include "cim/qualifier.h"
#include "swim/error.h"
#include "util/str.h"

static long find(const swim_cim_qualifiers *q, const char *name)
{
	for (size_t i = 0; i < q->n; i++)
		if (swim_str_ieq(q->v[i].name, name))
			return (long)i;
	return -1;
}

const swim_cim_qualifier *swim_cim_qualifiers_get(const swim_cim_qualifiers *q,
                                                  const char *name)
{
	long i = find(q, name);

	return i < 0 ? NULL : &q->v[i];
}

bool swim_cim_qualifiers_true(const swim_cim_qualifiers *q,
                              const char *name)
{
	const swim_cim_qualifier *x = swim_cim_qualifiers_get(q, name);

	return x && x->value.type == SWIM_CIM_BOOLEAN && !x->value.array &&
	       !x->value.null && x->value.b;
}

const char *swim_cim_qualifiers_string(const swim_cim_qualifiers *q,
                                       const char *name)
{
	const swim_cim_qualifier *x = swim_cim_qualifiers_get(q, name);

	if (!x || x->value.type != SWIM_CIM_STRING || x->value.array ||
	    x->value.null)
		return NULL;
	return x->value.s;
}

int swim_cim_qualifiers_set(swim_cim_qualifiers *q, const char *name,
                            swim_cim_value *value, unsigned flavor,
                            bool propagated)
{
	swim_cim_qualifier *grown, *x;
	long i = find(q, name);
	int rc;

	if (i >= 0) {
		x = &q->v[i];
	} else {
		char *copy;

		if ((rc = swim_cim_name_check(name, "qualifier name", NULL)) < 0)
			return rc;
		if (!(copy = swim_strdup(name)))
			return SWIM_ENOMEM;
		if (!(grown = realloc(q->v, (q->n + 1) * sizeof(*grown)))) {
			free(copy);
			return swim_error_oom();
		}
		q->v = grown;
		x = &q->v[q->n++];
		memset(x, 0, sizeof(*x));
		x->name = copy;
	}
	swim_cim_value_move(&x->value, value);
	x->flavor = flavor;
	x->propagated = propagated;
	return 0;
}

static void dispose_one(swim_cim_qualifier *x)
{
	free(x->name);
	swim_cim_value_dispose(&x->value);
}

void swim_cim_qualifiers_remove(swim_cim_qualifiers *q, const char *name)
{
	long i = find(q, name);

	if (i < 0)
		return;
	dispose_one(&q->v[i]);
	memmove(&q->v[i], &q->v[i + 1], (q->n - (size_t)i - 1) * sizeof(*q->v));
	q->n--;
}

int swim_cim_qualifiers_copy(swim_cim_qualifiers *out,
                             const swim_cim_qualifiers *q)
{
	int rc;

	out->v = NULL;
	out->n = 0;
	if (!q->n)
		return 0;
	if (!(out->v = calloc(q->n, sizeof(*out->v))))
		return swim_error_oom();
	for (size_t i = 0; i < q->n; i++) {
		swim_cim_qualifier *x = &out->v[i];

		*x = q->v[i];
		x->name = NULL;
		swim_cim_value_init(&x->value, SWIM_CIM_NONE, false);
		out->n++;
		if (!(x->name = swim_strdup(q->v[i].name))) {
			rc = SWIM_ENOMEM;
			goto fail;
		}
		if ((rc = swim_cim_value_copy(&x->value, &q->v[i].value)) < 0)
			goto fail;
	}
	return 0;
fail:
	swim_cim_qualifiers_dispose(out);
	return rc;
}

bool swim_cim_qualifiers_equal(const swim_cim_qualifiers *a,
                               const swim_cim_qualifiers *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const swim_cim_qualifier *x = &a->v[i];
		const swim_cim_qualifier *y = swim_cim_qualifiers_get(b, x->name);

		if (!y || x->flavor != y->flavor ||
		    x->propagated != y->propagated ||
		    !swim_cim_value_equal(&x->value, &y->value))
			return false;
	}
	return true;
}

void swim_cim_qualifiers_dispose(swim_cim_qualifiers *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->n; i++)
		dispose_one(&q->v[i]);
	free(q->v);
	q->v = NULL;
	q->n = 0;
}

int swim_cim_qualifier_decl_new(swim_cim_qualifier_decl **out,
                                const char *name, swim_cim_type type,
                                bool array)
{
	swim_cim_qualifier_decl *d;
	int rc;

	*out = NULL;
	if ((rc = swim_cim_name_check(name, "qualifier name", NULL)) < 0)
		return rc;
	if (type == SWIM_CIM_NONE || type == SWIM_CIM_REFERENCE ||
	    swim_cim_type_is_embedded(type))
		return swim_error_set(SWIM_EINVAL,
		                      "qualifier %s: a qualifier cannot be of type %s",
		                      name, swim_cim_type_name(type));
	if (!(d = calloc(1, sizeof(*d))))
		return swim_error_oom();
	if (!(d->name = swim_strdup(name))) {
		free(d);
		return SWIM_ENOMEM;
	}
	d->type = type;
	d->array = array;
	d->flavor = SWIM_CIM_FLAVOR_DEFAULT;
	swim_cim_value_init(&d->value, type, array);
	*out = d;
	return 0;
}

void swim_cim_qualifier_decl_free(swim_cim_qualifier_decl *decl)
{
	if (!decl)
		return;
	free(decl->name);
	swim_cim_value_dispose(&decl->value);
	free(decl);
}

int swim_cim_qualifier_decl_copy(swim_cim_qualifier_decl **out,
                                 const swim_cim_qualifier_decl *decl)
{
	swim_cim_qualifier_decl *d = NULL;
	int rc;

	if ((rc = swim_cim_qualifier_decl_new(&d, decl->name, decl->type,
	                                      decl->array)) < 0)
		return rc;
	d->array_size = decl->array_size;
	d->scope = decl->scope;
	d->flavor = decl->flavor;
	if ((rc = swim_cim_value_copy(&d->value, &decl->value)) < 0) {
		swim_cim_value_init(&d->value, d->type, d->array);
		swim_cim_qualifier_decl_free(d);
		return rc;
	}
	*out = d;
	return 0;
}

const char *swim_cim_scope_name(unsigned scope)
{
	static const char *const names[] = {
		"class", "association", "indication", "property", "reference",
		"method", "parameter", "qualifier"
	};

	if (scope == SWIM_CIM_SCOPE_ANY)
		return "any";
	for (unsigned i = 0; i < SWIM_ARRAY_SIZE(names); i++)
		if (scope == 1u << i)
			return names[i];
	return "";
}
