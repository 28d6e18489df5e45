/* The interop namespace (DSP1033 Profile Registration): where clients
 * find the server, its namespaces and the profiles it implements. The
 * registered profiles and the links between them are static instances
 * of schema/swim_profiles.mof, served from the repository as they are;
 * CIM_ElementConformsToProfile ties each profile to the instances that
 * conform to it. */
#include <stdlib.h>
#include <string.h>

#include "providers/providers.h"
#include "util/str.h"

#define NS SWIM_CIM_NS_INTEROP
#define PROFILE_REGISTRATION "DMTF+Profile Registration+1.0.0"

struct conformance {
	char *profile_id;
	swim_cim_path *element;
};

struct swim_interop {
	const swim_cim_repo *repo;
	char *system_name;
	char *om_name;
	char *description;
	struct conformance *conf;   /* fixed once serving starts */
	size_t nconf;
};

static int set_system_keys(swim_cim_instance *inst,
                           const struct swim_interop *ip)
{
	int rc;

	if ((rc = swim_cim_instance_set_string(inst, "SystemCreationClassName",
	                                       "SWIM_ComputerSystem")) < 0)
		return rc;
	return swim_cim_instance_set_string(inst, "SystemName",
	                                    ip->system_name);
}

static int object_manager(swim_cim_instance **out,
                          const struct swim_interop *ip)
{
	static const uint64_t ok[] = { 2 };
	swim_cim_instance *inst = NULL;
	int rc;

	*out = NULL;
	if ((rc = swim_cim_instance_new(&inst, "CIM_ObjectManager")) < 0 ||
	    (rc = set_system_keys(inst, ip)) < 0 ||
	    (rc = swim_cim_instance_set_string(inst, "CreationClassName",
	                                       "CIM_ObjectManager")) < 0 ||
	    (rc = swim_cim_instance_set_string(inst, "Name", ip->om_name)) < 0 ||
	    (rc = swim_cim_instance_set_string(inst, "ElementName",
	                                       "swimd")) < 0 ||
	    (rc = swim_cim_instance_set_string(inst, "Description",
	                                       ip->description)) < 0 ||
	    (rc = swim_cim_instance_set_bool(inst, "Started", true)) < 0 ||
	    (rc = swim_cim_instance_set_bool(inst, "GatherStatisticalData",
	                                     false)) < 0 ||
	    (rc = swim_cim_instance_set_uint(inst, "EnabledState",
	                                     SWIM_CIM_UINT16, 2)) < 0 ||
	    (rc = swim_cim_instance_set_uints(inst, "OperationalStatus",
	                                      SWIM_CIM_UINT16, ok, 1)) < 0) {
		swim_cim_instance_free(inst);
		return rc;
	}
	*out = inst;
	return 0;
}

struct ns_state {
	const struct swim_interop *ip;
	swim_cim_sink *sink;
};

static int one_namespace(const char *ns, void *ctx)
{
	struct ns_state *st = ctx;
	swim_cim_instance *inst = NULL;
	int rc;

	if ((rc = swim_cim_instance_new(&inst, "CIM_Namespace")) < 0 ||
	    (rc = set_system_keys(inst, st->ip)) < 0 ||
	    (rc = swim_cim_instance_set_string(inst,
	                                       "ObjectManagerCreationClassName",
	                                       "CIM_ObjectManager")) < 0 ||
	    (rc = swim_cim_instance_set_string(inst, "ObjectManagerName",
	                                       st->ip->om_name)) < 0 ||
	    (rc = swim_cim_instance_set_string(inst, "CreationClassName",
	                                       "CIM_Namespace")) < 0 ||
	    (rc = swim_cim_instance_set_string(inst, "Name", ns)) < 0 ||
	    (rc = swim_cim_instance_set_uint(inst, "ClassInfo",
	                                     SWIM_CIM_UINT16, 0)) < 0 ||
	    (rc = swim_cim_instance_set_uint(inst, "ClassType",
	                                     SWIM_CIM_UINT16, 2)) < 0 ||
	    (rc = swim_cim_instance_set_string(inst, "ClassTypeVersion",
	                                       "2.49.0")) < 0) {
		swim_cim_instance_free(inst);
		return rc;
	}
	return swim_cim_sink_put(st->sink, inst);
}

