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
#include "support/testutil.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

#define BASIC_ALICE "Authorization: Basic YWxpY2U6c2VjcmV0"  /* alice:secret */

struct handler_state {
	atomic_int calls;
	atomic_int sleeping;   /* a Sleep request is inside the handler */
	atomic_int released;   /* streams whose state was released */
};

struct stream_state {
	struct handler_state *hs;
	int next, last, fail_at;
};

static int stream_next(void *state, swim_buf *out)
{
	struct stream_state *st = state;

	if (st->next == st->fail_at)
		return swim_error_set(SWIM_ERROR, "instance %d vanished", st->next);
	if (swim_buf_printf(out, "<part n=\"%d\"/>\n", st->next) < 0)
		return SWIM_ENOMEM;
	return ++st->next <= st->last;
}

static void stream_release(void *state)
{
	struct stream_state *st = state;

	atomic_fetch_add(&st->hs->released, 1);
	free(st);
}

struct server {
	swimd_auth *auth;
	swimd_log *log;
	char *log_path;
	swimd_http *srv;
	struct handler_state hs;
	char url[64];
	unsigned port;
};

struct reply {
	long status;
	swim_buf headers;
	swim_buf body;
	long connects;
};

static char *hash_secret, *hash_readpw;

/* ---- the test handler ---------------------------------------------- */

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int test_handler(void *ctx, const swimd_request *req,
                        swimd_response *resp)
{
	struct handler_state *hs = ctx;
	swim_buf *b = swimd_response_body(resp);

	atomic_fetch_add(&hs->calls, 1);
	if (strcmp(req->cim_method, "Echo") == 0)
		return swim_buf_put(b, req->body, req->body_len);
	if (strcmp(req->cim_method, "Sleep") == 0) {
		atomic_store(&hs->sleeping, 1);
		sleep_ms(1500);
		return swim_buf_puts(b, "slept");
	}
	if (strcmp(req->cim_method, "Fail") == 0)
		return swim_error_set(SWIM_ERROR, "provider exploded");
	if (strcmp(req->cim_method, "Reject") == 0)
		return swimd_response_cim_error(resp, 400, "request-not-well-formed",
		                                "bad XML at line %d", 1);
	if (strncmp(req->cim_method, "Stream", 6) == 0) {
		struct stream_state *st = calloc(1, sizeof(*st));

		if (!st)
			return swim_error_oom();
		st->hs = hs;
		st->last = 20000;
		st->fail_at = strcmp(req->cim_method, "StreamFail") == 0 ? 3 : -1;
		if (swim_buf_puts(b, "<head/>\n") < 0)
			return SWIM_ENOMEM;
		return swimd_response_stream(resp, stream_next, st, stream_release);
	}
	if (strcmp(req->cim_method, "Custom") == 0) {
		swimd_response_set_status(resp, 202);
		if (swimd_response_add_header(resp, "Bad\nName", "x") != SWIM_EINVAL ||
		    swimd_response_add_header(resp, "X-Ok", "a\r\nb") != SWIM_EINVAL)
			return swim_error_set(SWIM_ERROR, "header checks failed");
		return swimd_response_add_header(resp, "X-Test", "yes");
	}
	return swim_buf_printf(b, "user=%s role=%s client=%s method=%s "
	                          "object=%s version=%s len=%zu",
	                       req->user, swimd_role_name(req->role), req->client,
	                       req->cim_method, req->cim_object,
	                       req->protocol_version, req->body_len);
}

/* ---- server fixture ------------------------------------------------ */

static swim_limits test_limits(void)
{
	swim_limits lim;

	swim_limits_init(&lim);
	lim.http_threads = 2;
	lim.http_shutdown_grace_seconds = 10;
	return lim;
}

static int start_at(struct server *s, const swim_limits *lim,
                    const char *const *listen, size_t n, bool remote)
{
	swimd_users *users = NULL;
	char *text = NULL, *dir;
	int fd;
	swimd_http_config cfg = {
		.listen = listen, .n_listen = n, .allow_remote = remote,
		.limits = lim, .handler = test_handler,
	};

	memset(s, 0, sizeof(*s));
	dir = getenv("TMPDIR");
	assert_true(asprintf(&s->log_path, "%s/swimd-test-log.XXXXXX",
	                     dir ? dir : "/tmp") > 0);
	fd = mkostemp(s->log_path, O_CLOEXEC);
	assert_true(fd >= 0);
	swim_assert_ok(swimd_log_open_fd(&s->log, SWIMD_LOG_DEBUG, fd));
	swim_assert_ok(swimd_auth_new(&s->auth, lim));
	assert_true(asprintf(&text, "alice:admin:%s\nreader:readonly:%s\n",
	                     hash_secret, hash_readpw) > 0);
	swim_assert_ok(swimd_users_parse(&users, text, strlen(text), "users"));
	free(text);
	swim_assert_ok(swimd_auth_set_users(s->auth, users));
	cfg.auth = s->auth;
	cfg.log = s->log;
	cfg.handler_ctx = &s->hs;
	return swimd_http_start(&s->srv, &cfg);
}

