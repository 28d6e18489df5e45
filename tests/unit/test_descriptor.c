#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"
#include "swim/error.h"
#include "swim/package.h"

static const char *const good_files[] = {
	"descriptors/certified-driver.xml",
	"descriptors/community-full.xml",
	"descriptors/relations.xml",
	"descriptors/depot-copy.xml",
	"descriptors/minimal.xml",
};

static swim_package *read_str(const char *xml)
{
	swim_package *pkg = NULL;

	swim_assert_ok(swim_descriptor_read(&pkg, xml, strlen(xml), NULL));
	return pkg;
}

static void test_descriptor__certified_driver(void **state)
{
	swim_package *pkg = swim_test_descriptor("descriptors/certified-driver.xml");
	const swim_checksum *c;

	(void)state;
	assert_string_equal(pkg->id,
		"VMW_bootbank_nigx_1.4.2.0-8vmw.700.1.0.15843807");
	assert_string_equal(pkg->vib_version, "5.0");
	assert_string_equal(pkg->type, "bootbank");
	assert_string_equal(pkg->vendor, "VMW");
	assert_string_equal(pkg->release_date, "2020-03-16T09:39:54.180119+00:00");
	assert_string_equal(pkg->install_date, "2020-10-07T11:36:17.746295+00:00");
	assert_int_equal(pkg->acceptance, SWIM_ACCEPTANCE_CERTIFIED);
	assert_int_equal(pkg->n_tags, 23);
	assert_string_equal(pkg->tags[0], "RestrictStickyFiles");
	assert_string_equal(pkg->tags[1], "PCIID 808610a7");
	assert_string_equal(pkg->tags[22], "driver");
	assert_int_equal(pkg->n_depends, 2);
	assert_string_equal(pkg->depends[0].name, "vmkapi_2_6_0_0");
	assert_int_equal(pkg->depends[0].rel, SWIM_REL_ANY);
	assert_null(pkg->depends[0].version);
	assert_int_equal(pkg->depends[1].rel, SWIM_REL_GE);
	assert_true(pkg->maintenance_mode);
	assert_false(pkg->live_install_ok);
	assert_false(pkg->live_remove_ok);
	assert_true(pkg->stateless_ready);
	assert_int_equal(pkg->n_files, 3);
	assert_int_equal(pkg->n_payloads, 1);
	assert_string_equal(pkg->payloads[0].name, "nigx");
	assert_true(pkg->payloads[0].has_size);
	assert_int_equal(pkg->payloads[0].size, 96541);
	assert_false(pkg->payloads[0].has_boot_order);
	c = swim_payload_checksum(&pkg->payloads[0], "sha-256", "gunzip");
	assert_non_null(c);
	assert_string_equal(c->value,
		"ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb");
	/* Upper-case hex is accepted and kept lower-case. */
	c = swim_payload_checksum(&pkg->payloads[0], "sha-256", NULL);
	assert_string_equal(c->value,
		"3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d");
	assert_non_null(swim_payload_checksum(&pkg->payloads[0], "sha-1", "gunzip"));
	assert_null(swim_payload_checksum(&pkg->payloads[0], "sha-1", NULL));
	assert_null(pkg->relative_path);
	assert_false(pkg->has_packed_size);
	swim_package_free(pkg);
}

