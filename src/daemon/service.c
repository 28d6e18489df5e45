#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "daemon/service.h"
#include "swim/error.h"

struct swimd_signals {
	int fd;
	sigset_t old_mask;
	struct sigaction old_pipe;
};

int swimd_signals_open(swimd_signals **out)
{
	swimd_signals *sig;
	struct sigaction ign = { .sa_handler = SIG_IGN };
	sigset_t set;
	int e;

	*out = NULL;
	if (!(sig = calloc(1, sizeof(*sig))))
		return swim_error_oom();
	(void)sigemptyset(&set);
	(void)sigaddset(&set, SIGTERM);
	(void)sigaddset(&set, SIGINT);
	(void)sigaddset(&set, SIGHUP);
	if ((e = pthread_sigmask(SIG_BLOCK, &set, &sig->old_mask)) != 0) {
		free(sig);
		return swim_error_set_errno(SWIM_EIO, e, "blocking signals");
	}
	if ((sig->fd = signalfd(-1, &set, SFD_CLOEXEC)) < 0) {
		e = errno;
		(void)pthread_sigmask(SIG_SETMASK, &sig->old_mask, NULL);
		free(sig);
		return swim_error_set_errno(SWIM_EIO, e, "signalfd");
	}
	/* A peer gone mid-write is an error return, not a dead daemon. */
	(void)sigemptyset(&ign.sa_mask);
	(void)sigaction(SIGPIPE, &ign, &sig->old_pipe);
	*out = sig;
	return 0;
}

int swimd_signals_fd(const swimd_signals *sig)
{
	return sig->fd;
}

int swimd_signals_wait(swimd_signal *out, int *signo, swimd_signals *sig,
                       int timeout_ms)
{
	struct pollfd p = { .fd = sig->fd, .events = POLLIN };
	struct signalfd_siginfo si;
	ssize_t n;
	int r;

	*out = SWIMD_SIGNAL_NONE;
	*signo = 0;
	do
		r = poll(&p, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return swim_error_set_errno(SWIM_EIO, errno, "waiting for signals");
	if (r == 0)
		return 0;
	do
		n = read(sig->fd, &si, sizeof(si));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(si))
		return swim_error_set_errno(SWIM_EIO, n < 0 ? errno : EIO,
		                            "reading a signal");
	*signo = (int)si.ssi_signo;
	*out = *signo == SIGHUP ? SWIMD_SIGNAL_RELOAD : SWIMD_SIGNAL_STOP;
	return 0;
}

void swimd_signals_free(swimd_signals *sig)
{
	if (!sig)
		return;
	(void)close(sig->fd);
	(void)sigaction(SIGPIPE, &sig->old_pipe, NULL);
	(void)pthread_sigmask(SIG_SETMASK, &sig->old_mask, NULL);
	free(sig);
}

int swimd_notify(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len;
	ssize_t n;
	int fd, e;

	if (!path || !*path)
		return 0;
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || len >= sizeof(sa.sun_path))
		return swim_error_set(SWIM_EINVAL, "NOTIFY_SOCKET '%s' is not a "
		                      "socket path", path);
	memcpy(sa.sun_path, path, len);
	if (path[0] == '@')   /* an abstract socket */
		sa.sun_path[0] = '\0';
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return swim_error_set_errno(SWIM_EIO, errno, "notify socket");
	n = sendto(fd, state, strlen(state), MSG_NOSIGNAL,
	           (struct sockaddr *)&sa,
	           (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len));
	e = errno;
	(void)close(fd);
	if (n < 0)
		return swim_error_set_errno(SWIM_EIO, e, "notifying systemd at %s",
		                            path);
	return 0;
}

static void notify(swimd_log *log, const char *state)
{
	if (swimd_notify(state) < 0)
		swimd_log_write(log, SWIMD_LOG_WARNING, "%s", swim_error_last());
}

static void reload(swimd_http *http, swimd_auth *auth, swimd_log *log)
{
	struct timespec ts;
	char state[64];

	/* systemd's reload protocol wants the monotonic time with it. */
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	(void)snprintf(state, sizeof(state), "RELOADING=1\nMONOTONIC_USEC=%llu",
	               (unsigned long long)ts.tv_sec * 1000000u +
	               (unsigned long long)ts.tv_nsec / 1000u);
	notify(log, state);
	swimd_log_write(log, SWIMD_LOG_INFO, "SIGHUP: reloading the users "
	                "file and the certificates");
	if (auth) {
		if (swimd_auth_reload(auth) < 0)
			swimd_log_write(log, SWIMD_LOG_ERROR, "%s; the users "
			                "before stay in effect", swim_error_last());
		else
			swimd_log_write(log, SWIMD_LOG_INFO, "users file reloaded");
	}
	if (swimd_http_reload_tls(http) < 0)
		swimd_log_write(log, SWIMD_LOG_ERROR, "%s; the certificate "
		                "before stays in use", swim_error_last());
	notify(log, "READY=1");
}

int swimd_serve(swimd_signals *sig, swimd_http *http, swimd_auth *auth,
                swimd_log *log)
{
	swimd_signal what = SWIMD_SIGNAL_NONE;
	int signo = 0, rc;

	notify(log, "READY=1\nSTATUS=serving");
	while (what != SWIMD_SIGNAL_STOP) {
		if (swimd_signals_wait(&what, &signo, sig, -1) < 0) {
			swimd_log_write(log, SWIMD_LOG_ERROR, "%s; stopping",
			                swim_error_last());
			break;
		}
		if (what == SWIMD_SIGNAL_RELOAD)
			reload(http, auth, log);
	}
	swimd_log_write(log, SWIMD_LOG_INFO, "%s: stopping; requests in "
	                "progress may finish", signo == SIGINT ? "SIGINT"
	                : signo == SIGTERM ? "SIGTERM" : "error");
	notify(log, "STOPPING=1");
	rc = swimd_http_stop(http);
	swimd_log_write(log, SWIMD_LOG_INFO, "stopped");
	return rc;
}
