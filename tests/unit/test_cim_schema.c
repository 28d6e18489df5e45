/* The schema swimd ships: it loads, and the facts clients rely on hold
 * (keys, inheritance, methods with their parameters: wbemcli reads the
 * parameters from GetClass and drops the ones a class does not declare). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cim/mof.h"
#include "cim/repo.h"
#include "support/testutil.h"
#include "swim/error.h"

#define CIMV2 "root/cimv2"
#define INTEROP "root/interop"

static swim_cim_repo *repo;

static int setup(void **state)
{
	const char *extra[] = { SWIM_SOURCE_DIR "/schema/test/swim_test.mof" };

	(void)state;
	if (swim_cim_schema_load(&repo, SWIM_SOURCE_DIR "/schema", extra, 1,
	                         NULL) < 0) {
		fprintf(stderr, "schema: %s\n", swim_error_last());
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	swim_cim_repo_free(repo);
	return 0;
}

static const swim_cim_class *cls(const char *ns, const char *name)
{
	const swim_cim_class *c = swim_cim_repo_class(repo, ns, name);

	if (!c)
		fail_msg("no class %s in %s", name, ns);
	return c;
}

/* The class's key names, space-separated, in class order. */
static void keys(const char *ns, const char *name, const char *want)
{
	const swim_cim_class *c = cls(ns, name);
	swim_buf b = SWIM_BUF_INIT(0);

	for (size_t i = 0; i < swim_cim_class_key_count(c); i++)
		swim_assert_ok(swim_buf_printf(&b, "%s%s", i ? " " : "",
		                               swim_cim_class_key(c, i)->name));
	if (strcmp(b.ptr, want) != 0)
		fail_msg("keys of %s: '%s', expected '%s'", name, b.ptr, want);
	swim_buf_dispose(&b);
}

static void test_cim_schema__keys(void **state)
{
	(void)state;
	keys(CIMV2, "SWIM_ComputerSystem", "Name CreationClassName");
	keys(CIMV2, "SWIM_SoftwareIdentity", "InstanceID");
	keys(CIMV2, "SWIM_ImageProfile", "InstanceID");
	keys(CIMV2, "SWIM_SoftwareInstallationService",
	     "Name SystemCreationClassName SystemName CreationClassName");
	keys(CIMV2, "SWIM_SoftwareIdentityResource",
	     "Name SystemCreationClassName SystemName CreationClassName");
	keys(CIMV2, "SWIM_SoftwareInstallationServiceCapabilities", "InstanceID");
	keys(CIMV2, "SWIM_SoftwareInstallationJob", "InstanceID");
	keys(CIMV2, "SWIM_SoftwareVerificationJob", "InstanceID");
	keys(CIMV2, "SWIM_SoftwareMethodResult", "InstanceID");
	keys(CIMV2, "SWIM_SoftwareIdentityFileCheck",
	     "Name Version SoftwareElementState SoftwareElementID "
	     "TargetOperatingSystem CheckID");
	keys(CIMV2, "SWIM_InstalledSoftwareIdentity", "System InstalledSoftware");
	keys(CIMV2, "SWIM_ElementSoftwareIdentity", "Antecedent Dependent");
	keys(CIMV2, "SWIM_ImageProfileMember", "GroupComponent PartComponent");
	keys(CIMV2, "SWIM_ResourceForSoftwareIdentity",
	     "AvailableSAP ManagedElement");
	keys(CIMV2, "SWIM_AffectedSoftwareJobElement",
	     "AffectedElement AffectingElement");
	keys(CIMV2, "SWIM_OwningSoftwareJobElement", "OwningElement OwnedElement");
	keys(CIMV2, "SWIM_AssociatedSoftwareJobMethodResult", "Job JobParameters");
	keys(CIMV2, "SWIM_SoftwareIdentityChecks", "Element Check");
	keys(CIMV2, "SWIM_HostedService", "Antecedent Dependent");
	keys(CIMV2, "SWIM_ServiceAffectsElement", "AffectedElement AffectingElement");
	keys(CIMV2, "SWIM_ElementCapabilities", "ManagedElement Capabilities");
	keys(CIMV2, "CIM_Error", "");
	keys(CIMV2, "CIM_InstModification", "");
	keys(INTEROP, "CIM_RegisteredProfile", "InstanceID");
	keys(INTEROP, "CIM_ElementConformsToProfile",
	     "ConformantStandard ManagedElement");
	keys(INTEROP, "CIM_ReferencedProfile", "Antecedent Dependent");
	keys(INTEROP, "CIM_ObjectManager",
	     "Name SystemCreationClassName SystemName CreationClassName");
	keys(INTEROP, "CIM_Namespace",
	     "SystemCreationClassName SystemName ObjectManagerCreationClassName "
	     "ObjectManagerName CreationClassName Name");
	keys(INTEROP, "CIM_IndicationService",
	     "Name SystemCreationClassName SystemName CreationClassName");
	keys(INTEROP, "CIM_IndicationServiceCapabilities", "InstanceID");
	keys(INTEROP, "CIM_IndicationFilter",
	     "SystemCreationClassName SystemName CreationClassName Name");
	keys(INTEROP, "CIM_ListenerDestinationCIMXML",
	     "SystemCreationClassName SystemName CreationClassName Name");
	keys(INTEROP, "CIM_IndicationSubscription", "Filter Handler");
	keys(CIMV2, "SWIM_TestElement", "InstanceID");
	keys(CIMV2, "SWIM_TestAssociation", "Source Target");
}

