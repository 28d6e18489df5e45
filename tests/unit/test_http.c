/* The HTTP server end to end: a server on 127.0.0.1 with an ephemeral
 * port and a test handler, driven by libcurl and by raw sockets where a
 * client must misbehave. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "daemon/http.h"
#include "support/httptest.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

static int start_at(struct ht_server *s, const swim_limits *lim,
                    const char *const *listen, size_t n, bool remote)
{
	swimd_http_config cfg = {
		.listen = listen, .n_listen = n, .allow_remote = remote,
	};

	return ht_start_cfg(s, lim, &cfg);
}

/* ---- tests --------------------------------------------------------- */

static void test_http__request_reaches_the_handler(void **state)
{
	struct ht_server s;
	swim_limits lim = ht_limits();
	struct ht_reply r;
	const char *v11[] = { "CIMProtocolVersion: 1.1", NULL };

	(void)state;
	ht_start(&s, &lim);
	ht_post(&s, &r, "alice:secret", "EnumerateInstances", NULL, "<CIM/>", 6);
	ht_expect(&r, 200, NULL,
	       "user=alice role=admin client=127.0.0.1 method=EnumerateInstances "
	       "object=root/cimv2 version=1.0 len=6");
	assert_string_equal(ht_reply_header(&r, "Content-Type"),
	                    "application/xml; charset=\"utf-8\"");
	assert_string_equal(ht_reply_header(&r, "CIMOperation"), "MethodResponse");
	ht_reply_free(&r);

	ht_post(&s, &r, "reader:readpw", "GetInstance", v11, "x", 1);
	ht_expect(&r, 200, NULL, "user=reader role=readonly");
	assert_non_null(strstr(r.body.ptr, "version=1.1"));
	ht_reply_free(&r);

	/* Handlers set status and headers; bad header names are refused. */
	ht_post(&s, &r, "alice:secret", "Custom", NULL, "x", 1);
	ht_expect(&r, 202, NULL, NULL);
	assert_string_equal(ht_reply_header(&r, "X-Test"), "yes");
	assert_null(ht_reply_header(&r, "CIMOperation"));
	ht_reply_free(&r);
	ht_stop(&s);
}

static void test_http__keep_alive(void **state)
{
	struct ht_server s;
	swim_limits lim = ht_limits();
	struct ht_reply r;
	CURL *c = curl_easy_init();

	(void)state;
	lim.http_threads = 1;   /* no pool: one libmicrohttpd thread */
	ht_start(&s, &lim);
	for (int i = 0; i < 5; i++) {
		ht_request(c, &r, "POST", s.url, "alice:secret", "GetInstance", NULL,
		        "<CIM/>", 6);
		ht_expect(&r, 200, NULL, "user=alice");
		/* One connection, opened by the first request only. */
		assert_int_equal(r.connects, i == 0 ? 1 : 0);
		ht_reply_free(&r);
	}
	curl_easy_cleanup(c);
	ht_stop(&s);
}

struct client_arg {
	struct ht_server *s;
	int ok;
};

static void *client_main(void *arg)
{
	struct client_arg *a = arg;
	CURL *c = curl_easy_init();
	struct ht_reply r;

	for (int i = 0; i < 25; i++) {
		ht_request(c, &r, "POST", a->s->url, "alice:secret", "GetInstance",
		        NULL, "<CIM/>", 6);
		if (r.status == 200 && strstr(r.body.ptr, "user=alice"))
			a->ok++;
		ht_reply_free(&r);
	}
	curl_easy_cleanup(c);
	return NULL;
}

