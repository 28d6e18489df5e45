/* The CIM-XML codec: what the writer writes the reader reads back equal
 * (instances of every type, classes with methods), the leniency real
 * clients need (KEYVALUE without TYPE, either EmbeddedObject spelling,
 * untyped PARAMVALUEs), and the errors and limits of reading. */
#include <stdlib.h>
#include <string.h>

#include "cim/mof.h"
#include "cimxml/codec.h"
#include "cimxml/request.h"
#include "support/testutil.h"
#include "swim/error.h"
#include "util/xml.h"

static xmlDoc *parse(const char *xml)
{
	xmlDoc *doc = NULL;

	swim_assert_ok(swim_xml_parse(&doc, xml, strlen(xml), 1 << 20, NULL,
	                              "test"));
	return doc;
}

static void set(swim_cim_instance *inst, const char *name,
                swim_cim_type type, const char *text)
{
	swim_cim_value v = SWIM_CIM_VALUE_INIT;

	swim_assert_ok(swim_cim_value_from_string(&v, type, text, NULL));
	swim_assert_ok(swim_cim_instance_set(inst, name, &v));
}

static swim_cim_instance *every_type(void)
{
	static const struct { const char *name; swim_cim_type type; const char *text; } scalars[] = {
		{ "B", SWIM_CIM_BOOLEAN, "FALSE" }, { "U8", SWIM_CIM_UINT8, "255" },
		{ "S8", SWIM_CIM_SINT8, "-128" }, { "U16", SWIM_CIM_UINT16, "7" },
		{ "S16", SWIM_CIM_SINT16, "-7" }, { "U32", SWIM_CIM_UINT32, "70000" },
		{ "S32", SWIM_CIM_SINT32, "-70000" },
		{ "U64", SWIM_CIM_UINT64, "18446744073709551615" },
		{ "S64", SWIM_CIM_SINT64, "-9223372036854775808" },
		{ "R32", SWIM_CIM_REAL32, "0.1" }, { "R64", SWIM_CIM_REAL64, "-1e300" },
		{ "C16", SWIM_CIM_CHAR16, "\xe2\x82\xac" },
		{ "S", SWIM_CIM_STRING, " <a href=\"x\">&amp;</a>\ttab\nline " },
		{ "DT", SWIM_CIM_DATETIME, "20250419144402.000000-300" },
		{ "IV", SWIM_CIM_DATETIME, "00000001020304.000005:000" },
		{ "Ref", SWIM_CIM_REFERENCE, "//h:5988/root/cimv2:X.K=\"v\",N=3" },
	};
	swim_cim_instance *inst = NULL, *inner = NULL;
	swim_cim_value v = SWIM_CIM_VALUE_INIT, e = SWIM_CIM_VALUE_INIT;

	swim_assert_ok(swim_cim_instance_new(&inst, "T_All"));
	for (size_t i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++)
		set(inst, scalars[i].name, scalars[i].type, scalars[i].text);
	swim_assert_ok(swim_cim_instance_set_null(inst, "Null", SWIM_CIM_UINT8,
	                                          false));
	swim_assert_ok(swim_cim_instance_set_null(inst, "NullArray",
	                                          SWIM_CIM_STRING, true));
	swim_cim_value_set_array(&v, SWIM_CIM_STRING);
	swim_assert_ok(swim_cim_value_set_string(&e, "one"));
	swim_assert_ok(swim_cim_value_append(&v, &e));
	swim_cim_value_init(&e, SWIM_CIM_STRING, false);
	swim_assert_ok(swim_cim_value_append(&v, &e));
	swim_assert_ok(swim_cim_instance_set(inst, "Strings", &v));
	swim_cim_value_set_array(&v, SWIM_CIM_UINT16);
	swim_assert_ok(swim_cim_instance_set(inst, "Empty", &v));
	swim_assert_ok(swim_cim_instance_new(&inner, "T_Inner"));
	swim_assert_ok(swim_cim_instance_set_string(inner, "S", "<&>"));
	swim_cim_value_take_instance(&v, inner);
	swim_assert_ok(swim_cim_instance_set(inst, "Emb", &v));
	return inst;
}

