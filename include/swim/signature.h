/* swim — package signatures: CMS (PKCS#7) detached signatures over the
 * exact bytes of descriptor.xml, and the trust store that decides which
 * acceptance level a signature proves.
 *
 * The trust store is a directory with one sub-directory per level,
 * `certified/`, `accepted/`, `partner/`, each holding PEM (or DER) CA
 * certificates and optional CRLs (`*.crl`, or PEM "X509 CRL" blocks). A
 * certificate in a level's directory is a trust anchor for that level
 * only, even when it is not self-signed (partial chains), so one root may
 * issue a CA per level without the root itself being trusted anywhere.
 * A level's CRLs are applied to every certificate of a chain they cover.
 */
#ifndef SWIM_SIGNATURE_H
#define SWIM_SIGNATURE_H

#include <stdbool.h>
#include <stddef.h>

#include "swim/acceptance.h"
#include "swim/buf.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct swim_trust swim_trust;

/* Loads DIR/{certified,accepted,partner}/; a missing directory (or
 * sub-directory) is an empty level. A file that is neither a certificate
 * nor a CRL is SWIM_EINVAL naming it. @param[out] out freed with
 * swim_trust_free(). */
int swim_trust_load(swim_trust **out, const char *dir);

/* The store's directory. Borrowed. */
const char *swim_trust_dir(const swim_trust *trust);

/* Number of CA certificates trusted at `level`. */
size_t swim_trust_count(const swim_trust *trust, swim_acceptance level);

void swim_trust_free(swim_trust *trust);

/* What a signature proves. */
typedef struct swim_signature_result {
	bool is_signed;        /* sig.pkcs7 is not empty */
	char *signer;          /* subject of the signer (RFC 2253), or NULL */
	swim_acceptance proven;  /* community when nothing is proven */
	char *note;            /* why no level was proven, or NULL */
} swim_signature_result;

/* Signs `len` bytes with the PEM private key and certificate at
 * key_path and cert_path (plus the PEM certificates of chain_path, which
 * may be NULL, included for verifiers) and appends the DER CMS
 * SignedData (detached, sha-256) to out. */
int swim_signature_create(swim_buf *out, const void *data, size_t len,
                          const char *key_path, const char *cert_path,
                          const char *chain_path);

/* Checks `sig` (DER or PEM CMS) against `data`. An empty sig gives an
 * unsigned result (community). A signature that is malformed or does not
 * match the data is SWIM_ESIGNATURE. A matching signature proves the
 * highest level whose store verifies the signer's chain (validity dates,
 * CRLs, code-signing key usage when the certificate restricts it); a
 * signer no store trusts proves community, with the reason in note.
 * trust may be NULL (then nothing is trusted). Free the result's members
 * with swim_signature_result_dispose(). */
int swim_signature_verify(swim_signature_result *out, const void *data,
                          size_t len, const void *sig, size_t sig_len,
                          const swim_trust *trust);

void swim_signature_result_dispose(swim_signature_result *res);

#ifdef __cplusplus
}
#endif
#endif
