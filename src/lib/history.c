/* The host's history of changes. */
#include <stdlib.h>
#include <string.h>

#include "lib/host_private.h"
#include "swim/error.h"
#include "swim/history.h"
#include "util/str.h"
#include "util/time.h"

static const char *const result_names[] = {
	[SWIM_HISTORY_RUNNING] = "running",
	[SWIM_HISTORY_SUCCESS] = "success",
	[SWIM_HISTORY_FAILED] = "failed",
	[SWIM_HISTORY_INTERRUPTED] = "interrupted",
};

static const char *const action_names[] = {
	[SWIM_HISTORY_INSTALLED] = "installed",
	[SWIM_HISTORY_REMOVED] = "removed",
	[SWIM_HISTORY_SKIPPED] = "skipped",
};

const char *swim_history_result_name(swim_history_result r)
{
	if ((unsigned)r >= SWIM_ARRAY_SIZE(result_names))
		return "unknown";
	return result_names[r];
}

/* Runs `sql` with the texts v[0..3] as ?1..?4 (NULL binds NULL) and the
 * id as ?9 where the statement has them: one change, in its own (nested)
 * transaction. */
static int run(swim_host *h, const char *sql, int64_t id,
               const char *const v[4])
{
	sqlite3_stmt *st = NULL;
	int count, rc;

	if ((rc = swim_host_begin(h)) < 0)
		return rc;
	if ((rc = swim_host__prepare(h, &st, sql)) < 0)
		goto out;
	count = sqlite3_bind_parameter_count(st);
	for (int i = 0; i < 4 && i < count && rc == 0; i++)
		rc = swim_host__bind_text(h, st, i + 1, v[i]);
	if (rc == 0 && count >= 9)
		rc = swim_host__bind_i64(h, st, 9, id);
	if (rc == 0)
		rc = swim_host__step_done(h, st);
out:
	sqlite3_finalize(st);
	return swim_host__finish(h, rc);
}

int swim_history_begin(int64_t *id, swim_host *h, const char *operation)
{
	char now[SWIM_TIME_ISO_SIZE];
	const char *v[4] = { now, NULL, NULL, operation };
	int rc;

	*id = 0;
	if (!operation || !*operation)
		return swim_error_set(SWIM_EINVAL, "a history entry needs an operation");
	v[1] = h->user;
	v[2] = h->command;
	if ((rc = swim_time_now_iso(now)) < 0 ||
	    (rc = run(h, "INSERT INTO history (started, user, command, operation,"
	                 " result) VALUES (?1, ?2, ?3, ?4, 'running')", 0, v)) < 0)
		return rc;
	*id = sqlite3_last_insert_rowid(h->db);
	return 0;
}

int swim_history_add(swim_host *h, int64_t id, swim_history_action action,
                     const char *vib_id)
{
	const char *v[4] = { NULL, vib_id, NULL, NULL };

	if ((unsigned)action >= SWIM_ARRAY_SIZE(action_names) || !vib_id)
		return swim_error_set(SWIM_EINVAL, "bad history change");
	v[0] = action_names[action];
	return run(h, "INSERT INTO history_changes (history, seq, action, vib_id)"
	              " SELECT ?9, coalesce(max(seq), 0) + 1, ?1, ?2"
	              " FROM history_changes WHERE history = ?9", id, v);
}

int swim_history_finish(swim_host *h, int64_t id, swim_history_result result,
                        const char *message, bool reboot_required)
{
	char now[SWIM_TIME_ISO_SIZE];
	const char *v[4] = { now, NULL, message, reboot_required ? "1" : "0" };
	int rc;

	if (result == SWIM_HISTORY_RUNNING ||
	    (unsigned)result >= SWIM_ARRAY_SIZE(result_names))
		return swim_error_set(SWIM_EINVAL, "bad history result");
	v[1] = result_names[result];
	if ((rc = swim_time_now_iso(now)) < 0 ||
	    (rc = run(h, "UPDATE history SET finished = ?1, result = ?2,"
	                 " message = ?3, reboot_required = ?4 WHERE id = ?9",
	              id, v)) < 0)
		return rc;
	if (sqlite3_changes(h->db) == 0)
		return swim_error_set(SWIM_ENOTFOUND, "no history entry %lld",
		                      (long long)id);
	return 0;
}

int swim_history_record(swim_host *h, const char *operation,
                        swim_history_result result, const char *message)
{
	int64_t id;
	int rc;

	if ((rc = swim_host_begin(h)) < 0)
		return rc;
	if ((rc = swim_history_begin(&id, h, operation)) == 0)
		rc = swim_history_finish(h, id, result, message, false);
	return swim_host__finish(h, rc);
}