static void test_cimxml__instance_round_trip(void **state)
{
	swim_cim_instance *inst = every_type(), *back = NULL;
	swim_buf out = SWIM_BUF_INIT(0);
	swim_cimxml_reader rd;
	swim_xmlw w;
	xmlDoc *doc;

	(void)state;
	swim_xmlw_init(&w, &out, true);
	w.end_tags = true;
	swim_cimxml_write_instance(&w, inst);
	swim_assert_ok(swim_xmlw_finish(&w));
	assert_non_null(strstr(out.ptr, "<PROPERTY NAME=\"Emb\" TYPE=\"string\" "
	                       "EmbeddedObject=\"instance\">"));
	assert_non_null(strstr(out.ptr, "<VALUE.NULL></VALUE.NULL>"));
	doc = parse(out.ptr);
	swim_cimxml_reader_init(&rd, NULL);
	swim_assert_ok(swim_cimxml_read_instance(&back, &rd,
	                                         xmlDocGetRootElement(doc)));
	assert_true(swim_cim_instance_equal(inst, back));
	swim_cim_instance_free(back);
	swim_cim_instance_free(inst);
	xmlFreeDoc(doc);
	swim_buf_dispose(&out);
}

static void test_cimxml__class_round_trip(void **state)
{
	static const char *const extra[] = {
		SWIM_SOURCE_DIR "/schema/test/swim_test.mof"
	};
	const char *const names[] = { "SWIM_TestElement", "SWIM_TestAssociation",
	                              "SWIM_SoftwareInstallationService" };
	swim_cim_repo *repo = NULL;

	(void)state;
	swim_assert_ok(swim_cim_schema_load(&repo, SWIM_SOURCE_DIR "/schema",
	                                    extra, 1, NULL));
	for (size_t i = 0; i < 3; i++) {
		const swim_cim_class *cls = swim_cim_repo_class(repo, "root/cimv2",
		                                                names[i]);
		swim_buf out = SWIM_BUF_INIT(0);
		swim_cim_class *back = NULL;
		swim_cimxml_reader rd;
		swim_xmlw w;
		xmlDoc *doc;

		swim_xmlw_init(&w, &out, false);
		swim_cimxml_write_class(&w, cls);
		swim_assert_ok(swim_xmlw_finish(&w));
		doc = parse(out.ptr);
		swim_cimxml_reader_init(&rd, NULL);
		swim_assert_ok(swim_cimxml_read_class(&back, &rd,
		                                      xmlDocGetRootElement(doc)));
		if (!swim_cim_class_equal(cls, back))
			fail_msg("%s does not read back equal", names[i]);
		assert_true(back->association == cls->association);
		swim_cim_class_free(back);
		xmlFreeDoc(doc);
		swim_buf_dispose(&out);
	}
	swim_cim_repo_free(repo);
}

static swim_cim_path *read_path(const char *xml)
{
	xmlDoc *doc = parse(xml);
	swim_cim_path *p = NULL;
	swim_cimxml_reader rd;

	swim_cimxml_reader_init(&rd, NULL);
	swim_assert_ok(swim_cimxml_read_path(&p, &rd, xmlDocGetRootElement(doc)));
	xmlFreeDoc(doc);
	return p;
}

static void test_cimxml__keyvalues_with_and_without_type(void **state)
{
	swim_cim_path *p = read_path(
		"<INSTANCENAME CLASSNAME=\"X\">"
		"<KEYBINDING NAME=\"S\"><KEYVALUE>a b</KEYVALUE></KEYBINDING>"
		"<KEYBINDING NAME=\"B\"><KEYVALUE VALUETYPE=\"boolean\">true</KEYVALUE></KEYBINDING>"
		"<KEYBINDING NAME=\"N\"><KEYVALUE VALUETYPE=\"numeric\">-5</KEYVALUE></KEYBINDING>"
		"<KEYBINDING NAME=\"U\"><KEYVALUE VALUETYPE=\"numeric\">0x10</KEYVALUE></KEYBINDING>"
		"<KEYBINDING NAME=\"R\"><KEYVALUE VALUETYPE=\"numeric\">1.5e2</KEYVALUE></KEYBINDING>"
		"<KEYBINDING NAME=\"T\"><KEYVALUE VALUETYPE=\"numeric\" TYPE=\"uint8\">9</KEYVALUE></KEYBINDING>"
		"<KEYBINDING NAME=\"Ref\"><VALUE.REFERENCE><INSTANCENAME CLASSNAME=\"Y\">"
		"<KEYBINDING NAME=\"K\"><KEYVALUE>k</KEYVALUE></KEYBINDING>"
		"</INSTANCENAME></VALUE.REFERENCE></KEYBINDING></INSTANCENAME>");

	(void)state;
	assert_int_equal(swim_cim_path_key(p, "S")->type, SWIM_CIM_STRING);
	assert_true(swim_cim_path_key(p, "B")->b);
	assert_int_equal(swim_cim_path_key(p, "N")->type, SWIM_CIM_SINT64);
	assert_int_equal(swim_cim_path_key(p, "N")->i, -5);
	assert_int_equal(swim_cim_path_key(p, "U")->type, SWIM_CIM_UINT64);
	assert_int_equal(swim_cim_path_key(p, "U")->u, 16);
	assert_int_equal(swim_cim_path_key(p, "R")->type, SWIM_CIM_REAL64);
	assert_int_equal(swim_cim_path_key(p, "T")->type, SWIM_CIM_UINT8);
	assert_string_equal(swim_cim_path_key(p, "Ref")->ref->classname, "Y");
	swim_cim_path_free(p);
	p = read_path("<LOCALINSTANCEPATH><LOCALNAMESPACEPATH><NAMESPACE NAME=\"root\"/>"
	              "<NAMESPACE NAME=\"interop\"/></LOCALNAMESPACEPATH>"
	              "<INSTANCENAME CLASSNAME=\"Z\"/></LOCALINSTANCEPATH>");
	assert_string_equal(p->ns, "root/interop");
	assert_true(p->instance);
	swim_cim_path_free(p);
}

