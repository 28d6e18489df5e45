/* The object manager around a toy provider that only enumerates (and
 * modifies one class): inheritance, typing what a provider returns, the
 * fallback GetInstance, associations, modification rules, access, limits,
 * registration errors, the one status mapping, cursors that stop and go
 * on (with and without provider positions), and pull sessions. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cim/mof.h"
#include "cimxml/cimom.h"
#include "cimxml/server.h"
#include "cimxml/session.h"
#include "support/testutil.h"
#include "swim/error.h"

static const char schema[] =
	"[Abstract, Version(\"1\"), Description(\"base\")]\n"
	"class T_Base {\n"
	"  [Key, Description(\"id\")] string Id;\n"
	"  uint16 Count = 7;\n"
	"  string Label;\n"
	"};\n"
	"class T_A : T_Base { [Write] string Note; };\n"
	"class T_B : T_A { };\n"
	"class T_Bad : T_Base { };\n"
	"[Association] class T_Link {\n"
	"  [Key] T_Base REF L;\n"
	"  [Key] T_Base REF R;\n"
	"};\n"
	"class T_P { [Key] uint32 N; };\n";

struct toy {
	unsigned modified;          /* modify calls */
	swim_buf changed;           /* the names of the last one */
	uint64_t resumed[8];        /* where T_P's enumerations started */
	unsigned nresumed;
};

/* T_P: five instances at positions 10, 20, ... 50, from where the sink
 * says to resume. */
static int positioned(struct toy *t, swim_cim_sink *sink)
{
	uint64_t after = swim_cim_sink_resume(sink);
	swim_cim_instance *inst = NULL;
	int rc;

	if (t->nresumed < 8)
		t->resumed[t->nresumed++] = after;
	for (unsigned i = 1; i <= 5; i++) {
		if (i * 10 <= after)
			continue;
		if ((rc = swim_cim_instance_new(&inst, "T_P")) < 0 ||
		    (rc = swim_cim_instance_set_uint(inst, "N", SWIM_CIM_UINT32,
		                                     i)) < 0) {
			swim_cim_instance_free(inst);
			return rc;
		}
		if ((rc = swim_cim_sink_put_at(sink, inst, i * 10)) != 0)
			return rc;
	}
	return 0;
}

static int put(swim_cim_sink *sink, const char *cls, const char *id,
               const char *count)
{
	swim_cim_instance *inst = NULL;
	int rc;

	if ((rc = swim_cim_instance_new(&inst, cls)) < 0 ||
	    (rc = swim_cim_instance_set_string(inst, "Id", id)) < 0 ||
	    (count && (rc = swim_cim_instance_set_string(inst, "Count",
	                                                 count)) < 0)) {
		swim_cim_instance_free(inst);
		return rc;
	}
	return swim_cim_sink_put(sink, inst);
}

static int put_link(swim_cim_sink *sink)
{
	swim_cim_instance *inst = NULL;
	swim_cim_path *l = NULL, *r = NULL;
	int rc;

	if ((rc = swim_cim_path_new(&l, NULL, NULL, "T_A")) < 0 ||
	    (rc = swim_cim_path_add_key_string(l, "Id", "a1")) < 0 ||
	    (rc = swim_cim_path_new(&r, NULL, NULL, "T_B")) < 0 ||
	    (rc = swim_cim_path_add_key_string(r, "Id", "b1")) < 0 ||
	    (rc = swim_cim_instance_new(&inst, "T_Link")) < 0 ||
	    (rc = swim_cim_instance_set_ref(inst, "L", l)) < 0 ||
	    (rc = swim_cim_instance_set_ref(inst, "R", r)) < 0) {
		swim_cim_instance_free(inst);
		inst = NULL;
	}
	swim_cim_path_free(l);
	swim_cim_path_free(r);
	return inst ? swim_cim_sink_put(sink, inst) : rc;
}

