/* Object paths and WBEM URIs (DSP0207, untyped form).
 *
 *   //host:5988/root/cimv2:CIM_Foo.Name="a b",Id=5   full
 *   /root/cimv2:CIM_Foo.Name="a b",Id=5              local
 *   root/cimv2:CIM_Foo.Name="a b",Id=5               CIMObject header
 *   /:CIM_Foo.Name="a b"                             no namespace
 *   /root/cimv2:CIM_Foo                              class path
 *   /root/cimv2:CIM_Foo=@                            singleton instance
 *
 * Key values: strings and datetimes in double quotes with \" and \\
 * escaped, char16 in single quotes, booleans TRUE/FALSE and numbers bare;
 * a reference is its own URI quoted and escaped. Untyped URIs cannot say
 * whether "..." is a string or a datetime, so parsing gives strings,
 * references (quoted text that starts with '/' or a scheme and parses as
 * an instance path), booleans, uint64/sint64 and real64;
 * swim_cim_repo_coerce_path() then gives each key its class's type.
 *
 * Key bindings are kept sorted by name (case-insensitively) and unique,
 * so printing is canonical and comparison is pairwise.
 */
#ifndef SWIM_CIM_PATH_H
#define SWIM_CIM_PATH_H

#include <stdbool.h>
#include <stddef.h>

#include "cim/value.h"
#include "swim/buf.h"
#include "swim/limits.h"

typedef struct swim_cim_keybinding {
	char *name;
	swim_cim_value value;   /* a non-NULL scalar */
} swim_cim_keybinding;

struct swim_cim_path {
	char *host;         /* "host[:port]", or NULL */
	char *ns;           /* "root/cimv2", or NULL */
	char *classname;
	swim_cim_keybinding *keys;
	size_t nkeys;
	bool instance;      /* an instance path (keys, or a keyless singleton) */
};

/* A class path (no keys yet); host and ns may be NULL. The class name is
 * checked. Free with swim_cim_path_free(). */
int swim_cim_path_new(swim_cim_path **out, const char *host, const char *ns,
                      const char *classname);
void swim_cim_path_free(swim_cim_path *path);
int swim_cim_path_copy(swim_cim_path **out, const swim_cim_path *path);

/* Replace host or namespace (NULL removes it). */
int swim_cim_path_set_host(swim_cim_path *path, const char *host);
int swim_cim_path_set_namespace(swim_cim_path *path, const char *ns);

/* Adds a key binding (the path becomes an instance path); *value is moved
 * in and left NULL. SWIM_EEXISTS for a second key of the same name,
 * SWIM_EINVAL for a NULL, array or embedded value. */
int swim_cim_path_add_key(swim_cim_path *path, const char *name,
                          swim_cim_value *value);
int swim_cim_path_add_key_string(swim_cim_path *path, const char *name,
                                 const char *s);
int swim_cim_path_add_key_uint(swim_cim_path *path, const char *name,
                               swim_cim_type type, uint64_t u);
int swim_cim_path_add_key_ref(swim_cim_path *path, const char *name,
                              const swim_cim_path *ref);

/* The value of key `name`, or NULL. Borrowed from the path. */
const swim_cim_value *swim_cim_path_key(const swim_cim_path *path,
                                        const char *name);

/* Parses any form shown above (also with an http:, https:, cimxml-wbem:
 * or cimxml-wbems: scheme before "//", which is dropped). Errors are
 * SWIM_EINVAL naming the position and what was expected, SWIM_ELIMIT past
 * cim_uri_max_bytes or cim_path_max_depth. lim NULL means the defaults. */
int swim_cim_path_parse(swim_cim_path **out, const char *text,
                        const swim_limits *lim);

enum {
	SWIM_CIM_URI_NO_HOST = 1 << 0,    /* leave the host out */
	SWIM_CIM_URI_CIMOBJECT = 1 << 1   /* header form: no host, no '/' */
};

/* Appends the path as a WBEM URI: "//host/ns:Class.keys" with a host,
 * else "/ns:Class.keys" ("/:Class.keys" without namespace), keys in
 * sorted order. Nested references are written in full. SWIM_EINVAL for
 * a key that a URI cannot carry (a real that is NaN or infinite). */
int swim_cim_path_format(swim_buf *buf, const swim_cim_path *path,
                         unsigned flags);

enum {
	SWIM_CIM_PATH_IGNORE_HOST = 1 << 0,
	SWIM_CIM_PATH_IGNORE_NAMESPACE = 1 << 1   /* and the host */
};

/* DSP0004 equality: host, namespace, class and key names compare
 * case-insensitively, keys in any order; key values compare by value
 * (integers of different types numerically, a string and a datetime or
 * reference by their text), so a parsed URI matches the typed path it
 * came from. A missing host or namespace only equals a missing one
 * unless the flags ignore it. */
bool swim_cim_path_match(const swim_cim_path *a, const swim_cim_path *b,
                         unsigned flags);
bool swim_cim_path_equal(const swim_cim_path *a, const swim_cim_path *b);

#endif