static void test_cim_schema__inheritance(void **state)
{
	static const char *const chains[][2] = {
		{ "SWIM_ComputerSystem", "CIM_System" },
		{ "SWIM_SoftwareIdentity", "CIM_LogicalElement" },
		{ "SWIM_ImageProfile", "CIM_SoftwareIdentity" },
		{ "SWIM_ImageProfileMember", "CIM_OrderedComponent" },
		{ "SWIM_SoftwareIdentityResource", "CIM_ServiceAccessPoint" },
		{ "SWIM_SoftwareInstallationService", "CIM_EnabledLogicalElement" },
		{ "SWIM_SoftwareInstallationJob", "CIM_Job" },
		{ "SWIM_SoftwareIdentityFileCheck", "CIM_Check" },
		{ "SWIM_HostedService", "CIM_Dependency" },
		{ "SWIM_ResourceForSoftwareIdentity", "CIM_SAPAvailableForElement" },
		{ "SWIM_TestSubElement", "CIM_ManagedElement" },
		{ "CIM_InstMethodCall", "CIM_Indication" },
	};
	const swim_cim_class *c;
	const swim_cim_property *p;

	(void)state;
	for (size_t i = 0; i < sizeof(chains) / sizeof(chains[0]); i++)
		if (!swim_cim_repo_is_subclass(repo, CIMV2, chains[i][0],
		                               chains[i][1]))
			fail_msg("%s is no %s", chains[i][0], chains[i][1]);
	assert_true(swim_cim_repo_is_subclass(repo, INTEROP,
	                                      "CIM_RegisteredProfile",
	                                      "CIM_RegisteredSpecification"));
	assert_true(swim_cim_repo_is_subclass(repo, INTEROP, "CIM_ObjectManager",
	                                      "CIM_Service"));
	assert_true(cls(CIMV2, "CIM_ManagedElement")->abstract);
	assert_false(cls(CIMV2, "SWIM_ComputerSystem")->abstract);
	assert_true(cls(CIMV2, "SWIM_InstalledSoftwareIdentity")->association);
	assert_true(cls(CIMV2, "CIM_InstCreation")->indication);
	assert_false(cls(CIMV2, "CIM_InstCreation")->abstract);
	/* Overrides narrow references and keep the key. */
	p = swim_cim_class_property(cls(CIMV2, "SWIM_HostedService"),
	                            "Antecedent");
	assert_string_equal(p->refclass, "SWIM_ComputerSystem");
	assert_true(p->key);
	assert_string_equal(p->class_origin, "SWIM_HostedService");
	/* Embedded objects and instances, and a job's default retention. */
	c = cls(CIMV2, "SWIM_SoftwareInstallationJob");
	assert_int_equal(swim_cim_class_property(c, "JobInParameters")->value.type,
	                 SWIM_CIM_OBJECT);
	p = swim_cim_class_property(c, "TimeBeforeRemoval");
	assert_true(p->value.dt.interval);
	assert_int_equal(p->value.dt.minute, 5);
	assert_true(swim_cim_qualifiers_true(&p->quals, "Required"));
	p = swim_cim_class_property(cls(CIMV2, "SWIM_SoftwareMethodResult"),
	                            "PreCallIndication");
	assert_int_equal(p->value.type, SWIM_CIM_INSTANCE);
	assert_string_equal(p->refclass, "CIM_InstMethodCall");
	p = swim_cim_class_property(cls(CIMV2, "SWIM_SoftwareIdentityFileCheck"),
	                            "FailedFlags");
	assert_true(p->value.array);
	assert_non_null(swim_cim_class_property(
		cls(CIMV2, "SWIM_SoftwareIdentityFileCheck"), "LinkTargetOriginal"));
	assert_string_equal(swim_cim_qualifiers_string(
		&swim_cim_class_property(cls(CIMV2, "SWIM_SoftwareIdentityFileCheck"),
		                         "FileSize")->quals, "Units"), "Bytes");
	p = swim_cim_class_property(cls(CIMV2, "SWIM_TestSubElement"), "PState");
	assert_int_equal(p->value.u, 2);
	assert_string_equal(p->class_origin, "SWIM_TestSubElement");
	assert_true(swim_cim_qualifiers_true(&p->quals, "Required"));
}

