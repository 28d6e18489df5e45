/* The server's sockets, connections and lifecycle. Connections are
 * accepted here, not by libmicrohttpd, so that one place sees every
 * listening address and applies the connection limits exactly (total and
 * per client address) before a connection costs anything; accepted sockets
 * are handed to the libmicrohttpd worker pool with MHD_add_connection().
 * The TLS listener of issue 8 will hand its sockets to a second daemon
 * under the same limits. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

#define LISTEN_BACKLOG 128

static unsigned clamp_uint(uint64_t v)
{
	return v > UINT_MAX ? UINT_MAX : (unsigned)v;
}

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

void swimd_http__peer_name(char *out, size_t size, const struct sockaddr *sa)
{
	unsigned char key[16];
	static const unsigned char v4mapped[12] = { [10] = 0xff, [11] = 0xff };

	peer_key(key, sa);
	if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6) {
		(void)snprintf(out, size, "unknown");
		return;
	}
	if (memcmp(key, v4mapped, 12) == 0) {
		if (!inet_ntop(AF_INET, key + 12, out, (socklen_t)size))
			(void)snprintf(out, size, "unknown");
		return;
	}
	if (!inet_ntop(AF_INET6, key, out, (socklen_t)size))
		(void)snprintf(out, size, "unknown");
}

/* Under srv->lock. */
static struct http_peer *peer_find(swimd_http *srv, const unsigned char *key)
{
	for (size_t i = 0; i < srv->n_peers; i++)
		if (memcmp(srv->peers[i].addr, key, 16) == 0)
			return &srv->peers[i];
	return NULL;
}

/* Counts a new connection from `sa`, unless a limit says no: 0, or
 * SWIM_ELIMIT with the reason in the error slot. */
static int conn_reserve(swimd_http *srv, const struct sockaddr *sa)
{
	unsigned char key[16];
	struct http_peer *p;
	int rc = 0;

	peer_key(key, sa);
	(void)pthread_mutex_lock(&srv->lock);
	p = peer_find(srv, key);
	if (srv->n_conns >= srv->lim.http_max_connections) {
		rc = swim_error_set(SWIM_ELIMIT,
		                    "already %zu connections (http_max_connections)",
		                    srv->n_conns);
	} else if (p && p->conns >= srv->lim.http_max_connections_per_ip) {
		rc = swim_error_set(SWIM_ELIMIT,
		                    "already %zu connections from this address "
		                    "(http_max_connections_per_ip)", p->conns);
	} else {
		/* peers has room for one per connection: n_peers <= n_conns
		 * < http_max_connections = its size. */
		if (!p) {
			p = &srv->peers[srv->n_peers++];
			memcpy(p->addr, key, 16);
			p->conns = 0;
		}
		p->conns++;
		srv->n_conns++;
	}
	(void)pthread_mutex_unlock(&srv->lock);
	return rc;
}

static void conn_release(swimd_http *srv, const struct sockaddr *sa)
{
	unsigned char key[16];
	struct http_peer *p;

	peer_key(key, sa);
	(void)pthread_mutex_lock(&srv->lock);
	if ((p = peer_find(srv, key))) {
		if (--p->conns == 0)
			*p = srv->peers[--srv->n_peers];
		srv->n_conns--;
	}
	(void)pthread_mutex_unlock(&srv->lock);
}

static void on_connection(void *cls, struct MHD_Connection *conn,
                          void **socket_ctx,
                          enum MHD_ConnectionNotificationCode code)
{
	swimd_http *srv = cls;
	const union MHD_ConnectionInfo *ci;

	(void)socket_ctx;
	if (code != MHD_CONNECTION_NOTIFY_CLOSED)
		return;
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr)
		conn_release(srv, ci->client_addr);
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

