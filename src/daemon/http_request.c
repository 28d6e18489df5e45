/* One HTTP request: the checks of http.h in order (with the client
 * certificate and M-POST's extension headers), the body collected under
 * its limits, the handler called, its response queued, and one log line
 * at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "daemon/http_internal.h"
#include "swim/error.h"
#include "util/str.h"

#define XML_CONTENT_TYPE "application/xml; charset=\"utf-8\""
#define TEXT_CONTENT_TYPE "text/plain; charset=utf-8"
#define REALM "swimd"

struct response_header {
	char *name;
	char *value;
};

struct swimd_response {
	unsigned status;
	swim_buf body;
	char *content_type;
	struct response_header *headers;
	size_t n_headers;
	swimd_stream_fn stream;   /* non-NULL: body, then these parts */
	void *stream_state;
	void (*stream_release)(void *state);
};

/* A streamed body on its way out: the part being sent and where. */
struct stream {
	swim_buf part;
	size_t off;
	bool done;
	swimd_stream_fn next;
	void *state;
	void (*release)(void *state);
	swimd_log *log;
	char client[64];
};

struct request {
	swimd_http *srv;
	struct http_daemon *d;
	struct http_conn *conn;  /* the connection's slot, or NULL */
	uint64_t start_ms;
	uint64_t deadline_ms;    /* the whole request by then */
	char prefix[16];         /* M-POST: the Man header's "NN-" */
	bool answered;          /* a response is queued */
	bool streamed;          /* its length is not known */
	unsigned status;
	size_t body_out;
	swim_buf body;
	char *method;
	char *url;
	char *user;
	swimd_role role;
	char *cim_method;
	char *cim_object;
	const char *protocol;   /* MHD's header value or "1.0" */
	char client[64];
};

/* ---- responses ---------------------------------------------------- */

static void response_init(swimd_response *resp, size_t max_body)
{
	memset(resp, 0, sizeof(*resp));
	resp->status = 200;
	swim_buf_init(&resp->body, max_body);
}

static void response_dispose(swimd_response *resp)
{
	if (resp->stream_release)
		resp->stream_release(resp->stream_state);
	for (size_t i = 0; i < resp->n_headers; i++) {
		free(resp->headers[i].name);
		free(resp->headers[i].value);
	}
	free(resp->headers);
	free(resp->content_type);
	swim_buf_dispose(&resp->body);
}

void swimd_response_set_status(swimd_response *resp, unsigned status)
{
	resp->status = status;
}

swim_buf *swimd_response_body(swimd_response *resp)
{
	return &resp->body;
}

static bool header_value_ok(const char *v)
{
	return !strpbrk(v, "\r\n");
}

int swimd_response_add_header(swimd_response *resp, const char *name,
                              const char *value)
{
	static const char tchar[] = "!#$%&'*+-.^_`|~0123456789"
	                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                            "abcdefghijklmnopqrstuvwxyz";
	struct response_header *h;

	if (!*name || strspn(name, tchar) != strlen(name) ||
	    !header_value_ok(value))
		return swim_error_set(SWIM_EINVAL,
		                      "invalid response header '%s'", name);
	h = realloc(resp->headers, (resp->n_headers + 1) * sizeof(*h));
	if (!h)
		return swim_error_oom();
	resp->headers = h;
	h = &h[resp->n_headers];
	h->name = swim_strdup(name);
	h->value = swim_strdup(value);
	if (!h->name || !h->value) {
		free(h->name);
		free(h->value);
		return SWIM_ENOMEM;
	}
	resp->n_headers++;
	return 0;
}

int swimd_response_set_content_type(swimd_response *resp,
                                    const char *content_type)
{
	if (!header_value_ok(content_type))
		return swim_error_set(SWIM_EINVAL, "invalid Content-Type");
	return swim_str_set(&resp->content_type, content_type);
}

