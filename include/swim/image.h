/* swim — host images: the packages installed on a host, their files, and
 * the image profile that names them, for each image slot.
 *
 * A host has up to three images (reference/esxi.md §7): the current one
 * (running), a pending one (staged by a reboot-required change, activated
 * by the next boot) and the previous one (kept for rollback). An image is
 * an image profile (name, vendor, acceptance level, ...) plus a set of
 * installed-package records, at most one per package name. A record (a
 * package as installed: descriptor, proven acceptance level, signer,
 * install date, source, files, payloads) is shared by every slot that
 * holds it, so a pending image that changes one package of a thousand
 * adds one record. Records no slot holds are dropped by
 * swim_image_gc().
 */
#ifndef SWIM_IMAGE_H
#define SWIM_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "swim/host.h"
#include "swim/package.h"
#include "swim/profile.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum swim_image_slot {
	SWIM_IMAGE_CURRENT = 0,
	SWIM_IMAGE_PENDING = 1,
	SWIM_IMAGE_PREVIOUS = 2
} swim_image_slot;

#define SWIM_IMAGE_SLOTS 3

/* "current", "pending", "previous". */
const char *swim_image_slot_name(swim_image_slot slot);

/* ---- installed-package records --------------------------------------- */

typedef struct swim_host_package {
	int64_t record;          /* the record's id, shared by slots */
	swim_package *pkg;       /* every descriptor field; install_date set,
	                          * source_urls = { source } when known */
	swim_acceptance proven;  /* the level its signature proved (the
	                          * claimed one under --no-sig-check) */
	char *signer;            /* signing certificate subject, NULL unsigned */
	char *source;            /* where it came from (URL or path), or NULL */
} swim_host_package;

void swim_host_package_free(swim_host_package *p);
void swim_host_package_list_free(swim_host_package **v, size_t n);

typedef enum swim_file_type {
	SWIM_FILE_REGULAR = 'f',
	SWIM_FILE_DIRECTORY = 'd',
	SWIM_FILE_SYMLINK = 'l',
	SWIM_FILE_CHAR = 'c',
	SWIM_FILE_BLOCK = 'b',
	SWIM_FILE_FIFO = 'p'
} swim_file_type;

/* One installed file as the package put it there. */
typedef struct swim_host_file {
	const char *path;        /* relative to ROOT, no leading '/' */
	swim_file_type type;
	uint32_t mode;           /* permission bits with setuid/setgid/sticky */
	uint32_t uid;
	uint32_t gid;
	uint64_t size;
	const char *sha256;      /* lower-case hex of regular files, else NULL */
	const char *link_target; /* symlinks, else NULL */
	uint64_t rdev;           /* device number of devices, else 0 */
	int64_t mtime;           /* seconds since the epoch */
	const char *payload;     /* payload it came from, or NULL */
	const char *vib_id;      /* owning package (set when listing) */
} swim_host_file;

/* Adds a record: the package (pkg->install_date NULL means now), its
 * proven level, signer and source, its files and (from the descriptor)
 * its payloads with their sha-256. The record is in no slot yet: see
 * swim_image_add(). Files are checked (relative, no '..', no repeats).
 * @param[out] record the new record's id. */
int swim_host_package_add(int64_t *record, swim_host *h,
                          const swim_host_package *in,
                          const swim_host_file *files, size_t n_files);

/* Reads one record. @param[out] out freed with swim_host_package_free(). */
int swim_host_package_get(swim_host_package **out, swim_host *h,
                          int64_t record);

/* Calls fn for each file of a record, by path; the file is borrowed for
 * the call. fn returning non-zero stops and is returned. */
typedef int (*swim_host_file_fn)(const swim_host_file *f, void *ctx);
int swim_host_files_foreach(swim_host *h, int64_t record,
                            swim_host_file_fn fn, void *ctx);

/* Number of files of a record. */
int swim_host_files_count(uint64_t *out, swim_host *h, int64_t record);

