/* swimd HTTP server internals shared by http.c (lifecycle, daemons,
 * certificate reload), http_conn.c (accepting, connection limits,
 * request deadlines) and http_request.c (one request: checks, body,
 * handler). */
#ifndef SWIMD_HTTP_INTERNAL_H
#define SWIMD_HTTP_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include <microhttpd.h>

#include "daemon/http.h"
#include "daemon/tls.h"

struct http_listener {
	int fd;
	unsigned port;
	bool tls;              /* an HTTPS address */
	char *name;            /* as configured, for messages */
};

/* One libmicrohttpd daemon: plain HTTP, or HTTPS with one certificate.
 * A certificate reload starts a new HTTPS daemon for new connections;
 * the old one retires: its answers say `Connection: close`, and the
 * acceptor stops it once its last connection is gone. */
struct http_daemon {
	swimd_http *srv;
	struct MHD_Daemon *mhd;
	swimd_tls *tls;        /* NULL for HTTP; kept for the daemon's life */
	atomic_bool retiring;
	size_t n_conns;        /* under srv->lock */
	struct http_daemon *next;  /* in srv->retired */
};

/* One accepted connection, from accept until libmicrohttpd reports it
 * closed (which it does before closing the socket, so a slot's fd is the
 * connection's own for the slot's whole life). Slots are fixed
 * (http_max_connections of them), so a pointer stays valid as
 * libmicrohttpd's socket context. */
struct http_conn {
	int fd;                /* -1: the slot is free */
	unsigned char addr[16];
	struct http_daemon *d;
	struct MHD_Connection *mhd;  /* libmicrohttpd's, once it has taken it:
	                        * names the connection the slot serves */
	bool started;          /* libmicrohttpd has taken it */
	bool cut;              /* shut down for the request timeout */
	uint64_t since_ms;     /* accepted, or last answer sent */
	bool busy;             /* a request is being handled */
	/* Touched only by the connection's worker thread: */
	int cert;              /* client certificate: 0 unchecked, 1 ok,
	                        * -1 refused */
};

struct swimd_http {
	swim_limits lim;
	swimd_auth *auth;
	swimd_log *log;
	swimd_handler_fn handler;
	void *handler_ctx;
	/* The TLS files, kept for reloads. */
	char *tls_cert, *tls_key, *tls_client_ca, *tls_priorities;

	struct http_daemon *plain;   /* NULL without HTTP addresses */
	struct http_listener *listeners;
	size_t n_listeners;
	pthread_t acceptor;
	bool acceptor_started;
	int wake[2];           /* 'x' stops the acceptor, 'r' wakes it */
	uint64_t refused_log_ms;  /* acceptor only: last refusal logged */
	uint64_t refused_quiet;   /* refusals not logged since */

	pthread_mutex_t lock;  /* guards what follows */
	pthread_cond_t drained;
	struct http_daemon *tls;     /* the HTTPS daemon new connections get */
	struct http_daemon *retired; /* older HTTPS daemons still draining */
	struct http_conn *conns;
	size_t n_conns;
	size_t in_flight;      /* requests between headers and completion */
	atomic_bool stopping;  /* read lock-free on every request */
	bool stopped;
};

/* libmicrohttpd callbacks of one request (http_request.c); cls is the
 * struct http_daemon. */
enum MHD_Result swimd_http__on_request(void *cls,
                                       struct MHD_Connection *conn,
                                       const char *url, const char *method,
                                       const char *version,
                                       const char *upload_data,
                                       size_t *upload_data_size,
                                       void **req_cls);
void swimd_http__on_completed(void *cls, struct MHD_Connection *conn,
                              void **req_cls,
                              enum MHD_RequestTerminationCode toe);

/* Connections (http_conn.c). */
void swimd_http__on_connection(void *cls, struct MHD_Connection *conn,
                               void **socket_ctx,
                               enum MHD_ConnectionNotificationCode code);
void *swimd_http__acceptor_main(void *arg);

/* The connection's slot (from its socket context), or NULL. */
struct http_conn *swimd_http__conn_of(struct MHD_Connection *conn);

/* The header prefix ("73-") an M-POST's Man header gives the CIM
 * mapping (http_man.c): 0; SWIM_EINVAL when the header is malformed or
 * lacks the mapping or its ns=; SWIM_ENOTSUPPORTED when it declares
 * another mandatory extension. */
int swimd_http__man_prefix(char *out, size_t size, const char *man);

/* Peer address of a connection as text ("127.0.0.1", "::1"). */
void swimd_http__peer_name(char *out, size_t size,
                           const struct sockaddr *sa);

/* Stops retired daemons without connections; with `all`, every one
 * (the server is stopping). Acceptor thread or stop only. */
void swimd_http__reap(swimd_http *srv, bool all);

#endif
