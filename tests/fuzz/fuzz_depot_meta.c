/* Depot metadata readers: index.xml, vendor-index.xml, vmware.xml,
 * bulletins/X.xml and vibs/X.xml from memory, and whole metadata.zip
 * files (input starting with "PK"). Never crashes or leaks; what the
 * index readers accept writes and reads back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/depot_private.h"
#include "lib/depot_xml.h"
#include "swim/package.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void index_docs(const char *xml, size_t len)
{
	swim_depot_vendor *v = NULL, *v2 = NULL;
	swim_depot_channel *c = NULL, *c2 = NULL;
	swim_buf out = SWIM_BUF_INIT(0);
	size_t n = 0, n2 = 0;

	if (swim_depot_index_read(&v, &n, xml, len, NULL, "index.xml") == 0) {
		if (swim_depot_index_write(&out, v, n) != 0 ||
		    swim_depot_index_read(&v2, &n2, out.ptr, out.len, NULL, "again") != 0 ||
		    n2 != n)
			abort();
		swim_depot_vendors_free(v2, n2);
	}
	swim_depot_vendors_free(v, n);
	swim_buf_clear(&out);
	if (swim_depot_vendor_index_read(&c, &n, xml, len, NULL, "vendor-index.xml") == 0) {
		if (swim_depot_vendor_index_write(&out, c, n) != 0 ||
		    swim_depot_vendor_index_read(&c2, &n2, out.ptr, out.len, NULL, "again") != 0 ||
		    n2 != n)
			abort();
		swim_depot_channels_free(c2, n2);
	}
	swim_depot_channels_free(c, n);
	swim_buf_dispose(&out);
}

static void bulletin_docs(const char *xml, size_t len)
{
	swim_depot_vmware vm = { 0 };
	swim_bulletin b = { 0 }, b2 = { 0 };
	swim_buf out = SWIM_BUF_INIT(0);

	(void)swim_depot_vmware_read(&vm, xml, len, NULL, "vmware.xml");
	swim_depot_vmware_dispose(&vm);
	if (swim_depot_bulletin_read(&b, xml, len, NULL, "bulletin.xml") == 0) {
		if (swim_depot_bulletin_write(&out, &b) != 0 ||
		    swim_depot_bulletin_read(&b2, out.ptr, out.len, NULL, "again") != 0 ||
		    strcmp(b.id, b2.id) != 0 || b.n_vib_ids != b2.n_vib_ids)
			abort();
		swim_bulletin_dispose(&b2);
	}
	swim_bulletin_dispose(&b);
	swim_buf_dispose(&out);
}

static void metadata_zip(const uint8_t *data, size_t size)
{
	swim_depot_content c = { 0 };
	swim_depot_doc doc = { .path = (char *)"metadata.zip" };

	swim_buf_init(&doc.data, 0);
	if (swim_buf_put(&doc.data, data, size) == 0)
		(void)swim_depot_meta_load(&c, &doc, 1, swim_limits_default());
	swim_depot_content_dispose(&c);
	swim_buf_dispose(&doc.data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *xml = (const char *)data;
	swim_package *pkg = NULL;

	if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
		metadata_zip(data, size);
		return 0;
	}
	index_docs(xml, size);
	bulletin_docs(xml, size);
	(void)swim_descriptor_read_named(&pkg, xml, size, NULL, "vibs/x.xml");
	swim_package_free(pkg);
	return 0;
}