static void test_descriptor__every_optional_element(void **state)
{
	swim_package *pkg = swim_test_descriptor("descriptors/community-full.xml");

	(void)state;
	assert_string_equal(pkg->id,
		"Acme Labs_bootbank_acme-fan-control_2.1.0-3.acme");
	assert_string_equal(pkg->summary,
		"Fan curve daemon & CLI for Acme servers");
	/* Surrounding blanks go, the lines inside stay. */
	assert_true(strncmp(pkg->description, "Adjusts fan curves", 18) == 0);
	assert_non_null(strstr(pkg->description, "readings.\n    Ships"));
	assert_true(pkg->description[strlen(pkg->description) - 1] == '.');
	assert_int_equal(pkg->n_urls, 2);
	assert_string_equal(pkg->urls[0].key, "kb");
	assert_string_equal(pkg->urls[0].url,
		"https://acme.example/kb/4711?lang=en&v=2");
	assert_int_equal(pkg->n_conflicts, 1);
	assert_int_equal(pkg->n_replaces, 1);
	assert_int_equal(pkg->replaces[0].rel, SWIM_REL_LT);
	assert_int_equal(pkg->n_provides, 2);
	assert_string_equal(pkg->provides[0].version, "2.1");
	assert_null(pkg->provides[1].version);
	assert_int_equal(pkg->n_compatible_with, 0);
	assert_int_equal(pkg->n_tags, 2);
	assert_string_equal(pkg->tags[1], "Acme fan curves");
	assert_false(pkg->maintenance_mode);
	assert_int_equal(pkg->n_hwplatforms, 2);
	assert_string_equal(pkg->hwplatforms[0].model, "R740 Fanless");
	assert_null(pkg->hwplatforms[1].model);
	assert_int_equal(pkg->n_platforms, 1);
	assert_string_equal(pkg->platforms[0].product_line_id, "embeddedEsx");
	assert_string_equal(pkg->platforms[0].version, "8.*");
	assert_string_equal(pkg->platforms[0].locale, "");
	assert_string_equal(pkg->files[3],
		"opt/acme/fan-control/share/curve caf\xc3\xa9.json");
	assert_int_equal(pkg->acceptance, SWIM_ACCEPTANCE_COMMUNITY);
	assert_true(pkg->cimom_restart);
	assert_true(pkg->overlay);
	assert_false(pkg->stateless_ready);
	assert_int_equal(pkg->n_payloads, 2);
	assert_true(pkg->payloads[1].has_boot_order);
	assert_int_equal(pkg->payloads[1].boot_order, 48);
	assert_string_equal(pkg->payloads[1].vfat_name, "acmeopts.gz");
	assert_string_equal(pkg->payloads[1].type, "boot");
	swim_package_free(pkg);
}

static void test_descriptor__relations_and_epochs(void **state)
{
	swim_package *pkg = swim_test_descriptor("descriptors/relations.xml");
	static const swim_relation rels[] = {
		SWIM_REL_GE, SWIM_REL_LT, SWIM_REL_LE, SWIM_REL_ANY, SWIM_REL_EQ,
		SWIM_REL_GT,
	};

	(void)state;
	assert_string_equal(pkg->version, "3:12.1.5-20735119");
	assert_int_equal(pkg->n_depends, 6);
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(pkg->depends[i].rel, rels[i]);
	assert_string_equal(pkg->depends[2].version, "1:7.0.0-1");
	assert_string_equal(pkg->depends[5].version, "2:1.0~rc1");
	assert_int_equal(pkg->n_conflicts, 2);
	assert_int_equal(pkg->n_replaces, 2);
	assert_int_equal(pkg->n_provides, 3);
	assert_string_equal(pkg->provides[1].version, "1:12.1");
	assert_int_equal(pkg->n_compatible_with, 2);
	assert_int_equal(pkg->compatible_with[1].rel, SWIM_REL_LT);
	assert_int_equal(pkg->acceptance, SWIM_ACCEPTANCE_ACCEPTED);
	assert_string_equal(pkg->release_date, "2023-01-31");
	swim_package_free(pkg);
}

static void test_descriptor__depot_copy(void **state)
{
	swim_package *pkg = swim_test_descriptor("descriptors/depot-copy.xml");

	(void)state;
	assert_string_equal(pkg->relative_path,
		"vib20/wlan-relay/CMU_bootbank_wlan-relay_1.2-0.0.1.vib");
	assert_true(pkg->has_packed_size);
	assert_int_equal(pkg->packed_size, 18432);
	assert_non_null(pkg->vib_checksum);
	assert_string_equal(pkg->vib_checksum->type, "sha-256");
	assert_null(pkg->vib_checksum->verify_process);
	swim_package_free(pkg);
}

