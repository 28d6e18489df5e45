/* The depots configured on a host (`swim depot add|list|remove|enable|
 * disable`); commands that take -d use the enabled ones when -d is
 * absent. */
#include <stdlib.h>
#include <string.h>

#include "lib/host_private.h"
#include "swim/error.h"
#include "swim/history.h"
#include "util/str.h"
#include "util/time.h"

static int check_name(const swim_host *h, const char *name)
{
	size_t len = name ? strlen(name) : 0;

	if (len == 0)
		return swim_error_set(SWIM_EINVAL, "a depot needs a name");
	if (len > h->limits.name_max_bytes)
		return swim_error_set(SWIM_ELIMIT,
		                      "depot name is %zu bytes, longer than the "
		                      "limit of %llu (name_max_bytes)", len,
		                      (unsigned long long)h->limits.name_max_bytes);
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		             (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || !strchr("._-", c)))
			return swim_error_set(SWIM_EINVAL,
			                      "depot name '%.*s' may only hold letters, "
			                      "digits, '.', '_' and '-', and starts with "
			                      "a letter or digit", (int)(len > 80 ? 80 : len),
			                      name);
	}
	return 0;
}

static int check_url(const swim_host *h, const char *url)
{
	static const char *const schemes[] = { "http://", "https://", "file:///" };
	size_t len = url ? strlen(url) : 0;

	if (len == 0)
		return swim_error_set(SWIM_EINVAL, "a depot needs a URL or path");
	if (len > h->limits.string_max_bytes)
		return swim_error_set(SWIM_ELIMIT,
		                      "depot URL is %zu bytes, longer than the limit "
		                      "of %llu (string_max_bytes)", len,
		                      (unsigned long long)h->limits.string_max_bytes);
	if (swim_str_has_ctrl(url, len, false) || !swim_str_is_utf8(url, len) ||
	    strchr(url, ' '))
		return swim_error_set(SWIM_EINVAL,
		                      "depot URL contains blanks, control characters "
		                      "or invalid UTF-8");
	if (url[0] == '/')
		return 0;
	for (size_t i = 0; i < SWIM_ARRAY_SIZE(schemes); i++) {
		size_t n = strlen(schemes[i]);

		if (strncmp(url, schemes[i], n) == 0 && url[n] != '\0')
			return 0;
	}
	return swim_error_set(SWIM_EINVAL,
	                      "depot '%.200s' is neither an http://, https:// or "
	                      "file:/// URL nor an absolute path", url);
}

/* The name of the depot with this URL, or NULL. */
static int depot_by_url(char **out, swim_host *h, const char *url)
{
	char **v = NULL;
	size_t n = 0;
	int rc = swim_host__strv_query(&v, &n, h,
	                               "SELECT name FROM depots WHERE url = ?", url,
	                               NULL);

	*out = NULL;
	if (rc == 0 && n > 0) {
		*out = v[0];
		v[0] = NULL;
	}
	swim_host_strv_free(v, n);
	return rc;
}

static int depot_exists(bool *out, swim_host *h, const char *name)
{
	int64_t n;
	int rc = swim_host__int_query(&n, h,
	                              "SELECT count(*) FROM depots WHERE name = ?",
	                              name);

	*out = rc == 0 && n > 0;
	return rc;
}

/* "Depot 'NAME' <what>." in the history. */
static int depot_note(swim_host *h, const char *op, const char *name,
                      const char *what)
{
	swim_buf msg = SWIM_BUF_INIT(0);
	int rc = swim_buf_printf(&msg, "Depot '%s' %s.", name, what);

	if (rc == 0)
		rc = swim_history_record(h, op, SWIM_HISTORY_SUCCESS, msg.ptr);
	swim_buf_dispose(&msg);
	return rc;
}

