/* SQL helpers of the host layer: statements, binding, errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/host_private.h"
#include "swim/error.h"
#include "util/str.h"

int swim_host__sql_error(swim_host *h, int rc)
{
	const char *msg = h->db ? sqlite3_errmsg(h->db) : sqlite3_errstr(rc);
	int code;

	switch (rc & 0xff) {
	case SQLITE_NOMEM:
		return swim_error_oom();
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		code = SWIM_EBUSY;
		break;
	case SQLITE_CONSTRAINT:
		code = SWIM_ECONFLICT;
		break;
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		code = SWIM_EACCESS;
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return swim_error_set(SWIM_EINVAL,
		                      "%s: not a swim database or damaged: %s",
		                      h->shown_db, msg);
	case SQLITE_TOOBIG:
		code = SWIM_ELIMIT;
		break;
	default:
		code = SWIM_EIO;
		break;
	}
	return swim_error_set(code, "%s: %s", h->shown_db, msg);
}

int swim_host__prepare(swim_host *h, sqlite3_stmt **st, const char *sql)
{
	int rc = sqlite3_prepare_v2(h->db, sql, -1, st, NULL);

	if (rc != SQLITE_OK) {
		*st = NULL;
		return swim_host__sql_error(h, rc);
	}
	return 0;
}

int swim_host__exec(swim_host *h, const char *sql)
{
	int rc = sqlite3_exec(h->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : swim_host__sql_error(h, rc);
}

int swim_host__step(swim_host *h, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return swim_host__sql_error(h, rc);
}

int swim_host__step_done(swim_host *h, sqlite3_stmt *st)
{
	int rc = swim_host__step(h, st);

	return rc > 0 ? 0 : rc;
}

int swim_host__bind_text(swim_host *h, sqlite3_stmt *st, int i,
                         const char *s)
{
	int rc = s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT)
	           : sqlite3_bind_null(st, i);

	return rc == SQLITE_OK ? 0 : swim_host__sql_error(h, rc);
}

int swim_host__bind_i64(swim_host *h, sqlite3_stmt *st, int i, int64_t v)
{
	int rc = sqlite3_bind_int64(st, i, v);

	return rc == SQLITE_OK ? 0 : swim_host__sql_error(h, rc);
}

int swim_host__column_text(char **out, sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	*out = NULL;
	if (!s)
		return 0;
	return (*out = swim_strdup((const char *)s)) ? 0 : SWIM_ENOMEM;
}

int swim_host__need_write(swim_host *h)
{
	if (h->writable)
		return 0;
	return swim_error_set(SWIM_EACCESS,
	                      "%s is open read-only; changes need the host "
	                      "opened for writing", h->root);
}

void swim_host_strv_free(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int swim_host__rows(void **out, size_t *n_out, size_t size, swim_host *h,
                    sqlite3_stmt *st, swim_host__row_fn fn)
{
	char *v = NULL;
	size_t n = 0;
	int rc;

	while ((rc = swim_host__step(h, st)) > 0) {
		char *nv = realloc(v, (n + 1) * size);

		if (!nv) {
			rc = swim_error_oom();
			break;
		}
		v = nv;
		memset(v + n * size, 0, size);
		n++;
		if ((rc = fn(v + (n - 1) * size, st, h)) < 0)
			break;
	}
	*out = v;
	*n_out = n;
	return rc;
}

static int text_row(void *elem, sqlite3_stmt *st, swim_host *h)
{
	(void)h;
	return swim_host__column_text(elem, st, 0);
}

int swim_host__strv_rows(char ***out, size_t *n_out, swim_host *h,
                         sqlite3_stmt *st)
{
	void *v = NULL;
	size_t n = 0;
	int rc = swim_host__rows(&v, &n, sizeof(char *), h, st, text_row);

	*out = NULL;
	*n_out = 0;
	if (rc < 0) {
		swim_host_strv_free(v, n);
		return rc;
	}
	*out = v;
	*n_out = n;
	return 0;
}

int swim_host__strv_query(char ***out, size_t *n_out, swim_host *h,
                          const char *sql, const char *p1, const char *p2)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*out = NULL;
	*n_out = 0;
	if ((rc = swim_host__prepare(h, &st, sql)) == 0 &&
	    (!p1 || (rc = swim_host__bind_text(h, st, 1, p1)) == 0) &&
	    (!p2 || (rc = swim_host__bind_text(h, st, 2, p2)) == 0))
		rc = swim_host__strv_rows(out, n_out, h, st);
	sqlite3_finalize(st);
	return rc;
}

int swim_host__int_query(int64_t *out, swim_host *h, const char *sql,
                         const char *param)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*out = 0;
	if ((rc = swim_host__prepare(h, &st, sql)) < 0 ||
	    (param && (rc = swim_host__bind_text(h, st, 1, param)) < 0))
		goto out;
	if ((rc = swim_host__step(h, st)) > 0) {
		*out = sqlite3_column_int64(st, 0);
		rc = 0;
	}
out:
	sqlite3_finalize(st);
	return rc;
}

int swim_host_begin(swim_host *h)
{
	char sql[48];
	int rc;

	if ((rc = swim_host__need_write(h)) < 0)
		return rc;
	if (h->tx_depth == 0)
		rc = swim_host__exec(h, "BEGIN IMMEDIATE");
	else {
		(void)snprintf(sql, sizeof(sql), "SAVEPOINT s%d", h->tx_depth);
		rc = swim_host__exec(h, sql);
	}
	if (rc == 0)
		h->tx_depth++;
	return rc;
}

/* An image set must always have its current image. */
static int check_current(swim_host *h)
{
	int64_t n;
	int rc = swim_host__int_query(&n, h,
	                              "SELECT count(*) FROM images WHERE slot = 'current'",
	                              NULL);

	if (rc == 0 && n != 1)
		rc = swim_error_set(SWIM_EINVAL,
		                    "%s: the transaction leaves the host without a "
		                    "current image", h->shown_db);
	return rc;
}

int swim_host_commit(swim_host *h)
{
	char sql[48];
	int rc;

	if (h->tx_depth <= 0)
		return swim_error_set(SWIM_EINVAL, "commit without begin");
	if (h->tx_depth > 1) {
		(void)snprintf(sql, sizeof(sql), "RELEASE s%d", h->tx_depth - 1);
		if ((rc = swim_host__exec(h, sql)) == 0)
			h->tx_depth--;
		return rc;
	}
	if ((rc = check_current(h)) < 0 ||
	    (rc = swim_host__exec(h, "COMMIT")) < 0) {
		swim_host_rollback(h);
		return rc;
	}
	h->tx_depth = 0;
	return 0;
}

void swim_host_rollback(swim_host *h)
{
	char sql[64];

	if (h->tx_depth <= 0)
		return;
	h->tx_depth--;
	if (h->tx_depth == 0) {
		/* A failed COMMIT may have ended the transaction already. */
		if (!sqlite3_get_autocommit(h->db))
			(void)sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
		return;
	}
	(void)snprintf(sql, sizeof(sql), "ROLLBACK TO s%d; RELEASE s%d",
	               h->tx_depth, h->tx_depth);
	(void)sqlite3_exec(h->db, sql, NULL, NULL, NULL);
}

int swim_host__finish(swim_host *h, int rc)
{
	if (rc == 0)
		return swim_host_commit(h);
	swim_host_rollback(h);
	return rc;
}
