/* swimd — the daemon's log: stderr or syslog, four levels, and the audit
 * line of modifying operations.
 *
 * The library never logs; the daemon logs through one swimd_log object
 * that main creates from swim.conf (log_level, log_target) and hands to
 * every part that needs it. Writing is thread-safe. Every line is one
 * write, control characters in it are shown as \xNN (a client's user name
 * or CIMObject cannot forge a line), and nothing here ever receives a
 * password: callers pass names, never credentials.
 */
#ifndef SWIMD_LOG_H
#define SWIMD_LOG_H

#include <stdarg.h>

#include "swim/error.h"

typedef enum swimd_log_level {
	SWIMD_LOG_ERROR = 0,
	SWIMD_LOG_WARNING = 1,
	SWIMD_LOG_INFO = 2,
	SWIMD_LOG_DEBUG = 3
} swimd_log_level;

typedef struct swimd_log swimd_log;

/* Parses "error", "warning", "info" or "debug" (NULL means "info"). */
int swimd_log_level_parse(swimd_log_level *out, const char *name);

/* A log to `target`: "stderr" (NULL means stderr) or "syslog" (facility
 * daemon, ident "swimd"). Lines below `level` are dropped.
 * @param[out] out owned by the caller, freed with swimd_log_free(). */
int swimd_log_open(swimd_log **out, swimd_log_level level,
                   const char *target);

/* A log writing lines to an open descriptor (not closed by the log); the
 * stderr target is this with fd 2. */
int swimd_log_open_fd(swimd_log **out, swimd_log_level level, int fd);

/* Reads log_level and log_target from their swim.conf values (either may
 * be NULL for the default). Errors name the bad value. */
int swimd_log_open_conf(swimd_log **out, const char *level_name,
                        const char *target);

/* True when a line at `level` would be written (to skip building costly
 * messages). A NULL log writes nothing. */
int swimd_log_enabled(const swimd_log *log, swimd_log_level level);

/* Writes one line at `level`. A NULL log is allowed and writes nothing. */
void swimd_log_write(swimd_log *log, swimd_log_level level,
                     const char *fmt, ...) SWIM_PRINTF(3, 4);
void swimd_log_vwrite(swimd_log *log, swimd_log_level level,
                      const char *fmt, va_list ap) SWIM_PRINTF(3, 0);

/* The audit line of a modifying CIM operation, written at every level:
 *   audit: user="NAME" client=ADDR operation=OP object="PATH" result="TEXT"
 * `object` and `result` are quoted with \" and \\ escaped; NULL prints
 * as "-". Called by the CIM layer once the operation's outcome is known. */
void swimd_log_audit(swimd_log *log, const char *user, const char *client,
                     const char *operation, const char *object,
                     const char *result);

void swimd_log_free(swimd_log *log);

#endif
