/* The payload store's index: which payloads ROOT/var/lib/swim/store
 * holds, and which image slots need them. */
#include <string.h>

#include "lib/host_private.h"
#include "swim/error.h"
#include "swim/store.h"
#include "util/time.h"

static int check_sha(const char *sha256)
{
	size_t len = sha256 ? strlen(sha256) : 0;

	if (len != 64 || strspn(sha256, "0123456789abcdef") != 64)
		return swim_error_set(SWIM_EINVAL,
		                      "'%.80s' is not a sha-256 in lower-case hex",
		                      sha256 ? sha256 : "");
	return 0;
}

int swim_store_relpath(swim_buf *out, const char *sha256)
{
	int rc = check_sha(sha256);

	return rc ? rc : swim_buf_printf(out, "store/%.2s/%s", sha256, sha256);
}

int swim_store_get(bool *present, uint64_t *size, swim_host *h,
                   const char *sha256)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*present = false;
	if (size)
		*size = 0;
	if ((rc = check_sha(sha256)) < 0)
		return rc;
	if ((rc = swim_host__prepare(h, &st,
	                             "SELECT size FROM store WHERE sha256 = ?")) == 0 &&
	    (rc = swim_host__bind_text(h, st, 1, sha256)) == 0 &&
	    (rc = swim_host__step(h, st)) > 0) {
		*present = true;
		if (size)
			*size = (uint64_t)sqlite3_column_int64(st, 0);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

int swim_store_add(swim_host *h, const char *sha256, uint64_t size)
{
	char now[SWIM_TIME_ISO_SIZE];
	sqlite3_stmt *st = NULL;
	uint64_t old;
	bool present;
	int rc;

	if (size > INT64_MAX)
		return swim_error_set(SWIM_EINVAL, "payload size too large");
	if ((rc = swim_time_now_iso(now)) < 0 ||
	    (rc = swim_host__need_write(h)) < 0 ||
	    (rc = swim_store_get(&present, &old, h, sha256)) < 0)
		return rc;
	if (present)
		return old == size ? 0 :
		       swim_error_set(SWIM_ECONFLICT, "payload %s is in the store "
		                      "with %llu bytes, not %llu", sha256,
		                      (unsigned long long)old,
		                      (unsigned long long)size);
	if ((rc = swim_host_begin(h)) < 0)
		return rc;
	if ((rc = swim_host__prepare(h, &st,
	                             "INSERT INTO store (sha256, size, added)"
	                             " VALUES (?, ?, ?)")) == 0 &&
	    (rc = swim_host__bind_text(h, st, 1, sha256)) == 0 &&
	    (rc = swim_host__bind_i64(h, st, 2, (int64_t)size)) == 0 &&
	    (rc = swim_host__bind_text(h, st, 3, now)) == 0)
		rc = swim_host__step_done(h, st);
	sqlite3_finalize(st);
	return swim_host__finish(h, rc);
}

int swim_store_refs(unsigned *slots, swim_host *h, const char *sha256)
{
	char **names = NULL;
	size_t n = 0;
	int rc;

	*slots = 0;
	if ((rc = check_sha(sha256)) < 0 ||
	    (rc = swim_host__strv_query(&names, &n, h,
	                                "SELECT DISTINCT i.slot FROM package_payloads pp"
	                                " JOIN image_packages i ON i.pkg = pp.pkg"
	                                " WHERE pp.sha256 = ?", sha256, NULL)) < 0)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		swim_image_slot slot;

		if ((rc = swim_host__slot_parse(&slot, names[i])) == 0)
			*slots |= SWIM_STORE_REF(slot);
	}
	swim_host_strv_free(names, n);
	return rc;
}

int swim_store_garbage(char ***out, size_t *n_out, swim_host *h)
{
	return swim_host__strv_query(out, n_out, h,
	                             "SELECT s.sha256 FROM store s WHERE NOT EXISTS"
	                             " (SELECT 1 FROM package_payloads pp"
	                             "  JOIN image_packages i ON i.pkg = pp.pkg"
	                             "  WHERE pp.sha256 = s.sha256)"
	                             " ORDER BY s.sha256", NULL, NULL);
}

int swim_store_missing(char ***out, size_t *n_out, swim_host *h,
                       swim_image_slot slot)
{
	const char *name;
	int rc;

	*out = NULL;
	*n_out = 0;
	if ((rc = swim_host__slot(&name, slot)) < 0)
		return rc;
	return swim_host__strv_query(out, n_out, h,
	                             "SELECT DISTINCT pp.sha256 FROM package_payloads pp"
	                             " JOIN image_packages i ON i.pkg = pp.pkg"
	                             " WHERE i.slot = ? AND pp.sha256 IS NOT NULL"
	                             " AND pp.sha256 NOT IN (SELECT sha256 FROM store)"
	                             " ORDER BY pp.sha256", name, NULL);
}

int swim_store_remove(swim_host *h, const char *sha256)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = check_sha(sha256)) < 0 || (rc = swim_host_begin(h)) < 0)
		return rc;
	if ((rc = swim_host__prepare(h, &st,
	                             "DELETE FROM store WHERE sha256 = ?")) == 0 &&
	    (rc = swim_host__bind_text(h, st, 1, sha256)) == 0 &&
	    (rc = swim_host__step_done(h, st)) == 0 && sqlite3_changes(h->db) == 0)
		rc = swim_error_set(SWIM_ENOTFOUND, "payload %s is not in the store",
		                    sha256);
	sqlite3_finalize(st);
	return swim_host__finish(h, rc);
}

int swim_store_usage(uint64_t *n_payloads, uint64_t *bytes, swim_host *h)
{
	int64_t n = 0, sum = 0;
	int rc;

	if ((rc = swim_host__int_query(&n, h, "SELECT count(*) FROM store",
	                               NULL)) == 0)
		rc = swim_host__int_query(&sum, h, "SELECT coalesce(sum(size), 0)"
		                          " FROM store", NULL);
	*n_payloads = (uint64_t)n;
	*bytes = (uint64_t)sum;
	return rc;
}