int swimd_response_stream(swimd_response *resp, swimd_stream_fn next,
                          void *state, void (*release)(void *state))
{
	if (resp->stream) {
		if (release)
			release(state);
		return swim_error_set(SWIM_EINVAL, "the response streams already");
	}
	resp->stream = next;
	resp->stream_state = state;
	resp->stream_release = release;
	return 0;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *st = cls;
	size_t n;
	int rc;

	(void)pos;
	while (st->off == st->part.len) {
		if (st->done)
			return MHD_CONTENT_READER_END_OF_STREAM;
		swim_buf_clear(&st->part);
		st->off = 0;
		swim_error_clear();
		rc = st->next(st->state, &st->part);
		if (rc < 0) {
			swimd_log_write(st->log, SWIMD_LOG_ERROR,
			                "streaming to %s failed, connection cut: %s",
			                st->client, swim_error_last());
			return MHD_CONTENT_READER_END_WITH_ERROR;
		}
		st->done = rc == 0;
	}
	n = st->part.len - st->off;
	if (n > max)
		n = max;
	memcpy(buf, st->part.ptr + st->off, n);
	st->off += n;
	return (ssize_t)n;
}

static void stream_free(void *cls)
{
	struct stream *st = cls;

	if (st->release)
		st->release(st->state);
	swim_buf_dispose(&st->part);
	free(st);
}

/* The libmicrohttpd response of a streamed answer; resp's body goes first
 * (as the first part) and resp gives up its stream. */
static struct MHD_Response *stream_response(struct request *rq,
                                            swimd_response *resp)
{
	struct MHD_Response *r;
	struct stream *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->part = resp->body;
	swim_buf_init(&resp->body, resp->body.max);
	st->next = resp->stream;
	st->state = resp->stream_state;
	st->release = resp->stream_release;
	st->log = rq->srv->log;
	memcpy(st->client, rq->client, sizeof(st->client));
	resp->stream_release = NULL;
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 32768,
	                                      stream_read, st, stream_free);
	if (!r)
		stream_free(st);
	return r;
}

static int response_vtext(swimd_response *resp, unsigned status,
                          const char *fmt, va_list ap) SWIM_PRINTF(3, 0);
static int response_vtext(swimd_response *resp, unsigned status,
                          const char *fmt, va_list ap)
{
	int rc;

	resp->status = status;
	swim_buf_clear(&resp->body);
	if ((rc = swimd_response_set_content_type(resp, TEXT_CONTENT_TYPE)) < 0 ||
	    (rc = swim_buf_vprintf(&resp->body, fmt, ap)) < 0)
		return rc;
	return swim_buf_putc(&resp->body, '\n');
}

int swimd_response_cim_error(swimd_response *resp, unsigned status,
                             const char *cim_error, const char *fmt, ...)
{
	va_list ap;
	int rc;

	if ((rc = swimd_response_add_header(resp, "CIMError", cim_error)) < 0)
		return rc;
	va_start(ap, fmt);
	rc = response_vtext(resp, status, fmt, ap);
	va_end(ap);
	return rc;
}

static bool has_header(const swimd_response *resp, const char *name)
{
	for (size_t i = 0; i < resp->n_headers; i++)
		if (swim_str_ieq(resp->headers[i].name, name))
			return true;
	return false;
}

/* Adds a response header; for M-POST, CIM headers carry the request's
 * prefix, as the extension's headers do (73-CIMOperation). */
static bool add_header(struct MHD_Response *r, const struct request *rq,
                       const char *name, const char *value)
{
	char full[128];

	if (rq->prefix[0] && strncasecmp(name, "CIM", 3) == 0) {
		if ((size_t)snprintf(full, sizeof(full), "%s%s", rq->prefix,
		                     name) >= sizeof(full))
			return false;
		name = full;
	}
	return MHD_add_response_header(r, name, value) == MHD_YES;
}

/* RFC 2774: an answer to a request whose mandatory extension was
 * understood says so with Ext, and declares the prefix of its own CIM
 * headers with Man. */
static bool add_extension_headers(struct MHD_Response *r,
                                  const struct request *rq)
{
	char man[96];
	size_t plen = strlen(rq->prefix);

	if (!plen)
		return true;
	(void)snprintf(man, sizeof(man), "http://www.dmtf.org/cim/mapping/"
	               "http/v1.0; ns=%.*s", (int)(plen - 1), rq->prefix);
	/* Ext has no value; libmicrohttpd refuses an empty one, and a blank
	 * is the same on the wire (surrounding blanks are not part of a
	 * field value). */
	return MHD_add_response_header(r, "Ext", " ") == MHD_YES &&
	       MHD_add_response_header(r, "Man", man) == MHD_YES;
}

