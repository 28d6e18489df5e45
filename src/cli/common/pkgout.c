#include <string.h>

#include "cli/common/output.h"
#include "cli/common/pkgout.h"
#include "swim/error.h"

/* ---- the esxcli field block ----------------------------------------- */

static int sep(swim_buf *b)
{
	return b->len ? swim_buf_puts(b, ", ") : 0;
}

static int join_constraints(swim_buf *b, const swim_constraint *v, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++)
		if ((rc = sep(b)) == 0)
			rc = swim_constraint_format(b, &v[i]);
	return rc;
}

static int join_strings(swim_buf *b, char *const *v, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++)
		if ((rc = sep(b)) == 0)
			rc = swim_buf_puts(b, v[i]);
	return rc;
}

static int join_provides(swim_buf *b, const swim_package *pkg)
{
	swim_provide self;
	int rc;

	swim_package_self_provide(&self, pkg);
	rc = swim_provide_format(b, &self);
	for (size_t i = 0; i < pkg->n_provides && rc == 0; i++)
		if ((rc = sep(b)) == 0)
			rc = swim_provide_format(b, &pkg->provides[i]);
	return rc;
}

static int join_urls(swim_buf *b, const swim_package *pkg)
{
	int rc = 0;

	for (size_t i = 0; i < pkg->n_urls && rc == 0; i++)
		if ((rc = sep(b)) == 0)
			rc = swim_buf_printf(b, "%s|%s", pkg->urls[i].key,
			                     pkg->urls[i].url);
	return rc;
}

static int join_hwplatforms(swim_buf *b, const swim_package *pkg)
{
	int rc = 0;

	for (size_t i = 0; i < pkg->n_hwplatforms && rc == 0; i++) {
		const swim_hwplatform *h = &pkg->hwplatforms[i];

		if ((rc = sep(b)) == 0)
			rc = swim_buf_printf(b, "%s%s%s", h->vendor,
			                     h->model ? "|" : "",
			                     h->model ? h->model : "");
	}
	return rc;
}

static int join_platforms(swim_buf *b, const swim_package *pkg)
{
	int rc = 0;

	for (size_t i = 0; i < pkg->n_platforms && rc == 0; i++) {
		const swim_platform *p = &pkg->platforms[i];

		if ((rc = sep(b)) == 0)
			rc = swim_buf_printf(b, "%s%s%s", p->product_line_id,
			                     p->version ? " " : "",
			                     p->version ? p->version : "");
	}
	return rc;
}

static int join_payloads(swim_buf *b, const swim_package *pkg)
{
	int rc = 0;

	for (size_t i = 0; i < pkg->n_payloads && rc == 0; i++)
		if ((rc = sep(b)) == 0)
			rc = swim_buf_puts(b, pkg->payloads[i].name);
	return rc;
}

static const char *yes_no(bool v)
{
	return v ? "True" : "False";
}

/* A field whose value is built into a scratch buffer by fn. */
static int list_field(FILE *f, const char *label, swim_buf *b,
                      int (*fn)(swim_buf *, const swim_package *),
                      const swim_package *pkg)
{
	int rc;

	swim_buf_clear(b);
	if ((rc = fn(b, pkg)) < 0)
		return rc;
	swim_field(f, 3, label, b->ptr);
	return 0;
}

static int join_depends(swim_buf *b, const swim_package *pkg)
{
	return join_constraints(b, pkg->depends, pkg->n_depends);
}

static int join_conflicts(swim_buf *b, const swim_package *pkg)
{
	return join_constraints(b, pkg->conflicts, pkg->n_conflicts);
}

static int join_replaces(swim_buf *b, const swim_package *pkg)
{
	return join_constraints(b, pkg->replaces, pkg->n_replaces);
}

static int join_tags(swim_buf *b, const swim_package *pkg)
{
	return join_strings(b, pkg->tags, pkg->n_tags);
}

