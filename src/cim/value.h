/* CIM values: one tagged type for every CIM type, scalar or array, or
 * NULL.
 *
 * A swim_cim_value owns what it points to (strings, paths, embedded
 * objects, array elements). Read the fields directly; change a value
 * through the functions below, which free what they replace. A value set
 * to all zero bytes, or SWIM_CIM_VALUE_INIT, holds nothing (type
 * SWIM_CIM_NONE) and may be disposed or overwritten.
 *
 * Arrays hold their elements as scalar values of the array's type, so an
 * element can itself be NULL (CIM-XML VALUE.NULL). `null` on the array
 * means the whole array is NULL; an empty array has null false and n 0.
 */
#ifndef SWIM_CIM_VALUE_H
#define SWIM_CIM_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cim/datetime.h"
#include "cim/status.h"
#include "swim/buf.h"
#include "swim/limits.h"

typedef struct swim_cim_path swim_cim_path;
typedef struct swim_cim_instance swim_cim_instance;
typedef struct swim_cim_class swim_cim_class;

typedef enum swim_cim_type {
	SWIM_CIM_NONE = 0,
	SWIM_CIM_BOOLEAN,
	SWIM_CIM_UINT8,
	SWIM_CIM_SINT8,
	SWIM_CIM_UINT16,
	SWIM_CIM_SINT16,
	SWIM_CIM_UINT32,
	SWIM_CIM_SINT32,
	SWIM_CIM_UINT64,
	SWIM_CIM_SINT64,
	SWIM_CIM_REAL32,
	SWIM_CIM_REAL64,
	SWIM_CIM_CHAR16,
	SWIM_CIM_STRING,
	SWIM_CIM_DATETIME,
	SWIM_CIM_REFERENCE,
	/* Strings qualified EmbeddedObject / EmbeddedInstance, held decoded:
	 * CIM-XML writes them as TYPE="string" with EmbeddedObject=... */
	SWIM_CIM_OBJECT,    /* an instance or a class */
	SWIM_CIM_INSTANCE   /* an instance */
} swim_cim_type;

typedef struct swim_cim_value {
	swim_cim_type type;
	bool array;
	bool null;
	union {
		bool b;              /* boolean */
		uint64_t u;          /* uint8..uint64; char16 (a UCS-2 code point) */
		int64_t i;           /* sint8..sint64 */
		double r;            /* real64; real32 rounded to float */
		char *s;             /* string: UTF-8 */
		swim_cim_datetime dt;
		swim_cim_path *ref;
		struct {             /* object, instance: exactly one is set */
			swim_cim_instance *inst;
			swim_cim_class *cls;  /* only for SWIM_CIM_OBJECT */
		} obj;
		struct {
			struct swim_cim_value *v;
			size_t n;
		} a;                 /* arrays */
	};
} swim_cim_value;

#define SWIM_CIM_VALUE_INIT { SWIM_CIM_NONE, false, true, { .u = 0 } }

/* The DSP0004 name ("uint16", "datetime", "reference"); embedded objects
 * and instances are "string". "" for SWIM_CIM_NONE. */
const char *swim_cim_type_name(swim_cim_type type);

/* Parses a type name as MOF and CIM-XML write it (case-insensitive):
 * boolean, uint8..sint64, real32, real64, char16, string, datetime,
 * reference. SWIM_EINVAL naming the text otherwise. */
int swim_cim_type_parse(swim_cim_type *out, const char *name);

bool swim_cim_type_is_integer(swim_cim_type type);
bool swim_cim_type_is_signed(swim_cim_type type);
bool swim_cim_type_is_real(swim_cim_type type);
bool swim_cim_type_is_embedded(swim_cim_type type);

/* A NULL value of the given type (no allocation). */
void swim_cim_value_init(swim_cim_value *v, swim_cim_type type, bool array);

/* Frees what v holds; v becomes NULL with its type and arrayness kept.
 * NULL-safe. */
void swim_cim_value_dispose(swim_cim_value *v);

/* Deep copy into *out (whose old contents are not freed). */
int swim_cim_value_copy(swim_cim_value *out, const swim_cim_value *v);

/* Moves *from into *to (freeing what *to held); *from becomes NULL. */
void swim_cim_value_move(swim_cim_value *to, swim_cim_value *from);

/* Same type, arrayness and content. Two NULLs of one type are equal;
 * strings compare exactly, paths as swim_cim_path_equal(), timestamps by
 * instant (and precision). */
bool swim_cim_value_equal(const swim_cim_value *a, const swim_cim_value *b);

/* Setters: v becomes a non-NULL scalar of the type given, whatever it
 * held before (which is freed). Integer setters fail with SWIM_EINVAL
 * naming the type when the number does not fit it ("uint8: 300 is out
 * of range"). */
void swim_cim_value_set_bool(swim_cim_value *v, bool b);
int swim_cim_value_set_uint(swim_cim_value *v, swim_cim_type type,
                            uint64_t u);
