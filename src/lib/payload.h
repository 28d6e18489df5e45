/* Payloads: the gzip'd tar members of a .vib, written from a directory
 * and read as a stream with every safety rule (lib/tree.h) applied and
 * both checksums computed as the bytes flow: sha-256 of the member and
 * sha-256 of its gunzipped content (`verify-process="gunzip"`). Nothing
 * is held in memory but libarchive's blocks. */
#ifndef SWIM_LIB_PAYLOAD_H
#define SWIM_LIB_PAYLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include <archive.h>
#include <archive_entry.h>

#include "lib/ar.h"
#include "lib/digest.h"
#include "lib/tree.h"
#include "swim/limits.h"

/* What a payload's bytes are: sizes and checksums (lower-case hex). The
 * sha-1 fields are computed only when asked for (want_sha1). */
typedef struct swim_payload_sums {
	uint64_t size;               /* bytes of the member (compressed) */
	uint64_t expanded_size;      /* bytes after gunzip */
	uint64_t entries;            /* tar entries */
	char sha256[SWIM_DIGEST_HEX_MAX];
	char sha256_gunzip[SWIM_DIGEST_HEX_MAX];
	bool want_sha1;
	bool member_hashed;          /* sha256 is final even after a failure */
	char sha1[SWIM_DIGEST_HEX_MAX];
	char sha1_gunzip[SWIM_DIGEST_HEX_MAX];
} swim_payload_sums;

/* Called with each path (normalised, no trailing '/') that is not a
 * directory, in archive order, for the descriptor's file-list. */
typedef int (*swim_payload_file_fn)(void *ctx, const char *path);

typedef struct swim_payload_source {
	const char *name;            /* payload name, for messages */
	const char *dir;             /* the tree to pack */
	int64_t clamp_mtime;         /* SOURCE_DATE_EPOCH, or -1 */
	swim_tree *tree;             /* the package's tree (rules) */
	unsigned index;              /* payload number within the package */
	swim_payload_file_fn on_file;
	void *ctx;
	const swim_limits *lim;      /* NULL: the defaults */
} swim_payload_source;

/* Packs src->dir as a gzip'd POSIX (pax) tar into fd: entries in
 * byte-wise sorted order, depth first; mode, numeric and named owner,
 * mtime (whole seconds, clamped to clamp_mtime when set), symlinks and
 * hard links kept; no gzip timestamp. Fills sums (size and both sha-256
 * checksums). Every entry passes the rules of lib/tree.h first, so
 * swim never writes a payload it would refuse to read. */
int swim_payload_write(swim_payload_sums *sums, int fd,
                       const swim_payload_source *src);

/* Called for each entry that passed the rules; it may read the entry's
 * data from tar (archive_read_data_block), or leave it to be skipped. */
typedef int (*swim_payload_entry_fn)(void *ctx, struct archive *tar,
                                     struct archive_entry *e,
                                     const char *path);

typedef struct swim_payload_sink {
	const char *name;            /* payload name, for messages */
	uint64_t size;               /* the member's size (== declared) */
	swim_tree *tree;
	unsigned index;
	swim_payload_entry_fn on_entry;  /* NULL: only check */
	void *ctx;
	const swim_limits *lim;
} swim_payload_sink;

/* Reads the current member of ar as a gzip'd tar: every byte hashed,
 * every entry checked, the expanded size bounded by
 * payload_max_expanded_bytes and by payload_max_ratio × size (past
 * payload_ratio_floor_bytes). Errors name the payload, the entry when
 * there is one, and the rule. Fills sums; comparing them with the
 * descriptor is the caller's. After a failure the rest of the member is
 * still read and hashed when possible (member_hashed), so the caller can
 * tell damaged bytes from a well-formed hostile payload. */
int swim_payload_read(swim_payload_sums *sums, swim_ar_reader *ar,
                      const swim_payload_sink *sink);

/* The same from any source of blocks: fn hands out the payload's next
 * block (borrowed until the next call), *len 0 at its end. */
typedef int (*swim_payload_read_fn)(void *src, const void **data,
                                    size_t *len);
int swim_payload_read_from(swim_payload_sums *sums, swim_payload_read_fn fn,
                           void *src, const swim_payload_sink *sink);

/* The most bytes a payload of `size` compressed bytes may expand to. */
uint64_t swim_payload_expand_budget(uint64_t size, const swim_limits *lim);

/* Hands each block of the current entry's data to fn with its offset
 * (holes of a sparse entry are skipped: offsets jump). Errors name path. */
typedef int (*swim_payload_block_fn)(void *ctx, const void *buf, size_t len,
                                     uint64_t off);
int swim_payload_entry_blocks(struct archive *tar, const char *path,
                              swim_payload_block_fn fn, void *ctx);

/* An on_entry callback state that writes entries below `root` (an
 * existing directory, given as an absolute path without symlinks) with
 * libarchive's disk writer: no overwriting, never through symlinks or
 * '..'; owners restored only when running as root. */
typedef struct swim_payload_disk {
	struct archive *disk;
	const char *root;
	swim_buf path;
	swim_buf link;
	const char *current;   /* the entry being written, for messages */
} swim_payload_disk;

int swim_payload_disk_init(swim_payload_disk *d, const char *root);
int swim_payload_disk_entry(void *ctx, struct archive *tar,
                            struct archive_entry *e, const char *path);
/* Applies deferred directory modes and times. */
int swim_payload_disk_finish(swim_payload_disk *d);
void swim_payload_disk_dispose(swim_payload_disk *d);

#endif
