/* Providers: the code that knows the instances of a class.
 *
 * A provider registers, per namespace and class, the operations it
 * implements; the object manager (cimxml/cimom.h) does the rest around
 * it: inheritance (enumerating CIM_ManagedElement asks every subclass's
 * provider), association traversal (Associators, References and their
 * Names over the providers of the association classes), filtering
 * (PropertyList, DeepInheritance, qualifiers, class origins), typing and
 * defaults (what a provider returns is coerced against the class, so it
 * may set "5" or an uint64 for a uint16 and leave properties out), paths,
 * GetProperty/SetProperty on top of get and modify, access control and
 * the audit line. A provider only ever sees its own classes.
 *
 * Every operation is optional:
 *   enumerate  the instances whose class is exactly cls (required for a
 *              provider that has instances at all)
 *   get        one instance by path; without it the object manager
 *              enumerates and compares paths
 *   create / modify / remove   CreateInstance / ModifyInstance (and
 *              SetProperty) / DeleteInstance; without them
 *              CIM_ERR_NOT_SUPPORTED
 *   invoke     extrinsic methods, instance and static
 *
 * Calls come from several HTTP worker threads at once: a provider with
 * mutable state locks it. Operations return 0 or a negative SWIM_E* code
 * with the message in the error slot; SWIM_ENOTFOUND means
 * CIM_ERR_NOT_FOUND, SWIM_EEXISTS CIM_ERR_ALREADY_EXISTS, SWIM_EINVAL
 * CIM_ERR_INVALID_PARAMETER, SWIM_ENOTSUPPORTED CIM_ERR_NOT_SUPPORTED,
 * SWIM_EACCESS CIM_ERR_ACCESS_DENIED, anything else CIM_ERR_FAILED;
 * swim_cim_call_fail() gives any other status.
 */
#ifndef SWIM_CIMXML_PROVIDER_H
#define SWIM_CIMXML_PROVIDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cim/class.h"
#include "cim/instance.h"
#include "cim/path.h"
#include "cim/repo.h"
#include "cim/status.h"
#include "swim/error.h"

typedef struct swim_cimom swim_cimom;

/* One operation in progress, as the object manager and providers see it.
 * Borrowed by providers for the duration of a call. */
typedef struct swim_cim_call {
	swim_cimom *om;
	const swim_cim_repo *repo;
	const char *ns;            /* canonical namespace ("root/cimv2") */
	const char *host;          /* the host name in paths */
	const char *user;          /* authenticated user; NULL inside swimd */
	bool read_only;            /* the user may not change anything */
	swim_cim_status status;    /* of the failure, when set explicitly */
	unsigned long count;       /* objects returned so far (limits) */
	bool class_origin;         /* instances made for this call keep the
	                            * class origin of their properties
	                            * (IncludeClassOrigin); else it is left
	                            * out from the start */
	/* Decodes strings a client sent for embedded objects (the CIM-XML
	 * reader sets it; NULL: such strings are type mismatches). */
	swim_cim_embedded_fn embedded;
	void *embedded_ctx;
} swim_cim_call;

/* Sets the message and the CIM status of a failure; returns code (a
 * negative SWIM_E*), so `return swim_cim_call_fail(call,
 * SWIM_CIM_ERR_NO_SUCH_PROPERTY, SWIM_EINVAL, "...")` reads naturally. */
int swim_cim_call_fail(swim_cim_call *call, swim_cim_status status,
                       int code, const char *fmt, ...) SWIM_PRINTF(4, 5);

/* Where enumerate puts instances. An enumeration may stop part way (a
 * page of a pull enumeration, a part of a streamed answer) and go on
 * later from where it stopped, in a new call to enumerate: every
 * instance has a position, and the sink says after which position to
 * start (swim_cim_sink_resume()). */
typedef struct swim_cim_sink {
	int (*put)(void *ctx, swim_cim_instance *inst, uint64_t pos);
	void *ctx;
	uint64_t after;            /* deliver what comes after this */
	uint64_t last;             /* position of the last put */
} swim_cim_sink;