/* Strings for numbers on purpose: the object manager types them. */
static int toy_enumerate(void *ctx, swim_cim_call *call,
                         const swim_cim_class *cls, swim_cim_sink *sink)
{
	int rc;

	(void)call;
	if (strcmp(cls->name, "T_P") == 0)
		return positioned(ctx, sink);
	if (strcmp(cls->name, "T_A") == 0) {
		if ((rc = put(sink, "T_A", "a1", "5")) != 0)
			return rc;
		return put(sink, "T_A", "a2", NULL);
	}
	if (strcmp(cls->name, "T_B") == 0)
		return put(sink, "T_B", "b1", "65535");
	if (strcmp(cls->name, "T_Bad") == 0)
		return put(sink, "T_A", "x", NULL);
	return put_link(sink);
}

static int toy_modify(void *ctx, swim_cim_call *call,
                      const swim_cim_class *cls,
                      const swim_cim_instance *inst,
                      const char *const *changed, size_t nchanged)
{
	struct toy *t = ctx;

	(void)call;
	(void)cls;
	(void)inst;
	t->modified++;
	swim_buf_clear(&t->changed);
	for (size_t i = 0; i < nchanged; i++)
		if (swim_buf_printf(&t->changed, "%s ", changed[i]) < 0)
			return SWIM_ENOMEM;
	return 0;
}

static const swim_provider toy_provider = {
	.name = "toy",
	.enumerate = toy_enumerate,
	.modify = toy_modify,
};

struct fixture {
	swim_cim_repo *repo;
	swim_cimom *om;
	struct toy toy;
	swim_limits lim;
};

static int setup(void **state)
{
	static const swim_provider_class classes[] = {
		{ "root/cimv2", "T_A" }, { "root/cimv2", "T_B" },
		{ "root/cimv2", "T_Link" }, { "root/cimv2", "T_P" },
	};
	struct fixture *f = calloc(1, sizeof(*f));

	swim_limits_init(&f->lim);
	swim_buf_init(&f->toy.changed, 0);
	swim_assert_ok(swim_cim_repo_new_default(&f->repo, &f->lim));
	swim_assert_ok(swim_cim_mof_load_file(f->repo, SWIM_SOURCE_DIR
	                                      "/schema/qualifiers.mof",
	                                      "root/cimv2"));
	swim_assert_ok(swim_cim_mof_load_buffer(f->repo, schema,
	                                        sizeof(schema) - 1, "t.mof",
	                                        "root/cimv2", NULL, NULL));
	swim_assert_ok(swim_cimom_new(&f->om, f->repo, "h", &f->lim));
	swim_assert_ok(swim_cimom_add_provider(f->om, &toy_provider, &f->toy,
	                                       classes, 4));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	swim_cimom_free(f->om);
	swim_cim_repo_free(f->repo);
	swim_buf_dispose(&f->toy.changed);
	free(f);
	return 0;
}

static void call_init(swim_cim_call *call, struct fixture *f, bool ro)
{
	swim_assert_ok(swim_cim_call_init(call, f->om, "root/cimv2", "u", ro));
}

struct names {
	swim_buf text;              /* the paths returned, each followed by ' ' */
	unsigned n;
};

#define NAMES_INIT { SWIM_BUF_INIT(0), 0 }

static int collect(void *ctx, const swim_cim_object *obj)
{
	struct names *names = ctx;

	assert_int_equal(swim_cim_path_format(&names->text, obj->path, 0), 0);
	assert_int_equal(swim_buf_putc(&names->text, ' '), 0);
	names->n++;
	return 0;
}

static swim_cim_path *path_of(const char *uri)
{
	swim_cim_path *p = NULL;

	swim_assert_ok(swim_cim_path_parse(&p, uri, NULL));
	return p;
}

