/* CMS signatures, the trust store and the test PKI (swim/signature.h,
 * swim/keygen.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "support/testutil.h"
#include "swim/error.h"
#include "swim/keygen.h"
#include "swim/signature.h"

static const char data[] = "<vib><name>signed</name></vib>\n";

struct pki {
	char *tmp;
	char dir[512];    /* keygen directory */
	char other[512];  /* an unrelated second one */
	char trust[600];
};

static int setup(void **state)
{
	struct pki *k = calloc(1, sizeof(*k));

	assert_non_null(k);
	k->tmp = swim_test_tmpdir();
	(void)snprintf(k->dir, sizeof(k->dir), "%s/keys", k->tmp);
	(void)snprintf(k->other, sizeof(k->other), "%s/other", k->tmp);
	(void)snprintf(k->trust, sizeof(k->trust), "%s/trust", k->dir);
	swim_assert_ok(swim_keygen_create(k->dir));
	*state = k;
	return 0;
}

static int teardown(void **state)
{
	struct pki *k = *state;

	swim_test_rmtree(k->tmp);
	free(k->tmp);
	free(k);
	return 0;
}

/* Signs data with DIR/NAME.key and DIR/NAME.crt. */
static void sign_as(swim_buf *sig, const char *dir, const char *name,
                    const char *chain)
{
	char key[600], crt[600];

	(void)snprintf(key, sizeof(key), "%s/%s.key", dir, name);
	(void)snprintf(crt, sizeof(crt), "%s/%s.crt", dir, name);
	swim_buf_clear(sig);
	swim_assert_ok(swim_signature_create(sig, data, sizeof(data) - 1, key,
	                                     crt, chain));
}

/* Verifies sig against data with the store at trust_dir. */
static int verify(swim_signature_result *res, const swim_buf *sig,
                  const char *trust_dir)
{
	swim_trust *trust = NULL;
	int rc;

	if (trust_dir)
		swim_assert_ok(swim_trust_load(&trust, trust_dir));
	rc = swim_signature_verify(res, data, sizeof(data) - 1, sig->ptr,
	                           sig->len, trust);
	swim_trust_free(trust);
	return rc;
}

static void test_signature__levels(void **state)
{
	static const char *const names[] = { "certified", "accepted", "partner" };
	static const swim_acceptance want[] = {
		SWIM_ACCEPTANCE_CERTIFIED, SWIM_ACCEPTANCE_ACCEPTED,
		SWIM_ACCEPTANCE_PARTNER,
	};
	struct pki *k = *state;
	swim_buf sig = SWIM_BUF_INIT(0);
	swim_signature_result res;
	swim_trust *trust = NULL;

	for (size_t i = 0; i < 3; i++) {
		char subject[128];

		sign_as(&sig, k->dir, names[i], NULL);
		swim_assert_ok(verify(&res, &sig, k->trust));
		assert_true(res.is_signed);
		/* Each store trusts its level's CA only: a level proves
		 * itself and nothing above it. */
		assert_int_equal(res.proven, want[i]);
		(void)snprintf(subject, sizeof(subject),
		               "CN=swim test %s signer,O=swim test", names[i]);
		assert_string_equal(res.signer, subject);
		assert_null(res.note);
		swim_signature_result_dispose(&res);
	}
	swim_assert_ok(swim_trust_load(&trust, k->trust));
	assert_int_equal(swim_trust_count(trust, SWIM_ACCEPTANCE_PARTNER), 1);
	assert_int_equal(swim_trust_count(trust, SWIM_ACCEPTANCE_COMMUNITY), 0);
	swim_trust_free(trust);
	swim_buf_dispose(&sig);
}

