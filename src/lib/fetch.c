/* Downloads through libcurl's easy interface, one handle per call (curl
 * handles are not shared across threads; a depot refresh is a handful of
 * requests, so connection reuse across calls is not worth shared state). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "swim/error.h"
#include "swim/fetch.h"
#include "util/fs.h"
#include "util/str.h"

#define PART_SUFFIX ".part-"
#define RETRY_AFTER_MAX_SECONDS 30

struct sink {
	swim_buf *buf;          /* buffer mode */
	size_t buf_start;
	int fd;                 /* file mode, else -1 */
	uint64_t max;
	uint64_t bytes;
	int err;                /* a swim error stopped the transfer */
	const swim_fetch_opts *opts;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int swim_url_redact(swim_buf *out, const char *url)
{
	CURLU *u = curl_url();
	char *clean = NULL;
	int rc;

	if (!u)
		return swim_error_oom();
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) ||
	    curl_url_set(u, CURLUPART_USER, NULL, 0) ||
	    curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) ||
	    curl_url_get(u, CURLUPART_URL, &clean, 0))
		rc = swim_buf_puts(out, "<invalid URL>");
	else
		rc = swim_buf_puts(out, clean);
	curl_free(clean);
	curl_url_cleanup(u);
	return rc;
}

bool swim_fetch_is_partial(const char *name)
{
	const char *p = strstr(name, PART_SUFFIX);

	return p && strlen(p) == strlen(PART_SUFFIX) + 6;
}

static size_t on_data(char *data, size_t size, size_t n, void *p)
{
	struct sink *s = p;
	size_t len = size * n;

	if (len > s->max - s->bytes) {
		s->err = swim_error_set(SWIM_ELIMIT,
		                        "larger than the download limit of %llu bytes",
		                        (unsigned long long)s->max);
		return 0;
	}
	if (s->fd >= 0) {
		if ((s->err = swim_fs_write_all(s->fd, data, len,
		                                "the download")) < 0)
			return 0;
	} else if ((s->err = swim_buf_put(s->buf, data, len)) < 0) {
		return 0;
	}
	s->bytes += len;
	return len;
}

static int on_progress(void *p, curl_off_t dltotal, curl_off_t dlnow,
                       curl_off_t ultotal, curl_off_t ulnow)
{
	struct sink *s = p;

	(void)ultotal;
	(void)ulnow;
	if (!s->opts->progress)
		return 0;
	if (s->opts->progress(s->opts->progress_ctx, (uint64_t)dlnow,
	                      (uint64_t)dltotal) != 0) {
		s->err = swim_error_set(SWIM_ECANCELLED, "download cancelled");
		return 1;
	}
	return 0;
}

/* Empties the sink for another attempt. */
static int sink_reset(struct sink *s)
{
	s->bytes = 0;
	s->err = 0;
	if (s->fd < 0) {
		swim_buf_truncate(s->buf, s->buf_start);
		return 0;
	}
	if (ftruncate(s->fd, 0) < 0 || lseek(s->fd, 0, SEEK_SET) < 0)
		return swim_error_set_errno(SWIM_EIO, errno,
		                            "resetting the download");
	return 0;
}

static const char *proxy_for(const char *url, const swim_fetch_opts *o)
{
	if (strncmp(url, "https:", 6) == 0)
		return o->https_proxy;
	if (strncmp(url, "http:", 5) == 0)
		return o->http_proxy;
	return NULL;
}

