#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "swim/error.h"
#include "swim/profile.h"
#include "swim/version.h"
#include "util/str.h"
#include "util/time.h"

void swim_profile_free(swim_profile *p)
{
	if (!p)
		return;
	free(p->guid);
	free(p->name);
	free(p->vendor);
	free(p->author);
	free(p->description);
	free(p->creation_time);
	free(p->modified_time);
	for (size_t i = 0; i < p->n_rules; i++) {
		free(p->rules[i].name);
		free(p->rules[i].value);
	}
	free(p->rules);
	for (size_t i = 0; i < p->n_vib_ids; i++)
		free(p->vib_ids[i]);
	free(p->vib_ids);
	free(p);
}

static int now_iso(char **out)
{
	char tmp[SWIM_TIME_ISO_SIZE];
	int rc = swim_time_now_iso(tmp);

	return rc < 0 ? rc : swim_str_set(out, tmp);
}

int swim_profile_touch(swim_profile *p)
{
	return now_iso(&p->modified_time);
}

int swim_profile_new(swim_profile **out, const char *name, const char *vendor)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[16];
	char guid[33];
	swim_profile *p;
	int rc;

	*out = NULL;
	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return swim_error_set(SWIM_ERROR, "no random bytes for a GUID");
	for (size_t i = 0; i < sizeof(raw); i++) {
		guid[2 * i] = hex[raw[i] >> 4];
		guid[2 * i + 1] = hex[raw[i] & 15];
	}
	guid[32] = '\0';
	if (!(p = calloc(1, sizeof(*p))))
		return swim_error_oom();
	p->acceptance = SWIM_ACCEPTANCE_PARTNER;
	if ((rc = swim_str_set(&p->guid, guid)) < 0 ||
	    (rc = swim_str_set(&p->name, name)) < 0 ||
	    (rc = swim_str_set(&p->vendor, vendor)) < 0 ||
	    (rc = now_iso(&p->creation_time)) < 0 ||
	    (rc = swim_str_set(&p->modified_time, p->creation_time)) < 0) {
		swim_profile_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

static int copy_strv(char ***out, size_t *n_out, char *const *v, size_t n)
{
	char **c = NULL;

	*out = NULL;
	*n_out = 0;
	if (n == 0)
		return 0;
	if (!(c = calloc(n, sizeof(*c))))
		return swim_error_oom();
	for (size_t i = 0; i < n; i++)
		if (!(c[i] = swim_strdup(v[i]))) {
			while (i--)
				free(c[i]);
			free(c);
			return SWIM_ENOMEM;
		}
	*out = c;
	*n_out = n;
	return 0;
}

int swim_profile_copy(swim_profile **out, const swim_profile *p)
{
	swim_profile *c = calloc(1, sizeof(*c));
	int rc = 0;

	*out = NULL;
	if (!c)
		return swim_error_oom();
	c->acceptance = p->acceptance;
	c->read_only = p->read_only;
	if ((rc = swim_str_set(&c->guid, p->guid)) < 0 ||
	    (rc = swim_str_set(&c->name, p->name)) < 0 ||
	    (rc = swim_str_set(&c->vendor, p->vendor)) < 0 ||
	    (rc = swim_str_set(&c->author, p->author)) < 0 ||
	    (rc = swim_str_set(&c->description, p->description)) < 0 ||
	    (rc = swim_str_set(&c->creation_time, p->creation_time)) < 0 ||
	    (rc = swim_str_set(&c->modified_time, p->modified_time)) < 0 ||
	    (rc = copy_strv(&c->vib_ids, &c->n_vib_ids, p->vib_ids,
	                    p->n_vib_ids)) < 0)
		goto fail;
	if (p->n_rules) {
		if (!(c->rules = calloc(p->n_rules, sizeof(*c->rules)))) {
			rc = swim_error_oom();
			goto fail;
		}
		for (size_t i = 0; i < p->n_rules; i++) {
			c->n_rules = i + 1;
			if ((rc = swim_str_set(&c->rules[i].name, p->rules[i].name)) < 0 ||
			    (rc = swim_str_set(&c->rules[i].value, p->rules[i].value)) < 0)
				goto fail;
		}
	}
	*out = c;
	return 0;
fail:
	swim_profile_free(c);
	return rc;
}

bool swim_profile_equal(const swim_profile *a, const swim_profile *b)
{
	if (!swim_str_eq(a->guid, b->guid) || !swim_str_eq(a->name, b->name) ||
	    !swim_str_eq(a->vendor, b->vendor) ||
	    !swim_str_eq(a->author, b->author) ||
	    !swim_str_eq(a->description, b->description) ||
	    a->acceptance != b->acceptance ||
	    !swim_str_eq(a->creation_time, b->creation_time) ||
	    !swim_str_eq(a->modified_time, b->modified_time) ||
	    a->read_only != b->read_only || a->n_rules != b->n_rules ||
	    a->n_vib_ids != b->n_vib_ids)
		return false;
	for (size_t i = 0; i < a->n_rules; i++)
		if (!swim_str_eq(a->rules[i].name, b->rules[i].name) ||
		    !swim_str_eq(a->rules[i].value, b->rules[i].value))
			return false;
	for (size_t i = 0; i < a->n_vib_ids; i++)
		if (strcmp(a->vib_ids[i], b->vib_ids[i]) != 0)
			return false;
	return true;
}

/* Index of id in the sorted list, or where it would go (*found false). */
static size_t find_vib(const swim_profile *p, const char *id, bool *found)
{
	size_t lo = 0, hi = p->n_vib_ids;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(p->vib_ids[mid], id);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool swim_profile_has_vib(const swim_profile *p, const char *id)
{
	bool found;

	(void)find_vib(p, id, &found);
	return found;
}

int swim_profile_add_vib(swim_profile *p, const char *id)
{
	bool found;
	size_t at = find_vib(p, id, &found);
	char **v, *copy;

	if (found)
		return 0;
	if (!(copy = swim_strdup(id)))
		return SWIM_ENOMEM;
	if (!(v = realloc(p->vib_ids, (p->n_vib_ids + 1) * sizeof(*v)))) {
		free(copy);
		return swim_error_oom();
	}
	memmove(v + at + 1, v + at, (p->n_vib_ids - at) * sizeof(*v));
	v[at] = copy;
	p->vib_ids = v;
	p->n_vib_ids++;
	return 0;
}

int swim_profile_remove_vib(swim_profile *p, const char *id)
{
	bool found;
	size_t at = find_vib(p, id, &found);

	if (!found)
		return swim_error_set(SWIM_ENOTFOUND,
		                      "image profile '%s' has no package %s",
		                      p->name ? p->name : "", id);
	free(p->vib_ids[at]);
	memmove(p->vib_ids + at, p->vib_ids + at + 1,
	        (p->n_vib_ids - at - 1) * sizeof(*p->vib_ids));
	p->n_vib_ids--;
	return 0;
}

/* Text fields: printable, no control characters, within max characters
 * (UTF-8 code points, as Image Builder counts characters). */
static int check_text(const char *field, const char *s, size_t max,
                      bool required)
{
	size_t chars = 0, len;

	if (!s || !*s) {
		if (required)
			return swim_error_set(SWIM_EINVAL,
			                      "image profile: %s is missing", field);
		return 0;
	}
	len = strlen(s);
	if (!swim_str_is_utf8(s, len) || swim_str_has_ctrl(s, len, max == 0))
		return swim_error_set(SWIM_EINVAL,
		                      "image profile: %s contains control characters "
		                      "or invalid UTF-8", field);
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			chars++;
	if (max && chars > max)
		return swim_error_set(SWIM_ELIMIT,
		                      "image profile: %s is %zu characters, more than %zu",
		                      field, chars, max);
	return 0;
}

/* "YYYY-MM-DDTHH:MM:SSZ" with a real date. */
static bool iso_time_ok(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	struct tm tm = { 0 };
	const char *end;

	if (strlen(s) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
			return false;
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return end && *end == '\0' && tm.tm_mon >= 0 && tm.tm_mday >= 1;
}

/* Package ids are vendor_type_name_version: printable ASCII, no blanks,
 * at least three '_'. */
static bool vib_id_ok(const char *id, const swim_limits *lim)
{
	size_t underscores = 0, len = strlen(id);

	if (len == 0 || len > lim->name_max_bytes * 4)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)id[i];

		if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '&' ||
		    c == '"' || c == '/')
			return false;
		underscores += c == '_';
	}
	return underscores >= 3;
}

