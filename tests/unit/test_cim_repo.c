#include <stdlib.h>
#include <string.h>

#include "cim/filter.h"
#include "cim/mof.h"
#include "cim/repo.h"
#include "support/testutil.h"
#include "swim/error.h"

static const char schema[] =
	"[Abstract, Version(\"1\"), Description(\"base\")]\n"
	"class T_Base {\n"
	"  [Key, Description(\"id\")] string Id;\n"
	"  uint16 Count = 7;\n"
	"  string Label;\n"
	"  uint32 Go([In] uint8 Speed, [In(false), Out] string Result);\n"
	"};\n"
	"class T_Mid : T_Base {\n"
	"  [Override(\"Count\"), Write] uint16 Count = 8;\n"
	"  real64 Extra;\n"
	"  [EmbeddedInstance(\"T_Mid\")] string Child;\n"
	"};\n"
	"class T_Leaf : T_Mid { string Leafy; };\n"
	"class T_Other : T_Base { };\n"
	"[Association] class T_Link {\n"
	"  [Key] T_Base REF A;\n"
	"  [Key] T_Base REF B;\n"
	"};\n"
	"[Association] class T_MidLink : T_Link {\n"
	"  [Override(\"A\")] T_Mid REF A;\n"
	"};\n"
	"class T_Root2 { [Key] uint16 N; sint8 S; datetime When; };\n";

static swim_cim_repo *load_schema(void)
{
	swim_cim_repo *repo = NULL;

	swim_assert_ok(swim_cim_repo_new_default(&repo, NULL));
	swim_assert_ok(swim_cim_mof_load_file(repo, SWIM_SOURCE_DIR
	                                      "/schema/qualifiers.mof",
	                                      "root/cimv2"));
	swim_assert_ok(swim_cim_mof_load_buffer(repo, schema, sizeof(schema) - 1,
	                                        "schema.mof", "root/cimv2",
	                                        NULL, NULL));
	return repo;
}

static void test_cim_repo__namespaces(void **state)
{
	swim_cim_repo *repo = NULL;
	swim_cim_class *cls = NULL;

	(void)state;
	swim_assert_ok(swim_cim_repo_new_default(&repo, NULL));
	assert_string_equal(swim_cim_repo_namespace(repo, "ROOT/CIMv2"),
	                    "root/cimv2");
	assert_string_equal(swim_cim_repo_namespace(repo, "Interop"),
	                    "root/interop");
	assert_null(swim_cim_repo_namespace(repo, "root/nope"));
	swim_assert_error(swim_cim_repo_add_namespace(repo, "root/CIMV2"),
	                  SWIM_EEXISTS, "exists already");
	swim_assert_error(swim_cim_repo_add_alias(repo, "x", "root/nope"),
	                  SWIM_ENOTFOUND, "does not exist");
	swim_assert_error(swim_cim_repo_add_namespace(repo, "/root"),
	                  SWIM_EINVAL, "namespace '/root'");
	swim_assert_ok(swim_cim_class_new(&cls, "T_X", NULL));
	swim_assert_error(swim_cim_repo_add_class(repo, "root/nope", &cls),
	                  SWIM_ENOTFOUND, "namespace root/nope does not exist");
	assert_non_null(cls);
	/* A class without qualifiers needs no declarations. */
	swim_assert_ok(swim_cim_repo_add_class(repo, "interop", &cls));
	assert_null(cls);
	assert_non_null(swim_cim_repo_class(repo, "root/interop", "t_x"));
	assert_null(swim_cim_repo_class(repo, "root/cimv2", "T_X"));
	swim_cim_repo_free(repo);
}