static void test_cimom__enumerating_a_base_class_reaches_subclasses(void **state)
{
	struct fixture *f = *state;
	struct names names = NAMES_INIT;
	swim_cim_call call;

	call_init(&call, f, false);
	swim_assert_ok(swim_cimom_enum_instances(&call, "t_base", true, NULL,
	                                         collect, &names));
	assert_string_equal(names.text.ptr, "//h/root/cimv2:T_A.Id=\"a1\" "
	                    "//h/root/cimv2:T_A.Id=\"a2\" "
	                    "//h/root/cimv2:T_B.Id=\"b1\" ");
	swim_assert_error(swim_cimom_enum_instances(&call, "T_Nope", true, NULL,
	                                            collect, &names),
	                  SWIM_ENOTFOUND, "no class T_Nope");
	assert_int_equal(call.status, SWIM_CIM_ERR_INVALID_CLASS);
	swim_buf_dispose(&names.text);
}

static void test_cimom__provider_values_are_typed_and_filled(void **state)
{
	struct fixture *f = *state;
	swim_cim_path *p = path_of("T_A.Id=\"a1\"");
	swim_cim_instance *inst = NULL;
	const swim_cim_value *v;
	swim_cim_call call;

	call_init(&call, f, false);
	/* The toy has no get: the object manager enumerates and compares. */
	swim_assert_ok(swim_cimom_get_instance(&inst, &call, p, NULL));
	v = swim_cim_instance_value(inst, "Count");
	assert_non_null(v);
	assert_int_equal(v->type, SWIM_CIM_UINT16);
	assert_int_equal(v->u, 5);
	v = swim_cim_instance_value(inst, "Label");
	assert_non_null(v);
	assert_true(v->null);
	assert_string_equal(inst->path->host, "h");
	assert_string_equal(inst->path->ns, "root/cimv2");
	swim_cim_instance_free(inst);
	inst = NULL;
	/* a2 has no Count: the class default. */
	swim_cim_path_free(p);
	p = path_of("T_A.Id=\"a2\"");
	swim_assert_ok(swim_cimom_get_instance(&inst, &call, p, NULL));
	assert_int_equal(swim_cim_instance_value(inst, "Count")->u, 7);
	swim_cim_instance_free(inst);
	inst = NULL;
	swim_cim_path_free(p);
	/* b1 asked for by its superclass. */
	p = path_of("T_A.Id=\"b1\"");
	swim_assert_ok(swim_cimom_get_instance(&inst, &call, p, NULL));
	assert_string_equal(inst->classname, "T_B");
	swim_cim_instance_free(inst);
	inst = NULL;
	swim_cim_path_free(p);
	p = path_of("T_A.Id=\"zz\"");
	swim_assert_error(swim_cimom_get_instance(&inst, &call, p, NULL),
	                  SWIM_ENOTFOUND, "no instance root/cimv2:T_A.Id=\"zz\"");
	assert_int_equal(swim_cimxml_status(SWIM_ENOTFOUND, call.status),
	                 SWIM_CIM_ERR_NOT_FOUND);
	swim_cim_path_free(p);
	p = path_of("T_A.Nope=\"a1\"");
	swim_assert_error(swim_cimom_get_instance(&inst, &call, p, NULL),
	                  SWIM_EINVAL, "Nope is not a key of class T_A");
	assert_int_equal(call.status, SWIM_CIM_ERR_INVALID_PARAMETER);
	swim_cim_path_free(p);
}

static void test_cimom__associations_over_enumerating_providers(void **state)
{
	struct fixture *f = *state;
	struct names names = NAMES_INIT;
	swim_cim_assoc_filter af = { NULL, NULL, NULL, NULL };
	swim_cim_path *p = path_of("T_A.Id=\"a1\"");
	swim_cim_call call;

	call_init(&call, f, false);
	swim_assert_ok(swim_cimom_associators(&call, p, &af, NULL, collect,
	                                      &names));
	assert_string_equal(names.text.ptr, "//h/root/cimv2:T_B.Id=\"b1\" ");
	swim_buf_clear(&names.text);
	af.role = "R";     /* a1 is L, not R */
	swim_assert_ok(swim_cimom_associators(&call, p, &af, NULL, collect,
	                                      &names));
	assert_string_equal(names.text.ptr, "");
	swim_assert_ok(swim_cimom_references(&call, p, NULL, NULL, collect,
	                                     &names));
	assert_string_equal(names.text.ptr, "//h/root/cimv2:T_Link."
	                    "L=\"/root/cimv2:T_A.Id=\\\"a1\\\"\","
	                    "R=\"/root/cimv2:T_B.Id=\\\"b1\\\"\" ");
	swim_cim_path_free(p);
	swim_buf_dispose(&names.text);
}

