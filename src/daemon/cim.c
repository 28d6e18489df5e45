#include <stdlib.h>

#include "cimxml/server.h"
#include "daemon/cim.h"
#include "util/str.h"

struct audit_ctx {
	swimd_log *log;
	const swimd_request *req;
};

static void audit(void *ctx, const char *operation, const char *object,
                  const char *result)
{
	struct audit_ctx *a = ctx;

	swimd_log_audit(a->log, a->req->user, a->req->client, operation, object,
	                result);
}

/* A large result: the CIM-XML layer makes it a part at a time as the
 * socket drains. */
static int stream_next(void *state, swim_buf *out)
{
	return swim_cimxml_stream_next(state, out);
}

static void stream_free(void *state)
{
	swim_cimxml_stream_free(state);
}

int swimd_cim_handle(void *ctx, const swimd_request *req,
                     swimd_response *resp)
{
	swimd_cim *cim = ctx;
	struct audit_ctx a = { cim->log, req };
	swim_cimxml_input in = {
		req->user, req->role != SWIMD_ROLE_ADMIN, req->cim_method,
		req->cim_object, req->body, req->body_len,
		swim_xml_pool_get(cim->parsers)
	};
	swim_cimxml_output out = { 200, NULL, swimd_response_body(resp), NULL };
	char *text;
	int rc;

	rc = swim_cimxml_serve(cim->om, &in, &out, audit, &a);
	swim_xml_pool_put(cim->parsers, in.parser);
	if (rc < 0)
		return rc;
	if (out.stream)
		return swimd_response_stream(resp, stream_next, out.stream,
		                             stream_free);
	if (out.status == 200)
		return 0;
	/* The error's text is in the body, which the call below replaces. */
	if (!(text = swim_strdup(out.body->ptr)))
		return SWIM_ENOMEM;
	rc = swimd_response_cim_error(resp, out.status, out.cim_error, "%s",
	                              text);
	free(text);
	return rc;
}