static void test_cim_repo__inheritance(void **state)
{
	swim_cim_repo *repo = load_schema();
	const swim_cim_class *c;
	const swim_cim_property *p;
	const swim_cim_method *m;

	(void)state;
	c = swim_cim_repo_class(repo, "root/cimv2", "T_Leaf");
	assert_non_null(c);
	assert_string_equal(c->superclass, "T_Mid");
	assert_false(c->abstract);   /* Abstract is Restricted */
	assert_true(swim_cim_repo_class(repo, "root/cimv2", "T_Base")->abstract);
	/* Description propagates (ToSubclass); Version does not. */
	assert_non_null(swim_cim_qualifiers_get(&c->quals, "Description"));
	assert_true(swim_cim_qualifiers_get(&c->quals, "Description")->propagated);
	assert_null(swim_cim_qualifiers_get(&c->quals, "Version"));
	/* Inherited properties in order, with their class of origin. */
	assert_int_equal(c->props.n, 6);
	assert_string_equal(c->props.v[0].name, "Id");
	p = swim_cim_class_property(c, "Id");
	assert_true(p->key && p->propagated);
	assert_string_equal(p->class_origin, "T_Base");
	assert_true(swim_cim_qualifiers_true(&p->quals, "Key"));
	p = swim_cim_class_property(c, "Count");
	assert_string_equal(p->class_origin, "T_Mid");
	assert_int_equal(p->value.u, 8);
	assert_true(swim_cim_qualifiers_true(&p->quals, "Write"));
	assert_null(swim_cim_qualifiers_get(&p->quals, "Override"));
	p = swim_cim_class_property(c, "Leafy");
	assert_false(p->propagated);
	assert_string_equal(p->class_origin, "T_Leaf");
	p = swim_cim_class_property(c, "Child");
	assert_int_equal(p->value.type, SWIM_CIM_INSTANCE);
	assert_string_equal(p->refclass, "T_Mid");
	m = swim_cim_class_method(c, "go");
	assert_non_null(m);
	assert_true(m->propagated);
	assert_string_equal(m->class_origin, "T_Base");
	assert_int_equal(swim_cim_class_key_count(c), 1);
	assert_string_equal(swim_cim_class_key(c, 0)->name, "Id");
	assert_null(swim_cim_class_key(c, 1));
	/* The override narrowed the reference and kept it a key. */
	c = swim_cim_repo_class(repo, "root/cimv2", "T_MidLink");
	assert_true(c->association);
	p = swim_cim_class_property(c, "A");
	assert_string_equal(p->refclass, "T_Mid");
	assert_true(p->key);
	assert_true(swim_cim_repo_is_subclass(repo, "root/cimv2", "T_Leaf",
	                                      "t_base"));
	assert_true(swim_cim_repo_is_subclass(repo, "root/cimv2", "T_Leaf",
	                                      "T_Leaf"));
	assert_false(swim_cim_repo_is_subclass(repo, "root/cimv2", "T_Base",
	                                       "T_Leaf"));
	assert_false(swim_cim_repo_is_subclass(repo, "root/cimv2", "T_Other",
	                                       "T_Mid"));
	assert_false(swim_cim_repo_is_subclass(repo, "root/cimv2", "Nope",
	                                       "T_Base"));
	swim_cim_repo_free(repo);
}

static int collect(const swim_cim_class *cls, void *ctx)
{
	swim_buf *b = ctx;

	return swim_buf_printf(b, "%s ", cls->name);
}

static void test_cim_repo__enumeration(void **state)
{
	swim_cim_repo *repo = load_schema();
	swim_buf b = SWIM_BUF_INIT(0);

	(void)state;
	swim_assert_ok(swim_cim_repo_each_class(repo, "root/cimv2", NULL, false,
	                                        collect, &b));
	assert_string_equal(b.ptr, "T_Base T_Link T_Root2 ");
	swim_buf_clear(&b);
	swim_assert_ok(swim_cim_repo_each_class(repo, "root/cimv2", NULL, true,
	                                        collect, &b));
	assert_string_equal(b.ptr, "T_Base T_Mid T_Leaf T_Other T_Link "
	                           "T_MidLink T_Root2 ");
	swim_buf_clear(&b);
	swim_assert_ok(swim_cim_repo_each_class(repo, "root/cimv2", "t_base",
	                                        false, collect, &b));
	assert_string_equal(b.ptr, "T_Mid T_Other ");
	swim_buf_clear(&b);
	swim_assert_ok(swim_cim_repo_each_class(repo, "root/cimv2", "T_Base",
	                                        true, collect, &b));
	assert_string_equal(b.ptr, "T_Mid T_Leaf T_Other ");
	swim_assert_error(swim_cim_repo_each_class(repo, "root/cimv2", "Nope",
	                                           true, collect, &b),
	                  SWIM_ENOTFOUND, "no class Nope in namespace root/cimv2");
	swim_assert_error(swim_cim_repo_each_class(repo, "x/y", NULL, true,
	                                           collect, &b),
	                  SWIM_ENOTFOUND, "namespace x/y does not exist");
	swim_buf_dispose(&b);
	swim_cim_repo_free(repo);
}

