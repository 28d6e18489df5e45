/* Qualifiers: values attached to classes, properties, methods,
 * parameters (and rarely instances), with flavors that say how they
 * propagate; and qualifier declarations, which give each qualifier its
 * type, default, scope and default flavor.
 */
#ifndef SWIM_CIM_QUALIFIER_H
#define SWIM_CIM_QUALIFIER_H

#include <stdbool.h>
#include <stddef.h>

#include "cim/value.h"

/* Flavors as bits. A declaration without flavors is EnableOverride and
 * ToSubclass (DSP0004). A qualifier whose flavor lacks
 * SWIM_CIM_FLAVOR_EXPLICIT takes its declaration's flavor when the class
 * is added to the repository; resolved classes never carry that bit. */
enum {
	SWIM_CIM_FLAVOR_OVERRIDABLE = 1 << 0,  /* EnableOverride (else Disable) */
	SWIM_CIM_FLAVOR_TOSUBCLASS = 1 << 1,   /* ToSubclass (else Restricted) */
	SWIM_CIM_FLAVOR_TOINSTANCE = 1 << 2,   /* ToInstance (DSP0201 TOINSTANCE) */
	SWIM_CIM_FLAVOR_TRANSLATABLE = 1 << 3,
	SWIM_CIM_FLAVOR_EXPLICIT = 1 << 4      /* the bits above are final */
};
#define SWIM_CIM_FLAVOR_DEFAULT \
	(SWIM_CIM_FLAVOR_OVERRIDABLE | SWIM_CIM_FLAVOR_TOSUBCLASS)

/* Where a qualifier may appear. */
enum {
	SWIM_CIM_SCOPE_CLASS = 1 << 0,
	SWIM_CIM_SCOPE_ASSOCIATION = 1 << 1,
	SWIM_CIM_SCOPE_INDICATION = 1 << 2,
	SWIM_CIM_SCOPE_PROPERTY = 1 << 3,
	SWIM_CIM_SCOPE_REFERENCE = 1 << 4,
	SWIM_CIM_SCOPE_METHOD = 1 << 5,
	SWIM_CIM_SCOPE_PARAMETER = 1 << 6,
	SWIM_CIM_SCOPE_QUALIFIER = 1 << 7
};
#define SWIM_CIM_SCOPE_ANY 0xff

typedef struct swim_cim_qualifier {
	char *name;
	swim_cim_value value;   /* of the declared type */
	unsigned flavor;        /* SWIM_CIM_FLAVOR_* */
	bool propagated;        /* inherited, not given on this element */
} swim_cim_qualifier;

/* A list of qualifiers with unique names, in the order given. */
typedef struct swim_cim_qualifiers {
	swim_cim_qualifier *v;
	size_t n;
} swim_cim_qualifiers;

/* The qualifier called name, or NULL. Borrowed, valid until the list
 * changes. */
const swim_cim_qualifier *swim_cim_qualifiers_get(const swim_cim_qualifiers *q,
                                                  const char *name);

/* True when the qualifier is present with the boolean value TRUE. */
bool swim_cim_qualifiers_true(const swim_cim_qualifiers *q,
                              const char *name);

/* The string value of a scalar string qualifier, or NULL. */
const char *swim_cim_qualifiers_string(const swim_cim_qualifiers *q,
                                       const char *name);

/* Adds the qualifier, or replaces the one of the same name; *value is
 * moved in. */
int swim_cim_qualifiers_set(swim_cim_qualifiers *q, const char *name,
                            swim_cim_value *value, unsigned flavor,
                            bool propagated);

/* Removes the qualifier called name, if present. */
void swim_cim_qualifiers_remove(swim_cim_qualifiers *q, const char *name);

int swim_cim_qualifiers_copy(swim_cim_qualifiers *out,
                             const swim_cim_qualifiers *q);
/* Same names (in any order), values, flavors and propagated flags. */
bool swim_cim_qualifiers_equal(const swim_cim_qualifiers *a,
                               const swim_cim_qualifiers *b);
void swim_cim_qualifiers_dispose(swim_cim_qualifiers *q);

typedef struct swim_cim_qualifier_decl {
	char *name;
	swim_cim_type type;       /* never REFERENCE or embedded */
	bool array;
	uint32_t array_size;      /* fixed size, 0 when variable */
	swim_cim_value value;     /* the default (NULL when none) */
	unsigned scope;           /* SWIM_CIM_SCOPE_* */
	unsigned flavor;          /* SWIM_CIM_FLAVOR_* */
} swim_cim_qualifier_decl;

/* A declaration with a NULL default, scope 0 and the default flavor.
 * Free with swim_cim_qualifier_decl_free(). */
int swim_cim_qualifier_decl_new(swim_cim_qualifier_decl **out,
                                const char *name, swim_cim_type type,
                                bool array);
void swim_cim_qualifier_decl_free(swim_cim_qualifier_decl *decl);
int swim_cim_qualifier_decl_copy(swim_cim_qualifier_decl **out,
                                 const swim_cim_qualifier_decl *decl);

/* "class", "association", ... for one scope bit; "any" for the full set. */
const char *swim_cim_scope_name(unsigned scope);

#endif
