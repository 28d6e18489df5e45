/* A transaction from request to result: resolve against the installed
 * packages (of the pending image while one is pending), decide whether
 * the change is live or needs a reboot, fetch and verify what the plan
 * installs, refuse what is not trusted or not accepted, then hand the
 * change to the apply half (transaction_apply.c: the files of the
 * running image, or only the payload store for the pending image) with
 * the database changes of transaction_db.c, and word the result as
 * esxcli does. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/host_private.h"
#include "lib/transaction_run.h"
#include "swim/error.h"
#include "swim/history.h"
#include "swim/image.h"
#include "util/str.h"
#include "util/workers.h"

#define MSG_DONE "Operation finished successfully."
#define MSG_UNCHANGED "Host is not changed."
#define MSG_REBOOT "The update completed successfully, but the system " \
	"needs to be rebooted for the changes to be effective."

void swim_transaction_result_free(swim_transaction_result *r)
{
	if (!r)
		return;
	free(r->message);
	swim_host_strv_free(r->installed, r->n_installed);
	swim_host_strv_free(r->removed, r->n_removed);
	swim_host_strv_free(r->skipped, r->n_skipped);
	free(r->warning);
	swim_plan_free(r->plan);
	free(r);
}

/* Packages with the .vib files they were read from. */
static void free_pkgs(swim_txn_pkg *v, swim_vib **vibs, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		swim_txn_pkg_dispose(&v[i]);
	for (size_t i = 0; vibs && i < n; i++)
		swim_vib_free(vibs[i]);
	free(v);
	free(vibs);
}

static void txn_dispose(swim_txn *t)
{
	swim_fault_dispose(&t->fault);
	free(t->trust_dir);
	swim_host_state_dispose(&t->state);
	swim_host_package_list_free(t->installed, t->n_installed);
	free(t->installed_rp);
	free_pkgs(t->files, t->vibs, t->n_files);
	free(t->available_rp);
	free_pkgs(t->fetched, t->fetched_vibs, t->n_fetched);
	free(t->arriving);
	free(t->leaving);
}

/* --trust, else swim.conf's trust_dir (inside the root), else
 * ROOT/etc/swim/trust. */
static int find_trust(swim_txn *t)
{
	swim_buf b = SWIM_BUF_INIT(0);
	int rc = 0;

	if (t->req->trust_dir)
		t->trust_dir = swim_strdup(t->req->trust_dir);
	else if ((rc = swim_conf_path(&b, swim_host_conf(t->h),
	                              swim_host_root(t->h), "trust_dir",
	                              "/etc/swim/trust")) == 0)
		t->trust_dir = swim_buf_detach(&b);
	swim_buf_dispose(&b);
	return rc < 0 ? rc : t->trust_dir ? 0 : SWIM_ENOMEM;
}

/* While an image is pending, every change builds on it. */
static int load_installed(swim_txn *t)
{
	int rc;

	if ((rc = swim_host_state_get(&t->state, t->h)) < 0 ||
	    (rc = swim_image_exists(&t->had_pending, t->h,
	                            SWIM_IMAGE_PENDING)) < 0 ||
	    (rc = swim_image_packages(&t->installed, &t->n_installed, t->h,
	                              t->had_pending ? SWIM_IMAGE_PENDING
	                                             : SWIM_IMAGE_CURRENT)) < 0)
		return rc;
	if (!(t->installed_rp = calloc(t->n_installed + 1,
	                               sizeof(*t->installed_rp))))
		return swim_error_oom();
	for (size_t i = 0; i < t->n_installed; i++)
		t->installed_rp[i] = (swim_resolve_pkg){
			.pkg = t->installed[i]->pkg,
			.proven = t->installed[i]->proven,
		};
	return 0;
}

static int load_available(swim_txn *t)
{
	const swim_transaction_request *req = t->req;
	size_t n = req->n_vib_urls;
	int rc;

	if (!(t->files = calloc(n + 1, sizeof(*t->files))) ||
	    !(t->vibs = calloc(n + 1, sizeof(*t->vibs))) ||
	    !(t->available_rp = calloc(n + 1, sizeof(*t->available_rp))))
		return swim_error_oom();
	for (size_t i = 0; i < req->n_vib_urls; i++) {
		if ((rc = swim_txn_open_vib(t, req->vib_urls[i], i)) < 0)
			return rc;
		t->available_rp[t->n_available++] = (swim_resolve_pkg){
			.pkg = t->files[i].pkg, .proven = t->files[i].proven,
			.origin = req->vib_urls[i], .requested = true,
		};
	}
	return swim_txn_load_depots(t);
}