static void test_descriptor__defaults(void **state)
{
	swim_package *pkg = swim_test_descriptor("descriptors/minimal.xml");

	(void)state;
	assert_string_equal(pkg->id, "example_bootbank_hello_1.0");
	assert_null(pkg->vib_version);
	assert_null(pkg->summary);
	assert_null(pkg->description);
	assert_null(pkg->release_date);
	assert_int_equal(pkg->acceptance, SWIM_ACCEPTANCE_COMMUNITY);
	assert_false(pkg->maintenance_mode);
	assert_false(pkg->live_install_ok);
	assert_false(pkg->live_remove_ok);
	assert_false(pkg->stateless_ready);
	assert_false(pkg->overlay);
	assert_int_equal(pkg->n_payloads + pkg->n_files + pkg->n_tags, 0);
	swim_package_free(pkg);
}

/* Read, write, read: equal packages, and the second write is the same
 * text as the first. */
static void test_descriptor__round_trip(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(good_files) / sizeof(good_files[0]); i++) {
		swim_package *a = swim_test_descriptor(good_files[i]), *b = NULL;
		swim_buf x1 = SWIM_BUF_INIT(0), x2 = SWIM_BUF_INIT(0);

		swim_assert_ok(swim_descriptor_write(&x1, a, true));
		swim_assert_ok(swim_descriptor_read(&b, x1.ptr, x1.len, NULL));
		if (!swim_package_equal(a, b))
			fail_msg("%s: not equal after a round trip:\n%s",
			         good_files[i], x1.ptr);
		swim_assert_ok(swim_descriptor_write(&x2, b, true));
		assert_string_equal(x1.ptr, x2.ptr);
		swim_package_free(a);
		swim_package_free(b);
		swim_buf_dispose(&x1);
		swim_buf_dispose(&x2);
	}
}

static void test_descriptor__write_order_and_escaping(void **state)
{
	static const char *const order[] = {
		"<type>", "<name>", "<version>", "<vendor>", "<summary>",
		"<description>", "<release-date>", "<urls>", "<relationships>",
		"<software-tags>", "<system-requires>", "<file-list>",
		"<acceptance-level>", "<live-install-allowed>",
		"<live-remove-allowed>", "<cimom-restart>", "<stateless-ready>",
		"<overlay>", "<payloads>",
	};
	swim_package *pkg = swim_test_descriptor("descriptors/community-full.xml");
	swim_buf x = SWIM_BUF_INIT(0);
	const char *prev = NULL;

	(void)state;
	swim_assert_ok(swim_descriptor_write(&x, pkg, false));
	assert_true(strncmp(x.ptr, "<vib version=\"6.0\">\n  <type>bootbank</type>", 43) == 0);
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const char *p = strstr(x.ptr, order[i]);

		if (!p || (prev && p < prev))
			fail_msg("%s missing or out of order in\n%s", order[i], x.ptr);
		prev = p;
	}
	assert_non_null(strstr(x.ptr,
		"<constraint name=\"esx-version\" relation=\"&gt;=\" version=\"7.0.0\"/>"));
	assert_non_null(strstr(x.ptr,
		"<constraint name=\"acme-fand\" relation=\"&lt;&lt;\" version=\"2.0\"/>"));
	assert_non_null(strstr(x.ptr, "Fan curve daemon &amp; CLI"));
	assert_non_null(strstr(x.ptr, "<acceptance-level>community</acceptance-level>"));
	assert_non_null(strstr(x.ptr,
		"<payload name=\"acmeopts\" type=\"boot\" boot-order=\"48\" "
		"vfat-name=\"acmeopts.gz\" size=\"30\">"));
	assert_non_null(strstr(x.ptr,
		"<softwarePlatform version=\"8.*\" locale=\"\" productLineID=\"embeddedEsx\"/>"));
	swim_package_free(pkg);
	swim_buf_dispose(&x);
}

