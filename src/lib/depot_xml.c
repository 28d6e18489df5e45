/* index.xml, vendor-index.xml, vmware.xml and bulletins/X.xml: reading
 * (lenient about unknown elements, strict about what swim uses) and
 * writing in the shape real depots have (reference/esxi.md §2). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/depot_xml.h"
#include "lib/descriptor_private.h"
#include "swim/error.h"
#include "util/str.h"
#include "util/xml.h"
#include "util/xmlw.h"

struct rd {
	const swim_limits *lim;
	const char *what;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The text of a leaf element without surrounding blanks: no child
 * elements, no control characters. */
static int leaf(char **out, const struct rd *r, const xmlNode *n)
{
	char *s = NULL;
	size_t start = 0, len;
	int rc;

	*out = NULL;
	for (xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return swim_xml_fail(r->what, c, SWIM_EINVAL,
			            "unexpected element <%s> inside <%s>",
			            swim_xml_name(c), swim_xml_name(n));
	if ((rc = swim_xml_text(&s, n)) < 0)
		return rc;
	len = strlen(s);
	while (len && is_blank(s[len - 1]))
		s[--len] = '\0';
	while (is_blank(s[start]))
		start++;
	memmove(s, s + start, len - start + 1);
	if (swim_str_has_ctrl(s, strlen(s), true)) {
		free(s);
		return swim_xml_fail(r->what, n, SWIM_EINVAL,
		            "<%s> contains a control character", swim_xml_name(n));
	}
	*out = s;
	return 0;
}

/* A single element's text into *dst; a second one is an error. */
static int leaf_once(char **dst, const struct rd *r, const xmlNode *n)
{
	if (*dst)
		return swim_xml_fail(r->what, n, SWIM_EINVAL, "<%s> appears more than once",
		            swim_xml_name(n));
	return leaf(dst, r, n);
}

/* A leaf whose empty text means absent. */
static int leaf_opt(char **dst, const struct rd *r, const xmlNode *n)
{
	int rc = leaf_once(dst, r, n);

	if (rc == 0 && !**dst) {
		free(*dst);
		*dst = NULL;
	}
	return rc;
}

static bool is(const xmlNode *n, const char *name)
{
	return strcmp(swim_xml_name(n), name) == 0;
}

static int attr_dup(char **dst, const struct rd *r, const xmlNode *n,
                    const char *name)
{
	const char *v = swim_xml_attr_ref(n, name);

	*dst = NULL;
	if (!v)
		return 0;
	if (swim_str_has_ctrl(v, strlen(v), false))
		return swim_xml_fail(r->what, n, SWIM_EINVAL,
		            "attribute '%s' of <%s> contains a control character",
		            name, swim_xml_name(n));
	return (*dst = swim_strdup(v)) ? 0 : SWIM_ENOMEM;
}

static int check_root(const struct rd *r, const xmlDoc *doc,
                      const char *name)
{
	const xmlNode *root = xmlDocGetRootElement(doc);

	if (!is(root, name))
		return swim_xml_fail(r->what, root, SWIM_EINVAL,
		            "the root element is <%s>, not <%s>",
		            swim_xml_name(root), name);
	return 0;
}

/* Grows *arr to hold element n (doubling at powers of two). */
static int room(void *arr, size_t n, size_t size)
{
	void **p = arr;
	void *q;

	if (n & (n - 1))
		return 0;
	if (!(q = reallocarray(*p, n ? 2 * n : 1, size)))
		return swim_error_oom();
	*p = q;
	return 0;
}

static int too_many(const struct rd *r, const xmlNode *n, const char *what,
                    uint64_t max, const char *limit)
{
	return swim_xml_fail(r->what, n, SWIM_ELIMIT, "more than %s (%llu) %s", limit,
	            (unsigned long long)max, what);
}

/* ---- index.xml ------------------------------------------------------ */

void swim_depot_vendor_dispose(swim_depot_vendor *v)
{
	free(v->name);
	free(v->code);
	free(v->index_file);
	free(v->patch_url);
	free(v->relative_path);
	free(v->content_name);
	free(v->content_type);
	memset(v, 0, sizeof(*v));
}

void swim_depot_vendors_free(swim_depot_vendor *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		swim_depot_vendor_dispose(&v[i]);
	free(v);
}

static int read_content(swim_depot_vendor *v, const struct rd *r,
                        const xmlNode *content)
{
	int rc = 0;

	for (xmlNode *c = swim_xml_child(content, NULL); c && rc == 0;
	     c = swim_xml_next(c, NULL)) {
		if (is(c, "name"))
			rc = leaf_opt(&v->content_name, r, c);
		else if (is(c, "type"))
			rc = leaf_opt(&v->content_type, r, c);
	}
	return rc;
}

static int read_vendor(swim_depot_vendor *v, const struct rd *r,
                       const xmlNode *vn)
{
	int rc = 0;

	for (xmlNode *c = swim_xml_child(vn, NULL); c && rc == 0;
	     c = swim_xml_next(c, NULL)) {
		if (is(c, "name"))
			rc = leaf_opt(&v->name, r, c);
		else if (is(c, "code"))
			rc = leaf_opt(&v->code, r, c);
		else if (is(c, "indexfile"))
			rc = leaf_opt(&v->index_file, r, c);
		else if (is(c, "patchUrl"))
			rc = leaf_opt(&v->patch_url, r, c);
		else if (is(c, "relativePath"))
			rc = leaf_opt(&v->relative_path, r, c);
		else if (is(c, "content"))
			rc = read_content(v, r, c);
	}
	if (rc == 0 && !v->index_file)
		rc = swim_xml_fail(r->what, vn, SWIM_EINVAL, "<vendor> has no <indexfile>");
	return rc;
}

/* A document that is a list: root element `root` of `item` elements,
 * each read by fn into an element of `size` bytes; at least one, at most
 * depot_max_indexes. free_fn frees what was read on failure. */
typedef int (*item_fn)(void *item, const struct rd *r, const xmlNode *n);
typedef void (*items_free_fn)(void *items, size_t n);

static int read_list(void **out, size_t *n, const char *xml, size_t len,
                     const struct rd *r, const char *root, const char *item,
                     size_t size, item_fn fn, items_free_fn free_fn)
{
	xmlDoc *doc = NULL;
	char *v = NULL;
	size_t count = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = swim_xml_parse(&doc, xml, len, r->lim->depot_max_metadata_bytes,
	                         r->lim, r->what)) < 0 ||
	    (rc = check_root(r, doc, root)) < 0)
		goto out;
	for (xmlNode *c = swim_xml_child(xmlDocGetRootElement(doc), item);
	     c; c = swim_xml_next(c, item)) {
		if (count >= r->lim->depot_max_indexes) {
			rc = swim_xml_fail(r->what, c, SWIM_ELIMIT,
			          "more than depot_max_indexes (%llu) <%s> elements",
			          (unsigned long long)r->lim->depot_max_indexes, item);
			goto out;
		}
		if ((rc = room(&v, count, size)) < 0)
			goto out;
		memset(v + count * size, 0, size);
		count++;
		if ((rc = fn(v + (count - 1) * size, r, c)) < 0)
			goto out;
	}
	if (count == 0) {
		rc = swim_xml_fail(r->what, xmlDocGetRootElement(doc), SWIM_EINVAL,
		          "<%s> names no <%s>", root, item);
		goto out;
	}
	*out = v;
	*n = count;
	v = NULL;
