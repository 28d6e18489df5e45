#include <crypt.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "daemon/auth.h"
#include "swim/error.h"
#include "util/str.h"

#define WINDOW_MS 60000u
#define DIGEST_LEN 32

/* One verified password per user: a user has one password at a time. */
struct cache_entry {
	char name[SWIMD_USER_NAME_MAX + 1];
	unsigned char digest[DIGEST_LEN];
	swimd_role role;
	uint64_t expires_ms;
	bool failed_since;   /* failures were counted after it was cached */
};

struct failure_entry {
	char name[SWIMD_USER_NAME_MAX + 1];
	uint64_t window_start_ms;
	uint64_t count;
};

struct swimd_auth {
	pthread_mutex_t lock;
	swimd_users *users;
	uint64_t generation;          /* bumped by every users change */
	char *path;
	char *dummy_hash;             /* verified for unknown names */
	unsigned char key[32];        /* HMAC key of the cache */
	EVP_MAC_CTX *mac;             /* HMAC-SHA-256 keyed with it, copied
	                               * for each use: no algorithm lookup
	                               * (and its locks) per request */
	uint64_t cache_ms;
	uint64_t max_failures;
	struct cache_entry *cache;    /* at most one per user */
	size_t n_cache;
	struct failure_entry *failed; /* at most max_failure_names */
	size_t n_failed, max_failed;
	swimd_auth_stats stats;
};

uint64_t swimd_auth_now_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void swimd_auth_free(swimd_auth *auth)
{
	if (!auth)
		return;
	(void)pthread_mutex_destroy(&auth->lock);
	swimd_users_free(auth->users);
	free(auth->path);
	free(auth->dummy_hash);
	free(auth->cache);
	free(auth->failed);
	EVP_MAC_CTX_free(auth->mac);
	explicit_bzero(auth->key, sizeof(auth->key));
	free(auth);
}

static int mac_init(swimd_auth *auth)
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
		                                 (char *)"SHA256", 0),
		OSSL_PARAM_construct_end()
	};
	EVP_MAC *hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);

	auth->mac = hmac ? EVP_MAC_CTX_new(hmac) : NULL;
	EVP_MAC_free(hmac);
	if (!auth->mac ||
	    !EVP_MAC_init(auth->mac, auth->key, sizeof(auth->key), params))
		return swim_error_set(SWIM_ERROR, "HMAC-SHA-256 is not available "
		                      "from OpenSSL");
	return 0;
}

int swimd_auth_new(swimd_auth **out, const swim_limits *lim)
{
	swimd_auth *auth = NULL;
	unsigned char junk[16];
	char junk_hex[sizeof(junk) * 2 + 1];
	int rc;

	*out = NULL;
	if (!(auth = calloc(1, sizeof(*auth))))
		return swim_error_oom();
	if (pthread_mutex_init(&auth->lock, NULL) != 0) {
		free(auth);
		return swim_error_oom();
	}
	auth->cache_ms = lim->auth_cache_seconds * 1000u;
	auth->max_failures = lim->auth_max_failures_per_minute;
	auth->max_failed = lim->auth_max_failure_names;
	if (RAND_bytes(auth->key, sizeof(auth->key)) != 1 ||
	    RAND_bytes(junk, sizeof(junk)) != 1) {
		rc = swim_error_set(SWIM_ERROR, "no random bytes from OpenSSL");
		goto out;
	}
	for (size_t i = 0; i < sizeof(junk); i++)
		(void)snprintf(junk_hex + 2 * i, 3, "%02x", junk[i]);
	if ((rc = mac_init(auth)) < 0 ||
	    (rc = swimd_password_hash(&auth->dummy_hash, junk_hex)) < 0 ||
	    (rc = swimd_users_new(&auth->users)) < 0 ||
	    !(auth->failed = calloc(auth->max_failed, sizeof(*auth->failed)))) {
		rc = rc < 0 ? rc : swim_error_oom();
		goto out;
	}
	*out = auth;
	auth = NULL;
out:
	swimd_auth_free(auth);
	return rc;
}