static int profile_path(swim_cim_path **out, const char *profile_id)
{
	int rc;

	if ((rc = swim_cim_path_new(out, NULL, NS, "CIM_RegisteredProfile")) < 0)
		return rc;
	if ((rc = swim_cim_path_add_key_string(*out, "InstanceID",
	                                       profile_id)) < 0) {
		swim_cim_path_free(*out);
		*out = NULL;
	}
	return rc;
}

static int conformances(const struct swim_interop *ip, swim_cim_sink *sink)
{
	for (size_t i = 0; i < ip->nconf; i++) {
		swim_cim_instance *inst = NULL;
		swim_cim_path *profile = NULL;
		int rc;

		if ((rc = profile_path(&profile, ip->conf[i].profile_id)) < 0 ||
		    (rc = swim_cim_instance_new(&inst,
		                                "CIM_ElementConformsToProfile")) < 0 ||
		    (rc = swim_cim_instance_set_ref(inst, "ConformantStandard",
		                                    profile)) < 0 ||
		    (rc = swim_cim_instance_set_ref(inst, "ManagedElement",
		                                    ip->conf[i].element)) < 0) {
			swim_cim_path_free(profile);
			swim_cim_instance_free(inst);
			return rc;
		}
		swim_cim_path_free(profile);
		if ((rc = swim_cim_sink_put(sink, inst)) != 0)
			return rc;
	}
	return 0;
}

static int static_one(const swim_cim_instance *inst, void *ctx)
{
	swim_cim_sink *sink = ctx;
	swim_cim_instance *copy = NULL;
	int rc;

	if ((rc = swim_cim_instance_copy(&copy, inst)) < 0)
		return rc;
	return swim_cim_sink_put(sink, copy);
}

static int interop_enumerate(void *ctx, swim_cim_call *call,
                             const swim_cim_class *cls, swim_cim_sink *sink)
{
	struct swim_interop *ip = ctx;
	struct ns_state st = { ip, sink };
	swim_cim_instance *inst = NULL;
	int rc;

	if (swim_str_ieq(cls->name, "CIM_Namespace"))
		return swim_cim_repo_each_namespace(call->repo, one_namespace, &st);
	if (swim_str_ieq(cls->name, "CIM_ObjectManager")) {
		if ((rc = object_manager(&inst, ip)) < 0)
			return rc;
		return swim_cim_sink_put(sink, inst);
	}
	if (swim_str_ieq(cls->name, "CIM_ElementConformsToProfile"))
		return conformances(ip, sink);
	/* CIM_RegisteredProfile, CIM_ReferencedProfile: the schema's. */
	return swim_cim_repo_each_instance(call->repo, NS, cls->name, false,
	                                   static_one, sink);
}

/* CIM_RegisteredProfile.GetCentralInstances: the elements that conform
 * to the profile. */
static int interop_invoke(void *ctx, swim_cim_call *call,
                          const swim_cim_class *cls,
                          const swim_cim_path *path,
                          const swim_cim_method *method,
                          const swim_cim_instance *in, swim_cim_value *ret,
                          swim_cim_instance *out)
{
	struct swim_interop *ip = ctx;
	const swim_cim_value *id = swim_cim_path_key(path, "InstanceID");
	swim_cim_value refs = SWIM_CIM_VALUE_INIT, elem = SWIM_CIM_VALUE_INIT;
	int rc = 0;

	(void)in;
	if (!swim_str_ieq(method->name, "GetCentralInstances"))
		return swim_cim_call_fail(call, SWIM_CIM_ERR_METHOD_NOT_AVAILABLE,
		                          SWIM_ENOTSUPPORTED, "%s.%s is not "
		                          "available", cls->name, method->name);
	swim_cim_value_set_array(&refs, SWIM_CIM_REFERENCE);
	for (size_t i = 0; i < ip->nconf && rc == 0; i++) {
		if (!id || id->type != SWIM_CIM_STRING ||
		    strcmp(id->s, ip->conf[i].profile_id) != 0)
			continue;
		if ((rc = swim_cim_value_set_ref(&elem, ip->conf[i].element)) == 0)
			rc = swim_cim_value_append(&refs, &elem);
	}
	if (rc == 0 && (rc = swim_cim_instance_set(out, "CentralInstances",
	                                           &refs)) == 0)
		rc = swim_cim_value_set_uint(ret, SWIM_CIM_UINT8, 0);
	swim_cim_value_dispose(&elem);
	swim_cim_value_dispose(&refs);
	return rc;
}