static void test_cim_repo__coerce_instance(void **state)
{
	swim_cim_repo *repo = load_schema();
	const swim_cim_class *cls = swim_cim_repo_class(repo, "root/cimv2",
	                                                "T_Mid");
	swim_cim_coerce opt = { SWIM_CIM_COERCE_KEYS | SWIM_CIM_COERCE_DEFAULTS,
	                        NULL, NULL, NULL, SWIM_CIM_OK };
	swim_cim_instance *inst = NULL;
	swim_cim_path *path = NULL;
	swim_buf out = SWIM_BUF_INIT(0);

	(void)state;
	swim_assert_ok(swim_cim_instance_new(&inst, "T_Mid"));
	swim_assert_ok(swim_cim_instance_set_string(inst, "extra", "2.5"));
	swim_assert_ok(swim_cim_instance_set_uint(inst, "COUNT", SWIM_CIM_UINT64,
	                                          3));
	swim_assert_ok(swim_cim_instance_set_string(inst, "Id", "a"));
	swim_assert_ok(swim_cim_class_coerce_instance(cls, inst, &opt));
	/* Class order and spelling, types, defaults, origins. */
	assert_int_equal(inst->props.n, 5);
	assert_string_equal(inst->props.v[0].name, "Id");
	assert_true(inst->props.v[0].key);
	assert_string_equal(inst->props.v[1].name, "Count");
	assert_int_equal(inst->props.v[1].value.type, SWIM_CIM_UINT16);
	assert_string_equal(inst->props.v[1].class_origin, "T_Mid");
	assert_true(inst->props.v[2].value.null);   /* Label: no default */
	assert_true(inst->props.v[3].value.r == 2.5);
	swim_assert_ok(swim_cim_class_instance_path(&path, cls, inst, "h",
	                                            "root/cimv2"));
	swim_assert_ok(swim_cim_path_format(&out, path, 0));
	assert_string_equal(out.ptr, "//h/root/cimv2:T_Mid.Id=\"a\"");
	swim_cim_path_free(path);
	/* Errors, each with its CIM status. */
	swim_assert_ok(swim_cim_instance_set_string(inst, "Bogus", "x"));
	swim_assert_error(swim_cim_class_coerce_instance(cls, inst, &opt),
	                  SWIM_ENOTFOUND, "class T_Mid has no property Bogus");
	assert_int_equal(opt.status, SWIM_CIM_ERR_NO_SUCH_PROPERTY);
	swim_assert_ok(swim_cim_instance_remove(inst, "bogus"));
	swim_assert_ok(swim_cim_instance_set_uint(inst, "Count", SWIM_CIM_UINT32,
	                                          70000));
	swim_assert_error(swim_cim_class_coerce_instance(cls, inst, &opt),
	                  SWIM_EINVAL,
	                  "class T_Mid, property Count: uint16: 70000 is out of range");
	assert_int_equal(opt.status, SWIM_CIM_ERR_TYPE_MISMATCH);
	assert_non_null(swim_cim_instance_value(inst, "Label"));
	swim_assert_ok(swim_cim_instance_set_uint(inst, "Count", SWIM_CIM_UINT32,
	                                          1));
	swim_assert_ok(swim_cim_instance_set_string(inst, "Id", NULL));
	swim_assert_error(swim_cim_class_coerce_instance(cls, inst, &opt),
	                  SWIM_EINVAL, "class T_Mid: key property Id has no value");
	assert_int_equal(opt.status, SWIM_CIM_ERR_INVALID_PARAMETER);
	swim_assert_error(swim_cim_class_instance_path(&path, cls, inst, NULL,
	                                               NULL),
	                  SWIM_EINVAL, "key property Id has no value");
	swim_cim_instance_free(inst);
	swim_buf_dispose(&out);
	swim_cim_repo_free(repo);
}

