/* profiles/<guid>.xml: swim's image profile schema (docs/depot.md). */
#include <stdlib.h>
#include <string.h>

#include "swim/error.h"
#include "swim/profile.h"
#include "util/str.h"
#include "util/xml.h"
#include "util/xmlw.h"

#define PROFILE_SCHEMA "1"
#define PROFILE_MAX_BYTES ((uint64_t)64 << 20)

static int node_error(const xmlNode *n, const char *what)
{
	return swim_error_set(SWIM_EINVAL, "image profile:%u: <%s> %s",
	                      (unsigned)xmlGetLineNo(n), swim_xml_name(n), what);
}

static int read_text(char **out, const xmlNode *n)
{
	if (*out)
		return node_error(n, "appears twice");
	return swim_xml_text(out, n);
}

static int read_bool(bool *out, const xmlNode *n)
{
	char *t = NULL;
	int rc;

	if ((rc = swim_xml_text(&t, n)) < 0)
		return rc;
	if (strcmp(t, "true") == 0)
		*out = true;
	else if (strcmp(t, "false") == 0)
		*out = false;
	else
		rc = node_error(n, "must be true or false");
	free(t);
	return rc;
}

static int read_rules(swim_profile *p, const xmlNode *list)
{
	for (xmlNode *n = swim_xml_child(list, NULL); n; n = swim_xml_next(n, NULL)) {
		swim_profile_rule *r;
		const char *name = swim_xml_attr_ref(n, "name");
		const char *value = swim_xml_attr_ref(n, "value");

		if (strcmp(swim_xml_name(n), "rule") != 0)
			return node_error(n, "is not allowed in <rules>");
		if (!name || !value)
			return node_error(n, "needs name and value attributes");
		if (!(r = realloc(p->rules, (p->n_rules + 1) * sizeof(*r))))
			return swim_error_oom();
		p->rules = r;
		r = &p->rules[p->n_rules++];
		memset(r, 0, sizeof(*r));
		if (swim_str_set(&r->name, name) < 0 ||
		    swim_str_set(&r->value, value) < 0)
			return SWIM_ENOMEM;
	}
	return 0;
}

static int read_vibs(swim_profile *p, const xmlNode *list)
{
	for (xmlNode *n = swim_xml_child(list, NULL); n; n = swim_xml_next(n, NULL)) {
		char *id = NULL;
		int rc;

		if (strcmp(swim_xml_name(n), "vib") != 0)
			return node_error(n, "is not allowed in <vibs>");
		if ((rc = swim_xml_text(&id, n)) < 0)
			return rc;
		if (swim_profile_has_vib(p, id)) {
			free(id);
			return node_error(n, "lists a package twice");
		}
		rc = swim_profile_add_vib(p, id);
		free(id);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int read_element(swim_profile *p, const xmlNode *n)
{
	const char *name = swim_xml_name(n);
	char *t = NULL;
	int rc;

	if (strcmp(name, "guid") == 0)
		return read_text(&p->guid, n);
	if (strcmp(name, "name") == 0)
		return read_text(&p->name, n);
	if (strcmp(name, "vendor") == 0)
		return read_text(&p->vendor, n);
	if (strcmp(name, "author") == 0)
		return read_text(&p->author, n);
	if (strcmp(name, "description") == 0)
		return read_text(&p->description, n);
	if (strcmp(name, "creation-time") == 0)
		return read_text(&p->creation_time, n);
	if (strcmp(name, "modified-time") == 0)
		return read_text(&p->modified_time, n);
	if (strcmp(name, "read-only") == 0)
		return read_bool(&p->read_only, n);
	if (strcmp(name, "rules") == 0)
		return read_rules(p, n);
	if (strcmp(name, "vibs") == 0)
		return read_vibs(p, n);
	if (strcmp(name, "acceptance-level") == 0) {
		if ((rc = swim_xml_text(&t, n)) < 0)
			return rc;
		rc = swim_acceptance_parse(&p->acceptance, t);
		free(t);
		if (rc < 0)
			return swim_error_prefix("image profile:%u: ",
			                         (unsigned)xmlGetLineNo(n));
		return 0;
	}
	return node_error(n, "is not an image profile element");
}

int swim_profile_read(swim_profile **out, const char *xml, size_t len,
                      const swim_limits *lim)
{
	swim_profile *p = NULL;
	xmlDoc *doc = NULL;
	xmlNode *root;
	const char *schema;
	int rc;

	*out = NULL;
	if ((rc = swim_xml_parse(&doc, xml, len, PROFILE_MAX_BYTES, lim,
	                         "image profile")) < 0)
		return rc;
	root = xmlDocGetRootElement(doc);
	if (strcmp(swim_xml_name(root), "imageProfile") != 0) {
		rc = swim_error_set(SWIM_EINVAL,
		                    "image profile: root element is <%s>, expected <imageProfile>",
		                    swim_xml_name(root));
		goto out;
	}
	schema = swim_xml_attr_ref(root, "schemaVersion");
	if (!schema || strcmp(schema, PROFILE_SCHEMA) != 0) {
		rc = swim_error_set(SWIM_ENOTSUPPORTED,
		                    "image profile: schemaVersion '%s' is not supported (expected %s)",
		                    schema ? schema : "", PROFILE_SCHEMA);
		goto out;
	}
	if (!(p = calloc(1, sizeof(*p)))) {
		rc = swim_error_oom();
		goto out;
	}
	for (xmlNode *n = swim_xml_child(root, NULL); n; n = swim_xml_next(n, NULL))
		if ((rc = read_element(p, n)) < 0)
			goto out;
	if ((rc = swim_profile_check(p, lim)) < 0)
		goto out;
	*out = p;
	p = NULL;
out:
	swim_profile_free(p);
	xmlFreeDoc(doc);
	return rc;
}

int swim_profile_write(swim_buf *buf, const swim_profile *p)
{
	swim_xmlw w;

	swim_xmlw_init(&w, buf, true);
	swim_xmlw_decl(&w);
	swim_xmlw_start(&w, "imageProfile");
	swim_xmlw_attr(&w, "schemaVersion", PROFILE_SCHEMA);
	swim_xmlw_element(&w, "guid", p->guid);
	swim_xmlw_element(&w, "name", p->name);
	swim_xmlw_element(&w, "vendor", p->vendor);
	if (p->author)
		swim_xmlw_element(&w, "author", p->author);
	if (p->description)
		swim_xmlw_element(&w, "description", p->description);
	swim_xmlw_element(&w, "acceptance-level",
	                  swim_acceptance_name(p->acceptance));
	swim_xmlw_element(&w, "creation-time", p->creation_time);
	swim_xmlw_element(&w, "modified-time", p->modified_time);
	swim_xmlw_element(&w, "read-only", p->read_only ? "true" : "false");
	if (p->n_rules) {
		swim_xmlw_start(&w, "rules");
		for (size_t i = 0; i < p->n_rules; i++) {
			swim_xmlw_start(&w, "rule");
			swim_xmlw_attr(&w, "name", p->rules[i].name);
			swim_xmlw_attr(&w, "value", p->rules[i].value);
			swim_xmlw_end(&w);
		}
		swim_xmlw_end(&w);
	}
	swim_xmlw_start(&w, "vibs");
	for (size_t i = 0; i < p->n_vib_ids; i++)
		swim_xmlw_element(&w, "vib", p->vib_ids[i]);
	swim_xmlw_end(&w);
	swim_xmlw_end(&w);
	return swim_xmlw_finish(&w);
}
