/* Installed-package records: the descriptor as swim_descriptor_write()
 * writes it (so every field survives), indexed columns, the proven
 * acceptance level, signer, install date and source, the files and the
 * payloads. */
#include <stdlib.h>
#include <string.h>

#include "lib/host_private.h"
#include "swim/error.h"
#include "swim/resolve.h"
#include "util/str.h"
#include "util/time.h"

void swim_host_package_free(swim_host_package *p)
{
	if (!p)
		return;
	swim_package_free(p->pkg);
	free(p->signer);
	free(p->source);
	free(p);
}

void swim_host_package_list_free(swim_host_package **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		swim_host_package_free(v[i]);
	free(v);
}

/* The columns record_read() expects, from packages aliased p. */
#define RECORD_COLUMNS \
	"p.pkg, p.descriptor, p.acceptance, p.signer, p.install_date, p.source"

/* A record from a row of RECORD_COLUMNS. */
static int record_read(void *elem, sqlite3_stmt *st, swim_host *h)
{
	swim_host_package **out = elem;
	swim_host_package *p = calloc(1, sizeof(*p));
	const char *xml = (const char *)sqlite3_column_text(st, 1);
	int rc;

	*out = NULL;
	if (!p)
		return swim_error_oom();
	p->record = sqlite3_column_int64(st, 0);
	if ((rc = swim_descriptor_read_named(&p->pkg, xml ? xml : "",
	                                     (size_t)sqlite3_column_bytes(st, 1),
	                                     &h->limits, "stored descriptor")) < 0) {
		rc = swim_error_prefix("%s: package record %lld: ", h->shown_db,
		                       (long long)p->record);
		goto out;
	}
	if ((rc = swim_acceptance_parse(&p->proven,
	                                (const char *)sqlite3_column_text(st, 2))) < 0 ||
	    (rc = swim_host__column_text(&p->signer, st, 3)) < 0 ||
	    (rc = swim_str_set(&p->pkg->install_date,
	                       (const char *)sqlite3_column_text(st, 4))) < 0 ||
	    (rc = swim_host__column_text(&p->source, st, 5)) < 0)
		goto out;
	if (p->source && !p->pkg->n_source_urls) {
		if (!(p->pkg->source_urls = calloc(1, sizeof(char *))) ||
		    !(p->pkg->source_urls[0] = swim_strdup(p->source))) {
			rc = swim_error_oom();
			goto out;
		}
		p->pkg->n_source_urls = 1;
	}
	*out = p;
	p = NULL;
out:
	swim_host_package_free(p);
	return rc;
}

/* Every record a prepared query returns, in order. */
static int records_collect(swim_host_package ***out, size_t *n_out,
                           swim_host *h, sqlite3_stmt *st)
{
	void *v = NULL;
	size_t n = 0;
	int rc = swim_host__rows(&v, &n, sizeof(swim_host_package *), h, st,
	                         record_read);

	*out = NULL;
	*n_out = 0;
	if (rc < 0) {
		swim_host_package_list_free(v, n);
		return rc;
	}
	*out = v;
	*n_out = n;
	return 0;
}

int swim_host_package_get(swim_host_package **out, swim_host *h,
                          int64_t record)
{
	sqlite3_stmt *st = NULL;
	swim_host_package **v = NULL;
	size_t n = 0;
	int rc;

	*out = NULL;
	if ((rc = swim_host__prepare(h, &st, "SELECT " RECORD_COLUMNS
	                             " FROM packages p WHERE p.pkg = ?")) < 0 ||
	    (rc = swim_host__bind_i64(h, st, 1, record)) < 0 ||
	    (rc = records_collect(&v, &n, h, st)) < 0)
		goto out;
	if (n == 0) {
		rc = swim_error_set(SWIM_ENOTFOUND, "no package record %lld",
		                    (long long)record);
		goto out;
	}
	*out = v[0];
	v[0] = NULL;
out:
	swim_host_package_list_free(v, n);
	sqlite3_finalize(st);
	return rc;
}

int swim_image_packages(swim_host_package ***out, size_t *n_out,
                        swim_host *h, swim_image_slot slot)
{
	sqlite3_stmt *st = NULL;
	const char *name;
	bool exists;
	int rc;

	*out = NULL;
	*n_out = 0;
	if ((rc = swim_host__slot(&name, slot)) < 0 ||
	    (rc = swim_image_exists(&exists, h, slot)) < 0)
		return rc;
	if (!exists)
		return swim_error_set(SWIM_ENOTFOUND, "there is no %s image", name);
	if ((rc = swim_host__prepare(h, &st, "SELECT " RECORD_COLUMNS
	                             " FROM image_packages i JOIN packages p"
	                             " ON p.pkg = i.pkg WHERE i.slot = ?"
	                             " ORDER BY i.name")) == 0 &&
	    (rc = swim_host__bind_text(h, st, 1, name)) == 0)
		rc = records_collect(out, n_out, h, st);
	sqlite3_finalize(st);
	return rc;
}