/* Hands resp to libmicrohttpd. MHD_NO (close the connection) only when
 * even that fails. */
static enum MHD_Result queue(struct MHD_Connection *conn, struct request *rq,
                             swimd_response *resp)
{
	struct MHD_Response *r;
	size_t len = resp->body.len;
	enum MHD_Result ok = MHD_NO;
	char *body;

	if (resp->stream) {
		if (!(r = stream_response(rq, resp)))
			return MHD_NO;
		rq->streamed = true;
	} else {
		if (!(body = swim_buf_detach(&resp->body)))
			return MHD_NO;
		r = MHD_create_response_from_buffer_with_free_callback(len, body,
		                                                       free);
		if (!r) {
			free(body);
			return MHD_NO;
		}
	}
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	                            resp->content_type ? resp->content_type
	                                               : XML_CONTENT_TYPE) != MHD_YES)
		goto out;
	for (size_t i = 0; i < resp->n_headers; i++)
		if (!add_header(r, rq, resp->headers[i].name,
		                resp->headers[i].value))
			goto out;
	if (resp->status == 200 && !has_header(resp, "CIMOperation") &&
	    !add_header(r, rq, "CIMOperation", "MethodResponse"))
		goto out;
	if (!add_extension_headers(r, rq))
		goto out;
	/* Stopping, or serving an earlier certificate: clients come back
	 * on a new connection. */
	if ((atomic_load(&rq->srv->stopping) || atomic_load(&rq->d->retiring)) &&
	    MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close") != MHD_YES)
		goto out;
	ok = MHD_queue_response(conn, resp->status, r);
	if (ok == MHD_YES) {
		rq->answered = true;
		rq->status = resp->status;
		rq->body_out = len;
	}
out:
	MHD_destroy_response(r);
	return ok;
}

/* An answer of the server itself: status, optional CIMError and one more
 * header, and a one-line text body. */
static enum MHD_Result refuse(struct MHD_Connection *conn, struct request *rq,
                              unsigned status, const char *cim_error,
                              const char *hname, const char *hvalue,
                              const char *fmt, ...) SWIM_PRINTF(7, 8);
static enum MHD_Result refuse(struct MHD_Connection *conn, struct request *rq,
                              unsigned status, const char *cim_error,
                              const char *hname, const char *hvalue,
                              const char *fmt, ...)
{
	swimd_response resp;
	enum MHD_Result ok = MHD_NO;
	va_list ap;
	int rc;

	response_init(&resp, 4096);
	va_start(ap, fmt);
	rc = response_vtext(&resp, status, fmt, ap);
	va_end(ap);
	if (rc == 0 && cim_error)
		rc = swimd_response_add_header(&resp, "CIMError", cim_error);
	if (rc == 0 && hname)
		rc = swimd_response_add_header(&resp, hname, hvalue);
	if (rc == 0)
		ok = queue(conn, rq, &resp);
	response_dispose(&resp);
	return ok;
}

/* A refusal for a limit: the same text goes to the client and, at info
 * level, to the log. */
static enum MHD_Result refuse_limit(struct MHD_Connection *conn,
                                    struct request *rq, unsigned status,
                                    const char *fmt, ...) SWIM_PRINTF(4, 5);
static enum MHD_Result refuse_limit(struct MHD_Connection *conn,
                                    struct request *rq, unsigned status,
                                    const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	swimd_log_write(rq->srv->log, SWIMD_LOG_INFO,
	                "refused a request from %s: %s", rq->client, msg);
	return refuse(conn, rq, status, NULL, NULL, NULL, "%s", msg);
}

/* ---- request checks ----------------------------------------------- */

