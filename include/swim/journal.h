/* swim — the transaction journal: the plan of a transaction recorded in
 * the host database before any file moves, so that the next writer can
 * finish or undo it after a crash.
 *
 * The transaction engine records its steps (one per path: create,
 * replace, remove, mkdir, rmdir, with the staged path holding the new
 * content and the backup path the old one), moves the journal from
 * planned to applying before the first rename, marks steps done as it
 * goes (in ranges, so 100,000 files are not 100,000 commits), and sets it
 * committed in the same SQL transaction that switches the database to
 * the new image. What recovery does in each state is in docs/host.md.
 */
#ifndef SWIM_JOURNAL_H
#define SWIM_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "swim/host.h"
#include "swim/image.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum swim_journal_state {
	SWIM_JOURNAL_PLANNED = 0,   /* steps recorded; nothing moved */
	SWIM_JOURNAL_APPLYING,      /* files are moving: undo on recovery */
	SWIM_JOURNAL_COMMITTED      /* database switched: clean up on recovery */
} swim_journal_state;

typedef enum swim_journal_action {
	SWIM_JOURNAL_CREATE = 0,    /* staged -> path (no old file) */
	SWIM_JOURNAL_REPLACE,       /* path -> backup, staged -> path */
	SWIM_JOURNAL_REMOVE,        /* path -> backup */
	SWIM_JOURNAL_MKDIR,         /* a directory made for the new files */
	SWIM_JOURNAL_RMDIR          /* a directory emptied by removals */
} swim_journal_action;

typedef enum swim_step_state {
	SWIM_STEP_PLANNED = 0,
	SWIM_STEP_DONE,
	SWIM_STEP_UNDONE
} swim_step_state;

const char *swim_journal_state_name(swim_journal_state s);
const char *swim_journal_action_name(swim_journal_action a);

typedef struct swim_journal_step {
	uint64_t seq;               /* from 1, in the order added (set by add) */
	swim_journal_action action;
	const char *path;           /* relative to ROOT */
	const char *staged;         /* relative to ROOT, or NULL */
	const char *backup;         /* relative to ROOT, or NULL */
	swim_step_state state;
} swim_journal_step;

typedef struct swim_journal {
	int64_t txn;
	int64_t history;            /* the history entry, 0 when none */
	swim_image_slot target;     /* the image the transaction changes */
	swim_journal_state state;
	char *created;              /* ISO 8601 UTC */
	char *updated;
	uint64_t n_steps;
} swim_journal;

/* Opens a journal in state planned. @param[out] txn its id. */
int swim_journal_begin(int64_t *txn, swim_host *h, int64_t history,
                       swim_image_slot target);

/* Appends steps (their seq and state are ignored: numbered on from the
 * last one, planned). Only while planned. */
int swim_journal_add(swim_host *h, int64_t txn, const swim_journal_step *steps,
                     size_t n);

/* Moves the journal forward (planned -> applying -> committed);
 * SWIM_EINVAL for any other move. */
int swim_journal_set_state(swim_host *h, int64_t txn,
                           swim_journal_state state);

/* Sets the state of steps first..last (inclusive). */
int swim_journal_mark(swim_host *h, int64_t txn, uint64_t first,
                      uint64_t last, swim_step_state state);

/* The journals still open (a transaction died before swim_journal_end),
 * oldest first. @param[out] out freed with swim_journal_list_free(). */
int swim_journal_unfinished(swim_journal **out, size_t *n_out, swim_host *h);
void swim_journal_list_free(swim_journal *v, size_t n);

/* Calls fn for each step in seq order (reverse: last first, for undo);
 * the step is borrowed for the call. fn returning non-zero stops and is
 * returned. */
typedef int (*swim_journal_step_fn)(const swim_journal_step *s, void *ctx);
int swim_journal_foreach(swim_host *h, int64_t txn, bool reverse,
                         swim_journal_step_fn fn, void *ctx);

/* Deletes the journal and its steps: the transaction is over. */
int swim_journal_end(swim_host *h, int64_t txn);

#ifdef __cplusplus
}
#endif
#endif
