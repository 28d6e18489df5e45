#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cim/mof.h"
#include "cim/repo.h"
#include "support/testutil.h"
#include "swim/error.h"

/* Every test starts from the schema's qualifier declarations. */
static swim_cim_repo *new_repo(void)
{
	swim_cim_repo *repo = NULL;

	swim_assert_ok(swim_cim_repo_new_default(&repo, NULL));
	swim_assert_ok(swim_cim_mof_load_file(repo, SWIM_SOURCE_DIR
	                                      "/schema/qualifiers.mof",
	                                      "root/cimv2"));
	return repo;
}

static int load(swim_cim_repo *repo, const char *text)
{
	return swim_cim_mof_load_buffer(repo, text, strlen(text), "t.mof",
	                                "root/cimv2", NULL, NULL);
}

/* Loads text into a fresh repository and expects an error mentioning
 * needle (a "t.mof:line:col: ..." prefix, usually). */
static void fails(const char *text, int code, const char *needle)
{
	swim_cim_repo *repo = new_repo();

	swim_assert_error(load(repo, text), code, needle);
	swim_cim_repo_free(repo);
}

static void test_cim_mof__class_features(void **state)
{
	swim_cim_repo *repo = new_repo();
	const swim_cim_class *c;
	const swim_cim_property *p;
	const swim_cim_method *m;
	const swim_cim_parameter *par;

	(void)state;
	swim_assert_ok(load(repo,
		"// a line comment\n"
		"/* a block comment\n   over lines */\n"
		"[Abstract, Description(\"Base\" \" class\")]\n"
		"CLASS T_Base {\n"
		"  [Key, MaxLen(8)] string Id;\n"
		"  uint8 U8 = 0x1f;\n"
		"  sint16 S16 = -017;\n"
		"  uint32 Bits = 101b;\n"
		"  uint64 Big = 18446744073709551615;\n"
		"  sint64 Small = -9223372036854775808;\n"
		"  real32 R32 = 1.5;\n"
		"  real64 R64 = -.25e2;\n"
		"  char16 C = '\\x41';\n"
		"  string S = \"tab\\tquote\\\"back\\\\slash\\x00e9\";\n"
		"  boolean B = TRUE;\n"
		"  datetime D = \"20250419144402.000000+000\";\n"
		"  string Nothing = NULL;\n"
		"  uint16 List[] = {1, 2, 3};\n"
		"  string Empty[] = {};\n"
		"  string Fixed[4];\n"
		"  [ValueMap {\"0\", \"1\"}] uint32 Do(\n"
		"      [In, Description(\"x\")] string A,\n"
		"      [In(false), Out] T_Base REF R,\n"
		"      [Out] uint16 Many[],\n"
		"      [In] T_Base ref Refs[]);\n"
		"};\n"
		"[Association] class T_Assoc {\n"
		"  [Key] T_Base REF Left;\n"
		"  [key] t_base ref Right = NULL;\n"
		"};\n"));
	c = swim_cim_repo_class(repo, "root/cimv2", "t_base");
	assert_non_null(c);
	assert_true(c->abstract);
	assert_string_equal(swim_cim_qualifiers_string(&c->quals, "description"),
	                    "Base class");
	p = swim_cim_class_property(c, "Id");
	assert_true(p->key);
	assert_int_equal(swim_cim_class_property(c, "U8")->value.u, 31);
	assert_int_equal(swim_cim_class_property(c, "S16")->value.i, -15);
	assert_int_equal(swim_cim_class_property(c, "Bits")->value.u, 5);
	assert_true(swim_cim_class_property(c, "Big")->value.u == UINT64_MAX);
	assert_true(swim_cim_class_property(c, "Small")->value.i == INT64_MIN);
	assert_true(swim_cim_class_property(c, "R32")->value.r == 1.5);
	assert_true(swim_cim_class_property(c, "R64")->value.r == -25.0);
	assert_int_equal(swim_cim_class_property(c, "C")->value.u, 'A');
	assert_string_equal(swim_cim_class_property(c, "S")->value.s,
	                    "tab\tquote\"back\\slash\xc3\xa9");
	assert_true(swim_cim_class_property(c, "B")->value.b);
	assert_int_equal(swim_cim_class_property(c, "D")->value.dt.year, 2025);
	assert_true(swim_cim_class_property(c, "Nothing")->value.null);
	p = swim_cim_class_property(c, "List");
	assert_true(p->value.array);
	assert_int_equal(p->value.a.n, 3);
	assert_int_equal(p->value.a.v[2].u, 3);
	p = swim_cim_class_property(c, "Empty");
	assert_false(p->value.null);
	assert_int_equal(p->value.a.n, 0);
	p = swim_cim_class_property(c, "Fixed");
	assert_true(p->value.array && p->value.null);
	assert_int_equal(p->array_size, 4);
	m = swim_cim_class_method(c, "do");
	assert_non_null(m);
	assert_int_equal(m->type, SWIM_CIM_UINT32);
	assert_int_equal(m->nparams, 4);
	par = swim_cim_method_parameter(m, "A");
	assert_true(par->in && !par->out);
	par = swim_cim_method_parameter(m, "R");
	assert_true(!par->in && par->out);
	assert_int_equal(par->type, SWIM_CIM_REFERENCE);
	assert_string_equal(par->refclass, "T_Base");
	par = swim_cim_method_parameter(m, "Many");
	assert_true(par->in && par->out && par->array);
	par = swim_cim_method_parameter(m, "Refs");
	assert_true(par->array && par->type == SWIM_CIM_REFERENCE);
	c = swim_cim_repo_class(repo, "root/cimv2", "T_Assoc");
	assert_true(c->association);
	assert_string_equal(swim_cim_class_property(c, "Right")->refclass,
	                    "T_Base");
	swim_cim_repo_free(repo);
}