int swim_pkgout_print(FILE *f, const swim_package *pkg)
{
	swim_buf b = SWIM_BUF_INIT(0);
	char date[11] = "";
	int rc;

	/* esxcli's Creation Date is the day of the release date. */
	if (pkg->release_date)
		(void)snprintf(date, sizeof(date), "%.10s", pkg->release_date);
	fprintf(f, "%s\n", pkg->id ? pkg->id : "");
	swim_field(f, 3, "Name", pkg->name);
	swim_field(f, 3, "Version", pkg->version);
	swim_field(f, 3, "Type", pkg->type);
	swim_field(f, 3, "Vendor", pkg->vendor);
	swim_field(f, 3, "Acceptance Level",
	           swim_acceptance_long_name(pkg->acceptance));
	swim_field(f, 3, "Summary", pkg->summary);
	swim_field(f, 3, "Description", pkg->description);
	if ((rc = list_field(f, "ReferenceURLs", &b, join_urls, pkg)) < 0)
		goto out;
	swim_field(f, 3, "Creation Date", date);
	if ((rc = list_field(f, "Depends", &b, join_depends, pkg)) < 0 ||
	    (rc = list_field(f, "Conflicts", &b, join_conflicts, pkg)) < 0 ||
	    (rc = list_field(f, "Replaces", &b, join_replaces, pkg)) < 0 ||
	    (rc = list_field(f, "Provides", &b, join_provides, pkg)) < 0)
		goto out;
	swim_field(f, 3, "Maintenance Mode Required",
	           yes_no(pkg->maintenance_mode));
	if ((rc = list_field(f, "Hardware Platforms Required", &b,
	                     join_hwplatforms, pkg)) < 0)
		goto out;
	swim_field(f, 3, "Live Install Allowed", yes_no(pkg->live_install_ok));
	swim_field(f, 3, "Live Remove Allowed", yes_no(pkg->live_remove_ok));
	swim_field(f, 3, "Stateless Ready", yes_no(pkg->stateless_ready));
	swim_field(f, 3, "Overlay", yes_no(pkg->overlay));
	if ((rc = list_field(f, "Tags", &b, join_tags, pkg)) < 0 ||
	    (rc = list_field(f, "Payloads", &b, join_payloads, pkg)) < 0 ||
	    (rc = list_field(f, "Platforms", &b, join_platforms, pkg)) < 0)
		goto out;
out:
	swim_buf_dispose(&b);
	return rc;
}

/* ---- JSON ------------------------------------------------------------- */

/* Sets o[key] = v, taking v; any failure (v NULL included) sticks in *rc. */
static void put(json_t *o, const char *key, json_t *v, int *rc)
{
	if (json_object_set_new(o, key, v) < 0)
		*rc = -1;
}

static void append(json_t *a, json_t *v, int *rc)
{
	if (json_array_append_new(a, v) < 0)
		*rc = -1;
}

static json_t *json_u64(bool present, uint64_t v)
{
	/* Sizes are read as at most INT64_MAX, so they fit. */
	return present ? json_integer((json_int_t)v) : json_null();
}

