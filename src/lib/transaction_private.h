/* Inside the transaction engine: shared by transaction*.c and verify.c.
 *
 * The engine has two halves. The first (transaction.c, _fetch, _scan)
 * turns a request into packages that are resolved, fetched and verified,
 * each with the list of its entries. The second (swim_txn_apply: _plan,
 * _store, _stage, _apply) takes "what leaves" (records of an image) and
 * "what arrives" (packages with their entries, new or already recorded)
 * and changes the files under the root atomically, with the content
 * taken from the payload store and the database changed by a callback
 * inside the committing SQL transaction. A live install, an overlay
 * removal that restores the shadowed files, the activation of a pending
 * image at boot (boot.c) and a repair (repair.c) are all this second
 * half; a reboot-required change uses only its store and commit steps
 * (swim_txn_stage_pending()).
 */
#ifndef SWIM_LIB_TRANSACTION_PRIVATE_H
#define SWIM_LIB_TRANSACTION_PRIVATE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/rootdir.h"
#include "swim/image.h"
#include "swim/journal.h"
#include "swim/transaction.h"
#include "swim/vib.h"
#include "util/strmap.h"

/* ---- fault injection (tests only) ------------------------------------ */

/* SWIM_TEST_FAULT="POINT[#N]:ACTION[,...]" makes the N-th (default
 * first) pass through POINT kill the process (kill), fail as the system
 * call would with an errno (fail=ENOSPC, EACCES, EPERM, EIO, EROFS) or
 * sleep (sleep=MS). SWIM_TEST_FAULT_TRACE=FILE appends every point
 * passed to FILE, one per line. Points: docs/transaction.md. Unset, it
 * costs one branch per point. */
#define SWIM_FAULT_RULES 8

typedef struct swim_fault {
	struct {
		char point[24];
		unsigned long nth;
		unsigned long seen;
		enum { FAULT_KILL, FAULT_FAIL, FAULT_SLEEP } action;
		int err;
		unsigned ms;
	} rules[SWIM_FAULT_RULES];
	size_t n;
	int trace_fd;
	bool on;
} swim_fault;

void swim_fault_init(swim_fault *f);
void swim_fault_dispose(swim_fault *f);
/* 0, or a negative errno to fail with (for fail=); may not return. Call
 * from one thread at a time (points inside workers are not used). */
int swim_fault_hit(swim_fault *f, const char *point);
/* The same, a failure turned into a SWIM_E* code with a message. */
int swim_fault_point(swim_fault *f, const char *point);

/* ---- packages and their entries --------------------------------------- */

/* One entry of a package's payloads, as the database records it. */
typedef struct swim_txn_entry {
	char *path;            /* normalised, relative to ROOT */
	swim_file_type type;   /* f, d or l (the rules refuse the others) */
	uint32_t mode;         /* permission bits */
	uint32_t uid;
	uint32_t gid;
	uint64_t size;
	char sha256[65];       /* regular files */
	char *link_target;     /* symlinks */
	int64_t mtime;
	uint32_t payload;      /* index in pkg->payloads */
} swim_txn_entry;

/* A package that arrives in the target image. */
typedef struct swim_txn_pkg {
	const swim_package *pkg;     /* borrowed */
	int64_t record;              /* its record when already recorded
	                              * (activation), 0 for a new package */
	int64_t rank;                /* later wins on a shared path */
	swim_txn_entry *entries;     /* payload order, then archive order */
	size_t n_entries;
	uint64_t file_bytes;         /* sum of regular file sizes */
	/* new packages */
	swim_vib *vib;               /* opened and verified; borrowed */
	char *vib_path;              /* the .vib on disk */
	char *prestage;              /* below the state directory: every
	                              * non-directory entry k written as
	                              * <prestage>/<k> while verifying (a
	                              * live install), or NULL */
	char *source;                /* where it came from */
	swim_acceptance proven;
	char *signer;
} swim_txn_pkg;

void swim_txn_pkg_dispose(swim_txn_pkg *p);