static void accept_one(swimd_http *srv, int lfd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char peer[64];
	int fd;

	fd = accept4(lfd, (struct sockaddr *)&ss, &len,
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
	if (atomic_load(&srv->stopping) ||
	    conn_reserve(srv, (struct sockaddr *)&ss) < 0) {
		log_refusal(srv, peer, atomic_load(&srv->stopping)
		                       ? "stopping" : swim_error_last());
		(void)close(fd);
		return;
	}
	/* MHD closes the socket itself when it cannot take it. */
	if (MHD_add_connection(srv->mhd, fd, (struct sockaddr *)&ss, len) !=
	    MHD_YES) {
		swimd_log_write(srv->log, SWIMD_LOG_WARNING,
		                "dropped a connection from %s: %s", peer,
		                strerror(errno));
		conn_release(srv, (struct sockaddr *)&ss);
	}
}

static void *acceptor_main(void *arg)
{
	swimd_http *srv = arg;
	struct pollfd *pfd;
	size_t n = srv->n_listeners;

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
		if (poll(pfd, n + 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			swimd_log_write(srv->log, SWIMD_LOG_ERROR,
			                "waiting for connections: %s",
			                strerror(errno));
			break;
		}
		if (pfd[n].revents)
			break;
		for (size_t i = 0; i < n; i++)
			if (pfd[i].revents & POLLIN)
				accept_one(srv, pfd[i].fd);
	}
	free(pfd);
	return NULL;
}

static bool is_loopback(const struct sockaddr *sa)
{
	unsigned char key[16];
	static const unsigned char v6lo[16] = { [15] = 1 };
	static const unsigned char v4mapped[12] = { [10] = 0xff, [11] = 0xff };

	peer_key(key, sa);
	if (memcmp(key, v4mapped, 12) == 0)
		return key[12] == 127;
	return memcmp(key, v6lo, 16) == 0;
}

/* "ADDR:PORT" with a numeric IPv4 address or a bracketed IPv6 one. */
static int parse_listen(struct sockaddr_storage *ss, socklen_t *len,
                        const char *spec)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *port_s, *close_br;
	bool v6 = spec[0] == '[';
	uint64_t port;
	size_t hlen;

	memset(ss, 0, sizeof(*ss));
	if (v6) {
		close_br = strchr(spec, ']');
		if (!close_br || close_br[1] != ':')
			goto bad;
		hlen = (size_t)(close_br - spec - 1);
		port_s = close_br + 2;
		spec++;
	} else {
		port_s = strrchr(spec, ':');
		if (!port_s)
			goto bad;
		hlen = (size_t)(port_s - spec);
		port_s++;
	}
	if (hlen == 0 || hlen >= sizeof(host))
		goto bad;
	memcpy(host, spec, hlen);
	host[hlen] = '\0';
	if (swim_str_to_u64(&port, port_s, 65535, "port") < 0)
		goto bad;
	if (v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
			goto bad;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
			goto bad;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		*len = sizeof(*s4);
	}
	return 0;
bad:
	return swim_error_set(SWIM_EINVAL,
	                      "expected ADDR:PORT with a numeric address, "
	                      "as 127.0.0.1:5988 or [::1]:5988");
}

static int open_listener(struct http_listener *l,
                         const struct sockaddr_storage *ss, socklen_t len)
{
	struct sockaddr_storage bound;
	socklen_t blen = sizeof(bound);
	int one = 1, fd;

	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	            0);
	if (fd < 0)
		return swim_error_set_errno(SWIM_EIO, errno, "socket");
	l->fd = fd;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* [::]:5988 means IPv6 only; IPv4 is listed separately. */
	if (ss->ss_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
		                 sizeof(one));
	if (bind(fd, (const struct sockaddr *)ss, len) < 0)
		return swim_error_set_errno(SWIM_EIO, errno, "bind");
	if (listen(fd, LISTEN_BACKLOG) < 0)
		return swim_error_set_errno(SWIM_EIO, errno, "listen");
	if (getsockname(fd, (struct sockaddr *)&bound, &blen) < 0)
		return swim_error_set_errno(SWIM_EIO, errno, "getsockname");
	l->port = ntohs(bound.ss_family == AF_INET6
	                ? ((struct sockaddr_in6 *)&bound)->sin6_port
	                : ((struct sockaddr_in *)&bound)->sin_port);
	return 0;
}

