/* swim vib install | update | remove, swim profile install | update |
 * validate: a transaction on the host, its result printed as esxcli
 * prints it ("Installation Result" with Message, Reboot Required, VIBs
 * Installed, VIBs Removed, VIBs Skipped), problems on stderr, progress
 * as a bar on a terminal and as plain lines otherwise. */
#include <getopt.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/common/output.h"
#include "cli/swim/commands.h"
#include "cli/swim/hostcli.h"
#include "swim/depot.h"
#include "swim/error.h"
#include "swim/transaction.h"

enum {
	OPT_DRY_RUN = 0x3001,
	OPT_NO_SIG_CHECK,
	OPT_DEBUG_SOLVER,
	OPT_OK_TO_REMOVE,
	OPT_ALLOW_DOWNGRADES,
	OPT_TRUST,
};

/* What each command accepts beyond the common options. */
#define TAKES_NAMES (1u << 0)
#define TAKES_FILES (1u << 1)
#define TAKES_PROFILE (1u << 2)
#define TAKES_OK_TO_REMOVE (1u << 3)
#define TAKES_DOWNGRADES (1u << 4)
#define TAKES_BYPASS (1u << 5)

struct txn_args {
	swim_transaction_request req;
	const char **names;
	size_t n_names;
	const char **urls;
	size_t n_urls;
	const char **depots;
	size_t n_depots;
};

struct progress {
	swim_cli *cli;
	bool tty;
	int last_phase;
	char last_status[256];
	int width;
};

static int on_progress(void *ctx, const swim_transaction_progress *p)
{
	struct progress *pr = ctx;
	FILE *f = pr->cli->err;

	if (pr->tty) {
		int fill = (int)(p->percent * (unsigned)pr->width / 100);

		fprintf(f, "\r[%.*s%*s] %3u%% %-40.40s", fill,
		        "############################################",
		        pr->width - fill, "", p->percent, p->status);
		if (p->percent >= 100)
			fputc('\n', f);
		fflush(f);
		return 0;
	}
	/* Plain lines: one per phase or status change, not per step. */
	if ((int)p->phase == pr->last_phase &&
	    strcmp(p->status, pr->last_status) == 0)
		return 0;
	pr->last_phase = (int)p->phase;
	(void)snprintf(pr->last_status, sizeof(pr->last_status), "%s",
	               p->status);
	fprintf(f, "%3u%% %s\n", p->percent, p->status);
	fflush(f);
	return 0;
}

static int parse(swim_cli *cli, struct txn_args *a, unsigned takes,
                 int argc, char **argv)
{
	static const struct option opts[] = {
		SWIM_CLI_COMMON_LONGOPTS,
		{ "depot", required_argument, NULL, 'd' },
		{ "vibname", required_argument, NULL, 'n' },
		{ "viburl", required_argument, NULL, 'v' },
		{ "profile", required_argument, NULL, 'p' },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "force", no_argument, NULL, 'f' },
		{ "no-sig-check", no_argument, NULL, OPT_NO_SIG_CHECK },
		{ "debug-solver", required_argument, NULL, OPT_DEBUG_SOLVER },
		{ "ok-to-remove", no_argument, NULL, OPT_OK_TO_REMOVE },
		{ "allow-downgrades", no_argument, NULL, OPT_ALLOW_DOWNGRADES },
		{ "trust", required_argument, NULL, OPT_TRUST },
		{ NULL, 0, NULL, 0 }
	};
	int opt, exit_now = -1;

	if (!(a->names = calloc((size_t)argc + 1, sizeof(char *))) ||
	    !(a->urls = calloc((size_t)argc + 1, sizeof(char *))) ||
	    !(a->depots = calloc((size_t)argc + 1, sizeof(char *))))
		return swim_cli_fail(cli, "out of memory");
	while ((opt = getopt_long(argc, argv, "hd:n:v:p:f", opts, NULL)) != -1) {
		unsigned need = 0;

		switch (opt) {
		case 'd': a->depots[a->n_depots++] = optarg; break;
		case 'n': need = TAKES_NAMES; a->names[a->n_names++] = optarg; break;
		case 'v': need = TAKES_FILES; a->urls[a->n_urls++] = optarg; break;
		case 'p': need = TAKES_PROFILE; a->req.profile_name = optarg; break;
		case OPT_DRY_RUN: a->req.dry_run = true; break;
		case 'f': need = TAKES_BYPASS; a->req.force = true; break;
		case OPT_NO_SIG_CHECK:
			need = TAKES_BYPASS;
			a->req.no_sig_check = true;
			break;
		case OPT_DEBUG_SOLVER: a->req.debug_dir = optarg; break;
		case OPT_OK_TO_REMOVE:
			need = TAKES_OK_TO_REMOVE;
			a->req.ok_to_remove = true;
			break;
		case OPT_ALLOW_DOWNGRADES:
			need = TAKES_DOWNGRADES;
			a->req.allow_downgrades = true;
			break;
		case OPT_TRUST: a->req.trust_dir = optarg; break;
		default:
			if (!swim_cli_common_option(cli, opt, &exit_now))
				return swim_cli_usage(cli, "unknown option");
			if (exit_now >= 0)
				return exit_now;
		}
		if (need && !(takes & need))
			return swim_cli_usage(cli, "'%s' does not take %s",
			                      cli->command->name, argv[optind - 1]);
	}
	if (optind != argc)
		return swim_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	a->req.names = a->names;
	a->req.n_names = a->n_names;
	a->req.vib_urls = a->urls;
	a->req.n_vib_urls = a->n_urls;
	return -1;
}

