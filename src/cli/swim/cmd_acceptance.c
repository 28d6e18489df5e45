/* swim acceptance get | set --level L: the host acceptance level. */
#include <getopt.h>

#include "cli/swim/commands.h"
#include "cli/swim/hostcli.h"
#include "swim/error.h"

static int print_level(swim_cli *cli, swim_acceptance level, bool changed)
{
	const char *name = swim_acceptance_long_name(level);

	if (cli->json)
		return swim_hostcli_json(cli, json_pack("{s:s}", "AcceptanceLevel",
		                                        name));
	if (changed)
		fprintf(cli->out, "Host acceptance level changed to '%s'.\n", name);
	else
		fprintf(cli->out, "%s\n", name);
	return SWIM_EXIT_OK;
}

int swim_cmd_acceptance_get(swim_cli *cli, int argc, char **argv)
{
	swim_host_state st;
	swim_host *h = NULL;
	int rc = swim_hostcli_start(cli, &h, false, argc, argv, NULL, 0);

	if (rc >= 0)
		return rc;
	if (swim_host_state_get(&st, h) < 0) {
		rc = swim_cli_fail_last(cli);
	} else {
		rc = print_level(cli, st.acceptance, false);
		swim_host_state_dispose(&st);
	}
	swim_host_close(h);
	return rc;
}

int swim_cmd_acceptance_set(swim_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		SWIM_CLI_COMMON_LONGOPTS,
		{ "level", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	const char *level_arg = NULL;
	swim_acceptance level;
	swim_host *h = NULL;
	int opt, exit_now = -1, rc;

	while ((opt = getopt_long(argc, argv, "hl:", opts, NULL)) != -1) {
		if (opt == 'l')
			level_arg = optarg;
		else if (!swim_cli_common_option(cli, opt, &exit_now))
			return swim_cli_usage(cli, "unknown option");
		if (exit_now >= 0)
			return exit_now;
	}
	if (optind != argc)
		return swim_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if (!level_arg)
		return swim_cli_usage(cli, "--level is required");
	if (swim_acceptance_parse(&level, level_arg) < 0)
		return swim_cli_usage(cli, "%s", swim_error_last());
	if ((rc = swim_hostcli_open(cli, &h, true, argc, argv)) != 0)
		return rc;
	rc = swim_host_acceptance_set(h, level) < 0 ? swim_cli_fail_last(cli)
	                                            : print_level(cli, level, true);
	swim_host_close(h);
	return rc;
}
