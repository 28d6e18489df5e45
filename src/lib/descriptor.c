/* Reading descriptor.xml into a swim_package.
 *
 * Strict, as ESXi's schema validation is: an unknown element or
 * attribute, a repeated single element, text where none belongs, or a
 * value that breaks its rule is an error naming the element and line.
 * Element order is free. The rules are listed in docs/descriptor.md.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "swim/error.h"
#include "swim/package.h"
#include "swim/version.h"
#include "util/str.h"
#include "lib/descriptor_private.h"
#include "util/xml.h"

struct rd {
	const swim_limits *lim;
	const char *what;
	swim_package *pkg;
	uint64_t n_relations;
};

/* "WHAT:LINE: message" for a problem found at node n (or at `line`). */
static int fail_line(const struct rd *r, long line, int code,
                     const char *fmt, ...) SWIM_PRINTF(4, 5);
static int fail(const struct rd *r, const xmlNode *n, int code,
                const char *fmt, ...) SWIM_PRINTF(4, 5);

static int fail_line(const struct rd *r, long line, int code,
                     const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = swim_xml_vfail(r->what, line, code, fmt, ap);
	va_end(ap);
	return rc;
}

static int fail(const struct rd *r, const xmlNode *n, int code,
                const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = swim_xml_vfail(r->what, xmlGetLineNo(n), code, fmt, ap);
	va_end(ap);
	return rc;
}

/* Puts "WHAT:LINE: <elem>: " before a lower layer's message. */
static int context(const struct rd *r, const xmlNode *n)
{
	return swim_error_prefix("%s:%ld: <%s>: ", r->what, xmlGetLineNo(n),
	                         swim_xml_name(n));
}

static bool is_xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The first non-blank character of a text node, or NULL. */
static const char *first_nonblank(const char *s)
{
	for (; s && *s; s++)
		if (!is_xml_space(*s))
			return s;
	return NULL;
}

/* The line of `at` inside text node n: libxml2 numbers a text node by
 * the line it ends on. */
static long text_line(const xmlNode *n, const char *at)
{
	long line = xmlGetLineNo(n);

	for (; *at; at++)
		line -= *at == '\n';
	return line > 0 ? line : 1;
}

/* Room for element n of an array grown by doubling (capacity is the
 * next power of two), so no capacity needs storing. NULL when out of
 * memory, with arr untouched. */
static void *room_for(void *arr, size_t n, size_t size)
{
	void *p;

	if (n & (n - 1))
		return arr;
	if (!(p = reallocarray(arr, n ? 2 * n : 1, size)))
		(void)swim_error_oom();
	return p;
}

/* ---- element tables ---------------------------------------------- */

typedef int (*elem_fn)(struct rd *r, xmlNode *n);

struct elem {
	const char *name;
	elem_fn fn;
	bool repeat;               /* may appear more than once */
	const char *const *attrs;  /* NULL-terminated; NULL for none */
};

static int check_attrs(const struct rd *r, const xmlNode *n,
                       const char *const *allowed)
{
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		bool ok = false;

		for (size_t i = 0; allowed && allowed[i] && !ok; i++)
			ok = strcmp((const char *)a->name, allowed[i]) == 0;
		if (!ok)
			return fail(r, n, SWIM_EINVAL,
			            "unknown attribute '%s' of <%s>",
			            (const char *)a->name, swim_xml_name(n));
	}
	return 0;
}

/* Runs the table's function for each element child of `parent`;
 * comments and blank text are skipped, anything else is an error. */
static int walk(struct rd *r, xmlNode *parent, const struct elem *tab,
                size_t n_tab)
{
	uint64_t seen = 0;
	int rc;

	for (xmlNode *c = parent->children; c; c = c->next) {
		size_t i;

		if (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) {
			const char *t = first_nonblank((const char *)c->content);
			size_t len = t ? strcspn(t, "\r\n") : 0;

			if (t)
				return fail_line(r, text_line(c, t), SWIM_EINVAL,
				                 "<%s>: unexpected text '%.*s'",
				                 swim_xml_name(parent),
				                 (int)(len > 40 ? 40 : len), t);
			continue;
		}
		if (c->type != XML_ELEMENT_NODE)
			continue;
		for (i = 0; i < n_tab; i++)
			if (strcmp(swim_xml_name(c), tab[i].name) == 0)
				break;
		if (i == n_tab)
			return fail(r, c, SWIM_EINVAL,
			            "unknown element <%s> in <%s>",
			            swim_xml_name(c), swim_xml_name(parent));
		if (!tab[i].repeat) {
			if (seen & ((uint64_t)1 << i))
				return fail(r, c, SWIM_EINVAL,
				            "<%s> appears more than once in <%s>",
				            swim_xml_name(c), swim_xml_name(parent));
			seen |= (uint64_t)1 << i;
		}
		if ((rc = check_attrs(r, c, tab[i].attrs)) < 0 ||
		    (rc = tab[i].fn(r, c)) < 0)
			return rc;
	}
	return 0;
}

