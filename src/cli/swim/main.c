/* swim: manage the software of an image-based host, locally (--root) or
 * through its swimd (--host). */
#include "cli/common/cli.h"
#include "cli/swim/commands.h"
#include "util/str.h"

static const swim_cli_command commands[] = {
	{ "config", "show", swim_cmd_config_show, "",
	  "Show the limits and settings in effect (defaults and ROOT/etc/swim/swim.conf)." },
	{ "version", "compare", swim_cmd_version_compare, "A B | --batch",
	  "Print -1, 0 or 1 as version A is older than, equal to or newer than B\n"
	  "      (rpm order); --batch reads 'A B' lines from stdin." },
	{ "version", "parts", swim_cmd_version_parts, "VERSION",
	  "Print the epoch (when present), version and release parts of VERSION." },
	{ "constraint", "match", swim_cmd_constraint_match, "'NAME [REL VERSION]' 'NAME [VERSION]'",
	  "Print true when the provide satisfies the constraint (REL: << <= = >= >>)." },
	{ "sources", "vib list", swim_cmd_sources_vib_list,
	  "-d DEPOT... [--json]",
	  "List the packages the depots offer." },
	{ "sources", "vib get", swim_cmd_sources_vib_get,
	  "-d DEPOT... [-n NAME[:VERSION] | VENDOR:NAME[:VERSION]] [--json]",
	  "Show packages the depots offer, all of them or those -n names." },
	{ "sources", "profile list", swim_cmd_sources_profile_list,
	  "-d DEPOT... [--json]",
	  "List the image profiles the depots offer." },
	{ "sources", "profile get", swim_cmd_sources_profile_get,
	  "-d DEPOT... [-p NAME] [--json]",
	  "Show image profiles the depots offer, all of them or the one -p names." },
};

int main(int argc, char **argv)
{
	static const swim_cli_program prog = {
		.prog = "swim",
		.summary = "Manage the software of an image-based host: packages (VIBs),\n"
		           "image profiles, depots and jobs.",
		.commands = commands,
		.n_commands = SWIM_ARRAY_SIZE(commands),
		.remote_options = true,
	};

	return swim_cli_main(&prog, argc, argv);
}
