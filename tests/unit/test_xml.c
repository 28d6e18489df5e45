#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"
#include "swim/error.h"
#include "util/xml.h"
#include "util/xmlw.h"

static int parse(xmlDoc **doc, const char *s, const swim_limits *lim)
{
	return swim_xml_parse(doc, s, strlen(s), 1 << 20, lim, "doc.xml");
}

static void test_xml__parse_and_walk(void **state)
{
	xmlDoc *doc = NULL;
	xmlNode *root, *n;
	char *t = NULL, *a = NULL;

	(void)state;
	swim_assert_ok(parse(&doc, "<r><a k=\"v&amp;w\">x &lt; y</a><b/><a>2</a></r>", NULL));
	root = xmlDocGetRootElement(doc);
	assert_string_equal(swim_xml_name(root), "r");
	n = swim_xml_child(root, "a");
	assert_non_null(n);
	swim_assert_ok(swim_xml_text(&t, n));
	assert_string_equal(t, "x < y");
	swim_assert_ok(swim_xml_attr(&a, n, "k"));
	assert_string_equal(a, "v&w");
	assert_string_equal(swim_xml_attr_ref(n, "k"), "v&w");
	assert_null(swim_xml_attr_ref(n, "missing"));
	n = swim_xml_next(n, "a");
	assert_non_null(n);
	assert_null(swim_xml_next(n, "a"));
	free(t);
	free(a);
	xmlFreeDoc(doc);
}

static void test_xml__malformed_names_line(void **state)
{
	xmlDoc *doc = NULL;

	(void)state;
	/* The first error (the cause) is reported, not its consequences. */
	swim_assert_error(parse(&doc, "<r>\n<a>\n</r>", NULL), SWIM_EINVAL,
	                  "doc.xml:3: Opening and ending tag mismatch: a line 2 and r");
	assert_null(doc);
	swim_assert_error(parse(&doc, "", NULL), SWIM_EINVAL, "doc.xml");
	swim_assert_error(parse(&doc, "\x01\x02binary", NULL), SWIM_EINVAL, "doc.xml");
}

/* libxml2's message quotes the tag: longer than the message buffer. */
static void test_xml__long_parser_message(void **state)
{
	swim_buf x = SWIM_BUF_INIT(0);
	xmlDoc *doc = NULL;

	(void)state;
	swim_assert_ok(swim_buf_putc(&x, '<'));
	for (int i = 0; i < 400; i++)
		swim_assert_ok(swim_buf_putc(&x, 'a'));
	swim_assert_ok(swim_buf_puts(&x, ">\n</b>"));
	swim_assert_error(parse(&doc, x.ptr, NULL), SWIM_EINVAL,
	                  "doc.xml:2: Opening and ending tag mismatch: aaaa");
	assert_null(doc);
	swim_buf_dispose(&x);
}

static void test_xml__entities_refused(void **state)
{
	xmlDoc *doc = NULL;
	const char *laughs =
		"<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaa\">"
		"<!ENTITY b \"&a;&a;&a;&a;\">]><l>&b;</l>";
	const char *external =
		"<?xml version=\"1.0\"?><!DOCTYPE l SYSTEM \"http://127.0.0.1:1/x.dtd\"><l>&x;</l>";

	(void)state;
	/* UTF-16: "<!ENTITY" is not in the bytes, the declaration is. */
	static const char utf16[] =
		"\xff\xfe<\0!\0D\0O\0C\0T\0Y\0P\0E\0 \0l\0 \0[\0<\0!\0E\0N\0"
		"T\0I\0T\0Y\0 \0a\0 \0\"\0x\0\"\0>\0]\0>\0<\0l\0 \0v\0=\0\"\0"
		"&\0a\0;\0\"\0/\0>\0";

	swim_assert_error(parse(&doc, laughs, NULL), SWIM_EINVAL, "entity");
	swim_assert_error(swim_xml_parse(&doc, utf16, sizeof(utf16) - 1, 1 << 20,
	                                 NULL, "doc.xml"),
	                  SWIM_EINVAL, "entity declarations are not accepted");
	swim_assert_error(parse(&doc, external, NULL), SWIM_EINVAL, "doc.xml");
	assert_null(doc);
}

