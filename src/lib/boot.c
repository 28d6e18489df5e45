/* Activating the pending image, and rolling back to the previous one.
 *
 * Activation is the apply half of the transaction engine with
 *   leaving  = records of the current image the pending one lacks,
 *   arriving = records of the pending image the current one lacks (their
 *              entries from the database, their content from the store),
 *   commit   = drop the previous image, current → previous, pending →
 *              current (and the history entry closed),
 * so the journal, the swap and the recovery that make any transaction
 * atomic make the activation atomic too. Rollback only changes the
 * database: the pending image becomes a copy of the previous one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/host_private.h"
#include "lib/transaction_private.h"
#include "swim/boot.h"
#include "swim/error.h"
#include "swim/history.h"
#include "swim/store.h"
#include "util/str.h"
#include "util/workers.h"

void swim_boot_result_free(swim_boot_result *r)
{
	if (!r)
		return;
	free(r->message);
	swim_host_strv_free(r->installed, r->n_installed);
	swim_host_strv_free(r->removed, r->n_removed);
	free(r);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The ids of the packages of `in` whose record `other` lacks, sorted. */
static int only_in(char ***ids, size_t *n_ids, swim_host_package **in,
                   size_t n_in, swim_host_package **other, size_t n_other)
{
	*n_ids = 0;
	if (!(*ids = calloc(n_in + 1, sizeof(**ids))))
		return swim_error_oom();
	for (size_t i = 0; i < n_in; i++) {
		bool both = false;

		for (size_t k = 0; k < n_other && !both; k++)
			both = other[k]->record == in[i]->record;
		if (both)
			continue;
		if (!((*ids)[*n_ids] = swim_strdup(in[i]->pkg->id)))
			return SWIM_ENOMEM;
		(*n_ids)++;
	}
	if (*n_ids)
		qsort(*ids, *n_ids, sizeof(**ids), cmp_str);
	return 0;
}

/* "NAME" of a slot's image for messages ("(unnamed)" for a fresh
 * host's). */
static int image_name(char **out, swim_host *h, swim_image_slot slot)
{
	swim_image_info info;
	int rc;

	*out = NULL;
	if ((rc = swim_image_info_get(&info, h, slot)) < 0)
		return rc;
	*out = swim_strdup(info.name && *info.name ? info.name : "(unnamed)");
	swim_image_info_dispose(&info);
	return *out ? 0 : SWIM_ENOMEM;
}

/* ---- activation --------------------------------------------------------- */

struct activation {
	swim_host *h;
	swim_fault fault;
	swim_txn_meter meter;
	swim_boot_result *res;
	swim_host_package **current;
	size_t n_current;
	swim_host_package **pending;
	size_t n_pending;
	int64_t *leaving;
	size_t n_leaving;
	swim_txn_pkg *arriving;
	swim_txn_pkg **arriving_p;
	size_t n_arriving;
	char *name;            /* the pending image's name */
};

static void activation_dispose(struct activation *a)
{
	swim_fault_dispose(&a->fault);
	swim_host_package_list_free(a->current, a->n_current);
	swim_host_package_list_free(a->pending, a->n_pending);
	free(a->leaving);
	for (size_t i = 0; i < a->n_arriving; i++)
		swim_txn_pkg_dispose(&a->arriving[i]);
	free(a->arriving);
	free(a->arriving_p);
	free(a->name);
}

/* Every payload the pending image needs must be in the store before a
 * file moves: the depot may be long gone. */
static int check_store(swim_host *h)
{
	swim_buf b = SWIM_BUF_INIT(0);
	char **missing = NULL;
	size_t n = 0;
	int rc;

	if ((rc = swim_store_missing(&missing, &n, h, SWIM_IMAGE_PENDING)) < 0 ||
	    n == 0)
		goto out;
	for (size_t i = 0; i < n && i < 3 && rc == 0; i++)
		rc = swim_buf_printf(&b, "%s%s", i ? ", " : "", missing[i]);
	if (rc == 0)
		rc = swim_error_set(SWIM_ENOTFOUND, "The payload store lacks %zu "
		                    "payload%s the pending image needs (sha-256 "
		                    "%s%s); the pending image cannot be activated.",
		                    n, n == 1 ? "" : "s", b.ptr,
		                    n > 3 ? ", ..." : "");
out:
	swim_host_strv_free(missing, n);
	swim_buf_dispose(&b);
	return rc;
}

