/* swim — depots and offline bundles: where packages and image profiles
 * come from.
 *
 * A depot is `index.xml` → `vendor-index.xml` → `metadata.zip`
 * (`vmware.xml`, `vibs/X.xml`, `bulletins/X.xml`, `profiles/X.xml`) plus
 * the packages under `vib20/<name>/<id>.vib`; an offline bundle is the
 * same tree as one zip (docs/depot.md has the layout and every rule).
 * A depot is opened from an http://, https:// or file:// URL, a directory
 * or a .zip path; its metadata is cached per location under the cache
 * directory with its validators, and refreshed conditionally. Packages are
 * fetched only when asked for, and checked against the metadata's size and
 * sha-256, then as a package, before they are handed over.
 *
 * Several depots make a set: the set lists every package with the depots
 * that offer it, finds packages the ways esxcli's -n does, and refuses a
 * package id that two enabled depots offer with different content until
 * one of them is disabled.
 */
#ifndef SWIM_DEPOT_H
#define SWIM_DEPOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "swim/conf.h"
#include "swim/fetch.h"
#include "swim/limits.h"
#include "swim/package.h"
#include "swim/profile.h"
#include "swim/vib.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The content type and product id real depots carry, which other tools
 * look for in index.xml and vendor-index.xml. */
#define SWIM_DEPOT_CONTENT_TYPE "http://www.vmware.com/depotmanagement/esx"
#define SWIM_DEPOT_PRODUCT_ID "embeddedEsx"

typedef struct swim_depot_opts {
	const swim_limits *lim;   /* NULL: the defaults */
	char *cache_dir;          /* owned; NULL: no cache */
	char *ca_file;            /* owned; fetch.ca_file points here */
	char *netrc_file;         /* owned; fetch.netrc_file points here */
	swim_fetch_opts fetch;    /* proxies (borrowed from conf), CA file,
	                             netrc; fetch.lim is ignored, lim applies */
} swim_depot_opts;

/* Fills opts from swim.conf: cache_dir (default /var/cache/swim), ca_file
 * and netrc_file — paths taken inside root (swim_conf_path()) — and
 * http_proxy, https_proxy, no_proxy (borrowed: conf must outlive opts);
 * lim is kept as given. Free with swim_depot_opts_dispose(). */
int swim_depot_opts_init(swim_depot_opts *opts, const swim_conf *conf,
                         const char *root, const swim_limits *lim);
void swim_depot_opts_dispose(swim_depot_opts *opts);

/* A <vendor> of index.xml. Absent text is NULL. */
typedef struct swim_depot_vendor {
	char *name;
	char *code;
	char *index_file;      /* <indexfile>, relative to the vendor's path */
	char *patch_url;
	char *relative_path;   /* <relativePath>: the vendor's directory */
	char *content_name;
	char *content_type;    /* SWIM_DEPOT_CONTENT_TYPE */
} swim_depot_vendor;

/* A <metadata> of vendor-index.xml: one metadata.zip for a product. */
typedef struct swim_depot_channel {
	char *product_id;      /* embeddedEsx */
	char *version;         /* "7.*" */
	char *locale;
	char *url;             /* the metadata.zip, relative */
	char *channel_name;
} swim_depot_channel;

/* A bulletin (vmware.xml, bulletins/<id>.xml): a named group of
 * packages for a platform; ESXi 7 calls one with a name and version spec
 * a component. */
typedef struct swim_bulletin {
	char *id;
	char *vendor;
	char *summary;
	char *description;
	char *severity;        /* general, security, … */
	char *category;        /* enhancement, bugfix, … */
	char *urgency;
	char *release_type;    /* extension, patch, … */
	char *kb_url;
	char *contact;
	char *release_date;
	char *component_name;  /* <componentNameSpec name=…>, or NULL */
	char *component_ui;
	char *component_version;  /* <componentVersionSpec version=…> */
	char *component_version_ui;
	swim_platform *platforms;
	size_t n_platforms;
	char **vib_ids;
	size_t n_vib_ids;
} swim_bulletin;

typedef struct swim_depot swim_depot;

/* Opens the depot at `location`: an http://, https:// or file:// URL of
 * the depot's index.xml (a URL not ending in .xml or .zip is taken as the
 * depot's directory), a directory, an index.xml path, a .zip offline
 * bundle (also as zip:PATH?index.xml). Reads the metadata, from the cache
 * when its validators still hold. `name` names the depot in messages and
 * in the set (NULL: the location, without credentials). Errors start with
 * "depot LOCATION: " and name the file and why. @param[out] out freed
 * with swim_depot_free(). */
int swim_depot_open(swim_depot **out, const char *location,
                    const char *name, const swim_depot_opts *opts);
void swim_depot_free(swim_depot *d);

const char *swim_depot_name(const swim_depot *d);
/* The location, without credentials. */
const char *swim_depot_location(const swim_depot *d);
/* True when the metadata came from the cache's snapshot (nothing was
 * parsed). */
bool swim_depot_from_cache(const swim_depot *d);

/* Packages, sorted by id. Borrowed: valid while d lives. */
size_t swim_depot_n_packages(const swim_depot *d);
const swim_package *swim_depot_package(const swim_depot *d, size_t i);
/* The package with this id, or NULL. */
const swim_package *swim_depot_find_id(const swim_depot *d, const char *id);

/* Image profiles, sorted by name. */
size_t swim_depot_n_profiles(const swim_depot *d);
const swim_profile *swim_depot_profile(const swim_depot *d, size_t i);

/* Bulletins, sorted by id. */
size_t swim_depot_n_bulletins(const swim_depot *d);
const swim_bulletin *swim_depot_bulletin(const swim_depot *d, size_t i);