int swim_cim_value_set_sint(swim_cim_value *v, swim_cim_type type,
                            int64_t i);
int swim_cim_value_set_real(swim_cim_value *v, swim_cim_type type,
                            double r);
int swim_cim_value_set_char16(swim_cim_value *v, uint32_t codepoint);
/* A copy of s, which must be UTF-8 (SWIM_EINVAL otherwise). */
int swim_cim_value_set_string(swim_cim_value *v, const char *s);
/* Takes s (freed on failure too). */
int swim_cim_value_take_string(swim_cim_value *v, char *s);
void swim_cim_value_set_datetime(swim_cim_value *v,
                                 const swim_cim_datetime *dt);
/* A copy of path p. */
int swim_cim_value_set_ref(swim_cim_value *v, const swim_cim_path *p);
/* Takes p (NULL gives a NULL reference). */
void swim_cim_value_take_ref(swim_cim_value *v, swim_cim_path *p);
/* Takes inst: an embedded instance (SWIM_CIM_INSTANCE); NULL gives NULL. */
void swim_cim_value_take_instance(swim_cim_value *v,
                                  swim_cim_instance *inst);
/* Takes inst or cls: an embedded object (an instance wins when both are
 * given, the class is freed); both NULL gives NULL. */
void swim_cim_value_take_object(swim_cim_value *v, swim_cim_instance *inst,
                                swim_cim_class *cls);

/* v becomes an empty, non-NULL array of `type`. */
void swim_cim_value_set_array(swim_cim_value *v, swim_cim_type type);

/* Appends *elem (moved: it is left NULL) to the array v, making v
 * non-NULL. elem must be a scalar of v's type, or NULL. SWIM_ELIMIT
 * past 2^24 elements. */
int swim_cim_value_append(swim_cim_value *v, swim_cim_value *elem);

/* Reads the text of one scalar, as CIM-XML's VALUE carries it, into *out
 * (whose old contents are not freed): booleans TRUE/FALSE (any case),
 * integers in decimal or 0x hex with a range check naming the type,
 * reals (also INF, -INF, NaN), char16 as one character, datetimes, and
 * references as WBEM URIs. Embedded objects cannot be read here
 * (SWIM_ENOTSUPPORTED): the CIM-XML layer decodes them. lim NULL means
 * the defaults. */
int swim_cim_value_from_string(swim_cim_value *out, swim_cim_type type,
                               const char *text, const swim_limits *lim);

/* Appends the text of a non-NULL scalar in the form
 * swim_cim_value_from_string() reads (references as WBEM URIs with a
 * leading '/'). SWIM_EINVAL for NULL, arrays and embedded objects. */
int swim_cim_value_to_string(swim_buf *buf, const swim_cim_value *v);

/* Appends v as a MOF initializer: NULL, TRUE, 42, 1.5, "esc\"aped",
 * 'c', {"a", "b"}, references as quoted WBEM URIs, embedded instances as
 * `instance of X {...}` comments-free MOF. For messages and tests. */
int swim_cim_value_to_mof(swim_buf *buf, const swim_cim_value *v);

/* What swim_cim_value_coerce() may do beyond plain conversions. */
enum {
	/* with swim_cim_class_coerce_instance(): */
	SWIM_CIM_COERCE_KEYS = 1 << 0,      /* every key must have a value */
	SWIM_CIM_COERCE_DEFAULTS = 1 << 1,  /* add missing properties with
	                                       the class's default values */
	SWIM_CIM_COERCE_NO_ORIGIN = 1 << 2  /* leave class_origin NULL (for
	                                       what is written without it) */
};

/* Turns the text of an embedded object into a value (the CIM-XML
 * decoder provides this); type is SWIM_CIM_OBJECT or SWIM_CIM_INSTANCE. */
typedef int (*swim_cim_embedded_fn)(swim_cim_value *out, swim_cim_type type,
                                    const char *text, void *ctx);

typedef struct swim_cim_coerce {
	unsigned flags;                  /* SWIM_CIM_COERCE_* */
	swim_cim_embedded_fn embedded;   /* NULL: strings stay mismatches */
	void *ctx;
	const swim_limits *lim;          /* NULL: the defaults */
	swim_cim_status status;          /* out: the CIM status of a failure */
} swim_cim_coerce;

/* Converts v in place to `type` (and arrayness), as a server must accept
 * what clients send: any integer to any integer type that holds it,
 * integers to reals, strings to every other type through
 * swim_cim_value_from_string() (embedded objects through opt->embedded),
 * references and datetimes to strings, embedded instances to embedded
 * objects. NULL converts to NULL of the type. SWIM_EINVAL otherwise,
 * naming both types; opt->status becomes SWIM_CIM_ERR_TYPE_MISMATCH.
 * opt may be NULL. */
int swim_cim_value_coerce(swim_cim_value *v, swim_cim_type type, bool array,
                          swim_cim_coerce *opt);

#endif
