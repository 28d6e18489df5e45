/* Instances: a class name, properties with values, optional qualifiers,
 * and optionally the instance's path.
 *
 * Providers build instances with the setters below; the server then
 * coerces them against the class (swim_cim_class_coerce_instance()),
 * which fills types, class origins and defaults, and filters them for
 * the request (swim_cim_instance_filter()).
 */
#ifndef SWIM_CIM_INSTANCE_H
#define SWIM_CIM_INSTANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cim/path.h"
#include "cim/property.h"
#include "cim/qualifier.h"
#include "cim/value.h"
#include "swim/buf.h"

struct swim_cim_instance {
	char *classname;
	swim_cim_qualifiers quals;
	swim_cim_properties props;
	swim_cim_path *path;        /* optional, owned */
};

/* An empty instance of classname (checked as a name). Free with
 * swim_cim_instance_free(). */
int swim_cim_instance_new(swim_cim_instance **out, const char *classname);
void swim_cim_instance_free(swim_cim_instance *inst);
int swim_cim_instance_copy(swim_cim_instance **out,
                           const swim_cim_instance *inst);

/* Same class name (case-insensitively), qualifiers and properties (in
 * any order); paths are not compared. */
bool swim_cim_instance_equal(const swim_cim_instance *a,
                             const swim_cim_instance *b);

/* The property called name, or NULL. Borrowed until the instance
 * changes. */
const swim_cim_property *swim_cim_instance_property(
	const swim_cim_instance *inst, const char *name);

/* The value of property name, or NULL when there is no such property. */
const swim_cim_value *swim_cim_instance_value(const swim_cim_instance *inst,
                                              const char *name);

/* Sets property name to *value (moved in), adding the property or
 * replacing its value (and type). */
int swim_cim_instance_set(swim_cim_instance *inst, const char *name,
                          swim_cim_value *value);

/* Shorthands for swim_cim_instance_set(). */
int swim_cim_instance_set_null(swim_cim_instance *inst, const char *name,
                               swim_cim_type type, bool array);
int swim_cim_instance_set_bool(swim_cim_instance *inst, const char *name,
                               bool b);
int swim_cim_instance_set_uint(swim_cim_instance *inst, const char *name,
                               swim_cim_type type, uint64_t u);
int swim_cim_instance_set_sint(swim_cim_instance *inst, const char *name,
                               swim_cim_type type, int64_t i);
/* s NULL sets a NULL string. */
int swim_cim_instance_set_string(swim_cim_instance *inst, const char *name,
                                 const char *s);
int swim_cim_instance_set_datetime(swim_cim_instance *inst,
                                   const char *name,
                                   const swim_cim_datetime *dt);
/* ref is copied; NULL sets a NULL reference. */
int swim_cim_instance_set_ref(swim_cim_instance *inst, const char *name,
                              const swim_cim_path *ref);
/* Arrays of n items of an integer type or of strings. */
int swim_cim_instance_set_uints(swim_cim_instance *inst, const char *name,
                                swim_cim_type type, const uint64_t *u,
                                size_t n);
int swim_cim_instance_set_strings(swim_cim_instance *inst,
                                  const char *name,
                                  const char *const *s, size_t n);

/* Removes property name; SWIM_ENOTFOUND when absent. */
int swim_cim_instance_remove(swim_cim_instance *inst, const char *name);

/* Replaces the instance's path with a copy of path (NULL removes it). */
int swim_cim_instance_set_path(swim_cim_instance *inst,
                               const swim_cim_path *path);

/* Appends the instance as MOF: `instance of X { P = v; ... };`. */
int swim_cim_instance_to_mof(swim_buf *buf, const swim_cim_instance *inst);

#endif
