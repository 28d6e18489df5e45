/* Checking what clients and providers hand over against the schema: an
 * instance against its class, a path against its class's keys, method
 * arguments against the method's parameters. */
#include <stdlib.h>
#include <string.h>

#include "cim/class.h"
#include "swim/error.h"
#include "util/str.h"

static int fail(swim_cim_coerce *opt, swim_cim_status status, int rc)
{
	if (opt && rc != SWIM_ENOMEM)
		opt->status = status;
	return rc;
}

/* Gives p the class property's spelling and schema fields. */
static int adopt(swim_cim_property *p, const swim_cim_property *cp,
                 unsigned flags)
{
	const char *origin = flags & SWIM_CIM_COERCE_NO_ORIGIN
	                     ? NULL : cp->class_origin;

	if (strcmp(p->name, cp->name) != 0 && swim_str_set(&p->name, cp->name))
		return SWIM_ENOMEM;
	if (swim_str_set(&p->refclass, cp->refclass) < 0 ||
	    swim_str_set(&p->class_origin, origin) < 0)
		return SWIM_ENOMEM;
	p->array_size = cp->array_size;
	p->propagated = cp->propagated;
	p->key = cp->key;
	return 0;
}

static int coerce_property(swim_cim_property *p, const swim_cim_property *cp,
                           const swim_cim_class *cls, swim_cim_coerce *opt)
{
	int rc;

	if ((rc = swim_cim_value_coerce(&p->value, cp->value.type,
	                                cp->value.array, opt)) < 0)
		return swim_error_prefix("class %s, property %s: ", cls->name,
		                         cp->name);
	if (cp->array_size && !p->value.null &&
	    p->value.a.n > cp->array_size)
		return fail(opt, SWIM_CIM_ERR_INVALID_PARAMETER,
		            swim_error_set(SWIM_EINVAL,
		                           "class %s, property %s: %zu elements "
		                           "for an array of %u", cls->name,
		                           cp->name, p->value.a.n,
		                           (unsigned)cp->array_size));
	return adopt(p, cp, opt ? opt->flags : 0);
}

int swim_cim_class_coerce_instance(const swim_cim_class *cls,
                                   swim_cim_instance *inst,
                                   swim_cim_coerce *opt)
{
	swim_cim_properties done = { NULL, 0 };
	unsigned flags = opt ? opt->flags : 0;
	int rc = 0;

	for (size_t i = 0; i < inst->props.n; i++)
		if (!swim_cim_class_property(cls, inst->props.v[i].name))
			return fail(opt, SWIM_CIM_ERR_NO_SUCH_PROPERTY,
			            swim_error_set(SWIM_ENOTFOUND,
			                           "class %s has no property %s",
			                           cls->name,
			                           inst->props.v[i].name));
	if (cls->props.n &&
	    !(done.v = calloc(cls->props.n, sizeof(*done.v))))
		return swim_error_oom();
	/* Rebuild the list in class order, moving the instance's
	 * properties over. */
	for (size_t i = 0; i < cls->props.n; i++) {
		const swim_cim_property *cp = &cls->props.v[i];
		long at = swim_cim_properties_index(&inst->props, cp->name);
		swim_cim_property *p = &done.v[done.n];

		if (at >= 0) {
			*p = inst->props.v[at];
			memset(&inst->props.v[at], 0, sizeof(*p));
			swim_cim_properties_remove_at(&inst->props, (size_t)at);
			done.n++;
			if ((rc = coerce_property(p, cp, cls, opt)) < 0)
				goto out;
		} else if (flags & SWIM_CIM_COERCE_DEFAULTS) {
			/* Instances keep no qualifiers: the class's stay. */
			if ((rc = swim_cim_property_copy_bare(p, cp)) < 0)
				goto out;
			done.n++;
			if (flags & SWIM_CIM_COERCE_NO_ORIGIN) {
				free(p->class_origin);
				p->class_origin = NULL;
			}
		} else {
			p = NULL;
		}
		if ((flags & SWIM_CIM_COERCE_KEYS) && cp->key &&
		    (!p || p->value.null)) {
			rc = fail(opt, SWIM_CIM_ERR_INVALID_PARAMETER,
			          swim_error_set(SWIM_EINVAL,
			                         "class %s: key property %s has no "
			                         "value", cls->name, cp->name));
			goto out;
		}
	}
out:
	/* Whatever was not moved (nothing on success) goes back. */
	for (size_t i = 0; i < inst->props.n; i++)
		(void)swim_cim_properties_add(&done, &inst->props.v[i]);
	swim_cim_properties_dispose(&inst->props);
	inst->props = done;
	return rc;
}