static int setup(CURL *h, struct curl_slist **hdrs, const char *url,
                 const char *etag, const char *last_modified,
                 struct sink *s, char *errbuf)
{
	const swim_fetch_opts *o = s->opts;
	const swim_limits *lim = o->lim ? o->lim : swim_limits_default();
	swim_buf line = SWIM_BUF_INIT(0);
	const char *proxy = proxy_for(url, o);
	CURLcode c = CURLE_OK;
	int rc = 0;

#define SET(opt, val) \
	do { if (c == CURLE_OK) c = curl_easy_setopt(h, opt, val); } while (0)
	SET(CURLOPT_URL, url);
	SET(CURLOPT_PROTOCOLS_STR, "http,https,file");
	SET(CURLOPT_FOLLOWLOCATION, 1L);
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_MAXREDIRS, 10L);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_FAILONERROR, 0L);
	SET(CURLOPT_ERRORBUFFER, errbuf);
	SET(CURLOPT_CONNECTTIMEOUT, (long)lim->download_connect_timeout_seconds);
	SET(CURLOPT_LOW_SPEED_LIMIT, 1L);
	SET(CURLOPT_LOW_SPEED_TIME, (long)lim->download_low_speed_seconds);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)(s->max > INT64_MAX ? INT64_MAX : s->max));
	SET(CURLOPT_WRITEFUNCTION, on_data);
	SET(CURLOPT_WRITEDATA, s);
	SET(CURLOPT_XFERINFOFUNCTION, on_progress);
	SET(CURLOPT_XFERINFODATA, s);
	SET(CURLOPT_NOPROGRESS, 0L);
	SET(CURLOPT_USERAGENT, "swim/0.1");
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->ca_file)
		SET(CURLOPT_CAINFO, o->ca_file);
	if (o->netrc_file) {
		SET(CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
		SET(CURLOPT_NETRC_FILE, o->netrc_file);
	}
	if (proxy)
		SET(CURLOPT_PROXY, proxy);
	if (o->no_proxy)
		SET(CURLOPT_NOPROXY, o->no_proxy);
#undef SET
	if (c != CURLE_OK) {
		rc = swim_error_set(SWIM_ERROR, "setting up the download: %s",
		                    curl_easy_strerror(c));
		goto out;
	}
	if (etag) {
		if ((rc = swim_buf_printf(&line, "If-None-Match: %s", etag)) < 0)
			goto out;
		if (!(*hdrs = curl_slist_append(*hdrs, line.ptr))) {
			rc = swim_error_oom();
			goto out;
		}
	}
	if (last_modified) {
		swim_buf_clear(&line);
		if ((rc = swim_buf_printf(&line, "If-Modified-Since: %s",
		                          last_modified)) < 0)
			goto out;
		if (!(*hdrs = curl_slist_append(*hdrs, line.ptr))) {
			rc = swim_error_oom();
			goto out;
		}
	}
	if (*hdrs && curl_easy_setopt(h, CURLOPT_HTTPHEADER, *hdrs) != CURLE_OK)
		rc = swim_error_set(SWIM_ERROR, "setting request headers");
out:
	swim_buf_dispose(&line);
	return rc;
}

static bool status_is_transient(long status)
{
	return status == 408 || status == 429 || status == 500 ||
	       status == 502 || status == 503 || status == 504;
}

static bool curl_is_transient(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

/* Sets the error for a failed attempt; `what` is "GET <redacted url>". */
static int attempt_error(CURLcode c, long status, const char *errbuf,
                         const char *what, const swim_limits *lim)
{
	if (c == CURLE_OK) {
		int code = status == 404 || status == 410 ? SWIM_ENOTFOUND
			: status == 401 || status == 403 ? SWIM_EACCESS
			: SWIM_ENETWORK;

		return swim_error_set(code, "%s: HTTP status %ld", what, status);
	}
	switch (c) {
	case CURLE_OPERATION_TIMEDOUT:
		return swim_error_set(SWIM_ETIMEOUT,
		                      "%s: timed out (connect limit %llu s, or no data for %llu s)",
		                      what,
		                      (unsigned long long)lim->download_connect_timeout_seconds,
		                      (unsigned long long)lim->download_low_speed_seconds);
	case CURLE_FILE_COULDNT_READ_FILE:
		return swim_error_set(SWIM_ENOTFOUND, "%s: %s", what,
		                      *errbuf ? errbuf : curl_easy_strerror(c));
	case CURLE_FILESIZE_EXCEEDED:
		return swim_error_set(SWIM_ELIMIT,
		                      "%s: larger than the download limit", what);
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
		return swim_error_set(SWIM_ENETWORK, "%s: TLS failure: %s", what,
		                      *errbuf ? errbuf : curl_easy_strerror(c));
	case CURLE_LOGIN_DENIED:
		return swim_error_set(SWIM_EACCESS, "%s: login denied", what);
	default:
		return swim_error_set(SWIM_ENETWORK, "%s: %s", what,
		                      *errbuf ? errbuf : curl_easy_strerror(c));
	}
}

static int copy_header(char **out, CURL *h, const char *name)
{
	struct curl_header *hdr = NULL;

	free(*out);
	*out = NULL;
	if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hdr) != CURLHE_OK)
		return 0;
	if (!(*out = swim_strdup(hdr->value)))
		return SWIM_ENOMEM;
	return 0;
}

