/* Connections: accepted here, not by libmicrohttpd, so that one thread
 * sees every listening address (HTTP and HTTPS) and applies the
 * connection limits exactly, total and per client address, before a
 * connection costs anything. Accepted sockets are handed to the
 * libmicrohttpd daemon of their kind with MHD_add_connection().
 *
 * The same thread enforces http_request_timeout_seconds from outside
 * libmicrohttpd, whose own timeout is one of inactivity and so never
 * ends a client that trickles a byte now and then: a connection that has
 * not delivered the headers of its next request within the limit of its
 * accept (or of its previous answer) is shut down. It also stops HTTPS
 * daemons retired by a certificate reload once they are empty. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "daemon/http_internal.h"
#include "swim/error.h"
#include "util/str.h"

/* How often deadlines are checked while connections are open. */
#define TICK_MS 500

/* The 16-byte key of an address: IPv6 as is, IPv4 as ::ffff:a.b.c.d, so
 * that a client counts once whichever family it used. */
static void peer_key(unsigned char key[16], const struct sockaddr *sa)
{
	memset(key, 0, 16);
	if (sa->sa_family == AF_INET6) {
		memcpy(key, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
	} else if (sa->sa_family == AF_INET) {
		key[10] = 0xff;
		key[11] = 0xff;
		memcpy(key + 12, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	}
}

static void key_name(char *out, size_t size, const unsigned char *key)
{
	static const unsigned char v4mapped[12] = { [10] = 0xff, [11] = 0xff };
	const char *ok;

	if (memcmp(key, v4mapped, 12) == 0)
		ok = inet_ntop(AF_INET, key + 12, out, (socklen_t)size);
	else
		ok = inet_ntop(AF_INET6, key, out, (socklen_t)size);
	if (!ok)
		(void)snprintf(out, size, "unknown");
}

void swimd_http__peer_name(char *out, size_t size, const struct sockaddr *sa)
{
	unsigned char key[16];

	if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6) {
		(void)snprintf(out, size, "unknown");
		return;
	}
	peer_key(key, sa);
	key_name(out, size, key);
}

/* Under srv->lock. */
static void slot_free(swimd_http *srv, struct http_conn *c)
{
	if (c->fd < 0)
		return;
	c->fd = -1;
	c->mhd = NULL;
	c->d->n_conns--;
	srv->n_conns--;
}

/* Takes a slot for a new connection on fd from `sa`, unless a limit says
 * no: 0, or SWIM_ELIMIT with the reason in the error slot. */
static int conn_reserve(struct http_conn **out, swimd_http *srv, int fd,
                        const struct sockaddr *sa, bool tls)
{
	struct http_conn *free_slot = NULL;
	unsigned char key[16];
	size_t same = 0;
	int rc = 0;

	*out = NULL;
	peer_key(key, sa);
	(void)pthread_mutex_lock(&srv->lock);
	for (size_t i = 0; i < srv->lim.http_max_connections; i++) {
		struct http_conn *c = &srv->conns[i];

		/* accept() returned fd, so whatever held it is closed: a
		 * slot still naming it was dropped without a notice. */
		if (c->fd == fd)
			slot_free(srv, c);
		if (c->fd < 0) {
			if (!free_slot)
				free_slot = c;
		} else if (memcmp(c->addr, key, 16) == 0) {
			same++;
		}
	}
	if (srv->n_conns >= srv->lim.http_max_connections || !free_slot) {
		rc = swim_error_set(SWIM_ELIMIT,
		                    "already %zu connections (http_max_connections)",
		                    srv->n_conns);
	} else if (same >= srv->lim.http_max_connections_per_ip) {
		rc = swim_error_set(SWIM_ELIMIT,
		                    "already %zu connections from this address "
		                    "(http_max_connections_per_ip)", same);
	} else {
		*free_slot = (struct http_conn){
			.fd = fd, .d = tls ? srv->tls : srv->plain,
			.since_ms = swimd_auth_now_ms(),
		};
		memcpy(free_slot->addr, key, 16);
		free_slot->d->n_conns++;
		srv->n_conns++;
		*out = free_slot;
	}
	(void)pthread_mutex_unlock(&srv->lock);
	return rc;
}

void swimd_http__on_connection(void *cls, struct MHD_Connection *conn,
                               void **socket_ctx,
                               enum MHD_ConnectionNotificationCode code)
{
	struct http_daemon *d = cls;
	swimd_http *srv = d->srv;
	const union MHD_ConnectionInfo *ci;
	struct http_conn *c = *socket_ctx;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		ci = MHD_get_connection_info(conn,
		                             MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!ci)
			return;
		(void)pthread_mutex_lock(&srv->lock);
		for (size_t i = 0; i < srv->lim.http_max_connections; i++) {
			c = &srv->conns[i];
			if (c->fd == ci->connect_fd && c->d == d) {
				c->started = true;
				c->mhd = conn;
				*socket_ctx = c;
				break;
			}
		}
		(void)pthread_mutex_unlock(&srv->lock);
		return;
	}
	if (code == MHD_CONNECTION_NOTIFY_CLOSED && c) {
		(void)pthread_mutex_lock(&srv->lock);
		/* Unless the slot was taken back already (see
		 * conn_reserve) and maybe given to another connection. */
		if (c->mhd == conn)
			slot_free(srv, c);
		(void)pthread_mutex_unlock(&srv->lock);
		*socket_ctx = NULL;
	}
}