static void test_http__concurrent_clients(void **state)
{
	struct ht_server s;
	swim_limits lim = ht_limits();
	pthread_t t[8];
	struct client_arg a[8];
	swimd_auth_stats st;

	(void)state;
	ht_start(&s, &lim);
	for (int i = 0; i < 8; i++) {
		a[i] = (struct client_arg){ &s, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, client_main, &a[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(a[i].ok, 25);
	}
	assert_int_equal(atomic_load(&s.hs.calls), 200);
	/* The password was hashed once per racing first request at most;
	 * everything else came from the cache. */
	swimd_auth_stats_get(s.auth, &st);
	assert_true(st.verifications <= 8);
	assert_int_equal(st.verifications + st.cache_hits, 200);
	ht_stop(&s);
}

static void test_http__authentication(void **state)
{
	struct ht_server s;
	swim_limits lim = ht_limits();
	struct ht_reply r;

	(void)state;
	lim.auth_max_failures_per_minute = 3;
	ht_start(&s, &lim);
	ht_post(&s, &r, NULL, "GetInstance", NULL, "x", 1);
	ht_expect(&r, 401, NULL, "authentication required");
	assert_string_equal(ht_reply_header(&r, "WWW-Authenticate"),
	                    "Basic realm=\"swimd\"");
	ht_reply_free(&r);
	ht_post(&s, &r, "alice:wrong", "GetInstance", NULL, "x", 1);
	ht_expect(&r, 401, NULL, "unknown user or wrong password");
	assert_string_equal(ht_reply_header(&r, "WWW-Authenticate"),
	                    "Basic realm=\"swimd\"");
	ht_reply_free(&r);
	ht_exchange(&s, "nobody:secret", "GetInstance", NULL, "x", 1,
	         401, NULL, "unknown user or wrong password");
	/* An empty password and a user name with a colon-free garbage. */
	ht_exchange(&s, "alice:", "GetInstance", NULL, "x", 1,
	         401, NULL, NULL);
	/* Third failure for alice, then the limit. */
	ht_exchange(&s, "alice:wrong2", "GetInstance", NULL, "x", 1,
	         401, NULL, NULL);
	ht_post(&s, &r, "alice:secret", "GetInstance", NULL, "x", 1);
	ht_expect(&r, 429, NULL, "too many failed logins");
	assert_non_null(ht_reply_header(&r, "Retry-After"));
	ht_reply_free(&r);
	/* The readonly user is not locked out by alice's failures. */
	ht_exchange(&s, "reader:readpw", "GetInstance", NULL, "x", 1,
	         200, NULL, "role=readonly");
	assert_int_equal(atomic_load(&s.hs.calls), 1);
	ht_stop(&s);
}

static void test_http__methods_and_paths(void **state)
{
	struct ht_server s;
	swim_limits lim = ht_limits();
	struct ht_reply r;
	CURL *c = curl_easy_init();
	char other[80];

	(void)state;
	ht_start(&s, &lim);
	(void)snprintf(other, sizeof(other), "http://127.0.0.1:%u/other", s.port);
	ht_request(c, &r, "GET", s.url, "alice:secret", "GetInstance", NULL, NULL, 0);
	ht_expect(&r, 405, NULL, "method GET not allowed");
	assert_string_equal(ht_reply_header(&r, "Allow"), "POST, M-POST");
	ht_reply_free(&r);
	ht_request(c, &r, "PUT", s.url, "alice:secret", "GetInstance", NULL, "x", 1);
	ht_expect(&r, 405, NULL, NULL);
	ht_reply_free(&r);
	ht_request(c, &r, "M-POST", s.url, "alice:secret", "GetInstance", NULL, "x", 1);
	ht_expect(&r, 400, "header-mismatch", "M-POST without a Man header");
	ht_reply_free(&r);
	ht_request(c, &r, "POST", other, "alice:secret", "GetInstance", NULL, "x", 1);
	ht_expect(&r, 404, NULL, "/cimom");
	ht_reply_free(&r);
	ht_request(c, &r, "GET", other, "alice:secret", "GetInstance", NULL, NULL, 0);
	ht_expect(&r, 404, NULL, NULL);
	ht_reply_free(&r);
	/* Unauthenticated clients learn nothing about paths or methods. */
	ht_request(c, &r, "GET", other, NULL, "GetInstance", NULL, NULL, 0);
	ht_expect(&r, 401, NULL, NULL);
	ht_reply_free(&r);
	assert_int_equal(atomic_load(&s.hs.calls), 0);
	curl_easy_cleanup(c);
	ht_stop(&s);
}

#define MAN_CIM "Man: http://www.dmtf.org/cim/mapping/http/v1.0; ns=73"

static void test_http__mpost(void **state)
{
	/* The plain CIM headers are removed; M-POST's come prefixed. */
	const char *ok[] = {
		"CIMOperation:", "CIMMethod:", "CIMObject:", MAN_CIM,
		"73-CIMOperation: MethodCall", "73-CIMMethod: GetInstance",
		"73-CIMObject: root%2Fcimv2", "73-CIMProtocolVersion: 1.1", NULL,
	};
	const char *quoted[] = {
		"CIMOperation:", "CIMMethod:", "CIMObject:",
		"Man: \"http://www.dmtf.org/cim/mapping/http/v1.0\" ; ns=07 ; x=\"a,b\"",
		"07-CIMOperation: methodcall", "07-CIMMethod: Enumerate%49nstances",
		"07-CIMObject: root%2Finterop", NULL,
	};
	static const struct {
		const char *extra[8];
		const char *body, *cim_error;
	} prefixed[] = {
		{ { MAN_CIM, NULL }, "73-CIMOperation: MethodCall expected",
		  "unsupported-operation" },
		{ { "CIMMethod:", MAN_CIM, "73-CIMOperation: MethodCall",
		    "73-CIMObject: root", NULL },
		  "the 73-CIMMethod header is missing or empty", "header-mismatch" },
		{ { "CIMOperation:", "CIMMethod:", "CIMObject:", MAN_CIM,
		    "73-CIMOperation: MethodCall", "73-CIMMethod: Reject",
		    "73-CIMObject: root", NULL },
		  "bad XML at line 1", "request-not-well-formed" },
	};
	static const struct {
		const char *man;
		long status;
		const char *body;
	} bad[] = {
		{ "Man: http://www.dmtf.org/cim/mapping/http/v1.0; ns=7", 400,
		  "Man header: ns='7' is not two to 8 digits" },
		{ "Man: http://www.dmtf.org/cim/mapping/http/v1.0; ns=7x", 400, "ns='7x'" },
		{ "Man: http://www.dmtf.org/cim/mapping/http/v1.0", 400,
		  "Man header: the CIM mapping declaration has no ns=NN" },
		{ "Man: \"http://www.dmtf.org/cim/mapping/http/v1.0; ns=73", 400,
		  "Man header: an extension declaration without a URI" },
		{ "Man: ;ns=73", 400, "without a URI" },
		{ "Man: " "http://www.dmtf.org/cim/mapping/http/v1.0;ns=73, "
		  "http://www.dmtf.org/cim/mapping/http/v1.0;ns=74", 400,
		  "declared twice" },
		{ "Man: http://www.dmtf.org/cim/mapping/http/v1.0;ns=73 junk", 400,
		  "unexpected 'j' after an extension declaration" },
		{ "Man: \"http://example.com/other\"; ns=12", 510,
		  "Man header: the mandatory extension 'http://example.com/other' "
		  "is not supported (only http://www.dmtf.org/cim/mapping/http/v1.0); "
		  "send the request with POST" },
		{ "Man: http://www.dmtf.org/cim/mapping/http/v1.0;ns=73, "
		  "http://example.com/x", 510, "'http://example.com/x' is not supported" },
	};
	struct ht_server s;
	swim_limits lim = ht_limits();
	struct ht_reply r;
	CURL *c = curl_easy_init();
	char req[1024], *out;
	int fd;

	(void)state;
	ht_start(&s, &lim);
	ht_request(c, &r, "M-POST", s.url, "alice:secret", "X", ok, "<CIM/>", 6);
	ht_expect(&r, 200, NULL, "user=alice role=admin client=127.0.0.1 "
	          "method=GetInstance object=root/cimv2 version=1.1 len=6");
	/* RFC 2774: Ext says the extension was obeyed; the answer's CIM
	 * headers carry a prefix of their own Man declaration. */
	assert_string_equal(ht_reply_header(&r, "Ext"), "");
	assert_string_equal(ht_reply_header(&r, "Man"),
	                    "http://www.dmtf.org/cim/mapping/http/v1.0; ns=73");
	assert_string_equal(ht_reply_header(&r, "73-CIMOperation"), "MethodResponse");
	assert_null(ht_reply_header(&r, "CIMOperation"));
	ht_reply_free(&r);
	ht_request(c, &r, "M-POST", s.url, "alice:secret", "X", quoted, "x", 1);
	ht_expect(&r, 200, NULL, "method=EnumerateInstances object=root/interop "
	          "version=1.0 len=1");
	assert_string_equal(ht_reply_header(&r, "07-CIMOperation"), "MethodResponse");
	ht_reply_free(&r);

	/* With M-POST only the prefixed headers count, and errors, the
	 * handler's too, come with the prefix. */
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(prefixed); i++) {
		ht_request(c, &r, "M-POST", s.url, "alice:secret", "GetInstance",
		           prefixed[i].extra, "x", 1);
		assert_int_equal(r.status, 400);
		assert_non_null(strstr(r.body.ptr, prefixed[i].body));
		assert_string_equal(ht_reply_header(&r, "73-CIMError"),
		                    prefixed[i].cim_error);
		ht_reply_free(&r);
	}

	for (size_t i = 0; i < SWIM_ARRAY_SIZE(bad); i++) {
		const char *extra[] = { bad[i].man, NULL };

		ht_request(c, &r, "M-POST", s.url, "alice:secret", "GetInstance",
		           extra, "x", 1);
		if (r.status != bad[i].status || !strstr(r.body.ptr, bad[i].body))
			fail_msg("case %zu: %ld %s", i, r.status, r.body.ptr);
		if (r.status == 400)
			assert_string_equal(ht_reply_header(&r, "CIMError"),
			                    "header-mismatch");
		else
			assert_null(ht_reply_header(&r, "CIMError"));
		assert_null(ht_reply_header(&r, "Ext"));
		ht_reply_free(&r);
	}
	curl_easy_cleanup(c);

	/* RFC 2774 extensions need HTTP/1.1. */
	fd = ht_connect(s.port, NULL);
	(void)snprintf(req, sizeof(req), "M-POST /cimom HTTP/1.0\r\n%s"
	               MAN_CIM "\r\nContent-Length: 1\r\n\r\nx",
	               ht_raw_cim_headers);
	ht_send(fd, req);
	out = ht_read_until_closed(fd, 5000, NULL);
	assert_memory_equal(out, "HTTP/1.1 400 ", 13);
	assert_non_null(strstr(out, "M-POST needs HTTP/1.1 (RFC 2774)"));
	free(out);
	close(fd);
	assert_int_equal(atomic_load(&s.hs.calls), 3);
	ht_stop(&s);
}

struct header_case {
	const char *extra[3];
	long status;
	const char *cim_error;
	const char *body;
};

static void test_http__cim_header_errors(void **state)
{
	static const struct header_case cases[] = {
		{ { "CIMOperation:", NULL }, 400, "unsupported-operation", "CIMOperation: MethodCall" },
		{ { "CIMOperation: MethodResponse", NULL }, 400, "unsupported-operation", NULL },
		{ { "CIMExport: MethodRequest", "CIMOperation:", NULL }, 400, "unsupported-operation", NULL },
		{ { "CIMBatch: CIMBatch", NULL }, 501, "multiple-requests-unsupported", NULL },
		{ { "CIMProtocolVersion: 2.0", NULL }, 501, "unsupported-protocol-version", "'2.0' is not 1.x" },
		{ { "CIMProtocolVersion: 1", NULL }, 501, "unsupported-protocol-version", NULL },
		{ { "CIMProtocolVersion: 1.x", NULL }, 501, "unsupported-protocol-version", NULL },
		{ { "Content-Type: text/plain", NULL }, 415, NULL, "application/xml or text/xml" },
		{ { "Content-Type:", NULL }, 415, NULL, NULL },
		{ { "Content-Type: application/xml; charset=iso-8859-1", NULL }, 415, NULL, NULL },
		{ { "Content-Type: application/xmlx", NULL }, 415, NULL, NULL },
		{ { "CIMMethod:", NULL }, 400, "header-mismatch", "CIMMethod header is missing or empty" },
		{ { "CIMMethod;", NULL }, 400, "header-mismatch", "CIMMethod header is missing or empty" },
		{ { "CIMObject:", NULL }, 400, "header-mismatch", "CIMObject header is missing" },
		{ { "CIMObject: root%2", NULL }, 400, "header-mismatch", "CIMObject header: invalid %-escape at byte 5" },
		{ { "CIMObject: root%zzcimv2", NULL }, 400, "header-mismatch", "invalid %-escape" },
		{ { "CIMObject: root%00cimv2", NULL }, 400, "header-mismatch", "control characters or invalid UTF-8" },
		{ { "CIMObject: root%0Acimv2", NULL }, 400, "header-mismatch", "control characters" },
		{ { "CIMObject: root%FFcimv2", NULL }, 400, "header-mismatch", "invalid UTF-8" },
		{ { "CIMMethod: Get%", NULL }, 400, "header-mismatch", "CIMMethod header: invalid %-escape" },
		/* Accepted variants. */
		{ { "Content-Type: text/xml", NULL }, 200, NULL, "method=GetInstance" },
		{ { "Content-Type: application/xml;charset=UTF-8", NULL }, 200, NULL, NULL },
		{ { "Content-Type: Application/XML; Charset=\"utf-8\"; x=y", NULL }, 200, NULL, NULL },
		{ { "CIMOperation: methodcall", NULL }, 200, NULL, NULL },
		{ { "CIMProtocolVersion: 1.0", NULL }, 200, NULL, "version=1.0" },
	};
	struct ht_server s;
	swim_limits lim = ht_limits();
	struct ht_reply r;
	int calls = 0;

	(void)state;
	ht_start(&s, &lim);
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(cases); i++) {
		ht_post(&s, &r, "alice:secret", "GetInstance", cases[i].extra, "x", 1);
		if (r.status != cases[i].status)
			fail_msg("case %zu (%s): status %ld, expected %ld: %s", i,
			         cases[i].extra[0], r.status, cases[i].status,
			         r.body.ptr);
		ht_expect(&r, cases[i].status, cases[i].cim_error, cases[i].body);
		if (r.status == 200)
			calls++;
		ht_reply_free(&r);
	}
	/* Refused requests never reach the handler. */
	assert_int_equal(atomic_load(&s.hs.calls), calls);
	ht_stop(&s);
}

