/* CIM-XML operations (DSP0200) end to end, without HTTP: a request's
 * CIM headers and body in, the answer out.
 *
 * The body is read under the limits (swim_xml_parse: no DTD, no
 * entities, no network); it need not be DTD-valid. What cannot be
 * understood as one CIM operation request is answered at the HTTP level
 * with a CIMError header (status and value in the output, a line of text
 * in the body):
 *
 *   400 request-not-well-formed   not XML (malformed, truncated, binary,
 *                                 entity declarations)
 *   400 request-not-valid         XML but not a CIM operation request, or
 *                                 over a limit (depth, nodes, text)
 *   501 unsupported-cim-version / unsupported-dtd-version /
 *       unsupported-protocol-version   CIMVERSION, DTDVERSION or the
 *                                 MESSAGE's PROTOCOLVERSION not 2.x / 1.x
 *   501 multiple-requests-unsupported   MULTIREQ
 *   400 header-mismatch           CIMMethod differs from the method
 *                                 called, or CIMObject from the namespace
 *                                 (intrinsic) or the object (extrinsic)
 *
 * Everything else is answered with 200 and a CIM-XML response: the
 * result, or <ERROR CODE DESCRIPTION> with the CIM status of the failure
 * (swim_cimxml_status()).
 */
#ifndef SWIM_CIMXML_SERVER_H
#define SWIM_CIMXML_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/parser.h>

#include "cim/status.h"
#include "cimxml/cimom.h"
#include "swim/buf.h"

typedef struct swim_cimxml_input {
	const char *user;           /* authenticated user */
	bool read_only;             /* no methods, no modifications */
	const char *cim_method;     /* CIMMethod header, %-decoded */
	const char *cim_object;     /* CIMObject header, %-decoded */
	const char *body;
	size_t body_len;
	xmlParserCtxt *parser;      /* NULL, or a parser context to reuse
	                             * (swim_xml_pool_get) */
} swim_cimxml_input;

typedef struct swim_cimxml_stream swim_cimxml_stream;

typedef struct swim_cimxml_output {
	unsigned status;            /* HTTP status: 200, 400 or 501 */
	const char *cim_error;      /* CIMError value when status is not 200 */
	swim_buf *body;             /* the caller's (capped) buffer: the XML
	                             * response, or the text of the error */
	swim_cimxml_stream *stream; /* set for a large result: body holds the
	                             * answer's beginning, the stream the rest
	                             * (the caller's, to free) */
} swim_cimxml_output;

/* Enumerations (EnumerateInstances and ...Names, the association
 * operations, ExecQuery) whose answer grows past a part (64 KiB) are
 * streamed: the request succeeded when the first part was made, and the
 * rest is made a part at a time, resuming the enumeration (cimom.h), so
 * the server holds one part and one cursor however large the answer.
 *
 * Appends the next part to out: 1 when more follows, 0 for the last part
 * (the end of the document), or a negative SWIM_E* (the answer is cut:
 * the status line is gone; the message is in the error slot). */
int swim_cimxml_stream_next(swim_cimxml_stream *st, swim_buf *out);
void swim_cimxml_stream_free(swim_cimxml_stream *st);

/* Called once for each operation that changes something (Create-,
 * Modify-, DeleteInstance, SetProperty, extrinsic methods) when its
 * outcome is known, refused ones included: the operation (the method
 * name for extrinsic calls), the object (a CIMObject-style path or class)
 * and "OK" or "CIM_ERR_...: description". */
typedef void (*swim_cimxml_audit_fn)(void *ctx, const char *operation,
                                     const char *object, const char *result);

/* Answers one request. Returns 0 with out filled; a negative SWIM_E*
 * only when no answer could be built (out of memory). */
int swim_cimxml_serve(swim_cimom *om, const swim_cimxml_input *in,
                      swim_cimxml_output *out, swim_cimxml_audit_fn audit,
                      void *audit_ctx);

/* The one mapping from a failure to the status a client sees: `status`
 * when the failing code knew it (not SWIM_CIM_OK), else by the SWIM_E*
 * code (ENOTFOUND NOT_FOUND, EEXISTS ALREADY_EXISTS, EINVAL
 * INVALID_PARAMETER, EACCESS ACCESS_DENIED, ENOTSUPPORTED NOT_SUPPORTED,
 * ELIMIT SERVER_LIMITS_EXCEEDED, the rest FAILED). */
swim_cim_status swim_cimxml_status(int rc, swim_cim_status status);

#endif
