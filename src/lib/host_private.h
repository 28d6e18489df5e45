/* Inside the host layer: the handle, SQL helpers and the schema, shared
 * by host*.c, image*.c, history.c, journal.c and store.c. */
#ifndef SWIM_LIB_HOST_PRIVATE_H
#define SWIM_LIB_HOST_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "swim/host.h"
#include "swim/image.h"

struct swim_host {
	char *root;          /* as given, "/" by default */
	char *shown_root;    /* root without trailing '/' ("" for "/") */
	char *shown_db;      /* ROOT/var/lib/swim/swim.db, for messages */
	int root_fd;         /* O_PATH directory */
	int state_fd;        /* ROOT/var/lib/swim, -1 when absent */
	char *state_dir;     /* its path as reached (inside the root) */
	sqlite3 *db;
	bool writable;
	bool has_database;   /* false: an in-memory empty host */
	int lock_fd;         /* -1 unless writable */
	int tx_depth;        /* open begin()s */
	swim_conf *conf;
	swim_limits limits;
	char *command;
	char *user;
};

/* ---- SQL helpers (host_sql.c) ---------------------------------------- */

/* Maps a SQLite result to a SWIM_E* code with "swim.db: <message>". */
int swim_host__sql_error(swim_host *h, int rc);

/* Prepares one statement. */
int swim_host__prepare(swim_host *h, sqlite3_stmt **st, const char *sql);

/* Runs SQL without results (one or more statements). */
int swim_host__exec(swim_host *h, const char *sql);

/* Steps a statement expected to finish (SQLITE_DONE): 0 or an error. */
int swim_host__step_done(swim_host *h, sqlite3_stmt *st);

/* Steps: 1 for a row, 0 when done, negative on error. */
int swim_host__step(swim_host *h, sqlite3_stmt *st);

/* Binds text (NULL binds NULL); 0 or an error. */
int swim_host__bind_text(swim_host *h, sqlite3_stmt *st, int i,
                         const char *s);
int swim_host__bind_i64(swim_host *h, sqlite3_stmt *st, int i, int64_t v);

/* A copy of a text column (NULL stays NULL). 0 or SWIM_ENOMEM. */
int swim_host__column_text(char **out, sqlite3_stmt *st, int i);

/* Ends what swim_host_begin() began: commit when rc is 0, else roll
 * back and return rc. */
int swim_host__finish(swim_host *h, int rc);

/* SWIM_EACCESS unless the host is open for writing. */
int swim_host__need_write(swim_host *h);

/* Reads every row of st into a growing array of `size`-byte elements:
 * each new element is zeroed, then fn fills it from the row. *out and
 * *n_out hold what was read even on failure (the element fn failed on
 * included), for the caller's free function. */
typedef int (*swim_host__row_fn)(void *elem, sqlite3_stmt *st, swim_host *h);
int swim_host__rows(void **out, size_t *n_out, size_t size, swim_host *h,
                    sqlite3_stmt *st, swim_host__row_fn fn);

/* The first column of every row of st as a string vector. */
int swim_host__strv_rows(char ***out, size_t *n_out, swim_host *h,
                         sqlite3_stmt *st);

/* Runs `sql` with up to two text parameters (NULL: none) and returns
 * the first column of every row as a string vector. */
int swim_host__strv_query(char ***out, size_t *n_out, swim_host *h,
                          const char *sql, const char *p1, const char *p2);

/* Reads the single integer a query returns (0 when no row). */
int swim_host__int_query(int64_t *out, swim_host *h, const char *sql,
                         const char *param);

/* ---- schema (host_schema.c) ------------------------------------------ */

/* 'SWIM' in PRAGMA application_id marks a swim database. */
#define SWIM_HOST_APPLICATION_ID 0x5357494d

/* Brings the database from its version to `target` (<= the latest) in
 * one transaction; creates it from version 0. */
int swim_host__migrate(swim_host *h, int target);

/* The SQL of migration `version` (1..latest), or NULL; for tests that
 * compare a fixture's schema with it. */
const char *swim_host__schema_sql(int version);

/* PRAGMA user_version / application_id checks: 0 with *version set,
 * SWIM_EINVAL for a foreign database, SWIM_ENOTSUPPORTED for a newer
 * schema. */
int swim_host__check_schema(swim_host *h, int *version);

/* ---- lock (host_lock.c) ---------------------------------------------- */

int swim_host__lock(swim_host *h, unsigned flags,
                    const swim_host_options *opt);
void swim_host__unlock(swim_host *h);

/* ---- shared by the image and history code ----------------------------- */

/* Text of a slot for SQL; the slot is checked. */
int swim_host__slot(const char **out, swim_image_slot slot);
/* The slot named s ("current", ...); SWIM_EINVAL for another name. */
int swim_host__slot_parse(swim_image_slot *out, const char *s);

#endif
