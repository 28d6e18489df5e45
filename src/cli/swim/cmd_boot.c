/* swim host boot | reboot | rollback | gc: the host's images across
 * boots (docs/images.md). `host boot` is what the init system runs early
 * at startup (dist/swim-boot.service): it activates the pending image,
 * or says that none is pending and exits 0. `host reboot` does the same
 * on demand. `host rollback` makes the previous image the pending one;
 * `host gc` empties the payload store of what no image needs. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/common/output.h"
#include "cli/swim/commands.h"
#include "cli/swim/hostcli.h"
#include "swim/boot.h"
#include "swim/error.h"
#include "swim/store.h"
#include "util/str.h"

static json_t *boot_json(const swim_boot_result *r)
{
	return json_pack("{s:s, s:b, s:s?, s:o, s:o, s:I, s:I}",
	                 "Operation", "boot", "Activated", (int)r->changed,
	                 "Message", r->message,
	                 "VIBsInstalled", swim_json_strv(r->installed,
	                                                 r->n_installed),
	                 "VIBsRemoved", swim_json_strv(r->removed, r->n_removed),
	                 "PayloadsRemoved", (json_int_t)r->payloads_removed,
	                 "BytesRemoved", (json_int_t)r->bytes_removed);
}

static int print_boot(swim_cli *cli, const swim_boot_result *r)
{
	FILE *f = cli->out;
	char n[64];

	fprintf(f, "Boot Result\n");
	swim_field(f, 3, "Message", r->message);
	if (!r->changed)
		return SWIM_EXIT_OK;
	if (swim_hostcli_list_field(f, "VIBs Installed", r->installed, r->n_installed) < 0 ||
	    swim_hostcli_list_field(f, "VIBs Removed", r->removed, r->n_removed) < 0)
		return swim_cli_fail_last(cli);
	(void)snprintf(n, sizeof(n), "%" PRIu64 " (%" PRIu64 " bytes)",
	               r->payloads_removed, r->bytes_removed);
	swim_field(f, 3, "Payloads Removed", n);
	return SWIM_EXIT_OK;
}

/* boot and reboot: the same activation, recorded under its name. */
static int activate(swim_cli *cli, int argc, char **argv,
                    const char *operation)
{
	swim_boot_options opt = { .operation = operation };
	swim_boot_result *r = NULL;
	swim_hostcli_progress pr;
	swim_host *h = NULL;
	int rc = swim_hostcli_start(cli, &h, true, argc, argv, NULL, 0);

	if (rc >= 0)
		return rc;
	swim_hostcli_progress_init(&pr, cli);
	opt.progress = swim_hostcli_on_progress;
	opt.progress_ctx = &pr;
	if (swim_boot_activate(&r, h, &opt) < 0) {
		swim_hostcli_progress_end(&pr);
		rc = swim_cli_fail_last(cli);
	} else {
		rc = cli->json ? swim_hostcli_json(cli, boot_json(r))
		               : print_boot(cli, r);
	}
	swim_boot_result_free(r);
	swim_host_close(h);
	return rc;
}

int swim_cmd_host_boot(swim_cli *cli, int argc, char **argv)
{
	return activate(cli, argc, argv, "host boot");
}

int swim_cmd_host_reboot(swim_cli *cli, int argc, char **argv)
{
	return activate(cli, argc, argv, "host reboot");
}

int swim_cmd_host_rollback(swim_cli *cli, int argc, char **argv)
{
	swim_boot_result *r = NULL;
	swim_image_info pend = { 0 };
	swim_host *h = NULL;
	int rc = swim_hostcli_start(cli, &h, true, argc, argv, NULL, 0);

	if (rc >= 0)
		return rc;
	if (swim_boot_rollback(&r, h) < 0 ||
	    swim_image_info_get(&pend, h, SWIM_IMAGE_PENDING) < 0) {
		rc = swim_cli_fail_last(cli);
		goto out;
	}
	if (cli->json) {
		rc = swim_hostcli_json(cli, json_pack(
			"{s:s, s:s?, s:s?, s:o, s:o}", "Operation", "rollback",
			"Message", r->message, "PendingImageProfile",
			pend.present ? pend.name : NULL,
			"VIBsToInstall", swim_json_strv(r->installed, r->n_installed),
			"VIBsToRemove", swim_json_strv(r->removed, r->n_removed)));
		goto out;
	}
	fprintf(cli->out, "Rollback Result\n");
	swim_field(cli->out, 3, "Message", r->message);
	swim_field(cli->out, 3, "Pending Image Profile",
	           !pend.present ? "(none)"
	           : pend.name && *pend.name ? pend.name : "(unnamed)");
	rc = swim_hostcli_list_field(cli->out, "VIBs To Install", r->installed,
	                r->n_installed) < 0 ||
	     swim_hostcli_list_field(cli->out, "VIBs To Remove", r->removed,
	                r->n_removed) < 0 ? swim_cli_fail_last(cli)
	                                  : SWIM_EXIT_OK;
out:
	swim_image_info_dispose(&pend);
	swim_boot_result_free(r);
	swim_host_close(h);
	return rc;
}

int swim_cmd_host_gc(swim_cli *cli, int argc, char **argv)
{
	uint64_t removed = 0, removed_bytes = 0, kept = 0, kept_bytes = 0;
	swim_host *h = NULL;
	int rc = swim_hostcli_start(cli, &h, true, argc, argv, NULL, 0);

	if (rc >= 0)
		return rc;
	if (swim_store_collect(&removed, &removed_bytes, h) < 0 ||
	    swim_store_usage(&kept, &kept_bytes, h) < 0)
		rc = swim_cli_fail_last(cli);
	else if (cli->json)
		rc = swim_hostcli_json(cli, json_pack(
			"{s:I, s:I, s:I, s:I}",
			"PayloadsRemoved", (json_int_t)removed,
			"BytesRemoved", (json_int_t)removed_bytes,
			"Payloads", (json_int_t)kept, "Bytes", (json_int_t)kept_bytes));
	else {
		fprintf(cli->out, "Removed %" PRIu64 " payloads (%" PRIu64
		        " bytes) that no image needs; the store keeps %" PRIu64
		        " payloads (%" PRIu64 " bytes) of the current, pending "
		        "and previous images.\n", removed, removed_bytes, kept,
		        kept_bytes);
		rc = SWIM_EXIT_OK;
	}
	swim_host_close(h);
	return rc;
}