/* An element that holds nothing but attributes. */
static int check_empty(struct rd *r, xmlNode *n)
{
	return walk(r, n, NULL, 0);
}

/* ---- values --------------------------------------------------------- */

enum rule {
	R_NONEMPTY = 1 << 0,
	R_NAMELEN = 1 << 1,   /* at most name_max_bytes */
	R_MULTILINE = 1 << 2, /* tab, CR and LF allowed */
	R_TOKEN = 1 << 3,     /* printable ASCII without blanks */
	R_NOSLASH = 1 << 4,
	R_NOREL = 1 << 5,     /* none of < > = */
	R_NAME = R_NONEMPTY | R_NAMELEN,
	R_WORD = R_NAME | R_TOKEN,
	R_IDPART = R_WORD | R_NOSLASH | R_NOREL  /* parts of the package id */
};

/* How messages name a value: "<vendor>", or "attribute 'name' of
 * <payload>" when attr is set. Built only when a message needs it: depot
 * metadata runs this for every value of thousands of packages. */
static const char *label_of(char buf[96], const xmlNode *n, const char *attr)
{
	if (attr)
		(void)snprintf(buf, 96, "attribute '%s' of <%s>", attr,
		               swim_xml_name(n));
	else
		(void)snprintf(buf, 96, "<%s>", swim_xml_name(n));
	return buf;
}

static int check_value(const struct rd *r, const xmlNode *n,
                       const char *attr, const char *s, unsigned rules)
{
	char label[96];
	size_t len = strlen(s);
	uint64_t max = rules & R_NAMELEN ? r->lim->name_max_bytes
	                                 : r->lim->string_max_bytes;

	if ((rules & R_NONEMPTY) && len == 0)
		return fail(r, n, SWIM_EINVAL, "%s is empty",
		            label_of(label, n, attr));
	if (len > max)
		return fail(r, n, SWIM_ELIMIT,
		            "%s is %zu bytes, longer than the limit of %llu (%s)",
		            label_of(label, n, attr), len, (unsigned long long)max,
		            rules & R_NAMELEN ? "name_max_bytes" : "string_max_bytes");
	if (!swim_str_is_utf8(s, len))
		return fail(r, n, SWIM_EINVAL, "%s is not valid UTF-8",
		            label_of(label, n, attr));
	if (swim_str_has_ctrl(s, len, rules & R_MULTILINE))
		return fail(r, n, SWIM_EINVAL, "%s contains a control character",
		            label_of(label, n, attr));
	for (size_t i = 0; i < len && (rules & (R_TOKEN | R_NOSLASH | R_NOREL)); i++) {
		unsigned char c = (unsigned char)s[i];

		if ((rules & R_TOKEN) && (c <= 0x20 || c >= 0x7f))
			return fail(r, n, SWIM_EINVAL,
			            "%s '%.64s' may contain only printable ASCII "
			            "without blanks", label_of(label, n, attr), s);
		if ((rules & R_NOSLASH) && c == '/')
			return fail(r, n, SWIM_EINVAL,
			            "%s '%.64s' must not contain '/'",
			            label_of(label, n, attr), s);
		if ((rules & R_NOREL) && (c == '<' || c == '>' || c == '='))
			return fail(r, n, SWIM_EINVAL,
			            "%s '%.64s' must not contain <, > or =",
			            label_of(label, n, attr), s);
	}
	return 0;
}