static int open_listeners(swimd_http *srv, const swimd_http_config *cfg)
{
	struct sockaddr_storage *addrs = NULL;
	socklen_t *lens = NULL;
	int rc = 0;

	if (cfg->n_listen == 0)
		return swim_error_set(SWIM_EINVAL, "no listen address");
	addrs = calloc(cfg->n_listen, sizeof(*addrs));
	lens = calloc(cfg->n_listen, sizeof(*lens));
	srv->listeners = calloc(cfg->n_listen, sizeof(*srv->listeners));
	if (!addrs || !lens || !srv->listeners) {
		rc = swim_error_oom();
		goto out;
	}
	for (size_t i = 0; i < cfg->n_listen; i++)
		srv->listeners[i].fd = -1;
	srv->n_listeners = cfg->n_listen;
	/* Every address is checked before any is bound. */
	for (size_t i = 0; i < cfg->n_listen; i++) {
		const char *spec = cfg->listen[i];

		if (!(srv->listeners[i].name = swim_strdup(spec))) {
			rc = SWIM_ENOMEM;
			goto out;
		}
		if ((rc = parse_listen(&addrs[i], &lens[i], spec)) < 0) {
			(void)swim_error_prefix("listen address '%s': ", spec);
			goto out;
		}
		if (!cfg->allow_remote &&
		    !is_loopback((struct sockaddr *)&addrs[i])) {
			rc = swim_error_set(SWIM_EACCESS,
			                    "listen address '%s' is not loopback "
			                    "(127.0.0.0/8 or ::1); set allow_remote = "
			                    "yes in swim.conf to serve other hosts",
			                    spec);
			goto out;
		}
	}
	for (size_t i = 0; i < cfg->n_listen; i++) {
		if ((rc = open_listener(&srv->listeners[i], &addrs[i],
		                        lens[i])) < 0) {
			(void)swim_error_prefix("listening on %s: ",
			                        cfg->listen[i]);
			goto out;
		}
	}
out:
	free(addrs);
	free(lens);
	return rc;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
	SWIM_PRINTF(2, 0);
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	swimd_http *srv = cls;
	char msg[512];
	size_t n;

	/* libmicrohttpd reports client misbehaviour (resets, bad framing)
	 * here too: debug, not warning, so that clients cannot fill logs. */
	if (!swimd_log_enabled(srv->log, SWIMD_LOG_DEBUG))
		return;
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	swimd_log_write(srv->log, SWIMD_LOG_DEBUG, "libmicrohttpd: %s", msg);
}

static int start_mhd(swimd_http *srv)
{
	unsigned threads = clamp_uint(srv->lim.http_threads);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	                 MHD_USE_ITC | MHD_USE_NO_LISTEN_SOCKET |
	                 MHD_USE_ERROR_LOG;
	/* Our limit is applied first; MHD's is a backstop with room for
	 * uneven spreading over the pool's workers. */
	unsigned conn_limit = clamp_uint(srv->lim.http_max_connections +
	                                 srv->lim.http_threads);
	/* libmicrohttpd keeps the headers and its I/O buffers in one pool
	 * per connection; headers past it get libmicrohttpd's own 431. Ours
	 * (exact, with a message) comes first in the room left. */
	size_t mem = (size_t)srv->lim.http_max_header_bytes * 2 + 16384;
	struct MHD_OptionItem opts[] = {
		{ MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)on_mhd_log, srv },
		{ MHD_OPTION_CONNECTION_LIMIT, conn_limit, NULL },
		{ MHD_OPTION_CONNECTION_TIMEOUT,
		  clamp_uint(srv->lim.http_idle_timeout_seconds), NULL },
		{ MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)mem, NULL },
		{ MHD_OPTION_NOTIFY_COMPLETED,
		  (intptr_t)swimd_http__on_completed, srv },
		{ MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, srv },
		{ threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END,
		  threads, NULL },
		{ MHD_OPTION_END, 0, NULL },
	};

	srv->mhd = MHD_start_daemon(flags, 0, NULL, NULL,
	                            swimd_http__on_request, srv,
	                            MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
	if (!srv->mhd)
		return swim_error_set(SWIM_ERROR,
		                      "libmicrohttpd did not start (%u threads)",
		                      threads);
	return 0;
}

