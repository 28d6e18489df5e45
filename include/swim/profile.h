/* swim — image profiles: a named, versioned list of packages that makes a
 * whole host image, as Image Builder's ImageProfile.
 *
 * Depots carry them as profiles/<guid>.xml in swim's own schema
 * (docs/depot.md); hosts carry one as their current image. Limits follow
 * Image Builder: Name at most 80 characters, Author 60, Vendor 40.
 */
#ifndef SWIM_PROFILE_H
#define SWIM_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "swim/acceptance.h"
#include "swim/buf.h"
#include "swim/limits.h"
#include "swim/package.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SWIM_PROFILE_NAME_MAX 80
#define SWIM_PROFILE_AUTHOR_MAX 60
#define SWIM_PROFILE_VENDOR_MAX 40

/* A rule: a name/value condition a deployment tool can match hosts
 * against (e.g. "vendor" = "acme"). swim keeps and shows rules; it does
 * not act on them. */
typedef struct swim_profile_rule {
	char *name;
	char *value;
} swim_profile_rule;

typedef struct swim_profile {
	char *guid;            /* 32 lower-case hex digits */
	char *name;
	char *vendor;
	char *author;          /* NULL when absent */
	char *description;     /* NULL when absent */
	swim_acceptance acceptance;
	char *creation_time;   /* ISO 8601 UTC, "2026-11-20T10:00:00Z" */
	char *modified_time;
	bool read_only;
	swim_profile_rule *rules;
	size_t n_rules;
	char **vib_ids;        /* package ids, sorted, unique */
	size_t n_vib_ids;
} swim_profile;

/* A new profile with a random GUID, both times set to now, acceptance
 * partner. @param[out] out freed with swim_profile_free(). */
int swim_profile_new(swim_profile **out, const char *name,
                     const char *vendor);
void swim_profile_free(swim_profile *p);
int swim_profile_copy(swim_profile **out, const swim_profile *p);
bool swim_profile_equal(const swim_profile *a, const swim_profile *b);

/* Checks names against the length limits and characters, the GUID, the
 * times and the package ids. The message names the field. */
int swim_profile_check(const swim_profile *p, const swim_limits *lim);

/* Adds a package id, keeping the list sorted and unique; replacing a
 * package of the same name is the caller's business (it knows the
 * packages). */
int swim_profile_add_vib(swim_profile *p, const char *id);
/* Removes a package id; SWIM_ENOTFOUND when absent. */
int swim_profile_remove_vib(swim_profile *p, const char *id);
bool swim_profile_has_vib(const swim_profile *p, const char *id);

/* Sets modified_time to now. */
int swim_profile_touch(swim_profile *p);

/* Reads a profile XML document. Errors name the element and line.
 * @param[out] out freed with swim_profile_free(). */
int swim_profile_read(swim_profile **out, const char *xml, size_t len,
                      const swim_limits *lim);

/* Appends the profile's XML to buf. Reading it back gives an equal
 * profile. */
int swim_profile_write(swim_buf *buf, const swim_profile *p);

/* Image Builder's ImageProfileDiff (Compare-EsxImageProfile): the
 * comparison profile against the reference, packages matched by name.
 * Lists hold package ids: only_in_ref are ref's packages whose name comp
 * lacks (or has only as a different package of the same version), and so
 * on the other side; upgrade/downgrade list comp's packages that are newer
 * / older than ref's package of the same name. */
typedef struct swim_profile_diff {
	bool equal;            /* same packages and acceptance levels */
	bool packages_equal;   /* same package ids */
	char **only_in_ref;    /* names not in comp at all */
	size_t n_only_in_ref;
	char **only_in_comp;
	size_t n_only_in_comp;
	char **upgrade_from_ref;   /* ids in comp newer than ref's same name */
	size_t n_upgrade_from_ref;
	char **downgrade_from_ref; /* ids in comp older than ref's same name */
	size_t n_downgrade_from_ref;
	swim_acceptance ref_acceptance;
	swim_acceptance comp_acceptance;
} swim_profile_diff;

/* Compares comp against ref, given the packages of each (the caller
 * resolves a profile's ids to packages; packages whose id is not in the
 * profile are ignored, ids without a package are SWIM_ENOTFOUND).
 * @param[out] out freed with swim_profile_diff_dispose(). */
int swim_profile_diff_compute(swim_profile_diff *out,
                              const swim_profile *ref,
                              const swim_package *const *ref_pkgs,
                              size_t n_ref_pkgs,
                              const swim_profile *comp,
                              const swim_package *const *comp_pkgs,
                              size_t n_comp_pkgs);
void swim_profile_diff_dispose(swim_profile_diff *d);

/* Image Builder's rule: a profile's acceptance level is the lowest level
 * of its packages (SWIM_ACCEPTANCE_CERTIFIED for an empty list). */
swim_acceptance swim_profile_lowest_acceptance(const swim_package *const *pkgs,
                                               size_t n);

#ifdef __cplusplus
}
#endif
#endif
