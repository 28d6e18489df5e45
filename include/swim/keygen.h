/* swim — a test PKI for package signatures (`swim-pack keygen`), for
 * tests, demos and vendors trying swim out.
 *
 * swim_keygen_create() writes into DIR:
 *   ca.key, ca.crt                 the test root CA
 *   LEVEL-ca.key, LEVEL-ca.crt     one CA per level, issued by the root
 *   LEVEL.key, LEVEL.crt           one signing certificate per level
 *   trust/LEVEL/LEVEL-ca.crt       the matching trust store
 * for LEVEL in certified, accepted, partner. Each level's store holds only
 * that level's CA (a partial-chain anchor), never the root, so a partner
 * signature can never prove certified. Keys are ECDSA P-256, unencrypted,
 * mode 0600; certificates are valid for ten years.
 */
#ifndef SWIM_KEYGEN_H
#define SWIM_KEYGEN_H

#include <stdint.h>

#include "swim/acceptance.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Creates DIR (if needed) and everything above. SWIM_EEXISTS when DIR
 * already holds a test CA. */
int swim_keygen_create(const char *dir);

/* Issues one more signing certificate from the CA of `level` in a DIR
 * made by swim_keygen_create(): DIR/NAME.key and DIR/NAME.crt, valid from
 * not_before to not_after (seconds since the epoch). */
int swim_keygen_issue(const char *dir, swim_acceptance level,
                      const char *name, int64_t not_before,
                      int64_t not_after);

/* Revokes the certificate at cert_path: adds it to the CRL of the level
 * CA that issued it, DIR/trust/LEVEL/LEVEL-ca.crl (created when absent).
 * SWIM_ENOTFOUND when no level CA of DIR issued it. */
int swim_keygen_revoke(const char *dir, const char *cert_path);

#ifdef __cplusplus
}
#endif
#endif
