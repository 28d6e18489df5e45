/* The XML documents of a depot other than package descriptors and
 * profiles: index.xml, vendor-index.xml, vmware.xml and bulletins/X.xml.
 *
 * These are formats of other tools, so reading is lenient where it can
 * be and strict where it must be: unknown elements are ignored (real
 * depots carry more than swim uses), required elements must be there,
 * every value swim uses is checked, counts are bounded, and every error
 * reads "WHAT:LINE: ..." naming the element.
 */
#ifndef SWIM_LIB_DEPOT_XML_H
#define SWIM_LIB_DEPOT_XML_H

#include <stddef.h>
#include <stdint.h>

#include "swim/buf.h"
#include "swim/depot.h"
#include "swim/limits.h"
#include "util/xml.h"

/* What an inline <vib> of vmware.xml says about the .vib, to be checked
 * against the package's vibs/X.xml. */
typedef struct swim_depot_vibref {
	char *vib_id;
	char *relative_path;   /* NULL without <vibFile> */
	uint64_t packed_size;
	bool has_packed_size;
	char *sha256;          /* NULL without a sha-256 checksum */
	long line;
} swim_depot_vibref;

typedef struct swim_depot_vmware {
	swim_bulletin *bulletins;
	size_t n_bulletins;
	swim_depot_vibref *refs;   /* the inline <vib>s, in document order */
	size_t n_refs;
} swim_depot_vmware;

/* index.xml: the vendors (any content type; the caller filters). */
int swim_depot_index_read(swim_depot_vendor **out, size_t *n,
                          const char *xml, size_t len,
                          const swim_limits *lim, const char *what);

/* vendor-index.xml: the metadata entries. */
int swim_depot_vendor_index_read(swim_depot_channel **out, size_t *n,
                                 const char *xml, size_t len,
                                 const swim_limits *lim, const char *what);

/* vmware.xml: bulletins with their inline <vib>s or <vibID>s.
 * Free with swim_depot_vmware_dispose(). */
int swim_depot_vmware_read(swim_depot_vmware *out, const char *xml,
                           size_t len, const swim_limits *lim,
                           const char *what);
void swim_depot_vmware_dispose(swim_depot_vmware *v);

/* bulletins/<id>.xml: one <bulletin> element; the _ctxt form reuses a
 * parser context (util/xml.h). */
int swim_depot_bulletin_read(swim_bulletin *out, const char *xml,
                             size_t len, const swim_limits *lim,
                             const char *what);
int swim_depot_bulletin_read_ctxt(swim_bulletin *out, xmlParserCtxt *ctxt,
                                  const char *xml, size_t len,
                                  const swim_limits *lim, const char *what);

void swim_depot_vendor_dispose(swim_depot_vendor *v);
void swim_depot_vendors_free(swim_depot_vendor *v, size_t n);
void swim_depot_channels_free(swim_depot_channel *c, size_t n);
void swim_bulletin_dispose(swim_bulletin *b);
void swim_bulletins_free(swim_bulletin *b, size_t n);

/* Writers; each appends one document to buf. */
int swim_depot_index_write(swim_buf *buf, const swim_depot_vendor *v,
                           size_t n);
int swim_depot_vendor_index_write(swim_buf *buf,
                                  const swim_depot_channel *c, size_t n);
/* vmware.xml: each bulletin with its packages written inline; pkgs
 * sorted by id must hold every id the bulletins name. */
int swim_depot_vmware_write(swim_buf *buf, const char *timestamp,
                            const swim_bulletin *b, size_t n,
                            const swim_package *const *pkgs, size_t n_pkgs);
int swim_depot_bulletin_write(swim_buf *buf, const swim_bulletin *b);

/* The package with this id in pkgs sorted by id, or NULL. */
const swim_package *swim_depot_pkgs_find(const swim_package *const *pkgs,
                                         size_t n, const char *id);

#endif
