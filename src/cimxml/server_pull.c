/* The pull operations (DSP0200 5.3.3): an Open operation returns the
 * first page of an enumeration and, unless it is over, an enumeration
 * context naming the session (session.h) that keeps its cursor for the
 * Pulls that follow; CloseEnumeration ends it early.
 *
 * Each page holds at most MaxObjectCount results (itself at most
 * cim_max_pull_objects: more is taken as that many, as DSP0200 lets a
 * server return fewer) and stops early when the answer reaches half of
 * http_max_response_bytes, so a page never fails for its size; then
 * EndOfSequence is false even if nothing follows, and the next Pull
 * says so. ContinueOnError is not supported: a failure ends the
 * session. */
#include <stdlib.h>
#include <string.h>

#include "cimxml/server_internal.h"
#include "cimxml/session.h"
#include "util/str.h"

/* What a session's Pulls return: the Open operation decides. */
enum pull_kind {
	PULL_WITH_PATH,         /* PullInstancesWithPath */
	PULL_PATHS,             /* PullInstancePaths */
	PULL_INSTANCES          /* PullInstances (OpenQueryInstances) */
};

static const struct {
	const char *pull;
	enum result_kind result;
} kinds[] = {
	[PULL_WITH_PATH] = { "PullInstancesWithPath", R_INSTANCEWITHPATH },
	[PULL_PATHS] = { "PullInstancePaths", R_INSTANCEPATH },
	[PULL_INSTANCES] = { "PullInstances", R_INSTANCE },
};

/* OperationTimeout when the client sends none. */
#define DEFAULT_TIMEOUT 30

/* The Open operation's options: OperationTimeout (1 to
 * cim_max_operation_timeout_seconds; NULL: DEFAULT_TIMEOUT or that
 * limit) and ContinueOnError (false only). */
static int open_options(uint32_t *timeout, struct serve *s,
                        const swim_cimxml_params *p)
{
	uint64_t max = swim_cimom_limits(s->om)->cim_max_operation_timeout_seconds;
	uint64_t v;

	if (p->continue_on_error)
		return swim_cim_call_fail(&s->call,
		                          SWIM_CIM_ERR_CONTINUATION_ON_ERROR_NOT_SUPPORTED,
		                          SWIM_ENOTSUPPORTED, "ContinueOnError is not "
		                          "supported: a failure ends the "
		                          "enumeration");
	if (max > UINT32_MAX)
		max = UINT32_MAX;
	if (!p->operation_timeout) {
		*timeout = (uint32_t)(max < DEFAULT_TIMEOUT ? max : DEFAULT_TIMEOUT);
		return 0;
	}
	if (swim_str_to_u64(&v, p->operation_timeout, max,
	                    "OperationTimeout") < 0 || v == 0) {
		swim_error_clear();
		return swim_cim_call_fail(&s->call,
		                          SWIM_CIM_ERR_INVALID_OPERATION_TIMEOUT,
		                          SWIM_EINVAL, "OperationTimeout '%s' is "
		                          "not a number of seconds from 1 to %llu "
		                          "(cim_max_operation_timeout_seconds)",
		                          p->operation_timeout,
		                          (unsigned long long)max);
	}
	*timeout = (uint32_t)v;
	return 0;
}

/* FilterQueryLanguage and FilterQuery of an Open operation: a query whose
 * FROM and WHERE each result must match (NULL without them). The
 * properties returned are the PropertyList's, so it selects `*`. */
static int filter_query(swim_cim_query **out, struct serve *s,
                        const swim_cimxml_params *p)
{
	int rc;

	*out = NULL;
	if (!p->query_language && !p->query)
		return 0;
	if (!p->query_language || !p->query)
		return swim_cim_call_fail(&s->call, SWIM_CIM_ERR_INVALID_PARAMETER,
		                          SWIM_EINVAL, "FilterQueryLanguage and "
		                          "FilterQuery go together");
	if ((rc = swim_cimxml__query(out, s, p->query_language,
	                             p->query)) < 0)
		return rc;
	if (swim_cim_query_selects_all(*out))
		return 0;
	swim_cim_query_free(*out);
	*out = NULL;
	return swim_cim_call_fail(&s->call, SWIM_CIM_ERR_INVALID_QUERY,
	                          SWIM_EINVAL, "a FilterQuery selects * (the "
	                          "properties returned are the PropertyList's)");
}

static size_t page_bytes(const struct serve *s)
{
	size_t max = s->out->body->max ? s->out->body->max
	                               : SWIM_BUF_DEFAULT_MAX;

	return max / 2;
}

/* A page of cur in IRETURNVALUE; *eos when the enumeration is over. */
static int page(bool *eos, struct serve *s, swim_cimom_cursor *cur,
                enum pull_kind kind, uint32_t max_objects)
{
	struct results r = { &s->w, kinds[kind].result, page_bytes(s) };
	uint64_t cap = swim_cimom_limits(s->om)->cim_max_pull_objects;
	int rc;

