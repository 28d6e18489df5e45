#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cim/internal.h"
#include "cim/name.h"
#include "cim/path.h"
#include "swim/error.h"
#include "util/str.h"

int swim_cim__name_cmp(const char *a, const char *b)
{
	return swim_cim__name_ncmp(a, b, (size_t)-1);
}

int swim_cim__name_ncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;

		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y || !x)
			return (int)x - (int)y;
	}
	return 0;
}

int swim_cim__ns_check(const char *ns, const swim_limits *lim)
{
	const char *seg = ns;

	if (!ns || !*ns)
		return swim_error_set(SWIM_EINVAL, "empty namespace name");
	if (!lim)
		lim = swim_limits_default();
	if (strlen(ns) > lim->cim_name_max_bytes)
		return swim_error_set(SWIM_ELIMIT,
		                      "namespace '%.40s...' is longer than %llu bytes",
		                      ns, (unsigned long long)lim->cim_name_max_bytes);
	for (const char *p = ns;; p++) {
		if (*p != '/' && *p)
			continue;
		if (!swim_cim_name_valid(seg, (size_t)(p - seg)))
			return swim_error_set(SWIM_EINVAL,
			                      "namespace '%s' is not names separated "
			                      "by '/'", ns);
		if (!*p)
			return 0;
		seg = p + 1;
	}
}

static bool is_host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr(".-_~%:@[]", c);
}

int swim_cim__host_check(const char *host)
{
	if (!host || !*host)
		return swim_error_set(SWIM_EINVAL, "empty host name");
	for (const char *p = host; *p; p++)
		if (!is_host_char(*p))
			return swim_error_set(SWIM_EINVAL,
			                      "host '%s' contains '%c'", host, *p);
	return 0;
}

int swim_cim__put_quoted(swim_buf *buf, const char *s, char quote)
{
	int rc;

	if ((rc = swim_buf_putc(buf, quote)) < 0)
		return rc;
	for (const char *p = s; *p; p++) {
		if ((*p == quote || *p == '\\') &&
		    (rc = swim_buf_putc(buf, '\\')) < 0)
			return rc;
		if ((rc = swim_buf_putc(buf, *p)) < 0)
			return rc;
	}
	return swim_buf_putc(buf, quote);
}

int swim_cim_path_new(swim_cim_path **out, const char *host, const char *ns,
                      const char *classname)
{
	swim_cim_path *p = NULL;
	int rc;

	*out = NULL;
	if ((rc = swim_cim_name_check(classname, "class name", NULL)) < 0)
		return rc;
	if (!(p = calloc(1, sizeof(*p))))
		return swim_error_oom();
	if (!(p->classname = swim_strdup(classname)) ||
	    (rc = swim_cim_path_set_host(p, host)) < 0 ||
	    (rc = swim_cim_path_set_namespace(p, ns)) < 0) {
		swim_cim_path_free(p);
		return rc < 0 ? rc : SWIM_ENOMEM;
	}
	*out = p;
	return 0;
}

void swim_cim_path_free(swim_cim_path *path)
{
	if (!path)
		return;
	for (size_t i = 0; i < path->nkeys; i++) {
		free(path->keys[i].name);
		swim_cim_value_dispose(&path->keys[i].value);
	}
	free(path->keys);
	free(path->host);
	free(path->ns);
	free(path->classname);
	free(path);
}

int swim_cim_path_copy(swim_cim_path **out, const swim_cim_path *path)
{
	swim_cim_path *p = NULL;
	int rc = SWIM_ENOMEM;

	*out = NULL;
	if (!(p = calloc(1, sizeof(*p))))
		return swim_error_oom();
	p->instance = path->instance;
	if ((path->host && !(p->host = swim_strdup(path->host))) ||
	    (path->ns && !(p->ns = swim_strdup(path->ns))) ||
	    !(p->classname = swim_strdup(path->classname)))
		goto fail;
	if (path->nkeys &&
	    !(p->keys = calloc(path->nkeys, sizeof(*p->keys)))) {
		rc = swim_error_oom();
		goto fail;
	}
	for (size_t i = 0; i < path->nkeys; i++) {
		swim_cim_keybinding *k = &p->keys[i];

		if (!(k->name = swim_strdup(path->keys[i].name))) {
			rc = SWIM_ENOMEM;
			goto fail;
		}
		p->nkeys++;
		if ((rc = swim_cim_value_copy(&k->value,
		                              &path->keys[i].value)) < 0)
			goto fail;
	}
	*out = p;
	return 0;
fail:
	swim_cim_path_free(p);
	return rc;
}

