/* The server's lifecycle: listening sockets, the libmicrohttpd daemons
 * (one for HTTP, one for HTTPS and the retiring ones of earlier
 * certificates), starting, certificate reload and graceful stop.
 * Connections are accepted in http_conn.c and handled in
 * http_request.c. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
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

/* HTTPS daemons of earlier certificates still serving connections; a
 * reload past this waits until some have closed. */
#define MAX_RETIRED 4

static unsigned clamp_uint(uint64_t v)
{
	return v > UINT_MAX ? UINT_MAX : (unsigned)v;
}

static bool is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)sa;

		return ntohl(s4->sin_addr.s_addr) >> 24 == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;

		return IN6_IS_ADDR_LOOPBACK(a) ||
		       (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return false;
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

/* The configured address of listener i: HTTP ones first, then HTTPS. */
static const char *listen_spec(const swimd_http_config *cfg, size_t i,
                               bool *tls)
{
	*tls = i >= cfg->n_listen;
	return *tls ? cfg->tls_listen[i - cfg->n_listen] : cfg->listen[i];
}

static int open_listeners(swimd_http *srv, const swimd_http_config *cfg)
{
	size_t n = cfg->n_listen + cfg->n_tls_listen;
	struct sockaddr_storage *addrs = NULL;
	socklen_t *lens = NULL;
	int rc = 0;

	if (n == 0)
		return swim_error_set(SWIM_EINVAL, "no listen address");
	addrs = calloc(n, sizeof(*addrs));
	lens = calloc(n, sizeof(*lens));
	srv->listeners = calloc(n, sizeof(*srv->listeners));
	if (!addrs || !lens || !srv->listeners) {
		rc = swim_error_oom();
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		srv->listeners[i].fd = -1;
	srv->n_listeners = n;
	/* Every address is checked before any is bound. */
	for (size_t i = 0; i < n; i++) {
		struct http_listener *l = &srv->listeners[i];
		const char *spec = listen_spec(cfg, i, &l->tls);

		if (!(l->name = swim_strdup(spec))) {
			rc = SWIM_ENOMEM;
			goto out;
		}
		if ((rc = parse_listen(&addrs[i], &lens[i], spec)) < 0) {
			(void)swim_error_prefix("%slisten address '%s': ",
			                        l->tls ? "tls_" : "", spec);
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
	for (size_t i = 0; i < n; i++) {
		if ((rc = open_listener(&srv->listeners[i], &addrs[i],
		                        lens[i])) < 0) {
			(void)swim_error_prefix("listening on %s: ",
			                        srv->listeners[i].name);
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

	/* libmicrohttpd reports client misbehaviour (resets, bad framing,
	 * failed TLS handshakes) here too: debug, not warning, so that
	 * clients cannot fill logs. */
	if (!swimd_log_enabled(srv->log, SWIMD_LOG_DEBUG))
		return;
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	swimd_log_write(srv->log, SWIMD_LOG_DEBUG, "libmicrohttpd: %s", msg);
}

static void daemon_free(struct http_daemon *d)
{
	if (!d)
		return;
	if (d->mhd)
		MHD_stop_daemon(d->mhd);
	swimd_tls_free(d->tls);
	free(d);
}

/* The libmicrohttpd daemon of d: HTTPS when d has TLS credentials. */
static struct MHD_Daemon *mhd_start(struct http_daemon *d)
{
	swimd_http *srv = d->srv;
	const swimd_tls *tls = d->tls;
	unsigned threads = clamp_uint(srv->lim.http_threads);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	                 MHD_USE_ITC | MHD_USE_NO_LISTEN_SOCKET |
	                 MHD_USE_ERROR_LOG | (tls ? MHD_USE_TLS : 0);
	/* Our limit is applied first; MHD's is a backstop with room for
	 * uneven spreading over the pool's workers. */
	unsigned conn_limit = clamp_uint(srv->lim.http_max_connections +
	                                 srv->lim.http_threads);
	/* libmicrohttpd keeps the headers and its I/O buffers in one pool
	 * per connection; headers past it get libmicrohttpd's own 431. Ours
	 * (exact, with a message) comes first in the room left. */
	size_t mem = (size_t)srv->lim.http_max_header_bytes * 2 + 16384;
	const char *ca = tls ? swimd_tls_client_ca_pem(tls) : NULL;
	struct MHD_OptionItem opts[] = {
		{ MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)on_mhd_log, srv },
		{ MHD_OPTION_CONNECTION_LIMIT, conn_limit, NULL },
		{ MHD_OPTION_CONNECTION_TIMEOUT,
		  clamp_uint(srv->lim.http_idle_timeout_seconds), NULL },
		{ MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)mem, NULL },
		{ MHD_OPTION_NOTIFY_COMPLETED,
		  (intptr_t)swimd_http__on_completed, d },
		{ MHD_OPTION_NOTIFY_CONNECTION,
		  (intptr_t)swimd_http__on_connection, d },
		{ threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END,
		  threads, NULL },
		{ tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0,
		  tls ? (void *)(uintptr_t)swimd_tls_cert_pem(tls) : NULL },
		{ tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0,
		  tls ? (void *)(uintptr_t)swimd_tls_key_pem(tls) : NULL },
		{ tls ? MHD_OPTION_HTTPS_PRIORITIES : MHD_OPTION_END, 0,
		  tls ? (void *)(uintptr_t)swimd_tls_priorities(tls) : NULL },
		/* With a CA, libmicrohttpd asks clients for a certificate;
		 * http_request.c checks it. */
		{ ca ? MHD_OPTION_HTTPS_MEM_TRUST : MHD_OPTION_END, 0,
		  (void *)(uintptr_t)ca },
		{ MHD_OPTION_END, 0, NULL },
	};
	size_t n = 0;

	/* An MHD_OPTION_END ends the array: the options in use go first. */
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(opts); i++)
		if (opts[i].option != MHD_OPTION_END)
			opts[n++] = opts[i];
	opts[n] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	return MHD_start_daemon(flags, 0, NULL, NULL, swimd_http__on_request,
	                        d, MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
}

/* Starts a daemon for HTTP, or for HTTPS with the certificate files read
 * now. */
static int daemon_start(struct http_daemon **out, swimd_http *srv, bool tls)
{
	struct http_daemon *d = calloc(1, sizeof(*d));
	swimd_tls_files files = {
		srv->tls_cert, srv->tls_key, srv->tls_client_ca,
		srv->tls_priorities,
	};
	int rc = 0;

	*out = NULL;
	if (!d)
		return swim_error_oom();
	d->srv = srv;
	atomic_init(&d->retiring, false);
	if (tls && (rc = swimd_tls_load(&d->tls, &files)) < 0)
		goto out;
	if (!(d->mhd = mhd_start(d))) {
		rc = swim_error_set(SWIM_ERROR, "libmicrohttpd did not start "
		                    "(%s, %llu threads)", tls ? "HTTPS" : "HTTP",
		                    (unsigned long long)srv->lim.http_threads);
		goto out;
	}
	*out = d;
	d = NULL;
out:
	daemon_free(d);
	return rc;
}

static void log_certificate(swimd_http *srv, const swimd_tls *tls,
                            const char *what)
{
	time_t now = time(NULL), until = swimd_tls_not_after(tls);
	char date[32] = "?";
	struct tm tm;

	if (gmtime_r(&until, &tm))
		(void)strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%SZ", &tm);
	swimd_log_write(srv->log, SWIMD_LOG_INFO,
	                "HTTPS certificate %s: %s, valid until %s", what,
	                swimd_tls_subject(tls), date);
	if (until < now)
		swimd_log_write(srv->log, SWIMD_LOG_WARNING,
		                "the HTTPS certificate expired on %s; clients "
		                "will refuse it", date);
	else if (swimd_tls_not_before(tls) > now)
		swimd_log_write(srv->log, SWIMD_LOG_WARNING,
		                "the HTTPS certificate is not valid yet; clients "
		                "will refuse it");
}

static int copy_config(swimd_http *srv, const swimd_http_config *cfg)
{
	srv->lim = cfg->limits ? *cfg->limits : *swim_limits_default();
	srv->auth = cfg->auth;
	srv->log = cfg->log;
	srv->handler = cfg->handler;
	srv->handler_ctx = cfg->handler_ctx;
	if (cfg->n_tls_listen == 0)
		return 0;
	if (!cfg->tls_cert || !cfg->tls_key)
		return swim_error_set(SWIM_EINVAL, "HTTPS addresses need a "
		                      "certificate and a key (tls_cert, "
		                      "tls_key)");
	if (swim_str_set(&srv->tls_cert, cfg->tls_cert) < 0 ||
	    swim_str_set(&srv->tls_key, cfg->tls_key) < 0 ||
	    (cfg->tls_client_ca &&
	     swim_str_set(&srv->tls_client_ca, cfg->tls_client_ca) < 0) ||
	    (cfg->tls_priorities &&
	     swim_str_set(&srv->tls_priorities, cfg->tls_priorities) < 0))
		return SWIM_ENOMEM;
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
	atomic_init(&srv->stopping, false);
	if ((rc = copy_config(srv, cfg)) < 0)
		goto out;
	if (!(srv->conns = calloc(srv->lim.http_max_connections,
	                          sizeof(*srv->conns)))) {
		rc = swim_error_oom();
		goto out;
	}
	for (size_t i = 0; i < srv->lim.http_max_connections; i++)
		srv->conns[i].fd = -1;
	if ((rc = open_listeners(srv, cfg)) < 0)
		goto out;
	if (pipe2(srv->wake, O_CLOEXEC) < 0) {
		rc = swim_error_set_errno(SWIM_EIO, errno, "pipe");
		goto out;
	}
	if ((cfg->n_listen && (rc = daemon_start(&srv->plain, srv, false)) < 0) ||
	    (cfg->n_tls_listen && (rc = daemon_start(&srv->tls, srv, true)) < 0))
		goto out;
	if (pthread_create(&srv->acceptor, NULL, swimd_http__acceptor_main,
	                   srv) != 0) {
		rc = swim_error_set(SWIM_ERROR, "cannot start a thread");
		goto out;
	}
	srv->acceptor_started = true;
	for (size_t i = 0; i < srv->n_listeners; i++)
		swimd_log_write(srv->log, SWIMD_LOG_INFO,
		                "listening on %s (port %u, %s)",
		                srv->listeners[i].name, srv->listeners[i].port,
		                srv->listeners[i].tls ? "HTTPS" : "HTTP");
	if (srv->tls)
		log_certificate(srv, srv->tls->tls, "in use");
	*out = srv;
	srv = NULL;
out:
	swimd_http_free(srv);
	return rc;
}

static unsigned nth_port(const swimd_http *srv, size_t i, bool tls)
{
	for (size_t j = 0; j < srv->n_listeners; j++)
		if (srv->listeners[j].tls == tls && i-- == 0)
			return srv->listeners[j].port;
	return 0;
}

unsigned swimd_http_port(const swimd_http *srv, size_t i)
{
	return nth_port(srv, i, false);
}

unsigned swimd_http_tls_port(const swimd_http *srv, size_t i)
{
	return nth_port(srv, i, true);
}

static void wake_acceptor(swimd_http *srv, char cmd)
{
	ssize_t n;

	do
		n = write(srv->wake[1], &cmd, 1);
	while (n < 0 && errno == EINTR);
}

int swimd_http_reload_tls(swimd_http *srv)
{
	struct http_daemon *d = NULL, *old;
	size_t retired = 0;
	int rc;

	if (!srv->tls)
		return 0;
	if (atomic_load(&srv->stopping))
		return swim_error_set(SWIM_EBUSY, "swimd is stopping");
	(void)pthread_mutex_lock(&srv->lock);
	for (old = srv->retired; old; old = old->next)
		retired++;
	(void)pthread_mutex_unlock(&srv->lock);
	if (retired >= MAX_RETIRED)
		return swim_error_set(SWIM_EBUSY,
		                      "%zu earlier certificates still serve open "
		                      "connections; reload again once they have "
		                      "closed", retired);
	if ((rc = daemon_start(&d, srv, true)) < 0)
		return rc;
	(void)pthread_mutex_lock(&srv->lock);
	old = srv->tls;
	srv->tls = d;
	atomic_store(&old->retiring, true);
	old->next = srv->retired;
	srv->retired = old;
	(void)pthread_mutex_unlock(&srv->lock);
	wake_acceptor(srv, 'r');
	log_certificate(srv, d->tls, "reloaded");
	return 0;
}

void swimd_http__reap(swimd_http *srv, bool all)
{
	struct http_daemon *done = NULL, **pp, *d;

	(void)pthread_mutex_lock(&srv->lock);
	for (pp = &srv->retired; (d = *pp);) {
		if (all || d->n_conns == 0) {
			*pp = d->next;
			d->next = done;
			done = d;
		} else {
			pp = &d->next;
		}
	}
	(void)pthread_mutex_unlock(&srv->lock);
	while ((d = done)) {
		done = d->next;
		daemon_free(d);
		if (!all)
			swimd_log_write(srv->log, SWIMD_LOG_INFO,
			                "the last connection with an earlier HTTPS "
			                "certificate has closed");
	}
}

static void stop_accepting(swimd_http *srv)
{
	atomic_store(&srv->stopping, true);
	if (srv->acceptor_started) {
		wake_acceptor(srv, 'x');
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
	if (srv->plain || srv->tls) {
		rc = drain(srv);
		if (rc < 0)
			swimd_log_write(srv->log, SWIMD_LOG_WARNING,
			                "stopping: %s", swim_error_last());
	}
	daemon_free(srv->plain);
	srv->plain = NULL;
	daemon_free(srv->tls);
	srv->tls = NULL;
	swimd_http__reap(srv, true);
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
	free(srv->conns);
	free(srv->tls_cert);
	free(srv->tls_key);
	free(srv->tls_client_ca);
	free(srv->tls_priorities);
	if (srv->wake[0] >= 0)
		(void)close(srv->wake[0]);
	if (srv->wake[1] >= 0)
		(void)close(srv->wake[1]);
	(void)pthread_cond_destroy(&srv->drained);
	(void)pthread_mutex_destroy(&srv->lock);
	free(srv);
}
