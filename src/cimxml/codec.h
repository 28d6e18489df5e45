/* CIM-XML (DSP0201) elements to and from the CIM object model.
 *
 * Reading takes libxml2 nodes of a document that swim_xml_parse() read
 * under the limits; it is lenient where real clients are (KEYVALUE
 * without TYPE, PROPERTY without TYPE, EmbeddedObject or EMBEDDEDOBJECT,
 * values without a declared type) and strict about content: a value that
 * does not read is an error naming the element. Untyped values come back
 * as strings (or references), for swim_cim_value_coerce() to convert
 * once the class says what they are.
 *
 * Writing goes through the one escaping writer (util/xmlw.h) and follows
 * the DSP0203 2.4 DTD: KEYVALUE always has TYPE, embedded objects are
 * TYPE="string" with EmbeddedObject="object|instance" and their XML
 * escaped in VALUE. Write functions record failures in the writer (its
 * rc is sticky), so a response is a straight sequence of calls checked
 * once by swim_xmlw_finish().
 */
#ifndef SWIM_CIMXML_CODEC_H
#define SWIM_CIMXML_CODEC_H

#include <stdbool.h>

#include <libxml/tree.h>

#include "cim/class.h"
#include "cim/instance.h"
#include "cim/path.h"
#include "cim/status.h"
#include "cim/value.h"
#include "swim/limits.h"
#include "util/xmlw.h"

/* State of one decoding: the limits, the element depth of the documents
 * that enclose the current one (embedded objects are documents inside a
 * VALUE, and their depth adds up against xml_max_depth), and the CIM
 * status of the last failure (INVALID_PARAMETER unless said otherwise). */
typedef struct swim_cimxml_reader {
	const swim_limits *lim;
	unsigned depth;
	swim_cim_status status;
} swim_cimxml_reader;

void swim_cimxml_reader_init(swim_cimxml_reader *rd, const swim_limits *lim);

/* LOCALNAMESPACEPATH (NAMESPACE+) as "root/cimv2". */
int swim_cimxml_read_namespace(char **out, swim_cimxml_reader *rd,
                               const xmlNode *lnp);

/* Any element naming an object: CLASSNAME, INSTANCENAME, CLASSPATH,
 * LOCALCLASSPATH, INSTANCEPATH, LOCALINSTANCEPATH, OBJECTPATH or
 * VALUE.REFERENCE (which wraps one of them). Key values keep the type
 * TYPE gives, else string, boolean or a number by VALUETYPE. */
int swim_cimxml_read_path(swim_cim_path **out, swim_cimxml_reader *rd,
                          const xmlNode *node);

/* VALUE, VALUE.ARRAY, VALUE.REFERENCE, VALUE.REFARRAY or VALUE.NULL as a
 * value of `type` (arrays from the element); SWIM_CIM_NONE reads text as
 * strings. Embedded types decode their XML text. *out (whose old contents
 * are not freed) may hold part of an array after a failure: dispose it
 * in every case. */
int swim_cimxml_read_value(swim_cim_value *out, swim_cimxml_reader *rd,
                           const xmlNode *node, swim_cim_type type);

/* INSTANCE (properties with their qualifiers) and CLASS (properties,
 * methods, parameters, qualifiers with flavors). */
int swim_cimxml_read_instance(swim_cim_instance **out,
                              swim_cimxml_reader *rd, const xmlNode *node);
int swim_cimxml_read_class(swim_cim_class **out, swim_cimxml_reader *rd,
                           const xmlNode *node);

/* The embedded-object callback of swim_cim_coerce (ctx is a
 * swim_cimxml_reader): parses `text` as the XML of an INSTANCE (or, for
 * SWIM_CIM_OBJECT, a CLASS). */
int swim_cimxml_read_embedded(swim_cim_value *out, swim_cim_type type,
                              const char *text, void *ctx);

/* The EmbeddedObject (or EMBEDDEDOBJECT) attribute of a node as a type:
 * SWIM_CIM_OBJECT, SWIM_CIM_INSTANCE, or SWIM_CIM_NONE when absent.
 * SWIM_EINVAL for another value. */
int swim_cimxml_embedded_attr(swim_cim_type *out, swim_cimxml_reader *rd,
                              const xmlNode *node);

/* Writing ------------------------------------------------------------ */

/* The value element of a non-NULL value (VALUE, VALUE.ARRAY,
 * VALUE.REFERENCE or VALUE.REFARRAY); nothing for NULL. */
void swim_cimxml_write_value(swim_xmlw *w, const swim_cim_value *v);

/* INSTANCE: properties as the instance holds them (CLASSORIGIN when set,
 * qualifiers when present). */
void swim_cimxml_write_instance(swim_xmlw *w, const swim_cim_instance *inst);

/* CLASS with qualifiers, properties, methods and parameters. */
void swim_cimxml_write_class(swim_xmlw *w, const swim_cim_class *cls);

void swim_cimxml_write_namespace(swim_xmlw *w, const char *ns);
void swim_cimxml_write_classname(swim_xmlw *w, const char *name);
void swim_cimxml_write_instancename(swim_xmlw *w, const swim_cim_path *p);
/* INSTANCEPATH / CLASSPATH: host and namespace must be set. */
void swim_cimxml_write_instancepath(swim_xmlw *w, const swim_cim_path *p);
void swim_cimxml_write_classpath(swim_xmlw *w, const swim_cim_path *p);
/* OBJECTPATH (INSTANCEPATH or CLASSPATH). */
void swim_cimxml_write_objectpath(swim_xmlw *w, const swim_cim_path *p);
/* VALUE.REFERENCE with the fullest form the path allows: INSTANCEPATH
 * with host and namespace, LOCALINSTANCEPATH with a namespace,
 * INSTANCENAME without (classes likewise). */
void swim_cimxml_write_reference(swim_xmlw *w, const swim_cim_path *p);

/* Records rc (when negative) as the writer's error, unless one is there
 * already. */
void swim_cimxml_write_fail(swim_xmlw *w, int rc);

#endif
