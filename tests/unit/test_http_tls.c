/* HTTPS end to end: a server with certificates made at test time, driven
 * by libcurl (OpenSSL), the openssl and curl command-line tools and
 * wbemcli. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/httptest.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

static char *dir;        /* the test PKI */

static char *pem(const char *name, const char *ext)
{
	return ht_pki_path(dir, name, ext);
}

/* Runs a shell command; its output (stdout and stderr) and exit status. */
static char *run(int *status, const char *fmt, ...) SWIM_PRINTF(2, 3);
static char *run(int *status, const char *fmt, ...)
{
	swim_buf cmd = SWIM_BUF_INIT(0), out = SWIM_BUF_INIT(1 << 20);
	char chunk[4096];
	va_list ap;
	size_t n;
	FILE *p;

	va_start(ap, fmt);
	assert_int_equal(swim_buf_vprintf(&cmd, fmt, ap), 0);
	va_end(ap);
	assert_int_equal(swim_buf_puts(&cmd, " 2>&1"), 0);
	p = popen(cmd.ptr, "re");
	assert_non_null(p);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		assert_int_equal(swim_buf_put(&out, chunk, n), 0);
	*status = pclose(p);
	swim_buf_dispose(&cmd);
	return swim_buf_detach(&out);
}

/* One HTTPS request with a fresh connection: the curl code, the reply
 * and the subject of the server's certificate. */
static CURLcode tls_request(struct ht_server *s, struct ht_reply *r,
                            const char *cafile, const char *client,
                            const char *userpwd, char *subject, size_t size)
{
	CURL *c = curl_easy_init();
	char *cert = client ? pem(client, "crt") : NULL;
	char *key = client ? pem(client, "key") : NULL;
	struct curl_certinfo *ci = NULL;
	CURLcode rc;

	ht_curl_tls(c, cafile, cert, key);
	curl_easy_setopt(c, CURLOPT_CERTINFO, 1L);
	rc = ht_request_rc(c, r, "POST", s->tls_url, userpwd, "GetInstance",
	                   NULL, "x", 1);
	if (subject) {
		subject[0] = '\0';
		if (curl_easy_getinfo(c, CURLINFO_CERTINFO, &ci) == CURLE_OK &&
		    ci && ci->num_of_certs > 0)
			for (struct curl_slist *l = ci->certinfo[0]; l; l = l->next)
				if (strncmp(l->data, "Subject:", 8) == 0)
					(void)snprintf(subject, size, "%s", l->data + 8);
	}
	curl_easy_cleanup(c);
	free(cert);
	free(key);
	return rc;
}

static int setup(void **state)
{
	(void)state;
	dir = swim_test_tmpdir();
	ht_pki_ca(dir, "ca", "swim test CA");
	ht_pki_ca(dir, "other", "another CA");
	ht_pki_issue(dir, "server", "ca", "localhost", false, -1, 365);
	ht_pki_issue(dir, "renewed", "ca", "renewed.localhost", false, -1, 365);
	ht_pki_issue(dir, "expired", "ca", "localhost", false, -30, -1);
	ht_pki_issue(dir, "stranger", "other", "localhost", false, -1, 365);
	ht_pki_issue(dir, "client", "ca", "monitoring", true, -1, 365);
	ht_pki_issue(dir, "client-expired", "ca", "old", true, -30, -1);
	ht_pki_issue(dir, "client-other", "other", "intruder", true, -1, 365);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	swim_test_rmtree(dir);
	free(dir);
	return 0;
}

static void start_with(struct ht_server *s, swim_limits *lim,
                       const char *name, const char *client_ca)
{
	char *cert = pem(name, "crt"), *key = pem(name, "key");
	char *ca = client_ca ? pem(client_ca, "crt") : NULL;

	ht_start_tls(s, lim, cert, key, ca);
	free(cert);
	free(key);
	free(ca);
}

