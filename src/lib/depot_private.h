/* The inside of a depot, shared by the files that read, cache, fetch and
 * build depots (depot.c, depot_meta.c, depot_cache.c, depot_snapshot.c,
 * depot_fetch.c, depot_set.c, depot_build.c). */
#ifndef SWIM_LIB_DEPOT_PRIVATE_H
#define SWIM_LIB_DEPOT_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/digest.h"
#include "swim/buf.h"
#include "swim/depot.h"
#include "util/arena.h"

/* Everything a depot's metadata says, as loaded from its documents or
 * from the cache's snapshot. */
typedef struct swim_depot_content {
	swim_depot_vendor *vendors;
	size_t n_vendors;
	swim_depot_channel *channels;
	size_t n_channels;
	char **metas;              /* depot-relative paths of metadata.zip */
	size_t n_metas;
	swim_package **pkgs;       /* sorted by id */
	size_t n_pkgs;
	uint32_t *pkg_meta;        /* per package: index into metas */
	char **pkg_member;         /* per package: its vibs/X.xml member */
	swim_bulletin *bulletins;  /* sorted by id */
	size_t n_bulletins;
	swim_profile **profiles;   /* sorted by name */
	size_t n_profiles;
	swim_arena *arena;         /* set: all of the above lives in it */
} swim_depot_content;

void swim_depot_content_dispose(swim_depot_content *c);

typedef enum swim_depot_kind {
	SWIM_DEPOT_URL,    /* http(s): root is a URL ending in '/' */
	SWIM_DEPOT_DIR,    /* root is a directory */
	SWIM_DEPOT_ZIP     /* root is an offline bundle */
} swim_depot_kind;

struct swim_depot {
	char *name;
	char *display;             /* the location without credentials */
	swim_depot_kind kind;
	char *root;
	char *index;               /* depot-relative path of index.xml */
	swim_limits lim;
	char *cache_dir;           /* NULL: no cache */
	swim_fetch_opts fetch;     /* strings owned (copies) */
	bool from_cache;
	swim_depot_content c;
};

/* A metadata.zip read whole, with what identifies its content. */
typedef struct swim_depot_doc {
	char *path;                /* depot-relative */
	swim_buf data;
	char sha256[SWIM_DIGEST_HEX_MAX];
	char validator[160];       /* what the snapshot key records */
	bool loaded;               /* data holds the content */
} swim_depot_doc;

/* ---- depot.c -------------------------------------------------------- */

/* Resolves the relative reference `ref` against the depot-relative
 * directory `base` ("" or ending in '/') into a depot-relative path
 * appended to out: no scheme, no absolute path, no '..' above the depot,
 * no query or fragment. `what` names the reference in messages. */
int swim_depot_resolve(swim_buf *out, const char *base, const char *ref,
                       const char *what);

/* The depot-relative directory of a depot-relative path ("a/b/" for
 * "a/b/c.xml", "" for "c.xml"), appended to out. */
int swim_depot_dirname(swim_buf *out, const char *path);

/* The URL (with credentials) or file path of depot-relative `path`,
 * appended to out; for a bundle, the member name. */
int swim_depot_source(swim_buf *out, const swim_depot *d, const char *path);

/* sha-256 (hex) and size of the file at path, read once. */
int swim_depot_hash_file(char hex[SWIM_DIGEST_HEX_MAX], uint64_t *size,
                         const char *path);

/* ---- depot_build.c ---------------------------------------------------- */

/* swim_depot_build() from packages that are depot copies already
 * (relative path, packed size, checksum set) instead of .vib files:
 * files[i] is package i's .vib to copy in, or files is NULL for a depot
 * of metadata only (benchmarks, tests of readers). */
int swim_depot_write(const char *out, bool bundle,
                     const swim_package *const *pkgs,
                     const char *const *files, size_t n,
                     const swim_profile *const *profiles, size_t n_profiles,
                     const swim_depot_build_opts *opts);

/* ---- depot_meta.c ----------------------------------------------------- */

/* Parses the metadata.zip files into c (packages, bulletins, profiles)
 * with every cross-check; messages start with the zip's path. */
int swim_depot_meta_load(swim_depot_content *c, swim_depot_doc *docs,
                         size_t n, const swim_limits *lim);

/* Sorts and checks vendors/channels already in c and records the
 * metadata paths. */
int swim_depot_content_take_metas(swim_depot_content *c,
                                  swim_depot_doc *docs, size_t n);

/* ---- depot_cache.c ------------------------------------------------------ */

typedef struct swim_depot_cache swim_depot_cache;

/* The cache entry of depot d under d->cache_dir, created when missing.
 * Never fails for lack of a cache: *out is NULL when there is none or it
 * cannot be used (read-only, no space), and the depot works uncached. */
void swim_depot_cache_open(swim_depot_cache **out, const swim_depot *d);
void swim_depot_cache_free(swim_depot_cache *c);

/* Downloads depot-relative `path` of URL depot d conditionally on the
 * cached copy's validators. With want_data the content ends in
 * doc->data (from the download or the cached copy, whose sha-256 is
 * checked: a corrupt copy is discarded and fetched again); without it an
 * unchanged document is not read at all. doc->sha256 is always set. */
int swim_depot_cache_fetch(swim_depot_cache *c, swim_depot_doc *doc,
                           const swim_depot *d, bool want_data,
                           uint64_t max);

/* Loads doc->data of a document swim_depot_cache_fetch() left unread. */
int swim_depot_cache_load(swim_depot_cache *c, swim_depot_doc *doc,
                          const swim_depot *d, uint64_t max);

/* Writes the validators of everything fetched (best effort). */
void swim_depot_cache_save(swim_depot_cache *c);

/* The snapshot: 0 with c filled when the cache holds one for `key`,
 * SWIM_ENOTFOUND otherwise (a corrupt one is removed). */
int swim_depot_cache_snapshot_load(swim_depot_content *content,
                                   swim_depot_cache *c, const char *key);
/* Best effort: a cache that cannot be written is no error. */
void swim_depot_cache_snapshot_save(swim_depot_cache *c, const char *key,
                                    const swim_depot_content *content);

/* ---- depot_snapshot.c ---------------------------------------------------- */

/* Serialises content into buf (key in the header). */
int swim_depot_snapshot_write(swim_buf *buf, const char *key,
                              const swim_depot_content *content);

/* Reads a snapshot: takes ownership of data (malloc'd, len bytes) in
 * every case. SWIM_ENOTFOUND when the key differs, SWIM_EINVAL when it
 * is corrupt. On success content lives in content->arena. */
int swim_depot_snapshot_read(swim_depot_content *content, char *data,
                             size_t len, const char *key);

#endif