static void test_cim_mof__qualifier_declarations(void **state)
{
	swim_cim_repo *repo = new_repo();
	const swim_cim_qualifier_decl *d;
	const swim_cim_class *c;
	const swim_cim_qualifier *q;

	(void)state;
	swim_assert_ok(load(repo,
		"qualifier TUnits : string[2] = {\"a\", \"b\"}, "
		"scope(property, method), flavor(DisableOverride, Restricted);\n"
		"Qualifier Counter : uint32 = 7, Scope(Any);\n"
		"class T_Q {\n"
		"  [TUnits {\"x\", \"y\"}: EnableOverride ToSubclass,\n"
		"   Counter] uint8 P;\n"
		"  [TUnits(\"one\")] uint8 P2;\n"
		"};\n"));
	d = swim_cim_repo_qualifier_decl(repo, "root/cimv2", "TUNITS");
	assert_non_null(d);
	assert_int_equal(d->type, SWIM_CIM_STRING);
	assert_true(d->array);
	assert_int_equal(d->array_size, 2);
	assert_int_equal(d->value.a.n, 2);
	assert_int_equal(d->scope, SWIM_CIM_SCOPE_PROPERTY | SWIM_CIM_SCOPE_METHOD);
	assert_int_equal(d->flavor, 0);
	d = swim_cim_repo_qualifier_decl(repo, "root/cimv2", "Counter");
	assert_int_equal(d->scope, SWIM_CIM_SCOPE_ANY);
	assert_int_equal(d->flavor, SWIM_CIM_FLAVOR_DEFAULT);
	c = swim_cim_repo_class(repo, "root/cimv2", "T_Q");
	q = swim_cim_qualifiers_get(&swim_cim_class_property(c, "P")->quals,
	                            "TUnits");
	assert_int_equal(q->flavor, SWIM_CIM_FLAVOR_OVERRIDABLE |
	                            SWIM_CIM_FLAVOR_TOSUBCLASS);
	/* A qualifier without a value takes the declared default. */
	q = swim_cim_qualifiers_get(&swim_cim_class_property(c, "P")->quals,
	                            "Counter");
	assert_int_equal(q->value.u, 7);
	/* One value for an array qualifier is a one-element array. */
	q = swim_cim_qualifiers_get(&swim_cim_class_property(c, "P2")->quals,
	                            "TUnits");
	assert_true(q->value.array);
	assert_string_equal(q->value.a.v[0].s, "one");
	swim_cim_repo_free(repo);
}

