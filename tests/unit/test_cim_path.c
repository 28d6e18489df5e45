#include <stdlib.h>
#include <string.h>

#include "cim/path.h"
#include "support/testutil.h"
#include "swim/error.h"
#include "swim/limits.h"

/* Parses text, formats it with flags and compares with want; the result
 * parses back to an equal path. */
static void uri(const char *text, unsigned flags, const char *want)
{
	swim_cim_path *p = NULL, *q = NULL;
	swim_buf out = SWIM_BUF_INIT(0);

	swim_assert_ok(swim_cim_path_parse(&p, text, NULL));
	swim_assert_ok(swim_cim_path_format(&out, p, flags));
	assert_string_equal(out.ptr, want);
	swim_assert_ok(swim_cim_path_parse(&q, out.ptr, NULL));
	if (flags == 0)
		assert_true(swim_cim_path_equal(p, q));
	else
		assert_true(swim_cim_path_match(p, q,
		                                SWIM_CIM_PATH_IGNORE_NAMESPACE));
	swim_cim_path_free(p);
	swim_cim_path_free(q);
	swim_buf_dispose(&out);
}

static void bad(const char *text, int code, const char *needle)
{
	swim_cim_path *p = NULL;

	swim_assert_error(swim_cim_path_parse(&p, text, NULL), code, needle);
	assert_null(p);
}

static void test_cim_path__forms(void **state)
{
	(void)state;
	uri("//ACME.com:5989/root/cimv2:CIM_Foo.Name=\"a b\",Id=5", 0,
	    "//ACME.com:5989/root/cimv2:CIM_Foo.Id=5,Name=\"a b\"");
	uri("/root/cimv2:CIM_Foo.Name=\"x\"", 0, "/root/cimv2:CIM_Foo.Name=\"x\"");
	uri("root/cimv2:CIM_Foo.Name=\"x\"", 0, "/root/cimv2:CIM_Foo.Name=\"x\"");
	uri("root/cimv2:CIM_Foo.Name=\"x\"", SWIM_CIM_URI_CIMOBJECT,
	    "root/cimv2:CIM_Foo.Name=\"x\"");
	uri("//h/root/cimv2:CIM_Foo.Name=\"x\"", SWIM_CIM_URI_NO_HOST,
	    "/root/cimv2:CIM_Foo.Name=\"x\"");
	uri("CIM_Foo.Name=\"x\"", 0, "/:CIM_Foo.Name=\"x\"");
	uri("/:CIM_Foo.Name=\"x\"", 0, "/:CIM_Foo.Name=\"x\"");
	uri(":CIM_Foo.Name=\"x\"", 0, "/:CIM_Foo.Name=\"x\"");
	uri("/root/cimv2:CIM_Foo", 0, "/root/cimv2:CIM_Foo");
	uri("/root/cimv2:CIM_Foo=@", 0, "/root/cimv2:CIM_Foo=@");
	uri("http://h:5988/interop:CIM_RegisteredProfile.InstanceID=\"DMTF+Profile Registration+1.0.0\"",
	    0, "//h:5988/interop:CIM_RegisteredProfile.InstanceID=\"DMTF+Profile Registration+1.0.0\"");
	uri("//[::1]:5989/root/cimv2:X.K=1", 0, "//[::1]:5989/root/cimv2:X.K=1");
	uri("/root/cimv2:X.B=true,C='c',D=-7,E=0x10,F=1.5,G=\"20250419144402.000000+000\"",
	    0, "/root/cimv2:X.B=TRUE,C='c',D=-7,E=16,F=1.5,G=\"20250419144402.000000+000\"");
	uri("/root/cimv2:X.Q='\\''", 0, "/root/cimv2:X.Q='\\''");
	uri("/root/cimv2:X.S=\"back\\\\slash \\\"quote\\\" , = .\"", 0,
	    "/root/cimv2:X.S=\"back\\\\slash \\\"quote\\\" , = .\"");
}

