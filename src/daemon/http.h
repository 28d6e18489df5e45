/* swimd — the HTTP server of CIM-XML (DSP0200) on libmicrohttpd.
 *
 * The server owns everything it needs (no globals): listening sockets for
 * HTTP and HTTPS, an accepting thread that applies the connection limits
 * and the request timeout, a libmicrohttpd daemon per protocol with a pool
 * of http_threads workers and keep-alive. Each request is checked here,
 * in this order, before anything else sees it:
 *
 *   503 while stopping; 403 an HTTPS client without a certificate from
 *   tls_client_ca (when set); 431 too many or too large headers; 413 a
 *   declared Content-Length over http_max_body_bytes (the body is never
 *   read); 401 / 429 authentication (HTTP Basic, see auth.h); 404 a path
 *   other than /cimom; M-POST: 400 header-mismatch for a missing or
 *   malformed Man header, 510 for mandatory extensions other than the
 *   CIM mapping, else its NN- headers stand for the plain ones; 405 any
 *   method but POST and M-POST; 400 unsupported-operation (CIMOperation
 *   not MethodCall); 501 multiple-requests-unsupported (CIMBatch); 501
 *   unsupported-protocol-version (CIMProtocolVersion not 1.x); 415 a
 *   Content-Type other than application/xml or text/xml in UTF-8; 400
 *   header-mismatch (CIMMethod or CIMObject missing, empty or not
 *   %-decodable to UTF-8 text).
 *
 * What passes goes to the handler with its body exactly as received; the
 * handler (the CIM-XML layer) judges the XML. docs/swimd.md has the
 * table for operators and clients.
 */
#ifndef SWIMD_HTTP_H
#define SWIMD_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "daemon/auth.h"
#include "daemon/log.h"
#include "daemon/users.h"
#include "swim/buf.h"
#include "swim/limits.h"

/* One CIM operation request that passed the HTTP checks. Everything is
 * borrowed and valid during the handler call only. */
typedef struct swimd_request {
	const char *client;           /* peer address: "127.0.0.1", "::1" */
	const char *user;             /* the authenticated user */
	swimd_role role;              /* READONLY: no methods, no changes */
	const char *cim_method;       /* CIMMethod, %-decoded, never NULL */
	const char *cim_object;       /* CIMObject, %-decoded, never NULL:
	                               * "root/cimv2" or a local path */
	const char *protocol_version; /* CIMProtocolVersion; "1.0" if absent */
	const char *body;             /* as received; NUL at body[body_len],
	                               * may hold NULs and any bytes */
	size_t body_len;
} swimd_request;

/* The answer a handler builds. It starts as 200 with
 * `Content-Type: application/xml; charset="utf-8"` and an empty body; the
 * server adds `CIMOperation: MethodResponse` to 200 answers. */
typedef struct swimd_response swimd_response;

void swimd_response_set_status(swimd_response *resp, unsigned status);

/* Adds a header (e.g. "CIMError"). Names are HTTP tokens; values must not
 * contain CR, LF or NUL: SWIM_EINVAL otherwise. */
int swimd_response_add_header(swimd_response *resp, const char *name,
                              const char *value);

/* Replaces the Content-Type. */
int swimd_response_set_content_type(swimd_response *resp,
                                    const char *content_type);

/* The body, capped at http_max_response_bytes (writes past it fail with
 * SWIM_ELIMIT). Borrowed from resp. */
swim_buf *swimd_response_body(swimd_response *resp);

/* A header-level CIM error: `status`, `CIMError: cim_error` and a plain
 * text body of the formatted message (replacing what was built). */
int swimd_response_cim_error(swimd_response *resp, unsigned status,
                             const char *cim_error, const char *fmt, ...)
	SWIM_PRINTF(4, 5);

/* Produces the next part of a streamed body by appending it to `out`
 * (empty on each call, capped at http_max_response_bytes). Returns 1 when
 * more follows, 0 after the last part, or a negative SWIM_E* code: the
 * status line is gone by then, so the connection is cut and the client
 * sees a chunked body without its end. Decide success before streaming. */
typedef int (*swimd_stream_fn)(void *state, swim_buf *out);

/* Makes resp a streamed answer: whatever the body buffer holds is sent
 * first, then the parts `next` produces, with chunked transfer coding and
 * memory bounded by one part. `release(state)` is called exactly once
 * when the stream is done or abandoned, and also when this call fails. */
int swimd_response_stream(swimd_response *resp, swimd_stream_fn next,
                          void *state, void (*release)(void *state));

/* Called on a worker thread, concurrently for different requests. Return
 * 0 to send what resp holds; a negative SWIM_E* code sends "500 Internal
 * Server Error" and logs swim_error_last() instead. */
typedef int (*swimd_handler_fn)(void *ctx, const swimd_request *req,
                                swimd_response *resp);

typedef struct swimd_http_config {
	const char *const *listen;    /* HTTP "ADDR:PORT": "127.0.0.1:5988",
	                               * "[::1]:5988"; port 0 picks one */
	size_t n_listen;              /* 0 is fine with tls_listen */
	bool allow_remote;            /* swim.conf allow_remote: listen on
	                               * addresses other than loopback */
	const char *const *tls_listen; /* HTTPS "ADDR:PORT"s, same forms */
	size_t n_tls_listen;
	const char *tls_cert;         /* PEM files (tls.h); needed with */
	const char *tls_key;          /* tls_listen, read again on reload */
	const char *tls_client_ca;    /* NULL: no client certificates */
	const char *tls_priorities;   /* NULL: SWIMD_TLS_PRIORITIES */
	const swim_limits *limits;    /* copied; NULL for the defaults */
	swimd_auth *auth;             /* borrowed; outlives the server */
	swimd_log *log;               /* borrowed; NULL logs nothing */
	swimd_handler_fn handler;
	void *handler_ctx;
} swimd_http_config;

typedef struct swimd_http swimd_http;

/* Binds every address and starts serving. A non-loopback address without
 * allow_remote, a malformed address or one that cannot be bound is an
 * error naming it, and nothing is left running.
 * @param[out] out freed with swimd_http_free(). */
int swimd_http_start(swimd_http **out, const swimd_http_config *cfg);

/* The port listen address `i` (tls_listen address `i`) is bound to
 * (useful with port 0); 0 when there is no such address. */
unsigned swimd_http_port(const swimd_http *srv, size_t i);
unsigned swimd_http_tls_port(const swimd_http *srv, size_t i);

/* Reads the certificate, key and client CA files again (SIGHUP) and
 * serves new HTTPS connections with them; the listening sockets stay
 * open throughout. Connections made before keep their session until they
 * close (their answers carry `Connection: close`). On any error the
 * certificate before stays in use. 0 without HTTPS addresses. */
int swimd_http_reload_tls(swimd_http *srv);

/* Stops gracefully: no new connections, new requests on open connections
 * get 503, requests in progress finish (for up to
 * http_shutdown_grace_seconds), then every connection is closed.
 * SWIM_ETIMEOUT when requests were still running at the deadline. Safe to
 * call twice. */
int swimd_http_stop(swimd_http *srv);

/* Stops (if needed) and frees. NULL is allowed. */
void swimd_http_free(swimd_http *srv);

#endif
