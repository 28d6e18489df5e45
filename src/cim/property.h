/* Properties, as classes declare them and as instances carry them: one
 * structure for both, so filtering, copying and coercion treat them
 * alike. In a class, `value` is the default; in an instance, the value.
 */
#ifndef SWIM_CIM_PROPERTY_H
#define SWIM_CIM_PROPERTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cim/qualifier.h"
#include "cim/value.h"

typedef struct swim_cim_property {
	char *name;
	swim_cim_value value;       /* value.type and value.array are the
	                               property's type and arrayness */
	uint32_t array_size;        /* fixed array size, 0 when variable */
	char *refclass;             /* references: the class referred to;
	                               embedded instances: the EmbeddedInstance
	                               class; else NULL */
	swim_cim_qualifiers quals;
	char *class_origin;         /* class that declared it, or NULL */
	bool propagated;            /* inherited and not overridden */
	bool key;                   /* has the Key qualifier */
} swim_cim_property;

/* A list of properties with unique names, in order. */
typedef struct swim_cim_properties {
	swim_cim_property *v;
	size_t n;
} swim_cim_properties;

/* Fills *p with a property called name holding *value (moved in; NULL
 * allowed, which gives the property that value's type). */
int swim_cim_property_init(swim_cim_property *p, const char *name,
                           swim_cim_value *value);
int swim_cim_property_copy(swim_cim_property *out,
                           const swim_cim_property *p);
/* The same without the qualifiers (an instance's copy of a class's). */
int swim_cim_property_copy_bare(swim_cim_property *out,
                                const swim_cim_property *p);
/* Name, type, value, array size, refclass, qualifiers, origin and key. */
bool swim_cim_property_equal(const swim_cim_property *a,
                             const swim_cim_property *b);
void swim_cim_property_dispose(swim_cim_property *p);

/* The property called name, or NULL; borrowed until the list changes. */
swim_cim_property *swim_cim_properties_find(const swim_cim_properties *l,
                                            const char *name);
/* Index of the property called name, or -1. */
long swim_cim_properties_index(const swim_cim_properties *l,
                               const char *name);
/* Appends *p (moved in: *p is left zeroed). SWIM_EEXISTS for a duplicate
 * name. */
int swim_cim_properties_add(swim_cim_properties *l, swim_cim_property *p);
/* Removes the property at index i. */
void swim_cim_properties_remove_at(swim_cim_properties *l, size_t i);
int swim_cim_properties_copy(swim_cim_properties *out,
                             const swim_cim_properties *l);
/* Same properties by name, in any order. */
bool swim_cim_properties_equal(const swim_cim_properties *a,
                               const swim_cim_properties *b);
void swim_cim_properties_dispose(swim_cim_properties *l);

#endif