/* The uid and gid a file gets: the package's as root, else ours (an
 * unprivileged install cannot give files away). */
void swim_txn_owner(uint32_t *uid, uint32_t *gid, uint32_t want_uid,
                    uint32_t want_gid);

/* Gives a staged file its owner (as root only), mode and mtime: through
 * fd, or, when fd is -1, to `name` in dfd without following it (a
 * symlink, whose mode is not its own). 0, or the negative errno. */
int swim_txn_set_meta(int dfd, const char *name, int fd, uint32_t uid,
                      uint32_t gid, uint32_t mode, int64_t mtime);

/* Where a live install's verification writes a package's files. */
typedef struct swim_txn_prestage {
	swim_host *h;
	swim_fault *fault;     /* point `prestage`, per entry; one thread */
	char dir[48];          /* below the state directory: "staging/..." */
} swim_txn_prestage;

/* Reads every payload of p->vib: checks everything swim_vib_verify()
 * checks and fills p->entries and p->file_bytes; every non-directory
 * entry must be in the descriptor's file-list. With pre (NULL: none),
 * the entries are written to pre->dir too and p->prestage set when all
 * of them were. */
int swim_txn_scan_pkg(swim_txn_pkg *p, const swim_txn_prestage *pre);

/* A package already recorded (activation, repair) as an arriving one:
 * its entries from the database's file rows (only the paths in `only`
 * when it is not NULL), its content from the payload store. p->pkg is
 * borrowed from rec; rank and record are the record's id. */
int swim_txn_pkg_from_record(swim_txn_pkg *p, swim_host *h,
                             const swim_host_package *rec,
                             const swim_strmap *only);

/* SWIM_EINVAL when the package ships a path inside swim's own state
 * directory (var/lib/swim). */
int swim_txn_check_state_paths(const swim_txn_pkg *p);

/* ---- progress ---------------------------------------------------------- */

typedef struct swim_txn_meter {
	swim_transaction_progress_fn fn;
	void *ctx;
	swim_transaction_phase phase;
	unsigned percent;
	bool locked;                 /* past the swap: cancelling ignored */
	atomic_uint_least64_t done;  /* units of the phase done */
	uint64_t total;
	char status[256];
} swim_txn_meter;

/* Enters a phase with `total` units of work (0: unknown) and a status.
 * Returns the callback's verdict (SWIM_ECANCELLED, message set). */
int swim_txn_meter_phase(swim_txn_meter *m, swim_transaction_phase phase,
                         uint64_t total, const char *status);
/* Reports m->done / m->total of the current phase. */
int swim_txn_meter_report(swim_txn_meter *m);
/* A new status within the phase (done and total kept). */
int swim_txn_meter_status(swim_txn_meter *m, const char *status);
/* 100 percent. */
void swim_txn_meter_done(swim_txn_meter *m, const char *status);

/* ---- applying: files from "what leaves" to "what arrives" ---------- */

/* A step of the plan: one journal step plus what staging needs. */
typedef struct swim_txn_step {
	swim_journal_action action;
	char *path;
	char *staged;          /* create, replace */
	char *backup;          /* replace, remove */
	uint32_t mode, uid, gid;  /* mkdir */
	/* create, replace: the content is arriving package pre_pkg - 1's
	 * prestaged entry pre_entry (0: a job reads it from the store) */
	uint32_t pre_pkg, pre_entry;
} swim_txn_step;

/* Reading one payload from the store, writing the entries it is asked
 * for as staged files. */
typedef struct swim_txn_job {
	const swim_package *pkg;     /* for the setid allowance, messages */
	const char *sha256;          /* the payload as shipped */
	uint64_t size;
	const char *payload;         /* its name */
	swim_strmap want;            /* path -> step index + 1 */
	size_t n_want;
	uint64_t bytes;              /* file bytes it writes */
} swim_txn_job;

