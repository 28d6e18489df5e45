#include <stdlib.h>

#include "cim/filter.h"
#include "util/str.h"

static bool listed(const swim_cim_filter *f, const char *name)
{
	for (size_t i = 0; i < f->property_count; i++)
		if (f->property_list[i] && swim_str_ieq(f->property_list[i], name))
			return true;
	return false;
}

static void trim_qualifiers(swim_cim_qualifiers *q, const swim_cim_filter *f)
{
	if (!f->include_qualifiers) {
		swim_cim_qualifiers_dispose(q);
		return;
	}
	for (size_t i = q->n; f->local_only && i-- > 0;)
		if (q->v[i].propagated)
			swim_cim_qualifiers_remove(q, q->v[i].name);
}

static void trim_properties(swim_cim_properties *props,
                            const swim_cim_filter *f)
{
	for (size_t i = props->n; i-- > 0;) {
		swim_cim_property *p = &props->v[i];

		if ((f->has_property_list && !listed(f, p->name)) ||
		    (f->shallow_class &&
		     !swim_cim_class_property(f->shallow_class, p->name)) ||
		    (f->local_only && p->propagated)) {
			swim_cim_properties_remove_at(props, i);
			continue;
		}
		trim_qualifiers(&p->quals, f);
		if (!f->include_class_origin) {
			free(p->class_origin);
			p->class_origin = NULL;
		}
	}
}

void swim_cim_instance_filter(swim_cim_instance *inst,
                              const swim_cim_filter *f)
{
	trim_properties(&inst->props, f);
	trim_qualifiers(&inst->quals, f);
}

void swim_cim_class_filter(swim_cim_class *cls, const swim_cim_filter *f)
{
	swim_cim_filter props_only = *f;

	props_only.shallow_class = NULL;
	trim_properties(&cls->props, &props_only);
	trim_qualifiers(&cls->quals, f);
	for (size_t i = cls->nmethods; i-- > 0;) {
		swim_cim_method *m = &cls->methods[i];

		if (f->local_only && m->propagated) {
			swim_cim_method_dispose(m);
			for (size_t k = i; k + 1 < cls->nmethods; k++)
				cls->methods[k] = cls->methods[k + 1];
			cls->nmethods--;
			continue;
		}
		trim_qualifiers(&m->quals, f);
		for (size_t k = 0; k < m->nparams; k++)
			trim_qualifiers(&m->params[k].quals, f);
		if (!f->include_class_origin) {
			free(m->class_origin);
			m->class_origin = NULL;
		}
	}
}