static void test_descriptor__depot_fields_only_in_depot_copy(void **state)
{
	swim_package *pkg = swim_test_descriptor("descriptors/depot-copy.xml"), *back = NULL;
	swim_buf x = SWIM_BUF_INIT(0);

	(void)state;
	swim_assert_ok(swim_descriptor_write(&x, pkg, false));
	assert_null(strstr(x.ptr, "relative-path"));
	assert_null(strstr(x.ptr, "packed-size"));
	swim_assert_ok(swim_descriptor_read(&back, x.ptr, x.len, NULL));
	assert_null(back->relative_path);
	assert_false(back->has_packed_size);
	assert_null(back->vib_checksum);
	assert_false(swim_package_equal(pkg, back));
	swim_buf_truncate(&x, 0);
	swim_assert_ok(swim_descriptor_write(&x, pkg, true));
	assert_non_null(strstr(x.ptr,
		"  <software-tags>\n    <tag>module</tag>\n  </software-tags>\n"
		"  <relative-path>vib20/wlan-relay/CMU_bootbank_wlan-relay_1.2-0.0.1.vib</relative-path>\n"
		"  <packed-size>18432</packed-size>\n"
		"  <checksum checksum-type=\"sha-256\">"));
	swim_package_free(pkg);
	swim_package_free(back);
	swim_buf_dispose(&x);
}

static void test_descriptor__write_needs_identity(void **state)
{
	swim_package *pkg = NULL;
	swim_buf x = SWIM_BUF_INIT(0);

	(void)state;
	swim_assert_ok(swim_package_new(&pkg));
	swim_assert_error(swim_descriptor_write(&x, pkg, false), SWIM_EINVAL,
	                  "without type, name, version and vendor");
	assert_int_equal(x.len, 0);
	swim_package_free(pkg);
	swim_buf_dispose(&x);
}

static void test_descriptor__order_free_comments_and_blanks(void **state)
{
	swim_package *pkg = read_str(
		"<?xml version=\"1.0\"?>\n<!-- c -->\n<vib>\n"
		"<payloads/><vendor> v </vendor><!-- c --><version>\n1.0\n</version>"
		"<name><![CDATA[n]]></name><type>bootbank</type>"
		"<overlay> true </overlay></vib>");

	(void)state;
	assert_string_equal(pkg->id, "v_bootbank_n_1.0");
	assert_true(pkg->overlay);
	swim_package_free(pkg);
}

struct bad_case {
	const char *file;
	int code;
	const char *where;   /* "descriptor.xml:LINE:" */
	const char *what;    /* names the element or the problem */
};

