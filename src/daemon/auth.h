/* swimd — authentication of HTTP Basic credentials against the users file.
 *
 * A password hash costs milliseconds by design, so a verified password is
 * remembered for auth_cache_seconds, keyed by the user and an HMAC-SHA-256
 * of the password under a random per-process key (the plaintext is never
 * kept); requests with the same credentials then cost a hash lookup.
 * Failed logins are counted per user name in one-minute windows: past
 * auth_max_failures_per_minute further attempts for that name are refused
 * without checking the password until the window ends. Unknown names cost
 * a hash like known ones, so timing does not tell which names exist.
 *
 * One swimd_auth is shared by every HTTP worker thread; all calls are
 * thread-safe. The users file can be reloaded at any time (SIGHUP).
 */
#ifndef SWIMD_AUTH_H
#define SWIMD_AUTH_H

#include <stdint.h>

#include "daemon/users.h"
#include "swim/limits.h"

typedef struct swimd_auth swimd_auth;

typedef struct swimd_auth_stats {
	uint64_t cache_hits;      /* accepted without hashing */
	uint64_t verifications;   /* password hashes computed */
	uint64_t failures;        /* wrong user or password */
	uint64_t refused;         /* refused by the failure rate limit */
} swimd_auth_stats;

/* Uses lim's auth_cache_seconds, auth_max_failures_per_minute and
 * auth_max_failure_names (copied). Starts with no users.
 * @param[out] out freed with swimd_auth_free(). */
int swimd_auth_new(swimd_auth **out, const swim_limits *lim);

/* Loads the users file at `path` and remembers the path for
 * swimd_auth_reload(). A file without users is an error ("no users, no
 * start"). On any error the users loaded before stay in effect. */
int swimd_auth_load(swimd_auth *auth, const char *path);

/* Reads the remembered file again (SIGHUP); errors as swimd_auth_load().
 * Cached verifications are dropped, failure counts are kept. */
int swimd_auth_reload(swimd_auth *auth);

/* Replaces the users with `users` (taken over, even on error). */
int swimd_auth_set_users(swimd_auth *auth, swimd_users *users);

/* Checks one login at monotonic time `now_ms` (swimd_auth_now_ms()).
 * 0 with *role set; SWIM_EACCESS for an unknown user or a wrong password;
 * SWIM_ELIMIT when the name is over its failure limit, with
 * *retry_after_s the seconds until it may try again. */
int swimd_auth_check(swimd_role *role, unsigned *retry_after_s,
                     swimd_auth *auth, const char *user,
                     const char *password, uint64_t now_ms);

/* CLOCK_MONOTONIC in milliseconds. */
uint64_t swimd_auth_now_ms(void);

void swimd_auth_stats_get(swimd_auth *auth, swimd_auth_stats *out);

void swimd_auth_free(swimd_auth *auth);

#endif
