/* swim vib list | vib get: the packages installed on the host (the
 * current image, or the pending one with --rebooting-image). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/common/pkgout.h"
#include "cli/swim/commands.h"
#include "cli/swim/hostcli.h"
#include "swim/error.h"

/* Prints the packages as a JSON array. */
static int print_json(swim_cli *cli, swim_host_package **v, size_t n)
{
	json_t *doc = json_array();

	for (size_t i = 0; doc && i < n; i++)
		if (json_array_append_new(doc, swim_hostcli_package_json(v[i])) < 0) {
			json_decref(doc);
			doc = NULL;
		}
	return swim_hostcli_json(cli, doc);
}

struct list_rows {
	swim_host_package **v;
	char date[11];
};

static int package_row(const char **cells, size_t i, void *ctx)
{
	struct list_rows *r = ctx;
	const swim_package *p = r->v[i]->pkg;

	/* esxcli shows the day. */
	(void)snprintf(r->date, sizeof(r->date), "%.10s",
	               p->install_date ? p->install_date : "");
	cells[0] = p->name;
	cells[1] = p->version;
	cells[2] = p->vendor;
	cells[3] = swim_acceptance_long_name(r->v[i]->proven);
	cells[4] = r->date;
	return 0;
}

int swim_cmd_vib_list(swim_cli *cli, int argc, char **argv)
{
	static const char *const headers[] = { "Name", "Version", "Vendor",
	                                       "Acceptance Level", "Install Date" };
	struct list_rows rows = { .v = NULL };
	swim_image_slot slot;
	swim_host *h = NULL;
	size_t n = 0;
	int rc = swim_hostcli_start_image(cli, &h, &slot, argc, argv);

	if (rc >= 0)
		return rc;
	if (swim_image_packages(&rows.v, &n, h, slot) < 0)
		rc = swim_cli_fail_last(cli);
	else if (cli->json)
		rc = print_json(cli, rows.v, n);
	else
		rc = swim_hostcli_table(cli, headers, 5, n, package_row, &rows);
	swim_host_package_list_free(rows.v, n);
	swim_host_close(h);
	return rc;
}

int swim_cmd_vib_get(swim_cli *cli, int argc, char **argv)
{
	swim_host_package **v = NULL, **sel = NULL;
	const char **specs = NULL;
	size_t n = 0, n_specs = 0, n_sel = 0;
	bool rebooting = false, *picked = NULL;
	const swim_hostcli_flag flags[] = { { "rebooting-image", &rebooting } };
	swim_image_slot slot;
	swim_host *h = NULL;
	int rc;

	if ((rc = swim_hostcli_specs(cli, argc, argv, &specs, &n_specs, flags,
	                             1)) >= 0)
		goto out;
	if ((rc = swim_hostcli_open(cli, &h, false, argc, argv)) != 0 ||
	    (rc = swim_hostcli_slot(cli, h, rebooting, &slot)) != 0)
		goto out;
	if (swim_image_packages(&v, &n, h, slot) < 0) {
		rc = swim_cli_fail_last(cli);
		goto out;
	}
	/* Borrowed from v: every package without -n, else those the
	 * specifications match, in their order, each once. */
	if (!(sel = calloc(n + 1, sizeof(*sel))) ||
	    !(picked = calloc(n + 1, sizeof(*picked)))) {
		rc = swim_cli_fail(cli, "out of memory");
		goto out;
	}
	for (size_t s = 0; s < n_specs; s++) {
		bool any = false;

		for (size_t i = 0; i < n; i++) {
			if (!swim_image_spec_matches(v[i]->pkg, specs[s]))
				continue;
			any = true;
			if (!picked[i])
				sel[n_sel++] = v[i];
			picked[i] = true;
		}
		if (!any) {
			rc = swim_cli_fail(cli, "No VIB matching VIB search "
			                   "specification '%s'.", specs[s]);
			goto out;
		}
	}
	for (size_t i = 0; n_specs == 0 && i < n; i++)
		sel[n_sel++] = v[i];
	if (cli->json) {
		rc = print_json(cli, sel, n_sel);
		goto out;
	}
	for (size_t i = 0; i < n_sel; i++) {
		/* Listings show the level the signature proved. */
		sel[i]->pkg->acceptance = sel[i]->proven;
		if (swim_pkgout_print(cli->out, sel[i]->pkg) < 0) {
			rc = swim_cli_fail_last(cli);
			goto out;
		}
	}
	rc = SWIM_EXIT_OK;
out:
	free(sel);
	free(picked);
	swim_host_package_list_free(v, n);
	free(specs);
	swim_host_close(h);
	return rc;
}
