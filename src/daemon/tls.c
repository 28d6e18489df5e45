#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "daemon/tls.h"
#include "swim/buf.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

/* Operator files, not client input: this bounds a mistake such as
 * pointing --cert at a log file. */
#define TLS_FILE_MAX ((size_t)1 << 20)

struct swimd_tls {
	char *cert_pem;
	char *key_pem;       /* wiped before it is freed */
	size_t key_len;
	char *ca_pem;
	char *priorities;
	char *subject;
	time_t not_before, not_after;
};

void swimd_tls_free(swimd_tls *tls)
{
	if (!tls)
		return;
	if (tls->key_pem)
		explicit_bzero(tls->key_pem, tls->key_len);
	free(tls->key_pem);
	free(tls->cert_pem);
	free(tls->ca_pem);
	free(tls->priorities);
	free(tls->subject);
	free(tls);
}

/* The whole file as a string. `what` names it in errors ("certificate
 * file"); a key must not be readable by everyone. */
static int read_pem(char **out, size_t *len, const char *path,
                    const char *what, bool secret)
{
	swim_buf text = SWIM_BUF_INIT(TLS_FILE_MAX);
	int rc;

	*out = NULL;
	if ((rc = swim_fs_read_guarded(&text, path, what,
	                               secret ? S_IROTH : 0)) < 0)
		goto out;
	if (strlen(text.ptr) != text.len) {
		rc = swim_error_set(SWIM_EINVAL, "%s %s is not PEM text", what,
		                    path);
		goto out;
	}
	*len = text.len;
	if (!(*out = swim_buf_detach(&text)))
		rc = SWIM_ENOMEM;
out:
	if (secret && text.len)
		explicit_bzero(text.ptr, text.len);
	swim_buf_dispose(&text);
	return rc;
}

static gnutls_datum_t datum(const char *s, size_t len)
{
	return (gnutls_datum_t){ (unsigned char *)(uintptr_t)s, (unsigned)len };
}

static int tls_fail(int code, int gnutls_rc, const char *what,
                    const char *path)
{
	return swim_error_set(code, "%s %s: %s", what, path,
	                      gnutls_strerror(gnutls_rc));
}

/* The subject of a certificate as text. */
static int crt_subject(char **out, gnutls_x509_crt_t crt)
{
	gnutls_datum_t dn = { NULL, 0 };
	int grc;

	*out = NULL;
	if ((grc = gnutls_x509_crt_get_dn3(crt, &dn, 0)) < 0)
		return swim_error_set(SWIM_EINVAL,
		                      "certificate subject: %s",
		                      gnutls_strerror(grc));
	*out = swim_strndup((const char *)dn.data, dn.size);
	gnutls_free(dn.data);
	return *out ? 0 : SWIM_ENOMEM;
}

/* The certificate and key parse, and belong together. */
static int check_pair(swimd_tls *tls, const swimd_tls_files *f,
                      size_t cert_len)
{
	gnutls_datum_t c = datum(tls->cert_pem, cert_len);
	gnutls_datum_t k = datum(tls->key_pem, tls->key_len);
	gnutls_certificate_credentials_t cred = NULL;
	gnutls_x509_crt_t *crts = NULL;
	gnutls_x509_privkey_t key = NULL;
	unsigned n = 0;
	int grc, rc = 0;

	if ((grc = gnutls_x509_crt_list_import2(&crts, &n, &c,
	                                        GNUTLS_X509_FMT_PEM, 0)) < 0 ||
	    n == 0) {
		rc = n == 0 && grc >= 0
		     ? swim_error_set(SWIM_EINVAL, "certificate file %s holds "
		                      "no certificate", f->cert)
		     : tls_fail(SWIM_EINVAL, grc, "certificate file", f->cert);
		goto out;
	}
	if ((rc = crt_subject(&tls->subject, crts[0])) < 0) {
		(void)swim_error_prefix("certificate file %s: ", f->cert);
		goto out;
	}
	tls->not_before = gnutls_x509_crt_get_activation_time(crts[0]);
	tls->not_after = gnutls_x509_crt_get_expiration_time(crts[0]);
	if ((grc = gnutls_x509_privkey_init(&key)) < 0 ||
	    (grc = gnutls_x509_privkey_import2(key, &k, GNUTLS_X509_FMT_PEM,
	                                       NULL, 0)) < 0) {
		rc = grc == GNUTLS_E_DECRYPTION_FAILED
		     ? swim_error_set(SWIM_EINVAL, "key file %s is encrypted; "
		                      "swimd needs the key without a passphrase",
		                      f->key)
		     : tls_fail(SWIM_EINVAL, grc, "key file", f->key);
		goto out;
	}
	if ((grc = gnutls_certificate_allocate_credentials(&cred)) < 0) {
		rc = swim_error_oom();
		goto out;
	}
	if ((grc = gnutls_certificate_set_x509_key_mem2(cred, &c, &k,
	                                                GNUTLS_X509_FMT_PEM,
	                                                NULL, 0)) < 0) {
		rc = grc == GNUTLS_E_CERTIFICATE_KEY_MISMATCH
		     ? swim_error_set(SWIM_EINVAL, "key file %s does not belong "
		                      "to the certificate in %s", f->key, f->cert)
		     : tls_fail(SWIM_EINVAL, grc, "certificate file", f->cert);
		goto out;
	}
out:
	for (unsigned i = 0; i < n; i++)
		gnutls_x509_crt_deinit(crts[i]);
	gnutls_free(crts);
	if (key)
		gnutls_x509_privkey_deinit(key);
	if (cred)
		gnutls_certificate_free_credentials(cred);
	return rc;
}