int swim_history_interrupt_running(swim_host *h, uint64_t *n_closed)
{
	char now[SWIM_TIME_ISO_SIZE];
	const char *v[4] = { now, NULL, NULL, NULL };
	int rc;

	if (n_closed)
		*n_closed = 0;
	if ((rc = swim_time_now_iso(now)) < 0 ||
	    (rc = run(h, "UPDATE history SET finished = ?1, result = 'interrupted',"
	                 " message = coalesce(message, 'The process running it"
	                 " stopped before it finished.')"
	                 " WHERE result = 'running'", 0, v)) < 0)
		return rc;
	if (n_closed)
		*n_closed = (uint64_t)sqlite3_changes(h->db);
	return 0;
}

static void entry_dispose(swim_history_entry *e)
{
	free(e->started);
	free(e->finished);
	free(e->user);
	free(e->command);
	free(e->operation);
	free(e->message);
	swim_host_strv_free(e->installed, e->n_installed);
	swim_host_strv_free(e->removed, e->n_removed);
	swim_host_strv_free(e->skipped, e->n_skipped);
}

void swim_history_list_free(swim_history_entry *v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		entry_dispose(&v[i]);
	free(v);
}

static int changes_read(swim_history_entry *e, swim_host *h)
{
	struct { char ***v; size_t *n; } lists[] = {
		[SWIM_HISTORY_INSTALLED] = { &e->installed, &e->n_installed },
		[SWIM_HISTORY_REMOVED] = { &e->removed, &e->n_removed },
		[SWIM_HISTORY_SKIPPED] = { &e->skipped, &e->n_skipped },
	};
	int rc = 0;

	for (size_t a = 0; a < SWIM_ARRAY_SIZE(lists) && rc == 0; a++) {
		sqlite3_stmt *st = NULL;

		if ((rc = swim_host__prepare(h, &st,
		                             "SELECT vib_id FROM history_changes"
		                             " WHERE history = ? AND action = ?"
		                             " ORDER BY seq")) == 0 &&
		    (rc = swim_host__bind_i64(h, st, 1, e->id)) == 0 &&
		    (rc = swim_host__bind_text(h, st, 2, action_names[a])) == 0)
			rc = swim_host__strv_rows(lists[a].v, lists[a].n, h, st);
		sqlite3_finalize(st);
	}
	return rc;
}

static int entry_read(void *elem, sqlite3_stmt *st, swim_host *h)
{
	const char *result = (const char *)sqlite3_column_text(st, 6);
	swim_history_entry *e = elem;
	int rc;

	e->id = sqlite3_column_int64(st, 0);
	e->reboot_required = sqlite3_column_int(st, 8) != 0;
	e->result = SWIM_HISTORY_FAILED;
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(result_names); i++)
		if (result && strcmp(result, result_names[i]) == 0)
			e->result = (swim_history_result)i;
	if ((rc = swim_host__column_text(&e->started, st, 1)) < 0 ||
	    (rc = swim_host__column_text(&e->finished, st, 2)) < 0 ||
	    (rc = swim_host__column_text(&e->user, st, 3)) < 0 ||
	    (rc = swim_host__column_text(&e->command, st, 4)) < 0 ||
	    (rc = swim_host__column_text(&e->operation, st, 5)) < 0 ||
	    (rc = swim_host__column_text(&e->message, st, 7)) < 0)
		return rc;
	return changes_read(e, h);
}

int swim_history_list(swim_history_entry **out, size_t *n_out, swim_host *h,
                      size_t max)
{
	sqlite3_stmt *st = NULL;
	void *v = NULL;
	size_t n = 0;
	int rc;

	*out = NULL;
	*n_out = 0;
	if ((rc = swim_host__prepare(h, &st,
	                             "SELECT * FROM (SELECT id, started, finished, user,"
	                             " command, operation, result, message, reboot_required"
	                             " FROM history ORDER BY id DESC LIMIT ?)"
	                             " ORDER BY id")) == 0 &&
	    (rc = swim_host__bind_i64(h, st, 1, max ? (int64_t)max : -1)) == 0)
		rc = swim_host__rows(&v, &n, sizeof(swim_history_entry), h, st,
		                     entry_read);
	sqlite3_finalize(st);
	if (rc < 0) {
		swim_history_list_free(v, n);
		return rc;
	}
	*out = v;
	*n_out = n;
	return 0;
}
