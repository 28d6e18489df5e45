/* The object manager's internals, shared by cimom*.c only. */
#ifndef SWIM_CIMXML_CIMOM_INTERNAL_H
#define SWIM_CIMXML_CIMOM_INTERNAL_H

#include "cim/name.h"
#include "cimxml/cimom.h"
#include "cimxml/session.h"

struct cimom_provider {
	const swim_provider *prov;
	void *ctx;
};

/* The providers of one namespace, by class name. */
struct cimom_ns {
	char *name;
	swim_cim_map classes;      /* -> struct cimom_provider * */
};

struct swim_cimom {
	const swim_cim_repo *repo;
	const swim_limits *lim;
	char *host;
	struct cimom_provider **provs;
	size_t nprovs;
	struct cimom_ns *nss;
	size_t nns;
	swim_cim_sessions *sessions;   /* pull enumerations */
};

/* The provider of exactly classname in namespace ns (canonical), or
 * NULL. */
const struct cimom_provider *swim_cimom__provider(const swim_cimom *om,
                                                  const char *ns,
                                                  const char *classname);

/* A copy of a client's path, in the call's namespace unless it names
 * another, with the host of om, keys typed against its class (*cls).
 * Status INVALID_NAMESPACE, INVALID_CLASS or INVALID_PARAMETER. */
int swim_cimom__client_path(swim_cim_path **out, const swim_cim_class **cls,
                            swim_cim_call *call, const swim_cim_path *path);

/* Puts the reference keys of path (recursively) in the one form the
 * server compares: no host, a canonical namespace. */
int swim_cimom__normalise_keys(swim_cim_call *call, swim_cim_path *path);

/* The same for the references (scalar or array) an instance holds. */
int swim_cimom__normalise_refs(swim_cim_call *call, swim_cim_instance *inst);

/* Makes what a provider returned for cls a proper instance: its class,
 * typed, with defaults and its full path. Failures are the provider's
 * (status FAILED). */
int swim_cimom__finish(swim_cim_call *call, const swim_cim_class *cls,
                       const struct cimom_provider *p,
                       swim_cim_instance *inst);

/* Calls fn with each instance of exactly cls after position `after` (0:
 * all), finished, with its position; fn takes the instance. */
typedef int (*cimom_instance_fn)(void *ctx, swim_cim_instance *inst,
                                 uint64_t pos);
int swim_cimom__enumerate(swim_cim_call *call, const swim_cim_class *cls,
                          const struct cimom_provider *p, uint64_t after,
                          cimom_instance_fn fn, void *ctx);

/* The instance at a typed path (from swim_cimom__client_path), asked of
 * the provider of its class or else those of its subclasses: *cls and *p
 * (either may be NULL) say which served it. SWIM_ENOTFOUND with status
 * NOT_FOUND. */
int swim_cimom__find(swim_cim_instance **out, const swim_cim_class **cls,
                     const struct cimom_provider **p, swim_cim_call *call,
                     const swim_cim_path *path);

/* The walk of the association operations: the paths of the results,
 * each once, in the order found (class paths for a class object).
 * @param[out] out an array of n paths, the caller's. */
int swim_cimom__assoc_walk(swim_cim_path ***out, size_t *n,
                           swim_cim_call *call, const swim_cim_path *object,
                           const swim_cim_assoc_filter *af, bool references);

/* The push form of an operation: cur (made with result rc) run to its
 * end into emit, then freed. */
int swim_cimom__run_whole(swim_cimom_cursor *cur, int rc, swim_cim_call *call,
                          swim_cim_emit_fn emit, void *ctx);

/* Counts a result against cim_max_instances. */
int swim_cimom__count(swim_cim_call *call);

/* The path as a URI for messages ("root/cimv2:X.K=\"v\""). Never NULL
 * unless out of memory; free() it. */
char *swim_cimom__uri(const swim_cim_path *path);

/* SWIM_EACCESS with status ACCESS_DENIED for read-only users. */
int swim_cimom__may_modify(swim_cim_call *call, const char *what);

#endif
