#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cim/class.h"
#include "cim/datetime.h"
#include "cim/instance.h"
#include "cim/path.h"
#include "cim/value.h"
#include "support/testutil.h"
#include "swim/error.h"

/* Parses text as type, prints it back and compares with want. */
static void round_trip(swim_cim_type type, const char *text,
                       const char *want)
{
	swim_cim_value v = SWIM_CIM_VALUE_INIT, w = SWIM_CIM_VALUE_INIT;
	swim_buf out = SWIM_BUF_INIT(0);

	swim_assert_ok(swim_cim_value_from_string(&v, type, text, NULL));
	swim_assert_ok(swim_cim_value_to_string(&out, &v));
	assert_string_equal(out.ptr, want);
	swim_assert_ok(swim_cim_value_from_string(&w, type, out.ptr, NULL));
	assert_true(swim_cim_value_equal(&v, &w));
	swim_cim_value_dispose(&v);
	swim_cim_value_dispose(&w);
	swim_buf_dispose(&out);
}

static void bad_text(swim_cim_type type, const char *text, const char *needle)
{
	swim_cim_value v = SWIM_CIM_VALUE_INIT;

	swim_assert_error(swim_cim_value_from_string(&v, type, text, NULL),
	                  SWIM_EINVAL, needle);
	swim_cim_value_dispose(&v);
}

static void test_cim_value__integers(void **state)
{
	(void)state;
	round_trip(SWIM_CIM_UINT8, "255", "255");
	round_trip(SWIM_CIM_UINT8, " 7\n", "7");
	round_trip(SWIM_CIM_SINT8, "-128", "-128");
	round_trip(SWIM_CIM_UINT16, "0x1F", "31");
	round_trip(SWIM_CIM_SINT32, "+42", "42");
	round_trip(SWIM_CIM_UINT64, "18446744073709551615",
	           "18446744073709551615");
	round_trip(SWIM_CIM_SINT64, "-9223372036854775808",
	           "-9223372036854775808");
	bad_text(SWIM_CIM_UINT8, "300", "uint8: 300 is out of range (0..255)");
	bad_text(SWIM_CIM_UINT8, "-1", "uint8: -1 is out of range");
	bad_text(SWIM_CIM_SINT8, "128", "sint8: 128 is out of range (-128..127)");
	bad_text(SWIM_CIM_SINT64, "9223372036854775808", "sint64");
	bad_text(SWIM_CIM_UINT64, "18446744073709551616", "uint64");
	bad_text(SWIM_CIM_UINT32, "12a", "uint32: '12a' is not a number");
	bad_text(SWIM_CIM_UINT32, "0x", "not a number");
	bad_text(SWIM_CIM_UINT32, "", "not a number");
}

static void test_cim_value__other_scalars(void **state)
{
	swim_cim_value v = SWIM_CIM_VALUE_INIT;

	(void)state;
	round_trip(SWIM_CIM_BOOLEAN, "true", "TRUE");
	round_trip(SWIM_CIM_BOOLEAN, "FALSE", "FALSE");
	bad_text(SWIM_CIM_BOOLEAN, "yes", "expected TRUE or FALSE");
	round_trip(SWIM_CIM_REAL64, "1.5", "1.5");
	round_trip(SWIM_CIM_REAL64, "-2e3", "-2000.0");
	round_trip(SWIM_CIM_REAL64, "0.1", "0.10000000000000001");
	round_trip(SWIM_CIM_REAL32, "0.1", "0.100000001");
	round_trip(SWIM_CIM_REAL64, "INF", "INF");
	round_trip(SWIM_CIM_REAL64, "NaN", "NaN");
	bad_text(SWIM_CIM_REAL32, "1e39", "real32");
	bad_text(SWIM_CIM_REAL64, "1e999", "out of range");
	bad_text(SWIM_CIM_REAL64, "0x10", "not a number");
	round_trip(SWIM_CIM_CHAR16, "x", "x");
	round_trip(SWIM_CIM_CHAR16, "\xc3\xa9", "\xc3\xa9");
	bad_text(SWIM_CIM_CHAR16, "xy", "expected one character");
	bad_text(SWIM_CIM_CHAR16, "\xf0\x9f\x98\x80", "expected one character");
	round_trip(SWIM_CIM_STRING, " keeps spaces ", " keeps spaces ");
	bad_text(SWIM_CIM_STRING, "\xc3", "UTF-8");
	round_trip(SWIM_CIM_DATETIME, "20250419144402.000000+000",
	           "20250419144402.000000+000");
	round_trip(SWIM_CIM_REFERENCE, "root/cimv2:CIM_Foo.Id=\"a\"",
	           "/root/cimv2:CIM_Foo.Id=\"a\"");
	swim_assert_error(swim_cim_value_from_string(&v, SWIM_CIM_INSTANCE,
	                                             "<INSTANCE/>", NULL),
	                  SWIM_ENOTSUPPORTED, "embedded");
	assert_string_equal(swim_cim_type_name(SWIM_CIM_INSTANCE), "string");
	assert_string_equal(swim_cim_type_name(SWIM_CIM_REFERENCE), "reference");
}