out:
	free_fn(v, count);
	xmlFreeDoc(doc);
	return rc;
}

static int vendor_item(void *item, const struct rd *r, const xmlNode *n)
{
	return read_vendor(item, r, n);
}

static void vendors_free(void *items, size_t n)
{
	swim_depot_vendors_free(items, n);
}

int swim_depot_index_read(swim_depot_vendor **out, size_t *n,
                          const char *xml, size_t len,
                          const swim_limits *lim, const char *what)
{
	struct rd r = { lim ? lim : swim_limits_default(), what };

	return read_list((void **)out, n, xml, len, &r, "vendorList", "vendor",
	                 sizeof(**out), vendor_item, vendors_free);
}

/* ---- vendor-index.xml ------------------------------------------------ */

static void channel_dispose(swim_depot_channel *c)
{
	free(c->product_id);
	free(c->version);
	free(c->locale);
	free(c->url);
	free(c->channel_name);
}

void swim_depot_channels_free(swim_depot_channel *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++)
		channel_dispose(&c[i]);
	free(c);
}

static int read_channel(swim_depot_channel *m, const struct rd *r,
                        const xmlNode *mn)
{
	int rc = 0;

	for (xmlNode *c = swim_xml_child(mn, NULL); c && rc == 0;
	     c = swim_xml_next(c, NULL)) {
		if (is(c, "productId"))
			rc = leaf_opt(&m->product_id, r, c);
		else if (is(c, "version"))
			rc = leaf_opt(&m->version, r, c);
		else if (is(c, "locale"))
			rc = leaf_opt(&m->locale, r, c);
		else if (is(c, "url"))
			rc = leaf_opt(&m->url, r, c);
		else if (is(c, "channelName"))
			rc = leaf_opt(&m->channel_name, r, c);
	}
	if (rc == 0 && !m->url)
		rc = swim_xml_fail(r->what, mn, SWIM_EINVAL, "<metadata> has no <url>");
	return rc;
}

