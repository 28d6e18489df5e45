/* The transaction journal: a plan recorded before files move. */
#include <stdlib.h>
#include <string.h>

#include "lib/host_private.h"
#include "swim/error.h"
#include "swim/journal.h"
#include "util/str.h"
#include "util/time.h"

static const char *const state_names[] = {
	[SWIM_JOURNAL_PLANNED] = "planned",
	[SWIM_JOURNAL_APPLYING] = "applying",
	[SWIM_JOURNAL_COMMITTED] = "committed",
};

static const char *const action_names[] = {
	[SWIM_JOURNAL_CREATE] = "create",
	[SWIM_JOURNAL_REPLACE] = "replace",
	[SWIM_JOURNAL_REMOVE] = "remove",
	[SWIM_JOURNAL_MKDIR] = "mkdir",
	[SWIM_JOURNAL_RMDIR] = "rmdir",
};

static const char *const step_names[] = {
	[SWIM_STEP_PLANNED] = "planned",
	[SWIM_STEP_DONE] = "done",
	[SWIM_STEP_UNDONE] = "undone",
};

/* Index of s in names, or -1. */
static int lookup(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

const char *swim_journal_state_name(swim_journal_state s)
{
	return (unsigned)s < SWIM_ARRAY_SIZE(state_names) ? state_names[s]
	                                                   : "unknown";
}

const char *swim_journal_action_name(swim_journal_action a)
{
	return (unsigned)a < SWIM_ARRAY_SIZE(action_names) ? action_names[a]
	                                                    : "unknown";
}

/* The journal's state, SWIM_ENOTFOUND when there is no such journal. */
static int journal_state(swim_journal_state *out, swim_host *h, int64_t txn)
{
	sqlite3_stmt *st = NULL;
	int rc, s = -1;

	if ((rc = swim_host__prepare(h, &st,
	                             "SELECT state FROM journal WHERE txn = ?")) == 0 &&
	    (rc = swim_host__bind_i64(h, st, 1, txn)) == 0 &&
	    (rc = swim_host__step(h, st)) > 0) {
		s = lookup(state_names, SWIM_ARRAY_SIZE(state_names),
		           (const char *)sqlite3_column_text(st, 0));
		rc = 0;
	} else if (rc == 0) {
		rc = swim_error_set(SWIM_ENOTFOUND, "no journal %lld",
		                    (long long)txn);
	}
	sqlite3_finalize(st);
	if (rc == 0 && s < 0)
		rc = swim_error_set(SWIM_EINVAL, "%s: journal %lld has an unknown "
		                    "state", h->shown_db, (long long)txn);
	*out = (swim_journal_state)(s < 0 ? 0 : s);
	return rc;
}

int swim_journal_begin(int64_t *txn, swim_host *h, int64_t history,
                       swim_image_slot target)
{
	char now[SWIM_TIME_ISO_SIZE];
	sqlite3_stmt *st = NULL;
	const char *slot;
	int rc;

	*txn = 0;
	if ((rc = swim_host__slot(&slot, target)) < 0 ||
	    (rc = swim_time_now_iso(now)) < 0 || (rc = swim_host_begin(h)) < 0)
		return rc;
	if ((rc = swim_host__prepare(h, &st,
	                             "INSERT INTO journal (history, target, state,"
	                             " created, updated)"
	                             " VALUES (?1, ?2, 'planned', ?3, ?3)")) == 0 &&
	    (rc = history ? swim_host__bind_i64(h, st, 1, history) : 0) == 0 &&
	    (rc = swim_host__bind_text(h, st, 2, slot)) == 0 &&
	    (rc = swim_host__bind_text(h, st, 3, now)) == 0 &&
	    (rc = swim_host__step_done(h, st)) == 0)
		*txn = sqlite3_last_insert_rowid(h->db);
	sqlite3_finalize(st);
	return swim_host__finish(h, rc);
}

int swim_journal_add(swim_host *h, int64_t txn, const swim_journal_step *steps,
                     size_t n)
{
	swim_journal_state state;
	sqlite3_stmt *st = NULL;
	int64_t last = 0;
	int rc;

	if ((rc = swim_host_begin(h)) < 0)
		return rc;
	if ((rc = journal_state(&state, h, txn)) < 0)
		goto out;
	if (state != SWIM_JOURNAL_PLANNED) {
		rc = swim_error_set(SWIM_EINVAL, "journal %lld is %s: steps are "
		                    "added only while planned", (long long)txn,
		                    swim_journal_state_name(state));
		goto out;
	}
	if ((rc = swim_host__prepare(h, &st,
	                             "SELECT coalesce(max(seq), 0) FROM journal_steps"
	                             " WHERE txn = ?")) < 0 ||
	    (rc = swim_host__bind_i64(h, st, 1, txn)) < 0 ||
	    (rc = swim_host__step(h, st)) < 0)
		goto out;
	last = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if ((rc = swim_host__prepare(h, &st,
	                             "INSERT INTO journal_steps (txn, seq, action, path,"
	                             " staged, backup) VALUES (?, ?, ?, ?, ?, ?)")) < 0)
		goto out;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const swim_journal_step *s = &steps[i];

		if ((unsigned)s->action >= SWIM_ARRAY_SIZE(action_names) ||
		    !s->path || !*s->path) {
			rc = swim_error_set(SWIM_EINVAL, "journal step %zu: bad action "
			                    "or no path", i + 1);
			break;
		}
		sqlite3_reset(st);
		if ((rc = swim_host__bind_i64(h, st, 1, txn)) == 0 &&
		    (rc = swim_host__bind_i64(h, st, 2, last + (int64_t)i + 1)) == 0 &&
		    (rc = swim_host__bind_text(h, st, 3, action_names[s->action])) == 0 &&
		    (rc = swim_host__bind_text(h, st, 4, s->path)) == 0 &&
		    (rc = swim_host__bind_text(h, st, 5, s->staged)) == 0 &&
		    (rc = swim_host__bind_text(h, st, 6, s->backup)) == 0)
			rc = swim_host__step_done(h, st);
	}
out:
	sqlite3_finalize(st);
	return swim_host__finish(h, rc);
}