static void test_cim_repo__coerce_refs(void **state)
{
	swim_cim_repo *repo = load_schema();
	swim_cim_coerce opt = { 0, NULL, NULL, NULL, SWIM_CIM_OK };
	swim_cim_instance *inst = NULL;
	swim_cim_path *path = NULL;

	(void)state;
	/* A path from a URI: the key values take the class's types. */
	swim_assert_ok(swim_cim_path_parse(&path,
		"/root/cimv2:T_MidLink.a=\"/:T_Leaf.ID=\\\"x\\\"\","
		"B=\"/root/cimv2:T_Root2.n=5\"", NULL));
	swim_assert_ok(swim_cim_repo_coerce_path(repo, "root/cimv2", path, &opt));
	assert_string_equal(path->keys[0].name, "A");
	assert_string_equal(swim_cim_path_key(path->keys[0].value.ref, "Id")->s,
	                    "x");
	assert_int_equal(swim_cim_path_key(path->keys[1].value.ref, "N")->type,
	                 SWIM_CIM_UINT16);
	swim_cim_path_free(path);
	swim_assert_ok(swim_cim_path_parse(&path, "/:T_Root2.N=5,S=1", NULL));
	swim_assert_error(swim_cim_repo_coerce_path(repo, "root/cimv2", path,
	                                            &opt),
	                  SWIM_EINVAL, "S is not a key of class T_Root2");
	assert_int_equal(opt.status, SWIM_CIM_ERR_INVALID_PARAMETER);
	swim_cim_path_free(path);
	swim_assert_ok(swim_cim_path_parse(&path, "/:T_Link.A=\"/:T_Base.Id=1\"",
	                                   NULL));
	swim_assert_error(swim_cim_repo_coerce_path(repo, "root/cimv2", path,
	                                            &opt),
	                  SWIM_EINVAL, "class T_Link: key B is missing");
	swim_cim_path_free(path);
	swim_assert_ok(swim_cim_path_parse(&path, "/root/x:T_Root2.N=1", NULL));
	swim_assert_error(swim_cim_repo_coerce_path(repo, "root/cimv2", path,
	                                            &opt),
	                  SWIM_ENOTFOUND, "namespace root/x does not exist");
	assert_int_equal(opt.status, SWIM_CIM_ERR_INVALID_NAMESPACE);
	swim_cim_path_free(path);
	swim_assert_ok(swim_cim_path_parse(&path, "/:T_Gone.N=1", NULL));
	swim_assert_error(swim_cim_repo_coerce_path(repo, "root/cimv2", path,
	                                            &opt),
	                  SWIM_ENOTFOUND, "no class T_Gone in namespace root/cimv2");
	assert_int_equal(opt.status, SWIM_CIM_ERR_INVALID_CLASS);
	swim_cim_path_free(path);
	/* A reference must point at the declared class or a subclass. */
	swim_assert_ok(swim_cim_instance_new(&inst, "T_MidLink"));
	swim_assert_ok(swim_cim_instance_set_string(inst, "A",
	                                            "/:T_Other.Id=\"o\""));
	swim_assert_ok(swim_cim_instance_set_string(inst, "B",
	                                            "/:T_Leaf.Id=\"l\""));
	swim_assert_error(swim_cim_repo_coerce_instance(repo, "root/cimv2", inst,
	                                                &opt),
	                  SWIM_EINVAL, "property A: T_Other is not a T_Mid");
	assert_int_equal(opt.status, SWIM_CIM_ERR_TYPE_MISMATCH);
	swim_assert_ok(swim_cim_instance_set_string(inst, "A",
	                                            "/:T_Leaf.Id=\"o\""));
	swim_assert_ok(swim_cim_repo_coerce_instance(repo, "root/cimv2", inst,
	                                             &opt));
	assert_int_equal(swim_cim_instance_value(inst, "A")->type,
	                 SWIM_CIM_REFERENCE);
	swim_cim_instance_free(inst);
	swim_cim_repo_free(repo);
}

