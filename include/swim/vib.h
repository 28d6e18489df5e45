/* swim — VIB files: build, sign, open, verify and extract packages.
 *
 * A .vib is an ar archive: descriptor.xml, sig.pkcs7 (empty when
 * unsigned), then one gzip'd tar per payload (reference/esxi.md §1,
 * docs/vib.md). Reading checks every byte before anything is trusted:
 * the member layout, each payload's size and both sha-256 checksums
 * (computed while streaming, never holding a payload in memory), the
 * safety rules for every tar entry, and the signature against a trust
 * store. A hostile package is an error that names the member, the entry
 * and the rule, and nothing is written.
 */
#ifndef SWIM_VIB_H
#define SWIM_VIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "swim/acceptance.h"
#include "swim/limits.h"
#include "swim/package.h"
#include "swim/signature.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One payload to build: the tree under `dir` becomes payload `name`. */
typedef struct swim_vib_payload_spec {
	const char *name;
	const char *type;      /* NULL: the descriptor's type, else "tgz" */
	const char *dir;
} swim_vib_payload_spec;

typedef struct swim_vib_build_options {
	int64_t source_date_epoch;  /* clamp mtimes to this; -1: do not */
	const swim_limits *lim;     /* NULL: the defaults */
} swim_vib_build_options;

/* Writes out_path (atomically) from the descriptor `tmpl` and the
 * payload trees: each payload's size, sha-256 and sha-256 gunzip
 * checksums and the file-list are filled in, sig.pkcs7 is empty. Every
 * payload of tmpl needs a spec; specs may add payloads. The same inputs
 * and source_date_epoch give byte-identical files. */
int swim_vib_build(const char *out_path, const swim_package *tmpl,
                   const swim_vib_payload_spec *specs, size_t n_specs,
                   const swim_vib_build_options *opt);

/* Verifies in_path's integrity, then writes out_path (which may be
 * in_path) with sig.pkcs7 replaced by a CMS signature over its
 * descriptor.xml made with the PEM key and certificate (chain_path: more
 * PEM certificates to include, or NULL). */
int swim_vib_sign(const char *out_path, const char *in_path,
                  const char *key_path, const char *cert_path,
                  const char *chain_path, const swim_limits *lim);

typedef enum swim_vib_status {
	SWIM_VIB_UNCHECKED = 0,  /* not read (yet) */
	SWIM_VIB_OK,
	SWIM_VIB_MISMATCH,
	SWIM_VIB_ABSENT          /* the descriptor declares no such value */
} swim_vib_status;

/* What reading one payload found, in descriptor order. */
typedef struct swim_vib_payload_result {
	const char *name;              /* borrowed from the package */
	uint64_t size;                 /* bytes of the member */
	uint64_t expanded_size;
	uint64_t entries;
	swim_vib_status size_status;
	swim_vib_status sha256_status;
	swim_vib_status gunzip_status; /* sha-256, verify-process gunzip */
	char sha256[65];               /* computed, hex */
	char sha256_gunzip[65];
} swim_vib_payload_result;

typedef struct swim_vib_options {
	const char *trust_dir;  /* trust store; NULL: nothing is trusted */
	bool no_sig_check;      /* count the package at the level it claims */
	const swim_limits *lim; /* NULL: the defaults */
} swim_vib_options;

typedef struct swim_vib_private swim_vib_private;

typedef struct swim_vib {
	swim_package *pkg;               /* the descriptor */
	swim_signature_result sig;       /* signed, signer, proven level */
	bool sig_checked;                /* false under no_sig_check */
	swim_acceptance claimed;         /* the descriptor's level */
	bool satisfied;                  /* proven >= claimed (or bypass) */
	swim_vib_payload_result *payloads;  /* pkg->n_payloads of them */
	bool verified;                   /* every payload read and intact */
	swim_vib_private *priv;
} swim_vib;

/* Opens a .vib: checks the member layout, reads and parses
 * descriptor.xml, verifies sig.pkcs7 against it and decides the proven
 * level (SWIM_ESIGNATURE for a signature that does not match, unless
 * no_sig_check). Payloads are read by swim_vib_verify().
 * @param[out] out freed with swim_vib_free(). */
int swim_vib_open(swim_vib **out, const char *path,
                  const swim_vib_options *opt);

/* The same, with messages naming `name` instead of path (a download's
 * temporary file named by where it came from). */
int swim_vib_open_named(swim_vib **out, const char *path, const char *name,
                        const swim_vib_options *opt);

/* The same from memory (borrowed until swim_vib_free); `name` names it
 * in messages. */
int swim_vib_open_memory(swim_vib **out, const void *data, size_t len,
                         const char *name, const swim_vib_options *opt);

/* Streams every payload: member layout, sizes, both checksums, every
 * safety rule. 0 when all is intact (vib->verified); otherwise the first
 * failure (SWIM_ECHECKSUM, SWIM_EINVAL, SWIM_ELIMIT, ...) naming the
 * member and rule, with vib->payloads filled as far as reading got. */
int swim_vib_verify(swim_vib *vib);

/* Verifies, then unpacks every payload into dir (created when missing,
 * else it must be empty) under the same rules: never through a symlink,
 * never outside dir, nothing written at all for a hostile package. */
int swim_vib_extract(swim_vib *vib, const char *dir);

void swim_vib_free(swim_vib *vib);

/* "ok", "MISMATCH", "absent", "not checked". */
const char *swim_vib_status_name(swim_vib_status s);

#ifdef __cplusplus
}
#endif
#endif