static int channel_item(void *item, const struct rd *r, const xmlNode *n)
{
	return read_channel(item, r, n);
}

static void channels_free(void *items, size_t n)
{
	swim_depot_channels_free(items, n);
}

int swim_depot_vendor_index_read(swim_depot_channel **out, size_t *n,
                                 const char *xml, size_t len,
                                 const swim_limits *lim, const char *what)
{
	struct rd r = { lim ? lim : swim_limits_default(), what };

	return read_list((void **)out, n, xml, len, &r, "metaList", "metadata",
	                 sizeof(**out), channel_item, channels_free);
}

/* ---- bulletins ------------------------------------------------------- */

void swim_bulletin_dispose(swim_bulletin *b)
{
	char **strs[] = { &b->id, &b->vendor, &b->summary, &b->description,
	                  &b->severity, &b->category, &b->urgency,
	                  &b->release_type, &b->kb_url, &b->contact,
	                  &b->release_date, &b->component_name,
	                  &b->component_ui, &b->component_version,
	                  &b->component_version_ui };

	for (size_t i = 0; i < SWIM_ARRAY_SIZE(strs); i++)
		free(*strs[i]);
	for (size_t i = 0; b->platforms && i < b->n_platforms; i++) {
		free(b->platforms[i].product_line_id);
		free(b->platforms[i].version);
		free(b->platforms[i].locale);
	}
	free(b->platforms);
	for (size_t i = 0; b->vib_ids && i < b->n_vib_ids; i++)
		free(b->vib_ids[i]);
	free(b->vib_ids);
	memset(b, 0, sizeof(*b));
}

void swim_bulletins_free(swim_bulletin *b, size_t n)
{
	for (size_t i = 0; b && i < n; i++)
		swim_bulletin_dispose(&b[i]);
	free(b);
}

