/* libFuzzer target for the query language: any input is parsed as WQL
 * and as CQL; a failure must say what is wrong with a CIM status that
 * fits its code; a query that parses is checked against a small schema,
 * then matched against and projected onto fixed instances (an indication
 * with embedded jobs, a job, an association) without crashing, and
 * SELECT * must give back each instance as it was. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cim/mof.h"
#include "cim/query.h"
#include "cim/repo.h"
#include "swim/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NS "root/cimv2"

static const char schema[] =
	"Qualifier Key : boolean = false, Scope(property, reference),\n"
	"    Flavor(DisableOverride, ToSubclass);\n"
	"Qualifier Association : boolean = false, Scope(association),\n"
	"    Flavor(DisableOverride, ToSubclass);\n"
	"Qualifier Indication : boolean = false, Scope(class, indication),\n"
	"    Flavor(DisableOverride, ToSubclass);\n"
	"Qualifier EmbeddedObject : boolean = false,\n"
	"    Scope(property, method, parameter),\n"
	"    Flavor(DisableOverride, ToSubclass);\n"
	"Qualifier EmbeddedInstance : string = null,\n"
	"    Scope(property, method, parameter),\n"
	"    Flavor(EnableOverride, ToSubclass);\n"
	"class F_Job {\n"
	"  [Key] string Id; string Name; uint16 State; uint16 Status[];\n"
	"  datetime When; real64 R; sint32 S; boolean B; char16 C;\n"
	"  string Tags[];\n"
	"  [EmbeddedInstance(\"F_Job\")] string Child;\n"
	"  [EmbeddedInstance(\"F_Job\")] string Kids[];\n"
	"};\n"
	"class F_SubJob : F_Job { uint64 Big; };\n"
	"[Indication] class F_Ind {\n"
	"  [EmbeddedObject] string SourceInstance;\n"
	"  [EmbeddedObject] string PreviousInstance;\n"
	"  sint64 SequenceNumber;\n"
	"};\n"
	"[Indication] class F_Mod : F_Ind { };\n"
	"[Association] class F_Link { [Key] F_Job REF A; [Key] F_Job REF B; };\n";

static swim_cim_instance *job(const char *cls, const char *id,
                              unsigned state)
{
	static const uint64_t status[] = { 2, 17 };
	static const char *const tags[] = { "a", "b%c" };
	swim_cim_instance *j = NULL;
	swim_cim_datetime dt;
	swim_cim_value v = SWIM_CIM_VALUE_INIT;

	if (swim_cim_instance_new(&j, cls) < 0)
		return NULL;
	(void)swim_cim_instance_set_string(j, "Id", id);
	(void)swim_cim_instance_set_string(j, "Name", "job \xc3\xa9t\xc3\xa9");
	(void)swim_cim_instance_set_uint(j, "State", SWIM_CIM_UINT16, state);
	(void)swim_cim_instance_set_uints(j, "Status", SWIM_CIM_UINT16, status,
	                                  2);
	if (swim_cim_datetime_parse(&dt, "20250419144402.000000+000") == 0)
		(void)swim_cim_instance_set_datetime(j, "When", &dt);
	if (swim_cim_value_set_real(&v, SWIM_CIM_REAL64, -2.5) == 0)
		(void)swim_cim_instance_set(j, "R", &v);
	(void)swim_cim_instance_set_sint(j, "S", SWIM_CIM_SINT32, -7);
	(void)swim_cim_instance_set_bool(j, "B", true);
	if (swim_cim_value_set_char16(&v, 'c') == 0)
		(void)swim_cim_instance_set(j, "C", &v);
	(void)swim_cim_instance_set_strings(j, "Tags", tags, 2);
	(void)swim_cim_instance_set_null(j, "Big", SWIM_CIM_UINT64, false);
	swim_cim_value_dispose(&v);
	return j;
}

/* The instances every query that parses meets; NULL entries when out of
 * memory. */