static int check_ca(const swimd_tls *tls, const char *path, size_t len)
{
	gnutls_certificate_credentials_t cred = NULL;
	gnutls_datum_t d = datum(tls->ca_pem, len);
	int grc, rc = 0;

	if (gnutls_certificate_allocate_credentials(&cred) < 0)
		return swim_error_oom();
	grc = gnutls_certificate_set_x509_trust_mem(cred, &d,
	                                            GNUTLS_X509_FMT_PEM);
	if (grc < 0)
		rc = tls_fail(SWIM_EINVAL, grc, "client CA file", path);
	else if (grc == 0)
		rc = swim_error_set(SWIM_EINVAL, "client CA file %s holds no "
		                    "certificate", path);
	gnutls_certificate_free_credentials(cred);
	return rc;
}

static int check_priorities(const char *s)
{
	gnutls_priority_t p = NULL;
	const char *at = NULL;
	int grc = gnutls_priority_init(&p, s, &at);

	if (grc < 0)
		return swim_error_set(SWIM_EINVAL, "TLS priority string '%s' is "
		                      "not valid at '%s'", s, at ? at : s);
	gnutls_priority_deinit(p);
	return 0;
}

int swimd_tls_load(swimd_tls **out, const swimd_tls_files *files)
{
	swimd_tls *tls = NULL;
	size_t cert_len = 0, ca_len = 0;
	int rc;

	*out = NULL;
	if (!files->cert || !files->key)
		return swim_error_set(SWIM_EINVAL, "HTTPS needs a certificate "
		                      "file and a key file (tls_cert, tls_key)");
	if (!(tls = calloc(1, sizeof(*tls))))
		return swim_error_oom();
	if ((rc = read_pem(&tls->cert_pem, &cert_len, files->cert,
	                   "certificate file", false)) < 0 ||
	    (rc = read_pem(&tls->key_pem, &tls->key_len, files->key,
	                   "key file", true)) < 0 ||
	    (rc = check_pair(tls, files, cert_len)) < 0)
		goto out;
	if (files->client_ca &&
	    ((rc = read_pem(&tls->ca_pem, &ca_len, files->client_ca,
	                    "client CA file", false)) < 0 ||
	     (rc = check_ca(tls, files->client_ca, ca_len)) < 0))
		goto out;
	if (!(tls->priorities = swim_strdup(files->priorities
	                                    ? files->priorities
	                                    : SWIMD_TLS_PRIORITIES))) {
		rc = SWIM_ENOMEM;
		goto out;
	}
	if ((rc = check_priorities(tls->priorities)) < 0)
		goto out;
	*out = tls;
	tls = NULL;
out:
	swimd_tls_free(tls);
	return rc;
}

const char *swimd_tls_cert_pem(const swimd_tls *tls)
{
	return tls->cert_pem;
}

const char *swimd_tls_key_pem(const swimd_tls *tls)
{
	return tls->key_pem;
}

const char *swimd_tls_client_ca_pem(const swimd_tls *tls)
{
	return tls->ca_pem;
}

const char *swimd_tls_priorities(const swimd_tls *tls)
{
	return tls->priorities;
}

const char *swimd_tls_subject(const swimd_tls *tls)
{
	return tls->subject;
}

time_t swimd_tls_not_before(const swimd_tls *tls)
{
	return tls->not_before;
}

time_t swimd_tls_not_after(const swimd_tls *tls)
{
	return tls->not_after;
}

int swimd_tls_verify_client(char **subject, void *session)
{
	gnutls_session_t s = session;
	gnutls_typed_vdata_st purpose = {
		.type = GNUTLS_DT_KEY_PURPOSE_OID,
		.data = (unsigned char *)(uintptr_t)GNUTLS_KP_TLS_WWW_CLIENT,
	};
	gnutls_datum_t text = { NULL, 0 };
	const gnutls_datum_t *peers;
	gnutls_x509_crt_t crt = NULL;
	unsigned n = 0, status = 0;
	int grc, rc = 0;

	*subject = NULL;
	if (!s || !(peers = gnutls_certificate_get_peers(s, &n)) || n == 0)
		return swim_error_set(SWIM_EACCESS,
		                      "no client certificate was presented");
	if ((grc = gnutls_certificate_verify_peers(s, &purpose, 1,
	                                           &status)) < 0)
		return swim_error_set(SWIM_EACCESS, "client certificate: %s",
		                      gnutls_strerror(grc));
	if (status) {
		if (gnutls_certificate_verification_status_print(
			    status, GNUTLS_CRT_X509, &text, 0) < 0)
			return swim_error_set(SWIM_EACCESS, "the client "
			                      "certificate is not accepted");
		while (text.size > 0 && text.data[text.size - 1] == ' ')
			text.data[--text.size] = '\0';
		rc = swim_error_set(SWIM_EACCESS, "%s",
		                    (const char *)text.data);
		gnutls_free(text.data);
		return rc;
	}
	if ((grc = gnutls_x509_crt_init(&crt)) < 0 ||
	    (grc = gnutls_x509_crt_import(crt, &peers[0],
	                                  GNUTLS_X509_FMT_DER)) < 0)
		rc = swim_error_set(SWIM_EACCESS, "client certificate: %s",
		                    gnutls_strerror(grc));
	else
		rc = crt_subject(subject, crt);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	return rc;
}
