/* swimd HTTP server internals shared by http.c (sockets, connections,
 * lifecycle) and http_request.c (one request: checks, body, handler). */
#ifndef SWIMD_HTTP_INTERNAL_H
#define SWIMD_HTTP_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include <microhttpd.h>

#include "daemon/http.h"

struct http_listener {
	int fd;
	unsigned port;
	char *name;            /* as configured, for messages */
};

/* Open connections from one client address (IPv4 as mapped IPv6). */
struct http_peer {
	unsigned char addr[16];
	size_t conns;
};

struct swimd_http {
	swim_limits lim;
	swimd_auth *auth;
	swimd_log *log;
	swimd_handler_fn handler;
	void *handler_ctx;

	struct MHD_Daemon *mhd;
	struct http_listener *listeners;
	size_t n_listeners;
	pthread_t acceptor;
	bool acceptor_started;
	int wake[2];           /* a byte here stops the acceptor */
	uint64_t refused_log_ms;  /* acceptor only: last refusal logged */
	uint64_t refused_quiet;   /* refusals not logged since */

	pthread_mutex_t lock;  /* guards what follows */
	pthread_cond_t drained;
	struct http_peer *peers;
	size_t n_peers;
	size_t n_conns;
	size_t in_flight;      /* requests between headers and completion */
	atomic_bool stopping;  /* read lock-free on every request */
	bool stopped;
};

/* libmicrohttpd callbacks of one request (http_request.c). */
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

/* Peer address of a connection as text ("127.0.0.1", "::1"). */
void swimd_http__peer_name(char *out, size_t size,
                           const struct sockaddr *sa);

#endif
