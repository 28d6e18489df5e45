/* swim-pack profile new: write an image profile for a depot. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/pack/commands.h"
#include "swim/error.h"
#include "swim/profile.h"
#include "util/fs.h"
#include "util/str.h"
#include "util/time.h"

/* SOURCE_DATE_EPOCH, when set, replaces "now" so builds are reproducible. */
static int apply_source_date(swim_cli *cli, swim_profile *p)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char iso[SWIM_TIME_ISO_SIZE];
	uint64_t secs;

	if (!sde)
		return 0;
	if (swim_str_to_u64(&secs, sde, INT32_MAX, "SOURCE_DATE_EPOCH") < 0)
		return swim_cli_fail_last(cli);
	if (swim_time_iso(iso, (time_t)secs) < 0 ||
	    swim_str_set(&p->creation_time, iso) < 0 ||
	    swim_str_set(&p->modified_time, iso) < 0)
		return swim_cli_fail(cli, "cannot set the profile times");
	return 0;
}

static int add_rule(swim_profile *p, const char *arg)
{
	const char *eq = strchr(arg, '=');
	swim_profile_rule *r;

	if (!eq || eq == arg)
		return swim_error_set(SWIM_EINVAL, "--rule '%s': expected NAME=VALUE", arg);
	if (!(r = realloc(p->rules, (p->n_rules + 1) * sizeof(*r))))
		return swim_error_oom();
	p->rules = r;
	r = &p->rules[p->n_rules++];
	r->name = swim_strndup(arg, (size_t)(eq - arg));
	r->value = swim_strdup(eq + 1);
	return r->name && r->value ? 0 : SWIM_ENOMEM;
}

int swim_cmd_profile_new(swim_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "vendor", required_argument, NULL, 'V' },
		{ "author", required_argument, NULL, 'a' },
		{ "description", required_argument, NULL, 'D' },
		{ "acceptance", required_argument, NULL, 'A' },
		{ "read-only", no_argument, NULL, 'r' },
		{ "rule", required_argument, NULL, 'R' },
		{ "vib", required_argument, NULL, 'v' },
		{ "guid", required_argument, NULL, 'g' },
		{ "output", required_argument, NULL, 'o' },
		SWIM_CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	const char *name = NULL, *vendor = NULL, *output = NULL;
	swim_profile *p = NULL;
	swim_buf xml = SWIM_BUF_INIT(0);
	int n_vibs = 0, opt, exit_now = -1, rc = SWIM_EXIT_FAIL;

	/* Two passes: the profile needs name and vendor before the rest. */
	while ((opt = getopt_long(argc, argv, "n:V:a:D:A:rR:v:g:o:h", opts, NULL)) != -1) {
		if (opt == 'n')
			name = optarg;
		else if (opt == 'V')
			vendor = optarg;
		else if (opt == 'o')
			output = optarg;
		else if (opt == '?')
			return swim_cli_usage(cli, "unknown option");
		else if (swim_cli_common_option(cli, opt, &exit_now) && exit_now >= 0)
			return exit_now;
	}
	if (!name || !vendor || !output)
		return swim_cli_usage(cli, "--name, --vendor and -o are required");
	if (optind != argc)
		return swim_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if (swim_profile_new(&p, name, vendor) < 0)
		return swim_cli_fail_last(cli);
	if ((rc = apply_source_date(cli, p)) != 0)
		goto out;
	rc = SWIM_EXIT_FAIL;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "n:V:a:D:A:rR:v:g:o:h", opts, NULL)) != -1) {
		int r = 0;

		switch (opt) {
		case 'a': r = swim_str_set(&p->author, optarg); break;
		case 'D': r = swim_str_set(&p->description, optarg); break;
		case 'A': r = swim_acceptance_parse(&p->acceptance, optarg); break;
		case 'r': p->read_only = true; break;
		case 'R': r = add_rule(p, optarg); break;
		case 'v': r = swim_profile_add_vib(p, optarg); n_vibs++; break;
		case 'g': r = swim_str_set(&p->guid, optarg); break;
		default: break;
		}
		if (r < 0) {
			rc = swim_cli_fail_last(cli);
			goto out;
		}
	}
	if (swim_profile_check(p, &cli->limits) < 0 ||
	    swim_profile_write(&xml, p) < 0 ||
	    swim_fs_write_atomic(output, xml.ptr, xml.len, 0644) < 0) {
		rc = swim_cli_fail_last(cli);
		goto out;
	}
	if (!cli->json)
		fprintf(cli->out, "Image profile %s (%s) written to %s with %d package%s\n",
		        p->name, p->guid, output, n_vibs, n_vibs == 1 ? "" : "s");
	rc = SWIM_EXIT_OK;
out:
	swim_buf_dispose(&xml);
	swim_profile_free(p);
	return rc;
}
