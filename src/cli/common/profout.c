#include <string.h>

#include "cli/common/output.h"
#include "cli/common/profout.h"
#include "swim/error.h"

static int join(swim_buf *b, char *const *v, size_t n)
{
	int rc = 0;

	swim_buf_clear(b);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = swim_buf_printf(b, "%s%s", i ? ", " : "", v[i]);
	return rc;
}

int swim_profout_print(FILE *f, const swim_profile *p,
                       char *const *sources, size_t n_sources)
{
	swim_buf b = SWIM_BUF_INIT(0);
	int rc = 0;

	fprintf(f, "%s\n", p->name);
	swim_field(f, 3, "Name", p->name);
	swim_field(f, 3, "Vendor", p->vendor);
	swim_field(f, 3, "Author", p->author);
	swim_field(f, 3, "Acceptance Level",
	           swim_acceptance_long_name(p->acceptance));
	swim_field(f, 3, "Creation Time", p->creation_time);
	swim_field(f, 3, "Modification Time", p->modified_time);
	swim_field(f, 3, "Read Only", p->read_only ? "True" : "False");
	swim_field(f, 3, "Description", p->description);
	for (size_t i = 0; i < p->n_rules && rc == 0; i++)
		rc = swim_buf_printf(&b, "%s%s=%s", i ? ", " : "",
		                     p->rules[i].name, p->rules[i].value);
	if (rc == 0) {
		swim_field(f, 3, "Rules", b.ptr);
		rc = join(&b, p->vib_ids, p->n_vib_ids);
	}
	if (rc == 0) {
		swim_field(f, 3, "VIBs", b.ptr);
		rc = join(&b, sources, n_sources);
	}
	if (rc == 0 && sources)
		swim_field(f, 3, "Depots", b.ptr);
	swim_buf_dispose(&b);
	return rc;
}

/* Sets o[key] = v, taking v; a failure (v NULL included) sticks in *rc. */
static void put(json_t *o, const char *key, json_t *v, int *rc)
{
	if (json_object_set_new(o, key, v) < 0)
		*rc = -1;
}

static json_t *rules_json(const swim_profile *p)
{
	json_t *a = json_array();
	int rc = a ? 0 : -1;

	for (size_t i = 0; a && i < p->n_rules; i++) {
		json_t *r = json_object();

		if (!r) {
			rc = -1;
			break;
		}
		put(r, "Name", swim_json_str(p->rules[i].name), &rc);
		put(r, "Value", swim_json_str(p->rules[i].value), &rc);
		if (json_array_append_new(a, r) < 0)
			rc = -1;
	}
	if (rc < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

json_t *swim_profout_json(const swim_profile *p, char *const *sources,
                          size_t n_sources)
{
	json_t *o = json_object();
	int rc = 0;

	if (!o)
		return NULL;
	put(o, "Guid", swim_json_str(p->guid), &rc);
	put(o, "Name", swim_json_str(p->name), &rc);
	put(o, "Vendor", swim_json_str(p->vendor), &rc);
	put(o, "Author", swim_json_str(p->author), &rc);
	put(o, "Description", swim_json_str(p->description), &rc);
	put(o, "AcceptanceLevel",
	    json_string(swim_acceptance_long_name(p->acceptance)), &rc);
	put(o, "CreationTime", swim_json_str(p->creation_time), &rc);
	put(o, "ModifiedTime", swim_json_str(p->modified_time), &rc);
	put(o, "ReadOnly", json_boolean(p->read_only), &rc);
	put(o, "Rules", rules_json(p), &rc);
	put(o, "VibList", swim_json_strv(p->vib_ids, p->n_vib_ids), &rc);
	put(o, "SourceUrls", swim_json_strv(sources, n_sources), &rc);
	if (rc < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}
