/* libFuzzer target for the CIM-XML request decoder and the operations
 * behind it (the object manager with the interop, system and test
 * providers): any body gets an answer, never a crash. A 200 answer must
 * be well-formed XML; anything else is a header-level error with text.
 * The CIMMethod and CIMObject headers are taken from the body's own call,
 * so that inputs reach the operations instead of stopping at
 * header-mismatch. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "cim/mof.h"
#include "cimxml/request.h"
#include "cimxml/server.h"
#include "providers/providers.h"
#include "util/xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Built once: loading the schema costs far more than one request. */
static swim_cimom *fuzz_om;

static swim_cimom *object_manager(void)
{
	static const char *const extra[] = {
		SWIM_SOURCE_DIR "/schema/test/swim_test.mof"
	};
	static const swim_interop_config icfg = { "fuzzhost", "0" };
	static swim_cim_repo *repo;

	if (fuzz_om)
		return fuzz_om;
	if (swim_cim_schema_load(&repo, SWIM_SOURCE_DIR "/schema", extra, 1,
	                         NULL) < 0 ||
	    swim_cimom_new(&fuzz_om, repo, "fuzzhost", NULL) < 0 ||
	    swim_provider_interop_add(NULL, fuzz_om, &icfg) < 0 ||
	    swim_provider_system_add(fuzz_om, "fuzzhost") < 0 ||
	    swim_provider_test_add(fuzz_om, 0) < 0)
		abort();
	return fuzz_om;
}

/* The headers a well-behaved client would send for this body. */
static void headers_of(swim_buf *method, swim_buf *object, const char *body,
                       size_t size)
{
	swim_cimxml_request req;

	(void)swim_buf_puts(method, "GetClass");
	(void)swim_buf_puts(object, "root/cimv2");
	if (swim_cimxml_request_parse(&req, body, size, NULL, NULL) == 0) {
		swim_buf_clear(method);
		swim_buf_clear(object);
		(void)swim_buf_puts(method, req.method);
		if (req.intrinsic)
			(void)swim_buf_puts(object, req.ns);
		else
			(void)swim_cim_path_format(object, req.target,
			                           SWIM_CIM_URI_CIMOBJECT);
	}
	swim_cimxml_request_dispose(&req);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	swim_buf method = SWIM_BUF_INIT(0), object = SWIM_BUF_INIT(0);
	swim_buf body = SWIM_BUF_INIT(0), answer = SWIM_BUF_INIT(0);
	swim_cimxml_output out = { 0, NULL, &answer, NULL };
	swim_cimxml_input in;
	xmlDoc *doc = NULL;
	swim_limits lim;
	int rc = 0;

	/* The body must end with a NUL, as the HTTP layer guarantees. */
	if (swim_buf_put(&body, data, size) < 0)
		return 0;
	headers_of(&method, &object, body.ptr, body.len);
	in.user = "fuzzer";
	in.read_only = size % 2;
	in.cim_method = method.ptr;
	in.cim_object = object.ptr;
	in.body = body.ptr;
	in.body_len = body.len;
	in.parser = NULL;
	if (swim_cimxml_serve(object_manager(), &in, &out, NULL, NULL) < 0) {
		if (swim_error_last_code() != SWIM_ENOMEM) {
			fprintf(stderr, "serve failed: %s\n", swim_error_last());
			abort();
		}
	} else if (out.status == 200) {
		/* A streamed answer, whole. */
		while (out.stream && (rc = swim_cimxml_stream_next(out.stream,
		                                                   &answer)) > 0)
			;
		if (out.stream && rc < 0 &&
		    swim_error_last_code() != SWIM_ENOMEM) {
			fprintf(stderr, "stream failed: %s\n", swim_error_last());
			abort();
		}
		swim_cimxml_stream_free(out.stream);
		swim_limits_init(&lim);
		lim.xml_max_depth = 256;
		if (rc == 0 && swim_xml_parse(&doc, answer.ptr, answer.len,
		                              answer.len + 1, &lim, "answer") < 0)
			abort();
		xmlFreeDoc(doc);
	} else if (!out.cim_error || (out.status != 400 && out.status != 501)) {
		abort();
	}
	swim_buf_dispose(&method);
	swim_buf_dispose(&object);
	swim_buf_dispose(&body);
	swim_buf_dispose(&answer);
	return 0;
}
