/* swimd — the CIM-XML handler: what the HTTP layer hands over (a request
 * that passed authentication and the header checks) goes to
 * swim_cimxml_serve(), and its answer back: a CIM-XML response, or a
 * header-level error with its CIMError value. Modifying operations are
 * written to the audit log with the user and client address. */
#ifndef SWIMD_CIM_H
#define SWIMD_CIM_H

#include "cimxml/cimom.h"
#include "daemon/http.h"
#include "daemon/log.h"
#include "util/xml.h"

typedef struct swimd_cim {
	swim_cimom *om;            /* borrowed */
	swimd_log *log;            /* borrowed; the audit lines go here */
	swim_xml_pool *parsers;    /* borrowed; NULL: a parser per request */
} swimd_cim;

/* A swimd_handler_fn; ctx is a swimd_cim. */
int swimd_cim_handle(void *ctx, const swimd_request *req,
                     swimd_response *resp);

#endif
