#include <getopt.h>
#include <string.h>

#include "cli/common/output.h"
#include "cli/common/pkgout.h"
#include "cli/swim/hostcli.h"
#include "swim/error.h"

static void print_wait(void *ctx, const char *message)
{
	swim_cli *cli = ctx;

	fprintf(cli->err, "%s\n", message);
	fflush(cli->err);
}

/* "swim NS CMD ARGS", arguments with blanks or quotes single-quoted. */
static int command_line(swim_buf *b, const swim_cli *cli, int argc,
                        char **argv)
{
	int rc = swim_buf_printf(b, "%s %s", cli->prog, cli->command->ns);

	for (int i = 0; i < argc && rc == 0; i++) {
		const char *a = argv[i];

		if (*a && !strpbrk(a, " \t'\"\\$`;&|<>*?()[]{}~#"))
			rc = swim_buf_printf(b, " %s", a);
		else {
			rc = swim_buf_puts(b, " '");
			for (; *a && rc == 0; a++)
				rc = *a == '\'' ? swim_buf_puts(b, "'\\''")
				                : swim_buf_putc(b, *a);
			if (rc == 0)
				rc = swim_buf_putc(b, '\'');
		}
		if (b->len > SWIM_HOST_COMMAND_MAX)
			break;
	}
	return rc;
}

int swim_hostcli_open(swim_cli *cli, swim_host **out, bool write, int argc,
                      char **argv)
{
	swim_buf cmd = SWIM_BUF_INIT(0);
	swim_host_options o = { .on_wait = print_wait, .wait_ctx = cli };
	int rc;

	*out = NULL;
	if (cli->host)
		return swim_cli_fail(cli, "--host: 'swim %s %s' works on a local "
		                     "root only so far; use --root",
		                     cli->command->ns, cli->command->name);
	if (command_line(&cmd, cli, argc, argv) < 0) {
		swim_buf_dispose(&cmd);
		return swim_cli_fail_last(cli);
	}
	o.command = cmd.ptr;
	rc = swim_host_open(out, cli->root, write ? SWIM_HOST_WRITE : SWIM_HOST_READ,
	                    &o);
	swim_buf_dispose(&cmd);
	return rc < 0 ? swim_cli_fail_last(cli) : 0;
}

/* The common options, up to 5 flags and, when specs is not NULL, any
 * number of -n/--vibname. -1 to go on, or the exit status. */
static int parse_options(swim_cli *cli, int argc, char **argv,
                         const swim_hostcli_flag *flags, size_t n_flags,
                         const char **specs, size_t *n_specs)
{
	struct option opts[9] = {
		SWIM_CLI_COMMON_LONGOPTS,
		{ "vibname", required_argument, NULL, 'n' },
	};
	size_t first = specs ? 3 : 2;
	int opt, exit_now = -1;

	if (n_flags > 5)
		return swim_cli_fail(cli, "too many flags");
	if (!specs)
		opts[2] = (struct option){ NULL, 0, NULL, 0 };
	for (size_t i = 0; i < n_flags; i++)
		opts[first + i] = (struct option){ flags[i].name, no_argument,
		                                   NULL, 0x2000 + (int)i };
	while ((opt = getopt_long(argc, argv, specs ? "hn:" : "h", opts,
	                          NULL)) != -1) {
		if (opt == 'n' && specs) {
			specs[(*n_specs)++] = optarg;
			continue;
		}
		if (opt >= 0x2000 && opt < 0x2000 + (int)n_flags) {
			*flags[opt - 0x2000].seen = true;
			continue;
		}
		if (!swim_cli_common_option(cli, opt, &exit_now))
			return swim_cli_usage(cli, "unknown option");
		if (exit_now >= 0)
			return exit_now;
	}
	return -1;
}

int swim_hostcli_flags(swim_cli *cli, int argc, char **argv,
                       const swim_hostcli_flag *flags, size_t n_flags,
                       int n_args)
{
	int rc = parse_options(cli, argc, argv, flags, n_flags, NULL, NULL);

	if (rc >= 0)
		return rc;
	if (argc - optind < n_args)
		return swim_cli_usage(cli, "missing argument");
	if (argc - optind > n_args)
		return swim_cli_usage(cli, "unexpected argument '%s'",
		                      argv[optind + n_args]);
	return -1;
}

int swim_hostcli_specs(swim_cli *cli, int argc, char **argv,
                       const char ***specs, size_t *n_specs,
                       const swim_hostcli_flag *flags, size_t n_flags)
{
	int rc;

	*n_specs = 0;
	if (!(*specs = calloc((size_t)argc + 1, sizeof(**specs))))
		return swim_cli_fail(cli, "out of memory");
	if ((rc = parse_options(cli, argc, argv, flags, n_flags, *specs,
	                        n_specs)) >= 0)
		return rc;
	if (optind != argc)
		return swim_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	return -1;
}