static int read_platforms(swim_bulletin *b, const struct rd *r,
                          const xmlNode *list)
{
	int rc = 0;

	for (xmlNode *c = swim_xml_child(list, "softwarePlatform"); c && rc == 0;
	     c = swim_xml_next(c, "softwarePlatform")) {
		swim_platform *p;

		if (b->n_platforms >= r->lim->descriptor_max_tags)
			return too_many(r, c, "platforms",
			                r->lim->descriptor_max_tags,
			                "descriptor_max_tags");
		if ((rc = room(&b->platforms, b->n_platforms, sizeof(*p))) < 0)
			return rc;
		p = &b->platforms[b->n_platforms++];
		memset(p, 0, sizeof(*p));
		if ((rc = attr_dup(&p->product_line_id, r, c, "productLineID")) < 0 ||
		    (rc = attr_dup(&p->version, r, c, "version")) < 0 ||
		    (rc = attr_dup(&p->locale, r, c, "locale")) < 0)
			return rc;
		if (!p->product_line_id)
			return swim_xml_fail(r->what, c, SWIM_EINVAL,
			            "<softwarePlatform> has no 'productLineID' attribute");
	}
	return rc;
}

static int check_id(const struct rd *r, const xmlNode *n, const char *id)
{
	size_t len = strlen(id);

	if (len == 0)
		return swim_xml_fail(r->what, n, SWIM_EINVAL, "<%s> is empty", swim_xml_name(n));
	if (len > 2 * r->lim->name_max_bytes + r->lim->version_max_bytes)
		return swim_xml_fail(r->what, n, SWIM_ELIMIT, "<%s> is %zu bytes long",
		            swim_xml_name(n), len);
	for (size_t i = 0; i < len; i++)
		if (id[i] == '/' || (unsigned char)id[i] < 0x20)
			return swim_xml_fail(r->what, n, SWIM_EINVAL,
			            "<%s> '%.64s' must not contain '/' or blanks "
			            "other than spaces", swim_xml_name(n), id);
	return 0;
}

static int push_vib_id(swim_bulletin *b, const struct rd *r,
                       const xmlNode *n, char *id)
{
	int rc;

	if (b->n_vib_ids >= r->lim->depot_max_packages) {
		free(id);
		return too_many(r, n, "packages", r->lim->depot_max_packages,
		                "depot_max_packages");
	}
	if ((rc = check_id(r, n, id)) < 0 ||
	    (rc = room(&b->vib_ids, b->n_vib_ids, sizeof(char *))) < 0) {
		free(id);
		return rc;
	}
	b->vib_ids[b->n_vib_ids++] = id;
	return 0;
}

static int read_vib_file(swim_depot_vibref *ref, const struct rd *r,
                         const xmlNode *vf)
{
	char *size = NULL, *type = NULL, *sum = NULL;
	int rc = 0;

	for (xmlNode *c = swim_xml_child(vf, NULL); c && rc == 0;
	     c = swim_xml_next(c, NULL)) {
		if (is(c, "relativePath")) {
			rc = leaf_opt(&ref->relative_path, r, c);
		} else if (is(c, "packedSize")) {
			if ((rc = leaf_once(&size, r, c)) == 0 &&
			    (rc = swim_str_to_u64(&ref->packed_size, size,
			                          INT64_MAX, "<packedSize>")) < 0)
				rc = swim_error_prefix("%s:%ld: ", r->what,
				                       xmlGetLineNo(c));
			ref->has_packed_size = rc == 0;
		} else if (is(c, "checksum")) {
			for (xmlNode *k = swim_xml_child(c, NULL); k && rc == 0;
			     k = swim_xml_next(k, NULL)) {
				if (is(k, "checksumType"))
					rc = leaf_once(&type, r, k);
				else if (is(k, "checksum"))
					rc = leaf_once(&sum, r, k);
			}
			if (rc == 0 && type && sum && strcmp(type, "sha-256") == 0) {
				free(ref->sha256);
				ref->sha256 = sum;
				sum = NULL;
			}
			free(type);
			free(sum);
			type = sum = NULL;
		}
	}
	free(size);
	return rc;
}

/* An inline <vib> of vmware.xml: its id for the bulletin, its file for
 * the cross-check (refs may be NULL: bulletins/X.xml have none). */