static void test_cim_repo__method_args(void **state)
{
	swim_cim_repo *repo = load_schema();
	const swim_cim_method *m = swim_cim_class_method(
		swim_cim_repo_class(repo, "root/cimv2", "T_Leaf"), "Go");
	swim_cim_coerce opt = { 0, NULL, NULL, NULL, SWIM_CIM_OK };
	swim_cim_instance *args = NULL;

	(void)state;
	swim_assert_ok(swim_cim_instance_new(&args, "__MethodParameters"));
	swim_assert_ok(swim_cim_instance_set_string(args, "speed", "12"));
	swim_assert_ok(swim_cim_method_coerce_args(m, args, &opt));
	assert_string_equal(args->props.v[0].name, "Speed");
	assert_int_equal(args->props.v[0].value.type, SWIM_CIM_UINT8);
	swim_assert_ok(swim_cim_instance_set_string(args, "Result", "x"));
	swim_assert_error(swim_cim_method_coerce_args(m, args, &opt), SWIM_EINVAL,
	                  "parameter Result of method Go is not an input");
	swim_assert_ok(swim_cim_instance_remove(args, "Result"));
	swim_assert_ok(swim_cim_instance_set_string(args, "Gear", "x"));
	swim_assert_error(swim_cim_method_coerce_args(m, args, &opt),
	                  SWIM_ENOTFOUND, "method Go has no parameter Gear");
	assert_int_equal(opt.status, SWIM_CIM_ERR_INVALID_PARAMETER);
	swim_assert_ok(swim_cim_instance_remove(args, "Gear"));
	swim_assert_ok(swim_cim_instance_set_string(args, "Speed", "256"));
	swim_assert_error(swim_cim_method_coerce_args(m, args, &opt), SWIM_EINVAL,
	                  "method Go, parameter Speed: uint8: 256 is out of range");
	swim_cim_instance_free(args);
	/* Outputs: only Out parameters. */
	swim_assert_ok(swim_cim_instance_new(&args, "__MethodParameters"));
	swim_assert_ok(swim_cim_instance_set_string(args, "result", "done"));
	swim_assert_ok(swim_cim_method_coerce_outputs(m, args, &opt));
	assert_string_equal(args->props.v[0].name, "Result");
	swim_assert_ok(swim_cim_instance_set_uint(args, "Speed", SWIM_CIM_UINT8,
	                                          1));
	swim_assert_error(swim_cim_method_coerce_outputs(m, args, &opt),
	                  SWIM_EINVAL, "parameter Speed of method Go is not an "
	                  "output");
	swim_cim_instance_free(args);
	swim_cim_repo_free(repo);
}

