/* Queries in WQL and CQL (DSP0202), one grammar for both: what ExecQuery,
 * OpenQueryInstances and indication filters run. docs/query.md has the
 * language, its semantics and its errors.
 *
 *   SELECT * | item[, item...] FROM Class [[AS] alias] [WHERE condition]
 *
 * A query is parsed once, optionally checked against the classes of a
 * namespace, then evaluated against instances (swim_cim_query_match())
 * and projected to its select list (swim_cim_query_project()). A parsed
 * query is never changed, so threads may share it.
 *
 * Errors carry their CIM status through the `status` out-parameter (may
 * be NULL) and have return codes that tell them apart:
 *   SWIM_ENOTSUPPORTED  CIM_ERR_QUERY_LANGUAGE_NOT_SUPPORTED (14)
 *   SWIM_EINVAL         CIM_ERR_INVALID_QUERY (15): syntax, or a class or
 *                       property that does not fit (check)
 *   SWIM_ELIMIT         CIM_ERR_INVALID_QUERY (15): query_max_bytes,
 *                       query_max_depth
 *   SWIM_ENOMEM         CIM_ERR_FAILED (1)
 * Messages start with the position: "column 23: expected a property name
 * after '.', found the end of the query" ("line 2, column 5: " for
 * queries of several lines).
 */
#ifndef SWIM_CIM_QUERY_H
#define SWIM_CIM_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "cim/instance.h"
#include "cim/repo.h"
#include "cim/status.h"
#include "swim/limits.h"

typedef enum swim_cim_query_lang {
	SWIM_CIM_QUERY_WQL = 1,
	SWIM_CIM_QUERY_CQL = 2     /* "CQL", "CIM:CQL", "DMTF:CQL" */
} swim_cim_query_lang;

typedef struct swim_cim_query swim_cim_query;

/* The language called name: WQL, CQL, CIM:CQL or DMTF:CQL, in any case.
 * SWIM_ENOTSUPPORTED otherwise (status QUERY_LANGUAGE_NOT_SUPPORTED). */
int swim_cim_query_lang_parse(swim_cim_query_lang *out, const char *name,
                              swim_cim_status *status);

/* Parses len bytes of query text in the language called `language`.
 * lim NULL means the defaults (query_max_bytes, query_max_depth,
 * string_max_bytes, cim_name_max_bytes apply). Free with
 * swim_cim_query_free(). */
int swim_cim_query_parse(swim_cim_query **out, const char *language,
                         const char *text, size_t len,
                         const swim_limits *lim, swim_cim_status *status);

void swim_cim_query_free(swim_cim_query *q);

/* The text as given, its language, the FROM class as written (the
 * server enumerates it and its subclasses), the alias or NULL. */
const char *swim_cim_query_text(const swim_cim_query *q);
swim_cim_query_lang swim_cim_query_language(const swim_cim_query *q);
const char *swim_cim_query_from(const swim_cim_query *q);
const char *swim_cim_query_alias(const swim_cim_query *q);

/* True for SELECT * (projection returns whole instances). */
bool swim_cim_query_selects_all(const swim_cim_query *q);

enum {
	/* the FROM class must be an indication class (a filter's query) */
	SWIM_CIM_QUERY_INDICATION = 1 << 0
};

/* Checks q against the classes of namespace ns, so that a query that
 * cannot mean anything is refused when it is made rather than matching
 * nothing: the FROM, ISA and scope (Class::) classes exist; each property
 * exists in the class its path leads to, where that class is known (the
 * FROM class, a scope, an EmbeddedInstance qualifier); a path goes on
 * only through embedded objects; arrays are compared through ANY, EVERY
 * or an index, and ANY/EVERY apply to arrays; LIKE applies to strings,
 * ISA to embedded objects; a literal compared with a property suits its
 * type (a datetime literal must parse). SWIM_EINVAL naming the position
 * (status INVALID_QUERY). */
int swim_cim_query_check(const swim_cim_query *q, const swim_cim_repo *repo,
                         const char *ns, unsigned flags,
                         swim_cim_status *status);

/* *out is true when inst is of the FROM class or a subclass and the
 * WHERE condition is TRUE for it (NULL and incomparable operands make a
 * comparison UNKNOWN, which does not match). Classes are looked up in ns
 * of repo; repo NULL matches class names only as written. Fails only for
 * lack of memory. */
int swim_cim_query_match(bool *out, const swim_cim_query *q,
                         const swim_cim_instance *inst,
                         const swim_cim_repo *repo, const char *ns);

/* A copy of inst (class name and path included) with only the properties
 * the select list names, in inst's order: a property, or an embedded
 * object's properties (`SourceInstance.PercentComplete` keeps
 * SourceInstance, projected to PercentComplete). A whole copy for
 * SELECT *. Caller frees with swim_cim_instance_free(). */
int swim_cim_query_project(swim_cim_instance **out, const swim_cim_query *q,
                           const swim_cim_instance *inst,
                           const swim_cim_repo *repo, const char *ns);

#endif