static void test_http_tls__curl_trusts_the_certificate(void **state)
{
	struct ht_server s;
	swim_limits lim = ht_limits();
	struct ht_reply r;
	char subject[256], *ca = pem("ca", "crt"), *other = pem("other", "crt");
	char *out;
	int status;

	(void)state;
	start_with(&s, &lim, "server", NULL);
	assert_int_equal(tls_request(&s, &r, ca, NULL, "alice:secret", subject,
	                             sizeof(subject)), CURLE_OK);
	ht_expect(&r, 200, NULL, "user=alice role=admin client=127.0.0.1 "
	          "method=GetInstance");
	assert_string_equal(subject, "CN = localhost");
	ht_reply_free(&r);
	/* HTTPS is authenticated like HTTP. */
	assert_int_equal(tls_request(&s, &r, ca, NULL, "alice:wrong", NULL, 0),
	                 CURLE_OK);
	ht_expect(&r, 401, NULL, "unknown user or wrong password");
	ht_reply_free(&r);
	/* A client that trusts another CA refuses the server. */
	assert_int_equal(tls_request(&s, &r, other, NULL, "alice:secret", NULL, 0),
	                 CURLE_PEER_FAILED_VERIFICATION);
	ht_reply_free(&r);
	/* Plain HTTP is served next to it. */
	ht_exchange(&s, "alice:secret", "GetInstance", NULL, "x", 1, 200, NULL,
	            "user=alice");
	/* The curl tool, as an operator would. */
	out = run(&status, "curl -sS --cacert %s -u alice:secret -H "
	          "'Content-Type: application/xml' -H 'CIMOperation: MethodCall' "
	          "-H 'CIMMethod: GetInstance' -H 'CIMObject: root%%2Fcimv2' "
	          "--data-binary x %s", ca, s.tls_url);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "user=alice role=admin"));
	free(out);
	/* Plain HTTP on the HTTPS port is no request. */
	out = run(&status, "curl -sS -u alice:secret --data-binary x "
	          "http://127.0.0.1:%u/cimom", s.tls_port);
	assert_int_not_equal(status, 0);
	free(out);
	assert_int_equal(atomic_load(&s.hs.calls), 3);
	swim_assert_ok(swimd_http_stop(s.srv));
	out = ht_log(&s);
	assert_non_null(strstr(out, " info: HTTPS certificate in use: CN=localhost, "
	                            "valid until "));
	assert_non_null(strstr(out, " (port "));
	assert_non_null(strstr(out, ", HTTPS)\n"));
	free(out);
	ht_stop(&s);
	free(ca);
	free(other);
}

/* Files of the test PKI by name ("server.crt"), NULL for NULL. */
static char *file_of(const char *name)
{
	char *p = NULL;

	if (name)
		assert_true(asprintf(&p, "%s/%s", dir, name) > 0);
	return p;
}