/* Each parameter as "Name:type[]:in/out" for comparison. */
static void params(const char *classname, const char *method,
                   const char *want)
{
	const swim_cim_method *m = swim_cim_class_method(cls(CIMV2, classname),
	                                                 method);
	swim_buf b = SWIM_BUF_INIT(0);

	if (!m)
		fail_msg("%s has no method %s", classname, method);
	for (size_t i = 0; i < m->nparams; i++) {
		const swim_cim_parameter *p = &m->params[i];

		swim_assert_ok(swim_buf_printf(&b, "%s%s:%s%s:%s%s", i ? " " : "",
		                               p->name,
		                               p->type == SWIM_CIM_REFERENCE
		                               ? p->refclass
		                               : swim_cim_type_name(p->type),
		                               p->array ? "[]" : "",
		                               p->in ? "in" : "",
		                               p->out ? "out" : ""));
	}
	if (strcmp(b.ptr, want) != 0)
		fail_msg("%s.%s: '%s', expected '%s'", classname, method, b.ptr,
		         want);
	swim_buf_dispose(&b);
}

static void test_cim_schema__methods(void **state)
{
	const swim_cim_method *m;

	(void)state;
	params("SWIM_SoftwareInstallationService", "InstallFromURI",
	       "Job:CIM_ConcreteJob:out URI:string:in "
	       "Target:CIM_ManagedElement:in InstallOptions:uint16[]:in "
	       "InstallOptionsValues:string[]:in");
	params("SWIM_SoftwareInstallationService", "InstallFromSoftwareIdentity",
	       "Job:CIM_ConcreteJob:out InstallOptions:uint16[]:in "
	       "InstallOptionsValues:string[]:in "
	       "Source:CIM_SoftwareIdentity:in Target:CIM_ManagedElement:in "
	       "Collection:CIM_Collection:in");
	params("SWIM_SoftwareInstallationService", "InstallFromByteStream",
	       "Job:CIM_ConcreteJob:out Image:uint8[]:in "
	       "Target:CIM_ManagedElement:in InstallOptions:uint16[]:in "
	       "InstallOptionsValues:string[]:in");
	params("SWIM_SoftwareInstallationService", "CheckSoftwareIdentity",
	       "Source:CIM_SoftwareIdentity:in Target:CIM_ManagedElement:in "
	       "Collection:CIM_Collection:in "
	       "InstallCharacteristics:uint16[]:inout");
	params("SWIM_SoftwareInstallationService", "VerifyInstalledIdentity",
	       "Source:CIM_SoftwareIdentity:in Target:CIM_ManagedElement:in "
	       "Job:CIM_ConcreteJob:out "
	       "Failed:SWIM_SoftwareIdentityFileCheck[]:out");
	params("SWIM_SoftwareInstallationService", "FindIdentity",
	       "Name:string:in Version:string:in Vendor:string:in "
	       "Repository:SWIM_SoftwareIdentityResource:in "
	       "AllowDuplicates:boolean:in ExactMatch:boolean:in "
	       "Installed:boolean:in Matches:SWIM_SoftwareIdentity[]:out");
	params("SWIM_SoftwareInstallationService", "CompareImageProfiles",
	       "ReferenceProfile:SWIM_ImageProfile:in "
	       "ComparisonProfile:SWIM_ImageProfile:in Equal:boolean:out "
	       "PackagesEqual:boolean:out OnlyInRef:string[]:out "
	       "OnlyInComp:string[]:out UpgradeFromRef:string[]:out "
	       "DowngradeFromRef:string[]:out RefAcceptanceLevel:string:out "
	       "CompAcceptanceLevel:string:out");
	params("SWIM_SoftwareInstallationService", "RequestStateChange",
	       "RequestedState:uint16:in Job:CIM_ConcreteJob:out "
	       "TimeoutPeriod:datetime:in");
	params("SWIM_SoftwareInstallationJob", "RequestStateChange",
	       "RequestedState:uint16:in TimeoutPeriod:datetime:in");
	params("SWIM_SoftwareVerificationJob", "GetErrors",
	       "Errors:string[]:inout");
	params("SWIM_SoftwareIdentityFileCheck", "InvokeOnSystem",
	       "TargetSystem:CIM_ComputerSystem:in");
	params("SWIM_TestElement", "StaticLength", "Text:string:in Echo:string:out");
	m = swim_cim_class_method(cls(CIMV2, "SWIM_SoftwareVerificationJob"),
	                          "GetErrors");
	assert_int_equal(m->params[0].type, SWIM_CIM_INSTANCE);
	assert_string_equal(m->params[0].refclass, "CIM_Error");
	m = swim_cim_class_method(cls(CIMV2, "SWIM_SoftwareInstallationService"),
	                          "InstallFromURI");
	assert_int_equal(m->type, SWIM_CIM_UINT32);
	assert_non_null(swim_cim_qualifiers_get(&m->quals, "ValueMap"));
	m = swim_cim_class_method(cls(CIMV2, "SWIM_TestElement"), "StaticLength");
	assert_true(swim_cim_qualifiers_true(&m->quals, "Static"));
	m = swim_cim_class_method(cls(CIMV2, "SWIM_TestElement"), "TestMethod");
	assert_int_equal(m->nparams, 18);
	assert_int_equal(swim_cim_method_parameter(m, "InObject")->type,
	                 SWIM_CIM_OBJECT);
	assert_true(swim_cim_method_parameter(m, "InRefs")->array);
}

