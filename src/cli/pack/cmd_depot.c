/* swim-pack depot build | bundle build */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/pack/commands.h"
#include "swim/depot.h"
#include "swim/error.h"
#include "util/str.h"

enum {
	OPT_VIB = 0x2101,
	OPT_PROFILE,
	OPT_VENDOR,
	OPT_CODE,
	OPT_PLATFORM,
};

struct args {
	const char **vibs;
	size_t n_vibs;
	const char **profiles;
	size_t n_profiles;
	swim_depot_build_opts o;
	const char *out;
};

static int parse(swim_cli *cli, struct args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "vib", required_argument, NULL, OPT_VIB },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "vendor", required_argument, NULL, OPT_VENDOR },
		{ "code", required_argument, NULL, OPT_CODE },
		{ "platform-version", required_argument, NULL, OPT_PLATFORM },
		{ "output", required_argument, NULL, 'o' },
		SWIM_CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	int opt, exit_now = -1;

	/* Every argument is at most one --vib or --profile. */
	a->vibs = calloc((size_t)argc + 1, sizeof(*a->vibs));
	a->profiles = calloc((size_t)argc + 1, sizeof(*a->profiles));
	if (!a->vibs || !a->profiles)
		return swim_cli_fail(cli, "out of memory");
	while ((opt = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_VIB: a->vibs[a->n_vibs++] = optarg; break;
		case OPT_PROFILE: a->profiles[a->n_profiles++] = optarg; break;
		case OPT_VENDOR: a->o.vendor_name = optarg; break;
		case OPT_CODE: a->o.vendor_code = optarg; break;
		case OPT_PLATFORM: a->o.platform_version = optarg; break;
		case 'o': a->out = optarg; break;
		default:
			if (!swim_cli_common_option(cli, opt, &exit_now))
				return swim_cli_usage(cli, "unknown option");
			if (exit_now >= 0)
				return exit_now;
		}
	}
	if (optind != argc)
		return swim_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if (!a->out || !a->n_vibs)
		return swim_cli_usage(cli, "at least one --vib and -o are required");
	return -1;
}

/* SOURCE_DATE_EPOCH, when set, replaces "now". */
static int source_date(swim_cli *cli, int64_t *out)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");

	*out = -1;
	if (sde && swim_str_to_i64(out, sde, 0, INT32_MAX,
	                           "SOURCE_DATE_EPOCH") < 0)
		return swim_cli_fail_last(cli);
	return -1;
}

static int build(swim_cli *cli, int argc, char **argv, bool bundle)
{
	struct args a = { 0 };
	int rc;

	a.o.lim = &cli->limits;
	if ((rc = parse(cli, &a, argc, argv)) >= 0 ||
	    (rc = source_date(cli, &a.o.source_date_epoch)) >= 0)
		goto out;
	/* Zip entries (metadata.zip, bundles) carry local times: the same
	 * bytes on every machine need one time zone. */
	(void)setenv("TZ", "UTC", 1);
	tzset();
	if (swim_depot_build(a.out, bundle, a.vibs, a.n_vibs, a.profiles,
	                     a.n_profiles, &a.o) < 0) {
		rc = swim_cli_fail_last(cli);
		goto out;
	}
	if (!cli->json)
		fprintf(cli->out, "%s written to %s with %zu package%s and %zu image profile%s\n",
		        bundle ? "Offline bundle" : "Depot", a.out, a.n_vibs,
		        a.n_vibs == 1 ? "" : "s", a.n_profiles,
		        a.n_profiles == 1 ? "" : "s");
	rc = SWIM_EXIT_OK;
out:
	free(a.vibs);
	free(a.profiles);
	return rc;
}

int swim_cmd_depot_build(swim_cli *cli, int argc, char **argv)
{
	return build(cli, argc, argv, false);
}

int swim_cmd_bundle_build(swim_cli *cli, int argc, char **argv)
{
	return build(cli, argc, argv, true);
}