/* The text of a leaf element, without surrounding blanks. */
static int leaf_text(char **out, struct rd *r, xmlNode *n, unsigned rules)
{
	const char *t = "";
	char *s = NULL;
	size_t len;
	int rc;

	*out = NULL;
	for (xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return fail(r, c, SWIM_EINVAL,
			            "unexpected element <%s> inside <%s>",
			            swim_xml_name(c), swim_xml_name(n));
	/* Nearly always one text node, read in place; anything else
	 * (comments between pieces of text) goes the general way. */
	if (n->children && (n->children->next ||
	                    n->children->type != XML_TEXT_NODE)) {
		if ((rc = swim_xml_text(&s, n)) < 0)
			return rc;
		t = s;
	} else if (n->children && n->children->content) {
		t = (const char *)n->children->content;
	}
	len = strlen(t);
	while (len && is_xml_space(t[len - 1]))
		len--;
	while (len && is_xml_space(*t)) {
		t++;
		len--;
	}
	*out = swim_strndup(t, len);
	free(s);
	if (!*out)
		return SWIM_ENOMEM;
	if ((rc = check_value(r, n, NULL, *out, rules)) < 0) {
		free(*out);
		*out = NULL;
		return rc;
	}
	return 0;
}

/* A single text element stored in *dst. */
static int leaf_into(char **dst, struct rd *r, xmlNode *n, unsigned rules)
{
	char *s = NULL;
	int rc;

	if ((rc = leaf_text(&s, r, n, rules)) < 0)
		return rc;
	free(*dst);
	*dst = s;
	return 0;
}

/* An attribute, checked; *out NULL when absent and not required. */
static int attr_value(const char **out, struct rd *r, const xmlNode *n,
                      const char *name, bool required, unsigned rules)
{
	*out = swim_xml_attr_ref(n, name);
	if (!*out)
		return required ? fail(r, n, SWIM_EINVAL, "<%s> has no '%s' attribute",
		                       swim_xml_name(n), name) : 0;
	return check_value(r, n, name, *out, rules);
}

static int attr_copy(char **dst, struct rd *r, const xmlNode *n,
                     const char *name, bool required, unsigned rules)
{
	const char *v;
	int rc;

	*dst = NULL;
	if ((rc = attr_value(&v, r, n, name, required, rules)) < 0)
		return rc;
	if (v && !(*dst = swim_strdup(v)))
		return SWIM_ENOMEM;
	return 0;
}

static int parse_bool(bool *out, struct rd *r, xmlNode *n)
{
	char *s = NULL;
	int rc;

	if ((rc = leaf_text(&s, r, n, 0)) < 0)
		return rc;
	if (strcmp(s, "true") == 0)
		*out = true;
	else if (strcmp(s, "false") == 0)
		*out = false;
	else
		rc = fail(r, n, SWIM_EINVAL,
		          "<%s>: '%.40s' is not a boolean (expected true or false)",
		          swim_xml_name(n), s);
	free(s);
	return rc;
}

static bool digits(const char *s, size_t n, unsigned lo, unsigned hi)
{
	unsigned v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	return v >= lo && v <= hi;
}

/* ISO 8601 as descriptors write it: YYYY-MM-DD, optionally followed by
 * THH:MM[:SS[.fraction]] and Z or +HH:MM / -HH:MM. */
static bool is_iso_date(const char *s)
{
	if (!(digits(s, 4, 0, 9999) && s[4] == '-' && digits(s + 5, 2, 1, 12) &&
	      s[7] == '-' && digits(s + 8, 2, 1, 31)))
		return false;
	s += 10;
	if (!*s)
		return true;
	if (*s != 'T' || !digits(s + 1, 2, 0, 23) || s[3] != ':' ||
	    !digits(s + 4, 2, 0, 59))
		return false;
	s += 6;
	if (*s == ':') {
		if (!digits(s + 1, 2, 0, 60))
			return false;
		s += 3;
		if (*s == '.') {
			if (s[1] < '0' || s[1] > '9')
				return false;
			for (s++; *s >= '0' && *s <= '9'; s++)
				;
		}
	}
	if (*s == 'Z')
		return s[1] == '\0';
	if (*s == '+' || *s == '-')
		return digits(s + 1, 2, 0, 23) && s[3] == ':' &&
		       digits(s + 4, 2, 0, 59) && s[6] == '\0';
	return *s == '\0';
}

static int parse_date(char **dst, struct rd *r, xmlNode *n)
{
	char *s = NULL;
	int rc;

	if ((rc = leaf_text(&s, r, n, R_NONEMPTY)) < 0)
		return rc;
	if (!is_iso_date(s)) {
		rc = fail(r, n, SWIM_EINVAL,
		          "<%s>: '%.64s' is not an ISO 8601 date "
		          "(YYYY-MM-DD[THH:MM[:SS[.ffffff]][Z|+HH:MM]])",
		          swim_xml_name(n), s);
		free(s);
		return rc;
	}
	free(*dst);
	*dst = s;
	return 0;
}

static int parse_u64(uint64_t *out, struct rd *r, const xmlNode *n,
                     const char *label, const char *s)
{
	/* INT64_MAX: sizes travel as signed 64-bit (JSON, SQLite). */
	if (swim_str_to_u64(out, s, INT64_MAX, label) < 0)
		return swim_error_prefix("%s:%ld: ", r->what, xmlGetLineNo(n));
	return 0;
}

/* A relative path inside the package: no leading '/', no empty, '.' or
 * '..' component, within archive_path_max_bytes. */
static int check_path(const struct rd *r, const xmlNode *n, const char *s)
{
	size_t len = strlen(s);
	const char *p = s;

	if (len > r->lim->archive_path_max_bytes)
		return fail(r, n, SWIM_ELIMIT,
		            "<%s>: path is %zu bytes, longer than the limit of %llu "
		            "(archive_path_max_bytes)", swim_xml_name(n), len,
		            (unsigned long long)r->lim->archive_path_max_bytes);
	if (*s == '/')
		return fail(r, n, SWIM_EINVAL,
		            "<%s>: path '%.64s' is absolute; paths are relative to /",
		            swim_xml_name(n), s);
	for (;;) {
		const char *end = strchr(p, '/');
		size_t clen = end ? (size_t)(end - p) : strlen(p);

		if (clen == 0 || (clen == 1 && p[0] == '.') ||
		    (clen == 2 && p[0] == '.' && p[1] == '.'))
			return fail(r, n, SWIM_EINVAL,
			            "<%s>: path '%.64s' has an empty, '.' or '..' component",
			            swim_xml_name(n), s);
		if (!end)
			return 0;
		p = end + 1;
	}
}

static int parse_path(char **out, struct rd *r, xmlNode *n)
{
	char *s = NULL;
	int rc;

	*out = NULL;
	if ((rc = leaf_text(&s, r, n, R_NONEMPTY)) < 0)
		return rc;
	if ((rc = check_path(r, n, s)) < 0) {
		free(s);
		return rc;
	}
	*out = s;
	return 0;
}

/* n is the element one too many; its parent is named. */
static int too_many(const struct rd *r, const xmlNode *n, const char *what,
                    uint64_t max, const char *limit)
{
	return fail(r, n, SWIM_ELIMIT, "<%s>: more than %llu %s (%s)",
	            swim_xml_name(n->parent), (unsigned long long)max, what,
	            limit);
}

/* ---- checksums and payloads ------------------------------------------ */

static const char *const checksum_attrs[] = {
	"checksum-type", "verify-process", NULL
};

static int parse_checksum(swim_checksum *out, struct rd *r, xmlNode *n)
{
	static const struct { const char *type; size_t hex; } types[] = {
		{ "sha-256", 64 }, { "sha-1", 40 },
	};
	const char *type, *vp;
	size_t i, len;
	char *hex = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = attr_value(&type, r, n, "checksum-type", true, R_WORD)) < 0 ||
	    (rc = attr_value(&vp, r, n, "verify-process", false, R_WORD)) < 0)
		return rc;
	for (i = 0; i < SWIM_ARRAY_SIZE(types); i++)
		if (strcmp(type, types[i].type) == 0)
			break;
	if (i == SWIM_ARRAY_SIZE(types))
		return fail(r, n, SWIM_EINVAL,
		            "<checksum>: unknown checksum-type '%.40s' "
		            "(expected sha-256 or sha-1)", type);
	if ((rc = leaf_text(&hex, r, n, 0)) < 0)
		return rc;
	len = strlen(hex);
	for (size_t k = 0; k < len; k++) {
		char c = hex[k];

		if (c >= 'A' && c <= 'F')
			hex[k] = (char)(c - 'A' + 'a');
		else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			len = 0;
	}
	if (len != types[i].hex) {
		rc = fail(r, n, SWIM_EINVAL,
		          "<checksum>: '%.72s' is not a %s digest (%zu hex digits)",
		          hex, type, types[i].hex);
		free(hex);
		return rc;
	}
	out->value = hex;
	if (!(out->type = swim_strdup(type)) ||
	    (vp && !(out->verify_process = swim_strdup(vp)))) {
		free(out->type);
		free(out->value);
		memset(out, 0, sizeof(*out));
		return SWIM_ENOMEM;
	}
	return 0;
}