bool swim_image_spec_matches(const swim_package *pkg, const char *spec)
{
	/* One rule with the resolver, so that `vib get -n` and `vib remove
	 * -n` always pick the same packages. */
	return spec && (swim_str_eq(spec, pkg->id) ||
	                swim_resolve_spec_matches(spec, pkg));
}

int swim_image_find(swim_host_package ***out, size_t *n_out, swim_host *h,
                    swim_image_slot slot, const char *spec)
{
	swim_host_package **v = NULL;
	size_t n = 0, kept = 0;
	int rc;

	*out = NULL;
	*n_out = 0;
	if ((rc = swim_image_packages(&v, &n, h, slot)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (swim_image_spec_matches(v[i]->pkg, spec)) {
			v[kept++] = v[i];
			continue;
		}
		swim_host_package_free(v[i]);
	}
	if (kept == 0) {
		free(v);
		return swim_error_set(SWIM_ENOTFOUND,
		                      "No VIB matching VIB search specification '%s'.",
		                      spec ? spec : "");
	}
	*out = v;
	*n_out = kept;
	return 0;
}

/* ---- adding a record --------------------------------------------------- */

static bool file_type_ok(swim_file_type t)
{
	return t == SWIM_FILE_REGULAR || t == SWIM_FILE_DIRECTORY ||
	       t == SWIM_FILE_SYMLINK || t == SWIM_FILE_CHAR ||
	       t == SWIM_FILE_BLOCK || t == SWIM_FILE_FIFO;
}

/* Paths are relative to the root, with no empty, '.' or '..' component. */
static int check_file(const swim_host_file *f, const swim_limits *lim)
{
	const char *p = f->path;
	size_t len = p ? strlen(p) : 0;

	if (len == 0 || len > lim->archive_path_max_bytes || p[0] == '/' ||
	    swim_str_has_ctrl(p, len, false))
		return swim_error_set(SWIM_EINVAL, "file '%.200s': not a relative "
		                      "path inside the root", p ? p : "");
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return swim_error_set(SWIM_EINVAL, "file '%.200s': empty, '.' "
			                      "or '..' path component", f->path);
		p += n + (slash != NULL);
	}
	if (!file_type_ok(f->type))
		return swim_error_set(SWIM_EINVAL, "file '%.200s': unknown type",
		                      f->path);
	if (f->mode > 07777)
		return swim_error_set(SWIM_EINVAL, "file '%.200s': mode %o has more "
		                      "than permission bits", f->path, f->mode);
	return 0;
}

static int insert_payloads(swim_host *h, int64_t record,
                           const swim_package *pkg)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = swim_host__prepare(h, &st,
	                             "INSERT INTO package_payloads (pkg, name, sha256, size)"
	                             " VALUES (?, ?, ?, ?)")) < 0)
		return rc;
	for (size_t i = 0; i < pkg->n_payloads && rc == 0; i++) {
		const swim_payload *p = &pkg->payloads[i];
		const swim_checksum *c = swim_payload_checksum(p, "sha-256", NULL);

		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		if ((rc = swim_host__bind_i64(h, st, 1, record)) == 0 &&
		    (rc = swim_host__bind_text(h, st, 2, p->name)) == 0 &&
		    (rc = swim_host__bind_text(h, st, 3, c ? c->value : NULL)) == 0 &&
		    (!p->has_size ||
		     (rc = swim_host__bind_i64(h, st, 4, (int64_t)p->size)) == 0))
			rc = swim_host__step_done(h, st);
	}
	sqlite3_finalize(st);
	return rc;
}

