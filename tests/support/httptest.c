#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "httptest.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

const char ht_raw_cim_headers[] =
	"Host: localhost\r\n" HT_BASIC_ALICE "\r\n"
	"Content-Type: application/xml\r\nCIMOperation: MethodCall\r\n"
	"CIMMethod: Echo\r\nCIMObject: root%2Fcimv2\r\n";

static char *hash_secret, *hash_readpw;

void ht_init(void)
{
	if (swimd_password_hash(&hash_secret, "secret") < 0 ||
	    swimd_password_hash(&hash_readpw, "readpw") < 0)
		fail_msg("hashing: %s", swim_error_last());
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void ht_cleanup(void)
{
	curl_global_cleanup();
	free(hash_secret);
	free(hash_readpw);
}

int ht_main(const char *name, const struct CMUnitTest *tests, size_t n,
            CMFixtureFunction setup, CMFixtureFunction teardown)
{
	int rc;

	ht_init();
	if (getenv("ONLY"))
		cmocka_set_test_filter(getenv("ONLY"));
	rc = _cmocka_run_group_tests(name, tests, n, setup, teardown);
	ht_cleanup();
	return rc;
}

void ht_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- the test handler ---------------------------------------------- */

struct stream_state {
	struct ht_handler_state *hs;
	int next, last, fail_at;
	long pause_ms;
};

static int stream_next(void *state, swim_buf *out)
{
	struct stream_state *st = state;

	if (st->next == st->fail_at)
		return swim_error_set(SWIM_ERROR, "instance %d vanished", st->next);
	if (st->pause_ms)
		ht_sleep_ms(st->pause_ms);
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

static int stream(struct ht_handler_state *hs, const swimd_request *req,
                  swimd_response *resp)
{
	struct stream_state *st = calloc(1, sizeof(*st));

	if (!st)
		return swim_error_oom();
	st->hs = hs;
	st->last = 20000;
	st->fail_at = strcmp(req->cim_method, "StreamFail") == 0 ? 3 : -1;
	if (strcmp(req->cim_method, "StreamSlow") == 0) {
		st->last = 100;
		st->pause_ms = 20;
		atomic_store(&hs->streaming, 1);
	}
	if (swim_buf_puts(swimd_response_body(resp), "<head/>\n") < 0) {
		free(st);
		return SWIM_ENOMEM;
	}
	return swimd_response_stream(resp, stream_next, st, stream_release);
}

/* What wbemcli needs to see for `ein`: a parseable answer. */
static const char instance_names[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	"<CIM CIMVERSION=\"2.0\" DTDVERSION=\"2.0\"><MESSAGE ID=\"%s\" "
	"PROTOCOLVERSION=\"1.0\"><SIMPLERSP><IMETHODRESPONSE "
	"NAME=\"EnumerateInstanceNames\"><IRETURNVALUE><INSTANCENAME "
	"CLASSNAME=\"SWIM_Test\"><KEYBINDING NAME=\"InstanceID\"><KEYVALUE "
	"VALUETYPE=\"string\">over-tls</KEYVALUE></KEYBINDING></INSTANCENAME>"
	"</IRETURNVALUE></IMETHODRESPONSE></SIMPLERSP></MESSAGE></CIM>\n";

int ht_handler(void *ctx, const swimd_request *req, swimd_response *resp)
{
	struct ht_handler_state *hs = ctx;
	swim_buf *b = swimd_response_body(resp);
	char id[32] = "1";
	const char *p;

	atomic_fetch_add(&hs->calls, 1);
	if (strcmp(req->cim_method, "Echo") == 0)
		return swim_buf_put(b, req->body, req->body_len);
	if (strcmp(req->cim_method, "Sleep") == 0) {
		atomic_store(&hs->sleeping, 1);
		ht_sleep_ms(1500);
		return swim_buf_puts(b, "slept");
	}
	if (strcmp(req->cim_method, "Fail") == 0)
		return swim_error_set(SWIM_ERROR, "provider exploded");
	if (strcmp(req->cim_method, "Reject") == 0)
		return swimd_response_cim_error(resp, 400, "request-not-well-formed",
		                                "bad XML at line %d", 1);
	if (strncmp(req->cim_method, "Stream", 6) == 0)
		return stream(hs, req, resp);
	if (strcmp(req->cim_method, "Custom") == 0) {
		swimd_response_set_status(resp, 202);
		if (swimd_response_add_header(resp, "Bad\nName", "x") != SWIM_EINVAL ||
		    swimd_response_add_header(resp, "X-Ok", "a\r\nb") != SWIM_EINVAL)
			return swim_error_set(SWIM_ERROR, "header checks failed");
		return swimd_response_add_header(resp, "X-Test", "yes");
	}
	if (strcmp(req->cim_method, "EnumerateInstanceNames") == 0) {
		/* The answer's MESSAGE ID is the request's. */
		if ((p = strstr(req->body, "MESSAGE ID=\"")))
			(void)snprintf(id, sizeof(id), "%.*s",
			               (int)strspn(p + 12, "0123456789:"), p + 12);
		return swim_buf_printf(b, instance_names, id);
	}
	return swim_buf_printf(b, "user=%s role=%s client=%s method=%s "
	                          "object=%s version=%s len=%zu",
	                       req->user, swimd_role_name(req->role), req->client,
	                       req->cim_method, req->cim_object,
	                       req->protocol_version, req->body_len);
}

/* ---- server fixture ------------------------------------------------ */

swim_limits ht_limits(void)
{
	swim_limits lim;

	swim_limits_init(&lim);
	lim.http_threads = 2;
	lim.http_shutdown_grace_seconds = 10;
	return lim;
}

int ht_start_cfg(struct ht_server *s, const swim_limits *lim,
                 swimd_http_config *cfg)
{
	swimd_users *users = NULL;
	char *text = NULL, *dir;
	int fd;

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
	cfg->limits = lim;
	cfg->handler = ht_handler;
	cfg->auth = s->auth;
	cfg->log = s->log;
	cfg->handler_ctx = &s->hs;
	return swimd_http_start(&s->srv, cfg);
}

static void set_urls(struct ht_server *s)
{
	s->port = swimd_http_port(s->srv, 0);
	s->tls_port = swimd_http_tls_port(s->srv, 0);
	(void)snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%u/cimom",
	               s->port);
	(void)snprintf(s->tls_url, sizeof(s->tls_url),
	               "https://127.0.0.1:%u/cimom", s->tls_port);
}

void ht_start(struct ht_server *s, const swim_limits *lim)
{
	const char *listen[] = { "127.0.0.1:0" };
	swimd_http_config cfg = { .listen = listen, .n_listen = 1 };

	swim_assert_ok(ht_start_cfg(s, lim, &cfg));
	set_urls(s);
	assert_true(s->port > 0);
}

void ht_start_tls(struct ht_server *s, const swim_limits *lim,
                  const char *cert, const char *key, const char *client_ca)
{
	const char *listen[] = { "127.0.0.1:0" };
	swimd_http_config cfg = {
		.listen = listen, .n_listen = 1,
		.tls_listen = listen, .n_tls_listen = 1,
		.tls_cert = cert, .tls_key = key, .tls_client_ca = client_ca,
	};

	swim_assert_ok(ht_start_cfg(s, lim, &cfg));
	set_urls(s);
	assert_true(s->port > 0 && s->tls_port > 0 && s->port != s->tls_port);
}

void ht_stop(struct ht_server *s)
{
	swimd_http_free(s->srv);
	swimd_auth_free(s->auth);
	swimd_log_free(s->log);
	(void)unlink(s->log_path);
	free(s->log_path);
}

char *ht_log(struct ht_server *s)
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

/* The headers of a CIM operation request, as changed by `extra`. */
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

void ht_curl_tls(CURL *c, const char *cafile, const char *cert,
                 const char *key)
{
	curl_easy_setopt(c, CURLOPT_CAINFO, cafile);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, cafile ? 1L : 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, cafile ? 2L : 0L);
	curl_easy_setopt(c, CURLOPT_SSLCERT, cert);
	curl_easy_setopt(c, CURLOPT_SSLKEY, key);
}

void ht_reply_free(struct ht_reply *r)
{
	swim_buf_dispose(&r->headers);
	swim_buf_dispose(&r->body);
}

CURLcode ht_request_rc(CURL *c, struct ht_reply *r, const char *http_method,
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
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &r->connects);
	return rc;
}