static void test_http__cim_names_are_percent_decoded(void **state)
{
	struct ht_server s;
	swim_limits lim = ht_limits();
	const char *path[] = {
		"CIMObject: root%2fcimv2%3ACIM_X.Name%3D%22a%20b%22,Id=5", NULL };
	const char *utf8[] = { "CIMObject: root/caf%C3%A9", "CIMMethod: Get%49nstance", NULL };

	(void)state;
	ht_start(&s, &lim);
	ht_exchange(&s, "alice:secret", "GetInstance", NULL, "x", 1,
	         200, NULL, "object=root/cimv2 ");
	ht_exchange(&s, "alice:secret", "InstallFromURI", path, "x", 1,
	         200, NULL, "object=root/cimv2:CIM_X.Name=\"a b\",Id=5 ");
	ht_exchange(&s, "alice:secret", "X", utf8, "x", 1,
	         200, NULL, "method=GetInstance object=root/caf\xc3\xa9 ");
	ht_stop(&s);
}

static void test_http__body_over_the_limit(void **state)
{
	struct ht_server s;
	swim_limits lim = ht_limits();
	char *big, *out, req[1024];
	long took;
	int fd;

	(void)state;
	lim.http_max_body_bytes = 1000;
	ht_start(&s, &lim);
	big = malloc(5000);
	memset(big, 'a', 5000);

	/* Exactly at the limit is fine. */
	ht_exchange(&s, "alice:secret", "GetInstance", NULL, big, 1000,
	         200, NULL, "len=1000");

	/* A declared length over the limit is refused before a byte of the
	 * body is sent: this client never sends one. */
	fd = ht_connect(s.port, NULL);
	(void)snprintf(req, sizeof(req), "POST /cimom HTTP/1.1\r\n%s"
	               "Content-Length: 100000000\r\n\r\n", ht_raw_cim_headers);
	ht_send(fd, req);
	out = ht_read_until_closed(fd, 5000, &took);
	assert_memory_equal(out, "HTTP/1.1 413 ", 13);
	assert_non_null(strstr(out, "larger than 1000 (http_max_body_bytes)"));
	assert_true(took < 4000);
	free(out);
	close(fd);

	/* A chunked body growing past the limit: the connection is closed
	 * without an answer (libmicrohttpd cannot answer mid-body). */
	fd = ht_connect(s.port, NULL);
	(void)snprintf(req, sizeof(req), "POST /cimom HTTP/1.1\r\n%s"
	               "Transfer-Encoding: chunked\r\n\r\n", ht_raw_cim_headers);
	ht_send(fd, req);
	for (int i = 0; i < 3; i++) {
		char chunk[700];

		(void)snprintf(chunk, sizeof(chunk), "258\r\n%0600d\r\n", 0);
		(void)send(fd, chunk, strlen(chunk), MSG_NOSIGNAL);
	}
	out = ht_read_until_closed(fd, 5000, &took);
	assert_null(strstr(out, "HTTP/1.1 200"));
	assert_true(took < 4000);
	free(out);
	close(fd);
	assert_int_equal(atomic_load(&s.hs.calls), 1);

	/* A small chunked body is accepted. */
	fd = ht_connect(s.port, NULL);
	(void)snprintf(req, sizeof(req), "POST /cimom HTTP/1.1\r\n%s"
	               "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
	               "5\r\nhello\r\n0\r\n\r\n", ht_raw_cim_headers);
	ht_send(fd, req);
	out = ht_read_until_closed(fd, 5000, NULL);
	assert_memory_equal(out, "HTTP/1.1 200 ", 13);
	assert_non_null(strstr(out, "\r\n\r\nhello"));
	free(out);
	close(fd);

	/* And the server keeps serving. */
	ht_exchange(&s, "alice:secret", "GetInstance", NULL, "x", 1,
	         200, NULL, NULL);
	free(big);
	swim_assert_ok(swimd_http_stop(s.srv));
	out = ht_log(&s);
	assert_non_null(strstr(out, " info: refused a request from 127.0.0.1: "
	                            "request body of 100000000 bytes is larger "
	                            "than 1000 (http_max_body_bytes)\n"));
	assert_non_null(strstr(out, " info: closing the connection of 127.0.0.1: "
	                            "request body larger than 1000 bytes "
	                            "(http_max_body_bytes)\n"));
	free(out);
	ht_stop(&s);
}

