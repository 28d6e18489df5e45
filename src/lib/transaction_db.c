/* What a package job changes in the database, all inside the SQL
 * transaction that also marks the journal committed: the removed
 * packages leave the image, the new ones are recorded with every file
 * as staged, the image profile follows (ESXi's "(Updated) NAME" for a
 * change package by package), the history entry is closed, and the host
 * is marked inconsistent after a bypass or consistent again after a
 * transaction without one. */
#include <stdlib.h>
#include <string.h>

#include "lib/transaction_run.h"
#include "swim/error.h"
#include "swim/history.h"
#include "swim/image.h"
#include "util/str.h"

static int record_pkg(swim_txn *t, const swim_txn_pkg *p)
{
	swim_host_file *files = calloc(p->n_entries + 1, sizeof(*files));
	swim_host_package in = { .pkg = (swim_package *)p->pkg,
	                         .proven = p->proven, .signer = p->signer,
	                         .source = p->source };
	int64_t record = 0;
	int rc;

	if (!files)
		return swim_error_oom();
	for (size_t i = 0; i < p->n_entries; i++) {
		const swim_txn_entry *e = &p->entries[i];

		files[i] = (swim_host_file){
			.path = e->path, .type = e->type, .mode = e->mode,
			.uid = e->uid, .gid = e->gid, .size = e->size,
			.sha256 = e->type == SWIM_FILE_REGULAR ? e->sha256 : NULL,
			.link_target = e->link_target, .mtime = e->mtime,
			.payload = p->pkg->payloads[e->payload].name,
		};
	}
	if ((rc = swim_host_package_add(&record, t->h, &in, files,
	                                p->n_entries)) == 0)
		rc = swim_image_add(t->h, SWIM_IMAGE_CURRENT, record);
	free(files);
	return rc;
}

/* Whether the image's packages are exactly the profile's. */
static bool same_packages(const swim_profile *p, swim_host_package **now,
                          size_t n)
{
	if (p->n_vib_ids != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!swim_profile_has_vib(p, now[i]->pkg->id))
			return false;
	return true;
}

/* The image profile after the job: a profile job takes the depot
 * profile's name and details; a change package by package (or a profile
 * update that leaves other packages) is ESXi's "(Updated) NAME". */
static int update_profile(swim_txn *t)
{
	swim_host_package **now = NULL;
	const swim_package **pkgs = NULL;
	swim_profile *p = NULL;
	bool from_depot = t->profile &&
	                  (t->req->job == SWIM_RESOLVE_PROFILE_INSTALL ||
	                   t->req->job == SWIM_RESOLVE_PROFILE_UPDATE);
	size_t n = 0;
	int rc;

	if ((rc = from_depot ? swim_profile_copy(&p, t->profile)
	                     : swim_image_profile(&p, t->h,
	                                          SWIM_IMAGE_CURRENT)) < 0 ||
	    (rc = swim_image_packages(&now, &n, t->h, SWIM_IMAGE_CURRENT)) < 0)
		goto out;
	if (!(pkgs = calloc(n + 1, sizeof(*pkgs)))) {
		rc = swim_error_oom();
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		pkgs[i] = now[i]->pkg;
	if (from_depot && same_packages(p, now, n))
		p->read_only = false;
	else if ((rc = swim_image_profile_mark_updated(p)) < 0)
		goto out;
	else
		p->acceptance = swim_profile_lowest_acceptance(pkgs, n);
	rc = swim_image_profile_set(t->h, SWIM_IMAGE_CURRENT, p);
out:
	free(pkgs);
	swim_host_package_list_free(now, n);
	swim_profile_free(p);
	return rc;
}

static int record_history(swim_txn *t)
{
	const swim_plan *plan = t->plan;
	int rc = 0;

	for (size_t i = 0; i < plan->n_install && rc == 0; i++)
		rc = swim_history_add(t->h, t->history, SWIM_HISTORY_INSTALLED,
		                      plan->install[i].pkg->id);
	for (size_t i = 0; i < plan->n_remove && rc == 0; i++)
		rc = swim_history_add(t->h, t->history, SWIM_HISTORY_REMOVED,
		                      plan->remove[i].pkg->id);
	for (size_t i = 0; i < plan->n_skip && rc == 0; i++)
		rc = swim_history_add(t->h, t->history, SWIM_HISTORY_SKIPPED,
		                      plan->skip[i].pkg->id);
	if (rc == 0)
		rc = swim_history_finish(t->h, t->history, SWIM_HISTORY_SUCCESS,
		                         t->res->message, false);
	return rc;
}

static int record_consistency(swim_txn *t)
{
	const char *op = swim_resolve_job_name(t->req->job);
	swim_buf reason = SWIM_BUF_INIT(0);
	int rc = 0;

	if (!t->plan->forced && !t->plan->sig_unchecked)
		return swim_host_mark_consistent(t->h);
	if (t->plan->forced)
		rc = swim_buf_printf(&reason, "--force (%s%s)",
		                     strchr(op, ' ') ? "" : "vib ", op);
	if (rc == 0 && t->plan->sig_unchecked)
		rc = swim_buf_printf(&reason, "%s--no-sig-check (%s%s)",
		                     reason.len ? "; " : "",
		                     strchr(op, ' ') ? "" : "vib ", op);
	if (rc == 0)
		rc = swim_host_mark_inconsistent(t->h, reason.ptr);
	swim_buf_dispose(&reason);
	return rc;
}

int swim_txn_commit_db(void *ctx)
{
	swim_txn *t = ctx;
	const swim_plan *plan = t->plan;
	int rc = 0;

	for (size_t i = 0; i < plan->n_remove && rc == 0; i++)
		rc = swim_image_remove(t->h, SWIM_IMAGE_CURRENT,
		                       plan->remove[i].pkg->name);
	for (size_t i = 0; i < t->n_arriving && rc == 0; i++)
		rc = record_pkg(t, t->arriving[i]);
	if (rc == 0)
		rc = swim_image_gc(t->h, NULL);
	if (rc == 0)
		rc = update_profile(t);
	if (rc == 0)
		rc = record_history(t);
	if (rc == 0)
		rc = record_consistency(t);
	return rc;
}