static void free_args(struct txn_args *a)
{
	free(a->names);
	free(a->urls);
	free(a->depots);
}

static const char *heading(swim_resolve_job job)
{
	switch (job) {
	case SWIM_RESOLVE_REMOVE: return "Removal Result";
	case SWIM_RESOLVE_PROFILE_UPDATE: return "Update Result";
	case SWIM_RESOLVE_PROFILE_VALIDATE: return "Validation Result";
	default: return "Installation Result";
	}
}

static int joined(swim_buf *b, char *const *v, size_t n)
{
	int rc = 0;

	swim_buf_clear(b);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = swim_buf_printf(b, "%s%s", i ? ", " : "", v[i]);
	return rc;
}

/* profile validate: how the host and the profile differ. */
static int print_validation(swim_cli *cli, swim_host *h,
                            const swim_transaction_result *r,
                            const char *profile)
{
	swim_buf b = SWIM_BUF_INIT(0);
	swim_profile *host = NULL;
	FILE *f = cli->out;
	int rc;

	if ((rc = swim_image_profile(&host, h, SWIM_IMAGE_CURRENT)) < 0)
		goto out;
	fprintf(f, "%s\n", heading(r->job));
	swim_field(f, 3, "Compliant", r->compliant ? "true" : "false");
	swim_field(f, 3, "Host Image Profile", host->name);
	swim_field(f, 3, "Validation Profile", profile);
	if ((rc = joined(&b, r->removed, r->n_removed)) < 0)
		goto out;
	swim_field(f, 3, "VIBs Only On Host", b.ptr);
	if ((rc = joined(&b, r->installed, r->n_installed)) < 0)
		goto out;
	swim_field(f, 3, "VIBs Only In Profile", b.ptr);
	for (size_t i = 0; r->plan && i < r->plan->n_problems; i++)
		swim_field(f, 3, i ? "" : "Problems",
		           r->plan->problems[i].message);
out:
	swim_profile_free(host);
	swim_buf_dispose(&b);
	return rc < 0 ? swim_cli_fail_last(cli) : SWIM_EXIT_OK;
}

static int print_text(swim_cli *cli, const swim_transaction_result *r)
{
	swim_buf b = SWIM_BUF_INIT(0);
	FILE *f = cli->out;
	int rc = 0;

	fprintf(f, "%s\n", heading(r->job));
	swim_field(f, 3, "Message", r->message);
	swim_field(f, 3, "Reboot Required", r->reboot_required ? "true"
	                                                       : "false");
	if ((rc = joined(&b, r->installed, r->n_installed)) == 0)
		swim_field(f, 3, "VIBs Installed", b.ptr);
	if (rc == 0 && (rc = joined(&b, r->removed, r->n_removed)) == 0)
		swim_field(f, 3, "VIBs Removed", b.ptr);
	if (rc == 0 && (rc = joined(&b, r->skipped, r->n_skipped)) == 0)
		swim_field(f, 3, "VIBs Skipped", b.ptr);
	swim_buf_dispose(&b);
	return rc < 0 ? swim_cli_fail_last(cli) : SWIM_EXIT_OK;
}

