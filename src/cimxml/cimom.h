/* The object manager: CIM operations over the class repository and the
 * providers (cimxml/provider.h), independent of CIM-XML and HTTP.
 *
 * Each operation takes a swim_cim_call (namespace, user, whether the
 * user may modify) and the client's arguments as decoded: paths are
 * typed and checked against their classes here (INVALID_CLASS,
 * INVALID_PARAMETER), instances coerced, results typed, given their
 * paths (host and namespace) and filtered. On failure an operation
 * returns a negative SWIM_E* code with the message in the error slot and
 * leaves call->status set when it knows the CIM status better than the
 * code says; swim_cimxml_status() turns both into the status the client
 * gets.
 *
 * Enumerations hand each result to an emit callback as it is made (no
 * list is built), so a caller can write or stream it; a non-zero return
 * from emit stops the operation and is returned. At most
 * cim_max_instances results per operation (SWIM_ELIMIT,
 * CIM_ERR_SERVER_LIMITS_EXCEEDED, past it).
 *
 * The object manager is built at start (providers registered) and then
 * shared by every request thread without a lock.
 */
#ifndef SWIM_CIMXML_CIMOM_H
#define SWIM_CIMXML_CIMOM_H

#include <stdbool.h>
#include <stddef.h>

#include "cim/filter.h"
#include "cim/query.h"
#include "cimxml/provider.h"
#include "swim/limits.h"

/* `host` is the name used in full paths (the system name); repo and lim
 * (NULL: the defaults) are borrowed and must outlive om.
 * @param[out] out freed with swim_cimom_free(). */
int swim_cimom_new(swim_cimom **out, const swim_cim_repo *repo,
                   const char *host, const swim_limits *lim);

/* Releases every provider, then the object manager. NULL is allowed. */
void swim_cimom_free(swim_cimom *om);

const swim_cim_repo *swim_cimom_repo(const swim_cimom *om);
const char *swim_cimom_host(const swim_cimom *om);
const swim_limits *swim_cimom_limits(const swim_cimom *om);

/* Starts an operation in namespace ns (an alias is resolved):
 * SWIM_ENOTFOUND with status INVALID_NAMESPACE when there is none. user
 * may be NULL (the server itself). */
int swim_cim_call_init(swim_cim_call *call, swim_cimom *om, const char *ns,
                       const char *user, bool read_only);

/* One result: the object's full path (host, namespace; a class path for
 * classes) and, unless only names were asked for, the instance or class.
 * Borrowed by the emit callback. */
typedef struct swim_cim_object {
	const swim_cim_path *path;
	const swim_cim_instance *inst;
	const swim_cim_class *cls;
} swim_cim_object;

typedef int (*swim_cim_emit_fn)(void *ctx, const swim_cim_object *obj);

/* Classes: GetClass (SWIM_ENOTFOUND, status NOT_FOUND, for an unknown
 * class), EnumerateClasses / EnumerateClassNames (f NULL: names only) of
 * the subclasses of classname (NULL: the top-level classes), direct ones
 * unless deep. */
int swim_cimom_get_class(swim_cim_class **out, swim_cim_call *call,
                         const char *classname, const swim_cim_filter *f);
int swim_cimom_enum_classes(swim_cim_call *call, const char *classname,
                            bool deep, const swim_cim_filter *f,
                            swim_cim_emit_fn emit, void *ctx);

/* GetInstance of the instance at path (the client's: keys are typed
 * here). Without a provider for the path's class, those of its
 * subclasses are asked. SWIM_ENOTFOUND, status NOT_FOUND, when there is
 * none. */
int swim_cimom_get_instance(swim_cim_instance **out, swim_cim_call *call,
                            const swim_cim_path *path,
                            const swim_cim_filter *f);

/* EnumerateInstances (f NULL: EnumerateInstanceNames) of classname and
 * every subclass; DeepInheritance false is f->shallow_class, which the
 * object manager sets from classname when `deep` is false. */
int swim_cimom_enum_instances(swim_cim_call *call, const char *classname,
                              bool deep, const swim_cim_filter *f,
                              swim_cim_emit_fn emit, void *ctx);

/* The filters of the association operations (NULL: no filter). */
typedef struct swim_cim_assoc_filter {
	const char *assoc_class;   /* Associators only; References use */
	const char *result_class;  /* result_class for the association */
	const char *role;
	const char *result_role;   /* Associators only */
} swim_cim_assoc_filter;

/* Associators / AssociatorNames (f NULL) and References / ReferenceNames
 * of an instance path, or of a class path (then the results are
 * classes). Each associated object is returned once; an association
 * that names an instance that does not exist is skipped. */
int swim_cimom_associators(swim_cim_call *call, const swim_cim_path *object,
                           const swim_cim_assoc_filter *af,
                           const swim_cim_filter *f, swim_cim_emit_fn emit,
                           void *ctx);