/* read_fails(XML, TEXT): reading XML as an instance fails saying TEXT. */
static void read_fails(const char *xml, const char *text, int code)
{
	swim_cim_instance *inst = NULL;
	xmlDoc *doc = parse(xml);
	swim_cimxml_reader rd;
	swim_limits lim;

	swim_limits_init(&lim);
	lim.xml_max_depth = 12;
	swim_cimxml_reader_init(&rd, &lim);
	swim_assert_error(swim_cimxml_read_instance(&inst, &rd,
	                                            xmlDocGetRootElement(doc)),
	                  code, text);
	assert_int_equal(rd.status, SWIM_CIM_ERR_INVALID_PARAMETER);
	assert_null(inst);
	xmlFreeDoc(doc);
}

static void test_cimxml__reading_errors(void **state)
{
	(void)state;
	read_fails("<INSTANCE/>", "the CLASSNAME attribute is missing",
	           SWIM_EINVAL);
	read_fails("<INSTANCE CLASSNAME=\"X\"><PROPERTY NAME=\"P\" TYPE=\"uint8\">"
	           "<VALUE>256</VALUE></PROPERTY></INSTANCE>",
	           "property P: <VALUE>: uint8: 256 is out of range", SWIM_EINVAL);
	read_fails("<INSTANCE CLASSNAME=\"X\"><PROPERTY NAME=\"P\" TYPE=\"int\"/>"
	           "</INSTANCE>", "TYPE 'int' is not a CIM type", SWIM_EINVAL);
	read_fails("<INSTANCE CLASSNAME=\"X\"><PROPERTY NAME=\"P\"/><PROPERTY NAME=\"p\"/>"
	           "</INSTANCE>", "property p is given twice", SWIM_EINVAL);
	read_fails("<INSTANCE CLASSNAME=\"X\"><PROPERTY NAME=\"P\" "
	           "EmbeddedObject=\"thing\"/></INSTANCE>",
	           "EmbeddedObject must be object or instance", SWIM_EINVAL);
	read_fails("<INSTANCE CLASSNAME=\"X\"><PROPERTY NAME=\"P\">"
	           "<VALUE.ARRAY/></PROPERTY></INSTANCE>",
	           "property P: expected one VALUE", SWIM_EINVAL);
	read_fails("<INSTANCE CLASSNAME=\"X\"><PROPERTY NAME=\"P\" "
	           "EMBEDDEDOBJECT=\"instance\"><VALUE>&lt;NOPE/&gt;</VALUE>"
	           "</PROPERTY></INSTANCE>",
	           "an embedded instance must be an INSTANCE", SWIM_EINVAL);
	/* Each embedded level counts against xml_max_depth (12 here). */
	read_fails("<INSTANCE CLASSNAME=\"X\"><PROPERTY NAME=\"P\" "
	           "EmbeddedObject=\"instance\"><VALUE>"
	           "&lt;INSTANCE CLASSNAME=\"X\"&gt;&lt;PROPERTY NAME=\"P\" EmbeddedObject=\"instance\"&gt;&lt;VALUE&gt;"
	           "&amp;lt;INSTANCE CLASSNAME=\"X\"&amp;gt;&amp;lt;PROPERTY NAME=\"P\" EmbeddedObject=\"instance\"&amp;gt;&amp;lt;VALUE&amp;gt;"
	           "&amp;amp;lt;INSTANCE CLASSNAME=\"X\"&amp;amp;gt;&amp;amp;lt;PROPERTY NAME=\"P\" EmbeddedObject=\"instance\"&amp;amp;gt;&amp;amp;lt;VALUE&amp;amp;gt;"
	           "&amp;amp;amp;lt;INSTANCE CLASSNAME=\"X\"/&amp;amp;amp;gt;"
	           "&amp;amp;lt;/VALUE&amp;amp;gt;&amp;amp;lt;/PROPERTY&amp;amp;gt;&amp;amp;lt;/INSTANCE&amp;amp;gt;"
	           "&amp;lt;/VALUE&amp;gt;&amp;lt;/PROPERTY&amp;gt;&amp;lt;/INSTANCE&amp;gt;"
	           "&lt;/VALUE&gt;&lt;/PROPERTY&gt;&lt;/INSTANCE&gt;"
	           "</VALUE></PROPERTY></INSTANCE>", "nested deeper than",
	           SWIM_ELIMIT);
}

