/* Applying a planned change to the files under the root, atomically:
 *
 *   plan → journal (planned) → payload store → staged files
 *   → journal applying → swap (rename, old files kept) → syncfs
 *   → one SQL transaction: the database changes + journal committed
 *   → cleanup (old files deleted) → syncfs → journal ended
 *
 * docs/transaction.md explains why a kill at any point leaves a state
 * that swim_txn_undo() or swim_txn_finish() turns into exactly the
 * before or the after state. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/host_private.h"
#include "lib/transaction_private.h"
#include "swim/error.h"
#include "swim/history.h"
#include "swim/store.h"
#include "util/str.h"

void swim_txn_apply_dispose(swim_txn_apply *a)
{
	swim_host_package_list_free(a->before, a->n_before);
	a->before = NULL;
	a->n_before = 0;
	for (size_t i = 0; i < a->n_steps; i++) {
		free(a->steps[i].path);
		free(a->steps[i].staged);
		free(a->steps[i].backup);
	}
	free(a->steps);
	a->steps = NULL;
	a->n_steps = 0;
	for (size_t i = 0; i < a->n_jobs; i++)
		swim_strmap_dispose(&a->jobs[i].want);
	free(a->jobs);
	a->jobs = NULL;
	a->n_jobs = 0;
	for (size_t i = 0; i < a->n_sync_fds; i++)
		(void)close(a->sync_fds[i]);
	free(a->sync_fds);
	a->sync_fds = NULL;
	a->n_sync_fds = 0;
	free(a->stored);
	a->stored = NULL;
	a->n_stored = 0;
}

static const char *base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int record_journal(swim_txn_apply *a)
{
	swim_journal_step *v = calloc(a->n_steps + 1, sizeof(*v));
	int rc;

	if (!v)
		return swim_error_oom();
	for (size_t i = 0; i < a->n_steps; i++)
		v[i] = (swim_journal_step){
			.action = a->steps[i].action, .path = a->steps[i].path,
			.staged = a->steps[i].staged, .backup = a->steps[i].backup,
		};
	if ((rc = swim_journal_begin(&a->txn, a->h, a->history,
	                             a->target)) == 0)
		rc = swim_journal_add(a->h, a->txn, v, a->n_steps);
	free(v);
	return rc;
}

/* Moves every changed path into place; old files go to their backups. */
static int swap(swim_txn_apply *a, swim_rootdir *root)
{
	swim_txn_meter *m = a->meter;
	int rc;

	for (size_t i = a->file_base; i < a->n_steps; i++) {
		const swim_txn_step *s = &a->steps[i];
		const char *name;
		int dfd;

		if (s->action == SWIM_JOURNAL_RMDIR)
			continue;
		if ((rc = swim_fault_hit(a->fault, "swap")) < 0)
			return swim_rootdir_fail(root, -rc, "renaming", s->path);
		if ((rc = swim_rootdir_parent(&dfd, &name, root, s->path)) < 0)
			return rc;
		if ((s->action == SWIM_JOURNAL_REPLACE ||
		     s->action == SWIM_JOURNAL_REMOVE) &&
		    renameat(dfd, name, dfd, base(s->backup)) < 0)
			return swim_rootdir_fail(root, errno, "moving the old file "
			                         "aside", s->path);
		if (s->action == SWIM_JOURNAL_CREATE &&
		    renameat2(dfd, base(s->staged), dfd, name,
		              RENAME_NOREPLACE) < 0)
			return swim_rootdir_fail(root, errno, "putting the new file "
			                         "in place", s->path);
		if (s->action == SWIM_JOURNAL_REPLACE &&
		    renameat(dfd, base(s->staged), dfd, name) < 0)
			return swim_rootdir_fail(root, errno, "putting the new file "
			                         "in place", s->path);
		atomic_fetch_add(&m->done, 1);
		if ((i & 1023) == 0)
			(void)swim_txn_meter_report(m);
	}
	return 0;
}

/* One syncfs per file system the transaction touched: staged data,
 * renames, directories and the payload store are on disk before the
 * database says the transaction happened. */
static int sync_all(swim_txn_apply *a)
{
	int rc;

	if ((rc = swim_fault_point(a->fault, "sync")) < 0)
		return rc;
	for (size_t i = 0; i < a->n_sync_fds; i++)
		if (syncfs(a->sync_fds[i]) < 0)
			return swim_error_set_errno(SWIM_EIO, errno, "syncing the "
			                            "file system of %s",
			                            swim_host_root(a->h));
	return 0;
}

