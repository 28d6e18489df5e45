/* The providers swimd registers with its object manager (each file of
 * src/providers is one family of classes; cimxml/provider.h is the
 * interface they implement). */
#ifndef SWIM_PROVIDERS_H
#define SWIM_PROVIDERS_H

#include "cim/path.h"
#include "cimxml/cimom.h"

/* The managed host: SWIM_ComputerSystem in root/cimv2, the scoping
 * instance of the software profiles, named system_name. */
int swim_provider_system_add(swim_cimom *om, const char *system_name);

/* The path of the SWIM_ComputerSystem instance (for other providers'
 * references). @param[out] out freed with swim_cim_path_free(). */
int swim_provider_system_path(swim_cim_path **out, const char *system_name);

/* The interop namespace (root/interop, alias interop): CIM_Namespace for
 * each namespace, CIM_ObjectManager, the registered profiles and the
 * profiles they reference (static instances of the schema, served from
 * the repository), and CIM_ElementConformsToProfile from the
 * conformances added below (Profile Registration -> the object manager
 * from the start). */
typedef struct swim_interop swim_interop;

typedef struct swim_interop_config {
	const char *system_name;   /* the host (SystemName keys) */
	const char *version;       /* swimd's version, in the Description */
} swim_interop_config;

/* Registers the interop provider. *out (may be NULL) is borrowed from om,
 * for adding conformances before serving starts. */
int swim_provider_interop_add(swim_interop **out, swim_cimom *om,
                              const swim_interop_config *cfg);

/* Records that `element` (a full path: host and namespace) is a central
 * or scoping instance of the registered profile whose InstanceID is
 * profile_id ("DMTF+Software Inventory+1.0.1"), which must exist.
 * Called at start, before requests are served. */
int swim_interop_add_conformance(swim_interop *ip, const char *profile_id,
                                 const swim_cim_path *element);

/* swimd's own tests (`swimd --test-classes`): SWIM_TestElement,
 * SWIM_TestSubElement, SWIM_TestAssociation and SWIM_TestPlain of
 * schema/test/swim_test.mof in root/cimv2, kept in memory with every
 * operation (create, modify, delete, associations, TestMethod and the
 * static StaticLength), seeded with three elements, two associations and
 * a plain instance, then `ninstances` more SWIM_TestPlain instances
 * (gen-000001 up; `--test-instances N`). Enumerations resume by creation
 * order (swim_cim_sink_put_at). Not for real servers. */
int swim_provider_test_add(swim_cimom *om, unsigned long ninstances);

#endif