static const char *header(struct MHD_Connection *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* The name of a CIM header in this request: "CIMMethod", or with M-POST
 * "73-CIMMethod". */
static const char *cim_name(char *buf, size_t size, const struct request *rq,
                            const char *name)
{
	(void)snprintf(buf, size, "%s%s", rq->prefix, name);
	return buf;
}

static const char *cim_header(struct MHD_Connection *conn,
                              const struct request *rq, const char *name)
{
	char full[64];

	return header(conn, cim_name(full, sizeof(full), rq, name));
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* DSP0200 %-escapes CIM names and paths in headers (root%2Fcimv2). The
 * result must be UTF-8 text without control characters. */
static int pct_decode(char **out, const char *s)
{
	size_t len = strlen(s), n = 0;
	char *d;

	*out = NULL;
	if (!(d = malloc(len + 1)))
		return swim_error_oom();
	for (size_t i = 0; i < len; i++) {
		int hi, lo;

		if (s[i] != '%') {
			d[n++] = s[i];
			continue;
		}
		if (i + 2 >= len ||
		    (hi = hexval(s[i + 1])) < 0 || (lo = hexval(s[i + 2])) < 0) {
			free(d);
			return swim_error_set(SWIM_EINVAL,
			                      "invalid %%-escape at byte %zu", i + 1);
		}
		d[n++] = (char)(hi << 4 | lo);
		i += 2;
	}
	d[n] = '\0';
	if (strlen(d) != n || swim_str_has_ctrl(d, n, false) ||
	    !swim_str_is_utf8(d, n)) {
		free(d);
		return swim_error_set(SWIM_EINVAL,
		                      "decodes to control characters or invalid UTF-8");
	}
	*out = d;
	return 0;
}

/* application/xml or text/xml, with charset utf-8 when a charset is
 * given (quoted or not). */
static bool content_type_ok(const char *ct)
{
	const char *semi, *p;
	size_t tlen;

	if (!ct)
		return false;
	semi = strchr(ct, ';');
	tlen = semi ? (size_t)(semi - ct) : strlen(ct);
	while (tlen > 0 && (ct[tlen - 1] == ' ' || ct[tlen - 1] == '\t'))
		tlen--;
	if (!((tlen == 15 && strncasecmp(ct, "application/xml", 15) == 0) ||
	      (tlen == 8 && strncasecmp(ct, "text/xml", 8) == 0)))
		return false;
	for (p = semi; p; p = strchr(p + 1, ';')) {
		const char *v = p + 1, *end;
		size_t vlen;

		v += strspn(v, " \t");
		if (strncasecmp(v, "charset=", 8) != 0)
			continue;
		v += 8;
		end = strchr(v, ';');
		vlen = end ? (size_t)(end - v) : strlen(v);
		while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
			vlen--;
		if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
			v++;
			vlen -= 2;
		}
		if (!(vlen == 5 && strncasecmp(v, "utf-8", 5) == 0))
			return false;
	}
	return true;
}

/* "1.0", "1.1": DSP0200 says a server answers every 1.x request. */
static bool protocol_ok(const char *v)
{
	size_t digits;

	if (strncmp(v, "1.", 2) != 0)
		return false;
	digits = strspn(v + 2, "0123456789");
	return digits > 0 && v[2 + digits] == '\0';
}

static enum MHD_Result authenticate(struct MHD_Connection *conn,
                                    struct request *rq, bool *passed)
{
	swimd_http *srv = rq->srv;
	char *pass = NULL, *user;
	unsigned retry = 0;
	char retry_s[24];
	int rc;

	*passed = false;
	user = MHD_basic_auth_get_username_password(conn, &pass);
	if (!user) {
		if (pass) {
			explicit_bzero(pass, strlen(pass));
			MHD_free(pass);
		}
		return refuse(conn, rq, 401, NULL, "WWW-Authenticate",
		              "Basic realm=\"" REALM "\"",
		              "authentication required (HTTP Basic)");
	}
	rc = swimd_auth_check(&rq->role, &retry, srv->auth, user,
	                      pass ? pass : "", swimd_auth_now_ms());
	if (pass) {
		explicit_bzero(pass, strlen(pass));
		MHD_free(pass);
	}
	if (rc == 0) {
		rq->user = swim_strdup(user);
		MHD_free(user);
		*passed = rq->user != NULL;
		return rq->user ? MHD_YES : MHD_NO;
	}
	swimd_log_write(srv->log, SWIMD_LOG_INFO,
	                "login failed for user %s from %s: %s", user,
	                rq->client, swim_error_last());
	MHD_free(user);
	if (rc == SWIM_ELIMIT) {
		(void)snprintf(retry_s, sizeof(retry_s), "%u", retry);
		return refuse(conn, rq, 429, NULL, "Retry-After", retry_s,
		              "too many failed logins; retry in %u seconds",
		              retry);
	}
	if (rc != SWIM_EACCESS)
		return refuse(conn, rq, 500, NULL, NULL, NULL,
		              "internal error during authentication");
	return refuse(conn, rq, 401, NULL, "WWW-Authenticate",
	              "Basic realm=\"" REALM "\"",
	              "unknown user or wrong password");
}

/* CIMMethod or CIMObject: present, not empty, %-decodable. */
static enum MHD_Result cim_name_header(struct MHD_Connection *conn,
                                       struct request *rq, const char *bare,
                                       char **out)
{
	char name[64];
	const char *v = header(conn, cim_name(name, sizeof(name), rq, bare));

	if (!v || !*v)
		return refuse(conn, rq, 400, "header-mismatch", NULL, NULL,
		              "the %s header is missing or empty", name);
	if (pct_decode(out, v) < 0)
		return refuse(conn, rq, 400, "header-mismatch", NULL, NULL,
		              "%s header: %s", name, swim_error_last());
	return MHD_YES;
}

/* With tls_client_ca, an HTTPS connection must present a certificate
 * that CA issued; it is checked once per connection. */
static enum MHD_Result client_certificate(struct MHD_Connection *conn,
                                          struct request *rq, bool *passed)
{
	struct http_conn *c = rq->conn;
	const union MHD_ConnectionInfo *ci;
	char *subject = NULL;

	*passed = false;
	if (c && c->cert == 1) {
		*passed = true;
		return MHD_YES;
	}
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (swimd_tls_verify_client(&subject, ci ? ci->tls_session : NULL) < 0) {
		swimd_log_write(rq->srv->log, SWIMD_LOG_INFO,
		                "refused the client certificate of %s: %s",
		                rq->client, swim_error_last());
		if (c)
			c->cert = -1;
		return refuse(conn, rq, 403, NULL, NULL, NULL,
		              "a client certificate issued by the CA swimd "
		              "trusts is required: %s", swim_error_last());
	}
	swimd_log_write(rq->srv->log, SWIMD_LOG_DEBUG,
	                "accepted the client certificate of %s: %s",
	                rq->client, subject);
	free(subject);
	if (c)
		c->cert = 1;
	*passed = true;
	return MHD_YES;
}

/* M-POST (RFC 2774, DSP0200): the Man header declares the CIM mapping
 * and the prefix of its headers; the request is then a POST whose CIM
 * headers carry that prefix. */
static enum MHD_Result mandatory_extension(struct MHD_Connection *conn,
                                          struct request *rq,
                                          const char *version, bool *passed)
{
	const char *man = header(conn, "Man");
	int rc;

	*passed = false;
	if (strcmp(version, MHD_HTTP_VERSION_1_1) != 0)
		return refuse(conn, rq, 400, NULL, NULL, NULL,
		              "M-POST needs HTTP/1.1 (RFC 2774)");
	if (!man)
		return refuse(conn, rq, 400, "header-mismatch", NULL, NULL,
		              "M-POST without a Man header: declare the CIM "
		              "mapping (Man: http://www.dmtf.org/cim/mapping/"
		              "http/v1.0; ns=NN) or send the request with POST");
	rc = swimd_http__man_prefix(rq->prefix, sizeof(rq->prefix), man);
	if (rc < 0)
		rq->prefix[0] = '\0';   /* the refusal is no extension answer */
	if (rc == SWIM_ENOTSUPPORTED)
		return refuse(conn, rq, 510, NULL, NULL, NULL,
		              "Man header: %s; send the request with POST",
		              swim_error_last());
	if (rc < 0)
		return refuse(conn, rq, 400, "header-mismatch", NULL, NULL,
		              "Man header: %s", swim_error_last());
	*passed = true;
	return MHD_YES;
}

struct header_tally {
	uint64_t count;
	uint64_t bytes;   /* as on the wire: "Name: value\r\n" */
};

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind,
                                    const char *key, const char *value)
{
	struct header_tally *t = cls;

	(void)kind;
	t->count++;
	t->bytes += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

/* The checks that need only the request line and headers, in the order
 * of http.h. Either queues a refusal or lets the body come. */
static enum MHD_Result check_headers(struct MHD_Connection *conn,
                                     struct request *rq, const char *version)
{
	const swim_limits *lim = &rq->srv->lim;
	struct header_tally tally = { 0, 0 };
	const char *v;
	uint64_t clen;
	bool passed;
	enum MHD_Result r;

	if (atomic_load(&rq->srv->stopping))
		return refuse(conn, rq, 503, NULL, NULL, NULL,
		              "swimd is shutting down");
	if (rq->d->tls && swimd_tls_client_ca_pem(rq->d->tls) &&
	    ((r = client_certificate(conn, rq, &passed)) != MHD_YES || !passed))
		return r;
	tally.bytes = strlen(rq->method) + strlen(rq->url) + 12;
	(void)MHD_get_connection_values(conn, MHD_HEADER_KIND, count_header,
	                                &tally);
	if (tally.count > lim->http_max_headers)
		return refuse_limit(conn, rq, 431, "more than %llu request "
		                    "headers (http_max_headers)",
		                    (unsigned long long)lim->http_max_headers);
	if (tally.bytes > lim->http_max_header_bytes)
		return refuse_limit(conn, rq, 431, "request headers larger than "
		                    "%llu bytes (http_max_header_bytes)",
		                    (unsigned long long)lim->http_max_header_bytes);
	v = header(conn, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (v && swim_str_to_u64(&clen, v, UINT64_MAX, "Content-Length") == 0 &&
	    clen > lim->http_max_body_bytes)
		return refuse_limit(conn, rq, 413, "request body of %llu bytes "
		                    "is larger than %llu (http_max_body_bytes)",
		                    (unsigned long long)clen,
		                    (unsigned long long)lim->http_max_body_bytes);
	swim_error_clear();
	if ((r = authenticate(conn, rq, &passed)) != MHD_YES || !passed)
		return r;
	if (strcmp(rq->url, "/cimom") != 0)
		return refuse(conn, rq, 404, NULL, NULL, NULL,
		              "no such resource; CIM-XML requests go to /cimom");
	if (strcmp(rq->method, "M-POST") == 0) {
		if ((r = mandatory_extension(conn, rq, version, &passed)) !=
		    MHD_YES || !passed)
			return r;
	} else if (strcmp(rq->method, MHD_HTTP_METHOD_POST) != 0) {
		return refuse(conn, rq, 405, NULL, "Allow", "POST, M-POST",
		              "method %s not allowed; CIM-XML requests use POST",
		              rq->method);
	}
	v = cim_header(conn, rq, "CIMOperation");
	if (!v || !swim_str_ieq(v, "MethodCall"))
		return refuse(conn, rq, 400, "unsupported-operation", NULL, NULL,
		              "not a CIM operation request (%sCIMOperation: "
		              "MethodCall expected)", rq->prefix);
	if (cim_header(conn, rq, "CIMBatch"))
		return refuse(conn, rq, 501, "multiple-requests-unsupported",
		              NULL, NULL, "multiple requests are not supported");
	v = cim_header(conn, rq, "CIMProtocolVersion");
	rq->protocol = v ? v : "1.0";
	if (!protocol_ok(rq->protocol))
		return refuse(conn, rq, 501, "unsupported-protocol-version",
		              NULL, NULL, "%sCIMProtocolVersion '%s' is not 1.x",
		              rq->prefix, rq->protocol);
	if (!content_type_ok(header(conn, MHD_HTTP_HEADER_CONTENT_TYPE)))
		return refuse(conn, rq, 415, NULL, NULL, NULL,
		              "Content-Type must be application/xml or text/xml "
		              "in utf-8");
	if ((r = cim_name_header(conn, rq, "CIMMethod", &rq->cim_method)) != MHD_YES ||
	    !rq->cim_method)
		return r;
	if ((r = cim_name_header(conn, rq, "CIMObject", &rq->cim_object)) != MHD_YES ||
	    !rq->cim_object)
		return r;
	return MHD_YES;
}

/* ---- the request's life ------------------------------------------- */

static void set_timeout(struct MHD_Connection *conn, uint64_t seconds)
{
	unsigned s = seconds > UINT32_MAX ? UINT32_MAX : (unsigned)seconds;

	(void)MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT,
	                                s ? s : 1);
}

static void request_free(struct request *rq)
{
	if (!rq)
		return;
	swim_buf_dispose(&rq->body);
	free(rq->method);
	free(rq->url);
	free(rq->user);
	free(rq->cim_method);
	free(rq->cim_object);
	free(rq);
}

static struct request *request_new(struct http_daemon *d,
                                   struct MHD_Connection *conn,
                                   const char *url, const char *method)
{
	swimd_http *srv = d->srv;
	const union MHD_ConnectionInfo *ci;
	struct request *rq = calloc(1, sizeof(*rq));
	uint64_t since;

	if (!rq)
		return NULL;
	rq->srv = srv;
	rq->d = d;
	rq->conn = swimd_http__conn_of(conn);
	rq->start_ms = swimd_auth_now_ms();
	swim_buf_init(&rq->body, srv->lim.http_max_body_bytes);
	rq->method = swim_strdup(method);
	rq->url = swim_strdup(url);
	if (!rq->method || !rq->url) {
		request_free(rq);
		return NULL;
	}
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr)
		swimd_http__peer_name(rq->client, sizeof(rq->client),
		                      ci->client_addr);
	else
		(void)snprintf(rq->client, sizeof(rq->client), "unknown");
	since = rq->start_ms;
	(void)pthread_mutex_lock(&srv->lock);
	srv->in_flight++;
	if (rq->conn && rq->conn->mhd == conn) {
		/* The request's time started when the connection was
		 * accepted or answered its previous request. */
		since = rq->conn->since_ms;
		rq->conn->busy = true;
	} else {
		rq->conn = NULL;
	}
	(void)pthread_mutex_unlock(&srv->lock);
	rq->deadline_ms = since + srv->lim.http_request_timeout_seconds * 1000u;
	return rq;
}