static void test_http__bodies_reach_the_handler_untouched(void **state)
{
	struct ht_server s;
	swim_limits lim = ht_limits();
	struct ht_reply r;
	unsigned char bin[1024];
	static const char truncated[] = "<?xml version=\"1.0\"?><CIM><MESSAGE ID=";
	static const char hostile[] = "<!DOCTYPE x [<!ENTITY a \"&a;&a;\">]><x>&a;</x>";

	(void)state;
	ht_start(&s, &lim);
	for (size_t i = 0; i < sizeof(bin); i++)
		bin[i] = (unsigned char)(i * 7 + 3);
	bin[10] = 0;
	bin[500] = 0;
	ht_post(&s, &r, "alice:secret", "Echo", NULL, bin, sizeof(bin));
	ht_expect(&r, 200, NULL, NULL);
	assert_int_equal(r.body.len, sizeof(bin));
	assert_memory_equal(r.body.ptr, bin, sizeof(bin));
	ht_reply_free(&r);
	ht_post(&s, &r, "alice:secret", "Echo", NULL, truncated, strlen(truncated));
	ht_expect(&r, 200, NULL, NULL);
	assert_string_equal(r.body.ptr, truncated);
	ht_reply_free(&r);
	ht_post(&s, &r, "alice:secret", "Echo", NULL, hostile, strlen(hostile));
	assert_string_equal(r.body.ptr, hostile);
	ht_reply_free(&r);
	ht_exchange(&s, "alice:secret", "GetInstance", NULL, "", 0,
	         200, NULL, "len=0");
	ht_stop(&s);
}

