/* swim — the host's history: every change made to it (transactions,
 * acceptance level, maintenance mode, depots), when, by whom, with which
 * command, what changed, and how it ended.
 *
 * A transaction opens an entry with swim_history_begin() (result
 * "running"), adds the packages it installs, removes or skips, and closes
 * it with swim_history_finish(). An entry left running by a process that
 * died is closed as "interrupted" by the recovery of the transaction
 * engine (swim_history_interrupt_running()).
 */
#ifndef SWIM_HISTORY_H
#define SWIM_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "swim/host.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum swim_history_result {
	SWIM_HISTORY_RUNNING = 0,
	SWIM_HISTORY_SUCCESS,
	SWIM_HISTORY_FAILED,
	SWIM_HISTORY_INTERRUPTED
} swim_history_result;

typedef enum swim_history_action {
	SWIM_HISTORY_INSTALLED = 0,
	SWIM_HISTORY_REMOVED,
	SWIM_HISTORY_SKIPPED
} swim_history_action;

/* "running", "success", "failed", "interrupted". */
const char *swim_history_result_name(swim_history_result r);

typedef struct swim_history_entry {
	int64_t id;
	char *started;           /* ISO 8601 UTC */
	char *finished;          /* NULL while running */
	char *user;
	char *command;
	char *operation;         /* "vib install", "acceptance set", ... */
	swim_history_result result;
	char *message;           /* NULL when none */
	bool reboot_required;
	char **installed;        /* package ids, in the order recorded */
	size_t n_installed;
	char **removed;
	size_t n_removed;
	char **skipped;
	size_t n_skipped;
} swim_history_entry;

/* Opens a running entry for `operation` with the host's user, command
 * line and the current time. @param[out] id the entry. */
int swim_history_begin(int64_t *id, swim_host *h, const char *operation);

/* Records a package the transaction installed, removed or skipped. */
int swim_history_add(swim_host *h, int64_t id, swim_history_action action,
                     const char *vib_id);

/* Closes the entry: result, message (may be NULL), reboot required. */
int swim_history_finish(swim_host *h, int64_t id, swim_history_result result,
                        const char *message, bool reboot_required);

/* begin + finish in one: a change that is done in one step. */
int swim_history_record(swim_host *h, const char *operation,
                        swim_history_result result, const char *message);

/* Closes every running entry as interrupted (after a crash). */
int swim_history_interrupt_running(swim_host *h, uint64_t *n_closed);

/* The newest `max` entries (0: all), oldest first.
 * @param[out] out freed with swim_history_list_free(). */
int swim_history_list(swim_history_entry **out, size_t *n_out, swim_host *h,
                      size_t max);
void swim_history_list_free(swim_history_entry *v, size_t n);

#ifdef __cplusplus
}
#endif
#endif