static int commit_database(swim_txn_apply *a)
{
	swim_host *h = a->h;
	int rc;

	if ((rc = swim_host_begin(h)) < 0)
		return rc;
	if ((rc = a->commit(a->commit_ctx)) < 0)
		goto out;
	for (size_t i = 0; i < a->n_stored && rc == 0; i++) {
		uint64_t size = 0;

		for (size_t k = 0; k < a->n_arriving && !size; k++)
			for (size_t p = 0; p < a->arriving[k]->pkg->n_payloads; p++) {
				const swim_payload *pay = &a->arriving[k]->pkg->payloads[p];
				const swim_checksum *c =
					swim_payload_checksum(pay, "sha-256", NULL);

				if (c && strcmp(c->value, a->stored[i]) == 0)
					size = pay->size;
			}
		rc = swim_store_add(h, a->stored[i], size);
	}
	if (rc == 0)
		rc = swim_journal_set_state(h, a->txn, SWIM_JOURNAL_COMMITTED);
	if (rc == 0)
		rc = swim_fault_point(a->fault, "commit");
out:
	if (rc < 0) {
		swim_host_rollback(h);
		return rc;
	}
	return swim_host_commit(h);
}

/* Deletes stored payloads the database does not list (a failed run). */
static void forget_stored(swim_txn_apply *a)
{
	for (size_t i = 0; i < a->n_stored; i++) {
		bool present = false;
		char rel[16];
		int dfd;

		if (swim_store_get(&present, NULL, a->h, a->stored[i]) < 0 ||
		    present)
			continue;
		(void)snprintf(rel, sizeof(rel), "store/%.2s", a->stored[i]);
		if (swim_txn_state_dir(&dfd, a->h, rel, false) < 0)
			continue;
		(void)unlinkat(dfd, a->stored[i], 0);
		(void)close(dfd);
	}
	swim_error_clear();
}

/* Undoes what a failed run left, keeping its error message. */
static int roll_back(swim_txn_apply *a, int rc)
{
	swim_journal j = { .txn = a->txn, .history = a->history,
	                   .target = a->target, .state = SWIM_JOURNAL_APPLYING };
	char *msg = swim_strdup(swim_error_last());
	int urc = 0;

	if (a->txn)
		urc = swim_txn_undo(a->h, &j, a->fault, -1, NULL);
	forget_stored(a);
	if (urc < 0)
		(void)swim_error_set(rc, "%s; undoing it failed too (%s): the "
		                     "next swim command that writes will finish "
		                     "the rollback", msg ? msg : "",
		                     swim_error_last());
	else
		(void)swim_error_set(rc, "%s", msg ? msg : swim_error_name(rc));
	free(msg);
	return rc;
}

int swim_txn_apply_run(swim_txn_apply *a)
{
	swim_txn_meter *m = a->meter;
	swim_rootdir *root = NULL;
	swim_journal j;
	size_t n_swaps = 0;
	int rc;

	if ((rc = swim_txn_meter_phase(m, SWIM_TRANSACTION_STAGE, 0,
	                               "Planning the file changes")) < 0 ||
	    (rc = swim_txn_plan_files(a)) < 0 ||
	    (rc = swim_fault_point(a->fault, "plan")) < 0 ||
	    (rc = record_journal(a)) < 0 ||
	    (rc = swim_fault_point(a->fault, "journal")) < 0)
		goto fail;
	m->total = a->store_bytes + a->stage_bytes;
	if ((rc = swim_txn_meter_status(m, "Storing payloads")) < 0 ||
	    (rc = swim_txn_store_payloads(a)) < 0 ||
	    (rc = swim_txn_meter_status(m, "Staging files")) < 0 ||
	    (rc = swim_txn_stage(a)) < 0)
		goto fail;
	for (size_t i = a->file_base; i < a->n_steps; i++)
		n_swaps += a->steps[i].action != SWIM_JOURNAL_RMDIR;
	/* From here on the transaction finishes: no more cancelling. */
	m->locked = true;
	(void)swim_txn_meter_phase(m, SWIM_TRANSACTION_COMMIT, n_swaps,
	                           "Putting the new files in place");
	if ((rc = swim_rootdir_new(&root, swim_host_root_fd(a->h),
	                           a->h->shown_root)) < 0 ||
	    (rc = swim_journal_set_state(a->h, a->txn,
	                                 SWIM_JOURNAL_APPLYING)) < 0 ||
	    (rc = swim_fault_point(a->fault, "applying")) < 0 ||
	    (rc = swap(a, root)) < 0 || (rc = sync_all(a)) < 0 ||
	    (rc = commit_database(a)) < 0)
		goto fail;
	swim_rootdir_free(root);
	root = NULL;
	(void)swim_fault_hit(a->fault, "committed");
	(void)swim_txn_meter_phase(m, SWIM_TRANSACTION_CLEANUP, 0,
	                           "Deleting the old files");
	j = (swim_journal){ .txn = a->txn, .history = a->history,
	                    .target = a->target,
	                    .state = SWIM_JOURNAL_COMMITTED };
	/* The transaction happened: a failure to clean up is left to the
	 * next recovery, not reported as a failed transaction. */
	if (swim_txn_finish(a->h, &j, a->fault) == 0)
		(void)swim_txn_store_gc(a->h, false);
	swim_error_clear();
	return 0;
fail:
	if (rc == 0)
		rc = SWIM_ERROR;
	swim_rootdir_free(root);
	return roll_back(a, rc);
}
