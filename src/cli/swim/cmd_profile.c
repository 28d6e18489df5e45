/* swim profile get: the host's image profile (esxcli `software profile
 * get`), or the pending image's with --rebooting-image. */
#include "cli/common/profout.h"
#include "cli/swim/commands.h"
#include "cli/swim/hostcli.h"
#include "swim/error.h"

int swim_cmd_profile_get(swim_cli *cli, int argc, char **argv)
{
	bool stateless = true;
	swim_host_package **v = NULL;
	swim_profile *p = NULL;
	swim_image_slot slot;
	swim_host *h = NULL;
	size_t n = 0;
	int rc = swim_hostcli_start_image(cli, &h, &slot, argc, argv);

	if (rc >= 0)
		return rc;
	if (swim_image_profile(&p, h, slot) < 0 ||
	    swim_image_packages(&v, &n, h, slot) < 0) {
		rc = swim_cli_fail_last(cli);
		goto out;
	}
	/* Image Builder: a profile is stateless-ready when all its
	 * packages are. */
	for (size_t i = 0; i < n; i++)
		stateless = stateless && v[i]->pkg->stateless_ready;
	if (cli->json)
		rc = swim_hostcli_json(cli, swim_profout_json(p, stateless));
	else
		rc = swim_profout_print(cli->out, p, stateless) < 0 ?
		     swim_cli_fail_last(cli) : SWIM_EXIT_OK;
out:
	swim_host_package_list_free(v, n);
	swim_profile_free(p);
	swim_host_close(h);
	return rc;
}
