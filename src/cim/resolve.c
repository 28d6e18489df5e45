/* Adding a class to the repository: its qualifiers checked against their
 * declarations, then merged with what it inherits (DSP0004's rules for
 * propagation and overriding). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cim/repo.h"
#include "cim/repo_internal.h"
#include "swim/error.h"
#include "util/str.h"

struct resolve {
	const swim_cim_repo *repo;
	struct swim_cim__ns *ns;
	swim_cim_class *cls;
	const swim_cim_class *parent;   /* NULL for a root class */
	bool parent_has_keys;
};

/* A qualifier given without a value, as MOF allows: TRUE for booleans. */
static bool raw_true(const swim_cim_qualifiers *q, const char *name)
{
	const swim_cim_qualifier *x = swim_cim_qualifiers_get(q, name);

	if (!x)
		return false;
	if (x->value.type == SWIM_CIM_NONE)
		return true;
	return x->value.type == SWIM_CIM_BOOLEAN && !x->value.array &&
	       !x->value.null && x->value.b;
}

static const char *element_kind(unsigned scope)
{
	if (scope & SWIM_CIM_SCOPE_ASSOCIATION)
		return "an association";
	if (scope & SWIM_CIM_SCOPE_INDICATION)
		return "an indication";
	if (scope & SWIM_CIM_SCOPE_CLASS)
		return "a class";
	return scope == SWIM_CIM_SCOPE_PROPERTY ? "a property"
	       : scope == SWIM_CIM_SCOPE_REFERENCE ? "a reference"
	       : scope == SWIM_CIM_SCOPE_METHOD ? "a method" : "a parameter";
}

/* Checks each qualifier against its declaration: declared, in scope, of
 * the declared type; fills values left out and flavors not given. */
static int check_qualifiers(struct resolve *r, swim_cim_qualifiers *q,
                            unsigned scope, const char *what)
{
	int rc;

	for (size_t i = 0; i < q->n; i++) {
		swim_cim_qualifier *x = &q->v[i];
		const swim_cim_qualifier_decl *d =
			swim_cim_map_get(&r->ns->decl_map, x->name);

		if (!d)
			return swim_error_set(SWIM_ENOTFOUND,
			                      "%s: qualifier %s is not declared",
			                      what, x->name);
		if (!(d->scope & scope))
			return swim_error_set(SWIM_EINVAL,
			                      "%s: qualifier %s may not be used on %s",
			                      what, d->name, element_kind(scope));
		if (strcmp(x->name, d->name) != 0 &&
		    swim_str_set(&x->name, d->name) < 0)
			return SWIM_ENOMEM;
		if (x->value.type == SWIM_CIM_NONE) {
			if (d->type == SWIM_CIM_BOOLEAN && !d->array)
				swim_cim_value_set_bool(&x->value, true);
			else if ((rc = swim_cim_value_copy(&x->value,
			                                   &d->value)) < 0)
				return rc;
		} else if (d->array && !x->value.array && !x->value.null) {
			/* A single value for an array qualifier. */
			swim_cim_value one = x->value;

			swim_cim_value_init(&x->value, one.type, true);
			if ((rc = swim_cim_value_append(&x->value, &one)) < 0) {
				swim_cim_value_dispose(&one);
				return rc;
			}
		}
		if ((rc = swim_cim_value_coerce(&x->value, d->type, d->array,
		                                NULL)) < 0)
			return swim_error_prefix("%s: qualifier %s: ", what,
			                         d->name);
		if (x->flavor & SWIM_CIM_FLAVOR_EXPLICIT)
			x->flavor &= ~(unsigned)SWIM_CIM_FLAVOR_EXPLICIT;
		else
			x->flavor = d->flavor;
		x->propagated = false;
	}
	return 0;
}

/* EmbeddedObject / EmbeddedInstance turn a string into an embedded type;
 * refclass takes the EmbeddedInstance class. */
