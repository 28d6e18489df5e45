#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "lib/x509.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

const char *swim_x509_ssl_error(char *buf, size_t n)
{
	unsigned long e = ERR_peek_last_error();
	char *reason;

	if (!e)
		(void)snprintf(buf, n, "unknown error");
	else
		ERR_error_string_n(e, buf, n);
	ERR_clear_error();
	/* Keep the reason only: "error:0A...:lib:func:reason". */
	reason = strrchr(buf, ':');
	if (reason && reason[1])
		memmove(buf, reason + 1, strlen(reason + 1) + 1);
	return buf;
}

/* Never prompt: an encrypted key is an error. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

static int read_bio(BIO **out, swim_buf *data, const char *path)
{
	int rc;

	swim_buf_init(data, SWIM_X509_FILE_MAX);
	if ((rc = swim_fs_read_file(data, path)) < 0)
		return rc;
	if (!(*out = BIO_new_mem_buf(data->ptr, (int)data->len)))
		return swim_error_oom();
	return 0;
}

int swim_x509_read_key(EVP_PKEY **out, const char *path)
{
	swim_buf data;
	BIO *bio = NULL;
	char err[256];
	int rc;

	*out = NULL;
	if ((rc = read_bio(&bio, &data, path)) < 0)
		goto out;
	*out = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
	if (!*out)
		rc = swim_error_set(SWIM_EINVAL, "%s: not an unencrypted PEM "
		                    "private key (%s)", path,
		                    swim_x509_ssl_error(err, sizeof(err)));
out:
	BIO_free(bio);
	swim_buf_dispose(&data);
	return rc;
}

int swim_x509_read_cert(X509 **out, const char *path)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	int rc;

	*out = NULL;
	if (!certs)
		return swim_error_oom();
	rc = swim_x509_read_file(certs, NULL, path);
	if (rc == 0 && sk_X509_num(certs) == 0)
		rc = swim_error_set(SWIM_EINVAL, "%s: no certificate", path);
	if (rc == 0)
		*out = sk_X509_shift(certs);
	sk_X509_pop_free(certs, X509_free);
	return rc;
}

static bool is_pem(const swim_buf *data)
{
	return memmem(data->ptr, data->len, "-----BEGIN ", 11) != NULL;
}

static int read_pem(STACK_OF(X509) *certs, STACK_OF(X509_CRL) *crls,
                    BIO *bio, size_t *found)
{
	STACK_OF(X509_INFO) *infos;
	int rc = 0;

	infos = PEM_X509_INFO_read_bio(bio, NULL, no_passphrase, NULL);
	if (!infos)
		return 0;
	for (int i = 0; i < sk_X509_INFO_num(infos); i++) {
		X509_INFO *xi = sk_X509_INFO_value(infos, i);

		if (xi->x509) {
			(*found)++;
			if (certs) {
				if (!sk_X509_push(certs, xi->x509)) {
					rc = swim_error_oom();
					break;
				}
				xi->x509 = NULL;
			}
		}
		if (xi->crl) {
			(*found)++;
			if (crls) {
				if (!sk_X509_CRL_push(crls, xi->crl)) {
					rc = swim_error_oom();
					break;
				}
				xi->crl = NULL;
			}
		}
	}
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	return rc;
}

int swim_x509_read_file(STACK_OF(X509) *certs, STACK_OF(X509_CRL) *crls,
                        const char *path)
{
	swim_buf data;
	BIO *bio = NULL;
	size_t found = 0;
	char err[256];
	int rc;

	if ((rc = read_bio(&bio, &data, path)) < 0)
		goto out;
	if (is_pem(&data)) {
		if ((rc = read_pem(certs, crls, bio, &found)) < 0)
			goto out;
	} else {
		const unsigned char *p = (const unsigned char *)data.ptr;
		X509 *x = d2i_X509(NULL, &p, (long)data.len);
		X509_CRL *c = NULL;

		if (!x) {
			p = (const unsigned char *)data.ptr;
			c = d2i_X509_CRL(NULL, &p, (long)data.len);
		}
		found = x || c;
		if (x && (!certs || !sk_X509_push(certs, x)))
			X509_free(x);
		if (c && (!crls || !sk_X509_CRL_push(crls, c)))
			X509_CRL_free(c);
	}
	if (!found)
		rc = swim_error_set(SWIM_EINVAL, "%s: not a certificate or CRL "
		                    "(%s)", path,
		                    swim_x509_ssl_error(err, sizeof(err)));
	ERR_clear_error();
out:
	BIO_free(bio);
	swim_buf_dispose(&data);
	return rc;
}

typedef int (*pem_writer)(BIO *bio, void *obj);

static int write_pem(const char *path, pem_writer fn, void *obj,
                     mode_t mode)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *p = NULL, err[256];
	long len;
	int rc;

	if (!bio)
		return swim_error_oom();
	if (!fn(bio, obj)) {
		rc = swim_error_set(SWIM_ERROR, "%s: cannot encode (%s)", path,
		                    swim_x509_ssl_error(err, sizeof(err)));
		goto out;
	}
	len = BIO_get_mem_data(bio, &p);
	rc = swim_fs_write_atomic(path, p, (size_t)len, mode);
out:
	BIO_free(bio);
	return rc;
}

static int pem_key(BIO *bio, void *obj)
{
	return PEM_write_bio_PrivateKey(bio, obj, NULL, NULL, 0, NULL, NULL);
}

static int pem_cert(BIO *bio, void *obj)
{
	return PEM_write_bio_X509(bio, obj);
}

static int pem_crl(BIO *bio, void *obj)
{
	return PEM_write_bio_X509_CRL(bio, obj);
}

int swim_x509_write_key(const char *path, EVP_PKEY *key)
{
	return write_pem(path, pem_key, key, 0600);
}

int swim_x509_write_cert(const char *path, X509 *cert)
{
	return write_pem(path, pem_cert, cert, 0644);
}

int swim_x509_write_crl(const char *path, X509_CRL *crl)
{
	return write_pem(path, pem_crl, crl, 0644);
}

char *swim_x509_subject(X509 *cert)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *p = NULL, *s = NULL;
	long len;

	if (!bio)
		return NULL;
	if (X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0,
	                       XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		len = BIO_get_mem_data(bio, &p);
		s = swim_strndup(p ? p : "", (size_t)len);
	}
	BIO_free(bio);
	return s;
}