static int read_inline_vib(swim_bulletin *b, swim_depot_vmware *refs,
                           const struct rd *r, const xmlNode *vn)
{
	swim_depot_vibref ref = { .line = xmlGetLineNo(vn) };
	char *id = NULL, *copy = NULL;
	int rc = 0;

	for (xmlNode *c = swim_xml_child(vn, NULL); c && rc == 0;
	     c = swim_xml_next(c, NULL)) {
		if (is(c, "vibID"))
			rc = leaf_once(&id, r, c);
		else if (is(c, "vibFile"))
			rc = read_vib_file(&ref, r, c);
	}
	if (rc == 0 && !id)
		rc = swim_xml_fail(r->what, vn, SWIM_EINVAL, "<vib> has no <vibID>");
	if (rc == 0 && refs) {
		if (!(copy = swim_strdup(id)))
			rc = SWIM_ENOMEM;
		else if ((rc = room(&refs->refs, refs->n_refs,
		                    sizeof(*refs->refs))) == 0) {
			ref.vib_id = copy;
			refs->refs[refs->n_refs++] = ref;
			memset(&ref, 0, sizeof(ref));
			copy = NULL;
		}
	}
	free(copy);
	free(ref.vib_id);
	free(ref.relative_path);
	free(ref.sha256);
	if (rc < 0) {
		free(id);
		return rc;
	}
	return push_vib_id(b, r, vn, id);
}

static int read_vib_list(swim_bulletin *b, swim_depot_vmware *refs,
                         const struct rd *r, const xmlNode *list)
{
	int rc = 0;

	for (xmlNode *c = swim_xml_child(list, NULL); c && rc == 0;
	     c = swim_xml_next(c, NULL)) {
		char *id = NULL;

		if (is(c, "vib")) {
			rc = read_inline_vib(b, refs, r, c);
		} else if (is(c, "vibID")) {
			if ((rc = leaf(&id, r, c)) == 0)
				rc = push_vib_id(b, r, c, id);
		}
	}
	return rc;
}

static int read_bulletin(swim_bulletin *b, swim_depot_vmware *refs,
                         const struct rd *r, const xmlNode *bn)
{
	static const struct {
		const char *name;
		size_t offset;
	} texts[] = {
		{ "id", offsetof(swim_bulletin, id) },
		{ "vendor", offsetof(swim_bulletin, vendor) },
		{ "summary", offsetof(swim_bulletin, summary) },
		{ "description", offsetof(swim_bulletin, description) },
		{ "severity", offsetof(swim_bulletin, severity) },
		{ "category", offsetof(swim_bulletin, category) },
		{ "urgency", offsetof(swim_bulletin, urgency) },
		{ "releaseType", offsetof(swim_bulletin, release_type) },
		{ "kbUrl", offsetof(swim_bulletin, kb_url) },
		{ "contact", offsetof(swim_bulletin, contact) },
		{ "releaseDate", offsetof(swim_bulletin, release_date) },
	};
	bool had_list = false;
	int rc = 0;

	for (xmlNode *c = swim_xml_child(bn, NULL); c && rc == 0;
	     c = swim_xml_next(c, NULL)) {
		size_t i;

		for (i = 0; i < SWIM_ARRAY_SIZE(texts); i++)
			if (is(c, texts[i].name))
				break;
		if (i < SWIM_ARRAY_SIZE(texts)) {
			rc = leaf_opt((char **)((char *)b + texts[i].offset), r, c);
		} else if (is(c, "platforms")) {
			rc = read_platforms(b, r, c);
		} else if (is(c, "vibList")) {
			if (had_list)
				rc = swim_xml_fail(r->what, c, SWIM_EINVAL,
				          "<vibList> appears more than once");
			had_list = true;
			if (rc == 0)
				rc = read_vib_list(b, refs, r, c);
		} else if (is(c, "componentNameSpec")) {
			if ((rc = attr_dup(&b->component_name, r, c, "name")) == 0)
				rc = attr_dup(&b->component_ui, r, c, "uiString");
		} else if (is(c, "componentVersionSpec")) {
			if ((rc = attr_dup(&b->component_version, r, c,
			                   "version")) == 0)
				rc = attr_dup(&b->component_version_ui, r, c,
				              "uiString");
		}
	}
	if (rc == 0 && !b->id)
		rc = swim_xml_fail(r->what, bn, SWIM_EINVAL, "<bulletin> has no <id>");
	if (rc == 0)
		rc = check_id(r, bn, b->id);
	return rc;
}

