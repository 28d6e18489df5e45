/* The store of pull enumeration sessions (session.h). Sessions are few
 * (cim_max_open_contexts_per_user per user), so they sit in one array
 * searched by id under one lock; a thread sleeps until the earliest
 * expiry and frees what has expired. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "cimxml/session.h"
#include "util/str.h"
#include "util/time.h"

struct swim_cim_sessions {
	pthread_mutex_t lock;
	pthread_cond_t wake;       /* an expiry changed, or stop */
	const swim_limits *lim;
	swim_cim_session **v;
	size_t n;
	bool started, stop;
	pthread_t thread;
};

static void session_free(swim_cim_session *s)
{
	if (!s)
		return;
	swim_cimom_cursor_free(s->cur);
	free(s->user);
	free(s);
}

static bool expired(const swim_cim_session *s, uint64_t now)
{
	return !s->in_use && s->expires_ms <= now;
}

/* Under the lock: removes v[i] (order does not matter). */
static void remove_at(swim_cim_sessions *ss, size_t i)
{
	session_free(ss->v[i]);
	ss->v[i] = ss->v[--ss->n];
}

/* Under the lock: frees what has expired; the next expiry, or 0. */
static uint64_t sweep(swim_cim_sessions *ss, uint64_t now)
{
	uint64_t next = 0;

	for (size_t i = ss->n; i-- > 0;) {
		swim_cim_session *s = ss->v[i];

		if (s->in_use)
			continue;
		if (expired(s, now))
			remove_at(ss, i);
		else if (!next || s->expires_ms < next)
			next = s->expires_ms;
	}
	return next;
}

static void *expiry_thread(void *arg)
{
	swim_cim_sessions *ss = arg;
	struct timespec until;
	uint64_t next;

	(void)pthread_mutex_lock(&ss->lock);
	while (!ss->stop) {
		next = sweep(ss, swim_time_monotonic_ms());
		if (!next) {
			(void)pthread_cond_wait(&ss->wake, &ss->lock);
			continue;
		}
		until.tv_sec = (time_t)(next / 1000);
		until.tv_nsec = (long)(next % 1000) * 1000000;
		(void)pthread_cond_timedwait(&ss->wake, &ss->lock, &until);
	}
	(void)pthread_mutex_unlock(&ss->lock);
	return NULL;
}

int swim_cim_sessions_new(swim_cim_sessions **out, const swim_limits *lim)
{
	swim_cim_sessions *ss;
	pthread_condattr_t attr;
	bool ok;

	*out = NULL;
	if (!(ss = calloc(1, sizeof(*ss))))
		return swim_error_oom();
	ss->lim = lim;
	/* Expiry times are monotonic, and so are the waits for them. */
	ok = pthread_condattr_init(&attr) == 0;
	if (ok) {
		ok = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
		     pthread_cond_init(&ss->wake, &attr) == 0;
		(void)pthread_condattr_destroy(&attr);
	}
	if (ok && pthread_mutex_init(&ss->lock, NULL) != 0) {
		(void)pthread_cond_destroy(&ss->wake);
		ok = false;
	}
	if (!ok) {
		free(ss);
		return swim_error_set(SWIM_ERROR, "enumeration sessions: cannot "
		                      "make a lock");
	}
	*out = ss;
	return 0;
}

void swim_cim_sessions_free(swim_cim_sessions *ss)
{
	if (!ss)
		return;
	(void)pthread_mutex_lock(&ss->lock);
	ss->stop = true;
	(void)pthread_cond_signal(&ss->wake);
	(void)pthread_mutex_unlock(&ss->lock);
	if (ss->started)
		(void)pthread_join(ss->thread, NULL);
	for (size_t i = 0; i < ss->n; i++)
		session_free(ss->v[i]);
	free(ss->v);
	(void)pthread_cond_destroy(&ss->wake);
	(void)pthread_mutex_destroy(&ss->lock);
	free(ss);
}