void ht_request(CURL *c, struct ht_reply *r, const char *http_method,
                const char *url, const char *userpwd, const char *cim_method,
                const char *const *extra, const void *body, size_t len)
{
	CURLcode rc = ht_request_rc(c, r, http_method, url, userpwd,
	                            cim_method, extra, body, len);

	if (rc != CURLE_OK)
		fail_msg("curl: %s", curl_easy_strerror(rc));
}

void ht_post(struct ht_server *s, struct ht_reply *r, const char *userpwd,
             const char *cim_method, const char *const *extra,
             const void *body, size_t len)
{
	CURL *c = curl_easy_init();

	ht_request(c, r, "POST", s->url, userpwd, cim_method, extra, body, len);
	curl_easy_cleanup(c);
}

const char *ht_reply_header(const struct ht_reply *r, const char *name)
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

void ht_expect(const struct ht_reply *r, long status, const char *cim_error,
               const char *body_part)
{
	const char *ce = ht_reply_header(r, "CIMError");

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

void ht_exchange(struct ht_server *s, const char *userpwd,
                 const char *cim_method, const char *const *extra,
                 const void *body, size_t len, long status,
                 const char *cim_error, const char *body_part)
{
	struct ht_reply r;

	ht_post(s, &r, userpwd, cim_method, extra, body, len);
	ht_expect(&r, status, cim_error, body_part);
	ht_reply_free(&r);
}

/* ---- raw sockets --------------------------------------------------- */

int ht_connect(unsigned port, const char *source)
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

void ht_send(int fd, const char *text)
{
	size_t len = strlen(text);

	assert_int_equal(send(fd, text, len, MSG_NOSIGNAL), (ssize_t)len);
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 +
	       (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

char *ht_read_until_closed(int fd, long ms, long *took)
{
	swim_buf b = SWIM_BUF_INIT(1 << 20);
	struct timespec t0;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char chunk[4096];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		long left = ms - ms_since(&t0);
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		n = recv(fd, chunk, sizeof(chunk), 0);
		if (n <= 0)
			break;
		assert_int_equal(swim_buf_put(&b, chunk, (size_t)n), 0);
	}
	if (took)
		*took = ms_since(&t0);
	return swim_buf_detach(&b);
}

long ht_trickle_until_closed(int fd, long ms)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (ms_since(&t0) < ms) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char c;

		if (poll(&p, 1, 100) > 0 && recv(fd, &c, 1, 0) <= 0)
			break;
		if (send(fd, "x", 1, MSG_NOSIGNAL) < 0)
			break;
	}
	return ms_since(&t0);
}

