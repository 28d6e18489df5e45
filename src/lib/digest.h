/* Streaming checksums of package content (OpenSSL EVP): a payload is
 * hashed as its bytes flow, never held in memory. */
#ifndef SWIM_LIB_DIGEST_H
#define SWIM_LIB_DIGEST_H

#include <stddef.h>

#include <openssl/evp.h>

/* Longest hex digest plus NUL (sha-256: 64 hex digits). */
#define SWIM_DIGEST_HEX_MAX (EVP_MAX_MD_SIZE * 2 + 1)

typedef struct swim_digest {
	EVP_MD_CTX *ctx;
	const char *type;  /* "sha-256" or "sha-1", as descriptors spell it */
} swim_digest;

/* Starts a digest of `type` ("sha-256", "sha-1"); SWIM_ENOTSUPPORTED for
 * any other type. */
int swim_digest_init(swim_digest *d, const char *type);

int swim_digest_update(swim_digest *d, const void *data, size_t len);

/* Writes the lower-case hex digest to hex (SWIM_DIGEST_HEX_MAX bytes); the
 * digest may then be started again with swim_digest_init(). */
int swim_digest_final(swim_digest *d, char hex[SWIM_DIGEST_HEX_MAX]);

/* One-shot sha-256 of a buffer, hex. */
int swim_digest_sha256(char hex[SWIM_DIGEST_HEX_MAX], const void *data,
                       size_t len);

void swim_digest_dispose(swim_digest *d);

#endif