/* The seconds left until the request's deadline (at least 1). */
static uint64_t seconds_left(const struct request *rq, uint64_t now)
{
	return now >= rq->deadline_ms ? 1 : (rq->deadline_ms - now + 999) / 1000;
}

/* More body: kept while under http_max_body_bytes. Past it (a body sent
 * without Content-Length) the connection is closed: libmicrohttpd 0.9.75
 * cannot queue an answer while a body is arriving. */
static enum MHD_Result take_body(struct MHD_Connection *conn,
                                 struct request *rq, const char *data,
                                 size_t *size)
{
	const swim_limits *lim = &rq->srv->lim;
	uint64_t now = swimd_auth_now_ms();

	if (rq->answered) {
		*size = 0;
		return MHD_YES;
	}
	if (now >= rq->deadline_ms) {
		swimd_log_write(rq->srv->log, SWIMD_LOG_INFO,
		                "closing the connection of %s: request not "
		                "received within %llu seconds "
		                "(http_request_timeout_seconds)", rq->client,
		                (unsigned long long)lim->http_request_timeout_seconds);
		return MHD_NO;
	}
	if (swim_buf_put(&rq->body, data, *size) < 0) {
		swimd_log_write(rq->srv->log, SWIMD_LOG_INFO,
		                "closing the connection of %s: request body "
		                "larger than %llu bytes (http_max_body_bytes)",
		                rq->client,
		                (unsigned long long)lim->http_max_body_bytes);
		return MHD_NO;
	}
	*size = 0;
	/* The rest must come within what is left of the request timeout. */
	set_timeout(conn, seconds_left(rq, now));
	return MHD_YES;
}

