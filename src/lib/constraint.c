#include <stdlib.h>
#include <string.h>

#include "swim/constraint.h"
#include "swim/error.h"
#include "swim/version.h"
#include "util/str.h"

/* libsolv's relation bits, so that matching reads like
 * pool_intersect_evrs(). */
enum { F_GT = 1, F_EQ = 2, F_LT = 4 };

static const struct {
	swim_relation rel;
	const char *text;
	int flags;
} relations[] = {
	{ SWIM_REL_LT, "<<", F_LT },
	{ SWIM_REL_LE, "<=", F_LT | F_EQ },
	{ SWIM_REL_EQ, "=", F_EQ },
	{ SWIM_REL_GE, ">=", F_GT | F_EQ },
	{ SWIM_REL_GT, ">>", F_GT },
};

const char *swim_relation_str(swim_relation rel)
{
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(relations); i++)
		if (relations[i].rel == rel)
			return relations[i].text;
	return "";
}

int swim_relation_parse(swim_relation *out, const char *s)
{
	for (size_t i = 0; s && i < SWIM_ARRAY_SIZE(relations); i++)
		if (strcmp(s, relations[i].text) == 0) {
			*out = relations[i].rel;
			return 0;
		}
	return swim_error_set(SWIM_EINVAL,
	                      "unknown relation '%s' (expected <<, <=, =, >= or >>)",
	                      s ? s : "");
}

static int rel_flags(swim_relation rel)
{
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(relations); i++)
		if (relations[i].rel == rel)
			return relations[i].flags;
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_rel_char(char c)
{
	return c == '<' || c == '>' || c == '=';
}

/* Text with a control or non-ASCII byte is refused first, by the byte's
 * value and position, so that no message ever echoes such bytes. */
static int check_printable(const char *what, const char *s)
{
	for (size_t i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t') || c >= 0x7f)
			return swim_error_set(SWIM_EINVAL,
			                      "%s has a control or non-ASCII byte "
			                      "(0x%02x) at position %zu", what, c, i + 1);
	}
	return 0;
}

/* A relation name: printable ASCII, no blanks, none of < > =. */
static int check_name(const char *name, size_t len, const swim_limits *lim)
{
	if (len == 0)
		return swim_error_set(SWIM_EINVAL, "empty name");
	if (len > lim->name_max_bytes)
		return swim_error_set(SWIM_ELIMIT,
		                      "name '%.40s...' is %zu bytes, longer than %llu",
		                      name, len,
		                      (unsigned long long)lim->name_max_bytes);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c <= 0x20 || c >= 0x7f || is_rel_char((char)c))
			return swim_error_set(SWIM_EINVAL,
			                      "name '%.*s' contains a blank, a control or "
			                      "non-ASCII character, or one of < > =",
			                      (int)len, name);
	}
	return 0;
}

static int set_version(char **out, const char *v, size_t len,
                       const swim_limits *lim)
{
	char *copy = swim_strndup(v, len);
	int rc;

	if (!copy)
		return SWIM_ENOMEM;
	if ((rc = swim_version_check(copy, lim)) < 0) {
		free(copy);
		return rc;
	}
	*out = copy;
	return 0;
}

int swim_constraint_from_attrs(swim_constraint *out, const char *name,
                               const char *relation, const char *version,
                               const swim_limits *lim)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (!lim)
		lim = swim_limits_default();
	if (!name)
		return swim_error_set(SWIM_EINVAL, "constraint without a name");
	if ((rc = check_printable("constraint name", name)) < 0 ||
	    (relation && (rc = check_printable("relation", relation)) < 0) ||
	    (rc = check_name(name, strlen(name), lim)) < 0)
		return rc;
	if (!relation != !version)
		return swim_error_set(SWIM_EINVAL,
		                      "constraint on '%s': relation and version must be "
		                      "given together", name);
	if (relation && (rc = swim_relation_parse(&out->rel, relation)) < 0)
		return swim_error_prefix("constraint on '%s': ", name);
	if (version && (rc = set_version(&out->version, version,
	                                 strlen(version), lim)) < 0)
		return swim_error_prefix("constraint on '%s': ", name);
	if (!(out->name = swim_strdup(name))) {
		swim_constraint_dispose(out);
		return SWIM_ENOMEM;
	}
	return 0;
}

/* Skips blanks, takes a token up to the next blank (or relation
 * character, for names), and skips the blanks after it. */
static size_t take_token(const char **s, const char **tok, bool name)
{
	const char *p = *s;
	size_t len;

	while (is_blank(*p))
		p++;
	*tok = p;
	while (*p && !is_blank(*p) && !(name && is_rel_char(*p)))
		p++;
	len = (size_t)(p - *tok);
	while (is_blank(*p))
		p++;
	*s = p;
	return len;
}

/* The name at the start of text: checked, and copied to *out. */
static int take_name(char **out, const char **s, const char *what,
                     const char *text, const swim_limits *lim)
{
	const char *name;
	size_t len = take_token(s, &name, true);

	if (check_name(name, len, lim) < 0)
		return swim_error_prefix("%s '%s': ", what, text);
	if (!(*out = swim_strndup(name, len)))
		return SWIM_ENOMEM;
	return 0;
}

