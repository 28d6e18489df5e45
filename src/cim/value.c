#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cim/class.h"
#include "cim/instance.h"
#include "cim/internal.h"
#include "cim/path.h"
#include "cim/value.h"
#include "swim/error.h"
#include "util/str.h"

/* Elements one array may hold: far beyond any schema, well below what
 * would overflow a size computation. */
#define ARRAY_MAX ((size_t)1 << 24)

static const struct {
	const char *name;
	int64_t min;
	uint64_t max;
} types[] = {
	[SWIM_CIM_NONE] = { "", 0, 0 },
	[SWIM_CIM_BOOLEAN] = { "boolean", 0, 1 },
	[SWIM_CIM_UINT8] = { "uint8", 0, UINT8_MAX },
	[SWIM_CIM_SINT8] = { "sint8", INT8_MIN, INT8_MAX },
	[SWIM_CIM_UINT16] = { "uint16", 0, UINT16_MAX },
	[SWIM_CIM_SINT16] = { "sint16", INT16_MIN, INT16_MAX },
	[SWIM_CIM_UINT32] = { "uint32", 0, UINT32_MAX },
	[SWIM_CIM_SINT32] = { "sint32", INT32_MIN, INT32_MAX },
	[SWIM_CIM_UINT64] = { "uint64", 0, UINT64_MAX },
	[SWIM_CIM_SINT64] = { "sint64", INT64_MIN, INT64_MAX },
	[SWIM_CIM_REAL32] = { "real32", 0, 0 },
	[SWIM_CIM_REAL64] = { "real64", 0, 0 },
	[SWIM_CIM_CHAR16] = { "char16", 0, 0xffff },
	[SWIM_CIM_STRING] = { "string", 0, 0 },
	[SWIM_CIM_DATETIME] = { "datetime", 0, 0 },
	[SWIM_CIM_REFERENCE] = { "reference", 0, 0 },
	[SWIM_CIM_OBJECT] = { "string", 0, 0 },
	[SWIM_CIM_INSTANCE] = { "string", 0, 0 },
};

const char *swim_cim_type_name(swim_cim_type type)
{
	if ((unsigned)type >= SWIM_ARRAY_SIZE(types))
		return "";
	return types[type].name;
}

int swim_cim_type_parse(swim_cim_type *out, const char *name)
{
	for (unsigned t = SWIM_CIM_BOOLEAN; t <= SWIM_CIM_REFERENCE; t++)
		if (name && swim_str_ieq(name, types[t].name)) {
			*out = (swim_cim_type)t;
			return 0;
		}
	return swim_error_set(SWIM_EINVAL, "unknown CIM type '%s'",
	                      name ? name : "");
}

bool swim_cim_type_is_integer(swim_cim_type type)
{
	return type >= SWIM_CIM_UINT8 && type <= SWIM_CIM_SINT64;
}

bool swim_cim_type_is_signed(swim_cim_type type)
{
	return swim_cim_type_is_integer(type) && types[type].min < 0;
}

bool swim_cim_type_is_real(swim_cim_type type)
{
	return type == SWIM_CIM_REAL32 || type == SWIM_CIM_REAL64;
}

bool swim_cim_type_is_embedded(swim_cim_type type)
{
	return type == SWIM_CIM_OBJECT || type == SWIM_CIM_INSTANCE;
}

/* Arrays grow by doubling, so an array of n elements has room for the
 * next power of two: swim_cim_value_append() relies on it. */
static size_t array_capacity(size_t n)
{
	size_t cap = 1;

	while (cap < n)
		cap *= 2;
	return cap;
}

void swim_cim_value_init(swim_cim_value *v, swim_cim_type type, bool array)
{
	memset(v, 0, sizeof(*v));
	v->type = type;
	v->array = array;
	v->null = true;
}

static void dispose_content(swim_cim_value *v)
{
	if (v->null)
		return;
	if (v->array) {
		for (size_t i = 0; i < v->a.n; i++)
			dispose_content(&v->a.v[i]);
		free(v->a.v);
		return;
	}
	switch (v->type) {
	case SWIM_CIM_STRING:
		free(v->s);
		break;
	case SWIM_CIM_REFERENCE:
		swim_cim_path_free(v->ref);
		break;
	case SWIM_CIM_OBJECT:
	case SWIM_CIM_INSTANCE:
		swim_cim_instance_free(v->obj.inst);
		swim_cim_class_free(v->obj.cls);
		break;
	default:
		break;
	}
}