void swim_depot_vmware_dispose(swim_depot_vmware *v)
{
	swim_bulletins_free(v->bulletins, v->n_bulletins);
	for (size_t i = 0; v->refs && i < v->n_refs; i++) {
		free(v->refs[i].vib_id);
		free(v->refs[i].relative_path);
		free(v->refs[i].sha256);
	}
	free(v->refs);
	memset(v, 0, sizeof(*v));
}

int swim_depot_vmware_read(swim_depot_vmware *out, const char *xml,
                           size_t len, const swim_limits *lim,
                           const char *what)
{
	struct rd r = { lim ? lim : swim_limits_default(), what };
	swim_depot_vmware v = { 0 };
	xmlDoc *doc = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = swim_xml_parse(&doc, xml, len, r.lim->depot_max_metadata_bytes,
	                         r.lim, what)) < 0 ||
	    (rc = check_root(&r, doc, "metadataResponse")) < 0)
		goto out;
	for (xmlNode *c = swim_xml_child(xmlDocGetRootElement(doc), "bulletin");
	     c; c = swim_xml_next(c, "bulletin")) {
		if (v.n_bulletins >= r.lim->depot_max_packages) {
			rc = too_many(&r, c, "bulletins", r.lim->depot_max_packages,
			              "depot_max_packages");
			goto out;
		}
		if ((rc = room(&v.bulletins, v.n_bulletins,
		               sizeof(*v.bulletins))) < 0)
			goto out;
		memset(&v.bulletins[v.n_bulletins], 0, sizeof(*v.bulletins));
		v.n_bulletins++;
		if ((rc = read_bulletin(&v.bulletins[v.n_bulletins - 1], &v, &r,
		                        c)) < 0)
			goto out;
	}
	*out = v;
	memset(&v, 0, sizeof(v));
out:
	swim_depot_vmware_dispose(&v);
	xmlFreeDoc(doc);
	return rc;
}

int swim_depot_bulletin_read(swim_bulletin *out, const char *xml,
                             size_t len, const swim_limits *lim,
                             const char *what)
{
	return swim_depot_bulletin_read_ctxt(out, NULL, xml, len, lim, what);
}

int swim_depot_bulletin_read_ctxt(swim_bulletin *out, xmlParserCtxt *ctxt,
                                  const char *xml, size_t len,
                                  const swim_limits *lim, const char *what)
{
	struct rd r = { lim ? lim : swim_limits_default(), what };
	swim_bulletin b = { 0 };
	xmlDoc *doc = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = swim_xml_parse_ctxt(&doc, ctxt, xml, len,
	                              r.lim->depot_max_metadata_bytes, r.lim,
	                              what)) < 0 ||
	    (rc = check_root(&r, doc, "bulletin")) < 0 ||
	    (rc = read_bulletin(&b, NULL, &r, xmlDocGetRootElement(doc))) < 0)
		goto out;
	*out = b;
	memset(&b, 0, sizeof(b));
out:
	swim_bulletin_dispose(&b);
	xmlFreeDoc(doc);
	return rc;
}

/* ---- writing ---------------------------------------------------------- */

/* <name>text</name>, empty when text is NULL (real depots write every
 * element, empty or not). */
static void element(swim_xmlw *w, const char *name, const char *text)
{
	swim_xmlw_element(w, name, text ? text : "");
}

