/* The package object: lifetime, deep copy, equality and the derived id.
 * Reading and writing descriptor.xml is in descriptor.c and
 * descriptor_write.c. */
#include <stdlib.h>
#include <string.h>

#include "swim/error.h"
#include "swim/package.h"
#include "util/str.h"

int swim_package_new(swim_package **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return swim_error_oom();
	(*out)->acceptance = SWIM_ACCEPTANCE_COMMUNITY;
	return 0;
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

static void checksum_dispose(swim_checksum *c)
{
	free(c->type);
	free(c->verify_process);
	free(c->value);
}

static void constraints_free(swim_constraint *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		swim_constraint_dispose(&v[i]);
	free(v);
}

void swim_package_free(swim_package *pkg)
{
	if (!pkg)
		return;
	free(pkg->id);
	free(pkg->vib_version);
	free(pkg->type);
	free(pkg->name);
	free(pkg->version);
	free(pkg->vendor);
	free(pkg->summary);
	free(pkg->description);
	free(pkg->release_date);
	for (size_t i = 0; pkg->urls && i < pkg->n_urls; i++) {
		free(pkg->urls[i].key);
		free(pkg->urls[i].url);
	}
	free(pkg->urls);
	constraints_free(pkg->depends, pkg->n_depends);
	constraints_free(pkg->conflicts, pkg->n_conflicts);
	constraints_free(pkg->replaces, pkg->n_replaces);
	for (size_t i = 0; pkg->provides && i < pkg->n_provides; i++)
		swim_provide_dispose(&pkg->provides[i]);
	free(pkg->provides);
	constraints_free(pkg->compatible_with, pkg->n_compatible_with);
	strv_free(pkg->tags, pkg->n_tags);
	for (size_t i = 0; pkg->hwplatforms && i < pkg->n_hwplatforms; i++) {
		free(pkg->hwplatforms[i].vendor);
		free(pkg->hwplatforms[i].model);
	}
	free(pkg->hwplatforms);
	for (size_t i = 0; pkg->platforms && i < pkg->n_platforms; i++) {
		free(pkg->platforms[i].product_line_id);
		free(pkg->platforms[i].version);
		free(pkg->platforms[i].locale);
	}
	free(pkg->platforms);
	strv_free(pkg->files, pkg->n_files);
	strv_free(pkg->setid_files, pkg->n_setid_files);
	for (size_t i = 0; pkg->payloads && i < pkg->n_payloads; i++) {
		swim_payload *p = &pkg->payloads[i];

		free(p->name);
		free(p->type);
		free(p->vfat_name);
		for (size_t k = 0; p->checksums && k < p->n_checksums; k++)
			checksum_dispose(&p->checksums[k]);
		free(p->checksums);
	}
	free(pkg->payloads);
	free(pkg->install_date);
	strv_free(pkg->source_urls, pkg->n_source_urls);
	free(pkg->relative_path);
	if (pkg->vib_checksum)
		checksum_dispose(pkg->vib_checksum);
	free(pkg->vib_checksum);
	free(pkg);
}

/* Copies a string that may be NULL; false only when out of memory. */
static bool dup_into(char **dst, const char *src)
{
	*dst = swim_strdup(src);
	return !src || *dst;
}

/* A zeroed array of n elements, NULL for n == 0 (and out of memory). */
static void *zalloc(size_t n, size_t size)
{
	return n ? calloc(n, size) : NULL;
}

static bool copy_strv(char ***dst, char *const *src, size_t n)
{
	*dst = zalloc(n, sizeof(**dst));
	if (n && !*dst)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!dup_into(&(*dst)[i], src[i]))
			return false;
	return true;
}

static bool copy_checksum(swim_checksum *dst, const swim_checksum *src)
{
	return dup_into(&dst->type, src->type) &&
	       dup_into(&dst->verify_process, src->verify_process) &&
	       dup_into(&dst->value, src->value);
}

static bool copy_constraints(swim_constraint **dst,
                             const swim_constraint *src, size_t n)
{
	*dst = zalloc(n, sizeof(**dst));
	if (n && !*dst)
		return false;
	for (size_t i = 0; i < n; i++)
		if (swim_constraint_copy(&(*dst)[i], &src[i]) < 0)
			return false;
	return true;
}

