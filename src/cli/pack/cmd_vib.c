/* swim-pack vib build | sign | check | extract */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/common/output.h"
#include "cli/common/pkgout.h"
#include "cli/pack/commands.h"
#include "swim/error.h"
#include "swim/vib.h"
#include "util/fs.h"
#include "util/str.h"

enum {
	OPT_DESCRIPTOR = 0x2001,
	OPT_PAYLOAD,
	OPT_KEY,
	OPT_CERT,
	OPT_CHAIN,
	OPT_TRUST,
	OPT_NO_SIG_CHECK,
};

/* Options loop shared by the four commands: common options, then the
 * command's own through `fn`. Returns -1 to go on, else an exit status. */
typedef int (*opt_fn)(swim_cli *cli, int opt, void *ctx);

static int parse_options(swim_cli *cli, int argc, char **argv,
                         const char *shortopts, const struct option *opts,
                         opt_fn fn, void *ctx)
{
	int opt, exit_now = -1;

	while ((opt = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		int rc;

		if (swim_cli_common_option(cli, opt, &exit_now)) {
			if (exit_now >= 0)
				return exit_now;
			continue;
		}
		if ((rc = fn(cli, opt, ctx)) >= 0)
			return rc;
	}
	return -1;
}

/* ---- build ------------------------------------------------------------ */

struct build_args {
	const char *descriptor;
	const char *out;
	swim_vib_payload_spec *specs;
	size_t n_specs;
	size_t max_specs;
};

/* NAME[:TYPE]=DIR, split in place. */
static int parse_payload(swim_cli *cli, struct build_args *a, char *arg)
{
	char *eq = strchr(arg, '='), *colon;
	swim_vib_payload_spec *s;

	if (!eq || eq == arg || !eq[1])
		return swim_cli_usage(cli, "--payload wants NAME[:TYPE]=DIR, "
		                      "not '%s'", arg);
	if (a->n_specs == a->max_specs)
		return swim_cli_usage(cli, "too many --payload options");
	*eq = '\0';
	s = &a->specs[a->n_specs++];
	s->name = arg;
	s->dir = eq + 1;
	s->type = NULL;
	if ((colon = strchr(arg, ':'))) {
		*colon = '\0';
		s->type = colon + 1;
		if (!*s->type)
			return swim_cli_usage(cli, "--payload %s: empty TYPE", arg);
	}
	return -1;
}

static int build_opt(swim_cli *cli, int opt, void *ctx)
{
	struct build_args *a = ctx;

	switch (opt) {
	case OPT_DESCRIPTOR: a->descriptor = optarg; return -1;
	case OPT_PAYLOAD: return parse_payload(cli, a, optarg);
	case 'o': a->out = optarg; return -1;
	default: return swim_cli_usage(cli, "unknown option");
	}
}

static int source_date_epoch(swim_cli *cli, int64_t *out)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");

	*out = -1;
	if (!s || !*s)
		return 0;
	if (swim_str_to_i64(out, s, 0, INT64_MAX, "SOURCE_DATE_EPOCH") < 0)
		return swim_cli_fail_last(cli);
	return 0;
}