static int load(struct activation *a)
{
	int rc;

	if ((rc = check_store(a->h)) < 0 ||
	    (rc = image_name(&a->name, a->h, SWIM_IMAGE_PENDING)) < 0 ||
	    (rc = swim_image_packages(&a->current, &a->n_current, a->h,
	                              SWIM_IMAGE_CURRENT)) < 0 ||
	    (rc = swim_image_packages(&a->pending, &a->n_pending, a->h,
	                              SWIM_IMAGE_PENDING)) < 0 ||
	    (rc = only_in(&a->res->installed, &a->res->n_installed, a->pending,
	                  a->n_pending, a->current, a->n_current)) < 0 ||
	    (rc = only_in(&a->res->removed, &a->res->n_removed, a->current,
	                  a->n_current, a->pending, a->n_pending)) < 0)
		return rc;
	if (!(a->leaving = calloc(a->n_current + 1, sizeof(*a->leaving))) ||
	    !(a->arriving = calloc(a->n_pending + 1, sizeof(*a->arriving))) ||
	    !(a->arriving_p = calloc(a->n_pending + 1, sizeof(*a->arriving_p))))
		return swim_error_oom();
	for (size_t i = 0; i < a->n_current; i++) {
		bool stays = false;

		for (size_t k = 0; k < a->n_pending && !stays; k++)
			stays = a->pending[k]->record == a->current[i]->record;
		if (!stays)
			a->leaving[a->n_leaving++] = a->current[i]->record;
	}
	for (size_t i = 0; i < a->n_pending; i++) {
		bool there = false;

		for (size_t k = 0; k < a->n_current && !there; k++)
			there = a->current[k]->record == a->pending[i]->record;
		if (there)
			continue;
		if ((rc = swim_txn_pkg_from_record(&a->arriving[a->n_arriving],
		                                   a->h, a->pending[i], NULL)) < 0)
			return rc;
		a->arriving_p[a->n_arriving] = &a->arriving[a->n_arriving];
		a->n_arriving++;
	}
	return 0;
}

static int record_changes(struct activation *a, int64_t history)
{
	const swim_boot_result *r = a->res;
	int rc = 0;

	for (size_t i = 0; i < r->n_installed && rc == 0; i++)
		rc = swim_history_add(a->h, history, SWIM_HISTORY_INSTALLED,
		                      r->installed[i]);
	for (size_t i = 0; i < r->n_removed && rc == 0; i++)
		rc = swim_history_add(a->h, history, SWIM_HISTORY_REMOVED,
		                      r->removed[i]);
	return rc;
}

/* Inside the SQL transaction that commits the journal. */
static int rotate(void *ctx)
{
	struct activation *a = ctx;
	swim_host *h = a->h;
	int rc;

	if ((rc = swim_image_delete(h, SWIM_IMAGE_PREVIOUS)) < 0 ||
	    (rc = swim_image_move(h, SWIM_IMAGE_CURRENT,
	                          SWIM_IMAGE_PREVIOUS)) < 0 ||
	    (rc = swim_image_move(h, SWIM_IMAGE_PENDING,
	                          SWIM_IMAGE_CURRENT)) < 0 ||
	    (rc = swim_image_gc(h, NULL)) < 0 ||
	    (rc = record_changes(a, a->res->history)) < 0 ||
	    (rc = swim_history_finish(h, a->res->history, SWIM_HISTORY_SUCCESS,
	                              a->res->message, false)) < 0)
		return rc;
	return swim_fault_point(&a->fault, "rotate");
}

static int activate(struct activation *a, const swim_boot_options *opt)
{
	swim_boot_result *r = a->res;
	swim_txn_apply ap = {
		.h = a->h, .fault = &a->fault, .meter = &a->meter,
		.threads = a->fault.on ? 1 : swim_workers_default(opt->threads),
		.target = SWIM_IMAGE_CURRENT, .commit = rotate, .commit_ctx = a,
	};
	swim_buf msg = SWIM_BUF_INIT(0);
	char *err;
	int rc;

	if ((rc = swim_buf_printf(&msg, "The pending image %s is now the "
	                          "current image; the one it replaced is kept "
	                          "as the previous image.", a->name)) < 0 ||
	    (rc = swim_str_set(&r->message, msg.ptr)) < 0 ||
	    (rc = swim_history_begin(&r->history, a->h,
	                             opt->operation ? opt->operation
	                                            : "host boot")) < 0)
		goto out;
	ap.history = r->history;
	ap.leaving = a->leaving;
	ap.n_leaving = a->n_leaving;
	ap.arriving = a->arriving_p;
	ap.n_arriving = a->n_arriving;
	if ((rc = swim_fault_point(&a->fault, "activate")) == 0 &&
	    (rc = swim_txn_apply_run(&ap)) == 0) {
		r->changed = true;
		r->payloads_removed = ap.gc_payloads;
		r->bytes_removed = ap.gc_bytes;
		swim_txn_meter_done(&a->meter, "Done");
		goto out;
	}
	/* Failed, the host as it was: the entry says why. */
	if ((err = swim_strdup(swim_error_last()))) {
		(void)swim_history_finish(a->h, r->history, SWIM_HISTORY_FAILED,
		                          err, false);
		(void)swim_error_set(rc, "%s", err);
		free(err);
	}
out:
	swim_txn_apply_dispose(&ap);
	swim_buf_dispose(&msg);
	return rc;
}