int swim_cim_path_set_host(swim_cim_path *path, const char *host)
{
	int rc;

	if (host && (rc = swim_cim__host_check(host)) < 0)
		return rc;
	return swim_str_set(&path->host, host);
}

int swim_cim_path_set_namespace(swim_cim_path *path, const char *ns)
{
	int rc;

	if (ns && (rc = swim_cim__ns_check(ns, NULL)) < 0)
		return rc;
	return swim_str_set(&path->ns, ns);
}

int swim_cim_path_add_key(swim_cim_path *path, const char *name,
                          swim_cim_value *value)
{
	swim_cim_keybinding *keys;
	size_t at = 0;
	char *copy;
	int rc;

	if ((rc = swim_cim_name_check(name, "key name", NULL)) < 0)
		return rc;
	if (value->null || value->array ||
	    swim_cim_type_is_embedded(value->type) ||
	    value->type == SWIM_CIM_NONE)
		return swim_error_set(SWIM_EINVAL,
		                      "key %s: a key value must be a non-NULL "
		                      "scalar that is not an embedded object", name);
	for (; at < path->nkeys; at++) {
		int c = swim_cim__name_cmp(path->keys[at].name, name);

		if (c == 0)
			return swim_error_set(SWIM_EEXISTS, "key %s given twice",
			                      name);
		if (c > 0)
			break;
	}
	if (!(copy = swim_strdup(name)))
		return SWIM_ENOMEM;
	if (!(keys = realloc(path->keys, (path->nkeys + 1) * sizeof(*keys)))) {
		free(copy);
		return swim_error_oom();
	}
	path->keys = keys;
	memmove(&keys[at + 1], &keys[at], (path->nkeys - at) * sizeof(*keys));
	keys[at].name = copy;
	swim_cim_value_init(&keys[at].value, SWIM_CIM_NONE, false);
	swim_cim_value_move(&keys[at].value, value);
	path->nkeys++;
	path->instance = true;
	return 0;
}

int swim_cim_path_add_key_string(swim_cim_path *path, const char *name,
                                 const char *s)
{
	swim_cim_value v = SWIM_CIM_VALUE_INIT;
	int rc;

	if ((rc = swim_cim_value_set_string(&v, s)) == 0)
		rc = swim_cim_path_add_key(path, name, &v);
	swim_cim_value_dispose(&v);
	return rc;
}

int swim_cim_path_add_key_uint(swim_cim_path *path, const char *name,
                               swim_cim_type type, uint64_t u)
{
	swim_cim_value v = SWIM_CIM_VALUE_INIT;
	int rc;

	if ((rc = swim_cim_value_set_uint(&v, type, u)) == 0)
		rc = swim_cim_path_add_key(path, name, &v);
	swim_cim_value_dispose(&v);
	return rc;
}

int swim_cim_path_add_key_ref(swim_cim_path *path, const char *name,
                              const swim_cim_path *ref)
{
	swim_cim_value v = SWIM_CIM_VALUE_INIT;
	int rc;

	if ((rc = swim_cim_value_set_ref(&v, ref)) == 0)
		rc = swim_cim_path_add_key(path, name, &v);
	swim_cim_value_dispose(&v);
	return rc;
}

const swim_cim_value *swim_cim_path_key(const swim_cim_path *path,
                                        const char *name)
{
	for (size_t i = 0; i < path->nkeys; i++)
		if (swim_str_ieq(path->keys[i].name, name))
			return &path->keys[i].value;
	return NULL;
}

/* Parsing ---------------------------------------------------------------- */

struct uri {
	const char *s;       /* the text being parsed (one nesting level) */
	size_t pos;
	const char *whole;   /* the outermost text, for messages */
	const swim_limits *lim;
	unsigned depth;
};