static bool copy_payload(swim_payload *dst, const swim_payload *src)
{
	dst->size = src->size;
	dst->has_size = src->has_size;
	dst->boot_order = src->boot_order;
	dst->has_boot_order = src->has_boot_order;
	if (!dup_into(&dst->name, src->name) ||
	    !dup_into(&dst->type, src->type) ||
	    !dup_into(&dst->vfat_name, src->vfat_name))
		return false;
	dst->checksums = zalloc(src->n_checksums, sizeof(*dst->checksums));
	if (src->n_checksums && !dst->checksums)
		return false;
	dst->n_checksums = src->n_checksums;
	for (size_t i = 0; i < src->n_checksums; i++)
		if (!copy_checksum(&dst->checksums[i], &src->checksums[i]))
			return false;
	return true;
}

static bool copy_lists(swim_package *d, const swim_package *s)
{
	/* Each count is set with its array, so that swim_package_free()
	 * sees exactly the elements that exist (unfilled ones are zero). */
	d->urls = zalloc(s->n_urls, sizeof(*d->urls));
	if (s->n_urls && !d->urls)
		return false;
	d->n_urls = s->n_urls;
	for (size_t i = 0; i < s->n_urls; i++)
		if (!dup_into(&d->urls[i].key, s->urls[i].key) ||
		    !dup_into(&d->urls[i].url, s->urls[i].url))
			return false;
	d->n_depends = s->n_depends;
	if (!copy_constraints(&d->depends, s->depends, s->n_depends))
		return false;
	d->n_conflicts = s->n_conflicts;
	if (!copy_constraints(&d->conflicts, s->conflicts, s->n_conflicts))
		return false;
	d->n_replaces = s->n_replaces;
	if (!copy_constraints(&d->replaces, s->replaces, s->n_replaces))
		return false;
	d->n_compatible_with = s->n_compatible_with;
	if (!copy_constraints(&d->compatible_with, s->compatible_with,
	                      s->n_compatible_with))
		return false;
	d->provides = zalloc(s->n_provides, sizeof(*d->provides));
	if (s->n_provides && !d->provides)
		return false;
	d->n_provides = s->n_provides;
	for (size_t i = 0; i < s->n_provides; i++)
		if (swim_provide_copy(&d->provides[i], &s->provides[i]) < 0)
			return false;
	d->n_tags = s->n_tags;
	if (!copy_strv(&d->tags, s->tags, s->n_tags))
		return false;
	d->hwplatforms = zalloc(s->n_hwplatforms, sizeof(*d->hwplatforms));
	if (s->n_hwplatforms && !d->hwplatforms)
		return false;
	d->n_hwplatforms = s->n_hwplatforms;
	for (size_t i = 0; i < s->n_hwplatforms; i++)
		if (!dup_into(&d->hwplatforms[i].vendor, s->hwplatforms[i].vendor) ||
		    !dup_into(&d->hwplatforms[i].model, s->hwplatforms[i].model))
			return false;
	d->platforms = zalloc(s->n_platforms, sizeof(*d->platforms));
	if (s->n_platforms && !d->platforms)
		return false;
	d->n_platforms = s->n_platforms;
	for (size_t i = 0; i < s->n_platforms; i++) {
		const swim_platform *sp = &s->platforms[i];
		swim_platform *dp = &d->platforms[i];

		if (!dup_into(&dp->product_line_id, sp->product_line_id) ||
		    !dup_into(&dp->version, sp->version) ||
		    !dup_into(&dp->locale, sp->locale))
			return false;
	}
	d->n_files = s->n_files;
	if (!copy_strv(&d->files, s->files, s->n_files))
		return false;
	d->n_setid_files = s->n_setid_files;
	if (!copy_strv(&d->setid_files, s->setid_files, s->n_setid_files))
		return false;
	d->payloads = zalloc(s->n_payloads, sizeof(*d->payloads));
	if (s->n_payloads && !d->payloads)
		return false;
	d->n_payloads = s->n_payloads;
	for (size_t i = 0; i < s->n_payloads; i++)
		if (!copy_payload(&d->payloads[i], &s->payloads[i]))
			return false;
	d->n_source_urls = s->n_source_urls;
	return copy_strv(&d->source_urls, s->source_urls, s->n_source_urls);
}