static const struct bad_case bad_cases[] = {
	{ "malformed-xml.xml", SWIM_EINVAL, "descriptor.xml:13:", "file" },
	{ "unknown-relation.xml", SWIM_EINVAL, "descriptor.xml:9:",
	  "<constraint>: constraint on 'esx-version': unknown relation '=>'" },
	{ "missing-name.xml", SWIM_EINVAL, "descriptor.xml:1:", "<vib> has no <name>" },
	{ "missing-version.xml", SWIM_EINVAL, "descriptor.xml:1:", "<vib> has no <version>" },
	{ "missing-vendor.xml", SWIM_EINVAL, "descriptor.xml:1:", "<vib> has no <vendor>" },
	{ "missing-type.xml", SWIM_EINVAL, "descriptor.xml:1:", "<vib> has no <type>" },
	{ "overlong-name.xml", SWIM_ELIMIT, "descriptor.xml:3:",
	  "<name> is 300 bytes, longer than the limit of 256 (name_max_bytes)" },
	{ "overlong-summary.xml", SWIM_ELIMIT, "descriptor.xml:6:",
	  "text of <summary> longer than 65536" },
	{ "entity-declaration.xml", SWIM_EINVAL, "descriptor.xml",
	  "entity declarations are not accepted" },
	{ "invalid-utf8.xml", SWIM_EINVAL, "descriptor.xml:6:", "UTF-8" },
	{ "bad-boolean.xml", SWIM_EINVAL, "descriptor.xml:16:",
	  "<live-install-allowed>: 'yes' is not a boolean (expected true or false)" },
	{ "bad-acceptance.xml", SWIM_EINVAL, "descriptor.xml:15:",
	  "<acceptance-level>: unknown acceptance level 'gold'" },
	{ "bad-checksum-hex.xml", SWIM_EINVAL, "descriptor.xml:19:",
	  "<checksum>: 'zzzz" },
	{ "short-checksum.xml", SWIM_EINVAL, "descriptor.xml:19:",
	  "is not a sha-1 digest (40 hex digits)" },
	{ "unknown-checksum-type.xml", SWIM_EINVAL, "descriptor.xml:19:",
	  "<checksum>: unknown checksum-type 'md5'" },
	{ "duplicate-payload.xml", SWIM_EINVAL, "descriptor.xml:21:",
	  "<payload>: name 'example' is used twice" },
	{ "long-payload-name.xml", SWIM_EINVAL, "descriptor.xml:18:",
	  "<payload>: name 'a-very-long-payload' is longer than 15 bytes" },
	{ "path-traversal.xml", SWIM_EINVAL, "descriptor.xml:13:",
	  "<file>: path 'opt/example/../../etc/shadow' has an empty, '.' or '..' component" },
	{ "absolute-path.xml", SWIM_EINVAL, "descriptor.xml:13:",
	  "<file>: path '/etc/passwd' is absolute" },
	{ "empty-path-component.xml", SWIM_EINVAL, "descriptor.xml:13:",
	  "<file>: path 'opt//tool' has an empty" },
	{ "unknown-element.xml", SWIM_EINVAL, "descriptor.xml:7:",
	  "unknown element <licence> in <vib>" },
	{ "unknown-attribute.xml", SWIM_EINVAL, "descriptor.xml:18:",
	  "unknown attribute 'sise' of <payload>" },
	{ "duplicate-element.xml", SWIM_EINVAL, "descriptor.xml:6:",
	  "<vendor> appears more than once in <vib>" },
	{ "bad-version.xml", SWIM_EINVAL, "descriptor.xml:4:",
	  "<version>: version '1.0 beta'" },
	{ "bad-date.xml", SWIM_EINVAL, "descriptor.xml:7:",
	  "<release-date>: '16/03/2020' is not an ISO 8601 date" },
	{ "text-in-container.xml", SWIM_EINVAL, "descriptor.xml:8:",
	  "<depends>: unexpected text 'stray'" },
	{ "wrong-root.xml", SWIM_EINVAL, "descriptor.xml:1:",
	  "the root element is <package>, not <vib>" },
};

static void test_descriptor__bad_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		swim_package *pkg = NULL;
		char rel[256];
		size_t len;
		char *xml;
		int rc;

		(void)snprintf(rel, sizeof(rel), "descriptors/bad/%s", c->file);
		xml = swim_test_data(rel, &len);
		rc = swim_descriptor_read(&pkg, xml, len, NULL);
		free(xml);
		if (rc != c->code || !strstr(swim_error_last(), c->where) ||
		    !strstr(swim_error_last(), c->what))
			fail_msg("%s: got %d '%s', expected %d with '%s' and '%s'",
			         c->file, rc, swim_error_last(), c->code, c->where,
			         c->what);
		assert_null(pkg);
	}
}

/* A minimal descriptor with `extra` inside <vib>. */
static char *with(const char *extra)
{
	swim_buf b = SWIM_BUF_INIT(0);

	swim_assert_ok(swim_buf_printf(&b,
		"<vib><type>bootbank</type><name>x</name><version>1</version>"
		"<vendor>v</vendor>\n%s</vib>", extra));
	return swim_buf_detach(&b);
}

