/* swim — downloads over http, https and file URLs (libcurl).
 *
 * Every byte swim takes from a depot comes through here: connect and
 * low-speed timeouts, retries with backoff for transient failures, proxies,
 * TLS verification, credentials from the URL or a netrc file, a size cap,
 * conditional requests, and downloads that are never left where they could
 * be taken for complete ones. Messages name the URL (without credentials)
 * and what failed.
 */
#ifndef SWIM_FETCH_H
#define SWIM_FETCH_H

#include <stdbool.h>
#include <stdint.h>

#include "swim/buf.h"
#include "swim/limits.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called as bytes arrive (total 0 when unknown); a non-zero return
 * cancels the transfer with SWIM_ECANCELLED. */
typedef int (*swim_fetch_progress_fn)(void *ctx, uint64_t now,
                                      uint64_t total);

typedef struct swim_fetch_opts {
	const swim_limits *lim;   /* NULL: defaults (timeouts, retries, size) */
	uint64_t max_bytes;       /* 0: lim->download_max_bytes */
	const char *ca_file;      /* CA bundle for https; NULL: the system's */
	const char *netrc_file;   /* credentials by host; NULL: none */
	const char *http_proxy;   /* NULL: libcurl's environment handling */
	const char *https_proxy;
	const char *no_proxy;
	unsigned retry_delay_ms;  /* first retry delay, doubled each time;
	                             0: 500 ms */
	swim_fetch_progress_fn progress;
	void *progress_ctx;
} swim_fetch_opts;

typedef struct swim_fetch_result {
	long status;              /* HTTP status; 0 for file: URLs */
	bool not_modified;        /* 304: the validators still hold, nothing
	                             was written */
	char *etag;               /* validators of what was fetched, or NULL */
	char *last_modified;
	uint64_t bytes;           /* body bytes received */
	unsigned attempts;        /* 1 + retries used */
} swim_fetch_result;

/* Downloads `url` to `dest`: into a temporary `dest.part-XXXXXX` in the
 * same directory, synced and renamed over dest only when complete; on any
 * failure the temporary is removed and dest is untouched. With `etag` or
 * `last_modified` the request is conditional and a 304 sets
 * out->not_modified without touching dest. out may be NULL; otherwise free
 * it with swim_fetch_result_dispose(). */
int swim_fetch_file(swim_fetch_result *out, const char *url,
                    const char *dest, const char *etag,
                    const char *last_modified, const swim_fetch_opts *opts);

/* Downloads `url` into buf (appended; the smaller of buf->max and the
 * download limit applies). Same conditional semantics. */
int swim_fetch_buf(swim_fetch_result *out, swim_buf *buf, const char *url,
                   const char *etag, const char *last_modified,
                   const swim_fetch_opts *opts);

void swim_fetch_result_dispose(swim_fetch_result *r);

/* Appends `url` with any user name and password removed, for messages and
 * logs. Unparsable text is replaced by "<invalid URL>". */
int swim_url_redact(swim_buf *out, const char *url);

/* True when `name` ends with a temporary-download suffix
 * (".part-XXXXXX"), so a cleanup at start can remove leftovers of an
 * interrupted run. */
bool swim_fetch_is_partial(const char *name);

#ifdef __cplusplus
}
#endif
#endif
