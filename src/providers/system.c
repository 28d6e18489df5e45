/* SWIM_ComputerSystem: the host swim manages, one instance named by
 * --system-name (or the host name). */
#include <stdlib.h>

#include "providers/providers.h"
#include "util/str.h"

#define SYSTEM_CLASS "SWIM_ComputerSystem"

struct system {
	char *name;
};

int swim_provider_system_path(swim_cim_path **out, const char *system_name)
{
	swim_cim_path *p = NULL;
	int rc;

	*out = NULL;
	if ((rc = swim_cim_path_new(&p, NULL, SWIM_CIM_NS_CIMV2,
	                            SYSTEM_CLASS)) < 0 ||
	    (rc = swim_cim_path_add_key_string(p, "CreationClassName",
	                                       SYSTEM_CLASS)) < 0 ||
	    (rc = swim_cim_path_add_key_string(p, "Name", system_name)) < 0) {
		swim_cim_path_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

static int system_enumerate(void *ctx, swim_cim_call *call,
                            const swim_cim_class *cls, swim_cim_sink *sink)
{
	static const uint64_t ok[] = { 2 }, not_dedicated[] = { 0 };
	struct system *sys = ctx;
	swim_cim_instance *inst = NULL;
	int rc;

	(void)call;
	if ((rc = swim_cim_instance_new(&inst, cls->name)) < 0 ||
	    (rc = swim_cim_instance_set_string(inst, "CreationClassName",
	                                       cls->name)) < 0 ||
	    (rc = swim_cim_instance_set_string(inst, "Name", sys->name)) < 0 ||
	    (rc = swim_cim_instance_set_string(inst, "NameFormat", "IP")) < 0 ||
	    (rc = swim_cim_instance_set_string(inst, "ElementName",
	                                       sys->name)) < 0 ||
	    (rc = swim_cim_instance_set_string(inst, "Caption",
	                                       "swim managed host")) < 0 ||
	    (rc = swim_cim_instance_set_string(inst, "Description",
	                                       "The host whose software swim "
	                                       "manages")) < 0 ||
	    (rc = swim_cim_instance_set_uint(inst, "EnabledState",
	                                     SWIM_CIM_UINT16, 2)) < 0 ||
	    (rc = swim_cim_instance_set_uint(inst, "HealthState",
	                                     SWIM_CIM_UINT16, 5)) < 0 ||
	    (rc = swim_cim_instance_set_uints(inst, "OperationalStatus",
	                                      SWIM_CIM_UINT16, ok, 1)) < 0 ||
	    (rc = swim_cim_instance_set_uints(inst, "Dedicated",
	                                      SWIM_CIM_UINT16, not_dedicated,
	                                      1)) < 0) {
		swim_cim_instance_free(inst);
		return rc;
	}
	return swim_cim_sink_put(sink, inst);
}

static void system_release(void *ctx)
{
	struct system *sys = ctx;

	free(sys->name);
	free(sys);
}

static const swim_provider system_provider = {
	.name = "system",
	.enumerate = system_enumerate,
	.release = system_release,
};

int swim_provider_system_add(swim_cimom *om, const char *system_name)
{
	static const swim_provider_class classes[] = {
		{ SWIM_CIM_NS_CIMV2, SYSTEM_CLASS },
	};
	struct system *sys;
	int rc;

	if (!(sys = calloc(1, sizeof(*sys))))
		return swim_error_oom();
	if (!(sys->name = swim_strdup(system_name))) {
		free(sys);
		return SWIM_ENOMEM;
	}
	if ((rc = swim_cimom_add_provider(om, &system_provider, sys, classes,
	                                  SWIM_ARRAY_SIZE(classes))) < 0)
		system_release(sys);
	return rc;
}