static int resolve(swim_txn *t)
{
	const swim_transaction_request *req = t->req;
	swim_resolve_request rq = {
		.job = req->job, .host_level = t->state.acceptance,
		.installed = t->installed_rp, .n_installed = t->n_installed,
		.available = t->available_rp, .n_available = t->n_available,
		.names = req->names, .n_names = req->n_names,
		.profile = t->profile, .force = req->force, .no_sig_check = req->no_sig_check,
		.allow_downgrades = req->allow_downgrades,
		.ok_to_remove = req->ok_to_remove, .debug_dir = req->debug_dir,
		.lim = &t->h->limits,
	};

	return swim_resolve_plan(&t->res->plan, &rq);
}

static int ids_of(char ***out, size_t *n_out, const swim_plan_item *v,
                  size_t n)
{
	char **ids = calloc(n + 1, sizeof(*ids));

	*out = ids;
	*n_out = 0;
	if (!ids)
		return swim_error_oom();
	for (size_t i = 0; i < n; i++) {
		if (!(ids[i] = swim_strdup(v[i].pkg->id)))
			return SWIM_ENOMEM;
		(*n_out)++;
	}
	return 0;
}

static int fill_lists(swim_transaction_result *r)
{
	const swim_plan *p = r->plan;
	int rc;

	if ((rc = ids_of(&r->installed, &r->n_installed, p->install,
	                 p->n_install)) < 0 ||
	    (rc = ids_of(&r->removed, &r->n_removed, p->remove,
	                 p->n_remove)) < 0)
		return rc;
	return ids_of(&r->skipped, &r->n_skipped, p->skip, p->n_skip);
}

/* Live or not (docs/images.md): live when every package added allows
 * live install, every package removed allows live removal, no image is
 * pending and --no-live-install is absent; else the pending image. */
static void decide(swim_txn *t)
{
	const swim_plan *p = t->plan;
	char *why = t->why_reboot;
	size_t len = sizeof(t->why_reboot);

	why[0] = '\0';
	if (t->req->no_live_install)
		(void)snprintf(why, len, "--no-live-install was given");
	else if (t->had_pending)
		(void)snprintf(why, len, "an image is pending");
	for (size_t i = 0; !why[0] && i < p->n_install; i++)
		if (!p->install[i].pkg->live_install_ok)
			(void)snprintf(why, len, "VIB %s does not allow live "
			               "install", p->install[i].pkg->id);
	for (size_t i = 0; !why[0] && i < p->n_remove; i++)
		if (!p->remove[i].pkg->live_remove_ok)
			(void)snprintf(why, len, "VIB %s does not allow live "
			               "removal", p->remove[i].pkg->id);
	t->slot = why[0] ? SWIM_IMAGE_PENDING : SWIM_IMAGE_CURRENT;
	t->res->reboot_required = why[0] != '\0';
}

static int list_maintenance(swim_buf *b, const swim_plan_item *v, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++)
		if (v[i].pkg->maintenance_mode)
			rc = swim_buf_printf(b, "%s%s", b->len ? ", " : "",
			                     v[i].pkg->id);
	return rc;
}

/* esxcli: a live change of a package that requires maintenance mode
 * stops unless the host is in it or --maintenance-mode pretends so;
 * reboot-required changes are not affected. */
static int check_maintenance(const swim_txn *t)
{
	swim_buf add = SWIM_BUF_INIT(0), del = SWIM_BUF_INIT(0);
	const swim_plan *p = t->plan;
	int rc;

	if (t->res->reboot_required || t->state.maintenance_mode ||
	    t->req->maintenance_mode)
		return 0;
	if ((rc = list_maintenance(&add, p->install, p->n_install)) < 0 ||
	    (rc = list_maintenance(&del, p->remove, p->n_remove)) < 0)
		goto out;
	if (add.len || del.len)
		rc = swim_error_set(SWIM_ECONFLICT, "Maintenance mode is required "
		                    "to %s%s%s%s%s live; the host is not in "
		                    "maintenance mode. Enter it with 'swim host "
		                    "maintenance enter', or give "
		                    "--maintenance-mode.",
		                    add.len ? "install VIB " : "",
		                    add.len ? add.ptr : "",
		                    add.len && del.len ? " and to " : "",
		                    del.len ? "remove VIB " : "",
		                    del.len ? del.ptr : "");
out:
	swim_buf_dispose(&add);
	swim_buf_dispose(&del);
	return rc;
}

