/* swim host status | history | maintenance enter|exit|get: the state of
 * the host, what was done to it, and its maintenance mode. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/common/output.h"
#include "cli/swim/commands.h"
#include "cli/swim/hostcli.h"
#include "swim/error.h"
#include "swim/history.h"
#include "util/str.h"

/* What `host status` shows, gathered first so both outputs agree. */
struct status {
	swim_host_state st;
	swim_image_info image[SWIM_IMAGE_SLOTS];
	char *lock_holder;
	swim_buf warning;
};

static int gather(struct status *s, swim_host *h)
{
	int rc;

	if ((rc = swim_host_state_get(&s->st, h)) < 0 ||
	    (rc = swim_host_lock_holder(&s->lock_holder, h)) < 0)
		return rc;
	for (int i = 0; i < SWIM_IMAGE_SLOTS; i++)
		if ((rc = swim_image_info_get(&s->image[i], h,
		                              (swim_image_slot)i)) < 0)
			return rc;
	if (!s->st.consistent)
		rc = swim_buf_printf(&s->warning,
		                     "The host is not consistent since %s: %s. The "
		                     "next transaction without --force or "
		                     "--no-sig-check makes it consistent again.",
		                     s->st.inconsistent_since ? s->st.inconsistent_since : "?",
		                     s->st.inconsistent_reason ? s->st.inconsistent_reason : "?");
	return rc;
}

static void status_dispose(struct status *s)
{
	swim_host_state_dispose(&s->st);
	for (int i = 0; i < SWIM_IMAGE_SLOTS; i++)
		swim_image_info_dispose(&s->image[i]);
	free(s->lock_holder);
	swim_buf_dispose(&s->warning);
}

static const char *image_name(const struct status *s, swim_image_slot slot)
{
	return s->image[slot].present ? s->image[slot].name : NULL;
}

/* {"Slot", "Name", "VIBs", "Created", "Modified"} of the slots that hold
 * an image. */