struct http_conn *swimd_http__conn_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

/* One line per REFUSAL_LOG_MS at most: a client opening connections in a
 * loop must not fill the log. */
#define REFUSAL_LOG_MS 10000u

static void log_refusal(swimd_http *srv, const char *peer, const char *why)
{
	uint64_t now = swimd_auth_now_ms();

	if (srv->refused_log_ms && now - srv->refused_log_ms < REFUSAL_LOG_MS) {
		srv->refused_quiet++;
		return;
	}
	swimd_log_write(srv->log, SWIMD_LOG_WARNING,
	                "refused a connection from %s: %s (%llu more refused "
	                "since the last report)", peer, why,
	                (unsigned long long)srv->refused_quiet);
	srv->refused_log_ms = now;
	srv->refused_quiet = 0;
}

/* Says why on a plain HTTP connection before closing it (best effort:
 * never blocks; on HTTPS a TLS handshake would be needed first). */
static void refuse_connection(int fd, bool tls, const char *why)
{
	char msg[512], body[256], junk[4096];
	int blen, n;

	if (!tls) {
		blen = snprintf(body, sizeof(body),
		                "swimd refused the connection: %s\n", why);
		if (blen < 0 || (size_t)blen >= sizeof(body))
			blen = 0;
		n = snprintf(msg, sizeof(msg),
		             "HTTP/1.1 503 Service Unavailable\r\n"
		             "Content-Type: text/plain; charset=utf-8\r\n"
		             "Content-Length: %d\r\nRetry-After: 10\r\n"
		             "Connection: close\r\n\r\n%.*s", blen, blen, body);
		if (n > 0 && (size_t)n < sizeof(msg))
			(void)send(fd, msg, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
		(void)shutdown(fd, SHUT_WR);
		/* Unread input makes close() send a reset that can destroy
		 * the answer on its way: take what has arrived. */
		while (recv(fd, junk, sizeof(junk), MSG_DONTWAIT) > 0)
			;
	}
	(void)close(fd);
}

static void accept_one(swimd_http *srv, const struct http_listener *l)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct http_conn *c;
	struct http_daemon *d;
	char peer[64];
	int fd;

	fd = accept4(l->fd, (struct sockaddr *)&ss, &len,
	             SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM) {
			swimd_log_write(srv->log, SWIMD_LOG_WARNING,
			                "accepting a connection: %s",
			                strerror(errno));
			/* Out of descriptors: give closing ones a moment
			 * instead of spinning on a readable listener. */
			(void)nanosleep(&(struct timespec){ 0, 100000000 }, NULL);
		}
		return;
	}
	swimd_http__peer_name(peer, sizeof(peer), (struct sockaddr *)&ss);
	if (conn_reserve(&c, srv, fd, (struct sockaddr *)&ss, l->tls) < 0) {
		log_refusal(srv, peer, swim_error_last());
		refuse_connection(fd, l->tls, swim_error_last());
		return;
	}
	d = c->d;
	/* MHD closes the socket itself when it cannot take it. */
	if (MHD_add_connection(d->mhd, fd, (struct sockaddr *)&ss, len) !=
	    MHD_YES) {
		swimd_log_write(srv->log, SWIMD_LOG_WARNING,
		                "dropped a connection from %s: %s", peer,
		                strerror(errno));
		(void)pthread_mutex_lock(&srv->lock);
		if (c->fd == fd && !c->started)
			slot_free(srv, c);
		(void)pthread_mutex_unlock(&srv->lock);
	}
}