static void test_cim_value__setters(void **state)
{
	swim_cim_value v = SWIM_CIM_VALUE_INIT, e = SWIM_CIM_VALUE_INIT;
	swim_cim_value c = SWIM_CIM_VALUE_INIT;
	swim_buf out = SWIM_BUF_INIT(0);

	(void)state;
	swim_assert_error(swim_cim_value_set_uint(&v, SWIM_CIM_UINT16, 70000),
	                  SWIM_EINVAL, "uint16: 70000 is out of range");
	swim_assert_error(swim_cim_value_set_sint(&v, SWIM_CIM_UINT32, -5),
	                  SWIM_EINVAL, "uint32: -5 is out of range");
	swim_assert_ok(swim_cim_value_set_sint(&v, SWIM_CIM_SINT16, -300));
	assert_int_equal(v.i, -300);
	swim_assert_error(swim_cim_value_set_char16(&v, 0xd800), SWIM_EINVAL,
	                  "not a UCS-2");
	swim_assert_error(swim_cim_value_set_string(&v, "\xff"), SWIM_EINVAL,
	                  "UTF-8");
	/* Arrays with a NULL element, copied and compared. */
	swim_cim_value_set_array(&v, SWIM_CIM_STRING);
	swim_assert_ok(swim_cim_value_set_string(&e, "a"));
	swim_assert_ok(swim_cim_value_append(&v, &e));
	assert_true(e.null);
	swim_cim_value_init(&e, SWIM_CIM_STRING, false);
	swim_assert_ok(swim_cim_value_append(&v, &e));
	swim_assert_ok(swim_cim_value_set_string(&e, "b \"q\""));
	swim_assert_ok(swim_cim_value_append(&v, &e));
	assert_int_equal(v.a.n, 3);
	swim_assert_ok(swim_cim_value_copy(&c, &v));
	assert_true(swim_cim_value_equal(&c, &v));
	/* A copy grows like the original. */
	for (int i = 0; i < 6; i++) {
		swim_assert_ok(swim_cim_value_set_string(&e, "more"));
		swim_assert_ok(swim_cim_value_append(&c, &e));
	}
	assert_int_equal(c.a.n, 9);
	assert_false(swim_cim_value_equal(&c, &v));
	swim_cim_value_dispose(&c);
	swim_assert_ok(swim_cim_value_copy(&c, &v));
	swim_assert_ok(swim_cim_value_to_mof(&out, &c));
	assert_string_equal(out.ptr, "{\"a\", NULL, \"b \\\"q\\\"\"}");
	swim_assert_ok(swim_cim_value_set_uint(&e, SWIM_CIM_UINT8, 1));
	swim_assert_error(swim_cim_value_append(&v, &e), SWIM_EINVAL,
	                  "cannot append a uint8 to a string[]");
	swim_cim_value_dispose(&c.a.v[2]);
	assert_false(swim_cim_value_equal(&c, &v));
	swim_cim_value_dispose(&c);
	swim_cim_value_dispose(&e);
	swim_cim_value_dispose(&v);
	swim_buf_dispose(&out);
}

