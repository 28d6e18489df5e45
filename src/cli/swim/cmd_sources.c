/* swim sources vib list|get, sources profile list|get: what depots
 * offer, as esxcli's `software sources` shows it. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/common/output.h"
#include "cli/common/pkgout.h"
#include "cli/common/profout.h"
#include "cli/swim/commands.h"
#include "cli/swim/hostcli.h"
#include "swim/depot.h"
#include "swim/error.h"

struct args {
	const char **depots;
	size_t n_depots;
	const char *name;      /* -n or -p */
};

static int parse(swim_cli *cli, struct args *a, int argc, char **argv,
                 const char *select)
{
	static const struct option opts[] = {
		{ "depot", required_argument, NULL, 'd' },
		{ "vibname", required_argument, NULL, 'n' },
		{ "profile", required_argument, NULL, 'p' },
		SWIM_CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	int opt, exit_now = -1;

	if (!(a->depots = calloc((size_t)argc + 1, sizeof(*a->depots))))
		return swim_cli_fail(cli, "out of memory");
	while ((opt = getopt_long(argc, argv, "d:n:p:h", opts, NULL)) != -1) {
		if (opt == 'd') {
			a->depots[a->n_depots++] = optarg;
		} else if (opt == 'n' || opt == 'p') {
			if (!select || *select != opt)
				return swim_cli_usage(cli, "-%c does not apply here", opt);
			a->name = optarg;
		} else if (!swim_cli_common_option(cli, opt, &exit_now)) {
			return swim_cli_usage(cli, "unknown option");
		} else if (exit_now >= 0) {
			return exit_now;
		}
	}
	if (optind != argc)
		return swim_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	return -1;
}

/* Opens every -d depot into a set, else the host's configured and
 * enabled depots; messages name the depot. -1 to go on. */
static int open_set(swim_cli *cli, swim_depot_set **out, const struct args *a)
{
	swim_host *h = NULL;
	int rc;

	*out = NULL;
	if (!a->n_depots && (rc = swim_hostcli_open(cli, &h, false, 0, NULL)) != 0)
		return rc;
	rc = swim_hostcli_depots(cli, out, h, a->depots, a->n_depots);
	swim_host_close(h);
	if (rc != 0)
		return rc;
	if (swim_depot_set_count(*out) == 0) {
		swim_depot_set_free(*out);
		*out = NULL;
		return swim_cli_usage(cli, "no depot: give one with -d, or "
		                      "configure one with 'swim depot add'");
	}
	return -1;
}

/* The depot locations of an offer, for SourceUrls. */
static char **locations(const swim_depot *const *d, size_t n)
{
	char **v = calloc(n ? n : 1, sizeof(*v));

	for (size_t i = 0; v && i < n; i++)
		v[i] = (char *)swim_depot_location(d[i]);
	return v;
}

/* Prints what was gathered: the JSON document (taken) or the table. */
static int print_result(swim_cli *cli, json_t *doc, const swim_table *t)
{
	if (doc)
		return swim_json_print(doc, cli->out) < 0
			? swim_cli_fail(cli, "cannot write JSON") : SWIM_EXIT_OK;
	if (t)
		swim_table_print(t, cli->out);
	return SWIM_EXIT_OK;
}

static void warn_conflict(swim_cli *cli, const swim_depot_offer *o)
{
	if (swim_depot_offer_check(o) < 0)
		fprintf(cli->err, "%s: warning: %s\n", cli->prog,
		        swim_error_last());
}

static json_t *list_entry(const swim_depot_offer *o)
{
	const swim_package *p = o->pkg;
	char **src = locations(o->depots, o->n_depots);
	json_t *e = json_object();

	if (!src || !e ||
	    json_object_set_new(e, "Guid", swim_json_str(p->id)) < 0 ||
	    json_object_set_new(e, "Name", swim_json_str(p->name)) < 0 ||
	    json_object_set_new(e, "Version", swim_json_str(p->version)) < 0 ||
	    json_object_set_new(e, "Vendor", swim_json_str(p->vendor)) < 0 ||
	    json_object_set_new(e, "AcceptanceLevel",
	                        json_string(swim_acceptance_long_name(p->acceptance))) < 0 ||
	    json_object_set_new(e, "ReleaseDate",
	                        swim_json_str(p->release_date)) < 0 ||
	    json_object_set_new(e, "SourceUrls",
	                        swim_json_strv(src, o->n_depots)) < 0) {
		json_decref(e);
		e = NULL;
	}
	free(src);
	return e;
}

int swim_cmd_sources_vib_list(swim_cli *cli, int argc, char **argv)
{
	static const char *const head[] = { "Name", "Version", "Vendor",
	                                    "Acceptance Level", "Release Date" };
	struct args a = { 0 };
	swim_depot_set *s = NULL;
	const swim_depot_offer *o;
	swim_table *t = NULL;
	json_t *doc = NULL;
	size_t n;
	int rc;

	if ((rc = parse(cli, &a, argc, argv, NULL)) >= 0 ||
	    (rc = open_set(cli, &s, &a)) >= 0)
		goto out;
	rc = SWIM_EXIT_FAIL;
	if (swim_depot_set_offers(&o, &n, s) < 0 ||
	    (!cli->json && swim_table_new(&t, 5, head) < 0)) {
		rc = swim_cli_fail_last(cli);
		goto out;
	}
	if (cli->json && !(doc = json_array())) {
		rc = swim_cli_fail(cli, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char date[11] = "";
		const char *row[5];

		/* A refused package is not on offer: say why instead. */
		if (o[i].conflict) {
			warn_conflict(cli, &o[i]);
			continue;
		}
		if (doc) {
			if (json_array_append_new(doc, list_entry(&o[i])) < 0) {
				rc = swim_cli_fail(cli, "out of memory");
				goto out;
			}
			continue;
		}
		if (o[i].pkg->release_date)
			(void)snprintf(date, sizeof(date), "%.10s",
			               o[i].pkg->release_date);
		row[0] = o[i].pkg->name;
		row[1] = o[i].pkg->version;
		row[2] = o[i].pkg->vendor;
		row[3] = swim_acceptance_long_name(o[i].pkg->acceptance);
		row[4] = date;
		if (swim_table_add(t, row) < 0) {
			rc = swim_cli_fail_last(cli);
			goto out;
		}
	}
	rc = print_result(cli, doc, t);
	doc = NULL;
out:
	json_decref(doc);
	swim_table_free(t);
	swim_depot_set_free(s);
	free(a.depots);
	return rc;
}

/* The offers `-n` names (all without it); a refused one fails the
 * command with the conflict named. */
static int select_offers(swim_cli *cli, const swim_depot_offer ***out,
                         size_t *n, swim_depot_set *s, const char *spec)
{
	const swim_depot_offer *all;
	size_t total;

	if (spec) {
		if (swim_depot_set_match(out, n, s, spec) < 0)
			return swim_cli_fail_last(cli);
	} else {
		if (swim_depot_set_offers(&all, &total, s) < 0)
			return swim_cli_fail_last(cli);
		if (!(*out = calloc(total ? total : 1, sizeof(**out))))
			return swim_cli_fail(cli, "out of memory");
		for (size_t i = 0; i < total; i++)
			(*out)[i] = &all[i];
		*n = total;
	}
	for (size_t i = 0; i < *n; i++)
		if (swim_depot_offer_check((*out)[i]) < 0)
			return swim_cli_fail_last(cli);
	return -1;
}

int swim_cmd_sources_vib_get(swim_cli *cli, int argc, char **argv)
{
	struct args a = { 0 };
	swim_depot_set *s = NULL;
	const swim_depot_offer **o = NULL;
	json_t *doc = NULL;
	size_t n = 0;
	int rc;

	if ((rc = parse(cli, &a, argc, argv, "n")) >= 0 ||
	    (rc = open_set(cli, &s, &a)) >= 0 ||
	    (rc = select_offers(cli, &o, &n, s, a.name)) >= 0)
		goto out;
	if (cli->json && !(doc = json_array())) {
		rc = swim_cli_fail(cli, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		/* The package as found: its depots are its SourceUrls. */
		swim_package shown = *o[i]->pkg;
		char **src = locations(o[i]->depots, o[i]->n_depots);

		if (!src) {
			rc = swim_cli_fail(cli, "out of memory");
			goto out;
		}
		shown.source_urls = src;
		shown.n_source_urls = o[i]->n_depots;
		if (doc)
			rc = json_array_append_new(doc, swim_pkgout_json(&shown));
		else
			rc = swim_pkgout_print(cli->out, &shown);
		free(src);
		if (rc < 0) {
			rc = swim_cli_fail(cli, "cannot write the output");
			goto out;
		}
	}
	rc = print_result(cli, doc, NULL);
	doc = NULL;
out:
	json_decref(doc);
	free(o);
	swim_depot_set_free(s);
	free(a.depots);
	return rc;
}

/* Image Builder's rule: a profile is stateless-ready when every package
 * it names is; one the depots do not have counts as not. */
static bool stateless_ready(const swim_depot_profile_offer *o)
{
	for (size_t i = 0; i < o->profile->n_vib_ids; i++) {
		const swim_package *p = NULL;

		for (size_t k = 0; !p && k < o->n_depots; k++)
			p = swim_depot_find_id(o->depots[k], o->profile->vib_ids[i]);
		if (!p || !p->stateless_ready)
			return false;
	}
	return true;
}

static json_t *profile_json(const swim_depot_profile_offer *o)
{
	json_t *obj = swim_profout_json(o->profile, stateless_ready(o));
	char **src = locations(o->depots, o->n_depots);

	if (!obj || !src ||
	    json_object_set_new(obj, "SourceUrls",
	                        swim_json_strv(src, o->n_depots)) < 0) {
		json_decref(obj);
		obj = NULL;
	}
	free(src);
	return obj;
}

static int profiles(swim_cli *cli, int argc, char **argv, bool get)
{
	static const char *const head[] = { "Name", "Vendor", "Acceptance Level",
	                                    "Creation Time", "Modification Time" };
	struct args a = { 0 };
	swim_depot_set *s = NULL;
	const swim_depot_profile_offer *all = NULL, *one = NULL;
	swim_table *t = NULL;
	json_t *doc = NULL;
	size_t n = 0;
	int rc;

	if ((rc = parse(cli, &a, argc, argv, get ? "p" : NULL)) >= 0 ||
	    (rc = open_set(cli, &s, &a)) >= 0)
		goto out;
	rc = SWIM_EXIT_FAIL;
	if (a.name) {
		if (swim_depot_set_find_profile(&one, s, a.name) < 0) {
			rc = swim_cli_fail_last(cli);
			goto out;
		}
		all = one;
		n = 1;
	} else if (swim_depot_set_profiles(&all, &n, s) < 0) {
		rc = swim_cli_fail_last(cli);
		goto out;
	}
	if ((cli->json && !(doc = json_array())) ||
	    (!cli->json && !get && swim_table_new(&t, 5, head) < 0)) {
		rc = swim_cli_fail(cli, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const swim_profile *p = all[i].profile;
		const char *row[5] = { p->name, p->vendor,
		                       swim_acceptance_long_name(p->acceptance),
		                       p->creation_time, p->modified_time };
		int r = 0;

		if (all[i].conflict)
			fprintf(cli->err, "%s: warning: image profile '%s' is defined differently by several depots; it is refused until one is disabled\n",
			        cli->prog, p->name);
		else if (doc)
			r = json_array_append_new(doc, profile_json(&all[i]));
		else if (get)
			r = swim_profout_print(cli->out, p, stateless_ready(&all[i]));
		else
			r = swim_table_add(t, row);
		if (r < 0) {
			rc = swim_cli_fail(cli, "cannot write the output");
			goto out;
		}
	}
	rc = print_result(cli, doc, t);
	doc = NULL;
out:
	json_decref(doc);
	swim_table_free(t);
	swim_depot_set_free(s);
	free(a.depots);
	return rc;
}

int swim_cmd_sources_profile_list(swim_cli *cli, int argc, char **argv)
{
	return profiles(cli, argc, argv, false);
}

int swim_cmd_sources_profile_get(swim_cli *cli, int argc, char **argv)
{
	return profiles(cli, argc, argv, true);
}