static enum MHD_Result run_handler(struct MHD_Connection *conn,
                                   struct request *rq)
{
	swimd_http *srv = rq->srv;
	swimd_request req = {
		.client = rq->client,
		.user = rq->user,
		.role = rq->role,
		.cim_method = rq->cim_method,
		.cim_object = rq->cim_object,
		.protocol_version = rq->protocol,
		.body = rq->body.ptr,
		.body_len = rq->body.len,
	};
	swimd_response resp;
	enum MHD_Result ok;
	int rc;

	set_timeout(conn, srv->lim.http_idle_timeout_seconds);
	response_init(&resp, srv->lim.http_max_response_bytes);
	swim_error_clear();
	rc = srv->handler(srv->handler_ctx, &req, &resp);
	if (rc < 0) {
		swimd_log_write(srv->log, SWIMD_LOG_ERROR,
		                "%s from %s (user %s): %s", rq->cim_method,
		                rq->client, rq->user, swim_error_last());
		response_dispose(&resp);
		return refuse(conn, rq, 500, NULL, NULL, NULL,
		              "internal error; the server log has the details");
	}
	ok = queue(conn, rq, &resp);
	response_dispose(&resp);
	return ok;
}

enum MHD_Result swimd_http__on_request(void *cls,
                                       struct MHD_Connection *conn,
                                       const char *url, const char *method,
                                       const char *version,
                                       const char *upload_data,
                                       size_t *upload_data_size,
                                       void **req_cls)
{
	struct http_daemon *d = cls;
	struct request *rq = *req_cls;
	uint64_t left;

	if (!rq) {
		if (!(rq = request_new(d, conn, url, method)))
			return MHD_NO;
		*req_cls = rq;
		left = seconds_left(rq, rq->start_ms);
		set_timeout(conn, d->srv->lim.http_idle_timeout_seconds < left
		                  ? d->srv->lim.http_idle_timeout_seconds : left);
		return check_headers(conn, rq, version);
	}
	if (*upload_data_size)
		return take_body(conn, rq, upload_data, upload_data_size);
	if (rq->answered)
		return MHD_YES;
	return run_handler(conn, rq);
}