static void test_descriptor__limits(void **state)
{
	swim_limits lim;
	swim_package *pkg = NULL;
	swim_buf big = SWIM_BUF_INIT(0);
	char *xml;

	(void)state;
	swim_limits_init(&lim);
	lim.descriptor_max_relations = 3;
	xml = with("<relationships><depends><constraint name=\"a\"/>"
	           "<constraint name=\"b\"/></depends>\n<provides>"
	           "<provide name=\"c\"/><provide name=\"d\"/></provides>"
	           "</relationships>");
	swim_assert_error(swim_descriptor_read(&pkg, xml, strlen(xml), &lim),
	                  SWIM_ELIMIT,
	                  "descriptor.xml:3: <provides>: more than 3 relations");
	free(xml);

	lim.descriptor_max_files = 2;
	xml = with("<file-list><file>a</file><file>b</file>\n<file>c</file></file-list>");
	swim_assert_error(swim_descriptor_read(&pkg, xml, strlen(xml), &lim),
	                  SWIM_ELIMIT,
	                  "descriptor.xml:3: <file-list>: more than 2 files (descriptor_max_files)");
	free(xml);

	lim.descriptor_max_payloads = 1;
	xml = with("<payloads><payload name=\"a\" type=\"vgz\"/>\n"
	           "<payload name=\"b\" type=\"vgz\"/></payloads>");
	swim_assert_error(swim_descriptor_read(&pkg, xml, strlen(xml), &lim),
	                  SWIM_ELIMIT, "<payloads>: more than 1 payloads");
	free(xml);

	lim.descriptor_max_tags = 1;
	xml = with("<software-tags><tag>a</tag>\n<tag>b</tag></software-tags>");
	swim_assert_error(swim_descriptor_read(&pkg, xml, strlen(xml), &lim),
	                  SWIM_ELIMIT, "<software-tags>: more than 1 tags");
	free(xml);

	lim.archive_path_max_bytes = 8;
	xml = with("<file-list><file>opt/123456</file></file-list>");
	swim_assert_error(swim_descriptor_read(&pkg, xml, strlen(xml), &lim),
	                  SWIM_ELIMIT, "<file>: path is 10 bytes, longer than the limit of 8");
	free(xml);

	/* Deep nesting: refused by the XML layer with the element named. */
	swim_limits_init(&lim);
	for (int i = 0; i < 70; i++)
		swim_assert_ok(swim_buf_puts(&big, "<description>"));
	for (int i = 0; i < 70; i++)
		swim_assert_ok(swim_buf_puts(&big, "</description>"));
	xml = with(big.ptr);
	swim_assert_error(swim_descriptor_read(&pkg, xml, strlen(xml), &lim),
	                  SWIM_ELIMIT, "element <description> nested deeper than 64");
	free(xml);

	/* A document over descriptor_max_bytes is refused before parsing. */
	swim_buf_clear(&big);
	swim_assert_ok(swim_buf_puts(&big, "<vib><description>"));
	while (big.len <= lim.descriptor_max_bytes)
		swim_assert_ok(swim_buf_puts(&big, "0123456789abcdef"));
	swim_assert_ok(swim_buf_puts(&big, "</description></vib>"));
	swim_assert_error(swim_descriptor_read(&pkg, big.ptr, big.len, &lim),
	                  SWIM_ELIMIT, "more than the limit of 4194304");
	assert_null(pkg);
	swim_buf_dispose(&big);
}