static void test_cim_mof__instances_and_aliases(void **state)
{
	swim_cim_repo *repo = new_repo();
	const swim_cim_instance *inst;
	swim_cim_path *path = NULL;
	const swim_cim_value *v;

	(void)state;
	swim_assert_ok(load(repo,
		"class T_E { [Key] string Id; uint16 N = 3; string L[]; };\n"
		"[Association] class T_A { [Key] T_E REF X; [Key] T_E REF Y; };\n"
		"instance of T_E as $One { Id = \"one\"; L = {\"a\", NULL}; };\n"
		"Instance Of t_e AS $Two { id = \"two\"; N = 9; };\n"
		"instance of T_A { X = $One; Y = \"/root/cimv2:T_E.Id=\\\"two\\\"\"; };\n"));
	swim_assert_ok(swim_cim_path_parse(&path, "T_E.Id=\"one\"", NULL));
	inst = swim_cim_repo_instance(repo, "root/cimv2", path);
	assert_non_null(inst);
	assert_int_equal(swim_cim_instance_value(inst, "N")->u, 3);
	v = swim_cim_instance_value(inst, "L");
	assert_int_equal(v->a.n, 2);
	assert_true(v->a.v[1].null);
	swim_cim_path_free(path);
	swim_assert_ok(swim_cim_path_parse(&path,
		"/root/cimv2:T_A.X=\"/root/cimv2:T_E.Id=\\\"one\\\"\","
		"Y=\"/root/cimv2:T_E.Id=\\\"two\\\"\"", NULL));
	inst = swim_cim_repo_instance(repo, "root/cimv2", path);
	assert_non_null(inst);
	v = swim_cim_instance_value(inst, "X");
	assert_int_equal(v->type, SWIM_CIM_REFERENCE);
	assert_string_equal(swim_cim_path_key(v->ref, "Id")->s, "one");
	swim_cim_path_free(path);
	swim_cim_repo_free(repo);
}

/* Includes come through the read callback: a small in-memory file
 * system. */
struct memfs {
	const char *names[4];
	const char *texts[4];
	char seen[256];
};

static int mem_read(swim_buf *out, const char *path, void *ctx)
{
	struct memfs *fs = ctx;

	(void)snprintf(fs->seen, sizeof(fs->seen), "%s", path);
	for (int i = 0; i < 4 && fs->names[i]; i++)
		if (strcmp(fs->names[i], path) == 0)
			return swim_buf_puts(out, fs->texts[i]);
	return swim_error_set(SWIM_ENOTFOUND, "%s: no such file", path);
}

static void test_cim_mof__pragmas(void **state)
{
	struct memfs fs = {
		{ "dir/a.mof", "dir/sub/b.mof", "dir/loop.mof" },
		{ "#pragma include(\"sub/b.mof\")\nclass T_A : T_B {};\n",
		  "class T_B { [Key] string K; };\n",
		  "#pragma include(\"loop.mof\")\n" },
		""
	};
	const char *top =
		"#pragma locale(\"en_US\")\n"
		"#pragma include(\"a.mof\")\n"
		"#PRAGMA namespace(\"root/test\")\n"
		"Qualifier Key : boolean = false, Scope(property, reference),\n"
		"    Flavor(DisableOverride);\n"
		"class T_Other { [Key] string K; };\n";
	swim_cim_repo *repo = new_repo();

	(void)state;
	swim_assert_ok(swim_cim_mof_load_buffer(repo, top, strlen(top),
	                                        "dir/top.mof", "root/cimv2",
	                                        mem_read, &fs));
	assert_non_null(swim_cim_repo_class(repo, "root/cimv2", "T_A"));
	assert_true(swim_cim_repo_is_subclass(repo, "root/cimv2", "T_A", "T_B"));
	assert_non_null(swim_cim_repo_class(repo, "root/test", "T_Other"));
	assert_null(swim_cim_repo_class(repo, "root/cimv2", "T_Other"));
	/* A cycle stops at the include depth limit, where it happened. */
	top = "\n  #pragma include(\"loop.mof\")\n";
	swim_assert_error(swim_cim_mof_load_buffer(repo, top, strlen(top),
	                                           "dir/top.mof", "root/cimv2",
	                                           mem_read, &fs),
	                  SWIM_ELIMIT,
	                  "dir/loop.mof:1:1: #pragma include nested deeper than 16");
	top = "#pragma include(\"gone.mof\")\n";
	swim_assert_error(swim_cim_mof_load_buffer(repo, top, strlen(top),
	                                           "dir/top.mof", "root/cimv2",
	                                           mem_read, &fs),
	                  SWIM_ENOTFOUND,
	                  "dir/top.mof:1:1: dir/gone.mof: no such file");
	swim_assert_error(load(repo, "#pragma include(\"x.mof\")\n"),
	                  SWIM_ENOTSUPPORTED,
	                  "t.mof:1:1: #pragma include is not available here");
	swim_assert_error(load(repo, "#pragma include(\"\")\n"), SWIM_ENOTSUPPORTED,
	                  "not available");
	swim_assert_error(load(repo, "#pragma source(\"x\")\n"), SWIM_EINVAL,
	                  "t.mof:1:1: unknown pragma source");
	swim_assert_error(load(repo, "#pragma namespace(\"bad//ns\")\n"),
	                  SWIM_EINVAL, "t.mof:1:1: namespace 'bad//ns'");
	swim_cim_repo_free(repo);
}