void swim_cim_value_dispose(swim_cim_value *v)
{
	if (!v)
		return;
	dispose_content(v);
	swim_cim_value_init(v, v->type, v->array);
}

void swim_cim_value_move(swim_cim_value *to, swim_cim_value *from)
{
	if (to == from)
		return;
	swim_cim_value_dispose(to);
	*to = *from;
	swim_cim_value_init(from, from->type, from->array);
}

int swim_cim_value_copy(swim_cim_value *out, const swim_cim_value *v)
{
	int rc = 0;

	*out = *v;
	if (v->null)
		return 0;
	if (v->array) {
		out->a.v = NULL;
		out->a.n = 0;
		if (v->a.n && !(out->a.v = calloc(array_capacity(v->a.n),
		                                  sizeof(*out->a.v)))) {
			out->null = true;
			return swim_error_oom();
		}
		for (size_t i = 0; i < v->a.n; i++) {
			if ((rc = swim_cim_value_copy(&out->a.v[i],
			                              &v->a.v[i])) < 0) {
				swim_cim_value_dispose(out);
				return rc;
			}
			out->a.n++;
		}
		return 0;
	}
	switch (v->type) {
	case SWIM_CIM_STRING:
		if (!(out->s = swim_strdup(v->s)))
			rc = SWIM_ENOMEM;
		break;
	case SWIM_CIM_REFERENCE:
		rc = swim_cim_path_copy(&out->ref, v->ref);
		break;
	case SWIM_CIM_OBJECT:
	case SWIM_CIM_INSTANCE:
		out->obj.inst = NULL;
		out->obj.cls = NULL;
		if (v->obj.inst)
			rc = swim_cim_instance_copy(&out->obj.inst, v->obj.inst);
		else if (v->obj.cls)
			rc = swim_cim_class_copy(&out->obj.cls, v->obj.cls);
		break;
	default:
		break;
	}
	if (rc < 0)
		swim_cim_value_init(out, v->type, false);
	return rc;
}

static bool scalar_equal(const swim_cim_value *a, const swim_cim_value *b)
{
	if (a->null || b->null)
		return a->null == b->null;
	switch (a->type) {
	case SWIM_CIM_BOOLEAN:
		return a->b == b->b;
	case SWIM_CIM_REAL32:
	case SWIM_CIM_REAL64:
		return a->r == b->r || (isnan(a->r) && isnan(b->r));
	case SWIM_CIM_STRING:
		return strcmp(a->s, b->s) == 0;
	case SWIM_CIM_DATETIME:
		return swim_cim_datetime_equal(&a->dt, &b->dt);
	case SWIM_CIM_REFERENCE:
		return swim_cim_path_equal(a->ref, b->ref);
	case SWIM_CIM_OBJECT:
	case SWIM_CIM_INSTANCE:
		if (a->obj.inst && b->obj.inst)
			return swim_cim_instance_equal(a->obj.inst, b->obj.inst);
		if (a->obj.cls && b->obj.cls)
			return swim_cim_class_equal(a->obj.cls, b->obj.cls);
		return false;
	default:
		if (swim_cim_type_is_signed(a->type))
			return a->i == b->i;
		return a->u == b->u;
	}
}

bool swim_cim_value_equal(const swim_cim_value *a, const swim_cim_value *b)
{
	if (a->type != b->type || a->array != b->array || a->null != b->null)
		return false;
	if (!a->array)
		return scalar_equal(a, b);
	if (a->null)
		return true;
	if (a->a.n != b->a.n)
		return false;
	for (size_t i = 0; i < a->a.n; i++)
		if (!scalar_equal(&a->a.v[i], &b->a.v[i]))
			return false;
	return true;
}

/* Empties v and makes it a non-NULL scalar of type. */
static void reset(swim_cim_value *v, swim_cim_type type)
{
	swim_cim_value_dispose(v);
	swim_cim_value_init(v, type, false);
	v->null = false;
}

void swim_cim_value_set_bool(swim_cim_value *v, bool b)
{
	reset(v, SWIM_CIM_BOOLEAN);
	v->b = b;
}

static int out_of_range(swim_cim_type type, bool neg, uint64_t mag)
{
	if (swim_cim_type_is_signed(type))
		return swim_error_set(SWIM_EINVAL,
		                      "%s: %s%llu is out of range (%lld..%llu)",
		                      types[type].name, neg ? "-" : "",
		                      (unsigned long long)mag,
		                      (long long)types[type].min,
		                      (unsigned long long)types[type].max);
	return swim_error_set(SWIM_EINVAL, "%s: %s%llu is out of range (0..%llu)",
	                      types[type].name, neg ? "-" : "",
	                      (unsigned long long)mag,
	                      (unsigned long long)types[type].max);
}

