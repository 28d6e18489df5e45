/* swim — the host: the system under ROOT that swim manages, its database
 * ROOT/var/lib/swim/swim.db (SQLite) and its lock ROOT/var/lib/swim/lock.
 *
 * A host is opened read-only or for writing. Read-only takes no lock and
 * creates no file, so it works for a user who may read but not write the
 * root; a root without a database reads as an empty host. Writing takes
 * the lock (one writer per root: a second one waits, then fails with
 * SWIM_EBUSY naming the holder), creates the database on first use and
 * upgrades an older schema. Nothing is ever written outside ROOT: the
 * state directory is resolved inside the root, symlinks included.
 *
 * Every change is one SQLite transaction; callers that need several
 * changes to land together (the transaction engine) bracket them with
 * swim_host_begin() / swim_host_commit(), and the calls inside nest.
 * A handle is used by one thread at a time; threads that work at once
 * open their own. docs/host.md has the layout, the schema and the rules.
 */
#ifndef SWIM_HOST_H
#define SWIM_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "swim/acceptance.h"
#include "swim/buf.h"
#include "swim/conf.h"
#include "swim/limits.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct swim_host swim_host;

/* The schema version this swim writes; older databases are upgraded when
 * opened for writing (and in memory when opened read-only), newer ones
 * are refused. */
#define SWIM_HOST_SCHEMA_VERSION 3

/* swim_host_open() flags. */
#define SWIM_HOST_READ 0u
#define SWIM_HOST_WRITE (1u << 0)   /* take the lock, create, migrate */
#define SWIM_HOST_NOWAIT (1u << 1)  /* with WRITE: fail at once when locked */

/* Longest command line kept in the lock file and the history; longer
 * ones are cut. */
#define SWIM_HOST_COMMAND_MAX 4096

/* Called once while a writer waits for the lock, with "Waiting for the
 * lock held by <pid> (<command>)". */
typedef void (*swim_host_wait_fn)(void *ctx, const char *message);

typedef struct swim_host_options {
	const char *command;         /* command line, for the lock and history */
	const char *user;            /* who, for history; NULL: the real uid */
	const swim_limits *lim;      /* NULL: defaults + ROOT/etc/swim/swim.conf */
	swim_host_wait_fn on_wait;   /* NULL: wait silently */
	void *wait_ctx;
} swim_host_options;

/* Opens the host at `root` (NULL or "" means "/"), which must be a
 * directory. Reads ROOT/etc/swim/swim.conf (limits and settings).
 * flags: SWIM_HOST_READ, or SWIM_HOST_WRITE [| SWIM_HOST_NOWAIT].
 * Errors: SWIM_EINVAL (root is not a directory, swim.db is not a swim
 * database), SWIM_ENOTSUPPORTED (schema newer than this swim, naming both
 * versions), SWIM_EBUSY (locked; after lock_timeout_seconds unless
 * NOWAIT), SWIM_EACCESS. opt may be NULL.
 * @param[out] out closed with swim_host_close(). */
int swim_host_open(swim_host **out, const char *root, unsigned flags,
                   const swim_host_options *opt);

/* Closes the database and releases the lock. NULL-safe. */
void swim_host_close(swim_host *h);

/* The root as given ("/" for the default). Borrowed. */
const char *swim_host_root(const swim_host *h);
const swim_limits *swim_host_limits(const swim_host *h);
/* ROOT/etc/swim/swim.conf as read at open (settings: swim_conf_get()). */
const swim_conf *swim_host_conf(const swim_host *h);
bool swim_host_writable(const swim_host *h);
/* False for a read-only view of a root that has no database yet. */
bool swim_host_has_database(const swim_host *h);

/* Descriptors of ROOT (O_PATH) and of ROOT/var/lib/swim (write mode
 * only, -1 otherwise), for the transaction engine's *at() calls. Owned
 * by the host. */
int swim_host_root_fd(const swim_host *h);
int swim_host_state_fd(const swim_host *h);

/* Appends the path of ROOT/var/lib/swim/<rel> (e.g. "store", "staging")
 * as the host reaches it, for messages and for libraries that need a
 * path. */
int swim_host_state_path(swim_buf *out, const swim_host *h, const char *rel);

/* SQL transactions. begin opens one (BEGIN IMMEDIATE), or a savepoint
 * when one is open; commit and rollback close the innermost. Every
 * change function of libswim runs inside its own begin/commit, so it
 * joins an outer transaction. SWIM_EACCESS on a read-only host. */
int swim_host_begin(swim_host *h);
int swim_host_commit(swim_host *h);
void swim_host_rollback(swim_host *h);

/* ---- host state ------------------------------------------------------ */

typedef struct swim_host_state {
	swim_acceptance acceptance;  /* default partner */
	bool maintenance_mode;
	bool consistent;             /* false after a bypass (--force, ...) */
	char *inconsistent_reason;   /* NULL while consistent */
	char *inconsistent_since;    /* ISO 8601 UTC, NULL while consistent */
	char *created;               /* when the database was made */
} swim_host_state;

int swim_host_state_get(swim_host_state *out, swim_host *h);
void swim_host_state_dispose(swim_host_state *s);

/* Sets the host acceptance level. Refused with SWIM_EACCEPTANCE while
 * packages of the current or pending image are proven below `level`:
 * "Unable to set acceptance level of <level> due to installed VIBs <ids>
 * having a lower acceptance level." Recorded in the history. */
int swim_host_acceptance_set(swim_host *h, swim_acceptance level);

/* Enters (on) or leaves maintenance mode; recorded in the history. */
int swim_host_maintenance_set(swim_host *h, bool on);

/* A transaction that bypassed a check (--force, --no-sig-check) marks the
 * host inconsistent with its reason; the next transaction without a
 * bypass marks it consistent again. Marking an inconsistent host again
 * keeps the first date and joins the reasons. */
int swim_host_mark_inconsistent(swim_host *h, const char *reason);
int swim_host_mark_consistent(swim_host *h);

/* The process holding the lock, as "<pid> (<command>)", or NULL in *out
 * when nobody (or this host) holds it. Works read-only. */
int swim_host_lock_holder(char **out, swim_host *h);

/* ---- configured depots ----------------------------------------------- */

typedef struct swim_host_depot {
	char *name;
	char *url;       /* http(s):// or file:// URL, or an absolute path */
	bool enabled;
	char *added;     /* ISO 8601 UTC */
} swim_host_depot;

/* Adds a depot. Names are 1 to name_max_bytes of letters, digits, '.',
 * '_' and '-', starting with a letter or digit; the URL must be http://,
 * https://, file:// or an absolute path (a directory or a .zip).
 * SWIM_EEXISTS when the name or the URL is already configured. */
int swim_host_depot_add(swim_host *h, const char *name, const char *url);
/* SWIM_ENOTFOUND naming the depot when there is none of that name. */
int swim_host_depot_remove(swim_host *h, const char *name);
int swim_host_depot_enable(swim_host *h, const char *name, bool enabled);
/* The depots by name; only the enabled ones with enabled_only.
 * @param[out] out freed with swim_host_depot_list_free(). */
int swim_host_depot_list(swim_host_depot **out, size_t *n_out, swim_host *h,
                         bool enabled_only);
void swim_host_depot_list_free(swim_host_depot *v, size_t n);

/* Frees a string vector returned by a host function. NULL-safe. */
void swim_host_strv_free(char **v, size_t n);

#ifdef __cplusplus
}
#endif
#endif