int swimd_http_start(swimd_http **out, const swimd_http_config *cfg)
{
	swimd_http *srv = NULL;
	int rc;

	*out = NULL;
	if (!cfg->handler || !cfg->auth)
		return swim_error_set(SWIM_EINVAL,
		                      "the HTTP server needs a handler and users");
	if (!(srv = calloc(1, sizeof(*srv))))
		return swim_error_oom();
	srv->wake[0] = srv->wake[1] = -1;
	if (pthread_mutex_init(&srv->lock, NULL) != 0 ||
	    pthread_cond_init(&srv->drained, NULL) != 0) {
		free(srv);
		return swim_error_oom();
	}
	srv->lim = cfg->limits ? *cfg->limits : *swim_limits_default();
	srv->auth = cfg->auth;
	srv->log = cfg->log;
	srv->handler = cfg->handler;
	srv->handler_ctx = cfg->handler_ctx;
	atomic_init(&srv->stopping, false);
	if (!(srv->peers = calloc(srv->lim.http_max_connections,
	                          sizeof(*srv->peers)))) {
		rc = swim_error_oom();
		goto out;
	}
	if ((rc = open_listeners(srv, cfg)) < 0)
		goto out;
	if (pipe2(srv->wake, O_CLOEXEC) < 0) {
		rc = swim_error_set_errno(SWIM_EIO, errno, "pipe");
		goto out;
	}
	if ((rc = start_mhd(srv)) < 0)
		goto out;
	if (pthread_create(&srv->acceptor, NULL, acceptor_main, srv) != 0) {
		rc = swim_error_set(SWIM_ERROR, "cannot start a thread");
		goto out;
	}
	srv->acceptor_started = true;
	for (size_t i = 0; i < srv->n_listeners; i++)
		swimd_log_write(srv->log, SWIMD_LOG_INFO,
		                "listening on %s (port %u)",
		                srv->listeners[i].name, srv->listeners[i].port);
	*out = srv;
	srv = NULL;
out:
	swimd_http_free(srv);
	return rc;
}

unsigned swimd_http_port(const swimd_http *srv, size_t i)
{
	return i < srv->n_listeners ? srv->listeners[i].port : 0;
}

static void stop_accepting(swimd_http *srv)
{
	atomic_store(&srv->stopping, true);
	if (srv->acceptor_started) {
		ssize_t n;

		do
			n = write(srv->wake[1], "x", 1);
		while (n < 0 && errno == EINTR);
		(void)pthread_join(srv->acceptor, NULL);
		srv->acceptor_started = false;
	}
	for (size_t i = 0; i < srv->n_listeners; i++) {
		if (srv->listeners[i].fd >= 0)
			(void)close(srv->listeners[i].fd);
		srv->listeners[i].fd = -1;
	}
}

/* Waits until no request is in progress or the grace period is over. */
static int drain(swimd_http *srv)
{
	struct timespec deadline;
	int rc = 0;

	(void)clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += (time_t)srv->lim.http_shutdown_grace_seconds;
	(void)pthread_mutex_lock(&srv->lock);
	while (srv->in_flight > 0 && rc == 0)
		if (pthread_cond_timedwait(&srv->drained, &srv->lock,
		                           &deadline) == ETIMEDOUT)
			rc = swim_error_set(SWIM_ETIMEOUT,
			                    "%zu requests still running after %llu "
			                    "seconds (http_shutdown_grace_seconds)",
			                    srv->in_flight,
			                    (unsigned long long)srv->lim.http_shutdown_grace_seconds);
	(void)pthread_mutex_unlock(&srv->lock);
	return rc;
}

int swimd_http_stop(swimd_http *srv)
{
	int rc = 0;

	if (!srv || srv->stopped)
		return 0;
	stop_accepting(srv);
	if (srv->mhd) {
		rc = drain(srv);
		if (rc < 0)
			swimd_log_write(srv->log, SWIMD_LOG_WARNING,
			                "stopping: %s", swim_error_last());
		MHD_stop_daemon(srv->mhd);
		srv->mhd = NULL;
	}
	srv->stopped = true;
	return rc;
}

void swimd_http_free(swimd_http *srv)
{
	if (!srv)
		return;
	(void)swimd_http_stop(srv);
	for (size_t i = 0; i < srv->n_listeners; i++)
		free(srv->listeners[i].name);
	free(srv->listeners);
	free(srv->peers);
	if (srv->wake[0] >= 0)
		(void)close(srv->wake[0]);
	if (srv->wake[1] >= 0)
		(void)close(srv->wake[1]);
	(void)pthread_cond_destroy(&srv->drained);
	(void)pthread_mutex_destroy(&srv->lock);
	free(srv);
}
