#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "lib/x509.h"
#include "swim/error.h"
#include "swim/keygen.h"
#include "util/fs.h"

#define KEYGEN_VALIDITY ((int64_t)3653 * 86400)  /* ten years */

static const swim_acceptance levels[] = {
	SWIM_ACCEPTANCE_CERTIFIED,
	SWIM_ACCEPTANCE_ACCEPTED,
	SWIM_ACCEPTANCE_PARTNER,
};

static int ssl_fail(const char *what)
{
	char err[256];

	return swim_error_set(SWIM_ERROR, "keygen: %s: %s", what,
	                      swim_x509_ssl_error(err, sizeof(err)));
}

static int new_key(EVP_PKEY **out)
{
	if (!(*out = EVP_EC_gen("P-256")))
		return ssl_fail("generating an EC key");
	return 0;
}

static int add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	if (!(ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)))
		return ssl_fail(value);
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? 0 : ssl_fail(value);
}

static int set_serial(X509 *x)
{
	unsigned char r[16];
	BIGNUM *bn;
	int ok;

	if (RAND_bytes(r, sizeof(r)) != 1)
		return ssl_fail("random serial");
	r[0] = (unsigned char)((r[0] & 0x7f) | 0x40);  /* positive, 16 bytes */
	if (!(bn = BN_bin2bn(r, sizeof(r), NULL)))
		return swim_error_oom();
	ok = BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
	BN_free(bn);
	return ok ? 0 : swim_error_oom();
}

/* A certificate for key, issued by issuer (NULL: self-signed). */
static int make_cert(X509 **out, const char *cn, EVP_PKEY *key,
                     X509 *issuer, EVP_PKEY *issuer_key, bool ca,
                     int64_t not_before, int64_t not_after)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	int rc = 0;

	*out = NULL;
	if (!x || !name) {
		rc = swim_error_oom();
		goto out;
	}
	if (!X509_set_version(x, X509_VERSION_3) ||
	    !X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
	                                (const unsigned char *)"swim test",
	                                -1, -1, 0) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	                                (const unsigned char *)cn, -1, -1, 0) ||
	    !X509_set_subject_name(x, name) ||
	    !X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer)
	                                    : name) ||
	    !ASN1_TIME_set(X509_getm_notBefore(x), (time_t)not_before) ||
	    !ASN1_TIME_set(X509_getm_notAfter(x), (time_t)not_after) ||
	    !X509_set_pubkey(x, key)) {
		rc = ssl_fail(cn);
		goto out;
	}
	if ((rc = set_serial(x)) < 0 ||
	    (rc = add_ext(x, issuer ? issuer : x, NID_basic_constraints,
	                  ca ? "critical,CA:TRUE" : "critical,CA:FALSE")) < 0 ||
	    (rc = add_ext(x, issuer ? issuer : x, NID_key_usage,
	                  ca ? "critical,keyCertSign,cRLSign"
	                     : "critical,digitalSignature")) < 0 ||
	    (!ca && (rc = add_ext(x, issuer, NID_ext_key_usage,
	                          "codeSigning")) < 0) ||
	    (rc = add_ext(x, issuer ? issuer : x, NID_subject_key_identifier,
	                  "hash")) < 0 ||
	    (rc = add_ext(x, issuer ? issuer : x, NID_authority_key_identifier,
	                  "keyid:always")) < 0)
		goto out;
	if (!X509_sign(x, issuer_key ? issuer_key : key, EVP_sha256())) {
		rc = ssl_fail(cn);
		goto out;
	}
	*out = x;
	x = NULL;
out:
	X509_NAME_free(name);
	X509_free(x);
	return rc;
}

static int path_of(swim_buf *b, const char *dir, const char *name,
                   const char *ext)
{
	swim_buf_clear(b);
	return swim_buf_printf(b, "%s/%s%s", dir, name, ext);
}

/* Writes NAME.key and NAME.crt in dir. */
static int save_pair(const char *dir, const char *name, EVP_PKEY *key,
                     X509 *cert)
{
	swim_buf p = SWIM_BUF_INIT(0);
	int rc;

	if ((rc = path_of(&p, dir, name, ".crt")) == 0 &&
	    (rc = swim_x509_write_cert(p.ptr, cert)) == 0 &&
	    (rc = path_of(&p, dir, name, ".key")) == 0)
		rc = swim_x509_write_key(p.ptr, key);
	swim_buf_dispose(&p);
	return rc;
}