static void interop_release(void *ctx)
{
	struct swim_interop *ip = ctx;

	if (!ip)
		return;
	for (size_t i = 0; i < ip->nconf; i++) {
		free(ip->conf[i].profile_id);
		swim_cim_path_free(ip->conf[i].element);
	}
	free(ip->conf);
	free(ip->system_name);
	free(ip->om_name);
	free(ip->description);
	free(ip);
}

static const swim_provider interop_provider = {
	.name = "interop",
	.enumerate = interop_enumerate,
	.invoke = interop_invoke,
	.release = interop_release,
};

int swim_interop_add_conformance(swim_interop *ip, const char *profile_id,
                                 const swim_cim_path *element)
{
	swim_cim_path *profile = NULL;
	struct conformance *grown;
	int rc;

	if ((rc = profile_path(&profile, profile_id)) < 0)
		return rc;
	if (!swim_cim_repo_instance(ip->repo, NS, profile)) {
		swim_cim_path_free(profile);
		return swim_error_set(SWIM_ENOTFOUND, "no registered profile %s",
		                      profile_id);
	}
	swim_cim_path_free(profile);
	if (!(grown = realloc(ip->conf, (ip->nconf + 1) * sizeof(*grown))))
		return swim_error_oom();
	ip->conf = grown;
	grown = &ip->conf[ip->nconf];
	if (!(grown->profile_id = swim_strdup(profile_id)))
		return SWIM_ENOMEM;
	if ((rc = swim_cim_path_copy(&grown->element, element)) < 0) {
		free(grown->profile_id);
		return rc;
	}
	ip->nconf++;
	return 0;
}

int swim_provider_interop_add(swim_interop **out, swim_cimom *om,
                              const swim_interop_config *cfg)
{
	static const swim_provider_class classes[] = {
		{ NS, "CIM_Namespace" },
		{ NS, "CIM_ObjectManager" },
		{ NS, "CIM_RegisteredProfile" },
		{ NS, "CIM_ReferencedProfile" },
		{ NS, "CIM_ElementConformsToProfile" },
	};
	swim_cim_instance *om_inst = NULL;
	swim_cim_path *om_path = NULL;
	swim_buf b = SWIM_BUF_INIT(0);
	const swim_cim_class *cls;
	struct swim_interop *ip;
	int rc;

	if (out)
		*out = NULL;
	if (!(ip = calloc(1, sizeof(*ip))))
		return swim_error_oom();
	ip->repo = swim_cimom_repo(om);
	if ((rc = swim_buf_printf(&b, "swim:%s", cfg->system_name)) < 0 ||
	    !(ip->om_name = swim_buf_detach(&b)) ||
	    (rc = swim_buf_printf(&b, "swimd %s, the swim CIM server",
	                          cfg->version)) < 0 ||
	    !(ip->description = swim_buf_detach(&b)) ||
	    !(ip->system_name = swim_strdup(cfg->system_name))) {
		rc = rc < 0 ? rc : SWIM_ENOMEM;
		goto fail;
	}
	/* The object manager conforms to Profile Registration. */
	if (!(cls = swim_cim_repo_class(ip->repo, NS, "CIM_ObjectManager"))) {
		rc = swim_error_set(SWIM_ENOTFOUND, "interop: no class "
		                    "CIM_ObjectManager in %s", NS);
		goto fail;
	}
	if ((rc = object_manager(&om_inst, ip)) < 0 ||
	    (rc = swim_cim_class_instance_path(&om_path, cls, om_inst, NULL,
	                                       NS)) < 0 ||
	    (rc = swim_interop_add_conformance(ip, PROFILE_REGISTRATION,
	                                       om_path)) < 0 ||
	    (rc = swim_cimom_add_provider(om, &interop_provider, ip, classes,
	                                  SWIM_ARRAY_SIZE(classes))) < 0)
		goto fail;
	if (out)
		*out = ip;
	ip = NULL;
fail:
	swim_buf_dispose(&b);
	swim_cim_path_free(om_path);
	swim_cim_instance_free(om_inst);
	interop_release(ip);
	return rc;
}
