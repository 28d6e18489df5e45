/* swim version compare | parts */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/common/output.h"
#include "cli/swim/commands.h"
#include "swim/buf.h"
#include "swim/error.h"
#include "swim/version.h"
#include "util/str.h"

/* What these commands compare is any string rpm could (a byte that is
 * not a letter, digit, '~' or '^' only separates), but not an empty
 * one, not a longer one than a package version may be, and none with
 * blanks or control characters. `what` names it in the message ("line
 * 3: first version"). Returns 0 or a SWIM_E* code with the message set. */
static int check_version_arg(const swim_cli *cli, const char *v, size_t len,
                             const char *what)
{
	if (len == 0)
		return swim_error_set(SWIM_EINVAL, "%s is empty", what);
	if (len > cli->limits.version_max_bytes)
		return swim_error_set(SWIM_ELIMIT,
		                      "%s is %zu bytes, longer than %llu "
		                      "(version_max_bytes)", what, len,
		                      (unsigned long long)cli->limits.version_max_bytes);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c <= ' ' || c == 0x7f)
			return swim_error_set(SWIM_EINVAL,
			                      "%s has a %s (0x%02x) at position %zu",
			                      what, c == ' ' || c == '\t' ? "blank" :
			                      "control character", c, i + 1);
	}
	if (cli->json && !swim_str_is_utf8(v, len))
		return swim_error_set(SWIM_EINVAL,
		                      "%s is not UTF-8, which JSON cannot carry",
		                      what);
	return 0;
}

static int print_result(swim_cli *cli, const char *a, const char *b, int r)
{
	json_t *doc;

	if (!cli->json) {
		fprintf(cli->out, "%d\n", r);
		return SWIM_EXIT_OK;
	}
	doc = json_pack("{s:s, s:s, s:i}", "Version1", a, "Version2", b,
	                "Result", r);
	if (!doc || swim_json_print(doc, cli->out) < 0)
		return swim_cli_fail(cli, "cannot write JSON");
	return SWIM_EXIT_OK;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The next blank-separated field at or after *p (NUL-terminated in
 * place), or NULL when there is none; *p moves past it. */
static char *next_field(char **p, char *end)
{
	char *f;

	while (*p < end && is_blank(**p))
		(*p)++;
	if (*p == end)
		return NULL;
	f = *p;
	while (*p < end && !is_blank(**p))
		(*p)++;
	if (*p < end)
		*(*p)++ = '\0';
	return f;
}

/* One line of --batch: "A B" with blanks around and between; the line
 * is NUL-terminated at `end`. */
static int compare_line(swim_cli *cli, char *line, size_t len, size_t lineno)
{
	char what[2][48], *end = line + len, *p = line, *a, *b;

	if (memchr(line, '\0', len))
		return swim_error_set(SWIM_EINVAL, "line %zu has a NUL byte", lineno);
	a = next_field(&p, end);
	b = next_field(&p, end);
	if (!a || !b || next_field(&p, end))
		return swim_error_set(SWIM_EINVAL,
		                      "line %zu: expected two versions separated by a blank",
		                      lineno);
	(void)snprintf(what[0], sizeof(what[0]), "line %zu: first version", lineno);
	(void)snprintf(what[1], sizeof(what[1]), "line %zu: second version", lineno);
	if (check_version_arg(cli, a, strlen(a), what[0]) < 0 ||
	    check_version_arg(cli, b, strlen(b), what[1]) < 0)
		return SWIM_EINVAL;
	fprintf(cli->out, "%d\n", swim_version_compare(a, b));
	return 0;
}

/* Reads stdin line by line, a line at most as long as two versions and
 * some blanks, so memory stays bounded however long the input; results
 * are printed as the lines come. */
static int compare_batch(swim_cli *cli)
{
	size_t max = 2 * cli->limits.version_max_bytes + 64;
	swim_buf line = SWIM_BUF_INIT(max);
	size_t lineno = 0;
	int c = 0, rc = 0;

	while (rc == 0 && c != EOF) {
		swim_buf_clear(&line);
		while ((c = getc_unlocked(stdin)) != EOF && c != '\n')
			if ((rc = swim_buf_putc(&line, (char)c)) < 0)
				break;
		lineno++;
		if (rc < 0)
			rc = swim_error_prefix("line %zu: ", lineno);
		else if (c == EOF && line.len == 0)
			break;
		else
			rc = compare_line(cli, line.ptr, line.len, lineno);
	}
	swim_buf_dispose(&line);
	if (rc == 0 && ferror(stdin))
		rc = swim_error_set_errno(SWIM_EIO, errno, "reading standard input");
	if (rc < 0)
		return swim_cli_fail_last(cli);
	if (fflush(cli->out) != 0 || ferror(cli->out))
		return swim_cli_fail(cli, "cannot write the results");
	return SWIM_EXIT_OK;
}

int swim_cmd_version_compare(swim_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		SWIM_CLI_COMMON_LONGOPTS,
		{ "batch", no_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	int opt, exit_now = -1;
	bool batch = false;
	const char *a, *b;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (opt == 'b') {
			batch = true;
			continue;
		}
		if (!swim_cli_common_option(cli, opt, &exit_now))
			return swim_cli_usage(cli, "unknown option");
		if (exit_now >= 0)
			return exit_now;
	}
	if (batch) {
		if (optind != argc)
			return swim_cli_usage(cli, "--batch reads its pairs from standard "
			                      "input, not from arguments");
		if (cli->json)
			return swim_cli_usage(cli, "--batch prints one number per line; "
			                      "--json is not available with it");
		return compare_batch(cli);
	}
	if (argc - optind != 2)
		return swim_cli_usage(cli, "expected two versions");
	a = argv[optind];
	b = argv[optind + 1];
	if (check_version_arg(cli, a, strlen(a), "first version") < 0 ||
	    check_version_arg(cli, b, strlen(b), "second version") < 0)
		return swim_cli_fail_last(cli);
	return print_result(cli, a, b, swim_version_compare(a, b));
}

/* A part as JSON: null when absent. */
static json_t *json_part(const char *p, size_t len)
{
	return p ? json_stringn(p, len) : json_null();
}

int swim_cmd_version_parts(swim_cli *cli, int argc, char **argv)
{
	swim_version_parts p;
	const char *v;
	json_t *doc;
	int rc;

	if ((rc = swim_cli_options(cli, argc, argv)) >= 0)
		return rc;
	if (argc - optind != 1)
		return swim_cli_usage(cli, "expected one version");
	v = argv[optind];
	if (check_version_arg(cli, v, strlen(v), "version") < 0)
		return swim_cli_fail_last(cli);
	swim_version_split(&p, v);
	if (cli->json) {
		doc = json_pack("{s:o, s:o, s:o}",
		                "Epoch", json_part(p.epoch, p.epoch_len),
		                "Version", json_part(p.version, p.version_len),
		                "Release", json_part(p.release, p.release_len));
		if (!doc || swim_json_print(doc, cli->out) < 0)
			return swim_cli_fail(cli, "cannot write JSON");
		return SWIM_EXIT_OK;
	}
	if (p.epoch)
		fprintf(cli->out, "Epoch: %.*s\n", (int)p.epoch_len, p.epoch);
	fprintf(cli->out, "Version: %.*s\n", (int)p.version_len, p.version);
	fprintf(cli->out, "Release: %.*s\n", (int)p.release_len,
	        p.release ? p.release : "");
	return SWIM_EXIT_OK;
}