static json_t *images_json(const struct status *s)
{
	json_t *a = json_array();

	for (int i = 0; a && i < SWIM_IMAGE_SLOTS; i++) {
		const swim_image_info *im = &s->image[i];

		if (!im->present)
			continue;
		if (json_array_append_new(a, json_pack(
			    "{s:s, s:s?, s:I, s:s?, s:s?}",
			    "Slot", swim_image_slot_name((swim_image_slot)i),
			    "Name", im->name, "VIBs", (json_int_t)im->n_packages,
			    "Created", im->created, "Modified", im->modified)) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *status_json(const struct status *s, const char *root,
                           bool has_db)
{
	json_t *warnings = json_array();

	if (warnings && s->warning.len &&
	    json_array_append_new(warnings, json_string(s->warning.ptr)) < 0) {
		json_decref(warnings);
		return NULL;
	}
	return json_pack("{s:s, s:b, s:s?, s:s?, s:s?, s:b, s:I, s:s, s:b, s:b,"
	                 " s:s?, s:s?, s:s?, s:o, s:o}",
	                 "Root", root, "Database", (int)has_db,
	                 "ImageProfile", image_name(s, SWIM_IMAGE_CURRENT),
	                 "PendingImageProfile", image_name(s, SWIM_IMAGE_PENDING),
	                 "PreviousImageProfile", image_name(s, SWIM_IMAGE_PREVIOUS),
	                 "RebootRequired", (int)s->image[SWIM_IMAGE_PENDING].present,
	                 "InstalledVibs",
	                 (json_int_t)s->image[SWIM_IMAGE_CURRENT].n_packages,
	                 "AcceptanceLevel", swim_acceptance_long_name(s->st.acceptance),
	                 "MaintenanceMode", (int)s->st.maintenance_mode,
	                 "Consistent", (int)s->st.consistent,
	                 "InconsistencyReason", s->st.inconsistent_reason,
	                 "InconsistentSince", s->st.inconsistent_since,
	                 "LockHolder", s->lock_holder, "Warnings", warnings,
	                 "Images", images_json(s));
}

/* "NAME (N VIBs, built DATE)", or "(none)". */
static void image_field(FILE *f, const struct status *s, const char *label,
                        swim_image_slot slot)
{
	const swim_image_info *im = &s->image[slot];
	char line[512];

	if (!im->present)
		(void)snprintf(line, sizeof(line), "(none)");
	else
		(void)snprintf(line, sizeof(line), "%s (%zu VIBs, built %s)",
		               im->name && *im->name ? im->name : "(unnamed)",
		               im->n_packages, im->created ? im->created : "?");
	swim_field(f, 3, label, line);
}

static void status_print(const struct status *s, FILE *f, const char *root,
                         bool has_db)
{
	char count[24];

	(void)snprintf(count, sizeof(count), "%zu",
	               s->image[SWIM_IMAGE_CURRENT].n_packages);
	swim_field(f, 3, "Root", root);
	if (!has_db)
		swim_field(f, 3, "Database", "none yet (an empty host)");
	swim_field(f, 3, "Image Profile", image_name(s, SWIM_IMAGE_CURRENT));
	image_field(f, s, "Current Image", SWIM_IMAGE_CURRENT);
	image_field(f, s, "Pending Image", SWIM_IMAGE_PENDING);
	image_field(f, s, "Previous Image", SWIM_IMAGE_PREVIOUS);
	swim_field(f, 3, "Reboot Required",
	           s->image[SWIM_IMAGE_PENDING].present ? "True" : "False");
	swim_field(f, 3, "VIBs Installed", count);
	swim_field(f, 3, "Acceptance Level",
	           swim_acceptance_long_name(s->st.acceptance));
	swim_field(f, 3, "Maintenance Mode",
	           s->st.maintenance_mode ? "Enabled" : "Disabled");
	swim_field(f, 3, "Consistent", s->st.consistent ? "True" : "False");
	if (s->lock_holder)
		swim_field(f, 3, "Transaction In Progress", s->lock_holder);
	if (s->warning.len)
		fprintf(f, "Warning: %s\n", s->warning.ptr);
}

int swim_cmd_host_status(swim_cli *cli, int argc, char **argv)
{
	struct status s = { .warning = SWIM_BUF_INIT(0) };
	swim_host *h = NULL;
	int rc = swim_hostcli_start(cli, &h, false, argc, argv, NULL, 0);

	if (rc >= 0)
		return rc;
	if (gather(&s, h) < 0)
		rc = swim_cli_fail_last(cli);
	else if (cli->json)
		rc = swim_hostcli_json(cli, status_json(&s, swim_host_root(h),
		                                        swim_host_has_database(h)));
	else {
		status_print(&s, cli->out, swim_host_root(h),
		             swim_host_has_database(h));
		rc = SWIM_EXIT_OK;
	}
	status_dispose(&s);
	swim_host_close(h);
	return rc;
}

static json_t *entry_json(const swim_history_entry *e)
{
	return json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:s?, s:s, s:s?, s:b,"
	                 " s:o, s:o, s:o}",
	                 "Id", (json_int_t)e->id, "Started", e->started,
	                 "Finished", e->finished, "User", e->user,
	                 "Command", e->command, "Operation", e->operation,
	                 "Result", swim_history_result_name(e->result),
	                 "Message", e->message,
	                 "RebootRequired", (int)e->reboot_required,
	                 "VIBsInstalled", swim_json_strv(e->installed, e->n_installed),
	                 "VIBsRemoved", swim_json_strv(e->removed, e->n_removed),
	                 "VIBsSkipped", swim_json_strv(e->skipped, e->n_skipped));
}

static int entry_print(FILE *f, const swim_history_entry *e)
{
	fprintf(f, "%" PRId64 "\n", e->id);
	swim_field(f, 3, "Started", e->started);
	swim_field(f, 3, "Finished", e->finished);
	swim_field(f, 3, "User", e->user);
	swim_field(f, 3, "Command", e->command);
	swim_field(f, 3, "Operation", e->operation);
	swim_field(f, 3, "Result", swim_history_result_name(e->result));
	swim_field(f, 3, "Message", e->message);
	if (e->n_installed + e->n_removed + e->n_skipped == 0 &&
	    !e->reboot_required)
		return 0;
	swim_field(f, 3, "Reboot Required", e->reboot_required ? "true" : "false");
	if (swim_hostcli_list_field(f, "VIBs Installed", e->installed, e->n_installed) < 0 ||
	    swim_hostcli_list_field(f, "VIBs Removed", e->removed, e->n_removed) < 0 ||
	    swim_hostcli_list_field(f, "VIBs Skipped", e->skipped, e->n_skipped) < 0)
		return SWIM_ENOMEM;
	return 0;
}

int swim_cmd_host_history(swim_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		SWIM_CLI_COMMON_LONGOPTS,
		{ "last", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	swim_history_entry *v = NULL;
	swim_host *h = NULL;
	uint64_t last = 0;
	size_t n = 0;
	int opt, exit_now = -1, rc;

	while ((opt = getopt_long(argc, argv, "hn:", opts, NULL)) != -1) {
		if (opt == 'n') {
			if (swim_str_to_u64(&last, optarg, SIZE_MAX, "--last") < 0)
				return swim_cli_usage(cli, "%s", swim_error_last());
		} else if (!swim_cli_common_option(cli, opt, &exit_now)) {
			return swim_cli_usage(cli, "unknown option");
		}
		if (exit_now >= 0)
			return exit_now;
	}
	if (optind != argc)
		return swim_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if ((rc = swim_hostcli_open(cli, &h, false, argc, argv)) != 0)
		return rc;
	if (swim_history_list(&v, &n, h, (size_t)last) < 0) {
		rc = swim_cli_fail_last(cli);
		goto out;
	}
	if (cli->json) {
		json_t *doc = json_array();

		for (size_t i = 0; doc && i < n; i++)
			if (json_array_append_new(doc, entry_json(&v[i])) < 0) {
				json_decref(doc);
				doc = NULL;
			}
		rc = swim_hostcli_json(cli, doc);
		goto out;
	}
	rc = SWIM_EXIT_OK;
	for (size_t i = 0; i < n && rc == SWIM_EXIT_OK; i++)
		if (entry_print(cli->out, &v[i]) < 0)
			rc = swim_cli_fail_last(cli);
out:
	swim_history_list_free(v, n);
	swim_host_close(h);
	return rc;
}

/* ---- maintenance mode ---------------------------------------------------- */

static int maintenance_print(swim_cli *cli, bool on)
{
	if (cli->json)
		return swim_hostcli_json(cli, json_pack("{s:b}", "MaintenanceMode",
		                                        (int)on));
	fprintf(cli->out, "%s\n", on ? "Enabled" : "Disabled");
	return SWIM_EXIT_OK;
}

/* enter / exit: a change only when the mode changes (recorded in the
 * history); the mode afterwards is printed as `get` prints it. */
static int maintenance_set(swim_cli *cli, int argc, char **argv, bool on)
{
	swim_host_state st = { 0 };
	swim_host *h = NULL;
	int rc = swim_hostcli_start(cli, &h, true, argc, argv, NULL, 0);

	if (rc >= 0)
		return rc;
	if (swim_host_state_get(&st, h) < 0 ||
	    (st.maintenance_mode != on && swim_host_maintenance_set(h, on) < 0))
		rc = swim_cli_fail_last(cli);
	else
		rc = maintenance_print(cli, on);
	swim_host_state_dispose(&st);
	swim_host_close(h);
	return rc;
}

int swim_cmd_host_maintenance_enter(swim_cli *cli, int argc, char **argv)
{
	return maintenance_set(cli, argc, argv, true);
}

int swim_cmd_host_maintenance_exit(swim_cli *cli, int argc, char **argv)
{
	return maintenance_set(cli, argc, argv, false);
}

int swim_cmd_host_maintenance_get(swim_cli *cli, int argc, char **argv)
{
	swim_host_state st = { 0 };
	swim_host *h = NULL;
	int rc = swim_hostcli_start(cli, &h, false, argc, argv, NULL, 0);

	if (rc >= 0)
		return rc;
	rc = swim_host_state_get(&st, h) < 0 ? swim_cli_fail_last(cli)
	                                     : maintenance_print(cli,
	                                                         st.maintenance_mode);
	swim_host_state_dispose(&st);
	swim_host_close(h);
	return rc;
}