static int apply_embedded(swim_cim_type *type, char **refclass,
                          const swim_cim_qualifiers *q,
                          const swim_cim_value *defval, const char *what)
{
	const char *inst = swim_cim_qualifiers_string(q, "EmbeddedInstance");
	bool obj = swim_cim_qualifiers_true(q, "EmbeddedObject");

	if (!inst && !obj)
		return 0;
	if (*type != SWIM_CIM_STRING)
		return swim_error_set(SWIM_EINVAL,
		                      "%s: EmbeddedObject and EmbeddedInstance "
		                      "apply to strings only", what);
	if (inst && obj)
		return swim_error_set(SWIM_EINVAL,
		                      "%s: both EmbeddedObject and "
		                      "EmbeddedInstance", what);
	if (defval && !defval->null)
		return swim_error_set(SWIM_EINVAL,
		                      "%s: an embedded object has no default value",
		                      what);
	*type = inst ? SWIM_CIM_INSTANCE : SWIM_CIM_OBJECT;
	return inst ? swim_str_set(refclass, inst) : 0;
}

/* A reference's class must exist; its name takes the class's spelling. */
static int check_refclass(struct resolve *r, char **refclass,
                          const char *what)
{
	struct swim_cim__class_entry *e;

	if (!*refclass)
		return swim_error_set(SWIM_EINVAL,
		                      "%s: a reference needs a class", what);
	if (!(e = swim_cim__repo_entry(r->ns, *refclass)) &&
	    !swim_str_ieq(*refclass, r->cls->name))
		return swim_error_set(SWIM_ENOTFOUND,
		                      "%s: class %s does not exist", what,
		                      *refclass);
	return swim_str_set(refclass, e ? e->cls->name : r->cls->name);
}

static int check_property(struct resolve *r, swim_cim_property *p)
{
	char what[512];
	bool ref = p->value.type == SWIM_CIM_REFERENCE;
	int rc;

	(void)snprintf(what, sizeof(what), "class %s, property %s",
	               r->cls->name, p->name);
	if ((rc = check_qualifiers(r, &p->quals, ref ? SWIM_CIM_SCOPE_REFERENCE
	                                             : SWIM_CIM_SCOPE_PROPERTY,
	                           what)) < 0)
		return rc;
	if (ref && !r->cls->association)
		return swim_error_set(SWIM_EINVAL,
		                      "%s: only associations have references",
		                      what);
	if (ref && (rc = check_refclass(r, &p->refclass, what)) < 0)
		return rc;
	if ((rc = apply_embedded(&p->value.type, &p->refclass, &p->quals,
	                         &p->value, what)) < 0)
		return rc;
	if ((rc = swim_cim_value_coerce(&p->value, p->value.type,
	                                p->value.array, NULL)) < 0)
		return swim_error_prefix("%s: default value: ", what);
	p->key = swim_cim_qualifiers_true(&p->quals, "Key");
	return 0;
}

static int check_method(struct resolve *r, swim_cim_method *m)
{
	char what[512];
	int rc;

	(void)snprintf(what, sizeof(what), "class %s, method %s", r->cls->name,
	               m->name);
	if ((rc = check_qualifiers(r, &m->quals, SWIM_CIM_SCOPE_METHOD,
	                           what)) < 0 ||
	    (rc = apply_embedded(&m->type, &m->refclass, &m->quals, NULL,
	                         what)) < 0)
		return rc;
	for (size_t i = 0; i < m->nparams; i++) {
		swim_cim_parameter *p = &m->params[i];
		const swim_cim_qualifier *in;

		(void)snprintf(what, sizeof(what),
		               "class %s, method %s, parameter %s", r->cls->name,
		               m->name, p->name);
		if ((rc = check_qualifiers(r, &p->quals,
		                           SWIM_CIM_SCOPE_PARAMETER, what)) < 0)
			return rc;
		if (p->type == SWIM_CIM_REFERENCE &&
		    (rc = check_refclass(r, &p->refclass, what)) < 0)
			return rc;
		if ((rc = apply_embedded(&p->type, &p->refclass, &p->quals, NULL,
		                         what)) < 0)
			return rc;
		in = swim_cim_qualifiers_get(&p->quals, "In");
		p->in = !in || swim_cim_qualifiers_true(&p->quals, "In");
		p->out = swim_cim_qualifiers_true(&p->quals, "Out");
	}
	return 0;
}