int swim_boot_activate(swim_boot_result **out, swim_host *h,
                       const swim_boot_options *opt)
{
	static const swim_boot_options none = { 0 };
	struct activation a = { .h = h };
	bool pending = false;
	int rc;

	*out = NULL;
	if (!opt)
		opt = &none;
	if ((rc = swim_host__need_write(h)) < 0)
		return rc;
	if (!(a.res = calloc(1, sizeof(*a.res))))
		return swim_error_oom();
	swim_fault_init(&a.fault);
	a.meter.fn = opt->progress;
	a.meter.ctx = opt->progress_ctx;
	if ((rc = swim_image_exists(&pending, h, SWIM_IMAGE_PENDING)) < 0)
		goto out;
	if (!pending) {
		rc = swim_str_set(&a.res->message, "No image is pending; the "
		                  "current image stays.");
		goto out;
	}
	if ((rc = load(&a)) == 0)
		rc = activate(&a, opt);
out:
	if (rc == 0) {
		*out = a.res;
		a.res = NULL;
	}
	swim_boot_result_free(a.res);
	activation_dispose(&a);
	return rc;
}

/* ---- rollback ----------------------------------------------------------- */

/* What the next activation would install and remove. */
static int next_boot(swim_boot_result *r, swim_host *h)
{
	swim_host_package **cur = NULL, **pend = NULL;
	size_t n_cur = 0, n_pend = 0;
	bool pending;
	int rc;

	if ((rc = swim_image_exists(&pending, h, SWIM_IMAGE_PENDING)) < 0 ||
	    !pending)
		return rc;
	if ((rc = swim_image_packages(&cur, &n_cur, h, SWIM_IMAGE_CURRENT)) == 0 &&
	    (rc = swim_image_packages(&pend, &n_pend, h,
	                              SWIM_IMAGE_PENDING)) == 0 &&
	    (rc = only_in(&r->installed, &r->n_installed, pend, n_pend, cur,
	                  n_cur)) == 0)
		rc = only_in(&r->removed, &r->n_removed, cur, n_cur, pend, n_pend);
	swim_host_package_list_free(cur, n_cur);
	swim_host_package_list_free(pend, n_pend);
	return rc;
}

static int roll_back(swim_boot_result *r, swim_host *h)
{
	swim_buf msg = SWIM_BUF_INIT(0);
	char *prev = NULL, *cur = NULL, *pend = NULL;
	bool has_prev, has_pend, same = false;
	int rc;

	if ((rc = swim_image_exists(&has_prev, h, SWIM_IMAGE_PREVIOUS)) < 0 ||
	    (rc = swim_image_exists(&has_pend, h, SWIM_IMAGE_PENDING)) < 0)
		goto out;
	if (!has_prev) {
		rc = swim_error_set(SWIM_ENOTFOUND, "There is no previous image "
		                    "to roll back to.");
		goto out;
	}
	if ((rc = image_name(&prev, h, SWIM_IMAGE_PREVIOUS)) < 0 ||
	    (rc = image_name(&cur, h, SWIM_IMAGE_CURRENT)) < 0 ||
	    (has_pend && (rc = image_name(&pend, h, SWIM_IMAGE_PENDING)) < 0) ||
	    (has_pend && (rc = swim_image_same_packages(&same, h,
	                                                SWIM_IMAGE_PENDING,
	                                                SWIM_IMAGE_PREVIOUS)) < 0))
		goto out;
	if (same) {
		/* A rollback not booted yet: rolling back again undoes it. */
		if ((rc = swim_image_delete(h, SWIM_IMAGE_PENDING)) == 0)
			rc = swim_buf_printf(&msg, "The pending rollback to %s is "
			                     "cancelled: no image is pending, the "
			                     "next boot keeps %s.", prev, cur);
	} else {
		if ((rc = swim_image_copy(h, SWIM_IMAGE_PREVIOUS,
		                          SWIM_IMAGE_PENDING)) == 0 && has_pend)
			rc = swim_buf_printf(&msg, "The pending image %s and the "
			                     "changes staged in it are discarded. ",
			                     pend);
		if (rc == 0)
			rc = swim_buf_printf(&msg, "The previous image %s is now "
			                     "pending: the next boot activates it "
			                     "(swim host boot).", prev);
	}
	if (rc == 0)
		rc = swim_image_gc(h, NULL);
	if (rc == 0)
		rc = swim_str_set(&r->message, msg.ptr);
	if (rc == 0)
		rc = swim_history_record(h, "host rollback", SWIM_HISTORY_SUCCESS,
		                         r->message);
	r->changed = true;
out:
	free(prev);
	free(cur);
	free(pend);
	swim_buf_dispose(&msg);
	return rc;
}

int swim_boot_rollback(swim_boot_result **out, swim_host *h)
{
	swim_boot_result *r = NULL;
	int rc;

	*out = NULL;
	if ((rc = swim_host__need_write(h)) < 0)
		return rc;
	if (!(r = calloc(1, sizeof(*r))))
		return swim_error_oom();
	if ((rc = swim_host_begin(h)) < 0)
		goto out;
	rc = swim_host__finish(h, roll_back(r, h));
	/* Payloads only the discarded pending image needed. */
	if (rc == 0)
		rc = swim_txn_store_gc(h, NULL, false, NULL, NULL);
	if (rc == 0)
		rc = next_boot(r, h);
	if (rc == 0) {
		*out = r;
		r = NULL;
	}
out:
	swim_boot_result_free(r);
	return rc;
}
