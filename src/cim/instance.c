#include <stdlib.h>
#include <string.h>

#include "cim/instance.h"
#include "cim/name.h"
#include "swim/error.h"
#include "util/str.h"

int swim_cim_instance_new(swim_cim_instance **out, const char *classname)
{
	swim_cim_instance *inst;
	int rc;

	*out = NULL;
	if ((rc = swim_cim_name_check(classname, "class name", NULL)) < 0)
		return rc;
	if (!(inst = calloc(1, sizeof(*inst))))
		return swim_error_oom();
	if (!(inst->classname = swim_strdup(classname))) {
		free(inst);
		return SWIM_ENOMEM;
	}
	*out = inst;
	return 0;
}

void swim_cim_instance_free(swim_cim_instance *inst)
{
	if (!inst)
		return;
	free(inst->classname);
	swim_cim_qualifiers_dispose(&inst->quals);
	swim_cim_properties_dispose(&inst->props);
	swim_cim_path_free(inst->path);
	free(inst);
}

int swim_cim_instance_copy(swim_cim_instance **out,
                           const swim_cim_instance *inst)
{
	swim_cim_instance *c = NULL;
	int rc;

	*out = NULL;
	if ((rc = swim_cim_instance_new(&c, inst->classname)) < 0)
		return rc;
	if ((rc = swim_cim_qualifiers_copy(&c->quals, &inst->quals)) < 0 ||
	    (rc = swim_cim_properties_copy(&c->props, &inst->props)) < 0 ||
	    (inst->path && (rc = swim_cim_path_copy(&c->path, inst->path)) < 0)) {
		swim_cim_instance_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

bool swim_cim_instance_equal(const swim_cim_instance *a,
                             const swim_cim_instance *b)
{
	return swim_str_ieq(a->classname, b->classname) &&
	       swim_cim_qualifiers_equal(&a->quals, &b->quals) &&
	       swim_cim_properties_equal(&a->props, &b->props);
}

const swim_cim_property *swim_cim_instance_property(
	const swim_cim_instance *inst, const char *name)
{
	return swim_cim_properties_find(&inst->props, name);
}

const swim_cim_value *swim_cim_instance_value(const swim_cim_instance *inst,
                                              const char *name)
{
	const swim_cim_property *p = swim_cim_properties_find(&inst->props,
	                                                      name);

	return p ? &p->value : NULL;
}

int swim_cim_instance_set(swim_cim_instance *inst, const char *name,
                          swim_cim_value *value)
{
	swim_cim_property *p = swim_cim_properties_find(&inst->props, name);
	swim_cim_property np;
	int rc;

	if (p) {
		swim_cim_value_move(&p->value, value);
		return 0;
	}
	if ((rc = swim_cim_property_init(&np, name, value)) < 0 ||
	    (rc = swim_cim_properties_add(&inst->props, &np)) < 0) {
		swim_cim_property_dispose(&np);
		return rc;
	}
	return 0;
}

/* Sets property name to v when rc (the result of filling v) is 0; v is
 * always disposed. */
static int set_filled(swim_cim_instance *inst, const char *name,
                      swim_cim_value *v, int rc)
{
	if (rc == 0)
		rc = swim_cim_instance_set(inst, name, v);
	swim_cim_value_dispose(v);
	return rc;
}

int swim_cim_instance_set_null(swim_cim_instance *inst, const char *name,
                               swim_cim_type type, bool array)
{
	swim_cim_value v;

	swim_cim_value_init(&v, type, array);
	return set_filled(inst, name, &v, 0);
}

int swim_cim_instance_set_bool(swim_cim_instance *inst, const char *name,
                               bool b)
{
	swim_cim_value v = SWIM_CIM_VALUE_INIT;

	swim_cim_value_set_bool(&v, b);
	return set_filled(inst, name, &v, 0);
}

int swim_cim_instance_set_uint(swim_cim_instance *inst, const char *name,
                               swim_cim_type type, uint64_t u)
{
	swim_cim_value v = SWIM_CIM_VALUE_INIT;

	return set_filled(inst, name, &v, swim_cim_value_set_uint(&v, type, u));
}

int swim_cim_instance_set_sint(swim_cim_instance *inst, const char *name,
                               swim_cim_type type, int64_t i)
{
	swim_cim_value v = SWIM_CIM_VALUE_INIT;

	return set_filled(inst, name, &v, swim_cim_value_set_sint(&v, type, i));
}

int swim_cim_instance_set_string(swim_cim_instance *inst, const char *name,
                                 const char *s)
{
	swim_cim_value v;

	swim_cim_value_init(&v, SWIM_CIM_STRING, false);
	return set_filled(inst, name, &v,
	                  s ? swim_cim_value_set_string(&v, s) : 0);
}

int swim_cim_instance_set_datetime(swim_cim_instance *inst,
                                   const char *name,
                                   const swim_cim_datetime *dt)
{
	swim_cim_value v = SWIM_CIM_VALUE_INIT;

	swim_cim_value_set_datetime(&v, dt);
	return set_filled(inst, name, &v, 0);
}

int swim_cim_instance_set_ref(swim_cim_instance *inst, const char *name,
                              const swim_cim_path *ref)
{
	swim_cim_value v;

	swim_cim_value_init(&v, SWIM_CIM_REFERENCE, false);
	return set_filled(inst, name, &v,
	                  ref ? swim_cim_value_set_ref(&v, ref) : 0);
}

int swim_cim_instance_set_uints(swim_cim_instance *inst, const char *name,
                                swim_cim_type type, const uint64_t *u,
                                size_t n)
{
	swim_cim_value v = SWIM_CIM_VALUE_INIT, e = SWIM_CIM_VALUE_INIT;
	int rc = 0;

	swim_cim_value_set_array(&v, type);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if ((rc = swim_cim_value_set_uint(&e, type, u[i])) == 0)
			rc = swim_cim_value_append(&v, &e);
	swim_cim_value_dispose(&e);
	return set_filled(inst, name, &v, rc);
}

int swim_cim_instance_set_strings(swim_cim_instance *inst,
                                  const char *name,
                                  const char *const *s, size_t n)
{
	swim_cim_value v = SWIM_CIM_VALUE_INIT, e = SWIM_CIM_VALUE_INIT;
	int rc = 0;

	swim_cim_value_set_array(&v, SWIM_CIM_STRING);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (s[i])
			rc = swim_cim_value_set_string(&e, s[i]);
		else
			swim_cim_value_init(&e, SWIM_CIM_STRING, false);
		if (rc == 0)
			rc = swim_cim_value_append(&v, &e);
	}
	swim_cim_value_dispose(&e);
	return set_filled(inst, name, &v, rc);
}

int swim_cim_instance_remove(swim_cim_instance *inst, const char *name)
{
	long i = swim_cim_properties_index(&inst->props, name);

	if (i < 0)
		return swim_error_set(SWIM_ENOTFOUND, "no property %s in %s",
		                      name, inst->classname);
	swim_cim_properties_remove_at(&inst->props, (size_t)i);
	return 0;
}

int swim_cim_instance_set_path(swim_cim_instance *inst,
                               const swim_cim_path *path)
{
	swim_cim_path *copy = NULL;
	int rc;

	if (path && (rc = swim_cim_path_copy(&copy, path)) < 0)
		return rc;
	swim_cim_path_free(inst->path);
	inst->path = copy;
	return 0;
}