/* Stores the number -mag (neg) or mag into v as `type`, if it fits. */
static int set_integer(swim_cim_value *v, swim_cim_type type, bool neg,
                       uint64_t mag)
{
	if (!swim_cim_type_is_integer(type))
		return swim_error_set(SWIM_EINVAL, "%s is not an integer type",
		                      swim_cim_type_name(type));
	if (neg && mag == 0)
		neg = false;
	if (neg) {
		/* -min fits a uint64 even for INT64_MIN. */
		uint64_t lim = types[type].min < 0
			? (uint64_t)(-(types[type].min + 1)) + 1 : 0;

		if (mag > lim)
			return out_of_range(type, neg, mag);
		reset(v, type);
		v->i = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN
		                                       : -(int64_t)mag;
		return 0;
	}
	if (mag > types[type].max)
		return out_of_range(type, neg, mag);
	reset(v, type);
	if (swim_cim_type_is_signed(type))
		v->i = (int64_t)mag;
	else
		v->u = mag;
	return 0;
}

int swim_cim_value_set_uint(swim_cim_value *v, swim_cim_type type,
                            uint64_t u)
{
	return set_integer(v, type, false, u);
}

int swim_cim_value_set_sint(swim_cim_value *v, swim_cim_type type,
                            int64_t i)
{
	if (i < 0)
		return set_integer(v, type, true,
		                   i == INT64_MIN ? (uint64_t)INT64_MAX + 1
		                                  : (uint64_t)-i);
	return set_integer(v, type, false, (uint64_t)i);
}

int swim_cim_value_set_real(swim_cim_value *v, swim_cim_type type,
                            double r)
{
	if (!swim_cim_type_is_real(type))
		return swim_error_set(SWIM_EINVAL, "%s is not a real type",
		                      swim_cim_type_name(type));
	if (type == SWIM_CIM_REAL32 && isfinite(r) && fabs(r) > FLT_MAX)
		return swim_error_set(SWIM_EINVAL, "real32: %g is out of range",
		                      r);
	reset(v, type);
	v->r = type == SWIM_CIM_REAL32 ? (double)(float)r : r;
	return 0;
}

int swim_cim_value_set_char16(swim_cim_value *v, uint32_t codepoint)
{
	if (codepoint == 0 || codepoint > 0xffff ||
	    (codepoint >= 0xd800 && codepoint <= 0xdfff))
		return swim_error_set(SWIM_EINVAL,
		                      "char16: U+%04X is not a UCS-2 character",
		                      (unsigned)codepoint);
	reset(v, SWIM_CIM_CHAR16);
	v->u = codepoint;
	return 0;
}

int swim_cim_value_take_string(swim_cim_value *v, char *s)
{
	if (!s)
		return swim_error_set(SWIM_EINVAL, "string: NULL");
	if (!swim_str_is_utf8(s, strlen(s))) {
		free(s);
		return swim_error_set(SWIM_EINVAL, "string: not valid UTF-8");
	}
	reset(v, SWIM_CIM_STRING);
	v->s = s;
	return 0;
}

int swim_cim_value_set_string(swim_cim_value *v, const char *s)
{
	char *copy;

	if (!s)
		return swim_error_set(SWIM_EINVAL, "string: NULL");
	if (!(copy = swim_strdup(s)))
		return SWIM_ENOMEM;
	return swim_cim_value_take_string(v, copy);
}

void swim_cim_value_set_datetime(swim_cim_value *v,
                                 const swim_cim_datetime *dt)
{
	reset(v, SWIM_CIM_DATETIME);
	v->dt = *dt;
}

int swim_cim_value_set_ref(swim_cim_value *v, const swim_cim_path *p)
{
	swim_cim_path *copy = NULL;
	int rc;

	if ((rc = swim_cim_path_copy(&copy, p)) < 0)
		return rc;
	swim_cim_value_take_ref(v, copy);
	return 0;
}

void swim_cim_value_take_ref(swim_cim_value *v, swim_cim_path *p)
{
	reset(v, SWIM_CIM_REFERENCE);
	v->ref = p;
	v->null = !p;
}

void swim_cim_value_take_instance(swim_cim_value *v,
                                  swim_cim_instance *inst)
{
	reset(v, SWIM_CIM_INSTANCE);
	v->obj.inst = inst;
	v->null = !inst;
}

