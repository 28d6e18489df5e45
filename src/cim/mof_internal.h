/* The MOF compiler's insides, shared by the grammar (mof.y), the lexer
 * (mof.l) and the driver that turns what they read into repository
 * objects (mof.c).
 *
 * The grammar builds a small tree of mof_node (one node type, so one
 * destructor covers every semantic value bison may have to discard), and
 * hands each finished declaration to the driver, which knows the types
 * from the repository and converts initializers then.
 */
#ifndef SWIM_CIM_MOF_INTERNAL_H
#define SWIM_CIM_MOF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cim/mof.h"
#include "cim/name.h"
#include "cim/repo_internal.h"

enum mof_kind {
	MOF_LIST,        /* kids */
	MOF_QUALIFIER,   /* name, init (or NULL), flavor bits */
	MOF_PROPERTY,    /* quals, type, name, array, init */
	MOF_REFERENCE,   /* quals, refclass, name, init */
	MOF_METHOD,      /* quals, type, name, kids: parameters */
	MOF_PARAMETER,   /* quals, type (refclass for references), name, array */
	MOF_VALUE,       /* quals, name, init: an instance's property value */
	/* initializers */
	MOF_NULL,
	MOF_BOOL,        /* b */
	MOF_INT,         /* neg, mag */
	MOF_REAL,        /* r */
	MOF_STRING,      /* s */
	MOF_CHAR,        /* ch */
	MOF_ALIAS,       /* s: "$name" */
	MOF_ARRAY        /* kids: scalar initializers */
};

typedef struct mof_node {
	enum mof_kind kind;
	int line, col;
	char *name;
	char *refclass;
	swim_cim_type type;
	bool array;
	uint32_t array_size;
	struct mof_node *quals;        /* a MOF_LIST of MOF_QUALIFIER */
	struct mof_node *init;         /* default or value */
	struct mof_node **kids;
	size_t n;
	/* initializers */
	bool b, neg;
	uint64_t mag;
	double r;
	char *s;
	uint32_t ch;
	/* qualifier flavors: given, and the bits set or cleared */
	bool flavor_given;
	unsigned flavor_set, flavor_clear;
} mof_node;

/* One file being compiled. */
struct mof_file {
	const char *path;     /* as named, for messages */
	char *dir;            /* base for includes, "" for none */
	char *ns;             /* current namespace (canonical name) */
	unsigned depth;       /* include nesting, 0 for the top file */
};

/* One load: everything its files share. */
struct mof_load {
	swim_cim_repo *repo;
	swim_cim_mof_read_fn read;
	void *ctx;
	const swim_limits *lim;
	swim_cim__ptrs aliases;   /* struct mof_alias */
	swim_cim_map alias_map;
};

struct mof_alias {
	char *name;
	swim_cim_path *path;
};

/* The parser's and lexer's extra argument. */
struct mof_parser {
	struct mof_load *load;
	struct mof_file *file;
	int rc;               /* first error, 0 while none */
};

mof_node *swim_mof__node(enum mof_kind kind, int line, int col);
void swim_mof__node_free(mof_node *n);
/* Appends kid to list (a MOF_LIST); frees kid and fails on OOM. */
int swim_mof__append(mof_node *list, mof_node *kid);

/* Records the first error as "file:line:col: message" and returns its
 * code; later errors do not overwrite it. */
int swim_mof__error(struct mof_parser *p, int line, int col, int code,
                    const char *fmt, ...) SWIM_PRINTF(5, 6);
/* The same with a lower layer's message kept after the location. */
int swim_mof__error_prefix(struct mof_parser *p, int line, int col);

/* Declarations, as the grammar finishes them (each takes its nodes).
 * 0 or a negative code with the error recorded. */
int swim_mof__pragma(struct mof_parser *p, char *name, char *value,
                     int line, int col);
int swim_mof__qualifier_decl(struct mof_parser *p, char *name,
                             swim_cim_type type, mof_node *array,
                             mof_node *init, unsigned scope,
                             mof_node *flavors, int line, int col);
int swim_mof__class(struct mof_parser *p, mof_node *quals, char *name,
                    char *super, mof_node *features, int line, int col);
int swim_mof__instance(struct mof_parser *p, mof_node *quals,
                       char *classname, char *alias, mof_node *values,
                       int line, int col);

/* Parses `len` bytes with a fresh reentrant lexer and parser (defined in
 * mof.y). */
int swim_mof__parse(struct mof_parser *p, const char *data, size_t len);

#endif