/* Into *out: the inherited qualifiers that propagate (ToSubclass), then
 * the local ones, which override inherited ones unless DisableOverride
 * forbids a different value. local is emptied. */
static int merge_qualifiers(swim_cim_qualifiers *out,
                            const swim_cim_qualifiers *inherited,
                            swim_cim_qualifiers *local, const char *what)
{
	swim_cim_qualifiers q = { NULL, 0 };
	int rc = 0;

	for (size_t i = 0; inherited && i < inherited->n; i++) {
		const swim_cim_qualifier *x = &inherited->v[i];
		swim_cim_value v = SWIM_CIM_VALUE_INIT;

		if (!(x->flavor & SWIM_CIM_FLAVOR_TOSUBCLASS))
			continue;
		if ((rc = swim_cim_value_copy(&v, &x->value)) < 0 ||
		    (rc = swim_cim_qualifiers_set(&q, x->name, &v, x->flavor,
		                                  true)) < 0) {
			swim_cim_value_dispose(&v);
			goto out;
		}
	}
	for (size_t i = 0; i < local->n; i++) {
		swim_cim_qualifier *x = &local->v[i];
		const swim_cim_qualifier *old = swim_cim_qualifiers_get(&q,
		                                                        x->name);

		if (old && !(old->flavor & SWIM_CIM_FLAVOR_OVERRIDABLE) &&
		    !swim_cim_value_equal(&old->value, &x->value)) {
			rc = swim_error_set(SWIM_EINVAL,
			                    "%s: qualifier %s cannot be overridden "
			                    "(DisableOverride)", what, x->name);
			goto out;
		}
		if ((rc = swim_cim_qualifiers_set(&q, x->name, &x->value,
		                                  x->flavor, false)) < 0)
			goto out;
	}
out:
	if (rc < 0) {
		swim_cim_qualifiers_dispose(&q);
		return rc;
	}
	swim_cim_qualifiers_dispose(local);
	*out = q;
	return 0;
}

/* The Override qualifier may only name the element it is on: swim does
 * not support renaming overrides. */
static int check_override(const swim_cim_qualifiers *q, const char *name,
                          bool inherited, const char *what)
{
	const char *o = swim_cim_qualifiers_string(q, "Override");

	if (o && !swim_str_ieq(o, name))
		return swim_error_set(SWIM_EINVAL,
		                      "%s: Override(\"%s\") must name the element "
		                      "it is on", what, o);
	if (o && !inherited)
		return swim_error_set(SWIM_ENOTFOUND,
		                      "%s: Override, but nothing of that name is "
		                      "inherited", what);
	return 0;
}

static int inherit_properties(struct resolve *r, swim_cim_properties *out)
{
	int rc;

	if ((rc = swim_cim_properties_copy(out, &r->parent->props)) < 0)
		return rc;
	for (size_t i = 0; i < out->n; i++) {
		swim_cim_property *p = &out->v[i];
		swim_cim_qualifiers none = { NULL, 0 }, kept;

		p->propagated = true;
		if ((rc = merge_qualifiers(&kept, &p->quals, &none, p->name)) < 0)
			return rc;
		swim_cim_qualifiers_dispose(&p->quals);
		p->quals = kept;
	}
	return 0;
}

