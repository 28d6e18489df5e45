/* Building a depot or an offline bundle from .vib files and image
 * profiles: every package is verified before it is published, its depot
 * copy gets the .vib's location, size and sha-256, and the documents
 * carry what other tools look for (vendor code, content type, product
 * id, platforms). Member order and times are fixed, so the same inputs
 * give the same bytes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/depot_private.h"
#include "lib/depot_xml.h"
#include "lib/zip.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

#define VENDOR_CODE_MAX 8

struct input {
	swim_package *pkg;      /* depot copy */
	const char *file;       /* the .vib given */
};

struct build {
	const swim_depot_build_opts *o;
	const swim_limits *lim;
	struct input *in;       /* sorted by package id */
	size_t n_in;
	swim_profile **profiles;  /* sorted by name */
	size_t n_profiles;
	swim_bulletin *bulletins;
	size_t n_bulletins;
	char *vendor_name;
	char *vendor_code;
	char timestamp[40];
	int64_t mtime;
	swim_buf metadata;      /* metadata.zip */
	swim_buf index;
	swim_buf vendor_index;
};

static void build_dispose(struct build *b)
{
	for (size_t i = 0; b->in && i < b->n_in; i++)
		swim_package_free(b->in[i].pkg);
	free(b->in);
	for (size_t i = 0; b->profiles && i < b->n_profiles; i++)
		swim_profile_free(b->profiles[i]);
	free(b->profiles);
	swim_bulletins_free(b->bulletins, b->n_bulletins);
	free(b->vendor_name);
	free(b->vendor_code);
	swim_buf_dispose(&b->metadata);
	swim_buf_dispose(&b->index);
	swim_buf_dispose(&b->vendor_index);
}

/* Opens, verifies and measures one .vib into its depot copy. */
static int read_vib(struct input *in, const char *file,
                    const swim_limits *lim)
{
	swim_vib_options vo = { .lim = lim };
	swim_vib *vib = NULL;
	swim_buf rel = SWIM_BUF_INIT(0);
	char sum[SWIM_DIGEST_HEX_MAX];
	uint64_t size;
	swim_checksum *c = NULL;
	int rc;

	in->file = file;
	/* No trust store: publishing does not decide levels, but a
	 * signature that does not match its descriptor is refused. */
	if ((rc = swim_vib_open(&vib, file, &vo)) < 0 ||
	    (rc = swim_vib_verify(vib)) < 0 ||
	    (rc = swim_depot_hash_file(sum, &size, file)) < 0 ||
	    (rc = swim_package_copy(&in->pkg, vib->pkg)) < 0)
		goto out;
	if ((rc = swim_buf_printf(&rel, "vib20/%s/%s.vib", in->pkg->name,
	                          in->pkg->id)) < 0)
		goto out;
	if (!(c = calloc(1, sizeof(*c))) || !(c->type = swim_strdup("sha-256")) ||
	    !(c->value = swim_strdup(sum))) {
		rc = swim_error_oom();
		goto out;
	}
	free(in->pkg->relative_path);
	in->pkg->relative_path = swim_buf_detach(&rel);
	in->pkg->packed_size = size;
	in->pkg->has_packed_size = true;
	in->pkg->vib_checksum = c;
	c = NULL;
	if (!in->pkg->relative_path)
		rc = swim_error_oom();
out:
	if (c) {
		free(c->type);
		free(c->value);
		free(c);
	}
	swim_buf_dispose(&rel);
	swim_vib_free(vib);
	return rc;
}

static int cmp_input(const void *a, const void *b)
{
	return strcmp(((const struct input *)a)->pkg->id,
	              ((const struct input *)b)->pkg->id);
}

/* Sorts the inputs by id; one id twice is an error naming both. */
static int order_inputs(struct build *b)
{
	qsort(b->in, b->n_in, sizeof(*b->in), cmp_input);
	for (size_t i = 1; i < b->n_in; i++)
		if (strcmp(b->in[i - 1].pkg->id, b->in[i].pkg->id) == 0)
			return swim_error_set(SWIM_EEXISTS,
			                      "%s and %s are both package %s",
			                      b->in[i - 1].file ? b->in[i - 1].file : "?",
			                      b->in[i].file ? b->in[i].file : "?",
			                      b->in[i].pkg->id);
	return 0;
}