static void test_cim_mof__files(void **state)
{
	char *dir = swim_test_tmpdir();
	char path[512], inc[512];
	swim_cim_repo *repo = new_repo();
	const char *text = "#pragma include(\"inc/b.mof\")\n"
	                   "class T_Top : T_Inc {};\n";
	swim_limits lim;

	(void)state;
	(void)snprintf(path, sizeof(path), "%s/top.mof", dir);
	(void)snprintf(inc, sizeof(inc), "%s/inc/b.mof", dir);
	swim_test_write_file(path, text, strlen(text));
	swim_test_write_file(inc, "class T_Inc { string P; };\n", 27);
	swim_assert_ok(swim_cim_mof_load_file(repo, path, "root/cimv2"));
	assert_non_null(swim_cim_repo_class(repo, "root/cimv2", "T_Top"));
	swim_cim_repo_free(repo);
	/* The size limit applies to every file read. */
	swim_limits_init(&lim);
	lim.mof_max_bytes = 20;
	swim_assert_ok(swim_cim_repo_new(&repo, &lim));
	swim_assert_error(swim_cim_mof_load_file(repo, path, "root/cimv2"),
	                  SWIM_ELIMIT, "larger than the limit of 20 bytes");
	swim_assert_error(swim_cim_mof_load_buffer(repo, text, strlen(text),
	                                           "x.mof", "root/cimv2", NULL,
	                                           NULL),
	                  SWIM_ELIMIT, "x.mof: larger than mof_max_bytes");
	swim_cim_repo_free(repo);
	swim_test_rmtree(dir);
	free(dir);
}

static void test_cim_mof__lexical_errors(void **state)
{
	(void)state;
	fails("class T { };\n/* never closed\n", SWIM_EINVAL,
	      "t.mof:2:1: unterminated comment");
	fails("class T { string S = \"open; };\n", SWIM_EINVAL,
	      "t.mof:1:22: unterminated string");
	fails("class T {\n string S = \"\\q\"; };\n", SWIM_EINVAL,
	      "t.mof:2:13: unknown escape");
	fails("class T { string S = \"\\x\"; };", SWIM_EINVAL,
	      "t.mof:1:22: \\x needs 1 to 4 hex digits");
	fails("class T { string S = \"\\x0000\"; };", SWIM_EINVAL,
	      "\\x names no character");
	fails("class T { string S = \"\xc3\"; };", SWIM_EINVAL,
	      "t.mof:1:22: string is not UTF-8");
	fails("class T { uint8 N = 12ab; };", SWIM_EINVAL,
	      "t.mof:1:21: malformed number '12ab'");
	fails("class T { uint64 N = 18446744073709551616; };", SWIM_EINVAL,
	      "t.mof:1:22: number 18446744073709551616 is too large");
	fails("class T { real64 R = 1.0e999; };", SWIM_EINVAL,
	      "real number 1.0e999 is out of range");
	fails("class T { char16 C = 'ab'; };", SWIM_EINVAL,
	      "t.mof:1:22: a character literal holds one UCS-2 character");
	fails("class T { char16 C = '; };", SWIM_EINVAL,
	      "malformed character literal");
	fails("class T { string S; } @", SWIM_EINVAL,
	      "t.mof:1:23: unexpected character '@'");
	fails("class T\x01 {};", SWIM_EINVAL, "t.mof:1:8: unexpected byte 0x01");
	{
		static const char nul[] = "class T {\n string S = \"a\0b\"; };";
		swim_cim_repo *repo = new_repo();

		swim_assert_error(swim_cim_mof_load_buffer(repo, nul,
		                                           sizeof(nul) - 1,
		                                           "t.mof", "root/cimv2",
		                                           NULL, NULL),
		                  SWIM_EINVAL, "t.mof:2:15: unexpected byte 0x00");
		swim_cim_repo_free(repo);
	}
}