static void test_http_tls__bad_certificates(void **state)
{
	static const struct {
		const char *cert, *key, *ca, *priorities;
		int rc;
		const char *what, *detail;
	} bad[] = {
		{ "server.crt", "renewed.key", NULL, NULL, SWIM_EINVAL,
		  "key file ", "/renewed.key does not belong to the certificate in" },
		{ "server.crt", "nothing.key", NULL, NULL, SWIM_ENOTFOUND,
		  "key file ", "/nothing.key: No such file" },
		/* A private file that holds no key (here a certificate). */
		{ "server.crt", "notakey.key", NULL, NULL, SWIM_EINVAL,
		  "key file ", "/notakey.key: " },
		{ "server.crt", "server.crt", NULL, NULL, SWIM_EACCESS,
		  "key file ", "/server.crt is world-readable; refusing it" },
		{ "server.key", "server.key", NULL, NULL, SWIM_EINVAL,
		  "certificate file ", "/server.key: " },
		{ "server.crt", NULL, NULL, NULL, SWIM_EINVAL,
		  "HTTPS addresses ", "need a certificate and a key" },
		{ "server.crt", "server.key", "server.key", NULL, SWIM_EINVAL,
		  "client CA file ", "/server.key" },
		{ "server.crt", "server.key", NULL, "NORMAL:+BOGUS", SWIM_EINVAL,
		  "TLS priority string ", "'NORMAL:+BOGUS' is not valid at '+BOGUS'" },
	};
	struct ht_server s;
	swim_limits lim = ht_limits();
	struct ht_reply r;
	const char *listen[] = { "127.0.0.1:0" };
	char *ca = pem("ca", "crt"), *crt = pem("server", "crt");
	char *notakey = pem("notakey", "key"), *log;
	swim_buf text = SWIM_BUF_INIT(1 << 20);

	(void)state;
	/* An expired certificate is served (clients decide), with a
	 * warning, and clients refuse it. */
	start_with(&s, &lim, "expired", NULL);
	assert_int_equal(tls_request(&s, &r, ca, NULL, "alice:secret", NULL, 0),
	                 CURLE_PEER_FAILED_VERIFICATION);
	ht_reply_free(&r);
	assert_int_equal(atomic_load(&s.hs.calls), 0);
	swim_assert_ok(swimd_http_stop(s.srv));
	log = ht_log(&s);
	assert_non_null(strstr(log, " warning: the HTTPS certificate expired on "));
	free(log);
	ht_stop(&s);
	/* A certificate from a CA the client does not know. */
	start_with(&s, &lim, "stranger", NULL);
	assert_int_equal(tls_request(&s, &r, ca, NULL, "alice:secret", NULL, 0),
	                 CURLE_PEER_FAILED_VERIFICATION);
	ht_reply_free(&r);
	ht_stop(&s);

	/* Files that do not fit do not start a server, and say why. */
	swim_assert_ok(swim_fs_read_file(&text, crt));
	swim_assert_ok(swim_fs_write_atomic(notakey, text.ptr, text.len, 0600));
	swim_buf_dispose(&text);
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(bad); i++) {
		char *cert = file_of(bad[i].cert), *key = file_of(bad[i].key);
		char *cafile = file_of(bad[i].ca);
		swimd_http_config cfg = {
			.tls_listen = listen, .n_tls_listen = 1,
			.tls_cert = cert, .tls_key = key, .tls_client_ca = cafile,
			.tls_priorities = bad[i].priorities,
		};
		int rc = ht_start_cfg(&s, &lim, &cfg);

		if (rc != bad[i].rc || !strstr(swim_error_last(), bad[i].what) ||
		    !strstr(swim_error_last(), bad[i].detail))
			fail_msg("case %zu: %d %s", i, rc, swim_error_last());
		assert_null(s.srv);
		ht_stop(&s);
		free(cert);
		free(key);
		free(cafile);
	}
	free(notakey);
	free(ca);
	free(crt);
}