/* ---- test PKI ------------------------------------------------------ */

char *ht_pki_path(const char *dir, const char *name, const char *ext)
{
	char *p = NULL;

	assert_true(asprintf(&p, "%s/%s.%s", dir, name, ext) > 0);
	return p;
}

static void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	assert_non_null(ext);
	assert_int_equal(X509_add_ext(x, ext, -1), 1);
	X509_EXTENSION_free(ext);
}

static void write_pem(const char *dir, const char *name, const char *ext,
                      EVP_PKEY *key, X509 *cert)
{
	char *path = ht_pki_path(dir, name, ext);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	              key ? 0600 : 0644);
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	if (key)
		assert_int_equal(PEM_write_PrivateKey(f, key, NULL, NULL, 0,
		                                      NULL, NULL), 1);
	else
		assert_int_equal(PEM_write_X509(f, cert), 1);
	assert_int_equal(fclose(f), 0);
	free(path);
}

static FILE *open_pem(const char *dir, const char *name, const char *ext)
{
	char *path = ht_pki_path(dir, name, ext);
	FILE *f = fopen(path, "re");

	if (!f)
		fail_msg("%s: %s", path, strerror(errno));
	free(path);
	return f;
}

static EVP_PKEY *read_key(const char *dir, const char *name)
{
	FILE *f = open_pem(dir, name, "key");
	EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);

	assert_non_null(k);
	fclose(f);
	return k;
}

