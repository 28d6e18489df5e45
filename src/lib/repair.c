/* Repair: the files of installed packages that fail verification are put
 * back as the packages installed them, from the payload store alone.
 *
 * It is the apply half of the engine with nothing leaving and, arriving,
 * the damaged packages' records restricted to their damaged entries,
 * ranked above everything installed so that the restored file wins its
 * path: each damaged file is staged from its payload and swapped in
 * (replacing what is there, or created where it went missing), missing
 * directories are made, under the same journal and recovery as any
 * transaction. A directory that exists with the wrong mode or owner
 * gets them back in place afterwards. The database does not change but
 * for the history entry. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/host_private.h"
#include "lib/transaction_private.h"
#include "swim/error.h"
#include "swim/history.h"
#include "swim/store.h"
#include "swim/verify.h"
#include "util/str.h"
#include "util/workers.h"

struct damaged {
	swim_host_package *rec;      /* borrowed from repair.pkgs */
	swim_strmap paths;           /* paths to restore (keys borrowed from
	                              * the verify result) */
	size_t n_paths;
	bool any;                    /* something of it is damaged */
};

struct repair {
	swim_host *h;
	const swim_repair_request *req;
	swim_transaction_result *res;
	swim_fault fault;
	swim_txn_meter meter;
	swim_verify_result *vr;
	swim_host_package **pkgs;    /* the current image */
	size_t n_pkgs;
	struct damaged *dmg;         /* one per package */
	const swim_verify_file **dirs;  /* directories to fix in place */
	size_t n_dirs;
	swim_txn_pkg *arriving;
	swim_txn_pkg **arriving_p;
	size_t n_arriving;
};

static void repair_dispose(struct repair *r)
{
	swim_fault_dispose(&r->fault);
	for (size_t i = 0; r->dmg && i < r->n_pkgs; i++)
		swim_strmap_dispose(&r->dmg[i].paths);
	free(r->dmg);
	free((void *)r->dirs);
	for (size_t i = 0; i < r->n_arriving; i++)
		swim_txn_pkg_dispose(&r->arriving[i]);
	free(r->arriving);
	free(r->arriving_p);
	swim_host_package_list_free(r->pkgs, r->n_pkgs);
	swim_verify_result_free(r->vr);
}

/* What verification finds wrong, sorted into files to restore and
 * directories to fix where they are. */
static int find_damage(struct repair *r)
{
	swim_verify_options vo = {
		.specs = r->req->specs, .n_specs = r->req->n_specs,
		.failed_only = true, .threads = r->req->threads,
	};
	int rc;

	if ((rc = swim_verify_run(&r->vr, r->h, &vo)) < 0 ||
	    (rc = swim_image_packages(&r->pkgs, &r->n_pkgs, r->h,
	                              SWIM_IMAGE_CURRENT)) < 0)
		return rc;
	if (!(r->dmg = calloc(r->n_pkgs + 1, sizeof(*r->dmg))) ||
	    !(r->dirs = calloc(r->vr->n_files + 1, sizeof(*r->dirs))))
		return swim_error_oom();
	for (size_t i = 0; i < r->n_pkgs; i++)
		r->dmg[i] = (struct damaged){ .rec = r->pkgs[i],
		                              .paths = SWIM_STRMAP_INIT };
	for (size_t i = 0; i < r->vr->n_files; i++) {
		const swim_verify_file *f = &r->vr->files[i];
		struct damaged *d = NULL;

		for (size_t k = 0; k < r->n_pkgs && !d; k++)
			if (strcmp(r->pkgs[k]->pkg->id, f->vib_id) == 0)
				d = &r->dmg[k];
		if (!d || !(f->failed || f->unknown))
			continue;
		d->any = true;
		r->res->n_repaired++;
		if (f->exists && f->original.type == SWIM_FILE_DIRECTORY &&
		    f->current.type == SWIM_FILE_DIRECTORY) {
			r->dirs[r->n_dirs++] = f;
			continue;
		}
		if (swim_strmap_put(&d->paths, f->path, 1, NULL) < 0)
			return SWIM_ENOMEM;
		d->n_paths++;
	}
	return 0;
}

