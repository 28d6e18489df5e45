#include <stdlib.h>
#include <string.h>

/* pem.h first: cms.h declares its PEM functions only after it. */
#include <openssl/pem.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "lib/trust.h"
#include "lib/x509.h"
#include "swim/error.h"
#include "swim/signature.h"
#include "util/str.h"

int swim_signature_create(swim_buf *out, const void *data, size_t len,
                          const char *key_path, const char *cert_path,
                          const char *chain_path)
{
	STACK_OF(X509) *chain = NULL;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	CMS_ContentInfo *cms = NULL;
	BIO *in = NULL, *der = NULL;
	char err[256], *p = NULL;
	long n;
	int rc;

	if ((rc = swim_x509_read_key(&key, key_path)) < 0 ||
	    (rc = swim_x509_read_cert(&cert, cert_path)) < 0)
		goto out;
	if (!(chain = sk_X509_new_null())) {
		rc = swim_error_oom();
		goto out;
	}
	if (chain_path && (rc = swim_x509_read_file(chain, NULL, chain_path)) < 0)
		goto out;
	if (X509_check_private_key(cert, key) != 1) {
		ERR_clear_error();
		rc = swim_error_set(SWIM_EINVAL, "%s does not belong to the "
		                    "certificate %s", key_path, cert_path);
		goto out;
	}
	if (!(in = BIO_new_mem_buf(data, (int)len)) ||
	    !(der = BIO_new(BIO_s_mem()))) {
		rc = swim_error_oom();
		goto out;
	}
	/* Binary: the exact bytes, no MIME canonicalisation. */
	cms = CMS_sign(cert, key, chain, in,
	               CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP);
	if (!cms || i2d_CMS_bio(der, cms) != 1) {
		rc = swim_error_set(SWIM_ERROR, "signing failed: %s",
		                    swim_x509_ssl_error(err, sizeof(err)));
		goto out;
	}
	n = BIO_get_mem_data(der, &p);
	rc = swim_buf_put(out, p, (size_t)n);
out:
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	BIO_free(der);
	sk_X509_pop_free(chain, X509_free);
	X509_free(cert);
	EVP_PKEY_free(key);
	return rc;
}

static int parse_cms(CMS_ContentInfo **out, const void *sig, size_t len)
{
	BIO *bio = BIO_new_mem_buf(sig, (int)len);
	char err[256];

	if (!bio)
		return swim_error_oom();
	if (memmem(sig, len, "-----BEGIN", 10))
		*out = PEM_read_bio_CMS(bio, NULL, NULL, NULL);
	else
		*out = d2i_CMS_bio(bio, NULL);
	BIO_free(bio);
	if (!*out)
		return swim_error_set(SWIM_ESIGNATURE, "not a CMS signature (%s)",
		                      swim_x509_ssl_error(err, sizeof(err)));
	if (OBJ_obj2nid(CMS_get0_type(*out)) != NID_pkcs7_signed ||
	    CMS_is_detached(*out) != 1)
		return swim_error_set(SWIM_ESIGNATURE, "not a detached CMS "
		                      "signed-data signature");
	return 0;
}

/* Key usage, when the certificate restricts it, must allow signing
 * code. */
static const char *usage_problem(X509 *signer)
{
	uint32_t flags = X509_get_extension_flags(signer);

	if ((flags & EXFLAG_KUSAGE) &&
	    !(X509_get_key_usage(signer) & KU_DIGITAL_SIGNATURE))
		return "its key usage does not allow digital signatures";
	if ((flags & EXFLAG_XKUSAGE) &&
	    !(X509_get_extended_key_usage(signer) & XKU_CODE_SIGN))
		return "its extended key usage does not include code signing";
	return NULL;
}

/* Errors that only say this level does not know the issuer. */
static bool unknown_issuer(int err)
{
	return err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
	       err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
	       err == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
	       err == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
	       err == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE;
}

/* The highest level whose store verifies signer; *reason is set to the
 * most telling failure when none does. */
