/* Replaying a journal: undoing a transaction that did not commit, or
 * finishing one that did. Both read the steps from the database and look
 * at the file system to see how far each step got, because a step can
 * be done on disk without anything saying so; every action is one that
 * may be repeated, so a recovery killed half way is simply run again.
 *
 * Undo, last step first:
 *   create   staged there: delete it; else (applying) delete the path
 *   replace  backup there: rename it back over the path; delete staged
 *   remove   backup there: rename it back
 *   mkdir    remove the directory if it is empty
 * Finish, in order:
 *   replace, remove   delete the backup (and a staged leftover)
 *   rmdir             remove the directory if it is empty
 */
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
#include "swim/journal.h"
#include "swim/transaction.h"

struct replay {
	swim_host *h;
	swim_rootdir *root;
	swim_fault *fault;
	bool applying;         /* the swap may have started */
};

/* Removes `name` in dfd; a missing one is fine. 1 when it was there. */
static int unlink_quiet(const struct replay *r, int dfd, const char *name,
                        const char *path, int flags)
{
	if (unlinkat(dfd, name, flags) == 0)
		return 1;
	if (errno == ENOENT)
		return 0;
	if (flags & AT_REMOVEDIR &&
	    (errno == ENOTEMPTY || errno == EEXIST || errno == ENOTDIR))
		return 0;
	return swim_rootdir_fail(r->root, errno, "removing", path);
}

static const char *base(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path;
}

/* The directory holding path; 0 with *dfd -1 when it does not exist. */
static int parent(int *dfd, const char **name, const struct replay *r,
                  const char *path)
{
	int rc = swim_rootdir_parent(dfd, name, r->root, path);

	if (rc == SWIM_ENOTFOUND) {
		swim_error_clear();
		*dfd = -1;
		return 0;
	}
	return rc;
}

static int undo_step(const swim_journal_step *s, void *ctx)
{
	const struct replay *r = ctx;
	const char *name;
	int dfd, rc;

	if ((rc = swim_fault_point(r->fault, "undo")) < 0 ||
	    (rc = parent(&dfd, &name, r, s->path)) < 0 || dfd < 0)
		return rc;
	switch (s->action) {
	case SWIM_JOURNAL_CREATE:
		if ((rc = unlink_quiet(r, dfd, base(s->staged), s->path, 0)) != 0)
			return rc < 0 ? rc : 0;
		if (r->applying)
			rc = unlink_quiet(r, dfd, name, s->path, 0);
		break;
	case SWIM_JOURNAL_REPLACE:
	case SWIM_JOURNAL_REMOVE:
		if (renameat(dfd, base(s->backup), dfd, name) < 0 &&
		    errno != ENOENT)
			return swim_rootdir_fail(r->root, errno, "putting the old "
			                         "file back", s->path);
		if (s->staged)
			rc = unlink_quiet(r, dfd, base(s->staged), s->path, 0);
		break;
	case SWIM_JOURNAL_MKDIR:
		rc = unlink_quiet(r, dfd, name, s->path, AT_REMOVEDIR);
		if (rc > 0)
			swim_rootdir_forget(r->root);
		break;
	case SWIM_JOURNAL_RMDIR:
		break;
	}
	return rc < 0 ? rc : 0;
}

static int finish_step(const swim_journal_step *s, void *ctx)
{
	const struct replay *r = ctx;
	const char *name;
	int dfd, rc = 0;

	if (s->action == SWIM_JOURNAL_MKDIR || s->action == SWIM_JOURNAL_CREATE)
		return 0;
	if ((rc = swim_fault_point(r->fault, "cleanup")) < 0 ||
	    (rc = parent(&dfd, &name, r, s->path)) < 0 || dfd < 0)
		return rc;
	if (s->action == SWIM_JOURNAL_RMDIR) {
		rc = unlink_quiet(r, dfd, name, s->path, AT_REMOVEDIR);
		if (rc > 0)
			swim_rootdir_forget(r->root);
		return rc < 0 ? rc : 0;
	}
	if (s->backup &&
	    (rc = unlink_quiet(r, dfd, base(s->backup), s->path, 0)) < 0)
		return rc;
	if (s->staged &&
	    (rc = unlink_quiet(r, dfd, base(s->staged), s->path, 0)) < 0)
		return rc;
	return 0;
}

