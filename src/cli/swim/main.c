/* swim: manage the software of an image-based host, locally (--root) or
 * through its swimd (--host). */
#include "cli/common/cli.h"
#include "cli/swim/commands.h"
#include "util/str.h"

static const swim_cli_command commands[] = {
	{ "config", "show", swim_cmd_config_show, "",
	  "Show the limits and settings in effect (defaults and ROOT/etc/swim/swim.conf)." },
	{ "depot", "add", swim_cmd_depot_add, "NAME URL",
	  "Configure a depot (http(s)://, file:// URL, directory or .zip) for commands without -d." },
	{ "depot", "list", swim_cmd_depot_list, "",
	  "List the configured depots." },
	{ "depot", "remove", swim_cmd_depot_remove, "NAME",
	  "Remove a configured depot." },
	{ "depot", "enable", swim_cmd_depot_enable, "NAME",
	  "Use a configured depot again." },
	{ "depot", "disable", swim_cmd_depot_disable, "NAME",
	  "Keep a depot configured but do not use it." },
	{ "depot", "refresh", swim_cmd_depot_refresh, "[NAME]",
	  "Read the configured depots' metadata again (unchanged metadata stays cached)." },
	{ "vib", "list", swim_cmd_vib_list, "[--rebooting-image]",
	  "List the installed packages (of the pending image with --rebooting-image)." },
	{ "vib", "get", swim_cmd_vib_get, "[-n NAME]... [--rebooting-image]",
	  "Show installed packages in full (NAME: id, name, name:version, vendor:name[:version])." },
	{ "vib", "install", swim_cmd_vib_install,
	  "[-d DEPOT]... -n NAME[:VERSION]... | -v FILE.vib... [--dry-run] [-f] [--no-sig-check] [--debug-solver DIR]",
	  "Install, upgrade or downgrade packages (and what they need); -v: files or URLs;\n"
	  "      without -d, the configured enabled depots." },
	{ "vib", "update", swim_cmd_vib_update,
	  "[-d DEPOT]... [-n NAME]... [-v FILE.vib]... [--dry-run] [-f] [--no-sig-check] [--debug-solver DIR]",
	  "Upgrade packages (all that the depots have newer without -n/-v); the rest is skipped." },
	{ "vib", "remove", swim_cmd_vib_remove, "-n NAME... [--dry-run] [-f] [--debug-solver DIR]",
	  "Remove installed packages that nothing left needs." },
	{ "vib", "verify", swim_cmd_vib_verify, "[-n NAME]... [--json [--all]]",
	  "Check installed files (rpm -V columns SM5DLUGT); exit 1 when one differs." },
	{ "profile", "get", swim_cmd_profile_get, "[--rebooting-image]",
	  "Show the host's image profile (of the pending image with --rebooting-image)." },
	{ "profile", "install", swim_cmd_profile_install,
	  "[-d DEPOT]... -p PROFILE [--ok-to-remove] [--dry-run] [-f] [--no-sig-check] [--debug-solver DIR]",
	  "Make the host exactly the image profile (removing other packages needs --ok-to-remove)." },
	{ "profile", "update", swim_cmd_profile_update,
	  "[-d DEPOT]... -p PROFILE [--allow-downgrades] [--dry-run] [-f] [--no-sig-check] [--debug-solver DIR]",
	  "Upgrade the host toward the image profile, removing nothing." },
	{ "profile", "validate", swim_cmd_profile_validate, "[-d DEPOT]... -p PROFILE",
	  "Report how the host differs from the image profile; exit 1 when it does." },
	{ "acceptance", "get", swim_cmd_acceptance_get, "",
	  "Show the host acceptance level." },
	{ "acceptance", "set", swim_cmd_acceptance_set, "--level LEVEL",
	  "Set the host acceptance level (certified, accepted, partner, community or the esxcli names)." },
	{ "host", "status", swim_cmd_host_status, "",
	  "Show the image, pending image, maintenance mode, acceptance level and warnings." },
	{ "host", "history", swim_cmd_host_history, "[-n|--last N]",
	  "Show what was done to the host: when, who, command, changes, result." },
	{ "version", "compare", swim_cmd_version_compare, "A B | --batch",
	  "Print -1, 0 or 1 as version A is older than, equal to or newer than B\n"
	  "      (rpm order); --batch reads 'A B' lines from stdin." },
	{ "version", "parts", swim_cmd_version_parts, "VERSION",
	  "Print the epoch (when present), version and release parts of VERSION." },
	{ "constraint", "match", swim_cmd_constraint_match, "'NAME [REL VERSION]' 'NAME [VERSION]'",
	  "Print true when the provide satisfies the constraint (REL: << <= = >= >>)." },
	{ "sources", "vib list", swim_cmd_sources_vib_list,
	  "[-d DEPOT]... [--json]",
	  "List the packages the depots offer." },
	{ "sources", "vib get", swim_cmd_sources_vib_get,
	  "[-d DEPOT]... [-n NAME[:VERSION] | VENDOR:NAME[:VERSION]] [--json]",
	  "Show packages the depots offer, all of them or those -n names." },
	{ "sources", "profile list", swim_cmd_sources_profile_list,
	  "[-d DEPOT]... [--json]",
	  "List the image profiles the depots offer." },
	{ "sources", "profile get", swim_cmd_sources_profile_get,
	  "[-d DEPOT]... [-p NAME] [--json]",
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