static void start(struct server *s, const swim_limits *lim)
{
	const char *listen[] = { "127.0.0.1:0" };

	swim_assert_ok(start_at(s, lim, listen, 1, false));
	s->port = swimd_http_port(s->srv, 0);
	assert_true(s->port > 0);
	(void)snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%u/cimom",
	               s->port);
}

static void stop(struct server *s)
{
	swimd_http_free(s->srv);
	swimd_auth_free(s->auth);
	swimd_log_free(s->log);
	(void)unlink(s->log_path);
	free(s->log_path);
}

/* The server's log so far (it writes to a file). */
static char *log_text(struct server *s)
{
	swim_buf b = SWIM_BUF_INIT(1 << 24);

	swim_assert_ok(swim_fs_read_file(&b, s->log_path));
	return swim_buf_detach(&b);
}

/* ---- libcurl client ------------------------------------------------ */

static size_t collect(char *data, size_t size, size_t n, void *buf)
{
	return swim_buf_put(buf, data, size * n) == 0 ? size * n : 0;
}

static size_t header_name_len(const char *h)
{
	return strcspn(h, ":;");
}

static bool overridden(const char *h, const char *const *extra)
{
	size_t n = header_name_len(h);

	for (size_t i = 0; extra && extra[i]; i++)
		if (header_name_len(extra[i]) == n &&
		    strncasecmp(extra[i], h, n) == 0)
			return true;
	return false;
}

/* The headers of a CIM operation request, each replaced (or with "Name:"
 * removed) by a header of the same name in `extra`. */
static struct curl_slist *cim_headers(const char *method,
                                      const char *const *extra)
{
	struct curl_slist *h = NULL;
	char mline[256];
	const char *defaults[] = {
		"Content-Type: application/xml; charset=\"utf-8\"",
		"CIMOperation: MethodCall", mline, "CIMObject: root%2Fcimv2",
		"Expect:",
	};

	(void)snprintf(mline, sizeof(mline), "CIMMethod: %s", method);
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(defaults); i++)
		if (!overridden(defaults[i], extra))
			h = curl_slist_append(h, defaults[i]);
	for (size_t i = 0; extra && extra[i]; i++)
		h = curl_slist_append(h, extra[i]);
	return h;
}

static void reply_free(struct reply *r)
{
	swim_buf_dispose(&r->headers);
	swim_buf_dispose(&r->body);
}

/* One request on handle c (reused for keep-alive), with the CIM headers
 * as changed by `extra`. */
static void request(CURL *c, struct reply *r, const char *http_method,
                    const char *url, const char *userpwd,
                    const char *cim_method, const char *const *extra,
                    const void *body, size_t len)
{
	struct curl_slist *h = cim_headers(cim_method, extra);
	CURLcode rc;

	memset(r, 0, sizeof(*r));
	swim_buf_init(&r->headers, 1 << 20);
	swim_buf_init(&r->body, 1 << 24);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, http_method);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "");
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
	if (strcmp(http_method, "GET") == 0 || strcmp(http_method, "HEAD") == 0) {
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, http_method);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_USERPWD, userpwd);
	curl_easy_setopt(c, CURLOPT_HTTPAUTH, userpwd ? CURLAUTH_BASIC : CURLAUTH_NONE);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &r->headers);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	rc = curl_easy_perform(c);
	curl_slist_free_all(h);
	if (rc != CURLE_OK)
		fail_msg("curl: %s", curl_easy_strerror(rc));
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &r->connects);
}

static void post(struct server *s, struct reply *r, const char *userpwd,
                 const char *cim_method, const char *const *extra,
                 const void *body, size_t len)
{
	CURL *c = curl_easy_init();

	request(c, r, "POST", s->url, userpwd, cim_method, extra, body, len);
	curl_easy_cleanup(c);
}

/* The value of response header `name`, or NULL (static storage). */
static const char *reply_header(const struct reply *r, const char *name)
{
	static char value[512];
	size_t nlen = strlen(name);

	for (const char *p = r->headers.ptr; p && *p;) {
		const char *eol = strstr(p, "\r\n");

		if (!eol)
			break;
		if (strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			const char *v = p + nlen + 1;

			v += strspn(v, " ");
			(void)snprintf(value, sizeof(value), "%.*s",
			               (int)(eol - v), v);
			return value;
		}
		p = eol + 2;
	}
	return NULL;
}

static void expect(const struct reply *r, long status, const char *cim_error,
                   const char *body_part)
{
	const char *ce = reply_header(r, "CIMError");

	if (r->status != status)
		fail_msg("status %ld, expected %ld (body: %s)", r->status, status,
		         r->body.ptr);
	if (cim_error && (!ce || strcmp(ce, cim_error) != 0))
		fail_msg("CIMError '%s', expected '%s'", ce ? ce : "(none)",
		         cim_error);
	if (!cim_error && ce)
		fail_msg("unexpected CIMError '%s'", ce);
	if (body_part && !strstr(r->body.ptr, body_part))
		fail_msg("body '%s' lacks '%s'", r->body.ptr, body_part);
}

