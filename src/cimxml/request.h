/* Decoding a CIM-XML operation request: the envelope (CIM, MESSAGE,
 * SIMPLEREQ, IMETHODCALL or METHODCALL), intrinsic parameters
 * (IPARAMVALUE) by name and kind, and extrinsic arguments (PARAMVALUE).
 * Internal to src/cimxml; the fuzz target drives it directly. */
#ifndef SWIM_CIMXML_REQUEST_H
#define SWIM_CIMXML_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "cimxml/codec.h"

typedef struct swim_cimxml_request {
	xmlDoc *doc;
	const char *id;            /* MESSAGE ID (borrowed from doc) */
	const char *method;        /* NAME of the call (borrowed) */
	bool intrinsic;            /* IMETHODCALL (else METHODCALL) */
	char *ns;                  /* the namespace, as sent */
	swim_cim_path *target;     /* METHODCALL: its class or instance */
	const xmlNode *call;       /* the IMETHODCALL / METHODCALL */
	/* why the envelope was refused: */
	unsigned http_status;      /* 400 or 501 */
	const char *cim_error;     /* the CIMError value */
} swim_cimxml_request;

/* Reads the envelope (with parser, a context to reuse, unless NULL). On
 * failure (negative) http_status and cim_error say how to answer, with
 * the message in the error slot; they stay 0 and NULL for an allocation
 * failure. */
int swim_cimxml_request_parse(swim_cimxml_request *req, const char *body,
                              size_t len, const swim_limits *lim,
                              xmlParserCtxt *parser);
void swim_cimxml_request_dispose(swim_cimxml_request *req);

/* The intrinsic parameters DSP0200 defines for the operations swimd
 * knows; each is read according to its kind. */
typedef enum swim_cimxml_param {
	SWIM_CIMXML_P_CLASSNAME,
	SWIM_CIMXML_P_INSTANCENAME,
	SWIM_CIMXML_P_OBJECTNAME,
	SWIM_CIMXML_P_LOCALONLY,
	SWIM_CIMXML_P_DEEPINHERITANCE,
	SWIM_CIMXML_P_INCLUDEQUALIFIERS,
	SWIM_CIMXML_P_INCLUDECLASSORIGIN,
	SWIM_CIMXML_P_PROPERTYLIST,
	SWIM_CIMXML_P_ASSOCCLASS,
	SWIM_CIMXML_P_RESULTCLASS,
	SWIM_CIMXML_P_ROLE,
	SWIM_CIMXML_P_RESULTROLE,
	SWIM_CIMXML_P_NEWINSTANCE,
	SWIM_CIMXML_P_MODIFIEDINSTANCE,
	SWIM_CIMXML_P_PROPERTYNAME,
	SWIM_CIMXML_P_NEWVALUE,
	SWIM_CIMXML_P_QUERYLANGUAGE,
	SWIM_CIMXML_P_QUERY,
	SWIM_CIMXML_P_FILTERQUERYLANGUAGE,
	SWIM_CIMXML_P_FILTERQUERY,
	SWIM_CIMXML_P_RETURNQUERYRESULTCLASS,
	SWIM_CIMXML_P_OPERATIONTIMEOUT,
	SWIM_CIMXML_P_CONTINUEONERROR,
	SWIM_CIMXML_P_MAXOBJECTCOUNT,
	SWIM_CIMXML_P_ENUMERATIONCONTEXT,
	SWIM_CIMXML_P_COUNT
} swim_cimxml_param;

/* One parameter of an operation: required, or its DSP0200 default. */
typedef struct swim_cimxml_param_spec {
	swim_cimxml_param id;
	bool required;
	bool def;                  /* booleans: the default */
} swim_cimxml_param_spec;

typedef struct swim_cimxml_params {
	bool given[SWIM_CIMXML_P_COUNT];
	char *class_name;          /* ClassName */
	swim_cim_path *path;       /* InstanceName, ObjectName,
	                            * ModifiedInstance's name */
	bool local_only, deep_inheritance, include_qualifiers,
	     include_class_origin;
	bool has_property_list;
	char **property_list;
	size_t property_count;
	char *assoc_class, *result_class, *role, *result_role;
	swim_cim_instance *instance;   /* NewInstance, ModifiedInstance */
	char *property_name;
	swim_cim_value new_value;
	/* QueryLanguage and Query (ExecQuery), or FilterQueryLanguage and
	 * FilterQuery (the Open operations): no operation has both */
	char *query_language, *query;
	bool return_query_result_class, continue_on_error;
	char *operation_timeout;   /* as sent; the server judges it */
	uint32_t max_object_count;
	char *enumeration_context;
} swim_cimxml_params;

/* Reads the IPARAMVALUEs of call against the n specs: unknown or
 * repeated names, a missing required one and values of the wrong kind
 * are errors (rd->status INVALID_PARAMETER). */
int swim_cimxml_params_read(swim_cimxml_params *p, swim_cimxml_reader *rd,
                            const xmlNode *call,
                            const swim_cimxml_param_spec *spec, size_t n);
void swim_cimxml_params_dispose(swim_cimxml_params *p);

/* The PARAMVALUEs of a METHODCALL as the properties of a
 * "__MethodParameters" instance. */
int swim_cimxml_args_read(swim_cim_instance **out, swim_cimxml_reader *rd,
                          const xmlNode *call);

#endif
