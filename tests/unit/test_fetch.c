/* Downloads against a real HTTP server (libmicrohttpd, in-process, on
 * 127.0.0.1) that can answer 404, 304, stall, truncate, fail transiently,
 * redirect, demand credentials and act as a proxy. */
#include <arpa/inet.h>
#include <dirent.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>

#include "support/testutil.h"
#include "swim/error.h"
#include "swim/fetch.h"
#include "util/fs.h"

struct server {
	struct MHD_Daemon *d;
	unsigned port;
	atomic_int flaky_hits;
	atomic_int requests;
};

static struct server srv;

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status,
                             const char *body, const char *hname,
                             const char *hval)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (hname)
		MHD_add_response_header(r, hname, hval);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Sends `limit` bytes of a body announced as `total`, then fails. */
struct partial {
	size_t limit;
	unsigned delay_s;
};

static ssize_t partial_body(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct partial *p = cls;

	if (p->delay_s) {
		sleep(p->delay_s);
		p->delay_s = 0;
	}
	if (pos >= p->limit)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if (max > p->limit - pos)
		max = p->limit - pos;
	memset(buf, 'x', max);
	return (ssize_t)max;
}

static void free_partial(void *cls)
{
	free(cls);
}

static enum MHD_Result stream(struct MHD_Connection *c, uint64_t total,
                              size_t limit, unsigned delay_s)
{
	struct partial *p = calloc(1, sizeof(*p));
	struct MHD_Response *r;
	enum MHD_Result ret;

	p->limit = limit;
	p->delay_s = delay_s;
	r = MHD_create_response_from_callback(total, 1024, partial_body, p,
	                                      free_partial);
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
	struct server *s = cls;
	const char *inm;

	(void)method;
	(void)version;
	(void)upload;
	(void)upload_size;
	(void)con_cls;
	s->requests++;
	if (strncmp(url, "http://", 7) == 0)
		return reply(c, 200, "via proxy", NULL, NULL);
	if (strcmp(url, "/ok") == 0) {
		inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		                                  "If-None-Match");
		if (inm && strcmp(inm, "\"v1\"") == 0)
			return reply(c, 304, "", "ETag", "\"v1\"");
		if (MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		                                "If-Modified-Since"))
			return reply(c, 304, "", NULL, NULL);
		{
			struct MHD_Response *r = MHD_create_response_from_buffer(
				11, (void *)"hello world", MHD_RESPMEM_PERSISTENT);
			enum MHD_Result ret;

			MHD_add_response_header(r, "ETag", "\"v1\"");
			MHD_add_response_header(r, "Last-Modified",
			                        "Wed, 21 Oct 2015 07:28:00 GMT");
			ret = MHD_queue_response(c, 200, r);
			MHD_destroy_response(r);
			return ret;
		}
	}
	if (strcmp(url, "/flaky") == 0)
		return ++s->flaky_hits <= 2
			? reply(c, 503, "busy", NULL, NULL)
			: reply(c, 200, "recovered", NULL, NULL);
	if (strcmp(url, "/always503") == 0)
		return reply(c, 503, "busy", NULL, NULL);
	if (strcmp(url, "/redirect") == 0)
		return reply(c, 302, "", "Location", "/ok");
	if (strcmp(url, "/to-file") == 0)
		return reply(c, 302, "", "Location", "file:///etc/passwd");
	if (strcmp(url, "/stall") == 0)
		return stream(c, 100, 100, 3);
	if (strcmp(url, "/truncated") == 0)
		return stream(c, 1000, 100, 0);
	if (strcmp(url, "/big") == 0)
		return stream(c, 10000, 10000, 0);
	if (strcmp(url, "/bigchunked") == 0)
		return stream(c, MHD_SIZE_UNKNOWN, 10000, 0);
	if (strcmp(url, "/auth") == 0) {
		char *pass = NULL;
		char *user = MHD_basic_auth_get_username_password(c, &pass);
		bool ok = user && pass && strcmp(user, "u") == 0 &&
		          strcmp(pass, "s3cret") == 0;
		enum MHD_Result ret;

		MHD_free(user);
		MHD_free(pass);
		if (ok)
			return reply(c, 200, "welcome", NULL, NULL);
		ret = reply(c, 401, "who are you", "WWW-Authenticate",
		            "Basic realm=\"t\"");
		return ret;
	}
	return reply(c, 404, "not here", NULL, NULL);
}