int swim_constraint_parse(swim_constraint *out, const char *text,
                          const swim_limits *lim)
{
	const char *s = text, *rel, *ver;
	size_t rel_len, ver_len;
	char relbuf[3];
	int rc;

	memset(out, 0, sizeof(*out));
	if (!lim)
		lim = swim_limits_default();
	if ((rc = check_printable("constraint", text)) < 0 ||
	    (rc = take_name(&out->name, &s, "constraint", text, lim)) < 0)
		goto fail;
	if (!*s)
		return 0;
	rel = s;
	while (is_rel_char(*s))
		s++;
	rel_len = (size_t)(s - rel);
	if (rel_len == 0 || rel_len > 2) {
		rc = swim_error_set(SWIM_EINVAL,
		                    "constraint '%s': expected a relation "
		                    "(<<, <=, =, >=, >>) after the name", text);
		goto fail;
	}
	memcpy(relbuf, rel, rel_len);
	relbuf[rel_len] = '\0';
	if ((rc = swim_relation_parse(&out->rel, relbuf)) < 0) {
		(void)swim_error_prefix("constraint '%s': ", text);
		goto fail;
	}
	ver_len = take_token(&s, &ver, false);
	if (ver_len == 0)
		rc = swim_error_set(SWIM_EINVAL,
		                    "constraint '%s': missing version after '%s'",
		                    text, relbuf);
	else if (*s)
		rc = swim_error_set(SWIM_EINVAL,
		                    "constraint '%s': unexpected text after the version",
		                    text);
	else if ((rc = set_version(&out->version, ver, ver_len, lim)) < 0)
		(void)swim_error_prefix("constraint '%s': ", text);
	if (rc == 0)
		return 0;
fail:
	swim_constraint_dispose(out);
	return rc;
}

int swim_constraint_format(swim_buf *buf, const swim_constraint *c)
{
	if (c->rel == SWIM_REL_ANY || !c->version)
		return swim_buf_puts(buf, c->name);
	return swim_buf_printf(buf, "%s %s %s", c->name,
	                       swim_relation_str(c->rel), c->version);
}

int swim_provide_parse(swim_provide *out, const char *text,
                       const swim_limits *lim)
{
	const char *s = text, *ver;
	size_t ver_len;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!lim)
		lim = swim_limits_default();
	if ((rc = check_printable("provide", text)) < 0 ||
	    (rc = take_name(&out->name, &s, "provide", text, lim)) < 0)
		goto fail;
	/* "name = version" is accepted too: it is how provides print. */
	if (*s == '=' && is_blank(s[1]))
		s++;
	ver_len = take_token(&s, &ver, false);
	if (ver_len == 0)
		return 0;
	if (*s)
		rc = swim_error_set(SWIM_EINVAL,
		                    "provide '%s': expected 'NAME [VERSION]'", text);
	else if ((rc = set_version(&out->version, ver, ver_len, lim)) < 0)
		(void)swim_error_prefix("provide '%s': ", text);
	if (rc == 0)
		return 0;
fail:
	swim_provide_dispose(out);
	return rc;
}

int swim_provide_format(swim_buf *buf, const swim_provide *p)
{
	if (!p->version)
		return swim_buf_puts(buf, p->name);
	return swim_buf_printf(buf, "%s = %s", p->name, p->version);
}

bool swim_constraint_matches(const swim_constraint *c, const swim_provide *p)
{
	int flags;

	if (!c->name || !p->name || strcmp(c->name, p->name) != 0)
		return false;
	if (c->rel == SWIM_REL_ANY || !c->version)
		return true;
	if (!p->version)
		return false;
	flags = rel_flags(c->rel);
	/* The provide is "= version": does the constraint's range meet it?
	 * A side without a release stands for every release. */
	switch (swim_version__match_cmp(p->version, c->version)) {
	case -2: return true;
	case -1: return flags & F_LT;
	case 0: return flags & F_EQ;
	case 1: return flags & F_GT;
	case 2: return flags & F_EQ;
	default: return false;
	}
}

int swim_constraint_copy(swim_constraint *out, const swim_constraint *c)
{
	out->rel = c->rel;
	out->name = swim_strdup(c->name);
	out->version = swim_strdup(c->version);
	if ((c->name && !out->name) || (c->version && !out->version)) {
		swim_constraint_dispose(out);
		return SWIM_ENOMEM;
	}
	return 0;
}

int swim_provide_copy(swim_provide *out, const swim_provide *p)
{
	out->name = swim_strdup(p->name);
	out->version = swim_strdup(p->version);
	if ((p->name && !out->name) || (p->version && !out->version)) {
		swim_provide_dispose(out);
		return SWIM_ENOMEM;
	}
	return 0;
}

void swim_constraint_dispose(swim_constraint *c)
{
	if (!c)
		return;
	free(c->name);
	free(c->version);
	c->name = NULL;
	c->version = NULL;
	c->rel = SWIM_REL_ANY;
}

void swim_provide_dispose(swim_provide *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->version);
	p->name = NULL;
	p->version = NULL;
}