void swim_cim_value_take_object(swim_cim_value *v, swim_cim_instance *inst,
                                swim_cim_class *cls)
{
	reset(v, SWIM_CIM_OBJECT);
	v->obj.inst = inst;
	v->obj.cls = inst ? NULL : cls;
	if (inst)
		swim_cim_class_free(cls);
	v->null = !inst && !cls;
}

void swim_cim_value_set_array(swim_cim_value *v, swim_cim_type type)
{
	swim_cim_value_dispose(v);
	swim_cim_value_init(v, type, true);
	v->null = false;
}

int swim_cim_value_append(swim_cim_value *v, swim_cim_value *elem)
{
	swim_cim_value *grown;

	if (!v->array || elem->array || elem->type != v->type)
		return swim_error_set(SWIM_EINVAL,
		                      "cannot append a %s%s to a %s%s",
		                      swim_cim_type_name(elem->type),
		                      elem->array ? "[]" : "",
		                      swim_cim_type_name(v->type),
		                      v->array ? "[]" : "");
	if (v->null) {
		v->null = false;
		v->a.v = NULL;
		v->a.n = 0;
	}
	if (v->a.n >= ARRAY_MAX)
		return swim_error_set(SWIM_ELIMIT,
		                      "an array may hold at most %zu elements",
		                      ARRAY_MAX);
	/* Full exactly when n is a power of two (see array_capacity()). */
	if ((v->a.n & (v->a.n - 1)) == 0) {
		size_t cap = v->a.n ? v->a.n * 2 : 1;

		if (!(grown = realloc(v->a.v, cap * sizeof(*grown))))
			return swim_error_oom();
		v->a.v = grown;
	}
	v->a.v[v->a.n++] = *elem;
	swim_cim_value_init(elem, elem->type, false);
	return 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Sign and magnitude of a decimal or 0x hex integer. */
static int parse_integer(bool *neg, uint64_t *mag, const char *s,
                         swim_cim_type type)
{
	const char *p = s;
	uint64_t m = 0;
	int base = 10, rc;

	*neg = false;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (base == 10) {
		if ((rc = swim_str_to_u64(&m, p, UINT64_MAX,
		                          swim_cim_type_name(type))) < 0)
			return rc;
		*mag = m;
		return 0;
	}
	if (!*p)
		goto bad;
	for (; *p; p++) {
		int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			goto bad;
		if (m > UINT64_MAX >> 4)
			return swim_error_set(SWIM_EINVAL, "%s: %s is out of range",
			                      swim_cim_type_name(type), s);
		m = m << 4 | (uint64_t)d;
	}
	*mag = m;
	return 0;
bad:
	return swim_error_set(SWIM_EINVAL, "%s: '%s' is not a number",
	                      swim_cim_type_name(type), s);
}

/* One UTF-8 character, up to U+FFFF. */
static int parse_char16(swim_cim_value *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	uint32_t cp;

	if (len == 0 || len > 3 || !swim_str_is_utf8(s, len))
		goto bad;
	if (len == 1)
		cp = p[0];
	else if (len == 2 && p[0] >= 0xc0 && p[0] < 0xe0)
		cp = (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
	else if (len == 3 && p[0] >= 0xe0 && p[0] < 0xf0)
		cp = (uint32_t)(p[0] & 0x0f) << 12 |
		     (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
	else
		goto bad;
	return swim_cim_value_set_char16(out, cp);
bad:
	return swim_error_set(SWIM_EINVAL,
	                      "char16: expected one character, got '%s'", s);
}

static int put_utf8(swim_buf *buf, uint32_t cp)
{
	char b[3];

	if (cp < 0x80)
		return swim_buf_putc(buf, (char)cp);
	if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		return swim_buf_put(buf, b, 2);
	}
	b[0] = (char)(0xe0 | cp >> 12);
	b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
	b[2] = (char)(0x80 | (cp & 0x3f));
	return swim_buf_put(buf, b, 3);
}

int swim_cim__put_char16(swim_buf *buf, uint32_t cp)
{
	return put_utf8(buf, cp);
}

int swim_cim_value_from_string(swim_cim_value *out, swim_cim_type type,
                               const char *text, const swim_limits *lim)
{
	char trimmed[128];
	const char *t = text;
	swim_cim_datetime dt;
	swim_cim_path *path = NULL;
	uint64_t mag = 0;
	double r;
	bool neg;
	int rc;

	swim_cim_value_init(out, type, false);
	if (!text)
		return swim_error_set(SWIM_EINVAL, "%s: no text",
		                      swim_cim_type_name(type));
	/* Numbers, booleans and datetimes may come with XML whitespace. */
	if (type != SWIM_CIM_STRING && type != SWIM_CIM_CHAR16 &&
	    type != SWIM_CIM_REFERENCE) {
		size_t len;

		while (is_space(*t))
			t++;
		len = strlen(t);
		while (len && is_space(t[len - 1]))
			len--;
		if (len >= sizeof(trimmed))
			return swim_error_set(SWIM_EINVAL, "%s: '%.40s...' is too long",
			                      swim_cim_type_name(type), t);
		memcpy(trimmed, t, len);
		trimmed[len] = '\0';
		t = trimmed;
	}
	switch (type) {
	case SWIM_CIM_BOOLEAN:
		if (swim_str_ieq(t, "true"))
			swim_cim_value_set_bool(out, true);
		else if (swim_str_ieq(t, "false"))
			swim_cim_value_set_bool(out, false);
		else
			return swim_error_set(SWIM_EINVAL,
			                      "boolean: expected TRUE or FALSE, got '%s'",
			                      t);
		return 0;
	case SWIM_CIM_REAL32:
	case SWIM_CIM_REAL64:
		if ((rc = swim_str_to_double(&r, t, swim_cim_type_name(type))) < 0)
			return rc;
		return swim_cim_value_set_real(out, type, r);
	case SWIM_CIM_CHAR16:
		return parse_char16(out, t);
	case SWIM_CIM_STRING:
		return swim_cim_value_set_string(out, t);
	case SWIM_CIM_DATETIME:
		if ((rc = swim_cim_datetime_parse(&dt, t)) < 0)
			return rc;
		swim_cim_value_set_datetime(out, &dt);
		return 0;
	case SWIM_CIM_REFERENCE:
		if ((rc = swim_cim_path_parse(&path, t, lim)) < 0)
			return rc;
		swim_cim_value_take_ref(out, path);
		return 0;
	case SWIM_CIM_OBJECT:
	case SWIM_CIM_INSTANCE:
		return swim_error_set(SWIM_ENOTSUPPORTED,
		                      "embedded objects are not read from plain text");
	default:
		if (!swim_cim_type_is_integer(type))
			return swim_error_set(SWIM_EINVAL, "no such CIM type");
		if ((rc = parse_integer(&neg, &mag, t, type)) < 0)
			return rc;
		return set_integer(out, type, neg, mag);
	}
}

/* Decimal digits without printf: enumerations write many numbers. */
static int put_integer(swim_buf *buf, uint64_t magnitude, bool negative)
{
	char digits[24];
	size_t at = sizeof(digits);

	do
		digits[--at] = (char)('0' + magnitude % 10);
	while ((magnitude /= 10) != 0);
	if (negative)
		digits[--at] = '-';
	return swim_buf_put(buf, digits + at, sizeof(digits) - at);
}

int swim_cim_value_to_string(swim_buf *buf, const swim_cim_value *v)
{
	char dt[SWIM_CIM_DATETIME_LEN + 1];

	if (v->null || v->array || swim_cim_type_is_embedded(v->type))
		return swim_error_set(SWIM_EINVAL,
		                      "only a non-NULL scalar %s has a text form",
		                      swim_cim_type_name(v->type));
	switch (v->type) {
	case SWIM_CIM_BOOLEAN:
		return swim_buf_puts(buf, v->b ? "TRUE" : "FALSE");
	case SWIM_CIM_REAL32:
		return swim_str_put_double(buf, v->r, 9);
	case SWIM_CIM_REAL64:
		return swim_str_put_double(buf, v->r, 17);
	case SWIM_CIM_CHAR16:
		return put_utf8(buf, (uint32_t)v->u);
	case SWIM_CIM_STRING:
		return swim_buf_puts(buf, v->s);
	case SWIM_CIM_DATETIME:
		swim_cim_datetime_print(dt, &v->dt);
		return swim_buf_puts(buf, dt);
	case SWIM_CIM_REFERENCE:
		return swim_cim_path_format(buf, v->ref, 0);
	default:
		if (swim_cim_type_is_signed(v->type))
			return put_integer(buf, v->i < 0 ? 0 - (uint64_t)v->i
			                                 : (uint64_t)v->i, v->i < 0);
		if (swim_cim_type_is_integer(v->type))
			return put_integer(buf, v->u, false);
		return swim_error_set(SWIM_EINVAL, "value without a type");
	}
}

/* A type's name in messages: embedded types say what they hold. */
static const char *described(swim_cim_type type)
{
	return type == SWIM_CIM_OBJECT ? "string (embedded object)"
	       : type == SWIM_CIM_INSTANCE ? "string (embedded instance)"
	       : type == SWIM_CIM_NONE ? "no type" : swim_cim_type_name(type);
}

static int mismatch(swim_cim_coerce *opt, const swim_cim_value *v,
                    swim_cim_type type, bool array)
{
	if (opt)
		opt->status = SWIM_CIM_ERR_TYPE_MISMATCH;
	return swim_error_set(SWIM_EINVAL, "expected %s%s, got %s%s",
	                      described(type), array ? "[]" : "",
	                      described(v->type), v->array ? "[]" : "");
}

/* A non-NULL scalar to `type`. */
static int coerce_scalar(swim_cim_value *v, swim_cim_type type,
                         swim_cim_coerce *opt)
{
	swim_cim_value tmp = SWIM_CIM_VALUE_INIT;
	swim_buf text = SWIM_BUF_INIT(0);
	int rc = 0;

	if (v->type == type)
		return 0;
	if (swim_cim_type_is_integer(v->type) &&
	    swim_cim_type_is_integer(type)) {
		bool neg = swim_cim_type_is_signed(v->type) && v->i < 0;
		uint64_t mag = !swim_cim_type_is_signed(v->type) ? v->u
		               : neg ? (uint64_t)(-(v->i + 1)) + 1
		               : (uint64_t)v->i;

		rc = set_integer(&tmp, type, neg, mag);
	} else if (swim_cim_type_is_integer(v->type) &&
	           swim_cim_type_is_real(type)) {
		rc = swim_cim_value_set_real(&tmp, type,
		                             swim_cim_type_is_signed(v->type)
		                             ? (double)v->i : (double)v->u);
	} else if (swim_cim_type_is_real(v->type) &&
	           swim_cim_type_is_real(type)) {
		rc = swim_cim_value_set_real(&tmp, type, v->r);
	} else if (v->type == SWIM_CIM_STRING &&
	           swim_cim_type_is_embedded(type)) {
		if (!opt || !opt->embedded)
			return mismatch(opt, v, type, false);
		rc = opt->embedded(&tmp, type, v->s, opt->ctx);
	} else if (v->type == SWIM_CIM_STRING) {
		rc = swim_cim_value_from_string(&tmp, type, v->s,
		                                opt ? opt->lim : NULL);
	} else if (type == SWIM_CIM_STRING &&
	           (v->type == SWIM_CIM_REFERENCE ||
	            v->type == SWIM_CIM_DATETIME)) {
		if ((rc = swim_cim_value_to_string(&text, v)) == 0) {
			char *s = swim_buf_detach(&text);

			rc = s ? swim_cim_value_take_string(&tmp, s) : SWIM_ENOMEM;
		}
	} else if (v->type == SWIM_CIM_INSTANCE && type == SWIM_CIM_OBJECT) {
		v->type = SWIM_CIM_OBJECT;
		return 0;
	} else if (v->type == SWIM_CIM_OBJECT && type == SWIM_CIM_INSTANCE &&
	           v->obj.inst) {
		v->type = SWIM_CIM_INSTANCE;
		return 0;
	} else {
		return mismatch(opt, v, type, false);
	}
	swim_buf_dispose(&text);
	if (rc < 0) {
		swim_cim_value_dispose(&tmp);
		if (opt && rc != SWIM_ENOMEM)
			opt->status = SWIM_CIM_ERR_TYPE_MISMATCH;
		return rc;
	}
	swim_cim_value_move(v, &tmp);
	return 0;
}

int swim_cim_value_coerce(swim_cim_value *v, swim_cim_type type, bool array,
                          swim_cim_coerce *opt)
{
	int rc;

	if (v->null) {
		swim_cim_value_dispose(v);
		swim_cim_value_init(v, type, array);
		return 0;
	}
	if (v->array != array)
		return mismatch(opt, v, type, array);
	if (!array)
		return coerce_scalar(v, type, opt);
	for (size_t i = 0; i < v->a.n; i++) {
		swim_cim_value *e = &v->a.v[i];

		if (e->null) {
			e->type = type;
			continue;
		}
		if ((rc = coerce_scalar(e, type, opt)) < 0)
			return swim_error_prefix("element %zu: ", i);
	}
	v->type = type;
	return 0;
}