static int load_pair(EVP_PKEY **key, X509 **cert, const char *dir,
                     const char *name)
{
	swim_buf p = SWIM_BUF_INIT(0);
	int rc;

	*key = NULL;
	*cert = NULL;
	if ((rc = path_of(&p, dir, name, ".crt")) == 0 &&
	    (rc = swim_x509_read_cert(cert, p.ptr)) == 0 &&
	    (rc = path_of(&p, dir, name, ".key")) == 0)
		rc = swim_x509_read_key(key, p.ptr);
	swim_buf_dispose(&p);
	return rc;
}

/* One level: its CA (issued by the root), its signer, its store. */
static int create_level(const char *dir, swim_acceptance level, X509 *root,
                        EVP_PKEY *root_key, int64_t now)
{
	const char *lv = swim_acceptance_name(level);
	swim_buf name = SWIM_BUF_INIT(0), p = SWIM_BUF_INIT(0);
	EVP_PKEY *ca_key = NULL, *key = NULL;
	X509 *ca = NULL, *cert = NULL;
	int rc;

	if ((rc = swim_buf_printf(&name, "swim test %s CA", lv)) < 0 ||
	    (rc = new_key(&ca_key)) < 0 ||
	    (rc = make_cert(&ca, name.ptr, ca_key, root, root_key, true,
	                    now - 3600, now + KEYGEN_VALIDITY)) < 0)
		goto out;
	swim_buf_clear(&name);
	if ((rc = swim_buf_printf(&name, "swim test %s signer", lv)) < 0 ||
	    (rc = new_key(&key)) < 0 ||
	    (rc = make_cert(&cert, name.ptr, key, ca, ca_key, false,
	                    now - 3600, now + KEYGEN_VALIDITY)) < 0)
		goto out;
	swim_buf_clear(&name);
	if ((rc = swim_buf_printf(&name, "%s-ca", lv)) < 0 ||
	    (rc = save_pair(dir, name.ptr, ca_key, ca)) < 0 ||
	    (rc = save_pair(dir, lv, key, cert)) < 0 ||
	    (rc = swim_buf_printf(&p, "%s/trust/%s", dir, lv)) < 0 ||
	    (rc = swim_fs_mkdir_p(p.ptr, 0755)) < 0 ||
	    (rc = swim_buf_printf(&p, "/%s-ca.crt", lv)) < 0)
		goto out;
	rc = swim_x509_write_cert(p.ptr, ca);
out:
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(key);
	X509_free(ca);
	X509_free(cert);
	swim_buf_dispose(&name);
	swim_buf_dispose(&p);
	return rc;
}

int swim_keygen_create(const char *dir)
{
	int64_t now = (int64_t)time(NULL);
	swim_buf p = SWIM_BUF_INIT(0);
	EVP_PKEY *root_key = NULL;
	X509 *root = NULL;
	int rc;

	if ((rc = path_of(&p, dir, "ca", ".key")) < 0)
		goto out;
	if (access(p.ptr, F_OK) == 0) {
		rc = swim_error_set(SWIM_EEXISTS, "%s already holds a test CA "
		                    "(%s)", dir, p.ptr);
		goto out;
	}
	if ((rc = swim_fs_mkdir_p(dir, 0755)) < 0 ||
	    (rc = new_key(&root_key)) < 0 ||
	    (rc = make_cert(&root, "swim test root CA", root_key, NULL, NULL,
	                    true, now - 3600, now + KEYGEN_VALIDITY)) < 0)
		goto out;
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if ((rc = create_level(dir, levels[i], root, root_key, now)) < 0)
			goto out;
	/* The root's key last: its presence marks a complete directory. */
	rc = save_pair(dir, "ca", root_key, root);
out:
	EVP_PKEY_free(root_key);
	X509_free(root);
	swim_buf_dispose(&p);
	return rc;
}

int swim_keygen_issue(const char *dir, swim_acceptance level,
                      const char *name, int64_t not_before,
                      int64_t not_after)
{
	const char *lv = swim_acceptance_name(level);
	swim_buf ca_name = SWIM_BUF_INIT(0), cn = SWIM_BUF_INIT(0);
	EVP_PKEY *ca_key = NULL, *key = NULL;
	X509 *ca = NULL, *cert = NULL;
	int rc;

	if (!*name || strchr(name, '/') || name[0] == '.') {
		rc = swim_error_set(SWIM_EINVAL, "keygen: '%s' is not a file "
		                    "name", name);
		goto out;
	}
	if (level < SWIM_ACCEPTANCE_PARTNER) {
		rc = swim_error_set(SWIM_EINVAL, "keygen: level %s has no CA", lv);
		goto out;
	}
	if ((rc = swim_buf_printf(&ca_name, "%s-ca", lv)) < 0 ||
	    (rc = load_pair(&ca_key, &ca, dir, ca_name.ptr)) < 0 ||
	    (rc = swim_buf_printf(&cn, "swim test %s signer %s", lv, name)) < 0 ||
	    (rc = new_key(&key)) < 0 ||
	    (rc = make_cert(&cert, cn.ptr, key, ca, ca_key, false, not_before,
	                    not_after)) < 0)
		goto out;
	rc = save_pair(dir, name, key, cert);
out:
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(key);
	X509_free(ca);
	X509_free(cert);
	swim_buf_dispose(&ca_name);
	swim_buf_dispose(&cn);
	return rc;
}

