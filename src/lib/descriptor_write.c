/* Writing descriptor.xml from a swim_package, through the escaping XML
 * writer, in the element order of real VIBs (reference/esxi.md §1). */
#include <stdio.h>

#include "swim/error.h"
#include "swim/package.h"
#include "lib/descriptor_private.h"
#include "util/xmlw.h"

static void write_bool(swim_xmlw *w, const char *name, bool v)
{
	swim_xmlw_element(w, name, v ? "true" : "false");
}

static void write_constraints(swim_xmlw *w, const char *list,
                              const swim_constraint *v, size_t n)
{
	swim_xmlw_start(w, list);
	for (size_t i = 0; i < n; i++) {
		swim_xmlw_start(w, "constraint");
		swim_xmlw_attr(w, "name", v[i].name);
		if (v[i].rel != SWIM_REL_ANY && v[i].version) {
			swim_xmlw_attr(w, "relation", swim_relation_str(v[i].rel));
			swim_xmlw_attr(w, "version", v[i].version);
		}
		swim_xmlw_end(w);
	}
	swim_xmlw_end(w);
}

static void write_relationships(swim_xmlw *w, const swim_package *pkg)
{
	swim_xmlw_start(w, "relationships");
	write_constraints(w, "depends", pkg->depends, pkg->n_depends);
	write_constraints(w, "conflicts", pkg->conflicts, pkg->n_conflicts);
	write_constraints(w, "replaces", pkg->replaces, pkg->n_replaces);
	swim_xmlw_start(w, "provides");
	for (size_t i = 0; i < pkg->n_provides; i++) {
		swim_xmlw_start(w, "provide");
		swim_xmlw_attr(w, "name", pkg->provides[i].name);
		swim_xmlw_attr(w, "version", pkg->provides[i].version);
		swim_xmlw_end(w);
	}
	swim_xmlw_end(w);
	write_constraints(w, "compatibleWith", pkg->compatible_with,
	                  pkg->n_compatible_with);
	swim_xmlw_end(w);
}

static void write_checksum(swim_xmlw *w, const swim_checksum *c)
{
	swim_xmlw_start(w, "checksum");
	swim_xmlw_attr(w, "checksum-type", c->type);
	swim_xmlw_attr(w, "verify-process", c->verify_process);
	if (c->value && *c->value)
		swim_xmlw_text(w, c->value);
	swim_xmlw_end(w);
}

static void write_system_requires(swim_xmlw *w, const swim_package *pkg)
{
	swim_xmlw_start(w, "system-requires");
	write_bool(w, "maintenance-mode", pkg->maintenance_mode);
	for (size_t i = 0; i < pkg->n_hwplatforms; i++) {
		swim_xmlw_start(w, "hwplatform");
		swim_xmlw_attr(w, "vendor", pkg->hwplatforms[i].vendor);
		swim_xmlw_attr(w, "model", pkg->hwplatforms[i].model);
		swim_xmlw_end(w);
	}
	for (size_t i = 0; i < pkg->n_platforms; i++) {
		swim_xmlw_start(w, "softwarePlatform");
		swim_xmlw_attr(w, "version", pkg->platforms[i].version);
		swim_xmlw_attr(w, "locale", pkg->platforms[i].locale);
		swim_xmlw_attr(w, "productLineID",
		               pkg->platforms[i].product_line_id);
		swim_xmlw_end(w);
	}
	swim_xmlw_end(w);
}

static void write_payloads(swim_xmlw *w, const swim_package *pkg)
{
	swim_xmlw_start(w, "payloads");
	for (size_t i = 0; i < pkg->n_payloads; i++) {
		const swim_payload *p = &pkg->payloads[i];

		swim_xmlw_start(w, "payload");
		swim_xmlw_attr(w, "name", p->name);
		swim_xmlw_attr(w, "type", p->type);
		if (p->has_boot_order)
			swim_xmlw_attrf(w, "boot-order", "%llu",
			                (unsigned long long)p->boot_order);
		swim_xmlw_attr(w, "vfat-name", p->vfat_name);
		if (p->has_size)
			swim_xmlw_attrf(w, "size", "%llu",
			                (unsigned long long)p->size);
		for (size_t k = 0; k < p->n_checksums; k++)
			write_checksum(w, &p->checksums[k]);
		swim_xmlw_end(w);
	}
	swim_xmlw_end(w);
}