static void test_cimom__modify_changes_only_writable_properties(void **state)
{
	struct fixture *f = *state;
	swim_cim_path *p = path_of("T_A.Id=\"a1\"");
	swim_cim_instance *inst = NULL;
	swim_cim_call call;

	call_init(&call, f, false);
	swim_assert_ok(swim_cim_instance_new(&inst, "T_A"));
	swim_assert_ok(swim_cim_instance_set_string(inst, "Note", "hi"));
	swim_assert_ok(swim_cim_instance_set_uint(inst, "Count",
	                                          SWIM_CIM_UINT32, 5));
	/* Count is given with its value: not a change. */
	swim_assert_ok(swim_cimom_modify_instance(&call, p, inst, false, NULL, 0));
	assert_int_equal(f->toy.modified, 1);
	assert_string_equal(f->toy.changed.ptr, "Note ");
	swim_assert_ok(swim_cim_instance_set_uint(inst, "Count",
	                                          SWIM_CIM_UINT32, 6));
	swim_assert_error(swim_cimom_modify_instance(&call, p, inst, false,
	                                             NULL, 0),
	                  SWIM_EINVAL, "property Count of T_A is read-only");
	assert_int_equal(call.status, SWIM_CIM_ERR_INVALID_PARAMETER);
	assert_int_equal(f->toy.modified, 1);
	call_init(&call, f, true);
	swim_assert_error(swim_cimom_modify_instance(&call, p, inst, false,
	                                             NULL, 0),
	                  SWIM_EACCESS, "user u is read-only");
	assert_int_equal(call.status, SWIM_CIM_ERR_ACCESS_DENIED);
	call_init(&call, f, false);
	swim_assert_error(swim_cimom_delete_instance(&call, p),
	                  SWIM_ENOTSUPPORTED, "instances of T_A cannot be deleted");
	assert_int_equal(call.status, SWIM_CIM_ERR_NOT_SUPPORTED);
	swim_cim_instance_free(inst);
	swim_cim_path_free(p);
}

static void test_cimom__results_are_limited(void **state)
{
	struct fixture *f = *state;
	struct names names = NAMES_INIT;
	swim_cim_call call;

	f->lim.cim_max_instances = 2;
	call_init(&call, f, false);
	swim_assert_error(swim_cimom_enum_instances(&call, "T_Base", true, NULL,
	                                            collect, &names),
	                  SWIM_ELIMIT, "more than 2 results (cim_max_instances)");
	assert_int_equal(swim_cimxml_status(SWIM_ELIMIT, call.status),
	                 SWIM_CIM_ERR_SERVER_LIMITS_EXCEEDED);
	assert_int_equal(names.n, 2);
	swim_buf_dispose(&names.text);
}

/* Runs one page of cur: its result and the paths in names. */
static int page(swim_cimom_cursor *cur, swim_cim_call *call,
                unsigned long max, struct names *names)
{
	swim_buf_clear(&names->text);
	return swim_cimom_cursor_next(cur, call, max, collect, names);
}

