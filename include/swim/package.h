/* swim — the package: what a VIB's descriptor.xml says.
 *
 * swim_package carries every descriptor element (reference/esxi.md §1)
 * under the names of Image Builder's SoftwarePackage where one exists.
 * Strings are owned by the package and freed by swim_package_free();
 * optional text that is absent is NULL, lists that are empty have n == 0.
 */
#ifndef SWIM_PACKAGE_H
#define SWIM_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "swim/acceptance.h"
#include "swim/buf.h"
#include "swim/constraint.h"
#include "swim/limits.h"

#ifdef __cplusplus
extern "C" {
#endif

/* <checksum checksum-type="sha-256" [verify-process="gunzip"]>hex</checksum> */
typedef struct swim_checksum {
	char *type;            /* "sha-256", "sha-1", ... */
	char *verify_process;  /* NULL or "gunzip" */
	char *value;           /* lower-case hex */
} swim_checksum;

/* SWIM_PAYLOAD_NAME_MAX: a payload name is an ar member name, and must
 * fit the 16-byte name field with GNU ar's '/' terminator. */
#define SWIM_PAYLOAD_NAME_MAX 15

typedef struct swim_payload {
	char *name;
	char *type;            /* vgz, tgz, boot, upgrade, ... */
	uint64_t size;         /* bytes of the payload member */
	bool has_size;
	uint64_t boot_order;   /* boot-order="..." of boot modules */
	bool has_boot_order;
	char *vfat_name;       /* vfat-name="...", NULL when absent */
	swim_checksum *checksums;
	size_t n_checksums;
} swim_payload;

/* <url key="kb">https://...</url> */
typedef struct swim_url {
	char *key;
	char *url;
} swim_url;

/* <hwplatform vendor="..." model="..."/> under <system-requires>; our
 * spelling, as no public example exists (reference/esxi.md §1). */
typedef struct swim_hwplatform {
	char *vendor;
	char *model;           /* NULL: any model of the vendor */
} swim_hwplatform;

/* <softwarePlatform version="8.*" locale="" productLineID="embeddedEsx"/>
 * under <system-requires> (ESXi 8 descriptors); esxcli's "Platforms". */
typedef struct swim_platform {
	char *product_line_id;
	char *version;         /* NULL when absent */
	char *locale;          /* NULL when absent, "" when empty */
} swim_platform;

typedef struct swim_package {
	char *id;              /* vendor_type_name_version, derived */
	char *vib_version;     /* <vib version="5.0"> */
	char *type;            /* bootbank, locker */
	char *name;
	char *version;         /* [epoch:]version-release */
	char *vendor;
	char *summary;
	char *description;
	char *release_date;    /* ISO 8601 as written, NULL when absent */
	swim_url *urls;        /* ReferenceURLs */
	size_t n_urls;

	swim_constraint *depends;
	size_t n_depends;
	swim_constraint *conflicts;
	size_t n_conflicts;
	swim_constraint *replaces;
	size_t n_replaces;
	swim_provide *provides;
	size_t n_provides;
	swim_constraint *compatible_with;
	size_t n_compatible_with;

	char **tags;           /* software-tags */
	size_t n_tags;

	bool maintenance_mode; /* system-requires/maintenance-mode */
	swim_hwplatform *hwplatforms;
	size_t n_hwplatforms;
	swim_platform *platforms;
	size_t n_platforms;

	char **files;          /* file-list, relative paths */
	size_t n_files;
	/* <setid-files>: the paths allowed to carry setuid/setgid bits
	 * (docs/vib.md); any other such entry makes the package hostile. */
	char **setid_files;
	size_t n_setid_files;

	swim_acceptance acceptance;  /* the level the descriptor claims */
	bool live_install_ok;
	bool live_remove_ok;
	bool cimom_restart;
	bool stateless_ready;
	bool overlay;

	swim_payload *payloads;
	size_t n_payloads;

	/* Not in a VIB's own descriptor: */
	char *install_date;    /* image database copy only */
	char **source_urls;    /* where swim found it (SourceUrls) */
	size_t n_source_urls;
	/* depot copy (metadata.zip, vibs/NAME.xml): */
	char *relative_path;
	uint64_t packed_size;
	bool has_packed_size;
	swim_checksum *vib_checksum;  /* checksum of the .vib file */
} swim_package;

/* An empty package. @param[out] out freed with swim_package_free(). */
int swim_package_new(swim_package **out);

/* NULL-safe. */
void swim_package_free(swim_package *pkg);

/* Deep copy. @param[out] out freed with swim_package_free(). */
int swim_package_copy(swim_package **out, const swim_package *pkg);

/* True when every field (including the depot-copy fields) is equal. */
bool swim_package_equal(const swim_package *a, const swim_package *b);

/* Recomputes pkg->id from vendor, type, name and version. */
int swim_package_update_id(swim_package *pkg);

/* Image Builder's implicit provide `name = version`. Borrowed strings:
 * valid while pkg is unchanged. */
void swim_package_self_provide(swim_provide *out, const swim_package *pkg);

/* Parses descriptor.xml (or the depot copy, with relative-path,
 * packed-size and checksum) from memory. Malformed XML, an unknown
 * relation or acceptance level, a missing name/version/vendor/type, an
 * overlong value, deep nesting or a huge document are SWIM_EINVAL or
 * SWIM_ELIMIT with a message naming the element and line. lim NULL means
 * the defaults. docs/descriptor.md has every rule. @param[out] out freed
 * with swim_package_free(). */
int swim_descriptor_read(swim_package **out, const char *xml, size_t len,
                         const swim_limits *lim);

/* The same, with messages starting "WHAT:LINE:" instead of
 * "descriptor.xml:LINE:" (a file name, or "X.vib:descriptor.xml"). */
int swim_descriptor_read_named(swim_package **out, const char *xml,
                               size_t len, const swim_limits *lim,
                               const char *what);

/* Appends descriptor.xml for pkg to buf, in the element order of real
 * VIBs, relations XML-escaped. installdate is written when set; the depot
 * fields (relative-path, packed-size, checksum) only with depot_copy.
 * Reading the result of a package that was read gives an equal package
 * (with depot_copy, or when it has no depot fields). On failure buf is
 * left as it was; SWIM_EINVAL without type, name, version and vendor. */
int swim_descriptor_write(swim_buf *buf, const swim_package *pkg,
                          bool depot_copy);

/* The payload's checksum of `type` ("sha-256") with `verify_process`
 * (NULL or "gunzip"), or NULL. Borrowed. */
const swim_checksum *swim_payload_checksum(const swim_payload *p,
                                           const char *type,
                                           const char *verify_process);

#ifdef __cplusplus
}
#endif
#endif
