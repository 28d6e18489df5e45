/* What the files of the CIM-XML server share: server.c (the envelope,
 * the operation table, single results), server_enum.c (enumerations and
 * ExecQuery, streamed when large) and server_pull.c (the pull
 * operations). */
#ifndef SWIM_CIMXML_SERVER_INTERNAL_H
#define SWIM_CIMXML_SERVER_INTERNAL_H

#include "cimxml/request.h"
#include "cimxml/server.h"
#include "util/xmlw.h"

/* What one result of an enumeration is written as. */
enum result_kind {
	R_CLASS,                /* CLASS */
	R_CLASSNAME,            /* CLASSNAME */
	R_NAMEDINSTANCE,        /* VALUE.NAMEDINSTANCE */
	R_INSTANCENAME,         /* INSTANCENAME */
	R_OBJECTWITHPATH,       /* VALUE.OBJECTWITHPATH */
	R_OBJECTPATH,           /* OBJECTPATH */
	R_INSTANCEWITHPATH,     /* VALUE.INSTANCEWITHPATH */
	R_INSTANCEPATH,         /* INSTANCEPATH */
	R_INSTANCE              /* INSTANCE */
};

/* The writer of results as the object manager emits them. */
struct results {
	swim_xmlw *w;
	enum result_kind kind;
	size_t part_bytes;      /* past this much output, stop after the
	                         * result (0: never) */
};

/* A swim_cim_emit_fn; ctx is a struct results. */
int swim_cimxml__emit(void *ctx, const swim_cim_object *obj);

/* One request being answered. */
struct serve {
	swim_cimom *om;
	const swim_cimxml_input *in;
	swim_cimxml_output *out;
	swim_cimxml_request req;
	swim_cimxml_reader rd;
	swim_cim_call call;
	swim_xmlw w;
	char *object;           /* what the audit line names */
	swim_cimxml_stream *stream;   /* set: the answer goes on streaming */
};

/* The DSP0200 defaults of the options that trim instances and classes. */
swim_cim_filter swim_cimxml__filter(const swim_cimxml_params *p,
                                    bool local_only);
swim_cim_assoc_filter swim_cimxml__assoc(const swim_cimxml_params *p);

/* Operations of server_enum.c and server_pull.c, for the table. */
typedef int (*swim_cimxml_op_fn)(struct serve *s, swim_cimxml_params *p);

int swim_cimxml__enum_instances(struct serve *s, swim_cimxml_params *p);
int swim_cimxml__enum_instance_names(struct serve *s, swim_cimxml_params *p);
int swim_cimxml__associators(struct serve *s, swim_cimxml_params *p);
int swim_cimxml__associator_names(struct serve *s, swim_cimxml_params *p);
int swim_cimxml__references(struct serve *s, swim_cimxml_params *p);
int swim_cimxml__reference_names(struct serve *s, swim_cimxml_params *p);
int swim_cimxml__exec_query(struct serve *s, swim_cimxml_params *p);

int swim_cimxml__open_enum_instances(struct serve *s, swim_cimxml_params *p);
int swim_cimxml__open_enum_paths(struct serve *s, swim_cimxml_params *p);
int swim_cimxml__open_associators(struct serve *s, swim_cimxml_params *p);
int swim_cimxml__open_associator_paths(struct serve *s,
                                       swim_cimxml_params *p);
int swim_cimxml__open_references(struct serve *s, swim_cimxml_params *p);
int swim_cimxml__open_reference_paths(struct serve *s,
                                      swim_cimxml_params *p);
int swim_cimxml__open_query(struct serve *s, swim_cimxml_params *p);
int swim_cimxml__pull_with_path(struct serve *s, swim_cimxml_params *p);
int swim_cimxml__pull_paths(struct serve *s, swim_cimxml_params *p);
int swim_cimxml__pull_instances(struct serve *s, swim_cimxml_params *p);
int swim_cimxml__close(struct serve *s, swim_cimxml_params *p);

/* The cursor of Associators or References (names: paths only) of
 * p->path with the association filters and options of p. */
int swim_cimxml__assoc_cursor(swim_cimom_cursor **out, struct serve *s,
                              const swim_cimxml_params *p, bool references,
                              bool names, swim_cim_query *where);

/* A query in the language the client named, checked against the
 * request's namespace (statuses 14 and 15 in s->call). */
int swim_cimxml__query(swim_cim_query **out, struct serve *s,
                       const char *language, const char *text);

#endif
