/* swim depot add|list|remove|enable|disable: the depots configured on the
 * host, used by commands that take -d when -d is absent. */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli/common/output.h"
#include "cli/swim/commands.h"
#include "cli/swim/hostcli.h"
#include "swim/error.h"

static json_t *depot_json(const swim_host_depot *d)
{
	return json_pack("{s:s, s:s, s:b, s:s}", "Name", d->name, "DepotUrl",
	                 d->url, "Enabled", (int)d->enabled, "Added", d->added);
}

/* Prints the depot called `name` as it is now (or was, before removal). */
static int show(swim_cli *cli, const swim_host_depot *v, size_t n,
                const char *name, const char *what)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].name, name) != 0)
			continue;
		if (cli->json)
			return swim_hostcli_json(cli, depot_json(&v[i]));
		fprintf(cli->out, "Depot '%s' %s: %s\n", v[i].name, what, v[i].url);
		return SWIM_EXIT_OK;
	}
	return swim_cli_fail(cli, "no depot named '%s'", name);
}

enum depot_op { DEPOT_ADD, DEPOT_REMOVE, DEPOT_ENABLE, DEPOT_DISABLE };

static int change(swim_cli *cli, int argc, char **argv, enum depot_op op)
{
	static const char *const done[] = { "added", "removed", "enabled",
	                                    "disabled" };
	swim_host_depot *v = NULL;
	swim_host *h = NULL;
	char *url = NULL;
	const char *name;
	size_t n = 0;
	int rc = swim_hostcli_flags(cli, argc, argv, NULL, 0,
	                            op == DEPOT_ADD ? 2 : 1), r = 0;

	if (rc >= 0)
		return rc;
	name = argv[optind];
	if (op == DEPOT_ADD) {
		/* A relative path names a local depot from here. */
		const char *arg = argv[optind + 1];

		url = strchr(arg, ':') || arg[0] == '/' ? strdup(arg)
		                                        : realpath(arg, NULL);
		if (!url)
			return swim_cli_fail(cli, "depot '%s': no such file or "
			                     "directory", arg);
	}
	if ((rc = swim_hostcli_open(cli, &h, true, argc, argv)) != 0)
		goto out;
	if (op == DEPOT_REMOVE)
		r = swim_host_depot_list(&v, &n, h, false);
	if (r == 0)
		r = op == DEPOT_ADD ? swim_host_depot_add(h, name, url)
		  : op == DEPOT_REMOVE ? swim_host_depot_remove(h, name)
		  : swim_host_depot_enable(h, name, op == DEPOT_ENABLE);
	if (r == 0 && op != DEPOT_REMOVE)
		r = swim_host_depot_list(&v, &n, h, false);
	rc = r < 0 ? swim_cli_fail_last(cli) : show(cli, v, n, name, done[op]);
out:
	swim_host_depot_list_free(v, n);
	swim_host_close(h);
	free(url);
	return rc;
}

int swim_cmd_depot_add(swim_cli *cli, int argc, char **argv)
{
	return change(cli, argc, argv, DEPOT_ADD);
}

int swim_cmd_depot_remove(swim_cli *cli, int argc, char **argv)
{
	return change(cli, argc, argv, DEPOT_REMOVE);
}

int swim_cmd_depot_enable(swim_cli *cli, int argc, char **argv)
{
	return change(cli, argc, argv, DEPOT_ENABLE);
}

int swim_cmd_depot_disable(swim_cli *cli, int argc, char **argv)
{
	return change(cli, argc, argv, DEPOT_DISABLE);
}

static int depot_row(const char **cells, size_t i, void *ctx)
{
	const swim_host_depot *d = (const swim_host_depot *)ctx + i;

	cells[0] = d->name;
	cells[1] = d->url;
	cells[2] = d->enabled ? "true" : "false";
	cells[3] = d->added;
	return 0;
}

int swim_cmd_depot_list(swim_cli *cli, int argc, char **argv)
{
	static const char *const headers[] = { "Name", "URL", "Enabled", "Added" };
	swim_host_depot *v = NULL;
	json_t *doc;
	swim_host *h = NULL;
	size_t n = 0;
	int rc = swim_hostcli_start(cli, &h, false, argc, argv, NULL, 0);

	if (rc >= 0)
		return rc;
	if (swim_host_depot_list(&v, &n, h, false) < 0) {
		rc = swim_cli_fail_last(cli);
	} else if (cli->json) {
		doc = json_array();
		for (size_t i = 0; doc && i < n; i++)
			if (json_array_append_new(doc, depot_json(&v[i])) < 0) {
				json_decref(doc);
				doc = NULL;
			}
		rc = swim_hostcli_json(cli, doc);
	} else {
		rc = swim_hostcli_table(cli, headers, 4, n, depot_row, v);
	}
	swim_host_depot_list_free(v, n);
	swim_host_close(h);
	return rc;
}

/* depot refresh [NAME]: reads each configured depot's metadata again
 * (conditional requests: unchanged metadata comes from the cache). */
int swim_cmd_depot_refresh(swim_cli *cli, int argc, char **argv)
{
	swim_depot_opts opts;
	swim_host_depot *v = NULL;
	swim_host *h = NULL;
	json_t *doc = NULL;
	size_t n = 0, done = 0;
	const char *only;
	int rc = swim_cli_options(cli, argc, argv);

	if (rc >= 0)
		return rc;
	if (argc - optind > 1)
		return swim_cli_usage(cli, "unexpected argument '%s'",
		                      argv[optind + 1]);
	only = optind < argc ? argv[optind] : NULL;
	if (swim_depot_opts_init(&opts, cli->conf, cli->root, &cli->limits) < 0)
		return swim_cli_fail_last(cli);
	if ((rc = swim_hostcli_open(cli, &h, false, argc, argv)) != 0)
		goto out;
	if (swim_host_depot_list(&v, &n, h, false) < 0 ||
	    !(doc = json_array())) {
		rc = swim_cli_fail_last(cli);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		swim_depot *d = NULL;

		if (only ? strcmp(v[i].name, only) != 0 : !v[i].enabled)
			continue;
		done++;
		if (swim_depot_open(&d, v[i].url, v[i].name, &opts) < 0) {
			rc = swim_cli_fail_last(cli);
			goto out;
		}
		if (cli->json)
			(void)json_array_append_new(doc, json_pack(
				"{s:s, s:s, s:I, s:I, s:b}", "Name", v[i].name,
				"DepotUrl", v[i].url,
				"Vibs", (json_int_t)swim_depot_n_packages(d),
				"ImageProfiles", (json_int_t)swim_depot_n_profiles(d),
				"Unchanged", (int)swim_depot_from_cache(d)));
		else
			fprintf(cli->out, "Depot '%s' refreshed: %zu VIBs, %zu image "
			        "profiles%s\n", v[i].name, swim_depot_n_packages(d),
			        swim_depot_n_profiles(d), swim_depot_from_cache(d)
			        ? " (unchanged)" : "");
		swim_depot_free(d);
	}
	if (only && !done) {
		rc = swim_cli_fail(cli, "no depot named '%s'", only);
		goto out;
	}
	rc = SWIM_EXIT_OK;
	if (cli->json) {
		rc = swim_hostcli_json(cli, doc);
		doc = NULL;
	}
out:
	json_decref(doc);
	swim_host_depot_list_free(v, n);
	swim_host_close(h);
	swim_depot_opts_dispose(&opts);
	return rc;
}