static X509 *read_cert(const char *dir, const char *name)
{
	FILE *f = open_pem(dir, name, "crt");
	X509 *x = PEM_read_X509(f, NULL, NULL, NULL);

	assert_non_null(x);
	fclose(f);
	return x;
}

/* An unsigned certificate for `key`, issued by `issuer` (by itself when
 * issuer is NULL). */
static X509 *make_cert(const char *cn, EVP_PKEY *key, X509 *issuer,
                       long from_days, long to_days)
{
	static long serial = 1000;
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();

	assert_non_null(x);
	assert_int_equal(X509_set_version(x, 2), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x),
	                                  serial++ + (long)getpid() * 10000), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	                                            (const unsigned char *)cn,
	                                            -1, -1, 0), 1);
	assert_int_equal(X509_set_subject_name(x, name), 1);
	assert_int_equal(X509_set_issuer_name(x, issuer
	                                      ? X509_get_subject_name(issuer)
	                                      : name), 1);
	X509_NAME_free(name);
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x),
	                                from_days * 86400));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), to_days * 86400));
	assert_int_equal(X509_set_pubkey(x, key), 1);
	add_ext(x, issuer ? issuer : x, NID_subject_key_identifier, "hash");
	add_ext(x, issuer ? issuer : x, NID_authority_key_identifier,
	        "keyid:always");
	return x;
}

static EVP_PKEY *new_key(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");

	assert_non_null(k);
	return k;
}

void ht_pki_ca(const char *dir, const char *name, const char *cn)
{
	EVP_PKEY *key = new_key();
	X509 *x = make_cert(cn, key, NULL, -1, 3650);

	add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE");
	add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign");
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	write_pem(dir, name, "key", key, NULL);
	write_pem(dir, name, "crt", NULL, x);
	X509_free(x);
	EVP_PKEY_free(key);
}

void ht_pki_issue(const char *dir, const char *name, const char *ca,
                  const char *cn, bool client, long from_days, long to_days)
{
	EVP_PKEY *key = new_key(), *cakey = read_key(dir, ca);
	X509 *cacert = read_cert(dir, ca);
	X509 *x = make_cert(cn, key, cacert, from_days, to_days);

	add_ext(x, cacert, NID_basic_constraints, "critical,CA:FALSE");
	add_ext(x, cacert, NID_key_usage, "critical,digitalSignature");
	add_ext(x, cacert, NID_ext_key_usage, client ? "clientAuth"
	                                             : "serverAuth");
	if (!client)
		add_ext(x, cacert, NID_subject_alt_name,
		        "IP:127.0.0.1,DNS:localhost");
	assert_true(X509_sign(x, cakey, EVP_sha256()) > 0);
	write_pem(dir, name, "key", key, NULL);
	write_pem(dir, name, "crt", NULL, x);
	X509_free(x);
	X509_free(cacert);
	EVP_PKEY_free(cakey);
	EVP_PKEY_free(key);
}

void ht_pki_install(const char *dir, const char *name, const char *as)
{
	const char *ext[] = { "crt", "key" };

	for (size_t i = 0; i < 2; i++) {
		swim_buf b = SWIM_BUF_INIT(1 << 20);
		char *from = ht_pki_path(dir, name, ext[i]);
		char *to = ht_pki_path(dir, as, ext[i]);

		swim_assert_ok(swim_fs_read_file(&b, from));
		swim_assert_ok(swim_fs_write_atomic(to, b.ptr, b.len, 0600));
		swim_buf_dispose(&b);
		free(from);
		free(to);
	}
}
