/* Per-thread error slot. A fixed-size message keeps the OOM path free of
 * allocations; longer messages are cut at the end, where detail matters
 * least because context is prepended. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "swim/error.h"

#define SWIM_ERROR_MSG_MAX 2048

struct swim_error_slot {
	int code;
	char msg[SWIM_ERROR_MSG_MAX];
};

/* The one sanctioned piece of per-thread state (see DESIGN.md). */
static _Thread_local struct swim_error_slot slot;

int swim_error_vset(int code, const char *fmt, va_list ap)
{
	char tmp[SWIM_ERROR_MSG_MAX];

	/* Through a copy: callers may pass swim_error_last() as an argument
	 * to extend the current message. */
	(void)vsnprintf(tmp, sizeof(tmp), fmt, ap);
	slot.code = code;
	memcpy(slot.msg, tmp, sizeof(slot.msg));
	return code;
}

int swim_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)swim_error_vset(code, fmt, ap);
	va_end(ap);
	return code;
}

int swim_error_set_errno(int code, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t len;
	char ebuf[128];
	const char *es;

	va_start(ap, fmt);
	(void)swim_error_vset(code, fmt, ap);
	va_end(ap);
	es = strerror_r(errnum, ebuf, sizeof(ebuf));
	len = strlen(slot.msg);
	if (len < sizeof(slot.msg))
		(void)snprintf(slot.msg + len, sizeof(slot.msg) - len, ": %s", es);
	return code;
}

int swim_error_prefix(const char *fmt, ...)
{
	char old[SWIM_ERROR_MSG_MAX];
	size_t plen;
	va_list ap;

	if (slot.code == 0)
		slot.code = SWIM_ERROR;
	memcpy(old, slot.msg, sizeof(old));
	va_start(ap, fmt);
	(void)swim_error_vset(slot.code, fmt, ap);
	va_end(ap);
	plen = strlen(slot.msg);
	/* What does not fit is cut from the end of the lower message. */
	memcpy(slot.msg + plen, old,
	       strnlen(old, sizeof(slot.msg) - plen - 1));
	slot.msg[plen + strnlen(old, sizeof(slot.msg) - plen - 1)] = '\0';
	return slot.code;
}

int swim_error_oom(void)
{
	slot.code = SWIM_ENOMEM;
	(void)snprintf(slot.msg, sizeof(slot.msg), "out of memory");
	return SWIM_ENOMEM;
}

const char *swim_error_last(void)
{
	return slot.msg;
}

int swim_error_last_code(void)
{
	return slot.code;
}

void swim_error_clear(void)
{
	slot.code = 0;
	slot.msg[0] = '\0';
}

const char *swim_error_name(int code)
{
	switch (code) {
	case SWIM_OK: return "success";
	case SWIM_ENOMEM: return "out of memory";
	case SWIM_EINVAL: return "invalid input";
	case SWIM_ENOTFOUND: return "not found";
	case SWIM_EEXISTS: return "already exists";
	case SWIM_ECONFLICT: return "conflict";
	case SWIM_EBUSY: return "busy";
	case SWIM_ELIMIT: return "limit exceeded";
	case SWIM_EIO: return "I/O error";
	case SWIM_EACCESS: return "access denied";
	case SWIM_ESIGNATURE: return "bad signature";
	case SWIM_ECHECKSUM: return "checksum mismatch";
	case SWIM_EDEPENDENCY: return "dependency problem";
	case SWIM_ETIMEOUT: return "timed out";
	case SWIM_ENOTSUPPORTED: return "not supported";
	case SWIM_ENETWORK: return "network error";
	case SWIM_EACCEPTANCE: return "acceptance level";
	case SWIM_ECANCELLED: return "cancelled";
	default: return "error";
	}
}