static void test_http__garbage_never_hurts(void **state)
{
	static const char *const junk[] = {
		"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",   /* a TLS hello */
		"GARBAGE\r\n\r\n",
		"POST /cimom HTTP/9.9\r\nHost: x\r\n\r\n",
		"POST /cimom HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
		"POST /cimom HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
		"POST /cimom HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
		"POST /cimom HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n",
		"POST /cimom HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
		HT_BASIC_ALICE "\r\nCIMOperation: MethodCall\r\n\r\nzz\r\n",
		"POST /cimom HTTP/1.1\r\nHost: x\r\nAuthorization: Basic !!!!\r\n\r\n",
		"POST /cimom HTTP/1.1\r\nHost: x\r\nAuthorization: Basic OmJhcmU=\r\n\r\n",
		"POST /cimom HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWxpY2U=\r\n\r\n",
		"\r\n\r\n\r\n",
	};
	struct ht_server s;
	swim_limits lim = ht_limits();
	char *out;
	int fd;

	(void)state;
	lim.http_idle_timeout_seconds = 2;
	ht_start(&s, &lim);
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(junk); i++) {
		fd = ht_connect(s.port, NULL);
		(void)send(fd, junk[i], strlen(junk[i]), MSG_NOSIGNAL);
		shutdown(fd, SHUT_WR);
		out = ht_read_until_closed(fd, 5000, NULL);
		/* An error answer or none; never a success. */
		if (*out && strncmp(out, "HTTP/1.1 4", 10) != 0 &&
		    strncmp(out, "HTTP/1.1 505", 12) != 0)
			fail_msg("junk %zu answered: %.40s", i, out);
		free(out);
		close(fd);
	}
	assert_int_equal(atomic_load(&s.hs.calls), 0);
	ht_exchange(&s, "alice:secret", "GetInstance", NULL, "x", 1, 200, NULL, NULL);
	ht_stop(&s);
}

static void test_http__connection_limits(void **state)
{
	struct ht_server s;
	swim_limits lim = ht_limits();
	int a1, a2, a3, b1, b2;
	char *out;

	(void)state;
	lim.http_max_connections = 3;
	lim.http_max_connections_per_ip = 2;
	ht_start(&s, &lim);
	a1 = ht_connect(s.port, "127.0.0.1");
	a2 = ht_connect(s.port, "127.0.0.1");
	ht_sleep_ms(100);
	/* A third from the same address is told why and closed at once. */
	a3 = ht_connect(s.port, "127.0.0.1");
	out = ht_read_until_closed(a3, 3000, NULL);
	assert_memory_equal(out, "HTTP/1.1 503 Service Unavailable\r\n", 34);
	assert_non_null(strstr(out, "\r\nRetry-After: 10\r\n"));
	assert_non_null(strstr(out, "\r\n\r\nswimd refused the connection: "
	                            "already 2 connections from this address "
	                            "(http_max_connections_per_ip)\n"));
	free(out);
	/* Another address may still connect, until the total is reached. */
	b1 = ht_connect(s.port, "127.0.0.2");
	ht_sleep_ms(100);
	b2 = ht_connect(s.port, "127.0.0.2");
	out = ht_read_until_closed(b2, 3000, NULL);
	assert_memory_equal(out, "HTTP/1.1 503 ", 13);
	assert_non_null(strstr(out, "already 3 connections (http_max_connections)"));
	free(out);
	/* b1 is a working connection. */
	ht_send(b1, "POST /cimom HTTP/1.1\r\nHost: x\r\n" HT_BASIC_ALICE "\r\n"
	              "Content-Type: application/xml\r\nCIMOperation: MethodCall\r\n"
	              "CIMMethod: Echo\r\nCIMObject: root\r\nContent-Length: 2\r\n"
	              "Connection: close\r\n\r\nok");
	out = ht_read_until_closed(b1, 5000, NULL);
	assert_memory_equal(out, "HTTP/1.1 200 ", 13);
	free(out);
	close(a1);
	close(a2);
	close(a3);
	close(b1);
	close(b2);
	/* Closed connections are counted out again. */
	ht_sleep_ms(200);
	ht_exchange(&s, "alice:secret", "GetInstance", NULL, "x", 1,
	         200, NULL, NULL);
	/* One log line for a burst of refusals. */
	swim_assert_ok(swimd_http_stop(s.srv));
	out = ht_log(&s);
	assert_non_null(strstr(out, " warning: refused a connection from 127.0.0.1: "
	                            "already 2 connections from this address "
	                            "(http_max_connections_per_ip) (0 more refused "
	                            "since the last report)\n"));
	assert_null(strstr(out, "already 3 connections"));
	free(out);
	ht_stop(&s);
}