static swim_payload *current_payload(const struct rd *r)
{
	return &r->pkg->payloads[r->pkg->n_payloads - 1];
}

static int payload_checksum(struct rd *r, xmlNode *n)
{
	swim_payload *p = current_payload(r);
	swim_checksum c, *v = NULL;
	int rc;

	if (p->n_checksums >= r->lim->descriptor_max_tags)
		return too_many(r, n, "checksums in one payload",
		                r->lim->descriptor_max_tags, "descriptor_max_tags");
	if ((rc = parse_checksum(&c, r, n)) < 0)
		return rc;
	rc = 0;
	if (swim_payload_checksum(p, c.type, c.verify_process))
		rc = fail(r, n, SWIM_EINVAL,
		          "<checksum>: payload '%s' has a second %s checksum%s%s",
		          p->name, c.type, c.verify_process ? " with verify-process " : "",
		          c.verify_process ? c.verify_process : "");
	else if (!(v = room_for(p->checksums, p->n_checksums, sizeof(*v))))
		rc = SWIM_ENOMEM;
	if (rc < 0) {
		free(c.type);
		free(c.verify_process);
		free(c.value);
		return rc;
	}
	p->checksums = v;
	p->checksums[p->n_checksums++] = c;
	return 0;
}

/* Payload names become ar member names (docs/descriptor.md). */
static int check_payload_name(const struct rd *r, const xmlNode *n,
                              const char *name)
{
	size_t len = strlen(name);

	if (len > SWIM_PAYLOAD_NAME_MAX)
		return fail(r, n, SWIM_EINVAL,
		            "<payload>: name '%.64s' is longer than %d bytes, "
		            "which an ar member name cannot hold", name,
		            SWIM_PAYLOAD_NAME_MAX);
	if (strchr(name, '/') || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return fail(r, n, SWIM_EINVAL,
		            "<payload>: name '%s' is not a file name", name);
	if (strcmp(name, "descriptor.xml") == 0 ||
	    strcmp(name, "sig.pkcs7") == 0)
		return fail(r, n, SWIM_EINVAL,
		            "<payload>: name '%s' is reserved for the VIB's own member",
		            name);
	for (size_t i = 0; i + 1 < r->pkg->n_payloads; i++)
		if (strcmp(r->pkg->payloads[i].name, name) == 0)
			return fail(r, n, SWIM_EINVAL,
			            "<payload>: name '%s' is used twice", name);
	return 0;
}

static int parse_payload(struct rd *r, xmlNode *n)
{
	static const struct elem children[] = {
		{ "checksum", payload_checksum, true, checksum_attrs },
	};
	swim_package *pkg = r->pkg;
	swim_payload *p;
	const char *v;
	int rc;

	if (pkg->n_payloads >= r->lim->descriptor_max_payloads)
		return too_many(r, n, "payloads",
		                r->lim->descriptor_max_payloads,
		                "descriptor_max_payloads");
	if (!(p = room_for(pkg->payloads, pkg->n_payloads, sizeof(*p))))
		return SWIM_ENOMEM;
	pkg->payloads = p;
	p = &pkg->payloads[pkg->n_payloads++];
	memset(p, 0, sizeof(*p));
	if ((rc = attr_copy(&p->name, r, n, "name", true, R_WORD)) < 0 ||
	    (rc = check_payload_name(r, n, p->name)) < 0 ||
	    (rc = attr_copy(&p->type, r, n, "type", true, R_WORD)) < 0 ||
	    (rc = attr_copy(&p->vfat_name, r, n, "vfat-name", false,
	                    R_WORD | R_NOSLASH)) < 0)
		return rc;
	if ((rc = attr_value(&v, r, n, "size", false, R_WORD)) < 0 ||
	    (v && (rc = parse_u64(&p->size, r, n,
	                          "attribute 'size' of <payload>", v)) < 0))
		return rc;
	p->has_size = v != NULL;
	if ((rc = attr_value(&v, r, n, "boot-order", false, R_WORD)) < 0 ||
	    (v && (rc = parse_u64(&p->boot_order, r, n,
	                          "attribute 'boot-order' of <payload>", v)) < 0))
		return rc;
	p->has_boot_order = v != NULL;
	return walk(r, n, children, SWIM_ARRAY_SIZE(children));
}

static int el_payloads(struct rd *r, xmlNode *n)
{
	static const char *const attrs[] = {
		"name", "type", "size", "boot-order", "vfat-name", NULL
	};
	static const struct elem children[] = {
		{ "payload", parse_payload, true, attrs },
	};

	return walk(r, n, children, SWIM_ARRAY_SIZE(children));
}

/* ---- relationships ------------------------------------------------- */

static int count_relation(struct rd *r, const xmlNode *n)
{
	if (++r->n_relations > r->lim->descriptor_max_relations)
		return too_many(r, n, "relations in all of <relationships>",
		                r->lim->descriptor_max_relations,
		                "descriptor_max_relations");
	return 0;
}

static int push_constraint(struct rd *r, xmlNode *n, swim_constraint **list,
                           size_t *count)
{
	swim_constraint c, *v;
	int rc;

	if ((rc = check_empty(r, n)) < 0 || (rc = count_relation(r, n)) < 0)
		return rc;
	if (swim_constraint_from_attrs(&c, swim_xml_attr_ref(n, "name"),
	                               swim_xml_attr_ref(n, "relation"),
	                               swim_xml_attr_ref(n, "version"),
	                               r->lim) < 0)
		return context(r, n);
	if (!(v = room_for(*list, *count, sizeof(*v)))) {
		swim_constraint_dispose(&c);
		return SWIM_ENOMEM;
	}
	*list = v;
	v[(*count)++] = c;
	return 0;
}

static int el_depends(struct rd *r, xmlNode *n)
{
	return push_constraint(r, n, &r->pkg->depends, &r->pkg->n_depends);
}

static int el_conflicts(struct rd *r, xmlNode *n)
{
	return push_constraint(r, n, &r->pkg->conflicts, &r->pkg->n_conflicts);
}

static int el_replaces(struct rd *r, xmlNode *n)
{
	return push_constraint(r, n, &r->pkg->replaces, &r->pkg->n_replaces);
}

static int el_compatible(struct rd *r, xmlNode *n)
{
	return push_constraint(r, n, &r->pkg->compatible_with,
	                       &r->pkg->n_compatible_with);
}

static int el_provide(struct rd *r, xmlNode *n)
{
	swim_package *pkg = r->pkg;
	swim_constraint c;
	swim_provide *v;
	const char *version = swim_xml_attr_ref(n, "version");
	int rc;

	if ((rc = check_empty(r, n)) < 0 || (rc = count_relation(r, n)) < 0)
		return rc;
	/* A provide `name version` obeys the rules of `name = version`. */
	if (swim_constraint_from_attrs(&c, swim_xml_attr_ref(n, "name"),
	                               version ? "=" : NULL, version,
	                               r->lim) < 0)
		return context(r, n);
	if (!(v = room_for(pkg->provides, pkg->n_provides, sizeof(*v)))) {
		swim_constraint_dispose(&c);
		return SWIM_ENOMEM;
	}
	pkg->provides = v;
	v[pkg->n_provides].name = c.name;
	v[pkg->n_provides].version = c.version;
	pkg->n_provides++;
	return 0;
}

static const char *const constraint_attrs[] = {
	"name", "relation", "version", NULL
};
static const char *const provide_attrs[] = { "name", "version", NULL };

static int constraint_list(struct rd *r, xmlNode *n, elem_fn fn)
{
	const struct elem c[] = {
		{ "constraint", fn, true, constraint_attrs },
	};

	return walk(r, n, c, 1);
}

static int el_depends_list(struct rd *r, xmlNode *n)
{
	return constraint_list(r, n, el_depends);
}

static int el_conflicts_list(struct rd *r, xmlNode *n)
{
	return constraint_list(r, n, el_conflicts);
}

static int el_replaces_list(struct rd *r, xmlNode *n)
{
	return constraint_list(r, n, el_replaces);
}

static int el_compatible_list(struct rd *r, xmlNode *n)
{
	return constraint_list(r, n, el_compatible);
}

static int el_provides_list(struct rd *r, xmlNode *n)
{
	static const struct elem c[] = {
		{ "provide", el_provide, true, provide_attrs },
	};

	return walk(r, n, c, 1);
}

static int el_relationships(struct rd *r, xmlNode *n)
{
	static const struct elem c[] = {
		{ "depends", el_depends_list, false, NULL },
		{ "conflicts", el_conflicts_list, false, NULL },
		{ "replaces", el_replaces_list, false, NULL },
		{ "provides", el_provides_list, false, NULL },
		{ "compatibleWith", el_compatible_list, false, NULL },
	};

	return walk(r, n, c, SWIM_ARRAY_SIZE(c));
}

/* ---- lists of values -------------------------------------------------- */

static int push_string(char ***list, size_t *count, char *s)
{
	char **v = room_for(*list, *count, sizeof(*v));

	if (!v) {
		free(s);
		return SWIM_ENOMEM;
	}
	*list = v;
	v[(*count)++] = s;
	return 0;
}

static int el_tag(struct rd *r, xmlNode *n)
{
	char *s = NULL;
	int rc;

	if (r->pkg->n_tags >= r->lim->descriptor_max_tags)
		return too_many(r, n, "tags", r->lim->descriptor_max_tags,
		                "descriptor_max_tags");
	if ((rc = leaf_text(&s, r, n, R_NAME)) < 0)
		return rc;
	return push_string(&r->pkg->tags, &r->pkg->n_tags, s);
}

static int el_software_tags(struct rd *r, xmlNode *n)
{
	static const struct elem c[] = { { "tag", el_tag, true, NULL } };

	return walk(r, n, c, 1);
}

/* A <file> path appended to one of the package's path lists. */
static int push_file(struct rd *r, xmlNode *n, char ***list, size_t *count,
                     const char *what)
{
	char *s = NULL;
	int rc;

	if (*count >= r->lim->descriptor_max_files)
		return too_many(r, n, what,
		                r->lim->descriptor_max_files, "descriptor_max_files");
	if ((rc = parse_path(&s, r, n)) < 0)
		return rc;
	return push_string(list, count, s);
}

static int el_file(struct rd *r, xmlNode *n)
{
	return push_file(r, n, &r->pkg->files, &r->pkg->n_files, "files");
}

static int el_file_list(struct rd *r, xmlNode *n)
{
	static const struct elem c[] = { { "file", el_file, true, NULL } };

	return walk(r, n, c, 1);
}

static int el_setid_file(struct rd *r, xmlNode *n)
{
	return push_file(r, n, &r->pkg->setid_files, &r->pkg->n_setid_files,
	                 "setid files");
}

static int el_setid_files(struct rd *r, xmlNode *n)
{
	static const struct elem c[] = { { "file", el_setid_file, true, NULL } };

	return walk(r, n, c, 1);
}

static int el_url(struct rd *r, xmlNode *n)
{
	swim_package *pkg = r->pkg;
	swim_url u = { NULL, NULL }, *v;
	int rc;

	if (pkg->n_urls >= r->lim->descriptor_max_tags)
		return too_many(r, n, "URLs", r->lim->descriptor_max_tags,
		                "descriptor_max_tags");
	if ((rc = attr_copy(&u.key, r, n, "key", true, R_NAME)) < 0 ||
	    (rc = leaf_text(&u.url, r, n, R_NONEMPTY)) < 0 ||
	    !(v = room_for(pkg->urls, pkg->n_urls, sizeof(*v)))) {
		free(u.key);
		free(u.url);
		return rc < 0 ? rc : SWIM_ENOMEM;
	}
	pkg->urls = v;
	v[pkg->n_urls++] = u;
	return 0;
}

static int el_urls(struct rd *r, xmlNode *n)
{
	static const char *const attrs[] = { "key", NULL };
	static const struct elem c[] = { { "url", el_url, true, attrs } };

	return walk(r, n, c, 1);
}

/* ---- system-requires ---------------------------------------------- */

static int el_maintenance(struct rd *r, xmlNode *n)
{
	return parse_bool(&r->pkg->maintenance_mode, r, n);
}

static int el_hwplatform(struct rd *r, xmlNode *n)
{
	swim_package *pkg = r->pkg;
	swim_hwplatform h = { NULL, NULL }, *v;
	int rc;

	if (pkg->n_hwplatforms >= r->lim->descriptor_max_tags)
		return too_many(r, n, "hardware platforms",
		                r->lim->descriptor_max_tags, "descriptor_max_tags");
	if ((rc = check_empty(r, n)) < 0 ||
	    (rc = attr_copy(&h.vendor, r, n, "vendor", true, R_NAME)) < 0 ||
	    (rc = attr_copy(&h.model, r, n, "model", false, R_NAME)) < 0 ||
	    !(v = room_for(pkg->hwplatforms, pkg->n_hwplatforms, sizeof(*v)))) {
		free(h.vendor);
		free(h.model);
		return rc < 0 ? rc : SWIM_ENOMEM;
	}
	pkg->hwplatforms = v;
	v[pkg->n_hwplatforms++] = h;
	return 0;
}

static int el_platform(struct rd *r, xmlNode *n)
{
	swim_package *pkg = r->pkg;
	swim_platform p = { NULL, NULL, NULL }, *v;
	int rc;

	if (pkg->n_platforms >= r->lim->descriptor_max_tags)
		return too_many(r, n, "software platforms",
		                r->lim->descriptor_max_tags, "descriptor_max_tags");
	if ((rc = check_empty(r, n)) < 0 ||
	    (rc = attr_copy(&p.product_line_id, r, n, "productLineID", true,
	                    R_WORD)) < 0 ||
	    (rc = attr_copy(&p.version, r, n, "version", false, R_WORD)) < 0 ||
	    (rc = attr_copy(&p.locale, r, n, "locale", false, R_NAMELEN)) < 0 ||
	    !(v = room_for(pkg->platforms, pkg->n_platforms, sizeof(*v)))) {
		free(p.product_line_id);
		free(p.version);
		free(p.locale);
		return rc < 0 ? rc : SWIM_ENOMEM;
	}
	pkg->platforms = v;
	v[pkg->n_platforms++] = p;
	return 0;
}

static int el_system_requires(struct rd *r, xmlNode *n)
{
	static const char *const hw_attrs[] = { "vendor", "model", NULL };
	static const char *const sp_attrs[] = {
		"version", "locale", "productLineID", NULL
	};
	static const struct elem c[] = {
		{ "maintenance-mode", el_maintenance, false, NULL },
		{ "hwplatform", el_hwplatform, true, hw_attrs },
		{ "softwarePlatform", el_platform, true, sp_attrs },
	};

	return walk(r, n, c, SWIM_ARRAY_SIZE(c));
}

/* ---- the <vib> element's children ------------------------------------ */

static int el_type(struct rd *r, xmlNode *n)
{
	return leaf_into(&r->pkg->type, r, n, R_IDPART);
}

static int el_name(struct rd *r, xmlNode *n)
{
	return leaf_into(&r->pkg->name, r, n, R_IDPART);
}

static int el_version(struct rd *r, xmlNode *n)
{
	int rc;

	if ((rc = leaf_into(&r->pkg->version, r, n, R_NONEMPTY)) < 0)
		return rc;
	if (swim_version_check(r->pkg->version, r->lim) < 0)
		return context(r, n);
	return 0;
}

static int el_vendor(struct rd *r, xmlNode *n)
{
	return leaf_into(&r->pkg->vendor, r, n, R_NAME | R_NOSLASH);
}

static int el_summary(struct rd *r, xmlNode *n)
{
	return leaf_into(&r->pkg->summary, r, n, R_MULTILINE);
}

static int el_description(struct rd *r, xmlNode *n)
{
	return leaf_into(&r->pkg->description, r, n, R_MULTILINE);
}

static int el_release_date(struct rd *r, xmlNode *n)
{
	return parse_date(&r->pkg->release_date, r, n);
}

static int el_install_date(struct rd *r, xmlNode *n)
{
	return parse_date(&r->pkg->install_date, r, n);
}

static int el_acceptance(struct rd *r, xmlNode *n)
{
	char *s = NULL;
	int rc;

	if ((rc = leaf_text(&s, r, n, 0)) < 0)
		return rc;
	if (swim_acceptance_parse(&r->pkg->acceptance, s) < 0)
		rc = context(r, n);
	free(s);
	return rc;
}

static int el_live_install(struct rd *r, xmlNode *n)
{
	return parse_bool(&r->pkg->live_install_ok, r, n);
}

static int el_live_remove(struct rd *r, xmlNode *n)
{
	return parse_bool(&r->pkg->live_remove_ok, r, n);
}

static int el_cimom_restart(struct rd *r, xmlNode *n)
{
	return parse_bool(&r->pkg->cimom_restart, r, n);
}

static int el_stateless_ready(struct rd *r, xmlNode *n)
{
	return parse_bool(&r->pkg->stateless_ready, r, n);
}

static int el_overlay(struct rd *r, xmlNode *n)
{
	return parse_bool(&r->pkg->overlay, r, n);
}

static int el_relative_path(struct rd *r, xmlNode *n)
{
	return parse_path(&r->pkg->relative_path, r, n);
}

static int el_packed_size(struct rd *r, xmlNode *n)
{
	char *s = NULL;
	int rc;

	if ((rc = leaf_text(&s, r, n, 0)) < 0)
		return rc;
	rc = parse_u64(&r->pkg->packed_size, r, n, "<packed-size>", s);
	r->pkg->has_packed_size = rc == 0;
	free(s);
	return rc;
}

static int el_vib_checksum(struct rd *r, xmlNode *n)
{
	swim_checksum *c = calloc(1, sizeof(*c));
	int rc;

	if (!c)
		return swim_error_oom();
	if ((rc = parse_checksum(c, r, n)) < 0) {
		free(c);
		return rc;
	}
	r->pkg->vib_checksum = c;
	return 0;
}

static const struct elem vib_children[] = {
	{ "type", el_type, false, NULL },
	{ "name", el_name, false, NULL },
	{ "version", el_version, false, NULL },
	{ "vendor", el_vendor, false, NULL },
	{ "summary", el_summary, false, NULL },
	{ "description", el_description, false, NULL },
	{ "release-date", el_release_date, false, NULL },
	{ "urls", el_urls, false, NULL },
	{ "relationships", el_relationships, false, NULL },
	{ "software-tags", el_software_tags, false, NULL },
	{ "installdate", el_install_date, false, NULL },
	{ "relative-path", el_relative_path, false, NULL },
	{ "packed-size", el_packed_size, false, NULL },
	{ "checksum", el_vib_checksum, false, checksum_attrs },
	{ "system-requires", el_system_requires, false, NULL },
	{ "file-list", el_file_list, false, NULL },
	{ "setid-files", el_setid_files, false, NULL },
	{ "acceptance-level", el_acceptance, false, NULL },
	{ "live-install-allowed", el_live_install, false, NULL },
	{ "live-remove-allowed", el_live_remove, false, NULL },
	{ "cimom-restart", el_cimom_restart, false, NULL },
	{ "stateless-ready", el_stateless_ready, false, NULL },
	{ "overlay", el_overlay, false, NULL },
	{ "payloads", el_payloads, false, NULL },
};

static int parse_vib(struct rd *r, xmlNode *root)
{
	static const char *const vib_attrs[] = { "version", NULL };
	const swim_package *pkg = r->pkg;
	const char *missing;
	int rc;

	if (strcmp(swim_xml_name(root), "vib") != 0)
		return fail(r, root, SWIM_EINVAL,
		            "the root element is <%s>, not <vib>",
		            swim_xml_name(root));
	if ((rc = check_attrs(r, root, vib_attrs)) < 0 ||
	    (rc = attr_copy(&r->pkg->vib_version, r, root, "version", false,
	                    R_WORD)) < 0 ||
	    (rc = walk(r, root, vib_children, SWIM_ARRAY_SIZE(vib_children))) < 0)
		return rc;
	missing = !pkg->type ? "type" : !pkg->name ? "name"
	        : !pkg->version ? "version" : !pkg->vendor ? "vendor" : NULL;
	if (missing)
		return fail(r, root, SWIM_EINVAL, "<vib> has no <%s>", missing);
	return swim_package_update_id(r->pkg);
}

int swim_descriptor_read_named(swim_package **out, const char *xml,
                               size_t len, const swim_limits *lim,
                               const char *what)
{
	return swim_descriptor_read_ctxt(out, NULL, xml, len, lim, what);
}

int swim_descriptor_read_ctxt(swim_package **out, xmlParserCtxt *ctxt,
                              const char *xml, size_t len,
                              const swim_limits *lim, const char *what)
{
	struct rd r = { lim ? lim : swim_limits_default(),
	                what ? what : "descriptor.xml", NULL, 0 };
	xmlDoc *doc = NULL;
	int rc;

	*out = NULL;
	if ((rc = swim_xml_parse_ctxt(&doc, ctxt, xml, len,
	                              r.lim->descriptor_max_bytes, r.lim,
	                              r.what)) < 0)
		return rc;
	if ((rc = swim_package_new(&r.pkg)) < 0)
		goto out;
	if ((rc = parse_vib(&r, xmlDocGetRootElement(doc))) < 0)
		goto out;
	*out = r.pkg;
	r.pkg = NULL;
out:
	swim_package_free(r.pkg);
	xmlFreeDoc(doc);
	return rc;
}

int swim_descriptor_read(swim_package **out, const char *xml, size_t len,
                         const swim_limits *lim)
{
	return swim_descriptor_read_named(out, xml, len, lim, NULL);
}
