/* The class repository: namespaces (with aliases), qualifier
 * declarations, classes with inheritance resolved, and the static
 * instances MOF files declare.
 *
 * Built once at start (swim_cim_repo_new_default() + MOF loading), then
 * only read: concurrent readers need no lock as long as nobody adds to
 * it. Lookups by name are case-insensitive hash lookups; classes and
 * qualifier declarations returned are borrowed for the repository's
 * lifetime.
 */
#ifndef SWIM_CIM_REPO_H
#define SWIM_CIM_REPO_H

#include <stdbool.h>
#include <stddef.h>

#include "cim/class.h"
#include "cim/instance.h"
#include "cim/path.h"
#include "cim/qualifier.h"
#include "swim/limits.h"

typedef struct swim_cim_repo swim_cim_repo;

#define SWIM_CIM_NS_CIMV2 "root/cimv2"
#define SWIM_CIM_NS_INTEROP "root/interop"

/* An empty repository; lim (NULL: the defaults) is copied. */
int swim_cim_repo_new(swim_cim_repo **out, const swim_limits *lim);

/* A repository with root/cimv2 and root/interop, and "interop" as an
 * alias of root/interop (pywbem probes it first). */
int swim_cim_repo_new_default(swim_cim_repo **out, const swim_limits *lim);

void swim_cim_repo_free(swim_cim_repo *repo);

/* The limits the repository was made with. */
const swim_limits *swim_cim_repo_limits(const swim_cim_repo *repo);

/* Namespace names are '/'-separated identifiers (root/cimv2).
 * SWIM_EEXISTS when the name or alias is taken. */
int swim_cim_repo_add_namespace(swim_cim_repo *repo, const char *ns);
int swim_cim_repo_add_alias(swim_cim_repo *repo, const char *alias,
                            const char *ns);

/* The canonical name of namespace ns (resolving aliases,
 * case-insensitively), or NULL when there is none: the caller answers
 * CIM_ERR_INVALID_NAMESPACE. Borrowed. */
const char *swim_cim_repo_namespace(const swim_cim_repo *repo,
                                    const char *ns);

/* Calls fn for each namespace (canonical names, in creation order) until
 * fn returns non-zero, which is returned. */
typedef int (*swim_cim_repo_ns_fn)(const char *ns, void *ctx);
int swim_cim_repo_each_namespace(const swim_cim_repo *repo,
                                 swim_cim_repo_ns_fn fn, void *ctx);

/* Adds a qualifier declaration (moved in on success). SWIM_ENOTFOUND for
 * an unknown namespace, SWIM_EEXISTS when declared already. */
int swim_cim_repo_add_qualifier_decl(swim_cim_repo *repo, const char *ns,
                                     swim_cim_qualifier_decl *decl);
const swim_cim_qualifier_decl *swim_cim_repo_qualifier_decl(
	const swim_cim_repo *repo, const char *ns, const char *name);
typedef int (*swim_cim_repo_decl_fn)(const swim_cim_qualifier_decl *decl,
                                     void *ctx);
int swim_cim_repo_each_qualifier_decl(const swim_cim_repo *repo,
                                      const char *ns,
                                      swim_cim_repo_decl_fn fn, void *ctx);

/* Adds a class as declared (local elements only) and resolves it: the
 * superclass must exist; qualifiers must be declared, of the declared
 * type and in scope; inherited properties, methods and qualifiers (those
 * with ToSubclass) are merged in, an element redeclared by name
 * overrides the inherited one (its type must match, a reference may only
 * narrow its class, DisableOverride qualifiers may not change), and
 * class_origin/propagated are set. A subclass of a class with keys may
 * not add keys; only associations have references. Errors name the
 * class and element (SWIM_EINVAL, SWIM_ENOTFOUND for an unknown
 * superclass or qualifier, SWIM_EEXISTS for a class defined already).
 * On success the class is moved in and *cls set to NULL. */
int swim_cim_repo_add_class(swim_cim_repo *repo, const char *ns,
                            swim_cim_class **cls);

/* The resolved class called name in ns, or NULL. */
const swim_cim_class *swim_cim_repo_class(const swim_cim_repo *repo,
                                          const char *ns, const char *name);

/* True when sub is super or inherits from it (both in ns). */
bool swim_cim_repo_is_subclass(const swim_cim_repo *repo, const char *ns,
                               const char *sub, const char *super);

/* Calls fn for the subclasses of `name` (all top-level classes when name
 * is NULL): only the direct ones unless deep, parents before children,
 * in declaration order. Stops when fn returns non-zero and returns that.
 * SWIM_ENOTFOUND for an unknown namespace or class. */
typedef int (*swim_cim_repo_class_fn)(const swim_cim_class *cls, void *ctx);
int swim_cim_repo_each_class(const swim_cim_repo *repo, const char *ns,
                             const char *name, bool deep,
                             swim_cim_repo_class_fn fn, void *ctx);

/* Converts path's keys to the types of its class in ns (the path's own
 * namespace when it has one), nested references included. SWIM_ENOTFOUND
 * for an unknown class (status INVALID_CLASS) or namespace (status
 * INVALID_NAMESPACE); else as swim_cim_class_coerce_path(). */
int swim_cim_repo_coerce_path(const swim_cim_repo *repo, const char *ns,
                              swim_cim_path *path, swim_cim_coerce *opt);

/* swim_cim_class_coerce_instance() against the instance's own class in
 * ns, then checks that each reference names a class (in its namespace)
 * that is the declared reference class or a subclass of it. */
int swim_cim_repo_coerce_instance(const swim_cim_repo *repo, const char *ns,
                                  swim_cim_instance *inst,
                                  swim_cim_coerce *opt);

/* Adds a static instance (one a MOF file declares, which a provider may
 * serve): coerced against its class with keys required and defaults
 * filled, its path set (namespace ns, no host). Moved in on success
 * (*inst set to NULL). SWIM_EEXISTS for a second instance with the same
 * path. */
int swim_cim_repo_add_instance(swim_cim_repo *repo, const char *ns,
                               swim_cim_instance **inst);

/* Calls fn for the static instances of class name in ns (and of its
 * subclasses when deep), in declaration order. */
typedef int (*swim_cim_repo_instance_fn)(const swim_cim_instance *inst,
                                         void *ctx);
int swim_cim_repo_each_instance(const swim_cim_repo *repo, const char *ns,
                                const char *name, bool deep,
                                swim_cim_repo_instance_fn fn, void *ctx);

/* The static instance at path (host ignored; namespace ns when the path
 * has none), or NULL. */
const swim_cim_instance *swim_cim_repo_instance(const swim_cim_repo *repo,
                                                const char *ns,
                                                const swim_cim_path *path);

#endif
