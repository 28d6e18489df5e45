/* The request options that trim what GetClass, GetInstance,
 * EnumerateInstances and the association operations return: PropertyList,
 * LocalOnly, DeepInheritance (for instances), IncludeQualifiers and
 * IncludeClassOrigin. Applied in place, to an instance the server owns
 * or to a copy of a class from the repository.
 */
#ifndef SWIM_CIM_FILTER_H
#define SWIM_CIM_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "cim/class.h"
#include "cim/instance.h"

typedef struct swim_cim_filter {
	/* PropertyList: when has_property_list, keep only the properties
	 * named (case-insensitively; unknown names are ignored). An empty
	 * list keeps none. */
	bool has_property_list;
	const char *const *property_list;
	size_t property_count;
	/* LocalOnly: keep only elements the class itself declares or
	 * overrides (class_origin equal to the class / instance class name,
	 * or not propagated). */
	bool local_only;
	/* EnumerateInstances with DeepInheritance false: keep only the
	 * properties this class (the one enumerated) has. NULL: all. */
	const swim_cim_class *shallow_class;
	bool include_qualifiers;
	bool include_class_origin;
} swim_cim_filter;

/* The defaults of GetClass: LocalOnly, IncludeQualifiers, no class
 * origin, all properties. */
#define SWIM_CIM_FILTER_GETCLASS \
	{ false, NULL, 0, true, NULL, true, false }
/* The defaults of GetInstance: no qualifiers, no class origin. */
#define SWIM_CIM_FILTER_GETINSTANCE \
	{ false, NULL, 0, false, NULL, false, false }

void swim_cim_instance_filter(swim_cim_instance *inst,
                              const swim_cim_filter *f);

/* For classes, PropertyList trims properties only (methods stay);
 * without qualifiers, parameters keep their names and types. */
void swim_cim_class_filter(swim_cim_class *cls, const swim_cim_filter *f);

#endif
