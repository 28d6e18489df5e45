#include <string.h>

#include "lib/digest.h"
#include "swim/error.h"

static const EVP_MD *digest_md(const char *type)
{
	if (strcmp(type, "sha-256") == 0)
		return EVP_sha256();
	if (strcmp(type, "sha-1") == 0)
		return EVP_sha1();
	return NULL;
}

int swim_digest_init(swim_digest *d, const char *type)
{
	const EVP_MD *md = digest_md(type);

	if (!md)
		return swim_error_set(SWIM_ENOTSUPPORTED,
		                      "checksum type '%s' is not supported", type);
	if (!d->ctx && !(d->ctx = EVP_MD_CTX_new()))
		return swim_error_oom();
	if (EVP_DigestInit_ex(d->ctx, md, NULL) != 1)
		return swim_error_set(SWIM_ERROR, "cannot start a %s digest",
		                      type);
	d->type = type;
	return 0;
}

int swim_digest_update(swim_digest *d, const void *data, size_t len)
{
	if (len && EVP_DigestUpdate(d->ctx, data, len) != 1)
		return swim_error_set(SWIM_ERROR, "%s digest failed", d->type);
	return 0;
}

int swim_digest_final(swim_digest *d, char hex[SWIM_DIGEST_HEX_MAX])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;

	if (EVP_DigestFinal_ex(d->ctx, md, &n) != 1)
		return swim_error_set(SWIM_ERROR, "%s digest failed", d->type);
	for (unsigned i = 0; i < n; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[2 * n] = '\0';
	return 0;
}

int swim_digest_sha256(char hex[SWIM_DIGEST_HEX_MAX], const void *data,
                       size_t len)
{
	swim_digest d = { 0 };
	int rc;

	if ((rc = swim_digest_init(&d, "sha-256")) == 0 &&
	    (rc = swim_digest_update(&d, data, len)) == 0)
		rc = swim_digest_final(&d, hex);
	swim_digest_dispose(&d);
	return rc;
}

void swim_digest_dispose(swim_digest *d)
{
	EVP_MD_CTX_free(d->ctx);
	d->ctx = NULL;
}