static int merge_property(struct resolve *r, swim_cim_properties *merged,
                          swim_cim_property *lp)
{
	long at = swim_cim_properties_index(merged, lp->name);
	swim_cim_property *ip = at >= 0 ? &merged->v[at] : NULL;
	swim_cim_qualifiers q;
	char what[512];
	int rc;

	(void)snprintf(what, sizeof(what), "class %s, property %s",
	               r->cls->name, lp->name);
	if ((rc = check_override(&lp->quals, lp->name, ip != NULL, what)) < 0)
		return rc;
	if (ip && (ip->value.type != lp->value.type ||
	           ip->value.array != lp->value.array))
		return swim_error_set(SWIM_EINVAL,
		                      "%s: overrides a %s%s with a %s%s", what,
		                      swim_cim_type_name(ip->value.type),
		                      ip->value.array ? "[]" : "",
		                      swim_cim_type_name(lp->value.type),
		                      lp->value.array ? "[]" : "");
	if (ip && lp->value.type == SWIM_CIM_REFERENCE &&
	    !swim_str_ieq(lp->refclass, ip->refclass) &&
	    !swim_cim_repo_is_subclass(r->repo, r->ns->name, lp->refclass,
	                               ip->refclass))
		return swim_error_set(SWIM_EINVAL,
		                      "%s: a reference to %s cannot become one "
		                      "to %s", what, ip->refclass, lp->refclass);
	if ((rc = merge_qualifiers(&q, ip ? &ip->quals : NULL, &lp->quals,
	                           what)) < 0)
		return rc;
	lp->quals = q;
	lp->key = swim_cim_qualifiers_true(&lp->quals, "Key");
	if (lp->key && !(ip && ip->key) && r->parent_has_keys)
		return swim_error_set(SWIM_EINVAL,
		                      "%s: cannot be a new key, %s has keys "
		                      "already", what, r->parent->name);
	if (ip && lp->value.null && !ip->value.null) {
		swim_cim_value_dispose(&lp->value);
		if ((rc = swim_cim_value_copy(&lp->value, &ip->value)) < 0)
			return rc;
	}
	if ((rc = swim_str_set(&lp->class_origin, r->cls->name)) < 0)
		return rc;
	lp->propagated = false;
	if (!ip)
		return swim_cim_properties_add(merged, lp);
	swim_cim_property_dispose(ip);
	*ip = *lp;
	memset(lp, 0, sizeof(*lp));
	return 0;
}

static int merge_method(struct resolve *r, swim_cim_class *merged,
                        swim_cim_method *lm)
{
	swim_cim_method *im = NULL;
	swim_cim_qualifiers q;
	char what[512];
	int rc;

	for (size_t i = 0; i < merged->nmethods; i++)
		if (swim_str_ieq(merged->methods[i].name, lm->name))
			im = &merged->methods[i];
	(void)snprintf(what, sizeof(what), "class %s, method %s", r->cls->name,
	               lm->name);
	if ((rc = check_override(&lm->quals, lm->name, im != NULL, what)) < 0)
		return rc;
	if (im && im->type != lm->type)
		return swim_error_set(SWIM_EINVAL,
		                      "%s: overrides a method returning %s with "
		                      "one returning %s", what,
		                      swim_cim_type_name(im->type),
		                      swim_cim_type_name(lm->type));
	if ((rc = merge_qualifiers(&q, im ? &im->quals : NULL, &lm->quals,
	                           what)) < 0)
		return rc;
	lm->quals = q;
	if ((rc = swim_str_set(&lm->class_origin, r->cls->name)) < 0)
		return rc;
	lm->propagated = false;
	if (!im)
		return swim_cim_class_add_method(merged, lm);
	swim_cim_method_dispose(im);
	*im = *lm;
	memset(lm, 0, sizeof(*lm));
	return 0;
}

/* Builds the resolved class in *out from r->cls's local elements (moved
 * out of it) and what r->parent passes down. */
