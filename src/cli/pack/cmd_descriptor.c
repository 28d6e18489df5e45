/* swim-pack descriptor check FILE [--json] */
#include <getopt.h>

#include "cli/common/output.h"
#include "cli/common/pkgout.h"
#include "cli/pack/commands.h"
#include "swim/error.h"
#include "swim/package.h"
#include "util/fs.h"

int swim_cmd_descriptor_check(swim_cli *cli, int argc, char **argv)
{
	swim_buf xml = SWIM_BUF_INIT(cli->limits.descriptor_max_bytes);
	swim_package *pkg = NULL;
	const char *path;
	int rc, status = SWIM_EXIT_FAIL;

	if ((rc = swim_cli_options(cli, argc, argv)) >= 0)
		return rc;
	if (optind == argc)
		return swim_cli_usage(cli, "missing FILE");
	if (optind + 1 != argc)
		return swim_cli_usage(cli, "unexpected argument '%s'",
		                      argv[optind + 1]);
	path = argv[optind];
	if (swim_fs_read_file(&xml, path) < 0 ||
	    swim_descriptor_read_named(&pkg, xml.ptr, xml.len, &cli->limits,
	                               path) < 0) {
		status = swim_cli_fail_last(cli);
		goto out;
	}
	if (cli->json) {
		json_t *doc = swim_pkgout_json(pkg);

		if (!doc || swim_json_print(doc, cli->out) < 0) {
			status = swim_cli_fail(cli, "cannot write JSON");
			goto out;
		}
	} else if (swim_pkgout_print(cli->out, pkg) < 0) {
		status = swim_cli_fail_last(cli);
		goto out;
	}
	status = SWIM_EXIT_OK;
out:
	swim_package_free(pkg);
	swim_buf_dispose(&xml);
	return status;
}