int swim_hostcli_start(swim_cli *cli, swim_host **out, bool write, int argc,
                       char **argv, const swim_hostcli_flag *flags,
                       size_t n_flags)
{
	int rc = swim_hostcli_flags(cli, argc, argv, flags, n_flags, 0);

	*out = NULL;
	if (rc >= 0)
		return rc;
	return swim_hostcli_open(cli, out, write, argc, argv) ? SWIM_EXIT_FAIL : -1;
}

int swim_hostcli_start_image(swim_cli *cli, swim_host **out,
                             swim_image_slot *slot, int argc, char **argv)
{
	bool rebooting = false;
	swim_hostcli_flag flags[] = { { "rebooting-image", &rebooting } };
	int rc = swim_hostcli_start(cli, out, false, argc, argv, flags, 1);

	if (rc < 0 && (rc = swim_hostcli_slot(cli, *out, rebooting, slot)) == 0)
		return -1;
	if (rc > 0) {
		swim_host_close(*out);
		*out = NULL;
	}
	return rc;
}

int swim_hostcli_json(swim_cli *cli, json_t *doc)
{
	if (!doc)
		return swim_cli_fail(cli, "out of memory");
	if (swim_json_print(doc, cli->out) < 0)
		return swim_cli_fail(cli, "cannot write JSON");
	return SWIM_EXIT_OK;
}

int swim_hostcli_table(swim_cli *cli, const char *const *headers,
                       size_t n_cols, size_t n_rows, swim_hostcli_row_fn fn,
                       void *ctx)
{
	const char *cells[8] = { NULL };
	swim_table *t = NULL;
	int rc = SWIM_EXIT_OK;

	if (n_cols > 8 || swim_table_new(&t, n_cols, headers) < 0)
		return swim_cli_fail(cli, "out of memory");
	for (size_t i = 0; i < n_rows && rc == SWIM_EXIT_OK; i++)
		if (fn(cells, i, ctx) < 0 || swim_table_add(t, cells) < 0)
			rc = swim_cli_fail_last(cli);
	if (rc == SWIM_EXIT_OK)
		swim_table_print(t, cli->out);
	swim_table_free(t);
	return rc;
}

int swim_hostcli_slot(swim_cli *cli, swim_host *h, bool rebooting,
                      swim_image_slot *slot)
{
	bool exists;

	*slot = rebooting ? SWIM_IMAGE_PENDING : SWIM_IMAGE_CURRENT;
	if (swim_image_exists(&exists, h, *slot) < 0)
		return swim_cli_fail_last(cli);
	if (!exists)
		return swim_cli_fail(cli, "there is no pending image: no change is "
		                     "waiting for a reboot");
	return 0;
}

json_t *swim_hostcli_package_json(const swim_host_package *p)
{
	json_t *o = swim_pkgout_json(p->pkg);

	if (o && (json_object_set_new(o, "ProvenAcceptanceLevel",
	                              json_string(swim_acceptance_long_name(p->proven))) < 0 ||
	          json_object_set_new(o, "Signer", swim_json_str(p->signer)) < 0)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int swim_hostcli_depots(swim_cli *cli, swim_depot_set **out, swim_host *h,
                        const char *const *given, size_t n_given)
{
	swim_host_depot *conf = NULL;
	swim_depot_set *s = NULL;
	swim_depot_opts opts;
	size_t n_conf = 0;
	int rc = SWIM_EXIT_FAIL;

	*out = NULL;
	if (swim_depot_opts_init(&opts, cli->conf, cli->root, &cli->limits) < 0)
		return swim_cli_fail_last(cli);
	if (swim_depot_set_new(&s) < 0 ||
	    (!n_given && swim_host_depot_list(&conf, &n_conf, h, true) < 0)) {
		rc = swim_cli_fail_last(cli);
		goto out;
	}
	for (size_t i = 0; i < (n_given ? n_given : n_conf); i++) {
		swim_depot *d = NULL;

		if (swim_depot_open(&d, n_given ? given[i] : conf[i].url,
		                    n_given ? NULL : conf[i].name, &opts) < 0 ||
		    swim_depot_set_add(s, d) < 0) {
			rc = swim_cli_fail_last(cli);
			goto out;
		}
	}
	*out = s;
	s = NULL;
	rc = 0;
out:
	swim_depot_set_free(s);
	swim_host_depot_list_free(conf, n_conf);
	swim_depot_opts_dispose(&opts);
	return rc;
}