static void test_cimom__cursors_go_on_where_they_stopped(void **state)
{
	struct fixture *f = *state;
	struct names names = NAMES_INIT;
	swim_cimom_cursor *cur = NULL;
	swim_cim_call call;

	call_init(&call, f, false);
	/* Without positions: each page asks again and skips what went. */
	swim_assert_ok(swim_cimom_cursor_instances(&cur, &call, "T_Base", true,
	                                           NULL, NULL));
	assert_int_equal(page(cur, &call, 1, &names), 1);
	assert_string_equal(names.text.ptr, "//h/root/cimv2:T_A.Id=\"a1\" ");
	assert_int_equal(page(cur, &call, 1, &names), 1);
	assert_string_equal(names.text.ptr, "//h/root/cimv2:T_A.Id=\"a2\" ");
	/* Exactly the last one: the cursor knows it is over. */
	assert_int_equal(page(cur, &call, 1, &names), 0);
	assert_string_equal(names.text.ptr, "//h/root/cimv2:T_B.Id=\"b1\" ");
	assert_int_equal(page(cur, &call, 1, &names), 0);
	assert_string_equal(names.text.ptr, "");
	swim_cimom_cursor_free(cur);
	/* With positions: the provider starts after the last one given. */
	swim_assert_ok(swim_cimom_cursor_instances(&cur, &call, "T_P", true,
	                                           NULL, NULL));
	assert_int_equal(page(cur, &call, 2, &names), 1);
	assert_string_equal(names.text.ptr, "//h/root/cimv2:T_P.N=1 "
	                    "//h/root/cimv2:T_P.N=2 ");
	assert_int_equal(page(cur, &call, 0, &names), 1);
	assert_string_equal(names.text.ptr, "");
	assert_int_equal(page(cur, &call, 2, &names), 1);
	assert_int_equal(page(cur, &call, 2, &names), 0);
	assert_string_equal(names.text.ptr, "//h/root/cimv2:T_P.N=5 ");
	assert_int_equal(f->toy.nresumed, 4);
	assert_int_equal(f->toy.resumed[0], 0);
	assert_int_equal(f->toy.resumed[1], 20);
	assert_int_equal(f->toy.resumed[2], 20);
	assert_int_equal(f->toy.resumed[3], 40);
	swim_cimom_cursor_free(cur);
	swim_buf_dispose(&names.text);
}

static void test_cimom__cursors_filter_with_a_query(void **state)
{
	static const char text[] = "SELECT * FROM T_Base WHERE Count = 5";
	struct fixture *f = *state;
	/* The query is matched against the whole instance, before the
	 * PropertyList leaves Count out. */
	swim_cim_filter none = { true, NULL, 0, false, NULL, false, false };
	struct names names = NAMES_INIT;
	swim_cimom_cursor *cur = NULL;
	swim_cim_query *q = NULL;
	swim_cim_call call;

	call_init(&call, f, false);
	swim_assert_ok(swim_cim_query_parse(&q, "WQL", text, strlen(text), NULL,
	                                    NULL));
	swim_assert_ok(swim_cimom_cursor_instances(&cur, &call, "T_A", true,
	                                           &none, q));
	assert_int_equal(page(cur, &call, 10, &names), 0);
	assert_string_equal(names.text.ptr, "//h/root/cimv2:T_A.Id=\"a1\" ");
	swim_cimom_cursor_free(cur);
	swim_buf_dispose(&names.text);
}