static int insert_files(swim_host *h, int64_t record,
                        const swim_host_file *files, size_t n)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = swim_host__prepare(h, &st,
	                             "INSERT INTO files (pkg, path, type, mode, uid, gid,"
	                             " size, sha256, link_target, rdev, mtime, payload)"
	                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) < 0)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const swim_host_file *f = &files[i];
		char type[2] = { (char)f->type, '\0' };

		if ((rc = check_file(f, &h->limits)) < 0)
			break;
		sqlite3_reset(st);
		if ((rc = swim_host__bind_i64(h, st, 1, record)) < 0 ||
		    (rc = swim_host__bind_text(h, st, 2, f->path)) < 0 ||
		    (rc = swim_host__bind_text(h, st, 3, type)) < 0 ||
		    (rc = swim_host__bind_i64(h, st, 4, f->mode)) < 0 ||
		    (rc = swim_host__bind_i64(h, st, 5, f->uid)) < 0 ||
		    (rc = swim_host__bind_i64(h, st, 6, f->gid)) < 0 ||
		    (rc = swim_host__bind_i64(h, st, 7, (int64_t)f->size)) < 0 ||
		    (rc = swim_host__bind_text(h, st, 8, f->sha256)) < 0 ||
		    (rc = swim_host__bind_text(h, st, 9, f->link_target)) < 0 ||
		    (rc = swim_host__bind_i64(h, st, 10, (int64_t)f->rdev)) < 0 ||
		    (rc = swim_host__bind_i64(h, st, 11, f->mtime)) < 0 ||
		    (rc = swim_host__bind_text(h, st, 12, f->payload)) < 0)
			break;
		rc = swim_host__step_done(h, st);
		if (rc == SWIM_ECONFLICT)
			rc = swim_error_set(SWIM_ECONFLICT, "file '%.200s' is listed "
			                    "twice", f->path);
	}
	sqlite3_finalize(st);
	return rc;
}

int swim_host_package_add(int64_t *record, swim_host *h,
                          const swim_host_package *in,
                          const swim_host_file *files, size_t n_files)
{
	swim_buf xml = SWIM_BUF_INIT(0);
	swim_package *pkg = NULL;
	sqlite3_stmt *st = NULL;
	char now[SWIM_TIME_ISO_SIZE];
	int rc;

	*record = 0;
	if (!in || !in->pkg)
		return swim_error_set(SWIM_EINVAL, "no package to add");
	if (in->proven < SWIM_ACCEPTANCE_COMMUNITY ||
	    in->proven > SWIM_ACCEPTANCE_CERTIFIED)
		return swim_error_set(SWIM_EINVAL, "package %s: no proven "
		                      "acceptance level", in->pkg->name);
	if ((rc = swim_host_begin(h)) < 0)
		return rc;
	if ((rc = swim_package_copy(&pkg, in->pkg)) < 0 ||
	    (rc = swim_package_update_id(pkg)) < 0 ||
	    (!pkg->install_date &&
	     ((rc = swim_time_now_iso(now)) < 0 ||
	      (rc = swim_str_set(&pkg->install_date, now)) < 0)) ||
	    (rc = swim_descriptor_write(&xml, pkg, true)) < 0)
		goto out;
	if ((rc = swim_host__prepare(h, &st,
	                             "INSERT INTO packages (vib_id, name, version, vendor,"
	                             " type, claimed_acceptance, acceptance, signer,"
	                             " install_date, source, descriptor)"
	                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) < 0 ||
	    (rc = swim_host__bind_text(h, st, 1, pkg->id)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 2, pkg->name)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 3, pkg->version)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 4, pkg->vendor)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 5, pkg->type)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 6,
	                               swim_acceptance_name(pkg->acceptance))) < 0 ||
	    (rc = swim_host__bind_text(h, st, 7,
	                               swim_acceptance_name(in->proven))) < 0 ||
	    (rc = swim_host__bind_text(h, st, 8, in->signer)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 9, pkg->install_date)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 10, in->source)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 11, xml.ptr)) < 0 ||
	    (rc = swim_host__step_done(h, st)) < 0)
		goto out;
	*record = sqlite3_last_insert_rowid(h->db);
	if ((rc = insert_payloads(h, *record, pkg)) < 0 ||
	    (rc = insert_files(h, *record, files, n_files)) < 0) {
		rc = swim_error_prefix("package %s: ", pkg->id);
		goto out;
	}
out:
	sqlite3_finalize(st);
	swim_package_free(pkg);
	swim_buf_dispose(&xml);
	if (rc < 0)
		*record = 0;
	return swim_host__finish(h, rc);
}

/* ---- files -------------------------------------------------------------- */

