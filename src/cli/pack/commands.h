/* Every `swim-pack` command, one function each; the table is in main.c. */
#ifndef SWIM_CLI_PACK_COMMANDS_H
#define SWIM_CLI_PACK_COMMANDS_H

#include "cli/common/cli.h"

int swim_cmd_descriptor_check(swim_cli *cli, int argc, char **argv);
int swim_cmd_profile_new(swim_cli *cli, int argc, char **argv);
int swim_cmd_depot_build(swim_cli *cli, int argc, char **argv);
int swim_cmd_bundle_build(swim_cli *cli, int argc, char **argv);
int swim_cmd_vib_build(swim_cli *cli, int argc, char **argv);
int swim_cmd_vib_sign(swim_cli *cli, int argc, char **argv);
int swim_cmd_vib_check(swim_cli *cli, int argc, char **argv);
int swim_cmd_vib_extract(swim_cli *cli, int argc, char **argv);
int swim_cmd_keygen(swim_cli *cli, int argc, char **argv);

#endif