static json_t *constraint_json(const swim_constraint *c)
{
	json_t *o = json_object();
	int rc = 0;

	put(o, "Name", swim_json_str(c->name), &rc);
	put(o, "Relation", c->rel == SWIM_REL_ANY ? json_null()
	    : json_string(swim_relation_str(c->rel)), &rc);
	put(o, "Version", swim_json_str(c->version), &rc);
	if (rc < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *constraints_json(const swim_constraint *v, size_t n)
{
	json_t *a = json_array();
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		append(a, constraint_json(&v[i]), &rc);
	if (rc < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

static json_t *provide_json(const swim_provide *p)
{
	json_t *o = json_object();
	int rc = 0;

	put(o, "Name", swim_json_str(p->name), &rc);
	put(o, "Version", swim_json_str(p->version), &rc);
	if (rc < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *provides_json(const swim_package *pkg)
{
	json_t *a = json_array();
	swim_provide self;
	int rc = 0;

	swim_package_self_provide(&self, pkg);
	append(a, provide_json(&self), &rc);
	for (size_t i = 0; i < pkg->n_provides; i++)
		append(a, provide_json(&pkg->provides[i]), &rc);
	if (rc < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

static json_t *checksum_json(const swim_checksum *c)
{
	json_t *o;
	int rc = 0;

	if (!c)
		return json_null();
	o = json_object();
	put(o, "ChecksumType", swim_json_str(c->type), &rc);
	put(o, "VerifyProcess", swim_json_str(c->verify_process), &rc);
	put(o, "Checksum", swim_json_str(c->value), &rc);
	if (rc < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *payload_json(const swim_payload *p)
{
	json_t *o = json_object(), *cs = json_array();
	int rc = 0;

	for (size_t i = 0; i < p->n_checksums; i++)
		append(cs, checksum_json(&p->checksums[i]), &rc);
	put(o, "Name", swim_json_str(p->name), &rc);
	put(o, "Type", swim_json_str(p->type), &rc);
	put(o, "Size", json_u64(p->has_size, p->size), &rc);
	put(o, "BootOrder", json_u64(p->has_boot_order, p->boot_order), &rc);
	put(o, "VfatName", swim_json_str(p->vfat_name), &rc);
	put(o, "Checksums", cs, &rc);
	if (rc < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static void lists_json(const swim_package *pkg, json_t *o, int *rc)
{
	json_t *urls = json_array(), *hw = json_array(), *sp = json_array();
	json_t *payloads = json_array();

	for (size_t i = 0; i < pkg->n_urls; i++)
		append(urls, json_pack("{s:s?, s:s?}", "Title", pkg->urls[i].key,
		                       "URL", pkg->urls[i].url), rc);
	for (size_t i = 0; i < pkg->n_hwplatforms; i++)
		append(hw, json_pack("{s:s?, s:s?}",
		                     "Vendor", pkg->hwplatforms[i].vendor,
		                     "Model", pkg->hwplatforms[i].model), rc);
	for (size_t i = 0; i < pkg->n_platforms; i++)
		append(sp, json_pack("{s:s?, s:s?, s:s?}",
		                     "ProductLineID", pkg->platforms[i].product_line_id,
		                     "Version", pkg->platforms[i].version,
		                     "Locale", pkg->platforms[i].locale), rc);
	for (size_t i = 0; i < pkg->n_payloads; i++)
		append(payloads, payload_json(&pkg->payloads[i]), rc);
	put(o, "ReferenceURLs", urls, rc);
	put(o, "Depends", constraints_json(pkg->depends, pkg->n_depends), rc);
	put(o, "Conflicts", constraints_json(pkg->conflicts, pkg->n_conflicts), rc);
	put(o, "Replaces", constraints_json(pkg->replaces, pkg->n_replaces), rc);
	put(o, "Provides", provides_json(pkg), rc);
	put(o, "CompatibleWith", constraints_json(pkg->compatible_with,
	                                          pkg->n_compatible_with), rc);
	put(o, "MaintenanceMode", json_boolean(pkg->maintenance_mode), rc);
	put(o, "HardwarePlatformsRequired", hw, rc);
	put(o, "Platforms", sp, rc);
	put(o, "LiveInstallOk", json_boolean(pkg->live_install_ok), rc);
	put(o, "LiveRemoveOk", json_boolean(pkg->live_remove_ok), rc);
	put(o, "CimomRestart", json_boolean(pkg->cimom_restart), rc);
	put(o, "StatelessReady", json_boolean(pkg->stateless_ready), rc);
	put(o, "Overlay", json_boolean(pkg->overlay), rc);
	put(o, "Tags", swim_json_strv(pkg->tags, pkg->n_tags), rc);
	put(o, "Payloads", payloads, rc);
	put(o, "Files", swim_json_strv(pkg->files, pkg->n_files), rc);
	put(o, "SourceUrls", swim_json_strv(pkg->source_urls,
	                                    pkg->n_source_urls), rc);
}

json_t *swim_pkgout_json(const swim_package *pkg)
{
	json_t *o = json_object();
	int rc = 0;

	put(o, "Guid", swim_json_str(pkg->id), &rc);
	put(o, "Name", swim_json_str(pkg->name), &rc);
	put(o, "Version", swim_json_str(pkg->version), &rc);
	put(o, "Type", swim_json_str(pkg->type), &rc);
	put(o, "Vendor", swim_json_str(pkg->vendor), &rc);
	put(o, "Summary", swim_json_str(pkg->summary), &rc);
	put(o, "Description", swim_json_str(pkg->description), &rc);
	put(o, "ReleaseDate", swim_json_str(pkg->release_date), &rc);
	put(o, "AcceptanceLevel",
	    json_string(swim_acceptance_long_name(pkg->acceptance)), &rc);
	lists_json(pkg, o, &rc);
	put(o, "InstallDate", swim_json_str(pkg->install_date), &rc);
	put(o, "RelativePath", swim_json_str(pkg->relative_path), &rc);
	put(o, "PackedSize", json_u64(pkg->has_packed_size, pkg->packed_size),
	    &rc);
	put(o, "Checksum", checksum_json(pkg->vib_checksum), &rc);
	put(o, "DescriptorVersion", swim_json_str(pkg->vib_version), &rc);
	if (rc < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}