int swim_cimom_references(swim_cim_call *call, const swim_cim_path *object,
                          const swim_cim_assoc_filter *af,
                          const swim_cim_filter *f, swim_cim_emit_fn emit,
                          void *ctx);

/* Resumable enumerations ---------------------------------------------------
 *
 * A cursor is an enumeration that stops after a number of results and
 * goes on later: in the next request of a pull enumeration, or when a
 * streamed answer needs its next part. It owns copies of its parameters
 * and knows where it is, not what it returned:
 *
 *   instances (EnumerateInstances and ...Names, ExecQuery, OpenEnumerate-
 *   Instances and ...Paths, OpenQueryInstances): the class it is in and
 *   the provider's position in that class (swim_cim_sink_put_at()), so a
 *   cursor takes a few hundred bytes whatever the number of instances;
 *
 *   associations (Associators, References and their Names and Open
 *   forms): the paths of the results, found when the cursor is made (a
 *   walk that needs them all anyway, to return each object once; at most
 *   cim_max_instances), then read a page at a time (the instances fetched
 *   as they go out, the paths freed as they go).
 *
 * Each call to swim_cimom_cursor_next() works in the namespace the cursor
 * was made in, with the caller's call (its user, its count). A cursor is
 * used by one thread at a time. */
typedef struct swim_cimom_cursor swim_cimom_cursor;

/* The instances of classname and its subclasses, as EnumerateInstances
 * (f NULL: paths only). `where`, when not NULL, is taken (freed on
 * failure too): only instances it matches (FROM and WHERE) are returned;
 * f applies after the match, so the condition may name properties the
 * PropertyList leaves out. */
int swim_cimom_cursor_instances(swim_cimom_cursor **out, swim_cim_call *call,
                                const char *classname, bool deep,
                                const swim_cim_filter *f,
                                swim_cim_query *where);

/* ExecQuery and OpenQueryInstances: the instances of q's FROM class and
 * its subclasses that q matches, projected to its select list after f.
 * q is taken (freed on failure too) and must have been checked against
 * the namespace. */
int swim_cimom_cursor_query(swim_cimom_cursor **out, swim_cim_call *call,
                            swim_cim_query *q,
                            const swim_cim_filter *f);

/* Associators, or References when `references`, of object (the Names
 * forms: f NULL); `where` as above (it needs the instances, so they are
 * fetched even for names). */
int swim_cimom_cursor_assoc(swim_cimom_cursor **out, swim_cim_call *call,
                            const swim_cim_path *object,
                            const swim_cim_assoc_filter *af,
                            const swim_cim_filter *f, swim_cim_query *where,
                            bool references);

/* Emits the next results, at most `max`. Returns 0 when the enumeration
 * is over, 1 when it stopped with more to come: after `max` results,
 * knowing that another follows, or because emit returned a positive
 * value (then more may follow, or not), or a negative error (the cursor
 * should then be freed). Results count against cim_max_instances over
 * the whole enumeration. */
int swim_cimom_cursor_next(swim_cimom_cursor *cur, swim_cim_call *call,
                           unsigned long max, swim_cim_emit_fn emit,
                           void *ctx);

/* The (canonical) namespace the cursor enumerates. */
const char *swim_cimom_cursor_namespace(const swim_cimom_cursor *cur);

void swim_cimom_cursor_free(swim_cimom_cursor *cur);

/* CreateInstance: inst (the client's, changed in place) is checked
 * against its class; *out is the new instance's full path. */
int swim_cimom_create_instance(swim_cim_path **out, swim_cim_call *call,
                               swim_cim_instance *inst);

/* ModifyInstance: inst carries the path of the instance to change and
 * the new values; with a property list only the properties it names
 * change (unknown names are an error), else every property inst has. A
 * property without Write may be given only with its current value. */
int swim_cimom_modify_instance(swim_cim_call *call,
                               const swim_cim_path *path,
                               swim_cim_instance *inst,
                               bool has_property_list,
                               const char *const *props, size_t nprops);

int swim_cimom_delete_instance(swim_cim_call *call,
                               const swim_cim_path *path);

/* GetProperty / SetProperty (value moved in; typed here). Unknown
 * property: status NO_SUCH_PROPERTY. */
int swim_cimom_get_property(swim_cim_value *out, swim_cim_call *call,
                            const swim_cim_path *path, const char *name);
int swim_cimom_set_property(swim_cim_call *call, const swim_cim_path *path,
                            const char *name, swim_cim_value *value);

/* An extrinsic method on an instance path or (static methods) a class
 * path. `in` holds the arguments (typed and checked here); *ret gets the
 * return value and *out (may stay NULL) the output arguments as
 * properties of a __MethodParameters instance. */
int swim_cimom_invoke(swim_cim_call *call, const swim_cim_path *target,
                      const char *method, swim_cim_instance *in,
                      swim_cim_value *ret, swim_cim_instance **out);

#endif