int swim_journal_set_state(swim_host *h, int64_t txn,
                           swim_journal_state state)
{
	char now[SWIM_TIME_ISO_SIZE];
	swim_journal_state old;
	sqlite3_stmt *st = NULL;
	int rc;

	if ((unsigned)state >= SWIM_ARRAY_SIZE(state_names))
		return swim_error_set(SWIM_EINVAL, "bad journal state %d",
		                      (int)state);
	if ((rc = swim_host_begin(h)) < 0)
		return rc;
	if ((rc = journal_state(&old, h, txn)) == 0 && state != old + 1)
		rc = swim_error_set(SWIM_EINVAL, "journal %lld cannot go from %s "
		                    "to %s", (long long)txn,
		                    swim_journal_state_name(old),
		                    swim_journal_state_name(state));
	if (rc == 0)
		rc = swim_time_now_iso(now);
	if (rc == 0 &&
	    (rc = swim_host__prepare(h, &st, "UPDATE journal SET state = ?1,"
	                                     " updated = ?2 WHERE txn = ?3")) == 0 &&
	    (rc = swim_host__bind_text(h, st, 1, state_names[state])) == 0 &&
	    (rc = swim_host__bind_text(h, st, 2, now)) == 0 &&
	    (rc = swim_host__bind_i64(h, st, 3, txn)) == 0)
		rc = swim_host__step_done(h, st);
	sqlite3_finalize(st);
	return swim_host__finish(h, rc);
}

int swim_journal_mark(swim_host *h, int64_t txn, uint64_t first,
                      uint64_t last, swim_step_state state)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((unsigned)state >= SWIM_ARRAY_SIZE(step_names) || first > last ||
	    last > INT64_MAX)
		return swim_error_set(SWIM_EINVAL, "bad journal step range");
	if ((rc = swim_host_begin(h)) < 0)
		return rc;
	if ((rc = swim_host__prepare(h, &st,
	                             "UPDATE journal_steps SET state = ?1"
	                             " WHERE txn = ?2 AND seq BETWEEN ?3 AND ?4")) == 0 &&
	    (rc = swim_host__bind_text(h, st, 1, step_names[state])) == 0 &&
	    (rc = swim_host__bind_i64(h, st, 2, txn)) == 0 &&
	    (rc = swim_host__bind_i64(h, st, 3, (int64_t)first)) == 0 &&
	    (rc = swim_host__bind_i64(h, st, 4, (int64_t)last)) == 0 &&
	    (rc = swim_host__step_done(h, st)) == 0 &&
	    (uint64_t)sqlite3_changes(h->db) != last - first + 1)
		rc = swim_error_set(SWIM_ENOTFOUND, "journal %lld has no steps "
		                    "%llu to %llu", (long long)txn,
		                    (unsigned long long)first,
		                    (unsigned long long)last);
	sqlite3_finalize(st);
	return swim_host__finish(h, rc);
}