/* The CRL at path, or a new empty one. */
static int load_crl(X509_CRL **out, const char *path)
{
	STACK_OF(X509_CRL) *crls;
	int rc = 0;

	*out = NULL;
	if (access(path, F_OK) != 0) {
		if (!(*out = X509_CRL_new()))
			return swim_error_oom();
		return 0;
	}
	if (!(crls = sk_X509_CRL_new_null()))
		return swim_error_oom();
	if ((rc = swim_x509_read_file(NULL, crls, path)) == 0) {
		if (sk_X509_CRL_num(crls) == 0)
			rc = swim_error_set(SWIM_EINVAL, "%s: no CRL", path);
		else
			*out = sk_X509_CRL_shift(crls);
	}
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	return rc;
}

static int add_revoked(X509_CRL *crl, X509 *cert, X509 *ca, EVP_PKEY *ca_key,
                       int64_t now)
{
	X509_REVOKED *r = X509_REVOKED_new();
	ASN1_TIME *t = ASN1_TIME_set(NULL, (time_t)now);
	ASN1_TIME *next = ASN1_TIME_set(NULL, (time_t)(now + KEYGEN_VALIDITY));
	int rc = 0;

	if (!r || !t || !next) {
		rc = swim_error_oom();
		goto out;
	}
	if (!X509_REVOKED_set_serialNumber(r, X509_get_serialNumber(cert)) ||
	    !X509_REVOKED_set_revocationDate(r, t) ||
	    !X509_CRL_add0_revoked(crl, r)) {
		rc = ssl_fail("revoking");
		goto out;
	}
	r = NULL;
	if (!X509_CRL_set_version(crl, X509_CRL_VERSION_2) ||
	    !X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca)) ||
	    !X509_CRL_set1_lastUpdate(crl, t) ||
	    !X509_CRL_set1_nextUpdate(crl, next) || !X509_CRL_sort(crl) ||
	    !X509_CRL_sign(crl, ca_key, EVP_sha256()))
		rc = ssl_fail("signing the CRL");
out:
	X509_REVOKED_free(r);
	ASN1_TIME_free(t);
	ASN1_TIME_free(next);
	return rc;
}

int swim_keygen_revoke(const char *dir, const char *cert_path)
{
	swim_buf name = SWIM_BUF_INIT(0), p = SWIM_BUF_INIT(0);
	EVP_PKEY *ca_key = NULL;
	X509 *cert = NULL, *ca = NULL;
	X509_CRL *crl = NULL;
	const char *lv = NULL;
	int rc;

	if ((rc = swim_x509_read_cert(&cert, cert_path)) < 0)
		goto out;
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		lv = swim_acceptance_name(levels[i]);
		swim_buf_clear(&name);
		if ((rc = swim_buf_printf(&name, "%s-ca", lv)) < 0 ||
		    (rc = load_pair(&ca_key, &ca, dir, name.ptr)) < 0)
			goto out;
		if (X509_check_issued(ca, cert) == X509_V_OK &&
		    X509_verify(cert, X509_get0_pubkey(ca)) == 1)
			break;
		EVP_PKEY_free(ca_key);
		X509_free(ca);
		ca_key = NULL;
		ca = NULL;
	}
	ERR_clear_error();
	if (!ca) {
		rc = swim_error_set(SWIM_ENOTFOUND, "%s was not issued by a "
		                    "level CA of %s", cert_path, dir);
		goto out;
	}
	if ((rc = swim_buf_printf(&p, "%s/trust/%s/%s.crl", dir, lv,
	                          name.ptr)) < 0 ||
	    (rc = load_crl(&crl, p.ptr)) < 0 ||
	    (rc = add_revoked(crl, cert, ca, ca_key, (int64_t)time(NULL))) < 0)
		goto out;
	rc = swim_x509_write_crl(p.ptr, crl);
out:
	EVP_PKEY_free(ca_key);
	X509_free(ca);
	X509_free(cert);
	X509_CRL_free(crl);
	swim_buf_dispose(&name);
	swim_buf_dispose(&p);
	return rc;
}