/* Every payload holding a file to restore must be in the store. */
static int check_store(struct repair *r, const swim_txn_pkg *p)
{
	for (size_t i = 0; i < p->n_entries; i++) {
		const swim_payload *pay = &p->pkg->payloads[p->entries[i].payload];
		const swim_checksum *c = swim_payload_checksum(pay, "sha-256", NULL);
		bool present = false;
		int rc;

		if (c && (rc = swim_store_get(&present, NULL, r->h, c->value)) < 0)
			return rc;
		if (!present)
			return swim_error_set(SWIM_ENOTFOUND, "VIB %s cannot be "
			                      "repaired: the payload store lacks its "
			                      "payload '%s'%s%s%s.", p->pkg->id,
			                      pay->name, c ? " (sha-256 " : "",
			                      c ? c->value : "", c ? ")" : "");
	}
	return 0;
}

static int pick_arriving(struct repair *r)
{
	int rc;

	if (!(r->arriving = calloc(r->n_pkgs + 1, sizeof(*r->arriving))) ||
	    !(r->arriving_p = calloc(r->n_pkgs + 1, sizeof(*r->arriving_p))))
		return swim_error_oom();
	for (size_t i = 0; i < r->n_pkgs; i++) {
		swim_txn_pkg *p = &r->arriving[r->n_arriving];

		if (!r->dmg[i].n_paths)
			continue;
		if ((rc = swim_txn_pkg_from_record(p, r->h, r->dmg[i].rec,
		                                   &r->dmg[i].paths)) < 0)
			return rc;
		r->arriving_p[r->n_arriving++] = p;
		/* Above every installed claim: the restored file wins. */
		p->rank = INT64_MAX / 2 + (int64_t)i;
		if ((rc = check_store(r, p)) < 0)
			return rc;
	}
	return 0;
}

/* Mode and owner of directories that exist, fixed where they are. */
static int fix_dirs(struct repair *r)
{
	swim_rootdir *root = NULL;
	int rc;

	if (!r->n_dirs)
		return 0;
	if ((rc = swim_rootdir_new(&root, swim_host_root_fd(r->h),
	                           r->h->shown_root)) < 0)
		return rc;
	for (size_t i = 0; i < r->n_dirs && rc == 0; i++) {
		const swim_verify_file *f = r->dirs[i];
		const char *name;
		uint32_t uid, gid;
		int dfd, fd;

		if ((rc = swim_rootdir_parent(&dfd, &name, root, f->path)) < 0)
			break;
		fd = openat(dfd, name, O_CLOEXEC | O_RDONLY | O_DIRECTORY |
		            O_NOFOLLOW);
		if (fd < 0) {
			rc = swim_rootdir_fail(root, errno, "opening", f->path);
			break;
		}
		swim_txn_owner(&uid, &gid, f->original.uid, f->original.gid);
		/* One syncfs, after the last, puts them all on disk. */
		if ((geteuid() == 0 && fchown(fd, uid, gid) < 0) ||
		    fchmod(fd, f->original.mode) < 0 ||
		    (i + 1 == r->n_dirs && syncfs(fd) < 0))
			rc = swim_rootdir_fail(root, errno, "setting owner and mode",
			                       f->path);
		(void)close(fd);
	}
	swim_rootdir_free(root);
	return rc;
}

