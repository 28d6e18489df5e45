/* Semi-private: the OpenSSL store behind one level of a trust store. */
#ifndef SWIM_LIB_TRUST_H
#define SWIM_LIB_TRUST_H

#include <openssl/x509_vfy.h>

#include "swim/signature.h"

/* The store of `level` (certified, accepted or partner), or NULL when
 * that level trusts nothing. Borrowed. */
X509_STORE *swim_trust__store(const swim_trust *trust,
                              swim_acceptance level);

#endif