static int merge(struct resolve *r, swim_cim_class **out)
{
	swim_cim_class *m = NULL;
	int rc;

	if ((rc = swim_cim_class_new(&m, r->cls->name,
	                             r->parent ? r->parent->name : NULL)) < 0)
		return rc;
	if (r->parent) {
		if ((rc = inherit_properties(r, &m->props)) < 0)
			goto fail;
		for (size_t i = 0; i < r->parent->nmethods; i++) {
			swim_cim_method cm;
			swim_cim_qualifiers none = { NULL, 0 }, kept;

			if ((rc = swim_cim_method_copy(&cm,
			                               &r->parent->methods[i])) < 0)
				goto fail;
			cm.propagated = true;
			rc = merge_qualifiers(&kept, &cm.quals, &none, cm.name);
			if (rc == 0) {
				swim_cim_qualifiers_dispose(&cm.quals);
				cm.quals = kept;
				rc = swim_cim_class_add_method(m, &cm);
			}
			swim_cim_method_dispose(&cm);
			if (rc < 0)
				goto fail;
		}
	}
	if ((rc = merge_qualifiers(&m->quals, r->parent ? &r->parent->quals
	                                                : NULL,
	                           &r->cls->quals, r->cls->name)) < 0)
		goto fail;
	for (size_t i = 0; i < r->cls->props.n; i++)
		if ((rc = merge_property(r, &m->props,
		                         &r->cls->props.v[i])) < 0)
			goto fail;
	for (size_t i = 0; i < r->cls->nmethods; i++)
		if ((rc = merge_method(r, m, &r->cls->methods[i])) < 0)
			goto fail;
	m->association = r->cls->association;
	m->indication = r->cls->indication;
	m->abstract = swim_cim_qualifiers_true(&m->quals, "Abstract");
	*out = m;
	return 0;
fail:
	swim_cim_class_free(m);
	return rc;
}

int swim_cim_repo_add_class(swim_cim_repo *repo, const char *name,
                            swim_cim_class **clsp)
{
	struct resolve r = { repo, swim_cim__repo_ns(repo, name), *clsp, NULL,
	                     false };
	struct swim_cim__class_entry *pe = NULL;
	swim_cim_class *resolved = NULL;
	unsigned scope = SWIM_CIM_SCOPE_CLASS;
	char what[320];
	int rc;

	if (!r.ns)
		return swim_cim__no_ns(name);
	if (swim_cim__repo_entry(r.ns, r.cls->name))
		return swim_error_set(SWIM_EEXISTS,
		                      "class %s is defined already in %s",
		                      r.cls->name, r.ns->name);
	if (r.cls->superclass) {
		if (!(pe = swim_cim__repo_entry(r.ns, r.cls->superclass)))
			return swim_error_set(SWIM_ENOTFOUND,
			                      "class %s: superclass %s does not "
			                      "exist", r.cls->name,
			                      r.cls->superclass);
		r.parent = pe->cls;
		r.parent_has_keys = swim_cim_class_key_count(r.parent) > 0;
	}
	r.cls->association = raw_true(&r.cls->quals, "Association") ||
	                     (r.parent && r.parent->association);
	r.cls->indication = raw_true(&r.cls->quals, "Indication") ||
	                    (r.parent && r.parent->indication);
	if (r.cls->association)
		scope |= SWIM_CIM_SCOPE_ASSOCIATION;
	if (r.cls->indication)
		scope |= SWIM_CIM_SCOPE_INDICATION;
	(void)snprintf(what, sizeof(what), "class %s", r.cls->name);
	if ((rc = check_qualifiers(&r, &r.cls->quals, scope, what)) < 0)
		return rc;
	for (size_t i = 0; i < r.cls->props.n; i++)
		if ((rc = check_property(&r, &r.cls->props.v[i])) < 0)
			return rc;
	for (size_t i = 0; i < r.cls->nmethods; i++)
		if ((rc = check_method(&r, &r.cls->methods[i])) < 0)
			return rc;
	if ((rc = merge(&r, &resolved)) < 0)
		return rc;
	if ((rc = swim_cim__repo_insert(r.ns, pe, resolved)) < 0) {
		swim_cim_class_free(resolved);
		return rc;
	}
	swim_cim_class_free(*clsp);
	*clsp = NULL;
	return 0;
}