static int count_inputs(struct build *b, size_t n)
{
	if (n == 0)
		return swim_error_set(SWIM_EINVAL, "a depot needs at least one package");
	if (n > b->lim->depot_max_packages)
		return swim_error_set(SWIM_ELIMIT,
		                      "more than depot_max_packages (%llu) packages",
		                      (unsigned long long)b->lim->depot_max_packages);
	if (!(b->in = calloc(n, sizeof(*b->in))))
		return swim_error_oom();
	return 0;
}

static int read_vibs(struct build *b, const char *const *vibs, size_t n)
{
	int rc;

	if ((rc = count_inputs(b, n)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if ((rc = read_vib(&b->in[i], vibs[i], b->lim)) < 0)
			return rc;
		b->n_in = i + 1;
	}
	return order_inputs(b);
}

/* Packages that are depot copies already; files may be NULL (a
 * metadata-only depot) or name each package's .vib. */
static int take_packages(struct build *b, const swim_package *const *pkgs,
                         const char *const *files, size_t n)
{
	int rc;

	if ((rc = count_inputs(b, n)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const swim_package *p = pkgs[i];

		if (!p->relative_path || !p->has_packed_size || !p->vib_checksum)
			return swim_error_set(SWIM_EINVAL,
			                      "package %s has no relative path, packed size and checksum",
			                      p->id);
		if ((rc = swim_package_copy(&b->in[i].pkg, p)) < 0)
			return rc;
		b->in[i].file = files ? files[i] : NULL;
		b->n_in = i + 1;
	}
	return order_inputs(b);
}

static const swim_package *find_pkg(const struct build *b, const char *id)
{
	size_t lo = 0, hi = b->n_in;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(b->in[mid].pkg->id, id);

		if (c == 0)
			return b->in[mid].pkg;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int cmp_profile(const void *a, const void *b)
{
	return strcmp((*(swim_profile *const *)a)->name,
	              (*(swim_profile *const *)b)->name);
}

/* A profile of the depot: it may name only the depot's packages. */
static int add_profile(struct build *b, swim_profile *p, const char *file)
{
	int rc;

	if ((rc = swim_profile_check(p, b->lim)) < 0) {
		swim_profile_free(p);
		return swim_error_prefix("%s: ", file);
	}
	b->profiles[b->n_profiles++] = p;
	for (size_t k = 0; k < p->n_vib_ids; k++)
		if (!find_pkg(b, p->vib_ids[k]))
			return swim_error_set(SWIM_ENOTFOUND,
			                      "%s: image profile '%s' names package %s, which is not among the packages of the depot",
			                      file, p->name, p->vib_ids[k]);
	return 0;
}

/* Sorted by name; names and GUIDs unique. */
static int order_profiles(struct build *b)
{
	size_t n = b->n_profiles;

	if (n)
		qsort(b->profiles, n, sizeof(*b->profiles), cmp_profile);
	for (size_t i = 1; i < n; i++)
		if (strcmp(b->profiles[i - 1]->name, b->profiles[i]->name) == 0)
			return swim_error_set(SWIM_EEXISTS,
			                      "two image profiles are called '%s'",
			                      b->profiles[i]->name);
	for (size_t i = 0; i < n; i++)
		for (size_t k = i + 1; k < n; k++)
			if (strcmp(b->profiles[i]->guid, b->profiles[k]->guid) == 0)
				return swim_error_set(SWIM_EEXISTS,
				                      "image profiles '%s' and '%s' share GUID %s",
				                      b->profiles[i]->name,
				                      b->profiles[k]->name,
				                      b->profiles[i]->guid);
	return 0;
}

static int read_profiles(struct build *b, const char *const *files, size_t n)
{
	swim_buf xml = SWIM_BUF_INIT(b->lim->depot_max_metadata_bytes);
	int rc = 0;

	if (n && !(b->profiles = calloc(n, sizeof(*b->profiles))))
		return swim_error_oom();
	for (size_t i = 0; i < n && rc == 0; i++) {
		swim_profile *p = NULL;

		swim_buf_clear(&xml);
		if ((rc = swim_fs_read_file(&xml, files[i])) < 0 ||
		    (rc = swim_profile_read(&p, xml.ptr, xml.len, b->lim)) < 0)
			rc = swim_error_prefix("%s: ", files[i]);
		else
			rc = add_profile(b, p, files[i]);
	}
	swim_buf_dispose(&xml);
	return rc < 0 ? rc : order_profiles(b);
}

static int take_profiles(struct build *b, const swim_profile *const *profiles,
                         size_t n)
{
	int rc = 0;

	if (n && !(b->profiles = calloc(n, sizeof(*b->profiles))))
		return swim_error_oom();
	for (size_t i = 0; i < n && rc == 0; i++) {
		swim_profile *p = NULL;

		if ((rc = swim_profile_copy(&p, profiles[i])) == 0)
			rc = add_profile(b, p, profiles[i]->name);
	}
	return rc < 0 ? rc : order_profiles(b);
}

/* ---- what real depots carry ------------------------------------------------ */

static int times(struct build *b)
{
	struct tm tm;
	time_t t = b->o->source_date_epoch >= 0 ? (time_t)b->o->source_date_epoch
	                                        : time(NULL);

	b->mtime = (int64_t)t;
	if (!gmtime_r(&t, &tm) ||
	    !strftime(b->timestamp, sizeof(b->timestamp),
	              "%Y-%m-%dT%H:%M:%S+00:00", &tm))
		return swim_error_set(SWIM_EINVAL, "cannot format the build time");
	return 0;
}

/* The vendor of index.xml: as given, else the packages' own when they
 * share one; the code, as given, else the name's letters and digits. */
static int vendor(struct build *b)
{
	const char *name = b->o->vendor_name;
	swim_buf code = SWIM_BUF_INIT(0);
	int rc = 0;

	if (!name) {
		name = b->in[0].pkg->vendor;
		for (size_t i = 1; i < b->n_in; i++)
			if (strcmp(b->in[i].pkg->vendor, name) != 0)
				name = "swim";
	}
	if (!(b->vendor_name = swim_strdup(name)))
		return SWIM_ENOMEM;
	if (b->o->vendor_code) {
		rc = swim_buf_puts(&code, b->o->vendor_code);
	} else {
		for (const char *p = name; *p && code.len < VENDOR_CODE_MAX && rc == 0; p++)
			if ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
				rc = swim_buf_putc(&code, *p);
			else if (*p >= 'a' && *p <= 'z')
				rc = swim_buf_putc(&code, (char)(*p - 'a' + 'A'));
		if (rc == 0 && code.len == 0)
			rc = swim_buf_puts(&code, "SWIM");
	}
	if (rc == 0 && (code.len == 0 || strpbrk(code.ptr, "/<>&\"' \t\r\n")))
		rc = swim_error_set(SWIM_EINVAL,
		                    "vendor code '%s' must be a word without '/' or markup",
		                    code.ptr);
	if (rc == 0 && !(b->vendor_code = swim_buf_detach(&code)))
		rc = swim_error_oom();
	swim_buf_dispose(&code);
	return rc;
}

static const char *platform_version(const struct build *b)
{
	return b->o->platform_version ? b->o->platform_version : "*";
}

static char *dup_or(const char *a, const char *b)
{
	return swim_strdup(a ? a : b);
}

/* One bulletin (an ESXi 7 component) per package. */
static int bulletin_for(swim_bulletin *bl, const struct build *b,
                        const swim_package *p)
{
	swim_buf id = SWIM_BUF_INIT(0);
	size_t np = p->n_platforms ? p->n_platforms : 1;
	int rc;

	if ((rc = swim_buf_printf(&id, "%s_%s", p->name, p->version)) < 0)
		goto out;
	bl->id = swim_buf_detach(&id);
	bl->vendor = swim_strdup(p->vendor);
	bl->summary = dup_or(p->summary, p->name);
	bl->description = dup_or(p->description, bl->summary);
	bl->severity = swim_strdup("general");
	bl->category = swim_strdup("enhancement");
	bl->urgency = swim_strdup("moderate");
	bl->release_type = swim_strdup("extension");
	bl->kb_url = p->n_urls ? swim_strdup(p->urls[0].url) : NULL;
	bl->release_date = dup_or(p->release_date, b->timestamp);
	bl->component_name = swim_strdup(p->name);
	bl->component_ui = dup_or(p->summary, p->name);
	bl->component_version = swim_strdup(p->version);
	bl->component_version_ui = swim_strdup(p->version);
	bl->platforms = calloc(np, sizeof(*bl->platforms));
	bl->vib_ids = calloc(1, sizeof(*bl->vib_ids));
	if (!bl->id || !bl->vendor || !bl->summary || !bl->description ||
	    !bl->severity || !bl->category || !bl->urgency ||
	    !bl->release_type || (p->n_urls && !bl->kb_url) ||
	    !bl->release_date || !bl->component_name || !bl->component_ui ||
	    !bl->component_version || !bl->component_version_ui ||
	    !bl->platforms || !bl->vib_ids) {
		rc = swim_error_oom();
		goto out;
	}
	for (size_t i = 0; i < np; i++) {
		const swim_platform *src = p->n_platforms ? &p->platforms[i] : NULL;
		swim_platform *dst = &bl->platforms[i];

		bl->n_platforms = i + 1;
		dst->product_line_id = dup_or(src ? src->product_line_id : NULL,
		                              SWIM_DEPOT_PRODUCT_ID);
		dst->version = dup_or(src ? src->version : NULL,
		                      platform_version(b));
		dst->locale = dup_or(src ? src->locale : NULL, "");
		if (!dst->product_line_id || !dst->version || !dst->locale) {
			rc = swim_error_oom();
			goto out;
		}
	}
	if (!(bl->vib_ids[0] = swim_strdup(p->id))) {
		rc = SWIM_ENOMEM;
		goto out;
	}
	bl->n_vib_ids = 1;
out:
	swim_buf_dispose(&id);
	return rc;
}

static int cmp_bulletin(const void *a, const void *b)
{
	return strcmp(((const swim_bulletin *)a)->id,
	              ((const swim_bulletin *)b)->id);
}

static int bulletins(struct build *b)
{
	int rc;

	if (!(b->bulletins = calloc(b->n_in, sizeof(*b->bulletins))))
		return swim_error_oom();
	for (size_t i = 0; i < b->n_in; i++) {
		b->n_bulletins = i + 1;
		if ((rc = bulletin_for(&b->bulletins[i], b, b->in[i].pkg)) < 0)
			return rc;
	}
	qsort(b->bulletins, b->n_bulletins, sizeof(*b->bulletins), cmp_bulletin);
	for (size_t i = 1; i < b->n_bulletins; i++)
		if (strcmp(b->bulletins[i - 1].id, b->bulletins[i].id) == 0)
			return swim_error_set(SWIM_EEXISTS,
			                      "packages %s and %s would make the same component %s",
			                      b->bulletins[i - 1].vib_ids[0],
			                      b->bulletins[i].vib_ids[0],
			                      b->bulletins[i].id);
	return 0;
}

/* index.xml and vendor-index.xml. */
static int indexes(struct build *b)
{
	swim_depot_vendor v = {
		.name = b->vendor_name, .code = b->vendor_code,
		.index_file = (char *)"vendor-index.xml",
		.content_name = (char *)"VMware ESX",
		.content_type = (char *)SWIM_DEPOT_CONTENT_TYPE,
	};
	swim_depot_channel c = {
		.product_id = (char *)SWIM_DEPOT_PRODUCT_ID,
		.version = (char *)platform_version(b),
		.url = (char *)"metadata.zip",
		.channel_name = (char *)"default",
	};
	int rc;

	if ((rc = swim_depot_index_write(&b->index, &v, 1)) < 0 ||
	    (rc = swim_depot_vendor_index_write(&b->vendor_index, &c, 1)) < 0)
		return rc;
	return 0;
}

/* metadata.zip: vendor-index.xml, vmware.xml, bulletins/, vibs/,
 * profiles/, in that order, each sorted. */
static int metadata(struct build *b)
{
	const swim_package **pkgs = NULL;
	swim_zip_writer *w = NULL;
	swim_buf doc = SWIM_BUF_INIT(0), name = SWIM_BUF_INIT(0);
	int rc;

	if (!(pkgs = calloc(b->n_in, sizeof(*pkgs))))
		return swim_error_oom();
	for (size_t i = 0; i < b->n_in; i++)
		pkgs[i] = b->in[i].pkg;
	if ((rc = swim_zip_writer_new_buf(&w, &b->metadata, b->mtime)) < 0 ||
	    (rc = swim_zip_add(w, "vendor-index.xml", b->vendor_index.ptr,
	                       b->vendor_index.len, true)) < 0 ||
	    (rc = swim_depot_vmware_write(&doc, b->timestamp, b->bulletins,
	                                  b->n_bulletins, pkgs, b->n_in)) < 0 ||
	    (rc = swim_zip_add(w, "vmware.xml", doc.ptr, doc.len, true)) < 0)
		goto out;
	for (size_t i = 0; i < b->n_bulletins; i++) {
		swim_buf_clear(&doc);
		swim_buf_clear(&name);
		if ((rc = swim_depot_bulletin_write(&doc, &b->bulletins[i])) < 0 ||
		    (rc = swim_buf_printf(&name, "bulletins/%s.xml",
		                          b->bulletins[i].id)) < 0 ||
		    (rc = swim_zip_add(w, name.ptr, doc.ptr, doc.len, true)) < 0)
			goto out;
	}
	for (size_t i = 0; i < b->n_in; i++) {
		swim_buf_clear(&doc);
		swim_buf_clear(&name);
		if ((rc = swim_descriptor_write(&doc, b->in[i].pkg, true)) < 0 ||
		    (rc = swim_buf_printf(&name, "vibs/%s.xml", b->in[i].pkg->id)) < 0 ||
		    (rc = swim_zip_add(w, name.ptr, doc.ptr, doc.len, true)) < 0)
			goto out;
	}
	for (size_t i = 0; i < b->n_profiles; i++) {
		swim_buf_clear(&doc);
		swim_buf_clear(&name);
		if ((rc = swim_profile_write(&doc, b->profiles[i])) < 0 ||
		    (rc = swim_buf_printf(&name, "profiles/%s.xml",
		                          b->profiles[i]->guid)) < 0 ||
		    (rc = swim_zip_add(w, name.ptr, doc.ptr, doc.len, true)) < 0)
			goto out;
	}
	rc = swim_zip_writer_close(w);
out:
	swim_zip_writer_free(w);
	free(pkgs);
	swim_buf_dispose(&doc);
	swim_buf_dispose(&name);
	return rc;
}

/* ---- output ------------------------------------------------------------------ */

/* A copy of src at path, appearing whole or not at all. */
static int copy_atomic(const char *path, const char *src, uint64_t size)
{
	swim_fs_atomic a;
	int rc;

	if ((rc = swim_fs_atomic_begin(&a, path)) < 0)
		return rc;
	if ((rc = swim_fs_copy(a.fd, src, size, path)) == 0)
		rc = swim_fs_atomic_commit(&a, 0644);
	swim_fs_atomic_abort(&a);
	return rc;
}

static int write_dir(struct build *b, const char *out)
{
	swim_buf path = SWIM_BUF_INIT(0), dir = SWIM_BUF_INIT(0);
	struct stat st;
	int rc;

	if ((rc = swim_fs_mkdir_p(out, 0755)) < 0 ||
	    (rc = swim_buf_printf(&path, "%s/index.xml", out)) < 0)
		goto out;
	if (stat(path.ptr, &st) == 0) {
		rc = swim_error_set(SWIM_EEXISTS,
		                    "%s holds a depot already; build into a new directory",
		                    out);
		goto out;
	}
	for (size_t i = 0; i < b->n_in; i++) {
		const swim_package *p = b->in[i].pkg;

		if (!b->in[i].file)
			continue;
		swim_buf_clear(&dir);
		swim_buf_clear(&path);
		if ((rc = swim_buf_printf(&dir, "%s/vib20/%s", out, p->name)) < 0 ||
		    (rc = swim_fs_mkdir_p(dir.ptr, 0755)) < 0 ||
		    (rc = swim_buf_printf(&path, "%s/%s", out, p->relative_path)) < 0 ||
		    (rc = copy_atomic(path.ptr, b->in[i].file, p->packed_size)) < 0)
			goto out;
	}
	/* index.xml last: a reader never sees it name what is not there. */
	swim_buf_clear(&path);
	if ((rc = swim_buf_printf(&path, "%s/metadata.zip", out)) < 0 ||
	    (rc = swim_fs_write_atomic(path.ptr, b->metadata.ptr,
	                               b->metadata.len, 0644)) < 0)
		goto out;
	swim_buf_clear(&path);
	if ((rc = swim_buf_printf(&path, "%s/vendor-index.xml", out)) < 0 ||
	    (rc = swim_fs_write_atomic(path.ptr, b->vendor_index.ptr,
	                               b->vendor_index.len, 0644)) < 0)
		goto out;
	swim_buf_clear(&path);
	if ((rc = swim_buf_printf(&path, "%s/index.xml", out)) < 0 ||
	    (rc = swim_fs_write_atomic(path.ptr, b->index.ptr, b->index.len,
	                               0644)) < 0)
		goto out;
out:
	swim_buf_dispose(&path);
	swim_buf_dispose(&dir);
	return rc;
}

static int write_bundle(struct build *b, const char *out)
{
	swim_zip_writer *w = NULL;
	swim_fs_atomic a;
	int rc;

	if ((rc = swim_fs_atomic_begin(&a, out)) < 0)
		return rc;
	/* Compressed content (metadata.zip, packages) is stored as it is. */
	if ((rc = swim_zip_writer_new_fd(&w, a.fd, b->mtime)) < 0 ||
	    (rc = swim_zip_add(w, "index.xml", b->index.ptr, b->index.len,
	                       true)) < 0 ||
	    (rc = swim_zip_add(w, "vendor-index.xml", b->vendor_index.ptr,
	                       b->vendor_index.len, true)) < 0 ||
	    (rc = swim_zip_add(w, "metadata.zip", b->metadata.ptr,
	                       b->metadata.len, false)) < 0)
		goto out;
	for (size_t i = 0; i < b->n_in; i++)
		if (b->in[i].file &&
		    (rc = swim_zip_add_file(w, b->in[i].pkg->relative_path,
		                            b->in[i].file, false)) < 0)
			goto out;
	if ((rc = swim_zip_writer_close(w)) < 0)
		goto out;
	rc = swim_fs_atomic_commit(&a, 0644);
out:
	swim_zip_writer_free(w);
	swim_fs_atomic_abort(&a);
	return rc;
}

static void build_init(struct build *b, const swim_depot_build_opts *opts)
{
	static const swim_depot_build_opts none = { .source_date_epoch = -1 };

	memset(b, 0, sizeof(*b));
	b->o = opts ? opts : &none;
	b->lim = b->o->lim ? b->o->lim : swim_limits_default();
	swim_buf_init(&b->metadata, b->lim->depot_max_metadata_bytes);
	swim_buf_init(&b->index, 0);
	swim_buf_init(&b->vendor_index, 0);
}

/* Everything after the packages and profiles are in. */
static int finish(struct build *b, const char *out, bool bundle)
{
	int rc;

	if ((rc = times(b)) < 0 ||
	    (rc = vendor(b)) < 0 ||
	    (rc = bulletins(b)) < 0 ||
	    (rc = indexes(b)) < 0 ||
	    (rc = metadata(b)) < 0)
		return rc;
	rc = bundle ? write_bundle(b, out) : write_dir(b, out);
	if (rc < 0)
		rc = swim_error_prefix("writing %s: ", out);
	return rc;
}

int swim_depot_build(const char *out, bool bundle,
                     const char *const *vibs, size_t n_vibs,
                     const char *const *profiles, size_t n_profiles,
                     const swim_depot_build_opts *opts)
{
	struct build b;
	int rc;

	build_init(&b, opts);
	if ((rc = read_vibs(&b, vibs, n_vibs)) == 0 &&
	    (rc = read_profiles(&b, profiles, n_profiles)) == 0)
		rc = finish(&b, out, bundle);
	build_dispose(&b);
	return rc;
}

int swim_depot_write(const char *out, bool bundle,
                     const swim_package *const *pkgs,
                     const char *const *files, size_t n,
                     const swim_profile *const *profiles, size_t n_profiles,
                     const swim_depot_build_opts *opts)
{
	struct build b;
	int rc;

	build_init(&b, opts);
	if ((rc = take_packages(&b, pkgs, files, n)) == 0 &&
	    (rc = take_profiles(&b, profiles, n_profiles)) == 0)
		rc = finish(&b, out, bundle);
	build_dispose(&b);
	return rc;
}
