#include <string.h>

#include "cli/common/output.h"
#include "cli/common/profout.h"
#include "swim/buf.h"
#include "swim/error.h"

/* A field whose value may span lines: later lines are indented under
 * the label so the block stays readable. */
static void multiline_field(FILE *f, const char *label, const char *value)
{
	const char *p = value ? value : "", *nl;

	fprintf(f, "   %s: ", label);
	while ((nl = strchr(p, '\n'))) {
		fprintf(f, "%.*s\n      ", (int)(nl - p), p);
		p = nl + 1;
	}
	fprintf(f, "%s\n", p);
}

int swim_profout_print(FILE *f, const swim_profile *p, bool stateless_ready)
{
	swim_buf vibs = SWIM_BUF_INIT(0);
	int rc = 0;

	for (size_t i = 0; i < p->n_vib_ids && rc == 0; i++)
		rc = swim_buf_printf(&vibs, "%s%s", i ? ", " : "", p->vib_ids[i]);
	if (rc == 0) {
		fprintf(f, "%s\n", p->name ? p->name : "");
		swim_field(f, 3, "Name", p->name);
		swim_field(f, 3, "Vendor", p->vendor);
		swim_field(f, 3, "Creation Time", p->creation_time);
		swim_field(f, 3, "Modification Time", p->modified_time);
		swim_field(f, 3, "Stateless Ready", stateless_ready ? "True" : "False");
		multiline_field(f, "Description", p->description);
		swim_field(f, 3, "VIBs", vibs.ptr);
	}
	swim_buf_dispose(&vibs);
	return rc;
}

json_t *swim_profout_json(const swim_profile *p, bool stateless_ready)
{
	json_t *rules = json_array();

	for (size_t i = 0; rules && i < p->n_rules; i++)
		if (json_array_append_new(rules,
		                          json_pack("{s:s?, s:s?}",
		                                    "Name", p->rules[i].name,
		                                    "Value", p->rules[i].value)) < 0) {
			json_decref(rules);
			return NULL;
		}
	return json_pack("{s:s?, s:s?, s:s?, s:s?, s:s, s:s?, s:s?, s:b, s:b,"
	                 " s:s?, s:o, s:o}",
	                 "Name", p->name, "Vendor", p->vendor, "Author", p->author,
	                 "GUID", p->guid,
	                 "AcceptanceLevel", swim_acceptance_long_name(p->acceptance),
	                 "CreationTime", p->creation_time,
	                 "ModifiedTime", p->modified_time,
	                 "ReadOnly", (int)p->read_only,
	                 "StatelessReady", (int)stateless_ready,
	                 "Description", p->description, "Rules", rules,
	                 "VibList", swim_json_strv(p->vib_ids, p->n_vib_ids));
}
