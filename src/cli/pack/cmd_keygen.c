/* swim-pack keygen --dir D [--revoke CERT] */
#include <getopt.h>

#include "cli/pack/commands.h"
#include "swim/error.h"
#include "swim/keygen.h"

int swim_cmd_keygen(swim_cli *cli, int argc, char **argv)
{
	enum { OPT_DIR = 0x2101, OPT_REVOKE };
	static const struct option opts[] = {
		SWIM_CLI_COMMON_LONGOPTS,
		{ "dir", required_argument, NULL, OPT_DIR },
		{ "revoke", required_argument, NULL, OPT_REVOKE },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL, *revoke = NULL;
	int opt, exit_now = -1;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (opt == OPT_DIR)
			dir = optarg;
		else if (opt == OPT_REVOKE)
			revoke = optarg;
		else if (!swim_cli_common_option(cli, opt, &exit_now))
			return swim_cli_usage(cli, "unknown option");
		if (exit_now >= 0)
			return exit_now;
	}
	if (optind != argc)
		return swim_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if (!dir)
		return swim_cli_usage(cli, "--dir is required");
	if (revoke) {
		if (swim_keygen_revoke(dir, revoke) < 0)
			return swim_cli_fail_last(cli);
		if (!cli->json)
			fprintf(cli->out, "Revoked %s; the level's CRL is in %s/trust\n",
			        revoke, dir);
		return SWIM_EXIT_OK;
	}
	if (swim_keygen_create(dir) < 0)
		return swim_cli_fail_last(cli);
	if (!cli->json)
		fprintf(cli->out,
		        "Test CA and signing certificates written to %s:\n"
		        "  sign:  swim-pack vib sign --key %s/LEVEL.key --cert %s/LEVEL.crt X.vib\n"
		        "  check: swim-pack vib check --trust %s/trust X.vib\n"
		        "(LEVEL: certified, accepted or partner)\n",
		        dir, dir, dir, dir);
	return SWIM_EXIT_OK;
}
