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
	{ "depot", "build", swim_cmd_depot_build,
	  "--vib X.vib... [--profile P.xml]... [--vendor NAME] [--code CODE] "
	  "[--platform-version V] -o DIR",
	  "Build a depot (index.xml, vendor-index.xml, metadata.zip, vib20/) from packages and profiles" },
	{ "bundle", "build", swim_cmd_bundle_build,
	  "--vib X.vib... [--profile P.xml]... [--vendor NAME] [--code CODE] "
	  "[--platform-version V] -o X.zip",
	  "Build an offline bundle: the same tree as a depot, in one zip" },
	{ "vib", "build", swim_cmd_vib_build,
	  "--descriptor FILE --payload NAME[:TYPE]=DIR... -o OUT.vib",
	  "Build a package from a descriptor and payload trees (SOURCE_DATE_EPOCH clamps mtimes)" },
	{ "vib", "sign", swim_cmd_vib_sign,
	  "--key KEY --cert CERT [--chain FILE] IN.vib [-o OUT.vib]",
	  "Sign a package's descriptor.xml with a CMS signature (sig.pkcs7)" },
	{ "vib", "check", swim_cmd_vib_check,
	  "[--trust DIR] [--no-sig-check] [--json] X.vib",
	  "Verify a package: layout, payload sizes and checksums, safety rules, signature level" },
	{ "vib", "extract", swim_cmd_vib_extract, "[--no-sig-check] X.vib DIR",
	  "Verify a package, then unpack its payloads into DIR (new or empty)" },
	{ "keygen", NULL, swim_cmd_keygen, "--dir DIR [--revoke CERT]",
	  "Make a test CA, one signing certificate per level and the trust store (or revoke a certificate)" },
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