static int server_up(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	const union MHD_DaemonInfo *info;

	(void)state;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	srv.d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
	                         MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL,
	                         NULL, handle, &srv, MHD_OPTION_SOCK_ADDR,
	                         (struct sockaddr *)&sa, MHD_OPTION_END);
	if (!srv.d)
		return -1;
	info = MHD_get_daemon_info(srv.d, MHD_DAEMON_INFO_BIND_PORT);
	srv.port = info->port;
	return 0;
}

static int server_down(void **state)
{
	(void)state;
	MHD_stop_daemon(srv.d);
	return 0;
}

static char *url(const char *path)
{
	char *u = NULL;

	assert_true(asprintf(&u, "http://127.0.0.1:%u%s", srv.port, path) > 0);
	return u;
}

static swim_fetch_opts quick_opts(swim_limits *lim)
{
	swim_fetch_opts o = { .lim = lim, .retry_delay_ms = 20 };

	swim_limits_init(lim);
	lim->download_low_speed_seconds = 1;
	lim->download_retries = 2;
	return o;
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void test_fetch__buf_and_validators(void **state)
{
	swim_buf b = SWIM_BUF_INIT(0);
	swim_fetch_result r;
	swim_limits lim;
	swim_fetch_opts o = quick_opts(&lim);
	char *u = url("/ok");

	(void)state;
	swim_assert_ok(swim_fetch_buf(&r, &b, u, NULL, NULL, &o));
	assert_string_equal(b.ptr, "hello world");
	assert_int_equal(r.status, 200);
	assert_false(r.not_modified);
	assert_string_equal(r.etag, "\"v1\"");
	assert_string_equal(r.last_modified, "Wed, 21 Oct 2015 07:28:00 GMT");
	assert_int_equal(r.bytes, 11);
	swim_fetch_result_dispose(&r);

	/* Unchanged: 304, nothing appended. */
	swim_buf_clear(&b);
	swim_assert_ok(swim_fetch_buf(&r, &b, u, "\"v1\"", NULL, &o));
	assert_true(r.not_modified);
	assert_int_equal(b.len, 0);
	swim_fetch_result_dispose(&r);
	swim_assert_ok(swim_fetch_buf(&r, &b, u, NULL,
	                              "Wed, 21 Oct 2015 07:28:00 GMT", &o));
	assert_true(r.not_modified);
	swim_fetch_result_dispose(&r);

	/* A changed resource (other ETag) is fetched again. */
	swim_assert_ok(swim_fetch_buf(&r, &b, u, "\"v0\"", NULL, &o));
	assert_false(r.not_modified);
	assert_string_equal(b.ptr, "hello world");
	swim_fetch_result_dispose(&r);
	swim_buf_dispose(&b);
	free(u);
}

static void test_fetch__404_names_url(void **state)
{
	swim_buf b = SWIM_BUF_INIT(0);
	swim_limits lim;
	swim_fetch_opts o = quick_opts(&lim);
	char *u = url("/depot/index.xml");

	(void)state;
	swim_assert_error(swim_fetch_buf(NULL, &b, u, NULL, NULL, &o),
	                  SWIM_ENOTFOUND, "/depot/index.xml: HTTP status 404");
	assert_int_equal(b.len, 0);
	swim_buf_dispose(&b);
	free(u);
}

static void test_fetch__transient_failures_are_retried(void **state)
{
	swim_buf b = SWIM_BUF_INIT(0);
	swim_fetch_result r;
	swim_limits lim;
	swim_fetch_opts o = quick_opts(&lim);
	char *u = url("/flaky"), *u2 = url("/always503");

	(void)state;
	srv.flaky_hits = 0;
	swim_assert_ok(swim_fetch_buf(&r, &b, u, NULL, NULL, &o));
	assert_string_equal(b.ptr, "recovered");
	assert_int_equal(r.attempts, 3);
	swim_fetch_result_dispose(&r);
	swim_buf_clear(&b);
	swim_assert_error(swim_fetch_buf(NULL, &b, u2, NULL, NULL, &o),
	                  SWIM_ENETWORK, "HTTP status 503");
	swim_buf_dispose(&b);
	free(u);
	free(u2);
}

static void test_fetch__stall_times_out(void **state)
{
	swim_buf b = SWIM_BUF_INIT(0);
	swim_limits lim;
	swim_fetch_opts o = quick_opts(&lim);
	char *u = url("/stall");

	(void)state;
	lim.download_retries = 0;
	swim_assert_error(swim_fetch_buf(NULL, &b, u, NULL, NULL, &o),
	                  SWIM_ETIMEOUT, "timed out");
	assert_int_equal(b.len, 0);
	swim_buf_dispose(&b);
	free(u);
}

static void test_fetch__truncated_file_leaves_nothing(void **state)
{
	swim_limits lim;
	swim_fetch_opts o = quick_opts(&lim);
	char *u = url("/truncated"), *dir = swim_test_tmpdir(), *dest = NULL;
	struct stat st;

	(void)state;
	assert_true(asprintf(&dest, "%s/index.xml", dir) > 0);
	swim_error_clear();
	assert_int_not_equal(swim_fetch_file(NULL, u, dest, NULL, NULL, &o), 0);
	assert_non_null(strstr(swim_error_last(), "/truncated"));
	assert_int_equal(stat(dest, &st), -1);
	assert_int_equal(count_entries(dir), 0);  /* no .part left either */

	/* An existing complete file is not replaced by a failed download. */
	swim_test_write_file(dest, "old", 3);
	assert_int_not_equal(swim_fetch_file(NULL, u, dest, NULL, NULL, &o), 0);
	assert_int_equal(stat(dest, &st), 0);
	assert_int_equal(st.st_size, 3);
	assert_int_equal(count_entries(dir), 1);
	swim_test_rmtree(dir);
	free(dir);
	free(dest);
	free(u);
}

static void test_fetch__file_complete_and_not_modified(void **state)
{
	swim_limits lim;
	swim_fetch_opts o = quick_opts(&lim);
	swim_fetch_result r;
	swim_buf got = SWIM_BUF_INIT(0);
	char *u = url("/ok"), *dir = swim_test_tmpdir(), *dest = NULL;

	(void)state;
	assert_true(asprintf(&dest, "%s/metadata.zip", dir) > 0);
	swim_assert_ok(swim_fetch_file(&r, u, dest, NULL, NULL, &o));
	swim_assert_ok(swim_fs_read_file(&got, dest));
	assert_string_equal(got.ptr, "hello world");
	swim_fetch_result_dispose(&r);
	swim_test_write_file(dest, "cached", 6);
	swim_assert_ok(swim_fetch_file(&r, u, dest, "\"v1\"", NULL, &o));
	assert_true(r.not_modified);
	swim_buf_clear(&got);
	swim_assert_ok(swim_fs_read_file(&got, dest));
	assert_string_equal(got.ptr, "cached");
	assert_int_equal(count_entries(dir), 1);
	swim_fetch_result_dispose(&r);
	swim_buf_dispose(&got);
	swim_test_rmtree(dir);
	free(dir);
	free(dest);
	free(u);
}

static void test_fetch__size_cap(void **state)
{
	swim_buf b = SWIM_BUF_INIT(0);
	swim_limits lim;
	swim_fetch_opts o = quick_opts(&lim);
	char *u = url("/big"), *u2 = url("/bigchunked");

	(void)state;
	o.max_bytes = 1000;
	swim_assert_error(swim_fetch_buf(NULL, &b, u, NULL, NULL, &o),
	                  SWIM_ELIMIT, "limit");
	swim_assert_error(swim_fetch_buf(NULL, &b, u2, NULL, NULL, &o),
	                  SWIM_ELIMIT, "1000 bytes");
	assert_int_equal(b.len, 0);
	/* The buffer's own cap applies too. */
	o.max_bytes = 0;
	b.max = 500;
	swim_assert_error(swim_fetch_buf(NULL, &b, u2, NULL, NULL, &o),
	                  SWIM_ELIMIT, "500");
	swim_buf_dispose(&b);
	free(u);
	free(u2);
}

static void test_fetch__credentials_used_never_shown(void **state)
{
	swim_buf b = SWIM_BUF_INIT(0);
	swim_limits lim;
	swim_fetch_opts o = quick_opts(&lim);
	char *good = NULL, *bad = NULL, *dir = swim_test_tmpdir(), *netrc = NULL;

	(void)state;
	assert_true(asprintf(&good, "http://u:s3cret@127.0.0.1:%u/auth", srv.port) > 0);
	assert_true(asprintf(&bad, "http://u:wr0ng@127.0.0.1:%u/auth", srv.port) > 0);
	swim_assert_ok(swim_fetch_buf(NULL, &b, good, NULL, NULL, &o));
	assert_string_equal(b.ptr, "welcome");
	swim_buf_clear(&b);
	swim_assert_error(swim_fetch_buf(NULL, &b, bad, NULL, NULL, &o),
	                  SWIM_EACCESS, "HTTP status 401");
	assert_null(strstr(swim_error_last(), "wr0ng"));
	assert_null(strstr(swim_error_last(), "u:"));

	/* netrc supplies credentials by host. */
	assert_true(asprintf(&netrc, "%s/netrc", dir) > 0);
	swim_test_write_file(netrc, "machine 127.0.0.1 login u password s3cret\n", 42);
	o.netrc_file = netrc;
	free(good);
	good = url("/auth");
	swim_assert_ok(swim_fetch_buf(NULL, &b, good, NULL, NULL, &o));
	assert_string_equal(b.ptr, "welcome");
	swim_buf_dispose(&b);
	swim_test_rmtree(dir);
	free(dir);
	free(netrc);
	free(good);
	free(bad);
}

static void test_fetch__redirects(void **state)
{
	swim_buf b = SWIM_BUF_INIT(0);
	swim_limits lim;
	swim_fetch_opts o = quick_opts(&lim);
	char *u = url("/redirect"), *u2 = url("/to-file");

	(void)state;
	swim_assert_ok(swim_fetch_buf(NULL, &b, u, NULL, NULL, &o));
	assert_string_equal(b.ptr, "hello world");
	swim_buf_clear(&b);
	/* An http server cannot send us to a local file. */
	assert_int_not_equal(swim_fetch_buf(NULL, &b, u2, NULL, NULL, &o), 0);
	assert_int_equal(b.len, 0);
	swim_buf_dispose(&b);
	free(u);
	free(u2);
}

static void test_fetch__proxy(void **state)
{
	swim_buf b = SWIM_BUF_INIT(0);
	swim_limits lim;
	swim_fetch_opts o = quick_opts(&lim);
	char *proxy = url("");

	(void)state;
	o.http_proxy = proxy;
	swim_assert_ok(swim_fetch_buf(NULL, &b, "http://depot.example.invalid/index.xml",
	                              NULL, NULL, &o));
	assert_string_equal(b.ptr, "via proxy");
	/* no_proxy sends matching hosts direct (which here cannot resolve). */
	o.no_proxy = "example.invalid";
	swim_buf_clear(&b);
	assert_int_not_equal(swim_fetch_buf(NULL, &b, "http://depot.example.invalid/x",
	                                    NULL, NULL, &o), 0);
	swim_buf_dispose(&b);
	free(proxy);
}

static void test_fetch__file_urls(void **state)
{
	swim_buf b = SWIM_BUF_INIT(0);
	swim_limits lim;
	swim_fetch_opts o = quick_opts(&lim);
	char *dir = swim_test_tmpdir(), *path = NULL, *u = NULL;

	(void)state;
	assert_true(asprintf(&path, "%s/vendor-index.xml", dir) > 0);
	swim_test_write_file(path, "<metaList/>", 11);
	assert_true(asprintf(&u, "file://%s", path) > 0);
	swim_assert_ok(swim_fetch_buf(NULL, &b, u, NULL, NULL, &o));
	assert_string_equal(b.ptr, "<metaList/>");
	free(u);
	assert_true(asprintf(&u, "file://%s/nope.xml", dir) > 0);
	swim_assert_error(swim_fetch_buf(NULL, &b, u, NULL, NULL, &o),
	                  SWIM_ENOTFOUND, "nope.xml");
	swim_assert_error(swim_fetch_buf(NULL, &b, "gopher://x/", NULL, NULL, &o),
	                  SWIM_ENETWORK, "gopher://x/");
	swim_buf_dispose(&b);
	swim_test_rmtree(dir);
	free(dir);
	free(path);
	free(u);
}

static void test_fetch__tls_verification_on(void **state)
{
	swim_buf b = SWIM_BUF_INIT(0);
	swim_limits lim;
	swim_fetch_opts o = quick_opts(&lim);
	char *u = NULL;

	(void)state;
	/* Speaking TLS to a plain HTTP server fails with a TLS error. */
	assert_true(asprintf(&u, "https://127.0.0.1:%u/ok", srv.port) > 0);
	lim.download_retries = 0;
	swim_assert_error(swim_fetch_buf(NULL, &b, u, NULL, NULL, &o),
	                  SWIM_ENETWORK, "TLS failure");
	o.ca_file = "/nonexistent/ca.pem";
	swim_assert_error(swim_fetch_buf(NULL, &b, u, NULL, NULL, &o),
	                  SWIM_ENETWORK, "GET https://127.0.0.1");
	swim_buf_dispose(&b);
	free(u);
}

static void test_fetch__redact_and_partial_names(void **state)
{
	swim_buf b = SWIM_BUF_INIT(0);

	(void)state;
	swim_assert_ok(swim_url_redact(&b, "https://me:pw@depot.example/a/index.xml"));
	assert_string_equal(b.ptr, "https://depot.example/a/index.xml");
	swim_buf_clear(&b);
	swim_assert_ok(swim_url_redact(&b, "::not a url::"));
	assert_string_equal(b.ptr, "<invalid URL>");
	assert_true(swim_fetch_is_partial("metadata.zip.part-AbC123"));
	assert_false(swim_fetch_is_partial("metadata.zip"));
	assert_false(swim_fetch_is_partial("x.part-1"));
	swim_buf_dispose(&b);
}



static int cancel_after_first(void *ctx, uint64_t now, uint64_t total)
{
	int *calls = ctx;

	(void)total;
	++*calls;
	return now > 0;
}

static void test_fetch__progress_can_cancel(void **state)
{
	swim_buf b = SWIM_BUF_INIT(0);
	swim_limits lim;
	swim_fetch_opts o = quick_opts(&lim);
	char *u = url("/big");
	int calls = 0;

	(void)state;
	o.progress = cancel_after_first;
	o.progress_ctx = &calls;
	swim_assert_error(swim_fetch_buf(NULL, &b, u, NULL, NULL, &o),
	                  SWIM_ECANCELLED, "cancelled");
	assert_true(calls > 0);
	swim_buf_dispose(&b);
	free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fetch__buf_and_validators),
		cmocka_unit_test(test_fetch__404_names_url),
		cmocka_unit_test(test_fetch__transient_failures_are_retried),
		cmocka_unit_test(test_fetch__stall_times_out),
		cmocka_unit_test(test_fetch__truncated_file_leaves_nothing),
		cmocka_unit_test(test_fetch__file_complete_and_not_modified),
		cmocka_unit_test(test_fetch__size_cap),
		cmocka_unit_test(test_fetch__credentials_used_never_shown),
		cmocka_unit_test(test_fetch__redirects),
		cmocka_unit_test(test_fetch__proxy),
		cmocka_unit_test(test_fetch__file_urls),
		cmocka_unit_test(test_fetch__tls_verification_on),
		cmocka_unit_test(test_fetch__redact_and_partial_names),
		cmocka_unit_test(test_fetch__progress_can_cancel),
	};
	return cmocka_run_group_tests(tests, server_up, server_down);
}