void swim_journal_list_free(swim_journal *v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++) {
		free(v[i].created);
		free(v[i].updated);
	}
	free(v);
}

static int journal_read(void *elem, sqlite3_stmt *st, swim_host *h)
{
	swim_journal *j = elem;
	int state = lookup(state_names, SWIM_ARRAY_SIZE(state_names),
	                   (const char *)sqlite3_column_text(st, 3));
	int rc;

	(void)h;
	j->txn = sqlite3_column_int64(st, 0);
	j->history = sqlite3_column_int64(st, 1);
	j->n_steps = (uint64_t)sqlite3_column_int64(st, 6);
	if (swim_host__slot_parse(&j->target,
	                          (const char *)sqlite3_column_text(st, 2)) < 0 ||
	    state < 0)
		return swim_error_set(SWIM_EINVAL, "journal %lld: unknown target "
		                      "or state", (long long)j->txn);
	j->state = (swim_journal_state)state;
	if ((rc = swim_host__column_text(&j->created, st, 4)) < 0 ||
	    (rc = swim_host__column_text(&j->updated, st, 5)) < 0)
		return rc;
	return 0;
}

int swim_journal_unfinished(swim_journal **out, size_t *n_out, swim_host *h)
{
	sqlite3_stmt *st = NULL;
	void *v = NULL;
	size_t n = 0;
	int rc;

	*out = NULL;
	*n_out = 0;
	if ((rc = swim_host__prepare(h, &st,
	                             "SELECT j.txn, coalesce(j.history, 0), j.target,"
	                             " j.state, j.created, j.updated,"
	                             " (SELECT count(*) FROM journal_steps s"
	                             "  WHERE s.txn = j.txn)"
	                             " FROM journal j ORDER BY j.txn")) == 0)
		rc = swim_host__rows(&v, &n, sizeof(swim_journal), h, st,
		                     journal_read);
	sqlite3_finalize(st);
	if (rc < 0) {
		swim_journal_list_free(v, n);
		return rc;
	}
	*out = v;
	*n_out = n;
	return 0;
}

int swim_journal_foreach(swim_host *h, int64_t txn, bool reverse,
                         swim_journal_step_fn fn, void *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = swim_host__prepare(h, &st,
	                             reverse
	                             ? "SELECT seq, action, path, staged, backup, state"
	                               " FROM journal_steps WHERE txn = ?"
	                               " ORDER BY seq DESC"
	                             : "SELECT seq, action, path, staged, backup, state"
	                               " FROM journal_steps WHERE txn = ?"
	                               " ORDER BY seq")) < 0 ||
	    (rc = swim_host__bind_i64(h, st, 1, txn)) < 0)
		goto out;
	while ((rc = swim_host__step(h, st)) > 0) {
		int action = lookup(action_names, SWIM_ARRAY_SIZE(action_names),
		                    (const char *)sqlite3_column_text(st, 1));
		int state = lookup(step_names, SWIM_ARRAY_SIZE(step_names),
		                   (const char *)sqlite3_column_text(st, 5));
		swim_journal_step s = {
			.seq = (uint64_t)sqlite3_column_int64(st, 0),
			.action = (swim_journal_action)(action < 0 ? 0 : action),
			.path = (const char *)sqlite3_column_text(st, 2),
			.staged = (const char *)sqlite3_column_text(st, 3),
			.backup = (const char *)sqlite3_column_text(st, 4),
			.state = (swim_step_state)(state < 0 ? 0 : state),
		};

		if (action < 0 || state < 0) {
			rc = swim_error_set(SWIM_EINVAL, "journal %lld step %llu: "
			                    "unknown action or state", (long long)txn,
			                    (unsigned long long)s.seq);
			goto out;
		}
		if ((rc = fn(&s, ctx)) != 0)
			goto out;
	}
out:
	sqlite3_finalize(st);
	return rc;
}

int swim_journal_end(swim_host *h, int64_t txn)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = swim_host_begin(h)) < 0)
		return rc;
	if ((rc = swim_host__prepare(h, &st,
	                             "DELETE FROM journal WHERE txn = ?")) == 0 &&
	    (rc = swim_host__bind_i64(h, st, 1, txn)) == 0 &&
	    (rc = swim_host__step_done(h, st)) == 0 && sqlite3_changes(h->db) == 0)
		rc = swim_error_set(SWIM_ENOTFOUND, "no journal %lld",
		                    (long long)txn);
	sqlite3_finalize(st);
	return swim_host__finish(h, rc);
}
