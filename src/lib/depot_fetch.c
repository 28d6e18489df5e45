/* Fetching one package from a depot: download (or copy out of the
 * bundle) into a temporary file next to the destination, check it
 * against the metadata (size, sha-256), then as a package (descriptor
 * equal to the metadata's copy, every payload intact), and only then
 * put it in place. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/depot_private.h"
#include "lib/zip.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

struct job {
	const swim_depot *d;
	const swim_package *pkg;
	swim_buf meta;     /* "METADATA.zip: vibs/X.xml", for messages */
	swim_buf path;     /* the .vib, depot-relative */
	swim_buf shown;    /* the .vib's URL (no credentials) or file */
	swim_buf src;      /* the .vib's URL (with credentials) or file */
};

static size_t index_of(const swim_depot *d, const swim_package *pkg)
{
	size_t lo = 0, hi = d->c.n_pkgs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(d->c.pkgs[mid]->id, pkg->id);

		if (c == 0)
			return d->c.pkgs[mid] == pkg ? mid : d->c.n_pkgs;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return d->c.n_pkgs;
}

static int job_init(struct job *j, const swim_depot *d,
                    const swim_package *pkg)
{
	size_t i = index_of(d, pkg);
	swim_buf dir = SWIM_BUF_INIT(0);
	const char *meta;
	int rc;

	if (i == d->c.n_pkgs)
		return swim_error_set(SWIM_EINVAL,
		                      "package %s is not one of depot %s's",
		                      pkg->id, d->name);
	meta = d->c.metas[d->c.pkg_meta[i]];
	if ((rc = swim_buf_printf(&j->meta, "%s: %s", meta,
	                          d->c.pkg_member[i])) < 0 ||
	    (rc = swim_depot_dirname(&dir, meta)) < 0)
		goto out;
	if ((rc = swim_depot_resolve(&j->path, dir.ptr, pkg->relative_path,
	                             "<relative-path>")) < 0) {
		rc = swim_error_prefix("%s: ", j->meta.ptr);
		goto out;
	}
	if ((rc = swim_depot_source(&j->src, d, j->path.ptr)) < 0)
		goto out;
	if (d->kind == SWIM_DEPOT_URL)
		rc = swim_url_redact(&j->shown, j->src.ptr);
	else if (d->kind == SWIM_DEPOT_ZIP)
		rc = swim_buf_printf(&j->shown, "%s:%s", d->root, j->path.ptr);
	else
		rc = swim_buf_puts(&j->shown, j->src.ptr);
out:
	swim_buf_dispose(&dir);
	return rc;
}

static void job_dispose(struct job *j)
{
	swim_buf_dispose(&j->meta);
	swim_buf_dispose(&j->path);
	swim_buf_dispose(&j->shown);
	swim_buf_dispose(&j->src);
}

/* Copies the bundle member into fd. */
static int copy_member(int fd, const struct job *j, uint64_t max,
                       const char *tmp)
{
	swim_zip *z = NULL;
	const char *name;
	uint64_t size;
	int rc;

	if ((rc = swim_zip_open_file(&z, j->d->root, j->d->root,
	                             &j->d->lim)) < 0)
		return rc;
	while ((rc = swim_zip_next(z, &name, &size)) == 1)
		if (strcmp(name, j->path.ptr) == 0)
			break;
	if (rc == 0)
		rc = swim_error_set(SWIM_ENOTFOUND, "%s: there is no %s in the bundle",
		                    j->d->root, j->path.ptr);
	else if (rc == 1)
		rc = swim_zip_copy(z, fd, max, tmp);
	swim_zip_free(z);
	return rc;
}

/* Size and sha-256 of the file at path against the metadata. */
static int check_file(const struct job *j, const char *path)
{
	char sum[SWIM_DIGEST_HEX_MAX];
	uint64_t size;
	int rc;

	if ((rc = swim_depot_hash_file(sum, &size, path)) < 0)
		return rc;
	if (size != j->pkg->packed_size)
		return swim_error_set(SWIM_ECHECKSUM,
		                      "%s is %llu bytes, but %s says %llu",
		                      j->shown.ptr, (unsigned long long)size,
		                      j->meta.ptr,
		                      (unsigned long long)j->pkg->packed_size);
	if (!swim_str_ieq(sum, j->pkg->vib_checksum->value))
		return swim_error_set(SWIM_ECHECKSUM,
		                      "%s has sha-256 %s, but %s says %s",
		                      j->shown.ptr, sum, j->meta.ptr,
		                      j->pkg->vib_checksum->value);
	return 0;
}

/* The first field in which the .vib's descriptor and the metadata's copy
 * differ, for the message. */