static void test_cim_value__coerce(void **state)
{
	swim_cim_value v = SWIM_CIM_VALUE_INIT;
	swim_cim_coerce opt = { 0, NULL, NULL, NULL, SWIM_CIM_OK };

	(void)state;
	swim_assert_ok(swim_cim_value_set_uint(&v, SWIM_CIM_UINT64, 300));
	swim_assert_ok(swim_cim_value_coerce(&v, SWIM_CIM_UINT16, false, &opt));
	assert_int_equal(v.type, SWIM_CIM_UINT16);
	swim_assert_error(swim_cim_value_coerce(&v, SWIM_CIM_UINT8, false, &opt),
	                  SWIM_EINVAL, "uint8: 300 is out of range");
	assert_int_equal(opt.status, SWIM_CIM_ERR_TYPE_MISMATCH);
	swim_assert_ok(swim_cim_value_coerce(&v, SWIM_CIM_REAL64, false, NULL));
	assert_true(v.r == 300.0);
	swim_assert_error(swim_cim_value_coerce(&v, SWIM_CIM_UINT8, true, &opt),
	                  SWIM_EINVAL, "expected uint8[], got real64");
	swim_assert_ok(swim_cim_value_set_string(&v, "17"));
	swim_assert_ok(swim_cim_value_coerce(&v, SWIM_CIM_SINT32, false, NULL));
	assert_int_equal(v.i, 17);
	swim_assert_ok(swim_cim_value_set_string(&v, "/root/cimv2:X.K=1"));
	swim_assert_ok(swim_cim_value_coerce(&v, SWIM_CIM_REFERENCE, false,
	                                     NULL));
	assert_string_equal(v.ref->classname, "X");
	swim_assert_ok(swim_cim_value_coerce(&v, SWIM_CIM_STRING, false, NULL));
	assert_string_equal(v.s, "/root/cimv2:X.K=1");
	swim_assert_error(swim_cim_value_coerce(&v, SWIM_CIM_INSTANCE, false,
	                                        &opt),
	                  SWIM_EINVAL,
	                  "expected string (embedded instance), got string");
	swim_cim_value_set_bool(&v, true);
	swim_assert_error(swim_cim_value_coerce(&v, SWIM_CIM_STRING, false, &opt),
	                  SWIM_EINVAL, "expected string, got boolean");
	swim_cim_value_dispose(&v);
	swim_assert_ok(swim_cim_value_coerce(&v, SWIM_CIM_DATETIME, true, NULL));
	assert_true(v.null && v.array && v.type == SWIM_CIM_DATETIME);
}

/* The embedded-object callback a CIM-XML decoder would supply: here it
 * makes an instance of the class the text names. */
static int decode_embedded(swim_cim_value *out, swim_cim_type type,
                           const char *text, void *ctx)
{
	swim_cim_instance *inst = NULL;
	int rc;

	(*(int *)ctx)++;
	if ((rc = swim_cim_instance_new(&inst, text)) < 0)
		return rc;
	if (type == SWIM_CIM_INSTANCE)
		swim_cim_value_take_instance(out, inst);
	else
		swim_cim_value_take_object(out, inst, NULL);
	return 0;
}