int swim_profile_check(const swim_profile *p, const swim_limits *lim)
{
	int rc;

	if (!lim)
		lim = swim_limits_default();
	if ((rc = check_text("Name", p->name, SWIM_PROFILE_NAME_MAX, true)) < 0 ||
	    (rc = check_text("Vendor", p->vendor, SWIM_PROFILE_VENDOR_MAX, true)) < 0 ||
	    (rc = check_text("Author", p->author, SWIM_PROFILE_AUTHOR_MAX, false)) < 0 ||
	    (rc = check_text("Description", p->description, 0, false)) < 0)
		return rc;
	if (p->description && strlen(p->description) > lim->string_max_bytes)
		return swim_error_set(SWIM_ELIMIT,
		                      "image profile: Description longer than %llu bytes",
		                      (unsigned long long)lim->string_max_bytes);
	if (!p->guid || strlen(p->guid) != 32 ||
	    strspn(p->guid, "0123456789abcdef") != 32)
		return swim_error_set(SWIM_EINVAL,
		                      "image profile '%s': GUID '%s' is not 32 lower-case hex digits",
		                      p->name, p->guid ? p->guid : "");
	if (p->acceptance == SWIM_ACCEPTANCE_UNKNOWN)
		return swim_error_set(SWIM_EINVAL,
		                      "image profile '%s': no acceptance level", p->name);
	if (!p->creation_time || !iso_time_ok(p->creation_time) ||
	    !p->modified_time || !iso_time_ok(p->modified_time))
		return swim_error_set(SWIM_EINVAL,
		                      "image profile '%s': times must be YYYY-MM-DDTHH:MM:SSZ",
		                      p->name);
	for (size_t i = 0; i < p->n_rules; i++)
		if ((rc = check_text("rule name", p->rules[i].name,
		                     SWIM_PROFILE_NAME_MAX, true)) < 0 ||
		    (rc = check_text("rule value", p->rules[i].value, 0, false)) < 0)
			return rc;
	if (p->n_vib_ids > lim->depot_max_packages)
		return swim_error_set(SWIM_ELIMIT,
		                      "image profile '%s': more than %llu packages",
		                      p->name,
		                      (unsigned long long)lim->depot_max_packages);
	for (size_t i = 0; i < p->n_vib_ids; i++) {
		if (!vib_id_ok(p->vib_ids[i], lim))
			return swim_error_set(SWIM_EINVAL,
			                      "image profile '%s': '%s' is not a package id "
			                      "(vendor_type_name_version)",
			                      p->name, p->vib_ids[i]);
		if (i && strcmp(p->vib_ids[i - 1], p->vib_ids[i]) >= 0)
			return swim_error_set(SWIM_EINVAL,
			                      "image profile '%s': package %s listed twice "
			                      "or out of order", p->name, p->vib_ids[i]);
	}
	return 0;
}

swim_acceptance swim_profile_lowest_acceptance(const swim_package *const *pkgs,
                                               size_t n)
{
	swim_acceptance low = SWIM_ACCEPTANCE_CERTIFIED;

	for (size_t i = 0; i < n; i++)
		if (pkgs[i]->acceptance < low)
			low = pkgs[i]->acceptance;
	return low;
}