static const char *difference(const swim_package *a, const swim_package *b)
{
	if (!swim_str_eq(a->name, b->name))
		return "name";
	if (!swim_str_eq(a->version, b->version))
		return "version";
	if (!swim_str_eq(a->vendor, b->vendor))
		return "vendor";
	if (!swim_str_eq(a->type, b->type))
		return "type";
	if (a->acceptance != b->acceptance)
		return "acceptance level";
	if (!swim_str_eq(a->summary, b->summary) ||
	    !swim_str_eq(a->description, b->description))
		return "summary or description";
	if (a->n_depends != b->n_depends || a->n_conflicts != b->n_conflicts ||
	    a->n_replaces != b->n_replaces || a->n_provides != b->n_provides)
		return "relationships";
	if (a->n_payloads != b->n_payloads)
		return "payloads";
	if (a->n_files != b->n_files)
		return "file list";
	return "another field";
}

/* The .vib's descriptor must be the metadata's copy without its depot
 * fields. */
static int check_descriptor(const struct job *j, const swim_vib *vib)
{
	swim_package meta = *j->pkg;

	meta.relative_path = NULL;
	meta.packed_size = 0;
	meta.has_packed_size = false;
	meta.vib_checksum = NULL;
	meta.source_urls = NULL;
	meta.n_source_urls = 0;
	if (swim_package_equal(&meta, vib->pkg))
		return 0;
	return swim_error_set(SWIM_EINVAL,
	                      "%s disagrees with the descriptor of %s (%s)",
	                      j->meta.ptr, j->shown.ptr,
	                      difference(&meta, vib->pkg));
}

static int get(const struct job *j, int fd, const char *tmp)
{
	const swim_depot *d = j->d;
	uint64_t max = j->pkg->packed_size;
	swim_fetch_opts fo = d->fetch;
	int rc;

	switch (d->kind) {
	case SWIM_DEPOT_URL:
		/* Any byte beyond the packed size is already wrong. The
		 * download lands on tmp by its own temporary and rename, so
		 * fd is left with the empty file it replaced. */
		fo.max_bytes = max ? max : 1;
		if (fo.max_bytes > d->lim.download_max_bytes)
			fo.max_bytes = d->lim.download_max_bytes;
		(void)fd;
		rc = swim_fetch_file(NULL, j->src.ptr, tmp, NULL, NULL, &fo);
		if (rc == SWIM_ELIMIT)
			rc = swim_error_prefix("larger than %s says (%llu bytes): ",
			                       j->meta.ptr, (unsigned long long)max);
		return rc;
	case SWIM_DEPOT_DIR:
		rc = swim_fs_copy(fd, j->src.ptr, max, tmp);
		if (rc == SWIM_ELIMIT)
			rc = swim_error_prefix("larger than %s says: ", j->meta.ptr);
		return rc;
	default:
		return copy_member(fd, j, max, tmp);
	}
}

int swim_depot_fetch(swim_vib **out, const swim_depot *d,
                     const swim_package *pkg, const char *dest,
                     const swim_vib_options *vopt)
{
	struct job j = { .d = d, .pkg = pkg };
	swim_vib_options vo = vopt ? *vopt : (swim_vib_options){ 0 };
	swim_fs_atomic a = { .fd = -1, .tmp = SWIM_BUF_INIT(0) };
	swim_vib *vib = NULL;
	int rc;

	*out = NULL;
	swim_buf_init(&j.meta, 0);
	swim_buf_init(&j.path, 0);
	swim_buf_init(&j.shown, 0);
	swim_buf_init(&j.src, 0);
	if (!vo.lim)
		vo.lim = &d->lim;
	if ((rc = job_init(&j, d, pkg)) < 0 ||
	    (rc = swim_fs_atomic_begin(&a, dest)) < 0)
		goto out;
	if ((rc = get(&j, a.fd, a.tmp.ptr)) < 0) {
		if (rc == SWIM_ENOTFOUND)
			rc = swim_error_prefix("%s names %s, which the depot does not have: ",
			                       j.meta.ptr, j.path.ptr);
		goto out;
	}
	if ((rc = check_file(&j, a.tmp.ptr)) < 0 ||
	    (rc = swim_vib_open_named(&vib, a.tmp.ptr, j.shown.ptr, &vo)) < 0 ||
	    (rc = check_descriptor(&j, vib)) < 0 ||
	    (rc = swim_vib_verify(vib)) < 0 ||
	    (rc = swim_fs_atomic_commit(&a, 0644)) < 0)
		goto out;
	*out = vib;
	vib = NULL;
out:
	swim_fs_atomic_abort(&a);
	swim_vib_free(vib);
	job_dispose(&j);
	return rc;
}
