/* The Man header of an M-POST request (RFC 2774, the HTTP extension
 * framework DSP0200 builds on):
 *
 *   Man: http://www.dmtf.org/cim/mapping/http/v1.0 ; ns=73
 *
 * declares the CIM mapping as a mandatory extension whose headers carry
 * the prefix "73-" (73-CIMOperation, 73-CIMMethod, ...). RFC 2774 quotes
 * the URI; CIM clients send it bare: both are accepted. */
#include <string.h>

#include "daemon/http_internal.h"
#include "swim/error.h"

#define CIM_MAPPING "http://www.dmtf.org/cim/mapping/http/v1.0"
/* RFC 2774: header-prefix = 2*DIGIT; more than this is no real client. */
#define NS_MAX_DIGITS 8

static const char *skip_ws(const char *p)
{
	return p + strspn(p, " \t");
}

/* One ext-decl's URI: a quoted string or a bare run up to ';', ',' or a
 * blank. Sets *uri and *len; returns where it ends, or NULL. */
static const char *scan_uri(const char *p, const char **uri, size_t *len)
{
	if (*p == '"') {
		const char *end = strchr(p + 1, '"');

		if (!end)
			return NULL;
		*uri = p + 1;
		*len = (size_t)(end - p - 1);
		return end + 1;
	}
	*uri = p;
	*len = strcspn(p, ";, \t");
	return p + *len;
}

/* A parameter value: token or quoted string. Returns where it ends. */
static const char *scan_value(const char *p, const char **v, size_t *len)
{
	if (*p == '"')
		return scan_uri(p, v, len);
	*v = p;
	*len = strcspn(p, ";, \t");
	return p + *len;
}

int swimd_http__man_prefix(char *out, size_t size, const char *man)
{
	const char *p = man, *uri, *v;
	size_t ulen, vlen;
	bool found = false;

	out[0] = '\0';
	for (;;) {
		bool cim;
		const char *ns = NULL;
		size_t ns_len = 0;

		p = skip_ws(p);
		if (!*p)
			break;
		if (*p == ',') {   /* empty list elements are allowed */
			p++;
			continue;
		}
		if (!(p = scan_uri(p, &uri, &ulen)) || ulen == 0)
			return swim_error_set(SWIM_EINVAL, "an extension "
			                      "declaration without a URI");
		cim = ulen == strlen(CIM_MAPPING) &&
		      strncmp(uri, CIM_MAPPING, ulen) == 0;
		while (*(p = skip_ws(p)) == ';') {
			const char *name = skip_ws(p + 1);
			size_t nlen = strcspn(name, "=;, \t");

			p = skip_ws(name + nlen);
			vlen = 0;
			if (*p == '=' &&
			    !(p = scan_value(skip_ws(p + 1), &v, &vlen)))
				return swim_error_set(SWIM_EINVAL, "an unclosed "
				                      "quoted string");
			if (nlen == 2 && strncmp(name, "ns", 2) == 0) {
				ns = vlen ? v : "";
				ns_len = vlen;
			}
		}
		if (*p && *p != ',')
			return swim_error_set(SWIM_EINVAL, "unexpected '%c' "
			                      "after an extension declaration", *p);
		if (!cim)
			return swim_error_set(SWIM_ENOTSUPPORTED,
			                      "the mandatory extension '%.*s' is "
			                      "not supported (only " CIM_MAPPING ")",
			                      (int)(ulen > 200 ? 200 : ulen), uri);
		if (found)
			return swim_error_set(SWIM_EINVAL, "the CIM mapping is "
			                      "declared twice");
		if (!ns)
			return swim_error_set(SWIM_EINVAL, "the CIM mapping "
			                      "declaration has no ns=NN");
		if (ns_len < 2 || ns_len > NS_MAX_DIGITS ||
		    strspn(ns, "0123456789") < ns_len || ns_len + 2 > size)
			return swim_error_set(SWIM_EINVAL, "ns='%.*s' is not two "
			                      "to %d digits", (int)(ns_len > 20 ? 20 : ns_len),
			                      ns, NS_MAX_DIGITS);
		memcpy(out, ns, ns_len);
		out[ns_len] = '-';
		out[ns_len + 1] = '\0';
		found = true;
	}
	if (!found)
		return swim_error_set(SWIM_EINVAL, "no extension is declared");
	return 0;
}