	swim_xmlw_start(&s->w, "IRETURNVALUE");
	rc = swim_cimom_cursor_next(cur, &s->call,
	                            max_objects < cap ? max_objects
	                                              : (unsigned long)cap,
	                            swim_cimxml__emit, &r);
	swim_xmlw_end(&s->w);
	*eos = rc == 0;
	return rc < 0 ? rc : 0;
}

/* The output parameters of every Open and Pull. */
static void page_end(struct serve *s, bool eos, const char *context)
{
	swim_xmlw *w = &s->w;

	swim_xmlw_start(w, "PARAMVALUE");
	swim_xmlw_attr(w, "NAME", "EndOfSequence");
	swim_xmlw_attr(w, "PARAMTYPE", "boolean");
	swim_xmlw_element(w, "VALUE", eos ? "TRUE" : "FALSE");
	swim_xmlw_end(w);
	swim_xmlw_start(w, "PARAMVALUE");
	swim_xmlw_attr(w, "NAME", "EnumerationContext");
	swim_xmlw_attr(w, "PARAMTYPE", "string");
	if (context)
		swim_xmlw_element(w, "VALUE", context);
	swim_xmlw_end(w);
}

/* The first page of cur (made with result rc; taken), and a session for
 * the rest unless it is over. */
static int open_with(struct serve *s, const swim_cimxml_params *p,
                     swim_cimom_cursor *cur, int rc, uint32_t timeout,
                     enum pull_kind kind, const swim_cim_class *result_class)
{
	swim_cim_sessions *ss = swim_cimom_sessions(s->om);
	char id[SWIM_CIM_SESSION_ID_LEN + 1] = "";
	swim_cim_session *ses = NULL;
	bool eos = true;

	if (rc == 0 && (rc = page(&eos, s, cur, kind,
	                          p->max_object_count)) == 0 && !eos) {
		rc = swim_cim_session_open(&ses, ss, &s->call, cur, kind,
		                           timeout);
		cur = NULL;
		if (rc == 0) {
			memcpy(id, ses->id, sizeof(id));
			swim_cim_session_put(ss, ses);
		}
	}
	swim_cimom_cursor_free(cur);
	if (rc == 0)
		page_end(s, eos, eos ? NULL : id);
	if (rc == 0 && result_class) {
		swim_xmlw_start(&s->w, "PARAMVALUE");
		swim_xmlw_attr(&s->w, "NAME", "QueryResultClass");
		swim_cimxml_write_class(&s->w, result_class);
		swim_xmlw_end(&s->w);
	}
	return rc;
}

/* What every Open operation checks before it starts. */
static int open_start(uint32_t *timeout, swim_cim_query **where,
                      struct serve *s, const swim_cimxml_params *p)
{
	int rc;

	*where = NULL;
	if ((rc = open_options(timeout, s, p)) < 0)
		return rc;
	return filter_query(where, s, p);
}

/* OpenEnumerateInstances and ...Paths. */
static int open_enum(struct serve *s, swim_cimxml_params *p, bool paths)
{
	swim_cim_filter f = swim_cimxml__filter(p, p->local_only);
	swim_cimom_cursor *cur = NULL;
	swim_cim_query *where;
	uint32_t timeout = 0;
	int rc;

	if ((rc = open_start(&timeout, &where, s, p)) == 0)
		rc = swim_cimom_cursor_instances(&cur, &s->call, p->class_name,
		                                 paths || p->deep_inheritance,
		                                 paths ? NULL : &f, where);
	return open_with(s, p, cur, rc, timeout,
	                 paths ? PULL_PATHS : PULL_WITH_PATH, NULL);
}

int swim_cimxml__open_enum_instances(struct serve *s, swim_cimxml_params *p)
{
	return open_enum(s, p, false);
}

int swim_cimxml__open_enum_paths(struct serve *s, swim_cimxml_params *p)
{
	return open_enum(s, p, true);
}

/* The four association forms. */
static int open_assoc(struct serve *s, swim_cimxml_params *p,
                      bool references, bool paths)
{
	swim_cimom_cursor *cur = NULL;
	swim_cim_query *where;
	uint32_t timeout = 0;
	int rc;

	if ((rc = open_start(&timeout, &where, s, p)) == 0)
		rc = swim_cimxml__assoc_cursor(&cur, s, p, references, paths,
		                               where);
	return open_with(s, p, cur, rc, timeout,
	                 paths ? PULL_PATHS : PULL_WITH_PATH, NULL);
}

int swim_cimxml__open_associators(struct serve *s, swim_cimxml_params *p)
{
	return open_assoc(s, p, false, false);
}

int swim_cimxml__open_associator_paths(struct serve *s,
                                       swim_cimxml_params *p)
{
	return open_assoc(s, p, false, true);
}

int swim_cimxml__open_references(struct serve *s, swim_cimxml_params *p)
{
	return open_assoc(s, p, true, false);
}

