/* swim — host images across boots: activating the pending image (what a
 * boot does) and rolling back to the previous one.
 *
 * A reboot-required transaction builds the pending image without
 * touching a file (swim_transaction_run()). swim_boot_activate(), run
 * early at startup by the init system (`swim host boot`) or on demand
 * (`swim host reboot`), puts its files in place through the transaction
 * engine: the packages of the current image that the pending one lacks
 * leave, those it adds arrive (their content read from the payload
 * store), with the same journal, swap and recovery as any transaction,
 * and the database turns pending into current, current into previous
 * and drops the old previous image, in the one SQL transaction that
 * commits the journal. A kill at any instant leaves the old image or
 * the new one, whole. swim_boot_rollback() makes the previous image the
 * pending one (ESXi's altbootbank), so the next activation returns to
 * it. docs/images.md has the model and the rules.
 */
#ifndef SWIM_BOOT_H
#define SWIM_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "swim/host.h"
#include "swim/transaction.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct swim_boot_options {
	/* recorded in the history: "host boot" (NULL) or "host reboot" */
	const char *operation;
	/* worker threads for staging; 0: one per CPU, at most 8 */
	unsigned threads;
	/* phases as swim_transaction_run() reports them (stage, commit,
	 * cleanup); cancelling works up to the swap */
	swim_transaction_progress_fn progress;
	void *progress_ctx;
} swim_boot_options;

typedef struct swim_boot_result {
	/* activation: an image was pending and is now current; rollback:
	 * the pending image changed */
	bool changed;
	char *message;
	/* Package ids, sorted. Activation: what arrived and left on disk.
	 * Rollback: what the next activation will install and remove. */
	char **installed;
	size_t n_installed;
	char **removed;
	size_t n_removed;
	/* activation: the payload store's garbage collection after it */
	uint64_t payloads_removed;
	uint64_t bytes_removed;
	int64_t history;       /* the history entry, 0 when none */
} swim_boot_result;

/* Activates the pending image (host open for writing). Nothing pending:
 * 0 with changed false and the message "No image is pending; the current
 * image stays." Before any file moves, every payload the new packages
 * need must be in the store (SWIM_ENOTFOUND naming the missing ones).
 * On failure the host is as it was, the image still pending, and the
 * error slot says why. opt may be NULL.
 * @param[out] out freed with swim_boot_result_free(). */
int swim_boot_activate(swim_boot_result **out, swim_host *h,
                       const swim_boot_options *opt);

/* Rollback (host open for writing): the pending image becomes a copy of
 * the previous one, discarding changes staged by reboot-required
 * transactions (the message says so), so that the next activation
 * returns to the previous image. When the pending image already is the
 * previous one (the same packages: a rollback not yet booted), rolling
 * back again cancels it: no image is pending any more, and the host is
 * where it was before the first rollback. SWIM_ENOTFOUND "There is no
 * previous image to roll back to." without one. Files are not touched.
 * @param[out] out freed with swim_boot_result_free(). */
int swim_boot_rollback(swim_boot_result **out, swim_host *h);

void swim_boot_result_free(swim_boot_result *r);

#ifdef __cplusplus
}
#endif
#endif