static void test_http__header_limits(void **state)
{
	struct ht_server s;
	swim_limits lim = ht_limits();
	struct ht_reply r;
	const char *many[16] = { 0 };
	char names[12][16], *huge;
	const char *one[2] = { 0 };

	(void)state;
	lim.http_max_headers = 12;
	lim.http_max_header_bytes = 2048;
	ht_start(&s, &lim);
	for (int i = 0; i < 12; i++) {
		(void)snprintf(names[i], sizeof(names[i]), "X-H%d: v", i);
		many[i] = names[i];
	}
	ht_exchange(&s, "alice:secret", "GetInstance", many, "x", 1,
	         431, NULL, "more than 12 request headers (http_max_headers)");
	one[0] = "X-Long: 01234567890123456789012345678901234567890123456789"
	         "01234567890123456789012345678901234567890123456789"
	         "01234567890123456789012345678901234567890123456789"
	         "01234567890123456789012345678901234567890123456789";
	for (int i = 0; i < 3; i++)
		many[i] = one[0];
	many[3] = NULL;
	ht_post(&s, &r, "alice:secret", "GetInstance", many, "x", 1);
	ht_expect(&r, 200, NULL, NULL);   /* 11 headers, about 1,000 bytes */
	ht_reply_free(&r);
	{
		static char longer[2100];

		memset(longer, 'v', sizeof(longer) - 1);
		memcpy(longer, "X-Longer: ", 10);
		one[0] = longer;
	}
	ht_exchange(&s, "alice:secret", "GetInstance", one, "x", 1,
	         431, NULL, "request headers larger than 2048 bytes "
	                      "(http_max_header_bytes)");
	/* Far past the limit libmicrohttpd itself refuses. */
	huge = malloc(40000);
	memcpy(huge, "X-Big: ", 7);
	memset(huge + 7, 'b', 40000 - 8);
	huge[40000 - 1] = '\0';
	one[0] = huge;
	ht_exchange(&s, "alice:secret", "GetInstance", one, "x", 1,
	         431, NULL, NULL);
	free(huge);
	assert_int_equal(atomic_load(&s.hs.calls), 1);
	ht_exchange(&s, "alice:secret", "GetInstance", NULL, "x", 1,
	         200, NULL, NULL);
	swim_assert_ok(swimd_http_stop(s.srv));
	huge = ht_log(&s);
	assert_non_null(strstr(huge, " info: refused a request from 127.0.0.1: "
	                             "more than 12 request headers "
	                             "(http_max_headers)\n"));
	assert_non_null(strstr(huge, " info: refused a request from 127.0.0.1: "
	                             "request headers larger than 2048 bytes "
	                             "(http_max_header_bytes)\n"));
	free(huge);
	ht_stop(&s);
}

static void test_http__timeouts(void **state)
{
	struct ht_server s;
	swim_limits lim = ht_limits();
	char req[1024], *out;
	long took;
	int fd;

	(void)state;
	lim.http_request_timeout_seconds = 1;
	lim.http_idle_timeout_seconds = 5;
	ht_start(&s, &lim);
	/* A body that never completes: cut after the request timeout. */
	fd = ht_connect(s.port, NULL);
	(void)snprintf(req, sizeof(req), "POST /cimom HTTP/1.1\r\n%s"
	               "Content-Length: 1000\r\n\r\n0123456789", ht_raw_cim_headers);
	ht_send(fd, req);
	out = ht_read_until_closed(fd, 6000, &took);
	assert_null(strstr(out, "HTTP/1.1 200"));
	assert_true(took >= 500 && took < 4000);
	free(out);
	close(fd);
	/* Nor does a body trickling in byte by byte outlive it. */
	fd = ht_connect(s.port, NULL);
	ht_send(fd, req);
	took = ht_trickle_until_closed(fd, 6000);
	assert_true(took >= 500 && took < 3000);
	close(fd);
	/* Nor headers trickling in (libmicrohttpd's own timeout is one of
	 * silence and would never end this). */
	fd = ht_connect(s.port, NULL);
	ht_send(fd, "POST /cimom HTTP/1.1\r\nHost: x\r\nX-Slow: ");
	took = ht_trickle_until_closed(fd, 6000);
	assert_true(took >= 500 && took < 3000);
	close(fd);
	/* A connection that never sends a request is closed too. */
	fd = ht_connect(s.port, NULL);
	out = ht_read_until_closed(fd, 6000, &took);
	assert_string_equal(out, "");
	assert_true(took >= 500 && took < 3000);
	free(out);
	close(fd);
	/* On a kept-alive connection the clock restarts with each answer. */
	fd = ht_connect(s.port, NULL);
	(void)snprintf(req, sizeof(req), "POST /cimom HTTP/1.1\r\n%s"
	               "Content-Length: 2\r\n\r\nok", ht_raw_cim_headers);
	for (int i = 0; i < 3; i++) {
		char buf[4096];
		ssize_t n;

		ht_sleep_ms(600);
		ht_send(fd, req);
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		assert_true(n > 13);
		assert_memory_equal(buf, "HTTP/1.1 200 ", 13);
	}
	close(fd);
	assert_int_equal(atomic_load(&s.hs.calls), 3);
	swim_assert_ok(swimd_http_stop(s.srv));
	out = ht_log(&s);
	assert_non_null(strstr(out, " info: closing the connection of 127.0.0.1: "
	                            "request not received within 1 seconds "
	                            "(http_request_timeout_seconds)\n"));
	assert_non_null(strstr(out, " info: closing the connection of 127.0.0.1: "
	                            "no complete request within 1 seconds "
	                            "(http_request_timeout_seconds)\n"));
	free(out);
	ht_stop(&s);

	/* An idle kept-alive connection is closed after the idle timeout. */
	lim.http_request_timeout_seconds = 30;
	lim.http_idle_timeout_seconds = 1;
	ht_start(&s, &lim);
	fd = ht_connect(s.port, NULL);
	ht_send(fd, req);
	out = ht_read_until_closed(fd, 8000, &took);
	assert_memory_equal(out, "HTTP/1.1 200 ", 13);
	assert_true(took >= 700 && took < 4000);
	free(out);
	close(fd);
	ht_stop(&s);
}