static int expected(const struct uri *u, const char *what)
{
	return swim_error_set(SWIM_EINVAL,
	                      "object path '%.200s': expected %s at offset %zu%s",
	                      u->s, what, u->pos,
	                      u->depth ? " (in a reference key value)" : "");
}

static bool at_name_start(const struct uri *u)
{
	char c = u->s[u->pos];

	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static size_t name_len(const struct uri *u)
{
	const char *p = u->s + u->pos;
	size_t n = 0;

	if (!at_name_start(u))
		return 0;
	while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
	       (p[n] >= '0' && p[n] <= '9') || p[n] == '_')
		n++;
	return n;
}

static int take_name(char **out, struct uri *u, const char *what)
{
	size_t n = name_len(u);

	if (n == 0)
		return expected(u, what);
	if (n > u->lim->cim_name_max_bytes)
		return swim_error_set(SWIM_ELIMIT,
		                      "object path: %s longer than %llu bytes", what,
		                      (unsigned long long)u->lim->cim_name_max_bytes);
	if (!(*out = swim_strndup(u->s + u->pos, n)))
		return SWIM_ENOMEM;
	u->pos += n;
	return 0;
}

static int parse_uri(swim_cim_path **out, struct uri *u);

/* The contents of a quoted value, unescaped; u->pos ends after the
 * closing quote. */
static int take_quoted(char **out, struct uri *u, char quote)
{
	swim_buf b = SWIM_BUF_INIT(0);
	int rc = 0;

	for (u->pos++;; u->pos++) {
		char c = u->s[u->pos];

		if (!c) {
			rc = expected(u, quote == '"' ? "a closing '\"'"
			                              : "a closing \"'\"");
			goto out;
		}
		if (c == quote)
			break;
		if (c == '\\' && !(c = u->s[++u->pos])) {
			rc = expected(u, "a character after '\\'");
			goto out;
		}
		if ((rc = swim_buf_putc(&b, c)) < 0)
			goto out;
	}
	u->pos++;
	if (!(*out = swim_buf_detach(&b)))
		rc = SWIM_ENOMEM;
out:
	swim_buf_dispose(&b);
	return rc;
}

static bool has_scheme(const char *s)
{
	size_t n = 0;

	while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
	       (n && ((s[n] >= '0' && s[n] <= '9') || s[n] == '-' ||
	              s[n] == '+' || s[n] == '.')))
		n++;
	return n > 0 && strncmp(s + n, "://", 3) == 0;
}

/* A quoted key value: a reference when it looks like one and parses as
 * an instance path, else a string. */
static int quoted_value(swim_cim_value *out, struct uri *u)
{
	swim_cim_path *ref = NULL;
	char *text = NULL;
	int rc;

	if ((rc = take_quoted(&text, u, '"')) < 0)
		return rc;
	if ((text[0] == '/' || has_scheme(text))) {
		struct uri inner = { text, 0, u->whole, u->lim, u->depth + 1 };

		if (inner.depth > u->lim->cim_path_max_depth) {
			free(text);
			return swim_error_set(SWIM_ELIMIT,
			                      "object path '%.200s': references nested "
			                      "deeper than %llu", u->whole,
			                      (unsigned long long)u->lim->cim_path_max_depth);
		}
		rc = parse_uri(&ref, &inner);
		if (rc == SWIM_ELIMIT || rc == SWIM_ENOMEM) {
			free(text);
			return rc;
		}
		if (rc == 0 && ref->instance) {
			free(text);
			swim_cim_value_take_ref(out, ref);
			return 0;
		}
		swim_cim_path_free(ref);
		swim_error_clear();
	}
	return swim_cim_value_take_string(out, text);
}

static int char16_value(swim_cim_value *out, struct uri *u)
{
	char *text = NULL;
	int rc;

	if ((rc = take_quoted(&text, u, '\'')) < 0)
		return rc;
	rc = swim_cim_value_from_string(out, SWIM_CIM_CHAR16, text, u->lim);
	free(text);
	return rc;
}

/* TRUE, FALSE, or a number: integers (decimal or 0x hex) as uint64, or
 * sint64 when negative; reals as real64. */