static void test_signature__partner_store_only(void **state)
{
	struct pki *k = *state;
	swim_buf sig = SWIM_BUF_INIT(0);
	swim_signature_result res;
	char only[700], cmd[2048];

	/* A store holding only the partner CA: a certified signature
	 * proves nothing there, even with its chain included. */
	(void)snprintf(only, sizeof(only), "%s/only", k->tmp);
	(void)snprintf(cmd, sizeof(cmd), "mkdir -p '%s/certified' && cp '%s/partner-ca.crt' "
	               "'%s/certified/'", only, k->dir, only);
	assert_int_equal(system(cmd), 0);
	(void)snprintf(cmd, sizeof(cmd), "%s/certified-ca.crt", k->dir);
	sign_as(&sig, k->dir, "certified", cmd);
	swim_assert_ok(verify(&res, &sig, only));
	assert_int_equal(res.proven, SWIM_ACCEPTANCE_COMMUNITY);
	assert_non_null(strstr(res.note, "signer not trusted"));
	swim_signature_result_dispose(&res);
	/* And a partner signature in that (mislabelled) store counts as
	 * certified: the store decides, not the certificate. */
	sign_as(&sig, k->dir, "partner", NULL);
	swim_assert_ok(verify(&res, &sig, only));
	assert_int_equal(res.proven, SWIM_ACCEPTANCE_CERTIFIED);
	swim_signature_result_dispose(&res);
	swim_buf_dispose(&sig);
}

static void test_signature__untrusted_ca(void **state)
{
	struct pki *k = *state;
	swim_buf sig = SWIM_BUF_INIT(0);
	swim_signature_result res;

	swim_assert_ok(swim_keygen_create(k->other));
	sign_as(&sig, k->other, "certified", NULL);
	swim_assert_ok(verify(&res, &sig, k->trust));
	assert_true(res.is_signed);
	assert_int_equal(res.proven, SWIM_ACCEPTANCE_COMMUNITY);
	assert_non_null(strstr(res.note, "unable to get local issuer certificate"));
	swim_signature_result_dispose(&res);
	/* No trust store at all: nothing is proven either. */
	swim_assert_ok(verify(&res, &sig, NULL));
	assert_int_equal(res.proven, SWIM_ACCEPTANCE_COMMUNITY);
	assert_string_equal(res.note, "no trust store");
	swim_signature_result_dispose(&res);
	swim_buf_dispose(&sig);
}

static void test_signature__expired(void **state)
{
	struct pki *k = *state;
	swim_buf sig = SWIM_BUF_INIT(0);
	swim_signature_result res;
	int64_t now = (int64_t)time(NULL);

	swim_assert_ok(swim_keygen_issue(k->dir, SWIM_ACCEPTANCE_CERTIFIED,
	                                 "old", now - 90 * 86400, now - 86400));
	sign_as(&sig, k->dir, "old", NULL);
	swim_assert_ok(verify(&res, &sig, k->trust));
	assert_int_equal(res.proven, SWIM_ACCEPTANCE_COMMUNITY);
	assert_non_null(strstr(res.note, "certificate has expired"));
	swim_signature_result_dispose(&res);
	swim_buf_dispose(&sig);
}

static void test_signature__revoked(void **state)
{
	struct pki *k = *state;
	swim_buf sig = SWIM_BUF_INIT(0);
	swim_signature_result res;
	char crt[600];
	int64_t now = (int64_t)time(NULL);

	swim_assert_ok(swim_keygen_issue(k->dir, SWIM_ACCEPTANCE_PARTNER,
	                                 "second", now - 60, now + 86400));
	(void)snprintf(crt, sizeof(crt), "%s/partner.crt", k->dir);
	swim_assert_ok(swim_keygen_revoke(k->dir, crt));
	sign_as(&sig, k->dir, "partner", NULL);
	swim_assert_ok(verify(&res, &sig, k->trust));
	assert_int_equal(res.proven, SWIM_ACCEPTANCE_COMMUNITY);
	assert_non_null(strstr(res.note, "certificate revoked"));
	swim_signature_result_dispose(&res);
	/* The CRL is consulted, and an unrevoked signer of the same CA
	 * still proves partner. */
	sign_as(&sig, k->dir, "second", NULL);
	swim_assert_ok(verify(&res, &sig, k->trust));
	assert_int_equal(res.proven, SWIM_ACCEPTANCE_PARTNER);
	swim_signature_result_dispose(&res);
	/* Levels without a CRL are unaffected. */
	sign_as(&sig, k->dir, "accepted", NULL);
	swim_assert_ok(verify(&res, &sig, k->trust));
	assert_int_equal(res.proven, SWIM_ACCEPTANCE_ACCEPTED);
	swim_signature_result_dispose(&res);
	/* A certificate no level CA issued cannot be revoked here. */
	swim_assert_ok(swim_keygen_create(k->other));
	(void)snprintf(crt, sizeof(crt), "%s/partner.crt", k->other);
	swim_assert_error(swim_keygen_revoke(k->dir, crt), SWIM_ENOTFOUND,
	                  "was not issued by a level CA");
	swim_buf_dispose(&sig);
}