size_t swim_depot_n_vendors(const swim_depot *d);
const swim_depot_vendor *swim_depot_vendor_at(const swim_depot *d,
                                              size_t i);
size_t swim_depot_n_channels(const swim_depot *d);
const swim_depot_channel *swim_depot_channel_at(const swim_depot *d,
                                                size_t i);

/* Downloads (or copies out of the bundle) pkg's .vib to `dest` through a
 * temporary file, checks its size and sha-256 against the metadata, opens
 * it as a package, requires its descriptor to equal the metadata's copy,
 * and verifies every payload. On success dest holds the package and *out
 * the opened package (signature result in (*out)->sig, for the caller's
 * acceptance decision); on failure dest is left absent and the message
 * names the metadata file and the .vib. pkg must be one of d's. */
int swim_depot_fetch(swim_vib **out, const swim_depot *d,
                     const swim_package *pkg, const char *dest,
                     const swim_vib_options *vopt);

/* ---- several depots --------------------------------------------- */

typedef struct swim_depot_set swim_depot_set;

/* @param[out] out freed with swim_depot_set_free(). */
int swim_depot_set_new(swim_depot_set **out);
void swim_depot_set_free(swim_depot_set *s);

/* Adds an opened depot, enabled; the set takes it over (also when this
 * fails). SWIM_EEXISTS when a depot of the same name is in the set. */
int swim_depot_set_add(swim_depot_set *s, swim_depot *d);

/* Enables or disables the depot called `name`; SWIM_ENOTFOUND. */
int swim_depot_set_enable(swim_depot_set *s, const char *name,
                          bool enabled);

size_t swim_depot_set_count(const swim_depot_set *s);
const swim_depot *swim_depot_set_at(const swim_depot_set *s, size_t i);
bool swim_depot_set_is_enabled(const swim_depot_set *s, size_t i);

/* One package id as the enabled depots offer it. */
typedef struct swim_depot_offer {
	const swim_package *pkg;        /* the first depot's copy */
	const swim_depot *const *depots; /* every enabled depot offering
	                                    the id, in set order */
	size_t n_depots;
	bool conflict;                  /* two of them differ in content */
} swim_depot_offer;

/* Every offer, sorted by name, then version (newest last), then id.
 * Borrowed: valid until the set changes. */
int swim_depot_set_offers(const swim_depot_offer **out, size_t *n,
                          swim_depot_set *s);

/* The offers that esxcli's -n `spec` names: name, name:version,
 * vendor:name or vendor:name:version, read as the resolver reads them
 * (swim_resolve_spec_matches()). Conflicting offers are included (check
 * them with swim_depot_offer_check()). SWIM_ENOTFOUND when none.
 * @param[out] out an array freed with free(). */
int swim_depot_set_match(const swim_depot_offer ***out, size_t *n,
                         swim_depot_set *s, const char *spec);

/* The offer of package `id`: SWIM_ENOTFOUND, or SWIM_ECONFLICT naming
 * both depots when they offer different content. */
int swim_depot_set_get(const swim_depot_offer **out, swim_depot_set *s,
                       const char *id);

/* 0, or SWIM_ECONFLICT with the message naming the package and two
 * depots that disagree. */
int swim_depot_offer_check(const swim_depot_offer *o);

/* swim_depot_fetch() from the first depot of the offer of `id`, refused
 * for a conflicting offer. */
int swim_depot_set_fetch(swim_vib **out, swim_depot_set *s,
                         const char *id, const char *dest,
                         const swim_vib_options *vopt);

/* One image profile name as the enabled depots offer it. */
typedef struct swim_depot_profile_offer {
	const swim_profile *profile;    /* the first depot's */
	const swim_depot *const *depots;
	size_t n_depots;
	bool conflict;                  /* same name, different profiles */
} swim_depot_profile_offer;

/* Every profile, sorted by name. Borrowed: valid until the set changes. */
int swim_depot_set_profiles(const swim_depot_profile_offer **out,
                            size_t *n, swim_depot_set *s);

/* The profile called `name`: SWIM_ENOTFOUND, or SWIM_ECONFLICT naming
 * both depots. */
int swim_depot_set_find_profile(const swim_depot_profile_offer **out,
                                swim_depot_set *s, const char *name);

/* ---- building --------------------------------------------------- */

typedef struct swim_depot_build_opts {
	const char *vendor_name;      /* index.xml <name>; NULL: the packages'
	                                 vendor when they share one, else "swim" */
	const char *vendor_code;      /* <code>; NULL: derived from the name */
	const char *platform_version; /* vendor-index <version> and bulletin
	                                 platforms; NULL: "*" */
	int64_t source_date_epoch;    /* times written; -1: now */
	const swim_limits *lim;       /* NULL: the defaults */
} swim_depot_build_opts;

/* Writes a depot (directory `out`, created when missing, must not hold
 * a depot already) or, with bundle, an offline bundle (zip file `out`,
 * written atomically) from .vib files and image profile files: every
 * package is verified, its depot copy gets relative-path, packed-size and
 * sha-256, one bulletin per package, profiles must name only the given
 * packages. Members are written in a fixed order with fixed times, so the
 * same inputs and source_date_epoch give identical bytes (in one time
 * zone: zip stores local times; swim-pack runs in UTC). */
int swim_depot_build(const char *out, bool bundle,
                     const char *const *vibs, size_t n_vibs,
                     const char *const *profiles, size_t n_profiles,
                     const swim_depot_build_opts *opts);

#ifdef __cplusplus
}
#endif
#endif