static int set_lists(struct repair *r)
{
	swim_transaction_result *res = r->res;
	swim_buf msg = SWIM_BUF_INIT(0);
	int rc = 0;

	if (!(res->installed = calloc(r->n_pkgs + 1, sizeof(char *))))
		return swim_error_oom();
	for (size_t i = 0; i < r->n_pkgs && rc == 0; i++) {
		if (!r->dmg[i].any)
			continue;
		if (!(res->installed[res->n_installed] =
		      swim_strdup(r->pkgs[i]->pkg->id)))
			rc = SWIM_ENOMEM;
		else
			rc = swim_buf_printf(&msg, "%s%s", res->n_installed++
			                     ? ", " : "", r->pkgs[i]->pkg->id);
	}
	if (rc == 0 && !res->n_repaired)
		rc = swim_str_set(&res->message, "Nothing to repair: every file "
		                  "verifies.");
	else if (rc == 0)
		rc = swim_buf_printf(&msg, ".");
	if (rc == 0 && res->n_repaired) {
		swim_buf text = SWIM_BUF_INIT(0);

		rc = swim_buf_printf(&text, "%s %zu file%s of VIB%s %s",
		                     r->req->dry_run ? "Dry run only, host not "
		                     "changed. Would repair" : "Repaired",
		                     res->n_repaired, res->n_repaired == 1 ? ""
		                     : "s", res->n_installed == 1 ? "" : "s",
		                     msg.ptr);
		if (rc == 0)
			rc = swim_str_set(&res->message, text.ptr);
		swim_buf_dispose(&text);
	}
	swim_buf_dispose(&msg);
	return rc;
}

static int close_history(void *ctx)
{
	struct repair *r = ctx;

	return swim_history_finish(r->h, r->res->history, SWIM_HISTORY_SUCCESS,
	                           r->res->message, false);
}

static int restore(struct repair *r)
{
	swim_txn_apply a = {
		.h = r->h, .fault = &r->fault, .meter = &r->meter,
		.threads = r->fault.on ? 1 : swim_workers_default(r->req->threads),
		.target = SWIM_IMAGE_CURRENT, .history = r->res->history,
		.arriving = r->arriving_p, .n_arriving = r->n_arriving,
		.commit = close_history, .commit_ctx = r, .link_installed = true,
	};
	char *err;
	int rc;

	if ((rc = swim_txn_apply_run(&a)) == 0)
		rc = fix_dirs(r);
	if (rc < 0 && (err = swim_strdup(swim_error_last()))) {
		(void)swim_history_finish(r->h, r->res->history,
		                          SWIM_HISTORY_FAILED, err, false);
		(void)swim_error_set(rc, "%s", err);
		free(err);
	}
	swim_txn_apply_dispose(&a);
	return rc;
}

int swim_transaction_repair(swim_transaction_result **out, swim_host *h,
                            const swim_repair_request *req)
{
	struct repair r = { .h = h, .req = req };
	int rc;

	*out = NULL;
	if (!req)
		return swim_error_set(SWIM_EINVAL, "no request");
	if (!req->dry_run && (rc = swim_host__need_write(h)) < 0)
		return rc;
	if (!(r.res = calloc(1, sizeof(*r.res))))
		return swim_error_oom();
	r.res->job = SWIM_RESOLVE_INSTALL;
	r.res->repair = true;
	r.res->dry_run = req->dry_run;
	r.res->consistent = true;
	swim_fault_init(&r.fault);
	r.meter.fn = req->progress;
	r.meter.ctx = req->progress_ctx;
	if ((rc = swim_txn_meter_phase(&r.meter, SWIM_TRANSACTION_VERIFY, 0,
	                               "Finding damaged files")) < 0 ||
	    (rc = find_damage(&r)) < 0 || (rc = set_lists(&r)) < 0 ||
	    req->dry_run || !r.res->n_repaired)
		goto out;
	if ((rc = pick_arriving(&r)) < 0 ||
	    (rc = swim_history_begin(&r.res->history, h, "vib repair")) < 0 ||
	    (rc = restore(&r)) < 0)
		goto out;
	swim_txn_meter_done(&r.meter, "Done");
out:
	if (rc == 0) {
		*out = r.res;
		r.res = NULL;
	}
	swim_transaction_result_free(r.res);
	repair_dispose(&r);
	return rc;
}