static void test_cim_value__embedded(void **state)
{
	swim_cim_value v = SWIM_CIM_VALUE_INIT, c = SWIM_CIM_VALUE_INIT;
	swim_cim_instance *inst = NULL;
	swim_cim_class *cls = NULL;
	swim_buf out = SWIM_BUF_INIT(0);
	int calls = 0;
	swim_cim_coerce opt = { 0, decode_embedded, &calls, NULL, SWIM_CIM_OK };

	(void)state;
	swim_assert_ok(swim_cim_instance_new(&inst, "CIM_Error"));
	swim_assert_ok(swim_cim_instance_set_string(inst, "MessageID", "X1"));
	swim_assert_ok(swim_cim_instance_set_uint(inst, "CIMStatusCode",
	                                          SWIM_CIM_UINT32, 6));
	swim_cim_value_take_instance(&v, inst);
	swim_assert_ok(swim_cim_value_copy(&c, &v));
	assert_true(swim_cim_value_equal(&c, &v));
	swim_assert_ok(swim_cim_instance_set_string(c.obj.inst, "MessageID",
	                                            "X2"));
	assert_false(swim_cim_value_equal(&c, &v));
	swim_assert_ok(swim_cim_value_to_mof(&out, &v));
	assert_string_equal(out.ptr, "instance of CIM_Error {\n"
	                             "\tMessageID = \"X1\";\n"
	                             "\tCIMStatusCode = 6;\n};\n");
	swim_assert_error(swim_cim_value_to_string(&out, &v), SWIM_EINVAL,
	                  "only a non-NULL scalar string has a text form");
	/* An embedded instance is also an embedded object, not the reverse
	 * when the object is a class. */
	swim_assert_ok(swim_cim_value_coerce(&v, SWIM_CIM_OBJECT, false, &opt));
	assert_int_equal(v.type, SWIM_CIM_OBJECT);
	swim_assert_ok(swim_cim_value_coerce(&v, SWIM_CIM_INSTANCE, false, &opt));
	swim_assert_ok(swim_cim_class_new(&cls, "CIM_Thing", NULL));
	swim_cim_value_take_object(&c, NULL, cls);
	swim_assert_error(swim_cim_value_coerce(&c, SWIM_CIM_INSTANCE, false,
	                                        &opt),
	                  SWIM_EINVAL, "expected string (embedded instance), "
	                  "got string (embedded object)");
	swim_cim_value_take_object(&c, NULL, NULL);
	assert_true(c.null);
	/* Text for an embedded type goes through the decoder. */
	swim_assert_ok(swim_cim_value_set_string(&c, "SWIM_TestElement"));
	swim_assert_ok(swim_cim_value_coerce(&c, SWIM_CIM_INSTANCE, false, &opt));
	assert_int_equal(calls, 1);
	assert_string_equal(c.obj.inst->classname, "SWIM_TestElement");
	swim_cim_value_dispose(&c);
	swim_cim_value_dispose(&v);
	swim_buf_dispose(&out);
}

