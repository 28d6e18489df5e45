#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "daemon/log.h"
#include "swim/buf.h"
#include "util/str.h"

/* A longer message is cut: a log line is for a human, and the cut keeps
 * one client from making the daemon write megabytes per request. */
#define LOG_MESSAGE_MAX 2048

struct swimd_log {
	swimd_log_level level;
	int fd;                 /* -1: syslog */
	pthread_mutex_t lock;   /* one line at a time on fd */
};

static const char *const level_names[] = {
	[SWIMD_LOG_ERROR] = "error",
	[SWIMD_LOG_WARNING] = "warning",
	[SWIMD_LOG_INFO] = "info",
	[SWIMD_LOG_DEBUG] = "debug",
};

int swimd_log_level_parse(swimd_log_level *out, const char *name)
{
	if (!name) {
		*out = SWIMD_LOG_INFO;
		return 0;
	}
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(level_names); i++) {
		if (swim_str_ieq(name, level_names[i])) {
			*out = (swimd_log_level)i;
			return 0;
		}
	}
	return swim_error_set(SWIM_EINVAL,
	                      "log_level: '%s' is not one of error, warning, info, debug",
	                      name);
}

static int log_new(swimd_log **out, swimd_log_level level, int fd)
{
	swimd_log *log;

	*out = NULL;
	if (!(log = calloc(1, sizeof(*log))))
		return swim_error_oom();
	log->level = level;
	log->fd = fd;
	if (pthread_mutex_init(&log->lock, NULL) != 0) {
		free(log);
		return swim_error_oom();
	}
	*out = log;
	return 0;
}

int swimd_log_open_fd(swimd_log **out, swimd_log_level level, int fd)
{
	return log_new(out, level, fd);
}

int swimd_log_open(swimd_log **out, swimd_log_level level,
                   const char *target)
{
	int rc;

	if (!target || strcmp(target, "stderr") == 0)
		return log_new(out, level, STDERR_FILENO);
	if (strcmp(target, "syslog") != 0) {
		*out = NULL;
		return swim_error_set(SWIM_EINVAL,
		                      "log_target: '%s' is not stderr or syslog",
		                      target);
	}
	if ((rc = log_new(out, level, -1)) == 0)
		openlog("swimd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	return rc;
}

int swimd_log_open_conf(swimd_log **out, const char *level_name,
                        const char *target)
{
	swimd_log_level level;
	int rc;

	*out = NULL;
	if ((rc = swimd_log_level_parse(&level, level_name)) < 0)
		return rc;
	return swimd_log_open(out, level, target);
}

int swimd_log_enabled(const swimd_log *log, swimd_log_level level)
{
	return log && level <= log->level;
}

/* Appends `s` with control bytes shown as \xNN, so that a line is always
 * one line whatever a client sent. */
static void put_escaped(swim_buf *line, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			(void)swim_buf_printf(line, "\\x%02x", c);
		else
			(void)swim_buf_putc(line, (char)c);
	}
}

static void write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;  /* nowhere left to report a failing log */
		p += n;
		len -= (size_t)n;
	}
}

static void emit(swimd_log *log, int prio, const char *tag,
                 const char *msg, size_t len)
{
	swim_buf line = SWIM_BUF_INIT(4 * LOG_MESSAGE_MAX + 128);
	int saved_errno = errno;

	if (log->fd >= 0) {
		struct timespec ts;
		struct tm tm;
		char stamp[32] = "";

		(void)clock_gettime(CLOCK_REALTIME, &ts);
		if (gmtime_r(&ts.tv_sec, &tm))
			(void)strftime(stamp, sizeof(stamp),
			               "%Y-%m-%dT%H:%M:%SZ", &tm);
		(void)swim_buf_printf(&line, "%s swimd[%ld] ", stamp,
		                      (long)getpid());
	}
	/* syslog carries the level itself; only the audit tag is kept. */
	if (log->fd >= 0 || prio == LOG_NOTICE)
		(void)swim_buf_printf(&line, "%s: ", tag);
	put_escaped(&line, msg, len);
	if (log->fd >= 0) {
		(void)swim_buf_putc(&line, '\n');
		(void)pthread_mutex_lock(&log->lock);
		write_all(log->fd, line.ptr, line.len);
		(void)pthread_mutex_unlock(&log->lock);
	} else {
		syslog(prio, "%s", line.ptr);
	}
	swim_buf_dispose(&line);
	errno = saved_errno;
}

void swimd_log_vwrite(swimd_log *log, swimd_log_level level,
                      const char *fmt, va_list ap)
{
	static const int prios[] = {
		[SWIMD_LOG_ERROR] = LOG_ERR,
		[SWIMD_LOG_WARNING] = LOG_WARNING,
		[SWIMD_LOG_INFO] = LOG_INFO,
		[SWIMD_LOG_DEBUG] = LOG_DEBUG,
	};
	char msg[LOG_MESSAGE_MAX];
	int n;

	if (!swimd_log_enabled(log, level))
		return;
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		return;
	emit(log, prios[level], level_names[level], msg,
	     (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
}

void swimd_log_write(swimd_log *log, swimd_log_level level,
                     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	swimd_log_vwrite(log, level, fmt, ap);
	va_end(ap);
}

/* `s` in double quotes with " and \ escaped (control bytes are escaped
 * later with the whole line). */
static void put_quoted(swim_buf *b, const char *s)
{
	if (!s) {
		(void)swim_buf_putc(b, '-');
		return;
	}
	(void)swim_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			(void)swim_buf_putc(b, '\\');
		(void)swim_buf_putc(b, *s);
	}
	(void)swim_buf_putc(b, '"');
}

void swimd_log_audit(swimd_log *log, const char *user, const char *client,
                     const char *operation, const char *object,
                     const char *result)
{
	swim_buf msg = SWIM_BUF_INIT(LOG_MESSAGE_MAX);

	if (!log)
		return;
	/* Free text is quoted so that a blank cannot shift the fields. */
	(void)swim_buf_puts(&msg, "user=");
	put_quoted(&msg, user);
	(void)swim_buf_puts(&msg, " client=");
	(void)swim_buf_puts(&msg, client ? client : "-");
	(void)swim_buf_puts(&msg, " operation=");
	(void)swim_buf_puts(&msg, operation ? operation : "-");
	(void)swim_buf_puts(&msg, " object=");
	put_quoted(&msg, object);
	(void)swim_buf_puts(&msg, " result=");
	put_quoted(&msg, result);
	emit(log, LOG_NOTICE, "audit", msg.ptr, msg.len);
	swim_buf_dispose(&msg);
}

void swimd_log_free(swimd_log *log)
{
	if (!log)
		return;
	if (log->fd < 0)
		closelog();
	(void)pthread_mutex_destroy(&log->lock);
	free(log);
}