static json_t *problems_json(const swim_plan *p)
{
	static const char *const kinds[] = { "NotFound", "Acceptance",
	                                     "Dependency", "FileConflict",
	                                     "Removal" };
	json_t *a = json_array();

	for (size_t i = 0; a && p && i < p->n_problems; i++) {
		const swim_plan_problem *q = &p->problems[i];

		if (json_array_append_new(a, json_pack("{s:s, s:s, s:o}",
		        "Kind", (unsigned)q->kind < 5 ? kinds[q->kind] : "Other",
		        "Message", q->message,
		        "Solutions", swim_json_strv(q->solutions,
		                                    q->n_solutions))) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *result_json(const swim_transaction_result *r)
{
	return json_pack("{s:s, s:s?, s:b, s:b, s:o, s:o, s:o, s:b, s:s?, s:b,"
	                 " s:o}",
	                 "Operation", swim_resolve_job_name(r->job),
	                 "Message", r->message,
	                 "RebootRequired", (int)r->reboot_required,
	                 "DryRun", (int)r->dry_run,
	                 "VIBsInstalled", swim_json_strv(r->installed,
	                                                 r->n_installed),
	                 "VIBsRemoved", swim_json_strv(r->removed, r->n_removed),
	                 "VIBsSkipped", swim_json_strv(r->skipped, r->n_skipped),
	                 "Consistent", (int)r->consistent,
	                 "Warning", r->warning,
	                 "Compliant", (int)r->compliant,
	                 "Problems", problems_json(r->plan));
}

/* Whether the job reads depots: -d, names to find, a profile, or an
 * update of everything. -v alone installs the given files. */
static bool wants_depots(const struct txn_args *a, swim_resolve_job job)
{
	if (a->n_depots || a->req.profile_name)
		return true;
	if (job == SWIM_RESOLVE_INSTALL || job == SWIM_RESOLVE_UPDATE)
		return a->n_names || (job == SWIM_RESOLVE_UPDATE && !a->n_urls);
	return false;
}

static int run(swim_cli *cli, swim_resolve_job job, unsigned takes,
               int argc, char **argv)
{
	struct txn_args a = { .req = { .job = job } };
	struct progress pr = { .cli = cli, .last_phase = -1, .width = 30 };
	swim_transaction_result *r = NULL;
	bool write = job != SWIM_RESOLVE_PROFILE_VALIDATE;
	swim_depot_set *depots = NULL;
	swim_host *h = NULL;
	int rc = parse(cli, &a, takes | TAKES_BYPASS, argc, argv);

	if (rc >= 0)
		goto out;
	if (job == SWIM_RESOLVE_REMOVE && !a.n_names) {
		rc = swim_cli_usage(cli, "which VIBs? (-n NAME)");
		goto out;
	}
	if ((takes & TAKES_PROFILE) && !a.req.profile_name) {
		rc = swim_cli_usage(cli, "which profile? (-p NAME)");
		goto out;
	}
	if ((takes & TAKES_FILES) && job == SWIM_RESOLVE_INSTALL &&
	    !a.n_names && !a.n_urls) {
		rc = swim_cli_usage(cli, "what to install? (-n NAME or -v FILE)");
		goto out;
	}
	/* A dry run only reads; it still sees a running transaction's lock
	 * holder in status, not its changes. */
	if (a.req.dry_run)
		write = false;
	if ((rc = swim_hostcli_open(cli, &h, write, argc, argv)) != 0 ||
	    (wants_depots(&a, job) &&
	     (rc = swim_hostcli_depots(cli, &depots, h, a.depots,
	                               a.n_depots)) != 0))
		goto out;
	a.req.depots = depots;
	/* Each package being installed keeps its .vib open: allow as many
	 * descriptors as the hard limit does. */
	{
		struct rlimit rl;

		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			(void)setrlimit(RLIMIT_NOFILE, &rl);
		}
	}
	pr.tty = isatty(fileno(cli->err)) == 1;
	a.req.progress = on_progress;
	a.req.progress_ctx = &pr;
	if (swim_transaction_run(&r, h, &a.req) < 0) {
		if (pr.tty)
			fputc('\n', cli->err);
		rc = swim_cli_fail_last(cli);
		if (cli->json && r)
			(void)swim_hostcli_json(cli, result_json(r));
		goto out;
	}
	rc = cli->json ? swim_hostcli_json(cli, result_json(r))
	   : job == SWIM_RESOLVE_PROFILE_VALIDATE
	   ? print_validation(cli, h, r, a.req.profile_name)
	   : print_text(cli, r);
	if (r->warning)
		fprintf(cli->err, "%s: warning: %s\n", cli->prog, r->warning);
	if (rc == SWIM_EXIT_OK && job == SWIM_RESOLVE_PROFILE_VALIDATE &&
	    !r->compliant)
		rc = SWIM_EXIT_FAIL;
out:
	swim_transaction_result_free(r);
	swim_depot_set_free(depots);
	swim_host_close(h);
	free_args(&a);
	return rc;
}

int swim_cmd_vib_install(swim_cli *cli, int argc, char **argv)
{
	return run(cli, SWIM_RESOLVE_INSTALL, TAKES_NAMES | TAKES_FILES, argc,
	           argv);
}

int swim_cmd_vib_update(swim_cli *cli, int argc, char **argv)
{
	return run(cli, SWIM_RESOLVE_UPDATE, TAKES_NAMES | TAKES_FILES, argc,
	           argv);
}

int swim_cmd_vib_remove(swim_cli *cli, int argc, char **argv)
{
	return run(cli, SWIM_RESOLVE_REMOVE, TAKES_NAMES, argc, argv);
}

int swim_cmd_profile_install(swim_cli *cli, int argc, char **argv)
{
	return run(cli, SWIM_RESOLVE_PROFILE_INSTALL,
	           TAKES_PROFILE | TAKES_OK_TO_REMOVE, argc, argv);
}

int swim_cmd_profile_update(swim_cli *cli, int argc, char **argv)
{
	return run(cli, SWIM_RESOLVE_PROFILE_UPDATE,
	           TAKES_PROFILE | TAKES_DOWNGRADES, argc, argv);
}

int swim_cmd_profile_validate(swim_cli *cli, int argc, char **argv)
{
	return run(cli, SWIM_RESOLVE_PROFILE_VALIDATE, TAKES_PROFILE, argc,
	           argv);
}