int swim_host_files_foreach(swim_host *h, int64_t record,
                            swim_host_file_fn fn, void *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = swim_host__prepare(h, &st,
	                             "SELECT f.path, f.type, f.mode, f.uid, f.gid, f.size,"
	                             " f.sha256, f.link_target, f.rdev, f.mtime, f.payload,"
	                             " p.vib_id FROM files f JOIN packages p ON p.pkg = f.pkg"
	                             " WHERE f.pkg = ? ORDER BY f.path")) < 0 ||
	    (rc = swim_host__bind_i64(h, st, 1, record)) < 0)
		goto out;
	while ((rc = swim_host__step(h, st)) > 0) {
		const unsigned char *type = sqlite3_column_text(st, 1);
		swim_host_file f = {
			.path = (const char *)sqlite3_column_text(st, 0),
			.type = (swim_file_type)(type ? type[0] : 0),
			.mode = (uint32_t)sqlite3_column_int64(st, 2),
			.uid = (uint32_t)sqlite3_column_int64(st, 3),
			.gid = (uint32_t)sqlite3_column_int64(st, 4),
			.size = (uint64_t)sqlite3_column_int64(st, 5),
			.sha256 = (const char *)sqlite3_column_text(st, 6),
			.link_target = (const char *)sqlite3_column_text(st, 7),
			.rdev = (uint64_t)sqlite3_column_int64(st, 8),
			.mtime = sqlite3_column_int64(st, 9),
			.payload = (const char *)sqlite3_column_text(st, 10),
			.vib_id = (const char *)sqlite3_column_text(st, 11),
		};

		if ((rc = fn(&f, ctx)) != 0)
			goto out;
	}
out:
	sqlite3_finalize(st);
	return rc;
}

int swim_host_files_count(uint64_t *out, swim_host *h, int64_t record)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*out = 0;
	if ((rc = swim_host__prepare(h, &st,
	                             "SELECT count(*) FROM files WHERE pkg = ?")) == 0 &&
	    (rc = swim_host__bind_i64(h, st, 1, record)) == 0 &&
	    (rc = swim_host__step(h, st)) > 0) {
		*out = (uint64_t)sqlite3_column_int64(st, 0);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

int swim_host_path_owners(char ***out, size_t *n_out, swim_host *h,
                          swim_image_slot slot, const char *path)
{
	const char *name;
	int rc;

	*out = NULL;
	*n_out = 0;
	if ((rc = swim_host__slot(&name, slot)) < 0)
		return rc;
	return swim_host__strv_query(out, n_out, h,
	                             "SELECT p.vib_id FROM files f"
	                             " JOIN image_packages i ON i.pkg = f.pkg"
	                             " JOIN packages p ON p.pkg = f.pkg"
	                             " WHERE i.slot = ?1 AND f.path = ?2"
	                             " ORDER BY p.vib_id", name, path);
}

int swim_image_shared_paths(char ***paths, int64_t **records, size_t *n_out,
                            swim_host *h, swim_image_slot slot)
{
	sqlite3_stmt *st = NULL;
	const char *name;
	char **pv = NULL;
	int64_t *rv = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*paths = NULL;
	*records = NULL;
	*n_out = 0;
	if ((rc = swim_host__slot(&name, slot)) < 0 ||
	    (rc = swim_host__prepare(h, &st,
	                             "SELECT f.path, f.pkg FROM files f"
	                             " JOIN image_packages i ON i.pkg = f.pkg"
	                             " WHERE i.slot = ?1 AND f.type != 'd'"
	                             " AND f.path IN (SELECT f2.path FROM files f2"
	                             "  JOIN image_packages i2 ON i2.pkg = f2.pkg"
	                             "  WHERE i2.slot = ?1 AND f2.type != 'd'"
	                             "  GROUP BY f2.path HAVING count(*) > 1)"
	                             " ORDER BY f.path, f.pkg")) < 0 ||
	    (rc = swim_host__bind_text(h, st, 1, name)) < 0)
		goto out;
	while ((rc = swim_host__step(h, st)) > 0) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **gp = realloc(pv, ncap * sizeof(*gp));
			int64_t *gr;

			if (!gp) {
				rc = swim_error_oom();
				goto out;
			}
			pv = gp;
			if (!(gr = realloc(rv, ncap * sizeof(*gr)))) {
				rc = swim_error_oom();
				goto out;
			}
			rv = gr;
			cap = ncap;
		}
		if ((rc = swim_host__column_text(&pv[n], st, 0)) < 0)
			goto out;
		rv[n++] = sqlite3_column_int64(st, 1);
	}
out:
	sqlite3_finalize(st);
	if (rc < 0) {
		swim_host_strv_free(pv, n);
		free(rv);
		return rc;
	}
	*paths = pv;
	*records = rv;
	*n_out = n;
	return 0;
}