static int finish(swim_xmlw *w, swim_buf *buf, size_t start)
{
	int rc = swim_xmlw_finish(w);

	if (rc < 0)
		swim_buf_truncate(buf, start);
	return rc;
}

int swim_depot_index_write(swim_buf *buf, const swim_depot_vendor *v,
                           size_t n)
{
	size_t start = buf->len;
	swim_xmlw w;

	swim_xmlw_init(&w, buf, true);
	swim_xmlw_decl(&w);
	swim_xmlw_start(&w, "vendorList");
	for (size_t i = 0; i < n; i++) {
		swim_xmlw_start(&w, "vendor");
		element(&w, "name", v[i].name);
		element(&w, "code", v[i].code);
		element(&w, "indexfile", v[i].index_file);
		element(&w, "patchUrl", v[i].patch_url);
		element(&w, "relativePath", v[i].relative_path);
		swim_xmlw_start(&w, "content");
		element(&w, "name", v[i].content_name);
		element(&w, "type", v[i].content_type);
		swim_xmlw_end(&w);
		swim_xmlw_end(&w);
	}
	swim_xmlw_end(&w);
	return finish(&w, buf, start);
}

int swim_depot_vendor_index_write(swim_buf *buf,
                                  const swim_depot_channel *c, size_t n)
{
	size_t start = buf->len;
	swim_xmlw w;

	swim_xmlw_init(&w, buf, true);
	swim_xmlw_decl(&w);
	swim_xmlw_start(&w, "metaList");
	for (size_t i = 0; i < n; i++) {
		swim_xmlw_start(&w, "metadata");
		element(&w, "productId", c[i].product_id);
		element(&w, "version", c[i].version);
		element(&w, "locale", c[i].locale);
		element(&w, "url", c[i].url);
		element(&w, "channelName", c[i].channel_name);
		swim_xmlw_end(&w);
	}
	swim_xmlw_end(&w);
	return finish(&w, buf, start);
}

static void write_platforms(swim_xmlw *w, const char *tag,
                            const swim_platform *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		swim_xmlw_start(w, tag);
		swim_xmlw_attr(w, "locale", p[i].locale ? p[i].locale : "");
		swim_xmlw_attr(w, "version", p[i].version ? p[i].version : "");
		swim_xmlw_attr(w, "productLineID", p[i].product_line_id);
		swim_xmlw_end(w);
	}
}

static void write_bool(swim_xmlw *w, const char *name, bool v)
{
	swim_xmlw_element(w, name, v ? "true" : "false");
}

/* The inline <vib> of vmware.xml (the shape of reference/esxi.md §2). */
static void write_inline_vib(swim_xmlw *w, const swim_package *p)
{
	char num[24];

	swim_xmlw_start(w, "vib");
	element(w, "vibVersion", p->vib_version ? p->vib_version : "5.0");
	element(w, "vibID", p->id);
	element(w, "name", p->name);
	element(w, "version", p->version);
	element(w, "vendor", p->vendor);
	element(w, "vibType", p->type);
	element(w, "summary", p->summary);
	swim_xmlw_start(w, "systemReqs");
	write_bool(w, "maintenanceMode", p->maintenance_mode);
	write_platforms(w, "swPlatform", p->platforms, p->n_platforms);
	swim_xmlw_end(w);
	swim_descriptor_xmlw_relationships(w, p);
	swim_xmlw_start(w, "postInstall");
	write_bool(w, "rebootRequired", !p->live_install_ok);
	write_bool(w, "hostdRestart", false);
	swim_xmlw_end(w);
	swim_xmlw_start(w, "softwareTags");
	for (size_t i = 0; i < p->n_tags; i++)
		element(w, "tag", p->tags[i]);
	swim_xmlw_end(w);
	swim_xmlw_start(w, "vibFile");
	element(w, "sourceUrl", NULL);
	element(w, "relativePath", p->relative_path);
	(void)snprintf(num, sizeof(num), "%llu",
	               (unsigned long long)p->packed_size);
	element(w, "packedSize", num);
	swim_xmlw_start(w, "checksum");
	element(w, "checksumType", p->vib_checksum ? p->vib_checksum->type
	                                           : "sha-256");
	element(w, "checksum", p->vib_checksum ? p->vib_checksum->value : NULL);
	swim_xmlw_end(w);
	swim_xmlw_end(w);
	swim_xmlw_end(w);
}