static void test_cim_repo__filters(void **state)
{
	swim_cim_repo *repo = load_schema();
	const swim_cim_class *leaf = swim_cim_repo_class(repo, "root/cimv2",
	                                                 "T_Leaf");
	const swim_cim_class *mid = swim_cim_repo_class(repo, "root/cimv2",
	                                                "T_Mid");
	swim_cim_filter getclass = SWIM_CIM_FILTER_GETCLASS;
	swim_cim_filter f = SWIM_CIM_FILTER_GETINSTANCE;
	const char *const list[] = { "label", "LEAFY", "nothing" };
	swim_cim_class *c = NULL;
	swim_cim_instance *inst = NULL;

	(void)state;
	/* GetClass defaults: local elements only, with qualifiers. */
	swim_assert_ok(swim_cim_class_copy(&c, leaf));
	swim_cim_class_filter(c, &getclass);
	assert_int_equal(c->props.n, 1);
	assert_string_equal(c->props.v[0].name, "Leafy");
	assert_null(c->props.v[0].class_origin);
	assert_int_equal(c->nmethods, 0);
	assert_int_equal(c->quals.n, 0);
	swim_cim_class_free(c);
	/* Everything, without qualifiers, with class origins. */
	swim_assert_ok(swim_cim_class_copy(&c, leaf));
	f.include_class_origin = true;
	swim_cim_class_filter(c, &f);
	assert_int_equal(c->props.n, 6);
	assert_int_equal(c->quals.n, 0);
	assert_int_equal(c->props.v[0].quals.n, 0);
	assert_string_equal(c->props.v[0].class_origin, "T_Base");
	assert_int_equal(c->nmethods, 1);
	assert_int_equal(c->methods[0].nparams, 2);
	assert_int_equal(c->methods[0].params[0].quals.n, 0);
	swim_cim_class_free(c);
	/* Instances: PropertyList and DeepInheritance false. */
	swim_assert_ok(swim_cim_instance_new(&inst, "T_Leaf"));
	swim_assert_ok(swim_cim_instance_set_string(inst, "Id", "i"));
	swim_assert_ok(swim_cim_instance_set_string(inst, "Leafy", "l"));
	swim_assert_ok(swim_cim_instance_set_string(inst, "Label", "b"));
	swim_assert_ok(swim_cim_class_coerce_instance(leaf, inst, NULL));
	f.has_property_list = true;
	f.property_list = list;
	f.property_count = 3;
	f.include_class_origin = false;
	swim_cim_instance_filter(inst, &f);
	assert_int_equal(inst->props.n, 2);
	assert_null(inst->props.v[0].class_origin);
	f.has_property_list = false;
	f.shallow_class = mid;
	swim_cim_instance_filter(inst, &f);
	assert_int_equal(inst->props.n, 1);
	assert_string_equal(inst->props.v[0].name, "Label");
	f.property_count = 0;
	f.has_property_list = true;
	swim_cim_instance_filter(inst, &f);
	assert_int_equal(inst->props.n, 0);
	swim_cim_instance_free(inst);
	swim_cim_repo_free(repo);
}

static int count_inst(const swim_cim_instance *inst, void *ctx)
{
	(void)inst;
	(*(int *)ctx)++;
	return 0;
}

static void test_cim_repo__static_instances(void **state)
{
	swim_cim_repo *repo = load_schema();
	swim_cim_instance *inst = NULL;
	swim_cim_path *path = NULL;
	int n = 0;

	(void)state;
	swim_assert_ok(swim_cim_instance_new(&inst, "t_leaf"));
	swim_assert_ok(swim_cim_instance_set_string(inst, "Id", "one"));
	swim_assert_ok(swim_cim_repo_add_instance(repo, "root/cimv2", &inst));
	assert_null(inst);
	swim_assert_ok(swim_cim_instance_new(&inst, "T_Other"));
	swim_assert_ok(swim_cim_instance_set_string(inst, "Id", "one"));
	swim_assert_ok(swim_cim_repo_add_instance(repo, "root/cimv2", &inst));
	swim_assert_ok(swim_cim_instance_new(&inst, "T_Leaf"));
	swim_assert_ok(swim_cim_instance_set_string(inst, "Id", "one"));
	swim_assert_error(swim_cim_repo_add_instance(repo, "root/cimv2", &inst),
	                  SWIM_EEXISTS, "an instance of T_Leaf with these keys");
	swim_cim_instance_free(inst);
	swim_assert_ok(swim_cim_instance_new(&inst, "T_Base"));
	swim_assert_ok(swim_cim_instance_set_string(inst, "Id", "b"));
	swim_assert_error(swim_cim_repo_add_instance(repo, "root/cimv2", &inst),
	                  SWIM_EINVAL, "class T_Base is abstract");
	swim_cim_instance_free(inst);
	swim_assert_ok(swim_cim_repo_each_instance(repo, "root/cimv2", "T_Base",
	                                           true, count_inst, &n));
	assert_int_equal(n, 2);
	n = 0;
	swim_assert_ok(swim_cim_repo_each_instance(repo, "root/cimv2", "T_Base",
	                                           false, count_inst, &n));
	assert_int_equal(n, 0);
	swim_assert_ok(swim_cim_path_parse(&path, "//any/ROOT/cimv2:T_LEAF.id=\"one\"",
	                                   NULL));
	inst = (swim_cim_instance *)swim_cim_repo_instance(repo, "root/cimv2",
	                                                   path);
	assert_non_null(inst);
	assert_string_equal(inst->path->ns, "root/cimv2");
	assert_int_equal(swim_cim_instance_value(inst, "Count")->u, 8);
	swim_cim_path_free(path);
	swim_assert_ok(swim_cim_path_parse(&path, "/:T_Leaf.Id=\"two\"", NULL));
	assert_null(swim_cim_repo_instance(repo, "root/cimv2", path));
	swim_cim_path_free(path);
	swim_cim_repo_free(repo);
}

