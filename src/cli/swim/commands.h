/* Every `swim` command, one function each; the table is in main.c. */
#ifndef SWIM_CLI_SWIM_COMMANDS_H
#define SWIM_CLI_SWIM_COMMANDS_H

#include "cli/common/cli.h"

int swim_cmd_config_show(swim_cli *cli, int argc, char **argv);
int swim_cmd_depot_add(swim_cli *cli, int argc, char **argv);
int swim_cmd_depot_list(swim_cli *cli, int argc, char **argv);
int swim_cmd_depot_remove(swim_cli *cli, int argc, char **argv);
int swim_cmd_depot_enable(swim_cli *cli, int argc, char **argv);
int swim_cmd_depot_disable(swim_cli *cli, int argc, char **argv);
int swim_cmd_depot_refresh(swim_cli *cli, int argc, char **argv);
int swim_cmd_vib_list(swim_cli *cli, int argc, char **argv);
int swim_cmd_vib_get(swim_cli *cli, int argc, char **argv);
int swim_cmd_vib_install(swim_cli *cli, int argc, char **argv);
int swim_cmd_vib_update(swim_cli *cli, int argc, char **argv);
int swim_cmd_vib_remove(swim_cli *cli, int argc, char **argv);
int swim_cmd_vib_verify(swim_cli *cli, int argc, char **argv);
int swim_cmd_profile_get(swim_cli *cli, int argc, char **argv);
int swim_cmd_profile_install(swim_cli *cli, int argc, char **argv);
int swim_cmd_profile_update(swim_cli *cli, int argc, char **argv);
int swim_cmd_profile_validate(swim_cli *cli, int argc, char **argv);
int swim_cmd_acceptance_get(swim_cli *cli, int argc, char **argv);
int swim_cmd_acceptance_set(swim_cli *cli, int argc, char **argv);
int swim_cmd_host_status(swim_cli *cli, int argc, char **argv);
int swim_cmd_host_history(swim_cli *cli, int argc, char **argv);
int swim_cmd_version_compare(swim_cli *cli, int argc, char **argv);
int swim_cmd_version_parts(swim_cli *cli, int argc, char **argv);
int swim_cmd_constraint_match(swim_cli *cli, int argc, char **argv);
int swim_cmd_sources_vib_list(swim_cli *cli, int argc, char **argv);
int swim_cmd_sources_vib_get(swim_cli *cli, int argc, char **argv);
int swim_cmd_sources_profile_list(swim_cli *cli, int argc, char **argv);
int swim_cmd_sources_profile_get(swim_cli *cli, int argc, char **argv);

#endif
