/* Enumerations of instances and associations, and ExecQuery: each runs
 * as a cursor of the object manager. The first part of the answer is
 * made while the request is handled, so that any failure before it is
 * an ordinary <ERROR>; an answer that is not over after the first part
 * is streamed, one part at a time, from the cursor. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cimxml/server_internal.h"
#include "util/str.h"

/* About this much of an answer is made at a time. */
#define PART_BYTES ((size_t)64 << 10)

struct swim_cimxml_stream {
	swim_cimom *om;
	swim_cimom_cursor *cur;
	char *user;
	bool read_only;
	swim_xmlw w;               /* the writer, inside IRETURNVALUE */
	enum result_kind kind;
};

void swim_cimxml_stream_free(swim_cimxml_stream *st)
{
	if (!st)
		return;
	swim_cimom_cursor_free(st->cur);
	free(st->user);
	free(st);
}

int swim_cimxml_stream_next(swim_cimxml_stream *st, swim_buf *out)
{
	struct results r = { &st->w, st->kind, PART_BYTES };
	swim_cim_call call;
	int rc;

	st->w.out = out;
	if ((rc = swim_cim_call_init(&call, st->om,
	                             swim_cimom_cursor_namespace(st->cur),
	                             st->user, st->read_only)) < 0 ||
	    (rc = swim_cimom_cursor_next(st->cur, &call, ULONG_MAX,
	                                 swim_cimxml__emit, &r)) < 0)
		return rc;
	if (rc == 0) {
		/* The end: IRETURNVALUE and everything around it. */
		while (st->w.depth)
			swim_xmlw_end(&st->w);
		return swim_xmlw_finish(&st->w);
	}
	return st->w.rc < 0 ? st->w.rc : 1;
}

/* Goes on streaming cur (taken) after what s->w has written. */
static int stream(struct serve *s, swim_cimom_cursor *cur,
                  enum result_kind kind)
{
	swim_cimxml_stream *st = calloc(1, sizeof(*st));

	if (!st || !(st->user = swim_strdup(s->in->user ? s->in->user : ""))) {
		free(st);
		swim_cimom_cursor_free(cur);
		return swim_error_oom();
	}
	st->om = s->om;
	st->cur = cur;
	st->read_only = s->in->read_only;
	st->w = s->w;
	st->kind = kind;
	s->stream = st;
	return 0;
}

/* The results of cur (made with result rc; taken) in IRETURNVALUE: the
 * whole answer when it fits in a part, else its first part and the
 * stream of the rest. */
static int run(struct serve *s, swim_cimom_cursor *cur, int rc,
               enum result_kind kind)
{
	struct results r = { &s->w, kind, PART_BYTES };

	if (rc < 0)
		return rc;
	swim_xmlw_start(&s->w, "IRETURNVALUE");
	rc = swim_cimom_cursor_next(cur, &s->call, ULONG_MAX, swim_cimxml__emit,
	                            &r);
	if (rc > 0 && !s->w.rc)
		return stream(s, cur, kind);
	swim_cimom_cursor_free(cur);
	swim_xmlw_end(&s->w);
	return rc < 0 ? rc : 0;
}

int swim_cimxml__enum_instances(struct serve *s, swim_cimxml_params *p)
{
	swim_cim_filter f = swim_cimxml__filter(p, p->local_only);
	swim_cimom_cursor *cur = NULL;
	int rc = swim_cimom_cursor_instances(&cur, &s->call, p->class_name,
	                                     p->deep_inheritance, &f, NULL);

	return run(s, cur, rc, R_NAMEDINSTANCE);
}

int swim_cimxml__enum_instance_names(struct serve *s, swim_cimxml_params *p)
{
	swim_cimom_cursor *cur = NULL;
	int rc = swim_cimom_cursor_instances(&cur, &s->call, p->class_name,
	                                     true, NULL, NULL);

	return run(s, cur, rc, R_INSTANCENAME);
}

int swim_cimxml__assoc_cursor(swim_cimom_cursor **out, struct serve *s,
                              const swim_cimxml_params *p, bool references,
                              bool names, swim_cim_query *where)
{
	swim_cim_filter f = swim_cimxml__filter(p, false);
	swim_cim_assoc_filter af = swim_cimxml__assoc(p);

	return swim_cimom_cursor_assoc(out, &s->call, p->path, &af,
	                               names ? NULL : &f, where, references);
}

static int run_assoc(struct serve *s, swim_cimxml_params *p,
                     bool references, bool names)
{
	swim_cimom_cursor *cur = NULL;
	int rc = swim_cimxml__assoc_cursor(&cur, s, p, references, names, NULL);

	return run(s, cur, rc, names ? R_OBJECTPATH : R_OBJECTWITHPATH);
}

int swim_cimxml__associators(struct serve *s, swim_cimxml_params *p)
{
	return run_assoc(s, p, false, false);
}

int swim_cimxml__associator_names(struct serve *s, swim_cimxml_params *p)
{
	return run_assoc(s, p, false, true);
}

int swim_cimxml__references(struct serve *s, swim_cimxml_params *p)
{
	return run_assoc(s, p, true, false);
}

int swim_cimxml__reference_names(struct serve *s, swim_cimxml_params *p)
{
	return run_assoc(s, p, true, true);
}

/* Queries ------------------------------------------------------------------ */

int swim_cimxml__query(swim_cim_query **out, struct serve *s,
                       const char *language, const char *text)
{
	swim_cim_status status = SWIM_CIM_OK;
	int rc;

	*out = NULL;
	if ((rc = swim_cim_query_parse(out, language, text, strlen(text),
	                               swim_cimom_limits(s->om), &status)) < 0 ||
	    (rc = swim_cim_query_check(*out, s->call.repo, s->call.ns, 0,
	                               &status)) < 0) {
		swim_cim_query_free(*out);
		*out = NULL;
		s->call.status = status;
	}
	return rc;
}

/* DSP0200: VALUE.OBJECTWITHPATH, each instance with its path, shaped by
 * the select list. */
int swim_cimxml__exec_query(struct serve *s, swim_cimxml_params *p)
{
	static const swim_cim_filter plain = SWIM_CIM_FILTER_GETINSTANCE;
	swim_cimom_cursor *cur = NULL;
	swim_cim_query *q = NULL;
	int rc;

	if ((rc = swim_cimxml__query(&q, s, p->query_language, p->query)) == 0)
		rc = swim_cimom_cursor_query(&cur, &s->call, q, &plain);
	return run(s, cur, rc, R_OBJECTWITHPATH);
}