static void test_cim_path__references(void **state)
{
	swim_cim_path *p = NULL;
	const swim_cim_value *v;
	const char *text =
		"/root/interop:CIM_ElementConformsToProfile."
		"ConformantStandard=\"/root/interop:CIM_RegisteredProfile."
		"InstanceID=\\\"DMTF+Software Inventory+1.0.1\\\"\","
		"ManagedElement=\"//host/root/cimv2:SWIM_ComputerSystem."
		"CreationClassName=\\\"SWIM_ComputerSystem\\\",Name=\\\"h\\\"\"";

	(void)state;
	uri(text, 0, text);
	swim_assert_ok(swim_cim_path_parse(&p, text, NULL));
	v = swim_cim_path_key(p, "managedelement");
	assert_non_null(v);
	assert_int_equal(v->type, SWIM_CIM_REFERENCE);
	assert_string_equal(v->ref->host, "host");
	assert_string_equal(v->ref->classname, "SWIM_ComputerSystem");
	assert_int_equal(v->ref->nkeys, 2);
	v = swim_cim_path_key(p, "ConformantStandard");
	assert_string_equal(swim_cim_path_key(v->ref, "InstanceID")->s,
	                    "DMTF+Software Inventory+1.0.1");
	swim_cim_path_free(p);
	/* Quoted text that is no path stays a string. */
	swim_assert_ok(swim_cim_path_parse(&p, "/:X.K=\"/usr/bin/x\",L=\"SWIM:a.b=c\"",
	                                   NULL));
	assert_int_equal(swim_cim_path_key(p, "K")->type, SWIM_CIM_STRING);
	assert_int_equal(swim_cim_path_key(p, "L")->type, SWIM_CIM_STRING);
	swim_cim_path_free(p);
}

static void test_cim_path__equality(void **state)
{
	swim_cim_path *a = NULL, *b = NULL, *c = NULL;

	(void)state;
	swim_assert_ok(swim_cim_path_parse(&a, "/Root/CIMV2:cim_foo.NAME=\"x\",id=5",
	                                   NULL));
	swim_assert_ok(swim_cim_path_new(&b, NULL, "root/cimv2", "CIM_Foo"));
	swim_assert_ok(swim_cim_path_add_key_uint(b, "Id", SWIM_CIM_UINT16, 5));
	swim_assert_ok(swim_cim_path_add_key_string(b, "Name", "x"));
	assert_true(swim_cim_path_equal(a, b));
	swim_assert_ok(swim_cim_path_copy(&c, b));
	assert_true(swim_cim_path_equal(b, c));
	swim_assert_ok(swim_cim_path_set_host(c, "h"));
	assert_false(swim_cim_path_equal(b, c));
	assert_true(swim_cim_path_match(b, c, SWIM_CIM_PATH_IGNORE_HOST));
	swim_assert_ok(swim_cim_path_set_namespace(c, "root/other"));
	assert_false(swim_cim_path_match(b, c, SWIM_CIM_PATH_IGNORE_HOST));
	assert_true(swim_cim_path_match(b, c, SWIM_CIM_PATH_IGNORE_NAMESPACE));
	swim_cim_path_free(c);
	/* Values differ: string case matters, numbers by value. */
	swim_assert_ok(swim_cim_path_parse(&c, "/root/cimv2:CIM_Foo.Name=\"X\",Id=5",
	                                   NULL));
	assert_false(swim_cim_path_equal(a, c));
	swim_cim_path_free(c);
	swim_assert_ok(swim_cim_path_parse(&c, "/root/cimv2:CIM_Foo.Name=\"x\",Id=5.0",
	                                   NULL));
	assert_true(swim_cim_path_equal(a, c));
	swim_cim_path_free(c);
	swim_assert_ok(swim_cim_path_parse(&c, "/root/cimv2:CIM_Foo.Name=\"x\"",
	                                   NULL));
	assert_false(swim_cim_path_equal(a, c));
	swim_assert_error(swim_cim_path_add_key_string(c, "NAME", "y"),
	                  SWIM_EEXISTS, "NAME given twice");
	swim_cim_path_free(a);
	swim_cim_path_free(b);
	swim_cim_path_free(c);
}