/* Hands inst over (it is freed in every case). A non-zero return is
 * returned at once by the provider: negative is an error, positive means
 * the object manager has what it wanted and the enumeration stops. The
 * position of inst is its ordinal in this call (1, 2, ...): what the
 * sink resumes after is dropped here, so a provider that knows no better
 * position restarts from its first instance each time, and must produce
 * its instances in the same order each time. */
int swim_cim_sink_put(swim_cim_sink *sink, swim_cim_instance *inst);

/* The same with the provider's own position of inst: any number from 1
 * up that grows with each instance of the class, and is the same the
 * next time (a creation sequence number, a row id). A provider that puts
 * positions skips what swim_cim_sink_resume() says was delivered, so a
 * long enumeration costs no more than one pass. */
int swim_cim_sink_put_at(swim_cim_sink *sink, swim_cim_instance *inst,
                         uint64_t pos);

/* 0 for an enumeration from the start, else the position after which
 * it goes on: a provider with positions starts at the first instance
 * whose position is greater. */
uint64_t swim_cim_sink_resume(const swim_cim_sink *sink);

typedef struct swim_provider {
	const char *name;          /* in messages: "interop" */

	/* Every instance whose class is exactly cls->name, through
	 * swim_cim_sink_put() or, with positions, swim_cim_sink_put_at()
	 * from after swim_cim_sink_resume(). Keys must be set; other
	 * properties may be left out (they come back NULL or with the class
	 * default). */
	int (*enumerate)(void *ctx, swim_cim_call *call,
	                 const swim_cim_class *cls, swim_cim_sink *sink);

	/* The instance at path (keys typed as the class declares them, class
	 * name cls->name); SWIM_ENOTFOUND when there is none. */
	int (*get)(void *ctx, swim_cim_call *call, const swim_cim_class *cls,
	           const swim_cim_path *path, swim_cim_instance **out);

	/* A new instance, checked against the class with defaults filled.
	 * The provider may set keys the client left out (generated ids);
	 * the instance's path is made from its keys afterwards.
	 * SWIM_EEXISTS when it exists. */
	int (*create)(void *ctx, swim_cim_call *call, const swim_cim_class *cls,
	              swim_cim_instance *inst);

	/* inst is the whole instance as it is to be (inst->path is set): the
	 * current one with the changed properties, named in `changed`,
	 * already replaced. Only properties with the Write qualifier
	 * change; keys never do. */
	int (*modify)(void *ctx, swim_cim_call *call, const swim_cim_class *cls,
	              const swim_cim_instance *inst,
	              const char *const *changed, size_t nchanged);

	/* Deletes the instance at path; SWIM_ENOTFOUND when there is none. */
	int (*remove)(void *ctx, swim_cim_call *call, const swim_cim_class *cls,
	              const swim_cim_path *path);

	/* Calls method on the instance at path (which exists) or, for a
	 * static method, on the class (path is a class path). `in` holds the
	 * input arguments the client gave, typed; the provider sets *ret and
	 * adds output arguments to `out` as properties. Both are checked
	 * against the method's declaration afterwards. */
	int (*invoke)(void *ctx, swim_cim_call *call, const swim_cim_class *cls,
	              const swim_cim_path *path, const swim_cim_method *method,
	              const swim_cim_instance *in, swim_cim_value *ret,
	              swim_cim_instance *out);

	/* Frees ctx when the object manager goes (may be NULL). */
	void (*release)(void *ctx);
} swim_provider;

/* A class a provider serves. */
typedef struct swim_provider_class {
	const char *ns;            /* "root/cimv2" */
	const char *classname;
} swim_provider_class;

/* Registers prov (borrowed: it must outlive om; usually a static const)
 * with ctx for the n classes given. Each class must exist in the
 * repository (SWIM_ENOTFOUND naming it) and have no provider yet
 * (SWIM_EEXISTS). On success om owns ctx and calls prov->release(ctx)
 * when freed; on failure the caller still owns it. */
int swim_cimom_add_provider(swim_cimom *om, const swim_provider *prov,
                            void *ctx, const swim_provider_class *classes,
                            size_t n);

#endif