int swim_cimxml__open_reference_paths(struct serve *s,
                                      swim_cimxml_params *p)
{
	return open_assoc(s, p, true, true);
}

/* ReturnQueryResultClass: the class of what the query returns, which is
 * the FROM class with the properties the select list keeps (found by
 * projecting an instance of it that has them all), and no methods. */
static int result_class(swim_cim_class **out, struct serve *s,
                        const swim_cim_query *q)
{
	swim_cim_coerce opt = { SWIM_CIM_COERCE_DEFAULTS, NULL, NULL,
	                        swim_cimom_limits(s->om), SWIM_CIM_OK };
	const swim_cim_class *from = swim_cim_repo_class(s->call.repo,
	                                                 s->call.ns,
	                                                 swim_cim_query_from(q));
	swim_cim_instance *proto = NULL, *shaped = NULL;
	swim_cim_filter f = SWIM_CIM_FILTER_GETINSTANCE;
	const char **names = NULL;
	int rc;

	*out = NULL;
	if ((rc = swim_cim_instance_new(&proto, from->name)) < 0 ||
	    (rc = swim_cim_class_coerce_instance(from, proto, &opt)) < 0 ||
	    (rc = swim_cim_query_project(&shaped, q, proto, s->call.repo,
	                                 s->call.ns)) < 0 ||
	    (rc = swim_cim_class_copy(out, from)) < 0)
		goto out;
	if (shaped->props.n &&
	    !(names = calloc(shaped->props.n, sizeof(*names)))) {
		rc = swim_error_oom();
		goto out;
	}
	for (size_t i = 0; i < shaped->props.n; i++)
		names[i] = shaped->props.v[i].name;
	f.has_property_list = true;
	f.property_list = names;
	f.property_count = shaped->props.n;
	swim_cim_class_filter(*out, &f);
	/* Results are not instances of the class: no methods to call. */
	for (size_t i = 0; i < (*out)->nmethods; i++)
		swim_cim_method_dispose(&(*out)->methods[i]);
	(*out)->nmethods = 0;
out:
	free(names);
	swim_cim_instance_free(shaped);
	swim_cim_instance_free(proto);
	return rc;
}

int swim_cimxml__open_query(struct serve *s, swim_cimxml_params *p)
{
	static const swim_cim_filter plain = SWIM_CIM_FILTER_GETINSTANCE;
	swim_cimom_cursor *cur = NULL;
	swim_cim_class *cls = NULL;
	swim_cim_query *q = NULL;
	uint32_t timeout = 0;
	int rc;

	if ((rc = open_options(&timeout, s, p)) < 0 ||
	    (rc = swim_cimxml__query(&q, s, p->query_language, p->query)) < 0)
		return rc;
	if (p->return_query_result_class &&
	    (rc = result_class(&cls, s, q)) < 0) {
		swim_cim_query_free(q);
		return rc;
	}
	rc = swim_cimom_cursor_query(&cur, &s->call, q, &plain);
	rc = open_with(s, p, cur, rc, timeout, PULL_INSTANCES, cls);
	swim_cim_class_free(cls);
	return rc;
}

/* Pull ---------------------------------------------------------------------- */

static int pull(struct serve *s, const swim_cimxml_params *p,
                enum pull_kind kind)
{
	swim_cim_sessions *ss = swim_cimom_sessions(s->om);
	swim_cim_session *ses = NULL;
	bool eos = false;
	int rc;

	if ((rc = swim_cim_session_take(&ses, ss, &s->call,
	                                p->enumeration_context)) < 0)
		return rc;
	if (ses->kind != (int)kind) {
		rc = swim_cim_call_fail(&s->call,
		                        SWIM_CIM_ERR_INVALID_ENUMERATION_CONTEXT,
		                        SWIM_EINVAL, "enumeration '%s' is read "
		                        "with %s, not %s", p->enumeration_context,
		                        kinds[ses->kind].pull, kinds[kind].pull);
		swim_cim_session_put(ss, ses);
		return rc;
	}
	rc = page(&eos, s, ses->cur, kind, p->max_object_count);
	/* Without ContinueOnError, a failure ends the enumeration. */
	if (rc < 0 || eos)
		swim_cim_session_end(ss, ses);
	else
		swim_cim_session_put(ss, ses);
	if (rc == 0)
		page_end(s, eos, eos ? NULL : p->enumeration_context);
	return rc;
}

int swim_cimxml__pull_with_path(struct serve *s, swim_cimxml_params *p)
{
	return pull(s, p, PULL_WITH_PATH);
}

int swim_cimxml__pull_paths(struct serve *s, swim_cimxml_params *p)
{
	return pull(s, p, PULL_PATHS);
}

int swim_cimxml__pull_instances(struct serve *s, swim_cimxml_params *p)
{
	return pull(s, p, PULL_INSTANCES);
}

int swim_cimxml__close(struct serve *s, swim_cimxml_params *p)
{
	return swim_cim_session_close(swim_cimom_sessions(s->om), &s->call,
	                              p->enumeration_context);
}