static void test_cim_value__instances(void **state)
{
	static const char *const strs[] = { "a", NULL, "c" };
	static const uint64_t nums[] = { 1, 2 };
	swim_cim_instance *inst = NULL, *copy = NULL;
	swim_cim_datetime dt;
	swim_cim_path *ref = NULL;
	swim_buf out = SWIM_BUF_INIT(0);

	(void)state;
	swim_assert_error(swim_cim_instance_new(&inst, "not a name"),
	                  SWIM_EINVAL, "class name 'not a name'");
	swim_assert_ok(swim_cim_instance_new(&inst, "SWIM_TestElement"));
	swim_assert_ok(swim_cim_instance_set_strings(inst, "AString", strs, 3));
	swim_assert_ok(swim_cim_instance_set_uints(inst, "AUint16",
	                                           SWIM_CIM_UINT16, nums, 2));
	swim_assert_error(swim_cim_instance_set_uints(inst, "AUint8",
	                                              SWIM_CIM_UINT8,
	                                              (const uint64_t[]){ 256 },
	                                              1),
	                  SWIM_EINVAL, "uint8: 256 is out of range");
	assert_null(swim_cim_instance_value(inst, "AUint8"));
	swim_assert_ok(swim_cim_instance_set_sint(inst, "PSint8", SWIM_CIM_SINT8,
	                                          -3));
	swim_assert_ok(swim_cim_instance_set_bool(inst, "PBoolean", false));
	swim_assert_ok(swim_cim_datetime_parse(&dt, "00000000000500.000000:000"));
	swim_assert_ok(swim_cim_instance_set_datetime(inst, "PDatetime", &dt));
	swim_assert_ok(swim_cim_instance_set_ref(inst, "PRef", NULL));
	swim_assert_ok(swim_cim_instance_set_null(inst, "PReal64",
	                                          SWIM_CIM_REAL64, true));
	swim_assert_ok(swim_cim_path_parse(&ref, "/:X.K=1", NULL));
	swim_assert_ok(swim_cim_instance_set_path(inst, ref));
	swim_assert_ok(swim_cim_instance_to_mof(&out, inst));
	assert_string_equal(out.ptr,
	                    "instance of SWIM_TestElement {\n"
	                    "\tAString = {\"a\", NULL, \"c\"};\n"
	                    "\tAUint16 = {1, 2};\n"
	                    "\tPSint8 = -3;\n"
	                    "\tPBoolean = FALSE;\n"
	                    "\tPDatetime = \"00000000000500.000000:000\";\n"
	                    "\tPRef = NULL;\n"
	                    "\tPReal64 = NULL;\n};\n");
	swim_assert_ok(swim_cim_instance_copy(&copy, inst));
	assert_true(swim_cim_instance_equal(copy, inst));
	assert_non_null(copy->path);
	assert_true(swim_cim_path_equal(copy->path, ref));
	swim_assert_ok(swim_cim_instance_set_string(copy, "astring", "now one"));
	assert_int_equal(swim_cim_instance_value(copy, "AString")->type,
	                 SWIM_CIM_STRING);
	assert_false(swim_cim_instance_equal(copy, inst));
	swim_assert_error(swim_cim_instance_remove(copy, "Nope"), SWIM_ENOTFOUND,
	                  "no property Nope in SWIM_TestElement");
	swim_assert_error(swim_cim_instance_set_string(copy, "1bad", "x"),
	                  SWIM_EINVAL, "property name '1bad'");
	swim_cim_path_free(ref);
	swim_cim_instance_free(copy);
	swim_cim_instance_free(inst);
	swim_buf_dispose(&out);
}

static void datetime_ok(const char *text)
{
	swim_cim_datetime dt;
	char out[SWIM_CIM_DATETIME_LEN + 1];

	swim_assert_ok(swim_cim_datetime_parse(&dt, text));
	swim_cim_datetime_print(out, &dt);
	assert_string_equal(out, text);
}

static void datetime_bad(const char *text, const char *needle)
{
	swim_cim_datetime dt;

	swim_assert_error(swim_cim_datetime_parse(&dt, text), SWIM_EINVAL,
	                  needle);
}

static void test_cim_value__datetime_syntax(void **state)
{
	swim_cim_datetime dt;

	(void)state;
	datetime_ok("20250419144402.123456+000");
	datetime_ok("20240229000000.000000-300");
	datetime_ok("00000000000500.000000:000");
	datetime_ok("99999999235959.999999:000");
	datetime_ok("2025041914****.******+060");
	datetime_ok("20250419144402.12****+000");
	datetime_ok("**************.******+000");
	datetime_ok("00000001******.******:000");
	swim_assert_ok(swim_cim_datetime_parse(&dt, "20250419******.******+000"));
	assert_int_equal(dt.precision, 8);
	assert_int_equal(dt.hour, 0);
	datetime_bad("2025041914440.000000+000", "25 characters");
	datetime_bad("20251319144402.000000+000", "month 13 is out of range");
	datetime_bad("20230229144402.000000+000", "day 29 is out of range");
	datetime_bad("20250419244402.000000+000", "hour 24");
	datetime_bad("20250419146002.000000+000", "minute 60");
	datetime_bad("20250419144460.000000+000", "second 60");
	datetime_bad("00000000250000.000000:000", "hour 25");
	datetime_bad("20250419144402.000000*000", "expected '+', '-' or ':'");
	datetime_bad("00000000000500.000000:001", "must end in ':000'");
	datetime_bad("20250419144402.000000+0a0", "three digits");
	datetime_bad("202504191*4402.000000+000", "only as the last ones");
	datetime_bad("202504191*****.******+000", "whole fields");
	datetime_bad("2025041914440x.000000+000", "expected digits");
}