int swim_cmd_vib_build(swim_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		SWIM_CLI_COMMON_LONGOPTS,
		{ "descriptor", required_argument, NULL, OPT_DESCRIPTOR },
		{ "payload", required_argument, NULL, OPT_PAYLOAD },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct build_args a = { 0 };
	swim_buf xml = SWIM_BUF_INIT(cli->limits.descriptor_max_bytes);
	swim_vib_build_options bo = { -1, &cli->limits };
	swim_package *tmpl = NULL;
	int rc;

	a.max_specs = (size_t)argc;
	if (!(a.specs = calloc(a.max_specs ? a.max_specs : 1, sizeof(*a.specs))))
		return swim_cli_fail(cli, "out of memory");
	if ((rc = parse_options(cli, argc, argv, "ho:", opts, build_opt, &a)) >= 0)
		goto out;
	if (optind != argc) {
		rc = swim_cli_usage(cli, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (!a.descriptor || !a.out) {
		rc = swim_cli_usage(cli, "--descriptor and -o are required");
		goto out;
	}
	if ((rc = source_date_epoch(cli, &bo.source_date_epoch)) != 0)
		goto out;
	if (swim_fs_read_file(&xml, a.descriptor) < 0 ||
	    swim_descriptor_read_named(&tmpl, xml.ptr, xml.len, &cli->limits,
	                               a.descriptor) < 0 ||
	    swim_vib_build(a.out, tmpl, a.specs, a.n_specs, &bo) < 0) {
		rc = swim_cli_fail_last(cli);
		goto out;
	}
	if (!cli->json)
		fprintf(cli->out, "Built %s (%s)\n", a.out, tmpl->id);
	rc = SWIM_EXIT_OK;
out:
	swim_package_free(tmpl);
	swim_buf_dispose(&xml);
	free(a.specs);
	return rc;
}

/* ---- sign ------------------------------------------------------------- */

struct sign_args {
	const char *key, *cert, *chain, *out;
};

static int sign_opt(swim_cli *cli, int opt, void *ctx)
{
	struct sign_args *a = ctx;

	switch (opt) {
	case OPT_KEY: a->key = optarg; return -1;
	case OPT_CERT: a->cert = optarg; return -1;
	case OPT_CHAIN: a->chain = optarg; return -1;
	case 'o': a->out = optarg; return -1;
	default: return swim_cli_usage(cli, "unknown option");
	}
}

int swim_cmd_vib_sign(swim_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		SWIM_CLI_COMMON_LONGOPTS,
		{ "key", required_argument, NULL, OPT_KEY },
		{ "cert", required_argument, NULL, OPT_CERT },
		{ "chain", required_argument, NULL, OPT_CHAIN },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct sign_args a = { 0 };
	const char *in;
	int rc;

	if ((rc = parse_options(cli, argc, argv, "ho:", opts, sign_opt, &a)) >= 0)
		return rc;
	if (optind + 1 != argc)
		return swim_cli_usage(cli, optind == argc ? "missing IN.vib"
		                                          : "too many arguments");
	if (!a.key || !a.cert)
		return swim_cli_usage(cli, "--key and --cert are required");
	in = argv[optind];
	if (swim_vib_sign(a.out ? a.out : in, in, a.key, a.cert, a.chain,
	                  &cli->limits) < 0)
		return swim_cli_fail_last(cli);
	if (!cli->json)
		fprintf(cli->out, "Signed %s\n", a.out ? a.out : in);
	return SWIM_EXIT_OK;
}

/* ---- check and extract ------------------------------------------------ */

struct read_args {
	const char *trust;
	bool no_sig_check;
};

static int read_opt(swim_cli *cli, int opt, void *ctx)
{
	struct read_args *a = ctx;

	switch (opt) {
	case OPT_TRUST: a->trust = optarg; return -1;
	case OPT_NO_SIG_CHECK: a->no_sig_check = true; return -1;
	default: return swim_cli_usage(cli, "unknown option");
	}
}

/* --trust, else swim.conf's trust_dir (inside the root), else
 * ROOT/etc/swim/trust. NULL with the error set when trust_dir is bad. */
static const char *trust_dir(swim_cli *cli, const char *given, swim_buf *b)
{
	if (given)
		return given;
	if (swim_conf_path(b, cli->conf, cli->root, "trust_dir",
	                   "/etc/swim/trust") < 0)
		return NULL;
	return b->ptr;
}

static const char *yes_no(bool b)
{
	return b ? "True" : "False";
}

static void print_signature(FILE *f, const swim_vib *vib)
{
	const swim_signature_result *s = &vib->sig;

	fprintf(f, "Signature:\n");
	swim_field(f, 3, "Signed", yes_no(s->is_signed));
	swim_field(f, 3, "Signer", s->signer ? s->signer : "");
	swim_field(f, 3, "Checked", yes_no(vib->sig_checked));
	swim_field(f, 3, "Proven Level", vib->sig_checked
	           ? swim_acceptance_long_name(s->proven) : "(not checked)");
	swim_field(f, 3, "Claimed Level",
	           swim_acceptance_long_name(vib->claimed));
	swim_field(f, 3, "Satisfied", yes_no(vib->satisfied));
	if (s->note)
		swim_field(f, 3, "Note", s->note);
}

static int print_payloads(FILE *f, const swim_vib *vib)
{
	static const char *const head[] = {
		"Name", "Type", "Size", "Expanded", "Entries", "sha-256",
		"sha-256 gunzip",
	};
	swim_table *t = NULL;
	int rc;

	if ((rc = swim_table_new(&t, SWIM_ARRAY_SIZE(head), head)) < 0)
		return rc;
	for (size_t i = 0; i < vib->pkg->n_payloads && rc == 0; i++) {
		const swim_vib_payload_result *r = &vib->payloads[i];
		char size[24], exp[24], ent[24];
		const char *row[7];

		(void)snprintf(size, sizeof(size), "%" PRIu64,
		               vib->pkg->payloads[i].size);
		(void)snprintf(exp, sizeof(exp), "%" PRIu64, r->expanded_size);
		(void)snprintf(ent, sizeof(ent), "%" PRIu64, r->entries);
		row[0] = r->name;
		row[1] = vib->pkg->payloads[i].type;
		row[2] = size;
		row[3] = r->sha256_status ? exp : "";
		row[4] = r->sha256_status ? ent : "";
		row[5] = swim_vib_status_name(r->sha256_status);
		row[6] = swim_vib_status_name(r->gunzip_status);
		rc = swim_table_add(t, row);
	}
	if (rc == 0) {
		fprintf(f, "Payloads:\n");
		swim_table_print(t, f);
	}
	swim_table_free(t);
	return rc;
}

static json_t *payloads_json(const swim_vib *vib)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < vib->pkg->n_payloads; i++) {
		const swim_vib_payload_result *r = &vib->payloads[i];
		json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:s}",
		        "Name", r->name, "Type", vib->pkg->payloads[i].type,
		        "Size", (json_int_t)vib->pkg->payloads[i].size,
		        "ExpandedSize", (json_int_t)r->expanded_size,
		        "Entries", (json_int_t)r->entries,
		        "Sha256", r->sha256,
		        "Sha256Status", swim_vib_status_name(r->sha256_status),
		        "Sha256Gunzip", r->sha256_gunzip,
		        "Sha256GunzipStatus", swim_vib_status_name(r->gunzip_status));

		if (!o || json_array_append_new(arr, o) < 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static int check_json(swim_cli *cli, const char *path, const swim_vib *vib,
                      int rc)
{
	const swim_signature_result *s = &vib->sig;
	json_t *doc = json_pack("{s:s, s:o, s:{s:b, s:o, s:b, "
	                        "s:o, s:s, s:b, s:o}, s:o, s:b, s:o}",
	        "File", path, "Package", swim_pkgout_json(vib->pkg),
	        "Signature",
	        "Signed", s->is_signed, "Signer", swim_json_str(s->signer),
	        "Checked", vib->sig_checked,
	        "ProvenLevel", vib->sig_checked
	                       ? swim_json_str(swim_acceptance_long_name(s->proven))
	                       : json_null(),
	        "ClaimedLevel", swim_acceptance_long_name(vib->claimed),
	        "Satisfied", vib->satisfied, "Note", swim_json_str(s->note),
	        "Payloads", payloads_json(vib),
	        "Intact", vib->verified,
	        "Error", rc < 0 ? swim_json_str(swim_error_last()) : json_null());

	if (!doc || swim_json_print(doc, cli->out) < 0)
		return swim_cli_fail(cli, "cannot write JSON");
	return 0;
}

int swim_cmd_vib_check(swim_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		SWIM_CLI_COMMON_LONGOPTS,
		{ "trust", required_argument, NULL, OPT_TRUST },
		{ "no-sig-check", no_argument, NULL, OPT_NO_SIG_CHECK },
		{ NULL, 0, NULL, 0 }
	};
	struct read_args a = { 0 };
	swim_buf tb = SWIM_BUF_INIT(0);
	swim_vib_options vo = { 0 };
	swim_vib *vib = NULL;
	const char *path;
	int rc, status;

	if ((status = parse_options(cli, argc, argv, "h", opts, read_opt, &a)) >= 0)
		return status;
	if (optind + 1 != argc)
		return swim_cli_usage(cli, optind == argc ? "missing X.vib"
		                                          : "too many arguments");
	path = argv[optind];
	if (!(vo.trust_dir = trust_dir(cli, a.trust, &tb))) {
		status = swim_cli_fail_last(cli);
		goto out;
	}
	vo.no_sig_check = a.no_sig_check;
	vo.lim = &cli->limits;
	if (swim_vib_open(&vib, path, &vo) < 0) {
		status = swim_cli_fail_last(cli);
		goto out;
	}
	rc = swim_vib_verify(vib);
	if (cli->json) {
		if (check_json(cli, path, vib, rc) != 0) {
			status = SWIM_EXIT_FAIL;
			goto out;
		}
	} else {
		if (swim_pkgout_print(cli->out, vib->pkg) < 0) {
			status = swim_cli_fail_last(cli);
			goto out;
		}
		print_signature(cli->out, vib);
		if (print_payloads(cli->out, vib) < 0) {
			status = swim_cli_fail_last(cli);
			goto out;
		}
	}
	if (rc < 0) {
		status = swim_cli_fail(cli, "%s", swim_error_last());
	} else if (!vib->satisfied) {
		status = swim_cli_fail(cli, "%s: acceptance level %s is not proven "
		                       "by its signature (proven: %s): could not "
		                       "find a trusted signer", path,
		                       swim_acceptance_long_name(vib->claimed),
		                       swim_acceptance_long_name(vib->sig.proven));
	} else {
		if (!cli->json)
			fprintf(cli->out, "Result: intact, acceptance level %s %s\n",
			        swim_acceptance_long_name(vib->claimed),
			        vib->sig_checked ? "proven" : "claimed (signature not checked)");
		status = SWIM_EXIT_OK;
	}
out:
	swim_vib_free(vib);
	swim_buf_dispose(&tb);
	return status;
}

int swim_cmd_vib_extract(swim_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		SWIM_CLI_COMMON_LONGOPTS,
		{ "no-sig-check", no_argument, NULL, OPT_NO_SIG_CHECK },
		{ NULL, 0, NULL, 0 }
	};
	struct read_args a = { 0 };
	swim_vib_options vo = { 0 };
	swim_vib *vib = NULL;
	int status;

	if ((status = parse_options(cli, argc, argv, "h", opts, read_opt, &a)) >= 0)
		return status;
	if (optind + 2 != argc)
		return swim_cli_usage(cli, "want X.vib and DIR");
	vo.no_sig_check = a.no_sig_check;
	vo.lim = &cli->limits;
	if (swim_vib_open(&vib, argv[optind], &vo) < 0 ||
	    swim_vib_extract(vib, argv[optind + 1]) < 0) {
		status = swim_cli_fail_last(cli);
		goto out;
	}
	if (!cli->json)
		fprintf(cli->out, "Extracted %zu payload%s of %s into %s\n",
		        vib->pkg->n_payloads, vib->pkg->n_payloads == 1 ? "" : "s",
		        vib->pkg->id, argv[optind + 1]);
	status = SWIM_EXIT_OK;
out:
	swim_vib_free(vib);
	return status;
}