/* The packages the plan installs, each verified: its signature proves
 * the level it claims (unless --no-sig-check) and the host accepts that
 * level (unless --force). */
static int pick_arriving(swim_txn *t)
{
	const swim_plan *p = t->plan;

	uint64_t total = 0;
	int rc;

	if (!(t->arriving = calloc(p->n_install + 1, sizeof(*t->arriving))) ||
	    !(t->leaving = calloc(p->n_remove + 1, sizeof(*t->leaving))) ||
	    !(t->fetched = calloc(p->n_install + 1, sizeof(*t->fetched))) ||
	    !(t->fetched_vibs = calloc(p->n_install + 1,
	                               sizeof(*t->fetched_vibs))))
		return swim_error_oom();
	for (size_t i = 0; i < p->n_install; i++)
		total += p->install[i].pkg->has_packed_size
		         ? p->install[i].pkg->packed_size : 0;
	if ((rc = swim_txn_meter_phase(&t->meter, SWIM_TRANSACTION_DOWNLOAD,
	                               total, "Fetching packages")) < 0)
		return rc;
	for (size_t i = 0; i < p->n_install; i++) {
		swim_txn_pkg *found = NULL;

		for (size_t k = 0; k < t->n_files && !found; k++)
			if (t->files[k].pkg == p->install[i].pkg)
				found = &t->files[k];
		if (!found) {
			if ((rc = swim_txn_fetch_depot_pkg(t,
			                                   p->install[i].pkg)) < 0)
				return rc;
			found = &t->fetched[t->n_fetched - 1];
			if (p->install[i].pkg->has_packed_size)
				atomic_fetch_add(&t->meter.done,
				                 p->install[i].pkg->packed_size);
			if ((rc = swim_txn_meter_report(&t->meter)) < 0)
				return rc;
		}
		found->rank = INT64_MAX / 2 + (int64_t)i;
		t->arriving[t->n_arriving++] = found;
	}
	for (size_t i = 0; i < p->n_remove; i++)
		for (size_t k = 0; k < t->n_installed; k++)
			if (strcmp(t->installed[k]->pkg->id,
			           p->remove[i].pkg->id) == 0)
				t->leaving[t->n_leaving++] = t->installed[k]->record;
	return 0;
}

/* ESXi's refusal of a package whose signature does not prove the level
 * it claims (unless --no-sig-check). */
int swim_txn_check_signer(const swim_txn *t, const swim_txn_pkg *p)
{
	const swim_vib *vib = p->vib;

	if (t->req->no_sig_check || vib->satisfied)
		return 0;
	return swim_error_set(SWIM_EACCEPTANCE, "Could not find a trusted "
	                      "signer for VIB %s: it claims %s, its signature "
	                      "proves %s%s%s%s.", p->pkg->id,
	                      swim_acceptance_name(vib->claimed),
	                      swim_acceptance_name(vib->sig.proven),
	                      vib->sig.note ? " (" : "",
	                      vib->sig.note ? vib->sig.note : "",
	                      vib->sig.note ? ")" : "");
}

static int check_trust(swim_txn *t, const swim_txn_pkg *p)
{
	int rc;

	if ((rc = swim_txn_check_signer(t, p)) < 0)
		return rc;
	if (!t->req->force &&
	    !swim_acceptance_allows(t->state.acceptance, p->proven))
		return swim_error_set(SWIM_EACCEPTANCE, "VIB %s's acceptance "
		                      "level is %s, which is not compliant with "
		                      "the host acceptance level %s. To change "
		                      "the host acceptance level, use the 'swim "
		                      "acceptance set' command.", p->pkg->id,
		                      swim_acceptance_name(p->proven),
		                      swim_acceptance_name(t->state.acceptance));
	return 0;
}

