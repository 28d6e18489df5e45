/* The command-line framework shared by `swim` and `swim-pack`:
 * `PROG [global options] NAMESPACE COMMAND [options] [args]`, a table of
 * commands, usage and errors printed one way. Exit status: 0 success,
 * 1 the operation failed, 2 the command line was wrong. */
#ifndef SWIM_CLI_H
#define SWIM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "swim/conf.h"
#include "swim/limits.h"

#define SWIM_EXIT_OK 0
#define SWIM_EXIT_FAIL 1
#define SWIM_EXIT_USAGE 2

typedef struct swim_cli {
	const char *prog;           /* "swim" or "swim-pack" */
	const char *root;           /* --root, NULL when not given */
	const char *host;           /* --host URL (remote mode) */
	const char *user;
	const char *password_file;
	bool json;                  /* --json */
	swim_limits limits;         /* defaults + ROOT/etc/swim/swim.conf */
	swim_conf *conf;
	FILE *out;
	FILE *err;
	const struct swim_cli_command *command;  /* the one running */
} swim_cli;

/* argv[0] is the command's own name; returns an exit status. */
typedef int (*swim_cli_fn)(swim_cli *cli, int argc, char **argv);

typedef struct swim_cli_command {
	const char *ns;        /* "version" */
	const char *name;      /* "compare"; "vib list" for a two-word
	                        * command; NULL: the namespace alone is
	                        * the command (`swim-pack keygen`) */
	swim_cli_fn fn;
	const char *usage;     /* arguments after the command name */
	const char *summary;   /* one line */
} swim_cli_command;

typedef struct swim_cli_program {
	const char *prog;
	const char *summary;
	const swim_cli_command *commands;
	size_t n_commands;
	bool remote_options;   /* accepts --host/--user/--password-file */
} swim_cli_program;

/* Parses global options, loads the configuration, finds and runs the
 * command. */
int swim_cli_main(const swim_cli_program *prog, int argc, char **argv);

/* Prints "PROG: error: MESSAGE" on stderr; returns SWIM_EXIT_FAIL. */
int swim_cli_fail(swim_cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* swim_cli_fail() with the library's last error message. */
int swim_cli_fail_last(swim_cli *cli);

/* Prints "PROG: MESSAGE" and the command's usage on stderr; returns
 * SWIM_EXIT_USAGE. */
int swim_cli_usage(swim_cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Handles the options every command takes (--json, --help): returns 1
 * when `opt` was one of them and handled, 0 otherwise. Sets *exit_now to
 * the status to exit with for --help, else leaves it. */
int swim_cli_common_option(swim_cli *cli, int opt, int *exit_now);

/* Parses the options of a command that takes only the common ones.
 * Returns -1 when the command goes on (its arguments are argv[optind..]),
 * else the exit status to return (after --help or a wrong option). */
int swim_cli_options(swim_cli *cli, int argc, char **argv);

/* getopt_long option entries for the common options, and their codes. */
#define SWIM_CLI_OPT_JSON 0x1001
#define SWIM_CLI_OPT_HELP 'h'
#define SWIM_CLI_COMMON_LONGOPTS \
	{ "json", no_argument, NULL, SWIM_CLI_OPT_JSON }, \
	{ "help", no_argument, NULL, SWIM_CLI_OPT_HELP }

#endif