static void test_xml__limits(void **state)
{
	xmlDoc *doc = NULL;
	swim_limits lim;
	swim_buf deep = SWIM_BUF_INIT(0);

	(void)state;
	swim_limits_init(&lim);
	lim.xml_max_depth = 3;
	swim_assert_ok(parse(&doc, "<a><b><c/></b></a>", &lim));
	xmlFreeDoc(doc);
	swim_assert_error(parse(&doc, "<a><b><c><d/></c></b></a>", &lim),
	                  SWIM_ELIMIT, "element <d> nested deeper than 3");
	lim.xml_max_depth = 64;
	lim.xml_max_nodes = 5;
	swim_assert_error(parse(&doc, "<a><b/><b/><b/><b/><b/></a>", &lim),
	                  SWIM_ELIMIT, "more than 5 XML nodes");
	swim_assert_error(parse(&doc, "<a x=\"1\" y=\"2\" z=\"3\"><b/><b/></a>", &lim),
	                  SWIM_ELIMIT, "more than 5 XML nodes");
	lim.xml_max_nodes = 100;
	lim.string_max_bytes = 4;
	swim_assert_error(parse(&doc, "<a><b>12345</b></a>", &lim), SWIM_ELIMIT,
	                  "text of <b> longer than 4");
	swim_assert_error(parse(&doc, "<a k=\"12345\"/>", &lim), SWIM_ELIMIT,
	                  "longer than 4");
	swim_assert_error(swim_xml_parse(&doc, "<a/>", 4, 3, NULL, "doc.xml"),
	                  SWIM_ELIMIT, "4 bytes, more than the limit of 3");
	/* Deeper than libxml2's own limit: refused, not a crash. */
	for (int i = 0; i < 5000; i++)
		swim_assert_ok(swim_buf_puts(&deep, "<a>"));
	swim_assert_error(parse(&doc, deep.ptr, NULL), SWIM_EINVAL, "doc.xml");
	swim_buf_dispose(&deep);
}

static void test_xmlw__escapes_and_nests(void **state)
{
	swim_buf out = SWIM_BUF_INIT(0);
	swim_xmlw w;

	(void)state;
	swim_xmlw_init(&w, &out, false);
	swim_xmlw_start(&w, "r");
	swim_xmlw_attr(&w, "a", "1 \"<&>\"\t\n");
	swim_xmlw_element(&w, "e", NULL);
	swim_xmlw_element(&w, "t", "x < y & \"z\"");
	swim_xmlw_start(&w, "u");
	swim_xmlw_text(&w, "caf\xc3\xa9 del\x7f");
	swim_xmlw_end(&w);
	swim_xmlw_end(&w);
	swim_assert_ok(swim_xmlw_finish(&w));
	assert_string_equal(out.ptr,
		"<r a=\"1 &quot;&lt;&amp;&gt;&quot;&#9;&#10;\"><e/>"
		"<t>x &lt; y &amp; \"z\"</t><u>caf\xc3\xa9 del&#127;</u></r>");
	swim_buf_dispose(&out);

	/* end_tags: never an empty-element tag (wbemcli needs that). */
	swim_xmlw_init(&w, &out, false);
	w.end_tags = true;
	swim_xmlw_start(&w, "r");
	swim_xmlw_element(&w, "e", NULL);
	swim_xmlw_end(&w);
	swim_assert_ok(swim_xmlw_finish(&w));
	assert_string_equal(out.ptr, "<r><e></e></r>");
	swim_buf_dispose(&out);
}

static void test_xmlw__pretty(void **state)
{
	swim_buf out = SWIM_BUF_INIT(0);
	swim_xmlw w;

	(void)state;
	swim_xmlw_init(&w, &out, true);
	swim_xmlw_start(&w, "vib");
	swim_xmlw_element(&w, "name", "x");
	swim_xmlw_start(&w, "list");
	swim_xmlw_element(&w, "e", NULL);
	swim_xmlw_end(&w);
	swim_xmlw_end(&w);
	swim_assert_ok(swim_xmlw_finish(&w));
	assert_string_equal(out.ptr,
		"<vib>\n  <name>x</name>\n  <list>\n    <e/>\n  </list>\n</vib>\n");
	swim_buf_dispose(&out);
}

/* Every level indents by two blanks, down to the deepest allowed. */
static void test_xmlw__pretty_deep(void **state)
{
	swim_buf out = SWIM_BUF_INIT(0), want = SWIM_BUF_INIT(0);
	swim_xmlw w;

	(void)state;
	swim_xmlw_init(&w, &out, true);
	for (int i = 0; i < SWIM_XMLW_MAX_DEPTH; i++)
		swim_xmlw_start(&w, "e");
	swim_xmlw_text(&w, "x");
	for (int i = 0; i < SWIM_XMLW_MAX_DEPTH; i++)
		swim_xmlw_end(&w);
	swim_assert_ok(swim_xmlw_finish(&w));
	for (int i = 0; i < SWIM_XMLW_MAX_DEPTH; i++)
		swim_assert_ok(swim_buf_printf(&want, "%s%*s<e>", i ? "\n" : "",
		                               2 * i, ""));
	swim_assert_ok(swim_buf_puts(&want, "x</e>"));
	for (int i = SWIM_XMLW_MAX_DEPTH - 2; i >= 0; i--)
		swim_assert_ok(swim_buf_printf(&want, "\n%*s</e>", 2 * i, ""));
	swim_assert_ok(swim_buf_puts(&want, "\n"));
	assert_string_equal(out.ptr, want.ptr);
	swim_buf_dispose(&out);
	swim_buf_dispose(&want);
}