static void test_cimxml__method_arguments(void **state)
{
	static const char call[] =
		"<METHODCALL NAME=\"M\"><LOCALCLASSPATH><LOCALNAMESPACEPATH>"
		"<NAMESPACE NAME=\"root\"/></LOCALNAMESPACEPATH><CLASSNAME NAME=\"X\"/>"
		"</LOCALCLASSPATH>"
		"<PARAMVALUE NAME=\"Plain\"><VALUE>42</VALUE></PARAMVALUE>"
		"<PARAMVALUE NAME=\"Typed\" PARAMTYPE=\"sint8\"><VALUE>-1</VALUE></PARAMVALUE>"
		"<PARAMVALUE NAME=\"Null\" PARAMTYPE=\"uint32\"/>"
		"<PARAMVALUE NAME=\"Ref\" PARAMTYPE=\"reference\"><VALUE.REFERENCE>"
		"<CLASSNAME NAME=\"Y\"/></VALUE.REFERENCE></PARAMVALUE>"
		"<PARAMVALUE NAME=\"Refs\"><VALUE.REFARRAY><VALUE.NULL/>"
		"<VALUE.REFERENCE><INSTANCENAME CLASSNAME=\"Y\"/></VALUE.REFERENCE>"
		"</VALUE.REFARRAY></PARAMVALUE>"
		"<PARAMVALUE NAME=\"Inst\"><INSTANCE CLASSNAME=\"Z\"/></PARAMVALUE>"
		"<PARAMVALUE NAME=\"Emb\" PARAMTYPE=\"string\" EmbeddedObject=\"object\">"
		"<VALUE>&lt;CLASS NAME=\"C\"/&gt;</VALUE></PARAMVALUE>"
		"</METHODCALL>";
	xmlDoc *doc = parse(call);
	swim_cim_instance *args = NULL;
	swim_cimxml_reader rd;
	const swim_cim_value *v;

	(void)state;
	swim_cimxml_reader_init(&rd, NULL);
	swim_assert_ok(swim_cimxml_args_read(&args, &rd,
	                                     xmlDocGetRootElement(doc)));
	v = swim_cim_instance_value(args, "Plain");
	assert_int_equal(v->type, SWIM_CIM_STRING);
	assert_string_equal(v->s, "42");
	assert_int_equal(swim_cim_instance_value(args, "Typed")->i, -1);
	v = swim_cim_instance_value(args, "Null");
	assert_true(v->null);
	assert_int_equal(v->type, SWIM_CIM_UINT32);
	assert_false(swim_cim_instance_value(args, "Ref")->ref->instance);
	v = swim_cim_instance_value(args, "Refs");
	assert_int_equal(v->a.n, 2);
	assert_true(v->a.v[0].null);
	assert_int_equal(swim_cim_instance_value(args, "Inst")->type,
	                 SWIM_CIM_INSTANCE);
	v = swim_cim_instance_value(args, "Emb");
	assert_int_equal(v->type, SWIM_CIM_OBJECT);
	assert_string_equal(v->obj.cls->name, "C");
	swim_cim_instance_free(args);
	xmlFreeDoc(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cimxml__instance_round_trip),
		cmocka_unit_test(test_cimxml__class_round_trip),
		cmocka_unit_test(test_cimxml__keyvalues_with_and_without_type),
		cmocka_unit_test(test_cimxml__reading_errors),
		cmocka_unit_test(test_cimxml__method_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
