/* The repository's insides, shared by repo.c (namespaces, lookups,
 * instances) and resolve.c (adding classes). */
#ifndef SWIM_CIM_REPO_INTERNAL_H
#define SWIM_CIM_REPO_INTERNAL_H

#include <stddef.h>

#include "cim/name.h"
#include "cim/repo.h"

/* A growable array of pointers. */
typedef struct swim_cim__ptrs {
	void **v;
	size_t n;
} swim_cim__ptrs;

/* Appends p; SWIM_ENOMEM leaves the array as it was. */
int swim_cim__ptrs_push(swim_cim__ptrs *a, void *p);

struct swim_cim__class_entry {
	swim_cim_class *cls;                   /* resolved */
	struct swim_cim__class_entry *parent;
	swim_cim__ptrs children;               /* class entries */
	swim_cim__ptrs insts;                  /* static instances */
};

struct swim_cim__ns {
	char *name;
	swim_cim__ptrs classes;                /* entries, declaration order */
	swim_cim_map class_map;
	swim_cim__ptrs decls;                  /* qualifier declarations */
	swim_cim_map decl_map;
};

struct swim_cim_repo {
	swim_limits lim;
	swim_cim__ptrs ns;                     /* struct swim_cim__ns */
	swim_cim__ptrs aliases;                /* owned alias names */
	swim_cim_map ns_map;                   /* names and aliases */
};

struct swim_cim__ns *swim_cim__repo_ns(const swim_cim_repo *repo,
                                       const char *name);
struct swim_cim__class_entry *swim_cim__repo_entry(
	const struct swim_cim__ns *ns, const char *name);

/* Records a resolved class under its parent (NULL for a root). */
int swim_cim__repo_insert(struct swim_cim__ns *ns,
                          struct swim_cim__class_entry *parent,
                          swim_cim_class *cls);

/* Sets "namespace X does not exist" and returns SWIM_ENOTFOUND. */
int swim_cim__no_ns(const char *name);

#endif