int swim_host_depot_add(swim_host *h, const char *name, const char *url)
{
	char now[SWIM_TIME_ISO_SIZE], *other = NULL;
	sqlite3_stmt *st = NULL;
	bool exists;
	int rc;

	if ((rc = check_name(h, name)) < 0 || (rc = check_url(h, url)) < 0 ||
	    (rc = swim_time_now_iso(now)) < 0 || (rc = swim_host_begin(h)) < 0)
		return rc;
	if ((rc = depot_exists(&exists, h, name)) < 0 ||
	    (rc = depot_by_url(&other, h, url)) < 0)
		goto out;
	if (exists) {
		rc = swim_error_set(SWIM_EEXISTS, "a depot named '%s' exists already",
		                    name);
		goto out;
	}
	if (other) {
		rc = swim_error_set(SWIM_EEXISTS,
		                    "depot '%s' has the same URL already", other);
		goto out;
	}
	if ((rc = swim_host__prepare(h, &st,
	                             "INSERT INTO depots (name, url, enabled, added)"
	                             " VALUES (?, ?, 1, ?)")) < 0 ||
	    (rc = swim_host__bind_text(h, st, 1, name)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 2, url)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 3, now)) < 0 ||
	    (rc = swim_host__step_done(h, st)) < 0 ||
	    (rc = depot_note(h, "depot add", name, "added")) < 0)
		goto out;
out:
	sqlite3_finalize(st);
	free(other);
	return swim_host__finish(h, rc);
}

/* Runs `sql` with the depot name as its one parameter; SWIM_ENOTFOUND
 * when it changed nothing. */
static int depot_change(swim_host *h, const char *name, const char *sql,
                        const char *op, const char *what)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (!name)
		return swim_error_set(SWIM_EINVAL, "a depot needs a name");
	if ((rc = swim_host_begin(h)) < 0)
		return rc;
	if ((rc = swim_host__prepare(h, &st, sql)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 1, name)) < 0 ||
	    (rc = swim_host__step_done(h, st)) < 0)
		goto out;
	if (sqlite3_changes(h->db) == 0) {
		rc = swim_error_set(SWIM_ENOTFOUND, "no depot named '%s'", name);
		goto out;
	}
	rc = depot_note(h, op, name, what);
out:
	sqlite3_finalize(st);
	return swim_host__finish(h, rc);
}

int swim_host_depot_remove(swim_host *h, const char *name)
{
	return depot_change(h, name, "DELETE FROM depots WHERE name = ?",
	                    "depot remove", "removed");
}

int swim_host_depot_enable(swim_host *h, const char *name, bool enabled)
{
	return depot_change(h, name,
	                    enabled ? "UPDATE depots SET enabled = 1 WHERE name = ?"
	                            : "UPDATE depots SET enabled = 0 WHERE name = ?",
	                    enabled ? "depot enable" : "depot disable",
	                    enabled ? "enabled" : "disabled");
}

void swim_host_depot_list_free(swim_host_depot *v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].url);
		free(v[i].added);
	}
	free(v);
}

static int depot_row(void *elem, sqlite3_stmt *st, swim_host *h)
{
	swim_host_depot *d = elem;
	int rc;

	(void)h;
	d->enabled = sqlite3_column_int(st, 2) != 0;
	if ((rc = swim_host__column_text(&d->name, st, 0)) < 0 ||
	    (rc = swim_host__column_text(&d->url, st, 1)) < 0)
		return rc;
	return swim_host__column_text(&d->added, st, 3);
}

int swim_host_depot_list(swim_host_depot **out, size_t *n_out, swim_host *h,
                         bool enabled_only)
{
	sqlite3_stmt *st = NULL;
	void *v = NULL;
	size_t n = 0;
	int rc;

	*out = NULL;
	*n_out = 0;
	if ((rc = swim_host__prepare(h, &st,
	                             enabled_only
	                             ? "SELECT name, url, enabled, added FROM depots"
	                               " WHERE enabled = 1 ORDER BY name"
	                             : "SELECT name, url, enabled, added FROM depots"
	                               " ORDER BY name")) == 0)
		rc = swim_host__rows(&v, &n, sizeof(swim_host_depot), h, st,
		                     depot_row);
	sqlite3_finalize(st);
	if (rc < 0) {
		swim_host_depot_list_free(v, n);
		return rc;
	}
	*out = v;
	*n_out = n;
	return 0;
}