/* Parser contexts come back for reuse, unless their dictionary grew
 * with the names clients chose. */
static void test_xml__parser_pool(void **state)
{
	swim_buf many = SWIM_BUF_INIT(0);
	swim_xml_pool *pool = NULL;
	xmlParserCtxt *c1, *c2;
	xmlDoc *doc = NULL;

	(void)state;
	swim_assert_ok(swim_xml_pool_new(&pool, 1));
	assert_non_null(c1 = swim_xml_pool_get(pool));
	swim_assert_ok(swim_xml_parse_ctxt(&doc, c1, "<r><a/></r>", 11, 100,
	                                   NULL, "doc.xml"));
	xmlFreeDoc(doc);
	swim_xml_pool_put(pool, c1);
	assert_ptr_equal(swim_xml_pool_get(pool), c1);
	/* Only max_idle wait: a second one is freed on its way back. */
	assert_non_null(c2 = swim_xml_pool_get(pool));
	assert_ptr_not_equal(c1, c2);
	swim_xml_pool_put(pool, c2);
	swim_xml_pool_put(pool, c1);
	assert_ptr_equal(swim_xml_pool_get(pool), c2);
	/* 5,000 names: not kept. */
	swim_assert_ok(swim_buf_puts(&many, "<r>"));
	for (int i = 0; i < 5000; i++)
		swim_assert_ok(swim_buf_printf(&many, "<n%d/>", i));
	swim_assert_ok(swim_buf_puts(&many, "</r>"));
	swim_assert_ok(swim_xml_parse_ctxt(&doc, c2, many.ptr, many.len,
	                                   1 << 20, NULL, "many.xml"));
	xmlFreeDoc(doc);
	assert_true(xmlDictSize(c2->dict) > 5000);
	swim_xml_pool_put(pool, c2);
	/* A fresh one, whatever address it has. */
	c1 = swim_xml_pool_get(pool);
	assert_non_null(c1);
	assert_true(!c1->dict || xmlDictSize(c1->dict) < 100);
	swim_xml_pool_put(pool, c1);
	swim_xml_pool_free(pool);
	swim_buf_dispose(&many);
}

static void test_xmlw__errors_are_sticky(void **state)
{
	swim_buf out = SWIM_BUF_INIT(0);
	swim_xmlw w;

	(void)state;
	swim_xmlw_init(&w, &out, false);
	swim_xmlw_start(&w, "r");
	swim_xmlw_text(&w, "bell\x07");
	swim_xmlw_element(&w, "more", "ignored");
	swim_xmlw_end(&w);
	swim_assert_error(swim_xmlw_finish(&w), SWIM_EINVAL, "control character 0x07");

	swim_xmlw_init(&w, &out, false);
	swim_xmlw_start(&w, "r");
	swim_assert_error(swim_xmlw_finish(&w), SWIM_EINVAL, "<r> not closed");
	swim_xmlw_init(&w, &out, false);
	swim_xmlw_text(&w, "\xff");
	swim_assert_error(swim_xmlw_finish(&w), SWIM_EINVAL, "UTF-8");
	swim_buf_dispose(&out);
}

static void test_xmlw__output_reads_back(void **state)
{
	swim_buf out = SWIM_BUF_INIT(0);
	swim_xmlw w;
	xmlDoc *doc = NULL;
	char *t = NULL;
	const char *nasty = "a<b>&c\"d'e\r\n\tf \xe2\x82\xac";

	(void)state;
	swim_xmlw_init(&w, &out, false);
	swim_xmlw_decl(&w);
	swim_xmlw_start(&w, "r");
	swim_xmlw_attr(&w, "v", nasty);
	swim_xmlw_element(&w, "t", nasty);
	swim_xmlw_end(&w);
	swim_assert_ok(swim_xmlw_finish(&w));
	swim_assert_ok(parse(&doc, out.ptr, NULL));
	assert_string_equal(swim_xml_attr_ref(xmlDocGetRootElement(doc), "v"), nasty);
	swim_assert_ok(swim_xml_text(&t, swim_xml_child(xmlDocGetRootElement(doc), "t")));
	assert_string_equal(t, nasty);
	free(t);
	xmlFreeDoc(doc);
	swim_buf_dispose(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xml__parse_and_walk),
		cmocka_unit_test(test_xml__malformed_names_line),
		cmocka_unit_test(test_xml__long_parser_message),
		cmocka_unit_test(test_xml__entities_refused),
		cmocka_unit_test(test_xml__limits),
		cmocka_unit_test(test_xmlw__escapes_and_nests),
		cmocka_unit_test(test_xmlw__pretty),
		cmocka_unit_test(test_xmlw__pretty_deep),
		cmocka_unit_test(test_xml__parser_pool),
		cmocka_unit_test(test_xmlw__errors_are_sticky),
		cmocka_unit_test(test_xmlw__output_reads_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