static void test_cim_mof__syntax_errors(void **state)
{
	(void)state;
	fails("class T { string S }", SWIM_EINVAL,
	      "t.mof:1:20: syntax error, unexpected '}'");
	fails("class T { string S; }", SWIM_EINVAL,
	      "t.mof:1:21: syntax error, unexpected end of file, expecting ';'");
	fails("class { };", SWIM_EINVAL,
	      "t.mof:1:7: syntax error, unexpected '{'");
	fails("instance T {};", SWIM_EINVAL, "expecting of");
	fails("class T { string S[0]; };", SWIM_EINVAL,
	      "t.mof:1:20: an array size must be a positive number");
	fails("Qualifier Q : uint8, Scope();", SWIM_EINVAL,
	      "t.mof:1:28: syntax error, unexpected ')'");
	fails("[Key(] class T {};", SWIM_EINVAL, "t.mof:1:6: syntax error");
}

static void test_cim_mof__semantic_errors(void **state)
{
	(void)state;
	fails("class T {\n  [Nope] string S; };", SWIM_ENOTFOUND,
	      "t.mof:2:4: qualifier Nope is not declared in root/cimv2");
	fails("class T { [Key, key] string S; };", SWIM_EINVAL,
	      "t.mof:1:17: qualifier key given twice");
	fails("class T { [MaxLen(\"x\")] string S; };", SWIM_EINVAL,
	      "t.mof:1:19: expected uint32, got a string");
	fails("class T { uint8 N = 300; };", SWIM_EINVAL,
	      "t.mof:1:21: uint8: 300 is out of range (0..255)");
	fails("class T { sint8 N = -200; };", SWIM_EINVAL,
	      "t.mof:1:21: sint8: -200 is out of range");
	fails("class T { uint8 N = {1}; };", SWIM_EINVAL,
	      "t.mof:1:21: expected one uint8, got an array");
	fails("class T { uint8 N[] = 1; };", SWIM_EINVAL,
	      "t.mof:1:23: expected an array of uint8 ({...}), got an integer");
	fails("class T { boolean B = 1; };", SWIM_EINVAL,
	      "expected boolean, got an integer");
	fails("class T { datetime D = \"yesterday\"; };", SWIM_EINVAL,
	      "t.mof:1:24: datetime 'yesterday'");
	fails("class T { uint8 N = $X; };", SWIM_EINVAL,
	      "t.mof:1:21: expected uint8, got an alias");
	fails("class T { string S; uint8 s; };", SWIM_EEXISTS,
	      "t.mof:1:27: class T: property s declared twice");
	fails("class T { uint8 M(uint8 A, string a); };", SWIM_EEXISTS,
	      "t.mof:1:35: method M: parameter a declared twice");
	fails("class T { uint8 M(); uint8 m(); };", SWIM_EEXISTS,
	      "t.mof:1:28: class T: method m declared twice");
	fails("class T : Missing { };", SWIM_ENOTFOUND,
	      "t.mof:1:7: class T: superclass Missing does not exist");
	fails("class T { };\nclass t { };", SWIM_EEXISTS,
	      "t.mof:2:7: class t is defined already in root/cimv2");
	fails("class T { T REF R; };", SWIM_EINVAL,
	      "t.mof:1:7: class T, property R: only associations have references");
	fails("[Association] class T { Nope REF R; };", SWIM_ENOTFOUND,
	      "class T, property R: class Nope does not exist");
	fails("class T { [Key] string K; };\nclass U : T { [Key] string K2; };",
	      SWIM_EINVAL,
	      "t.mof:2:7: class U, property K2: cannot be a new key, T has keys");
	fails("class T { string S; };\nclass U : T { uint8 S; };", SWIM_EINVAL,
	      "class U, property S: overrides a string with a uint8");
	fails("class T { string S; };\nclass U : T { [Override(\"X\")] string S; };",
	      SWIM_EINVAL, "Override(\"X\") must name the element it is on");
	fails("class T { [Override(\"S\")] string S; };", SWIM_ENOTFOUND,
	      "class T, property S: Override, but nothing of that name is inherited");
	fails("class T { [Key] string K; };\nclass U : T { [Key(false)] string K; };",
	      SWIM_EINVAL, "qualifier Key cannot be overridden (DisableOverride)");
	fails("[Key] class T { };", SWIM_EINVAL,
	      "t.mof:1:13: class T: qualifier Key may not be used on a class");
	fails("class T { [In] string S; };", SWIM_EINVAL,
	      "class T, property S: qualifier In may not be used on a property");
	fails("class T { [EmbeddedInstance(\"T\")] uint8 E; };", SWIM_EINVAL,
	      "apply to strings only");
	fails("instance of Nope { };", SWIM_ENOTFOUND,
	      "t.mof:1:13: class Nope does not exist in root/cimv2");
	fails("class T { [Key] string K; };\ninstance of T { Bad = 1; };",
	      SWIM_ENOTFOUND, "t.mof:2:17: class T has no property Bad");
	fails("class T { [Key] string K; };\ninstance of T { K = \"a\"; k = \"b\"; };",
	      SWIM_EINVAL, "t.mof:2:26: property K given twice");
	fails("class T { [Key] string K; uint8 N; };\ninstance of T { N = 1; };",
	      SWIM_EINVAL, "t.mof:2:13: class T: key property K has no value");
	fails("class T { [Key] string K; };\n"
	      "instance of T { K = \"a\"; };\ninstance of T { K = \"a\"; };",
	      SWIM_EEXISTS, "t.mof:3:13: an instance of T with these keys exists");
	fails("[Abstract] class T { [Key] string K; };\ninstance of T { K = \"a\"; };",
	      SWIM_EINVAL, "t.mof:2:13: class T is abstract");
	fails("[Association] class T { [Key] T REF R; };\n"
	      "instance of T { R = $Nope; };", SWIM_EINVAL,
	      "t.mof:2:21: alias $Nope is not defined");
	fails("class T { [Key] string K; };\n"
	      "instance of T as $A { K = \"a\"; };\n"
	      "instance of T as $A { K = \"b\"; };", SWIM_EINVAL,
	      "t.mof:3:13: alias $A is defined already");
	fails("class T { [Key] string K; };\n"
	      "instance of T { [Key] K = \"a\"; };", SWIM_EINVAL,
	      "t.mof:2:18: qualifiers on property values are not supported");
	fails("class T { [Key] string K; [EmbeddedInstance(\"T\")] string E; };\n"
	      "instance of T { K = \"a\"; E = \"x\"; };", SWIM_ENOTSUPPORTED,
	      "t.mof:2:26: property E holds embedded objects");
	fails("Qualifier Q : uint8 = 999, Scope(any);", SWIM_EINVAL,
	      "t.mof:1:23: uint8: 999 is out of range");
	fails("Qualifier Key : boolean, Scope(any);", SWIM_EEXISTS,
	      "t.mof:1:11: qualifier Key is declared already");
}