static void test_cim_path__malformed(void **state)
{
	swim_limits lim;
	swim_buf deep = SWIM_BUF_INIT(0), esc = SWIM_BUF_INIT(0);
	swim_cim_path *p = NULL;

	(void)state;
	bad("", SWIM_EINVAL, "empty object path");
	bad("/root/cimv2", SWIM_EINVAL, "':' after the namespace");
	bad("/root/cimv2:", SWIM_EINVAL, "a class name after ':' at offset 12");
	bad("/root/cimv2:9X", SWIM_EINVAL, "a class name");
	bad("/root/cimv2:X.", SWIM_EINVAL, "a key name at offset 14");
	bad("/root/cimv2:X.K", SWIM_EINVAL, "'=' after the key name");
	bad("/root/cimv2:X.K=", SWIM_EINVAL, "a key value");
	bad("/root/cimv2:X.K=\"open", SWIM_EINVAL, "a closing '\"'");
	bad("/root/cimv2:X.K=\"a\\", SWIM_EINVAL, "a character after '\\'");
	bad("/root/cimv2:X.K=1,", SWIM_EINVAL, "a key name");
	bad("/root/cimv2:X.K=1;", SWIM_EINVAL, "'1;' is not a number");
	bad("/root/cimv2:X.K=\"a\"b", SWIM_EINVAL, "',' or the end");
	bad("/root/cimv2:X.K=yes", SWIM_EINVAL, "a key value (a quoted string");
	bad("/root/cimv2:X.K=1,k=2", SWIM_EEXISTS, "k given twice");
	bad("/root/cimv2:X.K='ab'", SWIM_EINVAL, "char16");
	bad("/root/cimv2:X.K=99999999999999999999", SWIM_EINVAL, "uint64");
	bad("/root/cimv2:X.K=1e999", SWIM_EINVAL, "out of range");
	bad("/root/cimv2:X extra", SWIM_EINVAL, "'.', '=@' or the end");
	bad("ftp://h/root/cimv2:X", SWIM_EINVAL, "as the scheme");
	bad("http:/root/cimv2:X", SWIM_EINVAL, "a class name after ':' at offset 5");
	bad("//h", SWIM_EINVAL, "'/' after the host");
	bad("///root:X", SWIM_EINVAL, "a host name after '//'");
	bad("//h o/root:X", SWIM_EINVAL, "a host name");
	bad("/a//b:X", SWIM_EINVAL, "a namespace name after '/'");
	bad("/root/cimv2:X.K=\"\xff\"", SWIM_EINVAL, "not UTF-8");
	/* Limits: length and nesting. */
	swim_limits_init(&lim);
	lim.cim_uri_max_bytes = 16;
	swim_assert_error(swim_cim_path_parse(&p, "/root/cimv2:X.K=12345", &lim),
	                  SWIM_ELIMIT, "longer than 16");
	swim_limits_init(&lim);
	lim.cim_path_max_depth = 2;
	/* Three levels of /:X.K="..." with the quotes escaped per level. */
	swim_assert_ok(swim_buf_puts(&deep, "/:X.K=1"));
	for (int level = 0; level < 3; level++) {
		swim_buf_clear(&esc);
		swim_assert_ok(swim_buf_puts(&esc, "/:X.K=\""));
		for (size_t i = 0; i < deep.len; i++) {
			if (deep.ptr[i] == '"' || deep.ptr[i] == '\\')
				swim_assert_ok(swim_buf_putc(&esc, '\\'));
			swim_assert_ok(swim_buf_putc(&esc, deep.ptr[i]));
		}
		swim_assert_ok(swim_buf_putc(&esc, '"'));
		swim_buf_clear(&deep);
		swim_assert_ok(swim_buf_put(&deep, esc.ptr, esc.len));
		if (level == 1) {
			swim_assert_ok(swim_cim_path_parse(&p, deep.ptr, &lim));
			swim_cim_path_free(p);
		}
	}
	swim_assert_error(swim_cim_path_parse(&p, deep.ptr, &lim), SWIM_ELIMIT,
	                  "nested deeper than 2");
	swim_buf_dispose(&deep);
	swim_buf_dispose(&esc);
}

static void test_cim_path__build(void **state)
{
	swim_cim_path *p = NULL, *ref = NULL;
	swim_cim_value v = SWIM_CIM_VALUE_INIT;
	swim_buf out = SWIM_BUF_INIT(0);

	(void)state;
	swim_assert_error(swim_cim_path_new(&p, NULL, "root/cimv2", "1X"),
	                  SWIM_EINVAL, "class name '1X'");
	swim_assert_error(swim_cim_path_new(&p, "bad host", NULL, "X"),
	                  SWIM_EINVAL, "host 'bad host'");
	swim_assert_error(swim_cim_path_new(&p, NULL, "root//x", "X"),
	                  SWIM_EINVAL, "namespace 'root//x'");
	swim_assert_ok(swim_cim_path_new(&ref, NULL, "root/cimv2", "SWIM_Job"));
	swim_assert_ok(swim_cim_path_add_key_string(ref, "InstanceID",
	                                            "SWIM:SWIM_Job:1"));
	swim_assert_ok(swim_cim_path_new(&p, "h", "root/cimv2", "SWIM_Owning"));
	swim_assert_ok(swim_cim_path_add_key_ref(p, "OwnedElement", ref));
	swim_assert_error(swim_cim_path_add_key(p, "Null", &v), SWIM_EINVAL,
	                  "non-NULL scalar");
	swim_assert_ok(swim_cim_path_format(&out, p, SWIM_CIM_URI_CIMOBJECT));
	assert_string_equal(out.ptr,
	                    "root/cimv2:SWIM_Owning.OwnedElement="
	                    "\"/root/cimv2:SWIM_Job.InstanceID=\\\"SWIM:SWIM_Job:1\\\"\"");
	swim_cim_path_free(ref);
	swim_cim_path_free(p);
	swim_buf_dispose(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cim_path__forms),
		cmocka_unit_test(test_cim_path__references),
		cmocka_unit_test(test_cim_path__equality),
		cmocka_unit_test(test_cim_path__malformed),
		cmocka_unit_test(test_cim_path__build),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