/* Shuts down connections past their request deadline, and forgets slots
 * libmicrohttpd never took (it can drop a connection without a notice
 * when it runs out of memory). */
static void sweep(swimd_http *srv)
{
	uint64_t now = swimd_auth_now_ms();
	uint64_t limit = srv->lim.http_request_timeout_seconds * 1000u;
	char cut[8][64];
	size_t n_cut = 0, more = 0;

	(void)pthread_mutex_lock(&srv->lock);
	for (size_t i = 0; i < srv->lim.http_max_connections; i++) {
		struct http_conn *c = &srv->conns[i];

		if (c->fd < 0 || c->busy || c->cut || now - c->since_ms < limit)
			continue;
		if (!c->started) {
			slot_free(srv, c);
			continue;
		}
		/* libmicrohttpd sees the end of input and closes it. */
		(void)shutdown(c->fd, SHUT_RDWR);
		c->cut = true;
		if (n_cut < SWIM_ARRAY_SIZE(cut))
			key_name(cut[n_cut++], sizeof(cut[0]), c->addr);
		else
			more++;
	}
	(void)pthread_mutex_unlock(&srv->lock);
	for (size_t i = 0; i < n_cut; i++)
		swimd_log_write(srv->log, SWIMD_LOG_INFO,
		                "closing the connection of %s: no complete "
		                "request within %llu seconds "
		                "(http_request_timeout_seconds)", cut[i],
		                (unsigned long long)srv->lim.http_request_timeout_seconds);
	if (more)
		swimd_log_write(srv->log, SWIMD_LOG_INFO,
		                "closed %zu more connections for the same reason",
		                more);
}

static bool watching(swimd_http *srv)
{
	bool w;

	(void)pthread_mutex_lock(&srv->lock);
	w = srv->n_conns > 0 || srv->retired;
	(void)pthread_mutex_unlock(&srv->lock);
	return w;
}

void *swimd_http__acceptor_main(void *arg)
{
	swimd_http *srv = arg;
	struct pollfd *pfd;
	size_t n = srv->n_listeners;
	uint64_t last_tick = 0;

	if (!(pfd = calloc(n + 1, sizeof(*pfd)))) {
		swimd_log_write(srv->log, SWIMD_LOG_ERROR,
		                "out of memory: not accepting connections");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		pfd[i].fd = srv->listeners[i].fd;
		pfd[i].events = POLLIN;
	}
	pfd[n].fd = srv->wake[0];
	pfd[n].events = POLLIN;
	for (;;) {
		uint64_t now;
		char cmd = 0;

		if (poll(pfd, n + 1, watching(srv) ? TICK_MS : -1) < 0) {
			if (errno == EINTR)
				continue;
			swimd_log_write(srv->log, SWIMD_LOG_ERROR,
			                "waiting for connections: %s",
			                strerror(errno));
			break;
		}
		if (pfd[n].revents) {
			if (read(srv->wake[0], &cmd, 1) <= 0 || cmd == 'x')
				break;
		}
		for (size_t i = 0; i < n; i++)
			if (pfd[i].revents & POLLIN)
				accept_one(srv, &srv->listeners[i]);
		now = swimd_auth_now_ms();
		if (now - last_tick >= TICK_MS || cmd == 'r') {
			sweep(srv);
			swimd_http__reap(srv, false);
			last_tick = now;
		}
	}
	free(pfd);
	return NULL;
}