const swim_package *swim_depot_pkgs_find(const swim_package *const *pkgs,
                                         size_t n, const char *id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(pkgs[mid]->id, id);

		if (c == 0)
			return pkgs[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* A <bulletin>; with pkgs its packages inline, else <vibID>s. */
static int write_bulletin(swim_xmlw *w, const swim_bulletin *b,
                          const swim_package *const *pkgs, size_t n_pkgs)
{
	swim_xmlw_start(w, "bulletin");
	element(w, "id", b->id);
	element(w, "vendor", b->vendor);
	element(w, "summary", b->summary);
	element(w, "severity", b->severity);
	element(w, "category", b->category);
	element(w, "urgency", b->urgency);
	element(w, "releaseType", b->release_type);
	element(w, "description", b->description);
	element(w, "kbUrl", b->kb_url);
	element(w, "contact", b->contact);
	element(w, "releaseDate", b->release_date);
	swim_xmlw_start(w, "platforms");
	write_platforms(w, "softwarePlatform", b->platforms, b->n_platforms);
	swim_xmlw_end(w);
	if (b->component_name) {
		swim_xmlw_start(w, "componentNameSpec");
		swim_xmlw_attr(w, "name", b->component_name);
		swim_xmlw_attr(w, "uiString", b->component_ui);
		swim_xmlw_end(w);
	}
	if (b->component_version) {
		swim_xmlw_start(w, "componentVersionSpec");
		swim_xmlw_attr(w, "version", b->component_version);
		swim_xmlw_attr(w, "uiString", b->component_version_ui);
		swim_xmlw_end(w);
	}
	swim_xmlw_start(w, "vibList");
	for (size_t i = 0; i < b->n_vib_ids; i++) {
		const swim_package *p;

		if (!pkgs) {
			element(w, "vibID", b->vib_ids[i]);
			continue;
		}
		if (!(p = swim_depot_pkgs_find(pkgs, n_pkgs, b->vib_ids[i])))
			return swim_error_set(SWIM_ENOTFOUND,
			                      "bulletin %s names package %s, which is not in the depot",
			                      b->id, b->vib_ids[i]);
		write_inline_vib(w, p);
	}
	swim_xmlw_end(w);
	swim_xmlw_end(w);
	return 0;
}

int swim_depot_vmware_write(swim_buf *buf, const char *timestamp,
                            const swim_bulletin *b, size_t n,
                            const swim_package *const *pkgs, size_t n_pkgs)
{
	size_t start = buf->len;
	swim_xmlw w;
	int rc;

	swim_xmlw_init(&w, buf, true);
	swim_xmlw_decl(&w);
	swim_xmlw_start(&w, "metadataResponse");
	element(&w, "version", "3.0");
	element(&w, "timestamp", timestamp);
	for (size_t i = 0; i < n; i++)
		if ((rc = write_bulletin(&w, &b[i], pkgs, n_pkgs)) < 0) {
			swim_buf_truncate(buf, start);
			return rc;
		}
	swim_xmlw_end(&w);
	return finish(&w, buf, start);
}

int swim_depot_bulletin_write(swim_buf *buf, const swim_bulletin *b)
{
	size_t start = buf->len;
	swim_xmlw w;

	swim_xmlw_init(&w, buf, true);
	swim_xmlw_decl(&w);
	(void)write_bulletin(&w, b, NULL, 0);
	return finish(&w, buf, start);
}