static int bare_value(swim_cim_value *out, struct uri *u)
{
	const char *t = u->s + u->pos;
	size_t n = strcspn(t, ",");
	const char *digits;
	char tok[80];
	double r;
	int rc;

	if (n == 0 || n >= sizeof(tok))
		return expected(u, "a key value (a quoted string, a number, "
		                   "TRUE or FALSE)");
	memcpy(tok, t, n);
	tok[n] = '\0';
	digits = tok + (tok[0] == '-' || tok[0] == '+');
	if (swim_str_ieq(tok, "true") || swim_str_ieq(tok, "false")) {
		swim_cim_value_set_bool(out, tok[0] == 't' || tok[0] == 'T');
	} else if (*digits < '0' || *digits > '9') {
		return expected(u, "a key value (a quoted string, a number, "
		                   "TRUE or FALSE)");
	} else if (!(digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) &&
	           strpbrk(tok, ".eE")) {
		if ((rc = swim_str_to_double(&r, tok, "real key value")) < 0 ||
		    (rc = swim_cim_value_set_real(out, SWIM_CIM_REAL64, r)) < 0)
			return swim_error_prefix("object path '%.200s': ", u->whole);
	} else if ((rc = swim_cim_value_from_string(out, tok[0] == '-'
	                                            ? SWIM_CIM_SINT64
	                                            : SWIM_CIM_UINT64,
	                                            tok, u->lim)) < 0) {
		return swim_error_prefix("object path '%.200s': ", u->whole);
	}
	u->pos += n;
	return 0;
}

static int parse_keys(swim_cim_path *p, struct uri *u)
{
	int rc;

	for (;;) {
		swim_cim_value v = SWIM_CIM_VALUE_INIT;
		char *name = NULL;
		char c;

		if ((rc = take_name(&name, u, "a key name")) < 0)
			return rc;
		if (u->s[u->pos] != '=') {
			free(name);
			return expected(u, "'=' after the key name");
		}
		u->pos++;
		c = u->s[u->pos];
		rc = c == '"' ? quoted_value(&v, u)
		     : c == '\'' ? char16_value(&v, u) : bare_value(&v, u);
		if (rc == 0 && (rc = swim_cim_path_add_key(p, name, &v)) < 0)
			rc = swim_error_prefix("object path '%.200s': ", u->whole);
		swim_cim_value_dispose(&v);
		free(name);
		if (rc < 0)
			return rc;
		if (!u->s[u->pos])
			return 0;
		if (u->s[u->pos] != ',')
			return expected(u, "',' or the end after a key value");
		u->pos++;
	}
}

static int parse_authority(swim_cim_path *p, struct uri *u)
{
	size_t start = u->pos;

	while (u->s[u->pos] && u->s[u->pos] != '/') {
		if (!is_host_char(u->s[u->pos]))
			return expected(u, "a host name");
		u->pos++;
	}
	if (u->pos == start)
		return expected(u, "a host name after '//'");
	if (!u->s[u->pos])
		return expected(u, "'/' after the host");
	if (!(p->host = swim_strndup(u->s + start, u->pos - start)))
		return SWIM_ENOMEM;
	u->pos++;
	return 0;
}

/* "ns:Class" or "Class": names separated by '/', then ':' for a
 * namespace. */
static int parse_ns_class(swim_cim_path *p, struct uri *u)
{
	size_t start = u->pos;
	bool slash = false;

	if (u->s[u->pos] == ':') {
		u->pos++;
		return take_name(&p->classname, u, "a class name");
	}
	for (;;) {
		size_t n = name_len(u);

		if (n == 0)
			return expected(u, slash ? "a namespace name after '/'"
			                         : "a namespace or class name");
		u->pos += n;
		if (u->s[u->pos] != '/')
			break;
		slash = true;
		u->pos++;
	}
	if (u->s[u->pos] == ':') {
		if (u->pos - start > u->lim->cim_name_max_bytes)
			return swim_error_set(SWIM_ELIMIT,
			                      "object path: namespace longer than %llu bytes",
			                      (unsigned long long)u->lim->cim_name_max_bytes);
		if (!(p->ns = swim_strndup(u->s + start, u->pos - start)))
			return SWIM_ENOMEM;
		u->pos++;
		return take_name(&p->classname, u, "a class name after ':'");
	}
	if (slash)
		return expected(u, "':' after the namespace");
	u->pos = start;
	return take_name(&p->classname, u, "a class name");
}

