/* swim vib verify [-n NAME]...: the installed files against what the
 * packages installed, one rpm -V line per file that fails ("S.5....T
 * /usr/bin/x", "missing     /etc/y"), exit status 1 when any does; with
 * --json the FileCheck values (docs/json.md). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/common/output.h"
#include "cli/swim/commands.h"
#include "cli/swim/hostcli.h"
#include "swim/error.h"
#include "swim/transaction.h"
#include "swim/verify.h"

/* CIM FileType: 0 Unknown, 1 File, 2 Directory, 3 Symlink, 4 FIFO,
 * 5 Character Device, 6 Block Device. */
static int file_type(swim_file_type t)
{
	switch (t) {
	case SWIM_FILE_REGULAR: return 1;
	case SWIM_FILE_DIRECTORY: return 2;
	case SWIM_FILE_SYMLINK: return 3;
	case SWIM_FILE_FIFO: return 4;
	case SWIM_FILE_CHAR: return 5;
	case SWIM_FILE_BLOCK: return 6;
	default: return 0;
	}
}

/* FileMode as stat's st_mode: type bits and permissions. */
static json_int_t file_mode(const swim_verify_values *v)
{
	static const unsigned types[] = { 0, 0100000, 0040000, 0120000,
	                                  0010000, 0020000, 0060000 };

	return (json_int_t)(types[file_type(v->type)] | v->mode);
}

static json_t *values_json(json_t *o, const swim_verify_values *v,
                           const char *suffix, bool present)
{
	static const char *const names[] = { "FileType", "FileMode", "FileSize",
	                                     "UserID", "GroupID",
	                                     "LastModificationTime",
	                                     "FileChecksum", "LinkTarget",
	                                     "DeviceNumber" };
	json_t *vals[9];
	char key[64];

	vals[0] = present ? json_integer(file_type(v->type)) : json_null();
	vals[1] = present ? json_integer(file_mode(v)) : json_null();
	vals[2] = present ? json_integer((json_int_t)v->size) : json_null();
	vals[3] = present ? json_integer(v->uid) : json_null();
	vals[4] = present ? json_integer(v->gid) : json_null();
	vals[5] = present ? json_integer(v->mtime) : json_null();
	vals[6] = present && v->sha256[0] ? json_string(v->sha256) : json_null();
	vals[7] = swim_json_str(present ? v->link_target : NULL);
	vals[8] = present && (v->type == SWIM_FILE_CHAR ||
	                      v->type == SWIM_FILE_BLOCK)
	          ? json_integer((json_int_t)v->rdev) : json_null();
	for (int i = 0; i < 9; i++) {
		(void)snprintf(key, sizeof(key), "%s%s", names[i], suffix);
		if (!o || json_object_set_new(o, key, vals[i]) < 0) {
			json_decref(o);
			o = NULL;
		}
	}
	return o;
}

static json_t *file_json(const swim_verify_file *f)
{
	uint16_t flags[SWIM_VERIFY_CHECKS];
	size_t n = swim_verify_failed_flags(flags, f->failed | f->unknown);
	json_t *failed = json_array(), *o;

	for (size_t i = 0; failed && i < n; i++)
		if (json_array_append_new(failed, json_integer(flags[i])) < 0) {
			json_decref(failed);
			failed = NULL;
		}
	o = json_pack("{s:s, s:s, s:b, s:b, s:i, s:o, s:s?}",
	              "Name", f->path, "SoftwareElementID", f->vib_id,
	              "FileExists", (int)f->exists, "Shadowed", (int)f->shadowed,
	              "ChecksumType", 8, "FailedFlags", failed,
	              "Error", f->error);
	o = values_json(o, &f->current, "", f->exists);
	return values_json(o, &f->original, "Original", true);
}

static json_t *result_json(const swim_verify_result *r)
{
	json_t *files = json_array();

	for (size_t i = 0; files && i < r->n_files; i++)
		if (json_array_append_new(files, file_json(&r->files[i])) < 0) {
			json_decref(files);
			files = NULL;
		}
	return json_pack("{s:o, s:I, s:I, s:o}",
	                 "VIBs", swim_json_strv(r->vib_ids, r->n_vib_ids),
	                 "FilesChecked", (json_int_t)r->n_checked,
	                 "FilesFailed", (json_int_t)r->n_failed,
	                 "Files", files);
}

static void print_lines(swim_cli *cli, const swim_verify_result *r)
{
	for (size_t i = 0; i < r->n_files; i++) {
		const swim_verify_file *f = &r->files[i];
		char flags[9];

		if (!f->failed && !f->unknown)
			continue;
		if (!f->exists) {
			fprintf(cli->out, "missing     /%s\n", f->path);
		} else {
			swim_verify_rpm_flags(flags, f);
			fprintf(cli->out, "%s    /%s\n", flags, f->path);
		}
		if (f->error)
			fprintf(cli->err, "%s: /%s: %s\n", cli->prog, f->path,
			        f->error);
	}
}

/* An interrupted transaction is recovered first when we may write. */
static int open_recovered(swim_cli *cli, swim_host **h, int argc, char **argv)
{
	bool pending = false;
	int rc;

	if ((rc = swim_hostcli_open(cli, h, false, argc, argv)) != 0)
		return rc;
	if (swim_transaction_pending_recovery(&pending, *h) < 0)
		return swim_cli_fail_last(cli);
	if (!pending)
		return 0;
	swim_host_close(*h);
	*h = NULL;
	return swim_hostcli_open(cli, h, true, argc, argv);
}

int swim_cmd_vib_verify(swim_cli *cli, int argc, char **argv)
{
	swim_verify_options vo = { 0 };
	swim_verify_result *r = NULL;
	const char **specs = NULL;
	swim_host *h = NULL;
	bool all = false;
	const swim_hostcli_flag flags[] = { { "all", &all } };
	int rc;

	if ((rc = swim_hostcli_specs(cli, argc, argv, &specs, &vo.n_specs,
	                             flags, 1)) >= 0)
		goto out;
	vo.specs = specs;
	vo.failed_only = !(cli->json && all);
	if ((rc = open_recovered(cli, &h, argc, argv)) != 0)
		goto out;
	if (swim_verify_run(&r, h, &vo) < 0) {
		rc = swim_cli_fail_last(cli);
		goto out;
	}
	if (cli->json)
		rc = swim_hostcli_json(cli, result_json(r));
	else {
		print_lines(cli, r);
		rc = SWIM_EXIT_OK;
	}
	if (rc == SWIM_EXIT_OK && r->n_failed)
		rc = SWIM_EXIT_FAIL;
out:
	swim_verify_result_free(r);
	swim_host_close(h);
	free(specs);
	return rc;
}