/* The ids of the packages of `slot` that own `path` (more than one only
 * with overlays). @param[out] out freed with swim_host_strv_free(). */
int swim_host_path_owners(char ***out, size_t *n_out, swim_host *h,
                          swim_image_slot slot, const char *path);

/* The paths other than directories that more than one package of `slot`
 * owns (overlays), one row per owner, sorted by path: paths[i] is owned
 * by record records[i]. @param[out] paths freed with
 * swim_host_strv_free(), records with free(). */
int swim_image_shared_paths(char ***paths, int64_t **records, size_t *n_out,
                            swim_host *h, swim_image_slot slot);

/* ---- images ------------------------------------------------------------ */

/* Whether the slot holds an image (the current one always does). */
int swim_image_exists(bool *out, swim_host *h, swim_image_slot slot);

/* The packages of a slot, by name. An absent slot is SWIM_ENOTFOUND.
 * @param[out] out freed with swim_host_package_list_free(). */
int swim_image_packages(swim_host_package ***out, size_t *n_out,
                        swim_host *h, swim_image_slot slot);

/* The packages of a slot matching an esxcli package specification: the
 * package id, NAME, NAME:VERSION, VENDOR:NAME or VENDOR:NAME:VERSION
 * (swim_image_spec_matches()). SWIM_ENOTFOUND "No VIB matching VIB search
 * specification 'SPEC'." when none does.
 * @param[out] out freed with swim_host_package_list_free(). */
int swim_image_find(swim_host_package ***out, size_t *n_out, swim_host *h,
                    swim_image_slot slot, const char *spec);

/* True when spec is pkg's id or matches it as swim_resolve_spec_matches()
 * says (versions compared as versions, an epoch's ':' part of one). */
bool swim_image_spec_matches(const swim_package *pkg, const char *spec);

/* Puts a record into a slot. SWIM_ECONFLICT when the slot already holds
 * a package of that name (remove it first: one version per name). */
int swim_image_add(swim_host *h, swim_image_slot slot, int64_t record);

/* Takes the package called `name` out of a slot (the record stays until
 * swim_image_gc()). SWIM_ENOTFOUND when the slot has none. */
int swim_image_remove(swim_host *h, swim_image_slot slot, const char *name);

/* The slot's image profile; vib_ids are the slot's packages.
 * @param[out] out freed with swim_profile_free(). */
int swim_image_profile(swim_profile **out, swim_host *h,
                       swim_image_slot slot);

/* Stores the profile's metadata (guid, name, vendor, author, description,
 * acceptance, times, read-only, rules) for a slot, creating the slot when
 * it is empty (its package list starts empty). p->vib_ids are ignored:
 * the package list is what swim_image_add/remove made it. */
int swim_image_profile_set(swim_host *h, swim_image_slot slot,
                           const swim_profile *p);

/* ESXi's rule for an image changed package by package (vib install,
 * update, remove) rather than by applying a whole profile: the name gets
 * the prefix "(Updated) " once (cut to the 80-character limit; an unnamed
 * profile stays unnamed), and the modification time becomes now. */
int swim_image_profile_mark_updated(swim_profile *p);

/* Replaces slot `to` with a copy of slot `from` (profile and packages);
 * the records are shared. */
int swim_image_copy(swim_host *h, swim_image_slot from, swim_image_slot to);

/* Moves slot `from` to `to` (which must be empty; SWIM_EEXISTS
 * otherwise); `from` becomes empty. The current slot cannot be left
 * empty: moving it away needs another image moved in within the same
 * transaction, checked at swim_host_commit(). */
int swim_image_move(swim_host *h, swim_image_slot from, swim_image_slot to);

/* Empties a slot (pending or previous; the current one cannot be
 * deleted). Deleting an empty slot is not an error. */
int swim_image_delete(swim_host *h, swim_image_slot slot);

/* Drops the records that no slot holds, with their files and payload
 * references. @param[out] n_removed may be NULL. */
int swim_image_gc(swim_host *h, uint64_t *n_removed);

#ifdef __cplusplus
}
#endif
#endif