int swimd_auth_set_users(swimd_auth *auth, swimd_users *users)
{
	struct cache_entry *cache;
	size_t n = swimd_users_count(users);

	if (n == 0) {
		swimd_users_free(users);
		return swim_error_set(SWIM_EINVAL,
		                      "no users; add one with swimd --users FILE "
		                      "--add-user NAME --role admin");
	}
	if (!(cache = calloc(n, sizeof(*cache)))) {
		swimd_users_free(users);
		return swim_error_oom();
	}
	(void)pthread_mutex_lock(&auth->lock);
	swimd_users_free(auth->users);
	auth->users = users;
	free(auth->cache);
	auth->cache = cache;
	auth->n_cache = 0;
	auth->generation++;
	(void)pthread_mutex_unlock(&auth->lock);
	return 0;
}

int swimd_auth_load(swimd_auth *auth, const char *path)
{
	swimd_users *users = NULL;
	char *copy;
	int rc;

	if (!(copy = swim_strdup(path)))
		return SWIM_ENOMEM;
	rc = swimd_users_load(&users, path);
	if (rc == 0 && (rc = swimd_auth_set_users(auth, users)) < 0)
		(void)swim_error_prefix("users file %s: ", path);
	if (rc < 0) {
		free(copy);
		return rc;
	}
	free(auth->path);
	auth->path = copy;
	return 0;
}

int swimd_auth_reload(swimd_auth *auth)
{
	char *path;
	int rc;

	if (!auth->path)
		return swim_error_set(SWIM_EINVAL, "no users file was loaded");
	/* load replaces auth->path; keep ours alive meanwhile. */
	if (!(path = swim_strdup(auth->path)))
		return SWIM_ENOMEM;
	rc = swimd_auth_load(auth, path);
	free(path);
	return rc;
}

static struct cache_entry *cache_find(swimd_auth *auth, const char *name)
{
	for (size_t i = 0; i < auth->n_cache; i++)
		if (strcmp(auth->cache[i].name, name) == 0)
			return &auth->cache[i];
	return NULL;
}

static struct failure_entry *failure_find(swimd_auth *auth,
                                          const char *name)
{
	for (size_t i = 0; i < auth->n_failed; i++)
		if (strcmp(auth->failed[i].name, name) == 0)
			return &auth->failed[i];
	return NULL;
}

/* The entry to count a new failure of `name` in: its own, a free one, one
 * whose window is over, or (the table full of live windows) the oldest,
 * so a flood of names costs each of them a hash and a stale slot. */
static struct failure_entry *failure_slot(swimd_auth *auth, const char *name,
                                          uint64_t now)
{
	struct failure_entry *e = failure_find(auth, name);

	if (e)
		return e;
	if (auth->n_failed < auth->max_failed) {
		e = &auth->failed[auth->n_failed++];
	} else {
		/* max_failed >= 1: the table is never empty here. */
		e = &auth->failed[0];
		for (size_t i = 0; i < auth->n_failed; i++) {
			struct failure_entry *f = &auth->failed[i];

			if (now - f->window_start_ms >= WINDOW_MS) {
				e = f;
				break;
			}
			if (f->window_start_ms < e->window_start_ms)
				e = f;
		}
	}
	(void)snprintf(e->name, sizeof(e->name), "%s", name);
	e->window_start_ms = now;
	e->count = 0;
	return e;
}

static void failure_forget(swimd_auth *auth, const char *name)
{
	struct failure_entry *e = failure_find(auth, name);

	if (e)
		*e = auth->failed[--auth->n_failed];
}

static int digest_password(unsigned char out[DIGEST_LEN], swimd_auth *auth,
                           const char *password)
{
	EVP_MAC_CTX *mac = EVP_MAC_CTX_dup(auth->mac);
	size_t len = 0;
	bool ok;

	ok = mac && EVP_MAC_update(mac, (const unsigned char *)password,
	                           strlen(password)) &&
	     EVP_MAC_final(mac, out, &len, DIGEST_LEN) && len == DIGEST_LEN;
	EVP_MAC_CTX_free(mac);
	return ok ? 0 : swim_error_set(SWIM_ERROR, "HMAC-SHA-256 failed");
}

/* Under the lock: a cached verification of these credentials, or the
 * failure limit. 1 when decided (rc in *rc), 0 when the hash must say. */