static int signer_level(swim_acceptance *out, const char **reason,
                        X509 *signer, STACK_OF(X509) *untrusted,
                        const swim_trust *trust)
{
	static const swim_acceptance order[] = {
		SWIM_ACCEPTANCE_CERTIFIED, SWIM_ACCEPTANCE_ACCEPTED,
		SWIM_ACCEPTANCE_PARTNER,
	};
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();

	*out = SWIM_ACCEPTANCE_COMMUNITY;
	if (!ctx)
		return swim_error_oom();
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		X509_STORE *store = swim_trust__store(trust, order[i]);
		int err;

		if (!store)
			continue;
		if (!X509_STORE_CTX_init(ctx, store, signer, untrusted)) {
			X509_STORE_CTX_free(ctx);
			return swim_error_oom();
		}
		if (X509_verify_cert(ctx) == 1) {
			const char *why = usage_problem(signer);

			X509_STORE_CTX_cleanup(ctx);
			if (why) {
				*reason = why;
				break;
			}
			*out = order[i];
			break;
		}
		err = X509_STORE_CTX_get_error(ctx);
		if (!unknown_issuer(err) || !*reason)
			*reason = X509_verify_cert_error_string(err);
		X509_STORE_CTX_cleanup(ctx);
	}
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return 0;
}

static int judge_signers(swim_signature_result *res, CMS_ContentInfo *cms,
                         const swim_trust *trust)
{
	STACK_OF(X509) *signers = CMS_get0_signers(cms);
	STACK_OF(X509) *certs = CMS_get1_certs(cms);
	const char *reason = NULL;
	X509 *best = NULL;
	int rc = 0;

	for (int i = 0; i < sk_X509_num(signers); i++) {
		X509 *s = sk_X509_value(signers, i);
		swim_acceptance lv;

		if ((rc = signer_level(&lv, &reason, s, certs, trust)) < 0)
			goto out;
		if (!best || lv > res->proven) {
			best = s;
			res->proven = lv;
		}
	}
	if (best && !(res->signer = swim_x509_subject(best))) {
		rc = swim_error_oom();
		goto out;
	}
	if (res->proven == SWIM_ACCEPTANCE_COMMUNITY) {
		swim_buf note = SWIM_BUF_INIT(0);

		if (!trust)
			rc = swim_buf_puts(&note, "no trust store");
		else
			rc = swim_buf_printf(&note, "signer not trusted by %s: %s",
			                     swim_trust_dir(trust),
			                     reason ? reason
			                            : "no level trusts any CA");
		if (rc == 0)
			res->note = swim_buf_detach(&note);
		swim_buf_dispose(&note);
	}
out:
	sk_X509_free(signers);
	sk_X509_pop_free(certs, X509_free);
	return rc;
}

int swim_signature_verify(swim_signature_result *out, const void *data,
                          size_t len, const void *sig, size_t sig_len,
                          const swim_trust *trust)
{
	CMS_ContentInfo *cms = NULL;
	BIO *content = NULL, *mem = NULL;
	char err[256];
	int rc;

	memset(out, 0, sizeof(*out));
	out->proven = SWIM_ACCEPTANCE_COMMUNITY;
	if (sig_len == 0)
		return 0;
	out->is_signed = true;
	if ((rc = parse_cms(&cms, sig, sig_len)) < 0)
		goto out;
	/* A buffering BIO in front of the memory one: OpenSSL 3.0's
	 * CMS_verify() copies a bare memory BIO into one of its own, which
	 * it leaks when the signature is malformed. */
	if (!(mem = BIO_new_mem_buf(data, (int)len)) ||
	    !(content = BIO_new(BIO_f_buffer()))) {
		BIO_free(mem);
		rc = swim_error_oom();
		goto out;
	}
	BIO_push(content, mem);
	/* First the signature against the bytes alone: a mismatch is
	 * tampering, whoever the signer is. */
	if (CMS_verify(cms, NULL, NULL, content, NULL,
	               CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) != 1) {
		rc = swim_error_set(SWIM_ESIGNATURE, "signature does not match "
		                    "the signed bytes (%s)",
		                    swim_x509_ssl_error(err, sizeof(err)));
		goto out;
	}
	rc = judge_signers(out, cms, trust);
out:
	if (rc < 0)
		swim_signature_result_dispose(out);
	CMS_ContentInfo_free(cms);
	BIO_free_all(content);
	ERR_clear_error();
	return rc;
}

void swim_signature_result_dispose(swim_signature_result *res)
{
	if (!res)
		return;
	free(res->signer);
	free(res->note);
	res->signer = NULL;
	res->note = NULL;
}
