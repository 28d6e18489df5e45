/* swim config show */
#include <getopt.h>
#include <inttypes.h>

#include "cli/common/output.h"
#include "cli/swim/commands.h"

struct show_ctx {
	FILE *out;
	json_t *limits;
	int rc;
};

static void show_limit(const char *name, uint64_t value, uint64_t def,
                       const char *doc, void *p)
{
	struct show_ctx *ctx = p;

	if (ctx->limits) {
		if (json_object_set_new(ctx->limits, name,
		                        json_integer((json_int_t)value)) < 0)
			ctx->rc = -1;
		return;
	}
	fprintf(ctx->out, "%-36s %-14" PRIu64 "%s  # %s\n", name, value,
	        value == def ? "" : " (changed)", doc);
}

int swim_cmd_config_show(swim_cli *cli, int argc, char **argv)
{
	struct show_ctx ctx = { cli->out, NULL, 0 };
	int rc;

	if ((rc = swim_cli_options(cli, argc, argv)) >= 0)
		return rc;
	if (optind != argc)
		return swim_cli_usage(cli, "unexpected argument '%s'",
		                      argv[optind]);
	if (cli->json) {
		json_t *doc = json_object();

		ctx.limits = json_object();
		if (!doc || !ctx.limits ||
		    json_object_set_new(doc, "Limits", ctx.limits) < 0)
			return swim_cli_fail(cli, "out of memory");
		swim_limits_visit(&cli->limits, show_limit, &ctx);
		if (ctx.rc < 0 || swim_json_print(doc, cli->out) < 0)
			return swim_cli_fail(cli, "cannot write JSON");
		return SWIM_EXIT_OK;
	}
	swim_limits_visit(&cli->limits, show_limit, &ctx);
	return SWIM_EXIT_OK;
}