static void sleep_ms(uint64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int transfer(swim_fetch_result *res, struct sink *s, const char *url,
                    const char *etag, const char *last_modified)
{
	const swim_fetch_opts *o = s->opts;
	const swim_limits *lim = o->lim ? o->lim : swim_limits_default();
	swim_buf what = SWIM_BUF_INIT(0);
	struct curl_slist *hdrs = NULL;
	char errbuf[CURL_ERROR_SIZE];
	uint64_t delay = o->retry_delay_ms ? o->retry_delay_ms : 500;
	CURL *h = NULL;
	int rc;

	(void)pthread_once(&curl_once, curl_init);
	if (curl_init_rc != CURLE_OK)
		return swim_error_set(SWIM_ERROR, "libcurl: %s",
		                      curl_easy_strerror(curl_init_rc));
	if ((rc = swim_buf_puts(&what, "GET ")) < 0 ||
	    (rc = swim_url_redact(&what, url)) < 0)
		goto out;
	if (!(h = curl_easy_init())) {
		rc = swim_error_oom();
		goto out;
	}
	errbuf[0] = '\0';
	if ((rc = setup(h, &hdrs, url, etag, last_modified, s, errbuf)) < 0)
		goto out;
	for (unsigned attempt = 0;; attempt++) {
		curl_off_t retry_after = 0;
		long status = 0;
		CURLcode c;

		if ((rc = sink_reset(s)) < 0)
			goto out;
		errbuf[0] = '\0';
		c = curl_easy_perform(h);
		(void)curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		res->status = status;
		res->attempts = attempt + 1;
		if (s->err) {
			rc = swim_error_prefix("%s: ", what.ptr);
			goto out;
		}
		if (c == CURLE_OK && (status == 0 || (status >= 200 && status < 300))) {
			res->bytes = s->bytes;
			if ((rc = copy_header(&res->etag, h, "ETag")) < 0 ||
			    (rc = copy_header(&res->last_modified, h,
			                      "Last-Modified")) < 0)
				goto out;
			break;
		}
		if (c == CURLE_OK && status == 304 && (etag || last_modified)) {
			res->not_modified = true;
			if ((rc = copy_header(&res->etag, h, "ETag")) < 0 ||
			    (rc = copy_header(&res->last_modified, h,
			                      "Last-Modified")) < 0)
				goto out;
			break;
		}
		rc = attempt_error(c, status, errbuf, what.ptr, lim);
		if (attempt >= lim->download_retries ||
		    !(c == CURLE_OK ? status_is_transient(status)
		                    : curl_is_transient(c)))
			goto out;
		(void)curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &retry_after);
		if (retry_after > 0)
			sleep_ms((uint64_t)(retry_after > RETRY_AFTER_MAX_SECONDS
			                    ? RETRY_AFTER_MAX_SECONDS : retry_after) * 1000);
		else
			sleep_ms(delay);
		delay *= 2;
	}
	rc = 0;
out:
	curl_slist_free_all(hdrs);
	if (h)
		curl_easy_cleanup(h);
	swim_buf_dispose(&what);
	return rc;
}

void swim_fetch_result_dispose(swim_fetch_result *r)
{
	if (!r)
		return;
	free(r->etag);
	free(r->last_modified);
	memset(r, 0, sizeof(*r));
}

static uint64_t download_max(const swim_fetch_opts *o)
{
	const swim_limits *lim = o->lim ? o->lim : swim_limits_default();

	return o->max_bytes ? o->max_bytes : lim->download_max_bytes;
}

int swim_fetch_buf(swim_fetch_result *out, swim_buf *buf, const char *url,
                   const char *etag, const char *last_modified,
                   const swim_fetch_opts *opts)
{
	static const swim_fetch_opts none;
	swim_fetch_result res = { 0 };
	struct sink s = { .buf = buf, .buf_start = buf->len, .fd = -1,
	                  .opts = opts ? opts : &none };
	int rc;

	s.max = download_max(s.opts);
	rc = transfer(&res, &s, url, etag, last_modified);
	if (rc < 0)
		swim_buf_truncate(buf, s.buf_start);
	if (out && rc == 0)
		*out = res;
	else
		swim_fetch_result_dispose(&res);
	return rc;
}

int swim_fetch_file(swim_fetch_result *out, const char *url,
                    const char *dest, const char *etag,
                    const char *last_modified, const swim_fetch_opts *opts)
{
	static const swim_fetch_opts none;
	swim_fetch_result res = { 0 };
	swim_buf tmp = SWIM_BUF_INIT(0);
	struct sink s = { .fd = -1, .opts = opts ? opts : &none };
	bool have_tmp = false;
	int rc;

	s.max = download_max(s.opts);
	if ((rc = swim_buf_printf(&tmp, "%s" PART_SUFFIX "XXXXXX", dest)) < 0)
		goto out;
	if ((s.fd = mkostemp(tmp.ptr, O_CLOEXEC)) < 0) {
		rc = swim_error_set_errno(SWIM_EIO, errno, "creating %s", tmp.ptr);
		goto out;
	}
	have_tmp = true;
	if ((rc = transfer(&res, &s, url, etag, last_modified)) < 0)
		goto out;
	if (res.not_modified)
		goto done;
	if (fchmod(s.fd, 0644) < 0 || fsync(s.fd) < 0) {
		rc = swim_error_set_errno(SWIM_EIO, errno, "writing %s", dest);
		goto out;
	}
	if (rename(tmp.ptr, dest) < 0) {
		rc = swim_error_set_errno(SWIM_EIO, errno, "renaming to %s", dest);
		goto out;
	}
	have_tmp = false;
	if ((rc = swim_fs_sync_parent(dest)) < 0)
		goto out;
done:
	if (out) {
		*out = res;
		memset(&res, 0, sizeof(res));
	}
	rc = 0;
out:
	if (s.fd >= 0)
		(void)close(s.fd);
	if (have_tmp)
		(void)unlink(tmp.ptr);
	swim_buf_dispose(&tmp);
	swim_fetch_result_dispose(&res);
	return rc;
}
