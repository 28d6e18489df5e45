/* What the host commands of `swim` share: opening the host named by
 * --root, and the parts of their output that more than one prints. */
#ifndef SWIM_CLI_SWIM_HOSTCLI_H
#define SWIM_CLI_SWIM_HOSTCLI_H

#include <stdbool.h>

#include <jansson.h>

#include "cli/common/cli.h"
#include "swim/depot.h"
#include "swim/host.h"
#include "swim/image.h"

/* Opens the host at --root (default "/"): read-only, or for writing,
 * printing "Waiting for the lock held by ..." on stderr while another
 * writer holds it. argc/argv are the command's own (argv[0] its name),
 * kept with the lock and in the history. On failure prints the error and
 * returns SWIM_EXIT_FAIL; 0 otherwise. */
int swim_hostcli_open(swim_cli *cli, swim_host **out, bool write, int argc,
                      char **argv);

/* A long option without an argument that a command accepts. */
typedef struct swim_hostcli_flag {
	const char *name;   /* "rebooting-image" */
	bool *seen;         /* set when given */
} swim_hostcli_flag;

/* Parses a command line of the common options, at most 5 flags and
 * exactly n_args arguments (then argv[optind]...). Returns -1 to go on,
 * or the exit status to return. */
int swim_hostcli_flags(swim_cli *cli, int argc, char **argv,
                       const swim_hostcli_flag *flags, size_t n_flags,
                       int n_args);

/* Parses -n/--vibname SPEC (any number of times, kept in order in
 * *specs, freed by the caller with free()), at most 5 flags and the
 * common options; no arguments. -1 to go on, or the exit status. */
int swim_hostcli_specs(swim_cli *cli, int argc, char **argv,
                       const char ***specs, size_t *n_specs,
                       const swim_hostcli_flag *flags, size_t n_flags);

/* flags, then open: -1 with *out open to go on, or the exit status. */
int swim_hostcli_start(swim_cli *cli, swim_host **out, bool write, int argc,
                       char **argv, const swim_hostcli_flag *flags,
                       size_t n_flags);

/* For commands about one image: parses --rebooting-image, opens the
 * host read-only and picks the slot (current, or the pending one, which
 * must exist). -1 to go on, or the exit status. */
int swim_hostcli_start_image(swim_cli *cli, swim_host **out,
                             swim_image_slot *slot, int argc, char **argv);

/* Prints doc (taking it; NULL means out of memory): the exit status. */
int swim_hostcli_json(swim_cli *cli, json_t *doc);

/* Prints an esxcli table of n_rows rows; fn fills the n_cols cells of
 * row i (cells are copied when it returns). The exit status. */
typedef int (*swim_hostcli_row_fn)(const char **cells, size_t i, void *ctx);
int swim_hostcli_table(swim_cli *cli, const char *const *headers,
                       size_t n_cols, size_t n_rows, swim_hostcli_row_fn fn,
                       void *ctx);

/* The slot --rebooting-image selects, checked to exist: prints an error
 * and returns SWIM_EXIT_FAIL when no image is pending. */
int swim_hostcli_slot(swim_cli *cli, swim_host *h, bool rebooting,
                      swim_image_slot *slot);

/* The depots of a command: the locations given with -d, else the
 * host's configured and enabled depots (by their names). Prints the
 * error and returns SWIM_EXIT_FAIL, or 0 with *out set (possibly
 * empty). */
int swim_hostcli_depots(swim_cli *cli, swim_depot_set **out, swim_host *h,
                        const char *const *given, size_t n_given);

/* The package JSON object of docs/json.md with the installed members. */
json_t *swim_hostcli_package_json(const swim_host_package *p);

#endif
