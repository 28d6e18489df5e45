/* Classes: name, superclass, qualifiers, properties and methods.
 *
 * Classes taken from the repository are resolved: they hold every
 * inherited property, method and qualifier (marked propagated) with the
 * class that declared it as class_origin. The flags association,
 * indication and abstract mirror the qualifiers.
 */
#ifndef SWIM_CIM_CLASS_H
#define SWIM_CIM_CLASS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cim/instance.h"
#include "cim/path.h"
#include "cim/property.h"
#include "cim/qualifier.h"
#include "cim/value.h"
#include "swim/buf.h"

typedef struct swim_cim_parameter {
	char *name;
	swim_cim_type type;
	bool array;
	uint32_t array_size;        /* fixed array size, 0 when variable */
	char *refclass;             /* as for properties */
	swim_cim_qualifiers quals;
	bool in, out;               /* from In (default TRUE) and Out */
} swim_cim_parameter;

typedef struct swim_cim_method {
	char *name;
	swim_cim_type type;         /* return type: a scalar, not a reference */
	char *refclass;             /* EmbeddedInstance class of the result */
	swim_cim_parameter *params;
	size_t nparams;
	swim_cim_qualifiers quals;
	char *class_origin;
	bool propagated;
} swim_cim_method;

struct swim_cim_class {
	char *name;
	char *superclass;           /* NULL for a root class */
	swim_cim_qualifiers quals;
	swim_cim_properties props;
	swim_cim_method *methods;
	size_t nmethods;
	bool association, indication, abstract;
};

/* An empty class (names checked). Free with swim_cim_class_free(). */
int swim_cim_class_new(swim_cim_class **out, const char *name,
                       const char *superclass);
void swim_cim_class_free(swim_cim_class *cls);
int swim_cim_class_copy(swim_cim_class **out, const swim_cim_class *cls);
/* Same name, superclass, qualifiers, properties and methods. */
bool swim_cim_class_equal(const swim_cim_class *a, const swim_cim_class *b);

/* The property or method called name, or NULL (borrowed). */
const swim_cim_property *swim_cim_class_property(const swim_cim_class *cls,
                                                 const char *name);
const swim_cim_method *swim_cim_class_method(const swim_cim_class *cls,
                                             const char *name);
const swim_cim_parameter *swim_cim_method_parameter(
	const swim_cim_method *m, const char *name);

/* Number of key properties (those with key set), and the i-th of them
 * (NULL past the end). */
size_t swim_cim_class_key_count(const swim_cim_class *cls);
const swim_cim_property *swim_cim_class_key(const swim_cim_class *cls,
                                            size_t i);

/* Adds a property or method (moved in: *p / *m left zeroed).
 * SWIM_EEXISTS for a duplicate name. */
int swim_cim_class_add_property(swim_cim_class *cls, swim_cim_property *p);
int swim_cim_class_add_method(swim_cim_class *cls, swim_cim_method *m);

/* Method and parameter building blocks (used by the MOF compiler). */
int swim_cim_method_init(swim_cim_method *m, const char *name,
                         swim_cim_type type);
int swim_cim_method_add_parameter(swim_cim_method *m,
                                  swim_cim_parameter *p);
int swim_cim_method_copy(swim_cim_method *out, const swim_cim_method *m);
void swim_cim_method_dispose(swim_cim_method *m);
int swim_cim_parameter_init(swim_cim_parameter *p, const char *name,
                            swim_cim_type type, bool array);
int swim_cim_parameter_copy(swim_cim_parameter *out,
                            const swim_cim_parameter *p);
void swim_cim_parameter_dispose(swim_cim_parameter *p);

/* Checks and converts inst against cls (the instance's class, which the
 * caller looked up), as CreateInstance, ModifyInstance and providers
 * need:
 * - a property the class lacks is SWIM_ENOTFOUND naming it (status
 *   NO_SUCH_PROPERTY);
 * - values are converted to the declared type (swim_cim_value_coerce();
 *   SWIM_EINVAL, status TYPE_MISMATCH), a reference's class must be the
 *   declared one's (no subclass check here: see the repository);
 * - with SWIM_CIM_COERCE_KEYS, a missing or NULL key is SWIM_EINVAL
 *   naming it (status INVALID_PARAMETER);
 * - with SWIM_CIM_COERCE_DEFAULTS, missing properties are added with the
 *   class default (or NULL).
 * Properties end in class order and carry the class's refclass,
 * class_origin (unless SWIM_CIM_COERCE_NO_ORIGIN), propagated and key
 * fields. opt may be NULL. On failure
 * the instance keeps all its properties, some perhaps converted. */
int swim_cim_class_coerce_instance(const swim_cim_class *cls,
                                   swim_cim_instance *inst,
                                   swim_cim_coerce *opt);

/* Checks a path's keys against cls: every key binding must name a key
 * property (SWIM_EINVAL, status INVALID_PARAMETER), every key must be
 * present, values are converted to the key's type (string to reference
 * by parsing the URI) and names take the class's spelling. */
int swim_cim_class_coerce_path(const swim_cim_class *cls,
                               swim_cim_path *path, swim_cim_coerce *opt);

/* Checks the input arguments of a method call, held as the properties of
 * an instance (of "__MethodParameters", as DSP0200 names it): unknown
 * parameters and parameters that are not In are SWIM_ENOTFOUND /
 * SWIM_EINVAL naming them (status INVALID_PARAMETER); values are
 * converted to the parameter types. */
int swim_cim_method_coerce_args(const swim_cim_method *m,
                                swim_cim_instance *args,
                                swim_cim_coerce *opt);

/* The same for the output arguments a method call produced: each must
 * be an Out parameter. */
int swim_cim_method_coerce_outputs(const swim_cim_method *m,
                                   swim_cim_instance *out,
                                   swim_cim_coerce *opt);

/* The path of inst from its key properties, as cls declares them:
 * classname from the instance, host and ns as given (may be NULL).
 * SWIM_EINVAL naming a key that is missing or NULL. */
int swim_cim_class_instance_path(swim_cim_path **out,
                                 const swim_cim_class *cls,
                                 const swim_cim_instance *inst,
                                 const char *host, const char *ns);

/* Appends the class as MOF (qualifiers, properties with defaults,
 * methods with parameters). Propagated elements are left out, so what is
 * written is the class as it was declared. */
int swim_cim_class_to_mof(swim_buf *buf, const swim_cim_class *cls);

#endif
