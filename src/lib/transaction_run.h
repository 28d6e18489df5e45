/* The first half of a transaction (transaction.c, transaction_fetch.c,
 * transaction_db.c): the request, the packages offered and installed,
 * the resolver's plan, and the database changes of a package job. */
#ifndef SWIM_LIB_TRANSACTION_RUN_H
#define SWIM_LIB_TRANSACTION_RUN_H

#include "lib/transaction_private.h"
#include "swim/resolve.h"
#include "swim/transaction.h"

typedef struct swim_txn {
	swim_host *h;
	const swim_transaction_request *req;
	swim_transaction_result *res;
	swim_fault fault;
	swim_txn_meter meter;
	unsigned threads;
	char *trust_dir;
	swim_host_state state;
	/* installed: the current image */
	swim_host_package **installed;
	size_t n_installed;
	swim_resolve_pkg *installed_rp;
	/* offered: -v files (and depot packages) */
	swim_vib **vibs;
	swim_txn_pkg *files;
	size_t n_files;
	swim_resolve_pkg *available_rp;
	size_t n_available;
	const swim_profile *profile;     /* profile jobs, from the depots */
	/* depot packages the plan installs, fetched into the staging area */
	swim_txn_pkg *fetched;
	swim_vib **fetched_vibs;
	size_t n_fetched;
	/* the plan and what it means for the image */
	swim_plan *plan;
	swim_txn_pkg **arriving;
	size_t n_arriving;
	int64_t *leaving;
	size_t n_leaving;
	int64_t history;
} swim_txn;

/* Opens the -v file or URL number i into t->files[t->n_files]. */
int swim_txn_open_vib(swim_txn *t, const char *url, size_t i);

/* Adds what the depots offer to t->available_rp and finds the profile of
 * a profile job. */
int swim_txn_load_depots(swim_txn *t);

/* Fetches the depot package pkg (one of the plan's) into
 * t->fetched[t->n_fetched]: downloaded into the staging area, checked
 * against the metadata and opened. */
int swim_txn_fetch_depot_pkg(swim_txn *t, const swim_package *pkg);

/* SWIM_EACCEPTANCE "Could not find a trusted signer" when p's signature
 * does not prove the level it claims (and no --no-sig-check). */
int swim_txn_check_signer(const swim_txn *t, const swim_txn_pkg *p);

/* The database changes of a package job, inside the committing SQL
 * transaction: records, the image, its profile, history, consistency. */
int swim_txn_commit_db(void *ctx);

#endif
