/* swim — verification: are the files of the installed packages still
 * what the packages put there?
 *
 * Every file the database records for a package of the current image is
 * compared with what is on disk: existence, size, mode, checksum, owner,
 * group, link target, device number and modification time, each where it
 * applies to the file's type (OpenLMI's FileCheck rules, below). The
 * result holds per file the original and the current values and the
 * failed checks as FailedFlags, so the CIM layer maps each file to a
 * SWIM_SoftwareIdentityFileCheck one to one. Files are read through the
 * root (never following a symlink out of it) and hashed on several
 * threads.
 *
 * Which checks apply:
 * - existence: every file; a missing file skips every other check;
 * - size: regular files and symlinks (the length of the target);
 * - mode: the type always, permission bits except on symlinks;
 * - checksum (sha-256) and modification time: regular files;
 * - device number: character and block devices;
 * - link target: symlinks;
 * - user and group: every file.
 * A path that several packages own (an overlay) is checked against the
 * package whose file is on disk: an overlay over the others, then the
 * one installed last; the other owners' records are reported as
 * shadowed and not checked.
 */
#ifndef SWIM_VERIFY_H
#define SWIM_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "swim/host.h"
#include "swim/image.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The checks, numbered as CIM FailedFlags. */
typedef enum swim_verify_check {
	SWIM_VERIFY_EXISTENCE = 0,
	SWIM_VERIFY_SIZE = 1,
	SWIM_VERIFY_MODE = 2,
	SWIM_VERIFY_CHECKSUM = 3,
	SWIM_VERIFY_DEVICE = 4,
	SWIM_VERIFY_LINK_TARGET = 5,
	SWIM_VERIFY_USER = 6,
	SWIM_VERIFY_GROUP = 7,
	SWIM_VERIFY_MTIME = 8
} swim_verify_check;

#define SWIM_VERIFY_CHECKS 9
#define SWIM_VERIFY_BIT(check) (1u << (unsigned)(check))

/* "Existence", "FileSize", "FileMode", "Checksum", "Device Number",
 * "LinkTarget", "UserID", "GroupID", "Last Modification Time". */
const char *swim_verify_check_name(swim_verify_check check);

/* One side of the comparison. */
typedef struct swim_verify_values {
	swim_file_type type;   /* 0 when the file does not exist */
	uint32_t mode;         /* permission bits with setuid/setgid/sticky */
	uint32_t uid;
	uint32_t gid;
	uint64_t size;
	char sha256[65];       /* regular files; "" when not computed */
	char *link_target;     /* symlinks, else NULL */
	uint64_t rdev;         /* devices, else 0 */
	int64_t mtime;         /* seconds since the epoch */
} swim_verify_values;

typedef struct swim_verify_file {
	char *path;            /* relative to ROOT */
	char *vib_id;          /* the package that owns it */
	bool exists;
	bool shadowed;         /* another package's file is on disk here */
	swim_verify_values original;  /* as the package installed it */
	swim_verify_values current;   /* as found (when exists) */
	unsigned checked;      /* SWIM_VERIFY_BIT()s of the checks made */
	unsigned failed;       /* SWIM_VERIFY_BIT()s of the checks failed */
	unsigned unknown;      /* checks that could not be made (an
	                        * unreadable file's checksum) */
	char *error;           /* why a check could not be made, or NULL */
} swim_verify_file;

typedef struct swim_verify_options {
	/* esxcli -n specifications; none: every package of the image */
	const char *const *specs;
	size_t n_specs;
	/* Keep only files with a failed or unknown check. */
	bool failed_only;
	/* Hashing threads; 0: one per CPU, at most 8. */
	unsigned threads;
} swim_verify_options;

typedef struct swim_verify_result {
	swim_verify_file *files;   /* by package name, then path */
	size_t n_files;
	size_t n_checked;          /* files checked (before failed_only) */
	size_t n_failed;           /* files with a failed or unknown check */
	char **vib_ids;            /* the packages verified, by name */
	size_t n_vib_ids;
} swim_verify_result;

/* Verifies the files of the current image's packages (all, or those the
 * specifications match: SWIM_ENOTFOUND "No VIB matching VIB search
 * specification 'X'." otherwise). Returns 0 whether or not files
 * failed; see result->n_failed. A host with an interrupted transaction
 * must be recovered first (SWIM_EBUSY says so). opt may be NULL.
 * @param[out] out freed with swim_verify_result_free(). */
int swim_verify_run(swim_verify_result **out, swim_host *h,
                    const swim_verify_options *opt);

void swim_verify_result_free(swim_verify_result *r);

/* The FailedFlags of a file, in check order: fills out (room for
 * SWIM_VERIFY_CHECKS) and returns how many. */
size_t swim_verify_failed_flags(uint16_t *out, unsigned failed);

/* rpm -V's eight columns "SM5DLUGT": the letter where the check failed,
 * '?' where it could not be made, '.' where it passed or does not
 * apply. out holds 9 bytes. */
void swim_verify_rpm_flags(char out[9], const swim_verify_file *f);

#ifdef __cplusplus
}
#endif
#endif