static int scan_one(void *ctx, size_t i, unsigned worker)
{
	swim_txn *t = ctx;
	swim_txn_pkg *p = t->arriving[i];
	swim_txn_prestage pre = { .h = t->h,
	                          .fault = t->fault.on ? &t->fault : NULL };
	uint64_t bytes = 0;
	int rc;

	(void)worker;
	/* A live change prestages its files (transaction_scan.c). */
	(void)snprintf(pre.dir, sizeof(pre.dir), "staging/pre-%" PRId64 "-%zu",
	               t->history, i);
	rc = swim_txn_scan_pkg(p, t->slot == SWIM_IMAGE_CURRENT ? &pre : NULL);
	for (size_t k = 0; k < p->pkg->n_payloads; k++)
		bytes += p->pkg->payloads[k].size;
	atomic_fetch_add(&t->meter.done, bytes);
	return rc;
}

static int scan_tick(void *ctx)
{
	swim_txn *t = ctx;

	return swim_txn_meter_report(&t->meter);
}

static int verify(swim_txn *t)
{
	uint64_t total = 0;
	int rc;

	for (size_t i = 0; i < t->n_arriving; i++) {
		if ((rc = check_trust(t, t->arriving[i])) < 0)
			return rc;
		for (size_t k = 0; k < t->arriving[i]->pkg->n_payloads; k++)
			total += t->arriving[i]->pkg->payloads[k].size;
	}
	if ((rc = swim_txn_meter_phase(&t->meter, SWIM_TRANSACTION_VERIFY, total,
	                               "Verifying packages")) < 0)
		return rc;
	return swim_workers_run(t->threads, t->n_arriving, scan_one, scan_tick,
	                        t);
}

static int set_message(swim_transaction_result *r, const char *msg)
{
	return swim_str_set(&r->message, msg);
}

/* The consistency warning of the host as it is now. */
static int note_consistency(swim_txn *t)
{
	swim_host_state st;
	int rc;

	if ((rc = swim_host_state_get(&st, t->h)) < 0)
		return rc;
	t->res->consistent = st.consistent;
	if (!st.consistent) {
		swim_buf w = SWIM_BUF_INIT(0);

		rc = swim_buf_printf(&w, "The host is not consistent since %s: %s. "
		                     "The next transaction without --force or "
		                     "--no-sig-check makes it consistent again.",
		                     st.inconsistent_since ? st.inconsistent_since
		                                           : "?",
		                     st.inconsistent_reason ? st.inconsistent_reason
		                                            : "?");
		if (rc == 0 && !(t->res->warning = swim_buf_detach(&w)))
			rc = SWIM_ENOMEM;
		swim_buf_dispose(&w);
	}
	swim_host_state_dispose(&st);
	return rc;
}

static int dry_run_message(const swim_txn *t)
{
	swim_transaction_result *r = t->res;
	swim_buf b = SWIM_BUF_INIT(0);
	int rc = swim_buf_printf(&b, "Dry run only, host not changed. The "
	                         "transaction would install %zu, remove %zu "
	                         "and skip %zu VIBs", r->n_installed,
	                         r->n_removed, r->n_skipped);

	if (rc == 0 && !r->n_installed && !r->n_removed)
		rc = swim_buf_puts(&b, ".");
	else if (rc == 0 && r->reboot_required)
		rc = swim_buf_printf(&b, " in the pending image (%s): the system "
		                     "would need a reboot.", t->why_reboot);
	else if (rc == 0)
		rc = swim_buf_puts(&b, " live.");
	if (rc == 0)
		rc = set_message(r, b.ptr);
	swim_buf_dispose(&b);
	return rc;
}

/* Live: the files of the running image change. Else only the payload
 * store and the pending image in the database. */
static int apply(swim_txn *t)
{
	swim_txn_apply a = {
		.h = t->h, .fault = &t->fault, .meter = &t->meter,
		.threads = t->threads, .history = t->history,
		.target = t->slot,
		.leaving = t->leaving, .n_leaving = t->n_leaving,
		.arriving = t->arriving, .n_arriving = t->n_arriving,
		.commit = swim_txn_commit_db, .commit_ctx = t,
	};
	int rc = t->slot == SWIM_IMAGE_CURRENT ? swim_txn_apply_run(&a)
	                                       : swim_txn_stage_pending(&a);

	swim_txn_apply_dispose(&a);
	return rc;
}

/* Everything after the history entry opened; on failure it is closed as
 * failed with the message. */