static void test_http_tls__modern_protocols_only(void **state)
{
	struct ht_server s;
	swim_limits lim = ht_limits();
	char *ca = pem("ca", "crt"), *out;
	int status;

	(void)state;
	start_with(&s, &lim, "server", NULL);
	/* The client is allowed every version (SECLEVEL=0) so that the
	 * refusal is the server's: it reads the hello and hangs up. */
	out = run(&status, "openssl s_client -connect 127.0.0.1:%u -tls1_1 "
	          "-cipher 'DEFAULT:@SECLEVEL=0' </dev/null", s.tls_port);
	if (status == 0 || !strstr(out, "SSL handshake has read 0 bytes and "
	                                "written"))
		fail_msg("TLS 1.1 (%d): %s", status, out);
	free(out);
	out = run(&status, "openssl s_client -connect 127.0.0.1:%u -tls1_2 "
	          "-cipher 'DEFAULT:@SECLEVEL=0' </dev/null", s.tls_port);
	assert_int_equal(status, 0);
	free(out);
	out = run(&status, "openssl s_client -connect 127.0.0.1:%u -tls1 "
	          "-cipher 'DEFAULT:@SECLEVEL=0' </dev/null", s.tls_port);
	assert_int_not_equal(status, 0);
	free(out);
	/* TLS 1.2 without forward secrecy or with CBC-SHA1 ciphers: no. */
	out = run(&status, "openssl s_client -connect 127.0.0.1:%u -tls1_2 "
	          "-cipher 'ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0' </dev/null",
	          s.tls_port);
	assert_int_not_equal(status, 0);
	free(out);
	out = run(&status, "openssl s_client -connect 127.0.0.1:%u -tls1_2 "
	          "-CAfile %s -verify_return_error </dev/null", s.tls_port, ca);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "Protocol  : TLSv1.2"));
	assert_non_null(strstr(out, "ECDHE-ECDSA-"));
	assert_non_null(strstr(out, "Verify return code: 0 (ok)"));
	free(out);
	out = run(&status, "openssl s_client -connect 127.0.0.1:%u -tls1_3 "
	          "-CAfile %s -verify_return_error </dev/null", s.tls_port, ca);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "New, TLSv1.3"));
	free(out);
	ht_stop(&s);
	free(ca);
}

static void test_http_tls__client_certificates(void **state)
{
	struct ht_server s;
	swim_limits lim = ht_limits();
	struct ht_reply r;
	char *ca = pem("ca", "crt"), *log;

	(void)state;
	start_with(&s, &lim, "server", "ca");
	assert_int_equal(tls_request(&s, &r, ca, "client", "alice:secret", NULL, 0),
	                 CURLE_OK);
	ht_expect(&r, 200, NULL, "user=alice");
	ht_reply_free(&r);
	/* The certificate admits the connection; the user still logs in. */
	assert_int_equal(tls_request(&s, &r, ca, "client", "alice:wrong", NULL, 0),
	                 CURLE_OK);
	ht_expect(&r, 401, NULL, NULL);
	ht_reply_free(&r);
	assert_int_equal(tls_request(&s, &r, ca, NULL, "alice:secret", NULL, 0),
	                 CURLE_OK);
	ht_expect(&r, 403, NULL, "a client certificate issued by the CA swimd "
	          "trusts is required: no client certificate was presented");
	ht_reply_free(&r);
	assert_int_equal(tls_request(&s, &r, ca, "client-other", "alice:secret",
	                             NULL, 0), CURLE_OK);
	ht_expect(&r, 403, NULL, "issuer is unknown");
	ht_reply_free(&r);
	assert_int_equal(tls_request(&s, &r, ca, "client-expired", "alice:secret",
	                             NULL, 0), CURLE_OK);
	ht_expect(&r, 403, NULL, "expired");
	ht_reply_free(&r);
	/* A server certificate of the right CA is not a client's. */
	assert_int_equal(tls_request(&s, &r, ca, "renewed", "alice:secret",
	                             NULL, 0), CURLE_OK);
	ht_expect(&r, 403, NULL, "a client certificate issued by the CA");
	ht_reply_free(&r);
	/* Without a certificate nothing else is learnt, not even 401. */
	assert_int_equal(tls_request(&s, &r, ca, NULL, NULL, NULL, 0), CURLE_OK);
	ht_expect(&r, 403, NULL, NULL);
	ht_reply_free(&r);
	/* Plain HTTP has no certificates to ask for. */
	ht_exchange(&s, "alice:secret", "GetInstance", NULL, "x", 1, 200, NULL, NULL);
	assert_int_equal(atomic_load(&s.hs.calls), 2);
	swim_assert_ok(swimd_http_stop(s.srv));
	log = ht_log(&s);
	assert_non_null(strstr(log, " debug: accepted the client certificate of "
	                            "127.0.0.1: CN=monitoring\n"));
	assert_non_null(strstr(log, " info: refused the client certificate of "
	                            "127.0.0.1: no client certificate was presented\n"));
	free(log);
	ht_stop(&s);
	free(ca);
}

