/* swim — package versions: `[epoch:]version[-release]`.
 *
 * The release is what follows the *last* '-' (as rpm and libsolv split
 * it); the epoch is a run of digits before a ':'. Comparison is rpm's:
 * epoch numerically (absent = 0), then the version part, then the release
 * part, each with rpmvercmp semantics; a version without a release sorts
 * before the same version with one (libsolv's EVRCMP_COMPARE).
 */
#ifndef SWIM_VERSION_H
#define SWIM_VERSION_H

#include <stddef.h>

#include "swim/limits.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Borrowed views into a version string; lengths exclude separators. A
 * part that is absent has ptr NULL and len 0 (an empty release, "1.0-",
 * has a non-NULL ptr and len 0). */
typedef struct swim_version_parts {
	const char *epoch;
	size_t epoch_len;
	const char *version;
	size_t version_len;
	const char *release;
	size_t release_len;
} swim_version_parts;

/* Splits `evr` without copying or validating. Never fails. */
void swim_version_split(swim_version_parts *out, const char *evr);

/* rpmvercmp on one part: -1, 0 or 1. Alternating digit and letter
 * segments; digits compare as numbers, ignoring leading zeros; a digit
 * segment is newer than a letter segment; '~' sorts before everything,
 * even the end; '^' sorts after the end but before any other segment; any
 * other byte only separates. */
int swim_vercmp(const char *a, size_t alen, const char *b, size_t blen);

/* Compares two whole versions (epoch, version, release): -1, 0 or 1.
 * Image Builder's SoftwareVersion.Compare. */
int swim_version_compare(const char *a, const char *b);

/* Checks that `v` is acceptable as a package version: not empty, at most
 * lim->version_max_bytes, printable ASCII without blanks, a numeric epoch
 * if one is given, a non-empty version part. The message says which rule
 * failed. lim NULL means the defaults. */
int swim_version_check(const char *v, const swim_limits *lim);

/* Semi-private, for constraint matching: compares a provide's version
 * with a constraint's as libsolv's EVRCMP_MATCH_RELEASE does. Like
 * swim_version_compare(), but an empty release counts as absent, and when
 * exactly one side has a release the result is -2 (the provide lacks it)
 * or 2 (the constraint lacks it) instead of comparing releases. */
int swim_version__match_cmp(const char *provide, const char *constraint);

#ifdef __cplusplus
}
#endif
#endif