static void test_signature__tampered(void **state)
{
	struct pki *k = *state;
	swim_buf sig = SWIM_BUF_INIT(0);
	swim_signature_result res;
	swim_trust *trust = NULL;
	char other[] = "<vib><name>changed</name></vib>\n";

	sign_as(&sig, k->dir, "certified", NULL);
	swim_assert_ok(swim_trust_load(&trust, k->trust));
	swim_assert_error(swim_signature_verify(&res, other, sizeof(other) - 1,
	                                        sig.ptr, sig.len, trust),
	                  SWIM_ESIGNATURE, "signature does not match");
	/* Garbage and truncated signatures are errors too. */
	swim_assert_error(swim_signature_verify(&res, data, sizeof(data) - 1,
	                                        "garbage", 7, trust),
	                  SWIM_ESIGNATURE, "not a CMS signature");
	swim_assert_error(swim_signature_verify(&res, data, sizeof(data) - 1,
	                                        sig.ptr, sig.len / 2, trust),
	                  SWIM_ESIGNATURE, "not a CMS signature");
	/* An empty signature is simply unsigned. */
	swim_assert_ok(swim_signature_verify(&res, data, sizeof(data) - 1, "", 0,
	                                     trust));
	assert_false(res.is_signed);
	assert_int_equal(res.proven, SWIM_ACCEPTANCE_COMMUNITY);
	swim_signature_result_dispose(&res);
	swim_trust_free(trust);
	swim_buf_dispose(&sig);
}

static void test_signature__keygen_files(void **state)
{
	struct pki *k = *state;
	swim_buf sig = SWIM_BUF_INIT(0);
	struct stat st;
	char p[600], key[600];

	(void)snprintf(p, sizeof(p), "%s/partner.key", k->dir);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	(void)snprintf(p, sizeof(p), "%s/trust/certified/certified-ca.crt", k->dir);
	assert_int_equal(stat(p, &st), 0);
	/* The root is in no store. */
	(void)snprintf(p, sizeof(p), "%s/trust/certified/ca.crt", k->dir);
	assert_int_not_equal(stat(p, &st), 0);
	swim_assert_error(swim_keygen_create(k->dir), SWIM_EEXISTS,
	                  "already holds a test CA");
	/* A key that does not belong to the certificate. */
	(void)snprintf(key, sizeof(key), "%s/accepted.key", k->dir);
	(void)snprintf(p, sizeof(p), "%s/partner.crt", k->dir);
	swim_assert_error(swim_signature_create(&sig, data, 3, key, p, NULL),
	                  SWIM_EINVAL, "does not belong to the certificate");
	swim_assert_error(swim_signature_create(&sig, data, 3, p, p, NULL),
	                  SWIM_EINVAL, "not an unencrypted PEM private key");
	swim_buf_dispose(&sig);
}

static void test_signature__bad_store(void **state)
{
	struct pki *k = *state;
	swim_trust *trust = NULL;
	char p[700];

	(void)snprintf(p, sizeof(p), "%s/trust/accepted/junk.pem", k->dir);
	swim_test_write_file(p, "not a certificate", 17);
	swim_assert_error(swim_trust_load(&trust, k->trust), SWIM_EINVAL,
	                  "junk.pem: not a certificate or CRL");
	assert_null(trust);
	/* A missing store is empty, not an error. */
	(void)snprintf(p, sizeof(p), "%s/nonexistent", k->tmp);
	swim_assert_ok(swim_trust_load(&trust, p));
	assert_int_equal(swim_trust_count(trust, SWIM_ACCEPTANCE_CERTIFIED), 0);
	swim_trust_free(trust);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_signature__levels),
		T(test_signature__partner_store_only),
		T(test_signature__untrusted_ca),
		T(test_signature__expired),
		T(test_signature__revoked),
		T(test_signature__tampered),
		T(test_signature__keygen_files),
		T(test_signature__bad_store),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
