/* swim-pack: build, sign and check packages, depots and profiles. */
#include "cli/common/cli.h"
#include "cli/pack/commands.h"
#include "util/str.h"

static const swim_cli_command commands[] = {
	{ "descriptor", "check", swim_cmd_descriptor_check, "FILE [--json]",
	  "Validate a descriptor.xml and print the package it describes" },
	{ "profile", "new", swim_cmd_profile_new,
	  "--name N --vendor V [--author A] [--description D] [--acceptance L] "
	  "[--read-only] [--rule NAME=VALUE]... [--vib ID]... [--guid G] -o FILE",
	  "Write an image profile (profiles/<guid>.xml of a depot)." },
};

int main(int argc, char **argv)
{
	static const swim_cli_program prog = {
		.prog = "swim-pack",
		.summary = "Build, sign and check swim packages (VIBs), depots,\n"
		           "offline bundles and image profiles.",
		.commands = commands,
		.n_commands = SWIM_ARRAY_SIZE(commands),
		.remote_options = false,
	};

	return swim_cli_main(&prog, argc, argv);
}