static void test_cimom__pull_sessions(void **state)
{
	struct fixture *f = *state;
	swim_cim_sessions *ss = swim_cimom_sessions(f->om);
	swim_cim_session *s[3] = { NULL, NULL, NULL }, *got = NULL;
	swim_cimom_cursor *cur = NULL;
	swim_cim_call call, other;
	char id[SWIM_CIM_SESSION_ID_LEN + 1];

	f->lim.cim_max_open_contexts_per_user = 2;
	call_init(&call, f, false);
	swim_assert_ok(swim_cim_call_init(&other, f->om, "root/cimv2", "v",
	                                  false));
	for (int i = 0; i < 2; i++) {
		swim_assert_ok(swim_cimom_cursor_instances(&cur, &call, "T_P", true,
		                                           NULL, NULL));
		swim_assert_ok(swim_cim_session_open(&s[i], ss, &call, cur, 7, 60));
		assert_int_equal(strlen(s[i]->id), 32);
		swim_cim_session_put(ss, s[i]);
	}
	assert_string_not_equal(s[0]->id, s[1]->id);
	swim_assert_ok(swim_cimom_cursor_instances(&cur, &call, "T_P", true,
	                                           NULL, NULL));
	swim_assert_error(swim_cim_session_open(&s[2], ss, &call, cur, 7, 60),
	                  SWIM_ELIMIT, "user u has 2 open enumerations already");
	assert_int_equal(call.status, SWIM_CIM_ERR_SERVER_LIMITS_EXCEEDED);
	/* Another user's session is none of ours, and the cap is per user. */
	memcpy(id, s[0]->id, sizeof(id));
	swim_assert_error(swim_cim_session_take(&got, ss, &other, id),
	                  SWIM_ENOTFOUND, "no open enumeration");
	assert_int_equal(other.status, SWIM_CIM_ERR_INVALID_ENUMERATION_CONTEXT);
	swim_assert_ok(swim_cimom_cursor_instances(&cur, &other, "T_P", true,
	                                           NULL, NULL));
	swim_assert_ok(swim_cim_session_open(&s[2], ss, &other, cur, 7, 1));
	swim_cim_session_put(ss, s[2]);
	/* In use: a second request may neither take nor close it. */
	swim_assert_ok(swim_cim_session_take(&got, ss, &call, id));
	assert_int_equal(got->kind, 7);
	swim_assert_error(swim_cim_session_take(&got, ss, &call, id),
	                  SWIM_EBUSY, "in use by another request");
	swim_assert_error(swim_cim_session_close(ss, &call, id), SWIM_EBUSY,
	                  "in use by another request");
	assert_int_equal(call.status, SWIM_CIM_ERR_PULL_CANNOT_BE_ABANDONED);
	swim_cim_session_put(ss, s[0]);
	swim_assert_ok(swim_cim_session_close(ss, &call, id));
	swim_assert_error(swim_cim_session_close(ss, &call, id), SWIM_ENOTFOUND,
	                  "no open enumeration");
	/* v's session expires after a second and is freed. */
	assert_int_equal(swim_cim_sessions_count(ss), 2);
	usleep(1500 * 1000);
	assert_int_equal(swim_cim_sessions_count(ss), 1);
	swim_cim_session_end(ss, s[1]);
	assert_int_equal(swim_cim_sessions_count(ss), 0);
}

static void test_cimom__registration_errors(void **state)
{
	static const swim_provider_class unknown[] = { { "root/cimv2", "T_Nope" } };
	static const swim_provider_class taken[] = { { "root/cimv2", "t_a" } };
	static const swim_provider_class bad[] = { { "root/cimv2", "T_Bad" } };
	static const swim_provider bad_provider = {
		.name = "bad", .enumerate = toy_enumerate,
	};
	struct fixture *f = *state;
	swim_cim_path *p = path_of("T_Bad.Id=\"x\"");
	swim_cim_instance *inst = NULL;
	swim_cim_call call;

	swim_assert_error(swim_cimom_add_provider(f->om, &toy_provider, NULL,
	                                          unknown, 1),
	                  SWIM_ENOTFOUND, "provider toy: no class T_Nope");
	swim_assert_error(swim_cimom_add_provider(f->om, &toy_provider, NULL,
	                                          taken, 1),
	                  SWIM_EEXISTS, "class t_a in root/cimv2 has a provider");
	/* A provider's mistakes are the server's failures, not the
	 * client's. */
	swim_assert_ok(swim_cimom_add_provider(f->om, &bad_provider, NULL, bad, 1));
	call_init(&call, f, false);
	swim_assert_error(swim_cimom_get_instance(&inst, &call, p, NULL),
	                  SWIM_ERROR, "provider bad returned an instance of T_A "
	                  "for class T_Bad");
	assert_int_equal(swim_cimxml_status(SWIM_ERROR, call.status),
	                 SWIM_CIM_ERR_FAILED);
	swim_cim_path_free(p);
}

