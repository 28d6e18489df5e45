/* swim — errors: int return codes and a per-thread message slot.
 *
 * Every fallible libswim call returns 0 on success or one of the negative
 * codes below, and leaves a message naming what went wrong in the calling
 * thread's slot, readable with swim_error_last() until the next error.
 * Named codes exist only for failures a caller is expected to handle; the
 * rest is SWIM_ERROR.
 */
#ifndef SWIM_ERROR_H
#define SWIM_ERROR_H

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum swim_errcode {
	SWIM_OK = 0,
	SWIM_ERROR = -1,         /* anything without a more specific code */
	SWIM_ENOMEM = -2,        /* an allocation failed */
	SWIM_EINVAL = -3,        /* malformed input or a bad argument */
	SWIM_ENOTFOUND = -4,     /* the named thing does not exist */
	SWIM_EEXISTS = -5,       /* it exists already */
	SWIM_ECONFLICT = -6,     /* two things cannot both be */
	SWIM_EBUSY = -7,         /* held by someone else (locks) */
	SWIM_ELIMIT = -8,        /* input exceeds a configured limit */
	SWIM_EIO = -9,           /* the system said no (errno in the message) */
	SWIM_EACCESS = -10,      /* permission or authentication */
	SWIM_ESIGNATURE = -11,   /* a signature is present and wrong */
	SWIM_ECHECKSUM = -12,    /* content differs from its checksum */
	SWIM_EDEPENDENCY = -13,  /* the resolver found no solution */
	SWIM_ETIMEOUT = -14,
	SWIM_ENOTSUPPORTED = -15,
	SWIM_ENETWORK = -16,     /* a transfer failed */
	SWIM_EACCEPTANCE = -17,  /* below the required acceptance level */
	SWIM_ECANCELLED = -18
} swim_errcode;

#if defined(__GNUC__)
#define SWIM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SWIM_PRINTF(f, a)
#endif

/* Stores a message for `code` in this thread's slot and returns `code`,
 * so that `return swim_error_set(SWIM_EINVAL, "...")` reads naturally. */
int swim_error_set(int code, const char *fmt, ...) SWIM_PRINTF(2, 3);
int swim_error_vset(int code, const char *fmt, va_list ap) SWIM_PRINTF(2, 0);

/* Like swim_error_set(), with ": <strerror(errnum)>" appended. */
int swim_error_set_errno(int code, int errnum, const char *fmt, ...)
	SWIM_PRINTF(3, 4);

/* Puts context in front of the message a lower layer already set
 * ("reading X.vib: " + "payload too large") and returns its code. The
 * lower layer's message is kept, never overwritten. */
int swim_error_prefix(const char *fmt, ...) SWIM_PRINTF(1, 2);

/* Sets "out of memory" and returns SWIM_ENOMEM. */
int swim_error_oom(void);

/* The message of the last error in this thread, "" when none. Borrowed:
 * valid until the next swim_error_* call in this thread. */
const char *swim_error_last(void);

/* The code of the last error in this thread, 0 when none. */
int swim_error_last_code(void);

/* A short name for a code ("not found"); never NULL. */
const char *swim_error_name(int code);

void swim_error_clear(void);

#ifdef __cplusplus
}
#endif
#endif
