/* Fault injection for the crash and error tests: a named point in the
 * apply sequence kills the process, fails like a system call or sleeps,
 * when SWIM_TEST_FAULT says so (docs/transaction.md). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/transaction_private.h"
#include "util/str.h"

static const struct {
	const char *name;
	int err;
} errnos[] = {
	{ "ENOSPC", ENOSPC }, { "EACCES", EACCES }, { "EPERM", EPERM },
	{ "EIO", EIO }, { "EROFS", EROFS }, { "EDQUOT", EDQUOT },
};

/* One rule "POINT[#N]:ACTION"; false when malformed (then ignored). */
static bool parse_rule(swim_fault *f, const char *s, size_t len)
{
	const char *colon = memchr(s, ':', len), *hash;
	const char *act;
	size_t plen, alen;
	uint64_t v;
	char num[32];

	if (!colon || f->n >= SWIM_FAULT_RULES)
		return false;
	hash = memchr(s, '#', (size_t)(colon - s));
	plen = (size_t)((hash ? hash : colon) - s);
	if (plen == 0 || plen >= sizeof(f->rules[0].point))
		return false;
	memset(&f->rules[f->n], 0, sizeof(f->rules[f->n]));
	memcpy(f->rules[f->n].point, s, plen);
	f->rules[f->n].nth = 1;
	if (hash) {
		size_t nlen = (size_t)(colon - hash - 1);

		if (nlen == 0 || nlen >= sizeof(num))
			return false;
		memcpy(num, hash + 1, nlen);
		num[nlen] = '\0';
		if (swim_str_to_u64(&v, num, 1000000000, "fault count") < 0)
			return false;
		f->rules[f->n].nth = (unsigned long)v;
	}
	act = colon + 1;
	alen = len - (size_t)(act - s);
	if (alen == 4 && memcmp(act, "kill", 4) == 0) {
		f->rules[f->n].action = FAULT_KILL;
	} else if (alen > 5 && memcmp(act, "fail=", 5) == 0) {
		size_t i;

		for (i = 0; i < SWIM_ARRAY_SIZE(errnos); i++)
			if (strlen(errnos[i].name) == alen - 5 &&
			    memcmp(errnos[i].name, act + 5, alen - 5) == 0)
				break;
		if (i == SWIM_ARRAY_SIZE(errnos))
			return false;
		f->rules[f->n].action = FAULT_FAIL;
		f->rules[f->n].err = errnos[i].err;
	} else if (alen > 6 && alen - 6 < sizeof(num) &&
	           memcmp(act, "sleep=", 6) == 0) {
		memcpy(num, act + 6, alen - 6);
		num[alen - 6] = '\0';
		if (swim_str_to_u64(&v, num, 600000, "fault sleep") < 0)
			return false;
		f->rules[f->n].action = FAULT_SLEEP;
		f->rules[f->n].ms = (unsigned)v;
	} else {
		return false;
	}
	f->n++;
	return true;
}

void swim_fault_init(swim_fault *f)
{
	const char *spec = getenv("SWIM_TEST_FAULT");
	const char *trace = getenv("SWIM_TEST_FAULT_TRACE");

	memset(f, 0, sizeof(*f));
	f->trace_fd = -1;
	while (spec && *spec) {
		const char *comma = strchr(spec, ',');
		size_t len = comma ? (size_t)(comma - spec) : strlen(spec);

		(void)parse_rule(f, spec, len);
		spec += len + (comma != NULL);
	}
	swim_error_clear();
	if (trace && *trace)
		f->trace_fd = open(trace, O_CLOEXEC | O_WRONLY | O_APPEND |
		                   O_CREAT, 0644);
	f->on = f->n > 0 || f->trace_fd >= 0;
}

void swim_fault_dispose(swim_fault *f)
{
	if (f->trace_fd >= 0)
		(void)close(f->trace_fd);
	f->trace_fd = -1;
	f->on = false;
}

int swim_fault_hit(swim_fault *f, const char *point)
{
	if (!f || !f->on)
		return 0;
	if (f->trace_fd >= 0) {
		size_t len = strlen(point);
		char line[64];

		if (len < sizeof(line) - 1) {
			memcpy(line, point, len);
			line[len] = '\n';
			(void)!write(f->trace_fd, line, len + 1);
		}
	}
	for (size_t i = 0; i < f->n; i++) {
		if (strcmp(f->rules[i].point, point) != 0 ||
		    ++f->rules[i].seen != f->rules[i].nth)
			continue;
		switch (f->rules[i].action) {
		case FAULT_KILL:
			(void)kill(getpid(), SIGKILL);
			pause();
			break;
		case FAULT_FAIL:
			return -f->rules[i].err;
		case FAULT_SLEEP: {
			struct timespec ts = { (time_t)(f->rules[i].ms / 1000),
			                       (long)(f->rules[i].ms % 1000) * 1000000L };

			while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
				;
			break;
		}
		}
	}
	return 0;
}

int swim_fault_point(swim_fault *f, const char *point)
{
	int rc = swim_fault_hit(f, point);

	if (rc == 0)
		return 0;
	return swim_error_set_errno(rc == -ENOSPC || rc == -EDQUOT ? SWIM_ELIMIT
	                            : rc == -EACCES || rc == -EPERM ||
	                              rc == -EROFS ? SWIM_EACCESS : SWIM_EIO,
	                            -rc, "%s", point);
}