static void fixtures(swim_cim_instance *out[3])
{
	swim_cim_instance *src = job("F_SubJob", "1", 7), *ind = NULL;
	swim_cim_value v = SWIM_CIM_VALUE_INIT, e = SWIM_CIM_VALUE_INIT;
	swim_cim_path *a = NULL;

	if (src) {
		swim_cim_value_take_instance(&v, job("F_Job", "child", 2));
		(void)swim_cim_instance_set(src, "Child", &v);
		swim_cim_value_set_array(&v, SWIM_CIM_INSTANCE);
		swim_cim_value_take_instance(&e, job("F_Job", "k1", 3));
		(void)swim_cim_value_append(&v, &e);
		(void)swim_cim_value_append(&v, &e);     /* a NULL element */
		(void)swim_cim_instance_set(src, "Kids", &v);
	}
	if (swim_cim_instance_new(&ind, "F_Mod") == 0) {
		swim_cim_value_take_object(&v, src, NULL);
		src = NULL;
		(void)swim_cim_instance_set(ind, "SourceInstance", &v);
		swim_cim_value_take_object(&v, job("F_Job", "1", 4), NULL);
		(void)swim_cim_instance_set(ind, "PreviousInstance", &v);
		(void)swim_cim_instance_set_sint(ind, "SequenceNumber",
		                                 SWIM_CIM_SINT64, 3);
	}
	swim_cim_instance_free(src);
	swim_cim_value_dispose(&v);
	swim_cim_value_dispose(&e);
	out[0] = ind;
	out[1] = job("F_SubJob", "2", 4);
	out[2] = NULL;
	if (swim_cim_instance_new(&out[2], "F_Link") == 0 &&
	    swim_cim_path_parse(&a, "/root/cimv2:F_Job.Id=\"1\"", NULL) == 0) {
		(void)swim_cim_instance_set_ref(out[2], "A", a);
		(void)swim_cim_instance_set_ref(out[2], "B", a);
	}
	swim_cim_path_free(a);
}

static void failed(int rc, swim_cim_status st)
{
	bool fits = rc == SWIM_ENOTSUPPORTED
	            ? st == SWIM_CIM_ERR_QUERY_LANGUAGE_NOT_SUPPORTED
	            : rc == SWIM_ENOMEM ? st == SWIM_CIM_ERR_FAILED
	            : st == SWIM_CIM_ERR_INVALID_QUERY;

	if (!*swim_error_last() || !fits)
		abort();
}

static void run(const swim_cim_query *q, const swim_cim_repo *repo,
                swim_cim_instance *const inst[3])
{
	swim_cim_status st = SWIM_CIM_OK;
	swim_cim_instance *out = NULL;
	int rc;
	bool m;

	swim_error_clear();
	if ((rc = swim_cim_query_check(q, repo, NS, 0, &st)) < 0)
		failed(rc, st);
	for (int i = 0; i < 3; i++) {
		if (!inst[i])
			continue;
		if (swim_cim_query_match(&m, q, inst[i], repo, NS) < 0 &&
		    swim_error_last_code() != SWIM_ENOMEM)
			abort();
		if (swim_cim_query_project(&out, q, inst[i], repo, NS) < 0)
			continue;
		if (swim_cim_query_selects_all(q) &&
		    !swim_cim_instance_equal(out, inst[i]))
			abort();
		swim_cim_instance_free(out);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const langs[] = { "WQL", "CQL" };
	swim_cim_instance *inst[3] = { NULL, NULL, NULL };
	swim_cim_repo *repo = NULL;

	for (int l = 0; l < 2; l++) {
		swim_cim_query *q = NULL;
		swim_cim_status st = SWIM_CIM_OK;
		int rc;

		swim_error_clear();
		rc = swim_cim_query_parse(&q, langs[l], (const char *)data, size,
		                          NULL, &st);
		if (rc < 0) {
			failed(rc, st);
			continue;
		}
		if (!swim_cim_query_from(q))
			abort();
		if (!repo && swim_cim_repo_new_default(&repo, NULL) == 0) {
			if (swim_cim_mof_load_buffer(repo, schema,
			                             sizeof(schema) - 1, "fuzz.mof",
			                             NS, NULL, NULL) < 0)
				abort();
			fixtures(inst);
		}
		if (repo)
			run(q, repo, inst);
		swim_cim_query_free(q);
	}
	for (int i = 0; i < 3; i++)
		swim_cim_instance_free(inst[i]);
	swim_cim_repo_free(repo);
	return 0;
}