static void test_http__handler_errors(void **state)
{
	struct ht_server s;
	swim_limits lim = ht_limits();
	struct ht_reply r;
	char *log;

	(void)state;
	ht_start(&s, &lim);
	ht_post(&s, &r, "alice:secret", "Fail", NULL, "x", 1);
	ht_expect(&r, 500, NULL, "internal error");
	assert_null(strstr(r.body.ptr, "exploded"));
	ht_reply_free(&r);
	ht_post(&s, &r, "alice:secret", "Reject", NULL, "x", 1);
	ht_expect(&r, 400, "request-not-well-formed", "bad XML at line 1");
	assert_string_equal(ht_reply_header(&r, "Content-Type"),
	                    "text/plain; charset=utf-8");
	ht_reply_free(&r);
	ht_exchange(&s, "alice:secret", "GetInstance", NULL, "x", 1,
	         200, NULL, NULL);
	log = ht_log(&s);
	assert_non_null(strstr(log, " error: Fail from 127.0.0.1 (user alice): provider exploded\n"));
	free(log);
	ht_stop(&s);
}

static void test_http__listen_addresses(void **state)
{
	struct ht_server s;
	swim_limits lim = ht_limits();
	struct ht_reply r;
	const char *remote[] = { "0.0.0.0:0" };
	const char *bad[] = { "localhost:5988", "127.0.0.1", "[::1]5988",
	                      "127.0.0.1:65536", "::1:5988", "127.0.0.1:x" };
	const char *both[] = { "127.0.0.1:0", "[::1]:0" };
	const char *later_bad[] = { "127.0.0.1:0", "10.1.2.3:0" };
	char url[64];
	CURL *c;

	(void)state;
	assert_int_equal(start_at(&s, &lim, remote, 1, false), SWIM_EACCESS);
	assert_non_null(strstr(swim_error_last(),
	                       "listen address '0.0.0.0:0' is not loopback"));
	assert_non_null(strstr(swim_error_last(), "allow_remote"));
	assert_null(s.srv);
	ht_stop(&s);
	assert_int_equal(start_at(&s, &lim, later_bad, 2, false), SWIM_EACCESS);
	assert_non_null(strstr(swim_error_last(), "'10.1.2.3:0' is not loopback"));
	ht_stop(&s);
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(bad); i++) {
		assert_int_equal(start_at(&s, &lim, &bad[i], 1, false), SWIM_EINVAL);
		if (!strstr(swim_error_last(), "expected ADDR:PORT"))
			fail_msg("%s: %s", bad[i], swim_error_last());
		ht_stop(&s);
	}

	swim_assert_ok(start_at(&s, &lim, remote, 1, true));
	assert_true(swimd_http_port(s.srv, 0) > 0);
	ht_stop(&s);

	swim_assert_ok(start_at(&s, &lim, both, 2, false));
	c = curl_easy_init();
	(void)snprintf(url, sizeof(url), "http://[::1]:%u/cimom",
	               swimd_http_port(s.srv, 1));
	ht_request(c, &r, "POST", url, "alice:secret", "GetInstance", NULL, "x", 1);
	ht_expect(&r, 200, NULL, "client=::1 ");
	ht_reply_free(&r);
	(void)snprintf(url, sizeof(url), "http://127.0.0.1:%u/cimom",
	               swimd_http_port(s.srv, 0));
	ht_request(c, &r, "POST", url, "alice:secret", "GetInstance", NULL, "x", 1);
	ht_expect(&r, 200, NULL, "client=127.0.0.1 ");
	ht_reply_free(&r);
	curl_easy_cleanup(c);
	ht_stop(&s);
}

static void test_http__streamed_responses(void **state)
{
	struct ht_server s;
	swim_limits lim = ht_limits();
	struct ht_reply r;
	char *out;
	int fd;

	(void)state;
	ht_start(&s, &lim);
	ht_post(&s, &r, "alice:secret", "Stream", NULL, "x", 1);
	ht_expect(&r, 200, NULL, "<head/>\n<part n=\"0\"/>\n<part n=\"1\"/>\n");
	assert_string_equal(ht_reply_header(&r, "Transfer-Encoding"), "chunked");
	assert_string_equal(ht_reply_header(&r, "CIMOperation"), "MethodResponse");
	assert_non_null(strstr(r.body.ptr, "<part n=\"19999\"/>\n<part n=\"20000\"/>\n"));
	assert_int_equal(r.body.len, 8 + 10 * 14 + 90 * 15 + 900 * 16 +
	                             9000 * 17 + 10001 * 18);
	ht_reply_free(&r);

	/* A failure after the status line cuts the connection: the client
	 * sees the parts so far and no end of the chunked body. */
	fd = ht_connect(s.port, NULL);
	ht_send(fd, "POST /cimom HTTP/1.1\r\nHost: x\r\n" HT_BASIC_ALICE "\r\n"
	              "Content-Type: application/xml\r\nCIMOperation: MethodCall\r\n"
	              "CIMMethod: StreamFail\r\nCIMObject: root\r\n"
	              "Content-Length: 1\r\n\r\nx");
	out = ht_read_until_closed(fd, 5000, NULL);
	assert_memory_equal(out, "HTTP/1.1 200 ", 13);
	assert_non_null(strstr(out, "<part n=\"2\"/>"));
	assert_null(strstr(out, "<part n=\"3\"/>"));
	assert_null(strstr(out, "\r\n0\r\n\r\n"));
	free(out);
	close(fd);

	swim_assert_ok(swimd_http_stop(s.srv));
	assert_int_equal(atomic_load(&s.hs.released), 2);
	out = ht_log(&s);
	assert_non_null(strstr(out, "streaming to 127.0.0.1 failed, connection "
	                            "cut: instance 3 vanished"));
	free(out);
	ht_stop(&s);
}

struct stopper {
	swimd_http *srv;
	int rc;
};

static void *stop_main(void *arg)
{
	struct stopper *st = arg;

	st->rc = swimd_http_stop(st->srv);
	return NULL;
}