static void test_cim_repo__programmatic_class(void **state)
{
	swim_cim_repo *repo = load_schema();
	swim_cim_class *cls = NULL;
	swim_cim_property p;
	swim_cim_value v = SWIM_CIM_VALUE_INIT;
	const swim_cim_class *got;

	(void)state;
	swim_assert_ok(swim_cim_class_new(&cls, "T_Built", "T_Base"));
	swim_assert_ok(swim_cim_value_from_string(&v, SWIM_CIM_UINT16, "12",
	                                          NULL));
	swim_assert_ok(swim_cim_property_init(&p, "Count", &v));
	swim_assert_ok(swim_cim_class_add_property(cls, &p));
	swim_assert_ok(swim_cim_value_set_uint(&v, SWIM_CIM_UINT8, 1));
	swim_assert_ok(swim_cim_property_init(&p, "count", &v));
	swim_assert_error(swim_cim_class_add_property(cls, &p), SWIM_EEXISTS,
	                  "class T_Built: property count declared twice");
	swim_cim_property_dispose(&p);
	swim_cim_value_set_bool(&v, true);
	swim_assert_ok(swim_cim_qualifiers_set(&cls->quals, "Description", &v, 0,
	                                       false));
	swim_assert_error(swim_cim_repo_add_class(repo, "root/cimv2", &cls),
	                  SWIM_EINVAL,
	                  "class T_Built: qualifier Description: expected string, "
	                  "got boolean");
	swim_assert_ok(swim_cim_value_set_string(&v, "built"));
	swim_assert_ok(swim_cim_qualifiers_set(&cls->quals, "description", &v, 0,
	                                       false));
	swim_assert_ok(swim_cim_repo_add_class(repo, "root/cimv2", &cls));
	got = swim_cim_repo_class(repo, "root/cimv2", "T_Built");
	assert_int_equal(swim_cim_class_property(got, "Count")->value.u, 12);
	assert_int_equal(swim_cim_qualifiers_get(&got->quals, "Description")->flavor,
	                 SWIM_CIM_FLAVOR_DEFAULT | SWIM_CIM_FLAVOR_TRANSLATABLE);
	swim_cim_repo_free(repo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cim_repo__namespaces),
		cmocka_unit_test(test_cim_repo__inheritance),
		cmocka_unit_test(test_cim_repo__enumeration),
		cmocka_unit_test(test_cim_repo__coerce_instance),
		cmocka_unit_test(test_cim_repo__coerce_refs),
		cmocka_unit_test(test_cim_repo__method_args),
		cmocka_unit_test(test_cim_repo__filters),
		cmocka_unit_test(test_cim_repo__static_instances),
		cmocka_unit_test(test_cim_repo__programmatic_class),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