static int change(swim_txn *t)
{
	char *msg;
	int rc;

	if ((rc = set_message(t->res, t->res->reboot_required ? MSG_REBOOT
	                                                      : MSG_DONE)) < 0 ||
	    (rc = pick_arriving(t)) < 0 || (rc = verify(t)) < 0 ||
	    (rc = apply(t)) < 0) {
		if (!(msg = swim_strdup(swim_error_last())))
			return rc;
		(void)swim_history_finish(t->h, t->history, SWIM_HISTORY_FAILED,
		                          msg, false);
		(void)swim_error_set(rc, "%s", msg);
		free(msg);
		return rc;
	}
	swim_txn_meter_done(&t->meter, "Done");
	return 0;
}

static const char *operation(swim_resolve_job job)
{
	switch (job) {
	case SWIM_RESOLVE_INSTALL: return "vib install";
	case SWIM_RESOLVE_UPDATE: return "vib update";
	case SWIM_RESOLVE_REMOVE: return "vib remove";
	default: return swim_resolve_job_name(job);
	}
}

static int run(swim_txn *t)
{
	const swim_transaction_request *req = t->req;
	swim_transaction_result *r = t->res;
	bool changes_host = !req->dry_run &&
	                    req->job != SWIM_RESOLVE_PROFILE_VALIDATE;
	int rc;

	if (changes_host && !swim_host_writable(t->h))
		return swim_error_set(SWIM_EACCESS, "%s is open read-only",
		                      swim_host_root(t->h));
	if ((rc = swim_txn_meter_phase(&t->meter, SWIM_TRANSACTION_RESOLVE, 0,
	                               "Resolving")) < 0 ||
	    (rc = find_trust(t)) < 0 || (rc = load_installed(t)) < 0 ||
	    (rc = load_available(t)) < 0)
		return rc;
	rc = resolve(t);
	if (r->plan && fill_lists(r) < 0)
		return SWIM_ENOMEM;
	if (rc < 0)
		return rc;
	t->plan = r->plan;
	r->compliant = t->plan->compliant;
	if ((rc = note_consistency(t)) < 0)
		return rc;
	if (req->job == SWIM_RESOLVE_PROFILE_VALIDATE)
		return set_message(r, t->plan->compliant
		                   ? "The host is compliant with the profile."
		                   : "The host is not compliant with the "
		                     "profile.");
	decide(t);
	if ((rc = check_maintenance(t)) < 0)
		return rc;
	/* Nothing to change needs no reboot either. */
	if (!t->plan->n_install && !t->plan->n_remove)
		r->reboot_required = false;
	if (req->dry_run)
		return dry_run_message(t);
	if (!t->plan->n_install && !t->plan->n_remove)
		return set_message(r, MSG_UNCHANGED);
	if ((rc = swim_history_begin(&t->history, t->h,
	                             operation(req->job))) < 0)
		return rc;
	r->history = t->history;
	if ((rc = change(t)) < 0)
		return rc;
	return note_consistency(t);
}

int swim_transaction_run(swim_transaction_result **out, swim_host *h,
                         const swim_transaction_request *req)
{
	swim_txn t = { .h = h, .req = req };
	int rc;

	*out = NULL;
	if (!req)
		return swim_error_set(SWIM_EINVAL, "no request");
	if (!(t.res = calloc(1, sizeof(*t.res))))
		return swim_error_oom();
	t.res->job = req->job;
	t.res->dry_run = req->dry_run;
	t.res->consistent = true;
	swim_fault_init(&t.fault);
	t.meter.fn = req->progress;
	t.meter.ctx = req->progress_ctx;
	/* Fault points count passes in one thread. */
	t.threads = t.fault.on ? 1 : swim_workers_default(req->threads);
	rc = run(&t);
	/* Downloads are not needed any more (open ones stay readable). */
	if (swim_host_writable(h) && !req->dry_run) {
		char *msg = rc < 0 ? swim_strdup(swim_error_last()) : NULL;

		(void)swim_txn_staging_clear(h);
		if (msg)
			(void)swim_error_set(rc, "%s", msg);
		else if (rc >= 0)
			swim_error_clear();
		free(msg);
	}
	if (rc < 0 && !t.res->plan) {
		swim_transaction_result_free(t.res);
		t.res = NULL;
	}
	*out = t.res;
	txn_dispose(&t);
	return rc;
}
