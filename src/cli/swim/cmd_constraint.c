/* swim constraint match */
#include <getopt.h>
#include <stdio.h>

#include "cli/common/output.h"
#include "cli/swim/commands.h"
#include "swim/constraint.h"
#include "swim/error.h"

static json_t *json_constraint(const swim_constraint *c)
{
	return json_pack("{s:s, s:o, s:o}", "Name", c->name,
	                 "Relation", c->rel == SWIM_REL_ANY ? json_null() :
	                 json_string(swim_relation_str(c->rel)),
	                 "Version", swim_json_str(c->version));
}

static json_t *json_provide(const swim_provide *p)
{
	return json_pack("{s:s, s:o}", "Name", p->name,
	                 "Version", swim_json_str(p->version));
}

int swim_cmd_constraint_match(swim_cli *cli, int argc, char **argv)
{
	swim_constraint c = { NULL, SWIM_REL_ANY, NULL };
	swim_provide p = { NULL, NULL };
	bool m;
	json_t *doc;
	int rc;

	if ((rc = swim_cli_options(cli, argc, argv)) >= 0)
		return rc;
	if (argc - optind != 2)
		return swim_cli_usage(cli, "expected a constraint and a provide");
	if (swim_constraint_parse(&c, argv[optind], &cli->limits) < 0 ||
	    swim_provide_parse(&p, argv[optind + 1], &cli->limits) < 0) {
		rc = swim_cli_fail_last(cli);
		goto out;
	}
	m = swim_constraint_matches(&c, &p);
	rc = SWIM_EXIT_OK;
	if (!cli->json) {
		fprintf(cli->out, "%s\n", m ? "true" : "false");
		goto out;
	}
	doc = json_pack("{s:o, s:o, s:b}", "Constraint", json_constraint(&c),
	                "Provide", json_provide(&p), "MatchesProvide", m);
	if (!doc || swim_json_print(doc, cli->out) < 0)
		rc = swim_cli_fail(cli, "cannot write JSON");
out:
	swim_constraint_dispose(&c);
	swim_provide_dispose(&p);
	return rc;
}