static int parse_uri(swim_cim_path **out, struct uri *u)
{
	static const char *const schemes[] = {
		"http", "https", "cimxml-wbem", "cimxml-wbems"
	};
	swim_cim_path *p = NULL;
	int rc;

	*out = NULL;
	if (!(p = calloc(1, sizeof(*p))))
		return swim_error_oom();
	if (has_scheme(u->s)) {
		size_t n = strcspn(u->s, ":");
		bool known = false;

		for (size_t i = 0; i < SWIM_ARRAY_SIZE(schemes); i++)
			if (strlen(schemes[i]) == n &&
			    swim_cim__name_ncmp(u->s, schemes[i], n) == 0)
				known = true;
		if (!known) {
			rc = expected(u, "http:, https:, cimxml-wbem: or "
			                 "cimxml-wbems: as the scheme");
			goto out;
		}
		u->pos = n + 1;
	}
	if (u->s[u->pos] == '/' && u->s[u->pos + 1] == '/') {
		u->pos += 2;
		if ((rc = parse_authority(p, u)) < 0)
			goto out;
	} else if (u->s[u->pos] == '/') {
		u->pos++;
	}
	if ((rc = parse_ns_class(p, u)) < 0)
		goto out;
	if (u->s[u->pos] == '.') {
		u->pos++;
		rc = parse_keys(p, u);
	} else if (u->s[u->pos] == '=' && u->s[u->pos + 1] == '@' &&
	           !u->s[u->pos + 2]) {
		p->instance = true;
		u->pos += 2;
	} else if (u->s[u->pos]) {
		rc = expected(u, "'.', '=@' or the end after the class name");
	}
out:
	if (rc < 0) {
		swim_cim_path_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

int swim_cim_path_parse(swim_cim_path **out, const char *text,
                        const swim_limits *lim)
{
	struct uri u = { text, 0, text, lim, 0 };
	size_t len;

	*out = NULL;
	if (!u.lim)
		u.lim = swim_limits_default();
	if (!text || !*text)
		return swim_error_set(SWIM_EINVAL, "empty object path");
	len = strlen(text);
	if (len > u.lim->cim_uri_max_bytes)
		return swim_error_set(SWIM_ELIMIT,
		                      "object path of %zu bytes is longer than %llu",
		                      len, (unsigned long long)u.lim->cim_uri_max_bytes);
	if (!swim_str_is_utf8(text, len))
		return swim_error_set(SWIM_EINVAL, "object path is not UTF-8");
	return parse_uri(out, &u);
}

/* Printing --------------------------------------------------------------- */

static int put_key_value(swim_buf *buf, const swim_cim_value *v)
{
	swim_buf tmp = SWIM_BUF_INIT(0);
	int rc;

	switch (v->type) {
	case SWIM_CIM_STRING:
		return swim_cim__put_quoted(buf, v->s, '"');
	case SWIM_CIM_CHAR16:
		if ((rc = swim_cim__put_char16(&tmp, (uint32_t)v->u)) == 0)
			rc = swim_cim__put_quoted(buf, tmp.ptr, '\'');
		break;
	case SWIM_CIM_DATETIME:
	case SWIM_CIM_REFERENCE:
		if ((rc = swim_cim_value_to_string(&tmp, v)) == 0)
			rc = swim_cim__put_quoted(buf, tmp.ptr, '"');
		break;
	case SWIM_CIM_REAL32:
	case SWIM_CIM_REAL64:
		if (!isfinite(v->r))
			return swim_error_set(SWIM_EINVAL,
			                      "a WBEM URI cannot carry the real %s",
			                      isnan(v->r) ? "NaN" : "infinity");
		return swim_cim_value_to_string(buf, v);
	default:
		return swim_cim_value_to_string(buf, v);
	}
	swim_buf_dispose(&tmp);
	return rc;
}

int swim_cim_path_format(swim_buf *buf, const swim_cim_path *path,
                         unsigned flags)
{
	int rc = 0;

	if (flags & SWIM_CIM_URI_CIMOBJECT) {
		if (path->ns)
			rc = swim_buf_printf(buf, "%s:", path->ns);
	} else if (path->host && !(flags & SWIM_CIM_URI_NO_HOST)) {
		rc = swim_buf_printf(buf, "//%s/%s:", path->host,
		                     path->ns ? path->ns : "");
	} else {
		rc = swim_buf_printf(buf, "/%s:", path->ns ? path->ns : "");
	}
	if (rc == 0)
		rc = swim_buf_puts(buf, path->classname);
	if (rc == 0 && path->instance && path->nkeys == 0)
		rc = swim_buf_puts(buf, "=@");
	for (size_t i = 0; rc == 0 && i < path->nkeys; i++) {
		if ((rc = swim_buf_printf(buf, "%c%s=", i ? ',' : '.',
		                          path->keys[i].name)) == 0)
			rc = put_key_value(buf, &path->keys[i].value);
	}
	return rc;
}

/* Comparing -------------------------------------------------------------- */

bool swim_cim__opt_ieq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return swim_str_ieq(a, b);
}

static bool is_number(swim_cim_type t)
{
	return swim_cim_type_is_integer(t) || swim_cim_type_is_real(t);
}

static bool number_equal(const swim_cim_value *a, const swim_cim_value *b)
{
	bool sa = swim_cim_type_is_signed(a->type) && a->i < 0;
	bool sb = swim_cim_type_is_signed(b->type) && b->i < 0;

	if (swim_cim_type_is_real(a->type) || swim_cim_type_is_real(b->type)) {
		double x = swim_cim_type_is_real(a->type) ? a->r
		           : swim_cim_type_is_signed(a->type) ? (double)a->i
		           : (double)a->u;
		double y = swim_cim_type_is_real(b->type) ? b->r
		           : swim_cim_type_is_signed(b->type) ? (double)b->i
		           : (double)b->u;

		return x == y;
	}
	if (sa != sb)
		return false;
	if (sa)
		return a->i == b->i;
	return (swim_cim_type_is_signed(a->type) ? (uint64_t)a->i : a->u) ==
	       (swim_cim_type_is_signed(b->type) ? (uint64_t)b->i : b->u);
}

static bool key_value_equal(const swim_cim_value *a, const swim_cim_value *b)
{
	swim_buf x = SWIM_BUF_INIT(0), y = SWIM_BUF_INIT(0);
	bool eq;

	if (a->type == b->type)
		return swim_cim_value_equal(a, b);
	if (is_number(a->type) && is_number(b->type))
		return number_equal(a, b);
	if (is_number(a->type) || is_number(b->type) ||
	    a->type == SWIM_CIM_BOOLEAN || b->type == SWIM_CIM_BOOLEAN)
		return false;
	/* A string against a datetime, char16 or reference: by text. */
	eq = swim_cim_value_to_string(&x, a) == 0 &&
	     swim_cim_value_to_string(&y, b) == 0 && strcmp(x.ptr, y.ptr) == 0;
	swim_buf_dispose(&x);
	swim_buf_dispose(&y);
	return eq;
}

bool swim_cim_path_match(const swim_cim_path *a, const swim_cim_path *b,
                         unsigned flags)
{
	if (flags & SWIM_CIM_PATH_IGNORE_NAMESPACE)
		flags |= SWIM_CIM_PATH_IGNORE_HOST;
	if (!swim_str_ieq(a->classname, b->classname) ||
	    a->instance != b->instance || a->nkeys != b->nkeys)
		return false;
	if (!(flags & SWIM_CIM_PATH_IGNORE_HOST) && !swim_cim__opt_ieq(a->host, b->host))
		return false;
	if (!(flags & SWIM_CIM_PATH_IGNORE_NAMESPACE) && !swim_cim__opt_ieq(a->ns, b->ns))
		return false;
	for (size_t i = 0; i < a->nkeys; i++)
		if (!swim_str_ieq(a->keys[i].name, b->keys[i].name) ||
		    !key_value_equal(&a->keys[i].value, &b->keys[i].value))
			return false;
	return true;
}

bool swim_cim_path_equal(const swim_cim_path *a, const swim_cim_path *b)
{
	return swim_cim_path_match(a, b, 0);
}