static void test_cimom__status_mapping(void **state)
{
	(void)state;
	assert_int_equal(swim_cimxml_status(SWIM_ENOTFOUND, SWIM_CIM_OK),
	                 SWIM_CIM_ERR_NOT_FOUND);
	assert_int_equal(swim_cimxml_status(SWIM_EEXISTS, SWIM_CIM_OK),
	                 SWIM_CIM_ERR_ALREADY_EXISTS);
	assert_int_equal(swim_cimxml_status(SWIM_EINVAL, SWIM_CIM_OK),
	                 SWIM_CIM_ERR_INVALID_PARAMETER);
	assert_int_equal(swim_cimxml_status(SWIM_EACCESS, SWIM_CIM_OK),
	                 SWIM_CIM_ERR_ACCESS_DENIED);
	assert_int_equal(swim_cimxml_status(SWIM_ENOTSUPPORTED, SWIM_CIM_OK),
	                 SWIM_CIM_ERR_NOT_SUPPORTED);
	assert_int_equal(swim_cimxml_status(SWIM_ELIMIT, SWIM_CIM_OK),
	                 SWIM_CIM_ERR_SERVER_LIMITS_EXCEEDED);
	assert_int_equal(swim_cimxml_status(SWIM_EIO, SWIM_CIM_OK),
	                 SWIM_CIM_ERR_FAILED);
	/* What the failing code knew wins. */
	assert_int_equal(swim_cimxml_status(SWIM_EINVAL,
	                                    SWIM_CIM_ERR_TYPE_MISMATCH),
	                 SWIM_CIM_ERR_TYPE_MISMATCH);
}

static void serve(struct fixture *f, const char *body, swim_buf *answer)
{
	swim_cimxml_input in = { "u", false, "EnumerateInstances", "root/cimv2",
	                         body, strlen(body), NULL };
	swim_cimxml_output out = { 0, NULL, answer, NULL };

	swim_assert_ok(swim_cimxml_serve(f->om, &in, &out, NULL, NULL));
	assert_int_equal(out.status, 200);
	assert_null(out.stream);
}

static void test_cimom__an_answer_too_large_is_an_error(void **state)
{
	static const char body[] =
		"<?xml version=\"1.0\"?><CIM CIMVERSION=\"2.0\" DTDVERSION=\"2.0\">"
		"<MESSAGE ID=\"9\" PROTOCOLVERSION=\"1.0\"><SIMPLEREQ>"
		"<IMETHODCALL NAME=\"EnumerateInstances\"><LOCALNAMESPACEPATH>"
		"<NAMESPACE NAME=\"root\"/><NAMESPACE NAME=\"cimv2\"/>"
		"</LOCALNAMESPACEPATH><IPARAMVALUE NAME=\"ClassName\">"
		"<CLASSNAME NAME=\"T_Base\"/></IPARAMVALUE></IMETHODCALL>"
		"</SIMPLEREQ></MESSAGE></CIM>";
	struct fixture *f = *state;
	swim_buf answer = SWIM_BUF_INIT(0);

	serve(f, body, &answer);
	assert_non_null(strstr(answer.ptr, "<KEYVALUE VALUETYPE=\"string\" "
	                       "TYPE=\"string\">b1</KEYVALUE>"));
	/* Room for the envelope and an error, not for the instances: the
	 * answer is the error, whole. */
	swim_buf_dispose(&answer);
	swim_buf_init(&answer, 1000);
	serve(f, body, &answer);
	assert_non_null(strstr(answer.ptr, "<ERROR CODE=\"27\""));
	assert_non_null(strstr(answer.ptr, "</CIM>"));
	assert_null(strstr(answer.ptr, "VALUE.NAMEDINSTANCE"));
	swim_buf_dispose(&answer);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cimom__enumerating_a_base_class_reaches_subclasses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cimom__provider_values_are_typed_and_filled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cimom__associations_over_enumerating_providers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cimom__modify_changes_only_writable_properties, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cimom__results_are_limited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cimom__cursors_go_on_where_they_stopped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cimom__cursors_filter_with_a_query, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cimom__pull_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cimom__registration_errors, setup, teardown),
		cmocka_unit_test(test_cimom__status_mapping),
		cmocka_unit_test_setup_teardown(test_cimom__an_answer_too_large_is_an_error, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
