#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/common/cli.h"
#include "swim/error.h"

static void print_commands(const swim_cli_program *p, FILE *f,
                           const char *only_ns)
{
	const char *last_ns = NULL;

	for (size_t i = 0; i < p->n_commands; i++) {
		const swim_cli_command *c = &p->commands[i];

		if (only_ns && strcmp(only_ns, c->ns) != 0)
			continue;
		if (!last_ns || strcmp(last_ns, c->ns) != 0)
			fprintf(f, "\n");
		last_ns = c->ns;
		fprintf(f, "  %s%s%s %s\n      %s\n", c->ns, c->name ? " " : "",
		        c->name ? c->name : "", c->usage, c->summary);
	}
}

static void print_help(const swim_cli_program *p, FILE *f)
{
	fprintf(f, "Usage: %s [options] NAMESPACE COMMAND [arguments]\n\n%s\n\n",
	        p->prog, p->summary);
	fprintf(f, "Options:\n"
	           "  --root DIR            the managed system (default /)\n");
	if (p->remote_options)
		fprintf(f, "  --host URL            manage a remote host through its swimd\n"
		           "  --user NAME           user for --host\n"
		           "  --password-file FILE  file holding the password for --host\n");
	fprintf(f, "  --json                print one JSON document\n"
	           "  --help                this text; COMMAND --help for its usage\n"
	           "\nCommands:\n");
	print_commands(p, f, NULL);
}

int swim_cli_fail(swim_cli *cli, const char *fmt, ...)
{
	va_list ap;

	fprintf(cli->err, "%s: error: ", cli->prog);
	va_start(ap, fmt);
	vfprintf(cli->err, fmt, ap);
	va_end(ap);
	fputc('\n', cli->err);
	return SWIM_EXIT_FAIL;
}

int swim_cli_fail_last(swim_cli *cli)
{
	const char *msg = swim_error_last();

	return swim_cli_fail(cli, "%s",
	                     *msg ? msg : swim_error_name(swim_error_last_code()));
}

static void print_usage_line(swim_cli *cli, FILE *f)
{
	const swim_cli_command *c = cli->command;

	if (c)
		fprintf(f, "Usage: %s %s%s%s %s\n", cli->prog, c->ns,
		        c->name ? " " : "", c->name ? c->name : "", c->usage);
}

int swim_cli_usage(swim_cli *cli, const char *fmt, ...)
{
	va_list ap;

	fprintf(cli->err, "%s: ", cli->prog);
	va_start(ap, fmt);
	vfprintf(cli->err, fmt, ap);
	va_end(ap);
	fputc('\n', cli->err);
	print_usage_line(cli, cli->err);
	return SWIM_EXIT_USAGE;
}

int swim_cli_common_option(swim_cli *cli, int opt, int *exit_now)
{
	switch (opt) {
	case SWIM_CLI_OPT_JSON:
		cli->json = true;
		return 1;
	case SWIM_CLI_OPT_HELP:
		print_usage_line(cli, cli->out);
		if (cli->command)
			fprintf(cli->out, "%s\n", cli->command->summary);
		*exit_now = SWIM_EXIT_OK;
		return 1;
	default:
		return 0;
	}
}

int swim_cli_options(swim_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		SWIM_CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	int opt, exit_now = -1;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (!swim_cli_common_option(cli, opt, &exit_now))
			return swim_cli_usage(cli, "unknown option");
		if (exit_now >= 0)
			return exit_now;
	}
	return -1;
}

static int load_config(swim_cli *cli)
{
	struct stat st;
	int rc;

	swim_limits_init(&cli->limits);
	/* Say what is wrong with --root before reading files under it. */
	if (cli->root && stat(cli->root, &st) == 0 && !S_ISDIR(st.st_mode))
		return swim_error_set(SWIM_EINVAL, "root %s is not a directory",
		                      cli->root);
	rc = swim_conf_load_root(&cli->conf, cli->root);
	if (rc == 0)
		rc = swim_conf_apply_limits(cli->conf, &cli->limits);
	return rc;
}

int swim_cli_main(const swim_cli_program *p, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "host", required_argument, NULL, 'H' },
		{ "user", required_argument, NULL, 'u' },
		{ "password-file", required_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	swim_cli cli = { .prog = p->prog, .out = stdout, .err = stderr };
	const char *ns, *name;
	int opt, first, rc = SWIM_EXIT_USAGE;
	bool ns_known = false;

	/* '+': stop at the namespace; the command parses the rest. */
	while ((opt = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (opt) {
		case 'r': cli.root = optarg; break;
		case 'j': cli.json = true; break;
		case 'h': print_help(p, stdout); return SWIM_EXIT_OK;
		case 'H': case 'u': case 'P':
			if (!p->remote_options)
				return swim_cli_usage(&cli, "unknown option '%s'",
				                      argv[optind - 1]);
			if (opt == 'H')
				cli.host = optarg;
			else if (opt == 'u')
				cli.user = optarg;
			else
				cli.password_file = optarg;
			break;
		default:
			fprintf(stderr, "Try '%s --help'.\n", p->prog);
			return SWIM_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		print_help(p, stderr);
		return SWIM_EXIT_USAGE;
	}
	ns = argv[optind];
	first = optind + 1;
	name = optind + 1 < argc ? argv[optind + 1] : NULL;
	for (size_t i = 0; i < p->n_commands; i++) {
		const swim_cli_command *c = &p->commands[i];

		if (strcmp(c->ns, ns) != 0)
			continue;
		ns_known = true;
		if (!c->name) {
			/* A namespace that is its own command (`keygen`). */
			cli.command = c;
			first = optind;
			break;
		}
		if (name && strcmp(c->name, name) == 0) {
			cli.command = c;
			break;
		}
		/* A two-word command (`sources vib list`). */
		if (name && optind + 2 < argc && strchr(c->name, ' ') &&
		    strncmp(c->name, name, strlen(name)) == 0 &&
		    c->name[strlen(name)] == ' ' &&
		    strcmp(c->name + strlen(name) + 1, argv[optind + 2]) == 0) {
			cli.command = c;
			first = optind + 2;
			break;
		}
	}
	if (!cli.command) {
		if (!ns_known) {
			fprintf(stderr, "%s: unknown namespace '%s'. Try '%s --help'.\n",
			        p->prog, ns, p->prog);
			return SWIM_EXIT_USAGE;
		}
		if (name && strcmp(name, "--help") == 0) {
			fprintf(stdout, "Commands of %s %s:\n", p->prog, ns);
			print_commands(p, stdout, ns);
			return SWIM_EXIT_OK;
		}
		fprintf(stderr, "%s: %s '%s'. Commands of '%s':\n", p->prog,
		        name ? "unknown command" : "missing command after",
		        name ? name : ns, ns);
		print_commands(p, stderr, ns);
		return SWIM_EXIT_USAGE;
	}
	if (load_config(&cli) < 0) {
		rc = swim_cli_fail_last(&cli);
		goto out;
	}
	optind = 0;  /* full getopt reset for the command's own parsing */
	rc = cli.command->fn(&cli, argc - first, argv + first);
out:
	swim_conf_free(cli.conf);
	return rc;
}