/* Fresh HTTPS connections in a loop until told to stop. */
struct hammer {
	struct ht_server *s;
	const char *ca;
	atomic_int stop;
	int ok, failed;
	char last_error[256];
};

static void *hammer_main(void *arg)
{
	struct hammer *h = arg;
	struct ht_reply r;

	while (!atomic_load(&h->stop)) {
		CURLcode rc = tls_request(h->s, &r, h->ca, NULL, "alice:secret",
		                          NULL, 0);

		if (rc == CURLE_OK && r.status == 200) {
			h->ok++;
		} else {
			h->failed++;
			(void)snprintf(h->last_error, sizeof(h->last_error),
			               "%s, status %ld", curl_easy_strerror(rc),
			               r.status);
		}
		ht_reply_free(&r);
	}
	return NULL;
}

struct streamer {
	struct ht_server *s;
	const char *ca;
	struct ht_reply r;
	CURLcode rc;
};

static void *stream_main(void *arg)
{
	struct streamer *st = arg;
	CURL *c = curl_easy_init();

	ht_curl_tls(c, st->ca, NULL, NULL);
	st->rc = ht_request_rc(c, &st->r, "POST", st->s->tls_url,
	                       "alice:secret", "StreamSlow", NULL, "x", 1);
	curl_easy_cleanup(c);
	return NULL;
}

static void test_http_tls__reload_keeps_serving(void **state)
{
	struct ht_server s;
	swim_limits lim = ht_limits();
	struct ht_reply r;
	struct hammer h = { 0 };
	struct streamer st = { 0 };
	pthread_t th, ts;
	CURL *kept = curl_easy_init();
	char subject[256], *ca = pem("ca", "crt"), *log, *key;
	int raw[4];

	(void)state;
	ht_pki_install(dir, "server", "live");
	start_with(&s, &lim, "live", NULL);
	h.s = st.s = &s;
	h.ca = st.ca = ca;
	ht_curl_tls(kept, ca, NULL, NULL);
	curl_easy_setopt(kept, CURLOPT_CERTINFO, 1L);
	ht_request(kept, &r, "POST", s.tls_url, "alice:secret", "GetInstance",
	           NULL, "x", 1);
	ht_expect(&r, 200, NULL, NULL);
	assert_null(ht_reply_header(&r, "Connection"));
	ht_reply_free(&r);
	/* A long answer in progress and clients connecting throughout. */
	assert_int_equal(pthread_create(&ts, NULL, stream_main, &st), 0);
	while (!atomic_load(&s.hs.streaming))
		ht_sleep_ms(10);
	assert_int_equal(pthread_create(&th, NULL, hammer_main, &h), 0);
	ht_sleep_ms(200);

	ht_pki_install(dir, "renewed", "live");
	swim_assert_ok(swimd_http_reload_tls(s.srv));
	ht_sleep_ms(300);
	/* New connections get the new certificate... */
	assert_int_equal(tls_request(&s, &r, ca, NULL, "alice:secret", subject,
	                             sizeof(subject)), CURLE_OK);
	ht_expect(&r, 200, NULL, NULL);
	assert_string_equal(subject, "CN = renewed.localhost");
	ht_reply_free(&r);
	/* ...a kept-alive one is served once more and then closed... */
	ht_request(kept, &r, "POST", s.tls_url, "alice:secret", "GetInstance",
	           NULL, "x", 1);
	ht_expect(&r, 200, NULL, NULL);
	assert_int_equal(r.connects, 0);
	assert_string_equal(ht_reply_header(&r, "Connection"), "close");
	ht_reply_free(&r);
	ht_request(kept, &r, "POST", s.tls_url, "alice:secret", "GetInstance",
	           NULL, "x", 1);
	assert_int_equal(r.connects, 1);
	ht_reply_free(&r);
	/* ...and the stream started before finishes whole. */
	assert_int_equal(pthread_join(ts, NULL), 0);
	assert_int_equal(st.rc, CURLE_OK);
	ht_expect(&st.r, 200, NULL, "<part n=\"99\"/>\n<part n=\"100\"/>\n");
	ht_reply_free(&st.r);

	/* A broken key is reported; the certificate in use stays. */
	key = pem("live", "key");
	swim_assert_ok(swim_fs_write_atomic(key, "junk\n", 5, 0600));
	assert_int_equal(swimd_http_reload_tls(s.srv), SWIM_EINVAL);
	assert_non_null(strstr(swim_error_last(), "key file "));
	assert_int_equal(tls_request(&s, &r, ca, NULL, "alice:secret", subject,
	                             sizeof(subject)), CURLE_OK);
	assert_string_equal(subject, "CN = renewed.localhost");
	ht_reply_free(&r);
	atomic_store(&h.stop, 1);
	assert_int_equal(pthread_join(th, NULL), 0);
	if (h.failed)
		fail_msg("%d of %d requests failed during the reload: %s",
		         h.failed, h.ok + h.failed, h.last_error);
	assert_true(h.ok > 5);

	/* Earlier certificates that still have connections are bounded. */
	ht_pki_install(dir, "server", "live");
	for (int i = 0; i < 4; i++) {
		raw[i] = ht_connect(s.tls_port, NULL);
		ht_sleep_ms(100);
		swim_assert_ok(swimd_http_reload_tls(s.srv));
	}
	assert_int_equal(swimd_http_reload_tls(s.srv), SWIM_EBUSY);
	assert_non_null(strstr(swim_error_last(), "4 earlier certificates still "
	                                          "serve open connections"));
	for (int i = 0; i < 4; i++)
		close(raw[i]);
	ht_sleep_ms(1500);
	swim_assert_ok(swimd_http_reload_tls(s.srv));
	curl_easy_cleanup(kept);
	swim_assert_ok(swimd_http_stop(s.srv));
	log = ht_log(&s);
	assert_non_null(strstr(log, " info: HTTPS certificate reloaded: "
	                            "CN=renewed.localhost, valid until "));
	assert_non_null(strstr(log, " info: the last connection with an earlier "
	                            "HTTPS certificate has closed\n"));
	free(log);
	ht_stop(&s);
	free(key);
	free(ca);
}