/* 128 bits from the kernel's generator, in hex. */
static int new_id(char id[SWIM_CIM_SESSION_ID_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[SWIM_CIM_SESSION_ID_LEN / 2];
	ssize_t got;

	do
		got = getrandom(raw, sizeof(raw), 0);
	while (got < 0 && errno == EINTR);
	if (got != (ssize_t)sizeof(raw))
		return swim_error_set_errno(SWIM_EIO, got < 0 ? errno : EIO,
		                            "making an enumeration context");
	for (size_t i = 0; i < sizeof(raw); i++) {
		id[2 * i] = hex[raw[i] >> 4];
		id[2 * i + 1] = hex[raw[i] & 15];
	}
	id[SWIM_CIM_SESSION_ID_LEN] = '\0';
	return 0;
}

/* Under the lock: the user's live sessions. */
static size_t count_of(const swim_cim_sessions *ss, const char *user)
{
	uint64_t now = swim_time_monotonic_ms();
	size_t n = 0;

	for (size_t i = 0; i < ss->n; i++)
		n += strcmp(ss->v[i]->user, user) == 0 && !expired(ss->v[i], now);
	return n;
}

/* Under the lock: adds s, starting the expiry thread with the first. */
static int add(swim_cim_sessions *ss, swim_cim_session *s)
{
	swim_cim_session **grown;
	int err;

	if (!ss->started) {
		if ((err = pthread_create(&ss->thread, NULL, expiry_thread,
		                          ss)) != 0)
			return swim_error_set_errno(SWIM_ERROR, err, "starting the "
			                            "enumeration expiry thread");
		ss->started = true;
	}
	if (!(grown = realloc(ss->v, (ss->n + 1) * sizeof(*grown))))
		return swim_error_oom();
	ss->v = grown;
	ss->v[ss->n++] = s;
	return 0;
}

int swim_cim_session_open(swim_cim_session **out, swim_cim_sessions *ss,
                          swim_cim_call *call, swim_cimom_cursor *cur,
                          int kind, uint32_t timeout)
{
	uint64_t max = ss->lim->cim_max_open_contexts_per_user;
	const char *user = call->user ? call->user : "";
	swim_cim_session *s;
	int rc;

	*out = NULL;
	if (!(s = calloc(1, sizeof(*s)))) {
		swim_cimom_cursor_free(cur);
		return swim_error_oom();
	}
	s->cur = cur;
	s->kind = kind;
	s->ns = swim_cimom_cursor_namespace(cur);
	s->timeout = timeout;
	s->in_use = true;
	if ((rc = new_id(s->id)) < 0 || !(s->user = swim_strdup(user))) {
		session_free(s);
		return rc < 0 ? rc : SWIM_ENOMEM;
	}
	(void)pthread_mutex_lock(&ss->lock);
	if (count_of(ss, user) >= max)
		rc = swim_cim_call_fail(call, SWIM_CIM_ERR_SERVER_LIMITS_EXCEEDED,
		                        SWIM_ELIMIT, "user %s has %llu open "
		                        "enumerations already "
		                        "(cim_max_open_contexts_per_user); close "
		                        "some with CloseEnumeration or let them "
		                        "expire", user, (unsigned long long)max);
	else
		rc = add(ss, s);
	(void)pthread_mutex_unlock(&ss->lock);
	if (rc < 0) {
		session_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

static int invalid(swim_cim_call *call, const char *id)
{
	return swim_cim_call_fail(call, SWIM_CIM_ERR_INVALID_ENUMERATION_CONTEXT,
	                          SWIM_ENOTFOUND, "no open enumeration '%.64s' "
	                          "(it ended, expired, was closed, or is "
	                          "another user's or namespace's)", id);
}

/* Under the lock: the index of the session named id that call may use,
 * or -1. */
static long find(const swim_cim_sessions *ss, const swim_cim_call *call,
                 const char *id)
{
	const char *user = call->user ? call->user : "";
	uint64_t now = swim_time_monotonic_ms();

	for (size_t i = 0; i < ss->n; i++) {
		const swim_cim_session *s = ss->v[i];

		if (strcmp(s->id, id) != 0)
			continue;
		if (strcmp(s->user, user) != 0 || !swim_str_ieq(s->ns, call->ns) ||
		    expired(s, now))
			return -1;
		return (long)i;
	}
	return -1;
}

int swim_cim_session_take(swim_cim_session **out, swim_cim_sessions *ss,
                          swim_cim_call *call, const char *id)
{
	long i;

	*out = NULL;
	(void)pthread_mutex_lock(&ss->lock);
	if ((i = find(ss, call, id)) >= 0 && !ss->v[i]->in_use) {
		*out = ss->v[i];
		(*out)->in_use = true;
	}
	(void)pthread_mutex_unlock(&ss->lock);
	if (*out)
		return 0;
	if (i >= 0)
		return swim_cim_call_fail(call,
		                          SWIM_CIM_ERR_INVALID_ENUMERATION_CONTEXT,
		                          SWIM_EBUSY, "enumeration '%s' is in use "
		                          "by another request", id);
	return invalid(call, id);
}

void swim_cim_session_put(swim_cim_sessions *ss, swim_cim_session *s)
{
	(void)pthread_mutex_lock(&ss->lock);
	s->expires_ms = swim_time_monotonic_ms() + (uint64_t)s->timeout * 1000;
	s->in_use = false;
	(void)pthread_cond_signal(&ss->wake);
	(void)pthread_mutex_unlock(&ss->lock);
}

void swim_cim_session_end(swim_cim_sessions *ss, swim_cim_session *s)
{
	(void)pthread_mutex_lock(&ss->lock);
	for (size_t i = 0; i < ss->n; i++)
		if (ss->v[i] == s) {
			remove_at(ss, i);
			break;
		}
	(void)pthread_mutex_unlock(&ss->lock);
}

int swim_cim_session_close(swim_cim_sessions *ss, swim_cim_call *call,
                           const char *id)
{
	bool busy = false;
	long i;

	(void)pthread_mutex_lock(&ss->lock);
	if ((i = find(ss, call, id)) >= 0) {
		if (ss->v[i]->in_use)
			busy = true;
		else
			remove_at(ss, (size_t)i);
	}
	(void)pthread_mutex_unlock(&ss->lock);
	if (busy)
		return swim_cim_call_fail(call,
		                          SWIM_CIM_ERR_PULL_CANNOT_BE_ABANDONED,
		                          SWIM_EBUSY, "enumeration '%s' is in use "
		                          "by another request", id);
	return i >= 0 ? 0 : invalid(call, id);
}

size_t swim_cim_sessions_count(swim_cim_sessions *ss)
{
	size_t n;

	(void)pthread_mutex_lock(&ss->lock);
	n = ss->n;
	(void)pthread_mutex_unlock(&ss->lock);
	return n;
}