int swim_package_copy(swim_package **out, const swim_package *s)
{
	swim_package *d = calloc(1, sizeof(*d));
	int rc = SWIM_ENOMEM;

	*out = NULL;
	if (!d)
		return swim_error_oom();
	d->maintenance_mode = s->maintenance_mode;
	d->acceptance = s->acceptance;
	d->live_install_ok = s->live_install_ok;
	d->live_remove_ok = s->live_remove_ok;
	d->cimom_restart = s->cimom_restart;
	d->stateless_ready = s->stateless_ready;
	d->overlay = s->overlay;
	d->packed_size = s->packed_size;
	d->has_packed_size = s->has_packed_size;
	if (!dup_into(&d->id, s->id) ||
	    !dup_into(&d->vib_version, s->vib_version) ||
	    !dup_into(&d->type, s->type) ||
	    !dup_into(&d->name, s->name) ||
	    !dup_into(&d->version, s->version) ||
	    !dup_into(&d->vendor, s->vendor) ||
	    !dup_into(&d->summary, s->summary) ||
	    !dup_into(&d->description, s->description) ||
	    !dup_into(&d->release_date, s->release_date) ||
	    !dup_into(&d->install_date, s->install_date) ||
	    !dup_into(&d->relative_path, s->relative_path) ||
	    !copy_lists(d, s))
		goto out;
	if (s->vib_checksum) {
		if (!(d->vib_checksum = calloc(1, sizeof(*d->vib_checksum))) ||
		    !copy_checksum(d->vib_checksum, s->vib_checksum))
			goto out;
	}
	*out = d;
	d = NULL;
	rc = 0;
out:
	if (rc < 0)
		(void)swim_error_oom();
	swim_package_free(d);
	return rc;
}

static bool strv_eq(char *const *a, char *const *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!swim_str_eq(a[i], b[i]))
			return false;
	return true;
}

static bool checksum_eq(const swim_checksum *a, const swim_checksum *b)
{
	if (!a || !b)
		return a == b;
	return swim_str_eq(a->type, b->type) &&
	       swim_str_eq(a->verify_process, b->verify_process) &&
	       swim_str_eq(a->value, b->value);
}

static bool constraints_eq(const swim_constraint *a, size_t na,
                           const swim_constraint *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (a[i].rel != b[i].rel ||
		    !swim_str_eq(a[i].name, b[i].name) ||
		    !swim_str_eq(a[i].version, b[i].version))
			return false;
	return true;
}

static bool payload_eq(const swim_payload *a, const swim_payload *b)
{
	if (!swim_str_eq(a->name, b->name) || !swim_str_eq(a->type, b->type) ||
	    a->has_size != b->has_size || a->size != b->size ||
	    a->has_boot_order != b->has_boot_order ||
	    a->boot_order != b->boot_order ||
	    !swim_str_eq(a->vfat_name, b->vfat_name) ||
	    a->n_checksums != b->n_checksums)
		return false;
	for (size_t i = 0; i < a->n_checksums; i++)
		if (!checksum_eq(&a->checksums[i], &b->checksums[i]))
			return false;
	return true;
}