static void test_http_tls__wbemcli(void **state)
{
	struct ht_server s;
	swim_limits lim = ht_limits();
	char *ca = pem("ca", "crt"), *other = pem("other", "crt");
	char *out;
	int status;

	(void)state;
	start_with(&s, &lim, "server", NULL);
	out = run(&status, "wbemcli ein -nl -cacert %s "
	          "'https://alice:secret@127.0.0.1:%u/root/cimv2:SWIM_Test'",
	          ca, s.tls_port);
	if (status != 0 || !strstr(out, "SWIM_Test.InstanceID=\"over-tls\""))
		fail_msg("wbemcli (%d): %s", status, out);
	free(out);
	/* A CA that did not issue the server's certificate: refused. */
	out = run(&status, "wbemcli ein -nl -cacert %s "
	          "'https://alice:secret@127.0.0.1:%u/root/cimv2:SWIM_Test'",
	          other, s.tls_port);
	assert_null(strstr(out, "over-tls"));
	free(out);
	assert_int_equal(atomic_load(&s.hs.calls), 1);
	ht_stop(&s);
	free(ca);
	free(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_tls__curl_trusts_the_certificate),
		cmocka_unit_test(test_http_tls__bad_certificates),
		cmocka_unit_test(test_http_tls__modern_protocols_only),
		cmocka_unit_test(test_http_tls__client_certificates),
		cmocka_unit_test(test_http_tls__reload_keeps_serving),
		cmocka_unit_test(test_http_tls__wbemcli),
	};

	return ht_main("test_http_tls", tests, SWIM_ARRAY_SIZE(tests), setup, teardown);
}