static void write_depot_fields(swim_xmlw *w, const swim_package *pkg)
{
	if (pkg->relative_path)
		swim_xmlw_element(w, "relative-path", pkg->relative_path);
	if (pkg->has_packed_size) {
		char num[24];

		(void)snprintf(num, sizeof(num), "%llu",
		               (unsigned long long)pkg->packed_size);
		swim_xmlw_element(w, "packed-size", num);
	}
	if (pkg->vib_checksum)
		write_checksum(w, pkg->vib_checksum);
}

int swim_descriptor_write(swim_buf *buf, const swim_package *pkg,
                          bool depot_copy)
{
	swim_xmlw w;
	size_t start = buf->len;
	int rc;

	if (!pkg->type || !pkg->name || !pkg->version || !pkg->vendor)
		return swim_error_set(SWIM_EINVAL,
		                      "cannot write a descriptor without type, name, "
		                      "version and vendor");
	swim_xmlw_init(&w, buf, true);
	swim_xmlw_start(&w, "vib");
	swim_xmlw_attr(&w, "version", pkg->vib_version);
	swim_xmlw_element(&w, "type", pkg->type);
	swim_xmlw_element(&w, "name", pkg->name);
	swim_xmlw_element(&w, "version", pkg->version);
	swim_xmlw_element(&w, "vendor", pkg->vendor);
	if (pkg->summary)
		swim_xmlw_element(&w, "summary", pkg->summary);
	if (pkg->description)
		swim_xmlw_element(&w, "description", pkg->description);
	if (pkg->release_date)
		swim_xmlw_element(&w, "release-date", pkg->release_date);
	swim_xmlw_start(&w, "urls");
	for (size_t i = 0; i < pkg->n_urls; i++) {
		swim_xmlw_start(&w, "url");
		swim_xmlw_attr(&w, "key", pkg->urls[i].key);
		if (pkg->urls[i].url && *pkg->urls[i].url)
			swim_xmlw_text(&w, pkg->urls[i].url);
		swim_xmlw_end(&w);
	}
	swim_xmlw_end(&w);
	write_relationships(&w, pkg);
	swim_xmlw_start(&w, "software-tags");
	for (size_t i = 0; i < pkg->n_tags; i++)
		swim_xmlw_element(&w, "tag", pkg->tags[i]);
	swim_xmlw_end(&w);
	if (pkg->install_date)
		swim_xmlw_element(&w, "installdate", pkg->install_date);
	if (depot_copy)
		write_depot_fields(&w, pkg);
	write_system_requires(&w, pkg);
	swim_xmlw_start(&w, "file-list");
	for (size_t i = 0; i < pkg->n_files; i++)
		swim_xmlw_element(&w, "file", pkg->files[i]);
	swim_xmlw_end(&w);
	if (pkg->n_setid_files) {
		swim_xmlw_start(&w, "setid-files");
		for (size_t i = 0; i < pkg->n_setid_files; i++)
			swim_xmlw_element(&w, "file", pkg->setid_files[i]);
		swim_xmlw_end(&w);
	}
	swim_xmlw_element(&w, "acceptance-level",
	                  swim_acceptance_name(pkg->acceptance));
	write_bool(&w, "live-install-allowed", pkg->live_install_ok);
	write_bool(&w, "live-remove-allowed", pkg->live_remove_ok);
	write_bool(&w, "cimom-restart", pkg->cimom_restart);
	write_bool(&w, "stateless-ready", pkg->stateless_ready);
	write_bool(&w, "overlay", pkg->overlay);
	write_payloads(&w, pkg);
	swim_xmlw_end(&w);
	if ((rc = swim_xmlw_finish(&w)) < 0) {
		swim_buf_truncate(buf, start);
		return swim_error_prefix("writing the descriptor of %s: ",
		                         pkg->name);
	}
	return 0;
}

void swim_descriptor_xmlw_relationships(swim_xmlw *w,
                                        const swim_package *pkg)
{
	write_relationships(w, pkg);
}
