/* swim — the payload store: the payloads of the current, pending and
 * previous images kept by sha-256 under ROOT/var/lib/swim/store/, so that
 * repair, rollback and boot work after the depot is gone.
 *
 * The database lists what the store holds (sha-256 -> size); which image
 * slots need a payload follows from the payloads of the packages each
 * slot holds, so it never disagrees with the images. The file operations
 * are the transaction engine's: it writes store/<aa>/<sha-256> (aa: the
 * first two hex digits) and then calls swim_store_add(); it deletes what
 * swim_store_garbage() lists and then calls swim_store_remove().
 */
#ifndef SWIM_STORE_H
#define SWIM_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "swim/buf.h"
#include "swim/host.h"
#include "swim/image.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The bit of a slot in swim_store_refs()'s mask. */
#define SWIM_STORE_REF(slot) (1u << (unsigned)(slot))

/* Appends "store/<aa>/<sha256>", relative to ROOT/var/lib/swim.
 * SWIM_EINVAL unless sha256 is 64 lower-case hex digits. */
int swim_store_relpath(swim_buf *out, const char *sha256);

/* Records that the store holds the payload. Adding it again with the
 * same size is not an error; another size is SWIM_ECONFLICT. */
int swim_store_add(swim_host *h, const char *sha256, uint64_t size);

/* Whether the store holds it, and its size. size may be NULL. */
int swim_store_get(bool *present, uint64_t *size, swim_host *h,
                   const char *sha256);

/* The slots whose packages have a payload with this sha-256, as a mask
 * of SWIM_STORE_REF(slot) bits (0: none). */
int swim_store_refs(unsigned *slots, swim_host *h, const char *sha256);

/* Payloads the store holds that no slot needs (to delete).
 * @param[out] out freed with swim_host_strv_free(). */
int swim_store_garbage(char ***out, size_t *n_out, swim_host *h);

/* Payloads a slot needs that the store does not hold.
 * @param[out] out freed with swim_host_strv_free(). */
int swim_store_missing(char ***out, size_t *n_out, swim_host *h,
                       swim_image_slot slot);

/* The payloads the store lists and their bytes. */
int swim_store_usage(uint64_t *n_payloads, uint64_t *bytes, swim_host *h);

/* Garbage collection (`swim host gc`; also after every transaction and
 * activation): deletes the payloads no image slot needs, files of the
 * store the database does not list and temporaries of killed runs, and
 * empties the staging area (downloads, partial ones included). The host
 * must be open for writing. n_removed and bytes_removed may be NULL. */
int swim_store_collect(uint64_t *n_removed, uint64_t *bytes_removed,
                       swim_host *h);

/* Forgets a payload (after its file is deleted). SWIM_ENOTFOUND when the
 * store does not list it. */
int swim_store_remove(swim_host *h, const char *sha256);

#ifdef __cplusplus
}
#endif
#endif