int swim_cim_class_coerce_path(const swim_cim_class *cls,
                               swim_cim_path *path, swim_cim_coerce *opt)
{
	int rc;

	for (size_t i = 0; i < path->nkeys; i++) {
		swim_cim_keybinding *k = &path->keys[i];
		const swim_cim_property *cp = swim_cim_class_property(cls,
		                                                      k->name);

		if (!cp || !cp->key)
			return fail(opt, SWIM_CIM_ERR_INVALID_PARAMETER,
			            swim_error_set(SWIM_EINVAL,
			                           "%s is not a key of class %s",
			                           k->name, cls->name));
		if ((rc = swim_cim_value_coerce(&k->value, cp->value.type,
		                                false, opt)) < 0)
			return swim_error_prefix("class %s, key %s: ", cls->name,
			                         cp->name);
		if (strcmp(k->name, cp->name) != 0 &&
		    swim_str_set(&k->name, cp->name) < 0)
			return SWIM_ENOMEM;
	}
	for (size_t i = 0; i < cls->props.n; i++)
		if (cls->props.v[i].key &&
		    !swim_cim_path_key(path, cls->props.v[i].name))
			return fail(opt, SWIM_CIM_ERR_INVALID_PARAMETER,
			            swim_error_set(SWIM_EINVAL,
			                           "class %s: key %s is missing from "
			                           "the path", cls->name,
			                           cls->props.v[i].name));
	path->instance = true;
	return 0;
}

/* Arguments going in, or coming out of a method (outputs). */
static int coerce_params(const swim_cim_method *m, swim_cim_instance *args,
                         bool output, swim_cim_coerce *opt)
{
	int rc;

	for (size_t i = 0; i < args->props.n; i++) {
		swim_cim_property *a = &args->props.v[i];
		const swim_cim_parameter *p = swim_cim_method_parameter(m,
		                                                        a->name);

		if (!p)
			return fail(opt, SWIM_CIM_ERR_INVALID_PARAMETER,
			            swim_error_set(SWIM_ENOTFOUND,
			                           "method %s has no parameter %s",
			                           m->name, a->name));
		if (!(output ? p->out : p->in))
			return fail(opt, SWIM_CIM_ERR_INVALID_PARAMETER,
			            swim_error_set(SWIM_EINVAL,
			                           "parameter %s of method %s is not "
			                           "an %s", p->name, m->name,
			                           output ? "output" : "input"));
		if ((rc = swim_cim_value_coerce(&a->value, p->type, p->array,
		                                opt)) < 0)
			return swim_error_prefix("method %s, parameter %s: ",
			                         m->name, p->name);
		if ((strcmp(a->name, p->name) != 0 &&
		     swim_str_set(&a->name, p->name) < 0) ||
		    swim_str_set(&a->refclass, p->refclass) < 0)
			return SWIM_ENOMEM;
	}
	return 0;
}

int swim_cim_method_coerce_args(const swim_cim_method *m,
                                swim_cim_instance *args,
                                swim_cim_coerce *opt)
{
	return coerce_params(m, args, false, opt);
}

int swim_cim_method_coerce_outputs(const swim_cim_method *m,
                                   swim_cim_instance *out,
                                   swim_cim_coerce *opt)
{
	return coerce_params(m, out, true, opt);
}

int swim_cim_class_instance_path(swim_cim_path **out,
                                 const swim_cim_class *cls,
                                 const swim_cim_instance *inst,
                                 const char *host, const char *ns)
{
	swim_cim_value v = SWIM_CIM_VALUE_INIT;
	swim_cim_path *path = NULL;
	int rc;

	*out = NULL;
	if ((rc = swim_cim_path_new(&path, host, ns, inst->classname)) < 0)
		return rc;
	path->instance = true;
	for (size_t i = 0; i < cls->props.n; i++) {
		const swim_cim_property *k = &cls->props.v[i];
		const swim_cim_value *iv;

		if (!k->key)
			continue;
		iv = swim_cim_instance_value(inst, k->name);
		if (!iv || iv->null) {
			rc = swim_error_set(SWIM_EINVAL,
			                    "instance of %s: key property %s has no "
			                    "value", inst->classname, k->name);
			goto out;
		}
		if ((rc = swim_cim_value_copy(&v, iv)) < 0 ||
		    (rc = swim_cim_value_coerce(&v, k->value.type, false,
		                                NULL)) < 0 ||
		    (rc = swim_cim_path_add_key(path, k->name, &v)) < 0) {
			rc = swim_error_prefix("instance of %s, key %s: ",
			                       inst->classname, k->name);
			goto out;
		}
	}
	*out = path;
	path = NULL;
out:
	swim_cim_value_dispose(&v);
	swim_cim_path_free(path);
	return rc;
}