struct sleeper {
	struct ht_server *s;
	struct ht_reply r;
};

static void *sleep_main(void *arg)
{
	struct sleeper *sl = arg;

	ht_post(sl->s, &sl->r, "alice:secret", "Sleep", NULL, "x", 1);
	return NULL;
}

static void test_http__stop_lets_requests_finish(void **state)
{
	struct ht_server s;
	swim_limits lim = ht_limits();
	struct sleeper sl;
	struct stopper st;
	struct ht_reply r;
	pthread_t ts, tp;
	CURL *kept = curl_easy_init();
	char req[1024], *out;
	int fd, raw;

	(void)state;
	ht_start(&s, &lim);
	/* A kept-alive connection made before the stop. */
	ht_request(kept, &r, "POST", s.url, "alice:secret", "GetInstance", NULL, "x", 1);
	ht_expect(&r, 200, NULL, NULL);
	ht_reply_free(&r);
	/* A request whose body is still arriving... */
	raw = ht_connect(s.port, NULL);
	(void)snprintf(req, sizeof(req), "POST /cimom HTTP/1.1\r\n%s"
	               "Content-Length: 10\r\n\r\n01234", ht_raw_cim_headers);
	ht_send(raw, req);
	ht_sleep_ms(200);
	/* ...and one inside the handler. */
	sl.s = &s;
	assert_int_equal(pthread_create(&ts, NULL, sleep_main, &sl), 0);
	while (!atomic_load(&s.hs.sleeping))
		ht_sleep_ms(10);
	st.srv = s.srv;
	assert_int_equal(pthread_create(&tp, NULL, stop_main, &st), 0);
	ht_sleep_ms(300);

	/* While stopping, new requests on open connections get 503. (This
	 * one may wait for the Sleep request if both share a worker; the
	 * half-sent request keeps the server draining meanwhile.) */
	ht_request(kept, &r, "POST", s.url, "alice:secret", "GetInstance", NULL, "x", 1);
	ht_expect(&r, 503, NULL, "shutting down");
	assert_string_equal(ht_reply_header(&r, "Connection"), "close");
	ht_reply_free(&r);

	/* Requests in progress complete normally. */
	ht_send(raw, "56789");
	out = ht_read_until_closed(raw, 5000, NULL);
	assert_memory_equal(out, "HTTP/1.1 200 ", 13);
	assert_non_null(strstr(out, "\r\n\r\n0123456789"));
	free(out);
	close(raw);
	assert_int_equal(pthread_join(ts, NULL), 0);
	ht_expect(&sl.r, 200, NULL, "slept");
	ht_reply_free(&sl.r);
	assert_int_equal(pthread_join(tp, NULL), 0);
	assert_int_equal(st.rc, 0);

	/* Nothing listens any more. */
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	{
		struct sockaddr_in sa = { .sin_family = AF_INET,
		                          .sin_port = htons((uint16_t)s.port) };

		inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
		assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), -1);
		assert_int_equal(errno, ECONNREFUSED);
	}
	close(fd);
	curl_easy_cleanup(kept);
	assert_int_equal(swimd_http_stop(s.srv), 0);   /* twice is fine */
	ht_stop(&s);
}

static void test_http__log_lines_without_credentials(void **state)
{
	struct ht_server s;
	swim_limits lim = ht_limits();
	struct ht_reply r;
	char *log;

	(void)state;
	ht_start(&s, &lim);
	ht_post(&s, &r, "alice:secret", "GetInstance", NULL, "<CIM/>", 6);
	ht_reply_free(&r);
	ht_post(&s, &r, "alice:hunter2", "GetInstance", NULL, "x", 1);
	ht_reply_free(&r);
	ht_post(&s, &r, "alice:secret", "Get%0AInstance", NULL, "x", 1);
	ht_reply_free(&r);
	/* Stopping waits for every request's completion line. */
	swim_assert_ok(swimd_http_stop(s.srv));
	log = ht_log(&s);
	assert_non_null(strstr(log, " info: listening on 127.0.0.1:0 (port "));
	assert_non_null(strstr(log, " debug: POST /cimom from 127.0.0.1 user alice "
	                            "CIMMethod GetInstance CIMObject root/cimv2: "
	                            "200, 6 bytes in, "));
	assert_non_null(strstr(log, " info: login failed for user alice from "
	                            "127.0.0.1: unknown user or wrong password\n"));
	assert_non_null(strstr(log, ": 400, 0 bytes in"));
	assert_null(strstr(log, "secret"));
	assert_null(strstr(log, "hunter2"));
	assert_null(strstr(log, "YWxpY2U6"));   /* base64 of "alice:" */
	assert_null(strstr(log, "Authorization"));
	free(log);
	ht_stop(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http__request_reaches_the_handler),
		cmocka_unit_test(test_http__keep_alive),
		cmocka_unit_test(test_http__concurrent_clients),
		cmocka_unit_test(test_http__authentication),
		cmocka_unit_test(test_http__methods_and_paths),
		cmocka_unit_test(test_http__mpost),
		cmocka_unit_test(test_http__cim_header_errors),
		cmocka_unit_test(test_http__cim_names_are_percent_decoded),
		cmocka_unit_test(test_http__body_over_the_limit),
		cmocka_unit_test(test_http__bodies_reach_the_handler_untouched),
		cmocka_unit_test(test_http__garbage_never_hurts),
		cmocka_unit_test(test_http__connection_limits),
		cmocka_unit_test(test_http__header_limits),
		cmocka_unit_test(test_http__timeouts),
		cmocka_unit_test(test_http__handler_errors),
		cmocka_unit_test(test_http__listen_addresses),
		cmocka_unit_test(test_http__streamed_responses),
		cmocka_unit_test(test_http__stop_lets_requests_finish),
		cmocka_unit_test(test_http__log_lines_without_credentials),
	};

	return ht_main("test_http", tests, SWIM_ARRAY_SIZE(tests), NULL, NULL);
}