typedef struct swim_txn_apply {
	swim_host *h;
	swim_fault *fault;
	swim_txn_meter *meter;
	unsigned threads;
	int64_t history;             /* names staged files (never reused) */
	swim_image_slot target;
	/* what leaves: records of the target image */
	const int64_t *leaving;
	size_t n_leaving;
	/* what arrives */
	swim_txn_pkg *const *arriving;
	size_t n_arriving;
	/* the database changes, run inside the committing transaction */
	int (*commit)(void *ctx);
	void *commit_ctx;
	/* repair: a hard link whose first name is not restored links to
	 * that name as installed */
	bool link_installed;

	/* filled by planning */
	swim_host_package **before;  /* the target image's records (jobs
	                              * that restore files borrow them) */
	size_t n_before;
	swim_txn_step *steps;
	size_t n_steps;
	swim_txn_job *jobs;
	size_t n_jobs;
	uint64_t stage_bytes;
	uint64_t store_bytes;        /* payloads the store lacks */
	size_t file_base;            /* steps index of the first file step */
	int64_t txn;                 /* the journal */
	int *sync_fds;               /* one directory per file system */
	size_t n_sync_fds;
	char **stored;               /* payloads written to the store */
	size_t n_stored;
	/* the store's garbage collection after the commit */
	uint64_t gc_payloads;
	uint64_t gc_bytes;
} swim_txn_apply;

/* Plans the steps and staging jobs and checks free space. */
int swim_txn_plan_files(swim_txn_apply *a);

/* For a change that moves no file (a reboot-required one): checks the
 * free space the payloads the store lacks need, and notes the file
 * system to sync. */
int swim_txn_plan_store(swim_txn_apply *a);

/* Copies the payloads of new packages into the store (after the space
 * check); records which ones it wrote. */
int swim_txn_store_payloads(swim_txn_apply *a);

/* Makes the directories and writes every staged file. */
int swim_txn_stage(swim_txn_apply *a);

/* The whole second half: plan, journal, store, stage, swap, sync,
 * commit, cleanup. On failure everything is undone. */
int swim_txn_apply_run(swim_txn_apply *a);

/* A reboot-required change: plan_store, store, sync, then commit (the
 * callback builds the pending image) with the new payloads listed; no
 * journal, no file of the root touched. On failure the payloads it
 * stored are deleted again. */
int swim_txn_stage_pending(swim_txn_apply *a);

void swim_txn_apply_dispose(swim_txn_apply *a);

/* ---- journal replay (rollback and recovery) ---------------------------- */

/* Undoes the journal's steps from what the file system shows (staged
 * files deleted, backups renamed back, created paths and directories
 * removed), ends the journal, and closes its history entry with
 * `result` and `message` (NULL: leave the entry). */
int swim_txn_undo(swim_host *h, const swim_journal *j, swim_fault *fault,
                  int result, const char *message);

/* Whether a transaction was interrupted: an unfinished journal or a
 * history entry left running. */
int swim_txn_interrupted(bool *out, swim_host *h);

/* Finishes a committed journal: deletes backups, leftovers and emptied
 * directories, syncs, ends the journal. */
int swim_txn_finish(swim_host *h, const swim_journal *j, swim_fault *fault);

/* Deletes payloads no image needs and, with sweep, store files the
 * database does not list and temporaries. n and bytes (may be NULL)
 * count the payloads deleted. Each deletion passes the fault point
 * `gc` (fault may be NULL). */
int swim_txn_store_gc(swim_host *h, swim_fault *fault, bool sweep,
                      uint64_t *n, uint64_t *bytes);

/* A directory below ROOT/var/lib/swim ("store/aa", "staging"), never
 * through a symlink; made when missing with create. */
int swim_txn_state_dir(int *out, swim_host *h, const char *rel, bool create);

/* Empties ROOT/var/lib/swim/staging (downloads of earlier runs). */
int swim_txn_staging_clear(swim_host *h);

/* The winner among a path's owners: an overlay beats a non-overlay,
 * then the higher rank (later installed). */
bool swim_txn_wins(bool overlay_a, int64_t rank_a, bool overlay_b,
                   int64_t rank_b);

#endif
