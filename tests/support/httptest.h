/* The swimd HTTP server under test: a server on 127.0.0.1 with ephemeral
 * ports and a test handler, libcurl and raw-socket clients, and a small
 * test PKI for HTTPS. Shared by tests/unit/test_http*.c and
 * test_service.c. */
#ifndef SWIM_HTTPTEST_H
#define SWIM_HTTPTEST_H

#include <stdatomic.h>
#include <stdbool.h>

#include <curl/curl.h>

#include "daemon/http.h"
#include "testutil.h"

#define HT_BASIC_ALICE "Authorization: Basic YWxpY2U6c2VjcmV0"  /* alice:secret */

/* The request headers of a CIM Echo call without Content-Length. */
extern const char ht_raw_cim_headers[];

/* The test handler answers by CIMMethod:
 *   Echo             the body as received
 *   Sleep            "slept" after 1.5 s
 *   Fail             a handler error (500)
 *   Reject           400 request-not-well-formed
 *   Stream           <head/> and 20,001 <part n="N"/> lines, streamed
 *   StreamFail       the same, failing at part 3
 *   StreamSlow       <head/> and 100 parts, 20 ms apart (about 2 s)
 *   Custom           202 with X-Test: yes
 *   EnumerateInstanceNames  a valid CIM-XML answer with one name
 *   anything else    "user=... role=... client=... method=... object=...
 *                    version=... len=..."
 */
struct ht_handler_state {
	atomic_int calls;
	atomic_int sleeping;   /* a Sleep request is inside the handler */
	atomic_int streaming;  /* a StreamSlow answer has started */
	atomic_int released;   /* streams whose state was released */
};

/* The handler; ctx is a struct ht_handler_state. */
int ht_handler(void *ctx, const swimd_request *req, swimd_response *resp);

struct ht_server {
	swimd_auth *auth;
	swimd_log *log;
	char *log_path;
	swimd_http *srv;
	struct ht_handler_state hs;
	char url[64];          /* http://127.0.0.1:PORT/cimom */
	char tls_url[64];      /* https://127.0.0.1:PORT/cimom, with TLS */
	unsigned port, tls_port;
};

struct ht_reply {
	long status;
	swim_buf headers;
	swim_buf body;
	long connects;
};

/* Once per test program: password hashes and curl. */
void ht_init(void);
void ht_cleanup(void);

/* A test program's main: ht_init, the tests (only those matching $ONLY
 * when set), ht_cleanup. */
int ht_main(const char *name, const struct CMUnitTest *tests, size_t n,
            CMFixtureFunction setup, CMFixtureFunction teardown);

/* The defaults with 2 threads and a 10 s grace period. */
swim_limits ht_limits(void);

/* Starts a server with the users alice:secret (admin) and reader:readpw
 * (readonly), logging at debug to a file; `cfg` gives the addresses and
 * TLS files, the rest is filled in. Returns swimd_http_start's code. */
int ht_start_cfg(struct ht_server *s, const swim_limits *lim,
                 swimd_http_config *cfg);
/* The same on 127.0.0.1:0 (and, with `tls`, HTTPS on another 127.0.0.1:0
 * port), failing the test if it does not start. */
void ht_start(struct ht_server *s, const swim_limits *lim);
void ht_start_tls(struct ht_server *s, const swim_limits *lim,
                  const char *cert, const char *key, const char *client_ca);
void ht_stop(struct ht_server *s);

/* The server's log so far. Free it. */
char *ht_log(struct ht_server *s);

/* Trust `cafile` (NULL: verify nothing) and present cert/key (NULL:
 * none) on HTTPS requests made with c. */
void ht_curl_tls(CURL *c, const char *cafile, const char *cert,
                 const char *key);

/* One request on handle c (reused for keep-alive), with the CIM headers
 * each replaced (or, as "Name:", removed) by a header of the same name in
 * `extra` (NULL-terminated). A transfer failure fails the test unless
 * `curl_rc` is given, which then receives it. */
void ht_request(CURL *c, struct ht_reply *r, const char *http_method,
                const char *url, const char *userpwd, const char *cim_method,
                const char *const *extra, const void *body, size_t len);
CURLcode ht_request_rc(CURL *c, struct ht_reply *r, const char *http_method,
                       const char *url, const char *userpwd,
                       const char *cim_method, const char *const *extra,
                       const void *body, size_t len);
void ht_post(struct ht_server *s, struct ht_reply *r, const char *userpwd,
             const char *cim_method, const char *const *extra,
             const void *body, size_t len);
void ht_reply_free(struct ht_reply *r);

/* The value of response header `name`, or NULL (static storage). */
const char *ht_reply_header(const struct ht_reply *r, const char *name);

/* Asserts the status, the CIMError (NULL: none) and a part of the body
 * (NULL: anything). */
void ht_expect(const struct ht_reply *r, long status, const char *cim_error,
               const char *body_part);
void ht_exchange(struct ht_server *s, const char *userpwd,
                 const char *cim_method, const char *const *extra,
                 const void *body, size_t len, long status,
                 const char *cim_error, const char *body_part);

/* Raw sockets for misbehaving clients. */
int ht_connect(unsigned port, const char *source);
void ht_send(int fd, const char *text);
/* Reads until the server closes the connection or `ms` pass; *took gets
 * the milliseconds it took. Free the result. */
char *ht_read_until_closed(int fd, long ms, long *took);
/* Sends a byte every 100 ms until the server closes the connection;
 * returns after how many milliseconds it did (or `ms`). */
long ht_trickle_until_closed(int fd, long ms);
void ht_sleep_ms(long ms);

/* A test PKI written as PEM files under dir (keys with mode 0600), with
 * EC P-256 keys. The CA "NAME" is dir/NAME.crt and dir/NAME.key.
 * Validity is given in days from now; negative means in the past. */
void ht_pki_ca(const char *dir, const char *name, const char *cn);
void ht_pki_issue(const char *dir, const char *name, const char *ca,
                  const char *cn, bool client, long from_days,
                  long to_days);
/* dir/name.ext as a new string. */
char *ht_pki_path(const char *dir, const char *name, const char *ext);
/* Copies dir/name.crt and .key over dir/as.crt and .key (atomically, as
 * an operator's renewal before SIGHUP would). */
void ht_pki_install(const char *dir, const char *name, const char *as);

#endif
