/* swimd — TLS credentials for the HTTPS listeners (GnuTLS, the backend of
 * Debian's libmicrohttpd).
 *
 * A swimd_tls holds what one HTTPS daemon needs, read and checked up front
 * so that a bad file is an error naming it (at start and on SIGHUP) rather
 * than a daemon that does not start: the server certificate (PEM, the
 * chain after it), its unencrypted private key, the optional CA whose
 * certificates clients must present, and the GnuTLS priority string.
 * Client certificates admit a connection; the user still logs in with
 * HTTP Basic (docs/swimd.md).
 */
#ifndef SWIMD_TLS_H
#define SWIMD_TLS_H

#include <time.h>

/* TLS 1.3 and 1.2 only, forward-secret key exchange, AEAD ciphers. */
#define SWIMD_TLS_PRIORITIES                                                 \
	"SECURE256:+SECURE128:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-RSA:"   \
	"-DHE-RSA:-SHA1:-AES-128-CBC:-AES-256-CBC:%SAFE_RENEGOTIATION"

typedef struct swimd_tls_files {
	const char *cert;        /* PEM: the server certificate, then its chain */
	const char *key;         /* PEM: its private key, not encrypted, not
	                          * readable by others */
	const char *client_ca;   /* PEM CA certificates clients must chain to;
	                          * NULL: client certificates are not asked for */
	const char *priorities;  /* GnuTLS priority string; NULL for
	                          * SWIMD_TLS_PRIORITIES */
} swimd_tls_files;

typedef struct swimd_tls swimd_tls;

/* Reads and checks the files: the key must match the certificate, the CA
 * file must hold at least one certificate, the priority string must parse.
 * Errors name the file (or setting) and what is wrong with it.
 * @param[out] out freed with swimd_tls_free(). */
int swimd_tls_load(swimd_tls **out, const swimd_tls_files *files);

/* The PEM texts and the priority string, for libmicrohttpd's options.
 * Borrowed; the client CA is NULL when none was given. */
const char *swimd_tls_cert_pem(const swimd_tls *tls);
const char *swimd_tls_key_pem(const swimd_tls *tls);
const char *swimd_tls_client_ca_pem(const swimd_tls *tls);
const char *swimd_tls_priorities(const swimd_tls *tls);

/* The server certificate's subject ("CN=host,O=...") and validity. */
const char *swimd_tls_subject(const swimd_tls *tls);
time_t swimd_tls_not_before(const swimd_tls *tls);
time_t swimd_tls_not_after(const swimd_tls *tls);

/* Checks the client certificate of a TLS session (a gnutls_session_t, as
 * libmicrohttpd hands it out) against the client CA the session was set
 * up with: chain, validity dates, key usage for TLS clients. 0 with
 * *subject the certificate's subject (caller frees); SWIM_EACCESS with
 * the reason in the error slot ("no client certificate", "The
 * certificate has expired", ...). */
int swimd_tls_verify_client(char **subject, void *session);

void swimd_tls_free(swimd_tls *tls);

#endif