/* A request whose reply needs no look beyond expect(). */
static void exchange(struct server *s, const char *userpwd,
                     const char *cim_method, const char *const *extra,
                     const void *body, size_t len, long status,
                     const char *cim_error, const char *body_part)
{
	struct reply r;

	post(s, &r, userpwd, cim_method, extra, body, len);
	expect(&r, status, cim_error, body_part);
	reply_free(&r);
}

/* ---- raw sockets for misbehaving clients ---------------------------- */

static int connect_from(unsigned port, const char *source)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	if (source) {
		struct sockaddr_in src = { .sin_family = AF_INET };

		assert_int_equal(inet_pton(AF_INET, source, &src.sin_addr), 1);
		assert_int_equal(bind(fd, (struct sockaddr *)&src, sizeof(src)), 0);
	}
	assert_int_equal(inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr), 1);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void send_text(int fd, const char *text)
{
	size_t len = strlen(text);

	assert_int_equal(send(fd, text, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* Reads until the server closes the connection or `ms` pass; the
 * number of milliseconds it took is stored in *took. */
static char *read_until_closed(int fd, long ms, long *took)
{
	swim_buf b = SWIM_BUF_INIT(1 << 20);
	struct timespec t0, t1;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char chunk[4096];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		ssize_t n;
		long left;

		clock_gettime(CLOCK_MONOTONIC, &t1);
		left = ms - ((t1.tv_sec - t0.tv_sec) * 1000 +
		             (t1.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		n = recv(fd, chunk, sizeof(chunk), 0);
		if (n <= 0)
			break;
		assert_int_equal(swim_buf_put(&b, chunk, (size_t)n), 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (took)
		*took = (t1.tv_sec - t0.tv_sec) * 1000 +
		        (t1.tv_nsec - t0.tv_nsec) / 1000000;
	return swim_buf_detach(&b);
}

/* Sends a byte every 100 ms until the server closes the connection;
 * returns after how many milliseconds it did (or `ms`). */
static long trickle_until_closed(int fd, long ms)
{
	struct timespec t0, t1;
	long took = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (took < ms) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char c;

		if (poll(&p, 1, 100) > 0 && recv(fd, &c, 1, 0) <= 0)
			break;
		if (send(fd, "x", 1, MSG_NOSIGNAL) < 0)
			break;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		took = (t1.tv_sec - t0.tv_sec) * 1000 +
		       (t1.tv_nsec - t0.tv_nsec) / 1000000;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
}

static const char raw_cim_headers[] =
	"Host: localhost\r\n" BASIC_ALICE "\r\n"
	"Content-Type: application/xml\r\nCIMOperation: MethodCall\r\n"
	"CIMMethod: Echo\r\nCIMObject: root%2Fcimv2\r\n";

/* ---- tests --------------------------------------------------------- */

static void test_http__request_reaches_the_handler(void **state)
{
	struct server s;
	swim_limits lim = test_limits();
	struct reply r;
	const char *v11[] = { "CIMProtocolVersion: 1.1", NULL };

	(void)state;
	start(&s, &lim);
	post(&s, &r, "alice:secret", "EnumerateInstances", NULL, "<CIM/>", 6);
	expect(&r, 200, NULL,
	       "user=alice role=admin client=127.0.0.1 method=EnumerateInstances "
	       "object=root/cimv2 version=1.0 len=6");
	assert_string_equal(reply_header(&r, "Content-Type"),
	                    "application/xml; charset=\"utf-8\"");
	assert_string_equal(reply_header(&r, "CIMOperation"), "MethodResponse");
	reply_free(&r);

	post(&s, &r, "reader:readpw", "GetInstance", v11, "x", 1);
	expect(&r, 200, NULL, "user=reader role=readonly");
	assert_non_null(strstr(r.body.ptr, "version=1.1"));
	reply_free(&r);

	/* Handlers set status and headers; bad header names are refused. */
	post(&s, &r, "alice:secret", "Custom", NULL, "x", 1);
	expect(&r, 202, NULL, NULL);
	assert_string_equal(reply_header(&r, "X-Test"), "yes");
	assert_null(reply_header(&r, "CIMOperation"));
	reply_free(&r);
	stop(&s);
}

static void test_http__keep_alive(void **state)
{
	struct server s;
	swim_limits lim = test_limits();
	struct reply r;
	CURL *c = curl_easy_init();

	(void)state;
	lim.http_threads = 1;   /* no pool: one libmicrohttpd thread */
	start(&s, &lim);
	for (int i = 0; i < 5; i++) {
		request(c, &r, "POST", s.url, "alice:secret", "GetInstance", NULL,
		        "<CIM/>", 6);
		expect(&r, 200, NULL, "user=alice");
		/* One connection, opened by the first request only. */
		assert_int_equal(r.connects, i == 0 ? 1 : 0);
		reply_free(&r);
	}
	curl_easy_cleanup(c);
	stop(&s);
}

struct client_arg {
	struct server *s;
	int ok;
};

static void *client_main(void *arg)
{
	struct client_arg *a = arg;
	CURL *c = curl_easy_init();
	struct reply r;

	for (int i = 0; i < 25; i++) {
		request(c, &r, "POST", a->s->url, "alice:secret", "GetInstance",
		        NULL, "<CIM/>", 6);
		if (r.status == 200 && strstr(r.body.ptr, "user=alice"))
			a->ok++;
		reply_free(&r);
	}
	curl_easy_cleanup(c);
	return NULL;
}

static void test_http__concurrent_clients(void **state)
{
	struct server s;
	swim_limits lim = test_limits();
	pthread_t t[8];
	struct client_arg a[8];
	swimd_auth_stats st;

	(void)state;
	start(&s, &lim);
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
	stop(&s);
}

static void test_http__authentication(void **state)
{
	struct server s;
	swim_limits lim = test_limits();
	struct reply r;

	(void)state;
	lim.auth_max_failures_per_minute = 3;
	start(&s, &lim);
	post(&s, &r, NULL, "GetInstance", NULL, "x", 1);
	expect(&r, 401, NULL, "authentication required");
	assert_string_equal(reply_header(&r, "WWW-Authenticate"),
	                    "Basic realm=\"swimd\"");
	reply_free(&r);
	post(&s, &r, "alice:wrong", "GetInstance", NULL, "x", 1);
	expect(&r, 401, NULL, "unknown user or wrong password");
	assert_string_equal(reply_header(&r, "WWW-Authenticate"),
	                    "Basic realm=\"swimd\"");
	reply_free(&r);
	exchange(&s, "nobody:secret", "GetInstance", NULL, "x", 1,
	         401, NULL, "unknown user or wrong password");
	/* An empty password and a user name with a colon-free garbage. */
	exchange(&s, "alice:", "GetInstance", NULL, "x", 1,
	         401, NULL, NULL);
	/* Third failure for alice, then the limit. */
	exchange(&s, "alice:wrong2", "GetInstance", NULL, "x", 1,
	         401, NULL, NULL);
	post(&s, &r, "alice:secret", "GetInstance", NULL, "x", 1);
	expect(&r, 429, NULL, "too many failed logins");
	assert_non_null(reply_header(&r, "Retry-After"));
	reply_free(&r);
	/* The readonly user is not locked out by alice's failures. */
	exchange(&s, "reader:readpw", "GetInstance", NULL, "x", 1,
	         200, NULL, "role=readonly");
	assert_int_equal(atomic_load(&s.hs.calls), 1);
	stop(&s);
}

static void test_http__methods_and_paths(void **state)
{
	struct server s;
	swim_limits lim = test_limits();
	struct reply r;
	CURL *c = curl_easy_init();
	char other[80];

	(void)state;
	start(&s, &lim);
	(void)snprintf(other, sizeof(other), "http://127.0.0.1:%u/other", s.port);
	request(c, &r, "GET", s.url, "alice:secret", "GetInstance", NULL, NULL, 0);
	expect(&r, 405, NULL, "method GET not allowed");
	assert_string_equal(reply_header(&r, "Allow"), "POST");
	reply_free(&r);
	request(c, &r, "PUT", s.url, "alice:secret", "GetInstance", NULL, "x", 1);
	expect(&r, 405, NULL, NULL);
	reply_free(&r);
	request(c, &r, "M-POST", s.url, "alice:secret", "GetInstance", NULL, "x", 1);
	expect(&r, 501, NULL, "send the request with POST");
	reply_free(&r);
	request(c, &r, "POST", other, "alice:secret", "GetInstance", NULL, "x", 1);
	expect(&r, 404, NULL, "/cimom");
	reply_free(&r);
	request(c, &r, "GET", other, "alice:secret", "GetInstance", NULL, NULL, 0);
	expect(&r, 404, NULL, NULL);
	reply_free(&r);
	/* Unauthenticated clients learn nothing about paths or methods. */
	request(c, &r, "GET", other, NULL, "GetInstance", NULL, NULL, 0);
	expect(&r, 401, NULL, NULL);
	reply_free(&r);
	assert_int_equal(atomic_load(&s.hs.calls), 0);
	curl_easy_cleanup(c);
	stop(&s);
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
	struct server s;
	swim_limits lim = test_limits();
	struct reply r;
	int calls = 0;

	(void)state;
	start(&s, &lim);
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(cases); i++) {
		post(&s, &r, "alice:secret", "GetInstance", cases[i].extra, "x", 1);
		if (r.status != cases[i].status)
			fail_msg("case %zu (%s): status %ld, expected %ld: %s", i,
			         cases[i].extra[0], r.status, cases[i].status,
			         r.body.ptr);
		expect(&r, cases[i].status, cases[i].cim_error, cases[i].body);
		if (r.status == 200)
			calls++;
		reply_free(&r);
	}
	/* Refused requests never reach the handler. */
	assert_int_equal(atomic_load(&s.hs.calls), calls);
	stop(&s);
}

static void test_http__cim_names_are_percent_decoded(void **state)
{
	struct server s;
	swim_limits lim = test_limits();
	const char *path[] = {
		"CIMObject: root%2fcimv2%3ACIM_X.Name%3D%22a%20b%22,Id=5", NULL };
	const char *utf8[] = { "CIMObject: root/caf%C3%A9", "CIMMethod: Get%49nstance", NULL };

	(void)state;
	start(&s, &lim);
	exchange(&s, "alice:secret", "GetInstance", NULL, "x", 1,
	         200, NULL, "object=root/cimv2 ");
	exchange(&s, "alice:secret", "InstallFromURI", path, "x", 1,
	         200, NULL, "object=root/cimv2:CIM_X.Name=\"a b\",Id=5 ");
	exchange(&s, "alice:secret", "X", utf8, "x", 1,
	         200, NULL, "method=GetInstance object=root/caf\xc3\xa9 ");
	stop(&s);
}

static void test_http__body_over_the_limit(void **state)
{
	struct server s;
	swim_limits lim = test_limits();
	char *big, *out, req[1024];
	long took;
	int fd;

	(void)state;
	lim.http_max_body_bytes = 1000;
	start(&s, &lim);
	big = malloc(5000);
	memset(big, 'a', 5000);

	/* Exactly at the limit is fine. */
	exchange(&s, "alice:secret", "GetInstance", NULL, big, 1000,
	         200, NULL, "len=1000");

	/* A declared length over the limit is refused before a byte of the
	 * body is sent: this client never sends one. */
	fd = connect_from(s.port, NULL);
	(void)snprintf(req, sizeof(req), "POST /cimom HTTP/1.1\r\n%s"
	               "Content-Length: 100000000\r\n\r\n", raw_cim_headers);
	send_text(fd, req);
	out = read_until_closed(fd, 5000, &took);
	assert_memory_equal(out, "HTTP/1.1 413 ", 13);
	assert_non_null(strstr(out, "larger than 1000 (http_max_body_bytes)"));
	assert_true(took < 4000);
	free(out);
	close(fd);

	/* A chunked body growing past the limit: the connection is closed
	 * without an answer (libmicrohttpd cannot answer mid-body). */
	fd = connect_from(s.port, NULL);
	(void)snprintf(req, sizeof(req), "POST /cimom HTTP/1.1\r\n%s"
	               "Transfer-Encoding: chunked\r\n\r\n", raw_cim_headers);
	send_text(fd, req);
	for (int i = 0; i < 3; i++) {
		char chunk[700];

		(void)snprintf(chunk, sizeof(chunk), "258\r\n%0600d\r\n", 0);
		(void)send(fd, chunk, strlen(chunk), MSG_NOSIGNAL);
	}
	out = read_until_closed(fd, 5000, &took);
	assert_null(strstr(out, "HTTP/1.1 200"));
	assert_true(took < 4000);
	free(out);
	close(fd);
	assert_int_equal(atomic_load(&s.hs.calls), 1);

	/* A small chunked body is accepted. */
	fd = connect_from(s.port, NULL);
	(void)snprintf(req, sizeof(req), "POST /cimom HTTP/1.1\r\n%s"
	               "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
	               "5\r\nhello\r\n0\r\n\r\n", raw_cim_headers);
	send_text(fd, req);
	out = read_until_closed(fd, 5000, NULL);
	assert_memory_equal(out, "HTTP/1.1 200 ", 13);
	assert_non_null(strstr(out, "\r\n\r\nhello"));
	free(out);
	close(fd);

	/* And the server keeps serving. */
	exchange(&s, "alice:secret", "GetInstance", NULL, "x", 1,
	         200, NULL, NULL);
	free(big);
	stop(&s);
}

static void test_http__bodies_reach_the_handler_untouched(void **state)
{
	struct server s;
	swim_limits lim = test_limits();
	struct reply r;
	unsigned char bin[1024];
	static const char truncated[] = "<?xml version=\"1.0\"?><CIM><MESSAGE ID=";
	static const char hostile[] = "<!DOCTYPE x [<!ENTITY a \"&a;&a;\">]><x>&a;</x>";

	(void)state;
	start(&s, &lim);
	for (size_t i = 0; i < sizeof(bin); i++)
		bin[i] = (unsigned char)(i * 7 + 3);
	bin[10] = 0;
	bin[500] = 0;
	post(&s, &r, "alice:secret", "Echo", NULL, bin, sizeof(bin));
	expect(&r, 200, NULL, NULL);
	assert_int_equal(r.body.len, sizeof(bin));
	assert_memory_equal(r.body.ptr, bin, sizeof(bin));
	reply_free(&r);
	post(&s, &r, "alice:secret", "Echo", NULL, truncated, strlen(truncated));
	expect(&r, 200, NULL, NULL);
	assert_string_equal(r.body.ptr, truncated);
	reply_free(&r);
	post(&s, &r, "alice:secret", "Echo", NULL, hostile, strlen(hostile));
	assert_string_equal(r.body.ptr, hostile);
	reply_free(&r);
	exchange(&s, "alice:secret", "GetInstance", NULL, "", 0,
	         200, NULL, "len=0");
	stop(&s);
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
		BASIC_ALICE "\r\nCIMOperation: MethodCall\r\n\r\nzz\r\n",
		"POST /cimom HTTP/1.1\r\nHost: x\r\nAuthorization: Basic !!!!\r\n\r\n",
		"POST /cimom HTTP/1.1\r\nHost: x\r\nAuthorization: Basic OmJhcmU=\r\n\r\n",
		"POST /cimom HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWxpY2U=\r\n\r\n",
		"\r\n\r\n\r\n",
	};
	struct server s;
	swim_limits lim = test_limits();
	char *out;
	int fd;

	(void)state;
	lim.http_idle_timeout_seconds = 2;
	start(&s, &lim);
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(junk); i++) {
		fd = connect_from(s.port, NULL);
		(void)send(fd, junk[i], strlen(junk[i]), MSG_NOSIGNAL);
		shutdown(fd, SHUT_WR);
		out = read_until_closed(fd, 5000, NULL);
		/* An error answer or none; never a success. */
		if (*out && strncmp(out, "HTTP/1.1 4", 10) != 0 &&
		    strncmp(out, "HTTP/1.1 505", 12) != 0)
			fail_msg("junk %zu answered: %.40s", i, out);
		free(out);
		close(fd);
	}
	assert_int_equal(atomic_load(&s.hs.calls), 0);
	exchange(&s, "alice:secret", "GetInstance", NULL, "x", 1, 200, NULL, NULL);
	stop(&s);
}

static void test_http__connection_limits(void **state)
{
	struct server s;
	swim_limits lim = test_limits();
	int a1, a2, a3, b1, b2;
	char *out;

	(void)state;
	lim.http_max_connections = 3;
	lim.http_max_connections_per_ip = 2;
	start(&s, &lim);
	a1 = connect_from(s.port, "127.0.0.1");
	a2 = connect_from(s.port, "127.0.0.1");
	sleep_ms(100);
	/* A third from the same address is closed at once. */
	a3 = connect_from(s.port, "127.0.0.1");
	out = read_until_closed(a3, 3000, NULL);
	assert_string_equal(out, "");
	free(out);
	/* Another address may still connect, until the total is reached. */
	b1 = connect_from(s.port, "127.0.0.2");
	sleep_ms(100);
	b2 = connect_from(s.port, "127.0.0.2");
	out = read_until_closed(b2, 3000, NULL);
	assert_string_equal(out, "");
	free(out);
	/* b1 is a working connection. */
	send_text(b1, "POST /cimom HTTP/1.1\r\nHost: x\r\n" BASIC_ALICE "\r\n"
	              "Content-Type: application/xml\r\nCIMOperation: MethodCall\r\n"
	              "CIMMethod: Echo\r\nCIMObject: root\r\nContent-Length: 2\r\n"
	              "Connection: close\r\n\r\nok");
	out = read_until_closed(b1, 5000, NULL);
	assert_memory_equal(out, "HTTP/1.1 200 ", 13);
	free(out);
	close(a1);
	close(a2);
	close(a3);
	close(b1);
	close(b2);
	/* Closed connections are counted out again. */
	sleep_ms(200);
	exchange(&s, "alice:secret", "GetInstance", NULL, "x", 1,
	         200, NULL, NULL);
	/* One log line for a burst of refusals. */
	swim_assert_ok(swimd_http_stop(s.srv));
	out = log_text(&s);
	assert_non_null(strstr(out, " warning: refused a connection from 127.0.0.1: "
	                            "already 2 connections from this address "
	                            "(http_max_connections_per_ip) (0 more refused "
	                            "since the last report)\n"));
	assert_null(strstr(out, "already 3 connections"));
	free(out);
	stop(&s);
}

static void test_http__header_limits(void **state)
{
	struct server s;
	swim_limits lim = test_limits();
	struct reply r;
	const char *many[16] = { 0 };
	char names[12][16], *huge;
	const char *one[2] = { 0 };

	(void)state;
	lim.http_max_headers = 12;
	lim.http_max_header_bytes = 2048;
	start(&s, &lim);
	for (int i = 0; i < 12; i++) {
		(void)snprintf(names[i], sizeof(names[i]), "X-H%d: v", i);
		many[i] = names[i];
	}
	exchange(&s, "alice:secret", "GetInstance", many, "x", 1,
	         431, NULL, "more than 12 request headers (http_max_headers)");
	one[0] = "X-Long: 01234567890123456789012345678901234567890123456789"
	         "01234567890123456789012345678901234567890123456789"
	         "01234567890123456789012345678901234567890123456789"
	         "01234567890123456789012345678901234567890123456789";
	for (int i = 0; i < 3; i++)
		many[i] = one[0];
	many[3] = NULL;
	post(&s, &r, "alice:secret", "GetInstance", many, "x", 1);
	expect(&r, 200, NULL, NULL);   /* 11 headers, about 1,000 bytes */
	reply_free(&r);
	{
		static char longer[2100];

		memset(longer, 'v', sizeof(longer) - 1);
		memcpy(longer, "X-Longer: ", 10);
		one[0] = longer;
	}
	exchange(&s, "alice:secret", "GetInstance", one, "x", 1,
	         431, NULL, "request headers larger than 2048 bytes "
	                      "(http_max_header_bytes)");
	/* Far past the limit libmicrohttpd itself refuses. */
	huge = malloc(40000);
	memcpy(huge, "X-Big: ", 7);
	memset(huge + 7, 'b', 40000 - 8);
	huge[40000 - 1] = '\0';
	one[0] = huge;
	exchange(&s, "alice:secret", "GetInstance", one, "x", 1,
	         431, NULL, NULL);
	free(huge);
	assert_int_equal(atomic_load(&s.hs.calls), 1);
	exchange(&s, "alice:secret", "GetInstance", NULL, "x", 1,
	         200, NULL, NULL);
	stop(&s);
}

static void test_http__timeouts(void **state)
{
	struct server s;
	swim_limits lim = test_limits();
	char req[1024], *out;
	long took;
	int fd;

	(void)state;
	lim.http_request_timeout_seconds = 1;
	lim.http_idle_timeout_seconds = 2;
	start(&s, &lim);
	/* A body that never completes: cut after the request timeout. */
	fd = connect_from(s.port, NULL);
	(void)snprintf(req, sizeof(req), "POST /cimom HTTP/1.1\r\n%s"
	               "Content-Length: 1000\r\n\r\n0123456789", raw_cim_headers);
	send_text(fd, req);
	out = read_until_closed(fd, 6000, &took);
	assert_null(strstr(out, "HTTP/1.1 200"));
	assert_true(took >= 500 && took < 4000);
	free(out);
	close(fd);
	/* Nor does a body trickling in byte by byte outlive it. */
	fd = connect_from(s.port, NULL);
	send_text(fd, req);
	took = trickle_until_closed(fd, 6000);
	assert_true(took >= 500 && took < 3000);
	close(fd);
	/* An idle connection is closed after the idle timeout. */
	fd = connect_from(s.port, NULL);
	out = read_until_closed(fd, 8000, &took);
	assert_string_equal(out, "");
	assert_true(took >= 1500 && took < 6000);
	free(out);
	close(fd);
	assert_int_equal(atomic_load(&s.hs.calls), 0);
	stop(&s);
}

static void test_http__handler_errors(void **state)
{
	struct server s;
	swim_limits lim = test_limits();
	struct reply r;
	char *log;

	(void)state;
	start(&s, &lim);
	post(&s, &r, "alice:secret", "Fail", NULL, "x", 1);
	expect(&r, 500, NULL, "internal error");
	assert_null(strstr(r.body.ptr, "exploded"));
	reply_free(&r);
	post(&s, &r, "alice:secret", "Reject", NULL, "x", 1);
	expect(&r, 400, "request-not-well-formed", "bad XML at line 1");
	assert_string_equal(reply_header(&r, "Content-Type"),
	                    "text/plain; charset=utf-8");
	reply_free(&r);
	exchange(&s, "alice:secret", "GetInstance", NULL, "x", 1,
	         200, NULL, NULL);
	log = log_text(&s);
	assert_non_null(strstr(log, " error: Fail from 127.0.0.1 (user alice): provider exploded\n"));
	free(log);
	stop(&s);
}

static void test_http__listen_addresses(void **state)
{
	struct server s;
	swim_limits lim = test_limits();
	struct reply r;
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
	stop(&s);
	assert_int_equal(start_at(&s, &lim, later_bad, 2, false), SWIM_EACCESS);
	assert_non_null(strstr(swim_error_last(), "'10.1.2.3:0' is not loopback"));
	stop(&s);
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(bad); i++) {
		assert_int_equal(start_at(&s, &lim, &bad[i], 1, false), SWIM_EINVAL);
		if (!strstr(swim_error_last(), "expected ADDR:PORT"))
			fail_msg("%s: %s", bad[i], swim_error_last());
		stop(&s);
	}

	swim_assert_ok(start_at(&s, &lim, remote, 1, true));
	assert_true(swimd_http_port(s.srv, 0) > 0);
	stop(&s);

	swim_assert_ok(start_at(&s, &lim, both, 2, false));
	c = curl_easy_init();
	(void)snprintf(url, sizeof(url), "http://[::1]:%u/cimom",
	               swimd_http_port(s.srv, 1));
	request(c, &r, "POST", url, "alice:secret", "GetInstance", NULL, "x", 1);
	expect(&r, 200, NULL, "client=::1 ");
	reply_free(&r);
	(void)snprintf(url, sizeof(url), "http://127.0.0.1:%u/cimom",
	               swimd_http_port(s.srv, 0));
	request(c, &r, "POST", url, "alice:secret", "GetInstance", NULL, "x", 1);
	expect(&r, 200, NULL, "client=127.0.0.1 ");
	reply_free(&r);
	curl_easy_cleanup(c);
	stop(&s);
}

static void test_http__streamed_responses(void **state)
{
	struct server s;
	swim_limits lim = test_limits();
	struct reply r;
	char *out;
	int fd;

	(void)state;
	start(&s, &lim);
	post(&s, &r, "alice:secret", "Stream", NULL, "x", 1);
	expect(&r, 200, NULL, "<head/>\n<part n=\"0\"/>\n<part n=\"1\"/>\n");
	assert_string_equal(reply_header(&r, "Transfer-Encoding"), "chunked");
	assert_string_equal(reply_header(&r, "CIMOperation"), "MethodResponse");
	assert_non_null(strstr(r.body.ptr, "<part n=\"19999\"/>\n<part n=\"20000\"/>\n"));
	assert_int_equal(r.body.len, 8 + 10 * 14 + 90 * 15 + 900 * 16 +
	                             9000 * 17 + 10001 * 18);
	reply_free(&r);

	/* A failure after the status line cuts the connection: the client
	 * sees the parts so far and no end of the chunked body. */
	fd = connect_from(s.port, NULL);
	send_text(fd, "POST /cimom HTTP/1.1\r\nHost: x\r\n" BASIC_ALICE "\r\n"
	              "Content-Type: application/xml\r\nCIMOperation: MethodCall\r\n"
	              "CIMMethod: StreamFail\r\nCIMObject: root\r\n"
	              "Content-Length: 1\r\n\r\nx");
	out = read_until_closed(fd, 5000, NULL);
	assert_memory_equal(out, "HTTP/1.1 200 ", 13);
	assert_non_null(strstr(out, "<part n=\"2\"/>"));
	assert_null(strstr(out, "<part n=\"3\"/>"));
	assert_null(strstr(out, "\r\n0\r\n\r\n"));
	free(out);
	close(fd);

	swim_assert_ok(swimd_http_stop(s.srv));
	assert_int_equal(atomic_load(&s.hs.released), 2);
	out = log_text(&s);
	assert_non_null(strstr(out, "streaming to 127.0.0.1 failed, connection "
	                            "cut: instance 3 vanished"));
	free(out);
	stop(&s);
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
	struct server *s;
	struct reply r;
};

static void *sleep_main(void *arg)
{
	struct sleeper *sl = arg;

	post(sl->s, &sl->r, "alice:secret", "Sleep", NULL, "x", 1);
	return NULL;
}

static void test_http__stop_lets_requests_finish(void **state)
{
	struct server s;
	swim_limits lim = test_limits();
	struct sleeper sl;
	struct stopper st;
	struct reply r;
	pthread_t ts, tp;
	CURL *kept = curl_easy_init();
	char req[1024], *out;
	int fd, raw;

	(void)state;
	start(&s, &lim);
	/* A kept-alive connection made before the stop. */
	request(kept, &r, "POST", s.url, "alice:secret", "GetInstance", NULL, "x", 1);
	expect(&r, 200, NULL, NULL);
	reply_free(&r);
	/* A request whose body is still arriving... */
	raw = connect_from(s.port, NULL);
	(void)snprintf(req, sizeof(req), "POST /cimom HTTP/1.1\r\n%s"
	               "Content-Length: 10\r\n\r\n01234", raw_cim_headers);
	send_text(raw, req);
	sleep_ms(200);
	/* ...and one inside the handler. */
	sl.s = &s;
	assert_int_equal(pthread_create(&ts, NULL, sleep_main, &sl), 0);
	while (!atomic_load(&s.hs.sleeping))
		sleep_ms(10);
	st.srv = s.srv;
	assert_int_equal(pthread_create(&tp, NULL, stop_main, &st), 0);
	sleep_ms(300);

	/* While stopping, new requests on open connections get 503. (This
	 * one may wait for the Sleep request if both share a worker; the
	 * half-sent request keeps the server draining meanwhile.) */
	request(kept, &r, "POST", s.url, "alice:secret", "GetInstance", NULL, "x", 1);
	expect(&r, 503, NULL, "shutting down");
	assert_string_equal(reply_header(&r, "Connection"), "close");
	reply_free(&r);

	/* Requests in progress complete normally. */
	send_text(raw, "56789");
	out = read_until_closed(raw, 5000, NULL);
	assert_memory_equal(out, "HTTP/1.1 200 ", 13);
	assert_non_null(strstr(out, "\r\n\r\n0123456789"));
	free(out);
	close(raw);
	assert_int_equal(pthread_join(ts, NULL), 0);
	expect(&sl.r, 200, NULL, "slept");
	reply_free(&sl.r);
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
	stop(&s);
}

static void test_http__log_lines_without_credentials(void **state)
{
	struct server s;
	swim_limits lim = test_limits();
	struct reply r;
	char *log;

	(void)state;
	start(&s, &lim);
	post(&s, &r, "alice:secret", "GetInstance", NULL, "<CIM/>", 6);
	reply_free(&r);
	post(&s, &r, "alice:hunter2", "GetInstance", NULL, "x", 1);
	reply_free(&r);
	post(&s, &r, "alice:secret", "Get%0AInstance", NULL, "x", 1);
	reply_free(&r);
	/* Stopping waits for every request's completion line. */
	swim_assert_ok(swimd_http_stop(s.srv));
	log = log_text(&s);
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
	stop(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http__request_reaches_the_handler),
		cmocka_unit_test(test_http__keep_alive),
		cmocka_unit_test(test_http__concurrent_clients),
		cmocka_unit_test(test_http__authentication),
		cmocka_unit_test(test_http__methods_and_paths),
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
	int rc;

	if (swimd_password_hash(&hash_secret, "secret") < 0 ||
	    swimd_password_hash(&hash_readpw, "readpw") < 0)
		return 1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	/* ONLY=test_http__x runs one test (cmocka's filter). */
	if (getenv("ONLY"))
		cmocka_set_test_filter(getenv("ONLY"));
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	free(hash_secret);
	free(hash_readpw);
	return rc;
}
