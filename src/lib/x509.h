/* Keys, certificates and CRLs in files, through OpenSSL: the loading and
 * saving that signing, the trust store and keygen share. Files are read
 * with a size cap and never prompt for a passphrase. */
#ifndef SWIM_LIB_X509_H
#define SWIM_LIB_X509_H

#include <stdbool.h>
#include <sys/types.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

/* The largest key, certificate or CRL file read. */
#define SWIM_X509_FILE_MAX ((size_t)1 << 20)

/* OpenSSL's most recent error reason ("certificate has expired"), and
 * the queue cleared; "unknown error" when the queue is empty. Copied into
 * buf of size n. */
const char *swim_x509_ssl_error(char *buf, size_t n);

/* An unencrypted PEM private key. @param[out] out freed with
 * EVP_PKEY_free(). */
int swim_x509_read_key(EVP_PKEY **out, const char *path);

/* The first certificate of a PEM (or DER) file. X509_free(). */
int swim_x509_read_cert(X509 **out, const char *path);

/* Every certificate and CRL of a PEM file, or the one DER certificate or
 * CRL it holds. Either out may be NULL (then those are not wanted). No
 * object at all is SWIM_EINVAL. Stacks are appended to and owned by the
 * caller (sk_X509_pop_free / sk_X509_CRL_pop_free). */
int swim_x509_read_file(STACK_OF(X509) *certs, STACK_OF(X509_CRL) *crls,
                        const char *path);

/* PEM to path, atomically, with `mode`. */
int swim_x509_write_key(const char *path, EVP_PKEY *key);
int swim_x509_write_cert(const char *path, X509 *cert);
int swim_x509_write_crl(const char *path, X509_CRL *crl);

/* The subject in RFC 2253 form, malloc'd (NULL when out of memory). */
char *swim_x509_subject(X509 *cert);

#endif