static void test_descriptor__value_rules(void **state)
{
	static const struct { const char *extra; const char *msg; } cases[] = {
		{ "<tag>x</tag>", "unknown element <tag> in <vib>" },
		{ "<software-tags><tag>a\tb</tag></software-tags>",
		  "<tag> contains a control character" },
		{ "<software-tags><tag/></software-tags>", "<tag> is empty" },
		{ "<urls><url>https://x</url></urls>", "<url> has no 'key' attribute" },
		{ "<relationships><provides><provide name=\"p\" relation=\"=\"/>"
		  "</provides></relationships>",
		  "unknown attribute 'relation' of <provide>" },
		{ "<relationships><depends><constraint name=\"a b\"/></depends>"
		  "</relationships>", "<constraint>: name 'a b' contains a blank" },
		{ "<relationships><depends><constraint name=\"a\" version=\"1\"/>"
		  "</depends></relationships>",
		  "relation and version must be given together" },
		{ "<relationships><depends><constraint name=\"a\">x</constraint>"
		  "</depends></relationships>", "descriptor.xml:2: <constraint>: unexpected text 'x'" },
		{ "<payloads><payload name=\"p\" type=\"vgz\" size=\"-1\"/></payloads>",
		  "attribute 'size' of <payload>: '-1' is not a number" },
		{ "<payloads><payload name=\"p\" type=\"vgz\" size=\"99999999999999999999\"/></payloads>",
		  "attribute 'size' of <payload>: 99999999999999999999 is larger than" },
		{ "<payloads><payload name=\"p\" type=\"vgz\" boot-order=\"9223372036854775808\"/></payloads>",
		  "attribute 'boot-order' of <payload>: 9223372036854775808 is larger than 9223372036854775807" },
		{ "<payloads><payload name=\"sig.pkcs7\" type=\"vgz\"/></payloads>",
		  "name 'sig.pkcs7' is reserved" },
		{ "<payloads><payload name=\"a/b\" type=\"vgz\"/></payloads>",
		  "<payload>: name 'a/b' is not a file name" },
		{ "<payloads><payload name=\"a\"/></payloads>",
		  "<payload> has no 'type' attribute" },
		{ "<payloads><payload name=\"a\" type=\"vgz\"><checksum checksum-type=\"sha-1\">"
		  "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8</checksum><checksum checksum-type=\"sha-1\">"
		  "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8</checksum></payload></payloads>",
		  "payload 'a' has a second sha-1 checksum" },
		{ "<payloads><payload name=\"a\" type=\"vgz\"><file>x</file></payload></payloads>",
		  "unknown element <file> in <payload>" },
		{ "<system-requires><hwplatform model=\"m\"/></system-requires>",
		  "<hwplatform> has no 'vendor' attribute" },
		{ "<system-requires><softwarePlatform version=\"8\"/></system-requires>",
		  "<softwarePlatform> has no 'productLineID' attribute" },
		{ "<system-requires><maintenance-mode>True</maintenance-mode></system-requires>",
		  "<maintenance-mode>: 'True' is not a boolean" },
		{ "<file-list><file>a/./b</file></file-list>", "'.' or '..' component" },
		{ "<file-list><file>a/</file></file-list>", "has an empty" },
		{ "<packed-size>12k</packed-size>", "<packed-size>: '12k' is not a number" },
		{ "<installdate>2020-13-01</installdate>", "<installdate>: '2020-13-01' is not" },
		{ "<release-date>2020-01-01T10:00:00+0100</release-date>", "is not an ISO 8601" },
		{ "<summary>a<b/></summary>", "unexpected element <b> inside <summary>" },
		{ "<relative-path>../x.vib</relative-path>", "<relative-path>: path" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		swim_package *pkg = NULL;
		char *xml = with(cases[i].extra);
		int rc = swim_descriptor_read(&pkg, xml, strlen(xml), NULL);

		if (rc >= 0 || !strstr(swim_error_last(), cases[i].msg) ||
		    !strstr(swim_error_last(), "descriptor.xml:"))
			fail_msg("case %zu: got %d '%s', expected '%s'", i, rc,
			         swim_error_last(), cases[i].msg);
		assert_null(pkg);
		free(xml);
	}
}

static void test_descriptor__named_messages(void **state)
{
	swim_package *pkg = NULL;
	const char *xml = "<vib>\n<type>x</type>\n<bogus/></vib>";

	(void)state;
	swim_assert_error(swim_descriptor_read_named(&pkg, xml, strlen(xml), NULL,
	                                             "pkg.vib:descriptor.xml"),
	                  SWIM_EINVAL,
	                  "pkg.vib:descriptor.xml:3: unknown element <bogus> in <vib>");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_descriptor__certified_driver),
		cmocka_unit_test(test_descriptor__every_optional_element),
		cmocka_unit_test(test_descriptor__relations_and_epochs),
		cmocka_unit_test(test_descriptor__depot_copy),
		cmocka_unit_test(test_descriptor__defaults),
		cmocka_unit_test(test_descriptor__round_trip),
		cmocka_unit_test(test_descriptor__write_order_and_escaping),
		cmocka_unit_test(test_descriptor__depot_fields_only_in_depot_copy),
		cmocka_unit_test(test_descriptor__write_needs_identity),
		cmocka_unit_test(test_descriptor__order_free_comments_and_blanks),
		cmocka_unit_test(test_descriptor__bad_files),
		cmocka_unit_test(test_descriptor__limits),
		cmocka_unit_test(test_descriptor__value_rules),
		cmocka_unit_test(test_descriptor__named_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
