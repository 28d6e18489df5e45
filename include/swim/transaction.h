/* swim — transactions: installing, updating and removing packages on a
 * host, atomically.
 *
 * swim_transaction_run() takes a request as esxcli words it (`vib
 * install|update|remove`, `profile install|update|validate`, with -n
 * names, -v files and the bypasses), resolves it against the installed
 * packages, fetches and verifies every package (checksums always, the
 * signature unless no_sig_check), keeps the payloads in the payload
 * store, stages the new files next to their targets, records the plan in
 * the journal, swaps the files with rename(2) keeping the old ones,
 * syncs the file system once and commits the database, then cleans up.
 * A process killed at any instant leaves a journal that the next writer
 * (swim_host_open() in write mode calls swim_transaction_recover()) rolls
 * back or finishes, so the host is found exactly before or exactly after
 * the transaction. docs/transaction.md has the sequence, the recovery
 * rules and why one syncfs is enough.
 *
 * Progress is reported through a callback in phases with fractions, and
 * the callback may cancel the transaction up to the swap (a CIM job's
 * RequestStateChange(Terminate)).
 */
#ifndef SWIM_TRANSACTION_H
#define SWIM_TRANSACTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "swim/host.h"
#include "swim/resolve.h"

#ifdef __cplusplus
extern "C" {
#endif

struct swim_depot_set;

typedef enum swim_transaction_phase {
	SWIM_TRANSACTION_RESOLVE = 0,   /* the plan */
	SWIM_TRANSACTION_DOWNLOAD,      /* packages fetched */
	SWIM_TRANSACTION_VERIFY,        /* checksums, signatures, rules */
	SWIM_TRANSACTION_STAGE,         /* payload store, staged files */
	SWIM_TRANSACTION_COMMIT,        /* swap, sync, database */
	SWIM_TRANSACTION_CLEANUP        /* old files, unused payloads */
} swim_transaction_phase;

#define SWIM_TRANSACTION_PHASES 6

/* "resolve", "download", "verify", "stage", "commit", "cleanup". */
const char *swim_transaction_phase_name(swim_transaction_phase phase);

typedef struct swim_transaction_progress {
	swim_transaction_phase phase;
	double fraction;       /* of the phase, 0 to 1 */
	unsigned percent;      /* of the whole transaction, 0 to 100; never
	                        * decreases (a job's PercentComplete) */
	const char *status;    /* what happens, in words (a job's JobStatus);
	                        * borrowed for the call */
} swim_transaction_progress;

/* Called in the thread that runs the transaction, at least at every
 * phase change and then as work completes. A non-zero return cancels the
 * transaction (SWIM_ECANCELLED, the host unchanged) when it comes before
 * the files are swapped; later it is ignored. */
typedef int (*swim_transaction_progress_fn)(void *ctx,
                                            const swim_transaction_progress *p);

typedef struct swim_transaction_request {
	/* install, update, remove, profile install|update|validate */
	swim_resolve_job job;
	/* esxcli -n: name, name:version, vendor:name, vendor:name:version */
	const char *const *names;
	size_t n_names;
	/* esxcli -v: .vib files by path or URL (http, https, file) */
	const char *const *vib_urls;
	size_t n_vib_urls;
	/* esxcli -d: the depots packages and profiles come from (NULL:
	 * none); borrowed */
	struct swim_depot_set *depots;
	/* esxcli -p: profile jobs, the name of a profile the depots offer */
	const char *profile_name;
	bool dry_run;          /* resolve and report; change nothing */
	bool force;            /* --force (docs/resolve.md "Acceptance and
	                        * bypasses"); marks the host inconsistent */
	bool no_sig_check;     /* --no-sig-check; marks it inconsistent */
	bool allow_downgrades; /* profile update */
	bool ok_to_remove;     /* profile install */
	const char *debug_dir; /* --debug-solver: libsolv's testcase */
	/* Trust store; NULL: swim.conf's trust_dir, else ROOT/etc/swim/trust */
	const char *trust_dir;
	/* Worker threads for verifying and staging; 0: one per CPU, at
	 * most 8. */
	unsigned threads;
	swim_transaction_progress_fn progress;  /* may be NULL */
	void *progress_ctx;
} swim_transaction_request;

typedef struct swim_transaction_result {
	swim_resolve_job job;
	bool dry_run;
	/* esxcli's Message: "Operation finished successfully.", "Host is
	 * not changed.", a dry run's summary */
	char *message;
	bool reboot_required;
	/* package ids, sorted: esxcli's VIBs Installed, VIBs Removed, VIBs
	 * Skipped (removed includes the ones replaced by newer versions) */
	char **installed;
	size_t n_installed;
	char **removed;
	size_t n_removed;
	char **skipped;
	size_t n_skipped;
	/* The host after the transaction (before it, for a dry run or a
	 * failure): false while a bypass made it inconsistent, with the
	 * warning to print (NULL while consistent). */
	bool consistent;
	char *warning;
	/* profile validate: the host already is the profile */
	bool compliant;
	/* The resolver's plan: items with reasons, problems with libsolv's
	 * solutions. NULL when resolution did not run. */
	swim_plan *plan;
	/* The history entry, 0 when none was written (dry run, validate). */
	int64_t history;
} swim_transaction_result;

/* Runs the request on a host open for writing. On success *out says what
 * was done. On failure the host is as it was and the error slot says why
 * (resolution problems one per line, as swim_resolve_plan() puts them;
 * "Could not find a trusted signer" for a package whose signature does
 * not prove its level; the space needed when the disk is too full; the
 * path and the system's reason for a permission error); *out is still
 * set when the resolver ran, with the plan's problems. Packages that do
 * not allow live install or removal are refused (SWIM_ENOTSUPPORTED):
 * they need a reboot-required install into a pending image. A dry run
 * and profile validate need only read access.
 * @param[out] out freed with swim_transaction_result_free(). */
int swim_transaction_run(swim_transaction_result **out, swim_host *h,
                         const swim_transaction_request *req);

void swim_transaction_result_free(swim_transaction_result *r);

/* What recovery did. */
typedef struct swim_transaction_recovery {
	size_t rolled_back;    /* uncommitted transactions undone */
	size_t finished;       /* committed transactions cleaned up */
} swim_transaction_recovery;

/* Finishes what a transaction killed before its end left behind: a
 * journal that was not committed is undone (old files back, staged and
 * created ones removed, the history entry closed as interrupted), a
 * committed one is finished (old files and leftovers deleted); payloads
 * no image needs and stray files of the payload store are removed, and
 * the staging area is emptied. Idempotent, and safe to kill at any
 * point itself. swim_host_open() runs it in write mode; out may be NULL. */
int swim_transaction_recover(swim_transaction_recovery *out, swim_host *h);

/* Whether an interrupted transaction waits for recovery (works
 * read-only). */
int swim_transaction_pending_recovery(bool *out, swim_host *h);

#ifdef __cplusplus
}
#endif
#endif