static int replay(swim_host *h, const swim_journal *j, swim_fault *fault,
                  bool undo)
{
	struct replay r = { .h = h, .fault = fault,
	                    .applying = j->state != SWIM_JOURNAL_PLANNED };
	int rc;

	if ((rc = swim_rootdir_new(&r.root, swim_host_root_fd(h),
	                           h->shown_root)) < 0)
		return rc;
	rc = swim_journal_foreach(h, j->txn, undo, undo ? undo_step
	                                                 : finish_step, &r);
	swim_rootdir_free(r.root);
	return rc;
}

/* The file system holding the root, synced: the replay is on disk before
 * the journal that describes it goes away. */
static int sync_root(swim_host *h)
{
	int fd = openat(swim_host_root_fd(h), ".", O_CLOEXEC | O_RDONLY |
	                O_DIRECTORY);
	int rc = 0;

	if (fd < 0 || syncfs(fd) < 0)
		rc = swim_error_set_errno(SWIM_EIO, errno, "syncing %s",
		                          swim_host_root(h));
	if (fd >= 0)
		(void)close(fd);
	return rc;
}

int swim_txn_undo(swim_host *h, const swim_journal *j, swim_fault *fault,
                  int result, const char *message)
{
	int rc;

	if ((rc = replay(h, j, fault, true)) < 0 || (rc = sync_root(h)) < 0 ||
	    (rc = swim_host_begin(h)) < 0)
		return rc;
	if ((rc = swim_journal_end(h, j->txn)) == 0 && result >= 0 &&
	    j->history)
		rc = swim_history_finish(h, j->history,
		                         (swim_history_result)result, message,
		                         false);
	return swim_host__finish(h, rc);
}

int swim_txn_finish(swim_host *h, const swim_journal *j, swim_fault *fault)
{
	int rc;

	if ((rc = replay(h, j, fault, false)) < 0 || (rc = sync_root(h)) < 0 ||
	    (rc = swim_fault_point(fault, "end")) < 0)
		return rc;
	return swim_journal_end(h, j->txn);
}

int swim_transaction_pending_recovery(bool *out, swim_host *h)
{
	swim_journal *v = NULL;
	int64_t running = 0;
	size_t n = 0;
	int rc;

	*out = false;
	if ((rc = swim_journal_unfinished(&v, &n, h)) == 0 &&
	    (rc = swim_host__int_query(&running, h, "SELECT count(*) FROM"
	                               " history WHERE result = 'running'",
	                               NULL)) == 0)
		*out = n > 0 || running > 0;
	swim_journal_list_free(v, n);
	return rc;
}

int swim_transaction_recover(swim_transaction_recovery *out, swim_host *h)
{
	swim_transaction_recovery done = { 0 };
	swim_journal *v = NULL;
	swim_fault fault;
	uint64_t n_closed = 0;
	size_t n = 0;
	int rc;

	swim_fault_init(&fault);
	if ((rc = swim_journal_unfinished(&v, &n, h)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (v[i].state == SWIM_JOURNAL_COMMITTED) {
			rc = swim_txn_finish(h, &v[i], &fault);
			done.finished++;
		} else {
			rc = swim_txn_undo(h, &v[i], &fault,
			                   SWIM_HISTORY_INTERRUPTED,
			                   "Interrupted; rolled back by the next "
			                   "swim command.");
			done.rolled_back++;
		}
		if (rc < 0) {
			(void)swim_error_prefix("recovering the transaction "
			                        "interrupted at %s: ", v[i].updated);
			goto out;
		}
	}
	if ((rc = swim_history_interrupt_running(h, &n_closed)) < 0 ||
	    (rc = swim_txn_staging_clear(h)) < 0)
		goto out;
	/* A killed run may have left payloads nobody lists yet. */
	if (n > 0 || n_closed > 0)
		rc = swim_txn_store_gc(h, true);
out:
	swim_journal_list_free(v, n);
	swim_fault_dispose(&fault);
	if (out)
		*out = done;
	return rc;
}