static bool lists_eq(const swim_package *a, const swim_package *b)
{
	if (a->n_urls != b->n_urls || a->n_provides != b->n_provides ||
	    a->n_tags != b->n_tags || a->n_hwplatforms != b->n_hwplatforms ||
	    a->n_platforms != b->n_platforms || a->n_files != b->n_files ||
	    a->n_setid_files != b->n_setid_files ||
	    a->n_payloads != b->n_payloads ||
	    a->n_source_urls != b->n_source_urls)
		return false;
	if (!constraints_eq(a->depends, a->n_depends, b->depends, b->n_depends) ||
	    !constraints_eq(a->conflicts, a->n_conflicts, b->conflicts,
	                    b->n_conflicts) ||
	    !constraints_eq(a->replaces, a->n_replaces, b->replaces,
	                    b->n_replaces) ||
	    !constraints_eq(a->compatible_with, a->n_compatible_with,
	                    b->compatible_with, b->n_compatible_with))
		return false;
	for (size_t i = 0; i < a->n_urls; i++)
		if (!swim_str_eq(a->urls[i].key, b->urls[i].key) ||
		    !swim_str_eq(a->urls[i].url, b->urls[i].url))
			return false;
	for (size_t i = 0; i < a->n_provides; i++)
		if (!swim_str_eq(a->provides[i].name, b->provides[i].name) ||
		    !swim_str_eq(a->provides[i].version, b->provides[i].version))
			return false;
	for (size_t i = 0; i < a->n_hwplatforms; i++)
		if (!swim_str_eq(a->hwplatforms[i].vendor, b->hwplatforms[i].vendor) ||
		    !swim_str_eq(a->hwplatforms[i].model, b->hwplatforms[i].model))
			return false;
	for (size_t i = 0; i < a->n_platforms; i++) {
		const swim_platform *x = &a->platforms[i], *y = &b->platforms[i];

		if (!swim_str_eq(x->product_line_id, y->product_line_id) ||
		    !swim_str_eq(x->version, y->version) ||
		    !swim_str_eq(x->locale, y->locale))
			return false;
	}
	for (size_t i = 0; i < a->n_payloads; i++)
		if (!payload_eq(&a->payloads[i], &b->payloads[i]))
			return false;
	return strv_eq(a->tags, b->tags, a->n_tags) &&
	       strv_eq(a->files, b->files, a->n_files) &&
	       strv_eq(a->setid_files, b->setid_files, a->n_setid_files) &&
	       strv_eq(a->source_urls, b->source_urls, a->n_source_urls);
}

bool swim_package_equal(const swim_package *a, const swim_package *b)
{
	if (!a || !b)
		return a == b;
	return swim_str_eq(a->id, b->id) &&
	       swim_str_eq(a->vib_version, b->vib_version) &&
	       swim_str_eq(a->type, b->type) &&
	       swim_str_eq(a->name, b->name) &&
	       swim_str_eq(a->version, b->version) &&
	       swim_str_eq(a->vendor, b->vendor) &&
	       swim_str_eq(a->summary, b->summary) &&
	       swim_str_eq(a->description, b->description) &&
	       swim_str_eq(a->release_date, b->release_date) &&
	       a->maintenance_mode == b->maintenance_mode &&
	       a->acceptance == b->acceptance &&
	       a->live_install_ok == b->live_install_ok &&
	       a->live_remove_ok == b->live_remove_ok &&
	       a->cimom_restart == b->cimom_restart &&
	       a->stateless_ready == b->stateless_ready &&
	       a->overlay == b->overlay &&
	       swim_str_eq(a->install_date, b->install_date) &&
	       swim_str_eq(a->relative_path, b->relative_path) &&
	       a->has_packed_size == b->has_packed_size &&
	       a->packed_size == b->packed_size &&
	       checksum_eq(a->vib_checksum, b->vib_checksum) &&
	       lists_eq(a, b);
}

int swim_package_update_id(swim_package *pkg)
{
	swim_buf id = SWIM_BUF_INIT(0);
	char *s;
	int rc;

	if (!pkg->vendor || !pkg->type || !pkg->name || !pkg->version)
		return swim_error_set(SWIM_EINVAL,
		                      "a package id needs vendor, type, name and version");
	if ((rc = swim_buf_printf(&id, "%s_%s_%s_%s", pkg->vendor, pkg->type,
	                          pkg->name, pkg->version)) < 0)
		return rc;
	if (!(s = swim_buf_detach(&id)))
		return swim_error_oom();
	free(pkg->id);
	pkg->id = s;
	return 0;
}

void swim_package_self_provide(swim_provide *out, const swim_package *pkg)
{
	out->name = pkg->name;
	out->version = pkg->version;
}

const swim_checksum *swim_payload_checksum(const swim_payload *p,
                                           const char *type,
                                           const char *verify_process)
{
	for (size_t i = 0; i < p->n_checksums; i++)
		if (swim_str_eq(p->checksums[i].type, type) &&
		    swim_str_eq(p->checksums[i].verify_process, verify_process))
			return &p->checksums[i];
	return NULL;
}