static int decide_early(int *rc, swimd_role *role, unsigned *retry_after_s,
                        swimd_auth *auth, const char *user,
                        const unsigned char *digest, uint64_t now)
{
	struct cache_entry *c = cache_find(auth, user);
	struct failure_entry *f;

	if (c && now < c->expires_ms &&
	    CRYPTO_memcmp(c->digest, digest, DIGEST_LEN) == 0) {
		auth->stats.cache_hits++;
		/* A success forgets failures; the flag keeps the common
		 * hit from searching the failure table. */
		if (c->failed_since) {
			failure_forget(auth, user);
			c->failed_since = false;
		}
		*role = c->role;
		*rc = 0;
		return 1;
	}
	f = failure_find(auth, user);
	if (f && now - f->window_start_ms < WINDOW_MS &&
	    f->count >= auth->max_failures) {
		uint64_t left = f->window_start_ms + WINDOW_MS - now;

		auth->stats.refused++;
		*retry_after_s = (unsigned)((left + 999) / 1000);
		*rc = swim_error_set(SWIM_ELIMIT,
		                     "too many failed logins for user '%s'; "
		                     "retry in %u seconds", user, *retry_after_s);
		return 1;
	}
	return 0;
}

/* Under the lock: remembers the outcome of a hash verification. */
static void record(swimd_auth *auth, const char *user, bool ok, bool known,
                   swimd_role role, const unsigned char *digest,
                   uint64_t generation, uint64_t now)
{
	struct cache_entry *c;
	struct failure_entry *f;

	auth->stats.verifications++;
	if (!ok) {
		auth->stats.failures++;
		if ((c = cache_find(auth, user)))
			c->failed_since = true;
		f = failure_slot(auth, user, now);
		if (now - f->window_start_ms >= WINDOW_MS) {
			f->window_start_ms = now;
			f->count = 0;
		}
		f->count++;
		return;
	}
	failure_forget(auth, user);
	/* Users reloaded while hashing: the hash may be stale, do not
	 * cache what it said. */
	if (!known || generation != auth->generation || auth->cache_ms == 0)
		return;
	if (!(c = cache_find(auth, user))) {
		c = &auth->cache[auth->n_cache++];
		(void)snprintf(c->name, sizeof(c->name), "%s", user);
	}
	memcpy(c->digest, digest, DIGEST_LEN);
	c->role = role;
	c->failed_since = false;
	c->expires_ms = now + auth->cache_ms;
}

int swimd_auth_check(swimd_role *role, unsigned *retry_after_s,
                     swimd_auth *auth, const char *user,
                     const char *password, uint64_t now_ms)
{
	unsigned char digest[DIGEST_LEN];
	char hash[CRYPT_OUTPUT_SIZE] = "";
	swimd_role found_role = SWIMD_ROLE_READONLY;
	const swimd_user *u;
	uint64_t generation;
	bool known = false, ok;
	int rc = 0;

	*retry_after_s = 0;
	if (!user || !password || !swimd_user_name_valid(user) ||
	    strlen(password) > SWIMD_PASSWORD_MAX) {
		(void)pthread_mutex_lock(&auth->lock);
		auth->stats.failures++;
		(void)pthread_mutex_unlock(&auth->lock);
		return swim_error_set(SWIM_EACCESS,
		                      "unknown user or wrong password");
	}
	if ((rc = digest_password(digest, auth, password)) < 0)
		return rc;
	(void)pthread_mutex_lock(&auth->lock);
	if (decide_early(&rc, role, retry_after_s, auth, user, digest, now_ms)) {
		(void)pthread_mutex_unlock(&auth->lock);
		goto out;
	}
	if ((u = swimd_users_find(auth->users, user))) {
		known = true;
		found_role = u->role;
		(void)snprintf(hash, sizeof(hash), "%s", u->hash);
	} else {
		(void)snprintf(hash, sizeof(hash), "%s", auth->dummy_hash);
	}
	generation = auth->generation;
	(void)pthread_mutex_unlock(&auth->lock);

	/* The slow part, outside the lock so workers hash in parallel. */
	rc = swimd_password_verify(hash, password);
	if (rc == SWIM_ENOMEM)
		goto out;
	ok = rc == 0 && known;
	(void)pthread_mutex_lock(&auth->lock);
	record(auth, user, ok, known, found_role, digest, generation, now_ms);
	(void)pthread_mutex_unlock(&auth->lock);
	if (!ok) {
		rc = swim_error_set(SWIM_EACCESS,
		                    "unknown user or wrong password");
		goto out;
	}
	*role = found_role;
	rc = 0;
out:
	explicit_bzero(digest, sizeof(digest));
	return rc;
}

void swimd_auth_stats_get(swimd_auth *auth, swimd_auth_stats *out)
{
	(void)pthread_mutex_lock(&auth->lock);
	*out = auth->stats;
	(void)pthread_mutex_unlock(&auth->lock);
}