static void test_cim_value__datetime_time(void **state)
{
	swim_cim_datetime a, b, u;
	char out[SWIM_CIM_DATETIME_LEN + 1];
	uint64_t usec;
	int64_t sec;
	uint32_t us;
	int c;

	(void)state;
	/* 2025-04-19 14:44:02 at +01:00 is 13:44:02 UTC. */
	swim_assert_ok(swim_cim_datetime_parse(&a, "20250419144402.500000+060"));
	swim_assert_ok(swim_cim_datetime_to_utc(&u, &a));
	swim_cim_datetime_print(out, &u);
	assert_string_equal(out, "20250419134402.500000+000");
	swim_assert_ok(swim_cim_datetime_to_unix(&sec, &us, &a));
	assert_int_equal(sec, 1745070242);
	assert_int_equal(us, 500000);
	swim_assert_ok(swim_cim_datetime_from_unix(&b, sec, us, -300));
	swim_cim_datetime_print(out, &b);
	assert_string_equal(out, "20250419084402.500000-300");
	assert_true(swim_cim_datetime_equal(&a, &b));
	swim_assert_ok(swim_cim_datetime_from_unix(&b, sec + 1, 0, 0));
	swim_assert_ok(swim_cim_datetime_compare(&c, &a, &b));
	assert_int_equal(c, -1);
	/* Across a year boundary and before 1970. */
	swim_assert_ok(swim_cim_datetime_parse(&a, "20000101003000.000000+060"));
	swim_assert_ok(swim_cim_datetime_to_utc(&u, &a));
	swim_cim_datetime_print(out, &u);
	assert_string_equal(out, "19991231233000.000000+000");
	swim_assert_ok(swim_cim_datetime_from_unix(&b, -1, 0, 0));
	swim_cim_datetime_print(out, &b);
	assert_string_equal(out, "19691231235959.000000+000");
	swim_assert_error(swim_cim_datetime_from_unix(&b, 253402300800LL, 0, 0),
	                  SWIM_EINVAL, "outside years");
	/* Intervals. */
	swim_assert_ok(swim_cim_datetime_parse(&a, "00000000000500.000000:000"));
	swim_assert_ok(swim_cim_datetime_interval_usec(&usec, &a));
	assert_true(usec == 300000000ULL);
	swim_assert_ok(swim_cim_datetime_from_interval(&b, 90061000001ULL));
	swim_cim_datetime_print(out, &b);
	assert_string_equal(out, "00000001010101.000001:000");
	swim_assert_ok(swim_cim_datetime_compare(&c, &b, &a));
	assert_int_equal(c, 1);
	swim_assert_error(swim_cim_datetime_compare(&c, &a, &u), SWIM_EINVAL,
	                  "timestamp with an interval");
	swim_assert_error(swim_cim_datetime_to_unix(&sec, &us, &a), SWIM_EINVAL,
	                  "not a point in time");
	/* Wildcards: no move to UTC when the minutes are unknown. */
	swim_assert_ok(swim_cim_datetime_parse(&a, "20250419******.******+060"));
	swim_assert_error(swim_cim_datetime_to_utc(&u, &a), SWIM_EINVAL,
	                  "minutes are unknown");
	swim_assert_ok(swim_cim_datetime_parse(&a, "20250419******.******+000"));
	swim_assert_ok(swim_cim_datetime_to_utc(&u, &a));
	assert_int_equal(u.precision, 8);
	swim_assert_ok(swim_cim_datetime_parse(&b, "20250419000000.000000+000"));
	assert_false(swim_cim_datetime_equal(&a, &b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cim_value__integers),
		cmocka_unit_test(test_cim_value__other_scalars),
		cmocka_unit_test(test_cim_value__setters),
		cmocka_unit_test(test_cim_value__coerce),
		cmocka_unit_test(test_cim_value__embedded),
		cmocka_unit_test(test_cim_value__instances),
		cmocka_unit_test(test_cim_value__datetime_syntax),
		cmocka_unit_test(test_cim_value__datetime_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