static void test_cim_mof__round_trip(void **state)
{
	swim_cim_repo *a = new_repo(), *b = new_repo();
	swim_buf out = SWIM_BUF_INIT(0);
	const swim_cim_class *ca, *cb;

	(void)state;
	swim_assert_ok(load(a,
		"[Abstract, Description(\"multi\\nline \\\"quoted\\\"\")]\n"
		"class T_R { [Key, MaxLen(4)] string K = \"k\";\n"
		"  uint8 A[] = {1, 2}; real64 X = 2.5; char16 C = 'q';\n"
		"  datetime D = \"00000001000000.000000:000\";\n"
		"  [ValueMap {\"1\"}] uint32 M([In] string P, [Out] T_R REF Q[]);\n"
		"};\n"
		"[Association] class T_RA { [Key] T_R REF L; [Key] T_R REF R; };\n"));
	for (int i = 0; i < 2; i++) {
		const char *name = i ? "T_RA" : "T_R";

		ca = swim_cim_repo_class(a, "root/cimv2", name);
		swim_buf_clear(&out);
		swim_assert_ok(swim_cim_class_to_mof(&out, ca));
		swim_assert_ok(load(b, out.ptr));
		cb = swim_cim_repo_class(b, "root/cimv2", name);
		if (!swim_cim_class_equal(ca, cb))
			fail_msg("class %s changed through MOF:\n%s", name, out.ptr);
	}
	swim_buf_dispose(&out);
	swim_cim_repo_free(a);
	swim_cim_repo_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cim_mof__class_features),
		cmocka_unit_test(test_cim_mof__qualifier_declarations),
		cmocka_unit_test(test_cim_mof__instances_and_aliases),
		cmocka_unit_test(test_cim_mof__pragmas),
		cmocka_unit_test(test_cim_mof__files),
		cmocka_unit_test(test_cim_mof__lexical_errors),
		cmocka_unit_test(test_cim_mof__syntax_errors),
		cmocka_unit_test(test_cim_mof__semantic_errors),
		cmocka_unit_test(test_cim_mof__round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