static const char *termination_name(enum MHD_RequestTerminationCode toe)
{
	switch (toe) {
	case MHD_REQUEST_TERMINATED_COMPLETED_OK:
		return NULL;
	case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED:
		return "timed out";
	case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN:
		return "server stopping";
	case MHD_REQUEST_TERMINATED_READ_ERROR:
		return "client closed the connection";
	case MHD_REQUEST_TERMINATED_CLIENT_ABORT:
		return "client aborted";
	default:
		return "connection error";
	}
}

void swimd_http__on_completed(void *cls, struct MHD_Connection *conn,
                              void **req_cls,
                              enum MHD_RequestTerminationCode toe)
{
	struct http_daemon *d = cls;
	swimd_http *srv = d->srv;
	struct request *rq = *req_cls;
	const char *ended = termination_name(toe);
	struct http_conn *c;

	if (!rq)
		return;
	*req_cls = NULL;
	if (swimd_log_enabled(srv->log, SWIMD_LOG_DEBUG))
		swimd_log_write(srv->log, SWIMD_LOG_DEBUG,
		                "%s %s from %s user %s CIMMethod %s CIMObject %s: "
		                "%u, %zu bytes in, %zu%s out, %llu ms%s%s",
		                rq->method, rq->url, rq->client,
		                rq->user ? rq->user : "-",
		                rq->cim_method ? rq->cim_method : "-",
		                rq->cim_object ? rq->cim_object : "-",
		                rq->status, rq->body.len, rq->body_out,
		                rq->streamed ? "+stream" : "",
		                (unsigned long long)(swimd_auth_now_ms() -
		                                     rq->start_ms),
		                ended ? "; " : "", ended ? ended : "");
	c = rq->conn;
	(void)pthread_mutex_lock(&srv->lock);
	/* The next request's time starts now (if the slot is still this
	 * connection's). */
	if (c && c->mhd == conn) {
		c->busy = false;
		c->since_ms = swimd_auth_now_ms();
	}
	if (--srv->in_flight == 0)
		(void)pthread_cond_broadcast(&srv->drained);
	(void)pthread_mutex_unlock(&srv->lock);
	request_free(rq);
}