static int count_inst(const swim_cim_instance *inst, void *ctx)
{
	(void)inst;
	(*(int *)ctx)++;
	return 0;
}

static void test_cim_schema__interop(void **state)
{
	swim_cim_path *path = NULL;
	const swim_cim_instance *inst;
	int n = 0;

	(void)state;
	swim_assert_ok(swim_cim_repo_each_instance(repo, "interop",
	                                           "CIM_RegisteredProfile", true,
	                                           count_inst, &n));
	/* Only what swimd implements is registered. */
	assert_int_equal(n, 1);
	n = 0;
	swim_assert_ok(swim_cim_repo_each_instance(repo, INTEROP,
	                                           "CIM_ReferencedProfile", true,
	                                           count_inst, &n));
	assert_int_equal(n, 0);
	swim_assert_ok(swim_cim_path_parse(&path,
		"root/interop:CIM_RegisteredProfile."
		"InstanceID=\"DMTF+Profile Registration+1.0.0\"", NULL));
	inst = swim_cim_repo_instance(repo, INTEROP, path);
	assert_non_null(inst);
	assert_string_equal(swim_cim_instance_value(inst, "RegisteredName")->s,
	                    "Profile Registration");
	assert_int_equal(swim_cim_instance_value(inst, "RegisteredOrganization")->u,
	                 2);
	swim_cim_path_free(path);
	/* Interop has its own classes; software classes stay in cimv2. */
	assert_null(swim_cim_repo_class(repo, INTEROP, "SWIM_SoftwareIdentity"));
	assert_null(swim_cim_repo_class(repo, CIMV2, "CIM_RegisteredProfile"));
	assert_non_null(swim_cim_repo_class(repo, CIMV2, "CIM_InstModification"));
	assert_non_null(swim_cim_repo_class(repo, INTEROP, "CIM_InstModification"));
}

/* Looking a class up per request must cost next to nothing. */
static void test_cim_schema__lookup_speed(void **state)
{
	static const char *const names[] = {
		"SWIM_SoftwareIdentity", "cim_managedelement",
		"SWIM_SOFTWAREINSTALLATIONJOB", "CIM_Indication",
	};
	struct timespec t0, t1;
	const int rounds = 1000000;
	double ns_per;
	int found = 0;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < rounds; i++)
		found += swim_cim_repo_class(repo, CIMV2, names[i & 3]) != NULL;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(found, rounds);
	ns_per = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
	          (double)(t1.tv_nsec - t0.tv_nsec)) / rounds;
	printf("class lookup: %.0f ns (namespace + class, case-insensitive)\n",
	       ns_per);
	/* Generous, so sanitizer builds on a busy machine pass too. */
	assert_true(ns_per < 20000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cim_schema__keys),
		cmocka_unit_test(test_cim_schema__inheritance),
		cmocka_unit_test(test_cim_schema__methods),
		cmocka_unit_test(test_cim_schema__interop),
		cmocka_unit_test(test_cim_schema__lookup_speed),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
