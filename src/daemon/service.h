/* swimd — running as a service: signals, systemd notification and the
 * main loop.
 *
 * main calls swimd_signals_open() first, before any thread exists, so
 * that SIGTERM, SIGINT and SIGHUP are blocked in every thread the daemon
 * starts and arrive on one descriptor instead of in a handler; SIGPIPE is
 * ignored. Once the server runs, swimd_serve() is the main thread's loop:
 *
 *   SIGHUP          reload the users file and the TLS certificate files;
 *                   a file that does not load is reported and the one
 *                   before stays in effect
 *   SIGTERM, SIGINT stop: no new connections, requests in progress finish
 *                   (http_shutdown_grace_seconds), then return
 *
 * With systemd's Type=notify it reports READY=1, RELOADING=1 and
 * STOPPING=1 on $NOTIFY_SOCKET (no libsystemd needed).
 */
#ifndef SWIMD_SERVICE_H
#define SWIMD_SERVICE_H

#include "daemon/auth.h"
#include "daemon/http.h"
#include "daemon/log.h"

typedef struct swimd_signals swimd_signals;

typedef enum swimd_signal {
	SWIMD_SIGNAL_NONE = 0,   /* the wait timed out */
	SWIMD_SIGNAL_STOP,       /* SIGTERM or SIGINT */
	SWIMD_SIGNAL_RELOAD      /* SIGHUP */
} swimd_signal;

/* Blocks SIGTERM, SIGINT and SIGHUP in the calling thread (and so in the
 * threads it starts later) and opens a signalfd for them; ignores
 * SIGPIPE. @param[out] out freed with swimd_signals_free(), which
 * restores the mask and SIGPIPE's action. */
int swimd_signals_open(swimd_signals **out);

/* Waits up to timeout_ms (-1: without end) for the next signal. *signo
 * gets its number (0 for NONE). */
int swimd_signals_wait(swimd_signal *out, int *signo, swimd_signals *sig,
                       int timeout_ms);

/* The signalfd, for a caller's own poll loop (readable when a signal is
 * pending; swimd_signals_wait then returns at once). Borrowed. */
int swimd_signals_fd(const swimd_signals *sig);

void swimd_signals_free(swimd_signals *sig);

/* Sends `state` ("READY=1", "STOPPING=1", "STATUS=...", several lines
 * allowed) to systemd when $NOTIFY_SOCKET is set; 0 and nothing
 * otherwise. */
int swimd_notify(const char *state);

/* The daemon's main loop (see above): notifies READY=1, reloads on
 * SIGHUP (users through `auth` unless NULL, certificates through
 * swimd_http_reload_tls()), and on SIGTERM or SIGINT stops `http` with
 * swimd_http_stop() and returns its result. Everything is logged. */
int swimd_serve(swimd_signals *sig, swimd_http *http, swimd_auth *auth,
                swimd_log *log);

#endif
